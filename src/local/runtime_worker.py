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
"""

import http.client
import importlib.util
import json
import os
import sys
import time
import traceback

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


class Context:
    def __init__(self, request_id, deadline_ms, arn):
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "_")
        self.function_version = "$LATEST"
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


def is_function_url_event(event):
    return isinstance(event, dict) and event.get("version") == "2.0" and "requestContext" in event


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
                return request_id, body, Context(request_id, deadline, arn)
            time.sleep(0.05)

    def respond(self, request_id, body):
        self.request("POST", "/2018-06-01/runtime/invocation/{}/response".format(request_id), body)

    def fail(self, request_id, body):
        headers = {"Lambda-Runtime-Function-Error-Type": "Unhandled"}
        self.request("POST", "/2018-06-01/runtime/invocation/{}/error".format(request_id), body, headers)


def main():
    runtime = RuntimeApi(os.environ["AWS_LAMBDA_RUNTIME_API"])
    handler = load_handler()
    non_proxy = os.environ.get("SCRUD_INTEGRATION") == "non-proxy"
    sys.stderr.write("runtime worker ready\n")
    sys.stderr.flush()
    while True:
        request_id, body, context = runtime.next()
        try:
            event = unmarshal(body)
            if non_proxy and is_function_url_event(event):
                result = invoke_non_proxy(handler, event, context)
            else:
                result = handler(event, context)
            runtime.respond(request_id, marshal(result))
        except Exception as exc:  # noqa: BLE001 - reported to the caller as a FunctionError
            runtime.fail(request_id, error_body(exc))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
