//! The bulb service, the system under test: changes are queued and acknowledged at
//! once, and one worker applies them in order to the bulb driver, waiting the queue
//! delay before each.

mod driver;
mod queue;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, RwLock};

use bulbwatch_api::{Attendee, BulbState, QUEUE_DELAY_MAX_MS, SetBulbAccepted};
use tokio::sync::{Notify, broadcast};
use tokio_util::sync::CancellationToken;
use tracing::field::Empty;
use tracing::instrument::WithSubscriber;
use tracing::{Instrument, Span};

pub use driver::{BulbDriver, DriverError, VirtualBulb};

use crate::colour::{self, Colour};
use crate::error::AppError;
use crate::instrumentation::{PointId, Points};
use crate::store::{AppliedChange, NewChange, Store, now_ms};
use crate::telemetry::TraceParent;

/// Default wait before each queued change is applied.
pub const DEFAULT_QUEUE_DELAY_MS: u32 = 400;

/// Most changes the queue holds by default; more get 503 until it drains
/// (`--max-queue-length`).
pub const DEFAULT_MAX_QUEUE_LENGTH: u32 = 10_000;

/// The shard every change goes to: there is one bulb and one queue until the room is
/// sharded.
pub const SHARD: u32 = 0;

const QUEUE_DELAY_KEY: &str = "queue_delay_ms";

/// Handle to the bulb service; cheap to clone.
#[derive(Clone)]
pub struct Bulb {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    driver: Arc<dyn BulbDriver>,
    points: Points,
    applied: RwLock<Option<AppliedChange>>,
    queue_length: AtomicU32,
    max_queue_length: u32,
    queue_delay_ms: AtomicU32,
    wake: Notify,
    updates: broadcast::Sender<BulbState>,
}

impl Bulb {
    /// Loads the bulb's state and queue from the store, sets the driver to the last
    /// applied colour and starts the queue worker (under the current tracing
    /// subscriber), which stops when `stop` is cancelled. `points` says which
    /// instrumentation points add attributes to the bulb's spans; past
    /// `max_queue_length` queued changes, new ones are refused.
    pub async fn start(
        store: Store,
        driver: Arc<dyn BulbDriver>,
        points: Points,
        max_queue_length: u32,
        stop: CancellationToken,
    ) -> Result<(Self, tokio::task::JoinHandle<()>), AppError> {
        let applied = store.last_applied().await?;
        let queued = store.queued_count().await?;
        let delay = match store.setting(QUEUE_DELAY_KEY).await? {
            Some(v) => v.parse().unwrap_or(DEFAULT_QUEUE_DELAY_MS),
            None => DEFAULT_QUEUE_DELAY_MS,
        };
        if let Some(change) = &applied
            && let Err(e) = driver.apply(change.colour.hsb).await
        {
            tracing::warn!(error = %e, "could not restore the bulb's colour at start");
        }
        let (updates, _) = broadcast::channel(64);
        let bulb = Self {
            inner: Arc::new(Inner {
                store,
                driver,
                points,
                applied: RwLock::new(applied),
                queue_length: AtomicU32::new(queued),
                max_queue_length,
                queue_delay_ms: AtomicU32::new(delay),
                wake: Notify::new(),
                updates,
            }),
        };
        let worker = tokio::spawn(queue::run(bulb.clone(), stop).with_current_subscriber());
        Ok((bulb, worker))
    }

    /// The bulb as it is now.
    pub fn state(&self) -> BulbState {
        let applied = self
            .inner
            .applied
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let (colour, request_id, applied_at_ms, applied_by) = match applied {
            Some(c) => (
                c.colour,
                Some(c.request_id),
                Some(c.applied_at_ms),
                Some(c.attendee),
            ),
            None => (colour::initial(), None, None, None),
        };
        BulbState {
            hex: colour.hsb.hex(),
            colour: colour.label,
            hue: colour.hsb.hue,
            sat: colour.hsb.sat,
            bri: colour.hsb.bri,
            request_id,
            applied_at_ms,
            applied_by,
            queue_length: self.inner.queue_length.load(Ordering::SeqCst),
            queue_delay_ms: self.queue_delay_ms(),
        }
    }

    /// Live updates: a new state after every enqueue and every applied change.
    pub fn subscribe(&self) -> broadcast::Receiver<BulbState> {
        self.inner.updates.subscribe()
    }

    /// Queues a change for `attendee`; returns once it is durably queued. Runs in a
    /// `bulb.enqueue` span (a child of the request's span); the instrumentation points
    /// below add business attributes to it when they are on.
    pub async fn enqueue(
        &self,
        attendee: &Attendee,
        colour: Colour,
    ) -> Result<SetBulbAccepted, AppError> {
        let span = tracing::info_span!(
            "bulb.enqueue",
            attendee = Empty,
            attendee_id = Empty,
            colour = Empty,
            hue = Empty,
            request_id = Empty,
            shard = Empty,
            queue_length = Empty,
        );
        self.enqueue_in_span(attendee, colour)
            .instrument(span)
            .await
    }

    async fn enqueue_in_span(
        &self,
        attendee: &Attendee,
        colour: Colour,
    ) -> Result<SetBulbAccepted, AppError> {
        let span = Span::current();
        let points = &self.inner.points;

        // Instrumentation point `bulb.enqueue.attendee`: who asked. Every question
        // ("is it only some people's checks that fail?") can now be grouped by
        // person. The name is for people; the id stays apart when two share a name.
        if points.on(PointId::EnqueueAttendee) {
            span.record("attendee", attendee.name.as_str());
            span.record("attendee_id", attendee.id.as_str());
        }

        // Instrumentation point `bulb.enqueue.colour`: the colour asked for, as its
        // label and as the hue the bulb will get. Failures that hit only some colours
        // (a flaky save, a colour the bulb cannot show) stand out when grouped by it.
        if points.on(PointId::EnqueueColour) {
            span.record("colour", colour.label.as_str());
            span.record("hue", i64::from(colour.hsb.hue));
        }

        let length = &self.inner.queue_length;
        // Reserve the place first so the worker can never count below zero.
        let before = length.fetch_add(1, Ordering::SeqCst);
        let max = self.inner.max_queue_length;
        if before >= max {
            length.fetch_sub(1, Ordering::SeqCst);
            return Err(AppError::QueueFull(format!(
                "the bulb's queue is full ({max} changes); try again in a few seconds"
            )));
        }
        let request_id = uuid::Uuid::new_v4().simple().to_string();

        // Instrumentation point `bulb.enqueue.request_id`: the id the 202 answers
        // with, which a check then waits to see on the bulb, and the shard whose
        // queue takes the change (always 0 until the room is sharded). With it, one
        // check's request can be followed to the moment its change was applied.
        if points.on(PointId::EnqueueRequestId) {
            span.record("request_id", request_id.as_str());
            span.record("shard", i64::from(SHARD));
        }

        let change = NewChange {
            request_id: request_id.clone(),
            attendee_id: attendee.id.clone(),
            colour,
            requested_at_ms: now_ms(),
            // The worker's apply span will join this trace (always on: trace context
            // is plumbing, not a business attribute).
            trace_parent: TraceParent::of(&span),
            queue_length: before + 1,
        };
        if let Err(e) = self.inner.store.enqueue_change(change).await {
            length.fetch_sub(1, Ordering::SeqCst);
            return Err(e);
        }

        // Instrumentation point `bulb.enqueue.queue_length`: how many changes wait,
        // this one included. Each waits the queue delay before it is applied, so a
        // change at the back of a long queue shows after length × delay — longer
        // than a check polls, although its PUT answered 202 at once.
        if points.on(PointId::EnqueueQueueLength) {
            span.record("queue_length", i64::from(before + 1));
        }

        self.inner.wake.notify_one();
        self.publish();
        Ok(SetBulbAccepted {
            request_id,
            queue_length: before + 1,
        })
    }

    /// The current queue delay in milliseconds.
    pub fn queue_delay_ms(&self) -> u32 {
        self.inner.queue_delay_ms.load(Ordering::SeqCst)
    }

    /// Sets the queue delay (0–2000 ms) and stores it.
    pub async fn set_queue_delay(&self, ms: i64) -> Result<u32, AppError> {
        if !(0..=QUEUE_DELAY_MAX_MS).contains(&ms) {
            return Err(AppError::Invalid(format!(
                "queue delay must be 0–{QUEUE_DELAY_MAX_MS} ms, got {ms}"
            )));
        }
        let ms = ms as u32;
        self.inner
            .store
            .set_setting(QUEUE_DELAY_KEY, ms.to_string())
            .await?;
        self.inner.queue_delay_ms.store(ms, Ordering::SeqCst);
        self.publish();
        Ok(ms)
    }

    fn publish(&self) {
        // No subscribers is fine: nobody has a page open.
        let _ = self.inner.updates.send(self.state());
    }
}
