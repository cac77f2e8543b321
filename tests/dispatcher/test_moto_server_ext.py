"""The local stack's moto extension (src/local/moto_server_ext.py): a REST
stage's canary held as AWS holds it, in-process against moto."""

import importlib.util
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
