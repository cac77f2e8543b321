//! Where exported items come from: a parallel Scan, either straight from
//! DynamoDB or through the dispatcher's `list` (its Segment/TotalSegments
//! payload, asked for DynamoDB JSON with `"typed": true`).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{json, Map, Value};

use crate::error::{aws, AppError, DispatcherKind};
use crate::event::{event, Operation};
use crate::transport::Transport;

pub type Item = HashMap<String, AttributeValue>;

/// One page of one segment.
pub struct Page {
    pub items: Vec<Item>,
    pub scanned: u64,
    /// Where the segment continues (as the source takes it back), or None
    /// when the segment is done.
    pub next: Option<Value>,
}

/// The Scan's filter: FilterExpression with its placeholders (plain JSON
/// values, as `list` builds them).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub expression: Option<String>,
    pub names: Map<String, Value>,
    pub values: Map<String, Value>,
    pub consistent: bool,
    /// Items per Scan request (Limit); not part of the query's identity.
    pub page_size: Option<u32>,
}

impl Filter {
    /// A stable text of the query, so `--resume` refuses another one.
    pub fn describe(&self) -> String {
        json!({
            "filter": self.expression,
            "names": self.names,
            "values": self.values,
            "consistent": self.consistent,
        })
        .to_string()
    }
}

pub enum Source {
    Direct {
        client: aws_sdk_dynamodb::Client,
        table: String,
    },
    Dispatcher {
        transport: Transport,
        table: String,
        /// The dispatcher answers typed `list`s (ours does; the tutorial's
        /// returns plain JSON, which loses sets and binary).
        typed: bool,
    },
}

impl Source {
    pub fn name(&self) -> &'static str {
        match self {
            Source::Direct { .. } => "direct Scan",
            Source::Dispatcher { typed: true, .. } => "dispatcher list",
            Source::Dispatcher { .. } => {
                "dispatcher list (plain JSON: sets and binary approximated)"
            }
        }
    }

    /// The dispatcher source, after asking whether it answers typed lists.
    pub async fn dispatcher(transport: Transport, table: &str) -> Result<Source, AppError> {
        let typed = crate::seed::sink::typed_batch_supported(&transport, table).await?;
        Ok(Source::Dispatcher {
            transport,
            table: table.to_string(),
            typed,
        })
    }

    /// Whether items keep every type through this source.
    pub fn is_lossless(&self) -> bool {
        !matches!(self, Source::Dispatcher { typed: false, .. })
    }

    /// One page of `segment` (of `total`), starting after `start`.
    pub async fn page(
        &self,
        segment: u32,
        total: u32,
        start: Option<&Value>,
        filter: &Filter,
    ) -> Result<Page, AppError> {
        match self {
            Source::Direct { client, table } => {
                direct_page(client, table, segment, total, start, filter).await
            }
            Source::Dispatcher {
                transport,
                table,
                typed,
            } => dispatcher_page(transport, table, *typed, segment, total, start, filter).await,
        }
    }
}

/// Items per Scan request unless `--page-size` says, shared by the segments.
/// Memory follows the items held, not their bytes: a 1 MB page of 90-byte
/// items is 13,000 parsed items (67 MB peak); 5,000 in all keep an export
/// under 40 MB. DynamoDB bills capacity by size, not by request, so smaller
/// pages cost nothing more; moto walks its table once per page, so on the
/// local stack (1 segment) the pages stay large.
pub const DIRECT_PAGE_ITEMS: u32 = 5000;

async fn direct_page(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    segment: u32,
    total: u32,
    start: Option<&Value>,
    filter: &Filter,
) -> Result<Page, AppError> {
    let mut request = client.scan().table_name(table);
    if total > 1 {
        request = request.segment(segment as i32).total_segments(total as i32);
    }
    if let Some(start) = start {
        let key = start
            .as_object()
            .ok_or("not an object")
            .map_err(String::from)
            .and_then(crate::ddb_json::item_from_json)
            .map_err(|e| AppError::usage(format!("the checkpoint's start key is damaged: {e}")))?;
        request = request.set_exclusive_start_key(Some(key));
    }
    if let Some(expression) = &filter.expression {
        request = request.filter_expression(expression);
    }
    for (placeholder, name) in &filter.names {
        if let Some(name) = name.as_str() {
            request = request.expression_attribute_names(placeholder, name);
        }
    }
    for (placeholder, value) in &filter.values {
        request = request
            .expression_attribute_values(placeholder, crate::seed::sink::to_attribute(value));
    }
    if filter.consistent {
        request = request.consistent_read(true);
    }
    let limit = filter
        .page_size
        .unwrap_or((DIRECT_PAGE_ITEMS / total.max(1)).max(100));
    request = request.limit(limit as i32);
    let out = request
        .send()
        .await
        .map_err(|e| aws::error("dynamodb", format!("Scan of {table}"), &e))?;
    Ok(Page {
        scanned: out.scanned_count().max(0) as u64,
        next: out
            .last_evaluated_key()
            .map(|key| Value::Object(crate::ddb_json::item_to_json(key))),
        items: out.items.unwrap_or_default(),
    })
}

/// Items asked of the dispatcher per invocation unless `--page-size` says:
/// a whole 1 MB Scan page is one reply of up to ~3 MB of JSON, slow to build
/// and parse in the function (12 s on the local stack) and close to Lambda's
/// 6 MB reply limit; 1,000 items keep each invocation short.
pub const DISPATCHER_PAGE_ITEMS: u32 = 1000;

async fn dispatcher_page(
    transport: &Transport,
    table: &str,
    typed: bool,
    segment: u32,
    total: u32,
    start: Option<&Value>,
    filter: &Filter,
) -> Result<Page, AppError> {
    let mut payload = Map::new();
    if total > 1 {
        payload.insert("Segment".into(), segment.into());
        payload.insert("TotalSegments".into(), total.into());
    }
    if let Some(start) = start {
        payload.insert("ExclusiveStartKey".into(), start.clone());
    }
    if let Some(expression) = &filter.expression {
        payload.insert("FilterExpression".into(), expression.clone().into());
    }
    if !filter.names.is_empty() {
        payload.insert(
            "ExpressionAttributeNames".into(),
            Value::Object(filter.names.clone()),
        );
    }
    if !filter.values.is_empty() {
        payload.insert(
            "ExpressionAttributeValues".into(),
            Value::Object(filter.values.clone()),
        );
    }
    if filter.consistent {
        payload.insert("ConsistentRead".into(), true.into());
    }
    let limit = filter.page_size.unwrap_or(DISPATCHER_PAGE_ITEMS);
    payload.insert("Limit".into(), limit.into());
    let mut event = event(Operation::List, Some(table), Some(Value::Object(payload)));
    if typed {
        event["typed"] = Value::Bool(true);
    }
    let raw = transport.send(&event, true).await?;
    let reply = crate::reply::decode(&raw)?;
    let invalid = |what: &str| {
        AppError::dispatcher(
            DispatcherKind::InvalidReply,
            "InvalidReply",
            format!("the dispatcher's list reply {what}"),
        )
    };
    let items = reply
        .get("Items")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("has no \"Items\" list"))?;
    let items = items
        .iter()
        .map(|item| {
            let map = item
                .as_object()
                .ok_or_else(|| invalid("holds a non-object item"))?;
            if typed {
                crate::ddb_json::item_from_json(map)
                    .map_err(|e| invalid(&format!("holds an item that is not DynamoDB JSON: {e}")))
            } else {
                Ok(crate::seed::sink::to_item(map))
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page {
        items,
        scanned: reply
            .get("ScannedCount")
            .and_then(Value::as_u64)
            .unwrap_or(0),
        next: reply
            .get("LastEvaluatedKey")
            .filter(|k| k.as_object().is_some_and(|m| !m.is_empty()))
            .cloned(),
    })
}
