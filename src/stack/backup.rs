//! Backups before teardown deletes a table that holds items: an export to
//! `backups/STACK/TABLE-TIMESTAMP.ddb.jsonl.gz` (owner-only, every type
//! kept), or a DynamoDB on-demand backup (`--backup aws`), which AWS keeps
//! after the table is deleted. No copy, no delete: a failed backup keeps
//! the table.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::error::{aws, AppError};
use crate::export::source::{Filter, Source};
use crate::formats::Format;
use crate::output::Progress;

/// How teardown keeps a copy.
#[derive(Debug, Clone)]
pub enum BackupMode {
    /// An export file in `dir`; tables larger than `max_bytes` are kept.
    File {
        dir: Option<PathBuf>,
        max_bytes: u64,
    },
    /// CreateBackup (AWS keeps it after the table is gone).
    Aws,
    /// `--no-backup`.
    Off,
}

/// One backup made, as `-o json` lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Backup {
    pub table: String,
    pub file: Option<PathBuf>,
    pub items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_arn: Option<String>,
    /// The commands that bring the table back.
    pub restore: String,
}

/// Where backups of `stack` go by default.
pub fn default_dir(stack: &str) -> Result<PathBuf, AppError> {
    Ok(crate::paths::state_dir()?.join("backups").join(stack))
}

/// Whether the table holds at least one item (one-item Scan, consistent).
async fn has_items(client: &aws_sdk_dynamodb::Client, table: &str) -> Result<bool, AppError> {
    let out = client
        .scan()
        .table_name(table)
        .limit(1)
        .consistent_read(true)
        .send()
        .await
        .map_err(|e| aws::error("dynamodb", format!("Scan of {table}"), &e))?;
    Ok(out.count() > 0 || out.last_evaluated_key().is_some())
}

/// Backs up `table` before it is deleted: Ok(None) when there is nothing to
/// keep (an empty or absent table, or `--no-backup`); an error means the
/// table must stay.
pub async fn back_up(
    client: &aws_sdk_dynamodb::Client,
    api: &crate::aws_http::JsonApi,
    stack: &str,
    table: &str,
    mode: &BackupMode,
    local: bool,
    progress: &dyn Progress,
) -> Result<Option<Backup>, AppError> {
    if matches!(mode, BackupMode::Off) {
        return Ok(None);
    }
    let Some(facts) = crate::stack::tables::describe(client, table).await? else {
        return Ok(None);
    };
    if !has_items(client, table).await? {
        return Ok(None);
    }
    let restore_seed = |file: &str| restore_commands(stack, table, &facts.key, file, local);
    match mode {
        BackupMode::Off => Ok(None),
        BackupMode::Aws => aws_backup(client, stack, table, progress).await.map(Some),
        BackupMode::File { dir, max_bytes } => {
            if facts.size_bytes > *max_bytes {
                return Err(too_big(table, facts.size_bytes, *max_bytes));
            }
            let dir = match dir {
                Some(dir) => dir.clone(),
                None => default_dir(stack)?,
            };
            crate::paths::private_dir(&dir)?;
            let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
            let file = dir.join(format!("{table}-{stamp}.ddb.jsonl.gz"));
            let options = crate::export::Options {
                table: table.to_string(),
                file: file.display().to_string(),
                format: Format::DdbJsonl,
                segments: crate::export::default_segments(local),
                filter: Filter {
                    consistent: true,
                    ..Filter::default()
                },
                resume: false,
                force: false,
                key_names: facts.key_names.clone(),
                max_bytes: Some(*max_bytes),
                expected_items: None,
            };
            let source = Source::Direct {
                api: api.clone(),
                table: table.to_string(),
            };
            progress.note(&format!("backing up {table} to {}", file.display()));
            let crate::engine::Finished { summary, failure } =
                crate::export::run(options, crate::export::Origin::Scan(source), &Quiet)
                    .await
                    .map_err(|e| backup_failed(table, e))?;
            if let Some(failure) = failure {
                // Nothing half-written is left to be mistaken for a backup.
                let _ = std::fs::remove_file(crate::export::writer::part_path(&file));
                if let Ok(checkpoint) =
                    crate::export::checkpoint_path(table, &file.display().to_string())
                {
                    let _ = std::fs::remove_file(checkpoint);
                }
                return Err(match failure {
                    AppError::Incomplete { .. } => too_big(table, summary.bytes, *max_bytes),
                    other => backup_failed(table, other),
                });
            }
            Ok(Some(Backup {
                table: table.to_string(),
                restore: restore_seed(&file.display().to_string()),
                file: Some(file),
                items: Some(summary.items),
                backup_arn: None,
            }))
        }
    }
}

fn too_big(table: &str, bytes: u64, max: u64) -> AppError {
    AppError::incomplete(format!(
        "kept {table}: over --backup-max {} for a backup file (at least {} written); \
         pass --backup aws (an on-demand backup AWS keeps), a larger --backup-max, or --no-backup to delete it without a copy",
        crate::output::human_bytes(max),
        crate::output::human_bytes(bytes)
    ))
}

/// A backup export that stopped (a full disk, say): the table stays, and
/// what to do next is teardown again (it has no --resume).
fn backup_failed(table: &str, failure: AppError) -> AppError {
    let cause = match &failure {
        AppError::Interrupted {
            cause: Some(cause), ..
        } => cause.to_string(),
        AppError::Interrupted { .. } => "interrupted".to_string(),
        other => other.to_string(),
    };
    AppError::incomplete(format!(
        "the backup of {table} failed ({cause}), so the table is kept and nothing of it was deleted; \
         fix the cause (free disk space, or pass --backup-dir), then run the same teardown again"
    ))
}

/// How to bring the table back from a backup file.
fn restore_commands(
    stack: &str,
    table: &str,
    key: &[(String, String)],
    file: &str,
    local: bool,
) -> String {
    let local = if local { " --local" } else { "" };
    let file = crate::output::printable(file);
    match key {
        [(name, ty)] => format!(
            "serverless-crud{local} setup --stack {stack} --table {table}:{name}:{ty} && \
             serverless-crud{local} --stack {stack} seed --table {table} --file {file}"
        ),
        _ => format!(
            "create {table} with key {} again, then: serverless-crud{local} seed --direct --table {table} --file {file}",
            key.iter().map(|(n, t)| format!("{n}:{t}")).collect::<Vec<_>>().join(" + ")
        ),
    }
}

/// CreateBackup, waited on until AWS says it is available.
async fn aws_backup(
    client: &aws_sdk_dynamodb::Client,
    stack: &str,
    table: &str,
    progress: &dyn Progress,
) -> Result<Backup, AppError> {
    let name = format!(
        "scrud-{stack}-{table}-{}",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    );
    let created = client
        .create_backup()
        .table_name(table)
        .backup_name(&name)
        .send()
        .await
        .map_err(|e| {
            aws::error("dynamodb", format!("CreateBackup of {table}"), &e).with_suffix(
                "\ngrant dynamodb:CreateBackup on the table, or back up to a file (the default)",
            )
        })?;
    let arn = created
        .backup_details()
        .map(|d| d.backup_arn().to_string())
        .unwrap_or_default();
    progress.note(&format!("on-demand backup {name} of {table} requested"));
    let started = Instant::now();
    let items = loop {
        let described = client
            .describe_backup()
            .backup_arn(&arn)
            .send()
            .await
            .map_err(|e| aws::error("dynamodb", format!("DescribeBackup {arn}"), &e))?;
        let details = described
            .backup_description()
            .and_then(|d| d.backup_details());
        match details.map(|d| d.backup_status().as_str()) {
            Some("AVAILABLE") => {
                break described
                    .backup_description()
                    .and_then(|d| d.source_table_details())
                    .and_then(|t| t.item_count())
                    .map(|n| n.max(0) as u64)
            }
            Some("DELETED") => {
                return Err(AppError::incomplete(format!(
                    "the backup {arn} of {table} was deleted before it was available; the table is kept"
                )))
            }
            _ if started.elapsed() > Duration::from_secs(600) => {
                return Err(AppError::incomplete(format!(
                    "the backup {arn} of {table} is not available after 10 minutes; the table is kept"
                )))
            }
            _ => tokio::time::sleep(Duration::from_secs(2)).await,
        }
    };
    Ok(Backup {
        table: table.to_string(),
        file: None,
        items,
        restore: format!(
            "aws dynamodb restore-table-from-backup --target-table-name {table} --backup-arn {arn}"
        ),
        backup_arn: Some(arn),
    })
}

/// Progress that says nothing (a backup's export runs inside teardown's steps).
struct Quiet;

impl Progress for Quiet {
    fn step(&self, label: &str) -> crate::output::Step {
        crate::output::Step::silent(label)
    }
    fn note(&self, _: &str) {}
    fn warn(&self, message: &str) {
        crate::output::stderr_line(&format!("warning: {message}"));
    }
    fn meter(
        &self,
        spec: crate::output::MeterSpec,
        read: crate::output::Reading,
    ) -> crate::output::Meter {
        crate::output::Silent.meter(spec, read)
    }
}
