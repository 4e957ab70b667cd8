//! HEATMAP: the distribution of a column's numbers per time bucket, over every event
//! that passed the filters. Two passes over the selected rows, each run of units on
//! its own thread: the range of the numbers (for the value axis, see [`crate::axis`]),
//! then the counts, added up run by run.

use bulbwatch_api::{HEATMAP_VALUE_BUCKETS, Heatmap, HeatmapRow, HeatmapScale};

use crate::axis::Axis;
use crate::execute::Selected;
use crate::parallel::map_parts;
use crate::spec::Buckets;
use crate::table::chunk::is_integral;

/// Widest span of whole numbers whose buckets are looked up in a table.
const LOOKUP_MAX: usize = 1 << 20;

/// The heatmap of `column` (named `name`) over the selected rows.
pub(crate) fn heatmap(
    runs: &[&[Selected<'_>]],
    column: usize,
    name: &str,
    buckets: &Buckets,
) -> Heatmap {
    let ranges = map_parts(runs, |run| {
        let (mut min, mut max, mut integral) = (f64::INFINITY, f64::NEG_INFINITY, true);
        for s in *run {
            let Some(values) = s.chunk.numbers(column) else {
                continue;
            };
            for &r in &s.rows {
                let v = values[r as usize];
                if !v.is_nan() {
                    min = min.min(v);
                    max = max.max(v);
                    integral &= is_integral(v);
                }
            }
        }
        (min, max, integral)
    });
    let (min, max, integral) = ranges.into_iter().fold(
        (f64::INFINITY, f64::NEG_INFINITY, true),
        |(a, b, c), (x, y, z)| (a.min(x), b.max(y), c && z),
    );
    let mut rows: Vec<HeatmapRow> = (0..buckets.count)
        .map(|i| HeatmapRow {
            time_ms: buckets.start(i),
            counts: Vec::new(),
        })
        .collect();
    if min > max {
        return Heatmap {
            column: name.to_owned(),
            scale: HeatmapScale::Linear,
            boundaries: Vec::new(),
            rows,
            max_count: 0,
        };
    }
    let axis = Axis::new(min, max, integral, HEATMAP_VALUE_BUCKETS);
    let nv = axis.buckets();
    let locator = axis.locator();
    // Whole numbers over a span much smaller than the rows: each value's bucket looked
    // up in a table made with the locator itself (the same buckets, without a
    // logarithm per row).
    let rows_in: usize = runs
        .iter()
        .flat_map(|r| r.iter())
        .map(|s| s.rows.len())
        .sum();
    let span = max - min;
    let table: Option<Vec<u8>> = (integral
        && nv <= usize::from(u8::MAX)
        && span < LOOKUP_MAX as f64
        && (span as usize + 1) * 4 <= rows_in)
        .then(|| {
            (0..=span as usize)
                .map(|i| locator.bucket(min + i as f64) as u8)
                .collect()
        });
    let bucket = |v: f64| match &table {
        Some(t) => usize::from(t[(v - min) as usize]),
        None => locator.bucket(v),
    };
    let grids = map_parts(runs, |run| {
        let mut grid = vec![0u32; buckets.count * nv];
        for s in *run {
            let Some(values) = s.chunk.numbers(column) else {
                continue;
            };
            let Some(&first) = s.rows.first() else {
                continue;
            };
            let ts = &s.chunk.timestamps;
            let mut t = buckets.index(ts[first as usize]);
            let mut edge = buckets.start(t + 1);
            for &r in &s.rows {
                let at = ts[r as usize];
                while at >= edge {
                    t += 1;
                    edge += buckets.width_ms;
                }
                let v = values[r as usize];
                if !v.is_nan() {
                    grid[t * nv + bucket(v)] += 1;
                }
            }
        }
        grid
    });
    let mut grids = grids.into_iter();
    let mut grid = grids.next().unwrap_or_default();
    for other in grids {
        grid.iter_mut().zip(other).for_each(|(a, b)| *a += b);
    }
    for (row, counts) in rows.iter_mut().zip(grid.chunks_exact(nv)) {
        row.counts = counts.to_vec();
    }
    Heatmap {
        column: name.to_owned(),
        scale: axis.scale,
        boundaries: axis.edges,
        rows,
        max_count: grid.iter().copied().max().unwrap_or(0),
    }
}
