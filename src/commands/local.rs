//! `local up | status | down | install`: the offline AWS (see `local::Supervisor`).

use std::fmt;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::context::{Context, LOCAL_REGION};
use crate::error::AppError;
use crate::local::supervisor::{Supervisor, UpOptions};
use crate::local::{venv, Integration};
use crate::output::Outcome;
use crate::stack::tables::TableSpec;

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
    /// Run the local API gateway (started by `local up`; not for direct use)
    #[command(hide = true)]
    Gateway(GatewayArgs),
}

#[derive(Debug, Args)]
pub struct GatewayArgs {
    #[arg(long)]
    pub port: u16,
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
    /// Port for the local API gateway (0 picks a free one)
    #[arg(long, default_value_t = 4567, env = "SERVERLESS_CRUD_GATEWAY_PORT")]
    pub gateway_port: u16,
    /// Runtime workers (concurrent executions) for the function
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub workers: u16,
    /// Run this dispatcher file instead of the embedded one (e.g. the tutorial's)
    #[arg(long, value_name = "FILE")]
    pub dispatcher: Option<PathBuf>,
    /// How function-URL (API transport) requests reach the dispatcher
    #[arg(long, value_enum, default_value_t = Integration::Proxy)]
    pub integration: Integration,
    /// Do not emit function and API logs and metrics into the local CloudWatch
    #[arg(long)]
    pub no_telemetry: bool,
}

pub async fn run(command: LocalCommand, ctx: &Context) -> Result<Outcome, AppError> {
    let dry_run = ctx.settings.dry_run;
    match command {
        LocalCommand::Up(args) => {
            let options = up_options(args, ctx)?;
            if dry_run {
                return Ok(Outcome::ok(Supervisor::plan_up(&options)?));
            }
            let tables = options.tables.clone();
            let status = Supervisor::up(options, &ctx.printer).await?;
            if tables.is_empty() {
                return Ok(Outcome::ok(status));
            }
            // `local up` runs without --local: the client is the local stack's.
            let local = Supervisor::running()?;
            let sdk = local.sdk_config().await;
            let moto = Some(local.moto.endpoint.clone());
            let dynamodb = crate::context::Aws { sdk: &sdk, moto }.dynamodb();
            crate::stack::tables::ensure_untagged(&dynamodb, &tables, &ctx.printer).await?;
            // The report lists the tables just made.
            let status = Supervisor::status().await?.unwrap_or(status);
            Ok(Outcome::ok(status))
        }
        LocalCommand::Status => Ok(match Supervisor::status().await? {
            None => Outcome::ok(NoStack { running: false }),
            Some(status) => match status.problem() {
                Some(problem) => Outcome::failed(status, problem),
                None => Outcome::ok(status),
            },
        }),
        LocalCommand::Down => {
            let report = if dry_run {
                Supervisor::plan_down()?
            } else {
                Supervisor::down()?
            };
            Ok(match report.problem() {
                Some(problem) => Outcome::failed(report, problem),
                None => Outcome::ok(report),
            })
        }
        LocalCommand::Gateway(args) => {
            crate::gateway::serve(args.port).await?;
            Ok(Outcome::printed())
        }
        LocalCommand::Install => {
            let dir = venv::venv_dir()?;
            if !dry_run {
                venv::ensure(&|m| ctx.printer.info(m))?;
            }
            Ok(Outcome::ok(Installed {
                dry_run,
                ready: venv::is_installed()?,
                venv: dir,
                packages: venv::PACKAGES,
            }))
        }
    }
}

fn up_options(args: UpArgs, ctx: &Context) -> Result<UpOptions, AppError> {
    let code = match &args.dispatcher {
        Some(path) => {
            std::fs::read_to_string(path).map_err(|e| AppError::io("read --dispatcher", path, e))?
        }
        None => crate::dispatcher::SOURCE.to_string(),
    };
    Ok(UpOptions {
        region: ctx
            .settings
            .region
            .clone()
            .unwrap_or_else(|| LOCAL_REGION.into()),
        tables: args.table,
        moto_port: args.moto_port,
        lambda_port: args.lambda_port,
        gateway_port: args.gateway_port,
        workers: args.workers,
        code,
        custom_dispatcher: args.dispatcher.is_some(),
        integration: args.integration,
        telemetry: !args.no_telemetry,
    })
}

/// `local status` with no stack recorded.
#[derive(Serialize)]
struct NoStack {
    running: bool,
}

impl fmt::Display for NoStack {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no local stack; start one with `serverless-crud local up --table users`"
        )
    }
}

/// `local install`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Installed {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    dry_run: bool,
    ready: bool,
    venv: PathBuf,
    packages: &'static [&'static str],
}

impl fmt::Display for Installed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.dry_run, self.ready) {
            (true, true) => write!(f, "emulator packages already in {}", self.venv.display()),
            (true, false) => write!(
                f,
                "would prepare {} with {}",
                self.venv.display(),
                self.packages.join(", ")
            ),
            (false, _) => write!(f, "emulator packages ready in {}", self.venv.display()),
        }
    }
}
