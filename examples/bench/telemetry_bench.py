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
  cpu      where the cost lands: CPU time of each local-stack process (from
           /proc/PID/stat) and of the CLI, per 1,000 pings through the gateway,
           telemetry on vs off: the gateway's own batching and sending, the
           workers', and moto's ingest are told apart.
Prints Markdown tables; the README's figures come from them.
"""

import argparse
import json
import os
import pathlib
import subprocess
import tempfile
import time

from common import CLI, REPO, run



TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of a live process (seconds), 0 when it is gone."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except OSError:
        return 0.0


def stack_processes(state):
    """The local stack's processes by part, from its state file."""
    local = json.load(open(pathlib.Path(state) / "local" / "state.json"))
    parts = {"gateway": [local["gateway"]["pid"]], "moto": [local["moto"]["pid"]],
             "lambda emulator": [local["lambda"]["pid"]], "workers": []}
    for function in local["functions"]:
        parts["workers"] += function["workers"]
    return parts


def cpu_run(cmd, env, parts):
    """Runs the CLI; returns CPU seconds per part (the CLI's own as "cli"),
    and the wall time."""
    before = {part: sum(cpu_seconds(p) for p in pids) for part, pids in parts.items()}
    started = time.monotonic()
    child = subprocess.Popen([str(CLI)] + cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    assert status == 0, cmd
    wall = time.monotonic() - started
    # What the background senders do with this run's telemetry lands in
    # their next batch: wait for it (the flush is every 2 s).
    time.sleep(4.5)
    after = {part: sum(cpu_seconds(p) for p in pids) for part, pids in parts.items()}
    used = {part: after[part] - before[part] for part in parts}
    used["cli"] = usage.ru_utime + usage.ru_stime
    return used, wall


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pings", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--items", type=int, default=20000)
    parser.add_argument("--cpu-pings", type=int, default=5000)
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
        # Where the cost lands: CPU per process, 1,000s of pings through the gateway.
        cpu = {m: [] for m in envs}
        for r in range(args.rounds):
            for mode in (["on", "off"] if r % 2 == 0 else ["off", "on"]):
                env = envs[mode]
                parts = stack_processes(env["SERVERLESS_CRUD_STATE_DIR"])
                cmd = ["--local", "--stack", "bench", "--via", "api", "-o", "json", "ping", "--count",
                       str(args.cpu_pings)]
                cpu[mode].append(cpu_run(cmd, env, parts))
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
    print()
    print("| CPU ms per 1,000 pings through the gateway | telemetry on | telemetry off | on - off |")
    print("|---|---:|---:|---:|")
    per = 1000.0 / args.cpu_pings
    for part in ("cli", "gateway", "lambda emulator", "workers", "moto"):
        on = median([used[part] for used, _ in cpu["on"]]) * 1000 * per
        off = median([used[part] for used, _ in cpu["off"]]) * 1000 * per
        print("| %s | %.0f | %.0f | %+.0f |" % (part, on, off, on - off))
    on = median([sum(used.values()) for used, _ in cpu["on"]]) * 1000 * per
    off = median([sum(used.values()) for used, _ in cpu["off"]]) * 1000 * per
    print("| all | %.0f | %.0f | %+.0f |" % (on, off, on - off))
    on = median([wall for _, wall in cpu["on"]]) * 1000 * per
    off = median([wall for _, wall in cpu["off"]]) * 1000 * per
    print("| wall ms per 1,000 pings | %.0f | %.0f | %+.0f |" % (on, off, on - off))
    print()
    print("%d rounds of %d pings per mode; each process's CPU from /proc/PID/stat, read 4.5 s after the"
          " pings so the next telemetry batch is counted" % (args.rounds, args.cpu_pings))


if __name__ == "__main__":
    main()
