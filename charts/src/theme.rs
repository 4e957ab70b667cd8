//! How a chart looks: the device pixel ratio that scales fonts, strokes and margins, and
//! the colours of the dark room (style/main.css).

use plotters::style::RGBColor;

/// The look of a chart drawn in device pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Device pixels per CSS pixel.
    pub ratio: f64,
}

impl Default for Theme {
    fn default() -> Self {
        Theme { ratio: 1.0 }
    }
}

/// The chart's background (`--bg-raised`).
pub const BACKGROUND: RGBColor = RGBColor(0x16, 0x1b, 0x29);
/// Text and axis labels (`--text`).
pub const TEXT: RGBColor = RGBColor(0xe8, 0xeb, 0xf3);
/// Secondary text: tick labels (`--muted`).
pub const MUTED: RGBColor = RGBColor(0x9a, 0xa3, 0xb6);
/// Axis lines.
pub const AXIS: RGBColor = RGBColor(0x4a, 0x52, 0x66);
/// Grid lines, faint.
pub const GRID: RGBColor = RGBColor(0x24, 0x2a, 0x3a);
/// Markers and the selection (`--accent`).
pub const ACCENT: RGBColor = RGBColor(0xf5, 0xc5, 0x42);

impl Theme {
    /// `css` CSS pixels in whole device pixels (at least 1 when `css` is positive).
    pub fn px(&self, css: f64) -> i32 {
        let px = (css * self.ratio).round() as i32;
        if css > 0.0 { px.max(1) } else { px }
    }

    /// A font size in device pixels for `css_size` CSS pixels.
    pub fn font(&self, css_size: f64) -> f64 {
        css_size * self.ratio
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_scale_with_the_ratio() {
        let t = Theme { ratio: 2.0 };
        assert_eq!(t.px(10.0), 20);
        assert_eq!(t.px(0.2), 1);
        assert_eq!(t.font(12.0), 24.0);
        assert_eq!(Theme::default().px(7.0), 7);
    }
}
