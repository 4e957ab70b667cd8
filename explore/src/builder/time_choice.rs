//! The time range (the last N seconds, or between two moments) and the bucket widths
//! that suit it, with their names for people.

use bulbwatch_api::TIME_BUCKETS_MAX;

/// The time range presets, seconds: 15 min, 1 h, 6 h, 24 h, 7 days.
pub const TIME_PRESETS: [u64; 5] = [900, 3600, 6 * 3600, 24 * 3600, 7 * 24 * 3600];

/// Bucket widths offered, seconds (those that fit the range are shown).
pub const GRANULARITIES: [u64; 10] = [1, 10, 30, 60, 300, 900, 1800, 3600, 6 * 3600, 86400];

/// A duration for people: `15 min`, `1 h`, `7 days`, `30 s`.
pub fn duration_label(secs: u64) -> String {
    match secs {
        s if s >= 86400 && s % 86400 == 0 => {
            let d = s / 86400;
            if d == 1 {
                "24 h".into()
            } else {
                format!("{d} days")
            }
        }
        s if s >= 3600 && s % 3600 == 0 => format!("{} h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// The bucket widths that suit a range: at least range / [`TIME_BUCKETS_MAX`] (the
/// server's limit) and at most half the range (two buckets at least).
pub fn granularity_choices(range_s: u64) -> Vec<u64> {
    let least = range_s.div_ceil(TIME_BUCKETS_MAX).max(1);
    GRANULARITIES
        .iter()
        .copied()
        .filter(|&g| g >= least && g * 2 <= range_s)
        .collect()
}

/// The time range: the last N seconds, or between two moments (Unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeChoice {
    /// Ending now.
    Last(u64),
    /// From `start` to `end`; `None` until chosen.
    Between {
        /// Start, Unix seconds.
        start: Option<i64>,
        /// End, Unix seconds.
        end: Option<i64>,
    },
}

impl TimeChoice {
    /// The range's length in seconds, when known.
    pub fn seconds(self) -> Option<u64> {
        match self {
            TimeChoice::Last(s) => Some(s),
            TimeChoice::Between {
                start: Some(s),
                end: Some(e),
            } if e > s => Some((e - s) as u64),
            TimeChoice::Between { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn granularities_fit_the_range() {
        assert_eq!(granularity_choices(900), [1, 10, 30, 60, 300]);
        assert_eq!(granularity_choices(3600), [10, 30, 60, 300, 900, 1800]);
        let week = granularity_choices(7 * 86400);
        assert_eq!(week, [900, 1800, 3600, 21600, 86400]);
        for g in week {
            assert!(g >= (7 * 86400u64).div_ceil(TIME_BUCKETS_MAX));
        }
    }

    #[test]
    fn durations_read_naturally() {
        let labels: Vec<_> = TIME_PRESETS.iter().map(|&s| duration_label(s)).collect();
        assert_eq!(labels, ["15 min", "1 h", "6 h", "24 h", "7 days"]);
        assert_eq!(duration_label(30), "30 s");
        assert_eq!(duration_label(7200), "2 h");
    }
}
