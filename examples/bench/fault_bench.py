#!/usr/bin/env python3
"""Load and fault figures of the local stack, through the local API gateway.

    python3 examples/bench/fault_bench.py [--clients 50] [--seconds 20] [--items 50000] [--debug | --binary PATH]

Starts a local stack on free ports in a temp state dir and a stack `load`
(auth iam: every request SigV4-signed by botocore, as boto3 signs, and
verified by the gateway), then:

  load     CLIENTS threads, each sending signed `create` events of its own
           keys for SECONDS: errors by status, p50/p99, and the items found
           afterwards by a Scan (lost writes: acknowledged but absent).
  worker   `seed` of ITEMS items through the gateway; one runtime worker is
           killed (SIGKILL) two seconds in. The seed must end with exactly
           the input set in the table.
  gateway  the same seed; the gateway is killed (SIGKILL) two seconds in.
           The seed stops (exit 6, checkpoint); `seed --resume` (which
           restarts the gateway on its port) must end with exactly the input
           set.

Prints a Markdown table; the README's figures come from it. --debug uses
target/debug (no release build), for a quick look.
"""

import argparse
import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import common
from common import REPO, run


def signed_post(url, body, credentials, region):
    """One SigV4-signed POST (botocore's signer, as boto3 signs)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest

    request = AWSRequest(method="POST", url=url, data=body, headers={"content-type": "application/json"})
    SigV4Auth(credentials, "execute-api", region).add_auth(request)
    prepared = urllib.request.Request(url, data=body, method="POST", headers=dict(request.headers))
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(prepared, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    except Exception:  # connection refused, reset, timeout
        status = 0
    return status, (time.perf_counter() - started) * 1000.0


def load(url, seconds, clients, table):
    from botocore.credentials import Credentials

    credentials = Credentials("test", "test")
    results = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n):
        mine = []
        i = 0
        while time.monotonic() < deadline:
            key = "c%02d-%06d" % (n, i)
            body = json.dumps({"operation": "create", "tableName": table, "payload": {"Item": {"id": key}}}).encode()
            status, ms = signed_post(url, body, credentials, "us-east-1")
            mine.append((key, status, ms))
            i += 1
        with lock:
            results.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def scan_ids(env, table):
    """Every id in `table`, read by boto3 (independent of our code)."""
    status = run(["local", "status", "-o", "json"], env, check=False)
    script = (
        "import boto3, json\n"
        "c = boto3.client('dynamodb', region_name='us-east-1')\n"
        "ids, kw = [], {'TableName': %r, 'ConsistentRead': True}\n"
        "while True:\n"
        "    page = c.scan(**kw)\n"
        "    ids += [i['id']['S'] for i in page['Items']]\n"
        "    if 'LastEvaluatedKey' not in page: break\n"
        "    kw['ExclusiveStartKey'] = page['LastEvaluatedKey']\n"
        "print(json.dumps(ids))\n" % table
    )
    out = subprocess.run(
        [status["python"], "-c", script],
        env=dict(env, AWS_ENDPOINT_URL=status["moto"]["endpoint"], AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test"),
        capture_output=True, text=True, check=True,
    )
    return set(json.loads(out.stdout))


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def seed_with_a_kill(env, state, table, items, victim):
    """Seeds `items` items through the gateway, SIGKILLs `victim` ("worker"
    or "gateway") two seconds in, resumes if the seed stopped; returns
    (first exit code, resumed exit code or None, ids in the table == input)."""
    data = pathlib.Path(state) / ("%s.jsonl" % table)
    with open(data, "w") as f:
        for i in range(items):
            f.write('{"id":"%s-%d","n":%d}\n' % (table, i, i))
    seed = [str(common.CLI), "--local", "--stack", "load", "--via", "api", "-o", "json", "seed", "-t", table, "--file", str(data)]
    child = subprocess.Popen(seed, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=state)
    time.sleep(2.0)
    status = run(["local", "status", "-o", "json"], env, check=False)
    pid = status["gateway"]["pid"] if victim == "gateway" else worker_pid(state)
    os.kill(pid, signal.SIGKILL)
    child.communicate()
    first = child.returncode
    resumed = None
    if first != 0:
        out = subprocess.run(seed + ["--resume"], env=env, capture_output=True, text=True, cwd=state)
        resumed = out.returncode
    expected = {"%s-%d" % (table, i) for i in range(items)}
    return first, resumed, scan_ids(env, table) == expected


def worker_pid(state):
    """A runtime worker of the stack's function `scrud-load`."""
    script = os.path.join(state, "local", "runtime_worker.py")
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/environ" % pid, "rb") as f:
                environ = f.read()
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        if script.encode() in cmdline and b"AWS_LAMBDA_FUNCTION_NAME=scrud-load\0" in environ:
            return int(pid)
    sys.exit("no worker of scrud-load found")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--items", type=int, default=50000)
    parser.add_argument("--debug", action="store_true")
    parser.add_argument("--binary", help="a built serverless-crud (no build)")
    args = parser.parse_args()

    if args.binary:
        common.CLI = pathlib.Path(args.binary).resolve()
    elif args.debug:
        common.CLI = REPO / "target" / "debug" / "serverless-crud"
        subprocess.run(["cargo", "build", "-q"], cwd=REPO, check=True)
    else:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    state = tempfile.mkdtemp(prefix="scrud-faultbench-")
    env = dict(os.environ, SERVERLESS_CRUD_STATE_DIR=state, NO_COLOR="1")
    env.pop("SERVERLESS_CRUD_OUTPUT", None)
    tables = ["load_t", "fault_worker", "fault_gateway"]
    run(["local", "up", "--moto-port", "0", "--lambda-port", "0", "--gateway-port", "0", "-o", "json"], env)
    try:
        setup = ["--local", "--stack", "load", "-o", "json", "setup", "--local-workers", "4"]
        for t in tables:
            setup += ["--table", t]
        url = run(setup, env)["localInvokeUrl"]
        results = load(url, args.seconds, args.clients, "load_t")
        ok = [r for r in results if r[1] == 200]
        errors = {}
        for _, status, _ in results:
            if status != 200:
                errors[status] = errors.get(status, 0) + 1
        stored = scan_ids(env, "load_t")
        lost = sum(1 for key, _, _ in ok if key not in stored)
        latencies = [ms for _, _, ms in results]
        worker = seed_with_a_kill(env, state, "fault_worker", args.items, "worker")
        gateway = seed_with_a_kill(env, state, "fault_gateway", args.items, "gateway")
    finally:
        run(["local", "down"], env, check=False)

    print("| figure | value |")
    print("|---|---|")
    print("| load: %d signed clients for %d s, requests | %d (%.0f/s) |" % (args.clients, args.seconds, len(results), len(results) / args.seconds))
    print("| load: errors by status | %s |" % (json.dumps(errors) if errors else "none"))
    print("| load: lost writes (acknowledged, not in the table) | %d |" % lost)
    print("| load: p50 / p99 | %.1f / %.1f ms |" % (percentile(latencies, 0.5), percentile(latencies, 0.99)))
    for name, (first, resumed, exact) in (("worker killed mid-seed", worker), ("gateway killed mid-seed", gateway)):
        print("| %s (%d items): exit, resume exit, exact set | %s, %s, %s |" % (
            name, args.items, first, "-" if resumed is None else resumed, "yes" if exact else "NO"))


main()
