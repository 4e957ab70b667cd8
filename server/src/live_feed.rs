//! The live stream's frames, made once for every open page.
//!
//! A change of a shard's bulb or of the room is written as one Server-Sent Events
//! frame (`event: bulb` / `event: room`, its JSON on one `data:` line) by one relay
//! task, and every page's stream sends those same bytes: a hall of 2,000 open pages
//! costs one JSON rendering a change, not 2,000. Each shard and the room are a
//! [`watch`] channel, so a page that falls behind skips to the newest frame of each
//! (it only draws the newest) instead of queueing old ones.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Bytes;
use bulbwatch_api::{BulbState, MAX_SHARDS, RoomState};
use futures_util::{Stream, StreamExt, stream};
use serde::Serialize;
use tokio::sync::{broadcast, watch};
use tokio_stream::wrappers::{IntervalStream, WatchStream};
use tokio_util::sync::CancellationToken;

use crate::bulb::Bulb;
use crate::room::Room;

/// How soon a browser retries after losing the stream (e.g. a server restart).
const RETRY: Duration = Duration::from_secs(1);
/// A comment line this often keeps proxies and browsers from closing a quiet stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The newest frame of every shard and of the room; cheap to clone.
#[derive(Clone)]
pub struct LiveFeed {
    bulb: Bulb,
    room: Room,
    shards: Vec<watch::Receiver<Bytes>>,
    room_frames: watch::Receiver<Bytes>,
    shutdown: CancellationToken,
}

/// `event: NAME` and `data: JSON` as one frame.
fn frame(event: &str, data: &impl Serialize) -> Bytes {
    let json = serde_json::to_string(data).unwrap_or_else(|e| {
        serde_json::json!({"error": format!("cannot write the {event}: {e}")}).to_string()
    });
    Bytes::from(format!("event: {event}\ndata: {json}\n\n"))
}

fn bulb_frame(state: &BulbState) -> Bytes {
    frame("bulb", state)
}

fn room_frame(state: &RoomState) -> Bytes {
    frame("room", state)
}

impl LiveFeed {
    /// Starts the relay from the bulb's and the room's updates to the frames; it ends
    /// with `shutdown`.
    pub fn start(bulb: Bulb, room: Room, shutdown: CancellationToken) -> Self {
        let (shard_senders, shards): (Vec<_>, Vec<_>) = (0..MAX_SHARDS)
            .map(|n| watch::channel(bulb_frame(&bulb.state(n))))
            .unzip();
        let (room_sender, room_frames) = watch::channel(room_frame(&room.state()));
        let relay = Relay {
            bulb: bulb.clone(),
            room: room.clone(),
            shards: shard_senders,
            room_frames: room_sender,
        };
        tokio::spawn(relay.run(shutdown.clone()));
        Self {
            bulb,
            room,
            shards,
            room_frames,
            shutdown,
        }
    }

    /// One page's stream: every shard's bulb and the room at once, then each change,
    /// with a keep-alive comment when quiet; it ends when the server shuts down.
    pub fn page(&self) -> impl Stream<Item = Result<Bytes, Infallible>> + Send + use<> {
        // Subscribed before the first frames are made: a change in between is sent
        // (perhaps twice), never missed.
        let changes: Vec<_> = self
            .shards
            .iter()
            .chain(std::iter::once(&self.room_frames))
            .map(|rx| WatchStream::from_changes(rx.clone()).boxed())
            .collect();
        // The first write: how soon to retry, every shard's bulb and the room.
        let mut first = format!("retry: {}\n\n", RETRY.as_millis()).into_bytes();
        for state in self.bulb.states() {
            first.extend_from_slice(&bulb_frame(&state));
        }
        first.extend_from_slice(&room_frame(&self.room.state()));
        let mut keep_alive = tokio::time::interval(KEEP_ALIVE);
        keep_alive.reset();
        let keep_alive = IntervalStream::new(keep_alive)
            .map(|_| Bytes::from_static(b":\n\n"))
            .boxed();
        stream::once(std::future::ready(Bytes::from(first)))
            .chain(stream::select_all(changes.into_iter().chain([keep_alive])))
            .map(Ok)
            .take_until(self.shutdown.clone().cancelled_owned())
    }
}

/// Turns the bulb's and the room's updates into frames.
struct Relay {
    bulb: Bulb,
    room: Room,
    shards: Vec<watch::Sender<Bytes>>,
    room_frames: watch::Sender<Bytes>,
}

impl Relay {
    fn shard(&self, state: &BulbState) {
        if let Some(sender) = self.shards.get(state.shard as usize) {
            sender.send_replace(bulb_frame(state));
        }
    }

    async fn run(self, shutdown: CancellationToken) {
        let mut bulb_updates = self.bulb.subscribe();
        let mut room_updates = self.room.subscribe();
        loop {
            tokio::select! {
                () = shutdown.cancelled() => return,
                update = bulb_updates.recv() => match update {
                    Ok(state) => self.shard(&state),
                    // Fell behind: the newest of every shard is all a page needs.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        for state in self.bulb.states() {
                            self.shard(&state);
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                update = room_updates.recv() => match update {
                    Ok(state) => {
                        self.room_frames.send_replace(room_frame(&state));
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        self.room_frames.send_replace(room_frame(&self.room.state()));
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    }
}
