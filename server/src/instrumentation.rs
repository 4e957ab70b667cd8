//! Instrumentation points: named spots in the server's code that add business
//! attributes to spans when switched on, the in-page stand-in for live-coding
//! `span.record(…)`. The catalogue is in [`points`]; this is the room's switchboard.
//!
//! Every point is off until someone switches it on; the switches are kept in SQLite
//! settings (`point:{id}` = `on`/`off`), so they survive a restart. There is one room
//! for now, so one switchboard.

pub mod points;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use bulbwatch_api::InstrumentationPoint;

pub use points::{CATALOGUE, PointDef, PointId};

use crate::error::AppError;
use crate::store::Store;

const SETTING_PREFIX: &str = "point:";

/// Which points are on; cheap to clone, cheap to ask.
#[derive(Clone)]
pub struct Points {
    on: Arc<[AtomicBool; PointId::COUNT]>,
    store: Store,
}

impl Points {
    /// The switches as stored (all off in a new room).
    pub async fn load(store: Store) -> Result<Self, AppError> {
        let points = Self {
            on: Arc::new(Default::default()),
            store,
        };
        for (key, value) in points.store.settings_with_prefix(SETTING_PREFIX).await? {
            // A stored id this build does not know is ignored (a renamed point).
            if let Some(id) = key.strip_prefix(SETTING_PREFIX).and_then(PointId::find) {
                points.on[id as usize].store(value == "on", Ordering::Relaxed);
            }
        }
        Ok(points)
    }

    /// Whether `id` is on. The question every point asks before recording.
    pub fn on(&self, id: PointId) -> bool {
        self.on[id as usize].load(Ordering::Relaxed)
    }

    /// Switches `id` on or off, stored before it takes effect.
    pub async fn set(&self, id: PointId, on: bool) -> Result<(), AppError> {
        let value = if on { "on" } else { "off" };
        self.store
            .set_setting(format!("{SETTING_PREFIX}{}", id.key()), value.to_string())
            .await?;
        self.on[id as usize].store(on, Ordering::Relaxed);
        Ok(())
    }

    /// One point as the API shows it.
    pub fn describe(&self, id: PointId) -> InstrumentationPoint {
        let def = id.def();
        InstrumentationPoint {
            id: def.key.to_string(),
            title: def.title.to_string(),
            span: def.span.to_string(),
            file: def.file.to_string(),
            line: def.line(),
            snippet: def.snippet().to_string(),
            attributes: def.attributes.iter().map(|a| (*a).to_string()).collect(),
            on: self.on(id),
        }
    }

    /// Every point, in catalogue order.
    pub fn list(&self) -> Vec<InstrumentationPoint> {
        PointId::ALL
            .into_iter()
            .map(|id| self.describe(id))
            .collect()
    }
}
