//! Serving a router: accept connections until stopped, then let them finish.
//!
//! `axum::serve` would do, except that its connection tasks run under whatever tracing
//! subscriber the process has; here every connection (and every HTTP/2 stream) runs
//! under this server's own dispatch, so its spans reach its own event store even when
//! several servers share a process.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;
use tracing::Dispatch;
use tracing::instrument::WithSubscriber;

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
) {
    let builder = Builder::new(Executor(dispatch.clone()));
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
        // Small answers go out at once instead of waiting for more to send.
        let _ = stream.set_nodelay(true);
        let service = router
            .clone()
            .map_request(move |mut req: Request<Incoming>| {
                req.extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(remote));
                req
            });
        let connection = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), TowerToHyperService::new(service))
            .into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(
            async move {
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
