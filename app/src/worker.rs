//! The check worker: runs an attendee's check with the Rhai engine, off the page's
//! thread. The page sends a [`RunRequest`]; the worker answers with every piece of
//! progress as it happens and then the report (see `checks::protocol`).
//!
//! Only the `check_worker` binary calls [`start`]; the page's binary never reaches this
//! module, so the engine is linked into the worker alone.

mod clock;
mod xhr;

use std::cell::RefCell;
use std::rc::Rc;

use bulbwatch_checks::{CheckReport, RunOptions, run_check};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::checks::protocol::{RunRequest, WorkerMessage};

pub use clock::BrowserClock;
pub use xhr::{XhrTransport, js_error_message, parse_headers};

/// Listens for runs and tells the page it is ready. Called once, when the worker's wasm
/// has loaded: messages the page posted before this are lost, hence "ready".
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        match serde_json::from_str::<RunRequest>(&text) {
            Ok(request) => {
                let progress_to = replies.clone();
                let report = run(&request, move |progress| {
                    post(&progress_to, &WorkerMessage::Progress(progress));
                });
                post(&replies, &WorkerMessage::Done(Box::new(report)));
            }
            Err(e) => crate::console::warn(&format!(
                "the check worker got a message it cannot read: {e}"
            )),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker does.
    on_message.forget();
    post(&scope, &WorkerMessage::Ready);
}

/// Runs one check here and now (blocking this thread), against this origin's server.
pub fn run(
    request: &RunRequest,
    progress: impl FnMut(bulbwatch_checks::Progress) + 'static,
) -> CheckReport {
    let transport = XhrTransport::same_origin();
    run_check(
        &request.script,
        &RunOptions::new(request.trace_id.clone()),
        Rc::new(RefCell::new(transport)),
        Rc::new(BrowserClock::new()),
        progress,
    )
}

fn post(scope: &DedicatedWorkerGlobalScope, message: &WorkerMessage) {
    if let Err(e) = scope.post_message(&message.encode().into()) {
        crate::console::warn(&format!(
            "the check worker could not post to the page: {e:?}"
        ));
    }
}
