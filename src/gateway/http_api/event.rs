//! The Lambda proxy integration of an HTTP API, payload format 2.0, as AWS
//! documents it ("Create AWS Lambda proxy integrations for HTTP APIs"): the
//! event — header names lower-case, duplicate headers and query parameters
//! joined with commas, the `Cookie` header moved into `cookies`, no
//! multi-value maps, `rawPath`/`rawQueryString` as received, optional
//! fields absent rather than null — and the reply: a JSON object with a
//! `statusCode` is a response (`headers`, `cookies` as `Set-Cookie`,
//! `body`, `isBase64Encoded`); any other JSON is the body of a 200
//! `application/json` answer.

use std::collections::HashMap;

use base64::Engine;
use serde_json::{json, Map, Value};

use crate::gateway::integration::HttpReply;

/// What the 2.0 event is built from.
pub struct EventFacts<'a> {
    pub route_key: &'a str,
    pub method: &'a str,
    /// The path after the API's prefix, as received.
    pub raw_path: &'a str,
    pub raw_query: Option<&'a str>,
    /// Header lines as sent.
    pub headers: &'a [(String, String)],
    pub path_parameters: &'a HashMap<String, String>,
    pub stage_variables: &'a HashMap<String, String>,
    pub body: &'a [u8],
    pub api_id: &'a str,
    pub account: &'a str,
    pub request_id: &'a str,
    pub source_ip: &'a str,
    pub port: u16,
    pub trace_id: &'a str,
    pub time: chrono::DateTime<chrono::Utc>,
    /// The access key that signed (routes with `AWS_IAM`).
    pub caller: Option<&'a str>,
    /// `requestContext.authorizer` of a JWT route (`{"jwt": {...}}`).
    pub authorizer: Option<&'a Value>,
}

/// Request headers API Gateway does not pass on (hop-by-hop), and those it
/// sets itself.
const DROPPED: &[&str] = &[
    "connection",
    "expect",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "x-amzn-trace-id",
    "x-forwarded-for",
    "x-forwarded-port",
    "x-forwarded-proto",
];

/// The event's `headers` (lower-case names, duplicates comma-joined, in the
/// order names first appear) and `cookies`.
fn headers_and_cookies(f: &EventFacts<'_>) -> (Map<String, Value>, Vec<String>) {
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut cookies = Vec::new();
    fn add(headers: &mut Vec<(String, String)>, name: String, value: &str) {
        match headers.iter_mut().find(|(n, _)| *n == name) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(value);
            }
            None => headers.push((name, value.to_string())),
        }
    }
    for (name, value) in f.headers {
        let name = name.to_ascii_lowercase();
        if name == "cookie" {
            cookies.extend(
                value
                    .split(';')
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string),
            );
        } else if !DROPPED.contains(&name.as_str()) {
            add(&mut headers, name, value);
        }
    }
    if !headers.iter().any(|(n, _)| n == "host") {
        add(
            &mut headers,
            "host".into(),
            &format!("127.0.0.1:{}", f.port),
        );
    }
    let forwarded = f
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("x-forwarded-for"))
        .map(|(_, v)| v.as_str())
        .chain([f.source_ip])
        .collect::<Vec<_>>()
        .join(", ");
    add(&mut headers, "x-amzn-trace-id".into(), f.trace_id);
    add(&mut headers, "x-forwarded-for".into(), &forwarded);
    add(&mut headers, "x-forwarded-port".into(), &f.port.to_string());
    add(&mut headers, "x-forwarded-proto".into(), "http");
    let map = headers
        .into_iter()
        .map(|(n, v)| (n, Value::String(v)))
        .collect();
    (map, cookies)
}

/// `queryStringParameters`: decoded, duplicates comma-joined.
fn query_parameters(raw: Option<&str>) -> Map<String, Value> {
    let mut out: Map<String, Value> = Map::new();
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match out.get_mut(k.as_ref()) {
            Some(Value::String(existing)) => {
                existing.push(',');
                existing.push_str(&v);
            }
            _ => {
                out.insert(k.into_owned(), Value::String(v.into_owned()));
            }
        }
    }
    out
}

fn string_map(map: &HashMap<String, String>) -> Map<String, Value> {
    map.iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect()
}

/// The event API Gateway sends a Lambda proxy integration, format 2.0.
pub fn event(f: &EventFacts<'_>) -> Value {
    let (headers, cookies) = headers_and_cookies(f);
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let domain = header("host").unwrap_or_default();
    let mut context = json!({
        "accountId": f.account,
        "apiId": f.api_id,
        "domainName": domain,
        "domainPrefix": f.api_id,
        "http": {
            "method": f.method,
            "path": f.raw_path,
            "protocol": "HTTP/1.1",
            "sourceIp": f.source_ip,
            "userAgent": header("user-agent").unwrap_or_default(),
        },
        "requestId": f.request_id,
        "routeKey": f.route_key,
        "stage": super::model::DEFAULT_STAGE,
        "time": f.time.format("%d/%b/%Y:%H:%M:%S +0000").to_string(),
        "timeEpoch": f.time.timestamp_millis(),
    });
    if let (Some(key), Value::Object(map)) = (f.caller, &mut context) {
        map.insert(
            "authorizer".into(),
            json!({"iam": {
                "accessKey": key,
                "accountId": f.account,
                "callerId": key,
                "cognitoIdentity": null,
                "principalOrgId": null,
                "userArn": format!("arn:aws:iam::{}:root", f.account),
                "userId": key,
            }}),
        );
    }
    if let (Some(authorizer), Value::Object(map)) = (f.authorizer, &mut context) {
        map.insert("authorizer".into(), authorizer.clone());
    }
    let mut event = Map::new();
    event.insert("version".into(), json!("2.0"));
    event.insert("routeKey".into(), json!(f.route_key));
    event.insert("rawPath".into(), json!(f.raw_path));
    event.insert(
        "rawQueryString".into(),
        json!(f.raw_query.unwrap_or_default()),
    );
    if !cookies.is_empty() {
        event.insert("cookies".into(), json!(cookies));
    }
    event.insert("headers".into(), Value::Object(headers.clone()));
    let query = query_parameters(f.raw_query);
    if !query.is_empty() {
        event.insert("queryStringParameters".into(), Value::Object(query));
    }
    event.insert("requestContext".into(), context);
    if !f.path_parameters.is_empty() {
        event.insert(
            "pathParameters".into(),
            Value::Object(string_map(f.path_parameters)),
        );
    }
    if !f.stage_variables.is_empty() {
        event.insert(
            "stageVariables".into(),
            Value::Object(string_map(f.stage_variables)),
        );
    }
    let base64 = !f.body.is_empty() && std::str::from_utf8(f.body).is_err();
    if !f.body.is_empty() {
        let body = match std::str::from_utf8(f.body) {
            Ok(text) => text.to_string(),
            Err(_) => base64::engine::general_purpose::STANDARD.encode(f.body),
        };
        event.insert("body".into(), json!(body));
    }
    event.insert("isBase64Encoded".into(), json!(base64));
    Value::Object(event)
}

/// Why a 2.0 reply cannot be mapped (the client gets a 500).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadReply(pub &'static str);

fn scalar(value: &Value) -> Result<String, BadReply> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(BadReply("a header value is not a string")),
    }
}

/// Maps the function's reply.
pub fn reply(payload: &[u8]) -> Result<HttpReply, BadReply> {
    let doc: Value = serde_json::from_slice(payload).map_err(|_| BadReply("not JSON"))?;
    let Some(map) = doc.as_object().filter(|m| m.contains_key("statusCode")) else {
        // Valid JSON without a statusCode: the body of a 200 (AWS docs).
        return Ok(HttpReply {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: payload.to_vec(),
        });
    };
    let status = map["statusCode"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
        .ok_or(BadReply("statusCode is not an HTTP status"))?;
    let mut headers = Vec::new();
    match map.get("headers") {
        None | Some(Value::Null) => {}
        Some(Value::Object(h)) => {
            for (name, value) in h {
                headers.push((name.clone(), scalar(value)?));
            }
        }
        Some(_) => return Err(BadReply("headers is not an object")),
    }
    match map.get("cookies") {
        None | Some(Value::Null) => {}
        Some(Value::Array(list)) => {
            for cookie in list {
                let cookie = cookie
                    .as_str()
                    .ok_or(BadReply("a cookie is not a string"))?;
                headers.push(("set-cookie".into(), cookie.to_string()));
            }
        }
        Some(_) => return Err(BadReply("cookies is not a list")),
    }
    let base64 = map.get("isBase64Encoded") == Some(&Value::Bool(true));
    let body = match map.get("body") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) if base64 => base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(|_| BadReply("the isBase64Encoded body is not base64"))?,
        Some(Value::String(s)) => s.clone().into_bytes(),
        Some(_) => return Err(BadReply("body is not a string")),
    };
    Ok(HttpReply {
        status,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(
        headers: &'a [(String, String)],
        empty: &'a HashMap<String, String>,
        params: &'a HashMap<String, String>,
    ) -> EventFacts<'a> {
        EventFacts {
            route_key: "GET /items/{table}/{id}",
            method: "GET",
            raw_path: "/items/users/a%20b",
            raw_query: Some("q=1&q=2&x=a+b"),
            headers,
            path_parameters: params,
            stage_variables: empty,
            body: b"",
            api_id: "abc",
            account: "123456789012",
            request_id: "r-1",
            source_ip: "127.0.0.1",
            port: 4567,
            trace_id: "Root=1-x",
            time: chrono::DateTime::from_timestamp(1_583_348_638, 390_000_000).unwrap(),
            caller: Some("test"),
            authorizer: None,
        }
    }

    #[test]
    fn the_event_has_the_2_0_shape() {
        let headers: Vec<(String, String)> = [
            ("Host", "127.0.0.1:4567"),
            ("User-Agent", "ua"),
            ("X-Multi", "a"),
            ("x-multi", "b"),
            ("Cookie", "c1=1; c2=2"),
            ("Connection", "close"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let (empty, params) = (
            HashMap::new(),
            HashMap::from([("table".to_string(), "users".to_string())]),
        );
        let event = event(&facts(&headers, &empty, &params));
        let keys: Vec<&str> = event
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "version",
                "routeKey",
                "rawPath",
                "rawQueryString",
                "cookies",
                "headers",
                "queryStringParameters",
                "requestContext",
                "pathParameters",
                "isBase64Encoded"
            ],
            "no body, no stageVariables"
        );
        assert_eq!(event["cookies"], json!(["c1=1", "c2=2"]));
        assert_eq!(event["headers"]["x-multi"], "a,b");
        assert!(event["headers"].get("cookie").is_none());
        assert!(event["headers"].get("connection").is_none());
        assert_eq!(event["headers"]["x-forwarded-for"], "127.0.0.1");
        assert_eq!(
            event["queryStringParameters"],
            json!({"q": "1,2", "x": "a b"})
        );
        assert_eq!(event["rawQueryString"], "q=1&q=2&x=a+b");
        let context = &event["requestContext"];
        assert_eq!(context["http"]["userAgent"], "ua");
        assert_eq!(context["stage"], "$default");
        assert_eq!(context["time"], "04/Mar/2020:19:03:58 +0000");
        assert_eq!(context["timeEpoch"], 1_583_348_638_390_i64);
        assert_eq!(context["authorizer"]["iam"]["accessKey"], "test");
        assert_eq!(context["domainName"], "127.0.0.1:4567");
    }

    #[test]
    fn replies_map_by_the_2_0_rules() {
        let plain = reply(br#"{"id": "1"}"#).unwrap();
        assert_eq!(
            (plain.status, plain.body.as_slice()),
            (200, br#"{"id": "1"}"#.as_slice())
        );
        assert_eq!(
            plain.headers,
            [("content-type".to_string(), "application/json".to_string())]
        );
        let full = reply(
            br#"{"statusCode": 201, "headers": {"x-a": "1"}, "cookies": ["a=1", "b=2"], "body": "aGk=", "isBase64Encoded": true}"#,
        )
        .unwrap();
        assert_eq!((full.status, full.body.as_slice()), (201, b"hi".as_slice()));
        assert_eq!(
            full.headers
                .iter()
                .filter(|(n, _)| n == "set-cookie")
                .count(),
            2
        );
        assert_eq!(
            reply(br#"{"statusCode": "x"}"#).unwrap_err().0,
            "statusCode is not an HTTP status"
        );
        assert!(reply(b"not json").is_err());
    }
}
