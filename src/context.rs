//! Everything a command needs: the global options, one `SdkConfig`, the
//! clients built from it, the resolved transport, the printer.
//!
//! Precedence for where events go (first match wins):
//!   1. --endpoint / --function (or SERVERLESS_CRUD_ENDPOINT / _FUNCTION)
//!   2. --stack, or the stack `default` when its state file exists
//!   3. --local (the local stack's function and its function URL)

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use tokio::sync::OnceCell;

use crate::cli::{AuthMode, GlobalArgs};
use crate::error::{AppError, TransportKind};
use crate::local::{LocalState, DEFAULT_FUNCTION};
use crate::output::Printer;
use crate::transport::{ApiAuth, ApiTransport, LambdaTransport, Transport, Via};

/// Region used for the local stack when none is given.
pub const LOCAL_REGION: &str = "us-east-1";

/// Where events go, before a transport is chosen.
struct Target {
    endpoint: Option<String>,
    function: Option<String>,
    auth: Option<AuthMode>,
    api_key: Option<String>,
}

pub struct Context {
    pub global: GlobalArgs,
    pub printer: Printer,
    sdk: OnceCell<SdkConfig>,
    local: OnceCell<LocalState>,
}

impl Context {
    pub fn new(global: GlobalArgs) -> Self {
        let printer = Printer::new(global.output, global.quiet, global.verbose);
        Context {
            global,
            printer,
            sdk: OnceCell::new(),
            local: OnceCell::new(),
        }
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.global.timeout.max(1))
    }

    /// The running local stack (only with --local).
    pub async fn local(&self) -> Result<&LocalState, AppError> {
        self.local
            .get_or_try_init(|| async {
                let state = LocalState::require()?;
                if state.dead_workers() == 0 || self.global.dry_run {
                    return Ok(state);
                }
                // A worker died (a crash, an OOM kill): start new ones first.
                let restarted = crate::local::Supervisor::heal()?;
                let state = LocalState::require()?;
                self.printer.warn(format!(
                    "{restarted} runtime worker(s) of the local stack had died; restarted them"
                ));
                Ok(state)
            })
            .await
    }

    /// One SdkConfig for the whole run: profile, region, standard AWS env
    /// (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL[_<SERVICE>]); with --local,
    /// dummy credentials and the local stack's endpoints.
    pub async fn sdk(&self) -> Result<&SdkConfig, AppError> {
        self.sdk
            .get_or_try_init(|| async {
                if self.global.local {
                    return Ok(self.local().await?.sdk_config().await);
                }
                let mut loader = aws_config::defaults(BehaviorVersion::latest());
                if let Some(profile) = &self.global.profile {
                    loader = loader.profile_name(profile);
                }
                if let Some(region) = &self.global.region {
                    loader = loader.region(Region::new(region.clone()));
                }
                let config = loader.load().await;
                if config.region().is_none() {
                    return Err(AppError::usage(
                        "no AWS region: pass --region, set AWS_REGION, or set one in your profile",
                    ));
                }
                Ok(config)
            })
            .await
    }

    pub async fn region(&self) -> Result<String, AppError> {
        Ok(self
            .sdk()
            .await?
            .region()
            .map(|r| r.to_string())
            .unwrap_or_else(|| LOCAL_REGION.into()))
    }

    pub async fn dynamodb(&self) -> Result<aws_sdk_dynamodb::Client, AppError> {
        let sdk = self.sdk().await?;
        let mut config =
            aws_sdk_dynamodb::config::Builder::from(sdk).interceptor(crate::dry_run::Interceptor);
        if self.global.local {
            config = config.endpoint_url(&self.local().await?.moto.endpoint);
        }
        Ok(aws_sdk_dynamodb::Client::from_conf(config.build()))
    }

    /// S3 (the s3-import and s3-export engines). The local stack's moto
    /// serves S3 on its one port, addressed by path.
    pub async fn s3(&self) -> Result<aws_sdk_s3::Client, AppError> {
        let sdk = self.sdk().await?;
        let mut config =
            aws_sdk_s3::config::Builder::from(sdk).interceptor(crate::dry_run::Interceptor);
        if self.global.local {
            config = config
                .endpoint_url(&self.local().await?.moto.endpoint)
                .force_path_style(true);
        }
        Ok(aws_sdk_s3::Client::from_conf(config.build()))
    }

    /// CloudWatch Logs (reads for `logs` and `metrics`).
    pub async fn logs_client(&self) -> Result<aws_sdk_cloudwatchlogs::Client, AppError> {
        let config = aws_sdk_cloudwatchlogs::config::Builder::from(self.sdk().await?)
            .interceptor(crate::dry_run::Interceptor)
            .build();
        Ok(aws_sdk_cloudwatchlogs::Client::from_conf(config))
    }

    /// CloudWatch metrics (GetMetricData for `metrics`).
    pub async fn cloudwatch(&self) -> Result<aws_sdk_cloudwatch::Client, AppError> {
        let config = aws_sdk_cloudwatch::config::Builder::from(self.sdk().await?)
            .interceptor(crate::dry_run::Interceptor)
            .build();
        Ok(aws_sdk_cloudwatch::Client::from_conf(config))
    }

    /// The control-plane clients the stack services use. API Gateway's
    /// control plane throttles hard (TooManyRequestsException): its client
    /// gets more attempts and a longer backoff than the SDK default.
    pub async fn clients(&self) -> Result<crate::stack::Clients, AppError> {
        let sdk = self.sdk().await?;
        let guard = crate::dry_run::Interceptor;
        let apigateway = aws_sdk_apigateway::config::Builder::from(sdk)
            .interceptor(crate::dry_run::Interceptor)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(8)
                    .with_max_backoff(Duration::from_secs(20)),
            )
            .build();
        Ok(crate::stack::Clients {
            dynamodb: self.dynamodb().await?,
            iam: aws_sdk_iam::Client::from_conf(
                aws_sdk_iam::config::Builder::from(sdk)
                    .interceptor(guard)
                    .build(),
            ),
            lambda: aws_sdk_lambda::Client::from_conf(
                aws_sdk_lambda::config::Builder::from(sdk)
                    .interceptor(crate::dry_run::Interceptor)
                    .build(),
            ),
            logs: aws_sdk_cloudwatchlogs::Client::from_conf(
                aws_sdk_cloudwatchlogs::config::Builder::from(sdk)
                    .interceptor(crate::dry_run::Interceptor)
                    .build(),
            ),
            apigateway: aws_sdk_apigateway::Client::from_conf(apigateway),
        })
    }

    /// The stack name: --stack, else `default`.
    pub fn stack_name(&self) -> &str {
        self.global
            .stack
            .as_deref()
            .unwrap_or(crate::stack::DEFAULT_STACK)
    }

    /// The state of the stack named by --stack (or `default`), in this region,
    /// local or on AWS per --local.
    pub async fn stack_state(&self) -> Result<Option<crate::stack::StackState>, AppError> {
        let region = self.region().await?;
        crate::stack::load_state(self.stack_name(), &region, self.global.local)
    }

    /// Lambda client for Invoke: SDK retries off (we decide what is safe to
    /// repeat), the operation bounded by --timeout; locally the emulator.
    pub async fn lambda_invoke(&self) -> Result<aws_sdk_lambda::Client, AppError> {
        let sdk = self.sdk().await?;
        let mut config = aws_sdk_lambda::config::Builder::from(sdk)
            .interceptor(crate::dry_run::Interceptor)
            .retry_config(RetryConfig::disabled())
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(self.timeout())
                    .connect_timeout(Duration::from_secs(10))
                    .build(),
            );
        if self.global.local {
            config = config.endpoint_url(&self.local().await?.lambda.endpoint);
        }
        Ok(aws_sdk_lambda::Client::from_conf(config.build()))
    }

    /// Where events go, per the precedence above and --via.
    pub async fn transport(&self) -> Result<Transport, AppError> {
        let g = &self.global;
        let mut target = Target {
            endpoint: g.endpoint.clone(),
            function: g.function.clone(),
            auth: g.auth,
            api_key: g.api_key.clone(),
        };
        if target.endpoint.is_none() && target.function.is_none() && (g.stack.is_some() || !g.local)
        {
            match self.stack_state().await {
                Ok(Some(state)) => target = self.stack_target(&state, true),
                Ok(None) if g.stack.is_some() => {
                    let hint = if g.local {
                        ""
                    } else {
                        " (for a stack on the local stack, add --local)"
                    };
                    return Err(AppError::not_found(format!(
                        "no stack `{}` is recorded in this region{hint}; create it with `serverless-crud setup --stack {}`",
                        self.stack_name(),
                        self.stack_name()
                    )));
                }
                Ok(None) => {}
                // Without --stack, a missing region or state only means "no default stack".
                Err(e) if g.stack.is_some() => return Err(e),
                Err(_) => {}
            }
        }
        if target.endpoint.is_none() && target.function.is_none() && g.local {
            let local = self.local().await?;
            let name = DEFAULT_FUNCTION;
            if local.function(name).is_none() {
                return Err(AppError::transport(
                    TransportKind::NotFound,
                    format!("function {name}"),
                    format!("the local stack has no function {name}; restart it with `serverless-crud local down && serverless-crud local up`"),
                ));
            }
            target.endpoint = Some(local.function_url(name));
            target.function = Some(name.to_string());
            target.auth = target.auth.or(Some(AuthMode::None));
        }
        self.build_transport(target, g.via).await
    }

    /// A stack's endpoint, function and auth; with `flags`, --auth and
    /// --api-key (or their environment variables) win.
    fn stack_target(&self, state: &crate::stack::StackState, flags: bool) -> Target {
        use crate::stack::StackAuth;
        let flag_auth = self.global.auth.filter(|_| flags);
        let flag_key = self.global.api_key.clone().filter(|_| flags);
        // The stack's real auth, locally too (the local gateway enforces it).
        let auth = flag_auth.or(Some(match state.auth {
            StackAuth::None => AuthMode::None,
            StackAuth::Iam => AuthMode::Iam,
            StackAuth::ApiKey => AuthMode::ApiKey,
        }));
        Target {
            endpoint: state.api_url().map(str::to_string),
            function: Some(state.function_name.clone()),
            auth,
            api_key: flag_key.or(state.api_key_value.clone()),
        }
    }

    /// The transport to a stack's dispatcher through `via`, with the stack's
    /// own auth (setup's smoke test, status): client settings do not apply.
    pub async fn stack_transport(
        &self,
        state: &crate::stack::StackState,
        via: Via,
    ) -> Result<Transport, AppError> {
        self.build_transport(self.stack_target(state, false), Some(via))
            .await
    }

    async fn build_transport(
        &self,
        target: Target,
        via: Option<Via>,
    ) -> Result<Transport, AppError> {
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
                let Some(endpoint) = endpoint else {
                    return Err(AppError::usage(
                        "--via api needs an endpoint: pass --endpoint URL",
                    ));
                };
                let url = url::Url::parse(&endpoint).map_err(|e| {
                    AppError::usage(format!(
                        "--endpoint `{endpoint}` is not a URL ({e}); expected https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH"
                    ))
                })?;
                let auth = self.api_auth(auth, api_key, &url).await?;
                Ok(Transport::Api(ApiTransport::new(
                    url,
                    auth,
                    self.timeout(),
                )?))
            }
            Via::Lambda => {
                let Some(function) = function else {
                    return Err(AppError::usage(
                        "--via lambda needs a function: pass --function NAME",
                    ));
                };
                // Locally, the emulator knows a function by its route (a slot).
                let function = if self.global.local {
                    self.local().await?.route_of(&function)
                } else {
                    function
                };
                Ok(Transport::Lambda(LambdaTransport::new(
                    self.lambda_invoke().await?,
                    function,
                    self.global.local,
                )))
            }
        }
    }

    /// Auth for the API transport. Without --auth: the API key when one is
    /// given, else SigV4 when credentials resolve, else none.
    async fn api_auth(
        &self,
        mode: Option<AuthMode>,
        key: Option<String>,
        url: &url::Url,
    ) -> Result<ApiAuth, AppError> {
        let mode = match mode {
            Some(mode) => mode,
            None if key.is_some() => AuthMode::ApiKey,
            None => AuthMode::Iam,
        };
        match mode {
            AuthMode::None => Ok(ApiAuth::None),
            AuthMode::ApiKey => key.map(ApiAuth::ApiKey).ok_or_else(|| {
                AppError::usage(
                    "--auth api-key needs a key: pass --api-key or set SERVERLESS_CRUD_API_KEY",
                )
            }),
            AuthMode::Iam => {
                let sdk = self.sdk().await?;
                let Some(credentials) = sdk.credentials_provider() else {
                    return Err(AppError::usage(
                        "--auth iam needs AWS credentials (profile or environment)",
                    ));
                };
                // The stage URL names its region: ID.execute-api.REGION.amazonaws.com
                let region = url
                    .host_str()
                    .and_then(|h| h.split(".execute-api.").nth(1))
                    .and_then(|rest| rest.split('.').next())
                    .map(str::to_string)
                    .unwrap_or(self.region().await?);
                Ok(ApiAuth::SigV4 {
                    credentials,
                    region,
                })
            }
        }
    }
}
