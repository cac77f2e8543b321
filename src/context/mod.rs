//! What a command works with: the settings (resolved from the command line
//! in `main`), the printer, and factories for the AWS clients and the
//! transport. Loading (the SDK configuration, the stack's and the local
//! stack's state) happens once, on first use; resolving is pure
//! (`target::resolve`); factories only construct. Nothing here starts,
//! stops or heals a process: commands that need a healthy local stack ask
//! for it with `heal_local`.

pub mod target;

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use tokio::sync::OnceCell;

use crate::auth::Auth;
use crate::error::AppError;
use crate::local::{LocalState, Supervisor};
use crate::output::{OutputFormat, Printer};
use crate::stack::StackState;
use crate::transport::{ApiCredentials, ApiTransport, LambdaTransport, Transport, Via};
use target::Resolved;

/// Region used for the local stack when none is given.
pub const LOCAL_REGION: &str = "us-east-1";

/// The global options as plain values (built in `main` from the command line).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub local: bool,
    pub endpoint: Option<String>,
    pub function: Option<String>,
    pub stack: Option<String>,
    pub via: Option<Via>,
    pub auth: Option<Auth>,
    /// --auth came from the command line (not from SERVERLESS_CRUD_AUTH,
    /// which configures the client only and must not change a stack).
    pub auth_on_command_line: bool,
    pub api_key: Option<String>,
    /// A bearer token (`--token`): never printed.
    pub token: Option<String>,
    pub profile: Option<String>,
    pub region: Option<String>,
    /// Seconds to wait for one request (at least 1).
    pub timeout_secs: u64,
    pub output: Option<OutputFormat>,
    pub quiet: bool,
    pub verbose: u8,
    pub dry_run: bool,
}

impl Settings {
    /// The stack name: --stack, else `default`.
    pub fn stack_name(&self) -> &str {
        self.stack.as_deref().unwrap_or(crate::stack::DEFAULT_STACK)
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_secs.max(1))
    }
}

pub struct Context {
    pub settings: Settings,
    pub printer: Printer,
    sdk: OnceCell<SdkConfig>,
    local: OnceCell<LocalState>,
}

impl Context {
    pub fn new(settings: Settings) -> Self {
        let printer = Printer::new(settings.output, settings.quiet, settings.verbose);
        Context {
            settings,
            printer,
            sdk: OnceCell::new(),
            local: OnceCell::new(),
        }
    }

    pub fn timeout(&self) -> Duration {
        self.settings.timeout()
    }

    /// The stack name: --stack, else `default`.
    pub fn stack_name(&self) -> &str {
        self.settings.stack_name()
    }

    /// The running local stack (only with --local), as recorded: reading it
    /// changes nothing, even when a process of it has died.
    pub async fn local(&self) -> Result<&LocalState, AppError> {
        self.local
            .get_or_try_init(|| async { Supervisor::running() })
            .await
    }

    /// With --local, restarts what of the local stack has died (runtime
    /// workers, the gateway) before a command uses it, saying so on stderr.
    /// Commands that send events call it; reads of state never heal.
    pub async fn heal_local(&self) -> Result<(), AppError> {
        if !self.settings.local || self.settings.dry_run {
            return Ok(());
        }
        let healed = Supervisor::heal_seen(self.local().await?).await?;
        if let Some(what) = healed.describe() {
            self.printer
                .warn(format!("{what} of the local stack had died; restarted"));
        }
        Ok(())
    }

    /// One SdkConfig for the whole run: profile, region, standard AWS env
    /// (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL[_<SERVICE>]); with --local,
    /// dummy credentials and the local stack's endpoints.
    pub async fn sdk(&self) -> Result<&SdkConfig, AppError> {
        self.sdk
            .get_or_try_init(|| async {
                if self.settings.local {
                    return Ok(self.local().await?.sdk_config());
                }
                let mut loader = aws_config::defaults(BehaviorVersion::latest())
                    .http_client(crate::aws_http::client());
                if let Some(profile) = &self.settings.profile {
                    loader = loader.profile_name(profile);
                }
                if let Some(region) = &self.settings.region {
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
        Ok(region_of(self.sdk().await?))
    }

    /// The factories of this run's clients (after the configuration loaded).
    pub async fn aws(&self) -> Result<Aws<'_>, AppError> {
        let moto = match self.settings.local {
            true => Some(self.local().await?.moto.endpoint.clone()),
            false => None,
        };
        Ok(Aws {
            sdk: self.sdk().await?,
            moto,
        })
    }

    pub async fn dynamodb(&self) -> Result<aws_sdk_dynamodb::Client, AppError> {
        Ok(self.aws().await?.dynamodb())
    }

    pub async fn dynamodb_api(&self) -> Result<crate::aws_http::JsonApi, AppError> {
        Ok(self.aws().await?.dynamodb_api())
    }

    pub async fn s3(&self) -> Result<aws_sdk_s3::Client, AppError> {
        Ok(self.aws().await?.s3())
    }

    pub async fn logs_client(&self) -> Result<aws_sdk_cloudwatchlogs::Client, AppError> {
        Ok(self.aws().await?.logs())
    }

    pub async fn cloudwatch(&self) -> Result<aws_sdk_cloudwatch::Client, AppError> {
        Ok(self.aws().await?.cloudwatch())
    }

    pub async fn clients(&self) -> Result<crate::stack::Clients, AppError> {
        Ok(self.aws().await?.stack_clients())
    }

    /// The state of the stack named by --stack (or `default`), in this region,
    /// local or on AWS per --local.
    pub async fn stack_state(&self) -> Result<Option<StackState>, AppError> {
        let region = self.region().await?;
        crate::stack::load_state(self.stack_name(), &region, self.settings.local)
    }

    /// Where events go, per the precedence in `target` and --via.
    pub async fn transport(&self) -> Result<Transport, AppError> {
        let settings = &self.settings;
        let stack = match target::needs_stack(settings) {
            true => match self.stack_state().await {
                Ok(state) => state,
                Err(e) if settings.stack.is_some() => return Err(e),
                // Without --stack, a missing region or state only means "no default stack".
                Err(_) => None,
            },
            false => None,
        };
        let local = match settings.local {
            true => Some(self.local().await?),
            false => None,
        };
        let sdk_region = self.sdk_region_or_local().await;
        let resolved = target::resolve(settings, stack.as_ref(), local, &sdk_region)?;
        self.construct(resolved).await
    }

    /// The transport to a stack's dispatcher through `via`, with the stack's
    /// own auth (setup's smoke test, status): client settings do not apply.
    pub async fn stack_transport(
        &self,
        state: &StackState,
        via: Via,
    ) -> Result<Transport, AppError> {
        let local = match self.settings.local {
            true => Some(self.local().await?),
            false => None,
        };
        let sdk_region = self.sdk_region_or_local().await;
        let resolved = target::choose(
            target::stack_target(state, None),
            Some(via),
            local,
            &sdk_region,
        )?;
        self.construct(resolved).await
    }

    async fn sdk_region_or_local(&self) -> String {
        match self.sdk().await {
            Ok(sdk) => region_of(sdk),
            Err(_) => LOCAL_REGION.into(),
        }
    }

    /// The ID token `login` cached for this stack (None: no login yet; the
    /// API answers 401 and the hint says to log in).
    async fn login_token(&self) -> Result<Option<String>, AppError> {
        let region = self.sdk_region_or_local().await;
        let stack = self.stack_name();
        let Some(login) = crate::stack::cognito::Login::load(stack, &region, self.settings.local)?
        else {
            return Ok(None);
        };
        if login.expired() {
            return Err(AppError::usage(format!(
                "the token `login` cached for stack {stack} (user {}) has expired: run `serverless-crud login --stack {stack} --user {}` again, or pass --token",
                login.user, login.user
            )));
        }
        Ok(Some(login.tokens.id_token))
    }

    /// A local alias's versions, as the emulator routes them.
    async fn local_alias(
        &self,
        function: &str,
        alias: &str,
    ) -> Result<crate::transport::lambda::LocalAlias, AppError> {
        let lambda = self.aws().await?.stack_clients().lambda;
        let (main, weighted) = crate::stack::release::alias_state_named(&lambda, function, alias)
            .await?
            .ok_or_else(|| {
                AppError::not_found(format!(
                    "function {function} has no alias {alias} in the local stack"
                ))
            })?;
        let local = self.local().await?;
        let route = |version: &str| {
            local.route_of(&crate::stack::release::local_runtime(
                &format!("{function}:{version}"),
                None,
                0.0,
            ))
        };
        Ok(crate::transport::lambda::LocalAlias {
            main: route(&main),
            weighted: weighted.map(|w| (route(&w.version), w.weight)),
        })
    }

    /// Builds the transport `resolved` names.
    async fn construct(&self, resolved: Resolved) -> Result<Transport, AppError> {
        match resolved {
            Resolved::Api {
                url,
                auth,
                api_key,
                signing_region,
            } => {
                let credentials = match auth {
                    Auth::None => ApiCredentials::None,
                    Auth::ApiKey => ApiCredentials::ApiKey(api_key.unwrap_or_default()),
                    Auth::Lambda | Auth::Jwt => ApiCredentials::Bearer {
                        token: self.settings.token.clone(),
                        api_key,
                        bare: false,
                    },
                    Auth::Cognito => ApiCredentials::Bearer {
                        token: match &self.settings.token {
                            Some(token) => Some(token.clone()),
                            None => self.login_token().await?,
                        },
                        api_key,
                        bare: true,
                    },
                    Auth::Iam => {
                        let Some(credentials) = self.sdk().await?.credentials_provider() else {
                            return Err(AppError::usage(
                                "--auth iam needs AWS credentials (profile or environment)",
                            ));
                        };
                        ApiCredentials::SigV4 {
                            credentials,
                            region: signing_region,
                        }
                    }
                };
                Ok(Transport::Api(ApiTransport::new(
                    url,
                    credentials,
                    self.timeout(),
                )?))
            }
            Resolved::Lambda { function, local } => {
                let lambda_endpoint = match local {
                    true => Some(self.local().await?.lambda.endpoint.clone()),
                    false => None,
                };
                let client = self
                    .aws()
                    .await?
                    .lambda_invoke(lambda_endpoint.as_deref(), self.timeout());
                let alias = match function.split_once(':') {
                    Some((name, alias)) if local && !crate::stack::release::is_version(alias) => {
                        Some(self.local_alias(name, alias).await?)
                    }
                    _ => None,
                };
                let transport = LambdaTransport::new(client, function, local);
                Ok(Transport::Lambda(match alias {
                    Some(alias) => transport.with_local_alias(alias),
                    None => transport,
                }))
            }
        }
    }
}

fn region_of(sdk: &SdkConfig) -> String {
    sdk.region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| LOCAL_REGION.into())
}

/// Client factories over one loaded `SdkConfig`: they only construct.
/// Every client carries the dry-run guard.
pub struct Aws<'a> {
    pub sdk: &'a SdkConfig,
    /// The local moto's endpoint (with --local).
    pub moto: Option<String>,
}

impl Aws<'_> {
    pub fn dynamodb(&self) -> aws_sdk_dynamodb::Client {
        let mut config = aws_sdk_dynamodb::config::Builder::from(self.sdk)
            .interceptor(crate::dry_run::Interceptor);
        if let Some(moto) = &self.moto {
            config = config.endpoint_url(moto);
        }
        aws_sdk_dynamodb::Client::from_conf(config.build())
    }

    /// DynamoDB's JSON API without the SDK's decoding (export's Scan pages,
    /// kept as bytes). Only reads go this way: the dry-run guard is the SDK
    /// client's.
    pub fn dynamodb_api(&self) -> crate::aws_http::JsonApi {
        crate::aws_http::JsonApi::dynamodb(
            &region_of(self.sdk),
            self.moto.as_deref().or(self.sdk.endpoint_url()),
            self.sdk.credentials_provider(),
        )
    }

    /// S3 (the s3-import and s3-export engines). The local stack's moto
    /// serves S3 on its one port, addressed by path.
    pub fn s3(&self) -> aws_sdk_s3::Client {
        let mut config =
            aws_sdk_s3::config::Builder::from(self.sdk).interceptor(crate::dry_run::Interceptor);
        if let Some(moto) = &self.moto {
            config = config.endpoint_url(moto).force_path_style(true);
        }
        aws_sdk_s3::Client::from_conf(config.build())
    }

    /// CloudWatch Logs (reads for `logs` and `metrics`; setup's log groups).
    pub fn logs(&self) -> aws_sdk_cloudwatchlogs::Client {
        let config = aws_sdk_cloudwatchlogs::config::Builder::from(self.sdk)
            .interceptor(crate::dry_run::Interceptor)
            .build();
        aws_sdk_cloudwatchlogs::Client::from_conf(config)
    }

    /// CloudWatch metrics (GetMetricData for `metrics`).
    pub fn cloudwatch(&self) -> aws_sdk_cloudwatch::Client {
        let config = aws_sdk_cloudwatch::config::Builder::from(self.sdk)
            .interceptor(crate::dry_run::Interceptor)
            .build();
        aws_sdk_cloudwatch::Client::from_conf(config)
    }

    /// The control-plane clients the stack services use. API Gateway's
    /// control plane throttles hard (TooManyRequestsException): its client
    /// gets more attempts and a longer backoff than the SDK default.
    pub fn stack_clients(&self) -> crate::stack::Clients {
        let apigateway = aws_sdk_apigateway::config::Builder::from(self.sdk)
            .interceptor(crate::dry_run::Interceptor)
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(8)
                    .with_max_backoff(Duration::from_secs(20)),
            )
            .build();
        crate::stack::Clients {
            dynamodb: self.dynamodb(),
            iam: aws_sdk_iam::Client::from_conf(
                aws_sdk_iam::config::Builder::from(self.sdk)
                    .interceptor(crate::dry_run::Interceptor)
                    .build(),
            ),
            lambda: aws_sdk_lambda::Client::from_conf(
                aws_sdk_lambda::config::Builder::from(self.sdk)
                    .interceptor(crate::dry_run::Interceptor)
                    .build(),
            ),
            logs: self.logs(),
            apigateway: aws_sdk_apigateway::Client::from_conf(apigateway),
            apigatewayv2: aws_sdk_apigatewayv2::Client::from_conf(
                aws_sdk_apigatewayv2::config::Builder::from(self.sdk)
                    .interceptor(crate::dry_run::Interceptor)
                    .build(),
            ),
            dynamodb_api: self.dynamodb_api(),
            cognito: crate::stack::cognito::Cognito::new(
                &region_of(self.sdk),
                self.moto.as_deref().or(self.sdk.endpoint_url()),
                self.sdk.credentials_provider(),
            ),
        }
    }

    /// Lambda client for Invoke: SDK retries off (we decide what is safe to
    /// repeat), the operation bounded by `timeout`; locally the emulator.
    pub fn lambda_invoke(
        &self,
        endpoint: Option<&str>,
        timeout: Duration,
    ) -> aws_sdk_lambda::Client {
        let mut config = aws_sdk_lambda::config::Builder::from(self.sdk)
            .interceptor(crate::dry_run::Interceptor)
            .retry_config(RetryConfig::disabled())
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(timeout)
                    .connect_timeout(Duration::from_secs(10))
                    .build(),
            );
        if let Some(endpoint) = endpoint {
            config = config.endpoint_url(endpoint);
        }
        aws_sdk_lambda::Client::from_conf(config.build())
    }
}
