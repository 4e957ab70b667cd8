//! The check language: sandboxed Rhai with the bulb/http host API.
//!
//! A check is the attendee's end-to-end test of the bulb service. The same engine runs
//! it in the browser's check worker (wasm32, HTTP by synchronous XHR) and in the
//! terminal (`bulbwatch check FILE --url URL`): the network and the clock are seams
//! ([`Transport`], [`Clock`]) that each side fills in, and that tests fill with a fake
//! bulb service ([`FakeBulb`]) and virtual time ([`TestClock`]).
//!
//! ```
//! use std::{cell::RefCell, rc::Rc};
//! use bulbwatch_checks::{run_check, trace_id_from_bytes, FakeBulb, RunOptions, TestClock, CLASSIC_CHECK};
//!
//! let bulb = Rc::new(RefCell::new(FakeBulb::new()));
//! let options = RunOptions::new(trace_id_from_bytes([7; 16]));
//! let report = run_check(CLASSIC_CHECK, &options, bulb, Rc::new(TestClock::default()), |_| {});
//! assert!(report.passed(), "{:?}", report.failure);
//! ```

mod clock;
mod failure;
mod fake_bulb;
mod host;
mod json;
mod limits;
mod run;
mod state;
mod traceparent;
mod transport;

pub use bulbwatch_api::{
    CheckReport, Failure, FailureKind, HttpMethod, LogLine, Progress, RequestReport, StepOutcome,
    StepReport, Verdict,
};
#[cfg(not(target_arch = "wasm32"))]
pub use clock::SystemClock;
pub use clock::{Clock, TestClock};
pub use fake_bulb::FakeBulb;
pub use limits::Limits;
pub use run::{RunOptions, run_check};
pub use state::STEP_NAME_MAX_CHARS;
pub use traceparent::{
    SpanIds, is_valid_span_id, is_valid_trace_id, trace_id_from_bytes, traceparent,
};
pub use transport::{HttpRequest, HttpResponse, Transport, TransportError};

/// The workshop's default check, the one the editor starts with. Attendees read and
/// edit it, so it is written for them.
pub const CLASSIC_CHECK: &str = include_str!("classic.rhai");
