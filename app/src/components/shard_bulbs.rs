//! Every shard's bulb: mine large (the page's bulb as it always was), the others as
//! small swatches beside it, each named with its shard and colour. With one shard it
//! is just the bulb. (Before I join, or before the server said which is mine, shard
//! 0 is the large one, not called mine.)

use leptos::prelude::*;

use crate::components::Bulb;
use crate::components::bulb::UNLIT;
use crate::display::colour_label;
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
    let mine_hex = Memo::new(move |_| {
        bulbs.with(|b| {
            b.first()
                .and_then(|b| b.state.as_ref().map(|s| s.hex.clone()))
        })
    });
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
                <ul
                    class="shards__others"
                    class:shards__others--wide=wide
                    aria-label="The other shards' bulbs"
                >
                    // Redrawn only when the shards change (each swatch follows its own
                    // bulb); a keyed <For> would cost the page ~10 KB for that.
                    {move || {
                        others
                            .get()
                            .into_iter()
                            .map(|shard| view! { <OtherShard bulbs=bulbs shard=shard /> })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </div>
    }
}

/// One other shard's swatch: its colour, its number and the colour's name.
#[component]
fn OtherShard(bulbs: Signal<Vec<ShardBulb>>, shard: u32) -> impl IntoView {
    let state = Memo::new(move |_| {
        bulbs.with(|b| {
            b.iter()
                .find(|b| b.shard == shard)
                .and_then(|b| b.state.clone())
        })
    });
    let hex = move || state.with(|s| s.as_ref().map(|s| s.hex.clone()));
    let colour = move || {
        state.with(|s| {
            s.as_ref()
                .map_or_else(|| "not known yet".to_string(), colour_label)
        })
    };
    let name = shard_name(shard);
    let title = {
        let name = name.clone();
        move || format!("{name}: {}", colour())
    };
    view! {
        <li
            class="shard-swatch"
            class:lit=move || state.with(Option::is_some)
            data-testid=format!("bulb-shard-{shard}")
            data-shard=shard.to_string()
            data-mine="false"
            data-hex=hex
            title=title
        >
            <span
                class="shard-swatch__dot"
                style=move || format!("--bulb-colour: {}", hex().unwrap_or_else(|| UNLIT.to_string()))
                aria-hidden="true"
            ></span>
            <span class="shard-swatch__name">{name}</span>
            <span class="shard-swatch__colour" data-testid="shard-colour">{colour}</span>
        </li>
    }
}
