//! The MOCK integration, as API Gateway runs it: the request template
//! (chosen by the request's Content-Type, `application/json` when it has
//! none) renders `{"statusCode": N}`; N selects the integration response
//! (the one whose selectionPattern matches N, else the default one); its
//! `responseParameters` set the method response's headers and its
//! `application/json` template, rendered by the [`vtl`] subset, is the body
//! and may override the status and headers (`$context.responseOverride`).
//! The answer is `application/json` and has no `X-Amzn-Trace-Id`
//! (test_apigateway_common.snapshot.json, test_invocation_trace_id /
//! normal-req-headers-MOCK). What is parsed when the API loads; a part
//! outside the emulated subset answers 500 with its name in the log.

use std::collections::HashMap;

use crate::gateway::integration::HttpReply;
use crate::gateway::mapping::{header_mappings, RequestParams, Source};
use crate::gateway::response::GatewayResponse;
use crate::gateway::vtl::Template;

/// A template as loaded: parsed, or why it is not emulated.
pub type Loaded = Result<Template, String>;

#[derive(Debug, Clone, PartialEq)]
pub struct MockIntegration {
    /// Content type -> request template.
    pub request_templates: Vec<(String, Loaded)>,
    /// In status order.
    pub responses: Vec<MockResponse>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MockResponse {
    pub status: u16,
    /// None or empty: the default response.
    pub pattern: Option<String>,
    /// `method.response.header.NAME` mappings, or why they are not emulated.
    pub headers: Result<Vec<(String, Source)>, String>,
    /// Content type -> response template.
    pub templates: Vec<(String, Loaded)>,
}

fn templates(map: Option<&HashMap<String, String>>) -> Vec<(String, Loaded)> {
    let mut out: Vec<(String, Loaded)> = map
        .into_iter()
        .flatten()
        .map(|(kind, text)| (kind.to_ascii_lowercase(), Template::parse(text)))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

impl MockIntegration {
    /// From the control plane's integration.
    pub fn of(i: &aws_sdk_apigateway::types::Integration) -> MockIntegration {
        let mut responses: Vec<MockResponse> = i
            .integration_responses()
            .into_iter()
            .flatten()
            .map(|(status, r)| MockResponse {
                status: status.parse().unwrap_or(0),
                pattern: r
                    .selection_pattern()
                    .filter(|p| !p.is_empty())
                    .map(str::to_string),
                headers: header_mappings(
                    &r.response_parameters().cloned().unwrap_or_default(),
                    "method.response.header.",
                ),
                templates: templates(r.response_templates()),
            })
            .collect();
        responses.sort_by_key(|r| r.status);
        MockIntegration {
            request_templates: templates(i.request_templates()),
            responses,
        }
    }
}

/// The media type of a header value, lower-case, parameters dropped.
fn media_type(value: Option<String>) -> Option<String> {
    value
        .and_then(|v| v.split(';').next().map(|t| t.trim().to_ascii_lowercase()))
        .filter(|t| !t.is_empty())
}

fn misconfigured(cause: String) -> GatewayResponse {
    GatewayResponse::misconfigured(format!("MOCK integration: {cause}"))
}

/// The status the request template renders (`{"statusCode": N}`).
fn requested_status(
    mock: &MockIntegration,
    request: &RequestParams,
) -> Result<u16, GatewayResponse> {
    let kind = media_type(request.header("content-type")).unwrap_or("application/json".into());
    let (_, template) = mock
        .request_templates
        .iter()
        .find(|(k, _)| *k == kind)
        .ok_or_else(|| {
            misconfigured(format!(
                "no request template for {kind}: passing the request through is not emulated"
            ))
        })?;
    let template = template.as_ref().map_err(|e| misconfigured(e.clone()))?;
    let rendered = template
        .render(&|name| request.input_param(name))
        .map_err(misconfigured)?;
    let doc: serde_json::Value = serde_json::from_str(&rendered.body)
        .map_err(|_| misconfigured("the request template does not render a JSON object".into()))?;
    doc["statusCode"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
        .ok_or_else(|| misconfigured("the request template renders no statusCode".into()))
}

/// The integration response `status` selects: a matching selectionPattern
/// (a regex on the status code), else the default response.
fn select(mock: &MockIntegration, status: u16) -> Option<&MockResponse> {
    let code = status.to_string();
    mock.responses
        .iter()
        .find(|r| {
            r.pattern.as_ref().is_some_and(|p| {
                regex::Regex::new(&format!("^(?s:{p})$")).is_ok_and(|re| re.is_match(&code))
            })
        })
        .or_else(|| mock.responses.iter().find(|r| r.pattern.is_none()))
}

/// The MOCK's answer to `request`.
pub fn answer(
    mock: &MockIntegration,
    request: &RequestParams,
) -> Result<HttpReply, GatewayResponse> {
    let status = requested_status(mock, request)?;
    // AWS: "No match for output mapping and no default output mapping" (500).
    let response = select(mock, status).ok_or_else(|| {
        misconfigured(format!(
            "no integration response for status {status} and no default"
        ))
    })?;
    let mappings = response
        .headers
        .as_ref()
        .map_err(|e| misconfigured(e.clone()))?;
    let mut headers: Vec<(String, String)> = mappings
        .iter()
        .filter_map(|(name, source)| Some((name.clone(), source.value(request)?)))
        .collect();
    let accept = media_type(request.header("accept"));
    let chosen = response
        .templates
        .iter()
        .find(|(k, _)| Some(k) == accept.as_ref())
        .or_else(|| {
            response
                .templates
                .iter()
                .find(|(k, _)| k == "application/json")
        });
    let (content_type, body, status) = match chosen {
        None => ("application/json".to_string(), Vec::new(), response.status),
        Some((kind, template)) => {
            let template = template.as_ref().map_err(|e| misconfigured(e.clone()))?;
            let rendered = template
                .render(&|name| request.input_param(name))
                .map_err(misconfigured)?;
            for (name, value) in rendered.headers {
                headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
                headers.push((name, value));
            }
            let status = rendered.status.unwrap_or(response.status);
            (kind.clone(), rendered.body.into_bytes(), status)
        }
    };
    headers.insert(0, ("Content-Type".into(), content_type));
    Ok(HttpReply {
        status,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stack::api::cors;

    /// The preflight `setup --cors` configures (src/stack/api/cors.rs).
    fn preflight(origins: &[&str]) -> MockIntegration {
        let origins: Vec<String> = origins.iter().map(|o| o.to_string()).collect();
        let (parameters, response_templates) = cors::preflight(&origins, "POST,OPTIONS");
        MockIntegration {
            request_templates: templates(Some(&HashMap::from([(
                "application/json".to_string(),
                "{\"statusCode\": 200}".to_string(),
            )]))),
            responses: vec![MockResponse {
                status: 200,
                pattern: None,
                headers: header_mappings(&parameters, "method.response.header."),
                templates: templates(Some(&response_templates)),
            }],
        }
    }

    fn request(headers: &[(&str, &str)]) -> RequestParams {
        RequestParams {
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            ..RequestParams::default()
        }
    }

    fn header<'a>(reply: &'a HttpReply, name: &str) -> Option<&'a str> {
        reply
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_preflight_answers_the_listed_origin_only() {
        let mock = preflight(&["https://a.example"]);
        let allowed = answer(&mock, &request(&[("Origin", "https://a.example")])).unwrap();
        assert_eq!(
            (allowed.status, allowed.body.as_slice()),
            (200, b"".as_slice())
        );
        assert_eq!(header(&allowed, "content-type"), Some("application/json"));
        assert_eq!(
            header(&allowed, "access-control-allow-origin"),
            Some("https://a.example")
        );
        assert_eq!(
            header(&allowed, "access-control-allow-methods"),
            Some("POST,OPTIONS")
        );
        assert_eq!(header(&allowed, "access-control-max-age"), Some("600"));
        assert_eq!(header(&allowed, "vary"), Some("Origin"));
        let other = answer(&mock, &request(&[("origin", "https://evil.example")])).unwrap();
        assert_eq!(other.status, 200);
        assert_eq!(header(&other, "access-control-allow-origin"), None);
        let any = answer(&preflight(&["*"]), &request(&[])).unwrap();
        assert_eq!(header(&any, "access-control-allow-origin"), Some("*"));
    }

    #[test]
    fn the_status_selects_the_response_and_gaps_are_refused() {
        let mut mock = preflight(&["*"]);
        mock.request_templates = templates(Some(&HashMap::from([(
            "application/json".to_string(),
            "#if($input.params('scope') == \"internal\")\n{\"statusCode\": 200}\n#else\n{\"statusCode\": 500}\n#end\n".to_string(),
        )])));
        mock.responses.push(MockResponse {
            status: 503,
            pattern: Some("5\\d{2}".into()),
            headers: Ok(Vec::new()),
            templates: templates(Some(&HashMap::from([(
                "application/json".to_string(),
                "{\"down\": true}".to_string(),
            )]))),
        });
        let mut internal = request(&[]);
        internal.raw_query = Some("scope=internal".into());
        assert_eq!(answer(&mock, &internal).unwrap().status, 200);
        let outside = answer(&mock, &request(&[])).unwrap();
        assert_eq!(
            (outside.status, outside.body.as_slice()),
            (503, b"{\"down\": true}".as_slice())
        );
        let plain = answer(&mock, &request(&[("Content-Type", "text/plain")])).unwrap_err();
        assert!(plain
            .cause()
            .unwrap()
            .contains("no request template for text/plain"));
        mock.responses.retain(|r| r.status == 503);
        mock.request_templates = templates(Some(&HashMap::from([(
            "application/json".to_string(),
            "{\"statusCode\": 200}".to_string(),
        )])));
        let unmatched = answer(&mock, &request(&[])).unwrap_err();
        assert_eq!(unmatched.status(), 500);
        assert!(unmatched
            .cause()
            .unwrap()
            .contains("no integration response for status 200"));
        mock.request_templates[0].1 = Template::parse("{\"statusCode\": \"$x\"}");
        let refused = answer(&mock, &request(&[])).unwrap_err();
        assert!(
            refused.cause().unwrap().contains("a reference inside text"),
            "{refused:?}"
        );
    }
}
