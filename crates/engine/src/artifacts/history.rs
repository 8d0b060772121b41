//! A real execution's history, as the AWS CLI prints it, read for replay.
//!
//! `aws stepfunctions get-execution-history` prints `{"events": [...], "nextToken": "…"}` a page
//! at a time; people paste one page, several pages one after another, a JSON array of pages, or a
//! bare array of events, sometimes with the output of `describe-execution` (status, input, output)
//! and `describe-state-machine` (the definition, as JSON text) beside them. Every one of those
//! documents is recognised by its members; pages may come in any order (`--reverse-order`), so the
//! events are put in `id` order — by index, not by sorting, since ids run 1..n.
//!
//! ```
//! use statebridge_engine::artifacts::history::import;
//! let text = r#"{"events": [
//!   {"id": 2, "previousEventId": 1, "timestamp": 1700000000.5, "type": "PassStateEntered",
//!    "stateEnteredEventDetails": {"name": "P", "input": "{}"}},
//!   {"id": 1, "previousEventId": 0, "timestamp": "2023-11-14T22:13:20.000000+00:00",
//!    "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "{}"}}]}"#;
//! let h = import(text).unwrap();
//! assert_eq!(h.events[0]["id"], 1);
//! assert_eq!(h.millis, vec![1_700_000_000_000, 1_700_000_000_500]);
//! let err = import(r#"{"events": [{"id": 1, "type": "ExecutionStarted", "timestamp": "yesterday"}]}"#).unwrap_err();
//! assert_eq!(err.to_string(), "line 1, column 64 (events[0].timestamp): \"yesterday\" is not a timestamp as the AWS CLI prints them (ISO 8601 with a zone, or seconds since 1970)");
//! ```

use super::{ArtifactError, documents, locate};
use crate::asl::event_kind::EventKind;
use crate::asl::time::parse_rfc3339;
use crate::source;
use serde_json::{Map, Value};
use std::fmt::Write as _;

/// An execution history read from the AWS CLI's output, events in `id` order.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedHistory {
    /// The events as AWS printed them (timestamps untouched), in `id` order.
    pub events: Vec<Value>,
    /// Each event's time in milliseconds since the epoch (same order as `events`).
    pub millis: Vec<i64>,
    /// `describe-execution`'s answer, when it was pasted too.
    pub execution: Option<Map<String, Value>>,
    /// The state machine definition, from `describe-state-machine` (its `definition` text) or
    /// `describe-execution` of a redriven/versioned run, when given.
    pub definition: Option<Value>,
    /// How many history pages were read.
    pub pages: usize,
    /// Things that do not stop the replay but a reader should know (an event type this version
    /// does not know, a page that says more follow, a gap in the ids).
    pub warnings: Vec<String>,
}

impl ImportedHistory {
    /// The execution's status: describe-execution's, else the last event's (`RUNNING` when the
    /// history has no ending event).
    pub fn status(&self) -> String {
        if let Some(s) = self
            .execution
            .as_ref()
            .and_then(|e| e.get("status"))
            .and_then(Value::as_str)
        {
            return s.to_owned();
        }
        let last = self.events.last().and_then(|e| e["type"].as_str());
        match last {
            Some("ExecutionSucceeded") => "SUCCEEDED",
            Some("ExecutionFailed") => "FAILED",
            Some("ExecutionTimedOut") => "TIMED_OUT",
            Some("ExecutionAborted") => "ABORTED",
            _ => "RUNNING",
        }
        .to_owned()
    }

    /// The execution's input as JSON text (ExecutionStarted's, else describe-execution's).
    pub fn input(&self) -> Option<String> {
        let started = self.events.first().and_then(|e| {
            e.get("executionStartedEventDetails")?
                .get("input")?
                .as_str()
                .map(str::to_owned)
        });
        started.or_else(|| {
            self.execution
                .as_ref()?
                .get("input")?
                .as_str()
                .map(str::to_owned)
        })
    }
}

/// Reads pasted `get-execution-history` output (and optional `describe-execution` /
/// `describe-state-machine` output). Linear in the text: the documents are read without a source
/// map, and read again with one only to say where a problem is.
pub fn import(text: &str) -> Result<ImportedHistory, ArtifactError> {
    let mut out = ImportedHistory {
        events: vec![],
        millis: vec![],
        execution: None,
        definition: None,
        pages: 0,
        warnings: vec![],
    };
    // Events with the pointer they came from, for messages.
    let mut raw: Vec<(Value, usize, String)> = vec![];
    let docs = documents(text)?;
    if docs.is_empty() {
        return Err(ArtifactError::new(
            1,
            1,
            "",
            "nothing to read: paste the output of `aws stepfunctions get-execution-history`",
        ));
    }
    for (doc_index, doc) in docs.iter().enumerate() {
        let value = source::parse_value(doc.text).map_err(|e| doc.syntax(&e))?;
        take_document(value, doc_index, "", &mut out, &mut raw)
            .map_err(|(pointer, message)| locate(text, &docs, doc_index, &pointer, message))?;
    }
    if raw.is_empty() {
        return Err(ArtifactError::new(
            1,
            1,
            "",
            "no history events found: expected `{\"events\": [...]}` as `aws stepfunctions get-execution-history` prints it",
        ));
    }
    order_events(text, &docs, raw, &mut out)?;
    Ok(out)
}

type Problem = (String, String);

fn take_document(
    value: Value,
    doc: usize,
    pointer: &str,
    out: &mut ImportedHistory,
    raw: &mut Vec<(Value, usize, String)>,
) -> Result<(), Problem> {
    match value {
        Value::Array(items) => {
            // A bare array of events, or of pages.
            let pages = items.first().is_some_and(|v| v.get("events").is_some());
            if !pages {
                out.pages += 1;
            }
            for (i, item) in items.into_iter().enumerate() {
                let p = format!("{pointer}/{i}");
                if pages {
                    take_document(item, doc, &p, out, raw)?;
                } else {
                    raw.push((item, doc, p));
                }
            }
            Ok(())
        }
        Value::Object(mut map) => {
            if let Some(events) = map.remove("events") {
                let Value::Array(events) = events else {
                    return Err((
                        format!("{pointer}/events"),
                        format!("`events` should be a list, found {}", kind(&events)),
                    ));
                };
                out.pages += 1;
                for (i, e) in events.into_iter().enumerate() {
                    raw.push((e, doc, format!("{pointer}/events/{i}")));
                }
                if map.get("nextToken").is_some_and(|t| !t.is_null()) && out.warnings.is_empty() {
                    out.warnings.push(
                        "a page ends with `nextToken`: more events may follow (paste every page, or run the CLI without --max-items)".into(),
                    );
                }
                // The console's export and some scripts nest describe-execution beside the events.
                for key in ["execution", "describeExecution"] {
                    if let Some(Value::Object(e)) = map.remove(key) {
                        take_description(e, out);
                    }
                }
                Ok(())
            } else if map.contains_key("executionArn") && map.contains_key("status") {
                take_description(map, out);
                Ok(())
            } else if let Some(def) = map.get("definition") {
                out.definition = Some(read_definition(def, pointer)?);
                Ok(())
            } else if map.contains_key("StartAt") && map.contains_key("States") {
                out.definition = Some(Value::Object(map));
                Ok(())
            } else if map.contains_key("type") && map.contains_key("id") {
                out.pages += 1;
                raw.push((Value::Object(map), doc, pointer.to_owned()));
                Ok(())
            } else {
                Err((
                    pointer.to_owned(),
                    "not a history page (`events`), an event, describe-execution's or describe-state-machine's output".into(),
                ))
            }
        }
        other => Err((
            pointer.to_owned(),
            format!(
                "expected a JSON object with `events`, found {}",
                kind(&other)
            ),
        )),
    }
}

fn take_description(map: Map<String, Value>, out: &mut ImportedHistory) {
    if let Some(Value::String(def)) = map.get("definition")
        && let Ok(v) = serde_json::from_str(def)
    {
        out.definition = Some(v);
    }
    out.execution = Some(map);
}

fn read_definition(def: &Value, pointer: &str) -> Result<Value, Problem> {
    match def {
        Value::String(s) => source::parse_value(s).map_err(|e| {
            (
                format!("{pointer}/definition"),
                format!("the definition text is not JSON ({e})"),
            )
        }),
        Value::Object(_) => Ok(def.clone()),
        other => Err((
            format!("{pointer}/definition"),
            format!("`definition` should be JSON text, found {}", kind(other)),
        )),
    }
}

/// Checks every event and puts them in `id` order (ids are 1..n: a slot per id, no sort).
fn order_events(
    text: &str,
    docs: &[super::Doc<'_>],
    raw: Vec<(Value, usize, String)>,
    out: &mut ImportedHistory,
) -> Result<(), ArtifactError> {
    let n = raw.len();
    let mut slots: Vec<Option<(Value, i64)>> = vec![None; n];
    let mut extra: Vec<(u64, Value, i64)> = vec![];
    let mut unknown: Vec<String> = vec![];
    for (event, doc, pointer) in raw {
        let fail = |sub: &str, message: String| {
            locate(text, docs, doc, &format!("{pointer}{sub}"), message)
        };
        let Value::Object(map) = &event else {
            return Err(fail(
                "",
                format!("an event should be an object, found {}", kind(&event)),
            ));
        };
        let id = match map.get("id") {
            Some(Value::Number(n)) if n.as_u64().is_some_and(|id| id > 0) => {
                n.as_u64().unwrap_or(0)
            }
            Some(v) => {
                return Err(fail(
                    "/id",
                    format!("`id` should be a positive whole number, found {v}"),
                ));
            }
            None => return Err(fail("", "the event has no `id`".into())),
        };
        let ty = match map.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(v) => {
                return Err(fail(
                    "/type",
                    format!("`type` should be a string, found {v}"),
                ));
            }
            None => return Err(fail("", format!("event {id} has no `type`"))),
        };
        if EventKind::from_name(ty).is_none() && !unknown.iter().any(|u| u == ty) {
            unknown.push(ty.to_owned());
        }
        match map.get("previousEventId") {
            None | Some(Value::Null) => {}
            Some(Value::Number(p)) if p.as_u64().is_some_and(|p| p < id) => {}
            Some(v) => {
                return Err(fail(
                    "/previousEventId",
                    format!(
                        "`previousEventId` should be the id of an earlier event (below {id}), found {v}"
                    ),
                ));
            }
        }
        let millis = match map.get("timestamp") {
            Some(t) => timestamp(t).ok_or_else(|| {
                fail(
                    "/timestamp",
                    format!("{t} is not a timestamp as the AWS CLI prints them (ISO 8601 with a zone, or seconds since 1970)"),
                )
            })?,
            None => return Err(fail("", format!("event {id} has no `timestamp`"))),
        };
        let slot = usize::try_from(id - 1).ok().filter(|&i| i < n);
        match slot.map(|i| &mut slots[i]) {
            Some(Some(_)) => return Err(fail("/id", format!("two events have the id {id}"))),
            Some(s) => *s = Some((event, millis)),
            None => extra.push((id, event, millis)),
        }
    }
    // Ids beyond n mean some are missing (a page not pasted): keep order, say so.
    extra.sort_by_key(|(id, _, _)| *id);
    let mut missing = 0usize;
    for slot in slots {
        match slot {
            Some((e, ms)) => {
                out.events.push(e);
                out.millis.push(ms);
            }
            None => missing += 1,
        }
    }
    for w in extra.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(ArtifactError::new(
                1,
                1,
                "",
                format!("two events have the id {}", w[0].0),
            ));
        }
    }
    for (_, e, ms) in extra {
        out.events.push(e);
        out.millis.push(ms);
    }
    if missing > 0 {
        out.warnings.push(format!(
            "{missing} event id(s) between 1 and the last are missing: was a page left out?"
        ));
    }
    if !unknown.is_empty() {
        let mut w =
            String::from("event types this version does not know, replayed without effect: ");
        for (i, u) in unknown.iter().enumerate() {
            let _ = write!(w, "{}{u}", if i > 0 { ", " } else { "" });
        }
        out.warnings.push(w);
    }
    Ok(())
}

/// A timestamp as the AWS CLI prints it: ISO 8601 with a zone (v2's default, microseconds and
/// `+00:00` included), or seconds since the epoch as a number (v1's default, `--cli-timestamp-format none`).
pub fn timestamp(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => {
            let f = n.as_f64()?;
            (f.is_finite() && f.abs() < 1e13).then(|| (f * 1000.0).round() as i64)
        }
        Value::String(s) => parse_rfc3339(s).or_else(|| {
            // A number of seconds written as text.
            let f: f64 = crate::number::parse_f64(s)?;
            (f.is_finite() && f.abs() < 1e13).then(|| (f * 1000.0).round() as i64)
        }),
        _ => None,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
