//! What every handler can reach.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::auth::AttendeeCache;
use crate::bulb::{Bulb, BulbDriver};
use crate::error::AppError;
use crate::store::Store;

/// Shared state of the running server.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The bulb service.
    pub bulb: Bulb,
    /// Attendees by token hash.
    pub attendees: AttendeeCache,
    /// Cancelled when the server shuts down; long-lived streams end on it.
    pub shutdown: CancellationToken,
}

impl AppState {
    /// Loads the state from `store` and starts the bulb's queue worker, which runs
    /// until `shutdown` is cancelled.
    pub async fn start(
        store: Store,
        driver: Arc<dyn BulbDriver>,
        shutdown: CancellationToken,
    ) -> Result<(Self, tokio::task::JoinHandle<()>), AppError> {
        let (bulb, worker) = Bulb::start(store.clone(), driver, shutdown.clone()).await?;
        let state = Self {
            store,
            bulb,
            attendees: AttendeeCache::default(),
            shutdown,
        };
        Ok((state, worker))
    }
}
