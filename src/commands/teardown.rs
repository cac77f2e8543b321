//! `teardown`: remove everything setup made, in dependency order, from the
//! state file or by discovery; tolerant, re-runnable, confirmed.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::json;

use crate::context::Context;
use crate::error::AppError;
use crate::output::{Outcome, Text};
use crate::stack::discover::{self, Found};
use crate::stack::{self, api, function, iam, logs, Names};

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

struct Row {
    stack: String,
    kind: &'static str,
    name: String,
    outcome: String,
    remains: bool,
}

pub async fn run(args: TeardownArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let printer = &ctx.printer;
    let region = ctx.region().await?;
    let local = ctx.global.local;
    let stacks: Vec<String> = if args.all {
        let mut all = discover::stacks_in_region(ctx, &region).await?;
        all.extend(recorded_stacks(&region, local)?);
        // A tag or file name that is not a stack name is not ours to act on.
        all.into_iter()
            .filter(|s| crate::names::stack_name(s).is_ok())
            .collect()
    } else {
        vec![ctx.stack_name().to_string()]
    };

    // Each stack's lock (in name order: no two teardowns deadlock), so a
    // setup running now finishes before its resources are listed.
    let mut locks = Vec::new();
    if !ctx.global.dry_run {
        let mut sorted = stacks.clone();
        sorted.sort();
        for name in &sorted {
            locks.push(stack::lock(name, &region, local, printer)?);
        }
    }
    let mut plans = Vec::new();
    for name in &stacks {
        let names = Names::new(name, &region)?;
        let state = stack::load_state(name, &region, local)?;
        let found = discover::discover(ctx, &names, state.as_ref()).await?;
        plans.push((names, found, state.is_some()));
    }
    if plans
        .iter()
        .all(|(_, found, recorded)| found.is_empty() && !recorded)
    {
        let what = if args.all {
            "no stacks".to_string()
        } else {
            format!("nothing of stack {}", ctx.stack_name())
        };
        return Ok(Outcome::line(
            json!({"deleted": [], "remaining": []}),
            format!("{what} found in {region}: nothing to tear down"),
        ));
    }

    if ctx.global.dry_run {
        return Ok(plan(&plans, &args));
    }
    confirm(&args, &plans, printer)?;

    let interval =
        Duration::from_secs(
            args.api_delete_interval
                .unwrap_or(if local { 0 } else { 30 }),
        );
    let mut last_api_delete: Option<Instant> = None;
    let mut rows = Vec::new();
    for (names, found, _) in &plans {
        teardown_stack(
            ctx,
            names,
            found,
            &args,
            interval,
            &mut last_api_delete,
            &mut rows,
        )
        .await?;
        let stack_remains = rows.iter().any(|r| r.stack == names.stack && r.remains);
        if !stack_remains {
            stack::remove_state(&names.stack, &region, local)?;
        }
    }

    let remaining: Vec<&Row> = rows.iter().filter(|r| r.remains).collect();
    let json = json!({
        "resources": rows.iter().map(|r| json!({"stack": r.stack, "kind": r.kind, "name": r.name, "outcome": r.outcome})).collect::<Vec<_>>(),
        "remaining": remaining.iter().map(|r| json!({"stack": r.stack, "kind": r.kind, "name": r.name})).collect::<Vec<_>>(),
    });
    let table: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                format!("{} {} {}", r.stack, r.kind, r.name),
                r.outcome.clone(),
            )
        })
        .collect();
    let outcome = Outcome {
        json,
        text: Text::Rows(table),
    };
    if remaining.is_empty() {
        return Ok(outcome);
    }
    printer.emit(&outcome);
    Err(AppError::Incomplete(format!(
        "{} resource(s) still exist; fix the cause above and run teardown again",
        remaining.len()
    ))
    .into())
}

/// What teardown would delete, without deleting anything (--dry-run).
fn plan(plans: &[(Names, Found, bool)], args: &TeardownArgs) -> Outcome {
    let mut resources = Vec::new();
    for (names, found, _) in plans {
        let mut add = |kind: &str, name: &str, action: &str| {
            resources
                .push(json!({"stack": names.stack, "kind": kind, "name": name, "outcome": action}));
        };
        for id in &found.usage_plans {
            add("usage plan", id, "would delete");
        }
        for id in &found.api_keys {
            add("API key", id, "would delete");
        }
        for (kind, name) in [
            ("REST API", &found.rest_api),
            ("function", &found.function),
            ("log group", &found.log_group),
            ("role", &found.role),
        ] {
            if let Some(name) = name {
                add(kind, name, "would delete");
            }
        }
        for table in &found.tables {
            let action = if args.keep_tables {
                "would keep"
            } else {
                "would delete (with its items)"
            };
            add("table", table, action);
        }
    }
    let rows = resources
        .iter()
        .map(|r| {
            (
                format!(
                    "{} {} {}",
                    r["stack"].as_str().unwrap_or_default(),
                    r["kind"].as_str().unwrap_or_default(),
                    r["name"].as_str().unwrap_or_default()
                ),
                r["outcome"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    Outcome {
        json: json!({"dryRun": true, "resources": resources, "remaining": []}),
        text: Text::Rows(rows),
    }
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
    plans: &[(Names, Found, bool)],
    printer: &crate::output::Printer,
) -> Result<(), AppError> {
    if args.yes {
        return Ok(());
    }
    let mut listing = String::new();
    let mut tables = Vec::new();
    for (names, found, _) in plans {
        listing.push_str(&format!("stack {}:\n", names.stack));
        let mut line = |kind: &str, name: &Option<String>| {
            if let Some(name) = name {
                listing.push_str(&format!("  {kind:<12} {name}\n"));
            }
        };
        for plan in &found.usage_plans {
            line("usage plan", &Some(plan.clone()));
        }
        for key in &found.api_keys {
            line("API key", &Some(key.clone()));
        }
        line("REST API", &found.rest_api);
        line("function", &found.function);
        line("log group", &found.log_group);
        line("role", &found.role);
        for t in &found.tables {
            if args.keep_tables {
                listing.push_str(&format!("  {:<12} {t} (kept)\n", "table"));
            } else {
                listing.push_str(&format!("  {:<12} {t} (and all its items)\n", "table"));
                tables.push(t.clone());
            }
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
            .map_err(|e| AppError::usage(format!("cannot ask for confirmation: {e}")))
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

/// Deletes one stack's resources; each failure is recorded, never fatal.
async fn teardown_stack(
    ctx: &Context,
    names: &Names,
    found: &Found,
    args: &TeardownArgs,
    interval: Duration,
    last_api_delete: &mut Option<Instant>,
    rows: &mut Vec<Row>,
) -> Result<(), AppError> {
    let printer = &ctx.printer;
    let mut record = |kind: &'static str, name: String, result: Result<bool, AppError>| {
        let (outcome, remains) = match result {
            Ok(true) => ("deleted".to_string(), false),
            Ok(false) => ("already absent".to_string(), false),
            Err(e) => (format!("FAILED: {e}"), true),
        };
        let step = printer.step(format!("{} {kind} {name}", names.stack));
        if remains {
            step.failed(&outcome);
        } else {
            step.done(&outcome);
        }
        rows.push(Row {
            stack: names.stack.clone(),
            kind,
            name,
            outcome,
            remains,
        });
    };

    let apigw = ctx.apigateway().await?;
    for id in &found.usage_plans {
        record(
            "usage plan",
            id.clone(),
            api::delete_usage_plan(&apigw, id).await,
        );
    }
    for id in &found.api_keys {
        record("API key", id.clone(), api::delete_api_key(&apigw, id).await);
    }
    if let Some(id) = &found.rest_api {
        if let Some(last) = last_api_delete {
            let wait = interval.saturating_sub(last.elapsed());
            if !wait.is_zero() {
                printer.info(format!(
                    "waiting {}s: AWS allows one REST API deletion per 30 s",
                    wait.as_secs()
                ));
                tokio::time::sleep(wait).await;
            }
        }
        record(
            "REST API",
            id.clone(),
            api::delete_rest_api(&apigw, id).await,
        );
        *last_api_delete = Some(Instant::now());
    }
    let lambda = ctx.lambda_control().await?;
    if let Some(name) = &found.function {
        record(
            "function",
            name.clone(),
            function::delete(&lambda, name).await,
        );
    }
    if ctx.global.local {
        // Stop the function's workers; no running local stack means none to stop.
        let _ =
            crate::local::LocalState::modify(|local| Ok(local.remove_function(&names.function())));
    }
    let logs_client = ctx.logs().await?;
    if let Some(group) = &found.log_group {
        let mut result = logs::delete(&logs_client, group).await;
        // A last invocation can make Lambda recreate the group: check again.
        if result.is_ok() && logs::describe(&logs_client, group).await?.is_some() {
            result = logs::delete(&logs_client, group).await;
        }
        record("log group", group.clone(), result);
    }
    if let Some(role) = &found.role {
        let iam_client = ctx.iam().await?;
        record(
            "role",
            role.clone(),
            iam::delete_role(&iam_client, role, names.policy()).await,
        );
    }
    if !args.keep_tables {
        let dynamodb = ctx.dynamodb().await?;
        for table in &found.tables {
            record(
                "table",
                table.clone(),
                stack::tables::delete(&dynamodb, table).await,
            );
        }
    }
    Ok(())
}
