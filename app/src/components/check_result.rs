//! The result pane: the verdict, why it did not pass (with a link to the line), the
//! steps as they happen, every request with its trace id, and the log.
//!
//! Drawn as markup text (see `markup.rs` for why); one click handler on the pane
//! turns a click on the failure's location into `on_locate`.

use bulbwatch_api::{FailureKind, StepOutcome};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::checks::format;
use crate::checks::request_groups::group_requests;
use crate::checks::run_view::{RunPhase, RunView, STOPPED};
use crate::markup::{Markup, class};

/// Shows `run` (nothing yet: a short invitation). `on_locate` makes the failure's
/// location a link that moves the editor's cursor there.
#[component]
pub fn CheckResult(
    /// The run to show.
    #[prop(into)]
    run: Signal<Option<RunView>>,
    /// Called with (line, column) when the failure's location is clicked.
    #[prop(optional)]
    on_locate: Option<Callback<(u32, u32)>>,
) -> impl IntoView {
    let locatable = on_locate.is_some();
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(on_locate) = on_locate else { return };
        let link = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| t.closest("[data-locate-line]").ok().flatten());
        if let Some(link) = link {
            let number = |name: &str| {
                link.get_attribute(name)
                    .and_then(|v| v.parse::<u32>().ok())
                    .unwrap_or(1)
            };
            on_locate.run((number("data-locate-line"), number("data-locate-column")));
        }
    };
    view! {
        <div
            class="result-pane"
            on:click=on_click
            inner_html=move || run.with(|run| render(run.as_ref(), locatable))
        ></div>
    }
}

/// The pane's markup for `run`; `locatable` makes the failure's location a button.
pub fn render(run: Option<&RunView>, locatable: bool) -> String {
    let mut m = Markup::new();
    let Some(run) = run else {
        m.open("div", &[class("result result--empty")]).element(
            "p",
            &[class("muted")],
            "Run the check to see its verdict, steps and requests here.",
        );
        m.close("div");
        return m.finish();
    };
    let running = run.phase == RunPhase::Running;
    m.open(
        "div",
        &[class(if running {
            "result result--running"
        } else {
            "result"
        })],
    );

    let verdict = run.verdict_text();
    let badge = if running { "running" } else { verdict };
    m.open("div", &[class("result__head")])
        .element(
            "span",
            &[
                class(&format!("verdict verdict--{badge}")),
                ("data-testid", Some("check-verdict")),
            ],
            verdict,
        )
        .open("span", &[class("result__meta")]);
    if let Some(ms) = run.duration_ms {
        m.text(&format::duration(ms)).text(" · ");
    }
    m.element(
        "a",
        &[
            class("result__trace"),
            ("data-testid", Some("run-trace")),
            ("href", Some(&format!("/explore/traces/{}", run.trace_id))),
            ("title", Some(&format!("trace {}", run.trace_id))),
        ],
        "Open trace",
    )
    .close("span")
    .close("div");

    failure(&mut m, run, locatable);
    steps(&mut m, run);
    requests(&mut m, run);
    logs(&mut m, run);
    if run.dropped > 0 {
        m.element(
            "p",
            &[class("hint")],
            &format!(
                "{} steps, requests or log lines were left out (too many).",
                run.dropped
            ),
        );
    }
    m.close("div");
    m.finish()
}

fn failure(m: &mut Markup, run: &RunView, locatable: bool) {
    let Some(failure) = &run.failure else { return };
    let kind = match failure.kind {
        FailureKind::Assertion => "assertion failed",
        FailureKind::Script => "mistake in the check",
        FailureKind::Limit if failure.message == STOPPED => "you stopped it",
        FailureKind::Limit => "limit reached",
        FailureKind::Transport => "no answer",
    };
    m.open(
        "div",
        &[
            class("failure"),
            ("data-testid", Some("check-failure")),
            ("role", Some("alert")),
        ],
    )
    .element("p", &[class("failure__kind")], kind)
    .element("p", &[class("failure__message")], &failure.message)
    .open("p", &[class("failure__where")]);
    if let Some(line) = failure.line {
        let text = format::location(line, failure.column);
        let (line, column) = (line.to_string(), failure.column.unwrap_or(1).to_string());
        let common = [
            ("data-testid", Some("check-failure-location")),
            ("data-locate-line", Some(line.as_str())),
            ("data-locate-column", Some(column.as_str())),
        ];
        if locatable {
            let mut attrs = vec![
                ("type", Some("button")),
                class("link failure__location"),
                ("title", Some("Put the cursor there")),
            ];
            attrs.extend(common);
            m.element("button", &attrs, &text);
        } else {
            let mut attrs = vec![class("failure__location")];
            attrs.extend(common);
            m.element("span", &attrs, &text);
        }
    }
    if let Some(step) = &failure.step {
        m.text(" in step ").element("strong", &[], step);
    }
    m.close("p").close("div");
}

fn steps(m: &mut Markup, run: &RunView) {
    m.element("h3", &[class("result__title")], "Steps");
    if run.steps.is_empty() {
        m.element(
            "p",
            &[
                class("muted result__none"),
                ("data-testid", Some("check-steps")),
            ],
            if run.is_running() {
                "No steps yet."
            } else {
                "No steps: step(\"name\", || { … }) names a part of the check."
            },
        );
        return;
    }
    m.open(
        "ol",
        &[class("steps"), ("data-testid", Some("check-steps"))],
    );
    for step in &run.steps {
        let state = match step.outcome {
            None => "running",
            Some(StepOutcome::Pass) => "pass",
            Some(StepOutcome::Fail) => "fail",
        };
        let time = step
            .duration_ms
            .map_or_else(|| "…".to_string(), format::duration);
        m.open(
            "li",
            &[
                class(&format!("step step--{state}")),
                ("data-testid", Some("check-step")),
                ("data-outcome", Some(state)),
                ("style", Some(&format!("--depth: {}", step.depth))),
            ],
        )
        .element(
            "span",
            &[class("step__dot"), ("aria-hidden", Some("true"))],
            "",
        )
        .element("span", &[class("step__name")], &step.name)
        .element("span", &[class("step__time")], &time)
        .close("li");
    }
    m.close("ol");
}

fn requests(m: &mut Markup, run: &RunView) {
    m.element("h3", &[class("result__title")], "Requests");
    if run.requests.is_empty() {
        m.element(
            "p",
            &[
                class("muted result__none"),
                ("data-testid", Some("check-requests")),
            ],
            if run.is_running() {
                "No requests yet."
            } else {
                "No requests."
            },
        );
        return;
    }
    m.open("div", &[class("requests-wrap")])
        .open(
            "table",
            &[class("requests"), ("data-testid", Some("check-requests"))],
        )
        .open("tbody", &[]);
    // One trace holds all of a run's requests: one link to it, in the head.
    for group in group_requests(&run.requests) {
        let r = group.first;
        let status_class = if group.some_unanswered() {
            "none"
        } else if group.all_ok() {
            "ok"
        } else {
            "bad"
        };
        let count = group.count.to_string();
        m.open(
            "tr",
            &[
                class("request"),
                ("data-testid", Some("check-request")),
                ("data-trace-id", Some(&r.trace_id)),
                ("data-count", Some(&count)),
            ],
        )
        .element("td", &[class("request__method")], r.method.as_str())
        .open("td", &[class("request__path"), ("title", Some(&r.path))])
        .text(&r.path);
        if group.count > 1 {
            m.element(
                "span",
                &[
                    class("request__count"),
                    ("title", Some(&format!("{count} requests in a row"))),
                ],
                &format!("× {count}"),
            );
        }
        m.close("td")
            .element(
                "td",
                &[class(&format!(
                    "request__status request__status--{status_class}"
                ))],
                &group.status_text(),
            )
            .element("td", &[class("request__time")], &group.time_text())
            .close("tr");
    }
    m.close("tbody").close("table").close("div");
}

fn logs(m: &mut Markup, run: &RunView) {
    m.element("h3", &[class("result__title")], "Log");
    if run.logs.is_empty() {
        m.element("p", &[class("muted result__none")], "Nothing logged.");
        return;
    }
    m.open("ol", &[class("logs")]);
    for line in &run.logs {
        m.open("li", &[class("log")])
            .element(
                "span",
                &[class("log__at")],
                &format!("+{}", format::duration(line.at_ms)),
            )
            .element("span", &[class("log__text")], &line.text)
            .close("li");
    }
    m.close("ol");
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::{Failure, HttpMethod, LogLine, Progress, RequestReport};

    #[test]
    fn nothing_yet_invites_a_run() {
        assert!(render(None, true).contains("Run the check"));
    }

    #[test]
    fn a_failing_run_shows_where_and_why_as_text() {
        let mut run = RunView::running("ab".repeat(16), 0.0);
        run.apply(
            Progress::StepStarted {
                name: "<b>set</b>".into(),
                depth: 1,
            },
            1.0,
        );
        run.apply(
            Progress::Request(RequestReport {
                method: HttpMethod::Put,
                path: "/api/bulb?x=<y>".into(),
                status: Some(202),
                duration_ms: 4.0,
                trace_id: "ab".repeat(16),
                span_id: "cd".repeat(8),
                step: None,
            }),
            2.0,
        );
        run.apply(
            Progress::Log(LogLine {
                at_ms: 3.0,
                text: "asking for red".into(),
            }),
            3.0,
        );
        let live = render(Some(&run), true);
        assert!(live.contains(">running…</span>"), "{live}");
        assert!(
            live.contains("&lt;b&gt;set&lt;/b&gt;"),
            "names stay text: {live}"
        );
        assert!(live.contains("--depth: 1"));
        assert!(live.contains(&format!("data-trace-id=\"{}\"", "ab".repeat(16))));
        assert!(live.contains(&format!(
            r#"data-testid="run-trace" href="/explore/traces/{}""#,
            "ab".repeat(16)
        )));
        assert!(live.contains(r#"data-count="1""#), "{live}");

        let mut report = run.ended_report("x", 10.0);
        report.verdict = bulbwatch_api::Verdict::Fail;
        report.failure = Some(Failure {
            message: "the bulb's colour: expected \"ultraviolet\"".into(),
            line: Some(4),
            column: Some(7),
            step: Some("wait".into()),
            kind: FailureKind::Assertion,
            expected: None,
            actual: None,
        });
        let done = render(Some(&RunView::finished(&report)), true);
        assert!(
            done.contains(r#"data-testid="check-verdict">fail</span>"#),
            "{done}"
        );
        assert!(done.contains("the bulb&#39;s colour: expected &quot;ultraviolet&quot;"));
        assert!(done.contains(r#"<button type="button""#));
        assert!(
            done.contains(
                r#"data-locate-line="4" data-locate-column="7">line 4, column 7</button>"#
            ),
            "{done}"
        );
        let read_only = render(Some(&RunView::finished(&report)), false);
        assert!(!read_only.contains("<button"));
        assert!(read_only.contains(">line 4, column 7</span>"));
    }
}
