//! Gamut clamp: the bulb cannot show colours outside its gamut (Hue's gamut B, the
//! first Hue bulbs), so they are clamped to the nearest colour it can show, and what
//! is read back differs from what was asked. Cause: colour, and `clamped = true` on
//! the apply span (`bulb.apply.shown`).

use palette::{FromColor, Hsv, LinSrgb, Srgb, Xyz, Yxy};
use serde_json::json;

use super::{About, Answer, Change, RevealFacts, RoomFacts, Scenario, plural};
use crate::colour::{Colour, Hsb};

/// The gamut clamp.
pub struct GamutClamp;

/// Hue's gamut B (CIE 1931 xy): red, green and blue corners.
const GAMUT_B: [(f32, f32); 3] = [(0.675, 0.322), (0.409, 0.518), (0.167, 0.04)];

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
    let hsv = Hsv::new(
        f32::from(hsb.hue) / 65535.0 * 360.0,
        f32::from(hsb.sat) / 254.0,
        f32::from(hsb.bri) / 254.0,
    );
    let linear: LinSrgb = Srgb::from_color(hsv).into_linear();
    let yxy = Yxy::from_color(Xyz::from_color(linear));
    let point = (yxy.x, yxy.y);
    if yxy.luma <= 0.0 || inside(point) {
        return None;
    }
    let (x, y) = nearest_on_edges(point);
    let clamped = Yxy::new(x, y, yxy.luma);
    let back: LinSrgb = LinSrgb::from_color(Xyz::from_color(clamped));
    let back = LinSrgb::new(back.red.max(0.0), back.green.max(0.0), back.blue.max(0.0));
    // Keep the brightness the bulb was asked for: scale so the brightest channel is
    // where it was.
    let srgb: Srgb = Srgb::from_linear(back);
    let peak = srgb.red.max(srgb.green).max(srgb.blue);
    if peak <= 0.0 {
        return None;
    }
    let scale = hsv.value / peak;
    let rgb = Srgb::new(
        (srgb.red * scale).clamp(0.0, 1.0),
        (srgb.green * scale).clamp(0.0, 1.0),
        (srgb.blue * scale).clamp(0.0, 1.0),
    );
    let shown = Hsb::from_rgb(rgb.into_format());
    (shown != hsb).then_some(shown)
}

fn cross(o: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
}

fn inside(p: (f32, f32)) -> bool {
    let [r, g, b] = GAMUT_B;
    let d1 = cross(r, g, p);
    let d2 = cross(g, b, p);
    let d3 = cross(b, r, p);
    (d1 >= 0.0 && d2 >= 0.0 && d3 >= 0.0) || (d1 <= 0.0 && d2 <= 0.0 && d3 <= 0.0)
}

fn nearest_on_edges(p: (f32, f32)) -> (f32, f32) {
    let [r, g, b] = GAMUT_B;
    [(r, g), (g, b), (b, r)]
        .into_iter()
        .map(|(a, b)| nearest_on_segment(p, a, b))
        .min_by(|a, b| distance(p, *a).total_cmp(&distance(p, *b)))
        .unwrap_or(p)
}

fn nearest_on_segment(p: (f32, f32), a: (f32, f32), b: (f32, f32)) -> (f32, f32) {
    let ab = (b.0 - a.0, b.1 - a.1);
    let t = ((p.0 - a.0) * ab.0 + (p.1 - a.1) * ab.1) / (ab.0 * ab.0 + ab.1 * ab.1);
    let t = t.clamp(0.0, 1.0);
    (a.0 + t * ab.0, a.1 + t * ab.1)
}

fn distance(p: (f32, f32), q: (f32, f32)) -> f32 {
    (p.0 - q.0).hypot(p.1 - q.1)
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
