//! JSON in and out of Rhai values: response bodies become maps the check can read,
//! request bodies built as maps become JSON.

use rhai::{Array, Dynamic, Map};
use serde_json::Value;

/// A JSON value as a Rhai value: objects become maps, `null` becomes `()`, integers
/// that fit stay integers, other numbers become floats.
pub(crate) fn to_dynamic(value: &Value) -> Dynamic {
    match value {
        Value::Null => Dynamic::UNIT,
        Value::Bool(b) => Dynamic::from_bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Dynamic::from_int(i),
            None => Dynamic::from_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Dynamic::from(s.clone()),
        Value::Array(items) => {
            let array: Array = items.iter().map(to_dynamic).collect();
            Dynamic::from_array(array)
        }
        Value::Object(fields) => Dynamic::from_map(object_to_map(fields)),
    }
}

/// A JSON object as a Rhai map.
pub(crate) fn object_to_map(fields: &serde_json::Map<String, Value>) -> Map {
    fields
        .iter()
        .map(|(k, v)| (k.as_str().into(), to_dynamic(v)))
        .collect()
}

/// A Rhai value as JSON; `Err` names the type that has no JSON form.
pub(crate) fn from_dynamic(value: &Dynamic) -> Result<Value, String> {
    let value = value.flatten_clone();
    if value.is_unit() {
        return Ok(Value::Null);
    }
    if let Ok(b) = value.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Ok(i) = value.as_int() {
        return Ok(Value::from(i));
    }
    if let Ok(f) = value.as_float() {
        return Ok(serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number));
    }
    if let Ok(c) = value.as_char() {
        return Ok(Value::String(c.to_string()));
    }
    if value.is_string() {
        return Ok(Value::String(value.into_string().unwrap_or_default()));
    }
    if let Some(array) = value.read_lock::<Array>() {
        return array
            .iter()
            .map(from_dynamic)
            .collect::<Result<_, _>>()
            .map(Value::Array);
    }
    if let Some(map) = value.read_lock::<Map>() {
        return map
            .iter()
            .map(|(k, v)| from_dynamic(v).map(|v| (k.to_string(), v)))
            .collect::<Result<_, _>>()
            .map(Value::Object);
    }
    Err(value.type_name().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_round_trips_through_rhai_values() {
        let v = json!({"colour": "green", "hue": 21845, "ratio": 0.5, "ok": true,
                       "by": null, "list": [1, "two", {"three": 3}]});
        let d = to_dynamic(&v);
        assert!(d.is_map());
        assert_eq!(from_dynamic(&d).unwrap(), v);
    }

    #[test]
    fn values_without_json_form_are_named() {
        let d = Dynamic::from(std::time::Duration::from_secs(1));
        assert!(from_dynamic(&d).is_err());
    }
}
