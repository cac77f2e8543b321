//! DynamoDB tables: `NAME[:KEY[:S|N|B]]` specs, idempotent creation, waiting.

use std::str::FromStr;
use std::time::Duration;

use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType, Tag,
};
use serde::{Deserialize, Serialize};

use crate::error::aws;
use crate::error::AppError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableSpec {
    pub name: String,
    pub key: String,
    /// S, N or B.
    pub key_type: String,
}

impl FromStr for TableSpec {
    type Err = String;

    /// `users`, `orders:orderId`, `orders:orderId:N`.
    fn from_str(spec: &str) -> Result<Self, String> {
        let mut parts = spec.split(':');
        let name = parts.next().unwrap_or_default().to_string();
        let key = parts.next().unwrap_or("id").to_string();
        let key_type = parts.next().unwrap_or("S").to_ascii_uppercase();
        if parts.next().is_some() {
            return Err(format!("`{spec}`: expected NAME[:KEY[:S|N|B]]"));
        }
        crate::names::table_name(&name)?;
        if key.is_empty() {
            return Err(format!("`{spec}`: the key attribute name is empty"));
        }
        if !matches!(key_type.as_str(), "S" | "N" | "B") {
            return Err(format!("`{spec}`: key type must be S, N or B"));
        }
        Ok(TableSpec {
            name,
            key,
            key_type,
        })
    }
}

impl std::fmt::Display for TableSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.name, self.key, self.key_type)
    }
}

/// What `ensure_table` found or did.
#[derive(Debug, PartialEq, Eq)]
pub enum TableOutcome {
    Created,
    Exists,
}

/// Ensures every table of `specs` (untagged: the local stack's own tables),
/// noting each outcome.
pub async fn ensure_untagged(
    client: &aws_sdk_dynamodb::Client,
    specs: &[TableSpec],
    progress: &dyn crate::output::Progress,
) -> Result<(), AppError> {
    for spec in specs {
        let verb = match ensure_table(client, spec, &[]).await? {
            TableOutcome::Created => "created",
            TableOutcome::Exists => "exists",
        };
        progress.note(&format!("table {spec}: {verb}"));
    }
    Ok(())
}

/// Creates the table (on-demand) unless it exists with the same key; waits
/// until it is ACTIVE. A table of that name with another key is an error.
pub async fn ensure_table(
    client: &aws_sdk_dynamodb::Client,
    spec: &TableSpec,
    tags: &[(String, String)],
) -> Result<TableOutcome, AppError> {
    let outcome = match describe_key(client, &spec.name).await? {
        Some((key, key_type)) => {
            if key != spec.key || key_type != spec.key_type {
                return Err(AppError::usage(format!(
                    "table {} already exists with key {key}:{key_type}, not {}:{}; pick another name or match its key",
                    spec.name, spec.key, spec.key_type
                )));
            }
            TableOutcome::Exists
        }
        None => {
            let build = |e: aws_sdk_dynamodb::error::BuildError| AppError::internal(e.to_string());
            let mut request = client
                .create_table()
                .table_name(&spec.name)
                .billing_mode(BillingMode::PayPerRequest)
                .attribute_definitions(
                    AttributeDefinition::builder()
                        .attribute_name(&spec.key)
                        .attribute_type(ScalarAttributeType::from(spec.key_type.as_str()))
                        .build()
                        .map_err(build)?,
                )
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name(&spec.key)
                        .key_type(KeyType::Hash)
                        .build()
                        .map_err(build)?,
                );
            for (k, v) in tags {
                request = request.tags(Tag::builder().key(k).value(v).build().map_err(build)?);
            }
            match request.send().await {
                Ok(_) => TableOutcome::Created,
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_resource_in_use_exception()) =>
                {
                    TableOutcome::Exists
                }
                Err(e) => {
                    return Err(aws::error(
                        "dynamodb",
                        format!("cannot create table {}", spec.name),
                        &e,
                    ))
                }
            }
        }
    };
    client
        .wait_until_table_exists()
        .table_name(&spec.name)
        .wait(Duration::from_secs(300))
        .await
        .map_err(|e| {
            aws::waiter(
                "dynamodb",
                format!("table {} did not become ACTIVE", spec.name),
                &e,
            )
        })?;
    Ok(outcome)
}

/// The table's hash key and its type, or None if the table does not exist.
pub async fn describe_key(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
) -> Result<Option<(String, String)>, AppError> {
    Ok(describe_schema(client, name)
        .await?
        .and_then(|attrs| attrs.into_iter().next()))
}

/// The table's key attributes with their types (hash first, then range),
/// or None if the table does not exist.
pub async fn describe_schema(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
) -> Result<Option<Vec<(String, String)>>, AppError> {
    Ok(describe(client, name).await?.map(|facts| facts.key))
}

/// What DescribeTable says of a table (its counts are updated by AWS about
/// every six hours: estimates).
#[derive(Debug, Clone)]
pub struct TableFacts {
    /// Key attributes and types, hash first.
    pub key: Vec<(String, String)>,
    pub key_names: Vec<String>,
    pub item_count: u64,
    pub size_bytes: u64,
    pub arn: String,
}

/// DescribeTable; None if the table does not exist.
pub async fn describe(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
) -> Result<Option<TableFacts>, AppError> {
    match client.describe_table().table_name(name).send().await {
        Ok(out) => {
            let Some(table) = out.table() else {
                return Ok(None);
            };
            let type_of = |attr: &str| {
                table
                    .attribute_definitions()
                    .iter()
                    .find(|a| a.attribute_name() == attr)
                    .map(|a| a.attribute_type().as_str().to_string())
                    .unwrap_or_default()
            };
            let mut keys: Vec<_> = table.key_schema().iter().collect();
            keys.sort_by_key(|k| k.key_type() != &KeyType::Hash);
            let key: Vec<(String, String)> = keys
                .iter()
                .map(|k| (k.attribute_name().to_string(), type_of(k.attribute_name())))
                .collect();
            Ok(Some(TableFacts {
                key_names: key.iter().map(|(n, _)| n.clone()).collect(),
                key,
                item_count: table.item_count().unwrap_or(0).max(0) as u64,
                size_bytes: table.table_size_bytes().unwrap_or(0).max(0) as u64,
                arn: table.table_arn().unwrap_or_default().to_string(),
            }))
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws::error(
            "dynamodb",
            format!("cannot describe table {name}"),
            &e,
        )),
    }
}

/// The table's status (ACTIVE, CREATING, ...), or None if it does not exist.
pub async fn describe_status(
    client: &aws_sdk_dynamodb::Client,
    name: &str,
) -> Result<Option<String>, AppError> {
    match client.describe_table().table_name(name).send().await {
        Ok(out) => Ok(Some(
            out.table()
                .and_then(|t| t.table_status())
                .map(|s| s.as_str().to_string())
                .unwrap_or_else(|| "ACTIVE".into()),
        )),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws::error(
            "dynamodb",
            format!("cannot describe table {name}"),
            &e,
        )),
    }
}

/// Deletes a table; false when it was already absent.
pub async fn delete(client: &aws_sdk_dynamodb::Client, name: &str) -> Result<bool, AppError> {
    let result = client.delete_table().table_name(name).send().await;
    crate::stack::deleted(
        result,
        "dynamodb",
        |e| e.is_resource_not_found_exception(),
        &format!("table {name}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_specs_default_to_id_string() {
        let t: TableSpec = "users".parse().unwrap();
        assert_eq!((t.key.as_str(), t.key_type.as_str()), ("id", "S"));
        let t: TableSpec = "orders:orderId:n".parse().unwrap();
        assert_eq!(t.to_string(), "orders:orderId:N");
        assert!("ab".parse::<TableSpec>().is_err());
        assert!("users:id:X".parse::<TableSpec>().is_err());
        assert!("users:id:S:extra".parse::<TableSpec>().is_err());
    }
}
