//! The meter stage: the API key's usage plan (throttle, then quota), then
//! the stage's method throttling (the method's own setting, else `*/*`).

use crate::gateway::authorize::ApiKeyGrant;
use crate::gateway::response::GatewayResponse;
use crate::gateway::routing::Target;
use crate::gateway::throttle::{Refusal, Throttles};

/// Takes a request from the key's usage plan: 429 "Too Many Requests"
/// past its rate or burst, 429 "Limit Exceeded" past its quota.
pub fn meter_usage_plan(throttles: &Throttles, grant: &ApiKeyGrant) -> Result<(), GatewayResponse> {
    let plan = &grant.plan;
    let bucket = format!("plan:{}:{}", plan.plan_id, grant.id);
    if let Some((rate, burst)) = plan.throttle {
        throttles
            .take(&bucket, rate, burst)
            .map_err(|_| GatewayResponse::Throttled)?;
    }
    if let Some((limit, period)) = &plan.quota {
        throttles
            .quota(&bucket, *limit, period)
            .map_err(|refusal| match refusal {
                Refusal::LimitExceeded => GatewayResponse::QuotaExceeded,
                Refusal::TooManyRequests => GatewayResponse::Throttled,
            })?;
    }
    Ok(())
}

/// Takes a request from the stage's throttle for `verb resource_path`.
pub fn meter_stage(
    throttles: &Throttles,
    target: &Target<'_>,
    resource_path: &str,
    verb: &str,
) -> Result<(), GatewayResponse> {
    let resource_key = format!("{}/{verb}", resource_path.trim_start_matches('/'));
    let settings = target
        .stage
        .throttles
        .get(&resource_key)
        .or_else(|| target.stage.throttles.get("*/*"));
    if let Some((rate, burst)) = settings {
        let bucket = format!(
            "stage:{}:{}:{resource_key}",
            target.api.id, target.stage_name
        );
        throttles
            .take(&bucket, *rate, *burst)
            .map_err(|_| GatewayResponse::Throttled)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::authorize::PlanLimits;
    use crate::gateway::model::{Api, Stage};
    use std::collections::HashMap;

    fn grant(throttle: Option<(f64, u32)>, quota: Option<u64>) -> ApiKeyGrant {
        ApiKeyGrant {
            value: "secret".into(),
            id: "k1".into(),
            plan: PlanLimits {
                plan_id: "p1".into(),
                throttle,
                quota: quota.map(|limit| (limit, "DAY".to_string())),
            },
        }
    }

    #[test]
    fn an_exhausted_plan_burst_is_throttled() {
        let throttles = Throttles::default();
        let grant = grant(Some((0.001, 2)), None);
        assert_eq!(meter_usage_plan(&throttles, &grant), Ok(()));
        assert_eq!(meter_usage_plan(&throttles, &grant), Ok(()));
        let refused = meter_usage_plan(&throttles, &grant).unwrap_err();
        assert_eq!(refused, GatewayResponse::Throttled);
        let reply = refused.respond(None);
        assert_eq!(
            (reply.status, reply.body.as_slice()),
            (429, br#"{"message": "Too Many Requests"}"#.as_slice())
        );
    }

    #[test]
    fn a_used_up_quota_is_limit_exceeded() {
        let throttles = Throttles::default();
        let grant = grant(None, Some(1));
        assert_eq!(meter_usage_plan(&throttles, &grant), Ok(()));
        let refused = meter_usage_plan(&throttles, &grant).unwrap_err();
        assert_eq!(refused, GatewayResponse::QuotaExceeded);
        let reply = refused.respond(None);
        assert_eq!(
            (reply.status, reply.body.as_slice()),
            (429, br#"{"message": "Limit Exceeded"}"#.as_slice())
        );
        assert_eq!(
            reply.headers[1],
            ("x-amzn-ErrorType".into(), "LimitExceededException".into())
        );
    }

    #[test]
    fn stage_throttles_apply_by_method_else_star_star() {
        let stage = Stage {
            canary: None,
            deployed: true,
            deployment_id: "d1".into(),
            access_log: None,
            variables: HashMap::new(),
            throttles: HashMap::from([
                ("crud/POST".to_string(), (0.001, 1)),
                ("*/*".to_string(), (0.001, 2)),
            ]),
        };
        let api = Api {
            id: "abc".into(),
            name: "a".into(),
            binary_media_types: Vec::new(),
            resources: Vec::new(),
            stages: HashMap::new(),
            gateway_responses: Default::default(),
            authorizers: Default::default(),
            key_from_authorizer: false,
        };
        let target = Target {
            api: &api,
            stage_name: "v1",
            stage: &stage,
        };
        let throttles = Throttles::default();
        let post = || meter_stage(&throttles, &target, "/crud", "POST");
        assert_eq!((post(), post()), (Ok(()), Err(GatewayResponse::Throttled)));
        let get = || meter_stage(&throttles, &target, "/crud", "GET");
        assert_eq!(
            (get(), get(), get()),
            (Ok(()), Ok(()), Err(GatewayResponse::Throttled))
        );
    }
}
