"""A Lambda custom-runtime loop for the local stack (what a `bootstrap` does).

    GET  {api}/2018-06-01/runtime/invocation/next
    -> handler(event, context)
    POST {api}/2018-06-01/runtime/invocation/{id}/response   (or /error)

awslambdaric's own client refuses a path in AWS_LAMBDA_RUNTIME_API, and
cargo-lambda serves named functions under /.rt/NAME, so the loop is ours. Its
marshaller is used when installed so events and results are (de)serialised
exactly as on AWS: events parsed with floats, Decimals written exactly.

Environment:
    AWS_LAMBDA_RUNTIME_API  host:port/.rt/NAME
    SCRUD_HANDLER_FILE      path of the Python file holding the handler
    SCRUD_HANDLER           handler function name (default lambda_handler)
    SCRUD_INTEGRATION       "proxy" (default) or "non-proxy": emulate an API
                            Gateway non-proxy integration for function-URL
                            requests (pass the body as the event, wrap the
                            result as a 200 body, errors as a 200 error body)
    SCRUD_TELEMETRY         "off" disables what Lambda emits (below)
    SCRUD_FUNCTION_URL      "off": the function has no function URL (a stack
                            function: on AWS only `setup`'s API reaches it), so
                            the emulator's URL answers as AWS answers a URL that
                            does not exist: 403 {"Message":null}
    SCRUD_BUSY_DIR          where the worker records the invocation it runs
                            (file named by its pid), so that if it dies
                            mid-invocation the local gateway fails that
                            invocation at once with Runtime.ExitError, as Lambda
                            does (src/gateway/watch.rs)

As Lambda does, a reply over 6291556 bytes becomes the function error
Function.ResponseSizeTooLarge, and a handler that exits (sys.exit) fails its
invocation with Runtime.ExitError (the next one starts a fresh runtime).

What Lambda emits, the worker emits into the local AWS (moto), batched on a
background thread so no invocation waits for it:
    logs     /aws/lambda/<function>, stream YYYY/MM/DD/[VERSION]<worker id>:
             START, the handler's own output, END, REPORT (Init Duration on
             the first invocation)
    metrics  AWS/Lambda, dimension FunctionName: Invocations, Errors,
             Duration, ConcurrentExecutions
A request id passed by the caller in the client context
({"custom": {"requestId": ...}}) is used as the invocation's request id, so
the local gateway and the CLI know it (AWS returns its own in a header).
"""

import base64
import contextlib
import http.client
import importlib.util
import io
import json
import math
import os
import queue
import resource
import sys
import threading
import time
import traceback
import uuid

try:
    from awslambdaric.lambda_runtime_marshaller import LambdaMarshaller

    _marshaller = LambdaMarshaller()

    def unmarshal(body):
        return _marshaller.unmarshal_request(body)

    def marshal(result):
        return _marshaller.marshal_response(result)[0]

except ImportError:  # plain json: same float parsing, Decimals as text
    import decimal

    def unmarshal(body):
        return json.loads(body)

    def marshal(result):
        return json.dumps(result, default=lambda o: str(o) if isinstance(o, decimal.Decimal) else None)


ORPHAN_AFTER_SECONDS = 30
FLUSH_SECONDS = 2.0
# Lambda's synchronous response limit (6 MiB + 100 bytes), and its error for
# a reply over it (LocalStack's AWS snapshot test_lambda.snapshot.json,
# TestLambdaBaseFeatures::test_lambda_too_large_response).
MAX_RESPONSE_BYTES = 6 * 1024 * 1024 + 100
TOO_LARGE = json.dumps(
    {
        "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes).",
        "errorType": "Function.ResponseSizeTooLarge",
    },
    separators=(",", ":"),
)
# What AWS answers for a function URL that does not exist (LocalStack's
# validated test_lambda.py::TestLambdaURL::test_lambda_url_non_existing_url).
NO_FUNCTION_URL = {
    "statusCode": 403,
    "headers": {"Content-Type": "application/json", "x-amzn-ErrorType": "AccessDeniedException"},
    "body": '{"Message":null}',
    "isBase64Encoded": False,
    "cookies": [],
}


class Context:
    def __init__(self, request_id, deadline_ms, arn):
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "_")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = "/aws/lambda/" + self.function_name
        self.log_stream_name = "local"
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


def deadline_ms(header):
    """The invocation's deadline (epoch ms). AWS sends it; cargo-lambda's
    emulator sends a constant (600000) instead, so below a plausible epoch
    the deadline is now + the function's timeout."""
    value = int(header or 0)
    if value > 10**12:
        return value
    timeout = int(os.environ.get("AWS_LAMBDA_FUNCTION_TIMEOUT", "30"))
    return int(time.time() * 1000) + timeout * 1000


def load_handler():
    path = os.environ["SCRUD_HANDLER_FILE"]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    spec = importlib.util.spec_from_file_location("lambda_function", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, os.environ.get("SCRUD_HANDLER", "lambda_handler"))


def error_body(exc):
    return json.dumps(
        {
            "errorMessage": str(exc),
            "errorType": type(exc).__name__,
            "stackTrace": traceback.format_tb(exc.__traceback__),
        }
    )


def exit_error(request_id, code):
    """Lambda's error for a runtime that exited mid-invocation."""
    if code in (None, 0):
        reason = "Runtime exited without providing a reason"
    else:
        reason = "Runtime exited with error: exit status {}".format(code if isinstance(code, int) else 1)
    return json.dumps({"errorType": "Runtime.ExitError", "errorMessage": "RequestId: {} Error: {}".format(request_id, reason)})


class Busy:
    """The invocation this worker runs, in SCRUD_BUSY_DIR/PID: the file is
    opened once and rewritten in place (one pwrite and one ftruncate per
    invocation, no new files on the invocation's path); empty when idle."""

    def __init__(self, runtime_api):
        self.fd = None
        self.runtime_api = runtime_api
        directory = os.environ.get("SCRUD_BUSY_DIR")
        if directory:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            path = os.path.join(directory, str(os.getpid()))
            self.fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)

    def start(self, invocation_id, request_id):
        if self.fd is not None:
            record = json.dumps({"requestId": request_id, "invocationId": invocation_id, "runtimeApi": self.runtime_api}).encode()
            os.pwrite(self.fd, record, 0)
            os.ftruncate(self.fd, len(record))

    def done(self):
        if self.fd is not None:
            os.ftruncate(self.fd, 0)


def is_function_url_event(event):
    """A request through the emulator's function URL: a 2.0 event without
    an apiId (cargo-lambda's trigger_router sends none). The local
    gateway's HTTP API events, 2.0 too, always name their API."""
    if not (isinstance(event, dict) and event.get("version") == "2.0"):
        return False
    context = event.get("requestContext")
    return isinstance(context, dict) and not context.get("apiId")


def invoke_non_proxy(handler, event, context):
    """What API Gateway does for a non-proxy (custom) Lambda integration."""
    try:
        result = marshal(handler(unmarshal(event.get("body") or "null"), context))
    except Exception as exc:  # noqa: BLE001 - API Gateway answers 200 with the error body
        result = error_body(exc)
    headers = {"Content-Type": "application/json"}
    return {"statusCode": 200, "headers": headers, "body": result, "cookies": []}


class RuntimeApi:
    def __init__(self, api):
        hostport, _, prefix = api.partition("/")
        self.hostport = hostport
        self.prefix = "/" + prefix if prefix else ""
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        failing_since = None
        for attempt in range(1000000):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.hostport, timeout=None)
                self.conn.request(method, self.prefix + path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                return response, response.read()
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                # The emulator is gone for good (stack stopped): do not linger.
                failing_since = failing_since or time.monotonic()
                if time.monotonic() - failing_since > ORPHAN_AFTER_SECONDS:
                    sys.stderr.write("runtime API unreachable for %ds: exiting\n" % ORPHAN_AFTER_SECONDS)
                    sys.exit(0)
                time.sleep(min(1.0, 0.05 * (attempt + 1)))

    def next(self):
        while True:
            response, body = self.request("GET", "/2018-06-01/runtime/invocation/next")
            request_id = response.getheader("Lambda-Runtime-Aws-Request-Id")
            if response.status == 200 and request_id:
                deadline = deadline_ms(response.getheader("Lambda-Runtime-Deadline-Ms"))
                arn = response.getheader("Lambda-Runtime-Invoked-Function-Arn") or ""
                context = Context(caller_request_id(response) or request_id, deadline, arn)
                return request_id, body, context
            time.sleep(0.05)

    def respond(self, request_id, body):
        self.request("POST", "/2018-06-01/runtime/invocation/{}/response".format(request_id), body)

    def fail(self, request_id, body):
        headers = {"Lambda-Runtime-Function-Error-Type": "Unhandled"}
        self.request("POST", "/2018-06-01/runtime/invocation/{}/error".format(request_id), body, headers)


def caller_request_id(response):
    """The request id a caller chose, from the (base64) client context."""
    raw = response.getheader("Lambda-Runtime-Client-Context")
    if not raw:
        return None
    try:
        custom = json.loads(base64.b64decode(raw)).get("custom") or {}
        value = custom.get("requestId")
        return value if isinstance(value, str) and 0 < len(value) <= 64 else None
    except (ValueError, AttributeError):
        return None


def aggregate(metrics):
    """A flush's datapoints as one statistic set per metric (SampleCount, Sum,
    Minimum, Maximum: sums stay exact), as AWS aggregates them; a fraction of
    the work for moto and for this process."""
    sets = {}
    for datum in metrics:
        key = (datum["MetricName"], datum["Unit"])
        value = datum["Value"]
        if key in sets:
            s = sets[key]
            s["SampleCount"] += 1
            s["Sum"] += value
            s["Minimum"] = min(s["Minimum"], value)
            s["Maximum"] = max(s["Maximum"], value)
        else:
            sets[key] = {"SampleCount": 1, "Sum": value, "Minimum": value, "Maximum": value}
    dims = metrics[0]["Dimensions"]
    now = time.time()
    return [
        {"MetricName": name, "Dimensions": dims, "Timestamp": now, "StatisticValues": stats, "Unit": unit}
        for (name, unit), stats in sets.items()
    ]


class Telemetry:
    """Log lines and metrics for the local CloudWatch, sent in batches by a
    background thread (every 2 s), never on the invocation's path."""

    def __init__(self, function):
        self.function = function
        self.group = "/aws/lambda/" + function
        self.stream = "{}/[{}]{}".format(
            time.strftime("%Y/%m/%d", time.gmtime()), os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"), uuid.uuid4().hex
        )
        self.queue = queue.Queue()
        self.enabled = os.environ.get("SCRUD_TELEMETRY", "on") != "off"
        self.logs = self.metrics = None
        if self.enabled:
            threading.Thread(target=self.run, daemon=True).start()

    def lines(self, lines):
        if self.enabled:
            now = int(time.time() * 1000)
            for line in lines:
                self.queue.put(("log", {"timestamp": now, "message": line}))

    def datum(self, name, value, unit):
        if self.enabled:
            self.queue.put(("metric", {
                "MetricName": name,
                "Dimensions": [{"Name": "FunctionName", "Value": self.function}],
                "Timestamp": time.time(),
                "Value": value,
                "Unit": unit,
            }))

    def run(self):
        while True:
            time.sleep(FLUSH_SECONDS)
            self.flush()

    def flush(self):
        logs, metrics = [], []
        while True:
            try:
                kind, item = self.queue.get_nowait()
            except queue.Empty:
                break
            (logs if kind == "log" else metrics).append(item)
        try:
            if logs:
                self.put_logs(logs)
            if metrics:
                self.client("cloudwatch").put_metric_data(Namespace="AWS/Lambda", MetricData=aggregate(metrics))
        except Exception as exc:  # noqa: BLE001 - telemetry must never stop the function
            sys.stderr.write("telemetry: {}\n".format(exc))

    def client(self, name):
        attr = "logs" if name == "logs" else "metrics"
        if getattr(self, attr) is None:
            import boto3

            setattr(self, attr, boto3.client(name))
        return getattr(self, attr)

    def put_logs(self, events):
        logs = self.client("logs")
        try:
            logs.put_log_events(logGroupName=self.group, logStreamName=self.stream, logEvents=events)
        except logs.exceptions.ResourceNotFoundException:
            # The default function has no setup to create its group; a stack's
            # group is setup's (on AWS the role may not create it either).
            if self.function == "crud":
                try:
                    logs.create_log_group(logGroupName=self.group)
                except logs.exceptions.ResourceAlreadyExistsException:
                    pass
            try:
                logs.create_log_stream(logGroupName=self.group, logStreamName=self.stream)
            except logs.exceptions.ResourceAlreadyExistsException:
                pass
            except logs.exceptions.ResourceNotFoundException:
                return  # the group is gone (torn down): as on AWS, nothing is kept
            logs.put_log_events(logGroupName=self.group, logStreamName=self.stream, logEvents=events)


class Tee(io.TextIOBase):
    """The handler's output: kept for the log lines, and still written to the
    worker's own log file."""

    def __init__(self, original):
        self.original = original
        self.buffer = []

    def write(self, text):
        self.buffer.append(text)
        self.original.write(text)
        return len(text)

    def flush(self):
        self.original.flush()

    def take(self):
        text = "".join(self.buffer)
        self.buffer = []
        return [line for line in text.splitlines() if line.strip()]


def run_invocation(handler, body, context, non_proxy, url_enabled):
    """(failed, reply, exited): the handler's result, or its error."""
    try:
        event = unmarshal(body)
        if not url_enabled and is_function_url_event(event):
            return False, marshal(NO_FUNCTION_URL), False
        if non_proxy and is_function_url_event(event):
            result = invoke_non_proxy(handler, event, context)
        else:
            result = handler(event, context)
        reply = marshal(result)
    except SystemExit as exc:  # the runtime exits: Lambda reports Runtime.ExitError
        return True, exit_error(context.aws_request_id, exc.code), True
    except Exception as exc:  # noqa: BLE001 - reported to the caller as a FunctionError
        print(json.dumps({"errorMessage": str(exc), "errorType": type(exc).__name__}))
        return True, error_body(exc), False
    size = len(reply.encode() if isinstance(reply, str) else reply)
    if size > MAX_RESPONSE_BYTES:
        return True, TOO_LARGE, False
    return False, reply, False


def main():
    runtime_api = os.environ["AWS_LAMBDA_RUNTIME_API"]
    runtime = RuntimeApi(runtime_api)
    init_started = time.perf_counter()
    handler = load_handler()
    init_ms = (time.perf_counter() - init_started) * 1000
    non_proxy = os.environ.get("SCRUD_INTEGRATION") == "non-proxy"
    url_enabled = os.environ.get("SCRUD_FUNCTION_URL", "on") != "off"
    function = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "_")
    memory = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
    telemetry = Telemetry(function)
    busy = Busy(runtime_api)
    output = Tee(sys.stdout)
    sys.stderr.write("runtime worker ready\n")
    sys.stderr.flush()
    first = True
    while True:
        request_id, body, context = runtime.next()
        busy.start(request_id, context.aws_request_id)
        started = time.perf_counter()
        with contextlib.redirect_stdout(output):
            failed, reply, exited = run_invocation(handler, body, context, non_proxy, url_enabled)
        duration = (time.perf_counter() - started) * 1000
        if failed:
            runtime.fail(request_id, reply)
        else:
            runtime.respond(request_id, reply)
        busy.done()
        sys.stdout.flush()
        rid = context.aws_request_id
        report = "REPORT RequestId: {}\tDuration: {:.2f} ms\tBilled Duration: {} ms\tMemory Size: {} MB\tMax Memory Used: {} MB".format(
            rid, duration, max(1, math.ceil(duration)), memory, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        )
        if first:
            report += "\tInit Duration: {:.2f} ms".format(init_ms)
            first = False
        telemetry.lines(
            ["START RequestId: {} Version: {}".format(rid, os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"))]
            + output.take()
            + ["END RequestId: {}".format(rid), report]
        )
        telemetry.datum("Invocations", 1, "Count")
        telemetry.datum("Errors", 1 if failed else 0, "Count")
        telemetry.datum("Duration", duration, "Milliseconds")
        telemetry.datum("ConcurrentExecutions", 1, "Count")
        if exited:
            # As after a runtime exit on Lambda: the next invocation starts
            # a fresh runtime (the handler is loaded again).
            init_started = time.perf_counter()
            handler = load_handler()
            init_ms = (time.perf_counter() - init_started) * 1000
            first = True


if __name__ == "__main__":
    main()
