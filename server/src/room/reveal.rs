//! What the reveal says: one cause per active failure, with this session's numbers
//! and the query that shows it in Explore. For now the one cause is the busy queue.

use bulbwatch_api::{Reveal, RevealedCause};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::json;

use crate::AppState;
use crate::error::AppError;
use crate::store::now_ms;

/// What `encodeURIComponent` leaves alone, so Explore reads the address it made.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// The address of a query in Explore: `/explore?q=<the spec's JSON, encoded>`.
pub fn explore_url(spec: &serde_json::Value) -> String {
    format!(
        "/explore?q={}",
        utf8_percent_encode(&spec.to_string(), URI_COMPONENT)
    )
}

/// The reveal for the room as it is now.
pub async fn reveal(state: &AppState) -> Result<Reveal, AppError> {
    Ok(Reveal {
        revealed_at_ms: now_ms(),
        causes: vec![busy_queue(state).await?],
    })
}

async fn busy_queue(state: &AppState) -> Result<RevealedCause, AppError> {
    let delay = state.bulb.queue_delay_ms();
    let (changes, longest, mut waits) = state.store.queue_history().await?;
    waits.sort_unstable();
    let p95 = percentile(&waits, 0.95);
    let worst = waits.last().copied().unwrap_or(0);
    // The classic check polls 30 times, 100 ms apart: about 3 s.
    let fits = 3000u32.checked_div(delay).unwrap_or(0);
    let numbers = if changes == 0 {
        "No change went through the queue this session yet.".to_string()
    } else {
        format!(
            "This session {} went through it; the longest queue was {}, and from request \
             to applied took {p95} ms at P95 ({worst} ms at worst).",
            plural(changes, "change"),
            plural(u64::from(longest), "change"),
        )
    };
    let limit = if fits == 0 {
        String::new()
    } else {
        format!(
            " A check that polls for about 3 s gives up once more than {fits} changes are ahead of its own."
        )
    };
    let spec = json!({
        "dataset": "bulb",
        "calculations": [{"op": "P95", "column": "delay_ms"}, {"op": "COUNT"}],
        "filters": [{"column": "name", "op": "=", "value": "bulb.apply"}],
        "breakdowns": ["queue_length"],
        "orders": [{"column": "queue_length"}],
        "time_range": 7200,
    });
    Ok(RevealedCause {
        title: "Busy queue".into(),
        text: format!(
            "Every change waits its turn in one queue, and the bulb's worker waits the queue \
             delay ({delay} ms now) before applying each. The PUT answered 202 at once and \
             nothing threw: the change was simply still queued when the check stopped polling. \
             {numbers}{limit} With the instrumentation point bulb.apply.delay on, \
             the apply spans show it: delay_ms grows with queue_length."
        ),
        explore_url: explore_url(&spec),
    })
}

fn plural(n: u64, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The nearest-rank percentile of sorted values (0 when there are none).
fn percentile(sorted: &[i64], q: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explore_urls_encode_like_encode_uri_component() {
        let url = explore_url(&json!({"dataset": "bulb", "breakdowns": ["a b"]}));
        assert_eq!(
            url,
            "/explore?q=%7B%22breakdowns%22%3A%5B%22a%20b%22%5D%2C%22dataset%22%3A%22bulb%22%7D"
        );
    }

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let values: Vec<i64> = (1..=100).collect();
        assert_eq!(percentile(&values, 0.95), 95);
        assert_eq!(percentile(&[7], 0.95), 7);
        assert_eq!(percentile(&[], 0.95), 0);
    }
}
