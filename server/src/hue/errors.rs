//! Hue's answers: a list of items, each `{"success": {address: value}}` or
//! `{"error": {"type", "address", "description"}}`, always in a 200. The types and
//! their wording are Hue's own (local REST API v1).

use serde_json::{Value, json};

/// One error item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HueError {
    /// Hue's error type.
    pub kind: u16,
    /// The resource or parameter at fault, `/lights/1/state/bri`.
    pub address: String,
    /// Hue's description.
    pub description: String,
}

impl HueError {
    fn new(kind: u16, address: impl Into<String>, description: String) -> Self {
        Self {
            kind,
            address: address.into(),
            description,
        }
    }

    /// 1: no username, or one the bridge does not know.
    pub fn unauthorized(address: &str) -> Self {
        Self::new(1, address, "unauthorized user".into())
    }

    /// 2: the body is not JSON (or not an object).
    pub fn invalid_json() -> Self {
        Self::new(2, "", "body contains invalid json".into())
    }

    /// 3: no such resource (`/lights/9`).
    pub fn not_available(resource: &str) -> Self {
        Self::new(3, resource, format!("resource, {resource}, not available"))
    }

    /// 4: the resource exists but not for this method.
    pub fn method(method: &str, resource: &str) -> Self {
        Self::new(
            4,
            resource,
            format!("method, {method}, not available for resource, {resource}"),
        )
    }

    /// 5: nothing to do in the body, or a required parameter missing.
    pub fn missing_parameters(address: &str) -> Self {
        Self::new(5, address, "invalid/missing parameters in body".into())
    }

    /// 6: a parameter the resource does not have.
    pub fn parameter_not_available(address: &str, parameter: &str) -> Self {
        Self::new(6, address, format!("parameter, {parameter}, not available"))
    }

    /// 7: a value of the wrong type or out of range.
    pub fn invalid_value(address: &str, parameter: &str, value: &Value) -> Self {
        let shown = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        Self::new(
            7,
            address,
            format!("invalid value, {shown}, for parameter, {parameter}"),
        )
    }

    /// 8: a parameter that can be read but not set.
    pub fn not_modifiable(address: &str, parameter: &str) -> Self {
        Self::new(
            8,
            address,
            format!("parameter, {parameter}, is not modifiable"),
        )
    }

    /// 101: pairing while the link button is not pressed.
    pub fn link_button_not_pressed() -> Self {
        Self::new(101, "", "link button not pressed".into())
    }

    /// 201: a colour or brightness change for a light that is off.
    pub fn device_off(address: &str, parameter: &str) -> Self {
        Self::new(
            201,
            address,
            format!("parameter, {parameter}, is not modifiable. Device is set to off."),
        )
    }

    /// 901: the bridge could not do it now; `code` says why (429: this app's rate
    /// limit, 503: the bulb's queue is full, 500: anything else), `detail` how long
    /// to wait or what failed.
    pub fn internal(address: &str, code: u16, detail: &str) -> Self {
        Self::new(901, address, format!("Internal error, {code} ({detail})"))
    }

    /// As an item of an answer's list.
    pub fn item(&self) -> Value {
        json!({"error": {
            "type": self.kind,
            "address": self.address,
            "description": self.description,
        }})
    }
}

/// A success item: `{"success": {address: value}}`.
pub fn success(address: impl Into<String>, value: Value) -> Value {
    let mut inner = serde_json::Map::new();
    inner.insert(address.into(), value);
    json!({ "success": Value::Object(inner) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording_is_hues() {
        assert_eq!(
            HueError::not_available("/lights/9").description,
            "resource, /lights/9, not available"
        );
        assert_eq!(
            HueError::method("POST", "/lights/1").description,
            "method, POST, not available for resource, /lights/1"
        );
        assert_eq!(
            HueError::invalid_value("/lights/1/state/bri", "bri", &json!(300)).description,
            "invalid value, 300, for parameter, bri"
        );
        assert_eq!(
            HueError::invalid_value("/lights/1/state/alert", "alert", &json!("blink")).description,
            "invalid value, blink, for parameter, alert"
        );
        assert_eq!(
            HueError::device_off("/lights/1/state/hue", "hue").description,
            "parameter, hue, is not modifiable. Device is set to off."
        );
        assert_eq!(
            HueError::unauthorized("/lights").item(),
            json!({"error": {"type": 1, "address": "/lights", "description": "unauthorized user"}})
        );
    }
}
