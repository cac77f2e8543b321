//! Everything a command needs: the global options, one `SdkConfig`, the
//! clients built from it, the resolved transport, the printer.
//!
//! Precedence for where events go (first match wins):
//!   1. --endpoint / --function (or SERVERLESS_CRUD_ENDPOINT / _FUNCTION)
//!   2. --stack (its state file; `setup` writes it)
//!   3. --local (the local stack's function and its function URL)

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use tokio::sync::OnceCell;

use crate::cli::{AuthMode, GlobalArgs};
use crate::error::AppError;
use crate::local::{LocalState, DEFAULT_FUNCTION};
use crate::output::Printer;
use crate::transport::{ApiAuth, ApiTransport, LambdaTransport, Transport, Via};

/// Region used for the local stack when none is given.
pub const LOCAL_REGION: &str = "us-east-1";

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
            .get_or_try_init(|| async { LocalState::require() })
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
        let mut config = aws_sdk_dynamodb::config::Builder::from(sdk);
        if self.global.local {
            config = config.endpoint_url(&self.local().await?.moto.endpoint);
        }
        Ok(aws_sdk_dynamodb::Client::from_conf(config.build()))
    }

    /// Lambda client for Invoke: SDK retries off (we decide what is safe to
    /// repeat), the operation bounded by --timeout; locally the emulator.
    pub async fn lambda_invoke(&self) -> Result<aws_sdk_lambda::Client, AppError> {
        let sdk = self.sdk().await?;
        let mut config = aws_sdk_lambda::config::Builder::from(sdk)
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
        let mut endpoint = g.endpoint.clone();
        let mut function = g.function.clone();
        let mut auth = g.auth;
        if endpoint.is_none() && function.is_none() && g.local {
            let local = self.local().await?;
            let name = DEFAULT_FUNCTION;
            if local.function(name).is_none() {
                return Err(AppError::transport(format!(
                    "the local stack has no function {name}; restart it with `serverless-crud local down && serverless-crud local up`"
                )));
            }
            endpoint = Some(local.function_url(name));
            function = Some(name.to_string());
            auth = auth.or(Some(AuthMode::None));
        }
        let via = match (g.via, endpoint.is_some(), function.is_some()) {
            (Some(via), _, _) => via,
            (None, true, _) => Via::Api,
            (None, false, true) => Via::Lambda,
            (None, false, false) => {
                return Err(AppError::usage(
                    "nowhere to send the event: pass --endpoint URL (API Gateway stage), --function NAME (direct invoke), \
                     or --local (after `serverless-crud local up`)",
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
                let auth = self.api_auth(auth, &url).await?;
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
                Ok(Transport::Lambda(LambdaTransport::new(
                    self.lambda_invoke().await?,
                    function,
                )))
            }
        }
    }

    /// Auth for the API transport. Without --auth: the API key when one is
    /// given, else SigV4 when credentials resolve, else none.
    async fn api_auth(&self, mode: Option<AuthMode>, url: &url::Url) -> Result<ApiAuth, AppError> {
        let key = self.global.api_key.clone();
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
