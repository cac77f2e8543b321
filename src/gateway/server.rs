//! The HTTP/1.1 server loop, and its graceful stop: on SIGTERM or SIGINT it
//! stops accepting, lets in-flight requests finish (bounded), sends the
//! telemetry still queued, and returns.
//!
//! Connections are bounded: at most [`MAX_CONNECTIONS`] at once (more wait
//! in the listen backlog), and hyper's header-read timeout closes one that
//! has not sent a complete request head within [`HEAD_WITHIN`] — hyper
//! starts that clock whenever it waits for a head, so it is also the idle
//! timeout of a kept-alive connection between requests (slowloris heads and
//! piles of idle connections both end).

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::rt::TokioTimer;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use super::wire::Tapped;
use super::{Connection, Gateway};

/// How long a connection may take to send a request head, and may stay
/// idle between requests.
pub const HEAD_WITHIN: Duration = Duration::from_secs(10);
/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 1024;

/// How long in-flight requests may take to finish once stopping.
const DRAIN_WITHIN: Duration = Duration::from_secs(5);
/// How long the last telemetry batch may take.
const FLUSH_WITHIN: Duration = Duration::from_secs(2);

/// Serves connections on `listener` until a stop signal, then drains them.
pub(super) async fn run(listener: TcpListener, gateway: Arc<Gateway>) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let stop = crate::interrupt::signalled();
    tokio::pin!(stop);
    loop {
        // A free slot first: past the cap, clients wait in the backlog.
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            _ = &mut stop => break,
        };
        let Ok(slot) = slot else { break };
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, peer)) = accepted {
                    serve_connection(&graceful, stream, peer, gateway.clone(), slot);
                }
            }
            _ = &mut stop => break,
        }
    }
    drop(listener);
    let open = graceful.count();
    crate::output::stderr_line(&format!(
        "local API gateway stopping: {open} connection(s) open"
    ));
    if tokio::time::timeout(DRAIN_WITHIN, graceful.shutdown())
        .await
        .is_err()
    {
        crate::output::stderr_line(&format!(
            "local API gateway: requests still running after {DRAIN_WITHIN:?}; stopping anyway"
        ));
    }
    gateway.telemetry.flush(FLUSH_WITHIN).await;
    crate::output::stderr_line("local API gateway stopped");
}

fn serve_connection(
    graceful: &GracefulShutdown,
    stream: tokio::net::TcpStream,
    peer: std::net::SocketAddr,
    gateway: Arc<Gateway>,
    slot: tokio::sync::OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let port = stream.local_addr().map(|a| a.port()).unwrap_or_default();
    let (stream, heads) = Tapped::new(stream);
    let conn = Arc::new(Connection { peer, port, heads });
    let service = hyper::service::service_fn(move |req| {
        let (gateway, conn) = (gateway.clone(), conn.clone());
        async move { Ok::<_, Infallible>(gateway.handle(req, &conn).await) }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEAD_WITHIN)
        .keep_alive(true)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    let watched = graceful.watch(connection);
    tokio::spawn(async move {
        let _ = watched.await;
        drop(slot);
    });
}
