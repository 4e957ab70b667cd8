//! Markers that do not hide data: close ones grouped under one summed-up label, labels
//! in a band above the plot, side by side, never on each other.

use bulbwatch_api::MarkerKind;
use bulbwatch_charts::markers::{
    LEADER_CSS, MIN_LABEL_CHARS, MarkerGroup, group_markers, label_band, marker_layout,
    place_labels, summary,
};
use bulbwatch_charts::plot_rect::PlotRect;
use bulbwatch_charts::series::MarkerLine;
use bulbwatch_charts::theme::Theme;
use proptest::prelude::*;

/// A 700 px wide plot under a 32 px band, on an 800 px canvas.
const RECT: PlotRect = PlotRect {
    left: 72.0,
    top: 32.0,
    right: 772.0,
    bottom: 268.0,
};
/// Fifteen minutes.
const RANGE: (i64, i64) = (0, 900_000);

fn marker(at_ms: i64, kind: MarkerKind, text: &str) -> MarkerLine {
    MarkerLine {
        at_ms,
        kind,
        text: text.into(),
    }
}

fn point(at_ms: i64, key: &str) -> MarkerLine {
    marker(
        at_ms,
        MarkerKind::InstrumentationPoint,
        &format!("instrumentation point {key} switched on (Ada)"),
    )
}

#[test]
fn close_markers_are_one_group_and_distant_ones_are_not() {
    // Eight points switched within two seconds, a queue-delay change five minutes on,
    // and three kinds of change close together near the end.
    let mut markers: Vec<MarkerLine> = (0..8).map(|i| point(120_000 + i * 250, "p")).collect();
    markers.push(marker(
        420_000,
        MarkerKind::QueueDelay,
        "queue delay set to 0 ms",
    ));
    markers.push(marker(800_000, MarkerKind::Phase, "phase: investigate"));
    markers.push(marker(
        801_000,
        MarkerKind::QueueDelay,
        "queue delay set to 1500 ms",
    ));
    markers.push(marker(
        802_000,
        MarkerKind::Scenario,
        "a scenario switched on",
    ));
    markers.push(marker(950_000, MarkerKind::Reveal, "after the range"));
    let groups = group_markers(&markers, &RECT, RANGE, 14.0);
    let counts: Vec<usize> = groups.iter().map(|g| g.markers.len()).collect();
    assert_eq!(counts, [8, 1, 3], "the one after the range is left out");
    assert_eq!(groups[0].summary(), "8 points switched");
    assert_eq!(groups[1].summary(), "queue delay set to 0 ms");
    assert_eq!(groups[2].summary(), "3 changes");
    // The line stands at the first marker; the group spans to the last.
    let x_of = |ms: i64| RECT.left + ms as f64 / 900_000.0 * RECT.width();
    assert!((groups[0].x - x_of(120_000)).abs() < 1e-9);
    assert!((groups[0].x_last - x_of(121_750)).abs() < 1e-9);
    assert_eq!(groups[1].x, groups[1].x_last);
    // Every marker stays in the details, in time order.
    let details = groups[0].details();
    assert_eq!(details.len(), 8);
    assert_eq!(
        details[0],
        "00:02:00 instrumentation point p switched on (Ada)"
    );
    assert_eq!(
        details[7],
        "00:02:01 instrumentation point p switched on (Ada)"
    );
}

#[test]
fn a_group_is_never_wider_than_the_gap() {
    // A marker every 10 s (about 8 px): a stream, not one endless group.
    let markers: Vec<MarkerLine> = (0..30).map(|i| point(i * 10_000, "p")).collect();
    let groups = group_markers(&markers, &RECT, RANGE, 14.0);
    assert!(groups.len() >= 15, "{} groups", groups.len());
    assert!(groups.iter().all(|g| g.x_last - g.x < 14.0));
    assert_eq!(groups.iter().map(|g| g.markers.len()).sum::<usize>(), 30);
}

#[test]
fn summaries_name_what_happened() {
    let delays = [
        marker(0, MarkerKind::QueueDelay, "queue delay set to 0 ms"),
        marker(1, MarkerKind::QueueDelay, "queue delay set to 50 ms"),
    ];
    assert_eq!(summary(&delays), "2 queue-delay changes");
    let one = [marker(
        0,
        MarkerKind::Shards,
        "the bulb service has 4 shards",
    )];
    assert_eq!(summary(&one), "the bulb service has 4 shards");
    assert_eq!(summary(&[]), "");
}

fn group(x: f64, text: &str) -> MarkerGroup {
    MarkerGroup {
        x,
        x_last: x,
        markers: vec![marker(0, MarkerKind::Phase, text)],
    }
}

const BAND: PlotRect = PlotRect {
    left: 100.0,
    top: 0.0,
    right: 794.0,
    bottom: 30.0,
};

#[test]
fn a_lone_label_is_centred_over_its_line() {
    let labels = place_labels(
        &[group(400.0, "phase: investigate")],
        &BAND,
        10.0,
        6.0,
        90.0,
    );
    let l = labels[0].as_ref().unwrap();
    assert_eq!(l.text, "phase: investigate");
    assert_eq!((l.left, l.width), (310.0, 180.0));
    // Near the right edge: moved left, still over its line, inside the band.
    let labels = place_labels(
        &[group(780.0, "phase: investigate")],
        &BAND,
        10.0,
        6.0,
        90.0,
    );
    let l = labels[0].as_ref().unwrap();
    assert_eq!(l.left + l.width, BAND.right);
    assert!(l.covers(780.0));
}

#[test]
fn crowded_labels_are_shortened_side_by_side_and_left_out_when_there_is_no_room() {
    let groups = [
        group(400.0, "queue delay set to 1500 ms"),
        group(460.0, "instrumentation point bulb.apply.shown switched on"),
        group(472.0, "phase: reveal"),
    ];
    let labels = place_labels(&groups, &BAND, 10.0, 6.0, 90.0);
    let first = labels[0].as_ref().unwrap();
    // Stops short of the next group's line, reaching left over its own.
    assert!(first.covers(400.0));
    assert_eq!(first.left + first.width, 454.0);
    assert_eq!(first.text, "queue delay set to 1500 ms");
    // The second has 6 px before the third's line: no room, left out.
    assert_eq!(labels[1], None);
    let third = labels[2].as_ref().unwrap();
    assert!(third.left >= first.left + first.width + 6.0);
    assert!(third.covers(472.0));
    // With less room before the next line, the first is shortened.
    let mut closer = groups.clone();
    for (g, x) in closer.iter_mut().zip([300.0, 360.0, 372.0]) {
        g.x = x;
    }
    let first = place_labels(&closer, &BAND, 10.0, 6.0, 90.0)[0]
        .clone()
        .unwrap();
    assert_eq!(first.text, "queue delay set to 1500 …");
    assert_eq!((first.left, first.left + first.width), (104.0, 354.0));

    // Under the title (left of the band): led to from the band's start.
    let labels = place_labels(&[group(60.0, "phase: investigate")], &BAND, 10.0, 6.0, 90.0);
    let l = labels[0].as_ref().unwrap();
    assert_eq!(l.left, BAND.left);
    assert!(!l.covers(60.0), "a leader joins it to its line");
    // Too far under the title for a leader: left out.
    let labels = place_labels(&[group(5.0, "phase: investigate")], &BAND, 10.0, 6.0, 90.0);
    assert_eq!(labels[0], None);

    // A narrow band: shortened with an ellipsis, never under the fewest characters.
    let narrow = PlotRect {
        right: 220.0,
        ..BAND
    };
    let labels = place_labels(
        &[group(150.0, "queue delay set to 1500 ms")],
        &narrow,
        10.0,
        6.0,
        90.0,
    );
    let l = labels[0].as_ref().unwrap();
    assert!(l.text.ends_with('…') && l.text.chars().count() >= MIN_LABEL_CHARS);
    assert!(l.left >= narrow.left && l.left + l.width <= narrow.right);
}

#[test]
fn the_band_lies_above_the_plot_and_right_of_the_title() {
    let theme = Theme { ratio: 2.0 };
    let rect = PlotRect {
        left: 144.0,
        top: 64.0,
        right: 1544.0,
        bottom: 536.0,
    };
    let band = label_band(&rect, 1600.0, "COUNT", &theme);
    assert!(band.bottom <= rect.top && band.top >= 0.0);
    assert!(
        band.left > 16.0 + 5.0 * 18.0 * 2.0 * 0.5,
        "clear of the title: {band:?}"
    );
    assert!(band.right <= 1600.0);
    assert!(label_band(&rect, 1600.0, "", &theme).left < band.left);
    // Capitals are wider: "COUNT" (about 0.75 em each) pushes the band further right
    // than "count" would.
    assert!(label_band(&rect, 1600.0, "count", &theme).left < band.left);
    assert!(
        band.left >= 16.0 + 5.0 * 18.0 * 2.0 * 0.75,
        "clear of capitals: {band:?}"
    );

    // Grouping follows the ratio: the same markers group the same way at 1× and 2×.
    let markers: Vec<MarkerLine> = (0..8).map(|i| point(120_000 + i * 250, "p")).collect();
    let at = |ratio: f64| {
        let theme = Theme { ratio };
        let rect = PlotRect {
            left: 72.0 * ratio,
            top: 32.0 * ratio,
            right: 772.0 * ratio,
            bottom: 268.0 * ratio,
        };
        let layout = marker_layout(&markers, &rect, RANGE, "COUNT", 800.0 * ratio, &theme);
        let texts: Vec<Option<String>> = layout
            .labels
            .iter()
            .map(|l| l.as_ref().map(|l| l.text.clone()))
            .collect();
        (layout.groups.len(), texts)
    };
    assert_eq!(at(1.0), (1, vec![Some("8 points switched".to_owned())]));
    assert_eq!(at(1.0), at(2.0));
}

proptest! {
    #[test]
    fn labels_stay_in_the_band_apart_and_by_their_lines(
        // Lines lie inside the plot, which ends left of the band's end.
        xs in prop::collection::vec(0.0f64..BAND.right, 0..40),
        lengths in prop::collection::vec(1usize..60, 40),
    ) {
        let mut xs = xs;
        xs.sort_by(f64::total_cmp);
        // Groups at least 14 px apart, as grouping leaves them.
        let mut groups: Vec<MarkerGroup> = Vec::new();
        for x in xs {
            if groups.last().is_none_or(|g| x - g.x >= 14.0) {
                let text = "x".repeat(lengths[groups.len()]);
                groups.push(group(x, &text));
            }
        }
        let labels = place_labels(&groups, &BAND, 10.0, 6.0, LEADER_CSS);
        prop_assert_eq!(labels.len(), groups.len());
        let mut end = f64::NEG_INFINITY;
        for (g, l) in groups.iter().zip(&labels) {
            let Some(l) = l else { continue };
            prop_assert!(l.left >= BAND.left && l.left + l.width <= BAND.right + 1e-9, "{:?}", l);
            prop_assert!(l.left >= end + 6.0 - 1e-9, "overlaps the one before: {:?}", l);
            prop_assert!(
                l.covers(g.x) || (l.left > g.x && l.left - g.x <= LEADER_CSS),
                "{:?} is not by its line at {}", l, g.x
            );
            let full = g.summary().chars().count();
            prop_assert!(l.text.chars().count() >= MIN_LABEL_CHARS.min(full));
            end = l.left + l.width;
        }
    }
}
