//! Random events and random (mostly valid) specs.
//!
//! Columns: `n` small integers, `f` floats (sometimes wide and positive, for log
//! heatmaps), `s` short strings (some that look like numbers or booleans), `b`
//! booleans, `m` mixed types, and `x` which no event has.

use std::collections::BTreeMap;

use bulbwatch_api::{
    CalcOp, Calculation, Filter, FilterCombination, FilterOp, FilterValue, Having, HavingOp, Order,
    QuerySpec, Scalar, SortOrder,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::reference::{Event, V};

/// Start of the generated events, ms (a whole second).
pub const T0: i64 = 1_767_225_600_000;
/// Events fall in `[T0, T0 + SPAN)`.
pub const SPAN: i64 = 600_000;
const STRINGS: [&str; 8] = ["a", "b", "ab", "ba", "", "1", "true", "2.0"];

fn string() -> impl Strategy<Value = String> {
    prop::sample::select(STRINGS.to_vec()).prop_map(str::to_string)
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::sample::select(vec![0.5, 1.25, 2.0, -1.5, 3.0, 0.0, -0.0]),
        0.1f64..1000.0,
        -50.0f64..50.0,
    ]
}

fn value_for(col: &'static str) -> BoxedStrategy<V> {
    match col {
        "n" => (-3i64..10).prop_map(|n| V::N(n as f64)).boxed(),
        "f" => float().prop_map(V::N).boxed(),
        "s" => string().prop_map(V::S).boxed(),
        "b" => any::<bool>().prop_map(V::B).boxed(),
        _ => prop_oneof![
            (0i64..4).prop_map(|n| V::N(n as f64)),
            string().prop_map(V::S),
            any::<bool>().prop_map(V::B),
        ]
        .boxed(),
    }
}

/// One event somewhere in the span.
pub fn event() -> impl Strategy<Value = Event> {
    let fields: Vec<_> = ["n", "f", "s", "b", "m"]
        .into_iter()
        .map(|c| option::weighted(0.75, value_for(c)).prop_map(move |v| (c, v)))
        .collect();
    (0..SPAN, fields).prop_map(|(dt, fields)| Event {
        ts: T0 + dt,
        fields: fields
            .into_iter()
            .filter_map(|(c, v)| Some((c.to_string(), v?)))
            .collect::<BTreeMap<_, _>>(),
    })
}

/// Events in random (not time) order.
pub fn events(max: usize) -> impl Strategy<Value = Vec<Event>> {
    vec(event(), 0..max)
}

/// At least one event.
pub fn some_events(max: usize) -> impl Strategy<Value = Vec<Event>> {
    vec(event(), 1..max)
}

fn column() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["n", "f", "s", "b", "m", "n", "f", "s", "m", "x"])
        .prop_map(str::to_string)
}

/// Mostly a column that suits the operator (`numeric`: holds numbers, else strings),
/// sometimes any column, to exercise refusals.
fn column_for(numeric: bool) -> impl Strategy<Value = String> {
    let suits = if numeric {
        vec!["n", "f", "m"]
    } else {
        vec!["s", "m"]
    };
    prop_oneof![
        12 => prop::sample::select(suits).prop_map(str::to_string),
        1 => column(),
    ]
}

fn scalar() -> impl Strategy<Value = Scalar> {
    prop_oneof![
        (-3i64..10).prop_map(|n| Scalar::Number(n as f64)),
        prop::sample::select(vec![0.5, 1.25, 2.0]).prop_map(Scalar::Number),
        string().prop_map(Scalar::String),
        prop::sample::select(vec!["3", "0"]).prop_map(|s| Scalar::String(s.into())),
        any::<bool>().prop_map(Scalar::Bool),
    ]
}

const OPS: [FilterOp; 14] = [
    FilterOp::Eq,
    FilterOp::Ne,
    FilterOp::Lt,
    FilterOp::Le,
    FilterOp::Gt,
    FilterOp::Ge,
    FilterOp::Exists,
    FilterOp::DoesNotExist,
    FilterOp::Contains,
    FilterOp::DoesNotContain,
    FilterOp::StartsWith,
    FilterOp::DoesNotStartWith,
    FilterOp::In,
    FilterOp::NotIn,
];

/// A filter whose value suits its operator.
pub fn filter() -> impl Strategy<Value = Filter> {
    prop::sample::select(OPS.to_vec())
        .prop_flat_map(|op| {
            let column = match op {
                FilterOp::Lt | FilterOp::Le | FilterOp::Gt | FilterOp::Ge => column_for(true).boxed(),
                FilterOp::Contains
                | FilterOp::DoesNotContain
                | FilterOp::StartsWith
                | FilterOp::DoesNotStartWith => column_for(false).boxed(),
                _ => prop_oneof![12 => prop::sample::select(vec!["n", "f", "s", "b", "m"]).prop_map(str::to_string), 1 => column()].boxed(),
            };
            (column, Just(op))
        })
        .prop_flat_map(|(column, op)| {
        let value: BoxedStrategy<Option<FilterValue>> = match op {
            FilterOp::Exists | FilterOp::DoesNotExist => Just(None).boxed(),
            FilterOp::Lt | FilterOp::Le | FilterOp::Gt | FilterOp::Ge => prop_oneof![
                (-3i64..10).prop_map(|n| Scalar::Number(n as f64)),
                (-60.0f64..1000.0).prop_map(Scalar::Number),
                Just(Scalar::String("2".into())),
            ]
            .prop_map(|s| Some(FilterValue::One(s)))
            .boxed(),
            FilterOp::Contains
            | FilterOp::DoesNotContain
            | FilterOp::StartsWith
            | FilterOp::DoesNotStartWith => prop::sample::select(vec!["a", "b", "", "r", "1"])
                .prop_map(|s| Some(FilterValue::One(Scalar::String(s.into()))))
                .boxed(),
            FilterOp::Eq | FilterOp::Ne => scalar().prop_map(|s| Some(FilterValue::One(s))).boxed(),
            FilterOp::In | FilterOp::NotIn => prop_oneof![
                vec(scalar(), 1..4).prop_map(|l| Some(FilterValue::List(l))),
                scalar().prop_map(|s| Some(FilterValue::One(s))),
            ]
            .boxed(),
        };
        let column = column.clone();
        value.prop_map(move |value| Filter {
            column: column.clone(),
            op,
            value,
        })
    })
}

const CALC_OPS: [CalcOp; 11] = [
    CalcOp::Count,
    CalcOp::CountDistinct,
    CalcOp::Sum,
    CalcOp::Avg,
    CalcOp::Min,
    CalcOp::Max,
    CalcOp::P50,
    CalcOp::P90,
    CalcOp::P95,
    CalcOp::P99,
    CalcOp::Heatmap,
];

/// A calculation (COUNT without a column, the others with one).
pub fn calculation() -> impl Strategy<Value = Calculation> {
    prop::sample::select(CALC_OPS.to_vec())
        .prop_flat_map(|op| {
            let column = if op.is_numeric() {
                column_for(true).boxed()
            } else {
                prop_oneof![12 => prop::sample::select(vec!["n", "f", "s", "b", "m"]).prop_map(str::to_string), 1 => column()].boxed()
            };
            (Just(op), column)
        })
        .prop_map(|(op, c)| Calculation {
            op,
            column: (op != CalcOp::Count).then_some(c),
        })
}

/// Time fields of a spec: (time_range, start_time, end_time, granularity), and `now`.
pub fn time() -> impl Strategy<Value = (Option<u64>, Option<i64>, Option<i64>, i64)> {
    let t0 = T0 / 1000;
    let now = T0 + SPAN;
    prop_oneof![
        (1u64..800, 0i64..2000).prop_map(move |(tr, jitter)| (Some(tr), None, None, now + jitter)),
        (-30i64..600, 1i64..700).prop_map(move |(s, len)| (
            None,
            Some(t0 + s),
            Some(t0 + s + len),
            now
        )),
        (-30i64..600, 1u64..700).prop_map(move |(s, tr)| (Some(tr), Some(t0 + s), None, now)),
        (0i64..700).prop_map(move |e| (Some(300), None, Some(t0 + e), now)),
        Just((None, None, None, now)),
    ]
}

/// A spec built from random parts, with orders and havings that name its own
/// calculations and breakdowns; and the `now` to run it at.
pub fn spec() -> impl Strategy<Value = (QuerySpec, i64)> {
    (
        vec(calculation(), 0..4),
        vec(filter(), 0..4),
        option::of(prop::sample::select(vec![
            FilterCombination::And,
            FilterCombination::Or,
        ])),
        prop_oneof![
            12 => prop::sample::subsequence(vec!["n", "s", "b", "m", "f"], 0..4),
            1 => prop::sample::subsequence(vec!["s", "x"], 1..3),
        ],
        time(),
        (any::<u64>(), option::of(1u32..6)),
        vec((any::<prop::sample::Index>(), 0u8..3, any::<bool>()), 0..3),
        option::of((any::<prop::sample::Index>(), 0u8..6, -2.0f64..20.0)),
    )
        .prop_map(
            |(
                calculations,
                filters,
                combination,
                mut breakdowns,
                time,
                (g_seed, limit),
                orders,
                having,
            )| {
                let (time_range, start_time, end_time, now) = time;
                // Breakdowns come in random order from the subsequence: shuffle a little.
                if g_seed % 2 == 1 {
                    breakdowns.reverse();
                }
                let mut spec = QuerySpec {
                    dataset: "test".into(),
                    calculations,
                    filters,
                    filter_combination: combination,
                    breakdowns: breakdowns.into_iter().map(str::to_string).collect(),
                    limit,
                    time_range,
                    start_time,
                    end_time,
                    ..QuerySpec::default()
                };
                let (start, end) = crate::reference::range(&spec, now);
                let range_s = ((end - start) as u64).div_ceil(1000);
                let least = range_s.div_ceil(1000).max(1);
                if g_seed % 3 != 0 {
                    spec.granularity = Some(least + g_seed % (range_s - least + 1));
                }
                let values: Vec<Calculation> = if spec.calculations.is_empty() {
                    vec![Calculation::count()]
                } else {
                    spec.calculations
                        .iter()
                        .filter(|c| c.op != CalcOp::Heatmap)
                        .cloned()
                        .collect()
                };
                for (index, kind, ascending) in orders {
                    let order = Some(if ascending {
                        SortOrder::Ascending
                    } else {
                        SortOrder::Descending
                    });
                    if kind < 2 && !values.is_empty() {
                        let c = index.get(&values);
                        spec.orders.push(Order {
                            column: c.column.clone(),
                            op: Some(c.op),
                            order: if kind == 0 { None } else { order },
                        });
                    } else if !spec.breakdowns.is_empty() {
                        spec.orders.push(Order {
                            column: Some(index.get(&spec.breakdowns).clone()),
                            op: None,
                            order: if ascending { None } else { order },
                        });
                    }
                }
                if let Some((index, op, value)) = having
                    && !values.is_empty()
                {
                    let c = index.get(&values);
                    let op = [
                        HavingOp::Eq,
                        HavingOp::Ne,
                        HavingOp::Lt,
                        HavingOp::Le,
                        HavingOp::Gt,
                        HavingOp::Ge,
                    ][op as usize];
                    spec.havings.push(Having {
                        calculate_op: c.op,
                        column: c.column.clone(),
                        op,
                        value: value.round(),
                    });
                }
                (spec, now)
            },
        )
}
