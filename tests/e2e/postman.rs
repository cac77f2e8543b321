//! The committed Postman collection (examples/postman) run by newman, whose
//! awsv4 auth is Postman's own SigV4 implementation: signed, every request
//! passes the local gateway's IAM check and every assertion holds; unsigned
//! or signed with a wrong secret, every request is refused.

use crate::common;

use std::path::PathBuf;
use std::process::Command;

use common::{bin, outcome, Stack};
use serde_json::{json, Value};

fn stack() -> &'static Stack {
    common::shared()
}

fn newman() -> PathBuf {
    let path = common::repo().join("tests/node/node_modules/.bin/newman");
    assert!(
        path.exists(),
        "newman is not installed: run `npm ci --prefix tests/node` (.ci/run does)"
    );
    path
}

fn collection() -> Value {
    let path = common::repo().join("examples/postman/serverless-crud.postman_collection.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// newman's JSON report of running `collection` against `base`.
/// Where newman sends the collection, and with which credentials.
struct Target<'a> {
    base: &'a str,
    table: &'a str,
    secret: &'a str,
    api_key: &'a str,
}

fn run(collection: &Value, to: &Target) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("collection.json");
    std::fs::write(&file, collection.to_string()).unwrap();
    let report = dir.path().join("report.json");
    let status = Command::new(newman())
        .arg("run")
        .arg(&file)
        .args(["--env-var", &format!("baseUrl={}", to.base)])
        .args(["--env-var", &format!("table={}", to.table)])
        .args(["--env-var", "accessKey=test"])
        .args(["--env-var", &format!("secretKey={}", to.secret)])
        .args(["--env-var", &format!("apiKey={}", to.api_key)])
        .args(["--reporters", "json", "--reporter-json-export"])
        .arg(&report)
        .status()
        .unwrap();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(
        status.success(),
        report["run"]["stats"]["assertions"]["failed"] == 0
    );
    report
}

fn response_codes(report: &Value) -> Vec<u64> {
    report["run"]["executions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["response"]["code"].as_u64().unwrap_or(0))
        .collect()
}

#[test]
fn newman_runs_the_collection_signed_by_postmans_awsv4() {
    let mut cmd = bin(&stack().state_dir);
    cmd.args([
        "--local", "-o", "json", "--stack", "pm", "setup", "--table", "pm_t", "--routes", "rest",
    ]);
    let (code, summary, err) = outcome(&mut cmd);
    assert_eq!(code, 0, "{err}");
    let base = summary["localBaseUrl"].as_str().unwrap().to_string();
    let collection = collection();

    let signed = run(
        &collection,
        &Target {
            base: &base,
            table: "pm_t",
            secret: "test",
            api_key: "",
        },
    );
    let stats = &signed["run"]["stats"];
    assert_eq!(stats["requests"]["total"], 13, "{stats}");
    assert_eq!(
        stats["assertions"]["failed"], 0,
        "{}",
        signed["run"]["failures"]
    );
    assert!(
        stats["assertions"]["total"].as_u64().unwrap() >= 20,
        "{stats}"
    );

    // Unsigned: the collection's auth off. Every request is API Gateway's 403.
    let mut unsigned = collection.clone();
    unsigned["auth"] = json!({"type": "noauth"});
    let report = run(
        &unsigned,
        &Target {
            base: &base,
            table: "pm_t",
            secret: "test",
            api_key: "",
        },
    );
    assert_eq!(response_codes(&report), vec![403; 13]);
    // A wrong secret: signed, but not by the key's owner.
    let report = run(
        &collection,
        &Target {
            base: &base,
            table: "pm_t",
            secret: "not-the-secret",
            api_key: "",
        },
    );
    assert_eq!(response_codes(&report), vec![403; 13]);
}

#[test]
fn newman_runs_the_collection_with_an_api_key() {
    let mut cmd = bin(&stack().state_dir);
    cmd.args([
        "--local", "-o", "json", "--stack", "pmk", "setup", "--table", "pmk_t", "--routes", "rest",
        "--auth", "api-key",
    ]);
    let (code, summary, err) = outcome(&mut cmd);
    assert_eq!(code, 0, "{err}");
    let base = summary["localBaseUrl"].as_str().unwrap().to_string();
    let mut cmd = bin(&stack().state_dir);
    cmd.args([
        "--local",
        "-o",
        "json",
        "--stack",
        "pmk",
        "status",
        "--show-api-key",
    ]);
    let (_, status, _) = outcome(&mut cmd);
    let key = status["apiKey"].as_str().unwrap().to_string();
    // The api-key variant: no AWS signature, the key in x-api-key.
    let mut keyed = collection();
    keyed["auth"] = json!({"type": "noauth"});
    let report = run(
        &keyed,
        &Target {
            base: &base,
            table: "pmk_t",
            secret: "",
            api_key: &key,
        },
    );
    let stats = &report["run"]["stats"];
    assert_eq!(stats["requests"]["total"], 13, "{stats}");
    assert_eq!(
        stats["assertions"]["failed"], 0,
        "{}",
        report["run"]["failures"]
    );
    // Without the key: every request is API Gateway's 403.
    let report = run(
        &keyed,
        &Target {
            base: &base,
            table: "pmk_t",
            secret: "",
            api_key: "",
        },
    );
    assert_eq!(response_codes(&report), vec![403; 13]);
}
