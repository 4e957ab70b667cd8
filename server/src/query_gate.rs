//! What one question may cost: the size of its answer, and how many are worked on at
//! once, so one attendee with a script cannot take the server's memory or its cores.
//!
//! - **Answer size.** Before a query runs, its answer's size is bounded from the spec
//!   alone: groups (`limit`) × (calculations + time buckets × each calculation's
//!   values per bucket, [`HEATMAP_VALUE_BUCKETS`] for a heatmap). Past
//!   [`MAX_ANSWER_CELLS`] it is refused (400) with how to narrow it. The engine only
//!   computes series for the groups it keeps, so this also bounds what it holds.
//! - **At once.** At most [`QUERIES_AT_ONCE`] queries or comparisons run together
//!   (one a core); others wait their turn up to [`QUEUE_WAIT`], at most
//!   [`QUERIES_WAITING`] of them. Past either, a 503 in the envelope says to try again.
//!   A query alone uses both cores ([`QueryGate::threads_now`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bulbwatch_api::{
    CalcOp, HEATMAP_VALUE_BUCKETS, QUERY_LIMIT_DEFAULT, QuerySpec, TIME_BUCKETS_MAX,
    TIME_RANGE_DEFAULT_S,
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

/// Most values one answer may hold (see the module doc).
pub const MAX_ANSWER_CELLS: u64 = 1_000_000;
/// Queries and comparisons worked on at once.
pub const QUERIES_AT_ONCE: usize = 2;
/// Queries waiting for their turn, at most.
pub const QUERIES_WAITING: usize = 32;
/// Longest a query waits for its turn.
pub const QUEUE_WAIT: Duration = Duration::from_secs(10);
/// Buckets of an automatic granularity, at most (the engine aims at 120), plus one
/// for a range that does not start on a bucket.
const AUTO_BUCKETS: u64 = 121;

/// The upper bound on the values `spec`'s answer holds.
pub fn answer_cells(spec: &QuerySpec) -> u64 {
    let groups = if spec.breakdowns.is_empty() {
        1
    } else {
        u64::from(spec.limit.unwrap_or(QUERY_LIMIT_DEFAULT)).max(1)
    };
    let range_s = match (spec.start_time, spec.end_time) {
        (Some(start), Some(end)) => u64::try_from(end.saturating_sub(start)).unwrap_or(0),
        _ => spec.time_range.unwrap_or(TIME_RANGE_DEFAULT_S),
    };
    let buckets = match spec.granularity {
        Some(g) if g > 0 => (range_s / g + 2).min(TIME_BUCKETS_MAX + 1),
        _ => AUTO_BUCKETS,
    };
    let per_bucket: u64 = spec
        .calculations
        .iter()
        .map(|c| match c.op {
            CalcOp::Heatmap => HEATMAP_VALUE_BUCKETS as u64,
            _ => 1,
        })
        .sum();
    let calculations = spec.calculations.len().max(1) as u64;
    groups.saturating_mul(calculations.saturating_add(buckets.saturating_mul(per_bucket.max(1))))
}

/// Refuses a spec whose answer could be over [`MAX_ANSWER_CELLS`].
pub fn check_answer_size(spec: &QuerySpec) -> Result<(), AppError> {
    let cells = answer_cells(spec);
    if cells <= MAX_ANSWER_CELLS {
        return Ok(());
    }
    Err(AppError::Invalid(format!(
        "limit: this question's answer could hold {cells} values (groups × time buckets × \
         calculations, a heatmap counting {HEATMAP_VALUE_BUCKETS} a bucket), over the \
         {MAX_ANSWER_CELLS} a query may answer: ask for fewer groups (`limit`), a coarser \
         `granularity`, a shorter time range or fewer calculations"
    )))
}

/// Turns for queries: [`QUERIES_AT_ONCE`] at a time, a bounded line behind them.
#[derive(Clone)]
pub struct QueryGate {
    running: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
}

impl Default for QueryGate {
    fn default() -> Self {
        Self {
            running: Arc::new(Semaphore::new(QUERIES_AT_ONCE)),
            waiting: Arc::new(AtomicUsize::new(0)),
        }
    }
}

/// Leaves the line however the wait ends.
struct InLine<'a>(&'a AtomicUsize);

impl Drop for InLine<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

impl QueryGate {
    /// The threads a query that holds a turn may use: both cores when it runs alone,
    /// one when another query runs beside it (so two never ask for four threads).
    pub fn threads_now(&self) -> usize {
        let running = QUERIES_AT_ONCE - self.running.available_permits();
        if running <= 1 { QUERIES_AT_ONCE } else { 1 }
    }

    /// Waits for a turn; a 503 when the line is full or the wait too long.
    pub async fn turn(&self) -> Result<OwnedSemaphorePermit, AppError> {
        if let Ok(permit) = self.running.clone().try_acquire_owned() {
            return Ok(permit);
        }
        let busy = || {
            AppError::Busy(format!(
                "the server is answering as many questions as it can ({QUERIES_AT_ONCE} at once, \
                 {QUERIES_WAITING} waiting): try again in a moment"
            ))
        };
        if self.waiting.fetch_add(1, Ordering::Relaxed) >= QUERIES_WAITING {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
            return Err(busy());
        }
        let _in_line = InLine(&self.waiting);
        match tokio::time::timeout(QUEUE_WAIT, self.running.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(busy()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::Calculation;

    fn spec(json: serde_json::Value) -> QuerySpec {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_largest_allowed_spec_is_over_the_answer_cap_and_a_usual_one_is_not() {
        let calcs: Vec<_> = (0..20)
            .map(|_| serde_json::json!({"op": "COUNT"}))
            .collect();
        let huge = spec(serde_json::json!({
            "dataset": "bulb", "calculations": calcs, "breakdowns": ["route"],
            "limit": 1000, "time_range": 1000, "granularity": 1
        }));
        assert_eq!(answer_cells(&huge), 1000 * (20 + 1001 * 20));
        let refused = check_answer_size(&huge).unwrap_err().to_string();
        assert!(refused.contains("fewer groups (`limit`)"), "{refused}");

        let usual = spec(serde_json::json!({
            "dataset": "e2e", "breakdowns": ["attendee"],
            "calculations": [{"op": "COUNT"}, {"op": "P95", "column": "duration_ms"}]
        }));
        assert!(check_answer_size(&usual).is_ok());
        let heatmap = QuerySpec {
            calculations: vec![Calculation {
                op: CalcOp::Heatmap,
                column: Some("duration_ms".into()),
            }],
            ..usual
        };
        assert_eq!(
            answer_cells(&heatmap),
            100 * (1 + AUTO_BUCKETS * HEATMAP_VALUE_BUCKETS as u64)
        );
    }

    #[tokio::test]
    async fn past_the_running_and_the_waiting_a_query_is_refused() {
        let gate = QueryGate::default();
        let mut held = Vec::new();
        for _ in 0..QUERIES_AT_ONCE {
            held.push(gate.turn().await.unwrap());
        }
        let mut waiting = Vec::new();
        for _ in 0..QUERIES_WAITING {
            let gate = gate.clone();
            waiting.push(tokio::spawn(async move { gate.turn().await.map(drop) }));
        }
        while gate.waiting.load(Ordering::Relaxed) < QUERIES_WAITING {
            tokio::task::yield_now().await;
        }
        let refused = gate.turn().await.unwrap_err();
        assert!(matches!(refused, AppError::Busy(_)), "{refused}");
        drop(held);
        for w in waiting {
            w.await.unwrap().unwrap();
        }
        assert_eq!(gate.waiting.load(Ordering::Relaxed), 0);
    }
}
