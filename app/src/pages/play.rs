//! The play page: the live bulbs (mine large), the colour picker and my diagnosis on the left; the
//! attendee's check (editor, run, schedule, history, result) beside them.

mod check_doc;
mod check_workbench;
mod run_control;

use std::time::Duration;

use bulbwatch_api::{SetBulb, SubmitDiagnosis};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::components::{BulbCaption, ColourPicker, DiagnosisCard, LastRequest, ShardBulbs};
use crate::contexts::{
    MeState, use_clock, use_current_attendee, use_last_error, use_live_bulb, use_room,
};

pub use check_doc::CheckDoc;
pub use check_workbench::CheckWorkbench;
pub use run_control::RunControl;

/// How long "Accepted: …" stays up after a change is accepted.
pub const LAST_REQUEST_SHOWN_FOR: Duration = Duration::from_secs(8);
/// How often my progress and diagnosis are read again (to show the facilitator's
/// mark).
pub const DIAGNOSIS_REFRESH: Duration = Duration::from_secs(10);

/// The bulb and picker in a column on the left, the check workbench beside them.
#[component]
pub fn PlayPage() -> impl IntoView {
    let live = use_live_bulb();
    let clock = use_clock();
    let errors = use_last_error();
    let me = use_current_attendee();
    let last_request = RwSignal::new(None::<String>);
    // Which acceptance is on show, so an older timer does not hide a newer note.
    let shown = StoredValue::new(0_u64);
    let attendee_id = me.0.with_untracked(|state| match state {
        MeState::Joined(attendee) => attendee.id.clone(),
        _ => String::new(),
    });

    let on_change = Callback::new(move |change: SetBulb| {
        spawn_local(async move {
            match api::set_bulb(&change).await {
                Ok(accepted) => {
                    errors.clear();
                    let generation = shown.get_value() + 1;
                    shown.set_value(generation);
                    last_request.set(Some(accepted.request_id));
                    set_timeout(
                        move || {
                            if shown.try_get_value() == Some(generation) {
                                last_request.try_set(None);
                            }
                        },
                        LAST_REQUEST_SHOWN_FOR,
                    );
                }
                Err(failure) => {
                    if failure.is_unauthorized() {
                        me.0.set(MeState::NotJoined);
                    }
                    errors.show(failure.message);
                }
            }
        });
    });
    let on_pick = Callback::new(move |colour: String| on_change.run(SetBulb::colour(colour)));
    let current = Signal::derive(move || live.state.with(|s| s.as_ref().map(|s| s.colour.clone())));
    let lit = Signal::derive(move || live.state.with(|s| s.as_ref().is_none_or(|s| s.on)));
    let switch = move |_| {
        on_change.run(SetBulb {
            on: Some(!lit.get_untracked()),
            ..SetBulb::default()
        });
    };

    let room = use_room();
    if let Ok(handle) = set_interval_with_handle(move || room.refresh(), DIAGNOSIS_REFRESH) {
        on_cleanup(move || handle.clear());
    }
    let submitting = RwSignal::new(false);
    let on_diagnose = Callback::new(move |text: String| {
        submitting.set(true);
        let evidence = room
            .diagnosis
            .with_untracked(|d| d.as_ref().and_then(|d| d.evidence.clone()));
        spawn_local(async move {
            let answer = api::room::submit_diagnosis(&SubmitDiagnosis { text, evidence }).await;
            submitting.try_set(false);
            match answer {
                Ok(diagnosis) => {
                    errors.clear();
                    room.set_diagnosis(Some(diagnosis));
                }
                Err(failure) => errors.show(failure.message),
            }
        });
    });

    view! {
        <section class="play">
            <div class="play__side">
                <div class="play__stage">
                    <ShardBulbs bulbs=live.shown() />
                    <BulbCaption state=live.state now_ms=clock.0 />
                </div>
                <div class="card play__controls">
                    <div class="play__controls-head">
                        <h2 class="card__title">"Change the bulb"</h2>
                        <label class="play__switch">
                            <button
                                type="button"
                                role="switch"
                                class="switch"
                                data-testid="bulb-switch"
                                aria-checked=move || lit.get().to_string()
                                on:click=switch
                            >
                                <span class="switch__knob" aria-hidden="true"></span>
                            </button>
                            "On"
                        </label>
                    </div>
                    <ColourPicker on_pick=on_pick current=current />
                    <div class="play__note">
                        <LastRequest request_id=last_request />
                    </div>
                </div>
                <DiagnosisCard diagnosis=room.diagnosis on_submit=on_diagnose submitting=submitting />
            </div>
            <CheckWorkbench attendee_id=attendee_id />
        </section>
    }
}
