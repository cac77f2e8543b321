//! Safe releases on the local stack, by the real CLI: `deploy` publishes
//! versions and moves alias `live` (the API reaches it through the stage
//! variable), an old version stays callable by qualifier, `--alias-weight`
//! splits invocations within the binomial band through both transports,
//! AWS's alias rules are enforced, `promote` and `rollback` move the alias,
//! and teardown leaves nothing (boto3).

use serde_json::{json, Value};

use crate::common::{self, aws, raw_request};
use crate::gateway::{cli, setup, stack, url_of};

/// A copy of the version fixture whose answers name `code`.
fn dispatcher(dir: &std::path::Path, code: &str) -> String {
    let source =
        std::fs::read_to_string(common::repo().join("tests/fixtures/version_dispatcher.py"))
            .unwrap()
            .replace("CODE = \"one\"", &format!("CODE = \"{code}\""));
    let path = dir.join(format!("{code}.py"));
    std::fs::write(&path, source).unwrap();
    path.display().to_string()
}

/// (code, version) of one request through the API.
fn through_api(url: &str) -> (String, String) {
    let reply = raw_request(url, "POST", &[], b"{}");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    (
        body["code"].as_str().unwrap().to_string(),
        body["version"].as_str().unwrap().to_string(),
    )
}

/// (code, version) of one direct invocation of `function`.
fn through_lambda(function: &str) -> (String, String) {
    let (code, reply, err) = cli(&[
        "--function",
        function,
        "--via",
        "lambda",
        "echo",
        "--payload",
        "{}",
    ]);
    assert_eq!(code, 0, "{err}");
    (
        reply["code"].as_str().unwrap_or_default().to_string(),
        reply["version"].as_str().unwrap_or_default().to_string(),
    )
}

fn deploy(stack: &str, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["--stack", stack, "deploy"];
    args.extend(extra);
    cli(&args)
}

/// The share of `n` invocations that ran `version`, checked against the
/// 99.9% binomial band around `p` (±3.29 standard deviations).
fn assert_share(runs: &[(String, String)], version: &str, p: f64) {
    let n = runs.len() as f64;
    let hits = runs.iter().filter(|(_, v)| v == version).count() as f64;
    let band = 3.29 * (n * p * (1.0 - p)).sqrt();
    assert!(
        (hits - n * p).abs() <= band,
        "{hits} of {n} ran version {version}; expected {:.0} ± {band:.0}",
        n * p
    );
}

#[test]
fn deploy_moves_the_alias_weights_split_and_rollback_returns() {
    let files = tempfile::tempdir().unwrap();
    let one = dispatcher(files.path(), "one");
    let two = dispatcher(files.path(), "two");
    let three = dispatcher(files.path(), "three");
    let summary = setup(
        "rel-a",
        "rel_a_t",
        &["--dispatcher", &one, "--auth", "none", "--allow-public"],
    );
    let url = url_of(&summary);
    assert_eq!(through_api(&url), ("one".into(), "$LATEST".into()));

    // The first deploy migrates: today's code becomes version 1, v2 goes live.
    let (code, report, err) = deploy("rel-a", &["--dispatcher", &two]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (
            &report["migrated"],
            &report["published"],
            &report["live"],
            &report["previous"]
        ),
        (&json!(true), &json!("2"), &json!("2"), &json!("1")),
        "{report}"
    );
    assert!(err.contains("migrating stack rel-a off $LATEST"), "{err}");
    for _ in 0..10 {
        assert_eq!(through_api(&url), ("two".into(), "2".into()));
    }
    let dir = &stack().state_dir;
    let alias = aws(
        dir,
        "lambda",
        "get_alias",
        json!({"FunctionName": "scrud-rel-a", "Name": "live"}),
    );
    assert_eq!(alias["FunctionVersion"], "2", "{alias}");
    let api = summary["restApiId"].as_str().unwrap();
    let stage = aws(
        dir,
        "apigateway",
        "get_stage",
        json!({"restApiId": api, "stageName": "v1"}),
    );
    assert_eq!(stage["variables"]["alias"], "live", "{stage}");
    // The old version is still callable by its qualifier; the stack's own
    // direct transport reaches the alias.
    assert_eq!(through_lambda("scrud-rel-a:1"), ("one".into(), "1".into()));
    assert_eq!(
        through_lambda("scrud-rel-a:live"),
        ("two".into(), "2".into())
    );

    // A weighted release: 20% to version 3 through both transports.
    let (code, report, err) = deploy("rel-a", &["--dispatcher", &three, "--alias-weight", "0.2"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (&report["live"], &report["weighted"]["version"]),
        (&json!("2"), &json!("3")),
        "{report}"
    );
    let alias = aws(
        dir,
        "lambda",
        "get_alias",
        json!({"FunctionName": "scrud-rel-a", "Name": "live"}),
    );
    assert_eq!(
        alias["RoutingConfig"]["AdditionalVersionWeights"]["3"], 0.2,
        "{alias}"
    );
    // A third version on the alias is refused, as AWS refuses it; nothing changes.
    let (code, _, err) = deploy("rel-a", &["--dispatcher", &one, "--alias-weight", "0.1"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("one additional version only"), "{err}");
    std::thread::sleep(std::time::Duration::from_millis(1200)); // the gateway's 1 s control-plane cache
    let runs: Vec<(String, String)> = (0..400).map(|_| through_api(&url)).collect();
    assert!(
        runs.iter()
            .all(|(code, v)| (code == "two" && v == "2") || (code == "three" && v == "3")),
        "each version runs its own code"
    );
    assert_share(&runs, "3", 0.2);
    let runs: Vec<(String, String)> = (0..120)
        .map(|_| through_lambda("scrud-rel-a:live"))
        .collect();
    assert_share(&runs, "3", 0.2);

    // promote: version 3 takes everything; rollback: back to 2.
    let (code, report, err) = cli(&["--stack", "rel-a", "promote"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (&report["live"], &report["previous"]),
        (&json!("3"), &json!("2"))
    );
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert!((0..20).all(|_| through_api(&url).1 == "3"));
    let (code, report, err) = cli(&["--stack", "rel-a", "rollback"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["live"], "2", "{report}");
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert!((0..20).all(|_| through_api(&url) == ("two".into(), "2".into())));
    let (code, _, err) = cli(&["--stack", "rel-a", "rollback"]);
    assert_eq!(code, 2, "nothing earlier to go back to: {err}");

    // A release that raises on every request, as a 10% canary: `metrics
    // --by version` tells the sides apart, `status` shows the canary, and
    // rollback ends it.
    let broken = files.path().join("broken.py");
    std::fs::write(
        &broken,
        "def lambda_handler(event, context):\n    raise ValueError('broken release')\n",
    )
    .unwrap();
    let (code, report, err) = deploy(
        "rel-a",
        &["--dispatcher", broken.to_str().unwrap(), "--canary", "10"],
    );
    assert_eq!(code, 0, "{err}");
    let bad = report["published"].as_str().unwrap().to_string();
    let (code, status, err) = cli(&["--stack", "rel-a", "status"]);
    assert_eq!(code, 0, "{status} {err}");
    assert!(
        status
            .to_string()
            .contains(&format!("canary: 10% of the stage to version {bad}")),
        "{status}"
    );
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let statuses: Vec<u16> = (0..200)
        .map(|_| raw_request(&url, "POST", &[], b"{}").status)
        .collect();
    let failed = statuses.iter().filter(|s| **s == 502).count();
    assert!(failed > 0 && failed < 60, "{failed} of 200 failed");
    std::thread::sleep(std::time::Duration::from_millis(3000)); // telemetry flushes every 2 s
    let (code, figures, err) = cli(&[
        "--stack", "rel-a", "metrics", "--since", "5m", "--by", "version",
    ]);
    assert_eq!(code, 0, "{err}");
    let versions = &figures["versions"];
    assert_eq!(versions[&bad]["errorRate"], 1.0, "{figures}");
    assert_eq!(versions[&bad]["role"], "canary 10%", "{figures}");
    assert_eq!(versions["2"]["errors"], 0, "{figures}");
    assert_eq!(versions["2"]["role"], "live", "{figures}");
    assert!(
        versions["2"]["invocations"].as_u64().unwrap() > 100,
        "{figures}"
    );
    let (code, _, err) = cli(&["--stack", "rel-a", "rollback"]);
    assert_eq!(code, 0, "{err}");
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert!((0..50).all(|_| raw_request(&url, "POST", &[], b"{}").status == 200));

    let (code, _, err) = cli(&["--stack", "rel-a", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    let functions = aws(dir, "lambda", "list_functions", json!({}));
    assert!(
        !functions.to_string().contains("scrud-rel-a"),
        "{functions}"
    );
    let local = common::local_status(dir);
    assert!(
        !local["functions"].to_string().contains("scrud-rel-a"),
        "the versions' workers stopped: {local}"
    );
}

/// (code, version, stage variable `alias`) of one request through the API.
fn seen(url: &str) -> (String, String, String) {
    let reply = raw_request(url, "POST", &[], b"{}");
    assert_eq!(reply.status, 200, "{}", reply.text());
    let body: Value = serde_json::from_slice(&reply.body).unwrap();
    let text = |k: &str| body[k].as_str().unwrap_or_default().to_string();
    (text("code"), text("version"), text("alias"))
}

#[test]
fn a_canary_on_the_rest_stage_splits_promotes_and_rolls_back() {
    let files = tempfile::tempdir().unwrap();
    let one = dispatcher(files.path(), "one");
    let two = dispatcher(files.path(), "two");
    let three = dispatcher(files.path(), "three");
    let summary = setup(
        "rel-c",
        "rel_c_t",
        &["--dispatcher", &one, "--auth", "none", "--allow-public"],
    );
    let url = url_of(&summary);
    let api = summary["restApiId"].as_str().unwrap().to_string();
    let dir = &stack().state_dir;
    let (code, _, err) = deploy("rel-c", &["--dispatcher", &two]);
    assert_eq!(code, 0, "{err}");

    let (code, report, err) = deploy("rel-c", &["--dispatcher", &three, "--canary", "25"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (
            &report["canary"]["version"],
            &report["canary"]["percent"],
            &report["live"]
        ),
        (&json!("3"), &json!(25.0), &json!("2")),
        "{report}"
    );
    let canary_deployment = report["canary"]["deploymentId"]
        .as_str()
        .unwrap()
        .to_string();
    // The control plane holds the canary as AWS does (moto, extended).
    let stage = aws(
        dir,
        "apigateway",
        "get_stage",
        json!({"restApiId": api, "stageName": "v1"}),
    );
    let settings = &stage["canarySettings"];
    assert_eq!(
        (
            &settings["percentTraffic"],
            &settings["stageVariableOverrides"]["alias"],
            &settings["deploymentId"]
        ),
        (&json!(25.0), &json!("3"), &json!(canary_deployment)),
        "{stage}"
    );
    assert_ne!(
        stage["deploymentId"],
        json!(canary_deployment),
        "the stage keeps its deployment"
    );
    std::thread::sleep(std::time::Duration::from_millis(1200)); // the gateway's 1 s control-plane cache
    let runs: Vec<(String, String, String)> = (0..2000).map(|_| seen(&url)).collect();
    // Only canary requests see the override, and they run the new code.
    assert!(
        runs.iter()
            .all(|r| *r == ("three".into(), "3".into(), "3".into())
                || *r == ("two".into(), "2".into(), "live".into())),
        "a request mixed the sides"
    );
    let pairs: Vec<(String, String)> = runs
        .iter()
        .map(|(c, v, _)| (c.clone(), v.clone()))
        .collect();
    assert_share(&pairs, "3", 0.25);
    // Canary requests are logged to the stage's /Canary access-log group.
    std::thread::sleep(std::time::Duration::from_millis(3000));
    let logged = aws(
        dir,
        "logs",
        "filter_log_events",
        json!({"logGroupName": "/aws/apigateway/scrud-rel-c/Canary", "limit": 5}),
    );
    assert!(!logged["events"].as_array().unwrap().is_empty(), "{logged}");
    let (code, status, err) = cli(&["--stack", "rel-c", "status"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        status
            .to_string()
            .contains("canary: 25% of the stage to version 3"),
        "{status}"
    );

    // promote: the stage takes the canary's deployment, its share goes to 0.
    let (code, report, err) = cli(&["--stack", "rel-c", "promote"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["live"], "3", "{report}");
    assert!(err.contains("`promote --finish` removes them"), "{err}");
    let stage = aws(
        dir,
        "apigateway",
        "get_stage",
        json!({"restApiId": api, "stageName": "v1"}),
    );
    assert_eq!(stage["deploymentId"], json!(canary_deployment), "{stage}");
    assert_eq!(stage["canarySettings"]["percentTraffic"], 0.0, "{stage}");
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert!((0..30).all(|_| seen(&url).1 == "3"));

    // A canary rolled back: removed, every request on the stage's version.
    let (code, _, err) = deploy("rel-c", &["--dispatcher", &one, "--canary", "50"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = deploy("rel-c", &["--dispatcher", &two]);
    assert_eq!(code, 2, "a canary in progress: {err}");
    let (code, _, err) = cli(&["--stack", "rel-c", "rollback"]);
    assert_eq!(code, 0, "{err}");
    let stage = aws(
        dir,
        "apigateway",
        "get_stage",
        json!({"restApiId": api, "stageName": "v1"}),
    );
    assert!(stage.get("canarySettings").is_none(), "{stage}");
    std::thread::sleep(std::time::Duration::from_millis(1200));
    assert!((0..40).all(|_| seen(&url).1 == "3"));

    let (code, _, err) = cli(&["--stack", "rel-c", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    let groups = aws(
        dir,
        "logs",
        "describe_log_groups",
        json!({"logGroupNamePrefix": "/aws/apigateway/scrud-rel-c"}),
    );
    assert!(
        groups["logGroups"].as_array().unwrap().is_empty(),
        "{groups}"
    );
}
