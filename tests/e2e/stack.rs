//! setup / status / teardown against the local stack (moto), checked
//! independently with boto3 (tests/fixtures/aws_inventory.py).

use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{bin, outcome, Stack};
use serde_json::{json, Value};

fn stack() -> &'static Stack {
    common::shared()
}

fn cli(args: &[&str]) -> (i32, Value, String) {
    let mut cmd = bin(&stack().state_dir);
    cmd.args(["--local", "-o", "json"]).args(args);
    outcome(&mut cmd)
}

/// Everything in the shared local AWS, seen by boto3.
fn inventory() -> Value {
    inventory_of(&stack().state_dir)
}

fn inventory_of(state_dir: &Path) -> Value {
    common::inventory(state_dir)
}

fn boto3(state_dir: &Path, args: &[&str]) -> Vec<u8> {
    common::boto3(state_dir, args)
}

/// Asserts that nothing of `stack` is left, by boto3's account.
fn assert_nothing_left(stack: &str, tables: &[&str]) {
    assert_nothing_left_in(&inventory(), stack, tables);
}

fn assert_nothing_left_in(inv: &Value, stack: &str, tables: &[&str]) {
    let name = format!("scrud-{stack}");
    let text = inv.to_string();
    for table in tables {
        assert!(
            !inv["tables"].as_array().unwrap().contains(&json!(table)),
            "table {table} left: {text}"
        );
    }
    assert!(
        !inv["roles"]
            .as_object()
            .unwrap()
            .keys()
            .any(|r| r.starts_with(&format!("{name}-"))),
        "role left: {text}"
    );
    assert!(
        !inv["functions"].as_object().unwrap().contains_key(&name),
        "function left: {text}"
    );
    assert!(
        !inv["logGroups"]
            .as_array()
            .unwrap()
            .contains(&json!(format!("/aws/lambda/{name}"))),
        "log group left: {text}"
    );
    assert!(
        !inv["logGroups"]
            .as_array()
            .unwrap()
            .contains(&json!(format!("/aws/apigateway/{name}"))),
        "access-log group left: {text}"
    );
    assert!(
        !inv["restApis"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["name"] == name),
        "REST API left: {text}"
    );
    assert!(
        !inv["usagePlans"].as_array().unwrap().contains(&json!(name)),
        "usage plan left: {text}"
    );
    assert!(
        !inv["apiKeys"].as_array().unwrap().contains(&json!(name)),
        "API key left: {text}"
    );
}

fn count_named(list: &Value, name: &str) -> usize {
    list.as_array()
        .unwrap()
        .iter()
        .filter(|v| *v == name || v["name"] == name)
        .count()
}

#[test]
fn setup_status_crud_teardown_leaves_nothing() {
    let (code, summary, err) = cli(&[
        "--stack",
        "shop",
        "setup",
        "--table",
        "shop_users",
        "--table",
        "shop_orders:orderId:S",
        "--auth",
        "api-key",
        "--rate",
        "5",
        "--burst",
        "10",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(summary["invokeUrl"]
        .as_str()
        .unwrap()
        .ends_with(".execute-api.us-east-1.amazonaws.com/v1/crud"));
    assert_eq!(summary["auth"], "api-key");
    let state_file = stack().state_dir.join("stacks/local/us-east-1/shop.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&state_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "state file is owner-only");
    }
    let key: String = serde_json::from_slice::<Value>(&std::fs::read(&state_file).unwrap())
        .unwrap()["api_key_value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        !err.contains(&key),
        "the API key value is never printed unasked"
    );

    // The policy, read back independently: only the stack's tables, only the needed actions.
    let inv = inventory();
    let policy = &inv["roles"]["scrud-shop-us-east-1"]["dispatcher-access"];
    let statement = &policy["Statement"][0];
    let mut resources: Vec<&str> = statement["Resource"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    resources.sort();
    assert_eq!(
        resources,
        [
            "arn:aws:dynamodb:us-east-1:123456789012:table/shop_orders",
            "arn:aws:dynamodb:us-east-1:123456789012:table/shop_users"
        ]
    );
    let mut actions: Vec<&str> = statement["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    actions.sort();
    assert_eq!(
        actions,
        [
            "dynamodb:BatchWriteItem",
            "dynamodb:DeleteItem",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Scan",
            "dynamodb:UpdateItem"
        ]
    );
    assert_eq!(
        policy["Statement"][1]["Resource"],
        json!(["arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/scrud-shop:*"])
    );
    assert!(!policy.to_string().contains("\"*\""));
    assert_eq!(
        inv["functions"]["scrud-shop"]["env"]["ALLOWED_TABLES"],
        "shop_users,shop_orders"
    );
    assert_eq!(
        inv["functions"]["scrud-shop"]["permissions"],
        json!(["serverless-crud-apigateway"])
    );
    assert_eq!(count_named(&inv["usagePlans"], "scrud-shop"), 1);

    let (code, status, err) = cli(&["--stack", "shop", "status"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(status["healthy"], true);
    assert_eq!(status["ping"]["api"]["ok"], true);
    assert_eq!(status["ping"]["lambda"]["ok"], true);
    assert_eq!(status["apiKey"], Value::Null, "key hidden by default");
    let (_, shown, _) = cli(&["--stack", "shop", "status", "--show-api-key"]);
    assert_eq!(shown["apiKey"], json!(key));

    // CRUD through the stack's endpoint and function.
    for via in ["api", "lambda"] {
        let item = format!(r#"{{"id":"{via}","n":1}}"#);
        let (code, _, err) = cli(&[
            "--stack",
            "shop",
            "--via",
            via,
            "create",
            "-t",
            "shop_users",
            "--item",
            &item,
        ]);
        assert_eq!(code, 0, "{via}: {err}");
        let (code, got, _) = cli(&[
            "--stack",
            "shop",
            "--via",
            via,
            "read",
            "-t",
            "shop_users",
            "--key",
            &format!("id={via}"),
        ]);
        assert_eq!((code, got), (0, json!({"id": via, "n": 1})));
        let (code, _, err) = cli(&[
            "--stack",
            "shop",
            "--via",
            via,
            "create",
            "-t",
            "not_in_stack",
            "--item",
            r#"{"id":"1"}"#,
        ]);
        assert_eq!(
            code, 5,
            "{via}: the function only serves the stack's tables: {err}"
        );
    }

    let (code, _, err) = cli(&["--stack", "shop", "teardown"]);
    assert_eq!(code, 2, "no terminal, no --yes: refused: {err}");
    assert!(err.contains("pass --yes"), "{err}");
    assert!(
        inventory()["functions"]
            .as_object()
            .unwrap()
            .contains_key("scrud-shop"),
        "nothing deleted"
    );

    let (code, report, err) = cli(&["--stack", "shop", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["remaining"], json!([]));
    let kinds: Vec<&str> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "usage plan",
            "API key",
            "REST API",
            "function",
            "log group",
            "access-log group",
            "role",
            "table",
            "table"
        ],
        "dependency order"
    );
    assert_nothing_left("shop", &["shop_users", "shop_orders"]);
    assert!(!state_file.exists(), "state file removed");

    let (code, report, _) = cli(&["--stack", "shop", "teardown", "--yes"]);
    assert_eq!(code, 0, "second teardown is a clean no-op");
    assert_eq!(report["remaining"], json!([]));
    let (code, _, _) = cli(&["--stack", "shop", "status"]);
    assert_eq!(code, 3, "status of a removed stack: not found");
}

#[test]
fn setup_twice_changes_nothing_and_adds_new_tables() {
    let args = ["--stack", "twice", "setup", "--table", "twice_a"];
    let (code, first, err) = cli(&args);
    assert_eq!(code, 0, "{err}");
    let (code, second, err) = cli(&args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(first["restApiId"], second["restApiId"]);
    assert!(
        err.contains("function scrud-twice (python3.12, 256 MB): up to date"),
        "{err}"
    );
    assert!(
        err.contains("REST API scrud-twice POST /crud, stage v1, auth iam: up to date"),
        "{err}"
    );
    // A new table: added, allowed, policy updated; still one of everything.
    let (code, _, err) = cli(&["--stack", "twice", "setup", "--table", "twice_b"]);
    assert_eq!(code, 0, "{err}");
    let inv = inventory();
    assert_eq!(count_named(&inv["restApis"], "scrud-twice"), 1);
    assert_eq!(
        inv["roles"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|r| r.starts_with("scrud-twice-"))
            .count(),
        1
    );
    assert_eq!(
        inv["functions"]["scrud-twice"]["env"]["ALLOWED_TABLES"],
        "twice_a,twice_b"
    );
    assert_eq!(
        inv["functions"]["scrud-twice"]["permissions"],
        json!(["serverless-crud-apigateway"])
    );
    assert_eq!(
        inv["roles"]["scrud-twice-us-east-1"]["dispatcher-access"]["Statement"][0]["Resource"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let (code, _, err) = cli(&[
        "--stack",
        "twice",
        "create",
        "-t",
        "twice_b",
        "--item",
        r#"{"id":"1"}"#,
    ]);
    assert_eq!(code, 0, "the new table is served: {err}");
    let (code, _, err) = cli(&["--stack", "twice", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    assert_nothing_left("twice", &["twice_a", "twice_b"]);
}

#[test]
fn teardown_finds_everything_after_the_state_file_is_lost() {
    let (code, _, err) = cli(&[
        "--stack", "lost", "setup", "--table", "lost_t", "--auth", "api-key",
    ]);
    assert_eq!(code, 0, "{err}");
    std::fs::remove_file(stack().state_dir.join("stacks/local/us-east-1/lost.json")).unwrap();
    let (code, report, err) = cli(&["--stack", "lost", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        report["resources"].as_array().unwrap().len(),
        8,
        "plan, key, api, function, log group, access-log group, role, table: {report}"
    );
    assert_nothing_left("lost", &["lost_t"]);
}

#[test]
fn teardown_after_a_resource_was_deleted_by_hand_and_status_shows_the_drift() {
    let (code, _, err) = cli(&["--stack", "hand", "setup", "--table", "hand_t"]);
    assert_eq!(code, 0, "{err}");
    // Delete the log group behind the tool's back (boto3).
    let script = "import boto3\nboto3.client('logs', region_name='us-east-1').delete_log_group(logGroupName='/aws/lambda/scrud-hand')\n";
    boto3(&stack().state_dir, &["-c", script]);
    let (code, report, err) = cli(&["--stack", "hand", "status"]);
    assert_eq!(code, 9, "drift is reported: {err}");
    let log = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "log group")
        .unwrap();
    assert_eq!(log["drift"], "deleted outside serverless-crud");
    assert!(report["fix"]
        .as_str()
        .unwrap()
        .contains("--stack hand setup --table hand_t:id:S"));

    let (code, report, err) = cli(&["--stack", "hand", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        report["resources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["kind"] != "log group"),
        "already absent: not listed: {report}"
    );
    assert_nothing_left("hand", &["hand_t"]);
}

#[test]
fn teardown_all_sweeps_three_stacks() {
    // Its own local AWS: --all sweeps every stack there, other tests' too.
    let own = common::state_dir("sweep");
    common::start(&own, &[]);
    let run = |args: &[&str]| {
        let mut cmd = bin(&own);
        cmd.args(["--local", "-o", "json"]).args(args);
        outcome(&mut cmd)
    };
    for name in ["sweep-a", "sweep-b", "sweep-c"] {
        let table = format!("{}_t", name.replace('-', "_"));
        let (code, _, err) = run(&["--stack", name, "setup", "--table", &table]);
        assert_eq!(code, 0, "{name}: {err}");
    }
    // One state file lost: --all still finds that stack by its tags.
    std::fs::remove_file(own.join("stacks/local/us-east-1/sweep-b.json")).unwrap();
    let (code, report, err) = run(&["teardown", "--all", "--yes", "--api-delete-interval", "1"]);
    assert_eq!(code, 0, "{err}");
    let stacks: std::collections::BTreeSet<&str> = report["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["stack"].as_str().unwrap())
        .collect();
    assert_eq!(
        stacks.into_iter().collect::<Vec<_>>(),
        ["sweep-a", "sweep-b", "sweep-c"]
    );
    assert_eq!(report["remaining"], json!([]));
    assert!(
        err.contains("waiting"),
        "REST API deletions are paced: {err}"
    );
    let inv = inventory_of(&own);
    for name in ["sweep-a", "sweep-b", "sweep-c"] {
        assert_nothing_left_in(&inv, name, &[&format!("{}_t", name.replace('-', "_"))]);
    }
    let (code, report, _) = run(&["teardown", "--all", "--yes"]);
    assert_eq!(code, 0);
    assert!(
        report["resources"].is_null() || report["resources"] == json!([]),
        "nothing left to sweep: {report}"
    );
}

#[test]
fn setup_killed_half_way_then_rerun_finishes_without_duplicates() {
    let state_file = stack().state_dir.join("stacks/local/us-east-1/half.json");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"))
        .env("SERVERLESS_CRUD_STATE_DIR", &stack().state_dir)
        .args([
            "--local", "-o", "json", "--stack", "half", "setup", "--table", "half_a", "--table",
            "half_b", "--table", "half_c",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it as soon as the state shows a table but no role yet.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(state) = read_state(&state_file) {
            if !state["tables"].as_array().unwrap().is_empty() && state["role_arn"].is_null() {
                child.kill().unwrap();
                break;
            }
        }
        assert!(Instant::now() < deadline, "setup never reached the tables");
        std::thread::sleep(Duration::from_millis(1));
    }
    child.wait().unwrap();
    let state = read_state(&state_file).unwrap();
    assert!(
        state["function_arn"].is_null(),
        "killed before the function: {state}"
    );

    let (code, summary, err) = cli(&[
        "--stack", "half", "setup", "--table", "half_a", "--table", "half_b", "--table", "half_c",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["tables"].as_array().unwrap().len(), 3);
    let inv = inventory();
    assert_eq!(count_named(&inv["restApis"], "scrud-half"), 1);
    assert!(inv["functions"]
        .as_object()
        .unwrap()
        .contains_key("scrud-half"));
    let (code, _, err) = cli(&[
        "--stack",
        "half",
        "create",
        "-t",
        "half_c",
        "--item",
        r#"{"id":"1"}"#,
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = cli(&["--stack", "half", "teardown", "--yes"]);
    assert_eq!(code, 0, "{err}");
    assert_nothing_left("half", &["half_a", "half_b", "half_c"]);
}

#[test]
fn setup_refuses_an_open_api_without_acknowledgement_and_dry_run_touches_nothing() {
    let (code, _, err) = cli(&[
        "--stack", "open", "setup", "--table", "open_t", "--auth", "none",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--allow-public"), "{err}");
    let (code, plan, err) = cli(&["--stack", "dry", "--dry-run", "setup", "--table", "dry_t"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(plan["plan"][0]["name"], "dry_t:id:S");
    let inv = inventory();
    assert!(
        !inv["tables"].as_array().unwrap().contains(&json!("dry_t")),
        "dry run created nothing"
    );
    assert!(!inv["functions"]
        .as_object()
        .unwrap()
        .contains_key("scrud-dry"));
}

fn read_state(path: &Path) -> Option<Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

#[test]
fn parallel_setups_all_get_their_function_registered() {
    // Each setup registers its function with the emulator: concurrent
    // registrations must not overwrite each other.
    let own = common::state_dir("parallel");
    common::start(&own, &[]);
    let names = ["par-a", "par-b", "par-c", "par-d"];
    let handles: Vec<_> = names
        .iter()
        .map(|name| {
            let own = own.clone();
            let table = format!("{}_t", name.replace('-', "_"));
            let name = name.to_string();
            std::thread::spawn(move || {
                let mut cmd = bin(&own);
                cmd.args([
                    "--local", "-o", "json", "--stack", &name, "setup", "--table", &table,
                ]);
                outcome(&mut cmd)
            })
        })
        .collect();
    for h in handles {
        let (code, _, err) = h.join().unwrap();
        assert_eq!(code, 0, "{err}");
    }
    let (_, local, _) = outcome(bin(&own).args(["local", "status", "-o", "json"]));
    let functions: Vec<&str> = local["functions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for name in names {
        assert!(
            functions.contains(&format!("scrud-{name}").as_str()),
            "{name} registered: {functions:?}"
        );
        for via in ["api", "lambda"] {
            let mut cmd = bin(&own);
            cmd.args([
                "--local", "-o", "json", "--stack", name, "--via", via, "ping",
            ]);
            let (code, _, err) = outcome(&mut cmd);
            assert_eq!(code, 0, "{name} via {via}: {err}");
        }
    }
}
