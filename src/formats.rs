//! The file formats seed reads and export writes, told from `--format` or
//! the file name (`.gz` on top of any of them means gzip).

/// A data file format.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// A JSON array of objects (streamed, not loaded)
    Json,
    /// One JSON object per line
    Jsonl,
    /// CSV with a header row
    Csv,
    /// DynamoDB JSON, one {"Item": {...}} per line (AWS's S3 export format): every type kept
    #[value(name = "ddb-jsonl")]
    DdbJsonl,
}

impl std::fmt::Display for Format {
    /// As users write it (`--format jsonl`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::DdbJsonl => "ddb-jsonl",
        })
    }
}

impl Format {
    /// From the file name: .json, .jsonl/.ndjson, .csv, .ddb.jsonl (AWS's
    /// export files: .json.gz inside an `AWSDynamoDB/.../data/` folder), each
    /// optionally followed by .gz.
    pub fn from_path(path: &str) -> Option<Format> {
        let lower = path.to_ascii_lowercase();
        if lower.contains("/awsdynamodb/") && lower.ends_with(".json.gz") {
            return Some(Format::DdbJsonl);
        }
        let lower = lower.strip_suffix(".gz").unwrap_or(&lower);
        if lower.ends_with(".ddb.jsonl") || lower.ends_with(".ddb.json") {
            Some(Format::DdbJsonl)
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
            Some(Format::Jsonl)
        } else if lower.ends_with(".json") {
            Some(Format::Json)
        } else if lower.ends_with(".csv") {
            Some(Format::Csv)
        } else {
            None
        }
    }
}

/// Whether `path` is gzip-compressed (by its name).
pub fn is_gzip(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".gz")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_name() {
        assert_eq!(Format::from_path("a.jsonl"), Some(Format::Jsonl));
        assert_eq!(Format::from_path("a.JSONL.gz"), Some(Format::Jsonl));
        assert_eq!(Format::from_path("users.ddb.jsonl"), Some(Format::DdbJsonl));
        assert_eq!(
            Format::from_path("b/users-1.ddb.jsonl.gz"),
            Some(Format::DdbJsonl)
        );
        assert_eq!(
            Format::from_path("x/AWSDynamoDB/0123/data/abc.json.gz"),
            Some(Format::DdbJsonl)
        );
        assert_eq!(Format::from_path("a.json"), Some(Format::Json));
        assert_eq!(Format::from_path("a.csv.gz"), Some(Format::Csv));
        assert_eq!(Format::from_path("a.txt"), None);
        assert!(is_gzip("a.ddb.jsonl.GZ") && !is_gzip("a.jsonl"));
    }
}
