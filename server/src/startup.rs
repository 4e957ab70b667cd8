//! Building the server: state, router, listener; running it until stopped.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::http::Request;
use axum::http::header::HeaderName;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::bulb::BulbDriver;
use crate::routes;
use crate::store::Store;

/// What a server needs to start.
pub struct Settings {
    /// Address to listen on; port 0 picks a free one.
    pub addr: SocketAddr,
    /// Where the database lives.
    pub data_dir: PathBuf,
    /// The built app (Trunk's `dist/`).
    pub app_dir: PathBuf,
    /// Where bulb changes go.
    pub driver: Arc<dyn BulbDriver>,
}

/// Starting failed.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened.
    #[error(transparent)]
    Store(#[from] crate::store::OpenError),
    /// The address could not be bound.
    #[error(
        "cannot listen on {addr}: {source} (is another server running? try --addr 127.0.0.1:8081)"
    )]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Loading state failed.
    #[error("cannot load the bulb's state: {0}")]
    Load(#[from] crate::error::AppError),
}

/// The whole router: `/api` plus the built app, with request spans and the body limit.
pub fn app(state: AppState, app_dir: &Path) -> Router {
    let index = ServeFile::new(app_dir.join("index.html"));
    // Unknown non-API paths get the app, so a reload on any page works.
    let static_files = ServeDir::new(app_dir).fallback(index);
    Router::new()
        .nest("/api", routes::api())
        .fallback_service(static_files)
        .layer(DefaultBodyLimit::max(bulbwatch_api::MAX_BODY_BYTES))
        // Cross-origin isolation gives the check worker SharedArrayBuffer, so its
        // `sleep` and `poll` can block on Atomics.wait instead of spinning a core.
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-embedder-policy"),
            HeaderValue::from_static("require-corp"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
        }))
        .with_state(state)
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    stop: CancellationToken,
    worker: tokio::task::JoinHandle<()>,
    local_addr: SocketAddr,
}

impl Application {
    /// Opens the store, loads the bulb, binds the address.
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        let store = Store::open(&settings.data_dir)?;
        let stop = CancellationToken::new();
        let (state, worker) = AppState::start(store, settings.driver, stop.clone()).await?;
        if !settings.app_dir.join("index.html").is_file() {
            tracing::warn!(
                app_dir = %settings.app_dir.display(),
                "no built app here (index.html missing): the API works, the page does not; build it with scripts/run.sh or pass --app-dir"
            );
        }
        let router = app(state, &settings.app_dir);
        let listener =
            TcpListener::bind(settings.addr)
                .await
                .map_err(|source| StartError::Bind {
                    addr: settings.addr,
                    source,
                })?;
        let local_addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: settings.addr,
            source,
        })?;
        Ok(Self {
            listener,
            router,
            stop,
            worker,
            local_addr,
        })
    }

    /// The address actually bound (the real port when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Cancel this to stop the server gracefully.
    pub fn stop_token(&self) -> CancellationToken {
        self.stop.clone()
    }

    /// Serves until the stop token is cancelled, then waits for the queue worker.
    pub async fn run(self) -> std::io::Result<()> {
        let stop = self.stop.clone();
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .await;
        self.stop.cancel();
        let _ = self.worker.await;
        served
    }
}
