"""The local stack's moto extension (src/local/moto_server_ext.py): a REST
stage's canary held as AWS holds it, in-process against moto."""

import importlib.util
import json
import pathlib

import boto3
import pytest
from moto import mock_aws

SOURCE = pathlib.Path(__file__).resolve().parents[2] / "src" / "local" / "moto_server_ext.py"


def load_extension():
    spec = importlib.util.spec_from_file_location("moto_server_ext", SOURCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def api(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    load_extension()
    with mock_aws():
        client = boto3.client("apigateway")
        api_id = client.create_rest_api(name="t")["id"]
        root = client.get_resources(restApiId=api_id)["items"][0]["id"]
        client.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
        client.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
        base = client.create_deployment(restApiId=api_id, stageName="v1", variables={"alias": "live"})["id"]
        yield client, api_id, base


def test_a_canary_deployment_leaves_the_stage_on_its_deployment(api):
    client, api_id, base = api
    canary = client.create_deployment(
        restApiId=api_id,
        stageName="v1",
        canarySettings={"percentTraffic": 25.0, "stageVariableOverrides": {"alias": "3"}, "useStageCache": False},
    )["id"]
    stage = client.get_stage(restApiId=api_id, stageName="v1")
    assert stage["deploymentId"] == base
    assert stage["variables"] == {"alias": "live"}
    assert stage["canarySettings"] == {
        "deploymentId": canary,
        "percentTraffic": 25.0,
        "stageVariableOverrides": {"alias": "3"},
        "useStageCache": False,
    }
    listed = client.get_stages(restApiId=api_id)["item"]
    assert [s["canarySettings"]["deploymentId"] for s in listed] == [canary]


def test_promotion_and_removal_as_aws_documents(api):
    client, api_id, _ = api
    canary = client.create_deployment(
        restApiId=api_id, stageName="v1", canarySettings={"percentTraffic": 10.0, "stageVariableOverrides": {"alias": "3"}}
    )["id"]
    client.update_stage(
        restApiId=api_id,
        stageName="v1",
        patchOperations=[
            {"op": "replace", "path": "/deploymentId", "value": canary},
            {"op": "replace", "path": "/variables/alias", "value": "3"},
            {"op": "replace", "path": "/canarySettings/percentTraffic", "value": "0.0"},
            {"op": "replace", "path": "/canarySettings/stageVariableOverrides/env", "value": "beta"},
        ],
    )
    stage = client.get_stage(restApiId=api_id, stageName="v1")
    assert (stage["deploymentId"], stage["variables"]["alias"]) == (canary, "3")
    assert stage["canarySettings"]["percentTraffic"] == 0.0
    assert stage["canarySettings"]["stageVariableOverrides"] == {"alias": "3", "env": "beta"}
    client.update_stage(restApiId=api_id, stageName="v1", patchOperations=[{"op": "remove", "path": "/canarySettings"}])
    assert "canarySettings" not in client.get_stage(restApiId=api_id, stageName="v1")


def test_a_plain_deployment_is_moto_s_own(api):
    client, api_id, base = api
    again = client.create_deployment(restApiId=api_id, stageName="v1")["id"]
    stage = client.get_stage(restApiId=api_id, stageName="v1")
    assert stage["deploymentId"] == again != base
    assert "canarySettings" not in stage


# DynamoDB attribute values: the extension's serializer gives moto's bytes.

EVERY_TYPE = {
    "id": {"S": "k1"},
    "empty": {"S": ""},
    "unicode": {"S": "ção \u2603 \U0001f600 \"quoted\" \\ back"},
    "n": {"N": "12345678901234567890123456789012345678"},
    "small": {"N": "-0.000000000000000000000000000000000001"},
    "b": {"B": b"\x00\xffbinary"},
    "emptyb": {"B": b""},
    "ss": {"SS": ["b", "a", ""]},
    "ns": {"NS": ["1", "2.5", "-3"]},
    "bs": {"BS": [b"\x01", b"\x02\x03"]},
    "null": {"NULL": True},
    "t": {"BOOL": True},
    "f": {"BOOL": False},
    "l": {"L": [{"S": "x"}, {"N": "1"}, {"L": []}, {"M": {}}, {"NULL": True}, {"B": b"\x07"}]},
    "m": {"M": {"deep": {"M": {"deeper": {"L": [{"BOOL": False}, {"SS": ["z"]}]}}}, "": {"S": "empty key"}}},
    "el": {"L": []},
    "em": {"M": {}},
}


def raw_replies(client, calls):
    bodies = []

    def keep(response_dict, **_):
        bodies.append(response_dict["body"])

    client.meta.events.register("before-parse.dynamodb.*", keep)
    for name, kwargs in calls:
        try:
            getattr(client, name)(**kwargs)
        except AttributeError:
            pass  # moto's own reply for a map with an empty key is not one botocore parses
    client.meta.events.unregister("before-parse.dynamodb.*", keep)
    return bodies


def test_attribute_values_serialize_to_moto_s_own_bytes(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    extension = load_extension()
    serializer = extension.JSONSerializer
    with mock_aws():
        client = boto3.client("dynamodb")
        client.create_table(
            TableName="t",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        client.put_item(TableName="t", Item=EVERY_TYPE)
        for i in range(30):
            client.put_item(TableName="t", Item={"id": {"S": "i%d" % i}, "n": {"N": str(i)}, "l": {"L": [{"S": "v"}]}})
        calls = [
            ("scan", {"TableName": "t"}),
            ("scan", {"TableName": "t", "Limit": 3}),
            ("get_item", {"TableName": "t", "Key": {"id": {"S": "k1"}}}),
            ("query", {"TableName": "t", "KeyConditionExpression": "id = :k", "ExpressionAttributeValues": {":k": {"S": "k1"}}}),
            ("batch_get_item", {"RequestItems": {"t": {"Keys": [{"id": {"S": "k1"}}, {"id": {"S": "i3"}}]}}}),
            ("update_item", {"TableName": "t", "Key": {"id": {"S": "i4"}}, "UpdateExpression": "SET x = :x",
                             "ExpressionAttributeValues": {":x": {"M": {"a": {"BS": [b"\x09"]}}}}, "ReturnValues": "ALL_NEW"}),
        ]
        assert serializer._serialize_type_structure is not serializer.moto_serialize_type_structure
        shape = client.meta.service_model.shape_for("AttributeValue")
        _, plan = extension.attribute_plan(shape)
        assert [name for name, _ in plan] == ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"]
        with monkeypatch.context() as patch:
            patch.setattr(serializer, "_serialize_type_structure", serializer.moto_serialize_type_structure)
            moto_s_own = raw_replies(client, calls[:-1])
        fast = raw_replies(client, calls)
        for mine, theirs in zip(fast, moto_s_own):
            assert mine == theirs, next((mine[i - 80:i + 80], theirs[i - 80:i + 80]) for i in range(len(mine)) if mine[i] != theirs[i])
        assert len(moto_s_own) == len(calls) - 1
        whole = json.loads(fast[2])["Item"]
        assert whole["b"] == {"B": "AP9iaW5hcnk="} and whole in json.loads(fast[0])["Items"]
        assert json.loads(fast[-1])["Attributes"]["x"] == {"M": {"a": {"BS": ["CQ=="]}}}
