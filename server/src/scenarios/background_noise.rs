//! Background noise: one in thirty of any change is lost. No attribute sets the lost
//! ones apart; the lesson is an error budget.

use serde_json::json;

use super::{About, Answer, Change, RevealFacts, RoomFacts, Scenario, chance, lost, plural};

/// Background noise.
pub struct BackgroundNoise;

/// One change in this many is lost.
const ONE_IN: u64 = 30;

const ABOUT: About = About {
    id: "background_noise",
    title: "Background noise",
    brief: "The bridge loses 1 in 30 of any change, whoever asks and whatever colour. Attendees hunt for a cause and find none: the lesson is an error budget.",
    root_cause: &["succeeded"],
    always_on: false,
    needs_shards: false,
};

impl Scenario for BackgroundNoise {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn revealing_query(&self) -> serde_json::Value {
        json!({
            "dataset": "bulb",
            "calculations": [{"op": "COUNT"}],
            "filters": [{"column": "name", "op": "=", "value": "bulb.apply"}],
            "breakdowns": ["succeeded"],
            "time_range": 7200,
            "fit": true,
        })
    }

    fn on_answer(&self, room: &RoomFacts, change: &Change<'_>, answer: &mut Answer) -> bool {
        if answer.shown.is_ok() && chance(room.seed, self.id(), change.seq, ONE_IN) {
            answer.shown = Err(lost());
            return true;
        }
        false
    }

    fn reveal(&self, facts: &RevealFacts) -> String {
        format!(
            "1 in {ONE_IN} changes is simply lost ({} this session), at random: no colour, \
             attendee or shard sets them apart, and comparing failed applies with the others \
             shows no column that stands out. That is the answer: some failure is normal. \
             Agree on an error budget (say 99 % of checks pass over an hour) and alert when \
             it burns faster, instead of chasing every red run.",
            plural(facts.affected, "change")
        )
    }
}
