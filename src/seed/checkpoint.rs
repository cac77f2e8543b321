//! Checkpoints of interrupted seeds, in the state dir, one per table and
//! input file. Saved periodically and on stop; removed when a seed completes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::seed::input::Fingerprint;
use crate::seed::reader::Format;
use crate::seed::runner::Progress;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Checkpoint {
    pub table: String,
    pub input: String,
    pub format: Format,
    /// What had been read of the input (length and SHA-256): a resumed seed
    /// must read the same content, or its record numbers mean nothing.
    pub consumed: Fingerprint,
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

/// The default rejects file of a seed: beside its checkpoint, stamped with
/// the start time so an earlier run's rejects are never replaced.
pub fn default_rejects(checkpoint: &Path) -> PathBuf {
    let stem = checkpoint
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "seed".into());
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
    checkpoint.with_file_name(format!("{stem}-{stamp}.rejects.jsonl"))
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
