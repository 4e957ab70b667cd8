//! How each group is drawn, the same in every chart of one answer. In a workshop about
//! a coloured bulb, colour means the bulb's colour:
//! - broken down by a colour column (`colour`, `applied_colour`, …), a group is drawn
//!   in a screen-friendly shade of its colour value (a name, or `#rrggbb` lightened for
//!   the dark background), and groups of one colour (`green, true` and `green, false`)
//!   are told apart by their line: solid, dashed, dotted (then darker, and round again);
//! - otherwise groups take a palette of muted tones no bulb shows (slate, sand, sage,
//!   mauve, steel, clay, grey), in the order of the answer's totals, and after the
//!   seventh the same tones dashed, then dotted; so a pink line never reads as a pink
//!   bulb.

use bulbwatch_api::{NAMED_COLOURS, QueryResult, Scalar};
use palette::{Clamp, FromColor, Oklch, Srgb};

use crate::colour_scale::Rgb;

/// Shades of the bulb's named colours that read well on the dark background (pure
/// `#0000ff` blue is nearly invisible there).
pub const BULB_SHADES: [(&str, Rgb); 9] = [
    ("red", (0xff, 0x5c, 0x5c)),
    ("orange", (0xff, 0xa1, 0x4a)),
    ("yellow", (0xff, 0xe0, 0x5c)),
    ("green", (0x4a, 0xde, 0x6e)),
    ("cyan", (0x5c, 0xe1, 0xf0)),
    ("blue", (0x6e, 0x8c, 0xff)),
    ("purple", (0xb0, 0x85, 0xff)),
    ("pink", (0xff, 0x6e, 0xb4)),
    ("white", (0xe8, 0xea, 0xef)),
];

/// The groups' palette when no colour is broken down: low-chroma tones (Oklab chroma
/// at most 0.06, under half any bulb shade's) at hues and lightnesses away from every
/// bulb shade, light enough for the dark background.
pub const PALETTE: [Rgb; 7] = [
    (0x9a, 0xb4, 0xd0), // slate
    (0xd7, 0xc1, 0x9c), // sand
    (0x84, 0xa2, 0x84), // sage
    (0xbb, 0x98, 0xb2), // mauve
    (0x60, 0x88, 0x8d), // steel
    (0xa9, 0x82, 0x71), // clay
    (0x6f, 0x6f, 0x6f), // grey
];

/// Oklab lightness a hex colour value is raised to, at least, to read on the dark
/// background.
const HEX_LIGHTNESS: f32 = 0.72;
/// How much darker (Oklab lightness) each further round of line styles is.
const ROUND_DARKER: f32 = 0.12;

/// How a group's line is drawn (its bar: solid, half filled, outlined).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Dash {
    /// A solid line.
    #[default]
    Solid,
    /// Dashes.
    Dashed,
    /// Dots.
    Dotted,
}

impl Dash {
    /// The CSS border style that looks the same (for HTML legends).
    pub fn css(self) -> &'static str {
        match self {
            Dash::Solid => "solid",
            Dash::Dashed => "dashed",
            Dash::Dotted => "dotted",
        }
    }

    /// The `k`th style of a round: solid, dashed, dotted.
    fn nth(k: usize) -> Self {
        [Dash::Solid, Dash::Dashed, Dash::Dotted][k % 3]
    }
}

/// A group's colour and line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupStyle {
    /// Its colour.
    pub colour: Rgb,
    /// Its line.
    pub dash: Dash,
}

/// The styles of an answer's groups.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupColours {
    /// The groups in the order of the totals, with their styles.
    styles: Vec<(Vec<Option<Scalar>>, GroupStyle)>,
}

/// Whether a column holds bulb colours: `colour`, `color`, or a name ending in
/// `_colour` / `.colour` (`applied_colour`, `bulb.enqueue.colour`).
pub fn is_colour_column(name: &str) -> bool {
    let n = name.trim().to_ascii_lowercase();
    ["colour", "color"].iter().any(|c| {
        n == *c
            || n.strip_suffix(c)
                .is_some_and(|head| head.ends_with('_') || head.ends_with('.'))
    })
}

/// The screen shade of a bulb colour value: a named colour's shade (case and spaces
/// ignored), `#rrggbb` of a named colour as that name's shade, any other `#rrggbb`
/// itself raised to a readable lightness. `None` for anything else.
pub fn bulb_colour(value: &str) -> Option<Rgb> {
    let v = value.trim();
    if let Some(&(_, rgb)) = BULB_SHADES.iter().find(|(n, _)| n.eq_ignore_ascii_case(v)) {
        return Some(rgb);
    }
    let rgb = parse_hex(v)?;
    let named = NAMED_COLOURS
        .iter()
        .find(|(_, hex)| parse_hex(hex) == Some(rgb))
        .and_then(|(name, _)| BULB_SHADES.iter().find(|(n, _)| n == name));
    Some(match named {
        Some(&(_, shade)) => shade,
        None => with_lightness(rgb, |l| l.max(HEX_LIGHTNESS)),
    })
}

/// `#rrggbb` as RGB.
fn parse_hex(s: &str) -> Option<Rgb> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// `c` with its Oklab lightness changed by `f`, hue and chroma kept (clamped to sRGB).
fn with_lightness(c: Rgb, f: impl Fn(f32) -> f32) -> Rgb {
    let mut lch = Oklch::from_color(Srgb::new(c.0, c.1, c.2).into_format::<f32>());
    lch.l = f(lch.l).clamp(0.0, 1.0);
    let rgb: Srgb<u8> = Srgb::from_color(lch).clamp().into_format();
    (rgb.red, rgb.green, rgb.blue)
}

/// The `k`th style on `colour`: solid, dashed, dotted, then the three again darker.
fn variant(colour: Rgb, k: usize) -> GroupStyle {
    let round = (k / 3) as f32;
    GroupStyle {
        colour: if round == 0.0 {
            colour
        } else {
            with_lightness(colour, |l| (l - ROUND_DARKER * round).max(0.45))
        },
        dash: Dash::nth(k),
    }
}

/// Where a value puts its group among the lines of one colour: `true` first, then
/// `false`, then numbers by size, then text in order, then none.
fn line_rank(value: &Option<Scalar>) -> (u8, i64, String) {
    match value {
        Some(Scalar::Bool(true)) => (0, 0, String::new()),
        Some(Scalar::Bool(false)) => (1, 0, String::new()),
        Some(Scalar::String(s)) if s == "true" => (0, 0, String::new()),
        Some(Scalar::String(s)) if s == "false" => (1, 0, String::new()),
        Some(Scalar::Number(n)) => (2, (n * 1000.0) as i64, String::new()),
        Some(Scalar::String(s)) => (3, 0, s.clone()),
        None => (4, 0, String::new()),
    }
}

/// The `i`th palette style: the seven tones solid, then dashed, then dotted.
fn palette_style(i: usize) -> GroupStyle {
    GroupStyle {
        colour: PALETTE[i % PALETTE.len()],
        dash: Dash::nth(i / PALETTE.len()),
    }
}

impl GroupColours {
    /// The styles for the groups of `r`.
    pub fn of_result(r: &QueryResult) -> Self {
        let mut order: Vec<Vec<Option<Scalar>>> =
            r.totals.iter().map(|t| t.group.clone()).collect();
        for s in &r.series {
            if !order.contains(&s.group) {
                order.push(s.group.clone());
            }
        }
        let colour_at = r.breakdowns.iter().position(|b| is_colour_column(b));
        let colour_of = |group: &[Option<Scalar>]| {
            colour_at.and_then(|k| match group.get(k) {
                Some(Some(Scalar::String(s))) => bulb_colour(s).map(|c| (c, s.clone())),
                _ => None,
            })
        };
        // The groups of one shade take its lines in an order of their values, not of
        // their counts: its names before its hex spellings ("green" before
        // "#00ff00"), then the other values (true solid, false dashed, the rest in
        // order). So the lines stay put as counts change, and a shade with one group
        // is solid.
        let line_key = |group: &[Option<Scalar>], spelling: &str| {
            let rest: Vec<_> = group
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != colour_at)
                .map(|(_, v)| line_rank(v))
                .collect();
            (spelling.starts_with('#'), spelling.to_lowercase(), rest)
        };
        let mut shade_groups: Vec<(Rgb, Vec<_>)> = Vec::new();
        for group in &order {
            if let Some((c, spelling)) = colour_of(group) {
                let key = line_key(group, &spelling);
                match shade_groups.iter_mut().find(|(shade, _)| *shade == c) {
                    Some((_, keys)) => keys.push(key),
                    None => shade_groups.push((c, vec![key])),
                }
            }
        }
        for (_, keys) in &mut shade_groups {
            keys.sort();
        }
        let mut others = 0;
        let styles = order
            .into_iter()
            .map(|group| {
                let style = match colour_of(&group) {
                    Some((c, spelling)) => {
                        let key = line_key(&group, &spelling);
                        let line = shade_groups
                            .iter()
                            .find(|(shade, _)| *shade == c)
                            .and_then(|(_, keys)| keys.iter().position(|k| *k == key))
                            .unwrap_or(0);
                        variant(c, line)
                    }
                    None => {
                        others += 1;
                        palette_style(others - 1)
                    }
                };
                (group, style)
            })
            .collect();
        GroupColours { styles }
    }

    /// The style of `group` (a group the answer did not list takes the next palette
    /// style).
    pub fn style(&self, group: &[Option<Scalar>]) -> GroupStyle {
        self.styles
            .iter()
            .find(|(g, _)| g.as_slice() == group)
            .map_or_else(|| palette_style(self.styles.len()), |(_, s)| *s)
    }

    /// The colour of `group`.
    pub fn colour(&self, group: &[Option<Scalar>]) -> Rgb {
        self.style(group).colour
    }
}
