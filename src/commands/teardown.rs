//! `teardown`: remove everything setup made, in dependency order, from the
//! state file or by discovery; tolerant, re-runnable, confirmed.

use std::io::IsTerminal;
use std::time::Duration;

use clap::Args;

use crate::context::Context;
use crate::error::AppError;
use crate::output::Outcome;
use crate::stack::teardown::{self, Options, StackPlan};
use crate::stack::{self, discover};

#[derive(Debug, Args)]
pub struct TeardownArgs {
    /// Every stack this tool made in the region (workshop cleanup)
    #[arg(long)]
    pub all: bool,
    /// Do not ask; required when there is no terminal
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Keep the tables and their data
    #[arg(long)]
    pub keep_tables: bool,
    /// Seconds between REST API deletions (AWS allows one per 30 s per account) [default: 30; 0 locally]
    #[arg(long, value_name = "SECS")]
    pub api_delete_interval: Option<u64>,
}

pub async fn run(args: TeardownArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let printer = &ctx.printer;
    let region = ctx.region().await?;
    let local = ctx.global.local;
    let clients = ctx.clients().await?;
    let mut stacks: Vec<String> = if args.all {
        let mut all = discover::stacks_in_region(&clients, &region).await?;
        all.extend(recorded_stacks(&region, local)?);
        // A tag or file name that is not a stack name is not ours to act on.
        all.into_iter()
            .filter(|s| crate::names::stack_name(s).is_ok())
            .collect()
    } else {
        vec![ctx.stack_name().to_string()]
    };
    stacks.sort();
    // Each stack's lock (in name order: no two teardowns deadlock), so a
    // setup running now finishes before its resources are listed.
    let mut _locks = Vec::new();
    if !ctx.global.dry_run {
        for name in &stacks {
            _locks.push(stack::lock(name, &region, local, printer)?);
        }
    }
    let plans = teardown::plan(&clients, &stacks, &region, local).await?;
    if ctx.global.dry_run {
        return Ok(Outcome::ok(teardown::dry_run_report(
            &plans,
            args.keep_tables,
        )));
    }
    if plans.iter().all(|p| p.found.is_empty() && !p.recorded) {
        let what = if args.all {
            "no stacks".to_string()
        } else {
            format!("nothing of stack {}", ctx.stack_name())
        };
        printer.info(format!("{what} found in {region}: nothing to tear down"));
        return Ok(Outcome::ok(teardown::dry_run_report(&[], false)));
    }
    confirm(&args, &plans, printer)?;
    let options = Options {
        keep_tables: args.keep_tables,
        api_delete_interval: Duration::from_secs(args.api_delete_interval.unwrap_or(if local {
            0
        } else {
            30
        })),
        local,
    };
    let report = teardown::execute(&clients, &plans, &options, printer).await?;
    Ok(match report.problem() {
        Some(problem) => Outcome::failed(report, problem),
        None => Outcome::ok(report),
    })
}

/// Stacks with a state file in this region (their resources may be gone).
fn recorded_stacks(region: &str, local: bool) -> Result<Vec<String>, AppError> {
    let dir = stack::state_path(crate::stack::DEFAULT_STACK, region, local)?;
    let dir = dir.parent().expect("state files live in a directory");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    Ok(entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".json"))
                .map(str::to_string)
        })
        .collect())
}

fn confirm(
    args: &TeardownArgs,
    plans: &[StackPlan],
    printer: &crate::output::Printer,
) -> Result<(), AppError> {
    if args.yes {
        return Ok(());
    }
    let mut listing = String::new();
    let mut tables = Vec::new();
    for plan in plans {
        listing.push_str(&format!("stack {}:\n", plan.names.stack));
        for (kind, name) in teardown::resources(&plan.found) {
            let note = match (kind, args.keep_tables) {
                ("table", true) => " (kept)",
                ("table", false) => {
                    tables.push(name.clone());
                    " (and all its items)"
                }
                _ => "",
            };
            listing.push_str(&format!("  {kind:<12} {name}{note}\n"));
        }
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(AppError::usage(format!(
            "teardown deletes:\n{listing}refusing without confirmation: no terminal to ask on; pass --yes"
        )));
    }
    printer.info(format!("teardown deletes:\n{listing}"));
    let ask = |prompt: String| {
        // Each answer needs Enter: a habitual "y<Enter>" must not answer two questions.
        dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(false)
            .wait_for_newline(true)
            .interact_on(&console::Term::stderr())
            .map_err(|e| AppError::environment(format!("cannot ask for confirmation: {e}")))
    };
    if !ask("Delete these resources?".into())? {
        return Err(AppError::usage("teardown cancelled: nothing was deleted"));
    }
    if !tables.is_empty()
        && !ask(format!(
            "Also delete the data in {}? This cannot be undone",
            tables.join(", ")
        ))?
    {
        return Err(AppError::usage(
            "teardown cancelled: nothing was deleted (use --keep-tables to keep the data)",
        ));
    }
    Ok(())
}
