//! Under the bulb: what colour it is, who set it and when, and how long the queue is.

use bulbwatch_api::BulbState;
use leptos::prelude::*;

use crate::display::{SetByLine, ink_for, queue_words};

/// Who set the bulb, to what and when (as of `now_ms`), and the queue behind it.
#[component]
pub fn BulbCaption(
    /// The bulb state, `None` until the first live event.
    #[prop(into)]
    state: Signal<Option<BulbState>>,
    /// Now, in milliseconds since the Unix epoch.
    #[prop(into)]
    now_ms: Signal<i64>,
) -> impl IntoView {
    let set_by = move || {
        state.with(|s| match s {
            None => view! { <span class="muted">"Waiting for the bulb…"</span> }.into_any(),
            Some(s) => set_by_view(SetByLine::new(s, now_ms.get()), s),
        })
    };
    let queue_length = move || state.with(|s| s.as_ref().map_or(0, |s| s.queue_length));
    let words = move || {
        state.with(|s| {
            s.as_ref().map_or_else(String::new, |s| {
                queue_words(s.queue_length, s.queue_delay_ms)
            })
        })
    };
    view! {
        <div class="caption">
            <p class="caption__set-by" data-testid="bulb-set-by">{set_by}</p>
            <p class="caption__queue">
                "Queue: " <strong data-testid="queue-length">{queue_length}</strong> " " {words}
            </p>
        </div>
    }
}

fn set_by_view(line: SetByLine, state: &BulbState) -> AnyView {
    match line {
        SetByLine::NeverSet => {
            view! { "Nobody has changed the bulb yet — pick a colour to be the first." }.into_any()
        }
        SetByLine::Set { colour, by, when } => {
            let chip_style = format!(
                "background: {}; color: {}",
                state.hex,
                ink_for(&state.hex).css()
            );
            view! {
                "Set to " <span class="chip" style=chip_style>{colour}</span>
                {by.map(|name| view! { " by " <strong class="setter">{name}</strong> })}
                {when.map(|when| view! { " · " <span class="when">{when}</span> })}
            }
            .into_any()
        }
    }
}
