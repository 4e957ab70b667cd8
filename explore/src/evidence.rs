//! "Use as evidence": attaches the query on screen (its Explore address,
//! `/explore?q=…`, even when the page was opened at plain `/explore`) to my diagnosis
//! in one click, keeping its text; without a diagnosis yet, a small field to write
//! one, submitted with the query attached.

use bulbwatch_api::{EVIDENCE_MAX_BYTES, SubmitDiagnosis};
use bulbwatch_app::api::room;
use bulbwatch_app::components::diagnosis_card::text_problem;
use bulbwatch_app::contexts::{use_last_error, use_room};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Where the evidence button is.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    /// Ready to attach.
    Idle,
    /// Asking the server.
    Sending,
    /// No diagnosis yet: write one.
    Writing,
    /// Attached.
    Attached,
}

/// The button, the field it may open, and what happened.
#[component]
pub fn UseAsEvidence(
    /// The query's address, `/explore?q=…`.
    #[prop(into)]
    address: String,
) -> impl IntoView {
    let address = StoredValue::new(address);
    let room_state = use_room();
    let errors = use_last_error();
    let step = RwSignal::new(Step::Idle);
    let text = RwSignal::new(String::new());

    let submit = move |text: String, evidence: String| {
        step.set(Step::Sending);
        spawn_local(async move {
            let body = SubmitDiagnosis {
                text,
                evidence: Some(evidence),
            };
            match room::submit_diagnosis(&body).await {
                Ok(diagnosis) => {
                    errors.clear();
                    room_state.set_diagnosis(Some(diagnosis));
                    step.try_set(Step::Attached);
                }
                Err(failure) => {
                    errors.show(failure.message);
                    step.try_set(Step::Idle);
                }
            }
        });
    };
    let attach = move |_| {
        let evidence = address.get_value();
        if evidence.len() > EVIDENCE_MAX_BYTES {
            errors.show(format!(
                "This query's address is {} bytes, longer than the {EVIDENCE_MAX_BYTES} evidence can hold: remove a filter or a breakdown.",
                evidence.len()
            ));
            return;
        }
        step.set(Step::Sending);
        spawn_local(async move {
            // Asked afresh: the diagnosis may have been written in another tab.
            match room::my_diagnosis().await {
                Ok(Some(diagnosis)) => submit(diagnosis.text, evidence),
                Ok(None) => {
                    step.try_set(Step::Writing);
                }
                Err(failure) => {
                    errors.show(failure.message);
                    step.try_set(Step::Idle);
                }
            }
        });
    };
    let send_new = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let typed = text.get_untracked().trim().to_string();
        match text_problem(&typed) {
            Some(problem) => errors.show(problem),
            None => submit(typed, address.get_value()),
        }
    };

    view! {
        <div class="evidence" data-testid="evidence">
            <button
                type="button"
                class="button evidence__button"
                data-testid="use-as-evidence"
                title="Attach this query to your diagnosis, for the facilitator's board"
                disabled=move || step.get() == Step::Sending
                on:click=attach
            >
                "Use as evidence"
            </button>
            {move || match step.get() {
                Step::Attached => {
                    view! {
                        <span class="evidence__done" data-testid="evidence-status" role="status">
                            "attached as evidence ✓"
                        </span>
                    }
                        .into_any()
                }
                Step::Writing => {
                    view! {
                        <form class="evidence__form" on:submit=send_new>
                            <textarea
                                class="evidence__text"
                                data-testid="evidence-diagnosis"
                                aria-label="Your diagnosis"
                                placeholder="No diagnosis yet: what do you think is going on?"
                                rows="2"
                                prop:value=move || text.get()
                                on:input=move |ev| text.set(event_target_value(&ev))
                            ></textarea>
                            <button
                                type="submit"
                                class="button button--primary"
                                data-testid="evidence-submit"
                            >
                                "Submit with this query"
                            </button>
                        </form>
                    }
                        .into_any()
                }
                _ => ().into_any(),
            }}
        </div>
    }
}
