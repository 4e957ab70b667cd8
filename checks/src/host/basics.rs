//! `sleep(ms)`, `log(value)`, `now()`; `print` and `debug` log too.

use rhai::{
    Dynamic, Engine, EvalAltResult, FLOAT, INT, ImmutableString, NativeCallContext, Position,
};

use crate::failure::wall_clock_error;
use crate::state::Shared;

pub(super) fn register(engine: &mut Engine, state: &Shared) {
    // These replace Rhai's own `sleep(seconds)`, which blocks the thread (and panics
    // in the browser worker).
    let s = state.clone();
    engine.register_fn("sleep", move |ctx: NativeCallContext, ms: INT| {
        #[allow(clippy::cast_precision_loss)]
        sleep(&s, ms as f64, ctx.call_position())
    });
    let s = state.clone();
    engine.register_fn("sleep", move |ctx: NativeCallContext, ms: FLOAT| {
        sleep(&s, ms, ctx.call_position())
    });

    let s = state.clone();
    engine.register_fn("log", move |ctx: NativeCallContext, value: Dynamic| {
        // Through the engine's `to_string`, so types with one of their own (a caught
        // failure) read well.
        let text = if value.is_string() {
            value.to_string()
        } else {
            ctx.call_native_fn::<ImmutableString>("to_string", (value.clone(),))
                .map_or_else(|_| value.to_string(), |s| s.to_string())
        };
        s.borrow_mut().log(&text);
    });
    let s = state.clone();
    engine.on_print(move |text| s.borrow_mut().log(text));
    let s = state.clone();
    engine.on_debug(move |text, _, _| s.borrow_mut().log(text));

    let s = state.clone();
    engine.register_fn("now", move || -> INT {
        #[allow(clippy::cast_possible_truncation)]
        let now = s.borrow().clock.now_ms().floor() as INT;
        now
    });
}

/// Sleeps through the run's clock, but never past the wall-clock limit: a sleep that
/// would end after it sleeps up to the limit and ends the run.
pub(crate) fn sleep(state: &Shared, ms: f64, pos: Position) -> Result<(), Box<EvalAltResult>> {
    let (clock, remaining) = {
        let s = state.borrow();
        (s.clock.clone(), s.remaining_ms())
    };
    if remaining < 0.0 {
        return Err(wall_clock_error(pos));
    }
    if ms.is_nan() || ms <= 0.0 {
        return Ok(());
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    if ms > remaining {
        clock.sleep_ms(remaining.ceil() as u64 + 1);
        return Err(wall_clock_error(pos));
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    clock.sleep_ms(ms.ceil() as u64);
    Ok(())
}
