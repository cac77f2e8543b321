//! The resource routes (`setup --routes rest`) end to end through the local
//! gateway with an API key, and the HTTP API (`setup --api http`) on the
//! control plane: what setup creates and what teardown leaves (boto3's view).

use crate::common;

use common::{aws, bin, http, outcome, Stack};
use serde_json::{json, Value};

fn stack() -> &'static Stack {
    common::shared()
}

fn cli(args: &[&str]) -> (i32, Value, String) {
    let mut cmd = bin(&stack().state_dir);
    cmd.args(["--local", "-o", "json"]).args(args);
    outcome(&mut cmd)
}

/// 38 significant digits: an f64 anywhere on the way would change them.
const EXACT: &str = "12345678901234567890.123456789012345678";

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[test]
fn rest_routes_with_an_api_key_end_to_end() {
    let (code, summary, err) = cli(&[
        "--stack", "rk", "setup", "--table", "rk_items", "--routes", "rest", "--auth", "api-key",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["routes"], "rest", "{summary}");
    let base = summary["localBaseUrl"].as_str().unwrap().to_string();
    let (_, status, _) = cli(&["--stack", "rk", "status", "--show-api-key"]);
    let key = status["apiKey"].as_str().unwrap().to_string();
    let with_key = [
        ("x-api-key", key.as_str()),
        ("content-type", "application/json"),
    ];
    let call = |method: &str, path: &str, body: &str| {
        http(&format!("{base}{path}"), method, &with_key, body)
    };

    // Create (201), with the number as sent.
    let item = format!(r#"{{"id":"a1","name":"Ana","city":"Lima","n":{EXACT}}}"#);
    let (status, body) = call("POST", "/items/rk_items", &item);
    assert_eq!(status, 201, "{body}");
    assert_eq!(json_of(&body)["item"]["name"], "Ana");
    assert!(body.contains(EXACT), "the number exactly: {body}");
    // ifAbsent: a second create of the key is a 409, the first item kept.
    let (status, body) = call(
        "POST",
        "/items/rk_items?ifAbsent=true",
        r#"{"id":"a1","name":"Other"}"#,
    );
    assert_eq!(status, 409, "{body}");

    // Read, exact.
    let (status, body) = call("GET", "/items/rk_items/a1", "");
    assert_eq!(status, 200, "{body}");
    assert_eq!(json_of(&body)["name"], "Ana");
    assert!(body.contains(EXACT), "{body}");

    // Patch keeps the other attributes.
    let (status, body) = call("PATCH", "/items/rk_items/a1", r#"{"city":"Quito"}"#);
    assert_eq!(status, 200, "{body}");
    let patched = json_of(&body);
    assert_eq!(patched["city"], "Quito");
    assert_eq!(patched["name"], "Ana", "patch keeps name: {body}");
    assert!(body.contains(EXACT), "patch keeps the number: {body}");

    // Replace drops what the new body does not hold.
    let (status, body) = call("PUT", "/items/rk_items/a1", r#"{"name":"Ana B"}"#);
    assert_eq!(status, 200, "{body}");
    let (_, body) = call("GET", "/items/rk_items/a1", "");
    let replaced = json_of(&body);
    assert_eq!(replaced, json!({"id": "a1", "name": "Ana B"}), "{body}");

    // List with a cursor across pages: every item once.
    for i in 0..5 {
        let (status, body) = call(
            "POST",
            "/items/rk_items",
            &format!(r#"{{"id":"p{i}","i":{i}}}"#),
        );
        assert_eq!(status, 201, "{body}");
    }
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &next {
            Some(cursor) => format!("/items/rk_items?limit=2&start={cursor}"),
            None => "/items/rk_items?limit=2".to_string(),
        };
        let (status, body) = call("GET", &path, "");
        assert_eq!(status, 200, "{body}");
        let page = json_of(&body);
        assert!(page["count"].as_u64().unwrap() <= 2, "{body}");
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_string());
        }
        pages += 1;
        match page["next"].as_str() {
            Some(cursor) => next = Some(cursor.to_string()),
            None => break,
        }
        assert!(pages < 10, "the cursor does not advance: {body}");
    }
    seen.sort();
    assert_eq!(seen, ["a1", "p0", "p1", "p2", "p3", "p4"], "{pages} pages");
    assert!(pages >= 3, "pages of 2: {pages}");

    // Delete, then 404.
    let (status, body) = call("DELETE", "/items/rk_items/a1", "");
    assert_eq!(status, 200, "{body}");
    assert_eq!(json_of(&body)["deleted"]["name"], "Ana B");
    let (status, body) = call("GET", "/items/rk_items/a1", "");
    assert_eq!(status, 404, "{body}");

    // No key: API Gateway's 403 before the function.
    let (status, body) = http(&format!("{base}/items/rk_items/p1"), "GET", &[], "");
    assert_eq!(
        (status, body.as_str()),
        (403, r#"{"message": "Forbidden"}"#)
    );
    // A table outside the stack's allow-list: the function refuses it.
    let (status, body) = call("GET", "/items/secret_table/x", "");
    assert_eq!(status, 403, "{body}");
    assert!(
        body.contains("secret_table"),
        "the refusal names the table: {body}"
    );

    let (code, _, err) = cli(&["--stack", "rk", "teardown", "--yes", "--no-backup"]);
    assert_eq!(code, 0, "{err}");
}

/// The HTTP APIs named `name`, with their routes, integrations and stages.
fn http_apis_named(name: &str) -> Vec<Value> {
    let apis = aws(&stack().state_dir, "apigatewayv2", "get_apis", json!({}));
    apis["Items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["Name"] == name)
        .map(|a| {
            let id = a["ApiId"].as_str().unwrap();
            let of = |operation: &str| aws(&stack().state_dir, "apigatewayv2", operation, json!({"ApiId": id}))["Items"].clone();
            json!({"api": a, "routes": of("get_routes"), "integrations": of("get_integrations"), "stages": of("get_stages")})
        })
        .collect()
}

#[test]
fn an_http_api_is_set_up_as_asked_and_teardown_leaves_none_of_it() {
    let (code, summary, err) = cli(&[
        "--stack",
        "hk",
        "setup",
        "--table",
        "hk_items",
        "--api",
        "http",
        "--routes",
        "rest",
        "--cors",
        "https://app.example.com",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["api"], "http", "{summary}");
    let api_id = summary["httpApiId"].as_str().unwrap().to_string();
    let found = http_apis_named("scrud-hk");
    assert_eq!(found.len(), 1, "one HTTP API: {found:?}");
    let api = &found[0];
    assert_eq!(api["api"]["ApiId"], api_id.as_str());
    assert_eq!(api["api"]["ProtocolType"], "HTTP");
    assert_eq!(
        api["api"]["CorsConfiguration"]["AllowOrigins"],
        json!(["https://app.example.com"]),
        "{api}"
    );
    let mut keys: Vec<String> = api["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["AuthorizationType"], "AWS_IAM", "IAM by default: {r}");
            r["RouteKey"].as_str().unwrap().to_string()
        })
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "DELETE /items/{table}/{id}",
            "DELETE /items/{table}/{id}/{sort}",
            "GET /items/{table}",
            "GET /items/{table}/{id}",
            "GET /items/{table}/{id}/{sort}",
            "PATCH /items/{table}/{id}",
            "PATCH /items/{table}/{id}/{sort}",
            "POST /crud",
            "POST /items/{table}",
            "PUT /items/{table}/{id}",
            "PUT /items/{table}/{id}/{sort}",
        ]
    );
    let integrations = api["integrations"].as_array().unwrap();
    assert_eq!(
        integrations.len(),
        1,
        "one integration for every route: {api}"
    );
    assert_eq!(integrations[0]["IntegrationType"], "AWS_PROXY");
    assert_eq!(integrations[0]["PayloadFormatVersion"], "2.0");
    let stages = api["stages"].as_array().unwrap();
    assert_eq!(stages.len(), 1, "{api}");
    assert_eq!(stages[0]["StageName"], "$default");
    assert_eq!(stages[0]["AutoDeploy"], true);
    // The function may be invoked by this API only.
    let inv = common::inventory(&stack().state_dir);
    let permissions = inv["functions"]["scrud-hk"]["permissions"].to_string();
    assert!(
        permissions.contains("serverless-crud-apigateway"),
        "{permissions}"
    );

    // The CLI works on this shape too: signed contract events to POST /crud.
    let item = format!(r#"{{"id":"h1","n":{EXACT}}}"#);
    let (code, _, err) = cli(&[
        "--stack", "hk", "--via", "api", "create", "-t", "hk_items", "--item", &item,
    ]);
    assert_eq!(code, 0, "{err}");
    let mut read = bin(&stack().state_dir);
    read.args([
        "--local", "--stack", "hk", "--via", "api", "read", "-t", "hk_items", "-k", "id=h1",
    ]);
    let out = read.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains(EXACT), "{text}");

    // A rerun changes nothing: still one API, same id.
    let (code, again, err) = cli(&[
        "--stack",
        "hk",
        "setup",
        "--table",
        "hk_items",
        "--api",
        "http",
        "--routes",
        "rest",
        "--cors",
        "https://app.example.com",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(again["httpApiId"], api_id.as_str());
    assert!(err.contains("up to date"), "{err}");
    assert_eq!(http_apis_named("scrud-hk").len(), 1);

    let (code, report, err) = cli(&["--stack", "hk", "teardown", "--yes", "--no-backup"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["remaining"], json!([]), "{report}");
    assert!(http_apis_named("scrud-hk").is_empty(), "no HTTP API left");
    let inv = common::inventory(&stack().state_dir);
    assert!(
        !inv["functions"]
            .as_object()
            .unwrap()
            .contains_key("scrud-hk"),
        "no function (nor its permissions) left"
    );
    assert!(!inv["tables"]
        .as_array()
        .unwrap()
        .contains(&json!("hk_items")));
}

#[test]
fn cors_check_explains_what_a_browser_would_do_on_both_api_kinds() {
    for (stack_name, table, api) in [("ccr", "ccr_t", "rest"), ("cch", "cch_t", "http")] {
        let (code, _, err) = cli(&[
            "--stack",
            stack_name,
            "setup",
            "--table",
            table,
            "--api",
            api,
            "--routes",
            "rest",
            "--cors",
            "https://app.example.com",
        ]);
        assert_eq!(code, 0, "{api}: {err}");
        // The allowed origin: preflight and call pass, the page reads the answer.
        let (code, report, err) = cli(&[
            "--stack",
            stack_name,
            "cors",
            "check",
            "--origin",
            "https://app.example.com",
        ]);
        assert_eq!(code, 0, "{api}: {err} {report}");
        assert_eq!(report["allowed"], true, "{api}: {report}");
        assert_eq!(report["preflight"]["ok"], true, "{api}: {report}");
        assert_eq!(report["call"]["readable"], true, "{api}: {report}");
        // Another origin: refused, explained, and the fix names both origins.
        let (code, report, err) = cli(&[
            "--stack",
            stack_name,
            "cors",
            "check",
            "--origin",
            "https://evil.example",
        ]);
        assert_ne!(code, 0, "{api}: {report}");
        assert_eq!(report["allowed"], false, "{api}: {report}");
        let fix = report["fix"].as_str().unwrap_or_default();
        assert!(
            fix.contains("--cors https://app.example.com")
                && fix.contains("--cors https://evil.example"),
            "{api}: {fix}"
        );
        assert!(err.contains("https://evil.example"), "{api}: {err}");
        // A header the API does not allow: the preflight names it.
        let (code, report, _) = cli(&[
            "--stack",
            stack_name,
            "cors",
            "check",
            "--origin",
            "https://app.example.com",
            "--header",
            "x-custom",
        ]);
        assert_ne!(code, 0, "{api}: {report}");
        assert!(
            report["explanation"].to_string().contains("x-custom"),
            "{api}: {report}"
        );
        let (code, _, err) = cli(&["--stack", stack_name, "teardown", "--yes", "--no-backup"]);
        assert_eq!(code, 0, "{err}");
    }
}
