//! A `PUT …/lights/<id>/state` (or `…/groups/0/action`) body, read as a real bridge
//! reads it: each parameter is answered on its own (success, or its error item) and
//! the valid ones still apply. When several colour forms are given, xy wins over
//! xy_inc, over ct, over ct_inc, over hue/sat (and their `_inc`s); bri wins over
//! bri_inc; the losing ones are dropped without an item, as a bridge drops them. A
//! light that is off and not switched on by the same body answers 201 for every
//! colour and brightness parameter.

use serde_json::{Map, Value};

use super::Shade;
use super::colour::{CT_MAX, CT_MIN, clamp_xy, ct_for_xy, hsb_for_ct, hsb_for_xy, shown, xy_of};
use super::errors::{HueError, success};
use crate::colour::{Colour, Hsb, InputForm, SetLight};

/// A light as it is before the body applies.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Current {
    /// Lit.
    pub on: bool,
    /// Its colour.
    pub hsb: Hsb,
    /// Its Hue colour mode, xy and ct.
    pub shade: Shade,
}

/// One item of the answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// Answered as it is: an error, or a success the bridge itself keeps (alert,
    /// effect, transitiontime).
    Done(Value),
    /// A success that holds only once the change is queued.
    Queued(Value),
}

/// What a body asks of one light.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The answer's items, in the order the bridge answers them.
    pub items: Vec<Item>,
    /// The change for the bulb's queue, if any.
    pub change: Option<SetLight>,
    /// How it was asked (for the enqueue span and scenarios).
    pub form: InputForm,
    /// What the light reports once the change is applied.
    pub shade: Option<Shade>,
    /// A new effect.
    pub effect: Option<&'static str>,
    /// A new alert.
    pub alert: Option<&'static str>,
}

/// The parameters a light's state has and can be set.
const SETTABLE: [&str; 14] = [
    "on",
    "bri",
    "hue",
    "sat",
    "xy",
    "ct",
    "effect",
    "alert",
    "transitiontime",
    "bri_inc",
    "sat_inc",
    "hue_inc",
    "ct_inc",
    "xy_inc",
];
/// Those it has but cannot be set.
const READ_ONLY: [&str; 3] = ["colormode", "reachable", "mode"];
/// Those a light that is off will not take.
const NEED_ON: [&str; 11] = [
    "bri", "hue", "sat", "xy", "ct", "effect", "bri_inc", "sat_inc", "hue_inc", "ct_inc", "xy_inc",
];

/// Parsed parameter values.
#[derive(Default)]
struct Asked {
    on: Option<bool>,
    bri: Option<i64>,
    hue: Option<i64>,
    sat: Option<i64>,
    xy: Option<[f64; 2]>,
    ct: Option<i64>,
    effect: Option<&'static str>,
    alert: Option<&'static str>,
    transitiontime: Option<i64>,
    bri_inc: Option<i64>,
    sat_inc: Option<i64>,
    hue_inc: Option<i64>,
    ct_inc: Option<i64>,
    xy_inc: Option<[f64; 2]>,
}

fn int_in(value: &Value, min: i64, max: i64) -> Option<i64> {
    value.as_i64().filter(|v| (min..=max).contains(v))
}

fn pair_in(value: &Value, min: f64, max: f64) -> Option<[f64; 2]> {
    match value.as_array()?.as_slice() {
        [a, b] => {
            let (a, b) = (a.as_f64()?, b.as_f64()?);
            let ok = |v: f64| v.is_finite() && (min..=max).contains(&v);
            (ok(a) && ok(b)).then_some([a, b])
        }
        _ => None,
    }
}

fn word(value: &Value, words: &[&'static str]) -> Option<&'static str> {
    let s = value.as_str()?;
    words.iter().copied().find(|w| *w == s)
}

/// Reads `body` for a light whose state is `current`. `prefix` is the address the
/// items are under (`/lights/1/state`); a group's action (`group`) answers no 201:
/// a light that is off just keeps its colour.
pub fn plan(body: &Map<String, Value>, current: &Current, prefix: &str, group: bool) -> Plan {
    let mut items = Vec::new();
    let mut asked = Asked::default();
    let address = |param: &str| format!("{prefix}/{param}");
    let switching_on = body.get("on").and_then(Value::as_bool) == Some(true);
    let may_change = current.on || switching_on;
    let mut kept: Vec<(&'static str, Value)> = Vec::new();

    for param in SETTABLE {
        let Some(value) = body.get(param) else {
            continue;
        };
        let parsed = match param {
            "on" => value.as_bool().map(|v| asked.on = Some(v)),
            "bri" => int_in(value, 0, 254).map(|v| asked.bri = Some(v)),
            "hue" => int_in(value, 0, 65535).map(|v| asked.hue = Some(v)),
            "sat" => int_in(value, 0, 254).map(|v| asked.sat = Some(v)),
            "xy" => pair_in(value, 0.0, 1.0).map(|v| asked.xy = Some(v)),
            "ct" => int_in(value, 0, 65535).map(|v| asked.ct = Some(v)),
            "effect" => word(value, &["none", "colorloop"]).map(|v| asked.effect = Some(v)),
            "alert" => word(value, &["none", "select", "lselect"]).map(|v| asked.alert = Some(v)),
            "transitiontime" => int_in(value, 0, 65535).map(|v| asked.transitiontime = Some(v)),
            "bri_inc" => int_in(value, -254, 254).map(|v| asked.bri_inc = Some(v)),
            "sat_inc" => int_in(value, -254, 254).map(|v| asked.sat_inc = Some(v)),
            "hue_inc" => int_in(value, -65534, 65534).map(|v| asked.hue_inc = Some(v)),
            "ct_inc" => int_in(value, -65534, 65534).map(|v| asked.ct_inc = Some(v)),
            "xy_inc" => pair_in(value, -0.5, 0.5).map(|v| asked.xy_inc = Some(v)),
            _ => None,
        };
        if parsed.is_none() {
            items.push(Item::Done(
                HueError::invalid_value(&address(param), param, value).item(),
            ));
            continue;
        }
        if NEED_ON.contains(&param) && !may_change {
            clear(&mut asked, param);
            if !group {
                items.push(Item::Done(
                    HueError::device_off(&address(param), param).item(),
                ));
            }
            continue;
        }
        kept.push((param, value.clone()));
    }
    for (param, value) in body {
        if SETTABLE.contains(&param.as_str()) {
            continue;
        }
        let error = if READ_ONLY.contains(&param.as_str()) {
            HueError::not_modifiable(&address(param), param)
        } else {
            HueError::parameter_not_available(&address(param), param)
        };
        items.push(Item::Done(error.item()));
        let _ = value;
    }

    // Precedence: the colour forms that lose are dropped.
    let mut dropped: Vec<&str> = Vec::new();
    if asked.bri.is_some() {
        dropped.push("bri_inc");
    }
    if asked.xy.is_some() {
        dropped.extend(["xy_inc", "ct", "ct_inc", "hue", "sat", "hue_inc", "sat_inc"]);
    } else if asked.xy_inc.is_some() {
        dropped.extend(["ct", "ct_inc", "hue", "sat", "hue_inc", "sat_inc"]);
    } else if asked.ct.is_some() {
        dropped.extend(["ct_inc", "hue", "sat", "hue_inc", "sat_inc"]);
    } else if asked.ct_inc.is_some() {
        dropped.extend(["hue", "sat", "hue_inc", "sat_inc"]);
    }
    if asked.hue.is_some() {
        dropped.push("hue_inc");
    }
    if asked.sat.is_some() {
        dropped.push("sat_inc");
    }
    for param in &dropped {
        clear(&mut asked, param);
    }
    kept.retain(|(param, _)| !dropped.contains(param));

    let (colour, form, shade) = colour_of(&asked, current);
    let change = match (asked.on, colour) {
        (None, None) => None,
        (on, colour) => Some(SetLight { on, colour }),
    };
    for (param, value) in kept {
        let item = success(address(param), value);
        let bridge_side = matches!(param, "effect" | "alert" | "transitiontime");
        items.push(if bridge_side {
            Item::Done(item)
        } else {
            Item::Queued(item)
        });
    }
    if body.is_empty() {
        items.push(Item::Done(HueError::missing_parameters(prefix).item()));
    }
    Plan {
        items,
        form: if change.as_ref().is_some_and(|c| c.colour.is_none()) {
            InputForm::OnOff
        } else {
            form
        },
        change,
        shade,
        effect: asked.effect,
        alert: asked.alert,
    }
}

fn clear(asked: &mut Asked, param: &str) {
    match param {
        "bri" => asked.bri = None,
        "hue" => asked.hue = None,
        "sat" => asked.sat = None,
        "xy" => asked.xy = None,
        "ct" => asked.ct = None,
        "effect" => asked.effect = None,
        "bri_inc" => asked.bri_inc = None,
        "sat_inc" => asked.sat_inc = None,
        "hue_inc" => asked.hue_inc = None,
        "ct_inc" => asked.ct_inc = None,
        "xy_inc" => asked.xy_inc = None,
        _ => {}
    }
}

/// The colour the body asks for (in what the bulb shows), how, and its shade.
fn colour_of(asked: &Asked, current: &Current) -> (Option<Colour>, InputForm, Option<Shade>) {
    let bri = match (asked.bri, asked.bri_inc) {
        (Some(bri), _) => Some(bri.clamp(1, 254) as u8),
        (None, Some(inc)) => Some((i64::from(current.hsb.bri) + inc).clamp(1, 254) as u8),
        (None, None) => None,
    };
    let xy = match (asked.xy, asked.xy_inc) {
        (Some(xy), _) => Some(xy),
        (None, Some([dx, dy])) => Some([
            (current.shade.xy[0] + dx).clamp(0.0, 1.0),
            (current.shade.xy[1] + dy).clamp(0.0, 1.0),
        ]),
        (None, None) => None,
    };
    let ct = match (asked.ct, asked.ct_inc) {
        (Some(ct), _) => Some(clamp_ct(ct)),
        (None, Some(inc)) => Some(clamp_ct(i64::from(current.shade.ct) + inc)),
        (None, None) => None,
    };
    let hue = match (asked.hue, asked.hue_inc) {
        (Some(hue), _) => Some(hue as u16),
        (None, Some(inc)) => Some((i64::from(current.hsb.hue) + inc).rem_euclid(65536) as u16),
        (None, None) => None,
    };
    let sat = match (asked.sat, asked.sat_inc) {
        (Some(sat), _) => Some(sat as u8),
        (None, Some(inc)) => Some((i64::from(current.hsb.sat) + inc).clamp(0, 254) as u8),
        (None, None) => None,
    };
    let bri_now = bri.unwrap_or(current.hsb.bri);
    let (hsb, form, shade) = if let Some(xy) = xy {
        let shown_xy = clamp_xy(xy);
        let shade = Shade {
            colormode: "xy",
            xy: shown_xy,
            ct: ct_for_xy(shown_xy),
        };
        (hsb_for_xy(shown_xy, bri_now), InputForm::Xy, shade)
    } else if let Some(ct) = ct {
        let hsb = hsb_for_ct(ct, bri_now);
        let shade = Shade {
            colormode: "ct",
            xy: super::colour::xy_for_ct(ct),
            ct,
        };
        (hsb, InputForm::Ct, shade)
    } else if hue.is_some() || sat.is_some() {
        let hsb = shown(Hsb {
            hue: hue.unwrap_or(current.hsb.hue),
            sat: sat.unwrap_or(current.hsb.sat),
            bri: bri_now,
        });
        let xy = xy_of(hsb);
        let shade = Shade {
            colormode: "hs",
            xy,
            ct: ct_for_xy(xy),
        };
        (hsb, InputForm::HueSat, shade)
    } else if bri.is_some() {
        // Brightness alone keeps the colour in the form it was set.
        let hsb = match current.shade.colormode {
            "xy" => hsb_for_xy(current.shade.xy, bri_now),
            "ct" => hsb_for_ct(current.shade.ct, bri_now),
            _ => Hsb {
                bri: bri_now,
                ..current.hsb
            },
        };
        let form = match current.shade.colormode {
            "xy" => InputForm::Xy,
            "ct" => InputForm::Ct,
            _ => InputForm::HueSat,
        };
        (hsb, form, current.shade)
    } else {
        return (None, InputForm::OnOff, None);
    };
    let colour = Colour {
        label: hsb.hex(),
        hsb,
    };
    (Some(colour), form, Some(shade))
}

fn clamp_ct(ct: i64) -> u16 {
    ct.clamp(i64::from(CT_MIN), i64::from(CT_MAX)) as u16
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn lit() -> Current {
        let hsb = Hsb {
            hue: 0,
            sat: 0,
            bri: 254,
        };
        Current {
            on: true,
            hsb,
            shade: Shade {
                colormode: "hs",
                xy: xy_of(hsb),
                ct: 153,
            },
        }
    }

    fn plan_of(body: Value, current: &Current) -> Plan {
        plan(body.as_object().unwrap(), current, "/lights/1/state", false)
    }

    fn answered(plan: &Plan) -> Vec<Value> {
        plan.items
            .iter()
            .map(|i| match i {
                Item::Done(v) | Item::Queued(v) => v.clone(),
            })
            .collect()
    }

    fn error_types(plan: &Plan) -> Vec<u64> {
        answered(plan)
            .iter()
            .filter_map(|v| v["error"]["type"].as_u64())
            .collect()
    }

    #[test]
    fn a_bad_parameter_is_answered_and_the_good_ones_still_apply() {
        let p = plan_of(
            json!({"on": true, "bri": 300, "hue": 10000, "sat": 254, "foo": 1}),
            &lit(),
        );
        assert_eq!(error_types(&p), vec![7, 6]);
        let change = p.change.clone().unwrap();
        assert_eq!(change.on, Some(true));
        let colour = change.colour.unwrap();
        assert_eq!(colour.hsb.bri, 254, "the bad bri left it as it was");
        assert!(colour.hsb.hue.abs_diff(10000) < 300, "{colour:?}");
        let successes: Vec<String> = answered(&p)
            .iter()
            .filter_map(|v| v["success"].as_object())
            .flat_map(|m| m.keys().cloned())
            .collect();
        assert_eq!(
            successes,
            [
                "/lights/1/state/on",
                "/lights/1/state/hue",
                "/lights/1/state/sat"
            ]
        );
    }

    #[test]
    fn xy_beats_ct_beats_hue_and_sat() {
        let p = plan_of(json!({"xy": [0.3, 0.3], "ct": 400, "hue": 100}), &lit());
        assert_eq!(p.form, InputForm::Xy);
        assert_eq!(p.shade.unwrap().colormode, "xy");
        assert_eq!(p.items.len(), 1, "only xy is answered: {:?}", p.items);
        let p = plan_of(json!({"ct": 400, "hue": 100, "sat": 20}), &lit());
        assert_eq!(p.form, InputForm::Ct);
        assert_eq!(p.shade.unwrap().ct, 400);
        let p = plan_of(json!({"hue": 100, "sat": 20}), &lit());
        assert_eq!(p.form, InputForm::HueSat);
    }

    #[test]
    fn a_light_that_is_off_takes_no_colour_unless_switched_on() {
        let off = Current { on: false, ..lit() };
        let p = plan_of(json!({"hue": 100, "bri": 10, "alert": "select"}), &off);
        assert_eq!(error_types(&p), vec![201, 201]);
        assert_eq!(
            answered(&p)[1]["error"]["description"],
            "parameter, hue, is not modifiable. Device is set to off."
        );
        assert_eq!(p.change, None);
        assert_eq!(p.alert, Some("select"));
        let p = plan_of(json!({"on": true, "hue": 100}), &off);
        assert!(error_types(&p).is_empty());
        assert!(p.change.unwrap().colour.is_some());
        // A group's action answers no 201.
        let p = plan(
            json!({"hue": 100}).as_object().unwrap(),
            &off,
            "/groups/0/action",
            true,
        );
        assert!(error_types(&p).is_empty());
        assert_eq!(p.change, None);
    }

    #[test]
    fn increments_are_relative_and_bounded() {
        let mut current = lit();
        current.hsb = Hsb {
            hue: 65000,
            sat: 250,
            bri: 250,
        };
        let p = plan_of(
            json!({"bri_inc": 100, "sat_inc": 100, "hue_inc": 1000}),
            &current,
        );
        let hsb = p.change.unwrap().colour.unwrap().hsb;
        assert_eq!(hsb.bri, 254);
        // Hue wraps round the circle (red again, near 464); the gamut may nudge it.
        assert!(hsb.hue < 2000, "{hsb:?}");
        let p = plan_of(json!({"ct_inc": -1000}), &current);
        assert_eq!(p.shade.unwrap().ct, CT_MIN);
    }

    #[test]
    fn on_alone_keeps_the_colour_and_read_only_parameters_are_not_modifiable() {
        let p = plan_of(json!({"on": false}), &lit());
        assert_eq!(
            p.change,
            Some(SetLight {
                on: Some(false),
                colour: None
            })
        );
        assert_eq!(p.form, InputForm::OnOff);
        let p = plan_of(json!({"colormode": "xy", "reachable": false}), &lit());
        assert_eq!(error_types(&p), vec![8, 8]);
        let p = plan_of(json!({}), &lit());
        assert_eq!(error_types(&p), vec![5]);
    }

    #[test]
    fn wrong_types_are_invalid_values() {
        let p = plan_of(
            json!({"on": "yes", "xy": [0.3], "alert": "blink", "transitiontime": -1}),
            &lit(),
        );
        assert_eq!(error_types(&p), vec![7, 7, 7, 7]);
        assert_eq!(
            answered(&p)[0]["error"]["description"],
            "invalid value, yes, for parameter, on"
        );
    }
}
