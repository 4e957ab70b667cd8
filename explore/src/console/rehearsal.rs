//! How the room is set up to rehearse: how many shards the bulb service has, and the
//! rehearsal room — simulated attendees the server runs, how often each runs the
//! classic check, how many run and how many runs they made — with a button that
//! removes them all.

use bulbwatch_api::{
    MAX_SHARDS, MAX_SIMULATED, REHEARSAL_INTERVAL_MAX_MS, REHEARSAL_INTERVAL_MIN_MS,
    RehearsalState, ScenarioBoard, SetRehearsal,
};
use leptos::prelude::*;

use crate::console::scenarios::PanelProblem;

/// The simulated attendees first offered.
pub const DEFAULT_SIMULATED: u32 = 5;

/// Reads the simulated-attendees field: 1–`MAX_SIMULATED`.
pub fn parse_attendees(typed: &str) -> Result<u32, String> {
    match typed.trim().parse::<u32>() {
        Ok(n) if (1..=MAX_SIMULATED).contains(&n) => Ok(n),
        _ => Err(format!(
            "Simulated attendees are a whole number, 1–{MAX_SIMULATED}."
        )),
    }
}

/// Reads the interval field, seconds (a tenth at most): milliseconds within range.
pub fn parse_interval(typed: &str) -> Result<u32, String> {
    let (min, max) = (REHEARSAL_INTERVAL_MIN_MS, REHEARSAL_INTERVAL_MAX_MS);
    let problem = || {
        format!(
            "The interval is seconds, {}–{}.",
            seconds(min),
            seconds(max)
        )
    };
    let secs = typed.trim().parse::<f64>().map_err(|_| problem())?;
    let ms = (secs * 1000.0).round();
    if ms.is_finite() && (f64::from(min)..=f64::from(max)).contains(&ms) {
        Ok(ms as u32)
    } else {
        Err(problem())
    }
}

/// Milliseconds as seconds for people: `5000` as `5`, `2500` as `2.5`.
pub fn seconds(ms: u32) -> String {
    if ms.is_multiple_of(1000) {
        (ms / 1000).to_string()
    } else {
        format!("{:.1}", f64::from(ms) / 1000.0)
    }
}

/// The shards select and the rehearsal room.
#[component]
pub fn RehearsalPanel(
    /// The scenario board (shards and rehearsal), once read.
    #[prop(into)]
    board: Signal<Option<ScenarioBoard>>,
    /// Use this many shards.
    on_shards: Callback<u32>,
    /// Run this many simulated attendees this often.
    on_rehearsal: Callback<SetRehearsal>,
    /// Remove every simulated attendee.
    on_remove: Callback<()>,
    /// The last failed change, if any.
    #[prop(into)]
    problem: Signal<Option<PanelProblem>>,
    /// What the last removal did ("Removed 5 simulated attendees.").
    #[prop(into)]
    removed: Signal<Option<String>>,
) -> impl IntoView {
    let shards = Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.shards)));
    let rehearsal = Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.rehearsal.clone())));
    let running = Memo::new(move |_| rehearsal.with(|r| r.as_ref().map_or(0, |r| r.running)));
    let interval_ms = Memo::new(move |_| rehearsal.with(|r| r.as_ref().map(|r| r.interval_ms)));
    // What the fields hold: what runs now, until the facilitator types.
    let count = RwSignal::new(DEFAULT_SIMULATED.to_string());
    let interval = RwSignal::new(String::new());
    Effect::new(move |_| {
        let n = running.get();
        if n > 0 {
            count.set(n.to_string());
        }
    });
    Effect::new(move |_| {
        if let Some(ms) = interval_ms.get() {
            interval.set(seconds(ms));
        }
    });
    let local_problem = RwSignal::new(None::<String>);
    let set = move |_| {
        let attendees = parse_attendees(&count.get_untracked());
        let typed = interval.get_untracked();
        let interval_ms = if typed.trim().is_empty() {
            Ok(None)
        } else {
            parse_interval(&typed).map(Some)
        };
        match (attendees, interval_ms) {
            (Ok(attendees), Ok(interval_ms)) => {
                local_problem.set(None);
                on_rehearsal.run(SetRehearsal {
                    attendees,
                    interval_ms,
                });
            }
            (Err(p), _) | (_, Err(p)) => local_problem.set(Some(p)),
        }
    };
    let shards_problem = move || {
        problem.with(|p| match p {
            Some(PanelProblem::Shards(m)) => Some(m.clone()),
            _ => None,
        })
    };
    let rehearsal_problem = move || {
        local_problem.get().or_else(|| {
            problem.with(|p| match p {
                Some(PanelProblem::Rehearsal(m)) => Some(m.clone()),
                _ => None,
            })
        })
    };
    let options = (1..=MAX_SHARDS)
        .map(|n| {
            view! {
                <option value=n.to_string() prop:selected=move || shards.get().unwrap_or(1) == n>
                    {n}
                </option>
            }
        })
        .collect_view();
    let interval_range = format!(
        "Every, s ({}–{})",
        seconds(REHEARSAL_INTERVAL_MIN_MS),
        seconds(REHEARSAL_INTERVAL_MAX_MS)
    );

    view! {
        <div class="card controls__card rehearsal" data-testid="rehearsal-panel">
            <h2 class="card__title">"Shards"</h2>
            <div class="controls__row">
                <label class="rehearsal__label" for="shards-select">"Bulb service shards"</label>
                <select
                    id="shards-select"
                    class="text-input rehearsal__shards"
                    data-testid="shards-select"
                    prop:value=move || shards.get().unwrap_or(1).to_string()
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).parse::<u32>() {
                            on_shards.run(n);
                        }
                    }
                >
                    {options}
                </select>
            </div>
            <p class="hint">"Each shard is a bulb with its own queue; attendees are spread over them."</p>
            {move || shards_problem().map(|p| view! { <p class="controls__problem" role="alert" data-testid="shards-problem">{p}</p> })}

            <h2 class="card__title controls__subtitle">"Rehearsal room"</h2>
            <div class="rehearsal__fields">
                <label class="rehearsal__field">
                    <span>{format!("Attendees (1–{MAX_SIMULATED})")}</span>
                    <input
                        class="text-input rehearsal__number"
                        type="number"
                        min="1"
                        max=MAX_SIMULATED
                        data-testid="rehearsal-count"
                        bind:value=count
                    />
                </label>
                <label class="rehearsal__field">
                    <span>{interval_range}</span>
                    <input
                        class="text-input rehearsal__number"
                        type="number"
                        min=seconds(REHEARSAL_INTERVAL_MIN_MS)
                        max=seconds(REHEARSAL_INTERVAL_MAX_MS)
                        step="1"
                        data-testid="rehearsal-interval"
                        bind:value=interval
                    />
                </label>
                <button type="button" class="button" data-testid="rehearsal-set" on:click=set>
                    {move || if running.get() > 0 { "Set" } else { "Add" }}
                </button>
            </div>
            <p class="hint">"Simulated attendees, on the board like the others: each runs the classic check this often (with jitter)."</p>
            <p class="rehearsal__status">{move || status(rehearsal.get())}</p>
            {move || rehearsal_problem().map(|p| view! { <p class="controls__problem" role="alert" data-testid="rehearsal-problem">{p}</p> })}
            <div class="controls__buttons rehearsal__remove">
                <button
                    type="button"
                    class="button controls__danger"
                    data-testid="rehearsal-remove"
                    on:click=move |_| on_remove.run(())
                >
                    "Remove simulated attendees"
                </button>
            </div>
            {move || removed.get().map(|r| view! { <p class="hint" role="status" data-testid="rehearsal-removed">{r}</p> })}
        </div>
    }
}

/// "5 running · every 5 s · 132 runs so far", the numbers marked for tests.
fn status(rehearsal: Option<RehearsalState>) -> AnyView {
    let Some(r) = rehearsal else {
        return view! { <span class="muted">"Reading the rehearsal room…"</span> }.into_any();
    };
    let runs = if r.runs == 1 { "run" } else { "runs" };
    view! {
        <strong data-testid="rehearsal-running">{r.running}</strong>
        " running · every "
        {seconds(r.interval_ms)}
        " s · "
        <strong data-testid="rehearsal-runs">{r.runs}</strong>
        {format!(" {runs} so far")}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attendees_are_one_to_fifty() {
        assert_eq!(parse_attendees(" 12 "), Ok(12));
        assert!(parse_attendees("0").is_err());
        assert!(parse_attendees("51").is_err());
        assert!(parse_attendees("two").is_err());
    }

    #[test]
    fn the_interval_is_seconds_within_range() {
        assert_eq!(parse_interval("5"), Ok(5000));
        assert_eq!(parse_interval("2.5"), Ok(2500));
        assert_eq!(
            parse_interval("0.5").unwrap_err(),
            "The interval is seconds, 1–60."
        );
        assert!(parse_interval("61").is_err());
        assert!(parse_interval("NaN").is_err());
    }

    #[test]
    fn seconds_read_plainly() {
        assert_eq!(seconds(5000), "5");
        assert_eq!(seconds(2500), "2.5");
    }
}
