//! The first stage: what was asked for. The stage URL
//! (`/restapis/{id}/{stage}/_user_request_/{path}`) and the request as
//! received, its body read up to API Gateway's payload limit.

use std::net::IpAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Body;
use hyper::Request;

use crate::gateway::response::GatewayResponse;
use crate::gateway::USER_REQUEST;

/// API Gateway's payload limit.
pub const MAX_BODY: usize = 10 * 1024 * 1024;

/// What a stage URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageUrl {
    pub api_id: String,
    pub stage: String,
    /// The path after `_user_request_`, percent-decoded (`/` when empty).
    pub path: String,
}

/// A request as received: what the later stages read.
#[derive(Debug, Clone, Default)]
pub struct InboundRequest {
    pub method: String,
    /// The path as it came on the wire (still percent-encoded).
    pub raw_path: String,
    pub raw_query: Option<String>,
    /// Every header line, in order (names lowercase).
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub source_ip: String,
}

impl InboundRequest {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses a stage URL's path; anything else is "Missing Authentication Token".
pub fn parse_stage_url(raw_path: &str) -> Result<StageUrl, GatewayResponse> {
    let mut parts = raw_path.trim_start_matches('/').splitn(4, '/');
    let (Some("restapis"), Some(api_id), Some(stage), Some(rest)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(GatewayResponse::MissingAuthenticationToken);
    };
    let user_path = rest
        .strip_prefix(USER_REQUEST)
        .filter(|p| p.is_empty() || p.starts_with('/'))
        .ok_or(GatewayResponse::MissingAuthenticationToken)?;
    Ok(StageUrl {
        api_id: api_id.to_string(),
        stage: stage.to_string(),
        path: if user_path.is_empty() {
            "/".to_string()
        } else {
            decode_path(user_path)
        },
    })
}

/// Reads the request, its body at most [`MAX_BODY`] bytes ("Request Too Long").
pub async fn read_request<B>(
    req: Request<B>,
    source_ip: IpAddr,
) -> Result<InboundRequest, GatewayResponse>
where
    B: Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let (parts, body) = req.into_parts();
    let headers = parts
        .headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
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
        source_ip: source_ip.to_string(),
    })
}

/// A path as matched against resources: percent-decoded.
fn decode_path(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            url::form_urlencoded::parse(format!("x={}", segment.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::Full;

    #[test]
    fn stage_urls_are_parsed_and_decoded() {
        let url = parse_stage_url("/restapis/abc/v1/_user_request_/items/a%20b+c").unwrap();
        assert_eq!(
            url,
            StageUrl {
                api_id: "abc".into(),
                stage: "v1".into(),
                path: "/items/a b+c".into(),
            }
        );
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
        let ip = IpAddr::from([127, 0, 0, 1]);
        let request = |len: usize| {
            Request::post("/restapis/a/v1/_user_request_/crud?x=1")
                .header("User-Agent", "t")
                .body(Full::new(Bytes::from(vec![b'x'; len])))
                .unwrap()
        };
        let read = read_request(request(3), ip).await.unwrap();
        assert_eq!(read.method, "POST");
        assert_eq!(read.raw_query.as_deref(), Some("x=1"));
        assert_eq!(read.header("user-agent"), Some("t"));
        assert_eq!((read.body.len(), read.source_ip.as_str()), (3, "127.0.0.1"));
        let refused = read_request(request(MAX_BODY + 1), ip).await.unwrap_err();
        assert_eq!(refused, GatewayResponse::RequestTooLarge);
        assert_eq!(refused.respond(None).status, 413);
    }
}
