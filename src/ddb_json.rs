//! DynamoDB JSON (`{"S": "x"}`, `{"N": "1.5"}`, `{"B": base64}`, SS, NS,
//! BS, BOOL, NULL, L, M) — the format AWS's own S3 export writes — to and
//! from the SDK's AttributeValue, and down to plain JSON (numbers exact, sets
//! as sorted lists, binary as base64: the lossy part).

use std::cmp::Ordering;
use std::collections::HashMap;

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine;
use serde_json::{json, Map, Value};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(text: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| format!("binary value is not base64: {e}"))
}

/// An AttributeValue as DynamoDB JSON.
pub fn to_json(av: &AttributeValue) -> Value {
    match av {
        AttributeValue::S(s) => json!({ "S": s }),
        AttributeValue::N(n) => json!({ "N": n }),
        AttributeValue::B(b) => json!({ "B": b64(b.as_ref()) }),
        AttributeValue::Ss(v) => json!({ "SS": v }),
        AttributeValue::Ns(v) => json!({ "NS": v }),
        AttributeValue::Bs(v) => {
            json!({ "BS": v.iter().map(|b| b64(b.as_ref())).collect::<Vec<_>>() })
        }
        AttributeValue::Bool(b) => json!({ "BOOL": b }),
        AttributeValue::Null(_) => json!({ "NULL": true }),
        AttributeValue::L(items) => json!({ "L": items.iter().map(to_json).collect::<Vec<_>>() }),
        AttributeValue::M(map) => json!({ "M": item_to_json(map) }),
        _ => Value::Null,
    }
}

/// An item as a DynamoDB JSON map (attribute names sorted: stable output).
pub fn item_to_json(item: &HashMap<String, AttributeValue>) -> Map<String, Value> {
    let mut names: Vec<&String> = item.keys().collect();
    names.sort();
    names
        .into_iter()
        .map(|k| (k.clone(), to_json(&item[k])))
        .collect()
}

/// DynamoDB JSON to an AttributeValue; the error names what is wrong.
pub fn from_json(value: &Value) -> Result<AttributeValue, String> {
    let map = value.as_object().filter(|m| m.len() == 1).ok_or_else(|| {
        format!("not a DynamoDB JSON value (one type key, like {{\"S\": \"x\"}}): {value}")
    })?;
    let (tag, inner) = map.iter().next().expect("one entry");
    let strings = |v: &Value| -> Result<Vec<String>, String> {
        v.as_array()
            .ok_or_else(|| format!("{tag} must be a list"))?
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("{tag} holds a non-string"))
            })
            .collect()
    };
    Ok(match tag.as_str() {
        "S" => AttributeValue::S(inner.as_str().ok_or("S must be a string")?.to_string()),
        "N" => AttributeValue::N(number_text(inner)?),
        "B" => AttributeValue::B(Blob::new(unb64(
            inner.as_str().ok_or("B must be base64 text")?,
        )?)),
        "SS" => AttributeValue::Ss(strings(inner)?),
        "NS" => AttributeValue::Ns(
            inner
                .as_array()
                .ok_or("NS must be a list")?
                .iter()
                .map(number_text)
                .collect::<Result<_, _>>()?,
        ),
        "BS" => AttributeValue::Bs(
            strings(inner)?
                .iter()
                .map(|s| unb64(s).map(Blob::new))
                .collect::<Result<_, _>>()?,
        ),
        "BOOL" => AttributeValue::Bool(inner.as_bool().ok_or("BOOL must be true or false")?),
        "NULL" => AttributeValue::Null(true),
        "L" => AttributeValue::L(
            inner
                .as_array()
                .ok_or("L must be a list")?
                .iter()
                .map(from_json)
                .collect::<Result<_, _>>()?,
        ),
        "M" => AttributeValue::M(item_from_json(inner.as_object().ok_or("M must be a map")?)?),
        other => return Err(format!("unknown DynamoDB type `{other}`")),
    })
}

/// A number as text: `"1.5"` (DynamoDB JSON) or a bare JSON number.
fn number_text(v: &Value) -> Result<String, String> {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err("N must be a number as text".into()),
    };
    crate::event::parse_number(&text).map_err(|_| format!("`{text}` is not a number"))?;
    Ok(text)
}

pub fn item_from_json(map: &Map<String, Value>) -> Result<HashMap<String, AttributeValue>, String> {
    map.iter()
        .map(|(k, v)| {
            from_json(v)
                .map(|av| (k.clone(), av))
                .map_err(|e| format!("{k}: {e}"))
        })
        .collect()
}

/// An AttributeValue as plain JSON: numbers exact, sets as sorted lists,
/// binary as base64 (what plain JSON cannot tell apart is the lossy part).
pub fn to_plain(av: &AttributeValue) -> Value {
    let number = |n: &str| {
        crate::event::parse_number(n)
            .map(Value::Number)
            .unwrap_or_else(|_| Value::String(n.to_string()))
    };
    match av {
        AttributeValue::S(s) => Value::String(s.clone()),
        AttributeValue::N(n) => number(n),
        AttributeValue::B(b) => Value::String(b64(b.as_ref())),
        AttributeValue::Ss(v) => {
            let mut v = v.clone();
            v.sort();
            json!(v)
        }
        AttributeValue::Ns(v) => {
            let mut v = v.clone();
            v.sort_by(|a, b| cmp_numbers(a, b));
            Value::Array(v.iter().map(|n| number(n)).collect())
        }
        AttributeValue::Bs(v) => {
            let mut v: Vec<&[u8]> = v.iter().map(|b| b.as_ref()).collect();
            v.sort();
            json!(v.iter().map(|b| b64(b)).collect::<Vec<_>>())
        }
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::Null(_) => Value::Null,
        AttributeValue::L(items) => Value::Array(items.iter().map(to_plain).collect()),
        AttributeValue::M(map) => Value::Object(item_to_plain(map)),
        _ => Value::Null,
    }
}

/// An item as plain JSON (attribute names sorted: stable output).
pub fn item_to_plain(item: &HashMap<String, AttributeValue>) -> Map<String, Value> {
    let mut names: Vec<&String> = item.keys().collect();
    names.sort();
    names
        .into_iter()
        .map(|k| (k.clone(), to_plain(&item[k])))
        .collect()
}

/// Compares two decimal numbers exactly (as text, no floating point).
pub fn cmp_numbers(a: &str, b: &str) -> Ordering {
    let parse = |t: &str| -> (bool, Option<(String, i64)>) {
        (t.trim().starts_with('-'), crate::limits::decompose(t))
    };
    let ((neg_a, da), (neg_b, db)) = (parse(a), parse(b));
    let sign = |neg: bool, d: &Option<(String, i64)>| match d {
        None => 0,
        Some(_) if neg => -1,
        Some(_) => 1,
    };
    let (sa, sb) = (sign(neg_a, &da), sign(neg_b, &db));
    if sa != sb {
        return sa.cmp(&sb);
    }
    let (Some((digits_a, exp_a)), Some((digits_b, exp_b))) = (da, db) else {
        return Ordering::Equal; // both zero
    };
    let magnitude = exp_a.cmp(&exp_b).then_with(|| {
        let width = digits_a.len().max(digits_b.len());
        format!("{digits_a:0<width$}").cmp(&format!("{digits_b:0<width$}"))
    });
    if sa < 0 {
        magnitude.reverse()
    } else {
        magnitude
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_round_trips_through_dynamodb_json() {
        let text = r#"{"s":{"S":""},"n":{"N":"99999999999999999999999999999999999999"},"tiny":{"N":"1E-130"},
            "b":{"B":"AAEC"},"ss":{"SS":["b","a"]},"ns":{"NS":["10","-1.5","2"]},"bs":{"BS":["AQ==","AA=="]},
            "t":{"BOOL":true},"z":{"NULL":true},"l":{"L":[{"S":"x"},{"N":"1"}]},"m":{"M":{"k":{"S":"v"}}}}"#;
        let doc: Value = serde_json::from_str(text).unwrap();
        let item = item_from_json(doc.as_object().unwrap()).unwrap();
        assert_eq!(item["b"], AttributeValue::B(Blob::new(vec![0, 1, 2])));
        let back = item_to_json(&item);
        assert_eq!(Value::Object(back), doc);
        let plain = item_to_plain(&item);
        assert_eq!(
            plain["n"].to_string(),
            "99999999999999999999999999999999999999"
        );
        assert_eq!(plain["tiny"].to_string(), "1e-130"); // the same number: serde_json writes a lower-case exponent
        assert_eq!(plain["ss"], json!(["a", "b"]));
        assert_eq!(
            Value::Array(plain["ns"].as_array().unwrap().clone()).to_string(),
            "[-1.5,2,10]"
        );
        assert_eq!(plain["bs"], json!(["AA==", "AQ=="]));
        assert_eq!(plain["b"], json!("AAEC"));
        assert_eq!(plain["z"], Value::Null);
    }

    #[test]
    fn bad_dynamodb_json_is_named() {
        assert!(from_json(&json!({"X": 1}))
            .unwrap_err()
            .contains("unknown DynamoDB type"));
        assert!(from_json(&json!({"N": "abc"}))
            .unwrap_err()
            .contains("not a number"));
        assert!(from_json(&json!("plain")).is_err());
        assert!(from_json(&json!({"B": "!!"}))
            .unwrap_err()
            .contains("base64"));
    }

    #[test]
    fn numbers_compare_exactly() {
        assert_eq!(cmp_numbers("10", "9"), Ordering::Greater);
        assert_eq!(cmp_numbers("-10", "-9"), Ordering::Less);
        assert_eq!(cmp_numbers("0.1", "1E-1"), Ordering::Equal);
        assert_eq!(
            cmp_numbers(
                "12345678901234567890.123456789",
                "12345678901234567890.123456788"
            ),
            Ordering::Greater
        );
        assert_eq!(cmp_numbers("0", "-0.0"), Ordering::Equal);
    }
}
