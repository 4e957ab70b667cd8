//! The bar at the top of every page, in both apps: the brand (a dot in my bulb's
//! colour, and a small numbered dot per other shard when there are several) and the
//! links to Play, Explore and Instrumentation, who you are, and whether live updates
//! flow. Play and Instrumentation are the page's routes; Explore is its own app, so
//! following a link between them loads the other one.

use leptos::prelude::*;

use crate::bulb_stream::LiveStatus;
use crate::components::LiveStatusBadge;
use crate::display::{colour_label, glow};
use crate::markup::{Markup, class};
use crate::shards::{ShardBulb, shard_name};

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
    /// The room's bulbs, mine first (its colour is the brand's dot).
    #[prop(into)]
    bulbs: Signal<Vec<ShardBulb>>,
    /// My name, once joined.
    #[prop(into)]
    name: Signal<Option<String>>,
    /// Whether live updates flow.
    #[prop(into)]
    live: Signal<LiveStatus>,
) -> impl IntoView {
    let brand_style = move || {
        bulbs.with(|b| {
            b.first()
                .and_then(|b| b.state.as_ref().and_then(glow))
                .map(|hex| format!("--bulb-colour: {hex}"))
                .unwrap_or_default()
        })
    };
    // Markup as text (see `crate::markup`): the dots are redrawn wholesale.
    let others = move || bulbs.with(|b| other_shard_dots(b));
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
                <span class="brand__shards" role="group" aria-label="The other shards' bulbs" inner_html=others></span>
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

/// A small numbered dot per shard after the first (mine): nothing with one shard.
fn other_shard_dots(bulbs: &[ShardBulb]) -> String {
    let mut m = Markup::new();
    for b in bulbs.iter().skip(1) {
        let style = b
            .state
            .as_ref()
            .and_then(glow)
            .map(|hex| format!("--bulb-colour: {hex}"));
        let colour = b
            .state
            .as_ref()
            .map_or_else(|| "not known yet".into(), colour_label);
        let testid = format!("topbar-shard-{}", b.shard);
        let title = format!("{}: {colour}", shard_name(b.shard));
        m.open(
            "span",
            &[
                class("brand__shard"),
                ("data-testid", Some(&testid)),
                ("title", Some(&title)),
            ],
        );
        m.element(
            "span",
            &[
                class("brand__shard-dot"),
                ("style", style.as_deref()),
                ("aria-hidden", Some("true")),
            ],
            "",
        );
        m.text(&b.shard.to_string()).close("span");
    }
    m.finish()
}
