//! The live bulbs: one `EventSource` on `/api/bulb/events` reporting every `bulb` event
//! (each names its shard), and every `room` event (the room's phase, reveal and
//! shard count).
//! The browser retries a dropped stream by itself; when it gives up (the stream is
//! CLOSED, e.g. the server answered 502 while restarting) we open a new one after a
//! pause. The first event after any (re)connect carries the full state.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use bulbwatch_api::BulbState;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, EventSource, MessageEvent};

use crate::console;
use crate::contexts::room_context::RoomView;

/// Pause before opening a new stream once the browser has given up on the old one.
pub const REOPEN_AFTER: Duration = Duration::from_millis(1500);

/// Whether live updates are flowing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LiveStatus {
    /// Not connected yet, or connecting again after a drop.
    #[default]
    Reconnecting,
    /// The stream is open; changes arrive as they happen.
    Live,
}

/// What to do after the stream reported an error, from its `readyState`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterError {
    /// The browser is retrying by itself (CONNECTING).
    BrowserRetries,
    /// The browser gave up (CLOSED): open a new stream after [`REOPEN_AFTER`].
    Reopen,
}

impl AfterError {
    /// Decides from `EventSource.readyState` (0 connecting, 1 open, 2 closed).
    pub fn from_ready_state(ready_state: u16) -> Self {
        if ready_state == EventSource::CLOSED {
            Self::Reopen
        } else {
            Self::BrowserRetries
        }
    }
}

/// Reads one `bulb` event's data.
pub fn parse_bulb_event(data: &str) -> Result<BulbState, String> {
    serde_json::from_str(data)
        .map_err(|e| format!("A live bulb update could not be read ({e}); reload the page."))
}

/// Reads one `room` event's data.
pub fn parse_room_event(data: &str) -> Result<RoomView, String> {
    serde_json::from_str(data)
        .map_err(|e| format!("A live room update could not be read ({e}); reload the page."))
}

/// What the stream reports to: the page's signals, in practice.
pub struct Handlers {
    /// A new bulb state arrived.
    pub on_state: Box<dyn Fn(BulbState)>,
    /// The room changed (phase, switches, reveal).
    pub on_room: Box<dyn Fn(RoomView)>,
    /// The connection went live or dropped.
    pub on_status: Box<dyn Fn(LiveStatus)>,
    /// An event arrived that could not be read.
    pub on_bad_event: Box<dyn Fn(String)>,
}

/// An open subscription; dropping it closes the stream and stops reconnecting.
pub struct BulbStream {
    _inner: Rc<RefCell<Inner>>,
}

struct Inner {
    url: String,
    handlers: Rc<Handlers>,
    connection: Option<Connection>,
}

/// One `EventSource` and the closures it calls, which must live as long as it does.
struct Connection {
    source: EventSource,
    _on_bulb: Closure<dyn FnMut(MessageEvent)>,
    _on_room: Closure<dyn FnMut(MessageEvent)>,
    _on_open: Closure<dyn FnMut(Event)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.source.close();
    }
}

impl BulbStream {
    /// Opens the stream at `url` and keeps it open until dropped.
    pub fn open(url: &str, handlers: Handlers) -> Self {
        let inner = Rc::new(RefCell::new(Inner {
            url: url.to_string(),
            handlers: Rc::new(handlers),
            connection: None,
        }));
        connect(&inner);
        Self { _inner: inner }
    }
}

fn connect(inner: &Rc<RefCell<Inner>>) {
    let (url, handlers) = {
        let inner = inner.borrow();
        (inner.url.clone(), Rc::clone(&inner.handlers))
    };
    (handlers.on_status)(LiveStatus::Reconnecting);
    let source = match EventSource::new(&url) {
        Ok(source) => source,
        Err(e) => {
            console::warn_with("could not open the live bulb stream", &e);
            schedule_reopen(Rc::downgrade(inner));
            return;
        }
    };

    let h = Rc::clone(&handlers);
    let on_bulb = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data().as_string().unwrap_or_default();
        match parse_bulb_event(&data) {
            Ok(state) => (h.on_state)(state),
            Err(message) => (h.on_bad_event)(message),
        }
    });
    let h = Rc::clone(&handlers);
    let on_room = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data().as_string().unwrap_or_default();
        match parse_room_event(&data) {
            Ok(room) => (h.on_room)(room),
            Err(message) => (h.on_bad_event)(message),
        }
    });
    let h = Rc::clone(&handlers);
    let on_open = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        (h.on_status)(LiveStatus::Live);
    });
    let h = Rc::clone(&handlers);
    let weak = Rc::downgrade(inner);
    let source_for_error = source.clone();
    let on_error = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        (h.on_status)(LiveStatus::Reconnecting);
        let action = AfterError::from_ready_state(source_for_error.ready_state());
        console::info(match action {
            AfterError::BrowserRetries => "live bulb stream dropped; the browser retries",
            AfterError::Reopen => "live bulb stream closed; opening a new one shortly",
        });
        if action == AfterError::Reopen {
            // Replaced from a timer, never from inside this closure: dropping a closure
            // while it runs is not allowed.
            schedule_reopen(weak.clone());
        }
    });

    for (name, callback) in [
        ("bulb", on_bulb.as_ref()),
        ("room", on_room.as_ref()),
        ("open", on_open.as_ref()),
        ("error", on_error.as_ref()),
    ] {
        if let Err(e) = source.add_event_listener_with_callback(name, callback.unchecked_ref()) {
            console::warn_with(
                &format!("could not listen to the live bulb stream's {name} events"),
                &e,
            );
        }
    }
    inner.borrow_mut().connection = Some(Connection {
        source,
        _on_bulb: on_bulb,
        _on_room: on_room,
        _on_open: on_open,
        _on_error: on_error,
    });
}

fn schedule_reopen(weak: Weak<RefCell<Inner>>) {
    leptos::prelude::set_timeout(
        move || {
            // Gone when the page dropped the stream meanwhile.
            if let Some(inner) = weak.upgrade() {
                inner.borrow_mut().connection = None;
                connect(&inner);
            }
        },
        REOPEN_AFTER,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_stream_is_reopened_connecting_one_is_left_to_the_browser() {
        assert_eq!(AfterError::from_ready_state(2), AfterError::Reopen);
        assert_eq!(AfterError::from_ready_state(0), AfterError::BrowserRetries);
        assert_eq!(AfterError::from_ready_state(1), AfterError::BrowserRetries);
    }

    #[test]
    fn bulb_event_parses_or_says_why_not() {
        let data = r##"{"colour":"red","hex":"#ff0000","hue":0,"sat":254,"bri":254,
            "request_id":"r-1","applied_at_ms":1,"applied_by":{"id":"a","name":"Ada"},
            "queue_length":2,"queue_delay_ms":400}"##;
        let state = parse_bulb_event(data).unwrap();
        assert_eq!(state.hex, "#ff0000");
        assert_eq!(state.shard, 0, "one bulb: shard 0");
        assert_eq!(state.applied_by.unwrap().name, "Ada");
        let sharded = data.replacen('{', r#"{"shard":3,"#, 1);
        assert_eq!(parse_bulb_event(&sharded).unwrap().shard, 3);
        let room = parse_room_event(
            r#"{"phase":"write_check","phase_since_ms":5,"switches":[],
            "attendees_switch_points":false,"reveal":null}"#,
        )
        .unwrap();
        assert_eq!(room.phase, bulbwatch_api::Phase::WriteCheck);
        assert_eq!(room.shards, 1, "a room without shards has one");
        let sharded = parse_room_event(
            r#"{"phase":"scale_out","phase_since_ms":5,"switches":[],
            "attendees_switch_points":false,"reveal":null,"shards":4}"#,
        )
        .unwrap();
        assert_eq!(sharded.shards, 4);
        assert!(parse_room_event("{}").unwrap_err().contains("room update"));
        assert!(
            parse_bulb_event("{}")
                .unwrap_err()
                .contains("reload the page")
        );
    }
}
