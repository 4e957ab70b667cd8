//! The bar at the top of every page, in both apps: the brand (a dot in the bulb's
//! colour) and the links to Play, Explore and Instrumentation, who you are, and whether
//! live updates flow. Play and Instrumentation are the page's routes; Explore is its own
//! app, so following a link between them loads the other one.

use leptos::prelude::*;

use crate::bulb_stream::LiveStatus;
use crate::components::LiveStatusBadge;

/// Which part of Bulbwatch a page belongs to (its link is marked current).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `/` and the pages reached from it (a run, a shared check).
    Play,
    /// `/explore…`.
    Explore,
    /// `/instrumentation`.
    Instrumentation,
    /// None of them (a page that is not there).
    Elsewhere,
}

/// The top bar.
#[component]
pub fn Topbar(
    /// The part of Bulbwatch shown.
    #[prop(into)]
    section: Signal<Section>,
    /// The bulb's colour (`#rrggbb`), once known.
    #[prop(into)]
    bulb_hex: Signal<Option<String>>,
    /// My name, once joined.
    #[prop(into)]
    name: Signal<Option<String>>,
    /// Whether live updates flow.
    #[prop(into)]
    live: Signal<LiveStatus>,
) -> impl IntoView {
    let brand_style = move || {
        bulb_hex
            .get()
            .map(|hex| format!("--bulb-colour: {hex}"))
            .unwrap_or_default()
    };
    let link = move |href: &'static str, label: &'static str, testid: &'static str, of: Section| {
        view! {
            <a
                href=href
                class="topbar__link"
                data-testid=testid
                aria-current=move || (section.get() == of).then_some("page")
            >
                {label}
            </a>
        }
    };
    view! {
        <header class="topbar">
            <a href="/" class="brand">
                <span class="brand__dot" style=brand_style aria-hidden="true"></span>
                <span class="brand__name">"Bulbwatch"</span>
            </a>
            <nav class="topbar__right" aria-label="Bulbwatch">
                {link("/", "Play", "nav-play", Section::Play)}
                {link("/explore", "Explore", "nav-explore", Section::Explore)}
                {link("/instrumentation", "Instrumentation", "nav-instrumentation", Section::Instrumentation)}
                {move || {
                    name.get()
                        .map(|name| {
                            view! {
                                <span class="whoami">
                                    "You are " <strong data-testid="me">{name}</strong>
                                </span>
                            }
                        })
                }}
                <LiveStatusBadge status=live />
            </nav>
        </header>
    }
}
