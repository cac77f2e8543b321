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
    /// Also split the function's figures: by executed version (a release's
    /// alias side by side: invocations, errors, p50/p99)
    #[arg(long, value_enum, value_name = "WHAT")]
    pub by: Option<By>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum By {
    /// The version that ran each invocation
    Version,
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
    let mut report = metrics::measure(
        &ctx.cloudwatch().await?,
        &query,
        &function_lines,
        &api_lines,
    )
    .await?;
    if args.by == Some(By::Version) {
        let mut versions = metrics::by_version(&function_lines);
        if let Some(releases) = ctx.stack_state().await?.and_then(|s| s.releases) {
            if let Some(v) = versions.get_mut(&releases.live) {
                v.role = Some("live".into());
            }
            if let Some(w) = &releases.weighted {
                if let Some(v) = versions.get_mut(&w.version) {
                    v.role = Some(format!("weighted {:.0}%", w.weight * 100.0));
                }
            }
            if let Some(c) = &releases.canary {
                if let Some(v) = versions.get_mut(&c.version) {
                    v.role = Some(format!("canary {}%", c.percent));
                }
            }
        }
        report.versions = Some(versions);
    }
    Ok(Outcome::ok(report))
}
