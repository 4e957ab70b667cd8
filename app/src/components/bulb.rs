//! The bulb, drawn in its current colour with a glow; unlit while it is switched off
//! or until its colour is known.

use leptos::prelude::*;

/// Glass colour before the first state arrives.
pub const UNLIT: &str = "#3a4152";

/// The bulb glowing `hex` (`#rrggbb`), or unlit while `None`.
#[component]
pub fn Bulb(
    /// The colour to draw.
    #[prop(into)]
    hex: Signal<Option<String>>,
) -> impl IntoView {
    let fill = move || hex.get().unwrap_or_else(|| UNLIT.to_string());
    let label = move || match hex.get() {
        Some(hex) => format!("The bulb, glowing {hex}"),
        None => "The bulb, dark".to_string(),
    };
    view! {
        <div
            class="bulb"
            class:lit=move || hex.with(Option::is_some)
            data-testid="bulb"
            data-hex=move || hex.get()
            style=move || format!("--bulb-colour: {}", fill())
        >
            <div class="bulb__halo" aria-hidden="true"></div>
            <svg class="bulb__art" viewBox="0 0 200 300" role="img" aria-label=label>
                <path
                    class="bulb__glass"
                    fill=fill
                    d="M 62 206 C 62 170, 20 150, 20 100 A 80 80 0 1 1 180 100 C 180 150, 138 170, 138 206 Z"
                ></path>
                <path
                    class="bulb__filament"
                    d="M 86 206 L 86 150 Q 93 134 100 150 Q 107 166 114 150 L 114 206"
                ></path>
                <path class="bulb__shine" d="M 48 96 A 52 52 0 0 1 92 46"></path>
                <rect class="bulb__collar" x="60" y="208" width="80" height="16" rx="6"></rect>
                <rect class="bulb__thread" x="64" y="228" width="72" height="12" rx="6"></rect>
                <rect class="bulb__thread" x="64" y="244" width="72" height="12" rx="6"></rect>
                <path class="bulb__tip" d="M 76 260 L 124 260 L 112 282 Q 100 290 88 282 Z"></path>
            </svg>
        </div>
    }
}
