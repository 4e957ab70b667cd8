//! Serving a router: accept connections until stopped, then let them finish.
//!
//! `axum::serve` would do, except that its connection tasks run under whatever tracing
//! subscriber the process has; here every connection (and every HTTP/2 stream) runs
//! under this server's own dispatch, so its spans reach its own event store even when
//! several servers share a process.
//!
//! Connection hygiene lives here too ([`ConnectionLimits`]): at most so many
//! connections at once, and so many from one address (one more is answered 503 and
//! closed), a request's headers
//! within a timeout (408 when some had arrived; an idle kept-alive connection is closed
//! quietly after the same time), and every answer the connection layer gives in the
//! error envelope (see [`answers`] and [`conn_io`]).

mod answers;
mod conn_io;
mod open_files;
mod per_address;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;
use tracing::Dispatch;
use tracing::instrument::WithSubscriber;

pub use open_files::raise_open_file_limit;

/// hyper's own, fixed limit on a URL's length (it answers 414 past it).
pub const MAX_URI_BYTES: usize = u16::MAX as usize - 1;
/// Most headers a request may carry (431 past it).
pub const MAX_HEADERS: usize = 100;
/// Most bytes of request line and headers (431 past it): room for the longest URL.
pub const MAX_HEADER_BYTES: usize = 96 * 1024;
/// Connections kept back from the open-file limit for the database, the app's files
/// and the refusals themselves.
const RESERVED_FILES: u64 = 64;

/// How many connections a server holds and how long it waits on a slow client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Most connections open at once (each open page's live stream is one); past it a
    /// new connection gets a 503 and is closed. Capped by the open-file limit.
    pub max_connections: usize,
    /// A request's headers must all arrive within this, counted from when the
    /// connection is ready for one: a new connection, or a kept-alive one after its
    /// last answer (so this is also the idle keep-alive timeout).
    pub header_timeout: Duration,
    /// A request's whole body must arrive within this (408 past it).
    pub body_timeout: Duration,
    /// Most connections open at once from one client address (a laptop's tabs, or a
    /// script), so one cannot take the room's; past it a 503.
    pub max_per_address: usize,
}

/// Default [`ConnectionLimits::max_connections`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;
/// Default header and idle timeout, s.
pub const DEFAULT_HEADER_TIMEOUT_S: u64 = 10;
/// Default body timeout, s.
pub const DEFAULT_BODY_TIMEOUT_S: u64 = 10;
/// Default [`ConnectionLimits::max_per_address`].
pub const DEFAULT_MAX_PER_ADDRESS: usize = 256;

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: Duration::from_secs(DEFAULT_HEADER_TIMEOUT_S),
            body_timeout: Duration::from_secs(DEFAULT_BODY_TIMEOUT_S),
            max_per_address: DEFAULT_MAX_PER_ADDRESS,
        }
    }
}

/// The body timeout, as the JSON extractor finds it on each request.
#[derive(Clone, Copy, Debug)]
pub struct BodyTimeout(pub Duration);

/// How many connections `limits` allows with `open_files` file descriptors.
fn connections_allowed(limits: &ConnectionLimits, open_files: Option<u64>) -> usize {
    match open_files {
        Some(files) => {
            let by_files = files.saturating_sub(RESERVED_FILES).max(1);
            limits
                .max_connections
                .min(usize::try_from(by_files).unwrap_or(usize::MAX))
        }
        None => limits.max_connections,
    }
    .max(1)
}

/// Spawns hyper's tasks (HTTP/2 streams) under a dispatch.
#[derive(Clone)]
struct Executor(Dispatch);

impl<F> hyper::rt::Executor<F> for Executor
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn execute(&self, fut: F) {
        tokio::spawn(fut.with_subscriber(self.0.clone()));
    }
}

/// Serves `router` on `listener` until `stop` is cancelled, then stops accepting and
/// waits for open connections to finish (long-lived streams end on `stop` too).
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    dispatch: Dispatch,
    stop: CancellationToken,
    limits: ConnectionLimits,
) {
    let mut builder = Builder::new(Executor(dispatch.clone()));
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_headers(MAX_HEADERS)
        // Past this the head cannot be read: 431.
        .max_buf_size(MAX_HEADER_BYTES);
    // An HTTP/2 peer that stops answering pings is let go.
    builder
        .http2()
        .timer(TokioTimer::new())
        .keep_alive_interval(Some(Duration::from_secs(20)))
        .keep_alive_timeout(limits.header_timeout);
    let allowed = connections_allowed(&limits, raise_open_file_limit());
    tracing::dispatcher::with_default(&dispatch, || {
        tracing::info!(
            connections = allowed,
            "holds up to {allowed} connections at once (open pages count one each)"
        );
    });
    let open = Arc::new(Semaphore::new(allowed));
    let per_address = per_address::PerAddress::default();
    // Refusals hold a socket for a moment each: a flood past the limit is dropped
    // without one once this many are being written.
    let refusing = Arc::new(Semaphore::new(256));
    let graceful = GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            () = stop.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, remote) = match accepted {
            Ok(accepted) => accepted,
            Err(e) => {
                // Out of file descriptors, a connection reset while queued, …: wait a
                // moment rather than spin, then go on.
                tracing::dispatcher::with_default(&dispatch, || {
                    tracing::warn!(error = %e, "cannot accept a connection");
                });
                tokio::select! {
                    () = stop.cancelled() => break,
                    () = tokio::time::sleep(Duration::from_millis(50)) => continue,
                }
            }
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            let message = format!(
                "the server holds {allowed} connections, its most: close a tab or try again in a moment"
            );
            refuse(stream, &refusing, message, &dispatch);
            continue;
        };
        let most = limits.max_per_address;
        let Some(slot) = per_address.take(remote.ip(), most) else {
            let message = format!(
                "your address holds {most} connections to this server, its most: close some tabs or scripts and try again"
            );
            refuse(stream, &refusing, message, &dispatch);
            continue;
        };
        // Small answers go out at once instead of waiting for more to send.
        let _ = stream.set_nodelay(true);
        let body_timeout = BodyTimeout(limits.body_timeout);
        let service = router
            .clone()
            .map_request(move |mut req: Request<Incoming>| {
                let extensions = req.extensions_mut();
                extensions.insert(ConnectInfo::<SocketAddr>(remote));
                extensions.insert(body_timeout);
                req
            });
        let io = conn_io::ConnIo::new(stream, limits.header_timeout);
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(io), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(
            async move {
                let _held = (permit, slot);
                if let Err(e) = connection.await {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
            }
            .with_subscriber(dispatch.clone()),
        );
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Answers a connection past a limit with a 503 in the envelope, then closes it.
fn refuse(
    stream: tokio::net::TcpStream,
    refusing: &Arc<Semaphore>,
    message: String,
    dispatch: &Dispatch,
) {
    let Ok(permit) = refusing.clone().try_acquire_owned() else {
        return;
    };
    tokio::spawn(
        async move {
            let _permit = permit;
            tracing::warn!("refused a connection: {message}");
            let answer = answers::raw(
                503,
                "Service Unavailable",
                bulbwatch_api::ErrorCode::Busy,
                &message,
            );
            answers::write_and_close(&stream, &answer).await;
        }
        .with_subscriber(dispatch.clone()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_open_file_limit_caps_connections() {
        let limits = ConnectionLimits::default();
        assert_eq!(connections_allowed(&limits, None), DEFAULT_MAX_CONNECTIONS);
        assert_eq!(connections_allowed(&limits, Some(1024)), 1024 - 64);
        assert_eq!(
            connections_allowed(&limits, Some(1_000_000)),
            DEFAULT_MAX_CONNECTIONS
        );
        assert_eq!(connections_allowed(&limits, Some(10)), 1);
    }
}
