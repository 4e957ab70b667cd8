//! Bad deploy: the facilitator "deploys" (a marker on every chart) and from then on
//! colours sent as `#rrggbb` are applied with red and blue swapped. Cause: what changed
//! at the marker — the input form (`input_form`).

use palette::Srgb;
use serde_json::json;

use super::{About, RevealFacts, RoomFacts, Scenario, plural};
use crate::colour::{Colour, Hsb, InputForm};

/// The bad deploy.
pub struct BadDeploy;

const ABOUT: About = About {
    id: "bad_deploy",
    title: "Bad deploy",
    brief: "Switching it on \"deploys\" a new build of the bulb service (a marker on every chart): from then on a colour sent as #rrggbb is applied with red and blue swapped. Named colours still work.",
    root_cause: &["input_form"],
    always_on: false,
    needs_shards: false,
};

impl Scenario for BadDeploy {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn revealing_query(&self) -> serde_json::Value {
        json!({
            "dataset": "e2e",
            "calculations": [{"op": "COUNT"}],
            "filters": [{"column": "success", "op": "=", "value": false}],
            "breakdowns": ["input_form"],
            "time_range": 3600,
            "fit": true,
        })
    }

    fn marker(&self, on: bool, _value: i64) -> String {
        if on {
            "deploy: bulb service 2.4.0".into()
        } else {
            "rollback: bulb service 2.3.1".into()
        }
    }

    fn at_enqueue(&self, _room: &RoomFacts, form: InputForm, colour: &mut Colour) -> bool {
        if form != InputForm::Hex {
            return false;
        }
        let Some(rgb) = hex_rgb(&colour.label) else {
            return false;
        };
        let swapped: Srgb<u8> = Srgb::new(rgb.blue, rgb.green, rgb.red);
        if swapped == rgb {
            return false;
        }
        let hsb = Hsb::from_rgb(swapped);
        *colour = Colour {
            label: format!(
                "#{:02x}{:02x}{:02x}",
                swapped.red, swapped.green, swapped.blue
            ),
            hsb,
        };
        true
    }

    fn reveal(&self, facts: &RevealFacts) -> String {
        format!(
            "At the deploy marker a new build went out that reads #rrggbb with red and blue \
             swapped ({} applied wrongly this session). Named colours kept working, so only \
             checks that send hex failed, and only from that moment. Failures over time, \
             grouped by input_form, jump at the marker for hex alone: what changed at the \
             marker is the cause. Roll back (switch it off) and they pass again.",
            plural(facts.affected, "change")
        )
    }
}

fn hex_rgb(label: &str) -> Option<Srgb<u8>> {
    let digits = label.strip_prefix('#')?;
    let value = u32::from_str_radix(digits, 16).ok()?;
    (digits.len() == 6).then(|| Srgb::new((value >> 16) as u8, (value >> 8) as u8, value as u8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::parse_colour;

    #[test]
    fn hex_is_swapped_and_names_are_not() {
        let room = RoomFacts {
            seed: 1,
            shards: 1,
            value: 0,
        };
        let mut orange = parse_colour("#ff8000").unwrap();
        assert!(BadDeploy.at_enqueue(&room, InputForm::Hex, &mut orange));
        assert_eq!(orange.label, "#0080ff");
        let mut named = parse_colour("orange").unwrap();
        assert!(!BadDeploy.at_enqueue(&room, InputForm::Name, &mut named));
        assert_eq!(named.label, "orange");
        let mut green = parse_colour("#00ff00").unwrap();
        assert!(
            !BadDeploy.at_enqueue(&room, InputForm::Hex, &mut green),
            "green has no red or blue"
        );
    }
}
