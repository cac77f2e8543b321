//! Lambda integrations as API Gateway runs them: the REST v1 proxy event and
//! the mapping of the function's reply (AWS_PROXY); passthrough with
//! integration responses selected by the error message (AWS); and the
//! function's resource policy, which must allow this API's method ARN.
//! The pipeline's stages: [`resolve_lambda`], [`check_resource_policy`],
//! [`integration_request`], then (after the invocation) [`map_reply`].

use std::collections::HashMap;
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Map, Value};

use crate::gateway::invoke::Invoked;
use crate::gateway::model::{IntegrationKind, Method, Stage};
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
            body: json!({ "message": message }).to_string().into_bytes(),
        }
    }

    pub fn internal_error() -> HttpReply {
        HttpReply::message(500, "Internal server error", "InternalServerErrorException")
    }

    pub fn bad_gateway() -> HttpReply {
        HttpReply::message(502, "Internal server error", "InternalServerErrorException")
    }
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
    Some((parts[6].to_string(), parts[4].to_string()))
}

/// `*` and `?` wildcards, as ArnLike compares.
fn arn_like(pattern: &str, value: &str) -> bool {
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

/// What the REST v1 proxy event is built from.
pub struct RequestFacts<'a> {
    pub resource_path: &'a str,
    pub path: &'a str,
    pub method: &'a str,
    pub headers: &'a [(String, String)],
    pub query: Option<&'a str>,
    pub path_parameters: &'a HashMap<String, String>,
    pub stage_variables: &'a HashMap<String, String>,
    pub body: &'a [u8],
    pub api_id: &'a str,
    pub resource_id: &'a str,
    pub stage: &'a str,
    pub request_id: &'a str,
    pub account: &'a str,
    pub source_ip: &'a str,
    pub api_key: Option<(&'a str, &'a str)>,
    pub caller_access_key: Option<&'a str>,
}

fn decode_query_part(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The event API Gateway sends a Lambda proxy integration (REST API, v1).
pub fn proxy_event(f: &RequestFacts<'_>) -> Value {
    let (headers, multi_headers) = header_maps(f.headers);
    let (query, multi_query) = query_maps(f.query);
    let (body, base64) = match std::str::from_utf8(f.body) {
        _ if f.body.is_empty() => (Value::Null, false),
        Ok(text) => (Value::String(text.to_string()), false),
        Err(_) => (
            Value::String(base64::engine::general_purpose::STANDARD.encode(f.body)),
            true,
        ),
    };
    json!({
        "resource": f.resource_path,
        "path": f.path,
        "httpMethod": f.method,
        "headers": or_null(headers),
        "multiValueHeaders": or_null(multi_headers),
        "queryStringParameters": or_null(query),
        "multiValueQueryStringParameters": or_null(multi_query),
        "pathParameters": or_null(string_map(f.path_parameters)),
        "stageVariables": or_null(string_map(f.stage_variables)),
        "requestContext": request_context(f),
        "body": body,
        "isBase64Encoded": base64,
    })
}

/// (headers, multiValueHeaders): the last value, and every value.
fn header_maps(list: &[(String, String)]) -> (Map<String, Value>, Map<String, Value>) {
    let mut headers = Map::new();
    let mut multi_headers: Map<String, Value> = Map::new();
    for (name, value) in list {
        headers.insert(name.clone(), Value::String(value.clone()));
        multi_headers
            .entry(name.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .expect("an array")
            .push(Value::String(value.clone()));
    }
    (headers, multi_headers)
}

/// (queryStringParameters, multiValueQueryStringParameters), decoded.
fn query_maps(raw_query: Option<&str>) -> (Map<String, Value>, Map<String, Value>) {
    let mut query = Map::new();
    let mut multi_query: Map<String, Value> = Map::new();
    for pair in raw_query
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode_query_part(k), decode_query_part(v));
        query.insert(k.clone(), Value::String(v.clone()));
        multi_query
            .entry(k)
            .or_insert_with(|| Value::Array(Vec::new()))
            .as_array_mut()
            .expect("an array")
            .push(Value::String(v));
    }
    (query, multi_query)
}

fn or_null(m: Map<String, Value>) -> Value {
    if m.is_empty() {
        Value::Null
    } else {
        Value::Object(m)
    }
}

fn string_map(map: &HashMap<String, String>) -> Map<String, Value> {
    map.iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect()
}

fn header_of(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

fn request_context(f: &RequestFacts<'_>) -> Value {
    let now = chrono::Utc::now();
    json!({
        "resourceId": f.resource_id,
        "resourcePath": f.resource_path,
        "httpMethod": f.method,
        "extendedRequestId": f.request_id,
        "requestTime": now.format("%d/%b/%Y:%H:%M:%S +0000").to_string(),
        "path": format!("/{}{}", f.stage, f.path),
        "accountId": f.account,
        "protocol": "HTTP/1.1",
        "stage": f.stage,
        "domainPrefix": f.api_id,
        "requestTimeEpoch": now.timestamp_millis(),
        "requestId": f.request_id,
        "identity": identity(f),
        "domainName": header_of(f.headers, "host").unwrap_or_default(),
        "apiId": f.api_id,
    })
}

fn identity(f: &RequestFacts<'_>) -> Value {
    json!({
        "cognitoIdentityPoolId": null,
        "accountId": f.caller_access_key.map(|_| f.account),
        "cognitoIdentityId": null,
        "caller": f.caller_access_key,
        "sourceIp": f.source_ip,
        "principalOrgId": null,
        "accessKey": f.caller_access_key,
        "cognitoAuthenticationType": null,
        "cognitoAuthenticationProvider": null,
        "userArn": f.caller_access_key.map(|_| format!("arn:aws:iam::{}:root", f.account)),
        "userAgent": header_of(f.headers, "user-agent"),
        "user": f.caller_access_key,
        "apiKey": f.api_key.map(|(value, _)| value),
        "apiKeyId": f.api_key.map(|(_, id)| id),
    })
}

/// Maps a proxy integration's reply; None when it is not a valid proxy
/// response (API Gateway then answers 502).
pub fn proxy_reply(payload: &[u8]) -> Option<HttpReply> {
    let doc: Value = serde_json::from_slice(payload).ok()?;
    let map = doc.as_object()?;
    let status = match map.get("statusCode") {
        Some(Value::Number(n)) => n.as_u64()?,
        Some(Value::String(s)) => s.parse().ok()?,
        _ => return None,
    };
    let status = u16::try_from(status)
        .ok()
        .filter(|s| (100..600).contains(s))?;
    for field in map.keys() {
        if !matches!(
            field.as_str(),
            "statusCode" | "headers" | "multiValueHeaders" | "body" | "isBase64Encoded" | "cookies"
        ) {
            return None; // API Gateway refuses unknown fields
        }
    }
    let mut headers = Vec::new();
    if let Some(h) = map.get("headers") {
        for (k, v) in h.as_object()? {
            headers.push((k.clone(), scalar(v)?));
        }
    }
    if let Some(h) = map.get("multiValueHeaders") {
        for (k, values) in h.as_object()? {
            for v in values.as_array()? {
                headers.push((k.clone(), scalar(v)?));
            }
        }
    }
    let body = match map.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) if map.get("isBase64Encoded") == Some(&Value::Bool(true)) => {
            base64::engine::general_purpose::STANDARD.decode(s).ok()?
        }
        Some(Value::String(s)) => s.clone().into_bytes(),
        Some(_) => return None,
    };
    Some(HttpReply {
        status,
        headers,
        body,
    })
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
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

/// The client's answer from the function's reply: a proxy response
/// (anything else, or a function error, is a 502), or the integration
/// response the result selects.
pub fn map_reply(
    lambda: &LambdaIntegration<'_>,
    invoked: &Invoked,
) -> Result<HttpReply, GatewayResponse> {
    let bad_gateway = |cause: String| GatewayResponse::Default5xx { status: 502, cause };
    match lambda.mode {
        LambdaMode::Proxy if invoked.function_error => Err(bad_gateway(format!(
            "{} failed ({})",
            lambda.function,
            error_type_of(&invoked.payload)
        ))),
        LambdaMode::Proxy => proxy_reply(&invoked.payload).ok_or_else(|| {
            bad_gateway(format!(
                "malformed Lambda proxy response from {} ({} bytes)",
                lambda.function,
                invoked.payload.len()
            ))
        }),
        LambdaMode::Passthrough => Ok(non_proxy_reply(
            &invoked.payload,
            invoked.function_error,
            lambda.responses,
        )),
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
    fn proxy_replies_are_mapped_or_refused() {
        let r = proxy_reply(br#"{"statusCode": 201, "headers": {"X-A": "1"}, "multiValueHeaders": {"Set-Cookie": ["a", "b"]}, "body": "hi"}"#).unwrap();
        assert_eq!(r.status, 201);
        assert_eq!(r.body, b"hi");
        assert_eq!(
            r.headers.iter().filter(|(n, _)| n == "Set-Cookie").count(),
            2
        );
        let b64 = proxy_reply(br#"{"statusCode": 200, "body": "AAE=", "isBase64Encoded": true}"#)
            .unwrap();
        assert_eq!(b64.body, vec![0, 1]);
        assert!(
            proxy_reply(b"\"pong\"").is_none(),
            "a bare value is not a proxy response"
        );
        assert!(proxy_reply(br#"{"statusCode": 200, "extra": 1}"#).is_none());
        assert!(proxy_reply(br#"{"body": "x"}"#).is_none());
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

    #[test]
    fn the_proxy_event_has_what_api_gateway_sends() {
        let headers = vec![
            ("host".to_string(), "127.0.0.1:4567".to_string()),
            ("x-h".to_string(), "1".to_string()),
            ("x-h".to_string(), "2".to_string()),
        ];
        let params = HashMap::from([("id".to_string(), "7".to_string())]);
        let vars = HashMap::new();
        let facts = RequestFacts {
            resource_path: "/items/{id}",
            path: "/items/7",
            method: "POST",
            headers: &headers,
            query: Some("a=1&a=2&b=x%20y"),
            path_parameters: &params,
            stage_variables: &vars,
            body: b"{\"operation\":\"ping\"}",
            api_id: "abc",
            resource_id: "r1",
            stage: "v1",
            request_id: "req",
            account: "123456789012",
            source_ip: "127.0.0.1",
            api_key: Some(("secret", "k1")),
            caller_access_key: None,
        };
        let e = proxy_event(&facts);
        assert_eq!(e["httpMethod"], "POST");
        assert_eq!(e["pathParameters"]["id"], "7");
        assert_eq!(e["multiValueHeaders"]["x-h"], json!(["1", "2"]));
        assert_eq!(e["queryStringParameters"]["b"], "x y");
        assert_eq!(e["multiValueQueryStringParameters"]["a"], json!(["1", "2"]));
        assert_eq!(e["stageVariables"], Value::Null);
        assert_eq!(e["requestContext"]["identity"]["apiKey"], "secret");
        assert_eq!(e["requestContext"]["path"], "/v1/items/7");
        assert_eq!(e["body"], "{\"operation\":\"ping\"}");
        assert_eq!(e["isBase64Encoded"], false);
    }

    use crate::gateway::model::{Api, Integration};

    const URI: &str = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:scrud-shop/invocations";

    fn method(kind: &str, uri: &str) -> Method {
        Method {
            authorization: "NONE".into(),
            api_key_required: false,
            integration: Some(Integration {
                kind: kind.into(),
                uri: uri.into(),
                timeout: Duration::from_secs(29),
                responses: vec![(200, None)],
            }),
        }
    }

    fn stage() -> Stage {
        Stage {
            deployed: true,
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
            resources: Vec::new(),
            stages: HashMap::new(),
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
            method: "POST",
            headers: &[],
            query: None,
            path_parameters: empty,
            stage_variables: empty,
            body,
            api_id: "abc",
            resource_id: "r1",
            stage: "v1",
            request_id: "req",
            account: "123",
            source_ip: "127.0.0.1",
            api_key: None,
            caller_access_key: None,
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
        )
        .unwrap();
        assert_eq!((ok.status, ok.body.as_slice()), (201, b"x".as_slice()));
        for refused in [
            map_reply(&proxy, &invoked(b"\"pong\"", false)).unwrap_err(),
            map_reply(
                &proxy,
                &invoked(
                    br#"{"errorMessage": "boom", "errorType": "KeyError"}"#,
                    true,
                ),
            )
            .unwrap_err(),
        ] {
            assert_eq!(refused.respond(None), HttpReply::bad_gateway());
        }
        let error = br#"{"errorMessage": "boom", "errorType": "KeyError"}"#;
        let mapped = map_reply(&passthrough, &invoked(error, true)).unwrap();
        assert_eq!(
            (mapped.status, mapped.body.as_slice()),
            (200, error.as_slice())
        );
    }
}
