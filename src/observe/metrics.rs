//! A stack's figures: the function's and the API's from CloudWatch
//! (GetMetricData on AWS/Lambda and AWS/ApiGateway: counts are exact sums),
//! and per operation from the dispatcher's own structured log lines.

use std::collections::BTreeMap;
use std::fmt;

use aws_sdk_cloudwatch::primitives::DateTime as AwsTime;
use aws_sdk_cloudwatch::types::{Dimension, Metric, MetricDataQuery, MetricStat};
use serde::Serialize;
use serde_json::Value;

use crate::error::{aws, AppError};
use crate::observe::logs::Line;

#[derive(Debug, Default, Serialize)]
pub struct Durations {
    pub avg: Option<f64>,
    pub p50: Option<f64>,
    pub p99: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FunctionFigures {
    pub invocations: u64,
    pub errors: u64,
    pub throttles: u64,
    pub duration_ms: Durations,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiFigures {
    pub count: u64,
    #[serde(rename = "4xx")]
    pub four_xx: u64,
    #[serde(rename = "5xx")]
    pub five_xx: u64,
    pub latency_ms: Durations,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationFigures {
    pub count: u64,
    pub errors: u64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub start: String,
    pub invocations: u64,
    pub errors: u64,
    pub api_count: u64,
}

/// What `metrics` prints.
#[derive(Debug, Serialize)]
pub struct Report {
    pub function: FunctionFigures,
    pub api: ApiFigures,
    pub operations: BTreeMap<String, OperationFigures>,
    pub series: Vec<Period>,
    /// `--by version`: per executed version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versions: Option<BTreeMap<String, VersionFigures>>,
}

/// One version's invocations (`metrics --by version`), from its log
/// streams (`YYYY/MM/DD/[VERSION]…`, as Lambda names them).
#[derive(Debug, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VersionFigures {
    /// What the alias gives it: `live`, `weighted 20%`, or none.
    pub role: Option<String>,
    pub invocations: u64,
    pub errors: u64,
    pub error_rate: f64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

/// The version a function log stream names (`2026/12/02/[3]abc` -> `3`).
pub fn stream_version(stream: &str) -> Option<&str> {
    let start = stream.find('[')? + 1;
    let end = start + stream[start..].find(']')?;
    Some(&stream[start..end])
}

/// Per version: invocations (REPORT lines), function errors (the runtime's
/// `{"errorMessage", "errorType"}` line or an `[ERROR]` line) and duration
/// percentiles.
pub fn by_version(lines: &[Line]) -> BTreeMap<String, VersionFigures> {
    let mut durations: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut figures: BTreeMap<String, VersionFigures> = BTreeMap::new();
    for line in lines {
        let Some(version) = stream_version(&line.log_stream) else {
            continue;
        };
        let f = figures.entry(version.to_string()).or_default();
        if let Some(ms) = report_duration(line) {
            f.invocations += 1;
            durations.entry(version.to_string()).or_default().push(ms);
            continue;
        }
        let message = line.message.trim();
        let runtime_error = serde_json::from_str::<Value>(message).is_ok_and(|j| {
            j.get("errorMessage").is_some()
                && j.get("errorType").is_some()
                && j.get("operation").is_none()
        });
        if runtime_error || message.starts_with("[ERROR]") {
            f.errors += 1;
        }
    }
    for (version, f) in figures.iter_mut() {
        let mut v = durations.remove(version).unwrap_or_default();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        f.p50_ms = percentile(&v, 0.5);
        f.p99_ms = percentile(&v, 0.99);
        if f.invocations > 0 {
            f.error_rate = round(f.errors as f64 / f.invocations as f64);
        }
    }
    figures
}

/// What to measure.
pub struct Query<'a> {
    pub function: &'a str,
    /// (API name, stage), when the stack has an API.
    /// ((dimension name, value), stage): REST APIs by ApiName, HTTP by ApiId.
    pub api: Option<((&'static str, &'a str), &'a str)>,
    pub start_millis: i64,
    pub end_millis: i64,
    pub period_secs: i32,
}

fn metric(
    id: &str,
    namespace: &str,
    name: &str,
    dims: &[(&str, &str)],
    stat: &str,
    period: i32,
) -> MetricDataQuery {
    let dimensions = dims
        .iter()
        .map(|(n, v)| Dimension::builder().name(*n).value(*v).build())
        .collect();
    MetricDataQuery::builder()
        .id(id)
        .metric_stat(
            MetricStat::builder()
                .metric(
                    Metric::builder()
                        .namespace(namespace)
                        .metric_name(name)
                        .set_dimensions(Some(dimensions))
                        .build(),
                )
                .period(period)
                .stat(stat)
                .build(),
        )
        .build()
}

/// Values by query id: [(period start millis, value)].
type Series = BTreeMap<String, Vec<(i64, f64)>>;

async fn fetch(
    client: &aws_sdk_cloudwatch::Client,
    queries: Vec<MetricDataQuery>,
    start: i64,
    end: i64,
) -> Result<Series, AppError> {
    let mut out: Series = BTreeMap::new();
    let mut token = None;
    loop {
        let page = client
            .get_metric_data()
            .set_metric_data_queries(Some(queries.clone()))
            .start_time(AwsTime::from_millis(start))
            .end_time(AwsTime::from_millis(end))
            .set_next_token(token)
            .send()
            .await
            .map_err(|e| aws::error("cloudwatch", "cannot read metrics", &e))?;
        for r in page.metric_data_results() {
            let entry = out
                .entry(r.id().unwrap_or_default().to_string())
                .or_default();
            for (t, v) in r.timestamps().iter().zip(r.values()) {
                entry.push((t.to_millis().unwrap_or_default(), *v));
            }
        }
        token = page.next_token().map(str::to_string);
        if token.is_none() {
            return Ok(out);
        }
    }
}

fn total(series: &Series, id: &str) -> f64 {
    series
        .get(id)
        .map(|v| v.iter().map(|(_, x)| x).sum())
        .unwrap_or(0.0)
}

fn single(series: &Series, id: &str) -> Option<f64> {
    series.get(id).and_then(|v| v.first()).map(|(_, x)| *x)
}

fn percentile(sorted: &[f64], q: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() - 1) as f64 * q).round() as usize;
    Some(round(sorted[i]))
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Durations from REPORT lines and access-log latencies: where CloudWatch
/// gives no percentiles (moto computes none), they come from the logs.
fn durations_from(lines: &[Line], pick: impl Fn(&Line) -> Option<f64>) -> Vec<f64> {
    let mut v: Vec<f64> = lines.iter().filter_map(pick).collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v
}

fn report_duration(line: &Line) -> Option<f64> {
    let rest = line.message.strip_prefix("REPORT RequestId: ")?;
    let field = rest
        .split('\t')
        .find_map(|f| f.trim().strip_prefix("Duration: "))?;
    field.trim_end_matches(" ms").parse().ok()
}

fn api_latency(line: &Line) -> Option<f64> {
    let json: Value = serde_json::from_str(&line.message).ok()?;
    json["responseLatency"].as_str()?.parse().ok()
}

/// Per operation, from the dispatcher's one JSON line per request.
pub fn operations(lines: &[Line]) -> BTreeMap<String, OperationFigures> {
    let mut durations: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut figures: BTreeMap<String, OperationFigures> = BTreeMap::new();
    for line in lines {
        let Ok(json) = serde_json::from_str::<Value>(line.message.trim()) else {
            continue;
        };
        let (Some(op), Some(_)) = (json["operation"].as_str(), json.get("status")) else {
            continue;
        };
        let f = figures.entry(op.to_string()).or_default();
        f.count += 1;
        if json.get("errorType").is_some_and(|e| !e.is_null()) {
            f.errors += 1;
        }
        if let Some(ms) = json["durationMs"].as_f64() {
            durations.entry(op.to_string()).or_default().push(ms);
        }
    }
    for (op, mut v) in durations {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        if let Some(f) = figures.get_mut(&op) {
            f.p50_ms = percentile(&v, 0.5);
            f.p99_ms = percentile(&v, 0.99);
        }
    }
    figures
}

/// The metric queries of a window: (sums and counts, percentiles). The
/// whole window is one period (a multiple of 60 s) for its percentiles.
fn queries(query: &Query<'_>) -> (Vec<MetricDataQuery>, Vec<MetricDataQuery>) {
    let period = query.period_secs;
    let window = (((query.end_millis - query.start_millis) / 1000 + 59) / 60 * 60).max(60) as i32;
    let f = [("FunctionName", query.function)];
    let mut queries = vec![
        metric("inv", "AWS/Lambda", "Invocations", &f, "Sum", period),
        metric("err", "AWS/Lambda", "Errors", &f, "Sum", period),
        metric("thr", "AWS/Lambda", "Throttles", &f, "Sum", period),
        metric("dsum", "AWS/Lambda", "Duration", &f, "Sum", window),
        metric("dcnt", "AWS/Lambda", "Duration", &f, "SampleCount", window),
        metric("dmax", "AWS/Lambda", "Duration", &f, "Maximum", window),
    ];
    let mut percentiles = vec![
        metric("dp50", "AWS/Lambda", "Duration", &f, "p50", window),
        metric("dp99", "AWS/Lambda", "Duration", &f, "p99", window),
    ];
    if let Some(((dimension, value), stage)) = query.api {
        let a = [(dimension, value), ("Stage", stage)];
        let api = "AWS/ApiGateway";
        // HTTP APIs (by ApiId) name them 4xx and 5xx.
        let (e4, e5) = match dimension {
            "ApiId" => ("4xx", "5xx"),
            _ => ("4XXError", "5XXError"),
        };
        queries.extend([
            metric("cnt", api, "Count", &a, "Sum", period),
            metric("e4", api, e4, &a, "Sum", period),
            metric("e5", api, e5, &a, "Sum", period),
            metric("lsum", api, "Latency", &a, "Sum", window),
            metric("lcnt", api, "Latency", &a, "SampleCount", window),
        ]);
        percentiles.extend([
            metric("lp50", api, "Latency", &a, "p50", window),
            metric("lp99", api, "Latency", &a, "p99", window),
        ]);
    }
    (queries, percentiles)
}

/// Measures a stack over a window; `function_lines`/`api_lines` are the
/// window's log lines (for per-operation figures and missing percentiles).
pub async fn measure(
    client: &aws_sdk_cloudwatch::Client,
    query: &Query<'_>,
    function_lines: &[Line],
    api_lines: &[Line],
) -> Result<Report, AppError> {
    let (queries, percentiles) = queries(query);
    let mut s = fetch(client, queries, query.start_millis, query.end_millis).await?;
    // Percentiles on their own: an endpoint that computes none (moto fails
    // the call) leaves them to the logs.
    if let Ok(p) = fetch(client, percentiles, query.start_millis, query.end_millis).await {
        s.extend(p);
    }
    let report_durations = durations_from(function_lines, report_duration);
    let latencies = durations_from(api_lines, api_latency);
    let function = FunctionFigures {
        invocations: total(&s, "inv") as u64,
        errors: total(&s, "err") as u64,
        throttles: total(&s, "thr") as u64,
        duration_ms: durations(&s, "d", &report_durations),
    };
    let api = ApiFigures {
        count: total(&s, "cnt") as u64,
        four_xx: total(&s, "e4") as u64,
        five_xx: total(&s, "e5") as u64,
        latency_ms: Durations {
            max: None,
            ..durations(&s, "l", &latencies)
        },
    };
    Ok(Report {
        function,
        api,
        operations: operations(function_lines),
        series: series(&s, query),
        versions: None,
    })
}

/// CloudWatch's percentiles where the endpoint computes them, else the log
/// lines' (series ids: PREFIX + sum/cnt/p50/p99/max).
fn durations(s: &Series, prefix: &str, lines: &[f64]) -> Durations {
    let id = |stat: &str| format!("{prefix}{stat}");
    let pct = |stat: &str, q: f64| {
        single(s, &id(stat))
            .map(round)
            .or_else(|| percentile(lines, q))
    };
    let n = total(s, &id("cnt"));
    Durations {
        avg: (n > 0.0).then(|| round(total(s, &id("sum")) / n)),
        p50: pct("p50", 0.5),
        p99: pct("p99", 0.99),
        max: single(s, &id("max")).map(round),
    }
}

/// One row per period, from the window's start.
fn series(s: &Series, query: &Query<'_>) -> Vec<Period> {
    let step = i64::from(query.period_secs) * 1000;
    let value_at = |id: &str, from: i64| -> u64 {
        s.get(id)
            .map(|v| {
                v.iter()
                    .filter(|(t, _)| *t >= from && *t < from + step)
                    .map(|(_, x)| *x)
                    .sum::<f64>() as u64
            })
            .unwrap_or(0)
    };
    let mut series = Vec::new();
    let mut at = query.start_millis;
    while at < query.end_millis {
        series.push(Period {
            start: chrono::DateTime::from_timestamp_millis(at)
                .unwrap_or_default()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            invocations: value_at("inv", at),
            errors: value_at("err", at),
            api_count: value_at("cnt", at),
        });
        at += step;
    }
    series
}

/// `▁▂▃▄▅▆▇█` for each value, scaled to the largest.
pub fn sparkline(values: &[u64]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0);
    values
        .iter()
        .map(|v| {
            if max == 0 {
                BARS[0]
            } else {
                BARS[((*v as f64 / max as f64) * 7.0).round() as usize]
            }
        })
        .collect()
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = |v: Option<f64>| v.map_or("-".to_string(), |x| format!("{x} ms"));
        let d = &self.function.duration_ms;
        let l = &self.api.latency_ms;
        let mut rows = vec![
            (
                "function".to_string(),
                format!(
                    "{} invocations, {} errors, {} throttles; duration avg {}, p50 {}, p99 {}, max {}",
                    self.function.invocations,
                    self.function.errors,
                    self.function.throttles,
                    ms(d.avg),
                    ms(d.p50),
                    ms(d.p99),
                    ms(d.max)
                ),
            ),
            (
                "api".to_string(),
                format!(
                    "{} requests, {} 4xx, {} 5xx; latency avg {}, p50 {}, p99 {}",
                    self.api.count,
                    self.api.four_xx,
                    self.api.five_xx,
                    ms(l.avg),
                    ms(l.p50),
                    ms(l.p99)
                ),
            ),
        ];
        for (op, o) in &self.operations {
            rows.push((
                format!("  {op}"),
                format!(
                    "{} calls, {} errors; p50 {}, p99 {}",
                    o.count,
                    o.errors,
                    ms(o.p50_ms),
                    ms(o.p99_ms)
                ),
            ));
        }
        let inv: Vec<u64> = self.series.iter().map(|p| p.invocations).collect();
        let err: Vec<u64> = self.series.iter().map(|p| p.errors).collect();
        let api: Vec<u64> = self.series.iter().map(|p| p.api_count).collect();
        rows.push(("invocations".into(), sparkline(&inv)));
        rows.push(("errors".into(), sparkline(&err)));
        rows.push(("api requests".into(), sparkline(&api)));
        for (version, v) in self.versions.iter().flatten() {
            rows.push((
                format!("version {version}"),
                format!(
                    "{}{} invocations, {} errors ({:.0}%); p50 {}, p99 {}",
                    v.role
                        .as_ref()
                        .map(|r| format!("[{r}] "))
                        .unwrap_or_default(),
                    v.invocations,
                    v.errors,
                    v.error_rate * 100.0,
                    ms(v.p50_ms),
                    ms(v.p99_ms)
                ),
            ));
        }
        write!(f, "{}", crate::output::rows_table(&rows))
    }
}

#[cfg(test)]
mod version_tests {
    use super::*;

    fn line(stream: &str, message: &str) -> Line {
        Line {
            timestamp: String::new(),
            source: crate::observe::logs::Source::Function,
            log_group: "/aws/lambda/f".into(),
            request_id: None,
            message: message.into(),
            millis: 0,
            event_id: String::new(),
            other_ids: Vec::new(),
            log_stream: stream.into(),
        }
    }

    #[test]
    fn versions_are_told_apart_by_their_streams() {
        assert_eq!(stream_version("2026/12/02/[3]abc"), Some("3"));
        assert_eq!(stream_version("2026/12/02/[$LATEST]abc"), Some("$LATEST"));
        assert_eq!(stream_version("plain"), None);
        let report =
            |ms: u32| format!("REPORT RequestId: r\tDuration: {ms}.00 ms\tBilled Duration: 1 ms");
        let lines = vec![
            line("d/[2]a", &report(1)),
            line("d/[2]a", &report(3)),
            line(
                "d/[3]b",
                r#"{"errorMessage": "boom", "errorType": "ValueError"}"#,
            ),
            line("d/[3]b", &report(9)),
            line(
                "d/[3]b",
                r#"{"operation": "read", "status": 404, "errorType": "ItemNotFound", "errorMessage": "x"}"#,
            ),
        ];
        let figures = by_version(&lines);
        assert_eq!((figures["2"].invocations, figures["2"].errors), (2, 0));
        assert_eq!(
            (figures["3"].invocations, figures["3"].errors),
            (1, 1),
            "a handled contract error is not a function error"
        );
        assert_eq!(figures["3"].error_rate, 1.0);
        assert_eq!(figures["2"].p99_ms, Some(3.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_largest() {
        assert_eq!(sparkline(&[0, 1, 2, 4, 8]), "▁▂▃▅█");
        assert_eq!(sparkline(&[0, 0]), "▁▁");
    }

    #[test]
    fn operations_come_from_the_dispatchers_lines() {
        let line = |m: &str| Line {
            timestamp: String::new(),
            source: crate::observe::logs::Source::Function,
            log_group: String::new(),
            request_id: None,
            message: m.into(),
            millis: 0,
            event_id: String::new(),
            other_ids: vec![],
            log_stream: String::new(),
        };
        let lines = vec![
            line(r#"{"operation":"read","status":200,"durationMs":2.0}"#),
            line(
                r#"{"operation":"read","status":404,"errorType":"ItemNotFound","durationMs":4.0}"#,
            ),
            line(r#"{"operation":"create","status":200,"durationMs":3.0}"#),
            line("START RequestId: x"),
        ];
        let ops = operations(&lines);
        assert_eq!((ops["read"].count, ops["read"].errors), (2, 1));
        assert_eq!(ops["create"].p50_ms, Some(3.0));
        assert_eq!(
            report_duration(&line(
                "REPORT RequestId: x\tDuration: 12.50 ms\tBilled Duration: 13 ms"
            )),
            Some(12.5)
        );
    }
}
