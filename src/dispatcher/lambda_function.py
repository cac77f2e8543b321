"""CRUD dispatcher deployed by serverless-crud.

A hardened version of the tutorial dispatcher. It honours the same contract
    {"operation": "create|read|update|delete|list|echo|ping|batch",
     "tableName": "users", "payload": {...boto3 resource-level kwargs...}}
and accepts it either directly (Lambda Invoke) or inside an API Gateway proxy
event (REST v1, HTTP API / function URL v2).

Direct events answer like the tutorial (the boto3 response minus
ResponseMetadata) and raise on error, so Lambda reports a FunctionError whose
errorType is one of the DispatcherError subclasses below. Proxy events answer
with an HTTP status and a JSON body; errors are {"error": {"type", "message"}}.

Extensions (additive; the tutorial dispatcher ignores them):
    payloadJson  the payload as exact JSON text. The Lambda Python runtime
                 parses events with floats; clients send this when a number
                 would not survive that, and we parse it with Decimal.
    batch        payload {"Items": [...]}: BatchWriteItem in 25-item chunks.
    typed        true: items travel as DynamoDB JSON ({"S": ...}), every type
                 kept (sets, binary, exact numbers): `list` returns typed
                 Items and LastEvaluatedKey (and ExclusiveStartKey is typed),
                 `batch` takes typed Items. Replies say "Typed": true.

Configuration (environment):
    ALLOWED_TABLES      comma-separated table names this function may touch;
                        "*" allows any table; unset or empty allows none.
    BATCH_MAX_ATTEMPTS  attempts per chunk for UnprocessedItems (default 8).
"""

import base64
import binascii
import decimal
import json
import os
import random
import time
from decimal import Decimal

import boto3
from boto3.dynamodb.types import DYNAMODB_CONTEXT, Binary, TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError, ParamValidationError

OPERATIONS = ("create", "read", "update", "delete", "list", "echo", "ping", "batch")
TABLE_OPERATIONS = ("create", "read", "update", "delete", "list", "batch")
BATCH_CHUNK = 25
BATCH_MAX_ITEMS = 1000

# The keyword arguments each operation passes to boto3, and nothing else: a
# "TableName" (or anything unknown) in the payload would let an event reach a
# table outside the allow-list, so it is refused by name.
_COMMON_WRITE = (
    "ConditionExpression",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ReturnValues",
    "ReturnConsumedCapacity",
    "ReturnItemCollectionMetrics",
    "ReturnValuesOnConditionCheckFailure",
)
ALLOWED_ARGUMENTS = {
    "create": frozenset(("Item",) + _COMMON_WRITE),
    "read": frozenset(
        ("Key", "ConsistentRead", "ProjectionExpression", "ExpressionAttributeNames", "ReturnConsumedCapacity")
    ),
    "update": frozenset(("Key", "UpdateExpression") + _COMMON_WRITE),
    "delete": frozenset(("Key",) + _COMMON_WRITE),
    "list": frozenset(
        (
            "Limit",
            "ExclusiveStartKey",
            "FilterExpression",
            "ProjectionExpression",
            "ExpressionAttributeNames",
            "ExpressionAttributeValues",
            "ConsistentRead",
            "Segment",
            "TotalSegments",
            "Select",
            "ReturnConsumedCapacity",
        )
    ),
    "batch": frozenset(("Items",)),
}

# DynamoDB's limits, checked here because boto3 fails on some of them with a
# bare decimal exception (Inexact, Overflow) and moto accepts others.
MAX_NUMBER_DIGITS = 38
MIN_NUMBER_EXPONENT = -130  # 1E-130
MAX_NUMBER_EXPONENT = 125  # 9.99...E+125
MAX_NESTING = 32

# Built once per execution environment, not per invocation: creating a boto3
# resource costs several milliseconds.
_resource = None
_client = None
_tables = {}


def _dynamodb():
    global _resource
    if _resource is None:
        _resource = boto3.resource("dynamodb")
    return _resource


def _low_level():
    """A plain client: typed values pass through untouched (the resource's
    client would serialise them again as maps)."""
    global _client
    if _client is None:
        _client = boto3.client("dynamodb")
    return _client


def _table(name):
    table = _tables.get(name)
    if table is None:
        table = _tables[name] = _dynamodb().Table(name)
    return table


# ---------------------------------------------------------------- errors


class DispatcherError(Exception):
    status = 500


class BadRequest(DispatcherError):
    status = 400


class TableNotAllowed(DispatcherError):
    status = 403


class AccessDenied(DispatcherError):
    status = 403


class ItemNotFound(DispatcherError):
    status = 404


class TableNotFound(DispatcherError):
    status = 404


class ConditionFailed(DispatcherError):
    status = 409


class Throttled(DispatcherError):
    status = 429


class InternalError(DispatcherError):
    status = 500


_CLIENT_ERRORS = {
    "ConditionalCheckFailedException": ConditionFailed,
    "TransactionConflictException": ConditionFailed,
    "ResourceNotFoundException": TableNotFound,
    "ValidationException": BadRequest,
    "SerializationException": BadRequest,
    "ProvisionedThroughputExceededException": Throttled,
    "ThrottlingException": Throttled,
    "RequestLimitExceeded": Throttled,
    "AccessDeniedException": AccessDenied,
}


def _translate(exc):
    """Map a botocore exception to a DispatcherError."""
    if isinstance(exc, ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        message = exc.response.get("Error", {}).get("Message", str(exc))
        return _CLIENT_ERRORS.get(code, InternalError)("{}: {}".format(code, message))
    if isinstance(exc, ParamValidationError):
        return BadRequest(str(exc).replace("\n", " "))
    return InternalError("{}: {}".format(type(exc).__name__, exc))


# ---------------------------------------------------------------- values


def _to_dynamo(value):
    """Floats (from the runtime's JSON parser) -> Decimal, as written.

    repr() is the shortest text that round-trips, so 0.1 stays 0.1 and
    19.99 stays 19.99 (boto3 refuses floats outright, which is why the
    tutorial dispatcher fails on 4.5).
    """
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise BadRequest("NaN and Infinity cannot be stored in DynamoDB")
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_dynamo(v) for v in value]
    return value


def _jsonable(value):
    """Make a boto3 result serialisable: sets -> sorted lists, Binary -> base64.

    Decimals stay Decimals: the Lambda runtime and _dumps write them exactly.
    """
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [_jsonable(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return items
    if isinstance(value, Binary):
        return base64.b64encode(value.value).decode("ascii")
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _dumps(value):
    """JSON text with Decimals written exactly (json.dumps would need floats)."""
    out = []
    _encode(value, out.append)
    return "".join(out)


def _encode(value, write):
    if value is None:
        write("null")
    elif value is True:
        write("true")
    elif value is False:
        write("false")
    elif isinstance(value, str):
        write(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise InternalError("non-finite number in result")
        write(str(value))
    elif isinstance(value, int):
        write(str(value))
    elif isinstance(value, float):
        write(repr(value))
    elif isinstance(value, dict):
        write("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                write(",")
            write(json.dumps(str(key), ensure_ascii=False))
            write(":")
            _encode(item, write)
        write("}")
    elif isinstance(value, (list, tuple)):
        write("[")
        for i, item in enumerate(value):
            if i:
                write(",")
            _encode(item, write)
        write("]")
    else:
        converted = _jsonable(value)
        if converted is value:
            raise InternalError("cannot serialise a {}".format(type(value).__name__))
        _encode(converted, write)


def _strip(response):
    response = dict(response)
    response.pop("ResponseMetadata", None)
    return response


# ---------------------------------------------------------------- operations


def _allowed_tables():
    raw = os.environ.get("ALLOWED_TABLES", "")
    return {name.strip() for name in raw.split(",") if name.strip()}


def _check_table(name):
    if not isinstance(name, str) or not name:
        raise BadRequest('"tableName" is required for this operation')
    allowed = _allowed_tables()
    if "*" not in allowed and name not in allowed:
        raise TableNotAllowed(
            'table "{}" is not in this function\'s allow-list (ALLOWED_TABLES)'.format(name)
        )


def _kwargs(payload, operation):
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise BadRequest('"payload" of {} must be an object'.format(operation))
    allowed = ALLOWED_ARGUMENTS[operation]
    for name in payload:
        if name not in allowed:
            raise BadRequest(
                'ValidationException: "{}" is not accepted in the payload of {} (accepted: {})'.format(
                    name, operation, ", ".join(sorted(allowed))
                )
            )
    return payload


def _number_problem(value):
    """Why DynamoDB would refuse this number, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        return None
    if not value.is_finite():
        return "NaN and Infinity cannot be stored in DynamoDB"
    if value == 0:
        return None
    digits = value.normalize().as_tuple().digits
    if len(digits) > MAX_NUMBER_DIGITS:
        return "number {} has {} significant digits; DynamoDB keeps at most {}".format(
            value, len(digits), MAX_NUMBER_DIGITS
        )
    if not MIN_NUMBER_EXPONENT <= value.adjusted() <= MAX_NUMBER_EXPONENT:
        return "number {} is outside DynamoDB's range (magnitude 1E-130 to 9.99E+125)".format(value)
    return None


def _value_problem(value, depth=0):
    """Why DynamoDB would refuse this attribute value, or None."""
    if isinstance(value, dict):
        if depth >= MAX_NESTING:
            return "attribute values nest deeper than {} levels".format(MAX_NESTING)
        for key, item in value.items():
            if key == "":
                return "an attribute name is empty"
            problem = _value_problem(item, depth + 1)
            if problem:
                return problem
        return None
    if isinstance(value, (list, tuple, set, frozenset)):
        if depth >= MAX_NESTING:
            return "attribute values nest deeper than {} levels".format(MAX_NESTING)
        for item in value:
            problem = _value_problem(item, depth + 1)
            if problem:
                return problem
        return None
    return _number_problem(value)


def _check_values(kwargs):
    """ValidationException (400) for what DynamoDB refuses, before boto3 sees it."""
    for name in ("Item", "Key", "ExclusiveStartKey", "ExpressionAttributeValues"):
        value = kwargs.get(name)
        if isinstance(value, dict):
            problem = _value_problem(value, -1)
            if problem:
                raise BadRequest("ValidationException: {}: {}".format(name, problem))


_deserializer = TypeDeserializer()
_serializer = TypeSerializer()


_TYPED_SCALARS = {"S": str, "BOOL": bool}


def _from_typed(value, where):
    """DynamoDB JSON (as JSON text carries it) -> the client's wire form.

    B/BS arrive base64-encoded and leave as bytes; numbers stay strings (so
    they keep all 38 digits) after Decimal checks DynamoDB would accept them.
    Raises ValueError naming the attribute path.
    """
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("{}: expected one type key such as {{\"S\": ...}}".format(where))
    ((kind, inner),) = value.items()
    if kind in _TYPED_SCALARS:
        if not isinstance(inner, _TYPED_SCALARS[kind]):
            raise ValueError("{}: {} needs a {}".format(where, kind, _TYPED_SCALARS[kind].__name__))
        return value
    if kind == "NULL":
        if inner is not True:
            raise ValueError("{}: NULL must be true".format(where))
        return value
    if kind == "N":
        return {"N": _typed_number(inner, where)}
    if kind == "B":
        return {"B": _typed_binary(inner, where)}
    if kind in ("SS", "NS", "BS"):
        if not isinstance(inner, list) or not inner:
            raise ValueError("{}: {} must be a non-empty list".format(where, kind))
        convert = {"SS": _typed_string, "NS": _typed_number, "BS": _typed_binary}[kind]
        members = [convert(m, where) for m in inner]
        if len(set(members)) != len(members):
            raise ValueError("{}: {} has duplicate members".format(where, kind))
        return {kind: members}
    if kind == "L":
        if not isinstance(inner, list):
            raise ValueError("{}: L must be a list".format(where))
        return {"L": [_from_typed(v, "{}[{}]".format(where, i)) for i, v in enumerate(inner)]}
    if kind == "M":
        if not isinstance(inner, dict):
            raise ValueError("{}: M must be an object".format(where))
        return {"M": {k: _from_typed(v, "{}.{}".format(where, k)) for k, v in inner.items()}}
    raise ValueError("{}: unknown type {!r}".format(where, kind))


def _typed_string(value, where):
    if not isinstance(value, str):
        raise ValueError("{}: string set members must be strings".format(where))
    return value


def _typed_number(value, where):
    if not isinstance(value, str):
        raise ValueError("{}: numbers travel as strings in DynamoDB JSON".format(where))
    try:
        number = DYNAMODB_CONTEXT.create_decimal(value)
    except decimal.DecimalException:
        raise ValueError(
            "{}: {} cannot be stored in DynamoDB (38 digits, magnitude 1E-130 to 9.99E+125)".format(where, value)
        )
    if not number.is_finite():
        raise ValueError("{}: NaN and Infinity cannot be stored in DynamoDB".format(where))
    return value


def _typed_binary(value, where):
    try:
        return base64.b64decode(value, validate=True)
    except (TypeError, ValueError, binascii.Error):
        raise ValueError("{}: binary values must be base64".format(where))


def _typed_item(item):
    """(wire-form item, None) or (None, why DynamoDB would refuse it)."""
    if not isinstance(item, dict):
        return None, "item is not an object"
    try:
        wire = {k: _from_typed(v, k) for k, v in item.items()}
        plain = {k: _deserializer.deserialize(v) for k, v in wire.items()}
    except ValueError as exc:
        return None, str(exc)
    problem = _value_problem(plain, -1)
    return (None, problem) if problem else (wire, None)


def _typed_list(table_name, kwargs):
    """Scan with typed results (the low-level client keeps every type)."""
    args = dict(kwargs)
    values = args.get("ExpressionAttributeValues")
    if isinstance(values, dict):
        args["ExpressionAttributeValues"] = {k: _serializer.serialize(v) for k, v in values.items()}
    start = args.get("ExclusiveStartKey")
    if start is not None:
        try:
            args["ExclusiveStartKey"] = {k: _from_typed(v, "ExclusiveStartKey." + k) for k, v in start.items()}
        except (AttributeError, ValueError) as exc:
            raise BadRequest("ValidationException: {}".format(exc))
    response = _strip(_low_level().scan(TableName=table_name, **args))
    response["Typed"] = True
    return _jsonable(response)


def _batch(table_name, payload, typed=False):
    """Write payload["Items"] with BatchWriteItem, 25 at a time.

    UnprocessedItems are retried with exponential backoff and full jitter. A
    chunk DynamoDB rejects as a whole (one bad item fails the request) is
    retried item by item so each failure is reported with its index.
    Returns {"Written": n, "Failed": [{"Index", "Type", "Message"}]}.
    """
    items = payload.get("Items")
    if not isinstance(items, list):
        raise BadRequest('batch payload needs "Items": a list of items')
    if len(items) > BATCH_MAX_ITEMS:
        raise BadRequest("batch accepts at most {} items".format(BATCH_MAX_ITEMS))
    max_attempts = int(os.environ.get("BATCH_MAX_ATTEMPTS", "8"))
    client = _low_level() if typed else _dynamodb().meta.client
    table = _table(table_name)
    written, failed, retries = 0, [], 0
    for start in range(0, len(items), BATCH_CHUNK):
        chunk = list(enumerate(items[start : start + BATCH_CHUNK], start))
        valid = []
        for i, it in chunk:
            if typed:
                it, problem = _typed_item(it)
            else:
                problem = "item is not an object" if not isinstance(it, dict) else _value_problem(it, -1)
            if problem:
                failed.append({"Index": i, "Type": "BadRequest", "Message": "ValidationException: " + problem})
            else:
                valid.append((i, it))
        chunk = valid
        if not chunk:
            continue
        try:
            pending = [{"PutRequest": {"Item": it}} for _, it in chunk]
            attempt = 0
            while pending:
                response = client.batch_write_item(RequestItems={table_name: pending})
                pending = response.get("UnprocessedItems", {}).get(table_name, [])
                if not pending:
                    break
                attempt += 1
                retries += 1
                if attempt >= max_attempts:
                    raise Throttled("UnprocessedItems after {} attempts".format(attempt))
                time.sleep(random.uniform(0, min(2.0, 0.05 * 2**attempt)))
            written += len(chunk)
        except (ClientError, ParamValidationError) as exc:
            error = _translate(exc)
            if isinstance(error, (Throttled, TableNotFound, AccessDenied)):
                raise error
            # One bad item fails the whole request: find it by writing one by one.
            for i, item in chunk:
                try:
                    if typed:
                        client.put_item(TableName=table_name, Item=item)
                    else:
                        table.put_item(Item=item)
                    written += 1
                except (ClientError, ParamValidationError) as item_exc:
                    item_error = _translate(item_exc)
                    if isinstance(item_error, (Throttled, TableNotFound, AccessDenied)):
                        raise item_error
                    failed.append(
                        {"Index": i, "Type": type(item_error).__name__, "Message": str(item_error)}
                    )
    result = {"Written": written, "Failed": failed, "Retries": retries}
    if typed:
        result["Typed"] = True
    return result


def dispatch(event):
    """Run one contract event; return the JSON-able result or raise DispatcherError."""
    if not isinstance(event, dict):
        raise BadRequest("the event must be a JSON object")
    operation = event.get("operation")
    if operation not in OPERATIONS:
        raise BadRequest(
            'Unrecognized operation "{}"; expected one of {}'.format(operation, ", ".join(OPERATIONS))
        )
    payload = event.get("payload")
    exact = event.get("payloadJson")
    if isinstance(exact, str):
        try:
            payload = json.loads(exact, parse_float=Decimal)
        except ValueError as exc:
            raise BadRequest("payloadJson is not valid JSON: {}".format(exc))
    if operation == "ping":
        return "pong"
    if operation == "echo":
        return payload
    table_name = event.get("tableName")
    _check_table(table_name)
    kwargs = _to_dynamo(_kwargs(payload, operation))
    typed = event.get("typed") is True
    if operation != "batch":
        _check_values(kwargs)
    try:
        if operation == "batch":
            return _batch(table_name, kwargs, typed)
        if typed and operation == "list":
            return _typed_list(table_name, kwargs)
        table = _table(table_name)
        call = {
            "create": table.put_item,
            "read": table.get_item,
            "update": table.update_item,
            "delete": table.delete_item,
            "list": table.scan,
        }[operation]
        return _jsonable(_strip(call(**kwargs)))
    except (ClientError, ParamValidationError) as exc:
        raise _translate(exc)
    except TypeError as exc:
        raise BadRequest(str(exc))
    except decimal.DecimalException as exc:
        raise BadRequest("ValidationException: a number cannot be stored in DynamoDB ({})".format(type(exc).__name__))


# ---------------------------------------------------------------- entry points


def _proxy_version(event):
    """'v1' (REST proxy), 'v2' (HTTP API / function URL) or None (direct)."""
    if not isinstance(event, dict) or not isinstance(event.get("requestContext"), dict):
        return None
    if event.get("version") == "2.0":
        return "v2"
    if "httpMethod" in event:
        return "v1"
    return None


def _proxy_reply(version, status, body, request_id=None):
    headers = {"Content-Type": "application/json"}
    if request_id:
        # The Lambda request id, for `serverless-crud logs --request-id`
        # (API Gateway passes only its own request id back to the client).
        headers["X-Lambda-Request-Id"] = request_id
    reply = {
        "statusCode": status,
        "headers": headers,
        "body": _dumps(body),
        "isBase64Encoded": False,
    }
    if version == "v2":
        reply["cookies"] = []
    return reply


def _proxy_event_body(event):
    body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(body, validate=True).decode("utf-8")
        except (binascii.Error, ValueError) as exc:
            raise BadRequest("request body is not valid base64-encoded UTF-8: {}".format(exc))
    try:
        return json.loads(body, parse_float=Decimal)
    except ValueError as exc:
        raise BadRequest("request body is not valid JSON: {}".format(exc))


def _log(context, fields):
    fields["requestId"] = getattr(context, "aws_request_id", None)
    print(json.dumps(fields, default=str))


def lambda_handler(event, context):
    started = time.perf_counter()
    version = _proxy_version(event)
    inner = event
    fields = {"source": "direct" if version is None else "apigw-" + version}
    request_id = getattr(context, "aws_request_id", None)
    if version is not None:
        fields["apiRequestId"] = event["requestContext"].get("requestId")
    try:
        if version is not None:
            inner = _proxy_event_body(event)
        if isinstance(inner, dict):
            fields["operation"] = inner.get("operation")
            fields["table"] = inner.get("tableName")
        result = dispatch(inner)
        if version is not None and fields.get("operation") == "read" and "Item" not in result:
            raise ItemNotFound("no item with that key")
        fields["status"] = 200
        return result if version is None else _proxy_reply(version, 200, result, request_id)
    except Exception as exc:  # noqa: BLE001 - every failure becomes a typed answer
        if not isinstance(exc, DispatcherError):
            exc = InternalError("{}: {}".format(type(exc).__name__, exc))
        fields["status"] = exc.status
        fields["errorType"] = type(exc).__name__
        if version is None:
            raise exc
        body = {"error": {"type": type(exc).__name__, "message": str(exc)}}
        return _proxy_reply(version, exc.status, body, request_id)
    finally:
        fields["durationMs"] = round((time.perf_counter() - started) * 1000, 2)
        _log(context, fields)
