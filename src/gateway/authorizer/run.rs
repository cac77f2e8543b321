//! The gateway running a method's Lambda authorizer: identity, cache,
//! permission, invocation, policy.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{cache, Grant, Presented};
use crate::gateway::integration;
use crate::gateway::model::{Api, Authorizer, AuthorizerKind, Method};
use crate::gateway::response::GatewayResponse;
use crate::gateway::Gateway;

/// How long API Gateway waits for an authorizer.
const AUTHORIZER_TIMEOUT: Duration = Duration::from_secs(29);

/// What the authorizer did, for the access log and the gateway's log
/// (never the token).
#[derive(Debug, Clone, Default)]
pub struct AuthorizerTrace {
    pub name: String,
    pub principal_id: Option<String>,
    /// The invocation's status (None: not invoked).
    pub status: Option<u16>,
    /// The invocation's latency (0 on a cache hit, as on AWS).
    pub latency_ms: f64,
    pub cached: bool,
    /// Why the request was refused.
    pub error: Option<String>,
}

impl AuthorizerTrace {
    /// "authorizer scrud-shop (cache hit, principal ana): why".
    pub fn describe(&self) -> String {
        let mut facts = vec![match (self.cached, self.status) {
            (true, _) => "cache hit".to_string(),
            (false, Some(_)) => format!("invoked in {:.1} ms", self.latency_ms),
            (false, None) => "not invoked".to_string(),
        }];
        if let Some(p) = &self.principal_id {
            facts.push(format!("principal {p}"));
        }
        let why = self.error.as_deref().unwrap_or("allowed");
        format!("authorizer {} ({}): {why}", self.name, facts.join(", "))
    }
}

/// A request the authorizer let through.
pub struct Authorized {
    /// `requestContext.authorizer` of the integration's event.
    pub context: Value,
    /// `usageIdentifierKey`: the API key when the API's key source is AUTHORIZER.
    pub usage_key: Option<String>,
}

/// What the authorizer is run for.
pub struct AuthorizerCall<'a> {
    pub api: &'a Api,
    pub method: &'a Method,
    pub stage: &'a str,
    /// The deployment the stage serves: a new one starts an empty cache.
    pub deployment: &'a str,
    pub stage_variables: &'a HashMap<String, String>,
    pub verb: &'a str,
    /// The path as requested (the method ARN's last part).
    pub path: &'a str,
    pub presented: Presented<'a>,
    /// The request's proxy event (a REQUEST authorizer's event is built from it).
    pub proxy_event: &'a (dyn Fn() -> Value + Sync),
}

impl Gateway {
    pub(in crate::gateway) async fn lambda_authorize(
        &self,
        call: &AuthorizerCall<'_>,
        trace: &mut AuthorizerTrace,
    ) -> Result<Authorized, GatewayResponse> {
        let authorizer = call
            .method
            .authorizer_id
            .as_ref()
            .and_then(|id| call.api.authorizers.get(id))
            .ok_or_else(|| GatewayResponse::AuthorizerConfigurationError {
                cause: "the method's authorizer does not exist".into(),
            })?;
        trace.name.clone_from(&authorizer.name);
        if !matches!(
            authorizer.kind,
            AuthorizerKind::Token | AuthorizerKind::Request
        ) {
            let message = format!(
                "the local gateway does not run {:?} authorizers on REST APIs",
                authorizer.kind
            );
            return Err(GatewayResponse::ApiConfigurationError {
                message: Some(message.clone()),
                cause: message,
            });
        }
        let identity = super::identity(authorizer, &call.presented).inspect_err(|_| {
            trace.error = Some(format!(
                "the identity source ({}) is missing, empty or fails the validation expression",
                authorizer.identity_source
            ));
        })?;
        let (function, account) = integration::function_of(&authorizer.uri, call.stage_variables)
            .ok_or_else(|| GatewayResponse::AuthorizerConfigurationError {
            cause: format!(
                "the authorizer URI {} names no Lambda function",
                authorizer.uri
            ),
        })?;
        let arn = super::method_arn(
            &self.region,
            &account,
            &call.api.id,
            call.stage,
            call.verb,
            call.path,
        );
        // No identity sources: nothing to key a cached reply by. A new
        // deployment of the stage starts with an empty cache.
        let stage = format!("{}@{}", call.stage, call.deployment);
        let key = (!identity.is_empty())
            .then(|| cache::key(&call.api.id, &stage, &authorizer.id, &identity));
        let cached = key
            .as_ref()
            .and_then(|k| self.authorizer_cache.get(k, authorizer.ttl));
        let grant = match cached {
            Some(grant) => {
                trace.cached = true;
                grant
            }
            None => {
                let target = (authorizer, function.as_str(), account.as_str());
                let grant = Arc::new(
                    self.invoke_authorizer(target, &identity, &arn, call, trace)
                        .await?,
                );
                if let Some(key) = key {
                    self.authorizer_cache
                        .put(key, authorizer.ttl, grant.clone());
                }
                grant
            }
        };
        trace.principal_id = Some(grant.principal_id.clone());
        super::admit(&grant, &arn).map_err(|(refusal, why)| {
            trace.error = Some(why);
            refusal
        })?;
        Ok(Authorized {
            context: super::request_context(&grant, trace.latency_ms.round() as u64),
            usage_key: grant.usage_identifier_key.clone(),
        })
    }

    /// Invokes the authorizer function, which API Gateway may do only when
    /// the function's resource policy lets it (as this authorizer).
    async fn invoke_authorizer(
        &self,
        (authorizer, function, account): (&Authorizer, &str, &str),
        identity: &[String],
        method_arn: &str,
        call: &AuthorizerCall<'_>,
        trace: &mut AuthorizerTrace,
    ) -> Result<Grant, GatewayResponse> {
        let event = match authorizer.kind {
            AuthorizerKind::Token => super::token_event(&identity[0], method_arn),
            _ => super::request_event((call.proxy_event)(), method_arn),
        };
        let target = AuthorizerFunction {
            function,
            account,
            api_id: &call.api.id,
            authorizer_id: &authorizer.id,
            timeout: AUTHORIZER_TIMEOUT,
        };
        let invoked = self.call_authorizer(&target, &event, trace).await?;
        super::grant_of(&invoked).inspect_err(|refusal| trace.refused(refusal))
    }

    /// Runs an authorizer function (REST or HTTP API) on `event`: only when
    /// its resource policy lets API Gateway invoke it as this authorizer;
    /// latency, status and failures go to `trace`.
    pub(in crate::gateway) async fn call_authorizer(
        &self,
        target: &AuthorizerFunction<'_>,
        event: &Value,
        trace: &mut AuthorizerTrace,
    ) -> Result<crate::gateway::invoke::Invoked, GatewayResponse> {
        let function = target.function;
        let source = format!(
            "arn:aws:execute-api:{}:{}:{}/authorizers/{}",
            self.region, target.account, target.api_id, target.authorizer_id
        );
        let policy = self.model.policy(function).await.map_err(|e| {
            GatewayResponse::internal(format!(
                "cannot read the resource policy of {function}: {e}"
            ))
        })?;
        if !integration::permits(&policy, &source) {
            let why = format!(
                "the resource policy of {function} does not let API Gateway invoke it from {source}"
            );
            trace.error = Some(why.clone());
            return Err(GatewayResponse::AuthorizerConfigurationError { cause: why });
        }
        let request_id = crate::transport::lambda::new_request_id();
        let started = Instant::now();
        let invoked = self
            .emulator
            .invoke(
                function,
                event.to_string().into_bytes(),
                target.timeout,
                &request_id,
            )
            .await;
        trace.latency_ms = started.elapsed().as_secs_f64() * 1000.0;
        let invoked = invoked.map_err(|refusal| {
            let cause = refusal.cause().unwrap_or(refusal.message()).to_string();
            trace.error = Some(format!("the authorizer could not be invoked: {cause}"));
            GatewayResponse::AuthorizerFailure { cause }
        })?;
        trace.status = Some(invoked.integration_status());
        Ok(invoked)
    }
}

/// An authorizer's function, as API Gateway invokes it.
pub struct AuthorizerFunction<'a> {
    pub function: &'a str,
    pub account: &'a str,
    pub api_id: &'a str,
    pub authorizer_id: &'a str,
    /// How long API Gateway waits for it.
    pub timeout: Duration,
}

impl AuthorizerTrace {
    /// Records why the authorizer's reply refused the request.
    pub fn refused(&mut self, refusal: &GatewayResponse) {
        self.error = Some(match refusal {
            GatewayResponse::Unauthorized => "the authorizer answered Unauthorized".into(),
            other => other.cause().unwrap_or(other.message()).to_string(),
        });
    }
}
