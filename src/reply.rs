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

use crate::error::AppError;
use crate::transport::{RawReply, Via};

pub fn decode(raw: &RawReply) -> Result<Value, AppError> {
    if raw.function_error.is_some() {
        let doc = parse_body(&raw.body).unwrap_or(Value::Null);
        return Err(function_error(&doc, &raw.body));
    }
    match raw.via {
        Via::Lambda => {
            let value = parse_body(&raw.body).ok_or_else(|| AppError::Dispatcher {
                kind: "InvalidReply".into(),
                message: format!(
                    "the function answered with non-JSON: {}",
                    preview(&raw.body)
                ),
            })?;
            decode_value(value)
        }
        Via::Api => decode_http(raw.status, &raw.body),
    }
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
        let kind = error.get("type").and_then(Value::as_str).unwrap_or("Error");
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Err(classify(kind, message));
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

/// API Gateway's own answers, explained.
fn gateway_error(status: u16, message: &str) -> AppError {
    match status {
        403 if message.contains("Missing Authentication Token") => AppError::transport(format!(
            "API Gateway answered 403 \"{message}\": no deployed resource and method match this URL. \
             Check the stage and path of --endpoint (for example https://ID.execute-api.REGION.amazonaws.com/v1/crud) \
             and that the API is deployed to that stage"
        )),
        401 | 403 => AppError::transport(format!(
            "API Gateway refused the request ({status} \"{message}\"). With --auth iam the caller needs execute-api:Invoke and valid credentials; \
             with --auth api-key check the key (SERVERLESS_CRUD_API_KEY)"
        )),
        429 => AppError::transport(format!(
            "API Gateway throttled the request (429 \"{message}\") after retries: the stage or usage-plan rate limit was exceeded; slow down or raise --rate/--burst"
        )),
        502 => AppError::Dispatcher {
            kind: "BadGateway".into(),
            message: format!(
                "API Gateway answered 502 \"{message}\": the function crashed or returned a malformed proxy response; check its CloudWatch logs"
            ),
        },
        504 => AppError::transport(format!(
            "API Gateway answered 504 \"{message}\": the function did not answer within the integration timeout (29 s)"
        )),
        _ => AppError::Dispatcher {
            kind: format!("HTTP {status}"),
            message: message.to_string(),
        },
    }
}

/// `{"errorMessage", "errorType", ...}` from Lambda.
fn function_error(doc: &Value, body: &[u8]) -> AppError {
    let kind = doc
        .get("errorType")
        .and_then(Value::as_str)
        .unwrap_or("FunctionError");
    let message = doc
        .get("errorMessage")
        .and_then(Value::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| preview(body));
    classify(kind, &message)
}

/// Error types of our dispatcher and of boto3/the tutorial dispatcher.
fn classify(kind: &str, message: &str) -> AppError {
    let hint = match kind {
        "ConditionFailed" | "ConditionalCheckFailedException" => {
            return AppError::ConditionFailed {
                message: format!("condition failed: {message}"),
            }
        }
        "ItemNotFound" => return AppError::NotFound(message.to_string()),
        "TableNotAllowed" => {
            "\nhint: the function only serves the tables in its ALLOWED_TABLES; add the table with `setup --table` (or `local up --table`)"
        }
        "TableNotFound" | "ResourceNotFoundException" => {
            "\nhint: the table does not exist; create it with `setup --table NAME` (or `local up --table NAME`)"
        }
        "ValueError" if message.contains("Unrecognized operation") => {
            "\nhint: the dispatcher does not know this operation"
        }
        "TypeError" if message.contains("Float types are not supported") => {
            "\nhint: this dispatcher passes JSON floats to boto3, which refuses them (the tutorial code does); \
             the dispatcher serverless-crud deploys converts them exactly"
        }
        "KeyError" => "\nhint: the event lacks a field the dispatcher requires (operation, tableName, payload)",
        _ => "",
    };
    AppError::Dispatcher {
        kind: kind.to_string(),
        message: format!("{message}{hint}"),
    }
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
        assert!(e.to_string().contains("does not know this operation"));
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
            .to_string()
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
        assert!(e.to_string().contains("stage and path"));
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
        assert_eq!(decode(&r).unwrap_err().exit_code(), exit::BACKEND);
    }
}
