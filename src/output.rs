//! Rendering: results to stdout (text tables or stable JSON), everything else
//! (progress, notes, errors) to stderr.

use std::io::{IsTerminal, Write};

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde_json::{Map, Value};

use crate::cli::OutputFormat;

/// A command's result, in both renderings.
pub struct Outcome {
    pub json: Value,
    pub text: Text,
}

pub enum Text {
    /// A short confirmation line.
    Line(String),
    /// One item as an attribute/value table.
    Item(Map<String, Value>),
    /// Items as a table, with an optional footer line on stderr.
    Items {
        items: Vec<Value>,
        footer: Option<String>,
    },
    /// Rows of label/value pairs.
    Rows(Vec<(String, String)>),
    /// Any JSON value, pretty-printed.
    Value(Value),
    /// The command printed its own output (completions).
    Nothing,
}

impl Outcome {
    pub fn line(json: Value, line: impl Into<String>) -> Self {
        Outcome {
            json,
            text: Text::Line(line.into()),
        }
    }
}

pub struct Printer {
    pub format: OutputFormat,
    pub quiet: bool,
    pub verbose: u8,
}

impl Printer {
    pub fn new(format: Option<OutputFormat>, quiet: bool, verbose: u8) -> Self {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            console::set_colors_enabled(false);
            console::set_colors_enabled_stderr(false);
        }
        let format = format.unwrap_or(if std::io::stdout().is_terminal() {
            OutputFormat::Text
        } else {
            OutputFormat::Json
        });
        Printer {
            format,
            quiet,
            verbose,
        }
    }

    pub fn is_json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    /// Progress and notes (stderr; silenced by -q).
    pub fn info(&self, message: impl std::fmt::Display) {
        if !self.quiet {
            stderr_line(&printable(&message.to_string()));
        }
    }

    /// Detail for -v (level 1) or -vv (level 2).
    pub fn detail(&self, level: u8, message: impl std::fmt::Display) {
        if self.verbose >= level {
            let text = printable(&message.to_string()).into_owned();
            stderr_line(&console::style(text).dim().to_string());
        }
    }

    pub fn warn(&self, message: impl std::fmt::Display) {
        let text = printable(&message.to_string()).into_owned();
        stderr_line(&format!(
            "{} {text}",
            console::style("warning:").yellow().bold()
        ));
    }

    pub fn error(&self, err: &anyhow::Error) {
        let message = format!("{err:#}");
        if self.is_json() {
            let doc = serde_json::json!({
                "error": {"kind": crate::error::kind_for(err), "message": message}
            });
            stderr_line(&doc.to_string());
        } else {
            let text = printable(&message).into_owned();
            stderr_line(&format!("{} {text}", console::style("error:").red().bold()));
        }
    }

    pub fn emit(&self, outcome: &Outcome) {
        if matches!(outcome.text, Text::Nothing) {
            return;
        }
        let mut out = std::io::stdout().lock();
        let result = if self.is_json() {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&outcome.json).expect("JSON value")
            )
        } else {
            match &outcome.text {
                Text::Line(line) => writeln!(out, "{}", printable(line)),
                Text::Item(item) => writeln!(out, "{}", item_table(item)),
                Text::Items { items, footer } => {
                    let r = if items.is_empty() {
                        writeln!(out, "(no items)")
                    } else {
                        writeln!(out, "{}", items_table(items))
                    };
                    if let Some(footer) = footer {
                        self.info(footer);
                    }
                    r
                }
                Text::Rows(rows) => {
                    let mut table = new_table();
                    for (label, value) in rows {
                        table.add_row(vec![printable(label), printable(value)]);
                    }
                    writeln!(out, "{table}")
                }
                // JSON escapes control characters itself.
                Text::Value(value) => {
                    writeln!(
                        out,
                        "{}",
                        serde_json::to_string_pretty(value).expect("JSON value")
                    )
                }
                Text::Nothing => Ok(()),
            }
        };
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = result.and_then(|_| out.flush());
    }
}

fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table
}

/// Text of one attribute value: strings bare (control characters escaped,
/// so stored data cannot drive the terminal), numbers exact, the rest compact JSON.
pub fn cell(value: &Value) -> String {
    match value {
        Value::String(s) => printable(s).into_owned(),
        other => other.to_string(),
    }
}

/// `text` safe for a terminal: control characters (C0 but newline and tab,
/// DEL, C1) and bidirectional overrides are shown escaped (`\u{1b}`) instead
/// of being interpreted. JSON output is not passed through this: it is exact.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// One line on stderr. A closed stderr (`2>&-`, a pipe whose reader left)
/// is ignored rather than panicking as `eprintln!` does.
pub fn stderr_line(line: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{line}");
}

fn item_table(item: &Map<String, Value>) -> Table {
    let mut table = new_table();
    table.set_header(vec!["attribute", "value"]);
    for (name, value) in item {
        table.add_row(vec![printable(name).into_owned(), cell(value)]);
    }
    table
}

/// Columns: every attribute seen, `id` first, then in order of appearance.
fn items_table(items: &[Value]) -> Table {
    let mut columns: Vec<String> = Vec::new();
    for item in items {
        if let Some(map) = item.as_object() {
            for name in map.keys() {
                if !columns.contains(name) {
                    columns.push(name.clone());
                }
            }
        }
    }
    if let Some(pos) = columns.iter().position(|c| c == "id") {
        let id = columns.remove(pos);
        columns.insert(0, id);
    }
    let mut table = new_table();
    table.set_header(columns.iter().map(|c| printable(c).into_owned()));
    for item in items {
        let row: Vec<String> = columns
            .iter()
            .map(|c| item.get(c).map(cell).unwrap_or_default())
            .collect();
        table.add_row(row);
    }
    table
}

/// One line per step: a spinner while it runs on a terminal, a plain line
/// when it ends otherwise; nothing with -q.
pub struct Step {
    bar: Option<indicatif::ProgressBar>,
    label: String,
    quiet: bool,
}

impl Printer {
    pub fn step(&self, label: impl Into<String>) -> Step {
        let label = label.into();
        let bar = (!self.quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg}").expect("template"),
            );
            bar.set_message(label.clone());
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar
        });
        Step {
            bar,
            label,
            quiet: self.quiet,
        }
    }
}

impl Step {
    /// The step ended; `outcome` says how ("created", "exists", ...).
    pub fn done(self, outcome: impl std::fmt::Display) {
        let line = format!("{} {}: {outcome}", console::style("✓").green(), self.label);
        match self.bar {
            Some(bar) => bar.finish_with_message(line),
            None if !self.quiet => stderr_line(&line),
            None => {}
        }
    }

    pub fn failed(self, outcome: impl std::fmt::Display) {
        let line = format!("{} {}: {outcome}", console::style("✗").red(), self.label);
        match self.bar {
            Some(bar) => bar.abandon_with_message(line),
            None => stderr_line(&line),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_interpreted() {
        assert_eq!(printable("plain\ttext\nok"), "plain\ttext\nok");
        assert_eq!(
            printable("\u{1b}]0;pwned\u{7}\u{1b}[2J"),
            "\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"
        );
        assert_eq!(
            printable("a\u{9b}b\u{202e}c\rd"),
            "a\\u{9b}b\\u{202e}c\\u{d}d"
        );
        assert_eq!(
            cell(&Value::String("\u{1b}[31mred".into())),
            "\\u{1b}[31mred"
        );
    }
}
