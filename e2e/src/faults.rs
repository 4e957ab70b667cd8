//! Faults for the journeys, as scenarios behind the server's scenario seam: a bridge
//! that refuses one colour every time, so a check that asks for it fails the way a
//! broken bridge would make it fail (the PUT is accepted, the bulb never shows the
//! colour, the check's poll gives up). It is always on in the server it is given to.

use bulbwatch::colour::{Hsb, parse_colour};
use bulbwatch::scenarios::{About, Answer, Change, RevealFacts, RoomFacts, Scenario, lost};
use serde_json::json;

/// A bridge that takes every colour but one.
#[derive(Debug)]
pub struct RefusedColour {
    refused: Hsb,
}

impl RefusedColour {
    /// Refuses the named colour (`"green"`) or `#rrggbb`.
    pub fn refusing(colour: &str) -> Self {
        let parsed = parse_colour(colour).expect("a colour the server knows");
        Self {
            refused: parsed.hsb,
        }
    }
}

const ABOUT: About = About {
    id: "refused_colour",
    title: "Refused colour (test fault)",
    brief: "The bridge refuses one colour, every time.",
    root_cause: &["colour"],
    always_on: true,
    needs_shards: false,
};

impl Scenario for RefusedColour {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn revealing_query(&self) -> serde_json::Value {
        json!({"dataset": "bulb", "breakdowns": ["colour", "succeeded"]})
    }

    fn reveal(&self, _facts: &RevealFacts) -> String {
        "The bridge refused one colour.".into()
    }

    fn on_answer(&self, _room: &RoomFacts, change: &Change<'_>, answer: &mut Answer) -> bool {
        if change.colour.hsb == self.refused && answer.shown.is_ok() {
            answer.shown = Err(lost());
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_only_its_colour() {
        let fault = RefusedColour::refusing("green");
        let room = RoomFacts {
            seed: 1,
            shards: 1,
            value: 0,
        };
        for (name, refused) in [("green", true), ("red", false)] {
            let colour = parse_colour(name).unwrap();
            let change = Change {
                seq: 1,
                shard: 0,
                colour: &colour,
            };
            let mut answer = Answer {
                shown: Ok(colour.clone()),
                clamped: false,
            };
            assert_eq!(fault.on_answer(&room, &change, &mut answer), refused);
            assert_eq!(answer.shown.is_err(), refused, "{name}");
        }
    }
}
