#!/usr/bin/env python3
"""Single-command benchmark: whole-process time of ping/create/read, both transports, against the AWS CLI.

    python3 examples/bench/speed_bench.py [--runs 40] [--binary NAME=PATH ...]

Starts a local stack on free ports (in a temp state dir, with the first binary), sets up a stack
`bench` with table `users`, then times each command as a whole process (fork to exit, median and
p90 of --runs, interleaved so drift hits every row alike):
  serverless-crud --local [--via lambda] ping | create | read     (every --binary given; default: target/release)
  aws lambda invoke (the same events)  and  aws dynamodb put-item / get-item   (AWS CLI, same endpoints)
  true, and `serverless-crud --version` (process start alone)
Several --binary (say before=OLD after=NEW) compare builds on the same stack in one run.
Prints a Markdown table; the README's figures come from it.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from common import CLI


def timed_runs(cmd, env, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        out = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tempfile.gettempdir())
        times.append((time.perf_counter() - started) * 1000)
        if out.returncode != 0:
            sys.exit("failed ({}): {}\n{}".format(out.returncode, " ".join(cmd), out.stderr.decode()[-2000:]))
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--binary", action="append", default=[], help="NAME=PATH (repeatable)")
    args = parser.parse_args()
    binaries = [b.split("=", 1) for b in args.binary] or [["serverless-crud", str(CLI)]]
    first = binaries[0][1]

    state = tempfile.mkdtemp(prefix="scrud-speedbench-")
    env = dict(os.environ, SERVERLESS_CRUD_STATE_DIR=state, NO_COLOR="1")
    env.pop("SERVERLESS_CRUD_OUTPUT", None)
    try:
        up = subprocess.run([first, "local", "up", "--moto-port", "0", "--lambda-port", "0", "--gateway-port", "0",
                             "--table", "users", "-o", "json"], env=env, capture_output=True, text=True, check=True)
        aws_env = dict(env, **json.loads(up.stdout)["env"])
        subprocess.run([first, "--local", "setup", "--stack", "bench", "--table", "users", "-o", "json"],
                       env=env, capture_output=True, check=True)
        item = '{"id":"1","name":"Ana"}'
        event = json.dumps({"operation": "create", "tableName": "users", "payload": {"Item": json.loads(item)}})
        read_event = json.dumps({"operation": "read", "tableName": "users", "payload": {"Key": {"id": "1"}}})
        out = os.path.join(state, "invoke.out")
        # The emulator knows a stack function by its route (the local stack's record).
        with open(os.path.join(state, "local", "state.json")) as f:
            local = json.load(f)
        function = next(f["route"] for f in local["functions"] if f["name"] == "scrud-bench")
        rows = [("true", ["true"])]
        for name, path in binaries:
            label = "" if len(binaries) == 1 else " ({})".format(name)
            rows.append(("`--version`{}".format(label), [path, "--version"]))
            for transport, via in (("gateway", []), ("lambda", ["--via", "lambda"])):
                base = [path, "--local", "--stack", "bench"] + via
                rows += [
                    ("ping, {}{}".format(transport, label), base + ["ping"]),
                    ("create, {}{}".format(transport, label), base + ["create", "--table", "users", "--item", item]),
                    ("read, {}{}".format(transport, label), base + ["read", "--table", "users", "--key", "id=1"]),
                ]
            rows.append(("ping, default function URL{}".format(label), [path, "--local", "ping"]))
        aws = shutil.which("aws")
        if aws:
            # AWS CLI 1.x takes --payload as text (2.x needs --cli-binary-format raw-in-base64-out).
            v2 = subprocess.run([aws, "--version"], capture_output=True, text=True).stdout.startswith("aws-cli/2")
            invoke = [aws, "lambda", "invoke", "--function-name", function]
            invoke += ["--cli-binary-format", "raw-in-base64-out"] if v2 else []
            rows += [
                ("`aws lambda invoke` ping", invoke + ["--payload", '{"operation":"ping"}', out]),
                ("`aws lambda invoke` create", invoke + ["--payload", event, out]),
                ("`aws lambda invoke` read", invoke + ["--payload", read_event, out]),
                ("`aws dynamodb put-item`", [aws, "dynamodb", "put-item", "--table-name", "users", "--item",
                                             '{"id":{"S":"1"},"name":{"S":"Ana"}}']),
                ("`aws dynamodb get-item`", [aws, "dynamodb", "get-item", "--table-name", "users", "--key",
                                             '{"id":{"S":"1"}}']),
            ]
        results = {name: [] for name, _ in rows}
        # Interleaved: a few runs of every row per pass.
        passes = max(1, args.runs // 5)
        for _ in range(passes):
            for name, cmd in rows:
                use = aws_env if cmd[0] == aws else env
                runs = 1 if cmd[0] == aws else args.runs // passes
                results[name] += timed_runs(cmd, use, runs)
        print("| command (whole process) | median ms | p90 ms |")
        print("|---|---:|---:|")
        for name, _ in rows:
            t = sorted(results[name])
            print("| {} | {:.1f} | {:.1f} |".format(name, t[len(t) // 2], t[int(0.9 * len(t))]))
    finally:
        subprocess.run([first, "local", "down", "-q"], env=env, capture_output=True)
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    main()
