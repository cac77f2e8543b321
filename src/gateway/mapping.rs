//! Parameter mappings as API Gateway evaluates them for integration
//! responses and gateway responses: a static `'value'`, or a method request
//! parameter (`method.request.header.X`, `method.request.querystring.X`,
//! `method.request.path.X`), or a stage variable (`stageVariables.X`). A
//! source the request does not have maps to no header. Other sources
//! (`integration.response.*`, `context.*`, bodies) are refused when the API
//! is loaded, by name.

use std::collections::HashMap;

/// Where a mapped value comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Static(String),
    Header(String),
    Query(String),
    Path(String),
    StageVariable(String),
}

impl Source {
    /// Parses a mapping's value; Err names what is not emulated.
    pub fn parse(text: &str) -> Result<Source, String> {
        if let Some(inner) = text
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .filter(|_| text.len() >= 2)
        {
            return Ok(Source::Static(inner.to_string()));
        }
        let named = |prefix: &str| text.strip_prefix(prefix).filter(|n| !n.is_empty());
        if let Some(name) = named("method.request.header.") {
            return Ok(Source::Header(name.to_string()));
        }
        if let Some(name) = named("method.request.querystring.") {
            return Ok(Source::Query(name.to_string()));
        }
        if let Some(name) = named("method.request.path.") {
            return Ok(Source::Path(name.to_string()));
        }
        if let Some(name) = named("stageVariables.") {
            return Ok(Source::StageVariable(name.to_string()));
        }
        Err(format!("the mapping source {text:?} is not emulated"))
    }

    /// The value for `request` (None: the request has no such parameter).
    pub fn value(&self, request: &RequestParams) -> Option<String> {
        match self {
            Source::Static(v) => Some(v.clone()),
            Source::Header(name) => request.header(name),
            Source::Query(name) => request.query(name),
            Source::Path(name) => request.path.get(name).cloned(),
            Source::StageVariable(name) => request.stage_variables.get(name).cloned(),
        }
    }
}

/// The mappings `prefix + NAME -> source` of a parameter map, as
/// (NAME, source); any other key, or a source not emulated, is an Err.
pub fn header_mappings(
    parameters: &HashMap<String, String>,
    prefix: &str,
) -> Result<Vec<(String, Source)>, String> {
    let mut out = Vec::with_capacity(parameters.len());
    for (key, value) in parameters {
        let name = key
            .strip_prefix(prefix)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| format!("the mapping target {key:?} is not emulated"))?;
        out.push((name.to_string(), Source::parse(value)?));
    }
    out.sort();
    Ok(out)
}

/// The method request's parameters, as mappings read them.
#[derive(Debug, Clone, Default)]
pub struct RequestParams {
    /// Header lines as sent.
    pub headers: Vec<(String, String)>,
    pub raw_query: Option<String>,
    pub path: HashMap<String, String>,
    pub stage_variables: HashMap<String, String>,
}

impl RequestParams {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    }

    /// The last value of query parameter `name`, decoded (as the proxy
    /// event's `queryStringParameters` holds it).
    pub fn query(&self, name: &str) -> Option<String> {
        url::form_urlencoded::parse(self.raw_query.as_deref().unwrap_or_default().as_bytes())
            .filter(|(k, _)| k == name)
            .last()
            .map(|(_, v)| v.into_owned())
    }

    /// `$input.params(name)`: the path, then the query string, then the
    /// headers, "searched in that order" (AWS docs, "$input variables").
    pub fn input_param(&self, name: &str) -> Option<String> {
        self.path
            .get(name)
            .cloned()
            .or_else(|| self.query(name))
            .or_else(|| self.header(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_map_static_and_request_values_and_refuse_the_rest() {
        let request = RequestParams {
            headers: vec![("origin".into(), "https://a.example".into())],
            raw_query: Some("q=1&q=2&x=a%20b".into()),
            path: HashMap::from([("id".to_string(), "7".to_string())]),
            stage_variables: HashMap::from([("v".to_string(), "s".to_string())]),
        };
        let value = |text: &str| Source::parse(text).unwrap().value(&request);
        assert_eq!(value("'Origin'"), Some("Origin".into()));
        assert_eq!(value("''"), Some(String::new()));
        assert_eq!(
            value("method.request.header.Origin"),
            Some("https://a.example".into())
        );
        assert_eq!(value("method.request.querystring.q"), Some("2".into()));
        assert_eq!(value("method.request.querystring.x"), Some("a b".into()));
        assert_eq!(value("method.request.path.id"), Some("7".into()));
        assert_eq!(value("stageVariables.v"), Some("s".into()));
        assert_eq!(
            value("method.request.header.Missing"),
            None,
            "no source: no header"
        );
        for refused in [
            "integration.response.header.x",
            "context.requestId",
            "method.request.body.x",
            "'unterminated",
            "plain",
        ] {
            assert!(
                Source::parse(refused).unwrap_err().contains("not emulated"),
                "{refused}"
            );
        }
        assert_eq!(request.input_param("id"), Some("7".into()));
        assert_eq!(request.input_param("q"), Some("2".into()));
        assert_eq!(
            request.input_param("Origin"),
            Some("https://a.example".into())
        );
        let parameters = HashMap::from([(
            "gatewayresponse.header.Vary".to_string(),
            "'Origin'".to_string(),
        )]);
        assert_eq!(
            header_mappings(&parameters, "gatewayresponse.header."),
            Ok(vec![("Vary".into(), Source::Static("Origin".into()))])
        );
        assert!(header_mappings(&parameters, "method.response.header.").is_err());
    }
}
