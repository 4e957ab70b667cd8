//! Which groups come first and how many: orderings (by a calculation or a group
//! column, ascending or descending), the limit, and havings (keep a group only if a
//! calculation passes a test).

use bulbwatch_api::{HavingOp, QUERY_LIMIT_DEFAULT, QUERY_LIMIT_MAX, SortOrder};
use leptos::prelude::*;

use super::choice_select::{ChoiceSelect, same_labels};
use super::draft::{Draft, HavingRow, OrderRow, order_target};
use super::ops::{HAVING_OPS, from_wire, having_op_str};
use super::rows::{RemoveButton, edit_row};

/// What the form lets one order by: `(select value, label)`, calculations first.
pub fn order_choices(d: &Draft) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = d
        .calc_keys()
        .into_iter()
        .map(|k| (order_target(Some(&k), ""), k))
        .collect();
    out.extend(
        d.breakdowns
            .iter()
            .filter(|b| !b.is_empty())
            .map(|b| (order_target(None, b), format!("group: {b}"))),
    );
    out
}

/// The choices of a select, the current value first when it is not among them.
fn with_current(mut choices: Vec<(String, String)>, current: String) -> Vec<(String, String)> {
    if !choices.iter().any(|(v, _)| *v == current) {
        let label = if current.is_empty() {
            "choose…".to_owned()
        } else {
            current.clone()
        };
        choices.insert(0, (current, label));
    }
    choices
}

/// The orderings.
#[component]
pub fn Orders(
    /// The form.
    draft: RwSignal<Draft>,
) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.orders.len()));
    let add = move |_| {
        draft.update(|d| {
            let target = order_choices(d)
                .first()
                .map(|(v, _)| v.clone())
                .unwrap_or_default();
            d.orders.push(OrderRow {
                target,
                order: Some(SortOrder::Descending),
            });
        });
    };
    view! {
        <fieldset class="builder__section">
            <legend class="builder__heading">"Order by"</legend>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <OrderRowView draft=draft i=i />
            </For>
            <button type="button" class="builder__add" data-testid="order-add" on:click=add>
                "+ order"
            </button>
        </fieldset>
    }
}

fn order_text(o: Option<SortOrder>) -> &'static str {
    match o {
        None => "",
        Some(SortOrder::Ascending) => "ascending",
        Some(SortOrder::Descending) => "descending",
    }
}

/// The draft's orderings.
fn orders(d: &mut Draft) -> &mut Vec<OrderRow> {
    &mut d.orders
}

/// One ordering.
#[component]
fn OrderRowView(draft: RwSignal<Draft>, i: usize) -> impl IntoView {
    let row = Memo::new(move |_| draft.with(|d| d.orders.get(i).cloned()));
    let target = Signal::derive(move || {
        row.with(|r| r.as_ref().map(|r| r.target.clone()).unwrap_or_default())
    });
    let direction = Signal::derive(move || {
        order_text(row.with(|r| r.as_ref().and_then(|r| r.order))).to_owned()
    });
    let directions = [
        ("", "default"),
        ("descending", "largest first"),
        ("ascending", "smallest first"),
    ]
    .map(|(v, label)| (v.to_owned(), label.to_owned()))
    .to_vec();
    view! {
        <div class="builder__row" data-testid="order-row">
            <ChoiceSelect
                class="builder__select"
                testid="order-target"
                label="Order by"
                choices=Signal::derive(move || with_current(draft.with(order_choices), target.get()))
                value=target
                on_change=Callback::new(move |v: String| edit_row(draft, orders, i, |r| r.target = v))
            />
            <ChoiceSelect
                class="builder__select builder__op"
                testid="order-direction"
                label="Direction"
                choices=Signal::stored(directions)
                value=direction
                on_change=Callback::new(move |v: String| {
                    let order = from_wire::<SortOrder>(&v);
                    edit_row(draft, orders, i, |r| r.order = order);
                })
            />
            <RemoveButton label="Remove this ordering" draft=draft list=orders i=i />
        </div>
    }
}

/// The most groups answered.
#[component]
pub fn Limit(
    /// The form.
    draft: RwSignal<Draft>,
) -> impl IntoView {
    view! {
        <label class="builder__section builder__small">
            <span class="builder__heading">"Limit"</span>
            <input
                class="builder__input"
                type="number"
                min="1"
                max=QUERY_LIMIT_MAX
                step="1"
                inputmode="numeric"
                data-testid="limit"
                placeholder=QUERY_LIMIT_DEFAULT.to_string()
                prop:value=move || draft.with(|d| d.limit.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    draft.update(|d| d.limit = v);
                }
            />
        </label>
    }
}

/// The havings.
#[component]
pub fn Havings(
    /// The form.
    draft: RwSignal<Draft>,
) -> impl IntoView {
    let count = Memo::new(move |_| draft.with(|d| d.havings.len()));
    let add = move |_| {
        draft.update(|d| {
            let calc = d.calc_keys().into_iter().next().unwrap_or_default();
            d.havings.push(HavingRow {
                calc,
                op: HavingOp::Gt,
                value: "0".into(),
            });
        });
    };
    view! {
        <fieldset class="builder__section">
            <legend class="builder__heading">"Having"</legend>
            <For each=move || 0..count.get() key=|i| *i let:i>
                <HavingRowView draft=draft i=i />
            </For>
            <button type="button" class="builder__add" data-testid="having-add" on:click=add>
                "+ having"
            </button>
        </fieldset>
    }
}

/// The draft's havings.
fn havings(d: &mut Draft) -> &mut Vec<HavingRow> {
    &mut d.havings
}

/// One having.
#[component]
fn HavingRowView(draft: RwSignal<Draft>, i: usize) -> impl IntoView {
    let row = Memo::new(move |_| draft.with(|d| d.havings.get(i).cloned()));
    let calc = Signal::derive(move || {
        row.with(|r| r.as_ref().map(|r| r.calc.clone()).unwrap_or_default())
    });
    let op = move || row.with(|r| r.as_ref().map_or(HavingOp::Gt, |r| r.op));
    view! {
        <div class="builder__row" data-testid="having-row">
            <ChoiceSelect
                class="builder__select"
                testid="having-calc"
                label="Calculation tested"
                choices=Signal::derive(move || {
                    with_current(same_labels(draft.with(|d| d.calc_keys())), calc.get())
                })
                value=calc
                on_change=Callback::new(move |v: String| edit_row(draft, havings, i, |r| r.calc = v))
            />
            <ChoiceSelect
                class="builder__select builder__op"
                testid="having-op"
                label="Comparison"
                choices=Signal::stored(same_labels(HAVING_OPS.map(having_op_str)))
                value=Signal::derive(move || having_op_str(op()).to_owned())
                on_change=Callback::new(move |v: String| {
                    if let Some(new) = from_wire::<HavingOp>(&v) {
                        edit_row(draft, havings, i, |r| r.op = new);
                    }
                })
            />
            <input
                class="builder__input builder__number"
                type="text"
                inputmode="decimal"
                data-testid="having-value"
                aria-label="Number compared with"
                prop:value=move || row.with(|r| r.as_ref().map(|r| r.value.clone()).unwrap_or_default())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    edit_row(draft, havings, i, |r| r.value = v);
                }
            />
            <RemoveButton label="Remove this having" draft=draft list=havings i=i />
        </div>
    }
}
