//! `metrics`: invocations, errors, throttles, latency percentiles and API
//! status classes of a stack, per operation too, with sparklines.

use clap::Args;

use crate::context::Context;
use crate::error::AppError;
use crate::observe::logs::{self, Attribution, Source};
use crate::observe::metrics::{self, Query};
use crate::output::Outcome;

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// From when: a duration back (30m, 1h, 2d) or an RFC 3339 time
    #[arg(long, default_value = "1h", value_parser = logs::parse_since)]
    pub since: i64,
    /// Seconds per data point of the series (a multiple of 60)
    #[arg(long, default_value_t = 60, value_parser = period)]
    pub period: i32,
}

fn period(text: &str) -> Result<i32, String> {
    let secs: i32 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if secs >= 60 && secs % 60 == 0 {
        Ok(secs)
    } else {
        Err(format!("--period {secs}: use a multiple of 60 seconds"))
    }
}

pub async fn run(args: MetricsArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let target = super::logs::target(ctx).await?;
    let end = chrono::Utc::now().timestamp_millis();
    // The window's log lines: per-operation figures and percentiles.
    let logs_client = ctx.logs_client().await?;
    let mut attribution = Attribution::default();
    let function_lines = logs::read(
        &logs_client,
        &[(Source::Function, target.function_group.clone())],
        args.since,
        &mut attribution,
    )
    .await?;
    let api_lines = match &target.api {
        Some(api) => {
            logs::read(
                &logs_client,
                &[(Source::Api, api.access_log_group.clone())],
                args.since,
                &mut attribution,
            )
            .await?
        }
        None => Vec::new(),
    };
    let query = Query {
        function: &target.function,
        api: target
            .api
            .as_ref()
            .map(|a| ((a.dimension.0, a.dimension.1.as_str()), a.stage.as_str())),
        start_millis: args.since,
        end_millis: end,
        period_secs: args.period,
    };
    let report = metrics::measure(
        &ctx.cloudwatch().await?,
        &query,
        &function_lines,
        &api_lines,
    )
    .await?;
    Ok(Outcome::ok(report))
}
