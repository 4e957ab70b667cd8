//! Hue's three ways to say a colour, for a light of gamut C: hue/sat (the bulb's own
//! terms), CIE 1931 xy, and colour temperature in mired (a white on the Planckian
//! locus, 153–500 mired: 6500–2000 K).
//!
//! sRGB, XYZ and xyY come from `palette` and the gamut from
//! [`crate::colour::gamut`]; the Planckian locus from `colorimetry`, since
//! `palette` knows only a few fixed white points (D50, D65, …), not the white of
//! every temperature, nor which temperature a chromaticity is nearest.

use colorimetry::illuminant::CCT;
use colorimetry::observer::Observer;
use colorimetry::xyz::{Chromaticity, XYZ};

use crate::colour::Hsb;
use crate::colour::gamut::{GAMUT_C, Gamut, hsb_of_xy, yxy_of};

/// The virtual bulbs' gamut.
pub const GAMUT: Gamut = GAMUT_C;

/// The coolest white the lights make, mired (6500 K).
pub const CT_MIN: u16 = 153;
/// The warmest, mired (2000 K).
pub const CT_MAX: u16 = 500;

/// `hsb` as a gamut C bulb shows it (the same unless it is outside the gamut).
pub fn shown(hsb: Hsb) -> Hsb {
    GAMUT.clamp_hsb(hsb).unwrap_or(hsb)
}

/// The chromaticity of `hsb`, to Hue's four decimals.
pub fn xy_of(hsb: Hsb) -> [f64; 2] {
    let yxy = yxy_of(hsb);
    if yxy.luma <= 0.0 || !yxy.x.is_finite() || !yxy.y.is_finite() {
        return round_xy(GAMUT.clamp(D65));
    }
    round_xy((yxy.x, yxy.y))
}

/// The chromaticity a gamut C bulb shows when asked for `xy`: the nearest point of
/// the gamut.
pub fn clamp_xy(xy: [f64; 2]) -> [f64; 2] {
    round_xy(GAMUT.clamp((xy[0] as f32, xy[1] as f32)))
}

/// The bulb values for chromaticity `xy` (clamped into the gamut) at brightness
/// `bri`.
pub fn hsb_for_xy(xy: [f64; 2], bri: u8) -> Hsb {
    let [x, y] = clamp_xy(xy);
    hsb_of_xy((x as f32, y as f32), bri).unwrap_or(Hsb {
        hue: 0,
        sat: 0,
        bri,
    })
}

/// The chromaticity of a white of `mired` (clamped to 153–500) on the Planckian
/// locus.
pub fn xy_for_ct(mired: u16) -> [f64; 2] {
    let kelvin = 1e6 / f64::from(mired.clamp(CT_MIN, CT_MAX));
    CCT::new(kelvin, 0.0)
        .and_then(XYZ::try_from)
        .map(|xyz| {
            let c = xyz.chromaticity();
            round_xy((c.x() as f32, c.y() as f32))
        })
        .unwrap_or_else(|_| round_xy(D65))
}

/// The colour temperature (153–500 mired) nearest chromaticity `xy`: its correlated
/// colour temperature when it is near the Planckian locus, else the locus's nearest
/// point in the lights' range.
pub fn ct_for_xy(xy: [f64; 2]) -> u16 {
    let near_locus = XYZ::from_chromaticity(Chromaticity::new(xy[0], xy[1]), None, None)
        .and_then(CCT::try_from)
        .map(|cct| (1e6 / cct.t()).round());
    match near_locus {
        Ok(mired) if mired.is_finite() => mired.clamp(f64::from(CT_MIN), f64::from(CT_MAX)) as u16,
        _ => nearest_on_locus(xy),
    }
}

/// The whole mired in 153–500 whose white is nearest `xy`.
fn nearest_on_locus(xy: [f64; 2]) -> u16 {
    let observer = Observer::Cie1931;
    (CT_MIN..=CT_MAX)
        .step_by(1)
        .map(|mired| {
            let c = observer
                .xyz_planckian_locus(1e6 / f64::from(mired))
                .chromaticity();
            let d = (c.x() - xy[0]).hypot(c.y() - xy[1]);
            (mired, d)
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(CT_MIN, |(mired, _)| mired)
}

/// The bulb values for a white of `mired` at brightness `bri`.
pub fn hsb_for_ct(mired: u16, bri: u8) -> Hsb {
    hsb_for_xy(xy_for_ct(mired), bri)
}

/// Daylight white (D65), CIE 1931 xy.
const D65: (f32, f32) = (0.3127, 0.329);

fn round_xy((x, y): (f32, f32)) -> [f64; 2] {
    let four = |v: f32| (f64::from(v) * 10_000.0).round() / 10_000.0;
    [four(x), four(y)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn near(a: [f64; 2], b: [f64; 2], within: f64) -> bool {
        (a[0] - b[0]).hypot(a[1] - b[1]) <= within
    }

    #[test]
    fn white_is_the_daylight_point_and_red_is_the_srgb_red() {
        let white = Hsb {
            hue: 0,
            sat: 0,
            bri: 254,
        };
        assert!(
            near(xy_of(white), [0.3127, 0.329], 0.002),
            "{:?}",
            xy_of(white)
        );
        let red = Hsb {
            hue: 0,
            sat: 254,
            bri: 254,
        };
        assert!(near(xy_of(red), [0.64, 0.33], 0.002), "{:?}", xy_of(red));
    }

    #[test]
    fn xy_inside_the_gamut_round_trips_through_the_bulb_values() {
        for xy in [[0.4, 0.4], [0.3127, 0.329], [0.55, 0.35], [0.25, 0.3]] {
            let hsb = hsb_for_xy(xy, 254);
            let back = xy_of(hsb);
            assert!(near(back, xy, 0.01), "{xy:?} → {hsb:?} → {back:?}");
        }
    }

    #[test]
    fn xy_outside_the_gamut_is_clamped_onto_its_edge() {
        // Spectral green and deep violet are beyond gamut C.
        for xy in [[0.08, 0.83], [0.17, 0.005], [0.74, 0.26]] {
            let clamped = clamp_xy(xy);
            assert!(!near(clamped, xy, 0.005), "{xy:?} was not clamped");
            let p = (clamped[0] as f32, clamped[1] as f32);
            assert!(
                GAMUT.contains(p) || near(clamp_xy(clamped), clamped, 0.0002),
                "{clamped:?} is not on gamut C"
            );
        }
        // Inside stays put.
        assert_eq!(clamp_xy([0.4, 0.4]), [0.4, 0.4]);
    }

    #[test]
    fn colour_temperatures_lie_on_the_planckian_locus_and_come_back() {
        // 2700 K ≈ 370 mired is near (0.46, 0.41); 6500 K ≈ 153 mired near (0.31, 0.32).
        assert!(
            near(xy_for_ct(370), [0.46, 0.41], 0.01),
            "{:?}",
            xy_for_ct(370)
        );
        assert!(
            near(xy_for_ct(153), [0.313, 0.324], 0.01),
            "{:?}",
            xy_for_ct(153)
        );
        for mired in [153, 200, 250, 300, 366, 450, 500] {
            let back = ct_for_xy(xy_for_ct(mired));
            assert!(back.abs_diff(mired) <= 2, "{mired} → {back}");
        }
    }

    #[test]
    fn colour_temperatures_outside_the_range_are_clamped() {
        assert_eq!(xy_for_ct(100), xy_for_ct(CT_MIN));
        assert_eq!(xy_for_ct(900), xy_for_ct(CT_MAX));
        // A saturated blue is far from the locus: the coolest white is its nearest.
        assert_eq!(ct_for_xy([0.16, 0.05]), CT_MIN);
        // A deep orange is nearest the warm end.
        assert_eq!(ct_for_xy([0.6, 0.38]), CT_MAX);
    }

    #[test]
    fn hue_sat_outside_the_gamut_is_moved_onto_it() {
        // sRGB's blue lies just outside gamut C: a gamut C bulb shows a blue a little
        // towards violet.
        let blue = Hsb {
            hue: 43690,
            sat: 254,
            bri: 254,
        };
        let moved = shown(blue);
        assert_ne!(moved, blue);
        assert!((43690..47000).contains(&moved.hue), "{moved:?}");
        let [x, y] = xy_of(moved);
        assert!(
            GAMUT.contains((x as f32, y as f32)) || near(clamp_xy([x, y]), [x, y], 0.003),
            "{moved:?} at {x}, {y}"
        );
    }

    #[test]
    fn hue_sat_inside_the_gamut_is_shown_as_asked_and_a_white_keeps_its_warmth() {
        let orange = Hsb {
            hue: 6000,
            sat: 200,
            bri: 180,
        };
        assert_eq!(shown(orange), orange);
        let warm = hsb_for_ct(400, 200);
        assert!(ct_for_xy(xy_of(warm)).abs_diff(400) <= 8, "{warm:?}");
        assert_eq!(warm.bri, 200);
    }
}
