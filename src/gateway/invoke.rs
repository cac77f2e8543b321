//! The invoke stage: the function runs through the Lambda emulator's Invoke
//! API, under the request id the gateway gives it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::Value;

use crate::error::AppError;
use crate::gateway::response::GatewayResponse;
use crate::local::LocalState;
use crate::transport::lambda::{client_context, CLIENT_CONTEXT_HEADER};

/// The function's reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoked {
    pub payload: Vec<u8>,
    /// The function failed (the payload is its error document).
    pub function_error: bool,
}

impl Invoked {
    /// `$context.integration.status`: what Lambda's Invoke answered.
    pub fn integration_status(&self) -> u16 {
        if self.function_error {
            500
        } else {
            200
        }
    }
}

/// The Lambda emulator of the local stack.
pub struct Emulator {
    endpoint: String,
    http: reqwest::Client,
    /// Function name -> the emulator route it runs under (from the local state).
    routes: Mutex<HashMap<String, String>>,
}

impl Emulator {
    pub fn new(endpoint: String, routes: HashMap<String, String>) -> Result<Emulator, AppError> {
        // A new connection per invocation: the emulator writes a reply's head
        // and body separately, and on a reused connection Nagle + delayed
        // ACK hold the body ~40 ms; a fresh loopback connection costs ~0.1 ms.
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| AppError::internal(format!("HTTP client: {e}")))?;
        Ok(Emulator {
            endpoint,
            http,
            routes: Mutex::new(routes),
        })
    }

    pub fn set_routes(&self, routes: HashMap<String, String>) {
        *self.routes.lock().unwrap() = routes;
    }

    /// Invokes `function` with `payload`, as `lambda_request_id`.
    pub async fn invoke(
        &self,
        function: &str,
        payload: Vec<u8>,
        timeout: Duration,
        lambda_request_id: &str,
    ) -> Result<Invoked, GatewayResponse> {
        let route = self
            .route(function)
            .ok_or_else(|| GatewayResponse::IntegrationFailure {
                cause: format!("the local stack runs no function {function}"),
            })?;
        let url = format!("{}/2015-03-31/functions/{route}/invocations", self.endpoint);
        // The local runtime adopts the request id from the client context:
        // access logs and metrics can name it.
        let sent = self
            .http
            .post(url)
            .header(CLIENT_CONTEXT_HEADER, client_context(lambda_request_id))
            .body(payload)
            .timeout(timeout)
            .send()
            .await;
        let failure = |what: &str, e: reqwest::Error| GatewayResponse::IntegrationFailure {
            cause: format!("{what} the Lambda emulator for {function}: {e}"),
        };
        let response = match sent {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Err(GatewayResponse::IntegrationTimeout),
            Err(e) => return Err(failure("cannot reach", e)),
        };
        let status = response.status().as_u16();
        let function_error = response.headers().contains_key("x-amz-function-error");
        let body = response
            .bytes()
            .await
            .map_err(|e| failure("cannot read the reply of", e))?;
        invocation_result(status, function_error, body.to_vec())
    }

    /// The emulator route of `function` (re-reading the local state for a
    /// function registered since the last look).
    fn route(&self, function: &str) -> Option<String> {
        if let Some(route) = self.routes.lock().unwrap().get(function) {
            return Some(route.clone());
        }
        let local = LocalState::load().ok().flatten()?;
        let routes = local.routes();
        let found = routes.get(function).cloned();
        self.set_routes(routes);
        found
    }
}

/// What an Invoke answer means: 200 is the function's reply (an error when
/// `X-Amz-Function-Error` is set); anything else is the integration failing.
pub fn invocation_result(
    status: u16,
    function_error: bool,
    body: Vec<u8>,
) -> Result<Invoked, GatewayResponse> {
    match status {
        200 => Ok(Invoked {
            payload: body,
            function_error,
        }),
        // cargo-lambda answers an unhandled function error with 500 and
        // the error document, where Lambda answers 200 + X-Amz-Function-Error.
        500 if serde_json::from_slice::<Value>(&body)
            .is_ok_and(|d| d.get("errorMessage").is_some()) =>
        {
            Ok(Invoked {
                payload: body,
                function_error: true,
            })
        }
        _ => Err(GatewayResponse::IntegrationFailure {
            cause: format!("the Lambda emulator answered {status}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoke_answers_are_replies_function_errors_or_failures() {
        let ok = invocation_result(200, false, b"\"pong\"".to_vec()).unwrap();
        assert_eq!((ok.function_error, ok.integration_status()), (false, 200));
        let flagged = invocation_result(200, true, b"{}".to_vec()).unwrap();
        assert_eq!(flagged.integration_status(), 500);
        let emulated = invocation_result(500, false, br#"{"errorMessage":"boom"}"#.to_vec());
        assert!(
            emulated.unwrap().function_error,
            "cargo-lambda's 500 + error document"
        );
        for (status, body) in [(500, &b"oops"[..]), (404, &b"{}"[..]), (502, &b""[..])] {
            let refused = invocation_result(status, false, body.to_vec()).unwrap_err();
            assert_eq!(refused.response_type(), "INTEGRATION_FAILURE");
            assert_eq!(
                refused.respond(None),
                crate::gateway::integration::HttpReply::internal_error()
            );
        }
    }
}
