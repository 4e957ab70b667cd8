//! The facilitator's bulbs: which driver sets them (the virtual bulb, or which Hue
//! bridge and lights, or why it cannot), and the Hue-compatible API for Hue apps: its
//! address, the link button (30 s to pair, like a real bridge's) and the paired apps.

use bulbwatch_api::{DriverStatus, HueBridgeState};
use bulbwatch_app::api::{ApiFailure, send};
use gloo_net::http::Request;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// `GET /api/room/driver`.
async fn driver() -> Result<DriverStatus, ApiFailure> {
    send(
        "reading the bulb driver",
        Request::get("/api/room/driver").build(),
    )
    .await
}

/// `GET /api/room/hue`.
async fn hue() -> Result<HueBridgeState, ApiFailure> {
    send(
        "reading the Hue-compatible API",
        Request::get("/api/room/hue").build(),
    )
    .await
}

/// `POST /api/room/hue/link-button`.
async fn press_link_button() -> Result<HueBridgeState, ApiFailure> {
    send(
        "pressing the link button",
        Request::post("/api/room/hue/link-button").build(),
    )
    .await
}

/// The driver in words: what sets the bulbs.
pub fn driver_line(status: &DriverStatus) -> String {
    match status.bridge.as_deref() {
        None => "The virtual bulb: every page shows it.".into(),
        Some(bridge) => {
            let lights = status
                .lights
                .iter()
                .map(|l| {
                    let name = l.name.as_deref().unwrap_or("not found");
                    let reach = if l.reachable { "" } else { ", unreachable" };
                    format!("shard {} → light {} ({name}{reach})", l.shard, l.id)
                })
                .collect::<Vec<_>>()
                .join(" · ");
            format!("Hue bridge {bridge}: {lights}")
        }
    }
}

/// How long the link button stays pressed, s (as on a real bridge).
const PAIRING_WINDOW_S: i64 = 30;

/// Seconds left to pair at `now_ms`, while the link button is pressed (never more
/// than the window, should this browser's clock run behind the server's).
pub fn pairing_left_s(state: &HueBridgeState, now_ms: i64) -> Option<i64> {
    state
        .link_button_open_until_ms
        .map(|until| ((until - now_ms + 999) / 1000).min(PAIRING_WINDOW_S))
        .filter(|left| *left > 0)
}

/// The panel; it reads the server every `every` while the console is open.
#[component]
pub fn BulbsPanel(
    /// Now, in milliseconds since the Unix epoch.
    #[prop(into)]
    now_ms: Signal<i64>,
) -> impl IntoView {
    let status = RwSignal::new(None::<DriverStatus>);
    let bridge = RwSignal::new(None::<HueBridgeState>);
    let problem = RwSignal::new(None::<String>);
    let load = move || {
        spawn_local(async move {
            match driver().await {
                Ok(found) => {
                    status.try_set(Some(found));
                }
                Err(failure) => {
                    problem.try_set(Some(failure.message));
                }
            }
            match hue().await {
                Ok(found) => {
                    bridge.try_set(Some(found));
                }
                Err(failure) => {
                    problem.try_set(Some(failure.message));
                }
            }
        });
    };
    load();
    if let Ok(handle) = set_interval_with_handle(load, std::time::Duration::from_secs(3)) {
        on_cleanup(move || handle.clear());
    }
    let press = move |_| {
        spawn_local(async move {
            match press_link_button().await {
                Ok(found) => {
                    problem.try_set(None);
                    bridge.try_set(Some(found));
                }
                Err(failure) => {
                    problem.try_set(Some(failure.message));
                }
            }
        });
    };
    let left = move || bridge.with(|b| b.as_ref().and_then(|b| pairing_left_s(b, now_ms.get())));
    let hue_api = move || {
        bridge.with(|b| match b.as_ref().and_then(|b| b.address.clone()) {
            None => view! {
                <p class="muted" data-testid="hue-api-off">
                    "Hue apps: off. Start with " <code>"--hue-addr 0.0.0.0:8081"</code>
                    " to let any Hue app or library drive the room's bulbs."
                </p>
            }
            .into_any(),
            Some(address) => {
                let apps = b.as_ref().map(|b| b.apps.clone()).unwrap_or_default();
                let paired = if apps.is_empty() {
                    "No app has paired yet.".to_string()
                } else {
                    let names = apps
                        .iter()
                        .map(|a| a.devicetype.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!("Paired: {names}")
                };
                view! {
                    <p data-testid="hue-api-address">
                        "Hue apps: a bridge at " <strong>{address}</strong>
                    </p>
                    <div class="bulbs-panel__pair">
                        <button
                            type="button"
                            class="button"
                            data-testid="hue-link-button"
                            on:click=press
                        >
                            "Press the link button"
                        </button>
                        <span data-testid="hue-pairing" aria-live="polite">
                            {move || match left() {
                                Some(s) => format!("Pair now: {s} s left"),
                                None => "Apps pair within 30 s of a press.".into(),
                            }}
                        </span>
                    </div>
                    <p class="muted" data-testid="hue-apps">{paired}</p>
                }
                .into_any()
            }
        })
    };
    view! {
        <div class="card controls__card bulbs-panel" data-testid="bulbs-panel">
            <h2 class="card__title">"Bulbs"</h2>
            <p data-testid="driver-line">
                {move || status.with(|s| s.as_ref().map(driver_line).unwrap_or_default())}
            </p>
            {move || {
                status
                    .with(|s| s.as_ref().and_then(|s| s.problem.clone()))
                    .map(|p| view! { <p class="console__problem" role="alert" data-testid="driver-problem">{p}</p> })
            }}
            {hue_api}
            {move || problem.get().map(|p| view! { <p class="console__problem" role="alert">{p}</p> })}
        </div>
    }
}
