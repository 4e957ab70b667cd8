//! Bulb drivers: where an applied change goes. The virtual bulb now; a Hue bridge
//! later. Tests plug in their own.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

use crate::colour::Hsb;

/// A driver could not set the bulb.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct DriverError(pub String);

/// Something that can show a colour: the virtual bulb, a Hue light.
pub trait BulbDriver: Send + Sync + 'static {
    /// Short name for logs ("virtual", "hue").
    fn name(&self) -> &'static str;

    /// Sets shard `shard`'s bulb to `hsb`.
    fn apply(
        &self,
        shard: u32,
        hsb: Hsb,
    ) -> Pin<Box<dyn Future<Output = Result<(), DriverError>> + Send + '_>>;
}

/// The bulbs every page shows, one per shard: they hold the colour and never fail.
#[derive(Debug, Default)]
pub struct VirtualBulb {
    current: Mutex<HashMap<u32, Hsb>>,
}

impl VirtualBulb {
    /// The colour last applied to shard 0, if any.
    pub fn current(&self) -> Option<Hsb> {
        self.current_of(0)
    }

    /// The colour last applied to shard `shard`, if any.
    pub fn current_of(&self, shard: u32) -> Option<Hsb> {
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
        hsb: Hsb,
    ) -> Pin<Box<dyn Future<Output = Result<(), DriverError>> + Send + '_>> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(shard, hsb);
        Box::pin(std::future::ready(Ok(())))
    }
}
