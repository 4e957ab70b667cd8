//! What was going on, once the facilitator reveals it: each cause's title and text,
//! and a link that opens its revealing query in Explore. Drawn as escaped markup (see
//! `markup.rs`); absent until revealed.

use bulbwatch_api::Reveal;
use leptos::prelude::*;

use crate::markup::{Markup, class};

/// The revealed causes.
#[component]
pub fn RevealPanel(
    /// The reveal, while it is shown.
    #[prop(into)]
    reveal: Signal<Option<Reveal>>,
) -> impl IntoView {
    move || {
        reveal.with(|r| {
            r.as_ref().map(|r| {
                view! {
                    <section
                        class="reveal"
                        data-testid="reveal"
                        aria-label="What was going on"
                        inner_html=markup(r)
                    ></section>
                }
            })
        })
    }
}

/// The panel's content: a heading, then a block per cause.
pub fn markup(reveal: &Reveal) -> String {
    let mut m = Markup::new();
    m.element("h2", &[class("reveal__title")], "What was going on");
    if reveal.causes.is_empty() {
        m.element(
            "p",
            &[class("reveal__text")],
            "Nothing was switched on: every failure came from the room itself.",
        );
    }
    for cause in &reveal.causes {
        m.open(
            "article",
            &[
                class("reveal__cause"),
                ("data-testid", Some("reveal-cause")),
            ],
        )
        .element("h3", &[class("reveal__cause-title")], &cause.title)
        .element("p", &[class("reveal__text")], &cause.text)
        .element(
            "a",
            &[
                class("button reveal__open"),
                ("href", Some(&cause.explore_url)),
                ("data-testid", Some("reveal-explore")),
            ],
            "Open in Explore →",
        )
        .close("article");
    }
    m.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bulbwatch_api::RevealedCause;

    #[test]
    fn every_cause_has_its_text_and_query() {
        let reveal = Reveal {
            revealed_at_ms: 1,
            causes: vec![RevealedCause {
                title: "Busy <queue>".into(),
                text: "Delay 1500 ms".into(),
                explore_url: "/explore?q=%7B%7D&a=1".into(),
            }],
        };
        let html = markup(&reveal);
        assert!(html.contains("Busy &lt;queue&gt;"), "{html}");
        assert!(html.contains("Delay 1500 ms"));
        assert!(
            html.contains(r#"href="/explore?q=%7B%7D&amp;a=1""#),
            "{html}"
        );
        assert_eq!(html.matches("data-testid=\"reveal-cause\"").count(), 1);
    }
}
