//! `logs`: a stack's function and API log lines, joined by request id, as
//! they are or as they happen (`--follow`).

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::Args;

use crate::context::Context;
use crate::error::AppError;
use crate::observe::logs::{self, Attribution, Line, Query, Source};
use crate::observe::Target;
use crate::output::Outcome;
use crate::stack::Names;

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// From when: a duration back (30s, 10m, 1h, 2d) or an RFC 3339 time
    #[arg(long, default_value = "10m", value_parser = logs::parse_since)]
    pub since: i64,
    /// Keep printing new lines as they come (Ctrl-C ends it)
    #[arg(long, short = 'f')]
    pub follow: bool,
    /// Only lines containing TEXT
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Only one request's lines (its Lambda or API request id): START … REPORT and its API line
    #[arg(long, value_name = "ID")]
    pub request_id: Option<String>,
    /// Which log groups
    #[arg(long, value_enum, default_value_t = Source::All)]
    pub source: Source,
}

pub async fn run(args: LogsArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let target = target(ctx).await?;
    let mut groups = Vec::new();
    if args.source != Source::Api {
        groups.push((Source::Function, target.function_group.clone()));
    }
    if let (true, Some(api)) = (args.source != Source::Function, &target.api) {
        let group = &api.access_log_group;
        groups.push((Source::Api, group.clone()));
    }
    let query = Query {
        groups,
        since_millis: args.since,
        filter: args.filter,
        request_id: args.request_id,
    };
    let client = ctx.logs_client().await?;
    let json = ctx.printer.is_json();
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) ends the output quietly.
    let mut print = |line: &Line| -> bool {
        let text = if json {
            serde_json::to_string(line).expect("a line serialises")
        } else {
            line.to_string()
        };
        writeln!(out, "{text}").and_then(|_| out.flush()).is_ok()
    };
    if args.follow {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            flag.store(true, Ordering::SeqCst);
        });
        ctx.printer.info(format!(
            "following logs of stack {} (Ctrl-C to stop)",
            target.stack
        ));
        logs::follow(&client, &query, stop, &ctx.printer, print).await?;
    } else {
        let lines = logs::read(
            &client,
            &query.groups,
            query.since_millis,
            &mut Attribution::default(),
        )
        .await?;
        for line in logs::select(lines, &query) {
            if !print(&line) {
                break;
            }
        }
    }
    Ok(Outcome::printed())
}

/// The stack (`--stack`, else `default`) whose telemetry to read.
pub async fn target(ctx: &Context) -> Result<Target, AppError> {
    let region = ctx.region().await?;
    let names = Names::new(ctx.stack_name(), &region)?;
    let state = ctx.stack_state().await?;
    Target::resolve(
        &names,
        state.as_ref(),
        ctx.settings.local,
        ctx.settings.stack.is_some(),
    )
}
