//! Lambda authorizers of REST APIs, as API Gateway runs them: the identity
//! sources are read first (one missing or empty: 401 without invoking the
//! authorizer; a TOKEN that fails the validation expression: the same);
//! the authorizer gets AWS's `TOKEN` or `REQUEST` event; its reply is
//! checked (`principalId`, `policyDocument`, `context` of strings, numbers
//! and booleans only) and its policy evaluated for the method ARN
//! ([`policy`]). Replies are cached by the identity ([`cache`]) for the
//! authorizer's TTL and — as on AWS — reused for every method and path of
//! the stage, so a policy scoped to one path refuses the next.

pub mod cache;
pub mod cognito;
pub mod policy;
pub mod run;

use serde_json::{json, Map, Value};

use crate::gateway::invoke::Invoked;
use crate::gateway::model::{Authorizer, AuthorizerKind};
use crate::gateway::response::GatewayResponse;

/// Where an identity source is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Header(String),
    Query(String),
    StageVariable(String),
    Context(String),
}

impl Source {
    /// `method.request.header.Authorization`, `method.request.querystring.q`,
    /// `stageVariables.v`, `context.x`.
    pub fn parse(text: &str) -> Option<Source> {
        let text = text.trim();
        let named = |prefix: &str| {
            text.strip_prefix(prefix)
                .filter(|n| !n.is_empty())
                .map(str::to_string)
        };
        named("method.request.header.")
            .map(Source::Header)
            .or_else(|| named("method.request.querystring.").map(Source::Query))
            .or_else(|| named("stageVariables.").map(Source::StageVariable))
            .or_else(|| named("context.").map(Source::Context))
    }
}

/// The identity sources of an authorizer (comma-separated), or what is wrong.
pub fn sources(identity_source: &str) -> Result<Vec<Source>, String> {
    identity_source
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| Source::parse(s).ok_or_else(|| format!("identity source `{}`", s.trim())))
        .collect()
}

/// What identity sources are read from.
pub struct Presented<'a> {
    pub headers: &'a [(String, String)],
    pub query: Option<&'a str>,
    pub stage_variables: &'a std::collections::HashMap<String, String>,
    pub request_id: &'a str,
}

impl Presented<'_> {
    fn value(&self, source: &Source) -> Option<String> {
        match source {
            Source::Header(name) => self
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone()),
            Source::Query(name) => url::form_urlencoded::parse(self.query?.as_bytes())
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned()),
            Source::StageVariable(name) => self.stage_variables.get(name).cloned(),
            Source::Context(name) => (name == "requestId").then(|| self.request_id.to_string()),
        }
    }
}

/// The identity the authorizer is called with (and its result cached by):
/// every source's value, or 401 when one is missing or empty.
pub fn identity(
    authorizer: &Authorizer,
    presented: &Presented<'_>,
) -> Result<Vec<String>, GatewayResponse> {
    let sources = sources(&authorizer.identity_source).map_err(|what| {
        GatewayResponse::AuthorizerConfigurationError {
            cause: format!(
                "authorizer {}: the local gateway cannot read {what}",
                authorizer.name
            ),
        }
    })?;
    let unauthorized = || GatewayResponse::Unauthorized;
    if authorizer.kind == AuthorizerKind::Token && sources.len() != 1 {
        return Err(GatewayResponse::AuthorizerConfigurationError {
            cause: format!(
                "TOKEN authorizer {} needs one identity source",
                authorizer.name
            ),
        });
    }
    let values: Vec<String> = sources
        .iter()
        .map(|s| presented.value(s).filter(|v| !v.is_empty()))
        .collect::<Option<_>>()
        .ok_or_else(unauthorized)?;
    if values.is_empty() {
        // A REQUEST authorizer without identity sources runs on every call.
        return Ok(values);
    }
    if let (AuthorizerKind::Token, Some(expression)) = (&authorizer.kind, &authorizer.validation) {
        // The expression must match the whole token.
        let anchored = format!("^(?:{expression})$");
        let regex = regex::Regex::new(&anchored).map_err(|e| {
            GatewayResponse::AuthorizerConfigurationError {
                cause: format!(
                    "authorizer {}: identityValidationExpression: {e}",
                    authorizer.name
                ),
            }
        })?;
        if !regex.is_match(&values[0]) {
            return Err(unauthorized());
        }
    }
    Ok(values)
}

/// The `TOKEN` authorizer's event.
pub fn token_event(token: &str, method_arn: &str) -> Value {
    json!({"type": "TOKEN", "authorizationToken": token, "methodArn": method_arn})
}

/// The `REQUEST` authorizer's event: the proxy event's request fields
/// (no body), with `type` and `methodArn`.
pub fn request_event(mut proxy_event: Value, method_arn: &str) -> Value {
    if let Value::Object(map) = &mut proxy_event {
        map.remove("body");
        map.remove("isBase64Encoded");
        let mut event = Map::new();
        event.insert("type".into(), json!("REQUEST"));
        event.insert("methodArn".into(), json!(method_arn));
        event.extend(std::mem::take(map));
        return Value::Object(event);
    }
    proxy_event
}

/// What an authorizer answered, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Grant {
    pub principal_id: String,
    pub policy: Value,
    /// `context`, every value a string (as the integration sees them).
    pub context: Map<String, Value>,
    pub usage_identifier_key: Option<String>,
}

/// The authorizer's reply as API Gateway takes it: an `Unauthorized` error
/// is a 401; any other error, a reply that is not a policy document or a
/// context value that is an object or array is a 500.
pub fn grant_of(invoked: &Invoked) -> Result<Grant, GatewayResponse> {
    let reply: Value = serde_json::from_slice(&invoked.payload).unwrap_or(Value::Null);
    if invoked.function_error {
        if reply["errorMessage"] == "Unauthorized" {
            return Err(GatewayResponse::Unauthorized);
        }
        return Err(GatewayResponse::AuthorizerConfigurationError {
            cause: format!(
                "the authorizer failed: {}",
                reply["errorMessage"]
                    .as_str()
                    .unwrap_or("(no error message)")
            ),
        });
    }
    let misconfigured = |why: String| GatewayResponse::AuthorizerConfigurationError {
        cause: format!("the authorizer's reply {why}"),
    };
    let principal_id = match &reply["principalId"] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Null => return Err(misconfigured("has no principalId".into())),
        _ => {
            return Err(misconfigured(
                "has a principalId that is not a string".into(),
            ))
        }
    };
    let policy = reply["policyDocument"].clone();
    policy::statements(&policy).map_err(|policy::Malformed(why)| {
        misconfigured(format!("has an invalid policyDocument: {why}"))
    })?;
    let mut context = Map::new();
    if let Some(values) = reply.get("context").filter(|c| !c.is_null()) {
        let Value::Object(values) = values else {
            return Err(misconfigured("has a context that is not an object".into()));
        };
        for (key, value) in values {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => continue,
                Value::Object(_) | Value::Array(_) => {
                    return Err(misconfigured(format!(
                        "has context.{key} that is an object or array (only strings, numbers and booleans)"
                    )))
                }
            };
            context.insert(key.clone(), Value::String(text));
        }
    }
    Ok(Grant {
        principal_id,
        policy,
        context,
        usage_identifier_key: reply["usageIdentifierKey"].as_str().map(str::to_string),
    })
}

/// The policy's decision for `method_arn`, as the gateway answers it;
/// a refusal comes with why (for the gateway's log).
pub fn admit(grant: &Grant, method_arn: &str) -> Result<(), (GatewayResponse, String)> {
    let statements = policy::statements(&grant.policy).map_err(|policy::Malformed(why)| {
        (
            GatewayResponse::AuthorizerConfigurationError { cause: why.clone() },
            why,
        )
    })?;
    match policy::evaluate(&statements, method_arn) {
        policy::Decision::Allow => Ok(()),
        policy::Decision::ExplicitDeny => Err((
            GatewayResponse::ExplicitDeny,
            format!("a Deny statement of the policy matches {method_arn}"),
        )),
        policy::Decision::ImplicitDeny => Err((
            GatewayResponse::AccessDenied,
            format!("no Allow statement of the policy matches {method_arn}"),
        )),
    }
}

/// `requestContext.authorizer` of the integration's event: `principalId`,
/// the context's strings and the authorizer's latency.
pub fn request_context(grant: &Grant, latency_ms: u64) -> Value {
    let mut map = Map::new();
    map.insert("principalId".into(), json!(grant.principal_id));
    map.extend(grant.context.clone());
    map.insert("integrationLatency".into(), json!(latency_ms));
    Value::Object(map)
}

/// `arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH` (the path as
/// requested, without its leading slash).
pub fn method_arn(
    region: &str,
    account: &str,
    api: &str,
    stage: &str,
    verb: &str,
    path: &str,
) -> String {
    format!(
        "arn:aws:execute-api:{region}:{account}:{api}/{stage}/{verb}/{}",
        path.trim_start_matches('/')
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::time::Duration;

    fn authorizer(kind: AuthorizerKind, source: &str, validation: Option<&str>) -> Authorizer {
        Authorizer {
            provider_arns: Vec::new(),
            id: "a1".into(),
            name: "scrud-shop".into(),
            kind,
            uri: String::new(),
            identity_source: source.into(),
            validation: validation.map(str::to_string),
            ttl: Duration::from_secs(300),
        }
    }

    fn presented<'a>(
        headers: &'a [(String, String)],
        query: Option<&'a str>,
        variables: &'a HashMap<String, String>,
    ) -> Presented<'a> {
        Presented {
            headers,
            query,
            stage_variables: variables,
            request_id: "r1",
        }
    }

    #[test]
    fn a_missing_or_empty_identity_source_is_401_before_any_invocation() {
        let token = authorizer(
            AuthorizerKind::Token,
            "method.request.header.Authorization",
            None,
        );
        let none = HashMap::new();
        let refused = identity(&token, &presented(&[], None, &none)).unwrap_err();
        assert_eq!(refused, GatewayResponse::Unauthorized);
        let empty = [("authorization".to_string(), String::new())];
        assert_eq!(
            identity(&token, &presented(&empty, None, &none)).unwrap_err(),
            GatewayResponse::Unauthorized
        );
        let given = [("AUTHORIZATION".to_string(), "Bearer x".to_string())];
        assert_eq!(
            identity(&token, &presented(&given, None, &none)).unwrap(),
            vec!["Bearer x"]
        );
    }

    #[test]
    fn request_identity_is_every_source_and_each_is_required() {
        let request = authorizer(
            AuthorizerKind::Request,
            "method.request.header.X-Tenant, method.request.querystring.user, stageVariables.env",
            None,
        );
        let variables = HashMap::from([("env".to_string(), "test".to_string())]);
        let headers = [("x-tenant".to_string(), "acme".to_string())];
        assert_eq!(
            identity(
                &request,
                &presented(&headers, Some("user=ana%20b&x=1"), &variables)
            )
            .unwrap(),
            vec!["acme", "ana b", "test"]
        );
        assert_eq!(
            identity(&request, &presented(&headers, Some("x=1"), &variables)).unwrap_err(),
            GatewayResponse::Unauthorized,
            "the query parameter is missing"
        );
    }

    #[test]
    fn a_token_must_match_the_whole_validation_expression() {
        let token = authorizer(
            AuthorizerKind::Token,
            "method.request.header.Authorization",
            Some("Bearer [a-z]+"),
        );
        let none = HashMap::new();
        let good = [("Authorization".to_string(), "Bearer abc".to_string())];
        assert!(identity(&token, &presented(&good, None, &none)).is_ok());
        let bad = [("Authorization".to_string(), "Bearer abc1".to_string())];
        assert_eq!(
            identity(&token, &presented(&bad, None, &none)).unwrap_err(),
            GatewayResponse::Unauthorized
        );
    }

    fn reply(payload: Value, function_error: bool) -> Invoked {
        Invoked {
            payload: payload.to_string().into_bytes(),
            function_error,
        }
    }

    fn allow_all() -> Value {
        json!({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]})
    }

    #[test]
    fn context_values_arrive_as_strings_and_objects_are_refused() {
        let grant = grant_of(&reply(
            json!({"principalId": "ana", "policyDocument": allow_all(),
                   "context": {"n": 1, "ok": true, "s": "x", "big": 12345678901234567890123456789u128.to_string()}}),
            false,
        ))
        .unwrap();
        assert_eq!(grant.context["n"], "1");
        assert_eq!(grant.context["ok"], "true");
        assert_eq!(grant.context["s"], "x");
        let event = request_context(&grant, 7);
        assert_eq!(event["principalId"], "ana");
        assert_eq!(event["integrationLatency"], 7);
        for nested in [json!({"o": {"a": 1}}), json!({"l": [1]})] {
            let refused = grant_of(&reply(
                json!({"principalId": "ana", "policyDocument": allow_all(), "context": nested}),
                false,
            ))
            .unwrap_err();
            assert_eq!(refused.response_type(), "AUTHORIZER_CONFIGURATION_ERROR");
            assert_eq!(refused.status(), 500);
        }
    }

    #[test]
    fn errors_and_malformed_replies_are_401_or_500() {
        let unauthorized = reply(
            json!({"errorMessage": "Unauthorized", "errorType": "Exception"}),
            true,
        );
        assert_eq!(
            grant_of(&unauthorized).unwrap_err(),
            GatewayResponse::Unauthorized
        );
        let raised = reply(
            json!({"errorMessage": "boom", "errorType": "ValueError"}),
            true,
        );
        assert_eq!(grant_of(&raised).unwrap_err().status(), 500);
        for bad in [
            json!({"policyDocument": allow_all()}),
            json!({"principalId": "ana"}),
            json!({"principalId": "ana", "policyDocument": {"Statement": [{"Effect": "Allow"}]}}),
            json!("allow"),
        ] {
            let refused = grant_of(&reply(bad.clone(), false)).unwrap_err();
            assert_eq!(
                refused.response_type(),
                "AUTHORIZER_CONFIGURATION_ERROR",
                "{bad}"
            );
        }
    }

    #[test]
    fn the_policy_decides_403_with_or_without_explicit_deny() {
        let arn = method_arn("us-east-1", "123456789012", "abc", "v1", "POST", "/crud");
        assert_eq!(
            arn,
            "arn:aws:execute-api:us-east-1:123456789012:abc/v1/POST/crud"
        );
        let grant = |effect: &str| Grant {
            principal_id: "p".into(),
            policy: json!({"Statement": [{"Effect": effect, "Action": "execute-api:Invoke", "Resource": arn}]}),
            context: Map::new(),
            usage_identifier_key: None,
        };
        assert_eq!(admit(&grant("Allow"), &arn), Ok(()));
        assert_eq!(
            admit(&grant("Deny"), &arn).unwrap_err().0,
            GatewayResponse::ExplicitDeny
        );
        let sibling = method_arn(
            "us-east-1",
            "123456789012",
            "abc",
            "v1",
            "POST",
            "/items/users",
        );
        let (refused, why) = admit(&grant("Allow"), &sibling).unwrap_err();
        assert_eq!(refused, GatewayResponse::AccessDenied);
        assert!(why.contains("/items/users"), "{why}");
    }

    #[test]
    fn the_request_event_is_the_proxy_event_without_a_body() {
        let proxy = json!({"resource": "/crud", "httpMethod": "POST", "body": "{}", "isBase64Encoded": false, "headers": {"a": "b"}});
        let event = request_event(proxy, "arn:x");
        assert_eq!(event["type"], "REQUEST");
        assert_eq!(event["methodArn"], "arn:x");
        assert_eq!(event["headers"]["a"], "b");
        assert!(event.get("body").is_none() && event.get("isBase64Encoded").is_none());
        let token = token_event("t", "arn:x");
        assert_eq!(
            token,
            json!({"type": "TOKEN", "authorizationToken": "t", "methodArn": "arn:x"})
        );
    }

    /// Byte for byte as recorded on AWS (Content-Length 26 and 82).
    #[test]
    fn the_refusal_bodies_are_the_recorded_ones() {
        let body = |r: GatewayResponse| String::from_utf8(r.respond(None).body).unwrap();
        assert_eq!(
            body(GatewayResponse::Unauthorized),
            r#"{"message":"Unauthorized"}"#
        );
        assert_eq!(body(GatewayResponse::Unauthorized).len(), 26);
        let deny = body(GatewayResponse::ExplicitDeny);
        assert_eq!(
            deny,
            r#"{"Message":"User is not authorized to access this resource with an explicit deny"}"#
        );
        assert_eq!(deny.len(), 82);
        let failed = GatewayResponse::AuthorizerConfigurationError { cause: "x".into() };
        assert_eq!(body(failed.clone()), r#"{"message": null}"#);
        assert_eq!(failed.error_type(), "AuthorizerConfigurationException");
    }
}
