//! `status`: what exists of a stack, its state, drift, and live latency
//! through each transport.

use std::time::Instant;

use clap::Args;
use serde_json::{json, Value};

use crate::commands::setup::setup_command;
use crate::context::Context;
use crate::error::AppError;
use crate::event::{event, Operation};
use crate::output::{Outcome, Text};
use crate::stack::{api, discover, function, iam, logs, Names, StackAuth};
use crate::transport::Via;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print the API key value (api-key stacks)
    #[arg(long)]
    pub show_api_key: bool,
}

struct Check {
    kind: &'static str,
    name: String,
    exists: bool,
    detail: String,
    drift: Option<String>,
}

pub async fn run(args: StatusArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let region = ctx.region().await?;
    let names = Names::new(ctx.stack_name(), &region)?;
    let state = ctx.stack_state().await?;
    let found = discover::discover(ctx, &names, state.as_ref()).await?;
    let Some(state) = state else {
        if found.is_empty() {
            return Err(AppError::NotFound(format!(
                "no stack {} in {region}{}; create it with `serverless-crud{} --stack {} setup --table NAME`",
                names.stack,
                if ctx.global.local { " (local stack)" } else { "" },
                if ctx.global.local { " --local" } else { "" },
                names.stack
            ))
            .into());
        }
        return Err(AppError::NotFound(format!(
            "stack {} has resources in {region} but no state file (lost, or setup was interrupted); \
             run setup again to finish it, or teardown to remove them",
            names.stack
        ))
        .into());
    };

    let mut checks = Vec::new();
    let dynamodb = ctx.dynamodb().await?;
    for table in &state.tables {
        let status = dynamodb
            .describe_table()
            .table_name(&table.spec.name)
            .send()
            .await
            .ok()
            .and_then(|d| {
                d.table()
                    .and_then(|t| t.table_status())
                    .map(|s| s.as_str().to_string())
            });
        checks.push(Check {
            kind: "table",
            name: table.spec.to_string(),
            exists: status.is_some(),
            detail: status.clone().unwrap_or_else(|| "missing".into()),
            drift: status
                .is_none()
                .then(|| "deleted outside serverless-crud".to_string()),
        });
    }

    let retention = logs::describe(&ctx.logs().await?, &state.log_group).await?;
    checks.push(Check {
        kind: "log group",
        name: state.log_group.clone(),
        exists: retention.is_some(),
        detail: match retention {
            Some(Some(days)) => format!("{days} days retention"),
            Some(None) => "never expires".into(),
            None => "missing".into(),
        },
        drift: match retention {
            None => Some("deleted outside serverless-crud".into()),
            Some(r) if r != Some(state.log_retention_days) => Some(format!(
                "retention changed (setup set {} days)",
                state.log_retention_days
            )),
            _ => None,
        },
    });

    let iam_client = ctx.iam().await?;
    let policy = if found.role.is_some() {
        iam::get_policy(&iam_client, &names).await?
    } else {
        None
    };
    let expected: Vec<String> = state.tables.iter().map(|t| t.arn.clone()).collect();
    let granted: Vec<String> = policy
        .as_ref()
        .and_then(|p| p["Statement"][0]["Resource"].as_array().cloned())
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    checks.push(Check {
        kind: "role",
        name: state.role_name.clone(),
        exists: found.role.is_some(),
        detail: if policy.is_some() {
            format!("policy on {} table(s)", granted.len())
        } else {
            "no policy".into()
        },
        drift: if found.role.is_none() {
            Some("deleted outside serverless-crud".into())
        } else if policy.is_none() {
            Some("its access policy is missing".into())
        } else if granted != expected {
            Some("its policy does not match the stack's tables".into())
        } else {
            None
        },
    });

    let lambda = ctx.lambda_control().await?;
    let function_state = function::state(&lambda, &state.function_name).await?;
    let allowed: Vec<&str> = state.tables.iter().map(|t| t.spec.name.as_str()).collect();
    checks.push(Check {
        kind: "function",
        name: state.function_name.clone(),
        exists: function_state.is_some(),
        detail: function_state
            .as_ref()
            .map(|(s, _)| s.clone())
            .unwrap_or_else(|| "missing".into()),
        drift: match &function_state {
            None => Some("deleted outside serverless-crud".into()),
            Some((_, env))
                if env.get("ALLOWED_TABLES").map(String::as_str)
                    != Some(allowed.join(",").as_str()) =>
            {
                Some("its ALLOWED_TABLES differs from the stack's tables".into())
            }
            _ => None,
        },
    });

    let apigw = ctx.apigateway().await?;
    let deployed = match &state.rest_api_id {
        Some(id) => api::stage_deployed(&apigw, id, &state.stage).await?,
        None => None,
    };
    checks.push(Check {
        kind: "REST API",
        name: format!(
            "{} stage {}",
            state.rest_api_id.clone().unwrap_or_default(),
            state.stage
        ),
        exists: deployed.is_some(),
        detail: match deployed {
            Some(true) => "deployed".into(),
            Some(false) => "stage missing".into(),
            None => "missing".into(),
        },
        drift: match deployed {
            Some(true) => None,
            Some(false) => Some("the stage is not deployed".into()),
            None => Some("deleted outside serverless-crud".into()),
        },
    });
    if state.auth == StackAuth::ApiKey {
        checks.push(Check {
            kind: "usage plan + key",
            name: names.usage_plan(),
            exists: !found.usage_plans.is_empty() && !found.api_keys.is_empty(),
            detail: if !found.usage_plans.is_empty() && !found.api_keys.is_empty() {
                "present".into()
            } else {
                "missing".into()
            },
            drift: (found.usage_plans.is_empty() || found.api_keys.is_empty())
                .then(|| "deleted outside serverless-crud".to_string()),
        });
    }

    // Live latency through each transport.
    let mut pings = serde_json::Map::new();
    for via in [Via::Api, Via::Lambda] {
        let name = if via == Via::Api { "api" } else { "lambda" };
        if ctx.global.dry_run {
            // A ping is an invocation: --dry-run sends nothing.
            pings.insert(name.into(), json!({"ok": true, "skipped": "dry run"}));
            continue;
        }
        let started = Instant::now();
        let result = match ctx.stack_transport(&state, via).await {
            Ok(t) => match t.send(&event(Operation::Ping, None, None), true).await {
                Ok(raw) => crate::reply::decode(&raw).map(|v| (v, raw.elapsed)),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        let entry = match result {
            Ok((v, elapsed)) if v == json!("pong") => {
                json!({"ok": true, "latencyMs": (elapsed.as_secs_f64() * 10000.0).round() / 10.0})
            }
            Ok((v, _)) => json!({"ok": false, "error": format!("answered {v}")}),
            Err(e) => {
                json!({"ok": false, "error": e.to_string(), "afterMs": started.elapsed().as_millis()})
            }
        };
        pings.insert(name.into(), entry);
    }

    let drifted: Vec<&Check> = checks.iter().filter(|c| c.drift.is_some()).collect();
    let pings_ok = pings.values().all(|p| p["ok"] == true);
    let healthy = drifted.is_empty() && pings_ok;
    let fix = (!drifted.is_empty()).then(|| setup_command(&state));
    let json = json!({
        "stack": state.stack,
        "region": state.region,
        "local": state.local,
        "healthy": healthy,
        "resources": checks.iter().map(|c| json!({"kind": c.kind, "name": c.name, "exists": c.exists, "state": c.detail, "drift": c.drift})).collect::<Vec<_>>(),
        "invokeUrl": state.invoke_url,
        "localUrl": state.local_url,
        "auth": state.auth,
        "apiKey": if args.show_api_key { json!(state.api_key_value) } else { Value::Null },
        "ping": pings,
        "fix": fix,
    });
    let mut rows: Vec<(String, String)> = checks
        .iter()
        .map(|c| {
            let mark = if c.drift.is_some() { "✗" } else { "✓" };
            let drift = c
                .drift
                .as_ref()
                .map(|d| format!(" — DRIFT: {d}"))
                .unwrap_or_default();
            (
                format!("{mark} {} {}", c.kind, c.name),
                format!("{}{drift}", c.detail),
            )
        })
        .collect();
    rows.push((
        "invoke URL".into(),
        state.invoke_url.clone().unwrap_or_default(),
    ));
    if let Some(url) = &state.local_url {
        rows.push(("local API URL".into(), url.clone()));
    }
    rows.push(("auth".into(), format!("{:?}", state.auth).to_lowercase()));
    if args.show_api_key {
        rows.push((
            "API key".into(),
            state.api_key_value.clone().unwrap_or_else(|| "-".into()),
        ));
    }
    for (via, p) in &pings {
        let text = if p.get("skipped").is_some() {
            "skipped (dry run)".to_string()
        } else if p["ok"] == true {
            format!("{} ms", p["latencyMs"])
        } else {
            format!("FAILED: {}", p["error"].as_str().unwrap_or_default())
        };
        rows.push((format!("ping via {via}"), text));
    }
    if let Some(fix) = &fix {
        rows.push(("fix".into(), fix.clone()));
    }
    let outcome = Outcome {
        json,
        text: Text::Rows(rows),
    };
    if healthy {
        return Ok(outcome);
    }
    ctx.printer.emit(&outcome);
    Err(AppError::Incomplete(match &fix {
        Some(fix) => format!("stack {} has drifted; to repair it run: {fix}", state.stack),
        None => format!("stack {} does not answer pings (see above)", state.stack),
    })
    .into())
}
