//! Calculation rows: an operator and, for all but COUNT, a column (numeric columns only
//! for SUM, AVG, MIN, MAX, the percentiles and HEATMAP).

use bulbwatch_api::{CALCULATIONS_MAX, CalcOp, ColumnInfo};
use leptos::prelude::*;

use super::choice_select::{ChoiceSelect, same_labels};
use super::column_select::ColumnSelect;
use super::draft::{CalcRow, Draft};
use super::ops::{CALC_OPS, from_wire};
use super::rows::{RemoveButton, edit_row};

/// The calculations, with add and remove.
#[component]
pub fn Calculations(
    /// The form.
    draft: RwSignal<Draft>,
    /// The dataset's columns.
    columns: Signal<Vec<ColumnInfo>>,
) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.calculations.len()));
    let add = move |_| {
        draft.update(|d| {
            d.calculations.push(CalcRow::count());
        });
    };
    view! {
        <fieldset class="builder__section">
            <legend class="builder__heading">"Calculate"</legend>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <CalcRowView draft=draft columns=columns i=i />
            </For>
            <button
                type="button"
                class="builder__add"
                data-testid="calc-add"
                disabled=move || { count.get() >= CALCULATIONS_MAX }
                on:click=add
            >
                "+ calculation"
            </button>
        </fieldset>
    }
}

/// The draft's calculations.
fn calculations(d: &mut Draft) -> &mut Vec<CalcRow> {
    &mut d.calculations
}

/// One calculation row.
#[component]
fn CalcRowView(
    draft: RwSignal<Draft>,
    columns: Signal<Vec<ColumnInfo>>,
    i: usize,
) -> impl IntoView {
    let op =
        Memo::new(move |_| draft.with(|d| d.calculations.get(i).map_or(CalcOp::Count, |c| c.op)));
    let column = Signal::derive(move || {
        draft.with(|d| {
            d.calculations
                .get(i)
                .map(|c| c.column.clone())
                .unwrap_or_default()
        })
    });
    let numeric = Signal::derive(move || op.get().is_numeric());
    let set_op = Callback::new(move |text: String| {
        if let Some(new) = from_wire::<CalcOp>(&text) {
            edit_row(draft, calculations, i, |c| c.op = new);
        }
    });
    let set_column = Callback::new(move |name: String| {
        edit_row(draft, calculations, i, |c| c.column = name);
    });
    view! {
        <div class="builder__row" data-testid="calc-row">
            <ChoiceSelect
                class="builder__select builder__op"
                testid="calc-op"
                label="Calculation"
                choices=Signal::stored(same_labels(CALC_OPS.iter().map(|o| o.as_str())))
                value=Signal::derive(move || op.get().as_str().to_owned())
                on_change=set_op
            />
            <Show when=move || op.get() != CalcOp::Count>
                <ColumnSelect
                    columns=columns
                    value=column
                    numeric_only=numeric
                    on_change=set_column
                    testid="calc-column"
                    label="Column calculated"
                />
            </Show>
            <RemoveButton label="Remove this calculation" draft=draft list=calculations i=i />
        </div>
    }
}
