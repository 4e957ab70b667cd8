//! The duration per run: bars oldest first, coloured by verdict, drawn to SVG.

use bulbwatch_api::{RunSummary, Verdict};
use bulbwatch_charts::draw::draw_run_durations;
use bulbwatch_charts::run_durations::{
    DurationBar, ERROR_COLOUR, FAIL_COLOUR, PASS_COLOUR, duration_bars,
};
use bulbwatch_charts::theme::Theme;

mod common;
use common::{inside, texts, to_svg};

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
