//! Selection vs baseline, like Honeycomb's BubbleUp: [`compare`].
//!
//! The population is every event in the time range that passes the spec's filters; the
//! selection is a region (time window × value range on a numeric column) or a filter
//! set; the baseline is the rest of the population. For every other column, each value
//! gets its share of the selection and of the baseline (missing counts as a value;
//! numbers are bucketed on the same axis as heatmaps, 10 buckets, or one per integer
//! for a few integers). A column's score is the largest difference of shares of any of
//! its values; columns come highest score first, values largest difference first.

use bulbwatch_api::{
    COMPARE_VALUES_DEFAULT, COMPARE_VALUES_MAX, ColumnComparison, CompareBucket, CompareResult,
    CompareSpec, Scalar, Selection, ValueShare,
};

use crate::axis::Axis;
use crate::hash::FxHashMap;
use crate::predicate::FilterSet;
use crate::spec::filter::resolve_filters;
use crate::spec::time::resolve_range;
use crate::table::chunk::{Chunk, NO_BOOL, NO_STR, is_integral};
use crate::{EventTable, QueryError};

/// Columns never compared: ids and timestamps, which differ on every event.
pub const COMPARE_SKIPPED_COLUMNS: &[&str] = &[
    "trace.trace_id",
    "trace.span_id",
    "trace.parent_id",
    "trace_id",
    "span_id",
    "parent_id",
    "request_id",
    "run_id",
    "started_at",
    "timestamp",
];

/// Outcome columns: how a run or an apply ended (the `e2e` run's verdict and failure,
/// the apply span's outcome). When the selection is made on one of them — failed runs,
/// failed applies — the others only restate it, so they are listed apart
/// ([`CompareResult::restating_columns`]) and a cause can rank first.
pub const OUTCOME_COLUMNS: &[&str] = &[
    "success",
    "verdict",
    "message",
    "failed_step",
    "expected",
    "actual",
    "iterations",
    "duration_ms",
    "succeeded",
    "error",
    "save_ms",
    "applied_colour",
];

/// Buckets for a compared numeric column.
const NUMBER_BUCKETS: usize = 10;
/// A string column with more distinct values than this and than half its values is
/// taken for an id and skipped.
const ID_MIN_DISTINCT: usize = 100;

/// Which events are selected, resolved.
enum Selector {
    Region {
        column: Option<usize>,
        min: f64,
        max: f64,
        start_ms: i64,
        end_ms: i64,
    },
    Filters(FilterSet),
}

/// One chunk's population rows and whether each is selected.
struct Part<'t> {
    chunk: &'t Chunk,
    rows: Vec<u32>,
    selected: Vec<bool>,
}

/// Counts (selection, baseline).
type Tally = [u64; 2];

/// Answers a comparison of `spec.selection` against the rest, over `table`.
pub fn compare(
    table: &EventTable,
    spec: &CompareSpec,
    now_ms: i64,
) -> Result<CompareResult, QueryError> {
    let range = resolve_range(spec.time_range, spec.start_time, spec.end_time, now_ms)?;
    let filters = resolve_filters(table, "filters", &spec.filters, spec.filter_combination)?;
    let top = spec.values_per_column.unwrap_or(COMPARE_VALUES_DEFAULT);
    if !(1..=COMPARE_VALUES_MAX).contains(&top) {
        return Err(QueryError::new(
            "values_per_column",
            format!("must be 1–{COMPARE_VALUES_MAX}, got {top}"),
        ));
    }
    let mut excluded: Vec<String> = Vec::new();
    let on_outcome = matches!(&spec.selection, Selection::Filters { filters, .. }
        if filters.iter().any(|f| OUTCOME_COLUMNS.contains(&f.column.as_str())));
    let selector = match &spec.selection {
        Selection::Region {
            column,
            min,
            max,
            start_time_ms,
            end_time_ms,
        } => {
            let column = match column {
                Some(name) => {
                    let (id, stats) = table.column(name).ok_or_else(|| {
                        QueryError::new("selection.column", format!("unknown column {name:?}"))
                    })?;
                    if stats.numbers == 0 {
                        return Err(QueryError::new(
                            "selection.column",
                            format!(
                                "a value range needs numbers, but {name:?} holds {}",
                                stats.describe()
                            ),
                        ));
                    }
                    excluded.push(name.clone());
                    Some(id)
                }
                None if min.is_some() || max.is_some() => {
                    return Err(QueryError::new(
                        "selection.column",
                        "a value range (min, max) needs the column it is on",
                    ));
                }
                None => None,
            };
            let (min, max) = (
                min.unwrap_or(f64::NEG_INFINITY),
                max.unwrap_or(f64::INFINITY),
            );
            if min > max {
                return Err(QueryError::new(
                    "selection.min",
                    format!("must not exceed max, got {min} > {max}"),
                ));
            }
            let start_ms = start_time_ms.unwrap_or(range.start_ms);
            let end_ms = end_time_ms.unwrap_or(range.end_ms);
            if end_ms <= start_ms {
                return Err(QueryError::new(
                    "selection.end_time_ms",
                    format!("the window must end after it starts, got {start_ms}–{end_ms}"),
                ));
            }
            Selector::Region {
                column,
                min,
                max,
                start_ms,
                end_ms,
            }
        }
        Selection::Filters {
            filters: f,
            filter_combination,
        } => {
            let set = resolve_filters(table, "selection.filters", f, *filter_combination)?;
            excluded.extend(f.iter().map(|f| f.column.clone()));
            Selector::Filters(set)
        }
    };

    let mut parts = Vec::new();
    let (mut in_count, mut out_count) = (0u64, 0u64);
    for r in table.ranges(range.start_ms, range.end_ms) {
        let rows = filters.select(r.chunk, r.lo, r.hi);
        let selected = select(&selector, r.chunk, r.lo, r.hi, &rows);
        let n_in = selected.iter().filter(|&&s| s).count() as u64;
        in_count += n_in;
        out_count += rows.len() as u64 - n_in;
        parts.push(Part {
            chunk: r.chunk,
            rows,
            selected,
        });
    }
    let totals = [in_count, out_count];

    let mut columns = Vec::new();
    for (id, name) in table.column_names().iter().enumerate() {
        if excluded.contains(name) {
            continue;
        }
        if COMPARE_SKIPPED_COLUMNS.contains(&name.as_str()) {
            if table.column(name).is_some() {
                excluded.push(name.clone());
            }
            continue;
        }
        match tally_column(&parts, id, totals) {
            Tallied::Empty => {}
            Tallied::Id => excluded.push(name.clone()),
            Tallied::Values(values) => {
                columns.push(rank_values(name, values, totals, top as usize));
            }
        }
    }
    columns.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.column.cmp(&b.column))
    });
    let (restating_columns, columns) = columns
        .into_iter()
        .partition(|c| on_outcome && OUTCOME_COLUMNS.contains(&c.column.as_str()));
    excluded.sort();
    excluded.dedup();
    Ok(CompareResult {
        start_time_ms: range.start_ms,
        end_time_ms: range.end_ms,
        selection_count: in_count,
        baseline_count: out_count,
        columns,
        excluded_columns: excluded,
        restating_columns,
    })
}

/// Whether each population row is selected.
fn select(selector: &Selector, chunk: &Chunk, lo: usize, hi: usize, rows: &[u32]) -> Vec<bool> {
    match selector {
        Selector::Region {
            column,
            min,
            max,
            start_ms,
            end_ms,
        } => {
            let values = column.map(|c| chunk.numbers(c));
            rows.iter()
                .map(|&r| {
                    let t = chunk.timestamps[r as usize];
                    let in_value = match values {
                        None => true,
                        Some(None) => false,
                        Some(Some(v)) => {
                            let v = v[r as usize];
                            v >= *min && v <= *max
                        }
                    };
                    t >= *start_ms && t < *end_ms && in_value
                })
                .collect()
        }
        Selector::Filters(set) => {
            let picked = set.select(chunk, lo, hi);
            let mut flags = vec![false; hi - lo];
            for p in picked {
                flags[p as usize - lo] = true;
            }
            rows.iter().map(|&r| flags[r as usize - lo]).collect()
        }
    }
}

/// A column's tallies, or why it has none.
enum Tallied {
    /// No value in the population.
    Empty,
    /// Looks like an id: a different string on most events.
    Id,
    /// Tallies per bucket.
    Values(Vec<(CompareBucket, Tally)>),
}

fn tally_column(parts: &[Part<'_>], column: usize, totals: Tally) -> Tallied {
    let mut present: Tally = [0, 0];
    let mut out = Vec::new();

    // Numbers: the range first, then the buckets.
    let (mut min, mut max, mut integral) = (f64::INFINITY, f64::NEG_INFINITY, true);
    for p in parts {
        let Some(values) = p.chunk.numbers(column) else {
            continue;
        };
        for &r in &p.rows {
            let v = values[r as usize];
            if !v.is_nan() {
                min = min.min(v);
                max = max.max(v);
                integral &= is_integral(v);
            }
        }
    }
    if min <= max {
        let axis = Axis::new(min, max, integral, NUMBER_BUCKETS);
        let locator = axis.locator();
        let mut counts = vec![[0u64; 2]; axis.buckets()];
        for p in parts {
            let Some(values) = p.chunk.numbers(column) else {
                continue;
            };
            for (&r, &s) in p.rows.iter().zip(&p.selected) {
                let v = values[r as usize];
                if !v.is_nan() {
                    counts[locator.bucket(v)][usize::from(!s)] += 1;
                }
            }
        }
        for (j, c) in counts.into_iter().enumerate() {
            if c == [0, 0] {
                continue;
            }
            present[0] += c[0];
            present[1] += c[1];
            let bucket = if axis.unit {
                CompareBucket::Value {
                    value: Scalar::Number(axis.edges[j]),
                }
            } else {
                CompareBucket::Range {
                    min: axis.edges[j],
                    max: axis.edges[j + 1],
                }
            };
            out.push((bucket, c));
        }
    }

    // Strings: per chunk by dictionary id, then merged by text.
    let mut strings: FxHashMap<&str, Tally> = FxHashMap::default();
    for p in parts {
        let Some(lane) = p.chunk.column(column).and_then(|c| c.strings.as_ref()) else {
            continue;
        };
        let mut local = vec![[0u64; 2]; lane.dict.len()];
        for (&r, &s) in p.rows.iter().zip(&p.selected) {
            let id = lane.ids[r as usize];
            if id != NO_STR {
                local[id as usize][usize::from(!s)] += 1;
            }
        }
        for (id, c) in local.into_iter().enumerate() {
            if c != [0, 0] {
                let t = strings.entry(lane.dict.get(id as u32)).or_default();
                t[0] += c[0];
                t[1] += c[1];
            }
        }
    }
    let string_values: u64 = strings.values().map(|t| t[0] + t[1]).sum();
    if strings.len() > ID_MIN_DISTINCT && strings.len() as u64 * 2 > string_values {
        return Tallied::Id;
    }
    let mut strings: Vec<(&str, Tally)> = strings.into_iter().collect();
    strings.sort_unstable_by_key(|&(s, _)| s);
    for (s, c) in strings {
        present[0] += c[0];
        present[1] += c[1];
        out.push((
            CompareBucket::Value {
                value: Scalar::String(s.to_owned()),
            },
            c,
        ));
    }

    // Booleans.
    let mut bools = [[0u64; 2]; 2];
    for p in parts {
        let Some(lane) = p.chunk.column(column).and_then(|c| c.bools.as_ref()) else {
            continue;
        };
        for (&r, &s) in p.rows.iter().zip(&p.selected) {
            let b = lane.values[r as usize];
            if b != NO_BOOL {
                bools[usize::from(b)][usize::from(!s)] += 1;
            }
        }
    }
    for (b, c) in bools.into_iter().enumerate() {
        if c != [0, 0] {
            present[0] += c[0];
            present[1] += c[1];
            out.push((
                CompareBucket::Value {
                    value: Scalar::Bool(b == 1),
                },
                c,
            ));
        }
    }

    if present == [0, 0] {
        return Tallied::Empty;
    }
    let missing = [totals[0] - present[0], totals[1] - present[1]];
    if missing != [0, 0] {
        out.push((CompareBucket::Missing, missing));
    }
    Tallied::Values(out)
}

/// Shares, sorted by difference; the values past `top` summed into `Other`.
fn rank_values(
    column: &str,
    values: Vec<(CompareBucket, Tally)>,
    totals: Tally,
    top: usize,
) -> ColumnComparison {
    let share = |n: u64, of: u64| if of == 0 { 0.0 } else { n as f64 / of as f64 };
    let mut shares: Vec<ValueShare> = values
        .into_iter()
        .map(|(bucket, [i, o])| ValueShare {
            bucket,
            selection_count: i,
            baseline_count: o,
            selection_share: share(i, totals[0]),
            baseline_share: share(o, totals[1]),
        })
        .collect();
    let diff = |v: &ValueShare| (v.selection_share - v.baseline_share).abs();
    shares.sort_by(|a, b| {
        diff(b)
            .total_cmp(&diff(a))
            .then_with(|| {
                (b.selection_count + b.baseline_count).cmp(&(a.selection_count + a.baseline_count))
            })
            .then_with(|| bucket_order(&a.bucket).total_cmp(&bucket_order(&b.bucket)))
    });
    let score = shares.first().map_or(0.0, diff);
    if shares.len() > top {
        let rest = shares.split_off(top);
        let (i, o) = rest.iter().fold((0, 0), |(i, o), v| {
            (i + v.selection_count, o + v.baseline_count)
        });
        shares.push(ValueShare {
            bucket: CompareBucket::Other,
            selection_count: i,
            baseline_count: o,
            selection_share: share(i, totals[0]),
            baseline_share: share(o, totals[1]),
        });
    }
    ColumnComparison {
        column: column.to_owned(),
        score,
        values: shares,
    }
}

/// A tie-breaker among equally different, equally frequent values (numbers by value;
/// the rest are rare ties and keep a fixed, arbitrary order).
fn bucket_order(b: &CompareBucket) -> f64 {
    match b {
        CompareBucket::Value {
            value: Scalar::Number(n),
        } => *n,
        CompareBucket::Range { min, .. } => *min,
        _ => f64::INFINITY,
    }
}
