//! The Lambda proxy integration of a REST API (v1), as API Gateway runs it:
//! the event it builds from the request, and how it maps the function's
//! reply. Where AWS's behaviour is not obvious it is taken from LocalStack's
//! snapshots recorded against real AWS (see tests/fixtures/conformance/):
//! header names keep the client's spelling but `Authorization`,
//! `User-Agent` (and the `Host` it sets) are re-cased; hop-by-hop headers
//! and `Content-Length` are dropped and `X-Amzn-Trace-Id` and
//! `X-Forwarded-*` added; the path keeps its percent-encoding; a reply
//! without `statusCode` is a 200, one that sets no content type gets
//! `application/json`, `multiValueHeaders` and `headers` of one name merge
//! (multi first), and a base64 body is decoded only when the request's
//! first `Accept` type is one of the API's `binaryMediaTypes`.

use std::collections::HashMap;

use base64::Engine;
use serde_json::{json, Map, Value};

use crate::gateway::integration::HttpReply;

/// What the REST v1 proxy event is built from.
pub struct RequestFacts<'a> {
    pub resource_path: &'a str,
    /// The event's `path`: as received, leading slashes collapsed.
    pub path: &'a str,
    /// `requestContext.path`: `/{stage}` and the path as received.
    pub context_path: &'a str,
    pub method: &'a str,
    /// The header lines as sent (names in the client's spelling).
    pub headers: &'a [(String, String)],
    pub query: Option<&'a str>,
    pub path_parameters: &'a HashMap<String, String>,
    pub stage_variables: &'a HashMap<String, String>,
    pub body: &'a [u8],
    pub api_id: &'a str,
    pub resource_id: &'a str,
    pub stage: &'a str,
    pub deployment_id: &'a str,
    pub request_id: &'a str,
    pub account: &'a str,
    pub source_ip: &'a str,
    /// The gateway port the client connected to.
    pub port: u16,
    /// The `X-Amzn-Trace-Id` of this request ([`trace_id`]).
    pub trace_id: &'a str,
    pub time: chrono::DateTime<chrono::Utc>,
    /// (value, id) of the API key used, if any.
    pub api_key: Option<(&'a str, &'a str)>,
    pub caller_access_key: Option<&'a str>,
    /// `requestContext.authorizer`: what a Lambda authorizer granted.
    pub authorizer: Option<&'a Value>,
}

/// Request headers API Gateway does not pass to a proxy integration
/// (LocalStack's AWS snapshots: test_apigateway_integrations.snapshot.json,
/// test_apigateway_header_remapping_aws[AWS_PROXY] / no-param-integration;
/// test_apigateway_lambda.snapshot.json, ...params-encoding-multi), and those
/// it sets itself.
const DROPPED: &[&str] = &[
    "connection",
    "content-length",
    "content-md5",
    "expect",
    "max-forwards",
    "proxy-authenticate",
    "server",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "www-authenticate",
    "x-amzn-trace-id",
    "x-forwarded-port",
    "x-forwarded-proto",
    "x-forwarded-for",
];

/// Names API Gateway re-cases (`aUThorization` -> `Authorization`).
const RECASED: &[&str] = &["Authorization", "User-Agent", "Host"];

/// The header lines the function sees: the client's, minus what API
/// Gateway drops, plus what it adds.
pub fn event_headers(f: &RequestFacts<'_>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(f.headers.len() + 4);
    for (name, value) in f.headers {
        if DROPPED.iter().any(|d| name.eq_ignore_ascii_case(d)) {
            continue;
        }
        let name = RECASED
            .iter()
            .find(|r| name.eq_ignore_ascii_case(r))
            .map_or_else(|| name.clone(), |r| r.to_string());
        out.push((name, value.clone()));
    }
    if !out.iter().any(|(n, _)| n == "Host") {
        out.push(("Host".into(), format!("127.0.0.1:{}", f.port)));
    }
    let forwarded_for = f
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("x-forwarded-for"))
        .map(|(_, v)| v.as_str())
        .chain([f.source_ip])
        .collect::<Vec<_>>()
        .join(", ");
    out.push(("X-Amzn-Trace-Id".into(), f.trace_id.to_string()));
    out.push(("X-Forwarded-For".into(), forwarded_for));
    out.push(("X-Forwarded-Port".into(), f.port.to_string()));
    out.push(("X-Forwarded-Proto".into(), "http".into()));
    out
}

/// The event API Gateway sends a Lambda proxy integration (REST API, v1).
pub fn proxy_event(f: &RequestFacts<'_>) -> Value {
    let lines = event_headers(f);
    let (headers, multi_headers) = header_maps(&lines);
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
        "requestContext": request_context(f, header_of(&lines, "Host")),
        "body": body,
        "isBase64Encoded": base64,
    })
}

/// (headers, multiValueHeaders): the last value, and every value, under the
/// first spelling of a name (names compare without case).
fn header_maps(list: &[(String, String)]) -> (Map<String, Value>, Map<String, Value>) {
    let mut spelling: HashMap<String, String> = HashMap::new();
    let mut headers = Map::new();
    let mut multi_headers: Map<String, Value> = Map::new();
    for (name, value) in list {
        let key = spelling
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| name.clone())
            .clone();
        headers.insert(key.clone(), Value::String(value.clone()));
        if let Value::Array(values) = multi_headers
            .entry(key)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            values.push(Value::String(value.clone()));
        }
    }
    (headers, multi_headers)
}

fn decode_query_part(text: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", text.replace('&', "%26")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// (queryStringParameters, multiValueQueryStringParameters), decoded
/// form-style (`+` is a space), the last value and every value.
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
        if let Value::Array(values) = multi_query
            .entry(k)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            values.push(Value::String(v));
        }
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

/// `requestContext`, with exactly the keys AWS sends an unauthenticated
/// call (test_apigateway_lambda.snapshot.json, test_lambda_aws_proxy_integration).
fn request_context(f: &RequestFacts<'_>, host: Option<String>) -> Value {
    let mut context = json!({
        "resourceId": f.resource_id,
        "resourcePath": f.resource_path,
        "httpMethod": f.method,
        "extendedRequestId": f.request_id,
        "requestTime": f.time.format("%d/%b/%Y:%H:%M:%S +0000").to_string(),
        "path": f.context_path,
        "accountId": f.account,
        "protocol": "HTTP/1.1",
        "stage": f.stage,
        "domainPrefix": f.api_id,
        "requestTimeEpoch": f.time.timestamp_millis(),
        "requestId": f.request_id,
        "identity": identity(f),
        "domainName": host.unwrap_or_default(),
        "deploymentId": f.deployment_id,
        "apiId": f.api_id,
    });
    if let (Some(authorizer), Value::Object(map)) = (f.authorizer, &mut context) {
        map.insert("authorizer".into(), authorizer.clone());
    }
    context
}

/// `requestContext.identity`: `apiKey` and `apiKeyId` only when a key was used.
fn identity(f: &RequestFacts<'_>) -> Value {
    let mut identity = json!({
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
    });
    if let (Some((value, id)), Value::Object(map)) = (f.api_key, &mut identity) {
        map.insert("apiKey".into(), json!(value));
        map.insert("apiKeyId".into(), json!(id));
    }
    identity
}

/// The request's `X-Amzn-Trace-Id`: the client's Root and Parent when it
/// sent them (a Parent generated otherwise), as AWS answers
/// (test_apigateway_common.snapshot.json, test_invocation_trace_id).
pub fn trace_id(client: Option<&str>) -> String {
    let field = |key: &str| {
        client?
            .split(';')
            .filter_map(|part| part.trim().split_once('='))
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.to_string())
    };
    let hex = |bytes: usize| {
        (0..bytes)
            .map(|_| format!("{:02x}", rand::random::<u8>()))
            .collect::<String>()
    };
    let root = field("Root")
        .unwrap_or_else(|| format!("1-{:08x}-{}", chrono::Utc::now().timestamp(), hex(12)));
    let parent = field("Parent");
    let sampled =
        field("Sampled").unwrap_or_else(|| if parent.is_some() { "1" } else { "0" }.into());
    format!(
        "Root={root};Parent={};Sampled={sampled}",
        parent.unwrap_or_else(|| hex(8))
    )
}

/// Why a proxy reply is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadReply {
    /// Not a proxy response: 502.
    Malformed(&'static str),
    /// A body to decode that is not base64: 500.
    NotBase64,
}

/// Is the request's first `Accept` media type one of `binary_media_types`?
/// Exact types and `type/*` match; a configured `*/x` matches nothing but
/// `*/*` matches any type (AWS docs, "Binary media types for REST APIs");
/// the rest as recorded in test_apigateway_lambda.py::test_aws_proxy_binary_response.
pub fn binary_accepted(accept: Option<&str>, binary_media_types: &[String]) -> bool {
    let Some(first) = accept.and_then(|a| a.split(',').next()) else {
        return false;
    };
    let Some((kind, subtype)) = split_media_type(first) else {
        return false;
    };
    binary_media_types.iter().any(|configured| {
        let Some((c_kind, c_subtype)) = split_media_type(configured) else {
            return false;
        };
        match (c_kind.as_str(), c_subtype.as_str()) {
            ("*", "*") => true,
            ("*", _) => false,
            (_, "*") => c_kind == kind,
            _ => c_kind == kind && c_subtype == subtype,
        }
    })
}

/// `type/subtype` of a media type, lower-case, parameters dropped.
fn split_media_type(text: &str) -> Option<(String, String)> {
    let (kind, subtype) = text.split(';').next()?.trim().split_once('/')?;
    let (kind, subtype) = (kind.trim(), subtype.trim());
    (!kind.is_empty() && !subtype.is_empty() && !subtype.contains('/'))
        .then(|| (kind.to_ascii_lowercase(), subtype.to_ascii_lowercase()))
}

/// Maps a proxy integration's reply (`decode`: the body may be decoded
/// from base64, see [`binary_accepted`]).
pub fn proxy_reply(payload: &[u8], decode: bool) -> Result<HttpReply, BadReply> {
    let doc: Value =
        serde_json::from_slice(payload).map_err(|_| BadReply::Malformed("not JSON"))?;
    let map = doc
        .as_object()
        .ok_or(BadReply::Malformed("not an object"))?;
    let known = |k: &String| {
        matches!(
            k.as_str(),
            "statusCode" | "headers" | "multiValueHeaders" | "body" | "isBase64Encoded" | "cookies"
        )
    };
    if !map.keys().all(known) {
        return Err(BadReply::Malformed("an unknown field")); // API Gateway refuses them
    }
    let status = reply_status(map.get("statusCode"))?;
    let mut headers = reply_headers(map)?;
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        headers.push(("Content-Type".into(), "application/json".into()));
    }
    let base64 = map.get("isBase64Encoded") == Some(&Value::Bool(true));
    let body = match map.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) if base64 && decode => base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(|_| BadReply::NotBase64)?,
        Some(Value::String(s)) => s.clone().into_bytes(),
        Some(_) => return Err(BadReply::Malformed("body is not a string")),
    };
    Ok(HttpReply {
        status,
        headers,
        body,
    })
}

/// `statusCode`: absent or null is 200; a number or a numeric string
/// (test_aws_proxy_response_payload_format_validation).
fn reply_status(value: Option<&Value>) -> Result<u16, BadReply> {
    let status = match value {
        None | Some(Value::Null) => Some(200),
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(_) => None,
    };
    status
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
        .ok_or(BadReply::Malformed("statusCode is not an HTTP status"))
}

/// `multiValueHeaders` then `headers`: one line per value; names merge
/// without case under the first spelling (multi first).
fn reply_headers(map: &Map<String, Value>) -> Result<Vec<(String, String)>, BadReply> {
    let mut lines: Vec<(String, String)> = Vec::new();
    let mut spelling: HashMap<String, String> = HashMap::new();
    let mut add = |name: &str, value: String| {
        let name = spelling
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| name.to_string())
            .clone();
        lines.push((name, value));
    };
    match map.get("multiValueHeaders") {
        None | Some(Value::Null) => {}
        Some(Value::Object(h)) => {
            for (name, values) in h {
                let values = values.as_array().ok_or(BadReply::Malformed(
                    "a multiValueHeaders value is not a list",
                ))?;
                for v in values {
                    add(name, scalar(v)?);
                }
            }
        }
        Some(_) => return Err(BadReply::Malformed("multiValueHeaders is not an object")),
    }
    match map.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(h)) => {
            for (name, v) in h {
                add(name, scalar(v)?);
            }
        }
        Some(_) => return Err(BadReply::Malformed("headers is not an object")),
    }
    // Lines of one name together, in the order names first appeared.
    let order: Vec<String> = lines.iter().map(|(n, _)| n.clone()).collect();
    let mut firsts: Vec<&String> = Vec::new();
    for name in &order {
        if !firsts.contains(&name) {
            firsts.push(name);
        }
    }
    Ok(firsts
        .iter()
        .flat_map(|name| lines.iter().filter(move |(n, _)| n == *name).cloned())
        .collect())
}

fn scalar(v: &Value) -> Result<String, BadReply> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(BadReply::Malformed("a header value is not a scalar")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(
        headers: &'a [(String, String)],
        params: &'a HashMap<String, String>,
        api_key: Option<(&'a str, &'a str)>,
    ) -> RequestFacts<'a> {
        RequestFacts {
            resource_path: "/items/{id}",
            path: "/items/7",
            context_path: "/v1/items/7",
            method: "POST",
            headers,
            query: Some("a=1&a=2&b=x%20y"),
            path_parameters: params,
            stage_variables: params,
            body: b"{\"operation\":\"ping\"}",
            api_id: "abc",
            resource_id: "r1",
            stage: "v1",
            deployment_id: "dep1",
            request_id: "req",
            account: "123456789012",
            source_ip: "127.0.0.1",
            port: 4567,
            trace_id: "Root=1-5e1b4151-5ac6c58f3375c5f3a4b2e0f1;Parent=0123456789abcdef;Sampled=0",
            time: chrono::Utc::now(),
            api_key,
            caller_access_key: None,
            authorizer: None,
        }
    }

    fn lines(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn proxy_replies_are_mapped_or_refused() {
        let r = proxy_reply(br#"{"statusCode": 201, "headers": {"X-A": "1"}, "multiValueHeaders": {"Set-Cookie": ["a", "b"]}, "body": "hi"}"#, false).unwrap();
        assert_eq!(r.status, 201);
        assert_eq!(r.body, b"hi");
        assert_eq!(
            r.headers.iter().filter(|(n, _)| n == "Set-Cookie").count(),
            2
        );
        let b64 = proxy_reply(
            br#"{"statusCode": 200, "body": "AAE=", "isBase64Encoded": true}"#,
            true,
        )
        .unwrap();
        assert_eq!(b64.body, vec![0, 1]);
        assert!(
            proxy_reply(b"\"pong\"", false).is_err(),
            "a bare value is not a proxy response"
        );
        assert!(proxy_reply(br#"{"statusCode": 200, "extra": 1}"#, false).is_err());
        // Was refused (502); AWS answers a reply without statusCode with a
        // 200 (test_aws_proxy_response_payload_format_validation /
        // invoke-api-no-status-code).
        let no_status = proxy_reply(br#"{"body": "x"}"#, false).unwrap();
        assert_eq!(
            (no_status.status, no_status.body.as_slice()),
            (200, b"x".as_slice())
        );
    }

    /// LocalStack's AWS snapshots, test_apigateway_lambda.snapshot.json,
    /// test_aws_proxy_response_payload_format_validation and
    /// test_lambda_aws_proxy_response_format.
    #[test]
    fn reply_status_headers_and_default_content_type_as_recorded() {
        let reply = |text: &str| proxy_reply(text.as_bytes(), false);
        for (text, status) in [
            (r#"{}"#, 200),
            (r#"{"statusCode": 200, "headers": null}"#, 200),
            (r#"{"headers": {"test-header": "value"}}"#, 200),
            (r#"{"statusCode": "201"}"#, 201),
        ] {
            let r = reply(text).unwrap();
            assert_eq!((r.status, r.body.len()), (status, 0), "{text}");
            let types: Vec<_> = r
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("content-type"))
                .collect();
            assert_eq!(
                types,
                [&("Content-Type".to_string(), "application/json".to_string())],
                "{text}"
            );
        }
        for text in [
            r#"{"statusCode": "test"}"#,
            r#"{"statusCode": 200, "wrongValue": "value"}"#,
            r#"{"statusCode": 200, "multiValueHeaders": {"x": "value1"}}"#,
            r#""justAString""#,
        ] {
            assert!(matches!(reply(text), Err(BadReply::Malformed(_))), "{text}");
        }
        let merged = reply(r#"{"statusCode": 200, "multiValueHeaders": {"tesT-Multi": ["value-multi"]}, "headers": {"test-multi": "value-solo", "header-bool": true, "Content-Type": "text/plain"}}"#).unwrap();
        assert_eq!(
            merged.headers,
            lines(&[
                ("tesT-Multi", "value-multi"),
                ("tesT-Multi", "value-solo"),
                ("header-bool", "true"),
                ("Content-Type", "text/plain"),
            ])
        );
    }

    /// test_apigateway_lambda.py::test_aws_proxy_binary_response (validated).
    #[test]
    fn base64_is_decoded_only_for_an_accepted_binary_media_type() {
        let types = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let (png, app) = (
            types(&["image/png", "*/test"]),
            types(&["image/png", "application/*", "image/jpg"]),
        );
        for (accept, configured, decoded) in [
            (Some("image/png"), &png, true),
            (Some("image/jpg"), &png, false),
            (Some("image/*"), &png, false),
            (Some("*/test"), &png, false),
            (Some("*/*"), &png, false),
            (Some("image/webp,image/png,*/*;q=0.8"), &png, false),
            (Some("image/png,image/*,*/*;q=0.8"), &png, true),
            (Some("application/whatever"), &app, true),
            (Some("application/*"), &app, true),
            (Some("application"), &app, false),
            (Some("*/*"), &app, false),
            (None, &app, false),
            (Some("image/png"), &types(&[]), false),
            (Some("text/anything"), &types(&["*/*"]), true),
        ] {
            assert_eq!(
                binary_accepted(accept, configured),
                decoded,
                "{accept:?} {configured:?}"
            );
        }
        let text = r#"{"statusCode": 200, "body": "dGVzdC1kYXRh", "isBase64Encoded": true}"#;
        assert_eq!(
            proxy_reply(text.as_bytes(), false).unwrap().body,
            b"dGVzdC1kYXRh"
        );
        assert_eq!(
            proxy_reply(text.as_bytes(), true).unwrap().body,
            b"test-data"
        );
        let bad = r#"{"statusCode": 200, "body": "èé+à)(", "isBase64Encoded": true}"#;
        assert_eq!(proxy_reply(bad.as_bytes(), true), Err(BadReply::NotBase64));
    }

    #[test]
    fn the_proxy_event_has_what_api_gateway_sends() {
        let headers = lines(&[("host", "127.0.0.1:4567"), ("x-h", "1"), ("x-h", "2")]);
        let params = HashMap::from([("id".to_string(), "7".to_string())]);
        let mut f = facts(&headers, &params, Some(("secret", "k1")));
        let empty = HashMap::new();
        f.stage_variables = &empty;
        let e = proxy_event(&f);
        assert_eq!(e["httpMethod"], "POST");
        assert_eq!(e["pathParameters"]["id"], "7");
        assert_eq!(e["multiValueHeaders"]["x-h"], json!(["1", "2"]));
        assert_eq!(e["queryStringParameters"]["b"], "x y");
        assert_eq!(e["multiValueQueryStringParameters"]["a"], json!(["1", "2"]));
        assert_eq!(e["stageVariables"], Value::Null);
        assert_eq!(e["requestContext"]["identity"]["apiKey"], "secret");
        assert_eq!(e["requestContext"]["identity"]["apiKeyId"], "k1");
        assert_eq!(e["requestContext"]["path"], "/v1/items/7");
        assert_eq!(e["requestContext"]["deploymentId"], "dep1");
        assert_eq!(e["body"], "{\"operation\":\"ping\"}");
        assert_eq!(e["isBase64Encoded"], false);
    }

    fn keys(v: &Value) -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    }

    fn recorded_event() -> Value {
        let headers = lines(&[
            ("Host", "h:1"),
            ("tEsT-HEADeR", "aValUE"),
            ("aUThorization", "random-value"),
            ("user-Agent", "python-requests/testing"),
            ("Accept-Encoding", "gzip, deflate"),
            ("Connection", "keep-alive"),
            ("Content-Length", "2"),
            ("Transfer-Encoding", "chunked"),
            ("x-amzn-trace-id", "Root=1-2-3"),
        ]);
        proxy_event(&facts(&headers, &HashMap::new(), None))
    }

    /// test_apigateway_lambda.snapshot.json, test_lambda_aws_proxy_integration
    /// (invocation-payload-without-trailing-slash, ...params-encoding-multi).
    #[test]
    fn header_names_keep_their_case_with_awss_added_and_dropped() {
        let e = recorded_event();
        assert_eq!(
            keys(&e["headers"]),
            [
                "Accept-Encoding",
                "Authorization",
                "Host",
                "User-Agent",
                "X-Amzn-Trace-Id",
                "X-Forwarded-For",
                "X-Forwarded-Port",
                "X-Forwarded-Proto",
                "tEsT-HEADeR"
            ]
        );
        assert_eq!(keys(&e["headers"]), keys(&e["multiValueHeaders"]));
        assert_eq!(
            e["multiValueHeaders"]["Accept-Encoding"],
            json!(["gzip, deflate"])
        );
        assert_eq!(e["headers"]["X-Amzn-Trace-Id"], f_trace());
        assert_eq!(e["requestContext"]["domainName"], "h:1");
        assert_eq!(
            e["requestContext"]["identity"]["userAgent"],
            "python-requests/testing"
        );
    }

    /// The same recordings: the event's, requestContext's and identity's keys.
    #[test]
    fn the_event_has_exactly_awss_keys() {
        let e = recorded_event();
        assert_eq!(
            keys(&e),
            [
                "body",
                "headers",
                "httpMethod",
                "isBase64Encoded",
                "multiValueHeaders",
                "multiValueQueryStringParameters",
                "path",
                "pathParameters",
                "queryStringParameters",
                "requestContext",
                "resource",
                "stageVariables"
            ]
        );
        assert_eq!(
            keys(&e["requestContext"]),
            [
                "accountId",
                "apiId",
                "deploymentId",
                "domainName",
                "domainPrefix",
                "extendedRequestId",
                "httpMethod",
                "identity",
                "path",
                "protocol",
                "requestId",
                "requestTime",
                "requestTimeEpoch",
                "resourceId",
                "resourcePath",
                "stage"
            ]
        );
        assert_eq!(
            keys(&e["requestContext"]["identity"]),
            [
                "accessKey",
                "accountId",
                "caller",
                "cognitoAuthenticationProvider",
                "cognitoAuthenticationType",
                "cognitoIdentityId",
                "cognitoIdentityPoolId",
                "principalOrgId",
                "sourceIp",
                "user",
                "userAgent",
                "userArn"
            ]
        );
    }

    fn f_trace() -> &'static str {
        "Root=1-5e1b4151-5ac6c58f3375c5f3a4b2e0f1;Parent=0123456789abcdef;Sampled=0"
    }

    /// test_apigateway_common.snapshot.json, test_invocation_trace_id.
    #[test]
    fn the_trace_id_keeps_the_clients_root_and_parent() {
        let full = "Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent=7fa8c0f79203be72;Sampled=1";
        assert_eq!(trace_id(Some(full)), full);
        let small = trace_id(Some("Root=1-3152b799-8954dae64eda91bc9a23a7e8"));
        assert!(small.starts_with("Root=1-3152b799-8954dae64eda91bc9a23a7e8;Parent="));
        assert_ne!(small.split(';').nth(1), Some("Parent=7fa8c0f79203be72"));
        let fresh = trace_id(None);
        assert!(
            fresh.starts_with("Root=1-") && fresh.contains(";Parent="),
            "{fresh}"
        );
    }
}
