//! Ctrl-C and SIGTERM as a flag: long jobs (seed, export) stop taking new
//! work, let what is in flight finish, and write their checkpoint.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Sets `stop` on the first Ctrl-C or SIGTERM, printing `message`.
pub fn watch(stop: Arc<AtomicBool>, message: &'static str) {
    tokio::spawn(async move {
        signalled().await;
        stop.store(true, Ordering::SeqCst);
        crate::output::stderr_line(&format!("\n{message}"));
    });
}

/// Completes on the first Ctrl-C (SIGINT) or SIGTERM.
pub async fn signalled() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let terminated = async {
        match term.as_mut() {
            Some(t) => {
                t.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = terminated => {},
    }
}
