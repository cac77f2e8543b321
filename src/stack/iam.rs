//! The dispatcher's execution role: trusted by Lambda, with one inline policy
//! allowing exactly the item actions the dispatcher uses on exactly the
//! stack's tables, and writing to its own log group. No `Resource: "*"`, and
//! no logs:CreateLogGroup (so Lambda cannot recreate the group after teardown).

use aws_sdk_iam::types::Tag;
use serde_json::{json, Value};

use crate::error::{aws, AppError};
use crate::retry::{retry_transient, Schedule};
use crate::stack::Names;

/// The item actions `lambda_function.py` performs.
pub const TABLE_ACTIONS: &[&str] = &[
    "dynamodb:PutItem",
    "dynamodb:GetItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:Scan",
    "dynamodb:BatchWriteItem",
];

pub fn trust_policy() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole"
        }]
    })
}

/// The inline policy for `table_arns` and the function's log group.
pub fn access_policy(table_arns: &[String], log_group_arn: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "StackTables",
                "Effect": "Allow",
                "Action": TABLE_ACTIONS,
                "Resource": table_arns,
            },
            {
                "Sid": "OwnLogGroup",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": [format!("{log_group_arn}:*")],
            }
        ]
    })
}

/// Creates the dispatcher's role if missing (or finds it); returns its ARN.
pub async fn ensure_role(
    client: &aws_sdk_iam::Client,
    names: &Names,
) -> Result<(String, bool), AppError> {
    let description = format!("serverless-crud dispatcher of stack {}", names.stack);
    ensure_named_role(client, names, &names.role(), &description).await
}

/// Creates the role `role` of the stack (trusted by Lambda, tagged) if
/// missing; returns its ARN and whether it was created.
pub async fn ensure_named_role(
    client: &aws_sdk_iam::Client,
    names: &Names,
    role: &str,
    description: &str,
) -> Result<(String, bool), AppError> {
    match client.get_role().role_name(role).send().await {
        Ok(out) => {
            let arn = out.role().map(|r| r.arn().to_string()).unwrap_or_default();
            return Ok((arn, false));
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) => {}
        Err(e) => return Err(aws::error("iam", format!("cannot read role {role}"), &e)),
    }
    let mut request = client
        .create_role()
        .role_name(role)
        .path(crate::stack::ROLE_PATH)
        .description(description)
        .assume_role_policy_document(trust_policy().to_string());
    for (k, v) in names.tags() {
        request = request.tags(
            Tag::builder()
                .key(k)
                .value(v)
                .build()
                .map_err(|e| AppError::internal(format!("bad tag: {e}")))?,
        );
    }
    let out = request
        .send()
        .await
        .map_err(|e| aws::error("iam", format!("cannot create role {role}"), &e))?;
    Ok((
        out.role().map(|r| r.arn().to_string()).unwrap_or_default(),
        true,
    ))
}

pub async fn put_policy(
    client: &aws_sdk_iam::Client,
    names: &Names,
    policy: &Value,
) -> Result<(), AppError> {
    put_named_policy(client, &names.role(), names.policy(), policy).await
}

/// Puts the inline policy `name` of `role`.
pub async fn put_named_policy(
    client: &aws_sdk_iam::Client,
    role: &str,
    name: &str,
    policy: &Value,
) -> Result<(), AppError> {
    client
        .put_role_policy()
        .role_name(role)
        .policy_name(name)
        .policy_document(policy.to_string())
        .send()
        .await
        .map_err(|e| aws::error("iam", "cannot put the role policy", &e))?;
    Ok(())
}

/// The inline policy as stored (IAM returns it URL-encoded on AWS).
pub async fn get_policy(
    client: &aws_sdk_iam::Client,
    names: &Names,
) -> Result<Option<Value>, AppError> {
    match client
        .get_role_policy()
        .role_name(names.role())
        .policy_name(names.policy())
        .send()
        .await
    {
        Ok(out) => {
            let raw = out.policy_document();
            let decoded = url::form_urlencoded::parse(format!("x={raw}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            Ok(serde_json::from_str(&decoded)
                .or_else(|_| serde_json::from_str(raw))
                .ok())
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws::error("iam", "cannot read the role policy", &e)),
    }
}

/// Deletes the inline policy and the role; `Ok(false)` when already absent.
pub async fn delete_role(
    client: &aws_sdk_iam::Client,
    role: &str,
    policy: &str,
) -> Result<bool, AppError> {
    match client
        .delete_role_policy()
        .role_name(role)
        .policy_name(policy)
        .send()
        .await
    {
        Ok(_) => {}
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) => {}
        Err(e) => {
            return Err(aws::error(
                "iam",
                format!("cannot delete the policy of {role}"),
                &e,
            ))
        }
    }
    // IAM is eventually consistent: the role may still see its policy for a
    // moment (DeleteConflict), which is worth a few retries.
    retry_transient(Schedule::CONFLICT, || async {
        match client.delete_role().role_name(role).send().await {
            Ok(_) => Ok(true),
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_no_such_entity_exception()) =>
            {
                Ok(false)
            }
            Err(e) => {
                let conflict = e
                    .as_service_error()
                    .is_some_and(|s| s.is_delete_conflict_exception());
                let mut err = aws::error("iam", format!("cannot delete role {role}"), &e);
                if let (true, AppError::Aws { retryable, .. }) = (conflict, &mut err) {
                    *retryable = true;
                }
                Err(err)
            }
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_names_only_the_stack_tables_and_its_log_group() {
        let tables = vec![
            "arn:aws:dynamodb:eu-west-1:111122223333:table/users".to_string(),
            "arn:aws:dynamodb:eu-west-1:111122223333:table/orders".to_string(),
        ];
        let log = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/scrud-shop";
        let policy = access_policy(&tables, log);
        let text = policy.to_string();
        assert!(!text.contains("\"*\""), "no wildcard resource: {text}");
        assert!(!text.contains("dynamodb:*") && !text.contains("CreateLogGroup"));
        assert_eq!(policy["Statement"][0]["Resource"], json!(tables));
        assert_eq!(
            policy["Statement"][0]["Action"].as_array().unwrap().len(),
            TABLE_ACTIONS.len()
        );
        assert_eq!(
            policy["Statement"][1]["Resource"],
            json!([format!("{log}:*")])
        );
    }
}
