//! Every shard's bulb: mine large (the page's bulb as it always was), the others as
//! small swatches beside it, each named with its shard and colour. With one shard it
//! is just the bulb. (Before I join, or before the server said which is mine, shard
//! 0 is the large one, not called mine.)

use leptos::prelude::*;

use crate::components::Bulb;
use crate::components::bulb::UNLIT;
use crate::display::{colour_label, glow};
use crate::markup::{Markup, class};
use crate::shards::{ShardBulb, shard_name};

/// From this many other shards on, their swatches take two columns.
pub const WIDE_FROM: usize = 4;

/// The bulbs, mine first (see `KnownBulbs::shown`).
#[component]
pub fn ShardBulbs(
    /// The room's bulbs, mine first.
    #[prop(into)]
    bulbs: Signal<Vec<ShardBulb>>,
) -> impl IntoView {
    let count = Memo::new(move |_| bulbs.with(Vec::len));
    let many = move || count.get() > 1;
    let first = Memo::new(move |_| bulbs.with(|b| b.first().map_or(0, |b| b.shard)));
    let mine = Memo::new(move |_| bulbs.with(|b| b.first().is_some_and(|b| b.mine)));
    let mine_hex =
        Memo::new(move |_| bulbs.with(|b| b.first().and_then(|b| b.state.as_ref().and_then(glow))));
    let others =
        Memo::new(move |_| bulbs.with(|b| b.iter().skip(1).map(|b| b.shard).collect::<Vec<_>>()));
    let wide = move || others.with(Vec::len) >= WIDE_FROM;
    view! {
        <div class="shards" class:shards--many=many data-shards=move || count.get().to_string()>
            <div
                class="shards__mine"
                data-testid=move || format!("bulb-shard-{}", first.get())
                data-shard=move || first.get().to_string()
                data-mine=move || mine.get().to_string()
                data-hex=move || mine_hex.get()
            >
                <Bulb hex=mine_hex />
                <Show when=many>
                    <p class="shards__label" data-testid="bulb-mine-label">
                        {move || {
                            let name = shard_name(first.get());
                            if mine.get() { format!("{name} · yours") } else { name }
                        }}
                    </p>
                </Show>
            </div>
            <Show when=many>
                // Markup as text (see `crate::markup`): redrawn wholesale, which costs
                // the page far less than a component per swatch.
                <ul
                    class="shards__others"
                    class:shards__others--wide=wide
                    aria-label="The other shards' bulbs"
                    inner_html=move || bulbs.with(|b| other_swatches(b))
                >

                </ul>
            </Show>
        </div>
    }
}

/// The swatches of every shard but the first (mine): colour, number, colour's name.
fn other_swatches(bulbs: &[ShardBulb]) -> String {
    let mut m = Markup::new();
    for b in bulbs.iter().skip(1) {
        let hex = b.state.as_ref().and_then(glow);
        let colour = b
            .state
            .as_ref()
            .map_or_else(|| "not known yet".to_string(), colour_label);
        let name = shard_name(b.shard);
        let (testid, shard) = (format!("bulb-shard-{}", b.shard), b.shard.to_string());
        let title = format!("{name}: {colour}");
        let style = format!("--bulb-colour: {}", hex.as_deref().unwrap_or(UNLIT));
        let classes = if hex.is_some() {
            "shard-swatch lit"
        } else {
            "shard-swatch"
        };
        m.open(
            "li",
            &[
                class(classes),
                ("data-testid", Some(&testid)),
                ("data-shard", Some(&shard)),
                ("data-mine", Some("false")),
                ("data-hex", hex.as_deref()),
                ("title", Some(&title)),
            ],
        );
        m.element(
            "span",
            &[
                class("shard-swatch__dot"),
                ("style", Some(&style)),
                ("aria-hidden", Some("true")),
            ],
            "",
        );
        m.element("span", &[class("shard-swatch__name")], &name);
        m.element(
            "span",
            &[
                class("shard-swatch__colour"),
                ("data-testid", Some("shard-colour")),
            ],
            &colour,
        );
        m.close("li");
    }
    m.finish()
}
