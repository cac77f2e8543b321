#!/usr/bin/env python3
"""Routes benchmark: one item read through each API shape on the local gateway.

    python3 examples/bench/routes_bench.py [--requests 1000] [--rounds 5] [--binary PATH]

Starts a local stack on free ports in a temp state dir and two stacks with
`--routes rest --auth none --allow-public` (no signing, throttling far above the load: the
figures are the shapes' own cost): one on a REST API, one on an HTTP API.
One keep-alive HTTP connection per measure, interleaved rounds, medians of
each round's p50/p99:
  REST route    GET /items/{table}/{id}
  REST crud     POST /crud {"operation": "read", ...}
  HTTP route    the same route on the HTTP API (payload 2.0)
  HTTP crud     POST /crud on the HTTP API
  invoke        the same read event by the emulator's Invoke API (no gateway)
Prints a Markdown table; the README's figures come from it.
"""

import argparse
import http.client
import json
import os
import subprocess
import tempfile
import time
import urllib.parse

import common
from common import REPO, median, percentile, run


class Client:
    """One keep-alive connection to `url`'s host."""

    def __init__(self, url):
        parts = urllib.parse.urlsplit(url)
        self.prefix = parts.path.rstrip("/")
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        headers = {"content-type": "application/json"} if data else {}
        self.conn.request(method, self.prefix + path, body=data, headers=headers)
        response = self.conn.getresponse()
        text = response.read()
        assert response.status == 200, (response.status, text[:300])
        return text


def measure(client, method, path, body, n):
    # A few unmeasured requests: the connection and the worker warm.
    for _ in range(5):
        client.call(method, path, body)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        client.call(method, path, body)
        times.append((time.perf_counter() - start) * 1000)
    return percentile(times, 0.5), percentile(times, 0.99)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--binary", help="a built serverless-crud (default: build the release binary)")
    args = parser.parse_args()
    if args.binary:
        common.CLI = os.path.abspath(args.binary)
    else:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=REPO, check=True)
    state = tempfile.mkdtemp(prefix="scrud-routebench-")
    env = dict(os.environ, SERVERLESS_CRUD_STATE_DIR=state, NO_COLOR="1")
    env.pop("SERVERLESS_CRUD_OUTPUT", None)
    run(["local", "up", "--moto-port", "0", "--lambda-port", "0", "--gateway-port", "0", "-o", "json"], env)
    try:
        bases = {}
        for kind in ("rest", "http"):
            out = run(["--local", "--stack", "rb" + kind, "-o", "json", "setup", "--table", "rb_" + kind,
                       "--api", kind, "--routes", "rest", "--auth", "none", "--allow-public",
                       "--rate", "10000", "--burst", "5000"], env)
            bases[kind] = out["localBaseUrl"]
            run(["--local", "--stack", "rb" + kind, "-o", "json", "create", "-t", "rb_" + kind,
                 "--item", '{"id":"k1","name":"Ana","n":1}'], env)
        local = json.load(open(os.path.join(state, "local", "state.json")))
        lam = local["lambda"]["endpoint"]
        # The emulator knows a stack's function by its route name (fn-NN).
        route = next(f["route"] for f in local["functions"] if f["name"] == "scrud-rbrest")
        read = lambda kind: {"operation": "read", "tableName": "rb_" + kind, "payload": {"Key": {"id": "k1"}}}
        measures = {
            "REST route": (bases["rest"], "GET", "/items/rb_rest/k1", None),
            "REST crud": (bases["rest"], "POST", "/crud", read("rest")),
            "HTTP route": (bases["http"], "GET", "/items/rb_http/k1", None),
            "HTTP crud": (bases["http"], "POST", "/crud", read("http")),
            "invoke": (lam, "POST", "/2015-03-31/functions/%s/invocations" % route, read("rest")),
        }
        results = {name: [] for name in measures}
        names = list(measures)
        for r in range(args.rounds):
            for name in names[r % len(names):] + names[:r % len(names)]:
                base, method, path, body = measures[name]
                results[name].append(measure(Client(base), method, path, body, args.requests))
    finally:
        run(["local", "down"], env, check=False)

    print("| read of one item | p50 ms | p99 ms |")
    print("|---|---:|---:|")
    labels = {
        "REST route": "REST API, `GET /items/{table}/{id}`",
        "REST crud": "REST API, `POST /crud` read event",
        "HTTP route": "HTTP API, `GET /items/{table}/{id}`",
        "HTTP crud": "HTTP API, `POST /crud` read event",
        "invoke": "direct invoke (emulator), read event",
    }
    for name in names:
        p50 = median([p for p, _ in results[name]])
        p99 = median([p for _, p in results[name]])
        print("| %s | %.2f | %.2f |" % (labels[name], p50, p99))
    print()
    print("%d requests x %d rounds per measure, one keep-alive connection each" % (args.requests, args.rounds))


if __name__ == "__main__":
    main()
