//! The authorize stage: who the caller is, by the method's authorization
//! type (today `NONE` and `AWS_IAM`; Lambda and Cognito/JWT authorizers
//! plug in at [`authorize_caller`]), then the API key, when the method
//! requires one, with the usage plan that lets it call this stage.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use crate::gateway::model::{Authorization, Keys, Method};
use crate::gateway::request::InboundRequest;
use crate::gateway::response::GatewayResponse;
use crate::gateway::sigv4;

/// How far a SigV4 timestamp may be from now: 5 minutes for execute-api
/// (every captured execute-api message says "5 min."; AWS Knowledge
/// Center, api-gateway-troubleshoot-403-forbidden; mhart/aws4#118).
pub const MAX_SKEW: Duration = Duration::from_secs(5 * 60);

/// What `AWS_IAM` methods verify signatures against.
pub struct IamVerifier<'a> {
    pub region: &'a str,
    /// Access key -> secret.
    pub credentials: &'a HashMap<String, String>,
    pub now: SystemTime,
}

/// An API key that passed, and the usage plan it is metered by.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKeyGrant {
    pub value: String,
    pub id: String,
    pub plan: PlanLimits,
}

/// A usage plan's limits, as metering needs them.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLimits {
    pub plan_id: String,
    /// (rate per second, burst)
    pub throttle: Option<(f64, u32)>,
    /// (limit, period: DAY | WEEK | MONTH)
    pub quota: Option<(u64, String)>,
}

/// The caller's identity (`AWS_IAM`: the access key that signed; None:
/// an open method).
pub fn authorize_caller(
    method: &Method,
    request: &InboundRequest,
    iam: &IamVerifier<'_>,
) -> Result<Option<String>, GatewayResponse> {
    match &method.authorization {
        Authorization::None => Ok(None),
        Authorization::AwsIam => verify_sigv4(request, iam).map(Some),
        // Lambda (CUSTOM) and Cognito/JWT authorizers go here.
        other @ (Authorization::Custom
        | Authorization::CognitoUserPools
        | Authorization::Other(_)) => {
            let message = format!(
                "the local gateway does not run {} authorizers",
                other.as_str()
            );
            Err(GatewayResponse::ApiConfigurationError {
                message: Some(message.clone()),
                cause: message,
            })
        }
    }
}

/// The access key that signed `request` (SigV4, service `execute-api`).
pub fn verify_sigv4(
    request: &InboundRequest,
    iam: &IamVerifier<'_>,
) -> Result<String, GatewayResponse> {
    let signed = sigv4::Request {
        method: &request.method,
        raw_path: &request.raw_path,
        raw_query: request.raw_query.as_deref(),
        headers: &request.headers,
        body: &request.body,
    };
    let scope = sigv4::Scope {
        region: iam.region,
        service: "execute-api",
        now: iam.now,
        max_skew: MAX_SKEW,
        normalize: true,
    };
    match sigv4::verify(&signed, &scope, |k| iam.credentials.get(k).cloned()) {
        Ok(caller) => Ok(caller.access_key),
        Err(sigv4::Rejection::Missing) => Err(GatewayResponse::MissingAuthenticationToken),
        Err(sigv4::Rejection::InvalidToken) => Err(GatewayResponse::InvalidSecurityToken),
        Err(sigv4::Rejection::Incomplete { message, reason }) => {
            Err(GatewayResponse::IncompleteSignature { message, reason })
        }
        Err(sigv4::Rejection::Invalid(message)) => Err(GatewayResponse::InvalidSignature(message)),
    }
}

/// The `x-api-key` header's value ("Forbidden" without one).
pub fn presented_api_key(request: &InboundRequest) -> Result<&str, GatewayResponse> {
    request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-api-key"))
        .map(|(_, v)| v.as_str())
        .ok_or(GatewayResponse::InvalidApiKey)
}

/// `value` must be an enabled key in a usage plan bound to this API and
/// stage; anything else is "Forbidden".
pub fn grant_api_key(
    value: &str,
    keys: &Keys,
    api_id: &str,
    stage: &str,
) -> Result<ApiKeyGrant, GatewayResponse> {
    let key = keys
        .by_value
        .get(value)
        .filter(|k| k.enabled)
        .ok_or(GatewayResponse::InvalidApiKey)?;
    let plan = keys
        .plans
        .iter()
        .find(|p| {
            p.key_ids.contains(&key.id) && p.stages.iter().any(|(a, s)| a == api_id && s == stage)
        })
        .ok_or(GatewayResponse::InvalidApiKey)?;
    Ok(ApiKeyGrant {
        value: value.to_string(),
        id: key.id.clone(),
        plan: PlanLimits {
            plan_id: plan.id.clone(),
            throttle: plan.throttle,
            quota: plan.quota.clone(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::model::{ApiKey, UsagePlan};

    fn method(authorization: &str) -> Method {
        Method {
            authorization_scopes: Vec::new(),
            authorization: authorization.into(),
            authorizer_id: None,
            api_key_required: false,
            integration: None,
        }
    }

    fn request(headers: &[(&str, &str)]) -> InboundRequest {
        InboundRequest {
            method: "POST".into(),
            raw_path: "/restapis/abc/v1/_user_request_/crud".into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: bytes::Bytes::from_static(b"{}"),
            ..InboundRequest::default()
        }
    }

    fn check(
        authorization: &str,
        request: &InboundRequest,
    ) -> Result<Option<String>, GatewayResponse> {
        let credentials = HashMap::from([("test".to_string(), "test".to_string())]);
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160); // 20150830T123600Z
        let iam = IamVerifier {
            region: "us-east-1",
            credentials: &credentials,
            now,
        };
        authorize_caller(&method(authorization), request, &iam)
    }

    #[test]
    fn open_methods_need_nothing_and_unsigned_iam_requests_miss_a_token() {
        assert_eq!(check("NONE", &request(&[])), Ok(None));
        assert_eq!(
            check("AWS_IAM", &request(&[])),
            Err(GatewayResponse::MissingAuthenticationToken)
        );
    }

    #[test]
    fn a_bad_signature_is_invalid_signature_with_aws_message() {
        let signed = request(&[
            ("host", "127.0.0.1"),
            ("x-amz-date", "20150830T123600Z"),
            (
                "authorization",
                "AWS4-HMAC-SHA256 Credential=test/20150830/us-east-1/execute-api/aws4_request, \
                 SignedHeaders=host;x-amz-date, Signature=00",
            ),
        ]);
        let refused = check("AWS_IAM", &signed).unwrap_err();
        let GatewayResponse::InvalidSignature(message) = &refused else {
            panic!("{refused:?}");
        };
        assert!(
            message.starts_with("The request signature we calculated does not match"),
            "{message}"
        );
        let reply = refused.respond(None);
        assert_eq!(reply.status, 403);
        assert_eq!(
            reply.headers[1],
            (
                "x-amzn-ErrorType".into(),
                "InvalidSignatureException".into()
            )
        );
    }

    #[test]
    fn authorizers_the_gateway_does_not_run_are_a_500_saying_so() {
        for kind in ["CUSTOM", "COGNITO_USER_POOLS"] {
            let refused = check(kind, &request(&[])).unwrap_err();
            let reply = refused.respond(None);
            assert_eq!(reply.status, 500);
            let body: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
            assert_eq!(
                body["message"],
                format!("the local gateway does not run {kind} authorizers")
            );
        }
    }

    fn keys() -> Keys {
        let key = |id: &str, enabled| ApiKey {
            id: id.into(),
            enabled,
        };
        Keys {
            by_value: HashMap::from([
                ("good".to_string(), key("k1", true)),
                ("off".to_string(), key("k2", false)),
                ("elsewhere".to_string(), key("k3", true)),
            ]),
            plans: vec![
                UsagePlan {
                    id: "p1".into(),
                    stages: vec![("abc".into(), "v1".into())],
                    throttle: Some((2.0, 4)),
                    quota: None,
                    key_ids: vec!["k1".into(), "k2".into()],
                },
                UsagePlan {
                    id: "p2".into(),
                    stages: vec![("other".into(), "v1".into())],
                    throttle: None,
                    quota: None,
                    key_ids: vec!["k3".into()],
                },
            ],
        }
    }

    #[test]
    fn api_keys_must_be_presented_known_enabled_and_planned_for_this_stage() {
        let forbidden = Err(GatewayResponse::InvalidApiKey);
        assert_eq!(presented_api_key(&request(&[])).map(|_| ()), forbidden);
        assert_eq!(
            presented_api_key(&request(&[("X-Api-Key", "good")])),
            Ok("good")
        );
        let keys = keys();
        let grant = grant_api_key("good", &keys, "abc", "v1").unwrap();
        assert_eq!(
            (grant.id.as_str(), grant.plan.plan_id.as_str()),
            ("k1", "p1")
        );
        assert_eq!(grant.plan.throttle, Some((2.0, 4)));
        assert_eq!(
            grant_api_key("nope", &keys, "abc", "v1").map(|_| ()),
            forbidden,
            "unknown"
        );
        assert_eq!(
            grant_api_key("off", &keys, "abc", "v1").map(|_| ()),
            forbidden,
            "disabled"
        );
        assert_eq!(
            grant_api_key("elsewhere", &keys, "abc", "v1").map(|_| ()),
            forbidden,
            "another API's plan"
        );
        assert_eq!(
            grant_api_key("good", &keys, "abc", "v2").map(|_| ()),
            forbidden,
            "another stage"
        );
        let reply = GatewayResponse::InvalidApiKey.respond(None);
        assert_eq!(
            (reply.status, reply.body.as_slice()),
            (403, br#"{"message": "Forbidden"}"#.as_slice())
        );
    }
}
