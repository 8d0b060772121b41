//! What a system run records: the bus's event log, every delivery with its attempts, every
//! execution with its history, the dead-letter queues. Indices link them (an execution names the
//! event and delivery that started it; an event names the execution that put it).

use crate::asl::exec::Status;
use crate::asl::history::HistoryEvent;
use crate::asl::time::Millis;
use serde::Serialize;
use serde_json::Value;

/// Everything a run did, in the order it happened on the virtual clock.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// Every event the bus accepted, in arrival order.
    pub events: Vec<BusEvent>,
    /// Every (rule, target) delivery of an event, with its attempts.
    pub deliveries: Vec<Delivery>,
    /// Every execution started, in start order.
    pub executions: Vec<ExecutionRecord>,
    /// Messages in dead-letter queues.
    pub dead_letters: Vec<DeadLetter>,
    /// Why the bus stopped accepting events, when the cap was reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capped: Option<String>,
    /// How many events the cap refused.
    pub rejected: usize,
    /// PutEvents' answer to the input put from outside, when it was PutEvents entries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub put_events: Option<crate::put_events::PutEventsResult>,
}

/// Where an event came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// Put on the bus from outside (the workspace's event, a test).
    Put,
    /// Put by an execution's `events:putEvents` task.
    PutEvents {
        /// The execution's index.
        execution: usize,
        /// The Task state.
        state: String,
    },
    /// Step Functions' "Execution Status Change".
    StatusChange {
        /// The execution's index.
        execution: usize,
    },
    /// Forwarded by a rule whose target is this bus.
    Forwarded {
        /// The index of the event on the sending bus.
        of: usize,
        /// The sending bus.
        from: String,
        /// The rule that forwarded it.
        rule: String,
    },
    /// Replayed from the archive.
    Replay {
        /// The replay's name.
        name: String,
        /// The index of the archived event.
        of: usize,
    },
}

impl Origin {
    /// In words, for messages.
    pub fn describe(&self, report: &Report) -> String {
        let machine = |i: &usize| {
            report.executions.get(*i).map_or_else(
                || format!("execution {i}"),
                |e| format!("an execution of `{}`", e.machine),
            )
        };
        match self {
            Origin::Put => "outside the system".to_owned(),
            Origin::PutEvents { execution, state } => {
                format!("state `{state}` of {}", machine(execution))
            }
            Origin::StatusChange { execution } => {
                format!("the status change of {}", machine(execution))
            }
            Origin::Forwarded { from, rule, .. } => {
                format!("rule `{rule}` of bus `{from}`")
            }
            Origin::Replay { name, .. } => format!("replay `{name}`"),
        }
    }
}

/// One event the bus accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusEvent {
    /// Its position in the log.
    pub index: usize,
    /// The event's `id`.
    pub id: String,
    /// The bus it was put on.
    pub bus: String,
    /// When it arrived (RFC 3339 with milliseconds).
    pub time: String,
    /// When it arrived, in milliseconds since the epoch.
    pub millis: Millis,
    /// The event as rules see it.
    pub event: Value,
    /// Where it came from.
    pub origin: Origin,
    /// The enabled rules it matched, in file order.
    pub matched: Vec<String>,
    /// The deliveries it caused (indices into [`Report::deliveries`]).
    pub deliveries: Vec<usize>,
    /// Whether the archive kept it (replayed events are not archived again).
    pub archived: bool,
}

/// One target of one matched rule, for one event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    /// The event's index.
    pub event: usize,
    /// The rule.
    pub rule: String,
    /// The target's id.
    pub target: String,
    /// The target's ARN.
    pub arn: String,
    /// What the target receives, or why it could not be made.
    #[serde(serialize_with = "input_or_error")]
    pub input: Result<crate::transform::Delivered, String>,
    /// Every attempt, first to last.
    pub attempts: Vec<Attempt>,
    /// How it ended.
    pub outcome: DeliveryOutcome,
}

fn input_or_error<S: serde::Serializer>(
    v: &Result<crate::transform::Delivered, String>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(1))?;
    match v {
        Ok(d) => match &d.json {
            Some(j) => m.serialize_entry("json", j)?,
            None => m.serialize_entry("text", &d.text)?,
        },
        Err(e) => m.serialize_entry("error", e)?,
    }
    m.end()
}

/// One attempt at a delivery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    /// When (RFC 3339 with milliseconds).
    pub time: String,
    /// When, in milliseconds since the epoch.
    pub millis: Millis,
    /// The error code when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What went wrong, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// How a delivery ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeliveryOutcome {
    /// Still being retried (only seen in a run stopped early).
    Pending,
    /// The target received it; a state machine target started this execution.
    Delivered {
        /// The execution's index, when one was started.
        #[serde(skip_serializing_if = "Option::is_none")]
        execution: Option<usize>,
    },
    /// Retries ran out; the event went to the dead-letter queue.
    DeadLettered {
        /// The queue's ARN.
        queue: String,
        /// Why it was given up.
        reason: String,
    },
    /// Retries ran out and the target has no dead-letter queue: the event is lost.
    Dropped {
        /// Why it was given up.
        reason: String,
    },
}

/// One execution the run started.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExecutionRecord {
    /// Its position in [`Report::executions`].
    pub index: usize,
    /// The execution's name.
    pub name: String,
    /// The execution's ARN.
    pub arn: String,
    /// The machine's name in the workspace.
    pub machine: String,
    /// The ARN started (with `:version` or `:alias` when one was named).
    pub state_machine_arn: String,
    /// The version started, when a version or alias was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// The alias named, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The event that started it.
    pub event: usize,
    /// The delivery that started it.
    pub delivery: usize,
    /// Its input.
    pub input: Value,
    /// How it ended.
    pub status: Status,
    /// Its output, when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// The error, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Start (RFC 3339 with milliseconds).
    pub start: String,
    /// Stop (RFC 3339 with milliseconds).
    pub stop: String,
    /// Start, in milliseconds since the epoch.
    pub start_millis: Millis,
    /// Stop, in milliseconds since the epoch.
    pub stop_millis: Millis,
    /// Its history, as GetExecutionHistory shapes it.
    pub history: Vec<HistoryEvent>,
    /// The definition that ran (not printed: the workspace holds it).
    #[serde(skip)]
    pub definition: Value,
    /// PutEvents entries the bus refused, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub refused_entries: Vec<String>,
}

/// A message in a dead-letter queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeadLetter {
    /// The queue's ARN.
    pub queue: String,
    /// The event's index.
    pub event: usize,
    /// The delivery's index.
    pub delivery: usize,
    /// When it was sent (RFC 3339 with milliseconds).
    pub time: String,
    /// When, in milliseconds since the epoch.
    pub millis: Millis,
    /// EventBridge's message attributes: `ERROR_CODE`, `ERROR_MESSAGE`, `RULE_ARN`, `TARGET_ARN`,
    /// `RETRY_ATTEMPTS`.
    pub attributes: Value,
    /// The message body: the event.
    pub body: Value,
}
