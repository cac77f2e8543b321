//! The authorizer result cache: an authorizer's reply, kept for its TTL
//! (`authorizerResultTtlInSeconds`; 0: not cached) under the identity it
//! was given — the token (TOKEN) or every identity source (REQUEST) — per
//! API, stage and authorizer. A hit serves the reply for any method and
//! path: the policy is evaluated again for each request's method ARN.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sha2::Digest;

use crate::gateway::authorizer::Grant;

/// Entries beyond this are dropped, the oldest first (a flood of distinct
/// tokens must not grow the gateway without bound).
const MAX_ENTRIES: usize = 10_000;

/// A reply and when it was stored.
type Entry = (Instant, Arc<Grant>);

#[derive(Default)]
pub struct ResultCache {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
}

/// The cache key: a digest, so the tokens themselves are not kept as keys.
pub fn key(api: &str, stage: &str, authorizer: &str, identity: &[String]) -> [u8; 32] {
    let mut hash = sha2::Sha256::new();
    for part in [api, stage, authorizer]
        .into_iter()
        .chain(identity.iter().map(String::as_str))
    {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().into()
}

impl ResultCache {
    /// The reply cached under `key`, unless older than `ttl`.
    pub fn get(&self, key: &[u8; 32], ttl: Duration) -> Option<Arc<Grant>> {
        if ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().unwrap();
        entries
            .get(key)
            .filter(|(stored, _)| stored.elapsed() < ttl)
            .map(|(_, grant)| grant.clone())
    }

    pub fn put(&self, key: [u8; 32], ttl: Duration, grant: Arc<Grant>) {
        if ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().unwrap();
        if entries.len() >= MAX_ENTRIES {
            let horizon = Duration::from_secs(3600);
            entries.retain(|_, (stored, _)| stored.elapsed() < horizon);
            if entries.len() >= MAX_ENTRIES {
                if let Some(oldest) = entries.iter().min_by_key(|(_, (t, _))| *t).map(|(k, _)| *k) {
                    entries.remove(&oldest);
                }
            }
        }
        entries.insert(key, (Instant::now(), grant));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Arc<Grant> {
        Arc::new(Grant {
            principal_id: "p".into(),
            policy: serde_json::json!({}),
            context: serde_json::Map::new(),
            usage_identifier_key: None,
        })
    }

    #[test]
    fn a_reply_is_served_within_its_ttl_and_never_with_ttl_zero() {
        let cache = ResultCache::default();
        let k = key("api", "v1", "a1", &["tok".into()]);
        cache.put(k, Duration::from_secs(300), grant());
        assert!(cache.get(&k, Duration::from_secs(300)).is_some());
        assert!(cache.get(&k, Duration::ZERO).is_none(), "TTL 0: off");
        std::thread::sleep(Duration::from_millis(20));
        assert!(
            cache.get(&k, Duration::from_millis(10)).is_none(),
            "expired"
        );
        let off = ResultCache::default();
        off.put(k, Duration::ZERO, grant());
        assert!(off.get(&k, Duration::from_secs(300)).is_none());
    }

    #[test]
    fn keys_differ_by_api_stage_authorizer_and_every_identity_value() {
        let base = key("api", "v1", "a1", &["x".into(), "y".into()]);
        assert_ne!(base, key("api2", "v1", "a1", &["x".into(), "y".into()]));
        assert_ne!(base, key("api", "v2", "a1", &["x".into(), "y".into()]));
        assert_ne!(base, key("api", "v1", "a2", &["x".into(), "y".into()]));
        assert_ne!(base, key("api", "v1", "a1", &["x".into(), "z".into()]));
        assert_ne!(
            base,
            key("api", "v1", "a1", &["xy".into()]),
            "no ambiguity by concatenation"
        );
    }
}
