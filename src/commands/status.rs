//! `status`: what exists of a stack, its state, drift, and live latency
//! through each transport.

use std::collections::BTreeMap;
use std::time::Instant;

use clap::Args;
use serde_json::json;

use crate::context::Context;
use crate::error::AppError;
use crate::event::{event, Operation};
use crate::output::Outcome;
use crate::stack::inspect::{self, Ping, StatusReport};
use crate::stack::{discover, Names, StackState};
use crate::transport::Via;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print the API key value (api-key stacks)
    #[arg(long)]
    pub show_api_key: bool,
}

pub async fn run(args: StatusArgs, ctx: &Context) -> Result<Outcome, AppError> {
    ctx.heal_local().await?;
    let region = ctx.region().await?;
    let names = Names::new(ctx.stack_name(), &region)?;
    let clients = ctx.clients().await?;
    let state = ctx.stack_state().await?;
    let found = discover::discover(&clients, &names, state.as_ref()).await?;
    let Some(state) = state else {
        let local = if ctx.settings.local { " --local" } else { "" };
        return Err(AppError::not_found(if found.is_empty() {
            format!(
                "no stack {} in {region}{}; create it with `serverless-crud{local} --stack {} setup --table NAME`",
                names.stack,
                if ctx.settings.local { " (local stack)" } else { "" },
                names.stack
            )
        } else {
            format!(
                "stack {} has resources in {region} but no state file (lost, or setup was interrupted); \
                 run setup again to finish it, or teardown to remove them",
                names.stack
            )
        }));
    };
    if state.local && !ctx.settings.dry_run {
        // The local gateway serves the configuration as it is now.
        crate::local::Supervisor::refresh_gateway().await?;
    }
    let checks = inspect::check(&clients, &names, &state, &found).await;
    let mut pings = BTreeMap::new();
    for via in [Via::Api, Via::Lambda] {
        let name = if via == Via::Api { "api" } else { "lambda" };
        pings.insert(name, ping(ctx, &state, via).await);
    }
    let report = StatusReport::new(&state, checks, pings, args.show_api_key);
    Ok(match report.problem() {
        Some(problem) => Outcome::failed(report, problem),
        None => Outcome::ok(report),
    })
}

/// One live ping through `via` (skipped with --dry-run: a ping is an invocation).
async fn ping(ctx: &Context, state: &StackState, via: Via) -> Ping {
    let mut result = Ping {
        ok: false,
        latency_ms: None,
        error: None,
        after_ms: None,
        skipped: None,
    };
    if ctx.settings.dry_run {
        result.ok = true;
        result.skipped = Some("dry run");
        return result;
    }
    let started = Instant::now();
    let answer = async {
        let transport = ctx.stack_transport(state, via).await?;
        let raw = transport
            .send(&event(Operation::Ping, None, None), true)
            .await?;
        Ok::<_, AppError>((crate::reply::decode(&raw)?, raw.elapsed))
    };
    match answer.await {
        Ok((v, elapsed)) if v == json!("pong") => {
            result.ok = true;
            result.latency_ms = Some((elapsed.as_secs_f64() * 10000.0).round() / 10.0);
        }
        Ok((v, _)) => result.error = Some(format!("answered {v}")),
        Err(e) => {
            result.error = Some(e.to_string());
            result.after_ms = Some(started.elapsed().as_millis());
        }
    }
    result
}
