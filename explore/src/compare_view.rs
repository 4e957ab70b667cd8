//! The comparison of a selection with the rest (like BubbleUp): `POST /api/compare`
//! whenever the spec changes, then per attribute — the most different first — each
//! value's share of the selection next to its share of the baseline as paired bars,
//! and a button per value that filters the query by it. The columns that only
//! restate a selection made on an outcome (a failed run's message, its failed step)
//! come after, folded away, so a cause ranks first; last, folded and quieter still,
//! the columns whose values are shared alike on both sides ([`alike`]).

pub mod alike;
pub mod labels;

use bulbwatch_api::{CompareResult, CompareSpec, Filter};
use bulbwatch_charts::compare::{AttributeBars, CompareChart, percent};
use bulbwatch_charts::draw::compare::{VALUE_ROW_CSS, compare_height};
use bulbwatch_charts::draw::draw_compare;
use bulbwatch_charts::plot_rect::PlotRect;
use bulbwatch_charts::theme::Theme;
use leptos::prelude::*;
use leptos::task::spawn_local;

use self::alike::split_alike;
use self::labels::{VALUE_CHARS, short_labels};
use crate::api;
use crate::canvas::{CanvasSize, PlotCanvas, PointerAt, PointerKind};

/// Where the comparison is.
#[derive(Clone, Debug, PartialEq)]
enum Loaded {
    /// Nothing to compare yet.
    Idle,
    /// Asked the server.
    Loading,
    /// The server said no, or could not be reached.
    Failed(String),
    /// The answer.
    Ready(CompareResult),
}

/// Compares `spec`'s selection with its baseline; a click on a value calls `on_filter`
/// with the filters that keep it (`column = value`; a number bucket gives two).
#[component]
pub fn CompareView(
    /// What to compare; nothing is shown while it is `None`.
    #[prop(into)]
    spec: Signal<Option<CompareSpec>>,
    /// A value was chosen: add this filter to the query.
    on_filter: Callback<Filter>,
) -> impl IntoView {
    let loaded = RwSignal::new(Loaded::Idle);
    // Only the answer to the latest spec is shown.
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        let Some(spec) = spec.get() else {
            loaded.set(Loaded::Idle);
            return;
        };
        let ticket = asked.get_value() + 1;
        asked.set_value(ticket);
        loaded.set(Loaded::Loading);
        spawn_local(async move {
            let answer = api::compare(&spec).await;
            if asked.try_get_value() != Some(ticket) {
                return;
            }
            loaded.try_set(match answer {
                Ok(result) => Loaded::Ready(result),
                Err(failure) => Loaded::Failed(failure.message),
            });
        });
    });

    view! {
        <section class="compare" data-testid="compare-view" aria-label="Selection compared with the rest">
            <h2 class="compare__title">"What sets the selection apart"</h2>
            {move || match loaded.get() {
                Loaded::Idle => view! {
                    <p class="compare__status muted" data-testid="compare-status">
                        "Drag a box over the heatmap to compare those events with the rest."
                    </p>
                }
                .into_any(),
                Loaded::Loading => view! {
                    <p class="compare__status loading" data-testid="compare-status" role="status">
                        "Comparing…"
                    </p>
                }
                .into_any(),
                Loaded::Failed(message) => view! {
                    <p class="compare__status compare__status--error" data-testid="compare-status" role="alert">
                        {message}
                    </p>
                }
                .into_any(),
                Loaded::Ready(result) => {
                    view! { <CompareResultView result=result on_filter=on_filter /> }.into_any()
                }
            }}
        </section>
    }
}

/// One comparison's answer: the counts, then the values of every attribute that sets
/// the selection apart, then the columns that only restate the selection, then those
/// alike on both sides.
#[component]
pub fn CompareResultView(
    /// The server's answer.
    result: CompareResult,
    /// A value was chosen: add this filter to the query.
    on_filter: Callback<Filter>,
) -> impl IntoView {
    let chart = CompareChart::from_result(&result);
    let (differing, alike) = split_alike(chart.attributes);
    let restating: Vec<AttributeBars> = result
        .restating_columns
        .iter()
        .map(AttributeBars::from_column)
        .collect();
    let selection = format!("selection {} events", thousands(chart.selection_count));
    let baseline = format!("baseline {}", thousands(chart.baseline_count));
    let empty = if chart.selection_count == 0 {
        Some("The selection holds no events: draw a box over some.")
    } else if differing.is_empty() && restating.is_empty() && alike.is_empty() {
        Some("No attribute to compare: these events carry ids and timestamps only.")
    } else if differing.is_empty() && !restating.is_empty() {
        Some("Nothing else sets the selection apart: the columns below only restate it.")
    } else if differing.is_empty() {
        Some(
            "Nothing sets the selection apart: every column's values are shared as in the baseline.",
        )
    } else {
        None
    };
    view! {
        <div class="compare__result">
            <p class="compare__counts" data-testid="compare-counts">
                <span class="compare__key compare__key--selection" aria-hidden="true"></span>
                {selection}
                " · "
                <span class="compare__key compare__key--baseline" aria-hidden="true"></span>
                {baseline}
            </p>
            {empty.map(|text| view! { <p class="compare__status muted" data-testid="compare-status">{text}</p> })}
            <div class="compare__attributes">
                {differing
                    .into_iter()
                    .map(|attribute| view! { <AttributeView attribute=attribute on_filter=on_filter /> })
                    .collect_view()}
            </div>
            {(!restating.is_empty()).then(|| view! { <Restating attributes=restating on_filter=on_filter /> })}
            {(!alike.is_empty()).then(|| view! { <Alike attributes=alike on_filter=on_filter /> })}
        </div>
    }
}

/// The columns whose values are shared alike in the selection and the baseline,
/// folded away under their names.
#[component]
fn Alike(attributes: Vec<AttributeBars>, on_filter: Callback<Filter>) -> impl IntoView {
    view! {
        <FoldedColumns
            attributes=attributes
            on_filter=on_filter
            kind="alike"
            title="Alike in the selection and the baseline "
            hint=None
        />
    }
}

/// The columns that only restate the selection, folded away under their names.
#[component]
fn Restating(attributes: Vec<AttributeBars>, on_filter: Callback<Filter>) -> impl IntoView {
    view! {
        <FoldedColumns
            attributes=attributes
            on_filter=on_filter
            kind="restating"
            title="These only restate the selection "
            hint=Some(
                "They differ because the selection is made on the outcome (failed runs): they say what failed, not why. Look for the cause among the columns above.",
            )
        />
    }
}

/// Columns set apart from the ranking, folded under a title that names them:
/// `kind` gives the classes (`compare__{kind}`) and test ids (`compare-{kind}`).
#[component]
fn FoldedColumns(
    attributes: Vec<AttributeBars>,
    on_filter: Callback<Filter>,
    kind: &'static str,
    title: &'static str,
    hint: Option<&'static str>,
) -> impl IntoView {
    let names = attributes
        .iter()
        .map(|a| a.column.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <details class=format!("compare__{kind}") data-testid=format!("compare-{kind}")>
            <summary class=format!("compare__{kind}-title")>
                {title}
                <span class="compare__restating-names" data-testid=format!("compare-{kind}-names")>
                    {format!("({names})")}
                </span>
            </summary>
            {hint.map(|hint| view! { <p class="hint">{hint}</p> })}
            <div class="compare__attributes">
                {attributes
                    .into_iter()
                    .map(|attribute| view! { <AttributeView attribute=attribute on_filter=on_filter /> })
                    .collect_view()}
            </div>
        </details>
    }
}

/// One attribute: a button per value beside its paired bars (rows of one height).
#[component]
fn AttributeView(attribute: AttributeBars, on_filter: Callback<Filter>) -> impl IntoView {
    let attribute = StoredValue::new(attribute);
    let column = attribute.with_value(|a| a.column.clone());
    let height = attribute.with_value(compare_height);
    let difference = attribute.with_value(|a| format!("differs by up to {}", percent(a.score)));
    let hovered = RwSignal::new(None::<usize>);
    let rect = StoredValue::new(None::<PlotRect>);
    let choose = move |k: usize| {
        attribute.with_value(|a| {
            if let Some(v) = a.values.get(k) {
                for filter in v.filters(&a.column) {
                    on_filter.run(filter);
                }
            }
        });
    };

    let draw = move |backend, size: CanvasSize| {
        let theme = Theme { ratio: size.ratio };
        let lit = hovered.get();
        attribute.with_value(|a| match draw_compare(backend, a, lit, &theme) {
            Ok(r) => rect.set_value(Some(r)),
            Err(e) => tracing::warn!("comparison of {}: {e}", a.column),
        });
    };
    let on_pointer = Callback::new(move |p: PointerAt| {
        let at = rect
            .get_value()
            .and_then(|r| attribute.with_value(|a| a.value_at(&r, p.y)));
        match p.kind {
            PointerKind::Move => {
                if hovered.get_untracked() != at {
                    hovered.set(at);
                }
            }
            PointerKind::Leave => hovered.set(None),
            PointerKind::Up => {
                if let Some(k) = at {
                    choose(k);
                }
            }
            PointerKind::Down => {}
        }
    });

    let buttons = attribute.with_value(|a| {
        let labels: Vec<String> = a.values.iter().map(|v| v.label.clone()).collect();
        let shown = short_labels(&labels, VALUE_CHARS);
        a.values
            .iter()
            .zip(shown)
            .enumerate()
            .map(|(k, (v, shown))| {
                let long = shown.chars().count() > VALUE_CHARS;
                let filterable = !v.filters(&a.column).is_empty();
                let title = format!(
                    "{}\n{} of the selection ({}), {} of the baseline ({})",
                    v.label,
                    percent(v.selection_share),
                    thousands(v.selection_count),
                    percent(v.baseline_share),
                    thousands(v.baseline_count)
                );
                view! {
                    <li class="compare__row" style=format!("height: {VALUE_ROW_CSS}px")>
                        <button
                            type="button"
                            class="compare__value"
                            class:compare__value--long=long
                            class:compare__value--lit=move || hovered.get() == Some(k)
                            data-value=v.label.clone()
                            title=title
                            disabled=!filterable
                            on:click=move |_| choose(k)
                            on:pointerenter=move |_| hovered.set(Some(k))
                            on:pointerleave=move |_| hovered.set(None)
                        >
                            {shown}
                        </button>
                    </li>
                }
            })
            .collect_view()
    });
    let label = format!("{column}: share of each value in the selection and the baseline");

    view! {
        <div class="compare__attribute" data-column=column.clone()>
            <h3 class="compare__column">
                <code>{column.clone()}</code>
                <span class="compare__score muted">{difference}</span>
            </h3>
            <div class="compare__grid">
                <ul class="compare__values" aria-label=format!("Values of {column}: click one to filter by it")>
                    {buttons}
                </ul>
                <PlotCanvas label=label height=height draw=draw on_pointer=on_pointer />
            </div>
        </div>
    }
}

/// `1200` as `1,200`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
