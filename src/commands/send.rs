//! echo, ping, and send (a raw event file).

use std::time::Duration;

use clap::Args;
use serde_json::{json, Value};

use crate::call_or_return;
use crate::commands::call;
use crate::context::Context;
use crate::error::AppError;
use crate::event::{event, expect_object, read_json_arg, Operation};
use crate::output::{Outcome, Text};

#[derive(Debug, Args)]
pub struct EchoArgs {
    /// The payload: JSON, @FILE, or - for stdin
    #[arg(long, short = 'p', value_name = "JSON|@FILE|-")]
    pub payload: String,
}

#[derive(Debug, Args)]
pub struct PingArgs {
    /// Number of pings (shows min/avg/max)
    #[arg(long, short = 'c', default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub count: u32,
}

#[derive(Debug, Args)]
pub struct SendArgs {
    /// Event file (JSON object with operation, tableName, payload), or - for stdin
    #[arg(value_name = "FILE|-")]
    pub file: String,
}

pub async fn echo(args: EchoArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let payload = read_json_arg(&args.payload, "--payload")?;
    let event = event(Operation::Echo, None, Some(payload));
    let reply = call_or_return!(call(ctx, event, true));
    Ok(Outcome {
        json: reply.value.clone(),
        text: Text::Value(reply.value),
    })
}

pub async fn ping(args: PingArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let mut samples: Vec<Duration> = Vec::new();
    let mut via = None;
    for _ in 0..args.count {
        let reply = call_or_return!(call(ctx, event(Operation::Ping, None, None), true));
        if reply.value != json!("pong") {
            return Err(AppError::Dispatcher {
                kind: "UnexpectedReply".into(),
                message: format!("expected \"pong\", got {}", reply.value),
            }
            .into());
        }
        samples.push(reply.elapsed);
        via = Some(reply.via);
    }
    let ms = |d: &Duration| (d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0;
    let min = samples.iter().min().map(ms).unwrap_or_default();
    let max = samples.iter().max().map(ms).unwrap_or_default();
    let avg = samples.iter().map(ms).sum::<f64>() / samples.len() as f64;
    let avg = (avg * 10.0).round() / 10.0;
    let via = via.expect("at least one ping");
    let via_name = serde_json::to_value(via).unwrap_or_default();
    if args.count == 1 {
        Ok(Outcome::line(
            json!({"reply": "pong", "latencyMs": min, "via": via_name}),
            format!("pong ({min} ms via {})", via_name.as_str().unwrap_or("")),
        ))
    } else {
        Ok(Outcome::line(
            json!({"reply": "pong", "count": args.count, "latencyMs": {"min": min, "avg": avg, "max": max}, "via": via_name}),
            format!(
                "pong x{} via {}: min {min} ms, avg {avg} ms, max {max} ms",
                args.count,
                via_name.as_str().unwrap_or("")
            ),
        ))
    }
}

pub async fn send(args: SendArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let source = if args.file == "-" {
        "-".to_string()
    } else {
        format!("@{}", args.file)
    };
    let event = expect_object(read_json_arg(&source, "the event")?, "the event")?;
    let operation = match event.get("operation") {
        Some(Value::String(op)) => op.clone(),
        _ => {
            return Err(AppError::usage(format!(
                "{}: the event has no \"operation\" string (expected {{\"operation\": \"create\", \"tableName\": ..., \"payload\": ...}})",
                args.file
            ))
            .into())
        }
    };
    let idempotent = matches!(operation.as_str(), "read" | "list" | "echo" | "ping");
    let reply = call_or_return!(call(ctx, Value::Object(event), idempotent));
    Ok(Outcome {
        json: reply.value.clone(),
        text: Text::Value(reply.value),
    })
}
