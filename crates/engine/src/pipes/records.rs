//! The records a pipe's source holds, as the workspace writes them, and the shape a pipe
//! receives them in (the user guide's "Amazon EventBridge Pipes sources" pages).
//!
//! `Sources` is a list of `{"Arn": SOURCE_ARN, "Records": [...]}`. A record is:
//! - for an SQS queue: the message body as text, or `SendMessage`'s fields (`MessageBody`,
//!   `MessageAttributes`, `MessageGroupId`, `MessageDeduplicationId`, `DelaySeconds`);
//! - for a Kinesis stream: the data as text, or `PutRecord`'s `Data` (text) and `PartitionKey`;
//! - for a DynamoDB stream: a change, `{"eventName": "INSERT"|"MODIFY"|"REMOVE", "Keys": …,
//!   "NewImage": …, "OldImage": …}` in DynamoDB's typed JSON (`{"S": "…"}`, `{"N": "…"}`), or the
//!   same with the images under `dynamodb`; the entry's `StreamViewType` (default
//!   `NEW_AND_OLD_IMAGES`) decides which images the record carries.
//!
//! Any record may say when it arrives: `At`, seconds after the run starts (default 0; an SQS
//! message's `DelaySeconds` adds to it). Ids, receipt handles and sequence numbers are made from
//! the run's seed and the record's place, so a run repeats.
//!
//! The record shapes follow the documented samples: an SQS record has `messageId`,
//! `receiptHandle`, `body`, `attributes`, `messageAttributes`, `md5OfBody`, `eventSource`,
//! `eventSourceARN`, `awsRegion`; a Kinesis record has `data` (base64) and `partitionKey` at its
//! top level, as the Pipes guide shows it (a Lambda function's Kinesis event nests them under
//! `kinesis`; a pipe's does not); a DynamoDB record has `eventID`, `eventName`, `dynamodb`.

use super::{Located, PipeProblem, arn_parts};
use crate::asl::time::Millis;
use crate::base64;
use crate::splitmix::SplitMix64;
use md5::{Digest, Md5};
use serde_json::{Map, Value, json};

/// Most records one source may hold.
pub const MAX_RECORDS: usize = 100_000;

/// The kind of a pipe's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// An SQS queue (FIFO when its name ends in `.fifo`).
    Sqs {
        /// A FIFO queue.
        fifo: bool,
    },
    /// A Kinesis data stream.
    Kinesis,
    /// A DynamoDB stream.
    DynamoDb,
}

impl SourceKind {
    /// The kind a source ARN names, if statebridge reads it.
    pub fn of(arn: &str) -> Option<SourceKind> {
        let (service, resource) = arn_parts(arn)?;
        match service {
            "sqs" if !resource.is_empty() && !resource.contains('/') => Some(SourceKind::Sqs {
                fifo: resource.ends_with(".fifo"),
            }),
            "kinesis" if resource.starts_with("stream/") => Some(SourceKind::Kinesis),
            "dynamodb" if resource.starts_with("table/") && resource.contains("/stream/") => {
                Some(SourceKind::DynamoDb)
            }
            _ => None,
        }
    }

    /// The name of its member of `SourceParameters`.
    pub fn parameters(self) -> &'static str {
        match self {
            SourceKind::Sqs { .. } => "SqsQueueParameters",
            SourceKind::Kinesis => "KinesisStreamParameters",
            SourceKind::DynamoDb => "DynamoDBStreamParameters",
        }
    }

    /// Whether it is a stream (Kinesis or DynamoDB).
    pub fn is_stream(self) -> bool {
        !matches!(self, SourceKind::Sqs { .. })
    }

    /// `eventSource` in its records.
    pub fn event_source(self) -> &'static str {
        match self {
            SourceKind::Sqs { .. } => "aws:sqs",
            SourceKind::Kinesis => "aws:kinesis",
            SourceKind::DynamoDb => "aws:dynamodb",
        }
    }

    /// The record's data field: `body`, `data` or `dynamodb`.
    pub fn data_field(self) -> &'static str {
        match self {
            SourceKind::Sqs { .. } => "body",
            SourceKind::Kinesis => "data",
            SourceKind::DynamoDb => "dynamodb",
        }
    }

    /// The id that a batch item failure names: `messageId` or `eventID`.
    pub fn id_field(self) -> &'static str {
        match self {
            SourceKind::Sqs { .. } => "messageId",
            _ => "eventID",
        }
    }
}

/// One record as written, before it gets the source's shape.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordInput {
    /// When it arrives, in milliseconds after the run starts.
    pub at: Millis,
    /// What it holds.
    pub content: Content,
}

/// What a record holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// An SQS message.
    Sqs {
        /// `MessageBody`.
        body: String,
        /// `MessageAttributes` in `SendMessage`'s shape.
        attributes: Map<String, Value>,
        /// `MessageGroupId` (FIFO).
        group: Option<String>,
        /// `MessageDeduplicationId` (FIFO).
        dedup: Option<String>,
    },
    /// A Kinesis record.
    Kinesis {
        /// `Data`, as text.
        data: String,
        /// `PartitionKey`.
        partition_key: String,
    },
    /// A DynamoDB stream record.
    DynamoDb {
        /// `INSERT`, `MODIFY` or `REMOVE`.
        event_name: String,
        /// `Keys`.
        keys: Value,
        /// `NewImage`.
        new_image: Option<Value>,
        /// `OldImage`.
        old_image: Option<Value>,
    },
}

/// One source's records.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The source's ARN.
    pub arn: String,
    /// Its kind.
    pub kind: SourceKind,
    /// A DynamoDB stream's `StreamViewType`.
    pub view: String,
    /// The records, in the order written.
    pub records: Vec<RecordInput>,
    /// An SQS queue's `Attributes` (visibility timeout, retention, redrive policy).
    pub queue: super::retry::QueueAttributes,
}

/// Every source's records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sources {
    /// The sources, in file order.
    pub sources: Vec<Source>,
}

fn bad(pointer: &str, why: impl Into<String>) -> Located {
    (pointer.to_owned(), PipeProblem::BadRecord(why.into()))
}

impl Sources {
    /// The records of the source with this ARN.
    pub fn get(&self, arn: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.arn == arn)
    }

    /// Reads `Sources` (absent: none).
    pub fn parse(v: Option<&Value>) -> Result<Sources, Located> {
        let items = match v {
            None | Some(Value::Null) => return Ok(Sources::default()),
            Some(Value::Array(items)) => items,
            Some(_) => {
                return Err(bad(
                    "/Sources",
                    "expected a list of {\"Arn\": SOURCE_ARN, \"Records\": [...]}",
                ));
            }
        };
        let mut sources: Vec<Source> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let pointer = format!("/Sources/{i}");
            let o = item.as_object().ok_or_else(|| {
                bad(
                    &pointer,
                    "expected {\"Arn\": SOURCE_ARN, \"Records\": [...]}",
                )
            })?;
            let arn = match o.get("Arn") {
                Some(Value::String(s)) => s.clone(),
                _ => {
                    return Err(bad(
                        &format!("{pointer}/Arn"),
                        "expected the source's ARN (a string)",
                    ));
                }
            };
            let kind = SourceKind::of(&arn).ok_or_else(|| {
                (
                    format!("{pointer}/Arn"),
                    PipeProblem::UnsupportedSource(arn.clone()),
                )
            })?;
            if sources.iter().any(|s| s.arn == arn) {
                return Err(bad(
                    &format!("{pointer}/Arn"),
                    format!("`{arn}` has two entries: put all its records in one"),
                ));
            }
            let view = match o.get("StreamViewType") {
                None if kind == SourceKind::DynamoDb => "NEW_AND_OLD_IMAGES".to_owned(),
                None => String::new(),
                Some(Value::String(s))
                    if kind == SourceKind::DynamoDb
                        && ["KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"]
                            .contains(&s.as_str()) =>
                {
                    s.clone()
                }
                Some(_) => {
                    return Err(bad(
                        &format!("{pointer}/StreamViewType"),
                        "a DynamoDB stream's StreamViewType is KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES",
                    ));
                }
            };
            let records = match o.get("Records") {
                Some(Value::Array(r)) => r,
                _ => {
                    return Err(bad(
                        &format!("{pointer}/Records"),
                        "expected a list of records",
                    ));
                }
            };
            if records.len() > MAX_RECORDS {
                return Err(bad(
                    &format!("{pointer}/Records"),
                    format!(
                        "{} records: statebridge reads at most {MAX_RECORDS} per source",
                        records.len()
                    ),
                ));
            }
            let records = records
                .iter()
                .enumerate()
                .map(|(j, r)| RecordInput::parse(r, kind, &format!("{pointer}/Records/{j}")))
                .collect::<Result<Vec<_>, _>>()?;
            let queue = match (kind, o.get("Attributes")) {
                (SourceKind::Sqs { .. }, attributes) => super::retry::QueueAttributes::parse(
                    attributes,
                    &format!("{pointer}/Attributes"),
                )?,
                (_, None | Some(Value::Null)) => super::retry::QueueAttributes::default(),
                (_, Some(_)) => {
                    return Err(bad(
                        &format!("{pointer}/Attributes"),
                        "`Attributes` are an SQS queue's (CreateQueue's); a stream's retries are set on the pipe's stream parameters (MaximumRetryAttempts, MaximumRecordAgeInSeconds, DeadLetterConfig)",
                    ));
                }
            };
            sources.push(Source {
                arn,
                kind,
                view,
                records,
                queue,
            });
        }
        Ok(Sources { sources })
    }
}

fn text_field(o: &Map<String, Value>, key: &str, pointer: &str) -> Result<Option<String>, Located> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(&format!("{pointer}/{key}"), "expected a string")),
    }
}

fn seconds(o: &Map<String, Value>, key: &str, pointer: &str, max: f64) -> Result<Millis, Located> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(0),
        Some(v) => v
            .as_f64()
            .filter(|s| (0.0..=max).contains(s))
            .map(|s| (s * 1000.0).round() as Millis)
            .ok_or_else(|| {
                bad(
                    &format!("{pointer}/{key}"),
                    format!("expected a number of seconds from 0 to {max}"),
                )
            }),
    }
}

impl RecordInput {
    fn parse(v: &Value, kind: SourceKind, pointer: &str) -> Result<RecordInput, Located> {
        let empty = Map::new();
        let (o, text) = match v {
            Value::String(s) => (&empty, Some(s.clone())),
            Value::Object(o) => (o, None),
            _ => {
                return Err(bad(
                    pointer,
                    "a record is its text, or an object (SendMessage's, PutRecord's or a DynamoDB change's fields)",
                ));
            }
        };
        // A year of virtual time is more than any run's window.
        let mut at = seconds(o, "At", pointer, 366.0 * 86_400.0)?;
        let content = match kind {
            SourceKind::Sqs { fifo } => {
                let body = match text {
                    Some(t) => t,
                    None => text_field(o, "MessageBody", pointer)?.ok_or_else(|| {
                        bad(
                            &format!("{pointer}/MessageBody"),
                            "an SQS message needs its MessageBody (a string)",
                        )
                    })?,
                };
                if body.is_empty() {
                    return Err(bad(
                        &format!("{pointer}/MessageBody"),
                        "SQS refuses an empty message body",
                    ));
                }
                at += seconds(o, "DelaySeconds", pointer, 900.0)?;
                let attributes = match o.get("MessageAttributes") {
                    None | Some(Value::Null) => Map::new(),
                    Some(Value::Object(m)) => m.clone(),
                    Some(_) => {
                        return Err(bad(
                            &format!("{pointer}/MessageAttributes"),
                            "expected {\"Name\": {\"DataType\": \"String\", \"StringValue\": \"…\"}}",
                        ));
                    }
                };
                let group = text_field(o, "MessageGroupId", pointer)?;
                if fifo && group.is_none() {
                    return Err(bad(
                        &format!("{pointer}/MessageGroupId"),
                        "a message to a FIFO queue needs a MessageGroupId",
                    ));
                }
                Content::Sqs {
                    body,
                    attributes,
                    group,
                    dedup: text_field(o, "MessageDeduplicationId", pointer)?,
                }
            }
            SourceKind::Kinesis => Content::Kinesis {
                data: match text {
                    Some(t) => t,
                    None => text_field(o, "Data", pointer)?.ok_or_else(|| {
                        bad(
                            &format!("{pointer}/Data"),
                            "a Kinesis record needs its Data (text)",
                        )
                    })?,
                },
                partition_key: text_field(o, "PartitionKey", pointer)?
                    .unwrap_or_else(|| "1".to_owned()),
            },
            SourceKind::DynamoDb => {
                if text.is_some() {
                    return Err(bad(
                        pointer,
                        "a DynamoDB stream record is a change: {\"eventName\": \"INSERT\", \"Keys\": …, \"NewImage\": …}",
                    ));
                }
                let images = match o.get("dynamodb") {
                    Some(Value::Object(d)) => d,
                    Some(_) => {
                        return Err(bad(&format!("{pointer}/dynamodb"), "expected an object"));
                    }
                    None => o,
                };
                let event_name = text_field(o, "eventName", pointer)?.unwrap_or_default();
                if !["INSERT", "MODIFY", "REMOVE"].contains(&event_name.as_str()) {
                    return Err(bad(
                        &format!("{pointer}/eventName"),
                        "eventName is INSERT, MODIFY or REMOVE",
                    ));
                }
                let image = |k: &str| -> Result<Option<Value>, Located> {
                    match images.get(k) {
                        None | Some(Value::Null) => Ok(None),
                        Some(v @ Value::Object(_)) => Ok(Some(v.clone())),
                        Some(_) => Err(bad(
                            &format!("{pointer}/{k}"),
                            "expected an item in DynamoDB JSON ({\"Id\": {\"N\": \"101\"}})",
                        )),
                    }
                };
                let keys = image("Keys")?.ok_or_else(|| {
                    bad(&format!("{pointer}/Keys"), "a change needs the item's Keys")
                })?;
                Content::DynamoDb {
                    new_image: image("NewImage")?,
                    old_image: image("OldImage")?,
                    event_name,
                    keys,
                }
            }
        };
        Ok(RecordInput { at, content })
    }
}

/// What a record is made with besides its content.
#[derive(Debug, Clone, Copy)]
pub struct Stamp<'a> {
    /// The source.
    pub source: &'a Source,
    /// The record's place in the source.
    pub index: usize,
    /// The run's seed.
    pub seed: u64,
    /// When it arrived (milliseconds since the epoch).
    pub arrived: Millis,
    /// The Region.
    pub region: &'a str,
    /// The pipe's role (`invokeIdentityArn` of a Kinesis record).
    pub role: &'a str,
}

fn hex_id(seed: u64, index: usize, salt: u64) -> String {
    let mut rng = SplitMix64::new(seed ^ salt ^ (index as u64).wrapping_mul(SplitMix64::GAMMA));
    format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64())
}

/// The record as the pipe receives it.
pub fn shape(input: &RecordInput, s: &Stamp<'_>) -> Value {
    let arn = &s.source.arn;
    match &input.content {
        Content::Sqs {
            body,
            attributes,
            group,
            dedup,
        } => {
            let sent = s.arrived.to_string();
            let mut attrs = Map::new();
            attrs.insert("ApproximateReceiveCount".into(), json!("1"));
            attrs.insert("SentTimestamp".into(), json!(sent));
            if let Some(g) = group {
                attrs.insert(
                    "SequenceNumber".into(),
                    json!(format!(
                        "{}",
                        18_849_496_460_467_696_128u128 + s.index as u128
                    )),
                );
                attrs.insert("MessageGroupId".into(), json!(g));
            }
            attrs.insert("SenderId".into(), json!("AIDAIENQZJOLO23YVJ4VO"));
            if let Some(d) = dedup {
                attrs.insert("MessageDeduplicationId".into(), json!(d));
            }
            attrs.insert("ApproximateFirstReceiveTimestamp".into(), json!(sent));
            let message_attributes: Map<String, Value> = attributes
                .iter()
                .map(|(k, v)| {
                    let field = |n: &str| v.get(n).cloned().unwrap_or(Value::Null);
                    let mut a = Map::new();
                    if let Some(sv) = v.get("StringValue") {
                        a.insert("stringValue".into(), sv.clone());
                    }
                    if let Some(bv) = v.get("BinaryValue") {
                        a.insert("binaryValue".into(), bv.clone());
                    }
                    a.insert("stringListValues".into(), json!([]));
                    a.insert("binaryListValues".into(), json!([]));
                    a.insert("dataType".into(), field("DataType"));
                    (k.clone(), Value::Object(a))
                })
                .collect();
            let id =
                SplitMix64::new(s.seed ^ 0x5a5 ^ (s.index as u64).wrapping_mul(SplitMix64::GAMMA))
                    .uuid();
            let handle = base64::encode(
                format!("{id}:{}", s.index).as_bytes(),
                base64::Alphabet::Standard,
                true,
            );
            json!({
                "messageId": id,
                "receiptHandle": format!("AQEB{handle}"),
                "body": body,
                "attributes": attrs,
                "messageAttributes": message_attributes,
                "md5OfBody": md5_hex(body.as_bytes()),
                "eventSource": "aws:sqs",
                "eventSourceARN": arn,
                "awsRegion": s.region,
            })
        }
        Content::Kinesis {
            data,
            partition_key,
        } => {
            let sequence = format!(
                "4959033827149025660855969253836157109592157598913{:07}",
                s.index
            );
            json!({
                "kinesisSchemaVersion": "1.0",
                "partitionKey": partition_key,
                "sequenceNumber": sequence,
                "data": base64::encode(data.as_bytes(), base64::Alphabet::Standard, true),
                "approximateArrivalTimestamp": s.arrived as f64 / 1000.0,
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": format!("shardId-000000000000:{sequence}"),
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": s.role,
                "awsRegion": s.region,
                "eventSourceARN": arn,
            })
        }
        Content::DynamoDb {
            event_name,
            keys,
            new_image,
            old_image,
        } => {
            let view = s.source.view.as_str();
            let mut d = Map::new();
            d.insert(
                "ApproximateCreationDateTime".into(),
                json!(s.arrived.div_euclid(1000)),
            );
            d.insert("Keys".into(), keys.clone());
            if matches!(view, "NEW_IMAGE" | "NEW_AND_OLD_IMAGES")
                && let Some(n) = new_image
            {
                d.insert("NewImage".into(), n.clone());
            }
            if matches!(view, "OLD_IMAGE" | "NEW_AND_OLD_IMAGES")
                && let Some(o) = old_image
            {
                d.insert("OldImage".into(), o.clone());
            }
            d.insert(
                "SequenceNumber".into(),
                json!(format!(
                    "{}",
                    100_000_000_000_000_000_000u128 + 100 * s.index as u128
                )),
            );
            let size = serde_json::to_string(&d).map_or(0, |t| t.len());
            d.insert("SizeBytes".into(), json!(size));
            d.insert("StreamViewType".into(), json!(view));
            json!({
                "eventID": hex_id(s.seed, s.index, 0xd1a),
                "eventName": event_name,
                "eventVersion": "1.1",
                "eventSource": "aws:dynamodb",
                "awsRegion": s.region,
                "dynamodb": d,
                "eventSourceARN": arn,
            })
        }
    }
}

fn md5_hex(bytes: &[u8]) -> String {
    let digest = Md5::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_of_body_is_sqs_s() {
        // The SQS sample in the user guide: body "Test message." has this md5OfBody.
        assert_eq!(
            md5_hex(b"Test message."),
            "e4e68fb7bd0e697a0ae8f1bb342846b3"
        );
    }
}
