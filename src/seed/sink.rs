//! Where seeded items go: DynamoDB directly (BatchWriteItem), the
//! dispatcher's `batch` operation, or one `create` per item (for dispatchers
//! without `batch`, such as the tutorial's).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use serde_json::{json, Map, Value};

use crate::error::AppError;
use crate::event::{event, Operation};
use crate::seed::validate::KeySchema;
use crate::transport::lambda::err_text;
use crate::transport::Transport;

/// The result of one attempt at writing a batch.
#[derive(Debug, Default)]
pub struct Attempt {
    /// Indices (into the batch) now stored.
    pub written: Vec<usize>,
    /// Indices refused for good, with the reason.
    pub failed: Vec<(usize, String)>,
    /// Indices to send again (unprocessed, throttled).
    pub retry: Vec<usize>,
    /// Retries the backend did itself (the dispatcher's UnprocessedItems loop).
    pub inner_retries: u64,
}

/// Why a whole attempt failed.
#[derive(Debug)]
pub enum SendError {
    /// Worth another try after a backoff (throttling, 5xx, dropped connection).
    Retryable { message: String, throttled: bool },
    /// Nothing will succeed (table missing or not allowed, no permission).
    Fatal(String),
    /// The dispatcher refused this request's content (an item it cannot store).
    Refused(String),
    /// The dispatcher has no `batch` operation: fall back to per-item create.
    NoBatchOperation,
}

pub enum Backend {
    Direct {
        client: aws_sdk_dynamodb::Client,
        table: String,
        schema: KeySchema,
    },
    /// The dispatcher's `batch`; switches itself to one `create` per item
    /// when the dispatcher does not know `batch`.
    Batch {
        transport: Transport,
        table: String,
        per_item: AtomicBool,
    },
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Direct { .. } => "direct BatchWriteItem",
            Backend::Batch { per_item, .. } if per_item.load(Ordering::Relaxed) => {
                "dispatcher create per item (it has no batch operation)"
            }
            Backend::Batch { .. } => "dispatcher batch",
        }
    }

    /// Items per request: 25 is BatchWriteItem's limit; the dispatcher's
    /// batch takes more per invocation (it chunks by 25 inside).
    pub fn max_batch(&self) -> usize {
        match self {
            Backend::Direct { .. } => 25,
            Backend::Batch { .. } => 1000,
        }
    }

    pub async fn send(&self, items: &[&Map<String, Value>]) -> Result<Attempt, SendError> {
        match self {
            Backend::Direct {
                client,
                table,
                schema,
            } => direct_batch(client, table, schema, items).await,
            Backend::Batch {
                transport,
                table,
                per_item: fallback,
            } => {
                if !fallback.load(Ordering::Relaxed) {
                    match dispatcher_batch(transport, table, items).await {
                        Err(SendError::NoBatchOperation) => fallback.store(true, Ordering::Relaxed),
                        other => return other,
                    }
                }
                per_item(transport, table, items).await
            }
        }
    }
}

// ------------------------------------------------------------------ direct

/// Plain JSON -> DynamoDB AttributeValue; numbers keep their exact text.
pub fn to_attribute(value: &Value) -> AttributeValue {
    match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Array(items) => AttributeValue::L(items.iter().map(to_attribute).collect()),
        Value::Object(map) => AttributeValue::M(to_item(map)),
    }
}

pub fn to_item(map: &Map<String, Value>) -> HashMap<String, AttributeValue> {
    map.iter()
        .map(|(k, v)| (k.clone(), to_attribute(v)))
        .collect()
}

fn av_key(item: &HashMap<String, AttributeValue>, schema: &KeySchema) -> String {
    schema
        .attributes
        .iter()
        .map(|(name, _)| format!("{:?}", item.get(name)))
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

async fn direct_batch(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    schema: &KeySchema,
    items: &[&Map<String, Value>],
) -> Result<Attempt, SendError> {
    let requests: Vec<WriteRequest> = items
        .iter()
        .map(|item| {
            WriteRequest::builder()
                .put_request(
                    PutRequest::builder()
                        .set_item(Some(to_item(item)))
                        .build()
                        .expect("item is set"),
                )
                .build()
        })
        .collect();
    match client
        .batch_write_item()
        .request_items(table, requests)
        .send()
        .await
    {
        Ok(out) => {
            let unprocessed: Vec<String> = out
                .unprocessed_items()
                .and_then(|m| m.get(table))
                .map(|reqs| {
                    reqs.iter()
                        .filter_map(|r| r.put_request())
                        .map(|p| av_key(p.item(), schema))
                        .collect()
                })
                .unwrap_or_default();
            let mut attempt = Attempt::default();
            if unprocessed.is_empty() {
                attempt.written = (0..items.len()).collect();
                return Ok(attempt);
            }
            // Rare (throttling): match the unprocessed requests back to our items.
            for (i, item) in items.iter().enumerate() {
                if unprocessed.contains(&av_key(&to_item(item), schema)) {
                    attempt.retry.push(i);
                } else {
                    attempt.written.push(i);
                }
            }
            Ok(attempt)
        }
        Err(err) => {
            if let Some(service) = err.as_service_error() {
                if service.is_provisioned_throughput_exceeded_exception()
                    || service.is_request_limit_exceeded()
                    || service.is_throttling_exception()
                {
                    return Err(SendError::Retryable {
                        message: err_text(&err),
                        throttled: true,
                    });
                }
                if service.is_resource_not_found_exception() {
                    return Err(SendError::Fatal(format!(
                        "table {table} does not exist: {}",
                        err_text(&err)
                    )));
                }
                // ValidationException is not modelled: the code is all AWS gives.
                if service.code() == Some("ValidationException") {
                    return Ok(direct_one_by_one(client, table, items).await);
                }
                if service.code() == Some("AccessDeniedException") {
                    return Err(SendError::Fatal(format!(
                        "no permission to write to {table}: {}",
                        err_text(&err)
                    )));
                }
            }
            Err(classify_sdk(&err))
        }
    }
}

/// A batch DynamoDB refused as a whole (one bad item fails the request):
/// PutItem each item to find which.
async fn direct_one_by_one(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    items: &[&Map<String, Value>],
) -> Attempt {
    let mut attempt = Attempt::default();
    for (i, item) in items.iter().enumerate() {
        match client
            .put_item()
            .table_name(table)
            .set_item(Some(to_item(item)))
            .send()
            .await
        {
            Ok(_) => attempt.written.push(i),
            Err(err) => match err.as_service_error() {
                Some(s) if s.code() == Some("ValidationException") => attempt
                    .failed
                    .push((i, s.message().unwrap_or("ValidationException").to_string())),
                _ => attempt.retry.push(i),
            },
        }
    }
    attempt
}

fn classify_sdk<E: std::error::Error + 'static, R: std::fmt::Debug + 'static>(
    err: &SdkError<E, R>,
) -> SendError {
    // Timeouts, dropped connections, 5xx: the write is idempotent, try again.
    SendError::Retryable {
        message: err_text(err),
        throttled: false,
    }
}

// ------------------------------------------------------------------ dispatcher

async fn dispatcher_batch(
    transport: &Transport,
    table: &str,
    items: &[&Map<String, Value>],
) -> Result<Attempt, SendError> {
    let payload = json!({"Items": items});
    let event = event(Operation::Batch, Some(table), Some(payload));
    // A refusal of the whole batch is not about one item: stop rather than guess.
    let reply = send(transport, event).await.map_err(|e| match e {
        SendError::Refused(reason) => SendError::Fatal(reason),
        other => other,
    })?;
    let failed: Vec<(usize, String)> = reply
        .get("Failed")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|f| {
                    let index = f.get("Index")?.as_u64()? as usize;
                    let kind = f.get("Type").and_then(Value::as_str).unwrap_or("Error");
                    let message = f.get("Message").and_then(Value::as_str).unwrap_or_default();
                    Some((index, format!("{kind}: {message}")))
                })
                .collect()
        })
        .unwrap_or_default();
    if reply.get("Written").is_none() {
        return Err(SendError::Fatal(format!(
            "the dispatcher's batch reply has no \"Written\" count: {reply}"
        )));
    }
    let mut attempt = Attempt {
        inner_retries: reply.get("Retries").and_then(Value::as_u64).unwrap_or(0),
        ..Attempt::default()
    };
    for i in 0..items.len() {
        match failed.iter().find(|(index, _)| *index == i) {
            Some((_, reason)) => attempt.failed.push((i, reason.clone())),
            None => attempt.written.push(i),
        }
    }
    Ok(attempt)
}

async fn per_item(
    transport: &Transport,
    table: &str,
    items: &[&Map<String, Value>],
) -> Result<Attempt, SendError> {
    let mut attempt = Attempt::default();
    for (i, item) in items.iter().enumerate() {
        let payload = json!({"Item": item});
        match send(
            transport,
            event(Operation::Create, Some(table), Some(payload)),
        )
        .await
        {
            Ok(_) => attempt.written.push(i),
            Err(SendError::Refused(reason)) => attempt.failed.push((i, reason)),
            // Keep what succeeded; the rest is sent again after a backoff.
            Err(SendError::Retryable { .. }) if i > 0 => {
                attempt.retry.extend(i..items.len());
                return Ok(attempt);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(attempt)
}

/// Sends one event; classifies failures for the runner.
async fn send(transport: &Transport, event: Value) -> Result<Value, SendError> {
    let raw = transport
        .send(&event, true)
        .await
        .map_err(|e| SendError::Retryable {
            message: e.to_string(),
            throttled: e.to_string().contains("throttl"),
        })?;
    crate::reply::decode(&raw).map_err(classify_reply_error)
}

fn classify_reply_error(err: AppError) -> SendError {
    match &err {
        AppError::Dispatcher { kind, message } => {
            let unknown_op = message.contains("Unrecognized operation");
            match kind.as_str() {
                _ if unknown_op => SendError::NoBatchOperation,
                "Throttled" | "ProvisionedThroughputExceededException" | "ThrottlingException" => {
                    SendError::Retryable {
                        message: err.to_string(),
                        throttled: true,
                    }
                }
                "InternalError" | "BadGateway" | "HTTP 500" | "HTTP 503" => SendError::Retryable {
                    message: err.to_string(),
                    throttled: false,
                },
                "TableNotAllowed"
                | "TableNotFound"
                | "ResourceNotFoundException"
                | "AccessDenied" => SendError::Fatal(err.to_string()),
                // A refusal of the content (validation, a float in the tutorial code, ...).
                _ => SendError::Refused(err.to_string()),
            }
        }
        AppError::Transport(message) => SendError::Retryable {
            message: message.clone(),
            throttled: message.contains("throttl"),
        },
        _ => SendError::Fatal(err.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_text_in_attribute_values() {
        let v: Value = serde_json::from_str(
            r#"{"n": 12345678901234567890.123456789, "l": [true, null], "m": {"s": "x"}}"#,
        )
        .unwrap();
        let item = to_item(v.as_object().unwrap());
        assert_eq!(
            item["n"],
            AttributeValue::N("12345678901234567890.123456789".into())
        );
        assert_eq!(
            item["l"],
            AttributeValue::L(vec![AttributeValue::Bool(true), AttributeValue::Null(true)])
        );
        assert!(
            matches!(&item["m"], AttributeValue::M(m) if m["s"] == AttributeValue::S("x".into()))
        );
    }
}
