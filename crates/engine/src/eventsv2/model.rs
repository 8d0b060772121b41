//! The document read into buses, subscribers and publish calls, checked as the service checks a
//! create call: every error names the resource and the field in the API's own terms.

use super::DEFAULT_RETENTION_DAYS;
use crate::asl::time::{self, Millis};
use crate::jsonata::{Expression, template_expression};
use crate::pattern::Pattern;
use serde_json::{Map, Value};
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
struct At {
    resource: String,
    pointer: String,
}

impl At {
    fn err(&self, field: &str, message: impl Into<String>) -> EventsV2Error {
        self.code("InvalidInputException", field, message)
    }

    fn code(&self, code: &'static str, field: &str, message: impl Into<String>) -> EventsV2Error {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Ordering {
    /// No guarantee.
    Unordered,
    /// In publish order within an event group.
    Fifo,
}

/// What kind of target an ARN names (the target contract's table).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetKind {
    /// An SQS queue.
    Sqs,
    /// An SNS topic.
    Sns,
    /// A Lambda function.
    Lambda,
    /// A Kinesis stream.
    Kinesis,
    /// A Step Functions state machine (its name, and version or alias).
    StepFunctions {
        /// The state machine's name.
        machine: String,
    },
    /// A Firehose delivery stream.
    Firehose,
    /// An API Gateway stage route.
    ApiGateway,
    /// An API destination.
    ApiDestination,
    /// Another Custom Event Bus (its name).
    EventBusV2 {
        /// The bus's name.
        bus: String,
    },
    /// A Custom Event Bus - Classic.
    ClassicBus {
        /// The bus's name.
        bus: String,
    },
    /// A universal (`aws-sdk`) target: `service:apiAction`.
    Universal {
        /// `service:apiAction`.
        action: String,
    },
}

impl TargetKind {
    /// The parameter block this target takes, if any.
    fn block(&self) -> Option<&'static str> {
        match self {
            TargetKind::Sqs => Some("SqsParameters"),
            TargetKind::Sns => Some("SnsParameters"),
            TargetKind::Lambda => Some("LambdaParameters"),
            TargetKind::Kinesis => Some("KinesisParameters"),
            TargetKind::StepFunctions { .. } => Some("StepFunctionsParameters"),
            TargetKind::ApiGateway | TargetKind::ApiDestination => Some("HttpParameters"),
            TargetKind::EventBusV2 { .. } => Some("EventBusV2Parameters"),
            TargetKind::Universal { .. } => Some("UniversalTargetParameters"),
            TargetKind::Firehose | TargetKind::ClassicBus { .. } => None,
        }
    }
}

/// The parameter blocks of `InvokeConfiguration`.
const BLOCKS: [&str; 8] = [
    "LambdaParameters",
    "SqsParameters",
    "SnsParameters",
    "KinesisParameters",
    "StepFunctionsParameters",
    "HttpParameters",
    "UniversalTargetParameters",
    "EventBusV2Parameters",
];

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

fn name_ok(name: &str) -> bool {
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
fn time_of(v: &Value, base: Millis) -> Option<Millis> {
    match v {
        Value::String(s) => time::parse_rfc3339(s),
        Value::Number(n) => n.as_f64().map(|s| base + (s * 1000.0) as Millis),
        _ => None,
    }
}

fn at_of(v: &Value, start: Millis, at: &At) -> Result<Millis, EventsV2Error> {
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
fn bus_ref(
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

fn parse_subscriber(
    s: &Value,
    i: usize,
    buses: &[Bus],
    place: &Place,
) -> Result<Subscriber, EventsV2Error> {
    let mut at = At {
        resource: format!("Subscribers[{i}]"),
        pointer: format!("/Subscribers/{i}"),
    };
    let name = match s.get("Name") {
        Some(Value::String(n)) if name_ok(n) => n.clone(),
        Some(Value::String(n)) => {
            return Err(at.err(
                "Name",
                format!("`{n}`: the first character must be alphanumeric; the rest may also be '.', '-' and '_'"),
            ));
        }
        _ => return Err(at.err("Name", "is required (a string)")),
    };
    at.resource = format!("subscriber `{name}`");
    let bus = bus_ref(s.get("EventBusArn"), buses, &at, "EventBusArn")?;
    let Some(bus_rec) = buses.iter().find(|b| b.name == bus) else {
        return Err(at.err("EventBusArn", "no such bus"));
    };
    let created = at_of(s, place.start, &at)?;
    let invoke = s.get("InvokeConfiguration").and_then(Value::as_object);
    let Some(invoke) = invoke else {
        return Err(at.err("InvokeConfiguration", "is required (TargetArn and RoleArn)"));
    };
    let Some(target_arn) = invoke.get("TargetArn").and_then(Value::as_str) else {
        return Err(at.err("InvokeConfiguration.TargetArn", "is required"));
    };
    if invoke.get("RoleArn").and_then(Value::as_str).is_none() {
        return Err(at.err("InvokeConfiguration.RoleArn", "is required"));
    }
    let target = target_kind(target_arn, &at, place)?;
    if matches!(&target, TargetKind::EventBusV2 { bus: b } if *b == bus)
        || target_arn == bus_rec.arn
    {
        return Err(at.err(
            "InvokeConfiguration.TargetArn",
            "must not reference the subscriber's own event bus",
        ));
    }
    let parameters = check_blocks(invoke, &target, target_arn, &at)?;
    let filters = parse_filters(s.get("FilterConfiguration"), &at)?;
    let (transformer, expression) = parse_transformer(s.get("Transformer"), &target, &at)?;
    if let TargetKind::Universal { .. } = target
        && s.get("BatchConfiguration").is_none()
    {
        return Err(at.err(
            "BatchConfiguration",
            "is required for a universal (USI) target",
        ));
    }
    check_batch(s.get("BatchConfiguration"), &at)?;
    let ordering = match s.get("Type").and_then(Value::as_str) {
        None | Some("UNORDERED") => Ordering::Unordered,
        Some("FIFO") => Ordering::Fifo,
        Some(o) => return Err(at.err("Type", format!("`{o}`: use UNORDERED or FIFO"))),
    };
    let (from, until, point_in_time) = starting_position(s, bus_rec, created, &at)?;
    let running = match s.get("State").and_then(Value::as_str) {
        None | Some("RUNNING") => true,
        Some("STOPPED") => false,
        Some(o) => return Err(at.err("State", format!("`{o}`: use RUNNING or STOPPED"))),
    };
    let (max_retry_attempts, max_event_age_seconds) = retry_policy(s.get("RetryPolicy"), &at)?;
    let dead_letter_arn = match s.pointer("/OnFailureConfiguration/Arn") {
        None => None,
        Some(Value::String(a)) if a.starts_with("arn:") && a.split(':').nth(2) == Some("sqs") => {
            Some(a.clone())
        }
        Some(v) => {
            return Err(at.err(
                "OnFailureConfiguration.Arn",
                format!("{v}: an Amazon SQS queue's ARN is the supported destination"),
            ));
        }
    };
    Ok(Subscriber {
        arn: format!(
            "arn:aws:events:{}:{}:subscriber/{bus}/{name}/{}",
            place.region,
            place.account,
            resource_id(place.seed ^ 0x5ab, &format!("{bus}/{name}"))
        ),
        name,
        bus,
        target_arn: target_arn.to_owned(),
        target,
        parameters,
        filters,
        transformer,
        expression,
        ordering,
        from,
        until,
        point_in_time,
        created,
        running,
        max_retry_attempts,
        max_event_age_seconds,
        dead_letter_arn,
        request: s.clone(),
    })
}

/// The target an ARN names, as the service resolves it.
fn target_kind(arn: &str, at: &At, place: &Place) -> Result<TargetKind, EventsV2Error> {
    const FIELD: &str = "InvokeConfiguration.TargetArn";
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" || !parts[1].starts_with("aws") {
        return Err(at.err(FIELD, format!("`{arn}` is not an ARN")));
    }
    let (service, region, account, resource) = (parts[2], parts[3], parts[4], parts[5]);
    if service == "events" && resource.starts_with("aws-sdk:") {
        let action = resource.trim_start_matches("aws-sdk:");
        let ok = action
            .split_once(':')
            .is_some_and(|(s, a)| !s.is_empty() && a.starts_with(|c: char| c.is_ascii_lowercase()));
        if !ok {
            return Err(at.err(
                FIELD,
                "a universal target is arn:aws:events:::aws-sdk:{service}:{apiAction}, the action camelCase with a lowercase first letter",
            ));
        }
        return Ok(TargetKind::Universal {
            action: action.to_owned(),
        });
    }
    let shape = |form: &str| {
        at.err(
            FIELD,
            format!("TargetArn resource must be of the form {form}"),
        )
    };
    let kind = match service {
        "sqs" if !resource.contains(['/', ':']) => TargetKind::Sqs,
        "sqs" => return Err(shape("{queueName}")),
        "sns" if !resource.contains(['/', ':']) => TargetKind::Sns,
        "sns" => return Err(shape("{topicName}")),
        "lambda" => match resource.strip_prefix("function:") {
            Some(f) if !f.is_empty() && f.split(':').count() <= 2 => TargetKind::Lambda,
            _ => return Err(shape("function:{name}[:{qualifier}]")),
        },
        "kinesis" => match resource.strip_prefix("stream/") {
            Some(s) if !s.is_empty() && !s.contains(['/', ':']) => TargetKind::Kinesis,
            _ => return Err(shape("stream/{name}")),
        },
        "states" => match resource.strip_prefix("stateMachine:") {
            Some(m) if !m.is_empty() && m.split(':').count() <= 2 => TargetKind::StepFunctions {
                machine: m.to_owned(),
            },
            _ => return Err(shape("stateMachine:{name}[:{version}]")),
        },
        "firehose" => match resource.strip_prefix("deliverystream/") {
            Some(s) if !s.is_empty() && !s.contains(['/', ':']) => TargetKind::Firehose,
            _ => return Err(shape("deliverystream/{name}")),
        },
        "execute-api" if resource.split('/').count() >= 3 => TargetKind::ApiGateway,
        "execute-api" => return Err(shape("{apiId}/{stage}/{method}[/{path}]")),
        "events" => {
            if let Some(rest) = resource.strip_prefix("event-busv2/") {
                match rest.split('/').collect::<Vec<_>>()[..] {
                    [name, id] if !name.is_empty() && !id.is_empty() => TargetKind::EventBusV2 {
                        bus: name.to_owned(),
                    },
                    _ => return Err(shape("event-busv2/{name}/{id}")),
                }
            } else if let Some(name) = resource.strip_prefix("event-bus/") {
                TargetKind::ClassicBus {
                    bus: name.to_owned(),
                }
            } else if resource.starts_with("api-destination/") {
                TargetKind::ApiDestination
            } else {
                return Err(at.err(FIELD, "TargetArn is not a supported subscriber target"));
            }
        }
        _ => return Err(at.err(FIELD, "TargetArn is not a supported subscriber target")),
    };
    if !matches!(kind, TargetKind::EventBusV2 { .. }) && region != place.region {
        return Err(at.err(
            FIELD,
            format!("TargetArn must be in region {}", place.region),
        ));
    }
    if account != place.account {
        return Err(at.code(
            "InvalidInputException",
            "",
            format!(
                "Target resource account ({account}) must match the subscriber account ({})",
                place.account
            ),
        ));
    }
    Ok(kind)
}

/// At most one parameter block, the target's own; its JSONata expressions must parse.
fn check_blocks(
    invoke: &Map<String, Value>,
    target: &TargetKind,
    arn: &str,
    at: &At,
) -> Result<Option<Value>, EventsV2Error> {
    let mut found = None;
    for block in BLOCKS {
        let Some(v) = invoke.get(block) else { continue };
        if target.block() != Some(block) {
            let expected = target
                .block()
                .map_or("Expected no target parameters".to_owned(), |b| {
                    format!("Expected {b}")
                });
            return Err(at.err(
                &format!("InvokeConfiguration.{block}"),
                format!("{block} is not supported for target {arn}. {expected}"),
            ));
        }
        check_expressions(v, &format!("InvokeConfiguration.{block}"), at)?;
        found = Some(v.clone());
    }
    if let TargetKind::Universal { .. } = target
        && found
            .as_ref()
            .and_then(|v| v.get("Input"))
            .and_then(Value::as_str)
            .is_none()
    {
        return Err(at.err(
            "InvokeConfiguration.UniversalTargetParameters.Input",
            "is required for a universal (USI) target: the API request as JSON or a JSONata expression",
        ));
    }
    Ok(found)
}

/// Every `{% %}` string in a parameter block must parse.
fn check_expressions(v: &Value, field: &str, at: &At) -> Result<(), EventsV2Error> {
    match v {
        Value::String(s) => {
            if let Some(expr) = template_expression(s)
                && let Err(e) = Expression::parse(expr)
            {
                return Err(at.err(field, format!("the JSONata expression does not parse: {e}")));
            }
            Ok(())
        }
        Value::Object(o) => o
            .iter()
            .try_for_each(|(k, v)| check_expressions(v, &format!("{field}.{k}"), at)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_expressions(v, &format!("{field}[{i}]"), at)),
        _ => Ok(()),
    }
}

fn parse_filters(fc: Option<&Value>, at: &At) -> Result<Vec<Filter>, EventsV2Error> {
    let Some(fc) = fc else { return Ok(Vec::new()) };
    if let Some(lang) = fc.get("Language")
        && lang != "EVENT_BRIDGE_PATTERN"
    {
        return Err(at.err(
            "FilterConfiguration.Language",
            format!("{lang}: the only language is EVENT_BRIDGE_PATTERN"),
        ));
    }
    let items = match fc.get("Filters") {
        Some(Value::Array(items)) if !items.is_empty() => items,
        _ => {
            return Err(at.err(
                "FilterConfiguration.Filters",
                "must hold at least one filter with a non-empty Pattern (leave FilterConfiguration out to receive every event)",
            ));
        }
    };
    let mut filters: Vec<Filter> = Vec::new();
    for (i, f) in items.iter().enumerate() {
        let field = format!("FilterConfiguration.Filters[{i}]");
        let scope = match f.get("Scope").and_then(Value::as_str) {
            Some("DATA") => Scope::Data,
            Some("METADATA") => Scope::Metadata,
            Some("SYSTEM_METADATA") => Scope::SystemMetadata,
            Some(o) => {
                return Err(at.err(
                    &format!("{field}.Scope"),
                    format!("`{o}`: use DATA, METADATA or SYSTEM_METADATA"),
                ));
            }
            None => return Err(at.err(&format!("{field}.Scope"), "is required")),
        };
        if filters.iter().any(|o| o.scope == scope) {
            return Err(at.err(
                &format!("{field}.Scope"),
                "a subscriber may have at most one filter per scope",
            ));
        }
        let json = match f.get("Pattern") {
            Some(Value::String(text)) if !text.trim().is_empty() => {
                match crate::source::parse(text) {
                    Ok((json, _)) => json,
                    Err(e) => {
                        return Err(at.err(&format!("{field}.Pattern"), format!("not JSON: {e}")));
                    }
                }
            }
            // A convenience: the pattern written as JSON rather than as JSON text.
            Some(v @ Value::Object(_)) => v.clone(),
            _ => {
                return Err(at.err(
                    &format!("{field}.Pattern"),
                    "is required: an event pattern as a JSON string",
                ));
            }
        };
        let pfield = format!("{field}.Pattern");
        if let Some(path) = find_operator(&json, &["wildcard"], "") {
            return Err(at.err(
                &pfield,
                format!("at `{path}`: subscriber filters do not support wildcard matching"),
            ));
        }
        if scope == Scope::Metadata {
            check_exact(&json, "", at, &pfield)?;
        }
        let pattern = Pattern::parse(&json).map_err(|e| at.err(&pfield, e.to_string()))?;
        filters.push(Filter { scope, pattern });
    }
    Ok(filters)
}

/// The path of the first object in a list that uses one of `ops`.
fn find_operator(v: &Value, ops: &[&str], path: &str) -> Option<String> {
    match v {
        Value::Object(o) => o.iter().find_map(|(k, v)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            find_operator(v, ops, &p)
        }),
        Value::Array(a) => a.iter().find_map(|item| match item {
            Value::Object(o) if o.keys().any(|k| ops.contains(&k.as_str())) => {
                Some(path.to_owned())
            }
            Value::Object(o) => o.values().find_map(|v| find_operator(v, ops, path)),
            _ => None,
        }),
        _ => None,
    }
}

/// `METADATA` filters match exact values only: every leaf a list of plain values.
fn check_exact(v: &Value, path: &str, at: &At, field: &str) -> Result<(), EventsV2Error> {
    let Value::Object(o) = v else { return Ok(()) };
    for (k, v) in o {
        let p = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        if k == "$or" {
            return Err(at.err(
                field,
                "METADATA filters match exact values only: `$or` is not supported (filter on DATA or SYSTEM_METADATA)",
            ));
        }
        match v {
            Value::Array(items) => {
                if let Some(op) = items.iter().find_map(|i| i.as_object()) {
                    let name = op.keys().next().cloned().unwrap_or_default();
                    return Err(at.err(
                        field,
                        format!(
                            "at `{p}`: METADATA filters match exact values only, so `{name}` is not supported (filter on DATA or SYSTEM_METADATA to use it)"
                        ),
                    ));
                }
            }
            Value::Object(_) => check_exact(v, &p, at, field)?,
            _ => {}
        }
    }
    Ok(())
}

type Transform = (TransformerType, Option<(Expression, String)>);

fn parse_transformer(
    t: Option<&Value>,
    target: &TargetKind,
    at: &At,
) -> Result<Transform, EventsV2Error> {
    let Some(t) = t else {
        return Ok((TransformerType::Raw, None));
    };
    if let TargetKind::Universal { .. } = target {
        return Err(at.err(
            "Transformer",
            "is not applicable to a universal (aws-sdk) target: shape its request in UniversalTargetParameters.Input",
        ));
    }
    let kind = match t.get("Type").and_then(Value::as_str) {
        None | Some("RAW") => TransformerType::Raw,
        Some("WITH_METADATA") => TransformerType::WithMetadata,
        Some("JSONATA") => TransformerType::Jsonata,
        Some(o) => {
            return Err(at.err(
                "Transformer.Type",
                format!("`{o}`: use RAW, WITH_METADATA or JSONATA"),
            ));
        }
    };
    if kind != TransformerType::Raw && matches!(target, TargetKind::ClassicBus { .. }) {
        return Err(at.err(
            "Transformer.Type",
            "a subscriber whose target is a Custom Event Bus - Classic supports only RAW",
        ));
    }
    if kind != TransformerType::Jsonata {
        return Ok((kind, None));
    }
    const FIELD: &str = "Transformer.JsonataConfiguration.Expression";
    let Some(text) = t
        .pointer("/JsonataConfiguration/Expression")
        .and_then(Value::as_str)
    else {
        return Err(at.err(FIELD, "is required when Type is JSONATA"));
    };
    if text.chars().count() > 8192 {
        return Err(at.err(FIELD, "must be 1 to 8192 characters"));
    }
    let Some(inner) = template_expression(text) else {
        return Err(at.err(
            FIELD,
            "must be wrapped in {% %} delimiters, with nothing after the closing one",
        ));
    };
    let expr = Expression::parse(inner)
        .map_err(|e| at.err(FIELD, format!("the JSONata expression does not parse: {e}")))?;
    Ok((kind, Some((expr, inner.to_owned()))))
}

fn check_batch(b: Option<&Value>, at: &At) -> Result<(), EventsV2Error> {
    let Some(b) = b else { return Ok(()) };
    if let Some(v) = b.get("MaxBatchSize")
        && !v.as_u64().is_some_and(|n| (1..=500).contains(&n))
    {
        return Err(at.err(
            "BatchConfiguration.MaxBatchSize",
            format!("{v}: valid range is 1-500"),
        ));
    }
    if let Some(v) = b.get("MaxBatchWindowInSeconds")
        && v.as_u64().is_none_or(|n| n > 300)
    {
        return Err(at.err(
            "BatchConfiguration.MaxBatchWindowInSeconds",
            format!("{v}: valid range is 0-300"),
        ));
    }
    Ok(())
}

fn retry_policy(r: Option<&Value>, at: &At) -> Result<(u32, u32), EventsV2Error> {
    let Some(r) = r else { return Ok((5, 300)) };
    let attempts = match r.get("MaxRetryAttempts") {
        None => 5,
        Some(v) => match v.as_u64() {
            Some(n @ 0..=185) => n as u32,
            _ => {
                return Err(at.err(
                    "RetryPolicy.MaxRetryAttempts",
                    format!("{v}: valid range is 0-185"),
                ));
            }
        },
    };
    let age = match r.get("MaxEventAgeInSeconds") {
        None => 300,
        Some(v) => match v.as_u64() {
            Some(n @ 60..=86_400) => n as u32,
            _ => {
                return Err(at.err(
                    "RetryPolicy.MaxEventAgeInSeconds",
                    format!("{v}: valid range is 60-86400"),
                ));
            }
        },
    };
    if let Some(s) = r.get("RetryStrategy")
        && s != "ALL"
    {
        return Err(at.err(
            "RetryPolicy.RetryStrategy",
            format!("{s}: the only strategy is ALL"),
        ));
    }
    Ok((attempts, age))
}

/// From when (and until when) a subscriber reads: `LATEST`, or `POINT_IN_TIME` inside the bus's
/// retention window at the subscriber's creation.
fn starting_position(
    s: &Value,
    bus: &Bus,
    created: Millis,
    at: &At,
) -> Result<(Millis, Option<Millis>, bool), EventsV2Error> {
    const PIT: &str = "PointInTimeConfiguration";
    match s.get("StartingPosition").and_then(Value::as_str) {
        None | Some("LATEST") => {
            if s.get(PIT).is_some() {
                return Err(at.err(PIT, "applies only when StartingPosition is POINT_IN_TIME"));
            }
            Ok((created, None, false))
        }
        Some("POINT_IN_TIME") => {
            let Some(pit) = s.get(PIT) else {
                return Err(at.err(
                    &format!("{PIT}.PointType"),
                    "is required when StartingPosition is POINT_IN_TIME",
                ));
            };
            let window = (created - i64::from(bus.retention_days) * 86_400_000).max(bus.created);
            let until =
                match pit.get("EndPoint") {
                    None => None,
                    Some(v) => Some(time_of(v, 0).ok_or_else(|| {
                        at.err(&format!("{PIT}.EndPoint"), "expected a timestamp")
                    })?),
                };
            let from = match pit.get("PointType").and_then(Value::as_str) {
                Some("HORIZON") => window,
                Some("TIMESTAMP") => {
                    let field = format!("{PIT}.StartingPoint");
                    let Some(v) = pit.get("StartingPoint") else {
                        return Err(at.err(&field, "is required when PointType is TIMESTAMP"));
                    };
                    let t = time_of(v, 0).ok_or_else(|| at.err(&field, "expected a timestamp"))?;
                    if t < window {
                        return Err(at.err(
                            &field,
                            format!(
                                "{} is before the bus's RetentionWindowStartTime {} (the later of its creation and {} days before now)",
                                time::format_millis(t),
                                time::format_millis(window),
                                bus.retention_days
                            ),
                        ));
                    }
                    if t > created {
                        return Err(at.err(
                            &field,
                            format!("{} is in the future", time::format_millis(t)),
                        ));
                    }
                    t
                }
                Some(o) => {
                    return Err(at.err(
                        &format!("{PIT}.PointType"),
                        format!("`{o}`: use HORIZON or TIMESTAMP"),
                    ));
                }
                None => return Err(at.err(&format!("{PIT}.PointType"), "is required")),
            };
            Ok((from, until, true))
        }
        Some(o) => Err(at.err(
            "StartingPosition",
            format!("`{o}`: use LATEST or POINT_IN_TIME"),
        )),
    }
}
