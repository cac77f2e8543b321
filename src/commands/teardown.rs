//! `teardown`: remove everything setup made, in dependency order, from the
//! state file or by discovery; tolerant, re-runnable, confirmed.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::context::Context;
use crate::error::AppError;
use crate::output::Outcome;
use crate::stack::backup::BackupMode;
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
    /// Delete tables that hold items without keeping a copy
    #[arg(long, conflicts_with_all = ["backup", "backup_dir"])]
    pub no_backup: bool,
    /// Where backups of tables holding items go: a file (default) or a DynamoDB on-demand backup
    #[arg(long, value_enum, default_value = "file")]
    pub backup: BackupKind,
    /// Directory for backup files [default: STATE_DIR/backups/STACK]
    #[arg(long, value_name = "DIR")]
    pub backup_dir: Option<PathBuf>,
    /// Tables larger than this are kept rather than backed up to a file (e.g. 500MB, 2GB)
    #[arg(long, value_name = "SIZE", default_value = "1GB", value_parser = parse_size)]
    pub backup_max: u64,
    /// Seconds between REST API deletions (AWS allows one per 30 s per account) [default: 30; 0 locally]
    #[arg(long, value_name = "SECS")]
    pub api_delete_interval: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BackupKind {
    /// A DynamoDB JSON export file (ddb-jsonl.gz), owner-only
    File,
    /// A DynamoDB on-demand backup (AWS keeps it after the table is deleted)
    Aws,
}

/// `1GB`, `500MB`, `2048KB`, or bytes (decimal units, like AWS's sizes).
fn parse_size(text: &str) -> Result<u64, String> {
    let upper = text.trim().to_ascii_uppercase();
    let (number, unit) = match upper.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => upper.split_at(i),
        None => (upper.as_str(), ""),
    };
    let scale: u64 = match unit.trim() {
        "" | "B" => 1,
        "KB" | "K" => 1_000,
        "MB" | "M" => 1_000_000,
        "GB" | "G" => 1_000_000_000,
        "TB" | "T" => 1_000_000_000_000,
        other => return Err(format!("unknown unit `{other}` (use B, KB, MB, GB or TB)")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .ok_or_else(|| format!("`{text}` is not a size such as 500MB or 1GB"))
}

impl TeardownArgs {
    fn backup_mode(&self) -> BackupMode {
        match (self.no_backup, self.backup) {
            (true, _) => BackupMode::Off,
            (false, BackupKind::Aws) => BackupMode::Aws,
            (false, BackupKind::File) => BackupMode::File {
                dir: self.backup_dir.clone(),
                max_bytes: self.backup_max,
            },
        }
    }
}

pub async fn run(args: TeardownArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let printer = &ctx.printer;
    let region = ctx.region().await?;
    let local = ctx.settings.local;
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
    if !ctx.settings.dry_run {
        for name in &stacks {
            _locks.push(stack::lock(name, &region, local, printer)?);
        }
    }
    let plans = teardown::plan(&clients, &stacks, &region, local).await?;
    if ctx.settings.dry_run {
        return Ok(Outcome::ok(teardown::dry_run_report(
            &plans,
            args.keep_tables,
            &args.backup_mode(),
        )));
    }
    if plans.iter().all(|p| p.found.is_empty() && !p.recorded) {
        let what = if args.all {
            "no stacks".to_string()
        } else {
            format!("nothing of stack {}", ctx.stack_name())
        };
        printer.info(format!("{what} found in {region}: nothing to tear down"));
        return Ok(Outcome::ok(teardown::dry_run_report(
            &[],
            false,
            &BackupMode::Off,
        )));
    }
    confirm(&args, &plans, printer)?;
    let options = Options {
        keep_tables: args.keep_tables,
        backup: args.backup_mode(),
        api_delete_interval: Duration::from_secs(args.api_delete_interval.unwrap_or(if local {
            0
        } else {
            30
        })),
        local,
        runtime: local.then_some(&crate::local::supervisor::LocalRuntime as _),
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
            let note = match (kind, args.keep_tables, args.no_backup) {
                ("table", true, _) => " (kept)",
                ("table", false, true) => {
                    tables.push(name.clone());
                    " (and all its items, no backup)"
                }
                ("table", false, false) => " (backed up first if it holds items)",
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

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_read_like_aws_writes_them() {
        assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
        assert_eq!(parse_size("500mb"), Ok(500_000_000));
        assert_eq!(parse_size("2048"), Ok(2048));
        assert!(parse_size("1.5GB").is_err());
        assert!(parse_size("10XB").unwrap_err().contains("unknown unit"));
    }
}
