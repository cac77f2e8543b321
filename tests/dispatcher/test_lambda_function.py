"""Unit tests of the embedded dispatcher against moto (in-process AWS)."""

import base64
import importlib.util
import json
import os
import pathlib
import urllib.parse
from decimal import Decimal

import boto3
import pytest
from moto import mock_aws

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "src" / "dispatcher" / "lambda_function.py"


def load_dispatcher():
    spec = importlib.util.spec_from_file_location("lambda_function", SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Context:
    aws_request_id = "req-1"


@pytest.fixture
def fn(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setenv("ALLOWED_TABLES", "users,orders")
    with mock_aws():
        ddb = boto3.client("dynamodb")
        for name, key in (("users", "id"), ("orders", "orderId")):
            ddb.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        yield load_dispatcher()


def direct(fn, event):
    return fn.lambda_handler(event, Context())


def v1(body, **extra):
    event = {"httpMethod": "POST", "resource": "/crud", "requestContext": {"stage": "v1"}, "body": body}
    event.update(extra)
    return event


def v2(body):
    return {"version": "2.0", "httpMethod": "GET", "requestContext": {"http": {"method": "POST"}}, "body": body}


# ---------------------------------------------------------------- direct events


def test_tutorial_events_work_directly(fn):
    assert direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "2377ab", "number": 4}}}) == {}
    got = direct(fn, {"operation": "read", "tableName": "users", "payload": {"Key": {"id": "2377ab"}}})
    assert got == {"Item": {"id": "2377ab", "number": Decimal(4)}}
    update = {
        "operation": "update",
        "tableName": "users",
        "payload": {
            "Key": {"id": "2377ab"},
            "UpdateExpression": "SET FirstName = :newValue",
            "ExpressionAttributeValues": {":newValue": "Sarvesh"},
            "ReturnValues": "ALL_NEW",
        },
    }
    assert direct(fn, update)["Attributes"]["FirstName"] == "Sarvesh"
    listed = direct(fn, {"operation": "list", "tableName": "users", "payload": {}})
    assert listed["Count"] == 1 and "ResponseMetadata" not in listed
    assert direct(fn, {"operation": "delete", "tableName": "users", "payload": {"Key": {"id": "2377ab"}}}) == {}
    assert direct(fn, {"operation": "read", "tableName": "users", "payload": {"Key": {"id": "2377ab"}}}) == {}
    assert direct(fn, {"operation": "ping"}) == "pong"
    assert direct(fn, {"operation": "echo", "payload": {"a": 1}}) == {"a": 1}


def test_floats_are_stored_exactly_as_written(fn):
    # The runtime parses events with floats; the tutorial code fails on them.
    direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "f", "p": 4.5, "t": 0.1, "q": 19.99}}})
    item = direct(fn, {"operation": "read", "tableName": "users", "payload": {"Key": {"id": "f"}}})["Item"]
    assert item["p"] == Decimal("4.5") and item["t"] == Decimal("0.1") and item["q"] == Decimal("19.99")


def test_payload_json_carries_full_precision(fn):
    payload = '{"Item": {"id": "big", "n": 12345678901234567890.123456789}}'
    event = {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "big", "n": 1.2345678901234567e19}}, "payloadJson": payload}
    direct(fn, event)
    item = direct(fn, {"operation": "read", "tableName": "users", "payload": {"Key": {"id": "big"}}})["Item"]
    assert item["n"] == Decimal("12345678901234567890.123456789")


def test_errors_raise_typed_exceptions(fn):
    with pytest.raises(fn.TableNotAllowed):
        direct(fn, {"operation": "read", "tableName": "secrets", "payload": {"Key": {"id": "1"}}})
    with pytest.raises(fn.BadRequest, match="Unrecognized operation"):
        direct(fn, {"operation": "drop", "tableName": "users"})
    direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "c"}}})
    with pytest.raises(fn.ConditionFailed):
        direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "c"}, "ConditionExpression": "attribute_not_exists(id)"}})
    with pytest.raises(fn.BadRequest):
        direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "x"}, "Bogus": 1}})
    with pytest.raises(fn.BadRequest, match="NaN"):
        direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "x", "v": float("nan")}}})


def test_allow_list_unset_allows_nothing_and_star_allows_all(fn, monkeypatch):
    monkeypatch.delenv("ALLOWED_TABLES")
    with pytest.raises(fn.TableNotAllowed):
        direct(fn, {"operation": "list", "tableName": "users"})
    monkeypatch.setenv("ALLOWED_TABLES", "*")
    assert direct(fn, {"operation": "list", "tableName": "orders"})["Count"] == 0


def test_missing_table_is_table_not_found(fn, monkeypatch):
    monkeypatch.setenv("ALLOWED_TABLES", "*")
    with pytest.raises(fn.TableNotFound):
        direct(fn, {"operation": "list", "tableName": "ghost"})


# ---------------------------------------------------------------- proxy events


def test_proxy_v1_statuses(fn):
    r = direct(fn, v1(json.dumps({"operation": "create", "tableName": "users", "payload": {"Item": {"id": "1", "n": 1}}})))
    assert r["statusCode"] == 200 and "cookies" not in r
    r = direct(fn, v1(json.dumps({"operation": "read", "tableName": "users", "payload": {"Key": {"id": "nope"}}})))
    assert r["statusCode"] == 404 and json.loads(r["body"])["error"]["type"] == "ItemNotFound"
    r = direct(fn, v1(json.dumps({"operation": "read", "tableName": "secrets", "payload": {"Key": {"id": "1"}}})))
    assert r["statusCode"] == 403
    r = direct(fn, v1(json.dumps({"operation": "create", "tableName": "users", "payload": {"Item": {"id": "1"}, "ConditionExpression": "attribute_not_exists(id)"}})))
    assert r["statusCode"] == 409 and json.loads(r["body"])["error"]["type"] == "ConditionFailed"
    r = direct(fn, v1("{not json"))
    assert r["statusCode"] == 400 and "not valid JSON" in json.loads(r["body"])["error"]["message"]
    r = direct(fn, v1(json.dumps({"operation": "frobnicate"})))
    assert r["statusCode"] == 400


def test_proxy_v2_reply_has_cookies_and_base64_bodies_work(fn):
    body = base64.b64encode(b'{"operation": "ping"}').decode()
    event = v2(body)
    event["isBase64Encoded"] = True
    r = direct(fn, event)
    assert r == {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "X-Lambda-Request-Id": "req-1"},
        "body": '"pong"',
        "isBase64Encoded": False,
        "cookies": [],
    }


def test_proxy_bodies_keep_38_digit_numbers_exact(fn):
    text = '{"operation": "create", "tableName": "users", "payload": {"Item": {"id": "p", "n": 12345678901234567890.123456789, "t": 0.1}}}'
    assert direct(fn, v2(text))["statusCode"] == 200
    r = direct(fn, v2('{"operation": "read", "tableName": "users", "payload": {"Key": {"id": "p"}}}'))
    assert r["body"] == '{"Item":{"id":"p","n":12345678901234567890.123456789,"t":0.1}}'


def test_sets_and_binary_are_json_safe(fn):
    table = boto3.resource("dynamodb").Table("users")
    table.put_item(Item={"id": "s", "tags": {"b", "a"}, "nums": {Decimal(2), Decimal(1)}, "blob": b"\x00\x01"})
    r = direct(fn, v1('{"operation": "read", "tableName": "users", "payload": {"Key": {"id": "s"}}}'))
    item = json.loads(r["body"])["Item"]
    assert item["tags"] == ["a", "b"] and item["nums"] == [1, 2] and item["blob"] == "AAE="
    direct_item = direct(fn, {"operation": "read", "tableName": "users", "payload": {"Key": {"id": "s"}}})["Item"]
    assert direct_item["tags"] == ["a", "b"]


def test_unexpected_failures_become_500_not_a_crash(fn, monkeypatch):
    def boom(**_):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(fn._table("users"), "scan", boom)
    r = direct(fn, v1('{"operation": "list", "tableName": "users"}'))
    assert r["statusCode"] == 500 and "disk on fire" in r["body"]


# ---------------------------------------------------------------- batch


def test_batch_writes_and_reports_bad_items_by_index(fn):
    items = [{"id": str(i), "n": i} for i in range(60)]
    items[7] = {"nokey": 1}
    items[30] = "not an object"
    r = direct(fn, {"operation": "batch", "tableName": "users", "payload": {"Items": items}})
    assert r["Written"] == 58
    assert sorted(f["Index"] for f in r["Failed"]) == [7, 30]
    assert direct(fn, {"operation": "list", "tableName": "users"})["Count"] == 58


# ---------------------------------------------------------------- hygiene


def test_resource_is_built_once(fn):
    direct(fn, {"operation": "list", "tableName": "users"})
    first = fn._resource
    direct(fn, {"operation": "list", "tableName": "users"})
    assert fn._resource is first


def test_proxy_log_lines_carry_both_request_ids(fn, capsys):
    direct(fn, v1('{"operation": "ping"}', requestContext={"stage": "v1", "requestId": "api-7"}))
    line = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert line["requestId"] == "req-1" and line["apiRequestId"] == "api-7"


def test_one_log_line_per_request_without_item_contents(fn, capsys):
    direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "1", "secret": "hunter2"}}})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 1
    assert lines[0]["operation"] == "create" and lines[0]["status"] == 200 and lines[0]["requestId"] == "req-1"
    assert "hunter2" not in json.dumps(lines[0])


# ---------------------------------------------------------------- safety


SECRET = {"TableName": "orders"}


@pytest.mark.parametrize(
    "operation,payload",
    [
        ("create", {"Item": {"id": "x"}, **SECRET}),
        ("read", {"Key": {"id": "x"}, **SECRET}),
        ("update", {"Key": {"id": "x"}, "UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": 1}, **SECRET}),
        ("delete", {"Key": {"id": "x"}, **SECRET}),
        ("list", {**SECRET}),
        ("batch", {"Items": [{"id": "x"}], **SECRET}),
    ],
)
def test_a_table_name_in_the_payload_is_refused_for_every_operation(fn, monkeypatch, operation, payload):
    monkeypatch.setenv("ALLOWED_TABLES", "users")
    boto3.resource("dynamodb").Table("orders").put_item(Item={"orderId": "secret-order"})
    event = {"operation": operation, "tableName": "users", "payload": payload}
    with pytest.raises(fn.BadRequest, match='"TableName" is not accepted'):
        direct(fn, event)
    for proxy in (v1, v2):
        r = direct(fn, proxy(json.dumps(event)))
        assert r["statusCode"] == 400, r
        assert "TableName" in json.loads(r["body"])["error"]["message"]
        assert "secret-order" not in r["body"]
    # Nothing reached the other table.
    orders = boto3.resource("dynamodb").Table("orders").scan()["Items"]
    assert orders == [{"orderId": "secret-order"}]


@pytest.mark.parametrize("operation", ["create", "read", "update", "delete", "list", "batch"])
def test_unknown_arguments_are_refused_by_name(fn, operation):
    with pytest.raises(fn.BadRequest, match='"Bogus" is not accepted in the payload of ' + operation):
        direct(fn, {"operation": operation, "tableName": "users", "payload": {"Bogus": 1}})


def test_the_log_line_names_the_table_actually_used(fn, capsys):
    direct(fn, {"operation": "list", "tableName": "users", "payload": {"Limit": 1}})
    line = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert line["table"] == "users" and line["status"] == 200


@pytest.mark.parametrize(
    "number",
    ["123456789012345678901234567890123456789", "1e400", "1e-200", "-9.9e126", "99999999999999999999999999999999999999.5"],
)
def test_numbers_dynamodb_refuses_are_400_not_500(fn, number):
    text = '{"operation": "create", "tableName": "users", "payload": {"Item": {"id": "n", "v": %s}}}' % number
    r = direct(fn, v1(text))
    assert r["statusCode"] == 400, r
    assert "ValidationException" in json.loads(r["body"])["error"]["message"]
    with pytest.raises(fn.BadRequest, match="ValidationException"):
        direct(fn, {"operation": "create", "tableName": "users", "payload": {}, "payloadJson": text[text.index('{"Item"'):-1]})


def test_numbers_at_dynamodb_limits_are_stored(fn):
    nines = "9" * 38
    text = '{"Item": {"id": "lim", "a": %s, "b": 1E-130, "c": 9.9999999999999999999999999999999999999E+125}}' % nines
    direct(fn, {"operation": "create", "tableName": "users", "payload": {}, "payloadJson": text})
    item = direct(fn, {"operation": "read", "tableName": "users", "payload": {"Key": {"id": "lim"}}})["Item"]
    assert item["a"] == Decimal(nines) and item["b"] == Decimal("1E-130")


def test_one_bad_number_fails_only_its_item_in_a_batch(fn):
    text = '{"Items": [{"id": "a", "v": 1}, {"id": "b", "v": 1e400}, {"id": "c", "v": 2}]}'
    r = direct(fn, {"operation": "batch", "tableName": "users", "payload": {}, "payloadJson": text})
    assert r["Written"] == 2
    assert [f["Index"] for f in r["Failed"]] == [1]
    assert "ValidationException" in r["Failed"][0]["Message"]


def test_empty_names_and_deep_nesting_are_refused(fn):
    with pytest.raises(fn.BadRequest, match="attribute name is empty"):
        direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "e", "": 1}}})
    deep = {"leaf": 1}
    for _ in range(33):
        deep = {"d": deep}
    with pytest.raises(fn.BadRequest, match="nest deeper"):
        direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "d", "x": deep}}})
    ok = {"leaf": 1}
    for _ in range(31):
        ok = {"d": ok}
    direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "d", "x": ok}}})


def test_bad_base64_or_utf8_proxy_bodies_are_400(fn):
    for body in ("!!!not base64!!!", base64.b64encode(b"\xff\xfe{}").decode()):
        event = v2(body)
        event["isBase64Encoded"] = True
        r = direct(fn, event)
        assert r["statusCode"] == 400, r
        assert "base64" in json.loads(r["body"])["error"]["message"]


# ---------------------------------------------------------------- typed (DynamoDB JSON)


def test_typed_batch_and_list_keep_every_type(fn):
    items = [
        {"id": {"S": "t1"}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "b": {"B": "AAE="},
         "n": {"N": "99999999999999999999999999999999999999"}, "z": {"NULL": True}, "e": {"S": ""},
         "m": {"M": {"l": {"L": [{"N": "1E-130"}, {"BOOL": False}]}}}},
        {"id": {"S": "t2"}, "bad": {"N": "1e400"}},
    ]
    r = direct(fn, {"operation": "batch", "tableName": "users", "typed": True, "payload": {"Items": items}})
    assert r["Written"] == 1 and r["Typed"] is True
    assert [f["Index"] for f in r["Failed"]] == [1]
    listed = direct(fn, {"operation": "list", "tableName": "users", "typed": True, "payload": {"Segment": 0, "TotalSegments": 1}})
    assert listed["Typed"] is True
    (item,) = listed["Items"]
    assert item["n"] == {"N": "99999999999999999999999999999999999999"}
    assert sorted(item["ss"]["SS"]) == ["a", "b"] and item["b"] == {"B": "AAE="}
    assert item["z"] == {"NULL": True} and item["e"] == {"S": ""}
    assert item["m"]["M"]["l"]["L"][0]["N"] in ("1E-130", "1E-130".lower())
    # Typed pages: LastEvaluatedKey is typed and goes back as ExclusiveStartKey.
    direct(fn, {"operation": "batch", "tableName": "users", "typed": True,
                "payload": {"Items": [{"id": {"S": "t%d" % i}} for i in range(3, 8)]}})
    seen, start = [], None
    while True:
        payload = {"Limit": 2}
        if start:
            payload["ExclusiveStartKey"] = start
        page = direct(fn, {"operation": "list", "tableName": "users", "typed": True, "payload": payload})
        seen += [i["id"]["S"] for i in page["Items"]]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert sorted(seen) == ["t1", "t3", "t4", "t5", "t6", "t7"]


def test_a_typed_list_returns_the_items_as_dynamodb_sent_them(fn, monkeypatch):
    """botocore's parser never walks the page's values (the slow part of a
    large page in the function): the Items come from the reply as sent."""
    import botocore.parsers
    direct(fn, {"operation": "batch", "tableName": "users", "typed": True,
                "payload": {"Items": [{"id": {"S": "p%d" % i}, "n": {"N": "1" * 38}, "s": {"SS": ["x"]}}
                                      for i in range(5)]}})
    parsed_values = []
    real = botocore.parsers.BaseJSONParser._handle_structure

    def counting(self, shape, value):
        if shape.name == "AttributeValue":
            parsed_values.append(value)
        return real(self, shape, value)

    monkeypatch.setattr(botocore.parsers.BaseJSONParser, "_handle_structure", counting)
    page = direct(fn, {"operation": "list", "tableName": "users", "typed": True, "payload": {"Limit": 3}})
    # Only the LastEvaluatedKey's one value went through the parser.
    assert parsed_values == [page["LastEvaluatedKey"]["id"]]
    assert len(page["Items"]) == 3 and page["Count"] == 3 and page["Typed"] is True
    assert page["Items"][0]["n"] == {"N": "1" * 38} and page["Items"][0]["s"] == {"SS": ["x"]}
    assert page["LastEvaluatedKey"]["id"]["S"].startswith("p")



def test_a_typed_page_is_parsed_with_the_collector_paused(fn, monkeypatch):
    """A 1 MB page is ~100,000 new containers: the cyclic collector would
    walk every live object several times during the parse."""
    import gc
    direct(fn, {"operation": "create", "tableName": "users", "payload": {"Item": {"id": "g1"}}})
    real = fn._members_with_spans
    seen = []

    def members_with_spans(text):
        seen.append(gc.isenabled())
        return real(text)

    monkeypatch.setattr(fn, "_members_with_spans", members_with_spans)
    assert gc.isenabled()
    page = direct(fn, {"operation": "list", "tableName": "users", "typed": True, "payload": {}})
    assert page["Items"] == [{"id": {"S": "g1"}}]
    assert seen == [False] and gc.isenabled()


def test_a_typed_page_s_items_go_into_a_proxy_body_as_dynamodb_wrote_them(fn):
    """No second encoding of the page: the body holds DynamoDB's own text
    of the Items (moto writes `{"S": "x"}` with a space; _dumps would not)."""
    direct(fn, {"operation": "batch", "tableName": "users", "typed": True,
                "payload": {"Items": [{"id": {"S": "p%d" % i}, "n": {"N": "9" * 38}, "u": {"S": "ção"}}
                                      for i in range(3)]}})
    event = {"operation": "list", "tableName": "users", "typed": True, "payload": {}}
    reply = fn.lambda_handler(v1(json.dumps(event)), Context())
    assert reply["statusCode"] == 200
    assert '"Items":[{"id": {"S": "p' in reply["body"]
    body = json.loads(reply["body"])
    assert body["Typed"] is True and body["Count"] == 3
    assert body["Items"] == direct(fn, event)["Items"]
    assert sorted(item["id"]["S"] for item in body["Items"]) == ["p0", "p1", "p2"]
    assert all(item["n"] == {"N": "9" * 38} and item["u"] == {"S": "ção"} for item in body["Items"])


def test_the_members_reader_takes_json_objects_and_refuses_anything_else(fn):
    text = ' { "Items" : [ {"a": {"S": "}"}} ] , "Count":1,"e":{} }\n'
    members, spans = fn._members_with_spans(text)
    assert members == json.loads(text)
    assert json.loads(text[slice(*spans["Items"])]) == [{"a": {"S": "}"}}]
    assert fn._members_with_spans("{}") == ({}, {})
    for bad in ["[]", '{"a":1', '{"a" 1}', '{"a":1,}', '{"a":1} x', '{a:1}', ""]:
        with pytest.raises((ValueError, StopIteration)):
            fn._members_with_spans(bad)


# ---------------------------------------------------------------- resource routes (/items)


TABLE_KEYS = {
    "users": [["id", "S"]],
    "ledger": [["accountId", "S"], ["seq", "N"]],
    "blobs": [["h", "B"]],
}
BIG = "12345678901234567890.123456789012345678"  # 38 significant digits
BIG_INT = "9" * 38


@pytest.fixture
def rest(fn, monkeypatch):
    """The dispatcher with TABLE_KEYS; "orders" is allowed but has no known key."""
    monkeypatch.setenv("ALLOWED_TABLES", "users,orders,ledger,blobs")
    monkeypatch.setenv("TABLE_KEYS", json.dumps(TABLE_KEYS))
    monkeypatch.delenv("ALLOWED_ORIGINS", raising=False)
    ddb = boto3.client("dynamodb")
    for name, schema in (("ledger", TABLE_KEYS["ledger"]), ("blobs", TABLE_KEYS["blobs"])):
        ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": a, "KeyType": k} for (a, _), k in zip(schema, ("HASH", "RANGE"))],
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in schema],
            BillingMode="PAY_PER_REQUEST",
        )
    return fn


def _route_parts(path):
    """("/items/{table}/{id}", {"table": ..., "id": ...}) for a request path."""
    segments = [urllib.parse.unquote(s) for s in path.strip("/").split("/")]
    names = ("table", "id", "sort")[: len(segments) - 1]
    return "/" + "/".join([segments[0]] + ["{%s}" % n for n in names]), dict(zip(names, segments[1:]))


def rest_v1(method, path, body=None, query=(), headers=None):
    """A REST API proxy event as API Gateway builds it for /items routes.
    query: (name, value) pairs, repeats allowed."""
    resource, params = _route_parts(path)
    multi = {}
    for name, value in query:
        multi.setdefault(name, []).append(value)
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "pathParameters": params or None,
        "queryStringParameters": {k: v[-1] for k, v in multi.items()} or None,
        "multiValueQueryStringParameters": multi or None,
        "headers": headers or None,
        "multiValueHeaders": {k: [v] for k, v in (headers or {}).items()} or None,
        "body": None if body is None else json.dumps(body) if not isinstance(body, str) else body,
        "isBase64Encoded": False,
        "requestContext": {"stage": "v1", "requestId": "api-1", "httpMethod": method, "path": "/v1" + path},
    }


def rest_v2(method, path, body=None, query=(), headers=None):
    """An HTTP API payload 2.0 event: headers lower-cased, repeated query keys comma-joined."""
    resource, params = _route_parts(path)
    joined = {}
    for name, value in query:
        joined[name] = joined[name] + "," + value if name in joined else value
    event = {
        "version": "2.0",
        "routeKey": "{} {}".format(method, resource),
        "rawPath": path,
        "rawQueryString": urllib.parse.urlencode(list(query)),
        "headers": {k.lower(): v for k, v in (headers or {}).items()},
        "isBase64Encoded": False,
        "requestContext": {"http": {"method": method, "path": path}, "stage": "$default", "requestId": "api-2"},
    }
    if params:
        event["pathParameters"] = params
    if joined:
        event["queryStringParameters"] = joined
    if body is not None:
        event["body"] = json.dumps(body) if not isinstance(body, str) else body
    return event


class Api:
    """Sends resource-route requests in one event format."""

    def __init__(self, fn, version):
        self.fn, self.version = fn, version
        self.build = rest_v1 if version == "v1" else rest_v2

    def reply(self, method, path, body=None, query=(), headers=None):
        return direct(self.fn, self.build(method, path, body, query, headers))

    def __call__(self, method, path, body=None, query=(), headers=None):
        r = self.reply(method, path, body, query, headers)
        return r["statusCode"], json.loads(r["body"], parse_float=Decimal)


@pytest.fixture(params=["v1", "v2"])
def api(rest, request):
    return Api(rest, request.param)


def stored(table, key):
    return boto3.resource("dynamodb").Table(table).get_item(Key=key).get("Item")


def test_create_then_read(api):
    status, body = api("POST", "/items/users", {"id": "u1", "name": "Ann", "age": 32})
    assert (status, body) == (201, {"item": {"id": "u1", "name": "Ann", "age": 32}})
    assert stored("users", {"id": "u1"}) == {"id": "u1", "name": "Ann", "age": 32}
    assert api("GET", "/items/users/u1") == (200, {"id": "u1", "name": "Ann", "age": 32})


def test_create_refuses_items_without_their_key(api):
    for body in ({"name": "no id"}, {"id": 7}, {"id": ""}, ["id", "u1"], "{not json"):
        status, reply = api("POST", "/items/users", body)
        assert status == 400 and reply["error"]["type"] == "BadRequest", (body, reply)
    status, reply = api("POST", "/items/users", {"name": "no id"})
    assert '"id"' in reply["error"]["message"]
    assert boto3.resource("dynamodb").Table("users").scan()["Items"] == []


def test_if_absent_answers_409_when_the_key_exists(api):
    assert api("POST", "/items/users", {"id": "u1", "v": 1}, query=[("ifAbsent", "true")])[0] == 201
    status, body = api("POST", "/items/users", {"id": "u1", "v": 2}, query=[("ifAbsent", "true")])
    assert status == 409 and body["error"]["type"] == "ConditionFailed"
    assert stored("users", {"id": "u1"})["v"] == 1
    assert api("POST", "/items/users", {"id": "u1", "v": 3})[0] == 201  # without it: overwrite
    assert stored("users", {"id": "u1"})["v"] == 3
    assert api("POST", "/items/users", {"id": "u2"}, query=[("ifAbsent", "yes")])[0] == 400


def test_read_of_a_missing_item_is_404(api):
    status, body = api("GET", "/items/users/ghost")
    assert status == 404 and body["error"]["type"] == "ItemNotFound"


def test_patch_sets_only_the_given_attributes(api):
    api("POST", "/items/users", {"id": "u1", "name": "Ann", "age": 32, "city": "Oslo"})
    status, body = api("PATCH", "/items/users/u1", {"name": "Bo", "age": 33})  # `name` is a reserved word
    assert (status, body) == (200, {"id": "u1", "name": "Bo", "age": 33, "city": "Oslo"})
    assert stored("users", {"id": "u1"}) == {"id": "u1", "name": "Bo", "age": 33, "city": "Oslo"}


def test_patch_refusals(api):
    status, body = api("PATCH", "/items/users/ghost", {"name": "x"})
    assert status == 404 and body["error"]["type"] == "ItemNotFound"
    assert stored("users", {"id": "ghost"}) is None, "PATCH must not create the item"
    api("POST", "/items/users", {"id": "u1"})
    status, body = api("PATCH", "/items/users/u1", {"id": "u2"})
    assert status == 400 and '"id"' in body["error"]["message"]
    assert api("PATCH", "/items/users/u1", {})[0] == 400
    assert api("PATCH", "/items/users/u1", [1])[0] == 400


def test_put_replaces_the_whole_item(api):
    api("POST", "/items/users", {"id": "u1", "a": 1, "b": 2})
    assert api("PUT", "/items/users/u1", {"a": 5}) == (200, {"a": 5, "id": "u1"})
    assert stored("users", {"id": "u1"}) == {"id": "u1", "a": 5}
    assert api("PUT", "/items/users/u1", {"id": "u1", "c": 1}) == (200, {"id": "u1", "c": 1})
    status, body = api("PUT", "/items/users/u1", {"id": "u2", "c": 1})
    assert status == 400 and "path" in body["error"]["message"]
    assert stored("users", {"id": "u2"}) is None
    assert api("PUT", "/items/users/new", {"x": 1}) == (200, {"x": 1, "id": "new"})  # PUT creates too


def test_delete_returns_the_old_item_then_404(api):
    api("POST", "/items/users", {"id": "u1", "name": "Ann"})
    assert api("DELETE", "/items/users/u1") == (200, {"deleted": {"id": "u1", "name": "Ann"}})
    assert api("GET", "/items/users/u1")[0] == 404
    status, body = api("DELETE", "/items/users/u1")
    assert status == 404 and body["error"]["type"] == "ItemNotFound"


def test_list_pages_with_a_cursor(api):
    for i in range(5):
        api("POST", "/items/users", {"id": "u%d" % i})
    seen, pages, start = [], 0, None
    while True:
        query = [("limit", "2")] + ([("start", start)] if start else [])
        status, page = api("GET", "/items/users", query=query)
        assert status == 200 and page["count"] == len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        pages += 1
        start = page["next"]
        if start is None:
            break
        assert all(c.isalnum() or c in "-_" for c in start), "the cursor is URL-safe"
    assert pages == 3 and sorted(seen) == ["u0", "u1", "u2", "u3", "u4"]


def test_list_defaults_to_100(api):
    boto3.resource("dynamodb").Table("users").put_item(Item={"id": "only"})
    assert api("GET", "/items/users") == (200, {"items": [{"id": "only"}], "count": 1, "next": None})


def test_list_where_filters_by_number_string_and_boolean(api):
    people = [
        {"id": "1", "name": "Ann", "age": 32, "ok": True, "note": "x,y"},
        {"id": "2", "name": "Ann", "age": 40, "ok": False},
        {"id": "3", "name": "Bo", "age": 32, "ok": True},
        {"id": "4", "name": "32", "age": "32"},
    ]
    for person in people:
        api("POST", "/items/users", person)

    def ids(*clauses):
        status, page = api("GET", "/items/users", query=[("where", c) for c in clauses])
        assert status == 200, page
        return sorted(item["id"] for item in page["items"])

    assert ids("age=32") == ["1", "3"]  # a number, not the string "32"
    assert ids('age="32"') == ["4"]  # quoted: the string
    assert ids("name=Ann") == ["1", "2"]  # reserved word, unquoted string
    assert ids("name=Ann", "age=32") == ["1"]  # ANDed
    assert ids("ok=true") == ["1", "3"]
    assert ids("note=x,y") == ["1"]  # a comma inside a value survives v2's joined parameters
    assert ids("name=Nobody") == []


@pytest.mark.parametrize(
    "query",
    [[("limit", "0")], [("limit", "1001")], [("limit", "ten")], [("limit", "-1")], [("start", "not a cursor!")],
     [("start", base64.urlsafe_b64encode(b'{"other": "x"}').decode())], [("where", "noequals")], [("where", "=1")],
     [("where", "n=1e400")]],
)
def test_list_refuses_bad_query_parameters(api, query):
    status, body = api("GET", "/items/users", query=query)
    assert status == 400 and body["error"]["type"] == "BadRequest", body


@pytest.mark.parametrize(
    "method,path", [("GET", "/items/secrets"), ("POST", "/items/secrets"), ("GET", "/items/secrets/1"),
                    ("PUT", "/items/secrets/1"), ("PATCH", "/items/secrets/1"), ("DELETE", "/items/secrets/1")],
)
def test_a_table_outside_the_allow_list_is_403_on_every_route(api, method, path):
    status, body = api(method, path, {"id": "1", "x": 1} if method in ("POST", "PUT", "PATCH") else None)
    assert status == 403 and body["error"]["type"] == "TableNotAllowed"


def test_a_table_without_a_known_key_is_403_but_crud_still_serves_it(api, monkeypatch):
    status, body = api("GET", "/items/orders")
    assert status == 403 and body["error"]["type"] == "TableKeyUnknown"
    assert "no known key" in body["error"]["message"] and "TABLE_KEYS" in body["error"]["message"]
    crud = {"operation": "create", "tableName": "orders", "payload": {"Item": {"orderId": "o1"}}}
    assert direct(api.fn, v1(json.dumps(crud)))["statusCode"] == 200
    monkeypatch.delenv("TABLE_KEYS")
    assert api("GET", "/items/users/u1")[1]["error"]["type"] == "TableKeyUnknown"


def test_malformed_table_keys_is_a_500_naming_it(api, monkeypatch):
    for bad in ("{not json", '{"users": [["id", "X"]]}', '{"users": []}'):
        monkeypatch.setenv("TABLE_KEYS", bad)
        status, body = api("GET", "/items/users")
        assert status == 500 and "TABLE_KEYS" in body["error"]["message"]


@pytest.mark.parametrize(
    "method,path",
    [("GET", "/nope"), ("OPTIONS", "/items/users"), ("OPTIONS", "/items/users/u1"), ("POST", "/items/users/u1"),
     ("DELETE", "/items/users"), ("HEAD", "/items/users/u1"), ("GET", "/items"), ("GET", "/items/a/b/c/d"),
     ("GET", "/crud"), ("OPTIONS", "/crud")],
)
def test_unknown_routes_and_methods_are_404(api, method, path):
    event = api.build(method, path)
    if path in ("/nope", "/crud", "/items", "/items/a/b/c/d"):  # no /items template: matched by path
        event.pop("resource", None)
        event["routeKey"] = "$default"
        event.pop("pathParameters", None)
    r = direct(api.fn, event)
    body = json.loads(r["body"])
    assert r["statusCode"] == 404 and body["error"]["type"] == "NotFound", body


def test_routes_are_matched_by_path_without_a_template(rest):
    boto3.resource("dynamodb").Table("users").put_item(Item={"id": "a b/c", "n": 1})
    greedy = rest_v1("GET", "/items/users/a%20b%2Fc")
    greedy.update(resource="/{proxy+}", pathParameters={"proxy": "items/users/a b/c"})
    staged = rest_v2("GET", "/prod/items/users/a%20b%2Fc")
    staged.update(routeKey="$default", pathParameters={"proxy": "x"})
    staged["requestContext"]["stage"] = "prod"
    for event in (greedy, staged):
        r = direct(rest, event)
        assert r["statusCode"] == 200 and json.loads(r["body"]) == {"id": "a b/c", "n": 1}, r


def test_a_post_outside_items_is_still_a_contract_event(rest, capsys):
    # Function URLs post to "/"; the tutorial's API to /DynamoDBManager.
    url = rest_v2("POST", "/", '{"operation": "ping"}')
    url["routeKey"] = "$default"
    tutorial = rest_v1("POST", "/DynamoDBManager", '{"operation": "echo", "payload": {"a": 1}}')
    assert direct(rest, url)["body"] == '"pong"'
    assert direct(rest, tutorial)["body"] == '{"a":1}'
    routes = [json.loads(line)["route"] for line in capsys.readouterr().out.splitlines()]
    assert routes == ["POST /", "POST /DynamoDBManager"]


def test_decoded_path_parameters_are_used_as_given(api):
    api("POST", "/items/users", {"id": "a b/c"})
    assert api("GET", "/items/users/a%20b%2Fc")[0] == 200


def test_a_composite_key_table_uses_three_segments(api):
    status, body = api("POST", "/items/ledger", {"accountId": "a1", "seq": 1, "amount": 5})
    assert (status, body) == (201, {"item": {"accountId": "a1", "seq": 1, "amount": 5}})
    assert api("GET", "/items/ledger/a1/1") == (200, {"accountId": "a1", "seq": 1, "amount": 5})
    assert api("GET", "/items/ledger/a1/1.0")[0] == 200  # the same number
    assert api("PATCH", "/items/ledger/a1/1", {"amount": 7})[1]["amount"] == 7
    assert api("PUT", "/items/ledger/a1/2", {"amount": 1}) == (200, {"amount": 1, "accountId": "a1", "seq": 2})
    assert api("PUT", "/items/ledger/a1/2", {"seq": 3})[0] == 400
    assert api("PATCH", "/items/ledger/a1/2", {"seq": 3})[0] == 400
    assert api("POST", "/items/ledger", {"accountId": "a1"})[0] == 400  # no sort key value
    assert api("POST", "/items/ledger", {"accountId": "a1", "seq": "2"})[0] == 400  # N must be a number
    assert api("DELETE", "/items/ledger/a1/2")[1] == {"deleted": {"amount": 1, "accountId": "a1", "seq": 2}}
    assert api("GET", "/items/ledger/a1/2")[0] == 404


def test_composite_key_refusals(api):
    status, body = api("GET", "/items/ledger/a1")
    assert status == 400 and '"seq"' in body["error"]["message"] and "/items/ledger/{id}/{seq}" in body["error"]["message"]
    status, body = api("GET", "/items/users/u1/x")
    assert status == 400 and "no sort key" in body["error"]["message"]
    for bad in ("ten", "NaN", "Infinity", "1_000", "1e400", "1" * 39):
        status, body = api("GET", "/items/ledger/a1/" + bad)
        assert status == 400, (bad, body)


def test_a_composite_key_cursor_keeps_numbers_exact(api):
    seqs = [BIG_INT, "1", "2.5", "-" + BIG_INT, "1E-130"]
    table = boto3.resource("dynamodb").Table("ledger")
    for seq in seqs:
        table.put_item(Item={"accountId": "a1", "seq": Decimal(seq)})
    seen, start = [], None
    while True:
        status, page = api("GET", "/items/ledger", query=[("limit", "2")] + ([("start", start)] if start else []))
        assert status == 200, page
        seen += [item["seq"] for item in page["items"]]
        start = page["next"]
        if not start:
            break
    assert sorted(seen) == sorted(Decimal(s) for s in seqs)


def test_38_digit_numbers_are_exact_through_create_and_read(api):
    text = '{"id": "big", "d": %s, "i": %s, "t": 0.1}' % (BIG, BIG_INT)
    r = api.reply("POST", "/items/users", text)
    assert r["statusCode"] == 201
    assert r["body"] == '{"item":{"id":"big","d":%s,"i":%s,"t":0.1}}' % (BIG, BIG_INT)
    assert stored("users", {"id": "big"})["d"] == Decimal(BIG)
    assert api.reply("GET", "/items/users/big")["body"] == '{"id":"big","d":%s,"i":%s,"t":0.1}' % (BIG, BIG_INT)
    r = api.reply("GET", "/items/users", query=[("where", "d=" + BIG)])
    assert r["body"] == '{"items":[{"id":"big","d":%s,"i":%s,"t":0.1}],"count":1,"next":null}' % (BIG, BIG_INT)
    status, body = api("POST", "/items/users", '{"id": "big", "d": 1%s}' % BIG_INT)
    assert status == 400 and "ValidationException" in body["error"]["message"]


def test_a_38_digit_number_key_from_the_path(api):
    api("POST", "/items/ledger", '{"accountId": "a1", "seq": %s}' % BIG)
    r = api.reply("GET", "/items/ledger/a1/" + BIG)
    assert r["statusCode"] == 200 and r["body"] == '{"accountId":"a1","seq":%s}' % BIG


def test_a_binary_key_travels_as_base64(api):
    assert api("POST", "/items/blobs", {"h": "AAE=", "v": 1}) == (201, {"item": {"h": "AAE=", "v": 1}})
    assert stored("blobs", {"h": b"\x00\x01"})["v"] == 1
    assert api("GET", "/items/blobs/AAE=") == (200, {"h": "AAE=", "v": 1})
    api("POST", "/items/blobs", {"h": base64.b64encode(b"\xfb\xff").decode()})  # "+/8="
    assert api("GET", "/items/blobs/-_8=")[0] == 200  # the URL-safe alphabet
    assert api("GET", "/items/blobs/!!!")[0] == 400
    assert api("POST", "/items/blobs", {"h": "not base64!"})[0] == 400


# ---------------------------------------------------------------- reply shapes


def test_v1_and_v2_reply_shapes(rest):
    boto3.resource("dynamodb").Table("users").put_item(Item={"id": "u1"})
    for build, extra in ((rest_v1, {}), (rest_v2, {"cookies": []})):
        assert direct(rest, build("GET", "/items/users/u1")) == {
            "statusCode": 200,
            "headers": {"Content-Type": "application/json", "X-Lambda-Request-Id": "req-1"},
            "body": '{"id":"u1"}',
            "isBase64Encoded": False,
            **extra,
        }
        r = direct(rest, build("GET", "/items/users/ghost"))
        assert set(r) == {"statusCode", "headers", "body", "isBase64Encoded"} | set(extra)
        assert json.loads(r["body"]) == {"error": {"type": "ItemNotFound", "message": "no item with that key"}}


def test_route_log_lines_name_the_route_not_the_item(api, capsys):
    api("POST", "/items/users/", {"id": "u-secret-id", "password": "hunter2"})
    api("GET", "/items/users/u-secret-id")
    direct(api.fn, v1('{"operation": "ping"}'))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 3
    create, read, ping = lines
    assert create["route"] == "POST /items/{table}" and create["operation"] == "create"
    assert create["table"] == "users" and create["status"] == 201 and create["requestId"] == "req-1"
    assert read["route"] == "GET /items/{table}/{id}" and read["operation"] == "read" and read["status"] == 200
    assert ping["route"] == "POST /crud" and ping["operation"] == "ping"
    assert all("durationMs" in line and "apiRequestId" in line for line in lines)
    text = json.dumps(lines)
    assert "hunter2" not in text and "u-secret-id" not in text


# ---------------------------------------------------------------- CORS


def cors_of(reply):
    return {k: v for k, v in reply["headers"].items() if k.startswith("Access-Control-") or k == "Vary"}


ALLOWED = {
    "Access-Control-Allow-Origin": "http://localhost:5173",
    "Vary": "Origin",
    "Access-Control-Expose-Headers": "X-Lambda-Request-Id",
}


@pytest.mark.parametrize("header", ["Origin", "origin", "ORIGIN"])
def test_cors_echoes_an_allowed_origin_on_every_reply(api, monkeypatch, header):
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://app.example, http://localhost:5173")
    origin = {header: "http://localhost:5173"}
    assert cors_of(api.reply("POST", "/items/users", {"id": "u1"}, headers=origin)) == ALLOWED
    assert cors_of(api.reply("GET", "/items/users/ghost", headers=origin)) == ALLOWED  # 404
    assert cors_of(api.reply("GET", "/items/secrets", headers=origin)) == ALLOWED  # 403
    assert cors_of(api.reply("GET", "/nope", headers=origin)) == ALLOWED  # unknown route
    crud = api.build("POST", "/crud", '{"operation": "ping"}', headers=origin)
    crud.update(resource="/crud", routeKey="POST /crud", pathParameters=None)
    assert cors_of(direct(api.fn, crud)) == ALLOWED
    crud["body"] = "{not json"
    assert cors_of(direct(api.fn, crud)) == ALLOWED


def test_cors_sends_nothing_for_another_or_no_origin(api, monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGINS", "http://localhost:5173")
    assert cors_of(api.reply("GET", "/items/users", headers={"Origin": "https://evil.example"})) == {}
    assert cors_of(api.reply("GET", "/items/users", headers={"Origin": "http://localhost:5174"})) == {}
    assert cors_of(api.reply("GET", "/items/users")) == {}


def test_cors_is_off_unless_configured(api):
    assert cors_of(api.reply("GET", "/items/users", headers={"Origin": "http://localhost:5173"})) == {}


def test_cors_star_allows_any_origin_without_vary(api, monkeypatch):
    monkeypatch.setenv("ALLOWED_ORIGINS", "*")
    assert cors_of(api.reply("GET", "/items/users", headers={"Origin": "https://any.example"})) == {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": "X-Lambda-Request-Id",
    }
    assert cors_of(api.reply("GET", "/items/users")) == {}  # no Origin: not a CORS request


# ---------------------------------------------------------------- the tutorial's events still work


EVENTS = sorted((HERE.parent.parent / "examples" / "events").glob("*.json"))


def test_the_tutorials_events_work_directly_and_through_both_proxies(fn, monkeypatch):
    monkeypatch.setenv("ALLOWED_TABLES", "lambda-apigateway")
    monkeypatch.setenv("TABLE_KEYS", json.dumps(TABLE_KEYS))
    boto3.client("dynamodb").create_table(
        TableName="lambda-apigateway",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    assert len(EVENTS) == 9
    for path in EVENTS:
        text = path.read_text()
        direct(fn, json.loads(text))  # raises on any error
        for proxy in (v1, v2):
            r = direct(fn, proxy(text))
            allowed = (200, 404) if json.loads(text)["operation"] == "read" else (200,)
            assert r["statusCode"] in allowed, (path.name, r)


def test_replies_are_written_by_json_s_encoder_exactly_as_by_the_python_walk(fn):
    from decimal import Decimal

    def walked(value):
        out = []
        fn._encode(value, out.append)
        return "".join(out)

    plain = {"Items": [{"id": {"S": "ção \u2603 \U0001f600 \"q\" \\ \n\t\x01"}, "n": {"N": "1" * 38},
                        "l": {"L": [{"BOOL": False}, {"NULL": True}, {"M": {}}]}}],
             "Count": 1, "ScannedCount": 7, "ratio": 0.1, "big": 10 ** 40, "none": None, "t": (1, 2)}
    assert fn._dumps(plain) == walked(plain)
    assert json.loads(fn._dumps(plain)) == json.loads(json.dumps(plain))
    # A Decimal is not plain JSON: still written exactly, digit for digit.
    exact = {"price": Decimal("12345678901234567890123456789.012345678"), "n": [Decimal("-1E-130")]}
    assert fn._dumps(exact) == '{"price":12345678901234567890123456789.012345678,"n":[-1E-130]}'
    assert fn._dumps(exact) == walked(exact)
