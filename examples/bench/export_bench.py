#!/usr/bin/env python3
"""Export benchmark: items/s and peak memory of `export`, against its peers.

    python3 examples/bench/export_bench.py [--items 100000] [--rounds 3] [--dynein PATH] [--binary NAME=PATH ...] [--stack-binary PATH]

Builds the release binary, starts a local stack on free ports in a temp state
dir, loads N items (seed --direct) and exports them, in interleaved rounds
(medians reported; moto's own speed drifts between runs), with:
  direct          export --direct, JSON lines (the local default: 1 segment)
  direct 4        the same with --segments 4 (AWS's default; moto walks the table per segment)
  direct ddb      export --direct --format ddb-jsonl
  dispatcher      export through the dispatcher's list, Lambda invoke
  aws cli         aws dynamodb scan --table-name T > file (AWS CLI, whole process)
  dynein          dy --region REGION export (endpoint from AWS_ENDPOINT_URL) (if --dynein or `dy` on PATH)
Several --binary (say before=OLD after=NEW) run our export modes with each
build against the same table in the same run; the stack is the first one's.
Every run is a whole process, timed from start to exit, with its peak RSS
(/usr/bin/time). Then the round trip: seed N items (dispatcher), export them
as ddb-jsonl, seed that into a new table, total time.
Prints a Markdown table; the README's figures come from it.
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import common
from common import CLI, REPO, run


def timed(cmd, env, stdout_path=None):
    """Runs cmd; returns (seconds, peak RSS MB, stdout text)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        out_file = open(stdout_path, "w") if stdout_path else subprocess.PIPE
        started = time.monotonic()
        out = subprocess.run(["/usr/bin/time", "-o", t.name, "-f", "%M"] + [str(c) for c in cmd],
                             env=env, stdout=out_file, stderr=subprocess.PIPE, text=True, cwd=tempfile.gettempdir())
        elapsed = time.monotonic() - started
        if stdout_path:
            out_file.close()
        if out.returncode != 0:
            sys.exit("failed ({}): {}\n{}".format(out.returncode, " ".join(map(str, cmd)), out.stderr[-2000:]))
        rss = int(t.read().strip().splitlines()[-1]) / 1024
        return elapsed, rss, out.stdout if not stdout_path else ""



def generate(path, count):
    with open(path, "w") as f:
        for i in range(count):
            f.write('{"id":"u%07d","name":"person %d","n":1234567890123456789012345678901234%04d,"tags":["a","b"],"m":{"x":%d}}\n'
                    % (i, i, i % 10000, i))


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def lines(path):
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=100000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dynein", default=shutil.which("dy"))
    parser.add_argument("--no-round-trip", action="store_true", help="skip the seed/export/seed round trip")
    parser.add_argument("--binary", action="append", default=[], help="NAME=PATH (repeatable)")
    parser.add_argument("--stack-binary", help="the CLI that runs the local stack (its moto extension and "
                        "dispatcher): an older build measures the stack as it was; default: this checkout's")
    args = parser.parse_args()
    binaries = [b.split("=", 1) for b in args.binary] or [["", str(CLI)]]

    if args.stack_binary:
        common.CLI = pathlib.Path(args.stack_binary).resolve()
    else:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    state = tempfile.mkdtemp(prefix="scrud-exportbench-")
    env = dict(os.environ, SERVERLESS_CRUD_STATE_DIR=state, NO_COLOR="1")
    env.pop("SERVERLESS_CRUD_OUTPUT", None)
    up = run(["local", "up", "--moto-port", "0", "--lambda-port", "0", "--gateway-port", "0", "--workers", "4",
              "--table", "bench_src", "--table", "trip_a", "--table", "trip_b", "-o", "json"], env)
    aws_env = dict(env, **up["env"])
    moto = up["moto"]["endpoint"]
    region = aws_env.get("AWS_REGION") or aws_env.get("AWS_DEFAULT_REGION")
    work = pathlib.Path(state) / "work"
    work.mkdir()
    try:
        source = work / "source.jsonl"
        generate(source, args.items)
        run(["--local", "-o", "json", "seed", "--table", "bench_src", "--file", str(source), "--direct"], env)

        ours = {
            "export --direct (jsonl; local default 1 segment)": ["--direct"],
            "export --direct --segments 4": ["--direct", "--segments", "4"],
            "export --direct --format ddb-jsonl": ["--direct", "--format", "ddb-jsonl"],
            "export via the dispatcher (Lambda invoke)": [],
        }
        modes = {}
        for label, path in binaries:
            for name, extra in ours.items():
                modes[(label + ": " if label else "") + name] = (
                    lambda out, path=path, extra=extra: (
                        [path, "--local", "-q", "-o", "json", "export", "--table", "bench_src", "--file", out,
                         "--force"] + extra, None))
        modes.update({
            "aws dynamodb scan > file (AWS CLI)": lambda out: (
                ["aws", "dynamodb", "scan", "--table-name", "bench_src", "--endpoint-url", moto, "--output", "json"], out),
        })
        if args.dynein:
            modes["dy export (dynein)"] = lambda out: (
                # `--region local` would sign for region "local", where moto has no table:
                # the stack's region, and the endpoint from AWS_ENDPOINT_URL as aws-config reads it.
                [args.dynein, "--region", region, "export", "--table", "bench_src", "--format", "jsonl",
                 "--output-file", out], None)
        results = {name: [] for name in modes}
        for round_no in range(args.rounds):
            names = list(modes)
            names = names[round_no % len(names):] + names[:round_no % len(names)]
            for name in names:
                out = work / "out-{}.txt".format(abs(hash(name)))
                if out.exists():
                    out.unlink()
                cmd, stdout_path = modes[name](str(out))
                elapsed, rss, _ = timed(cmd, aws_env if "aws" in name or "dynein" in name else env, stdout_path)
                results[name].append((elapsed, rss))
                if round_no == 0 and "export" in name and "dy " not in name:
                    assert lines(out) == args.items, (name, lines(out))

        print("| {} items | items/s | time (s) | peak RSS (MB) |".format(args.items))
        print("|---|---|---|---|")
        for name, runs in results.items():
            t = median([r[0] for r in runs])
            rss = max(r[1] for r in runs)
            print("| {} | {:,.0f} | {:.1f} | {:.0f} |".format(name, args.items / t, t, rss))

        if args.no_round_trip:
            return
        # The round trip: seed -> export ddb-jsonl -> seed into another table.
        started = time.monotonic()
        run(["--local", "-o", "json", "seed", "--table", "trip_a", "--file", str(source)], env)
        seeded = time.monotonic()
        backup = work / "trip.ddb.jsonl.gz"
        run(["--local", "-o", "json", "export", "--table", "trip_a", "--file", str(backup)], env)
        exported = time.monotonic()
        summary = run(["--local", "-o", "json", "seed", "--table", "trip_b", "--file", str(backup)], env)
        done = time.monotonic()
        assert summary["written"] == args.items, summary
        print()
        print("round trip of {} items through the dispatcher: seed {:.1f} s + export (ddb-jsonl.gz) {:.1f} s + seed {:.1f} s = {:.1f} s"
              .format(args.items, seeded - started, exported - seeded, done - exported, done - started))
    finally:
        subprocess.run([str(common.CLI), "local", "down", "-q"], env=env, capture_output=True)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
