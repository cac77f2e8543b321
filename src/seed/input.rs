//! The seed's input stream: a file or stdin, read once, with
//! - a running SHA-256 of the bytes consumed, saved in the checkpoint, so
//!   `--resume` can prove it reads the same content (a same-size edit within
//!   the same second, or other data on stdin, is refused);
//! - a byte count for the progress bar;
//! - a UTF-8 byte-order mark skipped, whatever the format;
//! - gzip decompressed when the name ends in `.gz`.

use std::io::{BufRead, Read};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// What was consumed of the input: its length and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    pub bytes: u64,
    pub sha256: String,
}

/// Whether the input begins with the content an earlier run consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Nothing to verify (a fresh seed), or verified.
    Verified,
    /// Not enough read yet to tell.
    Pending,
    /// The input differs from what the checkpoint saw.
    Mismatch,
}

struct State {
    bytes: u64,
    hasher: Sha256,
    expected: Option<Fingerprint>,
    verification: Verification,
}

impl State {
    /// Feeds bytes, checking the expected prefix as its end is crossed.
    fn update(&mut self, data: &[u8]) {
        if let (Some(expected), Verification::Pending) = (&self.expected, self.verification) {
            let boundary = expected.bytes.saturating_sub(self.bytes) as usize;
            if boundary <= data.len() {
                self.hasher.update(&data[..boundary]);
                let prefix = hex(&self.hasher.clone().finalize());
                self.verification = if prefix == expected.sha256 {
                    Verification::Verified
                } else {
                    Verification::Mismatch
                };
                self.hasher.update(&data[boundary..]);
                self.bytes += data.len() as u64;
                return;
            }
        }
        self.hasher.update(data);
        self.bytes += data.len() as u64;
    }

    fn at_end(&mut self) {
        if self.verification == Verification::Pending {
            // The input ended before the content the checkpoint saw.
            self.verification = Verification::Mismatch;
        }
    }
}

/// Shared view of the input as it is consumed (the reader thread feeds it;
/// the checkpoint writer and the progress bar read it).
#[derive(Clone)]
pub struct Tracker(Arc<Mutex<State>>);

impl Tracker {
    /// `expected`: the fingerprint of an interrupted run (for --resume).
    pub fn new(expected: Option<Fingerprint>) -> Self {
        let verification = match &expected {
            Some(e) if e.bytes > 0 => Verification::Pending,
            _ => Verification::Verified,
        };
        Tracker(Arc::new(Mutex::new(State {
            bytes: 0,
            hasher: Sha256::new(),
            expected,
            verification,
        })))
    }

    /// What has been read so far; while a resumed run has not yet re-read
    /// the earlier run's content (or read other content), that earlier
    /// fingerprint: it covers more, and the checkpoint must keep it.
    pub fn fingerprint(&self) -> Fingerprint {
        let state = self.0.lock().unwrap();
        if let (Verification::Pending | Verification::Mismatch, Some(expected)) =
            (state.verification, &state.expected)
        {
            return expected.clone();
        }
        Fingerprint {
            bytes: state.bytes,
            sha256: hex(&state.hasher.clone().finalize()),
        }
    }

    pub fn bytes(&self) -> u64 {
        self.0.lock().unwrap().bytes
    }

    pub fn verification(&self) -> Verification {
        self.0.lock().unwrap().verification
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads through, feeding the tracker.
struct Tracked<R> {
    inner: R,
    tracker: Tracker,
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut state = self.tracker.0.lock().unwrap();
        if n == 0 {
            state.at_end();
        } else {
            state.update(&buf[..n]);
        }
        Ok(n)
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Opens `path` (or stdin for `-`) for streaming: (reader, size if known).
/// A leading UTF-8 byte-order mark is skipped.
pub fn open(
    path: &str,
    tracker: Tracker,
) -> Result<(Box<dyn BufRead + Send>, Option<u64>), AppError> {
    let (raw, size): (Box<dyn Read + Send>, Option<u64>) = if path == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| AppError::usage(format!("cannot open {path}: {e}")))?;
        let size = file.metadata().ok().map(|m| m.len());
        (Box::new(file), size)
    };
    let tracked = Tracked {
        inner: raw,
        tracker,
    };
    // Compressed input (`.gz`, one or many gzip members): the fingerprint
    // covers the file's own bytes, the reader sees the decompressed text.
    let mut tracked: Box<dyn Read + Send> = if crate::formats::is_gzip(path) {
        Box::new(flate2::read::MultiGzDecoder::new(std::io::BufReader::new(
            tracked,
        )))
    } else {
        Box::new(tracked)
    };
    // The first three bytes decide whether there is a BOM.
    let mut head = Vec::with_capacity(3);
    while head.len() < 3 {
        let mut byte = [0u8; 3];
        let want = 3 - head.len();
        match tracked.read(&mut byte[..want]) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(&byte[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(AppError::usage(format!("cannot read {path}: {e}"))),
        }
    }
    if head == BOM {
        head.clear();
    }
    let chained = std::io::Cursor::new(head).chain(tracked);
    Ok((
        Box::new(std::io::BufReader::with_capacity(1 << 16, chained)),
        size,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(text: &[u8], tracker: Tracker) -> Vec<u8> {
        let dir = std::env::temp_dir().join(format!("scrud-input-{}", rand::random::<u64>()));
        std::fs::write(&dir, text).unwrap();
        let (mut reader, _) = open(dir.to_str().unwrap(), tracker).unwrap();
        let mut out = Vec::new();
        reader.read_to_end(&mut out).unwrap();
        std::fs::remove_file(dir).unwrap();
        out
    }

    #[test]
    fn a_bom_is_skipped_and_the_fingerprint_covers_the_raw_bytes() {
        let tracker = Tracker::new(None);
        assert_eq!(
            drain(b"\xEF\xBB\xBF{\"id\":1}\n", tracker.clone()),
            b"{\"id\":1}\n"
        );
        assert_eq!(tracker.fingerprint().bytes, 12);
        let tracker = Tracker::new(None);
        assert_eq!(drain(b"ab", tracker), b"ab");
    }

    #[test]
    fn resume_verifies_the_consumed_prefix() {
        let original = b"{\"id\":\"1\"}\n{\"id\":\"2\"}\n{\"id\":\"3\"}\n";
        let first = Tracker::new(None);
        first.0.lock().unwrap().update(&original[..22]);
        let saved = first.fingerprint();
        assert_eq!(saved.bytes, 22);

        let same = Tracker::new(Some(saved.clone()));
        drain(original, same.clone());
        assert_eq!(same.verification(), Verification::Verified);

        let mut edited = original.to_vec();
        edited[8] = b'9'; // same size, other content
        let changed = Tracker::new(Some(saved.clone()));
        drain(&edited, changed.clone());
        assert_eq!(changed.verification(), Verification::Mismatch);

        let short = Tracker::new(Some(saved));
        drain(&original[..10], short.clone());
        assert_eq!(short.verification(), Verification::Mismatch);
    }
}
