//! seed against the local stack: every format, bad records, resume after
//! an interrupt, fallback to per-item create, and a faulty network.

use crate::common;

use std::collections::BTreeSet;
use std::io::{BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::time::Duration;

use common::{bin, outcome, Stack};
use serde_json::{json, Value};

fn stack() -> &'static Stack {
    common::shared()
}

fn work_dir() -> PathBuf {
    let dir = stack().state_dir.join("work").join("seed");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = work_dir().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn jsonl(n: usize, prefix: &str) -> String {
    (0..n)
        .map(|i| format!("{{\"id\":\"{prefix}{i}\",\"n\":{i},\"price\":{i}.25}}\n"))
        .collect()
}

/// All ids in `table` (scanned through the dispatcher).
fn ids(table: &str) -> Vec<String> {
    let table = table.split(':').next().unwrap();
    let (code, json, err) = outcome(&mut stack().run("lambda", &["list", "-t", table, "--all"]));
    assert_eq!(code, 0, "{err}");
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn seed(via: &str, args: &[&str]) -> (i32, Value, String) {
    let mut cmd = stack().run(via, &["seed"]);
    cmd.args(args).current_dir(work_dir());
    outcome(&mut cmd)
}

#[test]
fn jsonl_through_the_dispatcher_batch() {
    let file = write("people.jsonl", &jsonl(1200, "p"));
    let (code, summary, err) = seed(
        "api",
        &["-t", "fmt_jsonl", "--file", file.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["written"], 1200);
    assert_eq!(summary["rejected"], 0);
    assert_eq!(summary["backend"], "dispatcher batch");
    assert_eq!(ids("fmt_jsonl").len(), 1200);
    let (_, item, _) =
        outcome(&mut stack().run("api", &["read", "-t", "fmt_jsonl", "--key", "id=p7"]));
    assert_eq!(item, json!({"id": "p7", "n": 7, "price": 7.25}));
}

#[test]
fn json_array_is_streamed() {
    let items: Vec<String> = (0..500)
        .map(|i| format!("  {{\"id\": \"a{i}\", \"tags\": [\"x\", {{\"y\": {i}}}]}}"))
        .collect();
    let file = write("people.json", &format!("[\n{}\n]\n", items.join(",\n")));
    let (code, summary, err) = seed(
        "lambda",
        &["-t", "fmt_json", "--file", file.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        (summary["written"].clone(), summary["format"].clone()),
        (json!(500), json!("json"))
    );
    let (_, item, _) =
        outcome(&mut stack().run("api", &["read", "-t", "fmt_json", "--key", "id=a42"]));
    assert_eq!(item["tags"], json!(["x", {"y": 42}]));
}

#[test]
fn csv_with_quoted_commas_newlines_and_types() {
    let csv = "id,name,age,active,bio\n\
               c1,\"Rivera, Martha\",31,true,\"line one\nline two\"\n\
               c2,Nikki Wolf,,false,\"she said \"\"hi\"\"\"\n\
               c3,Paulo Santos,40,true,\n";
    let file = write("people.csv", csv);
    let (code, summary, err) = seed(
        "api",
        &[
            "-t",
            "fmt_csv",
            "--file",
            file.to_str().unwrap(),
            "--types",
            "age:n,active:bool",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["written"], 3);
    let (_, c1, _) = outcome(&mut stack().run("api", &["read", "-t", "fmt_csv", "--key", "id=c1"]));
    assert_eq!(
        c1,
        json!({"id": "c1", "name": "Rivera, Martha", "age": 31, "active": true, "bio": "line one\nline two"})
    );
    let (_, c2, _) = outcome(&mut stack().run("api", &["read", "-t", "fmt_csv", "--key", "id=c2"]));
    assert_eq!(
        c2,
        json!({"id": "c2", "name": "Nikki Wolf", "active": false, "bio": "she said \"hi\""}),
        "empty cells omitted"
    );
}

#[test]
fn stdin_and_direct() {
    let mut cmd = stack().run(
        "api",
        &[
            "seed",
            "-t",
            "fmt_stdin",
            "--file",
            "-",
            "--format",
            "jsonl",
        ],
    );
    cmd.current_dir(work_dir()).write_stdin(jsonl(300, "s"));
    let (code, summary, err) = outcome(&mut cmd);
    assert_eq!((code, summary["written"].clone()), (0, json!(300)), "{err}");

    let file = write("direct.jsonl", &jsonl(700, "d"));
    let (code, summary, err) = seed(
        "api",
        &[
            "-t",
            "direct_t",
            "--file",
            file.to_str().unwrap(),
            "--direct",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["backend"], "direct BatchWriteItem");
    assert_eq!(summary["written"], 700);
    assert_eq!(ids("direct_t").len(), 700);
    // Binary keys: base64 text in the input, binary in the table.
    let file = write(
        "binary.jsonl",
        "{\"pk\":\"AAEC\",\"v\":1}\n{\"pk\":\"/w==\",\"v\":2}\n",
    );
    let (code, summary, err) = seed(
        "api",
        &["-t", "bin_t", "--file", file.to_str().unwrap(), "--direct"],
    );
    assert_eq!((code, summary["written"].clone()), (0, json!(2)), "{err}");
    let item = common::aws(
        &stack().state_dir,
        "dynamodb",
        "get_item",
        json!({"TableName": "bin_t", "Key": {"pk": {"B": "AAEC"}}}),
    );
    assert_eq!(item["Item"]["v"]["N"], "1", "{item}");
    let unknown = write("nope.txt", "{}\n");
    let (code, _, err) = seed(
        "api",
        &["-t", "fmt_stdin", "--file", unknown.to_str().unwrap()],
    );
    assert_eq!(code, 2, "unknown format: {err}");
    assert!(err.contains("--format"), "{err}");
    // A missing input is the first thing reported (I/O: exit 10).
    let (code, _, err) = seed("api", &["-t", "no-such-table", "--file", "missing.jsonl"]);
    assert_eq!(code, 10, "{err}");
    assert!(err.contains("cannot open missing.jsonl"), "{err}");
}

#[test]
fn bad_records_are_rejected_with_reasons_and_counts_add_up() {
    let big = "x".repeat(410 * 1024);
    let lines = [
        r#"{"id":"ok1","v":1}"#.to_string(),
        r#"{"id":"ok2","v":2.5}"#.to_string(),
        "{not json".to_string(),
        "[1,2,3]".to_string(),
        r#"{"name":"no key"}"#.to_string(),
        r#"{"id":42}"#.to_string(),
        format!(r#"{{"id":"huge","blob":"{big}"}}"#),
        String::new(),
        r#"{"id":"ok3","v":{"nested":true}}"#.to_string(),
    ];
    let file = write("bad.jsonl", &(lines.join("\n") + "\n"));
    for via in ["api", "lambda"] {
        let rejects = work_dir().join(format!("bad-{via}.rejects.jsonl"));
        let (code, summary, err) = seed(
            via,
            &[
                "-t",
                "bad_records",
                "--file",
                file.to_str().unwrap(),
                "--rejects",
                rejects.to_str().unwrap(),
            ],
        );
        assert_eq!(code, 7, "{via}: some rejected: {err}");
        assert_eq!(summary["records"], 8, "the blank line is not a record");
        assert_eq!(summary["written"], 3);
        assert_eq!(summary["rejected"], 5);
        assert!(err.contains("5 of 8 records rejected"), "{err}");
        let entries: Vec<Value> = std::fs::read_to_string(&rejects)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let by_line = |line: u64| {
            entries
                .iter()
                .find(|e| e["line"] == line)
                .unwrap_or_else(|| panic!("line {line}: {entries:?}"))
        };
        assert!(by_line(3)["reason"]
            .as_str()
            .unwrap()
            .starts_with("invalid JSON"));
        assert_eq!(by_line(3)["input"], "{not json");
        assert!(by_line(4)["reason"]
            .as_str()
            .unwrap()
            .contains("not a JSON object"));
        assert_eq!(by_line(5)["reason"], "missing key attribute \"id\"");
        assert!(by_line(6)["reason"]
            .as_str()
            .unwrap()
            .contains("must be a non-empty string"));
        assert!(by_line(7)["reason"].as_str().unwrap().contains("400 KB"));
        assert_eq!(entries.len(), 5);
    }
    let mut stored = ids("bad_records");
    stored.sort();
    assert_eq!(stored, ["ok1", "ok2", "ok3"]);
}

#[test]
fn an_interrupted_seed_resumes_to_exactly_the_input_set() {
    let n = 20_000;
    let file = write("resume.jsonl", &jsonl(n, "r"));
    let mut interrupted = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"));
    interrupted
        .env("SERVERLESS_CRUD_STATE_DIR", &stack().state_dir)
        .env("NO_COLOR", "1")
        .current_dir(work_dir())
        .args([
            "--local",
            "--via",
            "lambda",
            "-o",
            "json",
            "seed",
            "-t",
            "resumed",
            "--file",
            file.to_str().unwrap(),
        ])
        .args(["--concurrency", "1", "--batch-size", "25"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let running = interrupted.spawn().unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    unsafe { libc::kill(running.id() as i32, libc::SIGINT) };
    let out = running.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(8), "interrupted: {err}");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = summary["written"].as_u64().unwrap();
    assert!(first > 0 && first < n as u64, "stopped half-way: {summary}");
    assert_eq!(summary["complete"], false);
    assert!(err.contains("--resume"), "{err}");

    let (code, summary, err) = seed(
        "lambda",
        &[
            "-t",
            "resumed",
            "--file",
            file.to_str().unwrap(),
            "--resume",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["written"], n as u64, "cumulative count: {summary}");
    assert_eq!(summary["records"], n as u64);
    let stored: BTreeSet<String> = ids("resumed").into_iter().collect();
    let expected: BTreeSet<String> = (0..n).map(|i| format!("r{i}")).collect();
    assert_eq!(stored.len(), n);
    assert_eq!(stored, expected);

    let (code, _, err) = seed(
        "lambda",
        &[
            "-t",
            "resumed",
            "--file",
            file.to_str().unwrap(),
            "--resume",
        ],
    );
    assert_eq!(code, 2, "nothing left to resume: {err}");
    assert!(err.contains("nothing to resume"), "{err}");
}

#[test]
fn falls_back_to_create_against_the_tutorial_dispatcher() {
    let state_dir = common::state_dir("seed-tutorial");
    let fixture = common::repo().join("tests/fixtures/tutorial_dispatcher.py");
    common::start(
        &state_dir,
        &[
            "--table",
            "legacy",
            "--dispatcher",
            fixture.to_str().unwrap(),
            "--integration",
            "non-proxy",
        ],
    );
    let legacy = Stack { state_dir };
    let mut text: String = (0..150)
        .map(|i| format!("{{\"id\":\"t{i}\",\"n\":{i}}}\n"))
        .collect();
    text.push_str("{\"id\":\"float\",\"price\":4.5}\n"); // the tutorial code cannot store floats
    let file = write("legacy.jsonl", &text);
    for via in ["api", "lambda"] {
        let rejects = work_dir().join(format!("legacy-{via}.rejects.jsonl"));
        let mut cmd = legacy.run(
            via,
            &[
                "seed",
                "-t",
                "legacy",
                "--file",
                file.to_str().unwrap(),
                "--rejects",
                rejects.to_str().unwrap(),
            ],
        );
        let (code, summary, err) = outcome(cmd.current_dir(work_dir()));
        assert_eq!(code, 7, "{via}: {err}");
        assert_eq!(summary["written"], 150);
        assert_eq!(summary["rejected"], 1);
        assert!(
            summary["backend"]
                .as_str()
                .unwrap()
                .contains("create per item"),
            "{summary}"
        );
        let reject: Value =
            serde_json::from_str(std::fs::read_to_string(&rejects).unwrap().trim()).unwrap();
        assert!(
            reject["reason"]
                .as_str()
                .unwrap()
                .contains("Float types are not supported"),
            "{reject}"
        );
    }
    let (code, json, _) = outcome(&mut legacy.run("lambda", &["list", "-t", "legacy", "--all"]));
    assert_eq!((code, json["items"].as_array().unwrap().len()), (0, 150));
}

#[test]
fn a_faulty_network_loses_and_duplicates_nothing() {
    let n = 5000;
    let (code, status, err) =
        outcome(bin(&stack().state_dir).args(["local", "status", "-o", "json"]));
    assert_eq!(code, 0, "{err} {status}");
    let upstream = status["lambda"]["endpoint"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://")
        .to_string();
    let proxy = FaultyProxy::start(upstream);
    let file = write("faulty.jsonl", &jsonl(n, "f"));
    let endpoint = format!("http://{}/lambda-url/crud/", proxy.addr);
    let mut cmd = bin(&stack().state_dir);
    cmd.current_dir(work_dir()).args([
        "--endpoint",
        &endpoint,
        "--auth",
        "none",
        "-o",
        "json",
        "seed",
        "-t",
        "faulty",
        "--file",
        file.to_str().unwrap(),
        "--batch-size",
        "50",
        "--concurrency",
        "4",
        "--max-attempts",
        "30",
    ]);
    let (code, summary, err) = outcome(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["written"], n as u64);
    assert!(
        summary["retried"].as_u64().unwrap() > 0,
        "faults were injected: {summary}"
    );
    let faults = proxy.faults();
    assert!(faults > 10, "the proxy injected faults: {faults}");
    let (code, json, err) = outcome(&mut stack().run("lambda", &["list", "-t", "faulty", "--all"]));
    assert_eq!(code, 0, "{err}");
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), n, "nothing lost, nothing duplicated");
    let distinct: BTreeSet<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(distinct.len(), n);
    assert_eq!(json["count"], n as u64);
}

/// An HTTP/1.1 proxy on loopback that answers 500 or 429, or drops the
/// connection (before or after forwarding), for a fraction of requests.
struct FaultyProxy {
    addr: String,
    faults: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl FaultyProxy {
    fn start(upstream: String) -> FaultyProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let faults = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = faults.clone();
        std::thread::spawn(move || {
            let mut seed: u64 = 0x2545F4914F6CDD1D;
            for (i, conn) in listener.incoming().enumerate() {
                let Ok(conn) = conn else { continue };
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let roll = seed % 100;
                let (upstream, counter) = (upstream.clone(), counter.clone());
                std::thread::spawn(move || {
                    let _ = handle(conn, &upstream, roll, &counter);
                });
                if i > 1_000_000 {
                    break; // bounded
                }
            }
        });
        FaultyProxy { addr, faults }
    }

    fn faults(&self) -> usize {
        self.faults.load(std::sync::atomic::Ordering::Relaxed)
    }
}

fn handle(
    conn: TcpStream,
    upstream: &str,
    roll: u64,
    faults: &std::sync::atomic::AtomicUsize,
) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let request = common::read_request(&mut reader)?;
    let mut client = conn;
    let fault = || faults.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    match roll {
        0..=9 => {
            fault();
            client.write_all(b"HTTP/1.1 500 Internal Server Error\r\ncontent-length: 21\r\nconnection: close\r\n\r\nInternal Server Error")?;
            return Ok(());
        }
        10..=17 => {
            fault();
            client.write_all(b"HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncontent-length: 31\r\nconnection: close\r\n\r\n{\"message\":\"Too Many Requests\"}")?;
            return Ok(());
        }
        18..=22 => {
            fault();
            return Ok(()); // connection closed, request never forwarded
        }
        _ => {}
    }
    let mut up = TcpStream::connect(upstream)?;
    up.write_all(&request)?;
    let mut response = Vec::new();
    up.read_to_end(&mut response)?;
    if (23..=27).contains(&roll) {
        fault();
        return Ok(()); // the write happened, the reply is lost: a retry must not duplicate
    }
    client.write_all(&response)?;
    Ok(())
}
