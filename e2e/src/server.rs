//! A real Bulbwatch server in this process, on a loopback port, serving `dist/`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bulbwatch::bulb::VirtualBulb;
use bulbwatch::scenarios::Scenario;
use bulbwatch::startup::StartError;
use bulbwatch::{Application, Settings};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A running server; `restart` stops it and starts a new one on the same port and
/// data directory.
pub struct TestServer {
    /// The address it listens on.
    pub addr: SocketAddr,
    data_dir: tempfile::TempDir,
    app_dir: PathBuf,
    faults: Vec<Arc<dyn Scenario>>,
    stop: CancellationToken,
    handle: Option<JoinHandle<std::io::Result<()>>>,
    room: Option<bulbwatch::room::Room>,
}

impl TestServer {
    /// Starts a server on a free loopback port with an empty data directory.
    pub async fn start() -> Self {
        Self::start_with_faults(Vec::new()).await
    }

    /// Starts a server like [`TestServer::start`] with `faults` always on (test
    /// scenarios, see [`crate::faults`]).
    pub async fn start_with_faults(faults: Vec<Arc<dyn Scenario>>) -> Self {
        let app_dir = std::env::var_os("BULBWATCH_E2E_APP_DIR")
            .map_or_else(|| crate::workspace_root().join("dist"), PathBuf::from);
        assert!(
            app_dir.join("index.html").is_file(),
            "no built app in {}: build it first (scripts/test.sh runs `trunk build --release`)",
            app_dir.display()
        );
        let data_dir = tempfile::tempdir().expect("temp data dir");
        let mut server = Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir,
            app_dir,
            faults,
            stop: CancellationToken::new(),
            handle: None,
            room: None,
        };
        server.launch().await;
        server
    }

    /// Starts the server on `self.addr`. A restart asks for the port it had; the old
    /// socket can take a moment to be free again, so binding is retried (bounded).
    async fn launch(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let app = loop {
            let built = Application::build(Settings {
                addr: self.addr,
                data_dir: self.data_dir.path().to_path_buf(),
                app_dir: self.app_dir.clone(),
                driver: Arc::new(VirtualBulb::default()),
                max_queue_length: bulbwatch::bulb::DEFAULT_MAX_QUEUE_LENGTH,
                facilitator_token: None,
                public_url: None,
                seed: None,
                extra_scenarios: self.faults.clone(),
                connections: Default::default(),
                // The Hue-compatible API on a port of its own, for the console.
                hue_addr: Some(SocketAddr::from(([127, 0, 0, 1], 0))),
            })
            .await;
            match built {
                Ok(app) => break app,
                Err(e @ StartError::Bind { .. }) if Instant::now() < deadline => {
                    eprintln!("retrying: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("the server did not start: {e}"),
            }
        };
        self.addr = app.local_addr();
        self.stop = app.stop_token();
        self.room = Some(app.state().room.clone());
        self.handle = Some(tokio::spawn(app.run()));
    }

    /// The built app it serves (`dist/`, or `BULBWATCH_E2E_APP_DIR`).
    pub fn app_dir(&self) -> &std::path::Path {
        &self.app_dir
    }

    /// The page's URL.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    fn room(&self) -> &bulbwatch::room::Room {
        self.room.as_ref().expect("the server has started")
    }

    /// The attendees' join link, `http://…/join/CODE`, as the console shows it.
    pub fn join_url(&self) -> String {
        self.room().join_url()
    }

    /// The facilitator's console link, as `bulbwatch serve` prints it.
    pub fn console_url(&self) -> String {
        self.room().console_url()
    }

    /// The facilitator's secret, for calls made as the facilitator.
    pub fn facilitator(&self) -> String {
        self.room().facilitator_token()
    }

    /// Stops the server, waits until it has stopped (its queue worker and event
    /// writer done with the database), stays down `down_for`, and starts it again on
    /// the same port and data directory.
    pub async fn restart(&mut self, down_for: Duration) {
        self.stop.cancel();
        if let Some(handle) = self.handle.take() {
            tokio::time::timeout(Duration::from_secs(30), handle)
                .await
                .expect("the server stops within 30 s")
                .expect("the server task ends")
                .expect("the server stops cleanly");
        }
        tokio::time::sleep(down_for).await;
        self.launch().await;
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}
