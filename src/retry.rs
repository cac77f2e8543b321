//! The one retry policy: exponential backoff with jitter (the `backon` crate),
//! the error's kind deciding what is retried. Each use names its schedule
//! here, so every wait in the tool is bounded and visible in one file.

use std::future::Future;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder, Retryable};

use crate::error::AppError;

/// A backoff schedule.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    first: Duration,
    max_delay: Duration,
    attempts: usize,
}

impl Schedule {
    /// One event to the dispatcher: 4 attempts, 100 ms .. 2 s apart.
    pub const REQUEST: Schedule = Schedule::new(100, 2_000, 4);
    /// A read straight from AWS (an export's Scan page), riding out
    /// throttling: 8 attempts, 100 ms .. 20 s apart (~13 s in all).
    pub const AWS_READ: Schedule = Schedule::new(100, 20_000, 8);
    /// A seed batch (the runner counts attempts itself: `--max-attempts`).
    pub const SEED: Schedule = Schedule::new(100, 10_000, usize::MAX);
    /// IAM propagation of a new role (~10 s on AWS): up to ~90 s.
    pub const PROPAGATION: Schedule = Schedule::new(500, 8_000, 16);
    /// Deleting a role whose policy IAM still sees, and similar conflicts.
    pub const CONFLICT: Schedule = Schedule::new(200, 5_000, 6);
    /// API Gateway's account-wide DeleteRestApi limit (one per 30 s).
    pub const API_DELETE: Schedule = Schedule::new(5_000, 30_000, 10);
    /// A service starting up (a port to listen, a function to answer).
    pub const STARTUP: Schedule = Schedule::new(50, 500, 240);
    /// A new stack answering its first request (stage, permission): ~1 min.
    pub const FIRST_ANSWER: Schedule = Schedule::new(200, 5_000, 20);

    pub const fn new(first_ms: u64, max_ms: u64, attempts: usize) -> Schedule {
        Schedule {
            first: Duration::from_millis(first_ms),
            max_delay: Duration::from_millis(max_ms),
            attempts,
        }
    }

    pub fn with_attempts(self, attempts: usize) -> Schedule {
        Schedule { attempts, ..self }
    }

    fn builder(&self) -> ExponentialBuilder {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.first)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_jitter();
        if self.attempts == usize::MAX {
            builder.without_max_times()
        } else {
            builder.with_max_times(self.attempts.saturating_sub(1))
        }
    }

    /// The delays between attempts (for loops that decide per attempt).
    pub fn delays(&self) -> impl Iterator<Item = Duration> {
        self.builder().build()
    }
}

/// Polls `check` until it has an answer (or fails): every 250 ms for the
/// first 10 s, then every 5 s — for AWS's long jobs (ImportTable,
/// ExportTableToPointInTime). `still` hears the elapsed time every 30 s.
pub async fn poll<T, F, Fut>(mut check: F, mut still: impl FnMut(Duration)) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, AppError>>,
{
    let started = std::time::Instant::now();
    let mut last_note = started;
    loop {
        if let Some(answer) = check().await? {
            return Ok(answer);
        }
        if last_note.elapsed() >= Duration::from_secs(30) {
            still(started.elapsed());
            last_note = std::time::Instant::now();
        }
        let fast = started.elapsed() < Duration::from_secs(10);
        tokio::time::sleep(Duration::from_millis(if fast { 250 } else { 5000 })).await;
    }
}

/// Runs `op` until it succeeds, fails with an error `retry_if` refuses, or
/// the schedule runs out (the last error is returned).
pub async fn retry<T, F, Fut>(
    schedule: Schedule,
    op: F,
    retry_if: impl FnMut(&AppError) -> bool,
) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    op.retry(schedule.builder())
        .sleep(tokio::time::sleep)
        .when(retry_if)
        .await
}

/// Retries what the error's kind says is worth retrying.
pub async fn retry_transient<T, F, Fut>(schedule: Schedule, op: F) -> Result<T, AppError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    retry(schedule, op, AppError::is_retryable).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::TransportKind;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// REQUEST's attempts, with millisecond delays (the test waits for real).
    const QUICK: Schedule = Schedule::new(1, 4, Schedule::REQUEST.attempts);

    #[tokio::test]
    async fn retries_transient_errors_until_the_schedule_ends() {
        let calls = AtomicU32::new(0);
        let result: Result<(), AppError> = retry_transient(QUICK, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(AppError::transport(
                TransportKind::Unreachable,
                "x",
                "refused",
            ))
        })
        .await;
        assert!(result.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn does_not_retry_what_the_kind_refuses() {
        let calls = AtomicU32::new(0);
        let result: Result<(), AppError> = retry_transient(QUICK, || async {
            calls.fetch_add(1, Ordering::SeqCst);
            Err(AppError::transport(TransportKind::Forbidden, "x", "403"))
        })
        .await;
        assert!(result.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn delays_grow_and_are_bounded() {
        let delays: Vec<Duration> = Schedule::new(100, 400, 6).delays().collect();
        assert_eq!(delays.len(), 5);
        assert!(
            delays.iter().all(|d| *d <= Duration::from_millis(800)),
            "{delays:?}"
        );
    }
}
