//! The small subset of API Gateway's mapping-template language (VTL) that
//! the local gateway evaluates, parsed when the API is loaded: text lines
//! without references, and whole-line directives —
//! `#set($v = EXPR)`, `#set($context.responseOverride.header.NAME = EXPR)`,
//! `#set($context.responseOverride.status = N)`, `#if(COND)` / `#else` /
//! `#end` and `##` comments — where EXPR is `$input.params("x")`, `$v`, a
//! string or a number, and COND is `A == B` joined by `||`. A line holding
//! only a directive renders nothing (its newline included), so a template
//! of directives renders an empty body. Anything else is refused when the
//! template is parsed, with the construct named: never rendered wrongly.

use std::collections::HashMap;

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Set(Target, Expr),
    /// Alternatives joined by `||`, each `A == B`.
    If(Vec<(Expr, Expr)>, Vec<Node>, Vec<Node>),
}

/// An `#if` being parsed: its condition, its branch, its `#else` branch.
type OpenIf = (Vec<(Expr, Expr)>, Vec<Node>, Option<Vec<Node>>);

#[derive(Debug, Clone, PartialEq)]
enum Target {
    Var(String),
    Header(String),
    Status,
}

#[derive(Debug, Clone, PartialEq)]
enum Expr {
    Literal(String),
    Var(String),
    /// `$input.params("x")`
    Param(String),
}

/// What a rendering produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub body: String,
    /// `$context.responseOverride.status`
    pub status: Option<u16>,
    /// `$context.responseOverride.header.NAME`, in the order set.
    pub headers: Vec<(String, String)>,
}

/// Why a template is refused.
pub type Unsupported = String;

fn unsupported(what: &str, line: &str) -> Unsupported {
    format!("{what} is not emulated (template line {:?})", line.trim())
}

impl Template {
    pub fn parse(text: &str) -> Result<Template, Unsupported> {
        let mut stack: Vec<OpenIf> = Vec::new();
        let mut top: Vec<Node> = Vec::new();
        for line in text.split_inclusive('\n') {
            let trimmed = line.trim();
            let current = match stack.last_mut() {
                Some((_, _, Some(other))) => other,
                Some((_, then, None)) => then,
                None => &mut top,
            };
            if !trimmed.starts_with('#') {
                check_text(line)?;
                current.push(Node::Text(line.to_string()));
                continue;
            }
            if trimmed.starts_with("##") {
                continue;
            }
            if let Some(inner) = directive(trimmed, "#set")? {
                current.push(parse_set(inner, line)?);
            } else if let Some(inner) = directive(trimmed, "#if")? {
                stack.push((parse_condition(inner, line)?, Vec::new(), None));
            } else if trimmed == "#else" {
                match stack.last_mut() {
                    Some((_, _, other @ None)) => *other = Some(Vec::new()),
                    _ => return Err(unsupported("an #else without its #if", line)),
                }
            } else if trimmed == "#end" {
                let (condition, then, other) = stack
                    .pop()
                    .ok_or_else(|| unsupported("an #end without its #if", line))?;
                let node = Node::If(condition, then, other.unwrap_or_default());
                match stack.last_mut() {
                    Some((_, _, Some(other))) => other.push(node),
                    Some((_, then, None)) => then.push(node),
                    None => top.push(node),
                }
            } else {
                return Err(unsupported("this directive", line));
            }
        }
        if !stack.is_empty() {
            return Err("an #if without its #end is not a template".into());
        }
        Ok(Template { nodes: top })
    }

    /// Renders with `params` answering `$input.params(x)` (None: the
    /// request has no such parameter, which renders as an empty string).
    pub fn render(&self, params: &dyn Fn(&str) -> Option<String>) -> Result<Rendered, String> {
        let mut out = Rendered::default();
        let mut vars = HashMap::new();
        run(&self.nodes, params, &mut vars, &mut out)?;
        Ok(out)
    }
}

/// Text may not hold references or directives (`$x`, `#x`): they would
/// need VTL's full grammar.
fn check_text(line: &str) -> Result<(), Unsupported> {
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        let next = bytes.get(i + 1).copied().unwrap_or(b' ');
        let starts = next.is_ascii_alphabetic() || next == b'{' || next == b'!' || next == b'#';
        if *b == b'$' && starts {
            return Err(unsupported("a reference inside text", line));
        }
        if *b == b'#' && starts {
            return Err(unsupported("a directive inside a line of text", line));
        }
    }
    Ok(())
}

/// `#name(inner)` as the whole line: Some(inner); another directive: None.
fn directive<'a>(line: &'a str, name: &str) -> Result<Option<&'a str>, Unsupported> {
    let Some(rest) = line.strip_prefix(name) else {
        return Ok(None);
    };
    let rest = rest.trim_start();
    if !rest.starts_with('(') {
        if rest
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            return Ok(None); // #setx, #ifnot, #elseif...
        }
        return Err(unsupported("a directive without parentheses", line));
    }
    let inner = rest[1..]
        .strip_suffix(')')
        .ok_or_else(|| unsupported("text after a directive", line))?;
    Ok(Some(inner))
}

fn parse_set(inner: &str, line: &str) -> Result<Node, Unsupported> {
    let (lhs, rhs) = inner
        .split_once('=')
        .ok_or_else(|| unsupported("a #set without =", line))?;
    let lhs = lhs.trim();
    let target = if lhs == "$context.responseOverride.status" {
        Target::Status
    } else if let Some(name) = lhs.strip_prefix("$context.responseOverride.header.") {
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(unsupported("this header name", line));
        }
        Target::Header(name.to_string())
    } else if let Some(name) = lhs.strip_prefix('$').filter(|n| is_identifier(n)) {
        Target::Var(name.to_string())
    } else {
        return Err(unsupported("this #set target", line));
    };
    let mut tokens = tokenize(rhs, line)?;
    let expr = match tokens.as_slice() {
        [Token::Operand(_)] => match tokens.pop() {
            Some(Token::Operand(e)) => e,
            _ => unreachable!(),
        },
        _ => return Err(unsupported("this expression", line)),
    };
    Ok(Node::Set(target, expr))
}

fn parse_condition(inner: &str, line: &str) -> Result<Vec<(Expr, Expr)>, Unsupported> {
    let tokens = tokenize(inner, line)?;
    let mut alternatives = Vec::new();
    for group in tokens.split(|t| *t == Token::Or) {
        match group {
            [Token::Operand(a), Token::Equals, Token::Operand(b)] => {
                alternatives.push((a.clone(), b.clone()));
            }
            _ => return Err(unsupported("a condition other than A == B || ...", line)),
        }
    }
    Ok(alternatives)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Operand(Expr),
    Equals,
    Or,
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A quoted string at the start of `text`: (its content, the rest).
fn quoted<'a>(text: &'a str, line: &str) -> Result<(String, &'a str), Unsupported> {
    let quote = text.chars().next().unwrap_or('"');
    let end = text[1..]
        .find(quote)
        .ok_or_else(|| unsupported("an unterminated string", line))?;
    let content = &text[1..1 + end];
    // Double-quoted VTL strings interpolate references; escapes differ.
    if content.contains(['$', '#', '\\']) {
        return Err(unsupported("a string with $, # or \\", line));
    }
    Ok((content.to_string(), &text[end + 2..]))
}

fn tokenize(text: &str, line: &str) -> Result<Vec<Token>, Unsupported> {
    let mut tokens = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("==") {
            tokens.push(Token::Equals);
            rest = after;
        } else if let Some(after) = rest.strip_prefix("||") {
            tokens.push(Token::Or);
            rest = after;
        } else if rest.starts_with('"') || rest.starts_with('\'') {
            let (content, after) = quoted(rest, line)?;
            tokens.push(Token::Operand(Expr::Literal(content)));
            rest = after;
        } else if let Some(after) = rest.strip_prefix("$input.params(") {
            let after = after.trim_start();
            if !(after.starts_with('"') || after.starts_with('\'')) {
                return Err(unsupported("$input.params without a quoted name", line));
            }
            let (name, after) = quoted(after, line)?;
            rest = after
                .trim_start()
                .strip_prefix(')')
                .ok_or_else(|| unsupported("$input.params with more than a name", line))?;
            tokens.push(Token::Operand(Expr::Param(name)));
        } else if let Some(after) = rest.strip_prefix('$') {
            let len = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(after.len());
            let name = &after[..len];
            if !is_identifier(name) || after[len..].starts_with(['.', '(', '[']) {
                return Err(unsupported("this reference", line));
            }
            tokens.push(Token::Operand(Expr::Var(name.to_string())));
            rest = &after[len..];
        } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
            let len = rest
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(rest.len());
            tokens.push(Token::Operand(Expr::Literal(rest[..len].to_string())));
            rest = &rest[len..];
        } else {
            return Err(unsupported("this operator or operand", line));
        }
        rest = rest.trim_start();
    }
    Ok(tokens)
}

fn value(
    expr: &Expr,
    params: &dyn Fn(&str) -> Option<String>,
    vars: &HashMap<String, String>,
) -> Option<String> {
    match expr {
        Expr::Literal(text) => Some(text.clone()),
        Expr::Var(name) => vars.get(name).cloned(),
        Expr::Param(name) => Some(params(name).unwrap_or_default()),
    }
}

fn run(
    nodes: &[Node],
    params: &dyn Fn(&str) -> Option<String>,
    vars: &mut HashMap<String, String>,
    out: &mut Rendered,
) -> Result<(), String> {
    for node in nodes {
        match node {
            Node::Text(text) => out.body.push_str(text),
            // A #set whose value is null assigns nothing (Velocity).
            Node::Set(target, expr) => match (target, value(expr, params, vars)) {
                (_, None) => {}
                (Target::Var(name), Some(v)) => {
                    vars.insert(name.clone(), v);
                }
                (Target::Header(name), Some(v)) => {
                    out.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                    out.headers.push((name.clone(), v));
                }
                (Target::Status, Some(v)) => {
                    let status = v
                        .parse::<u16>()
                        .ok()
                        .filter(|s| (100..600).contains(s))
                        .ok_or_else(|| format!("responseOverride.status {v:?} is not a status"))?;
                    out.status = Some(status);
                }
            },
            Node::If(alternatives, then, other) => {
                let holds = alternatives
                    .iter()
                    .any(|(a, b)| value(a, params, vars) == value(b, params, vars));
                run(if holds { then } else { other }, params, vars, out)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The template `setup --cors` writes (src/stack/api/cors.rs).
    fn cors_template() -> String {
        crate::stack::api::cors::origin_template(&[
            "https://a.example".to_string(),
            "https://b.example".to_string(),
        ])
    }

    fn render(template: &str, origin: Option<&str>) -> Rendered {
        let origin = origin.map(str::to_string);
        Template::parse(template)
            .unwrap()
            .render(&|name| (name == "Origin").then(|| origin.clone()).flatten())
            .unwrap()
    }

    #[test]
    fn the_cors_template_sets_the_origin_for_listed_origins_only() {
        let listed = render(&cors_template(), Some("https://b.example"));
        assert_eq!(
            listed,
            Rendered {
                body: String::new(),
                status: None,
                headers: vec![(
                    "Access-Control-Allow-Origin".into(),
                    "https://b.example".into()
                )],
            }
        );
        assert_eq!(
            render(&cors_template(), Some("https://c.example")),
            Rendered::default()
        );
        assert_eq!(render(&cors_template(), None), Rendered::default());
    }

    #[test]
    fn text_lines_are_the_body_and_directive_lines_render_nothing() {
        let template = "{\"statusCode\": 200}";
        assert_eq!(render(template, None).body, template);
        let template = "#set($s = 201)\n  #set($context.responseOverride.status = $s)\n{\"a\": 1}\n## note\n#if('x' == \"x\")\nyes\n#else\nno\n#end\n";
        let rendered = render(template, None);
        assert_eq!(
            (rendered.body.as_str(), rendered.status),
            ("{\"a\": 1}\nyes\n", Some(201))
        );
        let template =
            "#if($input.params('Origin') == 'o')\nA\n#else\n#if(1 == 2)\nB\n#else\nC\n#end\n#end\n";
        assert_eq!(render(template, Some("o")).body, "A\n");
        assert_eq!(render(template, Some("p")).body, "C\n");
        assert_eq!(
            Template::parse("#set($context.responseOverride.status = 'x')")
                .unwrap()
                .render(&|_| None)
                .unwrap_err(),
            "responseOverride.status \"x\" is not a status"
        );
    }

    #[test]
    fn anything_outside_the_subset_is_refused_by_name() {
        for (template, named) in [
            ("{\"origin\": \"$origin\"}", "a reference inside text"),
            (
                "{ #if(1 == 1) \"statusCode\": 200 #end }",
                "a directive inside a line",
            ),
            ("#foreach($x in $list)\n#end", "this directive"),
            ("#elseif(1 == 1)", "this directive"),
            ("#if($a != \"b\")\n#end", "this operator or operand"),
            (
                "#if($a == \"b\" && $c == \"d\")\n#end",
                "this operator or operand",
            ),
            ("#if($a)\n#end", "a condition other than"),
            ("#set($a = $input.json('$'))", "this reference"),
            ("#set($a = $util.escapeJavaScript(\"x\"))", "this reference"),
            ("#set($a = \"x$b\")", "a string with"),
            (
                "#set($context.requestOverride.header.x = 'y')",
                "this #set target",
            ),
            ("#set($a = 'b') trailing", "text after a directive"),
            ("#if(1 == 1)\n", "without its #end"),
            ("#end", "an #end without"),
        ] {
            let refused = Template::parse(template).unwrap_err();
            assert!(refused.contains(named), "{template:?}: {refused}");
        }
    }
}
