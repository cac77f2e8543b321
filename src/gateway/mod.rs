//! The local API Gateway data plane: serves every REST API of the local
//! moto at `http://127.0.0.1:PORT/restapis/{id}/{stage}/_user_request_/{path}`
//! (LocalStack's URL form), enforcing what the control plane configured —
//! routing, `AWS_IAM` (SigV4), API keys with usage plans, stage throttling,
//! the function's resource policy — and running `AWS_PROXY` and `AWS`
//! (passthrough) Lambda integrations through the Lambda emulator, and `MOCK`
//! integrations ([`mock`], templates in the [`vtl`] subset); refusals follow
//! the API's configured gateway responses. HTTP APIs (v2) are served at
//! `/httpapis/{id}/_user_request_/{path}` ([`http_api`]).
//!
//! A request flows through stages, each a function of its own input and
//! output: parse the stage URL ([`request`]) → load the API model
//! ([`model`]) → route ([`routing`]) → authorize ([`authorize`]) → meter
//! ([`meter`]) → resource policy, integration request ([`integration`]) →
//! invoke ([`invoke`]) → map the reply ([`integration::map_reply`],
//! [`proxy`]). A refusal is a [`response::GatewayResponse`]. The access-log
//! trace is built from what the stages returned ([`Learnt`]). Header names
//! reach the stages in the client's spelling ([`wire`]); the connections
//! are bounded in number and time ([`server`]); a runtime worker that dies
//! mid-invocation is answered for at once ([`watch`]).
//!
//! It runs as a process of the local stack (`local up` starts it as
//! `serverless-crud local gateway`).

pub mod authorize;
pub mod authorizer;
pub mod http_api;
pub mod integration;
pub mod invoke;
pub mod jwt;
pub mod keys;
pub mod mapping;
pub mod meter;
pub mod mock;
pub mod model;
pub mod proxy;
pub mod request;
pub mod response;
pub mod routing;
mod server;
pub mod sigv4;
pub mod telemetry;
pub mod throttle;
pub mod vtl;
pub mod watch;
pub mod wire;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::{Request, Response};

use crate::error::AppError;
use crate::local::LocalState;
use authorize::{ApiKeyGrant, IamVerifier};
use integration::{HttpReply, LambdaIntegration, RequestFacts};
use invoke::{Emulator, Invoked};
use mapping::RequestParams;
use model::{Api, Method};
use request::{InboundRequest, Peer, StageUrl};
use response::GatewayResponse;
use routing::{Route, Target};
use telemetry::{Telemetry, Trace};
use throttle::Throttles;
use wire::{HeadReader, WireHeader};

/// The path prefix of stage URLs.
pub const USER_REQUEST: &str = "_user_request_";

/// The file (in the local stack's dir, owner-only) holding the secret that
/// `POST /_gateway/refresh` must present in [`TOKEN_HEADER`].
pub const TOKEN_FILE: &str = "gateway.token";
/// The header carrying that secret.
pub const TOKEN_HEADER: &str = "x-scrud-gateway-token";

/// The stage URL of `path` on a gateway at `endpoint`.
pub fn invoke_url(endpoint: &str, api_id: &str, stage: &str, path: &str) -> String {
    format!(
        "{endpoint}/restapis/{api_id}/{stage}/{USER_REQUEST}/{}",
        path.trim_start_matches('/')
    )
}

/// The URL of `path` on an HTTP API's `$default` stage, on a gateway at
/// `endpoint` (on AWS: `https://ID.execute-api.REGION.amazonaws.com/PATH`).
pub fn http_invoke_url(endpoint: &str, api_id: &str, path: &str) -> String {
    format!(
        "{endpoint}/httpapis/{api_id}/{USER_REQUEST}/{}",
        path.trim_start_matches('/')
    )
}

struct Gateway {
    region: String,
    /// Access key -> secret: the local stack's credentials.
    credentials: HashMap<String, String>,
    model: model::Model,
    throttles: Throttles,
    emulator: Emulator,
    telemetry: Telemetry,
    /// What `POST /_gateway/refresh` must present ([`TOKEN_FILE`]).
    refresh_token: String,
    /// Lambda authorizers' replies, by identity.
    authorizer_cache: authorizer::cache::ResultCache,
    /// JWT issuers' keys, and the client that fetches them.
    jwks: jwt::Jwks,
    http: reqwest::Client,
    /// The local stack's OIDC issuer (served under `/_issuer`).
    issuer: Option<crate::local::issuer::Issuer>,
    /// The local moto, which serves Cognito user pools and their keys.
    moto: String,
    /// Canary shares and alias weights (seeded with `local up --seed`).
    rng: Mutex<rand::rngs::StdRng>,
}

/// One client connection, as the stages see it.
pub(crate) struct Connection {
    pub peer: SocketAddr,
    /// The gateway's port.
    pub port: u16,
    /// The connection's request heads as sent ([`wire`]).
    pub heads: Arc<Mutex<HeadReader>>,
}

/// The refresh token of the local stack in `dir` (written by `local up`).
fn read_token(dir: &std::path::Path) -> Result<String, AppError> {
    let path = dir.join(TOKEN_FILE);
    std::fs::read_to_string(&path)
        .map(|t| t.trim().to_string())
        .map_err(|e| AppError::io("read", &path, e))
}

/// Runs the gateway on `port` until SIGTERM or SIGINT, then stops
/// gracefully (see [`server::run`]).
pub async fn serve(port: u16) -> Result<(), AppError> {
    let local = LocalState::load()?.ok_or_else(|| {
        AppError::environment("no local stack is recorded; the gateway runs inside `local up`")
    })?;
    let sdk = local.sdk_config();
    let control = keys::ControlPlane {
        endpoint: local.moto.endpoint.clone(),
        region: local.region.clone(),
        access_key: "test".into(),
        secret: "test".into(),
        http: reqwest::Client::new(),
    };
    let gateway = Arc::new(Gateway {
        region: local.region.clone(),
        credentials: HashMap::from([("test".to_string(), "test".to_string())]),
        model: model::Model::new(
            aws_sdk_apigateway::Client::new(&sdk),
            aws_sdk_apigatewayv2::Client::new(&sdk),
            aws_sdk_lambda::Client::new(&sdk),
            control,
        ),
        throttles: Throttles::default(),
        emulator: Emulator::new(local.lambda.endpoint.clone(), local.routes())?,
        telemetry: Telemetry::start(
            aws_sdk_cloudwatchlogs::Client::new(&sdk),
            aws_sdk_cloudwatch::Client::new(&sdk),
            std::env::var("SCRUD_TELEMETRY").as_deref() != Ok("off"),
        ),
        refresh_token: read_token(&local.dir)?,
        authorizer_cache: Default::default(),
        jwks: Default::default(),
        http: reqwest::Client::new(),
        issuer: crate::local::issuer::Issuer::load_or_create(&local.dir)
            .inspect_err(|e| crate::output::stderr_line(&format!("the local issuer is off: {e}")))
            .ok(),
        moto: local.moto.endpoint.clone(),
        rng: Mutex::new(match local.seed {
            Some(seed) => rand::SeedableRng::seed_from_u64(seed),
            None => rand::SeedableRng::from_entropy(),
        }),
    });
    tokio::spawn(watch::watch_workers(local.dir.join("functions")));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| {
            AppError::environment(format!("the gateway cannot listen on port {port}: {e}"))
        })?;
    crate::output::stderr_line(&format!("local API gateway listening on 127.0.0.1:{port}"));
    server::run(listener, gateway).await;
    Ok(())
}

/// The answer on the wire (`keep_alive`: say so, as AWS does, unless the
/// client asked to close); an HTTP API's with `apigw-requestid` instead
/// of REST's `x-amzn-RequestId` and `x-amz-apigw-id`.
fn to_response(
    reply: HttpReply,
    request_id: &str,
    keep_alive: bool,
    http_api: bool,
) -> Response<Full<Bytes>> {
    let mut builder = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if keep_alive {
        builder = builder.header("Connection", "keep-alive");
    }
    builder = match http_api {
        true => builder.header("apigw-requestid", &request_id[..8]),
        false => builder
            .header("x-amzn-RequestId", request_id)
            .header("x-amz-apigw-id", &request_id[..8]),
    };
    builder
        .body(Full::new(Bytes::from(reply.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::from_static(b"{}"))))
}

/// What the stages learnt about a request, as far as it got: the
/// access log's and metrics' fields.
#[derive(Default)]
struct Learnt {
    /// Known once the API and stage are.
    target: Option<TargetFacts>,
    resource_path: Option<String>,
    caller: Option<String>,
    api_key_id: Option<String>,
    invocation: Option<Invocation>,
    /// The API, once loaded: its gateway responses answer refusals.
    api: Option<Arc<Option<Api>>>,
    /// The method request's parameters, as far as they are known.
    params: RequestParams,
    /// An HTTP API's request, and the route that served it.
    http_api: bool,
    route_key: Option<String>,
    /// What the method's Lambda authorizer did.
    authorizer: Option<authorizer::run::AuthorizerTrace>,
}

struct TargetFacts {
    api_id: String,
    api_name: String,
    stage: String,
    method: String,
    path: String,
    access_log: Option<(String, String)>,
    user_agent: Option<String>,
}

impl TargetFacts {
    fn of(target: &Target<'_>, request: &InboundRequest, url: &StageUrl) -> TargetFacts {
        TargetFacts {
            api_id: target.api.id.clone(),
            api_name: target.api.name.clone(),
            stage: target.stage_name.to_string(),
            method: request.method.clone(),
            path: url.path.clone(),
            access_log: target.stage.access_log.clone(),
            user_agent: request.header("user-agent").map(str::to_string),
        }
    }
}

/// The function's invocation, as far as it went.
struct Invocation {
    request_id: String,
    latency_ms: f64,
    /// None: the invocation itself failed.
    status: Option<u16>,
}

/// Where and when a request came in.
struct Arrival {
    request_id: String,
    peer: SocketAddr,
    time: chrono::DateTime<chrono::Utc>,
    started: Instant,
}

impl Learnt {
    /// The answer to a refusal: as the API's gateway responses configure
    /// it, when the API is known; and what of them is not emulated.
    fn refusal_reply(&self, refusal: &GatewayResponse) -> (HttpReply, Option<String>) {
        match self.api.as_deref() {
            Some(Some(api)) => refusal.respond_for(&api.gateway_responses, &self.params),
            _ => (refusal.respond(None), None),
        }
    }

    /// The access-log trace: the one place it is built.
    fn into_trace(
        self,
        arrival: Arrival,
        reply: &HttpReply,
        error_message: Option<String>,
    ) -> Trace {
        let target = self.target;
        let field = |f: fn(&TargetFacts) -> &String| target.as_ref().map(f).cloned();
        Trace {
            request_id: arrival.request_id,
            api_id: field(|t| &t.api_id).unwrap_or_default(),
            api_name: field(|t| &t.api_name).unwrap_or_default(),
            stage: field(|t| &t.stage).unwrap_or_default(),
            method: field(|t| &t.method).unwrap_or_default(),
            resource_path: self.resource_path.unwrap_or_default(),
            path: field(|t| &t.path).unwrap_or_default(),
            source_ip: arrival.peer.ip().to_string(),
            caller: self.caller,
            user_agent: target.as_ref().and_then(|t| t.user_agent.clone()),
            api_key_id: self.api_key_id,
            status: reply.status,
            response_length: reply.body.len(),
            latency_ms: arrival.started.elapsed().as_secs_f64() * 1000.0,
            integration_request_id: self.invocation.as_ref().map(|i| i.request_id.clone()),
            integration_latency_ms: self.invocation.as_ref().map(|i| i.latency_ms),
            integration_status: self.invocation.as_ref().and_then(|i| i.status),
            error_message,
            access_log: target.and_then(|t| t.access_log),
            time: arrival.time,
            http_api: self.http_api,
            route_key: self.route_key,
            authorizer: self.authorizer,
        }
    }
}

/// A request that passed authorization and metering, as the integration
/// request is built from it.
struct Admitted<'a> {
    /// The event's `path` and `requestContext.path` ([`StageUrl`]).
    paths: (&'a str, &'a str),
    request: &'a InboundRequest,
    target: Target<'a>,
    route: &'a Route<'a>,
    caller: Option<&'a str>,
    api_key: Option<&'a ApiKeyGrant>,
    /// `requestContext.authorizer`, from a Lambda authorizer.
    authorizer: Option<&'a serde_json::Value>,
    trace_id: &'a str,
    time: chrono::DateTime<chrono::Utc>,
}

impl<'a> Admitted<'a> {
    fn facts(&self, account: &'a str, request_id: &'a str) -> RequestFacts<'a> {
        RequestFacts {
            resource_path: &self.route.resource.path,
            path: self.paths.0,
            context_path: self.paths.1,
            method: &self.request.method,
            headers: &self.request.headers,
            query: self.request.raw_query.as_deref(),
            path_parameters: &self.route.path_parameters,
            stage_variables: &self.target.stage.variables,
            body: &self.request.body,
            api_id: &self.target.api.id,
            resource_id: &self.route.resource.id,
            stage: self.target.stage_name,
            deployment_id: &self.target.stage.deployment_id,
            request_id,
            account,
            source_ip: &self.request.source_ip,
            port: self.request.port,
            trace_id: self.trace_id,
            time: self.time,
            api_key: self.api_key.map(|k| (k.value.as_str(), k.id.as_str())),
            caller_access_key: self.caller,
            authorizer: self.authorizer,
        }
    }
}

impl Gateway {
    async fn handle(&self, req: Request<Incoming>, conn: &Connection) -> Response<Full<Bytes>> {
        let id = crate::transport::lambda::new_request_id();
        // Every request takes its head off the connection's queue, in order.
        let wire = conn.heads.lock().ok().and_then(|mut heads| heads.pop());
        let keep_alive = req.version() == hyper::Version::HTTP_11
            && !req
                .headers()
                .get_all(hyper::header::CONNECTION)
                .iter()
                .any(|v| {
                    v.to_str()
                        .is_ok_and(|v| v.to_ascii_lowercase().contains("close"))
                });
        if req.uri().path().starts_with("/_gateway/") {
            return to_response(self.admin(&req), &id, keep_alive, false);
        }
        if let Some(rest) = req.uri().path().strip_prefix(crate::local::issuer::PATH) {
            return to_response(self.issuer_document(rest, conn.port), &id, keep_alive, true);
        }
        let arrival = Arrival {
            request_id: id.clone(),
            peer: conn.peer,
            started: Instant::now(),
            time: chrono::Utc::now(),
        };
        let http = http_api::is_http_api_path(req.uri().path());
        let (learnt, result) = match http {
            true => self.serve_http_api(req, conn, wire, &arrival).await,
            false => self.serve_request(req, conn, wire, &arrival).await,
        };
        let (reply, error_message) = match result {
            Ok(reply) => (reply, None),
            Err(refusal) if http => {
                log_refusal(&id, &refusal, None);
                let (status, message, logged) = http_api::error_of(&refusal);
                let mut reply = http_api::error_reply(status, &message);
                if let GatewayResponse::InvalidJwt {
                    www_authenticate, ..
                } = &refusal
                {
                    reply
                        .headers
                        .push(("www-authenticate".into(), www_authenticate.clone()));
                }
                (reply, Some(logged))
            }
            Err(refusal) => {
                let (reply, unsupported) = learnt.refusal_reply(&refusal);
                log_refusal(&id, &refusal, unsupported.as_deref());
                (reply, Some(refusal.log_message().to_string()))
            }
        };
        let trace = learnt.into_trace(arrival, &reply, error_message);
        if !trace.stage.is_empty() {
            self.telemetry.record(trace);
        }
        to_response(reply, &id, keep_alive, http)
    }

    /// The local issuer's discovery document and JWKS.
    fn issuer_document(&self, rest: &str, port: u16) -> HttpReply {
        let url = crate::local::issuer::url(&format!("http://127.0.0.1:{port}"));
        let document = match (&self.issuer, rest) {
            (Some(_), "/.well-known/openid-configuration") => crate::local::issuer::discovery(&url),
            (Some(issuer), "/.well-known/jwks.json") => issuer.jwks(),
            _ => return http_api::error_reply(404, "Not Found"),
        };
        HttpReply {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: document.to_string().into_bytes(),
        }
    }

    /// Where an issuer's keys are: by OIDC discovery, except a Cognito user
    /// pool's, which the local moto serves (without a discovery document) at
    /// the `jwks_uri` Cognito's discovery gives, `{issuer}/.well-known/jwks.json`.
    fn keys_location(&self, issuer: &str) -> jwt::KeysAt {
        match crate::stack::cognito::pool_of_issuer(issuer) {
            Some((region, pool)) if region == self.region => jwt::KeysAt::Jwks(format!(
                "{}/{pool}/.well-known/jwks.json",
                self.moto.trim_end_matches('/')
            )),
            _ => jwt::KeysAt::Discovery(issuer.to_string()),
        }
    }

    /// `POST /_gateway/refresh` with the local stack's token (header
    /// [`TOKEN_HEADER`]) drops the cached control plane; anything else
    /// under `/_gateway/` is answered as any unknown path is.
    fn admin(&self, req: &Request<Incoming>) -> HttpReply {
        let token = req
            .headers()
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let authorized = req.method() == hyper::Method::POST
            && req.uri().path() == "/_gateway/refresh"
            && !self.refresh_token.is_empty()
            && same_secret(token, &self.refresh_token);
        if !authorized {
            return GatewayResponse::MissingAuthenticationToken.respond(None);
        }
        // The authorizer cache stays: it is keyed by the stage's deployment,
        // and other stacks' setups refresh the gateway too.
        self.model.clear();
        if let Ok(Some(local)) = LocalState::load() {
            self.emulator.set_routes(local.routes());
        }
        HttpReply {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: br#"{"refreshed":true}"#.to_vec(),
        }
    }

    /// The pipeline: each stage's result is recorded in what it learnt,
    /// the first refusal ends it.
    async fn serve_request(
        &self,
        req: Request<Incoming>,
        conn: &Connection,
        wire: Option<Vec<WireHeader>>,
        arrival: &Arrival,
    ) -> (Learnt, Result<HttpReply, GatewayResponse>) {
        let mut learnt = Learnt::default();
        let result = async {
            let url = request::parse_stage_url(req.uri().path())?;
            let peer = Peer {
                ip: conn.peer.ip(),
                port: conn.port,
            };
            let request = request::read_request(req, peer, wire).await?;
            learnt.params.headers.clone_from(&request.headers);
            learnt.params.raw_query.clone_from(&request.raw_query);
            let api = self.load_api(&url.api_id).await?;
            let found = routing::find_stage(api.as_ref().as_ref(), &url.stage)?;
            // A canary takes its share of the stage's requests.
            let canary = found
                .stage
                .canary
                .as_ref()
                .filter(|c| self.roll() * 100.0 < c.percent)
                .map(|c| found.stage.canary_side(c));
            let target = routing::Target {
                stage: canary.as_ref().unwrap_or(found.stage),
                ..found
            };
            // A deployed stage's answers follow the API's gateway responses.
            learnt.api = Some(api.clone());
            learnt.target = Some(TargetFacts::of(&target, &request, &url));
            learnt
                .params
                .stage_variables
                .clone_from(&target.stage.variables);
            let route = routing::route(target.api, &request.method, &url.path)?;
            learnt.resource_path = Some(route.resource.path.clone());
            learnt.params.path.clone_from(&route.path_parameters);
            let trace_id = proxy::trace_id(request.header("x-amzn-trace-id"));
            let (path, context_path) = (url.resource_side_path(), url.context_path());
            let mut admitted = Admitted {
                paths: (&path, &context_path),
                request: &request,
                target,
                route: &route,
                caller: None,
                api_key: None,
                authorizer: None,
                trace_id: &trace_id,
                time: arrival.time,
            };
            let (caller, authorized) = self
                .authorize(&admitted, &arrival.request_id, &url.path, &mut learnt)
                .await?;
            learnt.caller.clone_from(&caller);
            let usage_key = authorized.as_ref().and_then(|a| a.usage_key.as_deref());
            let api_key = self
                .api_key(route.method, &request, &admitted.target, usage_key)
                .await?;
            if let Some(grant) = &api_key {
                meter::meter_usage_plan(&self.throttles, grant)?;
            }
            learnt.api_key_id = api_key.as_ref().map(|k| k.id.clone());
            meter::meter_stage(
                &self.throttles,
                &admitted.target,
                &route.resource.path,
                &request.method,
            )?;
            if let Some(mock) = route
                .method
                .integration
                .as_ref()
                .and_then(|i| i.mock.as_ref())
            {
                return mock::answer(mock, &learnt.params);
            }
            let lambda = integration::resolve_lambda(route.method, admitted.target.stage)?;
            self.check_resource_policy(&lambda, &admitted.target, &route, &request.method)
                .await?;
            admitted.caller = caller.as_deref();
            admitted.api_key = api_key.as_ref();
            admitted.authorizer = authorized.as_ref().map(|a| &a.context);
            let target = &admitted.target;
            let payload = integration::integration_request(
                &lambda,
                &admitted.facts(&lambda.account, &arrival.request_id),
            );
            // Lambda refuses a synchronous request over 6 MiB; API Gateway
            // answers 413 "Request Too Long" (see GatewayResponse::RequestTooLarge).
            if payload.len() > integration::MAX_EVENT {
                return Err(GatewayResponse::RequestTooLarge);
            }
            let (invocation, invoked) = self.invoke(&lambda, payload).await;
            learnt.invocation = Some(invocation);
            let decode =
                proxy::binary_accepted(request.header("accept"), &target.api.binary_media_types);
            let mut reply = integration::map_reply(&lambda, &invoked?, decode)?;
            // Integration replies carry the trace id; gateway errors do not
            // (test_apigateway_common.snapshot.json, test_invocation_trace_id).
            reply.headers.push(("X-Amzn-Trace-Id".into(), trace_id));
            Ok(reply)
        }
        .await;
        (learnt, result)
    }

    /// The REST API `id` (None: no such API).
    async fn load_api(&self, id: &str) -> Result<Arc<Option<Api>>, GatewayResponse> {
        self.model
            .api(id)
            .await
            .map_err(|e| GatewayResponse::internal(format!("cannot load REST API {id}: {e}")))
    }

    fn iam(&self) -> IamVerifier<'_> {
        IamVerifier {
            region: &self.region,
            credentials: &self.credentials,
            now: SystemTime::now(),
        }
    }

    /// The caller's identity by the method's authorization: the access key
    /// of `AWS_IAM`, or what a Lambda authorizer granted.
    async fn authorize(
        &self,
        admitted: &Admitted<'_>,
        request_id: &str,
        requested_path: &str,
        learnt: &mut Learnt,
    ) -> Result<(Option<String>, Option<authorizer::run::Authorized>), GatewayResponse> {
        let method = admitted.route.method;
        if method.authorization == model::Authorization::CognitoUserPools {
            let mut trace = authorizer::run::AuthorizerTrace::default();
            let header = |name: &str| admitted.request.header(name).map(str::to_string);
            let result = self
                .user_pool_authorize(admitted.target.api, method, &header, &mut trace)
                .await;
            learnt.authorizer = Some(trace);
            return Ok((None, Some(result?)));
        }
        if method.authorization != model::Authorization::Custom {
            let caller = authorize::authorize_caller(method, admitted.request, &self.iam())?;
            return Ok((caller, None));
        }
        let request = admitted.request;
        let target = &admitted.target;
        // The account the REQUEST event names: the authorizer function's.
        let account = method
            .authorizer_id
            .as_ref()
            .and_then(|id| target.api.authorizers.get(id))
            .and_then(|a| integration::function_of(&a.uri, &target.stage.variables))
            .map(|(_, account)| account)
            .unwrap_or_default();
        let proxy_event = || proxy::proxy_event(&admitted.facts(&account, request_id));
        let call = authorizer::run::AuthorizerCall {
            api: target.api,
            method,
            stage: target.stage_name,
            deployment: &target.stage.deployment_id,
            stage_variables: &target.stage.variables,
            verb: &request.method,
            path: requested_path,
            presented: authorizer::Presented {
                headers: &request.headers,
                query: request.raw_query.as_deref(),
                stage_variables: &target.stage.variables,
                request_id,
            },
            proxy_event: &proxy_event,
        };
        let mut trace = authorizer::run::AuthorizerTrace::default();
        let result = self.lambda_authorize(&call, &mut trace).await;
        learnt.caller = trace.principal_id.clone();
        learnt.authorizer = Some(trace);
        Ok((None, Some(result?)))
    }

    /// The method's API key grant, when it requires one: the `x-api-key`
    /// header, or the authorizer's `usageIdentifierKey` when the API's key
    /// source is AUTHORIZER.
    async fn api_key(
        &self,
        method: &Method,
        request: &InboundRequest,
        target: &Target<'_>,
        usage_key: Option<&str>,
    ) -> Result<Option<ApiKeyGrant>, GatewayResponse> {
        if !method.api_key_required {
            return Ok(None);
        }
        let value = match target.api.key_from_authorizer {
            true => usage_key.ok_or(GatewayResponse::InvalidApiKey)?,
            false => authorize::presented_api_key(request)?,
        };
        let keys = self
            .model
            .keys()
            .await
            .map_err(|e| GatewayResponse::internal(format!("cannot load API keys: {e}")))?;
        authorize::grant_api_key(value, &keys, &target.api.id, target.stage_name).map(Some)
    }

    async fn check_resource_policy(
        &self,
        lambda: &LambdaIntegration<'_>,
        target: &Target<'_>,
        route: &Route<'_>,
        verb: &str,
    ) -> Result<(), GatewayResponse> {
        let source_arn = integration::source_arn(
            &self.region,
            &lambda.account,
            target,
            verb,
            &route.resource.path,
        );
        let policy = self.model.policy(&lambda.function).await.map_err(|e| {
            GatewayResponse::internal(format!(
                "cannot read the resource policy of {}: {e}",
                lambda.function
            ))
        })?;
        integration::check_resource_policy(&policy, &lambda.function, &source_arn)
    }

    /// A uniform draw in [0, 1) for a random split.
    fn roll(&self) -> f64 {
        rand::Rng::gen(&mut *self.rng.lock().unwrap())
    }

    /// What runs `function` locally: `NAME` (`$LATEST`), `NAME:VERSION`, or
    /// for an alias the version its weights pick for this invocation.
    async fn runtime_of(&self, function: &str) -> Result<String, GatewayResponse> {
        let Some((_, qualifier)) = function.split_once(':') else {
            return Ok(function.to_string());
        };
        if crate::stack::release::is_version(qualifier) {
            return Ok(crate::stack::release::local_runtime(function, None, 0.0));
        }
        let alias = self.model.alias(function).await.map_err(|e| {
            GatewayResponse::internal(format!("cannot read the alias {function}: {e}"))
        })?;
        let alias = Option::as_ref(&alias).ok_or_else(|| GatewayResponse::IntegrationFailure {
            cause: format!("the function {function} does not exist (no such alias)"),
        })?;
        let roll = self.roll();
        Ok(crate::stack::release::local_runtime(
            function,
            Some(alias),
            roll,
        ))
    }

    /// Invokes the function under a new request id, timing it.
    async fn invoke(
        &self,
        lambda: &LambdaIntegration<'_>,
        payload: Vec<u8>,
    ) -> (Invocation, Result<Invoked, GatewayResponse>) {
        let request_id = crate::transport::lambda::new_request_id();
        let started = Instant::now();
        let runtime = match self.runtime_of(&lambda.function).await {
            Ok(runtime) => runtime,
            Err(refusal) => {
                let invocation = Invocation {
                    request_id,
                    latency_ms: 0.0,
                    status: None,
                };
                return (invocation, Err(refusal));
            }
        };
        let invoked = self
            .emulator
            .invoke(&runtime, payload, lambda.timeout, &request_id)
            .await;
        let invocation = Invocation {
            request_id,
            latency_ms: started.elapsed().as_secs_f64() * 1000.0,
            status: invoked.as_ref().ok().map(Invoked::integration_status),
        };
        (invocation, invoked)
    }
}

/// Constant-time comparison of a presented secret.
fn same_secret(presented: &str, secret: &str) -> bool {
    presented.len() == secret.len()
        && presented
            .bytes()
            .zip(secret.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// The gateway's own failures go to its log (stderr) with their cause;
/// client refusals do not (their messages may quote signed headers).
fn log_refusal(request_id: &str, refusal: &GatewayResponse, unsupported: Option<&str>) {
    if let Some(why) = unsupported {
        crate::output::stderr_line(&format!(
            "request {request_id}: 500 instead of {} {}: the API's gateway response: {why}",
            refusal.status(),
            refusal.response_type()
        ));
        return;
    }
    if refusal.status() < 500 {
        return;
    }
    crate::output::stderr_line(&format!(
        "request {request_id}: {} {}: {}",
        refusal.status(),
        refusal.response_type(),
        refusal.cause().unwrap_or(refusal.message())
    ));
}
