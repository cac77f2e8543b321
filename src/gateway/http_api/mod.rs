//! HTTP APIs (API Gateway v2), served at
//! `http://127.0.0.1:PORT/httpapis/{api-id}/_user_request_/{path}` (the
//! `$default` stage): native CORS preflights answered before routing,
//! routing by route key ([`routing`]), `AWS_IAM` routes verified as REST
//! methods are (SigV4, service `execute-api`), the stage's route
//! throttling, the Lambda proxy integration with payload format 2.0
//! ([`event`]), the function's resource policy, CORS headers on the
//! integration's answer ([`cors`]), access logs and metrics. HTTP APIs
//! answer their own errors in their own words: 404 `{"message":"Not Found"}`
//! for no route, 403 `{"message":"Forbidden"}`, 429, 500
//! `{"message":"Internal Server Error"}`, 503 `{"message":"Service
//! Unavailable"}` for an integration timeout; every answer carries
//! `apigw-requestid`.

pub mod authorizer;
pub mod cors;
pub mod event;
pub mod model;
pub mod routing;

use serde_json::{json, Value};

use super::authorizer::run::AuthorizerTrace;
use super::integration::{self, HttpReply, LambdaIntegration, LambdaMode};
use super::request::{self, InboundRequest, Peer};
use super::response::GatewayResponse;
use super::wire::WireHeader;
use super::{authorize, jwt, Arrival, Connection, Gateway, Learnt, TargetFacts, USER_REQUEST};
use model::{HttpApi, IntegrationDef, RouteDef, DEFAULT_STAGE};

/// The path prefix of HTTP API URLs.
pub const PREFIX: &str = "httpapis/";

/// Is `raw_path` an HTTP API URL (rather than a REST stage URL)?
pub fn is_http_api_path(raw_path: &str) -> bool {
    raw_path.trim_start_matches('/').starts_with(PREFIX)
}

/// (API id, path as received — `/` when empty) of an HTTP API URL.
pub fn parse_url(raw_path: &str) -> Option<(String, String)> {
    let rest = raw_path.trim_start_matches('/').strip_prefix(PREFIX)?;
    let (api_id, rest) = rest.split_once('/')?;
    let path = rest
        .strip_prefix(USER_REQUEST)
        .filter(|p| p.is_empty() || p.starts_with('/'))?;
    if api_id.is_empty() {
        return None;
    }
    let path = if path.is_empty() { "/" } else { path };
    Some((api_id.to_string(), path.to_string()))
}

/// How an HTTP API answers a refusal: (status, the client's message, the
/// access log's message).
pub fn error_of(refusal: &GatewayResponse) -> (u16, String, String) {
    let fixed = |status: u16, message: &str| (status, message.to_string(), message.to_string());
    match refusal {
        GatewayResponse::ResourceNotFound => fixed(404, "Not Found"),
        GatewayResponse::MissingAuthenticationToken
        | GatewayResponse::InvalidApiKey
        | GatewayResponse::ExplicitDeny
        | GatewayResponse::AccessDenied => fixed(403, "Forbidden"),
        GatewayResponse::InvalidSignature(_)
        | GatewayResponse::IncompleteSignature { .. }
        | GatewayResponse::InvalidSecurityToken
        | GatewayResponse::ExpiredToken => (
            403,
            refusal.message().to_string(),
            refusal.log_message().to_string(),
        ),
        GatewayResponse::Throttled | GatewayResponse::QuotaExceeded => {
            fixed(429, "Too Many Requests")
        }
        GatewayResponse::RequestTooLarge => fixed(413, "Request Entity Too Large"),
        GatewayResponse::IntegrationTimeout => fixed(503, "Service Unavailable"),
        other if other.status() >= 500 => fixed(500, "Internal Server Error"),
        other => (
            other.status(),
            other.message().to_string(),
            other.log_message().to_string(),
        ),
    }
}

/// An HTTP API's error answer: `{"message":"..."}`.
pub fn error_reply(status: u16, message: &str) -> HttpReply {
    HttpReply {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: json!({ "message": message }).to_string().into_bytes(),
    }
}

/// The function an HTTP API integration URI names: a function ARN, or
/// REST's `arn:aws:apigateway:...:lambda:path/.../functions/ARN/invocations`.
fn function_of(
    uri: &str,
    stage_variables: &std::collections::HashMap<String, String>,
) -> Option<(String, String)> {
    if uri.contains("/functions/") {
        return integration::function_of(uri, stage_variables);
    }
    let parts: Vec<&str> = uri.split(':').collect();
    (parts.len() >= 7 && parts[2] == "lambda" && parts[5] == "function").then(|| {
        let name = match parts.get(7) {
            Some(qualifier) if !qualifier.is_empty() => format!("{}:{qualifier}", parts[6]),
            _ => parts[6].to_string(),
        };
        (name, parts[4].to_string())
    })
}

/// The route's Lambda proxy integration (format 2.0); others are not run.
fn resolve<'a>(
    api: &'a HttpApi,
    route: &RouteDef,
) -> Result<(&'a IntegrationDef, String, String), GatewayResponse> {
    let not_run = |what: String| {
        GatewayResponse::misconfigured(format!("HTTP API route {}: {what}", route.key))
    };
    let id = route
        .target
        .as_deref()
        .and_then(|t| t.strip_prefix("integrations/"))
        .ok_or_else(|| not_run("no integration target".into()))?;
    let integration = api
        .integrations
        .get(id)
        .ok_or_else(|| not_run(format!("integration {id} does not exist")))?;
    if integration.kind != "AWS_PROXY" || integration.payload_format != "2.0" {
        return Err(not_run(format!(
            "the local gateway runs Lambda proxy integrations with payload format 2.0 only, not {} {}",
            integration.kind, integration.payload_format
        )));
    }
    let variables = api
        .stage
        .as_ref()
        .map(|s| s.variables.clone())
        .unwrap_or_default();
    let (function, account) = function_of(&integration.uri, &variables)
        .ok_or_else(|| not_run(format!("{} names no Lambda function", integration.uri)))?;
    Ok((integration, function, account))
}

/// `arn:aws:execute-api:REGION:ACCOUNT:API/$default/VERB/PATH` of a route
/// (`.../$default/$default` for the `$default` route).
fn source_arn(region: &str, account: &str, api_id: &str, route_key: &str) -> String {
    let tail = match route_key.split_once(' ') {
        Some((verb, path)) => format!("{verb}/{}", path.trim_start_matches('/')),
        None => route_key.to_string(),
    };
    format!("arn:aws:execute-api:{region}:{account}:{api_id}/{DEFAULT_STAGE}/{tail}")
}

impl Gateway {
    /// Who the caller is by the route's authorization: the access key of
    /// an `AWS_IAM` route, or the claims of a `JWT` route's token
    /// (`requestContext.authorizer`).
    async fn http_api_authorize(
        &self,
        api: &HttpApi,
        matched: &routing::Matched<'_>,
        request: &InboundRequest,
        learnt: &mut Learnt,
        arrival: &Arrival,
    ) -> Result<(Option<String>, Option<Value>), GatewayResponse> {
        let route = matched.route;
        match route.authorization.as_str() {
            "CUSTOM" => {
                let id = route.authorizer_id.as_deref().unwrap_or_default();
                let found = api.authorizers.get(id).filter(|a| a.kind == "REQUEST");
                let Some(authorizer_def) = found else {
                    return Err(GatewayResponse::misconfigured(format!(
                        "HTTP API route {}: no Lambda (REQUEST) authorizer",
                        route.key
                    )));
                };
                let path = learnt
                    .target
                    .as_ref()
                    .map(|t| t.path.clone())
                    .unwrap_or_default();
                let variables = api
                    .stage
                    .as_ref()
                    .map(|s| s.variables.clone())
                    .unwrap_or_default();
                let trace_id = super::proxy::trace_id(request.header("x-amzn-trace-id"));
                let request_event = |account: &str| {
                    event::event(&event::EventFacts {
                        route_key: &route.key,
                        method: &request.method,
                        raw_path: &path,
                        raw_query: request.raw_query.as_deref(),
                        headers: &request.headers,
                        path_parameters: &matched.path_parameters,
                        stage_variables: &variables,
                        body: &[],
                        api_id: &api.id,
                        account,
                        request_id: &arrival.request_id,
                        source_ip: &request.source_ip,
                        port: request.port,
                        trace_id: &trace_id,
                        time: arrival.time,
                        caller: None,
                        authorizer: None,
                    })
                };
                let call = authorizer::Call {
                    api,
                    authorizer_id: id,
                    authorizer: authorizer_def,
                    request,
                    verb: &request.method,
                    path: &path,
                    request_event: &request_event,
                };
                let mut trace = AuthorizerTrace::default();
                let result = self.http_lambda_authorize(&call, &mut trace).await;
                learnt.authorizer = Some(trace);
                Ok((None, Some(result?)))
            }
            "NONE" => Ok((None, None)),
            "AWS_IAM" => authorize::verify_sigv4(request, &self.iam()).map(|c| (Some(c), None)),
            "JWT" => {
                let authorizer = route
                    .authorizer_id
                    .as_ref()
                    .and_then(|id| api.authorizers.get(id))
                    .filter(|a| a.kind == "JWT")
                    .ok_or_else(|| {
                        GatewayResponse::misconfigured(format!(
                            "HTTP API route {}: no JWT authorizer",
                            route.key
                        ))
                    })?;
                let mut trace = AuthorizerTrace {
                    name: authorizer.name.clone(),
                    ..AuthorizerTrace::default()
                };
                let verified = self.verify_jwt(authorizer, route, request).await;
                match &verified {
                    Ok(v) => {
                        trace.principal_id = v
                            .claims
                            .get("sub")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    }
                    Err(refusal) => trace.error = Some(refusal.log_message().to_string()),
                }
                learnt.authorizer = Some(trace);
                let verified = verified?;
                let scopes = match verified.scopes.is_empty() {
                    true => Value::Null,
                    false => json!(verified.scopes),
                };
                Ok((
                    None,
                    Some(json!({"jwt": {"claims": verified.claims, "scopes": scopes}})),
                ))
            }
            other => {
                let message =
                    format!("the local gateway does not run {other} authorizers on HTTP APIs");
                Err(GatewayResponse::ApiConfigurationError {
                    message: None,
                    cause: message,
                })
            }
        }
    }

    /// The route's JWT, verified ([`jwt`]): 401 with AWS's
    /// `www-authenticate`, 403 without a route scope, a 500 when the
    /// issuer's keys cannot be fetched (never let through).
    async fn verify_jwt(
        &self,
        authorizer: &model::AuthorizerDef,
        route: &RouteDef,
        request: &InboundRequest,
    ) -> Result<jwt::Verified, GatewayResponse> {
        let (issuer, audiences) = authorizer.jwt.as_ref().ok_or_else(|| {
            GatewayResponse::misconfigured(format!(
                "JWT authorizer {} has no issuer",
                authorizer.name
            ))
        })?;
        let header = authorizer
            .identity_source
            .first()
            .and_then(|s| s.strip_prefix("$request.header."))
            .unwrap_or("Authorization");
        let refusal = |r: jwt::Refusal| match r {
            jwt::Refusal::Forbidden => GatewayResponse::InsufficientScope,
            jwt::Refusal::KeysUnavailable(cause) => GatewayResponse::AuthorizerFailure { cause },
            unauthorized @ jwt::Refusal::Unauthorized(why) => GatewayResponse::InvalidJwt {
                www_authenticate: jwt::www_authenticate(&unauthorized, &route.scopes)
                    .unwrap_or_default(),
                reason: why.unwrap_or("no token").to_string(),
            },
        };
        let token = jwt::token_of(request.header(header))
            .ok_or_else(|| refusal(jwt::Refusal::Unauthorized(None)))?;
        let (alg, kid) = jwt::header_of(token).map_err(refusal)?;
        let keys_at = self.keys_location(issuer);
        let key = self
            .jwks
            .key(&self.http, &keys_at, kid.as_deref())
            .await
            .map_err(refusal)?;
        let expected = jwt::Expected {
            issuer,
            audiences,
            scopes: &route.scopes,
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        jwt::verify(token, alg, &key, &expected, now).map_err(refusal)
    }

    /// The HTTP API pipeline; the first refusal ends it.
    pub(super) async fn serve_http_api(
        &self,
        req: hyper::Request<hyper::body::Incoming>,
        conn: &Connection,
        wire: Option<Vec<WireHeader>>,
        arrival: &Arrival,
    ) -> (Learnt, Result<HttpReply, GatewayResponse>) {
        let mut learnt = Learnt {
            http_api: true,
            ..Learnt::default()
        };
        let result = async {
            let (api_id, path) =
                parse_url(req.uri().path()).ok_or(GatewayResponse::ResourceNotFound)?;
            let peer = Peer {
                ip: conn.peer.ip(),
                port: conn.port,
            };
            let request = request::read_request(req, peer, wire).await?;
            let loaded = self.model.http_api(&api_id).await.map_err(|e| {
                GatewayResponse::internal(format!("cannot load HTTP API {api_id}: {e}"))
            })?;
            let api = Option::as_ref(&loaded)
                .filter(|a| a.protocol == "HTTP")
                .ok_or(GatewayResponse::ResourceNotFound)?;
            let stage = api
                .stage
                .as_ref()
                .filter(|s| s.deployed)
                .ok_or(GatewayResponse::ResourceNotFound)?;
            learnt.target = Some(TargetFacts {
                api_id: api.id.clone(),
                api_name: api.name.clone(),
                stage: DEFAULT_STAGE.into(),
                method: request.method.clone(),
                path: path.clone(),
                access_log: stage.access_log.clone(),
                user_agent: request.header("user-agent").map(str::to_string),
            });
            if let Some(cors) = api.cors.as_ref().filter(|_| cors::is_preflight(&request)) {
                return Ok(cors::preflight(cors, &request));
            }
            let matched = routing::find(&api.routes, &request.method, &path)
                .ok_or(GatewayResponse::ResourceNotFound)?;
            learnt.route_key = Some(matched.route.key.clone());
            learnt.resource_path = Some(matched.route.key.clone());
            let (caller, authorizer) = self
                .http_api_authorize(api, &matched, &request, &mut learnt, arrival)
                .await?;
            learnt.caller = caller;
            if let Some((rate, burst)) = stage
                .route_throttles
                .get(&matched.route.key)
                .or(stage.default_throttle.as_ref())
            {
                let bucket = format!("http:{}:{}", api.id, matched.route.key);
                self.throttles
                    .take(&bucket, *rate, *burst)
                    .map_err(|_| GatewayResponse::Throttled)?;
            }
            let mut reply = self
                .run_http_integration(
                    api,
                    &matched,
                    &request,
                    authorizer.as_ref(),
                    &mut learnt,
                    arrival,
                )
                .await?;
            if let Some(cors) = &api.cors {
                cors::apply(cors, request.header("origin"), &mut reply);
            }
            Ok(reply)
        }
        .await;
        (learnt, result)
    }

    /// The resource policy, the 2.0 event, the invocation and its reply.
    async fn run_http_integration(
        &self,
        api: &HttpApi,
        matched: &routing::Matched<'_>,
        request: &InboundRequest,
        authorizer: Option<&Value>,
        learnt: &mut Learnt,
        arrival: &Arrival,
    ) -> Result<HttpReply, GatewayResponse> {
        let route = matched.route;
        let (integration, function, account) = resolve(api, route)?;
        let arn = source_arn(&self.region, &account, &api.id, &route.key);
        let policy = self.model.policy(&function).await.map_err(|e| {
            GatewayResponse::internal(format!(
                "cannot read the resource policy of {function}: {e}"
            ))
        })?;
        integration::check_resource_policy(&policy, &function, &arn)?;
        let trace_id = super::proxy::trace_id(request.header("x-amzn-trace-id"));
        let variables = api
            .stage
            .as_ref()
            .map(|s| s.variables.clone())
            .unwrap_or_default();
        let path = learnt
            .target
            .as_ref()
            .map(|t| t.path.clone())
            .unwrap_or_default();
        let facts = event::EventFacts {
            route_key: &route.key,
            method: &request.method,
            raw_path: &path,
            raw_query: request.raw_query.as_deref(),
            headers: &request.headers,
            path_parameters: &matched.path_parameters,
            stage_variables: &variables,
            body: &request.body,
            api_id: &api.id,
            account: &account,
            request_id: &arrival.request_id,
            source_ip: &request.source_ip,
            port: request.port,
            trace_id: &trace_id,
            time: arrival.time,
            caller: learnt.caller.as_deref(),
            authorizer,
        };
        let payload = event::event(&facts).to_string().into_bytes();
        if payload.len() > integration::MAX_EVENT {
            return Err(GatewayResponse::RequestTooLarge);
        }
        let lambda = LambdaIntegration {
            mode: LambdaMode::Proxy,
            function,
            account,
            timeout: integration.timeout,
            responses: &[],
        };
        let (invocation, invoked) = self.invoke(&lambda, payload).await;
        learnt.invocation = Some(invocation);
        let invoked = invoked?;
        let failed =
            |why: String| GatewayResponse::internal(format!("{why} (HTTP API {})", api.id));
        if invoked.function_error {
            return Err(failed(format!("{} failed", lambda.function)));
        }
        if invoked.payload.len() > integration::MAX_FUNCTION_REPLY {
            return Err(failed(format!(
                "{} answered over Lambda's limit",
                lambda.function
            )));
        }
        event::reply(&invoked.payload).map_err(|bad| {
            failed(format!(
                "malformed 2.0 response from {} ({})",
                lambda.function, bad.0
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_errors_and_arns() {
        assert_eq!(
            parse_url("/httpapis/abc/_user_request_/items/t/1"),
            Some(("abc".into(), "/items/t/1".into()))
        );
        assert_eq!(
            parse_url("/httpapis/abc/_user_request_"),
            Some(("abc".into(), "/".into()))
        );
        assert_eq!(parse_url("/httpapis/abc/crud"), None);
        assert!(is_http_api_path("//httpapis/x") && !is_http_api_path("/restapis/x"));
        let reply = |r: &GatewayResponse| {
            let (status, message, _) = error_of(r);
            let reply = error_reply(status, &message);
            (reply.status, String::from_utf8(reply.body).unwrap())
        };
        assert_eq!(
            reply(&GatewayResponse::ResourceNotFound),
            (404, r#"{"message":"Not Found"}"#.into())
        );
        assert_eq!(
            reply(&GatewayResponse::MissingAuthenticationToken),
            (403, r#"{"message":"Forbidden"}"#.into())
        );
        assert_eq!(
            reply(&GatewayResponse::Throttled),
            (429, r#"{"message":"Too Many Requests"}"#.into())
        );
        assert_eq!(
            reply(&GatewayResponse::IntegrationTimeout),
            (503, r#"{"message":"Service Unavailable"}"#.into())
        );
        assert_eq!(
            reply(&GatewayResponse::internal("x")),
            (500, r#"{"message":"Internal Server Error"}"#.into())
        );
        assert_eq!(
            source_arn("us-east-1", "1", "abc", "GET /items/{table}"),
            "arn:aws:execute-api:us-east-1:1:abc/$default/GET/items/{table}"
        );
        assert_eq!(
            function_of(
                "arn:aws:lambda:us-east-1:123:function:scrud-x",
                &Default::default()
            ),
            Some(("scrud-x".into(), "123".into()))
        );
    }
}
