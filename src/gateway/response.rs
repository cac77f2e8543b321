//! API Gateway's own answers — its gateway responses. Every refusal a stage
//! makes is one [`GatewayResponse`], named after AWS's response type, which
//! knows its status, its `{"message": ...}` body and its `x-amzn-ErrorType`;
//! a stage's configured gateway responses may override them by type, with
//! DEFAULT_4XX / DEFAULT_5XX as the fallback, as on AWS.

use std::collections::HashMap;

use serde_json::json;

use crate::gateway::integration::HttpReply;
use crate::gateway::mapping::{header_mappings, RequestParams, Source};

/// AWS's message for its own 5xx answers.
const INTERNAL_SERVER_ERROR: &str = "Internal server error";

/// A refusal, by gateway-response type. The `cause` of a 5xx is for the
/// gateway's log only; the client sees the message.
#[derive(Debug, Clone, PartialEq)]
pub enum GatewayResponse {
    AccessDenied,
    /// ACCESS_DENIED by a Lambda authorizer's explicit `Deny`.
    ExplicitDeny,
    /// `message`: what the client sees (None: "Internal server error").
    ApiConfigurationError {
        message: Option<String>,
        cause: String,
    },
    AuthorizerConfigurationError {
        cause: String,
    },
    AuthorizerFailure {
        cause: String,
    },
    BadRequestBody,
    Default4xx,
    /// The gateway's own failure, or a reply it cannot map (502).
    Default5xx {
        status: u16,
        cause: String,
    },
    ExpiredToken,
    IntegrationFailure {
        cause: String,
    },
    IntegrationTimeout,
    InvalidApiKey,
    /// A malformed SigV4 Authorization header (`IncompleteSignatureException`):
    /// AWS's message (which quotes the header) and a reason to log instead.
    IncompleteSignature {
        message: String,
        reason: String,
    },
    /// SigV4 refused: AWS's message, as the client sees it.
    InvalidSignature(String),
    /// An unknown access key or a security token the local credentials do
    /// not have: ACCESS_DENIED with AWS's message and type (AWS Knowledge
    /// Center, "How do I troubleshoot HTTP 403 errors from API Gateway?").
    InvalidSecurityToken,
    MissingAuthenticationToken,
    QuotaExceeded,
    RequestTooLarge,
    ResourceNotFound,
    Throttled,
    Unauthorized,
    /// A JWT refused (401): the `www-authenticate` header, and why (for the log).
    InvalidJwt {
        www_authenticate: String,
        reason: String,
    },
    /// A JWT without any of the route's scopes (403 Forbidden).
    InsufficientScope,
}

use GatewayResponse as R;

impl GatewayResponse {
    /// The gateway's own failure (500 "Internal server error"), with its cause.
    pub fn internal(cause: impl Into<String>) -> GatewayResponse {
        R::Default5xx {
            status: 500,
            cause: cause.into(),
        }
    }

    /// A configuration the gateway cannot serve (500), with its cause.
    pub fn misconfigured(cause: impl Into<String>) -> GatewayResponse {
        R::ApiConfigurationError {
            message: None,
            cause: cause.into(),
        }
    }

    /// AWS's name of the type (`responseType` of a GatewayResponse).
    pub fn response_type(&self) -> &'static str {
        match self {
            R::AccessDenied | R::ExplicitDeny => "ACCESS_DENIED",
            R::ApiConfigurationError { .. } => "API_CONFIGURATION_ERROR",
            R::AuthorizerConfigurationError { .. } => "AUTHORIZER_CONFIGURATION_ERROR",
            R::AuthorizerFailure { .. } => "AUTHORIZER_FAILURE",
            R::BadRequestBody => "BAD_REQUEST_BODY",
            R::Default4xx => "DEFAULT_4XX",
            R::Default5xx { .. } => "DEFAULT_5XX",
            R::ExpiredToken => "EXPIRED_TOKEN",
            R::IntegrationFailure { .. } => "INTEGRATION_FAILURE",
            R::IntegrationTimeout => "INTEGRATION_TIMEOUT",
            R::InvalidApiKey => "INVALID_API_KEY",
            R::IncompleteSignature { .. } | R::InvalidSignature(_) => "INVALID_SIGNATURE",
            R::InvalidSecurityToken => "ACCESS_DENIED",
            R::MissingAuthenticationToken => "MISSING_AUTHENTICATION_TOKEN",
            R::QuotaExceeded => "QUOTA_EXCEEDED",
            R::RequestTooLarge => "REQUEST_TOO_LARGE",
            R::ResourceNotFound => "RESOURCE_NOT_FOUND",
            R::Throttled => "THROTTLED",
            R::Unauthorized | R::InvalidJwt { .. } => "UNAUTHORIZED",
            R::InsufficientScope => "ACCESS_DENIED",
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            R::BadRequestBody | R::Default4xx => 400,
            R::Unauthorized | R::InvalidJwt { .. } => 401,
            R::AccessDenied
            | R::ExplicitDeny
            | R::InsufficientScope
            | R::ExpiredToken
            | R::InvalidApiKey
            | R::IncompleteSignature { .. }
            | R::InvalidSignature(_)
            | R::InvalidSecurityToken
            | R::MissingAuthenticationToken => 403,
            R::ResourceNotFound => 404,
            R::RequestTooLarge => 413,
            R::QuotaExceeded | R::Throttled => 429,
            // INTEGRATION_FAILURE defaults to 504 on AWS; the local gateway has always said 500.
            R::ApiConfigurationError { .. }
            | R::AuthorizerConfigurationError { .. }
            | R::AuthorizerFailure { .. }
            | R::IntegrationFailure { .. } => 500,
            R::Default5xx { status, .. } => *status,
            R::IntegrationTimeout => 504,
        }
    }

    /// The `message` of the default body (`$context.error.message`).
    pub fn message(&self) -> &str {
        match self {
            R::AccessDenied => "User is not authorized to access this resource",
            R::ExplicitDeny => {
                "User is not authorized to access this resource with an explicit deny"
            }
            R::ApiConfigurationError {
                message: Some(m), ..
            } => m,
            R::BadRequestBody => "Invalid request body",
            R::Default4xx => "Bad Request",
            R::ExpiredToken => "The security token included in the request is expired",
            R::IntegrationTimeout => "Endpoint request timed out",
            R::InvalidApiKey => "Forbidden",
            R::IncompleteSignature { message, .. } | R::InvalidSignature(message) => message,
            R::InvalidSecurityToken => "The security token included in the request is invalid.",
            R::MissingAuthenticationToken => "Missing Authentication Token",
            R::QuotaExceeded => "Limit Exceeded",
            R::RequestTooLarge => "Request Too Long",
            R::ResourceNotFound => "Not Found",
            R::Throttled => "Too Many Requests",
            R::Unauthorized | R::InvalidJwt { .. } => "Unauthorized",
            R::InsufficientScope => "Forbidden",
            R::ApiConfigurationError { message: None, .. }
            | R::AuthorizerConfigurationError { .. }
            | R::AuthorizerFailure { .. }
            | R::Default5xx { .. }
            | R::IntegrationFailure { .. } => INTERNAL_SERVER_ERROR,
        }
    }

    /// The `x-amzn-ErrorType` header.
    pub fn error_type(&self) -> &'static str {
        match self {
            R::AccessDenied | R::ExplicitDeny => "AccessDeniedException",
            R::AuthorizerConfigurationError { .. } => "AuthorizerConfigurationException",
            R::AuthorizerFailure { .. } => "AuthorizerFailureException",
            R::BadRequestBody | R::Default4xx => "BadRequestException",
            R::ExpiredToken => "ExpiredTokenException",
            R::InvalidApiKey => "ForbiddenException",
            R::IncompleteSignature { .. } => "IncompleteSignatureException",
            R::InvalidSignature(_) => "InvalidSignatureException",
            R::InvalidSecurityToken => "AccessDeniedException",
            R::MissingAuthenticationToken => "MissingAuthenticationTokenException",
            R::QuotaExceeded => "LimitExceededException",
            // The one capture of API Gateway's 413 (a Lambda proxy request
            // over Lambda's 6 MB) says BadRequestException (aws-behaviours
            // research: koki-develop/lgtm-generator#10).
            R::RequestTooLarge => "BadRequestException",
            R::ResourceNotFound => "NotFoundException",
            R::Throttled => "TooManyRequestsException",
            R::Unauthorized | R::InvalidJwt { .. } => "UnauthorizedException",
            R::InsufficientScope => "AccessDeniedException",
            // Every recorded gateway 5xx says InternalServerErrorException
            // (LocalStack's AWS snapshots: test_apigateway_integrations,
            // test_apigateway_import, TestApigatewayTestInvoke); a timeout too.
            R::ApiConfigurationError { .. }
            | R::Default5xx { .. }
            | R::IntegrationFailure { .. }
            | R::IntegrationTimeout => "InternalServerErrorException",
        }
    }

    /// What the access log says (`$context.error.message`): the message,
    /// but never a value the client sent — a malformed Authorization
    /// header's reason instead of the header it quotes, and only the first
    /// line of a signature mismatch (not the canonical request, which can
    /// hold a signed `x-api-key`).
    pub fn log_message(&self) -> &str {
        match self {
            R::IncompleteSignature { reason, .. } | R::InvalidJwt { reason, .. } => reason,
            R::InsufficientScope => "the token has none of the route's scopes",
            R::InvalidSignature(message) => message.split('\n').next().unwrap_or_default(),
            other => other.message(),
        }
    }

    /// Why the gateway failed, for its log (client refusals have none).
    pub fn cause(&self) -> Option<&str> {
        match self {
            R::ApiConfigurationError { cause, .. }
            | R::AuthorizerConfigurationError { cause }
            | R::AuthorizerFailure { cause }
            | R::Default5xx { cause, .. }
            | R::IntegrationFailure { cause } => Some(cause),
            _ => None,
        }
    }

    /// The type whose configured response applies when this one has none.
    fn fallback_type(&self) -> &'static str {
        if self.status() >= 500 {
            "DEFAULT_5XX"
        } else {
            "DEFAULT_4XX"
        }
    }

    /// The answer: the default one, or as the API's gateway responses
    /// configure this type (else its DEFAULT_4XX / DEFAULT_5XX).
    pub fn respond(&self, overrides: Option<&GatewayResponses>) -> HttpReply {
        match overrides {
            None => self.default_reply(),
            Some(o) => self.respond_for(o, &RequestParams::default()).0,
        }
    }

    fn default_reply(&self) -> HttpReply {
        let mut reply = HttpReply::message(self.status(), self.message(), self.error_type());
        // A Lambda authorizer's refusals, as recorded on AWS: the 403s say
        // `Message` (compact), the 401 is compact (26 bytes), and a failing
        // authorizer's 500 has a null message (aws/chalice#670).
        let body = match self {
            R::AccessDenied | R::ExplicitDeny => json!({"Message": self.message()}).to_string(),
            R::Unauthorized => json!({"message": self.message()}).to_string(),
            R::AuthorizerConfigurationError { .. } => r#"{"message": null}"#.to_string(),
            _ => return reply,
        };
        reply.body = body.into_bytes();
        reply
    }

    /// The answer for `request` as the API's gateway responses configure
    /// it, and what in the configuration is not emulated (then the answer
    /// is a 500 and that goes to the log).
    pub fn respond_for(
        &self,
        overrides: &GatewayResponses,
        request: &RequestParams,
    ) -> (HttpReply, Option<String>) {
        let configured = overrides
            .by_type
            .get(self.response_type())
            .or_else(|| overrides.by_type.get(self.fallback_type()));
        let mut reply = self.default_reply();
        let Some(configured) = configured else {
            return (reply, None);
        };
        if let Some(why) = &configured.unsupported {
            return (HttpReply::internal_error(), Some(why.clone()));
        }
        configured.apply(self, request, &mut reply);
        (reply, None)
    }
}

/// A REST API's configured gateway responses, by response type.
#[derive(Debug, Clone, Default)]
pub struct GatewayResponses {
    pub by_type: HashMap<String, ConfiguredResponse>,
}

impl GatewayResponses {
    /// From the control plane's `GetGatewayResponses` items.
    pub fn of(items: &[aws_sdk_apigateway::types::GatewayResponse]) -> GatewayResponses {
        let by_type = items
            .iter()
            .filter(|i| !i.default_response())
            .filter_map(|i| {
                let kind = i.response_type()?.as_str().to_string();
                let configured = ConfiguredResponse::of(
                    i.status_code(),
                    &i.response_parameters().cloned().unwrap_or_default(),
                    &i.response_templates().cloned().unwrap_or_default(),
                );
                Some((kind, configured))
            })
            .collect();
        GatewayResponses { by_type }
    }
}

/// One configured gateway response (`PutGatewayResponse`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfiguredResponse {
    pub status: Option<u16>,
    /// `gatewayresponse.header.NAME` -> where its value comes from.
    pub headers: Vec<(String, Source)>,
    /// The `application/json` template (None: the default body).
    pub template: Option<ErrorTemplate>,
    /// What in it is not emulated.
    pub unsupported: Option<String>,
}

impl ConfiguredResponse {
    pub fn of(
        status: Option<&str>,
        parameters: &HashMap<String, String>,
        templates: &HashMap<String, String>,
    ) -> ConfiguredResponse {
        let mut unsupported = None;
        let status = status.and_then(|s| match s.parse::<u16>() {
            Ok(code) => Some(code),
            Err(_) => {
                unsupported = Some(format!("the gateway response status {s:?} is not a status"));
                None
            }
        });
        let headers =
            header_mappings(parameters, "gatewayresponse.header.").unwrap_or_else(|why| {
                unsupported.get_or_insert(why);
                Vec::new()
            });
        let template = templates.get("application/json").and_then(|t| {
            ErrorTemplate::parse(t)
                .map_err(|why| unsupported.get_or_insert(why).clone())
                .ok()
        });
        if let Some(other) = templates.keys().find(|k| *k != "application/json") {
            unsupported.get_or_insert(format!(
                "a gateway response template for {other} is not emulated"
            ));
        }
        ConfiguredResponse {
            status,
            headers,
            template,
            unsupported,
        }
    }

    fn apply(&self, refusal: &GatewayResponse, request: &RequestParams, reply: &mut HttpReply) {
        if let Some(status) = self.status {
            reply.status = status;
        }
        for (name, source) in &self.headers {
            if let Some(value) = source.value(request) {
                reply.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                reply.headers.push((name.clone(), value));
            }
        }
        if let Some(template) = &self.template {
            reply.body = template.render(refusal).into_bytes();
        }
    }
}

/// A gateway response's body template: text and `$context.error.message`,
/// `$context.error.messageString` (the message as a JSON string) and
/// `$context.error.responseType`; anything else is not emulated.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorTemplate(Vec<Piece>);

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Message,
    MessageString,
    ResponseType,
}

impl ErrorTemplate {
    pub fn parse(text: &str) -> Result<ErrorTemplate, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find(['$', '#']) {
            pieces.push(Piece::Text(rest[..at].to_string()));
            let after = &rest[at + 1..];
            if rest[at..].starts_with('#') {
                if after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '{' || c == '#') {
                    return Err(format!(
                        "a directive in a gateway response template is not emulated ({})",
                        &rest[at..(at + 12).min(rest.len())]
                    ));
                }
                pieces.push(Piece::Text("#".into()));
                rest = after;
                continue;
            }
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
                .unwrap_or(after.len());
            let name = after[..len].trim_end_matches('.');
            let piece = match name {
                "context.error.messageString" => Piece::MessageString,
                "context.error.message" => Piece::Message,
                "context.error.responseType" => Piece::ResponseType,
                "" => Piece::Text("$".into()),
                other => {
                    return Err(format!(
                        "${other} in a gateway response template is not emulated"
                    ))
                }
            };
            pieces.push(piece);
            rest = &after[name.len()..];
        }
        pieces.push(Piece::Text(rest.to_string()));
        Ok(ErrorTemplate(pieces))
    }

    fn render(&self, refusal: &GatewayResponse) -> String {
        self.0
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.clone(),
                Piece::Message => refusal.message().to_string(),
                Piece::MessageString => json!(refusal.message()).to_string(),
                Piece::ResponseType => refusal.response_type().to_string(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(reply: &HttpReply) -> serde_json::Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    fn error_type(reply: &HttpReply) -> &str {
        reply
            .headers
            .iter()
            .find(|(n, _)| n == "x-amzn-ErrorType")
            .map(|(_, v)| v.as_str())
            .unwrap()
    }

    /// (refusal, type, status, message, x-amzn-ErrorType)
    #[rustfmt::skip]
    fn table() -> Vec<(GatewayResponse, &'static str, u16, &'static str, &'static str)> {
        let cause = || "why".to_string();
        let lambda_only = "the local gateway runs Lambda integrations only, not HTTP";
        vec![
            (R::AccessDenied, "ACCESS_DENIED", 403, "User is not authorized to access this resource", "AccessDeniedException"),
            (R::ExplicitDeny, "ACCESS_DENIED", 403, "User is not authorized to access this resource with an explicit deny", "AccessDeniedException"),
            (R::misconfigured("why"), "API_CONFIGURATION_ERROR", 500, "Internal server error", "InternalServerErrorException"),
            (R::ApiConfigurationError { message: Some(lambda_only.into()), cause: cause() }, "API_CONFIGURATION_ERROR", 500, lambda_only, "InternalServerErrorException"),
            (R::AuthorizerConfigurationError { cause: cause() }, "AUTHORIZER_CONFIGURATION_ERROR", 500, "Internal server error", "AuthorizerConfigurationException"),
            (R::AuthorizerFailure { cause: cause() }, "AUTHORIZER_FAILURE", 500, "Internal server error", "AuthorizerFailureException"),
            (R::BadRequestBody, "BAD_REQUEST_BODY", 400, "Invalid request body", "BadRequestException"),
            (R::Default4xx, "DEFAULT_4XX", 400, "Bad Request", "BadRequestException"),
            (R::internal("why"), "DEFAULT_5XX", 500, "Internal server error", "InternalServerErrorException"),
            (R::Default5xx { status: 502, cause: cause() }, "DEFAULT_5XX", 502, "Internal server error", "InternalServerErrorException"),
            (R::ExpiredToken, "EXPIRED_TOKEN", 403, "The security token included in the request is expired", "ExpiredTokenException"),
            (R::IntegrationFailure { cause: cause() }, "INTEGRATION_FAILURE", 500, "Internal server error", "InternalServerErrorException"),
            (R::IntegrationTimeout, "INTEGRATION_TIMEOUT", 504, "Endpoint request timed out", "InternalServerErrorException"),
            (R::InvalidApiKey, "INVALID_API_KEY", 403, "Forbidden", "ForbiddenException"),
            (R::InvalidSignature("Signature expired: x".into()), "INVALID_SIGNATURE", 403, "Signature expired: x", "InvalidSignatureException"),
            (R::IncompleteSignature { message: "m Authorization=Basic x".into(), reason: "r".into() }, "INVALID_SIGNATURE", 403, "m Authorization=Basic x", "IncompleteSignatureException"),
            (R::InvalidSecurityToken, "ACCESS_DENIED", 403, "The security token included in the request is invalid.", "AccessDeniedException"),
            (R::MissingAuthenticationToken, "MISSING_AUTHENTICATION_TOKEN", 403, "Missing Authentication Token", "MissingAuthenticationTokenException"),
            (R::QuotaExceeded, "QUOTA_EXCEEDED", 429, "Limit Exceeded", "LimitExceededException"),
            (R::RequestTooLarge, "REQUEST_TOO_LARGE", 413, "Request Too Long", "BadRequestException"),
            (R::ResourceNotFound, "RESOURCE_NOT_FOUND", 404, "Not Found", "NotFoundException"),
            (R::Throttled, "THROTTLED", 429, "Too Many Requests", "TooManyRequestsException"),
            (R::Unauthorized, "UNAUTHORIZED", 401, "Unauthorized", "UnauthorizedException"),
        ]
    }

    #[test]
    fn every_type_has_its_status_body_and_error_type() {
        for (refusal, kind, status, message, header) in table() {
            let reply = refusal.respond(None);
            assert_eq!(refusal.response_type(), kind);
            assert_eq!(reply.status, status, "{kind}");
            // A Lambda authorizer's refusals have AWS's recorded bodies.
            let expected = match &refusal {
                R::AccessDenied | R::ExplicitDeny => json!({ "Message": message }),
                R::AuthorizerConfigurationError { .. } => json!({ "message": null }),
                _ => json!({ "message": message }),
            };
            assert_eq!(body(&reply), expected, "{kind}");
            assert_eq!(error_type(&reply), header, "{kind}");
            assert_eq!(
                reply.headers[0],
                ("content-type".to_string(), "application/json".to_string())
            );
            assert_eq!(
                refusal.cause().is_some(),
                status >= 500 && status != 504,
                "{kind}"
            );
        }
    }

    /// The recorded bytes: a 36-byte 500 (LocalStack's AWS snapshot
    /// test_apigateway_integrations.snapshot.json,
    /// test_apigateway_header_remapping_aws[AWS_PROXY] / content-length:
    /// Content-Length 36) and the captured 31-byte 413.
    #[test]
    fn error_bodies_have_awss_bytes_and_logs_no_client_values() {
        let internal = R::internal("x").respond(None);
        assert_eq!(internal.body, br#"{"message": "Internal server error"}"#);
        assert_eq!(internal.body.len(), 36);
        assert_eq!(R::RequestTooLarge.respond(None).body.len(), 31);
        let mismatch = R::InvalidSignature(
            "The request signature we calculated does not match.\n\n'x-api-key:secret'".into(),
        );
        assert_eq!(
            mismatch.log_message(),
            "The request signature we calculated does not match."
        );
        let malformed = R::IncompleteSignature {
            message:
                "Authorization header requires 'Credential' parameter. Authorization=Basic c2VjcmV0"
                    .into(),
            reason: "the Authorization header is not SigV4".into(),
        };
        assert!(!malformed.log_message().contains("c2VjcmV0"));
    }

    #[test]
    fn the_default_bodies_are_byte_for_byte_the_old_ones() {
        assert_eq!(
            R::MissingAuthenticationToken.respond(None),
            HttpReply::message(
                403,
                "Missing Authentication Token",
                "MissingAuthenticationTokenException"
            )
        );
        assert_eq!(R::internal("x").respond(None), HttpReply::internal_error());
        let bad_gateway = R::Default5xx {
            status: 502,
            cause: "x".into(),
        };
        assert_eq!(bad_gateway.respond(None), HttpReply::bad_gateway());
    }

    #[test]
    fn configured_responses_override_by_type_else_by_default_4xx_or_5xx() {
        let mut overrides = GatewayResponses::default();
        overrides.by_type.insert(
            "DEFAULT_4XX".into(),
            ConfiguredResponse {
                headers: vec![(
                    "Access-Control-Allow-Origin".into(),
                    Source::Static("*".into()),
                )],
                ..ConfiguredResponse::default()
            },
        );
        overrides.by_type.insert(
            "THROTTLED".into(),
            ConfiguredResponse {
                status: Some(503),
                template: ErrorTemplate::parse(
                    r#"{"error":$context.error.messageString,"type":"$context.error.responseType"}"#,
                )
                .ok(),
                ..ConfiguredResponse::default()
            },
        );
        let forbidden = R::InvalidApiKey.respond(Some(&overrides));
        assert_eq!(forbidden.status, 403);
        assert!(forbidden
            .headers
            .contains(&("Access-Control-Allow-Origin".into(), "*".into())));
        let throttled = R::Throttled.respond(Some(&overrides));
        assert_eq!(throttled.status, 503);
        assert_eq!(
            body(&throttled),
            json!({"error": "Too Many Requests", "type": "THROTTLED"})
        );
        let internal = R::internal("x").respond(Some(&overrides));
        assert_eq!(
            internal,
            HttpReply::internal_error(),
            "no DEFAULT_5XX configured"
        );
    }

    /// What `setup --cors` configures (src/stack/api/cors.rs), applied to
    /// the refusals: static values, the request's own header (none when
    /// the request has none), a specific type over DEFAULT_4XX, and a part
    /// that is not emulated answered 500 with its name.
    #[test]
    fn gateway_response_parameters_map_static_and_request_values() {
        let items = |parameters: HashMap<String, String>| {
            ConfiguredResponse::of(None, &parameters, &HashMap::new())
        };
        let mut overrides = GatewayResponses::default();
        let several = crate::stack::api::cors::gateway_response_parameters(&[
            "https://a.example".into(),
            "https://b.example".into(),
        ]);
        overrides
            .by_type
            .insert("DEFAULT_4XX".into(), items(several));
        let request = RequestParams {
            headers: vec![("origin".into(), "https://b.example".into())],
            ..RequestParams::default()
        };
        let (reply, unsupported) = R::InvalidApiKey.respond_for(&overrides, &request);
        assert_eq!(unsupported, None);
        assert_eq!(
            (reply.status, reply.body.as_slice()),
            (403, br#"{"message": "Forbidden"}"#.as_slice())
        );
        let header = |reply: &HttpReply, name: &str| {
            reply
                .headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(
            header(&reply, "Access-Control-Allow-Origin").as_deref(),
            Some("https://b.example")
        );
        assert_eq!(header(&reply, "Vary").as_deref(), Some("Origin"));
        let (bare, _) = R::InvalidApiKey.respond_for(&overrides, &RequestParams::default());
        assert_eq!(
            header(&bare, "Access-Control-Allow-Origin"),
            None,
            "no Origin: no header"
        );
        assert_eq!(header(&bare, "Vary").as_deref(), Some("Origin"));
        let (internal, _) = R::internal("x").respond_for(&overrides, &request);
        assert_eq!(internal, HttpReply::internal_error(), "4XX only");
        overrides.by_type.insert(
            "INVALID_API_KEY".into(),
            ConfiguredResponse::of(
                Some("401"),
                &HashMap::new(),
                &HashMap::from([(
                    "application/json".to_string(),
                    r#"{"m":"$context.error.message"}"#.to_string(),
                )]),
            ),
        );
        let (specific, _) = R::InvalidApiKey.respond_for(&overrides, &request);
        assert_eq!(
            (specific.status, specific.body.as_slice()),
            (401, br#"{"m":"Forbidden"}"#.as_slice())
        );
        assert_eq!(
            header(&specific, "Vary"),
            None,
            "the specific type replaces DEFAULT_4XX"
        );
        overrides.by_type.insert(
            "THROTTLED".into(),
            ConfiguredResponse::of(
                None,
                &HashMap::from([(
                    "gatewayresponse.header.x".to_string(),
                    "context.requestId".to_string(),
                )]),
                &HashMap::new(),
            ),
        );
        let (refused, why) = R::Throttled.respond_for(&overrides, &request);
        assert_eq!(refused, HttpReply::internal_error());
        assert!(why
            .unwrap()
            .contains("\"context.requestId\" is not emulated"));
        assert!(ErrorTemplate::parse("{\"stage\": \"$context.stage\"}")
            .unwrap_err()
            .contains("$context.stage"));
        assert!(ErrorTemplate::parse("#if(1 == 1) x #end").is_err());
    }

    /// The default status of every type, as real AWS lists them
    /// (tests/fixtures/conformance/gateway_response_defaults.json: LocalStack's
    /// AWS snapshot test_apigateway_api.snapshot.json, test_gateway_response_crud
    /// / get-gateway-responses). INTEGRATION_FAILURE is listed as 504, yet AWS
    /// answered 500 when a Lambda integration failed
    /// (test_apigateway_lambda.snapshot.json, ..._non_post_method).
    #[test]
    fn default_statuses_are_the_recorded_defaults() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/conformance/gateway_response_defaults.json"
        );
        let recorded: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let mut checked = 0;
        for (refusal, kind, status, _, _) in table() {
            // (The recorded page lists no MISSING_AUTHENTICATION_TOKEN;
            // DEFAULT_4XX / DEFAULT_5XX have no status.)
            let Some(default) = recorded["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["responseType"] == kind)
                .and_then(|i| i["statusCode"].as_str())
            else {
                continue;
            };
            let expected: u16 = match kind {
                "INTEGRATION_FAILURE" => 500,
                _ => default.parse().unwrap(),
            };
            assert_eq!((status, refusal.status()), (expected, expected), "{kind}");
            checked += 1;
        }
        assert!(checked >= 15, "{checked}");
    }
}
