//! Honeycomb-like queries over wide events held in memory, column by column.
//!
//! The server keeps one [`EventTable`] per dataset (`bulb`: server spans, `e2e`: check
//! runs), pushes every wide event into it, trims it with [`EventTable::drop_oldest`],
//! and answers the explore page with [`execute`] (a [`QuerySpec`] → a
//! [`QueryResult`]) and [`compare`] (selection vs baseline, a [`CompareSpec`] → a
//! [`CompareResult`]). The wire types live in `bulbwatch-api`; this crate has the
//! storage and the engine.
//!
//! ```
//! use bulbwatch_api::{CalcOp, Calculation, QuerySpec};
//! use bulbwatch_query::{EventTable, FieldValue, execute};
//!
//! let mut table = EventTable::new();
//! table.push(1_000, &[("colour", "green".into()), ("duration_ms", 120.0.into())]);
//! table.push(2_000, &[("colour", "red".into()), ("duration_ms", 80.0.into())]);
//! table.push(3_000, &[("colour", "green".into()), ("duration_ms", FieldValue::Num(950.0))]);
//!
//! let spec: QuerySpec = serde_json::from_str(r#"{
//!     "dataset": "e2e",
//!     "start_time": 0, "end_time": 60, "granularity": 10,
//!     "calculations": [{"op": "COUNT"}, {"op": "P95", "column": "duration_ms"}],
//!     "breakdowns": ["colour"]
//! }"#).unwrap();
//! let result = execute(&table, &spec, 60_000).unwrap();
//! assert_eq!(result.totals[0].group, vec![Some("green".into())]);
//! assert_eq!(result.totals[0].values, vec![Some(2.0), Some(950.0)]);
//! assert_eq!(result.series[0].points.len(), 6);
//! ```
//!
//! # Query specs for the workshop
//!
//! Which checks fail, and for which colours (last two hours):
//! ```json
//! {"dataset": "e2e", "time_range": 7200,
//!  "calculations": [{"op": "COUNT"}],
//!  "breakdowns": ["success", "colour"]}
//! ```
//! Does the delay grow with the queue (only the apply spans)?
//! ```json
//! {"dataset": "bulb", "time_range": 3600, "granularity": 30,
//!  "calculations": [{"op": "P95", "column": "delay_ms"}, {"op": "COUNT"}],
//!  "filters": [{"column": "name", "op": "=", "value": "bulb.apply"}],
//!  "breakdowns": ["queue_length"],
//!  "orders": [{"column": "queue_length", "order": "ascending"}]}
//! ```
//! The shape of request durations, and the slowest shards:
//! ```json
//! {"dataset": "bulb", "time_range": 7200, "granularity": 30,
//!  "calculations": [{"op": "HEATMAP", "column": "duration_ms"},
//!                   {"op": "P99", "column": "duration_ms"}],
//!  "filters": [{"column": "http.route", "op": "exists"}],
//!  "breakdowns": ["shard"],
//!  "havings": [{"calculate_op": "P99", "column": "duration_ms", "op": ">", "value": 500}]}
//! ```
//! Attendees whose failures are not timeouts:
//! ```json
//! {"dataset": "e2e", "time_range": 1800,
//!  "calculations": [{"op": "COUNT"}, {"op": "COUNT_DISTINCT", "column": "check"}],
//!  "filters": [{"column": "success", "op": "=", "value": false},
//!              {"column": "message", "op": "does-not-contain", "value": "timed out"}],
//!  "breakdowns": ["attendee"], "limit": 10}
//! ```
//! What sets the slow requests apart (the box drawn on the heatmap):
//! ```json
//! {"dataset": "bulb", "time_range": 7200,
//!  "selection": {"kind": "region", "column": "duration_ms", "min": 1000}}
//! ```
//!
//! # Semantics in one place
//!
//! - **Time range**: `[start, end)`, see `spec::time`; buckets aligned to the
//!   granularity. Only the rows inside are read (binary search on the timestamps).
//!   With `fit`, the range is the longest window, which starts at the first event
//!   passing the filters instead (less a bucket, at least 30 seconds), see `spec::fit`.
//! - **Filters**: AND unless `filter_combination` is `OR`. Equality compares like
//!   types, and a string with a number or boolean by its text; ordering reads numbers,
//!   `contains`/`starts-with` read strings; `exists` means "has a non-null value";
//!   every negative operator is the exact complement of its positive twin.
//! - **Calculations**: COUNT counts events; COUNT_DISTINCT counts distinct values of
//!   any type (missing not counted); SUM, AVG, MIN, MAX and percentiles read the
//!   column's numbers only and are null with none. Percentiles are nearest-rank
//!   ([`nearest_rank`]).
//! - **Groups**: one per distinct tuple of breakdown values (missing is a value,
//!   `null`); at most [`MAX_GROUPS`]. Havings, then orders (ties by key), then limit.
//!   Without breakdowns there is always exactly one group, even with no events.
//! - **Series**: for the groups answered only, every time bucket present.
//! - **Heatmaps**: over every event that passed the filters, whatever its group.
//! - **Threads**: [`execute_with`] runs a query on up to [`ExecuteOptions::threads`]
//!   threads ([`execute`]: the machine's cores, at most 2); the answer is the same to
//!   the last bit on any number. Sums add the numbers of each unit of rows (at most
//!   16,384 consecutive rows of a chunk) and then the units' sums in time order.

mod aggregate;
mod axis;
mod compare;
mod error;
mod execute;
mod groups;
mod hash;
mod heatmap;
mod order;
mod parallel;
mod predicate;
mod spec;
mod table;

pub use aggregate::nearest_rank;
pub use bulbwatch_api::{CompareResult, CompareSpec, QueryResult, QuerySpec};
pub use compare::{COMPARE_SKIPPED_COLUMNS, compare};
pub use error::QueryError;
pub use execute::{execute, execute_with};
pub use parallel::ExecuteOptions;
pub use spec::MAX_GROUPS;
pub use table::{CHUNK_ROWS, EventTable, FieldValue};
