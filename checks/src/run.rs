//! One run of a check: build a sandboxed engine around the run's state, compile, run,
//! and turn what happened into a `CheckReport`.

use std::cell::RefCell;
use std::rc::Rc;

use bulbwatch_api::{CheckReport, Failure, FailureKind, Progress, Verdict};
use rhai::packages::{
    BasicArrayPackage, BasicMapPackage, BasicMathPackage, CorePackage, LogicPackage,
    MoreStringPackage, Package,
};
use rhai::{Dynamic, Engine, Position, Scope};

use crate::clock::Clock;
use crate::failure::{WallClockExceeded, classify, failure_at, fingerprint};
use crate::host;
use crate::limits::Limits;
use crate::state::{RunState, Shared, truncate_chars};
use crate::traceparent::is_valid_trace_id;
use crate::transport::Transport;

/// How to run a check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOptions {
    /// The run's trace id, 32 lowercase hex digits (see `trace_id_from_bytes`); every
    /// request carries it in `traceparent`.
    pub trace_id: String,
    /// The sandbox's limits.
    pub limits: Limits,
}

impl RunOptions {
    /// Options with this trace id and the default limits.
    pub fn new(trace_id: impl Into<String>) -> Self {
        Self {
            trace_id: trace_id.into(),
            limits: Limits::default(),
        }
    }
}

/// Runs `script` to the end and reports. Requests go through `transport`, time comes
/// from `clock`, and `progress` hears about steps, requests and logs as they happen.
///
/// The seams are shared (`Rc`) and `'static` because the engine's host functions keep
/// them; keep a clone of the transport to look at it afterwards.
pub fn run_check(
    script: &str,
    options: &RunOptions,
    transport: Rc<RefCell<dyn Transport>>,
    clock: Rc<dyn Clock>,
    progress: impl FnMut(Progress) + 'static,
) -> CheckReport {
    let limits = options.limits.clone();
    let state: Shared = Rc::new(RefCell::new(RunState::new(
        transport,
        clock,
        Box::new(progress),
        limits.clone(),
        options.trace_id.clone(),
    )));

    let failure = if is_valid_trace_id(&options.trace_id) {
        limits
            .check_script_size(script)
            .map_err(|message| {
                Box::new((
                    Verdict::Error,
                    failure_at(message, FailureKind::Limit, Position::NONE),
                ))
            })
            .and_then(|()| run_script(script, &state))
            .err()
            .map(|boxed| *boxed)
    } else {
        let message = format!(
            "the run's trace id must be 32 lowercase hex digits, not all zero, got {:?}",
            options.trace_id
        );
        Some((
            Verdict::Error,
            failure_at(message, FailureKind::Script, Position::NONE),
        ))
    };
    report(&state, failure)
}

/// Runs the script; how it failed, if it did (boxed: a failure is large).
fn run_script(script: &str, state: &Shared) -> Result<(), Box<(Verdict, Failure)>> {
    let engine = engine(state);
    let ast = engine.compile(script).map_err(|err| {
        let message = err.err_type().to_string();
        Box::new((
            Verdict::Error,
            failure_at(message, FailureKind::Script, err.position()),
        ))
    })?;
    match engine.run_ast_with_scope(&mut Scope::new(), &ast) {
        Ok(()) => Ok(()),
        Err(err) if matches!(*err, rhai::EvalAltResult::Exit(..)) => Ok(()),
        Err(err) => {
            let s = state.borrow();
            let (verdict, mut failure) = classify(&err, &s.limits);
            // A check's own message can be as long as a string may be; the report
            // keeps what a log line keeps.
            failure.message = truncate_chars(&failure.message, s.limits.max_log_chars);
            let cut =
                |value: Option<String>| value.map(|v| truncate_chars(&v, s.limits.max_log_chars));
            failure.expected = cut(failure.expected.take());
            failure.actual = cut(failure.actual.take());
            failure.step = s
                .error_step
                .as_ref()
                .filter(|(fp, _)| *fp == fingerprint(&err))
                .map(|(_, name)| name.clone());
            Err(Box::new((verdict, failure)))
        }
    }
}

/// A sandboxed engine: the standard library less blobs and bit fields (and, by the
/// crate's Rhai features, less modules and Rhai's own clock), our `sleep` over Rhai's
/// thread-blocking one, the limits, the host API.
fn engine(state: &Shared) -> Engine {
    let mut engine = Engine::new_raw();
    engine.register_global_module(CorePackage::new().as_shared_module());
    engine.register_global_module(LogicPackage::new().as_shared_module());
    engine.register_global_module(BasicMathPackage::new().as_shared_module());
    engine.register_global_module(BasicArrayPackage::new().as_shared_module());
    engine.register_global_module(BasicMapPackage::new().as_shared_module());
    engine.register_global_module(MoreStringPackage::new().as_shared_module());

    let s = state.borrow();
    s.limits.apply(&mut engine);

    // The wall-clock limit, checked as the script runs (sleeps and requests check it
    // themselves). Reading the clock is not free in the browser: every 256 operations.
    let clock = s.clock.clone();
    #[allow(clippy::cast_precision_loss)]
    let deadline = s.started_ms + s.limits.max_run_ms as f64;
    engine.on_progress(move |ops| {
        if ops % 256 == 0 && clock.now_ms() > deadline {
            Some(Dynamic::from(WallClockExceeded))
        } else {
            None
        }
    });
    drop(s);

    host::register(&mut engine, state);
    engine
}

fn report(state: &Shared, failure: Option<(Verdict, Failure)>) -> CheckReport {
    let mut s = state.borrow_mut();
    let duration_ms = s.elapsed_ms();
    let (verdict, failure) = match failure {
        Some((verdict, failure)) => (verdict, Some(failure)),
        None => (Verdict::Pass, None),
    };
    CheckReport {
        verdict,
        failure,
        steps: std::mem::take(&mut s.steps),
        requests: std::mem::take(&mut s.requests),
        logs: std::mem::take(&mut s.logs),
        steps_dropped: s.steps_dropped,
        requests_dropped: s.requests_dropped,
        logs_dropped: s.logs_dropped,
        duration_ms,
        trace_id: s.trace_id.clone(),
        iterations: s.iterations,
        colour: s.colour.take(),
        request_id: s.request_id.take(),
        shard: s.shard.take(),
    }
}
