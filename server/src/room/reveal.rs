//! What the reveal says: one cause per active failure, with this session's numbers
//! and the query that shows it in Explore (from the scenarios, `crate::scenarios`).

use bulbwatch_api::{Reveal, RevealedCause};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::AppState;
use crate::error::AppError;
use crate::scenarios::RevealFacts;
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

/// The columns an Explore address (`/explore?q=…`) groups or filters by.
pub fn evidence_columns(evidence: &str) -> Vec<String> {
    let Some((_, query)) = evidence.split_once("?q=") else {
        return Vec::new();
    };
    let encoded = query.split('&').next().unwrap_or_default();
    let Ok(json) = percent_decode_str(encoded).decode_utf8() else {
        return Vec::new();
    };
    let Ok(spec) = serde_json::from_str::<serde_json::Value>(&json) else {
        return Vec::new();
    };
    let mut columns: Vec<String> = Vec::new();
    if let Some(breakdowns) = spec["breakdowns"].as_array() {
        columns.extend(
            breakdowns
                .iter()
                .filter_map(|b| b.as_str().map(str::to_string)),
        );
    }
    if let Some(filters) = spec["filters"].as_array() {
        columns.extend(
            filters
                .iter()
                .filter_map(|f| f["column"].as_str().map(str::to_string)),
        );
    }
    columns
}

/// The active scenarios (titles) whose root-cause column `evidence` groups or
/// filters by.
pub fn points_at(
    evidence: &str,
    causes: &[(&'static str, &'static [&'static str])],
) -> Vec<String> {
    let columns = evidence_columns(evidence);
    causes
        .iter()
        .filter(|(_, root)| root.iter().any(|c| columns.iter().any(|col| col == c)))
        .map(|(title, _)| (*title).to_string())
        .collect()
}

/// The reveal for the room as it is now: one cause per active scenario, with this
/// session's numbers.
pub async fn reveal(state: &AppState) -> Result<Reveal, AppError> {
    let (changes, longest, waits) = state.store.queue_history().await?;
    let facts = RevealFacts {
        queue_delay_ms: state.bulb.queue_delay_ms(),
        changes,
        longest_queue: longest,
        wait_p95_ms: p95(&waits),
        wait_worst_ms: waits.iter().copied().max().unwrap_or(0),
        ..RevealFacts::default()
    };
    let causes = state
        .scenarios
        .reveals(state.bulb.shards(), &facts)
        .into_iter()
        .map(|(title, text, explore_url)| RevealedCause {
            title,
            text,
            explore_url,
        })
        .collect();
    Ok(Reveal {
        revealed_at_ms: now_ms(),
        causes,
    })
}

/// The nearest-rank P95 of the waits, as the query engine computes it (0 when there
/// are none).
fn p95(waits: &[i64]) -> i64 {
    let mut values: Vec<f64> = waits.iter().map(|&w| w as f64).collect();
    bulbwatch_query::nearest_rank(&mut values, 95).map_or(0, |v| v as i64)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn evidence_points_at_the_scenarios_whose_cause_it_groups_or_filters_by() {
        let url = explore_url(&json!({
            "dataset": "bulb",
            "breakdowns": ["colour"],
            "filters": [{"column": "succeeded", "op": "=", "value": false}],
        }));
        let causes: [(&str, &[&str]); 2] =
            [("Flaky green", &["colour"]), ("Bad shard", &["shard"])];
        assert_eq!(points_at(&url, &causes), ["Flaky green"]);
        assert!(points_at("/explore", &causes).is_empty());
        assert!(points_at("/explore?q=%7Bnot json", &causes).is_empty());
    }

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
        assert_eq!(p95(&values), 95);
        assert_eq!(p95(&[7]), 7);
        assert_eq!(p95(&[]), 0);
    }
}
