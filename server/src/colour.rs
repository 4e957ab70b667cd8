//! Colours: what an attendee may ask for, and Hue's hue/sat/bri for it.
//!
//! Conversions go through `palette` (sRGB ↔ HSV); Hue's ranges are hue 0–65535,
//! sat 0–254, bri 1–254.

pub mod gamut;

use bulbwatch_api::{NAMED_COLOURS, SetBulb};
use palette::{FromColor, Hsv, Srgb};

use crate::error::AppError;

/// A colour in the bulb's own terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hsb {
    /// 0–65535.
    pub hue: u16,
    /// 0–254.
    pub sat: u8,
    /// 1–254.
    pub bri: u8,
}

/// A validated colour request: the label to show and the bulb values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Colour {
    /// The named colour, or `#rrggbb`.
    pub label: String,
    /// What the bulb is set to.
    pub hsb: Hsb,
}

impl Hsb {
    /// The sRGB colour to draw for these bulb values, as `#rrggbb`.
    pub fn hex(self) -> String {
        let hsv = Hsv::new(
            f32::from(self.hue) / 65535.0 * 360.0,
            f32::from(self.sat) / 254.0,
            f32::from(self.bri) / 254.0,
        );
        let rgb: Srgb<u8> = Srgb::from_color(hsv).into_format();
        format!("#{:02x}{:02x}{:02x}", rgb.red, rgb.green, rgb.blue)
    }

    /// The bulb values for an sRGB colour.
    pub fn from_rgb(rgb: Srgb<u8>) -> Self {
        let hsv = Hsv::from_color(rgb.into_format::<f32>());
        let degrees = hsv.hue.into_positive_degrees();
        // Rounding can give 65535.x for hues just under 360°, which is red again.
        let hue = ((degrees / 360.0 * 65535.0).round() as u32 % 65536) as u16;
        let sat = (hsv.saturation * 254.0).round().clamp(0.0, 254.0) as u8;
        let bri = (hsv.value * 254.0).round().clamp(1.0, 254.0) as u8;
        Self { hue, sat, bri }
    }
}

/// A validated change: switch the bulb, set its colour, or both. At least one is
/// there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetLight {
    /// Switch on or off; `None` with a colour switches on.
    pub on: Option<bool>,
    /// The new colour; `None` keeps the one the bulb has when the change is applied.
    pub colour: Option<Colour>,
}

impl SetLight {
    /// Whether the bulb is lit once this change is applied.
    pub fn lit(&self) -> bool {
        self.on.unwrap_or(true)
    }
}

impl From<Colour> for SetLight {
    fn from(colour: Colour) -> Self {
        Self {
            on: None,
            colour: Some(colour),
        }
    }
}

/// How a colour was asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputForm {
    /// A named colour: `"green"`.
    Name,
    /// `"#rrggbb"`.
    Hex,
    /// `hue`, `sat` and `bri`.
    Hsb,
    /// `on` alone: no colour.
    OnOff,
    /// A Hue app's `xy` (CIE 1931 chromaticity).
    Xy,
    /// A Hue app's `ct` (colour temperature, mired).
    Ct,
    /// A Hue app's `hue`/`sat` (or brightness alone on a light in that mode).
    HueSat,
}

impl InputForm {
    /// How `req` asks for its colour.
    pub fn of(req: &SetBulb) -> Self {
        match req.colour.as_deref().map(str::trim) {
            Some(c) if c.starts_with('#') => InputForm::Hex,
            Some(_) => InputForm::Name,
            None if req.hue.is_none() && req.sat.is_none() && req.bri.is_none() => InputForm::OnOff,
            None => InputForm::Hsb,
        }
    }

    /// The form as an attribute value: `name`, `hex`, `hsb`, `on_off`, `xy`, `ct`,
    /// `hue_sat`.
    pub fn key(self) -> &'static str {
        match self {
            InputForm::Name => "name",
            InputForm::Hex => "hex",
            InputForm::Hsb => "hsb",
            InputForm::OnOff => "on_off",
            InputForm::Xy => "xy",
            InputForm::Ct => "ct",
            InputForm::HueSat => "hue_sat",
        }
    }
}

/// The bulb before anyone has set it: white.
pub fn initial() -> Colour {
    parse_colour("white").expect("white is a named colour")
}

/// Validates a `PUT /api/bulb` body.
pub fn from_request(req: &SetBulb) -> Result<SetLight, AppError> {
    let numeric = [req.hue, req.sat, req.bri];
    let colour = match (&req.colour, numeric) {
        (None, [None, None, None]) if req.on.is_some() => None,
        (Some(colour), [None, None, None]) => Some(parse_colour(colour)?),
        (None, [Some(hue), Some(sat), Some(bri)]) => Some(from_hsb(hue, sat, bri)?),
        (Some(_), _) => {
            return Err(AppError::Invalid(
                "give either `colour` or `hue`, `sat` and `bri`, not both".into(),
            ));
        }
        (None, [None, None, None]) => {
            return Err(AppError::Invalid(format!(
                "say which colour: {{\"colour\": \"green\"}} (one of {}), {{\"colour\": \"#00ff88\"}}, or {{\"hue\": 0–65535, \"sat\": 0–254, \"bri\": 1–254}}; or switch it with {{\"on\": false}}",
                named_list()
            )));
        }
        (None, _) => {
            return Err(AppError::Invalid(
                "`hue`, `sat` and `bri` go together: give all three".into(),
            ));
        }
    };
    Ok(SetLight { on: req.on, colour })
}

fn from_hsb(hue: i64, sat: i64, bri: i64) -> Result<Colour, AppError> {
    let hue = in_range("hue", hue, 0, 65535)?;
    let sat = in_range("sat", sat, 0, 254)?;
    let bri = in_range("bri", bri, 1, 254)?;
    let hsb = Hsb {
        hue: hue as u16,
        sat: sat as u8,
        bri: bri as u8,
    };
    Ok(Colour {
        label: hsb.hex(),
        hsb,
    })
}

fn in_range(field: &str, value: i64, min: i64, max: i64) -> Result<i64, AppError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(AppError::Invalid(format!(
            "`{field}` must be {min}–{max}, got {value}"
        )))
    }
}

/// A named colour or `#rrggbb` (any case, surrounding spaces ignored).
pub fn parse_colour(input: &str) -> Result<Colour, AppError> {
    let wanted = input.trim().to_ascii_lowercase();
    if let Some((name, hex)) = NAMED_COLOURS.iter().find(|(name, _)| *name == wanted) {
        let rgb = parse_hex(hex).expect("named colours are valid hex");
        return Ok(Colour {
            label: (*name).to_string(),
            hsb: Hsb::from_rgb(rgb),
        });
    }
    match parse_hex(&wanted) {
        Some(rgb) => Ok(Colour {
            label: wanted,
            hsb: Hsb::from_rgb(rgb),
        }),
        None => Err(AppError::Invalid(format!(
            "`colour` must be a named colour ({}) or #rrggbb, got {:?}",
            named_list(),
            truncate(input, 40)
        ))),
    }
}

fn parse_hex(s: &str) -> Option<Srgb<u8>> {
    let digits = s.strip_prefix('#')?;
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let value = u32::from_str_radix(digits, 16).ok()?;
    Some(Srgb::new(
        (value >> 16) as u8,
        (value >> 8) as u8,
        value as u8,
    ))
}

fn named_list() -> String {
    NAMED_COLOURS
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn truncate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        s.chars().take(max_chars).chain(['…']).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_colours_map_to_hue_values() {
        let red = parse_colour("red").unwrap();
        assert_eq!(
            red.hsb,
            Hsb {
                hue: 0,
                sat: 254,
                bri: 254
            }
        );
        let green = parse_colour(" Green ").unwrap();
        assert_eq!(green.label, "green");
        assert_eq!(green.hsb.hue, 21845);
        let blue = parse_colour("blue").unwrap();
        assert_eq!(blue.hsb.hue, 43690);
        let white = parse_colour("white").unwrap();
        assert_eq!(white.hsb.sat, 0);
    }

    #[test]
    fn hex_round_trips_for_primary_colours() {
        for (_, hex) in NAMED_COLOURS {
            let c = parse_colour(hex).unwrap();
            let back = c.hsb.hex();
            let (a, b) = (parse_hex(hex).unwrap(), parse_hex(&back).unwrap());
            for (x, y) in [(a.red, b.red), (a.green, b.green), (a.blue, b.blue)] {
                assert!(x.abs_diff(y) <= 2, "{hex} came back as {back}");
            }
        }
    }

    #[test]
    fn black_keeps_minimum_brightness() {
        assert_eq!(parse_colour("#000000").unwrap().hsb.bri, 1);
    }

    #[test]
    fn bad_colours_say_what_is_accepted() {
        for bad in ["rojo", "#12345", "#gggggg", "", "00ff00"] {
            let msg = parse_colour(bad).unwrap_err().to_string();
            assert!(msg.contains("named colour"), "{bad}: {msg}");
        }
    }

    #[test]
    fn hsb_requests_are_range_checked() {
        let req = |h, s, b| SetBulb {
            hue: Some(h),
            sat: Some(s),
            bri: Some(b),
            ..SetBulb::default()
        };
        assert!(from_request(&req(65535, 254, 1)).is_ok());
        let msg = from_request(&req(70000, 0, 1)).unwrap_err().to_string();
        assert_eq!(msg, "`hue` must be 0–65535, got 70000");
        assert!(from_request(&req(0, 255, 1)).is_err());
        assert!(from_request(&req(0, 0, 0)).is_err());
        assert!(from_request(&req(-1, 0, 1)).is_err());
    }

    #[test]
    fn on_alone_switches_and_keeps_the_colour() {
        let off = SetBulb {
            on: Some(false),
            ..SetBulb::default()
        };
        let light = from_request(&off).unwrap();
        assert_eq!(
            (light.lit(), light.on, light.colour),
            (false, Some(false), None)
        );
        assert_eq!(InputForm::of(&off), InputForm::OnOff);
        let dark_red = SetBulb {
            on: Some(false),
            ..SetBulb::colour("red")
        };
        let light = from_request(&dark_red).unwrap();
        assert!(!light.lit());
        assert_eq!(light.colour.unwrap().label, "red");
        assert!(from_request(&SetBulb::colour("red")).unwrap().lit());
    }

    #[test]
    fn requests_need_exactly_one_form() {
        assert!(from_request(&SetBulb::default()).is_err());
        let both = SetBulb {
            colour: Some("red".into()),
            hue: Some(1),
            ..SetBulb::default()
        };
        assert!(from_request(&both).is_err());
        let partial = SetBulb {
            hue: Some(1),
            ..SetBulb::default()
        };
        assert!(
            from_request(&partial)
                .unwrap_err()
                .to_string()
                .contains("all three")
        );
    }
}
