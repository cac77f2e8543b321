//! `export`: a table to a file, in constant memory. Segments of a parallel
//! Scan are read concurrently (directly or through the dispatcher), one
//! writer appends their pages, and a checkpoint records each segment's
//! position together with the file length at the same page boundary — so
//! an interrupted export resumes to the same content.

pub mod s3;
pub mod source;
pub mod writer;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::engine::{Finished, Ticker};
use crate::error::AppError;
use crate::formats::Format;
use crate::output::{MeterSpec, Progress, Unit};
use source::{Filter, Page, Source};
use writer::{Destination, Writer, WriterState};

/// Parallel Scan segments unless `--segments` says: 4 on AWS, where each
/// segment is a separate partition range; 1 on the local stack, where moto
/// walks the whole table for every segment's every page (100,000 items:
/// 1,428 items/s with 1 segment, 998 with 4).
pub fn default_segments(local: bool) -> u32 {
    if local {
        1
    } else {
        4
    }
}

pub struct Options {
    pub table: String,
    /// A path, or `-` for standard output.
    pub file: String,
    pub format: Format,
    pub segments: u32,
    pub filter: Filter,
    pub resume: bool,
    /// Replace an existing FILE.
    pub force: bool,
    /// Key attributes (CSV's first columns), when known.
    pub key_names: Vec<String>,
    /// Stop (exit 9) once the file grows past this many bytes (backups).
    pub max_bytes: Option<u64>,
    /// The table's approximate item count, for the progress bar.
    pub expected_items: Option<u64>,
}

/// Where one segment of the Scan stands.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    pub done: bool,
    /// The last key written, as the source takes it back.
    pub after: Option<Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Checkpoint {
    table: String,
    file: String,
    format: Format,
    source: String,
    query: String,
    positions: Vec<Position>,
    writer: WriterState,
}

/// What `export --dry-run` prints.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    dry_run: bool,
    table: String,
    file: String,
    format: Format,
    engine: String,
    segments: u32,
    filter: Option<String>,
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "would export {} to {} ({}) via {}, {} segment(s){}",
            self.table,
            self.file,
            self.format,
            self.engine,
            self.segments,
            self.filter
                .as_deref()
                .map(|e| format!(", filter {e}"))
                .unwrap_or_default()
        )
    }
}

pub fn plan(options: &Options, engine: &str) -> Plan {
    Plan {
        dry_run: true,
        table: options.table.clone(),
        file: options.file.clone(),
        format: options.format,
        engine: engine.to_string(),
        segments: options.segments,
        filter: options.filter.expression.clone(),
    }
}

/// The summary of an export.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub table: String,
    pub file: String,
    pub format: Format,
    pub engine: String,
    pub segments: u32,
    pub items: u64,
    pub scanned: u64,
    pub bytes: u64,
    pub duration_sec: f64,
    pub items_per_sec: f64,
    pub complete: bool,
    pub checkpoint: Option<PathBuf>,
    pub stopped_by: Option<String>,
    /// CSV: the `--types` that seeds the file back with its types.
    pub csv_types: Option<String>,
    /// The command that loads the file back.
    pub restore: Option<String>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rows = vec![
            ("table".to_string(), self.table.clone()),
            ("file".into(), self.file.clone()),
            ("format".into(), self.format.to_string()),
            ("engine".into(), self.engine.clone()),
            ("segments".into(), self.segments.to_string()),
            ("items".into(), self.items.to_string()),
            ("scanned".into(), self.scanned.to_string()),
            ("bytes".into(), self.bytes.to_string()),
            ("duration".into(), format!("{:.2}s", self.duration_sec)),
            ("items/s".into(), format!("{:.0}", self.items_per_sec)),
        ];
        if let Some(types) = &self.csv_types {
            rows.push(("seed back with".into(), format!("--types {types}")));
        }
        if let Some(why) = &self.stopped_by {
            rows.push(("stopped by".into(), why.clone()));
        }
        if let Some(checkpoint) = &self.checkpoint {
            rows.push(("checkpoint".into(), checkpoint.display().to_string()));
        }
        if let Some(restore) = &self.restore {
            rows.push(("restore".into(), restore.clone()));
        }
        write!(f, "{}", crate::output::rows_table(&rows))
    }
}

/// Where the checkpoint of exporting `table` to `file` lives.
pub fn checkpoint_path(table: &str, file: &str) -> Result<PathBuf, AppError> {
    let absolute = absolute(file);
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("{table}\u{0}{absolute}").as_bytes());
    let short: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Ok(crate::paths::state_dir()?
        .join("export")
        .join(format!("{table}-{short}.json")))
}

fn absolute(file: &str) -> String {
    let path = Path::new(file);
    if path.is_absolute() {
        return file.to_string();
    }
    std::env::current_dir()
        .map(|dir| dir.join(path).display().to_string())
        .unwrap_or_else(|_| file.to_string())
}

/// Where an export's items come from: a Scan (direct or through the
/// dispatcher), or DynamoDB's own export to S3.
pub enum Origin {
    Scan(Source),
    S3(s3::S3Export),
}

impl Origin {
    pub fn name(&self) -> &'static str {
        match self {
            Origin::Scan(source) => source.name(),
            Origin::S3(_) => "s3-export",
        }
    }
}

/// Runs an export to its end, an interrupt or a failure; returns the
/// summary and, when the file is not complete, the failure deciding the exit
/// code (8 interrupted, 6 the endpoint is gone, 9 over `max_bytes`).
pub async fn run(
    options: Options,
    origin: Origin,
    progress: &dyn Progress,
) -> Result<Finished<Summary>, AppError> {
    let _lock = match options.file.as_str() {
        "-" => None,
        file => {
            check_destination(Path::new(file))?;
            Some(lock_destination(file)?)
        }
    };
    match origin {
        Origin::Scan(source) => scan(options, source, progress).await,
        Origin::S3(export) => Ok(Finished::complete(export.run(options, progress).await?)),
    }
}

/// Only a regular file is ever replaced (FILE and FILE.part): a directory,
/// a device, a FIFO or a socket is refused before anything starts, so
/// `--force` can never turn `/dev/null` into a file.
fn check_destination(file: &Path) -> Result<(), AppError> {
    for path in [file.to_path_buf(), writer::part_path(file)] {
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue; // absent: it will be created
        };
        let kind = meta.file_type();
        let what = if kind.is_dir() {
            "a directory"
        } else if kind.is_file() || kind.is_symlink() {
            continue; // replaced by the finished file (a link itself, not its target)
        } else {
            "a device, FIFO or socket"
        };
        return Err(AppError::usage(format!(
            "{} is {what}, not a regular file: export writes regular files only. Pass another --file, \
             or --file - to write to standard output (and redirect it where you want)",
            path.display()
        )));
    }
    Ok(())
}

/// One export at a time per destination file: a second is refused, naming
/// the process that holds it (they would share FILE.part).
fn lock_destination(file: &str) -> Result<crate::paths::FileLock, AppError> {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(absolute(file).as_bytes());
    let short: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let dir = crate::paths::state_dir()?.join("export");
    crate::paths::private_dir(&dir)?;
    let path = dir.join(format!("file-{short}.lock"));
    crate::paths::FileLock::try_acquire(&path)?.map_err(|holder| {
        let who = holder
            .map(|pid| format!("process {pid}"))
            .unwrap_or_else(|| "another process".into());
        AppError::usage(format!(
            "{file} is being written by another export ({who}); wait for it to finish, or choose another --file"
        ))
    })
}

/// An export by parallel Scan: segments read concurrently, one writer, a
/// checkpoint saved every second by its own ticker.
async fn scan(
    options: Options,
    source: Source,
    progress: &dyn Progress,
) -> Result<Finished<Summary>, AppError> {
    let checkpoint = checkpoint_path(&options.table, &options.file)?;
    let (positions, resumed) = starting_point(&options, &checkpoint, source.name(), progress)?;
    let mut writer = open_writer(&options, &checkpoint, resumed.clone())?;
    let base = Checkpoint {
        table: options.table.clone(),
        file: absolute(&options.file),
        format: options.format,
        source: source.name().to_string(),
        query: options.filter.describe(),
        positions: positions.clone(),
        writer: writer.state().clone(),
    };
    let total = options.segments.max(1);
    progress.note(&format!(
        "exporting {} to {} ({}) via {}, {total} segment(s)",
        options.table,
        options.file,
        options.format,
        source.name()
    ));
    let stop = Arc::new(AtomicBool::new(false));
    crate::interrupt::watch(
        stop.clone(),
        "stopping: finishing the pages in flight, then writing a checkpoint",
    );
    let started = Instant::now();
    let counted = Arc::new(AtomicU64::new(writer.state().items));
    let meter = items_meter(progress, &options, counted.clone(), started);
    let latest = Arc::new(Mutex::new(None::<Checkpoint>));
    let ticker = (options.file != "-").then(|| checkpoint_ticker(&checkpoint, latest.clone()));
    let segments = Segments::start(
        Arc::new(source),
        options.filter.clone(),
        total,
        &positions,
        stop.clone(),
    );
    let engine = segments.source.name().to_string();
    let mut state = ExportState {
        positions,
        scanned: 0,
        failure: None,
    };
    state
        .pump(segments, &mut writer, &options, &stop, |state, writer| {
            counted.store(writer.state().items, Ordering::Relaxed);
            *latest.lock().unwrap() = Some(base.at(&state.positions, writer.state()));
        })
        .await;
    meter.finish().await;
    if let Some(ticker) = ticker {
        ticker.stop().await;
    }
    let ended = Ended {
        engine,
        elapsed: started.elapsed(),
        resumed_items: resumed.as_ref().map(|s| s.items).unwrap_or(0),
        resumed: resumed.is_some(),
    };
    conclude(options, state, writer, &checkpoint, &base, ended)
}

fn open_writer(
    options: &Options,
    checkpoint: &Path,
    resumed: Option<WriterState>,
) -> Result<Writer, AppError> {
    let destination = if options.file == "-" {
        Destination::Stdout {
            staging: checkpoint.with_extension("staging.jsonl"),
        }
    } else {
        Destination::File(PathBuf::from(&options.file))
    };
    if let Some(dir) = checkpoint.parent() {
        crate::paths::private_dir(dir)?;
    }
    Writer::open(
        options.format,
        crate::formats::is_gzip(&options.file),
        destination,
        options.key_names.clone(),
        resumed,
    )
}

/// The progress meter of an export: items written, against the table's
/// approximate count when known.
fn items_meter(
    progress: &dyn Progress,
    options: &Options,
    counted: Arc<AtomicU64>,
    started: Instant,
) -> crate::output::Meter {
    let before = counted.load(Ordering::Relaxed);
    let spec = MeterSpec {
        label: "export",
        unit: Unit::Items,
        total: options.expected_items,
    };
    progress.meter(
        spec,
        Box::new(move || {
            let n = counted.load(Ordering::Relaxed);
            let rate = (n - before) as f64 / started.elapsed().as_secs_f64().max(1e-9);
            (n, format!("{n} items, {rate:.0} items/s"))
        }),
    )
}

/// Saves the latest page-boundary checkpoint every second.
fn checkpoint_ticker(path: &Path, latest: Arc<Mutex<Option<Checkpoint>>>) -> Ticker {
    let path = path.to_path_buf();
    Ticker::every(Duration::from_secs(1), move || {
        if let Some(checkpoint) = latest.lock().unwrap().take() {
            let _ = crate::paths::write_json(&path, &checkpoint);
        }
    })
}

/// How the Scan ended, for the summary.
struct Ended {
    engine: String,
    elapsed: Duration,
    resumed_items: u64,
    resumed: bool,
}

/// The end of a Scan export: the file finished (or kept with its
/// checkpoint), the summary, the failure.
fn conclude(
    options: Options,
    mut state: ExportState,
    writer: Writer,
    checkpoint: &Path,
    base: &Checkpoint,
    ended: Ended,
) -> Result<Finished<Summary>, AppError> {
    let to_stdout = options.file == "-";
    let complete = state.failure.is_none() && state.positions.iter().all(|p| p.done);
    let items = writer.state().items;
    // Refused from the start (no such table, access denied, a bad filter):
    // that error itself, and no partial file or checkpoint left behind.
    if let Some(e) = &state.failure {
        if !ended.resumed
            && items == 0
            && !e.is_retryable()
            && !matches!(e, AppError::Incomplete { .. })
        {
            writer.discard();
            let _ = std::fs::remove_file(checkpoint);
            return Err(state.failure.take().expect("checked above"));
        }
    }
    let csv_types = (options.format == Format::Csv)
        .then(|| writer.csv_types())
        .flatten();
    let bytes = if complete {
        let bytes = writer.finish()?;
        let _ = std::fs::remove_file(checkpoint);
        bytes
    } else {
        let bytes = writer.state().part_len;
        if to_stdout {
            writer.discard(); // CSV's staged rows: nothing can resume them
        } else {
            crate::paths::write_json(checkpoint, &base.at(&state.positions, writer.state()))?;
        }
        bytes
    };
    let interrupted = !complete && state.failure.is_none();
    let summary = Summary {
        table: options.table.clone(),
        file: options.file.clone(),
        format: options.format,
        engine: ended.engine,
        segments: options.segments.max(1),
        items,
        scanned: state.scanned,
        bytes,
        duration_sec: (ended.elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
        items_per_sec: ((items - ended.resumed_items) as f64
            / ended.elapsed.as_secs_f64().max(1e-9))
        .round(),
        complete,
        checkpoint: (!complete && !to_stdout).then(|| checkpoint.to_path_buf()),
        stopped_by: match (&state.failure, interrupted) {
            (Some(e), _) => Some(e.to_string()),
            (None, true) => Some("interrupt".into()),
            (None, false) => None,
        },
        restore: (complete && !to_stdout).then(|| restore_command(&options, csv_types.as_deref())),
        csv_types,
    };
    let failure = (!complete).then(|| stopped_error(state.failure, to_stdout, items));
    Ok(Finished { summary, failure })
}

/// The `seed` command that loads the exported file back.
fn restore_command(options: &Options, csv_types: Option<&str>) -> String {
    let types = match (options.format, csv_types) {
        (Format::Csv, Some(t)) => format!(" --types {t}"),
        _ => String::new(),
    };
    format!(
        "serverless-crud seed --table {} --file {}{types}",
        options.table,
        crate::output::printable(&options.file)
    )
}

/// The positions to start from: the checkpoint's with --resume (which must
/// describe the same export), every segment from the start otherwise.
fn starting_point(
    options: &Options,
    checkpoint: &Path,
    source: &str,
    notes: &dyn Progress,
) -> Result<(Vec<Position>, Option<WriterState>), AppError> {
    let query = options.filter.describe();
    let query = query.as_str();
    let fresh = vec![
        Position {
            done: false,
            after: None
        };
        options.segments.max(1) as usize
    ];
    let saved: Option<Checkpoint> =
        crate::paths::read_json(checkpoint, "delete it to start the export over")?;
    if options.resume {
        if options.file == "-" {
            return Err(AppError::usage(
                "--resume needs --file: an export to standard output cannot be continued",
            ));
        }
        let Some(saved) = saved else {
            return Err(AppError::usage(format!(
                "nothing to resume: no checkpoint for exporting {} to {}; run without --resume",
                options.table, options.file
            )));
        };
        let differs = |what: &str, was: &str, now: &str| {
            AppError::usage(format!(
                "the interrupted export used {what} {was}, this one {now}: resume it with the same options, \
                 or run without --resume to start over"
            ))
        };
        if saved.format != options.format {
            return Err(differs(
                "--format",
                &saved.format.to_string(),
                &options.format.to_string(),
            ));
        }
        if saved.positions.len() != fresh.len() {
            return Err(differs(
                "--segments",
                &saved.positions.len().to_string(),
                &fresh.len().to_string(),
            ));
        }
        if saved.source != source {
            return Err(differs("the engine", &saved.source, source));
        }
        if saved.query != query {
            return Err(differs("the filter", &saved.query, query));
        }
        notes.note(&format!(
            "resuming: {} items written before; {} of {} segments done",
            saved.writer.items,
            saved.positions.iter().filter(|p| p.done).count(),
            saved.positions.len()
        ));
        return Ok((saved.positions, Some(saved.writer)));
    }
    if saved.is_some() {
        notes.warn(&format!(
            "an interrupted export of {} to {} left a checkpoint; starting over (use --resume to continue it)",
            options.table, options.file
        ));
        let _ = std::fs::remove_file(checkpoint);
    }
    if options.file != "-" && Path::new(&options.file).exists() && !options.force {
        return Err(AppError::usage(format!(
            "{} exists; pass --force to replace it (or choose another --file)",
            options.file
        )));
    }
    Ok((fresh, None))
}

impl Checkpoint {
    /// This export's checkpoint at a page boundary.
    fn at(&self, positions: &[Position], writer: &WriterState) -> Checkpoint {
        Checkpoint {
            positions: positions.to_vec(),
            writer: writer.clone(),
            ..self.clone()
        }
    }
}

/// The writer's side of a running export.
struct ExportState {
    positions: Vec<Position>,
    scanned: u64,
    failure: Option<AppError>,
}

impl ExportState {
    /// Writes the segments' pages as they come until every segment ends;
    /// after a failure, the pages still arriving are not written (their
    /// positions stay), and the readers are told to stop.
    async fn pump(
        &mut self,
        mut segments: Segments,
        writer: &mut Writer,
        options: &Options,
        stop: &AtomicBool,
        mut written: impl FnMut(&ExportState, &Writer),
    ) {
        while let Some((segment, page)) = segments.pages.recv().await {
            if self.failure.is_some() {
                continue;
            }
            let result = page.and_then(|page| self.write(writer, segment, page, options));
            match result {
                Ok(()) => written(self, writer),
                Err(e) => {
                    self.failure = Some(e);
                    stop.store(true, Ordering::SeqCst);
                }
            }
        }
    }

    /// Appends a page and moves its segment's position past it.
    fn write(
        &mut self,
        writer: &mut Writer,
        segment: usize,
        page: Page,
        options: &Options,
    ) -> Result<(), AppError> {
        writer.write_page(&page.items)?;
        self.scanned += page.scanned;
        self.positions[segment] = Position {
            done: page.next.is_none(),
            after: page.next,
        };
        match options.max_bytes {
            Some(max) if writer.state().part_len > max => Err(AppError::Incomplete {
                message: format!("{} is over {} bytes (the limit)", options.table, max),
            }),
            _ => Ok(()),
        }
    }
}

/// The Scan's segments, each read by its own task into one channel. A task
/// stops at its segment's end, at its first error, or when `stop` is set.
struct Segments {
    source: Arc<Source>,
    pages: tokio::sync::mpsc::Receiver<(usize, Result<Page, AppError>)>,
}

impl Segments {
    fn start(
        source: Arc<Source>,
        filter: Filter,
        total: u32,
        positions: &[Position],
        stop: Arc<AtomicBool>,
    ) -> Segments {
        // A reader takes a slot before it fetches, so at most two pages per
        // segment are held (fetching or waiting) besides the one written:
        // with 1 MB pages, a few MB each.
        let (tx, pages) = tokio::sync::mpsc::channel(2 * total as usize);
        for (segment, position) in positions.iter().enumerate() {
            if position.done {
                continue;
            }
            let (source, filter, tx, stop) =
                (source.clone(), filter.clone(), tx.clone(), stop.clone());
            let mut after = position.after.clone();
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    let Ok(slot) = tx.reserve().await else {
                        return;
                    };
                    let page = source
                        .page(segment as u32, total, after.as_ref(), &filter)
                        .await;
                    let last = match &page {
                        Ok(page) => {
                            after = page.next.clone();
                            after.is_none()
                        }
                        Err(_) => true,
                    };
                    slot.send((segment, page));
                    if last {
                        return;
                    }
                }
            });
        }
        Segments { source, pages }
    }
}

/// The error an incomplete export exits with: its cause kept (exit 6 for a
/// transport cause, 9 over the size limit, 8 otherwise) and how to resume.
fn stopped_error(failure: Option<AppError>, to_stdout: bool, items: u64) -> AppError {
    let next = if to_stdout {
        "the output went to standard output, so it cannot be resumed: run the export again"
            .to_string()
    } else {
        "a checkpoint was written: run the same command with --resume to continue".to_string()
    };
    match failure {
        None => AppError::Interrupted {
            message: format!("export interrupted after {items} items; {next}"),
            cause: None,
        },
        Some(e @ AppError::Incomplete { .. }) => e,
        Some(cause) => AppError::Interrupted {
            message: format!("export stopped after {items} items: {cause}; {next}"),
            cause: Some(Box::new(cause)),
        },
    }
}
