//! The clock the per-light rate limit runs on: governor's clock, and a way to wait
//! until a time on it. The server uses the real one; a test uses [`FakePace`], on
//! governor's fake clock, and moves time on itself.

use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, FakeRelativeClock, QuantaClock, Reference};
use tokio::sync::{Notify, watch};

use super::super::DriverFuture;

/// A clock for the rate limiter and a wait on it.
pub trait Pace: Send + Sync + 'static {
    /// The clock the limiter reads.
    type Clock: Clock<Instant: Send + Sync> + Clone + Send + Sync + 'static;

    /// The clock (a handle on the same time).
    fn clock(&self) -> Self::Clock;

    /// Resolves once `at` has come on the clock.
    fn wait_until(&self, at: <Self::Clock as Clock>::Instant) -> DriverFuture<'_, ()>;
}

/// Real time: governor's default clock, and tokio's sleep.
#[derive(Clone, Debug, Default)]
pub struct RealPace {
    clock: QuantaClock,
}

impl Pace for RealPace {
    type Clock = QuantaClock;

    fn clock(&self) -> QuantaClock {
        self.clock.clone()
    }

    fn wait_until(&self, at: <QuantaClock as Clock>::Instant) -> DriverFuture<'_, ()> {
        let wait: Duration = at.duration_since(self.clock.now()).into();
        Box::pin(tokio::time::sleep(wait))
    }
}

/// Time that moves only when told ([`FakePace::advance`]): governor's fake clock.
/// It counts the commands waiting for their turn, so a test knows one waits.
#[derive(Clone, Debug, Default)]
pub struct FakePace {
    clock: FakeRelativeClock,
    advanced: Arc<Notify>,
    waiting: Arc<watch::Sender<usize>>,
}

impl FakePace {
    /// Moves the clock on by `by` and wakes the commands waiting.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
        self.advanced.notify_waiters();
    }

    /// How many commands wait for their turn now.
    pub fn waiting(&self) -> usize {
        *self.waiting.borrow()
    }

    /// Resolves once `count` commands wait for their turn.
    pub async fn until_waiting(&self, count: usize) {
        let mut seen = self.waiting.subscribe();
        // The sender lives as long as `self`: this cannot fail.
        let _ = seen.wait_for(|n| *n == count).await;
    }
}

impl Pace for FakePace {
    type Clock = FakeRelativeClock;

    fn clock(&self) -> FakeRelativeClock {
        self.clock.clone()
    }

    fn wait_until(&self, at: <FakeRelativeClock as Clock>::Instant) -> DriverFuture<'_, ()> {
        Box::pin(async move {
            let _counted = Waiting::count(&self.waiting);
            loop {
                let advanced = self.advanced.notified();
                if self.clock.now() >= at {
                    break;
                }
                advanced.await;
            }
        })
    }
}

/// One command counted as waiting while this lives (a dropped wait is uncounted too).
struct Waiting<'a>(&'a watch::Sender<usize>);

impl<'a> Waiting<'a> {
    fn count(waiting: &'a watch::Sender<usize>) -> Self {
        waiting.send_modify(|n| *n += 1);
        Self(waiting)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n -= 1);
    }
}
