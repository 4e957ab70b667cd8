//! Value axis of heatmaps and of compared numeric columns: where the bucket edges go.
//!
//! Given the smallest and largest number and whether all are whole numbers:
//! - whole numbers spanning fewer values than buckets: one bucket per integer,
//!   `[k, k + 1)`;
//! - a single value: one bucket `[v, v]`;
//! - all positive with the largest at least 20× the smallest: log spacing,
//!   `edge[i] = exp(ln min + (ln max − ln min) · i / n)`;
//! - otherwise linear, `edge[i] = min + (max − min) · i / n`.
//!
//! The first edge is exactly `min` and the last exactly `max`. A value belongs to the
//! last bucket whose lower edge is `<=` it (so `max` sits in the last bucket).

use bulbwatch_api::HeatmapScale;

/// Largest/smallest ratio from which positive values get log buckets.
pub(crate) const LOG_RATIO: f64 = 20.0;

/// Bucket edges over a range of numbers.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Axis {
    pub(crate) scale: HeatmapScale,
    /// `buckets + 1` edges, ascending.
    pub(crate) edges: Vec<f64>,
    /// One bucket per integer.
    pub(crate) unit: bool,
}

impl Axis {
    /// At most `n` buckets from `min` to `max` (see the module docs).
    pub(crate) fn new(min: f64, max: f64, integral: bool, n: usize) -> Self {
        let n = n.max(1);
        if integral && max - min + 1.0 <= n as f64 {
            let edges = (0..=(max - min) as usize + 1)
                .map(|i| min + i as f64)
                .collect();
            return Axis {
                scale: HeatmapScale::Linear,
                edges,
                unit: true,
            };
        }
        if min == max {
            return Axis {
                scale: HeatmapScale::Linear,
                edges: vec![min, max],
                unit: false,
            };
        }
        let (scale, mut edges): (_, Vec<f64>) = if min > 0.0 && max >= LOG_RATIO * min {
            let (lo, hi) = (min.ln(), max.ln());
            let edges = (0..=n)
                .map(|i| (lo + (hi - lo) * i as f64 / n as f64).exp())
                .collect();
            (HeatmapScale::Log, edges)
        } else {
            let edges = (0..=n)
                .map(|i| min + (max - min) * i as f64 / n as f64)
                .collect();
            (HeatmapScale::Linear, edges)
        };
        edges[0] = min;
        edges[n] = max;
        Axis {
            scale,
            edges,
            unit: false,
        }
    }

    /// Number of buckets.
    pub(crate) fn buckets(&self) -> usize {
        self.edges.len() - 1
    }

    /// A locator for values inside `[min, max]`.
    pub(crate) fn locator(&self) -> Locator<'_> {
        let n = self.buckets();
        let (first, last) = (self.edges[0], self.edges[n]);
        let (origin, scale) = match self.scale {
            _ if self.unit => (first, 1.0),
            HeatmapScale::Log => (first.ln(), n as f64 / (last.ln() - first.ln())),
            HeatmapScale::Linear if last > first => (first, n as f64 / (last - first)),
            HeatmapScale::Linear => (first, 0.0),
        };
        Locator {
            edges: &self.edges,
            log: self.scale == HeatmapScale::Log,
            origin,
            scale,
        }
    }
}

/// Finds a value's bucket: a guess from the formula, corrected against the edges so
/// the answer always agrees with them.
pub(crate) struct Locator<'a> {
    edges: &'a [f64],
    log: bool,
    origin: f64,
    scale: f64,
}

impl Locator<'_> {
    /// The bucket of `v` (`min <= v <= max`).
    #[inline]
    pub(crate) fn bucket(&self, v: f64) -> usize {
        let n = self.edges.len() - 1;
        let x = if self.log { v.ln() } else { v };
        let mut j = (((x - self.origin) * self.scale) as usize).min(n - 1);
        while j > 0 && v < self.edges[j] {
            j -= 1;
        }
        while j + 1 < n && v >= self.edges[j + 1] {
            j += 1;
        }
        j
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_search(a: &Axis, v: f64) -> usize {
        a.edges[..a.buckets()].partition_point(|&e| e <= v) - 1
    }

    #[test]
    fn axes_have_the_documented_shapes() {
        let unit = Axis::new(0.0, 3.0, true, 40);
        assert_eq!(unit.edges, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        let one = Axis::new(5.5, 5.5, false, 40);
        assert_eq!(
            (one.edges.clone(), one.locator().bucket(5.5)),
            (vec![5.5, 5.5], 0)
        );
        let log = Axis::new(1.0, 10_000.0, true, 4);
        assert_eq!(log.scale, HeatmapScale::Log);
        assert_eq!(log.edges.len(), 5);
        assert!((log.edges[2] - 100.0).abs() < 1e-9);
        let lin = Axis::new(-1.0, 1.0, false, 4);
        assert_eq!(lin.edges, vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
    }

    #[test]
    fn the_locator_agrees_with_the_edges() {
        for a in [
            Axis::new(0.3, 977.0, false, 40),
            Axis::new(-5.0, 11.0, false, 7),
            Axis::new(2.0, 9.0, true, 40),
            Axis::new(1.0, 1e6, true, 40),
        ] {
            let loc = a.locator();
            let mut probes: Vec<f64> = a.edges.clone();
            probes.extend(
                a.edges
                    .iter()
                    .map(|e| e.next_up().min(a.edges[a.buckets()])),
            );
            probes.extend(a.edges.iter().map(|e| e.next_down().max(a.edges[0])));
            for v in probes {
                assert_eq!(loc.bucket(v), by_search(&a, v), "{v} in {:?}", a.edges);
            }
        }
    }
}
