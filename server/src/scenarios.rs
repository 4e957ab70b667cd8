//! Failure scenarios: what the room discovers. Each is one file behind [`Scenario`],
//! listed once in [`catalogue`]; the facilitator switches them on and off (a marker
//! each time, saved across restarts), and the bulb service calls their hooks at
//! enqueue, before the driver call, and on the driver's answer.
//!
//! Every random decision comes from the room's seed and the change's sequence
//! number ([`chance`]), so a test or a rehearsal replays exactly.

mod background_noise;
mod bad_deploy;
mod bad_shard;
mod busy_queue;
mod flaky_green;
mod gamut_clamp;
mod registry;
mod shared_bulb;

use std::sync::Arc;
use std::time::Duration;

use sha2::{Digest, Sha256};

pub use gamut_clamp::clamp_to_gamut_b;
pub use registry::{SEED_KEY, Scenarios};

use crate::bulb::DriverError;
use crate::colour::{Colour, InputForm};

/// Every scenario, in the console's order. Adding one is a file and a line here.
pub fn catalogue() -> Vec<Arc<dyn Scenario>> {
    vec![
        Arc::new(shared_bulb::SharedBulb),
        Arc::new(busy_queue::BusyQueue),
        Arc::new(flaky_green::FlakyGreen),
        Arc::new(background_noise::BackgroundNoise),
        Arc::new(gamut_clamp::GamutClamp),
        Arc::new(bad_shard::BadShard),
        Arc::new(bad_deploy::BadDeploy),
    ]
}

/// A value the facilitator picks for a scenario.
#[derive(Clone, Copy, Debug)]
pub struct SettingDef {
    /// "Queue delay".
    pub label: &'static str,
    /// "ms".
    pub unit: &'static str,
    /// Smallest allowed.
    pub min: i64,
    /// Largest allowed.
    pub max: i64,
    /// The value until the facilitator picks one.
    pub default: i64,
}

/// What a hook knows of the room.
#[derive(Clone, Copy, Debug)]
pub struct RoomFacts {
    /// The room's seed.
    pub seed: u64,
    /// How many shards the bulb service has.
    pub shards: u32,
    /// The scenario's setting (its default if it has none picked).
    pub value: i64,
}

/// The change a hook is called for.
#[derive(Clone, Copy, Debug)]
pub struct Change<'a> {
    /// Its sequence number in the queue (unique, increasing).
    pub seq: i64,
    /// The shard whose queue it is in.
    pub shard: u32,
    /// The colour asked for.
    pub colour: &'a Colour,
}

/// What the driver answered, as a scenario may change it.
#[derive(Debug)]
pub struct Answer {
    /// The colour the bulb shows now, or why it does not.
    pub shown: Result<Colour, DriverError>,
    /// The colour was outside the bulb's gamut and was clamped.
    pub clamped: bool,
}

/// What a reveal can say of this session.
#[derive(Clone, Debug, Default)]
pub struct RevealFacts {
    /// The queue delay now, ms.
    pub queue_delay_ms: u32,
    /// Changes that went through the queue this session.
    pub changes: u64,
    /// The longest the queue was.
    pub longest_queue: u32,
    /// From request to applied, P95 and worst, ms.
    pub wait_p95_ms: i64,
    /// The worst wait, ms.
    pub wait_worst_ms: i64,
    /// Changes this scenario's hooks changed since the server started.
    pub affected: u64,
    /// The room as the hooks see it.
    pub shards: u32,
    /// The scenario's setting.
    pub value: i64,
    /// The room's seed.
    pub seed: u64,
}

/// What a scenario is, for the console and the reveal.
#[derive(Debug)]
pub struct About {
    /// Stable id: `flaky_green`.
    pub id: &'static str,
    /// Its name: "Flaky green".
    pub title: &'static str,
    /// What the facilitator reads before switching it on.
    pub brief: &'static str,
    /// The column(s) where its root cause shows.
    pub root_cause: &'static [&'static str],
    /// On from the start and cannot be switched off.
    pub always_on: bool,
    /// Only does something with more than one shard.
    pub needs_shards: bool,
}

/// One failure scenario.
pub trait Scenario: Send + Sync + 'static {
    /// What it is.
    fn about(&self) -> &'static About;
    /// A query spec (JSON, as Explore takes it) that shows the cause.
    fn revealing_query(&self) -> serde_json::Value;
    /// The reveal's text, with this session's numbers.
    fn reveal(&self, facts: &RevealFacts) -> String;
    /// Its stable id.
    fn id(&self) -> &'static str {
        self.about().id
    }
    /// Its name.
    fn title(&self) -> &'static str {
        self.about().title
    }
    /// What the facilitator reads before switching it on.
    fn brief(&self) -> &'static str {
        self.about().brief
    }
    /// The column(s) where its root cause shows.
    fn root_cause(&self) -> &'static [&'static str] {
        self.about().root_cause
    }
    /// On from the start and cannot be switched off.
    fn always_on(&self) -> bool {
        self.about().always_on
    }
    /// Only does something with more than one shard.
    fn needs_shards(&self) -> bool {
        self.about().needs_shards
    }
    /// A value the facilitator picks, if any.
    fn setting(&self) -> Option<SettingDef> {
        None
    }
    /// The marker drawn on every chart when it is switched (attendees see it, so it
    /// does not name the cause).
    fn marker(&self, on: bool, _value: i64) -> String {
        if on {
            "the facilitator switched a scenario on".into()
        } else {
            "the facilitator switched a scenario off".into()
        }
    }
    /// What it does in this room now, for the console.
    fn detail(&self, _room: &RoomFacts) -> Option<String> {
        None
    }
    /// The queue delay it imposes while on.
    fn queue_delay_ms(&self, _room: &RoomFacts) -> Option<u32> {
        None
    }
    /// At enqueue: may change the colour the request turns into. True if it did.
    fn at_enqueue(&self, _room: &RoomFacts, _form: InputForm, _colour: &mut Colour) -> bool {
        false
    }
    /// Before the driver call: how much longer the bridge takes.
    fn before_driver(&self, _room: &RoomFacts, _change: &Change<'_>) -> Duration {
        Duration::ZERO
    }
    /// On the driver's answer: may lose the change or change what is shown. True if
    /// it did.
    fn on_answer(&self, _room: &RoomFacts, _change: &Change<'_>, _answer: &mut Answer) -> bool {
        false
    }
}

/// A decision that comes out true once in `one_in` (on average), the same every time
/// for the same seed, scenario and change.
pub fn chance(seed: u64, scenario: &str, seq: i64, one_in: u64) -> bool {
    one_in > 0 && draw(seed, scenario, seq).is_multiple_of(one_in)
}

/// A number from the seed, a scenario and a change.
pub fn draw(seed: u64, scenario: &str, seq: i64) -> u64 {
    let mut hash = Sha256::new();
    hash.update(seed.to_le_bytes());
    hash.update(scenario.as_bytes());
    hash.update(seq.to_le_bytes());
    let digest = hash.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(first)
}

/// The lost change's error, as a bridge that never confirmed it would give (the
/// same words whichever scenario lost it: the cause is in the attributes).
pub fn lost() -> DriverError {
    DriverError::Failed("the bridge did not confirm the change".into())
}

/// `1 change`, `2 changes`.
pub fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chances_replay_and_come_out_about_as_often_as_asked() {
        let hits = (0..3000).filter(|&seq| chance(7, "x", seq, 5)).count();
        assert!((500..700).contains(&hits), "{hits} of 3000");
        let again = (0..3000).filter(|&seq| chance(7, "x", seq, 5)).count();
        assert_eq!(hits, again);
        let other_seed = (0..3000).filter(|&seq| chance(8, "x", seq, 5)).count();
        assert_ne!(hits, other_seed);
    }

    #[test]
    fn ids_are_unique_and_every_scenario_has_a_revealing_query() {
        let all = catalogue();
        let mut ids: Vec<&str> = all.iter().map(|s| s.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all.len());
        for s in &all {
            let spec: bulbwatch_api::QuerySpec = serde_json::from_value(s.revealing_query())
                .unwrap_or_else(|e| panic!("{}: {e}", s.id()));
            assert!(!spec.dataset.is_empty());
            // Explore fits the window to the room's data, the range being the longest.
            assert!(spec.fit && spec.time_range.is_some(), "{}", s.id());
            assert!(!s.root_cause().is_empty(), "{}", s.id());
        }
    }
}
