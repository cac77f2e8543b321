//! `export`: a table to JSON lines, JSON, CSV or DynamoDB JSON (see `export`).

use clap::{Args, ValueEnum};
use serde_json::{Map, Value};

use crate::commands::items::{scan_filter, ExpressionArgs, TableArg};
use crate::context::Context;
use crate::engine::{self, Finished, Kind};
use crate::error::AppError;
use crate::export::source::{Filter, Source};
use crate::export::{self, Options, Origin};
use crate::formats::Format;
use crate::output::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportEngine {
    /// The dispatcher's `list` (Segment/TotalSegments), like every other command
    Dispatcher,
    /// Scan DynamoDB directly (needs table permissions)
    Direct,
    /// DynamoDB's ExportTableToPointInTime to S3 (enables PITR), then download
    S3Export,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub table: TableArg,
    /// Output file, or - for standard output; .gz compresses
    #[arg(long, short = 'f', value_name = "FILE|-")]
    pub file: String,
    /// Output format [default: from the extension (.ddb.jsonl, .jsonl, .json, .csv), else jsonl]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Parallel Scan segments read at once [default: 4; 1 on the local stack, where moto walks the
    /// whole table for every segment]
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub segments: Option<u32>,
    /// FilterExpression (use --names/--values for placeholders)
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Keep items where NAME equals VALUE (typed like --set); repeatable, ANDed
    #[arg(long = "where", value_name = "NAME=VALUE")]
    pub where_: Vec<String>,
    #[command(flatten)]
    pub expr: ExpressionArgs,
    /// Strongly consistent scan
    #[arg(long)]
    pub consistent: bool,
    /// Items evaluated per Scan request (Limit) [default: none, DynamoDB ends each page at 1 MB; 1000 through the dispatcher on AWS]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub page_size: Option<u32>,
    /// Continue an interrupted export to the same file
    #[arg(long)]
    pub resume: bool,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
    /// Where the items come from [default: dispatcher]
    #[arg(long, value_enum, conflicts_with = "direct")]
    pub engine: Option<ExportEngine>,
    /// Short for --engine direct
    #[arg(long)]
    pub direct: bool,
    /// s3-export: the bucket AWS writes the export to
    #[arg(long, value_name = "BUCKET")]
    pub bucket: Option<String>,
    /// s3-export: a key prefix in the bucket
    #[arg(long, value_name = "PREFIX")]
    pub prefix: Option<String>,
    /// s3-export: leave the export in S3 (print where) instead of downloading it
    #[arg(long)]
    pub keep_in_s3: bool,
}

/// The Scan's filter from --filter, --where, --names/--values, --consistent, --page-size.
fn filter(args: &ExportArgs) -> Result<Filter, AppError> {
    let (expression, ph) = scan_filter(args.filter.clone(), &args.where_, &args.expr)?;
    let mut placeholders = Map::new();
    ph.apply(&mut placeholders);
    let object = |name: &str| match placeholders.get(name) {
        Some(Value::Object(map)) => map.clone(),
        _ => Map::new(),
    };
    Ok(Filter {
        expression,
        names: object("ExpressionAttributeNames"),
        values: object("ExpressionAttributeValues"),
        consistent: args.consistent,
        page_size: args.page_size,
    })
}

impl From<ExportEngine> for Kind {
    fn from(engine: ExportEngine) -> Kind {
        match engine {
            ExportEngine::Dispatcher => Kind::Dispatcher,
            ExportEngine::Direct => Kind::Direct,
            ExportEngine::S3Export => Kind::S3,
        }
    }
}

pub async fn run(args: ExportArgs, ctx: &Context) -> Result<Outcome, AppError> {
    ctx.heal_local().await?;
    let kind = engine::resolve(args.engine.map(Kind::from), args.direct);
    engine::check_s3_flags(
        kind,
        args.bucket.is_some() || args.keep_in_s3,
        "--bucket and --keep-in-s3",
        "s3-export",
    )?;
    let options = options(&args, ctx).await?;
    if ctx.settings.dry_run {
        if kind == Kind::S3 {
            bucket(&args)?;
        }
        let name = match kind {
            Kind::Direct => "direct Scan",
            Kind::Dispatcher => "dispatcher list",
            Kind::S3 => "s3-export",
        };
        return Ok(Outcome::ok(export::plan(&options, name)));
    }
    let origin = origin(kind, &args, &options, ctx).await?;
    let to_stdout = options.file == "-";
    let finished = export::run(options, origin, &ctx.printer).await?;
    Ok(report(finished, to_stdout, ctx))
}

/// The export's options from its flags and what DynamoDB says of the table.
async fn options(args: &ExportArgs, ctx: &Context) -> Result<Options, AppError> {
    let table = args.table.table.clone();
    let format = args
        .format
        .or_else(|| Format::from_path(&args.file))
        .unwrap_or(Format::Jsonl);
    let filter = filter(args)?;
    // The key schema and size, when DynamoDB can be asked (CSV's first
    // columns, the progress bar); not needed otherwise.
    let described = match ctx.dynamodb().await {
        Ok(client) => crate::stack::tables::describe(&client, &table)
            .await
            .ok()
            .flatten(),
        Err(_) => None,
    };
    Ok(Options {
        table,
        file: args.file.clone(),
        format,
        segments: args
            .segments
            .unwrap_or(crate::export::default_segments(ctx.settings.local)),
        filter,
        resume: args.resume,
        force: args.force,
        key_names: described
            .as_ref()
            .map(|d| d.key_names.clone())
            .unwrap_or_default(),
        max_bytes: None,
        expected_items: described.as_ref().map(|d| d.item_count),
    })
}

fn bucket(args: &ExportArgs) -> Result<String, AppError> {
    args.bucket.clone().ok_or_else(|| {
        AppError::usage("--engine s3-export needs --bucket BUCKET (AWS writes the export there)")
    })
}

/// Where the items come from; a dispatcher that answers plain JSON only is
/// refused for ddb-jsonl (it would not be exact) and warned about otherwise.
async fn origin(
    kind: Kind,
    args: &ExportArgs,
    options: &Options,
    ctx: &Context,
) -> Result<Origin, AppError> {
    let source = match kind {
        Kind::S3 => {
            return Ok(Origin::S3(export::s3::S3Export {
                dynamodb: ctx.dynamodb().await?,
                s3: ctx.s3().await?,
                bucket: bucket(args)?,
                prefix: args.prefix.clone(),
                keep_in_s3: args.keep_in_s3,
            }))
        }
        Kind::Direct => Source::Direct {
            api: ctx.dynamodb_api().await?,
            table: options.table.clone(),
        },
        Kind::Dispatcher => {
            Source::dispatcher(ctx.transport().await?, &options.table, ctx.settings.local).await?
        }
    };
    if !source.is_lossless() {
        let target = ctx.transport().await?.target();
        if options.format == Format::DdbJsonl {
            return Err(AppError::usage(format!(
                "the dispatcher at {target} returns plain JSON (it does not answer typed lists), which loses sets \
                 and binary: ddb-jsonl would not be exact. Use --engine direct, or update the function with `setup`"
            )));
        }
        ctx.printer.warn(format!(
            "the dispatcher at {target} returns plain JSON: sets come back as lists and binary as text"
        ));
    }
    Ok(Origin::Scan(source))
}

/// The summary on stdout, or on stderr when stdout is the data.
fn report(finished: Finished<export::Summary>, to_stdout: bool, ctx: &Context) -> Outcome {
    if to_stdout {
        ctx.printer.emit_to_stderr(&finished.summary);
        return Outcome {
            report: None,
            failure: finished.failure,
        };
    }
    finished.into()
}
