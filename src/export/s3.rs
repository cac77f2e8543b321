//! `export --engine s3-export`: DynamoDB writes the table to S3 itself
//! (ExportTableToPointInTime, which needs point-in-time recovery), then the
//! data files are downloaded and converted like any other export — or left
//! in S3 with `--keep-in-s3`.

use std::io::BufRead;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{ExportFormat, ExportStatus, PointInTimeRecoverySpecification};
use serde_json::Value;

use crate::error::{aws, AppError};
use crate::export::source::Items;
use crate::export::writer::{Destination, Writer};
use crate::export::{Options, Summary};
use crate::output::Progress;

/// Items per page handed to the writer.
const PAGE: usize = 1000;

pub struct S3Export {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
    pub bucket: String,
    pub prefix: Option<String>,
    pub keep_in_s3: bool,
}

impl S3Export {
    pub async fn run(self, options: Options, progress: &dyn Progress) -> Result<Summary, AppError> {
        if options.resume {
            return Err(AppError::usage(
                "--resume does not apply to --engine s3-export: AWS runs the export; run the command again",
            ));
        }
        if !self.keep_in_s3
            && options.file != "-"
            && std::path::Path::new(&options.file).exists()
            && !options.force
        {
            return Err(AppError::usage(format!(
                "{} exists; pass --force to replace it (or choose another --file)",
                options.file
            )));
        }
        let started = Instant::now();
        let (dynamodb, s3) = (&self.dynamodb, &self.s3);
        crate::s3::check_bucket(s3, &self.bucket).await?;
        let table = &options.table;
        let facts = crate::stack::tables::describe(dynamodb, table)
            .await?
            .ok_or_else(|| AppError::not_found(format!("table {table} does not exist")))?;
        self.ensure_pitr(table, progress).await?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let prefix = format!(
            "{}{table}-{stamp}",
            self.prefix
                .as_deref()
                .map(|p| format!("{}/", p.trim_end_matches('/')))
                .unwrap_or_default()
        );
        let arn = self.start(&facts.arn, table, &prefix).await?;
        progress.note(&format!(
            "exporting {table} to {} (ExportTableToPointInTime; AWS takes minutes even for small tables)",
            crate::s3::url(&self.bucket, &prefix)
        ));
        let exported = wait(dynamodb, &arn, progress).await?;
        let location = crate::s3::url(&self.bucket, &prefix);
        let data: Vec<String> = crate::s3::list(s3, &self.bucket, &format!("{prefix}/"))
            .await?
            .into_iter()
            .map(|(key, _)| key)
            .filter(|key| key.contains("/data/") && key.ends_with(".gz"))
            .collect();
        if self.keep_in_s3 {
            return Ok(self.kept_in_s3(table, &location, &prefix, exported, data.len(), started));
        }
        let summary = self.download(options, &data, started).await?;
        if let Err(e) = crate::s3::delete(
            s3,
            &self.bucket,
            &all_keys(s3, &self.bucket, &prefix).await?,
        )
        .await
        {
            progress.warn(&format!(
                "the export was downloaded but could not be removed from {location}: {e}"
            ));
        }
        Ok(summary)
    }

    /// Starts ExportTableToPointInTime; its ARN.
    async fn start(&self, table_arn: &str, table: &str, prefix: &str) -> Result<String, AppError> {
        let started_export = self
            .dynamodb
            .export_table_to_point_in_time()
            .table_arn(table_arn)
            .s3_bucket(&self.bucket)
            .s3_prefix(prefix)
            .export_format(ExportFormat::DynamodbJson)
            .send()
            .await
            .map_err(|e| {
                let err = aws::error("dynamodb", format!("ExportTableToPointInTime of {table}"), &e);
                if e.as_service_error().and_then(|s| aws_sdk_dynamodb::error::ProvideErrorMetadata::code(s)) == Some("AccessDeniedException") {
                    err.with_suffix(&format!(
                        "\ngrant dynamodb:ExportTableToPointInTime on {} and s3:PutObject on arn:aws:s3:::{}/{prefix}*",
                        table_arn, self.bucket
                    ))
                } else {
                    err
                }
            })?;
        Ok(started_export
            .export_description()
            .and_then(|d| d.export_arn())
            .unwrap_or_default()
            .to_string())
    }

    /// `--keep-in-s3`: the summary of an export left where AWS wrote it.
    fn kept_in_s3(
        &self,
        table: &str,
        location: &str,
        prefix: &str,
        exported: u64,
        files: usize,
        started: Instant,
    ) -> Summary {
        Summary {
            table: table.to_string(),
            file: location.to_string(),
            format: crate::formats::Format::DdbJsonl,
            engine: "s3-export (kept in S3)".into(),
            segments: 1,
            items: exported,
            scanned: exported,
            bytes: 0,
            duration_sec: round_ms(started.elapsed()),
            items_per_sec: 0.0,
            complete: true,
            checkpoint: None,
            stopped_by: None,
            csv_types: None,
            restore: Some(format!(
                "serverless-crud seed --engine s3-import --bucket {} --prefix {prefix}/ ... (or download {files} data files)",
                self.bucket
            )),
        }
    }

    /// ExportTableToPointInTime needs point-in-time recovery: turned on if
    /// off, saying so (it is billed, and stays on).
    async fn ensure_pitr(&self, table: &str, progress: &dyn Progress) -> Result<(), AppError> {
        let client = &self.dynamodb;
        let described = client
            .describe_continuous_backups()
            .table_name(table)
            .send()
            .await
            .map_err(|e| {
                aws::error(
                    "dynamodb",
                    format!("DescribeContinuousBackups of {table}"),
                    &e,
                )
            })?;
        let enabled = described
            .continuous_backups_description()
            .and_then(|d| d.point_in_time_recovery_description())
            .and_then(|p| p.point_in_time_recovery_status())
            .is_some_and(|s| s.as_str() == "ENABLED");
        if enabled {
            return Ok(());
        }
        progress.note(&format!(
            "enabling point-in-time recovery on {table} (ExportTableToPointInTime needs it; AWS bills it while on)"
        ));
        client
            .update_continuous_backups()
            .table_name(table)
            .point_in_time_recovery_specification(
                PointInTimeRecoverySpecification::builder()
                    .point_in_time_recovery_enabled(true)
                    .build()
                    .expect("enabled is set"),
            )
            .send()
            .await
            .map_err(|e| {
                aws::error("dynamodb", format!("UpdateContinuousBackups of {table}"), &e).with_suffix(
                    "\ngrant dynamodb:UpdateContinuousBackups on the table, or enable point-in-time recovery yourself",
                )
            })?;
        Ok(())
    }

    /// Downloads the data files and writes them in the requested format.
    async fn download(
        &self,
        options: Options,
        data: &[String],
        started: Instant,
    ) -> Result<Summary, AppError> {
        let staging_dir = crate::paths::state_dir()?.join("export");
        crate::paths::private_dir(&staging_dir)?;
        let destination = if options.file == "-" {
            Destination::Stdout {
                staging: staging_dir.join(format!("s3-{}.staging.jsonl", std::process::id())),
            }
        } else {
            Destination::File(options.file.clone().into())
        };
        let mut writer = Writer::open(
            options.format,
            crate::formats::is_gzip(&options.file),
            destination,
            options.key_names.clone(),
            None,
        )?;
        let download = staging_dir.join(format!("s3-{}.download.gz", std::process::id()));
        let result = async {
            for key in data {
                crate::s3::download(&self.s3, &self.bucket, key, &download).await?;
                let file = std::fs::File::open(&download)
                    .map_err(|e| AppError::io("read", &download, e))?;
                let lines =
                    std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file)).lines();
                let mut page = Vec::with_capacity(PAGE);
                for (n, line) in lines.enumerate() {
                    let line = line.map_err(|e| AppError::io("read", &download, e))?;
                    if line.trim().is_empty() {
                        continue;
                    }
                    let bad = |why: String| {
                        AppError::input(format!("s3://{}/{key}:{}", self.bucket, n + 1), why)
                    };
                    let value: Value =
                        serde_json::from_str(&line).map_err(|e| bad(e.to_string()))?;
                    let item = value
                        .get("Item")
                        .and_then(Value::as_object)
                        .ok_or_else(|| bad("no \"Item\" object".into()))?;
                    page.push(crate::ddb_json::item_from_json(item).map_err(bad)?);
                    if page.len() == PAGE {
                        writer.write_page(&Items::Decoded(std::mem::take(&mut page)))?;
                    }
                }
                writer.write_page(&Items::Decoded(page))?;
            }
            Ok::<(), AppError>(())
        }
        .await;
        let _ = std::fs::remove_file(&download);
        if let Err(e) = result {
            writer.discard();
            return Err(e);
        }
        let items = writer.state().items;
        let csv_types = writer.csv_types();
        let bytes = writer.finish()?;
        let elapsed = started.elapsed();
        Ok(Summary {
            table: options.table.clone(),
            file: options.file.clone(),
            format: options.format,
            engine: "s3-export".into(),
            segments: 1,
            items,
            scanned: items,
            bytes,
            duration_sec: round_ms(elapsed),
            items_per_sec: (items as f64 / elapsed.as_secs_f64().max(1e-9)).round(),
            complete: true,
            checkpoint: None,
            stopped_by: None,
            csv_types: csv_types.filter(|_| options.format == crate::formats::Format::Csv),
            restore: (options.file != "-").then(|| {
                format!(
                    "serverless-crud seed --table {} --file {}",
                    options.table,
                    crate::output::printable(&options.file)
                )
            }),
        })
    }
}

async fn all_keys(
    s3: &aws_sdk_s3::Client,
    bucket: &str,
    prefix: &str,
) -> Result<Vec<String>, AppError> {
    Ok(crate::s3::list(s3, bucket, &format!("{prefix}/"))
        .await?
        .into_iter()
        .map(|(key, _)| key)
        .collect())
}

/// Polls DescribeExport until it ends; the item count on success.
async fn wait(
    client: &aws_sdk_dynamodb::Client,
    arn: &str,
    progress: &dyn Progress,
) -> Result<u64, AppError> {
    let check = || async {
        let described = client
            .describe_export()
            .export_arn(arn)
            .send()
            .await
            .map_err(|e| aws::error("dynamodb", format!("DescribeExport {arn}"), &e))?;
        let Some(d) = described.export_description() else {
            return Ok(None);
        };
        match d.export_status() {
            Some(ExportStatus::Completed) => Ok(Some(d.item_count().unwrap_or(0).max(0) as u64)),
            Some(ExportStatus::Failed) => Err(AppError::Aws {
                service: "dynamodb",
                what: format!("export {arn}"),
                code: d.failure_code().map(str::to_string),
                message: d
                    .failure_message()
                    .unwrap_or("the export failed")
                    .to_string(),
                retryable: false,
            }),
            _ => Ok(None),
        }
    };
    crate::retry::poll(check, |t| {
        progress.note(&format!("export still in progress after {}s", t.as_secs()))
    })
    .await
}

fn round_ms(elapsed: Duration) -> f64 {
    (elapsed.as_secs_f64() * 1000.0).round() / 1000.0
}
