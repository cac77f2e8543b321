//! Lambda (REQUEST) authorizers of HTTP APIs, as AWS documents them
//! ("Working with AWS Lambda authorizers for HTTP APIs"): every identity
//! source must be present and non-empty, otherwise 401 without invoking
//! the authorizer; the event is format 2.0 (`type`, `routeArn`,
//! `identitySource` as a list, the request's fields without the body) or
//! 1.0 (`methodArn`, `identitySource` comma-joined, the REST-style request
//! fields); the reply is `{"isAuthorized", "context"}` with simple
//! responses, else an IAM policy evaluated for the route ARN. Refusals are
//! HTTP APIs' own: 401 `Unauthorized`, 403 `Forbidden`, 500 `Internal
//! Server Error`. Replies are cached by the identity for the TTL, shared by
//! every route of the API (as REST's are).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Map, Value};

use super::model::{AuthorizerDef, HttpApi, DEFAULT_STAGE};
use crate::gateway::authorizer::run::{AuthorizerFunction, AuthorizerTrace};
use crate::gateway::authorizer::{self, cache, Grant};
use crate::gateway::invoke::Invoked;
use crate::gateway::request::InboundRequest;
use crate::gateway::response::GatewayResponse;
use crate::gateway::{integration, Gateway};

/// How long API Gateway waits for an authorizer.
const AUTHORIZER_TIMEOUT: Duration = Duration::from_secs(10);

/// The identity source values, in order, or the one missing (None: a
/// source the local gateway cannot read).
pub fn identity(
    sources: &[String],
    request: &InboundRequest,
    stage_variables: &HashMap<String, String>,
) -> Result<Vec<String>, Result<String, String>> {
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(request.raw_query.as_deref().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    sources
        .iter()
        .map(|source| {
            let value = if let Some(name) = source.strip_prefix("$request.header.") {
                let values: Vec<&str> = request
                    .headers
                    .iter()
                    .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.as_str())
                    .collect();
                (!values.is_empty()).then(|| values.join(","))
            } else if let Some(name) = source.strip_prefix("$request.querystring.") {
                let values: Vec<&str> = query
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, v)| v.as_str())
                    .collect();
                (!values.is_empty()).then(|| values.join(","))
            } else if let Some(name) = source.strip_prefix("$stageVariables.") {
                stage_variables.get(name).cloned()
            } else {
                return Err(Err(source.clone()));
            };
            value
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| Ok(source.clone()))
        })
        .collect()
}

/// The 2.0 authorizer event: the request's 2.0 event without its body,
/// with `type`, `routeArn` and `identitySource`.
pub fn event_v2(mut request_event: Value, route_arn: &str, identity: &[String]) -> Value {
    if let Value::Object(map) = &mut request_event {
        map.remove("body");
        map.remove("isBase64Encoded");
        let mut event = Map::new();
        event.insert("version".into(), json!("2.0"));
        event.insert("type".into(), json!("REQUEST"));
        event.insert("routeArn".into(), json!(route_arn));
        event.insert("identitySource".into(), json!(identity));
        for (k, v) in std::mem::take(map) {
            if k != "version" {
                event.insert(k, v);
            }
        }
        return Value::Object(event);
    }
    request_event
}

/// The 1.0 authorizer event, from the request's 2.0 event: `methodArn`,
/// `identitySource` and `authorizationToken` comma-joined, and the 1.0
/// request fields (`resource`, `path`, `httpMethod`, headers and query
/// single- and multi-valued, `requestContext`, path parameters, stage
/// variables).
pub fn event_v1(request_event: &Value, route_arn: &str, identity: &[String]) -> Value {
    let joined = identity.join(",");
    let headers = request_event["headers"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let multi_headers: Map<String, Value> = headers
        .iter()
        .map(|(k, v)| {
            let parts: Vec<&str> = v.as_str().unwrap_or_default().split(',').collect();
            (k.clone(), json!(parts))
        })
        .collect();
    let query = request_event["queryStringParameters"].as_object().cloned();
    let multi_query: Option<Map<String, Value>> = query.as_ref().map(|q| {
        q.iter()
            .map(|(k, v)| {
                let parts: Vec<&str> = v.as_str().unwrap_or_default().split(',').collect();
                (k.clone(), json!(parts))
            })
            .collect()
    });
    let context = &request_event["requestContext"];
    let route_key = request_event["routeKey"].as_str().unwrap_or_default();
    let resource = route_key.split_once(' ').map_or(route_key, |(_, p)| p);
    json!({
        "version": "1.0",
        "type": "REQUEST",
        "methodArn": route_arn,
        "identitySource": joined,
        "authorizationToken": joined,
        "resource": resource,
        "path": request_event["rawPath"],
        "httpMethod": context["http"]["method"],
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query,
        "multiValueQueryStringParameters": multi_query,
        "requestContext": {
            "accountId": context["accountId"],
            "apiId": context["apiId"],
            "domainName": context["domainName"],
            "domainPrefix": context["domainPrefix"],
            "extendedRequestId": context["requestId"],
            "httpMethod": context["http"]["method"],
            "identity": {"sourceIp": context["http"]["sourceIp"], "userAgent": context["http"]["userAgent"]},
            "path": request_event["rawPath"],
            "protocol": context["http"]["protocol"],
            "requestId": context["requestId"],
            "requestTime": context["time"],
            "requestTimeEpoch": context["timeEpoch"],
            "resourcePath": resource,
            "stage": context["stage"],
        },
        "pathParameters": request_event.get("pathParameters").cloned().unwrap_or(Value::Null),
        "stageVariables": request_event.get("stageVariables").cloned().unwrap_or(Value::Null),
    })
}

/// A simple response, as a grant: `isAuthorized` true allows every route
/// (a policy allowing `*`), false denies them; `context` passed on as is.
pub fn simple_grant_of(invoked: &Invoked) -> Result<Grant, GatewayResponse> {
    let reply: Value = serde_json::from_slice(&invoked.payload).unwrap_or(Value::Null);
    if invoked.function_error {
        return Err(error_reply(&reply));
    }
    let misconfigured = |why: &str| GatewayResponse::AuthorizerConfigurationError {
        cause: format!("the authorizer's simple response {why}"),
    };
    let allowed = reply["isAuthorized"]
        .as_bool()
        .ok_or_else(|| misconfigured("has no boolean isAuthorized"))?;
    let context = match reply.get("context") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) => map.clone(),
        Some(_) => return Err(misconfigured("has a context that is not an object")),
    };
    Ok(Grant {
        principal_id: String::new(),
        policy: json!({"Version": "2012-10-17", "Statement": [{
            "Effect": if allowed { "Allow" } else { "Deny" },
            "Action": "execute-api:Invoke",
            "Resource": "*",
        }]}),
        context,
        usage_identifier_key: None,
    })
}

/// A function error: `Unauthorized` is a 401, anything else a 500.
fn error_reply(reply: &Value) -> GatewayResponse {
    match reply["errorMessage"].as_str() {
        Some("Unauthorized") => GatewayResponse::Unauthorized,
        other => GatewayResponse::AuthorizerConfigurationError {
            cause: format!(
                "the authorizer failed: {}",
                other.unwrap_or("(no error message)")
            ),
        },
    }
}

/// What the route's authorizer is run for.
pub struct Call<'a> {
    pub api: &'a HttpApi,
    pub authorizer_id: &'a str,
    pub authorizer: &'a AuthorizerDef,
    pub request: &'a InboundRequest,
    pub verb: &'a str,
    /// The path as requested.
    pub path: &'a str,
    /// The request's 2.0 event (the authorizer's event is built from it).
    pub request_event: &'a (dyn Fn(&str) -> Value + Sync),
}

impl Gateway {
    /// `requestContext.authorizer` (`{"lambda": context}`) of a route whose
    /// Lambda authorizer allows the request.
    pub(in crate::gateway) async fn http_lambda_authorize(
        &self,
        call: &Call<'_>,
        trace: &mut AuthorizerTrace,
    ) -> Result<Value, GatewayResponse> {
        let authorizer = call.authorizer;
        trace.name.clone_from(&authorizer.name);
        let variables = call
            .api
            .stage
            .as_ref()
            .map(|s| s.variables.clone())
            .unwrap_or_default();
        let identity = match identity(&authorizer.identity_source, call.request, &variables) {
            Ok(values) => values,
            Err(Ok(missing)) => {
                trace.error = Some(format!("the identity source {missing} is missing or empty"));
                return Err(GatewayResponse::Unauthorized);
            }
            Err(Err(unread)) => {
                return Err(GatewayResponse::misconfigured(format!(
                    "the local gateway does not read the identity source {unread}"
                )))
            }
        };
        let (function, account) = integration::function_of(&authorizer.uri, &variables)
            .ok_or_else(|| GatewayResponse::AuthorizerConfigurationError {
                cause: format!(
                    "the authorizer URI {} names no Lambda function",
                    authorizer.uri
                ),
            })?;
        let route_arn = authorizer::method_arn(
            &self.region,
            &account,
            &call.api.id,
            DEFAULT_STAGE,
            call.verb,
            call.path,
        );
        let key = (!identity.is_empty())
            .then(|| cache::key(&call.api.id, DEFAULT_STAGE, call.authorizer_id, &identity));
        let cached = key
            .as_ref()
            .and_then(|k| self.authorizer_cache.get(k, authorizer.ttl));
        let grant = match cached {
            Some(grant) => {
                trace.cached = true;
                grant
            }
            None => {
                let event = match authorizer.payload_format.as_str() {
                    "1.0" => event_v1(&(call.request_event)(&account), &route_arn, &identity),
                    _ => event_v2((call.request_event)(&account), &route_arn, &identity),
                };
                let grant = Arc::new(
                    self.invoke_http_authorizer(call, (&function, &account), event, trace)
                        .await?,
                );
                if let Some(key) = key {
                    self.authorizer_cache
                        .put(key, authorizer.ttl, grant.clone());
                }
                grant
            }
        };
        if !grant.principal_id.is_empty() {
            trace.principal_id = Some(grant.principal_id.clone());
        }
        authorizer::admit(&grant, &route_arn).map_err(|(refusal, why)| {
            trace.error = Some(why);
            refusal
        })?;
        Ok(json!({"lambda": grant.context}))
    }

    async fn invoke_http_authorizer(
        &self,
        call: &Call<'_>,
        (function, account): (&str, &str),
        event: Value,
        trace: &mut AuthorizerTrace,
    ) -> Result<Grant, GatewayResponse> {
        let target = AuthorizerFunction {
            function,
            account,
            api_id: &call.api.id,
            authorizer_id: call.authorizer_id,
            timeout: AUTHORIZER_TIMEOUT,
        };
        let invoked = self.call_authorizer(&target, &event, trace).await?;
        let granted = match call.authorizer.simple_responses {
            true => simple_grant_of(&invoked),
            false => authorizer::grant_of(&invoked),
        };
        granted.inspect_err(|refusal| trace.refused(refusal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoked(payload: Value, function_error: bool) -> Invoked {
        Invoked {
            payload: payload.to_string().into_bytes(),
            function_error,
        }
    }

    #[test]
    fn simple_responses_allow_deny_or_are_misconfigured() {
        let allowed = simple_grant_of(&invoked(
            json!({"isAuthorized": true, "context": {"n": 1, "tags": ["a"]}}),
            false,
        ))
        .unwrap();
        assert_eq!(allowed.context["n"], json!(1), "context passed on as is");
        assert_eq!(
            authorizer::admit(&allowed, "arn:aws:execute-api:r:1:api/$default/GET/x"),
            Ok(())
        );
        let denied = simple_grant_of(&invoked(json!({"isAuthorized": false}), false)).unwrap();
        assert!(authorizer::admit(&denied, "arn:aws:execute-api:r:1:api/$default/GET/x").is_err());
        for bad in [
            json!({"isAuthorized": "yes"}),
            json!({}),
            json!({"isAuthorized": true, "context": [1]}),
        ] {
            assert!(matches!(
                simple_grant_of(&invoked(bad, false)),
                Err(GatewayResponse::AuthorizerConfigurationError { .. })
            ));
        }
        assert_eq!(
            simple_grant_of(&invoked(json!({"errorMessage": "Unauthorized"}), true)),
            Err(GatewayResponse::Unauthorized)
        );
    }

    #[test]
    fn events_carry_the_route_arn_and_identity() {
        let request = json!({"version": "2.0", "routeKey": "POST /crud", "rawPath": "/crud",
            "headers": {"authorization": "t"}, "queryStringParameters": {"user": "ana"},
            "requestContext": {"http": {"method": "POST"}, "requestId": "r1"},
            "body": "{}", "isBase64Encoded": false});
        let v2 = event_v2(request.clone(), "arn:r", &["t".into(), "ana".into()]);
        assert_eq!(v2["type"], "REQUEST");
        assert_eq!(v2["version"], "2.0");
        assert_eq!(v2["identitySource"], json!(["t", "ana"]));
        assert!(v2.get("body").is_none());
        let v1 = event_v1(&request, "arn:r", &["t".into(), "ana".into()]);
        assert_eq!(v1["methodArn"], "arn:r");
        assert_eq!(v1["identitySource"], "t,ana");
        assert_eq!(v1["httpMethod"], "POST");
        assert_eq!(v1["resource"], "/crud");
        assert_eq!(
            v1["multiValueQueryStringParameters"]["user"],
            json!(["ana"])
        );
    }
}
