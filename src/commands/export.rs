//! `export`: a table to JSON lines, JSON, CSV or DynamoDB JSON (see `export`).

use clap::{Args, ValueEnum};
use serde_json::{Map, Value};

use crate::commands::items::{scan_filter, ExpressionArgs, TableArg};
use crate::context::Context;
use crate::error::AppError;
use crate::export::source::{Filter, Source};
use crate::export::{self, Options};
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
    /// Items evaluated per Scan request (Limit) [default: 1000 through the dispatcher, 5000 / segments direct; DynamoDB stops a page at 1 MB]
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

impl ExportArgs {
    fn engine(&self) -> ExportEngine {
        match (self.engine, self.direct) {
            (Some(engine), _) => engine,
            (None, true) => ExportEngine::Direct,
            (None, false) => ExportEngine::Dispatcher,
        }
    }
}

pub async fn run(args: ExportArgs, ctx: &Context) -> Result<Outcome, AppError> {
    ctx.heal_local().await?;
    let engine = args.engine();
    let table = args.table.table.clone();
    let format = args
        .format
        .or_else(|| Format::from_path(&args.file))
        .unwrap_or(Format::Jsonl);
    if engine != ExportEngine::S3Export && (args.bucket.is_some() || args.keep_in_s3) {
        return Err(AppError::usage(
            "--bucket and --keep-in-s3 go with --engine s3-export",
        ));
    }
    let filter = filter(&args)?;
    // The key schema and size, when DynamoDB can be asked (CSV's first
    // columns, the progress bar); not needed otherwise.
    let described = match ctx.dynamodb().await {
        Ok(client) => crate::stack::tables::describe(&client, &table)
            .await
            .ok()
            .flatten(),
        Err(_) => None,
    };
    let options = Options {
        table: table.clone(),
        file: args.file.clone(),
        format,
        segments: args
            .segments
            .unwrap_or(crate::export::default_segments(ctx.settings.local)),
        filter,
        resume: args.resume,
        force: args.force,
        quiet: ctx.printer.quiet,
        key_names: described
            .as_ref()
            .map(|d| d.key_names.clone())
            .unwrap_or_default(),
        max_bytes: None,
        expected_items: described.as_ref().map(|d| d.item_count),
    };
    if engine == ExportEngine::S3Export {
        return s3_export(&args, options, ctx).await;
    }
    if ctx.settings.dry_run {
        let name = if engine == ExportEngine::Direct {
            "direct Scan"
        } else {
            "dispatcher list"
        };
        return Ok(Outcome::ok(export::plan(&options, name)));
    }
    let source = source(engine, &table, format, ctx).await?;
    let to_stdout = options.file == "-";
    let (summary, failure) = export::run(options, source, &ctx.printer).await?;
    Ok(report(summary, failure, to_stdout, ctx))
}

/// Where the items come from; a dispatcher that answers plain JSON only is
/// refused for ddb-jsonl (it would not be exact) and warned about otherwise.
async fn source(
    engine: ExportEngine,
    table: &str,
    format: Format,
    ctx: &Context,
) -> Result<Source, AppError> {
    let source = match engine {
        ExportEngine::Direct => Source::Direct {
            client: ctx.dynamodb().await?,
            table: table.to_string(),
        },
        _ => Source::dispatcher(ctx.transport().await?, table).await?,
    };
    if !source.is_lossless() {
        let target = ctx.transport().await?.target();
        if format == Format::DdbJsonl {
            return Err(AppError::usage(format!(
                "the dispatcher at {target} returns plain JSON (it does not answer typed lists), which loses sets \
                 and binary: ddb-jsonl would not be exact. Use --engine direct, or update the function with `setup`"
            )));
        }
        ctx.printer.warn(format!(
            "the dispatcher at {target} returns plain JSON: sets come back as lists and binary as text"
        ));
    }
    Ok(source)
}

async fn s3_export(
    args: &ExportArgs,
    options: Options,
    ctx: &Context,
) -> Result<Outcome, AppError> {
    let bucket = args.bucket.clone().ok_or_else(|| {
        AppError::usage("--engine s3-export needs --bucket BUCKET (AWS writes the export there)")
    })?;
    if ctx.settings.dry_run {
        return Ok(Outcome::ok(export::plan(&options, "s3-export")));
    }
    let s3 = export::s3::S3Export {
        bucket,
        prefix: args.prefix.clone(),
        keep_in_s3: args.keep_in_s3,
    };
    let to_stdout = options.file == "-";
    let summary = s3.run(options, ctx).await?;
    Ok(report(summary, None, to_stdout, ctx))
}

/// The summary on stdout, or on stderr when stdout is the data.
fn report(
    summary: export::Summary,
    failure: Option<AppError>,
    to_stdout: bool,
    ctx: &Context,
) -> Outcome {
    if to_stdout {
        ctx.printer.emit_to_stderr(&summary);
        return Outcome {
            report: None,
            failure,
        };
    }
    match failure {
        Some(failure) => Outcome::failed(summary, failure),
        None => Outcome::ok(summary),
    }
}
