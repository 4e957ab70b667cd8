//! A shard's queue worker: one change at a time, in order, the queue delay before
//! each; the active scenarios' hooks before the driver call and on its answer.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;
use tracing::field::Empty;
use tracing::{Instrument, Span};

use super::{Bulb, DriverError};
use crate::error::AppError;
use crate::instrumentation::PointId;
use crate::scenarios::{Answer, Change};
use crate::store::{AppliedChange, Outcome, QueuedChange, now_ms};

/// Runs shard `shard`'s queue until `stop` is cancelled. Errors from the store are
/// logged and retried, so a full disk slows the bulb down rather than losing the
/// queue.
pub(super) async fn run(bulb: Bulb, shard: u32, stop: CancellationToken) {
    loop {
        let step = async {
            match bulb.inner.store.next_queued(shard).await? {
                Some(change) => apply_one(&bulb, change).await.map(|()| true),
                None => Ok(false),
            }
        };
        let outcome = tokio::select! {
            () = stop.cancelled() => return,
            outcome = step => outcome,
        };
        match outcome {
            Ok(true) => {}
            Ok(false) => {
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = bulb.shard(shard).wake.notified() => {}
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "queue worker failed; retrying in 1 s");
                tokio::select! {
                    () = stop.cancelled() => return,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
}

/// Applies one change in a `bulb.apply` span whose parent is the request's
/// `bulb.enqueue` span (stored with the change), so the wait and the save show up in
/// the trace of the check that asked. The driver call gets a `bulb.driver` span.
async fn apply_one(bulb: &Bulb, change: QueuedChange) -> Result<(), AppError> {
    let span = tracing::info_span!(
        "bulb.apply",
        request_id = Empty,
        attendee = Empty,
        attendee_id = Empty,
        colour = Empty,
        hue = Empty,
        on = Empty,
        shard = Empty,
        queue_delay_ms = Empty,
        queue_length = Empty,
        delay_ms = Empty,
        previous_colour = Empty,
        previous_writer = Empty,
        previous_request_id = Empty,
        previous_shown_ms = Empty,
        save_ms = Empty,
        succeeded = Empty,
        error = Empty,
        applied_colour = Empty,
        clamped = Empty,
    );
    if let Some(parent) = &change.trace_parent {
        parent.adopt(&span);
    }
    apply_in_span(bulb, change).instrument(span).await
}

async fn apply_in_span(bulb: &Bulb, change: QueuedChange) -> Result<(), AppError> {
    let span = Span::current();
    let inner = &bulb.inner;
    let points = &inner.points;
    let previous = bulb
        .shard(change.shard)
        .applied
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    // A change that only switches the bulb keeps the colour it shows now.
    let colour = change.colour.clone().unwrap_or_else(|| {
        previous
            .as_ref()
            .map_or_else(crate::colour::initial, |p| p.colour.clone())
    });

    // Instrumentation point `bulb.apply.request`: which change this is and whose —
    // the same attributes as on the enqueue span, because a wide event answers
    // questions on its own: "which colours fail to apply?" needs no join.
    if points.on(PointId::ApplyRequest) {
        span.record("request_id", change.request_id.as_str());
        span.record("attendee", change.attendee.name.as_str());
        span.record("attendee_id", change.attendee.id.as_str());
        span.record("colour", colour.label.as_str());
        span.record("hue", i64::from(colour.hsb.hue));
        span.record("on", change.on);
        span.record("shard", i64::from(change.shard));
    }

    let delay = bulb.queue_delay_ms();
    tokio::time::sleep(Duration::from_millis(u64::from(delay))).await;
    let shards = bulb.shards();
    let hook = Change {
        seq: change.seq,
        shard: change.shard,
        colour: &colour,
    };
    let driver_span = tracing::info_span!(
        "bulb.driver",
        driver = Empty,
        error = Empty,
        error_type = Empty,
        error_description = Empty,
    );
    let started = Instant::now();
    let slower = inner.scenarios.before_driver(shards, &hook);
    let driver_call = async {
        tokio::time::sleep(slower).await;
        let light = super::LightState {
            on: change.on,
            hsb: colour.hsb,
        };
        inner.driver.apply(change.shard, light).await
    };
    let driven = driver_call.instrument(driver_span.clone()).await;
    let save_ms = started.elapsed().as_secs_f64() * 1000.0;
    let mut answer = Answer {
        shown: driven.map(|()| colour.clone()),
        clamped: false,
    };
    inner.scenarios.on_answer(shards, &hook, &mut answer);
    let saved = answer.shown.as_ref().map(drop);
    if let Err(e) = &saved {
        tracing::warn!(
            driver = inner.driver.name(),
            shard = change.shard,
            error = %e,
            error_type = e.error_type(),
            "driver failed to set the bulb"
        );
    }
    let outcome = if saved.is_ok() {
        Outcome::Applied
    } else {
        Outcome::Failed
    };
    let finished_at_ms = now_ms();

    // Instrumentation point `bulb.apply.delay`: the queue delay this change waited,
    // the queue length it joined, and the whole time from the request to the bulb
    // showing it. `delay_ms` is what the attendee's check feels; when it grows with
    // `queue_length` while `queue_delay_ms` stays put, the queue is backing up.
    if points.on(PointId::ApplyDelay) {
        span.record("queue_delay_ms", i64::from(delay));
        span.record("queue_length", change.queue_length.map(i64::from));
        span.record("delay_ms", finished_at_ms - change.requested_at_ms);
    }

    // Instrumentation point `bulb.apply.previous`: the colour this change replaces,
    // who had set it, which request that was and how long it stood on the bulb.
    // When a check reads back a colour it never asked for, this shows whose change
    // landed in between: a change that stood less than a check's poll interval was
    // never seen by the check that asked for it.
    if points.on(PointId::ApplyPrevious)
        && let Some(previous) = &previous
    {
        span.record("previous_colour", previous.colour.label.as_str());
        span.record("previous_writer", previous.attendee.name.as_str());
        span.record("previous_request_id", previous.request_id.as_str());
        span.record("previous_shown_ms", finished_at_ms - previous.applied_at_ms);
    }

    // Instrumentation point `bulb.apply.outcome`: how long the driver took, and
    // whether the bulb took the colour. The PUT answered 202 long ago, so a failed
    // save never reaches the status codes an error tracker watches: only this shows
    // it, on the apply span and on the driver call's span. When a Hue bridge refused,
    // the driver span also carries Hue's error type (3: no such light, 7: a value out
    // of range…) and its description, so failures group by what the bridge said.
    if points.on(PointId::ApplyOutcome) {
        let failed = saved.as_ref().err().copied();
        let error = failed.map(ToString::to_string);
        let error_type = failed.and_then(DriverError::error_type).map(i64::from);
        let error_description = failed.and_then(DriverError::error_description);
        span.record("save_ms", save_ms);
        span.record("succeeded", saved.is_ok());
        span.record("error", error.as_deref());
        driver_span.record("driver", inner.driver.name());
        driver_span.record("error", error.as_deref());
        driver_span.record("error_type", error_type);
        driver_span.record("error_description", error_description);
    }
    drop(driver_span);

    // Instrumentation point `bulb.apply.shown`: whether the bulb had to clamp the
    // colour asked for to what it can show, and the colour it shows now (when it
    // took the change). A check that reads back its colour and gets another, with
    // no error anywhere, differs here.
    if points.on(PointId::ApplyShown) {
        span.record("clamped", answer.clamped);
        if let Ok(shown) = &answer.shown {
            span.record("applied_colour", shown.label.as_str());
        }
    }

    let shard = bulb.shard(change.shard);
    inner
        .store
        .finish_change(
            change.seq,
            finished_at_ms,
            outcome,
            answer.shown.as_ref().ok(),
        )
        .await?;
    if let Ok(shown) = answer.shown {
        *shard
            .applied
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(AppliedChange {
            request_id: change.request_id,
            attendee: change.attendee,
            on: change.on,
            colour: shown,
            applied_at_ms: finished_at_ms,
        });
    }
    shard.queue_length.fetch_sub(1, Ordering::SeqCst);
    bulb.publish(change.shard);
    Ok(())
}
