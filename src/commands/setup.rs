//! `setup`: the whole pattern in one idempotent, resumable command.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::{json, Value};

use crate::cli::AuthMode;
use crate::context::Context;
use crate::error::AppError;
use crate::event::{event, Operation};
use crate::output::{Outcome, Text};
use crate::stack::function::{Change, FunctionSpec};
use crate::stack::tables::{ensure_table, TableOutcome, TableSpec};
use crate::stack::{self, api, function, iam, logs, Names, StackAuth, StackState, TableRecord};

#[derive(Debug, Args)]
pub struct SetupArgs {
    /// Table NAME[:KEY[:S|N|B]] (key defaults to id:S); repeatable. Re-running adds new tables
    #[arg(long, short = 't', value_name = "NAME[:KEY[:TYPE]]")]
    pub table: Vec<TableSpec>,
    /// Required with --auth none: the API will be open to the internet
    #[arg(long)]
    pub allow_public: bool,
    // A re-run keeps every recorded setting unless its flag is given: the
    // defaults below apply to a new stack only.
    /// Lambda runtime of the dispatcher [default: python3.12, or as recorded]
    #[arg(long)]
    pub runtime: Option<String>,
    /// Function memory in MB [default: 256, or as recorded]
    #[arg(long, value_parser = clap::value_parser!(i32).range(128..=10240))]
    pub memory: Option<i32>,
    /// Function timeout in seconds (API Gateway stops waiting at 29) [default: 30, or as recorded]
    #[arg(long, value_parser = clap::value_parser!(i32).range(1..=900))]
    pub function_timeout: Option<i32>,
    /// API Gateway stage name [default: v1, or as recorded]
    #[arg(long)]
    pub stage: Option<String>,
    /// Days CloudWatch keeps the function's logs [default: 7, or as recorded]
    #[arg(long, value_parser = retention)]
    pub log_retention: Option<i32>,
    /// Requests per second for --auth api-key (usage plan throttling) [default: 10, or as recorded]
    #[arg(long)]
    pub rate: Option<f64>,
    /// Burst for --auth api-key (usage plan throttling) [default: 20, or as recorded]
    #[arg(long)]
    pub burst: Option<i32>,
    /// Runtime workers for the stack's function on the local stack
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub local_workers: u16,
}

/// The settings a setup run applies: flags, else what the stack recorded,
/// else the defaults.
struct Settings {
    auth: StackAuth,
    runtime: String,
    memory: i32,
    function_timeout: i32,
    stage: String,
    log_retention: i32,
    rate: f64,
    burst: i32,
}

impl Settings {
    fn resolve(
        args: &SetupArgs,
        explicit_auth: Option<AuthMode>,
        previous: Option<&StackState>,
    ) -> Settings {
        Settings {
            auth: explicit_auth
                .map(|a| stack_auth(Some(a)))
                .or(previous.map(|p| p.auth))
                .unwrap_or(StackAuth::Iam),
            runtime: args
                .runtime
                .clone()
                .or(previous.map(|p| p.runtime.clone()))
                .unwrap_or_else(|| "python3.12".into()),
            memory: args.memory.or(previous.map(|p| p.memory)).unwrap_or(256),
            function_timeout: args
                .function_timeout
                .or(previous.map(|p| p.function_timeout))
                .unwrap_or(30),
            stage: args
                .stage
                .clone()
                .or(previous.map(|p| p.stage.clone()))
                .unwrap_or_else(|| "v1".into()),
            log_retention: args
                .log_retention
                .or(previous.map(|p| p.log_retention_days))
                .unwrap_or(7),
            rate: args.rate.or(previous.and_then(|p| p.rate)).unwrap_or(10.0),
            burst: args.burst.or(previous.and_then(|p| p.burst)).unwrap_or(20),
        }
    }
}

fn retention(text: &str) -> Result<i32, String> {
    let days: i64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of days"))?;
    if logs::RETENTIONS.contains(&days) {
        Ok(days as i32)
    } else {
        Err(format!("CloudWatch accepts {:?}", logs::RETENTIONS))
    }
}

pub fn stack_auth(mode: Option<AuthMode>) -> StackAuth {
    match mode {
        None | Some(AuthMode::Iam) => StackAuth::Iam,
        Some(AuthMode::ApiKey) => StackAuth::ApiKey,
        Some(AuthMode::None) => StackAuth::None,
    }
}

pub async fn run(args: SetupArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let printer = &ctx.printer;
    let region = ctx.region().await?;
    let names = Names::new(ctx.stack_name(), &region)?;
    // One setup or teardown of a stack at a time (dry runs change nothing).
    let _lock = if ctx.global.dry_run {
        None
    } else {
        Some(stack::lock(
            &names.stack,
            &region,
            ctx.global.local,
            printer,
        )?)
    };
    let previous = ctx.stack_state().await?;
    // Only --auth on the command line changes a stack's auth (not the
    // client's SERVERLESS_CRUD_AUTH); otherwise the recorded one stays.
    let explicit_auth = ctx.global.auth.filter(|_| ctx.global.auth_on_command_line);
    let settings = Settings::resolve(&args, explicit_auth, previous.as_ref());
    let auth = settings.auth;
    if auth == StackAuth::None
        && !args.allow_public
        && previous.as_ref().map(|p| p.auth) != Some(StackAuth::None)
    {
        return Err(AppError::usage(
            "--auth none makes the API callable by anyone on the internet; add --allow-public if that is what you want",
        )
        .into());
    }
    let mut tables: Vec<TableSpec> = previous
        .as_ref()
        .map(|s| s.tables.iter().map(|t| t.spec.clone()).collect())
        .unwrap_or_default();
    for spec in &args.table {
        match tables.iter().find(|t| t.name == spec.name) {
            Some(t) if t != spec => {
                return Err(AppError::usage(format!(
                    "table {} is already in stack {} as {t}; it cannot change to {spec}",
                    spec.name, names.stack
                ))
                .into())
            }
            Some(_) => {}
            None => tables.push(spec.clone()),
        }
    }
    if tables.is_empty() {
        return Err(
            AppError::usage("which tables? pass --table NAME (for example --table users)").into(),
        );
    }

    if ctx.global.dry_run {
        return Ok(plan(&names, &tables, &settings, ctx.global.local));
    }

    let mut state = previous.unwrap_or_else(|| StackState {
        stack: names.stack.clone(),
        region: region.clone(),
        local: ctx.global.local,
        account: None,
        tables: Vec::new(),
        log_group: names.log_group(),
        log_retention_days: settings.log_retention,
        role_name: names.role(),
        role_arn: None,
        function_name: names.function(),
        function_arn: None,
        runtime: settings.runtime.clone(),
        memory: settings.memory,
        function_timeout: settings.function_timeout,
        rest_api_id: None,
        stage: settings.stage.clone(),
        auth,
        rate: None,
        burst: None,
        usage_plan_id: None,
        api_key_id: None,
        api_key_value: None,
        invoke_url: None,
        local_url: None,
    });
    // Each recorded setting changes only once the step applying it succeeded.
    printer.info(format!(
        "setting up stack {} in {region}{}",
        names.stack,
        if state.local { " (local stack)" } else { "" }
    ));
    let started = Instant::now();

    // Tables.
    let dynamodb = ctx.dynamodb().await?;
    let tags = names.tags();
    for spec in &tables {
        let step = printer.step(format!("table {spec}"));
        let outcome = ensure_table(&dynamodb, spec, &tags).await?;
        let arn = dynamodb
            .describe_table()
            .table_name(&spec.name)
            .send()
            .await
            .ok()
            .and_then(|d| d.table().and_then(|t| t.table_arn()).map(str::to_string))
            .unwrap_or_default();
        let was_ours = state
            .tables
            .iter()
            .any(|t| t.spec.name == spec.name && t.created);
        let created = outcome == TableOutcome::Created || was_ours;
        state.tables.retain(|t| t.spec.name != spec.name);
        state.tables.push(TableRecord {
            spec: spec.clone(),
            arn,
            created,
        });
        stack::save_state(&state)?;
        step.done(match (outcome, created) {
            (TableOutcome::Created, _) => "created (on-demand)",
            (TableOutcome::Exists, true) => "exists",
            (TableOutcome::Exists, false) => {
                "exists, not created by serverless-crud: used, never deleted by teardown"
            }
        });
    }

    // Log group before the function, with a retention.
    let step = printer.step(format!(
        "log group {} ({} days)",
        names.log_group(),
        settings.log_retention
    ));
    let created = logs::ensure(&ctx.logs().await?, &names, settings.log_retention).await?;
    state.log_retention_days = settings.log_retention;
    stack::save_state(&state)?;
    step.done(if created { "created" } else { "exists" });

    // Role and its least-privilege policy.
    let iam_client = ctx.iam().await?;
    let step = printer.step(format!("role {}", names.role()));
    let (role_arn, created) = iam::ensure_role(&iam_client, &names).await?;
    let account = role_arn.split(':').nth(4).unwrap_or_default().to_string();
    state.role_arn = Some(role_arn.clone());
    state.account = Some(account.clone());
    stack::save_state(&state)?;
    step.done(if created { "created" } else { "exists" });
    let step = printer.step("role policy (stack tables + own log group only)");
    let table_arns: Vec<String> = state.tables.iter().map(|t| t.arn.clone()).collect();
    let log_group_arn = format!(
        "arn:aws:logs:{region}:{account}:log-group:{}",
        names.log_group()
    );
    iam::put_policy(
        &iam_client,
        &names,
        &iam::access_policy(&table_arns, &log_group_arn),
    )
    .await?;
    step.done("up to date");

    // Function.
    let lambda = ctx.lambda_control().await?;
    let allowed: Vec<&str> = state.tables.iter().map(|t| t.spec.name.as_str()).collect();
    let environment = HashMap::from([("ALLOWED_TABLES".to_string(), allowed.join(","))]);
    let spec = FunctionSpec {
        name: names.function(),
        role_arn,
        runtime: settings.runtime.clone(),
        memory: settings.memory,
        timeout: settings.function_timeout,
        environment: environment.clone(),
        zip: function::package(crate::dispatcher::SOURCE),
        tags: tags.clone(),
    };
    let step = printer.step(format!(
        "function {} ({}, {} MB)",
        names.function(),
        settings.runtime,
        settings.memory
    ));
    let (function_arn, change) = function::ensure(&lambda, &spec).await?;
    state.function_arn = Some(function_arn.clone());
    state.runtime = settings.runtime.clone();
    state.memory = settings.memory;
    state.function_timeout = settings.function_timeout;
    stack::save_state(&state)?;
    step.done(match &change {
        Change::Created => "created".to_string(),
        Change::Updated(what) => format!("updated ({})", what.join(", ")),
        Change::Unchanged => "up to date".to_string(),
    });

    // REST API, stage, permission, key.
    let apigw = ctx.apigateway().await?;
    let step = printer.step(format!(
        "REST API {} POST /crud, stage {}, auth {}",
        names.api(),
        settings.stage,
        auth_name(auth)
    ));
    let api_spec = api::ApiSpec {
        names: &names,
        function_arn: &function_arn,
        stage: &settings.stage,
        auth,
        rate: settings.rate,
        burst: settings.burst,
    };
    let outcome = api::ensure(&apigw, &api_spec, state.rest_api_id.as_deref()).await?;
    state.rest_api_id = Some(outcome.rest_api_id.clone());
    state.invoke_url = Some(api::invoke_url(
        &outcome.rest_api_id,
        &region,
        &settings.stage,
    ));
    if auth == StackAuth::ApiKey {
        state.usage_plan_id = outcome.usage_plan_id.clone();
        state.api_key_id = outcome.api_key_id.clone();
        state.api_key_value = outcome.api_key_value.clone();
    } else {
        remove_key(&apigw, &mut state).await?;
    }
    state.stage = settings.stage.clone();
    state.auth = auth;
    state.rate = Some(settings.rate);
    state.burst = Some(settings.burst);
    stack::save_state(&state)?;
    step.done(match (outcome.created, outcome.deployed) {
        (true, _) => "created and deployed",
        (false, true) => "updated and redeployed",
        (false, false) => "up to date",
    });
    let step = printer.step("permission for API Gateway to invoke the function");
    let source = api::source_arn(&region, &account, &outcome.rest_api_id);
    function::ensure_permission(&lambda, &names.function(), &source).await?;
    step.done("scoped to this API's POST /crud");

    // Locally: the emulator runs the function with the configuration setup gave it.
    if state.local {
        let step = printer.step("local runtime workers for the function");
        let (_, env) = function::state(&lambda, &names.function())
            .await?
            .ok_or_else(|| AppError::aws("the function vanished during setup"))?;
        let url = crate::local::LocalState::modify(|local| {
            local.add_function(
                &names.function(),
                crate::dispatcher::SOURCE,
                env.into_iter().collect::<BTreeMap<_, _>>(),
                crate::local::Integration::Proxy,
                args.local_workers as usize,
            )?;
            Ok(local.function_url(&names.function()))
        })?;
        state.local_url = Some(url);
        stack::save_state(&state)?;
        step.done(format!("{} worker(s)", args.local_workers));
    }

    let step = printer.step("smoke test: ping through the API");
    let latency = smoke_ping(ctx, &state).await?;
    step.done(format!("pong in {latency:.1} ms"));

    printer.info(format!(
        "stack {} ready in {:.1}s",
        names.stack,
        started.elapsed().as_secs_f64()
    ));
    Ok(summary(&state))
}

fn auth_name(auth: StackAuth) -> &'static str {
    match auth {
        StackAuth::Iam => "iam",
        StackAuth::ApiKey => "api-key",
        StackAuth::None => "none",
    }
}

/// Switching away from api-key: the plan and key go.
async fn remove_key(
    client: &aws_sdk_apigateway::Client,
    state: &mut StackState,
) -> Result<(), AppError> {
    if let Some(id) = state.usage_plan_id.take() {
        api::delete_usage_plan(client, &id).await?;
    }
    if let Some(id) = state.api_key_id.take() {
        api::delete_api_key(client, &id).await?;
    }
    state.api_key_value = None;
    Ok(())
}

/// Pings through the API transport until it answers (a new stage, permission
/// or role can take a few seconds on AWS), up to a minute.
async fn smoke_ping(ctx: &Context, state: &StackState) -> Result<f64, AppError> {
    let transport = ctx
        .stack_transport(state, crate::transport::Via::Api)
        .await?;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut attempt = 0;
    loop {
        attempt += 1;
        let result = match transport
            .send(&event(Operation::Ping, None, None), true)
            .await
        {
            Ok(raw) => crate::reply::decode(&raw).map(|v| (v, raw.elapsed)),
            Err(e) => Err(e),
        };
        match result {
            Ok((v, elapsed)) if v == json!("pong") => return Ok(elapsed.as_secs_f64() * 1000.0),
            Ok((v, _)) => return Err(AppError::aws(format!("smoke test: expected \"pong\", got {v}"))),
            Err(e) if Instant::now() > deadline => {
                return Err(AppError::aws(format!(
                    "smoke test failed: {e}. The resources exist; run `serverless-crud status` to see what is wrong"
                )))
            }
            Err(_) => tokio::time::sleep(crate::transport::backoff(attempt, Duration::from_secs(5))).await,
        }
    }
}

/// The command that (re)creates this stack as recorded.
pub fn setup_command(state: &StackState) -> String {
    let mut cmd = String::from("serverless-crud");
    if state.local {
        cmd.push_str(" --local");
    }
    cmd.push_str(&format!(" --stack {} setup", state.stack));
    for t in &state.tables {
        cmd.push_str(&format!(" --table {}", t.spec));
    }
    if state.auth != StackAuth::Iam {
        cmd.push_str(&format!(" --auth {}", auth_name(state.auth)));
    }
    if state.auth == StackAuth::None {
        cmd.push_str(" --allow-public");
    }
    cmd
}

fn summary(state: &StackState) -> Outcome {
    let first_table = state
        .tables
        .first()
        .map(|t| t.spec.name.clone())
        .unwrap_or_default();
    let local = if state.local { " --local" } else { "" };
    let next = format!(
        "serverless-crud{local} --stack {} create --table {first_table} --item '{{\"id\":\"1\",\"name\":\"Ana\"}}'",
        state.stack
    );
    let json = json!({
        "stack": state.stack,
        "region": state.region,
        "local": state.local,
        "tables": state.tables.iter().map(|t| json!({"name": t.spec.name, "key": t.spec.key, "keyType": t.spec.key_type, "arn": t.arn, "createdBySetup": t.created})).collect::<Vec<_>>(),
        "function": state.function_name,
        "role": state.role_name,
        "logGroup": state.log_group,
        "restApiId": state.rest_api_id,
        "stage": state.stage,
        "invokeUrl": state.invoke_url,
        "localUrl": state.local_url,
        "auth": state.auth,
        "apiKeyId": state.api_key_id,
        "next": next,
    });
    let mut rows = vec![
        (
            "stack".to_string(),
            format!("{} ({})", state.stack, state.region),
        ),
        (
            "tables".into(),
            state
                .tables
                .iter()
                .map(|t| t.spec.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "function".into(),
            format!(
                "{} ({}, {} MB, {} s)",
                state.function_name, state.runtime, state.memory, state.function_timeout
            ),
        ),
        ("role".into(), state.role_name.clone()),
        (
            "log group".into(),
            format!("{} ({} days)", state.log_group, state.log_retention_days),
        ),
        (
            "invoke URL".into(),
            state.invoke_url.clone().unwrap_or_default(),
        ),
        ("auth".into(), auth_name(state.auth).to_string()),
    ];
    if let Some(url) = &state.local_url {
        rows.push(("local API URL".into(), url.clone()));
    }
    if state.auth == StackAuth::ApiKey {
        rows.push((
            "API key".into(),
            "stored in the stack state; `status --show-api-key` prints it".into(),
        ));
    }
    rows.push(("next".into(), next));
    Outcome {
        json,
        text: Text::Rows(rows),
    }
}

fn plan(names: &Names, tables: &[TableSpec], settings: &Settings, local: bool) -> Outcome {
    let auth = settings.auth;
    let mut steps: Vec<Value> = tables
        .iter()
        .map(|t| json!({"resource": "DynamoDB table (on-demand)", "name": t.to_string()}))
        .collect();
    steps.push(json!({"resource": "CloudWatch log group", "name": names.log_group(), "retentionDays": settings.log_retention}));
    steps.push(json!({"resource": "IAM role + inline policy", "name": names.role(), "path": stack::ROLE_PATH, "actions": iam::TABLE_ACTIONS}));
    steps.push(json!({"resource": "Lambda function", "name": names.function(), "runtime": settings.runtime, "memory": settings.memory, "timeout": settings.function_timeout}));
    steps.push(json!({"resource": "REST API (REGIONAL), POST /crud, Lambda proxy", "name": names.api(), "auth": auth_name(auth)}));
    steps.push(
        json!({"resource": "Lambda permission for API Gateway", "name": function::PERMISSION_ID}),
    );
    steps.push(json!({"resource": "deployment + stage", "name": settings.stage}));
    if auth == StackAuth::ApiKey {
        steps.push(json!({"resource": "API key + usage plan", "name": names.api_key(), "rate": settings.rate, "burst": settings.burst}));
    }
    let json = json!({"dryRun": true, "stack": names.stack, "region": names.region, "local": local, "plan": steps});
    let rows = steps
        .iter()
        .map(|s| {
            (
                s["resource"].as_str().unwrap_or_default().to_string(),
                s["name"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    Outcome {
        json,
        text: Text::Rows(rows),
    }
}
