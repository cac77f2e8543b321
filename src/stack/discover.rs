//! Finding a stack's resources without (or beyond) its state file: by the
//! deterministic names, confirmed by the tags. Used by teardown (a lost
//! state file, a crash mid-setup) and status.

use std::collections::BTreeSet;

use crate::error::{aws, AppError};
use crate::stack::{Clients, Names, StackState, PREFIX, ROLE_PATH, TAG_MANAGED_BY, TAG_STACK};

/// What exists of one stack right now.
#[derive(Debug, Default)]
pub struct Found {
    /// Tables this tool created for the stack (tagged, or recorded as created).
    pub tables: Vec<String>,
    pub log_group: Option<String>,
    /// The stage's access-log group.
    pub access_log_group: Option<String>,
    /// A canary's access-log group (`deploy --canary`).
    pub canary_log_group: Option<String>,
    pub role: Option<String>,
    pub function: Option<String>,
    pub rest_api: Option<String>,
    /// The HTTP API (`--api http`).
    pub http_api: Option<String>,
    /// Every usage plan and API key of the stack (by name or tag): racing
    /// setups could make two, and teardown must find them all.
    pub usage_plans: Vec<String>,
    pub api_keys: Vec<String>,
    /// The Lambda authorizer's function, log group and role (`--auth lambda`).
    pub authorizer_function: Option<String>,
    pub authorizer_log_group: Option<String>,
    pub authorizer_role: Option<String>,
    /// The Cognito user pool's id (`--auth cognito`).
    pub user_pool: Option<String>,
}

impl Found {
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
            && self.log_group.is_none()
            && self.access_log_group.is_none()
            && self.canary_log_group.is_none()
            && self.role.is_none()
            && self.function.is_none()
            && self.rest_api.is_none()
            && self.http_api.is_none()
            && self.usage_plans.is_empty()
            && self.api_keys.is_empty()
            && self.authorizer_function.is_none()
            && self.authorizer_log_group.is_none()
            && self.authorizer_role.is_none()
            && self.user_pool.is_none()
    }
}

pub async fn discover(
    clients: &Clients,
    names: &Names,
    state: Option<&StackState>,
) -> Result<Found, AppError> {
    let mut found = Found::default();
    let apigw = &clients.apigateway;
    found.rest_api =
        crate::stack::api::find(apigw, names, state.and_then(|s| s.rest_api_id.as_deref())).await?;
    found.http_api = crate::stack::http_api::find(
        &clients.apigatewayv2,
        names,
        state.and_then(|s| s.http_api_id.as_deref()),
    )
    .await?;
    found.usage_plans = crate::stack::api::find_usage_plans(apigw, names)
        .await?
        .iter()
        .filter_map(|p| p.id().map(str::to_string))
        .collect();
    found.api_keys = crate::stack::api::find_api_keys(apigw, names)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect();

    if crate::stack::function::state(&clients.lambda, &names.function())
        .await?
        .is_some()
    {
        found.function = Some(names.function());
    }
    if crate::stack::logs::describe(&clients.logs, &names.log_group())
        .await?
        .is_some()
    {
        found.log_group = Some(names.log_group());
    }
    if crate::stack::logs::describe(&clients.logs, &names.access_log_group())
        .await?
        .is_some()
    {
        found.access_log_group = Some(names.access_log_group());
    }
    if crate::stack::logs::describe(&clients.logs, &names.canary_log_group())
        .await?
        .is_some()
    {
        found.canary_log_group = Some(names.canary_log_group());
    }
    found.role = role(clients, &names.role()).await?;
    let authorizer = names.authorizer_function();
    if crate::stack::function::state(&clients.lambda, &authorizer)
        .await?
        .is_some()
    {
        found.authorizer_function = Some(authorizer);
    }
    if crate::stack::logs::describe(&clients.logs, &names.authorizer_log_group())
        .await?
        .is_some()
    {
        found.authorizer_log_group = Some(names.authorizer_log_group());
    }
    found.authorizer_role = role(clients, &names.authorizer_role()).await?;
    found.user_pool = user_pool(clients, names, state).await?;
    let recorded: Vec<String> = state
        .map(|s| {
            s.tables
                .iter()
                .filter(|t| t.created)
                .map(|t| t.spec.name.clone())
                .collect()
        })
        .unwrap_or_default();
    for (table, stack) in tagged_tables(&clients.dynamodb).await? {
        if stack == names.stack || recorded.contains(&table) {
            found.tables.push(table);
        }
    }
    Ok(found)
}

/// The stack's user pool, if it has one. Credentials that may not list
/// user pools cannot have made one: without a pool on record, that refusal
/// means none.
async fn user_pool(
    clients: &Clients,
    names: &Names,
    state: Option<&StackState>,
) -> Result<Option<String>, AppError> {
    match clients.cognito.find_pool(names).await {
        Ok(found) => Ok(found.map(|(id, _)| id)),
        Err(AppError::Aws {
            code: Some(code), ..
        }) if code.contains("AccessDenied") && state.is_none_or(|s| s.user_pool.is_none()) => {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The role `name`, if it exists.
async fn role(clients: &Clients, name: &str) -> Result<Option<String>, AppError> {
    match clients.iam.get_role().role_name(name).send().await {
        Ok(_) => Ok(Some(name.to_string())),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_no_such_entity_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws::error("iam", format!("cannot read role {name}"), &e)),
    }
}

/// Every table tagged managed-by=serverless-crud, with its stack tag.
async fn tagged_tables(
    client: &aws_sdk_dynamodb::Client,
) -> Result<Vec<(String, String)>, AppError> {
    let mut tables = Vec::new();
    let mut start: Option<String> = None;
    loop {
        let out = client
            .list_tables()
            .set_exclusive_start_table_name(start)
            .send()
            .await
            .map_err(|e| aws::error("dynamodb", "cannot list tables", &e))?;
        for name in out.table_names() {
            let Ok(described) = client.describe_table().table_name(name).send().await else {
                continue; // deleted meanwhile
            };
            let Some(arn) = described.table().and_then(|t| t.table_arn()) else {
                continue;
            };
            let tags = match client
                .list_tags_of_resource()
                .resource_arn(arn)
                .send()
                .await
            {
                Ok(tags) => tags,
                // Deleted between DescribeTable and here: not there.
                Err(e)
                    if e.as_service_error()
                        .is_some_and(|s| s.is_resource_not_found_exception()) =>
                {
                    continue
                }
                Err(e) => {
                    return Err(aws::error(
                        "dynamodb",
                        format!("cannot read the tags of {name}"),
                        &e,
                    ))
                }
            };
            let tag = |key: &str| {
                tags.tags()
                    .iter()
                    .find(|t| t.key() == key)
                    .map(|t| t.value().to_string())
            };
            if tag(TAG_MANAGED_BY.0).as_deref() == Some(TAG_MANAGED_BY.1) {
                if let Some(stack) = tag(TAG_STACK) {
                    tables.push((name.clone(), stack));
                }
            }
        }
        start = out.last_evaluated_table_name().map(str::to_string);
        if start.is_none() {
            return Ok(tables);
        }
    }
}

/// The stack tag of a resource this tool manages (None for anything else).
fn our_stack(tags: Option<&std::collections::HashMap<String, String>>) -> Option<String> {
    let tags = tags?;
    (tags.get(TAG_MANAGED_BY.0).map(String::as_str) == Some(TAG_MANAGED_BY.1))
        .then(|| tags.get(TAG_STACK).cloned())
        .flatten()
}

/// Names of every stack this tool made in the region (for `teardown --all`).
pub async fn stacks_in_region(
    clients: &Clients,
    region: &str,
) -> Result<BTreeSet<String>, AppError> {
    let mut stacks = BTreeSet::new();
    let apis = clients
        .apigateway
        .get_rest_apis()
        .limit(500)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot list REST APIs", &e))?;
    stacks.extend(apis.items().iter().filter_map(|api| our_stack(api.tags())));
    let http_apis = clients
        .apigatewayv2
        .get_apis()
        .max_results("500")
        .send()
        .await
        .map_err(|e| aws::error("apigatewayv2", "cannot list HTTP APIs", &e))?;
    stacks.extend(
        http_apis
            .items()
            .iter()
            .filter_map(|api| our_stack(api.tags())),
    );
    let lambda = &clients.lambda;
    let mut marker = None;
    loop {
        let out = lambda
            .list_functions()
            .set_marker(marker)
            .send()
            .await
            .map_err(|e| aws::error("lambda", "cannot list functions", &e))?;
        for f in out.functions() {
            let (Some(name), Some(arn)) = (f.function_name(), f.function_arn()) else {
                continue;
            };
            if !name.starts_with(PREFIX) {
                continue;
            }
            if let Ok(tags) = lambda.list_tags().resource(arn).send().await {
                stacks.extend(our_stack(tags.tags()));
            }
        }
        marker = out.next_marker().map(str::to_string);
        if marker.is_none() {
            break;
        }
    }
    let roles = clients
        .iam
        .list_roles()
        .path_prefix(ROLE_PATH)
        .send()
        .await
        .map_err(|e| aws::error("iam", "cannot list roles", &e))?;
    let suffix = format!("-{region}");
    for role in roles.roles() {
        if let Some(stack) = role
            .role_name()
            .strip_prefix(PREFIX)
            .and_then(|r| r.strip_suffix(&suffix))
        {
            stacks.insert(stack.to_string());
        }
    }
    for (_, stack) in tagged_tables(&clients.dynamodb).await? {
        stacks.insert(stack);
    }
    Ok(stacks)
}
