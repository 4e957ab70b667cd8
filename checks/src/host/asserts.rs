//! `assert(cond, msg)` and `assert_eq(actual, expected, msg)`: a failed assertion ends
//! the run with verdict Fail (unless a `poll` retries it or the check catches it).

use bulbwatch_api::FailureKind;
use rhai::{Dynamic, Engine, EvalAltResult, NativeCallContext};

use crate::failure::CheckFailure;

pub(super) fn register(engine: &mut Engine) {
    engine.register_fn(
        "assert",
        |ctx: NativeCallContext, cond: Dynamic, msg: Dynamic| assert(&ctx, &cond, &msg),
    );
    engine.register_fn("assert", |ctx: NativeCallContext, cond: Dynamic| {
        assert(&ctx, &cond, &Dynamic::from("assertion failed"))
    });
    engine.register_fn(
        "assert_eq",
        |ctx: NativeCallContext, actual: Dynamic, expected: Dynamic, msg: Dynamic| {
            assert_eq(&ctx, &actual, &expected, Some(&msg))
        },
    );
    engine.register_fn(
        "assert_eq",
        |ctx: NativeCallContext, actual: Dynamic, expected: Dynamic| {
            assert_eq(&ctx, &actual, &expected, None)
        },
    );
}

fn assert(
    ctx: &NativeCallContext,
    cond: &Dynamic,
    msg: &Dynamic,
) -> Result<(), Box<EvalAltResult>> {
    match cond.as_bool() {
        Ok(true) => Ok(()),
        Ok(false) => Err(CheckFailure::raise(
            FailureKind::Assertion,
            msg.to_string(),
            ctx.call_position(),
        )),
        Err(typ) => Err(CheckFailure::raise(
            FailureKind::Script,
            format!("assert needs true or false as its condition, got {typ}"),
            ctx.call_position(),
        )),
    }
}

fn assert_eq(
    ctx: &NativeCallContext,
    actual: &Dynamic,
    expected: &Dynamic,
    msg: Option<&Dynamic>,
) -> Result<(), Box<EvalAltResult>> {
    let actual = actual.flatten_clone();
    let expected = expected.flatten_clone();
    // Rhai's own `==`, so 1 == 1.0 and maps compare by content; values of types with
    // no `==` between them are simply not equal.
    let equal = ctx
        .call_native_fn::<bool>("==", (actual.clone(), expected.clone()))
        .unwrap_or(false);
    if equal {
        return Ok(());
    }
    let message = match msg {
        Some(msg) => format!("{msg}: expected {expected:?}, got {actual:?}"),
        None => format!("expected {expected:?}, got {actual:?}"),
    };
    Err(CheckFailure::raise_with_values(
        FailureKind::Assertion,
        message,
        Some((as_text(&expected), as_text(&actual))),
        ctx.call_position(),
    ))
}

/// A value as a column shows it: strings without quotes, `()` as empty.
fn as_text(value: &Dynamic) -> String {
    if value.is_unit() {
        String::new()
    } else {
        value.to_string()
    }
}
