//! Under the bulb: what colour it is, who set it and when, and how long the queue is.
//! The words follow the bulb's glow: a new colour is named once the bulb has finished
//! fading to it, not while it still shows the old one.

use std::time::Duration;

use bulbwatch_api::BulbState;
use leptos::prelude::*;

use crate::components::bulb::UNLIT;
use crate::display::{SetByLine, glow, ink_for, queue_words};

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
    let state = glow_paced(state);
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
            let hex = glow(state).unwrap_or_else(|| UNLIT.to_string());
            let chip_style = format!("background: {hex}; color: {}", ink_for(&hex).css());
            view! {
                "Set to " <span class="chip" style=chip_style>{colour}</span>
                {by.map(|name| view! { " by " <strong class="setter">{name}</strong> })}
                {when.map(|when| view! { " · " <span class="when">{when}</span> })}
            }
            .into_any()
        }
    }
}

/// How long the bulb takes to fade to a new colour (`transition: --bulb-colour 600ms`
/// in style/main.css).
pub const BULB_FADE: Duration = Duration::from_millis(600);

/// `state`, with a change of colour held back until the bulb has faded to it (the
/// first state, and changes that keep the colour, pass at once).
fn glow_paced(state: Signal<Option<BulbState>>) -> Signal<Option<BulbState>> {
    let shown = RwSignal::new(state.get_untracked());
    // The state waiting for the fade to end, and which timer will show it.
    let pending = StoredValue::new(None::<BulbState>);
    let generation = StoredValue::new(0_u64);
    let hex_of = |s: &Option<BulbState>| s.as_ref().map(|s| s.hex.clone());
    Effect::new(move |_| {
        let next = state.get();
        let next_hex = hex_of(&next);
        let now_hex = shown.with_untracked(hex_of);
        // No fade to wait for: the first state, the same colour, no state, or a
        // browser asked for no motion (the bulb then changes at once).
        if now_hex.is_none() || now_hex == next_hex || next.is_none() || reduced_motion() {
            generation.update_value(|g| *g += 1);
            pending.set_value(None);
            shown.set(next);
            return;
        }
        let Some(next) = next else { return };
        if pending.with_value(Option::is_some) {
            // A fade is under way: its timer shows the newest state when it ends. (A
            // new timer per colour would never fire while changes come faster than
            // the fade, as a busy room's queue does every 0.4 s.)
            pending.set_value(Some(next));
            return;
        }
        pending.set_value(Some(next));
        generation.update_value(|g| *g += 1);
        let g = generation.get_value();
        set_timeout(
            move || {
                if generation.try_get_value() == Some(g)
                    && let Some(next) = pending.try_update_value(Option::take).flatten()
                {
                    shown.try_set(Some(next));
                }
            },
            BULB_FADE,
        );
    });
    shown.into()
}

/// Whether the browser asks for reduced motion (`style/main.css` then drops the fade).
fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}
