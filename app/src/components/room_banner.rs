//! The room under the top bar: the phase's name and the one line of what to do now
//! (from `bulbwatch_api::prompt`, sharpened by what the attendee has done), and — once
//! the facilitator reveals it — what was going on: each cause's title and text, and a
//! link that opens its revealing query in Explore. Drawn as escaped markup (see
//! `markup.rs`: one string costs the page's wasm far less than a `view!` tree); empty
//! until the room is known.

use bulbwatch_api::{AttendeeProgress, Phase, Reveal, prompt};
use leptos::prelude::*;

use crate::contexts::room_context::RoomView;
use crate::markup::{Markup, class};

/// The phase banner and, while shown, the reveal.
#[component]
pub fn RoomBanner(
    /// The room, once known.
    state: RwSignal<Option<RoomView>>,
    /// What the attendee has done so far.
    progress: RwSignal<AttendeeProgress>,
) -> impl IntoView {
    view! {
        <div
            class="room-banner"
            inner_html=move || {
                state
                    .with(|s| {
                        s.as_ref()
                            .map(|s| {
                                let mut html = phase_markup(s.phase, progress.get());
                                if let Some(reveal) = &s.reveal {
                                    html.push_str(&reveal_markup(reveal));
                                }
                                html
                            })
                    })
                    .unwrap_or_default()
            }
        ></div>
    }
}

/// The phase banner: its name and its prompt.
pub fn phase_markup(phase: Phase, progress: AttendeeProgress) -> String {
    let mut m = Markup::new();
    m.open(
        "div",
        &[
            class("phase-banner"),
            ("data-testid", Some("phase-banner")),
            ("data-phase", Some(phase.key())),
            ("role", Some("status")),
        ],
    )
    .element(
        "span",
        &[
            class("phase-banner__title"),
            ("data-testid", Some("phase-title")),
        ],
        phase.title(),
    )
    .element(
        "span",
        &[
            class("phase-banner__prompt"),
            ("data-testid", Some("phase-prompt")),
        ],
        prompt(phase, progress),
    )
    .close("div");
    m.finish()
}

/// The reveal: a heading, then a block per cause.
pub fn reveal_markup(reveal: &Reveal) -> String {
    let mut m = Markup::new();
    m.open(
        "section",
        &[
            class("reveal"),
            ("data-testid", Some("reveal")),
            ("aria-label", Some("What was going on")),
        ],
    );
    m.element("h2", &[class("reveal__title")], "What was going on");
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
    m.close("section");
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
        let html = reveal_markup(&reveal);
        assert!(html.contains("Busy &lt;queue&gt;"), "{html}");
        assert!(html.contains("Delay 1500 ms"));
        assert!(
            html.contains(r#"href="/explore?q=%7B%7D&amp;a=1""#),
            "{html}"
        );
        assert_eq!(html.matches("data-testid=\"reveal-cause\"").count(), 1);
    }

    #[test]
    fn the_banner_names_the_phase_and_its_prompt() {
        let html = phase_markup(Phase::WriteCheck, AttendeeProgress::default());
        assert!(html.contains(r#"data-phase="write_check""#), "{html}");
        assert!(html.contains(">Write a check</span>"), "{html}");
        assert!(html.contains("Run the classic check"), "{html}");
    }
}
