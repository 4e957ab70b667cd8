//! The room the facilitator runs: the facilitator's secret, the join code, the phase,
//! the room switches and the reveal. Every change is saved (SQLite settings) before
//! it is answered, and every open page hears of it (the `room` live event).

mod join_code;
pub mod reveal;
mod switches;

use std::sync::{Arc, RwLock};

use bulbwatch_api::{Phase, Reveal, RoomState};
use tokio::sync::broadcast;

pub use join_code::{new_join_code, normalise_join_code};
pub use switches::SwitchId;

use crate::auth::{new_token, token_hash};
use crate::error::AppError;
use crate::store::{Store, now_ms};

const PHASE: &str = "room.phase";
const PHASE_SINCE: &str = "room.phase_since_ms";
const REVEAL: &str = "room.reveal";
const JOIN_CODE: &str = "room.join_code";
const FACILITATOR_TOKEN: &str = "facilitator.token";
/// The base URL attendees reach the server at (for the join URL).
pub const PUBLIC_URL: &str = "server.public_url";
/// The base URL the facilitator's own machine reaches it at (for the console URL).
pub const LOCAL_URL: &str = "server.local_url";

/// The room; cheap to clone.
#[derive(Clone)]
pub struct Room {
    store: Store,
    inner: Arc<RwLock<Inner>>,
    updates: broadcast::Sender<RoomState>,
}

struct Inner {
    phase: Phase,
    phase_since_ms: i64,
    switches: Vec<(SwitchId, bool)>,
    reveal: Option<Reveal>,
    join_code: String,
    facilitator_token: String,
    facilitator_hash: String,
    public_url: String,
    local_url: String,
    shards: u32,
}

impl Room {
    /// Loads the room from `store`, making the facilitator's secret and the join code
    /// at first start. `facilitator_token`, when given, replaces the stored secret.
    pub async fn load(store: Store, facilitator_token: Option<String>) -> Result<Self, AppError> {
        let facilitator_token = match facilitator_token.filter(|t| !t.trim().is_empty()) {
            Some(token) => {
                let token = token.trim().to_string();
                store.set_setting(FACILITATOR_TOKEN, token.clone()).await?;
                token
            }
            None => match store.setting(FACILITATOR_TOKEN).await? {
                Some(token) => token,
                None => {
                    let token = new_token()?;
                    store.set_setting(FACILITATOR_TOKEN, token.clone()).await?;
                    token
                }
            },
        };
        let join_code = match store.setting(JOIN_CODE).await? {
            Some(code) => code,
            None => {
                let code = new_join_code()?;
                store.set_setting(JOIN_CODE, code.clone()).await?;
                code
            }
        };
        let phase = store
            .setting(PHASE)
            .await?
            .and_then(|p| Phase::from_key(&p))
            .unwrap_or_default();
        let phase_since_ms = store
            .setting(PHASE_SINCE)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let reveal = store
            .setting(REVEAL)
            .await?
            .and_then(|json| serde_json::from_str(&json).ok());
        let mut switches = Vec::new();
        for id in SwitchId::ALL {
            let on = store.setting(id.setting_key()).await?.as_deref() == Some("on");
            switches.push((id, on));
        }
        let (updates, _) = broadcast::channel(16);
        Ok(Self {
            store,
            inner: Arc::new(RwLock::new(Inner {
                phase,
                phase_since_ms,
                switches,
                reveal,
                join_code,
                facilitator_hash: token_hash(&facilitator_token),
                facilitator_token,
                public_url: String::new(),
                local_url: String::new(),
                shards: 1,
            })),
            updates,
        })
    }

    fn read<R>(&self, f: impl FnOnce(&Inner) -> R) -> R {
        f(&self
            .inner
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    fn write(&self, f: impl FnOnce(&mut Inner)) {
        f(&mut self
            .inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner));
        let _ = self.updates.send(self.state());
    }

    /// What every page shows.
    pub fn state(&self) -> RoomState {
        self.read(|inner| RoomState {
            phase: inner.phase,
            phase_since_ms: inner.phase_since_ms,
            switches: inner
                .switches
                .iter()
                .map(|(id, on)| id.describe(*on))
                .collect(),
            attendees_switch_points: switch_on(inner, SwitchId::AttendeesSwitchPoints),
            reveal: inner.reveal.clone(),
            shards: inner.shards,
        })
    }

    /// Every change of the room, as it happens.
    pub fn subscribe(&self) -> broadcast::Receiver<RoomState> {
        self.updates.subscribe()
    }

    /// Whether `token` is the facilitator's secret.
    pub fn is_facilitator_token(&self, token: &str) -> bool {
        let hash = token_hash(token);
        self.read(|inner| inner.facilitator_hash == hash)
    }

    /// The facilitator's secret, for the console URL.
    pub fn facilitator_token(&self) -> String {
        self.read(|inner| inner.facilitator_token.clone())
    }

    /// Records where the server is reached: `public` by the room (the join URL),
    /// `local` from this machine (the console URL); saved for `bulbwatch
    /// facilitator-url`.
    pub async fn set_urls(&self, public: String, local: String) -> Result<(), AppError> {
        self.store.set_setting(PUBLIC_URL, public.clone()).await?;
        self.store.set_setting(LOCAL_URL, local.clone()).await?;
        let mut inner = self
            .inner
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.public_url = public;
        inner.local_url = local;
        Ok(())
    }

    /// The base URL this machine reaches the server at (empty before it listens).
    pub fn local_url(&self) -> String {
        self.read(|inner| inner.local_url.clone())
    }

    /// The base URL attendees reach the server at (`http://HOST:PORT`).
    pub fn public_url(&self) -> String {
        self.read(|inner| inner.public_url.clone())
    }

    /// The address attendees open: `http://HOST:PORT/join/CODE`.
    pub fn join_url(&self) -> String {
        self.read(|inner| join_url(&inner.public_url, &inner.join_code))
    }

    /// The facilitator's console link, with the secret.
    pub fn console_url(&self) -> String {
        self.read(|inner| console_url(&inner.local_url, &inner.facilitator_token))
    }

    /// The join code.
    pub fn join_code(&self) -> String {
        self.read(|inner| inner.join_code.clone())
    }

    /// Whether `typed` is the join code (any case, spaces and dashes ignored).
    pub fn accepts_join_code(&self, typed: &str) -> bool {
        let typed = normalise_join_code(typed);
        self.read(|inner| inner.join_code == typed)
    }

    /// Sets the join code (a new random one when `None`); joined attendees stay.
    pub async fn set_join_code(&self, code: Option<&str>) -> Result<String, AppError> {
        let code = match code {
            Some(typed) => join_code::validate(typed)?,
            None => new_join_code()?,
        };
        self.store.set_setting(JOIN_CODE, code.clone()).await?;
        self.write(|inner| inner.join_code = code.clone());
        Ok(code)
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.read(|inner| inner.phase)
    }

    /// Moves to `phase`.
    pub async fn set_phase(&self, phase: Phase) -> Result<RoomState, AppError> {
        let since = now_ms();
        self.store
            .set_setting(PHASE, phase.key().to_string())
            .await?;
        self.store
            .set_setting(PHASE_SINCE, since.to_string())
            .await?;
        self.write(|inner| {
            inner.phase = phase;
            inner.phase_since_ms = since;
        });
        Ok(self.state())
    }

    /// Whether a room switch is on.
    pub fn switch(&self, id: SwitchId) -> bool {
        self.read(|inner| switch_on(inner, id))
    }

    /// Switches a room switch.
    pub async fn set_switch(&self, id: SwitchId, on: bool) -> Result<RoomState, AppError> {
        let value = if on { "on" } else { "off" };
        self.store
            .set_setting(id.setting_key(), value.to_string())
            .await?;
        self.write(|inner| {
            for (switch, state) in &mut inner.switches {
                if *switch == id {
                    *state = on;
                }
            }
        });
        Ok(self.state())
    }

    /// Tells every page how many shards the bulb service has now (the bulb service
    /// keeps the count).
    pub fn show_shards(&self, shards: u32) {
        self.write(|inner| inner.shards = shards);
    }

    /// Shows `reveal` on every page, or hides it (`None`).
    pub async fn set_reveal(&self, reveal: Option<Reveal>) -> Result<RoomState, AppError> {
        let json = match &reveal {
            Some(reveal) => serde_json::to_string(reveal)
                .map_err(|e| AppError::internal("encoding the reveal", e))?,
            None => "null".to_string(),
        };
        self.store.set_setting(REVEAL, json).await?;
        self.write(|inner| inner.reveal = reveal);
        Ok(self.state())
    }

    /// A new session starts in the lobby with nothing revealed; the join code, the
    /// facilitator's secret and the switches stay.
    pub async fn restart_session(&self) -> Result<RoomState, AppError> {
        self.set_reveal(None).await?;
        self.set_phase(Phase::Lobby).await
    }
}

/// `{base}/join/{code}`.
pub fn join_url(base: &str, code: &str) -> String {
    format!("{}/join/{code}", base.trim_end_matches('/'))
}

/// `{base}/facilitator/login?token={secret}`.
pub fn console_url(base: &str, token: &str) -> String {
    format!(
        "{}/facilitator/login?token={token}",
        base.trim_end_matches('/')
    )
}

/// The console and join URLs of the server that last ran on `store` (for
/// `bulbwatch facilitator-url`): `None` until a server has started there.
pub async fn saved_urls(store: &Store) -> Result<Option<(String, String)>, AppError> {
    let (Some(local), Some(public), Some(token), Some(code)) = (
        store.setting(LOCAL_URL).await?,
        store.setting(PUBLIC_URL).await?,
        store.setting(FACILITATOR_TOKEN).await?,
        store.setting(JOIN_CODE).await?,
    ) else {
        return Ok(None);
    };
    Ok(Some((
        console_url(&local, &token),
        join_url(&public, &code),
    )))
}

fn switch_on(inner: &Inner, id: SwitchId) -> bool {
    inner
        .switches
        .iter()
        .any(|(switch, on)| *switch == id && *on)
}
