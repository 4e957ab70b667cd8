//! A check's history as charts: the pass rate over time (with markers), and the
//! duration per run — bars oldest first, coloured by verdict, drawn to SVG.

use bulbwatch_api::{Attendee, Marker, MarkerKind, RunSummary, Verdict};
use bulbwatch_charts::draw::draw_run_durations;
use bulbwatch_charts::pass_rate::{SAMPLES, pass_rate_chart, time_window};
use bulbwatch_charts::run_durations::{
    DurationBar, ERROR_COLOUR, FAIL_COLOUR, PASS_COLOUR, duration_bars,
};
use bulbwatch_charts::theme::Theme;

mod common;
use common::{inside, texts, to_svg};

/// The play page's look-back: the latest 10 runs.
const WINDOW: usize = 10;

fn run(at: i64, verdict: Verdict, duration_ms: f64) -> RunSummary {
    RunSummary {
        run_id: format!("r{at}"),
        check_id: Some("c1".into()),
        check_name: "classic".into(),
        verdict,
        duration_ms,
        started_at_ms: at,
        message: None,
    }
}

#[test]
fn duration_bars_run_oldest_first_coloured_by_verdict() {
    let runs = [
        run(2_000, Verdict::Fail, 3_100.0),
        run(1_000, Verdict::Pass, 250.0),
    ];
    let bars = duration_bars(&runs);
    assert_eq!(bars.len(), 2);
    assert_eq!(bars[0].duration_ms, 250.0);
    assert_eq!(bars[0].colour(), PASS_COLOUR);
    assert_eq!(bars[1].colour(), FAIL_COLOUR);
    let error = DurationBar {
        duration_ms: 1.0,
        verdict: Verdict::Error,
    };
    assert_eq!(error.colour(), ERROR_COLOUR);
    assert_ne!(error.colour(), FAIL_COLOUR);
}

#[test]
fn the_drawing_has_a_bar_per_run_in_its_colour_and_seconds() {
    // Newest first, as the server lists them.
    let runs = [
        run(3_000, Verdict::Error, 900.0),
        run(2_000, Verdict::Fail, 3_100.0),
        run(1_000, Verdict::Pass, 250.0),
    ];
    let size = (600, 148);
    let bars = duration_bars(&runs);
    let (svg, rect) = to_svg(size, |b| {
        draw_run_durations(b, &bars, &Theme { ratio: 2.0 })
    });
    inside(&rect, size);
    for colour in ["#3DDC84", "#FF6B81", "#F0A640"] {
        assert_eq!(
            svg.matches(&format!("fill=\"{colour}\"")).count(),
            1,
            "one bar in {colour}: {svg}"
        );
    }
    let t = texts(&svg);
    assert!(t.iter().any(|s| s.ends_with(" s")), "seconds: {t:?}");
    assert!(t.contains(&"oldest → newest".to_owned()), "{t:?}");
}

#[test]
fn the_pass_rate_rolls_over_the_latest_runs_evenly_sampled() {
    // Newest first, as the server lists them; bursty: three runs, then a pause.
    let runs = [
        run(60_000, Verdict::Pass, 300.0),
        run(2_000, Verdict::Error, 5.0),
        run(1_000, Verdict::Fail, 3_100.0),
        run(0, Verdict::Pass, 250.0),
    ];
    let chart = pass_rate_chart(&runs, 2, &[]).unwrap();
    assert_eq!((chart.start_ms, chart.end_ms), (0, 60_000));
    assert_eq!(chart.lines.len(), 2);
    assert_eq!(chart.lines[0].points, vec![(0, 100.0), (60_000, 100.0)]);
    let line = &chart.lines[1].points;
    assert_eq!(line.len(), SAMPLES);
    // Evenly spaced from the first run to the last.
    let step = line[1].0 - line[0].0;
    assert!(line.windows(2).all(|w| (w[1].0 - w[0].0 - step).abs() <= 1));
    assert_eq!(line[0], (0, 100.0));
    // From 2 s the two latest were a fail and an error; at the end a pass and the error.
    let at = |ms: i64| line.iter().rev().find(|p| p.0 <= ms).unwrap().1;
    assert_eq!(at(2_100), 0.0);
    assert_eq!(at(59_000), 0.0);
    assert_eq!(line[SAMPLES - 1], (60_000, 50.0));
    let all = pass_rate_chart(&runs, WINDOW, &[]).unwrap();
    assert_eq!(all.lines[1].points[SAMPLES - 1], (60_000, 50.0));
    assert!(pass_rate_chart(&[], WINDOW, &[]).is_none());
}

#[test]
fn one_run_still_gets_a_time_axis() {
    let chart = pass_rate_chart(&[run(7_000, Verdict::Fail, 10.0)], WINDOW, &[]).unwrap();
    assert_eq!(chart.lines[1].points, vec![(7_000, 0.0)]);
    assert!(chart.end_ms > chart.start_ms);
}

#[test]
fn markers_stand_on_the_pass_rate_with_who_set_them() {
    let runs = [
        run(0, Verdict::Pass, 250.0),
        run(60_000, Verdict::Fail, 300.0),
    ];
    assert_eq!(time_window(&runs), Some((0, 60_000)));
    let marker = Marker {
        at_ms: 30_000,
        kind: MarkerKind::QueueDelay,
        text: "queue delay set to 1500 ms".into(),
        attendee: Some(Attendee {
            id: "a1".into(),
            name: "Ada".into(),
        }),
    };
    let chart = pass_rate_chart(&runs, WINDOW, &[marker]).unwrap();
    assert_eq!(chart.markers.len(), 1);
    assert_eq!(chart.markers[0].at_ms, 30_000);
    assert_eq!(chart.markers[0].text, "queue delay set to 1500 ms (Ada)");
}

#[test]
fn the_rooms_pass_rate_has_a_point_per_slice_with_runs_and_the_markers() {
    use bulbwatch_api::PassRatePoint;
    use bulbwatch_charts::pass_rate::room_pass_rate_chart;
    let slice = |start_ms, runs, passed| PassRatePoint {
        start_ms,
        runs,
        passed,
    };
    let slices = [slice(0, 4, 3), slice(10_000, 0, 0), slice(20_000, 5, 5)];
    let markers = [Marker {
        at_ms: 12_000,
        kind: MarkerKind::Phase,
        text: "phase: Write a check".into(),
        attendee: None,
    }];
    let chart = room_pass_rate_chart(&slices, 10_000, &markers).unwrap();
    assert_eq!((chart.start_ms, chart.end_ms), (0, 30_000));
    let line = &chart.lines[1];
    assert_eq!(line.points, vec![(5_000, 75.0), (25_000, 100.0)]);
    assert_eq!(chart.markers.len(), 1);
    assert_eq!(chart.markers[0].at_ms, 12_000);
    assert!(room_pass_rate_chart(&[], 10_000, &markers).is_none());
}
