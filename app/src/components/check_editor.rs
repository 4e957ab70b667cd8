//! The check editor: a plain textarea (no wrapping) with a line-number gutter that
//! scrolls with it, Tab/Shift+Tab indenting, Ctrl/Cmd+Enter to run, and the failing
//! line marked in the gutter with a band behind the text.

use leptos::html::Textarea;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlTextAreaElement, KeyboardEvent};

use crate::checks::editing::{self, Edit, line_count};
use crate::components::code_view::line_numbers;

/// Height of one line in pixels; the stylesheet reads it from `--editor-line`.
pub const LINE_HEIGHT_PX: f64 = 21.0;
/// Space above the first line, pixels (`--editor-pad`).
pub const TOP_PAD_PX: f64 = 10.0;

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
    let scroll_top = RwSignal::new(0.0_f64);
    // After Escape, one Tab leaves the editor instead of indenting (keyboard users
    // must be able to get out).
    let tab_leaves = StoredValue::new(false);
    let edited = move || {
        if let Some(on_edit) = on_edit {
            on_edit.run(());
        }
    };
    let lines = Memo::new(move |_| source.with(|s| line_count(s)));

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

    let band_style = move || {
        failing_line.get().map(|line| {
            let top =
                TOP_PAD_PX + f64::from(line.saturating_sub(1)) * LINE_HEIGHT_PX - scroll_top.get();
            format!("transform: translateY({top}px)")
        })
    };

    view! {
        <div
            class="editor"
            class:editor--failing=move || failing_line.get().is_some()
            style=format!("--editor-line: {LINE_HEIGHT_PX}px; --editor-pad: {TOP_PAD_PX}px")
        >
            <div class="editor__gutter" data-testid="check-gutter" aria-hidden="true">
                <div
                    class="editor__numbers"
                    style=move || format!("transform: translateY({}px)", -scroll_top.get())
                    inner_html=move || {
                        line_numbers(lines.get(), "div", "editor__number", failing_line.get())
                    }
                ></div>
            </div>
            <div class="editor__code">
                {move || {
                    band_style()
                        .map(|style| view! { <div class="editor__band" style=style></div> })
                }}
                <textarea
                    class="editor__text"
                    data-testid="check-editor"
                    aria-label="Your check (Rhai)"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    node_ref=textarea
                    prop:value=move || source.get()
                    on:input=move |ev| {
                        source.set(event_target_value(&ev));
                        edited();
                    }
                    on:keydown=on_keydown
                    on:scroll=move |ev| {
                        if let Some(area) = ev
                            .target()
                            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
                        {
                            scroll_top.set(f64::from(area.scroll_top()));
                        }
                    }
                ></textarea>
            </div>
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
/// the line into view and focuses the editor.
pub fn reveal(area: &HtmlTextAreaElement, line: u32, column: u32) {
    let offset = editing::offset_of(&area.value(), line, column);
    let _ = area.focus();
    let _ = area.set_selection_range(offset, offset);
    let line_top = f64::from(line.saturating_sub(1)) * LINE_HEIGHT_PX;
    let visible = f64::from(area.client_height());
    let current = f64::from(area.scroll_top());
    if line_top < current || line_top + LINE_HEIGHT_PX > current + visible - TOP_PAD_PX * 2.0 {
        // A third of the way down, where the eye looks first.
        let target = (line_top - visible / 3.0).max(0.0);
        #[allow(clippy::cast_possible_truncation)]
        area.set_scroll_top(target as i32);
    }
}
