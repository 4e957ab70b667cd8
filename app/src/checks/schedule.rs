//! Running a check on a schedule, and how its recent runs add up.

use bulbwatch_api::{RunSummary, Verdict};

/// Shortest interval of a schedule, seconds.
pub const INTERVAL_MIN_S: u32 = 5;
/// Longest interval of a schedule, seconds.
pub const INTERVAL_MAX_S: u32 = 300;
/// The interval the field starts with.
pub const INTERVAL_DEFAULT_S: u32 = 10;
/// Runs the history strip shows.
pub const HISTORY_LEN: u32 = 30;

/// Reads the interval field: whole seconds, 5–300, or a message saying what to type.
pub fn parse_interval(input: &str) -> Result<u32, String> {
    let typed = input.trim();
    let range = format!("{INTERVAL_MIN_S}–{INTERVAL_MAX_S} seconds");
    if typed.is_empty() {
        return Err(format!("Type how often to run: {range}."));
    }
    match typed.parse::<u64>() {
        Ok(n) if (u64::from(INTERVAL_MIN_S)..=u64::from(INTERVAL_MAX_S)).contains(&n) => {
            Ok(u32::try_from(n).unwrap_or(INTERVAL_MAX_S))
        }
        Ok(n) => Err(format!("Run every {range}, not {n}.")),
        Err(_) => Err(format!(
            "Run every {range}: “{typed}” is not a whole number."
        )),
    }
}

/// How many of some runs passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PassRate {
    /// Runs that passed.
    pub passed: usize,
    /// All runs.
    pub total: usize,
}

impl PassRate {
    /// The pass rate of `runs`.
    pub fn of(runs: &[RunSummary]) -> Self {
        Self {
            passed: runs.iter().filter(|r| r.verdict == Verdict::Pass).count(),
            total: runs.len(),
        }
    }

    /// Percent passed, rounded; `None` without runs.
    pub fn percent(self) -> Option<u32> {
        if self.total == 0 {
            return None;
        }
        let percent = (self.passed * 200 + self.total) / (self.total * 2);
        u32::try_from(percent).ok()
    }

    /// "7/10 passed · 70%", or "no runs yet".
    pub fn label(self) -> String {
        match self.percent() {
            Some(percent) => format!("{}/{} passed · {percent}%", self.passed, self.total),
            None => "no runs yet".to_string(),
        }
    }
}

/// The CSS/`data-verdict` name of a verdict.
pub fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Error => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(verdict: Verdict) -> RunSummary {
        RunSummary {
            run_id: "r".into(),
            check_id: None,
            check_name: "classic".into(),
            verdict,
            duration_ms: 10.0,
            started_at_ms: 0,
            message: None,
        }
    }

    #[test]
    fn interval_must_be_whole_seconds_in_range() {
        assert_eq!(parse_interval("5"), Ok(5));
        assert_eq!(parse_interval(" 300 "), Ok(300));
        assert_eq!(
            parse_interval("4").unwrap_err(),
            "Run every 5–300 seconds, not 4."
        );
        assert_eq!(
            parse_interval("301").unwrap_err(),
            "Run every 5–300 seconds, not 301."
        );
        assert!(parse_interval("").unwrap_err().contains("5–300"));
        assert!(
            parse_interval("2.5")
                .unwrap_err()
                .contains("“2.5” is not a whole number")
        );
        assert!(parse_interval("-1").is_err());
        assert!(parse_interval("99999999999999999999").is_err());
    }

    #[test]
    fn pass_rate_counts_and_rounds() {
        let mut runs = vec![run(Verdict::Pass); 7];
        runs.extend(vec![run(Verdict::Fail); 2]);
        runs.push(run(Verdict::Error));
        assert_eq!(PassRate::of(&runs).label(), "7/10 passed · 70%");
        let two_of_three = [run(Verdict::Pass), run(Verdict::Pass), run(Verdict::Fail)];
        assert_eq!(PassRate::of(&two_of_three).percent(), Some(67));
        let one_of_three = [run(Verdict::Pass), run(Verdict::Fail), run(Verdict::Fail)];
        assert_eq!(PassRate::of(&one_of_three).percent(), Some(33));
        assert_eq!(PassRate::of(&[]).label(), "no runs yet");
    }
}
