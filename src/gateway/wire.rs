//! Request heads as they came on the wire: header names in the client's
//! spelling and in their order. hyper lower-cases header names, and the
//! extension its `preserve_header_case` option fills (`HeaderCaseMap`) is
//! private to hyper (`pub(crate)` in hyper 1.x), so the connection's bytes
//! are read through a tap that parses each request head with `httparse`
//! (hyper's own parser) and skips its body (Content-Length or chunked). The
//! service takes the heads in order; a head the tap could not follow
//! (anything hyper would refuse anyway) falls back to hyper's names.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// One header line: (name as sent, value).
pub type WireHeader = (String, String);

/// The longest head the tap follows (hyper refuses far shorter ones).
const MAX_HEAD: usize = 64 * 1024;
/// Headers per request the tap parses (hyper's default limit is 100).
const MAX_HEADERS: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Head,
    Body(u64),
    ChunkSize,
    ChunkData(u64),
    /// The CRLF after a chunk's data: bytes still to skip.
    ChunkEnd(u8),
    Trailers,
    /// The stream can no longer be followed (malformed, upgraded).
    Lost,
}

/// Follows one connection's requests, collecting their heads.
#[derive(Debug)]
pub struct HeadReader {
    mode: Mode,
    /// The head or line being read.
    pending: Vec<u8>,
    heads: VecDeque<Vec<WireHeader>>,
}

impl Default for HeadReader {
    fn default() -> Self {
        HeadReader {
            mode: Mode::Head,
            pending: Vec::new(),
            heads: VecDeque::new(),
        }
    }
}

impl HeadReader {
    /// The next request's head, in the order requests came.
    pub fn pop(&mut self) -> Option<Vec<WireHeader>> {
        self.heads.pop_front()
    }

    /// Follows `bytes` read from the connection.
    pub fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            bytes = match self.mode {
                Mode::Head => self.feed_head(bytes),
                Mode::Body(left) => {
                    let (taken, rest) = take(bytes, left);
                    self.mode = if taken == left {
                        Mode::Head
                    } else {
                        Mode::Body(left - taken)
                    };
                    rest
                }
                Mode::ChunkSize | Mode::Trailers => self.feed_line(bytes),
                Mode::ChunkData(left) => {
                    let (taken, rest) = take(bytes, left);
                    self.mode = if taken == left {
                        Mode::ChunkEnd(2)
                    } else {
                        Mode::ChunkData(left - taken)
                    };
                    rest
                }
                Mode::ChunkEnd(left) => {
                    let (taken, rest) = take(bytes, u64::from(left));
                    self.mode = match left - taken as u8 {
                        0 => Mode::ChunkSize,
                        more => Mode::ChunkEnd(more),
                    };
                    rest
                }
                Mode::Lost => &[],
            };
        }
    }

    fn feed_head<'b>(&mut self, bytes: &'b [u8]) -> &'b [u8] {
        let searched = self.pending.len().saturating_sub(3);
        self.pending.extend_from_slice(bytes);
        let Some(at) = find(&self.pending[searched..], b"\r\n\r\n").map(|i| i + searched) else {
            if self.pending.len() > MAX_HEAD {
                self.mode = Mode::Lost;
            }
            return &[];
        };
        let end = at + 4;
        let head: Vec<u8> = self.pending.drain(..end).collect();
        // What followed the head in this read is the body (or the next head).
        let consumed = bytes.len() - self.pending.len();
        self.pending.clear();
        self.mode = match parse_head(&head) {
            Some((headers, mode)) => {
                self.heads.push_back(headers);
                mode
            }
            None => Mode::Lost,
        };
        &bytes[consumed..]
    }

    /// A chunk-size line, or a trailer line (an empty one ends the body).
    fn feed_line<'b>(&mut self, bytes: &'b [u8]) -> &'b [u8] {
        let Some(at) = find(bytes, b"\n") else {
            self.pending.extend_from_slice(bytes);
            if self.pending.len() > MAX_HEAD {
                self.mode = Mode::Lost;
            }
            return &[];
        };
        self.pending.extend_from_slice(&bytes[..=at]);
        let line = std::mem::take(&mut self.pending);
        self.mode = match self.mode {
            Mode::ChunkSize => match httparse::parse_chunk_size(&line) {
                Ok(httparse::Status::Complete((_, 0))) => Mode::Trailers,
                Ok(httparse::Status::Complete((_, size))) => Mode::ChunkData(size),
                _ => Mode::Lost,
            },
            _ if line == b"\r\n" || line == b"\n" => Mode::Head,
            other => other,
        };
        &bytes[at + 1..]
    }
}

fn take(bytes: &[u8], left: u64) -> (u64, &[u8]) {
    let n = usize::try_from(left).unwrap_or(usize::MAX).min(bytes.len());
    (n as u64, &bytes[n..])
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The head's headers and how its body is framed (None: malformed).
fn parse_head(head: &[u8]) -> Option<(Vec<WireHeader>, Mode)> {
    let mut storage = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut storage);
    if !matches!(request.parse(head), Ok(httparse::Status::Complete(_))) {
        return None;
    }
    let headers: Vec<WireHeader> = request
        .headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect();
    let value = |name: &str| {
        headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    let chunked = value("transfer-encoding")
        .last()
        .and_then(|v| v.rsplit(',').next())
        .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
    let upgrade = request.method == Some("CONNECT");
    let mode = if upgrade {
        Mode::Lost
    } else if chunked {
        Mode::ChunkSize
    } else {
        match value("content-length")
            .first()
            .map(|v| v.trim().parse::<u64>())
        {
            Some(Ok(0)) | None => Mode::Head,
            Some(Ok(length)) => Mode::Body(length),
            Some(Err(_)) => Mode::Lost,
        }
    };
    Some((headers, mode))
}

/// A connection's stream, its reads followed by a [`HeadReader`].
pub struct Tapped<S> {
    inner: S,
    heads: Arc<Mutex<HeadReader>>,
}

impl<S> Tapped<S> {
    pub fn new(inner: S) -> (Tapped<S>, Arc<Mutex<HeadReader>>) {
        let heads = Arc::new(Mutex::new(HeadReader::default()));
        (
            Tapped {
                inner,
                heads: heads.clone(),
            },
            heads,
        )
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tapped<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let polled = Pin::new(&mut this.inner).poll_read(cx, buf);
        if let Poll::Ready(Ok(())) = &polled {
            if let Ok(mut heads) = this.heads.lock() {
                heads.feed(&buf.filled()[before..]);
            }
        }
        polled
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tapped<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// The header lines of a request as sent, when the tap's head is the one
/// hyper parsed (the same names and values); else hyper's lower-case names.
pub fn headers_as_sent(
    wire: Option<Vec<WireHeader>>,
    parsed: &http::HeaderMap,
) -> Vec<(String, String)> {
    let from_hyper = || {
        parsed
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect()
    };
    let Some(wire) = wire else {
        return from_hyper();
    };
    let mut sent: Vec<(String, String)> = wire
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut ours: Vec<(String, String)> = from_hyper();
    sent.sort();
    ours.sort();
    if sent == ours {
        wire.into_iter()
            .map(|(n, v)| (n, v.trim().to_string()))
            .collect()
    } else {
        from_hyper()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(head: &[WireHeader]) -> Vec<&str> {
        head.iter().map(|(n, _)| n.as_str()).collect()
    }

    #[test]
    fn heads_are_read_in_the_clients_spelling_across_bodies_and_reads() {
        let stream = b"POST /a HTTP/1.1\r\nHost: h\r\ntEsT-HEADeR: x\r\nContent-Length: 5\r\n\r\nhello\
GET /b HTTP/1.1\r\nuser-Agent: u\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX-T: 1\r\n\r\n\
GET /c HTTP/1.1\r\nAuthorization: a\r\n\r\n";
        // Byte by byte: heads, bodies and chunks split anywhere.
        let mut reader = HeadReader::default();
        for b in stream.iter() {
            reader.feed(std::slice::from_ref(b));
        }
        assert_eq!(
            names(&reader.pop().unwrap()),
            ["Host", "tEsT-HEADeR", "Content-Length"]
        );
        assert_eq!(
            names(&reader.pop().unwrap()),
            ["user-Agent", "Transfer-Encoding"]
        );
        let third = reader.pop().unwrap();
        assert_eq!(third, vec![("Authorization".to_string(), "a".to_string())]);
        assert!(reader.pop().is_none());
        // All at once: the same.
        let mut whole = HeadReader::default();
        whole.feed(stream);
        assert_eq!(whole.heads.len(), 3);
    }

    #[test]
    fn a_malformed_stream_is_given_up_and_hyper_names_are_used() {
        let mut reader = HeadReader::default();
        reader.feed(b"GET / HTTP/1.1\r\nContent-Length: x\r\n\r\nGET / HTTP/1.1\r\n\r\n");
        assert!(reader.pop().is_some());
        assert!(reader.pop().is_none(), "lost after a bad Content-Length");
        let mut parsed = http::HeaderMap::new();
        parsed.insert("x-a", "1".parse().unwrap());
        let wire = vec![("X-A".to_string(), "1".to_string())];
        assert_eq!(
            headers_as_sent(Some(wire), &parsed),
            vec![("X-A".to_string(), "1".to_string())]
        );
        let other = vec![("X-B".to_string(), "1".to_string())];
        assert_eq!(
            headers_as_sent(Some(other), &parsed),
            vec![("x-a".to_string(), "1".to_string())],
            "not the head hyper parsed"
        );
    }
}
