//! A brute-force reference for `execute`: row by row over a Vec of event maps, written
//! as plainly as possible from the documented semantics, sharing no code with the
//! engine.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use bulbwatch_api::{
    CalcOp, Calculation, Filter, FilterCombination, FilterOp, FilterValue, GroupRow, GroupSeries,
    HavingOp, Heatmap, HeatmapRow, HeatmapScale, QueryResult, QuerySpec, Scalar, SeriesPoint,
    SortOrder,
};
use bulbwatch_query::{EventTable, FieldValue};

/// A field value.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    S(String),
    N(f64),
    B(bool),
}

/// An event: timestamp and fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub ts: i64,
    pub fields: BTreeMap<String, V>,
}

impl Event {
    /// Pushes the event into a table.
    pub fn push_into(&self, table: &mut EventTable) {
        let fields: Vec<(&str, FieldValue<'_>)> = self
            .fields
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    V::S(s) => FieldValue::Str(s),
                    V::N(n) => FieldValue::Num(*n),
                    V::B(b) => FieldValue::Bool(*b),
                };
                (k.as_str(), v)
            })
            .collect();
        table.push(self.ts, &fields);
    }
}

/// The events a table holds after these pushes, in its order: by timestamp, ties in
/// arrival order.
pub fn held(pushed: &[Event]) -> Vec<Event> {
    let mut v = pushed.to_vec();
    v.sort_by_key(|e| e.ts);
    v
}

fn has_numbers(events: &[Event], col: &str) -> bool {
    events
        .iter()
        .any(|e| matches!(e.fields.get(col), Some(V::N(_))))
}

fn has_strings(events: &[Event], col: &str) -> bool {
    events
        .iter()
        .any(|e| matches!(e.fields.get(col), Some(V::S(_))))
}

fn known(events: &[Event], col: &str) -> bool {
    events.iter().any(|e| e.fields.contains_key(col))
}

/// The data-dependent part of validation: the field of the first error, if any.
/// (Structural checks are tested one by one in `validation`.)
pub fn check(events: &[Event], spec: &QuerySpec) -> Result<(), String> {
    for (i, c) in spec.calculations.iter().enumerate() {
        if let Some(col) = &c.column
            && (!known(events, col) || (c.op.is_numeric() && !has_numbers(events, col)))
        {
            return Err(format!("calculations[{i}].column"));
        }
    }
    for (i, f) in spec.filters.iter().enumerate() {
        let bad = !known(events, &f.column)
            || match f.op {
                FilterOp::Lt | FilterOp::Le | FilterOp::Gt | FilterOp::Ge => {
                    !has_numbers(events, &f.column)
                }
                FilterOp::Contains
                | FilterOp::DoesNotContain
                | FilterOp::StartsWith
                | FilterOp::DoesNotStartWith => !has_strings(events, &f.column),
                _ => false,
            };
        if bad {
            return Err(format!("filters[{i}].column"));
        }
    }
    for (i, b) in spec.breakdowns.iter().enumerate() {
        if !known(events, b) {
            return Err(format!("breakdowns[{i}]"));
        }
    }
    Ok(())
}

fn text_to_number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok()
}

fn equals(v: &V, f: &Scalar) -> bool {
    match (v, f) {
        (V::N(a), Scalar::Number(b)) => a == b,
        (V::S(a), Scalar::String(b)) => a == b,
        (V::B(a), Scalar::Bool(b)) => a == b,
        (V::N(a), Scalar::String(b)) => text_to_number(b) == Some(*a),
        (V::S(a), Scalar::Number(b)) => text_to_number(a) == Some(*b),
        (V::B(a), Scalar::String(b)) => (b == "true" && *a) || (b == "false" && !*a),
        (V::S(a), Scalar::Bool(b)) => a == if *b { "true" } else { "false" },
        _ => false,
    }
}

fn one(f: &Filter) -> &Scalar {
    match &f.value {
        Some(FilterValue::One(s)) => s,
        _ => panic!("filter needs one value"),
    }
}

fn number(f: &Filter) -> f64 {
    match one(f) {
        Scalar::Number(n) => *n,
        Scalar::String(s) => s.parse().unwrap(),
        Scalar::Bool(_) => panic!("not a number"),
    }
}

fn text(f: &Filter) -> &str {
    match one(f) {
        Scalar::String(s) => s,
        _ => panic!("not a string"),
    }
}

fn list(f: &Filter) -> Vec<Scalar> {
    match &f.value {
        Some(FilterValue::One(s)) => vec![s.clone()],
        Some(FilterValue::List(l)) => l.clone(),
        None => panic!("needs values"),
    }
}

/// Whether an event passes one filter.
pub fn passes(f: &Filter, e: &Event) -> bool {
    let v = e.fields.get(&f.column);
    let num = match v {
        Some(V::N(n)) => Some(*n),
        _ => None,
    };
    let string = match v {
        Some(V::S(s)) => Some(s.as_str()),
        _ => None,
    };
    match f.op {
        FilterOp::Exists => v.is_some(),
        FilterOp::DoesNotExist => v.is_none(),
        FilterOp::Lt => num.is_some_and(|n| n < number(f)),
        FilterOp::Le => num.is_some_and(|n| n <= number(f)),
        FilterOp::Gt => num.is_some_and(|n| n > number(f)),
        FilterOp::Ge => num.is_some_and(|n| n >= number(f)),
        FilterOp::Contains => string.is_some_and(|s| s.contains(text(f))),
        FilterOp::DoesNotContain => !string.is_some_and(|s| s.contains(text(f))),
        FilterOp::StartsWith => string.is_some_and(|s| s.starts_with(text(f))),
        FilterOp::DoesNotStartWith => !string.is_some_and(|s| s.starts_with(text(f))),
        FilterOp::Eq => v.is_some_and(|v| equals(v, one(f))),
        FilterOp::Ne => !v.is_some_and(|v| equals(v, one(f))),
        FilterOp::In => v.is_some_and(|v| list(f).iter().any(|x| equals(v, x))),
        FilterOp::NotIn => !v.is_some_and(|v| list(f).iter().any(|x| equals(v, x))),
    }
}

/// Whether an event passes all (or, with OR, any) filters.
pub fn passes_all(filters: &[Filter], or: Option<FilterCombination>, e: &Event) -> bool {
    if filters.is_empty() {
        return true;
    }
    if or == Some(FilterCombination::Or) {
        filters.iter().any(|f| passes(f, e))
    } else {
        filters.iter().all(|f| passes(f, e))
    }
}

/// `[start, end)` in ms.
pub fn range(spec: &QuerySpec, now: i64) -> (i64, i64) {
    let tr = spec.time_range.map(|t| t as i64 * 1000);
    let s = spec.start_time.map(|s| s * 1000);
    let e = spec.end_time.map(|e| e * 1000);
    match (tr, s, e) {
        (_, Some(s), Some(e)) => (s, e),
        (Some(tr), Some(s), None) => (s, s + tr),
        (None, Some(s), None) => (s, now),
        (tr, None, Some(e)) => (e - tr.unwrap_or(7_200_000), e),
        (tr, None, None) => (now - tr.unwrap_or(7_200_000), now),
    }
}

/// Granularity in ms.
pub fn granularity(spec: &QuerySpec, start: i64, end: i64) -> i64 {
    if let Some(g) = spec.granularity {
        return g as i64 * 1000;
    }
    let secs = (end - start + 999) / 1000;
    for g in [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
    ] {
        if (secs + g - 1) / g <= 120 {
            return g * 1000;
        }
    }
    (secs + 119) / 120 * 1000
}

fn key_of(e: &Event, col: &str) -> Option<Scalar> {
    match e.fields.get(col)? {
        V::S(s) => Some(Scalar::String(s.clone())),
        V::N(n) => Some(Scalar::Number(if *n == 0.0 { 0.0 } else { *n })),
        V::B(b) => Some(Scalar::Bool(*b)),
    }
}

fn numbers(events: &[&Event], col: &str) -> Vec<f64> {
    events
        .iter()
        .filter_map(|e| match e.fields.get(col) {
            Some(V::N(n)) => Some(*n),
            _ => None,
        })
        .collect()
}

/// One calculation over a set of events.
pub fn calculate(c: &Calculation, events: &[&Event]) -> Option<f64> {
    let col = c.column.as_deref().unwrap_or("");
    let nums = numbers(events, col);
    match c.op {
        CalcOp::Count => Some(events.len() as f64),
        CalcOp::CountDistinct => {
            let mut seen: Vec<V> = Vec::new();
            for e in events {
                if let Some(v) = e.fields.get(col)
                    && !seen.contains(v)
                {
                    seen.push(v.clone());
                }
            }
            Some(seen.len() as f64)
        }
        _ if nums.is_empty() => None,
        CalcOp::Sum => Some(nums.iter().fold(0.0, |a, b| a + b)),
        CalcOp::Avg => Some(nums.iter().fold(0.0, |a, b| a + b) / nums.len() as f64),
        CalcOp::Min => nums.iter().copied().reduce(f64::min),
        CalcOp::Max => nums.iter().copied().reduce(f64::max),
        op => {
            let mut sorted = nums;
            sorted.sort_by(f64::total_cmp);
            let p = op.percentile().unwrap() as usize;
            // Nearest rank: the ceil(p·n/100)-th smallest, counting from 1.
            let mut rank = p * sorted.len() / 100;
            if rank * 100 < p * sorted.len() {
                rank += 1;
            }
            Some(sorted[rank.max(1) - 1])
        }
    }
}

fn type_rank(v: &Option<Scalar>) -> u8 {
    match v {
        Some(Scalar::Bool(_)) => 0,
        Some(Scalar::Number(_)) => 1,
        Some(Scalar::String(_)) => 2,
        None => 3,
    }
}

fn cmp_entry(a: &Option<Scalar>, b: &Option<Scalar>) -> Ordering {
    match (a, b) {
        (Some(Scalar::Bool(x)), Some(Scalar::Bool(y))) => x.cmp(y),
        (Some(Scalar::Number(x)), Some(Scalar::Number(y))) => x.partial_cmp(y).unwrap(),
        (Some(Scalar::String(x)), Some(Scalar::String(y))) => x.as_bytes().cmp(y.as_bytes()),
        _ => type_rank(a).cmp(&type_rank(b)),
    }
}

fn value_calcs(spec: &QuerySpec) -> Vec<Calculation> {
    if spec.calculations.is_empty() {
        return vec![Calculation::count()];
    }
    spec.calculations
        .iter()
        .filter(|c| c.op != CalcOp::Heatmap)
        .cloned()
        .collect()
}

/// A group: key, values, events.
type Row<'e> = (Vec<Option<Scalar>>, Vec<Option<f64>>, Vec<&'e Event>);

/// The reference answer (for a spec `check` accepts and the engine validates).
pub fn execute(held: &[Event], spec: &QuerySpec, now: i64) -> QueryResult {
    let (start, end) = range(spec, now);
    let g = granularity(spec, start, end);
    let first = start.div_euclid(g) * g;
    let nb = ((end - first) + g - 1) / g;
    let matched: Vec<&Event> = held
        .iter()
        .filter(|e| e.ts >= start && e.ts < end)
        .filter(|e| passes_all(&spec.filters, spec.filter_combination, e))
        .collect();
    let calcs = value_calcs(spec);

    // Groups, in order of first appearance (the order does not matter: sorted below).
    let mut groups: Vec<(Vec<Option<Scalar>>, Vec<&Event>)> = Vec::new();
    if spec.breakdowns.is_empty() {
        groups.push((vec![], matched.clone()));
    } else {
        for e in &matched {
            let key: Vec<Option<Scalar>> = spec.breakdowns.iter().map(|b| key_of(e, b)).collect();
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(e),
                None => groups.push((key, vec![e])),
            }
        }
    }
    let mut rows: Vec<Row<'_>> = groups
        .into_iter()
        .map(|(k, evs)| {
            let values = calcs.iter().map(|c| calculate(c, &evs)).collect();
            (k, values, evs)
        })
        .collect();

    let calc_index = |op: CalcOp, col: &Option<String>| {
        calcs
            .iter()
            .position(|c| c.op == op && c.column == *col)
            .unwrap()
    };
    rows.retain(|(_, values, _)| {
        spec.havings.iter().all(|h| {
            let v = values[calc_index(h.calculate_op, &h.column)];
            v.is_some_and(|v| match h.op {
                HavingOp::Eq => v == h.value,
                HavingOp::Ne => v != h.value,
                HavingOp::Lt => v < h.value,
                HavingOp::Le => v <= h.value,
                HavingOp::Gt => v > h.value,
                HavingOp::Ge => v >= h.value,
            })
        })
    });

    let mut orders: Vec<(Option<usize>, Option<usize>, bool)> = spec
        .orders
        .iter()
        .map(|o| match o.op {
            Some(op) => (
                Some(calc_index(op, &o.column)),
                None,
                o.order != Some(SortOrder::Ascending),
            ),
            None => {
                let b = spec
                    .breakdowns
                    .iter()
                    .position(|b| Some(b) == o.column.as_ref())
                    .unwrap();
                (None, Some(b), o.order == Some(SortOrder::Descending))
            }
        })
        .collect();
    if spec.orders.is_empty() && !calcs.is_empty() {
        orders.push((Some(0), None, true));
    }
    rows.sort_by(|a, b| {
        for &(calc, col, desc) in &orders {
            let o = if let Some(c) = calc {
                match (a.1[c], b.1[c]) {
                    (Some(x), Some(y)) => {
                        let o = x.partial_cmp(&y).unwrap();
                        if desc { o.reverse() } else { o }
                    }
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                }
            } else {
                let k = col.unwrap();
                let o = cmp_entry(&a.0[k], &b.0[k]);
                if desc { o.reverse() } else { o }
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        for (x, y) in a.0.iter().zip(&b.0) {
            let o = cmp_entry(x, y);
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    });
    let limit = spec.limit.unwrap_or(100) as usize;
    let truncated = rows.len() > limit;
    rows.truncate(limit);

    let series = rows
        .iter()
        .map(|(k, _, evs)| GroupSeries {
            group: k.clone(),
            points: (0..nb)
                .map(|b| {
                    let t0 = first + b * g;
                    let inside: Vec<&Event> = evs
                        .iter()
                        .copied()
                        .filter(|e| e.ts >= t0 && e.ts < t0 + g)
                        .collect();
                    SeriesPoint {
                        time_ms: t0,
                        values: calcs.iter().map(|c| calculate(c, &inside)).collect(),
                    }
                })
                .collect(),
        })
        .collect();

    let heatmaps = spec
        .calculations
        .iter()
        .filter(|c| c.op == CalcOp::Heatmap)
        .map(|c| heatmap(&matched, c.column.as_deref().unwrap(), first, g, nb))
        .collect();

    QueryResult {
        start_time_ms: start,
        end_time_ms: end,
        granularity_ms: g,
        breakdowns: spec.breakdowns.clone(),
        calculations: calcs
            .iter()
            .map(|c| bulbwatch_api::CalculationLabel {
                op: c.op,
                column: c.column.clone(),
                label: match &c.column {
                    Some(col) => format!("{}({col})", c.op.as_str()),
                    None => c.op.as_str().to_string(),
                },
            })
            .collect(),
        matched_events: matched.len() as u64,
        totals: rows
            .iter()
            .map(|(k, v, _)| GroupRow {
                group: k.clone(),
                values: v.clone(),
            })
            .collect(),
        series,
        heatmaps,
        groups_truncated: truncated,
    }
}

/// Heatmap edges as documented (40 buckets).
pub fn edges(min: f64, max: f64, integral: bool) -> (HeatmapScale, Vec<f64>) {
    edges_n(min, max, integral, 40)
}

/// Edges for `n` buckets.
pub fn edges_n(min: f64, max: f64, integral: bool, n: usize) -> (HeatmapScale, Vec<f64>) {
    if integral && max - min + 1.0 <= n as f64 {
        let k = (max - min) as i64 + 1;
        return (
            HeatmapScale::Linear,
            (0..=k).map(|i| min + i as f64).collect(),
        );
    }
    if min == max {
        return (HeatmapScale::Linear, vec![min, max]);
    }
    let mut e: Vec<f64>;
    let scale;
    if min > 0.0 && max >= 20.0 * min {
        scale = HeatmapScale::Log;
        e = (0..=n)
            .map(|i| (min.ln() + (max.ln() - min.ln()) * i as f64 / n as f64).exp())
            .collect();
    } else {
        scale = HeatmapScale::Linear;
        e = (0..=n)
            .map(|i| min + (max - min) * i as f64 / n as f64)
            .collect();
    }
    e[0] = min;
    e[n] = max;
    (scale, e)
}

fn heatmap(matched: &[&Event], col: &str, first: i64, g: i64, nb: i64) -> Heatmap {
    let nums: Vec<(i64, f64)> = matched
        .iter()
        .filter_map(|e| match e.fields.get(col) {
            Some(V::N(n)) => Some((e.ts, *n)),
            _ => None,
        })
        .collect();
    let times = (0..nb).map(|b| first + b * g);
    if nums.is_empty() {
        return Heatmap {
            column: col.to_string(),
            scale: HeatmapScale::Linear,
            boundaries: vec![],
            rows: times
                .map(|t| HeatmapRow {
                    time_ms: t,
                    counts: vec![],
                })
                .collect(),
            max_count: 0,
        };
    }
    let min = nums.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let max = nums.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    let integral = nums.iter().all(|p| p.1.fract() == 0.0);
    let (scale, boundaries) = edges(min, max, integral);
    let n = boundaries.len() - 1;
    let rows: Vec<HeatmapRow> = times
        .map(|t| {
            let mut counts = vec![0u32; n];
            for &(ts, v) in &nums {
                if ts >= t && ts < t + g {
                    counts[boundaries[..n].partition_point(|&b| b <= v) - 1] += 1;
                }
            }
            HeatmapRow { time_ms: t, counts }
        })
        .collect();
    let max_count = rows
        .iter()
        .flat_map(|r| r.counts.iter().copied())
        .max()
        .unwrap_or(0);
    Heatmap {
        column: col.to_string(),
        scale,
        boundaries,
        rows,
        max_count,
    }
}
