//! Lambda `Invoke` (RequestResponse) of the dispatcher function.

use std::time::Instant;

use aws_sdk_lambda::error::SdkError;
use aws_sdk_lambda::operation::invoke::InvokeError;
use aws_sdk_lambda::primitives::Blob;
use serde_json::Value;

use aws_sdk_lambda::operation::RequestId;

use super::{RawReply, Via};
use crate::error::{chain_text, AppError, TransportKind};
use crate::event::needs_exact_text;

pub struct LambdaTransport {
    client: aws_sdk_lambda::Client,
    function: String,
    /// Locally, an alias's versions (emulator routes), picked per
    /// invocation by their weights as Lambda does.
    alias: Option<LocalAlias>,
    /// The local emulator returns no request id: the CLI chooses one and
    /// passes it in the client context, which the local runtime adopts.
    choose_request_id: bool,
}

/// The versions a local alias routes to: (main route, (weighted route, weight)).
#[derive(Debug, Clone)]
pub struct LocalAlias {
    pub main: String,
    pub weighted: Option<(String, f64)>,
}

/// The request id for the local runtime, as cargo-lambda passes a client
/// context: the `lambda-runtime-client-context` header.
pub const CLIENT_CONTEXT_HEADER: &str = "lambda-runtime-client-context";

/// A fresh request id (UUID v4 form).
pub fn new_request_id() -> String {
    let b: [u8; 16] = rand::random();
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The client context carrying `request_id`.
pub fn client_context(request_id: &str) -> String {
    serde_json::json!({"custom": {"requestId": request_id}}).to_string()
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
    pub fn new(client: aws_sdk_lambda::Client, function: String, local: bool) -> Self {
        LambdaTransport {
            client,
            function,
            alias: None,
            choose_request_id: local,
        }
    }

    /// Locally: invocations of the alias go to its versions by weight.
    pub fn with_local_alias(mut self, alias: LocalAlias) -> Self {
        self.alias = Some(alias);
        self
    }

    /// The function (emulator route) one invocation goes to.
    fn callee(&self) -> &str {
        match &self.alias {
            Some(LocalAlias {
                weighted: Some((route, weight)),
                ..
            }) if rand::random::<f64>() < *weight => route,
            Some(alias) => &alias.main,
            None => &self.function,
        }
    }

    pub fn function(&self) -> &str {
        &self.function
    }

    /// One Invoke of `body`, no retries.
    pub async fn send_once(&self, body: &[u8]) -> Result<RawReply, AppError> {
        let started = Instant::now();
        let chosen = self.choose_request_id.then(new_request_id);
        let context = chosen.as_deref().map(client_context);
        let result = self
            .client
            .invoke()
            .function_name(self.callee())
            .payload(Blob::new(body.to_vec()))
            .customize()
            .mutate_request(move |request| {
                if let Some(context) = &context {
                    request
                        .headers_mut()
                        .insert(CLIENT_CONTEXT_HEADER, context.clone());
                }
            })
            .send()
            .await;
        match result {
            Ok(out) => Ok(RawReply {
                via: Via::Lambda,
                status: out.status_code() as u16,
                function_error: out.function_error().map(str::to_string),
                request_id: out.request_id().map(str::to_string).or(chosen.clone()),
                body: out
                    .payload()
                    .map(|b| b.as_ref().to_vec())
                    .unwrap_or_default(),
                elapsed: started.elapsed(),
            }),
            Err(err) => match emulator_function_error(&err, started) {
                Some(mut reply) => {
                    reply.request_id = reply.request_id.or(chosen);
                    Ok(reply)
                }
                None => Err(self.describe_error(err)),
            },
        }
    }

    fn describe_error(&self, err: SdkError<InvokeError>) -> AppError {
        let function = &self.function;
        let target = format!("function {function}");
        let transport = |kind, message: String| AppError::transport(kind, &target, message);
        if let Some(service) = err.as_service_error() {
            if service.is_resource_not_found_exception() {
                return transport(
                    TransportKind::NotFound,
                    format!("function {function} does not exist in this region/account"),
                );
            }
            if service.is_too_many_requests_exception() {
                return transport(
                    TransportKind::Throttled,
                    format!(
                        "Lambda throttled the invocation of {function} (TooManyRequestsException)"
                    ),
                );
            }
            if let Some(raw) = err.raw_response() {
                let status = raw.status().as_u16();
                let body = raw
                    .body()
                    .bytes()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default();
                match status {
                    404 => {
                        return transport(
                            TransportKind::NotFound,
                            format!("function {function} is not known to the Lambda endpoint (HTTP 404: {body}); is it part of the local stack? See `serverless-crud local status`"),
                        )
                    }
                    401 | 403 => {
                        return transport(
                            TransportKind::Forbidden,
                            format!("not allowed to invoke {function} (HTTP {status}): {body}; check your credentials and lambda:InvokeFunction permission"),
                        )
                    }
                    _ => {}
                }
            }
        }
        match err {
            SdkError::TimeoutError(_) => transport(
                TransportKind::Timeout,
                format!("Lambda Invoke of {function} timed out"),
            ),
            SdkError::DispatchFailure(_) => transport(
                TransportKind::Unreachable,
                format!(
                    "cannot reach the Lambda endpoint to invoke {function}: {}",
                    chain_text(&err)
                ),
            ),
            SdkError::ServiceError(_) => {
                crate::error::aws::error("lambda", format!("Invoke of {function}"), &err)
            }
            other => transport(
                TransportKind::Failed,
                format!("Lambda Invoke of {function} failed: {}", chain_text(&other)),
            ),
        }
    }
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
        request_id: raw.headers().get("x-amzn-requestid").map(str::to_string),
    })
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
