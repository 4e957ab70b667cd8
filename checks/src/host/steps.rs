//! `step(name, || …)`: a named, timed part of a check. Steps nest; a failure inside
//! marks the step failed and is reported with the innermost step's name.

use bulbwatch_api::StepOutcome;
use rhai::{Dynamic, Engine, EvalAltResult, FnPtr, NativeCallContext};

use crate::failure::fingerprint;
use crate::state::Shared;

pub(super) fn register(engine: &mut Engine, state: &Shared) {
    let s = state.clone();
    engine.register_fn(
        "step",
        move |ctx: NativeCallContext,
              name: &str,
              body: FnPtr|
              -> Result<Dynamic, Box<EvalAltResult>> {
            s.borrow_mut().start_step(name);
            let result = body.call_within_context::<Dynamic>(&ctx, ());
            let mut state = s.borrow_mut();
            match &result {
                Ok(_) => {
                    state.finish_step(StepOutcome::Pass);
                }
                // `exit` inside a step ends the check, not as a failure.
                Err(err) if matches!(**err, EvalAltResult::Exit(..)) => {
                    state.finish_step(StepOutcome::Pass);
                }
                Err(err) => {
                    let name = state.finish_step(StepOutcome::Fail);
                    // The first step an error leaves through is the innermost one; outer
                    // steps see the same error and keep that name. A different error
                    // (the first was caught) takes over.
                    let fp = fingerprint(err);
                    if state
                        .error_step
                        .as_ref()
                        .is_none_or(|(seen, _)| *seen != fp)
                    {
                        state.error_step = Some((fp, name));
                    }
                }
            }
            result
        },
    );
}
