//! Bulk seeding: streaming readers, validation, write backends, the runner,
//! rejects and checkpoints.

pub mod checkpoint;
pub mod input;
pub mod reader;
pub mod rejects;
pub mod runner;
pub mod s3_import;
pub mod session;
pub mod sink;
pub mod validate;
