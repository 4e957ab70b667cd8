//! Bulb drivers: where an applied change goes. The virtual bulb by default, a Philips
//! Hue bridge when the server is pointed at one (`--hue-bridge`); tests plug in their
//! own.

pub mod hue;
mod virtual_bulb;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use bulbwatch_api::DriverStatus;

use crate::colour::Hsb;

pub use hue::{HueConfig, HueDriver, HueError};
pub use virtual_bulb::VirtualBulb;

/// What a driver shows: on or off, and the colour (kept while off, as a Hue light
/// keeps it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LightState {
    /// Lit or dark.
    pub on: bool,
    /// The colour, in the bulb's own terms.
    pub hsb: Hsb,
}

impl LightState {
    /// A lit bulb showing `hsb`.
    pub fn lit(hsb: Hsb) -> Self {
        Self { on: true, hsb }
    }
}

/// A driver could not set the bulb.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// Any driver's failure, in words.
    #[error("{0}")]
    Failed(String),
    /// The Hue bridge did not set the light: it answered with one of Hue's errors, or
    /// could not be reached, or did not answer in time.
    #[error(transparent)]
    Hue(#[from] HueError),
}

impl DriverError {
    /// Hue's error type (1 unauthorized user, 3 resource not available, …), when the
    /// bridge answered with one.
    pub fn error_type(&self) -> Option<u16> {
        self.hue_answer().map(|e| e.kind.code())
    }

    /// Hue's description of the error, when the bridge answered with one.
    pub fn error_description(&self) -> Option<&str> {
        self.hue_answer().map(|e| e.description.as_str())
    }

    fn hue_answer(&self) -> Option<&hue::HueApiError> {
        match self {
            DriverError::Hue(HueError::Api(e)) => Some(e),
            _ => None,
        }
    }
}

/// A boxed future, as the trait's methods return them (the trait stays object-safe).
pub type DriverFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Something that can show a colour: the virtual bulb, a Hue light.
pub trait BulbDriver: Send + Sync + 'static {
    /// Short name for logs ("virtual", "hue").
    fn name(&self) -> &'static str;

    /// Sets shard `shard`'s bulb to `light`.
    fn apply(&self, shard: u32, light: LightState) -> DriverFuture<'_, Result<(), DriverError>>;

    /// What the driver drives and whether it can (asked once at start, for the log and
    /// the facilitator's console). By default just its name.
    fn status(&self) -> DriverFuture<'_, DriverStatus> {
        Box::pin(std::future::ready(DriverStatus::named(self.name())))
    }
}

/// The driver the configuration asks for: a Hue bridge's lights when one is given,
/// else the virtual bulbs.
pub fn choose(hue: Option<HueConfig>) -> Result<Arc<dyn BulbDriver>, HueError> {
    Ok(match hue {
        Some(config) => Arc::new(HueDriver::new(config)?),
        None => Arc::new(VirtualBulb::default()),
    })
}

/// Says in the log which bulbs the server drives, or why it cannot.
pub fn log_status(status: &DriverStatus) {
    let lights: Vec<String> = status
        .lights
        .iter()
        .map(|l| {
            let name = l
                .name
                .as_deref()
                .map(|n| format!(" \"{n}\""))
                .unwrap_or_default();
            let reachable = if l.reachable {
                "reachable"
            } else {
                "not reachable"
            };
            format!("shard {} → light {}{name} ({reachable})", l.shard, l.id)
        })
        .collect();
    let bridge = status.bridge.as_deref().unwrap_or("-");
    match &status.problem {
        None if status.bridge.is_some() => tracing::info!(
            driver = status.driver.as_str(),
            bridge,
            lights = lights.join(", ").as_str(),
            "driving the Hue bridge's lights"
        ),
        None => tracing::info!(driver = status.driver.as_str(), "driving the virtual bulbs"),
        Some(problem) => tracing::warn!(
            driver = status.driver.as_str(),
            bridge,
            lights = lights.join(", ").as_str(),
            problem = problem.as_str(),
            "the bulb driver cannot set every bulb"
        ),
    }
}
