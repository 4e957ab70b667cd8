//! The queue worker: one change at a time, in order, the queue delay before each.

use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use super::Bulb;
use crate::error::AppError;
use crate::store::{AppliedChange, Outcome, QueuedChange, now_ms};

/// Runs until `stop` is cancelled. Errors from the store are logged and retried,
/// so a full disk slows the bulb down rather than losing the queue.
pub(super) async fn run(bulb: Bulb, stop: CancellationToken) {
    loop {
        let step = async {
            match bulb.inner.store.next_queued().await? {
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
                    () = bulb.inner.wake.notified() => {}
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

async fn apply_one(bulb: &Bulb, change: QueuedChange) -> Result<(), AppError> {
    let span = tracing::info_span!("bulb.apply", request_id = %change.request_id, colour = %change.colour.label);
    async {
        let delay = bulb.queue_delay_ms();
        tokio::time::sleep(Duration::from_millis(u64::from(delay))).await;
        let inner = &bulb.inner;
        let outcome = match inner.driver.apply(change.colour.hsb).await {
            Ok(()) => Outcome::Applied,
            Err(e) => {
                tracing::warn!(driver = inner.driver.name(), error = %e, "driver failed to set the bulb");
                Outcome::Failed
            }
        };
        let finished_at_ms = now_ms();
        inner
            .store
            .finish_change(change.seq, finished_at_ms, outcome)
            .await?;
        if outcome == Outcome::Applied {
            *inner
                .applied
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(AppliedChange {
                request_id: change.request_id,
                attendee: change.attendee,
                colour: change.colour,
                applied_at_ms: finished_at_ms,
            });
        }
        inner.queue_length.fetch_sub(1, Ordering::SeqCst);
        bulb.publish();
        Ok(())
    }
    .instrument(span)
    .await
}
