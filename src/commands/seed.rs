//! `seed`: lossless, resumable bulk loading of JSON, JSONL or CSV (see `seed::session`).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::Args;

use crate::commands::items::TableArg;
use crate::context::Context;
use crate::engine::{self, Kind};
use crate::error::AppError;
use crate::output::Outcome;
use crate::seed::reader::{self, Format};
use crate::seed::sink::{typed_batch_supported, Backend};
use crate::seed::validate::KeySchema;
use crate::seed::{s3_import, session, Options, Sink};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SeedEngine {
    /// The dispatcher's `batch` operation, like every other command
    Dispatcher,
    /// BatchWriteItem straight to DynamoDB
    Direct,
    /// Upload to S3, then DynamoDB's ImportTable creates the table from it
    S3Import,
}

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
    /// How items get in [default: dispatcher]: the dispatcher's batch, BatchWriteItem directly, or
    /// DynamoDB's ImportTable from S3 (a new table; --bucket, --key-attr)
    #[arg(long, value_enum, conflicts_with = "direct")]
    pub engine: Option<SeedEngine>,
    /// Short for --engine direct: BatchWriteItem straight to DynamoDB (needs table permissions)
    #[arg(long)]
    pub direct: bool,
    /// s3-import: the bucket the input is uploaded to for ImportTable
    #[arg(long, value_name = "BUCKET")]
    pub bucket: Option<String>,
    /// s3-import: a key prefix in the bucket
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// The table's key attributes, NAME[:S|N|B] (hash, then range) [default: read from the table]
    #[arg(long, value_name = "NAME[:TYPE]")]
    pub key_attr: Vec<String>,
    /// Attempts per request; then the seed stops with a checkpoint (records are never rejected for an outage)
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub max_attempts: u32,
}

impl From<SeedEngine> for Kind {
    fn from(engine: SeedEngine) -> Kind {
        match engine {
            SeedEngine::Dispatcher => Kind::Dispatcher,
            SeedEngine::Direct => Kind::Direct,
            SeedEngine::S3Import => Kind::S3,
        }
    }
}

pub async fn run(args: SeedArgs, ctx: &Context) -> Result<Outcome, AppError> {
    ctx.heal_local().await?;
    // The input first: a missing file is the first thing to hear about.
    if args.file != "-" {
        std::fs::metadata(&args.file).map_err(|e| AppError::io("open", &args.file, e))?;
    }
    let kind = engine::resolve(args.engine.map(Kind::from), args.direct);
    engine::check_s3_flags(
        kind,
        args.bucket.is_some() || args.prefix.is_some(),
        "--bucket and --prefix",
        "s3-import",
    )?;
    let format = format(&args)?;
    let (options, sink) = match kind {
        Kind::S3 => s3_import(&args, format, ctx).await?,
        _ => batches(&args, format, kind, ctx).await?,
    };
    if ctx.settings.dry_run {
        return Ok(match &sink {
            Sink::Items(backend) => Outcome::ok(session::plan(&options, backend)),
            Sink::S3Import(target) => Outcome::ok(s3_import::plan(&options, target)),
        });
    }
    Ok(crate::seed::run(options, sink, &ctx.printer).await?.into())
}

fn format(args: &SeedArgs) -> Result<Format, AppError> {
    args.format
        .or_else(|| Format::from_path(&args.file))
        .ok_or_else(|| {
            AppError::usage(format!(
                "cannot tell the format of `{}`: pass --format json, jsonl, csv or ddb-jsonl",
                args.file
            ))
        })
}

/// The options every engine takes.
fn options(
    args: &SeedArgs,
    format: Format,
    schema: Option<KeySchema>,
) -> Result<Options, AppError> {
    let types = match &args.types {
        Some(spec) if format == Format::Csv => reader::parse_types(spec)?,
        Some(_) => return Err(AppError::usage("--types applies to CSV input only")),
        None => Vec::new(),
    };
    Ok(Options {
        table: args.table.table.clone(),
        file: args.file.clone(),
        format,
        types,
        concurrency: 0,
        batch_size: 0,
        max_attempts: args.max_attempts,
        schema,
        rejects: args.rejects.clone(),
        resume: args.resume,
    })
}

/// Through the dispatcher's batch or BatchWriteItem directly.
async fn batches(
    args: &SeedArgs,
    format: Format,
    kind: Kind,
    ctx: &Context,
) -> Result<(Options, Sink), AppError> {
    let table = &args.table.table;
    let typed = format == Format::DdbJsonl;
    let schema = key_schema(args, table, kind == Kind::Direct, ctx).await?;
    let backend = backend(kind, schema.clone(), typed, table, ctx).await?;
    let direct = matches!(backend, Backend::Direct { .. });
    let mut options = options(args, format, schema)?;
    options.batch_size = args
        .batch_size
        .map(usize::from)
        .unwrap_or(if direct { 25 } else { 100 })
        .min(backend.max_batch());
    options.concurrency = args
        .concurrency
        .map(usize::from)
        .unwrap_or(if ctx.settings.local { 4 } else { 16 });
    Ok((options, Sink::Items(backend)))
}

/// DynamoDB's ImportTable from S3 (a new table).
async fn s3_import(
    args: &SeedArgs,
    format: Format,
    ctx: &Context,
) -> Result<(Options, Sink), AppError> {
    let bucket = args.bucket.clone().ok_or_else(|| {
        AppError::usage("--engine s3-import needs --bucket BUCKET (the input is uploaded there for ImportTable)")
    })?;
    let schema = parse_key_attrs(&args.key_attr)?.ok_or_else(|| {
        AppError::usage(
            "--engine s3-import creates the table: give its key with --key-attr NAME:S|N|B",
        )
    })?;
    if args.resume {
        return Err(AppError::usage(
            "--resume does not apply to --engine s3-import: ImportTable makes a new table each time",
        ));
    }
    let options = options(args, format, Some(schema))?;
    let target = s3_import::S3Import {
        dynamodb: ctx.dynamodb().await?,
        s3: ctx.s3().await?,
        bucket,
        prefix: args.prefix.clone(),
    };
    s3_import::check_new_table(&target.dynamodb, &options.table).await?;
    Ok((options, Sink::S3Import(target)))
}

/// Where the items go. DynamoDB JSON through the dispatcher needs one that
/// keeps it (ours does); otherwise it goes directly, saying so.
async fn backend(
    kind: Kind,
    schema: Option<KeySchema>,
    typed: bool,
    table: &str,
    ctx: &Context,
) -> Result<Backend, AppError> {
    let direct = |schema: Option<KeySchema>| async {
        let schema = schema.ok_or_else(|| {
            AppError::usage(
                "writing directly needs the table's key schema: pass --key-attr NAME:TYPE",
            )
        })?;
        Ok::<_, AppError>(Backend::Direct {
            client: ctx.dynamodb().await?,
            table: table.to_string(),
            schema,
            typed,
        })
    };
    if kind == Kind::Direct {
        return direct(schema).await;
    }
    let transport = ctx.transport().await?;
    if typed && !ctx.settings.dry_run && !typed_batch_supported(&transport, table).await? {
        ctx.printer.warn(format!(
            "the dispatcher at {} does not keep DynamoDB JSON (typed items): writing directly to DynamoDB instead",
            transport.target()
        ));
        return direct(schema).await;
    }
    Ok(Backend::Batch {
        transport,
        table: table.to_string(),
        per_item: AtomicBool::new(false),
        typed,
    })
}

/// `--key-attr NAME[:S|N|B]`, hash then range.
fn parse_key_attrs(specs: &[String]) -> Result<Option<KeySchema>, AppError> {
    if specs.is_empty() {
        return Ok(None);
    }
    let mut attributes = Vec::new();
    for spec in specs {
        let (name, ty) = spec.split_once(':').unwrap_or((spec, "S"));
        let ty = ty.to_ascii_uppercase();
        if name.is_empty() || !matches!(ty.as_str(), "S" | "N" | "B") || attributes.len() == 2 {
            return Err(AppError::usage(format!(
                "--key-attr `{spec}`: expected NAME[:S|N|B], given once for the hash key and once more for a range key"
            )));
        }
        attributes.push((name.to_string(), ty));
    }
    Ok(Some(KeySchema { attributes }))
}

/// --key-attr, else the table's own key schema (DescribeTable).
async fn key_schema(
    args: &SeedArgs,
    table: &str,
    direct: bool,
    ctx: &Context,
) -> Result<Option<KeySchema>, AppError> {
    if let Some(schema) = parse_key_attrs(&args.key_attr)? {
        return Ok(Some(schema));
    }
    let described = match ctx.dynamodb().await {
        Ok(client) => crate::stack::tables::describe_schema(&client, table).await,
        Err(e) => Err(e),
    };
    match described {
        Ok(Some(attributes)) => Ok(Some(KeySchema { attributes })),
        Ok(None) if direct => Err(AppError::not_found(format!(
            "table {table} does not exist; create it with `setup --table {table}` (or `local up --table {table}`)"
        ))),
        Ok(None) => Ok(None),
        Err(e) if direct => Err(e),
        Err(e) => {
            ctx.printer.warn(format!(
                "cannot read the key schema of {table} ({e}); key attributes are not checked before sending (pass --key-attr to check them)"
            ));
            Ok(None)
        }
    }
}
