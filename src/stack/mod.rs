//! The AWS resources of the pattern.

pub mod tables;
