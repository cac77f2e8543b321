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
    /// Print a token signed by the local issuer, for --auth jwt stacks
    Token(TokenArgs),
    /// Run the local API gateway (started by `local up`; not for direct use)
    #[command(hide = true)]
    Gateway(GatewayArgs),
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// `sub`
    #[arg(long, default_value = "local-user")]
    pub subject: String,
    /// `aud` (repeatable) [default: serverless-crud, or none with --client-id alone]
    #[arg(long, value_name = "AUD")]
    pub audience: Vec<String>,
    /// `client_id` (as Cognito access tokens carry it)
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// A scope (repeatable; `scope`, space-separated)
    #[arg(long)]
    pub scope: Vec<String>,
    /// Lifetime: 30s, 15m, 1h, 2d (negative, e.g. -1m: already expired)
    #[arg(long, default_value = "1h", value_parser = seconds, allow_hyphen_values = true)]
    pub expires_in: i64,
    /// Not valid before this long from now (`nbf`)
    #[arg(long, value_parser = seconds, allow_hyphen_values = true)]
    pub not_before: Option<i64>,
    /// Another claim NAME=VALUE (VALUE as JSON if it parses; null removes the claim)
    #[arg(long, value_name = "NAME=VALUE", value_parser = claim)]
    pub claim: Vec<(String, serde_json::Value)>,
}

/// `90`, `30s`, `15m`, `1h`, `2d`, or negative (`-1m`): seconds.
fn seconds(text: &str) -> Result<i64, String> {
    let (sign, rest) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text),
    };
    let (number, unit) = rest.split_at(
        rest.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len()),
    );
    let n: i64 = number
        .parse()
        .map_err(|_| format!("`{text}`: expected a duration such as 90s, 15m, 1h or 2d"))?;
    let scale = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("`{text}`: unknown unit `{unit}` (s, m, h, d)")),
    };
    Ok(sign * n * scale)
}

fn claim(text: &str) -> Result<(String, serde_json::Value), String> {
    let (name, value) = text
        .split_once('=')
        .filter(|(n, _)| !n.is_empty())
        .ok_or_else(|| format!("`{text}`: write NAME=VALUE"))?;
    let value =
        serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.into()));
    Ok((name.to_string(), value))
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
    /// Seed the gateway's random choices (canary share, alias weights) so a
    /// split is reproducible
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
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
            let sdk = local.sdk_config();
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
        LocalCommand::Token(args) => token(args, ctx),
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

/// `local token`: signed by the running local stack's issuer.
fn token(args: TokenArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let local = Supervisor::running()?;
    let gateway = local.gateway.as_ref().ok_or_else(|| {
        AppError::environment("this local stack runs no API gateway (its issuer): restart it with `serverless-crud local down && serverless-crud local up`")
    })?;
    let issuer_url = crate::local::issuer::url(&gateway.endpoint);
    let issuer = crate::local::issuer::Issuer::load(&local.dir)?;
    let request = crate::local::issuer::TokenRequest {
        subject: args.subject,
        audiences: args.audience,
        client_id: args.client_id,
        scopes: args.scope,
        expires_in: args.expires_in,
        not_before: args.not_before,
        claims: args.claim,
    };
    let now = chrono::Utc::now().timestamp();
    let claims = crate::local::issuer::claims(&issuer_url, &request, now);
    let token = issuer.sign(&claims)?;
    if ctx.settings.output == Some(crate::output::OutputFormat::Json) {
        return Ok(Outcome::ok(SignedToken { token, claims }));
    }
    println!("{token}");
    Ok(Outcome::printed())
}

/// `local token -o json`.
#[derive(Serialize)]
struct SignedToken {
    token: String,
    claims: serde_json::Value,
}

impl fmt::Display for SignedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.token)
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
        seed: args.seed,
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
