//! seed against endpoints that are down, refuse, fail, or go away mid-way:
//! it stops in seconds with a checkpoint and exit 6 or 8, writes no record
//! to the rejects file for an outage, and `--resume` ends with exactly the
//! input set (checked with boto3).

use crate::common;

use std::collections::BTreeSet;
use std::io::{BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{aws, bin, local_status, outcome, Stack};
use serde_json::{json, Value};

fn stack() -> &'static Stack {
    common::shared()
}

fn work_dir() -> PathBuf {
    let dir = stack().state_dir.join("work").join("seed_outages");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn input(name: &str, n: usize) -> PathBuf {
    let path = work_dir().join(name);
    let text: String = (0..n)
        .map(|i| format!("{{\"id\":\"{name}-{i}\",\"n\":{i}}}\n"))
        .collect();
    std::fs::write(&path, text).unwrap();
    path
}

/// Seeds `file` to `endpoint` (no auth); returns (exit code, summary, stderr, seconds).
fn seed_to(endpoint: &str, file: &std::path::Path, extra: &[&str]) -> (i32, Value, String, f64) {
    let started = Instant::now();
    let mut cmd = bin(&stack().state_dir);
    cmd.current_dir(work_dir())
        .args([
            "--endpoint",
            endpoint,
            "--auth",
            "none",
            "-o",
            "json",
            "seed",
        ])
        .args([
            "-t",
            "comeback",
            "--file",
            file.to_str().unwrap(),
            "--key-attr",
            "id:S",
        ])
        .args(extra);
    let (code, summary, err) = outcome(&mut cmd);
    (code, summary, err, started.elapsed().as_secs_f64())
}

/// The checks every outage shares: stopped quickly, nothing rejected, a
/// checkpoint to resume from, the resume command named.
fn assert_stopped_cleanly(code: i32, expected: i32, summary: &Value, err: &str, secs: f64) {
    assert_eq!(code, expected, "{err}");
    assert!(secs < 15.0, "stopped in seconds, took {secs:.1}s: {err}");
    assert_eq!(
        summary["rejected"], 0,
        "an outage is not a bad record: {summary}"
    );
    assert!(summary["rejectsFile"].is_null(), "{summary}");
    assert_eq!(summary["complete"], false);
    let checkpoint = summary["checkpoint"].as_str().expect("a checkpoint");
    assert!(std::path::Path::new(checkpoint).exists());
    assert!(err.contains("--resume"), "{err}");
}

/// A server answering every request with `status` and `body`.
fn answering(status: &'static str, body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                while common::read_request(&mut reader).is_ok() {
                    let reply = format!(
                        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if (&conn).write_all(reply.as_bytes()).is_err() {
                        break;
                    }
                }
            });
        }
    });
    format!("http://{addr}/crud")
}

#[test]
fn a_closed_port_stops_the_seed_in_seconds_with_exit_6() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let file = input("closed.jsonl", 2000);
    let (code, summary, err, secs) = seed_to(&format!("http://127.0.0.1:{port}/crud"), &file, &[]);
    assert_stopped_cleanly(code, 6, &summary, &err, secs);
    assert_eq!(summary["written"], 0);
}

#[test]
fn an_endpoint_refusing_everything_stops_at_once_with_exit_6() {
    let endpoint = answering("403 Forbidden", r#"{"message":"Forbidden"}"#);
    let file = input("forbidden.jsonl", 2000);
    let (code, summary, err, secs) = seed_to(&endpoint, &file, &[]);
    assert_stopped_cleanly(code, 6, &summary, &err, secs);
    assert!(secs < 5.0, "a 403 is not retried: {secs:.1}s");
    assert!(err.contains("403"), "{err}");
}

#[test]
fn an_endpoint_failing_everything_stops_with_exit_8() {
    let endpoint = answering("502 Bad Gateway", r#"{"message":"Internal server error"}"#);
    let file = input("badgateway.jsonl", 2000);
    let (code, summary, err, secs) = seed_to(&endpoint, &file, &[]);
    assert_stopped_cleanly(code, 8, &summary, &err, secs);
    assert!(err.contains("502"), "{err}");
}

#[test]
fn an_endpoint_that_goes_away_and_comes_back_loses_nothing() {
    // 60 requests (6,000 records) before the outage, 14,000 after it.
    let n = 20_000;
    let status = local_status(&stack().state_dir);
    let upstream = status["lambda"]["endpoint"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://")
        .to_string();
    let proxy = Proxy::start(upstream);
    let endpoint = format!("http://{}/lambda-url/crud/", proxy.addr);
    let file = input("comeback.jsonl", n);
    // Down after 60 requests (about 6,000 records), while the seed runs.
    proxy.down_after(60);
    let (code, summary, err, _) = seed_to(&endpoint, &file, &["--concurrency", "4"]);
    // Stopped in seconds once the endpoint went away (the seeding before
    // the outage takes as long as the machine's load makes it).
    let since_down = proxy.down_since().expect("the proxy went down").elapsed();
    assert_stopped_cleanly(code, 6, &summary, &err, since_down.as_secs_f64());
    let first = summary["written"].as_u64().unwrap();
    assert!(first > 0 && first < n as u64, "{summary}");

    proxy.up();
    let (code, summary, err, _) = seed_to(&endpoint, &file, &["--concurrency", "4", "--resume"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(summary["written"], n as u64, "{summary}");
    assert_eq!(summary["rejected"], 0);

    let mut ids = BTreeSet::new();
    let mut start: Option<Value> = None;
    loop {
        let mut params = json!({"TableName": "comeback", "ConsistentRead": true});
        if let Some(key) = start.take() {
            params["ExclusiveStartKey"] = key;
        }
        let page = aws(&stack().state_dir, "dynamodb", "scan", params);
        for item in page["Items"].as_array().unwrap() {
            ids.insert(item["id"]["S"].as_str().unwrap().to_string());
        }
        match page.get("LastEvaluatedKey") {
            Some(key) if !key.is_null() => start = Some(key.clone()),
            _ => break,
        }
    }
    let expected: BTreeSet<String> = (0..n).map(|i| format!("comeback.jsonl-{i}")).collect();
    assert_eq!(ids.len(), n);
    assert!(ids == expected, "exactly the input set");
}

/// A forwarding HTTP/1.1 proxy that can go away (its port closed: connection
/// refused) and come back on the same port.
struct Proxy {
    addr: String,
    upstream: String,
    down: Arc<AtomicBool>,
    down_after: Arc<AtomicUsize>,
    forwarded: Arc<AtomicUsize>,
    /// When it went away (the first refused connection after that).
    went_down: Arc<std::sync::Mutex<Option<Instant>>>,
}

impl Proxy {
    fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let proxy = Proxy {
            addr,
            upstream,
            down: Arc::new(AtomicBool::new(false)),
            down_after: Arc::new(AtomicUsize::new(usize::MAX)),
            forwarded: Arc::new(AtomicUsize::new(0)),
            went_down: Arc::default(),
        };
        proxy.serve(listener);
        proxy
    }

    fn serve(&self, listener: TcpListener) {
        listener.set_nonblocking(true).unwrap();
        let (upstream, down, down_after, forwarded) = (
            self.upstream.clone(),
            self.down.clone(),
            self.down_after.clone(),
            self.forwarded.clone(),
        );
        let went_down = self.went_down.clone();
        std::thread::spawn(move || loop {
            if down.load(Ordering::SeqCst) {
                went_down.lock().unwrap().get_or_insert_with(Instant::now);
                return; // the listener is dropped: the port refuses connections
            }
            match listener.accept() {
                Ok((conn, _)) => {
                    conn.set_nonblocking(false).unwrap();
                    let (upstream, down, down_after, forwarded) = (
                        upstream.clone(),
                        down.clone(),
                        down_after.clone(),
                        forwarded.clone(),
                    );
                    std::thread::spawn(move || {
                        let _ = forward(conn, &upstream, &forwarded);
                        if forwarded.load(Ordering::SeqCst) >= down_after.load(Ordering::SeqCst) {
                            down.store(true, Ordering::SeqCst);
                        }
                    });
                }
                Err(_) => std::thread::sleep(Duration::from_millis(2)),
            }
        });
    }

    fn down_after(&self, requests: usize) {
        self.down_after.store(requests, Ordering::SeqCst);
    }

    fn down_since(&self) -> Option<Instant> {
        *self.went_down.lock().unwrap()
    }

    fn up(&self) {
        self.down_after.store(usize::MAX, Ordering::SeqCst);
        // Let the old accept loop notice and drop its listener.
        std::thread::sleep(Duration::from_millis(50));
        self.down.store(false, Ordering::SeqCst);
        let listener = TcpListener::bind(&self.addr).expect("the same port again");
        self.serve(listener);
    }
}

/// Forwards one request per connection (the client reconnects for the next).
fn forward(conn: TcpStream, upstream: &str, forwarded: &AtomicUsize) -> std::io::Result<()> {
    conn.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(conn.try_clone()?);
    let request = common::read_request(&mut reader)?;
    let mut up = TcpStream::connect(upstream)?;
    up.write_all(&request)?;
    let mut response = Vec::new();
    up.read_to_end(&mut response)?;
    forwarded.fetch_add(1, Ordering::SeqCst);
    let mut client = conn;
    client.write_all(&response)?;
    Ok(())
}
