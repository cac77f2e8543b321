//! One module per subcommand family: its `Args` and a short `run` that calls
//! a service and returns an `Outcome`. `run` here is the single dispatch point.

pub mod completions;
pub mod cors;
pub mod doctor;
pub mod export;
pub mod items;
pub mod local;
pub mod login;
pub mod logs;
pub mod metrics;
pub mod release;
pub mod seed;
pub mod send;
pub mod setup;
pub mod status;
pub mod teardown;

use std::time::Duration;

use serde_json::Value;

use crate::cli::Command;
use crate::context::Context;
use crate::error::AppError;
use crate::output::{JsonReport, Outcome};
use crate::transport::Via;

/// How a command treats `--dry-run`. Decided here, for every command, by an
/// exhaustive match: a new command cannot be added without choosing. (Below
/// the commands, `dry_run` refuses every change anyway.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRun {
    /// Changes nothing anyway.
    ReadOnly,
    /// Prints what it would do (the wire event, the plan) and does nothing.
    Plans,
    /// Cannot say what it would do without doing it: refused (exit 2).
    Refused,
}

pub fn dry_run(command: &Command) -> DryRun {
    match command {
        Command::Create(_)
        | Command::Read(_)
        | Command::Update(_)
        | Command::Delete(_)
        | Command::List(_)
        | Command::Echo(_)
        | Command::Ping(_)
        | Command::Send(_)
        | Command::Seed(_)
        | Command::Export(_)
        | Command::Setup(_)
        | Command::Teardown(_)
        | Command::Status(_)
        | Command::Cors(_)
        | Command::Login(_)
        | Command::Deploy(_)
        | Command::Promote(_)
        | Command::Rollback(_) => DryRun::Plans,
        Command::Local(local) => match local {
            local::LocalCommand::Up(_)
            | local::LocalCommand::Down
            | local::LocalCommand::Install => DryRun::Plans,
            local::LocalCommand::Status | local::LocalCommand::Token(_) => DryRun::ReadOnly,
            local::LocalCommand::Gateway(_) => DryRun::Refused,
        },
        Command::Completions(_)
        | Command::ManPages(_)
        | Command::Doctor(_)
        | Command::Logs(_)
        | Command::Metrics(_) => DryRun::ReadOnly,
    }
}

/// The async runtime `command` runs on. A contract command is a few
/// requests one after another: one thread (starting and joining worker
/// threads was ~0.2 ms of a 4 ms `ping`). The rest may do parallel work
/// (seed's writers, export's segments, the gateway): worker threads.
pub fn runtime_for(command: &Command) -> tokio::runtime::Runtime {
    let mut builder = match command {
        Command::Create(_)
        | Command::Read(_)
        | Command::Update(_)
        | Command::Delete(_)
        | Command::List(_)
        | Command::Echo(_)
        | Command::Ping(_)
        | Command::Send(_) => tokio::runtime::Builder::new_current_thread(),
        _ => tokio::runtime::Builder::new_multi_thread(),
    };
    builder.enable_all().build().expect("tokio runtime")
}

pub async fn run(command: Command, ctx: &Context) -> Result<Outcome, AppError> {
    match (ctx.settings.dry_run, dry_run(&command)) {
        (true, DryRun::Plans) => ctx.printer.info("dry run: nothing will be changed or sent"),
        (true, DryRun::Refused) => {
            return Err(AppError::usage(
                "this command cannot be dry-run: run it without --dry-run",
            ))
        }
        _ => {}
    }
    match command {
        Command::Create(args) => items::create(args, ctx).await,
        Command::Read(args) => items::read(args, ctx).await,
        Command::Update(args) => items::update(args, ctx).await,
        Command::Delete(args) => items::delete(args, ctx).await,
        Command::List(args) => items::list(args, ctx).await,
        Command::Echo(args) => send::echo(args, ctx).await,
        Command::Ping(args) => send::ping(args, ctx).await,
        Command::Send(args) => send::send(args, ctx).await,
        Command::Seed(args) => seed::run(args, ctx).await,
        Command::Export(args) => export::run(args, ctx).await,
        Command::Setup(args) => setup::run(args, ctx).await,
        Command::Status(args) => status::run(args, ctx).await,
        Command::Teardown(args) => teardown::run(args, ctx).await,
        Command::Local(command) => local::run(command, ctx).await,
        Command::Login(args) => login::run(args, ctx).await,
        Command::Deploy(args) => release::deploy(args, ctx).await,
        Command::Promote(args) => release::promote(args, ctx).await,
        Command::Rollback(args) => release::rollback(args, ctx).await,
        Command::Logs(args) => logs::run(args, ctx).await,
        Command::Metrics(args) => metrics::run(args, ctx).await,
        Command::Doctor(args) => doctor::run(args, ctx).await,
        Command::Cors(command) => cors::run(command, ctx).await,
        Command::Completions(args) => completions::run(args),
        Command::ManPages(args) => completions::write_man_pages(args),
    }
}

/// A dispatcher's decoded answer.
pub struct Reply {
    pub value: Value,
    pub elapsed: Duration,
    pub via: Via,
}

/// Why `call` did not produce a reply: a dry run (an outcome to print) or an error.
pub enum Interrupt {
    DryRun(Outcome),
    Error(AppError),
}

impl From<AppError> for Interrupt {
    fn from(e: AppError) -> Self {
        Interrupt::Error(e)
    }
}

/// Sends one contract event and decodes the reply; with --dry-run, returns
/// the wire event as the outcome instead.
pub async fn call(ctx: &Context, event: Value, idempotent: bool) -> Result<Reply, Interrupt> {
    let printer = &ctx.printer;
    let operation = event.get("operation").and_then(Value::as_str);
    if matches!(
        operation,
        Some("create" | "read" | "update" | "delete" | "list")
    ) {
        if let Some(Value::Object(payload)) = event.get("payload") {
            crate::event::check_payload_values(payload)?;
        }
    }
    if ctx.settings.dry_run {
        let wire = match ctx.transport().await {
            Ok(transport) => {
                printer.info(format!(
                    "dry run: would send to {} (nothing sent)",
                    transport.target()
                ));
                transport.wire_event(&event)
            }
            Err(e) => {
                printer.info(format!("dry run: nothing sent ({e})"));
                event
            }
        };
        return Err(Interrupt::DryRun(Outcome::ok(JsonReport(wire))));
    }
    ctx.heal_local().await?;
    let transport = ctx.transport().await?;
    printer.detail(
        1,
        format!("→ {} ({})", transport.target(), transport.describe()),
    );
    printer.detail(2, format!("→ {}", transport.wire_event(&event)));
    let raw = transport.send(&event, idempotent).await?;
    printer.detail(
        1,
        format!(
            "← {} in {:.1} ms{}",
            raw.status,
            raw.elapsed.as_secs_f64() * 1000.0,
            raw.function_error
                .as_deref()
                .map(|e| format!(" (FunctionError: {e})"))
                .unwrap_or_default()
        ),
    );
    if let Some(id) = &raw.request_id {
        printer.detail(1, format!("request id: {id}"));
    }
    printer.detail(2, format!("← {}", String::from_utf8_lossy(&raw.body)));
    let value = crate::reply::decode(&raw).map_err(|e| match &raw.request_id {
        // The failed request's own log lines are one command away.
        Some(id) if matches!(e, AppError::Dispatcher { .. } | AppError::Transport { .. }) => {
            let local = if ctx.settings.local { " --local" } else { "" };
            e.with_suffix(&format!(
                "\nits logs: serverless-crud{local} --stack {} logs --request-id {id}",
                ctx.stack_name()
            ))
        }
        _ => e,
    })?;
    Ok(Reply {
        value,
        elapsed: raw.elapsed,
        via: raw.via,
    })
}

/// Lets commands write `let reply = call_or_return!(call(..));` as one line.
#[macro_export]
macro_rules! call_or_return {
    ($call:expr) => {
        match $call.await {
            Ok(reply) => reply,
            Err($crate::commands::Interrupt::DryRun(outcome)) => return Ok(outcome),
            Err($crate::commands::Interrupt::Error(e)) => return Err(e),
        }
    };
}
