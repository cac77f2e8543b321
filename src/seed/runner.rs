//! The seeding engine: a reader thread batches valid records, up to N
//! batches are in flight (adaptive), failures are retried with exponential
//! backoff and full jitter, and every record ends written or rejected.
//!
//! Resume works on record numbers: the checkpoint holds a watermark (every
//! record up to it is done) plus the done records above it, so batches that
//! finish out of order are still resumed exactly.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::Notify;

use crate::error::AppError;
use crate::error::DispatcherKind;
use crate::retry::Schedule;
use crate::seed::input::{Tracker, Verification};
use crate::seed::reader::{Record, Records};
use crate::seed::rejects::Rejects;
use crate::seed::sink::{Attempt, Backend};
use crate::seed::validate::{self, KeySchema};

/// JSON bytes of items per request: Lambda's synchronous payload limit is
/// 6 MB (API Gateway's 10 MB), with room for the envelope and `payloadJson`.
pub const MAX_BATCH_BYTES: usize = 2 * 1024 * 1024 + 512 * 1024;

pub struct Settings {
    pub concurrency: usize,
    pub batch_size: usize,
    pub max_attempts: u32,
    pub schema: Option<KeySchema>,
    /// Items are DynamoDB JSON (`--format ddb-jsonl`).
    pub typed: bool,
}

/// Counts and completion state; saved as the checkpoint.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Progress {
    /// Every record numbered up to this one is done.
    pub watermark: u64,
    /// Done records above the watermark.
    pub done_above: BTreeSet<u64>,
    pub written: u64,
    pub rejected: u64,
    pub retried: u64,
}

impl Progress {
    pub fn is_done(&self, no: u64) -> bool {
        no <= self.watermark || self.done_above.contains(&no)
    }

    fn mark(&mut self, no: u64) {
        if no == self.watermark + 1 {
            self.watermark = no;
            while self.done_above.remove(&(self.watermark + 1)) {
                self.watermark += 1;
            }
        } else if no > self.watermark {
            self.done_above.insert(no);
        }
    }
}

/// Shared between the reader, the workers and the progress display.
pub struct Shared {
    pub progress: Mutex<Progress>,
    pub rejects: Mutex<Rejects>,
    /// Records read this run (including ones done in an earlier run).
    pub read: AtomicU64,
    /// Records written this run (for items/s).
    pub written_now: AtomicU64,
    /// Records whose key appeared earlier in the input (the later one wins).
    pub duplicates: AtomicU64,
    pub stop: Arc<AtomicBool>,
    pub breaker: Breaker,
}

impl Shared {
    pub fn new(progress: Progress, rejects: Rejects, stop: Arc<AtomicBool>) -> Self {
        Shared {
            progress: Mutex::new(progress),
            rejects: Mutex::new(rejects),
            read: AtomicU64::new(0),
            written_now: AtomicU64::new(0),
            duplicates: AtomicU64::new(0),
            breaker: Breaker::new(stop.clone()),
            stop,
        }
    }

    fn reject(&self, no: u64, line: u64, reason: &str, input: &str) -> Result<(), AppError> {
        // Written to the rejects file before it counts as done.
        self.rejects
            .lock()
            .unwrap()
            .write(no, line, reason, input)?;
        let mut p = self.progress.lock().unwrap();
        p.rejected += 1;
        p.mark(no);
        Ok(())
    }

    fn written(&self, no: u64) {
        let mut p = self.progress.lock().unwrap();
        p.written += 1;
        p.mark(no);
        self.written_now.fetch_add(1, Ordering::Relaxed);
    }

    fn retried(&self, n: u64) {
        self.progress.lock().unwrap().retried += n;
    }

    /// A consistent snapshot for the checkpoint: rejects flushed first, so
    /// the checkpoint never counts a reject that is not on disk.
    pub fn snapshot(&self) -> Result<Progress, AppError> {
        self.rejects.lock().unwrap().flush()?;
        Ok(self.progress.lock().unwrap().clone())
    }
}

/// Consecutive failures of the whole endpoint (not of records) before the
/// seed stops, and how long without any success that must have lasted: a
/// dead or refusing endpoint stops the seed in seconds, a flaky one does not.
const BREAKER_FAILURES: u32 = 3;
const BREAKER_QUIET: Duration = Duration::from_secs(2);

/// The circuit breaker: trips on a failure that no retry can mend (403, a
/// missing table), or on a run of transient failures with no success in
/// between (an endpoint gone). Once tripped, the seed stops reading, lets
/// in-flight requests end, and records what failed as not done.
pub struct Breaker {
    state: Mutex<BreakerState>,
    stop: Arc<AtomicBool>,
}

struct BreakerState {
    consecutive: u32,
    last_success: Instant,
    tripped: Option<AppError>,
}

impl Breaker {
    fn new(stop: Arc<AtomicBool>) -> Breaker {
        Breaker {
            state: Mutex::new(BreakerState {
                consecutive: 0,
                last_success: Instant::now(),
                tripped: None,
            }),
            stop,
        }
    }

    fn success(&self) {
        let mut s = self.state.lock().unwrap();
        s.consecutive = 0;
        s.last_success = Instant::now();
    }

    /// A transient failure of a whole request.
    fn failure(&self, err: &AppError) {
        let mut s = self.state.lock().unwrap();
        s.consecutive += 1;
        if s.consecutive >= BREAKER_FAILURES && s.last_success.elapsed() >= BREAKER_QUIET {
            let message = format!(
                "{} requests in a row failed, none succeeded for {:.0}s",
                s.consecutive,
                s.last_success.elapsed().as_secs_f64()
            );
            drop(s);
            self.trip(AppError::Interrupted {
                message,
                cause: Some(Box::new(copy(err))),
            });
        }
    }

    /// Stops the seed for `err` (the first reason wins).
    fn trip(&self, err: AppError) {
        let mut s = self.state.lock().unwrap();
        if s.tripped.is_none() {
            s.tripped = Some(err);
        }
        self.stop.store(true, Ordering::SeqCst);
    }

    pub fn is_tripped(&self) -> bool {
        self.state.lock().unwrap().tripped.is_some()
    }

    /// Why the seed was stopped, if it was.
    pub fn take(&self) -> Option<AppError> {
        self.state.lock().unwrap().tripped.take()
    }
}

/// A copy of an error for the breaker's record (errors are not Clone:
/// an I/O source cannot be copied, so it is kept as text).
fn copy(err: &AppError) -> AppError {
    match err {
        AppError::Transport {
            kind,
            target,
            message,
        } => AppError::transport(*kind, target, message),
        AppError::Dispatcher {
            kind,
            status,
            error_type,
            message,
            request_id,
        } => AppError::Dispatcher {
            kind: *kind,
            status: *status,
            error_type: error_type.clone(),
            message: message.clone(),
            request_id: request_id.clone(),
        },
        AppError::Aws {
            service,
            what,
            code,
            message,
            retryable,
        } => AppError::Aws {
            service,
            what: what.clone(),
            code: code.clone(),
            message: message.clone(),
            retryable: *retryable,
        },
        other => AppError::internal(other.to_string()),
    }
}

struct Pending {
    no: u64,
    line: u64,
    item: Map<String, Value>,
}

/// Records sent in one request, with their keys (when the schema is known).
struct Batch {
    records: Vec<Pending>,
    keys: Vec<String>,
}

/// What the reader thread needs besides the records.
struct ReadSettings {
    batch_size: usize,
    schema: Option<KeySchema>,
    typed: bool,
    measure_bytes: bool,
    done_before: Progress,
    tracker: Tracker,
    source: String,
}

/// Sends batches to the workers; on --resume, holds them back until the
/// input is proven to be the one the checkpoint saw: nothing is sent from a
/// changed input.
struct ResumeGate {
    held: Vec<Batch>,
    tracker: Tracker,
    tx: tokio::sync::mpsc::Sender<Batch>,
    source: String,
}

impl ResumeGate {
    /// Sends (or holds) `batch`; Ok(false) once the workers have stopped.
    /// At the end the verification is decided (an input shorter than the
    /// checkpoint's is a changed input): held batches go out or none does.
    fn send(&mut self, batch: Batch, at_end: bool) -> Result<bool, AppError> {
        let mut verification = self.tracker.verification();
        if at_end && verification == Verification::Pending {
            verification = Verification::Mismatch;
        }
        match verification {
            Verification::Mismatch => Err(AppError::usage(format!(
                "{} is not the input the interrupted seed read (its content differs), so its record numbers \
                 cannot be trusted; nothing was sent. Run without --resume to start over (puts are idempotent)",
                self.source
            ))),
            Verification::Pending => {
                self.held.push(batch);
                Ok(true)
            }
            Verification::Verified => {
                for earlier in self.held.drain(..) {
                    if self.tx.blocking_send(earlier).is_err() {
                        return Ok(false);
                    }
                }
                Ok(batch.records.is_empty() || self.tx.blocking_send(batch).is_ok())
            }
        }
    }
}

/// Groups records into batches: at most `size` records and
/// `MAX_BATCH_BYTES` of JSON, and never one key twice (DynamoDB refuses it,
/// and the input's order would be lost).
struct Batcher {
    size: usize,
    records: Vec<Pending>,
    bytes: usize,
    keys: Vec<String>,
}

impl Batcher {
    /// Adds a record; returns the full batch it closed, if it closed one.
    fn push(&mut self, record: Pending, key: Option<String>, bytes: usize) -> Option<Batch> {
        let duplicate = key.as_ref().is_some_and(|k| self.keys.contains(k));
        let full = !self.records.is_empty()
            && (self.records.len() >= self.size
                || self.bytes + bytes > MAX_BATCH_BYTES
                || duplicate);
        let closed = full.then(|| self.take());
        self.bytes += bytes;
        self.keys.extend(key);
        self.records.push(record);
        closed
    }

    fn take(&mut self) -> Batch {
        self.bytes = 0;
        Batch {
            records: std::mem::take(&mut self.records),
            keys: std::mem::take(&mut self.keys),
        }
    }
}

/// Counts keys seen more than once by 64-bit hashes, in constant-ish memory
/// (8 bytes a record; a collision would overcount by one).
#[derive(Default)]
struct DuplicateKeys(HashSet<u64>);

impl DuplicateKeys {
    fn is_repeat(&mut self, key: &str) -> bool {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        key.hash(&mut hasher);
        !self.0.insert(hasher.finish())
    }
}

/// Reads, validates and batches records on a blocking thread.
fn read_batches(
    records: Records,
    shared: Arc<Shared>,
    settings: ReadSettings,
    tx: tokio::sync::mpsc::Sender<Batch>,
) -> Result<(), AppError> {
    let ReadSettings {
        batch_size,
        schema,
        typed,
        measure_bytes,
        done_before,
        tracker,
        source,
    } = settings;
    let mut gate = ResumeGate {
        held: Vec::new(),
        tracker,
        tx,
        source,
    };
    let mut batcher = Batcher {
        size: batch_size,
        records: Vec::with_capacity(batch_size),
        bytes: 0,
        keys: Vec::new(),
    };
    let mut seen = DuplicateKeys::default();
    for record in records {
        if shared.stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        let Record {
            no,
            line,
            raw,
            item,
        } = record?;
        shared.read.fetch_add(1, Ordering::Relaxed);
        let checked = item.and_then(|item| {
            let checked = match typed {
                true => validate::check_typed(&item, schema.as_ref()),
                false => validate::check(&item, schema.as_ref()),
            };
            checked.map(|_| item)
        });
        let item = match checked {
            Ok(item) => item,
            Err(reason) => {
                if !done_before.is_done(no) {
                    shared.reject(no, line, &reason, &raw)?;
                }
                continue;
            }
        };
        let key = schema.as_ref().map(|s| s.key_of(&item));
        if key.as_deref().is_some_and(|k| seen.is_repeat(k)) {
            shared.duplicates.fetch_add(1, Ordering::Relaxed);
        }
        if done_before.is_done(no) {
            continue; // finished in an earlier run (--resume)
        }
        // The dispatcher's request limit is on the JSON text, which escapes
        // can make much larger than DynamoDB's item size. (BatchWriteItem's
        // 16 MB always holds 25 items of 400 KB: no need to measure there.)
        let bytes = match measure_bytes {
            true => serde_json::to_vec(&item)
                .map(|v| v.len() + 1)
                .unwrap_or(validate::MAX_ITEM_BYTES),
            false => 0,
        };
        if let Some(full) = batcher.push(Pending { no, line, item }, key, bytes) {
            if !gate.send(full, false)? {
                return Ok(()); // the workers stopped
            }
        }
    }
    gate.send(batcher.take(), true)?;
    Ok(())
}

/// Keys with a write in flight: a batch holding one of them waits, so two
/// writes of one key never race and the later line of the input wins.
#[derive(Default)]
struct InFlight {
    keys: Mutex<HashMap<String, u32>>,
    changed: Notify,
}

impl InFlight {
    async fn claim(&self, keys: &[String]) {
        loop {
            let notified = self.changed.notified();
            {
                let mut map = self.keys.lock().unwrap();
                if !keys.iter().any(|k| map.contains_key(k)) {
                    for k in keys {
                        *map.entry(k.clone()).or_default() += 1;
                    }
                    return;
                }
            }
            notified.await;
        }
    }

    fn release(&self, keys: &[String]) {
        let mut map = self.keys.lock().unwrap();
        for k in keys {
            if let Some(n) = map.get_mut(k) {
                *n -= 1;
                if *n == 0 {
                    map.remove(k);
                }
            }
        }
        drop(map);
        self.changed.notify_waiters();
    }
}

/// Runs the seed until the input is exhausted, a stop is requested, or a fatal error.
pub async fn run(
    records: Records,
    backend: Arc<Backend>,
    settings: Settings,
    shared: Arc<Shared>,
    tracker: Tracker,
    source: String,
) -> Result<(), AppError> {
    let done_before = shared.progress.lock().unwrap().clone();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(settings.concurrency * 2);
    let reader = {
        let shared = shared.clone();
        let read_settings = ReadSettings {
            batch_size: settings.batch_size,
            schema: settings.schema.clone(),
            typed: settings.typed,
            measure_bytes: backend.max_batch() > 25,
            done_before,
            tracker,
            source,
        };
        tokio::task::spawn_blocking(move || read_batches(records, shared, read_settings, tx))
    };
    let limiter = Arc::new(Limiter::new(settings.concurrency));
    let in_flight = Arc::new(InFlight::default());
    let mut tasks = tokio::task::JoinSet::new();
    while let Some(batch) = rx.recv().await {
        if shared.stop.load(Ordering::SeqCst) {
            break; // not marked done: a later --resume sends it
        }
        in_flight.claim(&batch.keys).await;
        if shared.stop.load(Ordering::SeqCst) {
            in_flight.release(&batch.keys);
            break;
        }
        limiter.acquire().await;
        let (backend, shared, limiter, in_flight) = (
            backend.clone(),
            shared.clone(),
            limiter.clone(),
            in_flight.clone(),
        );
        let max_attempts = settings.max_attempts;
        tasks.spawn(async move {
            write_batch(&backend, &batch.records, &shared, &limiter, max_attempts).await;
            in_flight.release(&batch.keys);
            limiter.release();
        });
        while let Some(done) = tasks.try_join_next() {
            done.map_err(|e| AppError::internal(format!("a seeding task failed: {e}")))?;
        }
    }
    drop(rx);
    while let Some(done) = tasks.join_next().await {
        done.map_err(|e| AppError::internal(format!("a seeding task failed: {e}")))?;
    }
    reader
        .await
        .map_err(|e| AppError::internal(format!("the reader failed: {e}")))??;
    Ok(())
}

/// Writes one batch: records written or rejected (their own fault) are
/// marked done; on a failure of the whole request it retries, and when the
/// endpoint is down or refuses, it leaves the rest not done (a `--resume`
/// sends them) and trips the breaker.
async fn write_batch(
    backend: &Backend,
    batch: &[Pending],
    shared: &Shared,
    limiter: &Limiter,
    max_attempts: u32,
) {
    let mut pending: Vec<usize> = (0..batch.len()).collect();
    let mut delays = Schedule::SEED.delays();
    let mut attempt = 0u32;
    let reject = |i: usize, reason: &str| -> bool {
        let p = &batch[i];
        let input = Value::Object(p.item.clone()).to_string();
        match shared.reject(p.no, p.line, reason, &input) {
            Ok(()) => true,
            Err(e) => {
                shared.breaker.trip(e);
                false
            }
        }
    };
    loop {
        if shared.breaker.is_tripped() {
            return; // abandoned: not marked done
        }
        let items: Vec<&Map<String, Value>> = pending.iter().map(|i| &batch[*i].item).collect();
        let failure = match backend.send(&items).await {
            Ok(Attempt {
                written,
                failed,
                retry,
                inner_retries,
            }) => {
                shared.breaker.success();
                for i in written {
                    shared.written(batch[pending[i]].no);
                }
                for (i, reason) in failed {
                    if !reject(pending[i], &reason) {
                        return;
                    }
                }
                shared.retried(inner_retries);
                pending = retry.into_iter().map(|i| pending[i]).collect();
                if pending.is_empty() {
                    limiter.success();
                    return;
                }
                limiter.throttled(); // unprocessed items: the table is at capacity
                AppError::dispatcher(
                    DispatcherKind::Throttled,
                    "UnprocessedItems",
                    "DynamoDB left items unprocessed (throttled)",
                )
            }
            // A one-record request refused for its content.
            Err(e) if e.is_record_fault() => {
                for i in pending {
                    if !reject(i, &e.to_string()) {
                        return;
                    }
                }
                return;
            }
            Err(e) if e.is_throttling() => {
                limiter.throttled();
                e
            }
            Err(e) if !e.is_retryable() => {
                shared.breaker.trip(e);
                return;
            }
            Err(e) => {
                shared.breaker.failure(&e);
                e
            }
        };
        attempt += 1;
        shared.retried(1);
        if attempt >= max_attempts {
            shared.breaker.trip(AppError::Interrupted {
                message: format!("a request still failed after {attempt} attempts"),
                cause: Some(Box::new(failure)),
            });
            return;
        }
        let delay = delays.next().unwrap_or(Duration::from_secs(10));
        tokio::time::sleep(delay).await;
    }
}

/// Additive-increase / multiplicative-decrease limit on batches in flight:
/// halves on throttling (at most once per second), grows by one after a
/// window of successes, never above the configured concurrency.
pub struct Limiter {
    state: Mutex<LimiterState>,
    notify: Notify,
    max: usize,
}

struct LimiterState {
    in_flight: usize,
    limit: usize,
    successes: usize,
    last_cut: Option<Instant>,
}

impl Limiter {
    pub fn new(max: usize) -> Self {
        Limiter {
            state: Mutex::new(LimiterState {
                in_flight: 0,
                limit: max,
                successes: 0,
                last_cut: None,
            }),
            notify: Notify::new(),
            max,
        }
    }

    pub async fn acquire(&self) {
        loop {
            let notified = self.notify.notified();
            {
                let mut s = self.state.lock().unwrap();
                if s.in_flight < s.limit {
                    s.in_flight += 1;
                    return;
                }
            }
            notified.await;
        }
    }

    pub fn release(&self) {
        self.state.lock().unwrap().in_flight -= 1;
        self.notify.notify_waiters();
    }

    pub fn success(&self) {
        let mut s = self.state.lock().unwrap();
        s.successes += 1;
        if s.successes >= s.limit && s.limit < self.max {
            s.limit += 1;
            s.successes = 0;
            drop(s);
            self.notify.notify_waiters();
        }
    }

    pub fn throttled(&self) {
        let mut s = self.state.lock().unwrap();
        if s.last_cut
            .is_none_or(|t| t.elapsed() > Duration::from_secs(1))
        {
            s.limit = (s.limit / 2).max(1);
            s.successes = 0;
            s.last_cut = Some(Instant::now());
        }
    }

    #[cfg(test)]
    pub fn limit(&self) -> usize {
        self.state.lock().unwrap().limit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn watermark_advances_over_out_of_order_completions() {
        let mut p = Progress::default();
        for no in [3, 1, 5] {
            p.mark(no);
        }
        assert_eq!(p.watermark, 1);
        assert!(p.is_done(3) && !p.is_done(2) && !p.is_done(4));
        p.mark(2);
        assert_eq!(p.watermark, 3);
        p.mark(4);
        assert_eq!((p.watermark, p.done_above.len()), (5, 0));
    }

    #[test]
    fn limiter_halves_on_throttling_and_recovers() {
        let l = Limiter::new(8);
        l.throttled();
        assert_eq!(l.limit(), 4);
        l.throttled(); // within a second: one cut per burst
        assert_eq!(l.limit(), 4);
        for _ in 0..4 {
            l.success();
        }
        assert_eq!(l.limit(), 5);
    }
}
