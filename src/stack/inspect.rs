//! The status service: what exists of a stack, in what state, and where it
//! drifted from what setup made. A resource that cannot be checked (access
//! denied, an outage) is reported as unknown — never as deleted.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::error::AppError;
use crate::stack::discover::Found;
use crate::stack::{api, function, iam, logs, tables, Auth, Clients, Names, StackState};

/// One resource, checked.
#[derive(Debug, Serialize)]
pub struct Check {
    pub kind: &'static str,
    pub name: String,
    /// None: it could not be checked (see `state`).
    pub exists: Option<bool>,
    pub state: String,
    pub drift: Option<String>,
}

const DELETED: &str = "deleted outside serverless-crud";

impl Check {
    /// A lookup that failed for another reason than "not found".
    fn unknown(kind: &'static str, name: String, err: &AppError) -> Check {
        Check {
            kind,
            name,
            exists: None,
            state: format!("cannot check: {err}"),
            drift: None,
        }
    }

    /// Recorded by setup, gone now.
    fn missing(kind: &'static str, name: String) -> Check {
        Check {
            kind,
            name,
            exists: Some(false),
            state: "missing".into(),
            drift: Some(DELETED.to_string()),
        }
    }

    fn verified(&self) -> bool {
        self.exists.is_some()
    }
}

/// Checks every resource the state records (plus what discovery found).
pub async fn check(
    clients: &Clients,
    names: &Names,
    state: &StackState,
    found: &Found,
) -> Vec<Check> {
    let mut checks = Vec::new();
    for table in &state.tables {
        let name = table.spec.to_string();
        checks.push(
            match tables::describe_status(&clients.dynamodb, &table.spec.name).await {
                Ok(Some(status)) => Check {
                    kind: "table",
                    name,
                    exists: Some(true),
                    state: status,
                    drift: None,
                },
                Ok(None) => Check {
                    kind: "table",
                    name,
                    exists: Some(false),
                    state: "missing".into(),
                    drift: Some(DELETED.into()),
                },
                Err(e) => Check::unknown("table", name, &e),
            },
        );
    }
    checks.push(check_log_group(clients, state).await);
    checks.push(check_access_logs(clients, names, state).await);
    checks.push(check_role(clients, names, state, found).await);
    checks.push(check_function(clients, state).await);
    checks.push(match state.api {
        crate::stack::ApiKind::Rest => check_api(clients, state).await,
        crate::stack::ApiKind::Http => check_http_api(clients, state).await,
    });
    checks.extend(check_permissions(clients, state).await);
    if let Some(releases) = &state.releases {
        checks.push(check_alias(clients, state, releases).await);
    }
    if state.authorizer.is_some() {
        checks.extend(check_authorizer(clients, names, state).await);
    }
    if let Some(pool) = &state.user_pool {
        checks.push(check_user_pool(clients, pool, found).await);
    }
    if state.has_api_key() {
        let present = !found.usage_plans.is_empty() && !found.api_keys.is_empty();
        checks.push(Check {
            kind: "usage plan + key",
            name: names.usage_plan(),
            exists: Some(present),
            state: if present { "present" } else { "missing" }.into(),
            drift: (!present).then(|| DELETED.to_string()),
        });
    }
    checks
}

async fn check_log_group(clients: &Clients, state: &StackState) -> Check {
    let name = state.log_group.clone();
    match logs::describe(&clients.logs, &state.log_group).await {
        Ok(None) => Check {
            kind: "log group",
            name,
            exists: Some(false),
            state: "missing".into(),
            drift: Some(DELETED.into()),
        },
        Ok(Some(retention)) => Check {
            kind: "log group",
            name,
            exists: Some(true),
            state: match retention {
                Some(days) => format!("{days} days retention"),
                None => "never expires".into(),
            },
            drift: (retention != Some(state.log_retention_days)).then(|| {
                format!(
                    "retention changed (setup set {} days)",
                    state.log_retention_days
                )
            }),
        },
        Err(e) => Check::unknown("log group", name, &e),
    }
}

/// The stage's access-log group, and the stage writing to it.
async fn check_access_logs(clients: &Clients, names: &Names, state: &StackState) -> Check {
    let name = names.access_log_group();
    let kind = "access-log group";
    let group = match logs::describe(&clients.logs, &name).await {
        Ok(group) => group,
        Err(e) => return Check::unknown(kind, name, &e),
    };
    let Some(retention) = group else {
        return Check {
            kind,
            name,
            exists: Some(false),
            state: "missing".into(),
            drift: Some(DELETED.into()),
        };
    };
    let logging = match (&state.rest_api_id, &state.http_api_id) {
        (_, Some(id)) if state.api == crate::stack::ApiKind::Http => {
            match crate::stack::http_api::access_logging(&clients.apigatewayv2, id).await {
                Ok(on) => on,
                Err(e) => return Check::unknown(kind, name, &e),
            }
        }
        (Some(id), _) => match api::access_logging(&clients.apigateway, id, &state.stage).await {
            Ok(on) => on.unwrap_or(false),
            Err(e) => return Check::unknown(kind, name, &e),
        },
        _ => false,
    };
    Check {
        kind,
        name,
        exists: Some(true),
        state: format!(
            "{}; stage access logging {}",
            retention.map_or("never expires".to_string(), |d| format!(
                "{d} days retention"
            )),
            if logging { "on" } else { "off" }
        ),
        drift: (!logging).then(|| "the stage does not write access logs".to_string()),
    }
}

async fn check_role(clients: &Clients, names: &Names, state: &StackState, found: &Found) -> Check {
    let name = state.role_name.clone();
    if found.role.is_none() {
        return Check {
            kind: "role",
            name,
            exists: Some(false),
            state: "missing".into(),
            drift: Some(DELETED.into()),
        };
    }
    let policy = match iam::get_policy(&clients.iam, names).await {
        Ok(policy) => policy,
        Err(e) => return Check::unknown("role", name, &e),
    };
    let expected: Vec<String> = state.tables.iter().map(|t| t.arn.clone()).collect();
    let granted: Vec<String> = policy
        .as_ref()
        .and_then(|p| p["Statement"][0]["Resource"].as_array().cloned())
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Check {
        kind: "role",
        name,
        exists: Some(true),
        state: if policy.is_some() {
            format!("policy on {} table(s)", granted.len())
        } else {
            "no policy".into()
        },
        drift: if policy.is_none() {
            Some("its access policy is missing".into())
        } else if granted != expected {
            Some("its policy does not match the stack's tables".into())
        } else {
            None
        },
    }
}

async fn check_function(clients: &Clients, state: &StackState) -> Check {
    let name = state.function_name.clone();
    let allowed: Vec<&str> = state.tables.iter().map(|t| t.spec.name.as_str()).collect();
    match function::state(&clients.lambda, &state.function_name).await {
        Ok(None) => Check {
            kind: "function",
            name,
            exists: Some(false),
            state: "missing".into(),
            drift: Some(DELETED.into()),
        },
        Ok(Some((status, env))) => Check {
            kind: "function",
            name,
            exists: Some(true),
            state: status,
            drift: (env.get("ALLOWED_TABLES").map(String::as_str)
                != Some(allowed.join(",").as_str()))
            .then(|| "its ALLOWED_TABLES differs from the stack's tables".to_string()),
        },
        Err(e) => Check::unknown("function", name, &e),
    }
}

/// The HTTP API and the routes setup made (a deleted route is drift).
async fn check_http_api(clients: &Clients, state: &StackState) -> Check {
    let kind = "HTTP API";
    let name = state.http_api_id.clone().unwrap_or_default();
    let Some(id) = &state.http_api_id else {
        return Check {
            kind,
            name,
            exists: Some(false),
            state: "missing".into(),
            drift: Some("setup did not finish".into()),
        };
    };
    let routes = match crate::stack::http_api::routes_of(&clients.apigatewayv2, id).await {
        Ok(routes) => routes,
        Err(AppError::Aws {
            code: Some(code), ..
        }) if code == "NotFoundException" => {
            return Check {
                kind,
                name,
                exists: Some(false),
                state: "missing".into(),
                drift: Some(DELETED.into()),
            }
        }
        Err(e) => return Check::unknown(kind, name, &e),
    };
    let missing: Vec<String> = crate::stack::http_api::route_keys(state.routes)
        .into_iter()
        .filter(|k| !routes.contains(k))
        .collect();
    Check {
        kind,
        name,
        exists: Some(true),
        state: format!("{} route(s), stage $default", routes.len()),
        drift: (!missing.is_empty()).then(|| format!("route(s) missing: {}", missing.join(", "))),
    }
}

async fn check_api(clients: &Clients, state: &StackState) -> Check {
    let name = format!(
        "{} stage {}",
        state.rest_api_id.clone().unwrap_or_default(),
        state.stage
    );
    let deployed = match &state.rest_api_id {
        Some(id) => api::stage_deployed(&clients.apigateway, id, &state.stage).await,
        None => Ok(None),
    };
    match deployed {
        Ok(Some(true)) => Check {
            kind: "REST API",
            name,
            exists: Some(true),
            state: "deployed".into(),
            drift: None,
        },
        Ok(Some(false)) => Check {
            kind: "REST API",
            name,
            exists: Some(true),
            state: "stage missing".into(),
            drift: Some("the stage is not deployed".into()),
        },
        Ok(None) => Check {
            kind: "REST API",
            name,
            exists: Some(false),
            state: "missing".into(),
            drift: Some(DELETED.into()),
        },
        Err(e) => Check::unknown("REST API", name, &e),
    }
}

/// The function's resource policy lets this API's routes invoke it (POST
/// /crud, and /items/... with `--routes rest`; without it, API Gateway
/// answers 500 "Internal server error").
/// The alias `live`: present, on the versions the releases recorded, each
/// still published.
async fn check_alias(
    clients: &Clients,
    state: &StackState,
    releases: &crate::stack::release::Releases,
) -> Check {
    use crate::stack::release;
    let kind = "alias";
    let name = state.callee();
    let (main, weighted) = match release::alias_state(&clients.lambda, &state.function_name).await
    {
        Ok(Some(found)) => found,
        Ok(None) => {
            return Check {
                kind,
                name,
                exists: Some(false),
                state: "missing".into(),
                drift: Some(format!(
                    "{DELETED}: the API reaches no function (every call fails); `deploy` makes it again"
                )),
            }
        }
        Err(e) => return Check::unknown(kind, name, &e),
    };
    let described = match &weighted {
        Some(w) => format!(
            "version {main} ({:.0}%), version {} ({:.0}%); versions kept: {}",
            (1.0 - w.weight) * 100.0,
            w.version,
            w.weight * 100.0,
            releases.versions.join(", ")
        ),
        None => format!(
            "version {main}; versions kept: {}",
            releases.versions.join(", ")
        ),
    };
    let described = match &releases.canary {
        Some(c) => format!(
            "{described}; canary: {}% of the stage to version {} (deployment {})",
            c.percent, c.version, c.deployment_id
        ),
        None => described,
    };
    let mut drift = None;
    if main != releases.live || weighted != releases.weighted {
        drift = Some(format!(
            "moved outside serverless-crud (deploy, promote or rollback recorded version {})",
            releases.live
        ));
    }
    for version in std::iter::once(&main).chain(weighted.iter().map(|w| &w.version)) {
        let qualified = format!("{}:{version}", state.function_name);
        if let Ok(None) = function::state(&clients.lambda, &qualified).await {
            drift = Some(format!(
                "the alias points at version {version}, which no longer exists: `rollback` or `deploy`"
            ));
        }
    }
    Check {
        kind,
        name,
        exists: Some(true),
        state: described,
        drift,
    }
}

/// The stack's Cognito user pool and its app client (`--auth cognito`).
async fn check_user_pool(
    clients: &Clients,
    pool: &crate::stack::cognito::UserPool,
    found: &Found,
) -> Check {
    let kind = "user pool + app client";
    let name = pool.id.clone();
    if found.user_pool.as_deref() != Some(pool.id.as_str()) {
        return Check {
            kind,
            name,
            exists: Some(false),
            state: "missing".into(),
            drift: Some(format!(
                "{DELETED}: nobody can sign in and the API refuses every token until setup makes a new pool"
            )),
        };
    }
    match clients.cognito.client_exists(pool).await {
        Ok(true) => Check {
            kind,
            name,
            exists: Some(true),
            state: format!("app client {}", pool.client_id),
            drift: None,
        },
        Ok(false) => Check {
            kind,
            name,
            exists: Some(true),
            state: "app client missing".into(),
            drift: Some(format!(
                "the app client {} was deleted: `login` cannot sign in; run setup again",
                pool.client_id
            )),
        },
        Err(e) => Check::unknown(kind, name, &e),
    }
}

/// A Lambda authorizer's drift: its function, the API's authorizer, and
/// the permission letting API Gateway invoke it as that authorizer.
async fn check_authorizer(clients: &Clients, names: &Names, state: &StackState) -> Vec<Check> {
    let function = names.authorizer_function();
    let mut checks = vec![match function::state(&clients.lambda, &function).await {
        Ok(Some((status, _))) => Check {
            kind: "authorizer function",
            name: function.clone(),
            exists: Some(true),
            state: status,
            drift: None,
        },
        Ok(None) => Check::missing("authorizer function", function.clone()),
        Err(e) => Check::unknown("authorizer function", function.clone(), &e),
    }];
    let api_id = match state.api {
        crate::stack::ApiKind::Rest => &state.rest_api_id,
        crate::stack::ApiKind::Http => &state.http_api_id,
    };
    let (Some(api), Some(id), Some(account)) = (api_id, &state.authorizer_id, &state.account)
    else {
        checks.push(Check::missing("authorizer", names.api()));
        return checks;
    };
    checks.push(authorizer_check(clients, state, api, id).await);
    let source = crate::stack::authorizer::source_arn(&state.region, account, api, id);
    let sid = crate::stack::authorizer::PERMISSION_ID;
    checks.push(match function::has_permission(&clients.lambda, &function, sid, &source).await {
        Ok(true) => Check {
            kind: "authorizer permission",
            name: sid.to_string(),
            exists: Some(true),
            state: "API Gateway may invoke the authorizer".into(),
            drift: None,
        },
        Ok(false) => Check {
            kind: "authorizer permission",
            name: sid.to_string(),
            exists: Some(false),
            state: "missing".into(),
            drift: Some(
                "API Gateway may not invoke the authorizer: every call answers 500 (its resource policy lacks the permission)".into(),
            ),
        },
        Err(e) => Check::unknown("authorizer permission", sid.to_string(), &e),
    });
    checks
}

/// The API's authorizer `id`: its type, identity sources and TTL.
async fn authorizer_check(clients: &Clients, state: &StackState, api: &str, id: &str) -> Check {
    let found = |kind: Option<&str>, source: String, ttl: Option<i32>| Check {
        kind: "authorizer",
        name: id.to_string(),
        exists: Some(true),
        state: format!(
            "{} on {source}, TTL {} s",
            kind.unwrap_or("?"),
            ttl.unwrap_or(300)
        ),
        drift: None,
    };
    if state.api == crate::stack::ApiKind::Http {
        return match clients
            .apigatewayv2
            .get_authorizer()
            .api_id(api)
            .authorizer_id(id)
            .send()
            .await
        {
            Ok(a) => found(
                a.authorizer_type().map(|t| t.as_str()),
                a.identity_source().join(", "),
                a.authorizer_result_ttl_in_seconds(),
            ),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_not_found_exception()) =>
            {
                Check::missing("authorizer", id.to_string())
            }
            Err(e) => Check::unknown(
                "authorizer",
                id.to_string(),
                &crate::error::aws::error("apigatewayv2", "cannot read the authorizer", &e),
            ),
        };
    }
    match clients
        .apigateway
        .get_authorizer()
        .rest_api_id(api)
        .authorizer_id(id)
        .send()
        .await
    {
        Ok(a) => found(
            a.r#type().map(|t| t.as_str()),
            a.identity_source().unwrap_or("-").to_string(),
            a.authorizer_result_ttl_in_seconds(),
        ),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            Check::missing("authorizer", id.to_string())
        }
        Err(e) => Check::unknown(
            "authorizer",
            id.to_string(),
            &crate::error::aws::error("apigateway", "cannot read the authorizer", &e),
        ),
    }
}

async fn check_permissions(clients: &Clients, state: &StackState) -> Vec<Check> {
    let (Some(account), Some(id)) = (
        &state.account,
        state.rest_api_id.as_ref().or(state.http_api_id.as_ref()),
    ) else {
        return vec![Check {
            kind: "permission",
            name: function::PERMISSION_ID.to_string(),
            exists: Some(false),
            state: "setup did not finish".into(),
            drift: Some("setup did not finish".into()),
        }];
    };
    let mut wanted = vec![(
        function::PERMISSION_ID,
        api::source_arn(&state.region, account, id),
    )];
    if state.routes == crate::stack::Routes::Rest {
        wanted.push((
            function::ROUTES_PERMISSION_ID,
            api::routes_source_arn(&state.region, account, id),
        ));
    }
    let mut checks = Vec::new();
    for (sid, source) in wanted {
        let name = sid.to_string();
        checks.push(match function::has_permission(&clients.lambda, &state.callee(), sid, &source).await {
            Ok(true) => Check {
                kind: "permission",
                name,
                exists: Some(true),
                state: "API Gateway may invoke the function".into(),
                drift: None,
            },
            Ok(false) => Check {
                kind: "permission",
                name,
                exists: Some(false),
                state: "missing".into(),
                drift: Some(
                    "API Gateway may not invoke the function (its resource policy lacks the permission)"
                        .into(),
                ),
            },
            Err(e) => Check::unknown("permission", name, &e),
        });
    }
    checks
}

/// A live ping through one transport.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ping {
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_ms: Option<u128>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<&'static str>,
}

/// What `status` prints.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport {
    pub stack: String,
    pub region: String,
    pub local: bool,
    pub healthy: bool,
    pub resources: Vec<Check>,
    pub invoke_url: Option<String>,
    pub local_invoke_url: Option<String>,
    /// The stage's URL: the resource routes hang below it.
    pub base_url: Option<String>,
    pub local_base_url: Option<String>,
    pub auth: Auth,
    pub api_key: Option<String>,
    pub ping: BTreeMap<&'static str, Ping>,
    pub fix: Option<String>,
}

impl StatusReport {
    pub fn new(
        state: &StackState,
        resources: Vec<Check>,
        ping: BTreeMap<&'static str, Ping>,
        show_api_key: bool,
    ) -> StatusReport {
        let drifted = resources.iter().any(|c| c.drift.is_some());
        let verified = resources.iter().all(Check::verified);
        let pings_ok = ping.values().all(|p| p.ok);
        StatusReport {
            stack: state.stack.clone(),
            region: state.region.clone(),
            local: state.local,
            healthy: !drifted && verified && pings_ok,
            resources,
            invoke_url: state.invoke_url.clone(),
            local_invoke_url: state.local_invoke_url.clone(),
            base_url: crate::stack::stage_base(state.invoke_url.as_deref()),
            local_base_url: crate::stack::stage_base(state.local_invoke_url.as_deref()),
            auth: state.auth,
            api_key: show_api_key.then(|| state.api_key_value.clone()).flatten(),
            ping,
            fix: drifted.then(|| state.setup_command()),
        }
    }

    /// Why the stack is unhealthy, for the exit-9 error.
    pub fn problem(&self) -> Option<AppError> {
        if self.healthy {
            return None;
        }
        Some(AppError::incomplete(match &self.fix {
            Some(fix) => format!("stack {} has drifted; to repair it run: {fix}", self.stack),
            None if self.resources.iter().any(|c| !c.verified()) => format!(
                "stack {}: some resources could not be checked (see above)",
                self.stack
            ),
            None => format!("stack {} does not answer pings (see above)", self.stack),
        }))
    }
}

impl fmt::Display for StatusReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rows: Vec<(String, String)> = self
            .resources
            .iter()
            .map(|c| {
                let mark = match (c.exists, &c.drift) {
                    (None, _) => "?",
                    (_, Some(_)) => "✗",
                    _ => "✓",
                };
                let drift = c
                    .drift
                    .as_ref()
                    .map(|d| format!(" — DRIFT: {d}"))
                    .unwrap_or_default();
                (
                    format!("{mark} {} {}", c.kind, c.name),
                    format!("{}{drift}", c.state),
                )
            })
            .collect();
        rows.push((
            "invoke URL".into(),
            self.invoke_url.clone().unwrap_or_default(),
        ));
        if let Some(url) = &self.local_invoke_url {
            rows.push(("local invoke URL".into(), url.clone()));
        }
        rows.push(("auth".into(), self.auth.name().to_string()));
        if let Some(key) = &self.api_key {
            rows.push(("API key".into(), key.clone()));
        }
        for (via, p) in &self.ping {
            let text = match (p.skipped, p.ok, p.latency_ms) {
                (Some(why), _, _) => format!("skipped ({why})"),
                (None, true, Some(ms)) => format!("{ms} ms"),
                _ => format!("FAILED: {}", p.error.clone().unwrap_or_default()),
            };
            rows.push((format!("ping via {via}"), text));
        }
        if let Some(fix) = &self.fix {
            rows.push(("fix".into(), fix.clone()));
        }
        write!(f, "{}", crate::output::rows_table(&rows))
    }
}
