//! Routing as API Gateway does it: the deployed stage the URL names; then
//! the resource tree with literal segments, `{param}` and a greedy
//! `{proxy+}`, the most specific match winning; the method exactly, else
//! `ANY`. Anything unknown is "Missing Authentication Token", as on AWS.

use std::collections::HashMap;

use crate::gateway::model::{Api, Method, Resource, Stage};
use crate::gateway::request::decode_segment;
use crate::gateway::response::GatewayResponse;

/// The API and deployed stage a request is for.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    pub api: &'a Api,
    pub stage_name: &'a str,
    pub stage: &'a Stage,
}

/// The deployed stage `stage_name` of `api` (None: no such API).
pub fn find_stage<'a>(
    api: Option<&'a Api>,
    stage_name: &'a str,
) -> Result<Target<'a>, GatewayResponse> {
    let api = api.ok_or(GatewayResponse::MissingAuthenticationToken)?;
    let stage = api
        .stages
        .get(stage_name)
        .filter(|s| s.deployed)
        .ok_or(GatewayResponse::MissingAuthenticationToken)?;
    Ok(Target {
        api,
        stage_name,
        stage,
    })
}

/// The route serving `verb path`.
pub fn route<'a>(api: &'a Api, verb: &str, path: &str) -> Result<Route<'a>, GatewayResponse> {
    find(api, verb, path).ok_or(GatewayResponse::MissingAuthenticationToken)
}

/// A matched route.
pub struct Route<'a> {
    pub resource: &'a Resource,
    pub method: &'a Method,
    pub path_parameters: HashMap<String, String>,
}

/// A path's non-empty segments: (where each starts in the path, its raw text).
fn segments(path: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut at = 0;
    for segment in path.split('/') {
        if !segment.is_empty() {
            out.push((at, segment));
        }
        at += segment.len() + 1;
    }
    out
}

/// How well a resource path matches `path` (higher is more specific), and
/// the parameters it binds; None when it does not match. Literal parts
/// match the percent-decoded segment; parameters keep the segment as
/// received (`%2B` stays `%2B`), and a greedy `{proxy+}` the rest of the
/// path, inner `//` included, as AWS passes them on.
pub(crate) fn score(pattern: &str, path: &str) -> Option<(Vec<u8>, HashMap<String, String>)> {
    let segments = segments(path);
    let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    let mut params = HashMap::new();
    let mut rank = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix("+}")) {
            // Greedy: the rest of the path, at least one segment, last only.
            if i != parts.len() - 1 || segments.len() <= i {
                return None;
            }
            let rest = path[segments[i].0..].trim_end_matches('/');
            params.insert(name.to_string(), rest.to_string());
            rank.push(0);
            return Some((rank, params));
        }
        let (_, segment) = segments.get(i)?;
        if let Some(name) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
            params.insert(name.to_string(), segment.to_string());
            rank.push(1);
        } else if *part == decode_segment(segment) {
            rank.push(2);
        } else {
            return None;
        }
    }
    (parts.len() == segments.len()).then_some((rank, params))
}

/// The resource and method serving `method path` (the path as received);
/// None: "Missing Authentication Token", as API Gateway answers an unknown
/// route.
pub fn find<'a>(api: &'a Api, verb: &str, path: &str) -> Option<Route<'a>> {
    let mut best: Option<(Vec<u8>, &Resource, HashMap<String, String>)> = None;
    for resource in &api.resources {
        if let Some((rank, params)) = score(&resource.path, path) {
            if best.as_ref().is_none_or(|(b, _, _)| rank > *b) {
                best = Some((rank, resource, params));
            }
        }
    }
    let (_, resource, path_parameters) = best?;
    let method = resource
        .methods
        .get(verb)
        .or_else(|| resource.methods.get("ANY"))?;
    Some(Route {
        resource,
        method,
        path_parameters,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gateway::model::Method;

    fn method() -> Method {
        Method {
            authorization_scopes: Vec::new(),
            authorization: "NONE".into(),
            authorizer_id: None,
            api_key_required: false,
            integration: None,
        }
    }

    fn api(paths: &[(&str, &[&str])]) -> Api {
        Api {
            id: "a".into(),
            name: "a".into(),
            binary_media_types: Vec::new(),
            stages: HashMap::new(),
            gateway_responses: Default::default(),
            authorizers: Default::default(),
            key_from_authorizer: false,
            resources: paths
                .iter()
                .map(|(path, verbs)| Resource {
                    id: path.to_string(),
                    path: path.to_string(),
                    methods: verbs.iter().map(|v| (v.to_string(), method())).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn literal_beats_param_beats_greedy() {
        let api = api(&[
            ("/", &["GET"]),
            ("/crud", &["POST"]),
            ("/items/{id}", &["GET"]),
            ("/items/special", &["GET"]),
            ("/files/{proxy+}", &["ANY"]),
        ]);
        assert_eq!(find(&api, "POST", "/crud").unwrap().resource.path, "/crud");
        assert!(find(&api, "GET", "/crud").is_none(), "method not defined");
        assert_eq!(find(&api, "GET", "/").unwrap().resource.path, "/");
        let r = find(&api, "GET", "/items/42").unwrap();
        assert_eq!(
            (r.resource.path.as_str(), r.path_parameters["id"].as_str()),
            ("/items/{id}", "42")
        );
        assert_eq!(
            find(&api, "GET", "/items/special").unwrap().resource.path,
            "/items/special"
        );
        let r = find(&api, "DELETE", "/files/a/b/c.txt").unwrap();
        assert_eq!(r.path_parameters["proxy"], "a/b/c.txt");
        assert!(
            find(&api, "GET", "/files").is_none(),
            "greedy needs a segment"
        );
        assert!(find(&api, "GET", "/nothing").is_none());
        assert!(find(&api, "GET", "/items/42/more").is_none());
    }

    #[test]
    fn segments_match_decoded_and_bind_as_received() {
        let api = api(&[
            ("/crud", &["POST"]),
            ("/a b", &["GET"]),
            ("/hardcoded", &["ANY"]),
            ("/items/{id}", &["GET"]),
            ("/{proxy+}", &["ANY"]),
        ]);
        // `&` is part of the segment: /crud&junk is not /crud (AWS: 403).
        let other = find(&api, "POST", "/crud&junk").unwrap();
        assert_eq!(other.resource.path, "/{proxy+}");
        let only_crud = self::api(&[("/crud", &["POST"])]);
        assert!(find(&only_crud, "POST", "/crud&junk").is_none());
        assert_eq!(find(&api, "GET", "/a%20b").unwrap().resource.path, "/a b");
        let item = find(&api, "GET", "/items/test%2Balias").unwrap();
        assert_eq!(item.path_parameters["id"], "test%2Balias");
        // LocalStack's AWS snapshots (test_apigateway_lambda.snapshot.json,
        // test_lambda_aws_proxy_integration): inner // kept in {proxy+}, a
        // trailing slash not; a leading // routes as one slash.
        let greedy = |path| find(&api, "GET", path).unwrap().path_parameters["proxy"].clone();
        assert_eq!(
            greedy("/proxy-value//double-slash"),
            "proxy-value//double-slash"
        );
        assert_eq!(greedy("/proxy-value/"), "proxy-value");
        assert_eq!(greedy("//proxy-value"), "proxy-value");
        assert_eq!(
            greedy("/proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com"),
            "proxy-value/api/user/test%2Balias@gmail.com/plus/test+alias@gmail.com"
        );
        let hard = find(&api, "GET", "//hardcoded").unwrap();
        assert_eq!(hard.resource.path, "/hardcoded");
        assert!(hard.path_parameters.is_empty());
    }

    fn stage(deployed: bool) -> Stage {
        Stage {
            canary: None,
            deployed,
            deployment_id: "d1".into(),
            access_log: None,
            variables: HashMap::new(),
            throttles: HashMap::new(),
        }
    }

    #[test]
    fn an_unknown_api_stage_path_or_method_is_a_missing_token() {
        let mut api = api(&[("/crud", &["POST"])]);
        api.stages.insert("v1".into(), stage(true));
        api.stages.insert("draft".into(), stage(false));
        let missing = Err(GatewayResponse::MissingAuthenticationToken);
        assert_eq!(find_stage(Some(&api), "v1").map(|t| t.stage_name), Ok("v1"));
        assert_eq!(find_stage(Some(&api), "v9").map(|_| ()), missing);
        assert_eq!(
            find_stage(Some(&api), "draft").map(|_| ()),
            missing,
            "not deployed"
        );
        assert_eq!(find_stage(None, "v1").map(|_| ()), missing, "no such API");
        assert_eq!(
            route(&api, "POST", "/crud").map(|r| r.resource.path.as_str()),
            Ok("/crud")
        );
        assert_eq!(
            route(&api, "POST", "/nope").map(|_| ()),
            missing,
            "unknown path"
        );
        assert_eq!(
            route(&api, "GET", "/crud").map(|_| ()),
            missing,
            "unknown method"
        );
    }
}
