//! The builder's one kind of select: `(value, label)` choices, the current one selected,
//! and the chosen value handed on as its text.

use leptos::prelude::*;

/// A select over `choices`, showing `value`; `on_change` gets the chosen value.
#[component]
pub fn ChoiceSelect(
    /// Its CSS classes.
    class: &'static str,
    /// The test id.
    testid: &'static str,
    /// What the select is for, for screen readers.
    label: &'static str,
    /// `(value, label)` per option, in order.
    #[prop(into)]
    choices: Signal<Vec<(String, String)>>,
    /// The chosen value.
    #[prop(into)]
    value: Signal<String>,
    /// A value was chosen.
    on_change: Callback<String>,
) -> impl IntoView {
    let options = move || {
        choices
            .get()
            .into_iter()
            .map(|(v, text)| {
                let selected = v.clone();
                view! {
                    <option value=v prop:selected=move || value.with(|now| *now == selected)>
                        {text}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <select
            class=class
            data-testid=testid
            aria-label=label
            prop:value=move || value.get()
            on:change=move |ev| on_change.run(event_target_value(&ev))
        >
            {options}
        </select>
    }
}

/// Choices whose values are their labels.
pub fn same_labels<S: ToString>(values: impl IntoIterator<Item = S>) -> Vec<(String, String)> {
    values
        .into_iter()
        .map(|v| (v.to_string(), v.to_string()))
        .collect()
}
