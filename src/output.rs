//! Rendering: results to stdout (text or stable JSON), everything else
//! (progress, notes, errors) to stderr.
//!
//! A command's result is one type that derives `Serialize` (the JSON) and
//! implements `Display` (the text), so the two cannot drift apart; services
//! report progress through the `Progress` trait and print nothing themselves.

use std::fmt;
use std::io::{IsTerminal, Write};

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::AppError;

/// How results are printed (`-o`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Tables and short confirmations (default on a terminal)
    Text,
    /// Stable JSON on stdout (default when stdout is not a terminal)
    Json,
}

/// A printable result: JSON for `-o json`, text for `-o text`.
pub trait Report: fmt::Display {
    fn to_json(&self) -> Value;
    /// A line for stderr after the text (a footer such as "more remain").
    fn note(&self) -> Option<String> {
        None
    }
}

impl<T: Serialize + fmt::Display> Report for T {
    fn to_json(&self) -> Value {
        serde_json::to_value(self).expect("reports serialise")
    }
}

/// What a command returns: a report to print (if any) and, for partial
/// results (seed with rejects, status with drift, teardown with leftovers),
/// the failure that decides the exit code. Only `main` prints them.
pub struct Outcome {
    pub report: Option<Box<dyn Report>>,
    pub failure: Option<AppError>,
}

impl Outcome {
    pub fn ok(report: impl Report + 'static) -> Self {
        Outcome {
            report: Some(Box::new(report)),
            failure: None,
        }
    }

    /// A report printed, then `failure` reported and its exit code used.
    pub fn failed(report: impl Report + 'static, failure: AppError) -> Self {
        Outcome {
            report: Some(Box::new(report)),
            failure: Some(failure),
        }
    }

    /// The command wrote its own output (completions).
    pub fn printed() -> Self {
        Outcome {
            report: None,
            failure: None,
        }
    }
}

/// Any JSON value: pretty JSON in both renderings (echo, send, dry runs).
#[derive(Serialize)]
#[serde(transparent)]
pub struct JsonReport(pub Value);

impl fmt::Display for JsonReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // JSON escapes control characters itself.
        write!(
            f,
            "{}",
            serde_json::to_string_pretty(&self.0).expect("JSON value")
        )
    }
}

/// How services report progress: a step that ends done or failed, notes,
/// and a meter for long jobs.
pub trait Progress: Sync {
    fn step(&self, label: &str) -> Step;
    fn note(&self, message: &str);
    fn warn(&self, message: &str);
    /// A meter reading `read` a few times a second (see `Meter`).
    fn meter(&self, spec: MeterSpec, read: Reading) -> Meter;
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
    pub fn info(&self, message: impl fmt::Display) {
        if !self.quiet {
            stderr_line(&printable(&message.to_string()));
        }
    }

    /// Detail for -v (level 1) or -vv (level 2).
    pub fn detail(&self, level: u8, message: impl fmt::Display) {
        if self.verbose >= level {
            let text = printable(&message.to_string()).into_owned();
            stderr_line(&console::style(text).dim().to_string());
        }
    }

    pub fn warn(&self, message: impl fmt::Display) {
        let text = printable(&message.to_string()).into_owned();
        stderr_line(&format!(
            "{} {text}",
            console::style("warning:").yellow().bold()
        ));
    }

    /// An error on stderr: `{"error": {"kind", "message", "hint"}}` with
    /// `-o json`, else the message and a hint line.
    pub fn error(&self, err: &AppError) {
        let message = err.to_string();
        let hint = err.help();
        if self.is_json() {
            let doc = serde_json::json!({
                "error": {"kind": err.kind(), "message": message, "hint": hint}
            });
            stderr_line(&doc.to_string());
        } else {
            let text = printable(&message).into_owned();
            stderr_line(&format!("{} {text}", console::style("error:").red().bold()));
            if let Some(hint) = hint {
                stderr_line(&format!(
                    "{} {}",
                    console::style("hint:").bold(),
                    printable(&hint)
                ));
            }
        }
    }

    /// Prints a command's report on stdout.
    pub fn emit(&self, report: &dyn Report) {
        self.emit_to(report, &mut std::io::stdout().lock());
    }

    /// Prints a report on stderr: for commands whose stdout is data
    /// (`export --file -`).
    pub fn emit_to_stderr(&self, report: &dyn Report) {
        if !self.quiet {
            self.emit_to(report, &mut std::io::stderr().lock());
        }
    }

    fn emit_to(&self, report: &dyn Report, out: &mut dyn Write) {
        let result = if self.is_json() {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&report.to_json()).expect("JSON value")
            )
        } else {
            let r = writeln!(out, "{report}");
            if let Some(note) = report.note() {
                self.info(note);
            }
            r
        };
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = result.and_then(|_| out.flush());
    }
}

impl Progress for Printer {
    fn step(&self, label: &str) -> Step {
        Printer::step(self, label)
    }
    fn meter(&self, spec: MeterSpec, read: Reading) -> Meter {
        Meter::start(spec, read, !self.quiet)
    }
    fn note(&self, message: &str) {
        self.info(message)
    }
    fn warn(&self, message: &str) {
        Printer::warn(self, message)
    }
}

/// Progress that shows nothing (work in the background, such as healing).
pub struct Silent;

impl Progress for Silent {
    fn step(&self, label: &str) -> Step {
        Step::silent(label)
    }
    fn note(&self, _: &str) {}
    fn warn(&self, _: &str) {}
    fn meter(&self, spec: MeterSpec, read: Reading) -> Meter {
        Meter::start(spec, read, false)
    }
}

// ------------------------------------------------------------------ meter

/// What a meter counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Input bytes read (seed): a percentage and an ETA.
    Bytes,
    /// Items written (export), against an approximate total.
    Items,
}

pub struct MeterSpec {
    /// The job's name, before each plain line ("seed", "export").
    pub label: &'static str,
    pub unit: Unit,
    /// How many there are in all, when known.
    pub total: Option<u64>,
}

/// A meter's reading: the position (in the spec's unit) and a message.
pub type Reading = Box<dyn Fn() -> (u64, String) + Send + Sync>;

/// The one progress display of long jobs: a bar on a terminal, a plain line
/// every 5 s otherwise, nothing when quiet.
pub struct Meter {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    wake: std::sync::Arc<tokio::sync::Notify>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Meter {
    fn start(spec: MeterSpec, read: Reading, visible: bool) -> Meter {
        use std::sync::atomic::{AtomicBool, Ordering};
        let done = std::sync::Arc::new(AtomicBool::new(false));
        let wake = std::sync::Arc::new(tokio::sync::Notify::new());
        if !visible {
            return Meter {
                done,
                wake,
                task: None,
            };
        }
        let (finished, woken) = (done.clone(), wake.clone());
        let bar = std::io::stderr().is_terminal().then(|| meter_bar(&spec));
        let task = tokio::spawn(async move {
            let mut last_line = std::time::Instant::now();
            loop {
                let period = std::time::Duration::from_millis(200);
                let _ = tokio::time::timeout(period, woken.notified()).await;
                let (position, message) = read();
                if let Some(bar) = &bar {
                    bar.set_position(position);
                    bar.set_message(message);
                } else if last_line.elapsed() >= std::time::Duration::from_secs(5) {
                    stderr_line(&format!("{}: {message}", spec.label));
                    last_line = std::time::Instant::now();
                }
                if finished.load(Ordering::SeqCst) {
                    if let Some(bar) = &bar {
                        bar.finish_and_clear();
                    }
                    return;
                }
            }
        });
        Meter {
            done,
            wake,
            task: Some(task),
        }
    }

    /// Takes a last reading and clears the bar.
    pub async fn finish(self) {
        self.done.store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_one();
        if let Some(task) = self.task {
            let _ = task.await;
        }
    }
}

fn meter_bar(spec: &MeterSpec) -> indicatif::ProgressBar {
    let total = spec.total.filter(|n| *n > 0);
    let bar = match total {
        Some(n) => indicatif::ProgressBar::new(n),
        None => indicatif::ProgressBar::new_spinner(),
    };
    let template = match (spec.unit, total.is_some()) {
        (Unit::Bytes, true) => {
            "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% ETA {eta} {msg}"
        }
        (Unit::Items, true) => "{spinner} [{elapsed_precise}] {wide_bar} {pos}/~{len} items {msg}",
        (_, false) => "{spinner} [{elapsed_precise}] {msg}",
    };
    bar.set_style(indicatif::ProgressStyle::with_template(template).expect("valid template"));
    bar
}

// ------------------------------------------------------------------ text rendering

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

/// A byte count for people: `512 B`, `1 KB`, `1.5 MB`, `2 GB` (powers of 1000,
/// as `--backup-max` reads them).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 4] = [
        ("TB", 1_000_000_000_000),
        ("GB", 1_000_000_000),
        ("MB", 1_000_000),
        ("KB", 1_000),
    ];
    for (unit, size) in UNITS {
        if n >= size {
            let value = n as f64 / size as f64;
            let text = format!("{value:.1}");
            return format!("{} {unit}", text.trim_end_matches(".0"));
        }
    }
    format!("{n} B")
}

/// Label/value rows as a table.
pub fn rows_table(rows: &[(String, String)]) -> Table {
    let mut table = new_table();
    for (label, value) in rows {
        table.add_row(vec![printable(label), printable(value)]);
    }
    table
}

/// One item as an attribute/value table.
pub fn item_table(item: &Map<String, Value>) -> Table {
    let mut table = new_table();
    table.set_header(vec!["attribute", "value"]);
    for (name, value) in item {
        table.add_row(vec![printable(name).into_owned(), cell(value)]);
    }
    table
}

/// Items as a table. Columns: every attribute seen, `id` first, then in
/// order of appearance.
pub fn items_table(items: &[Value]) -> Table {
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

// ------------------------------------------------------------------ steps

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
    /// A step that shows nothing unless it fails.
    pub fn silent(label: &str) -> Step {
        Step {
            bar: None,
            label: label.to_string(),
            quiet: true,
        }
    }

    /// The step ended; `outcome` says how ("created", "exists", ...).
    pub fn done(self, outcome: impl fmt::Display) {
        let line = format!("{} {}: {outcome}", console::style("✓").green(), self.label);
        match self.bar {
            Some(bar) => bar.finish_with_message(line),
            None if !self.quiet => stderr_line(&line),
            None => {}
        }
    }

    pub fn failed(self, outcome: impl fmt::Display) {
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
    fn byte_counts_read_as_people_write_them() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1_000), "1 KB");
        assert_eq!(human_bytes(1_500_000), "1.5 MB");
        assert_eq!(human_bytes(1_000_000_000), "1 GB");
    }

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

    #[derive(Serialize)]
    struct Sample {
        name: String,
    }

    impl fmt::Display for Sample {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "name {}", self.name)
        }
    }

    #[test]
    fn one_type_gives_both_renderings() {
        let s = Sample { name: "x".into() };
        assert_eq!(s.to_json(), serde_json::json!({"name": "x"}));
        assert_eq!(s.to_string(), "name x");
    }
}
