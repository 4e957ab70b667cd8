//! The heatmap's colours: a perceptual sequential scale for counts (colorous's Inferno,
//! the part of it from raspberry to pale yellow, so even one event stands out on the
//! dark background), brighter for more events, nothing for none; and its legend, which
//! for a few counts is a swatch per count rather than a gradient.

use palette::color_difference::Wcag21RelativeContrast;
use palette::{FromColor, Oklab, Srgb};

/// An RGB colour.
pub type Rgb = (u8, u8, u8);

/// The map the scale samples.
const MAP: colorous::Gradient = colorous::INFERNO;
/// Where on [`MAP`] one event sits: below it the map is too dark to tell from the
/// chart's background (`#161b29`).
const MAP_START: f64 = 0.5;

/// Entries of the lookup table.
const STEPS: usize = 256;

/// Counts up to this many get a swatch each in the legend; more get a gradient.
pub const LEGEND_STEPS_MAX: u32 = 6;
/// Most labelled counts under a gradient legend.
const LEGEND_TICKS_MAX: usize = 5;

/// A colour for every count from 1 to `max_count`; 0 has none (the background shows).
/// Counts map logarithmically, so a few events stand out next to thousands.
#[derive(Clone, Debug, PartialEq)]
pub struct ColourScale {
    max_count: u32,
    table: Vec<Rgb>,
}

/// The legend of a scale, for the page to draw.
#[derive(Clone, Debug, PartialEq)]
pub enum HeatLegend {
    /// No events: nothing to explain.
    Empty,
    /// A swatch per count, lowest first: `"1 event"` alone when the busiest cell has
    /// one, else `"1"`, `"2"`, … up to the largest count.
    Steps(Vec<(String, Rgb)>),
    /// A gradient from one event to the largest count (`stops`, evenly spaced), with
    /// counts labelled where they sit on it (`(position 0–1, label)`), the ends included.
    Gradient {
        /// Colours from one event to the most.
        stops: Vec<Rgb>,
        /// Labelled counts, lowest first.
        ticks: Vec<(f64, String)>,
    },
}

impl ColourScale {
    /// The scale for counts up to `max_count`.
    pub fn new(max_count: u32) -> Self {
        let table = (0..STEPS)
            .map(|i| {
                let t = i as f64 / (STEPS - 1) as f64;
                MAP.eval_continuous(MAP_START + (1.0 - MAP_START) * t)
                    .into_tuple()
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

    /// The legend: nothing without events, a swatch per count up to
    /// [`LEGEND_STEPS_MAX`], else a gradient labelled at 1, round counts and the max.
    pub fn legend(&self) -> HeatLegend {
        match self.max_count {
            0 => HeatLegend::Empty,
            1 => HeatLegend::Steps(vec![("1 event".to_owned(), self.at(1.0))]),
            max if max <= LEGEND_STEPS_MAX => HeatLegend::Steps(
                (1..=max)
                    .map(|c| (c.to_string(), self.at(self.position(c))))
                    .collect(),
            ),
            max => HeatLegend::Gradient {
                stops: (0..=8).map(|k| self.at(f64::from(k) / 8.0)).collect(),
                ticks: self.legend_ticks(max),
            },
        }
    }

    /// 1, round counts (1, 2, 5 × 10ⁿ, or powers of ten when those are too many) that
    /// do not crowd the end, and `max`, each at its position.
    fn legend_ticks(&self, max: u32) -> Vec<(f64, String)> {
        let mut round: Vec<u32> = Vec::new();
        let mut power = 1u32;
        'outer: loop {
            for m in [1, 2, 5] {
                let Some(v) = power.checked_mul(m) else {
                    break 'outer;
                };
                if v > max {
                    break 'outer;
                }
                round.push(v);
            }
            let Some(next) = power.checked_mul(10) else {
                break;
            };
            power = next;
        }
        if round.len() > LEGEND_TICKS_MAX - 1 {
            round.retain(|v| {
                v.to_string()
                    .trim_start_matches('1')
                    .bytes()
                    .all(|b| b == b'0')
            });
        }
        // Keep clear of the max's label, which is always shown.
        round.retain(|&v| v < max && self.position(max) - self.position(v) >= 0.15);
        round.push(max);
        round
            .into_iter()
            .map(|v| (self.position(v), v.to_string()))
            .collect()
    }
}

/// Oklab lightness of a colour, 0 (black) to 1 (white).
pub fn lightness(c: Rgb) -> f32 {
    Oklab::from_color(Srgb::new(c.0, c.1, c.2).into_format::<f32>()).l
}

/// The WCAG 2.1 contrast ratio of two colours, 1 (the same) to 21 (black on white).
pub fn contrast(a: Rgb, b: Rgb) -> f32 {
    let linear = |c: Rgb| Srgb::new(c.0, c.1, c.2).into_format::<f32>();
    linear(a).relative_contrast(linear(b))
}

/// CSS for a colour: `rgb(78 155 255)`.
pub fn css(c: Rgb) -> String {
    format!("rgb({} {} {})", c.0, c.1, c.2)
}
