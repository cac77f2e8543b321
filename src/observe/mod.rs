//! Observability: a stack's log lines (function and API, joined by request
//! id) and its figures (CloudWatch metrics, per-operation figures from the
//! dispatcher's own log lines) — on AWS and on the local stack alike.

pub mod logs;
pub mod metrics;

use crate::error::AppError;
use crate::stack::{Names, StackState};

/// Where a stack's telemetry lives.
pub struct Target {
    pub stack: String,
    pub function: String,
    pub function_group: String,
    pub api: Option<ApiTarget>,
}

/// The stack's API as CloudWatch knows it.
pub struct ApiTarget {
    /// The metrics' dimension: REST APIs by `ApiName`, HTTP APIs by `ApiId`.
    pub dimension: (&'static str, String),
    pub stage: String,
    pub access_log_group: String,
}

fn api_target(names: &Names, state: &StackState) -> Option<ApiTarget> {
    let dimension = match state.api {
        crate::stack::ApiKind::Rest => {
            ("ApiName", state.rest_api_id.as_ref().map(|_| names.api())?)
        }
        crate::stack::ApiKind::Http => ("ApiId", state.http_api_id.clone()?),
    };
    Some(ApiTarget {
        dimension,
        stage: state.stage.clone(),
        access_log_group: names.access_log_group(),
    })
}

impl Target {
    /// From the stack's state; a local stack without one falls back to the
    /// default function `crud` (no API).
    pub fn resolve(
        names: &Names,
        state: Option<&StackState>,
        local: bool,
        explicit_stack: bool,
    ) -> Result<Target, AppError> {
        match state {
            Some(state) => Ok(Target {
                stack: state.stack.clone(),
                function: state.function_name.clone(),
                function_group: state.log_group.clone(),
                api: api_target(names, state),
            }),
            None if local && !explicit_stack => Ok(Target {
                stack: names.stack.clone(),
                function: crate::local::DEFAULT_FUNCTION.to_string(),
                function_group: format!("/aws/lambda/{}", crate::local::DEFAULT_FUNCTION),
                api: None,
            }),
            None => Err(AppError::not_found(format!(
                "no stack `{}` is recorded in this region{}; pass --stack NAME (see `status`)",
                names.stack,
                if local { " (local stack)" } else { "" }
            ))),
        }
    }
}
