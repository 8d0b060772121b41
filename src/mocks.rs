//! Editing the mocks text from the graph: set what a Task returns or throws for some of its
//! invocations, in the short form `{"State": {"0": {"Return": …}, "1-2": {"Throw": {…}}}}`.

use crate::evaluate::pretty;
use serde_json::{Map, Value, json};

/// What a mocked invocation does.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// The task returns this result.
    Return(Value),
    /// The task fails with this error and cause.
    Throw {
        /// The error name, e.g. `Lambda.TooManyRequestsException`.
        error: String,
        /// The cause text.
        cause: String,
    },
}

/// Whether `key` names invocations: `"0"`, `"3"` or a range `"1-2"`.
pub fn valid_key(key: &str) -> bool {
    let num = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    match key.split_once('-') {
        Some((a, b)) => num(a) && num(b) && a.parse::<u64>().ok() <= b.parse::<u64>().ok(),
        None => num(key),
    }
}

/// The mocks text with `state`'s invocations `key` set to `response`. Errors say why, in words.
pub fn set_mock(
    mocks_text: &str,
    state: &str,
    key: &str,
    response: &Response,
) -> Result<String, String> {
    if !valid_key(key) {
        return Err(format!(
            "“{key}” is not an invocation number or range (use 0, 1 or 1-3)"
        ));
    }
    let mut mocks: Value = if mocks_text.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(mocks_text)
            .map_err(|e| format!("the mocks editor does not hold valid JSON ({e})"))?
    };
    let Some(all) = mocks.as_object_mut() else {
        return Err("the mocks must be a JSON object keyed by state name".into());
    };
    let entry = all
        .entry(state.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    let value = match response {
        Response::Return(v) => json!({"Return": v}),
        Response::Throw { error, cause } => json!({"Throw": {"Error": error, "Cause": cause}}),
    };
    if let Some(per_state) = entry.as_object_mut() {
        per_state.insert(key.to_owned(), value);
        // Keep invocations in order so the text reads as a timeline.
        let mut sorted: Vec<(String, Value)> = std::mem::take(per_state).into_iter().collect();
        sorted.sort_by_key(|(k, _)| {
            k.split('-')
                .next()
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(u64::MAX)
        });
        per_state.extend(sorted);
    }
    Ok(pretty(&mocks))
}

/// The mocked responses of `state`, as `(key, response)` pairs, for the form to list.
pub fn mocks_of(mocks_text: &str, state: &str) -> Vec<(String, Value)> {
    serde_json::from_str::<Value>(mocks_text)
        .ok()
        .and_then(|m| m.get(state).and_then(Value::as_object).cloned())
        .map(|m| m.into_iter().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        for (key, ok) in [
            ("0", true),
            ("12", true),
            ("1-2", true),
            ("2-1", false),
            ("", false),
            ("a", false),
            ("1-", false),
        ] {
            assert_eq!(valid_key(key), ok, "{key}");
        }
    }

    #[test]
    fn sets_return_and_throw_in_order() {
        let t = set_mock("", "Pay", "1", &Response::Return(json!({"ok": true}))).unwrap();
        let t = set_mock(
            &t,
            "Pay",
            "0",
            &Response::Throw {
                error: "E".into(),
                cause: "C".into(),
            },
        )
        .unwrap();
        let v: Value = serde_json::from_str(&t).unwrap();
        assert_eq!(v["Pay"]["0"]["Throw"]["Error"], "E");
        assert_eq!(v["Pay"]["1"]["Return"]["ok"], true);
        assert_eq!(
            mocks_of(&t, "Pay").first().map(|(k, _)| k.as_str()),
            Some("0")
        );
    }

    #[test]
    fn refuses_broken_mocks_text() {
        assert!(set_mock("{", "A", "0", &Response::Return(json!(1))).is_err());
        assert!(set_mock("[]", "A", "0", &Response::Return(json!(1))).is_err());
        assert!(set_mock("{}", "A", "x", &Response::Return(json!(1))).is_err());
    }
}
