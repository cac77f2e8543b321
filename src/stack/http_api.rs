//! The HTTP API (API Gateway v2) shape of a stack (`setup --api http`): one
//! Lambda proxy integration (payload format 2.0), a route per method
//! (`POST /crud`, and the resource routes with `--routes rest`) with the
//! stack's auth (`AWS_IAM` or `NONE`), the `$default` stage with auto-deploy,
//! stage throttling and JSON access logs, and HTTP API's native CORS
//! (`corsConfiguration`). Each step finds before it creates.

use aws_sdk_apigatewayv2::types::{
    AccessLogSettings, AuthorizationType, AuthorizerType, Cors, IntegrationType, JwtConfiguration,
    ProtocolType, RouteSettings,
};
use aws_sdk_apigatewayv2::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::error::{aws, AppError};
use crate::stack::api::cors::ALLOWED_HEADERS;
use crate::stack::api::RESOURCE_PATH;
use crate::stack::{Auth, Names, Routes, TAG_STACK};

/// HTTP APIs serve one stage here: `$default` (no stage in the URL).
pub const STAGE: &str = "$default";

/// The access-log format of the stage (request ids, never a body).
pub const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","integrationRequestId":"$context.integration.requestId","ip":"$context.identity.sourceIp","caller":"$context.identity.caller","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","responseLatency":"$context.responseLatency","integrationLatency":"$context.integration.latency","integrationStatus":"$context.integration.status","errorMessage":"$context.error.message"}"#;

pub struct HttpApiSpec<'a> {
    pub names: &'a Names,
    pub function_arn: &'a str,
    pub access_log_arn: &'a str,
    pub auth: Auth,
    pub routes: Routes,
    pub cors: &'a [String],
    pub rate: f64,
    pub burst: i32,
    /// `--auth jwt`: the JWT authorizer.
    pub jwt: Option<&'a crate::stack::authorizer::JwtSettings>,
    /// `--auth lambda`: the authorizer function's ARN and settings.
    pub lambda: Option<(&'a str, &'a crate::stack::authorizer::AuthorizerSettings)>,
}

#[derive(Debug, Default)]
pub struct HttpApiOutcome {
    pub api_id: String,
    /// The routes' authorizer (JWT or Lambda).
    pub authorizer_id: Option<String>,
    pub created: bool,
    pub changed: bool,
}

fn v2_error<E>(what: &str, e: &SdkError<E, HttpResponse>) -> AppError
where
    E: std::error::Error + ProvideErrorMetadata + 'static,
{
    aws::error("apigatewayv2", what, e)
}

/// The stage URL: `https://ID.execute-api.REGION.amazonaws.com` (`$default`).
pub fn base_url(api_id: &str, region: &str) -> String {
    format!("https://{api_id}.execute-api.{region}.amazonaws.com")
}

/// Every route key for `routes`: `POST /crud`, and the resource routes.
pub fn route_keys(routes: Routes) -> Vec<String> {
    crate::stack::api::routes::methods(routes)
        .into_iter()
        .map(|(path, verb)| format!("{verb} {path}"))
        .collect()
}

/// The permissions' sources: this API, any stage, its routes only.
pub fn source_arns(region: &str, account: &str, api_id: &str, routes: Routes) -> Vec<String> {
    let mut arns = vec![format!(
        "arn:aws:execute-api:{region}:{account}:{api_id}/*/POST/{RESOURCE_PATH}"
    )];
    if routes == Routes::Rest {
        arns.push(format!(
            "arn:aws:execute-api:{region}:{account}:{api_id}/*/*/items/*"
        ));
    }
    arns
}

/// The native CORS of an HTTP API: API Gateway answers preflights itself
/// and replaces the backend's CORS headers with these.
pub fn cors(origins: &[String], routes: Routes) -> Option<Cors> {
    if origins.is_empty() {
        return None;
    }
    let mut methods = vec!["POST", "OPTIONS"];
    if routes == Routes::Rest {
        methods.extend(["GET", "PUT", "PATCH", "DELETE"]);
    }
    let mut builder = Cors::builder()
        .max_age(600)
        .expose_headers("x-lambda-request-id");
    for origin in origins {
        builder = builder.allow_origins(origin);
    }
    for method in methods {
        builder = builder.allow_methods(method);
    }
    for header in ALLOWED_HEADERS.split(',') {
        builder = builder.allow_headers(header);
    }
    Some(builder.build())
}

/// The stack's HTTP API: the recorded id if it still exists, else one named
/// and tagged for this stack.
pub async fn find(
    client: &Client,
    names: &Names,
    known: Option<&str>,
) -> Result<Option<String>, AppError> {
    if let Some(id) = known {
        match client.get_api().api_id(id).send().await {
            Ok(_) => return Ok(Some(id.to_string())),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_not_found_exception()) => {}
            Err(e) => return Err(v2_error("cannot read the HTTP API", &e)),
        }
    }
    let apis = client
        .get_apis()
        .max_results("500")
        .send()
        .await
        .map_err(|e| v2_error("cannot list HTTP APIs", &e))?;
    Ok(apis
        .items()
        .iter()
        .find(|a| {
            a.name() == Some(names.api().as_str())
                && a.tags().and_then(|t| t.get(TAG_STACK)).map(String::as_str)
                    == Some(names.stack.as_str())
        })
        .and_then(|a| a.api_id().map(str::to_string)))
}

pub async fn ensure(
    client: &Client,
    spec: &HttpApiSpec<'_>,
    known: Option<&str>,
) -> Result<HttpApiOutcome, AppError> {
    let (api_id, created) = match find(client, spec.names, known).await? {
        Some(id) => (id, false),
        None => (create(client, spec).await?, true),
    };
    let mut changed = created;
    changed |= ensure_cors(client, &api_id, spec).await?;
    let integration = ensure_integration(client, &api_id, spec.function_arn).await?;
    let ours = our_authorizers(client, &api_id, spec).await?;
    let of_type = |kind: AuthorizerType| ours.iter().find(|a| a.authorizer_type() == Some(&kind));
    let authorizer = match (spec.jwt, spec.lambda) {
        (Some(jwt), _) => {
            let found = of_type(AuthorizerType::Jwt);
            let (id, authorizer_changed) =
                ensure_jwt_authorizer(client, &api_id, spec, jwt, found).await?;
            changed |= authorizer_changed;
            Some(id)
        }
        (None, Some(lambda)) => {
            let found = of_type(AuthorizerType::Request);
            let (id, authorizer_changed) =
                ensure_lambda_authorizer(client, &api_id, spec, lambda, found).await?;
            changed |= authorizer_changed;
            Some(id)
        }
        (None, None) => None,
    };
    changed |= ensure_routes(client, &api_id, &integration, authorizer.as_deref(), spec).await?;
    // Once no route uses them, authorizers of an earlier setup go.
    for old in ours.iter().filter_map(|a| a.authorizer_id()) {
        if Some(old) != authorizer.as_deref() {
            let result = client
                .delete_authorizer()
                .api_id(&api_id)
                .authorizer_id(old)
                .send()
                .await;
            changed |= crate::stack::deleted(
                result,
                "apigatewayv2",
                |e| e.is_not_found_exception(),
                "an authorizer of an earlier setup",
            )?;
        }
    }
    changed |= ensure_stage(client, &api_id, spec).await?;
    Ok(HttpApiOutcome {
        api_id,
        authorizer_id: authorizer,
        created,
        changed,
    })
}

async fn create(client: &Client, spec: &HttpApiSpec<'_>) -> Result<String, AppError> {
    let out = client
        .create_api()
        .name(spec.names.api())
        .protocol_type(ProtocolType::Http)
        .description(format!("serverless-crud stack {}", spec.names.stack))
        .set_cors_configuration(cors(spec.cors, spec.routes))
        .set_tags(Some(spec.names.tags().into_iter().collect()))
        .send()
        .await
        .map_err(|e| v2_error("cannot create the HTTP API", &e))?;
    Ok(out.api_id().unwrap_or_default().to_string())
}

/// The API's CORS as configured (removed when no origin is); true if changed.
async fn ensure_cors(
    client: &Client,
    api_id: &str,
    spec: &HttpApiSpec<'_>,
) -> Result<bool, AppError> {
    let api = client
        .get_api()
        .api_id(api_id)
        .send()
        .await
        .map_err(|e| v2_error("cannot read the HTTP API", &e))?;
    let wanted = cors(spec.cors, spec.routes);
    if api.cors_configuration() == wanted.as_ref() {
        return Ok(false);
    }
    match wanted {
        Some(cors) => {
            client
                .update_api()
                .api_id(api_id)
                .cors_configuration(cors)
                .send()
                .await
                .map_err(|e| v2_error("cannot set the HTTP API's CORS", &e))?;
        }
        None => {
            client
                .delete_cors_configuration()
                .api_id(api_id)
                .send()
                .await
                .map_err(|e| v2_error("cannot remove the HTTP API's CORS", &e))?;
        }
    }
    Ok(true)
}

/// The one Lambda proxy integration (payload format 2.0); its id.
async fn ensure_integration(
    client: &Client,
    api_id: &str,
    function_arn: &str,
) -> Result<String, AppError> {
    let found = client
        .get_integrations()
        .api_id(api_id)
        .send()
        .await
        .map_err(|e| v2_error("cannot list the integrations", &e))?;
    let ours = found.items().iter().find(|i| {
        i.integration_type() == Some(&IntegrationType::AwsProxy)
            && i.integration_uri() == Some(function_arn)
            && i.payload_format_version() == Some("2.0")
    });
    if let Some(id) = ours.and_then(|i| i.integration_id()) {
        return Ok(id.to_string());
    }
    let created = client
        .create_integration()
        .api_id(api_id)
        .integration_type(IntegrationType::AwsProxy)
        .integration_uri(function_arn)
        .payload_format_version("2.0")
        .send()
        .await
        .map_err(|e| v2_error("cannot create the Lambda integration", &e))?;
    Ok(created.integration_id().unwrap_or_default().to_string())
}

/// The stack's authorizers on the API: those its routes use (moto serves
/// no GetAuthorizers listing, so they are found through the routes).
async fn our_authorizers(
    client: &Client,
    api_id: &str,
    spec: &HttpApiSpec<'_>,
) -> Result<Vec<aws_sdk_apigatewayv2::operation::get_authorizer::GetAuthorizerOutput>, AppError> {
    let routes = client
        .get_routes()
        .api_id(api_id)
        .send()
        .await
        .map_err(|e| v2_error("cannot list the routes", &e))?;
    let mut ids: Vec<&str> = routes
        .items()
        .iter()
        .filter_map(|r| r.authorizer_id())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut found = Vec::new();
    for id in ids {
        match client
            .get_authorizer()
            .api_id(api_id)
            .authorizer_id(id)
            .send()
            .await
        {
            Ok(a) if a.name() == Some(spec.names.api().as_str()) => found.push(a),
            Ok(_) => {}
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_not_found_exception()) => {}
            Err(e) => return Err(v2_error("cannot read an authorizer", &e)),
        }
    }
    Ok(found)
}

/// The JWT authorizer `scrud-STACK` (identity source the Authorization
/// header), created or brought up to date: (id, changed).
async fn ensure_jwt_authorizer(
    client: &Client,
    api_id: &str,
    spec: &HttpApiSpec<'_>,
    jwt: &crate::stack::authorizer::JwtSettings,
    found: Option<&aws_sdk_apigatewayv2::operation::get_authorizer::GetAuthorizerOutput>,
) -> Result<(String, bool), AppError> {
    let config = JwtConfiguration::builder()
        .issuer(&jwt.issuer)
        .set_audience(Some(jwt.audiences.clone()))
        .build();
    if let Some(found) = found {
        let id = found.authorizer_id().unwrap_or_default().to_string();
        if found.jwt_configuration() == Some(&config)
            && found.identity_source() == [IDENTITY_SOURCE]
        {
            return Ok((id, false));
        }
        client
            .update_authorizer()
            .api_id(api_id)
            .authorizer_id(&id)
            .authorizer_type(AuthorizerType::Jwt)
            .identity_source(IDENTITY_SOURCE)
            .jwt_configuration(config)
            .send()
            .await
            .map_err(|e| v2_error("cannot update the JWT authorizer", &e))?;
        return Ok((id, true));
    }
    let created = client
        .create_authorizer()
        .api_id(api_id)
        .name(spec.names.api())
        .authorizer_type(AuthorizerType::Jwt)
        .identity_source(IDENTITY_SOURCE)
        .jwt_configuration(config)
        .send()
        .await
        .map_err(|e| v2_error("cannot create the JWT authorizer", &e))?;
    Ok((
        created.authorizer_id().unwrap_or_default().to_string(),
        true,
    ))
}

/// The Lambda (REQUEST) authorizer `scrud-STACK`, created or brought up
/// to date: (id, changed).
async fn ensure_lambda_authorizer(
    client: &Client,
    api_id: &str,
    spec: &HttpApiSpec<'_>,
    (function_arn, settings): (&str, &crate::stack::authorizer::AuthorizerSettings),
    found: Option<&aws_sdk_apigatewayv2::operation::get_authorizer::GetAuthorizerOutput>,
) -> Result<(String, bool), AppError> {
    let uri = format!(
        "arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/{function_arn}/invocations",
        spec.names.region
    );
    let sources = settings.http_identity_sources()?;
    let payload = settings.payload.clone().unwrap_or_else(|| "2.0".into());
    // AWS refuses simple responses with the 1.0 format, even as false.
    let simple = (payload == "2.0").then_some(settings.simple_responses);
    if let Some(found) = found {
        let id = found.authorizer_id().unwrap_or_default().to_string();
        if found.authorizer_uri() == Some(uri.as_str())
            && found.identity_source() == sources.as_slice()
            && found.authorizer_payload_format_version() == Some(payload.as_str())
            && found.enable_simple_responses() == simple
            && found.authorizer_result_ttl_in_seconds() == Some(settings.ttl)
        {
            return Ok((id, false));
        }
        client
            .update_authorizer()
            .api_id(api_id)
            .authorizer_id(&id)
            .authorizer_type(AuthorizerType::Request)
            .authorizer_uri(&uri)
            .set_identity_source(Some(sources))
            .authorizer_payload_format_version(&payload)
            .set_enable_simple_responses(simple)
            .authorizer_result_ttl_in_seconds(settings.ttl)
            .send()
            .await
            .map_err(|e| v2_error("cannot update the Lambda authorizer", &e))?;
        return Ok((id, true));
    }
    let created = client
        .create_authorizer()
        .api_id(api_id)
        .name(spec.names.api())
        .authorizer_type(AuthorizerType::Request)
        .authorizer_uri(&uri)
        .set_identity_source(Some(sources))
        .authorizer_payload_format_version(&payload)
        .set_enable_simple_responses(simple)
        .authorizer_result_ttl_in_seconds(settings.ttl)
        .send()
        .await
        .map_err(|e| v2_error("cannot create the Lambda authorizer", &e))?;
    Ok((
        created.authorizer_id().unwrap_or_default().to_string(),
        true,
    ))
}

/// Where a JWT authorizer reads the token.
const IDENTITY_SOURCE: &str = "$request.header.Authorization";

/// A route per key, each with the stack's auth and the integration; routes
/// of ours no longer wanted are deleted. True when something changed.
async fn ensure_routes(
    client: &Client,
    api_id: &str,
    integration: &str,
    authorizer: Option<&str>,
    spec: &HttpApiSpec<'_>,
) -> Result<bool, AppError> {
    let auth = match spec.auth {
        Auth::Iam => AuthorizationType::AwsIam,
        Auth::Jwt => AuthorizationType::Jwt,
        Auth::Lambda => AuthorizationType::Custom,
        _ => AuthorizationType::None,
    };
    let scopes: Vec<String> = spec.jwt.map(|j| j.scopes.clone()).unwrap_or_default();
    let right = |route: &aws_sdk_apigatewayv2::types::Route| {
        route.authorization_type() == Some(&auth)
            && route.target() == Some(target_of(integration).as_str())
            && route.authorizer_id().filter(|id| !id.is_empty()) == authorizer
            && route.authorization_scopes() == scopes.as_slice()
    };
    let target = target_of(integration);
    let existing = client
        .get_routes()
        .api_id(api_id)
        .send()
        .await
        .map_err(|e| v2_error("cannot list the routes", &e))?;
    let wanted = route_keys(spec.routes);
    let mut changed = false;
    for route in existing.items() {
        let key = route.route_key().unwrap_or_default();
        let id = route.route_id().unwrap_or_default();
        let keep = wanted.iter().any(|w| w == key);
        if keep && right(route) {
            continue;
        }
        client
            .delete_route()
            .api_id(api_id)
            .route_id(id)
            .send()
            .await
            .map_err(|e| v2_error(&format!("cannot replace route {key}"), &e))?;
        changed = true;
    }
    let kept: Vec<&str> = existing
        .items()
        .iter()
        .filter(|r| right(r))
        .filter_map(|r| r.route_key())
        .collect();
    for key in wanted.iter().filter(|k| !kept.contains(&k.as_str())) {
        client
            .create_route()
            .api_id(api_id)
            .route_key(key)
            .authorization_type(auth.clone())
            .set_authorizer_id(authorizer.map(str::to_string))
            .set_authorization_scopes((!scopes.is_empty()).then(|| scopes.clone()))
            .target(&target)
            .send()
            .await
            .map_err(|e| v2_error(&format!("cannot create route {key}"), &e))?;
        changed = true;
    }
    Ok(changed)
}

fn target_of(integration: &str) -> String {
    format!("integrations/{integration}")
}

/// `$default`, auto-deployed, throttled, with JSON access logs.
async fn ensure_stage(
    client: &Client,
    api_id: &str,
    spec: &HttpApiSpec<'_>,
) -> Result<bool, AppError> {
    let throttle = RouteSettings::builder()
        .throttling_rate_limit(spec.rate)
        .throttling_burst_limit(spec.burst)
        .build();
    let logs = AccessLogSettings::builder()
        .destination_arn(spec.access_log_arn)
        .format(ACCESS_LOG_FORMAT)
        .build();
    let current = client
        .get_stage()
        .api_id(api_id)
        .stage_name(STAGE)
        .send()
        .await;
    match current {
        Ok(stage) => {
            let same = stage.auto_deploy() == Some(true)
                && stage
                    .default_route_settings()
                    .and_then(|r| r.throttling_rate_limit())
                    == Some(spec.rate)
                && stage
                    .default_route_settings()
                    .and_then(|r| r.throttling_burst_limit())
                    == Some(spec.burst)
                && stage
                    .access_log_settings()
                    .and_then(|a| a.destination_arn())
                    == Some(spec.access_log_arn);
            if same {
                return Ok(false);
            }
            client
                .update_stage()
                .api_id(api_id)
                .stage_name(STAGE)
                .auto_deploy(true)
                .default_route_settings(throttle)
                .access_log_settings(logs)
                .send()
                .await
                .map_err(|e| v2_error("cannot update the $default stage", &e))?;
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            client
                .create_stage()
                .api_id(api_id)
                .stage_name(STAGE)
                .auto_deploy(true)
                .default_route_settings(throttle)
                .access_log_settings(logs)
                .set_tags(Some(spec.names.tags().into_iter().collect()))
                .send()
                .await
                .map_err(|e| v2_error("cannot create the $default stage", &e))?;
        }
        Err(e) => return Err(v2_error("cannot read the $default stage", &e)),
    }
    Ok(true)
}

/// Deletes the HTTP API (its routes, integration and stage go with it).
pub async fn delete(client: &Client, api_id: &str) -> Result<bool, AppError> {
    let result = client.delete_api().api_id(api_id).send().await;
    crate::stack::deleted(
        result,
        "apigatewayv2",
        |e| e.is_not_found_exception(),
        "the HTTP API",
    )
}

/// Whether the `$default` stage writes access logs.
pub async fn access_logging(client: &Client, api_id: &str) -> Result<bool, AppError> {
    match client
        .get_stage()
        .api_id(api_id)
        .stage_name(STAGE)
        .send()
        .await
    {
        Ok(stage) => Ok(stage
            .access_log_settings()
            .and_then(|a| a.destination_arn())
            .is_some()),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            Ok(false)
        }
        Err(e) => Err(v2_error("cannot read the $default stage", &e)),
    }
}

/// The route keys the API has now (status: drift).
pub async fn routes_of(client: &Client, api_id: &str) -> Result<Vec<String>, AppError> {
    let routes = client
        .get_routes()
        .api_id(api_id)
        .send()
        .await
        .map_err(|e| v2_error("cannot list the routes", &e))?;
    Ok(routes
        .items()
        .iter()
        .filter_map(|r| r.route_key().map(str::to_string))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_permissions_and_cors_follow_the_shape() {
        assert_eq!(route_keys(Routes::Crud), ["POST /crud"]);
        let rest = route_keys(Routes::Rest);
        assert!(rest.contains(&"PATCH /items/{table}/{id}".to_string()));
        assert!(rest.contains(&"DELETE /items/{table}/{id}/{sort}".to_string()));
        let arns = source_arns("eu-west-1", "1", "abc", Routes::Rest);
        assert_eq!(arns[1], "arn:aws:execute-api:eu-west-1:1:abc/*/*/items/*");
        assert!(
            cors(&[], Routes::Rest).is_none(),
            "no origin: no CORS, never permissive"
        );
        let cors = cors(&["https://app.example.com".into()], Routes::Crud).unwrap();
        assert_eq!(cors.allow_origins(), ["https://app.example.com"]);
        assert!(cors
            .allow_headers()
            .contains(&"x-amz-security-token".to_string()));
        assert!(!cors.allow_methods().contains(&"GET".to_string()));
    }
}
