//! The room's scenarios: which are on with what setting (saved in the settings
//! table), the seed, and the hooks the bulb service calls, run for every active one.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use bulbwatch_api::{ScenarioSetting, ScenarioState};

use super::{Answer, Change, RevealFacts, RoomFacts, Scenario, catalogue};
use crate::colour::{Colour, InputForm};
use crate::error::AppError;
use crate::room::reveal::explore_url;
use crate::store::Store;

/// Where the room's seed is saved.
pub const SEED_KEY: &str = "room.seed";

struct Entry {
    scenario: Arc<dyn Scenario>,
    on: bool,
    value: i64,
}

/// The scenarios of the room; cheap to clone.
#[derive(Clone)]
pub struct Scenarios {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    seed: u64,
    entries: RwLock<Vec<Entry>>,
    affected: Vec<AtomicU64>,
}

fn setting_key(id: &str) -> String {
    format!("scenario.{id}")
}

impl Scenarios {
    /// Loads which scenarios are on from `store`, with the seed: `seed` when given
    /// (saved), else the saved one, else a new random one. `extra` scenarios (test
    /// faults) follow the catalogue's.
    pub async fn load(
        store: Store,
        seed: Option<u64>,
        extra: Vec<Arc<dyn Scenario>>,
    ) -> Result<Self, AppError> {
        let seed = match seed {
            Some(seed) => seed,
            None => match store.setting(SEED_KEY).await?.and_then(|s| s.parse().ok()) {
                Some(seed) => seed,
                None => {
                    let mut bytes = [0u8; 8];
                    getrandom::fill(&mut bytes)
                        .map_err(|e| AppError::internal("making the room's seed", e))?;
                    // Small enough to read off the console and type as --seed.
                    u64::from_le_bytes(bytes) % 1_000_000
                }
            },
        };
        store.set_setting(SEED_KEY, seed.to_string()).await?;
        let mut entries = Vec::new();
        for scenario in catalogue().into_iter().chain(extra) {
            let saved = store.setting(&setting_key(scenario.id())).await?;
            let default = scenario.setting().map_or(0, |s| s.default);
            let (on, value) = match saved.as_deref().and_then(|s| s.split_once(':')) {
                Some((on, value)) => (on == "on", value.parse().unwrap_or(default)),
                None => (false, default),
            };
            let on = on || scenario.always_on();
            entries.push(Entry {
                scenario,
                on,
                value,
            });
        }
        let affected = entries.iter().map(|_| AtomicU64::new(0)).collect();
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                seed,
                entries: RwLock::new(entries),
                affected,
            }),
        })
    }

    fn read<R>(&self, f: impl FnOnce(&[Entry]) -> R) -> R {
        f(&self
            .inner
            .entries
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// The room's seed.
    pub fn seed(&self) -> u64 {
        self.inner.seed
    }

    fn facts(&self, entry: &Entry, shards: u32) -> RoomFacts {
        RoomFacts {
            seed: self.inner.seed,
            shards,
            value: entry.value,
        }
    }

    /// Switches scenario `id` on or off, with a new setting when given. Answers its
    /// title, whether it changed, and its setting.
    pub async fn set(
        &self,
        id: &str,
        on: bool,
        value: Option<i64>,
    ) -> Result<(&'static str, bool, i64), AppError> {
        let (index, title, always_on, setting, old_on, old_value) = self.read(|entries| {
            entries
                .iter()
                .enumerate()
                .find(|(_, e)| e.scenario.id() == id)
                .map(|(i, e)| {
                    (
                        i,
                        e.scenario.title(),
                        e.scenario.always_on(),
                        e.scenario.setting(),
                        e.on,
                        e.value,
                    )
                })
                .ok_or_else(|| {
                    AppError::NotFound(format!(
                        "no scenario {id:?}; GET /api/room/scenarios lists them"
                    ))
                })
        })?;
        if always_on && !on {
            return Err(AppError::Invalid(format!(
                "{title} is always on: it is how the bulb works, not a fault"
            )));
        }
        let value = match (value, setting) {
            (None, _) => old_value,
            (Some(v), Some(s)) if (s.min..=s.max).contains(&v) => v,
            (Some(v), Some(s)) => {
                return Err(AppError::Invalid(format!(
                    "{} of {title} must be {}–{} {}, got {v}",
                    s.label.to_lowercase(),
                    s.min,
                    s.max,
                    s.unit
                )));
            }
            (Some(_), None) => {
                return Err(AppError::Invalid(format!(
                    "{title} has no setting: send only `on`"
                )));
            }
        };
        let saved = format!("{}:{value}", if on { "on" } else { "off" });
        self.inner
            .store
            .set_setting(&setting_key(id), saved)
            .await?;
        let mut entries = self
            .inner
            .entries
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        entries[index].on = on;
        entries[index].value = value;
        Ok((title, old_on != on || old_value != value, value))
    }

    /// The marker text for switching scenario `id`.
    pub fn marker(&self, id: &str, on: bool, value: i64) -> Option<String> {
        self.read(|entries| {
            entries
                .iter()
                .find(|e| e.scenario.id() == id)
                .map(|e| e.scenario.marker(on, value))
        })
    }

    /// Every scenario as the console lists it.
    pub fn states(&self, shards: u32) -> Vec<ScenarioState> {
        self.read(|entries| {
            entries
                .iter()
                .map(|e| {
                    let s = &e.scenario;
                    ScenarioState {
                        id: s.id().into(),
                        title: s.title().into(),
                        brief: s.brief().into(),
                        root_cause: s.root_cause().iter().map(|c| (*c).into()).collect(),
                        on: e.on,
                        always_on: s.always_on(),
                        needs_shards: s.needs_shards(),
                        setting: s.setting().map(|d| ScenarioSetting {
                            label: d.label.into(),
                            unit: d.unit.into(),
                            value: e.value,
                            min: d.min,
                            max: d.max,
                        }),
                        detail: s.detail(&self.facts(e, shards)),
                        explore_url: explore_url(&s.revealing_query()),
                    }
                })
                .collect()
        })
    }

    /// The active scenarios' reveal texts, titles, root causes and queries, with
    /// `facts` completed per scenario.
    pub fn reveals(&self, shards: u32, facts: &RevealFacts) -> Vec<(String, String, String)> {
        self.read(|entries| {
            entries
                .iter()
                .enumerate()
                .filter(|(_, e)| e.on)
                .map(|(i, e)| {
                    let mut facts = facts.clone();
                    facts.affected = self.inner.affected[i].load(Ordering::Relaxed);
                    facts.value = e.value;
                    facts.shards = shards;
                    facts.seed = self.inner.seed;
                    (
                        e.scenario.title().to_string(),
                        e.scenario.reveal(&facts),
                        explore_url(&e.scenario.revealing_query()),
                    )
                })
                .collect()
        })
    }

    /// The active scenarios' titles and root-cause columns.
    pub fn active_causes(&self) -> Vec<(&'static str, &'static [&'static str])> {
        self.read(|entries| {
            entries
                .iter()
                .filter(|e| e.on)
                .map(|e| (e.scenario.title(), e.scenario.root_cause()))
                .collect()
        })
    }

    fn each_active(&self, shards: u32, mut f: impl FnMut(usize, &dyn Scenario, &RoomFacts)) {
        self.read(|entries| {
            for (i, e) in entries.iter().enumerate().filter(|(_, e)| e.on) {
                f(i, e.scenario.as_ref(), &self.facts(e, shards));
            }
        });
    }

    fn count(&self, index: usize) {
        self.inner.affected[index].fetch_add(1, Ordering::Relaxed);
    }

    /// The queue delay an active scenario imposes (the longest, if several do).
    pub fn queue_delay_ms(&self, shards: u32) -> Option<u32> {
        let mut delay = None;
        self.each_active(shards, |_, s, room| {
            if let Some(ms) = s.queue_delay_ms(room) {
                delay = Some(delay.map_or(ms, |d: u32| d.max(ms)));
            }
        });
        delay
    }

    /// Runs the active scenarios' enqueue hooks on `colour`.
    pub fn at_enqueue(&self, shards: u32, form: InputForm, colour: &mut Colour) {
        self.each_active(shards, |i, s, room| {
            if s.at_enqueue(room, form, colour) {
                self.count(i);
            }
        });
    }

    /// How much longer the bridge takes for `change`.
    pub fn before_driver(&self, shards: u32, change: &Change<'_>) -> Duration {
        let mut extra = Duration::ZERO;
        self.each_active(shards, |i, s, room| {
            let more = s.before_driver(room, change);
            if !more.is_zero() {
                self.count(i);
                extra += more;
            }
        });
        extra
    }

    /// Runs the active scenarios' answer hooks.
    pub fn on_answer(&self, shards: u32, change: &Change<'_>, answer: &mut Answer) {
        self.each_active(shards, |i, s, room| {
            if s.on_answer(room, change, answer) {
                self.count(i);
            }
        });
    }
}
