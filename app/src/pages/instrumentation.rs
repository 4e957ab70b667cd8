//! `/instrumentation`: the room's instrumentation points, each switchable on and off,
//! with the code that records it.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::PointList;
use crate::components::point_list::refocus;
use crate::contexts::{MeState, use_current_attendee, use_last_error};

/// What the points are for, then the points by span.
#[component]
pub fn InstrumentationPage() -> impl IntoView {
    // Plain signals filled by a task (not a resource): less code in the wasm.
    let points = RwSignal::new(Vec::new());
    // "Loading…", or why the points cannot be shown; `None` once they are.
    let status = RwSignal::new(Some("Loading the points…".to_string()));
    spawn_local(async move {
        match api::instrumentation::points().await {
            Ok(loaded) => {
                points.try_set(loaded);
                status.try_set(None);
            }
            Err(failure) => {
                status.try_set(Some(failure.message));
            }
        }
    });
    let errors = use_last_error();
    let me = use_current_attendee();

    let on_toggle = Callback::new(move |(id, on): (String, bool)| {
        spawn_local(async move {
            match api::instrumentation::set_point(&id, on).await {
                Ok(point) => {
                    errors.clear();
                    points.try_update(|points| {
                        if let Some(slot) = points.iter_mut().find(|p| p.id == point.id) {
                            *slot = point;
                        }
                    });
                    // After the redraw (effects run before a timer).
                    set_timeout(move || refocus(&id), Duration::ZERO);
                }
                Err(failure) => {
                    if failure.is_unauthorized() {
                        me.0.set(MeState::NotJoined);
                    }
                    errors.show(failure.message);
                }
            }
        });
    });

    view! {
        <section class="page instrumentation">
            <header class="page__head">
                <div>
                    <h1 class="page__title">"Instrumentation points"</h1>
                    <p class="instrumentation__lead">
                        "With every point off, the server's events carry only what an error tracker or basic APM shows: route, method, status, duration and error. Each point switched on adds its attributes to new spans, for everyone in the room. The facilitator switches them (or lets you, from the console); when one comes on, run your checks again and explore what you can now ask."
                    </p>
                </div>
                <a class="button" href="/">"← Your check"</a>
            </header>
            {move || status.get().map(|status| view! { <p class="muted">{status}</p> })}
            <PointList points=points on_toggle=on_toggle />
        </section>
    }
}
