//! The page's routes — `/` (join, then play), `/shared/{share_id}`, `/runs/{run_id}`,
//! `/instrumentation` — and client-side navigation with the History API.
//!
//! A router crate was tried first (leptos_router 0.8): it made the page's wasm about
//! 53 KB (gzipped) larger, a fifth of the page's whole budget, for three flat routes.
//! This is the part of it the page needs: the route as a signal, `pushState` on
//! navigation, `popstate` for Back and Forward, and same-origin link clicks handled
//! without a reload. The server answers `index.html` for any non-API path, so a reload
//! or a shared link lands on the same route.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{Event, HtmlAnchorElement, MouseEvent};

/// Where the page is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: the join page, then the play page.
    Play,
    /// `/shared/{share_id}`: a read-only copy of someone's check.
    Shared(String),
    /// `/runs/{run_id}`: one recorded run.
    Run(String),
    /// `/instrumentation`: the room's instrumentation points.
    Instrumentation,
    /// Anything else.
    NotFound,
}

impl Route {
    /// The route of a path (`location.pathname`; a trailing slash is allowed).
    pub fn parse(path: &str) -> Self {
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        match segments.as_slice() {
            [] => Self::Play,
            ["shared", id] => Self::Shared((*id).to_string()),
            ["runs", id] => Self::Run((*id).to_string()),
            ["instrumentation"] => Self::Instrumentation,
            _ => Self::NotFound,
        }
    }
}

/// The current route, shared by the page.
#[derive(Clone, Copy, Debug)]
pub struct Router(pub RwSignal<Route>);

impl Router {
    /// Goes to `path` without reloading (a new history entry).
    pub fn navigate(self, path: &str) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
        }
        self.0.set(Route::parse(path));
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

/// Listeners on the window, removed when the app goes away.
struct Listeners {
    on_popstate: Closure<dyn FnMut(Event)>,
    on_click: Closure<dyn FnMut(MouseEvent)>,
}

impl Drop for Listeners {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            let _ = window.remove_event_listener_with_callback(
                "popstate",
                self.on_popstate.as_ref().unchecked_ref(),
            );
            let _ = window.remove_event_listener_with_callback(
                "click",
                self.on_click.as_ref().unchecked_ref(),
            );
        }
    }
}

/// Reads the route from the address bar, follows Back/Forward and link clicks, and
/// provides the [`Router`].
pub fn provide_router() -> Router {
    let current = || {
        web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .map_or(Route::Play, |p| Route::parse(&p))
    };
    let router = Router(RwSignal::new(current()));
    provide_context(router);
    let Some(window) = web_sys::window() else {
        return router;
    };
    let on_popstate = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
        router.0.set(current());
    });
    let on_click = Closure::<dyn FnMut(MouseEvent)>::new(move |ev: MouseEvent| {
        if let Some(path) = in_app_link(&ev) {
            ev.prevent_default();
            router.navigate(&path);
        }
    });
    let _ =
        window.add_event_listener_with_callback("popstate", on_popstate.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    StoredValue::new_local(Listeners {
        on_popstate,
        on_click,
    });
    router
}

/// The path to go to, when a click is a plain left click on a link to one of the
/// page's own routes (not one meant for a new tab, a download, or the API).
fn in_app_link(ev: &MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let anchor = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??
        .dyn_into::<HtmlAnchorElement>()
        .ok()?;
    let target = anchor.target();
    if !(target.is_empty() || target == "_self") || anchor.has_attribute("download") {
        return None;
    }
    let here = web_sys::window()?.location().origin().ok()?;
    let path = anchor.pathname();
    (anchor.origin() == here && !path.starts_with("/api/")).then_some(path)
}

/// The page's router.
pub fn use_router() -> Router {
    expect_context()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_routes() {
        assert_eq!(Route::parse("/"), Route::Play);
        assert_eq!(Route::parse(""), Route::Play);
        assert_eq!(
            Route::parse("/shared/abc123"),
            Route::Shared("abc123".into())
        );
        assert_eq!(
            Route::parse("/shared/abc123/"),
            Route::Shared("abc123".into())
        );
        assert_eq!(Route::parse("/runs/r-9"), Route::Run("r-9".into()));
        assert_eq!(Route::parse("/instrumentation"), Route::Instrumentation);
        assert_eq!(Route::parse("/instrumentation/"), Route::Instrumentation);
        assert_eq!(Route::parse("/runs"), Route::NotFound);
        assert_eq!(Route::parse("/shared/a/b"), Route::NotFound);
        assert_eq!(Route::parse("/nope"), Route::NotFound);
    }
}
