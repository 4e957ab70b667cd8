//! The host API a check calls: `bulb`, `http`, `assert`, `assert_eq`, `step`, `poll`,
//! `sleep`, `log`, `now`. Each file registers its part on the engine.

mod asserts;
mod basics;
mod bulb;
mod http;
mod poll;
mod steps;

use rhai::{Dynamic, Engine};

use crate::failure::CheckFailure;
use crate::state::Shared;

/// Registers the whole host API, and makes `bulb` and `http` visible everywhere
/// (closures and `fn`s included).
pub(crate) fn register(engine: &mut Engine, state: &Shared) {
    basics::register(engine, state);
    asserts::register(engine);
    steps::register(engine, state);
    poll::register(engine, state);
    http::register(engine, state);
    bulb::register(engine, state);

    // A caught failure (`try { … } catch (e) { … }`) reads as its message.
    engine
        .register_type_with_name::<CheckFailure>("Failure")
        .register_fn("to_string", |f: &mut CheckFailure| f.message.clone())
        .register_fn("to_debug", |f: &mut CheckFailure| f.message.clone())
        .register_get("message", |f: &mut CheckFailure| f.message.clone());

    // `on_var` is marked "volatile" (deprecated only in name) in Rhai 1.x.
    #[allow(deprecated)]
    engine.on_var(|name, _, ctx| {
        if ctx.scope().contains(name) {
            return Ok(None);
        }
        Ok(match name {
            "bulb" => Some(Dynamic::from(bulb::Bulb)),
            "http" => Some(Dynamic::from(http::Http)),
            _ => None,
        })
    });
}
