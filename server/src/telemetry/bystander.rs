//! A dispatcher that wants nothing, registered once and kept for good.
//!
//! `tracing` caches, per callsite, whether any dispatcher is interested. While
//! exactly one dispatcher is registered it asks only the *calling thread's* default,
//! so a callsite first reached outside this server's dispatch (a router test without
//! telemetry, a thread of another server's runtime) would be switched off in the whole
//! process. With a second dispatcher registered, `tracing` asks every live dispatcher
//! and then, for callsites they disagree on, the current one at each call: spans go
//! to the server whose task made them, whatever ran first.

use std::sync::OnceLock;

use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::subscriber::Interest;
use tracing::{Dispatch, Event, Metadata, Subscriber};

struct Bystander;

impl Subscriber for Bystander {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> Interest {
        Interest::never()
    }

    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::OFF)
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// Registers the bystander (once per process); call before building a dispatch.
pub(super) fn register() {
    static BYSTANDER: OnceLock<Dispatch> = OnceLock::new();
    BYSTANDER.get_or_init(|| Dispatch::new(Bystander));
}
