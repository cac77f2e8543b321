//! Streaming readers: one record at a time, constant memory whatever the
//! file size. A malformed record is returned as such (to be rejected), never
//! dropped; only an unreadable file stops the reader.

use std::io::{BufRead, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::error::AppError;
use crate::event::{typed_value, ValueType};

pub use crate::formats::Format;

/// One input record.
#[derive(Debug)]
pub struct Record {
    /// 1-based ordinal among the records of the input.
    pub no: u64,
    /// Line where the record starts.
    pub line: u64,
    /// The record as read (for the rejects file).
    pub raw: String,
    /// The item, or why it is not one.
    pub item: Result<Map<String, Value>, String>,
}

/// Column types for CSV: `age:n,active:bool,tags:json` (others are strings).
pub fn parse_types(spec: &str) -> Result<Vec<(String, ValueType)>, AppError> {
    let mut types = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, ty) = part.rsplit_once(':').ok_or_else(|| {
            AppError::usage(format!(
                "--types `{part}`: expected COLUMN:TYPE (TYPE: s, n, bool, null, json)"
            ))
        })?;
        let ty = match ty {
            "s" | "S" | "string" => ValueType::String,
            "n" | "N" | "number" => ValueType::Number,
            "bool" | "BOOL" => ValueType::Bool,
            "null" | "NULL" => ValueType::Null,
            "json" => ValueType::Json,
            other => {
                return Err(AppError::usage(format!(
                    "--types `{part}`: unknown type `{other}` (s, n, bool, null, json)"
                )))
            }
        };
        types.push((name.to_string(), ty));
    }
    Ok(types)
}

pub type Records = Box<dyn Iterator<Item = Result<Record, AppError>> + Send>;

/// A reader for `format` over `input`. `source` names the input in messages.
pub fn records(
    format: Format,
    input: Box<dyn BufRead + Send>,
    source: String,
    types: Vec<(String, ValueType)>,
) -> Result<Records, AppError> {
    Ok(match format {
        Format::Jsonl | Format::DdbJsonl => Box::new(JsonLines {
            input,
            source,
            line: 0,
            no: 0,
            buf: Vec::new(),
            typed: format == Format::DdbJsonl,
        }),
        Format::Json => Box::new(JsonArray::new(input, source)),
        Format::Csv => Box::new(CsvRecords::new(input, source, types)?),
    })
}

fn to_item(value: Value) -> Result<Map<String, Value>, String> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(format!(
            "not a JSON object (got {})",
            crate::event::json_type(&other)
        )),
    }
}

fn parse_item(text: &str) -> Result<Map<String, Value>, String> {
    serde_json::from_str::<Value>(text)
        .map_err(|e| format!("invalid JSON: {e}"))
        .and_then(to_item)
}

/// A DynamoDB JSON line: `{"Item": {...}}` (AWS's export) or a bare
/// attribute map, checked to be DynamoDB JSON; kept typed.
fn parse_typed_item(text: &str) -> Result<Map<String, Value>, String> {
    let mut map = parse_item(text)?;
    if map.len() == 1 {
        if let Some(Value::Object(_)) = map.get("Item") {
            let Some(Value::Object(inner)) = map.remove("Item") else {
                unreachable!("checked above")
            };
            map = inner;
        }
    }
    crate::ddb_json::item_from_json(&map).map_err(|e| format!("not DynamoDB JSON: {e}"))?;
    Ok(map)
}

// ------------------------------------------------------------------ JSONL

struct JsonLines {
    input: Box<dyn BufRead + Send>,
    source: String,
    line: u64,
    no: u64,
    buf: Vec<u8>,
    /// DynamoDB JSON lines (`ddb-jsonl`).
    typed: bool,
}

impl Iterator for JsonLines {
    type Item = Result<Record, AppError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.buf.clear();
            match self.input.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    return Some(Err(AppError::usage(format!(
                        "{}: read error after line {}: {e}",
                        self.source, self.line
                    ))))
                }
            }
            self.line += 1;
            let (raw, item) = match std::str::from_utf8(&self.buf) {
                Ok(text) => {
                    let text = text.trim();
                    if text.is_empty() {
                        continue; // blank lines are not records
                    }
                    let item = if self.typed {
                        parse_typed_item(text)
                    } else {
                        parse_item(text)
                    };
                    (text.to_string(), item)
                }
                Err(e) => (
                    String::from_utf8_lossy(&self.buf).trim().to_string(),
                    Err(format!("not UTF-8: {e}")),
                ),
            };
            self.no += 1;
            return Some(Ok(Record {
                no: self.no,
                line: self.line,
                raw,
                item,
            }));
        }
    }
}

// ------------------------------------------------------------------ JSON array

/// Splits a top-level JSON array into element texts by tracking nesting and
/// strings, so each element is parsed (and can fail) on its own. Reads the
/// buffer a chunk at a time.
struct JsonArray {
    input: Box<dyn BufRead + Send>,
    source: String,
    line: u64,
    no: u64,
    state: ArrayState,
}

#[derive(PartialEq)]
enum ArrayState {
    Start,
    Elements,
    Done,
}

/// Most of the text after the closing `]` kept in a reject.
const TRAILING_PREVIEW: usize = 4096;

impl JsonArray {
    fn new(input: Box<dyn BufRead + Send>, source: String) -> Self {
        JsonArray {
            input,
            source,
            line: 1,
            no: 0,
            state: ArrayState::Start,
        }
    }

    fn read_error(&self, e: std::io::Error) -> AppError {
        AppError::usage(format!(
            "{}: read error at line {}: {e}",
            self.source, self.line
        ))
    }

    /// The next byte without consuming it.
    fn peek(&mut self) -> Result<Option<u8>, AppError> {
        loop {
            match self.input.fill_buf() {
                Ok(buf) => return Ok(buf.first().copied()),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.read_error(e)),
            }
        }
    }

    fn next_byte(&mut self) -> Result<Option<u8>, AppError> {
        let b = self.peek()?;
        if let Some(b) = b {
            self.input.consume(1);
            if b == b'\n' {
                self.line += 1;
            }
        }
        Ok(b)
    }

    fn skip_ws(&mut self) -> Result<Option<u8>, AppError> {
        loop {
            // Whitespace runs are skipped a buffer at a time.
            let (skip, newlines, next) = loop {
                match self.input.fill_buf() {
                    Ok(buf) => {
                        let skip = buf
                            .iter()
                            .position(|b| !b.is_ascii_whitespace())
                            .unwrap_or(buf.len());
                        let newlines = buf[..skip].iter().filter(|b| **b == b'\n').count();
                        break (skip, newlines, buf.get(skip).copied());
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(self.read_error(e)),
                }
            };
            if skip == 0 && next.is_none() {
                return Ok(None);
            }
            self.input.consume(skip);
            self.line += newlines as u64;
            if let Some(b) = next {
                self.input.consume(1);
                if b == b'\n' {
                    self.line += 1;
                }
                return Ok(Some(b));
            }
        }
    }

    /// Text after the closing `]`: one reject, so the elements are kept and
    /// the input error is reported (exit 7), not a dead end.
    fn trailing(&mut self, first: u8) -> Result<Record, AppError> {
        let line = self.line;
        let mut text = vec![first];
        let mut more = 0u64;
        while let Some(b) = self.next_byte()? {
            if text.len() < TRAILING_PREVIEW {
                text.push(b);
            } else {
                more += 1;
            }
        }
        let mut raw = String::from_utf8_lossy(&text).into_owned();
        if more > 0 {
            raw.push_str(&format!("… ({more} more bytes)"));
        }
        self.no += 1;
        Ok(Record {
            no: self.no,
            line,
            raw,
            item: Err("unexpected text after the closing ] of the JSON array (the elements before it were read)".into()),
        })
    }

    fn step(&mut self) -> Result<Option<Record>, AppError> {
        if self.state == ArrayState::Start {
            match self.skip_ws()? {
                Some(b'[') => self.state = ArrayState::Elements,
                None => {
                    self.state = ArrayState::Done;
                    return Ok(None);
                }
                Some(b) => {
                    let hint = if b == b'{' {
                        "; this looks like a JSON object: for one object per line use --format jsonl"
                    } else {
                        ""
                    };
                    return Err(AppError::usage(format!(
                        "{}: expected a JSON array ([...]) at line {}{hint}",
                        self.source, self.line
                    )));
                }
            }
        }
        if self.state == ArrayState::Done {
            return Ok(None);
        }
        // Skip whitespace and separators up to the next element.
        let first = loop {
            match self.skip_ws()? {
                Some(b',') => continue,
                Some(b']') => {
                    self.state = ArrayState::Done;
                    return match self.skip_ws()? {
                        None => Ok(None),
                        Some(b) => self.trailing(b).map(Some),
                    };
                }
                None => {
                    self.state = ArrayState::Done;
                    return Ok(None); // a missing ] loses nothing: every element was read
                }
                Some(b) => break b,
            }
        };
        let line = self.line;
        let mut text = vec![first];
        let (mut depth, mut in_string, mut escape) = (0i64, first == b'"', false);
        if first == b'{' || first == b'[' {
            depth = 1;
        }
        let complete = loop {
            if depth == 0 && !in_string {
                // A scalar element ends at , or ] (left for the next step).
                match self.peek()? {
                    Some(b',') | Some(b']') | None => break true,
                    Some(b) if b.is_ascii_whitespace() => break true,
                    _ => {}
                }
            }
            let Some(b) = self.next_byte()? else {
                break depth == 0 && !in_string;
            };
            text.push(b);
            if in_string {
                match (escape, b) {
                    (true, _) => escape = false,
                    (false, b'\\') => escape = true,
                    (false, b'"') => in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth -= 1,
                _ => {}
            }
            if depth == 0 && (b == b'}' || b == b']') {
                break true;
            }
        };
        self.no += 1;
        let raw = String::from_utf8_lossy(&text).into_owned();
        let item = if !complete {
            self.state = ArrayState::Done;
            Err("the file ends inside this record (truncated)".to_string())
        } else {
            match std::str::from_utf8(&text) {
                Ok(s) => parse_item(s),
                Err(e) => Err(format!("not UTF-8: {e}")),
            }
        };
        Ok(Some(Record {
            no: self.no,
            line,
            raw,
            item,
        }))
    }
}

impl Iterator for JsonArray {
    type Item = Result<Record, AppError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.step() {
            Ok(Some(record)) => Some(Ok(record)),
            Ok(None) => None,
            Err(e) => {
                self.state = ArrayState::Done;
                Some(Err(e))
            }
        }
    }
}

// ------------------------------------------------------------------ CSV

/// Follows the CSV quoting state (as the csv crate reads it: a quote opens a
/// quoted field only at the start of a field, `""` inside is an escaped
/// quote) to tell whether the input ended inside a quoted field. The csv
/// crate accepts that silently, merging every following row into one field.
struct QuoteTracker<R> {
    inner: R,
    state: QuoteState,
    open_line: u64,
    line: u64,
    ended_quoted: Arc<AtomicU64>,
}

#[derive(Clone, Copy, PartialEq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl<R: Read> Read for QuoteTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n == 0 {
            // 0: not inside quotes at the end; else the line the quote opened on.
            let value = if self.state == QuoteState::Quoted {
                self.open_line
            } else {
                0
            };
            self.ended_quoted.store(value, Ordering::Relaxed);
        }
        for &b in &buf[..n] {
            if b == b'\n' {
                self.line += 1;
            }
            self.state = match (self.state, b) {
                (QuoteState::FieldStart, b'"') => {
                    self.open_line = self.line;
                    QuoteState::Quoted
                }
                (QuoteState::FieldStart | QuoteState::Unquoted, b',' | b'\n' | b'\r') => {
                    QuoteState::FieldStart
                }
                (QuoteState::FieldStart | QuoteState::Unquoted, _) => QuoteState::Unquoted,
                (QuoteState::Quoted, b'"') => QuoteState::QuoteInQuoted,
                (QuoteState::Quoted, _) => QuoteState::Quoted,
                (QuoteState::QuoteInQuoted, b'"') => QuoteState::Quoted,
                (QuoteState::QuoteInQuoted, b',' | b'\n' | b'\r') => QuoteState::FieldStart,
                (QuoteState::QuoteInQuoted, _) => QuoteState::Unquoted,
            };
        }
        Ok(n)
    }
}

type CsvInput = QuoteTracker<Box<dyn BufRead + Send>>;

struct CsvRecords {
    reader: csv::Reader<CsvInput>,
    headers: Vec<String>,
    types: Vec<ValueType>,
    source: String,
    no: u64,
    /// One record of lookahead: the last record is only known to be the
    /// last (and possibly merged by an unterminated quote) after the next read.
    ahead: Option<Result<Record, AppError>>,
    ended_quoted: Arc<AtomicU64>,
    done: bool,
}

impl CsvRecords {
    fn new(
        input: Box<dyn BufRead + Send>,
        source: String,
        types: Vec<(String, ValueType)>,
    ) -> Result<Self, AppError> {
        let ended_quoted = Arc::new(AtomicU64::new(0));
        let tracked = QuoteTracker {
            inner: input,
            state: QuoteState::FieldStart,
            open_line: 0,
            line: 1,
            ended_quoted: ended_quoted.clone(),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(tracked);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| AppError::usage(format!("{source}: cannot read the CSV header row: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        for (i, h) in headers.iter().enumerate() {
            if h.is_empty() {
                return Err(AppError::usage(format!(
                    "{source}: CSV column {} has an empty name",
                    i + 1
                )));
            }
            if headers[..i].contains(h) {
                return Err(AppError::usage(format!(
                    "{source}: CSV column `{h}` appears twice in the header"
                )));
            }
        }
        for (name, _) in &types {
            if !headers.contains(name) {
                return Err(AppError::usage(format!(
                    "--types names column `{name}`, which is not in the CSV header ({})",
                    headers.join(", ")
                )));
            }
        }
        // Header names are literal (`a=b`, `time:utc` are just names); types
        // come from --types only.
        let column_types = headers
            .iter()
            .map(|h| {
                types
                    .iter()
                    .find(|(n, _)| n == h)
                    .map(|(_, t)| *t)
                    .unwrap_or(ValueType::String)
            })
            .collect();
        Ok(CsvRecords {
            reader,
            headers,
            types: column_types,
            source,
            no: 0,
            ahead: None,
            ended_quoted,
            done: false,
        })
    }

    fn item(&self, record: &csv::StringRecord) -> Result<Map<String, Value>, String> {
        if record.len() != self.headers.len() {
            return Err(format!(
                "{} fields, but the header has {} columns",
                record.len(),
                self.headers.len()
            ));
        }
        let mut item = Map::new();
        for ((name, ty), cell) in self.headers.iter().zip(&self.types).zip(record.iter()) {
            if cell.is_empty() {
                continue; // empty cells are omitted, not stored as ""
            }
            let value = typed_value(cell, *ty, name).map_err(|e| format!("column {name}: {e}"))?;
            item.insert(name.clone(), value);
        }
        Ok(item)
    }

    /// The next record from the csv reader (None at the end).
    fn read(&mut self) -> Option<Result<Record, AppError>> {
        let mut record = csv::StringRecord::new();
        match self.reader.read_record(&mut record) {
            Ok(false) => None,
            Ok(true) => {
                self.no += 1;
                let line = record.position().map(|p| p.line()).unwrap_or(0);
                // The raw cells as a JSON object, so a reject shows what was read.
                let raw: Map<String, Value> = self
                    .headers
                    .iter()
                    .zip(record.iter())
                    .map(|(h, c)| (h.clone(), Value::String(c.to_string())))
                    .collect();
                Some(Ok(Record {
                    no: self.no,
                    line,
                    raw: Value::Object(raw).to_string(),
                    item: self.item(&record),
                }))
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                if e.is_io_error() {
                    return Some(Err(AppError::usage(format!(
                        "{}: read error: {e}",
                        self.source
                    ))));
                }
                self.no += 1;
                Some(Ok(Record {
                    no: self.no,
                    line,
                    raw: String::new(),
                    item: Err(format!("CSV error: {e}")),
                }))
            }
        }
    }
}

impl Iterator for CsvRecords {
    type Item = Result<Record, AppError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let current = match self.ahead.take() {
            Some(r) => r,
            None => match self.read() {
                Some(r) => r,
                None => {
                    self.done = true;
                    return None;
                }
            },
        };
        self.ahead = self.read();
        let mut current = current;
        if self.ahead.is_none() {
            self.done = true;
            let open_line = self.ended_quoted.load(Ordering::Relaxed);
            if let (Ok(record), true) = (&mut current, open_line > 0) {
                record.item = Err(format!(
                    "unterminated quoted field: the quote opened on line {open_line} never closes, \
                     so every following line was read into this record; close the quote and seed again"
                ));
            }
        }
        Some(current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(format: Format, text: &str, types: &str) -> Vec<Record> {
        let input: Box<dyn BufRead + Send> =
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec()));
        records(format, input, "test".into(), parse_types(types).unwrap())
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    }

    #[test]
    fn jsonl_keeps_bad_lines_as_records_with_line_numbers() {
        let recs = read(
            Format::Jsonl,
            "{\"id\":\"1\"}\n\n{oops\n[1]\n{\"id\":\"2\",\"n\":1.50}\n",
            "",
        );
        assert_eq!(recs.len(), 4);
        assert_eq!((recs[1].no, recs[1].line), (2, 3));
        assert!(recs[1]
            .item
            .as_ref()
            .unwrap_err()
            .starts_with("invalid JSON"));
        assert!(recs[2]
            .item
            .as_ref()
            .unwrap_err()
            .contains("not a JSON object"));
        assert_eq!(
            Value::Object(recs[3].item.clone().unwrap()).to_string(),
            r#"{"id":"2","n":1.50}"#
        );
    }

    #[test]
    fn json_array_is_split_per_element() {
        let text = "[\n {\"id\": \"a,]}\\\"\", \"x\": [1, {\"y\": 2}]},\n {\"id\": \"b\", },\n 7,\n {\"id\": \"c\"}\n]\n";
        let recs = read(Format::Json, text, "");
        assert_eq!(recs.len(), 4);
        assert_eq!(
            recs[0].item.as_ref().unwrap()["id"],
            Value::String("a,]}\"".into())
        );
        assert_eq!(recs[1].line, 3);
        assert!(recs[1].item.is_err());
        assert!(recs[2]
            .item
            .as_ref()
            .unwrap_err()
            .contains("not a JSON object"));
        assert_eq!(recs[3].item.as_ref().unwrap()["id"], "c");
    }

    #[test]
    fn json_array_truncated_keeps_what_was_read() {
        let recs = read(Format::Json, "[{\"id\":\"1\"},{\"id\":", "");
        assert_eq!(recs.len(), 2);
        assert!(recs[0].item.is_ok());
        assert!(recs[1].item.as_ref().unwrap_err().contains("truncated"));
    }

    #[test]
    fn json_that_is_not_an_array_is_refused() {
        let input: Box<dyn BufRead + Send> = Box::new(std::io::Cursor::new(b"{\"id\":1}".to_vec()));
        let mut r = records(Format::Json, input, "f.json".into(), vec![]).unwrap();
        assert!(r
            .next()
            .unwrap()
            .unwrap_err()
            .to_string()
            .contains("--format jsonl"));
    }

    #[test]
    fn csv_handles_quotes_newlines_types_and_empty_cells() {
        let text = "id,name,age,active,note\n1,\"Rivera, Martha\",31,true,\"two\nlines\"\n2,Nikki,,false,\n3,Bad,notanumber,true,x\n4,Short\n";
        let recs = read(Format::Csv, text, "age:n,active:bool");
        assert_eq!(recs.len(), 4);
        let first = recs[0].item.as_ref().unwrap();
        assert_eq!(
            Value::Object(first.clone()).to_string(),
            r#"{"id":"1","name":"Rivera, Martha","age":31,"active":true,"note":"two\nlines"}"#
        );
        let second = recs[1].item.as_ref().unwrap();
        assert!(!second.contains_key("age") && !second.contains_key("note"));
        assert_eq!(recs[2].line, 5);
        assert!(recs[2].item.as_ref().unwrap_err().contains("column age"));
        assert!(recs[3].item.as_ref().unwrap_err().contains("2 fields"));
    }

    #[test]
    fn json_array_with_trailing_text_keeps_the_elements_and_rejects_the_rest() {
        let recs = read(
            Format::Json,
            "[{\"id\":\"1\"},{\"id\":\"2\"}]\n garbage {\n",
            "",
        );
        assert_eq!(recs.len(), 3);
        assert!(recs[0].item.is_ok() && recs[1].item.is_ok());
        assert!(recs[2]
            .item
            .as_ref()
            .unwrap_err()
            .contains("after the closing ]"));
        assert_eq!((recs[2].line, recs[2].raw.as_str()), (2, "garbage {\n"));
    }

    #[test]
    fn csv_header_names_are_literal() {
        let recs = read(Format::Csv, "id,a=b,x:n,time:utc\n1,xyz,5,12:00\n", "");
        assert_eq!(
            Value::Object(recs[0].item.clone().unwrap()).to_string(),
            r#"{"id":"1","a=b":"xyz","x:n":"5","time:utc":"12:00"}"#
        );
        let recs = read(Format::Csv, "id,x:n\n1,5\n", "x:n:n");
        assert_eq!(recs[0].item.as_ref().unwrap()["x:n"], serde_json::json!(5));
    }

    #[test]
    fn an_unterminated_csv_quote_is_a_reject_not_a_merge() {
        let recs = read(Format::Csv, "id,note\n1,fine\n2,\"oops\n3,x\n4,y\n", "");
        assert_eq!(recs.len(), 2);
        assert!(recs[0].item.is_ok());
        let err = recs[1].item.as_ref().unwrap_err();
        assert!(
            err.contains("unterminated quoted field") && err.contains("line 3"),
            "{err}"
        );
        // Quotes that close, escaped quotes and a quote inside an unquoted field are fine.
        let recs = read(
            Format::Csv,
            "id,note\n1,\"a \"\"q\"\" b\"\n2,5\"\n3,\"x\ny\"\n",
            "",
        );
        assert_eq!(recs.len(), 3);
        assert!(recs.iter().all(|r| r.item.is_ok()), "{recs:?}");
    }

    #[test]
    fn csv_types_must_name_real_columns() {
        let input: Box<dyn BufRead + Send> =
            Box::new(std::io::Cursor::new(b"id,a\n1,2\n".to_vec()));
        let err = records(
            Format::Csv,
            input,
            "f.csv".into(),
            parse_types("b:n").unwrap(),
        )
        .err()
        .unwrap();
        assert!(err.to_string().contains("column `b`"));
    }
}
