//! The history strip: one small block per recent run, coloured by verdict, oldest on
//! the left, each a link to its run page; and the pass rate.

use bulbwatch_api::RunSummary;
use leptos::prelude::*;

use crate::checks::format;
use crate::checks::schedule::{PassRate, verdict_name};
use crate::markup::{Markup, class};

/// Strip and pass rate for `runs` (newest first, as the server lists them).
#[component]
pub fn RunHistory(
    /// Recent runs, newest first.
    #[prop(into)]
    runs: Signal<Vec<RunSummary>>,
) -> impl IntoView {
    let rate = move || runs.with(|r| PassRate::of(r));
    view! {
        <div class="history">
            <div
                class="history__strip"
                data-testid="run-history"
                inner_html=move || runs.with(|r| strip(r, &clock_time))
            ></div>
            <p
                class="history__rate"
                class:history__rate--none=move || rate().total == 0
                data-testid="pass-rate"
            >
                {move || rate().label()}
            </p>
        </div>
    }
}

/// The strip's blocks, oldest first; `time_of` formats a run's start for its title.
pub fn strip(runs: &[RunSummary], time_of: &dyn Fn(i64) -> String) -> String {
    let mut m = Markup::new();
    for run in runs.iter().rev() {
        let verdict = verdict_name(run.verdict);
        let mut title = format!(
            "{} · {} · {verdict} in {}",
            run.check_name,
            time_of(run.started_at_ms),
            format::duration(run.duration_ms)
        );
        if let Some(message) = &run.message {
            title.push_str(" — ");
            title.push_str(message);
        }
        m.element(
            "a",
            &[
                class(&format!("history__run history__run--{verdict}")),
                ("data-testid", Some("run-history-item")),
                ("data-verdict", Some(verdict)),
                ("href", Some(&format!("/runs/{}", run.run_id))),
                ("title", Some(&title)),
                ("aria-label", Some(&title)),
            ],
            "",
        );
    }
    m.finish()
}

/// "14:03:27" in the browser's time zone.
fn clock_time(ms: i64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}:{:02}:{:02}",
        date.get_hours(),
        date.get_minutes(),
        date.get_seconds()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::Verdict;

    #[test]
    fn blocks_run_oldest_to_newest_and_link_to_their_runs() {
        let run = |id: &str, verdict, message: Option<&str>| RunSummary {
            run_id: id.into(),
            check_id: None,
            check_name: "<classic>".into(),
            verdict,
            duration_ms: 1240.0,
            started_at_ms: 7,
            message: message.map(Into::into),
        };
        let html = strip(
            &[
                run("r2", Verdict::Fail, Some("colour")),
                run("r1", Verdict::Pass, None),
            ],
            &|ms| format!("t{ms}"),
        );
        let first = html.find("/runs/r1").unwrap();
        let second = html.find("/runs/r2").unwrap();
        assert!(first < second, "oldest first: {html}");
        assert!(html.contains(r#"data-verdict="fail""#));
        assert!(
            html.contains("&lt;classic&gt; · t7 · fail in 1.24 s — colour"),
            "{html}"
        );
        assert_eq!(html.matches(r#"data-testid="run-history-item""#).count(), 2);
        assert_eq!(strip(&[], &|_| String::new()), "");
    }
}
