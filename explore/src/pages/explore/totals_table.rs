//! The totals under the charts: one row per group, one column per group value and per
//! calculation; a click on a header sorts by it (again: the other way).

use std::cmp::Ordering;

use bulbwatch_api::{GroupRow, QueryResult, Scalar};
use bulbwatch_charts::series::group_label;
use bulbwatch_charts::ticks::format_value;
use leptos::prelude::*;

/// How the table is sorted: by column `column` (group values first, then
/// calculations), largest first when `descending`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortBy {
    /// Group columns, then calculation columns.
    pub column: usize,
    /// Largest first.
    pub descending: bool,
}

impl SortBy {
    /// The sort after a click on `column`: the other way if already sorted by it,
    /// else largest first for numbers, A–Z for group values.
    pub fn after_click(current: Option<SortBy>, column: usize, groups: usize) -> SortBy {
        match current {
            Some(s) if s.column == column => SortBy {
                column,
                descending: !s.descending,
            },
            _ => SortBy {
                column,
                descending: column >= groups,
            },
        }
    }
}

fn compare_scalars(a: &Option<Scalar>, b: &Option<Scalar>) -> Ordering {
    match (a, b) {
        (Some(Scalar::Number(x)), Some(Scalar::Number(y))) => x.total_cmp(y),
        (Some(Scalar::Bool(x)), Some(Scalar::Bool(y))) => x.cmp(y),
        (Some(x), Some(y)) => group_label(&[Some(x.clone())]).cmp(&group_label(&[Some(y.clone())])),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The order to show the rows in (indices into `totals`); missing values last either
/// way; `None` keeps the server's order.
pub fn sorted_rows(totals: &[GroupRow], groups: usize, by: Option<SortBy>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..totals.len()).collect();
    let Some(by) = by else {
        return order;
    };
    order.sort_by(|&i, &j| {
        let (a, b) = (&totals[i], &totals[j]);
        let (missing_a, missing_b, ord) = if by.column < groups {
            let (x, y) = (a.group.get(by.column), b.group.get(by.column));
            let (x, y) = (x.cloned().flatten(), y.cloned().flatten());
            (x.is_none(), y.is_none(), compare_scalars(&x, &y))
        } else {
            let k = by.column - groups;
            let (x, y) = (
                a.values.get(k).copied().flatten(),
                b.values.get(k).copied().flatten(),
            );
            let ord = match (x, y) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                _ => Ordering::Equal,
            };
            (x.is_none(), y.is_none(), ord)
        };
        match (missing_a, missing_b) {
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ if by.descending => ord.reverse(),
            _ => ord,
        }
    });
    order
}

/// The sortable table of a result's totals.
#[component]
pub fn TotalsTable(
    /// The result whose totals to show.
    #[prop(into)]
    result: Signal<Option<QueryResult>>,
) -> impl IntoView {
    let sort = RwSignal::new(None::<SortBy>);
    let headers = move || {
        result.with(|r| {
            let Some(r) = r else { return Vec::new() };
            let mut names: Vec<String> = if r.breakdowns.is_empty() {
                vec!["group".to_owned()]
            } else {
                r.breakdowns.clone()
            };
            names.extend(r.calculations.iter().map(|c| c.label.clone()));
            names
        })
    };
    let groups = move || result.with(|r| r.as_ref().map_or(0, |r| r.breakdowns.len().max(1)));
    let header_cells = move || {
        let groups = groups();
        headers()
            .into_iter()
            .enumerate()
            .map(|(i, name)| {
                let state = move || sort.get().filter(|s| s.column == i);
                let aria = move || match state() {
                    None => "none",
                    Some(s) if s.descending => "descending",
                    Some(_) => "ascending",
                };
                let arrow = move || match state() {
                    None => "",
                    Some(s) if s.descending => " ▼",
                    Some(_) => " ▲",
                };
                let numeric = i >= groups;
                view! {
                    <th scope="col" aria-sort=aria class:totals__number=numeric>
                        <button
                            type="button"
                            class="totals__sort"
                            data-testid="totals-sort"
                            on:click=move |_| sort.update(|s| *s = Some(SortBy::after_click(*s, i, groups)))
                        >
                            {name}
                            {arrow}
                        </button>
                    </th>
                }
            })
            .collect_view()
    };
    let rows =
        move || {
            result.with(|r| {
                let Some(r) = r else { return Vec::new() };
                let groups = r.breakdowns.len().max(1);
                sorted_rows(&r.totals, groups, sort.get())
                .into_iter()
                .map(|i| {
                    let row = &r.totals[i];
                    let label = if r.breakdowns.is_empty() {
                        "all events".to_owned()
                    } else {
                        group_label(&row.group)
                    };
                    let group_cells: Vec<String> = if r.breakdowns.is_empty() {
                        vec![label.clone()]
                    } else {
                        row.group.iter().map(|g| group_label(std::slice::from_ref(g))).collect()
                    };
                    view! {
                        <tr data-group=label>
                            {group_cells.into_iter().map(|g| view! { <td>{g}</td> }).collect_view()}
                            {row
                                .values
                                .iter()
                                .map(|v| {
                                    let text = v.map_or_else(|| "—".to_owned(), format_value);
                                    view! { <td class="totals__number">{text}</td> }
                                })
                                .collect_view()}
                        </tr>
                    }
                })
                .collect::<Vec<_>>()
            })
        };
    view! {
        <div class="totals">
            <table class="totals__table" data-testid="totals-table">
                <thead>
                    <tr>{header_cells}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(group: Option<Scalar>, values: &[Option<f64>]) -> GroupRow {
        GroupRow {
            group: vec![group],
            values: values.to_vec(),
        }
    }

    fn totals() -> Vec<GroupRow> {
        vec![
            row(Some("green".into()), &[Some(5.0), Some(900.0)]),
            row(Some("blue".into()), &[Some(12.0), None]),
            row(None, &[Some(1.0), Some(50.0)]),
            row(Some("red".into()), &[Some(7.0), Some(120.0)]),
        ]
    }

    #[test]
    fn numbers_sort_both_ways_missing_last() {
        let t = totals();
        let by = |column, descending| Some(SortBy { column, descending });
        assert_eq!(sorted_rows(&t, 1, None), [0, 1, 2, 3]);
        assert_eq!(sorted_rows(&t, 1, by(1, true)), [1, 3, 0, 2]);
        assert_eq!(sorted_rows(&t, 1, by(1, false)), [2, 0, 3, 1]);
        assert_eq!(sorted_rows(&t, 1, by(2, true)), [0, 3, 2, 1]);
        assert_eq!(sorted_rows(&t, 1, by(2, false)), [2, 3, 0, 1]);
    }

    #[test]
    fn group_values_sort_alphabetically_missing_last() {
        let t = totals();
        let by = |descending| {
            Some(SortBy {
                column: 0,
                descending,
            })
        };
        assert_eq!(sorted_rows(&t, 1, by(false)), [1, 0, 3, 2]);
        assert_eq!(sorted_rows(&t, 1, by(true)), [3, 0, 1, 2]);
    }

    #[test]
    fn clicks_flip_and_start_sensibly() {
        let first = SortBy::after_click(None, 2, 1);
        assert_eq!(
            first,
            SortBy {
                column: 2,
                descending: true
            }
        );
        let again = SortBy::after_click(Some(first), 2, 1);
        assert!(!again.descending);
        let group = SortBy::after_click(Some(again), 0, 1);
        assert_eq!(
            group,
            SortBy {
                column: 0,
                descending: false
            }
        );
    }
}
