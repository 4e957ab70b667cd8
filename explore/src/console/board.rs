//! The room board: one tile per attendee — name, last verdict, pass rate of recent
//! runs, whether a schedule runs, whether a diagnosis is in (and marked right),
//! whether it is a simulated attendee of the rehearsal room — with, outside the
//! presenter view, the diagnosis's text, which active scenarios its evidence points
//! at, "mark right" and "remove". Drawn
//! as escaped markup (see `bulbwatch_app::markup`) since it is redrawn every second;
//! one click listener serves every button.

use bulbwatch_api::{Board, BoardTile};
use bulbwatch_app::checks::schedule::verdict_name;
use bulbwatch_app::markup::{Markup, class};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The tiles; buttons call `on_mark` with `(attendee id, right)` and `on_remove` with
/// the attendee's id.
#[component]
pub fn BoardTiles(
    /// The board, once read.
    #[prop(into)]
    board: Signal<Option<Board>>,
    /// Show the controls and the diagnoses' text (not in the presenter view).
    #[prop(into)]
    controls: Signal<bool>,
    /// "mark right" (or "unmark") was pressed.
    on_mark: Callback<(String, bool)>,
    /// "remove" was pressed.
    on_remove: Callback<String>,
) -> impl IntoView {
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(button) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("button[data-action]").ok().flatten())
        else {
            return;
        };
        let Some(id) = button.get_attribute("data-attendee-id") else {
            return;
        };
        match button.get_attribute("data-action").as_deref() {
            Some("mark") => on_mark.run((id, true)),
            Some("unmark") => on_mark.run((id, false)),
            Some("remove") => on_remove.run(id),
            _ => {}
        }
    };
    view! {
        <div
            class="board"
            data-testid="board"
            on:click=on_click
            inner_html=move || {
                board.with(|b| match b {
                    None => String::new(),
                    Some(b) => markup(b, controls.get()),
                })
            }
        ></div>
    }
}

/// "8/10", or "–" without runs.
pub fn pass_rate(tile: &BoardTile) -> String {
    if tile.recent_runs == 0 {
        "–".into()
    } else {
        format!("{}/{}", tile.recent_passed, tile.recent_runs)
    }
}

/// The board's markup: a tile per attendee, or a note while nobody has joined.
pub fn markup(board: &Board, controls: bool) -> String {
    let mut m = Markup::new();
    if board.tiles.is_empty() {
        m.element(
            "p",
            &[class("board__empty"), ("data-testid", Some("board-empty"))],
            "Nobody has joined yet: the join code and the QR code are above.",
        );
    }
    for tile in &board.tiles {
        self::tile(&mut m, tile, controls);
    }
    m.finish()
}

fn tile(m: &mut Markup, tile: &BoardTile, controls: bool) {
    let id = Some(tile.attendee.id.as_str());
    let verdict = tile.last_verdict.map_or("none", verdict_name);
    m.open(
        "article",
        &[
            class(&format!("tile tile--{verdict}")),
            ("data-testid", Some("board-tile")),
            ("data-attendee-id", id),
        ],
    )
    .open("div", &[class("tile__head")])
    .element("h3", &[class("tile__name")], &tile.attendee.name)
    .element(
        "span",
        &[
            class(&format!("tile__verdict verdict verdict--{verdict}")),
            ("data-testid", Some("tile-verdict")),
            ("data-verdict", Some(verdict)),
        ],
        if tile.last_verdict.is_some() {
            verdict
        } else {
            "no runs"
        },
    )
    .close("div")
    .open("p", &[class("tile__rate")])
    .element(
        "span",
        &[
            class("tile__rate-value"),
            ("data-testid", Some("tile-pass-rate")),
        ],
        &pass_rate(tile),
    )
    .element(
        "span",
        &[class("tile__rate-label")],
        if tile.recent_runs == 0 {
            " no runs yet"
        } else {
            " passed"
        },
    )
    .close("p")
    .open("div", &[class("tile__badges")]);
    if tile.simulated {
        m.element(
            "span",
            &[
                class("badge badge--simulated"),
                ("data-testid", Some("tile-simulated")),
                ("title", Some("A simulated attendee of the rehearsal room")),
            ],
            "simulated",
        );
    }
    if tile.scheduled {
        m.element(
            "span",
            &[
                class("badge badge--scheduled"),
                ("data-testid", Some("tile-scheduled")),
            ],
            "scheduled",
        );
    }
    if let Some(d) = &tile.diagnosis {
        let right = if d.right { "true" } else { "false" };
        m.element(
            "span",
            &[
                class(if d.right {
                    "badge badge--right"
                } else {
                    "badge badge--diagnosis"
                }),
                ("data-testid", Some("tile-diagnosis")),
                ("data-right", Some(right)),
            ],
            if d.right {
                "diagnosis ✓ right"
            } else {
                "diagnosis in"
            },
        );
    }
    m.close("div");
    if controls {
        if let Some(d) = &tile.diagnosis {
            m.element(
                "p",
                &[
                    class("tile__diagnosis"),
                    ("data-testid", Some("tile-diagnosis-text")),
                    ("title", Some(&d.text)),
                    ("tabindex", Some("0")),
                ],
                &d.text,
            );
            if let Some(evidence) = &d.evidence {
                m.element(
                    "a",
                    &[
                        class("tile__evidence"),
                        ("href", Some(evidence)),
                        ("target", Some("_blank")),
                        ("rel", Some("noopener")),
                        ("data-testid", Some("tile-evidence")),
                    ],
                    "evidence ↗",
                );
            }
            if !tile.points_at.is_empty() {
                m.element(
                    "p",
                    &[
                        class("tile__points-at"),
                        ("data-testid", Some("tile-points-at")),
                    ],
                    &format!("points at: {}", tile.points_at.join(", ")),
                );
            }
        }
        m.open("div", &[class("tile__actions")]);
        if let Some(d) = &tile.diagnosis {
            let (action, label) = if d.right {
                ("unmark", "unmark")
            } else {
                ("mark", "mark right")
            };
            m.element(
                "button",
                &[
                    ("type", Some("button")),
                    class("button tile__button"),
                    ("data-action", Some(action)),
                    ("data-attendee-id", id),
                    ("data-testid", Some("tile-mark")),
                ],
                label,
            );
        }
        m.element(
            "button",
            &[
                ("type", Some("button")),
                class("button tile__button tile__button--remove"),
                ("data-action", Some("remove")),
                ("data-attendee-id", id),
                ("data-testid", Some("tile-remove")),
                (
                    "aria-label",
                    Some(&format!("Remove {} from the room", tile.attendee.name)),
                ),
            ],
            "remove",
        );
        m.close("div");
    }
    m.close("article");
}
