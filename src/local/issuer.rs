//! The local stack's OIDC issuer: an RS256 key made on the gateway's first
//! start (kept owner-only in the local stack's dir), its discovery document
//! and JWKS (served by the local gateway under [`PATH`]), and signing
//! (`local token`). A local `--auth jwt` stack without `--jwt-issuer`
//! trusts it.

use std::path::{Path, PathBuf};

use base64::Engine;
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use serde_json::{json, Value};
use sha2::Digest;

use crate::error::AppError;

/// Where the gateway serves the issuer: `{gateway}/_issuer`.
pub const PATH: &str = "/_issuer";
/// The key file in the local stack's dir.
pub const KEY_FILE: &str = "issuer.pem";
/// The audience a local token has unless told otherwise (and the one a
/// local `--auth jwt` stack expects by default).
pub const DEFAULT_AUDIENCE: &str = "serverless-crud";

/// The issuer's signing key and its public parts.
pub struct Issuer {
    /// PKCS#1 DER (what ring signs with).
    der: Vec<u8>,
    /// Base64url (no padding) modulus and exponent.
    n: String,
    e: String,
    /// RFC 7638 thumbprint of the public key.
    pub kid: String,
}

fn key_path(dir: &Path) -> PathBuf {
    dir.join(KEY_FILE)
}

impl Issuer {
    /// The issuer of the local stack in `dir`, made (a new 2048-bit RSA key)
    /// if it has none yet.
    pub fn load_or_create(dir: &Path) -> Result<Issuer, AppError> {
        let path = key_path(dir);
        if path.exists() {
            return Issuer::load(dir);
        }
        let key = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
            .map_err(|e| AppError::internal(format!("cannot make the issuer's RSA key: {e}")))?;
        let pem = key
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|e| AppError::internal(format!("cannot encode the issuer's key: {e}")))?;
        crate::paths::write_private(&path, pem.as_bytes())?;
        Issuer::load(dir)
    }

    /// The issuer of the local stack in `dir` (its gateway made the key).
    pub fn load(dir: &Path) -> Result<Issuer, AppError> {
        let path = key_path(dir);
        let pem = std::fs::read_to_string(&path).map_err(|e| {
            AppError::environment(format!(
                "the local issuer has no key ({}: {e}); it is made when the local stack starts: `serverless-crud local up`",
                path.display()
            ))
        })?;
        let key = rsa::RsaPrivateKey::from_pkcs8_pem(&pem).map_err(|e| {
            AppError::environment(format!(
                "{} is not an RSA private key ({e}); delete it and restart the local stack",
                path.display()
            ))
        })?;
        let b64 = |bytes: Vec<u8>| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let n = b64(key.n().to_bytes_be());
        let e = b64(key.e().to_bytes_be());
        // RFC 7638: the SHA-256 of the required members, in lexical order.
        let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
        let kid = b64(sha2::Sha256::digest(canonical.as_bytes()).to_vec());
        let der = key
            .to_pkcs1_der()
            .map_err(|e| AppError::internal(format!("cannot encode the issuer's key: {e}")))?
            .as_bytes()
            .to_vec();
        Ok(Issuer { der, n, e, kid })
    }

    /// The JWKS: the one public key.
    pub fn jwks(&self) -> Value {
        json!({"keys": [{
            "kty": "RSA", "use": "sig", "alg": "RS256",
            "kid": self.kid, "n": self.n, "e": self.e,
        }]})
    }

    /// A token with `claims` (RS256, this key's `kid`).
    pub fn sign(&self, claims: &Value) -> Result<String, AppError> {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        let key = jsonwebtoken::EncodingKey::from_rsa_der(&self.der);
        jsonwebtoken::encode(&header, claims, &key)
            .map_err(|e| AppError::internal(format!("cannot sign the token: {e}")))
    }
}

/// What a `local token` says.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub subject: String,
    /// Empty: `serverless-crud`, unless a client id is given (a Cognito
    /// access token has `client_id` and no `aud`).
    pub audiences: Vec<String>,
    pub client_id: Option<String>,
    pub scopes: Vec<String>,
    /// Seconds from now (negative: already expired).
    pub expires_in: i64,
    /// Seconds from now the token becomes valid (`nbf`), if set.
    pub not_before: Option<i64>,
    /// Extra claims, applied last (a null removes a claim: `exp=null`).
    pub claims: Vec<(String, Value)>,
}

/// The claims of a token from `issuer` at `now` (seconds since the epoch).
pub fn claims(issuer: &str, request: &TokenRequest, now: i64) -> Value {
    let mut claims = serde_json::Map::new();
    claims.insert("iss".into(), json!(issuer));
    claims.insert("sub".into(), json!(request.subject));
    match (request.audiences.as_slice(), &request.client_id) {
        ([], Some(_)) => {}
        ([], None) => {
            claims.insert("aud".into(), json!(DEFAULT_AUDIENCE));
        }
        ([one], _) => {
            claims.insert("aud".into(), json!(one));
        }
        (many, _) => {
            claims.insert("aud".into(), json!(many));
        }
    }
    if let Some(client) = &request.client_id {
        claims.insert("client_id".into(), json!(client));
    }
    if !request.scopes.is_empty() {
        claims.insert("scope".into(), json!(request.scopes.join(" ")));
    }
    claims.insert("iat".into(), json!(now));
    claims.insert("exp".into(), json!(now + request.expires_in));
    if let Some(nbf) = request.not_before {
        claims.insert("nbf".into(), json!(now + nbf));
    }
    claims.insert("token_use".into(), json!("access"));
    for (name, value) in &request.claims {
        match value {
            Value::Null => claims.remove(name),
            v => claims.insert(name.clone(), v.clone()),
        };
    }
    Value::Object(claims)
}

/// The issuer URL of a gateway at `endpoint` (the tokens' `iss`).
pub fn url(gateway_endpoint: &str) -> String {
    format!("{}{PATH}", gateway_endpoint.trim_end_matches('/'))
}

/// The OpenID discovery document of the issuer at `issuer`.
pub fn discovery(issuer: &str) -> Value {
    json!({
        "issuer": issuer,
        "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_claims_follow_the_request() {
        let plain = TokenRequest {
            subject: "ana".into(),
            expires_in: 3600,
            ..Default::default()
        };
        let c = claims("http://i", &plain, 1000);
        assert_eq!(
            (&c["iss"], &c["sub"], &c["aud"], &c["iat"], &c["exp"]),
            (
                &json!("http://i"),
                &json!("ana"),
                &json!("serverless-crud"),
                &json!(1000),
                &json!(4600)
            )
        );
        assert!(c.get("nbf").is_none() && c.get("client_id").is_none());
        let cognito_like = TokenRequest {
            client_id: Some("app".into()),
            scopes: vec!["items/read".into(), "items/write".into()],
            not_before: Some(60),
            expires_in: -10,
            claims: vec![
                ("exp".into(), Value::Null),
                ("tenant".into(), json!("acme")),
            ],
            ..plain
        };
        let c = claims("http://i", &cognito_like, 1000);
        assert!(c.get("aud").is_none(), "a client id alone: no aud");
        assert_eq!(
            (&c["client_id"], &c["scope"]),
            (&json!("app"), &json!("items/read items/write"))
        );
        assert_eq!((&c["nbf"], &c["tenant"]), (&json!(1060), &json!("acme")));
        assert!(c.get("exp").is_none(), "exp=null removes it");
    }

    #[test]
    fn a_new_key_is_owner_only_and_signs_tokens_its_jwks_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let issuer = Issuer::load_or_create(dir.path()).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = Issuer::load_or_create(dir.path()).unwrap();
        assert_eq!(again.kid, issuer.kid, "the key is kept, not remade");
        let token = issuer
            .sign(&json!({"sub": "ana", "exp": 4_000_000_000u64}))
            .unwrap();
        let jwks: jsonwebtoken::jwk::JwkSet = serde_json::from_value(issuer.jwks()).unwrap();
        let key = jsonwebtoken::DecodingKey::from_jwk(&jwks.keys[0]).unwrap();
        let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        validation.validate_aud = false;
        let decoded = jsonwebtoken::decode::<Value>(&token, &key, &validation).unwrap();
        assert_eq!(decoded.claims["sub"], "ana");
        assert_eq!(decoded.header.kid.as_deref(), Some(issuer.kid.as_str()));
        assert_eq!(
            discovery("http://h/_issuer")["jwks_uri"],
            "http://h/_issuer/.well-known/jwks.json"
        );
    }
}
