"""Unit tests of the embedded dispatcher against moto (in-process AWS)."""

import base64
import importlib.util
import json
import os
import pathlib
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
