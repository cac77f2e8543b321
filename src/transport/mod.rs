//! How an event reaches the dispatcher: HTTPS to an API Gateway stage (or a
//! function URL), or Lambda `Invoke`.

pub mod api;
pub mod lambda;

use std::time::Duration;

use serde_json::Value;

use crate::error::AppError;
use crate::retry::{self, Schedule};

pub use api::{ApiCredentials, ApiTransport};
pub use lambda::LambdaTransport;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// HTTPS to the API Gateway stage URL
    Api,
    /// Lambda Invoke of the function
    Lambda,
}

/// What came back, before any interpretation (see `reply.rs`).
#[derive(Debug)]
pub struct RawReply {
    pub via: Via,
    /// HTTP status of the API call, or of the Invoke call.
    pub status: u16,
    /// Lambda's `X-Amz-Function-Error` (Invoke only).
    pub function_error: Option<String>,
    pub body: Vec<u8>,
    pub elapsed: Duration,
    /// The request id AWS gave the request (Lambda's, or API Gateway's).
    pub request_id: Option<String>,
}

pub enum Transport {
    Api(ApiTransport),
    Lambda(LambdaTransport),
}

impl Transport {
    /// Where events go, for messages: the URL or the function name.
    pub fn target(&self) -> String {
        match self {
            Transport::Api(t) => t.url().to_string(),
            Transport::Lambda(t) => format!("function {}", t.function()),
        }
    }

    /// Transport and auth, for -v.
    pub fn describe(&self) -> String {
        match self {
            Transport::Api(t) => format!("api, auth {}", t.auth_name()),
            Transport::Lambda(_) => "lambda invoke".into(),
        }
    }

    /// The event exactly as it goes on the wire (what `--dry-run` prints).
    pub fn wire_event(&self, event: &Value) -> Value {
        match self {
            Transport::Api(_) => event.clone(),
            Transport::Lambda(_) => lambda::with_exact_payload(event),
        }
    }

    /// Sends one event, retried per the error's kind: what is transient is
    /// tried again when it is safe — always if the request surely did not
    /// reach the function (connection refused, throttled before invoking),
    /// otherwise only when `idempotent`.
    pub async fn send(&self, event: &Value, idempotent: bool) -> Result<RawReply, AppError> {
        let body = self.encode(event)?;
        let started = std::time::Instant::now();
        let mut reply = retry::retry(
            Schedule::REQUEST,
            || async {
                let reply = self.send_once(&body).await?;
                // A throttled or failed gateway answer is retried like a
                // transport failure (decoded again by the caller if it stays).
                if reply.status == 429 || reply.status >= 500 {
                    if let Err(e) = crate::reply::decode(&reply) {
                        if e.is_retryable() {
                            return Err(e);
                        }
                    }
                }
                Ok(reply)
            },
            |e| e.is_retryable() && (idempotent || !e.may_have_run()),
        )
        .await?;
        reply.elapsed = started.elapsed();
        Ok(reply)
    }

    /// One attempt, no retries (the seed runner retries by itself).
    pub async fn send_once_event(&self, event: &Value) -> Result<RawReply, AppError> {
        let body = self.encode(event)?;
        self.send_once(&body).await
    }

    fn encode(&self, event: &Value) -> Result<Vec<u8>, AppError> {
        crate::dry_run::guard("send an event")?;
        serde_json::to_vec(&self.wire_event(event))
            .map_err(|e| AppError::internal(format!("cannot encode the event: {e}")))
    }

    async fn send_once(&self, body: &[u8]) -> Result<RawReply, AppError> {
        match self {
            Transport::Api(t) => t.send_once(body).await,
            Transport::Lambda(t) => t.send_once(body).await,
        }
    }
}
