//! The check editor: a plain textarea that soft-wraps long lines, over a backdrop that
//! lays the same text out the same way (invisibly) beside its line numbers, so a
//! wrapped line's number stays on its first row and the failing line's band covers
//! all its rows. Tab/Shift+Tab indent, Ctrl/Cmd+Enter runs.

use leptos::html::Textarea;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlTextAreaElement, KeyboardEvent};

use crate::checks::editing::{self, Edit};
use crate::markup::Markup;

/// Height of one line in pixels; the stylesheet reads it from `--editor-line`.
pub const LINE_HEIGHT_PX: f64 = 21.0;
/// Space above the first line, pixels (`--editor-pad`).
pub const TOP_PAD_PX: f64 = 10.0;
/// The two as the stylesheet reads them (a literal: formatting the floats would pull
/// the float formatter into the page's wasm; a test keeps it in step).
const EDITOR_STYLE: &str = "--editor-line: 21px; --editor-pad: 10px";

/// The backdrop's rows: per line of `source`, its number (the `failing` one has the
/// class `failing`) and its text, laid out as the textarea lays it out but unseen.
pub fn backdrop_rows(source: &str, failing: Option<u32>) -> String {
    let mut m = Markup::new();
    for (i, text) in source.split('\n').enumerate() {
        let number = (i + 1).to_string();
        let is_failing = failing.is_some_and(|f| f as usize == i + 1);
        m.open(
            "div",
            &[(
                "class",
                Some(if is_failing {
                    "editor__row editor__row--failing"
                } else {
                    "editor__row"
                }),
            )],
        );
        m.element(
            "span",
            &[
                (
                    "class",
                    Some(if is_failing {
                        "editor__number failing"
                    } else {
                        "editor__number"
                    }),
                ),
                ("data-line", Some(&number)),
            ],
            &number,
        );
        m.element("span", &[("class", Some("editor__ghost"))], text);
        m.close("div");
    }
    m.finish()
}

/// The editor. `source` follows every edit; `on_edit` hears about edits made by the
/// attendee (not about text loaded from elsewhere).
#[component]
pub fn CheckEditor(
    /// The check's source.
    source: RwSignal<String>,
    /// The line the last run failed on, if any.
    #[prop(into)]
    failing_line: Signal<Option<u32>>,
    /// Ctrl/Cmd+Enter.
    on_run: Callback<()>,
    /// Called after each edit the attendee makes.
    #[prop(optional)]
    on_edit: Option<Callback<()>>,
    /// The textarea, for moving the cursor from outside (see [`reveal`]).
    #[prop(optional)]
    textarea: Option<NodeRef<Textarea>>,
) -> impl IntoView {
    let textarea = textarea.unwrap_or_default();
    let backdrop = NodeRef::<leptos::html::Div>::new();
    // After Escape, one Tab leaves the editor instead of indenting (keyboard users
    // must be able to get out).
    let tab_leaves = StoredValue::new(false);
    let edited = move || {
        if let Some(on_edit) = on_edit {
            on_edit.run(());
        }
    };

    let on_keydown = move |ev: KeyboardEvent| {
        let key = ev.key();
        if key == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            on_run.run(());
            return;
        }
        if key == "Escape" {
            tab_leaves.set_value(true);
            return;
        }
        if key != "Tab" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            tab_leaves.set_value(false);
            return;
        }
        if tab_leaves.get_value() {
            tab_leaves.set_value(false);
            return;
        }
        ev.prevent_default();
        let Some(area) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
        else {
            return;
        };
        if handle_tab(&area, ev.shift_key()) {
            source.set(area.value());
            edited();
        }
    };

    view! {
        <div
            class="editor"
            class:editor--failing=move || failing_line.get().is_some()
            style=EDITOR_STYLE
        >
            <div
                class="editor__backdrop"
                data-testid="check-gutter"
                aria-hidden="true"
                node_ref=backdrop
                inner_html=move || source.with(|s| backdrop_rows(s, failing_line.get()))
            ></div>
                <textarea
                    class="editor__text"
                    data-testid="check-editor"
                    aria-label="Your check (Rhai)"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="soft"
                    node_ref=textarea
                    prop:value=move || source.get()
                    on:input=move |ev| {
                        source.set(event_target_value(&ev));
                        edited();
                    }
                    on:keydown=on_keydown
                    on:scroll=move |ev| {
                        if let (Some(area), Some(backdrop)) = (
                            ev.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()),
                            backdrop.get(),
                        ) {
                            backdrop.set_scroll_top(area.scroll_top());
                        }
                    }
                ></textarea>
        </div>
    }
}

/// Indents (or with `outdent`, outdents) at the textarea's selection. Returns whether
/// the text changed.
pub fn handle_tab(area: &HtmlTextAreaElement, outdent: bool) -> bool {
    let text = area.value();
    let start = area.selection_start().ok().flatten().unwrap_or(0);
    let end = area.selection_end().ok().flatten().unwrap_or(start);
    let edit = if outdent {
        editing::outdent(&text, start, end)
    } else {
        Some(editing::indent(&text, start, end))
    };
    match edit {
        Some(edit) => {
            apply(area, &edit);
            true
        }
        None => false,
    }
}

/// Applies an edit the way typing would, so Ctrl+Z undoes it (`insertText`); where the
/// browser will not, replaces the text directly.
fn apply(area: &HtmlTextAreaElement, edit: &Edit) {
    let expected = edit.apply(&area.value());
    let _ = area.focus();
    let _ = area.set_selection_range(edit.start, edit.end);
    let typed = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, &edit.insert)
                .ok()
        })
        .unwrap_or(false);
    if !typed || area.value() != expected {
        area.set_value(&expected);
    }
    let _ = area.set_selection_range(edit.sel_start, edit.sel_end);
}

/// Puts the cursor at `line`, `column` (1-based, as a failure reports them), scrolls
/// the line into view (the editor into the window, the line into the editor) and
/// focuses the editor.
pub fn reveal(area: &HtmlTextAreaElement, line: u32, column: u32) {
    let offset = editing::offset_of(&area.value(), line, column);
    let _ = area.focus();
    let _ = area.set_selection_range(offset, offset);
    // Where the line's first row is, as the backdrop lays out the wrapped lines.
    let row = area
        .parent_element()
        .and_then(|editor| {
            editor
                .query_selector(&format!(".editor__backdrop [data-line=\"{line}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok());
    let line_top = row.map_or_else(
        || f64::from(line.saturating_sub(1)) * LINE_HEIGHT_PX,
        |n| f64::from(n.offset_top()) - TOP_PAD_PX,
    );
    let visible = f64::from(area.client_height());
    let current = f64::from(area.scroll_top());
    if line_top < current || line_top + LINE_HEIGHT_PX > current + visible - TOP_PAD_PX * 2.0 {
        // A third of the way down, where the eye looks first.
        let target = (line_top - visible / 3.0).max(0.0);
        #[allow(clippy::cast_possible_truncation)]
        area.set_scroll_top(target as i32);
    }
    if let Some(editor) = area.parent_element() {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        editor.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_carries_the_line_metrics() {
        assert_eq!(
            EDITOR_STYLE,
            format!("--editor-line: {LINE_HEIGHT_PX}px; --editor-pad: {TOP_PAD_PX}px")
        );
    }

    #[test]
    fn a_row_per_line_with_its_number_and_the_failing_one_marked() {
        let rows = backdrop_rows("let a = 1;\n<b>\n", Some(2));
        assert_eq!(rows.matches("class=\"editor__row").count(), 3);
        assert!(
            rows.contains(r#"<span class="editor__number failing" data-line="2">2</span>"#),
            "{rows}"
        );
        assert!(rows.contains("&lt;b&gt;"), "the text is escaped: {rows}");
        assert_eq!(
            rows.matches("failing").count(),
            2,
            "the row and its number: {rows}"
        );
    }
}
