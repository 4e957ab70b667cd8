//! `/explore/history?check=…`: my runs of one check as charts (pass rate over time,
//! with the room's markers, and duration per run), shown inside the play page.

use std::time::Duration;

use bulbwatch_api::{Marker, RunSummary, Verdict};
use bulbwatch_app::api::runs;
use bulbwatch_app::checks::format;
use bulbwatch_app::checks::schedule::verdict_name;
use bulbwatch_app::runs_channel::RunListener;
use bulbwatch_charts::draw::{draw_run_durations, draw_series};
use bulbwatch_charts::run_durations::{PASS_COLOUR, duration_bars};
use bulbwatch_charts::series::{Line, SeriesChart, marker_lines};
use bulbwatch_charts::theme::Theme;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::canvas::{CanvasSize, PlotCanvas};

/// How many runs the page asks for.
const RUNS: u32 = 100;
/// How many of the latest runs each point of the pass-rate line looks back over.
pub const WINDOW: usize = 10;
/// Points of the pass-rate line.
pub const SAMPLES: usize = 60;
/// How often the charts ask again.
const REFRESH: Duration = Duration::from_secs(10);

/// The 100 % line (the axes' colour).
const GOAL: (u8, u8, u8) = (0x4a, 0x52, 0x66);

/// What the page has to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    /// No `?check=` in the address.
    NoCheck,
    /// Asking the server.
    Loading,
    /// The server could not answer.
    Problem,
    /// The check has no runs of mine.
    Empty,
    /// Runs to chart.
    Charts,
}

/// My check history as charts.
#[component]
pub fn HistoryPage(
    /// The address's query string (`?check=…`).
    search: String,
) -> impl IntoView {
    let check = check_param(&search);
    let runs = RwSignal::new(None::<Vec<RunSummary>>);
    let markers = RwSignal::new(Vec::<Marker>::new());
    let problem = RwSignal::new(None::<String>);

    if let Some(check_id) = check.clone() {
        let this_check = check_id.clone();
        let load = move || {
            let check_id = check_id.clone();
            spawn_local(async move {
                match runs::history(&check_id, RUNS).await {
                    Ok(list) => {
                        problem.try_set(None);
                        load_markers(&list, markers).await;
                        // Unchanged runs: no redraw.
                        if runs.try_with_untracked(|r| r.as_ref() != Some(&list)) == Some(true) {
                            runs.try_set(Some(list));
                        }
                    }
                    Err(failure) => {
                        problem.try_set(Some(failure.to_string()));
                    }
                }
            });
        };
        load();
        // At once when the play page records a run of this check, and every so often.
        let listener = RunListener::new({
            let load = load.clone();
            move |run_check| {
                if run_check == this_check {
                    load();
                }
            }
        });
        StoredValue::new_local(listener);
        if let Ok(handle) = set_interval_with_handle(load, REFRESH) {
            on_cleanup(move || handle.clear());
        }
    }

    let shown = Memo::new(move |_| {
        if check.is_none() {
            return Shown::NoCheck;
        }
        runs.with(|r| match r {
            Some(r) if r.is_empty() => Shown::Empty,
            Some(_) => Shown::Charts,
            None if problem.with(Option::is_some) => Shown::Problem,
            None => Shown::Loading,
        })
    });

    view! {
        <section
            class="history-charts"
            data-testid="history"
            data-runs=move || runs.with(|r| r.as_ref().map(|r| r.len().to_string()))
            data-markers=move || markers.with(|m| m.len().to_string())
        >
            {move || match shown.get() {
                Shown::NoCheck => {
                    view! { <p class="history-charts__note">"Save a check to chart its runs."</p> }
                        .into_any()
                }
                Shown::Loading => {
                    view! { <p class="history-charts__note">"Loading your runs…"</p> }.into_any()
                }
                Shown::Problem => {
                    view! {
                        <p class="history-charts__note history-charts__note--problem">
                            {move || problem.get().unwrap_or_default()}
                        </p>
                    }
                        .into_any()
                }
                Shown::Empty => {
                    view! {
                        <p class="history-charts__note" data-testid="history-empty">
                            "No runs yet: run the check to see them here."
                        </p>
                    }
                        .into_any()
                }
                Shown::Charts => view! { <Charts runs=runs markers=markers /> }.into_any(),
            }}
        </section>
    }
}

/// The markers over the runs' time window (the room's queue-delay changes and
/// switched points), kept when they cannot be loaded: the runs matter more.
async fn load_markers(runs: &[RunSummary], markers: RwSignal<Vec<Marker>>) {
    let Some((from_ms, to_ms)) = time_window(runs) else {
        return;
    };
    match api::markers(from_ms, to_ms + 1).await {
        // Unchanged markers: no redraw.
        Ok(found) => {
            if markers.try_with_untracked(|m| m != &found) == Some(true) {
                markers.try_set(found);
            }
        }
        Err(failure) => tracing::warn!("{failure}"),
    }
}

/// The two charts, redrawn when the runs or the markers change.
#[component]
fn Charts(
    runs: RwSignal<Option<Vec<RunSummary>>>,
    markers: RwSignal<Vec<Marker>>,
) -> impl IntoView {
    let draw_rate = move |backend, size: CanvasSize| {
        let theme = Theme { ratio: size.ratio };
        runs.with(|r| {
            markers.with(|m| {
                if let Some(chart) = pass_rate_chart(r.as_deref().unwrap_or_default(), WINDOW, m)
                    && let Err(e) = draw_series(backend, &chart, None, &theme)
                {
                    tracing::warn!("drawing the pass rate: {e:?}");
                }
            });
        });
    };
    let draw_durations = move |backend, size: CanvasSize| {
        let theme = Theme { ratio: size.ratio };
        runs.with(|r| {
            let bars = duration_bars(r.as_deref().unwrap_or_default());
            if let Err(e) = draw_run_durations(backend, &bars, &theme) {
                tracing::warn!("drawing the durations: {e}");
            }
        });
    };
    view! {
        <div class="history-charts__head">
            <h2 class="history-charts__title">{format!("Pass rate, last {WINDOW} runs")}</h2>
            <span class="history-charts__latest">{move || latest(runs)}</span>
        </div>
        <PlotCanvas
            label=format!("Share of passing runs over the last {WINDOW} runs, over time")
            height=100
            draw=draw_rate
            testid="history-pass-rate"
        />
        <div class="history-charts__head">
            <h2 class="history-charts__title">"Duration per run"</h2>
            <span class="history-charts__key">
                <i class="history-charts__swatch history-charts__swatch--pass"></i>
                "pass"
                <i class="history-charts__swatch history-charts__swatch--fail"></i>
                "fail"
                <i class="history-charts__swatch history-charts__swatch--error"></i>
                "error"
            </span>
        </div>
        <PlotCanvas
            label="How long each run took, oldest first, coloured by verdict"
            height=74
            draw=draw_durations
            testid="history-durations"
        />
    }
}

/// The `check` parameter of `?check=…`, if any.
fn check_param(search: &str) -> Option<String> {
    web_sys::UrlSearchParams::new_with_str(search)
        .ok()
        .and_then(|params| params.get("check"))
        .filter(|id| !id.is_empty())
}

/// The pass rate over time, sampled at [`SAMPLES`] evenly spaced moments from the first
/// run to the last: at each, the percentage of passing runs among the `window` latest
/// runs started by then. Even spacing keeps the line whole however bursty the runs are.
/// Plus the 100 % goal, faint, and the markers as vertical lines. `None` without runs.
pub fn pass_rate_chart(
    runs: &[RunSummary],
    window: usize,
    markers: &[Marker],
) -> Option<SeriesChart> {
    let window = window.max(1);
    let (first, end_ms) = time_window(runs)?;
    let mut oldest_first: Vec<&RunSummary> = runs.iter().collect();
    oldest_first.sort_by_key(|r| r.started_at_ms);
    let last = oldest_first.last()?.started_at_ms;
    let samples = if last > first { SAMPLES } else { 1 };
    let points = (0..samples)
        .map(|k| {
            let at = if samples == 1 {
                last
            } else {
                #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
                let offset = ((last - first) as f64 * k as f64 / (samples - 1) as f64) as i64;
                first + offset
            };
            let started = oldest_first.partition_point(|r| r.started_at_ms <= at);
            let seen = &oldest_first[started.saturating_sub(window)..started];
            let passed = seen.iter().filter(|r| r.verdict == Verdict::Pass).count();
            #[allow(clippy::cast_precision_loss)]
            let percent = 100.0 * passed as f64 / seen.len().max(1) as f64;
            (at, percent)
        })
        .collect();
    Some(SeriesChart {
        start_ms: first,
        end_ms,
        y_label: "% passing".into(),
        lines: vec![
            // The goal, faint: it also keeps the axis at 0–100 %.
            Line {
                label: "all passing".into(),
                colour: GOAL,
                points: vec![(first, 100.0), (end_ms, 100.0)],
            },
            Line {
                label: format!("pass rate, last {window} runs"),
                colour: PASS_COLOUR,
                points,
            },
        ],
        markers: marker_lines(markers),
    })
}

/// The pass-rate chart's time axis: from the first run's start to the last's, at least
/// a second long (one run is a moment: give the axis a second to stand on).
fn time_window(runs: &[RunSummary]) -> Option<(i64, i64)> {
    let first = runs.iter().map(|r| r.started_at_ms).min()?;
    let last = runs.iter().map(|r| r.started_at_ms).max()?;
    Some((first, last.max(first + 1000)))
}

/// "last: fail in 1.50 s", for the newest run.
fn latest(runs: RwSignal<Option<Vec<RunSummary>>>) -> String {
    runs.with(|r| {
        r.as_deref()
            .unwrap_or_default()
            .iter()
            .max_by_key(|run| run.started_at_ms)
            .map(|run| {
                format!(
                    "last: {} in {}",
                    verdict_name(run.verdict),
                    format::duration(run.duration_ms)
                )
            })
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use bulbwatch_api::{Attendee, MarkerKind};

    use super::*;

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
}
