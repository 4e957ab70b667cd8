//! "A run of mine was recorded", told over a `BroadcastChannel` to every page of this
//! origin — the check history charts in the play page's frame, Explore in another
//! tab — so they show the run at once instead of at their next refresh.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

/// The channel's name.
const CHANNEL: &str = "bulbwatch-runs";

/// Tells the other pages that a run of check `check_id` (empty for an unsaved check)
/// was recorded. Quietly does nothing where the browser has no `BroadcastChannel`:
/// the listeners refresh on their own anyway.
pub fn announce_run(check_id: Option<&str>) {
    if let Ok(channel) = BroadcastChannel::new(CHANNEL) {
        let _ = channel.post_message(&JsValue::from_str(check_id.unwrap_or_default()));
        channel.close();
    }
}

/// Listens for recorded runs while it lives: `on_run` gets the run's check id (empty
/// for an unsaved check). Runs announced by this same page object are not heard.
pub struct RunListener {
    channel: BroadcastChannel,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl RunListener {
    /// Starts listening; `None` where the browser has no `BroadcastChannel`.
    pub fn new(mut on_run: impl FnMut(String) + 'static) -> Option<Self> {
        let channel = BroadcastChannel::new(CHANNEL).ok()?;
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(check_id) = event.data().as_string() {
                on_run(check_id);
            }
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Self {
            channel,
            _on_message: on_message,
        })
    }
}

impl Drop for RunListener {
    fn drop(&mut self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }
}
