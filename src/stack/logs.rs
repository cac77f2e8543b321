//! The function's CloudWatch log group, created up front with a retention
//! (Lambda would create it without one and keep it forever).

use aws_sdk_cloudwatchlogs::Client;

use crate::error::aws;
use crate::error::AppError;
use crate::stack::Names;

/// Retention values CloudWatch Logs accepts.
pub const RETENTIONS: &[i64] = &[
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
    3288, 3653,
];

/// Creates the group if missing and sets its retention; true if created.
pub async fn ensure(
    client: &Client,
    names: &Names,
    group: &str,
    retention_days: i32,
) -> Result<bool, AppError> {
    let group = group.to_string();
    let created = match client
        .create_log_group()
        .log_group_name(&group)
        .set_tags(Some(names.tags().into_iter().collect()))
        .send()
        .await
    {
        Ok(_) => true,
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_already_exists_exception()) =>
        {
            false
        }
        Err(e) => {
            return Err(aws::error(
                "logs",
                format!("cannot create log group {group}"),
                &e,
            ))
        }
    };
    client
        .put_retention_policy()
        .log_group_name(&group)
        .retention_in_days(retention_days)
        .send()
        .await
        .map_err(|e| aws::error("logs", format!("cannot set the retention of {group}"), &e))?;
    Ok(created)
}

/// The group's retention in days (None: never expires), or Err(None) if absent.
pub async fn describe(client: &Client, group: &str) -> Result<Option<Option<i32>>, AppError> {
    let out = client
        .describe_log_groups()
        .log_group_name_prefix(group)
        .send()
        .await
        .map_err(|e| aws::error("logs", "cannot list log groups", &e))?;
    Ok(out
        .log_groups()
        .iter()
        .find(|g| g.log_group_name() == Some(group))
        .map(|g| g.retention_in_days()))
}

/// Deletes the group; false when it was already absent.
pub async fn delete(client: &Client, group: &str) -> Result<bool, AppError> {
    let result = client.delete_log_group().log_group_name(group).send().await;
    crate::stack::deleted(
        result,
        "logs",
        |e| e.is_resource_not_found_exception(),
        &format!("log group {group}"),
    )
}
