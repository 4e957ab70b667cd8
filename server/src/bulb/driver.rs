//! Bulb drivers: where an applied change goes. The virtual bulb by default; tests plug
//! in their own.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use crate::colour::Hsb;

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
#[error("{0}")]
pub struct DriverError(pub String);

/// Something that can show a colour: the virtual bulb, a Hue light.
pub trait BulbDriver: Send + Sync + 'static {
    /// Short name for logs ("virtual", "hue").
    fn name(&self) -> &'static str;

    /// Sets shard `shard`'s bulb to `light`.
    fn apply(
        &self,
        shard: u32,
        light: LightState,
    ) -> Pin<Box<dyn Future<Output = Result<(), DriverError>> + Send + '_>>;
}

/// The bulbs every page shows, one per shard: they hold the colour and never fail.
#[derive(Debug, Default)]
pub struct VirtualBulb {
    current: Mutex<HashMap<u32, LightState>>,
}

impl VirtualBulb {
    /// What was last applied to shard 0, if anything.
    pub fn current(&self) -> Option<LightState> {
        self.current_of(0)
    }

    /// What was last applied to shard `shard`, if anything.
    pub fn current_of(&self, shard: u32) -> Option<LightState> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&shard)
            .copied()
    }
}

impl BulbDriver for VirtualBulb {
    fn name(&self) -> &'static str {
        "virtual"
    }

    fn apply(
        &self,
        shard: u32,
        light: LightState,
    ) -> Pin<Box<dyn Future<Output = Result<(), DriverError>> + Send + '_>> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(shard, light);
        Box::pin(std::future::ready(Ok(())))
    }
}
