//! The conformance suite: request/response pairs recorded against real AWS
//! (tests/fixtures/conformance/cases.json: LocalStack's validated snapshots
//! and assertions, Apache-2.0, see NOTICE there; each case names its source
//! file, key and field), replayed on the local gateway. The APIs the cases
//! were recorded against are created in the local moto with boto3
//! (build_apis.py), with the LocalStack test Lambdas (lambda.py) as stack
//! functions. Cases the local gateway cannot replay are listed, with why,
//! in local.json; every other case must match. EDGE-only (CloudFront)
//! headers are not emulated and not compared.

use crate::common;

use std::collections::BTreeSet;

use base64::Engine;
use common::{bin, local_status, outcome, raw_request, RawReply};
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = common::repo().join("tests/fixtures/conformance").join(name);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Sets up the stacks running the suite's Lambda; their function names by mode.
fn functions() -> Value {
    let lambda = common::repo().join("tests/fixtures/conformance/lambda.py");
    let mut names = serde_json::Map::new();
    for mode in ["echo", "body", "format"] {
        let stack = format!("conf-{mode}");
        let mut cmd = bin(&common::shared().state_dir);
        cmd.args(["--local", "-o", "json", "--stack", &stack, "setup"])
            .args(["--table", &format!("conf_{mode}_t"), "--auth", "none"])
            .args(["--allow-public", "--local-workers", "1", "--dispatcher"])
            .arg(&lambda);
        let (code, summary, err) = outcome(&mut cmd);
        assert_eq!(code, 0, "setup {stack}: {err}");
        names.insert(mode.into(), summary["function"].clone());
    }
    Value::Object(names)
}

/// What a case's API became locally (build_apis.py's answer).
struct Built<'a> {
    api: &'a Value,
    account: &'a str,
}

/// The local URL of a recorded path `/{stage}/{rest}` (slashes before the
/// stage kept: the gateway collapses them as AWS does).
fn local_url(gateway: &str, built: &Value, path: &str, query: Option<&str>) -> String {
    let extra = path.len() - path.trim_start_matches('/').len() - 1;
    let rest = path.trim_start_matches('/');
    let (stage, user) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut url = format!(
        "{gateway}/restapis/{}/{}{stage}/_user_request_{user}",
        built["apiId"].as_str().unwrap(),
        "/".repeat(extra)
    );
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}

fn send(case: &Value, gateway: &str, built: &Value, local: &Value) -> RawReply {
    let request = &case["request"];
    let id = case["id"].as_str().unwrap();
    let key = if local["disabled_key"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == id)
    {
        &built["disabledKey"]
    } else {
        &built["apiKey"]
    };
    let mut headers = Vec::new();
    for (name, value) in request["headers"].as_object().unwrap() {
        let value = value.as_str().unwrap();
        if name.starts_with('<') {
            continue; // "<set by Step Functions>": not bytes that were sent
        }
        let value = match value {
            "<the key value>" => key.as_str().unwrap().to_string(),
            v => v.to_string(),
        };
        headers.push((name.clone(), value));
    }
    let body = local["request_body"][id]
        .as_str()
        .or(request["body"].as_str())
        .unwrap_or_default();
    let url = local_url(
        gateway,
        built,
        request["path"].as_str().unwrap(),
        request["query"].as_str(),
    );
    raw_request(
        &url,
        request["method"].as_str().unwrap(),
        &headers,
        body.as_bytes(),
    )
}

/// A value in the event at a dotted path (`headers.X` and
/// `multiValueHeaders.X` take the rest as the header name); None: absent.
fn lookup<'v>(event: &'v Value, path: &str) -> Option<&'v Value> {
    for map in ["headers.", "multiValueHeaders."] {
        if let Some(name) = path.strip_prefix(map) {
            return event[map.trim_end_matches('.')].get(name);
        }
    }
    path.split('.').try_fold(event, |v, k| v.get(k))
}

/// Checks one recorded event field; the description of a failure.
fn check_field(event: &Value, path: &str, expected: &Value, built: &Built<'_>) -> Option<String> {
    let actual = lookup(event, path);
    let equal_to = |other: Option<&Value>| {
        (actual.is_some() && actual == other)
            .then_some(())
            .ok_or_else(|| format!("{path}: {actual:?}, expected equal to {other:?}"))
    };
    let deployment = built.api["deploymentId"].clone();
    let result = match expected.as_str() {
        Some("<absent>") => actual
            .is_none()
            .then_some(())
            .ok_or_else(|| format!("{path}: {actual:?}, expected absent")),
        Some(text) if text.starts_with("<any") => match text.split_once("(same value as ") {
            Some((_, other)) => equal_to(lookup(event, other.trim_end_matches(')'))),
            None if text.contains("same value for all calls") => equal_to(Some(&deployment)),
            None => actual
                .is_some()
                .then_some(())
                .ok_or_else(|| format!("{path}: absent")),
        },
        Some("<equals CreateDeployment response id>") => equal_to(Some(&deployment)),
        Some(text) if text.starts_with("<equals ") => {
            equal_to(lookup(event, text[8..].trim_end_matches('>')))
        }
        Some(text) if text.starts_with("<the AWS account id") => {
            equal_to(Some(&json!(built.account)))
        }
        Some("<the rest api id>") => equal_to(Some(&built.api["apiId"])),
        _ => (actual == Some(expected))
            .then_some(())
            .ok_or_else(|| format!("{path}: {actual:?}, expected {expected}")),
    };
    result.err()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// The event's key sets are the recorded ones (EDGE-only headers aside).
fn check_key_sets(event: &Value, expect: &Value) -> Vec<String> {
    let Some(full) = expect.get("event_full") else {
        return Vec::new();
    };
    let edge = keys(&expect["event_edge_only_headers"]);
    let mut problems = Vec::new();
    for (what, ours, recorded) in [
        ("event", &event, &full),
        (
            "requestContext",
            &&event["requestContext"],
            &&full["requestContext"],
        ),
        (
            "requestContext.identity",
            &&event["requestContext"]["identity"],
            &&full["requestContext"]["identity"],
        ),
    ] {
        if keys(ours) != keys(recorded) {
            problems.push(format!(
                "{what} keys {:?} != {:?}",
                keys(ours),
                keys(recorded)
            ));
        }
    }
    for map in ["headers", "multiValueHeaders"] {
        let recorded: BTreeSet<String> = keys(&full[map]).difference(&edge).cloned().collect();
        if keys(&event[map]) != recorded {
            problems.push(format!(
                "{map} names {:?} != {recorded:?}",
                keys(&event[map])
            ));
        }
    }
    problems
}

fn check_status(reply: &RawReply, expected: &Value) -> Option<String> {
    let ok = match expected {
        Value::Number(n) => n.as_u64() == Some(u64::from(reply.status)),
        // "4xx (...)": the test asserted only "not ok".
        Value::String(s) if s.starts_with("4xx") => (400..500).contains(&reply.status),
        _ => false,
    };
    (!ok).then(|| format!("status {}, expected {expected}", reply.status))
}

/// A response header as the recording's client (python-requests) saw it:
/// repeated lines of one name joined with ", ".
fn joined_header(reply: &RawReply, name: &str) -> Option<String> {
    let values: Vec<&str> = reply
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect();
    (!values.is_empty()).then(|| values.join(", "))
}

/// One recorded response header (names compare without case).
fn check_header(reply: &RawReply, name: &str, expected: &str) -> Option<String> {
    let actual = joined_header(reply, name);
    let actual = actual.as_deref();
    let fail = || Some(format!("header {name}: {actual:?}, expected {expected}"));
    if expected == "<absent>" {
        return actual.is_some().then(fail).flatten();
    }
    let Some(actual) = actual else { return fail() };
    if let Some(rest) = expected.strip_prefix("<contains '") {
        let (needle, tail) = rest.split_once('\'').unwrap_or((rest, ""));
        let second = actual.split(';').nth(1).unwrap_or_default();
        let parent_ok = match tail.split_once("== '") {
            Some((_, p)) => second == p.trim_end_matches(['\'', '>']),
            None => second.starts_with("Parent=") && second != "Parent=7fa8c0f79203be72",
        };
        return (!(actual.contains(needle) && parent_ok))
            .then(fail)
            .flatten();
    }
    (!expected.starts_with("<any") && actual != expected)
        .then(fail)
        .flatten()
}

fn check_body(reply: &RawReply, expect: &Value, built: &Built<'_>) -> Vec<String> {
    let body = &expect["body"];
    match body {
        Value::String(s) if s == "<json of event>" => {
            let Ok(event) = serde_json::from_slice::<Value>(&reply.body) else {
                return vec![format!("body is not an event: {}", reply.text())];
            };
            let mut problems = check_key_sets(&event, expect);
            for (path, expected) in expect["event"].as_object().into_iter().flatten() {
                problems.extend(check_field(&event, path, expected, built));
            }
            problems
        }
        Value::String(s) if s.starts_with('<') => Vec::new(), // not recorded
        Value::String(s) => (reply.body != s.as_bytes())
            .then(|| format!("body {:?}, expected {s:?}", reply.text()))
            .into_iter()
            .collect(),
        Value::Object(o) if o.contains_key("base64_of_expected_bytes") => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(o["base64_of_expected_bytes"].as_str().unwrap())
                .unwrap();
            (reply.body != bytes)
                .then(|| format!("body {:?}, expected the decoded bytes", reply.text()))
                .into_iter()
                .collect()
        }
        expected => (serde_json::from_slice::<Value>(&reply.body).ok().as_ref() != Some(expected))
            .then(|| format!("body {:?}, expected {expected}", reply.text()))
            .into_iter()
            .collect(),
    }
}

/// Every difference between the reply and the recording.
fn check(reply: &RawReply, case: &Value, built: &Built<'_>) -> Vec<String> {
    let expect = &case["expect"];
    let mut problems: Vec<String> = check_status(reply, &expect["status"]).into_iter().collect();
    for (name, value) in expect["headers"].as_object().into_iter().flatten() {
        problems.extend(check_header(reply, name, value.as_str().unwrap()));
    }
    problems.extend(check_body(reply, expect, built));
    problems
}

#[test]
fn recorded_real_aws_exchanges_replay_on_the_local_gateway() {
    let stack = common::shared();
    let cases = fixture("cases.json");
    let local = fixture("local.json");
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 76, "the recorded cases");
    let functions = functions();
    let script = common::repo().join("tests/fixtures/conformance/build_apis.py");
    let built: Value = serde_json::from_slice(&common::boto3(
        &stack.state_dir,
        &[script.to_str().unwrap(), &functions.to_string()],
    ))
    .unwrap();
    let gateway = local_status(&stack.state_dir)["gateway"]["endpoint"]
        .as_str()
        .unwrap()
        .to_string();
    let account = local["account"].as_str().unwrap();
    let (mut ran, mut failures) = (0, Vec::new());
    for case in cases {
        let id = case["id"].as_str().unwrap();
        if local["skip"].get(id).is_some() {
            continue;
        }
        let api = &built[id];
        let reply = send(case, &gateway, api, &local);
        let problems = check(&reply, case, &Built { api, account });
        ran += 1;
        if !problems.is_empty() {
            let source = &case["source"];
            failures.push(format!(
                "{id} ({} / {} / {}):\n  {}",
                source["file"].as_str().unwrap_or_default(),
                source["key"].as_str().unwrap_or_default(),
                source["field"].as_str().unwrap_or_default(),
                problems.join("\n  ")
            ));
        }
    }
    let skipped = local["skip"].as_object().unwrap().len();
    assert_eq!(ran + skipped, cases.len());
    assert!(
        failures.is_empty(),
        "{} of {ran} recorded cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
