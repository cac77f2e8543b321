//! Domain errors and the one place that maps them to documented exit codes.

use std::fmt;

/// Exit codes (documented in the README and in `--help`).
pub mod exit {
    pub const OK: i32 = 0;
    /// Unexpected failure inside the tool itself.
    pub const INTERNAL: i32 = 1;
    /// Bad command line or bad input (malformed JSON, bad key syntax, ...).
    pub const USAGE: i32 = 2;
    /// The item (or the stack) does not exist.
    pub const NOT_FOUND: i32 = 3;
    /// A condition expression failed (for example create --if-absent on an existing key).
    pub const CONDITION_FAILED: i32 = 4;
    /// The dispatcher, DynamoDB or an AWS control plane refused or failed.
    pub const BACKEND: i32 = 5;
    /// The dispatcher could not be reached or refused our credentials.
    pub const TRANSPORT: i32 = 6;
    /// seed finished, but some records were rejected (see the rejects file).
    pub const PARTIAL: i32 = 7;
    /// Interrupted (Ctrl-C); seed wrote a checkpoint for --resume.
    pub const INTERRUPTED: i32 = 8;
    /// teardown finished, but some resources still exist.
    pub const INCOMPLETE: i32 = 9;
}

/// What went wrong, classified for exit codes and hints.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    ConditionFailed { message: String },
    #[error("{kind}: {message}")]
    Dispatcher { kind: String, message: String },
    #[error("{0}")]
    Transport(String),
    #[error("{0}")]
    Aws(String),
    #[error("{0}")]
    Partial(String),
    #[error("{0}")]
    Interrupted(String),
    #[error("{0}")]
    Incomplete(String),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    pub fn usage(msg: impl fmt::Display) -> Self {
        AppError::Usage(msg.to_string())
    }
    pub fn transport(msg: impl fmt::Display) -> Self {
        AppError::Transport(msg.to_string())
    }
    pub fn aws(msg: impl fmt::Display) -> Self {
        AppError::Aws(msg.to_string())
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Usage(_) => exit::USAGE,
            AppError::NotFound(_) => exit::NOT_FOUND,
            AppError::ConditionFailed { .. } => exit::CONDITION_FAILED,
            AppError::Dispatcher { .. } | AppError::Aws(_) => exit::BACKEND,
            AppError::Transport(_) => exit::TRANSPORT,
            AppError::Partial(_) => exit::PARTIAL,
            AppError::Interrupted(_) => exit::INTERRUPTED,
            AppError::Incomplete(_) => exit::INCOMPLETE,
            AppError::Internal(_) => exit::INTERNAL,
        }
    }

    /// Short machine-readable name used in `--output json` error objects.
    pub fn kind(&self) -> &str {
        match self {
            AppError::Usage(_) => "usage",
            AppError::NotFound(_) => "not_found",
            AppError::ConditionFailed { .. } => "condition_failed",
            AppError::Dispatcher { .. } => "dispatcher",
            AppError::Aws(_) => "aws",
            AppError::Transport(_) => "transport",
            AppError::Partial(_) => "partial",
            AppError::Interrupted(_) => "interrupted",
            AppError::Incomplete(_) => "incomplete",
            AppError::Internal(_) => "internal",
        }
    }
}

/// Exit code for any error: an `AppError` anywhere in the chain decides; clap
/// parse errors are usage errors; anything else is internal.
pub fn exit_code_for(err: &anyhow::Error) -> i32 {
    for cause in err.chain() {
        if let Some(app) = cause.downcast_ref::<AppError>() {
            return app.exit_code();
        }
        if cause.downcast_ref::<serde_json::Error>().is_some() {
            return exit::USAGE;
        }
    }
    exit::INTERNAL
}

pub fn kind_for(err: &anyhow::Error) -> &str {
    err.chain()
        .find_map(|c| c.downcast_ref::<AppError>())
        .map(AppError::kind)
        .unwrap_or("internal")
}
