//! `seed`: lossless, resumable bulk loading of JSON, JSONL or CSV (see `seed::session`).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::Args;

use crate::commands::items::TableArg;
use crate::context::Context;
use crate::error::AppError;
use crate::output::Outcome;
use crate::seed::reader::{self, Format};
use crate::seed::session::{self, Options};
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
    /// Attempts per request; then the seed stops with a checkpoint (records are never rejected for an outage)
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_attempts: u32,
}

pub async fn run(args: SeedArgs, ctx: &Context) -> Result<Outcome, AppError> {
    // The input first: a missing file is the first thing to hear about.
    if args.file != "-" {
        std::fs::metadata(&args.file).map_err(|e| AppError::io("open", &args.file, e))?;
    }
    let table = args.table.table.clone();
    let format = args
        .format
        .or_else(|| Format::from_path(&args.file))
        .ok_or_else(|| {
            AppError::usage(format!(
                "cannot tell the format of `{}`: pass --format json, jsonl or csv",
                args.file
            ))
        })?;
    let types = match &args.types {
        Some(spec) if format == Format::Csv => reader::parse_types(spec)?,
        Some(_) => return Err(AppError::usage("--types applies to CSV input only")),
        None => Vec::new(),
    };
    let schema = key_schema(&args, &table, ctx).await?;
    let backend = match (&schema, args.direct) {
        (Some(schema), true) => Backend::Direct {
            client: ctx.dynamodb().await?,
            table: table.clone(),
            schema: schema.clone(),
        },
        (None, true) => {
            return Err(AppError::usage(
                "--direct needs the table's key schema: pass --key-attr NAME:TYPE",
            ))
        }
        (_, false) => Backend::Batch {
            transport: ctx.transport().await?,
            table: table.clone(),
            per_item: AtomicBool::new(false),
        },
    };
    let options = Options {
        batch_size: args
            .batch_size
            .map(usize::from)
            .unwrap_or(if args.direct { 25 } else { 100 })
            .min(backend.max_batch()),
        concurrency: args
            .concurrency
            .map(usize::from)
            .unwrap_or(if ctx.global.local { 4 } else { 16 }),
        table,
        file: args.file,
        format,
        types,
        max_attempts: args.max_attempts,
        schema,
        rejects: args.rejects,
        resume: args.resume,
        quiet: ctx.printer.quiet,
    };
    if ctx.global.dry_run {
        return Ok(Outcome::ok(session::plan(&options, &backend)));
    }
    let (summary, failure) = session::run(options, backend, &ctx.printer).await?;
    Ok(match failure {
        Some(failure) => Outcome::failed(summary, failure),
        None => Outcome::ok(summary),
    })
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
        Ok(None) if args.direct => Err(AppError::not_found(format!(
            "table {table} does not exist; create it with `setup --table {table}` (or `local up --table {table}`)"
        ))),
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
