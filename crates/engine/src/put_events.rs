//! PutEvents as users call it: what `route`, the JS API, the app's event editor and a workflow's
//! `events:putEvents` task hand to the bus, read into events the way EventBridge reads them.
//!
//! [`read`] takes any of the shapes people paste:
//! - a full event (`source`, `detail-type`, `detail`, …), put on the `default` bus as it is;
//! - one `PutEventsRequestEntry` (`Source`, `DetailType`, `Detail` as JSON text, `EventBusName`,
//!   `Resources`, `Time`), as boto3 and the AWS CLI take it;
//! - a list of up to 10 entries;
//! - the whole request, `{"Entries": [...]}`.
//!
//! Each entry is checked as PutEvents checks it and reported as PutEvents reports it: the
//! valid entries become events (the envelope filled: `version` "0", a deterministic `id`, the
//! account and region, `time` from `Time` or the virtual clock, `resources`, `detail` parsed
//! from its text) and the others get AWS's `ErrorCode` and `ErrorMessage`, with
//! `FailedEntryCount`. A request that breaks PutEvents' own limits (no entries, more than 10,
//! over 256 KiB in all) is refused whole, as AWS refuses it with a `ValidationException`.
//!
//! ```
//! use statebridge_engine::put_events::{read, Envelope};
//! use serde_json::json;
//! // Seed 003's boto3 call.
//! let request = json!({"Entries": [{"Source": "myapp.signup", "DetailType": "UserSignup",
//!     "Detail": "{\"user_id\": \"12345\"}", "EventBusName": "default"},
//!     {"DetailType": "UserSignup", "Detail": "{}"}]});
//! let put = read(&request, &Envelope::default()).unwrap();
//! assert_eq!(put.events[0].event["detail"], json!({"user_id": "12345"}));
//! assert_eq!(put.result.failed_entry_count, 1);
//! assert_eq!(
//!     serde_json::to_value(&put.result.entries[1]).unwrap(),
//!     json!({"ErrorCode": "InvalidArgument",
//!            "ErrorMessage": "Parameter Source is not valid. Reason: Source is a required argument."})
//! );
//! ```

use crate::asl::time::{self, Millis};
use crate::size::{self, MAX_EVENT_BYTES};
use crate::system::{uuid, whole_seconds};
use serde::Serialize;
use serde_json::{Value, json};
use std::fmt;

/// Most entries one PutEvents call takes.
pub const MAX_ENTRIES: usize = 10;

/// The bus an entry without `EventBusName` (and a full event) goes to.
pub const DEFAULT_BUS: &str = "default";

/// Where and when events are put: the account and region of their envelope, the virtual
/// clock's now (an entry without `Time`), and the seed their ids come from.
#[derive(Debug, Clone)]
pub struct Envelope<'a> {
    /// Account id.
    pub account: &'a str,
    /// Region.
    pub region: &'a str,
    /// Now, on the virtual clock.
    pub now: Millis,
    /// Seed of the ids: entry `i` gets `uuid(seed, i)`.
    pub seed: u64,
}

/// The account a workspace's buses, executions and rules are in.
pub const HOME_ACCOUNT: &str = "123456789012";

/// The Region a workspace's buses, executions and rules are in.
pub const HOME_REGION: &str = "us-east-1";

impl Default for Envelope<'_> {
    fn default() -> Self {
        Envelope {
            account: HOME_ACCOUNT,
            region: HOME_REGION,
            now: time::parse_rfc3339("2026-01-01T00:00:00Z").unwrap_or_default(),
            seed: 0,
        }
    }
}

/// Which shape the input had.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Shape {
    /// A full event.
    Event,
    /// One PutEvents entry.
    Entry,
    /// A list of entries (or events).
    List,
    /// `{"Entries": [...]}`.
    Request,
}

/// An input read: the events to put, in entry order, and PutEvents' answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Put {
    /// The shape the input had.
    pub shape: Shape,
    /// Each accepted entry's event and the bus it goes to.
    pub events: Vec<PutEvent>,
    /// What PutEvents answers.
    pub result: PutEventsResult,
}

/// One accepted entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PutEvent {
    /// Its index in the request.
    pub entry: usize,
    /// The name of the bus it is put on.
    pub bus: String,
    /// The event as rules see it.
    pub event: Value,
}

/// PutEvents' response.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct PutEventsResult {
    /// How many entries failed.
    #[serde(rename = "FailedEntryCount")]
    pub failed_entry_count: usize,
    /// One result per entry, in order.
    #[serde(rename = "Entries")]
    pub entries: Vec<ResultEntry>,
}

/// One entry's result: its event id, or why it failed.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum ResultEntry {
    /// Put on the bus.
    Put {
        /// The event's id.
        #[serde(rename = "EventId")]
        event_id: String,
    },
    /// Refused.
    Failed {
        /// AWS's code (`InvalidArgument`, `MalformedDetail`, …).
        #[serde(rename = "ErrorCode")]
        error_code: String,
        /// AWS's message.
        #[serde(rename = "ErrorMessage")]
        error_message: String,
    },
}

/// Why PutEvents refuses one entry, in AWS's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryError {
    /// `InvalidArgument` or `MalformedDetail`.
    pub code: &'static str,
    /// AWS's message.
    pub message: String,
}

impl fmt::Display for EntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for EntryError {}

/// Why a whole input is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum PutEventsError {
    /// Not one of the shapes PutEvents input can have; the pointer says where.
    Shape {
        /// JSON pointer to the offending value.
        pointer: String,
        /// What was found there.
        found: &'static str,
    },
    /// `Entries` is empty.
    NoEntries,
    /// More than [`MAX_ENTRIES`] entries.
    TooManyEntries(usize),
    /// The entries add up to more than 256 KiB.
    TooLarge(usize),
    /// A member PutEvents does not have (the SDKs and the AWS CLI refuse the whole call before
    /// sending it: "Parameter validation failed").
    UnknownParameter {
        /// JSON pointer to the member.
        pointer: String,
        /// Where, in the SDK's words (`input`, `Entries[0]`).
        within: String,
        /// The member's name.
        name: String,
        /// The members that place has.
        allowed: &'static [&'static str],
    },
}

/// A PutEvents entry's members, in the order the SDKs list them.
pub const ENTRY_MEMBERS: &[&str] = &[
    "Time",
    "Source",
    "Resources",
    "DetailType",
    "Detail",
    "EventBusName",
    "TraceHeader",
];

/// A PutEvents request's members.
pub const REQUEST_MEMBERS: &[&str] = &["Entries", "EndpointId"];

impl PutEventsError {
    /// The error AWS's API answers with (the request is refused whole).
    pub fn code(&self) -> &'static str {
        match self {
            PutEventsError::UnknownParameter { .. } => "ParamValidationError",
            _ => "ValidationException",
        }
    }

    /// JSON pointer to the offending value, when there is one.
    pub fn pointer(&self) -> Option<&str> {
        match self {
            PutEventsError::Shape { pointer, .. }
            | PutEventsError::UnknownParameter { pointer, .. }
                if !pointer.is_empty() =>
            {
                Some(pointer)
            }
            _ => None,
        }
    }
}

impl fmt::Display for PutEventsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutEventsError::Shape { pointer, found } => {
                if !pointer.is_empty() {
                    write!(f, "at `{}`: ", crate::source::pointer_to_path(pointer))?;
                }
                write!(
                    f,
                    "found {found}; expected an event (`source`, `detail-type`, `detail`), a \
                     PutEvents entry (`Source`, `DetailType`, `Detail`), a list of up to \
                     {MAX_ENTRIES} entries, or {{\"Entries\": [...]}}"
                )
            }
            PutEventsError::NoEntries => write!(
                f,
                "ValidationException: `Entries` is empty: PutEvents takes 1 to {MAX_ENTRIES} entries"
            ),
            PutEventsError::TooManyEntries(n) => write!(
                f,
                "ValidationException: 1 validation error detected: Value at 'entries' failed to \
                 satisfy constraint: Member must have length less than or equal to {MAX_ENTRIES} \
                 ({n} entries: split them into calls of at most {MAX_ENTRIES})"
            ),
            PutEventsError::TooLarge(bytes) => write!(
                f,
                "ValidationException: Total size of the entries in the request is over the limit. \
                 ({bytes} bytes, counted as EventBridge counts entries; the limit is \
                 {MAX_EVENT_BYTES} bytes, 256 KiB)"
            ),
            PutEventsError::UnknownParameter {
                within,
                name,
                allowed,
                ..
            } => {
                write!(
                    f,
                    "Parameter validation failed: Unknown parameter in {within}: \"{name}\", must \
                     be one of: {}",
                    allowed.join(", ")
                )?;
                let near = allowed.iter().find(|a| {
                    a.eq_ignore_ascii_case(name)
                        || a.replace('-', "")
                            .eq_ignore_ascii_case(&name.replace('-', ""))
                });
                match near {
                    Some(a) => write!(f, " (did you mean `{a}`?)"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for PutEventsError {}

/// A JSON type's name, for messages ("a list", "an object", …).
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Whether an object is written as a PutEvents entry rather than as an event.
fn is_entry(v: &Value) -> bool {
    v.as_object().is_some_and(|m| {
        [
            "Source",
            "DetailType",
            "Detail",
            "EventBusName",
            "Resources",
            "Time",
        ]
        .iter()
        .any(|k| m.contains_key(*k))
    })
}

/// Reads any PutEvents input shape (see the module doc) into events and PutEvents' answer.
pub fn read(input: &Value, env: &Envelope<'_>) -> Result<Put, PutEventsError> {
    let (shape, items, base): (Shape, Vec<&Value>, &str) = match input {
        Value::Object(m) if m.contains_key("Entries") => match m.get("Entries") {
            Some(Value::Array(items)) => (Shape::Request, items.iter().collect(), "/Entries"),
            Some(other) => {
                return Err(PutEventsError::Shape {
                    pointer: "/Entries".into(),
                    found: kind_of(other),
                });
            }
            None => (Shape::Request, Vec::new(), "/Entries"),
        },
        Value::Array(items) => (Shape::List, items.iter().collect(), ""),
        v @ Value::Object(_) if is_entry(v) => (Shape::Entry, vec![v], ""),
        v @ Value::Object(_) => (Shape::Event, vec![v], ""),
        other => {
            return Err(PutEventsError::Shape {
                pointer: String::new(),
                found: kind_of(other),
            });
        }
    };
    if shape == Shape::Request
        && let Some(name) = input
            .as_object()
            .and_then(|m| m.keys().find(|k| !REQUEST_MEMBERS.contains(&k.as_str())))
    {
        return Err(PutEventsError::UnknownParameter {
            pointer: format!("/{}", crate::source::escape_segment(name)),
            within: "input".into(),
            name: name.clone(),
            allowed: REQUEST_MEMBERS,
        });
    }
    if shape != Shape::Event {
        for (i, item) in items.iter().enumerate() {
            let Some(m) = item.as_object().filter(|_| is_entry(item)) else {
                continue;
            };
            if let Some(name) = m.keys().find(|k| !ENTRY_MEMBERS.contains(&k.as_str())) {
                return Err(PutEventsError::UnknownParameter {
                    pointer: match shape {
                        Shape::Entry => format!("/{}", crate::source::escape_segment(name)),
                        _ => format!("{base}/{i}/{}", crate::source::escape_segment(name)),
                    },
                    within: format!("Entries[{i}]"),
                    name: name.clone(),
                    allowed: ENTRY_MEMBERS,
                });
            }
        }
    }
    if items.is_empty() {
        return Err(PutEventsError::NoEntries);
    }
    if items.len() > MAX_ENTRIES {
        return Err(PutEventsError::TooManyEntries(items.len()));
    }
    let mut total = 0;
    for (i, item) in items.iter().enumerate() {
        if !item.is_object() {
            return Err(PutEventsError::Shape {
                pointer: format!("{base}/{i}"),
                found: kind_of(item),
            });
        }
        total += size::entry_size(item);
    }
    if total > MAX_EVENT_BYTES {
        return Err(PutEventsError::TooLarge(total));
    }
    let mut events = Vec::new();
    let mut entries = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let id = uuid(env.seed, i as u64);
        let read = if is_entry(item) {
            entry_event(item, env, &id)
        } else {
            Ok(full_event(item, &id))
        };
        match read {
            Ok((bus, event)) => {
                let event_id = event
                    .get("id")
                    .and_then(Value::as_str)
                    .map_or(id, str::to_owned);
                entries.push(ResultEntry::Put { event_id });
                events.push(PutEvent {
                    entry: i,
                    bus,
                    event,
                });
            }
            Err(e) => entries.push(ResultEntry::Failed {
                error_code: e.code.to_owned(),
                error_message: e.message,
            }),
        }
    }
    let failed_entry_count = entries
        .iter()
        .filter(|e| matches!(e, ResultEntry::Failed { .. }))
        .count();
    Ok(Put {
        shape,
        events,
        result: PutEventsResult {
            failed_entry_count,
            entries,
        },
    })
}

/// A full event goes on the default bus as it is; only a missing id is filled in.
fn full_event(event: &Value, id: &str) -> (String, Value) {
    let mut event = event.clone();
    if let Some(obj) = event.as_object_mut()
        && obj
            .get("id")
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
    {
        obj.insert("id".into(), json!(id));
    }
    (DEFAULT_BUS.to_owned(), event)
}

fn invalid(parameter: &str, reason: impl fmt::Display) -> EntryError {
    EntryError {
        code: "InvalidArgument",
        message: format!("Parameter {parameter} is not valid. Reason: {reason}"),
    }
}

fn required(parameter: &str) -> EntryError {
    invalid(parameter, format!("{parameter} is a required argument."))
}

/// The bus an `EventBusName` names: a name, or an event bus ARN (its last part).
pub fn bus_name(value: &str) -> Option<&str> {
    let name = match value.strip_prefix("arn:") {
        Some(rest) => {
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            let [_, "events", _, _, resource] = parts.as_slice() else {
                return None;
            };
            resource.strip_prefix("event-bus/")?
        }
        None => value,
    };
    let ok = (1..=256).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'));
    ok.then_some(name)
}

/// The bus a name or an event bus ARN stands for, seen from `account` in `region`: its name for
/// one of that account's buses in that Region, the whole ARN for another account's or Region's
/// (a different bus, whatever its name: `default` of account 222222222222 is not ours).
///
/// ```
/// use statebridge_engine::put_events::bus_key;
/// assert_eq!(bus_key("orders", "1", "eu-west-1").as_deref(), Some("orders"));
/// assert_eq!(bus_key("arn:aws:events:eu-west-1:1:event-bus/orders", "1", "eu-west-1").as_deref(), Some("orders"));
/// assert_eq!(bus_key("arn:aws:events:us-east-1:2:event-bus/default", "1", "eu-west-1").as_deref(),
///            Some("arn:aws:events:us-east-1:2:event-bus/default"));
/// ```
pub fn bus_key(value: &str, account: &str, region: &str) -> Option<String> {
    let name = bus_name(value)?;
    let Some(rest) = value.strip_prefix("arn:") else {
        return Some(name.to_owned());
    };
    let parts: Vec<&str> = rest.splitn(5, ':').collect();
    let [partition, _, r, a, _] = parts.as_slice() else {
        return None;
    };
    let home = (a.is_empty() || *a == account) && (r.is_empty() || *r == region);
    Some(if home {
        name.to_owned()
    } else {
        format!("arn:{partition}:events:{r}:{a}:event-bus/{name}")
    })
}

/// Checks one entry as PutEvents does, in its order (Source, DetailType, Detail, the rest).
pub fn check_entry(entry: &Value) -> Result<(), EntryError> {
    entry_parts(entry, HOME_ACCOUNT, HOME_REGION).map(|_| ())
}

struct Parts {
    source: String,
    detail_type: String,
    detail: Value,
    bus: String,
    resources: Vec<Value>,
    time: Option<String>,
}

/// An entry's parts; its bus as seen from `account` in `region` ([`bus_key`]).
fn entry_parts(entry: &Value, account: &str, region: &str) -> Result<Parts, EntryError> {
    let text = |k: &str| -> Result<String, EntryError> {
        match entry.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(Value::String(_)) | None | Some(Value::Null) => Err(required(k)),
            Some(_) => Err(invalid(k, format!("{k} must be a string."))),
        }
    };
    let source = text("Source")?;
    let detail_type = text("DetailType")?;
    // The API takes `Detail` as JSON text; Step Functions' task also lets it be the object.
    let detail = match entry.get("Detail") {
        Some(Value::String(s)) => match crate::source::parse_value(s) {
            Ok(v @ Value::Object(_)) => v,
            _ => return Err(malformed()),
        },
        Some(v @ Value::Object(_)) => v.clone(),
        None | Some(Value::Null) => return Err(required("Detail")),
        Some(_) => return Err(malformed()),
    };
    let bus = match entry.get("EventBusName") {
        None | Some(Value::Null) => DEFAULT_BUS.to_owned(),
        Some(Value::String(s)) => bus_key(s, account, region).ok_or_else(|| {
            invalid(
                "EventBusName",
                "EventBusName must be a bus name (letters, digits, `/ . - _`) or an event bus ARN.",
            )
        })?,
        Some(_) => return Err(invalid("EventBusName", "EventBusName must be a string.")),
    };
    let resources = match entry.get("Resources") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => items.clone(),
        Some(_) => {
            return Err(invalid(
                "Resources",
                "Resources must be a list of ARN strings.",
            ));
        }
    };
    let time = match entry.get("Time") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(
            time::parse_rfc3339(t)
                .map(whole_seconds)
                .ok_or_else(|| invalid("Time", format!("`{t}` is not a timestamp.")))?,
        ),
        // The AWS CLI also takes seconds since the epoch.
        Some(Value::Number(n)) => Some(
            n.as_f64()
                .filter(|s| s.is_finite() && s.abs() < 1e13)
                .map(|s| whole_seconds((s * 1000.0) as Millis))
                .ok_or_else(|| invalid("Time", format!("`{n}` is not a timestamp.")))?,
        ),
        Some(_) => return Err(invalid("Time", "Time must be a timestamp.")),
    };
    Ok(Parts {
        source,
        detail_type,
        detail,
        bus,
        resources,
        time,
    })
}

fn malformed() -> EntryError {
    EntryError {
        code: "MalformedDetail",
        message: "Detail is malformed.".to_owned(),
    }
}

/// One entry as the event the bus receives, and the bus it goes to.
pub fn entry_event(
    entry: &Value,
    env: &Envelope<'_>,
    id: &str,
) -> Result<(String, Value), EntryError> {
    let p = entry_parts(entry, env.account, env.region)?;
    Ok((
        p.bus,
        json!({
            "version": "0",
            "id": id,
            "detail-type": p.detail_type,
            "source": p.source,
            "account": env.account,
            "time": p.time.unwrap_or_else(|| whole_seconds(env.now)),
            "region": env.region,
            "resources": p.resources,
            "detail": p.detail,
        }),
    ))
}

/// For a workflow's `events:putEvents` task: when an entry of `parameters.Entries` fails,
/// the task's error cause, as AWS writes it (`{"Entries": [...], "FailedEntryCount": n}`, the
/// accepted entries with their ids).
pub fn failed_entries_cause(parameters: &Value, seed: u64) -> Option<String> {
    let entries = parameters.get("Entries")?.as_array()?;
    let results: Vec<Value> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| match check_entry(e) {
            Ok(()) => json!({"EventId": uuid(seed, i as u64)}),
            Err(e) => json!({"ErrorCode": e.code, "ErrorMessage": e.message}),
        })
        .collect();
    let failed = results
        .iter()
        .filter(|r| r.get("ErrorCode").is_some())
        .count();
    (failed > 0).then(|| json!({"Entries": results, "FailedEntryCount": failed}).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bus_names() {
        assert_eq!(bus_name("default"), Some("default"));
        assert_eq!(
            bus_name("arn:aws:events:eu-west-1:111122223333:event-bus/central"),
            Some("central")
        );
        assert_eq!(bus_name("arn:aws:sqs:eu-west-1:1:q"), None);
        assert_eq!(bus_name("my bus"), None);
        assert_eq!(bus_name(""), None);
    }
}
