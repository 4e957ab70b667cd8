//! The bulbs as every page sees them, kept live by the event stream: every shard's
//! bulb (the events of different shards each keep their own), which shard is mine,
//! and whether the stream is connected. The same stream carries the room's state (see
//! `room_context.rs`), whose shard count says how many bulbs there are.

use bulbwatch_api::BulbState;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, BULB_EVENTS_URL};
use crate::bulb_stream::{BulbStream, Handlers, LiveStatus};
use crate::console;
use crate::contexts::room_context::RoomView;
use crate::contexts::{CurrentAttendee, Gate, LastError};
use crate::shards::{KnownBulbs, ShardBulb};

/// Every shard's bulb, mine among them, and the connection status.
#[derive(Clone, Copy, Debug)]
pub struct LiveBulb {
    /// Every shard's latest bulb the server sent.
    pub bulbs: RwSignal<KnownBulbs>,
    /// The shard my changes go to, once the server said (`GET /api/bulb`).
    pub mine: RwSignal<Option<u32>>,
    /// My shard's bulb (none until the first event).
    pub state: Memo<Option<BulbState>>,
    /// Whether updates are flowing.
    pub status: RwSignal<LiveStatus>,
    /// The room as the stream last told it (phase, reveal, shards).
    pub room: RwSignal<Option<RoomView>>,
}

impl LiveBulb {
    /// Subscribes to the server's bulb events for as long as the current owner lives,
    /// and reads which shard is mine (and every shard's bulb) whenever the stream
    /// (re)connects, the room's shard count changes or I join.
    pub fn connect(self, errors: LastError) {
        let stream = BulbStream::open(
            BULB_EVENTS_URL,
            Handlers {
                on_state: Box::new(move |state| self.bulbs.update(|b| b.live(state))),
                on_room: Box::new(move |room| {
                    if self.room.with_untracked(|r| r.as_ref() != Some(&room)) {
                        self.room.set(Some(room));
                    }
                }),
                on_status: Box::new(move |status| self.status.set(status)),
                on_bad_event: Box::new(move |message| errors.show(message)),
            },
        );
        // Owned by the reactive owner: dropped (closing the stream) when it is cleaned up.
        StoredValue::new_local(stream);
        self.follow_shards();
    }

    fn follow_shards(self) {
        let live = Memo::new(move |_| self.status.get() == LiveStatus::Live);
        let shards = Memo::new(move |_| self.room.with(|r| r.as_ref().map(|r| r.shards)));
        let gate = use_context::<CurrentAttendee>().map(CurrentAttendee::gate);
        // Only the answer to the latest read counts.
        let asked = StoredValue::new(0_u64);
        Effect::new(move |_| {
            let joined = gate.map_or(Gate::Joined, |g| g.get());
            let (Some(shards), true) = (shards.get(), live.get()) else {
                return;
            };
            if joined == Gate::Checking {
                return;
            }
            if shards <= 1 {
                // One bulb, everyone's: the stream's first event is all there is to know.
                self.mine.set(Some(0));
                return;
            }
            let joined = joined == Gate::Joined;
            if !joined {
                // No shard is mine before I join.
                self.mine.set(None);
            }
            let ticket = asked.get_value() + 1;
            asked.set_value(ticket);
            spawn_local(async move { self.read_shards(joined, ticket, asked).await });
        });
    }

    /// `GET /api/bulb` (mine, once joined) and `GET /api/bulbs` (every shard).
    async fn read_shards(self, joined: bool, ticket: u64, asked: StoredValue<u64>) {
        let Some(mark) = self.bulbs.try_with_untracked(KnownBulbs::mark) else {
            return;
        };
        let mine = if joined {
            Some(api::bulb().await)
        } else {
            None
        };
        let all = api::bulbs().await;
        if asked.try_get_value() != Some(ticket) {
            return;
        }
        let mut read = Vec::new();
        match mine {
            Some(Ok(state)) => {
                self.mine.try_set(Some(state.shard));
                read.push(state);
            }
            Some(Err(failure)) => console::info(&failure.message),
            None => {}
        }
        match all {
            Ok(states) => read.extend(states),
            Err(failure) => console::info(&failure.message),
        }
        self.bulbs.try_maybe_update(|b| (b.read(read, &mark), ()));
    }

    /// How many shards the room has (1 until the room is known).
    pub fn shards(self) -> Signal<u32> {
        Signal::derive(move || {
            self.room
                .with(|r| r.as_ref().map_or(1, |r| r.shards.max(1)))
        })
    }

    /// The room's bulbs to show, mine first.
    pub fn shown(self) -> Signal<Vec<ShardBulb>> {
        let shards = self.shards();
        Memo::new(move |_| {
            let mine = self.mine.get();
            self.bulbs.with(|b| b.shown(shards.get(), mine))
        })
        .into()
    }

    /// My bulb's colour, `#rrggbb`, once known.
    pub fn hex(self) -> Signal<Option<String>> {
        Signal::derive(move || self.state.with(|s| s.as_ref().map(|s| s.hex.clone())))
    }
}

/// Creates the live bulbs (none known, reconnecting) and provides them.
pub fn provide_live_bulb() -> LiveBulb {
    let bulbs = RwSignal::new(KnownBulbs::default());
    let mine = RwSignal::new(None::<u32>);
    let room = RwSignal::new(None::<RoomView>);
    let state = Memo::new(move |_| {
        let shards = room.with(|r| r.as_ref().map_or(1, |r| r.shards.max(1)));
        let mine = mine.get().filter(|m| *m < shards).unwrap_or(0);
        bulbs.with(|b| b.get(mine).cloned())
    });
    let live = LiveBulb {
        bulbs,
        mine,
        state,
        status: RwSignal::new(LiveStatus::Reconnecting),
        room,
    };
    provide_context(live);
    live
}

/// The live bulb.
pub fn use_live_bulb() -> LiveBulb {
    expect_context()
}
