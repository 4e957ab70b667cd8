//! Fitting a spec's window to its data (`"fit": true`): a workshop's events cover
//! minutes, so a 1 h window would squeeze every series into its last few pixels.
//!
//! The spec's range is the longest the window may be. It starts instead at the first
//! event in it that passes the filters, rounded down to a bucket and less one more
//! (so the first point is not on the edge), and ends where the range ends; it is
//! never shorter than [`FIT_MIN_S`] (nor one bucket of a given granularity), and
//! never longer than the range. The automatic granularity then follows the fitted
//! window ([`super::time::resolve_buckets`]).

use bulbwatch_api::FIT_MIN_S;

use super::time::{TimeRange, auto_granularity};
use crate::EventTable;
use crate::predicate::FilterSet;

/// The window a fitted query answers: `range` started at `first_ms` (the first
/// matching event in it; `None` when there is none), at least [`FIT_MIN_S`] and
/// `granularity` (seconds, the spec's) long.
pub(crate) fn fit_range(
    range: TimeRange,
    first_ms: Option<i64>,
    granularity: Option<u64>,
) -> TimeRange {
    let shortest_ms = (FIT_MIN_S.max(granularity.unwrap_or(0)) * 1000) as i64;
    let latest_start = range.end_ms - shortest_ms;
    let start_ms = match first_ms {
        None => latest_start,
        Some(first) => {
            let start_for = |width_s: u64| {
                let width_ms = width_s as i64 * 1000;
                (first.div_euclid(width_ms) * width_ms - width_ms).min(latest_start)
            };
            let seconds = |from_ms: i64| ((range.end_ms - from_ms).max(0) as u64).div_ceil(1000);
            match granularity {
                Some(g) => start_for(g),
                // The buckets suit the window, and the window's margin is one of its
                // buckets: settle the two (the margin can tip the window into wider
                // buckets; a few rounds at most, as the width only grows).
                None => {
                    let mut width = auto_granularity(seconds(first));
                    let mut start = start_for(width);
                    for _ in 0..4 {
                        let next = auto_granularity(seconds(start.max(range.start_ms)));
                        if next == width {
                            break;
                        }
                        width = next;
                        start = start_for(width);
                    }
                    start
                }
            }
        }
    };
    TimeRange {
        start_ms: start_ms.max(range.start_ms),
        end_ms: range.end_ms,
    }
}

/// The timestamp of the first event in `range` that passes `filters`.
pub(crate) fn first_match(
    table: &EventTable,
    filters: &FilterSet,
    range: TimeRange,
) -> Option<i64> {
    table
        .ranges(range.start_ms, range.end_ms)
        .iter()
        .find_map(|r| {
            let rows = filters.select(r.chunk, r.lo, r.hi);
            rows.first().map(|&row| r.chunk.timestamps[row as usize])
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::time::resolve_buckets;

    const NOW: i64 = 1_767_225_600_500;
    const MINUTE: i64 = 60_000;

    fn last_hour() -> TimeRange {
        TimeRange {
            start_ms: NOW - 60 * MINUTE,
            end_ms: NOW,
        }
    }

    fn width_s(range: TimeRange) -> i64 {
        resolve_buckets(range, None).unwrap().width_ms / 1000
    }

    #[test]
    fn three_minutes_of_data_get_about_three_minutes() {
        let first = NOW - 3 * MINUTE;
        let fitted = fit_range(last_hour(), Some(first), None);
        assert_eq!(fitted.end_ms, NOW);
        // The buckets follow: 2 s over 3 minutes, where the hour had 30 s.
        let width = width_s(fitted);
        assert_eq!(width, 2);
        assert_eq!(width_s(last_hour()), 30);
        assert!(fitted.start_ms <= first - width * 1000, "{fitted:?}");
        assert!(fitted.start_ms > first - 2 * width * 1000, "{fitted:?}");
    }

    #[test]
    fn seconds_of_data_get_the_shortest_window() {
        let fitted = fit_range(last_hour(), Some(NOW - 5_000), None);
        assert_eq!(
            fitted,
            TimeRange {
                start_ms: NOW - FIT_MIN_S as i64 * 1000,
                end_ms: NOW
            }
        );
    }

    #[test]
    fn forty_minutes_of_data_get_about_forty_minutes() {
        let first = NOW - 40 * MINUTE;
        let fitted = fit_range(last_hour(), Some(first), None);
        assert_eq!(fitted.end_ms, NOW);
        // Rounded down to a 30 s bucket, less one: the first event is in the second.
        let width = width_s(fitted);
        assert_eq!(width, 30);
        assert!(fitted.start_ms <= first - width * 1000, "{fitted:?}");
        assert!(fitted.start_ms > first - 2 * width * 1000, "{fitted:?}");
        let length_min = (fitted.end_ms - fitted.start_ms) as f64 / MINUTE as f64;
        assert!((40.0..41.1).contains(&length_min), "{length_min} min");
    }

    #[test]
    fn the_margin_is_a_bucket_of_the_window_it_makes() {
        // Every span around the threshold where the buckets widen: the window starts on
        // a bucket of the width the answer will use, one bucket before the first event's.
        for span_s in 100..140 {
            let first = NOW - span_s * 1000;
            let fitted = fit_range(last_hour(), Some(first), None);
            let width = width_s(fitted) * 1000;
            let start_ms = fitted.start_ms;
            assert_eq!(start_ms.rem_euclid(width), 0, "{span_s} s: aligned");
            assert_eq!(
                start_ms,
                first.div_euclid(width) * width - width,
                "{span_s} s: one bucket's margin"
            );
        }
    }

    #[test]
    fn no_data_gets_the_shortest_window_ending_now() {
        let fitted = fit_range(last_hour(), None, None);
        assert_eq!(
            fitted,
            TimeRange {
                start_ms: NOW - FIT_MIN_S as i64 * 1000,
                end_ms: NOW
            }
        );
    }

    #[test]
    fn the_range_stays_the_longest_window() {
        // Data from the very start of the range: the whole range, not a bucket before.
        let fitted = fit_range(last_hour(), Some(NOW - 60 * MINUTE), None);
        assert_eq!(fitted, last_hour());
        // A range shorter than the shortest window is kept whole.
        let short = TimeRange {
            start_ms: NOW - 20_000,
            end_ms: NOW,
        };
        assert_eq!(fit_range(short, None, None), short);
        assert_eq!(fit_range(short, Some(NOW - 1_000), None), short);
    }

    #[test]
    fn a_given_granularity_is_kept_and_fits_in_the_window() {
        // Ten-minute buckets over a minute of data: aligned, one bucket's margin.
        let first = NOW - MINUTE;
        let fitted = fit_range(last_hour(), Some(first), Some(600));
        let ten = 10 * MINUTE;
        assert_eq!(fitted.start_ms, first.div_euclid(ten) * ten - ten);
        let b = resolve_buckets(fitted, Some(600)).unwrap();
        assert_eq!((b.width_ms, b.index(first)), (ten, 1));
        // With no data, the window still holds one whole bucket.
        let empty = fit_range(last_hour(), None, Some(600));
        assert_eq!(empty.end_ms - empty.start_ms, ten);
        // Over 40 minutes of data, 1 min buckets: one bucket's margin on the left.
        let first = NOW - 40 * MINUTE;
        let fitted = fit_range(last_hour(), Some(first), Some(60));
        assert_eq!(fitted.start_ms, first.div_euclid(MINUTE) * MINUTE - MINUTE);
    }
}
