//! Pairing: `POST /api` with `{"devicetype": "app#device"}` while the link button is
//! pressed gives the app a username (and, when asked, a client key). Any number of
//! apps may pair while it is pressed. The app is then one more writer in the room:
//! an attendee row whose name is its device type.

use serde_json::{Value, json};

use super::HueBridge;
use super::errors::HueError;
use crate::error::AppError;
use crate::store::{PairedApp, now_ms};

/// Longest device type Hue takes (`<app, 20>#<device, 19>`).
pub const MAX_DEVICETYPE_CHARS: usize = 40;

impl HueBridge {
    /// Answers a `POST /api` body: the success item with the new username, or the
    /// error item (invalid body, link button not pressed).
    pub async fn pair(&self, body: Result<Value, HueError>) -> Result<Value, AppError> {
        let Ok(Value::Object(body)) = body else {
            return Ok(json!([HueError::invalid_json().item()]));
        };
        let devicetype = match body.get("devicetype") {
            None => return Ok(json!([HueError::missing_parameters("").item()])),
            Some(Value::String(s))
                if !s.trim().is_empty() && s.chars().count() <= MAX_DEVICETYPE_CHARS =>
            {
                s.trim().to_string()
            }
            Some(other) => {
                return Ok(json!([HueError::invalid_value(
                    "/devicetype",
                    "devicetype",
                    other
                )
                .item()]));
            }
        };
        let client_key = match body.get("generateclientkey") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Ok(json!([HueError::invalid_value(
                    "/generateclientkey",
                    "generateclientkey",
                    other
                )
                .item()]));
            }
        };
        if self.link_open_until_ms().is_none() {
            return Ok(json!([HueError::link_button_not_pressed().item()]));
        }
        // 160 random bits as 40 hex characters, as long as a real bridge's usernames.
        let username = crate::auth::new_token()?[..40].to_string();
        let app = PairedApp {
            username_hash: crate::auth::token_hash(&username),
            attendee_id: format!("hue-{}", uuid::Uuid::new_v4().simple()),
            devicetype,
            paired_at_ms: now_ms(),
        };
        self.inner.store.insert_hue_app(app.clone()).await?;
        tracing::info!(devicetype = %app.devicetype, "a Hue app paired");
        self.add_app(app);
        let mut answer = serde_json::Map::new();
        answer.insert("username".into(), Value::String(username));
        if client_key {
            let key = crate::auth::new_token()?[..32].to_ascii_uppercase();
            answer.insert("clientkey".into(), Value::String(key));
        }
        Ok(json!([{ "success": Value::Object(answer) }]))
    }
}
