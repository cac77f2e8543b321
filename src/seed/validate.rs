//! Checks before sending: key attributes present with the right type, item
//! within DynamoDB's 400 KB limit.

use serde_json::{Map, Value};

/// DynamoDB's maximum item size.
pub const MAX_ITEM_BYTES: usize = 400 * 1024;

/// The table's key attributes and their types (S, N or B).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct KeySchema {
    pub attributes: Vec<(String, String)>,
}

impl KeySchema {
    /// The key of `item` as text, to spot duplicates within a batch.
    pub fn key_of(&self, item: &Map<String, Value>) -> String {
        self.attributes
            .iter()
            .map(|(name, _)| item.get(name).map(Value::to_string).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\u{1f}")
    }
}

/// Why `item` cannot be written, if it cannot.
pub fn check(item: &Map<String, Value>, schema: Option<&KeySchema>) -> Result<(), String> {
    if let Some(schema) = schema {
        for (name, ty) in &schema.attributes {
            let Some(value) = item.get(name) else {
                return Err(format!("missing key attribute \"{name}\""));
            };
            let ok = match (ty.as_str(), value) {
                ("S", Value::String(s)) => !s.is_empty(),
                ("B", Value::String(s)) => {
                    use base64::Engine;
                    !s.is_empty() && base64::engine::general_purpose::STANDARD.decode(s).is_ok()
                }
                ("N", Value::Number(_)) => true,
                _ => false,
            };
            if !ok {
                let expected = match ty.as_str() {
                    "N" => "a number",
                    "B" => "base64 binary text",
                    _ => "a non-empty string",
                };
                return Err(format!(
                    "key attribute \"{name}\" must be {expected} (type {ty}), got {}",
                    describe(value)
                ));
            }
        }
    }
    if let Some(problem) = crate::limits::item_problem(item) {
        return Err(problem);
    }
    let size = item_size(item);
    if size > MAX_ITEM_BYTES {
        return Err(format!(
            "item is {size} bytes, over DynamoDB's 400 KB item limit"
        ));
    }
    Ok(())
}

fn describe(value: &Value) -> String {
    match value {
        Value::String(s) if s.is_empty() => "an empty string".into(),
        other => crate::event::json_type(other).into(),
    }
}

/// DynamoDB's item size: attribute names plus values (strings by UTF-8
/// length, numbers ~1 byte per 2 significant digits + 1, 3 bytes of overhead
/// per list or map plus 1 per element).
pub fn item_size(item: &Map<String, Value>) -> usize {
    item.iter().map(|(k, v)| k.len() + value_size(v)).sum()
}

fn value_size(value: &Value) -> usize {
    match value {
        Value::String(s) => s.len(),
        Value::Number(n) => {
            let digits = n.to_string().chars().filter(char::is_ascii_digit).count();
            digits.div_ceil(2) + 1
        }
        Value::Bool(_) | Value::Null => 1,
        Value::Array(items) => 3 + items.iter().map(|v| value_size(v) + 1).sum::<usize>(),
        Value::Object(map) => {
            3 + map
                .iter()
                .map(|(k, v)| k.len() + value_size(v) + 1)
                .sum::<usize>()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn keys_must_be_present_and_typed() {
        let schema = KeySchema {
            attributes: vec![("id".into(), "S".into()), ("n".into(), "N".into())],
        };
        assert!(check(&obj(json!({"id": "1", "n": 2})), Some(&schema)).is_ok());
        assert_eq!(
            check(&obj(json!({"n": 2})), Some(&schema)).unwrap_err(),
            "missing key attribute \"id\""
        );
        let err = check(&obj(json!({"id": 1, "n": 2})), Some(&schema)).unwrap_err();
        assert!(
            err.contains("must be a non-empty string") && err.contains("got a number"),
            "{err}"
        );
        let err = check(&obj(json!({"id": "", "n": 2})), Some(&schema)).unwrap_err();
        assert!(err.contains("got an empty string"), "{err}");
        assert!(check(&obj(json!({"id": "1", "n": "2"})), Some(&schema)).is_err());
        assert!(check(&obj(json!({"anything": 1})), None).is_ok());
    }

    #[test]
    fn oversized_items_are_refused() {
        let big = "x".repeat(MAX_ITEM_BYTES);
        let err = check(&obj(json!({"id": "1", "blob": big})), None).unwrap_err();
        assert!(err.contains("400 KB"), "{err}");
        assert_eq!(
            item_size(&obj(json!({"ab": "cde", "n": 12345}))),
            2 + 3 + 1 + 4
        );
    }
}
