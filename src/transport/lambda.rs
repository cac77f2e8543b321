//! Lambda `Invoke` (RequestResponse) of the dispatcher function.

use std::time::{Duration, Instant};

use aws_sdk_lambda::error::SdkError;
use aws_sdk_lambda::operation::invoke::InvokeError;
use aws_sdk_lambda::primitives::Blob;
use serde_json::Value;

use super::{backoff, RawReply, Via, MAX_ATTEMPTS};
use crate::error::AppError;
use crate::event::needs_exact_text;

pub struct LambdaTransport {
    client: aws_sdk_lambda::Client,
    function: String,
}

/// The Lambda Python runtime parses events with floats. When a payload number
/// would not survive that, the payload also travels as exact JSON text in
/// `payloadJson` (an additive field: our dispatcher prefers it, others ignore it).
pub fn with_exact_payload(event: &Value) -> Value {
    let mut event = event.clone();
    if let Value::Object(map) = &mut event {
        if let Some(payload) = map.get("payload") {
            if needs_exact_text(payload) && !map.contains_key("payloadJson") {
                let text = payload.to_string();
                map.insert("payloadJson".into(), Value::String(text));
            }
        }
    }
    event
}

impl LambdaTransport {
    /// `client` must have SDK retries disabled: we decide what is safe to repeat.
    pub fn new(client: aws_sdk_lambda::Client, function: String) -> Self {
        LambdaTransport { client, function }
    }

    pub fn function(&self) -> &str {
        &self.function
    }

    pub async fn send(&self, body: Vec<u8>, idempotent: bool) -> Result<RawReply, AppError> {
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self
                .client
                .invoke()
                .function_name(&self.function)
                .payload(Blob::new(body.clone()))
                .send()
                .await;
            match result {
                Ok(out) => {
                    return Ok(RawReply {
                        via: Via::Lambda,
                        status: out.status_code() as u16,
                        function_error: out.function_error().map(str::to_string),
                        body: out
                            .payload()
                            .map(|b| b.as_ref().to_vec())
                            .unwrap_or_default(),
                        elapsed: started.elapsed(),
                    })
                }
                Err(err) => {
                    if let Some(reply) = emulator_function_error(&err, started) {
                        return Ok(reply);
                    }
                    let retry = is_throttled(&err)
                        || matches!(err, SdkError::DispatchFailure(ref d) if d.is_io())
                        || (idempotent && matches!(err, SdkError::TimeoutError(_)));
                    if !retry || attempt >= MAX_ATTEMPTS {
                        return Err(self.describe_error(err));
                    }
                    tokio::time::sleep(backoff(attempt, Duration::from_secs(2))).await;
                }
            }
        }
    }

    fn describe_error(&self, err: SdkError<InvokeError>) -> AppError {
        let function = &self.function;
        if let Some(service) = err.as_service_error() {
            if service.is_resource_not_found_exception() {
                return AppError::transport(format!(
                    "function {function} does not exist in this region/account; check --function, --region and --profile"
                ));
            }
            if is_throttled(&err) {
                return AppError::transport(format!(
                    "Lambda kept throttling invocations of {function} (TooManyRequestsException); try again later or raise its concurrency"
                ));
            }
            if let Some(raw) = err.raw_response() {
                let status = raw.status().as_u16();
                let body = raw
                    .body()
                    .bytes()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                if status == 404 {
                    return AppError::transport(format!(
                        "function {function} is not known to the Lambda endpoint (HTTP 404: {body}); is it part of the local stack? See `serverless-crud local status`"
                    ));
                }
                if status == 403 || status == 401 {
                    return AppError::transport(format!(
                        "not allowed to invoke {function} (HTTP {status}): {body}. Check your credentials and lambda:InvokeFunction permission"
                    ));
                }
            }
            return AppError::aws(format!(
                "Lambda Invoke of {function} failed: {}",
                err_text(&err)
            ));
        }
        match err {
            SdkError::TimeoutError(_) => AppError::transport(format!(
                "Lambda Invoke of {function} timed out; raise --timeout"
            )),
            SdkError::DispatchFailure(_) => AppError::transport(format!(
                "cannot reach the Lambda endpoint to invoke {function}: {}. For the local stack run `serverless-crud local status`",
                err_text(&err)
            )),
            other => AppError::transport(format!(
                "Lambda Invoke of {function} failed: {}",
                err_text(&other)
            )),
        }
    }
}

fn is_throttled(err: &SdkError<InvokeError>) -> bool {
    err.as_service_error()
        .is_some_and(|e| e.is_too_many_requests_exception())
}

/// cargo-lambda's emulator answers an unhandled function error with HTTP 500
/// and the error document as the body, where AWS answers 200 plus
/// `X-Amz-Function-Error`. Recognise that shape and report it as AWS would.
fn emulator_function_error(err: &SdkError<InvokeError>, started: Instant) -> Option<RawReply> {
    let raw = err.raw_response()?;
    if raw.status().as_u16() != 500 {
        return None;
    }
    let body = raw.body().bytes()?;
    let doc: Value = serde_json::from_slice(body).ok()?;
    doc.get("errorMessage")?;
    Some(RawReply {
        via: Via::Lambda,
        status: 200,
        function_error: Some("Unhandled".into()),
        body: body.to_vec(),
        elapsed: started.elapsed(),
    })
}

/// The whole error chain, one line.
pub fn err_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cause = err.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cause = c.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn exact_payload_added_only_when_needed() {
        let plain: Value =
            serde_json::from_str(r#"{"operation":"create","payload":{"Item":{"p":19.99}}}"#)
                .unwrap();
        assert_eq!(with_exact_payload(&plain), plain);
        let precise: Value = serde_json::from_str(
            r#"{"operation":"create","payload":{"Item":{"p":12345678901234567890.123456789}}}"#,
        )
        .unwrap();
        let wire = with_exact_payload(&precise);
        assert_eq!(
            wire["payloadJson"],
            json!(r#"{"Item":{"p":12345678901234567890.123456789}}"#)
        );
    }
}
