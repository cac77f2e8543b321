//! `setup`: the whole pattern in one idempotent, resumable command.

use std::time::Instant;

use clap::Args;
use serde_json::json;

use crate::auth::Auth;
use crate::context::Context;
use crate::error::{AppError, DispatcherKind};
use crate::event::{event, Operation};
use crate::local::{FunctionConfig, Supervisor};
use crate::output::Outcome;
use crate::retry::{retry, Schedule};
use crate::stack::setup::{self, Request, SetupReport};
use crate::stack::tables::TableSpec;
use crate::stack::{self, logs, Integration, Names, StackState};
use crate::transport::Via;

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
    /// Deploy this dispatcher file instead of the embedded one (e.g. the tutorial's) [default: embedded, or as recorded]
    #[arg(long, value_name = "FILE")]
    pub dispatcher: Option<std::path::PathBuf>,
    /// How the REST API reaches the function [default: proxy, or as recorded]
    #[arg(long, value_enum)]
    pub integration: Option<crate::stack::Integration>,
    /// The API in front: rest (API Gateway REST API) or http (HTTP API: IAM or no
    /// auth, native CORS) [default: rest, or as recorded]
    #[arg(long, value_enum)]
    pub api: Option<crate::stack::ApiKind>,
    /// The API's routes: crud (POST /crud) or rest (also GET|POST /items/{table},
    /// GET|PUT|PATCH|DELETE /items/{table}/{id}) [default: crud, or as recorded]
    #[arg(long, value_enum)]
    pub routes: Option<crate::stack::Routes>,
    /// An origin browsers may call the API from (repeatable; `*` only with
    /// --allow-public): CORS preflights, headers on replies and on errors
    #[arg(long, value_name = "ORIGIN", value_parser = crate::names::origin)]
    pub cors: Vec<String>,
    /// With --auth lambda: the authorizer's code (a Python file with
    /// lambda_handler returning an IAM policy) [default: as recorded]
    #[arg(long, value_name = "FILE")]
    pub authorizer: Option<std::path::PathBuf>,
    /// With --auth lambda: token (one header) or request (headers, query,
    /// stage variables; HTTP APIs: request only) [default: token (HTTP APIs:
    /// request), or as recorded]
    #[arg(long, value_enum)]
    pub authorizer_type: Option<crate::stack::authorizer::Kind>,
    /// With --auth lambda: where the identity is read, comma-separated
    /// header:NAME, query:NAME, stage:NAME [default: header:Authorization, or as recorded]
    #[arg(long, value_name = "SOURCES")]
    pub identity_source: Option<String>,
    /// With --auth lambda: seconds API Gateway caches the authorizer's
    /// answer per identity, 0 = off [default: 300, or as recorded]
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(i32).range(0..=3600))]
    pub authorizer_ttl: Option<i32>,
    /// With --api http --auth lambda: the event's payload format, 1.0 or
    /// 2.0 [default: 2.0, or as recorded]
    #[arg(long, value_name = "VERSION", value_parser = ["1.0", "2.0"])]
    pub authorizer_payload: Option<String>,
    /// With --api http --auth lambda (payload 2.0): the authorizer answers
    /// {"isAuthorized": true|false, "context": {…}} instead of an IAM policy
    #[arg(long)]
    pub simple_responses: bool,
    /// One method's auth instead of the stack's: VERB=AUTH[+api-key], e.g.
    /// DELETE=lambda+api-key (repeatable; REST APIs) [default: as recorded]
    #[arg(long, value_name = "VERB=AUTH", value_parser = crate::stack::MethodAuth::parse)]
    pub method_auth: Vec<crate::stack::MethodAuth>,
    /// With --auth jwt: the token issuer (`iss`; its keys by OIDC discovery)
    /// [default: the local stack's issuer locally, or as recorded]
    #[arg(long, value_name = "URL")]
    pub jwt_issuer: Option<String>,
    /// With --auth jwt: an accepted audience (`aud`, or `client_id` without
    /// one); repeatable [default: serverless-crud locally, or as recorded]
    #[arg(long, value_name = "AUD")]
    pub jwt_audience: Vec<String>,
    /// With --auth jwt: a scope the routes require (a token needs one of
    /// them); repeatable [default: none, or as recorded]
    #[arg(long, value_name = "SCOPE")]
    pub scope: Vec<String>,
    /// Runtime workers for the stack's function on the local stack
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub local_workers: u16,
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

pub async fn run(args: SetupArgs, ctx: &Context) -> Result<Outcome, AppError> {
    ctx.heal_local().await?;
    let printer = &ctx.printer;
    let region = ctx.region().await?;
    let names = Names::new(ctx.stack_name(), &region)?;
    // One setup or teardown of a stack at a time (dry runs change nothing).
    let _lock = match ctx.settings.dry_run {
        true => None,
        false => Some(stack::lock(
            &names.stack,
            &region,
            ctx.settings.local,
            printer,
        )?),
    };
    let previous = ctx.stack_state().await?;
    let request = Request {
        tables: args.table,
        // Only --auth on the command line changes a stack's auth (not the
        // client's SERVERLESS_CRUD_AUTH); otherwise the recorded one stays.
        auth: ctx
            .settings
            .auth
            .filter(|_| ctx.settings.auth_on_command_line),
        allow_public: args.allow_public,
        runtime: args.runtime,
        memory: args.memory,
        function_timeout: args.function_timeout,
        stage: args.stage,
        log_retention: args.log_retention,
        rate: args.rate,
        burst: args.burst,
        dispatcher: args.dispatcher,
        integration: args.integration,
        api: args.api,
        routes: args.routes,
        cors: (!args.cors.is_empty()).then(|| args.cors.clone()),
        authorizer: setup::AuthorizerFlags {
            file: args.authorizer,
            kind: args.authorizer_type,
            identity_source: args.identity_source,
            ttl: args.authorizer_ttl,
            payload: args.authorizer_payload,
            simple_responses: args.simple_responses.then_some(true),
        },
        jwt: setup::JwtFlags {
            issuer: args.jwt_issuer,
            audiences: args.jwt_audience,
            scopes: args.scope,
        },
        method_auth: (!args.method_auth.is_empty()).then_some(args.method_auth),
        local_issuer: match ctx.settings.local {
            true => Supervisor::gateway_endpoint()
                .ok()
                .flatten()
                .map(|g| crate::local::issuer::url(&g)),
            false => None,
        },
    };
    let plan = setup::plan(names, ctx.settings.local, previous, request)?;
    if ctx.settings.dry_run {
        return Ok(Outcome::ok(plan.report()));
    }
    let started = Instant::now();
    let stack_name = plan.names.stack.clone();
    let code = plan.settings.code()?;
    let clients = ctx.clients().await?;
    let mut state = setup::apply(&clients, plan, printer).await?;
    if let Some(releases) = &state.releases {
        printer.warn(format!(
            "stack {stack_name} is released: callers reach alias {} (version {}), not the $LATEST setup just updated; `serverless-crud --stack {stack_name} deploy` releases it",
            stack::release::ALIAS,
            releases.live
        ));
    }
    if state.local {
        run_on_local_stack(&clients, &mut state, &code, args.local_workers, printer).await?;
    }
    let step = printer.step("smoke test: ping through the API");
    match smoke_ping(ctx, &state).await? {
        Smoke::Pong(latency) => step.done(format!("pong in {latency:.1} ms")),
        Smoke::RefusedWithoutToken if state.auth == Auth::Cognito => step.done(format!(
            "401 without a token: the user pool authorizer is enforced (`serverless-crud login --stack {stack_name} --user NAME --create` makes a user and signs in)"
        )),
        Smoke::RefusedWithoutToken => step.done(
            "401 without a token: the authorizer is enforced (pass --token to ping through it)",
        ),
    }
    printer.info(format!(
        "stack {stack_name} ready in {:.1}s",
        started.elapsed().as_secs_f64()
    ));
    Ok(Outcome::ok(SetupReport::new(&state)))
}

/// Locally: the emulator runs the function with the configuration setup gave
/// it, and the stage is served by the local gateway (reloaded now).
pub(crate) async fn run_on_local_stack(
    clients: &stack::Clients,
    state: &mut StackState,
    code: &str,
    workers: u16,
    printer: &crate::output::Printer,
) -> Result<(), AppError> {
    let step = printer.step("local runtime workers for the function");
    let environment = stack::function::environment(&clients.lambda, &state.function_name).await?;
    Supervisor::register_function(
        &state.function_name,
        code,
        FunctionConfig {
            environment,
            integration: state.integration,
            workers: workers as usize,
            memory_mb: state.memory as u32,
            timeout_secs: state.function_timeout as u32,
        },
    )?;
    // The Lambda authorizer runs as a function of its own (one worker: its
    // replies are cached by the gateway); without one, an earlier one stops.
    let authorizer = Names::new(&state.stack, &state.region)?.authorizer_function();
    match &state.authorizer {
        Some(settings) => Supervisor::register_function(
            &authorizer,
            &settings.code()?,
            FunctionConfig {
                environment: Default::default(),
                integration: Integration::Proxy,
                workers: 1,
                memory_mb: 128,
                timeout_secs: 10,
            },
        )?,
        None => {
            Supervisor::unregister_function(&authorizer)?;
        }
    }
    let gateway = Supervisor::gateway_endpoint()?.ok_or_else(|| {
        AppError::environment(
            "this local stack was started without an API gateway; restart it: `serverless-crud local down && serverless-crud local up`",
        )
    })?;
    state.local_invoke_url = Some(match state.api {
        stack::ApiKind::Rest => crate::gateway::invoke_url(
            &gateway,
            state.rest_api_id.as_deref().unwrap_or_default(),
            &state.stage,
            stack::api::RESOURCE_PATH,
        ),
        stack::ApiKind::Http => crate::gateway::http_invoke_url(
            &gateway,
            state.http_api_id.as_deref().unwrap_or_default(),
            stack::api::RESOURCE_PATH,
        ),
    });
    stack::save_state(state)?;
    Supervisor::refresh_gateway().await?;
    step.done(format!("{workers} worker(s); stage on the local gateway"));
    Ok(())
}

/// Pings through the API until it answers (a new stage, permission or role
/// can take a few seconds on AWS), up to about a minute.
async fn smoke_ping(ctx: &Context, state: &StackState) -> Result<Smoke, AppError> {
    let transport = ctx.stack_transport(state, Via::Api).await?;
    let signed_in = state.auth == Auth::Cognito
        && crate::stack::cognito::Login::load(&state.stack, &state.region, state.local)?
            .is_some_and(|l| !l.expired());
    if matches!(state.auth, Auth::Lambda | Auth::Jwt | Auth::Cognito)
        && ctx.settings.token.is_none()
        && !signed_in
    {
        return refused_without_token(&transport, state).await;
    }
    let attempts = if state.local { 5 } else { 20 };
    let ping = || async {
        let raw = transport
            .send(&event(Operation::Ping, None, None), true)
            .await?;
        match crate::reply::decode(&raw)? {
            v if v == json!("pong") => Ok(Smoke::Pong(raw.elapsed.as_secs_f64() * 1000.0)),
            v => Err(AppError::dispatcher(
                DispatcherKind::InvalidReply,
                "UnexpectedReply",
                format!("expected \"pong\", got {v}"),
            )),
        }
    };
    retry(Schedule::FIRST_ANSWER.with_attempts(attempts), ping, |_| true)
        .await
        .map_err(|e| {
            AppError::incomplete(format!(
                "smoke test failed: {e}. The resources exist; run `serverless-crud status` to see what is wrong{}",
                wiring_hint(state, &e)
            ))
        })
}

/// What the smoke test saw.
enum Smoke {
    /// Milliseconds.
    Pong(f64),
    /// `--auth lambda` without a token: the API refused, as it must.
    RefusedWithoutToken,
}

/// Without a token, an authorizer's API must answer 401 (the authorizer is
/// enforced); a few tries while a new stage settles.
async fn refused_without_token(
    transport: &crate::transport::Transport,
    state: &StackState,
) -> Result<Smoke, AppError> {
    let attempts = if state.local { 5 } else { 20 };
    let probe = || async {
        let raw = transport
            .send(&event(Operation::Ping, None, None), true)
            .await?;
        match raw.status {
            401 => Ok(Smoke::RefusedWithoutToken),
            status => Err(AppError::incomplete(format!(
                "a ping without a token got {status}, not 401"
            ))),
        }
    };
    retry(Schedule::FIRST_ANSWER.with_attempts(attempts), probe, |_| true)
        .await
        .map_err(|e| {
            AppError::incomplete(format!(
                "smoke test failed: {e}: the authorizer is not enforced yet. The resources exist; run `serverless-crud status` to see what is wrong"
            ))
        })
}

/// A dispatcher of the user's behind a proxy integration that fails with a
/// 502 most likely reads the request body as its event (the tutorial's
/// does): the non-proxy wiring is what it expects.
fn wiring_hint(state: &StackState, err: &AppError) -> String {
    let bad_gateway = matches!(
        err,
        AppError::Dispatcher {
            status: Some(502),
            ..
        }
    );
    let own_dispatcher = state.dispatcher.is_some();
    match (bad_gateway, own_dispatcher, state.integration) {
        (true, true, Integration::Proxy) => format!(
            ". A dispatcher that reads the event directly (as the tutorial's does) needs the non-proxy wiring: \
             `serverless-crud{} --stack {} setup --integration non-proxy`",
            if state.local { " --local" } else { "" },
            state.stack
        ),
        _ => String::new(),
    }
}
