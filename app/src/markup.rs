//! Markup as text, for the read-only lists the page redraws wholesale (the result
//! pane, the history strip, the editor's line numbers, a shared check's source).
//!
//! Why not `view!`: every `view!` tree compiles to its own typed rendering code, and
//! these lists alone made the page's wasm tens of kilobytes larger. A string and
//! `inner_html` cost almost nothing. Everything interpolated goes through [`escape`],
//! so names, messages and paths from checks stay text, never markup.

use std::fmt::Write as _;

/// `text` with `&`, `<`, `>`, `"` and `'` escaped: safe as element text and inside a
/// double- or single-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Builds markup: elements with escaped attributes and text.
#[derive(Debug, Default)]
pub struct Markup {
    out: String,
}

impl Markup {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Opens `<tag attr="value" …>`; attribute values are escaped, `None` values left
    /// out.
    pub fn open(&mut self, tag: &str, attrs: &[(&str, Option<&str>)]) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            if let Some(value) = value {
                let _ = write!(self.out, " {name}=\"{}\"", escape(value));
            }
        }
        self.out.push('>');
        self
    }

    /// Closes `</tag>`.
    pub fn close(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.out, "</{tag}>");
        self
    }

    /// Escaped text.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.out.push_str(&escape(text));
        self
    }

    /// `<tag attrs…>text</tag>`.
    pub fn element(&mut self, tag: &str, attrs: &[(&str, Option<&str>)], text: &str) -> &mut Self {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// The markup so far.
    pub fn finish(self) -> String {
        self.out
    }
}

/// `class="…"` shorthand for attribute lists.
pub fn class(value: &str) -> (&'static str, Option<&str>) {
    ("class", Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(
            escape(r#"<b>"Ada" & 'Bob'</b>"#),
            "&lt;b&gt;&quot;Ada&quot; &amp; &#39;Bob&#39;&lt;/b&gt;"
        );
        let mut m = Markup::new();
        m.element(
            "span",
            &[
                class("x"),
                ("title", Some("a\"><script>")),
                ("hidden", None),
            ],
            "<img src=x onerror=alert(1)>",
        );
        assert_eq!(
            m.finish(),
            "<span class=\"x\" title=\"a&quot;&gt;&lt;script&gt;\">&lt;img src=x onerror=alert(1)&gt;</span>"
        );
    }

    #[test]
    fn unicode_passes_through() {
        assert_eq!(escape("李 🙂 é"), "李 🙂 é");
    }
}
