//! Flaky green: the bridge loses one in five changes to green. The PUT said 202 and
//! nothing threw. Cause: colour = green, on the apply span's outcome
//! (`bulb.apply.outcome`).

use serde_json::json;

use super::{About, Answer, Change, RevealFacts, RoomFacts, Scenario, chance, lost, plural};
use crate::colour::parse_colour;

/// Flaky green.
pub struct FlakyGreen;

/// One change to green in this many is lost.
const ONE_IN: u64 = 5;

const ABOUT: About = About {
    id: "flaky_green",
    title: "Flaky green",
    brief: "The bridge loses 1 in 5 changes to green: the PUT answered 202, the bulb never shows it, and no error reaches any status code. Only the apply span's outcome shows it.",
    root_cause: &["colour", "hue"],
    always_on: false,
    needs_shards: false,
};

impl Scenario for FlakyGreen {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn revealing_query(&self) -> serde_json::Value {
        json!({
            "dataset": "bulb",
            "calculations": [{"op": "COUNT"}],
            "filters": [{"column": "name", "op": "=", "value": "bulb.apply"}],
            "breakdowns": ["colour", "succeeded"],
            "orders": [{"op": "COUNT", "order": "descending"}],
            "time_range": 7200,
            "fit": true,
        })
    }

    fn on_answer(&self, room: &RoomFacts, change: &Change<'_>, answer: &mut Answer) -> bool {
        let green = parse_colour("green").map(|c| c.hsb).ok();
        if answer.shown.is_ok()
            && Some(change.colour.hsb) == green
            && chance(room.seed, self.id(), change.seq, ONE_IN)
        {
            answer.shown = Err(lost());
            return true;
        }
        false
    }

    fn reveal(&self, facts: &RevealFacts) -> String {
        format!(
            "The bridge loses 1 in {ONE_IN} changes to green ({} lost this session). The PUT \
             had answered 202 long before, so no status code and no error tracker saw it: the \
             check just never saw its green. With bulb.apply.outcome on, the apply spans say \
             succeeded = false, and grouped by colour every failed apply is green.",
            plural(facts.affected, "change")
        )
    }
}
