//! Bad shard: with shards on, one shard's bridge is slow and loses changes. Cause:
//! shard (`bulb.enqueue.request_id`, `bulb.apply.request`).

use std::time::Duration;

use serde_json::json;

use super::{
    About, Answer, Change, RevealFacts, RoomFacts, Scenario, SettingDef, chance, draw, lost, plural,
};

/// The bad shard.
pub struct BadShard;

/// One change in this many on the bad shard is lost.
const ONE_IN: u64 = 3;

/// Which shard is bad: picked from the seed; none while there is one shard.
pub fn bad_shard(room: &RoomFacts) -> Option<u32> {
    (room.shards > 1).then(|| (draw(room.seed, "bad_shard", 0) % u64::from(room.shards)) as u32)
}

const ABOUT: About = About {
    id: "bad_shard",
    title: "Bad shard",
    brief: "With two or more shards, one shard's bridge (picked from the seed) is slow and loses 1 in 3 of its changes. Only the attendees on that shard see checks fail.",
    root_cause: &["shard"],
    always_on: false,
    needs_shards: true,
};

impl Scenario for BadShard {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn revealing_query(&self) -> serde_json::Value {
        json!({
            "dataset": "bulb",
            "calculations": [{"op": "COUNT"}, {"op": "P95", "column": "save_ms"}],
            "filters": [{"column": "name", "op": "=", "value": "bulb.apply"}],
            "breakdowns": ["shard", "succeeded"],
            "orders": [{"column": "shard"}],
            "time_range": 7200,
            "fit": true,
        })
    }

    fn setting(&self) -> Option<SettingDef> {
        Some(SettingDef {
            label: "Bridge slowness",
            unit: "ms",
            min: 0,
            max: 5000,
            default: 1500,
        })
    }

    fn detail(&self, room: &RoomFacts) -> Option<String> {
        Some(match bad_shard(room) {
            Some(shard) => format!("Shard {shard}'s bridge is the bad one (from the seed)."),
            None => "Does nothing until the room has two or more shards.".into(),
        })
    }

    fn before_driver(&self, room: &RoomFacts, change: &Change<'_>) -> Duration {
        match bad_shard(room) {
            Some(bad) if bad == change.shard => {
                Duration::from_millis(u64::try_from(room.value).unwrap_or(0))
            }
            _ => Duration::ZERO,
        }
    }

    fn on_answer(&self, room: &RoomFacts, change: &Change<'_>, answer: &mut Answer) -> bool {
        if bad_shard(room) == Some(change.shard)
            && answer.shown.is_ok()
            && chance(room.seed, self.id(), change.seq, ONE_IN)
        {
            answer.shown = Err(lost());
            return true;
        }
        false
    }

    fn reveal(&self, facts: &RevealFacts) -> String {
        let room = RoomFacts {
            seed: facts.seed,
            shards: facts.shards,
            value: facts.value,
        };
        let which = bad_shard(&room).map_or_else(
            || "one shard's bridge".to_string(),
            |s| format!("shard {s}'s bridge"),
        );
        format!(
            "Of the {} shards, {which} is slow ({} ms a change) and loses 1 in {ONE_IN} \
             changes; the others are healthy. Only the attendees spread onto that shard saw \
             failures, so the room's pass rate dipped without anyone's check being wrong. \
             Grouped by shard (bulb.enqueue.request_id, bulb.apply.request), the slow saves \
             and the failed applies are all on one shard ({} slowed this session).",
            facts.shards,
            facts.value,
            plural(facts.affected, "change"),
        )
    }
}
