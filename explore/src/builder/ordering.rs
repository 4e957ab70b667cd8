//! Which groups come first and how many: orderings (by a calculation or a group
//! column, ascending or descending), the limit, and havings (keep a group only if a
//! calculation passes a test).

use bulbwatch_api::{HavingOp, QUERY_LIMIT_DEFAULT, QUERY_LIMIT_MAX, SortOrder};
use leptos::prelude::*;

use super::calculations::RemoveButton;
use super::draft::{
    Draft, HAVING_OPS, HavingRow, OrderRow, from_wire, having_op_str, order_target,
};

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

/// Options of a select, the current value added when it is not among them.
fn options(mut choices: Vec<(String, String)>, current: String) -> impl IntoView {
    if !choices.iter().any(|(v, _)| *v == current) {
        let label = if current.is_empty() {
            "choose…".to_owned()
        } else {
            current.clone()
        };
        choices.insert(0, (current.clone(), label));
    }
    choices
        .into_iter()
        .map(|(value, label)| {
            let selected = value == current;
            view! { <option value=value prop:selected=selected>{label}</option> }
        })
        .collect_view()
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

/// One ordering.
#[component]
fn OrderRowView(draft: RwSignal<Draft>, i: usize) -> impl IntoView {
    let row = Memo::new(move |_| draft.with(|d| d.orders.get(i).cloned()));
    let target = move || row.with(|r| r.as_ref().map(|r| r.target.clone()).unwrap_or_default());
    let direction = move || order_text(row.with(|r| r.as_ref().and_then(|r| r.order)));
    let edit = move |f: Box<dyn FnOnce(&mut OrderRow)>| {
        draft.update(|d| {
            if let Some(r) = d.orders.get_mut(i) {
                f(r);
            }
        });
    };
    view! {
        <div class="builder__row" data-testid="order-row">
            <select
                class="builder__select"
                data-testid="order-target"
                aria-label="Order by"
                prop:value=target
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit(Box::new(move |r| r.target = v));
                }
            >
                {move || options(draft.with(order_choices), target())}
            </select>
            <select
                class="builder__select builder__op"
                data-testid="order-direction"
                aria-label="Direction"
                prop:value=direction
                on:change=move |ev| {
                    let v = from_wire::<SortOrder>(&event_target_value(&ev));
                    edit(Box::new(move |r| r.order = v));
                }
            >
                {move || {
                    let now = direction();
                    [("", "default"), ("descending", "largest first"), ("ascending", "smallest first")]
                        .into_iter()
                        .map(|(v, label)| {
                            view! { <option value=v prop:selected=v == now>{label}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <RemoveButton
                label="Remove this ordering"
                on_remove=Callback::new(move |()| {
                    draft
                        .update(|d| {
                            if i < d.orders.len() {
                                d.orders.remove(i);
                            }
                        });
                })
            />
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

/// One having.
#[component]
fn HavingRowView(draft: RwSignal<Draft>, i: usize) -> impl IntoView {
    let row = Memo::new(move |_| draft.with(|d| d.havings.get(i).cloned()));
    let calc = move || row.with(|r| r.as_ref().map(|r| r.calc.clone()).unwrap_or_default());
    let op = move || row.with(|r| r.as_ref().map_or(HavingOp::Gt, |r| r.op));
    let edit = move |f: Box<dyn FnOnce(&mut HavingRow)>| {
        draft.update(|d| {
            if let Some(r) = d.havings.get_mut(i) {
                f(r);
            }
        });
    };
    view! {
        <div class="builder__row" data-testid="having-row">
            <select
                class="builder__select"
                data-testid="having-calc"
                aria-label="Calculation tested"
                prop:value=calc
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    edit(Box::new(move |r| r.calc = v));
                }
            >
                {move || {
                    let keys = draft.with(|d| d.calc_keys());
                    options(keys.into_iter().map(|k| (k.clone(), k)).collect(), calc())
                }}
            </select>
            <select
                class="builder__select builder__op"
                data-testid="having-op"
                aria-label="Comparison"
                prop:value=move || having_op_str(op())
                on:change=move |ev| {
                    if let Some(new) = from_wire::<HavingOp>(&event_target_value(&ev)) {
                        edit(Box::new(move |r| r.op = new));
                    }
                }
            >
                {move || {
                    let now = op();
                    HAVING_OPS
                        .iter()
                        .map(|o| {
                            let s = having_op_str(*o);
                            view! { <option value=s prop:selected=*o == now>{s}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <input
                class="builder__input builder__number"
                type="text"
                inputmode="decimal"
                data-testid="having-value"
                aria-label="Number compared with"
                prop:value=move || row.with(|r| r.as_ref().map(|r| r.value.clone()).unwrap_or_default())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    edit(Box::new(move |r| r.value = v));
                }
            />
            <RemoveButton
                label="Remove this having"
                on_remove=Callback::new(move |()| {
                    draft
                        .update(|d| {
                            if i < d.havings.len() {
                                d.havings.remove(i);
                            }
                        });
                })
            />
        </div>
    }
}
