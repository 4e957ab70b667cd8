//! "Your diagnosis": what I think is going on, up to 500 characters with a counter,
//! submitted and revised with one button; the evidence attached from Explore, and
//! whether the facilitator marked it right.

use bulbwatch_api::{DIAGNOSIS_MAX_CHARS, Diagnosis};
use leptos::prelude::*;

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

/// The card; `on_submit` gets the text to submit (the evidence stays as attached).
#[component]
pub fn DiagnosisCard(
    /// My diagnosis as the server has it, if any.
    #[prop(into)]
    diagnosis: Signal<Option<Diagnosis>>,
    /// Submit (or revise) with this text.
    on_submit: Callback<String>,
    /// A submit is on its way.
    #[prop(into)]
    submitting: Signal<bool>,
) -> impl IntoView {
    let text = RwSignal::new(String::new());
    // The server's text fills the field when it arrives or changes (not when only
    // the facilitator's mark changed: that would undo typing).
    Effect::new(move |previous: Option<Option<String>>| {
        let now = diagnosis.with(|d| d.as_ref().map(|d| d.text.clone()));
        if previous.as_ref() != Some(&now)
            && let Some(server_text) = &now
        {
            text.set(server_text.clone());
        }
        now
    });
    let count = move || text.with(|t| t.trim().chars().count());
    let over = move || count() > DIAGNOSIS_MAX_CHARS;
    let unchanged = move || {
        diagnosis.with(|d| d.as_ref().map(|d| d.text.trim().to_string()))
            == Some(text.with(|t| t.trim().to_string()))
    };
    let status = move || {
        diagnosis.with(|d| match d {
            None => "Not submitted yet.".to_string(),
            Some(d) if d.right => "✓ marked right by the facilitator".to_string(),
            Some(d) if d.revision > 1 => format!("Submitted · revision {}.", d.revision),
            Some(_) => "Submitted.".to_string(),
        })
    };
    let evidence = move || diagnosis.with(|d| d.as_ref().and_then(|d| d.evidence.clone()));

    view! {
        <form
            class="card diagnosis"
            data-testid="diagnosis"
            on:submit=move |ev| {
                ev.prevent_default();
                if text_problem(&text.get_untracked()).is_none() {
                    on_submit.run(text.get_untracked().trim().to_string());
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
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            ></textarea>
            <div class="diagnosis__row">
                <span
                    class="diagnosis__count"
                    class:diagnosis__count--over=over
                    data-testid="diagnosis-count"
                >
                    {move || format!("{}/{DIAGNOSIS_MAX_CHARS}", count())}
                </span>
                <button
                    type="submit"
                    class="button button--primary"
                    data-testid="diagnosis-submit"
                    disabled=move || {
                        submitting.get() || text.with(|t| text_problem(t).is_some()) || unchanged()
                    }
                >
                    {move || match (submitting.get(), diagnosis.with(Option::is_some)) {
                        (true, _) => "Sending…",
                        (false, true) => "Revise",
                        (false, false) => "Submit",
                    }}
                </button>
            </div>
            <p
                class="diagnosis__status"
                class:diagnosis__status--right=move || diagnosis.with(|d| d.as_ref().is_some_and(|d| d.right))
                data-testid="diagnosis-status"
                aria-live="polite"
            >
                {status}
            </p>
            {move || {
                evidence()
                    .map(|href| {
                        view! {
                            <a class="diagnosis__evidence" data-testid="diagnosis-evidence" href=href>
                                "Evidence: your Explore query ↗"
                            </a>
                        }
                    })
            }}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_must_be_there_and_not_too_long() {
        assert!(text_problem("  ").is_some());
        assert_eq!(text_problem("queue"), None);
        assert_eq!(text_problem(&"é".repeat(500)), None);
        assert_eq!(
            text_problem(&"x".repeat(503)).as_deref(),
            Some("3 characters too long: at most 500.")
        );
    }
}
