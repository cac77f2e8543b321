//! Where exported items come from: a parallel Scan, either straight from
//! DynamoDB or through the dispatcher's `list` (its Segment/TotalSegments
//! payload, asked for DynamoDB JSON with `"typed": true`).

use std::collections::HashMap;
use std::ops::Range;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Map, Value};

use crate::aws_http::JsonApi;
use crate::error::AppError;
use crate::event::{event, Operation};
use crate::transport::Transport;

pub type Item = HashMap<String, AttributeValue>;

/// One page of one segment.
pub struct Page {
    pub items: Items,
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

/// A page's items. A direct Scan's page stays the reply's bytes, each item
/// decoded only as it is written: a 1 MB page of small items is ~13,000
/// items, ~67 MB once decoded together, a few MB as bytes.
pub enum Items {
    /// Decoded already (the dispatcher's replies: 1,000 items each).
    Decoded(Vec<Item>),
    /// A Scan reply and where each item (DynamoDB JSON) lies in it.
    Raw {
        body: bytes::Bytes,
        spans: Vec<Range<usize>>,
        /// Who sent it: an unreadable item is that side's error.
        from: ReplyFrom,
    },
}

/// The sender of a Scan reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyFrom {
    DynamoDb,
    Dispatcher,
}

impl ReplyFrom {
    /// The reply is not what was expected: DynamoDB's Scan error, or the
    /// dispatcher's InvalidReply (exit 6), as a decoded page reports it.
    fn invalid(self, what: &str) -> AppError {
        match self {
            ReplyFrom::DynamoDb => AppError::Aws {
                service: "dynamodb",
                what: "Scan".into(),
                code: None,
                message: format!("the Scan reply {what}"),
                retryable: false,
            },
            ReplyFrom::Dispatcher => {
                AppError::invalid_reply(format!("the dispatcher's list reply {what}"))
            }
        }
    }
}

impl Items {
    pub fn len(&self) -> usize {
        match self {
            Items::Decoded(items) => items.len(),
            Items::Raw { spans, .. } => spans.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `each` with every item in order, decoding one at a time.
    pub fn try_for_each(&self, mut each: impl FnMut(&Item)) -> Result<(), AppError> {
        match self {
            Items::Decoded(items) => items.iter().for_each(each),
            Items::Raw { body, spans, from } => {
                for span in spans {
                    let item = serde_json::from_slice::<Map<String, Value>>(&body[span.clone()])
                        .map_err(|e| e.to_string())
                        .and_then(|map| crate::ddb_json::item_from_json(&map))
                        .map_err(|e| from.invalid(&format!("holds an unreadable item: {e}")))?;
                    each(&item);
                }
            }
        }
        Ok(())
    }
}

/// A Scan reply (DynamoDB's, or a typed `list` of our dispatcher), its
/// items left as they are (spans of the reply).
#[derive(Deserialize)]
struct ScanReply<'a> {
    #[serde(rename = "Items", borrow)]
    items: Option<Vec<&'a RawValue>>,
    #[serde(rename = "ScannedCount", default)]
    scanned_count: u64,
    #[serde(rename = "LastEvaluatedKey", default)]
    last_evaluated_key: Option<Map<String, Value>>,
    /// The dispatcher's mark of DynamoDB JSON items.
    #[serde(rename = "Typed", default)]
    typed: bool,
}

impl Page {
    /// A Scan reply as a page whose items stay in `body`.
    fn from_scan_reply(body: bytes::Bytes) -> Result<Page, AppError> {
        let reply: ScanReply = serde_json::from_slice(&body)
            .map_err(|e| ReplyFrom::DynamoDb.invalid(&format!("is not the JSON expected: {e}")))?;
        Ok(Page::of_reply(&body, reply, ReplyFrom::DynamoDb))
    }

    /// A typed `list` reply as the dispatcher sent it (the Invoke payload or
    /// the 2xx body) kept as bytes; None, the reply left as it was, for
    /// anything else (an envelope, an error, plain JSON), which the general
    /// decoding handles.
    fn from_typed_list_reply(raw: &mut crate::transport::RawReply) -> Option<Page> {
        if raw.function_error.is_some() || !(200..300).contains(&raw.status) {
            return None;
        }
        let body = bytes::Bytes::from(std::mem::take(&mut raw.body));
        let page = match serde_json::from_slice::<ScanReply>(&body) {
            Ok(reply) if reply.typed && reply.items.is_some() => {
                Some(Page::of_reply(&body, reply, ReplyFrom::Dispatcher))
            }
            _ => None,
        };
        if page.is_none() {
            raw.body = Vec::from(body);
        }
        page
    }

    fn of_reply(body: &bytes::Bytes, reply: ScanReply, from: ReplyFrom) -> Page {
        let base = body.as_ptr() as usize;
        let spans = reply
            .items
            .unwrap_or_default()
            .iter()
            .map(|raw| {
                let start = raw.get().as_ptr() as usize - base;
                start..start + raw.get().len()
            })
            .collect();
        let next = reply
            .last_evaluated_key
            .filter(|key| !key.is_empty())
            .map(Value::Object);
        Page {
            items: Items::Raw {
                body: body.clone(),
                spans,
                from,
            },
            scanned: reply.scanned_count,
            next,
        }
    }
}

pub enum Source {
    Direct {
        /// DynamoDB's JSON API: the Scan replies are kept as bytes.
        api: JsonApi,
        table: String,
    },
    Dispatcher {
        transport: Transport,
        table: String,
        /// The dispatcher answers typed `list`s (ours does; the tutorial's
        /// returns plain JSON, which loses sets and binary).
        typed: bool,
        /// `Limit` per invocation unless `--page-size` says.
        page_items: Option<u32>,
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
    pub async fn dispatcher(
        transport: Transport,
        table: &str,
        local: bool,
    ) -> Result<Source, AppError> {
        let typed = crate::seed::sink::typed_batch_supported(&transport, table).await?;
        Ok(Source::Dispatcher {
            transport,
            table: table.to_string(),
            typed,
            page_items: dispatcher_page_items(local, typed),
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
            Source::Direct { api, table } => {
                direct_page(api, table, segment, total, start, filter).await
            }
            Source::Dispatcher {
                transport,
                table,
                typed,
                page_items,
            } => {
                dispatcher_page(
                    transport,
                    table,
                    *typed,
                    *page_items,
                    segment,
                    total,
                    start,
                    filter,
                )
                .await
            }
        }
    }
}

/// A Scan page straight from DynamoDB. No `Limit` unless `--page-size`
/// says: DynamoDB ends each page at 1 MB, and moto sorts and walks its whole
/// table for every page, so fewer pages are what make the local stack fast;
/// memory stays flat because the page is kept as bytes (`Items::Raw`).
async fn direct_page(
    api: &JsonApi,
    table: &str,
    segment: u32,
    total: u32,
    start: Option<&Value>,
    filter: &Filter,
) -> Result<Page, AppError> {
    if let Some(start) = start {
        // The checkpoint's key, checked before DynamoDB sees it.
        start
            .as_object()
            .ok_or("not an object")
            .map_err(String::from)
            .and_then(crate::ddb_json::item_from_json)
            .map_err(|e| AppError::usage(format!("the checkpoint's start key is damaged: {e}")))?;
    }
    let mut request = Map::new();
    request.insert("TableName".into(), table.into());
    request.extend(scan_params(segment, total, start, filter, ValuesAs::Typed));
    if let Some(limit) = filter.page_size {
        request.insert("Limit".into(), limit.into());
    }
    let body = serde_json::to_vec(&Value::Object(request)).expect("JSON");
    let what = format!("Scan of {table}");
    let reply = crate::retry::retry_transient(crate::retry::Schedule::AWS_READ, || {
        api.call("Scan", &what, &body, true)
    })
    .await?;
    Page::from_scan_reply(reply)
}

/// How a Scan's ExpressionAttributeValues travel: DynamoDB JSON to
/// DynamoDB, plain JSON to the dispatcher's `list`.
#[derive(Clone, Copy)]
enum ValuesAs {
    Typed,
    Plain,
}

/// The Scan parameters both sources send (all but TableName and Limit).
fn scan_params(
    segment: u32,
    total: u32,
    start: Option<&Value>,
    filter: &Filter,
    values_as: ValuesAs,
) -> Map<String, Value> {
    let mut params = Map::new();
    if total > 1 {
        params.insert("Segment".into(), segment.into());
        params.insert("TotalSegments".into(), total.into());
    }
    if let Some(start) = start {
        params.insert("ExclusiveStartKey".into(), start.clone());
    }
    if let Some(expression) = &filter.expression {
        params.insert("FilterExpression".into(), expression.clone().into());
    }
    if !filter.names.is_empty() {
        params.insert(
            "ExpressionAttributeNames".into(),
            Value::Object(filter.names.clone()),
        );
    }
    if !filter.values.is_empty() {
        let values = match values_as {
            ValuesAs::Plain => filter.values.clone(),
            ValuesAs::Typed => filter
                .values
                .iter()
                .map(|(placeholder, value)| {
                    let typed = crate::ddb_json::to_json(&crate::seed::sink::to_attribute(value));
                    (placeholder.clone(), typed)
                })
                .collect(),
        };
        params.insert("ExpressionAttributeValues".into(), Value::Object(values));
    }
    if filter.consistent {
        params.insert("ConsistentRead".into(), true.into());
    }
    params
}

/// Items asked of the dispatcher per invocation unless `--page-size` says.
/// On AWS 1,000: each invocation stays short and its reply far from
/// Lambda's 6 MB limit. On the local stack, where moto sorts and walks its
/// whole table for every page, a typed list takes DynamoDB's 1 MB pages as
/// `--direct` does: our dispatcher hands the items on as DynamoDB sent them
/// and the CLI keeps the reply as bytes, so a large page is cheap in both.
/// The tutorial's plain-JSON dispatcher parses every value: 1,000.
pub fn dispatcher_page_items(local: bool, typed: bool) -> Option<u32> {
    match local && typed {
        true => None,
        false => Some(1000),
    }
}

#[allow(clippy::too_many_arguments)]
async fn dispatcher_page(
    transport: &Transport,
    table: &str,
    typed: bool,
    default_limit: Option<u32>,
    segment: u32,
    total: u32,
    start: Option<&Value>,
    filter: &Filter,
) -> Result<Page, AppError> {
    // `list` takes the filter's values as plain JSON, as it builds them.
    let mut payload = scan_params(segment, total, start, filter, ValuesAs::Plain);
    if let Some(limit) = filter.page_size.or(default_limit) {
        payload.insert("Limit".into(), limit.into());
    }
    let mut event = event(Operation::List, Some(table), Some(Value::Object(payload)));
    if typed {
        event["typed"] = Value::Bool(true);
    }
    let mut raw = transport.send(&event, true).await?;
    if typed {
        if let Some(page) = Page::from_typed_list_reply(&mut raw) {
            return Ok(page);
        }
    }
    let reply = crate::reply::decode(&raw)?;
    let invalid = |what: &str| ReplyFrom::Dispatcher.invalid(what);
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
        items: Items::Decoded(items),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_reply_stays_bytes_and_decodes_item_by_item() {
        let body = br#"{"Count":2,"Items":[{"id":{"S":"a"},"n":{"N":"12345678901234567890123456789012345678"}},
            {"id":{"S":"b"},"s":{"SS":["y","x"]}}],"LastEvaluatedKey":{"id":{"S":"b"}},"ScannedCount":3}"#;
        let page = Page::from_scan_reply(bytes::Bytes::from_static(body)).unwrap();
        assert_eq!(page.scanned, 3);
        assert_eq!(page.next, Some(json!({"id": {"S": "b"}})));
        assert_eq!(page.items.len(), 2);
        let mut seen = Vec::new();
        page.items
            .try_for_each(|item| seen.push(crate::ddb_json::item_to_json(item)))
            .unwrap();
        assert_eq!(
            seen[0]["n"],
            json!({"N": "12345678901234567890123456789012345678"})
        );
        assert_eq!(seen[1]["s"], json!({"SS": ["y", "x"]}));
    }

    #[test]
    fn the_last_page_has_no_next_and_a_bad_item_fails_the_page() {
        let page = Page::from_scan_reply(bytes::Bytes::from_static(
            br#"{"Items":[{"id":{"S":"a"}},{"id":{"Q":"?"}}],"ScannedCount":2,"LastEvaluatedKey":{}}"#,
        ))
        .unwrap();
        assert_eq!(page.next, None);
        let mut written = 0;
        let err = page.items.try_for_each(|_| written += 1).unwrap_err();
        assert_eq!(written, 1);
        assert!(err.to_string().contains("unreadable item"), "{err}");
        assert!(Page::from_scan_reply(bytes::Bytes::from_static(b"<html>")).is_err());
    }

    fn reply(status: u16, body: &str) -> crate::transport::RawReply {
        crate::transport::RawReply {
            via: crate::transport::Via::Lambda,
            status,
            function_error: None,
            body: body.as_bytes().to_vec(),
            elapsed: std::time::Duration::ZERO,
            request_id: None,
        }
    }

    #[test]
    fn a_typed_list_reply_stays_bytes_and_anything_else_is_left_alone() {
        let mut raw = reply(
            200,
            r#"{"Items":[{"id":{"S":"a"}}],"Count":1,"ScannedCount":1,"Typed":true}"#,
        );
        let page = Page::from_typed_list_reply(&mut raw).unwrap();
        assert!(matches!(page.items, Items::Raw { .. }));
        assert_eq!((page.items.len(), page.scanned, page.next), (1, 1, None));
        for body in [
            r#"{"Items":[{"id":"a"}],"Count":1}"#,
            r#"{"errorType":"BadRequest","errorMessage":"no"}"#,
            r#"{"statusCode":200,"body":"{}"}"#,
        ] {
            let mut raw = reply(200, body);
            assert!(Page::from_typed_list_reply(&mut raw).is_none(), "{body}");
            assert_eq!(raw.body, body.as_bytes(), "the reply is left as it was");
        }
        let mut bad = reply(200, r#"{"Items":[{"id":{"Q":"?"}}],"Typed":true}"#);
        let page = Page::from_typed_list_reply(&mut bad).unwrap();
        let err = page.items.try_for_each(|_| ()).unwrap_err();
        assert!(
            matches!(err, AppError::Dispatcher { .. })
                && err.to_string().contains("dispatcher's list reply"),
            "the dispatcher's bad item is the dispatcher's InvalidReply: {err:?}"
        );
        let mut failed = reply(200, r#"{"Items":[],"Typed":true}"#);
        failed.function_error = Some("Unhandled".into());
        assert!(Page::from_typed_list_reply(&mut failed).is_none());
    }

    #[test]
    fn both_sources_send_the_same_scan_parameters_with_their_values_typed_or_plain() {
        let filter = Filter {
            expression: Some("#s = :v".into()),
            names: json!({"#s": "status"}).as_object().unwrap().clone(),
            values: json!({":v": "active"}).as_object().unwrap().clone(),
            consistent: true,
            page_size: Some(5),
        };
        let start = json!({"id": {"S": "k"}});
        let typed = scan_params(1, 4, Some(&start), &filter, ValuesAs::Typed);
        let plain = scan_params(1, 4, Some(&start), &filter, ValuesAs::Plain);
        assert_eq!(
            typed["ExpressionAttributeValues"],
            json!({":v": {"S": "active"}})
        );
        assert_eq!(plain["ExpressionAttributeValues"], json!({":v": "active"}));
        for params in [&typed, &plain] {
            assert_eq!(params["Segment"], 1);
            assert_eq!(params["TotalSegments"], 4);
            assert_eq!(params["ExclusiveStartKey"], start);
            assert_eq!(params["ExpressionAttributeNames"], json!({"#s": "status"}));
            assert_eq!(params["ConsistentRead"], true);
            assert!(!params.contains_key("Limit") && !params.contains_key("TableName"));
        }
        let one = scan_params(0, 1, None, &Filter::default(), ValuesAs::Typed);
        assert!(
            one.is_empty(),
            "one segment, no filter: nothing but the table: {one:?}"
        );
    }
}
