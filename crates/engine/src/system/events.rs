//! Events that executions put on the bus: the entries of `events:putEvents` tasks, read from the
//! execution's history, and Step Functions' own "Execution Status Change" events.
//!
//! The executor runs a whole execution before anything is revealed, and records every task's
//! parameters in `TaskScheduled`; the bus reads the entries there, so the executor needs no hook.

use crate::asl::history::HistoryEvent;
use crate::asl::time::{self, Millis};
use crate::splitmix::SplitMix64;
use serde_json::{Map, Value, json};

/// Most entries one `PutEvents` call accepts.
pub const MAX_ENTRIES: usize = 10;

/// An entry a putEvents task put on the bus, or why it was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct PutEntry {
    /// When it was put (the task's start, on the virtual clock).
    pub millis: Millis,
    /// The state that put it.
    pub state: String,
    /// The event, or the reason the entry was refused.
    pub event: Result<Value, String>,
}

/// The AWS account and region events and ARNs are placed in.
#[derive(Debug, Clone)]
pub struct Place<'a> {
    /// Account id.
    pub account: &'a str,
    /// Region.
    pub region: &'a str,
}

/// A deterministic event or execution id in the shape of a UUID, from a seed and a counter.
pub fn uuid(seed: u64, counter: u64) -> String {
    let mut rng = SplitMix64::new(seed ^ counter.wrapping_mul(SplitMix64::GAMMA));
    let (a, b) = (rng.next_u64(), rng.next_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

fn millis_of(e: &HistoryEvent) -> Millis {
    e.millis
}

/// Every entry put by the execution's `arn:aws:states:::events:putEvents` tasks, in order.
///
/// A task that waits for a task token has put its entries once it started, whatever the callback
/// says later; a plain one only when the call succeeded (a mocked `Throw` means PutEvents failed).
pub fn put_entries(history: &[HistoryEvent], place: &Place<'_>) -> Vec<PutEntry> {
    let mut out = Vec::new();
    for scheduled in history.iter().filter(|e| e.event_type == "TaskScheduled") {
        let Some(details) = scheduled.details() else {
            continue;
        };
        let resource = details
            .get("resource")
            .and_then(Value::as_str)
            .unwrap_or("");
        if details.get("resourceType").and_then(Value::as_str) != Some("events")
            || !resource.starts_with("putEvents")
        {
            continue;
        }
        let waits = resource.ends_with(".waitForTaskToken");
        let Some(started) = history
            .iter()
            .find(|e| e.previous_event_id == scheduled.id && e.event_type == "TaskStarted")
        else {
            continue;
        };
        let succeeded = history
            .iter()
            .any(|e| e.previous_event_id == started.id && e.event_type == "TaskSucceeded");
        if !(waits || succeeded) {
            continue;
        }
        let state = state_of(history, scheduled.id);
        let millis = millis_of(started);
        let parameters = details
            .get("parameters")
            .and_then(Value::as_str)
            .and_then(|t| serde_json::from_str::<Value>(t).ok());
        let entries = parameters
            .as_ref()
            .and_then(|p| p.get("Entries"))
            .and_then(Value::as_array);
        let Some(entries) = entries else {
            out.push(PutEntry {
                millis,
                state,
                event: Err("the task's parameters have no `Entries` list".into()),
            });
            continue;
        };
        for (i, entry) in entries.iter().enumerate() {
            let event = if i >= MAX_ENTRIES {
                Err(format!(
                    "entry {i}: PutEvents accepts at most {MAX_ENTRIES} entries per call"
                ))
            } else {
                entry_event(entry, millis, place).map_err(|why| format!("entry {i}: {why}"))
            };
            out.push(PutEntry {
                millis,
                state: state.clone(),
                event,
            });
        }
    }
    out
}

/// The name of the state a task event belongs to: the last `…StateEntered` before it.
fn state_of(history: &[HistoryEvent], id: u64) -> String {
    history
        .iter()
        .take_while(|e| e.id < id)
        .filter(|e| e.event_type.enters_state())
        .last()
        .and_then(|e| e.details())
        .and_then(|d| d.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// One `PutEventsRequestEntry` as the event the bus receives (id and time are set on arrival).
fn entry_event(entry: &Value, millis: Millis, place: &Place<'_>) -> Result<Value, String> {
    let Some(e) = entry.as_object() else {
        return Err("an entry must be an object with Source, DetailType and Detail".into());
    };
    let text = |k: &str| -> Result<String, String> {
        match e.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(_) => Err(format!("`{k}` must be a non-empty string")),
            None => Err(format!("`{k}` is missing")),
        }
    };
    let source = text("Source")?;
    let detail_type = text("DetailType")?;
    let detail = match e.get("Detail") {
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(v @ Value::Object(_)) => v,
            _ => return Err("`Detail` must be the text of a JSON object".into()),
        },
        Some(v @ Value::Object(_)) => v.clone(),
        Some(_) => return Err("`Detail` must be a JSON object or its text".into()),
        None => return Err("`Detail` is missing".into()),
    };
    let resources = match e.get("Resources") {
        None => json!([]),
        Some(r @ Value::Array(items)) if items.iter().all(Value::is_string) => r.clone(),
        Some(_) => return Err("`Resources` must be a list of ARNs".into()),
    };
    let at = match e.get("Time") {
        Some(Value::String(t)) => time::parse_rfc3339(t)
            .map(|_| t.clone())
            .ok_or_else(|| format!("`Time` `{t}` is not an RFC 3339 timestamp"))?,
        _ => whole_seconds(millis),
    };
    Ok(json!({
        "version": "0",
        "id": "",
        "detail-type": detail_type,
        "source": source,
        "account": place.account,
        "time": at,
        "region": place.region,
        "resources": resources,
        "detail": detail,
    }))
}

/// An event's `time` field: whole seconds, as EventBridge writes it.
pub fn whole_seconds(millis: Millis) -> String {
    let text = time::format_millis(millis - millis.rem_euclid(1000));
    text.replace(".000Z", "Z")
}

/// What a status-change event says about an execution.
#[derive(Debug, Clone)]
pub struct StatusChange<'a> {
    /// The execution's ARN.
    pub execution_arn: &'a str,
    /// The machine's ARN (with its version or alias when one was named).
    pub state_machine_arn: &'a str,
    /// The execution's name.
    pub name: &'a str,
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`.
    pub status: &'a str,
    /// Start, on the virtual clock.
    pub start: Millis,
    /// Stop, when it has ended.
    pub stop: Option<Millis>,
    /// The input.
    pub input: &'a Value,
    /// The output, when it succeeded.
    pub output: Option<&'a Value>,
    /// The error and cause, when it failed.
    pub error: Option<&'a str>,
    /// The cause.
    pub cause: Option<&'a str>,
}

/// The `aws.states` "Step Functions Execution Status Change" event.
pub fn status_change(c: &StatusChange<'_>, place: &Place<'_>) -> Value {
    let mut detail = Map::new();
    detail.insert("executionArn".into(), json!(c.execution_arn));
    detail.insert("stateMachineArn".into(), json!(c.state_machine_arn));
    detail.insert("name".into(), json!(c.name));
    detail.insert("status".into(), json!(c.status));
    detail.insert("startDate".into(), json!(c.start));
    detail.insert("stopDate".into(), json!(c.stop));
    detail.insert("input".into(), json!(c.input.to_string()));
    detail.insert("output".into(), json!(c.output.map(Value::to_string)));
    detail.insert("inputDetails".into(), json!({"included": true}));
    detail.insert(
        "outputDetails".into(),
        if c.output.is_some() {
            json!({"included": true})
        } else {
            Value::Null
        },
    );
    detail.insert("error".into(), json!(c.error));
    detail.insert("cause".into(), json!(c.cause));
    json!({
        "version": "0",
        "id": "",
        "detail-type": "Step Functions Execution Status Change",
        "source": "aws.states",
        "account": place.account,
        "time": whole_seconds(c.stop.unwrap_or(c.start)),
        "region": place.region,
        "resources": [c.execution_arn],
        "detail": detail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(uuid(0, 1), uuid(0, 1));
        assert_ne!(uuid(0, 1), uuid(0, 2));
        assert_eq!(uuid(7, 3).len(), 36);
        assert_eq!(whole_seconds(1_500), "1970-01-01T00:00:01Z");
    }
}
