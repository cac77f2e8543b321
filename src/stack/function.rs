//! The dispatcher function: a deterministic zip of the embedded code, created
//! or updated only where it differs, and the permission for API Gateway.

use std::collections::HashMap;
use std::io::Write;
use std::time::Duration;

use aws_sdk_lambda::client::Waiters;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{Environment, FunctionCode, Runtime};
use base64::Engine;
use sha2::Digest;

use aws_sdk_lambda::error::SdkError;
use aws_sdk_lambda::operation::create_function::CreateFunctionError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;

use crate::error::{aws, AppError};
use crate::retry::{retry_transient, Schedule};

pub const HANDLER: &str = "lambda_function.lambda_handler";
/// Statement id of the API Gateway permission.
pub const PERMISSION_ID: &str = "serverless-crud-apigateway";
/// The permission of the resource routes (`--routes rest`: /items/...).
pub const ROUTES_PERMISSION_ID: &str = "serverless-crud-apigateway-items";

/// The deployment package: `lambda_function.py` with a fixed timestamp, so
/// the same code always gives the same CodeSha256.
pub fn package(code: &str) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    zip.start_file("lambda_function.py", options)
        .expect("zip entry");
    zip.write_all(code.as_bytes()).expect("zip write");
    zip.finish().expect("zip finish");
    buffer.into_inner()
}

/// Lambda's CodeSha256: base64 of the SHA-256 of the zip.
pub fn code_sha256(zip: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(zip))
}

pub struct FunctionSpec {
    pub name: String,
    pub description: &'static str,
    pub role_arn: String,
    pub runtime: String,
    pub memory: i32,
    pub timeout: i32,
    pub environment: HashMap<String, String>,
    pub zip: Vec<u8>,
    pub tags: Vec<(String, String)>,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    Created,
    Updated(Vec<&'static str>),
    Unchanged,
}

/// Creates the function, or brings code and configuration up to date.
pub async fn ensure(
    client: &aws_sdk_lambda::Client,
    spec: &FunctionSpec,
) -> Result<(String, Change), AppError> {
    let existing = match client.get_function().function_name(&spec.name).send().await {
        Ok(out) => out.configuration().cloned(),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            None
        }
        Err(e) => {
            return Err(aws::error(
                "lambda",
                format!("cannot read function {}", spec.name),
                &e,
            ))
        }
    };
    let Some(config) = existing else {
        let arn = create(client, spec).await?;
        wait_active(client, &spec.name).await?;
        return Ok((arn, Change::Created));
    };
    let mut changed = Vec::new();
    if config.code_sha256() != Some(code_sha256(&spec.zip).as_str()) {
        client
            .update_function_code()
            .function_name(&spec.name)
            .zip_file(Blob::new(spec.zip.clone()))
            .send()
            .await
            .map_err(|e| {
                aws::error(
                    "lambda",
                    format!("cannot update the code of {}", spec.name),
                    &e,
                )
            })?;
        changed.push("code");
        wait_updated(client, &spec.name).await?;
    }
    let env = config
        .environment()
        .and_then(|e| e.variables())
        .cloned()
        .unwrap_or_default();
    let config_differs = config.runtime().map(|r| r.as_str()) != Some(spec.runtime.as_str())
        || config.memory_size() != Some(spec.memory)
        || config.timeout() != Some(spec.timeout)
        || config.role() != Some(spec.role_arn.as_str())
        || env != spec.environment;
    if config_differs {
        client
            .update_function_configuration()
            .function_name(&spec.name)
            .runtime(Runtime::from(spec.runtime.as_str()))
            .memory_size(spec.memory)
            .timeout(spec.timeout)
            .role(&spec.role_arn)
            .environment(
                Environment::builder()
                    .set_variables(Some(spec.environment.clone()))
                    .build(),
            )
            .send()
            .await
            .map_err(|e| {
                aws::error(
                    "lambda",
                    format!("cannot update the configuration of {}", spec.name),
                    &e,
                )
            })?;
        changed.push("configuration");
        wait_updated(client, &spec.name).await?;
    }
    let arn = config.function_arn().unwrap_or_default().to_string();
    Ok((
        arn,
        if changed.is_empty() {
            Change::Unchanged
        } else {
            Change::Updated(changed)
        },
    ))
}

/// CreateFunction, retried while IAM propagates the new role (~10 s on AWS).
async fn create(client: &aws_sdk_lambda::Client, spec: &FunctionSpec) -> Result<String, AppError> {
    let create_once = || async {
        let result = client
            .create_function()
            .function_name(&spec.name)
            .runtime(Runtime::from(spec.runtime.as_str()))
            .role(&spec.role_arn)
            .handler(HANDLER)
            .memory_size(spec.memory)
            .timeout(spec.timeout)
            .description(spec.description)
            .environment(
                Environment::builder()
                    .set_variables(Some(spec.environment.clone()))
                    .build(),
            )
            .code(
                FunctionCode::builder()
                    .zip_file(Blob::new(spec.zip.clone()))
                    .build(),
            )
            .set_tags(Some(spec.tags.iter().cloned().collect()))
            .send()
            .await;
        match result {
            Ok(out) => Ok(Some(out.function_arn().unwrap_or_default().to_string())),
            // Created meanwhile (a retried request that had gone through).
            Err(e)
                if e.as_service_error()
                    .is_some_and(|s| s.is_resource_conflict_exception()) =>
            {
                Ok(None)
            }
            Err(e) => {
                let mut err = aws::error(
                    "lambda",
                    format!("cannot create function {}", spec.name),
                    &e,
                );
                if role_not_ready(&e) {
                    if let AppError::Aws { retryable, .. } = &mut err {
                        *retryable = true;
                    }
                }
                Err(err)
            }
        }
    };
    match retry_transient(Schedule::PROPAGATION, create_once).await? {
        Some(arn) => Ok(arn),
        None => {
            let out = client
                .get_function()
                .function_name(&spec.name)
                .send()
                .await
                .map_err(|e| {
                    aws::error("lambda", format!("cannot read function {}", spec.name), &e)
                })?;
            Ok(out
                .configuration()
                .and_then(|c| c.function_arn())
                .unwrap_or_default()
                .to_string())
        }
    }
}

/// A new role not yet usable by Lambda: "The role defined for the function
/// cannot be assumed by Lambda". The SDK models the exception but not this
/// cause: its message is the only signal.
fn role_not_ready(e: &SdkError<CreateFunctionError, HttpResponse>) -> bool {
    e.as_service_error().is_some_and(|s| {
        s.is_invalid_parameter_value_exception() && s.to_string().contains("cannot be assumed")
    })
}

async fn wait_active(client: &aws_sdk_lambda::Client, name: &str) -> Result<(), AppError> {
    client
        .wait_until_function_active_v2()
        .function_name(name)
        .wait(Duration::from_secs(300))
        .await
        .map(|_| ())
        .map_err(|e| {
            aws::waiter(
                "lambda",
                format!("function {name} did not become Active"),
                &e,
            )
        })
}

async fn wait_updated(client: &aws_sdk_lambda::Client, name: &str) -> Result<(), AppError> {
    client
        .wait_until_function_updated_v2()
        .function_name(name)
        .wait(Duration::from_secs(300))
        .await
        .map(|_| ())
        .map_err(|e| {
            aws::waiter(
                "lambda",
                format!("function {name} did not finish updating"),
                &e,
            )
        })
}

/// The statements of the function's resource policy (none when it has no policy).
async fn policy_statements(
    client: &aws_sdk_lambda::Client,
    function: &str,
) -> Result<Vec<serde_json::Value>, AppError> {
    let policy = match client.get_policy().function_name(function).send().await {
        Ok(out) => out.policy().map(str::to_string).unwrap_or_default(),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            String::new()
        }
        Err(e) => {
            return Err(aws::error(
                "lambda",
                format!("cannot read the policy of {function}"),
                &e,
            ))
        }
    };
    Ok(serde_json::from_str::<serde_json::Value>(&policy)
        .ok()
        .and_then(|p| p["Statement"].as_array().cloned())
        .unwrap_or_default())
}

/// Our statement `sid`, and whether it allows exactly `source_arn`.
fn ours<'a>(
    statements: &'a [serde_json::Value],
    sid: &str,
    source_arn: &str,
) -> (Vec<&'a serde_json::Value>, bool) {
    let ours: Vec<&serde_json::Value> = statements.iter().filter(|s| s["Sid"] == sid).collect();
    // The source ARN sits in the statement's Condition (ArnLike AWS:SourceArn).
    let matches = ours.len() == 1 && ours[0]["Condition"].to_string().contains(source_arn);
    (ours, matches)
}

/// Whether API Gateway may invoke the function from `source_arn`.
pub async fn has_permission(
    client: &aws_sdk_lambda::Client,
    function: &str,
    sid: &str,
    source_arn: &str,
) -> Result<bool, AppError> {
    let statements = policy_statements(client, function).await?;
    Ok(ours(&statements, sid, source_arn).1)
}

/// Removes the statement `sid` if the policy has it (routes turned off).
pub async fn remove_permission(
    client: &aws_sdk_lambda::Client,
    function: &str,
    sid: &str,
) -> Result<(), AppError> {
    let statements = policy_statements(client, function).await?;
    if ours(&statements, sid, "").0.is_empty() {
        return Ok(());
    }
    client
        .remove_permission()
        .function_name(function)
        .statement_id(sid)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| {
            aws::error(
                "lambda",
                format!("cannot remove a permission of {function}"),
                &e,
            )
        })
}

/// Allows API Gateway to invoke the function, from this API's POST /crud
/// only. Reads the policy first: one statement, replaced if it names another
/// API (a recreated one), never added twice.
pub async fn ensure_permission(
    client: &aws_sdk_lambda::Client,
    function: &str,
    sid: &str,
    source_arn: &str,
) -> Result<(), AppError> {
    let statements = policy_statements(client, function).await?;
    let (existing, matches) = ours(&statements, sid, source_arn);
    if matches {
        return Ok(());
    }
    for _ in &existing {
        client
            .remove_permission()
            .function_name(function)
            .statement_id(sid)
            .send()
            .await
            .map_err(|e| {
                aws::error(
                    "lambda",
                    format!("cannot replace the permission of {function}"),
                    &e,
                )
            })?;
    }
    client
        .add_permission()
        .function_name(function)
        .statement_id(sid)
        .action("lambda:InvokeFunction")
        .principal("apigateway.amazonaws.com")
        .source_arn(source_arn)
        .send()
        .await
        .map(|_| ())
        .map_err(|e| {
            aws::error(
                "lambda",
                format!("cannot allow API Gateway to invoke {function}"),
                &e,
            )
        })
}

/// The function's state ("Active", "Pending", ...), or None if it does not exist.
/// The function's environment as Lambda holds it (what it runs with).
pub async fn environment(
    client: &aws_sdk_lambda::Client,
    name: &str,
) -> Result<std::collections::BTreeMap<String, String>, AppError> {
    let (_, env) = state(client, name)
        .await?
        .ok_or_else(|| AppError::internal(format!("the function {name} vanished during setup")))?;
    Ok(env.into_iter().collect())
}

pub async fn state(
    client: &aws_sdk_lambda::Client,
    name: &str,
) -> Result<Option<(String, HashMap<String, String>)>, AppError> {
    match client
        .get_function_configuration()
        .function_name(name)
        .send()
        .await
    {
        Ok(c) => Ok(Some((
            c.state()
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "Active".into()),
            c.environment()
                .and_then(|e| e.variables())
                .cloned()
                .unwrap_or_default(),
        ))),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws::error(
            "lambda",
            format!("cannot read function {name}"),
            &e,
        )),
    }
}

/// Deletes the function; false when it was already absent.
pub async fn delete(client: &aws_sdk_lambda::Client, name: &str) -> Result<bool, AppError> {
    let result = client.delete_function().function_name(name).send().await;
    crate::stack::deleted(
        result,
        "lambda",
        |e| e.is_resource_not_found_exception(),
        &format!("function {name}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_is_deterministic_and_holds_the_dispatcher() {
        let a = package(crate::dispatcher::SOURCE);
        let b = package(crate::dispatcher::SOURCE);
        assert_eq!(code_sha256(&a), code_sha256(&b));
        assert_ne!(code_sha256(&a), code_sha256(&package("x = 1\n")));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(a)).unwrap();
        let mut file = archive.by_name("lambda_function.py").unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut file, &mut text).unwrap();
        assert!(text.contains("def lambda_handler"));
    }
}
