//! What a Custom Event Bus run records: each bus, each publish call's answer, each event kept,
//! each subscriber's lane (its verdict on every event of its bus), each delivery with its
//! attempts, and the dead-letter queues. Indices link them.

use crate::asl::time::Millis;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;

use super::{Ordering, Scope, TargetKind, TransformerType};

/// Everything a run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The buses, in document order.
    pub buses: Vec<BusRecord>,
    /// Each publish call and the API's answer, in the order they were made.
    pub publishes: Vec<PublishRecord>,
    /// Every event a bus kept (published or forwarded), in ingestion order.
    pub events: Vec<EventRecord>,
    /// Each subscriber with its lane.
    pub subscribers: Vec<SubscriberRecord>,
    /// Every delivery (an event a subscriber's filters let through), with its attempts.
    pub deliveries: Vec<Delivery>,
    /// Records in dead-letter queues.
    pub dead_letters: Vec<DeadLetter>,
    /// Why the run stopped accepting events, when it reached statebridge's cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capped: Option<String>,
}

/// A bus as `DescribeEventBus` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusRecord {
    /// `Name`.
    pub name: String,
    /// `EventBusArn`.
    pub arn: String,
    /// `StorageConfiguration.RetentionPeriodInDays`.
    pub retention_days: u32,
    /// `CreationTime`.
    pub created: String,
    /// `StorageConfiguration.RetentionWindowStartTime` at the end of the run.
    pub retention_window_start: String,
}

/// One publish call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishRecord {
    /// Its index in the document's `Publish`.
    pub index: usize,
    /// `PutEvents` or `PutRawEvents`.
    pub operation: Cow<'static, str>,
    /// The bus.
    pub bus: String,
    /// When it was made.
    pub time: String,
    /// The API's answer (`FailedEntryCount`, `Entries`), or the error that refused the whole call.
    pub response: Value,
}

/// One event a bus kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Its index in [`Report::events`].
    pub index: usize,
    /// The bus.
    pub bus: String,
    /// `aws:EventId`.
    pub id: String,
    /// Ingestion time.
    pub time: String,
    /// Ingestion time in milliseconds.
    pub millis: Millis,
    /// `Data`, `Metadata`, `SystemMetadata` (without `aws:DeliveryType`, which each delivery sets).
    pub event: Value,
    /// The publish call and entry it came from, or the delivery that forwarded it.
    pub origin: Value,
    /// Entries of later calls suppressed as its duplicates.
    pub duplicates: usize,
}

/// A subscriber, as `DescribeSubscriber` shows it, with its lane.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscriberRecord {
    /// `Name`.
    pub name: String,
    /// `SubscriberArn`.
    pub arn: String,
    /// The bus it watches.
    pub bus: String,
    /// `InvokeConfiguration.TargetArn`.
    pub target_arn: String,
    /// What the target is.
    pub target: TargetKind,
    /// `Transformer.Type`.
    pub transformer: TransformerType,
    /// `Type`.
    pub ordering: Ordering,
    /// `CreationTime`.
    pub created: String,
    /// From when it reads (its starting position resolved).
    pub reads_from: String,
    /// `PointInTimeConfiguration.EndPoint`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reads_until: Option<String>,
    /// `State`.
    pub state: Cow<'static, str>,
    /// Its lane.
    pub lane: Lane,
}

/// A subscriber's lane: its verdict on each event of its bus within its reach.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lane {
    /// One entry per event considered, in the order considered.
    pub entries: Vec<LaneEntry>,
    /// Events its filters let through.
    pub matched: usize,
    /// Events delivered.
    pub delivered: usize,
    /// Events that went to the dead-letter queue or were dropped.
    pub failed: usize,
}

/// A subscriber's verdict on one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaneEntry {
    /// The event (index into [`Report::events`]).
    pub event: usize,
    /// `LIVE` or `REPLAY`.
    pub delivery_type: Cow<'static, str>,
    /// Each filter's verdict, in the subscriber's order.
    pub verdicts: Vec<Verdict>,
    /// Whether every filter matched.
    pub matched: bool,
    /// The delivery (index into [`Report::deliveries`]) when matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<usize>,
}

/// One filter's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The scope.
    pub scope: Scope,
    /// Whether it matched.
    pub matched: bool,
    /// Why not, in words, when it did not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One delivery of an event to a subscriber's target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "DeliveryRead")]
pub struct Delivery {
    /// The subscriber (index into [`Report::subscribers`]).
    pub subscriber: usize,
    /// The event (index into [`Report::events`]).
    pub event: usize,
    /// `LIVE` or `REPLAY`.
    pub delivery_type: Cow<'static, str>,
    /// The event group it is ordered in (FIFO subscribers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// What the target receives (the transformer's result), or why the transformer failed
    /// (serialized as `payload`, or `payload_error`).
    #[serde(serialize_with = "ok_part", skip_serializing_if = "Result::is_err")]
    pub payload: Result<Value, String>,
    /// Why the transformer gave nothing to deliver (the JSON form of `payload`'s error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload_error: Option<String>,
    /// Every attempt.
    pub attempts: Vec<Attempt>,
    /// How it ended.
    pub outcome: DeliveryOutcome,
}

/// A [`Delivery`] as written: the payload, or its error beside it.
#[derive(Deserialize)]
struct DeliveryRead {
    subscriber: usize,
    event: usize,
    delivery_type: Cow<'static, str>,
    #[serde(default)]
    group: Option<String>,
    #[serde(default)]
    payload: Value,
    #[serde(default)]
    payload_error: Option<String>,
    attempts: Vec<Attempt>,
    outcome: DeliveryOutcome,
}

impl From<DeliveryRead> for Delivery {
    fn from(d: DeliveryRead) -> Delivery {
        Delivery {
            subscriber: d.subscriber,
            event: d.event,
            delivery_type: d.delivery_type,
            group: d.group,
            payload: match &d.payload_error {
                Some(e) => Err(e.clone()),
                None => Ok(d.payload),
            },
            payload_error: d.payload_error,
            attempts: d.attempts,
            outcome: d.outcome,
        }
    }
}

fn ok_part<S: serde::Serializer>(p: &Result<Value, String>, s: S) -> Result<S::Ok, S::Error> {
    p.as_ref().unwrap_or(&Value::Null).serialize(s)
}

/// One delivery attempt: the same record as a classic bus delivery's.
pub use crate::system::Attempt;

/// How a delivery ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DeliveryOutcome {
    /// Still waiting (behind an earlier event of its FIFO group, or for a retry).
    Pending,
    /// The target accepted it; a Custom Event Bus target's new event, a state machine's run.
    Delivered {
        /// The event it became on the target bus (index into [`Report::events`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        forwarded: Option<usize>,
        /// The state machine execution it started: status and output.
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "crate::system::present"
        )]
        execution: Option<Value>,
    },
    /// Retries ran out: the record went to the dead-letter queue.
    DeadLettered {
        /// The queue.
        queue: String,
        /// Why delivery stopped.
        reason: String,
    },
    /// Retries ran out and there is no dead-letter queue.
    Dropped {
        /// Why delivery stopped.
        reason: String,
    },
}

/// A record in a dead-letter queue: the event by id and time, without its payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadLetter {
    /// The queue.
    pub queue: String,
    /// The delivery (index into [`Report::deliveries`]).
    pub delivery: usize,
    /// When it was written.
    pub time: String,
    /// The record.
    pub body: Value,
}
