//! Filter rows — column, operator, value (a comma-separated list for `in`/`not-in`,
//! none for `exists`) — and how they combine (AND / OR).

use bulbwatch_api::{ColumnInfo, ColumnType, FILTERS_MAX, FilterCombination, FilterOp};
use leptos::prelude::*;

use super::calculations::RemoveButton;
use super::column_select::ColumnSelect;
use super::draft::{Draft, FILTER_OPS, FilterRow, from_wire, needs_value, takes_list};

/// The filters, with add, remove and AND/OR.
#[component]
pub fn Filters(
    /// The form.
    draft: RwSignal<Draft>,
    /// The dataset's columns.
    columns: Signal<Vec<ColumnInfo>>,
) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.filters.len()));
    let combination = Memo::new(move |_| draft.with(|d| d.combination));
    let set_combination = move |ev| {
        let value = from_wire::<FilterCombination>(&event_target_value(&ev));
        draft.update(|d| d.combination = value);
    };
    view! {
        <fieldset class="builder__section">
            <legend class="builder__heading">"Where"</legend>
            <Show when=move || { count.get() >= 2 }>
                <label class="builder__inline">
                    <select
                        class="builder__select builder__combination"
                        data-testid="filter-combination"
                        aria-label="How the filters combine"
                        prop:value=move || {
                            if combination.get() == Some(FilterCombination::Or) { "OR" } else { "AND" }
                        }
                        on:change=set_combination
                    >
                        <option
                            value="AND"
                            prop:selected=move || combination.get() != Some(FilterCombination::Or)
                        >
                            "all of (AND)"
                        </option>
                        <option
                            value="OR"
                            prop:selected=move || combination.get() == Some(FilterCombination::Or)
                        >
                            "any of (OR)"
                        </option>
                    </select>
                </label>
            </Show>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <FilterRowView draft=draft columns=columns i=i />
            </For>
            <button
                type="button"
                class="builder__add"
                data-testid="filter-add"
                disabled=move || { count.get() >= FILTERS_MAX }
                on:click=move |_| draft.update(|d| d.filters.push(FilterRow::blank()))
            >
                "+ filter"
            </button>
        </fieldset>
    }
}

/// A hint for the value field, from the operator and the column's type.
fn placeholder(op: FilterOp, column_type: Option<ColumnType>) -> &'static str {
    match (takes_list(op), column_type) {
        (true, Some(ColumnType::Integer | ColumnType::Float)) => "1, 2, 3",
        (true, _) => "red, green",
        (false, Some(ColumnType::Integer | ColumnType::Float)) => "a number",
        (false, Some(ColumnType::Boolean)) => "true or false",
        (false, _) => "value",
    }
}

/// One filter row.
#[component]
fn FilterRowView(
    draft: RwSignal<Draft>,
    columns: Signal<Vec<ColumnInfo>>,
    i: usize,
) -> impl IntoView {
    let row = Memo::new(move |_| draft.with(|d| d.filters.get(i).cloned()));
    let column = Signal::derive(move || {
        row.with(|r| r.as_ref().map(|r| r.column.clone()).unwrap_or_default())
    });
    let op = Memo::new(move |_| row.with(|r| r.as_ref().map_or(FilterOp::Eq, |r| r.op)));
    let value = move || row.with(|r| r.as_ref().map(|r| r.value.clone()).unwrap_or_default());
    let column_type = move || {
        let name = column.get();
        columns.with(|cols| cols.iter().find(|c| c.name == name).map(|c| c.column_type))
    };
    let edit = move |f: Box<dyn FnOnce(&mut FilterRow)>| {
        draft.update(|d| {
            if let Some(row) = d.filters.get_mut(i) {
                f(row);
            }
        });
    };
    let set_column = Callback::new(move |name: String| edit(Box::new(move |r| r.column = name)));
    let set_op = move |ev| {
        if let Some(new) = from_wire::<FilterOp>(&event_target_value(&ev)) {
            edit(Box::new(move |r| r.op = new));
        }
    };
    let set_value = move |ev| {
        let text = event_target_value(&ev);
        edit(Box::new(move |r| r.value = text));
    };
    let remove = Callback::new(move |()| {
        draft.update(|d| {
            if i < d.filters.len() {
                d.filters.remove(i);
            }
        });
    });
    let ops = move || {
        FILTER_OPS
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
        <div class="builder__row builder__row--filter" data-testid="filter-row">
            <ColumnSelect
                columns=columns
                value=column
                numeric_only=false
                on_change=set_column
                testid="filter-column"
                label="Column filtered"
            />
            <select
                class="builder__select builder__op"
                data-testid="filter-op"
                aria-label="Test"
                prop:value=move || op.get().as_str()
                on:change=set_op
            >
                {ops}
            </select>
            <Show when=move || needs_value(op.get())>
                <input
                    class="builder__input builder__value"
                    type="text"
                    data-testid="filter-value"
                    aria-label="Value"
                    placeholder=move || placeholder(op.get(), column_type())
                    prop:value=value
                    on:input=set_value
                />
            </Show>
            <RemoveButton label="Remove this filter" on_remove=remove />
        </div>
    }
}
