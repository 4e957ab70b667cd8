//! `poll(times, interval_ms, || …)`: the heart of an eventually-consistent check. Calls
//! the closure until it returns true (or any value other than false and `()`, which
//! `poll` returns), retrying failed assertions, sleeping `interval_ms` between tries.

use bulbwatch_api::FailureKind;
use rhai::{Dynamic, Engine, EvalAltResult, FnPtr, INT, NativeCallContext};

use super::basics::sleep;
use crate::failure::CheckFailure;
use crate::state::Shared;

pub(super) fn register(engine: &mut Engine, state: &Shared) {
    let s = state.clone();
    engine.register_fn(
        "poll",
        move |ctx: NativeCallContext,
              times: INT,
              interval_ms: INT,
              body: FnPtr|
              -> Result<Dynamic, Box<EvalAltResult>> {
            let pos = ctx.call_position();
            if times < 1 || interval_ms < 0 {
                return Err(CheckFailure::raise(
                    FailureKind::Script,
                    format!(
                        "poll needs at least 1 try and an interval of 0 ms or more, got {times} tries every {interval_ms} ms"
                    ),
                    pos,
                ));
            }
            let mut last_assertion = None;
            for attempt in 1..=times {
                {
                    let mut state = s.borrow_mut();
                    state.iterations = state.iterations.saturating_add(1);
                }
                match body.call_within_context::<Dynamic>(&ctx, ()) {
                    Ok(value) if is_success(&value) => return Ok(value),
                    Ok(_) => last_assertion = None,
                    Err(err) => match CheckFailure::of(&err) {
                        Some(f) if f.kind == FailureKind::Assertion => {
                            // The failure is marked where the inner assertion failed,
                            // not at the `poll(` call.
                            last_assertion = Some((f, err.unwrap_inner().position()));
                        }
                        _ => return Err(err),
                    },
                }
                if attempt < times {
                    #[allow(clippy::cast_precision_loss)]
                    sleep(&s, interval_ms as f64, pos)?;
                }
            }
            let tries = if times == 1 {
                "1 try".to_string()
            } else {
                format!("{times} tries")
            };
            let (why, values, at) = match last_assertion {
                Some((f, at)) if !at.is_none() => (f.message, f.values, at),
                Some((f, _)) => (f.message, f.values, pos),
                None => ("the condition stayed false".to_string(), None, pos),
            };
            Err(CheckFailure::raise_with_values(
                FailureKind::Assertion,
                format!("poll gave up after {tries}: {why}"),
                values,
                at,
            ))
        },
    );
}

fn is_success(value: &Dynamic) -> bool {
    !(value.is_unit() || matches!(value.as_bool(), Ok(false)))
}
