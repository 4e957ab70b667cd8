//! The console's scenario board — the failure scenarios, the seed, the shards and the
//! rehearsal room — read with the board every second and after every change, and the
//! calls that change it; a failed change shows next to its control.

use bulbwatch_api::{ScenarioBoard, SetRehearsal, SetScenario};
use bulbwatch_app::api::ApiFailure;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::room;
use crate::console::{PanelProblem, RehearsalPanel, ScenarioPanel};

/// The scenario board as the console knows it.
#[derive(Clone, Copy, Debug)]
pub struct ScenarioRoom {
    /// The board, once read.
    pub board: RwSignal<Option<ScenarioBoard>>,
    /// The last failed change or read.
    pub problem: RwSignal<Option<PanelProblem>>,
    /// What the last removal of simulated attendees did.
    pub removed: RwSignal<Option<String>>,
}

impl Default for ScenarioRoom {
    fn default() -> Self {
        Self::new()
    }
}

impl ScenarioRoom {
    /// Nothing read yet.
    pub fn new() -> Self {
        Self {
            board: RwSignal::new(None),
            problem: RwSignal::new(None),
            removed: RwSignal::new(None),
        }
    }

    /// Reads the board (a failed change stays shown until the next change).
    pub fn load(self) {
        spawn_local(async move {
            let answer = room::scenarios().await;
            let change_failed = self
                .problem
                .try_with_untracked(|p| p.is_some() && !matches!(p, Some(PanelProblem::Reading(_))))
                .unwrap_or(false);
            match answer {
                Ok(found) if change_failed => self.show(found),
                answer => self.apply(answer, PanelProblem::Reading),
            }
        });
    }

    /// Switches scenario `id` or changes its setting.
    pub fn set_scenario(self, id: String, change: SetScenario) {
        spawn_local(async move {
            let answer = room::set_scenario(&id, &change).await;
            self.apply(answer, |m| PanelProblem::Scenario(id, m));
        });
    }

    /// Uses `shards` shards.
    pub fn set_shards(self, shards: u32) {
        spawn_local(async move {
            self.apply(room::set_shards(shards).await, PanelProblem::Shards);
        });
    }

    /// Runs the rehearsal room; `then` once the server answered.
    pub fn set_rehearsal(self, change: SetRehearsal, then: impl FnOnce() + 'static) {
        self.removed.set(None);
        spawn_local(async move {
            self.apply(room::set_rehearsal(&change).await, PanelProblem::Rehearsal);
            then();
        });
    }

    /// Removes every simulated attendee; `then` once they are gone.
    pub fn remove_simulated(self, then: impl FnOnce() + 'static) {
        spawn_local(async move {
            match room::remove_simulated().await {
                Ok(gone) => {
                    self.problem.try_set(None);
                    self.removed.try_set(Some(removed_words(gone.removed)));
                    self.load();
                    then();
                }
                Err(failure) => {
                    self.problem
                        .try_set(Some(PanelProblem::Rehearsal(failure.message)));
                }
            }
        });
    }

    /// The new board shows at once; a failure shows where `at` puts it.
    fn apply(
        self,
        answer: Result<ScenarioBoard, ApiFailure>,
        at: impl FnOnce(String) -> PanelProblem,
    ) {
        match answer {
            Ok(found) => {
                self.problem.try_set(None);
                self.show(found);
            }
            Err(failure) => {
                self.problem.try_set(Some(at(failure.message)));
            }
        }
    }

    fn show(self, found: ScenarioBoard) {
        if self
            .board
            .try_with_untracked(|b| b.as_ref() != Some(&found))
            == Some(true)
        {
            self.board.try_set(Some(found));
        }
    }
}

/// "Removed 5 simulated attendees."
pub fn removed_words(removed: u32) -> String {
    match removed {
        0 => "No simulated attendees to remove.".into(),
        1 => "Removed 1 simulated attendee.".into(),
        n => format!("Removed {n} simulated attendees."),
    }
}

/// The scenarios beside the shards and the rehearsal room; `on_attendees` after a
/// change of who is in the room (the board shows it).
#[component]
pub fn ScenarioControls(
    /// The scenario board and its calls.
    room: ScenarioRoom,
    /// Simulated attendees came or went.
    on_attendees: Callback<()>,
) -> impl IntoView {
    let on_change =
        Callback::new(move |(id, change): (String, SetScenario)| room.set_scenario(id, change));
    let on_shards = Callback::new(move |n: u32| room.set_shards(n));
    let on_rehearsal = Callback::new(move |change: SetRehearsal| {
        room.set_rehearsal(change, move || on_attendees.run(()));
    });
    let on_remove = Callback::new(move |()| room.remove_simulated(move || on_attendees.run(())));
    view! {
        <section class="scenarios-row" aria-label="Failure scenarios, shards and rehearsal">
            <ScenarioPanel board=room.board on_change=on_change problem=room.problem />
            <RehearsalPanel
                board=room.board
                on_shards=on_shards
                on_rehearsal=on_rehearsal
                on_remove=on_remove
                problem=room.problem
                removed=room.removed
            />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_says_how_many_left() {
        assert_eq!(removed_words(0), "No simulated attendees to remove.");
        assert_eq!(removed_words(1), "Removed 1 simulated attendee.");
        assert_eq!(removed_words(5), "Removed 5 simulated attendees.");
    }
}
