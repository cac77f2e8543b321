//! The first stage: what was asked for. The stage URL
//! (`/restapis/{id}/{stage}/_user_request_/{path}`) and the request as
//! received, its body read up to API Gateway's payload limit.

use std::net::IpAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Body;
use hyper::Request;

use crate::gateway::response::GatewayResponse;
use crate::gateway::wire::{headers_as_sent, WireHeader};
use crate::gateway::USER_REQUEST;

/// API Gateway's payload limit.
pub const MAX_BODY: usize = 10 * 1024 * 1024;

/// What a stage URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageUrl {
    pub api_id: String,
    pub stage: String,
    /// The path after `_user_request_` as received: still percent-encoded,
    /// as API Gateway passes it on (`/` when empty).
    pub path: String,
}

impl StageUrl {
    /// `requestContext.path`: `/{stage}{path}`, the path as received.
    pub fn context_path(&self) -> String {
        format!("/{}{}", self.stage, self.path)
    }

    /// The event's `path`: leading slashes collapse into one, inner ones stay
    /// (`//a//b` -> `/a//b`, as recorded by LocalStack's AWS snapshots).
    pub fn resource_side_path(&self) -> String {
        format!("/{}", self.path.trim_start_matches('/'))
    }
}

/// A request as received: what the later stages read.
#[derive(Debug, Clone, Default)]
pub struct InboundRequest {
    pub method: String,
    /// The path as it came on the wire (still percent-encoded).
    pub raw_path: String,
    pub raw_query: Option<String>,
    /// Every header line, in order, names as the client spelt them.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub source_ip: String,
    /// The gateway's port the client connected to (`X-Forwarded-Port`).
    pub port: u16,
}

impl InboundRequest {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a stage URL's path; anything else is "Missing Authentication
/// Token". Slashes before the stage collapse, as on AWS.
pub fn parse_stage_url(raw_path: &str) -> Result<StageUrl, GatewayResponse> {
    let missing = GatewayResponse::MissingAuthenticationToken;
    let rest = raw_path
        .trim_start_matches('/')
        .strip_prefix("restapis/")
        .ok_or(missing.clone())?;
    let (api_id, rest) = rest.split_once('/').ok_or(missing.clone())?;
    let (stage, rest) = rest
        .trim_start_matches('/')
        .split_once('/')
        .ok_or(missing.clone())?;
    let user_path = rest
        .strip_prefix(USER_REQUEST)
        .filter(|p| p.is_empty() || p.starts_with('/'))
        .ok_or(missing.clone())?;
    if api_id.is_empty() || stage.is_empty() {
        return Err(missing);
    }
    Ok(StageUrl {
        api_id: api_id.to_string(),
        stage: stage.to_string(),
        path: if user_path.is_empty() {
            "/".to_string()
        } else {
            user_path.to_string()
        },
    })
}

/// Where a request came from and to which port.
#[derive(Debug, Clone, Copy)]
pub struct Peer {
    pub ip: IpAddr,
    /// The gateway's own port.
    pub port: u16,
}

/// Reads the request, its body at most [`MAX_BODY`] bytes ("Request Too
/// Long"); `wire` is its head as sent (header names in the client's case).
pub async fn read_request<B>(
    req: Request<B>,
    peer: Peer,
    wire: Option<Vec<WireHeader>>,
) -> Result<InboundRequest, GatewayResponse>
where
    B: Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let (parts, body) = req.into_parts();
    let headers = headers_as_sent(wire, &parts.headers);
    let body = Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|_| GatewayResponse::RequestTooLarge)?
        .to_bytes();
    Ok(InboundRequest {
        method: parts.method.as_str().to_string(),
        raw_path: parts.uri.path().to_string(),
        raw_query: parts.uri.query().map(str::to_string),
        headers,
        body,
        source_ip: peer.ip.to_string(),
        port: peer.port,
    })
}

/// Percent-decodes one path segment (`+` stays `+`; a malformed escape
/// stays as it is), for matching against literal resource path parts.
pub fn decode_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| segment.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::Full;

    #[test]
    fn stage_urls_are_parsed_and_keep_their_encoding() {
        // AWS passes the path on still percent-encoded (LocalStack's AWS
        // snapshot test_apigateway_lambda.snapshot.json,
        // test_lambda_aws_proxy_integration / invocation-payload-with-path-encoded-email).
        let url = parse_stage_url("/restapis/abc/v1/_user_request_/items/a%20b+c").unwrap();
        assert_eq!(
            url,
            StageUrl {
                api_id: "abc".into(),
                stage: "v1".into(),
                path: "/items/a%20b+c".into(),
            }
        );
        assert_eq!(decode_segment("a%20b+c%2B%zz"), "a b+c+%zz");
        // Slashes before the stage collapse; after it they are kept
        // (test_lambda_aws_proxy_integration / invocation-payload-with-prepended-slash*).
        let doubled = parse_stage_url("//restapis/abc//v1/_user_request_//x//y/").unwrap();
        assert_eq!(
            (doubled.stage.as_str(), doubled.path.as_str()),
            ("v1", "//x//y/")
        );
        assert_eq!(doubled.context_path(), "/v1//x//y/");
        assert_eq!(doubled.resource_side_path(), "/x//y/");
        assert_eq!(
            parse_stage_url("/restapis/abc/v1/_user_request_")
                .unwrap()
                .path,
            "/"
        );
    }

    #[test]
    fn anything_but_a_stage_url_is_a_missing_token() {
        for path in [
            "/",
            "/crud",
            "/restapis/abc/v1",
            "/restapis/abc/v1/crud",
            "/restapis/abc/v1/_user_request_x/crud",
            "/apis/abc/v1/_user_request_/crud",
        ] {
            assert_eq!(
                parse_stage_url(path),
                Err(GatewayResponse::MissingAuthenticationToken),
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn a_body_over_the_limit_is_request_too_large() {
        let ip = Peer {
            ip: IpAddr::from([127, 0, 0, 1]),
            port: 4567,
        };
        let request = |len: usize| {
            Request::post("/restapis/a/v1/_user_request_/crud?x=1")
                .header("User-Agent", "t")
                .body(Full::new(Bytes::from(vec![b'x'; len])))
                .unwrap()
        };
        let read = read_request(request(3), ip, None).await.unwrap();
        assert_eq!(read.method, "POST");
        assert_eq!(read.raw_query.as_deref(), Some("x=1"));
        assert_eq!(read.header("user-agent"), Some("t"));
        assert_eq!((read.body.len(), read.source_ip.as_str()), (3, "127.0.0.1"));
        let refused = read_request(request(MAX_BODY + 1), ip, None)
            .await
            .unwrap_err();
        assert_eq!(refused, GatewayResponse::RequestTooLarge);
        assert_eq!(refused.respond(None).status, 413);
    }
}
