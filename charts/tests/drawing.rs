//! Drawing to SVG: what must be there, and the plotting area inside the canvas.

use bulbwatch_api::MarkerKind;
use bulbwatch_charts::bars::{Bar, BarsChart};
use bulbwatch_charts::draw::heatmap::MIN_CELL_CSS;
use bulbwatch_charts::draw::{draw_bars, draw_heatmap, draw_series};
use bulbwatch_charts::group_colours::Dash;
use bulbwatch_charts::heatmap::HeatmapChart;
use bulbwatch_charts::series::{Line, MarkerLine, SeriesChart};
use bulbwatch_charts::theme::Theme;

mod common;
use common::{font_sizes, inside, rect, texts, to_svg};

const SIZE: (u32, u32) = (800, 300);

fn series() -> SeriesChart {
    let base = 1_767_225_600_000;
    SeriesChart {
        start_ms: base,
        end_ms: base + 600_000,
        y_label: "P95(duration_ms)".into(),
        lines: vec![
            Line {
                label: "green".into(),
                colour: (61, 220, 132),
                dash: Dash::Solid,
                points: (0..10)
                    .map(|i| (base + i * 60_000, i as f64 * 10.0))
                    .collect(),
            },
            Line {
                label: "red".into(),
                colour: (255, 107, 129),
                dash: Dash::Solid,
                points: (0..10).map(|i| (base + i * 60_000, 50.0)).collect(),
            },
        ],
        markers: vec![MarkerLine {
            at_ms: base + 300_000,
            kind: MarkerKind::QueueDelay,
            text: "queue delay set to 1500 ms".into(),
        }],
    }
}

#[test]
fn a_series_chart_has_its_lines_axes_and_markers() {
    let chart = series();
    let (svg, rect) = to_svg(SIZE, |b| draw_series(b, &chart, None, &Theme::default()));
    inside(&rect, SIZE);
    let t = texts(&svg);
    assert!(
        t.contains(&"P95(duration_ms)".to_owned()),
        "the y label: {t:?}"
    );
    assert!(
        t.contains(&"queue delay set to 1500 ms".to_owned()),
        "the marker's text"
    );
    let clock = |s: &String| s.len() == 5 && s.as_bytes()[2] == b':';
    assert!(
        t.iter().filter(|s| clock(s)).count() >= 4,
        "time labels: {t:?}"
    );
    assert!(t.contains(&"80".to_owned()), "value labels: {t:?}");
    // One path per line, in the line's colour.
    assert_eq!(svg.matches("stroke=\"#3DDC84\"").count(), 1, "{svg}");
    assert_eq!(svg.matches("stroke=\"#FF6B81\"").count(), 1);
}

#[test]
fn a_marker_label_with_no_room_is_shortened_not_cut() {
    // A chart as narrow as the play page's pass rate, the marker in the middle: the
    // label fits neither side whole.
    let size = (340, 120);
    let chart = series();
    let (svg, _) = to_svg(size, |b| draw_series(b, &chart, None, &Theme::default()));
    let t = texts(&svg);
    let label = t
        .iter()
        .find(|s| s.starts_with("queue delay"))
        .unwrap_or_else(|| panic!("the marker's label: {t:?}"));
    assert!(label.ends_with('…'), "{label}");
    assert!(label.chars().count() < "queue delay set to 1500 ms".len());
}

#[test]
fn hover_adds_a_crosshair_and_dots() {
    let chart = series();
    let rect = rect(72.0, 32.0, 772.0, 268.0);
    let hover = chart.hover(&rect, 400.0).unwrap();
    let (plain, _) = to_svg(SIZE, |b| draw_series(b, &chart, None, &Theme::default()));
    let (hovered, drawn) = to_svg(SIZE, |b| {
        draw_series(b, &chart, Some(&hover), &Theme::default())
    });
    assert_eq!(drawn, rect, "the layout the hover was computed on");
    assert_eq!(
        hovered.matches("<circle").count(),
        plain.matches("<circle").count() + 2
    );
}

#[test]
fn sizes_follow_the_ratio() {
    let chart = series();
    let (one, r1) = to_svg(SIZE, |b| {
        draw_series(b, &chart, None, &Theme { ratio: 1.0 })
    });
    let (two, r2) = to_svg((1600, 600), |b| {
        draw_series(b, &chart, None, &Theme { ratio: 2.0 })
    });
    assert_eq!(r2.left, r1.left * 2.0);
    let (f1, f2) = (font_sizes(&one), font_sizes(&two));
    assert_eq!(f1.len(), f2.len());
    assert!(
        f1.iter().zip(&f2).all(|(a, b)| (b / a - 2.0).abs() < 1e-9),
        "fonts scale"
    );
}

#[test]
fn a_heatmap_draws_a_cell_per_non_empty_count_and_the_selection() {
    // Counts 1..=5 up each column (distinct colours), some cells empty.
    let mut chart = HeatmapChart::from_events(&[(0, 0.0), (1, 10.0)], 0, 60_000, 6_000, 10);
    chart.columns = (0..10)
        .map(|i| {
            (0..10)
                .map(|j| {
                    if (i + j) % 3 == 0 {
                        0
                    } else {
                        (j % 5 + 1) as u32
                    }
                })
                .collect()
        })
        .collect();
    chart.max_count = 5;
    let cells = chart.columns.iter().flatten().filter(|c| **c > 0).count();
    let (svg, rect) = to_svg(SIZE, |b| draw_heatmap(b, &chart, None, &Theme::default()));
    inside(&rect, SIZE);
    let filled = |s: &str| s.matches("<rect").count();
    // The background plus one rectangle per non-empty cell.
    assert_eq!(filled(&svg), 1 + cells);

    let sel = chart
        .selection(
            &rect,
            (rect.left + 5.0, rect.top + 5.0),
            (rect.left + 200.0, rect.top + 100.0),
        )
        .unwrap();
    let (with, _) = to_svg(SIZE, |b| {
        draw_heatmap(b, &chart, Some(&sel), &Theme::default())
    });
    assert_eq!(
        filled(&with),
        1 + cells + 2,
        "the selection's fill and outline"
    );
}

#[test]
fn a_heatmap_draws_no_more_than_its_cells_of_the_smallest_size() {
    // 20,000 time buckets on 800 px: one column of rectangles per 3 px at most, and
    // equal colours stacked in a column are one rectangle.
    let events: Vec<(i64, f64)> = (0..20_000).map(|i| (i * 1000, 1.0)).collect();
    let chart = HeatmapChart::from_events(&events, 0, 20_000_000, 1000, 10);
    assert_eq!(chart.columns.len(), 20_000);
    let (svg, rect) = to_svg(SIZE, |b| draw_heatmap(b, &chart, None, &Theme::default()));
    let widths = rect_widths(&svg);
    let columns = rect.width() / MIN_CELL_CSS;
    assert!(
        widths.len() as f64 <= columns + 1.0,
        "{} rectangles",
        widths.len()
    );
    assert!(
        widths.len() as f64 >= columns - 2.0,
        "every column drawn: {}",
        widths.len()
    );
    assert!(
        widths.iter().all(|&w| w >= MIN_CELL_CSS),
        "no cell thinner than {MIN_CELL_CSS} px: {widths:?}"
    );
}

#[test]
fn one_event_in_a_thin_bucket_still_gets_a_visible_cell() {
    // 1000 buckets on 800 px, one event: its cell is as wide as the smallest cell.
    let chart = HeatmapChart::from_events(&[(500_500, 4.0)], 0, 1_000_000, 1000, 10);
    for ratio in [1.0, 2.0] {
        let theme = Theme { ratio };
        let size = ((800.0 * ratio) as u32, (300.0 * ratio) as u32);
        let (svg, _) = to_svg(size, |b| draw_heatmap(b, &chart, None, &theme));
        let widths = rect_widths(&svg);
        assert_eq!(widths.len(), 1, "the one cell: {widths:?}");
        assert!(widths[0] >= MIN_CELL_CSS * ratio, "{widths:?} at {ratio}");
    }
}

/// The widths of an SVG's rectangles, the background's left out.
fn rect_widths(svg: &str) -> Vec<f64> {
    svg.split("<rect")
        .skip(2)
        .filter_map(|r| {
            let w = &r[r.find("width=\"")? + 7..];
            w[..w.find('"')?].parse().ok()
        })
        .collect()
}

#[test]
fn a_log_heatmap_labels_round_values() {
    let events: Vec<(i64, f64)> = (0..200)
        .map(|i| (i, 2.0 + f64::from(i as i32) * 10.0))
        .collect();
    let mut chart = HeatmapChart::from_events(&events, 0, 200, 20, 40);
    chart.column = "duration_ms".into();
    assert!(chart.is_log());
    let (svg, _) = to_svg(SIZE, |b| draw_heatmap(b, &chart, None, &Theme::default()));
    let t = texts(&svg);
    for s in ["duration_ms", "10", "100", "1000"] {
        assert!(t.contains(&s.to_owned()), "{s} missing: {t:?}");
    }
}

#[test]
fn bars_have_labels_and_values() {
    let chart = BarsChart {
        value_label: "COUNT".into(),
        bars: vec![
            Bar {
                label: "green".into(),
                value: 412.0,
                colour: (61, 220, 132),
                dash: Dash::Solid,
            },
            Bar {
                label: "(none)".into(),
                value: 17.0,
                colour: (255, 138, 92),
                dash: Dash::Solid,
            },
        ],
    };
    let (svg, rect) = to_svg(SIZE, |b| draw_bars(b, &chart, &Theme::default()));
    inside(&rect, SIZE);
    let t = texts(&svg);
    for s in ["COUNT", "green", "(none)", "412", "17"] {
        assert!(t.contains(&s.to_owned()), "{s} missing: {t:?}");
    }
    assert!(svg.contains("fill=\"#3DDC84\""));
}
