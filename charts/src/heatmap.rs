//! Heatmaps: counts of events per time bucket and value bucket — from a query's answer
//! or binned here from raw events, the same shape as the server's — and what a point or
//! a dragged box on the drawing means.

use std::ops::Range;

use bulbwatch_api::{HEATMAP_VALUE_BUCKETS, Marker, QueryResult};

use crate::plot_rect::PlotRect;
use crate::series::{MarkerLine, marker_lines};

/// Largest/smallest ratio from which positive values get log buckets (as the server).
const LOG_RATIO: f64 = 20.0;

/// A grid of counts: time buckets (x) by value buckets (y).
#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapChart {
    /// Start of the first time bucket, ms since the epoch.
    pub start_ms: i64,
    /// End of the last time bucket, ms since the epoch.
    pub end_ms: i64,
    /// Width of a time bucket, ms.
    pub granularity_ms: i64,
    /// The column whose values are counted.
    pub column: String,
    /// Value bucket edges, ascending (bucket `j` is `[b[j], b[j+1])`, the last one
    /// closed); empty when no event had a number.
    pub boundaries: Vec<f64>,
    /// Per time bucket, per value bucket: the number of events.
    pub columns: Vec<Vec<u32>>,
    /// The largest count of any cell.
    pub max_count: u32,
    /// Markers to draw as vertical lines.
    pub markers: Vec<MarkerLine>,
}

/// One cell of the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapCell {
    /// Start of its time bucket, ms.
    pub start_ms: i64,
    /// End of its time bucket, ms.
    pub end_ms: i64,
    /// Lower edge of its value bucket.
    pub min_value: f64,
    /// Upper edge of its value bucket.
    pub max_value: f64,
    /// Events in it.
    pub count: u32,
}

/// A box of whole cells chosen by dragging.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapSelection {
    /// Start of the first time bucket, ms.
    pub start_ms: i64,
    /// End of the last time bucket, ms.
    pub end_ms: i64,
    /// Lower edge of the lowest value bucket.
    pub min_value: f64,
    /// Upper edge of the highest value bucket.
    pub max_value: f64,
}

impl HeatmapChart {
    /// Heatmap number `heatmap` of the answer (an index into `r.heatmaps`); `None` when
    /// there is no such heatmap or no event had a number in its column.
    pub fn from_result(r: &QueryResult, heatmap: usize, markers: &[Marker]) -> Option<Self> {
        let h = r.heatmaps.get(heatmap)?;
        if h.boundaries.len() < 2 || r.granularity_ms <= 0 {
            return None;
        }
        let g = r.granularity_ms;
        let buckets = h.boundaries.len() - 1;
        let start_ms = h
            .rows
            .first()
            .map_or_else(|| r.start_time_ms.div_euclid(g) * g, |row| row.time_ms);
        let columns: Vec<Vec<u32>> = h
            .rows
            .iter()
            .map(|row| {
                let mut counts = row.counts.clone();
                counts.resize(buckets, 0);
                counts
            })
            .collect();
        let max_count = columns.iter().flatten().copied().max().unwrap_or(0);
        Some(HeatmapChart {
            start_ms,
            end_ms: start_ms + g * columns.len() as i64,
            granularity_ms: g,
            column: h.column.clone(),
            boundaries: h.boundaries.clone(),
            columns,
            max_count: max_count.max(h.max_count),
            markers: marker_lines(markers),
        })
    }

    /// Bins `(time_ms, value)` events as the server does: time buckets aligned to
    /// multiples of `granularity_ms`, covering `[start_ms, end_ms)`; at most
    /// `value_buckets` value buckets from the smallest to the largest value (one per
    /// integer for a small range of whole numbers, log spaced for positive values
    /// spanning 20× or more). Events outside the time range or not finite are ignored.
    pub fn from_events(
        events: &[(i64, f64)],
        start_ms: i64,
        end_ms: i64,
        granularity_ms: i64,
        value_buckets: usize,
    ) -> Self {
        let g = granularity_ms.max(1);
        let first = start_ms.div_euclid(g) * g;
        let times = if end_ms > first {
            ((end_ms - first + g - 1) / g) as usize
        } else {
            0
        };
        let inside = |&&(t, v): &&(i64, f64)| t >= start_ms && t < end_ms && v.is_finite();
        let (mut min, mut max, mut integral) = (f64::INFINITY, f64::NEG_INFINITY, true);
        for &(_, v) in events.iter().filter(inside) {
            min = min.min(v);
            max = max.max(v);
            integral &= v.fract() == 0.0;
        }
        let boundaries = if min <= max {
            value_edges(min, max, integral, value_buckets)
        } else {
            Vec::new()
        };
        let nv = boundaries.len().saturating_sub(1);
        let mut grid = vec![0u32; times * nv];
        if nv > 0 {
            let locate = Locator::new(&boundaries);
            for &(t, v) in events.iter().filter(inside) {
                let i = ((t - first) / g) as usize;
                grid[i * nv + locate.bucket(v)] += 1;
            }
        }
        let max_count = grid.iter().copied().max().unwrap_or(0);
        let columns = if nv == 0 {
            vec![Vec::new(); times]
        } else {
            grid.chunks(nv).map(<[u32]>::to_vec).collect()
        };
        HeatmapChart {
            start_ms: first,
            end_ms: first + g * times as i64,
            granularity_ms: g,
            column: String::new(),
            boundaries,
            columns,
            max_count,
            markers: Vec::new(),
        }
    }

    /// Number of time buckets.
    pub fn time_buckets(&self) -> usize {
        self.columns.len()
    }

    /// Number of value buckets.
    pub fn value_buckets(&self) -> usize {
        self.boundaries.len().saturating_sub(1)
    }

    /// Whether the value buckets are log spaced (equal ratios rather than widths).
    pub fn is_log(&self) -> bool {
        is_log(&self.boundaries)
    }

    /// A value's position on the value axis in buckets from the bottom (0 at the first
    /// edge, `value_buckets()` at the last), interpolated within its bucket.
    pub fn value_position(&self, v: f64) -> f64 {
        let b = &self.boundaries;
        let n = self.value_buckets();
        if n == 0 {
            return 0.0;
        }
        if v <= b[0] {
            return 0.0;
        }
        if v >= b[n] {
            return n as f64;
        }
        let j = b.partition_point(|&e| e <= v).saturating_sub(1).min(n - 1);
        let (lo, hi) = (b[j], b[j + 1]);
        let frac = if hi <= lo {
            0.0
        } else if self.is_log() {
            (v / lo).ln() / (hi / lo).ln()
        } else {
            (v - lo) / (hi - lo)
        };
        j as f64 + frac
    }

    /// Pixel x of a time bucket edge `i` (0 ..= time_buckets()).
    pub fn x_of(&self, rect: &PlotRect, i: f64) -> f64 {
        let n = self.time_buckets().max(1) as f64;
        rect.left + rect.width() * i / n
    }

    /// Pixel y of a value bucket position (0 at the bottom ..= value_buckets()).
    pub fn y_of(&self, rect: &PlotRect, j: f64) -> f64 {
        let n = self.value_buckets().max(1) as f64;
        rect.bottom - rect.height() * j / n
    }

    /// The time buckets drawn together as one column when no cell may be thinner than
    /// `min_width` device px (see [`cell_spans`]).
    pub fn column_spans(&self, rect: &PlotRect, min_width: f64) -> Vec<Range<usize>> {
        cell_spans(self.time_buckets(), rect.width(), min_width)
    }

    /// The value buckets drawn together as one row when no cell may be shorter than
    /// `min_height` device px.
    pub fn row_spans(&self, rect: &PlotRect, min_height: f64) -> Vec<Range<usize>> {
        cell_spans(self.value_buckets(), rect.height(), min_height)
    }

    /// Pixel x of a time.
    pub fn x_of_time(&self, rect: &PlotRect, ms: i64) -> f64 {
        let g = self.granularity_ms.max(1) as f64;
        self.x_of(rect, (ms - self.start_ms) as f64 / g)
    }

    /// Fractional bucket positions `(time, value)` of a pixel.
    fn positions(&self, rect: &PlotRect, x: f64, y: f64) -> (f64, f64) {
        let (n, m) = (self.time_buckets() as f64, self.value_buckets() as f64);
        let i = if rect.width() > 0.0 {
            (x - rect.left) / rect.width() * n
        } else {
            0.0
        };
        let j = if rect.height() > 0.0 {
            (rect.bottom - y) / rect.height() * m
        } else {
            0.0
        };
        (i, j)
    }

    /// The cell under `(x, y)` (device pixels), when it is inside the plotting area, as
    /// drawn with cells of at least `min_cell` device px: where thin buckets were drawn
    /// together, the whole drawn cell (its ranges, and the events in it).
    pub fn cell_at(&self, rect: &PlotRect, x: f64, y: f64, min_cell: f64) -> Option<HeatmapCell> {
        let (n, m) = (self.time_buckets(), self.value_buckets());
        if n == 0 || m == 0 || !rect.contains(x, y) {
            return None;
        }
        let (i, j) = self.positions(rect, x, y);
        let (i, j) = ((i as usize).min(n - 1), (j.max(0.0) as usize).min(m - 1));
        let holding = |spans: Vec<Range<usize>>, k: usize| {
            spans
                .into_iter()
                .find(|s| s.contains(&k))
                .unwrap_or(k..k + 1)
        };
        let times = holding(self.column_spans(rect, min_cell), i);
        let values = holding(self.row_spans(rect, min_cell), j);
        let start_ms = self.start_ms + self.granularity_ms * times.start as i64;
        let count = self.columns[times.clone()]
            .iter()
            .flat_map(|column| column.get(values.clone()).unwrap_or_default())
            .sum();
        Some(HeatmapCell {
            start_ms,
            end_ms: self.start_ms + self.granularity_ms * times.end as i64,
            min_value: self.boundaries[values.start],
            max_value: self.boundaries[values.end],
            count,
        })
    }

    /// The whole cells a box dragged from `from` to `to` (device pixels) touches: both
    /// corners clamped to the plotting area, edges snapped outwards to bucket edges, at
    /// least one cell each way.
    pub fn selection(
        &self,
        rect: &PlotRect,
        from: (f64, f64),
        to: (f64, f64),
    ) -> Option<HeatmapSelection> {
        let (n, m) = (self.time_buckets(), self.value_buckets());
        if n == 0 || m == 0 {
            return None;
        }
        let (ax, ay) = rect.clamp(from.0, from.1);
        let (bx, by) = rect.clamp(to.0, to.1);
        let (ai, aj) = self.positions(rect, ax, ay);
        let (bi, bj) = self.positions(rect, bx, by);
        let (i0, i1) = snap(ai.min(bi), ai.max(bi), n);
        let (j0, j1) = snap(aj.min(bj), aj.max(bj), m);
        Some(HeatmapSelection {
            start_ms: self.start_ms + self.granularity_ms * i0 as i64,
            end_ms: self.start_ms + self.granularity_ms * i1 as i64,
            min_value: self.boundaries[j0],
            max_value: self.boundaries[j1],
        })
    }

    /// Where a selection sits, in device pixels.
    pub fn selection_box(&self, rect: &PlotRect, s: &HeatmapSelection) -> PlotRect {
        let top = self
            .y_of(rect, self.value_position(s.max_value))
            .clamp(rect.top, rect.bottom);
        let bottom = self
            .y_of(rect, self.value_position(s.min_value))
            .clamp(rect.top, rect.bottom);
        PlotRect {
            left: self
                .x_of_time(rect, s.start_ms)
                .clamp(rect.left, rect.right),
            right: self.x_of_time(rect, s.end_ms).clamp(rect.left, rect.right),
            top,
            bottom,
        }
    }
}

/// `count` buckets sharing `length` device px, in runs drawn as one cell at least
/// `min` px long: single buckets when they are long enough, else runs of the fewest
/// buckets that are (aligned to multiples of that many, so a redraw keeps them), the
/// last run joining the one before when it would be shorter. Every bucket is in
/// exactly one run, in order.
pub fn cell_spans(count: usize, length: f64, min: f64) -> Vec<Range<usize>> {
    if count == 0 {
        return Vec::new();
    }
    let each = length / count as f64;
    let k = if each >= min || each <= 0.0 {
        1
    } else {
        ((min / each).ceil() as usize).clamp(1, count)
    };
    let mut spans: Vec<Range<usize>> = (0..count.div_ceil(k))
        .map(|i| i * k..((i + 1) * k).min(count))
        .collect();
    if spans.len() > 1
        && let Some(last) = spans.last()
        && ((last.end - last.start) as f64) * each < min
    {
        let end = last.end;
        spans.pop();
        if let Some(before) = spans.last_mut() {
            before.end = end;
        }
    }
    spans
}

/// Whole buckets `[lo, hi)` covering fractional positions `[a, b]`, inside `0..=n`.
fn snap(a: f64, b: f64, n: usize) -> (usize, usize) {
    const EPS: f64 = 1e-9;
    let lo = ((a + EPS).floor().max(0.0) as usize).min(n - 1);
    let hi = ((b - EPS).ceil().max(0.0) as usize).clamp(lo + 1, n);
    (lo, hi)
}

/// Whether edges are log spaced: positive, spanning 20× or more, widths growing.
fn is_log(b: &[f64]) -> bool {
    let n = b.len();
    if n < 3 || b[0] <= 0.0 || b[n - 1] < LOG_RATIO * b[0] {
        return false;
    }
    let (first, last) = (b[1] - b[0], b[n - 1] - b[n - 2]);
    last > first * 1.5
}

/// Value bucket edges over `[min, max]`, as the server's axis (see `from_events`).
fn value_edges(min: f64, max: f64, integral: bool, n: usize) -> Vec<f64> {
    let n = if n == 0 { HEATMAP_VALUE_BUCKETS } else { n };
    if integral && max - min + 1.0 <= n as f64 {
        return (0..=(max - min) as usize + 1)
            .map(|i| min + i as f64)
            .collect();
    }
    if min == max {
        return vec![min, max];
    }
    let mut edges: Vec<f64> = if min > 0.0 && max >= LOG_RATIO * min {
        let (lo, hi) = (min.ln(), max.ln());
        (0..=n)
            .map(|i| (lo + (hi - lo) * i as f64 / n as f64).exp())
            .collect()
    } else {
        (0..=n)
            .map(|i| min + (max - min) * i as f64 / n as f64)
            .collect()
    };
    edges[0] = min;
    edges[n] = max;
    edges
}

/// Finds a value's bucket: a guess from the spacing, corrected against the edges.
struct Locator<'a> {
    edges: &'a [f64],
    log: bool,
    origin: f64,
    scale: f64,
}

impl<'a> Locator<'a> {
    fn new(edges: &'a [f64]) -> Self {
        let n = edges.len() - 1;
        let (first, last) = (edges[0], edges[n]);
        let log = is_log(edges);
        let (origin, scale) = if log {
            (first.ln(), n as f64 / (last.ln() - first.ln()))
        } else if last > first {
            (first, n as f64 / (last - first))
        } else {
            (first, 0.0)
        };
        Locator {
            edges,
            log,
            origin,
            scale,
        }
    }

    /// The bucket of `v` (`min <= v <= max`).
    fn bucket(&self, v: f64) -> usize {
        let n = self.edges.len() - 1;
        let x = if self.log { v.ln() } else { v };
        let mut j = (((x - self.origin) * self.scale).max(0.0) as usize).min(n - 1);
        while j > 0 && v < self.edges[j] {
            j -= 1;
        }
        while j + 1 < n && v >= self.edges[j + 1] {
            j += 1;
        }
        j
    }
}
