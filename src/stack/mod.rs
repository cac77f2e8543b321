//! The AWS resources of the pattern: names, tags, the per-stack state file,
//! and one module per resource kind.

pub mod api;
pub mod authorizer;
pub mod backup;
pub mod cognito;
pub mod discover;
pub mod function;
pub mod http_api;
pub mod iam;
pub mod inspect;
pub mod logs;
pub mod release;
pub mod setup;
pub mod tables;
pub mod teardown;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::auth::Auth;
use crate::error::AppError;
use crate::stack::tables::TableSpec;

/// The AWS clients the stack services use (built once by the Context).
pub struct Clients {
    pub dynamodb: aws_sdk_dynamodb::Client,
    /// DynamoDB's JSON API for reads kept as bytes (backups' Scan pages).
    pub dynamodb_api: crate::aws_http::JsonApi,
    pub iam: aws_sdk_iam::Client,
    /// The Lambda control plane (locally moto), not the Invoke endpoint.
    pub lambda: aws_sdk_lambda::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub apigateway: aws_sdk_apigateway::Client,
    /// HTTP APIs (API Gateway v2).
    pub apigatewayv2: aws_sdk_apigatewayv2::Client,
    /// Cognito user pools (`--auth cognito`).
    pub cognito: cognito::Cognito,
}

/// Where a stack's function runs besides Lambda (the local stack's runtime
/// workers, registered by a local `setup`): teardown stops it there. The
/// stack services know only this trait, not the local stack.
pub trait FunctionRuntime: Sync {
    /// Stops `function`'s workers; a runtime that has none does nothing.
    fn stop(&self, function: &str);
}

/// Stack used when --stack is not given.
pub const DEFAULT_STACK: &str = "default";

/// Every resource carries these tags; teardown only deletes what has them.
pub const TAG_MANAGED_BY: (&str, &str) = ("managed-by", "serverless-crud");
pub const TAG_STACK: &str = "serverless-crud:stack";

/// IAM path of the roles the tool creates (discovery lists it).
pub const ROLE_PATH: &str = "/serverless-crud/";

/// Name prefix of every resource.
pub const PREFIX: &str = "scrud-";

/// The stack's resource names, derived from the stack name alone so a lost
/// state file can be rebuilt by discovery.
#[derive(Debug, Clone)]
pub struct Names {
    pub stack: String,
    pub region: String,
}

impl Names {
    pub fn new(stack: &str, region: &str) -> Result<Names, AppError> {
        validate_stack_name(stack)?;
        Ok(Names {
            stack: stack.into(),
            region: region.into(),
        })
    }
    pub fn function(&self) -> String {
        format!("{PREFIX}{}", self.stack)
    }
    /// Roles are global to the account: the region keeps two regions apart.
    pub fn role(&self) -> String {
        format!("{PREFIX}{}-{}", self.stack, self.region)
    }
    pub fn policy(&self) -> &'static str {
        "dispatcher-access"
    }
    pub fn log_group(&self) -> String {
        format!("/aws/lambda/{}", self.function())
    }
    /// The stage's access-log group.
    pub fn access_log_group(&self) -> String {
        format!("/aws/apigateway/{}", self.api())
    }
    /// Where a canary's requests are logged (`deploy --canary`), as AWS names it.
    pub fn canary_log_group(&self) -> String {
        format!("{}/Canary", self.access_log_group())
    }
    pub fn api(&self) -> String {
        format!("{PREFIX}{}", self.stack)
    }
    /// The Lambda authorizer's function (`--auth lambda`).
    pub fn authorizer_function(&self) -> String {
        format!("{PREFIX}{}-authorizer", self.stack)
    }
    /// Its role (at most 64 characters: a 32-character stack name and the
    /// longest region fit).
    pub fn authorizer_role(&self) -> String {
        format!("{PREFIX}{}-authorizer-{}", self.stack, self.region)
    }
    pub fn authorizer_log_group(&self) -> String {
        format!("/aws/lambda/{}", self.authorizer_function())
    }
    pub fn usage_plan(&self) -> String {
        format!("{PREFIX}{}", self.stack)
    }
    pub fn api_key(&self) -> String {
        format!("{PREFIX}{}", self.stack)
    }
    pub fn tags(&self) -> Vec<(String, String)> {
        vec![
            (TAG_MANAGED_BY.0.into(), TAG_MANAGED_BY.1.into()),
            (TAG_STACK.into(), self.stack.clone()),
        ]
    }
}

/// A delete call's outcome: Ok(true) deleted, Ok(false) already absent
/// (per `absent`), or the failure in words.
pub fn deleted<T, E>(
    result: Result<
        T,
        aws_smithy_runtime_api::client::result::SdkError<
            E,
            aws_smithy_runtime_api::client::orchestrator::HttpResponse,
        >,
    >,
    service: &'static str,
    absent: impl Fn(&E) -> bool,
    what: &str,
) -> Result<bool, AppError>
where
    E: std::error::Error + aws_smithy_types::error::metadata::ProvideErrorMetadata + 'static,
{
    match result {
        Ok(_) => Ok(true),
        Err(e) if e.as_service_error().is_some_and(absent) => Ok(false),
        Err(e) => Err(crate::error::aws::error(
            service,
            format!("cannot delete {what}"),
            &e,
        )),
    }
}

pub fn validate_stack_name(stack: &str) -> Result<(), AppError> {
    crate::names::stack_name(stack)
        .map(|_| ())
        .map_err(AppError::usage)
}

/// How the REST API (and, locally, the function URL) reaches the function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Integration {
    /// Lambda proxy: the function gets API Gateway's proxy event and answers
    /// with {statusCode, headers, body}
    Proxy,
    /// Non-proxy (passthrough): the function gets the request body as its
    /// event and its result is the 200 body (the tutorial's wiring)
    NonProxy,
}

/// Which API Gateway API fronts the function.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum ApiKind {
    /// A REST API (API Gateway v1): API keys, usage plans, resource policies, MOCK preflights
    #[default]
    Rest,
    /// An HTTP API (API Gateway v2): cheaper and faster; IAM or no auth, native CORS, no API keys
    Http,
}

impl ApiKind {
    pub fn name(self) -> &'static str {
        match self {
            ApiKind::Rest => "rest",
            ApiKind::Http => "http",
        }
    }
}

/// The API's routes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Routes {
    /// POST /crud only: the contract's events
    #[default]
    Crud,
    /// POST /crud and resource routes: GET|POST /items/{table}, GET|PUT|PATCH|DELETE /items/{table}/{id}[/{sort}]
    Rest,
}

impl Routes {
    pub fn name(self) -> &'static str {
        match self {
            Routes::Crud => "crud",
            Routes::Rest => "rest",
        }
    }
}

/// One HTTP method's auth instead of the stack's (`--method-auth
/// DELETE=lambda+api-key`): the course's products API puts an authorizer
/// on POST and an authorizer plus an API key on DELETE.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MethodAuth {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`.
    pub verb: String,
    pub auth: Auth,
    /// An API key is required too.
    pub api_key: bool,
}

impl MethodAuth {
    /// `VERB=AUTH[+api-key]`.
    pub fn parse(text: &str) -> Result<MethodAuth, String> {
        let wrong = || {
            format!("`{text}`: write VERB=AUTH[+api-key], e.g. DELETE=lambda+api-key (AUTH: iam, api-key, lambda, cognito)")
        };
        let (verb, rest) = text.split_once('=').ok_or_else(wrong)?;
        let verb = verb.trim().to_ascii_uppercase();
        if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&verb.as_str()) {
            return Err(format!(
                "`{text}`: {verb} is not one of GET, POST, PUT, PATCH, DELETE"
            ));
        }
        let (mode, api_key) = match rest.trim().split_once('+') {
            Some((mode, "api-key")) => (mode, true),
            Some(_) => return Err(wrong()),
            None => (rest.trim(), false),
        };
        let auth = match mode {
            "iam" => Auth::Iam,
            "api-key" => Auth::ApiKey,
            "lambda" => Auth::Lambda,
            "cognito" => Auth::Cognito,
            _ => return Err(wrong()),
        };
        Ok(MethodAuth {
            verb,
            auth,
            api_key,
        })
    }

    /// (authorizationType, apiKeyRequired) of a method under `auth`, with
    /// `overrides` for its verb.
    pub fn of(auth: Auth, overrides: &[MethodAuth], verb: &str) -> (Auth, bool) {
        match overrides.iter().find(|m| m.verb == verb) {
            Some(m) => (m.auth, m.api_key || m.auth == Auth::ApiKey),
            None => (auth, auth == Auth::ApiKey),
        }
    }
}

impl std::fmt::Display for MethodAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}={}", self.verb, self.auth.name())?;
        if self.api_key && self.auth != Auth::ApiKey {
            f.write_str("+api-key")?;
        }
        Ok(())
    }
}

/// Whether any method needs an API key (a usage plan and key are made).
pub fn needs_api_key(auth: Auth, overrides: &[MethodAuth]) -> bool {
    auth == Auth::ApiKey
        || overrides
            .iter()
            .any(|m| m.api_key || m.auth == Auth::ApiKey)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableRecord {
    pub spec: TableSpec,
    pub arn: String,
    /// Created (and tagged) by setup; an existing table is used but never deleted.
    pub created: bool,
}

fn proxy() -> Integration {
    Integration::Proxy
}

/// What setup made, per stack and region; owner-only file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StackState {
    pub stack: String,
    pub region: String,
    pub local: bool,
    pub account: Option<String>,
    pub tables: Vec<TableRecord>,
    pub log_group: String,
    pub log_retention_days: i32,
    pub role_name: String,
    pub role_arn: Option<String>,
    pub function_name: String,
    pub function_arn: Option<String>,
    pub runtime: String,
    pub memory: i32,
    pub function_timeout: i32,
    pub rest_api_id: Option<String>,
    pub stage: String,
    pub auth: Auth,
    /// Another dispatcher deployed instead of ours (--dispatcher).
    #[serde(default)]
    pub dispatcher: Option<PathBuf>,
    /// How the REST API reaches the function.
    #[serde(default = "proxy")]
    pub integration: Integration,
    /// The API's kind (`--api`).
    #[serde(default)]
    pub api: ApiKind,
    /// The HTTP API's id (`--api http`).
    #[serde(default)]
    pub http_api_id: Option<String>,
    /// The API's routes (`--routes`).
    #[serde(default)]
    pub routes: Routes,
    /// Origins browsers may call from (`--cors`).
    #[serde(default)]
    pub cors: Vec<String>,
    /// The Lambda authorizer (`--auth lambda`), as last applied.
    #[serde(default)]
    pub authorizer: Option<authorizer::AuthorizerSettings>,
    /// The REST API's authorizer.
    #[serde(default)]
    pub authorizer_id: Option<String>,
    #[serde(default)]
    pub authorizer_function_arn: Option<String>,
    /// The JWT authorizer (`--auth jwt`), as last applied.
    #[serde(default)]
    pub jwt: Option<authorizer::JwtSettings>,
    /// Methods with another auth than the stack's (`--method-auth`).
    #[serde(default)]
    pub method_auth: Vec<MethodAuth>,
    /// `--auth cognito`: the user pool and app client made for the stack.
    #[serde(default)]
    pub user_pool: Option<cognito::UserPool>,
    /// Published versions and the alias `live` (after a first `deploy`);
    /// None: callers reach `$LATEST`.
    #[serde(default)]
    pub releases: Option<release::Releases>,
    /// Usage-plan throttling (api-key stacks), as last applied.
    #[serde(default)]
    pub rate: Option<f64>,
    #[serde(default)]
    pub burst: Option<i32>,
    pub usage_plan_id: Option<String>,
    pub api_key_id: Option<String>,
    /// Secret: only in this owner-only file, printed only on request.
    pub api_key_value: Option<String>,
    pub invoke_url: Option<String>,
    /// Locally, the stage URL on the local API gateway.
    #[serde(default)]
    pub local_invoke_url: Option<String>,
}

impl StackState {
    /// The function as callers reach it: `scrud-STACK:live` once released,
    /// else `scrud-STACK` (`$LATEST`).
    pub fn callee(&self) -> String {
        match self.releases {
            Some(_) => format!("{}:{}", self.function_name, release::ALIAS),
            None => self.function_name.clone(),
        }
    }

    /// A new stack's state, before anything exists.
    pub fn new(names: &Names, local: bool, settings: &setup::Settings) -> StackState {
        StackState {
            stack: names.stack.clone(),
            region: names.region.clone(),
            local,
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
            auth: settings.auth,
            dispatcher: None,
            integration: settings.integration,
            api: settings.api,
            http_api_id: None,
            routes: settings.routes,
            cors: settings.cors.clone(),
            authorizer: None,
            authorizer_id: None,
            authorizer_function_arn: None,
            jwt: None,
            method_auth: Vec::new(),
            user_pool: None,
            releases: None,
            rate: None,
            burst: None,
            usage_plan_id: None,
            api_key_id: None,
            api_key_value: None,
            invoke_url: None,
            local_invoke_url: None,
        }
    }

    /// The command that (re)creates this stack as recorded.
    pub fn setup_command(&self) -> String {
        let mut cmd = String::from("serverless-crud");
        if self.local {
            cmd.push_str(" --local");
        }
        cmd.push_str(&format!(" --stack {} setup", self.stack));
        for t in &self.tables {
            cmd.push_str(&format!(" --table {}", t.spec));
        }
        if self.auth != Auth::Iam {
            cmd.push_str(&format!(" --auth {}", self.auth.name()));
        }
        if self.auth == Auth::None {
            cmd.push_str(" --allow-public");
        }
        if let Some(path) = &self.dispatcher {
            cmd.push_str(&format!(" --dispatcher {}", path.display()));
        }
        if self.integration == Integration::NonProxy {
            cmd.push_str(" --integration non-proxy");
        }
        if self.api == ApiKind::Http {
            cmd.push_str(" --api http");
        }
        if self.routes == Routes::Rest {
            cmd.push_str(" --routes rest");
        }
        for origin in &self.cors {
            cmd.push_str(&format!(" --cors {origin}"));
        }
        for m in &self.method_auth {
            cmd.push_str(&format!(" --method-auth {m}"));
        }
        if let Some(j) = self.jwt.as_ref().filter(|j| !j.local_issuer) {
            cmd.push_str(&format!(" --jwt-issuer {}", j.issuer));
        }
        for audience in self.jwt.iter().flat_map(|j| &j.audiences) {
            cmd.push_str(&format!(" --jwt-audience {audience}"));
        }
        for scope in self.jwt.iter().flat_map(|j| &j.scopes) {
            cmd.push_str(&format!(" --scope {scope}"));
        }
        if let Some(a) = &self.authorizer {
            cmd.push_str(&format!(" --authorizer {}", a.file.display()));
            if a.kind == authorizer::Kind::Request {
                cmd.push_str(" --authorizer-type request");
            }
            if a.identity_source != authorizer::DEFAULT_IDENTITY_SOURCE {
                cmd.push_str(&format!(" --identity-source '{}'", a.identity_source));
            }
            if a.ttl != authorizer::DEFAULT_TTL {
                cmd.push_str(&format!(" --authorizer-ttl {}", a.ttl));
            }
        }
        cmd
    }

    /// A usage plan and API key exist for this stack's methods.
    pub fn has_api_key(&self) -> bool {
        needs_api_key(self.auth, &self.method_auth)
    }

    /// The URL the API transport uses: the stage, on the local gateway for
    /// a local stack.
    pub fn api_url(&self) -> Option<&str> {
        if self.local {
            self.local_invoke_url.as_deref()
        } else {
            self.invoke_url.as_deref()
        }
    }
}

/// The stage's base URL of an invoke URL (`…/STAGE/crud` → `…/STAGE`):
/// the resource routes hang below it.
pub fn stage_base(invoke_url: Option<&str>) -> Option<String> {
    invoke_url
        .and_then(|u| u.strip_suffix(&format!("/{}", api::RESOURCE_PATH)))
        .map(str::to_string)
}

pub fn state_path(stack: &str, region: &str, local: bool) -> Result<PathBuf, AppError> {
    // Both become path components: never trust them unchecked.
    crate::names::stack_name(stack).map_err(AppError::usage)?;
    crate::names::region(region).map_err(AppError::usage)?;
    let scope = if local { "local" } else { "aws" };
    Ok(crate::paths::state_dir()?
        .join("stacks")
        .join(scope)
        .join(region)
        .join(format!("{stack}.json")))
}

/// Holds the stack's lock for setup or teardown: one at a time per stack;
/// a second waits, told which process holds it.
pub fn lock(
    stack: &str,
    region: &str,
    local: bool,
    printer: &crate::output::Printer,
) -> Result<crate::paths::FileLock, AppError> {
    let path = state_path(stack, region, local)?.with_extension("lock");
    if let Some(dir) = path.parent() {
        crate::paths::private_dir(dir)?;
    }
    crate::paths::FileLock::acquire_recorded(&path, |holder| {
        let who = holder
            .map(|p| format!("process {p}"))
            .unwrap_or_else(|| "another process".into());
        printer.info(format!(
            "stack {stack} is being changed by {who} (setup or teardown); waiting for it to finish"
        ));
    })
}

pub fn load_state(stack: &str, region: &str, local: bool) -> Result<Option<StackState>, AppError> {
    crate::paths::read_json(
        &state_path(stack, region, local)?,
        "delete it and run `teardown`, which finds resources by their tags",
    )
}

pub fn save_state(state: &StackState) -> Result<(), AppError> {
    crate::paths::write_json(
        &state_path(&state.stack, &state.region, state.local)?,
        state,
    )
}

pub fn remove_state(stack: &str, region: &str, local: bool) -> Result<(), AppError> {
    let path = state_path(stack, region, local)?;
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(AppError::usage(format!(
            "cannot remove {}: {e}",
            path.display()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_auth_reads_the_course_s_products_api() {
        let delete = MethodAuth::parse("DELETE=lambda+api-key").unwrap();
        assert_eq!(
            delete,
            MethodAuth {
                verb: "DELETE".into(),
                auth: Auth::Lambda,
                api_key: true
            }
        );
        assert_eq!(delete.to_string(), "DELETE=lambda+api-key");
        assert_eq!(MethodAuth::parse("get=iam").unwrap().verb, "GET");
        for bad in [
            "DELETE",
            "HEAD=iam",
            "POST=none",
            "POST=lambda+key",
            "POST=jwt",
        ] {
            assert!(MethodAuth::parse(bad).is_err(), "{bad}");
        }
        let overrides = [delete];
        assert_eq!(
            MethodAuth::of(Auth::Lambda, &overrides, "DELETE"),
            (Auth::Lambda, true)
        );
        assert_eq!(
            MethodAuth::of(Auth::Lambda, &overrides, "POST"),
            (Auth::Lambda, false)
        );
        assert!(needs_api_key(Auth::Lambda, &overrides));
        assert!(!needs_api_key(Auth::Lambda, &[]));
    }

    #[test]
    fn names_derive_from_the_stack() {
        let n = Names::new("shop", "eu-west-1").unwrap();
        assert_eq!(n.function(), "scrud-shop");
        assert_eq!(n.role(), "scrud-shop-eu-west-1");
        assert_eq!(n.log_group(), "/aws/lambda/scrud-shop");
        assert!(Names::new("Shop", "x").is_err());
        assert!(Names::new("", "x").is_err());
        assert!(Names::new(&"a".repeat(33), "x").is_err());
    }
}
