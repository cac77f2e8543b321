//! logs and metrics on the local stack: after known requests, the figures
//! move by exactly those requests; the log lines of every invocation and API
//! request are there, joined by request id, without item contents; `--follow`
//! shows a new invocation within seconds and ends cleanly on SIGINT.

use crate::common;

use std::io::{BufRead, BufReader};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::{bin, outcome, Stack};
use serde_json::Value;

/// The shared stack, with this module's stack `obs` set up once.
fn stack() -> &'static Stack {
    static OBS: OnceLock<()> = OnceLock::new();
    let stack = common::shared();
    OBS.get_or_init(|| {
        let mut cmd = bin(&stack.state_dir);
        cmd.args([
            "--local", "-o", "json", "--stack", "obs", "setup", "--table", "obs_t",
        ]);
        let (code, _, err) = outcome(&mut cmd);
        assert_eq!(code, 0, "{err}");
    });
    stack
}

fn cli(args: &[&str]) -> (i32, Value, String) {
    let mut cmd = bin(&stack().state_dir);
    cmd.args(["--local", "-o", "json", "--stack", "obs"])
        .args(args);
    outcome(&mut cmd)
}

/// The request id `-v` printed.
fn request_id(stderr: &str) -> String {
    stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("request id: "))
        .unwrap_or_else(|| panic!("no request id in {stderr}"))
        .to_string()
}

fn figures() -> Value {
    let (code, m, err) = cli(&["metrics", "--since", "30m"]);
    assert_eq!(code, 0, "{err}");
    m
}

fn n(v: &Value) -> i64 {
    v.as_i64().unwrap_or(0)
}

fn log_lines(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["logs", "--since", "30m"];
    all.extend(args);
    let out = bin(&stack().state_dir)
        .args(["--local", "-o", "json", "--stack", "obs"])
        .args(&all)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The figures once what was emitted so far has been flushed: unchanged
/// over two flush periods and more (one was not enough on a loaded CI
/// machine: setup's smoke-test invocation landed after the first read).
fn settled_figures() -> Value {
    let same = |a: &Value, b: &Value| {
        a["function"]["invocations"] == b["function"]["invocations"]
            && a["api"]["count"] == b["api"]["count"]
    };
    let mut last = figures();
    let mut unchanged = 0;
    loop {
        std::thread::sleep(Duration::from_millis(2500));
        let now = figures();
        unchanged = if same(&last, &now) { unchanged + 1 } else { 0 };
        if unchanged == 2 {
            return now;
        }
        last = now;
    }
}

#[test]
fn figures_move_by_exactly_the_requests_made_and_logs_show_each() {
    let before = settled_figures();
    let (k, m, p) = (3, 2, 4);
    let mut ids = Vec::new();
    for i in 0..k {
        let item = format!(r#"{{"id":"c{i}","secret":"hunter2-{i}"}}"#);
        let (code, _, err) = cli(&[
            "-v", "--via", "api", "create", "-t", "obs_t", "--item", &item,
        ]);
        assert_eq!(code, 0, "{err}");
        ids.push(request_id(&err));
    }
    for i in 0..m {
        let key = format!("id=missing{i}");
        let (code, _, err) = cli(&["-v", "--via", "api", "read", "-t", "obs_t", "-k", &key]);
        assert_eq!(code, 3, "{err}");
        ids.push(request_id(&err));
    }
    for _ in 0..p {
        let (code, _, err) = cli(&["-v", "--via", "lambda", "ping"]);
        assert_eq!(code, 0, "{err}");
        ids.push(request_id(&err));
    }

    // Emitters flush every 2 s: wait until the figures settle (bounded).
    let delta = |after: &Value, path: &[&str]| {
        let get = |v: &Value| path.iter().fold(v.clone(), |v, k| v[*k].clone());
        n(&get(after)) - n(&get(&before))
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    let after = loop {
        let after = figures();
        if delta(&after, &["function", "invocations"]) >= k + m + p
            && delta(&after, &["api", "count"]) >= k + m
            || Instant::now() > deadline
        {
            break after;
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(
        delta(&after, &["function", "invocations"]),
        k + m + p,
        "{after}"
    );
    assert_eq!(delta(&after, &["api", "count"]), k + m, "{after}");
    assert_eq!(delta(&after, &["api", "4xx"]), m, "{after}");
    assert_eq!(delta(&after, &["api", "5xx"]), 0, "{after}");
    assert_eq!(delta(&after, &["operations", "create", "count"]), k);
    assert_eq!(delta(&after, &["operations", "read", "count"]), m);
    assert_eq!(
        delta(&after, &["operations", "read", "errors"]),
        m,
        "missing reads are errors"
    );
    assert_eq!(delta(&after, &["operations", "ping", "count"]), p);
    assert!(after["function"]["durationMs"]["p50"].as_f64().is_some());
    assert!(!after["series"].as_array().unwrap().is_empty());

    // Every invocation: START, END, REPORT; every API request: an API line.
    std::thread::sleep(Duration::from_millis(2500));
    let lines = log_lines(&[]);
    for id in &ids {
        let of = |prefix: &str| {
            lines
                .iter()
                .filter(|l| {
                    l["requestId"] == id.as_str()
                        && l["message"].as_str().unwrap().starts_with(prefix)
                })
                .count()
        };
        assert_eq!((of("START"), of("END"), of("REPORT")), (1, 1, 1), "{id}");
        for l in lines.iter().filter(|l| l["requestId"] == id.as_str()) {
            for field in ["timestamp", "source", "logGroup", "requestId", "message"] {
                assert!(l.get(field).is_some(), "{l}");
            }
        }
    }
    for id in &ids[..(k + m) as usize] {
        let api = lines
            .iter()
            .filter(|l| l["source"] == "api" && l["requestId"] == id.as_str())
            .count();
        assert_eq!(api, 1, "an API line for {id}");
    }
    let text: String = lines
        .iter()
        .map(|l| l["message"].as_str().unwrap())
        .collect();
    assert!(
        !text.contains("hunter2"),
        "no item contents in any log line"
    );

    // One request's lines only: START … REPORT, the dispatcher's line, the API line.
    let one = log_lines(&["--request-id", &ids[0]]);
    assert_eq!(one.len(), 5, "{one:?}");
    assert!(one.iter().all(|l| l["requestId"] == ids[0].as_str()));
    assert_eq!(one.iter().filter(|l| l["source"] == "api").count(), 1);
    // The filter and the source select too.
    let errors = log_lines(&["--filter", "ItemNotFound", "--source", "function"]);
    assert_eq!(errors.len() as i64, m, "{errors:?}");
}

#[test]
fn follow_shows_a_new_invocation_within_seconds_and_stops_on_sigint() {
    // A stack of its own: its invocations do not move the other test's figures.
    let mut cmd = bin(&stack().state_dir);
    cmd.args([
        "--local",
        "-o",
        "json",
        "--stack",
        "obs-follow",
        "setup",
        "--table",
        "obs_f",
    ]);
    let (code, _, err) = outcome(&mut cmd);
    assert_eq!(code, 0, "{err}");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"))
        .env("SERVERLESS_CRUD_STATE_DIR", &stack().state_dir)
        .args([
            "--local",
            "-o",
            "json",
            "--stack",
            "obs-follow",
            "logs",
            "--follow",
            "--since",
            "1s",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    std::thread::sleep(Duration::from_millis(1000));
    let mut ping = bin(&stack().state_dir);
    ping.args([
        "--local",
        "-o",
        "json",
        "--stack",
        "obs-follow",
        "-v",
        "--via",
        "lambda",
        "ping",
    ]);
    let (code, _, err) = outcome(&mut ping);
    assert_eq!(code, 0, "{err}");
    let id = request_id(&err);
    let started = Instant::now();
    let mut seen = false;
    while started.elapsed() < Duration::from_secs(10) {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(200)) {
            let v: Value = serde_json::from_str(&line).unwrap();
            if v["requestId"] == id.as_str() && v["message"].as_str().unwrap().starts_with("START")
            {
                seen = true;
                break;
            }
        }
    }
    assert!(seen, "the new invocation showed up within seconds");
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "Ctrl-C ends it cleanly");
}

#[test]
fn follow_stops_when_the_stacks_log_groups_are_gone() {
    let run = |args: &[&str]| {
        let mut cmd = bin(&stack().state_dir);
        cmd.args(["--local", "-o", "json", "--stack", "obs-gone"])
            .args(args);
        outcome(&mut cmd)
    };
    let (code, _, err) = run(&["setup", "--table", "obs_g"]);
    assert_eq!(code, 0, "{err}");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"))
        .env("SERVERLESS_CRUD_STATE_DIR", &stack().state_dir)
        .args([
            "--local", "-o", "json", "--stack", "obs-gone", "logs", "--follow",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let (code, _, err) = run(&["teardown", "--yes", "--no-backup"]);
    assert_eq!(code, 0, "{err}");
    let started = Instant::now();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("log groups are gone"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "within seconds"
    );
}
