//! Log lines of a stack — the function's (`/aws/lambda/…`) and the API's
//! access log (`/aws/apigateway/…`) — read with FilterLogEvents, each line
//! attributed to its request, and joined across both by request id.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

use aws_sdk_cloudwatchlogs::Client;
use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::error::{aws, AppError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The function's log group
    Function,
    /// The stage's access-log group
    Api,
    /// Both
    All,
}

/// One log line, as `logs -o json` prints it (one object per line).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub timestamp: String,
    pub source: Source,
    pub log_group: String,
    pub request_id: Option<String>,
    pub message: String,
    #[serde(skip)]
    pub millis: i64,
    #[serde(skip)]
    pub event_id: String,
    /// The log stream (a function's names its version: `…/[3]…`).
    #[serde(skip)]
    pub log_stream: String,
    /// Other ids the line names (an API line's API request id, a dispatcher
    /// line's apiRequestId).
    #[serde(skip)]
    pub other_ids: Vec<String>,
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let time = Utc
            .timestamp_millis_opt(self.millis)
            .single()
            .map(|t| t.format("%H:%M:%S%.3f").to_string())
            .unwrap_or_default();
        let source = match self.source {
            Source::Api => console::style("api     ").magenta(),
            _ => console::style("function").cyan(),
        };
        let id = self
            .request_id
            .as_deref()
            .map(|id| id.chars().take(8).collect::<String>())
            .unwrap_or_else(|| "-".repeat(8));
        write!(
            f,
            "{} {source} {} {}",
            console::style(time).dim(),
            console::style(id).dim(),
            crate::output::printable(self.message.trim_end())
        )
    }
}

/// Attributes lines to requests, stream by stream: a function's own output
/// has no request id, but sits between START and END of its request.
#[derive(Default)]
pub struct Attribution {
    current: HashMap<String, Option<String>>,
}

impl Attribution {
    pub fn line(
        &mut self,
        source: Source,
        group: &str,
        stream: &str,
        event_id: &str,
        millis: i64,
        message: &str,
    ) -> Line {
        let (request_id, other_ids) = match source {
            Source::Api => api_ids(message),
            _ => {
                let explicit = ["START RequestId: ", "END RequestId: ", "REPORT RequestId: "]
                    .iter()
                    .find_map(|prefix| message.strip_prefix(prefix))
                    .and_then(|rest| rest.split_whitespace().next())
                    .map(str::to_string);
                let current = self.current.entry(stream.to_string()).or_default();
                if message.starts_with("START RequestId: ") {
                    *current = explicit.clone();
                }
                let json: Option<Value> = serde_json::from_str(message.trim()).ok();
                let from_json = json
                    .as_ref()
                    .and_then(|j| j["requestId"].as_str().map(str::to_string));
                let api_id = json
                    .as_ref()
                    .and_then(|j| j["apiRequestId"].as_str().map(str::to_string));
                let id = explicit.or(from_json).or_else(|| current.clone());
                if message.starts_with("REPORT RequestId: ") {
                    *current = None;
                }
                (id, api_id.into_iter().collect())
            }
        };
        Line {
            timestamp: Utc
                .timestamp_millis_opt(millis)
                .single()
                .unwrap_or_default()
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            source,
            log_group: group.to_string(),
            request_id,
            message: message.to_string(),
            millis,
            event_id: event_id.to_string(),
            log_stream: stream.to_string(),
            other_ids,
        }
    }
}

/// An access-log line's ids: (the Lambda request id when known, else the
/// API's; the other one).
fn api_ids(message: &str) -> (Option<String>, Vec<String>) {
    let json: Value = serde_json::from_str(message.trim()).unwrap_or(Value::Null);
    let known = |v: &Value| {
        v.as_str()
            .filter(|s| !s.is_empty() && *s != "-")
            .map(str::to_string)
    };
    let api = known(&json["requestId"]);
    match known(&json["integrationRequestId"]) {
        Some(lambda) => (Some(lambda), api.into_iter().collect()),
        None => (api, Vec::new()),
    }
}

/// What to read.
pub struct Query {
    /// (source, log group)
    pub groups: Vec<(Source, String)>,
    pub since_millis: i64,
    pub filter: Option<String>,
    pub request_id: Option<String>,
}

/// One log event: (stream, event id, millis, message).
type Event = (String, String, i64, String);

/// Reads every event since `from` of a group; None when the group does not
/// exist (yet, or any more).
async fn events(client: &Client, group: &str, from: i64) -> Result<Option<Vec<Event>>, AppError> {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let result = client
            .filter_log_events()
            .log_group_name(group)
            .start_time(from)
            .set_next_token(token.clone())
            .send()
            .await;
        let page = match result {
            Ok(page) => page,
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_not_found_exception()) =>
            {
                return Ok(None)
            }
            Err(e) => return Err(aws::error("logs", format!("cannot read {group}"), &e)),
        };
        for e in page.events() {
            out.push((
                e.log_stream_name().unwrap_or_default().to_string(),
                e.event_id().unwrap_or_default().to_string(),
                e.timestamp().unwrap_or_default(),
                e.message().unwrap_or_default().to_string(),
            ));
        }
        let next = page.next_token().map(str::to_string);
        if next.is_none() || next == token {
            return Ok(Some(out));
        }
        token = next;
    }
}

/// Reads the lines of every group, attributed and in time order (a group
/// that does not exist has none).
pub async fn read(
    client: &Client,
    groups: &[(Source, String)],
    from: i64,
    attribution: &mut Attribution,
) -> Result<Vec<Line>, AppError> {
    Ok(read_groups(client, groups, from, attribution).await?.0)
}

/// The lines of every group, and how many of the groups exist.
async fn read_groups(
    client: &Client,
    groups: &[(Source, String)],
    from: i64,
    attribution: &mut Attribution,
) -> Result<(Vec<Line>, usize), AppError> {
    let mut lines = Vec::new();
    let mut present = 0;
    for (source, group) in groups {
        let Some(mut raw) = events(client, group, from).await? else {
            continue;
        };
        present += 1;
        // Attribution needs each stream in order.
        raw.sort_by_key(|(stream, id, millis, _)| (stream.clone(), *millis, id.clone()));
        for (stream, id, millis, message) in raw {
            lines.push(attribution.line(*source, group, &stream, &id, millis, &message));
        }
    }
    lines.sort_by_key(|l| (l.millis, l.event_id.clone()));
    Ok((lines, present))
}

/// The request ids that belong to `id`: itself, and the other id of a line
/// joining an API request to its Lambda request.
pub fn related_ids(lines: &[Line], id: &str) -> HashSet<String> {
    let mut ids = HashSet::from([id.to_string()]);
    for line in lines {
        let names_it =
            line.request_id.as_deref() == Some(id) || line.other_ids.iter().any(|o| o == id);
        if names_it {
            ids.extend(line.request_id.clone());
            ids.extend(line.other_ids.iter().cloned());
        }
    }
    ids
}

/// Keeps the lines a query asks for.
pub fn select(lines: Vec<Line>, query: &Query) -> Vec<Line> {
    let ids = query
        .request_id
        .as_deref()
        .map(|id| related_ids(&lines, id));
    lines
        .into_iter()
        .filter(|l| {
            query
                .filter
                .as_deref()
                .is_none_or(|text| l.message.contains(text))
        })
        .filter(|l| {
            ids.as_ref().is_none_or(|ids| {
                l.request_id.as_ref().is_some_and(|r| ids.contains(r))
                    || l.other_ids.iter().any(|o| ids.contains(o))
            })
        })
        .collect()
}

/// Follows new lines (FilterLogEvents polled once a second, as `aws logs
/// tail --follow` does), calling `emit` for each, until `stop` is set.
/// Groups not there yet are waited for, saying so; groups that were there
/// and are all gone (a teardown) end the follow with a not-found error.
pub async fn follow(
    client: &Client,
    query: &Query,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    notes: &dyn crate::output::Progress,
    mut emit: impl FnMut(&Line) -> bool,
) -> Result<(), AppError> {
    let mut seen_groups = false;
    let mut waiting_said = false;
    let mut attribution = Attribution::default();
    let mut seen: VecDeque<String> = VecDeque::new();
    let mut seen_set: HashSet<String> = HashSet::new();
    let mut from = query.since_millis;
    let mut known: Vec<Line> = Vec::new();
    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        let (lines, present) = read_groups(client, &query.groups, from, &mut attribution).await?;
        match (present, seen_groups) {
            (0, true) => {
                return Err(AppError::not_found(
                    "the stack's log groups are gone (was it torn down?): stopped following",
                ))
            }
            (0, false) if !waiting_said => {
                let names: Vec<&str> = query.groups.iter().map(|(_, g)| g.as_str()).collect();
                notes.note(&format!(
                    "no log group of the stack exists yet ({}); waiting for the first one",
                    names.join(", ")
                ));
                waiting_said = true;
            }
            (0, false) => {}
            _ => seen_groups = true,
        }
        let mut fresh = Vec::new();
        for line in lines {
            if seen_set.insert(line.event_id.clone()) {
                seen.push_back(line.event_id.clone());
                from = from.max(line.millis - 5_000);
                fresh.push(line);
            }
        }
        while seen.len() > 100_000 {
            if let Some(old) = seen.pop_front() {
                seen_set.remove(&old);
            }
        }
        // Request-id joins need the lines seen so far.
        known.extend(fresh.iter().cloned());
        let ids = query
            .request_id
            .as_deref()
            .map(|id| related_ids(&known, id));
        for line in &fresh {
            let text_ok = query
                .filter
                .as_deref()
                .is_none_or(|t| line.message.contains(t));
            let id_ok = ids.as_ref().is_none_or(|ids| {
                line.request_id.as_ref().is_some_and(|r| ids.contains(r))
                    || line.other_ids.iter().any(|o| ids.contains(o))
            });
            if text_ok && id_ok && !emit(line) {
                return Ok(());
            }
        }
        if known.len() > 10_000 {
            known.drain(..5_000);
        }
        for _ in 0..10 {
            if stop.load(std::sync::atomic::Ordering::SeqCst) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    Ok(())
}

/// `--since`: a duration back from now (`30s`, `10m`, `1h30m`, `2d`) or a
/// timestamp (RFC 3339); epoch milliseconds.
pub fn parse_since(text: &str) -> Result<i64, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.timestamp_millis());
    }
    let mut total = 0i64;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().map_err(|_| {
            format!("`{text}`: expected a duration (30s, 10m, 1h, 2d) or an RFC 3339 time")
        })?;
        number.clear();
        total += n * match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            'w' => 7 * 86_400,
            _ => return Err(format!("`{text}`: unknown unit `{c}` (s, m, h, d, w)")),
        };
    }
    if !number.is_empty() || total == 0 {
        return Err(format!(
            "`{text}`: expected a duration with a unit (30s, 10m, 1h, 2d) or an RFC 3339 time"
        ));
    }
    Ok(Utc::now().timestamp_millis() - total * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_attributed_to_their_request() {
        let mut a = Attribution::default();
        let f = Source::Function;
        let start = a.line(
            f,
            "g",
            "s1",
            "1",
            1,
            "START RequestId: aaa Version: $LATEST",
        );
        let own = a.line(f, "g", "s1", "2", 2, "some handler output");
        let json = a.line(
            f,
            "g",
            "s1",
            "3",
            3,
            r#"{"operation":"read","requestId":"aaa","apiRequestId":"api-1"}"#,
        );
        let report = a.line(
            f,
            "g",
            "s1",
            "4",
            4,
            "REPORT RequestId: aaa\tDuration: 1.00 ms",
        );
        let after = a.line(f, "g", "s1", "5", 5, "stray");
        assert_eq!(start.request_id.as_deref(), Some("aaa"));
        assert_eq!(own.request_id.as_deref(), Some("aaa"));
        assert_eq!(json.other_ids, vec!["api-1"]);
        assert_eq!(report.request_id.as_deref(), Some("aaa"));
        assert_eq!(after.request_id, None);
        let api = a.line(
            Source::Api,
            "g2",
            "s",
            "6",
            6,
            r#"{"requestId":"api-1","integrationRequestId":"aaa","status":"200"}"#,
        );
        assert_eq!(api.request_id.as_deref(), Some("aaa"));
        let lines = vec![start, own, json, report, after, api];
        let by_api = related_ids(&lines, "api-1");
        assert!(by_api.contains("aaa"));
        let q = Query {
            groups: vec![],
            since_millis: 0,
            filter: None,
            request_id: Some("api-1".into()),
        };
        assert_eq!(
            select(lines, &q).len(),
            5,
            "every line of the request, API line included"
        );
    }

    #[test]
    fn since_takes_durations_and_timestamps() {
        let now = Utc::now().timestamp_millis();
        let t = parse_since("10m").unwrap();
        assert!((now - t - 600_000).abs() < 2_000);
        let t = parse_since("1h30m").unwrap();
        assert!((now - t - 5_400_000).abs() < 2_000);
        assert_eq!(
            parse_since("2026-11-23T10:00:00Z").unwrap(),
            1_795_428_000_000
        );
        assert!(parse_since("10").is_err() && parse_since("5x").is_err());
    }
}
