//! `seed`: lossless, resumable bulk loading of JSON, JSONL or CSV.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use serde_json::json;

use crate::commands::items::TableArg;
use crate::context::Context;
use crate::error::AppError;
use crate::output::{Outcome, Text};
use crate::seed::checkpoint::{self, Checkpoint};
use crate::seed::input::Tracker;
use crate::seed::reader::{self, Format};
use crate::seed::rejects::Rejects;
use crate::seed::runner::{self, Progress, Settings, Shared};
use crate::seed::sink::Backend;
use crate::seed::validate::KeySchema;

#[derive(Debug, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub table: TableArg,
    /// Input file, or - for stdin (with --format)
    #[arg(long, short = 'f', value_name = "FILE|-")]
    pub file: String,
    /// Input format [default: from the extension: .json, .jsonl/.ndjson, .csv]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// CSV column types, e.g. age:n,active:bool,tags:json (others are strings)
    #[arg(long, value_name = "COL:TYPE,...")]
    pub types: Option<String>,
    /// Requests in flight at most, lowered automatically while throttled
    /// [default: 16; 4 on the local stack, where moto slows down with more]
    #[arg(long, short = 'c', value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: Option<u16>,
    /// Items per request [default: 25 with --direct, 100 through the dispatcher]
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub batch_size: Option<u16>,
    /// Where rejected records go: a new file (never overwritten) [default: in the state dir, printed]
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// Continue an interrupted seed of the same file into the same table
    #[arg(long)]
    pub resume: bool,
    /// Write straight to DynamoDB with BatchWriteItem (needs table permissions)
    #[arg(long)]
    pub direct: bool,
    /// The table's key attributes, NAME[:S|N|B] (hash, then range) [default: read from the table]
    #[arg(long, value_name = "NAME[:TYPE]")]
    pub key_attr: Vec<String>,
    /// Attempts per request before its records are rejected
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_attempts: u32,
}

pub async fn run(args: SeedArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let printer = &ctx.printer;
    let table = args.table.table.clone();
    let format = match args
        .format
        .or_else(|| reader::Format::from_path(&args.file))
    {
        Some(f) => f,
        None => {
            return Err(AppError::usage(format!(
                "cannot tell the format of `{}`: pass --format json, jsonl or csv",
                args.file
            ))
            .into())
        }
    };
    let types = match &args.types {
        Some(spec) if format == Format::Csv => reader::parse_types(spec)?,
        Some(_) => return Err(AppError::usage("--types applies to CSV input only").into()),
        None => Vec::new(),
    };

    let concurrency = args
        .concurrency
        .unwrap_or(if ctx.global.local { 4 } else { 16 });
    let schema = key_schema(&args, &table, ctx).await?;
    let backend = if args.direct {
        let Some(schema) = schema.clone() else {
            return Err(AppError::usage(
                "--direct needs the table's key schema: pass --key-attr NAME:TYPE",
            )
            .into());
        };
        Backend::Direct {
            client: ctx.dynamodb().await?,
            table: table.clone(),
            schema,
        }
    } else {
        Backend::Batch {
            transport: ctx.transport().await?,
            table: table.clone(),
            per_item: AtomicBool::new(false),
        }
    };
    let batch_size = args
        .batch_size
        .map(usize::from)
        .unwrap_or(if args.direct { 25 } else { 100 })
        .min(backend.max_batch());
    if ctx.global.dry_run {
        let plan = json!({"table": table, "file": args.file, "format": format, "backend": backend.name(), "batchSize": batch_size, "concurrency": concurrency, "keySchema": schema});
        return Ok(Outcome {
            json: plan.clone(),
            text: Text::Value(plan),
        });
    }

    // Checkpoint and rejects file.
    let checkpoint_path = checkpoint::path_for(&table, &args.file)?;
    // Next to the checkpoint, keyed by table and full input path, stamped
    // with the start time: two seeds never share (or delete) a rejects file.
    let default_rejects = checkpoint::default_rejects(&checkpoint_path);
    if let Some(dir) = checkpoint_path.parent() {
        crate::paths::private_dir(dir)?;
    }
    let (progress, saved_rejects, expected) = if args.resume {
        let Some(saved) = checkpoint::load(&checkpoint_path)? else {
            return Err(AppError::usage(format!(
                "nothing to resume: no checkpoint for seeding {} into {table}; run without --resume",
                args.file
            ))
            .into());
        };
        printer.info(format!(
            "resuming: {} written and {} rejected before; skipping records already done",
            saved.progress.written, saved.progress.rejected
        ));
        (saved.progress, Some(saved.rejects), Some(saved.consumed))
    } else {
        if checkpoint::load(&checkpoint_path)?.is_some() {
            printer.warn(format!(
                "an interrupted seed of {} into {table} left a checkpoint; starting over (use --resume to continue it)",
                args.file
            ));
            checkpoint::remove(&checkpoint_path);
        }
        (Progress::default(), None, None)
    };
    let (rejects_path, rejects_open) = crate::seed::rejects::choose(
        args.rejects.as_deref(),
        saved_rejects.as_deref(),
        default_rejects,
        &args.file,
    )?;

    let tracker = Tracker::new(expected);
    let (input, size) = crate::seed::input::open(&args.file, tracker.clone())?;
    let records = reader::records(format, input, args.file.clone(), types)?;

    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(stop.clone());
    let progress_before = progress.clone();
    let shared = Arc::new(Shared::new(
        progress,
        Rejects::new(rejects_path.clone(), rejects_open),
        stop.clone(),
    ));
    let backend = Arc::new(backend);
    let base = Checkpoint {
        table: table.clone(),
        input: args.file.clone(),
        format,
        consumed: tracker.fingerprint(),
        rejects: rejects_path.clone(),
        progress: Progress::default(),
    };
    printer.info(format!(
        "seeding {} ({format:?}) into {table} via {}, {} in flight, {batch_size} per request",
        args.file,
        backend.name(),
        concurrency
    ));

    let started = Instant::now();
    let display = Display::start(
        printer.quiet,
        size,
        tracker.clone(),
        shared.clone(),
        checkpoint_path.clone(),
        base.clone(),
    );
    let settings = Settings {
        concurrency: concurrency as usize,
        batch_size,
        max_attempts: args.max_attempts,
        schema,
    };
    let result = runner::run(
        records,
        backend.clone(),
        settings,
        shared.clone(),
        tracker.clone(),
        args.file.clone(),
    )
    .await;
    let elapsed = started.elapsed();
    display.finish().await;

    let progress = shared.snapshot()?;
    // Bad input found before anything was done (not an array, a changed
    // input on --resume): a usage error, and any checkpoint stays as it was.
    if let Err(AppError::Usage(message)) = &result {
        if shared.written_now.load(Ordering::Relaxed) == 0
            && progress.rejected == progress_before.rejected
        {
            if !args.resume {
                checkpoint::remove(&checkpoint_path);
            }
            return Err(AppError::Usage(message.clone()).into());
        }
    }
    let fatal = shared
        .fatal
        .lock()
        .unwrap()
        .clone()
        .or(result.err().map(|e| e.to_string()));
    let interrupted = stop.load(Ordering::SeqCst) && fatal.is_none();
    let complete = fatal.is_none() && !interrupted;
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
    let rate = written_now as f64 / elapsed.as_secs_f64().max(1e-9);
    let pending = if complete {
        0
    } else {
        read.saturating_sub(progress.written + progress.rejected)
    };
    let rejects_file = (progress.rejected > 0).then(|| rejects_path.display().to_string());
    let summary = json!({
        "table": table,
        "file": args.file,
        "format": format,
        "backend": backend.name(),
        "records": read,
        "written": progress.written,
        "rejected": progress.rejected,
        "retried": progress.retried,
        "duplicates": shared.duplicates.load(Ordering::Relaxed),
        "notProcessed": if complete { json!(0) } else { json!(null) },
        "durationSec": (elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
        "itemsPerSec": rate.round(),
        "rejectsFile": rejects_file,
        "complete": complete,
        "checkpoint": (!complete).then(|| checkpoint_path.display().to_string()),
        "stoppedBy": fatal.clone().or(interrupted.then(|| "interrupt".to_string())),
    });
    let mut rows = vec![
        ("table".to_string(), table.clone()),
        ("backend".into(), backend.name().to_string()),
        ("records read".into(), read.to_string()),
        ("written".into(), progress.written.to_string()),
        ("rejected".into(), progress.rejected.to_string()),
        ("retried".into(), progress.retried.to_string()),
        (
            "duplicate keys".into(),
            format!(
                "{} (the later line wins)",
                shared.duplicates.load(Ordering::Relaxed)
            ),
        ),
        ("duration".into(), format!("{:.2}s", elapsed.as_secs_f64())),
        ("items/s".into(), format!("{rate:.0}")),
    ];
    if let Some(file) = &rejects_file {
        rows.push(("rejects file".into(), file.clone()));
    }
    let outcome = Outcome {
        json: summary,
        text: Text::Rows(rows),
    };
    if complete && progress.rejected == 0 {
        return Ok(outcome);
    }
    ctx.printer.emit(&outcome);
    if complete {
        return Err(AppError::Partial(format!(
            "{} of {read} records rejected; see {} (each line has the record, line and reason)",
            progress.rejected,
            rejects_path.display()
        ))
        .into());
    }
    let why = fatal.unwrap_or_else(|| "interrupted".into());
    Err(AppError::Interrupted(format!(
        "seed stopped ({why}) with about {pending} records not yet written; \
         run the same command with --resume to continue"
    ))
    .into())
}

/// --key-attr, else the table's own key schema (DescribeTable).
async fn key_schema(
    args: &SeedArgs,
    table: &str,
    ctx: &Context,
) -> Result<Option<KeySchema>, AppError> {
    if !args.key_attr.is_empty() {
        let mut attributes = Vec::new();
        for spec in &args.key_attr {
            let (name, ty) = spec.split_once(':').unwrap_or((spec, "S"));
            let ty = ty.to_ascii_uppercase();
            if name.is_empty() || !matches!(ty.as_str(), "S" | "N" | "B") {
                return Err(AppError::usage(format!(
                    "--key-attr `{spec}`: expected NAME[:S|N|B]"
                )));
            }
            attributes.push((name.to_string(), ty));
        }
        return Ok(Some(KeySchema { attributes }));
    }
    let described = match ctx.dynamodb().await {
        Ok(client) => crate::stack::tables::describe_schema(&client, table).await,
        Err(e) => Err(e),
    };
    match described {
        Ok(Some(attributes)) => Ok(Some(KeySchema { attributes })),
        Ok(None) if args.direct => Err(AppError::usage(format!("table {table} does not exist"))),
        Ok(None) => Ok(None),
        Err(e) if args.direct => Err(e),
        Err(e) => {
            ctx.printer.warn(format!(
                "cannot read the key schema of {table} ({e}); key attributes are not checked before sending (pass --key-attr to check them)"
            ));
            Ok(None)
        }
    }
}

/// Ctrl-C or SIGTERM: stop reading, let in-flight requests finish, checkpoint.
fn watch_signals(stop: Arc<AtomicBool>) {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            let terminated = async {
                match term.as_mut() {
                    Some(t) => {
                        t.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {},
                _ = terminated => {},
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
        stop.store(true, Ordering::SeqCst);
        crate::output::stderr_line(
            "\nstopping: letting in-flight requests finish, then writing a checkpoint",
        );
    });
}

/// Progress (a bar on a terminal, a line every 5 s otherwise) and periodic
/// checkpoints, so even a killed seed can be resumed.
struct Display {
    done: Arc<AtomicBool>,
    wake: Arc<tokio::sync::Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Display {
    fn start(
        quiet: bool,
        size: Option<u64>,
        tracker: Tracker,
        shared: Arc<Shared>,
        checkpoint_path: PathBuf,
        base: Checkpoint,
    ) -> Display {
        let done = Arc::new(AtomicBool::new(false));
        let finished = done.clone();
        let wake = Arc::new(tokio::sync::Notify::new());
        let woken = wake.clone();
        let tty = std::io::stderr().is_terminal() && !quiet;
        let task = tokio::spawn(async move {
            let bar = tty.then(|| {
                let bar = match size {
                    Some(size) => indicatif::ProgressBar::new(size),
                    None => indicatif::ProgressBar::new_spinner(),
                };
                let template = if size.is_some() {
                    "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% ETA {eta} {msg}"
                } else {
                    "{spinner} [{elapsed_precise}] {msg}"
                };
                bar.set_style(
                    indicatif::ProgressStyle::with_template(template).expect("valid template"),
                );
                bar
            });
            let started = Instant::now();
            let mut last_line = Instant::now();
            let mut last_save = Instant::now();
            loop {
                // Wake every 200 ms, or at once when the seed ends.
                let _ = tokio::time::timeout(Duration::from_millis(200), woken.notified()).await;
                let stop = finished.load(Ordering::SeqCst);
                let (written, rejected) = {
                    let p = shared.progress.lock().unwrap();
                    (p.written, p.rejected)
                };
                let rate = shared.written_now.load(Ordering::Relaxed) as f64
                    / started.elapsed().as_secs_f64();
                let message = format!("{written} written, {rejected} rejected, {rate:.0} items/s");
                if let Some(bar) = &bar {
                    bar.set_position(tracker.bytes());
                    bar.set_message(message);
                } else if !quiet && last_line.elapsed() >= Duration::from_secs(5) {
                    crate::output::stderr_line(&format!("seed: {message}"));
                    last_line = Instant::now();
                }
                if stop {
                    if let Some(bar) = &bar {
                        bar.finish_and_clear();
                    }
                    return;
                }
                if last_save.elapsed() >= Duration::from_secs(2) {
                    // Progress first, then what was read: the fingerprint
                    // then covers every record the progress counts as done.
                    if let Ok(progress) = shared.snapshot() {
                        let _ = checkpoint::save(
                            &checkpoint_path,
                            &Checkpoint {
                                progress,
                                consumed: tracker.fingerprint(),
                                ..base.clone()
                            },
                        );
                    }
                    last_save = Instant::now();
                }
            }
        });
        Display { done, wake, task }
    }

    async fn finish(self) {
        self.done.store(true, Ordering::SeqCst);
        self.wake.notify_one();
        let _ = self.task.await;
    }
}
