//! What API Gateway emits, emitted into the local AWS: one access-log line
//! per request to the stage's access-log group (in the stage's own format),
//! and AWS/ApiGateway metrics (Count, 4XXError, 5XXError, Latency,
//! IntegrationLatency by ApiName and Stage). Sent in batches by a background
//! task, every 2 s: no request waits for it.

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_cloudwatch::primitives::DateTime;
use aws_sdk_cloudwatch::types::{Dimension, MetricDatum, StandardUnit, StatisticSet};
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use tokio::sync::{mpsc, oneshot};

/// One served request, as access logs and metrics see it.
#[derive(Debug, Default, Clone)]
pub struct Trace {
    pub request_id: String,
    pub api_id: String,
    pub api_name: String,
    pub stage: String,
    pub method: String,
    pub resource_path: String,
    pub path: String,
    pub source_ip: String,
    pub caller: Option<String>,
    pub user_agent: Option<String>,
    pub api_key_id: Option<String>,
    pub status: u16,
    pub response_length: usize,
    pub latency_ms: f64,
    /// Set when the integration ran.
    pub integration_request_id: Option<String>,
    pub integration_latency_ms: Option<f64>,
    pub integration_status: Option<u16>,
    pub error_message: Option<String>,
    /// (log group, format) of the stage's access logging.
    pub access_log: Option<(String, String)>,
    pub time: chrono::DateTime<chrono::Utc>,
    /// An HTTP API's request: metrics by ApiId, named `4xx`/`5xx`.
    pub http_api: bool,
    /// The HTTP API route that served it (`$context.routeKey`).
    pub route_key: Option<String>,
    /// What a Lambda authorizer did (`$context.authorizer.*`).
    pub authorizer: Option<crate::gateway::authorizer::run::AuthorizerTrace>,
}

impl Trace {
    /// `$context.path`: REST's `/{stage}{path}`; an HTTP API's `$default`
    /// stage is not in its paths.
    fn context_path(&self) -> String {
        if self.http_api {
            self.path.clone()
        } else {
            format!("/{}{}", self.stage, self.path)
        }
    }

    /// A `$context` variable API Gateway's access-log formats use, None
    /// when it is not one. Looked up per placeholder: a line is rendered for
    /// every request, and a format names a few of the variables.
    fn variable(&self, name: &str) -> Option<String> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
        let authorizer = self.authorizer.as_ref();
        Some(match name {
            "requestId" | "extendedRequestId" => self.request_id.clone(),
            "apiId" => self.api_id.clone(),
            "stage" => self.stage.clone(),
            "httpMethod" => self.method.clone(),
            "resourcePath" => self.resource_path.clone(),
            "path" => self.context_path(),
            "routeKey" => opt(&self.route_key),
            "protocol" => "HTTP/1.1".into(),
            "status" => self.status.to_string(),
            "responseLength" => self.response_length.to_string(),
            "responseLatency" => format!("{:.0}", self.latency_ms),
            "requestTime" => self.time.format("%d/%b/%Y:%H:%M:%S +0000").to_string(),
            "requestTimeEpoch" => self.time.timestamp_millis().to_string(),
            "identity.sourceIp" => self.source_ip.clone(),
            "identity.caller" | "identity.user" => opt(&self.caller),
            "identity.userAgent" => opt(&self.user_agent),
            "identity.apiKeyId" => opt(&self.api_key_id),
            "integration.requestId" | "awsEndpointRequestId" => opt(&self.integration_request_id),
            "integration.latency" | "integrationLatency" => self
                .integration_latency_ms
                .map(|l| format!("{l:.0}"))
                .unwrap_or_else(|| "-".into()),
            "integration.status" => self
                .integration_status
                .map(|s| s.to_string())
                .unwrap_or_else(|| "-".into()),
            "error.message" => opt(&self.error_message),
            "authorizer.principalId" => opt(&authorizer.and_then(|a| a.principal_id.clone())),
            "authorizer.status" => opt(&authorizer.and_then(|a| a.status.map(|s| s.to_string()))),
            "authorizer.latency" => opt(&authorizer.map(|a| format!("{:.0}", a.latency_ms))),
            // Why the authorizer refused (or "allowed"), with cache hit or
            // miss: never the token.
            "authorizer.error" => opt(&authorizer.map(|a| a.describe())),
            _ => return None,
        })
    }
}

/// Renders an access-log format: each `$context.NAME` replaced by its value
/// (`-` when unknown), inside JSON strings escaped as JSON.
pub fn render(format: &str, trace: &Trace) -> String {
    let mut out = String::with_capacity(format.len() + 64);
    let mut rest = format;
    while let Some(at) = rest.find("$context.") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "$context.".len()..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
            .unwrap_or(after.len());
        let name = after[..len].trim_end_matches('.');
        let value = trace.variable(name).unwrap_or_else(|| "-".into());
        let escaped = serde_json::to_string(&value).unwrap_or_default();
        out.push_str(&escaped[1..escaped.len() - 1]);
        rest = &after[name.len()..];
    }
    out.push_str(rest);
    out
}

/// The log group an access-log destination ARN names.
pub fn group_of(destination_arn: &str) -> Option<String> {
    let group = destination_arn.split(":log-group:").nth(1)?;
    Some(group.trim_end_matches(":*").to_string())
}

/// Every how long queued traces are sent.
const BATCH_EVERY: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct Telemetry {
    tx: Option<mpsc::UnboundedSender<Trace>>,
    /// Asks the sender for a last batch; it acknowledges and ends.
    flush: Option<mpsc::Sender<oneshot::Sender<()>>>,
}

impl Telemetry {
    /// Starts the sender (disabled: traces are dropped).
    pub fn start(
        logs: aws_sdk_cloudwatchlogs::Client,
        cloudwatch: aws_sdk_cloudwatch::Client,
        enabled: bool,
    ) -> Telemetry {
        if !enabled {
            return Telemetry {
                tx: None,
                flush: None,
            };
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let (flush, flush_rx) = mpsc::channel(1);
        tokio::spawn(run(rx, flush_rx, Sender::new(logs, cloudwatch)));
        Telemetry {
            tx: Some(tx),
            flush: Some(flush),
        }
    }

    pub fn record(&self, trace: Trace) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(trace);
        }
    }

    /// Sends what is queued now, waiting at most `within`; the sender stops.
    pub async fn flush(&self, within: Duration) {
        let Some(flush) = &self.flush else {
            return;
        };
        let (ack, done) = oneshot::channel();
        if flush.send(ack).await.is_ok() {
            let _ = tokio::time::timeout(within, done).await;
        }
    }
}

async fn run(
    mut rx: mpsc::UnboundedReceiver<Trace>,
    mut flush: mpsc::Receiver<oneshot::Sender<()>>,
    mut sender: Sender,
) {
    loop {
        // Every 2 s: moto, which also serves the data, gets few requests.
        let last = tokio::select! {
            _ = tokio::time::sleep(BATCH_EVERY) => None,
            Some(ack) = flush.recv() => Some(ack),
        };
        let mut traces = Vec::new();
        while let Ok(trace) = rx.try_recv() {
            traces.push(trace);
        }
        if !traces.is_empty() {
            sender.send(&traces).await;
        }
        if let Some(ack) = last {
            let _ = ack.send(());
            return;
        }
    }
}

/// Puts access-log lines and metric data into the local AWS.
struct Sender {
    logs: aws_sdk_cloudwatchlogs::Client,
    cloudwatch: aws_sdk_cloudwatch::Client,
    stream: String,
    streams_made: Vec<String>,
}

impl Sender {
    fn new(logs: aws_sdk_cloudwatchlogs::Client, cloudwatch: aws_sdk_cloudwatch::Client) -> Sender {
        let stream = format!(
            "{}/gateway-{}",
            chrono::Utc::now().format("%Y/%m/%d"),
            std::process::id()
        );
        Sender {
            logs,
            cloudwatch,
            stream,
            streams_made: Vec::new(),
        }
    }

    async fn send(&mut self, traces: &[Trace]) {
        let mut by_group: HashMap<String, Vec<InputLogEvent>> = HashMap::new();
        for t in traces {
            if let Some((group, format)) = &t.access_log {
                let event = InputLogEvent::builder()
                    .timestamp(t.time.timestamp_millis())
                    .message(render(format, t))
                    .build();
                if let Ok(event) = event {
                    by_group.entry(group.clone()).or_default().push(event);
                }
            }
        }
        for (group, events) in by_group {
            self.put_log_events(&group, events).await;
        }
        let data = aggregate(traces);
        for chunk in data.chunks(500) {
            let _ = self
                .cloudwatch
                .put_metric_data()
                .namespace("AWS/ApiGateway")
                .set_metric_data(Some(chunk.to_vec()))
                .send()
                .await;
        }
    }

    async fn put_log_events(&mut self, group: &str, events: Vec<InputLogEvent>) {
        let key = format!("{group}\u{0}{}", self.stream);
        if !self.streams_made.contains(&key) {
            // The group is setup's; a missing group (torn down) drops the lines.
            let _ = self
                .logs
                .create_log_stream()
                .log_group_name(group)
                .log_stream_name(&self.stream)
                .send()
                .await;
            self.streams_made.push(key);
        }
        let _ = self
            .logs
            .put_log_events()
            .log_group_name(group)
            .log_stream_name(&self.stream)
            .set_log_events(Some(events))
            .send()
            .await;
    }
}

/// (metric, api, stage, unit)
/// (metric, dimension name, API, stage, unit)
type Key<'a> = (&'static str, &'static str, &'a str, &'a str, StandardUnit);

/// SampleCount, Sum, Minimum, Maximum of one metric.
struct Stats {
    count: f64,
    sum: f64,
    min: f64,
    max: f64,
}

/// The statistic sets by key, in the order first seen.
#[derive(Default)]
struct StatSets<'a>(Vec<(Key<'a>, Stats)>);

impl<'a> StatSets<'a> {
    fn add(&mut self, key: Key<'a>, value: f64) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, s)) => {
                s.count += 1.0;
                s.sum += value;
                s.min = s.min.min(value);
                s.max = s.max.max(value);
            }
            None => self.0.push((
                key,
                Stats {
                    count: 1.0,
                    sum: value,
                    min: value,
                    max: value,
                },
            )),
        }
    }
}

/// A second's requests as one statistic set per metric, API and stage
/// (SampleCount, Sum, Minimum, Maximum: sums stay exact) — as AWS itself
/// aggregates, and a fraction of the work for moto.
/// REST APIs by ApiName with `4XXError`/`5XXError`; HTTP APIs by ApiId
/// with `4xx`/`5xx` (AWS docs, "Monitor CloudWatch metrics for HTTP APIs").
fn aggregate(traces: &[Trace]) -> Vec<MetricDatum> {
    let mut sets = StatSets::default();
    for t in traces {
        let is =
            |range: std::ops::RangeInclusive<u16>| f64::from(u8::from(range.contains(&t.status)));
        let (dimension, api, e4, e5) = match t.http_api {
            true => ("ApiId", t.api_id.as_str(), "4xx", "5xx"),
            false => ("ApiName", t.api_name.as_str(), "4XXError", "5XXError"),
        };
        let stage = t.stage.as_str();
        let key = |name, unit| (name, dimension, api, stage, unit);
        sets.add(key("Count", StandardUnit::Count), 1.0);
        sets.add(key(e4, StandardUnit::Count), is(400..=499));
        sets.add(key(e5, StandardUnit::Count), is(500..=599));
        sets.add(key("Latency", StandardUnit::Milliseconds), t.latency_ms);
        if let Some(latency) = t.integration_latency_ms {
            sets.add(
                key("IntegrationLatency", StandardUnit::Milliseconds),
                latency,
            );
        }
    }
    let at = DateTime::from_millis(chrono::Utc::now().timestamp_millis());
    sets.0
        .into_iter()
        .map(|((name, dimension, api, stage, unit), s)| {
            MetricDatum::builder()
                .metric_name(name)
                .dimensions(Dimension::builder().name(dimension).value(api).build())
                .dimensions(Dimension::builder().name("Stage").value(stage).build())
                .timestamp(at)
                .statistic_values(
                    StatisticSet::builder()
                        .sample_count(s.count)
                        .sum(s.sum)
                        .minimum(s.min)
                        .maximum(s.max)
                        .build(),
                )
                .unit(unit)
                .build()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// REST metrics by ApiName (4XXError), HTTP APIs' by ApiId (4xx).
    #[test]
    fn http_api_metrics_are_named_and_dimensioned_as_cloudwatch_does() {
        let trace = |http_api: bool, status: u16| Trace {
            api_id: "abc".into(),
            api_name: "scrud-x".into(),
            stage: if http_api { "$default" } else { "v1" }.into(),
            status,
            http_api,
            ..Trace::default()
        };
        let data = aggregate(&[trace(true, 429), trace(false, 403)]);
        let find = |name: &str, dimension: &str| {
            data.iter().find(|d| {
                d.metric_name() == Some(name)
                    && d.dimensions().first().and_then(|x| x.name()) == Some(dimension)
            })
        };
        let http = find("4xx", "ApiId").unwrap();
        assert_eq!(http.dimensions()[0].value(), Some("abc"));
        assert_eq!(http.dimensions()[1].value(), Some("$default"));
        assert_eq!(http.statistic_values().unwrap().sum(), Some(1.0));
        assert!(find("4XXError", "ApiName").is_some());
        assert!(find("4XXError", "ApiId").is_none() && find("4xx", "ApiName").is_none());
        let line = render(
            r#"{"routeKey":"$context.routeKey","path":"$context.path"}"#,
            &Trace {
                route_key: Some("POST /crud".into()),
                path: "/crud".into(),
                http_api: true,
                ..Trace::default()
            },
        );
        assert_eq!(line, r#"{"routeKey":"POST /crud","path":"/crud"}"#);
    }

    #[test]
    fn access_log_formats_render_context_variables() {
        let trace = Trace {
            request_id: "r-1".into(),
            status: 404,
            integration_request_id: Some("l-1".into()),
            error_message: Some("say \"no\"".into()),
            ..Trace::default()
        };
        let format = r#"{"requestId":"$context.requestId","lambda":"$context.integration.requestId","status":"$context.status","err":"$context.error.message","x":"$context.unknown"}"#;
        let line: serde_json::Value = serde_json::from_str(&render(format, &trace)).unwrap();
        assert_eq!(line["requestId"], "r-1");
        assert_eq!(line["lambda"], "l-1");
        assert_eq!(line["status"], "404");
        assert_eq!(line["err"], "say \"no\"");
        assert_eq!(line["x"], "-");
        assert_eq!(
            group_of("arn:aws:logs:us-east-1:123:log-group:/aws/apigateway/scrud-x:*"),
            Some("/aws/apigateway/scrud-x".into())
        );
    }
}
