//! How a chart looks: the device pixel ratio that scales fonts, strokes and margins, the
//! colours of the dark room (style/main.css), and text sizes that read from the back of
//! the room: never smaller than the page's body text.

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

/// The page's body text, CSS px (`html { font-size: 18px }` in style/main.css).
pub const BODY_TEXT_CSS: f64 = 18.0;
/// Tick labels, bar labels and values, marker labels, CSS px: the body's size, so a
/// projector's back row reads them as well as the page around them.
pub const LABEL_TEXT_CSS: f64 = BODY_TEXT_CSS;
/// A chart's title (what its values are), CSS px.
pub const TITLE_TEXT_CSS: f64 = BODY_TEXT_CSS;
/// The advance of an average character in ems (sans-serif, digits and lowercase), for
/// sizing labels before drawing them: generous, so an estimate is rarely short.
pub const CHAR_EM: f64 = 0.6;

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

    /// About how wide `chars` characters of `css_size` text are, device px.
    pub fn text_width(&self, chars: usize, css_size: f64) -> f64 {
        chars as f64 * self.font(css_size) * CHAR_EM
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
        assert_eq!(t.text_width(10, 18.0), 10.0 * 36.0 * CHAR_EM);
    }
}
