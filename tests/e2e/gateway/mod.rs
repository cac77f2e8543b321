//! The local API gateway against the REST APIs `setup` creates: each auth
//! mode with its positive and negative cases (requests signed by botocore,
//! an independent SigV4 implementation), usage-plan throttling, a removed
//! Lambda permission, and the tutorial dispatcher through a real non-proxy
//! integration and a proxy one. `defects` holds the regression tests of
//! the gateway's fidelity defects (each names the AWS evidence it follows).

mod defects;

use crate::common;

use std::time::Duration;

use common::{aws, bin, http, local_status, outcome, Stack};
use serde_json::{json, Value};

pub(super) fn stack() -> &'static Stack {
    common::shared()
}

pub(super) fn cli(args: &[&str]) -> (i32, Value, String) {
    let mut cmd = bin(&stack().state_dir);
    cmd.args(["--local", "-o", "json"]).args(args);
    outcome(&mut cmd)
}

/// `setup` of a stack; returns its summary (with `localInvokeUrl`).
pub(super) fn setup(name: &str, table: &str, extra: &[&str]) -> Value {
    let mut args = vec!["--stack", name, "setup", "--table", table];
    args.extend(extra);
    let (code, summary, err) = cli(&args);
    assert_eq!(code, 0, "setup {name}: {err}");
    summary
}

pub(super) fn url_of(summary: &Value) -> String {
    summary["localInvokeUrl"].as_str().unwrap().to_string()
}

pub(super) fn gateway() -> String {
    local_status(&stack().state_dir)["gateway"]["endpoint"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The local stack's gateway refresh token (written by `local up`).
pub(super) fn refresh_token() -> String {
    let file = stack().state_dir.join("local").join("gateway.token");
    std::fs::read_to_string(file).unwrap().trim().to_string()
}

/// The gateway reloads the control plane now (after a change made behind its back).
fn refresh() {
    let token = refresh_token();
    let (status, _) = http(
        &format!("{}/_gateway/refresh", gateway()),
        "POST",
        &[("x-scrud-gateway-token", &token)],
        "",
    );
    assert_eq!(status, 200);
}

/// A request signed by botocore (see tests/fixtures/signed_request.py).
pub(super) fn signed(spec: Value) -> (u16, Value) {
    let script = common::repo().join("tests/fixtures/signed_request.py");
    let out = common::boto3(
        &stack().state_dir,
        &[script.to_str().unwrap(), &spec.to_string()],
    );
    let reply: Value = serde_json::from_slice(&out).unwrap();
    let body = serde_json::from_str(reply["body"].as_str().unwrap()).unwrap_or(Value::Null);
    (reply["status"].as_u64().unwrap() as u16, body)
}

pub(super) const PING: &str = r#"{"operation":"ping"}"#;

#[test]
fn iam_methods_verify_sigv4_as_api_gateway_does() {
    let url = url_of(&setup("gw-iam", "gw_iam_t", &[]));
    // Our client signs: CRUD works.
    let (code, _, err) = cli(&[
        "--stack",
        "gw-iam",
        "--via",
        "api",
        "create",
        "-t",
        "gw_iam_t",
        "--item",
        r#"{"id":"1"}"#,
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, item, err) = cli(&[
        "--stack", "gw-iam", "--via", "api", "read", "-t", "gw_iam_t", "-k", "id=1",
    ]);
    assert_eq!((code, item), (0, json!({"id": "1"})), "{err}");

    // botocore's signature is accepted.
    let (status, body) = signed(json!({"url": url, "body": PING}));
    assert_eq!((status, body), (200, json!("pong")));

    let refused = |spec: Value| {
        let mut full = json!({"url": url, "body": PING});
        full.as_object_mut()
            .unwrap()
            .extend(spec.as_object().unwrap().clone());
        signed(full)
    };
    let (status, body) = refused(json!({"sign": false}));
    assert_eq!(
        (status, body),
        (403, json!({"message": "Missing Authentication Token"}))
    );
    let (status, body) = refused(json!({"secret": "not-the-secret"}));
    assert_eq!(status, 403);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("The request signature we calculated does not match"),
        "{body}"
    );
    let (status, body) = refused(json!({"tamper_body": r#"{"operation":"echo","payload":1}"#}));
    assert_eq!(status, 403, "body changed after signing: {body}");
    assert!(
        body["message"].as_str().unwrap().contains("signature"),
        "{body}"
    );
    let (status, body) = refused(json!({"age_seconds": 20 * 60}));
    assert_eq!(status, 403);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Signature expired"),
        "{body}"
    );
    let (status, body) = refused(json!({"region": "eu-west-1"}));
    assert_eq!(status, 403);
    assert!(
        body["message"].as_str().unwrap().contains("valid region"),
        "{body}"
    );
    let (status, body) = refused(json!({"service": "lambda"}));
    assert_eq!(status, 403);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("correct service: 'execute-api'"),
        "{body}"
    );
    let (status, body) = refused(json!({"key": "AKIDUNKNOWN"}));
    assert_eq!(status, 403);
    assert!(
        body["message"].as_str().unwrap().contains("security token"),
        "{body}"
    );

    // Unknown path, stage or API: "Missing Authentication Token", signed or not.
    let missing = json!({"message": "Missing Authentication Token"});
    for wrong in [
        url.replace("/crud", "/nope"),
        url.replace("/v1/", "/v9/"),
        url.replace("/restapis/", "/restapis/x")
            .replace("/restapis/x", "/restapis/zz"),
    ] {
        let (status, body) = signed(json!({"url": wrong, "body": PING}));
        assert_eq!((status, body), (403, missing.clone()), "{wrong}");
    }
    let (status, body) = signed(json!({"url": url, "method": "GET", "body": ""}));
    assert_eq!(
        (status, body),
        (403, missing),
        "GET is not a method of /crud"
    );
}

#[test]
fn api_keys_usage_plans_and_their_throttling() {
    let url = url_of(&setup(
        "gw-key",
        "gw_key_t",
        &["--auth", "api-key", "--rate", "2", "--burst", "4"],
    ));
    let other = url_of(&setup("gw-other", "gw_other_t", &["--auth", "api-key"]));
    let key_of = |stack: &str| -> String {
        let (_, status, _) = cli(&["--stack", stack, "status", "--show-api-key"]);
        status["apiKey"].as_str().unwrap().to_string()
    };
    let (key, other_key) = (key_of("gw-key"), key_of("gw-other"));
    std::thread::sleep(Duration::from_millis(2500)); // let the bucket refill after setup/status pings
    let ping = |key: Option<&str>, url: &str| {
        let headers: Vec<(&str, &str)> = key.map(|k| ("x-api-key", k)).into_iter().collect();
        http(url, "POST", &headers, PING)
    };
    assert_eq!(ping(Some(&key), &url), (200, "\"pong\"".into()));
    let forbidden = (403, r#"{"message": "Forbidden"}"#.to_string());
    assert_eq!(ping(None, &url), forbidden, "no key");
    assert_eq!(ping(Some("not-a-key"), &url), forbidden, "unknown key");
    assert_eq!(
        ping(Some(&other_key), &url),
        forbidden,
        "a key bound to another API"
    );
    assert_eq!(
        ping(Some(&other_key), &other).0,
        200,
        "that key works on its own API"
    );

    // A disabled key is refused.
    let keys = aws(
        &stack().state_dir,
        "apigateway",
        "get_api_keys",
        json!({"nameQuery": "scrud-gw-key"}),
    );
    let key_id = keys["items"][0]["id"].as_str().unwrap().to_string();
    let set_enabled = |on: bool| {
        aws(
            &stack().state_dir,
            "apigateway",
            "update_api_key",
            json!({
                "apiKey": key_id, "patchOperations": [{"op": "replace", "path": "/enabled", "value": on.to_string()}]
            }),
        );
        refresh();
    };
    set_enabled(false);
    assert_eq!(ping(Some(&key), &url), forbidden, "disabled key");
    set_enabled(true);
    std::thread::sleep(Duration::from_millis(2500));

    // Burst 4, 2/s: a burst of 20 gets some 429, then it recovers.
    let statuses: Vec<u16> = (0..20).map(|_| ping(Some(&key), &url).0).collect();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert!(throttled >= 10, "{statuses:?}");
    assert!(
        statuses[..4].iter().all(|s| *s == 200),
        "the burst passes: {statuses:?}"
    );
    let (status, body) = ping(Some(&key), &url);
    assert_eq!(
        (status, body.as_str()),
        (429, r#"{"message": "Too Many Requests"}"#)
    );
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(ping(Some(&key), &url).0, 200, "tokens come back");
    // Our client retries 429 (it surely did not run): the CLI still succeeds.
    let (code, _, err) = cli(&["--stack", "gw-key", "--via", "api", "ping", "--count", "6"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn an_open_api_needs_no_auth() {
    let url = url_of(&setup(
        "gw-open",
        "gw_open_t",
        &["--auth", "none", "--allow-public"],
    ));
    assert_eq!(http(&url, "POST", &[], PING), (200, "\"pong\"".into()));
}

#[test]
fn a_removed_permission_is_a_500_and_status_drift_with_the_fix() {
    setup("gw-perm", "gw_perm_t", &[]);
    aws(
        &stack().state_dir,
        "lambda",
        "remove_permission",
        json!({
            "FunctionName": "scrud-gw-perm", "StatementId": "serverless-crud-apigateway"
        }),
    );
    refresh();
    let (code, _, err) = cli(&["--stack", "gw-perm", "--via", "api", "ping"]);
    assert_eq!(code, 5, "{err}");
    assert!(err.contains("Internal server error"), "{err}");
    let (code, _, err) = cli(&["--stack", "gw-perm", "--via", "lambda", "ping"]);
    assert_eq!(code, 0, "direct invoke does not need the permission: {err}");
    let (code, status, _) = cli(&["--stack", "gw-perm", "status"]);
    assert_eq!(code, 9);
    let permission = status["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "permission")
        .unwrap()
        .clone();
    assert_eq!(permission["exists"], false, "{status}");
    assert!(permission["drift"]
        .as_str()
        .unwrap()
        .contains("may not invoke"));
    let fix = status["fix"].as_str().unwrap().to_string();
    assert!(fix.contains("--stack gw-perm setup"), "{fix}");
    // The fix repairs it.
    let args: Vec<&str> = fix.split_whitespace().skip(1).collect();
    let mut cmd = bin(&stack().state_dir);
    cmd.args(["-o", "json"]).args(&args);
    let (code, _, err) = outcome(&mut cmd);
    assert_eq!(code, 0, "{err}");
    let (code, status, err) = cli(&["--stack", "gw-perm", "status"]);
    assert_eq!(code, 0, "{err} {status}");
}

#[test]
fn the_tutorial_dispatcher_through_its_own_non_proxy_wiring() {
    let fixture = common::repo().join("tests/fixtures/tutorial_dispatcher.py");
    let summary = setup(
        "gw-tut",
        "gw_tut_t",
        &[
            "--dispatcher",
            fixture.to_str().unwrap(),
            "--integration",
            "non-proxy",
        ],
    );
    let api_id = summary["restApiId"].as_str().unwrap();
    let resources = aws(
        &stack().state_dir,
        "apigateway",
        "get_resources",
        json!({"restApiId": api_id}),
    );
    let crud = resources["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "/crud")
        .unwrap();
    let integration = aws(
        &stack().state_dir,
        "apigateway",
        "get_integration",
        json!({
            "restApiId": api_id, "resourceId": crud["id"], "httpMethod": "POST"
        }),
    );
    assert_eq!(
        integration["type"], "AWS",
        "a real non-proxy integration: {integration}"
    );
    for via in ["api", "lambda"] {
        let id = format!("t-{via}");
        let run = |args: &[&str]| {
            let mut all = vec!["--stack", "gw-tut", "--via", via];
            all.extend(args);
            cli(&all)
        };
        let (code, _, err) = run(&[
            "create",
            "-t",
            "gw_tut_t",
            "--item",
            &format!(r#"{{"id":"{id}","n":1}}"#),
        ]);
        assert_eq!(code, 0, "{via}: {err}");
        let (code, item, err) = run(&["read", "-t", "gw_tut_t", "-k", &format!("id={id}")]);
        assert_eq!((code, item), (0, json!({"id": id, "n": 1})), "{via}: {err}");
        let (code, deleted, err) = run(&["delete", "-t", "gw_tut_t", "-k", &format!("id={id}")]);
        assert_eq!(code, 0, "{via}: {err}");
        assert_eq!(deleted["deleted"], json!({"id": id, "n": 1}));
        // Its exceptions come back decoded (a 200 error body through the API).
        let bad = stack().state_dir.join(format!("bad-op-{via}.json"));
        std::fs::write(&bad, r#"{"operation":"frobnicate","tableName":"gw_tut_t"}"#).unwrap();
        let (code, _, err) = run(&["send", bad.to_str().unwrap()]);
        assert_eq!(code, 5, "{via}: {err}");
        assert!(err.contains("Unrecognized operation"), "{via}: {err}");
    }
}

#[test]
fn the_tutorial_dispatcher_behind_a_proxy_integration_is_a_502_explained() {
    let fixture = common::repo().join("tests/fixtures/tutorial_dispatcher.py");
    let (code, _, err) = cli(&[
        "--stack",
        "gw-tutp",
        "setup",
        "--table",
        "gw_tutp_t",
        "--dispatcher",
        fixture.to_str().unwrap(),
    ]);
    assert_eq!(code, 9, "the smoke test fails: {err}");
    assert!(err.contains("502"), "{err}");
    let (code, _, err) = cli(&["--stack", "gw-tutp", "--via", "api", "ping"]);
    assert_eq!(code, 5, "{err}");
    assert!(
        err.contains("502") && err.contains("malformed proxy response"),
        "{err}"
    );
}

#[test]
fn a_direct_reading_dispatcher_wired_as_proxy_is_told_about_non_proxy() {
    let fixture = common::repo().join("tests/fixtures/tutorial_dispatcher.py");
    let (code, _, err) = cli(&[
        "--stack",
        "gw-tut-proxy",
        "setup",
        "--table",
        "gw_tutp_t",
        "--dispatcher",
        fixture.to_str().unwrap(),
    ]);
    assert_ne!(
        code, 0,
        "the tutorial's dispatcher cannot answer proxy events: {err}"
    );
    assert!(err.contains("smoke test failed"), "{err}");
    assert!(
        err.contains("--stack gw-tut-proxy setup --integration non-proxy"),
        "{err}"
    );
    // The suggested command works.
    let (code, _, err) = cli(&[
        "--stack",
        "gw-tut-proxy",
        "setup",
        "--integration",
        "non-proxy",
    ]);
    assert_eq!(code, 0, "{err}");
}
