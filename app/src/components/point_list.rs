//! The instrumentation points grouped by the span they add to: for each its title,
//! where it is, the attributes it adds, its snippet with the file's line numbers, and
//! its switch. Drawn as escaped markup (see `markup.rs`); one click listener serves
//! every switch.

use bulbwatch_api::InstrumentationPoint;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::checks::editing::line_count;
use crate::markup::{Markup, class};

/// The points by span; a switch calls `on_toggle` with the point's id and the state
/// asked for.
#[component]
pub fn PointList(
    /// The points, in the catalogue's order.
    points: RwSignal<Vec<InstrumentationPoint>>,
    /// A switch was pressed: `(id, on)`.
    on_toggle: Callback<(String, bool)>,
) -> impl IntoView {
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(toggle) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|t| t.closest("[data-testid=point-toggle]").ok().flatten())
        else {
            return;
        };
        let Some(id) = toggle.get_attribute("data-point-id") else {
            return;
        };
        let on = toggle.get_attribute("aria-pressed").as_deref() != Some("true");
        on_toggle.run((id, on));
    };
    view! {
        <div
            class="points"
            data-testid="points"
            on:click=on_click
            inner_html=move || points.with(|p| markup(p))
        ></div>
    }
}

/// Focuses the switch of point `id` when nothing else has the focus: redrawing the
/// list after a switch answers drops the focus.
pub fn refocus(id: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if document.active_element() != document.body().map(Into::into) {
        return;
    }
    let id = id.replace('\\', "\\\\").replace('"', "\\\"");
    let selector = format!("[data-testid=point-toggle][data-point-id=\"{id}\"]");
    if let Some(toggle) = document
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = toggle.focus();
    }
}

/// The points grouped by span, spans in the order they first appear, points in
/// their own order within a span.
pub fn by_span(points: &[InstrumentationPoint]) -> Vec<(&str, Vec<&InstrumentationPoint>)> {
    let mut groups: Vec<(&str, Vec<&InstrumentationPoint>)> = Vec::new();
    for point in points {
        match groups.iter_mut().find(|(span, _)| *span == point.span) {
            Some((_, members)) => members.push(point),
            None => groups.push((&point.span, vec![point])),
        }
    }
    groups
}

/// The list's markup: a section per span, a row per point.
pub fn markup(points: &[InstrumentationPoint]) -> String {
    let mut m = Markup::new();
    for (span, members) in by_span(points) {
        let on = members.iter().filter(|p| p.on).count();
        m.open("section", &[class("span-group"), ("data-span", Some(span))])
            .open("h2", &[class("span-group__title")])
            .text("Span ")
            .element("code", &[], span)
            .element(
                "span",
                &[class("span-group__count")],
                &format!("{on} of {} on", members.len()),
            )
            .close("h2");
        for point in members {
            row(&mut m, point);
        }
        m.close("section");
    }
    m.finish()
}

fn row(m: &mut Markup, point: &InstrumentationPoint) {
    let id = Some(point.id.as_str());
    let on = if point.on { "true" } else { "false" };
    let first = point.line.max(1) as usize;
    let last = first + line_count(&point.snippet) - 1;
    m.open(
        "article",
        &[
            class("point"),
            ("data-testid", Some("point")),
            ("data-point-id", id),
            ("data-on", Some(on)),
        ],
    )
    .open("div", &[class("point__about")])
    .open("div", &[class("point__head")])
    .element("h3", &[class("point__title")], &point.title)
    .open(
        "button",
        &[
            ("type", Some("button")),
            class("switch"),
            ("data-testid", Some("point-toggle")),
            ("data-point-id", id),
            ("aria-pressed", Some(on)),
            ("aria-label", Some(&point.title)),
        ],
    )
    .element(
        "span",
        &[class("switch__knob"), ("aria-hidden", Some("true"))],
        "",
    )
    .close("button")
    .close("div")
    .element("p", &[class("point__id mono")], &point.id)
    .element(
        "p",
        &[
            class("point__where mono"),
            ("data-testid", Some("point-where")),
        ],
        &format!("{}:{}", point.file, point.line),
    )
    .open(
        "ul",
        &[
            class("point__attrs"),
            ("aria-label", Some("Attributes it adds")),
        ],
    );
    for attribute in &point.attributes {
        m.element("li", &[class("tag mono")], attribute);
    }
    m.close("ul")
        .close("div")
        .open("div", &[class("code-view point__code")])
        .open(
            "div",
            &[class("code-view__gutter"), ("aria-hidden", Some("true"))],
        );
    for n in first..=last {
        let n = n.to_string();
        m.element("span", &[("data-line", Some(&n))], &n);
    }
    m.close("div")
        .open("pre", &[class("code-view__code")])
        .element(
            "code",
            &[("data-testid", Some("point-snippet"))],
            &point.snippet,
        )
        .close("pre")
        .close("div")
        .close("article");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: &str, span: &str, on: bool) -> InstrumentationPoint {
        InstrumentationPoint {
            id: id.into(),
            title: format!("title of {id}"),
            span: span.into(),
            file: "server/src/bulb.rs".into(),
            line: 40,
            snippet: "// <b>why</b>\nif points.on(x) {\n}".into(),
            attributes: vec!["queue_length".into()],
            on,
        }
    }

    #[test]
    fn points_are_grouped_by_span_in_first_seen_order() {
        let points = [
            point("a", "bulb.enqueue", false),
            point("b", "bulb.apply", true),
            point("c", "bulb.enqueue", true),
        ];
        let groups = by_span(&points);
        let ids: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(span, members)| (*span, members.iter().map(|p| p.id.as_str()).collect()))
            .collect();
        assert_eq!(
            ids,
            [("bulb.enqueue", vec!["a", "c"]), ("bulb.apply", vec!["b"])]
        );
        assert!(by_span(&[]).is_empty());
    }

    #[test]
    fn rows_escape_the_snippet_and_number_lines_from_the_file() {
        let html = markup(&[
            point("a", "bulb.enqueue", true),
            point("b", "bulb.enqueue", false),
        ]);
        assert!(html.contains("// &lt;b&gt;why&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<b>"));
        assert!(html.contains(r#"<span data-line="40">40</span>"#));
        assert!(html.contains(r#"<span data-line="42">42</span>"#));
        assert!(!html.contains(r#"data-line="43""#));
        assert!(html.contains("server/src/bulb.rs:40"));
        assert!(html.contains("1 of 2 on"));
        assert_eq!(html.matches(r#"aria-pressed="true""#).count(), 1);
        assert_eq!(html.matches(r#"data-testid="point""#).count(), 2);
    }
}
