//! The check side of the play page: the check's name and menus, the editor, Run/Stop
//! and the schedule, then the history and the result pane.

use bulbwatch_api::{CheckSummary, CheckVersion};
use leptos::html::Textarea;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::checks::run_view::RunView;
use crate::components::check_editor::reveal;
use crate::components::{CheckEditor, CheckResult, NextHint, RunHistory, ScheduleControl};
use crate::contexts::{use_current_attendee, use_last_error};
use crate::markup::{Markup, class};

use super::check_doc::CheckDoc;
use super::run_control::RunControl;

/// Value of the switcher's "new check" entry.
const NEW_CHECK: &str = "\u{1}new";

/// Editor and results for the attendee `attendee_id`.
#[component]
pub fn CheckWorkbench(
    /// Whose checks (the draft in this browser is kept per attendee).
    attendee_id: String,
) -> impl IntoView {
    let errors = use_last_error();
    let me = use_current_attendee();
    let doc = CheckDoc::new(attendee_id, me, errors);
    doc.load();
    let control = RunControl::new(doc, errors);
    let textarea = NodeRef::<Textarea>::new();

    let running = Signal::derive(move || {
        control
            .view
            .with(|v| v.as_ref().is_some_and(RunView::is_running))
    });
    let failing_line = Signal::derive(move || {
        control
            .view
            .with(|v| v.as_ref().and_then(RunView::failing_line))
    });
    let on_run = Callback::new(move |()| control.run());
    let on_edit = Callback::new(move |()| doc.edited());
    let on_locate = Callback::new(move |(line, column): (u32, u32)| {
        if let Some(area) = textarea.get_untracked() {
            reveal(&area, line, column);
        }
    });

    // A saved check's history as charts, drawn by Explore's own wasm in a frame. That
    // wasm is bigger than the page's, and the frame is on screen at 1280×800 (so
    // `loading="lazy"` alone would fetch it with the page): it loads once the check
    // has runs to chart, when the page is idle.
    let frame_wanted = RwSignal::new(false);
    Effect::new(move |_| {
        if !frame_wanted.get_untracked() && control.history.with(|h| !h.is_empty()) {
            when_idle(move || {
                frame_wanted.try_set(true);
            });
        }
    });
    let charts_src = Memo::new(move |_| {
        let wanted = frame_wanted.get() && control.history.with(|h| !h.is_empty());
        doc.check_id.get().filter(|_| wanted).map(|id| {
            format!(
                "/explore/history?check={}",
                js_sys::encode_uri_component(&id)
            )
        })
    });

    view! {
        <section class="workbench">
            // The attendee turning to the check starts the check engine loading.
            <div
                class="card workbench__editor"
                on:focusin=move |_| control.warm_up()
                on:pointerenter=move |_| control.warm_up()
            >
                <CheckBar doc=doc />
                <CheckEditor
                    source=doc.source
                    failing_line=failing_line
                    on_run=on_run
                    on_edit=on_edit
                    textarea=textarea
                />
                <div class="runbar">
                    <button
                        type="button"
                        class="button button--primary runbar__run"
                        data-testid="check-run"
                        disabled=move || running.get()
                        on:click=move |_| control.run()
                    >
                        "Run "
                        <kbd>"Ctrl/⌘+Enter"</kbd>
                    </button>
                    <button
                        type="button"
                        class="button runbar__stop"
                        data-testid="check-stop"
                        disabled=move || !running.get()
                        on:click=move |_| control.stop()
                    >
                        "Stop"
                    </button>
                    <span class="muted" role="status" data-testid="engine-status">
                        {move || {
                            (running.get() && !control.engine_ready.get())
                                .then_some("Starting the check engine…")
                        }}
                    </span>
                    <ScheduleControl
                        on=control.scheduled
                        on_toggle=Callback::new(move |()| control.toggle_schedule())
                        interval=control.interval
                        problem=control.interval_problem
                    />
                </div>
                <NextHint run=control.view scheduled=control.scheduled />
            </div>
            <div class="workbench__side">
                <div class="card workbench__history">
                    <h2 class="card__title">"Recent runs"</h2>
                    <RunHistory runs=control.history />
                    <div inner_html=move || {
                        charts_src.get().as_deref().map(history_frame).unwrap_or_default()
                    }></div>
                </div>
                <div class="card workbench__result">
                    <CheckResult run=control.view on_locate=on_locate />
                </div>
            </div>
        </section>
    }
}

/// Runs `f` once the browser is idle (at once where it has no `requestIdleCallback`).
fn when_idle(f: impl Fn() + Clone + 'static) {
    if request_idle_callback_with_handle(f.clone()).is_err() {
        set_timeout(f, std::time::Duration::ZERO);
    }
}

/// Explore's charts of my runs of the saved check at `src`, loaded when scrolled to.
pub fn history_frame(src: &str) -> String {
    let mut m = Markup::new();
    m.element(
        "iframe",
        &[
            class("workbench__charts"),
            ("src", Some(src)),
            ("loading", Some("lazy")),
            ("title", Some("Your runs of this check as charts")),
            ("data-testid", Some("history-frame")),
        ],
        "",
    );
    m.finish()
}

/// The check's name, save status, the check and version menus, and the share link.
#[component]
fn CheckBar(doc: CheckDoc) -> impl IntoView {
    let status = move || doc.status.get();
    let share_href = move || doc.share_id.get().map(|id| format!("/shared/{id}"));
    let share_title = move || {
        share_href().map(|path| {
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            format!("Read-only link for others: {origin}{path}")
        })
    };
    view! {
        <div class="checkbar">
            <input
                class="checkbar__name"
                type="text"
                data-testid="check-name"
                aria-label="Check name"
                maxlength="80"
                prop:value=move || doc.name.get()
                on:input=move |ev| {
                    doc.name.set(event_target_value(&ev));
                    doc.edited();
                }
            />
            <span
                class="save-status"
                class:save-status--problem=move || status().is_problem()
                data-testid="save-status"
                title=move || status().label()
                aria-live="polite"
            >
                {move || status().label()}
            </span>
            <select
                class="checkbar__menu"
                aria-label="Open another check"
                inner_html=move || doc.checks.with(|c| check_options(c))
                on:change=move |ev| {
                    let chosen = event_target_value(&ev);
                    if chosen == NEW_CHECK {
                        doc.new_check();
                    } else if !chosen.is_empty() {
                        doc.switch_to(chosen);
                    }
                    // Back to the menu's title.
                    if let Some(select) = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                    {
                        select.set_value("");
                    }
                }
            ></select>
            <select
                class="checkbar__menu checkbar__menu--versions"
                aria-label="Open a version"
                inner_html=move || {
                    doc.versions
                        .with(|v| version_options(v, doc.version.get(), doc.latest.get()))
                }
                on:change=move |ev| {
                    if let Ok(version) = event_target_value(&ev).parse::<u32>() {
                        doc.open_version(version);
                    }
                }
            ></select>
            {move || {
                share_href()
                    .map(|href| {
                        view! {
                            <a
                                class="checkbar__share"
                                data-testid="check-share"
                                href=href
                                target="_blank"
                                rel="noopener"
                                title=share_title
                            >
                                "Share ↗"
                            </a>
                        }
                    })
            }}
        </div>
    }
}

/// The check menu: a title, my checks, and "new check".
pub fn check_options(checks: &[CheckSummary]) -> String {
    let mut m = Markup::new();
    m.element(
        "option",
        &[
            ("value", Some("")),
            ("disabled", Some("")),
            ("selected", Some("")),
        ],
        "Checks…",
    );
    for check in checks {
        m.element("option", &[("value", Some(&check.id))], &check.name);
    }
    m.element("option", &[("value", Some(NEW_CHECK))], "＋ New check");
    m.finish()
}

/// The versions menu, newest first, the open version selected.
pub fn version_options(
    versions: &[CheckVersion],
    open: Option<u32>,
    latest: Option<u32>,
) -> String {
    let mut newest_first: Vec<&CheckVersion> = versions.iter().collect();
    newest_first.sort_by_key(|v| std::cmp::Reverse(v.version));
    let mut m = Markup::new();
    for v in newest_first {
        let value = v.version.to_string();
        let label = if Some(v.version) == latest {
            format!("v{} · latest", v.version)
        } else {
            format!("v{}", v.version)
        };
        let selected = (Some(v.version) == open).then_some("");
        m.element(
            "option",
            &[("value", Some(&value)), ("selected", selected)],
            &label,
        );
    }
    m.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_history_frame_is_lazy_and_titled() {
        let html = history_frame("/explore/history?check=c1&x=<");
        assert!(html.starts_with("<iframe"), "{html}");
        assert!(
            html.contains(r#"src="/explore/history?check=c1&amp;x=&lt;""#),
            "{html}"
        );
        assert!(html.contains(r#"loading="lazy""#), "{html}");
        assert!(html.contains(r#"data-testid="history-frame""#), "{html}");
        assert!(html.contains("title=\"Your runs of this check as charts\""));
    }

    #[test]
    fn menus_list_checks_and_versions() {
        let checks = [CheckSummary {
            id: "c1".into(),
            name: "<classic>".into(),
            version: 2,
            saved_at_ms: 0,
        }];
        let html = check_options(&checks);
        assert!(
            html.contains(r#"<option value="c1">&lt;classic&gt;</option>"#),
            "{html}"
        );
        assert!(html.ends_with("＋ New check</option>"));
        let versions: Vec<CheckVersion> = (1..=3)
            .map(|version| CheckVersion {
                version,
                saved_at_ms: 0,
                bytes: 10,
            })
            .collect();
        let html = version_options(&versions, Some(2), Some(3));
        assert!(
            html.starts_with(r#"<option value="3">v3 · latest</option>"#),
            "{html}"
        );
        assert!(
            html.contains(r#"<option value="2" selected="">v2</option>"#),
            "{html}"
        );
    }
}
