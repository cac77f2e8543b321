//! `--auth cognito`: a user pool and an app client made for the stack, and
//! the calls `login` needs (a user made with a permanent password; the
//! USER_PASSWORD_AUTH sign-in).
//!
//! Cognito's control plane is a JSON 1.1 API (`X-Amz-Target:
//! AWSCognitoIdentityProviderService.Op`): these few calls go through
//! `aws_http::JsonApi` (reqwest, signed by aws-sigv4 as the SDK signs). The
//! SDK's Cognito crate would add minutes to every build for eight operations.

use aws_credential_types::provider::SharedCredentialsProvider;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::error::AppError;
use crate::stack::Names;

/// The pool, its app client, as recorded in the stack's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserPool {
    pub id: String,
    pub arn: String,
    pub client_id: String,
}

impl UserPool {
    /// The `iss` of the pool's tokens.
    pub fn issuer(&self, region: &str) -> String {
        issuer(region, &self.id)
    }
}

/// `https://cognito-idp.REGION.amazonaws.com/POOL_ID`, the pool's tokens' `iss`.
pub fn issuer(region: &str, pool_id: &str) -> String {
    format!("https://cognito-idp.{region}.amazonaws.com/{pool_id}")
}

/// The pool id an issuer URL names, if it is a Cognito pool's.
pub fn pool_of_issuer(issuer: &str) -> Option<(&str, &str)> {
    let rest = issuer.strip_prefix("https://cognito-idp.")?;
    let (region, pool) = rest.split_once(".amazonaws.com/")?;
    (!pool.is_empty() && !pool.contains('/')).then_some((region, pool))
}

/// The tokens of a sign-in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    pub id_token: String,
    pub access_token: String,
    /// Seconds the tokens are valid for.
    pub expires_in: u64,
}

/// A sign-in `login` keeps for the stack's later commands: owner-only, next
/// to the stack's state (never printed unless asked).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Login {
    pub user: String,
    pub tokens: Tokens,
    /// Seconds since the epoch.
    pub expires_at: u64,
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

impl Login {
    pub fn new(user: &str, tokens: Tokens) -> Login {
        Login {
            user: user.to_string(),
            expires_at: now() + tokens.expires_in,
            tokens,
        }
    }

    /// `logins/{local|aws}/REGION/STACK.json` in the state dir (beside
    /// `stacks/`, which lists stacks).
    pub fn path(stack: &str, region: &str, local: bool) -> Result<std::path::PathBuf, AppError> {
        let state = crate::stack::state_path(stack, region, local)?;
        let relative = state
            .strip_prefix(crate::paths::state_dir()?.join("stacks"))
            .map_err(|_| AppError::internal("state files live under stacks/"))?
            .to_path_buf();
        Ok(crate::paths::state_dir()?.join("logins").join(relative))
    }

    pub fn load(stack: &str, region: &str, local: bool) -> Result<Option<Login>, AppError> {
        crate::paths::read_json(
            &Login::path(stack, region, local)?,
            "delete it and run `serverless-crud login` again",
        )
    }

    pub fn save(&self, stack: &str, region: &str, local: bool) -> Result<(), AppError> {
        crate::paths::write_json(&Login::path(stack, region, local)?, self)
    }

    /// Forgets the stack's sign-in (teardown); true when there was one.
    pub fn remove(stack: &str, region: &str, local: bool) -> Result<bool, AppError> {
        let path = Login::path(stack, region, local)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(AppError::io("delete", path, e)),
        }
    }

    /// Expired, or about to (within a minute).
    pub fn expired(&self) -> bool {
        self.expires_at <= now() + 60
    }
}

/// A Cognito IdP client over the stack's credentials and endpoint.
pub struct Cognito {
    api: crate::aws_http::JsonApi,
}

impl Cognito {
    /// `endpoint`: the local stack's moto, else Cognito's regional endpoint.
    pub fn new(
        region: &str,
        endpoint: Option<&str>,
        credentials: Option<SharedCredentialsProvider>,
    ) -> Cognito {
        Cognito {
            api: crate::aws_http::JsonApi::cognito(region, endpoint, credentials),
        }
    }

    /// One call; `signed: false` for the public sign-in calls (no AWS
    /// credentials needed to log in).
    async fn call(&self, op: &str, body: Value, signed: bool) -> Result<Value, AppError> {
        if !op.starts_with("Describe") && !op.starts_with("List") && op != "InitiateAuth" {
            crate::dry_run::guard(&format!("call cognito-idp {op}"))?;
        }
        let what = format!("cognito-idp {op}");
        let bytes = self
            .api
            .call(op, &what, body.to_string().as_bytes(), signed)
            .await?;
        Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    /// The stack's pool (named as the API), if there is one: (id, arn).
    pub async fn find_pool(&self, names: &Names) -> Result<Option<(String, String)>, AppError> {
        let name = names.api();
        let mut token: Option<String> = None;
        loop {
            let mut body = json!({"MaxResults": 60});
            if let Some(t) = &token {
                body["NextToken"] = json!(t);
            }
            let page = self.call("ListUserPools", body, true).await?;
            for pool in page["UserPools"].as_array().into_iter().flatten() {
                if pool["Name"].as_str() == Some(name.as_str()) {
                    let id = pool["Id"].as_str().unwrap_or_default().to_string();
                    let described = self
                        .call("DescribeUserPool", json!({"UserPoolId": id}), true)
                        .await?;
                    let arn = described["UserPool"]["Arn"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    return Ok(Some((id, arn)));
                }
            }
            token = page["NextToken"].as_str().map(str::to_string);
            if token.is_none() {
                return Ok(None);
            }
        }
    }

    /// The stack's app client of `pool_id`, if there is one.
    async fn find_client(&self, pool_id: &str, names: &Names) -> Result<Option<String>, AppError> {
        let clients = self
            .call(
                "ListUserPoolClients",
                json!({"UserPoolId": pool_id, "MaxResults": 60}),
                true,
            )
            .await?;
        Ok(clients["UserPoolClients"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["ClientName"].as_str() == Some(names.api().as_str()))
            .and_then(|c| c["ClientId"].as_str())
            .map(str::to_string))
    }

    /// The pool and its app client, made when missing: (pool, created).
    pub async fn ensure(&self, names: &Names) -> Result<(UserPool, bool), AppError> {
        let (id, arn, mut created) = match self.find_pool(names).await? {
            Some((id, arn)) => (id, arn, false),
            None => {
                let tags: serde_json::Map<String, Value> = names
                    .tags()
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect();
                let made = self
                    .call(
                        "CreateUserPool",
                        json!({
                            "PoolName": names.api(),
                            "Policies": {"PasswordPolicy": {
                                "MinimumLength": 8,
                                "RequireUppercase": true,
                                "RequireLowercase": true,
                                "RequireNumbers": true,
                                "RequireSymbols": false,
                            }},
                            "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true},
                            "UserPoolTags": tags,
                        }),
                        true,
                    )
                    .await?;
                let pool = &made["UserPool"];
                (
                    pool["Id"].as_str().unwrap_or_default().to_string(),
                    pool["Arn"].as_str().unwrap_or_default().to_string(),
                    true,
                )
            }
        };
        let client_id = match self.find_client(&id, names).await? {
            Some(client) => client,
            None => {
                created = true;
                let made = self
                    .call(
                        "CreateUserPoolClient",
                        json!({
                            "UserPoolId": id,
                            "ClientName": names.api(),
                            "GenerateSecret": false,
                            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                            "PreventUserExistenceErrors": "ENABLED",
                        }),
                        true,
                    )
                    .await?;
                made["UserPoolClient"]["ClientId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            }
        };
        if id.is_empty() || client_id.is_empty() {
            return Err(AppError::internal(
                "cognito-idp answered without a pool or client id",
            ));
        }
        Ok((UserPool { id, arn, client_id }, created))
    }

    /// Deletes the stack's pool (its clients and users with it): deleted or absent.
    pub async fn delete(&self, names: &Names) -> Result<bool, AppError> {
        match self.find_pool(names).await? {
            Some((id, _)) => self.delete_pool(&id).await,
            None => Ok(false),
        }
    }

    /// Deletes pool `id` with its clients and users: deleted or absent.
    pub async fn delete_pool(&self, id: &str) -> Result<bool, AppError> {
        match self
            .call("DeleteUserPool", json!({"UserPoolId": id}), true)
            .await
        {
            Ok(_) => Ok(true),
            Err(AppError::Aws { code: Some(c), .. }) if c == "ResourceNotFoundException" => {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// Whether the pool still has the client (status's drift check).
    pub async fn client_exists(&self, pool: &UserPool) -> Result<bool, AppError> {
        let found = self
            .call(
                "DescribeUserPoolClient",
                json!({"UserPoolId": pool.id, "ClientId": pool.client_id}),
                true,
            )
            .await;
        match found {
            Ok(_) => Ok(true),
            Err(AppError::Aws { code: Some(c), .. }) if c == "ResourceNotFoundException" => {
                Ok(false)
            }
            Err(e) => Err(e),
        }
    }

    /// A confirmed user with a permanent password (no invitation sent).
    pub async fn create_user(
        &self,
        pool: &UserPool,
        user: &str,
        password: &str,
    ) -> Result<(), AppError> {
        self.call(
            "AdminCreateUser",
            json!({"UserPoolId": pool.id, "Username": user, "MessageAction": "SUPPRESS"}),
            true,
        )
        .await?;
        self.call(
            "AdminSetUserPassword",
            json!({"UserPoolId": pool.id, "Username": user, "Password": password, "Permanent": true}),
            true,
        )
        .await?;
        Ok(())
    }

    /// Signs `user` in (USER_PASSWORD_AUTH, no AWS credentials needed).
    pub async fn login(
        &self,
        pool: &UserPool,
        user: &str,
        password: &str,
    ) -> Result<Tokens, AppError> {
        let reply = self
            .call(
                "InitiateAuth",
                json!({
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "ClientId": pool.client_id,
                    "AuthParameters": {"USERNAME": user, "PASSWORD": password},
                }),
                false,
            )
            .await?;
        if let Some(challenge) = reply["ChallengeName"].as_str() {
            return Err(AppError::usage(format!(
                "the user pool asks {user} for a {challenge} challenge, which login does not answer: set a permanent password (login --create makes users with one)"
            )));
        }
        let result = &reply["AuthenticationResult"];
        match (
            result["IdToken"].as_str(),
            result["AccessToken"].as_str(),
            result["ExpiresIn"].as_u64(),
        ) {
            (Some(id), Some(access), expires) => Ok(Tokens {
                id_token: id.to_string(),
                access_token: access.to_string(),
                expires_in: expires.unwrap_or(3600),
            }),
            _ => Err(AppError::internal(
                "cognito-idp InitiateAuth answered without tokens",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_name_their_pool() {
        let iss = issuer("eu-west-1", "eu-west-1_AbC");
        assert_eq!(
            iss,
            "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC"
        );
        assert_eq!(pool_of_issuer(&iss), Some(("eu-west-1", "eu-west-1_AbC")));
        assert_eq!(pool_of_issuer("https://issuer.example.com/x"), None);
        assert_eq!(
            pool_of_issuer("https://cognito-idp.eu-west-1.amazonaws.com/a/b"),
            None
        );
        assert_eq!(
            pool_of_issuer("http://cognito-idp.eu-west-1.amazonaws.com/a"),
            None
        );
    }
}
