//! The phase stepper: every phase in the workshop's order, the current one marked;
//! a click asks to move there.

use bulbwatch_api::Phase;
use leptos::prelude::*;

/// The steps; `on_pick` gets the phase clicked.
#[component]
pub fn PhaseStepper(
    /// The room's phase, once known.
    #[prop(into)]
    phase: Signal<Option<Phase>>,
    /// A step was clicked.
    on_pick: Callback<Phase>,
) -> impl IntoView {
    let steps = Phase::ALL
        .into_iter()
        .enumerate()
        .map(|(k, step)| {
            let current = move || phase.get() == Some(step);
            view! {
                <li class="stepper__item">
                    <button
                        type="button"
                        class="stepper__step"
                        class:stepper__step--current=current
                        class:stepper__step--done=move || {
                            phase.get().is_some_and(|p| Phase::ALL.iter().position(|x| *x == p) > Some(k))
                        }
                        data-testid=format!("phase-step-{}", step.key())
                        aria-current=move || current().then_some("step")
                        on:click=move |_| on_pick.run(step)
                    >
                        <span class="stepper__number">{k + 1}</span>
                        <span class="stepper__title">{step.title()}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <ol class="stepper" aria-label="Workshop phases" data-testid="phase-stepper">
            {steps}
        </ol>
    }
}
