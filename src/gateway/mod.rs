//! The local API Gateway data plane: serves every REST API of the local
//! moto at `http://127.0.0.1:PORT/restapis/{id}/{stage}/_user_request_/{path}`
//! (LocalStack's URL form), enforcing what the control plane configured —
//! routing, `AWS_IAM` (SigV4), API keys with usage plans, stage throttling,
//! the function's resource policy — and running `AWS_PROXY` and `AWS`
//! (passthrough) Lambda integrations through the Lambda emulator.
//!
//! It runs as a process of the local stack (`local up` starts it as
//! `serverless-crud local gateway`).

pub mod integration;
pub mod model;
pub mod response;
pub mod routing;
pub mod sigv4;
pub mod telemetry;
pub mod throttle;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::Value;

use crate::error::AppError;
use crate::local::LocalState;
use integration::{HttpReply, RequestFacts};
use model::{Authorization, IntegrationKind};
use telemetry::{Telemetry, Trace};
use throttle::{Refusal, Throttles};

/// API Gateway's payload limit.
const MAX_BODY: usize = 10 * 1024 * 1024;
/// How far a SigV4 timestamp may be from now.
const MAX_SKEW: Duration = Duration::from_secs(15 * 60);
/// The path prefix of stage URLs.
pub const USER_REQUEST: &str = "_user_request_";

/// The stage URL of `path` on a gateway at `endpoint`.
pub fn invoke_url(endpoint: &str, api_id: &str, stage: &str, path: &str) -> String {
    format!(
        "{endpoint}/restapis/{api_id}/{stage}/{USER_REQUEST}/{}",
        path.trim_start_matches('/')
    )
}

struct Gateway {
    region: String,
    lambda_endpoint: String,
    /// Access key -> secret: the local stack's credentials.
    credentials: HashMap<String, String>,
    model: model::Model,
    throttles: Throttles,
    http: reqwest::Client,
    /// Function name -> the emulator route it runs under (from the local state).
    routes: Mutex<HashMap<String, String>>,
    telemetry: Telemetry,
}

/// Runs the gateway on `port` until the process is stopped.
pub async fn serve(port: u16) -> Result<(), AppError> {
    let local = LocalState::load()?.ok_or_else(|| {
        AppError::environment("no local stack is recorded; the gateway runs inside `local up`")
    })?;
    let sdk = local.sdk_config().await;
    let gateway = Arc::new(Gateway {
        region: local.region.clone(),
        lambda_endpoint: local.lambda.endpoint.clone(),
        credentials: HashMap::from([("test".to_string(), "test".to_string())]),
        model: model::Model::new(
            aws_sdk_apigateway::Client::new(&sdk),
            aws_sdk_lambda::Client::new(&sdk),
        ),
        throttles: Throttles::default(),
        // A new connection per invocation: the emulator writes a reply's head
        // and body separately, and on a reused connection Nagle + delayed
        // ACK hold the body ~40 ms; a fresh loopback connection costs ~0.1 ms.
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| AppError::internal(format!("HTTP client: {e}")))?,
        routes: Mutex::new(local.routes()),
        telemetry: Telemetry::start(
            aws_sdk_cloudwatchlogs::Client::new(&sdk),
            aws_sdk_cloudwatch::Client::new(&sdk),
            std::env::var("SCRUD_TELEMETRY").as_deref() != Ok("off"),
        ),
    });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| {
            AppError::environment(format!("the gateway cannot listen on port {port}: {e}"))
        })?;
    crate::output::stderr_line(&format!("local API gateway listening on 127.0.0.1:{port}"));
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(_) => continue,
        };
        let _ = stream.set_nodelay(true);
        let gateway = gateway.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let gateway = gateway.clone();
                async move { Ok::<_, Infallible>(gateway.handle(req, peer).await) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

fn to_response(reply: HttpReply, request_id: &str) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .header("x-amzn-RequestId", request_id)
        .header("x-amz-apigw-id", &request_id[..8])
        .body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::from_static(b"{}"))))
}

fn request_id() -> String {
    crate::transport::lambda::new_request_id()
}

fn missing_token() -> HttpReply {
    HttpReply::message(
        403,
        "Missing Authentication Token",
        "MissingAuthenticationTokenException",
    )
}

impl Gateway {
    async fn handle(&self, req: Request<Incoming>, peer: SocketAddr) -> Response<Full<Bytes>> {
        let id = request_id();
        let path = req.uri().path().to_string();
        if let Some(admin) = path.strip_prefix("/_gateway/") {
            return to_response(self.admin(admin), &id);
        }
        let started = std::time::Instant::now();
        let mut trace = Trace {
            request_id: id.clone(),
            source_ip: peer.ip().to_string(),
            time: chrono::Utc::now(),
            ..Trace::default()
        };
        let reply = match self.serve_request(req, peer, &mut trace).await {
            Ok(reply) => reply,
            Err(reply) => {
                trace.error_message = serde_json::from_slice::<Value>(&reply.body)
                    .ok()
                    .and_then(|b| b["message"].as_str().map(str::to_string));
                reply
            }
        };
        trace.status = reply.status;
        trace.response_length = reply.body.len();
        trace.latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        if !trace.stage.is_empty() {
            self.telemetry.record(trace);
        }
        to_response(reply, &id)
    }

    fn admin(&self, what: &str) -> HttpReply {
        match what {
            "refresh" => {
                self.model.clear();
                if let Ok(Some(local)) = LocalState::load() {
                    *self.routes.lock().unwrap() = local.routes();
                }
                HttpReply {
                    status: 200,
                    headers: vec![("content-type".into(), "application/json".into())],
                    body: br#"{"refreshed":true}"#.to_vec(),
                }
            }
            _ => HttpReply {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: br#"{"ok":true}"#.to_vec(),
            },
        }
    }

    /// The request pipeline; `Err` carries API Gateway's own refusal.
    async fn serve_request(
        &self,
        req: Request<Incoming>,
        peer: SocketAddr,
        trace: &mut Trace,
    ) -> Result<HttpReply, HttpReply> {
        let request_id = trace.request_id.clone();
        let request_id = request_id.as_str();
        let method = req.method().as_str().to_string();
        let raw_path = req.uri().path().to_string();
        let raw_query = req.uri().query().map(str::to_string);
        let headers: Vec<(String, String)> = req
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        // /restapis/{id}/{stage}/_user_request_/{path}
        let mut parts = raw_path.trim_start_matches('/').splitn(4, '/');
        let (Some("restapis"), Some(api_id), Some(stage_name), Some(rest)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(missing_token());
        };
        let Some(user_path) = rest
            .strip_prefix(USER_REQUEST)
            .filter(|p| p.is_empty() || p.starts_with('/'))
        else {
            return Err(missing_token());
        };
        let user_path = if user_path.is_empty() {
            "/".to_string()
        } else {
            decode_path(user_path)
        };
        let body = Limited::new(req.into_body(), MAX_BODY)
            .collect()
            .await
            .map_err(|_| HttpReply::message(413, "Request Too Long", "RequestTooLongException"))?
            .to_bytes();

        let api = self
            .model
            .api(api_id)
            .await
            .map_err(|_| HttpReply::internal_error())?;
        let Some(api) = api.as_ref() else {
            return Err(missing_token());
        };
        let Some(stage) = api.stages.get(stage_name).filter(|s| s.deployed) else {
            return Err(missing_token());
        };
        trace.api_id = api.id.clone();
        trace.api_name = api.name.clone();
        trace.stage = stage_name.to_string();
        trace.method = method.clone();
        trace.path = user_path.clone();
        trace.access_log = stage.access_log.clone();
        trace.user_agent = headers
            .iter()
            .find(|(n, _)| n == "user-agent")
            .map(|(_, v)| v.clone());
        let Some(route) = routing::find(api, &method, &user_path) else {
            return Err(missing_token());
        };
        trace.resource_path = route.resource.path.clone();

        // Authorization.
        let caller = match &route.method.authorization {
            Authorization::None => None,
            Authorization::AwsIam => {
                let signed = sigv4::Request {
                    method: &method,
                    raw_path: &raw_path,
                    raw_query: raw_query.as_deref(),
                    headers: &headers,
                    body: &body,
                };
                let scope = sigv4::Scope {
                    region: &self.region,
                    service: "execute-api",
                    now: SystemTime::now(),
                    max_skew: MAX_SKEW,
                    normalize: true,
                };
                match sigv4::verify(&signed, &scope, |k| self.credentials.get(k).cloned()) {
                    Ok(caller) => Some(caller.access_key),
                    Err(sigv4::Rejection::Missing) => return Err(missing_token()),
                    Err(r) => {
                        return Err(HttpReply::message(
                            403,
                            &r.message(),
                            "InvalidSignatureException",
                        ))
                    }
                }
            }
            other => {
                return Err(HttpReply::message(
                    500,
                    &format!(
                        "the local gateway does not run {} authorizers",
                        other.as_str()
                    ),
                    "InternalServerErrorException",
                ))
            }
        };
        trace.caller = caller.clone();
        let resource_key = format!("{}/{method}", route.resource.path.trim_start_matches('/'));
        let api_key = if route.method.api_key_required {
            Some(self.check_api_key(&headers, &api.id, stage_name).await?)
        } else {
            None
        };
        trace.api_key_id = api_key.as_ref().map(|(_, id)| id.clone());
        // Stage method throttling: the method's own setting, else `*/*`.
        if let Some((rate, burst)) = stage
            .throttles
            .get(&resource_key)
            .or_else(|| stage.throttles.get("*/*"))
        {
            let bucket = format!("stage:{}:{stage_name}:{resource_key}", api.id);
            self.throttles
                .take(&bucket, *rate, *burst)
                .map_err(|_| too_many_requests())?;
        }

        let Some(integration) = &route.method.integration else {
            return Err(HttpReply::internal_error());
        };
        if !matches!(
            integration.kind,
            IntegrationKind::AwsProxy | IntegrationKind::Aws
        ) {
            return Err(HttpReply::message(
                500,
                &format!(
                    "the local gateway runs Lambda integrations only, not {}",
                    integration.kind.as_str()
                ),
                "InternalServerErrorException",
            ));
        }
        let Some((function, account)) =
            integration::function_of(&integration.uri, &stage.variables)
        else {
            return Err(HttpReply::internal_error());
        };
        // The function's resource policy must allow this method's ARN
        // (AWS: "Invalid permissions on Lambda function", a 500).
        let source_arn = format!(
            "arn:aws:execute-api:{}:{account}:{}/{stage_name}/{method}/{}",
            self.region,
            api.id,
            route.resource.path.trim_start_matches('/')
        );
        let policy = self
            .model
            .policy(&function)
            .await
            .map_err(|_| HttpReply::internal_error())?;
        if !integration::permits(&policy, &source_arn) {
            return Err(HttpReply::internal_error());
        }

        let payload = if integration.kind == IntegrationKind::AwsProxy {
            let facts = RequestFacts {
                resource_path: &route.resource.path,
                path: &user_path,
                method: &method,
                headers: &headers,
                query: raw_query.as_deref(),
                path_parameters: &route.path_parameters,
                stage_variables: &stage.variables,
                body: &body,
                api_id: &api.id,
                resource_id: &route.resource.id,
                stage: stage_name,
                request_id,
                account: &account,
                source_ip: &peer.ip().to_string(),
                api_key: api_key.as_ref().map(|(v, i)| (v.as_str(), i.as_str())),
                caller_access_key: caller.as_deref(),
            };
            integration::proxy_event(&facts).to_string().into_bytes()
        } else if body.is_empty() {
            b"{}".to_vec()
        } else {
            body.to_vec()
        };
        let lambda_request_id = crate::transport::lambda::new_request_id();
        trace.integration_request_id = Some(lambda_request_id.clone());
        let invoked = std::time::Instant::now();
        let result = self
            .invoke(&function, payload, integration.timeout, &lambda_request_id)
            .await;
        trace.integration_latency_ms = Some(invoked.elapsed().as_secs_f64() * 1000.0);
        let (reply, function_error) = result?;
        trace.integration_status = Some(if function_error { 500 } else { 200 });
        if integration.kind == IntegrationKind::AwsProxy {
            if function_error {
                return Err(HttpReply::bad_gateway());
            }
            integration::proxy_reply(&reply).ok_or_else(HttpReply::bad_gateway)
        } else {
            Ok(integration::non_proxy_reply(
                &reply,
                function_error,
                &integration.responses,
            ))
        }
    }

    /// `x-api-key` must be an enabled key in a usage plan bound to this API
    /// and stage; the plan's throttle and quota apply. Returns (value, id).
    async fn check_api_key(
        &self,
        headers: &[(String, String)],
        api_id: &str,
        stage: &str,
    ) -> Result<(String, String), HttpReply> {
        let forbidden = || HttpReply::message(403, "Forbidden", "ForbiddenException");
        let value = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("x-api-key"))
            .map(|(_, v)| v.clone())
            .ok_or_else(forbidden)?;
        let keys = self
            .model
            .keys()
            .await
            .map_err(|_| HttpReply::internal_error())?;
        let key = keys
            .by_value
            .get(&value)
            .filter(|k| k.enabled)
            .ok_or_else(forbidden)?;
        let plan = keys
            .plans
            .iter()
            .find(|p| {
                p.key_ids.contains(&key.id)
                    && p.stages.iter().any(|(a, s)| a == api_id && s == stage)
            })
            .ok_or_else(forbidden)?;
        let bucket = format!("plan:{}:{}", plan.id, key.id);
        if let Some((rate, burst)) = plan.throttle {
            self.throttles
                .take(&bucket, rate, burst)
                .map_err(|_| too_many_requests())?;
        }
        if let Some((limit, period)) = &plan.quota {
            self.throttles
                .quota(&bucket, *limit, period)
                .map_err(|r| match r {
                    Refusal::LimitExceeded => {
                        HttpReply::message(429, "Limit Exceeded", "LimitExceededException")
                    }
                    Refusal::TooManyRequests => too_many_requests(),
                })?;
        }
        Ok((value, key.id.clone()))
    }

    /// Invokes `function` through the Lambda emulator: (payload, function error?).
    async fn invoke(
        &self,
        function: &str,
        payload: Vec<u8>,
        timeout: Duration,
        lambda_request_id: &str,
    ) -> Result<(Vec<u8>, bool), HttpReply> {
        let route = self.route(function).ok_or_else(HttpReply::internal_error)?;
        let url = format!(
            "{}/2015-03-31/functions/{route}/invocations",
            self.lambda_endpoint
        );
        // The request id the function runs under (the local runtime adopts
        // it from the client context): access logs and metrics can name it.
        let sent = self
            .http
            .post(url)
            .header(
                crate::transport::lambda::CLIENT_CONTEXT_HEADER,
                crate::transport::lambda::client_context(lambda_request_id),
            )
            .body(payload)
            .timeout(timeout)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                return Err(HttpReply::message(
                    504,
                    "Endpoint request timed out",
                    "IntegrationTimeoutException",
                ))
            }
            Err(_) => return Err(HttpReply::internal_error()),
        };
        let status = response.status().as_u16();
        let header_error = response.headers().contains_key("x-amz-function-error");
        let body = response
            .bytes()
            .await
            .map_err(|_| HttpReply::internal_error())?
            .to_vec();
        match status {
            200 => Ok((body, header_error)),
            // cargo-lambda answers an unhandled function error with 500 and
            // the error document, where Lambda answers 200 + X-Amz-Function-Error.
            500 if serde_json::from_slice::<Value>(&body)
                .is_ok_and(|d| d.get("errorMessage").is_some()) =>
            {
                Ok((body, true))
            }
            _ => Err(HttpReply::internal_error()),
        }
    }

    /// The emulator route of `function` (re-reading the local state for a
    /// function registered since the last look).
    fn route(&self, function: &str) -> Option<String> {
        if let Some(route) = self.routes.lock().unwrap().get(function) {
            return Some(route.clone());
        }
        let local = LocalState::load().ok().flatten()?;
        let routes = local.routes();
        let found = routes.get(function).cloned();
        *self.routes.lock().unwrap() = routes;
        found
    }
}

fn too_many_requests() -> HttpReply {
    HttpReply::message(429, "Too Many Requests", "TooManyRequestsException")
}

/// A path as matched against resources: percent-decoded.
fn decode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            url::form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("/")
}
