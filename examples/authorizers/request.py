"""A REQUEST Lambda authorizer: `serverless-crud setup --auth lambda
--authorizer examples/authorizers/request.py --authorizer-type request
--identity-source 'header:X-Tenant,query:user'`.

API Gateway calls it with the request's headers, query string, path and
stage variables (no body). This one lets tenant `acme` in, for any user,
and passes both on to the dispatcher in `requestContext.authorizer`. API
Gateway answers 401 without calling it when either source is missing."""


def lambda_handler(event, context):
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    tenant = headers.get("x-tenant", "")
    user = (event.get("queryStringParameters") or {}).get("user", "")
    effect = "Allow" if tenant == "acme" and user else "Deny"
    api, stage = event["methodArn"].split("/")[:2]
    return {
        "principalId": user or "anonymous",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": effect,
                "Action": "execute-api:Invoke",
                "Resource": "{}/{}/*".format(api, stage),
            }],
        },
        "context": {"tenant": tenant, "user": user},
    }
