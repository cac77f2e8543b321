//! Writing exported pages: one file format per `Format`, appended page by
//! page to `FILE.part` (renamed to FILE when the export completes, so a
//! partial export never looks like a finished one). With `.gz`, each page is
//! its own gzip member: the file can be cut back to any page boundary
//! (`--resume`) and still decompress. CSV needs every column before its
//! header, so its pages are staged as JSON lines and converted at the end.

use std::fs::File;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::AppError;
use crate::export::source::Items;
use crate::formats::Format;

/// A column seen in a CSV export, and the kinds of values it held.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub strings: bool,
    pub numbers: bool,
    pub bools: bool,
    /// Lists, maps and sets (written as JSON text).
    pub documents: bool,
}

/// What `--resume` needs to continue the file: its length at the last page
/// boundary, the items in it, and CSV's columns so far.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct WriterState {
    pub part_len: u64,
    pub items: u64,
    pub columns: Vec<Column>,
    /// SHA-256 of the part file's first `part_len` bytes: `--resume`
    /// continues only the very content the checkpoint describes.
    #[serde(default)]
    pub sha256: Option<String>,
}

pub enum Destination {
    /// FILE, written as FILE.part until complete.
    File(PathBuf),
    /// Standard output (CSV staged in `staging` first).
    Stdout { staging: PathBuf },
}

pub struct Writer {
    format: Format,
    gzip: bool,
    destination: Destination,
    part: PathBuf,
    out: BufWriter<File>,
    state: WriterState,
    /// Hashes what the part file holds, page by page.
    hasher: sha2::Sha256,
    /// Key attributes: CSV's first columns.
    key_names: Vec<String>,
}

/// Hashes the part file's first `state.part_len` bytes and checks them
/// against the checkpoint; the hasher then continues from there.
fn verify_part(file: &File, part: &Path, state: &WriterState) -> Result<sha2::Sha256, AppError> {
    use std::io::Read;
    let len = file
        .metadata()
        .map_err(|e| AppError::io("read", part, e))?
        .len();
    let changed = |why: String| {
        AppError::usage(format!(
            "{} {why} than the checkpoint describes: it was changed; run without --resume to start over",
            part.display()
        ))
    };
    if len < state.part_len {
        return Err(changed(format!(
            "is shorter ({len} bytes, the checkpoint says {})",
            state.part_len
        )));
    }
    let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
    let mut reader = std::io::BufReader::new(file).take(state.part_len);
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = reader
            .read(&mut buffer)
            .map_err(|e| AppError::io("read", part, e))?;
        if n == 0 {
            break;
        }
        sha2::Digest::update(&mut hasher, &buffer[..n]);
    }
    match &state.sha256 {
        Some(expected) if *expected != hex(&sha2::Digest::finalize(hasher.clone())) => {
            Err(changed("holds other content".into()))
        }
        _ => Ok(hasher),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `FILE.part`: where an export to FILE is written until it completes.
pub fn part_path(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".part");
    file.with_file_name(name)
}

impl Writer {
    /// A new export, or (with `resume`) the continuation of one: the part
    /// file is cut back to the checkpoint's page boundary.
    pub fn open(
        format: Format,
        gzip: bool,
        destination: Destination,
        key_names: Vec<String>,
        resume: Option<WriterState>,
    ) -> Result<Writer, AppError> {
        crate::dry_run::guard("write the export")?;
        let part = match &destination {
            Destination::File(file) => part_path(file),
            Destination::Stdout { staging } => staging.clone(),
        };
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Never through a link planted where the part file goes.
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let direct_to_stdout =
            matches!(destination, Destination::Stdout { .. }) && format != Format::Csv;
        let file = if direct_to_stdout {
            // Written straight through: no part file to keep.
            None
        } else {
            Some(
                options
                    .open(&part)
                    .map_err(|e| AppError::io("create", &part, e))?,
            )
        };
        let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
        let state = match (resume, &file) {
            (Some(state), Some(file)) => {
                hasher = verify_part(file, &part, &state)?;
                file.set_len(state.part_len)
                    .map_err(|e| AppError::io("truncate", &part, e))?;
                state
            }
            (_, Some(file)) => {
                file.set_len(0)
                    .map_err(|e| AppError::io("truncate", &part, e))?;
                WriterState::default()
            }
            (_, None) => WriterState::default(),
        };
        let out = match file {
            Some(mut file) => {
                use std::io::Seek;
                file.seek(std::io::SeekFrom::End(0))
                    .map_err(|e| AppError::io("write", &part, e))?;
                BufWriter::with_capacity(1 << 16, file)
            }
            // Standard output as a file (fd 1), so the same writer serves both.
            None => BufWriter::with_capacity(1 << 16, stdout_file()?),
        };
        let mut writer = Writer {
            format,
            gzip: gzip && !matches!(format, Format::Csv),
            destination,
            part,
            out,
            state,
            hasher,
            key_names,
        };
        if writer.state.part_len == 0 && format == Format::Json {
            writer.append(b"[")?;
        }
        Ok(writer)
    }

    pub fn state(&self) -> &WriterState {
        &self.state
    }

    /// What appended bytes go to, for messages: standard output when it is
    /// written straight through, else the part (or staging) file.
    fn written_to(&self) -> PathBuf {
        let straight =
            matches!(self.destination, Destination::Stdout { .. }) && self.format != Format::Csv;
        match straight {
            true => PathBuf::from("standard output"),
            false => self.part.clone(),
        }
    }

    /// Appends one page; the file then ends at a page boundary (flushed).
    /// An item that cannot be decoded fails the page before any of it is
    /// written.
    pub fn write_page(&mut self, items: &Items) -> Result<(), AppError> {
        if items.is_empty() {
            return Ok(());
        }
        let mut text = Vec::with_capacity(items.len() * 128);
        let mut written = self.state.items;
        items.try_for_each(|item| {
            match self.format {
                Format::Jsonl => {
                    serde_json::to_writer(&mut text, &crate::ddb_json::item_to_plain(item))
                        .expect("JSON");
                    text.push(b'\n');
                }
                Format::DdbJsonl => {
                    let line = serde_json::json!({ "Item": crate::ddb_json::item_to_json(item) });
                    serde_json::to_writer(&mut text, &line).expect("JSON");
                    text.push(b'\n');
                }
                Format::Json => {
                    text.extend_from_slice(if written == 0 { b"\n" } else { b",\n" });
                    serde_json::to_writer(&mut text, &crate::ddb_json::item_to_plain(item))
                        .expect("JSON");
                }
                Format::Csv => {
                    let plain = crate::ddb_json::item_to_plain(item);
                    self.note_columns(&plain);
                    serde_json::to_writer(&mut text, &plain).expect("JSON");
                    text.push(b'\n');
                }
            }
            written += 1;
        })?;
        self.state.items = written;
        self.append(&text)
    }

    /// Writes bytes (as one gzip member when compressing) and flushes.
    fn append(&mut self, bytes: &[u8]) -> Result<(), AppError> {
        let target = self.written_to();
        let fail = |e: std::io::Error| AppError::io("write", target.clone(), e);
        let member;
        let written: &[u8] = if self.gzip {
            let mut encoder = flate2::write::GzEncoder::new(
                Vec::with_capacity(bytes.len() / 4),
                flate2::Compression::default(),
            );
            encoder.write_all(bytes).map_err(fail)?;
            member = encoder.finish().map_err(fail)?;
            &member
        } else {
            bytes
        };
        self.out.write_all(written).map_err(fail)?;
        self.out.flush().map_err(fail)?;
        self.state.part_len += written.len() as u64;
        sha2::Digest::update(&mut self.hasher, written);
        self.state.sha256 = Some(hex(&sha2::Digest::finalize(self.hasher.clone())));
        Ok(())
    }

    fn note_columns(&mut self, item: &Map<String, Value>) {
        for (name, value) in item {
            let index = match self.state.columns.iter().position(|c| &c.name == name) {
                Some(i) => i,
                None => {
                    self.state.columns.push(Column {
                        name: name.clone(),
                        ..Column::default()
                    });
                    self.state.columns.len() - 1
                }
            };
            let column = &mut self.state.columns[index];
            match value {
                Value::String(_) => column.strings = true,
                Value::Number(_) => column.numbers = true,
                Value::Bool(_) => column.bools = true,
                Value::Array(_) | Value::Object(_) => column.documents = true,
                Value::Null => {}
            }
        }
    }

    /// Ends the file (JSON's closing bracket, CSV's conversion) and moves
    /// it into place. Returns the bytes of the finished file.
    pub fn finish(mut self) -> Result<u64, AppError> {
        if self.format == Format::Json {
            let end: &[u8] = if self.state.items == 0 {
                b"]\n"
            } else {
                b"\n]\n"
            };
            self.append(end)?;
        }
        let fail = |e: std::io::Error| AppError::io("write", self.part.clone(), e);
        self.out.flush().map_err(fail)?;
        let sync = self.out.get_ref().sync_all();
        if self.format == Format::Csv {
            return self.write_csv();
        }
        match &self.destination {
            Destination::File(file) => {
                sync.map_err(fail)?;
                std::fs::rename(&self.part, file).map_err(|e| AppError::io("rename", file, e))?;
                Ok(self.state.part_len)
            }
            Destination::Stdout { .. } => Ok(self.state.part_len),
        }
    }

    /// CSV: the header (key attributes first, then by name), then one row per
    /// staged item. Strings as they are, numbers exactly, lists/maps/sets as
    /// JSON text; a missing attribute, null or "" is an empty cell.
    fn write_csv(&self) -> Result<u64, AppError> {
        let mut names: Vec<&str> = self.state.columns.iter().map(|c| c.name.as_str()).collect();
        names.sort_by_key(|n| {
            (
                self.key_names
                    .iter()
                    .position(|k| k == n)
                    .unwrap_or(usize::MAX),
                n.to_string(),
            )
        });
        let (target, tmp): (Box<dyn Write>, Option<(PathBuf, PathBuf)>) = match &self.destination {
            Destination::File(file) => {
                let mut name = file.file_name().unwrap_or_default().to_os_string();
                name.push(".csv-tmp");
                let tmp = file.with_file_name(name);
                let handle = File::create(&tmp).map_err(|e| AppError::io("create", &tmp, e))?;
                let sink: Box<dyn Write> = if crate::formats::is_gzip(&file.to_string_lossy()) {
                    Box::new(flate2::write::GzEncoder::new(
                        handle,
                        flate2::Compression::default(),
                    ))
                } else {
                    Box::new(handle)
                };
                (sink, Some((tmp, file.clone())))
            }
            Destination::Stdout { .. } => (Box::new(std::io::stdout().lock()), None),
        };
        // Where the rows go, for messages (never the staging file's name).
        let rows_to = match &tmp {
            Some((tmp, _)) => tmp.clone(),
            None => PathBuf::from("standard output"),
        };
        let mut csv = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, target));
        let csv_error =
            |e: csv::Error| AppError::io("write", rows_to.clone(), std::io::Error::other(e));
        csv.write_record(&names).map_err(csv_error)?;
        let staged = File::open(&self.part).map_err(|e| AppError::io("read", &self.part, e))?;
        let mut row: Vec<String> = Vec::with_capacity(names.len());
        for line in std::io::BufReader::new(staged).lines() {
            let line = line.map_err(|e| AppError::io("read", &self.part, e))?;
            let item: Map<String, Value> = serde_json::from_str(&line)
                .map_err(|e| AppError::internal(format!("staged CSV row unreadable: {e}")))?;
            row.clear();
            row.extend(names.iter().map(|n| match item.get(*n) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
            }));
            csv.write_record(&row).map_err(csv_error)?;
        }
        let mut inner = csv.into_inner().map_err(|e| {
            AppError::io(
                "write",
                rows_to.clone(),
                std::io::Error::other(e.to_string()),
            )
        })?;
        inner
            .flush()
            .map_err(|e| AppError::io("write", rows_to.clone(), e))?;
        drop(inner);
        let _ = std::fs::remove_file(&self.part);
        match tmp {
            Some((tmp, file)) => {
                std::fs::rename(&tmp, &file).map_err(|e| AppError::io("rename", &file, e))?;
                Ok(std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0))
            }
            None => Ok(0),
        }
    }

    /// `--types` for seeding the CSV back: columns that held only numbers,
    /// only booleans, or documents (lists, maps, sets) and no strings.
    pub fn csv_types(&self) -> Option<String> {
        let spec: Vec<String> = self
            .state
            .columns
            .iter()
            .filter(|c| !c.strings)
            .filter_map(|c| match (c.numbers, c.bools, c.documents) {
                (true, false, false) => Some(format!("{}:n", c.name)),
                (false, true, false) => Some(format!("{}:bool", c.name)),
                (_, _, true) | (true, true, false) => Some(format!("{}:json", c.name)),
                _ => None,
            })
            .collect();
        (!spec.is_empty()).then(|| spec.join(","))
    }

    /// Removes the part file (an export abandoned before writing anything).
    pub fn discard(self) {
        if matches!(self.destination, Destination::File(_)) || self.format == Format::Csv {
            let part = self.part.clone();
            drop(self);
            let _ = std::fs::remove_file(part);
        }
    }
}

fn stdout_file() -> Result<File, AppError> {
    use std::os::fd::AsFd;
    let fd = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map_err(|e| AppError::io("write", "standard output", e))?;
    Ok(File::from(fd))
}
