//! The teardown service: removes everything setup made, in dependency
//! order, from the state file or by discovery. A resource already gone is
//! fine; a failure on one does not stop the others; what remains is reported.

use std::fmt;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::AppError;
use crate::output::Progress;
use crate::stack::backup::{self, Backup, BackupMode};
use crate::stack::discover::{self, Found};
use crate::stack::{self, api, authorizer, function, iam, logs, Clients, Names};

/// One stack's resources as found now.
pub struct StackPlan {
    pub names: Names,
    pub found: Found,
    /// It has a state file.
    pub recorded: bool,
}

/// Finds what exists of each stack.
pub async fn plan(
    clients: &Clients,
    stacks: &[String],
    region: &str,
    local: bool,
) -> Result<Vec<StackPlan>, AppError> {
    let mut plans = Vec::new();
    for name in stacks {
        let names = Names::new(name, region)?;
        let state = stack::load_state(name, region, local)?;
        let found = discover::discover(clients, &names, state.as_ref()).await?;
        plans.push(StackPlan {
            names,
            found,
            recorded: state.is_some(),
        });
    }
    Ok(plans)
}

pub struct Options<'a> {
    pub keep_tables: bool,
    /// How tables that hold items are kept before they are deleted.
    pub backup: BackupMode,
    /// Pause between REST API deletions (AWS allows one per 30 s per account).
    pub api_delete_interval: Duration,
    pub local: bool,
    /// Where the function also runs outside Lambda (the local stack's
    /// workers): stopped there once the function is deleted.
    pub runtime: Option<&'a dyn stack::FunctionRuntime>,
}

/// One resource and what happened to it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub stack: String,
    pub kind: &'static str,
    pub name: String,
    pub outcome: String,
    #[serde(skip)]
    pub remains: bool,
}

/// What teardown did (or, with --dry-run, would do).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TeardownReport {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dry_run: bool,
    pub resources: Vec<Row>,
    pub remaining: Vec<Remaining>,
    /// Copies made before tables were deleted.
    pub backups: Vec<Backup>,
}

#[derive(Debug, Serialize)]
pub struct Remaining {
    pub stack: String,
    pub kind: &'static str,
    pub name: String,
}

impl TeardownReport {
    fn new(resources: Vec<Row>, backups: Vec<Backup>, dry_run: bool) -> TeardownReport {
        let remaining = resources
            .iter()
            .filter(|r| r.remains)
            .map(|r| Remaining {
                stack: r.stack.clone(),
                kind: r.kind,
                name: r.name.clone(),
            })
            .collect();
        TeardownReport {
            dry_run,
            resources,
            remaining,
            backups,
        }
    }

    pub fn problem(&self) -> Option<AppError> {
        (!self.remaining.is_empty()).then(|| {
            AppError::incomplete(format!(
                "{} resource(s) still exist; fix the cause above and run teardown again",
                self.remaining.len()
            ))
        })
    }
}

/// Text: the steps were shown as they happened; this is the outcome, once.
impl fmt::Display for TeardownReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dry_run {
            let rows: Vec<(String, String)> = self
                .resources
                .iter()
                .map(|r| {
                    (
                        format!("{} {} {}", r.stack, r.kind, r.name),
                        r.outcome.clone(),
                    )
                })
                .collect();
            return write!(f, "{}", crate::output::rows_table(&rows));
        }
        let gone = self.resources.iter().filter(|r| !r.remains).count();
        for b in &self.backups {
            let what = match (&b.file, &b.backup_arn) {
                (Some(file), _) => file.display().to_string(),
                (None, Some(arn)) => format!("on-demand backup {arn}"),
                (None, None) => "-".into(),
            };
            let items = b.items.map(|n| format!("{n} items, ")).unwrap_or_default();
            writeln!(
                f,
                "backup of {}: {items}{what}
  restore: {}",
                b.table, b.restore
            )?;
        }
        if self.remaining.is_empty() {
            write!(
                f,
                "teardown complete: {gone} resource(s) gone, nothing remains"
            )
        } else {
            writeln!(
                f,
                "teardown incomplete: {gone} gone, {} remain:",
                self.remaining.len()
            )?;
            for r in &self.remaining {
                writeln!(f, "  {} {} {}", r.stack, r.kind, r.name)?;
            }
            Ok(())
        }
    }
}

/// What teardown would delete (--dry-run), deleting nothing.
pub fn dry_run_report(
    plans: &[StackPlan],
    keep_tables: bool,
    backup: &BackupMode,
) -> TeardownReport {
    let mut rows = Vec::new();
    for plan in plans {
        for (kind, name) in resources(&plan.found) {
            let outcome = match (kind, keep_tables, backup) {
                ("table", true, _) => "would keep",
                ("table", false, BackupMode::Off) => "would delete (with its items, no backup)",
                ("table", false, BackupMode::Aws) => {
                    "would back up (on-demand backup) if it holds items, then delete"
                }
                ("table", false, BackupMode::File { .. }) => {
                    "would back up to a file if it holds items, then delete"
                }
                _ => "would delete",
            };
            rows.push(Row {
                stack: plan.names.stack.clone(),
                kind,
                name,
                outcome: outcome.into(),
                remains: false,
            });
        }
    }
    TeardownReport::new(rows, Vec::new(), true)
}

/// Every resource found, in deletion order.
pub fn resources(found: &Found) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    out.extend(found.usage_plans.iter().map(|p| ("usage plan", p.clone())));
    out.extend(found.api_keys.iter().map(|k| ("API key", k.clone())));
    for (kind, name) in [
        ("REST API", &found.rest_api),
        ("HTTP API", &found.http_api),
        ("function", &found.function),
        ("log group", &found.log_group),
        ("access-log group", &found.access_log_group),
        ("canary access-log group", &found.canary_log_group),
        ("authorizer function", &found.authorizer_function),
        ("authorizer log group", &found.authorizer_log_group),
        ("user pool", &found.user_pool),
        ("role", &found.role),
        ("authorizer role", &found.authorizer_role),
    ] {
        out.extend(name.iter().map(|n| (kind, n.clone())));
    }
    out.extend(found.tables.iter().map(|t| ("table", t.clone())));
    out
}

/// Deletes every planned stack; removes the state file of a stack that is
/// completely gone.
pub async fn execute(
    clients: &Clients,
    plans: &[StackPlan],
    options: &Options<'_>,
    progress: &dyn Progress,
) -> Result<TeardownReport, AppError> {
    let mut rows = Vec::new();
    let mut backups = Vec::new();
    let mut last_api_delete: Option<Instant> = None;
    for plan in plans {
        teardown_stack(
            clients,
            plan,
            options,
            &mut last_api_delete,
            (&mut rows, &mut backups),
            progress,
        )
        .await;
        let remains = rows
            .iter()
            .any(|r| r.stack == plan.names.stack && r.remains);
        if !remains {
            stack::remove_state(&plan.names.stack, &plan.names.region, options.local)?;
            crate::stack::cognito::Login::remove(
                &plan.names.stack,
                &plan.names.region,
                options.local,
            )?;
        }
    }
    Ok(TeardownReport::new(rows, backups, false))
}

/// Records each deletion as a row (and a step on stderr).
struct Recorder<'a> {
    stack: &'a str,
    rows: &'a mut Vec<Row>,
    progress: &'a dyn Progress,
}

impl Recorder<'_> {
    fn record(&mut self, kind: &'static str, name: String, result: Result<bool, AppError>) {
        let (outcome, remains) = match result {
            Ok(true) => ("deleted".to_string(), false),
            Ok(false) => ("already absent".to_string(), false),
            Err(e) => (format!("FAILED: {e}"), true),
        };
        let step = self.progress.step(&format!("{} {kind} {name}", self.stack));
        if remains {
            step.failed(&outcome);
        } else {
            step.done(&outcome);
        }
        self.rows.push(Row {
            stack: self.stack.to_string(),
            kind,
            name,
            outcome,
            remains,
        });
    }
}

/// One stack, in dependency order: the API side, the function and its
/// logs, the role, then the tables (each backed up first).
async fn teardown_stack(
    clients: &Clients,
    plan: &StackPlan,
    options: &Options<'_>,
    last_api_delete: &mut Option<Instant>,
    (rows, backups): (&mut Vec<Row>, &mut Vec<Backup>),
    progress: &dyn Progress,
) {
    let names = &plan.names;
    let found = &plan.found;
    let mut rec = Recorder {
        stack: &names.stack,
        rows,
        progress,
    };
    delete_api(clients, found, options, last_api_delete, &mut rec).await;
    delete_http_api(clients, found, &mut rec).await;
    delete_function(clients, names, found, options, &mut rec).await;
    delete_authorizer(clients, names, found, options, &mut rec).await;
    if let Some(pool) = &found.user_pool {
        let result = clients.cognito.delete_pool(pool).await;
        rec.record("user pool", pool.clone(), result);
    }
    if let Some(role) = &found.role {
        let result = iam::delete_role(&clients.iam, role, names.policy()).await;
        rec.record("role", role.clone(), result);
    }
    if let Some(role) = &found.authorizer_role {
        let result = iam::delete_role(&clients.iam, role, authorizer::POLICY).await;
        rec.record("authorizer role", role.clone(), result);
    }
    if !options.keep_tables {
        for table in &found.tables {
            let result =
                back_up_and_delete(clients, names, table, options, backups, progress).await;
            rec.record("table", table.clone(), result);
        }
    }
}

/// Usage plans, API keys, then the REST API (AWS allows one REST API
/// deletion per 30 s per account).
async fn delete_api(
    clients: &Clients,
    found: &Found,
    options: &Options<'_>,
    last_api_delete: &mut Option<Instant>,
    rec: &mut Recorder<'_>,
) {
    let apigw = &clients.apigateway;
    for id in &found.usage_plans {
        rec.record(
            "usage plan",
            id.clone(),
            api::delete_usage_plan(apigw, id).await,
        );
    }
    for id in &found.api_keys {
        rec.record("API key", id.clone(), api::delete_api_key(apigw, id).await);
    }
    let Some(id) = &found.rest_api else {
        return;
    };
    if let Some(last) = last_api_delete {
        let wait = options.api_delete_interval.saturating_sub(last.elapsed());
        if !wait.is_zero() {
            rec.progress.note(&format!(
                "waiting {}s: AWS allows one REST API deletion per 30 s",
                wait.as_secs()
            ));
            tokio::time::sleep(wait).await;
        }
    }
    rec.record(
        "REST API",
        id.clone(),
        api::delete_rest_api(apigw, id).await,
    );
    *last_api_delete = Some(Instant::now());
}

/// The HTTP API (its routes, integration and stage go with it).
async fn delete_http_api(clients: &Clients, found: &Found, rec: &mut Recorder<'_>) {
    if let Some(id) = &found.http_api {
        let result = crate::stack::http_api::delete(&clients.apigatewayv2, id).await;
        rec.record("HTTP API", id.clone(), result);
    }
}

/// The function, where else it runs, then its log groups.
async fn delete_function(
    clients: &Clients,
    names: &Names,
    found: &Found,
    options: &Options<'_>,
    rec: &mut Recorder<'_>,
) {
    if let Some(name) = &found.function {
        rec.record(
            "function",
            name.clone(),
            function::delete(&clients.lambda, name).await,
        );
    }
    if let Some(runtime) = options.runtime {
        // Before the log groups go: a last worker flush would recreate them.
        runtime.stop(&names.function());
    }
    if let Some(group) = &found.log_group {
        let mut result = logs::delete(&clients.logs, group).await;
        // A last invocation can make Lambda recreate the group: check again.
        if result.is_ok() {
            match logs::describe(&clients.logs, group).await {
                Ok(Some(_)) => result = logs::delete(&clients.logs, group).await,
                Ok(None) => {}
                Err(e) => result = Err(e),
            }
        }
        rec.record("log group", group.clone(), result);
    }
    if let Some(group) = &found.access_log_group {
        let result = logs::delete(&clients.logs, group).await;
        rec.record("access-log group", group.clone(), result);
    }
    if let Some(group) = &found.canary_log_group {
        let result = logs::delete(&clients.logs, group).await;
        rec.record("canary access-log group", group.clone(), result);
    }
}

/// The Lambda authorizer's function (stopped where it also runs) and log group.
async fn delete_authorizer(
    clients: &Clients,
    names: &Names,
    found: &Found,
    options: &Options<'_>,
    rec: &mut Recorder<'_>,
) {
    if let Some(name) = &found.authorizer_function {
        let result = function::delete(&clients.lambda, name).await;
        rec.record("authorizer function", name.clone(), result);
    }
    if let Some(runtime) = options.runtime {
        runtime.stop(&names.authorizer_function());
    }
    if let Some(group) = &found.authorizer_log_group {
        let result = logs::delete(&clients.logs, group).await;
        rec.record("authorizer log group", group.clone(), result);
    }
}

/// No copy, no delete: a table whose backup failed stays.
async fn back_up_and_delete(
    clients: &Clients,
    names: &Names,
    table: &str,
    options: &Options<'_>,
    backups: &mut Vec<Backup>,
    progress: &dyn Progress,
) -> Result<bool, AppError> {
    let made = backup::back_up(
        &clients.dynamodb,
        &clients.dynamodb_api,
        &names.stack,
        table,
        &options.backup,
        options.local,
        progress,
    )
    .await;
    match made {
        Ok(made) => backups.extend(made),
        Err(e @ AppError::Incomplete { .. }) => return Err(e),
        Err(e) => {
            return Err(AppError::incomplete(format!(
                "backup failed, so the table is kept: {e}"
            )))
        }
    }
    stack::tables::delete(&clients.dynamodb, table).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(stack: &str) -> StackPlan {
        let names = Names::new(stack, "eu-west-1").unwrap();
        StackPlan {
            found: Found {
                tables: vec!["users".into(), "orders".into()],
                log_group: Some(names.log_group()),
                access_log_group: Some(names.access_log_group()),
                canary_log_group: None,
                role: Some(names.role()),
                function: Some(names.function()),
                rest_api: Some("abc123".into()),
                http_api: None,
                usage_plans: vec!["plan1".into(), "plan2".into()],
                api_keys: vec!["key1".into()],
                authorizer_function: None,
                authorizer_log_group: None,
                authorizer_role: None,
                user_pool: None,
            },
            names,
            recorded: true,
        }
    }

    fn rows(report: &TeardownReport) -> Vec<(String, String, String)> {
        report
            .resources
            .iter()
            .map(|r| (r.kind.to_string(), r.name.clone(), r.outcome.clone()))
            .collect()
    }

    #[test]
    fn the_dry_run_lists_everything_in_deletion_order_and_changes_nothing() {
        let file = BackupMode::File {
            dir: None,
            max_bytes: 1_000_000_000,
        };
        let report = dry_run_report(&[plan("shop")], false, &file);
        let kinds: Vec<String> = rows(&report).into_iter().map(|r| r.0).collect();
        assert_eq!(
            kinds,
            [
                "usage plan",
                "usage plan",
                "API key",
                "REST API",
                "function",
                "log group",
                "access-log group",
                "role",
                "table",
                "table"
            ]
        );
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["dryRun"], true);
        assert_eq!(json["remaining"], json!([]));
        assert_eq!(json["backups"], json!([]));
        let tables = |report: &TeardownReport| {
            rows(report)
                .into_iter()
                .filter(|r| r.0 == "table")
                .map(|r| r.2)
                .collect::<Vec<_>>()
        };
        assert!(
            tables(&report)[0].contains("back up to a file"),
            "{report:?}"
        );
        let aws = dry_run_report(&[plan("shop")], false, &BackupMode::Aws);
        assert!(tables(&aws)[0].contains("on-demand backup"));
        let off = dry_run_report(&[plan("shop")], false, &BackupMode::Off);
        assert!(tables(&off)[0].contains("no backup"));
        let kept = dry_run_report(&[plan("shop")], true, &BackupMode::Off);
        assert_eq!(tables(&kept), ["would keep", "would keep"]);
        assert!(rows(&kept)
            .iter()
            .filter(|r| r.0 != "table")
            .all(|r| r.2 == "would delete"));
    }

    #[test]
    fn the_dry_run_of_several_stacks_names_each_and_of_none_is_empty() {
        let report = dry_run_report(&[plan("a-1"), plan("b-2")], false, &BackupMode::Off);
        let stacks: std::collections::BTreeSet<&str> =
            report.resources.iter().map(|r| r.stack.as_str()).collect();
        assert_eq!(stacks.into_iter().collect::<Vec<_>>(), ["a-1", "b-2"]);
        assert!(report.resources.iter().any(|r| r.name == "scrud-b-2"));
        let empty = dry_run_report(&[], false, &BackupMode::Off);
        assert!(empty.resources.is_empty() && empty.problem().is_none());
    }
}
