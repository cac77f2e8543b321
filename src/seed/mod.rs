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

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

use crate::engine::Finished;
use crate::error::AppError;
use crate::event::ValueType;
use crate::output::Progress;
use reader::Format;
use validate::KeySchema;

/// What a seed reads and how hard it pushes (every engine takes these).
pub struct Options {
    pub table: String,
    /// A path, or `-` for stdin.
    pub file: String,
    pub format: Format,
    pub types: Vec<(String, ValueType)>,
    pub concurrency: usize,
    pub batch_size: usize,
    pub max_attempts: u32,
    /// The table's key (required by s3-import, which creates the table).
    pub schema: Option<KeySchema>,
    pub rejects: Option<PathBuf>,
    pub resume: bool,
}

/// Where the items go: a write backend (the dispatcher's batch, or
/// BatchWriteItem directly), or DynamoDB's ImportTable from S3.
pub enum Sink {
    Items(sink::Backend),
    S3Import(s3_import::S3Import),
}

/// A seed's summary, whichever engine ran it (each keeps its JSON fields).
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum Summary {
    Written(session::Summary),
    Imported(s3_import::ImportSummary),
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Summary::Written(s) => s.fmt(f),
            Summary::Imported(s) => s.fmt(f),
        }
    }
}

/// Seeds `options.file` into `sink`: to its end, an interrupt or a stop.
pub async fn run(
    options: Options,
    sink: Sink,
    progress: &dyn Progress,
) -> Result<Finished<Summary>, AppError> {
    Ok(match sink {
        Sink::Items(backend) => session::run(options, backend, progress)
            .await?
            .map(Summary::Written),
        Sink::S3Import(target) => s3_import::run(options, target, progress)
            .await?
            .map(Summary::Imported),
    })
}
