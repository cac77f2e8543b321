//! Safe releases (`deploy`, `promote`, `rollback`): published versions of
//! the stack's function and the alias `live` callers reach it through. The
//! API reaches the alias — a REST API through the stage variable `alias`
//! (`function:scrud-STACK:${stageVariables.alias}`), an HTTP API by the
//! alias's ARN — so a release moves the alias, never `$LATEST` under
//! callers. A weighted alias sends a share of invocations to a new
//! version (`AdditionalVersionWeights`); AWS's rules for it are enforced
//! here on both targets ([`check_alias`]).

use aws_sdk_lambda::types::AliasRoutingConfiguration;
use serde::{Deserialize, Serialize};

use crate::error::{aws, AppError};

/// The alias callers reach the function through.
pub const ALIAS: &str = "live";
/// The REST stage variable naming the alias.
pub const STAGE_VARIABLE: &str = "alias";

/// A stack's releases, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Releases {
    /// Published versions kept, oldest first.
    pub versions: Vec<String>,
    /// The version `live` points at.
    pub live: String,
    /// A new version `live` also routes a share of invocations to.
    #[serde(default)]
    pub weighted: Option<Weighted>,
    /// The version `live` pointed at before the last release (rollback's).
    #[serde(default)]
    pub previous: Option<String>,
    /// A canary deployment on the REST stage (`deploy --canary`).
    #[serde(default)]
    pub canary: Option<CanaryRelease>,
}

/// A canary deployment: the stage sends `percent` of its requests to the
/// deployment whose stage variable `alias` names `version`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CanaryRelease {
    pub version: String,
    pub percent: f64,
    pub deployment_id: String,
}

/// A canary's share: more than 0 and at most 100 percent.
pub fn check_canary(percent: f64) -> Result<(), AppError> {
    if percent > 0.0 && percent <= 100.0 {
        Ok(())
    } else {
        Err(AppError::usage(format!(
            "--canary {percent}: the canary's share of the stage's requests is a percentage, more than 0 and at most 100"
        )))
    }
}

/// Creates the stage's canary deployment: `percent` of the stage's requests
/// see the stage variable `alias` = `version`; its deployment id.
pub async fn create_canary(
    client: &aws_sdk_apigateway::Client,
    api_id: &str,
    stage: &str,
    version: &str,
    percent: f64,
) -> Result<String, AppError> {
    let settings = aws_sdk_apigateway::types::DeploymentCanarySettings::builder()
        .percent_traffic(percent)
        .stage_variable_overrides(STAGE_VARIABLE, version)
        .use_stage_cache(false)
        .build();
    let out = client
        .create_deployment()
        .rest_api_id(api_id)
        .stage_name(stage)
        .description(format!("serverless-crud canary: version {version}"))
        .canary_settings(settings)
        .send()
        .await
        .map_err(|e| aws::error("apigateway", "cannot create the canary deployment", &e))?;
    out.id()
        .map(str::to_string)
        .ok_or_else(|| AppError::internal("CreateDeployment answered without an id"))
}

/// Promotes the canary as AWS documents: the stage takes the canary's
/// deployment and stage variables, its share goes to 0; `finish` also
/// removes the canary settings (otherwise they stay, at 0%).
pub async fn promote_canary(
    client: &aws_sdk_apigateway::Client,
    api_id: &str,
    stage: &str,
    canary: &CanaryRelease,
    finish: bool,
) -> Result<(), AppError> {
    use aws_sdk_apigateway::types::{Op, PatchOperation};
    let op = |op: Op, path: &str, value: Option<&str>| {
        PatchOperation::builder()
            .op(op)
            .path(path)
            .set_value(value.map(str::to_string))
            .build()
    };
    let mut patches = vec![
        op(Op::Replace, "/deploymentId", Some(&canary.deployment_id)),
        op(
            Op::Replace,
            &format!("/variables/{STAGE_VARIABLE}"),
            Some(&canary.version),
        ),
        op(Op::Replace, "/canarySettings/percentTraffic", Some("0.0")),
    ];
    if finish {
        patches.push(op(Op::Remove, "/canarySettings", None));
    }
    update_stage(client, api_id, stage, patches, "promote the canary").await
}

/// Removes the stage's canary: every request to the stage's deployment.
pub async fn remove_canary(
    client: &aws_sdk_apigateway::Client,
    api_id: &str,
    stage: &str,
) -> Result<(), AppError> {
    use aws_sdk_apigateway::types::{Op, PatchOperation};
    let remove = PatchOperation::builder()
        .op(Op::Remove)
        .path("/canarySettings")
        .build();
    update_stage(client, api_id, stage, vec![remove], "remove the canary").await
}

async fn update_stage(
    client: &aws_sdk_apigateway::Client,
    api_id: &str,
    stage: &str,
    patches: Vec<aws_sdk_apigateway::types::PatchOperation>,
    what: &str,
) -> Result<(), AppError> {
    client
        .update_stage()
        .rest_api_id(api_id)
        .stage_name(stage)
        .set_patch_operations(Some(patches))
        .send()
        .await
        .map(|_| ())
        .map_err(|e| aws::error("apigateway", format!("cannot {what}"), &e))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Weighted {
    pub version: String,
    /// 0 < weight < 1.
    pub weight: f64,
}

/// What an alias points at: (main version, weighted version).
pub type AliasTarget = (String, Option<Weighted>);

/// AWS's rules for an alias: a weighted alias points at two published
/// versions (never `$LATEST`), one of them additional, with a weight
/// strictly between 0 and 1.
pub fn check_alias(main: &str, weighted: Option<&Weighted>) -> Result<(), AppError> {
    let Some(extra) = weighted else {
        return Ok(());
    };
    if main == "$LATEST" || extra.version == "$LATEST" {
        return Err(AppError::usage(
            "$LATEST is not supported for an alias pointing to more than 1 version (AWS's rule): publish a version first",
        ));
    }
    if main == extra.version {
        return Err(AppError::usage(format!(
            "the alias already points at version {main}: a weight goes to another version"
        )));
    }
    if !(extra.weight > 0.0 && extra.weight < 1.0) {
        return Err(AppError::usage(format!(
            "--alias-weight {}: a weight lies strictly between 0 and 1 (0.2 sends 20% of invocations to the new version)",
            extra.weight
        )));
    }
    Ok(())
}

/// Publishes `$LATEST` as a new version: its number.
pub async fn publish(
    client: &aws_sdk_lambda::Client,
    function: &str,
    description: &str,
) -> Result<String, AppError> {
    let out = client
        .publish_version()
        .function_name(function)
        .description(description)
        .send()
        .await
        .map_err(|e| {
            aws::error(
                "lambda",
                format!("cannot publish a version of {function}"),
                &e,
            )
        })?;
    out.version()
        .map(str::to_string)
        .ok_or_else(|| AppError::internal("PublishVersion answered without a version"))
}

/// The alias `live` → `main` (and `weighted`), created or moved.
pub async fn point_alias(
    client: &aws_sdk_lambda::Client,
    function: &str,
    main: &str,
    weighted: Option<&Weighted>,
) -> Result<(), AppError> {
    check_alias(main, weighted)?;
    let routing = AliasRoutingConfiguration::builder()
        .set_additional_version_weights(
            weighted.map(|w| std::collections::HashMap::from([(w.version.clone(), w.weight)])),
        )
        .build();
    let existing = client
        .get_alias()
        .function_name(function)
        .name(ALIAS)
        .send()
        .await;
    match existing {
        Ok(_) => client
            .update_alias()
            .function_name(function)
            .name(ALIAS)
            .function_version(main)
            .routing_config(routing)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| aws::error("lambda", format!("cannot move the alias {ALIAS}"), &e)),
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            client
                .create_alias()
                .function_name(function)
                .name(ALIAS)
                .function_version(main)
                .routing_config(routing)
                .description("serverless-crud: what callers run")
                .send()
                .await
                .map(|_| ())
                .map_err(|e| aws::error("lambda", format!("cannot create the alias {ALIAS}"), &e))
        }
        Err(e) => Err(aws::error(
            "lambda",
            format!("cannot read the alias {ALIAS}"),
            &e,
        )),
    }
}

/// Deletes published version `version` (never one the alias uses).
pub async fn delete_version(
    client: &aws_sdk_lambda::Client,
    function: &str,
    version: &str,
) -> Result<bool, AppError> {
    let result = client
        .delete_function()
        .function_name(function)
        .qualifier(version)
        .send()
        .await;
    crate::stack::deleted(
        result,
        "lambda",
        |e| e.is_resource_not_found_exception(),
        &format!("version {version} of {function}"),
    )
}

/// What the alias `live` holds now, as Lambda says: (main version, weighted).
pub async fn alias_state(
    client: &aws_sdk_lambda::Client,
    function: &str,
) -> Result<Option<AliasTarget>, AppError> {
    alias_state_named(client, function, ALIAS).await
}

/// What the alias `alias` of `function` holds (None: no such alias).
pub async fn alias_state_named(
    client: &aws_sdk_lambda::Client,
    function: &str,
    alias: &str,
) -> Result<Option<AliasTarget>, AppError> {
    match client
        .get_alias()
        .function_name(function)
        .name(alias)
        .send()
        .await
    {
        Ok(alias) => {
            let weighted = alias
                .routing_config()
                .and_then(|r| r.additional_version_weights())
                .and_then(|w| w.iter().next())
                .map(|(version, weight)| Weighted {
                    version: version.clone(),
                    weight: *weight,
                });
            Ok(Some((
                alias.function_version().unwrap_or_default().to_string(),
                weighted,
            )))
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_resource_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(e) => Err(aws::error(
            "lambda",
            format!("cannot read the alias {alias} of {function}"),
            &e,
        )),
    }
}

/// The version one invocation of an alias runs: the weighted one for a
/// `roll` (uniform in [0, 1)) below its weight, else the main one.
pub fn pick<'a>(main: &'a str, weighted: Option<&'a Weighted>, roll: f64) -> &'a str {
    match weighted {
        Some(w) if roll < w.weight => &w.version,
        _ => main,
    }
}

/// What runs `function` (`NAME`, `NAME:VERSION`, `NAME:ALIAS`) locally:
/// the runtime `NAME` (`$LATEST`) or `NAME:VERSION`, given the alias's
/// (version, weighted) when it is one.
pub fn local_runtime(function: &str, alias: Option<&AliasTarget>, roll: f64) -> String {
    let Some((name, qualifier)) = function.split_once(':') else {
        return function.to_string();
    };
    let version = match alias {
        Some((main, weighted)) => pick(main, weighted.as_ref(), roll),
        None => qualifier,
    };
    match version {
        "$LATEST" => name.to_string(),
        version => format!("{name}:{version}"),
    }
}

/// Whether a qualifier names a version (`3`, `$LATEST`) rather than an alias.
pub fn is_version(qualifier: &str) -> bool {
    qualifier == "$LATEST"
        || (!qualifier.is_empty() && qualifier.bytes().all(|b| b.is_ascii_digit()))
}

/// The versions beyond the newest `keep` that no alias route uses, oldest first.
pub fn expired(releases: &Releases, keep: usize) -> Vec<String> {
    let in_use = |v: &String| {
        *v == releases.live
            || releases.weighted.as_ref().is_some_and(|w| w.version == *v)
            || releases.canary.as_ref().is_some_and(|c| c.version == *v)
            || releases.previous.as_ref() == Some(v)
    };
    let surplus = releases.versions.len().saturating_sub(keep);
    releases
        .versions
        .iter()
        .take(surplus)
        .filter(|v| !in_use(v))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weighted(version: &str, weight: f64) -> Weighted {
        Weighted {
            version: version.into(),
            weight,
        }
    }

    #[test]
    fn aliases_follow_aws_rules() {
        assert!(check_alias("2", None).is_ok());
        assert!(
            check_alias("$LATEST", None).is_ok(),
            "an alias may point at $LATEST alone"
        );
        assert!(check_alias("2", Some(&weighted("3", 0.2))).is_ok());
        let latest = check_alias("$LATEST", Some(&weighted("3", 0.2))).unwrap_err();
        assert!(
            latest.to_string().contains("$LATEST is not supported"),
            "{latest}"
        );
        assert!(check_alias("2", Some(&weighted("$LATEST", 0.2))).is_err());
        assert!(check_alias("2", Some(&weighted("2", 0.2))).is_err());
        for w in [0.0, 1.0, -0.1, 1.5, f64::NAN] {
            assert!(check_alias("2", Some(&weighted("3", w))).is_err(), "{w}");
        }
    }

    #[test]
    fn invocations_split_by_the_weight() {
        let w = weighted("3", 0.2);
        assert_eq!(pick("2", Some(&w), 0.1), "3");
        assert_eq!(pick("2", Some(&w), 0.2), "2");
        assert_eq!(pick("2", None, 0.0), "2");
        let alias = ("2".to_string(), Some(w));
        assert_eq!(local_runtime("f:live", Some(&alias), 0.5), "f:2");
        assert_eq!(local_runtime("f:live", Some(&alias), 0.05), "f:3");
        assert_eq!(local_runtime("f:4", None, 0.0), "f:4");
        assert_eq!(local_runtime("f:$LATEST", None, 0.0), "f");
        assert_eq!(local_runtime("f", None, 0.0), "f");
        assert!(is_version("12") && is_version("$LATEST") && !is_version("live"));
    }

    #[test]
    fn old_versions_expire_unless_the_alias_uses_them() {
        let releases = Releases {
            versions: ["1", "2", "3", "4", "5"].map(String::from).to_vec(),
            live: "4".into(),
            weighted: Some(weighted("5", 0.1)),
            previous: Some("1".into()),
            canary: None,
        };
        assert_eq!(expired(&releases, 2), vec!["2", "3"]);
        assert_eq!(expired(&releases, 5), Vec::<String>::new());
    }
}
