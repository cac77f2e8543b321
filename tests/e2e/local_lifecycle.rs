//! `local up | status | down`: idempotence, exact process ownership, clear
//! errors for a busy port and a missing Python.

use crate::common;

use common::{bin, outcome};

fn pids(status: &serde_json::Value) -> Vec<u32> {
    let mut pids = vec![
        status["moto"]["pid"].as_u64().unwrap() as u32,
        status["lambda"]["pid"].as_u64().unwrap() as u32,
        status["gateway"]["pid"].as_u64().unwrap() as u32,
    ];
    assert!(pids.iter().all(|p| *p > 0));
    pids.sort();
    pids
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            !s.rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('Z')
        })
        .unwrap_or(false)
}

#[test]
fn up_twice_is_harmless_and_down_stops_exactly_what_up_started() {
    let dir = common::state_dir("lifecycle");
    common::start(&dir, &["--table", "first"]);
    let (code, first, _) = outcome(bin(&dir).args(["local", "status", "-o", "json"]));
    assert_eq!(code, 0);
    assert_eq!(first["running"], true);
    assert!(first["moto"]["endpoint"]
        .as_str()
        .unwrap()
        .starts_with("http://127.0.0.1:"));
    assert_eq!(first["env"]["AWS_ENDPOINT_URL"], first["moto"]["endpoint"]);
    assert_eq!(first["functions"][0]["allowedTables"], "first");

    // Again, with one more table: same processes, table added to the allow-list.
    let (code, second, err) =
        outcome(bin(&dir).args(["local", "up", "--table", "second", "-o", "json"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("already running"), "{err}");
    assert_eq!(pids(&first), pids(&second));
    assert_eq!(second["functions"][0]["allowedTables"], "first,second");
    let tables = second["tables"].as_array().unwrap();
    assert!(tables.contains(&"first".into()) && tables.contains(&"second".into()));
    let (code, _, err) = outcome(bin(&dir).args([
        "--local",
        "-o",
        "json",
        "create",
        "-t",
        "second",
        "--item",
        r#"{"id":"1"}"#,
    ]));
    assert_eq!(code, 0, "the new table is served: {err}");

    let all = pids(&second);
    let (code, down, _) = outcome(bin(&dir).args(["local", "down", "-o", "json"]));
    assert_eq!(code, 0);
    let stopped: Vec<u32> = down["stopped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["outcome"] == "stopped")
        .map(|p| p["pid"].as_u64().unwrap() as u32)
        .collect();
    for pid in &all {
        assert!(stopped.contains(pid), "{pid} was stopped: {down}");
        assert!(!alive(*pid), "{pid} is gone");
    }
    // Workers were stopped too, and nothing else was reported.
    assert_eq!(
        stopped.len(),
        all.len() + 2,
        "moto, emulator, gateway and 2 workers: {down}"
    );

    let (code, status, _) = outcome(bin(&dir).args(["local", "status", "-o", "json"]));
    assert_eq!((code, status["running"].clone()), (0, false.into()));
    let (code, _, err) = outcome(bin(&dir).args(["--local", "-o", "json", "ping"]));
    assert_eq!(
        code, 6,
        "no stack: a transport error with the way out: {err}"
    );
    assert!(err.contains("local up"), "{err}");
    let (code, _, _) = outcome(bin(&dir).args(["local", "down"]));
    assert_eq!(code, 0, "down twice is harmless");
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let dir = common::state_dir("busy");
    let (code, _, err) = outcome(bin(&dir).args([
        "local",
        "up",
        "--moto-port",
        &port,
        "--lambda-port",
        "0",
        "--gateway-port",
        "0",
    ]));
    assert_eq!(code, 10, "an environment failure");
    assert!(
        err.contains(&format!("port {port} on 127.0.0.1 is not available")),
        "{err}"
    );
    assert!(err.contains("--moto-port"), "{err}");
}

#[test]
fn a_missing_python_is_a_clear_error() {
    let dir = common::state_dir("nopython");
    let cache = dir.join("empty-cache");
    let (code, _, err) = outcome(
        bin(&dir)
            .env("SERVERLESS_CRUD_CACHE_DIR", &cache)
            .env("SERVERLESS_CRUD_PYTHON", "/nonexistent/python3")
            .args([
                "local",
                "up",
                "--moto-port",
                "0",
                "--lambda-port",
                "0",
                "--gateway-port",
                "0",
            ]),
    );
    assert_eq!(code, 10, "an environment failure");
    assert!(
        err.contains("cannot run `/nonexistent/python3`") && err.contains("Python 3.9+"),
        "{err}"
    );
}

#[test]
fn down_also_stops_a_worker_whose_record_was_lost() {
    let dir = common::state_dir("lostworker");
    common::start(&dir, &[]);
    let path = dir.join("local/state.json");
    let mut state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let workers = state["functions"][0]["workers"].as_array_mut().unwrap();
    let lost = workers.remove(0).as_u64().unwrap() as u32;
    std::fs::write(&path, serde_json::to_vec(&state).unwrap()).unwrap();
    assert!(alive(lost));

    let (code, down, _) = outcome(bin(&dir).args(["local", "down", "-o", "json"]));
    assert_eq!(code, 0);
    let entry = down["stopped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pid"] == lost)
        .cloned();
    assert_eq!(
        entry.unwrap_or_default()["process"],
        "unrecorded worker",
        "{down}"
    );
    assert!(!alive(lost), "the worker is gone");
}

#[test]
fn the_runtime_worker_reports_the_real_remaining_time() {
    let dir = common::state_dir("remaining");
    let fixture = common::repo().join("tests/fixtures/remaining_time.py");
    common::start(&dir, &["--dispatcher", fixture.to_str().unwrap()]);
    let (code, reply, err) = outcome(bin(&dir).args([
        "--local",
        "--via",
        "lambda",
        "-o",
        "json",
        "echo",
        "--payload",
        "{}",
    ]));
    assert_eq!(code, 0, "{err}");
    let remaining = reply["remaining"].as_u64().unwrap();
    // The function's timeout is 30 s: the emulator's constant header
    // (600000) is not a deadline.
    assert!(
        (20_000..=30_000).contains(&remaining),
        "remaining {remaining} ms"
    );
    assert!(!reply["requestId"].as_str().unwrap().is_empty());
}
