//! Throttling as configured: token buckets (the `governor` crate) for usage
//! plans (per key) and stage method settings, and usage-plan quotas per
//! day, week or month.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Datelike;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// A bucket and the (rate bits, burst) it was made for.
type Bucket = ((u64, u32), Arc<DefaultDirectRateLimiter>);

#[derive(Default)]
pub struct Throttles {
    buckets: Mutex<HashMap<String, Bucket>>,
    quotas: Mutex<HashMap<String, (i64, u64)>>,
}

/// Why a request is throttled.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Rate or burst exceeded: 429 "Too Many Requests".
    TooManyRequests,
    /// Quota used up: 429 "Limit Exceeded".
    LimitExceeded,
}

impl Throttles {
    /// Takes a token from the bucket `name` of `rate` per second and `burst`.
    pub fn take(&self, name: &str, rate: f64, burst: u32) -> Result<(), Refusal> {
        if rate <= 0.0 || burst == 0 {
            return Err(Refusal::TooManyRequests); // AWS: a zero limit lets nothing through
        }
        let settings = (rate.to_bits(), burst);
        let limiter = {
            let mut buckets = self.buckets.lock().unwrap();
            match buckets.get(name) {
                Some((s, limiter)) if *s == settings => limiter.clone(),
                _ => {
                    let period = Duration::from_secs_f64(1.0 / rate);
                    let quota = Quota::with_period(period)
                        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
                        .allow_burst(NonZeroU32::new(burst).expect("burst > 0"));
                    let limiter = Arc::new(RateLimiter::direct(quota));
                    buckets.insert(name.to_string(), (settings, limiter.clone()));
                    limiter
                }
            }
        };
        limiter.check().map_err(|_| Refusal::TooManyRequests)
    }

    /// Counts one request against `limit` per `period` (DAY, WEEK, MONTH).
    pub fn quota(&self, name: &str, limit: u64, period: &str) -> Result<(), Refusal> {
        let now = chrono::Utc::now();
        let window = match period {
            "WEEK" => now.timestamp() / (7 * 86_400),
            "MONTH" => i64::from(now.year()) * 12 + i64::from(now.month0()),
            _ => now.timestamp() / 86_400,
        };
        let mut quotas = self.quotas.lock().unwrap();
        let entry = quotas.entry(name.to_string()).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        if entry.1 >= limit {
            return Err(Refusal::LimitExceeded);
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_rate() {
        let t = Throttles::default();
        for _ in 0..5 {
            assert_eq!(t.take("k", 1.0, 5), Ok(()));
        }
        assert_eq!(t.take("k", 1.0, 5), Err(Refusal::TooManyRequests));
        assert_eq!(t.take("other", 1.0, 5), Ok(()), "buckets are separate");
        std::thread::sleep(Duration::from_millis(1100));
        assert_eq!(t.take("k", 1.0, 5), Ok(()), "one token a second comes back");
    }

    #[test]
    fn quotas_count_per_period() {
        let t = Throttles::default();
        assert_eq!(t.quota("q", 2, "DAY"), Ok(()));
        assert_eq!(t.quota("q", 2, "DAY"), Ok(()));
        assert_eq!(t.quota("q", 2, "DAY"), Err(Refusal::LimitExceeded));
    }
}
