//! The control plane as the gateway serves it: REST APIs (resources,
//! methods, integrations, stages), API keys, usage plans and the functions'
//! resource policies, read from the local moto — nothing is configured twice.
//! Cached per API for a second; a request that finds its entry older
//! reloads it first (one load at a time per entry, concurrent requests
//! wait for it), so a revocation — a key disabled, a permission removed —
//! holds for every request made after the next reload, never for a stale
//! copy served while a background reload runs. `POST /_gateway/refresh`
//! (with the local stack's token) drops the cache at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_apigateway::Client;

use crate::error::{aws, AppError};
use crate::gateway::keys::ControlPlane;
use crate::gateway::mock::MockIntegration;
use crate::gateway::response::GatewayResponses;

/// How long a loaded model is served before a request reloads it.
pub const FRESH_FOR: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct Api {
    pub id: String,
    pub name: String,
    /// `binaryMediaTypes`: what a base64 proxy reply is decoded for.
    pub binary_media_types: Vec<String>,
    pub resources: Vec<Resource>,
    pub stages: HashMap<String, Stage>,
    /// The configured gateway responses (`PutGatewayResponse`).
    pub gateway_responses: GatewayResponses,
    /// Authorizers by id.
    pub authorizers: HashMap<String, Authorizer>,
    /// `apiKeySource` AUTHORIZER: the key is the Lambda authorizer's
    /// `usageIdentifierKey`, not the `x-api-key` header.
    pub key_from_authorizer: bool,
}

/// A REST API's authorizer.
#[derive(Debug, Clone)]
pub struct Authorizer {
    pub id: String,
    pub name: String,
    pub kind: AuthorizerKind,
    /// The Lambda authorizer's invocation URI.
    pub uri: String,
    /// `method.request.header.Authorization[, ...]`
    pub identity_source: String,
    /// TOKEN: the regular expression a token must match.
    pub validation: Option<String>,
    /// How long a reply is cached (0: not cached).
    pub ttl: Duration,
    /// COGNITO_USER_POOLS: the user pools' ARNs.
    pub provider_arns: Vec<String>,
}

/// An authorizer's `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorizerKind {
    Token,
    Request,
    CognitoUserPools,
    Other(String),
}

impl From<&str> for AuthorizerKind {
    fn from(text: &str) -> AuthorizerKind {
        match text {
            "TOKEN" => AuthorizerKind::Token,
            "REQUEST" => AuthorizerKind::Request,
            "COGNITO_USER_POOLS" => AuthorizerKind::CognitoUserPools,
            other => AuthorizerKind::Other(other.to_string()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Resource {
    pub id: String,
    /// `/crud/{id}/{proxy+}`
    pub path: String,
    pub methods: HashMap<String, Method>,
}

#[derive(Debug, Clone)]
pub struct Method {
    pub authorization: Authorization,
    /// The authorizer of a CUSTOM or COGNITO_USER_POOLS method.
    pub authorizer_id: Option<String>,
    /// COGNITO_USER_POOLS: OAuth scopes an access token must hold one of
    /// (none: an ID token is required).
    pub authorization_scopes: Vec<String>,
    pub api_key_required: bool,
    pub integration: Option<Integration>,
}

/// A method's `authorizationType`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorization {
    None,
    AwsIam,
    /// A Lambda authorizer.
    Custom,
    CognitoUserPools,
    Other(String),
}

impl Authorization {
    pub fn as_str(&self) -> &str {
        match self {
            Authorization::None => "NONE",
            Authorization::AwsIam => "AWS_IAM",
            Authorization::Custom => "CUSTOM",
            Authorization::CognitoUserPools => "COGNITO_USER_POOLS",
            Authorization::Other(other) => other,
        }
    }
}

impl From<&str> for Authorization {
    fn from(text: &str) -> Authorization {
        match text {
            "NONE" => Authorization::None,
            "AWS_IAM" => Authorization::AwsIam,
            "CUSTOM" => Authorization::Custom,
            "COGNITO_USER_POOLS" => Authorization::CognitoUserPools,
            other => Authorization::Other(other.to_string()),
        }
    }
}

/// An integration's `type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrationKind {
    AwsProxy,
    Aws,
    Mock,
    Http,
    HttpProxy,
    /// Unknown, or missing (empty).
    Other(String),
}

impl IntegrationKind {
    pub fn as_str(&self) -> &str {
        match self {
            IntegrationKind::AwsProxy => "AWS_PROXY",
            IntegrationKind::Aws => "AWS",
            IntegrationKind::Mock => "MOCK",
            IntegrationKind::Http => "HTTP",
            IntegrationKind::HttpProxy => "HTTP_PROXY",
            IntegrationKind::Other(other) => other,
        }
    }
}

impl From<&str> for IntegrationKind {
    fn from(text: &str) -> IntegrationKind {
        match text {
            "AWS_PROXY" => IntegrationKind::AwsProxy,
            "AWS" => IntegrationKind::Aws,
            "MOCK" => IntegrationKind::Mock,
            "HTTP" => IntegrationKind::Http,
            "HTTP_PROXY" => IntegrationKind::HttpProxy,
            other => IntegrationKind::Other(other.to_string()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Integration {
    pub kind: IntegrationKind,
    /// `integrationHttpMethod` (Lambda is invoked with POST only).
    pub http_method: Option<String>,
    pub uri: String,
    /// The integration's `requestParameters` keys
    /// (`integration.request.header.NAME`, ...).
    pub request_parameters: Vec<String>,
    pub timeout: Duration,
    /// (status, selectionPattern): an error message matching the pattern
    /// selects the status; no pattern marks the default response.
    pub responses: Vec<(u16, Option<String>)>,
    /// A MOCK integration's templates and responses, parsed.
    pub mock: Option<MockIntegration>,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub deployed: bool,
    /// The deployment the stage serves (`requestContext.deploymentId`).
    pub deployment_id: String,
    /// (log group, format) when access logging is on.
    pub access_log: Option<(String, String)>,
    pub variables: HashMap<String, String>,
    /// `*/*` or `crud/POST` (resource path without the leading slash) ->
    /// (rate per second, burst).
    pub throttles: HashMap<String, (f64, u32)>,
    /// A canary deployment on the stage.
    pub canary: Option<Canary>,
}

/// A stage's `canarySettings`.
#[derive(Debug, Clone, PartialEq)]
pub struct Canary {
    pub deployment_id: String,
    /// 0..=100.
    pub percent: f64,
    /// Stage variables canary requests see instead.
    pub overrides: HashMap<String, String>,
}

impl Stage {
    /// The stage as a canary request sees it: the canary's deployment, its
    /// stage variable overrides, and access logs in the `/Canary` group, as
    /// AWS writes them.
    pub fn canary_side(&self, canary: &Canary) -> Stage {
        let mut variables = self.variables.clone();
        variables.extend(canary.overrides.clone());
        Stage {
            deployed: true,
            deployment_id: canary.deployment_id.clone(),
            access_log: self
                .access_log
                .as_ref()
                .map(|(group, format)| (format!("{group}/Canary"), format.clone())),
            variables,
            throttles: self.throttles.clone(),
            canary: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: String,
    pub enabled: bool,
}

#[derive(Debug, Clone)]
pub struct UsagePlan {
    pub id: String,
    /// (api id, stage)
    pub stages: Vec<(String, String)>,
    pub throttle: Option<(f64, u32)>,
    /// (limit, period: DAY | WEEK | MONTH)
    pub quota: Option<(u64, String)>,
    pub key_ids: Vec<String>,
}

/// API keys (by value) and usage plans.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub by_value: HashMap<String, ApiKey>,
    pub plans: Vec<UsagePlan>,
}

struct Entry<T> {
    value: Arc<T>,
    loaded: Instant,
}

/// Cached values by key. A value older than [`FRESH_FOR`] is reloaded
/// before it is served (single-flight per key); if that reload fails, the
/// last value is served and the failure logged.
struct Cached<T> {
    entries: Mutex<HashMap<String, Entry<T>>>,
    loading: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl<T: Send + Sync + 'static> Cached<T> {
    fn new() -> Self {
        Cached {
            entries: Mutex::new(HashMap::new()),
            loading: Mutex::new(HashMap::new()),
        }
    }

    fn clear(&self) {
        self.entries.lock().unwrap().clear();
    }

    /// The value if loaded within [`FRESH_FOR`]; and the last one, if any.
    fn lookup(&self, key: &str) -> (Option<Arc<T>>, Option<Arc<T>>) {
        let entries = self.entries.lock().unwrap();
        match entries.get(key) {
            Some(e) if e.loaded.elapsed() <= FRESH_FOR => (Some(e.value.clone()), None),
            Some(e) => (None, Some(e.value.clone())),
            None => (None, None),
        }
    }

    async fn get<F, Fut>(&self, key: &str, load: F) -> Result<Arc<T>, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        if let (Some(fresh), _) = self.lookup(key) {
            return Ok(fresh);
        }
        let gate = self
            .loading
            .lock()
            .unwrap()
            .entry(key.to_string())
            .or_default()
            .clone();
        let _turn = gate.lock().await;
        // Another request may have reloaded it while this one waited.
        let (fresh, last) = self.lookup(key);
        if let Some(fresh) = fresh {
            return Ok(fresh);
        }
        match (load().await, last) {
            (Ok(value), _) => Ok(self.store(key, value)),
            (Err(e), Some(last)) => {
                crate::output::stderr_line(&format!(
                    "control plane: reloading {key:?} failed ({e}); serving the last copy"
                ));
                Ok(last)
            }
            (Err(e), None) => Err(e),
        }
    }

    fn store(&self, key: &str, value: T) -> Arc<T> {
        let value = Arc::new(value);
        self.entries.lock().unwrap().insert(
            key.to_string(),
            Entry {
                value: value.clone(),
                loaded: Instant::now(),
            },
        );
        value
    }
}

pub struct Model {
    apigateway: Client,
    apigatewayv2: aws_sdk_apigatewayv2::Client,
    http_apis: Arc<Cached<Option<crate::gateway::http_api::model::HttpApi>>>,
    lambda: aws_sdk_lambda::Client,
    control: ControlPlane,
    apis: Arc<Cached<Option<Api>>>,
    keys: Arc<Cached<Keys>>,
    policies: Arc<Cached<Vec<serde_json::Value>>>,
    /// `FUNCTION:ALIAS` -> (version, weighted version).
    aliases: Arc<Cached<Option<crate::stack::release::AliasTarget>>>,
}

impl Model {
    pub fn new(
        apigateway: Client,
        apigatewayv2: aws_sdk_apigatewayv2::Client,
        lambda: aws_sdk_lambda::Client,
        control: ControlPlane,
    ) -> Model {
        Model {
            apigateway,
            apigatewayv2,
            http_apis: Arc::new(Cached::new()),
            lambda,
            control,
            apis: Arc::new(Cached::new()),
            keys: Arc::new(Cached::new()),
            policies: Arc::new(Cached::new()),
            aliases: Arc::new(Cached::new()),
        }
    }

    /// Forget everything (the next request reloads).
    pub fn clear(&self) {
        self.apis.clear();
        self.http_apis.clear();
        self.keys.clear();
        self.policies.clear();
        self.aliases.clear();
    }

    /// What the alias `qualified` (`FUNCTION:ALIAS`) points at (None: no such alias).
    pub async fn alias(
        &self,
        qualified: &str,
    ) -> Result<Arc<Option<crate::stack::release::AliasTarget>>, AppError> {
        let (function, alias) = qualified.split_once(':').unwrap_or((qualified, ""));
        self.aliases
            .get(qualified, || {
                crate::stack::release::alias_state_named(&self.lambda, function, alias)
            })
            .await
    }

    /// The API `id` (None: no such API).
    pub async fn api(&self, id: &str) -> Result<Arc<Option<Api>>, AppError> {
        self.apis.get(id, || load_api(&self.apigateway, id)).await
    }

    /// The HTTP API `id` (None: no such API).
    pub async fn http_api(
        &self,
        id: &str,
    ) -> Result<Arc<Option<crate::gateway::http_api::model::HttpApi>>, AppError> {
        self.http_apis
            .get(id, || {
                crate::gateway::http_api::model::load(&self.apigatewayv2, id)
            })
            .await
    }

    /// Every API key and usage plan that can be read ([`keys::load_keys`]).
    pub async fn keys(&self) -> Result<Arc<Keys>, AppError> {
        self.keys
            .get("", || crate::gateway::keys::load_keys(&self.control))
            .await
    }

    /// The statements of `function`'s resource policy (none: no policy).
    pub async fn policy(&self, function: &str) -> Result<Arc<Vec<serde_json::Value>>, AppError> {
        self.policies
            .get(function, || load_policy(&self.lambda, function))
            .await
    }
}

async fn load_policy(
    client: &aws_sdk_lambda::Client,
    function: &str,
) -> Result<Vec<serde_json::Value>, AppError> {
    match client.get_policy().function_name(function).send().await {
        Ok(out) => Ok(
            serde_json::from_str::<serde_json::Value>(out.policy().unwrap_or("{}"))
                .ok()
                .and_then(|p| p["Statement"].as_array().cloned())
                .unwrap_or_default(),
        ),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(Vec::new())
        }
        Err(e) => Err(aws::error(
            "lambda",
            format!("cannot read the policy of {function}"),
            &e,
        )),
    }
}

async fn load_api(client: &Client, id: &str) -> Result<Option<Api>, AppError> {
    let (name, binary_media_types, key_from_authorizer) =
        match client.get_rest_api().rest_api_id(id).send().await {
            Ok(api) => (
                api.name().unwrap_or_default().to_string(),
                api.binary_media_types().to_vec(),
                api.api_key_source().map(|s| s.as_str()) == Some("AUTHORIZER"),
            ),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_not_found_exception()) =>
            {
                return Ok(None)
            }
            Err(e) => {
                return Err(aws::error(
                    "apigateway",
                    format!("cannot read REST API {id}"),
                    &e,
                ))
            }
        };
    // Concurrently: a reload holds up the request that found the entry stale.
    let (resources, stages, gateway_responses, authorizers) = futures::try_join!(
        load_resources(client, id),
        load_stages(client, id),
        load_gateway_responses(client, id),
        load_authorizers(client, id)
    )?;
    Ok(Some(Api {
        id: id.to_string(),
        name,
        binary_media_types,
        resources,
        stages,
        gateway_responses,
        authorizers,
        key_from_authorizer,
    }))
}

async fn load_authorizers(
    client: &Client,
    id: &str,
) -> Result<HashMap<String, Authorizer>, AppError> {
    let out = client
        .get_authorizers()
        .rest_api_id(id)
        .limit(500)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot list authorizers", &e))?;
    Ok(out
        .items()
        .iter()
        .filter_map(|a| {
            let id = a.id()?.to_string();
            let authorizer = Authorizer {
                id: id.clone(),
                name: a.name().unwrap_or_default().to_string(),
                kind: a.r#type().map(|t| t.as_str()).unwrap_or_default().into(),
                uri: a.authorizer_uri().unwrap_or_default().to_string(),
                identity_source: a.identity_source().unwrap_or_default().to_string(),
                validation: a
                    .identity_validation_expression()
                    .filter(|e| !e.is_empty())
                    .map(str::to_string),
                // AWS's default when none is set: 300 s.
                ttl: Duration::from_secs(
                    a.authorizer_result_ttl_in_seconds()
                        .unwrap_or(300)
                        .clamp(0, 3600) as u64,
                ),
                provider_arns: a.provider_arns().to_vec(),
            };
            Some((id, authorizer))
        })
        .collect())
}

async fn load_gateway_responses(client: &Client, id: &str) -> Result<GatewayResponses, AppError> {
    let out = client
        .get_gateway_responses()
        .rest_api_id(id)
        .limit(500)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot list gateway responses", &e))?;
    Ok(GatewayResponses::of(out.items()))
}

async fn load_resources(client: &Client, id: &str) -> Result<Vec<Resource>, AppError> {
    let out = client
        .get_resources()
        .rest_api_id(id)
        .limit(500)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot list resources", &e))?;
    let resources = out.items().iter().map(|r| async move {
        let resource_id = r.id().unwrap_or_default().to_string();
        let verbs: Vec<String> = r
            .resource_methods()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        let methods = futures::future::try_join_all(verbs.iter().map(|verb| async {
            Ok::<_, AppError>((
                verb.clone(),
                load_method(client, id, &resource_id, verb).await?,
            ))
        }))
        .await?;
        Ok::<_, AppError>(Resource {
            path: r.path().unwrap_or("/").to_string(),
            methods: methods.into_iter().collect(),
            id: resource_id,
        })
    });
    futures::future::try_join_all(resources).await
}

async fn load_method(
    client: &Client,
    id: &str,
    resource_id: &str,
    verb: &str,
) -> Result<Method, AppError> {
    let m = client
        .get_method()
        .rest_api_id(id)
        .resource_id(resource_id)
        .http_method(verb)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", format!("cannot read method {verb}"), &e))?;
    Ok(Method {
        authorization: m.authorization_type().unwrap_or("NONE").into(),
        authorizer_id: m.authorizer_id().map(str::to_string),
        authorization_scopes: m.authorization_scopes().to_vec(),
        api_key_required: m.api_key_required().unwrap_or(false),
        integration: m.method_integration().map(integration_of),
    })
}

fn integration_of(i: &aws_sdk_apigateway::types::Integration) -> Integration {
    let kind: IntegrationKind = i.r#type().map(|t| t.as_str()).unwrap_or_default().into();
    Integration {
        mock: (kind == IntegrationKind::Mock).then(|| MockIntegration::of(i)),
        kind,
        http_method: i.http_method().map(str::to_string),
        uri: i.uri().unwrap_or_default().to_string(),
        request_parameters: i
            .request_parameters()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default(),
        timeout: Duration::from_millis(match i.timeout_in_millis() {
            t if t > 0 => t as u64,
            _ => 29_000,
        }),
        responses: i
            .integration_responses()
            .map(|map| {
                map.iter()
                    .map(|(status, response)| {
                        (
                            status.parse().unwrap_or(200),
                            response
                                .selection_pattern()
                                .filter(|p| !p.is_empty())
                                .map(str::to_string),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

async fn load_stages(client: &Client, id: &str) -> Result<HashMap<String, Stage>, AppError> {
    let stages_out = client
        .get_stages()
        .rest_api_id(id)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot list stages", &e))?;
    Ok(stages_out
        .item()
        .iter()
        .map(|s| (s.stage_name().unwrap_or_default().to_string(), stage_of(s)))
        .collect())
}

fn stage_of(s: &aws_sdk_apigateway::types::Stage) -> Stage {
    let throttles = s
        .method_settings()
        .map(|settings| {
            settings
                .iter()
                .filter_map(|(key, setting)| {
                    let rate = setting.throttling_rate_limit();
                    let burst = setting.throttling_burst_limit();
                    (rate > 0.0 || burst > 0).then(|| (key.clone(), (rate, burst.max(0) as u32)))
                })
                .collect()
        })
        .unwrap_or_default();
    Stage {
        deployed: s.deployment_id().is_some_and(|d| !d.is_empty()),
        deployment_id: s.deployment_id().unwrap_or_default().to_string(),
        access_log: s.access_log_settings().and_then(|a| {
            let group = crate::gateway::telemetry::group_of(a.destination_arn()?)?;
            Some((group, a.format()?.to_string()))
        }),
        variables: s.variables().cloned().unwrap_or_default(),
        throttles,
        canary: s.canary_settings().map(|c| Canary {
            deployment_id: c.deployment_id().unwrap_or_default().to_string(),
            percent: c.percent_traffic(),
            overrides: c.stage_variable_overrides().cloned().unwrap_or_default(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_canary_request_sees_the_overrides_its_deployment_and_log_group() {
        let stage = Stage {
            deployed: true,
            deployment_id: "base".into(),
            access_log: Some(("/aws/apigateway/scrud-shop".into(), "{}".into())),
            variables: HashMap::from([
                ("alias".into(), "live".into()),
                ("env".into(), "prod".into()),
            ]),
            throttles: HashMap::new(),
            canary: None,
        };
        let canary = Canary {
            deployment_id: "can".into(),
            percent: 10.0,
            overrides: HashMap::from([("alias".into(), "3".into())]),
        };
        let side = stage.canary_side(&canary);
        assert_eq!(side.deployment_id, "can");
        assert_eq!(side.variables["alias"], "3");
        assert_eq!(side.variables["env"], "prod", "other variables stay");
        assert_eq!(
            side.access_log.unwrap().0,
            "/aws/apigateway/scrud-shop/Canary"
        );
        assert_eq!(
            stage.variables["alias"], "live",
            "the base side is untouched"
        );
    }

    fn age(cache: &Cached<u32>, key: &str) {
        let mut entries = cache.entries.lock().unwrap();
        let entry = entries.get_mut(key).unwrap();
        entry.loaded = Instant::now()
            .checked_sub(FRESH_FOR * 2)
            .unwrap_or(entry.loaded);
    }

    /// A revocation (a key disabled, a permission removed) must hold for the
    /// next request: a stale entry is reloaded before it is served, not
    /// served while a background reload runs.
    #[tokio::test]
    async fn a_stale_entry_is_reloaded_before_it_is_served() {
        let cache = Cached::<u32>::new();
        assert_eq!(*cache.get("k", || async { Ok(1) }).await.unwrap(), 1);
        assert_eq!(
            *cache.get("k", || async { Ok(2) }).await.unwrap(),
            1,
            "fresh: not reloaded"
        );
        age(&cache, "k");
        assert_eq!(
            *cache.get("k", || async { Ok(3) }).await.unwrap(),
            3,
            "stale: reloaded first"
        );
        age(&cache, "k");
        let failed = cache
            .get("k", || async { Err(AppError::internal("moto is down")) })
            .await;
        assert_eq!(*failed.unwrap(), 3, "a failed reload serves the last copy");
        let first = Cached::<u32>::new()
            .get("k", || async { Err(AppError::internal("down")) })
            .await;
        assert!(first.is_err(), "nothing to serve");
    }
}
