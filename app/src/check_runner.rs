//! The page's side of the check worker: starts it when the attendee first reaches for
//! a check (not with the page: the worker's wasm is bigger than the page's, and a room
//! joining at once shares one Wi-Fi), then keeps one warm, sends it a run, passes on
//! its progress and report, and ends a run itself when it must — Stop, or the
//! watchdog at the time limit plus a grace (a blocking request or sleep cannot be
//! interrupted from inside the worker). Ending a run means terminating the worker and
//! starting a fresh one.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use bulbwatch_api::{CheckReport, Progress};
use leptos::prelude::{TimeoutHandle, set_timeout, set_timeout_with_handle};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, MessageEvent, Worker};

use crate::checks::protocol::{
    RUN_LIMIT_MS, RunRequest, WATCHDOG_GRACE_MS, WORKER_URL, WorkerMessage,
};
use crate::checks::run_view::EndReason;
use crate::console;
use crate::worker::js_error_message;

/// What a run reports to the page.
#[derive(Clone, Debug)]
pub enum RunEvent {
    /// The check did something (a step, a request, a log line).
    Progress(Progress),
    /// The check finished by itself: its report.
    Finished(Box<CheckReport>),
    /// The page ended the run (or the worker broke): no report from the worker.
    Ended(EndReason),
    /// A worker is loading (the first, or a fresh one after a run was ended): a run
    /// waits for it.
    EngineLoading,
    /// The worker has loaded: a run starts at once.
    EngineReady,
}

/// The page's check runner; dropping it terminates the worker.
pub struct CheckRunner {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    on_event: Rc<dyn Fn(RunEvent)>,
    connection: Option<Connection>,
    /// Counts workers, so a message from a terminated one is ignored.
    worker_serial: u64,
    ready: bool,
    /// A run waiting for the worker to say it is ready.
    pending: Option<String>,
    running: bool,
    /// Counts runs, so an old watchdog does not end a newer run.
    run_serial: u64,
    watchdog: Option<TimeoutHandle>,
}

/// One worker and the handlers it calls, which must live as long as it does.
struct Connection {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl CheckRunner {
    /// A runner with no worker yet: [`CheckRunner::warm_up`] or the first run starts
    /// one.
    pub fn new(on_event: impl Fn(RunEvent) + 'static) -> Self {
        let inner = Rc::new(RefCell::new(Inner {
            on_event: Rc::new(on_event),
            connection: None,
            worker_serial: 0,
            ready: false,
            pending: None,
            running: false,
            run_serial: 0,
            watchdog: None,
        }));
        Self { inner }
    }

    /// Starts the worker loading unless one is there, so a run soon after does not
    /// wait for it (call it when the attendee turns to the check).
    pub fn warm_up(&self) {
        if self.inner.borrow().connection.is_none() {
            spawn(&self.inner);
        }
    }

    /// Whether a run is going.
    pub fn is_running(&self) -> bool {
        self.inner.borrow().running
    }

    /// Starts a run; `false` (and nothing happens) while another is going.
    pub fn run(&self, request: &RunRequest) -> bool {
        let text = match serde_json::to_string(request) {
            Ok(text) => text,
            Err(e) => {
                console::warn(&format!("could not encode a run: {e}"));
                return false;
            }
        };
        {
            let mut inner = self.inner.borrow_mut();
            if inner.running {
                return false;
            }
            inner.running = true;
            inner.run_serial += 1;
            inner.pending = Some(text);
        }
        if self.inner.borrow().connection.is_none() {
            spawn(&self.inner);
        }
        send_pending(&self.inner);
        arm_watchdog(&self.inner);
        true
    }

    /// Ends the running check at once: the worker is terminated and a fresh one
    /// started. Nothing happens when no run is going.
    pub fn stop(&self) {
        end_run(&self.inner, EndReason::Stopped);
    }
}

impl Drop for CheckRunner {
    fn drop(&mut self) {
        let mut inner = self.inner.borrow_mut();
        if let Some(handle) = inner.watchdog.take() {
            handle.clear();
        }
        if let Some(connection) = inner.connection.take() {
            retire(connection);
        }
    }
}

fn spawn(inner: &Rc<RefCell<Inner>>) {
    let serial = {
        let mut i = inner.borrow_mut();
        i.worker_serial += 1;
        i.ready = false;
        i.worker_serial
    };
    let worker = match Worker::new(WORKER_URL) {
        Ok(worker) => worker,
        Err(e) => {
            let why = format!(
                "the check worker could not start ({})",
                js_error_message(&e)
            );
            console::warn(&why);
            if inner.borrow().running {
                end_run(inner, EndReason::WorkerFailed(why));
            }
            return;
        }
    };
    let weak = Rc::downgrade(inner);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        on_message(&weak, serial, &text);
    });
    let weak = Rc::downgrade(inner);
    // An `ErrorEvent` when the worker threw; a plain `Event` when its script did not load.
    let on_error = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        event.prevent_default();
        let message = js_sys::Reflect::get(&event, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_default();
        on_error(&weak, serial, message);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    inner.borrow_mut().connection = Some(Connection {
        worker,
        _on_message: on_message,
        _on_error: on_error,
    });
    emit(inner, RunEvent::EngineLoading);
}

fn on_message(weak: &Weak<RefCell<Inner>>, serial: u64, text: &str) {
    let Some(inner) = weak.upgrade() else { return };
    if inner.borrow().worker_serial != serial {
        return;
    }
    match WorkerMessage::decode(text) {
        Ok(WorkerMessage::Ready) => {
            inner.borrow_mut().ready = true;
            emit(&inner, RunEvent::EngineReady);
            send_pending(&inner);
        }
        Ok(WorkerMessage::Progress(progress)) => {
            if inner.borrow().running {
                emit(&inner, RunEvent::Progress(progress));
            }
        }
        Ok(WorkerMessage::Done(report)) => {
            let was_running = {
                let mut i = inner.borrow_mut();
                let was = i.running;
                i.running = false;
                if let Some(handle) = i.watchdog.take() {
                    handle.clear();
                }
                was
            };
            if was_running {
                emit(&inner, RunEvent::Finished(report));
            }
        }
        Err(why) => console::warn(&why),
    }
}

fn on_error(weak: &Weak<RefCell<Inner>>, serial: u64, message: String) {
    let Some(inner) = weak.upgrade() else { return };
    if inner.borrow().worker_serial != serial {
        return;
    }
    let why = if message.is_empty() {
        "the check worker stopped with an error (see the browser console)".to_string()
    } else {
        format!("the check worker stopped: {message}")
    };
    console::warn(&why);
    if inner.borrow().running {
        end_run(&inner, EndReason::WorkerFailed(why));
    } else {
        // A broken worker is replaced when the next run needs one.
        let connection = inner.borrow_mut().connection.take();
        if let Some(connection) = connection {
            retire(connection);
        }
    }
}

/// Posts the waiting run once the worker is ready.
fn send_pending(inner: &Rc<RefCell<Inner>>) {
    let mut i = inner.borrow_mut();
    if !i.ready {
        return;
    }
    let Some(text) = i.pending.take() else { return };
    let posted = i
        .connection
        .as_ref()
        .map(|c| c.worker.post_message(&text.into()));
    drop(i);
    if let Some(Err(e)) = posted {
        let why = format!(
            "could not send the check to the worker ({})",
            js_error_message(&e)
        );
        end_run(inner, EndReason::WorkerFailed(why));
    }
}

fn arm_watchdog(inner: &Rc<RefCell<Inner>>) {
    let run = inner.borrow().run_serial;
    let weak = Rc::downgrade(inner);
    let fire = move || {
        let Some(inner) = weak.upgrade() else { return };
        let (same_run, ready) = {
            let i = inner.borrow();
            (i.running && i.run_serial == run, i.ready)
        };
        if same_run {
            let reason = if ready {
                EndReason::TimedOut
            } else {
                EndReason::WorkerFailed(
                    "the check worker did not start; reload the page".to_string(),
                )
            };
            end_run(&inner, reason);
        }
    };
    match set_timeout_with_handle(
        fire,
        Duration::from_millis(RUN_LIMIT_MS + WATCHDOG_GRACE_MS),
    ) {
        Ok(handle) => inner.borrow_mut().watchdog = Some(handle),
        Err(e) => console::warn_with("could not arm the run's watchdog", &e),
    }
}

/// Ends the running check from the page: terminate, replace the worker, report why.
fn end_run(inner: &Rc<RefCell<Inner>>, reason: EndReason) {
    let connection = {
        let mut i = inner.borrow_mut();
        if !i.running {
            return;
        }
        i.running = false;
        i.pending = None;
        if let Some(handle) = i.watchdog.take() {
            handle.clear();
        }
        i.connection.take()
    };
    if let Some(connection) = connection {
        retire(connection);
    }
    spawn(inner);
    emit(inner, RunEvent::Ended(reason));
}

/// Terminates a worker now; its handlers are dropped later, never while one of them
/// may be running (this can be called from inside them).
fn retire(connection: Connection) {
    connection.worker.terminate();
    set_timeout(move || drop(connection), Duration::ZERO);
}

/// Calls the page back without holding the borrow, so the page may call the runner.
fn emit(inner: &Rc<RefCell<Inner>>, event: RunEvent) {
    let on_event = Rc::clone(&inner.borrow().on_event);
    on_event(event);
}
