//! One error type. Each variant carries a kind and its context; what it means
//! — the exit code, whether it may be retried, whether it is a record's own
//! fault, the help line — is decided here by methods, never by searching the
//! message text.

use std::fmt;
use std::path::PathBuf;

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
    /// Interrupted (Ctrl-C) or stopped by a fatal error; seed wrote a checkpoint.
    pub const INTERRUPTED: i32 = 8;
    /// teardown left resources behind; status found the stack unhealthy.
    pub const INCOMPLETE: i32 = 9;
    /// A file or the environment failed us (cannot read/write a file, start a
    /// process, no Python, a busy port).
    pub const ENVIRONMENT: i32 = 10;
}

/// Why the dispatcher could not be reached or would not let us in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// Connection refused, DNS, reset before an answer.
    Unreachable,
    /// No answer in time (client timeout, API Gateway's 504).
    Timeout,
    /// Throttled before the function ran (API Gateway 429, Lambda TooManyRequests).
    Throttled,
    /// Credentials, signature or API key refused (401/403).
    Forbidden,
    /// No such route, stage or function.
    NotFound,
    /// Anything else on the way (a broken connection mid-answer, ...).
    Failed,
}

/// What the dispatcher (or the gateway in front of it) said went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DispatcherKind {
    /// The request itself is wrong (validation, a value DynamoDB refuses).
    BadRequest,
    TableNotAllowed,
    TableNotFound,
    ItemNotFound,
    ConditionFailed,
    AccessDenied,
    Throttled,
    /// The function failed (500) or crashed behind the gateway (502).
    Internal,
    /// The dispatcher does not know the operation.
    UnknownOperation,
    /// The reply is not something a dispatcher says.
    InvalidReply,
    /// An exception of another dispatcher (the tutorial's TypeError, KeyError...).
    Other,
}

impl DispatcherKind {
    /// From the error type name our dispatcher, boto3 or the tutorial uses.
    pub fn from_type(error_type: &str) -> DispatcherKind {
        match error_type {
            "BadRequest" | "ValidationException" | "SerializationException" => {
                DispatcherKind::BadRequest
            }
            // A table allowed but without a known key refuses the resource routes.
            "TableNotAllowed" | "TableKeyUnknown" => DispatcherKind::TableNotAllowed,
            // A route or method the dispatcher does not serve.
            "NotFound" => DispatcherKind::UnknownOperation,
            "TableNotFound" | "ResourceNotFoundException" => DispatcherKind::TableNotFound,
            "ItemNotFound" => DispatcherKind::ItemNotFound,
            "ConditionFailed" | "ConditionalCheckFailedException" => {
                DispatcherKind::ConditionFailed
            }
            "AccessDenied" | "AccessDeniedException" => DispatcherKind::AccessDenied,
            "Throttled"
            | "ProvisionedThroughputExceededException"
            | "ThrottlingException"
            | "RequestLimitExceeded" => DispatcherKind::Throttled,
            "InternalError" | "BadGateway" => DispatcherKind::Internal,
            _ => DispatcherKind::Other,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A bad command line.
    #[error("{message}")]
    Usage { message: String },
    /// Bad input data: a file, an argument's JSON, a record.
    #[error("{}{message}", location.as_deref().map(|l| format!("{l}: ")).unwrap_or_default())]
    Input {
        location: Option<String>,
        message: String,
    },
    #[error("{message}")]
    NotFound { message: String },
    /// The dispatcher answered with an error.
    #[error("{error_type}: {message}")]
    Dispatcher {
        kind: DispatcherKind,
        /// HTTP status of a proxy answer, if there was one.
        status: Option<u16>,
        /// The error type as the dispatcher named it.
        error_type: String,
        message: String,
        /// The Lambda request id, for `logs --request-id`.
        request_id: Option<String>,
    },
    /// An AWS API (control plane, DynamoDB directly) refused or failed.
    #[error("{what}: {message}")]
    Aws {
        service: &'static str,
        what: String,
        code: Option<String>,
        message: String,
        retryable: bool,
    },
    /// The dispatcher or an AWS endpoint could not be reached or let us in.
    #[error("{message}")]
    Transport {
        kind: TransportKind,
        target: String,
        message: String,
    },
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The machine is not as needed: no Python, a busy port, a process that
    /// would not start.
    #[error("{message}")]
    Environment { message: String },
    /// Finished, but some records were rejected.
    #[error("{message}")]
    Partial { message: String },
    /// Interrupted by the user, or stopped by a failure that is not the
    /// data's (`cause`): the work can be resumed.
    #[error("{message}")]
    Interrupted {
        message: String,
        cause: Option<Box<AppError>>,
    },
    /// Something still exists or is unhealthy (teardown, status).
    #[error("{message}")]
    Incomplete { message: String },
    /// A bug.
    #[error("{message}")]
    Internal { message: String },
}

impl AppError {
    pub fn usage(message: impl fmt::Display) -> Self {
        AppError::Usage {
            message: message.to_string(),
        }
    }

    pub fn input(location: impl fmt::Display, message: impl fmt::Display) -> Self {
        AppError::Input {
            location: Some(location.to_string()),
            message: message.to_string(),
        }
    }

    pub fn not_found(message: impl fmt::Display) -> Self {
        AppError::NotFound {
            message: message.to_string(),
        }
    }

    pub fn environment(message: impl fmt::Display) -> Self {
        AppError::Environment {
            message: message.to_string(),
        }
    }

    pub fn internal(message: impl fmt::Display) -> Self {
        AppError::Internal {
            message: message.to_string(),
        }
    }

    pub fn incomplete(message: impl fmt::Display) -> Self {
        AppError::Incomplete {
            message: message.to_string(),
        }
    }

    pub fn transport(
        kind: TransportKind,
        target: impl fmt::Display,
        message: impl fmt::Display,
    ) -> Self {
        AppError::Transport {
            kind,
            target: target.to_string(),
            message: message.to_string(),
        }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        AppError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// A dispatcher error without an HTTP status or request id.
    pub fn dispatcher(kind: DispatcherKind, error_type: &str, message: impl fmt::Display) -> Self {
        AppError::Dispatcher {
            kind,
            status: None,
            error_type: error_type.to_string(),
            message: message.to_string(),
            request_id: None,
        }
    }

    /// The dispatcher answered, but not with what the contract says (exit 6).
    pub fn invalid_reply(message: impl fmt::Display) -> Self {
        AppError::dispatcher(DispatcherKind::InvalidReply, "InvalidReply", message)
    }

    /// The same error, its message followed by `suffix` (a hint line).
    pub fn with_suffix(mut self, suffix: &str) -> Self {
        match &mut self {
            AppError::Dispatcher { message, .. } | AppError::Transport { message, .. } => {
                message.push_str(suffix)
            }
            _ => {}
        }
        self
    }

    /// The documented exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            AppError::Usage { .. } | AppError::Input { .. } => exit::USAGE,
            AppError::NotFound { .. } => exit::NOT_FOUND,
            AppError::Dispatcher { kind, .. } => match kind {
                DispatcherKind::ItemNotFound => exit::NOT_FOUND,
                DispatcherKind::ConditionFailed => exit::CONDITION_FAILED,
                _ => exit::BACKEND,
            },
            AppError::Aws { .. } => exit::BACKEND,
            AppError::Transport { .. } => exit::TRANSPORT,
            AppError::Io { .. } | AppError::Environment { .. } => exit::ENVIRONMENT,
            AppError::Partial { .. } => exit::PARTIAL,
            AppError::Interrupted { cause, .. } => match cause.as_deref() {
                // A seed stopped because the endpoint is gone or refuses us:
                // the transport's code, so scripts can tell it from Ctrl-C.
                Some(AppError::Transport { .. }) => exit::TRANSPORT,
                _ => exit::INTERRUPTED,
            },
            AppError::Incomplete { .. } => exit::INCOMPLETE,
            AppError::Internal { .. } => exit::INTERNAL,
        }
    }

    /// May the same request succeed if tried again later (a transient fault,
    /// throttling)? Whether it is *safe* to repeat is the caller's question
    /// (see `may_have_run`).
    pub fn is_retryable(&self) -> bool {
        match self {
            AppError::Transport { kind, .. } => matches!(
                kind,
                TransportKind::Unreachable
                    | TransportKind::Timeout
                    | TransportKind::Throttled
                    | TransportKind::Failed
            ),
            AppError::Dispatcher { kind, .. } => {
                matches!(kind, DispatcherKind::Throttled | DispatcherKind::Internal)
            }
            AppError::Aws { retryable, .. } => *retryable,
            _ => false,
        }
    }

    /// Is this backpressure (throttling) rather than a failure?
    pub fn is_throttling(&self) -> bool {
        match self {
            AppError::Transport { kind, .. } => *kind == TransportKind::Throttled,
            AppError::Dispatcher { kind, .. } => *kind == DispatcherKind::Throttled,
            AppError::Aws { code, .. } => code
                .as_deref()
                .is_some_and(|c| aws::THROTTLING.contains(&c)),
            _ => false,
        }
    }

    /// Could the request have reached the function before it failed? (A
    /// refused connection or a 429 from API Gateway surely did not: such a
    /// request is safe to repeat whatever it does.)
    pub fn may_have_run(&self) -> bool {
        !matches!(
            self,
            AppError::Transport {
                kind: TransportKind::Unreachable | TransportKind::Throttled,
                ..
            }
        )
    }

    /// Is this failure about one record's content (it goes to the rejects
    /// file), rather than the endpoint, credentials, table or service (which
    /// stop a seed and leave the record to be sent again)?
    pub fn is_record_fault(&self) -> bool {
        match self {
            AppError::Input { .. } => true,
            AppError::Dispatcher { kind, .. } => matches!(
                kind,
                DispatcherKind::BadRequest
                    | DispatcherKind::ConditionFailed
                    | DispatcherKind::Other
            ),
            _ => false,
        }
    }

    /// The fix, as one line (None when the message already says it).
    pub fn help(&self) -> Option<String> {
        let text = match self {
            AppError::Transport { kind, .. } => match kind {
                TransportKind::Unreachable => "check the endpoint; for the local stack run `serverless-crud local status`",
                TransportKind::Timeout => "raise --timeout, or check the function's own timeout",
                TransportKind::Throttled => "the rate limit (stage, usage plan or Lambda concurrency) was exceeded; slow down or raise --rate/--burst",
                TransportKind::Forbidden => "with --auth iam the caller needs valid credentials and execute-api:Invoke; with --auth api-key check the key (SERVERLESS_CRUD_API_KEY); with --auth lambda send a token the authorizer accepts (--token / SERVERLESS_CRUD_TOKEN); with --auth cognito sign in first (`serverless-crud login --user NAME`)",
                TransportKind::NotFound => "check the stage and path of --endpoint (https://ID.execute-api.REGION.amazonaws.com/STAGE/crud), or --function and --region",
                TransportKind::Failed => return None,
            },
            AppError::Dispatcher { kind, .. } => match kind {
                DispatcherKind::TableNotAllowed => "the function only serves the tables in its ALLOWED_TABLES; add the table with `setup --table` (or `local up --table`)",
                DispatcherKind::TableNotFound => "the table does not exist; create it with `setup --table NAME` (or `local up --table NAME`)",
                DispatcherKind::UnknownOperation => "the dispatcher does not know this operation",
                DispatcherKind::AccessDenied => "the function's role may not do this on the table; run `serverless-crud status` to check its policy",
                DispatcherKind::Internal => "the function failed; its logs say why",
                _ => return None,
            },
            _ => return None,
        };
        Some(text.to_string())
    }

    /// Short machine-readable name used in `--output json` error objects.
    pub fn kind(&self) -> &'static str {
        match self {
            AppError::Usage { .. } => "usage",
            AppError::Input { .. } => "input",
            AppError::NotFound { .. } => "not_found",
            AppError::Dispatcher { kind, .. } => match kind {
                DispatcherKind::ItemNotFound => "not_found",
                DispatcherKind::ConditionFailed => "condition_failed",
                _ => "dispatcher",
            },
            AppError::Aws { .. } => "aws",
            AppError::Transport { .. } => "transport",
            AppError::Io { .. } => "io",
            AppError::Environment { .. } => "environment",
            AppError::Partial { .. } => "partial",
            AppError::Interrupted { .. } => "interrupted",
            AppError::Incomplete { .. } => "incomplete",
            AppError::Internal { .. } => "internal",
        }
    }
}

/// The whole error chain of a library error, one line.
pub fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![err.to_string()];
    let mut cause = err.source();
    while let Some(c) = cause {
        let text = c.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cause = c.source();
    }
    parts.join(": ")
}

/// AWS SDK errors, classified by what the SDK models: the error code, the
/// HTTP status, whether the request was sent at all.
pub mod aws {
    use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
    use aws_smithy_runtime_api::client::result::SdkError;
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;

    use super::{chain_text, AppError, TransportKind};

    /// Codes AWS uses for throttling across services.
    pub const THROTTLING: &[&str] = &[
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "SlowDown",
    ];

    /// `what` failed with `err` on `service` ("dynamodb", "iam", ...).
    pub fn error<E>(
        service: &'static str,
        what: impl Into<String>,
        err: &SdkError<E, HttpResponse>,
    ) -> AppError
    where
        E: std::error::Error + ProvideErrorMetadata + 'static,
    {
        let what = what.into();
        match err {
            SdkError::DispatchFailure(_) => AppError::transport(
                TransportKind::Unreachable,
                service,
                format!("{what}: cannot reach {service}: {}", chain_text(err)),
            ),
            SdkError::TimeoutError(_) => AppError::transport(
                TransportKind::Timeout,
                service,
                format!("{what}: {service} did not answer in time"),
            ),
            SdkError::ServiceError(service_err) => {
                let e = service_err.err();
                let code = e.code().map(str::to_string);
                let status = Some(service_err.raw().status().as_u16());
                let retryable = code.as_deref().is_some_and(|c| THROTTLING.contains(&c))
                    || status.is_some_and(|s| s >= 500);
                AppError::Aws {
                    service,
                    what,
                    code,
                    message: e
                        .message()
                        .map(str::to_string)
                        .unwrap_or_else(|| chain_text(err)),
                    retryable,
                }
            }
            _ => AppError::Aws {
                service,
                what,
                code: None,
                message: chain_text(err),
                retryable: false,
            },
        }
    }

    /// A waiter (table ACTIVE, function updated) that failed or timed out.
    pub fn waiter(
        service: &'static str,
        what: impl Into<String>,
        err: &(dyn std::error::Error + 'static),
    ) -> AppError {
        AppError::Aws {
            service,
            what: what.into(),
            code: None,
            message: chain_text(err),
            retryable: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport(kind: TransportKind) -> AppError {
        AppError::transport(kind, "https://x", "failed")
    }

    #[test]
    fn each_kind_has_its_exit_code() {
        assert_eq!(AppError::usage("x").exit_code(), 2);
        assert_eq!(AppError::input("f.json:3", "x").exit_code(), 2);
        assert_eq!(AppError::not_found("x").exit_code(), 3);
        assert_eq!(
            AppError::dispatcher(DispatcherKind::ItemNotFound, "ItemNotFound", "x").exit_code(),
            3
        );
        assert_eq!(
            AppError::dispatcher(DispatcherKind::ConditionFailed, "ConditionFailed", "x")
                .exit_code(),
            4
        );
        assert_eq!(
            AppError::dispatcher(DispatcherKind::TableNotAllowed, "TableNotAllowed", "x")
                .exit_code(),
            5
        );
        for kind in [
            TransportKind::Unreachable,
            TransportKind::Timeout,
            TransportKind::Throttled,
            TransportKind::Forbidden,
            TransportKind::NotFound,
            TransportKind::Failed,
        ] {
            assert_eq!(transport(kind).exit_code(), 6, "{kind:?}");
        }
        let io = AppError::io("read", "/x", std::io::Error::other("boom"));
        assert_eq!(io.exit_code(), 10);
        assert_eq!(AppError::environment("no python").exit_code(), 10);
        assert_eq!(
            AppError::Partial {
                message: "x".into()
            }
            .exit_code(),
            7
        );
        let stopped_by = |cause| AppError::Interrupted {
            message: "x".into(),
            cause,
        };
        assert_eq!(stopped_by(None).exit_code(), 8);
        assert_eq!(
            stopped_by(Some(Box::new(transport(TransportKind::Forbidden)))).exit_code(),
            6
        );
        assert_eq!(
            stopped_by(Some(Box::new(AppError::dispatcher(
                DispatcherKind::Internal,
                "BadGateway",
                "502"
            ))))
            .exit_code(),
            8
        );
        assert_eq!(AppError::incomplete("x").exit_code(), 9);
        assert_eq!(AppError::internal("x").exit_code(), 1);
    }

    #[test]
    fn retryable_and_record_fault_are_decided_by_kind() {
        let cases: Vec<(AppError, bool, bool)> = vec![
            // (error, retryable, record's fault)
            (transport(TransportKind::Unreachable), true, false),
            (transport(TransportKind::Timeout), true, false),
            (transport(TransportKind::Throttled), true, false),
            (transport(TransportKind::Forbidden), false, false),
            (transport(TransportKind::NotFound), false, false),
            (
                AppError::dispatcher(DispatcherKind::Throttled, "Throttled", "x"),
                true,
                false,
            ),
            (
                AppError::dispatcher(DispatcherKind::Internal, "InternalError", "x"),
                true,
                false,
            ),
            (
                AppError::dispatcher(DispatcherKind::BadRequest, "BadRequest", "x"),
                false,
                true,
            ),
            (
                AppError::dispatcher(DispatcherKind::Other, "TypeError", "x"),
                false,
                true,
            ),
            (
                AppError::dispatcher(DispatcherKind::TableNotFound, "TableNotFound", "x"),
                false,
                false,
            ),
            (
                AppError::dispatcher(DispatcherKind::TableNotAllowed, "TableNotAllowed", "x"),
                false,
                false,
            ),
            (
                AppError::dispatcher(DispatcherKind::AccessDenied, "AccessDenied", "x"),
                false,
                false,
            ),
            (AppError::input("line 3", "bad JSON"), false, true),
            (AppError::usage("x"), false, false),
        ];
        for (err, retryable, record) in cases {
            assert_eq!(err.is_retryable(), retryable, "{err:?} retryable");
            assert_eq!(err.is_record_fault(), record, "{err:?} record's fault");
        }
        assert!(!transport(TransportKind::Unreachable).may_have_run());
        assert!(!transport(TransportKind::Throttled).may_have_run());
        assert!(transport(TransportKind::Timeout).may_have_run());
    }

    #[test]
    fn help_lines_name_the_fix() {
        assert!(transport(TransportKind::Unreachable)
            .help()
            .unwrap()
            .contains("local status"));
        assert!(
            AppError::dispatcher(DispatcherKind::TableNotAllowed, "TableNotAllowed", "x")
                .help()
                .unwrap()
                .contains("ALLOWED_TABLES")
        );
        assert_eq!(AppError::usage("x").help(), None);
    }

    #[test]
    fn error_types_map_to_kinds() {
        assert_eq!(
            DispatcherKind::from_type("ConditionalCheckFailedException"),
            DispatcherKind::ConditionFailed
        );
        assert_eq!(
            DispatcherKind::from_type("ValidationException"),
            DispatcherKind::BadRequest
        );
        assert_eq!(DispatcherKind::from_type("KeyError"), DispatcherKind::Other);
        assert_eq!(
            DispatcherKind::from_type("BadGateway"),
            DispatcherKind::Internal
        );
    }
}
