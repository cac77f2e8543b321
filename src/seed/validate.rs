//! Checks before sending: key attributes present with the right type, item
//! within DynamoDB's 400 KB limit.

use aws_sdk_dynamodb::types::AttributeValue;
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

/// `check` for a DynamoDB JSON item (`seed --format ddb-jsonl`): the key
/// attributes typed as the table says, sets non-empty without duplicates,
/// numbers and nesting within DynamoDB's limits, the size by DynamoDB's rules.
pub fn check_typed(item: &Map<String, Value>, schema: Option<&KeySchema>) -> Result<(), String> {
    let attributes = crate::ddb_json::item_from_json(item)?;
    if let Some(schema) = schema {
        for (name, ty) in &schema.attributes {
            let Some(value) = item.get(name) else {
                return Err(format!("missing key attribute \"{name}\""));
            };
            let ok = value.get(ty.as_str()).is_some_and(|inner| match inner {
                Value::String(s) => !s.is_empty(),
                _ => ty == "N",
            });
            if !ok {
                return Err(format!(
                    "key attribute \"{name}\" must be a non-empty {ty} value, got {value}"
                ));
            }
        }
    }
    for value in attributes.values() {
        set_problem(value)?;
    }
    let plain = crate::ddb_json::item_to_plain(&attributes);
    if let Some(problem) = crate::limits::item_problem(&plain) {
        return Err(problem);
    }
    let size: usize = attributes
        .iter()
        .map(|(k, v)| k.len() + attribute_size(v))
        .sum();
    if size > MAX_ITEM_BYTES {
        return Err(format!(
            "item is {size} bytes, over DynamoDB's 400 KB item limit"
        ));
    }
    Ok(())
}

/// DynamoDB refuses empty sets and sets with a member twice.
fn set_problem(value: &AttributeValue) -> Result<(), String> {
    fn unique<T: Ord + Clone>(members: &[T], what: &str) -> Result<(), String> {
        let mut sorted = members.to_vec();
        sorted.sort();
        sorted.dedup();
        match (members.is_empty(), sorted.len() == members.len()) {
            (true, _) => Err(format!("an empty {what} (DynamoDB refuses empty sets)")),
            (_, false) => Err(format!("a {what} holds the same member twice")),
            _ => Ok(()),
        }
    }
    match value {
        AttributeValue::Ss(v) => unique(v, "string set"),
        AttributeValue::Ns(v) => {
            // Members are compared by value, sign included (1 = 1.0 = 10E-1).
            let values = v
                .iter()
                .map(|n| {
                    crate::limits::number_value(n)
                        .ok_or_else(|| format!("number set member `{n}` is not a number"))
                })
                .collect::<Result<Vec<_>, String>>()?;
            unique(&values, "number set")
        }
        AttributeValue::Bs(v) => {
            let bytes: Vec<&[u8]> = v.iter().map(|b| b.as_ref()).collect();
            unique(&bytes, "binary set")
        }
        AttributeValue::L(items) => items.iter().try_for_each(set_problem),
        AttributeValue::M(map) => map.values().try_for_each(set_problem),
        _ => Ok(()),
    }
}

/// An attribute value's size by DynamoDB's rules (binary by its bytes).
fn attribute_size(value: &AttributeValue) -> usize {
    let number = |n: &str| {
        crate::limits::decompose(n)
            .map(|(digits, _)| digits.len())
            .unwrap_or(1)
            .div_ceil(2)
            + 1
    };
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number(n),
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Ss(v) => v.iter().map(String::len).sum(),
        AttributeValue::Ns(v) => v.iter().map(|n| number(n)).sum(),
        AttributeValue::Bs(v) => v.iter().map(|b| b.as_ref().len()).sum(),
        AttributeValue::L(items) => 3 + items.iter().map(|v| attribute_size(v) + 1).sum::<usize>(),
        AttributeValue::M(map) => {
            3 + map
                .iter()
                .map(|(k, v)| k.len() + attribute_size(v) + 1)
                .sum::<usize>()
        }
        _ => 1,
    }
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
    fn typed_items_are_checked_like_dynamodb_does() {
        let schema = KeySchema {
            attributes: vec![("id".into(), "S".into())],
        };
        let ok = obj(json!({"id": {"S": "1"}, "ns": {"NS": ["1", "2"]}, "n": {"N": "1E-130"}}));
        assert!(check_typed(&ok, Some(&schema)).is_ok());
        // Members of opposite sign are two members (the sign counts).
        let signs = obj(json!({"id": {"S": "1"}, "ns": {"NS": ["1", "-1", "0.5", "-0.5"]}}));
        assert_eq!(check_typed(&signs, Some(&schema)), Ok(()));
        let cases = [
            (json!({"id": {"N": "1"}}), "must be a non-empty S"),
            (json!({"id": {"S": ""}}), "must be a non-empty S"),
            (json!({"x": {"S": "1"}}), "missing key attribute"),
            (
                json!({"id": {"S": "1"}, "s": {"SS": []}}),
                "empty string set",
            ),
            (
                json!({"id": {"S": "1"}, "s": {"NS": ["1", "1.0"]}}),
                "same member twice",
            ),
            (
                json!({"id": {"S": "1"}, "s": {"NS": ["-1", "10E-1", "-1.00"]}}),
                "same member twice",
            ),
            (
                json!({"id": {"S": "1"}, "s": {"NS": ["1", "one"]}}),
                "`one` is not a number",
            ),
            (
                json!({"id": {"S": "1"}, "n": {"N": "1e400"}}),
                "outside DynamoDB's range",
            ),
            (
                json!({"id": {"S": "1"}, "n": {"Q": "1"}}),
                "unknown DynamoDB type",
            ),
        ];
        for (item, expected) in cases {
            let err = check_typed(&obj(item.clone()), Some(&schema)).unwrap_err();
            assert!(err.contains(expected), "{item}: {err}");
        }
        // Binary counts by its bytes, not its base64 text.
        let blob = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            vec![0u8; 300 * 1024],
        );
        assert!(check_typed(&obj(json!({"id": {"S": "1"}, "b": {"B": blob}})), None).is_ok());
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
