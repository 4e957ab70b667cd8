//! The query builder: a compact form over a [`Draft`] — dataset, calculations, filters,
//! group by, order, limit, having, time range and granularity — whose "Run query" hands
//! the spec it describes to the page (which puts it in the address).

pub mod breakdowns;
pub mod calculations;
pub mod choice_select;
pub mod column_select;
pub mod draft;
pub mod example;
pub mod filter_row;
pub mod filters;
pub mod ops;
pub mod ordering;
pub mod rows;
pub mod scope;
pub mod time_choice;
pub mod time_range;

use bulbwatch_api::{ColumnInfo, QuerySpec};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

pub use draft::Draft;

use breakdowns::Breakdowns;
use calculations::Calculations;
use choice_select::ChoiceSelect;
use filters::Filters;
use ops::DATASETS;
use ordering::{Havings, Limit, Orders};
use time_range::{Granularity, TimeRange};

/// The builder's form; "Run query" calls `on_run` with the spec, or says what is wrong.
#[component]
pub fn QueryBuilder(
    /// The form's state.
    draft: RwSignal<Draft>,
    /// The dataset's columns with their types (empty while loading).
    #[prop(into)]
    columns: Signal<Vec<ColumnInfo>>,
    /// Runs the spec the form describes.
    on_run: Callback<QuerySpec>,
) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let run_now = move || {
        let spec = columns.with(|cols| draft.with(|d| d.to_spec(cols)));
        match spec {
            Ok(spec) => {
                problem.set(None);
                on_run.run(spec);
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        run_now();
    };
    // Ctrl/Cmd+Enter anywhere in the form runs the query, as it runs a check.
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            run_now();
        }
    };
    view! {
        <form class="builder" data-testid="query-builder" on:submit=submit on:keydown=on_keydown>
            <DatasetSelect draft=draft />
            <Calculations draft=draft columns=columns />
            <Filters draft=draft columns=columns />
            <Breakdowns draft=draft columns=columns />
            <Orders draft=draft />
            <div class="builder__pair">
                <Limit draft=draft />
                <Granularity draft=draft />
            </div>
            <Havings draft=draft />
            <TimeRange draft=draft />
            // Stays at the bottom of the window while the form runs below it.
            <div class="builder__footer">
                {move || {
                    problem
                        .get()
                        .map(|p| {
                            view! {
                                <p class="builder__problem" role="alert" data-testid="builder-problem">
                                    {p}
                                </p>
                            }
                        })
                }}
                <button type="submit" class="button button--primary builder__run" data-testid="run-query">
                    "Run query " <kbd>"Ctrl/⌘+Enter"</kbd>
                </button>
            </div>
        </form>
    }
}

/// Which dataset: the check runs (`e2e`) or the server's spans (`bulb`).
#[component]
fn DatasetSelect(draft: RwSignal<Draft>) -> impl IntoView {
    let current = Memo::new(move |_| draft.with(|d| d.dataset.clone()));
    let choices = Signal::derive(move || {
        let mut names: Vec<String> = DATASETS.iter().map(|s| (*s).to_owned()).collect();
        let now = current.get();
        if !names.contains(&now) {
            names.push(now);
        }
        names
            .into_iter()
            .map(|name| {
                let label = match name.as_str() {
                    "e2e" => "e2e — check runs".to_owned(),
                    "bulb" => "bulb — server spans".to_owned(),
                    other => other.to_owned(),
                };
                (name, label)
            })
            .collect()
    });
    view! {
        <label class="builder__section builder__dataset">
            <span class="builder__heading">"Dataset"</span>
            <ChoiceSelect
                class="builder__select"
                testid="dataset-select"
                label="Dataset"
                choices=choices
                value=current
                on_change=Callback::new(move |name: String| draft.update(|d| d.switch_dataset(&name)))
            />
        </label>
    }
}
