//! Many sample events against every rule: a rules × events table of verdicts, each non-match
//! with the pattern matcher's reasons (the same lines the Rules pane and `match --explain` show).
//!
//! Events may be pasted as JSON documents one after another (JSON Lines included), a list, or
//! PutEvents input (entries, `{"Entries": [...]}`): each becomes the event the bus receives, on
//! its bus; a rule sees only the events on its `EventBusName` (default `default`).
//!
//! ```
//! use statebridge_engine::artifacts::matrix::matrix;
//! let rules = serde_json::json!({"Rules": [{"Name": "big", "EventPattern": {"detail": {"total": [{"numeric": [">", 100]}]}}, "Targets": []}]});
//! let m = matrix(&rules, "{\"detail\": {\"total\": 500}}\n{\"detail\": {\"total\": 5}}").unwrap();
//! assert!(m.cells[0][0].matched && !m.cells[0][1].matched);
//! assert_eq!(m.cells[0][1].reasons, ["`detail.total` is 5; the pattern wants a number > 100"]);
//! ```

use super::{ArtifactError, documents, locate};
use crate::pattern::Pattern;
use crate::put_events::{self, DEFAULT_BUS, Envelope};
use crate::source;
use serde::Serialize;
use serde_json::Value;

/// One rule's row header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRule {
    /// The rule's name.
    pub name: String,
    /// Its bus.
    pub bus: String,
    /// Why the rule cannot match anything (an invalid or missing pattern), if so.
    pub problem: Option<String>,
}

/// One event's column header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixEvent {
    /// A short label: `source / detail-type`.
    pub label: String,
    /// The bus the event is put on.
    pub bus: String,
    /// Where it starts in the pasted text (1-based).
    pub line: u32,
    /// The event as the bus receives it.
    pub event: Value,
}

/// One verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Whether the rule matches the event.
    pub matched: bool,
    /// Why not, one line per unmet field (empty when it matches).
    pub reasons: Vec<String>,
}

/// Rules × events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    /// The rows.
    pub rules: Vec<MatrixRule>,
    /// The columns.
    pub events: Vec<MatrixEvent>,
    /// `cells[rule][event]`.
    pub cells: Vec<Vec<Cell>>,
}

/// Reads the events pasted in `events` (see the module doc) with their line numbers.
pub fn read_events(text: &str) -> Result<Vec<MatrixEvent>, ArtifactError> {
    let docs = documents(text)?;
    let env = Envelope::default();
    let mut out = vec![];
    for (i, doc) in docs.iter().enumerate() {
        let value = source::parse_value(doc.text).map_err(|e| doc.syntax(&e))?;
        let items: Vec<(String, Value)> = match value {
            Value::Array(items) => items
                .into_iter()
                .enumerate()
                .map(|(k, v)| (format!("/{k}"), v))
                .collect(),
            Value::Object(mut m) if m.contains_key("Entries") => match m.remove("Entries") {
                Some(Value::Array(items)) => items
                    .into_iter()
                    .enumerate()
                    .map(|(k, v)| (format!("/Entries/{k}"), v))
                    .collect(),
                _ => {
                    return Err(locate(
                        text,
                        &docs,
                        i,
                        "/Entries",
                        "`Entries` should be a list".into(),
                    ));
                }
            },
            other => vec![(String::new(), other)],
        };
        for (pointer, item) in items {
            let put = put_events::read(&item, &env)
                .map_err(|e| locate(text, &docs, i, &pointer, e.to_string()))?;
            if let Some(failed) = put.result.entries.iter().find_map(|e| match e {
                put_events::ResultEntry::Failed {
                    error_code,
                    error_message,
                } => Some(format!(
                    "PutEvents refuses this entry: {error_code}: {error_message}"
                )),
                put_events::ResultEntry::Put { .. } => None,
            }) {
                return Err(locate(text, &docs, i, &pointer, failed));
            }
            let line = locate(text, &docs, i, &pointer, String::new()).line;
            for e in put.events {
                let s = |k: &str| {
                    e.event
                        .get(k)
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_owned()
                };
                out.push(MatrixEvent {
                    label: format!("{} / {}", s("source"), s("detail-type")),
                    bus: e.bus,
                    line,
                    event: e.event,
                });
            }
        }
    }
    Ok(out)
}

/// Every rule of a rules document (`{"Rules": [...]}` or a list of rules) against every event
/// pasted in `events`. Linear in rules × events; a rule's pattern is parsed once.
pub fn matrix(rules: &Value, events: &str) -> Result<Matrix, ArtifactError> {
    let events = read_events(events)?;
    let list = match rules {
        Value::Array(l) => l.as_slice(),
        other => other
            .get("Rules")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice),
    };
    let mut rows = vec![];
    let mut cells = vec![];
    for (i, r) in list.iter().enumerate() {
        let name = r
            .get("Name")
            .and_then(Value::as_str)
            .map_or_else(|| format!("rule {}", i + 1), str::to_owned);
        let bus = r
            .get("EventBusName")
            .and_then(Value::as_str)
            .map(|b| put_events::bus_name(b).unwrap_or(b).to_owned())
            .unwrap_or_else(|| DEFAULT_BUS.to_owned());
        let pattern = match r.get("EventPattern") {
            Some(Value::String(t)) => source::parse_value(t)
                .map_err(|e| format!("its EventPattern text is not JSON ({e})"))
                .and_then(|v| Pattern::parse(&v).map_err(|e| e.to_string())),
            Some(v @ Value::Object(_)) => Pattern::parse(v).map_err(|e| e.to_string()),
            _ => Err("it has no EventPattern (a scheduled rule matches no event)".to_owned()),
        };
        let row: Vec<Cell> = events
            .iter()
            .map(|e| match &pattern {
                Err(p) => Cell {
                    matched: false,
                    reasons: vec![p.clone()],
                },
                Ok(_) if e.bus != bus => Cell {
                    matched: false,
                    reasons: vec![format!(
                        "the event is on bus `{}`, the rule on `{bus}`",
                        e.bus
                    )],
                },
                Ok(p) => {
                    let x = p.explain(&e.event);
                    Cell {
                        matched: x.matched,
                        reasons: x.reasons(),
                    }
                }
            })
            .collect();
        rows.push(MatrixRule {
            name,
            bus,
            problem: pattern.err(),
        });
        cells.push(row);
    }
    Ok(Matrix {
        rules: rows,
        events,
        cells,
    })
}
