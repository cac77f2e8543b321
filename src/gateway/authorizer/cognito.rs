//! COGNITO_USER_POOLS authorizers of REST APIs: the token in the identity
//! source header (`Bearer ` optional), verified against the keys of the
//! user pool that issued it, which must be one of the authorizer's pools
//! ([`jwt::verify_user_pool_token`]); the claims delivered, as strings, in
//! `requestContext.authorizer.claims`. Every refusal is AWS's 401
//! `{"message":"Unauthorized"}`; the access log says which rule failed.

use serde_json::json;

use super::run::{Authorized, AuthorizerTrace};
use crate::gateway::jwt::{self, Refusal};
use crate::gateway::model::{Api, AuthorizerKind, Method};
use crate::gateway::response::GatewayResponse;
use crate::gateway::Gateway;

/// The issuer URL of a user pool ARN (`arn:aws:cognito-idp:R:A:userpool/ID`).
pub fn issuer_of_pool_arn(arn: &str) -> Option<String> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some("cognito-idp"), Some(region), Some(_), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let pool = resource.strip_prefix("userpool/")?;
    Some(crate::stack::cognito::issuer(region, pool))
}

impl Gateway {
    pub(in crate::gateway) async fn user_pool_authorize(
        &self,
        api: &Api,
        method: &Method,
        header: &(dyn Fn(&str) -> Option<String> + Sync),
        trace: &mut AuthorizerTrace,
    ) -> Result<Authorized, GatewayResponse> {
        let authorizer = method
            .authorizer_id
            .as_ref()
            .and_then(|id| api.authorizers.get(id))
            .filter(|a| a.kind == AuthorizerKind::CognitoUserPools)
            .ok_or_else(|| GatewayResponse::AuthorizerConfigurationError {
                cause: "the method's COGNITO_USER_POOLS authorizer does not exist".into(),
            })?;
        trace.name.clone_from(&authorizer.name);
        let mut refuse = |why: &str| {
            trace.error = Some(why.to_string());
            GatewayResponse::Unauthorized
        };
        let name = authorizer
            .identity_source
            .trim()
            .strip_prefix("method.request.header.")
            .unwrap_or("Authorization");
        let value = header(name);
        let Some(token) = jwt::token_of(value.as_deref()) else {
            return Err(refuse(&format!("no token in the {name} header")));
        };
        let (alg, kid) = match jwt::header_of(token) {
            Ok(found) => found,
            Err(Refusal::Unauthorized(why)) => return Err(refuse(why.unwrap_or(jwt::MALFORMED))),
            Err(_) => return Err(refuse(jwt::MALFORMED)),
        };
        let pools: Vec<String> = authorizer
            .provider_arns
            .iter()
            .filter_map(|arn| issuer_of_pool_arn(arn))
            .collect();
        let Some(issuer) = jwt::claimed_issuer(token).filter(|iss| pools.contains(iss)) else {
            return Err(refuse(
                "the token was not issued by the authorizer's user pool(s)",
            ));
        };
        let key = match self
            .jwks
            .key(&self.http, &self.keys_location(&issuer), kid.as_deref())
            .await
        {
            Ok(key) => key,
            Err(Refusal::KeysUnavailable(cause)) => {
                trace.error = Some(cause.clone());
                return Err(GatewayResponse::AuthorizerFailure { cause });
            }
            Err(Refusal::Unauthorized(why)) => return Err(refuse(why.unwrap_or(jwt::UNKNOWN_KEY))),
            Err(Refusal::Forbidden) => return Err(refuse(jwt::UNKNOWN_KEY)),
        };
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        let claims = jwt::verify_user_pool_token(
            token,
            alg,
            &key,
            &issuer,
            &method.authorization_scopes,
            now,
        )
        .map_err(|r| match r {
            Refusal::Unauthorized(why) => refuse(why.unwrap_or(jwt::MALFORMED)),
            _ => refuse(jwt::MALFORMED),
        })?;
        Ok(Authorized {
            context: json!({"claims": jwt::rest_claims(&claims)}),
            usage_key: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_arns_name_their_issuer() {
        assert_eq!(
            issuer_of_pool_arn("arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Ab"),
            Some("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Ab".into())
        );
        assert_eq!(
            issuer_of_pool_arn("arn:aws:lambda:eu-west-1:1:function:f"),
            None
        );
        assert_eq!(issuer_of_pool_arn("userpool/x"), None);
    }
}
