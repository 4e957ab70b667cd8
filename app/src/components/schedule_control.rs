//! "Run every N s": a switch and the interval, with what is wrong with the interval.

use leptos::prelude::*;

use crate::checks::schedule::{INTERVAL_MAX_S, INTERVAL_MIN_S};

/// The schedule's switch (calls `on_toggle`) and its interval field.
#[component]
pub fn ScheduleControl(
    /// Whether the schedule is on.
    #[prop(into)]
    on: Signal<bool>,
    /// The switch was pressed.
    on_toggle: Callback<()>,
    /// The interval field's text, seconds.
    interval: RwSignal<String>,
    /// What is wrong with the interval, if anything.
    #[prop(into)]
    problem: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="schedule">
            <button
                type="button"
                role="switch"
                class="switch"
                data-testid="schedule-toggle"
                aria-checked=move || on.get().to_string()
                aria-label="Run on a schedule"
                on:click=move |_| on_toggle.run(())
            >
                <span class="switch__knob" aria-hidden="true"></span>
            </button>
            <label class="schedule__label" for="schedule-interval">
                "Run every"
            </label>
            <input
                id="schedule-interval"
                class="schedule__interval"
                class:invalid=move || problem.with(Option::is_some)
                type="number"
                inputmode="numeric"
                min=INTERVAL_MIN_S
                max=INTERVAL_MAX_S
                step="1"
                data-testid="schedule-interval"
                aria-invalid=move || problem.with(Option::is_some).to_string()
                bind:value=interval
            />
            <span class="schedule__unit">"s"</span>
            {move || {
                problem
                    .get()
                    .map(|problem| {
                        view! {
                            <p class="schedule__problem" data-testid="schedule-problem" role="alert">
                                {problem}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
