//! One line for newcomers: a few queries worth trying, as links. Each covers the
//! room's data since its first event (within the last hour), so the charts use their
//! whole width.

use bulbwatch_api::{CalcOp, Calculation, Filter, FilterOp, Order, QuerySpec};
use leptos::prelude::*;

use crate::query_url::{self, mine_filter};

/// The longest window of an example, seconds (each is fitted to the data).
const EXAMPLE_RANGE_S: u64 = 3600;

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
                time_range: Some(EXAMPLE_RANGE_S),
                fit: true,
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
                // Only the apply spans have a queue length: without this filter every
                // other span would make one big group of none.
                filters: scope(vec![Filter::new("name", FilterOp::Eq, "bulb.apply")]),
                breakdowns: vec!["queue_length".into()],
                orders: vec![Order {
                    column: Some("queue_length".into()),
                    op: None,
                    order: None,
                }],
                time_range: Some(EXAMPLE_RANGE_S),
                fit: true,
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
                time_range: Some(EXAMPLE_RANGE_S),
                fit: true,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_fit_the_rooms_data() {
        for mine in [false, true] {
            for (label, spec) in examples("a-1", mine) {
                assert!(spec.fit, "{label}");
                assert_eq!(spec.time_range, Some(EXAMPLE_RANGE_S), "{label}");
                assert_eq!(spec.start_time.or(spec.end_time), None, "{label}");
            }
        }
    }

    #[test]
    fn the_queue_example_keeps_to_the_apply_spans() {
        let apply = Filter::new("name", FilterOp::Eq, "bulb.apply");
        for mine in [false, true] {
            let (_, spec) = examples("a-1", mine)
                .into_iter()
                .find(|(_, s)| s.breakdowns == ["queue_length"])
                .expect("the queue example");
            assert!(spec.filters.contains(&apply), "{:?}", spec.filters);
            assert_eq!(spec.filters.contains(&mine_filter("a-1")), mine);
        }
    }
}
