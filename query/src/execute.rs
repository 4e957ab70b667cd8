//! Running a query: [`execute`].
//!
//! 1. Check the spec and resolve it ([`crate::spec`]).
//! 2. Binary-search the timestamps for the rows in the time range, chunk by chunk.
//! 3. Per chunk: filter to a list of rows, give each row its group, accumulate the
//!    totals of every group.
//! 4. Havings, orders, limit ([`crate::order`]).
//! 5. Series: the kept rows again, only those of the groups answered, accumulated per
//!    (group, time bucket).
//! 6. Heatmaps over every row that passed the filters ([`crate::heatmap`]).

use bulbwatch_api::{GroupRow, GroupSeries, QueryResult, QuerySpec, SeriesPoint};

use crate::aggregate::Aggregates;
use crate::groups::Groups;
use crate::heatmap::heatmap;
use crate::order::{GroupTotals, select_groups};
use crate::spec::{MAX_GROUPS, Plan};
use crate::table::chunk::Chunk;
use crate::{EventTable, QueryError};

/// The rows of one chunk that passed the filters, ascending, and their groups.
pub(crate) struct Selected<'t> {
    pub(crate) chunk: &'t Chunk,
    pub(crate) rows: Vec<u32>,
    pub(crate) groups: Vec<u32>,
}

/// Answers `spec` over `table`. `now_ms` (ms since the epoch) anchors a range given by
/// `time_range` alone. The spec's `dataset` is not read: the caller picked the table.
pub fn execute(
    table: &EventTable,
    spec: &QuerySpec,
    now_ms: i64,
) -> Result<QueryResult, QueryError> {
    let plan = Plan::new(table, spec, now_ms)?;

    let mut groups = Groups::new(&plan.breakdowns);
    let mut totals = Aggregates::new(&plan.calcs);
    let mut selected = Vec::new();
    let mut matched = 0u64;
    for r in table.ranges(plan.range.start_ms, plan.range.end_ms) {
        let rows = plan.filters.select(r.chunk, r.lo, r.hi);
        let gids = groups.assign(r.chunk, &rows);
        if groups.len() > MAX_GROUPS {
            return Err(QueryError::new(
                "breakdowns",
                format!(
                    "too many groups (over {MAX_GROUPS}); break down by fewer or less varied columns, or add a filter"
                ),
            ));
        }
        totals.grow(groups.len());
        totals.add(r.chunk, &rows, &gids);
        matched += rows.len() as u64;
        selected.push(Selected {
            chunk: r.chunk,
            rows,
            groups: gids,
        });
    }
    totals.grow(groups.len());
    totals.finish();

    let all: Vec<GroupTotals> = (0..groups.len())
        .filter(|&g| plan.breakdowns.is_empty() || totals.count(g) > 0)
        .collect::<Vec<_>>()
        .into_iter()
        .map(|g| GroupTotals {
            group: g as u32,
            key: groups.key(g as u32),
            values: totals.values(g),
        })
        .collect();
    let (kept, groups_truncated) = select_groups(&plan, all);

    let series = series(&plan, &selected, &kept, groups.len());
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

/// Per (kept group, time bucket) values.
fn series(
    plan: &Plan,
    selected: &[Selected<'_>],
    kept: &[GroupTotals],
    groups: usize,
) -> Vec<GroupSeries> {
    let buckets = &plan.buckets;
    let nb = buckets.count;
    let mut position = vec![u32::MAX; groups];
    for (i, g) in kept.iter().enumerate() {
        position[g.group as usize] = i as u32;
    }
    let mut agg = Aggregates::new(&plan.calcs);
    agg.grow(kept.len() * nb);
    let (mut rows, mut slots) = (Vec::new(), Vec::new());
    for s in selected {
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
    kept.iter()
        .enumerate()
        .map(|(i, g)| GroupSeries {
            group: g.key.clone(),
            points: (0..nb)
                .map(|t| SeriesPoint {
                    time_ms: buckets.start(t),
                    values: agg.values(i * nb + t),
                })
                .collect(),
        })
        .collect()
}
