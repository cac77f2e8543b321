//! HTTP API routing by route key (`METHOD /path`, `ANY /path`, `$default`),
//! as AWS documents it ("Working with routes for HTTP APIs"): the most
//! specific match wins — literal segments over `{param}` over a greedy
//! `{proxy+}` — a route of the request's method over `ANY` at the same
//! path, and `$default` only when no other route matches. No match: 404
//! `{"message":"Not Found"}` (not REST's 403).

use std::collections::HashMap;

use super::model::RouteDef;
use crate::gateway::routing::score;

/// A matched route and the path parameters it binds.
#[derive(Debug)]
pub struct Matched<'a> {
    pub route: &'a RouteDef,
    pub path_parameters: HashMap<String, String>,
}

/// A match's specificity: its path segments' ranks, then an exact method.
type Rank = (Vec<u8>, bool);

/// A route key's (method, path); None for `$default` or a malformed key.
fn split_key(key: &str) -> Option<(&str, &str)> {
    let (method, path) = key.split_once(' ')?;
    path.starts_with('/').then_some((method, path))
}

/// The route serving `verb path` (the path as received).
pub fn find<'a>(routes: &'a [RouteDef], verb: &str, path: &str) -> Option<Matched<'a>> {
    let mut best: Option<(Rank, &RouteDef, HashMap<String, String>)> = None;
    for route in routes {
        let Some((method, pattern)) = split_key(&route.key) else {
            continue;
        };
        let exact = method == verb;
        if !exact && method != "ANY" {
            continue;
        }
        if let Some((rank, params)) = score(pattern, path) {
            let rank = (rank, exact);
            if best.as_ref().is_none_or(|(b, _, _)| rank > *b) {
                best = Some((rank, route, params));
            }
        }
    }
    match best {
        Some((_, route, path_parameters)) => Some(Matched {
            route,
            path_parameters,
        }),
        None => routes
            .iter()
            .find(|r| r.key == "$default")
            .map(|route| Matched {
                route,
                path_parameters: HashMap::new(),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn routes(keys: &[&str]) -> Vec<RouteDef> {
        keys.iter()
            .map(|k| RouteDef {
                key: k.to_string(),
                authorization: "NONE".into(),
                target: None,
                authorizer_id: None,
                scopes: Vec::new(),
            })
            .collect()
    }

    fn key(routes: &[RouteDef], verb: &str, path: &str) -> Option<String> {
        find(routes, verb, path).map(|m| m.route.key.clone())
    }

    /// The example of AWS's docs (Working with routes for HTTP APIs:
    /// GET /pets/dog/1, GET /pets/dog/{id}, GET /pets/{proxy+}, ANY /{proxy+}, $default).
    #[test]
    fn the_most_specific_route_wins() {
        let all = routes(&[
            "GET /pets/dog/1",
            "GET /pets/dog/{id}",
            "GET /pets/{proxy+}",
            "ANY /{proxy+}",
            "$default",
        ]);
        assert_eq!(key(&all, "GET", "/pets/dog/1").unwrap(), "GET /pets/dog/1");
        assert_eq!(
            key(&all, "GET", "/pets/dog/2").unwrap(),
            "GET /pets/dog/{id}"
        );
        assert_eq!(
            key(&all, "GET", "/pets/cat/1").unwrap(),
            "GET /pets/{proxy+}"
        );
        assert_eq!(key(&all, "POST", "/pets/dog/1").unwrap(), "ANY /{proxy+}");
        assert_eq!(key(&all, "GET", "/").unwrap(), "$default");
        let m = find(&all, "GET", "/pets/dog/7").unwrap();
        assert_eq!(m.path_parameters["id"], "7");
        let m = find(&all, "GET", "/pets/a/b").unwrap();
        assert_eq!(m.path_parameters["proxy"], "a/b");
    }

    #[test]
    fn a_method_beats_any_and_nothing_matches_without_default() {
        let stack = routes(&[
            "POST /crud",
            "GET /items/{table}",
            "POST /items/{table}",
            "GET /items/{table}/{id}",
            "ANY /items/{table}/{id}",
        ]);
        assert_eq!(key(&stack, "POST", "/crud").unwrap(), "POST /crud");
        assert_eq!(
            key(&stack, "GET", "/crud"),
            None,
            "no GET /crud, no $default"
        );
        assert_eq!(
            key(&stack, "GET", "/items/t/1").unwrap(),
            "GET /items/{table}/{id}"
        );
        assert_eq!(
            key(&stack, "DELETE", "/items/t/1").unwrap(),
            "ANY /items/{table}/{id}"
        );
        assert_eq!(key(&stack, "GET", "/items/t/1/2"), None);
        assert_eq!(key(&stack, "GET", "/items"), None);
        let m = find(&stack, "POST", "/items/users").unwrap();
        assert_eq!(m.path_parameters["table"], "users");
    }
}
