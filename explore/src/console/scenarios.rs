//! The failure scenarios, for the facilitator only (attendees find them): each with
//! what it does, where its cause shows (the root-cause columns, small), what it does
//! in this room now, its on/off switch, its setting and the query that reveals it;
//! above them the room's seed, which replays every random decision.

use bulbwatch_api::{ScenarioBoard, ScenarioSetting, ScenarioState, SetScenario};
use leptos::prelude::*;

/// Which control the last failed change came from, with the server's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PanelProblem {
    /// A scenario (its id).
    Scenario(String, String),
    /// The shard count.
    Shards(String),
    /// The rehearsal room.
    Rehearsal(String),
    /// Reading the scenario board.
    Reading(String),
}

impl PanelProblem {
    /// The message, when it is about scenario `id`.
    pub fn of_scenario(&self, id: &str) -> Option<String> {
        match self {
            Self::Scenario(at, message) if at == id => Some(message.clone()),
            _ => None,
        }
    }
}

/// Reads a scenario's setting field: a whole number within its range.
pub fn parse_setting(typed: &str, setting: &ScenarioSetting) -> Result<i64, String> {
    match typed.trim().parse::<i64>() {
        Ok(v) if (setting.min..=setting.max).contains(&v) => Ok(v),
        _ => Err(format!(
            "{} is a whole number of {}, {}–{}.",
            setting.label, setting.unit, setting.min, setting.max
        )),
    }
}

/// "Seed 123456 · start with --seed 123456 to replay".
pub fn seed_line(seed: u64) -> String {
    format!("Seed {seed} · start with --seed {seed} to replay")
}

/// The scenarios card; `on_change` gets `(id, change)`.
#[component]
pub fn ScenarioPanel(
    /// The scenario board, once read.
    #[prop(into)]
    board: Signal<Option<ScenarioBoard>>,
    /// A switch was flipped or a setting changed.
    on_change: Callback<(String, SetScenario)>,
    /// The last failed change, if any.
    #[prop(into)]
    problem: Signal<Option<PanelProblem>>,
) -> impl IntoView {
    let seed = Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.seed)));
    let shards = Memo::new(move |_| board.with(|b| b.as_ref().map_or(1, |b| b.shards)));
    let ids = Memo::new(move |_| {
        board.with(|b| {
            b.as_ref()
                .map(|b| b.scenarios.iter().map(|s| s.id.clone()).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    view! {
        <div class="card controls__card scenarios" data-testid="scenarios-panel">
            <div class="scenarios__head">
                <h2 class="card__title">"Scenarios"</h2>
                <span class="scenarios__seed" data-testid="room-seed">
                    {move || seed.get().map(seed_line)}
                </span>
            </div>
            {move || match problem.get() {
                Some(PanelProblem::Reading(p)) => Some(view! { <p class="controls__problem" role="alert" data-testid="scenarios-problem">{p}</p> }.into_any()),
                _ if board.with(Option::is_none) => Some(view! { <p class="muted">"Reading the scenarios…"</p> }.into_any()),
                _ => None,
            }}
            <ul class="control-list scenarios__list">
                <For each=move || ids.get() key=|id| id.clone() let:id>
                    <ScenarioRow board=board id=id shards=shards on_change=on_change problem=problem />
                </For>
            </ul>
        </div>
    }
}

/// One scenario's row.
#[component]
fn ScenarioRow(
    board: Signal<Option<ScenarioBoard>>,
    id: String,
    shards: Memo<u32>,
    on_change: Callback<(String, SetScenario)>,
    problem: Signal<Option<PanelProblem>>,
) -> impl IntoView {
    let scenario = {
        let id = id.clone();
        Memo::new(move |_| {
            board.with(|b| {
                b.as_ref()
                    .and_then(|b| b.scenarios.iter().find(|s| s.id == id).cloned())
            })
        })
    };
    let Some(first) = scenario.get_untracked() else {
        return ().into_any();
    };
    let on = move || scenario.with(|s| s.as_ref().is_some_and(|s| s.on));
    let detail = move || scenario.with(|s| s.as_ref().and_then(|s| s.detail.clone()));
    let local_problem = RwSignal::new(None::<String>);
    let shown_problem = {
        let id = id.clone();
        move || {
            local_problem
                .get()
                .or_else(|| problem.with(|p| p.as_ref().and_then(|p| p.of_scenario(&id))))
        }
    };
    let toggle = {
        let id = id.clone();
        move |_| {
            local_problem.set(None);
            let change = SetScenario {
                on: !on(),
                value: None,
            };
            on_change.run((id.clone(), change));
        }
    };
    let needs_shards = first.needs_shards;
    let notes = move || {
        if first.always_on {
            Some("Always on: it cannot be switched off.")
        } else if needs_shards && shards.get() <= 1 {
            Some("needs 2+ shards")
        } else {
            None
        }
    };
    let setting = first
        .setting
        .clone()
        .map(|setting| setting_field(&id, setting, scenario, on_change, local_problem));
    let causes = first
        .root_cause
        .iter()
        .map(|column| view! { <code class="scenario__column">{column.clone()}</code> })
        .collect_view();
    let ScenarioState {
        title,
        brief,
        always_on,
        explore_url,
        ..
    } = first;
    view! {
        <li
            class="control-list__item scenario"
            class:scenario--on=on
            data-testid=format!("scenario-{id}")
            data-on=move || on().to_string()
        >
            <div class="scenario__text">
                <span class="control-list__title scenario__title">{title.clone()}</span>
                <span class="control-list__description">{brief}</span>
                <span class="scenario__cause">"Root cause: " {causes}</span>
                {move || detail().map(|d| view! { <span class="scenario__detail" data-testid="scenario-detail">{d}</span> })}
                <span class="scenario__tools">
                    {setting}
                    <a
                        class="scenario__query"
                        href=explore_url
                        target="_blank"
                        rel="noopener"
                        data-testid=format!("scenario-query-{id}")
                    >
                        "Revealing query ↗"
                    </a>
                </span>
                {move || notes().map(|n| view! { <span class="scenario__note" data-testid="scenario-note">{n}</span> })}
                {move || shown_problem().map(|p| view! { <span class="controls__problem" role="alert" data-testid="scenario-problem">{p}</span> })}
            </div>
            <button
                type="button"
                role="switch"
                class="switch"
                data-testid=format!("scenario-toggle-{id}")
                aria-checked=move || on().to_string()
                aria-label=title
                disabled=always_on
                on:click=toggle
            >
                <span class="switch__knob" aria-hidden="true"></span>
            </button>
        </li>
    }
    .into_any()
}

/// The setting's number field (label, unit, min–max), applied on change.
fn setting_field(
    id: &str,
    setting: ScenarioSetting,
    scenario: Memo<Option<ScenarioState>>,
    on_change: Callback<(String, SetScenario)>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let field = format!("scenario-value-{id}");
    let label = format!(
        "{}, {} ({}–{})",
        setting.label, setting.unit, setting.min, setting.max
    );
    let value = move || {
        scenario.with(|s| {
            s.as_ref()
                .and_then(|s| s.setting.as_ref())
                .map(|s| s.value.to_string())
                .unwrap_or_default()
        })
    };
    let id = id.to_string();
    let (min, max) = (setting.min, setting.max);
    let on_value = move |ev: web_sys::Event| match parse_setting(&event_target_value(&ev), &setting)
    {
        Ok(v) => {
            problem.set(None);
            let on = scenario.with_untracked(|s| s.as_ref().is_some_and(|s| s.on));
            on_change.run((id.clone(), SetScenario { on, value: Some(v) }));
        }
        Err(message) => problem.set(Some(message)),
    };
    view! {
        <label class="scenario__setting">
            <span>{label}</span>
            <input
                class="text-input scenario__value"
                type="number"
                min=min
                max=max
                data-testid=field
                aria-invalid=move || problem.with(Option::is_some).to_string()
                prop:value=value
                on:change=on_value
            />
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_setting_is_a_whole_number_in_its_range() {
        let setting = ScenarioSetting {
            label: "Queue delay".into(),
            unit: "ms".into(),
            value: 400,
            min: 0,
            max: 2000,
        };
        assert_eq!(parse_setting(" 1500 ", &setting), Ok(1500));
        assert_eq!(parse_setting("0", &setting), Ok(0));
        let err = parse_setting("2001", &setting).unwrap_err();
        assert_eq!(err, "Queue delay is a whole number of ms, 0–2000.");
        assert!(parse_setting("1.5", &setting).is_err());
    }

    #[test]
    fn the_seed_says_how_to_replay_it() {
        assert_eq!(
            seed_line(123_456),
            "Seed 123456 · start with --seed 123456 to replay"
        );
    }

    #[test]
    fn a_problem_belongs_to_its_scenario() {
        let p = PanelProblem::Scenario("busy_queue".into(), "no".into());
        assert_eq!(p.of_scenario("busy_queue").as_deref(), Some("no"));
        assert_eq!(p.of_scenario("flaky_green"), None);
        assert_eq!(PanelProblem::Shards("no".into()).of_scenario("x"), None);
    }
}
