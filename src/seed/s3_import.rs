//! `seed --engine s3-import`: for loads one machine should not push. The
//! input is read, validated and rejected exactly as any seed's, converted to
//! DynamoDB JSON in gzip parts, uploaded to S3, and DynamoDB's ImportTable
//! creates the table from it (it only creates tables).

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, ImportStatus, InputCompressionType, InputFormat,
    KeySchemaElement, KeyType, S3BucketSource, ScalarAttributeType, TableCreationParameters,
};
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::engine::Finished;
use crate::error::{aws, AppError};
use crate::event::ValueType;
use crate::formats::Format;
use crate::output::Progress;
use crate::seed::reader::Record;
use crate::seed::rejects::{self, Rejects};
use crate::seed::validate::{self, KeySchema};
use crate::seed::Options;

/// Uncompressed bytes per uploaded part.
const PART_BYTES: usize = 64 * 1024 * 1024;

/// Where an s3-import goes: the bucket the parts are uploaded to, and the
/// clients that upload and import them.
pub struct S3Import {
    pub dynamodb: aws_sdk_dynamodb::Client,
    pub s3: aws_sdk_s3::Client,
    pub bucket: String,
    pub prefix: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    table: String,
    file: String,
    format: Format,
    engine: &'static str,
    records: u64,
    uploaded: u64,
    rejected: u64,
    imported: u64,
    import_errors: u64,
    /// Where AWS logged the items it could not import.
    error_log: Option<String>,
    s3: String,
    duration_sec: f64,
    items_per_sec: f64,
    rejects_file: Option<PathBuf>,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rows = vec![
            ("table".to_string(), self.table.clone()),
            ("engine".into(), format!("{} ({})", self.engine, self.s3)),
            ("records read".into(), self.records.to_string()),
            ("uploaded".into(), self.uploaded.to_string()),
            ("rejected".into(), self.rejected.to_string()),
            ("imported".into(), self.imported.to_string()),
            ("import errors".into(), self.import_errors.to_string()),
            ("duration".into(), format!("{:.2}s", self.duration_sec)),
            ("items/s".into(), format!("{:.0}", self.items_per_sec)),
        ];
        if let Some(log) = &self.error_log {
            rows.push(("error log".into(), log.clone()));
        }
        if let Some(file) = &self.rejects_file {
            rows.push(("rejects file".into(), file.display().to_string()));
        }
        write!(f, "{}", crate::output::rows_table(&rows))
    }
}

/// What the reading pass produced.
struct Staged {
    work: PathBuf,
    parts: Vec<PathBuf>,
    records: u64,
    uploaded: u64,
    rejects: Rejects,
    rejects_path: PathBuf,
}

/// ImportTable only creates tables: an existing one is refused before
/// anything is read or uploaded.
pub async fn check_new_table(
    dynamodb: &aws_sdk_dynamodb::Client,
    table: &str,
) -> Result<(), AppError> {
    if crate::stack::tables::describe(dynamodb, table)
        .await?
        .is_some()
    {
        return Err(AppError::usage(format!(
            "table {table} exists, and ImportTable only creates tables: seed it with --engine dispatcher or \
             direct, or import into a new table name (delete {table} first to replace it)"
        )));
    }
    Ok(())
}

/// What `seed --engine s3-import --dry-run` prints.
pub fn plan(options: &Options, target: &S3Import) -> crate::output::JsonReport {
    crate::output::JsonReport(json!({
        "dryRun": true, "table": options.table, "file": options.file, "engine": "s3-import",
        "bucket": target.bucket, "keySchema": options.schema,
    }))
}

pub async fn run(
    options: Options,
    target: S3Import,
    progress: &dyn Progress,
) -> Result<Finished<ImportSummary>, AppError> {
    let schema = options.schema.clone().ok_or_else(|| {
        AppError::usage(
            "--engine s3-import creates the table: give its key with --key-attr NAME:S|N|B",
        )
    })?;
    check_new_table(&target.dynamodb, &options.table).await?;
    let started = Instant::now();
    crate::s3::check_bucket(&target.s3, &target.bucket).await?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let prefix = format!(
        "{}{}-import-{stamp}/",
        target
            .prefix
            .as_deref()
            .map(|p| format!("{}/", p.trim_end_matches('/')))
            .unwrap_or_default(),
        options.table
    );
    progress.note(&format!("reading and validating {}", options.file));
    let staged = stage_in_background(&options, &schema).await?;
    let keys = upload(&target, &staged, &prefix).await?;
    let location = crate::s3::url(&target.bucket, &prefix);
    progress.note(&format!(
        "uploaded {} items in {} part(s) to {location}; ImportTable is creating {}",
        staged.uploaded,
        keys.len(),
        options.table
    ));
    let arn = start_import(&target, &options.table, &schema, &prefix).await?;
    let (imported, errors, error_log) = match wait(&target.dynamodb, &arn, progress).await {
        Ok(done) => done,
        Err(e) => {
            return Err(e.with_suffix(&format!(
                "\nthe uploaded input stays in {location} for inspection"
            )));
        }
    };
    if let Err(e) = crate::s3::delete(&target.s3, &target.bucket, &keys).await {
        progress.warn(&format!(
            "imported, but the uploaded parts in {location} could not be removed: {e}"
        ));
    }
    let elapsed = started.elapsed();
    let rejected = staged.rejects.count;
    let summary = ImportSummary {
        table: options.table.clone(),
        file: options.file.clone(),
        format: options.format,
        engine: "s3-import",
        records: staged.records,
        uploaded: staged.uploaded,
        rejected,
        imported,
        import_errors: errors,
        error_log: error_log.clone(),
        s3: location,
        duration_sec: (elapsed.as_secs_f64() * 1000.0).round() / 1000.0,
        items_per_sec: (imported as f64 / elapsed.as_secs_f64().max(1e-9)).round(),
        rejects_file: (rejected > 0).then(|| staged.rejects_path.clone()),
    };
    let failure = (rejected > 0 || errors > 0).then(|| AppError::Partial {
        message: format!(
            "{rejected} records rejected before upload{}; {errors} items refused by ImportTable{}",
            if rejected > 0 {
                format!(" (see {})", staged.rejects_path.display())
            } else {
                String::new()
            },
            error_log
                .map(|l| format!(" (see the log group {l})"))
                .unwrap_or_default()
        ),
    });
    Ok(Finished { summary, failure })
}

/// Reads and validates the input into gzip parts in a work dir (off the
/// async threads); the work dir goes on failure.
async fn stage_in_background(options: &Options, schema: &KeySchema) -> Result<Staged, AppError> {
    let work = crate::paths::state_dir()?
        .join("seed")
        .join(format!("import-{}", std::process::id()));
    crate::paths::private_dir(&work)?;
    let (file, format, types, schema, rejects, table) = (
        options.file.clone(),
        options.format,
        options.types.clone(),
        schema.clone(),
        options.rejects.clone(),
        options.table.clone(),
    );
    let dir = work.clone();
    let staged = tokio::task::spawn_blocking(move || {
        stage(&file, format, types, &schema, rejects, &table, &dir)
    })
    .await
    .map_err(|e| AppError::internal(format!("the reader failed: {e}")))?;
    if staged.is_err() {
        let _ = std::fs::remove_dir_all(&work);
    }
    staged.map(|staged| Staged { work, ..staged })
}

/// Uploads the staged parts under `prefix`; their keys. The work dir goes.
async fn upload(target: &S3Import, staged: &Staged, prefix: &str) -> Result<Vec<String>, AppError> {
    let mut keys = Vec::new();
    for (n, part) in staged.parts.iter().enumerate() {
        let key = format!("{prefix}part-{:05}.json.gz", n + 1);
        crate::s3::upload(&target.s3, &target.bucket, &key, part).await?;
        keys.push(key);
    }
    let _ = std::fs::remove_dir_all(&staged.work);
    Ok(keys)
}

/// Reads, validates and converts the input into gzip parts of DynamoDB
/// JSON lines (`{"Item": ...}`), rejecting what DynamoDB would refuse.
fn stage(
    file: &str,
    format: Format,
    types: Vec<(String, ValueType)>,
    schema: &KeySchema,
    rejects: Option<PathBuf>,
    table: &str,
    work: &Path,
) -> Result<Staged, AppError> {
    let checkpoint = crate::seed::checkpoint::path_for(table, file)?;
    let (rejects_path, open) = rejects::choose(
        rejects.as_deref(),
        None,
        crate::seed::checkpoint::default_rejects(&checkpoint),
        file,
    )?;
    let mut rejects = Rejects::new(rejects_path.clone(), open);
    let tracker = crate::seed::input::Tracker::new(None);
    let (input, _) = crate::seed::input::open(file, tracker)?;
    let records = crate::seed::reader::records(format, input, file.to_string(), types)?;
    let typed = format == Format::DdbJsonl;
    let (mut parts, mut records_read, mut uploaded) = (Vec::<PathBuf>::new(), 0u64, 0u64);
    let mut part: Option<(flate2::write::GzEncoder<std::fs::File>, usize)> = None;
    for record in records {
        let Record {
            no,
            line,
            raw,
            item,
        } = record?;
        records_read += 1;
        let checked = item.and_then(|item| {
            if typed {
                validate::check_typed(&item, Some(schema)).map(|_| item)
            } else {
                validate::check(&item, Some(schema)).map(|_| dynamodb_json(&item, schema))
            }
        });
        let item = match checked {
            Ok(item) => item,
            Err(reason) => {
                rejects.write(no, line, &reason, &raw)?;
                continue;
            }
        };
        let mut text = serde_json::to_vec(&json!({ "Item": item })).expect("JSON");
        text.push(b'\n');
        if part
            .as_ref()
            .is_none_or(|(_, bytes)| *bytes + text.len() > PART_BYTES)
        {
            if let Some((encoder, _)) = part.take() {
                finish_part(encoder, parts.last().expect("a part is open"))?;
            }
            let path = work.join(format!("part-{:05}.json.gz", parts.len() + 1));
            let handle =
                std::fs::File::create(&path).map_err(|e| AppError::io("create", &path, e))?;
            parts.push(path);
            part = Some((
                flate2::write::GzEncoder::new(handle, flate2::Compression::fast()),
                0,
            ));
        }
        let (encoder, bytes) = part.as_mut().expect("opened above");
        let path = parts.last().expect("a part is open");
        encoder
            .write_all(&text)
            .map_err(|e| AppError::io("write", path, e))?;
        *bytes += text.len();
        uploaded += 1;
    }
    if let Some((encoder, _)) = part.take() {
        finish_part(encoder, parts.last().expect("a part is open"))?;
    }
    rejects.flush()?;
    if uploaded == 0 {
        return Err(AppError::input(
            file.to_string(),
            format!(
                "no valid records to import ({} rejected, see {})",
                rejects.count,
                rejects_path.display()
            ),
        ));
    }
    Ok(Staged {
        work: work.to_path_buf(),
        parts,
        records: records_read,
        uploaded,
        rejects,
        rejects_path,
    })
}

fn finish_part(
    encoder: flate2::write::GzEncoder<std::fs::File>,
    path: &Path,
) -> Result<(), AppError> {
    encoder
        .finish()
        .and_then(|f| f.sync_all())
        .map_err(|e| AppError::io("write", path, e))
}

/// A plain item as DynamoDB JSON (binary keys from their base64 text).
fn dynamodb_json(item: &Map<String, Value>, schema: &KeySchema) -> Map<String, Value> {
    crate::ddb_json::item_to_json(&crate::seed::sink::to_table_item(item, schema))
}

async fn start_import(
    target: &S3Import,
    table: &str,
    schema: &KeySchema,
    prefix: &str,
) -> Result<String, AppError> {
    let mut parameters = TableCreationParameters::builder()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest);
    for (i, (name, ty)) in schema.attributes.iter().enumerate() {
        parameters = parameters
            .attribute_definitions(
                AttributeDefinition::builder()
                    .attribute_name(name)
                    .attribute_type(ScalarAttributeType::from(ty.as_str()))
                    .build()
                    .expect("name and type are set"),
            )
            .key_schema(
                KeySchemaElement::builder()
                    .attribute_name(name)
                    .key_type(if i == 0 {
                        KeyType::Hash
                    } else {
                        KeyType::Range
                    })
                    .build()
                    .expect("name and type are set"),
            );
    }
    let out = target
        .dynamodb
        .import_table()
        .s3_bucket_source(
            S3BucketSource::builder()
                .s3_bucket(&target.bucket)
                .s3_key_prefix(prefix)
                .build()
                .expect("bucket is set"),
        )
        .input_format(InputFormat::DynamodbJson)
        .input_compression_type(InputCompressionType::Gzip)
        .table_creation_parameters(parameters.build().expect("name, key and attributes are set"))
        .send()
        .await
        .map_err(|e| {
            let err = aws::error("dynamodb", format!("ImportTable into {table}"), &e);
            if e.as_service_error().and_then(|s| aws_sdk_dynamodb::error::ProvideErrorMetadata::code(s))
                == Some("AccessDeniedException")
            {
                err.with_suffix(&format!(
                    "\ngrant dynamodb:ImportTable, dynamodb:CreateTable on the table, s3:GetObject and s3:ListBucket \
                     on arn:aws:s3:::{}/{prefix}*, and logs:CreateLogGroup/PutLogEvents for its error log",
                    target.bucket
                ))
            } else {
                err
            }
        })?;
    Ok(out
        .import_table_description()
        .and_then(|d| d.import_arn())
        .unwrap_or_default()
        .to_string())
}

/// Polls DescribeImport until it ends: (imported, errors, error log).
async fn wait(
    client: &aws_sdk_dynamodb::Client,
    arn: &str,
    progress: &dyn Progress,
) -> Result<(u64, u64, Option<String>), AppError> {
    let check = || async {
        let out = client
            .describe_import()
            .import_arn(arn)
            .send()
            .await
            .map_err(|e| aws::error("dynamodb", format!("DescribeImport {arn}"), &e))?;
        let Some(d) = out.import_table_description() else {
            return Ok(None);
        };
        let count = |n: i64| n.max(0) as u64;
        let counts = (count(d.imported_item_count()), count(d.error_count()));
        match d.import_status() {
            // AWS (and moto) say FAILED when some items failed: the counts
            // tell a partial import from a failed one.
            Some(ImportStatus::Completed) => Ok(Some((counts.0, counts.1, log_group(d)))),
            Some(ImportStatus::Failed) if counts != (0, 0) => {
                Ok(Some((counts.0, counts.1, log_group(d))))
            }
            Some(ImportStatus::Failed | ImportStatus::Cancelled | ImportStatus::Cancelling) => {
                Err(AppError::Aws {
                    service: "dynamodb",
                    what: format!("import {arn}"),
                    code: d.failure_code().map(str::to_string),
                    message: d
                        .failure_message()
                        .unwrap_or("the import failed")
                        .to_string(),
                    retryable: false,
                })
            }
            _ => Ok(None),
        }
    };
    crate::retry::poll(check, |t| {
        progress.note(&format!("import still in progress after {}s", t.as_secs()))
    })
    .await
}

fn log_group(d: &aws_sdk_dynamodb::types::ImportTableDescription) -> Option<String> {
    d.cloud_watch_log_group_arn().map(str::to_string)
}
