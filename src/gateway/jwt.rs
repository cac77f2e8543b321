//! JWT authorizers (HTTP APIs), verified for real and fail-closed, in the
//! order AWS documents ("Controlling access to HTTP APIs with JWT
//! authorizers"): the token (the identity source, `Bearer ` optional), its
//! header (`kid`; RSA algorithms only), the signature against the issuer's
//! JWKS (found by OIDC discovery, [`Jwks`]), `iss` exactly, `aud` among the
//! audiences (`client_id` only when there is no `aud`), `exp` in the future
//! (a token without one is refused), `nbf` and `iat` not in the future,
//! then one of the route's scopes in `scope`/`scp`. Signatures are checked
//! by `jsonwebtoken` (ring); this module decides only what the claims mean.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use jsonwebtoken::jwk::JwkSet;
use serde_json::{Map, Value};

/// Why a token was refused: 401 with this description in
/// `www-authenticate` (None: no token at all, a bare `Bearer`), or 403.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Unauthorized(Option<&'static str>),
    /// None of the route's scopes (403 Forbidden).
    Forbidden,
    /// The issuer's keys could not be fetched: refused, never allowed.
    KeysUnavailable(String),
}

/// The descriptions; the first three as recorded on AWS, the others ours
/// (no capture of AWS's wording is known; see the README).
pub const NO_SEGMENTS: &str = "token contains an invalid number of segments";
pub const EXPIRED: &str = "the token has expired";
pub const AUDIENCE: &str = "the token does not have a valid audience";
pub const ISSUER: &str = "the token does not have a valid issuer";
pub const SIGNATURE: &str = "the token has an invalid signature";
pub const ALGORITHM: &str = "the token is not signed with an RSA algorithm";
pub const UNKNOWN_KEY: &str = "no key of the issuer matches the token's kid";
pub const MALFORMED: &str = "the token is malformed";
pub const NO_EXPIRY: &str = "the token has no expiration time";
pub const NOT_YET: &str = "the token is not valid yet";
pub const ISSUED_LATER: &str = "the token was issued in the future";

/// What the route's JWT authorizer expects.
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub audiences: &'a [String],
    pub scopes: &'a [String],
}

/// A token that passed: its claims as the 2.0 event delivers them.
#[derive(Debug, Clone, PartialEq)]
pub struct Verified {
    pub claims: Map<String, Value>,
    pub scopes: Vec<String>,
}

/// The token in an Authorization header value (`Bearer ` optional).
pub fn token_of(header: Option<&str>) -> Option<&str> {
    let value = header?.trim();
    if value.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let token = match value.get(..7) {
        Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => value[7..].trim(),
        _ => value,
    };
    (!token.is_empty()).then_some(token)
}

/// The header's (alg, kid), checked: three segments, an RSA algorithm.
pub fn header_of(token: &str) -> Result<(jsonwebtoken::Algorithm, Option<String>), Refusal> {
    let refuse = |why| Refusal::Unauthorized(Some(why));
    if token.split('.').count() != 3 {
        return Err(refuse(NO_SEGMENTS));
    }
    let head = token.split('.').next().unwrap_or_default();
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(head.trim_end_matches('='))
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .ok_or(refuse(MALFORMED))?;
    use jsonwebtoken::Algorithm::{RS256, RS384, RS512};
    let alg = match json["alg"].as_str() {
        Some("RS256") => RS256,
        Some("RS384") => RS384,
        Some("RS512") => RS512,
        _ => return Err(refuse(ALGORITHM)),
    };
    Ok((alg, json["kid"].as_str().map(str::to_string)))
}

/// Verifies `token` (signed with `alg`) against `key`, then its claims
/// against `expected` at `now` (seconds since the epoch).
pub fn verify(
    token: &str,
    alg: jsonwebtoken::Algorithm,
    key: &jsonwebtoken::DecodingKey,
    expected: &Expected<'_>,
    now: u64,
) -> Result<Verified, Refusal> {
    let claims = signed_claims(token, alg, key)?;
    check_claims(&claims, expected, now)?;
    Ok(Verified {
        scopes: scopes_of(&claims),
        claims: claims
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(claim_text(v))))
            .collect(),
    })
}

/// The claims of `token` once its signature holds (checked by
/// `jsonwebtoken`; the claims are the callers' to check, each with its
/// own answer).
fn signed_claims(
    token: &str,
    alg: jsonwebtoken::Algorithm,
    key: &jsonwebtoken::DecodingKey,
) -> Result<Map<String, Value>, Refusal> {
    let refuse = |why| Refusal::Unauthorized(Some(why));
    let mut validation = jsonwebtoken::Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Map<String, Value>>(token, key, &validation)
        .map(|d| d.claims)
        .map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => refuse(SIGNATURE),
            _ => refuse(MALFORMED),
        })
}

/// The `iss` a token claims, read before its signature is checked: it only
/// picks which user pool's keys check it.
pub fn claimed_issuer(token: &str) -> Option<String> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims["iss"].as_str().map(str::to_string)
}

/// Why a Cognito user pool authorizer (REST) refused a token (401 each).
pub const NOT_ID_TOKEN: &str = "a method without OAuth scopes takes an ID token (token_use id)";
pub const NOT_ACCESS_TOKEN: &str =
    "a method with OAuth scopes takes an access token (token_use access)";
pub const NO_METHOD_SCOPE: &str = "the access token holds none of the method's scopes";

/// A user pool token for a REST method (COGNITO_USER_POOLS): signed by
/// the pool, `iss` the pool, not expired; without method scopes an ID
/// token, with them an access token holding one. Its claims as they are.
pub fn verify_user_pool_token(
    token: &str,
    alg: jsonwebtoken::Algorithm,
    key: &jsonwebtoken::DecodingKey,
    issuer: &str,
    method_scopes: &[String],
    now: u64,
) -> Result<Map<String, Value>, Refusal> {
    let claims = signed_claims(token, alg, key)?;
    check_user_pool_claims(&claims, issuer, method_scopes, now)?;
    Ok(claims)
}

/// The user pool rules, each alone (the signature already holds).
pub fn check_user_pool_claims(
    claims: &Map<String, Value>,
    issuer: &str,
    method_scopes: &[String],
    now: u64,
) -> Result<(), Refusal> {
    let refuse = |why| Err(Refusal::Unauthorized(Some(why)));
    if claims.get("iss").and_then(Value::as_str) != Some(issuer) {
        return refuse(ISSUER);
    }
    match claims.get("exp").map(|v| v.as_u64()) {
        None | Some(None) => return refuse(NO_EXPIRY),
        Some(Some(exp)) if exp <= now => return refuse(EXPIRED),
        _ => {}
    }
    let token_use = claims.get("token_use").and_then(Value::as_str);
    if method_scopes.is_empty() {
        if token_use != Some("id") {
            return refuse(NOT_ID_TOKEN);
        }
    } else {
        if token_use != Some("access") {
            return refuse(NOT_ACCESS_TOKEN);
        }
        let held = scopes_of(claims);
        if !method_scopes.iter().any(|s| held.contains(s)) {
            return refuse(NO_METHOD_SCOPE);
        }
    }
    Ok(())
}

/// Claims as a REST API's `requestContext.authorizer.claims` carries them:
/// strings, `exp` and `iat` as dates (`Wed Dec 02 18:08:08 UTC 2026`).
pub fn rest_claims(claims: &Map<String, Value>) -> Map<String, Value> {
    claims
        .iter()
        .map(|(name, value)| {
            let date = matches!(name.as_str(), "exp" | "iat")
                .then(|| value.as_i64())
                .flatten()
                .and_then(|t| chrono::DateTime::from_timestamp(t, 0))
                .map(|t| t.format("%a %b %d %H:%M:%S UTC %Y").to_string());
            (
                name.clone(),
                Value::String(date.unwrap_or_else(|| claim_text(value))),
            )
        })
        .collect()
}

/// The claims' rules, each alone (the signature already holds).
pub fn check_claims(
    claims: &Map<String, Value>,
    expected: &Expected<'_>,
    now: u64,
) -> Result<(), Refusal> {
    let refuse = |why| Err(Refusal::Unauthorized(Some(why)));
    if claims.get("iss").and_then(Value::as_str) != Some(expected.issuer) {
        return refuse(ISSUER);
    }
    let audiences: Vec<&str> = match claims.get("aud") {
        Some(Value::String(a)) => vec![a],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        // Only a token without `aud` is matched by its `client_id`.
        _ => claims
            .get("client_id")
            .and_then(Value::as_str)
            .into_iter()
            .collect(),
    };
    if !audiences
        .iter()
        .any(|a| expected.audiences.iter().any(|e| e == a))
    {
        return refuse(AUDIENCE);
    }
    let time = |name: &str| {
        claims
            .get(name)
            .map(|v| v.as_u64().or(v.as_f64().map(|f| f as u64)))
    };
    match time("exp") {
        None | Some(None) => return refuse(NO_EXPIRY),
        Some(Some(exp)) if exp <= now => return refuse(EXPIRED),
        _ => {}
    }
    if matches!(time("nbf"), Some(Some(nbf)) if nbf > now) {
        return refuse(NOT_YET);
    }
    if matches!(time("iat"), Some(Some(iat)) if iat > now) {
        return refuse(ISSUED_LATER);
    }
    if !expected.scopes.is_empty() {
        let held = scopes_of(claims);
        if !expected.scopes.iter().any(|s| held.contains(s)) {
            return Err(Refusal::Forbidden);
        }
    }
    Ok(())
}

/// The token's scopes: `scope` (space-separated) or `scp` (list or string).
fn scopes_of(claims: &Map<String, Value>) -> Vec<String> {
    let split = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    match (claims.get("scope"), claims.get("scp")) {
        (Some(Value::String(s)), _) => split(s),
        (_, Some(Value::Array(list))) => list
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        (_, Some(Value::String(s))) => split(s),
        _ => Vec::new(),
    }
}

/// A claim as the 2.0 event carries it: a string (a list as `[a b]`, as
/// AWS renders `cognito:groups`).
fn claim_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(list) => format!(
            "[{}]",
            list.iter().map(claim_text).collect::<Vec<_>>().join(" ")
        ),
        other => other.to_string(),
    }
}

/// The `www-authenticate` header of a 401.
pub fn www_authenticate(refusal: &Refusal, route_scopes: &[String]) -> Option<String> {
    match refusal {
        Refusal::Unauthorized(None) => Some("Bearer".into()),
        Refusal::Unauthorized(Some(why)) => Some(format!(
            r#"Bearer scope="{}" error="invalid_token" error_description="{why}""#,
            route_scopes.join(" ")
        )),
        _ => None,
    }
}

/// Where an issuer's keys are fetched from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeysAt {
    /// `{issuer}/.well-known/openid-configuration` → `jwks_uri`.
    Discovery(String),
    /// A JWKS URL, known without discovery.
    Jwks(String),
}

impl KeysAt {
    fn cache_key(&self) -> &str {
        match self {
            KeysAt::Discovery(url) | KeysAt::Jwks(url) => url,
        }
    }
}

/// How long fetched keys are used before they are fetched again; a `kid`
/// not among them refetches at most once per [`REFETCH_AFTER`].
const KEYS_FOR: Duration = Duration::from_secs(300);
const REFETCH_AFTER: Duration = Duration::from_secs(10);

/// Issuers' JWKS, found by OIDC discovery and cached.
#[derive(Default)]
pub struct Jwks {
    by_issuer: Mutex<HashMap<String, (Instant, std::sync::Arc<JwkSet>)>>,
}

impl Jwks {
    /// The key named `kid` (the only one when the token names none).
    pub async fn key(
        &self,
        http: &reqwest::Client,
        at: &KeysAt,
        kid: Option<&str>,
    ) -> Result<jsonwebtoken::DecodingKey, Refusal> {
        let issuer = at.cache_key();
        let cached = self.by_issuer.lock().unwrap().get(issuer).cloned();
        let fresh = cached.as_ref().filter(|(at, _)| at.elapsed() < KEYS_FOR);
        if let Some(key) = fresh.and_then(|(_, set)| pick(set, kid)) {
            return key;
        }
        let stale_enough = cached
            .as_ref()
            .is_none_or(|(at, _)| at.elapsed() >= REFETCH_AFTER);
        if !stale_enough {
            return Err(Refusal::Unauthorized(Some(UNKNOWN_KEY)));
        }
        let set = std::sync::Arc::new(fetch(http, at).await?);
        self.by_issuer
            .lock()
            .unwrap()
            .insert(issuer.to_string(), (Instant::now(), set.clone()));
        pick(&set, kid).unwrap_or(Err(Refusal::Unauthorized(Some(UNKNOWN_KEY))))
    }
}

fn pick(set: &JwkSet, kid: Option<&str>) -> Option<Result<jsonwebtoken::DecodingKey, Refusal>> {
    let jwk = match kid {
        Some(kid) => set.find(kid)?,
        None if set.keys.len() == 1 => &set.keys[0],
        None => return None,
    };
    Some(
        jsonwebtoken::DecodingKey::from_jwk(jwk)
            .map_err(|_| Refusal::Unauthorized(Some(UNKNOWN_KEY))),
    )
}

/// `{issuer}/.well-known/openid-configuration` → `jwks_uri` → the JWKS.
async fn fetch(http: &reqwest::Client, at: &KeysAt) -> Result<JwkSet, Refusal> {
    let issuer = at.cache_key();
    let unavailable = |why: String| Refusal::KeysUnavailable(format!("issuer {issuer}: {why}"));
    let get = |url: String| async move {
        let reply = http
            .get(&url)
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .map_err(|e| format!("cannot fetch {url}: {e}"))?;
        if !reply.status().is_success() {
            return Err(format!("{url} answered {}", reply.status()));
        }
        let body = reply
            .bytes()
            .await
            .map_err(|e| format!("cannot read {url}: {e}"))?;
        serde_json::from_slice::<Value>(&body).map_err(|e| format!("{url} is not JSON: {e}"))
    };
    let jwks_uri = match at {
        KeysAt::Jwks(url) => url.clone(),
        KeysAt::Discovery(issuer) => {
            let discovery = get(format!(
                "{}/.well-known/openid-configuration",
                issuer.trim_end_matches('/')
            ))
            .await
            .map_err(unavailable)?;
            discovery["jwks_uri"]
                .as_str()
                .ok_or_else(|| unavailable("the discovery document has no jwks_uri".into()))?
                .to_string()
        }
    };
    let jwks_uri = jwks_uri.as_str();
    let jwks = get(jwks_uri.to_string()).await.map_err(unavailable)?;
    serde_json::from_value(jwks).map_err(|e| unavailable(format!("{jwks_uri} is not a JWKS: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const NOW: u64 = 1_700_000_000;

    fn claims(extra: Value) -> Map<String, Value> {
        let mut base =
            json!({"iss": "https://issuer", "aud": "app", "exp": NOW + 60, "sub": "ana"});
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        base.as_object().unwrap().clone()
    }

    fn check(claims: &Map<String, Value>, scopes: &[&str]) -> Result<(), Refusal> {
        let audiences = vec!["app".to_string()];
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        let expected = Expected {
            issuer: "https://issuer",
            audiences: &audiences,
            scopes: &scopes,
        };
        check_claims(claims, &expected, NOW)
    }

    fn refused(why: &'static str) -> Result<(), Refusal> {
        Err(Refusal::Unauthorized(Some(why)))
    }

    fn pool_claims(extra: Value) -> Map<String, Value> {
        let mut base =
            json!({"iss": "https://pool", "exp": NOW + 60, "token_use": "id", "sub": "ana"});
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        base.as_object().unwrap().clone()
    }

    #[test]
    fn user_pool_tokens_follow_the_methods_scopes() {
        let none: Vec<String> = Vec::new();
        let write = vec!["items/write".to_string()];
        let check = |c: &Map<String, Value>, scopes: &[String]| {
            check_user_pool_claims(c, "https://pool", scopes, NOW)
        };
        assert_eq!(check(&pool_claims(json!({})), &none), Ok(()));
        assert_eq!(
            check(&pool_claims(json!({"iss": "https://other-pool"})), &none),
            refused(ISSUER)
        );
        assert_eq!(
            check(&pool_claims(json!({"exp": NOW})), &none),
            refused(EXPIRED)
        );
        let mut no_exp = pool_claims(json!({}));
        no_exp.remove("exp");
        assert_eq!(check(&no_exp, &none), refused(NO_EXPIRY));
        let access = pool_claims(json!({"token_use": "access", "scope": "items/write"}));
        assert_eq!(check(&access, &none), refused(NOT_ID_TOKEN));
        assert_eq!(check(&access, &write), Ok(()));
        assert_eq!(
            check(&pool_claims(json!({})), &write),
            refused(NOT_ACCESS_TOKEN)
        );
        let other_scope = pool_claims(json!({"token_use": "access", "scope": "items/read"}));
        assert_eq!(check(&other_scope, &write), refused(NO_METHOD_SCOPE));
    }

    #[test]
    fn rest_claims_are_strings_with_dated_times() {
        let claims = pool_claims(json!({"iat": 1_764_698_888u64, "exp": 1_764_698_888u64,
                                        "auth_time": 1_764_698_888u64, "email_verified": true}));
        let rest = rest_claims(&claims);
        assert_eq!(rest["exp"], "Tue Dec 02 18:08:08 UTC 2025");
        assert_eq!(rest["iat"], "Tue Dec 02 18:08:08 UTC 2025");
        assert_eq!(rest["auth_time"], "1764698888");
        assert_eq!(rest["email_verified"], "true");
        assert_eq!(rest["sub"], "ana");
    }

    #[test]
    fn a_valid_token_passes() {
        assert_eq!(check(&claims(json!({})), &[]), Ok(()));
    }

    #[test]
    fn the_issuer_must_match_exactly() {
        assert_eq!(
            check(&claims(json!({"iss": "https://issuer/"})), &[]),
            refused(ISSUER)
        );
        let mut none = claims(json!({}));
        none.remove("iss");
        assert_eq!(check(&none, &[]), refused(ISSUER));
    }

    #[test]
    fn aud_is_checked_and_client_id_only_without_aud() {
        assert_eq!(
            check(&claims(json!({"aud": "other"})), &[]),
            refused(AUDIENCE)
        );
        assert_eq!(check(&claims(json!({"aud": ["x", "app"]})), &[]), Ok(()));
        let wrong_aud_right_client = claims(json!({"aud": "other", "client_id": "app"}));
        assert_eq!(check(&wrong_aud_right_client, &[]), refused(AUDIENCE));
        let mut client_only = claims(json!({"client_id": "app"}));
        client_only.remove("aud");
        assert_eq!(check(&client_only, &[]), Ok(()));
    }

    #[test]
    fn exp_must_exist_and_be_in_the_future() {
        assert_eq!(check(&claims(json!({"exp": NOW})), &[]), refused(EXPIRED));
        assert_eq!(
            check(&claims(json!({"exp": "soon"})), &[]),
            refused(NO_EXPIRY)
        );
        let mut none = claims(json!({}));
        none.remove("exp");
        assert_eq!(check(&none, &[]), refused(NO_EXPIRY));
    }

    #[test]
    fn nbf_and_iat_must_not_be_in_the_future() {
        assert_eq!(
            check(&claims(json!({"nbf": NOW + 10})), &[]),
            refused(NOT_YET)
        );
        assert_eq!(check(&claims(json!({"nbf": NOW})), &[]), Ok(()));
        assert_eq!(
            check(&claims(json!({"iat": NOW + 10})), &[]),
            refused(ISSUED_LATER)
        );
    }

    #[test]
    fn one_route_scope_must_be_held_in_scope_or_scp() {
        let scoped = claims(json!({"scope": "items/read items/write"}));
        assert_eq!(check(&scoped, &["items/write"]), Ok(()));
        assert_eq!(check(&scoped, &["admin"]), Err(Refusal::Forbidden));
        assert_eq!(
            check(&claims(json!({})), &["items/write"]),
            Err(Refusal::Forbidden)
        );
        let scp = claims(json!({"scp": ["items/write"]}));
        assert_eq!(check(&scp, &["admin", "items/write"]), Ok(()));
    }

    #[test]
    fn headers_need_three_segments_and_an_rsa_algorithm() {
        let b64 = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        let token = |header: Value| format!("{}.{}.sig", b64(header), b64(json!({})));
        assert_eq!(
            header_of("abc").unwrap_err(),
            Refusal::Unauthorized(Some(NO_SEGMENTS))
        );
        assert_eq!(
            header_of(&token(json!({"alg": "RS256", "kid": "k"}))).unwrap(),
            (jsonwebtoken::Algorithm::RS256, Some("k".to_string()))
        );
        for alg in ["none", "HS256", "ES256"] {
            assert_eq!(
                header_of(&token(json!({"alg": alg}))).unwrap_err(),
                Refusal::Unauthorized(Some(ALGORITHM)),
                "{alg}"
            );
        }
    }

    #[test]
    fn tokens_come_with_or_without_bearer_and_401s_say_why() {
        assert_eq!(token_of(Some("Bearer abc")), Some("abc"));
        assert_eq!(token_of(Some("bearer abc")), Some("abc"));
        assert_eq!(token_of(Some("abc")), Some("abc"));
        assert_eq!(token_of(Some("Bearer ")), None);
        assert_eq!(token_of(None), None);
        assert_eq!(
            www_authenticate(&Refusal::Unauthorized(None), &[]).unwrap(),
            "Bearer"
        );
        assert_eq!(
            www_authenticate(
                &Refusal::Unauthorized(Some(EXPIRED)),
                &["a".into(), "b".into()]
            )
            .unwrap(),
            r#"Bearer scope="a b" error="invalid_token" error_description="the token has expired""#
        );
        assert_eq!(www_authenticate(&Refusal::Forbidden, &[]), None);
    }

    #[test]
    fn claims_reach_the_event_as_strings() {
        assert_eq!(claim_text(&json!(["admin", "users"])), "[admin users]");
        assert_eq!(claim_text(&json!(12)), "12");
        assert_eq!(claim_text(&json!("x")), "x");
    }
}
