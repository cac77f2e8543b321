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

Resource routes (proxy events only, beside POST /crud; plain JSON bodies):
    GET    /items/{table}        list: ?limit=1..1000 (100), ?start=CURSOR,
                                 ?where=NAME=VALUE (repeatable, ANDed)
                                 -> 200 {"items", "count", "next"}
    POST   /items/{table}        create the body item (?ifAbsent=true: 409
                                 when the key exists) -> 201 {"item"}
    GET    /items/{table}/{id}   read -> 200 item (404 when missing)
    PUT    /items/{table}/{id}   replace with the body -> 200 item
    PATCH  /items/{table}/{id}   set the body's attributes -> 200 whole item
    DELETE /items/{table}/{id}   delete -> 200 {"deleted": item}
A table with a sort key is addressed as /items/{table}/{id}/{sort}. A POST
to any other path is a contract event (as before); anything else is 404.

Configuration (environment):
    ALLOWED_TABLES      comma-separated table names this function may touch;
                        "*" allows any table; unset or empty allows none.
    BATCH_MAX_ATTEMPTS  attempts per chunk for UnprocessedItems (default 8).
    TABLE_KEYS          the key schema the resource routes type path values
                        by, JSON: {"users": [["id", "S"]], "orders":
                        [["orderId", "S"], ["createdAt", "N"]]} (hash, range).
    ALLOWED_ORIGINS     comma-separated origins browsers may call from, or
                        "*"; unset sends no CORS header at all.
"""

import base64
import binascii
import decimal
import gc
import json
import os
import random
import re
import time
import urllib.parse
from collections import namedtuple
from contextlib import contextmanager
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
        _client.meta.events.register("before-parse.dynamodb.Scan", _scan_items_as_sent)
    return _client


def _scan_items_as_sent(response_dict, customized_response_dict, **_):
    """A Scan's Items are DynamoDB JSON on the wire, the typed list's format:
    they are taken out of the reply before botocore's parser, which walks
    every value in Python (most of a large page's time in the function), and
    handed back as sent, with their text (`_JsonText`). A botocore without
    this event parses as before."""
    if response_dict.get("status_code", 500) >= 300 or not response_dict.get("body"):
        return
    body = response_dict["body"]
    try:
        text = body.decode("utf-8") if isinstance(body, (bytes, bytearray)) else body
        members, spans = _members_without_gc(text)
    except (UnicodeDecodeError, ValueError, StopIteration):
        return  # not the JSON expected: botocore's parser reports it
    items = members.pop("Items", None)
    if isinstance(items, list):
        start, end = spans["Items"]
        customized_response_dict["_ItemsAsSent"] = _JsonText(items, text[start:end])
        response_dict["body"] = json.dumps(members).encode()


class _JsonText:
    """A value with the JSON text it was read from: a proxy body writes the
    text as it came (no second encoding of a 1 MB page), a direct invoke's
    result is the value."""

    __slots__ = ("value", "text")

    def __init__(self, value, text):
        self.value = value
        self.text = text


_DECODER = json.JSONDecoder()


def _members_without_gc(text):
    """A JSON object's members and where each value lies in `text`, read by
    json's C scanner with the cyclic collector paused: a 1 MB page is
    ~100,000 new containers, which set off collections that walk every live
    object (86-97 ms a page paused, 120-155 ms not, the collection that
    follows included); JSON cannot hold cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _members_with_spans(text)
    finally:
        if was_enabled:
            gc.enable()


def _members_with_spans(text):
    skip = json.decoder.WHITESPACE.match
    members, spans = {}, {}
    i = skip(text, 0).end()
    if text[i:i + 1] != "{":
        raise ValueError("not a JSON object")
    i = skip(text, i + 1).end()
    if text[i:i + 1] == "}":
        i += 1
    else:
        while True:
            if text[i:i + 1] != '"':
                raise ValueError("a member name expected at {}".format(i))
            name, i = json.decoder.scanstring(text, i + 1)
            i = skip(text, i).end()
            if text[i:i + 1] != ":":
                raise ValueError("':' expected at {}".format(i))
            i = skip(text, i + 1).end()
            members[name], end = _DECODER.scan_once(text, i)
            spans[name] = (i, end)
            i = skip(text, end).end()
            if text[i:i + 1] == ",":
                i = skip(text, i + 1).end()
                continue
            if text[i:i + 1] != "}":
                raise ValueError("',' or '}' expected at {}".format(i))
            i += 1
            break
    if skip(text, i).end() != len(text):
        raise ValueError("data after the object at {}".format(i))
    return members, spans


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


class TableKeyUnknown(DispatcherError):
    status = 403


class ItemNotFound(DispatcherError):
    status = 404


class NotFound(DispatcherError):
    """No route for this method and path."""

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


@contextmanager
def _dynamodb_errors():
    """Turn what boto3 raises for a bad request into DispatcherErrors."""
    try:
        yield
    except (ClientError, ParamValidationError) as exc:
        raise _translate(exc)
    except TypeError as exc:
        raise BadRequest(str(exc))
    except decimal.DecimalException as exc:
        raise BadRequest("ValidationException: a number cannot be stored in DynamoDB ({})".format(type(exc).__name__))


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


class _NotPlainJson(Exception):
    pass


def _not_plain_json(value):
    raise _NotPlainJson()


# json's C encoder writes what _encode writes for str, int, float, bool, None,
# dicts with str keys and lists; anything else (a Decimal) is left to _encode.
_PLAIN_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_not_plain_json)


def _dumps(value):
    """JSON text with Decimals written exactly (json.dumps would need floats).
    A typed page holds no Decimals: json's C encoder writes it, ~6x faster
    than walking every value in Python."""
    try:
        return _PLAIN_JSON.encode(value)
    except (_NotPlainJson, ValueError, TypeError):
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
    elif isinstance(value, _JsonText):
        write(value.text)
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
    as_sent = response.pop("_ItemsAsSent", None)
    response = _jsonable(response)
    if as_sent is not None:
        response["Items"] = as_sent
    response["Typed"] = True
    return response


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
    with _dynamodb_errors():
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


# ---------------------------------------------------------------- resource routes: keys

KEY_TYPES = ("S", "N", "B")


def _table_keys():
    """TABLE_KEYS parsed: {table: [(name, type), ...]}, hash key first."""
    raw = os.environ.get("TABLE_KEYS", "").strip()
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise InternalError("TABLE_KEYS is not valid JSON: {}".format(exc))
    if not isinstance(parsed, dict) or not all(_is_key_schema(schema) for schema in parsed.values()):
        raise InternalError(
            'TABLE_KEYS must look like {"users": [["id", "S"]], "orders": [["orderId", "S"], ["createdAt", "N"]]}'
        )
    return {table: [tuple(attribute) for attribute in schema] for table, schema in parsed.items()}


def _is_key_schema(schema):
    return (
        isinstance(schema, list)
        and 1 <= len(schema) <= 2
        and all(
            isinstance(attr, list) and len(attr) == 2 and isinstance(attr[0], str) and attr[0] and attr[1] in KEY_TYPES
            for attr in schema
        )
    )


def _key_schema(table_name):
    schema = _table_keys().get(table_name)
    if schema is None:
        raise TableKeyUnknown(
            'table "{}" has no known key (TABLE_KEYS), so the /items routes cannot address it; '
            "POST /crud still serves it".format(table_name)
        )
    return schema


# A number as JSON writes it: Decimal() alone would also take "1_000", " 5" and "NaN".
_NUMBER_TEXT = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def _key_number(name, value):
    if isinstance(value, str):
        if not _NUMBER_TEXT.fullmatch(value):
            raise BadRequest('key attribute "{}" must be a number, got "{}"'.format(name, value))
        value = Decimal(value)
    problem = _number_problem(value)
    if problem:
        raise BadRequest('ValidationException: key attribute "{}": {}'.format(name, problem))
    return value


def _key_binary(name, text):
    # Either base64 alphabet: a path segment cannot carry the standard one's "/".
    try:
        value = base64.b64decode(text.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest('key attribute "{}" must be base64, got "{}"'.format(name, text))
    if not value:
        raise BadRequest('key attribute "{}" is empty'.format(name))
    return value


def _key_string(name, text):
    if not text:
        raise BadRequest('key attribute "{}" is empty'.format(name))
    return text


def _key_from_text(name, kind, text):
    """A key value from a path segment, typed by TABLE_KEYS."""
    if kind == "N":
        return _key_number(name, text)
    if kind == "B":
        return _key_binary(name, text)
    return _key_string(name, text)


def _key_from_json(name, kind, value):
    """A key value from a body or cursor: a JSON number for N, base64 text for B."""
    if kind == "N":
        if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
            raise BadRequest('key attribute "{}" must be a number'.format(name))
        return _key_number(name, value)
    if not isinstance(value, str):
        raise BadRequest('key attribute "{}" must be a {}'.format(name, "base64 string" if kind == "B" else "string"))
    return _key_binary(name, value) if kind == "B" else _key_string(name, value)


def _path_key(table_name, schema, path):
    """The key addressed by /items/{table}/{id}[/{sort}]; 400 for the wrong form."""
    (hash_name, hash_kind), sort = schema[0], schema[1:]
    if sort and path.get("sort") is None:
        raise BadRequest(
            'table "{0}" has the sort key "{1}": address its items as /items/{0}/{{id}}/{{{1}}}'.format(
                table_name, sort[0][0]
            )
        )
    if not sort and path.get("sort") is not None:
        raise BadRequest('table "{0}" has no sort key: address its items as /items/{0}/{{id}}'.format(table_name))
    key = {hash_name: _key_from_text(hash_name, hash_kind, path["id"])}
    if sort:
        sort_name, sort_kind = sort[0]
        key[sort_name] = _key_from_text(sort_name, sort_kind, path["sort"])
    return key


def _body_key(table_name, schema, item):
    """The typed key of a body item; 400 when a key attribute is missing."""
    key = {}
    for name, kind in schema:
        if name not in item:
            raise BadRequest('the item needs the key attribute "{}" of table "{}"'.format(name, table_name))
        key[name] = _key_from_json(name, kind, item[name])
    return key


# ---------------------------------------------------------------- resource routes: list


DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _last(query, name):
    """A single-valued query parameter: its last value, as API Gateway v1 keeps it."""
    values = query.get(name)
    return values[-1] if values else None


def _limit(query):
    text = _last(query, "limit")
    if text is None:
        return DEFAULT_LIMIT
    if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= MAX_LIMIT:
        raise BadRequest("limit must be a whole number from 1 to {}, got \"{}\"".format(MAX_LIMIT, text))
    return int(text)


def _cursor(last_key):
    """The `next` of a list reply: URL-safe base64 of LastEvaluatedKey's JSON (numbers exact)."""
    if not last_key:
        return None
    text = _dumps(_jsonable(last_key))
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def _start_key(table_name, schema, cursor):
    """ExclusiveStartKey from a `start` cursor; 400 for anything _cursor did not make."""
    refusal = BadRequest('start is not a cursor from a list of table "{}"'.format(table_name))
    try:
        text = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        key = json.loads(text.decode("utf-8"), parse_float=Decimal, parse_int=Decimal)
    except (binascii.Error, ValueError):
        raise refusal
    if not isinstance(key, dict) or set(key) != {name for name, _ in schema}:
        raise refusal
    return {name: _key_from_json(name, kind, key[name]) for name, kind in schema}


def _not_json(text):
    raise ValueError(text)


def _where_value(text):
    """VALUE of NAME=VALUE: JSON when it parses (32, true, "32"), else the text itself."""
    try:
        value = json.loads(text, parse_float=Decimal, parse_constant=_not_json)
    except ValueError:
        return text
    problem = _value_problem(value)
    if problem:
        raise BadRequest("ValidationException: where: {}".format(problem))
    return value


def _where_filter(clauses):
    """Scan arguments for the `where` clauses, ANDed; every name a placeholder
    so reserved words (name, status, ...) work."""
    if not clauses:
        return {}
    names, values, tests = {}, {}, []
    for i, clause in enumerate(clauses):
        name, equals, text = clause.partition("=")
        if not equals or not name:
            raise BadRequest('where must be NAME=VALUE, got "{}"'.format(clause))
        names["#w{}".format(i)] = name
        values[":w{}".format(i)] = _where_value(text)
        tests.append("#w{0} = :w{0}".format(i))
    return {
        "FilterExpression": " AND ".join(tests),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


# ---------------------------------------------------------------- resource routes: handlers

# One request to a resource route, parsed: key is None for /items/{table}.
ItemRequest = namedtuple("ItemRequest", "table schema key query event")


def _body_item(event):
    """The request body as an item: a JSON object DynamoDB would accept."""
    item = _to_dynamo(_proxy_event_body(event))
    if not isinstance(item, dict):
        raise BadRequest("the request body must be a JSON object (the item)")
    problem = _value_problem(item, -1)
    if problem:
        raise BadRequest("ValidationException: item: {}".format(problem))
    return item


def _list_items(request):
    # Limit caps the items Scan reads, before `where` filters them: a page
    # can hold fewer (even none) and still have a `next`.
    kwargs = {"Limit": _limit(request.query)}
    start = _last(request.query, "start")
    if start is not None:
        kwargs["ExclusiveStartKey"] = _start_key(request.table, request.schema, start)
    kwargs.update(_where_filter(request.query.get("where")))
    with _dynamodb_errors():
        response = _table(request.table).scan(**kwargs)
    items = _jsonable(response.get("Items", []))
    return 200, {"items": items, "count": len(items), "next": _cursor(response.get("LastEvaluatedKey"))}


def _if_absent(query):
    text = _last(query, "ifAbsent")
    if text not in (None, "true", "false"):
        raise BadRequest('ifAbsent must be true or false, got "{}"'.format(text))
    return text == "true"


def _create_item(request):
    item = _body_item(request.event)
    item.update(_body_key(request.table, request.schema, item))
    kwargs = {}
    if _if_absent(request.query):
        # The hash key alone tells whether an item exists.
        kwargs = {
            "ConditionExpression": "attribute_not_exists(#key)",
            "ExpressionAttributeNames": {"#key": request.schema[0][0]},
        }
    try:
        with _dynamodb_errors():
            _table(request.table).put_item(Item=item, **kwargs)
    except ConditionFailed:
        raise ConditionFailed("an item with that key already exists (ifAbsent=true)")
    return 201, {"item": _jsonable(item)}


def _read_item(request):
    with _dynamodb_errors():
        response = _table(request.table).get_item(Key=request.key)
    if "Item" not in response:
        raise ItemNotFound("no item with that key")
    return 200, _jsonable(response["Item"])


def _replace_item(request):
    item = _body_item(request.event)
    for name, kind in request.schema:
        if name in item and _key_from_json(name, kind, item[name]) != request.key[name]:
            raise BadRequest('the body\'s "{}" differs from the path\'s; the key comes from the path'.format(name))
    item.update(request.key)
    with _dynamodb_errors():
        _table(request.table).put_item(Item=item)
    return 200, _jsonable(item)


def _update_item(request):
    changes = _body_item(request.event)
    if not changes:
        raise BadRequest("nothing to update: the body holds no attributes")
    for name, _ in request.schema:
        if name in changes:
            raise BadRequest('key attribute "{}" cannot be changed (the key comes from the path)'.format(name))
    names, values = {"#key": request.schema[0][0]}, {}
    for i, (name, value) in enumerate(changes.items()):
        names["#a{}".format(i)] = name
        values[":a{}".format(i)] = value
    expression = "SET " + ", ".join("#a{0} = :a{0}".format(i) for i in range(len(changes)))
    try:
        with _dynamodb_errors():
            response = _table(request.table).update_item(
                Key=request.key,
                UpdateExpression=expression,
                # Without it UpdateItem would create the item.
                ConditionExpression="attribute_exists(#key)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
    except ConditionFailed:
        raise ItemNotFound("no item with that key")
    return 200, _jsonable(response["Attributes"])


def _delete_item(request):
    with _dynamodb_errors():
        response = _table(request.table).delete_item(Key=request.key, ReturnValues="ALL_OLD")
    if "Attributes" not in response:
        raise ItemNotFound("no item with that key")
    return 200, {"deleted": _jsonable(response["Attributes"])}


# (method, addresses one item) -> (operation logged, handler)
ITEM_ROUTES = {
    ("GET", False): ("list", _list_items),
    ("POST", False): ("create", _create_item),
    ("GET", True): ("read", _read_item),
    ("PUT", True): ("replace", _replace_item),
    ("PATCH", True): ("update", _update_item),
    ("DELETE", True): ("delete", _delete_item),
}

ITEM_TEMPLATES = {
    "/items/{table}": ("table",),
    "/items/{table}/{id}": ("table", "id"),
    "/items/{table}/{id}/{sort}": ("table", "id", "sort"),
}


# ---------------------------------------------------------------- proxy requests


def _method(event, version):
    if version == "v1":
        return event.get("httpMethod")
    http = event["requestContext"].get("http")
    return http.get("method") if isinstance(http, dict) else None


def _route_template(event, version):
    """The route API Gateway matched ("/items/{table}/{id}"), or None ($default, function URLs)."""
    if version == "v1":
        return event.get("resource")
    route_key = event.get("routeKey")
    if isinstance(route_key, str) and " " in route_key:
        return route_key.split(" ", 1)[1]
    return None


def _path_segments(event, version):
    """The request path's segments, percent-decoded, without the stage."""
    path = event.get("path") if version == "v1" else event.get("rawPath")
    if not isinstance(path, str):
        return []
    # REST APIs and function URLs keep the path percent-encoded (HTTP APIs
    # decode it, where this only matters for an id holding "%").
    segments = [urllib.parse.unquote(s) for s in path.strip("/").split("/")]
    stage = event["requestContext"].get("stage")
    if len(segments) > 1 and segments[0] == stage and segments[1] == "items":
        segments = segments[1:]
    return segments


def _item_path(event, version):
    """{"table", "id"?, "sort"?} of an /items request, or None for another path."""
    names = ITEM_TEMPLATES.get(_route_template(event, version))
    params = event.get("pathParameters")
    if names and isinstance(params, dict) and all(isinstance(params.get(name), str) for name in names):
        return {name: params[name] for name in names}
    segments = _path_segments(event, version)
    if not segments or segments[0] != "items":
        return None
    if not 2 <= len(segments) <= 4:
        raise NotFound("no route for that path: items live at /items/{table}[/{id}[/{sort}]]")
    return dict(zip(("table", "id", "sort"), segments[1:]))


def _query(event, version):
    """Query parameters: name -> every value, in order."""
    if version == "v2" and isinstance(event.get("rawQueryString"), str):
        # v2's queryStringParameters joins repeated keys with commas, which
        # a `where` value may hold too: the raw query keeps them apart.
        query = {}
        for name, value in urllib.parse.parse_qsl(event["rawQueryString"], keep_blank_values=True):
            query.setdefault(name, []).append(value)
        return query
    multi = event.get("multiValueQueryStringParameters")
    if isinstance(multi, dict) and multi:
        return {name: list(values) for name, values in multi.items()}
    single = event.get("queryStringParameters") or {}
    return {name: [value] for name, value in single.items()}


def _serve_items(event, version, path, fields):
    method = _method(event, version)
    template = next(t for t, names in ITEM_TEMPLATES.items() if names == tuple(path))
    fields["route"] = "{} {}".format(method, template)
    fields["table"] = path["table"]
    route = ITEM_ROUTES.get((method, "id" in path))
    if route is None:
        # OPTIONS included: API Gateway answers CORS preflights itself.
        raise NotFound("no route for {} {}".format(method, template))
    fields["operation"], handler = route
    _check_table(path["table"])
    schema = _key_schema(path["table"])
    key = _path_key(path["table"], schema, path) if "id" in path else None
    return handler(ItemRequest(path["table"], schema, key, _query(event, version), event))


def _serve_contract(event, fields):
    """POST /crud: the body is a contract event."""
    inner = _proxy_event_body(event)
    if isinstance(inner, dict):
        fields["operation"] = inner.get("operation")
        fields["table"] = inner.get("tableName")
    result = dispatch(inner)
    if fields.get("operation") == "read" and "Item" not in result:
        raise ItemNotFound("no item with that key")
    return 200, result


def _serve(event, version, fields):
    """(status, body) of a proxy event."""
    path = _item_path(event, version)
    if path is not None:
        return _serve_items(event, version, path, fields)
    method = _method(event, version)
    endpoint = _route_template(event, version) or event.get("path" if version == "v1" else "rawPath")
    # Any POST outside /items is a contract event, as it always was: the
    # function may sit behind the tutorial's own resource name.
    if method not in ("POST", None):
        raise NotFound("no route for {} {}".format(method, endpoint or "/"))
    fields["route"] = "POST {}".format(endpoint) if endpoint else None
    return _serve_contract(event, fields)


# ---------------------------------------------------------------- CORS


def _header(event, name):
    """A request header, by lower-case name (v1 keeps the client's casing)."""
    for source in (event.get("headers"), event.get("multiValueHeaders")):
        if not isinstance(source, dict):
            continue
        for key, value in source.items():
            if isinstance(key, str) and key.lower() == name:
                if isinstance(value, list):
                    value = value[-1] if value else None
                return value if isinstance(value, str) else None
    return None


def _allowed_origins():
    raw = os.environ.get("ALLOWED_ORIGINS", "")
    return {origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip()}


def _cors_headers(event):
    """CORS headers for this request's Origin: none unless ALLOWED_ORIGINS
    lists it or is "*" (never permissive by default)."""
    origin = _header(event, "origin")
    allowed = _allowed_origins()
    if not origin or not allowed:
        return {}
    if "*" in allowed:
        headers = {"Access-Control-Allow-Origin": "*"}
    elif origin in allowed:
        # The reply depends on the Origin: caches must keep one per origin.
        headers = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}
    else:
        return {}
    headers["Access-Control-Expose-Headers"] = "X-Lambda-Request-Id"
    return headers


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


def _proxy_reply(version, status, body, request_id=None, extra_headers=None):
    headers = {"Content-Type": "application/json"}
    if request_id:
        # The Lambda request id, for `serverless-crud logs --request-id`
        # (API Gateway passes only its own request id back to the client).
        headers["X-Lambda-Request-Id"] = request_id
    headers.update(extra_headers or {})
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


def _as_dispatcher_error(exc, fields):
    """Every failure becomes a typed answer; the log line notes its type."""
    if not isinstance(exc, DispatcherError):
        exc = InternalError("{}: {}".format(type(exc).__name__, exc))
    fields["status"] = exc.status
    fields["errorType"] = type(exc).__name__
    return exc


def _values_of(result):
    """A result for the runtime to marshal: text kept for a proxy body
    (`_JsonText`) replaced by its value."""
    if isinstance(result, dict) and any(isinstance(v, _JsonText) for v in result.values()):
        return {k: v.value if isinstance(v, _JsonText) else v for k, v in result.items()}
    return result


def _handle_direct(event, fields):
    """A contract event from Lambda Invoke: the result, or raise."""
    try:
        if isinstance(event, dict):
            fields["operation"] = event.get("operation")
            fields["table"] = event.get("tableName")
        result = dispatch(event)
        fields["status"] = 200
        return _values_of(result)
    except Exception as exc:  # noqa: BLE001
        raise _as_dispatcher_error(exc, fields)


def _handle_proxy(event, version, fields, request_id):
    """An API Gateway event: always a reply in its version's shape."""
    cors = _cors_headers(event)
    try:
        status, body = _serve(event, version, fields)
        fields["status"] = status
    except Exception as exc:  # noqa: BLE001
        exc = _as_dispatcher_error(exc, fields)
        status, body = exc.status, {"error": {"type": type(exc).__name__, "message": str(exc)}}
    return _proxy_reply(version, status, body, request_id, cors)


def lambda_handler(event, context):
    started = time.perf_counter()
    version = _proxy_version(event)
    fields = {"source": "direct" if version is None else "apigw-" + version}
    try:
        if version is None:
            return _handle_direct(event, fields)
        fields["apiRequestId"] = event["requestContext"].get("requestId")
        return _handle_proxy(event, version, fields, getattr(context, "aws_request_id", None))
    finally:
        fields["durationMs"] = round((time.perf_counter() - started) * 1000, 2)
        _log(context, fields)
