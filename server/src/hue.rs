//! A Hue bridge for the virtual bulbs: the Hue local REST API v1 on a listener of
//! its own (`--hue-addr`), so that unmodified Hue apps and client libraries drive the
//! room's bulbs, one light per shard, through the same queue as the attendees.
//!
//! It follows Hue's conventions, not Bulbwatch's: every answer is a 200 with a list of
//! success and error items (or the resource itself), Hue's error types and wording,
//! bodies read as JSON whatever their Content-Type, trailing slashes accepted.
//! Pairing is Hue's: `POST /api` while the link button is pressed (the facilitator's
//! console opens a 30 s window) gives a username; only its SHA-256 is kept.
//!
//! What the bridge remembers beyond the bulbs (which of hue/sat, xy or ct an app set
//! last, effect, alert) is kept in memory here; the light names and the pairings are
//! in the store.

pub mod colour;
mod errors;
mod groups;
mod identity;
mod lights;
mod pairing;
mod router;
mod state_body;
mod writes;

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use bulbwatch_api::{Attendee, MAX_SHARDS};

pub use errors::HueError;
pub use identity::Identity;
pub use router::router;

use crate::error::AppError;
use crate::store::{PairedApp, Store, now_ms};
use state_body::Current;

/// How long the link button stays pressed, ms (a real bridge's 30 s).
pub const LINK_BUTTON_MS: i64 = 30_000;

/// Changes remembered per light for what Hue reports beside the bulb's colour.
const REMEMBERED: usize = 32;

const LIGHT_NAME_KEY: &str = "hue.light_name.";

/// Which of Hue's colour forms a light was last set in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shade {
    /// `"hs"`, `"xy"` or `"ct"`.
    pub colormode: &'static str,
    /// The chromaticity the light shows (in its gamut).
    pub xy: [f64; 2],
    /// The colour temperature, mired.
    pub ct: u16,
}

/// What the bridge keeps of one light besides the bulb's own state.
#[derive(Debug)]
struct LightBook {
    /// The shade each recent change of a Hue app asked for, by request id: what the
    /// light reports once that change is the one applied.
    shades: VecDeque<(String, Shade)>,
    /// The last change a Hue app queued and what the light is once it is applied.
    pending: Option<(String, Current)>,
    effect: &'static str,
    alert: &'static str,
}

impl Default for LightBook {
    fn default() -> Self {
        Self {
            shades: VecDeque::new(),
            pending: None,
            effect: "none",
            alert: "none",
        }
    }
}

/// The bridge's state; cheap to clone.
#[derive(Clone)]
pub struct HueBridge {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    identity: Identity,
    /// Paired apps by username hash.
    apps: RwLock<HashMap<String, PairedApp>>,
    link_open_until_ms: AtomicI64,
    address: RwLock<Option<SocketAddr>>,
    lights: Mutex<Vec<LightBook>>,
    names: RwLock<HashMap<u32, String>>,
}

impl HueBridge {
    /// Loads the bridge's identity (made at first start), its pairings and its light
    /// names from `store`.
    pub async fn load(store: Store) -> Result<Self, AppError> {
        let identity = Identity::load(&store).await?;
        let apps = store
            .hue_apps()
            .await?
            .into_iter()
            .map(|app| (app.username_hash.clone(), app))
            .collect();
        let mut names = HashMap::new();
        for (key, value) in store.settings_with_prefix(LIGHT_NAME_KEY).await? {
            if let Some(n) = key
                .strip_prefix(LIGHT_NAME_KEY)
                .and_then(|n| n.parse().ok())
            {
                names.insert(n, value);
            }
        }
        Ok(Self {
            inner: Arc::new(Inner {
                store,
                identity,
                apps: RwLock::new(apps),
                link_open_until_ms: AtomicI64::new(0),
                address: RwLock::new(None),
                lights: Mutex::new((0..MAX_SHARDS).map(|_| LightBook::default()).collect()),
                names: RwLock::new(names),
            }),
        })
    }

    /// The bridge's name, MAC and id.
    pub fn identity(&self) -> &Identity {
        &self.inner.identity
    }

    /// Presses the link button: apps may pair for the next 30 s. Returns until when.
    pub fn press_link_button(&self) -> i64 {
        let until = now_ms() + LINK_BUTTON_MS;
        self.inner.link_open_until_ms.store(until, Ordering::SeqCst);
        until
    }

    /// Until when apps may pair, while they may.
    pub fn link_open_until_ms(&self) -> Option<i64> {
        let until = self.inner.link_open_until_ms.load(Ordering::SeqCst);
        (until > now_ms()).then_some(until)
    }

    /// Records the address the Hue listener is bound to.
    pub fn set_address(&self, addr: SocketAddr) {
        *self
            .inner
            .address
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(addr);
    }

    /// The Hue listener's address, when it listens.
    pub fn address(&self) -> Option<SocketAddr> {
        *self
            .inner
            .address
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Where apps on the room's network reach the Hue listener: its address, or, when
    /// it listens on every interface, the host attendees reach the server at
    /// (`public_url`, `http://HOST:PORT`) with the Hue listener's port.
    pub fn reachable_address(&self, public_url: &str) -> Option<String> {
        self.address().map(|addr| reachable(addr, public_url))
    }

    /// Every paired app, in the order they paired.
    pub fn apps(&self) -> Vec<PairedApp> {
        let mut apps: Vec<PairedApp> = self
            .inner
            .apps
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        apps.sort_by(|a, b| {
            (a.paired_at_ms, &a.attendee_id).cmp(&(b.paired_at_ms, &b.attendee_id))
        });
        apps
    }

    /// The app `username` belongs to, if it is one the bridge gave out.
    pub fn app(&self, username: &str) -> Option<PairedApp> {
        let hash = crate::auth::token_hash(username);
        self.inner
            .apps
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&hash)
            .cloned()
    }

    fn add_app(&self, app: PairedApp) {
        self.inner
            .apps
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(app.username_hash.clone(), app);
    }

    /// Light `n`'s name (`n` is the shard): the one given, else "Bulbwatch bulb N+1".
    pub fn light_name(&self, shard: u32) -> String {
        self.inner
            .names
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&shard)
            .cloned()
            .unwrap_or_else(|| format!("Bulbwatch bulb {}", shard + 1))
    }

    /// Renames light `shard` and stores the name.
    pub async fn rename_light(&self, shard: u32, name: String) -> Result<(), AppError> {
        self.inner
            .store
            .set_setting(format!("{LIGHT_NAME_KEY}{shard}"), name.clone())
            .await?;
        self.inner
            .names
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(shard, name);
        Ok(())
    }

    fn with_light<R>(&self, shard: u32, f: impl FnOnce(&mut LightBook) -> R) -> R {
        let mut lights = self
            .inner
            .lights
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let index = (shard as usize).min(lights.len().saturating_sub(1));
        f(&mut lights[index])
    }

    /// Remembers the shade a change queued as `request_id` asked for.
    pub fn remember_shade(&self, shard: u32, request_id: String, shade: Shade) {
        self.with_light(shard, |book| {
            book.shades.push_back((request_id, shade));
            while book.shades.len() > REMEMBERED {
                book.shades.pop_front();
            }
        });
    }

    /// The shade change `request_id` asked for, when a Hue app made it recently.
    pub fn shade_of(&self, shard: u32, request_id: &str) -> Option<Shade> {
        self.with_light(shard, |book| {
            book.shades
                .iter()
                .rev()
                .find(|(id, _)| id == request_id)
                .map(|(_, shade)| *shade)
        })
    }

    /// Remembers that change `request_id`, queued by a Hue app, leaves light `shard`
    /// as `target`.
    fn remember_pending(&self, shard: u32, request_id: String, target: Current) {
        self.with_light(shard, |book| book.pending = Some((request_id, target)));
    }

    /// What light `shard` is once the change a Hue app queued last is applied, while
    /// it waits in the queue (`applied` is the change the bulb shows now).
    fn pending(&self, shard: u32, applied: Option<&str>, queued: u32) -> Option<Current> {
        self.with_light(shard, |book| {
            let waiting = match &book.pending {
                Some((id, target)) if queued > 0 && applied != Some(id.as_str()) => Some(*target),
                _ => None,
            };
            if waiting.is_none() {
                book.pending = None;
            }
            waiting
        })
    }

    /// Light `shard`'s effect and alert.
    pub fn effect_and_alert(&self, shard: u32) -> (&'static str, &'static str) {
        self.with_light(shard, |book| (book.effect, book.alert))
    }

    /// Sets light `shard`'s effect and/or alert.
    pub fn set_effect_and_alert(
        &self,
        shard: u32,
        effect: Option<&'static str>,
        alert: Option<&'static str>,
    ) {
        self.with_light(shard, |book| {
            if let Some(effect) = effect {
                book.effect = effect;
            }
            if let Some(alert) = alert {
                book.alert = alert;
            }
        });
    }
}

/// The attendee a paired app writes as: its device type is its name.
pub fn writer(app: &PairedApp) -> Attendee {
    Attendee {
        id: app.attendee_id.clone(),
        name: app.devicetype.clone(),
    }
}

/// `addr`, or `public_url`'s host with `addr`'s port when `addr` is every interface.
fn reachable(addr: SocketAddr, public_url: &str) -> String {
    let host = reqwest::Url::parse(public_url)
        .ok()
        .and_then(|url| url.host_str().map(str::to_string));
    match host {
        Some(host) if addr.ip().is_unspecified() => format!("{host}:{}", addr.port()),
        _ => addr.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apps_are_told_the_room_s_address_when_the_listener_takes_every_interface() {
        let every: SocketAddr = "0.0.0.0:8081".parse().unwrap();
        let public = "http://192.168.1.20:8080";
        assert_eq!(reachable(every, public), "192.168.1.20:8081");
        let one: SocketAddr = "127.0.0.1:8081".parse().unwrap();
        assert_eq!(reachable(one, public), "127.0.0.1:8081");
        assert_eq!(reachable(every, ""), "0.0.0.0:8081", "no public URL yet");
    }
}
