//! Lambda integrations as API Gateway runs them: the REST v1 proxy event and
//! the mapping of the function's reply (AWS_PROXY); passthrough with
//! integration responses selected by the error message (AWS); and the
//! function's resource policy, which must allow this API's method ARN.
//! The pipeline's stages: [`resolve_lambda`], [`check_resource_policy`],
//! [`integration_request`], then (after the invocation) [`map_reply`].

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{json, Value};

use crate::gateway::invoke::Invoked;
use crate::gateway::model::{IntegrationKind, Method, Stage};
pub use crate::gateway::proxy::RequestFacts;
use crate::gateway::proxy::{proxy_event, proxy_reply, BadReply};
use crate::gateway::response::GatewayResponse;
use crate::gateway::routing::Target;

/// What the gateway answers.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpReply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpReply {
    /// API Gateway's own JSON answers: `{"message": ...}`.
    pub fn message(status: u16, message: &str, error_type: &str) -> HttpReply {
        HttpReply {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("x-amzn-ErrorType".into(), error_type.into()),
            ],
            body: message_body(message).into_bytes(),
        }
    }

    pub fn internal_error() -> HttpReply {
        HttpReply::message(500, "Internal server error", "InternalServerErrorException")
    }

    pub fn bad_gateway() -> HttpReply {
        HttpReply::message(502, "Internal server error", "InternalServerErrorException")
    }
}

/// API Gateway's error body: `{"message": "..."}`, with a space after the
/// colon — the recorded 500 is 36 bytes (`Content-Length: 36`, LocalStack's
/// AWS snapshot test_apigateway_integrations.snapshot.json,
/// test_apigateway_header_remapping_aws[AWS_PROXY] / content-length), and
/// the captured 413 `{"message": "Request Too Long"}` 31.
pub fn message_body(message: &str) -> String {
    format!("{{\"message\": {}}}", json!(message))
}

/// The function an integration URI names:
/// `arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`
/// -> (function name, account). `${stageVariables.x}` is substituted first.
pub fn function_of(uri: &str, variables: &HashMap<String, String>) -> Option<(String, String)> {
    let mut uri = uri.to_string();
    for (name, value) in variables {
        uri = uri.replace(&format!("${{stageVariables.{name}}}"), value);
    }
    let arn = uri
        .split("/functions/")
        .nth(1)?
        .strip_suffix("/invocations")?;
    // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() < 7 || parts[5] != "function" {
        return None;
    }
    let name = match parts.get(7) {
        Some(qualifier) if !qualifier.is_empty() => format!("{}:{qualifier}", parts[6]),
        _ => parts[6].to_string(),
    };
    Some((name, parts[4].to_string()))
}

/// `*` and `?` wildcards, as ArnLike compares.
pub(crate) fn arn_like(pattern: &str, value: &str) -> bool {
    let (p, v): (Vec<char>, Vec<char>) = (pattern.chars().collect(), value.chars().collect());
    let (mut pi, mut vi, mut star, mut mark) = (0, 0, None, 0);
    while vi < v.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == v[vi]) {
            pi += 1;
            vi += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = vi;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            vi = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Does the function's resource policy let API Gateway invoke it from
/// `source_arn` (`arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/METHOD/PATH`)?
pub fn permits(statements: &[Value], source_arn: &str) -> bool {
    statements.iter().any(|s| {
        let allow = s["Effect"] == "Allow";
        let principal =
            s["Principal"]["Service"] == "apigateway.amazonaws.com" || s["Principal"] == "*";
        let action = match &s["Action"] {
            Value::String(a) => a == "lambda:InvokeFunction" || a == "lambda:*",
            Value::Array(list) => list
                .iter()
                .any(|a| a == "lambda:InvokeFunction" || a == "lambda:*"),
            _ => false,
        };
        let condition = match s["Condition"]["ArnLike"]["AWS:SourceArn"].as_str() {
            Some(pattern) => arn_like(pattern, source_arn),
            None => s["Condition"].is_null(),
        };
        allow && principal && action && condition
    })
}

/// A non-proxy (AWS) integration's answer: the function's result is the
/// body of the default response; a function error picks the response whose
/// selectionPattern matches its errorMessage, else the default one, with
/// the error document as the body — as AWS does.
pub fn non_proxy_reply(
    payload: &[u8],
    function_error: bool,
    responses: &[(u16, Option<String>)],
) -> HttpReply {
    let default = responses.iter().find(|(_, p)| p.is_none()).map(|(s, _)| *s);
    let status = if function_error {
        let message = serde_json::from_slice::<Value>(payload)
            .ok()
            .and_then(|d| d["errorMessage"].as_str().map(str::to_string))
            .unwrap_or_default();
        responses
            .iter()
            .filter_map(|(status, pattern)| pattern.as_ref().map(|p| (*status, p)))
            .find(|(_, pattern)| {
                regex::Regex::new(&format!("^(?s:{pattern})$"))
                    .is_ok_and(|re| re.is_match(&message))
            })
            .map(|(status, _)| status)
            .or(default)
    } else {
        default
    };
    match status {
        Some(status) => HttpReply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: payload.to_vec(),
        },
        // No integration response to map to: API Gateway's own 500.
        None => HttpReply::internal_error(),
    }
}

/// How a Lambda integration passes the request and the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LambdaMode {
    /// AWS_PROXY: the v1 proxy event; the function answers with a proxy response.
    Proxy,
    /// AWS (non-proxy): the body as is; integration responses map the result.
    Passthrough,
}

/// The Lambda integration of a method, resolved for a stage.
#[derive(Debug, Clone, PartialEq)]
pub struct LambdaIntegration<'a> {
    pub mode: LambdaMode,
    pub function: String,
    pub account: String,
    pub timeout: Duration,
    pub responses: &'a [(u16, Option<String>)],
}

/// Integration request headers a Lambda proxy integration may not map: the
/// method fails with a 500 on every call (LocalStack's AWS snapshots,
/// test_apigateway_integrations.snapshot.json,
/// test_apigateway_header_remapping_aws[AWS_PROXY]: content-length ... te).
const UNMAPPABLE: &[&str] = &[
    "authorization",
    "connection",
    "content-length",
    "expect",
    "proxy-authenticate",
    "te",
    "transfer-encoding",
];

/// The method's Lambda integration (its URI's stage variables substituted);
/// other kinds are a 500 saying the local gateway does not run them.
pub fn resolve_lambda<'a>(
    method: &'a Method,
    stage: &Stage,
) -> Result<LambdaIntegration<'a>, GatewayResponse> {
    let integration = method
        .integration
        .as_ref()
        .ok_or_else(|| GatewayResponse::misconfigured("the method has no integration"))?;
    let mode = match &integration.kind {
        IntegrationKind::AwsProxy => LambdaMode::Proxy,
        IntegrationKind::Aws => LambdaMode::Passthrough,
        other => {
            let message = format!(
                "the local gateway runs Lambda integrations only, not {}",
                other.as_str()
            );
            return Err(GatewayResponse::ApiConfigurationError {
                message: Some(message.clone()),
                cause: message,
            });
        }
    };
    check_lambda_request(integration, mode)?;
    let (function, account) = function_of(&integration.uri, &stage.variables).ok_or_else(|| {
        GatewayResponse::misconfigured(format!(
            "the integration URI {} names no Lambda function",
            integration.uri
        ))
    })?;
    Ok(LambdaIntegration {
        mode,
        function,
        account,
        timeout: integration.timeout,
        responses: &integration.responses,
    })
}

/// What Lambda itself would refuse, as API Gateway answers it: Invoke is a
/// POST (`integrationHttpMethod` GET: 500, test_apigateway_lambda.snapshot.json,
/// test_lambda_aws_proxy_integration_non_post_method), and a proxy
/// integration may not map the headers in [`UNMAPPABLE`].
fn check_lambda_request(
    integration: &crate::gateway::model::Integration,
    mode: LambdaMode,
) -> Result<(), GatewayResponse> {
    if let Some(verb) = integration.http_method.as_deref() {
        if !verb.eq_ignore_ascii_case("POST") {
            return Err(GatewayResponse::IntegrationFailure {
                cause: format!("Lambda is invoked with POST; the integrationHttpMethod is {verb}"),
            });
        }
    }
    let unmappable = integration.request_parameters.iter().find(|key| {
        key.strip_prefix("integration.request.header.")
            .is_some_and(|h| UNMAPPABLE.iter().any(|u| h.eq_ignore_ascii_case(u)))
    });
    match (mode, unmappable) {
        (LambdaMode::Proxy, Some(key)) => Err(GatewayResponse::misconfigured(format!(
            "a Lambda proxy integration cannot map {key}"
        ))),
        _ => Ok(()),
    }
}

/// The method ARN API Gateway invokes from:
/// `arn:aws:execute-api:REGION:ACCOUNT:API/STAGE/VERB/PATH`.
pub fn source_arn(
    region: &str,
    account: &str,
    target: &Target<'_>,
    verb: &str,
    resource_path: &str,
) -> String {
    format!(
        "arn:aws:execute-api:{region}:{account}:{}/{}/{verb}/{}",
        target.api.id,
        target.stage_name,
        resource_path.trim_start_matches('/')
    )
}

/// The function's resource policy must allow `source_arn` (AWS: "Invalid
/// permissions on Lambda function", an internal 500).
pub fn check_resource_policy(
    statements: &[Value],
    function: &str,
    source_arn: &str,
) -> Result<(), GatewayResponse> {
    if permits(statements, source_arn) {
        Ok(())
    } else {
        Err(GatewayResponse::misconfigured(format!(
            "Invalid permissions on Lambda function: the resource policy of {function} does not allow {source_arn}"
        )))
    }
}

/// The payload sent to the function: the proxy event, or the body (`{}` when empty).
pub fn integration_request(lambda: &LambdaIntegration<'_>, facts: &RequestFacts<'_>) -> Vec<u8> {
    match lambda.mode {
        LambdaMode::Proxy => proxy_event(facts).to_string().into_bytes(),
        LambdaMode::Passthrough if facts.body.is_empty() => b"{}".to_vec(),
        LambdaMode::Passthrough => facts.body.to_vec(),
    }
}

/// Lambda's limit on a synchronous invocation's request (6 MiB).
pub const MAX_EVENT: usize = 6 * 1024 * 1024;
/// ...and on its response (6 MiB + 100 bytes).
pub const MAX_FUNCTION_REPLY: usize = 6 * 1024 * 1024 + 100;

/// The client's answer from the function's reply: a proxy response
/// (anything else, or a function error, is a 502; a body to decode that
/// is not base64 a 500), or the integration response the result selects.
/// `decode`: the request accepts one of the API's binary media types.
pub fn map_reply(
    lambda: &LambdaIntegration<'_>,
    invoked: &Invoked,
    decode: bool,
) -> Result<HttpReply, GatewayResponse> {
    let bad_gateway = |cause: String| GatewayResponse::Default5xx { status: 502, cause };
    if invoked.payload.len() > MAX_FUNCTION_REPLY {
        return Err(bad_gateway(format!(
            "{} answered {} bytes, over Lambda's {MAX_FUNCTION_REPLY} (Function.ResponseSizeTooLarge)",
            lambda.function,
            invoked.payload.len()
        )));
    }
    match lambda.mode {
        LambdaMode::Proxy if invoked.function_error => Err(bad_gateway(function_failed(
            &lambda.function,
            &invoked.payload,
        ))),
        LambdaMode::Proxy => proxy_reply(&invoked.payload, decode).map_err(|bad| match bad {
            BadReply::Malformed(why) => bad_gateway(format!(
                "malformed Lambda proxy response from {} ({why}; {} bytes)",
                lambda.function,
                invoked.payload.len()
            )),
            BadReply::NotBase64 => GatewayResponse::internal(format!(
                "{}'s isBase64Encoded body is not base64",
                lambda.function
            )),
        }),
        LambdaMode::Passthrough => Ok(non_proxy_reply(
            &invoked.payload,
            invoked.function_error,
            lambda.responses,
        )),
    }
}

/// What the log says of a function error: its type ("Runtime exited" for
/// a runtime that died mid-invocation).
fn function_failed(function: &str, payload: &[u8]) -> String {
    match error_type_of(payload).as_str() {
        "Runtime.ExitError" => format!("{function} failed: Runtime exited (Runtime.ExitError)"),
        other => format!("{function} failed ({other})"),
    }
}

/// A function error's `errorType` (its message may hold data: not logged).
fn error_type_of(payload: &[u8]) -> String {
    serde_json::from_slice::<Value>(payload)
        .ok()
        .and_then(|d| d["errorType"].as_str().map(str::to_string))
        .unwrap_or_else(|| "no errorType".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_function_is_read_from_the_integration_uri() {
        let uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:scrud-shop/invocations";
        assert_eq!(
            function_of(uri, &HashMap::new()),
            Some(("scrud-shop".into(), "123456789012".into()))
        );
        let vars = HashMap::from([("fn".to_string(), "other".to_string())]);
        let templated = uri.replace("scrud-shop", "${stageVariables.fn}");
        assert_eq!(function_of(&templated, &vars).unwrap().0, "other");
        assert_eq!(
            function_of("arn:aws:apigateway:x:s3:path/bucket", &HashMap::new()),
            None
        );
    }

    #[test]
    fn the_policy_must_allow_this_method_arn() {
        let statement = json!({
            "Sid": "serverless-crud-apigateway", "Effect": "Allow",
            "Principal": {"Service": "apigateway.amazonaws.com"},
            "Action": "lambda:InvokeFunction",
            "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:us-east-1:123:abc/*/POST/crud"}}
        });
        let arn = |api: &str, method: &str| {
            format!("arn:aws:execute-api:us-east-1:123:{api}/v1/{method}/crud")
        };
        assert!(permits(
            std::slice::from_ref(&statement),
            &arn("abc", "POST")
        ));
        assert!(!permits(
            std::slice::from_ref(&statement),
            &arn("abc", "GET")
        ));
        assert!(!permits(&[statement], &arn("other", "POST")));
        assert!(
            !permits(&[], &arn("abc", "POST")),
            "no policy: no permission"
        );
    }

    #[test]
    fn non_proxy_errors_follow_the_selection_pattern() {
        let responses = vec![(200, None), (404, Some(".*not found.*".to_string()))];
        let error = br#"{"errorMessage": "item not found", "errorType": "KeyError"}"#;
        assert_eq!(non_proxy_reply(error, true, &responses).status, 404);
        let other = br#"{"errorMessage": "boom", "errorType": "ValueError"}"#;
        let r = non_proxy_reply(other, true, &responses);
        assert_eq!((r.status, r.body.as_slice()), (200, other.as_slice()));
        assert_eq!(
            non_proxy_reply(b"\"pong\"", false, &responses).body,
            b"\"pong\""
        );
        assert_eq!(non_proxy_reply(b"{}", false, &[]).status, 500);
    }

    use crate::gateway::model::{Api, Integration};

    const URI: &str = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:scrud-shop/invocations";

    fn method(kind: &str, uri: &str) -> Method {
        Method {
            authorization_scopes: Vec::new(),
            authorization: "NONE".into(),
            authorizer_id: None,
            api_key_required: false,
            integration: Some(Integration {
                kind: kind.into(),
                http_method: Some("POST".into()),
                uri: uri.into(),
                request_parameters: Vec::new(),
                timeout: Duration::from_secs(29),
                responses: vec![(200, None)],
                mock: None,
            }),
        }
    }

    fn stage() -> Stage {
        Stage {
            canary: None,
            deployed: true,
            deployment_id: "d1".into(),
            access_log: None,
            variables: HashMap::new(),
            throttles: HashMap::new(),
        }
    }

    fn message(refusal: &GatewayResponse) -> (u16, Value) {
        let reply = refusal.respond(None);
        (reply.status, serde_json::from_slice(&reply.body).unwrap())
    }

    #[test]
    fn lambda_integrations_resolve_and_other_kinds_are_a_500_saying_so() {
        let proxy = method("AWS_PROXY", URI);
        let lambda = resolve_lambda(&proxy, &stage()).unwrap();
        assert_eq!(lambda.mode, LambdaMode::Proxy);
        assert_eq!(
            (lambda.function.as_str(), lambda.account.as_str()),
            ("scrud-shop", "123456789012")
        );
        let passthrough = method("AWS", URI);
        assert_eq!(
            resolve_lambda(&passthrough, &stage()).unwrap().mode,
            LambdaMode::Passthrough
        );
        for kind in ["HTTP", "HTTP_PROXY", "MOCK"] {
            let refused = resolve_lambda(&method(kind, URI), &stage()).unwrap_err();
            let expected = format!("the local gateway runs Lambda integrations only, not {kind}");
            assert_eq!(message(&refused), (500, json!({ "message": expected })));
        }
        let internal = (500, json!({"message": "Internal server error"}));
        let no_function = method("AWS_PROXY", "arn:aws:apigateway:us-east-1:s3:path/b");
        assert_eq!(
            message(&resolve_lambda(&no_function, &stage()).unwrap_err()),
            internal
        );
        let mut none = proxy.clone();
        none.integration = None;
        assert_eq!(
            message(&resolve_lambda(&none, &stage()).unwrap_err()),
            internal
        );
    }

    #[test]
    fn a_policy_that_does_not_allow_the_method_arn_is_an_internal_500() {
        let api = Api {
            id: "abc".into(),
            name: "a".into(),
            binary_media_types: Vec::new(),
            resources: Vec::new(),
            stages: HashMap::new(),
            gateway_responses: Default::default(),
            authorizers: Default::default(),
            key_from_authorizer: false,
        };
        let stage = stage();
        let target = Target {
            api: &api,
            stage_name: "v1",
            stage: &stage,
        };
        let arn = source_arn("us-east-1", "123", &target, "POST", "/crud");
        assert_eq!(arn, "arn:aws:execute-api:us-east-1:123:abc/v1/POST/crud");
        let allow = json!({
            "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"},
            "Action": "lambda:InvokeFunction",
            "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:us-east-1:123:abc/*/POST/crud"}}
        });
        assert_eq!(check_resource_policy(&[allow], "f", &arn), Ok(()));
        let refused = check_resource_policy(&[], "f", &arn).unwrap_err();
        assert_eq!(
            message(&refused),
            (500, json!({"message": "Internal server error"}))
        );
        assert!(refused
            .cause()
            .unwrap()
            .contains("Invalid permissions on Lambda function"));
    }

    fn facts<'a>(body: &'a [u8], empty: &'a HashMap<String, String>) -> RequestFacts<'a> {
        RequestFacts {
            resource_path: "/crud",
            path: "/crud",
            context_path: "/v1/crud",
            method: "POST",
            headers: &[],
            query: None,
            path_parameters: empty,
            stage_variables: empty,
            body,
            api_id: "abc",
            resource_id: "r1",
            stage: "v1",
            deployment_id: "d1",
            request_id: "req",
            account: "123",
            source_ip: "127.0.0.1",
            port: 4567,
            trace_id: "Root=1-0-0;Parent=0;Sampled=0",
            time: chrono::Utc::now(),
            api_key: None,
            caller_access_key: None,
            authorizer: None,
        }
    }

    #[test]
    fn the_integration_request_is_the_proxy_event_or_the_body() {
        let empty = HashMap::new();
        let (proxy, passthrough) = (method("AWS_PROXY", URI), method("AWS", URI));
        let proxy = resolve_lambda(&proxy, &stage()).unwrap();
        let passthrough = resolve_lambda(&passthrough, &stage()).unwrap();
        let event: Value =
            serde_json::from_slice(&integration_request(&proxy, &facts(b"hi", &empty))).unwrap();
        assert_eq!(
            (event["body"].as_str(), event["resource"].as_str()),
            (Some("hi"), Some("/crud"))
        );
        assert_eq!(
            integration_request(&passthrough, &facts(b"hi", &empty)),
            b"hi"
        );
        assert_eq!(
            integration_request(&passthrough, &facts(b"", &empty)),
            b"{}"
        );
    }

    #[test]
    fn a_malformed_proxy_reply_or_a_function_error_is_a_502() {
        let (proxy, passthrough) = (method("AWS_PROXY", URI), method("AWS", URI));
        let proxy = resolve_lambda(&proxy, &stage()).unwrap();
        let passthrough = resolve_lambda(&passthrough, &stage()).unwrap();
        let invoked = |payload: &[u8], function_error| Invoked {
            payload: payload.to_vec(),
            function_error,
        };
        let ok = map_reply(
            &proxy,
            &invoked(br#"{"statusCode": 201, "body": "x"}"#, false),
            false,
        )
        .unwrap();
        assert_eq!((ok.status, ok.body.as_slice()), (201, b"x".as_slice()));
        for refused in [
            map_reply(&proxy, &invoked(b"\"pong\"", false), false).unwrap_err(),
            map_reply(
                &proxy,
                &invoked(
                    br#"{"errorMessage": "boom", "errorType": "KeyError"}"#,
                    true,
                ),
                false,
            )
            .unwrap_err(),
        ] {
            assert_eq!(refused.respond(None), HttpReply::bad_gateway());
        }
        let error = br#"{"errorMessage": "boom", "errorType": "KeyError"}"#;
        let mapped = map_reply(&passthrough, &invoked(error, true), false).unwrap();
        assert_eq!(
            (mapped.status, mapped.body.as_slice()),
            (200, error.as_slice())
        );
    }

    /// test_apigateway_lambda.snapshot.json,
    /// test_lambda_aws_proxy_integration_non_post_method (500); and
    /// test_apigateway_integrations.snapshot.json,
    /// test_apigateway_header_remapping_aws[AWS_PROXY] (content-length ... te: 500).
    #[test]
    fn lambda_is_invoked_with_post_and_without_forbidden_header_mappings() {
        let internal = (500, json!({"message": "Internal server error"}));
        let mut get = method("AWS_PROXY", URI);
        if let Some(i) = get.integration.as_mut() {
            i.http_method = Some("GET".into());
        }
        let refused = resolve_lambda(&get, &stage()).unwrap_err();
        assert_eq!(refused.response_type(), "INTEGRATION_FAILURE");
        assert_eq!(message(&refused), internal);
        for header in ["Content-Length", "TE", "authorization", "Expect"] {
            let mut mapped = method("AWS_PROXY", URI);
            if let Some(i) = mapped.integration.as_mut() {
                i.request_parameters = vec![format!("integration.request.header.{header}")];
            }
            let refused = resolve_lambda(&mapped, &stage()).unwrap_err();
            assert_eq!(message(&refused), internal, "{header}");
        }
        let mut fine = method("AWS_PROXY", URI);
        if let Some(i) = fine.integration.as_mut() {
            i.request_parameters = vec!["integration.request.header.X-Custom".into()];
        }
        assert!(resolve_lambda(&fine, &stage()).is_ok());
    }
}
