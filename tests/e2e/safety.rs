//! Safety: no command destroys what it was not asked to, no event reaches a
//! table outside the allow-list. One test (or more) per item of the safety
//! issue, against real local stacks; AWS state checked with boto3, files and
//! processes checked directly.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use common::{aws, bin, local_status, outcome, Stack};
use serde_json::{json, Value};

/// The shared stack, with a table the function is not allowed to touch,
/// holding a secret.
fn stack() -> &'static Stack {
    static SECRET: OnceLock<()> = OnceLock::new();
    let stack = common::shared();
    SECRET.get_or_init(|| {
        aws(
            &stack.state_dir,
            "dynamodb",
            "create_table",
            json!({"TableName": "secret", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                   "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
                   "BillingMode": "PAY_PER_REQUEST"}),
        );
        aws(
            &stack.state_dir,
            "dynamodb",
            "put_item",
            json!({"TableName": "secret", "Item": {"id": {"S": "s1"}, "pin": {"S": "4321"}}}),
        );
    });
    stack
}

fn work_dir() -> PathBuf {
    let dir = stack().state_dir.join("work").join("safety");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = work_dir().join(name);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

fn scan(state_dir: &Path, table: &str) -> Vec<Value> {
    let out = aws(
        state_dir,
        "dynamodb",
        "scan",
        json!({"TableName": table, "ConsistentRead": true}),
    );
    out["Items"].as_array().unwrap().clone()
}

fn seed(args: &[&str]) -> (i32, Value, String) {
    let mut cmd = stack().run("lambda", &["seed"]);
    cmd.args(args).current_dir(work_dir());
    outcome(&mut cmd)
}

// ------------------------------------------------------------------ 1. --dry-run

/// Files under `dir` (but the logs, which the servers keep writing) with size and mtime.
fn files(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            let path = entry.path();
            if path.ends_with("logs") {
                continue;
            }
            let meta = entry.metadata().unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else {
                out.insert(
                    path.display().to_string(),
                    (meta.len(), meta.modified().unwrap()),
                );
            }
        }
    }
    out
}

/// Pids of every process whose command line names `dir`, plus moto and the emulator.
fn processes(dir: &Path) -> BTreeSet<u32> {
    let needle = dir.display().to_string();
    let mut pids: BTreeSet<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(&needle))
                .unwrap_or(false)
        })
        .collect();
    let status = local_status(dir);
    pids.insert(status["moto"]["pid"].as_u64().unwrap() as u32);
    pids.insert(status["lambda"]["pid"].as_u64().unwrap() as u32);
    pids
}

fn aws_snapshot(dir: &Path) -> Value {
    let script = common::repo().join("tests/fixtures/aws_inventory.py");
    let status = local_status(dir);
    let out = std::process::Command::new(status["python"].as_str().unwrap())
        .arg(script)
        .env(
            "AWS_ENDPOINT_URL",
            status["moto"]["endpoint"].as_str().unwrap(),
        )
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .output()
        .unwrap();
    let mut inv: Value = serde_json::from_slice(&out.stdout).unwrap();
    inv["items"] = json!({
        "dtable": scan(dir, "dtable"),
        "t_dry": scan(dir, "t_dry"),
    });
    inv
}

/// Subcommand names listed by `--help` (and `local --help`), to prove the
/// dry-run test covers every one of them.
fn subcommands(dir: &Path, args: &[&str]) -> BTreeSet<String> {
    let out = bin(dir).args(args).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout).to_string();
    help.split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1) // the rest of the "Commands:" line
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn every_subcommand_honours_dry_run() {
    let dir = common::state_dir("dryrun");
    common::start(&dir, &["--table", "t_dry"]);
    let cli = |args: &[&str]| {
        let mut cmd = bin(&dir);
        cmd.args(["--local", "-o", "json"])
            .args(args)
            .current_dir(&dir);
        outcome(&mut cmd)
    };
    let (code, _, err) = cli(&["--stack", "d", "setup", "--table", "dtable"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = cli(&[
        "--stack", "c", "setup", "--table", "dtable", "--auth", "cognito",
    ]);
    assert_eq!(code, 0, "{err}");
    // A weighted release in progress, for promote and rollback to plan.
    let embedded =
        std::fs::read_to_string(common::repo().join("src/dispatcher/lambda_function.py")).unwrap();
    for (n, extra) in [(2, &[][..]), (3, &["--alias-weight", "0.5"][..])] {
        let file = dir.join(format!("v{n}.py"));
        std::fs::write(&file, format!("{embedded}\n# release {n}\n")).unwrap();
        let mut args = vec![
            "--stack",
            "d",
            "deploy",
            "--dispatcher",
            file.to_str().unwrap(),
        ];
        args.extend(extra);
        let (code, report, err) = cli(&args);
        assert_eq!(code, 0, "{err}");
        assert_eq!(report["published"], n.to_string(), "{report} {err}");
    }
    let (code, _, err) = cli(&[
        "--stack",
        "d",
        "create",
        "-t",
        "dtable",
        "--item",
        r#"{"id":"precious","v":1}"#,
    ]);
    assert_eq!(code, 0, "{err}");
    let input = dir.join("in.jsonl");
    std::fs::write(&input, "{\"id\":\"n1\"}\n{\"id\":\"n2\"}\n").unwrap();
    let event = common::repo().join("examples/events/create.json");
    // What the requests above emit (logs, metrics) is flushed within 2 s.
    std::thread::sleep(Duration::from_millis(3500));

    let before = (files(&dir), aws_snapshot(&dir), processes(&dir));
    let runs: Vec<(&str, Vec<&str>)> = vec![
        (
            "create",
            vec![
                "--stack",
                "d",
                "create",
                "-t",
                "dtable",
                "--item",
                r#"{"id":"new"}"#,
            ],
        ),
        (
            "read",
            vec!["--stack", "d", "read", "-t", "dtable", "-k", "id=precious"],
        ),
        (
            "update",
            vec![
                "--stack",
                "d",
                "update",
                "-t",
                "dtable",
                "-k",
                "id=precious",
                "--set",
                "v=2",
            ],
        ),
        (
            "delete",
            vec![
                "--stack",
                "d",
                "delete",
                "-t",
                "dtable",
                "-k",
                "id=precious",
            ],
        ),
        ("list", vec!["--stack", "d", "list", "-t", "dtable"]),
        ("echo", vec!["--stack", "d", "echo", "--payload", "{}"]),
        ("ping", vec!["--stack", "d", "ping", "--count", "3"]),
        ("send", vec!["send", event.to_str().unwrap()]),
        (
            "seed",
            vec![
                "--stack",
                "d",
                "seed",
                "-t",
                "dtable",
                "--file",
                input.to_str().unwrap(),
            ],
        ),
        (
            "setup",
            vec![
                "--stack", "d", "setup", "--table", "dtable", "--table", "extra_t", "--auth",
                "api-key",
            ],
        ),
        ("status", vec!["--stack", "d", "status"]),
        (
            "deploy",
            vec!["--stack", "d", "deploy", "--dispatcher", "v2.py"],
        ),
        ("deploy", vec!["--stack", "d", "deploy"]),
        ("promote", vec!["--stack", "d", "promote"]),
        ("rollback", vec!["--stack", "d", "rollback"]),
        (
            "login",
            vec!["--stack", "c", "login", "--user", "alice", "--create"],
        ),
        ("teardown", vec!["--stack", "d", "teardown", "--yes"]),
        ("teardown", vec!["teardown", "--all", "--yes"]),
        ("local", vec!["local", "up", "--table", "newt"]),
        ("local", vec!["local", "down"]),
        ("local", vec!["local", "status"]),
        ("local", vec!["local", "install"]),
        ("completions", vec!["completions", "bash"]),
        ("doctor", vec!["doctor"]),
        ("logs", vec!["--stack", "d", "logs"]),
        (
            "cors",
            vec![
                "--stack",
                "d",
                "cors",
                "check",
                "--origin",
                "https://app.example.com",
            ],
        ),
        ("metrics", vec!["--stack", "d", "metrics"]),
        (
            "export",
            vec![
                "--stack",
                "d",
                "export",
                "-t",
                "dtable",
                "--file",
                "out.jsonl",
            ],
        ),
        (
            "export",
            vec!["export", "-t", "dtable", "--file", "out.csv", "--direct"],
        ),
        (
            "export",
            vec![
                "export",
                "-t",
                "dtable",
                "--file",
                "out.jsonl",
                "--engine",
                "s3-export",
                "--bucket",
                "scrud-dry",
            ],
        ),
        (
            "seed",
            vec![
                "seed",
                "-t",
                "new_t",
                "--file",
                input.to_str().unwrap(),
                "--engine",
                "s3-import",
                "--bucket",
                "scrud-dry",
                "--key-attr",
                "id:S",
            ],
        ),
    ];
    let mut covered = BTreeSet::new();
    for (name, args) in &runs {
        let mut all = vec!["--dry-run"];
        all.extend(args.iter());
        let (code, out, err) = cli(&all);
        assert_eq!(code, 0, "{args:?} --dry-run: {err} {out}");
        covered.insert(name.to_string());
    }
    // Every subcommand of the CLI is in the list above.
    let listed = subcommands(&dir, &[]);
    assert_eq!(covered, listed, "a subcommand is missing from this test");
    let local: BTreeSet<String> = subcommands(&dir, &["local"]);
    assert_eq!(
        local,
        ["down", "install", "status", "token", "up"]
            .map(String::from)
            .into(),
        "a local subcommand is missing from this test"
    );

    let after = (files(&dir), aws_snapshot(&dir), processes(&dir));
    assert_eq!(before.0, after.0, "files changed");
    assert_eq!(before.1, after.1, "AWS state changed");
    assert_eq!(before.2, after.2, "processes changed");
    assert_eq!(
        after.1["items"]["dtable"],
        json!([{"id": {"S": "precious"}, "v": {"N": "1"}}])
    );

    // Teardown --dry-run lists what it would delete.
    let (_, plan, _) = cli(&["--stack", "d", "--dry-run", "teardown", "--yes"]);
    let kinds: BTreeSet<&str> = plan["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains("table") && kinds.contains("function") && kinds.contains("role"));
}

// ------------------------------------------------------------------ 2. rejects

#[test]
fn rejects_never_destroy_an_existing_path_and_are_owner_only() {
    let input = write("r/input.jsonl", "{\"id\":\"ok\"}\n{\"nokey\":1}\n");
    let other = write("r/precious.txt", "keep me");
    let fifo = work_dir().join("r/fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for target in [&input, &other, &fifo] {
        let (code, _, err) = seed(&[
            "-t",
            "inputs",
            "--file",
            input.to_str().unwrap(),
            "--rejects",
            target.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{target:?}: {err}");
        assert!(err.contains("--rejects"), "{err}");
    }
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        "{\"id\":\"ok\"}\n{\"nokey\":1}\n"
    );
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(
        scan(&stack().state_dir, "inputs")
            .iter()
            .all(|i| i["id"]["S"] != "ok"),
        "nothing was seeded by a refused run"
    );

    // Same basename, different directories: separate default rejects files.
    let a = write("a/data.jsonl", &bad_lines(200, "a"));
    let b = write("b/data.jsonl", &bad_lines(200, "b"));
    let mut files = Vec::new();
    for input in [&a, &b] {
        let (code, summary, err) = seed(&["-t", "inputs", "--file", input.to_str().unwrap()]);
        assert_eq!(code, 7, "{err}");
        assert_eq!(summary["rejected"], 200);
        files.push(PathBuf::from(summary["rejectsFile"].as_str().unwrap()));
    }
    assert_ne!(files[0], files[1]);
    for (file, prefix) in files.iter().zip(["a", "b"]) {
        let text = std::fs::read_to_string(file).unwrap();
        assert_eq!(text.lines().count(), 200, "{file:?}");
        assert!(text.contains(&format!("{prefix}-bad-199")));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "rejects hold record contents: owner-only"
        );
        assert!(
            file.starts_with(&stack().state_dir),
            "beside the checkpoint"
        );
    }
}

fn bad_lines(n: usize, prefix: &str) -> String {
    (0..n)
        .map(|i| format!("{{\"name\":\"{prefix}-bad-{i}\"}}\n"))
        .collect()
}

// ------------------------------------------------------------------ 3. allow-list

#[test]
fn a_table_name_in_the_payload_cannot_reach_another_table() {
    for via in common::VIAS {
        for (op, payload) in [
            ("list", json!({"TableName": "secret"})),
            ("read", json!({"Key": {"id": "s1"}, "TableName": "secret"})),
            (
                "create",
                json!({"Item": {"id": "s1", "pin": "0000"}, "TableName": "secret"}),
            ),
            (
                "delete",
                json!({"Key": {"id": "s1"}, "TableName": "secret"}),
            ),
            (
                "update",
                json!({"Key": {"id": "s1"}, "UpdateExpression": "SET pin = :p",
                       "ExpressionAttributeValues": {":p": "0000"}, "TableName": "secret"}),
            ),
        ] {
            let event = json!({"operation": op, "tableName": "s_users", "payload": payload});
            let file = write(&format!("evil-{op}.json"), &event.to_string());
            let (code, out, err) =
                outcome(&mut stack().run(via, &["send", file.to_str().unwrap()]));
            assert_eq!(code, 5, "{via} {op}: {err}");
            assert!(err.contains("TableName"), "{err}");
            assert!(!out.to_string().contains("4321") && !err.contains("4321"));
        }
    }
    assert_eq!(
        scan(&stack().state_dir, "secret"),
        vec![json!({"id": {"S": "s1"}, "pin": {"S": "4321"}})],
        "the secret table is untouched"
    );
}

// ------------------------------------------------------------------ 4. names -> paths

#[test]
fn names_that_would_become_paths_are_refused() {
    let victim = work_dir().join("victim");
    let input = write("n/in.jsonl", "{\"id\":\"1\"}\n");
    let table = format!("../../{}/x", victim.display());
    let (code, _, err) = seed(&[
        "-t",
        &table,
        "--file",
        input.to_str().unwrap(),
        "--key-attr",
        "id",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a valid table name"), "{err}");
    assert!(!victim.exists());
    let state_parent = stack().state_dir.parent().unwrap().to_path_buf();
    let before: BTreeSet<_> = std::fs::read_dir(&state_parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    let planted = write("planted.json", r#"{"stack":"x"}"#);
    for stack_name in [
        format!("../../../{}", planted.with_extension("").display()),
        "../x".into(),
        "Shop".into(),
    ] {
        let (code, _, err) = outcome(&mut stack().run(
            "lambda",
            &[
                "--stack",
                &stack_name,
                "read",
                "-t",
                "s_users",
                "-k",
                "id=1",
            ],
        ));
        assert_eq!(code, 2, "{stack_name}: {err}");
        assert!(err.contains("stack name"), "{err}");
    }
    let (code, _, err) = outcome(&mut stack().run("lambda", &["--region", "../../x", "ping"]));
    assert_eq!(code, 2, "{err}");
    let after: BTreeSet<_> = std::fs::read_dir(&state_parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(before, after, "nothing created outside the state dir");
}

// ------------------------------------------------------------------ 5. concurrent setup

#[test]
fn concurrent_setups_of_one_stack_make_one_key_and_teardown_finds_every_key() {
    let dir = common::state_dir("race");
    common::start(&dir, &[]);
    let children: Vec<_> = (0..5)
        .map(|_| {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"));
            cmd.env("SERVERLESS_CRUD_STATE_DIR", &dir)
                .env("NO_COLOR", "1")
                .args(["--local", "-o", "json", "--stack", "race", "setup"])
                .args(["--table", "race_t", "--auth", "api-key"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "every setup finishes: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let keys = aws(&dir, "apigateway", "get_api_keys", json!({}));
    let ours: Vec<&Value> = keys["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["name"] == "scrud-race")
        .collect();
    assert_eq!(ours.len(), 1, "one API key: {keys}");

    // A second key of the stack (as an old race left): teardown finds it by tag.
    aws(
        &dir,
        "apigateway",
        "create_api_key",
        json!({"name": "stray", "enabled": true,
               "tags": {"managed-by": "serverless-crud", "serverless-crud:stack": "race"}}),
    );
    let (code, report, err) = outcome(bin(&dir).args([
        "--local", "-o", "json", "--stack", "race", "teardown", "--yes",
    ]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["remaining"], json!([]));
    let keys = aws(&dir, "apigateway", "get_api_keys", json!({}));
    assert_eq!(keys["items"], json!([]), "no key left behind: {keys}");
}

// ------------------------------------------------------------------ 6. setup re-run keeps settings

#[test]
fn rerunning_setup_keeps_the_recorded_auth_and_settings() {
    let dir = &stack().state_dir;
    let cli = |args: &[&str], env: Option<(&str, &str)>| {
        let mut cmd = bin(dir);
        cmd.args(["--local", "-o", "json", "--stack", "keep"])
            .args(args);
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        outcome(&mut cmd)
    };
    let (code, _, err) = cli(
        &[
            "setup", "--table", "keep_t", "--auth", "api-key", "--rate", "7", "--memory", "512",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let method = || {
        let apis = aws(dir, "apigateway", "get_rest_apis", json!({}));
        let id = apis["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == "scrud-keep")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let resources = aws(dir, "apigateway", "get_resources", json!({"restApiId": id}));
        let rid = resources["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["path"] == "/crud")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        aws(
            dir,
            "apigateway",
            "get_method",
            json!({"restApiId": id, "resourceId": rid, "httpMethod": "POST"}),
        )
    };
    // No --auth, then the client's SERVERLESS_CRUD_AUTH: the stack stays api-key.
    for env in [None, Some(("SERVERLESS_CRUD_AUTH", "iam"))] {
        let (code, summary, err) = cli(&["setup"], env);
        assert_eq!(code, 0, "{err}");
        assert_eq!(summary["auth"], "api-key", "{env:?}");
        assert_eq!(method()["apiKeyRequired"], true);
        assert_eq!(method()["authorizationType"], "NONE");
    }
    let function = aws(
        dir,
        "lambda",
        "get_function_configuration",
        json!({"FunctionName": "scrud-keep"}),
    );
    assert_eq!(function["MemorySize"], 512, "--memory kept");
    let plans = aws(dir, "apigateway", "get_usage_plans", json!({}));
    let plan = plans["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "scrud-keep")
        .unwrap()
        .clone();
    assert_eq!(plan["throttle"]["rateLimit"], 7.0, "--rate kept");

    // A switch that fails half-way is not recorded.
    aws(
        dir,
        "dynamodb",
        "create_table",
        json!({"TableName": "clash_t", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
               "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
               "BillingMode": "PAY_PER_REQUEST"}),
    );
    let (code, _, err) = cli(&["setup", "--auth", "iam", "--table", "clash_t"], None);
    assert_ne!(code, 0, "the clash fails: {err}");
    let state: Value = serde_json::from_slice(
        &std::fs::read(dir.join("stacks/local/us-east-1/keep.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(state["auth"], "api-key", "the failed switch was not saved");
    assert_eq!(method()["apiKeyRequired"], true);
    let (code, _, err) = cli(&["teardown", "--yes"], None);
    assert_eq!(code, 0, "{err}");
}

// ------------------------------------------------------------------ 7. numbers

#[test]
fn one_bad_number_rejects_only_its_record() {
    let mut lines: Vec<String> = (0..100)
        .map(|i| format!("{{\"id\":\"n{i}\",\"v\":{i}.5}}"))
        .collect();
    lines[10] = format!("{{\"id\":\"n10\",\"v\":{}}}", "1".repeat(39));
    lines[20] = "{\"id\":\"n20\",\"v\":1e400}".into();
    lines[30] = format!("{{\"id\":\"n30\",\"v\":{}}}", "9".repeat(38)); // the limit: fine
    lines[40] = "{\"id\":\"n40\",\"\":1}".into();
    let file = write("numbers.jsonl", &(lines.join("\n") + "\n"));
    for via in common::VIAS {
        let mut cmd = stack().run(
            via,
            &["seed", "-t", "numbers_t", "--file", file.to_str().unwrap()],
        );
        let (code, summary, err) = outcome(cmd.current_dir(work_dir()));
        assert_eq!(code, 7, "{via}: {err}");
        assert_eq!(
            (summary["written"].clone(), summary["rejected"].clone()),
            (json!(97), json!(3))
        );
        let rejects = std::fs::read_to_string(summary["rejectsFile"].as_str().unwrap()).unwrap();
        assert!(rejects.contains("39 significant digits"), "{rejects}");
        assert!(rejects.contains("outside DynamoDB's range"), "{rejects}");
        assert!(rejects.contains("attribute name is empty"), "{rejects}");
    }
    let item = aws(
        &stack().state_dir,
        "dynamodb",
        "get_item",
        json!({"TableName": "numbers_t", "Key": {"id": {"S": "n30"}}}),
    );
    assert_eq!(item["Item"]["v"]["N"], "9".repeat(38));
    let (code, _, err) = outcome(&mut stack().run(
        "api",
        &[
            "create",
            "-t",
            "numbers_t",
            "--item",
            r#"{"id":"x","v":1e400}"#,
        ],
    ));
    assert_eq!(code, 2, "refused before sending: {err}");
    assert!(err.contains("range"), "{err}");
}

// ------------------------------------------------------------------ 8. duplicate keys

#[test]
fn the_later_line_of_a_duplicate_key_always_wins() {
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!("{{\"id\":\"k{i}\",\"v\":\"early\"}}\n"));
    }
    for i in 0..300 {
        text.push_str(&format!("{{\"id\":\"k{i}\",\"v\":\"late\"}}\n"));
    }
    // Interleaved too: the same key twice in a row.
    for i in 0..50 {
        text.push_str(&format!(
            "{{\"id\":\"j{i}\",\"v\":\"early\"}}\n{{\"id\":\"j{i}\",\"v\":\"late\"}}\n"
        ));
    }
    let file = write("dupes.jsonl", &text);
    // Each round rewrites every key: an earlier line landing last in any
    // round leaves "early" behind.
    for round in 0..3 {
        for via in common::VIAS {
            let mut cmd = stack().run(
                via,
                &[
                    "seed",
                    "-t",
                    "dupes",
                    "--file",
                    file.to_str().unwrap(),
                    "--batch-size",
                    "7",
                    "--concurrency",
                    "8",
                ],
            );
            let (code, summary, err) = outcome(cmd.current_dir(work_dir()));
            assert_eq!(code, 0, "{err}");
            assert_eq!(summary["duplicates"], 350, "{summary}");
            let items = scan(&stack().state_dir, "dupes");
            assert_eq!(items.len(), 350);
            let early: Vec<&Value> = items.iter().filter(|i| i["v"]["S"] != "late").collect();
            assert!(
                early.is_empty(),
                "round {round} via {via}: earlier lines won for {early:?}"
            );
        }
    }
}

// ------------------------------------------------------------------ 9, 10, 14e. input formats

#[test]
fn input_quirks_are_reported_not_fatal() {
    // Text after the closing ]: the elements are written, the text is a reject.
    let file = write(
        "trailing.json",
        "[{\"id\":\"t1\"},{\"id\":\"t2\"}]\n{\"id\":\"t3\"}\n",
    );
    let (code, summary, err) = seed(&["-t", "inputs", "--file", file.to_str().unwrap()]);
    assert_eq!(code, 7, "{err}");
    assert_eq!(
        (summary["written"].clone(), summary["rejected"].clone()),
        (json!(2), json!(1))
    );
    assert!(!err.contains("--resume"), "{err}");

    // A UTF-8 BOM in every format.
    for (name, text) in [
        ("bom.jsonl", "\u{feff}{\"id\":\"b1\"}\n"),
        ("bom.json", "\u{feff}[{\"id\":\"b2\"}]"),
        ("bom.csv", "\u{feff}id,n\nb3,1\n"),
    ] {
        let file = write(name, text);
        let (code, summary, err) = seed(&["-t", "inputs", "--file", file.to_str().unwrap()]);
        assert_eq!(
            (code, summary["written"].clone()),
            (0, json!(1)),
            "{name}: {err}"
        );
    }
    let ids: BTreeSet<String> = scan(&stack().state_dir, "inputs")
        .iter()
        .map(|i| i["id"]["S"].as_str().unwrap().to_string())
        .collect();
    for id in ["t1", "t2", "b1", "b2", "b3"] {
        assert!(ids.contains(id), "{id} in {ids:?}");
    }
    assert!(ids.iter().all(|id| !id.starts_with('\u{feff}')));

    // An object where an array was expected: a usage error, no resume loop.
    let file = write("object.json", "{\"id\":\"o1\"}");
    let (code, _, err) = seed(&["-t", "inputs", "--file", file.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--format jsonl") && !err.contains("--resume"),
        "{err}"
    );
    let (code, _, err) = seed(&["-t", "inputs", "--file", file.to_str().unwrap(), "--resume"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("nothing to resume"), "{err}");

    // CSV header names are literal; an unterminated quote is a reject.
    let file = write("headers.csv", "id,a=b,x:n,time:utc\nh1,xyz,5,12:00\n");
    let (code, _, err) = seed(&["-t", "csv_t", "--file", file.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let item = aws(
        &stack().state_dir,
        "dynamodb",
        "get_item",
        json!({"TableName": "csv_t", "Key": {"id": {"S": "h1"}}}),
    );
    assert_eq!(
        item["Item"],
        json!({"id": {"S": "h1"}, "a=b": {"S": "xyz"}, "x:n": {"S": "5"}, "time:utc": {"S": "12:00"}})
    );
    let file = write("quote.csv", "id,note\nq1,fine\nq2,\"oops\nq3,x\nq4,y\n");
    let (code, summary, err) = seed(&["-t", "csv_t", "--file", file.to_str().unwrap()]);
    assert_eq!(code, 7, "{err}");
    assert_eq!(
        (summary["written"].clone(), summary["rejected"].clone()),
        (json!(1), json!(1))
    );
    let rejects = std::fs::read_to_string(summary["rejectsFile"].as_str().unwrap()).unwrap();
    assert!(rejects.contains("unterminated quoted field"), "{rejects}");
}

// ------------------------------------------------------------------ 11. resume fingerprint

/// Starts a slow seed and interrupts it after `after`; returns its summary.
fn interrupted_seed(args: &[&str], stdin: Option<&Path>, after: Duration) -> Value {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"));
    cmd.env("SERVERLESS_CRUD_STATE_DIR", &stack().state_dir)
        .env("NO_COLOR", "1")
        .current_dir(work_dir())
        .args(["--local", "--via", "lambda", "-o", "json", "seed"])
        .args(args)
        .args(["--concurrency", "1", "--batch-size", "25"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(path) = stdin {
        cmd.stdin(std::fs::File::open(path).unwrap());
    }
    let child = cmd.spawn().unwrap();
    std::thread::sleep(after);
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(8),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn lines(n: usize, prefix: &str) -> String {
    (0..n)
        .map(|i| format!("{{\"id\":\"{prefix}{i:05}\"}}\n"))
        .collect()
}

#[test]
fn resume_refuses_changed_content() {
    let n = 20_000;
    let original = lines(n, "r");
    let file = write("resume.jsonl", &original);
    let path = file.to_str().unwrap().to_string();
    let first = interrupted_seed(
        &["-t", "s_resume", "--file", &path],
        None,
        Duration::from_millis(2000),
    );
    let written = first["written"].as_u64().unwrap();
    assert!(written > 0 && written < n as u64);

    // Same size, same mtime second, other content in the part already read.
    let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
    let edited = original.replacen("r00000", "x00000", 1);
    std::fs::write(&file, &edited).unwrap();
    let f = std::fs::File::options().write(true).open(&file).unwrap();
    f.set_modified(mtime).unwrap();
    let (code, _, err) = seed(&["-t", "s_resume", "--file", &path, "--resume"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("content differs"), "{err}");
    assert_eq!(
        scan(&stack().state_dir, "s_resume").len() as u64,
        written,
        "nothing sent"
    );

    // The original content resumes to exactly the input set.
    std::fs::write(&file, &original).unwrap();
    let (code, summary, err) = seed(&["-t", "s_resume", "--file", &path, "--resume"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["written"], n as u64);
    assert_eq!(scan(&stack().state_dir, "s_resume").len(), n);

    // From stdin: other content is refused, the same content resumes.
    let stdin_file = write("stdin-resume.jsonl", &lines(n, "s"));
    let other = write("stdin-other.jsonl", &lines(n, "o"));
    let args = ["-t", "resume_stdin", "--file", "-", "--format", "jsonl"];
    interrupted_seed(&args, Some(&stdin_file), Duration::from_millis(2000));
    let resume = |input: &Path| {
        let mut cmd = stack().run("lambda", &["seed"]);
        cmd.args(args).arg("--resume").current_dir(work_dir());
        cmd.pipe_stdin(input).unwrap();
        outcome(&mut cmd)
    };
    let before = scan(&stack().state_dir, "resume_stdin").len();
    let (code, _, err) = resume(&other);
    assert_eq!(code, 2, "{err}");
    let items = scan(&stack().state_dir, "resume_stdin");
    assert_eq!(
        items.len(),
        before,
        "nothing from the other input was written"
    );
    let (code, _, err) = resume(&stdin_file);
    assert_eq!(code, 0, "{err}");
    assert_eq!(scan(&stack().state_dir, "resume_stdin").len(), n);
}

// ------------------------------------------------------------------ 12. placeholders

#[test]
fn user_placeholders_are_never_overwritten() {
    let (code, _, err) = outcome(&mut stack().run(
        "api",
        &[
            "create",
            "-t",
            "s_users",
            "--item",
            r#"{"id":"locked1","status":"locked"}"#,
        ],
    ));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = outcome(&mut stack().run(
        "api",
        &[
            "update",
            "-t",
            "s_users",
            "-k",
            "id=locked1",
            "--set",
            "note=hello",
            "--condition",
            "#_1 <> :_1",
            "--names",
            r##"{"#_1":"status"}"##,
            "--values",
            r#"{":_1":"locked"}"#,
        ],
    ));
    assert_eq!(code, 4, "the condition holds the update back: {err}");
    let item = aws(
        &stack().state_dir,
        "dynamodb",
        "get_item",
        json!({"TableName": "s_users", "Key": {"id": {"S": "locked1"}}}),
    );
    assert!(item["Item"].get("note").is_none(), "{item}");
}

// ------------------------------------------------------------------ 13. terminal escapes

#[test]
fn stored_escape_sequences_cannot_drive_the_terminal() {
    let evil = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m";
    let item = json!({"id": "esc1", "note": evil});
    let (code, _, err) = outcome(&mut stack().run(
        "api",
        &["create", "-t", "s_users", "--item", &item.to_string()],
    ));
    assert_eq!(code, 0, "{err}");
    for args in [
        vec!["read", "-t", "s_users", "-k", "id=esc1"],
        vec!["list", "-t", "s_users", "--where", "id=esc1"],
    ] {
        let mut cmd = stack().run("api", &args);
        cmd.args(["-o", "text"]);
        let out = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{9b}'),
            "{text:?}"
        );
        assert!(text.contains("\\u{1b}]0;pwned"), "{text}");
    }
    let (_, json_out, _) =
        outcome(&mut stack().run("api", &["read", "-t", "s_users", "-k", "id=esc1"]));
    assert_eq!(json_out["note"], evil, "JSON stays exact");
}

// ------------------------------------------------------------------ 14. smaller

#[test]
fn a_closed_stderr_does_not_panic() {
    let dir = common::state_dir("closed-stderr");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"));
    cmd.env("SERVERLESS_CRUD_STATE_DIR", &dir)
        .args([
            "local",
            "up",
            "--moto-port",
            "0",
            "--lambda-port",
            "0",
            "--gateway-port",
            "0",
            "--table",
            "closed_t",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(child.stderr.take()); // the reader of stderr is gone
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "not 101 (a panic)");
    assert_eq!(local_status(&dir)["running"], true);
}

#[test]
fn dead_workers_are_reported_and_restarted() {
    let dir = common::state_dir("workers");
    common::start(&dir, &["--table", "w_t", "--workers", "2"]);
    let status = local_status(&dir);
    let pid = find_worker(&dir);
    unsafe { libc::kill(pid as i32, libc::SIGKILL) };
    std::thread::sleep(Duration::from_millis(300));
    let (code, report, err) = outcome(bin(&dir).args(["local", "status", "-o", "json"]));
    assert_eq!(code, 9, "unhealthy: {err}");
    assert_eq!(report["healthy"], false);
    assert!(err.contains("worker"), "{err}");
    let (code, _, err) = outcome(bin(&dir).args(["--local", "-o", "json", "ping"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("restarted"), "{err}");
    let (code, report, _) = outcome(bin(&dir).args(["local", "status", "-o", "json"]));
    assert_eq!(code, 0);
    assert_eq!(report["functions"][0]["workersAlive"], 2);
    assert_eq!(report["moto"]["pid"], status["moto"]["pid"]);
}

#[test]
fn a_dead_gateway_is_restarted_on_its_port_and_nothing_is_lost() {
    let dir = common::state_dir("gwdead");
    common::start(&dir, &["--table", "g_t"]);
    let (code, _, err) = outcome(bin(&dir).args([
        "--local", "-o", "json", "--stack", "g", "setup", "--table", "g_t",
    ]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = outcome(bin(&dir).args([
        "--local",
        "-o",
        "json",
        "--stack",
        "g",
        "create",
        "-t",
        "g_t",
        "--item",
        r#"{"id":"kept"}"#,
    ]));
    assert_eq!(code, 0, "{err}");
    let before = local_status(&dir);
    let kill_gateway = || {
        let pid = local_status(&dir)["gateway"]["pid"].as_u64().unwrap();
        unsafe { libc::kill(pid as i32, libc::SIGKILL) };
        std::thread::sleep(Duration::from_millis(300));
    };
    kill_gateway();
    let (code, report, err) = outcome(bin(&dir).args(["local", "status", "-o", "json"]));
    assert_eq!(code, 9, "unhealthy: {err}");
    assert_eq!(report["gateway"]["alive"], false);
    assert!(
        err.contains("API gateway is not running") && err.contains("local up"),
        "{err}"
    );
    // The next command through the API restarts it, on the same port.
    let (code, item, err) = outcome(bin(&dir).args([
        "--local", "-o", "json", "--stack", "g", "--via", "api", "read", "-t", "g_t", "-k",
        "id=kept",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("API gateway") && err.contains("restarted"),
        "{err}"
    );
    assert_eq!(item["id"], "kept", "moto's data kept");
    let after = local_status(&dir);
    assert_eq!(after["healthy"], true, "{after}");
    assert_eq!(after["gateway"]["endpoint"], before["gateway"]["endpoint"]);
    assert_eq!(after["moto"]["pid"], before["moto"]["pid"]);
    // `local up` restarts it too.
    kill_gateway();
    let (code, _, err) = outcome(bin(&dir).args(["local", "up", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(local_status(&dir)["gateway"]["alive"], true);
}

fn find_worker(dir: &Path) -> u32 {
    let script = dir
        .join("local")
        .join("runtime_worker.py")
        .display()
        .to_string();
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|c| String::from_utf8_lossy(&c).contains(&script))
                .unwrap_or(false)
        })
        .expect("a worker runs")
}

#[test]
fn concurrent_local_ups_keep_every_table() {
    let dir = common::state_dir("ups");
    let children: Vec<_> = ["up_a", "up_b", "up_c"]
        .iter()
        .map(|table| {
            std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"))
                .env("SERVERLESS_CRUD_STATE_DIR", &dir)
                .args([
                    "local",
                    "up",
                    "--moto-port",
                    "0",
                    "--lambda-port",
                    "0",
                    "--gateway-port",
                    "0",
                    "--table",
                    table,
                    "-o",
                    "json",
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let status = local_status(&dir);
    let allowed = status["functions"][0]["allowedTables"]
        .as_str()
        .unwrap()
        .to_string();
    for table in ["up_a", "up_b", "up_c"] {
        assert!(
            allowed.split(',').any(|t| t == table),
            "{table} in {allowed}"
        );
        assert!(status["tables"].as_array().unwrap().contains(&json!(table)));
    }
}
