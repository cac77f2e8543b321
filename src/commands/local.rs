//! `local up | status | down | install`: the offline AWS.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use serde_json::{json, Value};

use crate::context::{Context, LOCAL_REGION};
use crate::dispatcher;
use crate::error::AppError;
use crate::event::{event, Operation};
use crate::local::process::{self, claim_port};
use crate::local::{self as stack, venv, Integration, LocalState, Service, DEFAULT_FUNCTION};
use crate::output::{Outcome, Text};
use crate::stack::tables::{ensure_table, TableOutcome, TableSpec};
use crate::transport::{LambdaTransport, Transport};

#[derive(Debug, Subcommand)]
pub enum LocalCommand {
    /// Start moto, the Lambda emulator and dispatcher workers (harmless if already up)
    Up(UpArgs),
    /// Show endpoints, processes, functions and tables
    Status,
    /// Stop exactly the processes `up` started
    Down,
    /// Only create the Python venv with the pinned emulator packages
    Install,
}

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Create a table: NAME[:KEY[:S|N|B]] (key defaults to id:S); repeatable
    #[arg(long, short = 't', value_name = "NAME[:KEY[:TYPE]]")]
    pub table: Vec<TableSpec>,
    /// Port for moto server (0 picks a free one)
    #[arg(long, default_value_t = 4566, env = "SERVERLESS_CRUD_MOTO_PORT")]
    pub moto_port: u16,
    /// Port for the Lambda emulator (0 picks a free one)
    #[arg(long, default_value_t = 9001, env = "SERVERLESS_CRUD_LAMBDA_PORT")]
    pub lambda_port: u16,
    /// Runtime workers (concurrent executions) for the function
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub workers: u16,
    /// Run this dispatcher file instead of the embedded one (e.g. the tutorial's)
    #[arg(long, value_name = "FILE")]
    pub dispatcher: Option<PathBuf>,
    /// How function-URL (API transport) requests reach the dispatcher
    #[arg(long, value_enum, default_value_t = Integration::Proxy)]
    pub integration: Integration,
}

pub async fn run(command: LocalCommand, ctx: &Context) -> anyhow::Result<Outcome> {
    match command {
        LocalCommand::Up(args) if ctx.global.dry_run => up_plan(&args, ctx),
        LocalCommand::Up(args) => {
            // One `up` at a time: a second waits, then finds the stack running
            // and adds its tables (nothing is lost to a half-started stack).
            let dir = stack::dir()?;
            crate::paths::private_dir(&dir)?;
            let _lock = crate::paths::FileLock::acquire_recorded(&dir.join("up.lock"), |pid| {
                ctx.printer.info(format!(
                    "another `local up`{} is starting the stack; waiting for it",
                    pid.map(|p| format!(" (process {p})")).unwrap_or_default()
                ))
            })?;
            up(args, ctx).await
        }
        LocalCommand::Status => status(ctx).await,
        LocalCommand::Down if ctx.global.dry_run => down_plan(),
        LocalCommand::Down => down(ctx),
        LocalCommand::Install if ctx.global.dry_run => Ok(Outcome::line(
            json!({"dryRun": true, "venv": venv::venv_dir()?, "installed": venv::is_installed()?, "packages": venv::PACKAGES}),
            format!(
                "would prepare {} with {}",
                venv::venv_dir()?.display(),
                venv::PACKAGES.join(", ")
            ),
        )),
        LocalCommand::Install => {
            let venv = venv::ensure(&|m| ctx.printer.info(m))?;
            let dir = venv.dir.display().to_string();
            Ok(Outcome::line(
                json!({"venv": dir}),
                format!("emulator packages ready in {dir}"),
            ))
        }
    }
}

/// What `local up` would do (--dry-run): nothing is started or created.
fn up_plan(args: &UpArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let tables: Vec<String> = args.table.iter().map(|t| t.to_string()).collect();
    let running = LocalState::load()?.filter(|s| s.is_running());
    let (json, line) = match running {
        Some(state) => (
            json!({"dryRun": true, "running": true, "createTables": tables, "restartDeadWorkers": true, "moto": state.moto.endpoint}),
            format!("the local stack is running: would create tables [{}] and add them to the allow-list", tables.join(", ")),
        ),
        None => (
            json!({
                "dryRun": true,
                "running": false,
                "region": ctx.global.region.clone().unwrap_or_else(|| LOCAL_REGION.into()),
                "motoPort": args.moto_port,
                "lambdaPort": args.lambda_port,
                "workers": args.workers,
                "createTables": tables,
                "venv": venv::venv_dir()?,
            }),
            format!(
                "would start moto on port {}, the Lambda emulator on port {}, {} worker(s); tables [{}]",
                args.moto_port,
                args.lambda_port,
                args.workers,
                tables.join(", ")
            ),
        ),
    };
    Ok(Outcome::line(json, line))
}

/// What `local down` would stop (--dry-run).
fn down_plan() -> anyhow::Result<Outcome> {
    let Some(state) = LocalState::load()? else {
        return Ok(Outcome::line(
            json!({"dryRun": true, "wouldStop": []}),
            "no local stack is recorded: nothing would be stopped",
        ));
    };
    let mut pids = vec![
        json!({"process": "moto server", "pid": state.moto.pid}),
        json!({"process": "lambda emulator", "pid": state.lambda.pid}),
    ];
    for f in &state.functions {
        for pid in &f.workers {
            pids.push(json!({"process": format!("worker of {}", f.name), "pid": pid}));
        }
    }
    let count = pids.len();
    Ok(Outcome::line(
        json!({"dryRun": true, "wouldStop": pids}),
        format!("would stop {count} process(es) of the local stack; nothing stopped"),
    ))
}

async fn up(args: UpArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let printer = &ctx.printer;
    let code = match &args.dispatcher {
        Some(path) => std::fs::read_to_string(path).map_err(|e| {
            AppError::usage(format!("cannot read --dispatcher {}: {e}", path.display()))
        })?,
        None => dispatcher::SOURCE.to_string(),
    };
    if let Some(state) = LocalState::load()? {
        if state.is_running() {
            printer.info("the local stack is already running");
            if args.dispatcher.is_some() || args.integration != Integration::Proxy {
                printer.warn("--dispatcher and --integration apply when the stack starts: run `local down` first to change them");
            }
            create_tables(&state, &args.table, ctx).await?;
            let state = LocalState::modify(|state| {
                widen_allow_list(state, &args.table, args.workers)?;
                let restarted = state.restart_dead_workers()?;
                if restarted > 0 {
                    ctx.printer.info(format!(
                        "restarted {restarted} runtime worker(s) that had died"
                    ));
                }
                Ok(state.clone())
            })?;
            return status_of(&state).await;
        }
        printer
            .info("a previous local stack is recorded but not running: cleaning up its leftovers");
        stop_all(&state);
    }

    let venv = venv::ensure(&|m| printer.info(m))?;
    let (moto_port, moto_listener) = claim_port(args.moto_port, "--moto-port")?;
    let (lambda_port, lambda_listener) = claim_port(args.lambda_port, "--lambda-port")?;
    drop((moto_listener, lambda_listener));

    let dir = stack::dir()?;
    crate::paths::private_dir(&dir)?;
    let logs = dir.join("logs");
    crate::paths::private_dir(&logs)?;
    let region = ctx
        .global
        .region
        .clone()
        .unwrap_or_else(|| LOCAL_REGION.into());
    let mut state = LocalState {
        region,
        dir: dir.clone(),
        venv: venv.dir.clone(),
        moto: Service {
            pid: 0,
            port: moto_port,
            endpoint: format!("http://127.0.0.1:{moto_port}"),
        },
        lambda: Service {
            pid: 0,
            port: lambda_port,
            endpoint: format!("http://127.0.0.1:{lambda_port}"),
        },
        functions: Vec::new(),
    };
    let started = Instant::now();
    let result = start(&mut state, &venv, &args, &code, ctx).await;
    if let Err(e) = result {
        printer.info("start-up failed: stopping what was started");
        stop_all(&state);
        return Err(e.into());
    }
    printer.info(format!(
        "local stack up in {:.1}s",
        started.elapsed().as_secs_f64()
    ));
    status_of(&state).await
}

async fn start(
    state: &mut LocalState,
    venv: &venv::Venv,
    args: &UpArgs,
    code: &str,
    ctx: &Context,
) -> Result<(), AppError> {
    let printer = &ctx.printer;
    let logs = state.logs_dir();

    printer.info(format!("starting moto server on {}", state.moto.endpoint));
    let mut moto = Command::new(venv.bin("moto_server"));
    moto.args(["-H", "127.0.0.1", "-p", &state.moto.port.to_string()])
        .env("MOTO_ALLOW_NONEXISTENT_REGION", "true");
    let moto_log = logs.join("moto.log");
    let mut moto = process::spawn_detached(moto, &moto_log)?;
    state.moto.pid = moto.id();
    state.save()?;

    printer.info(format!(
        "starting the Lambda emulator on {}",
        state.lambda.endpoint
    ));
    let emulator_dir = stack::emulator_dir(&state.dir);
    crate::paths::private_dir(&emulator_dir)?;
    stack::write_file(&emulator_dir.join("main.rs"), "fn main() {}\n")?;
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
    let emulator_name = "the Lambda emulator";
    process::wait_listening(
        state.lambda.port,
        &mut emulator,
        emulator_name,
        &lambda_log,
        limit,
    )
    .await?;

    create_tables(state, &args.table, ctx).await?;

    let allowed = if args.table.is_empty() {
        "*".to_string()
    } else {
        args.table
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(",")
    };
    let environment = BTreeMap::from([("ALLOWED_TABLES".to_string(), allowed)]);
    printer.info(format!(
        "starting {} dispatcher worker(s) for function {DEFAULT_FUNCTION}",
        args.workers
    ));
    state.add_function(
        DEFAULT_FUNCTION,
        code,
        environment,
        args.integration,
        args.workers as usize,
    )?;
    wait_function(state, DEFAULT_FUNCTION, limit).await
}

/// Creates the tables in the local DynamoDB.
async fn create_tables(
    state: &LocalState,
    tables: &[TableSpec],
    ctx: &Context,
) -> Result<(), AppError> {
    if tables.is_empty() {
        return Ok(());
    }
    let client = aws_sdk_dynamodb::Client::new(&state.sdk_config().await);
    for spec in tables {
        let outcome = ensure_table(&client, spec, &[]).await?;
        let verb = if outcome == TableOutcome::Created {
            "created"
        } else {
            "exists"
        };
        ctx.printer.info(format!("table {spec}: {verb}"));
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
    let code = std::fs::read_to_string(&function.handler_file).map_err(|e| {
        AppError::usage(format!(
            "cannot read {}: {e}",
            function.handler_file.display()
        ))
    })?;
    let count = function.workers.len().max(workers as usize);
    state.add_function(
        DEFAULT_FUNCTION,
        &code,
        environment,
        function.integration,
        count,
    )
}

/// Pings the function through the emulator until a worker answers.
async fn wait_function(state: &LocalState, name: &str, limit: Duration) -> Result<(), AppError> {
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
    ));
    let deadline = Instant::now() + limit;
    let log = state.logs_dir().join(format!("function-{name}.log"));
    loop {
        let last = match transport
            .send(&event(Operation::Ping, None, None), true)
            .await
        {
            Ok(raw) => match crate::reply::decode(&raw) {
                Ok(v) if v == json!("pong") => return Ok(()),
                Ok(v) => format!("answered {v} instead of \"pong\""),
                Err(e) => e.to_string(),
            },
            Err(e) => e.to_string(),
        };
        if Instant::now() > deadline {
            return Err(AppError::usage(format!(
                "function {name} did not answer a ping within {}s ({last}). Last lines of {}:\n{}",
                limit.as_secs(),
                log.display(),
                process::log_tail(&log, 15)
            )));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Stops every recorded process and forgets the stack. Returns what happened per process.
fn stop_all(state: &LocalState) -> Vec<(String, u32, &'static str)> {
    let mut report = Vec::new();
    let mut stop = |what: String, pid: u32, expect: &str| {
        let outcome = if pid == 0 || !process::is_ours(pid, expect) {
            "already stopped"
        } else if process::stop(pid, Duration::from_secs(3)) {
            "stopped"
        } else {
            "still running"
        };
        report.push((what, pid, outcome));
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
    stop("lambda emulator".into(), state.lambda.pid, "cargo-lambda");
    stop("moto server".into(), state.moto.pid, "moto_server");
    let _ = std::fs::remove_file(state.dir.join("state.json"));
    report
}

fn down(ctx: &Context) -> anyhow::Result<Outcome> {
    let Some(state) = LocalState::load()? else {
        return Ok(Outcome::line(
            json!({"stopped": []}),
            "no local stack is recorded: nothing to stop",
        ));
    };
    let report = stop_all(&state);
    let still: Vec<_> = report.iter().filter(|r| r.2 == "still running").collect();
    if !still.is_empty() {
        ctx.printer
            .warn(format!("{} process(es) did not stop", still.len()));
    }
    let json = json!({"stopped": report.iter().map(|(what, pid, outcome)| json!({"process": what, "pid": pid, "outcome": outcome})).collect::<Vec<_>>()});
    let stopped = report.iter().filter(|r| r.2 == "stopped").count();
    Ok(Outcome::line(
        json,
        format!(
            "local stack stopped ({stopped} processes); logs kept in {}",
            state.logs_dir().display()
        ),
    ))
}

async fn status(ctx: &Context) -> anyhow::Result<Outcome> {
    let Some(state) = LocalState::load()? else {
        return Ok(Outcome::line(
            json!({"running": false}),
            "no local stack; start one with `serverless-crud local up --table users`",
        ));
    };
    let outcome = status_of(&state).await?;
    let dead = state.dead_workers();
    let problem = if !state.is_running() {
        Some("the local stack is recorded but its servers are not running; run `serverless-crud local down` then `local up`".to_string())
    } else if dead > 0 {
        Some(format!(
            "{dead} runtime worker(s) died; `serverless-crud local up` restarts them (so does any command using the stack)"
        ))
    } else {
        None
    };
    match problem {
        None => Ok(outcome),
        Some(problem) => {
            ctx.printer.emit(&outcome);
            Err(AppError::Incomplete(format!("local stack unhealthy: {problem}")).into())
        }
    }
}

async fn status_of(state: &LocalState) -> anyhow::Result<Outcome> {
    let running = state.is_running();
    let tables: Vec<String> = if running {
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
    let functions: Vec<Value> = state
        .functions
        .iter()
        .map(|f| {
            let alive = f
                .workers
                .iter()
                .filter(|p| process::is_ours(**p, "runtime_worker.py"))
                .count();
            json!({
                "name": f.name,
                "url": f.url,
                "workers": f.workers.len(),
                "workersAlive": alive,
                "integration": f.integration,
                "allowedTables": f.environment.get("ALLOWED_TABLES"),
                "handlerFile": f.handler_file,
            })
        })
        .collect();
    let json = json!({
        "running": running,
        "healthy": running && state.dead_workers() == 0,
        "region": state.region,
        "moto": {"endpoint": state.moto.endpoint, "pid": state.moto.pid, "alive": process::is_ours(state.moto.pid, "moto_server")},
        "lambda": {"endpoint": state.lambda.endpoint, "pid": state.lambda.pid, "alive": process::is_ours(state.lambda.pid, "cargo-lambda")},
        "functions": functions,
        "tables": tables,
        "logs": state.logs_dir(),
        // A Python with boto3, for scripts against the local AWS.
        "python": state.venv.join("bin").join("python"),
        "env": {
            "AWS_ENDPOINT_URL": state.moto.endpoint,
            "AWS_ENDPOINT_URL_LAMBDA": state.lambda.endpoint,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": state.region,
        },
    });
    let mut rows = vec![
        ("running".to_string(), running.to_string()),
        ("region".into(), state.region.clone()),
        (
            "moto (DynamoDB, IAM, ...)".into(),
            format!("{} (pid {})", state.moto.endpoint, state.moto.pid),
        ),
        (
            "lambda invoke".into(),
            format!("{} (pid {})", state.lambda.endpoint, state.lambda.pid),
        ),
    ];
    for f in &state.functions {
        let alive = f
            .workers
            .iter()
            .filter(|p| process::is_ours(**p, "runtime_worker.py"))
            .count();
        rows.push((
            format!("function {}", f.name),
            format!(
                "{}\n{alive}/{} workers, tables: {}",
                f.url,
                f.workers.len(),
                f.environment
                    .get("ALLOWED_TABLES")
                    .map(String::as_str)
                    .unwrap_or("-")
            ),
        ));
    }
    rows.push((
        "tables".into(),
        if tables.is_empty() {
            "-".into()
        } else {
            tables.join(", ")
        },
    ));
    rows.push(("logs".into(), state.logs_dir().display().to_string()));
    rows.push((
        "AWS CLI / boto3".into(),
        format!(
            "AWS_ENDPOINT_URL={} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION={}",
            state.moto.endpoint, state.region
        ),
    ));
    Ok(Outcome {
        json,
        text: Text::Rows(rows),
    })
}
