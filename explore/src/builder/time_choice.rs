//! The time range (the last N seconds, or between two moments) and the bucket widths
//! that suit it, with their names for people.

use bulbwatch_api::TIME_BUCKETS_MAX;

/// The time range presets, seconds: 15 min, 1 h, 6 h, 24 h, 7 days.
pub const TIME_PRESETS: [u64; 5] = [900, 3600, 6 * 3600, 24 * 3600, 7 * 24 * 3600];

/// The longest window of a range fitted to the data, when none was given: 1 h.
pub const FIT_RANGE_DEFAULT_S: u64 = 3600;

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

/// "since the first event (up to 1 h)": the select's text for a fitted range.
pub fn fit_label(longest_s: u64) -> String {
    format!(
        "since the first event (up to {})",
        duration_label(longest_s)
    )
}

/// The time range: fitted to the data, the last N seconds, or between two moments
/// (Unix seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeChoice {
    /// From the first event that passes the filters until now, at most this many
    /// seconds and at least the server's [`bulbwatch_api::FIT_MIN_S`] (the spec's
    /// `fit`): what Explore opens on, so the charts use their whole width.
    Fit(u64),
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
    /// The range's length in seconds, when known (for a fitted range, the longest).
    pub fn seconds(self) -> Option<u64> {
        match self {
            TimeChoice::Fit(s) | TimeChoice::Last(s) => Some(s),
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
        assert_eq!(
            fit_label(FIT_RANGE_DEFAULT_S),
            "since the first event (up to 1 h)"
        );
    }

    #[test]
    fn a_fitted_range_is_as_long_as_its_longest() {
        assert_eq!(TimeChoice::Fit(7200).seconds(), Some(7200));
        // So the bucket widths offered suit the longest window.
        assert_eq!(
            granularity_choices(TimeChoice::Fit(3600).seconds().unwrap()),
            granularity_choices(3600)
        );
    }
}
