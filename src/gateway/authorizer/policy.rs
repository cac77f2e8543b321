//! The IAM policy a Lambda authorizer returns, evaluated as IAM evaluates
//! it for `execute-api:Invoke` on the method ARN: an explicit `Deny` beats
//! any `Allow`; no matching `Allow` is an implicit deny. `Action` and
//! `Resource` (string or list) take `*` and `?` wildcards; `NotAction` /
//! `NotResource` match what they do not name.

use serde_json::Value;

use crate::gateway::integration::arn_like;

/// What the policy says about one method ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// A `Deny` statement matched (403 "... with an explicit deny").
    ExplicitDeny,
    /// No statement allowed it (403 "User is not authorized to access this resource").
    ImplicitDeny,
}

/// A policy document the gateway cannot evaluate (the authorizer's reply
/// is then an AUTHORIZER_CONFIGURATION_ERROR), with what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

/// The statements of `document`, checked: each has an `Effect` of Allow or
/// Deny, an `Action` (or `NotAction`) and a `Resource` (or `NotResource`).
pub fn statements(document: &Value) -> Result<Vec<&Value>, Malformed> {
    let list: Vec<&Value> = match &document["Statement"] {
        Value::Array(list) => list.iter().collect(),
        statement @ Value::Object(_) => vec![statement],
        _ => return Err(Malformed("the policy has no Statement".into())),
    };
    for (n, statement) in list.iter().enumerate() {
        if !matches!(statement["Effect"].as_str(), Some("Allow" | "Deny")) {
            return Err(Malformed(format!(
                "statement {n}: Effect must be Allow or Deny"
            )));
        }
        let has = |key: &str| !statement[key].is_null();
        if !(has("Action") || has("NotAction")) || !(has("Resource") || has("NotResource")) {
            return Err(Malformed(format!(
                "statement {n}: needs Action and Resource"
            )));
        }
    }
    Ok(list)
}

/// The decision for calling `method_arn` (`execute-api:Invoke`).
pub fn evaluate(statements: &[&Value], method_arn: &str) -> Decision {
    let applies = |s: &Value| {
        listed(s, "Action", "NotAction", "execute-api:Invoke", action_like)
            && listed(s, "Resource", "NotResource", method_arn, arn_like)
    };
    let matching: Vec<&&Value> = statements.iter().filter(|s| applies(s)).collect();
    if matching.iter().any(|s| s["Effect"] == "Deny") {
        Decision::ExplicitDeny
    } else if matching.iter().any(|s| s["Effect"] == "Allow") {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    }
}

/// The statement's `key` names `value` (or its `not_key` does not).
fn listed(
    statement: &Value,
    key: &str,
    not_key: &str,
    value: &str,
    like: fn(&str, &str) -> bool,
) -> bool {
    let names = |v: &Value| -> Vec<String> {
        match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(list) => list
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    match (&statement[key], &statement[not_key]) {
        (Value::Null, not) => !names(not).iter().any(|p| like(p, value)),
        (yes, _) => names(yes).iter().any(|p| like(p, value)),
    }
}

/// Actions compare without case (`execute-api:invoke`), with wildcards.
fn action_like(pattern: &str, action: &str) -> bool {
    arn_like(&pattern.to_ascii_lowercase(), &action.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ARN: &str = "arn:aws:execute-api:us-east-1:123456789012:abc/v1/POST/crud";

    fn decide(document: Value) -> Decision {
        let document = json!({ "Version": "2012-10-17", "Statement": document });
        evaluate(&statements(&document).unwrap(), ARN)
    }

    fn statement(effect: &str, resource: Value) -> Value {
        json!({"Effect": effect, "Action": "execute-api:Invoke", "Resource": resource})
    }

    #[test]
    fn an_allow_on_the_method_arn_allows() {
        assert_eq!(
            decide(json!([statement("Allow", json!(ARN))])),
            Decision::Allow
        );
    }

    #[test]
    fn an_explicit_deny_beats_an_allow_on_the_same_arn() {
        let both = json!([
            statement("Allow", json!(ARN)),
            statement("Deny", json!(ARN))
        ]);
        assert_eq!(decide(both), Decision::ExplicitDeny);
        let reversed = json!([
            statement("Deny", json!(ARN)),
            statement("Allow", json!("*"))
        ]);
        assert_eq!(decide(reversed), Decision::ExplicitDeny);
    }

    #[test]
    fn nothing_allowing_the_arn_is_an_implicit_deny() {
        let other = "arn:aws:execute-api:us-east-1:123456789012:abc/v1/GET/items/*";
        assert_eq!(
            decide(json!([statement("Allow", json!(other))])),
            Decision::ImplicitDeny
        );
        assert_eq!(decide(json!([])), Decision::ImplicitDeny);
        let deny_elsewhere = json!([statement("Deny", json!(other))]);
        assert_eq!(decide(deny_elsewhere), Decision::ImplicitDeny);
    }

    #[test]
    fn resource_wildcards_match_as_arn_like_does() {
        for pattern in [
            "*",
            "arn:aws:execute-api:us-east-1:123456789012:abc/*",
            "arn:aws:execute-api:us-east-1:123456789012:abc/v1/*/crud",
            "arn:aws:execute-api:us-east-1:123456789012:abc/v?/POST/crud",
            "arn:aws:execute-api:*:*:abc/v1/POST/*",
        ] {
            assert_eq!(
                decide(json!([statement("Allow", json!(pattern))])),
                Decision::Allow,
                "{pattern}"
            );
        }
        for pattern in [
            "arn:aws:execute-api:us-east-1:123456789012:xyz/*",
            "arn:aws:execute-api:us-east-1:123456789012:abc/v1/GET/crud",
            "arn:aws:execute-api:us-east-1:123456789012:abc/v1/POST/crud/x",
        ] {
            assert_eq!(
                decide(json!([statement("Allow", json!(pattern))])),
                Decision::ImplicitDeny,
                "{pattern}"
            );
        }
        let list = json!(["arn:aws:execute-api:*:*:other/*", ARN]);
        assert_eq!(decide(json!([statement("Allow", list)])), Decision::Allow);
    }

    #[test]
    fn actions_match_with_wildcards_and_without_case() {
        for action in [
            "execute-api:Invoke",
            "execute-api:*",
            "*",
            "EXECUTE-API:invoke",
        ] {
            let s = json!({"Effect": "Allow", "Action": action, "Resource": ARN});
            assert_eq!(decide(json!([s])), Decision::Allow, "{action}");
        }
        let other =
            json!({"Effect": "Allow", "Action": "execute-api:ManageConnections", "Resource": ARN});
        assert_eq!(decide(json!([other])), Decision::ImplicitDeny);
        let list = json!({"Effect": "Allow", "Action": ["s3:GetObject", "execute-api:Invoke"], "Resource": ARN});
        assert_eq!(decide(json!([list])), Decision::Allow);
    }

    #[test]
    fn not_resource_and_not_action_match_what_they_do_not_name() {
        let s = json!({"Effect": "Deny", "Action": "execute-api:Invoke",
                        "NotResource": "arn:aws:execute-api:*:*:abc/v1/GET/*"});
        assert_eq!(
            decide(json!([statement("Allow", json!("*")), s])),
            Decision::ExplicitDeny
        );
        let s = json!({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"});
        assert_eq!(decide(json!([s])), Decision::Allow);
    }

    #[test]
    fn a_single_statement_object_is_a_statement_list_of_one() {
        let document = json!({"Statement": statement("Allow", json!(ARN))});
        assert_eq!(
            evaluate(&statements(&document).unwrap(), ARN),
            Decision::Allow
        );
    }

    #[test]
    fn malformed_policies_are_refused_with_the_reason() {
        for (document, reason) in [
            (json!({}), "no Statement"),
            (
                json!({"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]}),
                "Effect",
            ),
            (
                json!({"Statement": [{"Effect": "Allow", "Resource": "*"}]}),
                "Action and Resource",
            ),
            (json!({"Statement": "Allow"}), "no Statement"),
        ] {
            let Malformed(why) = statements(&document).unwrap_err();
            assert!(why.contains(reason), "{why}");
        }
    }
}
