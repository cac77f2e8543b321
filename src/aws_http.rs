//! The one HTTP client every AWS SDK client uses: rustls on ring (as reqwest
//! uses), the system's trusted certificates. The SDK's default clients are
//! off in Cargo.toml: they would bring a second TLS stack and a C build.

use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use std::time::Duration;

use aws_credential_types::provider::SharedCredentialsProvider;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use serde_json::Value;

use crate::error::{AppError, TransportKind};

pub fn client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// The client for the local stack (plain HTTP on loopback): no trusted
/// certificates. Loading the system's (~140 files, parsed) was the largest
/// cost of a local `--via lambda` command (3–4 ms of 10); an `https://`
/// endpoint fails verification rather than being trusted.
/// A new connection per request, as the gateway's: the Lambda emulator
/// writes a reply's head and body separately, and on a reused connection
/// Nagle + delayed ACK held the body ~40 ms (`ping --count 50 --via lambda`:
/// 27.5 ms average, most at 43 ms); a loopback connection costs ~0.1 ms.
pub fn loopback_client() -> SharedHttpClient {
    let no_roots = tls::TlsContext::builder()
        .with_trust_store(tls::TrustStore::empty().with_native_roots(false))
        .build()
        .expect("a TLS context without certificates");
    aws_smithy_http_client::Builder::new()
        .pool_max_idle_per_host(0)
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .tls_context(no_roots)
        .build_https()
}

/// An AWS JSON-protocol API (DynamoDB's JSON 1.0, Cognito's 1.1) called with
/// reqwest and signed by aws-sigv4 as the SDK signs: for the calls whose raw
/// reply we keep (a Scan page, written item by item without decoding the
/// page) and for Cognito, whose SDK crate would add minutes to every build.
#[derive(Clone)]
pub struct JsonApi {
    http: reqwest::Client,
    /// The signing name, and the service errors name.
    service: &'static str,
    /// `X-Amz-Target`'s prefix (`DynamoDB_20120810`).
    target: &'static str,
    content_type: &'static str,
    endpoint: String,
    region: String,
    credentials: Option<SharedCredentialsProvider>,
}

impl JsonApi {
    /// DynamoDB; `endpoint`: the local stack's moto or a configured URL,
    /// else the regional endpoint. No overall timeout: a 1 MB page of a
    /// large table takes moto tens of seconds.
    pub fn dynamodb(
        region: &str,
        endpoint: Option<&str>,
        credentials: Option<SharedCredentialsProvider>,
    ) -> JsonApi {
        JsonApi::new(
            (
                "dynamodb",
                "DynamoDB_20120810",
                "application/x-amz-json-1.0",
            ),
            region,
            endpoint,
            credentials,
            None,
        )
    }

    /// Cognito's identity provider (JSON 1.1), calls bounded at 30 s.
    pub fn cognito(
        region: &str,
        endpoint: Option<&str>,
        credentials: Option<SharedCredentialsProvider>,
    ) -> JsonApi {
        JsonApi::new(
            (
                "cognito-idp",
                "AWSCognitoIdentityProviderService",
                "application/x-amz-json-1.1",
            ),
            region,
            endpoint,
            credentials,
            Some(Duration::from_secs(30)),
        )
    }

    fn new(
        (service, target, content_type): (&'static str, &'static str, &'static str),
        region: &str,
        endpoint: Option<&str>,
        credentials: Option<SharedCredentialsProvider>,
        timeout: Option<Duration>,
    ) -> JsonApi {
        let mut http = reqwest::Client::builder().connect_timeout(Duration::from_secs(5));
        if let Some(timeout) = timeout {
            http = http.timeout(timeout);
        }
        let domain = match region.starts_with("cn-") {
            true => "amazonaws.com.cn",
            false => "amazonaws.com",
        };
        JsonApi {
            http: http.build().unwrap_or_default(),
            service,
            target,
            content_type,
            endpoint: endpoint
                .map(|e| e.trim_end_matches('/').to_string())
                .unwrap_or_else(|| format!("https://{service}.{region}.{domain}")),
            region: region.to_string(),
            credentials,
        }
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// One call of `op` (`what` names it in errors); the reply's bytes when
    /// it succeeded, else the service's error (code, message, whether a
    /// retry may help). `signed: false` for Cognito's public sign-in calls.
    pub async fn call(
        &self,
        op: &str,
        what: &str,
        body: &[u8],
        signed: bool,
    ) -> Result<bytes::Bytes, AppError> {
        let service = self.service;
        let url = format!("{}/", self.endpoint);
        let target = format!("{}.{op}", self.target);
        let headers = [
            ("content-type", self.content_type),
            ("x-amz-target", target.as_str()),
        ];
        let mut request = self.http.post(&url).body(body.to_vec());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        if signed {
            let credentials = self.credentials.as_ref().ok_or_else(|| {
                AppError::usage(format!(
                    "{service} {op} needs AWS credentials (a profile or the environment)"
                ))
            })?;
            let signed = crate::transport::api::Signed {
                method: "POST",
                service,
                region: &self.region,
                url: &url,
                headers: &headers,
                body,
            };
            for (name, value) in crate::transport::api::sigv4_headers(credentials, &signed).await? {
                request = request.header(name, value);
            }
        }
        let reply = request.send().await.map_err(|e| {
            let kind = match e.is_timeout() {
                true => TransportKind::Timeout,
                false => TransportKind::Unreachable,
            };
            AppError::transport(kind, service, format!("{what}: cannot reach {url}: {e}"))
        })?;
        let status = reply.status().as_u16();
        let bytes = reply.bytes().await.map_err(|e| {
            AppError::transport(TransportKind::Failed, service, format!("{what}: {e}"))
        })?;
        if (200..300).contains(&status) {
            return Ok(bytes);
        }
        let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        // `__type` is `Code` or `prefix#Code`.
        let code = value["__type"]
            .as_str()
            .map(|t| t.rsplit('#').next().unwrap_or(t).to_string());
        let message = value["message"]
            .as_str()
            .or(value["Message"].as_str())
            .map(str::to_string)
            .unwrap_or_else(|| format!("HTTP {status}"));
        Err(AppError::Aws {
            service,
            what: what.to_string(),
            retryable: status >= 500
                || code
                    .as_deref()
                    .is_some_and(|c| crate::error::aws::THROTTLING.contains(&c)),
            code,
            message,
        })
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn sdk_clients_get_an_https_connector() {
        let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .http_client(super::client())
            .region(aws_config::Region::new("eu-west-1"))
            .credentials_provider(aws_credential_types::Credentials::new(
                "a", "b", None, None, "test",
            ))
            .endpoint_url("https://127.0.0.1:9")
            .load()
            .await;
        let client = aws_sdk_dynamodb::Client::new(&sdk);
        let err = client.list_tables().send().await.unwrap_err();
        // A connection attempt that failed, not a client without a connector.
        let text = format!("{:?}", err);
        assert!(text.contains("DispatchFailure"), "{text}");
        assert!(!text.contains("no HTTP client"), "{text}");
    }
}
