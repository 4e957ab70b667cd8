//! Bulb drivers: where an applied change goes. The virtual bulb now; a Hue bridge
//! later. Tests plug in their own.

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

    /// Sets the bulb to `hsb`.
    fn apply(&self, hsb: Hsb)
    -> Pin<Box<dyn Future<Output = Result<(), DriverError>> + Send + '_>>;
}

/// The bulb every page shows: it holds the colour and never fails.
#[derive(Debug, Default)]
pub struct VirtualBulb {
    current: Mutex<Option<Hsb>>,
}

impl VirtualBulb {
    /// The colour last applied, if any.
    pub fn current(&self) -> Option<Hsb> {
        *self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl BulbDriver for VirtualBulb {
    fn name(&self) -> &'static str {
        "virtual"
    }

    fn apply(
        &self,
        hsb: Hsb,
    ) -> Pin<Box<dyn Future<Output = Result<(), DriverError>> + Send + '_>> {
        *self
            .current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(hsb);
        Box::pin(std::future::ready(Ok(())))
    }
}
