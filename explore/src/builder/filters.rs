//! Filter rows — column, operator, value (a comma-separated list for `in`/`not-in`,
//! none for `exists`) — and how they combine (AND / OR).

use bulbwatch_api::{ColumnInfo, ColumnType, FILTERS_MAX, FilterCombination, FilterOp};
use bulbwatch_app::contexts::{CurrentAttendee, MeState};
use leptos::prelude::*;

use super::choice_select::{ChoiceSelect, same_labels};
use super::column_select::ColumnSelect;
use super::draft::Draft;
use super::filter_row::FilterRow;
use super::ops::{FILTER_OPS, from_wire, needs_value, takes_list};
use super::rows::{RemoveButton, edit_row};
use crate::query_url::ATTENDEE_COLUMN;

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
    let set_combination = Callback::new(move |text: String| {
        let value = from_wire::<FilterCombination>(&text);
        draft.update(|d| d.combination = value);
    });
    view! {
        <fieldset class="builder__section">
            <legend class="builder__heading">"Where"</legend>
            <Show when=move || { count.get() >= 2 }>
                <label class="builder__inline">
                    <ChoiceSelect
                        class="builder__select builder__combination"
                        testid="filter-combination"
                        label="How the filters combine"
                        choices=Signal::stored(
                            vec![
                                ("AND".to_owned(), "all of (AND)".to_owned()),
                                ("OR".to_owned(), "any of (OR)".to_owned()),
                            ],
                        )
                        value=Signal::derive(move || {
                            let or = combination.get() == Some(FilterCombination::Or);
                            (if or { "OR" } else { "AND" }).to_owned()
                        })
                        on_change=set_combination
                    />
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

/// The draft's filters.
fn filters(d: &mut Draft) -> &mut Vec<FilterRow> {
    &mut d.filters
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
    let set_column =
        Callback::new(move |name: String| edit_row(draft, filters, i, |r| r.column = name));
    let set_op = Callback::new(move |text: String| {
        if let Some(new) = from_wire::<FilterOp>(&text) {
            edit_row(draft, filters, i, |r| r.op = new);
        }
    });
    let set_value = move |ev| {
        let text = event_target_value(&ev);
        edit_row(draft, filters, i, |r| r.value = text);
    };
    // An attendee id reads as nothing to people: say when it is mine.
    let me = use_context::<CurrentAttendee>();
    let is_me = move || {
        let Some(me) = me else { return false };
        column.get() == ATTENDEE_COLUMN
            && op.get() == FilterOp::Eq
            && me.0.with(|state| match state {
                MeState::Joined(attendee) => {
                    row.with(|r| r.as_ref().is_some_and(|r| r.value.trim() == attendee.id))
                }
                _ => false,
            })
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
            <ChoiceSelect
                class="builder__select builder__op"
                testid="filter-op"
                label="Test"
                choices=Signal::stored(same_labels(FILTER_OPS.iter().map(|o| o.as_str())))
                value=Signal::derive(move || op.get().as_str().to_owned())
                on_change=set_op
            />
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
            <Show when=is_me>
                <span class="builder__you" data-testid="filter-is-me">"that is you"</span>
            </Show>
            <RemoveButton label="Remove this filter" draft=draft list=filters i=i />
        </div>
    }
}
