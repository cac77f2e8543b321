//! echo, ping, and send (a raw event file).

use std::fmt;
use std::time::Duration;

use clap::Args;
use serde::Serialize;
use serde_json::{json, Value};

use crate::call_or_return;
use crate::commands::call;
use crate::context::Context;
use crate::error::{AppError, DispatcherKind};
use crate::event::{event, expect_object, read_json_arg, Operation};
use crate::output::{JsonReport, Outcome};
use crate::transport::Via;

#[derive(Debug, Args)]
pub struct EchoArgs {
    /// The payload: JSON, @FILE, or - for stdin
    #[arg(long, short = 'p', value_name = "JSON|@FILE|-")]
    pub payload: String,
}

#[derive(Debug, Args)]
pub struct PingArgs {
    /// Number of pings (shows min/avg/p50/p99/max)
    #[arg(long, short = 'c', default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub count: u32,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Event file (JSON object with operation, tableName, payload), or - for stdin
    #[arg(value_name = "FILE|-")]
    pub file: String,
}

pub async fn echo(args: EchoArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let payload = read_json_arg(&args.payload, "--payload")?;
    let event = event(Operation::Echo, None, Some(payload));
    let reply = call_or_return!(call(ctx, event, true));
    Ok(Outcome::ok(JsonReport(reply.value)))
}

/// `ping`: one round trip, or min/avg/max over `--count`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pong {
    reply: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
    latency_ms: Latency,
    via: Via,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Latency {
    One(f64),
    Many {
        min: f64,
        avg: f64,
        p50: f64,
        p99: f64,
        max: f64,
    },
}

impl fmt::Display for Pong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let via = match self.via {
            Via::Api => "api",
            Via::Lambda => "lambda",
        };
        match (&self.latency_ms, self.count) {
            (Latency::One(ms), _) => write!(f, "pong ({ms} ms via {via})"),
            (
                Latency::Many {
                    min,
                    avg,
                    p50,
                    p99,
                    max,
                },
                count,
            ) => write!(
                f,
                "pong x{} via {via}: min {min} ms, avg {avg} ms, p50 {p50} ms, p99 {p99} ms, max {max} ms",
                count.unwrap_or(0)
            ),
        }
    }
}

pub async fn ping(args: PingArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let mut samples: Vec<Duration> = Vec::new();
    let mut via = Via::Api;
    for _ in 0..args.count {
        let reply = call_or_return!(call(ctx, event(Operation::Ping, None, None), true));
        if reply.value != json!("pong") {
            return Err(AppError::dispatcher(
                DispatcherKind::InvalidReply,
                "UnexpectedReply",
                format!("expected \"pong\", got {}", reply.value),
            ));
        }
        samples.push(reply.elapsed);
        via = reply.via;
    }
    // Milliseconds with two decimals: loopback round trips are ~1 ms.
    let ms = |d: &Duration| (d.as_secs_f64() * 100_000.0).round() / 100.0;
    samples.sort();
    let at = |q: f64| ms(&samples[((samples.len() - 1) as f64 * q).round() as usize]);
    let (min, max) = (at(0.0), at(1.0));
    let avg = samples.iter().map(ms).sum::<f64>() / samples.len() as f64;
    let avg = (avg * 100.0).round() / 100.0;
    let (count, latency_ms) = if args.count == 1 {
        (None, Latency::One(min))
    } else {
        let (p50, p99) = (at(0.5), at(0.99));
        (
            Some(args.count),
            Latency::Many {
                min,
                avg,
                p50,
                p99,
                max,
            },
        )
    };
    Ok(Outcome::ok(Pong {
        reply: "pong",
        count,
        latency_ms,
        via,
    }))
}

pub async fn send(args: SendArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let source = if args.file == "-" {
        "-".to_string()
    } else {
        format!("@{}", args.file)
    };
    let event = expect_object(read_json_arg(&source, "the event")?, "the event")?;
    let operation = match event.get("operation") {
        Some(Value::String(op)) => op.clone(),
        _ => {
            return Err(AppError::input(
                &args.file,
                "the event has no \"operation\" string (expected {\"operation\": \"create\", \"tableName\": ..., \"payload\": ...})",
            ))
        }
    };
    let idempotent = matches!(operation.as_str(), "read" | "list" | "echo" | "ping");
    let reply = call_or_return!(call(ctx, Value::Object(event), idempotent));
    Ok(Outcome::ok(JsonReport(reply.value)))
}
