//! The HTTP/1.1 server loop, and its graceful stop: on SIGTERM or SIGINT it
//! stops accepting, lets in-flight requests finish (bounded), sends the
//! telemetry still queued, and returns.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;

use super::Gateway;

/// How long in-flight requests may take to finish once stopping.
const DRAIN_WITHIN: Duration = Duration::from_secs(5);
/// How long the last telemetry batch may take.
const FLUSH_WITHIN: Duration = Duration::from_secs(2);

/// Serves connections on `listener` until a stop signal, then drains them.
pub(super) async fn run(listener: TcpListener, gateway: Arc<Gateway>) {
    let graceful = GracefulShutdown::new();
    let stop = crate::interrupt::signalled();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, peer)) = accepted {
                    serve_connection(&graceful, stream, peer, gateway.clone());
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
) {
    let _ = stream.set_nodelay(true);
    let service = hyper::service::service_fn(move |req| {
        let gateway = gateway.clone();
        async move { Ok::<_, Infallible>(gateway.handle(req, peer).await) }
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
    let watched = graceful.watch(connection);
    tokio::spawn(async move {
        let _ = watched.await;
    });
}
