//! The REST API: a REGIONAL API with POST /crud (Lambda proxy integration),
//! deployed to a stage; for `--auth api-key`, an API key and a usage plan
//! with rate/burst throttling bound to the stage. Each step finds before it
//! creates, so re-running setup never duplicates anything.

use std::collections::HashMap;

use aws_sdk_apigateway::types::{
    ApiStage, EndpointConfiguration, EndpointType, Op, PatchOperation, ThrottleSettings,
};
use aws_sdk_apigateway::Client;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::aws;
use crate::error::AppError;
use crate::retry::{retry, Schedule};
use crate::stack::{Auth, Integration, Names, Routes, TAG_STACK};

pub mod cors;
pub mod routes;

pub const RESOURCE_PATH: &str = "crud";

pub struct ApiSpec<'a> {
    pub names: &'a Names,
    pub function_arn: &'a str,
    /// The access-log group's ARN.
    pub access_log_arn: &'a str,
    pub stage: &'a str,
    pub auth: Auth,
    pub integration: Integration,
    pub routes: Routes,
    /// Origins a browser may call from (`--cors`); empty: none.
    pub cors: &'a [String],
    pub rate: f64,
    pub burst: i32,
    /// `--auth lambda` or `cognito`: the authorizer the methods use.
    pub authorizer: Option<crate::stack::authorizer::RestAuthorizer<'a>>,
    /// Set by `ensure` once the REST API's authorizer exists.
    pub authorizer_id: Option<&'a str>,
    /// Methods with another auth than `auth` (`--method-auth`).
    pub method_auth: &'a [crate::stack::MethodAuth],
    /// The stage's variables (a released stack's `alias`).
    pub stage_variables: &'a [(&'a str, &'a str)],
}

#[derive(Debug, Default)]
pub struct ApiOutcome {
    pub rest_api_id: String,
    pub created: bool,
    pub deployed: bool,
    /// Why the stage's access logging could not be set (it is optional).
    pub access_logging: Option<String>,
    pub usage_plan_id: Option<String>,
    pub api_key_id: Option<String>,
    pub api_key_value: Option<String>,
    /// The REST API's Lambda authorizer (`--auth lambda`).
    pub authorizer_id: Option<String>,
}

/// The stage's base URL: the resource routes hang below it.
pub fn base_url(rest_api_id: &str, region: &str, stage: &str) -> String {
    format!("https://{rest_api_id}.execute-api.{region}.amazonaws.com/{stage}")
}

pub fn invoke_url(rest_api_id: &str, region: &str, stage: &str) -> String {
    format!("{}/{RESOURCE_PATH}", base_url(rest_api_id, region, stage))
}

/// The permission's source: this API, any stage, POST /crud only.
pub fn source_arn(region: &str, account: &str, rest_api_id: &str) -> String {
    format!("arn:aws:execute-api:{region}:{account}:{rest_api_id}/*/POST/{RESOURCE_PATH}")
}

/// The resource routes' permission: this API, any stage, any method of
/// /items and below (ArnLike: `*` spans segments).
pub fn routes_source_arn(region: &str, account: &str, rest_api_id: &str) -> String {
    format!("arn:aws:execute-api:{region}:{account}:{rest_api_id}/*/*/items/*")
}

fn api_error<E>(what: &str, e: &SdkError<E, HttpResponse>) -> AppError
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
{
    aws::error("apigateway", what, e)
}

/// The stack's REST API: the recorded id if it still exists, else one named
/// and tagged for this stack.
pub async fn find(
    client: &Client,
    names: &Names,
    known: Option<&str>,
) -> Result<Option<String>, AppError> {
    if let Some(id) = known {
        match client.get_rest_api().rest_api_id(id).send().await {
            Ok(_) => return Ok(Some(id.to_string())),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_not_found_exception()) => {}
            Err(e) => return Err(api_error("cannot read the REST API", &e)),
        }
    }
    let mut position = None;
    loop {
        let out = client
            .get_rest_apis()
            .limit(500)
            .set_position(position)
            .send()
            .await
            .map_err(|e| api_error("cannot list REST APIs", &e))?;
        for api in out.items() {
            let ours = api.name() == Some(names.api().as_str())
                && api
                    .tags()
                    .and_then(|t| t.get(TAG_STACK))
                    .map(String::as_str)
                    == Some(names.stack.as_str());
            if ours {
                return Ok(api.id().map(str::to_string));
            }
        }
        position = out.position().map(str::to_string);
        if position.is_none() {
            return Ok(None);
        }
    }
}

pub async fn ensure(
    client: &Client,
    spec: &ApiSpec<'_>,
    known: Option<&str>,
) -> Result<ApiOutcome, AppError> {
    let (id, created) = ensure_rest_api(client, spec.names, known).await?;
    let uri = format!(
        "arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/{}/invocations",
        spec.names.region, spec.function_arn
    );
    let (authorizer_id, authorizer_changed) = match spec.authorizer {
        Some(wanted) => {
            let (id, changed) =
                crate::stack::authorizer::ensure_rest_authorizer(client, &id, spec.names, wanted)
                    .await?;
            (Some(id), changed)
        }
        None => (None, false),
    };
    let spec = &ApiSpec {
        authorizer_id: authorizer_id.as_deref(),
        ..*spec
    };
    let mut tree = routes::Tree::load(client, &id).await?;
    let routes_changed = routes::ensure(client, &mut tree, spec, &uri).await?;
    let cors_changed = cors::ensure(client, &mut tree, spec).await?;
    // Once no method uses them, the authorizers of earlier setups go.
    let authorizer_removed = crate::stack::authorizer::delete_other_rest_authorizers(
        client,
        &id,
        spec.names,
        authorizer_id.as_deref(),
    )
    .await?;
    let changed =
        created || routes_changed || cors_changed || authorizer_changed || authorizer_removed;
    let deployed = deploy(client, &id, spec.stage, changed).await?;
    ensure_stage_variables(client, &id, spec.stage, spec.stage_variables).await?;
    let access_logging = ensure_access_logs(client, &id, spec.stage, spec.access_log_arn)
        .await
        .err()
        .map(|e| e.to_string());
    let mut outcome = ApiOutcome {
        rest_api_id: id.clone(),
        created,
        deployed,
        access_logging,
        authorizer_id: authorizer_id.clone(),
        ..ApiOutcome::default()
    };
    if crate::stack::needs_api_key(spec.auth, spec.method_auth) {
        let (plan, key, value) = ensure_key(client, spec, &id).await?;
        outcome.usage_plan_id = Some(plan);
        outcome.api_key_id = Some(key);
        outcome.api_key_value = Some(value);
    }
    Ok(outcome)
}

/// The stack's REST API: found, or created (REGIONAL, tagged).
async fn ensure_rest_api(
    client: &Client,
    names: &Names,
    known: Option<&str>,
) -> Result<(String, bool), AppError> {
    if let Some(id) = find(client, names, known).await? {
        return Ok((id, false));
    }
    let out = client
        .create_rest_api()
        .name(names.api())
        .description(format!("serverless-crud stack {}", names.stack))
        .endpoint_configuration(
            EndpointConfiguration::builder()
                .types(EndpointType::Regional)
                .build(),
        )
        .set_tags(Some(names.tags().into_iter().collect()))
        .send()
        .await
        .map_err(|e| api_error("cannot create the REST API", &e))?;
    Ok((out.id().unwrap_or_default().to_string(), true))
}

/// The access-log format: the request ids (API Gateway's and Lambda's) and
/// what happened, never a request's body or an item's contents.
pub const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","integrationRequestId":"$context.integration.requestId","ip":"$context.identity.sourceIp","caller":"$context.identity.caller","apiKeyId":"$context.identity.apiKeyId","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","responseLatency":"$context.responseLatency","integrationLatency":"$context.integration.latency","integrationStatus":"$context.integration.status","errorMessage":"$context.error.message","principalId":"$context.authorizer.principalId","authorizerStatus":"$context.authorizer.status","authorizerLatency":"$context.authorizer.latency","authorizer":"$context.authorizer.error"}"#;

/// The stage writes JSON access logs to `destination_arn`.
async fn ensure_access_logs(
    client: &Client,
    id: &str,
    stage: &str,
    destination_arn: &str,
) -> Result<(), AppError> {
    let current = client
        .get_stage()
        .rest_api_id(id)
        .stage_name(stage)
        .send()
        .await
        .map_err(|e| api_error("cannot read the stage", &e))?;
    let settings = current.access_log_settings();
    if settings.and_then(|s| s.destination_arn()) == Some(destination_arn)
        && settings.and_then(|s| s.format()) == Some(ACCESS_LOG_FORMAT)
    {
        return Ok(());
    }
    let replace = |path: &str, value: &str| {
        PatchOperation::builder()
            .op(Op::Replace)
            .path(path)
            .value(value)
            .build()
    };
    client
        .update_stage()
        .rest_api_id(id)
        .stage_name(stage)
        .patch_operations(replace(
            "/accessLogSettings/destinationArn",
            destination_arn,
        ))
        .patch_operations(replace("/accessLogSettings/format", ACCESS_LOG_FORMAT))
        .send()
        .await
        .map_err(|e| api_error("cannot turn on the stage's access logs", &e))?;
    Ok(())
}

/// Whether the stage writes access logs (None: stage or API gone).
pub async fn access_logging(
    client: &Client,
    id: &str,
    stage: &str,
) -> Result<Option<bool>, AppError> {
    match client
        .get_stage()
        .rest_api_id(id)
        .stage_name(stage)
        .send()
        .await
    {
        Ok(s) => Ok(Some(
            s.access_log_settings()
                .and_then(|a| a.destination_arn())
                .is_some_and(|d| !d.is_empty()),
        )),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(api_error("cannot read the stage", &e)),
    }
}

/// Deploys when something changed or the stage is missing; true if deployed.
async fn deploy(client: &Client, id: &str, stage: &str, changed: bool) -> Result<bool, AppError> {
    let stage_exists = client
        .get_stage()
        .rest_api_id(id)
        .stage_name(stage)
        .send()
        .await
        .is_ok();
    if !changed && stage_exists {
        return Ok(false);
    }
    client
        .create_deployment()
        .rest_api_id(id)
        .stage_name(stage)
        .description("serverless-crud setup")
        .send()
        .await
        .map_err(|e| api_error("cannot deploy the API", &e))?;
    Ok(true)
}

/// The stage's variables as wanted (others are left alone).
async fn ensure_stage_variables(
    client: &Client,
    id: &str,
    stage: &str,
    wanted: &[(&str, &str)],
) -> Result<(), AppError> {
    if wanted.is_empty() {
        return Ok(());
    }
    let current = client
        .get_stage()
        .rest_api_id(id)
        .stage_name(stage)
        .send()
        .await
        .map_err(|e| api_error("cannot read the stage", &e))?;
    let variables = current.variables();
    let patches: Vec<PatchOperation> = wanted
        .iter()
        .filter(|(name, value)| {
            variables.and_then(|v| v.get(*name)).map(String::as_str) != Some(*value)
        })
        .map(|(name, value)| {
            PatchOperation::builder()
                .op(Op::Replace)
                .path(format!("/variables/{name}"))
                .value(*value)
                .build()
        })
        .collect();
    if patches.is_empty() {
        return Ok(());
    }
    client
        .update_stage()
        .rest_api_id(id)
        .stage_name(stage)
        .set_patch_operations(Some(patches))
        .send()
        .await
        .map_err(|e| api_error("cannot set the stage's variables", &e))?;
    Ok(())
}

/// Usage plan (throttling, bound to the stage) + API key + their link.
async fn ensure_key(
    client: &Client,
    spec: &ApiSpec<'_>,
    api_id: &str,
) -> Result<(String, String, String), AppError> {
    let names = spec.names;
    let throttle = ThrottleSettings::builder()
        .rate_limit(spec.rate)
        .burst_limit(spec.burst)
        .build();
    let stage = ApiStage::builder().api_id(api_id).stage(spec.stage).build();
    let plan_id = match find_usage_plans(client, names).await?.into_iter().next() {
        Some(plan) => {
            let id = plan.id().unwrap_or_default().to_string();
            let mut ops = vec![
                PatchOperation::builder()
                    .op(Op::Replace)
                    .path("/throttle/rateLimit")
                    .value(spec.rate.to_string())
                    .build(),
                PatchOperation::builder()
                    .op(Op::Replace)
                    .path("/throttle/burstLimit")
                    .value(spec.burst.to_string())
                    .build(),
            ];
            let bound = plan
                .api_stages()
                .iter()
                .any(|s| s.api_id() == Some(api_id) && s.stage() == Some(spec.stage));
            if !bound {
                ops.push(
                    PatchOperation::builder()
                        .op(Op::Add)
                        .path("/apiStages")
                        .value(format!("{api_id}:{}", spec.stage))
                        .build(),
                );
            }
            client
                .update_usage_plan()
                .usage_plan_id(&id)
                .set_patch_operations(Some(ops))
                .send()
                .await
                .map_err(|e| api_error("cannot update the usage plan", &e))?;
            id
        }
        None => client
            .create_usage_plan()
            .name(names.usage_plan())
            .description(format!("serverless-crud stack {}", names.stack))
            .throttle(throttle)
            .api_stages(stage)
            .set_tags(Some(names.tags().into_iter().collect()))
            .send()
            .await
            .map_err(|e| api_error("cannot create the usage plan", &e))?
            .id()
            .unwrap_or_default()
            .to_string(),
    };
    let (key_id, value) = match find_api_keys(client, names).await?.into_iter().next() {
        Some(found) => found,
        None => {
            let out = client
                .create_api_key()
                .name(names.api_key())
                .enabled(true)
                .set_tags(Some(names.tags().into_iter().collect()))
                .send()
                .await
                .map_err(|e| api_error("cannot create the API key", &e))?;
            (
                out.id().unwrap_or_default().to_string(),
                out.value().unwrap_or_default().to_string(),
            )
        }
    };
    match client
        .create_usage_plan_key()
        .usage_plan_id(&plan_id)
        .key_id(&key_id)
        .key_type("API_KEY")
        .send()
        .await
    {
        Ok(_) => {}
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_conflict_exception()) => {}
        Err(e) => return Err(api_error("cannot attach the API key to the usage plan", &e)),
    }
    Ok((plan_id, key_id, value))
}

/// Is this (name, tags) the stack's? Named for it, or tagged with it.
fn is_stacks(
    name: Option<&str>,
    tags: Option<&HashMap<String, String>>,
    names: &Names,
    expected: &str,
) -> bool {
    name == Some(expected)
        || tags
            .and_then(|t| t.get(TAG_STACK))
            .is_some_and(|s| s == &names.stack)
}

/// Every usage plan of the stack (normally one).
pub async fn find_usage_plans(
    client: &Client,
    names: &Names,
) -> Result<Vec<aws_sdk_apigateway::types::UsagePlan>, AppError> {
    let mut plans = Vec::new();
    let mut position = None;
    loop {
        let out = client
            .get_usage_plans()
            .limit(500)
            .set_position(position)
            .send()
            .await
            .map_err(|e| api_error("cannot list usage plans", &e))?;
        plans.extend(
            out.items()
                .iter()
                .filter(|p| is_stacks(p.name(), p.tags(), names, &names.usage_plan()))
                .cloned(),
        );
        position = out.position().map(str::to_string);
        if position.is_none() {
            return Ok(plans);
        }
    }
}

/// (id, value) of every API key of the stack (normally one).
pub async fn find_api_keys(
    client: &Client,
    names: &Names,
) -> Result<Vec<(String, String)>, AppError> {
    let mut keys = Vec::new();
    let mut position = None;
    loop {
        let out = client
            .get_api_keys()
            .include_values(true)
            .limit(500)
            .set_position(position)
            .send()
            .await
            .map_err(|e| api_error("cannot list API keys", &e))?;
        keys.extend(
            out.items()
                .iter()
                .filter(|k| is_stacks(k.name(), k.tags(), names, &names.api_key()))
                .map(|k| {
                    (
                        k.id().unwrap_or_default().to_string(),
                        k.value().unwrap_or_default().to_string(),
                    )
                }),
        );
        position = out.position().map(str::to_string);
        if position.is_none() {
            return Ok(keys);
        }
    }
}

/// Unbinds the plan from its stages (required before deleting), then deletes it.
pub async fn delete_usage_plan(client: &Client, id: &str) -> Result<bool, AppError> {
    let plan = match client.get_usage_plan().usage_plan_id(id).send().await {
        Ok(plan) => plan,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            return Ok(false)
        }
        Err(e) => return Err(api_error("cannot read the usage plan", &e)),
    };
    let ops: Vec<PatchOperation> = plan
        .api_stages()
        .iter()
        .map(|s| {
            PatchOperation::builder()
                .op(Op::Remove)
                .path("/apiStages")
                .value(format!(
                    "{}:{}",
                    s.api_id().unwrap_or_default(),
                    s.stage().unwrap_or_default()
                ))
                .build()
        })
        .collect();
    if !ops.is_empty() {
        client
            .update_usage_plan()
            .usage_plan_id(id)
            .set_patch_operations(Some(ops))
            .send()
            .await
            .map_err(|e| api_error("cannot unbind the usage plan from its stage", &e))?;
    }
    let result = client.delete_usage_plan().usage_plan_id(id).send().await;
    crate::stack::deleted(
        result,
        "apigateway",
        |e| e.is_not_found_exception(),
        "the usage plan",
    )
}

pub async fn delete_api_key(client: &Client, id: &str) -> Result<bool, AppError> {
    let result = client.delete_api_key().api_key(id).send().await;
    crate::stack::deleted(
        result,
        "apigateway",
        |e| e.is_not_found_exception(),
        "the API key",
    )
}

/// DeleteRestApi is limited account-wide (1 per 30 s): back off on
/// TooManyRequestsException for up to ~2 minutes.
pub async fn delete_rest_api(client: &Client, id: &str) -> Result<bool, AppError> {
    let result = retry(
        Schedule::API_DELETE,
        || async {
            match client.delete_rest_api().rest_api_id(id).send().await {
                Ok(_) => Ok(true),
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_not_found_exception()) =>
                {
                    Ok(false)
                }
                Err(e) => Err(api_error("cannot delete the REST API", &e)),
            }
        },
        // The account-wide limit answers TooManyRequestsException.
        AppError::is_retryable,
    )
    .await;
    result
}

/// Whether the stage is deployed (None when the API itself is gone).
pub async fn stage_deployed(
    client: &Client,
    id: &str,
    stage: &str,
) -> Result<Option<bool>, AppError> {
    match client.get_rest_api().rest_api_id(id).send().await {
        Ok(_) => {}
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(api_error("cannot read the REST API", &e)),
    }
    Ok(Some(
        client
            .get_stage()
            .rest_api_id(id)
            .stage_name(stage)
            .send()
            .await
            .ok()
            .and_then(|s| s.deployment_id().map(|_| true))
            .unwrap_or(false),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_arns() {
        assert_eq!(
            invoke_url("abc123", "eu-west-1", "v1"),
            "https://abc123.execute-api.eu-west-1.amazonaws.com/v1/crud"
        );
        assert_eq!(
            source_arn("eu-west-1", "111122223333", "abc123"),
            "arn:aws:execute-api:eu-west-1:111122223333:abc123/*/POST/crud"
        );
    }
}
