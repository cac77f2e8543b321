//! Decodes every shape a dispatcher can answer with into a result value or a
//! classified error:
//! - our dispatcher: the boto3 result, or `{"error": {"type", "message"}}`
//!   with an HTTP status (proxy events) / a FunctionError (direct invokes);
//! - the tutorial dispatcher: raw boto3 responses with `ResponseMetadata`,
//!   exceptions as `{"errorMessage", "errorType"}` (FunctionError, or a 200
//!   body through a non-proxy integration);
//! - proxy envelopes `{"statusCode", "body"}` returned to a direct invoke;
//! - API Gateway's own errors: `{"message": "Missing Authentication Token"}`,
//!   403, 429, 502, 504.

use serde_json::{Map, Value};

use crate::error::{AppError, DispatcherKind, TransportKind};
use crate::transport::{RawReply, Via};

pub fn decode(raw: &RawReply) -> Result<Value, AppError> {
    decode_inner(raw).map_err(|e| with_request_id(e, raw.request_id.as_deref()))
}

fn decode_inner(raw: &RawReply) -> Result<Value, AppError> {
    if raw.function_error.is_some() {
        let doc = parse_body(&raw.body).unwrap_or(Value::Null);
        return Err(function_error(&doc, &raw.body));
    }
    match raw.via {
        Via::Lambda => {
            let value = parse_body(&raw.body).ok_or_else(|| {
                AppError::invalid_reply(format!(
                    "the function answered with non-JSON: {}",
                    preview(&raw.body)
                ))
            })?;
            decode_value(value)
        }
        Via::Api => decode_http(raw.status, &raw.body),
    }
}

fn with_request_id(mut err: AppError, id: Option<&str>) -> AppError {
    if let AppError::Dispatcher { request_id, .. } = &mut err {
        if request_id.is_none() {
            *request_id = id.map(str::to_string);
        }
    }
    err
}

/// A successful invoke's or a 2xx body's value.
fn decode_value(value: Value) -> Result<Value, AppError> {
    if is_error_document(&value) {
        return Err(function_error(&value, b""));
    }
    if let Some((status, body)) = proxy_envelope(&value) {
        return decode_http(status, body.as_bytes());
    }
    Ok(strip_metadata(value))
}

fn decode_http(status: u16, body: &[u8]) -> Result<Value, AppError> {
    let doc = parse_body(body);
    if (200..300).contains(&status) {
        return match doc {
            Some(value) => decode_value(value),
            None if body.is_empty() => Ok(Value::Null),
            None => Ok(Value::String(String::from_utf8_lossy(body).into_owned())),
        };
    }
    let doc = doc.unwrap_or(Value::Null);
    // Our dispatcher's error body.
    if let Some(error) = doc.get("error").and_then(Value::as_object) {
        let error_type = error.get("type").and_then(Value::as_str).unwrap_or("Error");
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let mut err = classify(error_type, message);
        if let AppError::Dispatcher { status: s, .. } = &mut err {
            *s = Some(status);
        }
        return Err(err);
    }
    if is_error_document(&doc) {
        return Err(function_error(&doc, body));
    }
    let message = doc
        .get("message")
        .or_else(|| doc.get("Message"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| preview(body));
    Err(gateway_error(status, &message))
}

/// API Gateway answers 403 both for "no such route" and for refused
/// credentials; only its message tells them apart (AWS models nothing else).
fn is_missing_route(message: &str) -> bool {
    message.contains("Missing Authentication Token")
}

/// API Gateway's own answers, classified by status.
fn gateway_error(status: u16, message: &str) -> AppError {
    let said = format!("API Gateway answered {status} \"{message}\"");
    match status {
        403 if is_missing_route(message) => AppError::transport(
            TransportKind::NotFound,
            "API Gateway",
            format!("{said}: no deployed resource and method match this URL (wrong stage or path, or the API is not deployed)"),
        ),
        401 | 403 => AppError::transport(
            TransportKind::Forbidden,
            "API Gateway",
            format!("{said}: the request's credentials, API key or token were refused"),
        ),
        429 => AppError::transport(
            TransportKind::Throttled,
            "API Gateway",
            format!("{said} after retries: the stage or usage-plan rate limit was exceeded"),
        ),
        502 => AppError::Dispatcher {
            kind: DispatcherKind::Internal,
            status: Some(502),
            error_type: "BadGateway".into(),
            message: format!("{said}: the function crashed or returned a malformed proxy response"),
            request_id: None,
        },
        504 => AppError::transport(
            TransportKind::Timeout,
            "API Gateway",
            format!("{said}: the function did not answer within the integration timeout (29 s)"),
        ),
        500..=599 => AppError::Dispatcher {
            kind: DispatcherKind::Internal,
            status: Some(status),
            error_type: format!("HTTP {status}"),
            message: message.to_string(),
            request_id: None,
        },
        _ => AppError::Dispatcher {
            kind: DispatcherKind::Other,
            status: Some(status),
            error_type: format!("HTTP {status}"),
            message: message.to_string(),
            request_id: None,
        },
    }
}

/// `{"errorMessage", "errorType", ...}` from Lambda.
fn function_error(doc: &Value, body: &[u8]) -> AppError {
    let error_type = doc
        .get("errorType")
        .and_then(Value::as_str)
        .unwrap_or("FunctionError");
    let message = doc
        .get("errorMessage")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| preview(body));
    classify(error_type, &message)
}

/// The tutorial dispatcher (and our earlier versions) say "unknown
/// operation" only in the message of a ValueError / BadRequest: the text is
/// the only signal there is.
fn is_unknown_operation_message(message: &str) -> bool {
    message.contains("Unrecognized operation")
}

/// boto3 refuses floats with a TypeError whose message is the only signal.
fn is_float_refusal(message: &str) -> bool {
    message.contains("Float types are not supported")
}

/// An error type of our dispatcher, of boto3 or of the tutorial dispatcher.
fn classify(error_type: &str, message: &str) -> AppError {
    let mut kind = DispatcherKind::from_type(error_type);
    if kind != DispatcherKind::ItemNotFound && is_unknown_operation_message(message)
        || error_type == "UnknownOperation"
    {
        kind = DispatcherKind::UnknownOperation;
    }
    let message = match kind {
        DispatcherKind::ConditionFailed => format!("condition failed: {message}"),
        _ if error_type == "TypeError" && is_float_refusal(message) => format!(
            "{message}\nhint: this dispatcher passes JSON floats to boto3, which refuses them (the tutorial code does); \
             the dispatcher serverless-crud deploys converts them exactly"
        ),
        _ if error_type == "KeyError" => format!(
            "{message}\nhint: the event lacks a field the dispatcher requires (operation, tableName, payload)"
        ),
        _ => message.to_string(),
    };
    AppError::dispatcher(kind, error_type, message)
}

fn is_error_document(value: &Value) -> bool {
    value.as_object().is_some_and(|m| {
        m.contains_key("errorMessage")
            && (m.contains_key("errorType") || m.contains_key("stackTrace"))
    })
}

/// `{"statusCode": 200, "body": "..."}` returned where a plain result was expected.
fn proxy_envelope(value: &Value) -> Option<(u16, &str)> {
    let map = value.as_object()?;
    let status = map.get("statusCode")?.as_u64()?;
    let body = map.get("body")?.as_str()?;
    Some((u16::try_from(status).ok()?, body))
}

fn strip_metadata(value: Value) -> Value {
    match value {
        Value::Object(mut map) => {
            map.shift_remove("ResponseMetadata");
            Value::Object(map)
        }
        other => other,
    }
}

fn parse_body(body: &[u8]) -> Option<Value> {
    serde_json::from_slice(body).ok()
}

fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.chars().count() > 300 {
        format!("{}…", text.chars().take(300).collect::<String>())
    } else {
        text.to_string()
    }
}

/// `Item` of a read result, if present.
pub fn item(value: &Value) -> Option<&Map<String, Value>> {
    value.get("Item").and_then(Value::as_object)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::exit;
    use serde_json::json;
    use std::time::Duration;

    fn raw(via: Via, status: u16, fe: Option<&str>, body: &str) -> RawReply {
        RawReply {
            via,
            status,
            function_error: fe.map(str::to_string),
            body: body.as_bytes().to_vec(),
            elapsed: Duration::ZERO,
            request_id: Some("req-1".into()),
        }
    }

    #[test]
    fn raw_boto3_response_loses_metadata_and_keeps_exact_numbers() {
        let r = raw(
            Via::Lambda,
            200,
            None,
            r#"{"Item":{"id":"1","p":12345678901234567890.123456789},"ResponseMetadata":{"HTTPStatusCode":200}}"#,
        );
        let v = decode(&r).unwrap();
        assert_eq!(
            v.to_string(),
            r#"{"Item":{"id":"1","p":12345678901234567890.123456789}}"#
        );
    }

    #[test]
    fn function_errors_are_classified() {
        let r = raw(
            Via::Lambda,
            200,
            Some("Unhandled"),
            r#"{"errorMessage":"An error occurred (ConditionalCheckFailedException)","errorType":"ConditionalCheckFailedException"}"#,
        );
        assert_eq!(decode(&r).unwrap_err().exit_code(), exit::CONDITION_FAILED);
        let r = raw(
            Via::Lambda,
            200,
            Some("Unhandled"),
            r#"{"errorMessage":"Unrecognized operation \"x\"","errorType":"ValueError"}"#,
        );
        let e = decode(&r).unwrap_err();
        assert_eq!(e.exit_code(), exit::BACKEND);
        assert!(matches!(
            e,
            AppError::Dispatcher {
                kind: DispatcherKind::UnknownOperation,
                ..
            }
        ));
        assert!(e.help().unwrap().contains("does not know this operation"));
        assert!(
            matches!(e, AppError::Dispatcher { request_id: Some(ref id), .. } if id == "req-1")
        );
    }

    #[test]
    fn non_proxy_error_body_with_200_is_an_error() {
        let r = raw(
            Via::Api,
            200,
            None,
            r#"{"errorMessage":"'Item'","errorType":"KeyError","stackTrace":[]}"#,
        );
        assert!(decode(&r).unwrap_err().to_string().contains("KeyError"));
    }

    #[test]
    fn proxy_errors_and_envelopes() {
        let r = raw(
            Via::Api,
            404,
            None,
            r#"{"error":{"type":"ItemNotFound","message":"no item"}}"#,
        );
        assert_eq!(decode(&r).unwrap_err().exit_code(), exit::NOT_FOUND);
        let r = raw(
            Via::Api,
            403,
            None,
            r#"{"error":{"type":"TableNotAllowed","message":"nope"}}"#,
        );
        assert!(decode(&r)
            .unwrap_err()
            .help()
            .unwrap()
            .contains("ALLOWED_TABLES"));
        let r = raw(
            Via::Lambda,
            200,
            None,
            r#"{"statusCode":200,"body":"\"pong\""}"#,
        );
        assert_eq!(decode(&r).unwrap(), json!("pong"));
    }

    #[test]
    fn gateway_errors_are_explained() {
        let r = raw(
            Via::Api,
            403,
            None,
            r#"{"message":"Missing Authentication Token"}"#,
        );
        let e = decode(&r).unwrap_err();
        assert_eq!(e.exit_code(), exit::TRANSPORT);
        assert!(matches!(
            e,
            AppError::Transport {
                kind: TransportKind::NotFound,
                ..
            }
        ));
        assert!(e.help().unwrap().contains("stage and path"));
        for (status, body) in [
            (429, "Too Many Requests"),
            (504, "Endpoint request timed out"),
        ] {
            let r = raw(
                Via::Api,
                status,
                None,
                &format!(r#"{{"message":"{body}"}}"#),
            );
            assert_eq!(decode(&r).unwrap_err().exit_code(), exit::TRANSPORT);
        }
        let r = raw(
            Via::Api,
            502,
            None,
            r#"{"message": "Internal server error"}"#,
        );
        let e = decode(&r).unwrap_err();
        assert_eq!(e.exit_code(), exit::BACKEND);
        assert!(e.is_retryable() && !e.is_record_fault());
    }
}
