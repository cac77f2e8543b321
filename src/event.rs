//! The dispatcher contract: `{"operation", "tableName", "payload"}` and the
//! builders that turn command-line shorthand into boto3 resource-level kwargs.
//!
//! Numbers stay as their JSON text (serde_json `arbitrary_precision`): no f64.

use std::io::Read;

use serde_json::{Map, Number, Value};

use crate::error::AppError;

/// The operations of the contract (plus the additive `batch`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
    List,
    Echo,
    Ping,
    Batch,
}

impl Operation {
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Read => "read",
            Operation::Update => "update",
            Operation::Delete => "delete",
            Operation::List => "list",
            Operation::Echo => "echo",
            Operation::Ping => "ping",
            Operation::Batch => "batch",
        }
    }
}

/// Builds a contract event. Key order is the tutorial's.
pub fn event(operation: Operation, table: Option<&str>, payload: Option<Value>) -> Value {
    let mut event = Map::new();
    event.insert("operation".into(), operation.as_str().into());
    if let Some(table) = table {
        event.insert("tableName".into(), table.into());
    }
    if let Some(payload) = payload {
        event.insert("payload".into(), payload);
    }
    Value::Object(event)
}

// ------------------------------------------------------------------ reading JSON

/// Reads JSON text given inline, as `@path`, or `-` for stdin.
pub fn read_json_arg(arg: &str, what: &str) -> Result<Value, AppError> {
    let (text, source) = read_text_arg(arg, what)?;
    parse_json(&text, &source)
}

/// Inline text, `@path` or `-` (stdin) -> (text, a name for error messages).
pub fn read_text_arg(arg: &str, what: &str) -> Result<(String, String), AppError> {
    if arg == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| AppError::io("read", format!("{what} from stdin"), e))?;
        Ok((text, "stdin".into()))
    } else if let Some(path) = arg.strip_prefix('@') {
        let text = std::fs::read_to_string(path).map_err(|e| AppError::io("read", path, e))?;
        Ok((text, path.to_string()))
    } else {
        Ok((arg.to_string(), what.to_string()))
    }
}

/// Parses JSON; the error names the source, line and column.
pub fn parse_json(text: &str, source: &str) -> Result<Value, AppError> {
    // serde_json's message ends with "at line L column C".
    serde_json::from_str(text).map_err(|e| AppError::input(source, format!("invalid JSON: {e}")))
}

pub fn expect_object(value: Value, what: &str) -> Result<Map<String, Value>, AppError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(AppError::usage(format!(
            "{what} must be a JSON object, got {}",
            json_type(&other)
        ))),
    }
}

pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

// ------------------------------------------------------------------ typed shorthand

/// How the text after `=` in `name[:type]=value` is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    String,
    Number,
    Bool,
    Null,
    Json,
    /// JSON literal if it parses (32 -> number, true -> bool), else a string.
    Infer,
}

/// Parses `name[:type]=value`. `default` applies when no `:type` is given.
pub fn parse_assignment(spec: &str, default: ValueType) -> Result<(String, Value), AppError> {
    let Some((lhs, raw)) = spec.split_once('=') else {
        return Err(AppError::usage(format!(
            "`{spec}`: expected NAME=VALUE (or NAME:TYPE=VALUE with TYPE one of s, n, bool, null, json)"
        )));
    };
    let (name, ty) = match lhs.rsplit_once(':') {
        Some((name, ty)) => (name, parse_type(ty, spec)?),
        None => (lhs, default),
    };
    if name.is_empty() {
        return Err(AppError::usage(format!(
            "`{spec}`: the attribute name is empty"
        )));
    }
    Ok((name.to_string(), typed_value(raw, ty, spec)?))
}

fn parse_type(ty: &str, spec: &str) -> Result<ValueType, AppError> {
    Ok(match ty {
        "s" | "S" | "str" | "string" => ValueType::String,
        "n" | "N" | "num" | "number" => ValueType::Number,
        "bool" | "BOOL" => ValueType::Bool,
        "null" | "NULL" => ValueType::Null,
        "json" => ValueType::Json,
        other => {
            return Err(AppError::usage(format!(
                "`{spec}`: unknown type `{other}`; use s, n, bool, null or json"
            )))
        }
    })
}

pub fn typed_value(raw: &str, ty: ValueType, spec: &str) -> Result<Value, AppError> {
    Ok(match ty {
        ValueType::String => Value::String(raw.to_string()),
        ValueType::Number => Value::Number(parse_number(raw).map_err(|_| {
            AppError::usage(format!(
                "`{spec}`: `{raw}` is not a number (example: 42, -1.5, 1e3)"
            ))
        })?),
        ValueType::Bool => match raw {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(AppError::usage(format!("`{spec}`: expected true or false"))),
        },
        ValueType::Null => Value::Null,
        ValueType::Json => parse_json(raw, spec)?,
        ValueType::Infer => serde_json::from_str(raw).unwrap_or_else(|_| Value::String(raw.into())),
    })
}

/// A JSON number kept as its exact text.
pub fn parse_number(text: &str) -> Result<Number, serde_json::Error> {
    serde_json::from_str::<Number>(text.trim())
}

/// `--key` values: each a JSON object, or `name[:s|n]=value` (string by default).
pub fn parse_key(specs: &[String]) -> Result<Map<String, Value>, AppError> {
    let mut key = Map::new();
    for spec in specs {
        if spec.trim_start().starts_with('{') {
            key.extend(expect_object(parse_json(spec, "--key")?, "--key")?);
        } else {
            let (name, value) = parse_assignment(spec, ValueType::String)?;
            if !matches!(value, Value::String(_) | Value::Number(_)) {
                return Err(AppError::usage(format!(
                    "`{spec}`: key attributes are strings or numbers (use name=value or name:n=42)"
                )));
            }
            key.insert(name, value);
        }
    }
    if key.is_empty() {
        return Err(AppError::usage(
            "a key is required: --key id=1 (or --key '{\"id\":\"1\"}')",
        ));
    }
    Ok(key)
}

// ------------------------------------------------------------------ expressions

/// Placeholders the builders generate: `#_0`, `:_0`. Users' own placeholders
/// (from --names / --values) must not collide with them.
#[derive(Default, Debug)]
pub struct Placeholders {
    pub names: Map<String, Value>,
    pub values: Map<String, Value>,
}

impl Placeholders {
    /// `a.b.c` -> `#_0.#_1.#_2` (a name seen before reuses its placeholder).
    pub fn path(&mut self, path: &str) -> String {
        let segments: Vec<String> = path.split('.').map(|s| self.path_segment(s)).collect();
        segments.join(".")
    }

    pub fn value(&mut self, value: Value) -> String {
        let key = fresh_key(&self.values, ":_");
        self.values.insert(key.clone(), value);
        key
    }

    /// Merges user-given names/values, refusing collisions with generated ones.
    pub fn merge_user(
        &mut self,
        names: Option<Map<String, Value>>,
        values: Option<Map<String, Value>>,
    ) -> Result<(), AppError> {
        for (k, v) in names.into_iter().flatten() {
            if !k.starts_with('#') {
                return Err(AppError::usage(format!(
                    "--names key `{k}` must start with # (example: {{\"#n\": \"name\"}})"
                )));
            }
            if self.names.insert(k.clone(), v).is_some() {
                return Err(AppError::usage(format!("placeholder {k} is defined twice")));
            }
        }
        for (k, v) in values.into_iter().flatten() {
            if !k.starts_with(':') {
                return Err(AppError::usage(format!(
                    "--values key `{k}` must start with : (example: {{\":v\": 1}})"
                )));
            }
            if self.values.insert(k.clone(), v).is_some() {
                return Err(AppError::usage(format!("placeholder {k} is defined twice")));
            }
        }
        Ok(())
    }

    /// Adds `ExpressionAttributeNames` / `ExpressionAttributeValues` when non-empty.
    pub fn apply(self, payload: &mut Map<String, Value>) {
        if !self.names.is_empty() {
            payload.insert("ExpressionAttributeNames".into(), Value::Object(self.names));
        }
        if !self.values.is_empty() {
            payload.insert(
                "ExpressionAttributeValues".into(),
                Value::Object(self.values),
            );
        }
    }
}

/// `--set` / `--remove` / `--add` -> an UpdateExpression.
#[derive(Default, Debug)]
pub struct UpdateSpec {
    pub set: Vec<(String, Value)>,
    pub remove: Vec<String>,
    pub add: Vec<(String, Value)>,
}

impl UpdateSpec {
    pub fn is_empty(&self) -> bool {
        self.set.is_empty() && self.remove.is_empty() && self.add.is_empty()
    }

    pub fn expression(&self, ph: &mut Placeholders) -> String {
        let mut clauses = Vec::new();
        if !self.set.is_empty() {
            let parts: Vec<String> = self
                .set
                .iter()
                .map(|(path, value)| format!("{} = {}", ph.path(path), ph.value(value.clone())))
                .collect();
            clauses.push(format!("SET {}", parts.join(", ")));
        }
        if !self.remove.is_empty() {
            let parts: Vec<String> = self.remove.iter().map(|p| ph.path(p)).collect();
            clauses.push(format!("REMOVE {}", parts.join(", ")));
        }
        if !self.add.is_empty() {
            let parts: Vec<String> = self
                .add
                .iter()
                .map(|(path, value)| format!("{} {}", ph.path(path), ph.value(value.clone())))
                .collect();
            clauses.push(format!("ADD {}", parts.join(", ")));
        }
        clauses.join(" ")
    }
}

/// Condition that holds only when no item with the new item's key exists.
///
/// The key attributes are not known here, but every existing item has its key
/// attributes, and they are scalar strings or numbers present in the new item;
/// so "none of the item's scalar attributes exists" fails exactly when an
/// item with that key is already stored.
pub fn if_absent_condition(item: &Map<String, Value>, ph: &mut Placeholders) -> Option<String> {
    let parts: Vec<String> = item
        .iter()
        .filter(|(_, v)| matches!(v, Value::String(_) | Value::Number(_)))
        .map(|(name, _)| format!("attribute_not_exists({})", ph.path_segment(name)))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

/// Condition that holds only when an item with this key exists.
pub fn if_exists_condition(key: &Map<String, Value>, ph: &mut Placeholders) -> Option<String> {
    key.keys()
        .next()
        .map(|name| format!("attribute_exists({})", ph.path_segment(name)))
}

impl Placeholders {
    /// A single attribute name (no path splitting: key names may contain dots).
    pub fn path_segment(&mut self, name: &str) -> String {
        if let Some((k, _)) = self.names.iter().find(|(_, v)| v.as_str() == Some(name)) {
            return k.clone();
        }
        let key = fresh_key(&self.names, "#_");
        self.names.insert(key.clone(), name.into());
        key
    }
}

/// `{prefix}N` for the first N not already taken (by the user's own
/// placeholders or earlier generated ones): a generated placeholder never
/// replaces one the user wrote.
fn fresh_key(taken: &Map<String, Value>, prefix: &str) -> String {
    (taken.len()..)
        .map(|n| format!("{prefix}{n}"))
        .find(|k| !taken.contains_key(k))
        .expect("an unused placeholder exists")
}

/// Combines an optional generated condition with an optional user condition.
pub fn and_conditions(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("({a}) AND ({b})")),
        (a, b) => a.or(b),
    }
}

// ------------------------------------------------------------------ exact numbers

/// True when some number in `value` would not survive the Lambda Python
/// runtime, which parses events with floats: a fractional or exponent number
/// with more than 15 significant digits (a double keeps 15 exactly), or an
/// exponent beyond a double's range. Integers are parsed as Python ints: exact.
pub fn needs_exact_text(value: &Value) -> bool {
    match value {
        Value::Number(n) => !survives_float(&n.to_string()),
        Value::Array(items) => items.iter().any(needs_exact_text),
        Value::Object(map) => map.values().any(needs_exact_text),
        _ => false,
    }
}

fn survives_float(text: &str) -> bool {
    let plain = text.trim_start_matches('-');
    if !plain.contains(['.', 'e', 'E']) {
        return true; // an integer: Python keeps it exact
    }
    match crate::limits::decompose(text) {
        None => true, // zero
        Some((digits, magnitude)) => digits.len() <= 15 && (-300..=300).contains(&magnitude),
    }
}

/// Refuses, before sending, payload values DynamoDB would refuse (numbers
/// beyond 38 digits or its range, empty attribute names, deep nesting).
pub fn check_payload_values(payload: &Map<String, Value>) -> Result<(), AppError> {
    for field in [
        "Item",
        "Key",
        "ExclusiveStartKey",
        "ExpressionAttributeValues",
    ] {
        if let Some(Value::Object(map)) = payload.get(field) {
            if let Some(problem) = crate::limits::item_problem(map) {
                return Err(AppError::usage(format!(
                    "{field}: {problem}; DynamoDB would refuse it"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_shorthand_is_string_unless_typed() {
        let key = parse_key(&["id=1".into(), "sort:n=2.50".into()]).unwrap();
        assert_eq!(Value::Object(key).to_string(), r#"{"id":"1","sort":2.50}"#);
    }

    #[test]
    fn key_accepts_json_and_rejects_garbage() {
        let key = parse_key(&[r#"{"pk":"a","sk":7}"#.into()]).unwrap();
        assert_eq!(key["sk"], json!(7));
        let err = parse_key(&["id:n=abc".into()]).unwrap_err().to_string();
        assert!(err.contains("`abc` is not a number"), "{err}");
        assert!(parse_key(&["noequals".into()])
            .unwrap_err()
            .to_string()
            .contains("NAME=VALUE"));
        assert!(parse_key(&[]).is_err());
        assert!(parse_key(&["ok:bool=true".into()]).is_err());
    }

    #[test]
    fn set_values_infer_json_literals() {
        let (n, v) = parse_assignment("age=32", ValueType::Infer).unwrap();
        assert_eq!((n.as_str(), v), ("age", json!(32)));
        let (_, v) = parse_assignment("name=Bea", ValueType::Infer).unwrap();
        assert_eq!(v, json!("Bea"));
        let (_, v) = parse_assignment("zip:s=007", ValueType::Infer).unwrap();
        assert_eq!(v, json!("007"));
        let (_, v) = parse_assignment("tags=[\"a\"]", ValueType::Infer).unwrap();
        assert_eq!(v, json!(["a"]));
        assert!(parse_assignment("x:weird=1", ValueType::Infer).is_err());
    }

    #[test]
    fn numbers_keep_their_exact_text() {
        let n = parse_number("12345678901234567890.123456789").unwrap();
        assert_eq!(n.to_string(), "12345678901234567890.123456789");
        let v: Value = serde_json::from_str(r#"{"p":0.1,"q":19.99}"#).unwrap();
        assert_eq!(v.to_string(), r#"{"p":0.1,"q":19.99}"#);
        assert!(parse_number("007").is_err());
    }

    #[test]
    fn update_expression_uses_placeholders_for_reserved_words() {
        let spec = UpdateSpec {
            set: vec![
                ("name".into(), json!("Bea")),
                ("address.city".into(), json!("Porto")),
            ],
            remove: vec!["nickname".into()],
            add: vec![("visits".into(), json!(1))],
        };
        let mut ph = Placeholders::default();
        let expr = spec.expression(&mut ph);
        assert_eq!(expr, "SET #_0 = :_0, #_1.#_2 = :_1 REMOVE #_3 ADD #_4 :_2");
        assert_eq!(ph.names["#_0"], json!("name"));
        assert_eq!(ph.names["#_2"], json!("city"));
        assert_eq!(ph.values[":_2"], json!(1));
    }

    #[test]
    fn user_placeholders_cannot_collide() {
        let mut ph = Placeholders::default();
        ph.path("name");
        let clash = Map::from_iter([("#_0".to_string(), json!("x"))]);
        assert!(ph.merge_user(Some(clash), None).is_err());
        let bad = Map::from_iter([("n".to_string(), json!("x"))]);
        assert!(Placeholders::default().merge_user(Some(bad), None).is_err());
    }

    #[test]
    fn generated_placeholders_never_replace_the_users() {
        let mut ph = Placeholders::default();
        let names = Map::from_iter([("#_1".to_string(), json!("status"))]);
        let values = Map::from_iter([(":_1".to_string(), json!("locked"))]);
        ph.merge_user(Some(names), Some(values)).unwrap();
        let spec = UpdateSpec {
            set: vec![("note".into(), json!("hello")), ("other".into(), json!(2))],
            ..UpdateSpec::default()
        };
        let expr = spec.expression(&mut ph);
        assert_eq!(ph.names["#_1"], json!("status"));
        assert_eq!(ph.values[":_1"], json!("locked"));
        assert!(!expr.contains("#_1") && !expr.contains(":_1"), "{expr}");
        assert_eq!(ph.names.len(), 3);
        assert_eq!(ph.values.len(), 3);
    }

    #[test]
    fn if_absent_covers_every_scalar_attribute() {
        let item = expect_object(json!({"id": "1", "n": 2, "tags": ["a"]}), "item").unwrap();
        let mut ph = Placeholders::default();
        let cond = if_absent_condition(&item, &mut ph).unwrap();
        assert_eq!(
            cond,
            "attribute_not_exists(#_0) AND attribute_not_exists(#_1)"
        );
        assert_eq!(
            and_conditions(Some("a".into()), Some("b".into())).unwrap(),
            "(a) AND (b)"
        );
    }

    #[test]
    fn exact_text_needed_only_beyond_double_precision() {
        let cases = [
            ("0.1", false),
            ("19.99", false),
            ("4.5", false),
            ("123456789012345678901234567890", false), // integers are exact in Python
            ("123456789012345.6", true),               // 16 significant digits
            ("12345678901234567890.123456789", true),
            ("0.000000000000001234", false),
            ("1e400", true),
            ("1.5e-320", true),
            ("0.0", false),
        ];
        for (text, expected) in cases {
            let v: Value = serde_json::from_str(text).unwrap();
            assert_eq!(needs_exact_text(&v), expected, "{text}");
        }
    }
}
