//! SigV4 verification for `AWS_IAM` methods, as API Gateway does it: the
//! canonical request is rebuilt from the request *as received* (path,
//! query, the signed headers, the body's hash) — independently of the
//! client's signing code — and the signature is recomputed with the secret
//! of the access key (HMAC-SHA256 from the `hmac`/`sha2` crates).

use std::time::{Duration, SystemTime};

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The request as received.
pub struct Request<'a> {
    pub method: &'a str,
    /// The path as it came on the wire (still percent-encoded).
    pub raw_path: &'a str,
    pub raw_query: Option<&'a str>,
    /// Every header line, in order (repeated names repeated).
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// What the request must be signed for.
pub struct Scope<'a> {
    pub region: &'a str,
    pub service: &'a str,
    pub now: SystemTime,
    /// How far X-Amz-Date may be from now.
    pub max_skew: Duration,
    /// Normalize the path (remove `.`, `..` and empty segments); S3 does not.
    pub normalize: bool,
}

/// An access key's secret, and its session token (None: long-term keys,
/// which sign without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub secret: String,
    pub token: Option<String>,
}

impl From<String> for Secret {
    fn from(secret: String) -> Secret {
        Secret {
            secret,
            token: None,
        }
    }
}

/// Who signed a request that verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub access_key: String,
}

/// Why a request is refused; `message` is API Gateway's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// No Authorization header: API Gateway's "Missing Authentication Token".
    Missing,
    /// A malformed Authorization header (`IncompleteSignatureException`):
    /// AWS's message, which quotes the header, and a reason that does not.
    Incomplete { message: String, reason: String },
    /// `InvalidSignatureException`.
    Invalid(String),
    /// An unknown access key, or a security token: "The security token
    /// included in the request is invalid." (`AccessDeniedException`).
    InvalidToken,
}

/// AWS's text for an unknown key or token (with its period).
pub const INVALID_TOKEN: &str = "The security token included in the request is invalid.";

impl Rejection {
    pub fn message(&self) -> String {
        match self {
            Rejection::Missing => "Missing Authentication Token".into(),
            Rejection::Incomplete { message, .. } | Rejection::Invalid(message) => message.clone(),
            Rejection::InvalidToken => INVALID_TOKEN.into(),
        }
    }
}

struct Authorization {
    access_key: String,
    date: String,
    region: String,
    service: String,
    terminator: String,
    signed_headers: Vec<String>,
    signature: String,
}

fn invalid(message: impl Into<String>) -> Rejection {
    Rejection::Invalid(message.into())
}

fn incomplete(message: String, reason: &str) -> Rejection {
    Rejection::Incomplete {
        message,
        reason: reason.to_string(),
    }
}

/// The `Credential`, `SignedHeaders` and `Signature` parameters of a SigV4
/// Authorization header (None when the header is not SigV4 or lacks one).
fn parameters(value: &str) -> Result<[Option<String>; 3], Rejection> {
    let mut found: [Option<String>; 3] = [None, None, None];
    let Some(rest) = value.trim().strip_prefix("AWS4-HMAC-SHA256 ") else {
        return Ok(found);
    };
    for token in rest
        .split([',', ' ', '\t'])
        .filter(|t| !t.trim().is_empty())
    {
        let Some((key, val)) = token.trim().split_once('=') else {
            return Err(incomplete(
                format!(
                    "'{}' not a valid key=value pair (missing equal-sign) in Authorization header: '{value}'.",
                    token.trim()
                ),
                "an Authorization parameter is not a key=value pair (two Authorization headers?)",
            ));
        };
        let slot = match key {
            "Credential" => &mut found[0],
            "SignedHeaders" => &mut found[1],
            "Signature" => &mut found[2],
            _ => continue,
        };
        if slot.replace(val.to_string()).is_some() {
            return Err(incomplete(
                format!("Authorization header has a repeated '{key}' parameter: '{value}'."),
                "an Authorization parameter is repeated",
            ));
        }
    }
    Ok(found)
}

/// The SigV4 Authorization header: `AWS4-HMAC-SHA256 Credential=...,
/// SignedHeaders=..., Signature=...`. Every parameter must be `key=value`
/// (two headers, joined, fail here as AWS refuses them: envoyproxy/envoy#23702);
/// anything else (`Basic ...`, `Bearer ...`) lists what is missing, as AWS
/// answers (AWS's message quotes the header; the reason does not).
fn parse_authorization(value: &str, has_date: bool) -> Result<Authorization, Rejection> {
    let [credential, signed_headers, signature] = parameters(value)?;
    let mut missing = Vec::new();
    for (name, field) in [
        ("Credential", &credential),
        ("Signature", &signature),
        ("SignedHeaders", &signed_headers),
    ] {
        if field.is_none() {
            missing.push(format!("Authorization header requires '{name}' parameter."));
        }
    }
    if !missing.is_empty() {
        if !has_date {
            missing.push(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
                    .into(),
            );
        }
        return Err(incomplete(
            format!("{} Authorization={value}", missing.join(" ")),
            "the Authorization header is not a SigV4 one (Credential, Signature or SignedHeaders missing)",
        ));
    }
    let credential = credential.unwrap_or_default();
    let parts: Vec<&str> = credential.split('/').collect();
    if parts.len() != 5 {
        return Err(invalid(format!(
            "Credential should be scoped to a valid region. Authorization header is malformed: {credential}"
        )));
    }
    Ok(Authorization {
        access_key: parts[0].to_string(),
        date: parts[1].to_string(),
        region: parts[2].to_string(),
        service: parts[3].to_string(),
        terminator: parts[4].to_string(),
        signed_headers: signed_headers
            .unwrap_or_default()
            .split(';')
            .map(|h| h.trim().to_ascii_lowercase())
            .filter(|h| !h.is_empty())
            .collect(),
        signature: signature.unwrap_or_default(),
    })
}

/// Every value of header `name` (lowercase), trimmed, inner whitespace
/// collapsed, joined with commas.
fn header_value(headers: &[(String, String)], name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// RFC 3986 unreserved characters stay; every other byte is %XX.
fn encode(bytes: &[u8], keep_slash: bool) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(b) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Removes `.` and `..` segments and empty segments, keeping a trailing
/// slash (RFC 3986 section 5.2.4, as AWS applies it).
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    let trailing = ["/", "/.", "/..", "/./", "/../"]
        .iter()
        .any(|t| path.ends_with(t));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// The canonical URI: every path byte but unreserved characters and `/`
/// percent-encoded, so a `%` received becomes `%25` (execute-api signs the
/// already-encoded path again).
fn canonical_uri(raw_path: &str, normalize: bool) -> String {
    let path = if raw_path.is_empty() { "/" } else { raw_path };
    let path = if normalize {
        normalize_path(path)
    } else {
        path.to_string()
    };
    encode(path.as_bytes(), true)
}

fn canonical_query(raw_query: Option<&str>) -> String {
    let Some(query) = raw_query.filter(|q| !q.is_empty()) else {
        return String::new();
    };
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (
                encode(&percent_decode(k), false),
                encode(&percent_decode(v), false),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The canonical request and the string to sign (also for error messages
/// and the tests against AWS's suite).
pub fn canonical(
    request: &Request<'_>,
    signed_headers: &[String],
    payload_hash: &str,
    normalize: bool,
) -> String {
    let mut canonical_headers = String::new();
    for name in signed_headers {
        let value = header_value(request.headers, name).unwrap_or_default();
        canonical_headers.push_str(&format!("{name}:{value}\n"));
    }
    format!(
        "{}\n{}\n{}\n{canonical_headers}\n{}\n{payload_hash}",
        request.method,
        canonical_uri(request.raw_path, normalize),
        canonical_query(request.raw_query),
        signed_headers.join(";"),
    )
}

pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical_request.as_bytes()))
    )
}

fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let parsed = chrono::NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%SZ").ok()?;
    let secs = parsed.and_utc().timestamp();
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).ok()?))
}

fn amz_date(time: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(time)
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// Verifies the request's SigV4 signature. `secret_of` gives the secret
/// (and session token) of an access key (None: unknown key).
pub fn verify<S: Into<Secret>>(
    request: &Request<'_>,
    scope: &Scope<'_>,
    secret_of: impl Fn(&str) -> Option<S>,
) -> Result<Caller, Rejection> {
    let Some(authorization) = header_value(request.headers, "authorization") else {
        return Err(Rejection::Missing);
    };
    let date = header_value(request.headers, "x-amz-date");
    let auth = parse_authorization(&authorization, date.is_some())?;
    let Some(date) = date else {
        return Err(invalid(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
        ));
    };
    check_date(&auth, &date, scope)?;
    check_scope(&auth, scope)?;
    // An unknown key, or a token the key does not have (the local
    // credentials have none: any token is forged).
    let token = header_value(request.headers, "x-amz-security-token");
    let Some(Secret { secret, token: own }) = secret_of(&auth.access_key).map(Into::into) else {
        return Err(Rejection::InvalidToken);
    };
    if token != own {
        return Err(Rejection::InvalidToken);
    }
    // The payload's hash, as received: a body changed after signing fails.
    let body_hash = hex(&Sha256::digest(request.body));
    if let Some(claimed) = header_value(request.headers, "x-amz-content-sha256") {
        if claimed != body_hash {
            return Err(invalid(
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
            ));
        }
    }
    let canonical_request = canonical(request, &auth.signed_headers, &body_hash, scope.normalize);
    check_signature(&auth, &secret, &date, &canonical_request)?;
    Ok(Caller {
        access_key: auth.access_key,
    })
}

/// X-Amz-Date: well-formed, the credential's day, within the allowed skew.
fn check_date(auth: &Authorization, date: &str, scope: &Scope<'_>) -> Result<(), Rejection> {
    let Some(signed_at) = parse_amz_date(date) else {
        return Err(invalid(format!(
            "Invalid X-Amz-Date: {date} (expected YYYYMMDDTHHMMSSZ)"
        )));
    };
    if auth.date != date.get(..8).unwrap_or_default() {
        return Err(invalid(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{date}'.",
            auth.date,
            date.get(..8).unwrap_or_default()
        )));
    }
    let minutes = scope.max_skew.as_secs() / 60;
    if signed_at + scope.max_skew < scope.now {
        return Err(invalid(format!(
            "Signature expired: {date} is now earlier than {} ({} - {minutes} min.)",
            amz_date(scope.now - scope.max_skew),
            amz_date(scope.now)
        )));
    }
    if signed_at > scope.now + scope.max_skew {
        return Err(invalid(format!(
            "Signature not yet current: {date} is still later than {} ({} + {minutes} min.)",
            amz_date(scope.now + scope.max_skew),
            amz_date(scope.now)
        )));
    }
    Ok(())
}

/// The credential scope (region, service, terminator) and the signed headers.
fn check_scope(auth: &Authorization, scope: &Scope<'_>) -> Result<(), Rejection> {
    if auth.region != scope.region {
        return Err(invalid("Credential should be scoped to a valid region. "));
    }
    if auth.service != scope.service {
        return Err(invalid(format!(
            "Credential should be scoped to correct service: '{}'. ",
            scope.service
        )));
    }
    if auth.terminator != "aws4_request" {
        return Err(invalid(
            "Credential should be scoped with a valid terminator: 'aws4_request'. ",
        ));
    }
    if !auth.signed_headers.iter().any(|h| h == "host") {
        return Err(invalid(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ));
    }
    Ok(())
}

/// Recomputes the signature and compares it in constant time.
fn check_signature(
    auth: &Authorization,
    secret: &str,
    date: &str,
    canonical_request: &str,
) -> Result<(), Rejection> {
    let credential_scope = format!(
        "{}/{}/{}/aws4_request",
        auth.date, auth.region, auth.service
    );
    let to_sign = string_to_sign(date, &credential_scope, canonical_request);
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), auth.date.as_bytes());
    let k_region = hmac(&k_date, auth.region.as_bytes());
    let k_service = hmac(&k_region, auth.service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    let expected = hex(&hmac(&k_signing, to_sign.as_bytes()));
    // The signature as sent must be the lower-case hex AWS computes: an odd
    // trailing digit or upper-case hex is a mismatch, not a match.
    if !same_text(&expected, &auth.signature) {
        return Err(invalid(format!(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n\
             The Canonical String for this request should have been\n'{canonical_request}'\n\n\
             The String-to-Sign should have been\n'{to_sign}'\n"
        )));
    }
    Ok(())
}

/// Constant-time text comparison (for signatures).
fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |diff, (x, y)| diff | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A request of AWS's SigV4 test suite (`request.txt` format).
    struct Parsed {
        method: String,
        path: String,
        query: Option<String>,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    }

    fn parse(text: &str) -> Parsed {
        let (head, body) = match text.split_once("\n\n") {
            Some((h, b)) => (h, b.as_bytes().to_vec()),
            None => (text.trim_end_matches('\n'), Vec::new()),
        };
        let mut lines = head.lines();
        let request_line = lines.next().unwrap();
        let method = request_line.split(' ').next().unwrap().to_string();
        let target = request_line
            .strip_prefix(&format!("{method} "))
            .unwrap()
            .strip_suffix(" HTTP/1.1")
            .unwrap();
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_string(), Some(q.to_string())),
            None => (target.to_string(), None),
        };
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in lines {
            if line.starts_with(' ') || line.starts_with('\t') {
                // A folded (multi-line) value continues the previous header.
                let last = headers.last_mut().unwrap();
                last.1.push(' ');
                last.1.push_str(line.trim());
            } else {
                let (name, value) = line.split_once(':').unwrap();
                headers.push((name.to_string(), value.to_string()));
            }
        }
        Parsed {
            method,
            path,
            query,
            headers,
            body,
        }
    }

    fn suite() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sigv4")
    }

    #[test]
    fn every_case_of_the_aws_suite_verifies_and_builds_the_same_canonical_request() {
        let mut cases = 0;
        for entry in std::fs::read_dir(suite()).unwrap() {
            let dir = entry.unwrap().path();
            let Ok(context) = std::fs::read_to_string(dir.join("context.json")) else {
                continue; // double-encode-path: canonical request only, checked below
            };
            let context: serde_json::Value = serde_json::from_str(&context).unwrap();
            let signed = std::fs::read_to_string(dir.join("header-signed-request.txt")).unwrap();
            let p = parse(&signed);
            let request = Request {
                method: &p.method,
                raw_path: &p.path,
                raw_query: p.query.as_deref(),
                headers: &p.headers,
                body: &p.body,
            };
            let now = parse_amz_date(
                &context["timestamp"]
                    .as_str()
                    .unwrap()
                    .replace(['-', ':'], ""),
            )
            .unwrap();
            let scope = Scope {
                region: context["region"].as_str().unwrap(),
                service: context["service"].as_str().unwrap(),
                now,
                max_skew: Duration::from_secs(15 * 60),
                normalize: context["normalize"].as_bool().unwrap(),
            };
            let secret = context["credentials"]["secret_access_key"]
                .as_str()
                .unwrap()
                .to_string();
            let key = context["credentials"]["access_key_id"].as_str().unwrap();
            let credential = Secret {
                secret: secret.clone(),
                token: context["credentials"]["token"].as_str().map(str::to_string),
            };
            let result = verify(&request, &scope, |k| (k == key).then(|| credential.clone()));
            assert!(result.is_ok(), "{}: {result:?}", dir.display());

            let auth =
                parse_authorization(&header_value(&p.headers, "authorization").unwrap(), true)
                    .ok()
                    .unwrap();
            let expected =
                std::fs::read_to_string(dir.join("header-canonical-request.txt")).unwrap();
            let body_hash = hex(&Sha256::digest(&p.body));
            assert_eq!(
                canonical(&request, &auth.signed_headers, &body_hash, scope.normalize),
                expected,
                "{}",
                dir.display()
            );
            cases += 1;
        }
        assert!(cases >= 35, "{cases} cases");
    }

    #[test]
    fn the_already_encoded_path_is_encoded_again_for_execute_api() {
        let signed =
            std::fs::read_to_string(suite().join("double-encode-path/header-signed-request.txt"))
                .unwrap();
        let p = parse(&signed);
        let request = Request {
            method: &p.method,
            raw_path: &p.path,
            raw_query: p.query.as_deref(),
            headers: &p.headers,
            body: &p.body,
        };
        let expected = std::fs::read_to_string(
            suite().join("double-encode-path/header-canonical-request.txt"),
        )
        .unwrap();
        let signed_headers = vec!["host".to_string(), "x-amz-date".to_string()];
        let hash = hex(&Sha256::digest(b""));
        // (The suite's files disagree on this case's date; the path is the point.)
        let ours = canonical(&request, &signed_headers, &hash, true);
        assert_eq!(ours.lines().nth(1), expected.lines().nth(1));
        assert_eq!(
            ours.lines().nth(1),
            Some("/test/%40connections/JBDvjfGEIAMCERw%253D")
        );
    }

    fn vanilla() -> (Parsed, SystemTime, String) {
        let dir = suite().join("post-x-www-form-urlencoded");
        let p = parse(&std::fs::read_to_string(dir.join("header-signed-request.txt")).unwrap());
        let now = parse_amz_date("20150830T123600Z").unwrap();
        (
            p,
            now,
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_string(),
        )
    }

    fn check(
        p: &Parsed,
        now: SystemTime,
        region: &str,
        service: &str,
        secret: &str,
    ) -> Result<Caller, Rejection> {
        let request = Request {
            method: &p.method,
            raw_path: &p.path,
            raw_query: p.query.as_deref(),
            headers: &p.headers,
            body: &p.body,
        };
        let scope = Scope {
            region,
            service,
            now,
            max_skew: Duration::from_secs(15 * 60),
            normalize: true,
        };
        verify(&request, &scope, |k| {
            (k == "AKIDEXAMPLE").then(|| secret.to_string())
        })
    }

    #[test]
    fn tampering_and_wrong_scopes_are_refused_with_api_gateways_messages() {
        let (p, now, secret) = vanilla();
        assert!(check(&p, now, "us-east-1", "service", &secret).is_ok());
        let message = |r: Result<Caller, Rejection>| r.unwrap_err().message();
        assert!(message(check(&p, now, "us-east-1", "service", "wrong"))
            .starts_with("The request signature we calculated does not match"));
        assert!(message(check(&p, now, "eu-west-1", "service", &secret)).contains("valid region"));
        assert!(message(check(&p, now, "us-east-1", "execute-api", &secret))
            .contains("correct service: 'execute-api'"));
        let later = now + Duration::from_secs(20 * 60);
        assert!(message(check(&p, later, "us-east-1", "service", &secret))
            .starts_with("Signature expired: 20150830T123600Z is now earlier than"));
        // The body changed after signing (its claimed hash no longer matches).
        let mut changed = vanilla().0;
        changed.body = b"Param1=value2".to_vec();
        assert!(
            message(check(&changed, now, "us-east-1", "service", &secret))
                .contains("x-amz-content-sha256")
        );
        // ...and without the hash header, the signature itself fails.
        changed
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("x-amz-content-sha256"));
        assert!(check(&changed, now, "us-east-1", "service", &secret).is_err());
        // No Authorization at all: "Missing Authentication Token".
        let mut unsigned = vanilla().0;
        unsigned
            .headers
            .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
        assert_eq!(
            check(&unsigned, now, "us-east-1", "service", &secret),
            Err(Rejection::Missing)
        );
        // An unknown access key.
        let request = Request {
            method: &p.method,
            raw_path: &p.path,
            raw_query: p.query.as_deref(),
            headers: &p.headers,
            body: &p.body,
        };
        let scope = Scope {
            region: "us-east-1",
            service: "service",
            now,
            max_skew: Duration::from_secs(900),
            normalize: true,
        };
        assert!(verify(&request, &scope, |_| None::<String>)
            .unwrap_err()
            .message()
            .contains("security token included in the request is invalid"));
    }

    fn with_authorization(value: &str) -> Parsed {
        let mut p = vanilla().0;
        for (name, v) in p.headers.iter_mut() {
            if name.eq_ignore_ascii_case("authorization") {
                *v = value.to_string();
            }
        }
        p
    }

    #[test]
    fn signatures_compare_as_sent_and_one_sigv4_header_is_required() {
        let (p, now, secret) = vanilla();
        let good = header_value(&p.headers, "authorization").unwrap();
        let refused = |p: &Parsed| check(p, now, "us-east-1", "service", &secret).unwrap_err();
        let mismatch = "The request signature we calculated does not match";
        // An odd trailing digit, or upper-case hex: not the signature.
        assert!(refused(&with_authorization(&format!("{good}0")))
            .message()
            .starts_with(mismatch));
        let (head, signature) = good.rsplit_once("Signature=").unwrap();
        let upper = format!("{head}Signature={}", signature.to_ascii_uppercase());
        assert!(refused(&with_authorization(&upper))
            .message()
            .starts_with(mismatch));
        // Two Authorization headers: refused, not "the later wins".
        let mut two = vanilla().0;
        two.headers.push(("Authorization".into(), good.clone()));
        let Rejection::Incomplete { message, reason } = refused(&two) else {
            panic!("two headers accepted");
        };
        assert!(message.starts_with("'AWS4-HMAC-SHA256' not a valid key=value pair (missing equal-sign) in Authorization header: '"), "{message}");
        assert!(!reason.contains("Credential="), "{reason}");
        // Not SigV4 at all: AWS's list of what is missing, quoting the header.
        let Rejection::Incomplete { message, reason } =
            refused(&with_authorization("Basic dXNlcjpwYXNz"))
        else {
            panic!("Basic accepted");
        };
        assert_eq!(
            message,
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. \
             Authorization header requires 'SignedHeaders' parameter. Authorization=Basic dXNlcjpwYXNz"
        );
        assert!(!reason.contains("dXNlcjpwYXNz"));
        // Any security token is forged (the local credentials have none).
        let mut token = vanilla().0;
        token
            .headers
            .push(("X-Amz-Security-Token".into(), "forged".into()));
        assert_eq!(refused(&token), Rejection::InvalidToken);
        assert_eq!(
            Rejection::InvalidToken.message(),
            "The security token included in the request is invalid."
        );
    }

    #[test]
    fn the_clock_may_be_five_minutes_off_each_way_with_awss_messages() {
        let (p, signed, secret) = vanilla();
        let request = Request {
            method: &p.method,
            raw_path: &p.path,
            raw_query: p.query.as_deref(),
            headers: &p.headers,
            body: &p.body,
        };
        let at = |now: SystemTime| {
            let scope = Scope {
                region: "us-east-1",
                service: "service",
                now,
                max_skew: Duration::from_secs(5 * 60),
                normalize: true,
            };
            verify(&request, &scope, |k| {
                (k == "AKIDEXAMPLE").then(|| secret.clone())
            })
            .map_err(|r| r.message())
        };
        let minutes = |m: u64| Duration::from_secs(m * 60);
        assert!(at(signed + minutes(4)).is_ok());
        assert!(at(signed - minutes(4)).is_ok());
        assert_eq!(
            at(signed + minutes(6)).unwrap_err(),
            "Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T124200Z - 5 min.)"
        );
        assert_eq!(
            at(signed - minutes(6)).unwrap_err(),
            "Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T123000Z + 5 min.)"
        );
    }
}
