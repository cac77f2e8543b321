"""A TOKEN Lambda authorizer: `serverless-crud setup --auth lambda
--authorizer examples/authorizers/token.py`.

API Gateway calls it with {"type": "TOKEN", "authorizationToken": ...,
"methodArn": ...}; the CLI sends `--token T` as `Authorization: Bearer T`.
A fixed token is allowed, another explicitly denied, anything else is
Unauthorized (401). Real authorizers verify a signed token instead: a fixed
token is for a workshop, never for production."""

ALLOWED = {"workshop-allow": "student"}
DENIED = {"workshop-deny"}


def policy(principal, effect, method_arn, context=None):
    # Allow the whole stage: API Gateway caches this answer (the TTL) and
    # reuses it for every method and path, so an answer naming only this
    # method's ARN would refuse the caller's next, different request.
    api, stage = method_arn.split("/")[:2]
    reply = {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": effect,
                "Action": "execute-api:Invoke",
                "Resource": "{}/{}/*".format(api, stage),
            }],
        },
    }
    if context:
        reply["context"] = context
    return reply


def lambda_handler(event, context):
    token = event.get("authorizationToken", "")
    if token.startswith("Bearer "):
        token = token[len("Bearer "):]
    if token in ALLOWED:
        return policy(ALLOWED[token], "Allow", event["methodArn"], {"role": "student"})
    if token in DENIED:
        return policy("blocked", "Deny", event["methodArn"])
    # API Gateway answers this error with 401 {"message":"Unauthorized"}.
    raise Exception("Unauthorized")
