//! create / read / update / delete / list: the contract's DynamoDB operations.

use clap::Args;
use serde_json::{json, Map, Value};

use crate::call_or_return;
use crate::commands::{call, Interrupt};
use crate::context::Context;
use crate::error::AppError;
use crate::event::{
    and_conditions, event, expect_object, if_absent_condition, if_exists_condition,
    parse_assignment, parse_key, read_json_arg, Operation, Placeholders, UpdateSpec, ValueType,
};
use crate::output::{Outcome, Text};

#[derive(Debug, Args)]
pub struct TableArg {
    /// Table name
    #[arg(long, short = 't', env = "SERVERLESS_CRUD_TABLE", value_parser = crate::names::table_name)]
    pub table: String,
}

#[derive(Debug, Args)]
pub struct KeyArg {
    /// Key: NAME=VALUE (a string), NAME:n=VALUE (a number), or a JSON object; repeat for a sort key
    #[arg(long, short = 'k', required = true, value_name = "NAME=VALUE|JSON")]
    pub key: Vec<String>,
}

/// Placeholders for hand-written expressions (--condition, --filter, --expression).
#[derive(Debug, Args)]
pub struct ExpressionArgs {
    /// ExpressionAttributeNames as JSON, e.g. '{"#s":"status"}'
    #[arg(long, value_name = "JSON")]
    pub names: Option<String>,
    /// ExpressionAttributeValues as JSON, e.g. '{":v":1}'
    #[arg(long, value_name = "JSON")]
    pub values: Option<String>,
}

impl ExpressionArgs {
    fn merge_into(&self, ph: &mut Placeholders) -> Result<(), AppError> {
        let names = self
            .names
            .as_deref()
            .map(|s| expect_object(read_json_arg(s, "--names")?, "--names"))
            .transpose()?;
        let values = self
            .values
            .as_deref()
            .map(|s| expect_object(read_json_arg(s, "--values")?, "--values"))
            .transpose()?;
        ph.merge_user(names, values)
    }
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    #[command(flatten)]
    pub table: TableArg,
    /// The item: JSON, @FILE, or - for stdin
    #[arg(long, short = 'i', value_name = "JSON|@FILE|-")]
    pub item: String,
    /// Only create: fail with exit 4 if an item with this key exists
    #[arg(long)]
    pub if_absent: bool,
    /// ConditionExpression that must hold for the write
    #[arg(long, value_name = "EXPR")]
    pub condition: Option<String>,
    #[command(flatten)]
    pub expr: ExpressionArgs,
}

#[derive(Debug, Args)]
pub struct ReadArgs {
    #[command(flatten)]
    pub table: TableArg,
    #[command(flatten)]
    pub key: KeyArg,
    /// Strongly consistent read
    #[arg(long)]
    pub consistent: bool,
}

#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub table: TableArg,
    #[command(flatten)]
    pub key: KeyArg,
    /// Set an attribute: NAME=VALUE (32 -> number, true -> bool, text -> string; NAME:s=32 forces a string); NAME may be a.b.c
    #[arg(long, value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Remove an attribute
    #[arg(long, value_name = "NAME")]
    pub remove: Vec<String>,
    /// Add to a number (NAME=1) or a set
    #[arg(long, value_name = "NAME=VALUE")]
    pub add: Vec<String>,
    /// A raw UpdateExpression instead of --set/--remove/--add (use --names/--values)
    #[arg(long, value_name = "EXPR", conflicts_with_all = ["set", "remove", "add"])]
    pub expression: Option<String>,
    /// Only update an existing item (fail with exit 4 otherwise)
    #[arg(long)]
    pub if_exists: bool,
    /// ConditionExpression that must hold for the write
    #[arg(long, value_name = "EXPR")]
    pub condition: Option<String>,
    #[command(flatten)]
    pub expr: ExpressionArgs,
}

#[derive(Debug, Args)]
pub struct DeleteArgs {
    #[command(flatten)]
    pub table: TableArg,
    #[command(flatten)]
    pub key: KeyArg,
    /// ConditionExpression that must hold for the delete
    #[arg(long, value_name = "EXPR")]
    pub condition: Option<String>,
    #[command(flatten)]
    pub expr: ExpressionArgs,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    pub table: TableArg,
    /// Items evaluated per request (Scan Limit)
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// FilterExpression (use --names/--values for placeholders)
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Keep items where NAME equals VALUE (typed like --set); repeatable, ANDed
    #[arg(long = "where", value_name = "NAME=VALUE")]
    pub where_: Vec<String>,
    /// Follow LastEvaluatedKey until the whole table is read
    #[arg(long)]
    pub all: bool,
    /// Start after this key (a previous page's lastEvaluatedKey), JSON
    #[arg(long, value_name = "JSON")]
    pub start_key: Option<String>,
    /// Strongly consistent scan
    #[arg(long)]
    pub consistent: bool,
    #[command(flatten)]
    pub expr: ExpressionArgs,
}

fn key_text(key: &Map<String, Value>) -> String {
    key.iter()
        .map(|(k, v)| format!("{k}={}", crate::output::cell(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn create(args: CreateArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let table = &args.table.table;
    let item = expect_object(read_json_arg(&args.item, "--item")?, "--item")?;
    let mut payload = Map::new();
    let mut ph = Placeholders::default();
    args.expr.merge_into(&mut ph)?;
    let generated = if args.if_absent {
        if_absent_condition(&item, &mut ph)
    } else {
        None
    };
    if let Some(condition) = and_conditions(generated, args.condition.clone()) {
        payload.insert("ConditionExpression".into(), condition.into());
    }
    payload.insert("Item".into(), Value::Object(item));
    payload.insert("ReturnValues".into(), "ALL_OLD".into());
    ph.apply(&mut payload);
    let event = event(Operation::Create, Some(table), Some(Value::Object(payload)));
    let reply = call_or_return!(call(ctx, event, false));
    let replaced = reply.value.get("Attributes").is_some_and(|a| a.is_object());
    let verb = if replaced {
        "replaced an existing item"
    } else {
        "created"
    };
    Ok(Outcome::line(
        json!({"table": table, "replaced": replaced}),
        format!("{table}: {verb}"),
    ))
}

pub async fn read(args: ReadArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let table = &args.table.table;
    let key = parse_key(&args.key.key)?;
    let mut payload = Map::new();
    payload.insert("Key".into(), Value::Object(key.clone()));
    if args.consistent {
        payload.insert("ConsistentRead".into(), true.into());
    }
    let event = event(Operation::Read, Some(table), Some(Value::Object(payload)));
    let not_found = || AppError::NotFound(format!("{table}: no item with key {}", key_text(&key)));
    let reply = match call(ctx, event, true).await {
        Ok(reply) => reply,
        Err(Interrupt::DryRun(outcome)) => return Ok(outcome),
        // A proxy dispatcher answers 404 itself; say it the same way as for a direct read.
        Err(Interrupt::Error(AppError::NotFound(_))) => return Err(not_found().into()),
        Err(Interrupt::Error(e)) => return Err(e.into()),
    };
    match crate::reply::item(&reply.value) {
        Some(item) => Ok(Outcome {
            json: Value::Object(item.clone()),
            text: Text::Item(item.clone()),
        }),
        None => Err(not_found().into()),
    }
}

pub async fn update(args: UpdateArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let table = &args.table.table;
    let key = parse_key(&args.key.key)?;
    let mut spec = UpdateSpec::default();
    for s in &args.set {
        spec.set.push(parse_assignment(s, ValueType::Infer)?);
    }
    spec.remove = args.remove.clone();
    for s in &args.add {
        spec.add.push(parse_assignment(s, ValueType::Infer)?);
    }
    let mut ph = Placeholders::default();
    args.expr.merge_into(&mut ph)?;
    let expression = match &args.expression {
        Some(expression) => expression.clone(),
        None if spec.is_empty() => return Err(AppError::usage(
            "nothing to update: give --set NAME=VALUE, --remove NAME, --add NAME=N or --expression",
        )
        .into()),
        None => spec.expression(&mut ph),
    };
    let generated = if args.if_exists {
        if_exists_condition(&key, &mut ph)
    } else {
        None
    };
    let mut payload = Map::new();
    payload.insert("Key".into(), Value::Object(key.clone()));
    payload.insert("UpdateExpression".into(), expression.into());
    if let Some(condition) = and_conditions(generated, args.condition.clone()) {
        payload.insert("ConditionExpression".into(), condition.into());
    }
    ph.apply(&mut payload);
    payload.insert("ReturnValues".into(), "ALL_NEW".into());
    let event = event(Operation::Update, Some(table), Some(Value::Object(payload)));
    let reply = call_or_return!(call(ctx, event, false));
    let item = reply
        .value
        .get("Attributes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Ok(Outcome {
        json: Value::Object(item.clone()),
        text: Text::Item(item),
    })
}

pub async fn delete(args: DeleteArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let table = &args.table.table;
    let key = parse_key(&args.key.key)?;
    let mut ph = Placeholders::default();
    args.expr.merge_into(&mut ph)?;
    let mut payload = Map::new();
    payload.insert("Key".into(), Value::Object(key.clone()));
    if let Some(condition) = &args.condition {
        payload.insert("ConditionExpression".into(), condition.clone().into());
    }
    ph.apply(&mut payload);
    payload.insert("ReturnValues".into(), "ALL_OLD".into());
    let event = event(Operation::Delete, Some(table), Some(Value::Object(payload)));
    // Deleting twice leaves the same table: safe to retry.
    let reply = call_or_return!(call(ctx, event, args.condition.is_none()));
    match reply.value.get("Attributes").and_then(Value::as_object) {
        Some(old) => Ok(Outcome::line(
            json!({"table": table, "deleted": old}),
            format!("{table}: deleted {}", key_text(&key)),
        )),
        None => Err(AppError::NotFound(format!(
            "{table}: no item with key {} (nothing deleted)",
            key_text(&key)
        ))
        .into()),
    }
}

pub async fn list(args: ListArgs, ctx: &Context) -> anyhow::Result<Outcome> {
    let table = &args.table.table;
    let mut ph = Placeholders::default();
    args.expr.merge_into(&mut ph)?;
    let mut filters = Vec::new();
    for spec in &args.where_ {
        let (name, value) = parse_assignment(spec, ValueType::Infer)?;
        let name = ph.path(&name);
        let value = ph.value(value);
        filters.push(format!("{name} = {value}"));
    }
    let generated = (!filters.is_empty()).then(|| filters.join(" AND "));
    let filter = and_conditions(generated, args.filter.clone());
    let mut start_key = args
        .start_key
        .as_deref()
        .map(|s| read_json_arg(s, "--start-key"))
        .transpose()?;
    let mut base = Map::new();
    if let Some(limit) = args.limit {
        base.insert("Limit".into(), limit.into());
    }
    if let Some(filter) = filter {
        base.insert("FilterExpression".into(), filter.into());
    }
    if args.consistent {
        base.insert("ConsistentRead".into(), true.into());
    }
    ph.apply(&mut base);

    let (mut items, mut count, mut scanned, mut pages) = (Vec::new(), 0u64, 0u64, 0u32);
    loop {
        let mut payload = base.clone();
        if let Some(key) = start_key.take() {
            payload.insert("ExclusiveStartKey".into(), key);
        }
        let event = event(Operation::List, Some(table), Some(Value::Object(payload)));
        let reply = call_or_return!(call(ctx, event, true));
        pages += 1;
        if let Some(page) = reply.value.get("Items").and_then(Value::as_array) {
            items.extend(page.iter().cloned());
        }
        count += reply
            .value
            .get("Count")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        scanned += reply
            .value
            .get("ScannedCount")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        start_key = reply
            .value
            .get("LastEvaluatedKey")
            .filter(|k| k.is_object())
            .cloned();
        if !args.all || start_key.is_none() {
            break;
        }
        ctx.printer
            .detail(1, format!("page {pages}: {} items so far", items.len()));
    }
    let footer = match &start_key {
        Some(key) => format!(
            "{} items shown; more remain: add --all, or --start-key '{key}'",
            items.len()
        ),
        None => format!("{} items ({scanned} scanned, {pages} page(s))", items.len()),
    };
    let json = json!({
        "items": items,
        "count": count,
        "scannedCount": scanned,
        "lastEvaluatedKey": start_key,
    });
    Ok(Outcome {
        json,
        text: Text::Items {
            items,
            footer: Some(footer),
        },
    })
}
