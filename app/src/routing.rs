//! The page's routes — `/` (join, then play), `/join/{code}`, `/shared/{share_id}`,
//! `/runs/{run_id}`, `/instrumentation` — and client-side navigation with the History API, generic over
//! the routes so the Explore app (`/explore…`, a wasm of its own) navigates the same way.
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
    /// `/join/{code}`: the join page with the room's code filled in (the code as typed
    /// in the address, upper-cased); once joined, the play page at `/`.
    Join(String),
    /// `/shared/{share_id}`: a read-only copy of someone's check.
    Shared(String),
    /// `/runs/{run_id}`: one recorded run.
    Run(String),
    /// `/instrumentation`: the room's instrumentation points.
    Instrumentation,
    /// Anything else.
    NotFound,
}

/// An app's routes: how a location maps to one, and which paths the app handles
/// itself (a click on any other link loads that page).
pub trait Routes: Clone + PartialEq + Send + Sync + 'static {
    /// The route of a location: `location.pathname` and `location.search` (with its
    /// `?`, or empty).
    fn parse(path: &str, search: &str) -> Self;
    /// Whether a same-origin path is one of this app's own.
    fn owns(path: &str) -> bool;
}

impl Routes for Route {
    fn parse(path: &str, _search: &str) -> Self {
        Self::from_path(path)
    }

    fn owns(path: &str) -> bool {
        let other_app = |root: &str| {
            path == root
                || path
                    .strip_prefix(root)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        !path.starts_with("/api/") && !other_app("/explore") && !other_app("/facilitator")
    }
}

impl Route {
    /// The route of a path (`location.pathname`; a trailing slash is allowed).
    pub fn from_path(path: &str) -> Self {
        let segments: Vec<&str> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        match segments.as_slice() {
            [] => Self::Play,
            ["join", code] => Self::Join(join_code(code)),
            ["shared", id] => Self::Shared((*id).to_string()),
            ["runs", id] => Self::Run((*id).to_string()),
            ["instrumentation"] => Self::Instrumentation,
            _ => Self::NotFound,
        }
    }
}

/// A join code as typed (in the address or the field): its letters, upper-cased, at
/// most `JOIN_CODE_LEN` of them (the server ignores spaces and dashes too).
pub fn join_code(typed: &str) -> String {
    typed
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_uppercase())
        .take(bulbwatch_api::JOIN_CODE_LEN)
        .collect()
}

/// The current route, shared by the page.
#[derive(Debug)]
pub struct Router<R: Routes = Route>(pub RwSignal<R>);

impl<R: Routes> Clone for Router<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Routes> Copy for Router<R> {}

impl<R: Routes> Router<R> {
    /// Goes to `url` (a path, maybe with a `?query`) without reloading: a new history
    /// entry, scrolled to the top.
    pub fn navigate(self, url: &str) {
        self.go(url, false);
        if let Some(window) = web_sys::window() {
            window.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// Replaces the current history entry with `url` (no new Back step), keeping the
    /// scroll position: for state that follows typing.
    pub fn replace(self, url: &str) {
        self.go(url, true);
    }

    fn go(self, url: &str, replace: bool) {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let null = wasm_bindgen::JsValue::NULL;
            let _ = if replace {
                history.replace_state_with_url(&null, "", Some(url))
            } else {
                history.push_state_with_url(&null, "", Some(url))
            };
        }
        let (path, search) = url.find('?').map_or((url, ""), |at| url.split_at(at));
        self.0.set(R::parse(path, search));
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
pub fn provide_router<R: Routes>() -> Router<R> {
    let current = || {
        let location = web_sys::window().map(|w| w.location());
        let path = location.as_ref().and_then(|l| l.pathname().ok());
        let search = location.as_ref().and_then(|l| l.search().ok());
        R::parse(
            path.as_deref().unwrap_or("/"),
            search.as_deref().unwrap_or(""),
        )
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
        if let Some(url) = in_app_link::<R>(&ev) {
            ev.prevent_default();
            router.navigate(&url);
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

/// The path (and query) to go to, when a click is a plain left click on a link to one
/// of the app's own routes (not one meant for a new tab, a download, or another app).
fn in_app_link<R: Routes>(ev: &MouseEvent) -> Option<String> {
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
    (anchor.origin() == here && R::owns(&path)).then(|| format!("{path}{}", anchor.search()))
}

/// The app's router.
pub fn use_router<R: Routes>() -> Router<R> {
    expect_context()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_routes() {
        assert_eq!(Route::from_path("/"), Route::Play);
        assert_eq!(Route::from_path(""), Route::Play);
        assert_eq!(
            Route::from_path("/shared/abc123"),
            Route::Shared("abc123".into())
        );
        assert_eq!(
            Route::from_path("/shared/abc123/"),
            Route::Shared("abc123".into())
        );
        assert_eq!(Route::from_path("/runs/r-9"), Route::Run("r-9".into()));
        assert_eq!(Route::from_path("/instrumentation"), Route::Instrumentation);
        assert_eq!(
            Route::from_path("/instrumentation/"),
            Route::Instrumentation
        );
        assert_eq!(
            Route::from_path("/join/kmtxpa"),
            Route::Join("KMTXPA".into())
        );
        assert_eq!(
            Route::from_path("/join/KMT-XPA/"),
            Route::Join("KMTXPA".into())
        );
        assert_eq!(Route::from_path("/join"), Route::NotFound);
        assert_eq!(Route::from_path("/runs"), Route::NotFound);
        assert_eq!(Route::from_path("/shared/a/b"), Route::NotFound);
        assert_eq!(Route::from_path("/nope"), Route::NotFound);
    }

    #[test]
    fn explore_and_the_api_are_not_the_pages_own() {
        assert!(Route::owns("/runs/r-9"));
        assert!(Route::owns("/"));
        assert!(!Route::owns("/explore"));
        assert!(!Route::owns("/explore/traces/abc"));
        assert!(!Route::owns("/api/bulb"));
        assert!(Route::owns("/explorer"));
        assert!(Route::owns("/join/ABCDEF"));
        assert!(!Route::owns("/facilitator"));
        assert!(!Route::owns("/facilitator/login"));
        assert!(Route::owns("/facilitators"));
    }
}
