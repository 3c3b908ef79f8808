//! The accept loop: HTTP/1.1 over TCP with hyper's connection limits, which `axum::serve` does not
//! expose: a request head must arrive within `header_timeout` (slow clients, idle keep-alive
//! connections are closed), a head over `max_head_bytes` gets hyper's bare `431` and the
//! connection is closed, at most `max_connections` connections are open (further ones wait in
//! the kernel's accept queue). Shutdown is graceful: stop accepting, let requests in flight
//! finish (at most `grace`), close idle connections.
//!
//! HTTP/1 only: browsers speak HTTP/2 only over TLS, which this server leaves to a proxy in front
//! of it, and the limits above are HTTP/1's.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Largest request head hyper reads (request line and headers). The app refuses heads over
/// [`crate::limits::MAX_HEADER_BYTES`] with a JSON `431` before this; this is the hard stop that
/// bounds a connection's read buffer.
pub const MAX_HEAD_BYTES: usize = 64 * 1024;

#[derive(Debug, Clone)]
pub struct Transport {
    pub header_timeout: Duration,
    pub max_connections: usize,
    pub max_head_bytes: usize,
    /// How long shutdown waits for requests in flight.
    pub grace: Duration,
}

impl Default for Transport {
    fn default() -> Self {
        Transport {
            header_timeout: Duration::from_secs(10),
            max_connections: 512,
            max_head_bytes: MAX_HEAD_BYTES,
            grace: Duration::from_secs(15),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then shuts down gracefully.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    transport: &Transport,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(transport.header_timeout)
        .max_header_size(transport.max_head_bytes)
        // room for a whole head a little over the limit, so that hyper reads it all and answers
        // 431 rather than resetting a connection with unread bytes
        .max_buf_size(transport.max_head_bytes + 16 * 1024);
    let graceful = GracefulShutdown::new();
    let connections = Arc::new(Semaphore::new(transport.max_connections));
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = connections.clone().acquire_owned() => permit.expect("the connection semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // out of file descriptors and the like: wait instead of spinning
                    tracing::error!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                // header read timeouts (slow clients), oversized heads, resets
                tracing::info!(%peer, error = %e, "connection closed");
            }
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!(connections = graceful.count(), "shutting down");
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(transport.grace) => {
            tracing::warn!(grace_s = transport.grace.as_secs_f64(), "requests still running at the end of the grace period");
        }
    }
    Ok(())
}
