//! A Hue light's gamut: the triangle of CIE 1931 xy chromaticities its red, green
//! and blue LEDs can mix. A colour outside it is shown as the nearest colour on its
//! edge, as a real bulb does. The colour-space conversions are `palette`'s; only the
//! triangle (inside or not, the nearest point on an edge) is worked out here.

use palette::{FromColor, Hsv, LinSrgb, Srgb, Xyz, Yxy, convert::FromColorUnclamped};

use super::Hsb;

/// A gamut's corners (CIE 1931 xy): red, green, blue.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gamut {
    /// The gamut's name in Hue's `colorgamuttype` ("A", "B", "C").
    pub name: &'static str,
    /// Red, green and blue corners.
    pub corners: [(f32, f32); 3],
}

/// How far outside its gamut a colour may be and still be shown as asked, in xy: less
/// than the eye tells apart (a MacAdam ellipse is some 0.001–0.003 across). Daylight
/// white (D65) lies 0.0006 outside gamut B.
const UNNOTICED: f32 = 0.002;

/// The sRGB primaries: what a page can draw, so what the virtual bulb's hue/sat/bri
/// (sRGB's HSV) can say.
pub const SRGB: Gamut = Gamut {
    name: "sRGB",
    corners: [(0.64, 0.33), (0.30, 0.60), (0.15, 0.06)],
};

/// Hue's gamut B: the first Hue colour bulbs (LCT001…LCT007).
pub const GAMUT_B: Gamut = Gamut {
    name: "B",
    corners: [(0.675, 0.322), (0.409, 0.518), (0.167, 0.04)],
};

/// Hue's gamut C: today's Hue colour bulbs (LCT010 onwards), the virtual bulbs'.
pub const GAMUT_C: Gamut = Gamut {
    name: "C",
    corners: [(0.6915, 0.3083), (0.17, 0.7), (0.1532, 0.0475)],
};

impl Gamut {
    /// Whether `p` is inside the triangle (or on its edge).
    pub fn contains(&self, p: (f32, f32)) -> bool {
        let [r, g, b] = self.corners;
        let d1 = cross(r, g, p);
        let d2 = cross(g, b, p);
        let d3 = cross(b, r, p);
        (d1 >= 0.0 && d2 >= 0.0 && d3 >= 0.0) || (d1 <= 0.0 && d2 <= 0.0 && d3 <= 0.0)
    }

    /// `p` when the gamut holds it, else the nearest point on the gamut's edge.
    pub fn clamp(&self, p: (f32, f32)) -> (f32, f32) {
        if self.contains(p) {
            return p;
        }
        let [r, g, b] = self.corners;
        [(r, g), (g, b), (b, r)]
            .into_iter()
            .map(|(a, b)| nearest_on_segment(p, a, b))
            .min_by(|a, b| distance(p, *a).total_cmp(&distance(p, *b)))
            .unwrap_or(p)
    }

    /// The colour a bulb of this gamut shows for `hsb`: `None` when it is inside the
    /// gamut (shown as asked), else the nearest colour on the gamut's edge, at the
    /// same brightness.
    pub fn clamp_hsb(&self, hsb: Hsb) -> Option<Hsb> {
        let yxy = yxy_of(hsb);
        let point = (yxy.x, yxy.y);
        if yxy.luma <= 0.0 || self.contains(point) {
            return None;
        }
        let (x, y) = self.clamp(point);
        if distance(point, (x, y)) < UNNOTICED {
            return None;
        }
        let shown = hsb_of_xy((x, y), hsb.bri)?;
        (shown != hsb).then_some(shown)
    }
}

/// The CIE 1931 chromaticity and luminance of the sRGB colour `hsb` draws as.
pub fn yxy_of(hsb: Hsb) -> Yxy {
    let hsv = Hsv::new(
        f32::from(hsb.hue) / 65535.0 * 360.0,
        f32::from(hsb.sat) / 254.0,
        f32::from(hsb.bri) / 254.0,
    );
    let linear: LinSrgb = Srgb::from_color(hsv).into_linear();
    Yxy::from_color_unclamped(Xyz::from_color_unclamped(linear))
}

/// The bulb values for chromaticity `xy` at brightness `bri`: the nearest colour sRGB
/// can draw (moved onto sRGB's edge as a bulb moves a colour onto its gamut's, which
/// keeps its hue, where cutting negative channels would not), scaled so that its
/// brightest channel is at `bri`. `None` for a chromaticity no light has (y = 0).
pub fn hsb_of_xy(xy: (f32, f32), bri: u8) -> Option<Hsb> {
    if xy.1 <= 0.0 {
        return None;
    }
    let xy = SRGB.clamp(xy);
    // Unclamped: `from_color` would cut X and Z to the white point's, and the channels
    // to 0–1, before the colour is scaled into range below.
    let xyz: Xyz = Xyz::from_color_unclamped(Yxy::new(xy.0, xy.1, 1.0));
    let linear = LinSrgb::from_color_unclamped(xyz);
    let linear = LinSrgb::new(
        linear.red.max(0.0),
        linear.green.max(0.0),
        linear.blue.max(0.0),
    );
    let srgb: Srgb = Srgb::from_linear(linear);
    let peak = srgb.red.max(srgb.green).max(srgb.blue);
    if peak <= 0.0 || !peak.is_finite() {
        return None;
    }
    let scale = f32::from(bri.max(1)) / 254.0 / peak;
    let rgb = Srgb::new(
        (srgb.red * scale).clamp(0.0, 1.0),
        (srgb.green * scale).clamp(0.0, 1.0),
        (srgb.blue * scale).clamp(0.0, 1.0),
    );
    Some(Hsb::from_rgb(rgb.into_format()))
}

fn cross(o: (f32, f32), a: (f32, f32), b: (f32, f32)) -> f32 {
    (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
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

    #[test]
    fn corners_and_the_white_point_are_inside_far_points_are_clamped_onto_an_edge() {
        for gamut in [GAMUT_B, GAMUT_C] {
            for corner in gamut.corners {
                assert!(gamut.contains(corner), "{}: {corner:?}", gamut.name);
            }
            let [r, g, b] = gamut.corners;
            let middle = ((r.0 + g.0 + b.0) / 3.0, (r.1 + g.1 + b.1) / 3.0);
            assert!(gamut.contains(middle));
            let far = (0.05, 0.9);
            let clamped = gamut.clamp(far);
            assert_ne!(clamped, far);
            // On the edge: clamping again does not move it (beyond rounding).
            let again = gamut.clamp(clamped);
            assert!(distance(clamped, again) < 1e-4, "{clamped:?} → {again:?}");
        }
    }

    #[test]
    fn gamut_c_holds_more_green_than_gamut_b() {
        let green = (0.25, 0.6);
        assert!(GAMUT_C.contains(green));
        assert!(!GAMUT_B.contains(green));
    }

    #[test]
    fn an_srgb_colour_comes_back_from_its_chromaticity() {
        let orange = Hsb {
            hue: 5461,
            sat: 254,
            bri: 200,
        };
        let yxy = yxy_of(orange);
        let back = hsb_of_xy((yxy.x, yxy.y), orange.bri).unwrap();
        assert!(back.hue.abs_diff(orange.hue) < 200, "{back:?}");
        assert!(back.sat.abs_diff(orange.sat) <= 2, "{back:?}");
        assert!(back.bri.abs_diff(orange.bri) <= 1, "{back:?}");
    }
}
