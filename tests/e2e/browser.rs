//! The example page (examples/web) in a real headless Chromium (Debian's
//! `chromium`): served from an origin the stack allows, it creates and lists
//! items through the local gateway; the same page from another origin is
//! blocked by the browser's CORS check and creates nothing. The test reads
//! the page's DOM (`--dump-dom`).

use crate::common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;

use common::{bin, outcome, Stack};
use serde_json::Value;

fn stack() -> &'static Stack {
    common::shared()
}

fn cli(args: &[&str]) -> (i32, Value, String) {
    let mut cmd = bin(&stack().state_dir);
    cmd.args(["--local", "-o", "json"]).args(args);
    outcome(&mut cmd)
}

/// Serves examples/web/index.html on loopback (any path); returns the port.
fn serve_page() -> u16 {
    let page = std::fs::read(common::repo().join("examples/web/index.html")).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                page.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&page);
        }
    });
    port
}

fn chromium() -> &'static str {
    let path = "/usr/bin/chromium";
    assert!(
        std::path::Path::new(path).exists(),
        "Debian's chromium is not installed: `apt-get install chromium` (.ci/run does)"
    );
    path
}

/// The DOM of `url` after its scripts ran, as headless Chromium renders it.
fn dump_dom(url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--virtual-time-budget=20000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn the_example_page_works_from_an_allowed_origin_and_is_blocked_from_another() {
    let port = serve_page();
    let allowed = format!("http://127.0.0.1:{port}");
    let (code, summary, err) = cli(&[
        "--stack", "web", "setup", "--table", "web_t", "--routes", "rest", "--auth", "api-key",
        "--cors", &allowed,
    ]);
    assert_eq!(code, 0, "{err}");
    let base = summary["localBaseUrl"].as_str().unwrap().to_string();
    let (_, status, _) = cli(&["--stack", "web", "status", "--show-api-key"]);
    let key = status["apiKey"].as_str().unwrap().to_string();
    let fragment = |create: &str| format!("#base={base}&table=web_t&key={key}&create={create}");

    // From the allowed origin: the page created w1 and lists it.
    let dom = dump_dom(&format!("{allowed}/index.html{}", fragment("w1:Ana")));
    assert!(
        dom.contains(r#"<li data-id="w1">w1: Ana <button>Delete</button></li>"#),
        "{dom}"
    );
    assert!(dom.contains("1 item(s) in web_t"), "{dom}");
    // Create w3 and delete w1 in one visit: only w3 is listed.
    let dom = dump_dom(&format!(
        "{allowed}/index.html{}&delete=w1",
        fragment("w3:Eve")
    ));
    assert!(
        dom.contains(r#"data-id="w3""#) && !dom.contains(r#"data-id="w1""#),
        "{dom}"
    );
    assert!(dom.contains("1 item(s) in web_t"), "{dom}");

    // The same page from another origin (localhost is not 127.0.0.1 to a
    // browser): the preflight gets no Access-Control-Allow-Origin for it.
    let other = format!("http://localhost:{port}");
    let dom = dump_dom(&format!("{other}/index.html{}", fragment("w2:Bob")));
    assert!(dom.contains("blocked by the browser (CORS)"), "{dom}");
    assert!(!dom.contains("data-id="), "nothing listed: {dom}");
    // The preflight failed, so the POST was never sent: w2 does not exist.
    let (code, _, err) = cli(&["--stack", "web", "read", "-t", "web_t", "-k", "id=w2"]);
    assert_eq!(code, 3, "w2 must not exist: {err}");
    let (code, item, err) = cli(&["--stack", "web", "read", "-t", "web_t", "-k", "id=w3"]);
    assert_eq!((code, item["name"].as_str()), (0, Some("Eve")), "{err}");
}
