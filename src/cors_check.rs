//! `cors check`: what a browser would do with a page on ORIGIN calling the
//! stack's API — the preflight, then the call — explained in words: which
//! header is missing, whether a failure is CORS or an API error without
//! CORS headers, and the `setup` flag that fixes it. A service: it returns
//! a report and prints nothing.

use std::fmt;

use serde::Serialize;

use crate::error::AppError;
use crate::transport::api::{ApiTransport, Probed};

pub struct Options {
    pub origin: String,
    /// The method the page uses.
    pub method: String,
    /// Headers the page adds (beyond the transport's auth and content-type).
    pub headers: Vec<String>,
    /// The URL the page calls.
    pub url: url::Url,
    /// The body of the call (None: the call is not sent, it would change data).
    pub body: Option<Vec<u8>>,
    /// The setup command that configures CORS for this origin.
    pub fix: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preflight {
    pub status: u16,
    pub allow_origin: Option<String>,
    pub allow_methods: Option<String>,
    pub allow_headers: Option<String>,
    pub ok: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Call {
    pub status: u16,
    pub allow_origin: Option<String>,
    /// The page can read the answer.
    pub readable: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub origin: String,
    pub method: String,
    pub url: String,
    pub preflight: Preflight,
    pub call: Option<Call>,
    /// The browser lets the page make the call and read its answer.
    pub allowed: bool,
    pub explanation: Vec<String>,
    pub fix: Option<String>,
}

impl Report {
    pub fn problem(&self) -> Option<AppError> {
        (!self.allowed).then(|| {
            AppError::incomplete(format!(
                "a page on {} cannot call {} {}: {}",
                self.origin,
                self.method,
                self.url,
                self.explanation.first().cloned().unwrap_or_default()
            ))
        })
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = |ok: bool| if ok { "✓" } else { "✗" };
        writeln!(
            f,
            "{} preflight OPTIONS {} → {}",
            mark(self.preflight.ok),
            self.url,
            self.preflight.status
        )?;
        if let Some(call) = &self.call {
            writeln!(
                f,
                "{} {} {} → {}",
                mark(call.readable),
                self.method,
                self.url,
                call.status
            )?;
        }
        for line in &self.explanation {
            writeln!(f, "  {line}")?;
        }
        match &self.fix {
            Some(fix) => write!(f, "fix: {fix}"),
            None => write!(f, "a page on {} can call the API", self.origin),
        }
    }
}

/// Whether `allowed` (an Access-Control-Allow-* value) covers `wanted`.
fn lists(allowed: Option<&str>, wanted: &str) -> bool {
    allowed.is_some_and(|a| {
        a.split(',')
            .any(|v| v.trim() == "*" || v.trim().eq_ignore_ascii_case(wanted))
    })
}

fn origin_allowed(value: Option<&str>, origin: &str) -> bool {
    value.is_some_and(|v| v == "*" || v == origin)
}

/// What a browser sends: the method's request headers, and whether a
/// preflight is needed at all (anything but a simple request needs one:
/// our calls carry JSON and auth headers, so they always do).
fn request_headers(transport: &ApiTransport, options: &Options) -> Vec<String> {
    let mut headers: Vec<String> = vec!["content-type".into()];
    headers.extend(transport.auth_header_names().iter().map(|h| h.to_string()));
    headers.extend(options.headers.iter().map(|h| h.to_ascii_lowercase()));
    headers.sort();
    headers.dedup();
    headers
}

/// What `check` would send, for `--dry-run`: the preflight's request
/// headers and whether the call itself would follow.
pub fn plan(transport: &ApiTransport, options: &Options) -> serde_json::Value {
    serde_json::json!({
        "dryRun": true,
        "origin": options.origin,
        "method": options.method,
        "url": options.url.to_string(),
        "preflightRequestHeaders": request_headers(transport, options),
        "callSent": options.body.is_some(),
    })
}

pub async fn check(transport: &ApiTransport, options: Options) -> Result<Report, AppError> {
    let headers = request_headers(transport, &options);
    let preflight = send_preflight(transport, &options, &headers).await?;
    let mut explanation = explain_preflight(&preflight, &options, &headers);
    let preflight_ok = explanation.is_empty();
    let call = match (&options.body, preflight_ok) {
        (Some(body), true) => Some(send_call(transport, &options, body).await?),
        (None, true) => {
            explanation.push(format!(
                "the {} itself was not sent: it would change data",
                options.method
            ));
            None
        }
        (_, false) => None,
    };
    if let Some((probed, readable)) = &call {
        explanation.extend(explain_call(probed, *readable, &options));
    }
    let allowed = preflight_ok && call.as_ref().is_none_or(|(_, readable)| *readable);
    Ok(Report {
        origin: options.origin.clone(),
        method: options.method.clone(),
        url: options.url.to_string(),
        preflight: Preflight {
            status: preflight.status,
            allow_origin: preflight
                .header("access-control-allow-origin")
                .map(str::to_string),
            allow_methods: preflight
                .header("access-control-allow-methods")
                .map(str::to_string),
            allow_headers: preflight
                .header("access-control-allow-headers")
                .map(str::to_string),
            ok: preflight_ok,
        },
        call: call.map(|(probed, readable)| Call {
            status: probed.status,
            allow_origin: probed
                .header("access-control-allow-origin")
                .map(str::to_string),
            readable,
        }),
        allowed,
        fix: (!allowed).then(|| options.fix.clone()),
        explanation,
    })
}

async fn send_preflight(
    transport: &ApiTransport,
    options: &Options,
    headers: &[String],
) -> Result<Probed, AppError> {
    let requested = headers.join(",");
    let preflight_headers = [
        ("origin", options.origin.as_str()),
        ("access-control-request-method", options.method.as_str()),
        ("access-control-request-headers", requested.as_str()),
    ];
    // A preflight carries no credentials: sent without the transport's auth.
    transport
        .probe_unauthenticated("OPTIONS", &options.url, &preflight_headers)
        .await
}

fn explain_preflight(preflight: &Probed, options: &Options, headers: &[String]) -> Vec<String> {
    let mut problems = Vec::new();
    if !(200..300).contains(&preflight.status) {
        problems.push(format!(
            "the preflight (OPTIONS) got {} — the API answers no CORS preflight for this path{}",
            preflight.status,
            if preflight.status == 403 {
                " (403 Missing Authentication Token: there is no OPTIONS method)"
            } else {
                ""
            }
        ));
        return problems;
    }
    let allow_origin = preflight.header("access-control-allow-origin");
    if !origin_allowed(allow_origin, &options.origin) {
        problems.push(match allow_origin {
            None => format!("the preflight has no Access-Control-Allow-Origin for {}: the origin is not allowed", options.origin),
            Some(other) => format!("the preflight allows the origin {other}, not {}", options.origin),
        });
    }
    if !lists(
        preflight.header("access-control-allow-methods"),
        &options.method,
    ) {
        problems.push(format!(
            "Access-Control-Allow-Methods does not list {}",
            options.method
        ));
    }
    for header in headers {
        if !lists(preflight.header("access-control-allow-headers"), header) {
            problems.push(format!(
                "Access-Control-Allow-Headers does not list {header}"
            ));
        }
    }
    problems
}

/// The call itself, as the page sends it; (answer, readable by the page).
async fn send_call(
    transport: &ApiTransport,
    options: &Options,
    body: &[u8],
) -> Result<(Probed, bool), AppError> {
    let headers = [
        ("origin", options.origin.as_str()),
        ("content-type", "application/json"),
    ];
    let probed = transport
        .probe(&options.method, &options.url, &headers, body)
        .await?;
    let readable = origin_allowed(
        probed.header("access-control-allow-origin"),
        &options.origin,
    );
    Ok((probed, readable))
}

fn explain_call(probed: &Probed, readable: bool, options: &Options) -> Vec<String> {
    let body = String::from_utf8_lossy(&probed.body);
    let excerpt: String = body.chars().take(200).collect();
    match (readable, probed.status) {
        (true, 200..=299) => vec![],
        (true, status) => vec![format!(
            "the API answered {status} {excerpt} — an API error the page can read (CORS is fine)"
        )],
        (false, status @ 200..=299) => vec![format!(
            "the call got {status} but no Access-Control-Allow-Origin for {}: the page cannot read it (a CORS failure)",
            options.origin
        )],
        (false, status) => vec![format!(
            "the API answered {status} {excerpt} without CORS headers: the page sees only an opaque CORS failure, not this error"
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_lists_are_read_as_browsers_read_them() {
        assert!(lists(Some("GET, POST,OPTIONS"), "POST"));
        assert!(lists(Some("authorization,content-type"), "Content-Type"));
        assert!(lists(Some("*"), "x-api-key"));
        assert!(!lists(Some("GET"), "DELETE"));
        assert!(!lists(None, "GET"));
        assert!(origin_allowed(Some("http://a"), "http://a"));
        assert!(origin_allowed(Some("*"), "http://a"));
        assert!(!origin_allowed(Some("http://b"), "http://a"));
        assert!(!origin_allowed(None, "http://a"));
    }
}
