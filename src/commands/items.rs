//! create / read / update / delete / list: the contract's DynamoDB operations.

use std::fmt;

use clap::Args;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::call_or_return;
use crate::commands::{call, Interrupt};
use crate::context::Context;
use crate::error::AppError;
use crate::event::{
    and_conditions, event, expect_object, if_absent_condition, if_exists_condition,
    parse_assignment, parse_key, read_json_arg, Operation, Placeholders, UpdateSpec, ValueType,
};
use crate::output::{Outcome, Report};

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

// ------------------------------------------------------------------ reports

/// `create`: `{"table", "replaced"}`.
#[derive(Serialize)]
pub struct Created {
    table: String,
    replaced: bool,
}

impl fmt::Display for Created {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.replaced {
            "replaced an existing item"
        } else {
            "created"
        };
        write!(f, "{}: {verb}", self.table)
    }
}

/// `read`, `update`: the item itself.
#[derive(Serialize)]
#[serde(transparent)]
pub struct Item(Map<String, Value>);

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", crate::output::item_table(&self.0))
    }
}

/// `delete`: `{"table", "deleted": {old item}}`.
#[derive(Serialize)]
pub struct Deleted {
    table: String,
    deleted: Map<String, Value>,
    #[serde(skip)]
    key: String,
}

impl fmt::Display for Deleted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: deleted {}", self.table, self.key)
    }
}

/// `list`: `{"items", "count", "scannedCount", "lastEvaluatedKey"}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Listed {
    items: Vec<Value>,
    count: u64,
    scanned_count: u64,
    last_evaluated_key: Option<Value>,
    #[serde(skip)]
    pages: u32,
}

impl fmt::Display for Listed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.items.is_empty() {
            write!(f, "(no items)")
        } else {
            write!(f, "{}", crate::output::items_table(&self.items))
        }
    }
}

impl Listed {
    fn footer(&self) -> String {
        match &self.last_evaluated_key {
            Some(key) => format!(
                "{} items shown; more remain: add --all, or --start-key '{key}'",
                self.items.len()
            ),
            None => format!(
                "{} items ({} scanned, {} page(s))",
                self.items.len(),
                self.scanned_count,
                self.pages
            ),
        }
    }
}

/// The list's footer goes to stderr, after the table.
struct ListReport(Listed);

impl fmt::Display for ListReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Report for ListReport {
    fn to_json(&self) -> Value {
        self.0.to_json()
    }
    fn note(&self) -> Option<String> {
        Some(self.0.footer())
    }
}

// ------------------------------------------------------------------ commands

pub async fn create(args: CreateArgs, ctx: &Context) -> Result<Outcome, AppError> {
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
    Ok(Outcome::ok(Created {
        table: table.clone(),
        replaced,
    }))
}

pub async fn read(args: ReadArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let table = &args.table.table;
    let key = parse_key(&args.key.key)?;
    let mut payload = Map::new();
    payload.insert("Key".into(), Value::Object(key.clone()));
    if args.consistent {
        payload.insert("ConsistentRead".into(), true.into());
    }
    let event = event(Operation::Read, Some(table), Some(Value::Object(payload)));
    let not_found = || AppError::not_found(format!("{table}: no item with key {}", key_text(&key)));
    let reply = match call(ctx, event, true).await {
        Ok(reply) => reply,
        Err(Interrupt::DryRun(outcome)) => return Ok(outcome),
        // A proxy dispatcher answers 404 itself; say it the same way as for a direct read.
        Err(Interrupt::Error(e)) if e.exit_code() == crate::error::exit::NOT_FOUND => {
            return Err(not_found())
        }
        Err(Interrupt::Error(e)) => return Err(e),
    };
    match crate::reply::item(&reply.value) {
        Some(item) => Ok(Outcome::ok(Item(item.clone()))),
        None => Err(not_found()),
    }
}

pub async fn update(args: UpdateArgs, ctx: &Context) -> Result<Outcome, AppError> {
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
        )),
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
    Ok(Outcome::ok(Item(item)))
}

pub async fn delete(args: DeleteArgs, ctx: &Context) -> Result<Outcome, AppError> {
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
        Some(old) => Ok(Outcome::ok(Deleted {
            table: table.clone(),
            deleted: old.clone(),
            key: key_text(&key),
        })),
        None => Err(AppError::not_found(format!(
            "{table}: no item with key {} (nothing deleted)",
            key_text(&key)
        ))),
    }
}

/// A Scan's FilterExpression from --filter and --where (ANDed), with the
/// placeholders it uses (shared by `list` and `export`).
pub fn scan_filter(
    filter: Option<String>,
    where_: &[String],
    expr: &ExpressionArgs,
) -> Result<(Option<String>, Placeholders), AppError> {
    let mut ph = Placeholders::default();
    expr.merge_into(&mut ph)?;
    let mut filters = Vec::new();
    for spec in where_ {
        let (name, value) = parse_assignment(spec, ValueType::Infer)?;
        let name = ph.path(&name);
        let value = ph.value(value);
        filters.push(format!("{name} = {value}"));
    }
    let generated = (!filters.is_empty()).then(|| filters.join(" AND "));
    Ok((and_conditions(generated, filter), ph))
}

pub async fn list(args: ListArgs, ctx: &Context) -> Result<Outcome, AppError> {
    let table = &args.table.table;
    let (filter, ph) = scan_filter(args.filter.clone(), &args.where_, &args.expr)?;
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

    let mut listed = Listed {
        items: Vec::new(),
        count: 0,
        scanned_count: 0,
        last_evaluated_key: None,
        pages: 0,
    };
    loop {
        let mut payload = base.clone();
        if let Some(key) = start_key.take() {
            payload.insert("ExclusiveStartKey".into(), key);
        }
        let event = event(Operation::List, Some(table), Some(Value::Object(payload)));
        let reply = call_or_return!(call(ctx, event, true));
        listed.pages += 1;
        let number = |name: &str| reply.value.get(name).and_then(Value::as_u64).unwrap_or(0);
        if let Some(page) = reply.value.get("Items").and_then(Value::as_array) {
            listed.items.extend(page.iter().cloned());
        }
        listed.count += number("Count");
        listed.scanned_count += number("ScannedCount");
        start_key = reply
            .value
            .get("LastEvaluatedKey")
            .filter(|k| k.is_object())
            .cloned();
        if !args.all || start_key.is_none() {
            break;
        }
        ctx.printer.detail(
            1,
            format!("page {}: {} items so far", listed.pages, listed.items.len()),
        );
    }
    listed.last_evaluated_key = start_key;
    Ok(Outcome::ok(ListReport(listed)))
}
