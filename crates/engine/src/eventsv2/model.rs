//! The document read into buses, subscribers and publish calls, checked as the service checks a
//! create call: every error names the resource and the field in the API's own terms.

use super::DEFAULT_RETENTION_DAYS;
use super::subscriber::parse_subscriber;
use super::target::TargetKind;
use crate::asl::time::{self, Millis};
use crate::jsonata::Expression;
use crate::pattern::Pattern;
use serde_json::Value;
use std::fmt;

/// Why a document is refused: where (resource, field, JSON pointer) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventsV2Error {
    /// JSON pointer of the offending value in the document.
    pub pointer: String,
    /// The resource: ``subscriber `orders-to-queue` `` or ``Publish[2]``.
    pub resource: String,
    /// The field in the API's terms, e.g. `FilterConfiguration.Filters[1].Pattern`.
    pub field: String,
    /// The service's exception name (`InvalidInputException`, `ResourceNotFoundException`,
    /// `ConflictException`).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for EventsV2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}: {}", self.resource, self.code, self.message)
        } else {
            write!(
                f,
                "{}: {}: {}: {}",
                self.resource, self.code, self.field, self.message
            )
        }
    }
}

impl std::error::Error for EventsV2Error {}

/// Where in the document a check is: the resource, its pointer, for building errors.
#[derive(Clone)]
pub(crate) struct At {
    pub(crate) resource: String,
    pub(crate) pointer: String,
}

impl At {
    pub(crate) fn err(&self, field: &str, message: impl Into<String>) -> EventsV2Error {
        self.code("InvalidInputException", field, message)
    }

    pub(crate) fn code(
        &self,
        code: &'static str,
        field: &str,
        message: impl Into<String>,
    ) -> EventsV2Error {
        let sub = field
            .split('.')
            .filter(|s| !s.is_empty())
            .flat_map(|s| {
                // `Filters[1]` → `Filters/1`
                let mut parts = vec![];
                let mut rest = s;
                while let Some(open) = rest.find('[') {
                    parts.push(rest[..open].to_owned());
                    let close = rest[open..].find(']').map_or(rest.len(), |c| open + c);
                    parts.push(rest[open + 1..close].to_owned());
                    rest = rest.get(close + 1..).unwrap_or("");
                }
                if !rest.is_empty() {
                    parts.push(rest.to_owned());
                }
                parts
            })
            .filter(|p| !p.is_empty())
            .fold(String::new(), |acc, p| acc + "/" + &p);
        EventsV2Error {
            pointer: format!("{}{sub}", self.pointer),
            resource: self.resource.clone(),
            field: field.to_owned(),
            code,
            message: message.into(),
        }
    }
}

/// A bus (`CreateEventBus`).
#[derive(Debug, Clone, PartialEq)]
pub struct Bus {
    /// Its name.
    pub name: String,
    /// Its ARN (`event-busv2/NAME/ID`, the id made from the name).
    pub arn: String,
    /// `StorageConfiguration.RetentionPeriodInDays`.
    pub retention_days: u32,
    /// When it is created (`At`).
    pub created: Millis,
}

/// A filter's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Scope {
    /// The event's data.
    Data,
    /// The publisher's metadata.
    Metadata,
    /// The fields EventBridge sets.
    SystemMetadata,
}

/// One filter of a subscriber.
#[derive(Debug, Clone)]
pub struct Filter {
    /// Which part of the event it reads.
    pub scope: Scope,
    /// The pattern.
    pub pattern: Pattern,
}

/// The transformer's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TransformerType {
    /// The data alone.
    Raw,
    /// `Data`, `Metadata`, `SystemMetadata`.
    WithMetadata,
    /// A JSONata expression's result.
    Jsonata,
}

/// A subscriber's delivery order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Ordering {
    /// No guarantee.
    Unordered,
    /// In publish order within an event group.
    Fifo,
}

/// A subscriber (`CreateSubscriber`).
#[derive(Debug, Clone)]
pub struct Subscriber {
    /// Its name.
    pub name: String,
    /// Its ARN.
    pub arn: String,
    /// The bus it watches (by name).
    pub bus: String,
    /// `InvokeConfiguration.TargetArn`.
    pub target_arn: String,
    /// What the target is.
    pub target: TargetKind,
    /// The parameter block given for the target, as written.
    pub parameters: Option<Value>,
    /// The filters (empty: every event).
    pub filters: Vec<Filter>,
    /// The transformer's type.
    pub transformer: TransformerType,
    /// The JSONata expression (`JSONATA`), with its text.
    pub expression: Option<(Expression, String)>,
    /// `Type`.
    pub ordering: Ordering,
    /// The first ingestion time it reads from, and the last (exclusive): from `StartingPosition`.
    pub from: Millis,
    /// `PointInTimeConfiguration.EndPoint`, when given.
    pub until: Option<Millis>,
    /// Whether it starts from the past (`POINT_IN_TIME`).
    pub point_in_time: bool,
    /// When it is created (`At`).
    pub created: Millis,
    /// `State` is `RUNNING`.
    pub running: bool,
    /// `RetryPolicy.MaxRetryAttempts`.
    pub max_retry_attempts: u32,
    /// `RetryPolicy.MaxEventAgeInSeconds`.
    pub max_event_age_seconds: u32,
    /// `OnFailureConfiguration.Arn`.
    pub dead_letter_arn: Option<String>,
    /// The request as written (for the app's details).
    pub request: Value,
}

/// A publish call (`PutEvents` or `PutRawEvents`).
#[derive(Debug, Clone)]
pub struct PublishCall {
    /// `PutRawEvents` (else `PutEvents`).
    pub raw: bool,
    /// The bus (by name).
    pub bus: String,
    /// When it is made.
    pub at: Millis,
    /// `DeduplicationConfiguration.DeduplicationType` is `CONTENT_BASED`.
    pub content_based: bool,
    /// The entries as written.
    pub entries: Vec<Value>,
    /// Its place in the document's `Publish` list.
    pub index: usize,
}

/// A whole Custom Event Bus document, checked.
#[derive(Debug, Clone)]
pub struct Document {
    /// The buses.
    pub buses: Vec<Bus>,
    /// The subscribers.
    pub subscribers: Vec<Subscriber>,
    /// The publish calls, in document order.
    pub publish: Vec<PublishCall>,
    /// `TargetResponses`, by subscriber name.
    pub responses: crate::asl::mocks::Mocks,
    /// The run's start.
    pub start: Millis,
    /// The account and region in ARNs and events.
    pub account: String,
    /// The region.
    pub region: String,
}

/// Where a document's resources live and when its clock starts.
#[derive(Debug, Clone)]
pub struct Place {
    /// The account.
    pub account: String,
    /// The region.
    pub region: String,
    /// The run's start.
    pub start: Millis,
    /// Seed for ids.
    pub seed: u64,
}

impl Default for Place {
    fn default() -> Self {
        Place {
            account: "123456789012".into(),
            region: "us-east-1".into(),
            start: time::parse_rfc3339("2026-01-01T00:00:00Z").unwrap_or_default(),
            seed: 0,
        }
    }
}

/// A 25-character id of `[a-z0-9]`, as the service's generated ids are, made from a name.
pub(crate) fn resource_id(seed: u64, name: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in name.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut rng = crate::splitmix::SplitMix64::new(h);
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..25)
        .map(|_| char::from(ALPHABET[rng.below(ALPHABET.len())]))
        .collect()
}

pub(crate) fn name_ok(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && name.len() <= 256
}

fn list<'a>(doc: &'a Value, key: &str) -> Result<&'a [Value], EventsV2Error> {
    match doc.get(key) {
        None => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(At {
            resource: key.to_owned(),
            pointer: format!("/{key}"),
        }
        .err("", "expected a list of requests")),
    }
}

/// A time given as RFC 3339 text or seconds (after the run's start for `At`; since the epoch
/// for the API's own timestamps, as the AWS CLI reads a number).
pub(crate) fn time_of(v: &Value, base: Millis) -> Option<Millis> {
    match v {
        Value::String(s) => time::parse_rfc3339(s),
        Value::Number(n) => n.as_f64().map(|s| base + (s * 1000.0) as Millis),
        _ => None,
    }
}

pub(crate) fn at_of(v: &Value, start: Millis, at: &At) -> Result<Millis, EventsV2Error> {
    match v.get("At") {
        None => Ok(start),
        Some(t) => time_of(t, start).ok_or_else(|| {
            at.err(
                "At",
                "expected an RFC 3339 time or a number of seconds after the run's start",
            )
        }),
    }
}

impl Document {
    /// Reads a document with the default account, region and start time.
    pub fn parse(doc: &Value) -> Result<Document, EventsV2Error> {
        Document::parse_at(doc, &Place::default())
    }

    /// Reads a document for an account, region and start time.
    pub fn parse_at(doc: &Value, place: &Place) -> Result<Document, EventsV2Error> {
        if !doc.is_object() {
            return Err(At {
                resource: "EventsV2".into(),
                pointer: String::new(),
            }
            .err(
                "",
                "expected an object with `EventBuses`, `Subscribers` and `Publish`",
            ));
        }
        let mut buses: Vec<Bus> = Vec::new();
        for (i, b) in list(doc, "EventBuses")?.iter().enumerate() {
            let bus = parse_bus(b, i, place)?;
            if buses.iter().any(|o| o.name == bus.name) {
                return Err(At {
                    resource: format!("EventBuses[{i}]"),
                    pointer: format!("/EventBuses/{i}"),
                }
                .code(
                    "ConflictException",
                    "Name",
                    format!("a bus named `{}` already exists", bus.name),
                ));
            }
            buses.push(bus);
        }
        let mut subscribers: Vec<Subscriber> = Vec::new();
        for (i, s) in list(doc, "Subscribers")?.iter().enumerate() {
            let sub = parse_subscriber(s, i, &buses, place)?;
            if subscribers
                .iter()
                .any(|o| o.name == sub.name && o.bus == sub.bus)
            {
                return Err(At {
                    resource: format!("subscriber `{}`", sub.name),
                    pointer: format!("/Subscribers/{i}"),
                }
                .code(
                    "ConflictException",
                    "Name",
                    format!(
                        "bus `{}` already has a subscriber named `{}`",
                        sub.bus, sub.name
                    ),
                ));
            }
            subscribers.push(sub);
        }
        let mut publish = Vec::new();
        for (i, p) in list(doc, "Publish")?.iter().enumerate() {
            publish.push(parse_publish(p, i, &buses, place)?);
        }
        let responses = match doc.get("TargetResponses") {
            None => crate::asl::mocks::Mocks::none(),
            Some(v) => {
                crate::asl::mocks::Mocks::from_value(v, None).map_err(|e| EventsV2Error {
                    pointer: format!("/TargetResponses{}", e.pointer),
                    resource: "TargetResponses".into(),
                    field: String::new(),
                    code: "InvalidInputException",
                    message: e.message,
                })?
            }
        };
        Ok(Document {
            buses,
            subscribers,
            publish,
            responses,
            start: place.start,
            account: place.account.clone(),
            region: place.region.clone(),
        })
    }
}

fn parse_bus(b: &Value, i: usize, place: &Place) -> Result<Bus, EventsV2Error> {
    let mut at = At {
        resource: format!("EventBuses[{i}]"),
        pointer: format!("/EventBuses/{i}"),
    };
    let name = match b.get("Name") {
        Some(Value::String(n)) if name_ok(n) => n.clone(),
        Some(Value::String(n)) => {
            return Err(at.err(
                "Name",
                format!(
                    "`{n}` is not a bus name: 1 to 256 characters, the first alphanumeric, then letters, digits, '.', '-' and '_'"
                ),
            ));
        }
        _ => return Err(at.err("Name", "is required (a string)")),
    };
    at.resource = format!("bus `{name}`");
    let retention_days = match b.pointer("/StorageConfiguration/RetentionPeriodInDays") {
        None => DEFAULT_RETENTION_DAYS,
        Some(v) => match v.as_u64() {
            Some(d @ 1..=365) => d as u32,
            _ => {
                return Err(at.err(
                    "StorageConfiguration.RetentionPeriodInDays",
                    format!("must be a whole number of days from 1 to 365, not {v}"),
                ));
            }
        },
    };
    Ok(Bus {
        arn: format!(
            "arn:aws:events:{}:{}:event-busv2/{name}/{}",
            place.region,
            place.account,
            resource_id(place.seed, &name)
        ),
        created: at_of(b, place.start, &at)?,
        name,
        retention_days,
    })
}

/// The bus a request names, by name or ARN.
pub(crate) fn bus_ref(
    v: Option<&Value>,
    buses: &[Bus],
    at: &At,
    field: &str,
) -> Result<String, EventsV2Error> {
    let Some(Value::String(text)) = v else {
        return Err(at.err(field, "is required: the bus's ARN (or its name)"));
    };
    let name = match text.strip_prefix("arn:") {
        Some(_) => match text.split_once(":event-busv2/") {
            Some((_, rest)) => rest.split('/').next().unwrap_or_default().to_owned(),
            None => {
                return Err(at.err(
                    field,
                    format!("`{text}` is not a Custom Event Bus ARN (`arn:aws:events:REGION:ACCOUNT:event-busv2/NAME/ID`)"),
                ));
            }
        },
        None => text.clone(),
    };
    if buses.iter().any(|b| b.name == name) {
        Ok(name)
    } else {
        let known: Vec<&str> = buses.iter().map(|b| b.name.as_str()).collect();
        Err(at.code(
            "ResourceNotFoundException",
            field,
            format!(
                "no bus named `{name}` (`EventBuses` has {})",
                if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        ))
    }
}

fn parse_publish(
    p: &Value,
    i: usize,
    buses: &[Bus],
    place: &Place,
) -> Result<PublishCall, EventsV2Error> {
    let at = At {
        resource: format!("Publish[{i}]"),
        pointer: format!("/Publish/{i}"),
    };
    let entries = match p.get("Entries") {
        Some(Value::Array(e)) if !e.is_empty() && e.len() <= 100 => e.clone(),
        Some(Value::Array(e)) => {
            return Err(at.code(
                "ValidationException",
                "Entries",
                format!("must hold 1 to 100 entries, not {}", e.len()),
            ));
        }
        _ => return Err(at.code("ValidationException", "Entries", "is required (a list)")),
    };
    let raw = match p.get("Operation").and_then(Value::as_str) {
        Some("PutRawEvents") => true,
        Some("PutEvents") => false,
        Some(other) => {
            return Err(at.err(
                "Operation",
                format!("`{other}`: use PutEvents or PutRawEvents (a statebridge field)"),
            ));
        }
        None => entries.iter().any(|e| e.get("Data").is_some()),
    };
    let content_based = match p.pointer("/DeduplicationConfiguration/DeduplicationType") {
        None => false,
        Some(Value::String(s)) if s == "CONTENT_BASED" => true,
        Some(v) => {
            return Err(at.err(
                "DeduplicationConfiguration.DeduplicationType",
                format!("{v}: the only value is CONTENT_BASED"),
            ));
        }
    };
    Ok(PublishCall {
        raw,
        bus: bus_ref(p.get("EventBusArn"), buses, &at, "EventBusArn")?,
        at: at_of(p, place.start, &at)?,
        content_based,
        entries,
        index: i,
    })
}
