//! The Philips Hue bridge driver (local REST API v1): shard n's changes go to the
//! n-th light of `--hue-lights`, each a `PUT /api/<username>/lights/<id>/state`, at
//! most [`COMMANDS_PER_SECOND`] a light (a command past it waits for its turn, as
//! Hue asks of its clients), each bounded by the timeout.

mod client;
mod errors;
mod pace;
mod pairing;
mod status;

use std::num::NonZeroU32;
use std::time::Duration;

use bulbwatch_api::DriverStatus;
use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};

pub use client::HueClient;
pub use errors::{
    HueApiError, HueError, HueErrorType, HueItem, HueLight, parse_answer, parse_light,
};
pub use pace::{FakePace, Pace, RealPace};
pub use pairing::{PairError, devicetype_for, pair};

use super::{BulbDriver, DriverError, DriverFuture, LightState};

/// Commands a light takes per second (Hue's guidance: about 10), a burst of as many.
pub const COMMANDS_PER_SECOND: u32 = 10;

/// Default time a bridge has to answer, ms (`--hue-timeout-ms`).
pub const DEFAULT_TIMEOUT_MS: u64 = 2_000;

/// Which bridge, as whom, and which lights.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HueConfig {
    /// The bridge's base URL, `http://ADDR`.
    pub bridge: String,
    /// The username pairing gave (`bulbwatch hue pair`).
    pub username: String,
    /// Light ids, shard 0's first.
    pub lights: Vec<String>,
    /// How long each request may take.
    pub timeout: Duration,
}

type LightLimiter<C> =
    RateLimiter<String, DashMapStateStore<String>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// Sets the shards' bulbs on a Hue bridge's lights.
pub struct HueDriver<P: Pace = RealPace> {
    client: HueClient,
    lights: Vec<String>,
    limiter: LightLimiter<P::Clock>,
    pace: P,
}

impl HueDriver {
    /// A driver for `config`, on real time.
    pub fn new(config: HueConfig) -> Result<Self, HueError> {
        Self::with_pace(config, RealPace::default())
    }
}

impl<P: Pace> HueDriver<P> {
    /// A driver for `config` whose rate limit runs on `pace` (a test's fake clock).
    pub fn with_pace(config: HueConfig, pace: P) -> Result<Self, HueError> {
        let per_second = NonZeroU32::new(COMMANDS_PER_SECOND).unwrap_or(NonZeroU32::MIN);
        Ok(Self {
            client: HueClient::new(&config.bridge, &config.username, config.timeout)?,
            lights: config.lights,
            limiter: RateLimiter::dashmap_with_clock(Quota::per_second(per_second), pace.clock()),
            pace,
        })
    }

    /// Sets shard `shard`'s light, once the light's rate limit gives it a turn.
    async fn set(&self, shard: u32, light: LightState) -> Result<(), HueError> {
        let id = self.light_of(shard)?;
        self.wait_turn(id).await;
        self.client.set_state(id, light).await
    }

    fn light_of(&self, shard: u32) -> Result<&String, HueError> {
        self.lights
            .get(shard as usize)
            .ok_or_else(|| HueError::NoLight {
                shard,
                count: self.lights.len(),
                example: (1..=shard + 1)
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            })
    }

    /// Waits until light `id` may take another command (never refuses).
    async fn wait_turn(&self, id: &String) {
        while let Err(not_until) = self.limiter.check_key(id) {
            self.pace.wait_until(not_until.earliest_possible()).await;
        }
    }
}

impl<P: Pace> BulbDriver for HueDriver<P> {
    fn name(&self) -> &'static str {
        "hue"
    }

    fn apply(&self, shard: u32, light: LightState) -> DriverFuture<'_, Result<(), DriverError>> {
        Box::pin(async move { self.set(shard, light).await.map_err(DriverError::from) })
    }

    fn status(&self) -> DriverFuture<'_, DriverStatus> {
        Box::pin(status::probe(&self.client, &self.lights))
    }
}
