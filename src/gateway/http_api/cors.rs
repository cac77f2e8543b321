//! An HTTP API's native CORS (`corsConfiguration`), as AWS documents it
//! ("Configure CORS for HTTP APIs in API Gateway"): API Gateway answers a
//! preflight (an `OPTIONS` with `Origin` and `Access-Control-Request-Method`)
//! itself, even with no OPTIONS route, and to other requests with an
//! allowed `Origin` it adds the configured headers, ignoring any CORS
//! headers the integration returned. Origins match exactly, or by the
//! documented `https://*` / `http://*` prefixes, or `*`.

use super::model::Cors;
use crate::gateway::integration::HttpReply;
use crate::gateway::request::InboundRequest;

/// Is this request a CORS preflight?
pub fn is_preflight(request: &InboundRequest) -> bool {
    request.method == "OPTIONS"
        && request.header("origin").is_some()
        && request.header("access-control-request-method").is_some()
}

/// The `Access-Control-Allow-Origin` for `origin` (None: not allowed).
fn allowed_origin(cors: &Cors, origin: &str) -> Option<String> {
    cors.allow_origins.iter().find_map(|allowed| {
        let matches = allowed == origin
            || (allowed == "https://*" && origin.starts_with("https://"))
            || (allowed == "http://*" && origin.starts_with("http://"));
        match allowed.as_str() {
            "*" => Some("*".to_string()),
            _ if matches => Some(origin.to_string()),
            _ => None,
        }
    })
}

fn listed(allowed: &[String], wanted: &str) -> bool {
    allowed
        .iter()
        .any(|a| a == "*" || a.eq_ignore_ascii_case(wanted))
}

/// The answer to a preflight: 204 with the configured headers when the
/// origin, the method and every requested header are allowed; else 204
/// without CORS headers, which the browser refuses.
pub fn preflight(cors: &Cors, request: &InboundRequest) -> HttpReply {
    let mut reply = HttpReply {
        status: 204,
        headers: Vec::new(),
        body: Vec::new(),
    };
    let origin = request.header("origin").unwrap_or_default();
    let method = request
        .header("access-control-request-method")
        .unwrap_or_default()
        .trim();
    let headers_allowed = request
        .header("access-control-request-headers")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .all(|h| listed(&cors.allow_headers, h));
    let Some(allow_origin) = allowed_origin(cors, origin) else {
        return reply;
    };
    if !listed(&cors.allow_methods, method) || !headers_allowed {
        return reply;
    }
    let h = &mut reply.headers;
    h.push(("access-control-allow-origin".into(), allow_origin));
    if cors.allow_credentials {
        h.push(("access-control-allow-credentials".into(), "true".into()));
    }
    h.push((
        "access-control-allow-methods".into(),
        cors.allow_methods.join(","),
    ));
    if !cors.allow_headers.is_empty() {
        h.push((
            "access-control-allow-headers".into(),
            cors.allow_headers.join(","),
        ));
    }
    if let Some(age) = cors.max_age {
        h.push(("access-control-max-age".into(), age.to_string()));
    }
    reply
}

/// An integration's answer as API Gateway sends it: the integration's CORS
/// headers dropped, the configured ones added for an allowed `Origin`.
pub fn apply(cors: &Cors, origin: Option<&str>, reply: &mut HttpReply) {
    reply
        .headers
        .retain(|(n, _)| !n.to_ascii_lowercase().starts_with("access-control-"));
    let Some(allow_origin) = origin.and_then(|o| allowed_origin(cors, o)) else {
        return;
    };
    reply
        .headers
        .push(("access-control-allow-origin".into(), allow_origin));
    if cors.allow_credentials {
        reply
            .headers
            .push(("access-control-allow-credentials".into(), "true".into()));
    }
    if !cors.expose_headers.is_empty() {
        reply.headers.push((
            "access-control-expose-headers".into(),
            cors.expose_headers.join(","),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cors() -> Cors {
        Cors {
            allow_origins: vec!["https://a.example".into()],
            allow_methods: vec!["POST".into(), "OPTIONS".into(), "GET".into()],
            allow_headers: vec!["authorization".into(), "content-type".into()],
            expose_headers: vec!["x-lambda-request-id".into()],
            max_age: Some(600),
            allow_credentials: false,
        }
    }

    fn preflight_of(origin: &str, method: &str, headers: &str) -> HttpReply {
        let request = InboundRequest {
            method: "OPTIONS".into(),
            headers: vec![
                ("Origin".into(), origin.into()),
                ("Access-Control-Request-Method".into(), method.into()),
                ("Access-Control-Request-Headers".into(), headers.into()),
            ],
            ..InboundRequest::default()
        };
        assert!(is_preflight(&request));
        preflight(&cors(), &request)
    }

    #[test]
    fn preflights_are_answered_for_allowed_origins_methods_and_headers_only() {
        let allowed = preflight_of("https://a.example", "POST", "Content-Type, Authorization");
        assert_eq!(allowed.status, 204);
        assert_eq!(
            allowed.headers,
            [
                (
                    "access-control-allow-origin".to_string(),
                    "https://a.example".to_string()
                ),
                (
                    "access-control-allow-methods".to_string(),
                    "POST,OPTIONS,GET".to_string()
                ),
                (
                    "access-control-allow-headers".to_string(),
                    "authorization,content-type".to_string()
                ),
                ("access-control-max-age".to_string(), "600".to_string()),
            ]
        );
        for refused in [
            preflight_of("https://b.example", "POST", ""),
            preflight_of("https://a.example", "DELETE", ""),
            preflight_of("https://a.example", "POST", "x-custom"),
        ] {
            assert_eq!((refused.status, refused.headers.len()), (204, 0));
        }
    }

    #[test]
    fn backend_cors_headers_are_replaced() {
        let mut reply = HttpReply {
            status: 200,
            headers: vec![
                ("Access-Control-Allow-Origin".into(), "*".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: Vec::new(),
        };
        apply(&cors(), Some("https://evil.example"), &mut reply);
        assert_eq!(
            reply.headers,
            [("content-type".to_string(), "application/json".to_string())]
        );
        apply(&cors(), Some("https://a.example"), &mut reply);
        assert_eq!(
            reply.headers[1..],
            [
                (
                    "access-control-allow-origin".to_string(),
                    "https://a.example".to_string()
                ),
                (
                    "access-control-expose-headers".to_string(),
                    "x-lambda-request-id".to_string()
                ),
            ]
        );
    }
}
