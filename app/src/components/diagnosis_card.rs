//! "Your diagnosis": what I think is going on, up to 500 characters with a counter,
//! submitted and revised with one button; the evidence attached from Explore, and
//! whether the facilitator marked it right.

use bulbwatch_api::{DIAGNOSIS_MAX_CHARS, Diagnosis};
use leptos::prelude::*;

use crate::markup::{Markup, class};

/// Whether a diagnosis's text can be sent: 1–500 characters once trimmed.
pub fn text_fits(text: &str) -> bool {
    (1..=DIAGNOSIS_MAX_CHARS).contains(&text.trim().chars().count())
}

/// What is wrong with a diagnosis's text, if anything.
pub fn text_problem(text: &str) -> Option<String> {
    let chars = text.trim().chars().count();
    if chars == 0 {
        Some("Write what you think is going on.".into())
    } else if chars > DIAGNOSIS_MAX_CHARS {
        Some(format!(
            "{} characters too long: at most {DIAGNOSIS_MAX_CHARS}.",
            chars - DIAGNOSIS_MAX_CHARS
        ))
    } else {
        None
    }
}

/// The counter, the button (Submit, Revise; disabled while there is nothing new to
/// send), the status and the evidence link under the field.
pub fn footer_markup(text: &str, diagnosis: Option<&Diagnosis>, submitting: bool) -> String {
    let chars = text.trim().chars().count();
    let mut m = Markup::new();
    let over = if chars > DIAGNOSIS_MAX_CHARS {
        "diagnosis__count diagnosis__count--over"
    } else {
        "diagnosis__count"
    };
    m.element(
        "span",
        &[class(over), ("data-testid", Some("diagnosis-count"))],
        &format!("{chars}/{DIAGNOSIS_MAX_CHARS}"),
    );
    let unchanged = diagnosis.is_some_and(|d| d.text.trim() == text.trim());
    let blocked = submitting || unchanged || !text_fits(text);
    let label = match (submitting, diagnosis.is_some()) {
        (true, _) => "Sending…",
        (false, true) => "Revise",
        (false, false) => "Submit",
    };
    m.element(
        "button",
        &[
            ("type", Some("submit")),
            class("button button--primary diagnosis__submit"),
            ("data-testid", Some("diagnosis-submit")),
            ("disabled", blocked.then_some("")),
        ],
        label,
    );
    let (status_class, status) = match diagnosis {
        None => ("diagnosis__status", "Not submitted yet."),
        Some(d) if d.right => (
            "diagnosis__status diagnosis__status--right",
            "✓ marked right by the facilitator",
        ),
        Some(d) if d.revision > 1 => ("diagnosis__status", "Revised: the board shows it."),
        Some(_) => ("diagnosis__status", "Submitted: the board shows it."),
    };
    m.element(
        "p",
        &[
            class(status_class),
            ("data-testid", Some("diagnosis-status")),
        ],
        status,
    );
    if let Some(href) = diagnosis.and_then(|d| d.evidence.as_deref()) {
        m.element(
            "a",
            &[
                class("diagnosis__evidence"),
                ("data-testid", Some("diagnosis-evidence")),
                ("href", Some(href)),
            ],
            "Evidence: your Explore query ↗",
        );
    }
    m.finish()
}

/// The card; `on_submit` gets the text to submit (the evidence stays as attached).
#[component]
pub fn DiagnosisCard(
    /// My diagnosis as the server has it, if any.
    diagnosis: RwSignal<Option<Diagnosis>>,
    /// Submit (or revise) with this text.
    on_submit: Callback<String>,
    /// A submit is on its way.
    submitting: RwSignal<bool>,
) -> impl IntoView {
    // What I typed; until I type, the server's text (so the facilitator's mark, or a
    // revision from another tab, never undoes typing).
    let typed = RwSignal::new(None::<String>);
    let current = move || {
        typed
            .get()
            .or_else(|| diagnosis.with(|d| d.as_ref().map(|d| d.text.clone())))
            .unwrap_or_default()
    };

    view! {
        <form
            class="card diagnosis"
            data-testid="diagnosis"
            on:submit=move |ev| {
                ev.prevent_default();
                let text = untrack(current);
                if text_fits(&text) {
                    on_submit.run(text.trim().to_string());
                }
            }
        >
            <h2 class="card__title">"Your diagnosis"</h2>
            <textarea
                class="diagnosis__text"
                data-testid="diagnosis-text"
                aria-label="What do you think is going on?"
                placeholder="What do you think is going on?"
                rows="3"
                prop:value=current
                on:input=move |ev| typed.set(Some(event_target_value(&ev)))
            ></textarea>
            <div
                class="diagnosis__foot"
                aria-live="polite"
                inner_html=move || {
                    let text = current();
                    diagnosis.with(|d| footer_markup(&text, d.as_ref(), submitting.get()))
                }
            ></div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_must_be_there_and_not_too_long() {
        assert!(text_problem("  ").is_some());
        assert!(!text_fits("  ") && text_fits("q") && !text_fits(&"x".repeat(501)));
        assert_eq!(text_problem("queue"), None);
        assert_eq!(text_problem(&"é".repeat(500)), None);
        assert_eq!(
            text_problem(&"x".repeat(503)).as_deref(),
            Some("3 characters too long: at most 500.")
        );
    }
}
