//! The API shapes of issue 16 through the local gateway, set up by the real
//! CLI (`setup --local`): a REST API with `--cors` (the OPTIONS methods'
//! MOCK integrations and the DEFAULT_4XX/5XX gateway responses) and an
//! HTTP API (`--api http`: routes by route key, AWS_IAM, native CORS, the
//! payload 2.0 event), checked against what AWS documents; the control
//! plane is read back with boto3.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::common::{self, aws, raw_request, RawReply};
use crate::gateway::{cli, setup, stack, url_of};

const A: &str = "https://a.example";

fn lines(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

/// The header names of a reply, lower-case, without `date`.
fn names(reply: &RawReply) -> BTreeSet<String> {
    reply
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .filter(|n| n != "date")
        .collect()
}

fn preflight(url: &str, origin: &str, method: &str, headers: &str) -> RawReply {
    raw_request(
        url,
        "OPTIONS",
        &lines(&[
            ("Origin", origin),
            ("Access-Control-Request-Method", method),
            ("Access-Control-Request-Headers", headers),
        ]),
        b"",
    )
}

/// A request signed by botocore: (status, body as sent, headers).
fn signed_raw(spec: Value) -> (u16, String, Value) {
    let script = common::repo().join("tests/fixtures/signed_request.py");
    let out = common::boto3(
        &stack().state_dir,
        &[script.to_str().unwrap(), &spec.to_string()],
    );
    let reply: Value = serde_json::from_slice(&out).unwrap();
    (
        reply["status"].as_u64().unwrap() as u16,
        reply["body"].as_str().unwrap().to_string(),
        reply["headers"].clone(),
    )
}

/// A header of a botocore reply (names as received: any case).
fn header_of(headers: &Value, name: &str) -> Option<String> {
    headers.as_object().unwrap().iter().find_map(|(n, v)| {
        n.eq_ignore_ascii_case(name)
            .then(|| v.as_str().unwrap().to_string())
    })
}

/// AWS docs ("Enable CORS for a REST API resource"; "Mock integrations");
/// LocalStack's AWS snapshot test_apigateway_common.snapshot.json,
/// test_invocation_trace_id / normal-req-headers-MOCK: a MOCK answer is
/// application/json and carries no X-Amzn-Trace-Id.
#[test]
fn rest_cors_preflights_are_the_mock_integrations_answers() {
    let summary = setup(
        "shp-cors",
        "shp_cors_t",
        &["--auth", "api-key", "--routes", "rest", "--cors", A],
    );
    let url = url_of(&summary);
    let items = url.replace("/crud", "/items/shp_cors_t/1");
    let allowed = preflight(&url, A, "POST", "content-type,x-api-key");
    assert_eq!((allowed.status, allowed.text()), (200, String::new()));
    let expected: BTreeSet<String> = [
        "access-control-allow-headers",
        "access-control-allow-methods",
        "access-control-allow-origin",
        "access-control-max-age",
        "connection",
        "content-length",
        "content-type",
        "vary",
        "x-amz-apigw-id",
        "x-amzn-requestid",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(names(&allowed), expected);
    assert_eq!(allowed.header("access-control-allow-origin"), Some(A));
    assert_eq!(
        allowed.header("access-control-allow-methods"),
        Some("POST,OPTIONS")
    );
    assert_eq!(
        allowed.header("access-control-allow-headers"),
        Some("authorization,content-type,x-api-key,x-amz-date,x-amz-security-token")
    );
    assert_eq!(allowed.header("access-control-max-age"), Some("600"));
    assert_eq!(allowed.header("vary"), Some("Origin"));
    assert_eq!(allowed.header("content-type"), Some("application/json"));
    let on_items = preflight(&items, A, "PATCH", "content-type");
    assert_eq!(on_items.status, 200);
    assert_eq!(
        on_items.header("access-control-allow-methods"),
        Some("GET,PUT,PATCH,DELETE,OPTIONS")
    );
    // Another origin: the same 200, without Access-Control-Allow-Origin.
    let other = preflight(&url, "https://b.example", "POST", "content-type");
    assert_eq!(other.status, 200);
    assert_eq!(other.header("access-control-allow-origin"), None);
    assert_eq!(
        other.header("access-control-allow-methods"),
        Some("POST,OPTIONS")
    );
    // What the gateway answered is what the control plane holds.
    let api = url
        .split("/restapis/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap();
    let responses = aws(
        &stack().state_dir,
        "apigateway",
        "get_gateway_responses",
        json!({"restApiId": api}),
    );
    let default_4xx = responses["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["responseType"] == "DEFAULT_4XX")
        .cloned()
        .unwrap();
    assert_eq!(
        default_4xx["responseParameters"]["gatewayresponse.header.Access-Control-Allow-Origin"],
        format!("'{A}'")
    );
}

/// Gateway responses (AWS docs, "Gateway responses for REST APIs"): every
/// refusal of type INVALID_API_KEY or MISSING_AUTHENTICATION_TOKEN falls
/// back to the configured DEFAULT_4XX and carries its headers; the
/// function's own answers do not.
#[test]
fn rest_refusals_carry_the_configured_gateway_response_headers() {
    let url = url_of(&setup(
        "shp-gr",
        "shp_gr_t",
        &["--auth", "api-key", "--routes", "rest", "--cors", A],
    ));
    let missing_key = raw_request(
        &url,
        "POST",
        &lines(&[("Origin", A)]),
        br#"{"operation":"ping"}"#,
    );
    assert_eq!(
        (missing_key.status, missing_key.text()),
        (403, r#"{"message": "Forbidden"}"#.to_string())
    );
    assert_eq!(missing_key.header("access-control-allow-origin"), Some(A));
    assert_eq!(missing_key.header("vary"), Some("Origin"));
    assert_eq!(
        missing_key.header("x-amzn-errortype"),
        Some("ForbiddenException")
    );
    // A resource without an OPTIONS method (/items) and an unknown path:
    // API Gateway's 403, now with the DEFAULT_4XX headers.
    for path in ["/items", "/nope"] {
        let no_options = preflight(&url.replace("/crud", path), A, "GET", "");
        assert_eq!(
            (no_options.status, no_options.text()),
            (
                403,
                r#"{"message": "Missing Authentication Token"}"#.to_string()
            ),
            "{path}"
        );
        assert_eq!(no_options.header("access-control-allow-origin"), Some(A));
    }
    // The function's own 404 (no such item) carries no gateway-response header.
    let (_, status, _) = cli(&["--stack", "shp-gr", "status", "--show-api-key"]);
    let key = status["apiKey"].as_str().unwrap().to_string();
    let read = raw_request(
        &url.replace("/crud", "/items/shp_gr_t/absent"),
        "GET",
        &lines(&[("x-api-key", &key)]),
        b"",
    );
    assert_eq!(read.status, 404, "{}", read.text());
    assert_eq!(read.header("access-control-allow-origin"), None);
    assert_eq!(read.header("x-amzn-errortype"), None);
}

/// An HTTP API with `--auth iam --routes rest`: CRUD through the routes,
/// signed by botocore, numbers exact; HTTP API's own errors; native CORS.
#[test]
fn http_api_routes_iam_and_errors() {
    let summary = setup(
        "shp-http",
        "shp_http_t",
        &[
            "--api", "http", "--auth", "iam", "--routes", "rest", "--cors", A,
        ],
    );
    let url = url_of(&summary);
    assert!(url.contains("/httpapis/"), "{url}");
    let base = url.trim_end_matches("/crud").to_string();
    let call = |method: &str, path: &str, body: &str| {
        signed_raw(json!({"url": format!("{base}{path}"), "method": method, "body": body}))
    };
    let big = "12345678901234567890123456789012345678";
    let (status, body, headers) = call(
        "POST",
        "/items/shp_http_t",
        &format!(r#"{{"id":"h1","n":{big},"f":0.1}}"#),
    );
    assert_eq!(status, 201, "{body}");
    assert!(header_of(&headers, "apigw-requestid").is_some());
    assert_eq!(header_of(&headers, "x-amzn-requestid"), None);
    let (status, body, _) = call("GET", "/items/shp_http_t/h1", "");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(&format!(r#""n": {big}"#)) || body.contains(&format!(r#""n":{big}"#)),
        "{body}"
    );
    let (status, body, _) = call("PATCH", "/items/shp_http_t/h1", r#"{"name":"Ana"}"#);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Ana") && body.contains(big), "{body}");
    let stored = aws(
        &stack().state_dir,
        "dynamodb",
        "get_item",
        json!({"TableName": "shp_http_t", "Key": {"id": {"S": "h1"}}}),
    );
    assert_eq!(stored["Item"]["n"], json!({"N": big}));
    assert_eq!(stored["Item"]["name"], json!({"S": "Ana"}));
    let (status, body, _) = call("GET", "/items/shp_http_t", "");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(big) && body.contains("\"count\""), "{body}");
    let (status, body, _) = call("DELETE", "/items/shp_http_t/h1", "");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("deleted"), "{body}");
    // The CLI itself, through the HTTP API (signed, /crud, the v2 event).
    let (code, pong, err) = cli(&["--stack", "shp-http", "--via", "api", "ping"]);
    assert_eq!(
        (code, &pong["reply"], &pong["via"]),
        (0, &json!("pong"), &json!("api")),
        "{err}"
    );

    // HTTP API's own errors.
    let unsigned = raw_request(&url, "POST", &[], br#"{"operation":"ping"}"#);
    assert_eq!(
        (unsigned.status, unsigned.text()),
        (403, r#"{"message":"Forbidden"}"#.into())
    );
    assert!(unsigned.header("apigw-requestid").is_some());
    for (method, path) in [
        ("GET", "/nope"),
        ("GET", "/crud"),
        ("GET", "/items/shp_http_t/1/2/3"),
    ] {
        let (status, body, _) = call(method, path, "");
        assert_eq!(
            (status, body.as_str()),
            (404, r#"{"message":"Not Found"}"#),
            "{method} {path}"
        );
    }
    let (status, body, _) = signed_raw(json!({"url": url, "body": "{}", "secret": "wrong"}));
    assert_eq!(status, 403);
    assert!(
        body.contains("signature we calculated does not match"),
        "{body}"
    );

    // Native CORS: preflights answered by API Gateway itself.
    let item = format!("{base}/items/shp_http_t/h1");
    let allowed = preflight(&item, A, "PATCH", "authorization,content-type,x-amz-date");
    assert_eq!((allowed.status, allowed.text()), (204, String::new()));
    assert_eq!(allowed.header("access-control-allow-origin"), Some(A));
    assert_eq!(allowed.header("access-control-max-age"), Some("600"));
    assert!(allowed
        .header("access-control-allow-methods")
        .unwrap()
        .contains("PATCH"));
    assert!(allowed
        .header("access-control-allow-headers")
        .unwrap()
        .contains("x-amz-date"));
    for (origin, method, headers) in [
        ("https://b.example", "PATCH", "content-type"),
        (A, "TRACE", "content-type"),
        (A, "PATCH", "x-not-allowed"),
    ] {
        let refused = preflight(&item, origin, method, headers);
        assert_eq!(refused.status, 204, "{origin} {method} {headers}");
        assert!(
            refused
                .headers
                .iter()
                .all(|(n, _)| !n.to_ascii_lowercase().starts_with("access-control-")),
            "{origin} {method} {headers}: {:?}",
            refused.headers
        );
    }
    // Actual requests: the configured headers for an allowed origin only.
    let ping = |origin: &str| {
        signed_raw(
            json!({"url": url, "body": r#"{"operation":"ping"}"#, "headers": {"Origin": origin}}),
        )
    };
    let (status, _, headers) = ping(A);
    assert_eq!(status, 200);
    assert_eq!(
        header_of(&headers, "access-control-allow-origin").as_deref(),
        Some(A)
    );
    assert_eq!(
        header_of(&headers, "access-control-expose-headers").as_deref(),
        Some("x-lambda-request-id")
    );
    let (status, _, headers) = ping("https://b.example");
    assert_eq!(status, 200);
    assert_eq!(header_of(&headers, "access-control-allow-origin"), None);
}

/// The event of payload format 2.0 as the function received it (the
/// conformance suite's echo Lambda answers with its event), in the shape
/// AWS documents ("Create AWS Lambda proxy integrations for HTTP APIs"),
/// with `authorizer.iam` on an AWS_IAM route.
#[test]
fn http_api_events_have_the_2_0_shape() {
    let lambda = common::repo().join("tests/fixtures/conformance/lambda.py");
    let summary = setup(
        "shp-v2-echo",
        "shp_echo_t",
        &[
            "--api",
            "http",
            "--auth",
            "iam",
            "--routes",
            "rest",
            "--local-workers",
            "1",
            "--dispatcher",
            lambda.to_str().unwrap(),
        ],
    );
    let url = url_of(&summary).replace("/crud", "/items/tbl/a%20b?q=1&q=2&e=x%2By");
    // Signed by botocore; the repeated header and the cookie sent unsigned.
    let (status, body, _) = signed_raw(json!({
        "url": url, "method": "GET", "body": "",
        "headers": {"User-Agent": "shapes-test"},
        "add_headers": [["X-Dup", "1"], ["x-dup", "2"], ["Cookie", "c1=v1; c2=v2"]],
    }));
    assert_eq!(status, 200, "{body}");
    let event: Value = serde_json::from_str(&body).unwrap();
    let keys: BTreeSet<&str> = event
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from([
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
        ]),
        "no body, no stageVariables, no multi-value maps: {event}"
    );
    assert_eq!(event["version"], "2.0");
    assert_eq!(event["routeKey"], "GET /items/{table}/{id}");
    assert_eq!(event["rawPath"], "/items/tbl/a%20b");
    assert_eq!(event["rawQueryString"], "q=1&q=2&e=x%2By");
    assert_eq!(event["cookies"], json!(["c1=v1", "c2=v2"]));
    assert_eq!(
        event["queryStringParameters"],
        json!({"q": "1,2", "e": "x+y"})
    );
    assert_eq!(
        event["pathParameters"],
        json!({"table": "tbl", "id": "a%20b"})
    );
    assert_eq!(event["isBase64Encoded"], false);
    let headers = event["headers"].as_object().unwrap();
    assert!(
        headers.keys().all(|k| *k == k.to_ascii_lowercase()),
        "{headers:?}"
    );
    assert_eq!(headers["x-dup"], "1,2");
    assert_eq!(headers["user-agent"], "shapes-test");
    assert!(!headers.contains_key("cookie"));
    assert!(headers["x-amzn-trace-id"]
        .as_str()
        .unwrap()
        .starts_with("Root="));
    let context = &event["requestContext"];
    let context_keys: BTreeSet<&str> = context
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        context_keys,
        BTreeSet::from([
            "accountId",
            "apiId",
            "domainName",
            "domainPrefix",
            "http",
            "requestId",
            "routeKey",
            "stage",
            "time",
            "timeEpoch",
            "authorizer"
        ]),
        "{context}"
    );
    assert_eq!(
        context["authorizer"],
        json!({"iam": {"accessKey": "test", "accountId": context["accountId"], "callerId": "test",
               "cognitoIdentity": null, "principalOrgId": null,
               "userArn": format!("arn:aws:iam::{}:root", context["accountId"].as_str().unwrap()),
               "userId": "test"}})
    );
    assert_eq!(context["stage"], "$default");
    assert_eq!(context["routeKey"], "GET /items/{table}/{id}");
    assert_eq!(
        context["http"],
        json!({"method": "GET", "path": "/items/tbl/a%20b", "protocol": "HTTP/1.1",
               "sourceIp": "127.0.0.1", "userAgent": "shapes-test"})
    );
    assert!(context["timeEpoch"].is_i64());
}

/// An HTTP API's stage throttling (429 `{"message":"Too Many Requests"}`),
/// its JSON access-log lines (with `routeKey`) and its metrics, which
/// CloudWatch names by ApiId with `4xx`/`5xx` for HTTP APIs (AWS docs,
/// "Monitor CloudWatch metrics for HTTP APIs"), read back by `metrics`.
#[test]
fn http_api_throttling_access_logs_and_metrics() {
    let summary = setup(
        "shp-tel",
        "shp_tel_t",
        &[
            "--api",
            "http",
            "--auth",
            "none",
            "--allow-public",
            "--rate",
            "1",
            "--burst",
            "1",
        ],
    );
    let url = url_of(&summary);
    std::thread::sleep(std::time::Duration::from_millis(1500)); // the smoke ping's token back
    let statuses: Vec<(u16, String)> = (0..5)
        .map(|_| {
            let reply = raw_request(&url, "POST", &[], br#"{"operation":"ping"}"#);
            (reply.status, reply.text())
        })
        .collect();
    assert_eq!(statuses[0], (200, "\"pong\"".to_string()));
    let throttled = statuses.iter().filter(|(s, _)| *s == 429).count();
    assert!(throttled >= 3, "{statuses:?}");
    assert!(statuses
        .iter()
        .filter(|(s, _)| *s == 429)
        .all(|(_, body)| body == r#"{"message":"Too Many Requests"}"#));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let (figures, lines) = loop {
        let (code, figures, err) = cli(&["--stack", "shp-tel", "metrics", "--since", "30m"]);
        assert_eq!(code, 0, "{err}");
        let lines = aws(
            &stack().state_dir,
            "logs",
            "filter_log_events",
            json!({"logGroupName": "/aws/apigateway/scrud-shp-tel"}),
        );
        let done = figures["api"]["4xx"].as_i64().unwrap_or(0) >= throttled as i64;
        if done || std::time::Instant::now() > deadline {
            break (figures, lines);
        }
        std::thread::sleep(std::time::Duration::from_secs(2));
    };
    assert!(figures["api"]["count"].as_i64().unwrap() >= 5, "{figures}");
    assert_eq!(
        figures["api"]["4xx"].as_i64().unwrap(),
        throttled as i64,
        "{figures}"
    );
    let logged: Vec<Value> = lines["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| serde_json::from_str(e["message"].as_str().unwrap()).unwrap())
        .collect();
    let refused = logged
        .iter()
        .filter(|l| l["status"] == "429" && l["routeKey"] == "POST /crud")
        .count();
    assert_eq!(refused, throttled, "{logged:?}");
    assert!(logged.iter().any(|l| l["status"] == "200"
        && l["integrationStatus"] == "200"
        && l["routeKey"] == "POST /crud"));
}

/// The 2.0 reply rules and an HTTP API's integration failures (AWS docs,
/// "Create AWS Lambda proxy integrations for HTTP APIs"; "Amazon API
/// Gateway quotas": the integration timeout): JSON without `statusCode` is
/// the body of a 200 application/json; a function error is 500
/// `{"message":"Internal Server Error"}`; past the integration's timeout, 503.
#[test]
fn http_api_reply_rules_function_errors_and_timeouts() {
    let probe = common::repo().join("tests/fixtures/probe_dispatcher.py");
    let summary = setup(
        "shp-v2-probe",
        "shp_probe_t",
        &[
            "--api",
            "http",
            "--auth",
            "none",
            "--allow-public",
            "--local-workers",
            "2",
            "--dispatcher",
            probe.to_str().unwrap(),
        ],
    );
    let url = url_of(&summary);
    let post = |body: &str| raw_request(&url, "POST", &[], body.as_bytes());
    let raw = post(r#"{"raw": {"a": [1, "x"]}}"#);
    assert_eq!(raw.status, 200, "{}", raw.text());
    assert_eq!(raw.header("content-type"), Some("application/json"));
    assert_eq!(
        serde_json::from_slice::<Value>(&raw.body).unwrap(),
        json!({"a": [1, "x"]})
    );
    let failed = post(r#"{"fail": true}"#);
    assert_eq!(
        (failed.status, failed.text()),
        (500, r#"{"message":"Internal Server Error"}"#.to_string())
    );
    // A 2 s integration timeout (the default is the 30 s maximum).
    let api = url
        .split("/httpapis/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap();
    let dir = &stack().state_dir;
    let integrations = aws(
        dir,
        "apigatewayv2",
        "get_integrations",
        json!({"ApiId": api}),
    );
    let integration = integrations["Items"][0]["IntegrationId"].as_str().unwrap();
    aws(
        dir,
        "apigatewayv2",
        "update_integration",
        json!({"ApiId": api, "IntegrationId": integration, "TimeoutInMillis": 2000}),
    );
    let stored = aws(
        dir,
        "apigatewayv2",
        "get_integration",
        json!({"ApiId": api, "IntegrationId": integration}),
    );
    assert_eq!(stored["TimeoutInMillis"], 2000);
    let gateway = crate::gateway::gateway();
    let refreshed = raw_request(
        &format!("{gateway}/_gateway/refresh"),
        "POST",
        &lines(&[("x-scrud-gateway-token", &crate::gateway::refresh_token())]),
        b"",
    );
    assert_eq!(refreshed.status, 200);
    let started = std::time::Instant::now();
    let slow = post(r#"{"sleep": 5}"#);
    assert_eq!(
        (slow.status, slow.text()),
        (503, r#"{"message":"Service Unavailable"}"#.to_string())
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "{:?}",
        started.elapsed()
    );
}
