//! The rejects file: one JSON line per record that was not written, with its
//! record number, line, reason and input, so it can be fixed and re-seeded
//! (`jq -r .input rejects.jsonl > fixed.jsonl`).

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::error::AppError;

pub struct Rejects {
    path: PathBuf,
    writer: Option<std::io::BufWriter<std::fs::File>>,
    /// Lines written by this run.
    pub count: u64,
}

impl Rejects {
    /// Opened on the first reject, appending (a resumed run adds to it).
    pub fn new(path: PathBuf) -> Self {
        Rejects {
            path,
            writer: None,
            count: 0,
        }
    }

    pub fn write(
        &mut self,
        record: u64,
        line: u64,
        reason: &str,
        input: &str,
    ) -> Result<(), AppError> {
        let fail = |e: std::io::Error| {
            AppError::usage(format!(
                "cannot write the rejects file {}: {e}",
                self.path.display()
            ))
        };
        if self.writer.is_none() {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(fail)?;
            self.writer = Some(std::io::BufWriter::new(file));
        }
        let entry = json!({"record": record, "line": line, "reason": reason, "input": input});
        let writer = self.writer.as_mut().expect("opened above");
        writeln!(writer, "{entry}").map_err(fail)?;
        self.count += 1;
        Ok(())
    }

    pub fn flush(&mut self) -> Result<(), AppError> {
        if let Some(writer) = self.writer.as_mut() {
            writer.flush().map_err(|e| {
                AppError::usage(format!(
                    "cannot write the rejects file {}: {e}",
                    self.path.display()
                ))
            })?;
        }
        Ok(())
    }
}
