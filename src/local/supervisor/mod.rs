//! The supervisor of the local stack: the only code that starts, checks and
//! stops local processes (moto, the Lambda emulator, the API gateway,
//! runtime workers), and the owner of the functions registered with the
//! emulator and their allow-lists. `LocalState` is the plain record it keeps.
//! Commands go through it: `local up/down/status`, a local `setup` (which
//! registers the stack's function after the stack service returns) and any
//! command that needs a healthy stack (`heal`).

mod functions;
mod report;

pub use report::{DownReport, LocalStatus, UpPlan};

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::error::{AppError, DispatcherKind, TransportKind};
use crate::event::{event, Operation};
use crate::local::process::{self, claim_port};
use crate::local::{
    self as local, venv, FunctionConfig, Integration, LocalState, Service, DEFAULT_FUNCTION,
};
use crate::output::Progress;
use crate::retry::{retry, Schedule};
use crate::stack::tables::TableSpec;
use crate::transport::{LambdaTransport, Transport};
use functions::{add_function, dead_workers, remove_function, restart_dead_workers};
use report::Stopped;

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
    /// Seeds the gateway's random choices (`local up --seed`).
    pub seed: Option<u64>,
}

pub struct Supervisor;

/// What the gateway's command line contains (to tell it from a recycled pid).
pub const GATEWAY_PROCESS: &str = "gateway";

impl Supervisor {
    /// Starts the local stack, or, when it runs, adds new tables to the
    /// allow-list and restarts what died (workers, the gateway). One `up` at
    /// a time: a second waits for the first, then finds the stack running.
    /// Creating the tables themselves is the caller's (a stack service).
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
            if Self::is_running(&state) {
                return Self::update_running(&options, progress).await;
            }
            progress.note(
                "a previous local stack is recorded but not running: cleaning up its leftovers",
            );
            stop_all(&state);
        }
        start(dir, options, progress).await
    }

    /// `up` on a running stack: new tables into the allow-list, dead
    /// processes restarted.
    async fn update_running(
        options: &UpOptions,
        progress: &dyn Progress,
    ) -> Result<LocalStatus, AppError> {
        progress.note("the local stack is already running");
        if options.custom_dispatcher || options.integration != Integration::Proxy {
            progress.warn("--dispatcher and --integration apply when the stack starts: run `local down` first to change them");
        }
        Self::modify(|state| functions::widen_allow_list(state, &options.tables, options.workers))?;
        let healed = Self::heal().await?;
        if let Some(what) = healed.describe() {
            progress.note(&format!("restarted {what} that had died"));
        }
        Ok(LocalStatus::of(&Self::running()?).await)
    }

    /// What `up` would do (--dry-run).
    pub fn plan_up(options: &UpOptions) -> Result<UpPlan, AppError> {
        let running = LocalState::load()?.filter(Self::is_running);
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

    /// Whether the stack's servers (moto and the emulator) run.
    pub fn is_running(state: &LocalState) -> bool {
        process::is_ours(state.moto.pid, "moto_server")
            && process::is_ours(state.lambda.pid, "cargo-lambda")
    }

    /// The running stack, or an error telling how to start one.
    pub fn running() -> Result<LocalState, AppError> {
        match LocalState::load()? {
            Some(state) if Self::is_running(&state) => Ok(state),
            Some(_) => Err(AppError::transport(
                TransportKind::Unreachable,
                "the local stack",
                "the local stack is recorded but not running (its processes are gone); run `serverless-crud local up`",
            )),
            None => Err(AppError::transport(
                TransportKind::Unreachable,
                "the local stack",
                "no local stack is running; start one with `serverless-crud local up --table NAME`",
            )),
        }
    }

    /// Changes the running stack's record under an exclusive lock: several
    /// processes (parallel `setup`s, two terminals) may register functions
    /// at once, and a plain load-change-save would lose one of them.
    fn modify<T>(
        change: impl FnOnce(&mut LocalState) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let dir = local::dir()?;
        crate::paths::private_dir(&dir)?;
        let _lock = crate::paths::FileLock::acquire(&dir.join("state.lock"))?;
        let mut state = Self::running()?;
        let out = change(&mut state)?;
        state.save()?;
        Ok(out)
    }

    /// Registers `name` with the emulator and starts its workers (a local
    /// `setup`). A stack function gets no function URL, as on AWS.
    pub fn register_function(
        name: &str,
        code: &str,
        config: FunctionConfig,
    ) -> Result<(), AppError> {
        Self::modify(|local| add_function(local, name, code, config))
    }

    /// Stops a function's workers and forgets it (a local `teardown`).
    pub fn unregister_function(name: &str) -> Result<bool, AppError> {
        Self::modify(|local| remove_function(local, name))
    }

    /// Makes the gateway reload the control plane now (after setup changed
    /// an API); a stack without a gateway needs nothing. The call carries
    /// the stack's refresh token (only this user can read it).
    pub async fn refresh_gateway() -> Result<(), AppError> {
        let Some(state) = LocalState::load()? else {
            return Ok(());
        };
        let Some(gateway) = state.gateway.clone() else {
            return Ok(());
        };
        let token_file = state.dir.join(crate::gateway::TOKEN_FILE);
        let token = std::fs::read_to_string(&token_file)
            .map_err(|e| AppError::io("read", &token_file, e))?;
        let url = format!("{}/_gateway/refresh", gateway.endpoint);
        reqwest::Client::new()
            .post(&url)
            .header(crate::gateway::TOKEN_HEADER, token.trim())
            .timeout(Duration::from_secs(10))
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map(|_| ())
            .map_err(|e| {
                AppError::transport(
                    TransportKind::Unreachable,
                    &url,
                    format!("the local API gateway did not answer ({e}); run `serverless-crud local status`"),
                )
            })
    }

    /// The gateway's endpoint (None: a stack started without one).
    pub fn gateway_endpoint() -> Result<Option<String>, AppError> {
        Ok(Self::running()?.gateway.map(|g| g.endpoint))
    }

    /// Restarts what of the running stack has died — runtime workers, and
    /// the API gateway on its recorded port — and says what it restarted.
    pub async fn heal() -> Result<Healed, AppError> {
        Self::heal_seen(&Self::running()?).await
    }

    /// `heal`, starting from a record already loaded (a command's): the
    /// checks read /proc only; the state is read again, under its lock,
    /// only when something has died.
    pub async fn heal_seen(state: &LocalState) -> Result<Healed, AppError> {
        let gateway_dead = state
            .gateway
            .as_ref()
            .is_some_and(|g| !process::is_ours(g.pid, GATEWAY_PROCESS));
        if dead_workers(state) == 0 && !gateway_dead {
            return Ok(Healed::default());
        }
        let workers = Self::modify(restart_dead_workers)?;
        let gateway = gateway_dead && Self::restart_gateway().await?;
        Ok(Healed { workers, gateway })
    }

    /// Starts the gateway again on its recorded port (under the state lock,
    /// so two healers start one); false if it was back already.
    async fn restart_gateway() -> Result<bool, AppError> {
        let dir = local::dir()?;
        let _lock = crate::paths::FileLock::acquire(&dir.join("gateway.lock"))?;
        let mut state = Self::running()?;
        match &state.gateway {
            Some(g) if !process::is_ours(g.pid, GATEWAY_PROCESS) => {}
            _ => return Ok(false),
        }
        start_gateway(&mut state, &crate::output::Silent).await?;
        Self::modify(|current| {
            current.gateway = state.gateway.clone();
            Ok(())
        })?;
        Ok(true)
    }
}

/// The local stack as the runtime of stack functions (teardown stops them).
pub struct LocalRuntime;

impl crate::stack::FunctionRuntime for LocalRuntime {
    fn stop(&self, function: &str) {
        // No running local stack means no workers to stop. Its published
        // versions (`NAME:VERSION`) go with it, as on Lambda.
        let _ = Supervisor::unregister_function(function);
        let versions: Vec<String> = Supervisor::running()
            .map(|local| {
                local
                    .functions
                    .iter()
                    .filter(|f| f.name.starts_with(&format!("{function}:")))
                    .map(|f| f.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        for version in versions {
            let _ = Supervisor::unregister_function(&version);
        }
    }
}

/// What `heal` restarted.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Healed {
    pub workers: usize,
    pub gateway: bool,
}

impl Healed {
    /// "2 runtime worker(s) and the API gateway", or None when nothing was.
    pub fn describe(&self) -> Option<String> {
        let workers = (self.workers > 0).then(|| format!("{} runtime worker(s)", self.workers));
        let gateway = self.gateway.then(|| "the API gateway".to_string());
        match (workers, gateway) {
            (Some(w), Some(g)) => Some(format!("{w} and {g}")),
            (w, g) => w.or(g),
        }
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
        seed: options.seed,
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
    // moto's server with the local stack's extension (what moto does not
    // hold as AWS does: a REST stage's canary).
    let extension = state.dir.join("moto_server_ext.py");
    local::write_file(&extension, local::MOTO_SERVER_EXT)?;
    let mut moto = Command::new(venv.python());
    moto.arg(&extension)
        .args(["-H", "127.0.0.1", "-p", &state.moto.port.to_string()])
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
    functions::write_emulator_manifest(state)?;
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
    add_function(
        state,
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
    ensure_refresh_token(&state.dir)?;
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

/// The secret `POST /_gateway/refresh` must present, written owner-only in
/// the stack's dir on its first start (a restarted gateway keeps it).
fn ensure_refresh_token(dir: &std::path::Path) -> Result<(), AppError> {
    let path = dir.join(crate::gateway::TOKEN_FILE);
    if path.exists() {
        return Ok(());
    }
    let bytes: [u8; 32] = rand::random();
    let token: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    crate::paths::write_private(&path, token.as_bytes())
}

/// Pings the function through the emulator until a worker answers.
async fn wait_function(state: &LocalState, name: &str) -> Result<(), AppError> {
    let config = aws_sdk_lambda::config::Builder::from(&state.sdk_config())
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
