//! Latency summaries: nearest-rank percentiles, as the query engine computes them.

/// p50, p95, p99 and the largest of some latencies, in ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

impl Summary {
    /// Summarises `ms`; `None` when there is nothing to summarise.
    pub fn of(mut ms: Vec<f64>) -> Option<Self> {
        if ms.is_empty() {
            return None;
        }
        ms.sort_by(f64::total_cmp);
        Some(Self {
            count: ms.len(),
            p50: nearest_rank(&ms, 50.0),
            p95: nearest_rank(&ms, 95.0),
            p99: nearest_rank(&ms, 99.0),
            max: ms[ms.len() - 1],
        })
    }
}

/// The ⌈p·n/100⌉-th smallest of the sorted, non-empty `sorted`.
fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_values_some_delivery_had() {
        let ms: Vec<f64> = (1..=200).map(f64::from).collect();
        let summary = Summary::of(ms).unwrap();
        assert_eq!(summary.count, 200);
        assert_eq!(summary.p50, 100.0);
        assert_eq!(summary.p95, 190.0);
        assert_eq!(summary.p99, 198.0);
        assert_eq!(summary.max, 200.0);
        assert_eq!(Summary::of(Vec::new()), None);
    }
}
