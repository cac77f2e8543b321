#!/usr/bin/env python3
"""Auth benchmark: the local gateway's cost of each auth mode, one run.

    python3 examples/bench/auth_bench.py [--requests 1000] [--rounds 5] [--binary PATH]

Starts a local stack on free ports in a temp state dir and one stack per
mode (`POST /crud` ping, throttling far above the load), then pings each
over one keep-alive connection, interleaved rounds, medians of each round's
p50/p99 (the client's signing is done before the clock starts):
  none        REST, --auth none
  iam         REST, --auth iam (SigV4 verified by the gateway)
  api-key     REST, --auth api-key (key and usage plan checked, metered)
  lambda hit  REST, --auth lambda, TTL 300: the authorizer's cached answer
  lambda ttl0 REST, --auth lambda --authorizer-ttl 0: one authorizer invocation per call
  http none   HTTP API, --auth none
  http jwt    HTTP API, --auth jwt (local issuer; JWKS cached, RS256 verified)
Prints a Markdown table with each mode's overhead over its API's `none`.
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

PING = json.dumps({"operation": "ping"}).encode()


def sigv4_headers(url, body):
    # botocore signs as the CLI does (service execute-api, the local credentials).
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    request = AWSRequest(method="POST", url=url, data=body, headers={"content-type": "application/json"})
    SigV4Auth(Credentials("test", "test"), "execute-api", "us-east-1").add_auth(request)
    return dict(request.headers.items())


def measure(url, headers_for, n):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    times = []
    for i in range(n + 5):
        headers = headers_for()
        start = time.perf_counter()
        conn.request("POST", parts.path, body=PING, headers=headers)
        response = conn.getresponse()
        text = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status == 200 and b"pong" in text, (response.status, text[:300])
        if i >= 5:  # the first few warm the connection and the workers
            times.append(elapsed)
    conn.close()
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
    state = tempfile.mkdtemp(prefix="scrud-authbench-")
    env = dict(os.environ, SERVERLESS_CRUD_STATE_DIR=state, NO_COLOR="1")
    env.pop("SERVERLESS_CRUD_OUTPUT", None)
    run(["local", "up", "--moto-port", "0", "--lambda-port", "0", "--gateway-port", "0", "-o", "json"], env)
    authorizer = os.path.join(REPO, "examples", "authorizers", "token.py")
    stacks = {
        "none": ["--auth", "none", "--allow-public"],
        "iam": ["--auth", "iam"],
        "api-key": ["--auth", "api-key"],
        "lambda hit": ["--auth", "lambda", "--authorizer", authorizer],
        "lambda ttl0": ["--auth", "lambda", "--authorizer", authorizer, "--authorizer-ttl", "0"],
        "http none": ["--api", "http", "--auth", "none", "--allow-public"],
        "http jwt": ["--api", "http", "--auth", "jwt"],
    }
    try:
        urls, keys = {}, {}
        for i, (name, flags) in enumerate(stacks.items()):
            stack = "ab%d" % i
            out = run(["--local", "--stack", stack, "-o", "json", "setup", "--table", "ab_t%d" % i,
                       "--rate", "10000", "--burst", "5000"] + flags, env)
            urls[name] = out["localInvokeUrl"]
            if name == "api-key":
                status = run(["--local", "--stack", stack, "-o", "json", "status", "--show-api-key"], env)
                keys[name] = status["apiKey"]
        token = subprocess.run([common.CLI, "--local", "local", "token", "--expires-in", "2h"], env=env,
                               check=True, capture_output=True, text=True).stdout.strip()
        bearer = lambda t: (lambda: {"content-type": "application/json", "authorization": "Bearer " + t})
        headers = {
            "none": lambda: {"content-type": "application/json"},
            "iam": lambda: sigv4_headers(urls["iam"], PING),
            "api-key": lambda: {"content-type": "application/json", "x-api-key": keys["api-key"]},
            "lambda hit": bearer("workshop-allow"),
            "lambda ttl0": bearer("workshop-allow"),
            "http none": lambda: {"content-type": "application/json"},
            "http jwt": bearer(token),
        }
        results = {name: [] for name in stacks}
        names = list(stacks)
        for r in range(args.rounds):
            for name in names[r % len(names):] + names[:r % len(names)]:
                results[name].append(measure(urls[name], headers[name], args.requests))
    finally:
        run(["local", "down"], env, check=False)

    p50 = {name: median([p for p, _ in results[name]]) for name in names}
    p99 = {name: median([p for _, p in results[name]]) for name in names}
    print("| ping through the local gateway | p50 ms | p99 ms | p50 over `none` |")
    print("|---|---:|---:|---:|")
    for name in names:
        base = "http none" if name.startswith("http") else "none"
        over = "-" if name == base else "%+.2f" % (p50[name] - p50[base])
        print("| %s | %.2f | %.2f | %s |" % (name, p50[name], p99[name], over))
    print()
    print("%d pings x %d rounds per mode, one keep-alive connection each" % (args.requests, args.rounds))


if __name__ == "__main__":
    main()
