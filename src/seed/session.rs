//! A seed session: everything around the runner — checkpoint and resume,
//! the rejects file, the input and its fingerprint, Ctrl-C/SIGTERM, the
//! progress display with periodic checkpoints, and the summary.

use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::engine::{Finished, Ticker};
use crate::error::AppError;
use crate::output::{MeterSpec, Progress as Notes, Unit};
use crate::seed::checkpoint::{self, Checkpoint};
use crate::seed::input::{Fingerprint, Tracker};
use crate::seed::reader::{self, Format};
use crate::seed::rejects::{self, Rejects};
use crate::seed::runner::{self, Progress, Settings, Shared};
use crate::seed::sink::Backend;
use crate::seed::validate::KeySchema;
use crate::seed::Options;

/// What `seed --dry-run` prints.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    dry_run: bool,
    table: String,
    file: String,
    format: Format,
    backend: &'static str,
    batch_size: usize,
    concurrency: usize,
    key_schema: Option<KeySchema>,
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "would seed {} ({}) into {} via {}, {} in flight, {} per request",
            self.file, self.format, self.table, self.backend, self.concurrency, self.batch_size
        )
    }
}

pub fn plan(options: &Options, backend: &Backend) -> Plan {
    Plan {
        dry_run: true,
        table: options.table.clone(),
        file: options.file.clone(),
        format: options.format,
        backend: backend.name(),
        batch_size: options.batch_size,
        concurrency: options.concurrency,
        key_schema: options.schema.clone(),
    }
}

/// The summary of a seed.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub table: String,
    pub file: String,
    pub format: Format,
    pub backend: &'static str,
    pub records: u64,
    pub written: u64,
    pub rejected: u64,
    pub retried: u64,
    pub duplicates: u64,
    pub not_processed: Option<u64>,
    pub duration_sec: f64,
    pub items_per_sec: f64,
    pub rejects_file: Option<PathBuf>,
    pub complete: bool,
    pub checkpoint: Option<PathBuf>,
    pub stopped_by: Option<String>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rows = vec![
            ("table".to_string(), self.table.clone()),
            ("backend".into(), self.backend.to_string()),
            ("records read".into(), self.records.to_string()),
            ("written".into(), self.written.to_string()),
            ("rejected".into(), self.rejected.to_string()),
            ("retried".into(), self.retried.to_string()),
            (
                "duplicate keys".into(),
                format!("{} (the later line wins)", self.duplicates),
            ),
            ("duration".into(), format!("{:.2}s", self.duration_sec)),
            ("items/s".into(), format!("{:.0}", self.items_per_sec)),
        ];
        if let Some(file) = &self.rejects_file {
            rows.push(("rejects file".into(), file.display().to_string()));
        }
        if let Some(why) = &self.stopped_by {
            rows.push(("stopped by".into(), why.clone()));
        }
        if let Some(checkpoint) = &self.checkpoint {
            rows.push(("checkpoint".into(), checkpoint.display().to_string()));
        }
        write!(f, "{}", crate::output::rows_table(&rows))
    }
}

/// A seed ready to run: where it starts, its checkpoint and rejects file.
struct Prepared {
    checkpoint_path: PathBuf,
    rejects_path: PathBuf,
    progress_before: Progress,
    tracker: Tracker,
    size: Option<u64>,
    shared: Arc<Shared>,
    base: Checkpoint,
}

/// Runs a seed to its end, an interrupt or a stop; returns the summary and,
/// when not everything was written, the failure deciding the exit code
/// (7 some rejected, 8 interrupted, 6 the endpoint is gone or refuses).
pub async fn run(
    options: Options,
    backend: Backend,
    notes: &dyn Notes,
) -> Result<Finished<Summary>, AppError> {
    let stop = Arc::new(AtomicBool::new(false));
    let (prepared, records) = prepare(&options, stop.clone(), notes)?;
    crate::interrupt::watch(
        stop.clone(),
        "stopping: letting in-flight requests finish, then writing a checkpoint",
    );
    let backend = Arc::new(backend);
    notes.note(&format!(
        "seeding {} ({}) into {} via {}, {} in flight, {} per request",
        options.file,
        options.format,
        options.table,
        backend.name(),
        options.concurrency,
        options.batch_size
    ));
    let started = Instant::now();
    let (shared, tracker) = (prepared.shared.clone(), prepared.tracker.clone());
    let meter = bytes_meter(
        notes,
        prepared.size,
        tracker.clone(),
        shared.clone(),
        started,
    );
    let ticker = checkpoint_ticker(
        tracker.clone(),
        shared.clone(),
        prepared.checkpoint_path.clone(),
        prepared.base.clone(),
    );
    let settings = Settings {
        typed: options.format == Format::DdbJsonl,
        concurrency: options.concurrency,
        batch_size: options.batch_size,
        max_attempts: options.max_attempts,
        schema: options.schema.clone(),
    };
    let result = runner::run(
        records,
        backend.clone(),
        settings,
        shared,
        tracker,
        options.file.clone(),
    )
    .await;
    let elapsed = started.elapsed();
    meter.finish().await;
    ticker.stop().await;
    conclude(&options, prepared, backend.name(), result, &stop, elapsed)
}

/// The checkpoint, the starting point, the rejects file; and the input's records.
fn prepare(
    options: &Options,
    stop: Arc<AtomicBool>,
    notes: &dyn Notes,
) -> Result<(Prepared, reader::Records), AppError> {
    let checkpoint_path = checkpoint::path_for(&options.table, &options.file)?;
    if let Some(dir) = checkpoint_path.parent() {
        crate::paths::private_dir(dir)?;
    }
    let (progress, saved_rejects, expected) = starting_point(options, &checkpoint_path, notes)?;
    // Next to the checkpoint, keyed by table and full input path, stamped
    // with the start time: two seeds never share (or delete) a rejects file.
    let (rejects_path, rejects_open) = rejects::choose(
        options.rejects.as_deref(),
        saved_rejects.as_deref(),
        checkpoint::default_rejects(&checkpoint_path),
        &options.file,
    )?;
    let tracker = Tracker::new(expected);
    let (input, size) = crate::seed::input::open(&options.file, tracker.clone())?;
    let records = reader::records(
        options.format,
        input,
        options.file.clone(),
        options.types.clone(),
    )?;
    let base = Checkpoint {
        table: options.table.clone(),
        input: options.file.clone(),
        format: options.format,
        consumed: tracker.fingerprint(),
        rejects: rejects_path.clone(),
        progress: Progress::default(),
    };
    let prepared = Prepared {
        progress_before: progress.clone(),
        shared: Arc::new(Shared::new(
            progress,
            Rejects::new(rejects_path.clone(), rejects_open),
            stop,
        )),
        checkpoint_path,
        rejects_path,
        tracker,
        size,
        base,
    };
    Ok((prepared, records))
}

/// The end of a seed: the checkpoint removed (complete) or saved, the
/// summary, the failure.
fn conclude(
    options: &Options,
    prepared: Prepared,
    backend: &'static str,
    result: Result<(), AppError>,
    stop: &AtomicBool,
    elapsed: Duration,
) -> Result<Finished<Summary>, AppError> {
    let Prepared {
        checkpoint_path,
        rejects_path,
        shared,
        tracker,
        base,
        ..
    } = prepared;
    let progress = shared.snapshot()?;
    // Bad input found before anything was done (not an array, a changed
    // input on --resume): a usage error, and any checkpoint stays as it was.
    if let Err(e @ (AppError::Usage { .. } | AppError::Input { .. })) = &result {
        if shared.written_now.load(Ordering::Relaxed) == 0
            && progress.rejected == prepared.progress_before.rejected
        {
            if !options.resume {
                checkpoint::remove(&checkpoint_path);
            }
            return Err(copy_input_error(e));
        }
    }
    let stopped = shared.breaker.take().or(result.err());
    let interrupted = stop.load(Ordering::SeqCst) && stopped.is_none();
    let complete = stopped.is_none() && !interrupted;
    let read = shared.read.load(Ordering::Relaxed);
    if complete {
        checkpoint::remove(&checkpoint_path);
    } else {
        checkpoint::save(
            &checkpoint_path,
            &Checkpoint {
                progress: progress.clone(),
                consumed: tracker.fingerprint(),
                ..base
            },
        )?;
    }
    let written_now = shared.written_now.load(Ordering::Relaxed);
    let summary = Summary {
        table: options.table.clone(),
        file: options.file.clone(),
        format: options.format,
        backend,
        records: read,
        written: progress.written,
        rejected: progress.rejected,
        retried: progress.retried,
        duplicates: shared.duplicates.load(Ordering::Relaxed),
        not_processed: complete.then_some(0),
        duration_sec: (elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
        items_per_sec: (written_now as f64 / elapsed.as_secs_f64().max(1e-9)).round(),
        rejects_file: (progress.rejected > 0).then(|| rejects_path.clone()),
        complete,
        checkpoint: (!complete).then(|| checkpoint_path.clone()),
        stopped_by: match (&stopped, interrupted) {
            (Some(e), _) => Some(stop_reason(e)),
            (None, true) => Some("interrupt".into()),
            (None, false) => None,
        },
    };
    let failure = if complete {
        (progress.rejected > 0).then(|| AppError::Partial {
            message: format!(
                "{} of {read} records rejected; see {} (each line has the record, line and reason)",
                progress.rejected,
                rejects_path.display()
            ),
        })
    } else {
        let pending = read.saturating_sub(progress.written + progress.rejected);
        Some(stopped_error(stopped, pending))
    };
    Ok(Finished { summary, failure })
}

/// Where the seed starts: the checkpoint's progress, rejects file and input
/// fingerprint with --resume; from scratch otherwise (a stale checkpoint of
/// the same seed is dropped, saying so).
fn starting_point(
    options: &Options,
    checkpoint_path: &std::path::Path,
    notes: &dyn Notes,
) -> Result<(Progress, Option<PathBuf>, Option<Fingerprint>), AppError> {
    let saved = checkpoint::load(checkpoint_path)?;
    if options.resume {
        let Some(saved) = saved else {
            return Err(AppError::usage(format!(
                "nothing to resume: no checkpoint for seeding {} into {}; run without --resume",
                options.file, options.table
            )));
        };
        notes.note(&format!(
            "resuming: {} written and {} rejected before; skipping records already done",
            saved.progress.written, saved.progress.rejected
        ));
        return Ok((saved.progress, Some(saved.rejects), Some(saved.consumed)));
    }
    if saved.is_some() {
        notes.warn(&format!(
            "an interrupted seed of {} into {} left a checkpoint; starting over (use --resume to continue it)",
            options.file, options.table
        ));
        checkpoint::remove(checkpoint_path);
    }
    Ok((Progress::default(), None, None))
}

/// The error a stopped seed exits with: its cause kept (exit 6 for a
/// transport cause, 8 otherwise), the records left and how to resume.
fn stopped_error(stopped: Option<AppError>, pending: u64) -> AppError {
    let left = format!(
        "about {pending} records not yet written (none rejected for it); a checkpoint was written"
    );
    match stopped {
        None => AppError::Interrupted {
            message: format!(
                "seed interrupted with {left}; run the same command with --resume to continue"
            ),
            cause: None,
        },
        Some(AppError::Interrupted { message, cause }) => AppError::Interrupted {
            message: format!(
                "seed stopped: {message}{}; {left}. Fix the cause, then run the same command with --resume",
                cause.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()
            ),
            cause,
        },
        Some(cause) => AppError::Interrupted {
            message: format!(
                "seed stopped: {cause}; {left}. Fix the cause, then run the same command with --resume"
            ),
            cause: Some(Box::new(cause)),
        },
    }
}

fn stop_reason(err: &AppError) -> String {
    match err {
        AppError::Interrupted {
            cause: Some(cause), ..
        } => cause.to_string(),
        other => other.to_string(),
    }
}

fn copy_input_error(err: &AppError) -> AppError {
    match err {
        AppError::Input { location, message } => AppError::Input {
            location: location.clone(),
            message: message.clone(),
        },
        other => AppError::usage(other.to_string()),
    }
}

/// The progress meter of a seed: input bytes read, items written and
/// rejected, and the rate.
fn bytes_meter(
    notes: &dyn Notes,
    size: Option<u64>,
    tracker: Tracker,
    shared: Arc<Shared>,
    started: Instant,
) -> crate::output::Meter {
    let spec = MeterSpec {
        label: "seed",
        unit: Unit::Bytes,
        total: size,
    };
    notes.meter(
        spec,
        Box::new(move || {
            let (written, rejected) = {
                let p = shared.progress.lock().unwrap();
                (p.written, p.rejected)
            };
            let rate = shared.written_now.load(Ordering::Relaxed) as f64
                / started.elapsed().as_secs_f64().max(1e-9);
            let message = format!("{written} written, {rejected} rejected, {rate:.0} items/s");
            (tracker.bytes(), message)
        }),
    )
}

/// A checkpoint every 2 s, so even a killed seed can be resumed.
fn checkpoint_ticker(
    tracker: Tracker,
    shared: Arc<Shared>,
    path: PathBuf,
    base: Checkpoint,
) -> Ticker {
    Ticker::every(Duration::from_secs(2), move || {
        // Progress first, then what was read: the fingerprint then covers
        // every record the progress counts as done.
        if let Ok(progress) = shared.snapshot() {
            let _ = checkpoint::save(
                &path,
                &Checkpoint {
                    progress,
                    consumed: tracker.fingerprint(),
                    ..base.clone()
                },
            );
        }
    })
}
