//! Rate limits: per attendee on each kind of write (and on queries), per client address on joins
//! (GCRA, by `governor`). Generous enough for a check on a 5 s schedule plus
//! clicking; a flood from one attendee is refused (429) without slowing anyone else,
//! since each attendee has a bucket of their own. The facilitator is not limited.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::AppError;

/// A kind of write, each with a bucket per attendee.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Write {
    /// `PUT /api/bulb`.
    BulbChange,
    /// `POST /api/runs`.
    Run,
    /// Saving a check: `POST /api/checks`, `PUT /api/checks/{id}`, forks.
    Save,
    /// `PUT /api/diagnosis`.
    Diagnosis,
    /// `POST /api/query` and `POST /api/compare` (not a write, but work for the
    /// server's cores: limited the same way).
    Question,
    /// `GET /api/events` (an export reads the whole store).
    Export,
}

impl Write {
    const ALL: [Write; 6] = [
        Write::BulbChange,
        Write::Run,
        Write::Save,
        Write::Diagnosis,
        Write::Question,
        Write::Export,
    ];

    /// The limit: a burst, then so many per minute. The README's table lists these.
    pub fn quota(self) -> (u32, u32) {
        match self {
            Write::BulbChange => (20, 120),
            Write::Run => (20, 60),
            Write::Save => (30, 120),
            Write::Diagnosis => (10, 12),
            Write::Question => (40, 240),
            Write::Export => (10, 12),
        }
    }

    fn doing(self) -> &'static str {
        match self {
            Write::BulbChange => "bulb changes",
            Write::Run => "recorded runs",
            Write::Save => "saves of checks",
            Write::Diagnosis => "diagnoses",
            Write::Question => "queries and comparisons",
            Write::Export => "exports",
        }
    }
}

/// Joins from one client address: a burst, then so many per minute.
pub const JOIN_QUOTA: (u32, u32) = (30, 60);

/// Names a kind of write at the type level, for [`crate::auth::LimitedAttendee`].
pub trait LimitKind: Send + Sync + 'static {
    /// The kind.
    const WRITE: Write;
}

macro_rules! limit_kinds {
    ($($name:ident => $write:expr),* $(,)?) => {
        $(
            #[doc = concat!("Counts as `", stringify!($write), "`.")]
            #[derive(Clone, Copy, Debug)]
            pub struct $name;
            impl LimitKind for $name {
                const WRITE: Write = $write;
            }
        )*
    };
}

limit_kinds! {
    BulbChanges => Write::BulbChange,
    Runs => Write::Run,
    Saves => Write::Save,
    Diagnoses => Write::Diagnosis,
    Questions => Write::Question,
    Exports => Write::Export,
}

/// Every limiter of a server.
pub struct RateLimits {
    writes: Vec<(Write, DefaultKeyedRateLimiter<String>)>,
    joins: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota((burst, per_minute): (u32, u32)) -> Quota {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(per_minute).allow_burst(NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN))
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            writes: Write::ALL
                .into_iter()
                .map(|w| (w, DefaultKeyedRateLimiter::keyed(quota(w.quota()))))
                .collect(),
            joins: DefaultKeyedRateLimiter::keyed(quota(JOIN_QUOTA)),
        }
    }
}

impl RateLimits {
    /// Counts one `write` by `attendee_id`; 429 past the limit.
    pub fn check_write(&self, write: Write, attendee_id: &str) -> Result<(), AppError> {
        let Some((_, limiter)) = self.writes.iter().find(|(w, _)| *w == write) else {
            return Ok(());
        };
        limiter
            .check_key(&attendee_id.to_string())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(DefaultClock::default().now());
                let (burst, per_minute) = write.quota();
                too_many(
                    format!(
                        "too many {} from you ({burst} at once, then {per_minute} a minute)",
                        write.doing()
                    ),
                    wait,
                )
            })
    }

    /// Counts one join from `addr`; 429 past the limit.
    pub fn check_join(&self, addr: IpAddr) -> Result<(), AppError> {
        self.joins.check_key(&addr).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let (burst, per_minute) = JOIN_QUOTA;
            too_many(
                format!(
                    "too many joins from your address ({burst} at once, then {per_minute} a minute)"
                ),
                wait,
            )
        })
    }

    /// Forgets buckets that are full again, so memory follows the active attendees.
    pub fn forget_idle(&self) {
        for (_, limiter) in &self.writes {
            limiter.retain_recent();
        }
        self.joins.retain_recent();
    }
}

fn too_many(what: String, wait: Duration) -> AppError {
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    AppError::RateLimited {
        message: format!("{what}: try again in {seconds} s"),
        retry_after_s: seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_attendee_waits_and_others_do_not() {
        let limits = RateLimits::default();
        let (burst, _) = Write::BulbChange.quota();
        for _ in 0..burst {
            limits.check_write(Write::BulbChange, "ada").unwrap();
        }
        let refused = limits.check_write(Write::BulbChange, "ada").unwrap_err();
        assert!(refused.to_string().contains("try again in"), "{refused}");
        limits.check_write(Write::BulbChange, "grace").unwrap();
        limits.check_write(Write::Run, "ada").unwrap();
    }
}
