//! An HTTP API (API Gateway v2) as the gateway serves it, read from the
//! local moto's apigatewayv2 control plane: its routes, integrations, the
//! `$default` stage (throttling, access logs, variables) and its native CORS
//! configuration. Cached and reloaded as REST APIs are ([`crate::gateway::model`]).

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_apigatewayv2::Client;

use crate::error::{aws, AppError};

/// The stage an HTTP API URL without a stage serves.
pub const DEFAULT_STAGE: &str = "$default";

/// An HTTP API integration's default and maximum timeout (AWS docs,
/// "Amazon API Gateway quotas": 30 seconds for HTTP APIs).
pub const INTEGRATION_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub struct HttpApi {
    pub id: String,
    pub name: String,
    pub protocol: String,
    pub cors: Option<Cors>,
    pub routes: Vec<RouteDef>,
    pub integrations: HashMap<String, IntegrationDef>,
    /// The `$default` stage (None: the API has none).
    pub stage: Option<StageDef>,
    /// Authorizers by id.
    pub authorizers: HashMap<String, AuthorizerDef>,
}

/// An HTTP API authorizer.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorizerDef {
    pub name: String,
    /// `JWT` or `REQUEST`.
    pub kind: String,
    /// `$request.header.Authorization`, ...
    pub identity_source: Vec<String>,
    /// JWT: (issuer, audiences).
    pub jwt: Option<(String, Vec<String>)>,
    /// REQUEST (Lambda): the function's invocation URI.
    pub uri: String,
    /// REQUEST: the event's format, "1.0" or "2.0".
    pub payload_format: String,
    /// REQUEST, 2.0: `{"isAuthorized": …}` replies.
    pub simple_responses: bool,
    /// REQUEST: how long a reply is cached (0: not cached).
    pub ttl: std::time::Duration,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RouteDef {
    /// `GET /items/{id}`, `ANY /{proxy+}` or `$default`.
    pub key: String,
    /// `AWS_IAM`, `NONE`, `JWT`, `CUSTOM`.
    pub authorization: String,
    /// `integrations/ID`.
    pub target: Option<String>,
    /// The authorizer of a `JWT` or `CUSTOM` route.
    pub authorizer_id: Option<String>,
    /// A JWT route's scopes (one must be in the token).
    pub scopes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntegrationDef {
    pub kind: String,
    pub uri: String,
    pub payload_format: String,
    pub timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct StageDef {
    pub deployed: bool,
    /// (log group, format) when access logging is on.
    pub access_log: Option<(String, String)>,
    /// (rate per second, burst) of the default route settings.
    pub default_throttle: Option<(f64, u32)>,
    /// Route key -> its own (rate, burst).
    pub route_throttles: HashMap<String, (f64, u32)>,
    pub variables: HashMap<String, String>,
}

/// `corsConfiguration`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cors {
    pub allow_origins: Vec<String>,
    pub allow_methods: Vec<String>,
    pub allow_headers: Vec<String>,
    pub expose_headers: Vec<String>,
    pub max_age: Option<i32>,
    pub allow_credentials: bool,
}

impl Cors {
    fn of(c: &aws_sdk_apigatewayv2::types::Cors) -> Cors {
        Cors {
            allow_origins: c.allow_origins().to_vec(),
            allow_methods: c.allow_methods().to_vec(),
            allow_headers: c.allow_headers().to_vec(),
            expose_headers: c.expose_headers().to_vec(),
            max_age: c.max_age(),
            allow_credentials: c.allow_credentials().unwrap_or(false),
        }
    }
}

fn v2_error<E>(
    what: &str,
    e: &aws_smithy_runtime_api::client::result::SdkError<
        E,
        aws_smithy_runtime_api::client::orchestrator::HttpResponse,
    >,
) -> AppError
where
    E: std::error::Error + aws_smithy_types::error::metadata::ProvideErrorMetadata + 'static,
{
    aws::error("apigatewayv2", what, e)
}

/// The HTTP API `id` (None: no such API).
pub async fn load(client: &Client, id: &str) -> Result<Option<HttpApi>, AppError> {
    let api = match client.get_api().api_id(id).send().await {
        Ok(api) => api,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            return Ok(None)
        }
        Err(e) => return Err(v2_error(&format!("cannot read HTTP API {id}"), &e)),
    };
    let (routes, integrations, stage) = futures::try_join!(
        load_routes(client, id),
        load_integrations(client, id),
        load_stage(client, id),
    )?;
    let authorizers = load_authorizers(client, id, &routes).await?;
    Ok(Some(HttpApi {
        id: id.to_string(),
        name: api.name().unwrap_or_default().to_string(),
        protocol: api
            .protocol_type()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        cors: api.cors_configuration().map(Cors::of),
        routes,
        integrations,
        stage,
        authorizers,
    }))
}

/// The authorizers the routes use (moto serves no GetAuthorizers listing).
async fn load_authorizers(
    client: &Client,
    id: &str,
    routes: &[RouteDef],
) -> Result<HashMap<String, AuthorizerDef>, AppError> {
    let mut ids: Vec<&str> = routes
        .iter()
        .filter_map(|r| r.authorizer_id.as_deref())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let loaded = futures::future::try_join_all(ids.into_iter().map(|authorizer| async move {
        match client
            .get_authorizer()
            .api_id(id)
            .authorizer_id(authorizer)
            .send()
            .await
        {
            Ok(a) => Ok(Some(a)),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_not_found_exception()) =>
            {
                Ok(None)
            }
            Err(e) => Err(v2_error("cannot read an authorizer", &e)),
        }
    }))
    .await?;
    Ok(loaded
        .iter()
        .flatten()
        .filter_map(|a| {
            let def = AuthorizerDef {
                name: a.name().unwrap_or_default().to_string(),
                kind: a
                    .authorizer_type()
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
                identity_source: a.identity_source().to_vec(),
                jwt: a.jwt_configuration().map(|j| {
                    (
                        j.issuer().unwrap_or_default().to_string(),
                        j.audience().to_vec(),
                    )
                }),
                uri: a.authorizer_uri().unwrap_or_default().to_string(),
                payload_format: a
                    .authorizer_payload_format_version()
                    .unwrap_or("2.0")
                    .to_string(),
                simple_responses: a.enable_simple_responses().unwrap_or(false),
                // AWS's default when none is set: 300 s.
                ttl: std::time::Duration::from_secs(
                    a.authorizer_result_ttl_in_seconds()
                        .unwrap_or(300)
                        .clamp(0, 3600) as u64,
                ),
            };
            Some((a.authorizer_id()?.to_string(), def))
        })
        .collect())
}

async fn load_routes(client: &Client, id: &str) -> Result<Vec<RouteDef>, AppError> {
    let out = client
        .get_routes()
        .api_id(id)
        .max_results("500")
        .send()
        .await
        .map_err(|e| v2_error("cannot list routes", &e))?;
    Ok(out
        .items()
        .iter()
        .map(|r| RouteDef {
            key: r.route_key().unwrap_or_default().to_string(),
            authorization: r
                .authorization_type()
                .map(|a| a.as_str().to_string())
                .unwrap_or_else(|| "NONE".into()),
            target: r.target().map(str::to_string),
            authorizer_id: r.authorizer_id().map(str::to_string),
            scopes: r.authorization_scopes().to_vec(),
        })
        .collect())
}

async fn load_integrations(
    client: &Client,
    id: &str,
) -> Result<HashMap<String, IntegrationDef>, AppError> {
    let out = client
        .get_integrations()
        .api_id(id)
        .max_results("500")
        .send()
        .await
        .map_err(|e| v2_error("cannot list integrations", &e))?;
    Ok(out
        .items()
        .iter()
        .map(|i| {
            let timeout = match i.timeout_in_millis() {
                Some(ms) if ms > 0 => Duration::from_millis(ms as u64),
                _ => INTEGRATION_TIMEOUT,
            };
            let integration = IntegrationDef {
                kind: i
                    .integration_type()
                    .map(|t| t.as_str().to_string())
                    .unwrap_or_default(),
                uri: i.integration_uri().unwrap_or_default().to_string(),
                payload_format: i.payload_format_version().unwrap_or("1.0").to_string(),
                timeout,
            };
            (
                i.integration_id().unwrap_or_default().to_string(),
                integration,
            )
        })
        .collect())
}

fn throttle_of(s: &aws_sdk_apigatewayv2::types::RouteSettings) -> Option<(f64, u32)> {
    match (s.throttling_rate_limit(), s.throttling_burst_limit()) {
        (Some(rate), Some(burst)) => Some((rate, burst.max(0) as u32)),
        _ => None,
    }
}

async fn load_stage(client: &Client, id: &str) -> Result<Option<StageDef>, AppError> {
    let out = client
        .get_stages()
        .api_id(id)
        .max_results("500")
        .send()
        .await
        .map_err(|e| v2_error("cannot list stages", &e))?;
    let Some(s) = out
        .items()
        .iter()
        .find(|s| s.stage_name() == Some(DEFAULT_STAGE))
    else {
        return Ok(None);
    };
    Ok(Some(StageDef {
        deployed: s.auto_deploy() == Some(true) || s.deployment_id().is_some_and(|d| !d.is_empty()),
        access_log: s.access_log_settings().and_then(|a| {
            let group = crate::gateway::telemetry::group_of(a.destination_arn()?)?;
            Some((group, a.format()?.to_string()))
        }),
        default_throttle: s.default_route_settings().and_then(throttle_of),
        route_throttles: s
            .route_settings()
            .into_iter()
            .flatten()
            .filter_map(|(key, settings)| Some((key.clone(), throttle_of(settings)?)))
            .collect(),
        variables: s.stage_variables().cloned().unwrap_or_default(),
    }))
}
