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
Modes run in interleaved rounds on fresh tables (deleted after each run), the
order rotating each round, and the median is reported, because moto's own
speed drifts by ~15% between runs.
The per-item mode (bounded by the tutorial function's speed) runs only up to
--per-item-max items. Peak memory is the max RSS of the seed process
(/usr/bin/time). --million also seeds a 1,000,000-line file with --direct.
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
    args = [str(CLI), "local", "up", "--moto-port", "0", "--lambda-port", "0", "--gateway-port", "0", "--workers", "4", "-o", "json"]
    for t in tables:
        args += ["--table", t]
    e = dict(env, SERVERLESS_CRUD_STATE_DIR=state)
    status = subprocess.run(args + extra, env=e, capture_output=True, text=True, check=True)
    return json.loads(status.stdout), e


def delete_table(python, moto, table):
    """Frees moto's memory between runs (boto3 from the emulator venv)."""
    code = "import boto3; boto3.client('dynamodb', region_name='us-east-1').delete_table(TableName='%s')" % table
    env = dict(os.environ, AWS_ENDPOINT_URL=moto, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
    subprocess.run([python, "-c", code], env=env, check=True, capture_output=True)


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=4, help="runs per mode and size; the median is reported")
    parser.add_argument("--per-item-max", type=int, default=10000, help="largest size for the (slow) per-item mode")
    parser.add_argument("--million", action="store_true", help="also measure peak memory on a 1,000,000-line file")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "serverless-crud", "--example", "seed_ceiling"], cwd=REPO, check=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="seed-bench-"))
    env = dict(os.environ, NO_COLOR="1")
    fast = ["ceiling", "direct", "batch", "api"]
    tables = ["bench_{}_{}_{}".format(m, n, r) for m in fast for n in sizes for r in range(args.rounds)]
    tables += ["bench_per_item_{}".format(n) for n in sizes] + ["bench_million"]
    ours, ours_env = stack_up(str(work / "ours"), tables, [], env)
    _, legacy_env = stack_up(str(work / "legacy"), tables, ["--dispatcher", str(FIXTURE), "--integration", "non-proxy"], env)
    moto, python = ours["moto"]["endpoint"], ours["python"]
    rows = []
    million = None
    try:
        for n in sizes:
            data = work / "items-{}.jsonl".format(n)
            generate(data, n)
            samples = {mode: [] for mode in fast + ["per-item"]}
            # Interleaved rounds on fresh tables: moto's speed drifts, so each
            # mode sees the same conditions.
            for r in range(args.rounds):
                # Rotate the order each round: moto's speed drifts within a
                # round (garbage from deleted tables), so no mode always goes first.
                for mode in fast[r % len(fast):] + fast[:r % len(fast)]:
                    table = "bench_{}_{}_{}".format(mode, n, r)
                    seed = [str(CLI), "--local", "-q", "-o", "json", "seed", "-t", table, "--file", str(data)]
                    if mode == "ceiling":
                        out, peak = timed([str(CEILING), moto, table, str(n)], env)
                    elif mode == "direct":
                        out, peak = timed(seed + ["--direct"], ours_env)
                    else:
                        via = "lambda" if mode == "batch" else "api"
                        out, peak = timed(seed[:1] + ["--via", via] + seed[1:], ours_env)
                    if mode != "ceiling":
                        assert out["written"] == n and out["rejected"] == 0, out
                    delete_table(python, moto, table)
                    samples[mode].append((out["itemsPerSec"], peak))
                    print("{:>8} {:<9} round {} {:>8.0f} items/s {:6.1f} MB".format(n, mode, r + 1, out["itemsPerSec"], peak), file=sys.stderr)
            if n <= args.per_item_max:
                table = "bench_per_item_{}".format(n)
                seed = [str(CLI), "--local", "--via", "lambda", "-q", "-o", "json", "seed", "-t", table, "--file", str(data)]
                out, peak = timed(seed, legacy_env)
                assert "per item" in out["backend"] and out["written"] == n, out
                samples["per-item"].append((out["itemsPerSec"], peak))
                print("{:>8} {:<9} {:>8.0f} items/s {:6.1f} MB".format(n, "per-item", out["itemsPerSec"], peak), file=sys.stderr)
            ceiling = median([rate for rate, _ in samples["ceiling"]])
            for mode in fast + ["per-item"]:
                if samples[mode]:
                    rate = median([rate for rate, _ in samples[mode]])
                    peak = max(p for _, p in samples[mode])
                    rows.append((n, mode, rate, 100.0 * rate / ceiling, peak, len(samples[mode])))
        if args.million:
            data = work / "items-1000000.jsonl"
            generate(data, 1_000_000)
            out, peak = timed([str(CLI), "--local", "-q", "-o", "json", "seed", "-t", "bench_million", "--file", str(data), "--direct"], ours_env)
            assert out["written"] == 1_000_000, out
            million = (out["itemsPerSec"], peak, data.stat().st_size / 1e6)
    finally:
        for state_env in (ours_env, legacy_env):
            subprocess.run([str(CLI), "local", "down"], env=state_env, capture_output=True)

    print("| items | mode | items/s (median) | % of ceiling | peak memory | runs |")
    print("|---:|---|---:|---:|---:|---:|")
    for n, mode, rate, pct, peak, runs in rows:
        print("| {:,} | {} | {:,.0f} | {:.0f}% | {:.1f} MB | {} |".format(n, mode, rate, pct, peak, runs))
    if million:
        print("\n1,000,000-line file ({2:.0f} MB), --direct: {0:,.0f} items/s, peak memory {1:.1f} MB".format(*million))


if __name__ == "__main__":
    main()
