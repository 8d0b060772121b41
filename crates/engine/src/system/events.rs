//! Events that executions put on the bus: the entries of `events:putEvents` tasks, read from the
//! execution's history, and Step Functions' own "Execution Status Change" events.
//!
//! The executor runs a whole execution before anything is revealed, and records every task's
//! parameters in `TaskScheduled`; the bus reads the entries there, so the executor needs no hook.

use crate::asl::history::HistoryEvent;
use crate::asl::time::{self, Millis};
use crate::put_events::{self, Envelope};
use crate::splitmix::SplitMix64;
use serde_json::{Map, Value, json};

pub use crate::put_events::MAX_ENTRIES;

/// An entry a putEvents task put on the bus, or why it was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct PutEntry {
    /// When it was put (the task's start, on the virtual clock).
    pub millis: Millis,
    /// The state that put it.
    pub state: String,
    /// The bus it was put on.
    pub bus: String,
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
    SplitMix64::new(seed ^ counter.wrapping_mul(SplitMix64::GAMMA)).uuid()
}

fn millis_of(e: &HistoryEvent) -> Millis {
    e.millis
}

/// Every entry put by the execution's `arn:aws:states:::events:putEvents` tasks, in order.
///
/// A task that waits for a task token has put its entries once it started, whatever the callback
/// says later; a plain one when the call succeeded, or failed with `EventBridge.FailedEntry`
/// (PutEvents put the valid entries and refused the others; any other error means the call
/// failed whole). `arns` are the execution's and state machine's ARNs, added to each event's
/// `resources`.
pub fn put_entries(history: &[HistoryEvent], place: &Place<'_>, arns: &[&str]) -> Vec<PutEntry> {
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
        let succeeded = history.iter().any(|e| {
            e.previous_event_id == started.id
                && (e.event_type == "TaskSucceeded"
                    || (e.event_type == "TaskFailed"
                        && e.details()
                            .and_then(|d| d.get("error"))
                            .and_then(Value::as_str)
                            == Some("EventBridge.FailedEntry")))
        });
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
                bus: put_events::DEFAULT_BUS.to_owned(),
                event: Err("the task's parameters have no `Entries` list".into()),
            });
            continue;
        };
        for (i, entry) in entries.iter().enumerate() {
            let read = if i >= MAX_ENTRIES {
                Err(format!(
                    "entry {i}: PutEvents accepts at most {MAX_ENTRIES} entries per call"
                ))
            } else {
                entry_event(entry, millis, place, arns).map_err(|why| format!("entry {i}: {why}"))
            };
            let (bus, event) = match read {
                Ok((bus, event)) => (bus, Ok(event)),
                Err(why) => (put_events::DEFAULT_BUS.to_owned(), Err(why)),
            };
            out.push(PutEntry {
                millis,
                state: state.clone(),
                bus,
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

/// One `PutEventsRequestEntry` as the event the bus receives (its id is set on arrival), with
/// the bus it goes to. Step Functions' optimized integration appends the execution's and the
/// state machine's ARNs to the entry's `Resources` (the developer guide, "Add EventBridge
/// events with Step Functions").
fn entry_event(
    entry: &Value,
    millis: Millis,
    place: &Place<'_>,
    arns: &[&str],
) -> Result<(String, Value), String> {
    let env = Envelope {
        account: place.account,
        region: place.region,
        now: millis,
        seed: 0,
    };
    let (bus, mut event) = put_events::entry_event(entry, &env, "").map_err(|e| e.to_string())?;
    if let Some(list) = event.get_mut("resources").and_then(Value::as_array_mut) {
        list.extend(arns.iter().map(|a| json!(a)));
    }
    Ok((bus, event))
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
