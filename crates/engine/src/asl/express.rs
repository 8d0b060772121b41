//! Express workflows (`"Type": "EXPRESS"` in `CreateStateMachine`): what AWS refuses in their
//! definitions, and the CloudWatch Logs events they leave instead of an execution history.
//!
//! An Express workflow runs for at most five minutes ([`super::exec::MAX_EXPRESS_SECONDS`]:
//! the execution then ends `TIMED_OUT`), supports neither the Job-run (`.sync`) nor the
//! Callback (`.waitForTaskToken`) integration pattern nor activities, cannot be redriven, and
//! has no `GetExecutionHistory`: its events go to CloudWatch Logs, one log event per history
//! event ([`log_events`]).
//!
//! ```
//! use statebridge_engine::asl::express;
//! let found = express::validate(r#"{"StartAt": "Publish", "States": {"Publish": {"Type": "Task",
//!   "Resource": "arn:aws:states:::sns:publish.waitForTaskToken", "End": true}}}"#);
//! assert_eq!(found[0].message,
//!   "Express state machine does not support '.waitForTaskToken' service integration");
//! assert_eq!((found[0].line, found[0].column), (Some(2), Some(15)));
//! ```

use super::definition::{Kind, StateMachine};
use super::diagnostic::Diagnostic;
use super::history::HistoryEvent;
use super::resource::ResourceKind;
use serde_json::{Map, Value, json};

/// What `CreateStateMachine` refuses in an EXPRESS machine's definition, with AWS's messages
/// (`SCHEMA_VALIDATION_FAILED`, at the Task's `Resource`).
pub fn problems(machine: &StateMachine) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    walk(machine, &mut found);
    found
}

/// [`super::validate`] for an EXPRESS machine: the definition's problems, then what an Express
/// workflow refuses, each with line and column.
pub fn validate(text: &str) -> Vec<Diagnostic> {
    let (machine, mut found) = super::parse(text);
    let mut more = problems(&machine);
    if let Ok((_, map)) = crate::source::parse(text) {
        for d in &mut more {
            if let Some(s) = map.value_span(&d.pointer) {
                d.line = Some(s.line);
                d.column = Some(s.column);
            }
        }
    }
    found.append(&mut more);
    found
}

fn walk(machine: &StateMachine, found: &mut Vec<Diagnostic>) {
    for state in &machine.states {
        match &state.kind {
            Kind::Task(t) => {
                let message = match &t.kind {
                    ResourceKind::Activity => {
                        Some("Express state machine does not support Activity ARN".to_owned())
                    }
                    ResourceKind::Service { .. } => pattern(&t.resource).map(|p| {
                        format!("Express state machine does not support '{p}' service integration")
                    }),
                    ResourceKind::Lambda => None,
                };
                if let Some(message) = message {
                    found.push(Diagnostic {
                        code: "SCHEMA_VALIDATION_FAILED",
                        state: Some(state.name.clone()),
                        field: Some("Resource".into()),
                        pointer: format!("{}/Resource", state.pointer),
                        message,
                        line: None,
                        column: None,
                        value_offset: None,
                    });
                }
            }
            Kind::Parallel(p) => p.branches.iter().for_each(|b| walk(b, found)),
            Kind::Map(m) => walk(&m.processor, found),
            _ => {}
        }
    }
}

/// The integration pattern a service ARN names (`.sync`, `.waitForTaskToken`), if any.
fn pattern(resource: &str) -> Option<&'static str> {
    let action = resource
        .rsplit(':')
        .find(|p| !p.chars().all(|c| c.is_ascii_digit()))?;
    if action.ends_with(".sync") {
        Some(".sync")
    } else if action.ends_with(".waitForTaskToken") {
        Some(".waitForTaskToken")
    } else {
        None
    }
}

/// The execution's events as CloudWatch Logs holds them for an Express workflow (log level
/// `ALL`, execution data included): one JSON object per event, with `id`, `type`, `details`
/// (the event's details, payloads as JSON text), `previous_event_id`, `event_timestamp`
/// (milliseconds since the epoch), `execution_arn` and `redrive_count`, every number as a
/// string, as AWS writes them.
pub fn log_events(history: &[HistoryEvent], execution_arn: &str) -> Vec<Value> {
    history
        .iter()
        .map(|e| {
            let details = match serde_json::to_value(e) {
                Ok(Value::Object(mut o)) => o
                    .remove(e.event_type.details_key())
                    .unwrap_or_else(|| Value::Object(Map::new())),
                _ => Value::Object(Map::new()),
            };
            json!({
                "id": e.id.to_string(),
                "type": e.event_type.as_str(),
                "details": details,
                "previous_event_id": e.previous_event_id.to_string(),
                "event_timestamp": e.millis.to_string(),
                "execution_arn": execution_arn,
                "redrive_count": "0",
            })
        })
        .collect()
}
