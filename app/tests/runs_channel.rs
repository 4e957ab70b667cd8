//! The "run recorded" channel in headless Chromium: what one page announces, a
//! listener hears with the check's id, and a dropped listener hears nothing more.
//! Run with `cargo test -p bulbwatch-app --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use bulbwatch_app::runs_channel::{RunListener, announce_run};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

mod dom;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets the browser deliver messages until `heard` holds `n` of them (at most 2 s).
async fn until_heard(heard: &Rc<RefCell<Vec<String>>>, n: usize) {
    for _ in 0..200 {
        if heard.borrow().len() >= n {
            return;
        }
        dom::pause_ms(10).await;
    }
}

#[wasm_bindgen_test]
async fn a_recorded_run_reaches_the_listeners_until_they_go() {
    let heard = Rc::new(RefCell::new(Vec::<String>::new()));
    let listener = RunListener::new({
        let heard = Rc::clone(&heard);
        move |check_id| heard.borrow_mut().push(check_id)
    })
    .expect("Chromium has BroadcastChannel");

    announce_run(Some("check-1"));
    announce_run(None);
    until_heard(&heard, 2).await;
    assert_eq!(*heard.borrow(), vec!["check-1".to_string(), String::new()]);

    drop(listener);
    announce_run(Some("check-2"));
    // A fresh listener hears the next one; the dropped one must not have.
    let later = Rc::new(RefCell::new(Vec::<String>::new()));
    let _second = RunListener::new({
        let later = Rc::clone(&later);
        move |check_id| later.borrow_mut().push(check_id)
    })
    .expect("a second listener");
    announce_run(Some("check-3"));
    until_heard(&later, 1).await;
    assert_eq!(*later.borrow(), vec!["check-3".to_string()]);
    assert_eq!(heard.borrow().len(), 2, "{:?}", heard.borrow());
}
