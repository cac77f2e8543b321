//! The API's resources and methods: `POST /crud` always, and with
//! `--routes rest` the resource routes (`GET|POST /items/{table}`,
//! `GET|PUT|PATCH|DELETE /items/{table}/{id}` and `/{id}/{sort}` for a
//! composite key), each a Lambda proxy integration with the stack's auth.

use std::collections::BTreeMap;

use aws_sdk_apigateway::types::{IntegrationType, Op, PatchOperation};
use aws_sdk_apigateway::Client;

use super::{api_error, ApiSpec, RESOURCE_PATH};
use crate::error::AppError;
use crate::stack::{Auth, Integration, Routes};

/// The resource-route paths, shortest first (a parent before its children).
pub const ITEM_PATHS: [&str; 3] = [
    "/items/{table}",
    "/items/{table}/{id}",
    "/items/{table}/{id}/{sort}",
];

/// Every (path, method) the API serves for `routes`.
pub fn methods(routes: Routes) -> Vec<(String, &'static str)> {
    let mut out = vec![(format!("/{RESOURCE_PATH}"), "POST")];
    if routes == Routes::Rest {
        out.extend(["GET", "POST"].map(|m| (ITEM_PATHS[0].to_string(), m)));
        for path in &ITEM_PATHS[1..] {
            out.extend(["GET", "PUT", "PATCH", "DELETE"].map(|m| (path.to_string(), m)));
        }
    }
    out
}

/// The API's resource tree: path -> resource id (read once, kept current).
pub struct Tree {
    pub api_id: String,
    pub ids: BTreeMap<String, String>,
}

impl Tree {
    pub async fn load(client: &Client, api_id: &str) -> Result<Tree, AppError> {
        let resources = client
            .get_resources()
            .rest_api_id(api_id)
            .limit(500)
            .send()
            .await
            .map_err(|e| api_error("cannot list the API's resources", &e))?;
        let ids = resources
            .items()
            .iter()
            .filter_map(|r| Some((r.path()?.to_string(), r.id()?.to_string())))
            .collect();
        Ok(Tree {
            api_id: api_id.to_string(),
            ids,
        })
    }

    /// The resource at `path`, creating it and its missing parents:
    /// (id, whether anything was created).
    pub async fn ensure(
        &mut self,
        client: &Client,
        path: &str,
    ) -> Result<(String, bool), AppError> {
        if let Some(id) = self.ids.get(path) {
            return Ok((id.clone(), false));
        }
        let (parent, part) = path.rsplit_once('/').expect("paths start with /");
        let parent = if parent.is_empty() { "/" } else { parent };
        let (parent_id, _) = Box::pin(self.ensure(client, parent)).await?;
        let created = client
            .create_resource()
            .rest_api_id(&self.api_id)
            .parent_id(parent_id)
            .path_part(part)
            .send()
            .await
            .map_err(|e| api_error(&format!("cannot create resource {path}"), &e))?;
        let id = created.id().unwrap_or_default().to_string();
        self.ids.insert(path.to_string(), id.clone());
        Ok((id, true))
    }
}

/// Every method of `spec.routes` with its auth and Lambda integration; true
/// when something was created or changed (the stage must be redeployed).
pub async fn ensure(
    client: &Client,
    tree: &mut Tree,
    spec: &ApiSpec<'_>,
    uri: &str,
) -> Result<bool, AppError> {
    let mut changed = false;
    for (path, verb) in methods(spec.routes) {
        let (resource, created) = tree.ensure(client, &path).await?;
        let method = Method {
            api_id: &tree.api_id,
            resource: &resource,
            verb,
        };
        changed |= created;
        let (auth, key_required) = crate::stack::MethodAuth::of(spec.auth, spec.method_auth, verb);
        changed |= ensure_method(client, &method, (auth, key_required), spec.authorizer_id).await?;
        // The resource routes answer proxy events only: their integration
        // is always AWS_PROXY (setup refuses --integration non-proxy for them).
        let integration = if path == format!("/{RESOURCE_PATH}") {
            spec.integration
        } else {
            Integration::Proxy
        };
        changed |= ensure_integration(client, &method, uri, integration).await?;
    }
    Ok(changed)
}

/// One method of one resource.
pub struct Method<'a> {
    pub api_id: &'a str,
    pub resource: &'a str,
    pub verb: &'a str,
}

/// The method with the chosen authorization (`CUSTOM` or
/// `COGNITO_USER_POOLS` with the stack's authorizer for `lambda` and
/// `cognito`); true when created or changed.
async fn ensure_method(
    client: &Client,
    m: &Method<'_>,
    (auth, key_required): (Auth, bool),
    authorizer_id: Option<&str>,
) -> Result<bool, AppError> {
    let authorization = match auth {
        Auth::Iam => "AWS_IAM",
        Auth::ApiKey | Auth::None => "NONE",
        Auth::Lambda => "CUSTOM",
        Auth::Cognito => "COGNITO_USER_POOLS",
        // setup refuses JWT on REST APIs; were one asked for, fail closed.
        Auth::Jwt => "AWS_IAM",
    };
    let authorizer_id = authorizer_id.filter(|_| matches!(auth, Auth::Lambda | Auth::Cognito));
    let what = format!("the {} method", m.verb);
    let current = client
        .get_method()
        .rest_api_id(m.api_id)
        .resource_id(m.resource)
        .http_method(m.verb)
        .send()
        .await;
    match current {
        Ok(found)
            if found.authorization_type() == Some(authorization)
                && found.api_key_required() == Some(key_required)
                && found.authorizer_id().filter(|id| !id.is_empty()) == authorizer_id =>
        {
            Ok(false)
        }
        Ok(_) => {
            let patch = |path: &str, value: &str| {
                PatchOperation::builder()
                    .op(Op::Replace)
                    .path(path)
                    .value(value)
                    .build()
            };
            client
                .update_method()
                .rest_api_id(m.api_id)
                .resource_id(m.resource)
                .http_method(m.verb)
                .patch_operations(patch("/authorizationType", authorization))
                .patch_operations(patch("/apiKeyRequired", &key_required.to_string()))
                .patch_operations(patch("/authorizerId", authorizer_id.unwrap_or_default()))
                .send()
                .await
                .map_err(|e| api_error(&format!("cannot update {what}"), &e))?;
            Ok(true)
        }
        Err(e)
            if e.as_service_error()
                .is_some_and(|s| s.is_not_found_exception()) =>
        {
            client
                .put_method()
                .rest_api_id(m.api_id)
                .resource_id(m.resource)
                .http_method(m.verb)
                .authorization_type(authorization)
                .api_key_required(key_required)
                .set_authorizer_id(authorizer_id.map(str::to_string))
                .send()
                .await
                .map_err(|e| api_error(&format!("cannot create {what}"), &e))?;
            Ok(true)
        }
        Err(e) => Err(api_error(&format!("cannot read {what}"), &e)),
    }
}

/// The Lambda integration: proxy (the default), or non-proxy with
/// passthrough and a default 200 response (the tutorial's wiring: a function
/// error comes back as a 200 with the error body, as on AWS).
async fn ensure_integration(
    client: &Client,
    m: &Method<'_>,
    uri: &str,
    integration: Integration,
) -> Result<bool, AppError> {
    let wanted = match integration {
        Integration::Proxy => IntegrationType::AwsProxy,
        Integration::NonProxy => IntegrationType::Aws,
    };
    let current = client
        .get_integration()
        .rest_api_id(m.api_id)
        .resource_id(m.resource)
        .http_method(m.verb)
        .send()
        .await
        .ok();
    if current.is_some_and(|i| i.uri() == Some(uri) && i.r#type() == Some(&wanted)) {
        return Ok(false);
    }
    client
        .put_integration()
        .rest_api_id(m.api_id)
        .resource_id(m.resource)
        .http_method(m.verb)
        .r#type(wanted)
        // Lambda is always invoked with POST, whatever the method.
        .integration_http_method("POST")
        .uri(uri)
        .passthrough_behavior("WHEN_NO_MATCH")
        .send()
        .await
        .map_err(|e| api_error("cannot create the Lambda integration", &e))?;
    if integration == Integration::NonProxy {
        client
            .put_method_response()
            .rest_api_id(m.api_id)
            .resource_id(m.resource)
            .http_method(m.verb)
            .status_code("200")
            .send()
            .await
            .map_err(|e| api_error("cannot create the method response", &e))?;
        client
            .put_integration_response()
            .rest_api_id(m.api_id)
            .resource_id(m.resource)
            .http_method(m.verb)
            .status_code("200")
            .selection_pattern("")
            .send()
            .await
            .map_err(|e| api_error("cannot create the integration response", &e))?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_routes_are_crud_and_with_rest_the_item_resources() {
        assert_eq!(methods(Routes::Crud), [("/crud".to_string(), "POST")]);
        let rest = methods(Routes::Rest);
        assert_eq!(rest.len(), 1 + 2 + 4 + 4);
        for (path, verb) in [
            ("/items/{table}", "GET"),
            ("/items/{table}", "POST"),
            ("/items/{table}/{id}", "PATCH"),
            ("/items/{table}/{id}/{sort}", "DELETE"),
        ] {
            assert!(rest.contains(&(path.to_string(), verb)), "{verb} {path}");
        }
        assert!(
            !rest.contains(&("/items/{table}".to_string(), "DELETE")),
            "no delete of a whole table"
        );
    }
}
