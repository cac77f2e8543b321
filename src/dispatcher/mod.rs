//! The dispatcher the tool deploys, embedded in the binary.

/// `lambda_function.py`; handler `lambda_function.lambda_handler`.
pub const SOURCE: &str = include_str!("lambda_function.py");
