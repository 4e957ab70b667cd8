//! The facilitator's controls, hidden in the presenter view: the queue delay, the
//! instrumentation points, the room switches, the reveal, a new join code and a new
//! session.

use bulbwatch_api::{InstrumentationPoint, QUEUE_DELAY_MAX_MS, RoomSwitch};
use leptos::prelude::*;

/// Reads the queue-delay field: whole milliseconds, 0–2000.
pub fn parse_delay(typed: &str) -> Result<i64, String> {
    let max = QUEUE_DELAY_MAX_MS;
    match typed.trim().parse::<i64>() {
        Ok(ms) if (0..=max).contains(&ms) => Ok(ms),
        _ => Err(format!("The queue delay is whole milliseconds, 0–{max}.")),
    }
}

/// A switch button (`role="switch"`), the look of the page's other switches.
fn switch(
    on: bool,
    label: String,
    testid: &'static str,
    id: String,
    on_toggle: Callback<(String, bool)>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            role="switch"
            class="switch"
            data-testid=testid
            data-id=id.clone()
            aria-checked=on.to_string()
            aria-label=label
            on:click=move |_| on_toggle.run((id.clone(), !on))
        >
            <span class="switch__knob" aria-hidden="true"></span>
        </button>
    }
}

/// The controls.
#[component]
pub fn ConsoleControls(
    /// The bulb's queue delay now, ms.
    #[prop(into)]
    queue_delay_ms: Signal<Option<u32>>,
    /// Set the queue delay.
    on_queue_delay: Callback<i64>,
    /// The instrumentation points.
    #[prop(into)]
    points: Signal<Vec<InstrumentationPoint>>,
    /// Switch a point: `(id, on)`.
    on_point: Callback<(String, bool)>,
    /// The room's switches.
    #[prop(into)]
    switches: Signal<Vec<RoomSwitch>>,
    /// Switch a room switch: `(id, on)`.
    on_switch: Callback<(String, bool)>,
    /// Whether the reveal is shown.
    #[prop(into)]
    revealed: Signal<bool>,
    /// Show (`true`) or hide the reveal.
    on_reveal: Callback<bool>,
    /// Make a new join code.
    on_new_code: Callback<()>,
    /// Ask to start a new session.
    on_new_session: Callback<()>,
) -> impl IntoView {
    let delay_problem = RwSignal::new(None::<String>);
    let on_delay = move |ev: web_sys::Event| match parse_delay(&event_target_value(&ev)) {
        Ok(ms) => {
            delay_problem.set(None);
            on_queue_delay.run(ms);
        }
        Err(problem) => delay_problem.set(Some(problem)),
    };
    let point_rows = move || {
        points
            .get()
            .into_iter()
            .map(|p| {
                let id = p.id.clone();
                view! {
                    <li class="control-list__item" data-testid="console-point" data-point-id=id>
                        <span class="control-list__title">{p.title.clone()}</span>
                        {switch(p.on, p.title, "console-point-toggle", p.id, on_point)}
                    </li>
                }
            })
            .collect_view()
    };
    let switch_rows = move || {
        switches
            .get()
            .into_iter()
            .map(|s| {
                let id = s.id.clone();
                view! {
                    <li class="control-list__item" data-testid="room-switch" data-switch-id=id>
                        <span class="control-list__text">
                            <span class="control-list__title">{s.title.clone()}</span>
                            <span class="control-list__description">{s.description}</span>
                        </span>
                        {switch(s.on, s.title, "room-switch-toggle", s.id, on_switch)}
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <section class="controls" data-testid="console-controls" aria-label="Room controls">
            <div class="card controls__card">
                <h2 class="card__title">"Bulb service"</h2>
                <label class="field-label" for="queue-delay">
                    "Queue delay, ms (0–2000)"
                </label>
                <div class="controls__row">
                    <input
                        id="queue-delay"
                        class="text-input controls__delay"
                        type="number"
                        min="0"
                        max=QUEUE_DELAY_MAX_MS
                        step="50"
                        data-testid="queue-delay-input"
                        aria-invalid=move || delay_problem.with(Option::is_some).to_string()
                        prop:value=move || queue_delay_ms.get().map(|ms| ms.to_string()).unwrap_or_default()
                        on:change=on_delay
                    />
                    <span class="muted">"applies on Enter"</span>
                </div>
                {move || delay_problem.get().map(|p| view! { <p class="controls__problem" role="alert">{p}</p> })}
                <h2 class="card__title controls__subtitle">"Room switches"</h2>
                <ul class="control-list">{switch_rows}</ul>
            </div>
            <div class="card controls__card">
                <h2 class="card__title">"Instrumentation points"</h2>
                <ul class="control-list">{point_rows}</ul>
            </div>
            <div class="card controls__card">
                <h2 class="card__title">"Room"</h2>
                <div class="controls__buttons">
                    <button
                        type="button"
                        class="button"
                        class:button--primary=move || !revealed.get()
                        data-testid="reveal-toggle"
                        aria-pressed=move || revealed.get().to_string()
                        on:click=move |_| on_reveal.run(!revealed.get_untracked())
                    >
                        {move || if revealed.get() { "Hide the reveal" } else { "Reveal the answer" }}
                    </button>
                    <button
                        type="button"
                        class="button"
                        data-testid="new-join-code"
                        on:click=move |_| on_new_code.run(())
                    >
                        "New join code"
                    </button>
                    <button
                        type="button"
                        class="button controls__danger"
                        data-testid="new-session"
                        on:click=move |_| on_new_session.run(())
                    >
                        "Start a new session…"
                    </button>
                </div>
                <p class="hint">"Joined attendees stay joined when the code changes."</p>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_is_whole_milliseconds_in_range() {
        assert_eq!(parse_delay(" 1500 "), Ok(1500));
        assert_eq!(parse_delay("0"), Ok(0));
        assert!(parse_delay("2001").is_err());
        assert!(parse_delay("-1").is_err());
        assert!(parse_delay("1.5").is_err());
    }
}
