//! Where events go, resolved once from the settings, the stack's state and
//! the local stack's state — a pure function (no I/O), so every row of the
//! README's "Configuration precedence" is a unit test.
//!
//! Precedence (first match wins):
//!   1. --endpoint / --function (or SERVERLESS_CRUD_ENDPOINT / _FUNCTION)
//!   2. --stack, or the stack `default` when its state file exists (not with
//!      --local alone)
//!   3. --local (the local stack's function `crud` and its function URL)

use crate::auth::Auth;
use crate::context::Settings;
use crate::error::{AppError, TransportKind};
use crate::local::{LocalState, DEFAULT_FUNCTION};
use crate::stack::StackState;
use crate::transport::Via;

/// A resolved destination: what to construct, nothing left to look up.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolved {
    Api {
        url: url::Url,
        auth: Auth,
        api_key: Option<String>,
        /// The region SigV4 signs for (the stage URL's, else the SDK's).
        signing_region: String,
    },
    Lambda {
        /// The name to invoke (locally, the emulator route of the function).
        function: String,
        local: bool,
    },
}

impl Resolved {
    pub fn via(&self) -> Via {
        match self {
            Resolved::Api { .. } => Via::Api,
            Resolved::Lambda { .. } => Via::Lambda,
        }
    }
}

/// Endpoint, function and auth before a transport is chosen.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Target {
    pub endpoint: Option<String>,
    pub function: Option<String>,
    pub auth: Option<Auth>,
    pub api_key: Option<String>,
}

/// Whether resolution needs the state of --stack (or of `default`).
pub fn needs_stack(settings: &Settings) -> bool {
    settings.endpoint.is_none()
        && settings.function.is_none()
        && (settings.stack.is_some() || !settings.local)
}

/// Where the events of this run go. `stack` is the loaded state of
/// --stack (or `default`), `local` the running local stack (with --local),
/// `sdk_region` the region the AWS configuration resolved.
pub fn resolve(
    settings: &Settings,
    stack: Option<&StackState>,
    local: Option<&LocalState>,
    sdk_region: &str,
) -> Result<Resolved, AppError> {
    let mut target = Target {
        endpoint: settings.endpoint.clone(),
        function: settings.function.clone(),
        auth: settings.auth,
        api_key: settings.api_key.clone(),
    };
    if needs_stack(settings) {
        match stack {
            Some(state) => target = stack_target(state, Some(settings)),
            None if settings.stack.is_some() => return Err(no_such_stack(settings)),
            None => {}
        }
    }
    if target.endpoint.is_none() && target.function.is_none() && settings.local {
        target = local_default(target, local)?;
    }
    choose(target, settings.via, local, sdk_region)
}

/// A stack's endpoint, function and auth; with `settings`, --auth and
/// --api-key (or their environment variables) win over the recorded ones.
pub fn stack_target(state: &StackState, settings: Option<&Settings>) -> Target {
    Target {
        endpoint: state.api_url().map(str::to_string),
        function: Some(state.callee()),
        // The stack's real auth, locally too (the local gateway enforces it).
        auth: settings.and_then(|s| s.auth).or(Some(state.auth)),
        api_key: settings
            .and_then(|s| s.api_key.clone())
            .or(state.api_key_value.clone()),
    }
}

fn no_such_stack(settings: &Settings) -> AppError {
    let name = settings.stack_name();
    let hint = if settings.local {
        ""
    } else {
        " (for a stack on the local stack, add --local)"
    };
    AppError::not_found(format!(
        "no stack `{name}` is recorded in this region{hint}; create it with `serverless-crud setup --stack {name}`"
    ))
}

/// --local alone: the local stack's own function through its function URL.
fn local_default(target: Target, local: Option<&LocalState>) -> Result<Target, AppError> {
    let local =
        local.ok_or_else(|| AppError::internal("--local resolved without a local stack"))?;
    let name = DEFAULT_FUNCTION;
    if local.function(name).is_none() {
        return Err(AppError::transport(
            TransportKind::NotFound,
            format!("function {name}"),
            format!("the local stack has no function {name}; restart it with `serverless-crud local down && serverless-crud local up`"),
        ));
    }
    Ok(Target {
        endpoint: Some(local.function_url(name)),
        function: Some(name.to_string()),
        auth: target.auth.or(Some(Auth::None)),
        api_key: target.api_key,
    })
}

/// The transport for `target`: --via, else the API when an endpoint is known.
pub fn choose(
    target: Target,
    via: Option<Via>,
    local: Option<&LocalState>,
    sdk_region: &str,
) -> Result<Resolved, AppError> {
    let Target {
        endpoint,
        function,
        auth,
        api_key,
    } = target;
    let via = match (via, endpoint.is_some(), function.is_some()) {
        (Some(via), _, _) => via,
        (None, true, _) => Via::Api,
        (None, false, true) => Via::Lambda,
        (None, false, false) => {
            return Err(AppError::usage(
                "nowhere to send the event: pass --endpoint URL (API Gateway stage), --function NAME (direct invoke), \
                 --stack NAME (after `setup`), or --local (after `serverless-crud local up`)",
            ))
        }
    };
    match via {
        Via::Api => {
            let endpoint = endpoint.ok_or_else(|| {
                AppError::usage("--via api needs an endpoint: pass --endpoint URL")
            })?;
            let url = url::Url::parse(&endpoint).map_err(|e| {
                AppError::usage(format!(
                    "--endpoint `{endpoint}` is not a URL ({e}); expected https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH"
                ))
            })?;
            let auth = auth.unwrap_or(if api_key.is_some() {
                Auth::ApiKey
            } else {
                Auth::Iam
            });
            if auth == Auth::ApiKey && api_key.is_none() {
                return Err(AppError::usage(
                    "--auth api-key needs a key: pass --api-key or set SERVERLESS_CRUD_API_KEY",
                ));
            }
            let signing_region = region_of_stage_url(&url).unwrap_or_else(|| sdk_region.into());
            Ok(Resolved::Api {
                url,
                auth,
                api_key,
                signing_region,
            })
        }
        Via::Lambda => {
            let function = function.ok_or_else(|| {
                AppError::usage("--via lambda needs a function: pass --function NAME")
            })?;
            // Locally, the emulator knows a function by its route (a slot);
            // an alias is resolved per invocation by the transport.
            let alias = function
                .split_once(':')
                .is_some_and(|(_, q)| !crate::stack::release::is_version(q));
            Ok(match local {
                Some(_) if alias => Resolved::Lambda {
                    function,
                    local: true,
                },
                Some(local) => Resolved::Lambda {
                    function: local
                        .route_of(&crate::stack::release::local_runtime(&function, None, 0.0)),
                    local: true,
                },
                None => Resolved::Lambda {
                    function,
                    local: false,
                },
            })
        }
    }
}

/// The stage URL names its region: ID.execute-api.REGION.amazonaws.com
fn region_of_stage_url(url: &url::Url) -> Option<String> {
    url.host_str()
        .and_then(|h| h.split(".execute-api.").nth(1))
        .and_then(|rest| rest.split('.').next())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::local::{LocalFunction, Service};
    use crate::stack::Integration;
    use std::collections::BTreeMap;

    fn settings() -> Settings {
        Settings::default()
    }

    fn stack(name: &str, local: bool, auth: Auth) -> StackState {
        let names = crate::stack::Names::new(name, "eu-west-1").unwrap();
        let request = crate::stack::setup::Request {
            tables: vec!["users".parse().unwrap()],
            auth: Some(auth),
            allow_public: true,
            ..Default::default()
        };
        let plan = crate::stack::setup::plan(names.clone(), local, None, request).unwrap();
        let mut state = StackState::new(&names, local, &plan.settings);
        state.invoke_url = Some(format!(
            "https://abc.execute-api.eu-west-1.amazonaws.com/v1/crud#{name}"
        ));
        state.local_invoke_url = Some(format!(
            "http://127.0.0.1:4567/restapis/abc/v1/_user_request_/crud#{name}"
        ));
        if auth == Auth::ApiKey {
            state.api_key_value = Some("stack-key".into());
        }
        state
    }

    fn local_stack() -> LocalState {
        let service = |port| Service {
            pid: 1,
            port,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let function = |name: &str, route: Option<&str>| LocalFunction {
            name: name.into(),
            handler_file: "/x.py".into(),
            handler: "lambda_handler".into(),
            environment: BTreeMap::new(),
            integration: Integration::Proxy,
            workers: vec![],
            url: String::new(),
            route: route.map(str::to_string),
            memory_mb: 128,
            timeout_secs: 30,
        };
        LocalState {
            region: "us-east-1".into(),
            dir: "/tmp/x".into(),
            venv: "/tmp/v".into(),
            moto: service(4566),
            lambda: service(9001),
            gateway: Some(service(4567)),
            functions: vec![
                function(DEFAULT_FUNCTION, None),
                function("scrud-shop", Some("fn-01")),
            ],
            telemetry: true,
            seed: None,
        }
    }

    fn api(resolved: Resolved) -> (String, Auth, Option<String>, String) {
        match resolved {
            Resolved::Api {
                url,
                auth,
                api_key,
                signing_region,
            } => (url.to_string(), auth, api_key, signing_region),
            other => panic!("expected the API transport, got {other:?}"),
        }
    }

    #[test]
    fn an_endpoint_flag_wins_over_every_stack() {
        let s = Settings {
            endpoint: Some("https://x.execute-api.eu-west-3.amazonaws.com/v1/crud".into()),
            stack: Some("shop".into()),
            local: true,
            ..settings()
        };
        let shop = stack("shop", true, Auth::ApiKey);
        let local = local_stack();
        let (url, auth, key, region) =
            api(resolve(&s, Some(&shop), Some(&local), "us-east-1").unwrap());
        assert_eq!(url, "https://x.execute-api.eu-west-3.amazonaws.com/v1/crud");
        assert_eq!(auth, Auth::Iam, "no key given: SigV4");
        assert_eq!(key, None);
        assert_eq!(region, "eu-west-3", "signed for the stage URL's region");
    }

    #[test]
    fn an_endpoint_with_a_key_uses_the_key_and_other_hosts_sign_for_the_sdk_region() {
        let s = Settings {
            endpoint: Some("http://localhost:9999/crud".into()),
            api_key: Some("k".into()),
            ..settings()
        };
        let (_, auth, key, region) = api(resolve(&s, None, None, "ap-south-1").unwrap());
        assert_eq!((auth, key.as_deref()), (Auth::ApiKey, Some("k")));
        assert_eq!(region, "ap-south-1");
    }

    #[test]
    fn a_function_flag_invokes_directly_and_via_picks_between_the_two() {
        let s = Settings {
            function: Some("my-fn".into()),
            ..settings()
        };
        assert_eq!(
            resolve(&s, None, None, "us-east-1").unwrap(),
            Resolved::Lambda {
                function: "my-fn".into(),
                local: false
            }
        );
        let both = Settings {
            endpoint: Some("https://e.example/crud".into()),
            function: Some("my-fn".into()),
            ..settings()
        };
        assert_eq!(resolve(&both, None, None, "r").unwrap().via(), Via::Api);
        let lambda = Settings {
            via: Some(Via::Lambda),
            ..both
        };
        assert_eq!(
            resolve(&lambda, None, None, "r").unwrap().via(),
            Via::Lambda
        );
    }

    #[test]
    fn a_stack_gives_its_url_function_and_auth_and_flags_override_the_auth() {
        let shop = stack("shop", false, Auth::ApiKey);
        let s = Settings {
            stack: Some("shop".into()),
            ..settings()
        };
        let (url, auth, key, _) = api(resolve(&s, Some(&shop), None, "eu-west-1").unwrap());
        assert!(url.starts_with("https://abc.execute-api"), "{url}");
        assert_eq!((auth, key.as_deref()), (Auth::ApiKey, Some("stack-key")));
        let flags = Settings {
            auth: Some(Auth::Iam),
            api_key: Some("mine".into()),
            ..s.clone()
        };
        let (_, auth, key, _) = api(resolve(&flags, Some(&shop), None, "eu-west-1").unwrap());
        assert_eq!((auth, key.as_deref()), (Auth::Iam, Some("mine")));
        let lambda = Settings {
            via: Some(Via::Lambda),
            ..s
        };
        assert_eq!(
            resolve(&lambda, Some(&shop), None, "eu-west-1").unwrap(),
            Resolved::Lambda {
                function: "scrud-shop".into(),
                local: false
            }
        );
    }

    #[test]
    fn a_named_stack_that_is_not_recorded_is_not_found_and_hints_local() {
        let s = Settings {
            stack: Some("ghost".into()),
            ..settings()
        };
        let err = resolve(&s, None, None, "eu-west-1").unwrap_err();
        assert_eq!(err.exit_code(), 3);
        let text = err.to_string();
        assert!(
            text.contains("ghost") && text.contains("add --local"),
            "{text}"
        );
        let local = Settings { local: true, ..s };
        let text = resolve(&local, None, Some(&local_stack()), "us-east-1")
            .unwrap_err()
            .to_string();
        assert!(!text.contains("add --local"), "{text}");
    }

    #[test]
    fn without_flags_the_default_stack_is_used_and_without_it_nothing_is() {
        let default = stack("default", false, Auth::Iam);
        let (url, auth, _, _) =
            api(resolve(&settings(), Some(&default), None, "eu-west-1").unwrap());
        assert!(url.ends_with("#default"), "{url}");
        assert_eq!(auth, Auth::Iam);
        let err = resolve(&settings(), None, None, "eu-west-1").unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("nowhere to send"), "{err}");
    }

    #[test]
    fn local_alone_is_the_crud_function_url_without_auth_and_ignores_the_default_stack() {
        let s = Settings {
            local: true,
            ..settings()
        };
        assert!(
            !needs_stack(&s),
            "--local alone never reads the default stack"
        );
        let local = local_stack();
        let (url, auth, _, _) = api(resolve(&s, None, Some(&local), "us-east-1").unwrap());
        assert_eq!(url, "http://127.0.0.1:9001/lambda-url/crud/");
        assert_eq!(auth, Auth::None);
        let lambda = Settings {
            via: Some(Via::Lambda),
            ..s
        };
        assert_eq!(
            resolve(&lambda, None, Some(&local), "us-east-1").unwrap(),
            Resolved::Lambda {
                function: "crud".into(),
                local: true
            }
        );
    }

    #[test]
    fn a_local_stack_goes_to_its_gateway_url_or_its_emulator_route() {
        let shop = stack("shop", true, Auth::Iam);
        let local = local_stack();
        let s = Settings {
            local: true,
            stack: Some("shop".into()),
            ..settings()
        };
        let (url, auth, _, _) = api(resolve(&s, Some(&shop), Some(&local), "us-east-1").unwrap());
        assert!(
            url.starts_with("http://127.0.0.1:4567/restapis/abc/v1/"),
            "{url}"
        );
        assert_eq!(auth, Auth::Iam);
        let lambda = Settings {
            via: Some(Via::Lambda),
            ..s
        };
        assert_eq!(
            resolve(&lambda, Some(&shop), Some(&local), "us-east-1").unwrap(),
            Resolved::Lambda {
                function: "fn-01".into(),
                local: true
            }
        );
    }

    #[test]
    fn a_local_stack_without_its_function_says_how_to_restart() {
        let mut local = local_stack();
        local.functions.clear();
        let s = Settings {
            local: true,
            ..settings()
        };
        let err = resolve(&s, None, Some(&local), "us-east-1").unwrap_err();
        assert_eq!(err.exit_code(), 6);
        assert!(err.to_string().contains("local down"), "{err}");
    }

    #[test]
    fn a_transport_without_its_target_is_a_usage_error() {
        let api_only = Settings {
            function: Some("f".into()),
            via: Some(Via::Api),
            ..settings()
        };
        let err = resolve(&api_only, None, None, "r").unwrap_err();
        assert!(
            err.to_string().contains("--via api needs an endpoint"),
            "{err}"
        );
        let lambda_only = Settings {
            endpoint: Some("https://e.example/".into()),
            via: Some(Via::Lambda),
            ..settings()
        };
        let err = resolve(&lambda_only, None, None, "r").unwrap_err();
        assert!(
            err.to_string().contains("--via lambda needs a function"),
            "{err}"
        );
        let bad = Settings {
            endpoint: Some("not a url".into()),
            ..settings()
        };
        assert_eq!(resolve(&bad, None, None, "r").unwrap_err().exit_code(), 2);
        let keyless = Settings {
            endpoint: Some("https://e.example/".into()),
            auth: Some(Auth::ApiKey),
            ..settings()
        };
        let err = resolve(&keyless, None, None, "r").unwrap_err();
        assert!(err.to_string().contains("needs a key"), "{err}");
    }

    #[test]
    fn the_stacks_own_auth_is_used_for_its_smoke_test_whatever_the_flags() {
        let shop = stack("shop", false, Auth::ApiKey);
        let target = stack_target(&shop, None);
        assert_eq!(target.auth, Some(Auth::ApiKey));
        assert_eq!(target.api_key.as_deref(), Some("stack-key"));
        let s = Settings {
            auth: Some(Auth::None),
            ..settings()
        };
        assert_eq!(stack_target(&shop, Some(&s)).auth, Some(Auth::None));
    }
}
