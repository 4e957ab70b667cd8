//! Group-by columns, with add and remove.

use bulbwatch_api::{BREAKDOWNS_MAX, ColumnInfo};
use leptos::prelude::*;

use super::calculations::RemoveButton;
use super::column_select::ColumnSelect;
use super::draft::Draft;

/// The group-by columns.
#[component]
pub fn Breakdowns(
    /// The form.
    draft: RwSignal<Draft>,
    /// The dataset's columns.
    columns: Signal<Vec<ColumnInfo>>,
) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.breakdowns.len()));
    view! {
        <fieldset class="builder__section">
            <legend class="builder__heading">"Group by"</legend>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <div class="builder__row" data-testid="breakdown-row">
                    <ColumnSelect
                        columns=columns
                        value=Signal::derive(move || {
                            draft.with(|d| d.breakdowns.get(i).cloned().unwrap_or_default())
                        })
                        numeric_only=false
                        on_change=Callback::new(move |name: String| {
                            draft
                                .update(|d| {
                                    if let Some(b) = d.breakdowns.get_mut(i) {
                                        *b = name;
                                    }
                                });
                        })
                        testid="breakdown-column"
                        label="Group by column"
                    />
                    <RemoveButton
                        label="Remove this group-by column"
                        on_remove=Callback::new(move |()| {
                            draft
                                .update(|d| {
                                    if i < d.breakdowns.len() {
                                        d.breakdowns.remove(i);
                                    }
                                });
                        })
                    />
                </div>
            </For>
            <button
                type="button"
                class="builder__add"
                data-testid="breakdown-add"
                disabled=move || { count.get() >= BREAKDOWNS_MAX }
                on:click=move |_| draft.update(|d| d.breakdowns.push(String::new()))
            >
                "+ group by"
            </button>
        </fieldset>
    }
}
