//! How callers of a stack's API authenticate: one type for the command line
//! (`--auth`), the stack's state (`iam`: AWS_IAM methods; `api-key`: a key and
//! a usage plan; `lambda`: a Lambda authorizer, sent a bearer token;
//! `jwt`: a JWT authorizer; `cognito`: a user pool made for the stack;
//! `none`: open, with --allow-public) and the API transport.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Auth {
    /// SigV4-sign requests with your AWS credentials (AWS_IAM methods)
    Iam,
    /// Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)
    ApiKey,
    /// A Lambda authorizer decides: send a token (--token /
    /// SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`
    Lambda,
    /// A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an
    /// OIDC issuer's, or the local stack's (`local token`)
    Jwt,
    /// A Cognito user pool made for the stack decides: `login` signs a
    /// user in, and its token is sent (or --token)
    Cognito,
    /// No authentication
    None,
}

impl Auth {
    /// The name users write (`--auth api-key`), as in the JSON.
    pub fn name(self) -> &'static str {
        match self {
            Auth::Iam => "iam",
            Auth::ApiKey => "api-key",
            Auth::Lambda => "lambda",
            Auth::Jwt => "jwt",
            Auth::Cognito => "cognito",
            Auth::None => "none",
        }
    }
}

impl std::fmt::Display for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_command_line_names_agree() {
        use clap::ValueEnum;
        for auth in Auth::value_variants() {
            let json = serde_json::to_value(auth).unwrap();
            assert_eq!(json, auth.name());
            let flag = auth.to_possible_value().unwrap();
            assert_eq!(flag.get_name(), auth.name());
        }
    }
}
