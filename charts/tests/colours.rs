//! Colours that mean something: heatmap counts visible from one event up, legends that
//! suit the counts, and group colours that are the bulb's only when a colour is
//! broken down.

use bulbwatch_api::{GroupRow, GroupSeries, QueryResult, Scalar};
use bulbwatch_charts::colour_scale::{ColourScale, HeatLegend, Rgb, contrast, lightness};
use bulbwatch_charts::group_colours::{
    BULB_SHADES, Dash, GroupColours, GroupStyle, PALETTE, bulb_colour, is_colour_column,
};
use bulbwatch_charts::theme::BACKGROUND;
use palette::{FromColor, Oklab, Oklch, Srgb};

const BG: Rgb = (BACKGROUND.0, BACKGROUND.1, BACKGROUND.2);

fn oklab(c: Rgb) -> Oklab {
    Oklab::from_color(Srgb::new(c.0, c.1, c.2).into_format::<f32>())
}

fn oklch(c: Rgb) -> Oklch {
    Oklch::from_color(Srgb::new(c.0, c.1, c.2).into_format::<f32>())
}

/// Distance in Oklab (about 0.02 is the smallest difference people see).
fn distance(a: Rgb, b: Rgb) -> f32 {
    let (a, b) = (oklab(a), oklab(b));
    ((a.l - b.l).powi(2) + (a.a - b.a).powi(2) + (a.b - b.b).powi(2)).sqrt()
}

#[test]
fn one_event_stands_out_from_the_background() {
    for max in [1, 2, 5, 1000, 1_000_000] {
        let one = ColourScale::new(max).colour(1).unwrap();
        assert!(
            lightness(one) >= lightness(BG) + 0.25,
            "max {max}: one event's {one:?} is too close to the background"
        );
        // WCAG's minimum for graphics that must be seen.
        assert!(contrast(one, BG) >= 3.0, "max {max}: {}", contrast(one, BG));
    }
}

#[test]
fn the_colour_scale_brightens_with_counts_and_leaves_zero_empty() {
    let s = ColourScale::new(1000);
    assert_eq!(s.colour(0), None);
    let mut last = 0.0;
    for c in [1, 2, 5, 10, 50, 100, 500, 1000] {
        let l = lightness(s.colour(c).unwrap());
        assert!(l > last, "count {c}: lightness {l} <= {last}");
        last = l;
    }
    assert_eq!(s.colour(5000), s.colour(1000));
    assert!(ColourScale::new(1).colour(1).is_some());
}

/// The labels of a legend.
fn labels(legend: &HeatLegend) -> Vec<String> {
    match legend {
        HeatLegend::Empty => Vec::new(),
        HeatLegend::Steps(steps) => steps.iter().map(|(s, _)| s.clone()).collect(),
        HeatLegend::Gradient { ticks, .. } => ticks.iter().map(|(_, s)| s.clone()).collect(),
    }
}

#[test]
fn the_legend_suits_the_counts() {
    assert_eq!(ColourScale::new(0).legend(), HeatLegend::Empty);

    let one = ColourScale::new(1);
    assert_eq!(
        one.legend(),
        HeatLegend::Steps(vec![("1 event".into(), one.colour(1).unwrap())]),
        "one swatch, not a gradient from 1 to 1"
    );

    let two = ColourScale::new(2);
    let HeatLegend::Steps(steps) = two.legend() else {
        panic!("steps for two: {:?}", two.legend());
    };
    assert_eq!(labels(&two.legend()), ["1", "2"]);
    assert_eq!(steps[0].1, two.colour(1).unwrap());
    assert_eq!(steps[1].1, two.colour(2).unwrap());
    assert!(lightness(steps[1].1) > lightness(steps[0].1) + 0.1);

    let five = ColourScale::new(5);
    assert_eq!(labels(&five.legend()), ["1", "2", "3", "4", "5"]);
    let HeatLegend::Steps(steps) = five.legend() else {
        panic!("steps for five");
    };
    for pair in steps.windows(2) {
        assert!(distance(pair[0].1, pair[1].1) > 0.03, "{pair:?} look alike");
    }

    let many = ColourScale::new(1000);
    let HeatLegend::Gradient { stops, ticks } = many.legend() else {
        panic!("a gradient for 1000: {:?}", many.legend());
    };
    assert_eq!(labels(&many.legend()), ["1", "10", "100", "1000"]);
    for ((at, _), want) in ticks.iter().zip([0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0]) {
        assert!((at - want).abs() < 1e-9, "{ticks:?}");
    }
    assert_eq!(stops.first(), many.colour(1).as_ref());
    assert_eq!(stops.last(), many.colour(1000).as_ref());
}

#[test]
fn no_legend_repeats_a_label_or_crowds_its_end() {
    for max in 1..=3000 {
        let legend = ColourScale::new(max).legend();
        let l = labels(&legend);
        assert!(!l.is_empty(), "max {max}");
        assert!(l.windows(2).all(|w| w[0] != w[1]), "max {max}: {l:?}");
        assert_eq!(
            l.last().unwrap().trim_end_matches(" event"),
            max.to_string()
        );
        if let HeatLegend::Gradient { ticks, .. } = &legend {
            assert!(ticks.len() <= 5, "max {max}: {ticks:?}");
            assert!(
                ticks.windows(2).all(|w| w[1].0 - w[0].0 >= 0.15),
                "max {max}: {ticks:?}"
            );
        }
    }
}

/// A result broken down by `breakdowns`, one group per row of `groups`.
fn result(breakdowns: &[&str], groups: &[&[&str]]) -> QueryResult {
    QueryResult {
        totals: groups
            .iter()
            .map(|g| GroupRow {
                group: key(g),
                values: vec![Some(1.0)],
            })
            .collect(),
        // The series come in another order: styles must not follow it.
        series: groups
            .iter()
            .rev()
            .map(|g| GroupSeries {
                group: key(g),
                points: Vec::new(),
            })
            .collect(),
        start_time_ms: 0,
        end_time_ms: 60_000,
        granularity_ms: 60_000,
        breakdowns: breakdowns.iter().map(|b| (*b).to_owned()).collect(),
        calculations: Vec::new(),
        matched_events: 0,
        heatmaps: Vec::new(),
        groups_truncated: false,
    }
}

fn key(g: &[&str]) -> Vec<Option<Scalar>> {
    g.iter().map(|v| Some(Scalar::from(*v))).collect()
}

fn shade(name: &str) -> Rgb {
    BULB_SHADES.iter().find(|(n, _)| *n == name).unwrap().1
}

#[test]
fn broken_down_by_colour_each_group_takes_its_bulbs_colour_and_a_line_of_its_own() {
    let r = result(
        &["colour", "passed"],
        &[
            &["green", "true"],
            &["red", "true"],
            &["green", "false"],
            &["Blue", "true"],
            &["green", "(other)"],
        ],
    );
    let styles = GroupColours::of_result(&r);
    let style = |g: &[&str]| styles.style(&key(g));
    let solid = |c| GroupStyle {
        colour: c,
        dash: Dash::Solid,
    };
    assert_eq!(style(&["green", "true"]), solid(shade("green")));
    assert_eq!(
        style(&["green", "false"]),
        GroupStyle {
            colour: shade("green"),
            dash: Dash::Dashed,
        },
        "the same hue, another line"
    );
    assert_eq!(style(&["green", "(other)"]).dash, Dash::Dotted);
    assert_eq!(style(&["green", "(other)"]).colour, shade("green"));
    assert_eq!(style(&["red", "true"]), solid(shade("red")));
    assert_eq!(style(&["Blue", "true"]), solid(shade("blue")));

    // A fourth of one colour: solid again, darker, still the same hue.
    let r = result(
        &["colour", "attendee"],
        &[
            &["pink", "a"],
            &["pink", "b"],
            &["pink", "c"],
            &["pink", "d"],
        ],
    );
    let fourth = GroupColours::of_result(&r).style(&key(&["pink", "d"]));
    assert_eq!(fourth.dash, Dash::Solid);
    assert!(lightness(fourth.colour) < lightness(shade("pink")) - 0.05);
    let hue = |c| oklch(c).hue.into_positive_degrees();
    assert!((hue(fourth.colour) - hue(shade("pink"))).abs() < 6.0);
}

#[test]
fn lines_follow_the_values_not_the_counts() {
    // Failures counted first: a passing group is still solid, a failing one dashed,
    // in every colour, so the dash means "false" across the chart.
    let r = result(
        &["colour", "success"],
        &[
            &["green", "false"],
            &["red", "true"],
            &["green", "true"],
            &["red", "false"],
        ],
    );
    let styles = GroupColours::of_result(&r);
    for colour in ["green", "red"] {
        assert_eq!(
            styles.style(&key(&[colour, "true"])).dash,
            Dash::Solid,
            "{colour}"
        );
        assert_eq!(
            styles.style(&key(&[colour, "false"])).dash,
            Dash::Dashed,
            "{colour}"
        );
    }
}

#[test]
fn a_colour_with_one_group_is_solid_whatever_else_the_groups_hold() {
    // Grouped by the colour asked for, clamped and the colour shown: each colour has
    // one group, so each is solid, however many other values the answer holds.
    let r = result(
        &["colour", "clamped", "applied_colour"],
        &[
            &["purple", "false", "purple"],
            &["cyan", "true", "#e9e1ff"],
            &["yellow", "false", "yellow"],
            &["blue", "true", "#7100ff"],
            &["red", "false", "red"],
        ],
    );
    let styles = GroupColours::of_result(&r);
    for g in [
        ["purple", "false", "purple"],
        ["cyan", "true", "#e9e1ff"],
        ["red", "false", "red"],
    ] {
        assert_eq!(styles.style(&key(&g)).dash, Dash::Solid, "{g:?}");
        assert_eq!(styles.colour(&key(&g)), shade(g[0]), "{g:?}");
    }
}

#[test]
fn the_colour_column_need_not_come_first() {
    let r = result(
        &["passed", "applied_colour"],
        &[&["true", "cyan"], &["false", "cyan"]],
    );
    let styles = GroupColours::of_result(&r);
    assert_eq!(styles.colour(&key(&["true", "cyan"])), shade("cyan"));
    assert_eq!(styles.style(&key(&["false", "cyan"])).dash, Dash::Dashed);
    assert!(is_colour_column("colour") && is_colour_column("color"));
    assert!(is_colour_column("bulb.enqueue.colour") && is_colour_column("previous_colour"));
    assert!(!is_colour_column("discolour") && !is_colour_column("colour_count_x"));
}

#[test]
fn hex_colours_are_their_colour() {
    // A named colour's hex is that name's shade.
    assert_eq!(bulb_colour("#00ff00"), Some(shade("green")));
    assert_eq!(bulb_colour("#FF0000"), Some(shade("red")));
    assert_eq!(bulb_colour(" green "), Some(shade("green")));
    // Any other hex is itself, lightened to read on the dark background.
    let navy = bulb_colour("#1a2a6c").unwrap();
    assert!(lightness(navy) >= 0.7, "{navy:?}");
    let hue = |c| oklch(c).hue.into_positive_degrees();
    assert!(
        (hue(navy) - hue((0x1a, 0x2a, 0x6c))).abs() < 10.0,
        "{navy:?}"
    );
    let light = (0xa0, 0xf0, 0xc8);
    assert_eq!(bulb_colour("#a0f0c8"), Some(light), "light enough already");
    assert_eq!(bulb_colour("#12345"), None);
    assert_eq!(bulb_colour("teal"), None);

    // "#00ff00" and "green" are one colour told apart by their lines.
    let r = result(&["colour"], &[&["green"], &["#00ff00"], &["#ff8000"]]);
    let styles = GroupColours::of_result(&r);
    assert_eq!(styles.colour(&key(&["#00ff00"])), shade("green"));
    assert_eq!(styles.style(&key(&["#00ff00"])).dash, Dash::Dashed);
    assert_eq!(styles.colour(&key(&["#ff8000"])), shade("orange"));
}

#[test]
fn without_a_colour_breakdown_groups_keep_clear_of_bulb_colours() {
    // Values that name colours do not make a colour breakdown.
    let names: Vec<String> = (0..9).map(|i| format!("route {i}")).collect();
    let mut groups: Vec<Vec<&str>> = names.iter().map(|n| vec![n.as_str()]).collect();
    groups.push(vec!["green"]);
    let rows: Vec<&[&str]> = groups.iter().map(Vec::as_slice).collect();
    let r = result(&["route"], &rows);
    let styles = GroupColours::of_result(&r);
    for (i, g) in rows.iter().enumerate() {
        let s = styles.style(&key(g));
        assert_eq!(s.colour, PALETTE[i % PALETTE.len()], "{g:?}");
        let dash = [Dash::Solid, Dash::Dashed][i / PALETTE.len()];
        assert_eq!(s.dash, dash, "after the palette, the same tones dashed");
    }
    assert_ne!(styles.colour(&key(&["green"])), shade("green"));

    for (i, &c) in PALETTE.iter().enumerate() {
        assert!(oklch(c).chroma < 0.06, "{c:?} is too colourful");
        assert!(
            lightness(c) > 0.5 && contrast(c, BG) >= 3.0,
            "{c:?} is too dark"
        );
        for (name, s) in BULB_SHADES {
            assert!(distance(c, s) >= 0.09, "{c:?} is near {name}");
        }
        for &other in &PALETTE[i + 1..] {
            assert!(distance(c, other) >= 0.07, "{c:?} and {other:?} look alike");
        }
    }
}
