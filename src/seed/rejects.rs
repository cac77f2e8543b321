//! The rejects file: one JSON line per record that was not written, with its
//! record number, line, reason and input, so it can be fixed and re-seeded
//! (`jq -r .input rejects.jsonl > fixed.jsonl`).
//!
//! It holds record contents, so it is owner-only (0600); and it is only ever
//! created new or appended to when it is this seed's own file being resumed:
//! a seed never truncates or deletes anything at the path it is given.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::error::AppError;

/// How the rejects file is opened (on the first reject).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Created new: refused if anything exists at the path.
    CreateNew,
    /// This seed's own file, resumed: appended (created if it was never written).
    Append,
}

pub struct Rejects {
    path: PathBuf,
    open: Open,
    writer: Option<std::io::BufWriter<std::fs::File>>,
    /// Lines written by this run.
    pub count: u64,
}

/// Decides where rejects go and how, refusing what could destroy data:
/// an existing path (unless it is the checkpoint's own rejects file being
/// resumed), the input itself, anything but a regular file.
pub fn choose(
    explicit: Option<&Path>,
    resumed: Option<&Path>,
    default: PathBuf,
    input: &str,
) -> Result<(PathBuf, Open), AppError> {
    let path = explicit
        .map(Path::to_path_buf)
        .or_else(|| resumed.map(Path::to_path_buf))
        .unwrap_or(default);
    if input != "-" && same_file(&path, Path::new(input)) {
        return Err(AppError::usage(format!(
            "--rejects {} is the input file; rejects go to a new file (omit --rejects for the default)",
            path.display()
        )));
    }
    let own = resumed.is_some_and(|saved| saved == path);
    match std::fs::symlink_metadata(&path) {
        Ok(meta) if own && meta.file_type().is_file() => Ok((path, Open::Append)),
        Ok(_) if own => Err(AppError::usage(format!(
            "the rejects file {} of the interrupted seed is no longer a regular file; refusing to write to it",
            path.display()
        ))),
        Ok(_) => Err(AppError::usage(format!(
            "--rejects {} already exists; seed never overwrites a file: pick a new path or move that one away",
            path.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            if !parent.is_dir() {
                return Err(AppError::usage(format!(
                    "cannot write rejects to {}: the directory {} does not exist",
                    path.display(),
                    parent.display()
                )));
            }
            Ok((path, if own { Open::Append } else { Open::CreateNew }))
        }
        Err(e) => Err(AppError::usage(format!(
            "cannot check the rejects path {}: {e}",
            path.display()
        ))),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

impl Rejects {
    /// Opened on the first reject, so a clean seed leaves no file behind.
    pub fn new(path: PathBuf, open: Open) -> Self {
        Rejects {
            path,
            open,
            writer: None,
            count: 0,
        }
    }

    fn open_file(&self) -> std::io::Result<std::fs::File> {
        let mut options = std::fs::OpenOptions::new();
        match self.open {
            Open::CreateNew => options.write(true).create_new(true),
            Open::Append => options.append(true).create(true),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Owner-only; and never follow a symlink planted at the path.
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let file = options.open(&self.path)?;
        if !file.metadata()?.file_type().is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        Ok(file)
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
            let file = self.open_file().map_err(fail)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "scrud-rejects-{}-{}",
            std::process::id(),
            rand::random::<u32>()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn an_existing_path_is_refused_unless_it_is_the_resumed_file() {
        let dir = temp();
        let input = dir.join("in.jsonl");
        std::fs::write(&input, "{}\n").unwrap();
        let other = dir.join("precious.txt");
        std::fs::write(&other, "keep me").unwrap();
        let default = dir.join("default.rejects.jsonl");
        let input_s = input.to_str().unwrap();

        let err = choose(Some(&other), None, default.clone(), input_s).unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        let err = choose(Some(&input), None, default.clone(), input_s).unwrap_err();
        assert!(err.to_string().contains("is the input file"), "{err}");
        let err = choose(Some(Path::new("/dev/null")), None, default.clone(), input_s).unwrap_err();
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");

        let (path, open) = choose(None, None, default.clone(), input_s).unwrap();
        assert_eq!((path.clone(), open), (default.clone(), Open::CreateNew));
        let mut rejects = Rejects::new(path, open);
        rejects.write(1, 1, "bad", "{}").unwrap();
        rejects.flush().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&default).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Resuming appends to its own file.
        let (path, open) = choose(None, Some(&default), dir.join("x"), input_s).unwrap();
        assert_eq!((path, open), (default.clone(), Open::Append));
        let mut rejects = Rejects::new(default.clone(), Open::Append);
        rejects.write(2, 2, "bad", "{}").unwrap();
        rejects.flush().unwrap();
        assert_eq!(
            std::fs::read_to_string(&default).unwrap().lines().count(),
            2
        );
        // A file that appeared at a CreateNew path is not overwritten.
        let late = dir.join("late.jsonl");
        let mut rejects = Rejects::new(late.clone(), Open::CreateNew);
        std::fs::write(&late, "someone else's").unwrap();
        assert!(rejects.write(1, 1, "bad", "{}").is_err());
        assert_eq!(std::fs::read_to_string(&late).unwrap(), "someone else's");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
