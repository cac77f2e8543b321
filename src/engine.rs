//! What the data engines share. Seed (dispatcher, direct, s3-import) and
//! export (dispatcher, direct, s3-export) each have one entry point of one
//! shape — `run(options, sink or source, progress) -> Finished<Summary>` —
//! and use the same pieces: the engine choice, the periodic checkpoint
//! ticker, and the progress meter (`output::Meter`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::error::AppError;
use crate::output::{Outcome, Report};

/// How items move: through the dispatcher, straight to DynamoDB, or by
/// DynamoDB's own S3 import/export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Dispatcher,
    Direct,
    S3,
}

/// `--engine` (when given) wins; `--direct` is short for `--engine direct`;
/// the dispatcher otherwise. (clap refuses both together.)
pub fn resolve(engine: Option<Kind>, direct: bool) -> Kind {
    match (engine, direct) {
        (Some(engine), _) => engine,
        (None, true) => Kind::Direct,
        (None, false) => Kind::Dispatcher,
    }
}

/// S3 flags (`--bucket`, `--prefix`, ...) belong to the S3 engine.
pub fn check_s3_flags(kind: Kind, given: bool, flags: &str, engine: &str) -> Result<(), AppError> {
    if kind != Kind::S3 && given {
        return Err(AppError::usage(format!(
            "{flags} go with --engine {engine}"
        )));
    }
    Ok(())
}

/// What an engine returns: its summary and, when not everything was done,
/// the failure that decides the exit code.
pub struct Finished<S> {
    pub summary: S,
    pub failure: Option<AppError>,
}

impl<S> Finished<S> {
    pub fn complete(summary: S) -> Self {
        Finished {
            summary,
            failure: None,
        }
    }

    /// The same outcome with its summary converted.
    pub fn map<T>(self, into: impl FnOnce(S) -> T) -> Finished<T> {
        Finished {
            summary: into(self.summary),
            failure: self.failure,
        }
    }
}

impl<S: Report + 'static> From<Finished<S>> for Outcome {
    fn from(finished: Finished<S>) -> Outcome {
        match finished.failure {
            Some(failure) => Outcome::failed(finished.summary, failure),
            None => Outcome::ok(finished.summary),
        }
    }
}

/// Runs `tick` every `period` in the background until stopped: the periodic
/// checkpoint, so even a killed job can be resumed.
pub struct Ticker {
    stop: Arc<AtomicBool>,
    wake: Arc<tokio::sync::Notify>,
    task: tokio::task::JoinHandle<()>,
}

impl Ticker {
    pub fn every(period: Duration, mut tick: impl FnMut() + Send + 'static) -> Ticker {
        let stop = Arc::new(AtomicBool::new(false));
        let wake = Arc::new(tokio::sync::Notify::new());
        let (stopped, woken) = (stop.clone(), wake.clone());
        let task = tokio::spawn(async move {
            loop {
                let _ = tokio::time::timeout(period, woken.notified()).await;
                if stopped.load(Ordering::SeqCst) {
                    return;
                }
                tick();
            }
        });
        Ticker { stop, wake, task }
    }

    /// Stops the ticker; no tick runs after this returns.
    pub async fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        self.wake.notify_one();
        let _ = self.task.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    #[test]
    fn the_engine_flag_wins_then_direct_then_the_dispatcher() {
        assert_eq!(resolve(Some(Kind::S3), false), Kind::S3);
        assert_eq!(resolve(Some(Kind::Dispatcher), true), Kind::Dispatcher);
        assert_eq!(resolve(None, true), Kind::Direct);
        assert_eq!(resolve(None, false), Kind::Dispatcher);
        assert!(check_s3_flags(Kind::Direct, true, "--bucket", "s3-import").is_err());
        assert!(check_s3_flags(Kind::S3, true, "--bucket", "s3-import").is_ok());
        assert!(check_s3_flags(Kind::Direct, false, "--bucket", "s3-import").is_ok());
    }

    #[tokio::test]
    async fn the_ticker_ticks_each_period_and_never_after_stop() {
        let ticks = Arc::new(AtomicU32::new(0));
        let counted = ticks.clone();
        let ticker = Ticker::every(Duration::from_millis(20), move || {
            counted.fetch_add(1, Ordering::SeqCst);
        });
        tokio::time::sleep(Duration::from_millis(330)).await;
        ticker.stop().await;
        let seen = ticks.load(Ordering::SeqCst);
        assert!(
            (3..=16).contains(&seen),
            "about one tick per period: {seen}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(ticks.load(Ordering::SeqCst), seen, "none after stop");
    }
}
