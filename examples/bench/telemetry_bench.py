#!/usr/bin/env python3
"""Telemetry benchmark: what emitting logs and metrics costs on the local stack.

    python3 examples/bench/telemetry_bench.py [--pings 500] [--rounds 5] [--items 20000]

Builds the release binary and starts two local stacks on free ports, one
emitting (the default) and one with `local up --no-telemetry`, each with the
same stack set up. Then, in interleaved rounds (medians reported):
  ping     direct invoke of the stack's function (the worker emits START, END,
           REPORT and four metrics per invocation), and through the gateway
           (which also emits an access-log line and five metrics)
  seed     N items through the gateway (dispatcher batch)
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
    envs = {}
    for mode, extra in (("on", []), ("off", ["--no-telemetry"])):
        state = tempfile.mkdtemp(prefix="scrud-telbench-%s-" % mode)
        env = dict(os.environ, SERVERLESS_CRUD_STATE_DIR=state, NO_COLOR="1")
        env.pop("SERVERLESS_CRUD_OUTPUT", None)
        run(["local", "up", "--moto-port", "0", "--lambda-port", "0", "--gateway-port", "0", "--workers", "4", "-o", "json"] + extra, env)
        envs[mode] = env
    try:
        tables = ["bench_%d" % i for i in range(args.rounds + 1)]
        for env in envs.values():
            setup = ["--local", "--stack", "bench", "-o", "json", "setup", "--local-workers", "4"]
            for t in tables:
                setup += ["--table", t]
            run(setup, env)
        data = pathlib.Path(tempfile.mkdtemp()) / "items.jsonl"
        with open(data, "w") as f:
            for i in range(args.items):
                f.write('{"id":"u%d","name":"person %d","age":%d}\n' % (i, i, i % 90))
        results = {(m, k): [] for m in envs for k in ("lambda", "api", "seed")}
        table = iter(tables)
        first = next(table)
        for env in envs.values():  # warm-up, not counted
            run(["--local", "--stack", "bench", "--via", "api", "-o", "json", "seed", "-t", first, "--file", str(data)], env)
        for r in range(args.rounds):
            t = next(table)
            for mode in (["on", "off"] if r % 2 == 0 else ["off", "on"]):
                env = envs[mode]
                for via in ("lambda", "api"):
                    out = run(["--local", "--stack", "bench", "--via", via, "-o", "json", "ping", "--count", str(args.pings)], env)
                    results[(mode, via)].append(out["latencyMs"])
                out = run(["--local", "--stack", "bench", "--via", "api", "-o", "json", "seed", "-t", t, "--file", str(data)], env)
                assert out["written"] == args.items, out
                results[(mode, "seed")].append(out["itemsPerSec"])
    finally:
        for env in envs.values():
            run(["local", "down"], env, check=False)

    def ping(mode, via, key):
        return median([p[key] for p in results[(mode, via)]])

    print("| measure | telemetry on | telemetry off | on / off |")
    print("|---|---:|---:|---:|")
    for via, label in (("lambda", "ping, direct invoke: avg ms"), ("api", "ping through the gateway: avg ms")):
        on, off = ping("on", via, "avg"), ping("off", via, "avg")
        print("| %s | %.2f | %.2f | %.0f%% |" % (label, on, off, 100.0 * on / off))
    on, off = median(results[("on", "seed")]), median(results[("off", "seed")])
    print("| seed %d items through the gateway: items/s | %.0f | %.0f | %.0f%% |" % (args.items, on, off, 100.0 * on / off))
    print()
    print("%d rounds, %d pings per round and mode" % (args.rounds, args.pings))


if __name__ == "__main__":
    main()
