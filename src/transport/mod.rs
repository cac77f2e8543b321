//! How an event reaches the dispatcher: HTTPS to an API Gateway stage (or a
//! function URL), or Lambda `Invoke`.

pub mod api;
pub mod lambda;

use std::time::Duration;

use serde_json::Value;

use crate::error::AppError;

pub use api::{ApiAuth, ApiTransport};
pub use lambda::LambdaTransport;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// HTTPS to the API Gateway stage URL (locally: the function URL).
    Api,
    /// Lambda Invoke of the function.
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

    /// Sends one event. `idempotent` allows retrying after a failure that may
    /// have reached the function (5xx, timeouts); requests that surely did
    /// not (connection refused, throttled before invoking) are always retried.
    pub async fn send(&self, event: &Value, idempotent: bool) -> Result<RawReply, AppError> {
        crate::dry_run::guard("send an event")?;
        let body = serde_json::to_vec(&self.wire_event(event))
            .map_err(|e| AppError::usage(format!("cannot encode the event: {e}")))?;
        match self {
            Transport::Api(t) => t.send(body, idempotent).await,
            Transport::Lambda(t) => t.send(body, idempotent).await,
        }
    }
}

/// Bounded exponential backoff with full jitter: attempt 1 -> up to 100 ms,
/// doubling, capped at `cap`.
pub fn backoff(attempt: u32, cap: Duration) -> Duration {
    let ceiling = Duration::from_millis(100u64.saturating_mul(1 << attempt.min(16))).min(cap);
    ceiling.mul_f64(rand::random::<f64>())
}

/// Attempts per request for retryable failures.
pub const MAX_ATTEMPTS: u32 = 4;
