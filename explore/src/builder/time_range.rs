//! The time range (since the first event, presets ending now, or a custom start and
//! end) and the bucket width (automatic, or one that suits the range).

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::choice_select::ChoiceSelect;
use super::draft::Draft;
use super::time_choice::{
    FIT_RANGE_DEFAULT_S, TIME_PRESETS, TimeChoice, duration_label, fit_label, granularity_choices,
};

/// The select value of the custom range.
const CUSTOM: &str = "custom";
/// The select value of the range fitted to the data.
const FIT: &str = "fit";

/// A moment as a `datetime-local` field writes it, in the browser's time zone.
pub fn local_text(unix_s: i64) -> String {
    let d = js_sys::Date::new(&JsValue::from_f64(unix_s as f64 * 1000.0));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The moment a `datetime-local` field's text means, Unix seconds.
pub fn parse_local(text: &str) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&JsValue::from_str(text)).get_time();
    ms.is_finite().then(|| (ms / 1000.0).floor() as i64)
}

/// Now, Unix seconds.
fn now_s() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// Since the first event, the presets, the custom range, and its two fields when
/// chosen.
#[component]
pub fn TimeRange(
    /// The form.
    draft: RwSignal<Draft>,
) -> impl IntoView {
    let time = Memo::new(move |_| draft.with(|d| d.time));
    let current = Signal::derive(move || match time.get() {
        TimeChoice::Fit(_) => FIT.to_owned(),
        TimeChoice::Last(s) => s.to_string(),
        TimeChoice::Between { .. } => CUSTOM.to_owned(),
    });
    // The fitted range keeps its longest window while chosen (a revealing query's
    // 2 h); chosen anew, it is the default's.
    let fit_longest = move || match time.get() {
        TimeChoice::Fit(s) => s,
        _ => FIT_RANGE_DEFAULT_S,
    };
    let choose = Callback::new(move |value: String| {
        let previous = time.get_untracked();
        let next = if value == FIT {
            match previous {
                TimeChoice::Fit(_) => previous,
                _ => TimeChoice::Fit(FIT_RANGE_DEFAULT_S),
            }
        } else if value == CUSTOM {
            let end = now_s();
            let length = previous.seconds().unwrap_or(3600) as i64;
            TimeChoice::Between {
                start: Some(end - length),
                end: Some(end),
            }
        } else {
            match value.parse::<u64>() {
                Ok(s) => TimeChoice::Last(s),
                Err(_) => return,
            }
        };
        draft.update(|d| {
            d.time = next;
            keep_granularity_valid(d);
        });
    });
    let choices = Signal::derive(move || {
        let mut presets = TIME_PRESETS.to_vec();
        if let TimeChoice::Last(s) = time.get()
            && !TIME_PRESETS.contains(&s)
        {
            presets.push(s);
        }
        let mut values = vec![(FIT.to_owned(), fit_label(fit_longest()))];
        values.extend(
            presets
                .into_iter()
                .map(|s| (s.to_string(), format!("last {}", duration_label(s)))),
        );
        values.push((CUSTOM.to_owned(), "custom…".to_owned()));
        values
    });
    view! {
        <fieldset class="builder__section">
            <legend class="builder__heading">"Time range"</legend>
            <ChoiceSelect
                class="builder__select"
                testid="time-range"
                label="Time range"
                choices=choices
                value=current
                on_change=choose
            />
            <Show when=move || matches!(time.get(), TimeChoice::Between { .. })>
                <div class="builder__custom">
                    <MomentField draft=draft time=time start=true />
                    <MomentField draft=draft time=time start=false />
                </div>
            </Show>
        </fieldset>
    }
}

/// One end of the custom range (`start`, or else the end) as a `datetime-local` field.
#[component]
fn MomentField(draft: RwSignal<Draft>, time: Memo<TimeChoice>, start: bool) -> impl IntoView {
    let text = move || {
        time.with(|t| match *t {
            TimeChoice::Between { start: s, end: e } => (if start { s } else { e })
                .map(local_text)
                .unwrap_or_default(),
            TimeChoice::Fit(_) | TimeChoice::Last(_) => String::new(),
        })
    };
    let set = move |ev| {
        let at = parse_local(&event_target_value(&ev));
        draft.update(|d| {
            if let TimeChoice::Between { start: s, end: e } = &mut d.time {
                if start { *s = at } else { *e = at }
            }
            keep_granularity_valid(d);
        });
    };
    view! {
        <label class="builder__inline">
            {if start { "from" } else { "to" }}
            <input
                class="builder__input"
                type="datetime-local"
                data-testid=if start { "time-start" } else { "time-end" }
                prop:value=text
                on:change=set
            />
        </label>
    }
}

/// Back to automatic buckets when the chosen width no longer suits the range.
fn keep_granularity_valid(d: &mut Draft) {
    if let (Some(g), Some(range)) = (d.granularity, d.time.seconds())
        && !granularity_choices(range).contains(&g)
    {
        d.granularity = None;
    }
}

/// Automatic, or a bucket width that suits the range.
#[component]
pub fn Granularity(
    /// The form.
    draft: RwSignal<Draft>,
) -> impl IntoView {
    let state = Memo::new(move |_| draft.with(|d| (d.granularity, d.time.seconds())));
    let current = Signal::derive(move || state.get().0.map(|g| g.to_string()).unwrap_or_default());
    let choices = Signal::derive(move || {
        let (chosen, range) = state.get();
        let mut widths = range.map(granularity_choices).unwrap_or_default();
        if let Some(g) = chosen
            && !widths.contains(&g)
        {
            widths.push(g);
        }
        let mut values = vec![(String::new(), "auto".to_owned())];
        values.extend(
            widths
                .into_iter()
                .map(|g| (g.to_string(), duration_label(g))),
        );
        values
    });
    view! {
        <label class="builder__section builder__small">
            <span class="builder__heading">"Buckets"</span>
            <ChoiceSelect
                class="builder__select"
                testid="granularity"
                label="Time bucket width"
                choices=choices
                value=current
                on_change=Callback::new(move |text: String| {
                    let g = text.parse::<u64>().ok();
                    draft.update(|d| d.granularity = g);
                })
            />
        </label>
    }
}
