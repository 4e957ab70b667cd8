//! The room's phase under the top bar: its name and the one line of what to do now
//! (from `bulbwatch_api::prompt`, sharpened by what the attendee has done). Absent
//! until the phase is known.

use bulbwatch_api::{AttendeeProgress, Phase, prompt};
use leptos::prelude::*;

/// The phase and its prompt.
#[component]
pub fn PhaseBanner(
    /// The room's phase, once known.
    #[prop(into)]
    phase: Signal<Option<Phase>>,
    /// What the attendee has done so far.
    #[prop(into)]
    progress: Signal<AttendeeProgress>,
) -> impl IntoView {
    move || {
        phase.get().map(|phase| {
            view! {
                <div
                    class="phase-banner"
                    data-testid="phase-banner"
                    data-phase=phase.key()
                    role="status"
                    aria-live="polite"
                >
                    <span class="phase-banner__title" data-testid="phase-title">
                        {phase.title()}
                    </span>
                    <span class="phase-banner__prompt" data-testid="phase-prompt">
                        {move || prompt(phase, progress.get())}
                    </span>
                </div>
            }
        })
    }
}
