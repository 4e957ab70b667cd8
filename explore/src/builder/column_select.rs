//! A select of the dataset's columns, each with its type (`duration_ms · float`), that
//! always shows the current choice (even before the list has loaded).

use bulbwatch_api::{ColumnInfo, ColumnType};
use leptos::prelude::*;

use super::choice_select::ChoiceSelect;
use super::ops::is_numeric;

/// A column type for people.
pub fn type_label(t: ColumnType) -> &'static str {
    match t {
        ColumnType::String => "string",
        ColumnType::Integer => "integer",
        ColumnType::Float => "float",
        ColumnType::Boolean => "boolean",
    }
}

/// The select's options: `(name, label)`, the columns (numeric ones only when asked)
/// plus the current value when it is not among them, after a blank "choose" entry.
pub fn column_options(
    columns: &[ColumnInfo],
    current: &str,
    numeric_only: bool,
) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "choose a column…".to_owned())];
    options.extend(
        columns
            .iter()
            .filter(|c| !numeric_only || is_numeric(c.column_type))
            .map(|c| {
                (
                    c.name.clone(),
                    format!("{} · {}", c.name, type_label(c.column_type)),
                )
            }),
    );
    if !current.is_empty() && !options.iter().any(|(name, _)| name == current) {
        options.push((current.to_owned(), current.to_owned()));
    }
    options
}

/// One column select.
#[component]
pub fn ColumnSelect(
    /// The dataset's columns.
    #[prop(into)]
    columns: Signal<Vec<ColumnInfo>>,
    /// The chosen column (empty: none yet).
    #[prop(into)]
    value: Signal<String>,
    /// Offer numeric columns only.
    #[prop(into)]
    numeric_only: Signal<bool>,
    /// A column was chosen.
    on_change: Callback<String>,
    /// The test id.
    testid: &'static str,
    /// What the select is for, for screen readers.
    label: &'static str,
) -> impl IntoView {
    let choices = Signal::derive(move || {
        let current = value.get();
        columns.with(|cols| column_options(cols, &current, numeric_only.get()))
    });
    view! {
        <ChoiceSelect
            class="builder__select builder__column"
            testid=testid
            label=label
            choices=choices
            value=value
            on_change=on_change
        />
    }
}
