//! Running a query: [`execute`] and [`execute_with`].
//!
//! 1. Check the spec and resolve it ([`crate::spec`]).
//! 2. Binary-search the timestamps for the rows in the time range, chunk by chunk, and
//!    cut them into units ([`crate::parallel`]); each thread takes a run of units.
//! 3. Per unit: filter to a list of rows, give each row its group, accumulate the
//!    totals of every group. The runs' groups and totals are then merged in order.
//! 4. Havings, orders, limit ([`crate::order`]).
//! 5. Series: the kept rows again, only those of the groups answered, accumulated per
//!    (group, time bucket), run by run, then merged.
//! 6. Heatmaps over every row that passed the filters ([`crate::heatmap`]).

use bulbwatch_api::{GroupRow, GroupSeries, QueryResult, QuerySpec, SeriesPoint};

use crate::aggregate::{self, Aggregates, Part};
use crate::groups::Groups;
use crate::heatmap::heatmap;
use crate::order::{GroupTotals, select_groups};
use crate::parallel::{ExecuteOptions, map_parts, split, units};
use crate::spec::{MAX_GROUPS, Plan};
use crate::table::ChunkRows;
use crate::table::chunk::Chunk;
use crate::{EventTable, QueryError};

/// The rows of one unit that passed the filters, ascending, and their groups (ids of
/// the run's own [`Groups`]).
pub(crate) struct Selected<'t> {
    pub(crate) chunk: &'t Chunk,
    pub(crate) rows: Vec<u32>,
    pub(crate) groups: Vec<u32>,
}

/// One run of units, read: its groups, their totals, its selected rows.
struct Run<'t> {
    groups: Groups<'t>,
    totals: Aggregates<'t>,
    selected: Vec<Selected<'t>>,
    matched: u64,
}

/// Answers `spec` over `table` with the default [`ExecuteOptions`] (up to two
/// threads). `now_ms` (ms since the epoch) anchors a range given by `time_range`
/// alone. The spec's `dataset` is not read: the caller picked the table.
pub fn execute(
    table: &EventTable,
    spec: &QuerySpec,
    now_ms: i64,
) -> Result<QueryResult, QueryError> {
    execute_with(table, spec, now_ms, ExecuteOptions::default())
}

/// [`execute`] on at most `options.threads` threads. The answer is the same, to the
/// last bit, whatever the thread count.
pub fn execute_with(
    table: &EventTable,
    spec: &QuerySpec,
    now_ms: i64,
    options: ExecuteOptions,
) -> Result<QueryResult, QueryError> {
    let plan = Plan::new(table, spec, now_ms)?;
    let units = units(&table.ranges(plan.range.start_ms, plan.range.end_ms));
    let threads = options.threads.max(1);
    let work = split(&units, threads, |u| u.hi - u.lo);
    let runs = map_parts(&work, |units| scan(&plan, units));

    let too_many = || {
        QueryError::new(
            "breakdowns",
            format!(
                "too many groups (over {MAX_GROUPS}); break down by fewer or less varied columns, or add a filter"
            ),
        )
    };
    if runs.iter().any(|r| r.groups.len() > MAX_GROUPS) {
        return Err(too_many());
    }
    let mut groups = Groups::new(&plan.breakdowns);
    let mut totals = Vec::with_capacity(runs.len());
    let mut selected = Vec::with_capacity(runs.len());
    let mut matched = 0;
    for (i, run) in runs.into_iter().enumerate() {
        let map = if i == 0 {
            groups = run.groups;
            None
        } else {
            Some(groups.absorb(&run.groups))
        };
        matched += run.matched;
        totals.push(Part {
            agg: run.totals,
            to_global: map.clone(),
        });
        selected.push((run.selected, map));
    }
    if groups.len() > MAX_GROUPS {
        return Err(too_many());
    }
    let totals = aggregate::merge(totals, groups.len(), threads);

    let all: Vec<GroupTotals> = (0..groups.len())
        .filter(|&g| plan.breakdowns.is_empty() || totals.count(g) > 0)
        .map(|g| GroupTotals {
            group: g as u32,
            key: groups.key(g as u32),
            values: totals.values(g),
        })
        .collect();
    let (kept, groups_truncated) = select_groups(&plan, all);

    let series = series(&plan, &selected, &kept, groups.len(), threads);
    let selected: Vec<&[Selected<'_>]> = selected.iter().map(|(s, _)| s.as_slice()).collect();
    let heatmaps = plan
        .heatmaps
        .iter()
        .map(|(column, name)| heatmap(&selected, *column, name, &plan.buckets))
        .collect();

    Ok(QueryResult {
        start_time_ms: plan.range.start_ms,
        end_time_ms: plan.range.end_ms,
        granularity_ms: plan.buckets.width_ms,
        breakdowns: spec.breakdowns.clone(),
        calculations: plan.labels.clone(),
        matched_events: matched,
        totals: kept
            .iter()
            .map(|g| GroupRow {
                group: g.key.clone(),
                values: g.values.clone(),
            })
            .collect(),
        series,
        heatmaps,
        groups_truncated,
    })
}

/// Filters, groups and totals one run of units (stopping once it has too many groups).
fn scan<'t>(plan: &Plan, units: &[ChunkRows<'t>]) -> Run<'t> {
    let mut run = Run {
        groups: Groups::new(&plan.breakdowns),
        totals: Aggregates::new(&plan.calcs),
        selected: Vec::with_capacity(units.len()),
        matched: 0,
    };
    for u in units {
        let rows = plan.filters.select(u.chunk, u.lo, u.hi);
        let gids = run.groups.assign(u.chunk, &rows);
        if run.groups.len() > MAX_GROUPS {
            break;
        }
        run.totals.grow(run.groups.len());
        run.totals.add(u.chunk, &rows, &gids);
        run.matched += rows.len() as u64;
        run.selected.push(Selected {
            chunk: u.chunk,
            rows,
            groups: gids,
        });
    }
    run.totals.grow(run.groups.len());
    run.totals.finish();
    run
}

/// Per (kept group, time bucket) values. `selected` holds each run's rows and the map
/// of its groups to the merged ones (none for the first run).
fn series(
    plan: &Plan,
    selected: &[(Vec<Selected<'_>>, Option<Vec<u32>>)],
    kept: &[GroupTotals],
    groups: usize,
    threads: usize,
) -> Vec<GroupSeries> {
    let buckets = &plan.buckets;
    let nb = buckets.count;
    let mut position = vec![u32::MAX; groups];
    for (i, g) in kept.iter().enumerate() {
        position[g.group as usize] = i as u32;
    }
    let parts = map_parts(selected, |(run, map)| {
        let position: Vec<u32> = match map {
            None => position.clone(),
            Some(map) => map.iter().map(|&g| position[g as usize]).collect(),
        };
        let mut agg = Aggregates::new(&plan.calcs);
        agg.grow(kept.len() * nb);
        let (mut rows, mut slots) = (Vec::new(), Vec::new());
        for s in run {
            let Some(&first) = s.rows.first() else {
                continue;
            };
            rows.clear();
            slots.clear();
            let ts = &s.chunk.timestamps;
            let mut t = buckets.index(ts[first as usize]);
            let mut edge = buckets.start(t + 1);
            for (&r, &g) in s.rows.iter().zip(&s.groups) {
                let at = ts[r as usize];
                while at >= edge {
                    t += 1;
                    edge += buckets.width_ms;
                }
                let p = position[g as usize];
                if p != u32::MAX {
                    rows.push(r);
                    slots.push(p * nb as u32 + t as u32);
                }
            }
            agg.add(s.chunk, &rows, &slots);
        }
        agg.finish();
        Part {
            agg,
            to_global: None,
        }
    });
    let values = aggregate::merge(parts, kept.len() * nb, threads);
    kept.iter()
        .enumerate()
        .map(|(i, g)| GroupSeries {
            group: g.key.clone(),
            points: (0..nb)
                .map(|t| SeriesPoint {
                    time_ms: buckets.start(t),
                    values: values.values(i * nb + t),
                })
                .collect(),
        })
        .collect()
}
