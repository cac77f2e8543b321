"""What the benchmark scripts share: the release binary and running it."""

import json
import pathlib
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[2]
CLI = REPO / "target" / "release" / "serverless-crud"


def run(args, env, check=True):
    """Runs the CLI; exits the benchmark on failure (unless check=False);
    returns its JSON output, or None when it printed nothing."""
    out = subprocess.run([str(CLI)] + args, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
    if check and out.returncode != 0:
        sys.exit("failed ({}): {}\n{}".format(out.returncode, " ".join(args), out.stderr[-2000:]))
    return json.loads(out.stdout) if out.stdout.strip() else None


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def median(values):
    return sorted(values)[len(values) // 2]
