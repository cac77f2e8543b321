//! A Lambda authorizer (`--auth lambda`): its function (from the user's
//! file), with its own role (its log group only) and log group; the REST
//! API's authorizer pointing at it; and the permission letting API Gateway
//! invoke it as that authorizer only.

use std::path::PathBuf;

use aws_sdk_apigateway::types::{AuthorizerType, Op, PatchOperation};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::error::{aws, AppError};
use crate::stack::function::{self, Change, FunctionSpec};
use crate::stack::{iam, Clients, Names};

/// Statement id of the permission on the authorizer function.
pub const PERMISSION_ID: &str = "serverless-crud-apigateway-authorizer";
/// The authorizer role's inline policy.
pub const POLICY: &str = "authorizer-logs";
/// Where a token is read from unless --identity-source says otherwise.
pub const DEFAULT_IDENTITY_SOURCE: &str = "header:Authorization";
/// API Gateway's default result TTL (seconds).
pub const DEFAULT_TTL: i32 = 300;

/// An authorizer's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The function gets the token (one header) and the method ARN
    Token,
    /// The function gets the request's headers, query, path and stage variables
    Request,
}

impl Kind {
    fn aws(self) -> AuthorizerType {
        match self {
            Kind::Token => AuthorizerType::Token,
            Kind::Request => AuthorizerType::Request,
        }
    }
}

/// The authorizer a stack asked for, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizerSettings {
    /// The authorizer's code (a Python file with `lambda_handler`).
    pub file: PathBuf,
    pub kind: Kind,
    /// `header:Authorization`, `query:tenant`, `stage:env`, comma-separated.
    pub identity_source: String,
    /// Seconds a reply is cached (0: off; at most 3600).
    pub ttl: i32,
    /// HTTP APIs: the event's payload format ("1.0" or "2.0"; None: REST).
    #[serde(default)]
    pub payload: Option<String>,
    /// HTTP APIs, 2.0: `{"isAuthorized": …}` replies instead of policies.
    #[serde(default)]
    pub simple_responses: bool,
}

impl AuthorizerSettings {
    pub fn code(&self) -> Result<String, AppError> {
        std::fs::read_to_string(&self.file)
            .map_err(|e| AppError::io("read --authorizer", &self.file, e))
    }

    /// An HTTP API's identity sources (`$request.header.Authorization`, …).
    pub fn http_identity_sources(&self) -> Result<Vec<String>, AppError> {
        Ok(self
            .aws_identity_source()?
            .split(", ")
            .map(|rest| {
                if let Some(name) = rest.strip_prefix("method.request.header.") {
                    format!("$request.header.{name}")
                } else if let Some(name) = rest.strip_prefix("method.request.querystring.") {
                    format!("$request.querystring.{name}")
                } else {
                    format!("${rest}")
                }
            })
            .collect())
    }

    /// The identity sources as API Gateway writes them
    /// (`method.request.header.Authorization`), or what is wrong.
    pub fn aws_identity_source(&self) -> Result<String, AppError> {
        let parts: Vec<String> = self
            .identity_source
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|part| {
                let (kind, name) = part.split_once(':').unwrap_or(("", part));
                let name = name.trim();
                if name.is_empty() {
                    return Err(part.to_string());
                }
                match kind {
                    "header" => Ok(format!("method.request.header.{name}")),
                    "query" => Ok(format!("method.request.querystring.{name}")),
                    "stage" => Ok(format!("stageVariables.{name}")),
                    _ => Err(part.to_string()),
                }
            })
            .collect::<Result<_, _>>()
            .map_err(|part| {
                AppError::usage(format!(
                    "--identity-source `{part}`: write header:NAME, query:NAME or stage:NAME (comma-separated)"
                ))
            })?;
        if parts.is_empty() {
            return Err(AppError::usage(
                "--identity-source is empty: name at least one, e.g. header:Authorization",
            ));
        }
        if self.kind == Kind::Token
            && (parts.len() != 1 || !parts[0].starts_with("method.request.header."))
        {
            return Err(AppError::usage(
                "a TOKEN authorizer reads one header (--identity-source header:Authorization); use --authorizer-type request for query parameters or several sources",
            ));
        }
        Ok(parts.join(", "))
    }
}

/// A JWT authorizer (`--auth jwt`, HTTP APIs), as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JwtSettings {
    /// The token issuer (`iss`); its keys are found by OIDC discovery.
    pub issuer: String,
    /// The issuer is the local stack's own (`local token`): it follows the
    /// local gateway's address.
    #[serde(default)]
    pub local_issuer: bool,
    /// Accepted `aud` (or, without `aud`, `client_id`) values.
    pub audiences: Vec<String>,
    /// Scopes a token must hold one of (none: any token of the issuer).
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// The authorizer role's policy: its own log group, nothing else.
pub fn logs_policy(log_group_arn: &str) -> serde_json::Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "OwnLogGroup",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": [format!("{log_group_arn}:*")],
        }]
    })
}

/// The function, its role and log group: (function ARN, change).
pub async fn ensure_function(
    clients: &Clients,
    names: &Names,
    settings: &AuthorizerSettings,
    runtime: &str,
    retention: i32,
) -> Result<(String, Change), AppError> {
    let group = names.authorizer_log_group();
    crate::stack::logs::ensure(&clients.logs, names, &group, retention).await?;
    let role = names.authorizer_role();
    let (role_arn, _) = iam::ensure_named_role(
        &clients.iam,
        names,
        &role,
        &format!("serverless-crud Lambda authorizer of stack {}", names.stack),
    )
    .await?;
    let account = role_arn.split(':').nth(4).unwrap_or_default();
    let group_arn = format!("arn:aws:logs:{}:{account}:log-group:{group}", names.region);
    iam::put_named_policy(&clients.iam, &role, POLICY, &logs_policy(&group_arn)).await?;
    let spec = FunctionSpec {
        name: names.authorizer_function(),
        description: "serverless-crud Lambda authorizer",
        role_arn,
        runtime: runtime.to_string(),
        memory: 128,
        timeout: 10,
        environment: Default::default(),
        zip: function::package(&settings.code()?),
        tags: names.tags(),
    };
    function::ensure(&clients.lambda, &spec).await
}

/// The REST API authorizer a stack wants.
#[derive(Debug, Clone, Copy)]
pub enum RestAuthorizer<'a> {
    /// `--auth lambda`: the function's ARN and the settings.
    Lambda {
        function_arn: &'a str,
        settings: &'a AuthorizerSettings,
    },
    /// `--auth cognito`: the stack's user pool.
    Cognito {
        pool: &'a crate::stack::cognito::UserPool,
    },
}

/// Where a Cognito user pool authorizer reads the token.
pub const COGNITO_IDENTITY_SOURCE: &str = "method.request.header.Authorization";

/// The REST API's authorizer, created or brought up to date: (id, changed).
/// The Lambda authorizer is `scrud-STACK`; a Cognito one is
/// `scrud-STACK-cognito-POOL` (its pool cannot be patched, so another
/// pool is another authorizer; [`delete_other_rest_authorizers`] removes
/// the old one once no method uses it).
pub async fn ensure_rest_authorizer(
    client: &aws_sdk_apigateway::Client,
    api_id: &str,
    names: &Names,
    wanted: RestAuthorizer<'_>,
) -> Result<(String, bool), AppError> {
    let (function_arn, settings) = match wanted {
        RestAuthorizer::Cognito { pool } => {
            let name = cognito_authorizer_name(names, pool);
            let found = our_rest_authorizers(client, api_id, names)
                .await?
                .into_iter()
                .find(|a| a.name() == Some(name.as_str()));
            if let Some(found) = found {
                return Ok((found.id().unwrap_or_default().to_string(), false));
            }
            let created = client
                .create_authorizer()
                .rest_api_id(api_id)
                .name(&name)
                .r#type(AuthorizerType::CognitoUserPools)
                .provider_arns(&pool.arn)
                .identity_source(COGNITO_IDENTITY_SOURCE)
                .send()
                .await
                .map_err(|e| aws::error("apigateway", "cannot create the authorizer", &e))?;
            return Ok((created.id().unwrap_or_default().to_string(), true));
        }
        RestAuthorizer::Lambda {
            function_arn,
            settings,
        } => (function_arn, settings),
    };
    let uri = format!(
        "arn:aws:apigateway:{}:lambda:path/2015-03-31/functions/{function_arn}/invocations",
        names.region
    );
    let identity_source = settings.aws_identity_source()?;
    let name = names.api();
    let found = our_rest_authorizers(client, api_id, names)
        .await?
        .into_iter()
        .find(|a| a.name() == Some(name.as_str()));
    let Some(found) = found else {
        let created = client
            .create_authorizer()
            .rest_api_id(api_id)
            .name(&name)
            .r#type(settings.kind.aws())
            .authorizer_uri(&uri)
            .identity_source(&identity_source)
            .authorizer_result_ttl_in_seconds(settings.ttl)
            .send()
            .await
            .map_err(|e| aws::error("apigateway", "cannot create the authorizer", &e))?;
        return Ok((created.id().unwrap_or_default().to_string(), true));
    };
    let id = found.id().unwrap_or_default().to_string();
    let replace = |path: &str, value: String| {
        PatchOperation::builder()
            .op(Op::Replace)
            .path(path)
            .value(value)
            .build()
    };
    let mut patches = Vec::new();
    if found.r#type() != Some(&settings.kind.aws()) {
        patches.push(replace("/type", settings.kind.aws().as_str().to_string()));
    }
    if found.authorizer_uri() != Some(uri.as_str()) {
        patches.push(replace("/authorizerUri", uri));
    }
    if found.identity_source() != Some(identity_source.as_str()) {
        patches.push(replace("/identitySource", identity_source));
    }
    if found.authorizer_result_ttl_in_seconds() != Some(settings.ttl) {
        patches.push(replace(
            "/authorizerResultTtlInSeconds",
            settings.ttl.to_string(),
        ));
    }
    if patches.is_empty() {
        return Ok((id, false));
    }
    client
        .update_authorizer()
        .rest_api_id(api_id)
        .authorizer_id(&id)
        .set_patch_operations(Some(patches))
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot update the authorizer", &e))?;
    Ok((id, true))
}

fn cognito_authorizer_name(names: &Names, pool: &crate::stack::cognito::UserPool) -> String {
    format!("{}-cognito-{}", names.api(), pool.id)
}

/// The authorizer's function, role and log group, each (kind, name,
/// outcome: deleted, absent, or the failure), in deletion order.
pub async fn delete_function_role_and_logs(
    clients: &Clients,
    names: &Names,
) -> Vec<(&'static str, String, Result<bool, AppError>)> {
    let function = names.authorizer_function();
    let group = names.authorizer_log_group();
    let role = names.authorizer_role();
    vec![
        (
            "authorizer function",
            function.clone(),
            function::delete(&clients.lambda, &function).await,
        ),
        (
            "authorizer log group",
            group.clone(),
            crate::stack::logs::delete(&clients.logs, &group).await,
        ),
        (
            "authorizer role",
            role.clone(),
            iam::delete_role(&clients.iam, &role, POLICY).await,
        ),
    ]
}

/// The REST API's authorizers of this stack (`scrud-STACK`,
/// `scrud-STACK-cognito-POOL`).
async fn our_rest_authorizers(
    client: &aws_sdk_apigateway::Client,
    api_id: &str,
    names: &Names,
) -> Result<Vec<aws_sdk_apigateway::types::Authorizer>, AppError> {
    let existing = client
        .get_authorizers()
        .rest_api_id(api_id)
        .limit(500)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot list the API's authorizers", &e))?;
    let ours = names.api();
    let cognito = format!("{ours}-cognito-");
    Ok(existing
        .items()
        .iter()
        .filter(|a| {
            a.name()
                .is_some_and(|n| n == ours || n.starts_with(&cognito))
        })
        .cloned()
        .collect())
}

/// Where API Gateway invokes the authorizer from (the permission's source).
pub fn source_arn(region: &str, account: &str, api_id: &str, authorizer_id: &str) -> String {
    format!("arn:aws:execute-api:{region}:{account}:{api_id}/authorizers/{authorizer_id}")
}

/// The stack's REST API authorizers other than `keep` (methods must no
/// longer use them): true when one was deleted.
pub async fn delete_other_rest_authorizers(
    client: &aws_sdk_apigateway::Client,
    api_id: &str,
    names: &Names,
    keep: Option<&str>,
) -> Result<bool, AppError> {
    let mut deleted = false;
    for found in our_rest_authorizers(client, api_id, names).await? {
        let Some(id) = found.id().filter(|id| Some(*id) != keep) else {
            continue;
        };
        let result = client
            .delete_authorizer()
            .rest_api_id(api_id)
            .authorizer_id(id)
            .send()
            .await;
        deleted |= crate::stack::deleted(
            result,
            "apigateway",
            |e| e.is_not_found_exception(),
            &format!("authorizer {id}"),
        )?;
    }
    Ok(deleted)
}
