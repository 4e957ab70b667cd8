//! Calculation rows: an operator and, for all but COUNT, a column (numeric columns only
//! for SUM, AVG, MIN, MAX, the percentiles and HEATMAP).

use bulbwatch_api::{CALCULATIONS_MAX, CalcOp, ColumnInfo};
use leptos::prelude::*;

use super::column_select::ColumnSelect;
use super::draft::{CALC_OPS, CalcRow, Draft, from_wire};

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
            d.calculations.push(CalcRow {
                op: CalcOp::Count,
                column: String::new(),
            });
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
    let set_op = move |ev| {
        if let Some(new) = from_wire::<CalcOp>(&event_target_value(&ev)) {
            draft.update(|d| {
                if let Some(c) = d.calculations.get_mut(i) {
                    c.op = new;
                }
            });
        }
    };
    let set_column = Callback::new(move |name: String| {
        draft.update(|d| {
            if let Some(c) = d.calculations.get_mut(i) {
                c.column = name;
            }
        });
    });
    let remove = move |_| {
        draft.update(|d| {
            if i < d.calculations.len() {
                d.calculations.remove(i);
            }
        });
    };
    let ops = move || {
        CALC_OPS
            .iter()
            .map(|o| {
                view! {
                    <option value=o.as_str() prop:selected=move || op.get() == *o>
                        {o.as_str()}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="builder__row" data-testid="calc-row">
            <select
                class="builder__select builder__op"
                data-testid="calc-op"
                aria-label="Calculation"
                prop:value=move || op.get().as_str()
                on:change=set_op
            >
                {ops}
            </select>
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
            <RemoveButton label="Remove this calculation" on_remove=Callback::new(remove) />
        </div>
    }
}

/// The "×" that removes a row.
#[component]
pub fn RemoveButton(
    /// What it removes, for screen readers.
    label: &'static str,
    /// Pressed.
    on_remove: Callback<()>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="builder__remove"
            aria-label=label
            title=label
            on:click=move |_| on_remove.run(())
        >
            "×"
        </button>
    }
}
