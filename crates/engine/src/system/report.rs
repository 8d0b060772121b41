//! What a system run records: the bus's event log, every delivery with its attempts, every
//! execution with its history, the dead-letter queues. Indices link them (an execution names the
//! event and delivery that started it; an event names the execution that put it).

use crate::asl::exec::Status;
use crate::asl::history::HistoryEvent;
use crate::asl::time::Millis;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Everything a run did, in the order it happened on the virtual clock.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capped: Option<String>,
    /// How many events the cap refused.
    pub rejected: usize,
    /// PutEvents' answer to the input put from outside, when it was PutEvents entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put_events: Option<crate::put_events::PutEventsResult>,
    /// The time window schedules fired in, when the workspace has any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_window: Option<Window>,
    /// Every firing of a scheduled rule or a Scheduler schedule in the window, in time order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firings: Vec<Firing>,
    /// Rules and schedules that would have fired more often in the window than the cap allows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub firings_cut: Vec<String>,
    /// Every replay started, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replays: Vec<ReplayRecord>,
    /// The Custom Event Bus run (`EventsV2` in the rules document), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eventsv2: Option<crate::eventsv2::Report>,
    /// What each EventBridge pipe did with its source's records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pipes: Vec<super::PipeRun>,
    /// The definitions the executions ran, each once (an execution names its own by index:
    /// [`ExecutionRecord::definition`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub definitions: Vec<Value>,
}

impl Report {
    /// The definition execution `e` ran.
    pub fn definition(&self, e: &ExecutionRecord) -> Option<&Value> {
        self.definitions.get(e.definition)
    }
}

/// A time window on the virtual clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// Start (RFC 3339 with milliseconds), inclusive.
    pub from: String,
    /// End (RFC 3339 with milliseconds), exclusive.
    pub until: String,
}

/// What fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FiringKind {
    /// A rule's `ScheduleExpression`: a "Scheduled Event" to the rule's targets.
    Rule,
    /// An EventBridge Scheduler schedule: its target invoked with its Input.
    Schedule,
}

/// One firing of a schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Firing {
    /// A rule's schedule or a Scheduler schedule.
    pub kind: FiringKind,
    /// The rule's or schedule's name.
    pub name: String,
    /// The schedule expression.
    pub expression: String,
    /// The time the expression names (RFC 3339 with milliseconds).
    pub scheduled: String,
    /// When it fired: the scheduled time plus the flexible window's offset, if any.
    pub time: String,
    /// When it fired, in milliseconds since the epoch.
    pub millis: Millis,
    /// The event it made (index into [`Report::events`]), once it fired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<usize>,
}

/// One replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplayRecord {
    /// `ReplayName`.
    pub name: String,
    /// The archive it read.
    pub archive: String,
    /// The bus it replayed into.
    pub bus: String,
    /// When it started (RFC 3339 with milliseconds).
    pub time: String,
    /// `EventStartTime` (RFC 3339 with milliseconds).
    pub from: String,
    /// `EventEndTime` (RFC 3339 with milliseconds).
    pub to: String,
    /// How many archived events it put back on the bus.
    pub events: usize,
    /// The rules that saw them (`FilterArns`); absent: every rule of the bus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Vec<String>>,
}

/// Where an event came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// A rule's schedule fired: the "Scheduled Event" that goes to that rule's targets only.
    Scheduled {
        /// The rule.
        rule: String,
        /// The firing's index in [`Report::firings`].
        firing: usize,
    },
    /// An EventBridge Scheduler schedule fired: its target's Input (on the `(scheduler)` lane,
    /// which is no bus), or the event it put on a bus target.
    Schedule {
        /// The schedule's name.
        name: String,
        /// The firing's index in [`Report::firings`].
        firing: usize,
    },
    /// An EventBridge pipe's batch: its delivery on the pipe's lane, or an event it put on a bus.
    Pipe {
        /// The pipe's name.
        name: String,
        /// The batch's index in the pipe's `batches`.
        batch: usize,
    },
    /// Delivered by a Custom Event Bus subscriber whose target is this (classic) bus.
    Subscriber {
        /// The Custom Event Bus.
        bus: String,
        /// The subscriber.
        subscriber: String,
        /// The delivery's index in the Custom Event Bus report's `deliveries`.
        delivery: usize,
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
            Origin::Scheduled { rule, .. } => format!("the schedule of rule `{rule}`"),
            Origin::Schedule { name, .. } => format!("Scheduler schedule `{name}`"),
            Origin::Pipe { name, batch } => format!("batch {batch} of pipe `{name}`"),
            Origin::Subscriber {
                bus, subscriber, ..
            } => format!("subscriber `{subscriber}` of Custom Event Bus `{bus}`"),
        }
    }
}

/// One event the bus accepted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Whether an archive kept it (replayed events are not archived again).
    pub archived: bool,
    /// The archives that kept it (`(all events)`: statebridge's implicit archive, when the
    /// workspace declares none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub archives: Vec<String>,
}

/// One target of one matched rule, for one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(serialize_with = "input_or_error", deserialize_with = "read_input")]
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
    let mut m = s.serialize_map(None)?;
    match v {
        Ok(d) => match &d.json {
            Some(j) => {
                m.serialize_entry("json", j)?;
                // The exact text too when it is not the value's compact JSON (spaces in a
                // constant `Input`), so the input reads back as it was.
                if serde_json::to_string(j).ok().as_deref() != Some(d.text.as_str()) {
                    m.serialize_entry("text", &d.text)?;
                }
            }
            None => m.serialize_entry("text", &d.text)?,
        },
        Err(e) => m.serialize_entry("error", e)?,
    }
    m.end()
}

/// Reads what [`input_or_error`] wrote.
fn read_input<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Result<crate::transform::Delivered, String>, D::Error> {
    #[derive(Deserialize)]
    struct Parts {
        // Present (a `null` is the JSON value null), or absent.
        #[serde(default, deserialize_with = "present")]
        json: Option<Value>,
        #[serde(default)]
        text: Option<String>,
        #[serde(default)]
        error: Option<String>,
    }
    let p = Parts::deserialize(d)?;
    if let Some(e) = p.error {
        return Ok(Err(e));
    }
    let text = match (p.text, &p.json) {
        (Some(t), _) => t,
        (None, Some(j)) => serde_json::to_string(j).map_err(serde::de::Error::custom)?,
        (None, None) => return Err(serde::de::Error::missing_field("json")),
    };
    Ok(Ok(crate::transform::Delivered { text, json: p.json }))
}

/// A member that is there, whatever its value (`null` included).
pub(crate) fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// One attempt at a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attempt {
    /// When (RFC 3339 with milliseconds).
    pub time: String,
    /// When, in milliseconds since the epoch.
    pub millis: Millis,
    /// The error code when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What went wrong, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// How a delivery ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeliveryOutcome {
    /// Still being retried (only seen in a run stopped early).
    Pending,
    /// The target received it; a state machine target started this execution.
    Delivered {
        /// The execution's index, when one was started.
        #[serde(default, skip_serializing_if = "Option::is_none")]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    /// The alias named, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::system::present"
    )]
    pub output: Option<Value>,
    /// The error, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    /// The definition that ran: its index in [`Report::definitions`] ([`Report::definition`]).
    pub definition: usize,
    /// PutEvents entries the bus refused, with why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused_entries: Vec<String>,
}

/// A message in a dead-letter queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
