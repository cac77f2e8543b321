//! `cors check`: a browser's view of the stack's API (see `cors_check`).

use clap::{Args, Subcommand};

use crate::context::Context;
use crate::cors_check::{self, Options};
use crate::error::AppError;
use crate::output::{JsonReport, Outcome};
use crate::stack::Routes;
use crate::transport::{Transport, Via};

#[derive(Debug, Subcommand)]
pub enum CorsCommand {
    /// Send the preflight and the call as a browser page on ORIGIN would, and explain the result
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The page's origin, as the browser sends it (https://app.example.com)
    #[arg(long, value_parser = crate::names::origin)]
    pub origin: String,
    /// The method the page uses [default: GET with --routes rest, else POST (to /crud)]
    #[arg(long)]
    pub method: Option<String>,
    /// A header the page adds (repeatable)
    #[arg(long = "header", value_name = "NAME")]
    pub headers: Vec<String>,
}

pub async fn run(command: CorsCommand, ctx: &Context) -> Result<Outcome, AppError> {
    let CorsCommand::Check(args) = command;
    ctx.heal_local().await?;
    let state = ctx.stack_state().await?.ok_or_else(|| {
        AppError::not_found(format!(
            "no stack `{}` is recorded; create it with `serverless-crud setup --stack {} --cors ORIGIN`",
            ctx.stack_name(),
            ctx.stack_name()
        ))
    })?;
    let Transport::Api(transport) = ctx.stack_transport(&state, Via::Api).await? else {
        return Err(AppError::internal(
            "the API transport is not an API transport",
        ));
    };
    let method = args
        .method
        .unwrap_or_else(|| {
            if state.routes == Routes::Rest {
                "GET"
            } else {
                "POST"
            }
            .into()
        })
        .to_ascii_uppercase();
    let base = crate::stack::stage_base(state.api_url()).unwrap_or_default();
    let table = state
        .tables
        .first()
        .map(|t| t.spec.name.clone())
        .unwrap_or_default();
    let (url, body) = match (method.as_str(), state.routes) {
        ("POST", _) => (
            transport.url().clone(),
            Some(br#"{"operation":"ping"}"#.to_vec()),
        ),
        ("GET", Routes::Rest) => (
            parse(&format!("{base}/items/{table}?limit=1"))?,
            Some(Vec::new()),
        ),
        (_, Routes::Rest) => (parse(&format!("{base}/items/{table}/cors-check"))?, None),
        (other, Routes::Crud) => {
            return Err(AppError::usage(format!(
                "stack {} serves POST /crud only: {other} needs --routes rest",
                state.stack
            )))
        }
    };
    let mut origins = state.cors.clone();
    if !origins.contains(&args.origin) {
        origins.push(args.origin.clone());
    }
    let local = if state.local { " --local" } else { "" };
    let fix = format!(
        "serverless-crud{local} --stack {} setup{}",
        state.stack,
        origins
            .iter()
            .map(|o| format!(" --cors {o}"))
            .collect::<String>()
    );
    let options = Options {
        origin: args.origin,
        method,
        headers: args.headers,
        url,
        body,
        fix,
    };
    if ctx.settings.dry_run {
        return Ok(Outcome::ok(JsonReport(cors_check::plan(
            &transport, &options,
        ))));
    }
    let report = cors_check::check(&transport, options).await?;
    Ok(match report.problem() {
        Some(problem) => Outcome::failed(report, problem),
        None => Outcome::ok(report),
    })
}

fn parse(url: &str) -> Result<url::Url, AppError> {
    url::Url::parse(url)
        .map_err(|e| AppError::internal(format!("the stage URL {url} is not a URL: {e}")))
}
