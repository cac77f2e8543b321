//! Where seeded items go: DynamoDB directly (BatchWriteItem), the
//! dispatcher's `batch` operation, or one `create` per item (for dispatchers
//! without `batch`, such as the tutorial's).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::error::{aws, AppError, DispatcherKind};
use crate::event::{event, Operation};
use crate::seed::validate::KeySchema;
use crate::transport::Transport;

/// The result of one attempt at writing a batch.
#[derive(Debug, Default)]
pub struct Attempt {
    /// Indices (into the batch) now stored.
    pub written: Vec<usize>,
    /// Indices refused for good, for their own content, with the reason.
    pub failed: Vec<(usize, String)>,
    /// Indices to send again (unprocessed, throttled).
    pub retry: Vec<usize>,
    /// Retries the backend did itself (the dispatcher's UnprocessedItems loop).
    pub inner_retries: u64,
}

pub enum Backend {
    Direct {
        client: aws_sdk_dynamodb::Client,
        table: String,
        schema: KeySchema,
        /// Items are DynamoDB JSON.
        typed: bool,
    },
    /// The dispatcher's `batch`; switches itself to one `create` per item
    /// when the dispatcher does not know `batch`. Typed items need a
    /// dispatcher that says it keeps them (`typed_batch_supported`).
    Batch {
        transport: Transport,
        table: String,
        per_item: AtomicBool,
        typed: bool,
    },
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Direct { typed: true, .. } => "direct BatchWriteItem (DynamoDB JSON)",
            Backend::Direct { .. } => "direct BatchWriteItem",
            Backend::Batch { typed: true, .. } => "dispatcher batch (DynamoDB JSON)",
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

    /// One attempt. An error means the whole request failed, for a reason
    /// its kind tells (retryable, systemic); per-record refusals are in
    /// `Attempt::failed`.
    pub async fn send(&self, items: &[&Map<String, Value>]) -> Result<Attempt, AppError> {
        match self {
            Backend::Direct {
                client,
                table,
                schema,
                typed,
            } => direct_batch(client, table, schema, *typed, items).await,
            Backend::Batch {
                transport,
                table,
                per_item: fallback,
                typed,
            } => {
                if !fallback.load(Ordering::Relaxed) {
                    match dispatcher_batch(transport, table, *typed, items).await {
                        Err(AppError::Dispatcher {
                            kind: DispatcherKind::UnknownOperation,
                            ..
                        }) if !typed => fallback.store(true, Ordering::Relaxed),
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

/// An item for the table: like `to_item`, but a binary (B) key attribute,
/// base64 text in plain JSON, is written as binary.
pub fn to_table_item(
    map: &Map<String, Value>,
    schema: &KeySchema,
) -> HashMap<String, AttributeValue> {
    let mut item = to_item(map);
    for (name, ty) in &schema.attributes {
        if ty != "B" {
            continue;
        }
        if let Some(AttributeValue::S(text)) = item.get(name) {
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(text) {
                item.insert(name.clone(), AttributeValue::B(Blob::new(bytes)));
            }
        }
    }
    item
}

/// The item to write: DynamoDB JSON decoded, or plain JSON converted.
fn attribute_item(
    map: &Map<String, Value>,
    schema: &KeySchema,
    typed: bool,
) -> HashMap<String, AttributeValue> {
    if typed {
        // Checked by validate::check_typed before it got here.
        crate::ddb_json::item_from_json(map).unwrap_or_default()
    } else {
        to_table_item(map, schema)
    }
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
    typed: bool,
    items: &[&Map<String, Value>],
) -> Result<Attempt, AppError> {
    let requests: Vec<WriteRequest> = items
        .iter()
        .map(|item| {
            WriteRequest::builder()
                .put_request(
                    PutRequest::builder()
                        .set_item(Some(attribute_item(item, schema, typed)))
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
                if unprocessed.contains(&av_key(&attribute_item(item, schema, typed), schema)) {
                    attempt.retry.push(i);
                } else {
                    attempt.written.push(i);
                }
            }
            Ok(attempt)
        }
        // One bad item fails the whole request: find it by writing one by one.
        Err(err) if is_validation(&err) => {
            Ok(direct_one_by_one(client, table, schema, typed, items).await)
        }
        Err(err) => Err(aws::error(
            "dynamodb",
            format!("BatchWriteItem on {table}"),
            &err,
        )),
    }
}

/// DynamoDB does not model ValidationException: its code is all there is.
fn is_validation<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    err.as_service_error()
        .is_some_and(|s| s.code() == Some("ValidationException"))
}

/// A batch DynamoDB refused as a whole: PutItem each item to find which.
async fn direct_one_by_one(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    schema: &KeySchema,
    typed: bool,
    items: &[&Map<String, Value>],
) -> Attempt {
    let mut attempt = Attempt::default();
    for (i, item) in items.iter().enumerate() {
        match client
            .put_item()
            .table_name(table)
            .set_item(Some(attribute_item(item, schema, typed)))
            .send()
            .await
        {
            Ok(_) => attempt.written.push(i),
            Err(err) if is_validation(&err) => {
                let message = err
                    .as_service_error()
                    .and_then(|s| s.message())
                    .unwrap_or("ValidationException");
                attempt
                    .failed
                    .push((i, format!("ValidationException: {message}")));
            }
            Err(_) => attempt.retry.push(i),
        }
    }
    attempt
}

// ------------------------------------------------------------------ dispatcher

/// Whether the dispatcher keeps DynamoDB JSON as such (asked with a typed
/// one-item `list`, which changes nothing): a dispatcher that ignored the
/// flag would store `{"S": "x"}` as a map.
pub async fn typed_batch_supported(transport: &Transport, table: &str) -> Result<bool, AppError> {
    let mut probe = event(Operation::List, Some(table), Some(json!({"Limit": 1})));
    probe["typed"] = Value::Bool(true);
    let reply = send(transport, probe).await?;
    Ok(reply.get("Typed") == Some(&Value::Bool(true)))
}

async fn dispatcher_batch(
    transport: &Transport,
    table: &str,
    typed: bool,
    items: &[&Map<String, Value>],
) -> Result<Attempt, AppError> {
    let payload = json!({"Items": items});
    let mut event = event(Operation::Batch, Some(table), Some(payload));
    if typed {
        event["typed"] = Value::Bool(true);
    }
    let reply = match send(transport, event).await {
        Ok(reply) => reply,
        // A refusal of the whole batch is not about one item: stop rather than guess.
        Err(e) if e.is_record_fault() => {
            return Err(AppError::dispatcher(
                DispatcherKind::InvalidReply,
                "BatchRefused",
                format!("the dispatcher refused a whole batch: {e}"),
            ))
        }
        Err(e) => return Err(e),
    };
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
    if typed && reply.get("Typed") != Some(&Value::Bool(true)) {
        return Err(AppError::invalid_reply(
            "the dispatcher ignored \"typed\": its last batch may hold DynamoDB JSON as maps; \
             seed again with --engine direct (or update the function with `setup`)",
        ));
    }
    if reply.get("Written").is_none() {
        return Err(AppError::invalid_reply(format!(
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
) -> Result<Attempt, AppError> {
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
            Err(e) if e.is_record_fault() => attempt.failed.push((i, e.to_string())),
            // Keep what succeeded; the rest is sent again after a backoff.
            Err(e) if i > 0 && e.is_retryable() => {
                attempt.retry.extend(i..items.len());
                return Ok(attempt);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(attempt)
}

/// Sends one event once (the runner retries) and decodes the reply.
async fn send(transport: &Transport, event: Value) -> Result<Value, AppError> {
    let raw = transport.send_once_event(&event).await?;
    crate::reply::decode(&raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_keys_are_written_as_binary() {
        let schema = KeySchema {
            attributes: vec![("pk".into(), "B".into())],
        };
        let v: Value = serde_json::from_str(r#"{"pk": "AAEC", "note": "AAEC"}"#).unwrap();
        let item = to_table_item(v.as_object().unwrap(), &schema);
        assert_eq!(item["pk"], AttributeValue::B(Blob::new(vec![0, 1, 2])));
        assert_eq!(item["note"], AttributeValue::S("AAEC".into()));
    }

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
