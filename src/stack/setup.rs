//! The setup service: the whole pattern, idempotent and resumable. Each step
//! finds before it creates; the state file is saved after every step, and a
//! setting is recorded only once the step applying it succeeded.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{json, Value};

use crate::error::{aws, AppError};
use crate::output::Progress;
use crate::stack::authorizer::{self, AuthorizerSettings, JwtSettings};
use crate::stack::function::{Change, FunctionSpec};
use crate::stack::tables::{ensure_table, TableOutcome, TableSpec};
use crate::stack::Integration;
use crate::stack::{
    self, api, function, iam, logs, ApiKind, Auth, Clients, Names, Routes, StackState, TableRecord,
};

/// What the user asked for; `None` keeps what the stack recorded (or the
/// default for a new stack).
#[derive(Debug, Default)]
pub struct Request {
    pub tables: Vec<TableSpec>,
    /// Only an --auth given on the command line changes a stack's auth.
    pub auth: Option<Auth>,
    pub allow_public: bool,
    pub runtime: Option<String>,
    pub memory: Option<i32>,
    pub function_timeout: Option<i32>,
    pub stage: Option<String>,
    pub log_retention: Option<i32>,
    pub rate: Option<f64>,
    pub burst: Option<i32>,
    /// Another dispatcher to deploy (the tutorial's, say) instead of ours.
    pub dispatcher: Option<PathBuf>,
    pub integration: Option<Integration>,
    pub api: Option<ApiKind>,
    pub routes: Option<Routes>,
    /// Replaces the recorded origins when given.
    pub cors: Option<Vec<String>>,
    /// `--auth lambda`: the authorizer's file, type, identity sources, TTL.
    pub authorizer: AuthorizerFlags,
    /// `--auth jwt`: issuer, audiences, scopes.
    pub jwt: JwtFlags,
    /// Replaces the recorded per-method auth when given.
    pub method_auth: Option<Vec<stack::MethodAuth>>,
    /// The local stack's issuer (`{gateway}/_issuer`), when setting up
    /// locally: a local `--auth jwt` without `--jwt-issuer` trusts it.
    pub local_issuer: Option<String>,
}

/// The JWT flags of a `setup` (empty: as recorded, or the default).
#[derive(Debug, Default)]
pub struct JwtFlags {
    pub issuer: Option<String>,
    pub audiences: Vec<String>,
    pub scopes: Vec<String>,
}

/// The authorizer flags of a `setup` (None: as recorded, or the default).
#[derive(Debug, Default)]
pub struct AuthorizerFlags {
    pub file: Option<PathBuf>,
    pub kind: Option<authorizer::Kind>,
    pub identity_source: Option<String>,
    pub ttl: Option<i32>,
    /// HTTP APIs: "1.0" or "2.0".
    pub payload: Option<String>,
    pub simple_responses: Option<bool>,
}

/// The settings a run applies: flags, else the recorded ones, else defaults.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub auth: Auth,
    pub runtime: String,
    pub memory: i32,
    pub function_timeout: i32,
    pub stage: String,
    pub log_retention: i32,
    pub rate: f64,
    pub burst: i32,
    pub dispatcher: Option<PathBuf>,
    pub integration: Integration,
    pub api: ApiKind,
    pub routes: Routes,
    pub cors: Vec<String>,
    /// Set exactly when auth is `lambda`.
    pub authorizer: Option<AuthorizerSettings>,
    /// Set exactly when auth is `jwt`.
    pub jwt: Option<JwtSettings>,
    pub method_auth: Vec<stack::MethodAuth>,
}

impl Settings {
    /// The code to deploy: --dispatcher's file, or the embedded dispatcher.
    pub fn code(&self) -> Result<String, AppError> {
        match &self.dispatcher {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| AppError::io("read --dispatcher", path, e)),
            None => Ok(crate::dispatcher::SOURCE.to_string()),
        }
    }
}

/// A checked request: the stack's tables and settings.
pub struct Plan {
    pub names: Names,
    pub local: bool,
    pub tables: Vec<TableSpec>,
    pub settings: Settings,
    previous: Option<StackState>,
}

/// Checks the request against what the stack recorded.
pub fn plan(
    names: Names,
    local: bool,
    previous: Option<StackState>,
    mut request: Request,
) -> Result<Plan, AppError> {
    let prev = previous.as_ref();
    let authorizer_flags = std::mem::take(&mut request.authorizer);
    let jwt_flags = std::mem::take(&mut request.jwt);
    let local_issuer = request.local_issuer.take();
    let settings = Settings {
        auth: request.auth.or(prev.map(|p| p.auth)).unwrap_or(Auth::Iam),
        runtime: request
            .runtime
            .or(prev.map(|p| p.runtime.clone()))
            .unwrap_or_else(|| "python3.12".into()),
        memory: request.memory.or(prev.map(|p| p.memory)).unwrap_or(256),
        function_timeout: request
            .function_timeout
            .or(prev.map(|p| p.function_timeout))
            .unwrap_or(30),
        stage: request
            .stage
            .or(prev.map(|p| p.stage.clone()))
            .unwrap_or_else(|| "v1".into()),
        log_retention: request
            .log_retention
            .or(prev.map(|p| p.log_retention_days))
            .unwrap_or(7),
        rate: request.rate.or(prev.and_then(|p| p.rate)).unwrap_or(10.0),
        burst: request.burst.or(prev.and_then(|p| p.burst)).unwrap_or(20),
        dispatcher: request
            .dispatcher
            .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
            .or(prev.and_then(|p| p.dispatcher.clone())),
        integration: request
            .integration
            .or(prev.map(|p| p.integration))
            .unwrap_or(Integration::Proxy),
        api: request.api.or(prev.map(|p| p.api)).unwrap_or_default(),
        routes: request
            .routes
            .or(prev.map(|p| p.routes))
            .unwrap_or_default(),
        cors: request
            .cors
            .or(prev.map(|p| p.cors.clone()))
            .unwrap_or_default(),
        authorizer: None,
        jwt: None,
        method_auth: request
            .method_auth
            .take()
            .or(prev.map(|p| p.method_auth.clone()))
            .unwrap_or_default(),
    };
    let settings = Settings {
        authorizer: authorizer_settings(&settings, authorizer_flags, prev)?,
        jwt: jwt_settings(&settings, jwt_flags, local_issuer, prev)?,
        ..settings
    };
    check_shape(&settings, request.allow_public || already_public(prev))?;
    settings.code()?; // a missing --dispatcher file fails before anything is made
    if settings.auth == Auth::None && !request.allow_public && !already_public(prev) {
        return Err(AppError::usage(
            "--auth none makes the API callable by anyone on the internet; add --allow-public if that is what you want",
        ));
    }
    let mut tables: Vec<TableSpec> = prev
        .map(|s| s.tables.iter().map(|t| t.spec.clone()).collect())
        .unwrap_or_default();
    for spec in request.tables {
        match tables.iter().find(|t| t.name == spec.name) {
            Some(t) if *t != spec => {
                return Err(AppError::usage(format!(
                    "table {} is already in stack {} as {t}; it cannot change to {spec}",
                    spec.name, names.stack
                )))
            }
            Some(_) => {}
            None => tables.push(spec),
        }
    }
    if tables.is_empty() {
        return Err(AppError::usage(
            "which tables? pass --table NAME (for example --table users)",
        ));
    }
    Ok(Plan {
        names,
        local,
        tables,
        settings,
        previous,
    })
}

/// The authorizer of a `lambda` stack: the flags, else what was recorded,
/// else the defaults; authorizer flags without `--auth lambda` are refused.
fn authorizer_settings(
    settings: &Settings,
    flags: AuthorizerFlags,
    prev: Option<&StackState>,
) -> Result<Option<AuthorizerSettings>, AppError> {
    let flags_given = flags.file.is_some()
        || flags.kind.is_some()
        || flags.identity_source.is_some()
        || flags.ttl.is_some()
        || flags.payload.is_some()
        || flags.simple_responses.is_some();
    if settings.auth != Auth::Lambda {
        if flags_given {
            return Err(AppError::usage(
                "--authorizer, --authorizer-type, --identity-source, --authorizer-ttl, --authorizer-payload and --simple-responses go with --auth lambda",
            ));
        }
        return Ok(None);
    }
    let http = settings.api == ApiKind::Http;
    if !http && (flags.payload.is_some() || flags.simple_responses.is_some()) {
        return Err(AppError::usage(
            "--authorizer-payload and --simple-responses are for HTTP API authorizers: add --api http",
        ));
    }
    if http && flags.kind == Some(authorizer::Kind::Token) {
        return Err(AppError::usage(
            "HTTP API Lambda authorizers are REQUEST authorizers (their identity sources may be a header alone): drop --authorizer-type token",
        ));
    }
    let recorded = prev.and_then(|p| p.authorizer.clone());
    let file = flags
        .file
        .map(|p| std::fs::canonicalize(&p).unwrap_or(p))
        .or(recorded.as_ref().map(|a| a.file.clone()))
        .ok_or_else(|| {
            AppError::usage(
                "--auth lambda needs the authorizer's code: --authorizer FILE (a Python file with lambda_handler; examples/authorizers/token.py is one)",
            )
        })?;
    let chosen = AuthorizerSettings {
        file,
        kind: match http {
            true => authorizer::Kind::Request,
            false => flags
                .kind
                .or(recorded.as_ref().map(|a| a.kind))
                .unwrap_or(authorizer::Kind::Token),
        },
        identity_source: flags
            .identity_source
            .or(recorded.as_ref().map(|a| a.identity_source.clone()))
            .unwrap_or_else(|| authorizer::DEFAULT_IDENTITY_SOURCE.into()),
        ttl: flags
            .ttl
            .or(recorded.as_ref().map(|a| a.ttl))
            .unwrap_or(authorizer::DEFAULT_TTL),
        payload: http.then(|| {
            flags
                .payload
                .or(recorded.as_ref().and_then(|a| a.payload.clone()))
                .unwrap_or_else(|| "2.0".into())
        }),
        simple_responses: http
            && flags
                .simple_responses
                .or(recorded.as_ref().map(|a| a.simple_responses))
                .unwrap_or(false),
    };
    if chosen.simple_responses && chosen.payload.as_deref() != Some("2.0") {
        return Err(AppError::usage(
            "--simple-responses needs the 2.0 payload format (1.0 authorizers answer IAM policies): drop --authorizer-payload 1.0",
        ));
    }
    // A bad file or identity source fails before anything is made.
    chosen.code()?;
    chosen.aws_identity_source()?;
    Ok(Some(chosen))
}

/// The JWT authorizer of a `jwt` stack: the flags, else what was
/// recorded; locally, the local issuer by default (audience
/// `serverless-crud`). JWT flags without `--auth jwt` are refused.
fn jwt_settings(
    settings: &Settings,
    flags: JwtFlags,
    local_issuer: Option<String>,
    prev: Option<&StackState>,
) -> Result<Option<JwtSettings>, AppError> {
    let flags_given =
        flags.issuer.is_some() || !flags.audiences.is_empty() || !flags.scopes.is_empty();
    if settings.auth != Auth::Jwt {
        if flags_given {
            return Err(AppError::usage(
                "--jwt-issuer, --jwt-audience and --scope go with --auth jwt",
            ));
        }
        return Ok(None);
    }
    if settings.api != ApiKind::Http {
        return Err(AppError::usage(
            "--auth jwt is an HTTP API authorizer here: add --api http (JWT authorizers on REST APIs are not in the AWS SDK's REST API model nor in the local stack)",
        ));
    }
    let recorded = prev.and_then(|p| p.jwt.clone());
    let (issuer, local) = match (flags.issuer, &recorded, local_issuer) {
        (Some(issuer), _, _) => (issuer, false),
        (None, Some(r), Some(local)) if r.local_issuer => (local, true),
        (None, Some(r), _) => (r.issuer.clone(), r.local_issuer),
        (None, None, Some(local)) => (local, true),
        (None, None, None) => {
            return Err(AppError::usage(
                "--auth jwt needs the token issuer: --jwt-issuer URL (e.g. https://cognito-idp.REGION.amazonaws.com/POOL_ID), and --jwt-audience CLIENT_ID",
            ))
        }
    };
    let url = url::Url::parse(&issuer)
        .map_err(|e| AppError::usage(format!("--jwt-issuer `{issuer}` is not a URL ({e})")))?;
    if url.scheme() != "https" && !local && !settings_is_local_url(&url) {
        return Err(AppError::usage(format!(
            "--jwt-issuer `{issuer}`: API Gateway fetches the issuer's keys over HTTPS only"
        )));
    }
    let audiences = match (flags.audiences.is_empty(), &recorded) {
        (false, _) => flags.audiences,
        (true, Some(r)) => r.audiences.clone(),
        (true, None) if local => vec![crate::local::issuer::DEFAULT_AUDIENCE.to_string()],
        (true, None) => {
            return Err(AppError::usage(
                "--auth jwt needs the accepted audience: --jwt-audience CLIENT_ID (repeatable)",
            ))
        }
    };
    let scopes = match (flags.scopes.is_empty(), &recorded) {
        (false, _) => flags.scopes,
        (true, Some(r)) => r.scopes.clone(),
        (true, None) => Vec::new(),
    };
    Ok(Some(JwtSettings {
        issuer,
        local_issuer: local,
        audiences,
        scopes,
    }))
}

/// An issuer on this machine (the local stack's tests point at one).
fn settings_is_local_url(url: &url::Url) -> bool {
    matches!(url.host_str(), Some("127.0.0.1" | "localhost"))
}

fn already_public(prev: Option<&StackState>) -> bool {
    prev.map(|p| p.auth) == Some(Auth::None)
}

/// Combinations the API cannot have: the resource routes answer proxy
/// events only; `*` lets any site call the API (with --allow-public only).
fn check_shape(settings: &Settings, public: bool) -> Result<(), AppError> {
    if settings.api == ApiKind::Http {
        if settings.auth == Auth::ApiKey {
            return Err(AppError::usage(
                "HTTP APIs have no API keys or usage plans: use --auth iam (or --auth none --allow-public) with --api http, or --api rest for API keys",
            ));
        }
        if settings.integration == Integration::NonProxy {
            return Err(AppError::usage(
                "HTTP API Lambda integrations are proxy integrations (payload format 2.0): drop --integration non-proxy, or use --api rest",
            ));
        }
    }
    if settings.routes == Routes::Rest && settings.integration == Integration::NonProxy {
        return Err(AppError::usage(
            "--routes rest needs the proxy integration (the routes read the method, path and query): drop --integration non-proxy",
        ));
    }
    for origin in &settings.cors {
        crate::names::origin(origin).map_err(AppError::usage)?;
    }
    check_method_auth(settings)?;
    if settings.cors.iter().any(|o| o == "*") && !public {
        return Err(AppError::usage(
            "--cors '*' lets any web page call the API: it goes with --auth none --allow-public only; name the origins instead (--cors https://app.example.com)",
        ));
    }
    if settings.cors.iter().any(|o| o == "*") && settings.cors.len() > 1 {
        return Err(AppError::usage(
            "--cors '*' already allows every origin: give it alone",
        ));
    }
    Ok(())
}

/// Per-method auth is for REST APIs, on methods the routes have; `lambda`
/// needs the stack's authorizer.
fn check_method_auth(settings: &Settings) -> Result<(), AppError> {
    if settings.method_auth.is_empty() {
        return Ok(());
    }
    if settings.api != ApiKind::Rest {
        return Err(AppError::usage(
            "--method-auth is for REST APIs (per-method authorizers and API keys): use --api rest",
        ));
    }
    let verbs: Vec<&str> = api::routes::methods(settings.routes)
        .into_iter()
        .map(|(_, verb)| verb)
        .collect();
    for m in &settings.method_auth {
        if !verbs.contains(&m.verb.as_str()) {
            return Err(AppError::usage(format!(
                "--method-auth {m}: the API has no {} method{}",
                m.verb,
                match settings.routes {
                    Routes::Crud => " (add --routes rest for GET, PUT, PATCH and DELETE)",
                    Routes::Rest => "",
                }
            )));
        }
        if m.auth == Auth::Lambda && settings.auth != Auth::Lambda {
            return Err(AppError::usage(format!(
                "--method-auth {m}: a method's Lambda authorizer is the stack's: add --auth lambda --authorizer FILE"
            )));
        }
        if m.auth == Auth::Cognito && settings.auth == Auth::Lambda {
            return Err(AppError::usage(format!(
                "--method-auth {m}: a REST API's methods here share one authorizer, and the stack's is the Lambda authorizer: drop --auth lambda, or use {}=lambda",
                m.verb
            )));
        }
    }
    Ok(())
}

/// What `setup --dry-run` prints.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlanReport {
    dry_run: bool,
    stack: String,
    region: String,
    local: bool,
    plan: Vec<PlannedResource>,
}

#[derive(Serialize)]
pub struct PlannedResource {
    resource: &'static str,
    name: String,
    #[serde(flatten)]
    detail: Value,
}

impl fmt::Display for PlanReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: Vec<(String, String)> = self
            .plan
            .iter()
            .map(|p| (p.resource.to_string(), p.name.clone()))
            .collect();
        write!(f, "{}", crate::output::rows_table(&rows))
    }
}

impl Plan {
    pub fn report(&self) -> PlanReport {
        let names = &self.names;
        let s = &self.settings;
        let item = |resource, name: String, detail: Value| PlannedResource {
            resource,
            name,
            detail,
        };
        let mut plan: Vec<PlannedResource> = self
            .tables
            .iter()
            .map(|t| item("DynamoDB table (on-demand)", t.to_string(), json!({})))
            .collect();
        plan.push(item(
            "CloudWatch log group",
            names.log_group(),
            json!({"retentionDays": s.log_retention}),
        ));
        plan.push(item(
            "IAM role + inline policy",
            names.role(),
            json!({"path": stack::ROLE_PATH, "actions": iam::TABLE_ACTIONS}),
        ));
        plan.push(item(
            "Lambda function",
            names.function(),
            json!({"runtime": s.runtime, "memory": s.memory, "timeout": s.function_timeout,
                   "dispatcher": s.dispatcher.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "embedded".into())}),
        ));
        let routes = match s.routes {
            Routes::Crud => "POST /crud",
            Routes::Rest => "POST /crud + /items/{table}[/{id}[/{sort}]]",
        };
        plan.push(PlannedResource {
            resource: match s.api {
                ApiKind::Rest => "REST API (REGIONAL)",
                ApiKind::Http => "HTTP API, stage $default (auto-deploy)",
            },
            name: names.api(),
            detail: json!({"routes": routes, "auth": s.auth, "integration": s.integration, "cors": s.cors}),
        });
        plan.push(item(
            "Lambda permission for API Gateway",
            function::PERMISSION_ID.to_string(),
            json!({}),
        ));
        plan.push(item(
            "deployment + stage (JSON access logs)",
            s.stage.clone(),
            json!({}),
        ));
        plan.push(item(
            "CloudWatch log group (API access logs)",
            names.access_log_group(),
            json!({"retentionDays": s.log_retention}),
        ));
        if let Some(a) = &s.authorizer {
            plan.push(item(
                "Lambda authorizer function (own role + log group)",
                names.authorizer_function(),
                json!({"file": a.file.display().to_string(), "role": names.authorizer_role(),
                       "logGroup": names.authorizer_log_group()}),
            ));
            plan.push(item(
                "API authorizer",
                names.api(),
                json!({"type": a.kind, "identitySource": a.identity_source, "ttlSeconds": a.ttl}),
            ));
        }
        if let Some(j) = &s.jwt {
            plan.push(item(
                "JWT authorizer",
                names.api(),
                json!({"issuer": j.issuer, "audiences": j.audiences, "scopes": j.scopes}),
            ));
        }
        if wants_user_pool(s) {
            plan.push(item(
                "Cognito user pool + app client (login: USER_PASSWORD_AUTH)",
                names.api(),
                json!({"authorizer": match s.api {
                    ApiKind::Rest => "COGNITO_USER_POOLS",
                    ApiKind::Http => "JWT (issuer: the pool, audience: the app client)",
                }}),
            ));
        }
        if stack::needs_api_key(s.auth, &s.method_auth) {
            plan.push(item(
                "API key + usage plan",
                names.api_key(),
                json!({"rate": s.rate, "burst": s.burst}),
            ));
        }
        PlanReport {
            dry_run: true,
            stack: names.stack.clone(),
            region: names.region.clone(),
            local: self.local,
            plan,
        }
    }
}

/// Creates or brings up to date every resource of the stack.
pub async fn apply(
    clients: &Clients,
    plan: Plan,
    progress: &dyn Progress,
) -> Result<StackState, AppError> {
    let Plan {
        names,
        local,
        tables,
        settings,
        previous,
    } = plan;
    let mut state = previous.unwrap_or_else(|| StackState::new(&names, local, &settings));
    progress.note(&format!(
        "setting up stack {} in {}{}",
        names.stack,
        names.region,
        if local { " (local stack)" } else { "" }
    ));
    ensure_tables(clients, &names, &tables, &mut state, progress).await?;
    // Log group before the function, with a retention.
    let group = names.log_group();
    ensure_log_group(clients, &names, &group, settings.log_retention, progress).await?;
    state.log_retention_days = settings.log_retention;
    stack::save_state(&state)?;
    let (role_arn, account) = ensure_role(clients, &names, &mut state, progress).await?;
    let function_arn =
        ensure_function(clients, &names, &settings, role_arn, &mut state, progress).await?;
    ensure_authorizer_function(clients, &names, &settings, &mut state, progress).await?;
    if wants_user_pool(&settings) {
        ensure_user_pool(clients, &names, &mut state, progress).await?;
    }
    // The stage's access-log group, with the same retention.
    let group = names.access_log_group();
    ensure_log_group(clients, &names, &group, settings.log_retention, progress).await?;
    // Released stacks: the API reaches the alias, never `$LATEST`.
    let front_arn = match (&state.releases, settings.api) {
        (None, _) => function_arn.clone(),
        (Some(_), ApiKind::Rest) => format!(
            "{function_arn}:${{stageVariables.{}}}",
            stack::release::STAGE_VARIABLE
        ),
        (Some(_), ApiKind::Http) => format!("{function_arn}:{}", stack::release::ALIAS),
    };
    ensure_front(clients, &names, &settings, &front_arn, &mut state, progress).await?;
    ensure_permissions(clients, &names, &account, &settings, &state, progress).await?;
    if !wants_user_pool(&settings) && state.user_pool.is_some() {
        // The API no longer uses it.
        let step = progress.step("the Cognito user pool of an earlier setup");
        clients.cognito.delete(&names).await?;
        state.user_pool = None;
        stack::save_state(&state)?;
        step.done("removed (pool, app client, users)");
    }
    Ok(state)
}

/// The stack's Cognito user pool and app client (`--auth cognito`).
async fn ensure_user_pool(
    clients: &Clients,
    names: &Names,
    state: &mut StackState,
    progress: &dyn Progress,
) -> Result<(), AppError> {
    let step = progress.step(&format!(
        "Cognito user pool {} + app client (USER_PASSWORD_AUTH)",
        names.api()
    ));
    let (pool, created) = clients.cognito.ensure(names).await?;
    let changed = state.user_pool.as_ref() != Some(&pool);
    state.user_pool = Some(pool);
    stack::save_state(state)?;
    step.done(match (created, changed) {
        (true, _) => "created",
        (false, true) => "found",
        (false, false) => "exists",
    });
    Ok(())
}

/// The Lambda authorizer's function, role and log group (`--auth lambda`);
/// without it, those of an earlier setup go.
async fn ensure_authorizer_function(
    clients: &Clients,
    names: &Names,
    settings: &Settings,
    state: &mut StackState,
    progress: &dyn Progress,
) -> Result<(), AppError> {
    let Some(chosen) = &settings.authorizer else {
        if state.authorizer.is_some() || state.authorizer_function_arn.is_some() {
            let step = progress.step("the Lambda authorizer of an earlier setup");
            for (_, name, result) in authorizer::delete_function_role_and_logs(clients, names).await
            {
                result.map_err(|e| AppError::incomplete(format!("cannot delete {name}: {e}")))?;
            }
            state.authorizer_function_arn = None;
            stack::save_state(state)?;
            step.done("removed (function, role, log group)");
        }
        return Ok(());
    };
    let step = progress.step(&format!(
        "authorizer function {} (own role and log group)",
        names.authorizer_function()
    ));
    let (arn, change) = authorizer::ensure_function(
        clients,
        names,
        chosen,
        &settings.runtime,
        settings.log_retention,
    )
    .await?;
    state.authorizer_function_arn = Some(arn);
    stack::save_state(state)?;
    step.done(match &change {
        Change::Created => "created".to_string(),
        Change::Updated(what) => format!("updated ({})", what.join(", ")),
        Change::Unchanged => "up to date".to_string(),
    });
    Ok(())
}

/// API Gateway may invoke the function from this API's routes only: POST
/// /crud, and /items/... with `--routes rest` (removed without).
pub async fn ensure_permissions(
    clients: &Clients,
    names: &Names,
    account: &str,
    settings: &Settings,
    state: &StackState,
    progress: &dyn Progress,
) -> Result<(), AppError> {
    let step = progress.step("permission for API Gateway to invoke the function");
    let function = state.callee();
    // The stack's API, REST or HTTP (an HTTP API's id is not a REST API's).
    let [source, routes] = permission_sources(state, account);
    function::ensure_permission(&clients.lambda, &function, function::PERMISSION_ID, &source)
        .await?;
    let routes_sid = function::ROUTES_PERMISSION_ID;
    match settings.routes {
        Routes::Rest => {
            function::ensure_permission(&clients.lambda, &function, routes_sid, &routes).await?;
            step.done("scoped to this API's POST /crud and /items routes");
        }
        Routes::Crud => {
            function::remove_permission(&clients.lambda, &function, routes_sid).await?;
            step.done("scoped to this API's POST /crud");
        }
    }
    let api_id = match state.api {
        ApiKind::Rest => &state.rest_api_id,
        ApiKind::Http => &state.http_api_id,
    };
    if let (Some(_), Some(api_id), Some(authorizer_id)) =
        (&settings.authorizer, api_id, &state.authorizer_id)
    {
        let step = progress.step("permission for API Gateway to invoke the authorizer");
        let source = authorizer::source_arn(&names.region, account, api_id, authorizer_id);
        function::ensure_permission(
            &clients.lambda,
            &names.authorizer_function(),
            authorizer::PERMISSION_ID,
            &source,
        )
        .await?;
        step.done("scoped to this API's authorizer");
    }
    Ok(())
}

async fn ensure_log_group(
    clients: &Clients,
    names: &Names,
    group: &str,
    retention: i32,
    progress: &dyn Progress,
) -> Result<(), AppError> {
    let label = if group == names.log_group() {
        format!("log group {group} ({retention} days)")
    } else {
        format!("access-log group {group}")
    };
    let step = progress.step(&label);
    let created = logs::ensure(&clients.logs, names, group, retention).await?;
    step.done(if created { "created" } else { "exists" });
    Ok(())
}

/// The role and its least-privilege policy: (role ARN, account).
async fn ensure_role(
    clients: &Clients,
    names: &Names,
    state: &mut StackState,
    progress: &dyn Progress,
) -> Result<(String, String), AppError> {
    let step = progress.step(&format!("role {}", names.role()));
    let (role_arn, created) = iam::ensure_role(&clients.iam, names).await?;
    let account = role_arn.split(':').nth(4).unwrap_or_default().to_string();
    if account.is_empty() {
        return Err(AppError::internal(format!(
            "the role ARN {role_arn} names no account"
        )));
    }
    state.role_arn = Some(role_arn.clone());
    state.account = Some(account.clone());
    stack::save_state(state)?;
    step.done(if created { "created" } else { "exists" });
    let step = progress.step("role policy (stack tables + own log group only)");
    let table_arns: Vec<String> = state.tables.iter().map(|t| t.arn.clone()).collect();
    let log_group_arn = format!(
        "arn:aws:logs:{}:{account}:log-group:{}",
        names.region,
        names.log_group()
    );
    let policy = iam::access_policy(&table_arns, &log_group_arn);
    iam::put_policy(&clients.iam, names, &policy).await?;
    step.done("up to date");
    Ok((role_arn, account))
}

/// What the dispatcher reads: the tables it may touch and their keys (the
/// resource routes type path values by them), and the origins browsers may
/// call from.
pub fn function_environment(state: &StackState, settings: &Settings) -> HashMap<String, String> {
    let allowed: Vec<&str> = state.tables.iter().map(|t| t.spec.name.as_str()).collect();
    let keys: serde_json::Map<String, Value> = state
        .tables
        .iter()
        .map(|t| (t.spec.name.clone(), json!([[t.spec.key, t.spec.key_type]])))
        .collect();
    let mut env = HashMap::from([
        ("ALLOWED_TABLES".to_string(), allowed.join(",")),
        ("TABLE_KEYS".to_string(), Value::Object(keys).to_string()),
    ]);
    if !settings.cors.is_empty() {
        env.insert("ALLOWED_ORIGINS".to_string(), settings.cors.join(","));
    }
    env
}

/// The dispatcher function, allowed the stack's tables only; its ARN.
async fn ensure_function(
    clients: &Clients,
    names: &Names,
    settings: &Settings,
    role_arn: String,
    state: &mut StackState,
    progress: &dyn Progress,
) -> Result<String, AppError> {
    let environment = function_environment(state, settings);
    let spec = FunctionSpec {
        name: names.function(),
        description: "serverless-crud CRUD dispatcher",
        role_arn,
        runtime: settings.runtime.clone(),
        memory: settings.memory,
        timeout: settings.function_timeout,
        environment,
        zip: function::package(&settings.code()?),
        tags: names.tags(),
    };
    let step = progress.step(&format!(
        "function {} ({}, {} MB)",
        names.function(),
        settings.runtime,
        settings.memory
    ));
    let (function_arn, change) = function::ensure(&clients.lambda, &spec).await?;
    state.function_arn = Some(function_arn.clone());
    state.runtime = settings.runtime.clone();
    state.memory = settings.memory;
    state.function_timeout = settings.function_timeout;
    state.dispatcher = settings.dispatcher.clone();
    stack::save_state(state)?;
    step.done(match &change {
        Change::Created => "created".to_string(),
        Change::Updated(what) => format!("updated ({})", what.join(", ")),
        Change::Unchanged => "up to date".to_string(),
    });
    Ok(function_arn)
}

async fn ensure_tables(
    clients: &Clients,
    names: &Names,
    tables: &[TableSpec],
    state: &mut StackState,
    progress: &dyn Progress,
) -> Result<(), AppError> {
    let tags = names.tags();
    for spec in tables {
        let step = progress.step(&format!("table {spec}"));
        let outcome = ensure_table(&clients.dynamodb, spec, &tags).await?;
        let described = clients
            .dynamodb
            .describe_table()
            .table_name(&spec.name)
            .send()
            .await
            .map_err(|e| {
                aws::error(
                    "dynamodb",
                    format!("cannot describe table {}", spec.name),
                    &e,
                )
            })?;
        // The policy is built from these ARNs: never from an empty one.
        let arn = described
            .table()
            .and_then(|t| t.table_arn())
            .map(str::to_string)
            .ok_or_else(|| AppError::internal(format!("table {} has no ARN", spec.name)))?;
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
        stack::save_state(state)?;
        step.done(match (outcome, created) {
            (TableOutcome::Created, _) => "created (on-demand)",
            (TableOutcome::Exists, true) => "exists",
            (TableOutcome::Exists, false) => {
                "exists, not created by serverless-crud: used, never deleted by teardown"
            }
        });
    }
    Ok(())
}

/// The API the stack asked for; the other kind, left from an earlier
/// setup of this stack, goes (a switch leaves nothing behind).
async fn ensure_front(
    clients: &Clients,
    names: &Names,
    settings: &Settings,
    function_arn: &str,
    state: &mut StackState,
    progress: &dyn Progress,
) -> Result<(), AppError> {
    match settings.api {
        ApiKind::Rest => {
            if let Some(id) = state.http_api_id.take() {
                stack::http_api::delete(&clients.apigatewayv2, &id).await?;
            }
            ensure_api(clients, names, settings, function_arn, state, progress).await
        }
        ApiKind::Http => {
            remove_rest_api(clients, state).await?;
            ensure_http_api(clients, names, settings, function_arn, state, progress).await
        }
    }
}

/// A REST API of an earlier setup, with its usage plan and key.
async fn remove_rest_api(clients: &Clients, state: &mut StackState) -> Result<(), AppError> {
    if let Some(id) = state.usage_plan_id.take() {
        api::delete_usage_plan(&clients.apigateway, &id).await?;
    }
    if let Some(id) = state.api_key_id.take() {
        api::delete_api_key(&clients.apigateway, &id).await?;
    }
    state.api_key_value = None;
    if let Some(id) = state.rest_api_id.take() {
        api::delete_rest_api(&clients.apigateway, &id).await?;
    }
    stack::save_state(state)
}

/// The HTTP API: routes, integration, `$default` stage, CORS.
async fn ensure_http_api(
    clients: &Clients,
    names: &Names,
    settings: &Settings,
    function_arn: &str,
    state: &mut StackState,
    progress: &dyn Progress,
) -> Result<(), AppError> {
    let step = progress.step(&format!(
        "HTTP API {} ({} routes), stage $default, auth {}",
        names.api(),
        settings.routes.name(),
        settings.auth.name()
    ));
    let account = function_arn.split(':').nth(4).unwrap_or_default();
    let access_log_arn = format!(
        "arn:aws:logs:{}:{account}:log-group:{}",
        names.region,
        names.access_log_group()
    );
    // A user pool is a JWT issuer to an HTTP API: its app client is the audience.
    let pool_jwt = state
        .user_pool
        .as_ref()
        .filter(|_| settings.auth == Auth::Cognito)
        .map(|pool| JwtSettings {
            issuer: pool.issuer(&names.region),
            local_issuer: false,
            audiences: vec![pool.client_id.clone()],
            scopes: Vec::new(),
        });
    let spec = stack::http_api::HttpApiSpec {
        names,
        function_arn,
        access_log_arn: &access_log_arn,
        auth: match settings.auth {
            Auth::Cognito => Auth::Jwt,
            auth => auth,
        },
        routes: settings.routes,
        cors: &settings.cors,
        rate: settings.rate,
        burst: settings.burst,
        jwt: settings.jwt.as_ref().or(pool_jwt.as_ref()),
        lambda: settings
            .authorizer
            .as_ref()
            .zip(state.authorizer_function_arn.as_deref())
            .map(|(settings, arn)| (arn, settings)),
    };
    let outcome =
        stack::http_api::ensure(&clients.apigatewayv2, &spec, state.http_api_id.as_deref()).await?;
    state.http_api_id = Some(outcome.api_id.clone());
    state.authorizer_id.clone_from(&outcome.authorizer_id);
    state.invoke_url = Some(format!(
        "{}/{}",
        stack::http_api::base_url(&outcome.api_id, &names.region),
        api::RESOURCE_PATH
    ));
    state.api = ApiKind::Http;
    record_api_settings(state, settings, stack::http_api::STAGE);
    stack::save_state(state)?;
    step.done(match (outcome.created, outcome.changed) {
        (true, _) => "created (auto-deployed)",
        (false, true) => "updated (auto-deployed)",
        (false, false) => "up to date",
    });
    Ok(())
}

/// The REST API authorizer the methods use: the Lambda authorizer, or the
/// stack's user pool.
fn rest_authorizer<'a>(
    settings: &'a Settings,
    state: &'a StackState,
) -> Option<authorizer::RestAuthorizer<'a>> {
    if let (Some(settings), Some(function_arn)) = (
        settings.authorizer.as_ref(),
        state.authorizer_function_arn.as_deref(),
    ) {
        return Some(authorizer::RestAuthorizer::Lambda {
            function_arn,
            settings,
        });
    }
    state
        .user_pool
        .as_ref()
        .filter(|_| wants_user_pool(settings))
        .map(|pool| authorizer::RestAuthorizer::Cognito { pool })
}

/// Whether the stack's API uses a Cognito user pool (`--auth cognito`, or
/// a method's `cognito`).
pub fn wants_user_pool(settings: &Settings) -> bool {
    settings.auth == Auth::Cognito || settings.method_auth.iter().any(|m| m.auth == Auth::Cognito)
}

/// Records the settings an API step applied (once it succeeded).
fn record_api_settings(state: &mut StackState, settings: &Settings, stage: &str) {
    state.stage = stage.to_string();
    state.auth = settings.auth;
    state.integration = settings.integration;
    state.routes = settings.routes;
    state.cors = settings.cors.clone();
    state.authorizer.clone_from(&settings.authorizer);
    state.jwt.clone_from(&settings.jwt);
    state.method_auth.clone_from(&settings.method_auth);
    state.rate = Some(settings.rate);
    state.burst = Some(settings.burst);
}

/// REST API, method, integration, stage, and (api-key) usage plan + key.
async fn ensure_api(
    clients: &Clients,
    names: &Names,
    settings: &Settings,
    function_arn: &str,
    state: &mut StackState,
    progress: &dyn Progress,
) -> Result<(), AppError> {
    let auth = settings.auth;
    let step = progress.step(&format!(
        "REST API {} POST /crud{}, stage {}, auth {}",
        names.api(),
        match settings.routes {
            Routes::Rest => " + /items/{table} routes",
            Routes::Crud => "",
        },
        settings.stage,
        auth.name()
    ));
    let account = function_arn.split(':').nth(4).unwrap_or_default();
    let access_log_arn = format!(
        "arn:aws:logs:{}:{account}:log-group:{}",
        names.region,
        names.access_log_group()
    );
    let api_spec = api::ApiSpec {
        names,
        function_arn,
        access_log_arn: &access_log_arn,
        stage: &settings.stage,
        auth,
        integration: settings.integration,
        routes: settings.routes,
        cors: &settings.cors,
        rate: settings.rate,
        burst: settings.burst,
        authorizer: rest_authorizer(settings, state),
        authorizer_id: None,
        method_auth: &settings.method_auth,
        stage_variables: match state.releases {
            Some(_) => &[(stack::release::STAGE_VARIABLE, stack::release::ALIAS)],
            None => &[],
        },
    };
    let outcome = api::ensure(&clients.apigateway, &api_spec, state.rest_api_id.as_deref()).await?;
    state.authorizer_id.clone_from(&outcome.authorizer_id);
    state.rest_api_id = Some(outcome.rest_api_id.clone());
    state.invoke_url = Some(api::invoke_url(
        &outcome.rest_api_id,
        &names.region,
        &settings.stage,
    ));
    if stack::needs_api_key(auth, &settings.method_auth) {
        state.usage_plan_id = outcome.usage_plan_id.clone();
        state.api_key_id = outcome.api_key_id.clone();
        state.api_key_value = outcome.api_key_value.clone();
    } else {
        // Switching away from api-key: the plan and key go.
        if let Some(id) = state.usage_plan_id.take() {
            api::delete_usage_plan(&clients.apigateway, &id).await?;
        }
        if let Some(id) = state.api_key_id.take() {
            api::delete_api_key(&clients.apigateway, &id).await?;
        }
        state.api_key_value = None;
    }
    record_api_settings(state, settings, &settings.stage);
    stack::save_state(state)?;
    step.done(match (outcome.created, outcome.deployed) {
        (true, _) => "created and deployed",
        (false, true) => "updated and redeployed",
        (false, false) => "up to date",
    });
    if let Some(why) = &outcome.access_logging {
        progress.warn(&format!(
            "the stage's access logging is off: {why}. On AWS, API Gateway needs an account-level \
             CloudWatch role: `aws apigateway update-account --patch-operations \
             op=replace,path=/cloudwatchRoleArn,value=ROLE_ARN`, then run setup again"
        ));
    }
    Ok(())
}

/// The permissions' sources, [POST /crud, the /items routes], for the
/// stack's API (REST or HTTP: the same ARN form).
pub fn permission_sources(state: &StackState, account: &str) -> [String; 2] {
    let id = match state.api {
        ApiKind::Rest => state.rest_api_id.clone(),
        ApiKind::Http => state.http_api_id.clone(),
    }
    .unwrap_or_default();
    [
        api::source_arn(&state.region, account, &id),
        api::routes_source_arn(&state.region, account, &id),
    ]
}

/// What `setup` prints.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupReport {
    stack: String,
    region: String,
    local: bool,
    tables: Vec<TableReport>,
    function: String,
    runtime: String,
    memory: i32,
    function_timeout: i32,
    role: String,
    log_group: String,
    log_retention_days: i32,
    rest_api_id: Option<String>,
    /// `rest` or `http`.
    api: ApiKind,
    http_api_id: Option<String>,
    routes: Routes,
    cors: Vec<String>,
    stage: String,
    invoke_url: Option<String>,
    local_invoke_url: Option<String>,
    /// The stage's URL: the resource routes hang below it.
    base_url: Option<String>,
    local_base_url: Option<String>,
    auth: Auth,
    /// Methods with another auth than the stack's.
    method_auth: Vec<String>,
    #[serde(skip)]
    has_api_key: bool,
    api_key_id: Option<String>,
    /// The API's authorizer (Lambda or user pool).
    authorizer_id: Option<String>,
    /// `--auth cognito`: what a front end signs users in with.
    user_pool: Option<crate::stack::cognito::UserPool>,
    next: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TableReport {
    name: String,
    key: String,
    key_type: String,
    arn: String,
    created_by_setup: bool,
    #[serde(skip)]
    spec: String,
}

impl SetupReport {
    pub fn new(state: &StackState) -> SetupReport {
        let first_table = state
            .tables
            .first()
            .map(|t| t.spec.name.clone())
            .unwrap_or_default();
        let local = if state.local { " --local" } else { "" };
        SetupReport {
            stack: state.stack.clone(),
            region: state.region.clone(),
            local: state.local,
            tables: state
                .tables
                .iter()
                .map(|t| TableReport {
                    name: t.spec.name.clone(),
                    key: t.spec.key.clone(),
                    key_type: t.spec.key_type.clone(),
                    arn: t.arn.clone(),
                    created_by_setup: t.created,
                    spec: t.spec.to_string(),
                })
                .collect(),
            function: state.function_name.clone(),
            runtime: state.runtime.clone(),
            memory: state.memory,
            function_timeout: state.function_timeout,
            role: state.role_name.clone(),
            log_group: state.log_group.clone(),
            log_retention_days: state.log_retention_days,
            rest_api_id: state.rest_api_id.clone(),
            api: state.api,
            http_api_id: state.http_api_id.clone(),
            routes: state.routes,
            cors: state.cors.clone(),
            stage: state.stage.clone(),
            invoke_url: state.invoke_url.clone(),
            local_invoke_url: state.local_invoke_url.clone(),
            base_url: crate::stack::stage_base(state.invoke_url.as_deref()),
            local_base_url: crate::stack::stage_base(state.local_invoke_url.as_deref()),
            auth: state.auth,
            method_auth: state.method_auth.iter().map(|m| m.to_string()).collect(),
            has_api_key: state.has_api_key(),
            api_key_id: state.api_key_id.clone(),
            authorizer_id: state.authorizer_id.clone(),
            user_pool: state.user_pool.clone(),
            next: match state.auth {
                Auth::Cognito => format!(
                    "serverless-crud{local} --stack {} login --user NAME --create",
                    state.stack
                ),
                _ => format!(
                    "serverless-crud{local} --stack {} create --table {first_table} --item '{{\"id\":\"1\",\"name\":\"Ana\"}}'",
                    state.stack
                ),
            },
        }
    }
}

impl fmt::Display for SetupReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tables: Vec<&str> = self.tables.iter().map(|t| t.spec.as_str()).collect();
        let mut rows = vec![
            (
                "stack".to_string(),
                format!("{} ({})", self.stack, self.region),
            ),
            ("tables".into(), tables.join(", ")),
            (
                "function".into(),
                format!(
                    "{} ({}, {} MB, {} s)",
                    self.function, self.runtime, self.memory, self.function_timeout
                ),
            ),
            ("role".into(), self.role.clone()),
            (
                "log group".into(),
                format!("{} ({} days)", self.log_group, self.log_retention_days),
            ),
            (
                "invoke URL".into(),
                self.invoke_url.clone().unwrap_or_default(),
            ),
            ("auth".into(), self.auth.name().to_string()),
        ];
        if let Some(url) = &self.local_invoke_url {
            rows.push(("local invoke URL".into(), url.clone()));
        }
        if let Some(pool) = &self.user_pool {
            rows.push((
                "user pool".into(),
                format!("{} (app client {})", pool.id, pool.client_id),
            ));
        }
        if self.has_api_key {
            rows.push((
                "API key".into(),
                "stored in the stack state; `status --show-api-key` prints it".into(),
            ));
        }
        rows.push(("next".into(), self.next.clone()));
        write!(f, "{}", crate::output::rows_table(&rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        Names::new("shop", "eu-west-1").unwrap()
    }

    fn tables(specs: &[&str]) -> Vec<TableSpec> {
        specs.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn request(specs: &[&str]) -> Request {
        Request {
            tables: tables(specs),
            ..Request::default()
        }
    }

    fn recorded(auth: Auth) -> StackState {
        let first = plan(
            names(),
            false,
            None,
            Request {
                auth: Some(auth),
                allow_public: true,
                memory: Some(512),
                stage: Some("prod".into()),
                rate: Some(3.0),
                integration: Some(Integration::NonProxy),
                ..request(&["users"])
            },
        )
        .unwrap();
        let mut state = StackState::new(&first.names, false, &first.settings);
        state.tables = first
            .tables
            .iter()
            .map(|spec| TableRecord {
                spec: spec.clone(),
                arn: format!("arn:aws:dynamodb:eu-west-1:1:table/{}", spec.name),
                created: true,
            })
            .collect();
        state.rate = Some(first.settings.rate);
        state.burst = Some(first.settings.burst);
        state
    }

    #[test]
    fn a_new_stack_gets_the_secure_defaults() {
        let p = plan(names(), false, None, request(&["users"])).unwrap();
        let s = &p.settings;
        assert_eq!(s.auth, Auth::Iam, "auth on by default");
        assert_eq!(
            (s.runtime.as_str(), s.memory, s.function_timeout),
            ("python3.12", 256, 30)
        );
        assert_eq!((s.stage.as_str(), s.log_retention), ("v1", 7));
        assert_eq!((s.rate, s.burst), (10.0, 20));
        assert_eq!(s.integration, Integration::Proxy);
        assert_eq!(s.dispatcher, None);
        assert_eq!(p.tables, tables(&["users"]));
    }

    #[test]
    fn a_rerun_keeps_what_was_recorded_unless_a_flag_says_otherwise() {
        let previous = recorded(Auth::ApiKey);
        let p = plan(names(), false, Some(previous.clone()), request(&[])).unwrap();
        assert_eq!(p.settings.auth, Auth::ApiKey);
        assert_eq!(
            (p.settings.memory, p.settings.stage.as_str()),
            (512, "prod")
        );
        assert_eq!(p.settings.rate, 3.0);
        assert_eq!(p.settings.integration, Integration::NonProxy);
        assert_eq!(p.tables, tables(&["users"]), "the recorded tables stay");
        let changed = plan(
            names(),
            false,
            Some(previous),
            Request {
                auth: Some(Auth::Iam),
                memory: Some(1024),
                ..request(&["orders:orderId:S"])
            },
        )
        .unwrap();
        assert_eq!(
            (changed.settings.auth, changed.settings.memory),
            (Auth::Iam, 1024)
        );
        assert_eq!(changed.tables, tables(&["users", "orders:orderId:S"]));
    }

    #[test]
    fn what_setup_cannot_do_is_refused_before_anything_is_made() {
        let open = plan(
            names(),
            false,
            None,
            Request {
                auth: Some(Auth::None),
                ..request(&["users"])
            },
        );
        let err = open.err().unwrap();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("--allow-public"), "{err}");
        // A stack already open stays open on a re-run without the flag.
        assert!(plan(names(), false, Some(recorded(Auth::None)), request(&[])).is_ok());
        let rekeyed = plan(
            names(),
            false,
            Some(recorded(Auth::Iam)),
            request(&["users:pk:N"]),
        );
        assert!(rekeyed.err().unwrap().to_string().contains("cannot change"));
        let none = plan(names(), false, None, request(&[])).err().unwrap();
        assert!(none.to_string().contains("which tables?"), "{none}");
        let missing = plan(
            names(),
            false,
            None,
            Request {
                dispatcher: Some("/no/such/dispatcher.py".into()),
                ..request(&["users"])
            },
        );
        assert_eq!(
            missing.err().unwrap().exit_code(),
            10,
            "a file that cannot be read"
        );
    }

    #[test]
    fn the_plan_report_lists_each_resource_and_the_key_only_for_api_key_stacks() {
        let resources = |auth| {
            let p = plan(
                names(),
                false,
                None,
                Request {
                    auth: Some(auth),
                    allow_public: true,
                    ..request(&["users", "orders"])
                },
            )
            .unwrap();
            let json = serde_json::to_value(p.report()).unwrap();
            assert_eq!(json["dryRun"], true);
            json["plan"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["resource"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let iam = resources(Auth::Iam);
        assert_eq!(
            iam.iter()
                .filter(|r| r.starts_with("DynamoDB table"))
                .count(),
            2
        );
        for kind in [
            "IAM role + inline policy",
            "Lambda function",
            "Lambda permission for API Gateway",
        ] {
            assert!(iam.iter().any(|r| r == kind), "{kind} in {iam:?}");
        }
        assert!(!iam.iter().any(|r| r.contains("API key")));
        assert!(resources(Auth::ApiKey)
            .iter()
            .any(|r| r == "API key + usage plan"));
    }
}
