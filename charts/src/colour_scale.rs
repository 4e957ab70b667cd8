//! Colours: a sequential scale for heatmap counts (dark blue to pale yellow, evenly
//! stepped in the perceptual Oklab space, brighter for more events, nothing for none)
//! and a categorical palette for groups, readable on the dark background.

use palette::{Clamp, FromColor, Mix, Oklab, Srgb};

/// An RGB colour.
pub type Rgb = (u8, u8, u8);

/// The scale's stops, darkest first (lightness rises monotonically).
const STOPS: [Rgb; 5] = [
    (0x23, 0x3b, 0x7a),
    (0x6d, 0x3f, 0xa8),
    (0xc9, 0x4f, 0x7c),
    (0xf5, 0x93, 0x3c),
    (0xfc, 0xee, 0xa7),
];

/// Entries of the lookup table.
const STEPS: usize = 256;

/// A colour for every count from 1 to `max_count`; 0 has none (the background shows).
/// Counts map logarithmically, so a few events stand out next to thousands.
#[derive(Clone, Debug, PartialEq)]
pub struct ColourScale {
    max_count: u32,
    table: Vec<Rgb>,
}

impl ColourScale {
    /// The scale for counts up to `max_count`.
    pub fn new(max_count: u32) -> Self {
        let lab: Vec<Oklab> = STOPS
            .iter()
            .map(|&(r, g, b)| Oklab::from_color(Srgb::new(r, g, b).into_format::<f32>()))
            .collect();
        let table = (0..STEPS)
            .map(|i| {
                let t = i as f32 / (STEPS - 1) as f32 * (STOPS.len() - 1) as f32;
                let k = (t.floor() as usize).min(STOPS.len() - 2);
                let mixed = lab[k].mix(lab[k + 1], t - k as f32);
                let rgb: Srgb<u8> = Srgb::from_color(mixed).clamp().into_format();
                (rgb.red, rgb.green, rgb.blue)
            })
            .collect();
        ColourScale { max_count, table }
    }

    /// The largest count the scale covers.
    pub fn max_count(&self) -> u32 {
        self.max_count
    }

    /// Where a count sits on the scale, 0 to 1 (logarithmic; counts above the max clamp).
    pub fn position(&self, count: u32) -> f64 {
        if count == 0 || self.max_count <= 1 {
            return if count == 0 { 0.0 } else { 1.0 };
        }
        let c = count.min(self.max_count);
        (f64::from(c).ln() / f64::from(self.max_count).ln()).clamp(0.0, 1.0)
    }

    /// The colour of a count; `None` for 0.
    pub fn colour(&self, count: u32) -> Option<Rgb> {
        if count == 0 {
            return None;
        }
        Some(self.at(self.position(count)))
    }

    /// The colour at a position 0–1 on the scale (for a legend's gradient).
    pub fn at(&self, position: f64) -> Rgb {
        let i = (position.clamp(0.0, 1.0) * (STEPS - 1) as f64).round() as usize;
        self.table[i]
    }
}

/// Oklab lightness of a colour, 0 (black) to 1 (white).
pub fn lightness(c: Rgb) -> f32 {
    Oklab::from_color(Srgb::new(c.0, c.1, c.2).into_format::<f32>()).l
}

/// The group colours, in order; they repeat after the last.
pub const CATEGORIES: [Rgb; 10] = [
    (0x4e, 0x9b, 0xff),
    (0xff, 0x8a, 0x5c),
    (0x3d, 0xdc, 0x84),
    (0xc0, 0x84, 0xfc),
    (0xf4, 0x72, 0xb6),
    (0x2d, 0xd4, 0xbf),
    (0xfa, 0xcc, 0x15),
    (0xa3, 0xe6, 0x35),
    (0xfb, 0x71, 0x85),
    (0x94, 0xa3, 0xb8),
];

/// The colour of the `i`th group.
pub fn category(i: usize) -> Rgb {
    CATEGORIES[i % CATEGORIES.len()]
}

/// CSS for a colour: `rgb(78 155 255)`.
pub fn css(c: Rgb) -> String {
    format!("rgb({} {} {})", c.0, c.1, c.2)
}
