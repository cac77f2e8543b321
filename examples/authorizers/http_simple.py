"""A Lambda authorizer for an HTTP API, with simple responses:
`serverless-crud setup --api http --auth lambda --authorizer
examples/authorizers/http_simple.py --simple-responses`.

API Gateway sends the 2.0 event: the identity sources' values in
`identitySource` (here the Authorization header), the route's ARN in
`routeArn`, and the request's headers, query and path (no body). A simple
response says yes or no: `workshop-allow` is let in (the dispatcher sees
the context in `requestContext.authorizer.lambda`), anything else gets
403. Without the header, API Gateway answers 401 without calling it."""


def lambda_handler(event, context):
    token = (event.get("identitySource") or [""])[0]
    if token.lower().startswith("bearer "):
        token = token[len("bearer "):]
    return {
        "isAuthorized": token == "workshop-allow",
        "context": {"user": "workshop", "route": event.get("routeKey", "")},
    }
