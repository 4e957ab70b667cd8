//! What the driver finds on the bridge at start: each light's name and whether it is
//! reachable, or why it cannot drive them, in words that say what to do.

use bulbwatch_api::{DriverLight, DriverStatus};

use super::client::HueClient;
use super::errors::{HueError, HueErrorType};

/// Reads each light (`GET /api/<username>/lights/<id>`). A bridge that cannot be
/// reached, or does not know the username, is asked only once.
pub(super) async fn probe(client: &HueClient, lights: &[String]) -> DriverStatus {
    let bridge = client.bridge().to_string();
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut bridge_failed = false;
    for (shard, id) in (0u32..).zip(lights) {
        let mut light = DriverLight {
            shard,
            id: id.clone(),
            name: None,
            reachable: false,
        };
        if !bridge_failed {
            match client.light(id).await {
                Ok(answer) => {
                    if !answer.reachable {
                        problems.push(format!(
                            "light {id} (\"{}\") is not reachable from the bridge: is it switched on at the wall?",
                            answer.name
                        ));
                    }
                    light.name = Some(answer.name);
                    light.reachable = answer.reachable;
                }
                Err(HueError::Api(e)) if e.kind == HueErrorType::ResourceNotAvailable => {
                    problems.push(missing(client, id).await);
                }
                Err(HueError::Api(e)) if e.kind == HueErrorType::UnauthorizedUser => {
                    bridge_failed = true;
                    problems.push(format!(
                        "the bridge at {bridge} does not know this username ({e}): run `bulbwatch hue pair --bridge {bridge}` and start with the username it prints (--hue-username)"
                    ));
                }
                Err(e) => {
                    bridge_failed = e.api().is_none();
                    problems.push(e.to_string());
                }
            }
        }
        found.push(light);
    }
    DriverStatus {
        driver: "hue".into(),
        bridge: Some(bridge),
        lights: found,
        problem: (!problems.is_empty()).then(|| problems.join("; ")),
    }
}

/// "Light 9 is not on the bridge", with the ids it has.
async fn missing(client: &HueClient, id: &str) -> String {
    let has = match client.lights().await {
        Ok(lights) if lights.is_empty() => "it has no lights".to_string(),
        Ok(lights) => format!(
            "it has {}",
            lights
                .iter()
                .map(|(id, name)| format!("{id} (\"{name}\")"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Err(_) => "its lights could not be listed".to_string(),
    };
    format!(
        "light {id} is not on the bridge at {}: {has}; fix --hue-lights (BULBWATCH_HUE_LIGHTS)",
        client.bridge()
    )
}
