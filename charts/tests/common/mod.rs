//! What the charts' tests share: drawing to an SVG string, reading its texts and font
//! sizes, and plotting areas.
// Each test file uses its own part of this module.
#![allow(dead_code)]

use bulbwatch_charts::draw::DrawError;
use bulbwatch_charts::plot_rect::PlotRect;
use plotters::prelude::SVGBackend;

/// A drawing of `size` device pixels as SVG text, and the plotting area it returned.
pub fn to_svg(
    size: (u32, u32),
    draw: impl FnOnce(SVGBackend<'_>) -> Result<PlotRect, DrawError>,
) -> (String, PlotRect) {
    let mut svg = String::new();
    let rect = draw(SVGBackend::with_string(&mut svg, size)).expect("the drawing succeeds");
    (svg, rect)
}

/// The texts of an SVG's `<text>` elements.
pub fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..t.find("</text>")?];
            Some(body.trim().to_owned())
        })
        .collect()
}

/// The font sizes an SVG uses.
pub fn font_sizes(svg: &str) -> Vec<f64> {
    svg.split("font-size=\"")
        .skip(1)
        .filter_map(|t| t[..t.find('"')?].parse().ok())
        .collect()
}

/// Asserts that `rect` lies inside a canvas of `size` and takes most of it.
pub fn inside(rect: &PlotRect, size: (u32, u32)) {
    assert!(rect.left > 0.0 && rect.top > 0.0, "{rect:?}");
    assert!(
        rect.right < f64::from(size.0) && rect.bottom < f64::from(size.1),
        "{rect:?}"
    );
    assert!(rect.width() > f64::from(size.0) / 2.0 && rect.height() > f64::from(size.1) / 2.0);
}

/// A plotting area from its edges.
pub fn rect(left: f64, top: f64, right: f64, bottom: f64) -> PlotRect {
    PlotRect {
        left,
        top,
        right,
        bottom,
    }
}

/// A `<text>` of an SVG with where it is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedText {
    /// Its anchor's x.
    pub x: f64,
    /// Its anchor's y.
    pub y: f64,
    /// `start`, `middle` or `end`.
    pub anchor: String,
    /// Its size as drawn on a canvas: plotters' SVG backend writes the font's size
    /// divided by 1.24, the canvas backend the size itself.
    pub size: f64,
    /// What it says.
    pub text: String,
}

/// The texts of an SVG with their positions and sizes.
pub fn placed_texts(svg: &str) -> Vec<PlacedText> {
    let attr = |t: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let at = &t[t.find(&key)? + key.len()..];
        Some(at[..at.find('"')?].to_owned())
    };
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let head = &t[..t.find('>')?];
            Some(PlacedText {
                x: attr(head, "x")?.parse().ok()?,
                y: attr(head, "y")?.parse().ok()?,
                anchor: attr(head, "text-anchor")?,
                size: attr(head, "font-size")?.parse::<f64>().ok()? * 1.24,
                text: t[t.find('>')? + 1..t.find("</text>")?].trim().to_owned(),
            })
        })
        .collect()
}
