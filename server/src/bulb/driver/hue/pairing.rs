//! Pairing with a bridge: `POST /api` `{"devicetype"}` once a second until someone
//! presses the bridge's link button (or the wait ends); the bridge then answers a
//! username, which the server passes on every request (`--hue-username`).

use std::time::Duration;

use tokio::time::Instant;

use super::client::HueClient;
use super::errors::{HueApiError, HueError, HueErrorType};

/// How long each pairing attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(5);
/// Time between attempts, as Hue's guide suggests.
const ATTEMPT_EVERY: Duration = Duration::from_secs(1);

/// Pairing did not give a username.
#[derive(Debug, thiserror::Error)]
pub enum PairError {
    /// Nobody pressed the link button while we asked.
    #[error(
        "the link button was not pressed within {waited_s} s: press the round button on the bridge, then run this again"
    )]
    ButtonNotPressed {
        /// How long we asked, s.
        waited_s: u64,
    },
    /// The bridge refused for another reason.
    #[error("{0}")]
    Refused(HueApiError),
    /// The bridge could not be reached, or is not a Hue bridge.
    #[error(transparent)]
    Bridge(#[from] HueError),
}

/// Asks the bridge at `bridge` for a username as `devicetype` until the link button
/// is pressed or `wait` has passed; `waiting` hears the time left after each refusal
/// (for "press the link button… 55 s left").
pub async fn pair(
    bridge: &str,
    devicetype: &str,
    wait: Duration,
    mut waiting: impl FnMut(Duration),
) -> Result<String, PairError> {
    let client = HueClient::new(bridge, "", ATTEMPT_TIMEOUT)?;
    let until = Instant::now() + wait;
    loop {
        match client.create_user(devicetype).await? {
            Ok(username) => return Ok(username),
            Err(e) if e.kind == HueErrorType::LinkButtonNotPressed => {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(PairError::ButtonNotPressed {
                        waited_s: wait.as_secs(),
                    });
                }
                waiting(left);
                tokio::time::sleep(ATTEMPT_EVERY.min(left)).await;
            }
            Err(e) => return Err(PairError::Refused(e)),
        }
    }
}

/// The device type Bulbwatch pairs as: `bulbwatch#<host>`, held to Hue's limits (an
/// application name of at most 20 characters, a device name of at most 19).
pub fn devicetype_for(host: &str) -> String {
    let host: String = host
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
        .take(19)
        .collect();
    let host = if host.is_empty() {
        "laptop".into()
    } else {
        host
    };
    format!("bulbwatch#{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_device_type_names_the_host_within_hues_limits() {
        assert_eq!(devicetype_for("studio"), "bulbwatch#studio");
        assert_eq!(
            devicetype_for("a-very-long-host-name-indeed.local"),
            "bulbwatch#a-very-long-host-na"
        );
        assert_eq!(devicetype_for(" ☃ "), "bulbwatch#laptop");
    }
}
