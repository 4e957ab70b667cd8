//! How a run's errors become a verdict and a `Failure`: the host API raises its own
//! failures (assertions, transport, bad arguments) as a `CheckFailure` value; everything
//! else comes from Rhai and is sorted here.

use std::sync::atomic::{AtomicU64, Ordering};

use bulbwatch_api::{Failure, FailureKind, Verdict};
use rhai::{Dynamic, EvalAltResult, Position};

use crate::limits::Limits;

/// A failure raised by the host API, carried inside `ErrorRuntime` (so a check can
/// `try`/`catch` it). `serial` makes every failure distinct, so the step it came
/// through can be told from another failure with the same text.
#[derive(Clone, Debug)]
pub(crate) struct CheckFailure {
    pub kind: FailureKind,
    pub message: String,
    /// What a failed `assert_eq` expected and got, as text.
    pub values: Option<(String, String)>,
    serial: u64,
}

/// Marker inside `ErrorTerminated`: the wall-clock limit ended the run.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WallClockExceeded;

static SERIAL: AtomicU64 = AtomicU64::new(0);

impl CheckFailure {
    /// The error that raises a failure of this kind at `pos`.
    pub(crate) fn raise(
        kind: FailureKind,
        message: impl Into<String>,
        pos: Position,
    ) -> Box<EvalAltResult> {
        Self::raise_with_values(kind, message, None, pos)
    }

    /// [`CheckFailure::raise`] for a mismatch: `values` are (expected, actual).
    pub(crate) fn raise_with_values(
        kind: FailureKind,
        message: impl Into<String>,
        values: Option<(String, String)>,
        pos: Position,
    ) -> Box<EvalAltResult> {
        let failure = Self {
            kind,
            message: message.into(),
            values,
            serial: SERIAL.fetch_add(1, Ordering::Relaxed),
        };
        EvalAltResult::ErrorRuntime(Dynamic::from(failure), pos).into()
    }

    /// The host failure inside `err`, if it is one.
    pub(crate) fn of(err: &EvalAltResult) -> Option<Self> {
        match err.unwrap_inner() {
            EvalAltResult::ErrorRuntime(value, _) => value.clone().try_cast::<Self>(),
            _ => None,
        }
    }
}

/// The error that ends a run at the wall-clock limit.
pub(crate) fn wall_clock_error(pos: Position) -> Box<EvalAltResult> {
    EvalAltResult::ErrorTerminated(Dynamic::from(WallClockExceeded), pos).into()
}

/// Identifies an error as it travels out through nested steps (see `steps.rs`).
pub(crate) fn fingerprint(err: &EvalAltResult) -> String {
    match CheckFailure::of(err) {
        Some(failure) => format!("failure #{}", failure.serial),
        None => format!("{:?}", err.unwrap_inner()),
    }
}

/// The verdict and failure for the error that ended a run (`step` left empty).
pub(crate) fn classify(err: &EvalAltResult, limits: &Limits) -> (Verdict, Failure) {
    let inner = err.unwrap_inner();
    let pos = inner.position();
    let mut values = None;
    let (verdict, kind, message) = if let Some(f) = CheckFailure::of(inner) {
        let verdict = match f.kind {
            FailureKind::Assertion | FailureKind::Transport => Verdict::Fail,
            FailureKind::Script | FailureKind::Limit => Verdict::Error,
        };
        values = f.values;
        (verdict, f.kind, f.message)
    } else if let Some(message) = limits.rhai_limit_message(inner) {
        (Verdict::Error, FailureKind::Limit, message)
    } else {
        match inner {
            EvalAltResult::ErrorTerminated(value, _) if value.is::<WallClockExceeded>() => (
                Verdict::Error,
                FailureKind::Limit,
                limits.wall_clock_message(),
            ),
            // An uncaught `throw`: the check's own way to fail.
            EvalAltResult::ErrorRuntime(value, _) => (
                Verdict::Fail,
                FailureKind::Assertion,
                if value.is_unit() {
                    "the check threw ()".to_string()
                } else {
                    value.to_string()
                },
            ),
            EvalAltResult::ErrorParsing(parse, _) => {
                (Verdict::Error, FailureKind::Script, parse.to_string())
            }
            other => (Verdict::Error, FailureKind::Script, without_position(other)),
        }
    };
    let mut failure = failure_at(message, kind, pos);
    if let Some((expected, actual)) = values {
        failure.expected = Some(expected);
        failure.actual = Some(actual);
    }
    (verdict, failure)
}

/// Rhai's message for an error, without the " (line 3, position 5)" it ends with:
/// the report has the position in fields of its own.
fn without_position(err: &EvalAltResult) -> String {
    let text = err.to_string();
    let pos = err.position();
    if pos.is_none() {
        return text;
    }
    let suffix = format!(" ({pos})");
    text.strip_suffix(&suffix)
        .map_or_else(|| text.clone(), str::to_string)
}

/// A failure at a Rhai position.
pub(crate) fn failure_at(message: String, kind: FailureKind, pos: Position) -> Failure {
    let to_u32 = |n: Option<usize>| n.and_then(|n| u32::try_from(n).ok());
    Failure {
        message,
        line: to_u32(pos.line()),
        column: to_u32(pos.position()),
        step: None,
        kind,
        expected: None,
        actual: None,
    }
}
