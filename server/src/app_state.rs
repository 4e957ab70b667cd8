//! What every handler can reach.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::auth::AttendeeCache;
use crate::bulb::{Bulb, BulbDriver};
use crate::error::AppError;
use crate::events::{self, Events};
use crate::hue::HueBridge;
use crate::instrumentation::Points;
use crate::limits::RateLimits;
use crate::live_feed::LiveFeed;
use crate::query_gate::QueryGate;
use crate::rehearsal::Rehearsal;
use crate::room::Room;
use crate::scenarios::{Scenario, Scenarios};
use crate::store::Store;

/// How the room starts, besides what is saved.
#[derive(Clone, Default)]
pub struct RoomOptions {
    /// The facilitator's secret; `None` keeps the stored one (made at first start).
    pub facilitator_token: Option<String>,
    /// The room's seed; `None` keeps the stored one (made at first start).
    pub seed: Option<u64>,
    /// Scenarios beyond the catalogue (test faults).
    pub extra_scenarios: Vec<Arc<dyn Scenario>>,
}

/// Shared state of the running server.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The bulb service.
    pub bulb: Bulb,
    /// What the bulb driver drives and what it found at start (`GET /api/room/driver`).
    pub driver: Arc<bulbwatch_api::DriverStatus>,
    /// The live stream's frames, made once for every open page.
    pub live: LiveFeed,
    /// Attendees by token hash.
    pub attendees: AttendeeCache,
    /// The event store: counters, retention, and the events in memory for queries.
    pub events: Events,
    /// Which instrumentation points are on.
    pub points: Points,
    /// The facilitator's room: phase, switches, join code, reveal.
    pub room: Room,
    /// The failure scenarios and the room's seed.
    pub scenarios: Scenarios,
    /// The rehearsal room's simulated attendees.
    pub rehearsal: Rehearsal,
    /// Rate limits on attendees' writes and on joins.
    pub limits: Arc<RateLimits>,
    /// Turns for queries and comparisons: a few at once, a bounded line.
    pub queries: QueryGate,
    /// The Hue-compatible API's bridge: pairings, link button, what Hue apps set.
    pub hue: HueBridge,
    /// Cancelled when the server shuts down; long-lived streams end on it.
    pub shutdown: CancellationToken,
}

impl AppState {
    /// Loads the state from `store` and starts the bulb's queue worker, which runs
    /// until `shutdown` is cancelled. Events are kept at the default retention.
    pub async fn start(
        store: Store,
        driver: Arc<dyn BulbDriver>,
        shutdown: CancellationToken,
    ) -> Result<(Self, tokio::task::JoinHandle<()>), AppError> {
        let events = Events::open(store.clone(), events::DEFAULT_RETENTION).await?;
        Self::start_with(
            store,
            driver,
            events,
            crate::bulb::DEFAULT_MAX_QUEUE_LENGTH,
            shutdown,
        )
        .await
    }

    /// [`AppState::start`] with an event store already open; its events are loaded
    /// into memory first (if they are not yet), so queries see them all.
    pub async fn start_with(
        store: Store,
        driver: Arc<dyn BulbDriver>,
        events: Events,
        max_queue_length: u32,
        shutdown: CancellationToken,
    ) -> Result<(Self, tokio::task::JoinHandle<()>), AppError> {
        Self::start_in_room(
            store,
            driver,
            events,
            max_queue_length,
            RoomOptions::default(),
            shutdown,
        )
        .await
    }

    /// [`AppState::start_with`] for a room started as `options` say.
    pub async fn start_in_room(
        store: Store,
        driver: Arc<dyn BulbDriver>,
        events: Events,
        max_queue_length: u32,
        options: RoomOptions,
        shutdown: CancellationToken,
    ) -> Result<(Self, tokio::task::JoinHandle<()>), AppError> {
        events.load().await?;
        let points = Points::load(store.clone()).await?;
        let room = Room::load(store.clone(), options.facilitator_token).await?;
        let scenarios =
            Scenarios::load(store.clone(), options.seed, options.extra_scenarios).await?;
        let driver_status = driver.status().await;
        crate::bulb::driver::log_status(&driver_status);
        let (bulb, worker) = Bulb::start(
            store.clone(),
            driver,
            points.clone(),
            scenarios.clone(),
            max_queue_length,
            shutdown.clone(),
        )
        .await?;
        room.show_shards(bulb.shards());
        let hue = HueBridge::load(store.clone()).await?;
        let live = LiveFeed::start(bulb.clone(), room.clone(), shutdown.clone());
        let state = Self {
            store,
            bulb,
            driver: Arc::new(driver_status),
            live,
            attendees: AttendeeCache::default(),
            events,
            points,
            room,
            scenarios,
            rehearsal: Rehearsal::new(shutdown.clone()),
            limits: Arc::new(RateLimits::default()),
            queries: QueryGate::default(),
            hue,
            shutdown: shutdown.clone(),
        };
        // Buckets that are full again are forgotten, so memory follows who is active.
        let limits = Arc::clone(&state.limits);
        tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    _ = every.tick() => limits.forget_idle(),
                }
            }
        });
        Ok((state, worker))
    }
}
