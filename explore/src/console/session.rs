//! "Start a new session": a dialog that says what happens — everything of this
//! session is written to an export file first, then the room empties — asks to
//! confirm, and shows the export file the server wrote.

use bulbwatch_api::SessionExported;
use leptos::prelude::*;

/// Where the dialog is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionStep {
    /// Not shown.
    Closed,
    /// Asking to confirm.
    Asking,
    /// The server is exporting.
    Exporting,
    /// Exported and emptied.
    Done(SessionExported),
}

/// The dialog; `on_confirm` starts the export, `on_close` closes it.
#[component]
pub fn NewSession(
    /// Where the dialog is.
    step: RwSignal<SessionStep>,
    /// The facilitator confirmed.
    on_confirm: Callback<()>,
) -> impl IntoView {
    let close = move |_| step.set(SessionStep::Closed);
    move || {
        match step.get() {
        SessionStep::Closed => ().into_any(),
        SessionStep::Asking | SessionStep::Exporting => {
            let exporting = step.get() == SessionStep::Exporting;
            view! {
                <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="session-title" data-testid="new-session-dialog">
                    <div class="card dialog__card">
                        <h2 id="session-title" class="dialog__title">"Start a new session?"</h2>
                        <p>
                            "Everything of this session — attendees, checks and their versions, runs, events and diagnoses — is first written to an export file in the server's data directory. Then the room is emptied: everyone joins again."
                        </p>
                        <p class="muted">"Nothing is deleted without that export."</p>
                        <div class="dialog__buttons">
                            <button type="button" class="button" on:click=close disabled=exporting>
                                "Cancel"
                            </button>
                            <button
                                type="button"
                                class="button button--primary"
                                data-testid="new-session-confirm"
                                disabled=exporting
                                on:click=move |_| on_confirm.run(())
                            >
                                {if exporting { "Exporting…" } else { "Export, then start anew" }}
                            </button>
                        </div>
                    </div>
                </div>
            }
                .into_any()
        }
        SessionStep::Done(exported) => view! {
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="session-title" data-testid="new-session-dialog">
                <div class="card dialog__card">
                    <h2 id="session-title" class="dialog__title">"A new session has started"</h2>
                    <p>"The last one was exported to"</p>
                    <p class="dialog__file mono" data-testid="session-export-file">{exported.export_file.clone()}</p>
                    <p class="muted">
                        {format!(
                            "{} attendees, {} check versions, {} runs, {} events, {} diagnoses.",
                            exported.attendees,
                            exported.check_versions,
                            exported.runs,
                            exported.events,
                            exported.diagnoses,
                        )}
                    </p>
                    <div class="dialog__buttons">
                        <button type="button" class="button button--primary" on:click=close>
                            "Close"
                        </button>
                    </div>
                </div>
            </div>
        }
            .into_any(),
    }
    }
}
