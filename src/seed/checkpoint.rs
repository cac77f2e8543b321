//! Checkpoints of interrupted seeds, in the state dir, one per table and
//! input file. Saved periodically and on stop; removed when a seed completes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::seed::reader::Format;
use crate::seed::runner::Progress;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    pub table: String,
    pub input: String,
    pub format: Format,
    /// Size and modification time of the input when the seed started: a
    /// changed file cannot be resumed by record numbers.
    pub input_size: Option<u64>,
    pub input_modified: Option<u64>,
    pub rejects: PathBuf,
    pub progress: Progress,
}

/// Where the checkpoint of seeding `input` into `table` lives.
pub fn path_for(table: &str, input: &str) -> Result<PathBuf, AppError> {
    let absolute = if input == "-" {
        "-".to_string()
    } else {
        std::fs::canonicalize(input)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| input.to_string())
    };
    let mut hash: u64 = 0xcbf29ce484222325;
    for byte in format!("{table}\u{0}{absolute}").bytes() {
        hash = (hash ^ byte as u64).wrapping_mul(0x100000001b3);
    }
    Ok(crate::paths::state_dir()?
        .join("seed")
        .join(format!("{table}-{hash:016x}.json")))
}

pub fn fingerprint(input: &str) -> (Option<u64>, Option<u64>) {
    if input == "-" {
        return (None, None);
    }
    let meta = std::fs::metadata(input).ok();
    let size = meta.as_ref().map(|m| m.len());
    let modified = meta
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs());
    (size, modified)
}

pub fn load(path: &Path) -> Result<Option<Checkpoint>, AppError> {
    crate::paths::read_json(path, "delete it to start over")
}

pub fn save(path: &Path, checkpoint: &Checkpoint) -> Result<(), AppError> {
    crate::paths::write_json(path, checkpoint)
}

pub fn remove(path: &Path) {
    let _ = std::fs::remove_file(path);
}
