//! Gamut clamp: the bulb cannot show colours outside its gamut (Hue's gamut B, the
//! first Hue bulbs), so they are clamped to the nearest colour it can show, and what
//! is read back differs from what was asked. Cause: colour, and `clamped = true` on
//! the apply span (`bulb.apply.shown`).

use serde_json::json;

use super::{About, Answer, Change, RevealFacts, RoomFacts, Scenario, plural};
use crate::colour::gamut::GAMUT_B;
use crate::colour::{Colour, Hsb};

/// The gamut clamp.
pub struct GamutClamp;

const ABOUT: About = About {
    id: "gamut_clamp",
    title: "Gamut clamp",
    brief: "The bulb becomes a first-generation Hue bulb (gamut B): green, cyan and blue are outside what it can show, so it shows the nearest colour it can, and a check that reads back its colour fails for those.",
    root_cause: &["clamped", "colour", "hue"],
    always_on: false,
    needs_shards: false,
};

impl Scenario for GamutClamp {
    fn about(&self) -> &'static About {
        &ABOUT
    }

    fn revealing_query(&self) -> serde_json::Value {
        json!({
            "dataset": "bulb",
            "calculations": [{"op": "COUNT"}],
            "filters": [{"column": "name", "op": "=", "value": "bulb.apply"}],
            "breakdowns": ["colour", "clamped", "applied_colour"],
            "orders": [{"op": "COUNT", "order": "descending"}],
            "time_range": 7200,
            "fit": true,
        })
    }

    fn on_answer(&self, _room: &RoomFacts, _change: &Change<'_>, answer: &mut Answer) -> bool {
        let Ok(shown) = &answer.shown else {
            return false;
        };
        match clamp_to_gamut_b(shown.hsb) {
            Some(hsb) => {
                answer.shown = Ok(Colour {
                    label: hsb.hex(),
                    hsb,
                });
                answer.clamped = true;
                true
            }
            None => false,
        }
    }

    fn reveal(&self, facts: &RevealFacts) -> String {
        format!(
            "The bulb is a gamut B Hue bulb: it cannot show saturated green, cyan or blue, so \
             it shows the nearest colour inside its gamut ({} clamped this session). The \
             bridge accepted every change and nothing failed; the bulb just reads back another \
             colour. With bulb.apply.shown on, the apply spans say clamped = true and \
             applied_colour shows what the bulb made of it; grouped by colour, only a few \
             colours are ever clamped.",
            plural(facts.affected, "change")
        )
    }
}

/// The colour a gamut B bulb shows for `hsb`: `None` when it is inside the gamut
/// (shown as asked), else the nearest colour on the gamut's edge, at the same
/// brightness.
pub fn clamp_to_gamut_b(hsb: Hsb) -> Option<Hsb> {
    GAMUT_B.clamp_hsb(hsb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::parse_colour;

    fn clamped(name: &str) -> Option<String> {
        clamp_to_gamut_b(parse_colour(name).unwrap().hsb).map(Hsb::hex)
    }

    #[test]
    fn green_cyan_and_blue_are_clamped_red_and_white_are_not() {
        for name in ["green", "cyan", "blue"] {
            let shown = clamped(name).unwrap_or_else(|| panic!("{name} is outside gamut B"));
            assert_ne!(shown, parse_colour(name).unwrap().hsb.hex(), "{name}");
        }
        for name in ["red", "white", "purple", "pink"] {
            assert_eq!(clamped(name), None, "{name} is inside gamut B");
        }
    }

    #[test]
    fn a_clamped_colour_is_inside_the_gamut() {
        let green = parse_colour("green").unwrap().hsb;
        let once = clamp_to_gamut_b(green).unwrap();
        // Clamping what was clamped moves it (almost) nowhere.
        if let Some(twice) = clamp_to_gamut_b(once) {
            assert!(
                twice.hue.abs_diff(once.hue) < 400 && twice.sat.abs_diff(once.sat) < 6,
                "{once:?} → {twice:?}"
            );
        }
    }
}
