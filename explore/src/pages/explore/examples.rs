//! One line for newcomers: a few queries worth trying, as links.

use bulbwatch_api::{CalcOp, Calculation, Filter, FilterOp, QuerySpec};
use leptos::prelude::*;

use crate::query_url::{self, mine_filter};

/// The example queries: `(label, spec)`, on my data when `mine`.
pub fn examples(me: &str, mine: bool) -> Vec<(&'static str, QuerySpec)> {
    let scope = |mut filters: Vec<Filter>| {
        if mine {
            filters.insert(0, mine_filter(me));
        }
        filters
    };
    vec![
        (
            "COUNT of e2e runs by success and colour",
            QuerySpec {
                dataset: "e2e".into(),
                calculations: vec![Calculation::count()],
                filters: scope(vec![]),
                breakdowns: vec!["success".into(), "colour".into()],
                time_range: Some(3600),
                ..QuerySpec::default()
            },
        ),
        (
            "P95 delay_ms by queue_length",
            QuerySpec {
                dataset: "bulb".into(),
                calculations: vec![
                    Calculation::of(CalcOp::P95, "delay_ms"),
                    Calculation::count(),
                ],
                filters: scope(vec![]),
                breakdowns: vec!["queue_length".into()],
                time_range: Some(3600),
                ..QuerySpec::default()
            },
        ),
        (
            "durations of failed runs",
            QuerySpec {
                dataset: "e2e".into(),
                calculations: vec![
                    Calculation::count(),
                    Calculation::of(CalcOp::Heatmap, "duration_ms"),
                ],
                filters: scope(vec![Filter::new("success", FilterOp::Eq, false)]),
                time_range: Some(3600),
                ..QuerySpec::default()
            },
        ),
    ]
}

/// "New here? Try: …" with the example links.
#[component]
pub fn Examples(
    /// My attendee id.
    me: String,
    /// Whether the examples keep to my data.
    mine: bool,
) -> impl IntoView {
    let links = examples(&me, mine)
        .into_iter()
        .map(|(label, spec)| {
            view! {
                <a class="examples__link" href=query_url::url(&spec, false)>
                    {label}
                </a>
            }
        })
        .collect_view();
    view! {
        <p class="examples" data-testid="examples">
            <span class="muted">"New here? Try "</span>
            {links}
        </p>
    }
}
