//! The virtual bulbs every page shows.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{BulbDriver, DriverError, DriverFuture, LightState};

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

    fn apply(&self, shard: u32, light: LightState) -> DriverFuture<'_, Result<(), DriverError>> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(shard, light);
        Box::pin(std::future::ready(Ok(())))
    }
}
