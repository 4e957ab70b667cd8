//! Building the server: telemetry, state, router, listener; running it until stopped.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::http::header::HeaderName;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tower_http::set_header::SetResponseHeaderLayer;
use tracing::instrument::WithSubscriber;

use crate::AppState;
use crate::bulb::BulbDriver;
use crate::events::Events;
use crate::routes;
use crate::static_files;
use crate::store::Store;
use crate::telemetry::{self, Telemetry, TelemetrySettings};

/// What a server needs to start. Telemetry (OTLP export, event retention, logs) is
/// set apart, in [`TelemetrySettings`]: see [`Application::build_with`].
pub struct Settings {
    /// Address to listen on; port 0 picks a free one.
    pub addr: SocketAddr,
    /// Where the database lives.
    pub data_dir: PathBuf,
    /// The built app (Trunk's `dist/`).
    pub app_dir: PathBuf,
    /// Where bulb changes go.
    pub driver: Arc<dyn BulbDriver>,
    /// Most changes the bulb's queue holds before new ones get 503.
    pub max_queue_length: u32,
    /// The facilitator's secret; `None` keeps the stored one (made at first start).
    pub facilitator_token: Option<String>,
    /// The base URL attendees reach the server at, for the join URL; `None` works it
    /// out from the address (and this machine's address on the network, when the
    /// server listens on all of them).
    pub public_url: Option<String>,
    /// The room's seed for the failure scenarios; `None` keeps the stored one.
    pub seed: Option<u64>,
    /// Scenarios beyond the catalogue, always on (test faults).
    pub extra_scenarios: Vec<Arc<dyn crate::scenarios::Scenario>>,
    /// Connections at once, and how long a slow client is waited for.
    pub connections: crate::serve::ConnectionLimits,
    /// Where the Hue-compatible API listens (its own listener; Hue apps expect
    /// `/api/<username>` at the root); `None` leaves it off.
    pub hue_addr: Option<SocketAddr>,
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
    /// The Hue API's address could not be bound.
    #[error(
        "cannot listen for Hue apps on {addr}: {source} (is another server running? try --hue-addr 127.0.0.1:8081)"
    )]
    HueBind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// Loading state failed.
    #[error("cannot load the bulb's state: {0}")]
    Load(#[from] crate::error::AppError),
    /// The stored events could not be loaded into memory for queries.
    #[error("cannot load the stored events for queries: {0}")]
    Events(crate::error::AppError),
    /// Telemetry could not be set up.
    #[error(transparent)]
    Telemetry(#[from] telemetry::TelemetryError),
}

/// The whole router: `/api` plus the built app (the page, and Explore under
/// `/explore` and `/facilitator`: see [`static_files`]), with request spans and the
/// body limit.
pub fn app(state: AppState, app_dir: &Path) -> Router {
    let (content_security_policy, nosniff) = crate::security_headers::layers(app_dir);
    Router::new()
        .nest("/api", routes::api())
        .route(
            "/facilitator/login",
            axum::routing::get(routes::facilitator_login),
        )
        .merge(static_files::routes(app_dir))
        .layer(DefaultBodyLimit::max(bulbwatch_api::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(
            crate::extract::refuse_oversized_body,
        ))
        .layer(content_security_policy)
        .layer(nosniff)
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
        .layer(telemetry::http::trace_layer())
        .with_state(state)
}

/// The base URLs of a server bound to `addr`: the one attendees use (the join URL;
/// `public_url` when given) and the one this machine uses (the console URL).
fn base_urls(addr: SocketAddr, public_url: Option<&str>) -> (String, String) {
    let port = addr.port();
    let local = if addr.ip().is_unspecified() {
        format!("http://127.0.0.1:{port}")
    } else {
        format!("http://{addr}")
    };
    let public = match public_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => url.trim_end_matches('/').to_string(),
        None if addr.ip().is_unspecified() => match network_address() {
            Some(ip) => format!("http://{}", SocketAddr::new(ip, port)),
            None => local.clone(),
        },
        None => local.clone(),
    };
    (public, local)
}

/// This machine's address on the network the room shares: the one a UDP socket
/// would send from towards a private address (nothing is sent).
fn network_address() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("10.255.255.255:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// Binds the Hue-compatible API's listener and makes its router; logs where it is.
async fn bind_hue(addr: SocketAddr, state: &AppState) -> Result<(TcpListener, Router), StartError> {
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::HueBind { addr, source })?;
    let bound = listener
        .local_addr()
        .map_err(|source| StartError::HueBind { addr, source })?;
    state.hue.set_address(bound);
    tracing::info!(hue_addr = %bound, "the Hue-compatible API listens on http://{bound}/api");
    Ok((listener, crate::hue::router(state.clone())))
}

/// A bound, ready-to-run server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    stop: CancellationToken,
    worker: JoinHandle<()>,
    telemetry: Telemetry,
    writer: JoinHandle<()>,
    writer_finish: CancellationToken,
    local_addr: SocketAddr,
    connections: crate::serve::ConnectionLimits,
    hue: Option<(TcpListener, Router)>,
}

impl Application {
    /// Opens the store, loads the bulb, binds the address; default telemetry (no
    /// OTLP export, default retention, no log printing).
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        Self::build_with(settings, TelemetrySettings::default()).await
    }

    /// [`Application::build`] with telemetry set up as `telemetry` says.
    pub async fn build_with(
        settings: Settings,
        telemetry: TelemetrySettings,
    ) -> Result<Self, StartError> {
        let store = Store::open(&settings.data_dir)?;
        let retention = crate::events::Retention {
            events: telemetry.event_retention,
            bytes: telemetry.event_retention_bytes,
        };
        let events = Events::open(store.clone(), retention).await?;
        let (sink, queue) = events.queue(telemetry.event_queue_capacity);
        let telemetry = Telemetry::new(sink, &telemetry)?;
        let dispatch = telemetry.dispatch().clone();
        Self::bind(settings, store, events, queue, telemetry)
            .with_subscriber(dispatch)
            .await
    }

    /// The rest of the build, under the server's own dispatch, so the tasks it starts
    /// (event writer, queue worker) inherit it and loading the events logs.
    async fn bind(
        settings: Settings,
        store: Store,
        events: Events,
        queue: tokio::sync::mpsc::Receiver<crate::events::NewEvent>,
        telemetry: Telemetry,
    ) -> Result<Self, StartError> {
        // Before anything can land: queries see every stored event from the start.
        events.load().await.map_err(StartError::Events)?;
        let writer_finish = CancellationToken::new();
        let writer = events.spawn_writer(queue, writer_finish.clone());
        let stop = CancellationToken::new();
        let started = AppState::start_in_room(
            store,
            settings.driver,
            events,
            settings.max_queue_length,
            crate::app_state::RoomOptions {
                facilitator_token: settings.facilitator_token,
                seed: settings.seed,
                extra_scenarios: settings.extra_scenarios,
            },
            stop.clone(),
        )
        .await;
        let (state, worker) = match started {
            Ok(started) => started,
            Err(e) => {
                writer_finish.cancel();
                return Err(e.into());
            }
        };
        if !settings.app_dir.join("index.html").is_file() {
            tracing::warn!(
                app_dir = %settings.app_dir.display(),
                "no built app here (index.html missing): the API works, the page does not; build it with scripts/run.sh or pass --app-dir"
            );
        }
        let router = app(state.clone(), &settings.app_dir);
        let bound = match TcpListener::bind(settings.addr).await {
            Ok(listener) => listener.local_addr().map(|addr| (listener, addr)),
            Err(e) => Err(e),
        };
        let (listener, local_addr) = match bound {
            Ok(bound) => bound,
            Err(source) => {
                stop.cancel();
                writer_finish.cancel();
                return Err(StartError::Bind {
                    addr: settings.addr,
                    source,
                });
            }
        };
        let hue = match settings.hue_addr {
            Some(addr) => match bind_hue(addr, &state).await {
                Ok(hue) => Some(hue),
                Err(e) => {
                    stop.cancel();
                    writer_finish.cancel();
                    return Err(e);
                }
            },
            None => None,
        };
        let (public, local) = base_urls(local_addr, settings.public_url.as_deref());
        if let Err(e) = state.room.set_urls(public, local).await {
            stop.cancel();
            writer_finish.cancel();
            return Err(e.into());
        }
        // A rehearsal that ran before the restart goes on (once the server listens).
        if let Err(e) = state.rehearsal.resume(&state).await {
            tracing::warn!(error = %e, "could not resume the rehearsal room");
        }
        Ok(Self {
            listener,
            router,
            state,
            stop,
            worker,
            telemetry,
            writer,
            writer_finish,
            local_addr,
            connections: settings.connections,
            hue,
        })
    }

    /// The address actually bound (the real port when asked for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The address the Hue-compatible API is bound to, when it is on.
    pub fn hue_addr(&self) -> Option<SocketAddr> {
        self.state.hue.address()
    }

    /// Cancel this to stop the server gracefully.
    pub fn stop_token(&self) -> CancellationToken {
        self.stop.clone()
    }

    /// The server's state (its store, event counters, points), for tests and tools.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The server's tracing dispatch: its spans become its events. The binary also
    /// makes it the process default, so log lines from anywhere print.
    pub fn dispatch(&self) -> &tracing::Dispatch {
        self.telemetry.dispatch()
    }

    /// Serves until the stop token is cancelled; then lets open requests finish,
    /// waits for the queue worker, and writes every event still queued before it
    /// returns, so nothing acknowledged is lost on a graceful stop.
    pub async fn run(self) -> std::io::Result<()> {
        let dispatch = self.telemetry.dispatch().clone();
        // The Hue listener serves beside the main one and stops with it.
        let hue = self.hue.map(|(listener, router)| {
            tokio::spawn(crate::serve::serve(
                listener,
                router,
                dispatch.clone(),
                self.stop.clone(),
                self.connections,
            ))
        });
        crate::serve::serve(
            self.listener,
            self.router,
            dispatch,
            self.stop.clone(),
            self.connections,
        )
        .await;
        self.stop.cancel();
        if let Some(hue) = hue {
            let _ = hue.await;
        }
        self.stop.cancel();
        let _ = self.worker.await;
        // Every span has closed: flush the exporters, then the event writer.
        self.telemetry.shutdown().await;
        self.writer_finish.cancel();
        let _ = self.writer.await;
        Ok(())
    }
}
