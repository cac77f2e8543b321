//! The supervisor of the local stack: it owns every local process (moto, the
//! Lambda emulator, runtime workers), the functions registered with the
//! emulator and their allow-lists. `local up/down/status` and the stack
//! services (a local setup registers its function here) go through it.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::json;

use crate::error::{AppError, DispatcherKind};
use crate::event::{event, Operation};
use crate::local::process::{self, claim_port};
use crate::local::{
    self as local, venv, FunctionConfig, Integration, LocalState, Service, DEFAULT_FUNCTION,
};
use crate::output::Progress;
use crate::retry::{retry, Schedule};
use crate::stack::tables::{ensure_table, TableOutcome, TableSpec};
use crate::transport::{LambdaTransport, Transport};

/// What `local up` is asked for.
pub struct UpOptions {
    pub region: String,
    pub tables: Vec<TableSpec>,
    pub moto_port: u16,
    pub lambda_port: u16,
    pub gateway_port: u16,
    pub workers: u16,
    /// The dispatcher's code (the embedded one, or --dispatcher FILE's).
    pub code: String,
    pub custom_dispatcher: bool,
    pub integration: Integration,
    /// Emit logs and metrics into moto (what Lambda and API Gateway emit).
    pub telemetry: bool,
}

pub struct Supervisor;

/// What the gateway's command line contains (to tell it from a recycled pid).
pub const GATEWAY_PROCESS: &str = "gateway";

impl Supervisor {
    /// Starts the local stack, or, when it runs, creates the new tables, adds
    /// them to the allow-list and restarts dead workers. One `up` at a time:
    /// a second waits for the first, then finds the stack running.
    pub async fn up(options: UpOptions, progress: &dyn Progress) -> Result<LocalStatus, AppError> {
        let dir = local::dir()?;
        crate::paths::private_dir(&dir)?;
        let _lock = crate::paths::FileLock::acquire_recorded(&dir.join("up.lock"), |pid| {
            progress.note(&format!(
                "another `local up`{} is starting the stack; waiting for it",
                pid.map(|p| format!(" (process {p})")).unwrap_or_default()
            ))
        })?;
        if let Some(state) = LocalState::load()? {
            if state.is_running() {
                progress.note("the local stack is already running");
                if options.custom_dispatcher || options.integration != Integration::Proxy {
                    progress.warn("--dispatcher and --integration apply when the stack starts: run `local down` first to change them");
                }
                create_tables(&state, &options.tables, progress).await?;
                let state = LocalState::modify(|state| {
                    widen_allow_list(state, &options.tables, options.workers)?;
                    let restarted = state.restart_dead_workers()?;
                    if restarted > 0 {
                        progress.note(&format!(
                            "restarted {restarted} runtime worker(s) that had died"
                        ));
                    }
                    Ok(state.clone())
                })?;
                return Ok(LocalStatus::of(&state).await);
            }
            progress.note(
                "a previous local stack is recorded but not running: cleaning up its leftovers",
            );
            stop_all(&state);
        }
        start(dir, options, progress).await
    }

    /// What `up` would do (--dry-run).
    pub fn plan_up(options: &UpOptions) -> Result<UpPlan, AppError> {
        let running = LocalState::load()?.filter(|s| s.is_running());
        Ok(UpPlan {
            dry_run: true,
            running: running.is_some(),
            region: options.region.clone(),
            moto_port: options.moto_port,
            lambda_port: options.lambda_port,
            gateway_port: options.gateway_port,
            workers: options.workers,
            create_tables: options.tables.iter().map(|t| t.to_string()).collect(),
            venv: venv::venv_dir()?,
            venv_ready: venv::is_installed()?,
        })
    }

    /// Stops exactly the processes `up` started and forgets the stack.
    pub fn down() -> Result<DownReport, AppError> {
        let Some(state) = LocalState::load()? else {
            return Ok(DownReport::default());
        };
        let stopped = stop_all(&state);
        Ok(DownReport {
            dry_run: false,
            stopped,
            logs: Some(state.logs_dir()),
        })
    }

    /// What `down` would stop (--dry-run).
    pub fn plan_down() -> Result<DownReport, AppError> {
        let Some(state) = LocalState::load()? else {
            return Ok(DownReport {
                dry_run: true,
                ..DownReport::default()
            });
        };
        let mut stopped = vec![
            Stopped::new("moto server", state.moto.pid, "would stop"),
            Stopped::new("lambda emulator", state.lambda.pid, "would stop"),
        ];
        if let Some(gateway) = &state.gateway {
            stopped.push(Stopped::new("API gateway", gateway.pid, "would stop"));
        }
        for f in &state.functions {
            for pid in &f.workers {
                stopped.push(Stopped::new(
                    &format!("worker of {}", f.name),
                    *pid,
                    "would stop",
                ));
            }
        }
        Ok(DownReport {
            dry_run: true,
            stopped,
            logs: None,
        })
    }

    /// The recorded stack and the health of its processes (None: no stack).
    pub async fn status() -> Result<Option<LocalStatus>, AppError> {
        Ok(match LocalState::load()? {
            Some(state) => Some(LocalStatus::of(&state).await),
            None => None,
        })
    }

    /// Registers `name` with the emulator and starts its workers (a local
    /// `setup`); returns its function URL.
    pub fn register_function(
        name: &str,
        code: &str,
        config: FunctionConfig,
    ) -> Result<String, AppError> {
        LocalState::modify(|local| {
            local.add_function(name, code, config)?;
            Ok(local.function_url(name))
        })
    }

    /// Stops a function's workers and forgets it (a local `teardown`).
    pub fn unregister_function(name: &str) -> Result<bool, AppError> {
        LocalState::modify(|local| Ok(local.remove_function(name)))
    }

    /// Makes the gateway reload the control plane now (after setup changed
    /// an API); a stack without a gateway needs nothing.
    pub async fn refresh_gateway() -> Result<(), AppError> {
        let Some(gateway) = LocalState::load()?.and_then(|s| s.gateway) else {
            return Ok(());
        };
        let url = format!("{}/_gateway/refresh", gateway.endpoint);
        reqwest::Client::new()
            .post(&url)
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| {
                AppError::transport(
                    crate::error::TransportKind::Unreachable,
                    &url,
                    format!("the local API gateway did not answer ({e}); run `serverless-crud local status`"),
                )
            })
    }

    /// The gateway's endpoint (None: a stack started without one).
    pub fn gateway_endpoint() -> Result<Option<String>, AppError> {
        Ok(LocalState::require()?.gateway.map(|g| g.endpoint))
    }

    /// Restarts dead workers; returns how many.
    pub fn heal() -> Result<usize, AppError> {
        LocalState::modify(|s| s.restart_dead_workers())
    }
}

async fn start(
    dir: PathBuf,
    options: UpOptions,
    progress: &dyn Progress,
) -> Result<LocalStatus, AppError> {
    let venv = venv::ensure(&|m| progress.note(m))?;
    let (moto_port, moto_listener) = claim_port(options.moto_port, "--moto-port")?;
    let (lambda_port, lambda_listener) = claim_port(options.lambda_port, "--lambda-port")?;
    let (gateway_port, gateway_listener) = claim_port(options.gateway_port, "--gateway-port")?;
    drop((moto_listener, lambda_listener, gateway_listener));
    let logs = dir.join("logs");
    crate::paths::private_dir(&logs)?;
    let service = |port: u16| Service {
        pid: 0,
        port,
        endpoint: format!("http://127.0.0.1:{port}"),
    };
    let mut state = LocalState {
        region: options.region.clone(),
        dir,
        venv: venv.dir.clone(),
        moto: service(moto_port),
        lambda: service(lambda_port),
        gateway: Some(service(gateway_port)),
        functions: Vec::new(),
        telemetry: options.telemetry,
    };
    let started = Instant::now();
    if let Err(e) = start_processes(&mut state, &venv, &options, progress).await {
        progress.note("start-up failed: stopping what was started");
        stop_all(&state);
        return Err(e);
    }
    progress.note(&format!(
        "local stack up in {:.1}s",
        started.elapsed().as_secs_f64()
    ));
    Ok(LocalStatus::of(&state).await)
}

async fn start_processes(
    state: &mut LocalState,
    venv: &venv::Venv,
    options: &UpOptions,
    progress: &dyn Progress,
) -> Result<(), AppError> {
    let logs = state.logs_dir();
    progress.note(&format!("starting moto server on {}", state.moto.endpoint));
    let mut moto = Command::new(venv.bin("moto_server"));
    moto.args(["-H", "127.0.0.1", "-p", &state.moto.port.to_string()])
        .env("MOTO_ALLOW_NONEXISTENT_REGION", "true");
    let moto_log = logs.join("moto.log");
    let mut moto = process::spawn_detached(moto, &moto_log)?;
    state.moto.pid = moto.id();
    state.save()?;

    progress.note(&format!(
        "starting the Lambda emulator on {}",
        state.lambda.endpoint
    ));
    let emulator_dir = local::emulator_dir(&state.dir);
    crate::paths::private_dir(&emulator_dir)?;
    local::write_file(&emulator_dir.join("main.rs"), "fn main() {}\n")?;
    let mut emulator = Command::new(venv.bin("cargo-lambda"));
    emulator
        .args(["lambda", "watch", "--only-lambda-apis", "-A", "127.0.0.1"])
        .args(["-P", &state.lambda.port.to_string()])
        .current_dir(&emulator_dir);
    let lambda_log = logs.join("lambda-emulator.log");
    // The manifest must exist before the emulator starts.
    state.write_emulator_manifest()?;
    let mut emulator = process::spawn_detached(emulator, &lambda_log)?;
    state.lambda.pid = emulator.id();
    state.save()?;

    let limit = Duration::from_secs(60);
    process::wait_listening(state.moto.port, &mut moto, "moto server", &moto_log, limit).await?;
    process::wait_listening(
        state.lambda.port,
        &mut emulator,
        "the Lambda emulator",
        &lambda_log,
        limit,
    )
    .await?;

    start_gateway(state, progress).await?;
    create_tables(state, &options.tables, progress).await?;
    let allowed = if options.tables.is_empty() {
        "*".to_string()
    } else {
        options
            .tables
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    let environment = BTreeMap::from([("ALLOWED_TABLES".to_string(), allowed)]);
    progress.note(&format!(
        "starting {} dispatcher worker(s) for function {DEFAULT_FUNCTION}",
        options.workers
    ));
    state.add_function(
        DEFAULT_FUNCTION,
        &options.code,
        FunctionConfig {
            environment,
            integration: options.integration,
            workers: options.workers as usize,
            memory_mb: 128,
            timeout_secs: 30,
        },
    )?;
    wait_function(state, DEFAULT_FUNCTION).await
}

/// The local API Gateway: this binary, `local gateway --port P`.
async fn start_gateway(state: &mut LocalState, progress: &dyn Progress) -> Result<(), AppError> {
    let Some(gateway) = state.gateway.clone() else {
        return Ok(());
    };
    progress.note(&format!("starting the API gateway on {}", gateway.endpoint));
    let exe = std::env::current_exe()
        .map_err(|e| AppError::environment(format!("cannot find this program's path: {e}")))?;
    let mut command = Command::new(exe);
    command
        .args(["local", "gateway", "--port", &gateway.port.to_string()])
        .env("SERVERLESS_CRUD_STATE_DIR", crate::paths::state_dir()?)
        .env(
            "SCRUD_TELEMETRY",
            if state.telemetry { "on" } else { "off" },
        )
        .env_remove("SERVERLESS_CRUD_LOCAL");
    let log = state.logs_dir().join("gateway.log");
    let mut child = process::spawn_detached(command, &log)?;
    if let Some(g) = state.gateway.as_mut() {
        g.pid = child.id();
    }
    state.save()?;
    process::wait_listening(
        gateway.port,
        &mut child,
        "the API gateway",
        &log,
        Duration::from_secs(30),
    )
    .await
}

/// Creates the tables in the local DynamoDB.
async fn create_tables(
    state: &LocalState,
    tables: &[TableSpec],
    progress: &dyn Progress,
) -> Result<(), AppError> {
    if tables.is_empty() {
        return Ok(());
    }
    let client = aws_sdk_dynamodb::Client::from_conf(
        aws_sdk_dynamodb::config::Builder::from(&state.sdk_config().await)
            .interceptor(crate::dry_run::Interceptor)
            .build(),
    );
    for spec in tables {
        let outcome = ensure_table(&client, spec, &[]).await?;
        let verb = if outcome == TableOutcome::Created {
            "created"
        } else {
            "exists"
        };
        progress.note(&format!("table {spec}: {verb}"));
    }
    Ok(())
}

/// `up --table NEW` on a running stack: add NEW to the function's allow-list
/// (restarting its workers, which read it at start).
fn widen_allow_list(
    state: &mut LocalState,
    tables: &[TableSpec],
    workers: u16,
) -> Result<(), AppError> {
    let Some(function) = state.function(DEFAULT_FUNCTION).cloned() else {
        return Ok(());
    };
    let current = function
        .environment
        .get("ALLOWED_TABLES")
        .cloned()
        .unwrap_or_default();
    let mut names: Vec<String> = current
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if names.iter().any(|n| n == "*") {
        return Ok(());
    }
    let before = names.len();
    for t in tables {
        if !names.contains(&t.name) {
            names.push(t.name.clone());
        }
    }
    if names.len() == before {
        return Ok(());
    }
    let mut environment = function.environment.clone();
    environment.insert("ALLOWED_TABLES".into(), names.join(","));
    let code = std::fs::read_to_string(&function.handler_file)
        .map_err(|e| AppError::io("read", &function.handler_file, e))?;
    let count = function.workers.len().max(workers as usize);
    state.add_function(
        DEFAULT_FUNCTION,
        &code,
        FunctionConfig {
            environment,
            integration: function.integration,
            workers: count,
            memory_mb: function.memory_mb,
            timeout_secs: function.timeout_secs,
        },
    )
}

/// Pings the function through the emulator until a worker answers.
async fn wait_function(state: &LocalState, name: &str) -> Result<(), AppError> {
    let config = aws_sdk_lambda::config::Builder::from(&state.sdk_config().await)
        .endpoint_url(&state.lambda.endpoint)
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .timeout_config(
            aws_config::timeout::TimeoutConfig::builder()
                .operation_timeout(Duration::from_secs(5))
                .build(),
        )
        .build();
    let transport = Transport::Lambda(LambdaTransport::new(
        aws_sdk_lambda::Client::from_conf(config),
        name.to_string(),
        true,
    ));
    let ping = || async {
        let raw = transport
            .send_once_event(&event(Operation::Ping, None, None))
            .await?;
        match crate::reply::decode(&raw)? {
            v if v == json!("pong") => Ok(()),
            v => Err(AppError::dispatcher(
                DispatcherKind::InvalidReply,
                "UnexpectedReply",
                format!("answered {v} instead of \"pong\""),
            )),
        }
    };
    // Not up yet: the emulator holds the request until a worker polls (a
    // timeout) or does not know the function yet; a wrong answer is final.
    let starting = |e: &AppError| {
        e.is_retryable()
            || matches!(
                e,
                AppError::Transport {
                    kind: crate::error::TransportKind::NotFound,
                    ..
                }
            )
    };
    retry(Schedule::STARTUP, ping, starting).await.map_err(|e| {
        let log = state.logs_dir().join(format!("function-{name}.log"));
        AppError::environment(format!(
            "function {name} did not answer a ping ({e}). Last lines of {}:\n{}",
            log.display(),
            process::log_tail(&log, 15)
        ))
    })
}

/// Stops every recorded process and forgets the stack.
fn stop_all(state: &LocalState) -> Vec<Stopped> {
    let mut report = Vec::new();
    let mut stop = |what: String, pid: u32, expect: &str| {
        let outcome = if pid == 0 || !process::is_ours(pid, expect) {
            "already stopped"
        } else if process::stop(pid, Duration::from_secs(3)) {
            "stopped"
        } else {
            "still running"
        };
        report.push(Stopped::new(&what, pid, outcome));
    };
    for function in &state.functions {
        for pid in &function.workers {
            stop(
                format!("worker of {}", function.name),
                *pid,
                "runtime_worker.py",
            );
        }
    }
    // Workers started from this stack's own worker script are ours even if a
    // crash lost their pid: the path names this state dir.
    let script = state.dir.join("runtime_worker.py").display().to_string();
    let recorded: Vec<u32> = state
        .functions
        .iter()
        .flat_map(|f| f.workers.clone())
        .collect();
    for pid in process::find_by_cmdline(&script) {
        if !recorded.contains(&pid) {
            stop("unrecorded worker".into(), pid, &script);
        }
    }
    if let Some(gateway) = &state.gateway {
        stop("API gateway".into(), gateway.pid, GATEWAY_PROCESS);
    }
    stop("lambda emulator".into(), state.lambda.pid, "cargo-lambda");
    stop("moto server".into(), state.moto.pid, "moto_server");
    let _ = std::fs::remove_file(state.dir.join("state.json"));
    report
}

// ------------------------------------------------------------------ reports

/// What `local up --dry-run` prints.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UpPlan {
    dry_run: bool,
    running: bool,
    region: String,
    moto_port: u16,
    lambda_port: u16,
    gateway_port: u16,
    workers: u16,
    create_tables: Vec<String>,
    venv: PathBuf,
    venv_ready: bool,
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
    fn new(process: &str, pid: u32, outcome: &'static str) -> Stopped {
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
    dry_run: bool,
    stopped: Vec<Stopped>,
    #[serde(skip)]
    logs: Option<PathBuf>,
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
    url: String,
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
    async fn of(state: &LocalState) -> LocalStatus {
        let running = state.is_running();
        let tables = if running {
            let client = aws_sdk_dynamodb::Client::new(&state.sdk_config().await);
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
                url: f.url.clone(),
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
            alive: process::is_ours(g.pid, GATEWAY_PROCESS),
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
        let dead: usize = self
            .functions
            .iter()
            .map(|f| f.workers - f.workers_alive)
            .sum();
        let gateway_down = self.gateway.as_ref().is_some_and(|g| !g.alive);
        Some(AppError::incomplete(if !self.running || gateway_down {
            "local stack unhealthy: it is recorded but its servers are not all running; run `serverless-crud local down` then `local up`".to_string()
        } else {
            format!(
                "local stack unhealthy: {dead} runtime worker(s) died; `serverless-crud local up` restarts them (so does any command using the stack)"
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
                    func.url,
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
