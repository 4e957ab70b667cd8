//! A read-only check with line numbers, for the shared page.

use leptos::prelude::*;

use crate::checks::editing::line_count;
use crate::markup::Markup;

/// `source` in a monospace block with its line numbers; `testid` names the code.
#[component]
pub fn CodeView(
    /// The source to show.
    #[prop(into)]
    source: String,
    /// `data-testid` of the code element.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl IntoView {
    let numbers = line_numbers(line_count(&source), "span", "", None);
    view! {
        <div class="code-view">
            <div class="code-view__gutter" aria-hidden="true" inner_html=numbers></div>
            <pre class="code-view__code"><code data-testid=testid>{source}</code></pre>
        </div>
    }
}

/// `count` elements `<tag class="…" data-line="N">N</tag>`; the `failing` one also has
/// the class `failing`.
pub fn line_numbers(count: usize, tag: &str, class: &str, failing: Option<u32>) -> String {
    let mut m = Markup::new();
    for n in 1..=count {
        let number = n.to_string();
        let class = if failing.is_some_and(|f| f as usize == n) {
            format!("{class} failing")
        } else {
            class.to_string()
        };
        let class = class.trim();
        m.element(
            tag,
            &[
                ("class", (!class.is_empty()).then_some(class)),
                ("data-line", Some(&number)),
            ],
            &number,
        );
    }
    m.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_per_line_and_the_failing_one_marked() {
        assert_eq!(
            line_numbers(3, "div", "n", Some(2)),
            r#"<div class="n" data-line="1">1</div><div class="n failing" data-line="2">2</div><div class="n" data-line="3">3</div>"#
        );
        assert_eq!(
            line_numbers(1, "span", "", None),
            r#"<span data-line="1">1</span>"#
        );
    }
}
