//! HTTPS POST of the event to an API Gateway stage URL (or a function URL).

use std::time::{Duration, Instant, SystemTime};

use aws_credential_types::provider::SharedCredentialsProvider;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

use super::{RawReply, Via};
use crate::error::{AppError, TransportKind};

/// How requests authenticate with API Gateway.
pub enum ApiCredentials {
    None,
    /// `x-api-key` header (the value is never printed).
    ApiKey(String),
    /// `Authorization: Bearer TOKEN` for an authorizer (never printed; none
    /// without a token: the API answers 401), and the stack's API key for
    /// methods that also require one (`--method-auth DELETE=lambda+api-key`).
    Bearer {
        token: Option<String>,
        api_key: Option<String>,
        /// The token alone, without `Bearer ` (what a Cognito user pool
        /// authorizer is documented to read; JWT authorizers take both).
        bare: bool,
    },
    /// SigV4 with the caller's AWS credentials, for `AWS_IAM` methods.
    SigV4 {
        credentials: SharedCredentialsProvider,
        region: String,
    },
}

impl ApiCredentials {
    pub fn name(&self) -> &'static str {
        match self {
            ApiCredentials::None => "none",
            ApiCredentials::ApiKey(_) => "api-key",
            ApiCredentials::Bearer { .. } => "token",
            ApiCredentials::SigV4 { .. } => "iam",
        }
    }
}

pub struct ApiTransport {
    client: reqwest::Client,
    url: url::Url,
    auth: ApiCredentials,
}

impl ApiTransport {
    pub fn new(url: url::Url, auth: ApiCredentials, timeout: Duration) -> Result<Self, AppError> {
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(Duration::from_secs(10).min(timeout))
            .user_agent(concat!("serverless-crud/", env!("CARGO_PKG_VERSION")))
            .tcp_nodelay(true)
            .build()
            .map_err(|e| AppError::internal(format!("cannot build the HTTPS client: {e}")))?;
        Ok(ApiTransport { client, url, auth })
    }

    pub fn auth_name(&self) -> &'static str {
        self.auth.name()
    }

    pub fn url(&self) -> &url::Url {
        &self.url
    }

    /// One POST of `body` (signed afresh), no retries.
    pub async fn send_once(&self, body: &[u8]) -> Result<RawReply, AppError> {
        let auth_headers = self.auth_headers(body).await?;
        let mut request = self
            .client
            .post(self.url.clone())
            .header("content-type", "application/json")
            .header("accept", "application/json");
        for (name, value) in auth_headers {
            request = request.header(name, value);
        }
        let started = Instant::now();
        let response = request
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| self.describe_error(e))?;
        let status = response.status().as_u16();
        // Our dispatcher tells its Lambda request id; else API Gateway's own.
        let request_id = ["x-lambda-request-id", "x-amzn-requestid"]
            .iter()
            .find_map(|h| response.headers().get(*h))
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = response
            .bytes()
            .await
            .map_err(|e| self.describe_error(e))?
            .to_vec();
        Ok(RawReply {
            via: Via::Api,
            status,
            function_error: None,
            body,
            elapsed: started.elapsed(),
            request_id,
        })
    }

    async fn auth_headers(&self, body: &[u8]) -> Result<Vec<(String, String)>, AppError> {
        match &self.auth {
            ApiCredentials::None => Ok(Vec::new()),
            ApiCredentials::ApiKey(key) => Ok(vec![("x-api-key".into(), key.clone())]),
            ApiCredentials::Bearer {
                token,
                api_key,
                bare,
            } => Ok(bearer(token, api_key, *bare)),
            ApiCredentials::SigV4 {
                credentials,
                region,
            } => self.sigv4_headers(credentials, region, body).await,
        }
    }

    /// SigV4 headers for a POST of `body` (service `execute-api`).
    async fn sigv4_headers(
        &self,
        credentials: &SharedCredentialsProvider,
        region: &str,
        body: &[u8],
    ) -> Result<Vec<(String, String)>, AppError> {
        let headers = [
            ("content-type", "application/json"),
            ("accept", "application/json"),
        ];
        let signed = Signed {
            method: "POST",
            service: "execute-api",
            region,
            url: self.url.as_str(),
            headers: &headers,
            body,
        };
        sigv4_headers(credentials, &signed).await
    }

    /// One request as a browser's page would send it: `method` to `url`
    /// with `headers` (an Origin, say) and the transport's own auth; the
    /// answer's status, headers and body, for checks (`cors check`).
    pub async fn probe(
        &self,
        method: &str,
        url: &url::Url,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Probed, AppError> {
        let verb = reqwest::Method::from_bytes(method.as_bytes())
            .map_err(|_| AppError::usage(format!("`{method}` is not an HTTP method")))?;
        let auth = match &self.auth {
            ApiCredentials::SigV4 {
                credentials,
                region,
            } => {
                let signed = Signed {
                    method,
                    service: "execute-api",
                    region,
                    url: url.as_str(),
                    headers,
                    body,
                };
                sigv4_headers(credentials, &signed).await?
            }
            ApiCredentials::ApiKey(key) => vec![("x-api-key".into(), key.clone())],
            ApiCredentials::Bearer {
                token,
                api_key,
                bare,
            } => bearer(token, api_key, *bare),
            ApiCredentials::None => Vec::new(),
        };
        let mut request = self.client.request(verb, url.clone());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        for (name, value) in auth {
            request = request.header(name, value);
        }
        let response = request
            .body(body.to_vec())
            .send()
            .await
            .map_err(|e| self.describe_error(e))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.describe_error(e))?
            .to_vec();
        Ok(Probed {
            status,
            headers,
            body,
        })
    }

    /// A request without the transport's auth (a browser's preflight).
    pub async fn probe_unauthenticated(
        &self,
        method: &str,
        url: &url::Url,
        headers: &[(&str, &str)],
    ) -> Result<Probed, AppError> {
        let bare = ApiTransport {
            client: self.client.clone(),
            url: self.url.clone(),
            auth: ApiCredentials::None,
        };
        bare.probe(method, url, headers, b"").await
    }

    /// The request headers this transport's auth adds (for a preflight's
    /// Access-Control-Request-Headers).
    pub fn auth_header_names(&self) -> &'static [&'static str] {
        match &self.auth {
            ApiCredentials::SigV4 { .. } => &["authorization", "x-amz-date"],
            ApiCredentials::ApiKey(_) => &["x-api-key"],
            ApiCredentials::Bearer { api_key: None, .. } => &["authorization"],
            ApiCredentials::Bearer { .. } => &["authorization", "x-api-key"],
            ApiCredentials::None => &[],
        }
    }

    fn describe_error(&self, e: reqwest::Error) -> AppError {
        let url = &self.url;
        let (kind, message) = if e.is_timeout() {
            (
                TransportKind::Timeout,
                format!("no answer from {url} within the timeout"),
            )
        } else if e.is_connect() {
            (
                TransportKind::Unreachable,
                format!("cannot connect to {url}: {}", root_cause(&e)),
            )
        } else {
            (
                TransportKind::Failed,
                format!("request to {url} failed: {}", root_cause(&e)),
            )
        };
        AppError::transport(kind, url, message)
    }
}

/// What a probe got back.
#[derive(Debug)]
pub struct Probed {
    pub status: u16,
    /// Names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Probed {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A request to sign: its method, service, region, URL, headers and body.
pub struct Signed<'a> {
    pub method: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub url: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: &'a [u8],
}

/// The SigV4 headers (Authorization, X-Amz-Date, ...) of a POST, signed with
/// `credentials` by the aws-sigv4 crate.
pub async fn sigv4_headers(
    credentials: &SharedCredentialsProvider,
    request: &Signed<'_>,
) -> Result<Vec<(String, String)>, AppError> {
    use aws_credential_types::provider::ProvideCredentials;
    let creds = credentials.provide_credentials().await.map_err(|e| {
        AppError::usage(format!(
            "no AWS credentials to sign the request with ({e}); configure a profile, or use --auth api-key / --auth none"
        ))
    })?;
    let identity = creds.into();
    let cannot_sign =
        |e: &dyn std::fmt::Display| AppError::internal(format!("cannot sign the request: {e}"));
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(request.region)
        .name(request.service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| cannot_sign(&e))?
        .into();
    let signable = SignableRequest::new(
        request.method,
        request.url,
        request.headers.iter().copied(),
        SignableBody::Bytes(request.body),
    )
    .map_err(|e| cannot_sign(&e))?;
    let (instructions, _) = sign(signable, &params)
        .map_err(|e| cannot_sign(&e))?
        .into_parts();
    Ok(instructions
        .headers()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect())
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// The `Authorization` header of a bearer token (none without a token),
/// and `x-api-key` when there is a key.
fn bearer(token: &Option<String>, api_key: &Option<String>, bare: bool) -> Vec<(String, String)> {
    let scheme = if bare { "" } else { "Bearer " };
    let mut headers: Vec<(String, String)> = token
        .iter()
        .map(|t| ("authorization".to_string(), format!("{scheme}{t}")))
        .collect();
    headers.extend(api_key.iter().map(|k| ("x-api-key".to_string(), k.clone())));
    headers
}
