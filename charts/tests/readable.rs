//! Charts that read from the back of the room: text at least the body's size, axes that
//! still fit on a laptop (1280 × 800, charts 600–800 px wide) and a projector (1920 ×
//! 1080), marker labels above the data, groups of one colour told apart by their lines.

use bulbwatch_api::{MarkerKind, Verdict};
use bulbwatch_charts::bars::{Bar, BarsChart};
use bulbwatch_charts::compare::{AttributeBars, ValueBars};
use bulbwatch_charts::draw::{
    draw_bars, draw_compare, draw_heatmap, draw_run_durations, draw_series,
};
use bulbwatch_charts::group_colours::Dash;
use bulbwatch_charts::heatmap::HeatmapChart;
use bulbwatch_charts::run_durations::DurationBar;
use bulbwatch_charts::series::{Line, MarkerLine, SeriesChart};
use bulbwatch_charts::theme::{BODY_TEXT_CSS, CHAR_EM, Theme};

mod common;
use common::{PlacedText, placed_texts, to_svg};

const BASE: i64 = 1_767_225_600_000;

fn line(label: &str, colour: (u8, u8, u8), dash: Dash, scale: f64) -> Line {
    Line {
        label: label.into(),
        colour,
        dash,
        points: (0..15)
            .map(|i| (BASE + i * 60_000, scale * (1.0 + (i % 4) as f64)))
            .collect(),
    }
}

fn marker(at_ms: i64, kind: MarkerKind, text: &str) -> MarkerLine {
    MarkerLine {
        at_ms: BASE + at_ms,
        kind,
        text: text.into(),
    }
}

/// Fifteen minutes of a value up to ~12k, eight points switched at once at 5 min and
/// a queue-delay change at 10 min.
fn series() -> SeriesChart {
    let mut markers: Vec<MarkerLine> = (0..8)
        .map(|i| {
            marker(
                300_000 + i * 200,
                MarkerKind::InstrumentationPoint,
                &format!("instrumentation point p{i} switched on (Ada)"),
            )
        })
        .collect();
    markers.push(marker(
        600_000,
        MarkerKind::QueueDelay,
        "queue delay set to 0 ms",
    ));
    SeriesChart {
        start_ms: BASE,
        end_ms: BASE + 900_000,
        y_label: "P95(duration_ms)".into(),
        lines: vec![line("green", (0x4a, 0xde, 0x6e), Dash::Solid, 3000.0)],
        markers,
    }
}

fn at_least_body(texts: &[PlacedText], ratio: f64, what: &str) {
    assert!(!texts.is_empty(), "{what} has text");
    for t in texts {
        assert!(
            t.size >= BODY_TEXT_CSS * ratio - 1e-6,
            "{what}: {:?} is {} px, under the body's {BODY_TEXT_CSS}",
            t.text,
            t.size / ratio
        );
    }
}

#[test]
fn the_body_size_is_the_pages() {
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../style/main.css"))
        .expect("style/main.css");
    let html = &css[css.find("html {").expect("an html rule")..];
    let rule = &html[..html.find('}').unwrap()];
    assert!(
        rule.contains(&format!("font-size: {BODY_TEXT_CSS}px")),
        "the page's body text is no longer {BODY_TEXT_CSS} px: {rule}"
    );
}

#[test]
fn every_chart_text_is_at_least_the_body_size() {
    for ratio in [1.0, 2.0] {
        let theme = Theme { ratio };
        let size = |w: f64, h: f64| ((w * ratio) as u32, (h * ratio) as u32);
        let (svg, _) = to_svg(size(800.0, 280.0), |b| {
            draw_series(b, &series(), None, &theme)
        });
        at_least_body(&placed_texts(&svg), ratio, "the series chart");

        let events: Vec<(i64, f64)> = (0..500).map(|i| (i * 1000, (i % 50) as f64)).collect();
        let mut heat = HeatmapChart::from_events(&events, 0, 500_000, 10_000, 20);
        heat.column = "duration_ms".into();
        let (svg, _) = to_svg(size(800.0, 320.0), |b| draw_heatmap(b, &heat, None, &theme));
        at_least_body(&placed_texts(&svg), ratio, "the heatmap");

        let bars = BarsChart {
            value_label: "COUNT".into(),
            bars: vec![Bar {
                label: "green".into(),
                value: 12.0,
                colour: (0x4a, 0xde, 0x6e),
                dash: Dash::Solid,
            }],
        };
        let (svg, _) = to_svg(size(800.0, 90.0), |b| draw_bars(b, &bars, &theme));
        at_least_body(&placed_texts(&svg), ratio, "the bars");

        let attribute = AttributeBars {
            column: "colour".into(),
            score: 0.5,
            values: vec![ValueBars {
                label: "green".into(),
                bucket: bulbwatch_api::CompareBucket::Missing,
                top_range: false,
                selection_share: 0.4,
                baseline_share: 0.0025,
                selection_count: 4,
                baseline_count: 1,
            }],
        };
        let (svg, _) = to_svg(size(600.0, 30.0), |b| {
            draw_compare(b, &attribute, None, &theme)
        });
        at_least_body(&placed_texts(&svg), ratio, "the comparison");

        let runs = [DurationBar {
            duration_ms: 1500.0,
            verdict: Verdict::Pass,
        }];
        let (svg, _) = to_svg(size(340.0, 74.0), |b| draw_run_durations(b, &runs, &theme));
        at_least_body(&placed_texts(&svg), ratio, "the durations");
    }
}

/// About how wide a drawn text is.
fn width(t: &PlacedText) -> f64 {
    t.text.chars().count() as f64 * t.size * CHAR_EM
}

#[test]
fn axes_fit_at_laptop_and_projector_widths() {
    // Explore's chart on a 1280 px laptop (600–800 px), and on a 1920 px projector.
    for css_width in [600.0, 800.0, 1100.0] {
        for ratio in [1.0, 2.0] {
            let theme = Theme { ratio };
            let size = ((css_width * ratio) as u32, (280.0 * ratio) as u32);
            let (svg, rect) = to_svg(size, |b| draw_series(b, &series(), None, &theme));
            let texts = placed_texts(&svg);
            let at = format!("{css_width} px at {ratio}×");
            assert!(
                rect.height() >= 180.0 * ratio,
                "{at}: room for data {rect:?}"
            );

            let clock = |t: &&PlacedText| t.text.len() == 5 && t.text.as_bytes()[2] == b':';
            let times: Vec<&PlacedText> = texts.iter().filter(clock).collect();
            assert!(times.len() >= 4, "{at}: {} time labels", times.len());
            for pair in times.windows(2) {
                let room = pair[1].x - pair[0].x;
                let need = (width(pair[0]) + width(pair[1])) / 2.0 + 8.0 * ratio;
                assert!(room >= need, "{at}: {:?} and {:?} touch", pair[0], pair[1]);
            }
            for t in &times {
                assert!(
                    t.x + width(t) / 2.0 <= f64::from(size.0),
                    "{at}: {t:?} is cut"
                );
            }

            let values: Vec<&PlacedText> = texts
                .iter()
                .filter(|t| t.anchor == "end" && t.x < rect.left)
                .collect();
            assert!(values.len() >= 4, "{at}: value labels {values:?}");
            for v in &values {
                assert!(v.x - width(v) >= 0.0, "{at}: {v:?} runs off the left");
            }
            for pair in values.windows(2) {
                assert!(
                    (pair[0].y - pair[1].y).abs() >= v_gap(ratio),
                    "{at}: {pair:?}"
                );
            }
        }
    }
}

/// The least distance between value labels: the text's height and a little.
fn v_gap(ratio: f64) -> f64 {
    (BODY_TEXT_CSS + 6.0) * ratio
}

#[test]
fn marker_labels_sit_above_the_data_one_per_group() {
    let theme = Theme::default();
    let (svg, rect) = to_svg((800, 280), |b| draw_series(b, &series(), None, &theme));
    let texts = placed_texts(&svg);
    let labels: Vec<&PlacedText> = texts
        .iter()
        .filter(|t| t.text == "8 points switched" || t.text == "queue delay set to 0 ms")
        .collect();
    assert_eq!(labels.len(), 2, "one label per group: {texts:?}");
    for l in &labels {
        assert!(
            l.y + l.size / 2.0 <= rect.top,
            "{l:?} reaches into the plot"
        );
    }
    assert!(
        !texts
            .iter()
            .any(|t| t.text.starts_with("instrumentation point")),
        "no label per switched point"
    );
    // One dashed line per group, not per marker: the lines' dashes come in two columns.
    let accent = svg
        .split("<polyline")
        .filter(|p| p.contains("stroke=\"#F5C542\""))
        .filter_map(|p| {
            let points = &p[p.find("points=\"")? + 8..];
            let first = points.split([',', ' ']).next()?;
            first.parse::<f64>().ok().map(|x| x.round() as i64)
        })
        .collect::<std::collections::BTreeSet<_>>();
    assert_eq!(accent.len(), 2, "marker lines at {accent:?}");
}

#[test]
fn groups_of_one_colour_are_drawn_solid_dashed_and_dotted() {
    let green = (0x4a, 0xde, 0x6e);
    let mut chart = series();
    chart.markers.clear();
    chart.lines = vec![
        line("green, true", green, Dash::Solid, 10.0),
        line("green, false", (0x4a, 0xde, 0x6f), Dash::Dashed, 20.0),
        line("green, other", (0x4a, 0xde, 0x70), Dash::Dotted, 30.0),
    ];
    let (svg, _) = to_svg((800, 280), |b| {
        draw_series(b, &chart, None, &Theme::default())
    });
    let paths = |hex: &str| svg.matches(&format!("stroke=\"#{hex}\"")).count();
    assert_eq!(paths("4ADE6E"), 1, "solid: one path");
    let (dashed, dotted) = (paths("4ADE6F"), paths("4ADE70"));
    assert!(dashed > 10, "dashes: {dashed}");
    assert!(
        dotted > dashed,
        "dots are shorter than dashes: {dotted} vs {dashed}"
    );
}

#[test]
fn time_labels_by_the_edges_are_read_whole() {
    // Seconds apart (labels such as 15:04:50), in a narrow chart such as the console's
    // pass rate: the last label would run past the canvas's right edge.
    for ratio in [1.0, 2.0] {
        let theme = Theme { ratio };
        let mut chart = series();
        chart.end_ms = BASE + 20_000;
        chart.markers.clear();
        let size = ((500.0 * ratio) as u32, (200.0 * ratio) as u32);
        let (svg, _) = to_svg(size, |b| draw_series(b, &chart, None, &theme));
        let times: Vec<PlacedText> = placed_texts(&svg)
            .into_iter()
            .filter(|t| t.text.len() == 8 && t.text.as_bytes()[2] == b':')
            .collect();
        assert!(times.len() >= 2, "{} time labels", times.len());
        for t in &times {
            assert!(
                t.x + width(t) / 2.0 <= f64::from(size.0) && t.x - width(t) / 2.0 >= 0.0,
                "at {ratio}×: {t:?} is cut"
            );
        }
    }
}
