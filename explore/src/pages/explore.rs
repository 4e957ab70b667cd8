//! `/explore?q=…`: the query builder and the charts of its answer. The address is the
//! single source of truth: the page reads the query from it, runs it, and "Run query"
//! (or a scope button, or a value clicked in a comparison) pushes a new address, which
//! rebuilds the page — so Back and Forward re-run earlier queries.

pub mod examples;
pub mod heatmap_panel;
pub mod results;
pub mod selection;
pub mod series_panel;
pub mod totals_table;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bulbwatch_api::{ColumnInfo, Filter, FilterCombination, QuerySpec};
use bulbwatch_app::contexts::{MeState, use_current_attendee};
use bulbwatch_app::routing::use_router;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::builder::scope::ScopeButtons;
use crate::builder::{Draft, QueryBuilder};
use crate::evidence::UseAsEvidence;
use crate::query_url::{self, is_mine, with_scope};
use crate::routing::ExploreRoute;
use examples::Examples;
use results::{Outcome, Results};
use selection::with_filter;

/// How often a live query re-runs.
pub const LIVE_EVERY: Duration = Duration::from_secs(5);

/// The address bar's path and query string.
fn location() -> String {
    let Some(l) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    format!(
        "{}{}",
        l.pathname().unwrap_or_default(),
        l.search().unwrap_or_default()
    )
}

/// Replaces the address without a history step and without a new route (the page
/// stays as it is): for the auto-refresh switch.
fn replace_address(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

/// The query builder, the charts of its answer, and the comparison of a selection.
#[component]
pub fn ExplorePage(
    /// The address's query string (`?q=…`), which holds the whole query.
    search: String,
) -> impl IntoView {
    let me = use_current_attendee()
        .0
        .with_untracked(|state| match state {
            MeState::Joined(a) => a.id.clone(),
            _ => String::new(),
        });
    let router = use_router::<ExploreRoute>();
    let address = query_url::parse(&search, &me);
    let spec = StoredValue::new(address.spec.clone());
    let mine = is_mine(&address.spec.filters, address.spec.filter_combination, &me);
    let draft = RwSignal::new(Draft::from_spec(&address.spec));
    let live = RwSignal::new(address.live);
    let outcome = RwSignal::new(Outcome::Loading);
    let asked = StoredValue::new(0u64);

    // The query, now; a quiet run (a refresh) keeps the old answer until the new one.
    let run = move |quiet: bool| {
        asked.update_value(|n| *n += 1);
        let mine_id = asked.get_value();
        if !quiet {
            outcome.set(Outcome::Loading);
        }
        let spec = spec.get_value();
        spawn_local(async move {
            let answer = api::query(&spec).await;
            if asked.try_get_value() != Some(mine_id) {
                return;
            }
            outcome.try_set(match answer {
                Ok(a) => Outcome::Ready(a),
                Err(failure) => Outcome::Failed(failure.message),
            });
        });
    };
    run(false);

    // Live: every few seconds while the switch is on, stopped when the page goes.
    // (Kept outside the reactive arena, which may be gone when the cleanup runs.)
    let timer = Arc::new(Mutex::new(None::<IntervalHandle>));
    let stop = {
        let timer = Arc::clone(&timer);
        move || {
            if let Some(handle) = timer.lock().ok().and_then(|mut t| t.take()) {
                handle.clear();
            }
        }
    };
    Effect::new({
        let stop = stop.clone();
        move |_| {
            stop();
            if live.get() {
                let handle = set_interval_with_handle(move || run(true), LIVE_EVERY).ok();
                if let Ok(mut t) = timer.lock() {
                    *t = handle;
                }
            }
        }
    });
    on_cleanup(stop);

    // Goes to a query: a new address (the page rebuilds), or the same one run again.
    let go = move |next: QuerySpec| {
        let url = query_url::url(&next, live.get_untracked());
        if url == location() {
            run(false);
        } else {
            router.navigate(&url);
        }
    };
    let columns = dataset_columns(draft);
    let me_for_scope = me.clone();
    let on_scope = Callback::new(move |mine: bool| {
        let mut next = spec.get_value();
        next.filters = with_scope(&next.filters, &me_for_scope, mine);
        if mine && next.filter_combination == Some(FilterCombination::Or) {
            next.filter_combination = None;
        }
        go(next);
    });
    let on_filter = Callback::new(move |f: Filter| go(with_filter(&spec.get_value(), f)));
    let on_open_trace =
        Callback::new(move |id: String| router.navigate(&format!("/explore/traces/{id}")));
    let toggle_live = move |ev| {
        let on = event_target_checked(&ev);
        live.set(on);
        replace_address(&spec.with_value(|s| query_url::url(s, on)));
    };

    view! {
        <section class="page explore" data-testid="explore">
            <header class="explore__head">
                <h1 class="page__title">"Explore"</h1>
                <ScopeButtons mine=mine on_scope=on_scope />
                <label class="explore__live">
                    <input
                        type="checkbox"
                        data-testid="auto-refresh"
                        prop:checked=move || live.get()
                        on:change=toggle_live
                    />
                    " Auto-refresh every 5 s"
                </label>
            </header>
            <Examples me=me mine=mine />
            {address
                .problem
                .map(|p| view! { <p class="explore__problem" role="alert" data-testid="address-problem">{p}</p> })}
            <div class="explore__body">
                <aside class="explore__builder">
                    <QueryBuilder draft=draft columns=columns.0 on_run=Callback::new(go) />
                    {move || columns.1.get().map(|p| view! { <p class="hint">{p}</p> })}
                </aside>
                <div class="explore__results">
                    <UseAsEvidence address=spec.with_value(|s| query_url::url(s, false)) />
                    <Results
                        outcome=outcome
                        spec=spec.get_value()
                        on_filter=on_filter
                        on_open_trace=on_open_trace
                    />
                </div>
            </div>
        </section>
    }
}

/// The columns of the draft's dataset, fetched whenever it changes, and why they are
/// missing when they could not be fetched.
fn dataset_columns(draft: RwSignal<Draft>) -> (Signal<Vec<ColumnInfo>>, RwSignal<Option<String>>) {
    let columns = RwSignal::new(Vec::<ColumnInfo>::new());
    let problem = RwSignal::new(None::<String>);
    let dataset = Memo::new(move |_| draft.with(|d| d.dataset.clone()));
    Effect::new(move |_| {
        let name = dataset.get();
        spawn_local(async move {
            match api::columns(&name).await {
                Ok(list) => {
                    if dataset.try_get_untracked().as_deref() == Some(name.as_str()) {
                        columns.try_set(list);
                        problem.try_set(None);
                    }
                }
                Err(failure) => {
                    problem.try_set(Some(format!(
                        "The columns of {name} could not be loaded: {}",
                        failure.message
                    )));
                }
            }
        });
    });
    (columns.into(), problem)
}
