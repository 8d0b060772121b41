//! The Custom Event Bus (the `eventsv2` API, SDK client `eventbridgev2`, API version 2025-05-15):
//! buses that keep their events, subscribers that filter, transform and deliver each event to one
//! target, publishing with `PutEvents` and `PutRawEvents` — all on one virtual clock.
//!
//! A document holds what a user pastes from the API (each request as its `--cli-input-json`):
//!
//! ```json
//! {"EventBuses":  [CreateEventBus requests],
//!  "Subscribers": [CreateSubscriber requests],
//!  "Publish":     [PutEvents or PutRawEvents requests],
//!  "TargetResponses": {"<subscriber name>": {"0": {"Throw": {"Error": "…"}}}}}
//! ```
//!
//! Three statebridge additions, none of them an API field: `At` on any request (when it is made:
//! RFC 3339, or seconds after the run's start; default the start), `Operation` on a publish
//! request (`PutEvents` or `PutRawEvents`; read from the entries when absent), and
//! `TargetResponses`, what a subscriber's target answers per delivery attempt, in the mocks' short
//! form (attempts counted across the subscriber from 0; no entry: the target accepts). A bus may
//! be named by its name or by its ARN; a `Data` of `PutRawEvents` may be written as JSON instead of
//! base64.
//!
//! ```
//! use statebridge_engine::eventsv2::{Document, RunOptions};
//! use serde_json::json;
//! let doc = Document::parse(&json!({
//!   "EventBuses": [{"Name": "orders"}],
//!   "Subscribers": [{"Name": "big-orders", "EventBusArn": "orders",
//!     "InvokeConfiguration": {"TargetArn": "arn:aws:sqs:us-east-1:123456789012:big",
//!                             "RoleArn": "arn:aws:iam::123456789012:role/deliver"},
//!     "FilterConfiguration": {"Filters": [{"Scope": "DATA",
//!       "Pattern": "{\"detail\":{\"amount\":[{\"numeric\":[\">\",500]}]}}"}]},
//!     "Transformer": {"Type": "JSONATA", "JsonataConfiguration":
//!       {"Expression": "{% {\"order\": $events.Data.detail.id, \"tier\": 'gold'} %}"}}}],
//!   "Publish": [{"EventBusArn": "orders", "Entries": [
//!     {"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{\"id\": 1, \"amount\": 900}"},
//!     {"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{\"id\": 2, \"amount\": 20}"}]}]
//! })).unwrap();
//! let report = doc.run(&RunOptions::default());
//! let delivered: Vec<_> = report.deliveries.iter().map(|d| d.payload.clone()).collect();
//! assert_eq!(delivered, [Ok(json!({"order": 1, "tier": "gold"}))]);
//! ```
//!
//! # What the documentation says, and where it is silent
//!
//! Read: the API reference (shapes, ranges and enums from the SDK models), the user guide's
//! Custom Event Bus chapter (filtering, event structure, transforming with JSONata, ordering and
//! deduplication, replaying retained events, subscribers, quotas) and AWS's agent skill for the
//! bus (target contract, retries, replay).
//!
//! Documented, and modelled here:
//! - Every event is `Data`, `Metadata`, `SystemMetadata`. `PutEvents` puts the classic envelope in
//!   `Data` (the `Detail` under `detail`) and no `Metadata`; `PutRawEvents` puts the payload as
//!   sent and up to 100 metadata keys. `SystemMetadata` values are strings; absent fields are
//!   omitted; `aws:DeliveryType` (`LIVE` or `REPLAY`) is always there. A `PutEvents` event carries
//!   `aws:Source` and `aws:DetailType`; `ContentType` is `application/eventbridge+json` there.
//! - Filters: one per scope (`DATA`, `METADATA`, `SYSTEM_METADATA`), ANDed; no
//!   `FilterConfiguration` receives everything; a `FilterConfiguration` given on create needs at
//!   least one filter; no `wildcard`; `METADATA` patterns take exact values only (no `prefix`,
//!   `numeric`, `exists`, `$or`…); an `application/octet-stream` event never matches a `DATA`
//!   filter; a `PutEvents` event never matches a `METADATA` filter.
//! - Transformers: `RAW` (default, the data alone), `WITH_METADATA` (the three parts), `JSONATA`
//!   (one expression in `{% %}`, 1–8192 characters, syntax-checked at create, `$events` the three
//!   parts; an error or no value fails the delivery). A Custom Event Bus - Classic target takes
//!   `RAW` only; a universal target takes no `Transformer`.
//! - Ordering: `Type` `UNORDERED` or `FIFO`; FIFO delivers in publish order within an event group
//!   (`SystemMetadata.EventGroupId`, per publishing account), and an event that cannot be
//!   delivered holds back the later ones of its group while other groups go on.
//! - Deduplication at publish: `DeduplicationConfiguration.DeduplicationType: CONTENT_BASED` on
//!   the request, or `SystemMetadata.DeduplicationId` per entry; copies within 300 seconds are
//!   suppressed and answered `SuccessCode: DEDUPLICATED`; the check is per account and, for an
//!   entry with an `EventGroupId`, per group.
//! - Retention 1–365 days per bus; `RetentionWindowStartTime` is the later of now minus the
//!   retention and the bus's creation. `StartingPosition` `LATEST` (events published after the
//!   subscriber exists) or `POINT_IN_TIME` with `HORIZON` (the oldest retained event) or
//!   `TIMESTAMP` (`StartingPoint` inside the window, not in the future), optional `EndPoint`;
//!   events read from history are delivered with `aws:DeliveryType` `REPLAY`.
//! - Retries: `RetryPolicy` `MaxRetryAttempts` 0–185 (default 5), `MaxEventAgeInSeconds`
//!   60–86400 (default 300), `RetryStrategy` `ALL`; delivery stops at whichever limit comes first,
//!   then goes to `OnFailureConfiguration.Arn` (an SQS queue), whose record names the event by id
//!   and time and does not carry the payload.
//! - Targets are resolved from the ARN (SQS, SNS, Lambda, Kinesis, Step Functions, Firehose, API
//!   Gateway, API destination, a Custom Event Bus, a Classic bus, a universal `aws-sdk` target);
//!   the parameter block must match the target; a target may not be the subscriber's own bus.
//!
//! Silent, so statebridge chooses (the lead reports these gaps):
//! - the default `RetentionPeriodInDays` when `StorageConfiguration` is left out: 7 here;
//! - the retry backoff: 1, 2, 4 … seconds, at most 300 (as statebridge's classic targets; no
//!   jitter, so runs are reproducible); how soon a live delivery happens: at once here; the
//!   "startup delay" of a replay: none here;
//! - what `CONTENT_BASED` hashes: here `PutEvents`' `Source`, `DetailType`, `Detail`,
//!   `Resources`, `Time`, and `PutRawEvents`' `Data`, `Metadata` and `ContentType`; which key wins
//!   when an entry has a `DeduplicationId` and the request `CONTENT_BASED`: the `DeduplicationId`
//!   here; whether the 300 seconds count from the first copy or the latest: the first here; the
//!   `EventId` a `DEDUPLICATED` entry gets: the original's here;
//! - a `FIFO` subscriber's events without an `EventGroupId`: each is a group of its own here;
//! - from when `MaxEventAgeInSeconds` counts for an event read from history (`REPLAY`): from its
//!   first delivery attempt here (from ingestion, a replayed event would be too old at once);
//! - the `ErrorCode` of a refused publish entry (the reference lists none): `InvalidInputException`
//!   here; the fields of a dead-letter record (documented: the event's id and time, no payload):
//!   `EventId`, `IngestionTime`, `SubscriberArn`, `TargetArn`, `ErrorCode`, `ErrorMessage`,
//!   `RetryAttempts` here;
//! - `SequenceNumber`: here a per-bus counter, answered and set as `aws:SequenceNumber` only for
//!   entries with an `EventGroupId`;
//! - a `PutRawEvents` entry whose `ContentType` is `application/json` but whose data is not JSON:
//!   the entry fails here with `InvalidInputException`; a `PutEvents` entry without `Detail`:
//!   `detail` is `{}` here;
//! - the subscriber ARN's form: `…:subscriber/BUS/NAME/ID` here; `Avro` and `Protobuf` data need a
//!   schema registry statebridge does not have: they are kept as base64, like
//!   `application/octet-stream`;
//! - what a Custom Event Bus target's forwarded event holds: here the delivered payload as its
//!   `Data` (`ContentType` the original's for `RAW`, else `application/json`), with
//!   `EventBusV2Parameters`' `Metadata` and `SystemMetadata`.
//!
//! Not modelled: IAM and resource policies, RAM sharing, event sources, batching
//! (`BatchConfiguration` is read and checked, and each event is delivered alone), logs, pausing
//! and resuming (`UpdateSubscriber`), a Classic-bus target's own rules (the event is recorded as
//! delivered to it).

mod model;
mod publish;
mod report;
mod run;
mod subscriber;
mod target;

pub use model::{
    Bus, Document, EventsV2Error, Filter, Ordering, Place, PublishCall, Scope, Subscriber,
    TransformerType,
};
pub use report::{
    Attempt, BusRecord, DeadLetter, Delivery, DeliveryOutcome, EventRecord, Lane, LaneEntry,
    PublishRecord, Report, SubscriberRecord, Verdict,
};
pub use run::RunOptions;
pub use target::TargetKind;

/// Most events a run accepts (published and forwarded): a loop of buses forwarding to each other
/// stops here, with [`Report::capped`] saying so. Not an AWS limit.
pub const MAX_EVENTS: usize = 100_000;

/// The default retention when a bus has no `StorageConfiguration` (the documentation gives none).
pub const DEFAULT_RETENTION_DAYS: u32 = 7;

/// The deduplication window, in seconds (the user guide: five minutes).
pub const DEDUP_WINDOW_SECONDS: i64 = 300;

/// Whether a rules document (or workspace `rules`) holds a Custom Event Bus document under
/// `EventsV2`.
pub fn in_rules(rules: &serde_json::Value) -> Option<&serde_json::Value> {
    rules.get("EventsV2")
}
