//! Hue's answers and errors. A bridge answers 200 even when it refuses: a list of
//! `{"success": …}` and `{"error": {"type", "address", "description"}}` items, or for
//! a read, the object asked for (or that list, holding the error).

use serde_json::Value;

/// Hue's error types (the `type` of an error item), as the bridge's API documents them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HueErrorType {
    /// 1: the username is not one the bridge knows (never paired, or deleted).
    UnauthorizedUser,
    /// 2: the body is not JSON.
    InvalidJson,
    /// 3: no such resource (a light id the bridge does not have).
    ResourceNotAvailable,
    /// 4: the resource does not take that method.
    MethodNotAvailable,
    /// 5: a required parameter is missing.
    MissingParameters,
    /// 6: a parameter the resource does not have.
    ParameterNotAvailable,
    /// 7: a parameter's value is out of range or of the wrong type.
    InvalidValue,
    /// 8: a parameter that cannot be changed.
    ParameterNotModifiable,
    /// 11: a list holds too many items.
    TooManyItems,
    /// 101: pairing needs the link button pressed first.
    LinkButtonNotPressed,
    /// 201: the light is off, so its colour cannot be set.
    DeviceIsOff,
    /// 901: the bridge failed inside.
    InternalError,
    /// Any other type number.
    Other(u16),
}

impl HueErrorType {
    /// The type for Hue's number.
    pub fn from_code(code: u16) -> Self {
        match code {
            1 => Self::UnauthorizedUser,
            2 => Self::InvalidJson,
            3 => Self::ResourceNotAvailable,
            4 => Self::MethodNotAvailable,
            5 => Self::MissingParameters,
            6 => Self::ParameterNotAvailable,
            7 => Self::InvalidValue,
            8 => Self::ParameterNotModifiable,
            11 => Self::TooManyItems,
            101 => Self::LinkButtonNotPressed,
            201 => Self::DeviceIsOff,
            901 => Self::InternalError,
            other => Self::Other(other),
        }
    }

    /// Hue's number for the type.
    pub fn code(self) -> u16 {
        match self {
            Self::UnauthorizedUser => 1,
            Self::InvalidJson => 2,
            Self::ResourceNotAvailable => 3,
            Self::MethodNotAvailable => 4,
            Self::MissingParameters => 5,
            Self::ParameterNotAvailable => 6,
            Self::InvalidValue => 7,
            Self::ParameterNotModifiable => 8,
            Self::TooManyItems => 11,
            Self::LinkButtonNotPressed => 101,
            Self::DeviceIsOff => 201,
            Self::InternalError => 901,
            Self::Other(code) => code,
        }
    }

    /// The type in words, as Hue's documentation names it.
    pub fn title(self) -> &'static str {
        match self {
            Self::UnauthorizedUser => "unauthorized user",
            Self::InvalidJson => "invalid JSON",
            Self::ResourceNotAvailable => "resource not available",
            Self::MethodNotAvailable => "method not available for resource",
            Self::MissingParameters => "missing parameters in body",
            Self::ParameterNotAvailable => "parameter not available",
            Self::InvalidValue => "invalid value for parameter",
            Self::ParameterNotModifiable => "parameter is not modifiable",
            Self::TooManyItems => "too many items in list",
            Self::LinkButtonNotPressed => "link button not pressed",
            Self::DeviceIsOff => "device is set to off",
            Self::InternalError => "internal error",
            Self::Other(_) => "other error",
        }
    }
}

/// One error item of a Hue answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HueApiError {
    /// Its type.
    pub kind: HueErrorType,
    /// The resource or parameter it is about (`/lights/9`, `/lights/1/state/hue`).
    pub address: String,
    /// The bridge's own words.
    pub description: String,
}

impl std::fmt::Display for HueApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the Hue bridge answered error {} ({})",
            self.kind.code(),
            self.kind.title()
        )?;
        if !self.address.is_empty() {
            write!(f, " at {}", self.address)?;
        }
        if !self.description.is_empty() {
            write!(f, ": {}", self.description)?;
        }
        Ok(())
    }
}

/// Why the Hue driver could not do something.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HueError {
    /// The bridge answered with one of Hue's errors.
    #[error("{0}")]
    Api(HueApiError),
    /// Nothing answered at the bridge's address (refused, no route, name unknown).
    #[error("cannot reach the Hue bridge at {bridge}: {reason}")]
    Unreachable {
        /// The bridge's base URL.
        bridge: String,
        /// What the connection said.
        reason: String,
    },
    /// The bridge took the request but did not answer in time.
    #[error("the Hue bridge at {bridge} did not answer within {timeout_ms} ms")]
    Timeout {
        /// The bridge's base URL.
        bridge: String,
        /// The time it had (`--hue-timeout-ms`).
        timeout_ms: u64,
    },
    /// Something answered, but not as a Hue bridge does.
    #[error("{bridge} answered, but not as a Hue bridge does: {what}")]
    NotABridge {
        /// The bridge's base URL.
        bridge: String,
        /// What was wrong with the answer.
        what: String,
    },
    /// The shard has no light (`--hue-lights` lists fewer).
    #[error(
        "shard {shard} has no Hue light: --hue-lights (BULBWATCH_HUE_LIGHTS) lists {count}; give one light id per shard, e.g. --hue-lights {example}"
    )]
    NoLight {
        /// The shard.
        shard: u32,
        /// How many lights are listed.
        count: usize,
        /// A list that would do.
        example: String,
    },
    /// The HTTP client could not be set up.
    #[error("cannot set up the HTTP client for the Hue bridge: {0}")]
    Client(String),
}

impl HueError {
    /// The Hue error answered, if it was one.
    pub fn api(&self) -> Option<&HueApiError> {
        match self {
            HueError::Api(e) => Some(e),
            _ => None,
        }
    }
}

/// One item of a Hue answer list.
#[derive(Clone, Debug, PartialEq)]
pub enum HueItem {
    /// `{"success": …}`: what was done.
    Success(Value),
    /// `{"error": …}`.
    Error(HueApiError),
}

/// Reads a Hue answer list; `Err` says why it is not one.
pub fn parse_answer(body: &str) -> Result<Vec<HueItem>, String> {
    let value: Value = serde_json::from_str(body).map_err(|e| format!("not JSON ({e})"))?;
    let Value::Array(items) = value else {
        return Err(format!("not a list of results: {}", excerpt(body)));
    };
    items
        .into_iter()
        .map(|item| {
            if let Some(error) = item.get("error") {
                Ok(HueItem::Error(parse_error(error)))
            } else if let Some(success) = item.get("success") {
                Ok(HueItem::Success(success.clone()))
            } else {
                Err(format!(
                    "an item neither success nor error: {}",
                    excerpt(&item.to_string())
                ))
            }
        })
        .collect()
}

/// The first error of an answer list, if any.
pub fn first_error(items: &[HueItem]) -> Option<&HueApiError> {
    items.iter().find_map(|item| match item {
        HueItem::Error(e) => Some(e),
        HueItem::Success(_) => None,
    })
}

fn parse_error(error: &Value) -> HueApiError {
    let code = error
        .get("type")
        .and_then(Value::as_u64)
        .and_then(|t| u16::try_from(t).ok())
        .unwrap_or(0);
    let text = |key: &str| {
        error
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    HueApiError {
        kind: HueErrorType::from_code(code),
        address: text("address"),
        description: text("description"),
    }
}

/// What the bridge says of one light (`GET /api/<username>/lights/<id>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HueLight {
    /// Its name.
    pub name: String,
    /// Whether the bridge can reach it (`state.reachable`).
    pub reachable: bool,
    /// Whether it is on (`state.on`).
    pub on: bool,
}

/// Reads a light: the object, or the error the bridge answered instead (`Ok(Err)`);
/// `Err` says why it is neither.
pub fn parse_light(body: &str) -> Result<Result<HueLight, HueApiError>, String> {
    let value: Value = serde_json::from_str(body).map_err(|e| format!("not JSON ({e})"))?;
    if value.is_array() {
        let items = parse_answer(body)?;
        return match first_error(&items) {
            Some(e) => Ok(Err(e.clone())),
            None => Err(format!("a list, not a light: {}", excerpt(body))),
        };
    }
    let state = value.get("state");
    let name = value.get("name").and_then(Value::as_str);
    match (name, state) {
        (Some(name), Some(state)) => Ok(Ok(HueLight {
            name: name.to_string(),
            reachable: state
                .get("reachable")
                .and_then(Value::as_bool)
                .unwrap_or(true),
            on: state.get("on").and_then(Value::as_bool).unwrap_or(false),
        })),
        _ => Err(format!("not a light (no name or state): {}", excerpt(body))),
    }
}

/// At most 120 characters of an answer, for messages.
pub(super) fn excerpt(body: &str) -> String {
    let trimmed = body.trim();
    match trimmed.char_indices().nth(120) {
        Some((at, _)) => format!("{}…", &trimmed[..at]),
        None => trimmed.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY_TYPE: [(u16, HueErrorType); 13] = [
        (1, HueErrorType::UnauthorizedUser),
        (2, HueErrorType::InvalidJson),
        (3, HueErrorType::ResourceNotAvailable),
        (4, HueErrorType::MethodNotAvailable),
        (5, HueErrorType::MissingParameters),
        (6, HueErrorType::ParameterNotAvailable),
        (7, HueErrorType::InvalidValue),
        (8, HueErrorType::ParameterNotModifiable),
        (11, HueErrorType::TooManyItems),
        (101, HueErrorType::LinkButtonNotPressed),
        (201, HueErrorType::DeviceIsOff),
        (901, HueErrorType::InternalError),
        (42, HueErrorType::Other(42)),
    ];

    #[test]
    fn every_hue_error_type_is_parsed_into_its_variant() {
        for (code, kind) in EVERY_TYPE {
            let body = format!(
                r#"[{{"error":{{"type":{code},"address":"/lights/1/state","description":"words {code}"}}}}]"#
            );
            let items = parse_answer(&body).unwrap();
            let error = first_error(&items).unwrap();
            assert_eq!(error.kind, kind, "{code}");
            assert_eq!(error.kind.code(), code);
            assert_eq!(error.address, "/lights/1/state");
            assert_eq!(error.description, format!("words {code}"));
            assert!(error.to_string().contains(kind.title()), "{error}");
        }
    }

    #[test]
    fn successes_and_errors_keep_their_order() {
        let body = r#"[{"success":{"/lights/1/state/on":true}},
            {"error":{"type":7,"address":"/lights/1/state/hue","description":"invalid value, 70000, for parameter, hue"}}]"#;
        let items = parse_answer(body).unwrap();
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[0], HueItem::Success(v) if v["/lights/1/state/on"] == true));
        let error = first_error(&items).unwrap();
        assert_eq!(error.kind, HueErrorType::InvalidValue);
        assert_eq!(
            error.to_string(),
            "the Hue bridge answered error 7 (invalid value for parameter) at /lights/1/state/hue: invalid value, 70000, for parameter, hue"
        );
    }

    #[test]
    fn answers_that_are_not_hue_lists_say_why() {
        assert!(
            parse_answer("<html>hello</html>")
                .unwrap_err()
                .starts_with("not JSON")
        );
        assert!(
            parse_answer(r#"{"error":"x"}"#)
                .unwrap_err()
                .starts_with("not a list")
        );
        assert!(
            parse_answer(r#"[{"other":1}]"#)
                .unwrap_err()
                .contains("neither")
        );
        // A missing or odd type is still an error, of an unknown type.
        let items = parse_answer(r#"[{"error":{"description":"?"}}]"#).unwrap();
        assert_eq!(first_error(&items).unwrap().kind, HueErrorType::Other(0));
    }

    #[test]
    fn a_light_or_the_error_answered_for_it() {
        let light = parse_light(
            r#"{"state":{"on":true,"bri":254,"reachable":false},"type":"Extended color light","name":"Desk","extra":1}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            light,
            HueLight {
                name: "Desk".into(),
                reachable: false,
                on: true
            }
        );
        let missing = parse_light(
            r#"[{"error":{"type":3,"address":"/lights/9","description":"resource, /lights/9, not available"}}]"#,
        )
        .unwrap()
        .unwrap_err();
        assert_eq!(missing.kind, HueErrorType::ResourceNotAvailable);
        assert!(parse_light(r#"{"name":"x"}"#).is_err());
        assert!(parse_light("nope").is_err());
    }

    #[test]
    fn long_answers_are_cut_in_messages() {
        let long = "x".repeat(500);
        assert_eq!(excerpt(&long).chars().count(), 121);
        assert_eq!(excerpt(" short "), "short");
    }
}
