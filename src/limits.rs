//! DynamoDB's limits on values, checked before anything is sent: moto accepts
//! some of what DynamoDB refuses, and boto3 fails on others with a bare
//! decimal exception, so the record's own fault must be found here.

use serde_json::Value;

/// Significant digits DynamoDB keeps in a number.
pub const MAX_NUMBER_DIGITS: usize = 38;
/// Decimal exponent of the smallest (1E-130) and largest (9.99…E+125) magnitudes.
pub const MIN_NUMBER_EXPONENT: i64 = -130;
pub const MAX_NUMBER_EXPONENT: i64 = 125;
/// Levels of nested lists and maps DynamoDB accepts.
pub const MAX_NESTING: usize = 32;

/// A JSON number's significant digits and the decimal exponent of its
/// leading digit (`123.4` -> ("1234", 2)); None for zero.
pub fn decompose(text: &str) -> Option<(String, i64)> {
    let text = text.trim().trim_start_matches(['-', '+']);
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i64>().unwrap_or(i64::MAX)),
        None => (text, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int_part}{frac_part}");
    let leading_zeros = digits.len() - digits.trim_start_matches('0').len();
    let significant = digits.trim_start_matches('0').trim_end_matches('0');
    if significant.is_empty() {
        return None;
    }
    let magnitude = exponent.saturating_add(int_part.len() as i64 - 1 - leading_zeros as i64);
    Some((significant.to_string(), magnitude))
}

/// A number's value as DynamoDB compares set members: `1`, `1.0` and
/// `10E-1` are one value, `-1` another. None for text that is not a number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum NumberValue {
    Zero,
    /// Sign, significant digits, decimal exponent of the leading digit.
    NonZero(bool, String, i64),
}

pub fn number_value(text: &str) -> Option<NumberValue> {
    let t = text.trim();
    let unsigned = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits_only(e)
    });
    if int_part.len() + frac_part.len() == 0
        || !digits_only(int_part)
        || !digits_only(frac_part)
        || !exponent_ok
    {
        return None;
    }
    Some(match decompose(t) {
        None => NumberValue::Zero,
        Some((digits, magnitude)) => NumberValue::NonZero(t.starts_with('-'), digits, magnitude),
    })
}

/// Why DynamoDB would refuse this number, or None.
pub fn number_problem(text: &str) -> Option<String> {
    let (digits, magnitude) = decompose(text)?;
    if digits.len() > MAX_NUMBER_DIGITS {
        return Some(format!(
            "number {text} has {} significant digits; DynamoDB keeps at most {MAX_NUMBER_DIGITS}",
            digits.len()
        ));
    }
    if !(MIN_NUMBER_EXPONENT..=MAX_NUMBER_EXPONENT).contains(&magnitude) {
        return Some(format!(
            "number {text} is outside DynamoDB's range (magnitude 1E-130 to 9.99E+125)"
        ));
    }
    None
}

/// Why DynamoDB would refuse this attribute value, or None. `depth` is the
/// number of lists/maps around it.
pub fn value_problem(value: &Value, depth: usize) -> Option<String> {
    match value {
        Value::Number(n) => number_problem(&n.to_string()),
        Value::Array(items) => {
            if depth >= MAX_NESTING {
                return Some(nesting());
            }
            items.iter().find_map(|v| value_problem(v, depth + 1))
        }
        Value::Object(map) => {
            if depth >= MAX_NESTING {
                return Some(nesting());
            }
            map.iter().find_map(|(k, v)| {
                if k.is_empty() {
                    Some("an attribute name is empty".to_string())
                } else {
                    value_problem(v, depth + 1)
                }
            })
        }
        _ => None,
    }
}

/// Why DynamoDB would refuse this item (its attribute names and values), or None.
pub fn item_problem(item: &serde_json::Map<String, Value>) -> Option<String> {
    item.iter().find_map(|(k, v)| {
        if k.is_empty() {
            Some("an attribute name is empty".to_string())
        } else {
            value_problem(v, 0)
        }
    })
}

fn nesting() -> String {
    format!("attribute values nest deeper than {MAX_NESTING} levels (DynamoDB's limit)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_values_compare_by_value_and_sign() {
        let v = |t| number_value(t).unwrap();
        assert_eq!(v("1"), v("1.0"));
        assert_eq!(v("1"), v("10E-1"));
        assert_eq!(v("+1"), v("0.1e1"));
        assert_ne!(v("1"), v("-1"));
        assert_ne!(v("-1"), v("-10"));
        assert_eq!(v("0"), v("-0.0"));
        assert_eq!(v("0"), v("0E5"));
        for bad in ["", "-", "abc", "1.2.3", "1e", "e5", "1x", "--1", ".", "1e+"] {
            assert_eq!(number_value(bad), None, "{bad}");
        }
    }
    use serde_json::json;

    #[test]
    fn numbers_within_dynamodb_limits_pass() {
        for ok in [
            "0",
            "0.000",
            "-1",
            &"9".repeat(38),
            "1E-130",
            "9.9999999999999999999999999999999999999E+125",
            "12345678901234567890.123456789",
            "100000000000000000000000000000000000000000", // 1 significant digit
        ] {
            assert_eq!(number_problem(ok), None, "{ok}");
        }
    }

    #[test]
    fn numbers_beyond_dynamodb_limits_are_named() {
        let p = number_problem(&"9".repeat(39)).unwrap();
        assert!(p.contains("39 significant digits"), "{p}");
        for bad in ["1e400", "1E126", "1E-131", "-5e-200"] {
            assert!(
                number_problem(bad).unwrap().contains("range"),
                "{bad} out of range"
            );
        }
    }

    #[test]
    fn empty_names_and_deep_nesting_are_refused() {
        let item = json!({"id": "1", "": 2});
        assert!(item_problem(item.as_object().unwrap())
            .unwrap()
            .contains("empty"));
        let nested = json!({"id": "1", "m": {"a": {"": 1}}});
        assert!(item_problem(nested.as_object().unwrap()).is_some());
        let mut deep = json!(1);
        for _ in 0..32 {
            deep = json!({ "d": deep });
        }
        let ok = json!({ "x": deep.clone() });
        assert_eq!(item_problem(ok.as_object().unwrap()), None);
        let too_deep = json!({ "x": [deep] });
        assert!(item_problem(too_deep.as_object().unwrap())
            .unwrap()
            .contains("nest deeper"));
    }
}
