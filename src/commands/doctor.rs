//! `doctor`: what works on this machine for the tool and its local stack,
//! what does not, and how to fix each (see `crate::doctor`).

use clap::Args;

use crate::context::Context;
use crate::error::AppError;
use crate::output::Outcome;

#[derive(Debug, Args)]
pub struct DoctorArgs {}

pub async fn run(_args: DoctorArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let report = crate::doctor::run(&ctx.settings).await;
    Ok(match report.problem() {
        Some(problem) => Outcome::failed(report, problem),
        None => Outcome::ok(report),
    })
}
