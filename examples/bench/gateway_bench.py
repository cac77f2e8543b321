#!/usr/bin/env python3
"""Gateway benchmark: what the local API gateway adds, on loopback.

    python3 examples/bench/gateway_bench.py [--pings 500] [--rounds 3] [--items 20000]

Builds the release binary, starts a local stack on free ports in a temp state
dir, sets up a stack (auth iam: every request SigV4-signed and verified), and
measures, in interleaved rounds (medians reported):
  ping api      signed ping through the gateway (API transport)
  ping lambda   ping by direct invoke of the same function (Lambda transport)
  ping crud     direct invoke of the default `crud` function (known to the
                emulator from its start), to compare a stack function with
  seed api      seeding N items through the gateway (dispatcher batch)
  seed lambda   the same by direct invoke
Prints a Markdown table; the README's figures come from it.
"""

import argparse
import os
import pathlib
import subprocess
import tempfile

from common import CLI, REPO, run



def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pings", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--items", type=int, default=20000)
    args = parser.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    state = tempfile.mkdtemp(prefix="scrud-gwbench-")
    env = dict(os.environ, SERVERLESS_CRUD_STATE_DIR=state, NO_COLOR="1")
    env.pop("SERVERLESS_CRUD_OUTPUT", None)
    run(["local", "up", "--moto-port", "0", "--lambda-port", "0", "--gateway-port", "0", "--workers", "4", "-o", "json"], env)
    try:
        tables = ["bench_%d" % i for i in range(2 * args.rounds + 2)]
        setup = ["--local", "--stack", "bench", "-o", "json", "setup", "--local-workers", "4"]
        for t in tables:
            setup += ["--table", t]
        run(setup, env)

        pings = {"api": [], "lambda": [], "crud": []}
        for r in range(args.rounds):
            order = ["api", "lambda", "crud"]
            order = order[r % 3:] + order[:r % 3]
            for mode in order:
                target = ["--function", "crud", "--via", "lambda"] if mode == "crud" else ["--stack", "bench", "--via", mode]
                out = run(["--local"] + target + ["-o", "json", "ping", "--count", str(args.pings)], env)
                pings[mode].append(out["latencyMs"])

        data = pathlib.Path(state) / "items.jsonl"
        with open(data, "w") as f:
            for i in range(args.items):
                f.write('{"id":"u%d","name":"person %d","age":%d}\n' % (i, i, i % 90))
        seeds = {"api": [], "lambda": []}
        table = iter(tables)
        # A warm-up run of each (not counted): the first seed of a table
        # pays moto's and the workers' warm-up.
        for mode in ("api", "lambda"):
            run(["--local", "--stack", "bench", "--via", mode, "-o", "json", "seed",
                 "-t", next(table), "--file", str(data)], env)
        for r in range(args.rounds):
            for mode in (["api", "lambda"] if r % 2 == 0 else ["lambda", "api"]):
                out = run(["--local", "--stack", "bench", "--via", mode, "-o", "json", "seed",
                           "-t", next(table), "--file", str(data)], env)
                assert out["written"] == args.items, out
                seeds[mode].append(out["itemsPerSec"])
    finally:
        run(["local", "down"], env, check=False)

    def stat(mode, key):
        return median([p[key] for p in pings[mode]])

    print("| measure | p50 ms | p99 ms | avg ms |")
    print("|---|---:|---:|---:|")
    for mode, label in [("api", "ping through the gateway (SigV4 verified)"), ("lambda", "ping by direct invoke, same function"),
                        ("crud", "ping by direct invoke, default `crud` function")]:
        print("| %s | %.2f | %.2f | %.2f |" % (label, stat(mode, "p50"), stat(mode, "p99"), stat(mode, "avg")))
    print()
    print("gateway overhead at p50: %.2f ms (p99: %.2f ms); %d pings x %d rounds"
          % (stat("api", "p50") - stat("lambda", "p50"), stat("api", "p99") - stat("lambda", "p99"), args.pings, args.rounds))
    api, lam = median(seeds["api"]), median(seeds["lambda"])
    print("seed %d items: %.0f items/s through the gateway, %.0f by direct invoke (%.0f%%), %d rounds"
          % (args.items, api, lam, 100.0 * api / lam, args.rounds))


if __name__ == "__main__":
    main()
