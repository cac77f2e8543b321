//! Test support: one local stack per test binary, isolated in a temp state
//! dir on free ports, stopped when the binary exits.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use assert_cmd::Command;
use serde_json::Value;

pub struct Stack {
    pub state_dir: PathBuf,
}

static STACKS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

extern "C" fn stop_stacks() {
    for dir in STACKS.lock().map(|s| s.clone()).unwrap_or_default() {
        let _ = std::process::Command::new(env!("CARGO_BIN_EXE_serverless-crud"))
            .args(["local", "down"])
            .env("SERVERLESS_CRUD_STATE_DIR", &dir)
            .output();
        let _ = std::fs::remove_dir_all(&dir);
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh state dir that is cleaned up (stack stopped) at exit.
pub fn state_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "scrud-test-{tag}-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    // Owner-only, as the tool makes its own state dir.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut stacks = STACKS.lock().unwrap();
    if stacks.is_empty() {
        unsafe { libc::atexit(stop_stacks) };
    }
    stacks.push(dir.clone());
    dir
}

/// Unique within this process (counter) and across runs (clock).
fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::{SystemTime, UNIX_EPOCH};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_007;
    format!("{nanos}-{}", COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// The binary with the test's state dir and no stray configuration.
pub fn bin(state_dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("serverless-crud").unwrap();
    cmd.env("SERVERLESS_CRUD_STATE_DIR", state_dir)
        .env("NO_COLOR", "1")
        .env_remove("SERVERLESS_CRUD_ENDPOINT")
        .env_remove("SERVERLESS_CRUD_FUNCTION")
        .env_remove("SERVERLESS_CRUD_TABLE")
        .env_remove("SERVERLESS_CRUD_OUTPUT")
        .env_remove("AWS_PROFILE")
        .timeout(std::time::Duration::from_secs(120));
    cmd
}

/// Starts a local stack with `args` (after `local up`), once per key.
pub fn start(state_dir: &Path, args: &[&str]) {
    let out = bin(state_dir)
        .args([
            "local",
            "up",
            "--moto-port",
            "0",
            "--lambda-port",
            "0",
            "--gateway-port",
            "0",
            "-o",
            "json",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "local up failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Tables of the shared stack's default function (`crud`), by the modules
/// that use them: each module has its own.
const SHARED_TABLES: &[&str] = &[
    // crud_local
    "users",
    "lambda-apigateway",
    "numbers:n:N",
    // lifecycle
    "types_a",
    "types_b",
    "nums",
    "resume_t",
    "dest_t",
    // safety ("secret" is made by boto3, outside the allow-list)
    "s_users",
    "dupes",
    "numbers_t",
    "inputs",
    "s_resume",
    "resume_stdin",
    "csv_t",
    // seed
    "fmt_jsonl",
    "fmt_json",
    "fmt_csv",
    "fmt_stdin",
    "bad_records",
    "resumed",
    "faulty",
    "direct_t",
    "bin_t:pk:B",
    // seed_outages
    "comeback",
];

/// The one local stack the tests share, running our dispatcher.
pub fn shared() -> &'static Stack {
    static STACK: OnceLock<Stack> = OnceLock::new();
    STACK.get_or_init(|| {
        let state_dir = state_dir("shared");
        let mut args = vec!["--workers", "4"];
        for table in SHARED_TABLES {
            args.extend(["--table", table]);
        }
        start(&state_dir, &args);
        Stack { state_dir }
    })
}

/// The shared stack (crud_local's name for it).
pub fn our_stack() -> &'static Stack {
    shared()
}

impl Stack {
    /// `serverless-crud --local --via VIA -o json ARGS...`
    pub fn run(&self, via: &str, args: &[&str]) -> Command {
        let mut cmd = bin(&self.state_dir);
        cmd.args(["--local", "--via", via, "-o", "json"]).args(args);
        cmd
    }
}

/// Runs and returns (exit code, stdout JSON or Null, stderr).
pub fn outcome(cmd: &mut Command) -> (i32, Value, String) {
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// A key no other test uses.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", rand_suffix())
}

pub const VIAS: [&str; 2] = ["api", "lambda"];

/// `local status -o json` of the stack in `state_dir`.
pub fn local_status(state_dir: &Path) -> Value {
    let (_, status, _) = outcome(bin(state_dir).args(["local", "status", "-o", "json"]));
    status
}

/// The local stack's Python (it has boto3) and moto endpoint, read from the
/// stack's state file (no process started for it).
fn python_and_moto(state_dir: &Path) -> (String, String) {
    let path = state_dir.join("local").join("state.json");
    let text = std::fs::read_to_string(&path).expect("a running local stack");
    let state: Value = serde_json::from_str(&text).unwrap();
    let venv = state["venv"].as_str().unwrap();
    (
        format!("{venv}/bin/python"),
        state["moto"]["endpoint"].as_str().unwrap().to_string(),
    )
}

/// Long-lived Pythons running the tests' boto3 scripts
/// (tests/fixtures/boto3_daemon.py): a few, so parallel tests rarely wait.
struct Daemon {
    /// Ends when its stdin closes (the test binary exits).
    _process: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
}

static DAEMONS: OnceLock<Vec<Mutex<Option<Daemon>>>> = OnceLock::new();

fn daemon_run(python: &str, env: Value, argv: &[&str]) -> Value {
    use std::io::{BufRead, Write};
    let pool = DAEMONS.get_or_init(|| (0..3).map(|_| Mutex::new(None)).collect());
    let mut slot = loop {
        if let Some(free) = pool.iter().find_map(|m| m.try_lock().ok()) {
            break free;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let daemon = slot.get_or_insert_with(|| {
        let mut child = std::process::Command::new(python)
            .arg(repo().join("tests/fixtures/boto3_daemon.py"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        Daemon {
            stdin: child.stdin.take().unwrap(),
            stdout: std::io::BufReader::new(child.stdout.take().unwrap()),
            _process: child,
        }
    });
    let request = serde_json::json!({"env": env, "argv": argv});
    writeln!(daemon.stdin, "{request}").unwrap();
    daemon.stdin.flush().unwrap();
    let mut answer = String::new();
    daemon.stdout.read_line(&mut answer).unwrap();
    serde_json::from_str(&answer).expect("the boto3 daemon answered")
}

/// Runs the local stack's Python (it has boto3) with `args` against the
/// moto of `state_dir`; returns stdout.
pub fn boto3(state_dir: &Path, args: &[&str]) -> Vec<u8> {
    let (python, moto) = python_and_moto(state_dir);
    let env = serde_json::json!({
        "AWS_ENDPOINT_URL": moto,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
    });
    let answer = daemon_run(&python, env, args);
    assert_eq!(
        answer["code"],
        0,
        "boto3 {args:?}: {}",
        answer["stderr"].as_str().unwrap_or_default()
    );
    answer["stdout"].as_str().unwrap().as_bytes().to_vec()
}

/// One AWS call made by boto3 (independent of our code) against the local
/// stack of `state_dir`: `aws(dir, "dynamodb", "scan", json!({"TableName": "t"}))`.
pub fn aws(state_dir: &Path, service: &str, operation: &str, params: Value) -> Value {
    let script = repo().join("tests/fixtures/aws_call.py");
    let out = boto3(
        state_dir,
        &[
            script.to_str().unwrap(),
            service,
            operation,
            &params.to_string(),
        ],
    );
    serde_json::from_slice(&out).unwrap()
}

/// Everything in the local AWS of `state_dir`, seen by boto3
/// (tests/fixtures/aws_inventory.py).
pub fn inventory(state_dir: &Path) -> Value {
    let script = repo().join("tests/fixtures/aws_inventory.py");
    serde_json::from_slice(&boto3(state_dir, &[script.to_str().unwrap()])).unwrap()
}

/// Reads one HTTP/1.1 request (head and body) and rewrites it to close the
/// connection after the answer; for the tests' proxies.
pub fn read_request(
    conn: &mut std::io::BufReader<std::net::TcpStream>,
) -> std::io::Result<Vec<u8>> {
    use std::io::{BufRead, Read};
    let mut head = Vec::new();
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if conn.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if line.to_ascii_lowercase().starts_with("connection:") {
            continue;
        }
        if line == "\r\n" {
            head.extend_from_slice(b"connection: close\r\n\r\n");
            break;
        }
        head.extend_from_slice(line.as_bytes());
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body)?;
    head.extend_from_slice(&body);
    Ok(head)
}

/// A plain HTTP/1.1 request (no signing): (status, body).
pub fn http(url: &str, method: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = if path.is_empty() { "/" } else { path };
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {host}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A reply read off the wire (see [`raw_request`]).
#[derive(Debug, Clone)]
pub struct RawReply {
    pub status: u16,
    /// Header lines as received, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawReply {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
}

/// One HTTP/1.1 request with exactly these header lines (names as spelt, in
/// order; `Host` first when not given; `Content-Length` when there is a body
/// and no framing header; a `Transfer-Encoding: chunked` body sent as one
/// chunk). Reads one final reply (skipping 1xx) by its Content-Length, so a
/// kept-alive connection does not hold it.
pub fn raw_request(url: &str, method: &str, headers: &[(String, String)], body: &[u8]) -> RawReply {
    use std::io::Write;
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (host, target) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let target = if target.is_empty() { "/" } else { target };
    let has = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let chunked = headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("transfer-encoding") && v.to_ascii_lowercase().contains("chunked")
    });
    let mut head = format!("{method} {target} HTTP/1.1\r\n");
    if !has("host") {
        head.push_str(&format!("Host: {host}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() && !chunked && !has("content-length") {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut wire = head.into_bytes();
    if chunked {
        if !body.is_empty() {
            wire.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
            wire.extend_from_slice(body);
            wire.extend_from_slice(b"\r\n");
        }
        wire.extend_from_slice(b"0\r\n\r\n");
    } else {
        wire.extend_from_slice(body);
    }
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    stream.write_all(&wire).unwrap();
    let mut reader = std::io::BufReader::new(stream);
    loop {
        let reply = read_reply(&mut reader, method == "HEAD");
        if !(100..200).contains(&reply.status) {
            return reply;
        }
    }
}

fn read_reply(reader: &mut impl std::io::BufRead, head_only: bool) -> RawReply {
    let mut status_line = String::new();
    reader.read_line(&mut status_line).unwrap();
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
            break;
        }
        if let Some((n, v)) = line.trim_end().split_once(':') {
            headers.push((n.to_string(), v.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(n, _): &&(String, String)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; if head_only || status < 200 { 0 } else { length }];
    reader.read_exact(&mut body).unwrap();
    RawReply {
        status,
        headers,
        body,
    }
}
