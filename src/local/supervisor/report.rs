//! What `local up`, `local down` and `local status` print.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::error::AppError;
use crate::local::{process, Integration, LocalState};

/// What `local up --dry-run` prints.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpPlan {
    pub(super) dry_run: bool,
    pub(super) running: bool,
    pub(super) region: String,
    pub(super) moto_port: u16,
    pub(super) lambda_port: u16,
    pub(super) gateway_port: u16,
    pub(super) workers: u16,
    pub(super) create_tables: Vec<String>,
    pub(super) venv: PathBuf,
    pub(super) venv_ready: bool,
}

impl fmt::Display for UpPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tables = self.create_tables.join(", ");
        if self.running {
            write!(f, "the local stack is running: would create tables [{tables}], add them to the allow-list and restart dead workers")
        } else {
            write!(
                f,
                "would start moto on port {}, the Lambda emulator on port {}, {} worker(s); tables [{tables}]",
                self.moto_port, self.lambda_port, self.workers
            )
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Stopped {
    process: String,
    pid: u32,
    outcome: &'static str,
}

impl Stopped {
    pub(super) fn new(process: &str, pid: u32, outcome: &'static str) -> Stopped {
        Stopped {
            process: process.to_string(),
            pid,
            outcome,
        }
    }
}

/// What `local down` prints.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DownReport {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(super) dry_run: bool,
    pub(super) stopped: Vec<Stopped>,
    #[serde(skip)]
    pub(super) logs: Option<PathBuf>,
}

impl DownReport {
    /// Processes that would not stop.
    pub fn problem(&self) -> Option<AppError> {
        let still = self
            .stopped
            .iter()
            .filter(|s| s.outcome == "still running")
            .count();
        (still > 0).then(|| {
            AppError::incomplete(format!(
                "{still} process(es) did not stop; see `local status`"
            ))
        })
    }
}

impl fmt::Display for DownReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dry_run {
            return write!(
                f,
                "would stop {} process(es) of the local stack; nothing stopped",
                self.stopped.len()
            );
        }
        if self.stopped.is_empty() {
            return write!(f, "no local stack is recorded: nothing to stop");
        }
        let stopped = self
            .stopped
            .iter()
            .filter(|s| s.outcome == "stopped")
            .count();
        write!(f, "local stack stopped ({stopped} processes)")?;
        if let Some(logs) = &self.logs {
            write!(f, "; logs kept in {}", logs.display())?;
        }
        Ok(())
    }
}

#[derive(Debug, Serialize)]
pub struct ServiceStatus {
    endpoint: String,
    pid: u32,
    alive: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionStatus {
    name: String,
    /// None for a stack function: as on AWS, it has no function URL.
    url: Option<String>,
    workers: usize,
    workers_alive: usize,
    integration: Integration,
    allowed_tables: Option<String>,
    handler_file: PathBuf,
}

/// What `local up` and `local status` print.
#[derive(Debug, Serialize)]
pub struct LocalStatus {
    running: bool,
    healthy: bool,
    region: String,
    moto: ServiceStatus,
    lambda: ServiceStatus,
    /// S3 (moto serves it on its port; path-style addressing).
    s3: String,
    gateway: Option<ServiceStatus>,
    functions: Vec<FunctionStatus>,
    tables: Vec<String>,
    logs: PathBuf,
    /// A Python with boto3, for scripts against the local AWS.
    python: PathBuf,
    env: BTreeMap<&'static str, String>,
}

impl LocalStatus {
    pub(super) async fn of(state: &LocalState) -> LocalStatus {
        let running = super::Supervisor::is_running(state);
        let tables = if running {
            let client = aws_sdk_dynamodb::Client::new(&state.sdk_config());
            client
                .list_tables()
                .send()
                .await
                .map(|out| out.table_names().to_vec())
                .unwrap_or_default()
        } else {
            Vec::new()
        };
        let functions: Vec<FunctionStatus> = state
            .functions
            .iter()
            .map(|f| FunctionStatus {
                name: f.name.clone(),
                url: (f.name == crate::local::DEFAULT_FUNCTION).then(|| f.url.clone()),
                workers: f.workers.len(),
                workers_alive: f
                    .workers
                    .iter()
                    .filter(|p| process::is_ours(**p, "runtime_worker.py"))
                    .count(),
                integration: f.integration,
                allowed_tables: f.environment.get("ALLOWED_TABLES").cloned(),
                handler_file: f.handler_file.clone(),
            })
            .collect();
        let gateway = state.gateway.as_ref().map(|g| ServiceStatus {
            endpoint: g.endpoint.clone(),
            pid: g.pid,
            alive: process::is_ours(g.pid, super::GATEWAY_PROCESS),
        });
        let healthy = running
            && functions.iter().all(|f| f.workers_alive == f.workers)
            && gateway.as_ref().is_none_or(|g| g.alive);
        let env = BTreeMap::from([
            ("AWS_ENDPOINT_URL", state.moto.endpoint.clone()),
            ("AWS_ENDPOINT_URL_LAMBDA", state.lambda.endpoint.clone()),
            ("AWS_ENDPOINT_URL_S3", state.moto.endpoint.clone()),
            ("AWS_ACCESS_KEY_ID", "test".to_string()),
            ("AWS_SECRET_ACCESS_KEY", "test".to_string()),
            ("AWS_REGION", state.region.clone()),
            // AWS CLI v1 reads only this one.
            ("AWS_DEFAULT_REGION", state.region.clone()),
        ]);
        LocalStatus {
            running,
            healthy,
            region: state.region.clone(),
            moto: ServiceStatus {
                endpoint: state.moto.endpoint.clone(),
                pid: state.moto.pid,
                alive: process::is_ours(state.moto.pid, "moto_server"),
            },
            lambda: ServiceStatus {
                endpoint: state.lambda.endpoint.clone(),
                pid: state.lambda.pid,
                alive: process::is_ours(state.lambda.pid, "cargo-lambda"),
            },
            s3: state.moto.endpoint.clone(),
            gateway,
            functions,
            tables,
            logs: state.logs_dir(),
            python: state.venv.join("bin").join("python"),
            env,
        }
    }

    /// Why the stack is unhealthy (exit 9), if it is.
    pub fn problem(&self) -> Option<AppError> {
        if self.healthy {
            return None;
        }
        let gateway_down = self.gateway.as_ref().is_some_and(|g| !g.alive);
        Some(AppError::incomplete(if !self.running {
            "local stack unhealthy: it is recorded but its servers are not all running; run `serverless-crud local down` then `local up`".to_string()
        } else {
            let mut dead = Vec::new();
            if gateway_down {
                dead.push("the API gateway is not running".to_string());
            }
            let workers: usize = self
                .functions
                .iter()
                .map(|f| f.workers - f.workers_alive)
                .sum();
            if workers > 0 {
                dead.push(format!("{workers} runtime worker(s) died"));
            }
            format!(
                "local stack unhealthy: {}; `serverless-crud local up` restarts them, keeping every table and stack (so does any command using the stack)",
                dead.join(" and ")
            )
        }))
    }
}

impl fmt::Display for LocalStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rows = vec![
            ("running".to_string(), self.running.to_string()),
            ("healthy".into(), self.healthy.to_string()),
            ("region".into(), self.region.clone()),
            (
                "moto (DynamoDB, IAM, S3, ...)".into(),
                format!("{} (pid {})", self.moto.endpoint, self.moto.pid),
            ),
            (
                "lambda invoke".into(),
                format!("{} (pid {})", self.lambda.endpoint, self.lambda.pid),
            ),
            ("S3 (path-style)".into(), self.s3.clone()),
        ];
        if let Some(g) = &self.gateway {
            rows.push((
                "API gateway".into(),
                format!(
                    "{} (pid {}{})\nstage URLs: {}/restapis/ID/STAGE/_user_request_/PATH",
                    g.endpoint,
                    g.pid,
                    if g.alive { "" } else { ", NOT RUNNING" },
                    g.endpoint
                ),
            ));
        }
        for func in &self.functions {
            rows.push((
                format!("function {}", func.name),
                format!(
                    "{}\n{}/{} workers, tables: {}",
                    func.url
                        .as_deref()
                        .unwrap_or("no function URL (as on AWS): its stack's API, or Invoke"),
                    func.workers_alive,
                    func.workers,
                    func.allowed_tables.as_deref().unwrap_or("-")
                ),
            ));
        }
        rows.push((
            "tables".into(),
            if self.tables.is_empty() {
                "-".into()
            } else {
                self.tables.join(", ")
            },
        ));
        rows.push(("logs".into(), self.logs.display().to_string()));
        let env: Vec<String> = self.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        rows.push(("AWS CLI / boto3".into(), env.join(" ")));
        write!(f, "{}", crate::output::rows_table(&rows))
    }
}
