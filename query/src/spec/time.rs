//! Time range and time buckets of a spec.
//!
//! The range is half-open, `[start, end)`, resolved from the spec's seconds:
//! - `time_range` alone (or nothing: 7200 s): the range ends at `now`;
//! - `start_time` + `end_time`; `start_time` + `time_range`; `end_time` + `time_range`;
//! - `start_time` alone: until `now`; `end_time` alone: the 7200 s before it.
//!
//! Buckets are `granularity` wide and aligned to multiples of it since the epoch, so
//! charts do not shift as `now` moves; the first and last may be partial.

use bulbwatch_api::{TIME_BUCKETS_MAX, TIME_RANGE_DEFAULT_S, TIME_RANGE_MAX_S};

use crate::QueryError;

/// Buckets are chosen for at most this many when the spec has no granularity.
const DEFAULT_BUCKETS: u64 = 120;
/// Granularities tried, smallest first, when the spec has none (seconds).
const NICE_GRANULARITIES: &[u64] = &[
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];
/// Times beyond ±this many seconds are refused (year ~5138): keeps ms arithmetic exact.
const SECONDS_LIMIT: i64 = 100_000_000_000;

/// `[start_ms, end_ms)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TimeRange {
    pub(crate) start_ms: i64,
    pub(crate) end_ms: i64,
}

/// The time buckets: `count` of them, bucket `i` starting at `first_ms + i * width_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Buckets {
    pub(crate) first_ms: i64,
    pub(crate) width_ms: i64,
    pub(crate) count: usize,
}

impl Buckets {
    /// The bucket of a timestamp inside the range.
    pub(crate) fn index(&self, ts: i64) -> usize {
        ((ts - self.first_ms) / self.width_ms) as usize
    }

    /// Start of bucket `i`.
    pub(crate) fn start(&self, i: usize) -> i64 {
        self.first_ms + i as i64 * self.width_ms
    }
}

fn seconds(field: &str, s: i64) -> Result<i64, QueryError> {
    if s.abs() > SECONDS_LIMIT {
        return Err(QueryError::new(
            field,
            format!("must be Unix seconds within ±{SECONDS_LIMIT}, got {s}"),
        ));
    }
    Ok(s * 1000)
}

/// Resolves the range from the spec's three optional fields.
pub(crate) fn resolve_range(
    time_range: Option<u64>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    now_ms: i64,
) -> Result<TimeRange, QueryError> {
    if let Some(tr) = time_range
        && !(1..=TIME_RANGE_MAX_S).contains(&tr)
    {
        return Err(QueryError::new(
            "time_range",
            format!("must be 1–{TIME_RANGE_MAX_S} seconds, got {tr}"),
        ));
    }
    let range_ms = |tr: Option<u64>| tr.unwrap_or(TIME_RANGE_DEFAULT_S) as i64 * 1000;
    let start = start_time.map(|s| seconds("start_time", s)).transpose()?;
    let end = end_time.map(|s| seconds("end_time", s)).transpose()?;
    let (start_ms, end_ms) = match (start, end) {
        (Some(_), Some(_)) if time_range.is_some() => {
            return Err(QueryError::new(
                "time_range",
                "give at most two of time_range, start_time and end_time",
            ));
        }
        (Some(s), Some(e)) => (s, e),
        (Some(s), None) if time_range.is_some() => (s, s + range_ms(time_range)),
        (Some(s), None) => (s, now_ms),
        (None, Some(e)) => (e - range_ms(time_range), e),
        (None, None) => (now_ms - range_ms(time_range), now_ms),
    };
    if end_ms <= start_ms {
        let field = if end_time.is_some() {
            "end_time"
        } else {
            "start_time"
        };
        return Err(QueryError::new(
            field,
            format!("the range must end after it starts, got {start_ms}–{end_ms} ms"),
        ));
    }
    if end_ms - start_ms > TIME_RANGE_MAX_S as i64 * 1000 {
        let field = if end_time.is_some() {
            "end_time"
        } else {
            "start_time"
        };
        return Err(QueryError::new(
            field,
            format!("the range may be at most {TIME_RANGE_MAX_S} seconds long"),
        ));
    }
    Ok(TimeRange { start_ms, end_ms })
}

/// The smallest nice bucket width giving at most 120 buckets over `range_s` seconds.
pub(crate) fn auto_granularity(range_s: u64) -> u64 {
    NICE_GRANULARITIES
        .iter()
        .copied()
        .find(|&g| range_s.div_ceil(g) <= DEFAULT_BUCKETS)
        .unwrap_or_else(|| range_s.div_ceil(DEFAULT_BUCKETS))
}

/// Resolves and checks the granularity: at least 1 s and range / 1000, at most the
/// range; when absent, the smallest nice width giving at most 120 buckets.
pub(crate) fn resolve_buckets(
    range: TimeRange,
    granularity: Option<u64>,
) -> Result<Buckets, QueryError> {
    let range_s = ((range.end_ms - range.start_ms) as u64).div_ceil(1000);
    let least = range_s.div_ceil(TIME_BUCKETS_MAX).max(1);
    let g = match granularity {
        Some(g) if g < least => {
            return Err(QueryError::new(
                "granularity",
                format!(
                    "must be at least time_range/{TIME_BUCKETS_MAX} = {least} s for a {range_s} s range, got {g}"
                ),
            ));
        }
        Some(g) if g > range_s => {
            return Err(QueryError::new(
                "granularity",
                format!("must be at most the time range ({range_s} s), got {g}"),
            ));
        }
        Some(g) => g,
        None => auto_granularity(range_s),
    };
    let width_ms = g as i64 * 1000;
    let first_ms = range.start_ms.div_euclid(width_ms) * width_ms;
    let count = (range.end_ms - first_ms + width_ms - 1) / width_ms;
    Ok(Buckets {
        first_ms,
        width_ms,
        count: count as usize,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_767_225_600_500;

    #[test]
    fn ranges_resolve_like_honeycomb() {
        let r = |tr, s, e| resolve_range(tr, s, e, NOW).map(|r| (r.start_ms, r.end_ms));
        assert_eq!(r(None, None, None), Ok((NOW - 7_200_000, NOW)));
        assert_eq!(r(Some(60), None, None), Ok((NOW - 60_000, NOW)));
        assert_eq!(r(None, Some(10), Some(70)), Ok((10_000, 70_000)));
        assert_eq!(r(Some(60), Some(10), None), Ok((10_000, 70_000)));
        assert_eq!(r(Some(60), None, Some(70)), Ok((10_000, 70_000)));
        let recent = NOW / 1000 - 100;
        assert_eq!(r(None, Some(recent), None), Ok((recent * 1000, NOW)));
        assert_eq!(r(None, Some(10), None).unwrap_err().field, "start_time");
        assert_eq!(r(None, None, Some(7200)), Ok((0, 7_200_000)));
        assert_eq!(
            r(Some(1), Some(1), Some(2)).unwrap_err().field,
            "time_range"
        );
        assert_eq!(r(None, Some(5), Some(5)).unwrap_err().field, "end_time");
        assert_eq!(r(Some(0), None, None).unwrap_err().field, "time_range");
    }

    #[test]
    fn buckets_align_to_the_granularity() {
        let range = TimeRange {
            start_ms: 45_500,
            end_ms: 125_500,
        };
        let b = resolve_buckets(range, Some(30)).unwrap();
        assert_eq!((b.first_ms, b.width_ms, b.count), (30_000, 30_000, 4));
        assert_eq!(b.index(45_500), 0);
        assert_eq!(b.index(125_499), 3);
        let two_hours = TimeRange {
            start_ms: 0,
            end_ms: 7_200_000,
        };
        assert_eq!(resolve_buckets(two_hours, None).unwrap().width_ms, 60_000);
        let e = resolve_buckets(two_hours, Some(7)).unwrap_err();
        assert_eq!(e.field, "granularity");
        assert!(e.message.contains("at least time_range/1000 = 8 s"), "{e}");
        assert!(resolve_buckets(two_hours, Some(7201)).is_err());
        assert_eq!(resolve_buckets(two_hours, Some(7200)).unwrap().count, 1);
    }
}
