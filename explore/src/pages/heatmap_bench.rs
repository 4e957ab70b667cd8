//! `/explore/bench/heatmap`: redraws a heatmap of 100,000 synthetic events and reports
//! the time of each redraw (Performance API), for `scripts/bench-heatmap.sh`.
//!
//! One redraw is what the explore page does when new data arrives: bin the events
//! (`HeatmapChart::from_events`, 30 s columns over 2 hours, 40 value buckets) and draw
//! them (`draw_heatmap`) on a 1100×420 CSS px canvas at the screen's pixel ratio. The
//! redraws run one per task, so the page paints in between; `?runs=N` changes how many.
//! When done, the root gets `data-median-ms`, `data-p95-ms`, `data-runs`, `data-events`,
//! `data-canvas` and `data-ratio`.

use std::time::Duration;

use bulbwatch_charts::draw::draw_heatmap;
use bulbwatch_charts::heatmap::HeatmapChart;
use bulbwatch_charts::theme::Theme;
use leptos::html;
use leptos::prelude::*;
use plotters_canvas::CanvasBackend;

/// Synthetic events to bin.
pub const EVENTS: usize = 100_000;
/// Redraws unless `?runs=N` says otherwise.
pub const RUNS: usize = 20;
/// The events' time span: two hours.
const SPAN_MS: i64 = 2 * 60 * 60 * 1000;
/// Where the span starts (a fixed moment, so every run bins the same).
const START_MS: i64 = 1_700_000_000_000;
/// Column width: 30 s, so 240 columns.
const GRANULARITY_MS: i64 = 30_000;
/// Value buckets per column.
const VALUE_BUCKETS: usize = 40;
/// The canvas in CSS pixels: the explore page's heatmap at 1280×800.
const WIDTH: u32 = 1100;
/// See [`WIDTH`].
const HEIGHT: u32 = 420;

/// The finished benchmark.
#[derive(Clone, Debug, PartialEq)]
struct Outcome {
    median_ms: f64,
    p95_ms: f64,
    runs: usize,
    ratio: f64,
}

/// The heatmap redraw benchmark.
#[component]
pub fn HeatmapBenchPage() -> impl IntoView {
    let canvas = NodeRef::<html::Canvas>::new();
    let outcome = RwSignal::new(None::<Outcome>);
    let progress = RwSignal::new(0_usize);
    let runs = runs_param();

    Effect::new(move |_| {
        let Some(canvas) = canvas.get() else { return };
        let ratio = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio().max(1.0));
        canvas.set_width((f64::from(WIDTH) * ratio).round() as u32);
        canvas.set_height((f64::from(HEIGHT) * ratio).round() as u32);
        let events = synthetic_events(EVENTS, START_MS, SPAN_MS);
        redraw_later(Bench {
            canvas,
            events,
            ratio,
            left: runs,
            times: Vec::with_capacity(runs),
            progress,
            outcome,
        });
    });

    let median = move || outcome.get().map(|o| format!("{:.2}", o.median_ms));
    let p95 = move || outcome.get().map(|o| format!("{:.2}", o.p95_ms));
    let done_runs = move || outcome.get().map(|o| o.runs.to_string());
    let ratio = move || outcome.get().map(|o| o.ratio.to_string());
    let line = move || match outcome.get() {
        Some(o) => format!(
            "{} redraws of {EVENTS} events on {WIDTH}×{HEIGHT} CSS px at devicePixelRatio {}: median {:.2} ms, p95 {:.2} ms",
            o.runs, o.ratio, o.median_ms, o.p95_ms
        ),
        None => format!("Redrawing… {} of {runs}", progress.get()),
    };

    view! {
        <section
            class="page bench"
            data-testid="heatmap-bench"
            data-median-ms=median
            data-p95-ms=p95
            data-runs=done_runs
            data-events=EVENTS.to_string()
            data-canvas=format!("{WIDTH}x{HEIGHT}")
            data-ratio=ratio
        >
            <h1 class="page__title">"Heatmap redraw benchmark"</h1>
            <p class="bench__result" data-testid="bench-result" aria-live="polite">
                {line}
            </p>
            <canvas
                node_ref=canvas
                class="bench__canvas"
                role="img"
                aria-label="A heatmap of synthetic check durations"
                style=format!("width: {WIDTH}px; height: {HEIGHT}px")
            ></canvas>
        </section>
    }
}

/// The benchmark between redraws.
struct Bench {
    canvas: web_sys::HtmlCanvasElement,
    events: Vec<(i64, f64)>,
    ratio: f64,
    left: usize,
    times: Vec<f64>,
    progress: RwSignal<usize>,
    outcome: RwSignal<Option<Outcome>>,
}

/// Runs the next redraw in a task of its own, so the page paints in between.
fn redraw_later(bench: Bench) {
    set_timeout(move || redraw(bench), Duration::ZERO);
}

/// One timed redraw (bin and draw), then the next, or the outcome after the last.
fn redraw(mut bench: Bench) {
    if bench.left == 0 {
        let (median_ms, p95_ms) = median_and_p95(&mut bench.times);
        bench.outcome.try_set(Some(Outcome {
            median_ms,
            p95_ms,
            runs: bench.times.len(),
            ratio: bench.ratio,
        }));
        return;
    }
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let started = performance.now();
    let chart = HeatmapChart::from_events(
        &bench.events,
        START_MS,
        START_MS + SPAN_MS,
        GRANULARITY_MS,
        VALUE_BUCKETS,
    );
    if let Some(backend) = CanvasBackend::with_canvas_object(bench.canvas.clone()) {
        let theme = Theme { ratio: bench.ratio };
        if let Err(e) = draw_heatmap(backend, &chart, None, &theme) {
            tracing::warn!("drawing the heatmap: {e:?}");
        }
    }
    let took = performance.now() - started;
    bench.times.push(took);
    bench.left -= 1;
    bench.progress.try_set(bench.times.len());
    redraw_later(bench);
}

/// `?runs=N` (1–1000), else [`RUNS`].
fn runs_param() -> usize {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("runs"))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=1000).contains(n))
        .unwrap_or(RUNS)
}

/// A small, fast, deterministic generator (Knuth's MMIX LCG).
struct Lcg(u64);

impl Lcg {
    /// The next number in [0, 1).
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        #[allow(clippy::cast_precision_loss)]
        let top = (self.0 >> 11) as f64;
        top / (1_u64 << 53) as f64
    }
}

/// `count` events over `span_ms` from `start_ms`, oldest first: durations log-normal
/// around 250 ms, slower in the second half hour, with a few very slow ones — the shape
/// of a room's check runs. The same every time.
pub fn synthetic_events(count: usize, start_ms: i64, span_ms: i64) -> Vec<(i64, f64)> {
    let mut random = Lcg(0x00b0_1b0a_7c40);
    #[allow(clippy::cast_precision_loss)]
    let step = span_ms as f64 / count.max(1) as f64;
    (0..count)
        .map(|i| {
            #[allow(clippy::cast_precision_loss, clippy::cast_possible_truncation)]
            let at = start_ms + (i as f64 * step + random.next() * step) as i64;
            // Box–Muller: a standard normal from two uniforms.
            let (u, v) = (random.next().max(f64::MIN_POSITIVE), random.next());
            let normal = (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos();
            let slow_spell = (at - start_ms) > span_ms / 2 && (at - start_ms) < span_ms * 3 / 4;
            let centre = if slow_spell { 600.0_f64 } else { 250.0 };
            let tail = if random.next() < 0.01 { 8.0 } else { 1.0 };
            (at, (centre.ln() + 0.45 * normal).exp() * tail)
        })
        .collect()
}

/// The median and the 95th percentile (nearest rank) of `times`; sorts them.
fn median_and_p95(times: &mut [f64]) -> (f64, f64) {
    if times.is_empty() {
        return (0.0, 0.0);
    }
    times.sort_by(f64::total_cmp);
    let n = times.len();
    let median = if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2.0
    };
    let rank = (n * 95).div_ceil(100).max(1);
    (median, times[rank - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_the_same_every_time_in_order_within_the_span() {
        let events = synthetic_events(10_000, START_MS, SPAN_MS);
        assert_eq!(events, synthetic_events(10_000, START_MS, SPAN_MS));
        assert_eq!(events.len(), 10_000);
        assert!(events.windows(2).all(|w| w[0].0 <= w[1].0));
        assert!(
            events
                .iter()
                .all(|(at, _)| (START_MS..START_MS + SPAN_MS).contains(at))
        );
        assert!(events.iter().all(|(_, ms)| ms.is_finite() && *ms > 0.0));
        let mut durations: Vec<f64> = events.iter().map(|e| e.1).collect();
        let (median, p95) = median_and_p95(&mut durations);
        assert!((150.0..500.0).contains(&median), "median {median}");
        assert!(p95 > 2.0 * median, "a long tail: p95 {p95}");
    }

    #[test]
    fn median_and_p95_by_nearest_rank() {
        let mut times: Vec<f64> = (1..=20).rev().map(f64::from).collect();
        assert_eq!(median_and_p95(&mut times), (10.5, 19.0));
        assert_eq!(median_and_p95(&mut [3.0]), (3.0, 3.0));
        assert_eq!(median_and_p95(&mut [3.0, 1.0, 2.0]), (2.0, 3.0));
        assert_eq!(median_and_p95(&mut []), (0.0, 0.0));
    }
}
