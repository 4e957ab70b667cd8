//! What every page tells an attendee to do now: one line per phase, sharpened by
//! what the attendee has done so far. Edit the words here; nothing else holds them.

use crate::Phase;

/// What the page knows of the attendee's own progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// They ran a check at least once.
    pub has_run: bool,
    /// One of their runs passed.
    pub has_passed: bool,
    /// A schedule is running their check now.
    pub scheduled: bool,
    /// They submitted a diagnosis.
    pub diagnosed: bool,
}

/// The one-line prompt for `phase`, given what the attendee has done.
pub fn prompt(phase: Phase, progress: Progress) -> &'static str {
    match phase {
        Phase::Lobby => {
            "Welcome! Pick a colour for the bulb and watch it change on every screen. We start in a moment."
        }
        Phase::WriteCheck if !progress.has_run => {
            "Run the classic check: press Run (or Ctrl+Enter) and watch it set the bulb and poll it."
        }
        Phase::WriteCheck if !progress.has_passed => {
            "Your check failed. Read the failure, then run it again: does it fail every time?"
        }
        Phase::WriteCheck if !progress.scheduled => "Now put it on a schedule: Run every 5 s.",
        Phase::WriteCheck => {
            "Your check runs every few seconds. Watch its pass rate: some runs fail. Why?"
        }
        Phase::Instrument if !progress.scheduled => {
            "Put your check on a schedule (Run every 5 s), then open Instrumentation and read each point's code."
        }
        Phase::Instrument => {
            "Open Instrumentation: which attribute would tell you why a run fails? Watch the points come on."
        }
        Phase::Investigate if !progress.diagnosed => {
            "Open Explore: group failed runs by an attribute, compare slow runs to the rest, then submit your diagnosis."
        }
        Phase::Investigate => {
            "Diagnosis in. Keep exploring: can you back it up with a query? Attach it as evidence."
        }
        Phase::Reveal => {
            "The answer is on screen. Open its query in Explore and see it in your own data."
        }
        Phase::ScaleOut => {
            "The bulb service now has shards. Run your check again: do the failures look the same?"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_phase_follows_the_attendee() {
        let mut p = Progress::default();
        assert!(prompt(Phase::WriteCheck, p).contains("Run the classic check"));
        p.has_run = true;
        assert!(prompt(Phase::WriteCheck, p).contains("failed"));
        p.has_passed = true;
        assert_eq!(
            prompt(Phase::WriteCheck, p),
            "Now put it on a schedule: Run every 5 s."
        );
        p.scheduled = true;
        assert!(prompt(Phase::WriteCheck, p).contains("pass rate"));
    }

    #[test]
    fn every_phase_has_a_prompt_of_one_line() {
        for phase in Phase::ALL {
            let text = prompt(phase, Progress::default());
            assert!(!text.is_empty() && !text.contains('\n'), "{phase:?}");
            assert_eq!(Phase::from_key(phase.key()), Some(phase));
        }
    }
}
