//! History events in the shape of Step Functions' GetExecutionHistory.

use serde::Serialize;
use serde_json::{Map, Value, json};

/// One event of an execution's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEvent {
    /// 1-based, increasing.
    pub id: u64,
    /// The event this one follows from (0 for the first).
    #[serde(rename = "previousEventId")]
    pub previous_event_id: u64,
    /// On the virtual clock, RFC 3339 with milliseconds.
    pub timestamp: String,
    /// AWS's event type, e.g. `PassStateEntered`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// The type's details object under its AWS name (e.g. `stateEnteredEventDetails`), if any.
    #[serde(flatten)]
    pub details: Map<String, Value>,
    /// Set on task events whose result did not come from a mock: the task returned its input.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unmocked: bool,
}

impl HistoryEvent {
    /// The details object, whatever its key.
    pub fn details(&self) -> Option<&Value> {
        self.details.values().next()
    }
}

/// JSON text of a value, as AWS puts payloads in history details.
pub(crate) fn text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `{"truncated": false}`, the `*Details` companion of every payload.
pub(crate) fn not_truncated() -> Value {
    json!({"truncated": false})
}

/// The details key AWS uses for an event type: `TaskStateEntered` → `stateEnteredEventDetails`.
pub(crate) fn details_key(event_type: &str) -> String {
    if event_type.ends_with("StateEntered") {
        return "stateEnteredEventDetails".to_owned();
    }
    if event_type.ends_with("StateExited") {
        return "stateExitedEventDetails".to_owned();
    }
    let mut chars = event_type.chars();
    let first = chars.next().map(|c| c.to_ascii_lowercase()).unwrap_or('x');
    format!("{first}{}EventDetails", chars.as_str())
}
