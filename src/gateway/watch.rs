//! A runtime worker that dies mid-invocation (killed, out of memory) would
//! leave its invocation hanging in the Lambda emulator until the caller's
//! timeout (29 s, then 504). Lambda answers at once: the invocation fails
//! with `Runtime.ExitError` (and API Gateway, seeing a function error,
//! answers 502 "Internal server error"). So each worker records the
//! invocation it runs in a busy file (`functions/NAME/busy/PID`, see
//! `runtime_worker.py`; empty while idle), and this watcher, every [`EVERY`], fails the
//! invocation of any worker that is gone at the emulator's Runtime API, as
//! Lambda's runtime would: the emulator then answers whoever waits — the
//! gateway (502 at once) or a direct Invoke (`Runtime.ExitError`).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::local::process;

/// How often busy files are checked.
pub const EVERY: Duration = Duration::from_millis(200);

/// What a worker records before it runs the handler.
#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Busy {
    /// The request id the function sees (`context.aws_request_id`).
    pub request_id: String,
    /// The emulator's id of the invocation (`Lambda-Runtime-Aws-Request-Id`).
    pub invocation_id: String,
    /// `host:port/.rt/ROUTE`, the worker's `AWS_LAMBDA_RUNTIME_API`.
    pub runtime_api: String,
}

/// What Lambda reports for a runtime that exited mid-invocation. A worker
/// reports its own exits (`sys.exit`: "exit status N"); one that died
/// without a word was killed (SIGKILL: the OOM killer, `kill -9`), which
/// Lambda reports as below (aws-behaviours research §4:
/// doug-macleod/Pipe-1Dev#18; the same envelope in LocalStack's validated
/// test_lambda.snapshot.json runtime-exit cases).
pub fn exit_error(request_id: &str) -> String {
    serde_json::json!({
        "errorType": "Runtime.ExitError",
        "errorMessage": format!("RequestId: {request_id} Error: Runtime exited with error: signal: killed"),
    })
    .to_string()
}

/// The busy files of workers that are gone: (file, pid).
pub fn orphans(functions: &Path) -> Vec<(PathBuf, u32)> {
    let Ok(dirs) = std::fs::read_dir(functions) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for dir in dirs.flatten() {
        let Ok(files) = std::fs::read_dir(dir.path().join("busy")) else {
            continue;
        };
        for file in files.flatten() {
            let name = file.file_name();
            let Some(pid) = name.to_str().and_then(|n| n.parse::<u32>().ok()) else {
                continue; // not a worker's
            };
            if !process::is_ours(pid, "runtime_worker.py") {
                found.push((file.path(), pid));
            }
        }
    }
    found
}

/// Watches the workers under `functions` until the gateway stops.
pub async fn watch_workers(functions: PathBuf) {
    let http = reqwest::Client::new();
    loop {
        tokio::time::sleep(EVERY).await;
        for (file, pid) in orphans(&functions) {
            fail_invocation(&http, &file, pid).await;
            let _ = std::fs::remove_file(&file);
        }
    }
}

async fn fail_invocation(http: &reqwest::Client, file: &Path, pid: u32) {
    // Empty: the worker died idle (nothing to fail).
    let Some(busy) = std::fs::read(file)
        .ok()
        .and_then(|b| serde_json::from_slice::<Busy>(&b).ok())
    else {
        return;
    };
    let url = format!(
        "http://{}/2018-06-01/runtime/invocation/{}/error",
        busy.runtime_api, busy.invocation_id
    );
    let sent = http
        .post(&url)
        .header("Lambda-Runtime-Function-Error-Type", "Runtime.ExitError")
        .body(exit_error(&busy.request_id))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    crate::output::stderr_line(&format!(
        "runtime worker {pid} died running request {}: Runtime exited; {}",
        busy.request_id,
        match sent {
            Ok(r) => format!("answered Runtime.ExitError (emulator: {})", r.status()),
            Err(e) => format!("could not answer it: {e}"),
        }
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busy_files_of_dead_workers_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let busy = dir.path().join("fn-a").join("busy");
        std::fs::create_dir_all(&busy).unwrap();
        // A pid that runs no worker (this test), and one that cannot exist.
        std::fs::write(busy.join(std::process::id().to_string()), "{}").unwrap();
        std::fs::write(busy.join("4000000000"), "{}").unwrap();
        std::fs::write(busy.join("12.tmp"), "{}").unwrap();
        let mut found: Vec<u32> = orphans(dir.path()).into_iter().map(|(_, p)| p).collect();
        found.sort();
        assert_eq!(found, vec![std::process::id(), 4_000_000_000]);
        let doc: serde_json::Value = serde_json::from_str(&exit_error("r-1")).unwrap();
        assert_eq!(doc["errorType"], "Runtime.ExitError");
        assert_eq!(
            doc["errorMessage"],
            "RequestId: r-1 Error: Runtime exited with error: signal: killed"
        );
    }
}
