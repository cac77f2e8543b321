//! `--dry-run` enforced below the commands: once set, every way the tool can
//! change something refuses — AWS calls that are not reads (an SDK
//! interceptor on every client), file writes, process starts and stops, and
//! events sent to a dispatcher. A command that forgot to plan fails loudly
//! (exit 1, a bug) instead of acting.

use std::sync::atomic::{AtomicBool, Ordering};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_types::config_bag::ConfigBag;

use crate::error::AppError;

static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Turns dry-run mode on for the rest of the process.
pub fn activate() {
    ACTIVE.store(true, Ordering::SeqCst);
}

pub fn active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

/// Refuses `what` in dry-run mode.
pub fn guard(what: &str) -> Result<(), AppError> {
    if active() {
        Err(AppError::internal(format!(
            "bug: --dry-run but the command tried to {what}; nothing was changed. Please report it"
        )))
    } else {
        Ok(())
    }
}

/// AWS operations that only read.
pub fn is_read_only(operation: &str) -> bool {
    ["Get", "List", "Describe", "BatchGet", "Filter", "Head"]
        .iter()
        .any(|p| operation.starts_with(p))
        || matches!(operation, "Scan" | "Query")
}

/// Refuses every AWS operation but reads while dry-run mode is on.
#[derive(Debug)]
pub struct Interceptor;

impl Intercept for Interceptor {
    fn name(&self) -> &'static str {
        "serverless-crud dry-run guard"
    }

    fn read_before_execution(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if !active() {
            return Ok(());
        }
        let Some(meta) = cfg.load::<Metadata>() else {
            return Ok(());
        };
        if is_read_only(meta.name()) {
            return Ok(());
        }
        Err(format!(
            "bug: --dry-run but the command tried to call {}:{}; nothing was changed. Please report it",
            meta.service(),
            meta.name()
        )
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reads_pass() {
        for op in [
            "GetItem",
            "ListTables",
            "DescribeTable",
            "Scan",
            "FilterLogEvents",
        ] {
            assert!(is_read_only(op), "{op}");
        }
        for op in [
            "PutItem",
            "DeleteTable",
            "CreateRestApi",
            "Invoke",
            "TagResource",
        ] {
            assert!(!is_read_only(op), "{op}");
        }
    }
}
