#!/usr/bin/env python3
"""Seed benchmark: items/s and peak memory on the local stack.

    python3 examples/bench/seed_bench.py [--sizes 10000,100000] [--million]

Builds release binaries, starts two local stacks (our dispatcher, and the
tutorial dispatcher for the per-item fallback) on free ports in a temp state
dir, generates JSONL files, and seeds each into a fresh table with:
  ceiling   examples/seed_ceiling.rs: one sequential BatchWriteItem loop, pre-built requests
  direct    seed --direct
  batch     seed through our dispatcher's batch operation, Lambda invoke
  api       seed through our dispatcher's batch operation, API transport (function URL locally)
  per-item  seed against the tutorial dispatcher: fallback to one create per item
Peak memory is the max RSS of the seed process (/usr/bin/time). --million
also seeds a 1,000,000-line file with --direct and reports its peak memory.
Prints a Markdown table (the README's figures come from it).
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[2]
CLI = REPO / "target" / "release" / "serverless-crud"
CEILING = REPO / "target" / "release" / "examples" / "seed_ceiling"
FIXTURE = REPO / "tests" / "fixtures" / "tutorial_dispatcher.py"


def generate(path, count):
    with open(path, "w") as f:
        for i in range(count):
            active = "true" if i % 2 == 0 else "false"
            # Integers only: the tutorial dispatcher (per-item mode) cannot store floats.
            f.write('{"id":"u%d","name":"person %d","age":%d,"score":%d,"active":%s}\n' % (i, i, i % 90, i * 3, active))


def timed(cmd, env):
    """Runs cmd under /usr/bin/time; returns (stdout JSON, peak RSS in MB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        out = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%M"] + cmd, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
        if out.returncode != 0:
            sys.exit("failed ({}): {}\n{}".format(out.returncode, " ".join(map(str, cmd)), out.stderr[-2000:]))
        peak_kb = int(t.read().strip().splitlines()[-1])
    return json.loads(out.stdout), peak_kb / 1024


def stack_up(state, tables, extra, env):
    args = [str(CLI), "local", "up", "--moto-port", "0", "--lambda-port", "0", "--workers", "4", "-o", "json"]
    for t in tables:
        args += ["--table", t]
    e = dict(env, SERVERLESS_CRUD_STATE_DIR=state)
    status = subprocess.run(args + extra, env=e, capture_output=True, text=True, check=True)
    return json.loads(status.stdout), e


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--million", action="store_true", help="also measure peak memory on a 1,000,000-line file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "serverless-crud", "--example", "seed_ceiling"], cwd=REPO, check=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="seed-bench-"))
    env = dict(os.environ, NO_COLOR="1")
    modes = ["ceiling", "direct", "batch", "api", "per-item"]
    tables = ["bench_{}_{}".format(m.replace("-", "_"), n) for m in modes for n in sizes] + ["bench_million"]
    ours, ours_env = stack_up(str(work / "ours"), tables, [], env)
    _, legacy_env = stack_up(str(work / "legacy"), tables, ["--dispatcher", str(FIXTURE), "--integration", "non-proxy"], env)
    rows = []
    try:
        for n in sizes:
            data = work / "items-{}.jsonl".format(n)
            generate(data, n)
            results = {}
            for mode in modes:
                table = "bench_{}_{}".format(mode.replace("-", "_"), n)
                seed = [str(CLI), "--local", "-q", "-o", "json", "seed", "-t", table, "--file", str(data)]
                if mode == "ceiling":
                    out, peak = timed([str(CEILING), ours["moto"]["endpoint"], table, str(n)], env)
                elif mode == "direct":
                    out, peak = timed(seed + ["--direct"], ours_env)
                elif mode == "batch":
                    out, peak = timed(seed[:1] + ["--via", "lambda"] + seed[1:], ours_env)
                elif mode == "api":
                    out, peak = timed(seed[:1] + ["--via", "api"] + seed[1:], ours_env)
                else:
                    out, peak = timed(seed[:1] + ["--via", "lambda"] + seed[1:], legacy_env)
                    assert "per item" in out["backend"], out
                if mode != "ceiling":
                    assert out["written"] == n and out["rejected"] == 0, out
                results[mode] = (out["itemsPerSec"], peak)
                print("{:>8} {:<9} {:>8.0f} items/s  {:6.1f} MB".format(n, mode, out["itemsPerSec"], peak), file=sys.stderr)
            ceiling = results["ceiling"][0]
            for mode in modes:
                rate, peak = results[mode]
                rows.append((n, mode, rate, 100.0 * rate / ceiling, peak))
        million = None
        if args.million:
            data = work / "items-1000000.jsonl"
            generate(data, 1_000_000)
            out, peak = timed([str(CLI), "--local", "-q", "-o", "json", "seed", "-t", "bench_million", "--file", str(data), "--direct"], ours_env)
            assert out["written"] == 1_000_000, out
            million = (out["itemsPerSec"], peak)
    finally:
        for state_env in (ours_env, legacy_env):
            subprocess.run([str(CLI), "local", "down"], env=state_env, capture_output=True)

    print("| items | mode | items/s | % of ceiling | peak memory |")
    print("|---:|---|---:|---:|---:|")
    for n, mode, rate, pct, peak in rows:
        print("| {:,} | {} | {:,.0f} | {:.0f}% | {:.1f} MB |".format(n, mode, rate, pct, peak))
    if million:
        print("\n1,000,000-line file, --direct: {:,.0f} items/s, peak memory {:.1f} MB".format(*million))


if __name__ == "__main__":
    main()
