//! What every list of rows in the builder shares: editing and removing the `i`th row
//! of one of the draft's lists, and the "×" that removes it.

use leptos::prelude::*;

use super::draft::Draft;

/// Which of the draft's lists the rows are in.
pub type RowList<T> = fn(&mut Draft) -> &mut Vec<T>;

/// Changes the `i`th row of `list` (nothing when it is gone).
pub fn edit_row<T>(draft: RwSignal<Draft>, list: RowList<T>, i: usize, f: impl FnOnce(&mut T)) {
    draft.update(|d| {
        if let Some(row) = list(d).get_mut(i) {
            f(row);
        }
    });
}

/// Removes the `i`th row of `list` (nothing when it is gone).
pub fn remove_row<T>(draft: RwSignal<Draft>, list: RowList<T>, i: usize) {
    draft.update(|d| {
        let rows = list(d);
        if i < rows.len() {
            rows.remove(i);
        }
    });
}

/// The "×" that removes the `i`th row of `list`.
#[component]
pub fn RemoveButton<T: 'static>(
    /// What it removes, for screen readers.
    label: &'static str,
    /// The form.
    draft: RwSignal<Draft>,
    /// The list the row is in.
    list: RowList<T>,
    /// The row.
    i: usize,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="builder__remove"
            aria-label=label
            title=label
            on:click=move |_| remove_row(draft, list, i)
        >
            "×"
        </button>
    }
}
