//! Shared bulb (always present): the room has one bulb, so another attendee's change
//! can land between your set and your read. Cause: the change that replaced yours,
//! and how briefly yours stood (`bulb.apply.previous`).

use serde_json::json;

use super::{About, RevealFacts, Scenario, plural};

/// The shared bulb.
pub struct SharedBulb;

const ABOUT: About = About {
    id: "shared_bulb",
    title: "Shared bulb",
    brief: "Always on: the whole room shares one bulb, so another attendee's change can land between a check's set and its read. The more people run checks, the more often.",
    // How briefly the replaced change stood, who replaced it, and how many changes
    // were queued right behind it.
    root_cause: &["previous_shown_ms", "previous_writer", "queue_length"],
    always_on: true,
    needs_shards: false,
};

impl Scenario for SharedBulb {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn revealing_query(&self) -> serde_json::Value {
        json!({
            "dataset": "bulb",
            "calculations": [{"op": "COUNT"}, {"op": "P50", "column": "previous_shown_ms"}],
            "filters": [
                {"column": "name", "op": "=", "value": "bulb.apply"},
                {"column": "previous_shown_ms", "op": "<", "value": 200}
            ],
            "breakdowns": ["previous_writer"],
            "orders": [{"op": "COUNT", "order": "descending"}],
            "time_range": 7200,
            "fit": true,
        })
    }

    fn reveal(&self, facts: &RevealFacts) -> String {
        format!(
            "There is one bulb for the whole room. A check sets a colour and reads it back a \
             moment later; if someone else's change is applied in between, the check reads \
             their colour and its own request id never shows. Nothing failed on the server: \
             every change was applied, in order ({} this session). With bulb.apply.previous \
             on, the apply span says whose change it replaced and how long that one stood \
             (previous_shown_ms): a change that stood less than the check's poll interval \
             (100 ms) was never seen by the check that asked for it. A check can tell this \
             apart by reading the bulb's applied_by, or by pinning a shard of its own.",
            plural(facts.changes, "change")
        )
    }
}
