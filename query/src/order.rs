//! Havings, ordering and limit over the groups' totals.
//!
//! Groups are ordered by the spec's orders in turn, then by their key ascending, so
//! the order is total and the same on every run. Calculation values that are null
//! come last whatever the direction. Keys compare entry by entry: booleans (false
//! first), then numbers, then strings (by bytes), then null ("the events lack the
//! column") last.

use std::cmp::Ordering;

use bulbwatch_api::Scalar;

use crate::spec::{OrderKey, Plan};

/// Rank of a key entry's type.
fn rank(v: &Option<Scalar>) -> u8 {
    match v {
        Some(Scalar::Bool(_)) => 0,
        Some(Scalar::Number(_)) => 1,
        Some(Scalar::String(_)) => 2,
        None => 3,
    }
}

/// Total order of one key entry.
pub(crate) fn cmp_entry(a: &Option<Scalar>, b: &Option<Scalar>) -> Ordering {
    match (a, b) {
        (Some(Scalar::Bool(x)), Some(Scalar::Bool(y))) => x.cmp(y),
        (Some(Scalar::Number(x)), Some(Scalar::Number(y))) => cmp_number(*x, *y),
        (Some(Scalar::String(x)), Some(Scalar::String(y))) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// Total order of group keys.
pub(crate) fn cmp_key(a: &[Option<Scalar>], b: &[Option<Scalar>]) -> Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| cmp_entry(x, y))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// Numeric order in which -0 equals 0 (values are never NaN but for overflow).
fn cmp_number(x: f64, y: f64) -> Ordering {
    x.partial_cmp(&y).unwrap_or_else(|| x.total_cmp(&y))
}

/// Order of two calculation values: nulls last in either direction.
fn cmp_value(a: Option<f64>, b: Option<f64>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) if descending => cmp_number(y, x),
        (Some(x), Some(y)) => cmp_number(x, y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// A group's key and totals.
pub(crate) struct GroupTotals {
    pub(crate) group: u32,
    pub(crate) key: Vec<Option<Scalar>>,
    pub(crate) values: Vec<Option<f64>>,
}

/// Applies havings, orders and limit; answers the groups kept, in order, and whether
/// the limit cut any.
pub(crate) fn select_groups(plan: &Plan, mut groups: Vec<GroupTotals>) -> (Vec<GroupTotals>, bool) {
    groups.retain(|g| {
        plan.havings
            .iter()
            .all(|h| g.values[h.calc].is_some_and(|v| h.op.holds(v, h.value)))
    });
    groups.sort_by(|a, b| {
        plan.orders
            .iter()
            .map(|o| match o.key {
                OrderKey::Calc(c) => cmp_value(a.values[c], b.values[c], o.descending),
                OrderKey::Breakdown(k) => {
                    let ord = cmp_entry(&a.key[k], &b.key[k]);
                    if o.descending { ord.reverse() } else { ord }
                }
            })
            .find(|o| o.is_ne())
            .unwrap_or_else(|| cmp_key(&a.key, &b.key))
    });
    let truncated = groups.len() > plan.limit;
    groups.truncate(plan.limit);
    (groups, truncated)
}
