//! A trace on screen: its waterfall on a canvas (repeated siblings folded into one row
//! that a click opens), the same rows as an HTML list folded away under the chart (for
//! keyboards and screen readers), and every attribute of the chosen span. A click on a
//! bar or on a row of the list chooses that span.

use bulbwatch_api::{Scalar, SpanKind, TraceSpan};
use bulbwatch_charts::draw::draw_waterfall;
use bulbwatch_charts::draw::waterfall::waterfall_height;
use bulbwatch_charts::plot_rect::PlotRect;
use bulbwatch_charts::theme::Theme;
use bulbwatch_charts::waterfall::{Repeat, Waterfall, WaterfallRow, format_duration};
use leptos::prelude::*;

use crate::canvas::{CanvasSize, PlotCanvas, PointerAt, PointerKind};

/// A span's side, for people.
pub fn side(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Client => "client",
        SpanKind::Server => "server",
        SpanKind::Internal => "internal",
    }
}

/// The waterfall, the span list and the chosen span's details of `spans` (the first
/// row is chosen to begin with).
#[component]
pub fn TraceView(
    /// Every span of the trace, in any order.
    spans: Vec<TraceSpan>,
) -> impl IntoView {
    let whole = StoredValue::new(Waterfall::from_spans(&spans));
    // The first span ids of the repeats the attendee opened.
    let open = RwSignal::new(Vec::<String>::new());
    let chart = Memo::new(move |_| open.with(|o| whole.with_value(|w| w.folded(o))));
    let spans = StoredValue::new(spans);
    let selected = RwSignal::new(chart.with_untracked(|c| (!c.rows.is_empty()).then_some(0)));
    let chosen = Signal::derive(move || {
        let k = selected.get()?;
        let span = chart.with(|c| c.rows.get(k).map(|r| r.span))?;
        spans.with_value(|s| s.get(span).cloned())
    });
    // Choosing a folded row of repeats opens it; choosing the first of opened repeats
    // chooses it (for its attributes), and once more folds them again. The choice
    // stays on that row.
    let choose = Callback::new(move |k: usize| {
        let again = selected.get_untracked() == Some(k);
        selected.set(Some(k));
        let Some(row) = chart.with_untracked(|c| c.rows.get(k).cloned()) else {
            return;
        };
        match row.repeat {
            Repeat::Folded(_) => open.update(|o| o.push(row.span_id)),
            Repeat::Unfolded(_) if again => open.update(|o| o.retain(|id| *id != row.span_id)),
            _ => {}
        }
    });
    let (count, total) = whole.with_value(|c| (c.rows.len(), c.total_ms));
    view! {
        <div class="trace-view">
            <WaterfallView chart=chart selected=selected choose=choose count=count total_ms=total />
            <SpanDetails span=chosen />
        </div>
    }
}

/// The waterfall canvas and the span list; `selected` is the chosen row.
#[component]
pub fn WaterfallView(
    /// The rows as shown (repeats folded).
    chart: Memo<Waterfall>,
    /// The chosen row, by index.
    selected: RwSignal<Option<usize>>,
    /// Called with the row clicked or picked in the list.
    choose: Callback<usize>,
    /// Spans in the whole trace.
    count: usize,
    /// The trace's length, ms.
    total_ms: f64,
) -> impl IntoView {
    let rect = StoredValue::new(None::<PlotRect>);
    let on_pointer = Callback::new(move |p: PointerAt| {
        if p.kind != PointerKind::Up {
            return;
        }
        let Some(r) = rect.get_value() else { return };
        if let Some(k) = chart.with_untracked(|c| c.row_at(&r, p.y)) {
            choose.run(k);
        }
    });
    let height = Memo::new(move |_| chart.with(waterfall_height));
    let label = format!(
        "Waterfall of {count} spans over {}; choose a span in the list below",
        format_duration(total_ms)
    );
    let canvas = move || {
        let label = label.clone();
        let draw = move |backend, size: CanvasSize| {
            let theme = Theme { ratio: size.ratio };
            let lit = selected.get();
            chart.with(|c| match draw_waterfall(backend, c, lit, &theme) {
                Ok(r) => rect.set_value(Some(r)),
                Err(e) => tracing::warn!("waterfall: {e}"),
            });
        };
        view! { <PlotCanvas label=label height=height.get() draw=draw on_pointer=on_pointer testid="waterfall" /> }
    };
    let rows = move || {
        chart.with(|c| {
            c.rows
                .iter()
                .enumerate()
                .map(|(k, row)| view! { <SpanRow row=row.clone() index=k selected=selected choose=choose /> })
                .collect_view()
        })
    };
    let folded = move || {
        chart.with(|c| {
            c.rows
                .iter()
                .filter(|r| matches!(r.repeat, Repeat::Folded(_)))
                .count()
        })
    };

    view! {
        <section class="waterfall" aria-label="Waterfall">
            <p class="waterfall__summary">
                <strong>{count}</strong>
                {if count == 1 { " span" } else { " spans" }}
                " · "
                <strong>{format_duration(total_ms)}</strong>
                {move || {
                    (folded() > 0)
                        .then(|| {
                            view! {
                                <span class="waterfall__hint muted" data-testid="waterfall-folded">
                                    " · repeats folded into one row: click one to open it"
                                </span>
                            }
                        })
                }}
                <span class="waterfall__legend" aria-hidden="true">
                    <span class="span-kind span-kind--client">"client"</span>
                    <span class="span-kind span-kind--server">"server"</span>
                    <span class="span-kind span-kind--internal">"internal"</span>
                    <span class="span-kind span-kind--error">"failed"</span>
                </span>
            </p>
            <div class="waterfall__chart">{canvas}</div>
            <details class="span-list-box">
                <summary>"The same rows as a list"</summary>
                <ol class="span-list" aria-label="Spans in tree order" data-testid="span-list">
                    {rows}
                </ol>
            </details>
        </section>
    }
}

/// One row in the list: its name indented by depth, its side and duration.
#[component]
fn SpanRow(
    row: WaterfallRow,
    index: usize,
    selected: RwSignal<Option<usize>>,
    choose: Callback<usize>,
) -> impl IntoView {
    let is_selected = move || selected.get() == Some(index);
    let kind = side(row.kind);
    let expanded = match row.repeat {
        Repeat::Single => None,
        Repeat::Folded(_) => Some("false"),
        Repeat::Unfolded(_) => Some("true"),
    };
    view! {
        <li
            class="span-row"
            class:span-row--selected=is_selected
            class:span-row--error=row.error
            data-span-id=row.span_id.clone()
            style=format!("--depth: {}", row.depth.min(12))
        >
            <button
                type="button"
                class="span-row__button"
                aria-pressed=move || if is_selected() { "true" } else { "false" }
                aria-expanded=expanded
                on:click=move |_| choose.run(index)
            >
                <span class=format!("span-row__dot span-kind--{}", if row.error { "error" } else { kind })></span>
                <span class="span-row__name">{row.label()}</span>
                <span class="span-row__side muted">{kind}</span>
                {row.error.then(|| view! { <span class="span-row__failed">"failed"</span> })}
                <span class="span-row__time">{format_duration(row.duration_ms)}</span>
            </button>
        </li>
    }
}

/// Every attribute of the chosen span, as a description list.
#[component]
pub fn SpanDetails(
    /// The chosen span.
    #[prop(into)]
    span: Signal<Option<TraceSpan>>,
) -> impl IntoView {
    view! {
        <aside class="span-details" data-testid="span-details" aria-live="polite">
            {move || match span.get() {
                None => view! { <p class="muted">"Choose a span to see its attributes."</p> }.into_any(),
                Some(s) => {
                    let structure = [
                        ("side", side(s.kind).to_string()),
                        ("duration", format_duration(s.duration_ms)),
                        ("span id", s.span_id.clone()),
                        ("parent id", s.parent_id.clone().unwrap_or_else(|| "— (a root)".into())),
                    ];
                    let count = s.attributes.len();
                    view! {
                        <h2 class="span-details__name">{s.name.clone()}</h2>
                        <dl class="span-details__list span-details__list--structure">
                            {structure
                                .into_iter()
                                .map(|(k, v)| view! { <dt>{k}</dt> <dd>{v}</dd> })
                                .collect_view()}
                        </dl>
                        <h3 class="span-details__title">
                            {format!("{count} attribute{}", if count == 1 { "" } else { "s" })}
                        </h3>
                        <dl class="span-details__list">
                            {s
                                .attributes
                                .into_iter()
                                .map(|(k, v)| {
                                    let value = attribute_view(&k, &v);
                                    let name = k.clone();
                                    view! { <dt data-attribute=name>{k}</dt> <dd>{value}</dd> }
                                })
                                .collect_view()}
                        </dl>
                    }
                    .into_any()
                }
            }}
        </aside>
    }
}

/// An attribute's value: text, with a run id linking to its run on the play page.
fn attribute_view(key: &str, value: &Scalar) -> AnyView {
    let text = match value {
        Scalar::String(s) => s.clone(),
        Scalar::Bool(b) => b.to_string(),
        Scalar::Number(n) => n.to_string(),
    };
    match (key, value) {
        ("run_id", Scalar::String(id)) => {
            let href = format!("/runs/{}", js_sys::encode_uri_component(id));
            view! { <a href=href>{text}</a> }.into_any()
        }
        (_, Scalar::String(_)) => {
            view! { <span class="span-details__text">{text}</span> }.into_any()
        }
        _ => view! { <code>{text}</code> }.into_any(),
    }
}
