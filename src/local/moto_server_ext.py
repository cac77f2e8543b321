"""moto's server with what the local stack needs moto to hold as AWS does.

    python moto_server_ext.py -H 127.0.0.1 -p PORT     (moto_server's arguments)

moto 5.2.5 drops a REST stage's canary: `CreateDeployment` ignores
`canarySettings` (and replaces the stage, its canary with it), `GetStage`
has none, and `UpdateStage` refuses `/canarySettings/...` paths. Here, as AWS
documents ("Set up a canary release deployment"):

- `CreateDeployment` with `canarySettings` on an existing stage makes a
  deployment and sets the stage's canary to it (`deploymentId`,
  `percentTraffic`, `stageVariableOverrides`, `useStageCache`); the stage
  keeps serving its own deployment.
- `UpdateStage` replaces `/canarySettings/percentTraffic`, `/useStageCache`,
  `/deploymentId` and `/stageVariableOverrides/NAME` (remove as well), and
  `remove /canarySettings` drops the canary.
- `GetStage`/`GetStages` return `canarySettings`.

DynamoDB's attribute values are serialized without moto's per-member
reflection: moto's ResponseSerializer looks up every one of AttributeValue's
ten members through a chain of alias providers, which made 74-85% of a Scan's
time (py-spy and cProfile of a 1 MB page). `attribute_value` builds the same
JSON (same members, order, strings, base64 and booleans; a test compares the
bytes with moto's own) and hands anything it does not expect back to moto.

Everything else is moto's own. The canary patches check moto's signatures
at start: a moto that changed them fails loudly instead of serving half a
canary. The serializer needs no such check: a shape it does not know is
moto's to write, so a changed moto is only slower.
"""

import inspect
import json
import sys

from moto.apigateway import models, responses
from moto.core import serialize

Stage = models.Stage
RestAPI = models.RestAPI
Backend = models.APIGatewayBackend

PATCHED = getattr(Stage, "_serverless_crud_canary", False)

for cls, name, params in [] if PATCHED else [
    (RestAPI, "create_deployment", ["name", "description", "stage_variables"]),
    (Backend, "create_deployment", ["function_id", "name", "description", "stage_variables"]),
    (Stage, "apply_operations", ["patch_operations"]),
]:
    found = list(inspect.signature(getattr(cls, name)).parameters)[1:]
    if found != params:
        sys.exit("moto_server_ext: moto's {}.{} takes {}, not {}".format(cls.__name__, name, found, params))

_to_json = Stage.to_json
_apply_operations = Stage.apply_operations
_api_create_deployment = RestAPI.create_deployment
_backend_create_deployment = Backend.create_deployment


def canary_of(settings, deployment_id):
    return {
        "deploymentId": deployment_id,
        "percentTraffic": float(settings.get("percentTraffic", 0.0)),
        "stageVariableOverrides": dict(settings.get("stageVariableOverrides") or {}),
        "useStageCache": bool(settings.get("useStageCache", False)),
    }


def stage_to_json(self):
    out = _to_json(self)
    canary = getattr(self, "canary_settings", None)
    if canary is not None:
        out["canarySettings"] = canary
    return out


def to_bool(value):
    return str(value).lower() == "true"


def stage_apply_operations(self, patch_operations):
    rest = []
    for op in patch_operations:
        path = op.get("path", "")
        if not path.startswith("/canarySettings"):
            rest.append(op)
            continue
        canary = getattr(self, "canary_settings", None)
        if path == "/canarySettings" and op["op"] == "remove":
            self.canary_settings = None
            continue
        if canary is None:
            raise models.BadRequestException("Stage has no canary settings")
        field = path[len("/canarySettings/"):]
        if field == "percentTraffic":
            canary["percentTraffic"] = float(op["value"])
        elif field == "useStageCache":
            canary["useStageCache"] = to_bool(op["value"])
        elif field == "deploymentId":
            canary["deploymentId"] = op["value"]
        elif field.startswith("stageVariableOverrides/"):
            variable = field[len("stageVariableOverrides/"):]
            if op["op"] == "remove":
                canary["stageVariableOverrides"].pop(variable, None)
            else:
                canary["stageVariableOverrides"][variable] = op["value"]
        else:
            raise models.BadRequestException("Invalid patch path {}".format(path))
    return _apply_operations(self, rest)


def api_create_deployment(self, name, description, stage_variables=None, canary_settings=None):
    if canary_settings is None or name not in self.stages:
        deployment = _api_create_deployment(self, name, description, stage_variables)
        if canary_settings is not None:
            self.stages[name].canary_settings = canary_of(canary_settings, deployment.id)
        return deployment
    # A canary deployment: the stage stays on its own deployment.
    stage = self.stages[name]
    deployment_id = models.ApigwDeploymentIdentifier(
        self.account_id, self.region_name, stage_name=name
    ).generate(list(self.deployments.keys()))
    deployment = models.Deployment(deployment_id, name, description)
    self.deployments[deployment_id] = deployment
    stage.canary_settings = canary_of(canary_settings, deployment_id)
    return deployment


def backend_create_deployment(self, function_id, name, description="", stage_variables=None, canary_settings=None):
    if canary_settings is None:
        return _backend_create_deployment(self, function_id, name, description, stage_variables)
    api = self.get_rest_api(function_id)
    return api.create_deployment(name, description, stage_variables, canary_settings)


def response_create_deployment(self):
    function_id = self.path.replace("/restapis/", "", 1).split("/")[0]
    name = self._get_param("stageName")
    description = self._get_param("description")
    stage_variables = self._get_param("variables", if_none={})
    canary = self._get_param("canarySettings")
    deployment = self.backend.create_deployment(function_id, name, description, stage_variables, canary)
    return 201, {"status": 201}, json.dumps(deployment.to_json())


if not PATCHED:
    Stage.to_json = stage_to_json
    Stage.apply_operations = stage_apply_operations
    RestAPI.create_deployment = api_create_deployment
    Backend.create_deployment = backend_create_deployment
    responses.APIGatewayResponse.create_deployment = response_create_deployment
    Stage._serverless_crud_canary = True


# DynamoDB attribute values: moto's JSON, built directly.
JSONSerializer = serialize.JSONSerializer
_UNSET = object()


def as_string(self, value):
    # moto's _serialize_type_string: str() of anything but None, {} and [].
    return value if type(value) is str else (value if value in (None, {}, []) else str(value))


def as_blob(self, value):
    return self._base64(value)


def as_boolean(self, value):
    return value


def attribute_plan(shape):
    """(member names, ((member, converter), ...) in the shape's order), or
    None when the shape is not the AttributeValue this was written against
    (then moto does it)."""
    found = getattr(shape, "_serverless_crud_plan", _UNSET)
    if found is not _UNSET:
        return found
    plan = []
    scalars = {"string": as_string, "blob": as_blob, "boolean": as_boolean}
    for name, member in shape.members.items():
        kind = member.type_name
        if kind in scalars:
            plan.append((name, scalars[kind]))
        elif kind == "list" and member.member.type_name in ("string", "blob"):
            element = scalars[member.member.type_name]
            plan.append((name, lambda self, value, element=element: [element(self, v) for v in value]))
        elif kind == "list" and member.member.name == shape.name:
            plan.append((name, lambda self, value: [nested_value(self, v, shape, v) for v in value]))
        elif kind == "map" and member.value.name == shape.name and member.key.type_name == "string":
            plan.append((name, lambda self, value, member=member: nested_map(self, value, shape, member)))
        else:
            shape._serverless_crud_plan = None
            return None
    found = shape._serverless_crud_plan = (frozenset(name for name, _ in plan), tuple(plan))
    return found


def fast_path(self, value, shape):
    if shape.name != "AttributeValue" or self.service_model.service_name != "dynamodb":
        return None
    if type(value) is not dict or getattr(self._value_picker, "response_transformers", None):
        return None
    found = attribute_plan(shape)
    if found is None or not value.keys() <= found[0]:
        return None
    return found[1]


def attribute_value(self, value, plan):
    out = {}
    for name, convert in plan:
        member = value.get(name)
        if member is not None:
            out[name] = convert(self, member)
    return out


def nested_value(self, value, shape, missing):
    # moto's list and map serializers: a None value is left out of a map and
    # kept as itself in a list (`missing`).
    if value is None:
        return missing
    plan = fast_path(self, value, shape)
    if plan is not None:
        return attribute_value(self, value, plan)
    wrapper = {}
    _serialize_structure(self, wrapper, value, shape, "value")
    return wrapper.get("value", missing)


def nested_map(self, value, shape, map_shape):
    if "" in value:
        # moto writes an empty key's value into the map itself: kept as moto has it.
        holder = {}
        self._serialize_type_map(holder, value, map_shape, "M")
        return holder["M"]
    out = {}
    for key, member in value.items():
        converted = nested_value(self, member, shape, _UNSET)
        if converted is not _UNSET:
            out[key] = converted
    return out


def serialize_structure(self, serialized, value, shape, key):
    plan = fast_path(self, value, shape) if key else None
    if plan is None:
        return _serialize_structure(self, serialized, value, shape, key)
    serialized[self.get_serialized_name(shape, key)] = attribute_value(self, value, plan)


if not hasattr(JSONSerializer, "moto_serialize_type_structure"):
    JSONSerializer.moto_serialize_type_structure = JSONSerializer._serialize_type_structure
    JSONSerializer._serialize_type_structure = serialize_structure
_serialize_structure = JSONSerializer.moto_serialize_type_structure

if __name__ == "__main__":
    from moto.server import main

    main(sys.argv[1:])
