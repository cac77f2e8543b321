//! `deploy`, `promote`, `rollback`: releases through published versions and
//! the alias `live` ([`crate::stack::release`]).

use std::fmt;
use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use crate::context::Context;
use crate::error::AppError;
use crate::local::{FunctionConfig, Supervisor};
use crate::output::Outcome;
use crate::stack::release::{self, Releases, Weighted};
use crate::stack::{self, setup, Names, StackState};

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The dispatcher to publish (a Python file with lambda_handler)
    /// [default: the stack's recorded one, else the embedded dispatcher]
    #[arg(long, value_name = "FILE")]
    pub dispatcher: Option<PathBuf>,

    /// Send this share of invocations (0 < W < 1) to the new version; the
    /// rest stays on the current one until `promote` or `rollback`
    #[arg(long, value_name = "W")]
    pub alias_weight: Option<f64>,

    /// A canary deployment on the REST stage: this percentage of the stage's
    /// requests runs the new version (its stage variable `alias` overridden)
    #[arg(long, value_name = "PERCENT", conflicts_with = "alias_weight")]
    pub canary: Option<f64>,

    /// Published versions to keep; older ones the alias does not use are deleted
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=100))]
    pub keep: u16,

    /// Runtime workers for the new version on the local stack
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub local_workers: u16,
}

#[derive(Debug, Args)]
pub struct PromoteArgs {
    /// With a canary: also remove the stage's canary settings (AWS's
    /// promotion leaves them, at 0%)
    #[arg(long)]
    pub finish: bool,
}

#[derive(Debug, Args)]
pub struct RollbackArgs {}

/// Where `live` points after a command (and what it did).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReleaseReport {
    stack: String,
    action: &'static str,
    /// The version published (deploy).
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    alias: &'static str,
    live: String,
    weighted: Option<Weighted>,
    canary: Option<release::CanaryRelease>,
    previous: Option<String>,
    versions: Vec<String>,
    /// Set when this deploy moved the stack off `$LATEST`.
    migrated: bool,
    deleted_versions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    dry_run: Option<bool>,
}

impl fmt::Display for ReleaseReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = if self.dry_run == Some(true) {
            "would "
        } else {
            ""
        };
        if let Some(version) = &self.published {
            writeln!(
                f,
                "{prefix}publish version {version} of stack {}",
                self.stack
            )?;
        }
        if let Some(c) = &self.canary {
            return write!(
                f,
                "{prefix}send {}% of the stage's requests to version {} (canary deployment {}), the rest to alias {} (version {}) — `promote` or `rollback` next",
                c.percent, c.version, c.deployment_id, self.alias, self.live
            );
        }
        match &self.weighted {
            Some(w) => write!(
                f,
                "{prefix}route alias {}: version {} ({:.0}%), version {} ({:.0}%) — `promote` or `rollback` next",
                self.alias,
                self.live,
                (1.0 - w.weight) * 100.0,
                w.version,
                w.weight * 100.0
            ),
            None => write!(
                f,
                "{prefix}point alias {} at version {}{}",
                self.alias,
                self.live,
                self.previous
                    .as_ref()
                    .map(|p| format!(" (rollback goes back to {p})"))
                    .unwrap_or_default()
            ),
        }?;
        if !self.deleted_versions.is_empty() {
            write!(
                f,
                "\nold versions deleted: {}",
                self.deleted_versions.join(", ")
            )?;
        }
        Ok(())
    }
}

impl ReleaseReport {
    fn new(state: &StackState, releases: &Releases, action: &'static str) -> ReleaseReport {
        ReleaseReport {
            stack: state.stack.clone(),
            action,
            published: None,
            alias: release::ALIAS,
            live: releases.live.clone(),
            weighted: releases.weighted.clone(),
            canary: releases.canary.clone(),
            previous: releases.previous.clone(),
            versions: releases.versions.clone(),
            migrated: false,
            deleted_versions: Vec::new(),
            dry_run: None,
        }
    }
}

async fn stack_of(ctx: &Context) -> Result<(Names, StackState), AppError> {
    let region = ctx.region().await?;
    let names = Names::new(ctx.stack_name(), &region)?;
    let state = ctx.stack_state().await?.ok_or_else(|| {
        AppError::not_found(format!(
            "no stack {} here: create it with `serverless-crud --stack {} setup --table NAME`",
            names.stack, names.stack
        ))
    })?;
    Ok((names, state))
}

pub async fn deploy(args: DeployArgs, ctx: &Context) -> Result<Outcome, AppError> {
    if let Some(percent) = args.canary {
        release::check_canary(percent)?;
    }
    ctx.heal_local().await?;
    let printer = &ctx.printer;
    let (names, mut state) = stack_of(ctx).await?;
    let _lock = match ctx.settings.dry_run {
        true => None,
        false => Some(stack::lock(
            &names.stack,
            &names.region,
            state.local,
            printer,
        )?),
    };
    let current = state.releases.clone();
    if args.canary.is_some() && state.api == stack::ApiKind::Http {
        return Err(AppError::usage(
            "HTTP APIs have no canary deployments (their stages have no canarySettings on AWS): `deploy --alias-weight 0.1` sends 10% of invocations to the new version through the alias instead",
        ));
    }
    if let Some(Releases {
        canary: Some(canary),
        ..
    }) = &current
    {
        return Err(AppError::usage(format!(
            "a canary of version {} takes {}% of the stage's requests: `promote` or `rollback` it before the next deploy",
            canary.version, canary.percent
        )));
    }
    if let (
        Some(_),
        Some(Releases {
            weighted: Some(routed),
            ..
        }),
    ) = (args.canary, &current)
    {
        return Err(AppError::usage(format!(
            "alias {} routes {:.0}% to version {}: `promote` or `rollback` it before a canary",
            release::ALIAS,
            routed.weight * 100.0,
            routed.version
        )));
    }
    if let (
        Some(w),
        Some(Releases {
            weighted: Some(routed),
            ..
        }),
    ) = (args.alias_weight, &current)
    {
        return Err(AppError::usage(format!(
            "alias {} already routes {:.0}% to version {}: an alias weights one additional version only (AWS's rule); `promote` or `rollback` it before another --alias-weight {w}",
            release::ALIAS,
            routed.weight * 100.0,
            routed.version
        )));
    }
    if let Some(w) = args.alias_weight {
        release::check_alias(
            "1",
            Some(&Weighted {
                version: "2".into(),
                weight: w,
            }),
        )?;
    }
    let request = || setup::Request {
        dispatcher: args.dispatcher.clone(),
        ..setup::Request::default()
    };
    // Checks the dispatcher file and the recorded settings before any change.
    let plan = setup::plan(names.clone(), state.local, Some(state.clone()), request())?;
    if ctx.settings.dry_run {
        let releases = current.clone().unwrap_or(Releases {
            versions: vec!["1".into()],
            live: "1".into(),
            weighted: None,
            previous: None,
            canary: None,
        });
        let mut report = ReleaseReport::new(&state, &releases, "deploy");
        report.migrated = current.is_none();
        report.published = Some("N+1".into());
        report.dry_run = Some(true);
        return Ok(Outcome::ok(report));
    }
    drop(plan);
    let clients = ctx.clients().await?;
    let function = names.function();
    let migrated = state.releases.is_none();
    if migrated {
        let step = printer.step(format!(
            "migrating stack {} off $LATEST: the code callers run now becomes version 1 of {function}, alias {} → it, and the API reaches the alias",
            names.stack,
            release::ALIAS
        ));
        let first = release::publish(
            &clients.lambda,
            &function,
            "serverless-crud: the code before the first deploy",
        )
        .await?;
        release::point_alias(&clients.lambda, &function, &first, None).await?;
        if state.local {
            register_version(&state, &first, None, args.local_workers)?;
        }
        state.releases = Some(Releases {
            versions: vec![first.clone()],
            live: first.clone(),
            weighted: None,
            previous: None,
            canary: None,
        });
        stack::save_state(&state)?;
        step.done(format!("version {first}"));
    }
    // The new code on $LATEST, the API wired to the alias.
    let plan = setup::plan(names.clone(), state.local, Some(state.clone()), request())?;
    let settings = plan.settings.clone();
    let code = settings.code()?;
    let mut state = setup::apply(&clients, plan, printer).await?;
    if state.local {
        super::setup::run_on_local_stack(&clients, &mut state, &code, args.local_workers, printer)
            .await?;
    }
    let step = printer.step("publishing the new version");
    let version = release::publish(&clients.lambda, &function, "serverless-crud deploy").await?;
    if state.local {
        register_version(&state, &version, Some(&code), args.local_workers)?;
    }
    let mut releases = state.releases.clone().expect("released above");
    // Lambda publishes nothing new when code and configuration are those
    // of the latest version: it answers that version.
    if releases.versions.contains(&version) {
        step.done(format!(
            "nothing changed since version {version}: no new version"
        ));
        if args.alias_weight.is_some() {
            return Err(AppError::usage(format!(
                "the code is that of version {version} already: there is no new version to weight (change the dispatcher, or drop --alias-weight)"
            )));
        }
        if releases.live == version && releases.weighted.is_none() {
            let mut report = ReleaseReport::new(&state, &releases, "deploy");
            report.migrated = migrated;
            return Ok(Outcome::ok(report));
        }
    } else {
        step.done(format!("version {version}"));
        releases.versions.push(version.clone());
    }
    if let Some(percent) = args.canary {
        let canary = start_canary(&clients, &names, &state, &version, percent, printer).await?;
        releases.canary = Some(canary);
        state.releases = Some(releases.clone());
        stack::save_state(&state)?;
        if state.local {
            Supervisor::refresh_gateway().await?;
        }
        let mut report = ReleaseReport::new(&state, &releases, "deploy");
        report.published = Some(version);
        report.migrated = migrated;
        return Ok(Outcome::ok(report));
    }
    match args.alias_weight {
        Some(weight) => {
            releases.weighted = Some(Weighted {
                version: version.clone(),
                weight,
            })
        }
        None => {
            if releases.live != version {
                releases.previous = Some(std::mem::replace(&mut releases.live, version.clone()));
            }
            releases.weighted = None;
        }
    }
    let mut report =
        move_alias(ctx, &clients, &names, &settings, state, releases, "deploy").await?;
    report.published = Some(version);
    report.migrated = migrated;
    // Old versions the alias no longer uses.
    let mut state = ctx.stack_state().await?.expect("saved above");
    if let Some(mut releases) = state.releases.clone() {
        for old in release::expired(&releases, args.keep as usize) {
            release::delete_version(&clients.lambda, &function, &old).await?;
            if state.local {
                Supervisor::unregister_function(&format!("{function}:{old}"))?;
            }
            releases.versions.retain(|v| *v != old);
            report.deleted_versions.push(old);
        }
        report.versions.clone_from(&releases.versions);
        state.releases = Some(releases);
        stack::save_state(&state)?;
    }
    Ok(Outcome::ok(report))
}

pub async fn promote(args: PromoteArgs, ctx: &Context) -> Result<Outcome, AppError> {
    change_alias(ctx, "promote", |releases| {
        if let Some(canary) = releases.canary.take() {
            releases.previous = Some(std::mem::replace(
                &mut releases.live,
                canary.version.clone(),
            ));
            return Ok(Some(StageChange::Promote {
                canary,
                finish: args.finish,
            }));
        }
        let weighted = releases.weighted.take().ok_or_else(|| {
            AppError::usage(format!(
                "alias {} routes everything to version {} already: nothing to promote (`deploy --alias-weight W` or `--canary PERCENT` starts a release)",
                release::ALIAS,
                releases.live
            ))
        })?;
        releases.previous = Some(std::mem::replace(&mut releases.live, weighted.version));
        Ok(None)
    })
    .await
}

pub async fn rollback(_args: RollbackArgs, ctx: &Context) -> Result<Outcome, AppError> {
    change_alias(ctx, "rollback", |releases| {
        if releases.canary.take().is_some() {
            return Ok(Some(StageChange::RemoveCanary)); // the canary gets nothing more
        }
        if releases.weighted.take().is_some() {
            return Ok(None); // the new version gets nothing more
        }
        let previous = releases.previous.take().ok_or_else(|| {
            AppError::usage(format!(
                "alias {} has no earlier version to go back to (it points at version {})",
                release::ALIAS,
                releases.live
            ))
        })?;
        releases.live = previous;
        Ok(None)
    })
    .await
}

/// What a promote or rollback does to the REST stage's canary.
enum StageChange {
    Promote {
        canary: release::CanaryRelease,
        finish: bool,
    },
    RemoveCanary,
}

/// A canary of `version` on the stage: API Gateway's permission on the
/// version, the `/Canary` access-log group, the canary deployment.
async fn start_canary(
    clients: &stack::Clients,
    names: &Names,
    state: &StackState,
    version: &str,
    percent: f64,
    printer: &crate::output::Printer,
) -> Result<release::CanaryRelease, AppError> {
    let step = printer.step(format!(
        "canary deployment: {percent}% of stage {} to version {version}",
        state.stage
    ));
    let api_id = state
        .rest_api_id
        .clone()
        .ok_or_else(|| AppError::incomplete("the stack has no REST API: run setup again"))?;
    let account = state.account.clone().unwrap_or_default();
    let [source, routes] = setup::permission_sources(state, &account);
    let qualified = format!("{}:{version}", names.function());
    stack::function::ensure_permission(
        &clients.lambda,
        &qualified,
        stack::function::PERMISSION_ID,
        &source,
    )
    .await?;
    if state.routes == stack::Routes::Rest {
        stack::function::ensure_permission(
            &clients.lambda,
            &qualified,
            stack::function::ROUTES_PERMISSION_ID,
            &routes,
        )
        .await?;
    }
    stack::logs::ensure(
        &clients.logs,
        names,
        &names.canary_log_group(),
        state.log_retention_days,
    )
    .await?;
    let deployment_id =
        release::create_canary(&clients.apigateway, &api_id, &state.stage, version, percent)
            .await?;
    step.done(format!("deployment {deployment_id}"));
    Ok(release::CanaryRelease {
        version: version.to_string(),
        percent,
        deployment_id,
    })
}

/// Loads the stack's releases, applies `change`, moves the alias.
async fn change_alias(
    ctx: &Context,
    action: &'static str,
    change: impl FnOnce(&mut Releases) -> Result<Option<StageChange>, AppError>,
) -> Result<Outcome, AppError> {
    ctx.heal_local().await?;
    let (names, state) = stack_of(ctx).await?;
    let mut releases = state.releases.clone().ok_or_else(|| {
        AppError::usage(format!(
            "stack {} has no releases yet: `serverless-crud --stack {} deploy --dispatcher FILE` publishes the first",
            names.stack, names.stack
        ))
    })?;
    let stage_change = change(&mut releases)?;
    if ctx.settings.dry_run {
        let mut report = ReleaseReport::new(&state, &releases, action);
        report.dry_run = Some(true);
        return Ok(Outcome::ok(report));
    }
    let _lock = stack::lock(&names.stack, &names.region, state.local, &ctx.printer)?;
    let clients = ctx.clients().await?;
    let api_id = state.rest_api_id.clone().unwrap_or_default();
    match &stage_change {
        Some(StageChange::Promote { canary, finish }) => {
            release::promote_canary(&clients.apigateway, &api_id, &state.stage, canary, *finish)
                .await?;
            if !finish {
                ctx.printer.info(
                    "the stage keeps its canary settings at 0% (as AWS's promotion does): `promote --finish` removes them",
                );
            }
        }
        Some(StageChange::RemoveCanary) => {
            release::remove_canary(&clients.apigateway, &api_id, &state.stage).await?
        }
        None => {}
    }
    let plan = setup::plan(
        names.clone(),
        state.local,
        Some(state.clone()),
        setup::Request::default(),
    )?;
    let report = move_alias(
        ctx,
        &clients,
        &names,
        &plan.settings,
        state,
        releases,
        action,
    )
    .await?;
    Ok(Outcome::ok(report))
}

/// Points `live` as `releases` say, keeps API Gateway's permission on it,
/// records the releases and tells the local gateway.
async fn move_alias(
    ctx: &Context,
    clients: &stack::Clients,
    names: &Names,
    settings: &setup::Settings,
    mut state: StackState,
    releases: Releases,
    action: &'static str,
) -> Result<ReleaseReport, AppError> {
    let step = ctx.printer.step(format!("alias {}", release::ALIAS));
    release::point_alias(
        &clients.lambda,
        &names.function(),
        &releases.live,
        releases.weighted.as_ref(),
    )
    .await?;
    state.releases = Some(releases.clone());
    stack::save_state(&state)?;
    let account = state.account.clone().unwrap_or_default();
    setup::ensure_permissions(clients, names, &account, settings, &state, &ctx.printer).await?;
    if state.local {
        Supervisor::refresh_gateway().await?;
    }
    let report = ReleaseReport::new(&state, &releases, action);
    step.done(match &releases.weighted {
        Some(w) => format!(
            "version {} and {} ({:.0}%)",
            releases.live,
            w.version,
            w.weight * 100.0
        ),
        None => format!("version {}", releases.live),
    });
    Ok(report)
}

/// Locally: a published version runs on its own workers with the code it
/// was published with (`code`; None: what `$LATEST` runs now).
fn register_version(
    state: &StackState,
    version: &str,
    code: Option<&str>,
    workers: u16,
) -> Result<(), AppError> {
    let local = Supervisor::running()?;
    let latest = local.function(&state.function_name).ok_or_else(|| {
        AppError::environment(format!(
            "the local stack runs no {}: run setup again",
            state.function_name
        ))
    })?;
    let code = match code {
        Some(code) => code.to_string(),
        None => std::fs::read_to_string(&latest.handler_file)
            .map_err(|e| AppError::io("read", &latest.handler_file, e))?,
    };
    Supervisor::register_function(
        &format!("{}:{version}", state.function_name),
        &code,
        FunctionConfig {
            environment: latest.environment.clone(),
            integration: latest.integration,
            workers: workers as usize,
            memory_mb: latest.memory_mb,
            timeout_secs: latest.timeout_secs,
        },
    )
}
