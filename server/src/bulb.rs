//! The bulb service, the system under test: changes are queued and acknowledged at
//! once, and a worker per shard applies that shard's changes in order to the bulb
//! driver, waiting the queue delay before each. One shard behaves exactly like the
//! single bulb of the first workshops; the facilitator can split the room into up to
//! `MAX_SHARDS`, each its own bulb with its own queue, attendees spread by a stable
//! hash of their id.

pub mod driver;
mod queue;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, RwLock};

use bulbwatch_api::{Attendee, BulbState, MAX_SHARDS, QUEUE_DELAY_MAX_MS, SetBulbAccepted};
use sha2::{Digest, Sha256};
use tokio::sync::{Notify, broadcast};
use tokio_util::sync::CancellationToken;
use tracing::field::Empty;
use tracing::instrument::WithSubscriber;
use tracing::{Instrument, Span};

pub use driver::{BulbDriver, DriverError, DriverFuture, LightState, VirtualBulb};

pub use crate::colour::SetLight;
use crate::colour::{self, InputForm};
use crate::error::AppError;
use crate::instrumentation::{PointId, Points};
use crate::scenarios::Scenarios;
use crate::store::{AppliedChange, NewChange, Store, now_ms};
use crate::telemetry::TraceParent;

/// Default wait before each queued change is applied.
pub const DEFAULT_QUEUE_DELAY_MS: u32 = 400;

/// Most changes a shard's queue holds by default; more get 503 until it drains
/// (`--max-queue-length`).
pub const DEFAULT_MAX_QUEUE_LENGTH: u32 = 10_000;

const QUEUE_DELAY_KEY: &str = "queue_delay_ms";
const SHARDS_KEY: &str = "bulb.shards";

/// Handle to the bulb service; cheap to clone.
#[derive(Clone)]
pub struct Bulb {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    driver: Arc<dyn BulbDriver>,
    points: Points,
    scenarios: Scenarios,
    /// Every possible shard; the first `shards` take new changes.
    shard: Vec<Shard>,
    shards: AtomicU32,
    max_queue_length: u32,
    queue_delay_ms: AtomicU32,
    updates: broadcast::Sender<BulbState>,
}

/// One shard: its bulb and its queue.
struct Shard {
    applied: RwLock<Option<AppliedChange>>,
    queue_length: AtomicU32,
    wake: Notify,
}

/// The shard an attendee's changes go to when they do not pin one: a stable hash of
/// their id, so they stay on it while the shard count stays.
pub fn shard_of(attendee_id: &str, shards: u32) -> u32 {
    let digest = Sha256::digest(attendee_id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_le_bytes(first) % u64::from(shards.max(1))) as u32
}

impl Bulb {
    /// Loads every shard's state and queue from the store, sets the driver to each
    /// shard's last applied colour and starts a queue worker per shard (under the
    /// current tracing subscriber), which stop when `stop` is cancelled. `points`
    /// says which instrumentation points add attributes to the bulb's spans;
    /// `scenarios` hook into every change; past `max_queue_length` queued changes on
    /// a shard, new ones are refused.
    pub async fn start(
        store: Store,
        driver: Arc<dyn BulbDriver>,
        points: Points,
        scenarios: Scenarios,
        max_queue_length: u32,
        stop: CancellationToken,
    ) -> Result<(Self, tokio::task::JoinHandle<()>), AppError> {
        let delay = match store.setting(QUEUE_DELAY_KEY).await? {
            Some(v) => v.parse().unwrap_or(DEFAULT_QUEUE_DELAY_MS),
            None => DEFAULT_QUEUE_DELAY_MS,
        };
        let shards = store
            .setting(SHARDS_KEY)
            .await?
            .and_then(|v| v.parse().ok())
            .filter(|n| (1..=MAX_SHARDS).contains(n))
            .unwrap_or(1);
        let mut shard = Vec::new();
        for n in 0..MAX_SHARDS {
            let applied = store.last_applied(n).await?;
            let queued = store.queued_count(n).await?;
            if let Some(change) = &applied
                && let Err(e) = driver
                    .apply(
                        n,
                        LightState {
                            on: change.on,
                            hsb: change.colour.hsb,
                        },
                    )
                    .await
            {
                tracing::warn!(shard = n, error = %e, "could not restore the bulb's colour at start");
            }
            shard.push(Shard {
                applied: RwLock::new(applied),
                queue_length: AtomicU32::new(queued),
                wake: Notify::new(),
            });
        }
        let (updates, _) = broadcast::channel(64);
        let bulb = Self {
            inner: Arc::new(Inner {
                store,
                driver,
                points,
                scenarios,
                shard,
                shards: AtomicU32::new(shards),
                max_queue_length,
                queue_delay_ms: AtomicU32::new(delay),
                updates,
            }),
        };
        let mut workers = tokio::task::JoinSet::new();
        for n in 0..MAX_SHARDS {
            workers.spawn(queue::run(bulb.clone(), n, stop.clone()).with_current_subscriber());
        }
        let worker = tokio::spawn(async move { while workers.join_next().await.is_some() {} });
        Ok((bulb, worker))
    }

    fn shard(&self, n: u32) -> &Shard {
        &self.inner.shard[n as usize]
    }

    /// How many shards take changes.
    pub fn shards(&self) -> u32 {
        self.inner.shards.load(Ordering::SeqCst)
    }

    /// Sets how many shards take changes (1–`MAX_SHARDS`) and stores it. Changes
    /// already queued on a shard beyond the new count are still applied.
    pub async fn set_shards(&self, shards: u32) -> Result<u32, AppError> {
        if !(1..=MAX_SHARDS).contains(&shards) {
            return Err(AppError::Invalid(format!(
                "shards must be 1–{MAX_SHARDS}, got {shards}"
            )));
        }
        self.inner
            .store
            .set_setting(SHARDS_KEY, shards.to_string())
            .await?;
        self.inner.shards.store(shards, Ordering::SeqCst);
        self.publish_all();
        Ok(shards)
    }

    /// The shard `attendee` is on, or `pinned` when it is one of the room's shards.
    pub fn route(&self, attendee: Option<&Attendee>, pinned: Option<u32>) -> Result<u32, AppError> {
        let shards = self.shards();
        match pinned {
            Some(n) if n < shards => Ok(n),
            Some(n) => Err(AppError::Invalid(format!(
                "shard must be 0–{} (the room has {}), got {n}",
                shards - 1,
                crate::scenarios::plural(u64::from(shards), "shard")
            ))),
            None => Ok(attendee.map_or(0, |a| shard_of(&a.id, shards))),
        }
    }

    /// Shard `n`'s bulb as it is now.
    pub fn state(&self, n: u32) -> BulbState {
        let shard = self.shard(n);
        let applied = shard
            .applied
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        let (colour, on, request_id, applied_at_ms, applied_by) = match applied {
            Some(c) => (
                c.colour,
                c.on,
                Some(c.request_id),
                Some(c.applied_at_ms),
                Some(c.attendee),
            ),
            None => (colour::initial(), true, None, None, None),
        };
        BulbState {
            shard: n,
            hex: colour.hsb.hex(),
            colour: colour.label,
            hue: colour.hsb.hue,
            sat: colour.hsb.sat,
            bri: colour.hsb.bri,
            on,
            request_id,
            applied_at_ms,
            applied_by,
            queue_length: shard.queue_length.load(Ordering::SeqCst),
            queue_delay_ms: self.queue_delay_ms(),
        }
    }

    /// Every shard's bulb, shard 0 first.
    pub fn states(&self) -> Vec<BulbState> {
        (0..self.shards()).map(|n| self.state(n)).collect()
    }

    /// Live updates: a shard's new state after every enqueue and every applied change.
    pub fn subscribe(&self) -> broadcast::Receiver<BulbState> {
        self.inner.updates.subscribe()
    }

    /// Queues a change for `attendee`; returns once it is durably queued. Runs in a
    /// `bulb.enqueue` span (a child of the request's span); the instrumentation points
    /// below add business attributes to it when they are on.
    /// `shard` is where it goes (see [`Bulb::route`]); the active scenarios' enqueue
    /// hooks see `form`, how the colour was asked for.
    pub async fn enqueue(
        &self,
        attendee: &Attendee,
        light: SetLight,
        form: InputForm,
        shard: u32,
    ) -> Result<SetBulbAccepted, AppError> {
        let span = tracing::info_span!(
            "bulb.enqueue",
            attendee = Empty,
            attendee_id = Empty,
            colour = Empty,
            hue = Empty,
            on = Empty,
            input_form = Empty,
            request_id = Empty,
            shard = Empty,
            queue_length = Empty,
        );
        self.enqueue_in_span(attendee, light, form, shard)
            .instrument(span)
            .await
    }

    async fn enqueue_in_span(
        &self,
        attendee: &Attendee,
        mut light: SetLight,
        form: InputForm,
        shard: u32,
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
        // label and as the hue the bulb will get, and whether the bulb is to be lit.
        // Failures that hit only some colours (a flaky save, a colour the bulb cannot
        // show) stand out when grouped by it.
        if points.on(PointId::EnqueueColour) {
            if let Some(colour) = &light.colour {
                span.record("colour", colour.label.as_str());
                span.record("hue", i64::from(colour.hsb.hue));
            }
            span.record("on", light.lit());
            span.record("input_form", form.key());
        }
        if let Some(colour) = &mut light.colour {
            self.inner.scenarios.at_enqueue(self.shards(), form, colour);
        }

        let length = &self.shard(shard).queue_length;
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
        // queue takes the change (0 until the room is sharded). With it, one check's
        // request can be followed to the moment its change was applied.
        if points.on(PointId::EnqueueRequestId) {
            span.record("request_id", request_id.as_str());
            span.record("shard", i64::from(shard));
        }

        let change = NewChange {
            request_id: request_id.clone(),
            attendee_id: attendee.id.clone(),
            on: light.lit(),
            colour: light.colour,
            requested_at_ms: now_ms(),
            // The worker's apply span will join this trace (always on: trace context
            // is plumbing, not a business attribute).
            trace_parent: TraceParent::of(&span),
            queue_length: before + 1,
            shard,
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

        self.shard(shard).wake.notify_one();
        self.publish(shard);
        Ok(SetBulbAccepted {
            request_id,
            queue_length: before + 1,
            shard,
        })
    }

    /// The queue delay every change waits now, ms: the busy queue's while it is on,
    /// else the one set.
    pub fn queue_delay_ms(&self) -> u32 {
        self.inner
            .scenarios
            .queue_delay_ms(self.shards())
            .unwrap_or_else(|| self.inner.queue_delay_ms.load(Ordering::SeqCst))
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
        self.publish_all();
        Ok(ms)
    }

    fn publish(&self, shard: u32) {
        // No subscribers is fine: nobody has a page open.
        let _ = self.inner.updates.send(self.state(shard));
    }

    /// Tells every page of every shard's state (after the shard count or the queue
    /// delay changed).
    pub fn publish_all(&self) {
        for n in 0..self.shards() {
            self.publish(n);
        }
    }
}
