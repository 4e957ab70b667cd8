//! DOM helpers shared by the component tests that run in headless Chromium.

#![allow(dead_code)]

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// A fresh element in the body to mount into.
pub fn container() -> HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let div: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&div).unwrap();
    div
}

/// The first element under `root` matching `selector`; panics if there is none.
pub fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("nothing matches {selector}"))
}

/// Every element under `root` matching `selector`.
pub fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

/// Clicks an element.
pub fn click(element: &Element) {
    element.unchecked_ref::<HtmlElement>().click();
}

/// An element's text.
pub fn text(element: &Element) -> String {
    element.text_content().unwrap_or_default()
}

/// Lets the reactive system run its effects (they are scheduled, not immediate).
pub async fn settle() {
    pause_ms(0).await;
}

/// Gives the browser `ms` milliseconds to do what it queued.
pub async fn pause_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}
