//! Group-by columns, with add and remove.

use bulbwatch_api::{BREAKDOWNS_MAX, ColumnInfo};
use leptos::prelude::*;

use super::column_select::ColumnSelect;
use super::draft::Draft;
use super::rows::{RemoveButton, edit_row};

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
                            edit_row(draft, breakdowns, i, |b| *b = name);
                        })
                        testid="breakdown-column"
                        label="Group by column"
                    />
                    <RemoveButton
                        label="Remove this group-by column"
                        draft=draft
                        list=breakdowns
                        i=i
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

/// The draft's group-by columns.
fn breakdowns(d: &mut Draft) -> &mut Vec<String> {
    &mut d.breakdowns
}
