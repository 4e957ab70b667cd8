//! What to do after a run, in a line: after a pass with no schedule, put it on one;
//! after a failure, switch on instrumentation and explore the failures. Nothing while
//! a run goes, after a mistake in the check (the failure says what to fix), or while
//! the schedule runs a passing check.

use bulbwatch_api::{FailureKind, Verdict};
use leptos::prelude::*;

use crate::checks::run_view::{RunPhase, RunView};
use crate::markup::{Markup, class};

/// The hint after a finished run, as markup; empty when there is none.
pub fn next_hint(run: Option<&RunView>, scheduled: bool) -> String {
    let Some(run) = run else {
        return String::new();
    };
    let failed_on_the_bulb = run
        .failure
        .as_ref()
        .is_some_and(|f| matches!(f.kind, FailureKind::Assertion | FailureKind::Transport));
    let mut m = Markup::new();
    match run.phase {
        RunPhase::Finished(Verdict::Pass) if !scheduled => {
            m.open(
                "p",
                &[class("next-hint"), ("data-testid", Some("next-hint"))],
            )
            .element("strong", &[], "Next: ")
            .text(
                "a check that passed once can still fail while the room changes the bulb. \
                 Turn on \"Run every\" above to run it every few seconds.",
            )
            .close("p");
        }
        RunPhase::Finished(Verdict::Fail) if failed_on_the_bulb => {
            m.open(
                "p",
                &[
                    class("next-hint next-hint--fail"),
                    ("data-testid", Some("next-hint")),
                ],
            )
            .element("strong", &[], "Next: ")
            .text("find out why. Switch on points at the bulb service in ")
            .element(
                "a",
                &[("href", Some("/instrumentation"))],
                "Instrumentation",
            )
            .text(", let a few runs fail, then ")
            .element("a", &[("href", Some("/explore"))], "explore your runs")
            .text(": what do the failures have in common?")
            .close("p");
        }
        _ => return String::new(),
    }
    m.finish()
}

/// The hint for `run`, given whether the schedule is on.
#[component]
pub fn NextHint(
    /// The run on show.
    #[prop(into)]
    run: Signal<Option<RunView>>,
    /// Whether the schedule is on.
    #[prop(into)]
    scheduled: Signal<bool>,
) -> impl IntoView {
    view! {
        <div
            class="next-hint-slot"
            aria-live="polite"
            inner_html=move || run.with(|r| next_hint(r.as_ref(), scheduled.get()))
        ></div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::{CheckReport, Failure};

    fn finished(verdict: Verdict, kind: Option<FailureKind>) -> RunView {
        let mut report = RunView::running("ab".repeat(16), 0.0).ended_report("x", 1.0);
        report.verdict = verdict;
        report.failure = kind.map(|kind| Failure {
            message: "m".into(),
            line: Some(1),
            column: None,
            step: None,
            kind,
            expected: None,
            actual: None,
        });
        RunView::finished(&CheckReport { ..report })
    }

    #[test]
    fn a_pass_points_at_the_schedule_until_it_runs() {
        let pass = finished(Verdict::Pass, None);
        assert!(next_hint(Some(&pass), false).contains("Run every"));
        assert_eq!(next_hint(Some(&pass), true), "");
        assert_eq!(next_hint(None, false), "");
        let running = RunView::running("ab".repeat(16), 0.0);
        assert_eq!(next_hint(Some(&running), false), "");
    }

    #[test]
    fn a_failure_points_at_instrumentation_and_explore_but_a_mistake_does_not() {
        let fail = next_hint(
            Some(&finished(Verdict::Fail, Some(FailureKind::Assertion))),
            true,
        );
        assert!(fail.contains(r#"href="/instrumentation""#), "{fail}");
        assert!(fail.contains(r#"href="/explore""#), "{fail}");
        let mistake = finished(Verdict::Error, Some(FailureKind::Script));
        assert_eq!(next_hint(Some(&mistake), false), "");
    }
}
