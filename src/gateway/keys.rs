//! API keys and usage plans as the gateway meters them, read item by item:
//! the control plane's JSON (`GET /apikeys`, `/usageplans`,
//! `/usageplans/{id}/keys`, SigV4-signed for `apigateway`) is parsed one
//! key or plan at a time, so one the gateway cannot read (say a burst limit
//! beyond what API Gateway accepts) is skipped and logged, and every other
//! key still works — instead of the whole list failing to deserialise and
//! every API-key request of every stack answering 500.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::SystemTime;

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;
use serde_json::Value;

use crate::error::AppError;
use crate::gateway::model::{ApiKey, Keys, UsagePlan};

/// The API Gateway control plane's REST API (moto), for raw reads.
pub struct ControlPlane {
    pub endpoint: String,
    pub region: String,
    pub access_key: String,
    pub secret: String,
    pub http: reqwest::Client,
}

impl ControlPlane {
    /// `GET path` (with its query), signed; the JSON answer.
    async fn get(&self, path: &str) -> Result<Value, AppError> {
        let url = format!("{}{path}", self.endpoint.trim_end_matches('/'));
        let failed = |what: String| AppError::internal(format!("GET {path}: {what}"));
        let identity = aws_credential_types::Credentials::new(
            &self.access_key,
            &self.secret,
            None,
            None,
            "local",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name("apigateway")
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| failed(e.to_string()))?
            .into();
        let headers = [("accept", "application/json")];
        let signable =
            SignableRequest::new("GET", &url, headers.into_iter(), SignableBody::Bytes(b""))
                .map_err(|e| failed(e.to_string()))?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| failed(e.to_string()))?
            .into_parts();
        let mut request = self.http.get(&url).header("accept", "application/json");
        for (name, value) in instructions.headers() {
            request = request.header(name, value);
        }
        let response = request.send().await.map_err(|e| failed(e.to_string()))?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| failed(e.to_string()))?;
        if !status.is_success() {
            return Err(failed(format!("HTTP {status}")));
        }
        serde_json::from_slice(&body).map_err(|e| failed(format!("not JSON: {e}")))
    }
}

/// Every key and plan that can be read; the rest skipped and logged.
pub async fn load_keys(control: &ControlPlane) -> Result<Keys, AppError> {
    let key_items = control.get("/apikeys?includeValues=true&limit=500").await?;
    let plan_items = control.get("/usageplans?limit=500").await?;
    let mut keys = Keys::default();
    let mut skipped = Vec::new();
    for item in items(&key_items) {
        match api_key_of(item) {
            Ok(Some((value, key))) => {
                keys.by_value.insert(value, key);
            }
            Ok(None) => {}
            Err(why) => skipped.push(format!("API key {}: {why}", id_of(item))),
        }
    }
    let plans: Vec<Result<UsagePlan, String>> =
        futures::future::join_all(items(&plan_items).map(|item| plan_with_keys(control, item)))
            .await;
    for plan in plans {
        match plan {
            Ok(plan) => keys.plans.push(plan),
            Err(why) => skipped.push(why),
        }
    }
    warn_once(&skipped);
    Ok(keys)
}

/// A usage plan and its keys (listed concurrently with the other plans':
/// a stale model holds up the request that reloads it); Err: why skipped.
async fn plan_with_keys(control: &ControlPlane, item: &Value) -> Result<UsagePlan, String> {
    let mut plan = plan_of(item).map_err(|why| format!("usage plan {}: {why}", id_of(item)))?;
    let members = control
        .get(&format!("/usageplans/{}/keys?limit=500", plan.id))
        .await
        .map_err(|e| format!("usage plan {}: its keys: {e}", plan.id))?;
    plan.key_ids = member_ids(&members);
    Ok(plan)
}

fn items(doc: &Value) -> impl Iterator<Item = &Value> {
    doc["item"].as_array().into_iter().flatten()
}

fn id_of(item: &Value) -> String {
    item["id"].as_str().unwrap_or("(no id)").to_string()
}

/// A key (None: it has no value to match); Err: it cannot be read.
pub fn api_key_of(item: &Value) -> Result<Option<(String, ApiKey)>, String> {
    let id = non_empty(&item["id"], "id")?;
    let enabled = match &item["enabled"] {
        Value::Null => false,
        Value::Bool(b) => *b,
        other => return Err(format!("enabled is {other}, not a boolean")),
    };
    match &item["value"] {
        Value::Null => Ok(None),
        Value::String(value) => Ok(Some((value.clone(), ApiKey { id, enabled }))),
        other => Err(format!("value is {other}, not a string")),
    }
}

/// A usage plan as metering needs it (its keys listed separately).
pub fn plan_of(item: &Value) -> Result<UsagePlan, String> {
    let id = non_empty(&item["id"], "id")?;
    let mut stages = Vec::new();
    for stage in item["apiStages"].as_array().into_iter().flatten() {
        stages.push((
            non_empty(&stage["apiId"], "apiStages[].apiId")?,
            non_empty(&stage["stage"], "apiStages[].stage")?,
        ));
    }
    let throttle = match &item["throttle"] {
        Value::Null => None,
        t => Some((
            t["rateLimit"]
                .as_f64()
                .filter(|r| r.is_finite() && *r >= 0.0)
                .ok_or_else(|| format!("throttle.rateLimit {} is not a rate", t["rateLimit"]))?,
            int_in(&t["burstLimit"], "throttle.burstLimit")?,
        )),
    };
    let quota = match &item["quota"] {
        Value::Null => None,
        q => {
            let period = q["period"].as_str().unwrap_or("DAY");
            if !matches!(period, "DAY" | "WEEK" | "MONTH") {
                return Err(format!("quota.period {period} is not DAY, WEEK or MONTH"));
            }
            Some((
                u64::from(int_in(&q["limit"], "quota.limit")?),
                period.to_string(),
            ))
        }
    };
    Ok(UsagePlan {
        id,
        stages,
        throttle,
        quota,
        key_ids: Vec::new(),
    })
}

fn member_ids(doc: &Value) -> Vec<String> {
    items(doc)
        .filter_map(|k| k["id"].as_str().map(str::to_string))
        .collect()
}

fn non_empty(value: &Value, field: &str) -> Result<String, String> {
    value
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| format!("{field} is {value}, not a name"))
}

/// An integer within what API Gateway accepts (0..=2^31-1); absent is 0.
fn int_in(value: &Value, field: &str) -> Result<u32, String> {
    if value.is_null() {
        return Ok(0);
    }
    value
        .as_u64()
        .filter(|n| *n <= i32::MAX as u64)
        .map(|n| n as u32)
        .ok_or_else(|| format!("{field} {value} is not an integer from 0 to 2147483647"))
}

/// Logs what was skipped, each once per gateway process (the model reloads
/// every second).
fn warn_once(skipped: &[String]) {
    static SEEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let seen = seen.get_or_insert_with(HashSet::new);
    for line in skipped {
        if seen.insert(line.clone()) {
            crate::output::stderr_line(&format!(
                "control plane: skipped {line} (the rest is served)"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_plan_that_cannot_be_read_is_skipped_and_the_rest_served() {
        let good = json!({
            "id": "p1", "apiStages": [{"apiId": "abc", "stage": "v1"}],
            "throttle": {"rateLimit": 2.0, "burstLimit": 4},
            "quota": {"limit": 100, "period": "WEEK", "offset": 0}
        });
        let plan = plan_of(&good).unwrap();
        assert_eq!(plan.stages, vec![("abc".to_string(), "v1".to_string())]);
        assert_eq!(
            (plan.throttle, plan.quota),
            (Some((2.0, 4)), Some((100, "WEEK".to_string())))
        );
        for (bad, why) in [
            (
                json!({"id": "p2", "throttle": {"rateLimit": 1, "burstLimit": 99999999999u64}}),
                "burstLimit",
            ),
            (
                json!({"id": "p3", "throttle": {"rateLimit": "fast", "burstLimit": 1}}),
                "rateLimit",
            ),
            (
                json!({"id": "p4", "quota": {"limit": 5, "period": "FORTNIGHT"}}),
                "period",
            ),
            (
                json!({"id": "p5", "apiStages": [{"apiId": 7, "stage": "v1"}]}),
                "apiId",
            ),
            (json!({"name": "no id"}), "id"),
        ] {
            let refused = plan_of(&bad).unwrap_err();
            assert!(refused.contains(why), "{refused}");
        }
        assert_eq!(
            api_key_of(&json!({"id": "k1", "value": "v", "enabled": true})).unwrap(),
            Some((
                "v".to_string(),
                ApiKey {
                    id: "k1".into(),
                    enabled: true
                }
            ))
        );
        assert_eq!(api_key_of(&json!({"id": "k2"})).unwrap(), None, "no value");
        assert!(api_key_of(&json!({"id": "k3", "value": "v", "enabled": "yes"})).is_err());
    }
}
