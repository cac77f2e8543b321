//! The local API Gateway data plane.

pub mod sigv4;
