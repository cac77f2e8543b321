//! The control plane as the gateway serves it: REST APIs (resources,
//! methods, integrations, stages), API keys, usage plans and the functions'
//! resource policies, read from the local moto — nothing is configured twice.
//! Cached per API for a second and refreshed in the background; `POST
//! /_gateway/refresh` drops the cache at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_apigateway::Client;

use crate::error::{aws, AppError};

/// How long a loaded model is served before it is reloaded (in the background).
pub const FRESH_FOR: Duration = Duration::from_secs(1);

#[derive(Debug, Clone)]
pub struct Api {
    pub id: String,
    pub name: String,
    pub resources: Vec<Resource>,
    pub stages: HashMap<String, Stage>,
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
    pub uri: String,
    pub timeout: Duration,
    /// (status, selectionPattern): an error message matching the pattern
    /// selects the status; no pattern marks the default response.
    pub responses: Vec<(u16, Option<String>)>,
}

#[derive(Debug, Clone)]
pub struct Stage {
    pub deployed: bool,
    /// (log group, format) when access logging is on.
    pub access_log: Option<(String, String)>,
    pub variables: HashMap<String, String>,
    /// `*/*` or `crud/POST` (resource path without the leading slash) ->
    /// (rate per second, burst).
    pub throttles: HashMap<String, (f64, u32)>,
}

#[derive(Debug, Clone)]
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
    refreshing: bool,
}

/// Cached values by key, served stale while a background reload runs, so
/// no request waits for the control plane but the first.
struct Cached<T> {
    entries: Mutex<HashMap<String, Entry<T>>>,
}

impl<T: Send + Sync + 'static> Cached<T> {
    fn new() -> Self {
        Cached {
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn clear(&self) {
        self.entries.lock().unwrap().clear();
    }

    async fn get<F, Fut>(self: &Arc<Self>, key: &str, load: F) -> Result<Arc<T>, AppError>
    where
        F: Fn() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<T, AppError>> + Send + 'static,
    {
        let cached = {
            let mut entries = self.entries.lock().unwrap();
            entries.get_mut(key).map(|entry| {
                let stale = entry.loaded.elapsed() > FRESH_FOR && !entry.refreshing;
                if stale {
                    entry.refreshing = true;
                }
                (entry.value.clone(), stale)
            })
        };
        match cached {
            Some((value, stale)) => {
                if stale {
                    let (this, key) = (self.clone(), key.to_string());
                    tokio::spawn(async move {
                        let loaded = load().await.ok();
                        this.store(&key, loaded);
                    });
                }
                Ok(value)
            }
            None => {
                let value = load().await?;
                Ok(self.store(key, Some(value)))
            }
        }
    }

    fn store(&self, key: &str, loaded: Option<T>) -> Arc<T> {
        let mut entries = self.entries.lock().unwrap();
        match (loaded, entries.get_mut(key)) {
            (Some(value), _) => {
                let value = Arc::new(value);
                entries.insert(
                    key.to_string(),
                    Entry {
                        value: value.clone(),
                        loaded: Instant::now(),
                        refreshing: false,
                    },
                );
                value
            }
            // A failed background reload keeps serving what was loaded.
            (None, Some(entry)) => {
                entry.refreshing = false;
                entry.value.clone()
            }
            (None, None) => unreachable!("a failed first load returns its error"),
        }
    }
}

#[derive(Clone)]
pub struct Model {
    apigateway: Client,
    lambda: aws_sdk_lambda::Client,
    apis: Arc<Cached<Option<Api>>>,
    keys: Arc<Cached<Keys>>,
    policies: Arc<Cached<Vec<serde_json::Value>>>,
}

impl Model {
    pub fn new(apigateway: Client, lambda: aws_sdk_lambda::Client) -> Model {
        Model {
            apigateway,
            lambda,
            apis: Arc::new(Cached::new()),
            keys: Arc::new(Cached::new()),
            policies: Arc::new(Cached::new()),
        }
    }

    /// Forget everything (the next request reloads).
    pub fn clear(&self) {
        self.apis.clear();
        self.keys.clear();
        self.policies.clear();
    }

    /// The API `id` (None: no such API).
    pub async fn api(&self, id: &str) -> Result<Arc<Option<Api>>, AppError> {
        let (client, owned) = (self.apigateway.clone(), id.to_string());
        self.apis
            .get(id, move || {
                let (client, id) = (client.clone(), owned.clone());
                async move { load_api(&client, &id).await }
            })
            .await
    }

    pub async fn keys(&self) -> Result<Arc<Keys>, AppError> {
        let client = self.apigateway.clone();
        self.keys
            .get("", move || {
                let client = client.clone();
                async move { load_keys(&client).await }
            })
            .await
    }

    /// The statements of `function`'s resource policy (none: no policy).
    pub async fn policy(&self, function: &str) -> Result<Arc<Vec<serde_json::Value>>, AppError> {
        let (client, owned) = (self.lambda.clone(), function.to_string());
        self.policies
            .get(function, move || {
                let (client, function) = (client.clone(), owned.clone());
                async move { load_policy(&client, &function).await }
            })
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
    let name = match client.get_rest_api().rest_api_id(id).send().await {
        Ok(api) => api.name().unwrap_or_default().to_string(),
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
    Ok(Some(Api {
        id: id.to_string(),
        name,
        resources: load_resources(client, id).await?,
        stages: load_stages(client, id).await?,
    }))
}

async fn load_resources(client: &Client, id: &str) -> Result<Vec<Resource>, AppError> {
    let out = client
        .get_resources()
        .rest_api_id(id)
        .limit(500)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot list resources", &e))?;
    let mut resources = Vec::new();
    for r in out.items() {
        let resource_id = r.id().unwrap_or_default().to_string();
        let mut methods = HashMap::new();
        for verb in r
            .resource_methods()
            .map(|m| m.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let method = load_method(client, id, &resource_id, &verb).await?;
            methods.insert(verb, method);
        }
        resources.push(Resource {
            id: resource_id,
            path: r.path().unwrap_or("/").to_string(),
            methods,
        });
    }
    Ok(resources)
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
        api_key_required: m.api_key_required().unwrap_or(false),
        integration: m.method_integration().map(integration_of),
    })
}

fn integration_of(i: &aws_sdk_apigateway::types::Integration) -> Integration {
    Integration {
        kind: i.r#type().map(|t| t.as_str()).unwrap_or_default().into(),
        uri: i.uri().unwrap_or_default().to_string(),
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
        access_log: s.access_log_settings().and_then(|a| {
            let group = crate::gateway::telemetry::group_of(a.destination_arn()?)?;
            Some((group, a.format()?.to_string()))
        }),
        variables: s.variables().cloned().unwrap_or_default(),
        throttles,
    }
}

async fn load_keys(client: &Client) -> Result<Keys, AppError> {
    let mut keys = Keys::default();
    let out = client
        .get_api_keys()
        .include_values(true)
        .limit(500)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot list API keys", &e))?;
    for k in out.items() {
        if let Some(value) = k.value() {
            keys.by_value.insert(
                value.to_string(),
                ApiKey {
                    id: k.id().unwrap_or_default().to_string(),
                    enabled: k.enabled(),
                },
            );
        }
    }
    let plans = client
        .get_usage_plans()
        .limit(500)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot list usage plans", &e))?;
    for p in plans.items() {
        keys.plans.push(load_plan(client, p).await?);
    }
    Ok(keys)
}

async fn load_plan(
    client: &Client,
    p: &aws_sdk_apigateway::types::UsagePlan,
) -> Result<UsagePlan, AppError> {
    let id = p.id().unwrap_or_default().to_string();
    let members = client
        .get_usage_plan_keys()
        .usage_plan_id(&id)
        .limit(500)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot list usage plan keys", &e))?;
    Ok(UsagePlan {
        stages: p
            .api_stages()
            .iter()
            .map(|s| {
                (
                    s.api_id().unwrap_or_default().to_string(),
                    s.stage().unwrap_or_default().to_string(),
                )
            })
            .collect(),
        throttle: p
            .throttle()
            .map(|t| (t.rate_limit(), t.burst_limit().max(0) as u32)),
        quota: p.quota().map(|q| {
            (
                q.limit().max(0) as u64,
                q.period()
                    .map(|p| p.as_str().to_string())
                    .unwrap_or_else(|| "DAY".into()),
            )
        }),
        key_ids: members
            .items()
            .iter()
            .filter_map(|k| k.id().map(str::to_string))
            .collect(),
        id,
    })
}
