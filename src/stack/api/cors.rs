//! CORS on a REST API, as API Gateway does it (not as the emulators do):
//! an OPTIONS method per resource with a MOCK integration answering the
//! preflight with exactly the configured origins, methods and headers, and
//! the DEFAULT_4XX / DEFAULT_5XX gateway responses carrying the CORS
//! headers, so a browser sees the API's 403 or 429 instead of an opaque
//! CORS failure. The dispatcher adds the origin to its own replies.

use std::collections::HashMap;

use aws_sdk_apigateway::types::{GatewayResponseType, IntegrationType};
use aws_sdk_apigateway::Client;

use super::routes::{Tree, ITEM_PATHS};
use super::{api_error, ApiSpec, RESOURCE_PATH};
use crate::error::AppError;
use crate::stack::Routes;

/// The request headers a browser may send: what the CLI's transports and
/// Postman's signers use.
pub const ALLOWED_HEADERS: &str =
    "authorization,content-type,x-api-key,x-amz-date,x-amz-security-token";

/// Seconds a browser may cache a preflight.
const MAX_AGE: &str = "600";

/// Each resource with its methods, for `routes`.
pub fn resources(routes: Routes) -> Vec<(String, &'static str)> {
    let mut out = vec![(format!("/{RESOURCE_PATH}"), "POST,OPTIONS")];
    if routes == Routes::Rest {
        out.push((ITEM_PATHS[0].to_string(), "GET,POST,OPTIONS"));
        for path in &ITEM_PATHS[1..] {
            out.push((path.to_string(), "GET,PUT,PATCH,DELETE,OPTIONS"));
        }
    }
    out
}

/// The integration response template that answers the preflight's
/// `Access-Control-Allow-Origin` for a listed origin only (a MOCK can hold
/// one static value; `$context.responseOverride` chooses per request).
pub fn origin_template(origins: &[String]) -> String {
    let test = origins
        .iter()
        .map(|o| format!("$origin == \"{o}\""))
        .collect::<Vec<_>>()
        .join(" || ");
    format!(
        "#set($origin = $input.params(\"Origin\"))\n#if({test})\n#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n#end\n"
    )
}

/// The preflight's integration response: (parameters, templates).
pub fn preflight(
    origins: &[String],
    methods: &str,
) -> (HashMap<String, String>, HashMap<String, String>) {
    let header = |name: &str| format!("method.response.header.{name}");
    let quoted = |value: &str| format!("'{value}'");
    let mut parameters = HashMap::from([
        (header("Access-Control-Allow-Methods"), quoted(methods)),
        (
            header("Access-Control-Allow-Headers"),
            quoted(ALLOWED_HEADERS),
        ),
        (header("Access-Control-Max-Age"), quoted(MAX_AGE)),
        (header("Vary"), quoted("Origin")),
    ]);
    let mut templates = HashMap::new();
    if origins.iter().any(|o| o == "*") {
        parameters.insert(header("Access-Control-Allow-Origin"), quoted("*"));
    } else {
        templates.insert("application/json".to_string(), origin_template(origins));
    }
    (parameters, templates)
}

/// What DEFAULT_4XX and DEFAULT_5XX carry: one origin or `*` as is; with
/// several, the request's own Origin (a gateway response cannot choose
/// among several; only error bodies such as "Forbidden" are exposed).
pub fn gateway_response_parameters(origins: &[String]) -> HashMap<String, String> {
    let origin = match origins {
        [one] => format!("'{one}'"),
        _ => "method.request.header.Origin".to_string(),
    };
    HashMap::from([
        (
            "gatewayresponse.header.Access-Control-Allow-Origin".to_string(),
            origin,
        ),
        (
            "gatewayresponse.header.Vary".to_string(),
            "'Origin'".to_string(),
        ),
    ])
}

/// CORS as configured (or removed when no origin is); true when changed.
pub async fn ensure(
    client: &Client,
    tree: &mut Tree,
    spec: &ApiSpec<'_>,
) -> Result<bool, AppError> {
    let mut changed = false;
    for (path, methods) in resources(spec.routes) {
        let (resource, _) = tree.ensure(client, &path).await?;
        changed |= match spec.cors.is_empty() {
            true => remove_preflight(client, &tree.api_id, &resource).await?,
            false => ensure_preflight(client, &tree.api_id, &resource, spec.cors, methods).await?,
        };
    }
    for kind in [
        GatewayResponseType::Default4Xx,
        GatewayResponseType::Default5Xx,
    ] {
        changed |= ensure_gateway_response(client, &tree.api_id, kind, spec.cors).await?;
    }
    Ok(changed)
}

async fn ensure_preflight(
    client: &Client,
    api_id: &str,
    resource: &str,
    origins: &[String],
    methods: &str,
) -> Result<bool, AppError> {
    let (parameters, templates) = preflight(origins, methods);
    // Read through GetMethod: moto answers GetIntegrationResponse for a
    // missing method with a 500, which the SDK retries for ~40 s.
    let current = client
        .get_method()
        .rest_api_id(api_id)
        .resource_id(resource)
        .http_method("OPTIONS")
        .send()
        .await
        .ok();
    let same = current
        .as_ref()
        .and_then(|m| m.method_integration()?.integration_responses()?.get("200"))
        .is_some_and(|r| {
            r.response_parameters().cloned().unwrap_or_default() == parameters
                && r.response_templates().cloned().unwrap_or_default() == templates
        });
    if same {
        return Ok(false);
    }
    let fail = |what: &str| format!("cannot create the preflight's {what}");
    client
        .put_method()
        .rest_api_id(api_id)
        .resource_id(resource)
        .http_method("OPTIONS")
        .authorization_type("NONE")
        .api_key_required(false)
        .send()
        .await
        .map_err(|e| api_error(&fail("OPTIONS method"), &e))?;
    client
        .put_integration()
        .rest_api_id(api_id)
        .resource_id(resource)
        .http_method("OPTIONS")
        .r#type(IntegrationType::Mock)
        .request_templates("application/json", "{\"statusCode\": 200}")
        .passthrough_behavior("WHEN_NO_MATCH")
        .send()
        .await
        .map_err(|e| api_error(&fail("MOCK integration"), &e))?;
    let declared = parameters
        .keys()
        .chain(std::iter::once(
            &"method.response.header.Access-Control-Allow-Origin".to_string(),
        ))
        .map(|k| (k.clone(), false))
        .collect::<HashMap<_, _>>();
    client
        .put_method_response()
        .rest_api_id(api_id)
        .resource_id(resource)
        .http_method("OPTIONS")
        .status_code("200")
        .set_response_parameters(Some(declared))
        .send()
        .await
        .map_err(|e| api_error(&fail("method response"), &e))?;
    client
        .put_integration_response()
        .rest_api_id(api_id)
        .resource_id(resource)
        .http_method("OPTIONS")
        .status_code("200")
        .selection_pattern("")
        .set_response_parameters(Some(parameters))
        .set_response_templates(Some(templates))
        .send()
        .await
        .map_err(|e| api_error(&fail("integration response"), &e))?;
    Ok(true)
}

/// No CORS configured: no OPTIONS method (a preflight then gets API
/// Gateway's 403, as on AWS); true when one was removed.
async fn remove_preflight(client: &Client, api_id: &str, resource: &str) -> Result<bool, AppError> {
    // Look first: AWS answers NotFound for a missing method, moto answers
    // success, and "removed" must mean something was there.
    let current = client
        .get_method()
        .rest_api_id(api_id)
        .resource_id(resource)
        .http_method("OPTIONS")
        .send()
        .await;
    match current {
        Ok(_) => {}
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            return Ok(false)
        }
        Err(e) => return Err(api_error("cannot read the OPTIONS method", &e)),
    }
    client
        .delete_method()
        .rest_api_id(api_id)
        .resource_id(resource)
        .http_method("OPTIONS")
        .send()
        .await
        .map_err(|e| api_error("cannot remove the OPTIONS method", &e))?;
    Ok(true)
}

async fn ensure_gateway_response(
    client: &Client,
    api_id: &str,
    kind: GatewayResponseType,
    origins: &[String],
) -> Result<bool, AppError> {
    let current = client
        .get_gateway_response()
        .rest_api_id(api_id)
        .response_type(kind.clone())
        .send()
        .await
        .ok()
        .and_then(|r| r.response_parameters().cloned())
        .unwrap_or_default();
    let wanted = match origins.is_empty() {
        true => HashMap::new(),
        false => gateway_response_parameters(origins),
    };
    if current == wanted {
        return Ok(false);
    }
    if wanted.is_empty() {
        // Back to API Gateway's own default response.
        client
            .delete_gateway_response()
            .rest_api_id(api_id)
            .response_type(kind)
            .send()
            .await
            .map_err(|e| api_error("cannot reset a gateway response", &e))?;
        return Ok(true);
    }
    client
        .put_gateway_response()
        .rest_api_id(api_id)
        .response_type(kind)
        .set_response_parameters(Some(wanted))
        .send()
        .await
        .map_err(|e| api_error("cannot set a gateway response's CORS headers", &e))?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preflight_names_exactly_the_configured_origins() {
        let origins = vec![
            "http://localhost:5173".to_string(),
            "https://app.example.com".to_string(),
        ];
        let (parameters, templates) = preflight(&origins, "GET,POST,OPTIONS");
        assert_eq!(
            parameters["method.response.header.Access-Control-Allow-Methods"],
            "'GET,POST,OPTIONS'"
        );
        assert!(
            parameters["method.response.header.Access-Control-Allow-Headers"].contains("x-api-key")
        );
        assert!(!parameters.contains_key("method.response.header.Access-Control-Allow-Origin"));
        let template = &templates["application/json"];
        assert!(template.contains(
            "$origin == \"http://localhost:5173\" || $origin == \"https://app.example.com\""
        ));
        let (any, templates) = preflight(&["*".to_string()], "POST,OPTIONS");
        assert_eq!(
            any["method.response.header.Access-Control-Allow-Origin"],
            "'*'"
        );
        assert!(templates.is_empty());
    }

    #[test]
    fn gateway_responses_carry_one_origin_or_echo_among_several() {
        let one = gateway_response_parameters(&["http://localhost:5173".to_string()]);
        assert_eq!(
            one["gatewayresponse.header.Access-Control-Allow-Origin"],
            "'http://localhost:5173'"
        );
        let two =
            gateway_response_parameters(&["http://a.example".into(), "http://b.example".into()]);
        assert_eq!(
            two["gatewayresponse.header.Access-Control-Allow-Origin"],
            "method.request.header.Origin"
        );
    }
}
