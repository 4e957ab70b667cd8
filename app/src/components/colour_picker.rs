//! The colour picker: one swatch button per named colour, plus any custom colour.

use bulbwatch_api::NAMED_COLOURS;
use leptos::prelude::*;

/// Starting value of the custom colour input.
pub const DEFAULT_CUSTOM: &str = "#ff6a3d";

/// Swatches for the named colours and a custom colour; `on_pick` gets the colour to ask
/// for (a name such as `"red"`, or `#rrggbb`). `current` highlights the bulb's colour.
#[component]
pub fn ColourPicker(
    /// Called with the chosen colour.
    on_pick: Callback<String>,
    /// The colour the bulb shows now, as asked for (name or hex).
    #[prop(into, optional)]
    current: MaybeProp<String>,
) -> impl IntoView {
    let custom = RwSignal::new(DEFAULT_CUSTOM.to_string());
    let swatches = NAMED_COLOURS
        .iter()
        .map(|&(name, hex)| {
            let pressed = move || current.with(|c| c.as_deref() == Some(name));
            view! {
                <button
                    type="button"
                    class="swatch"
                    data-colour=name
                    aria-pressed=move || pressed().to_string()
                    on:click=move |_| on_pick.run(name.to_string())
                >
                    <span class="swatch__dot" style=format!("background: {hex}")></span>
                    <span class="swatch__label">{name}</span>
                </button>
            }
        })
        .collect_view();
    view! {
        <div class="picker" data-testid="colour-picker">
            <div class="picker__swatches">{swatches}</div>
            <div class="picker__custom">
                <label class="picker__custom-label">
                    <input
                        type="color"
                        data-testid="colour-input"
                        prop:value=move || custom.get()
                        on:input=move |ev| custom.set(event_target_value(&ev))
                    />
                    <span>"Any colour: " <code>{move || custom.get()}</code></span>
                </label>
                <button
                    type="button"
                    class="button"
                    data-testid="colour-custom-set"
                    on:click=move |_| on_pick.run(custom.get())
                >
                    "Set this colour"
                </button>
            </div>
        </div>
    }
}
