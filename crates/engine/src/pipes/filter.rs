//! A pipe's `FilterCriteria`: event patterns over the records, as "Event filtering in Amazon
//! EventBridge Pipes" describes.
//!
//! - A record passes when it matches at least one of the (up to 5) `Filters`; no filters: every
//!   record passes. A record that passes none is dropped (an SQS message is deleted; a stream's
//!   iterator moves past it).
//! - Each source has a data field: an SQS message's `body` (text), a Kinesis record's `data`
//!   (base64), a DynamoDB record's `dynamodb`. When the data is JSON (here: an object or an
//!   array), a pattern sees it decoded, as if it had not been escaped or encoded.
//! - SQS: a pattern whose `body` is an object wants a JSON body and a pattern whose `body` is a
//!   list of values wants a plain-string body; a message of the other kind is dropped. A pattern
//!   without `body` filters on the other fields only.
//! - Kinesis and DynamoDB: a pattern for the data field must be an object (refused when the pipe
//!   is read); a record whose data is not JSON is dropped by a pattern that names the data field.
//!
//! The guide lists `awsRegion`, `eventSource`, `eventSourceARN`, `eventVersion`, `eventID`,
//! `eventName`, `invokeIdentityArn` and `eventSourceKey` as fields patterns cannot use, while its
//! own DynamoDB tutorials filter on `eventName`; statebridge lets a pattern name every field of
//! the record.

use super::records::SourceKind;
use super::{Located, PipeProblem};
use crate::base64;
use crate::pattern::{MAX_PATTERN_CHARS, Pattern, PatternError, Problem};
use crate::source;
use serde_json::Value;

/// Most filters a `FilterCriteria` holds.
pub const MAX_FILTERS: usize = 5;

/// What a pattern says about the data field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataPattern {
    /// The pattern does not name it.
    None,
    /// An object: fields of JSON data.
    Json,
    /// A list of values: the data as a plain string.
    Text,
}

/// The filters of a pipe.
#[derive(Debug, Clone, Default)]
pub struct FilterCriteria {
    filters: Vec<(Pattern, DataPattern)>,
}

/// A record as patterns and input templates see it: the data field decoded when it is JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The record with its data field decoded (left as it was when not JSON).
    pub value: Value,
    /// Whether the data field held JSON.
    pub data_is_json: bool,
}

impl FilterCriteria {
    /// Reads `FilterCriteria` at `pointer`; each `Pattern` is JSON text (as the API takes it) or,
    /// for convenience, the pattern itself.
    pub fn parse(v: &Value, pointer: &str, kind: SourceKind) -> Result<FilterCriteria, Located> {
        let bad = |p: String, problem| (p, problem);
        let Some(o) = v.as_object() else {
            return Err(bad(
                pointer.to_owned(),
                PipeProblem::Expected("an object with `Filters`"),
            ));
        };
        let filters = match o.get("Filters") {
            None | Some(Value::Null) => return Ok(FilterCriteria::default()),
            Some(Value::Array(f)) => f,
            Some(_) => {
                return Err(bad(
                    format!("{pointer}/Filters"),
                    PipeProblem::Expected("a list of {\"Pattern\": \"…\"}"),
                ));
            }
        };
        if filters.len() > MAX_FILTERS {
            return Err(bad(
                format!("{pointer}/Filters"),
                PipeProblem::OutOfRange {
                    min: 0,
                    max: MAX_FILTERS as i64,
                },
            ));
        }
        let mut out = Vec::with_capacity(filters.len());
        for (i, f) in filters.iter().enumerate() {
            let here = format!("{pointer}/Filters/{i}/Pattern");
            let pattern_value = match f.get("Pattern") {
                Some(Value::String(text)) => {
                    if text.chars().count() > MAX_PATTERN_CHARS {
                        return Err(bad(
                            here,
                            PipeProblem::Pattern(Box::new(PatternError::Invalid {
                                pointer: String::new(),
                                position: None,
                                problem: Problem::TooLarge(text.chars().count()),
                            })),
                        ));
                    }
                    source::parse_value(text)
                        .map_err(|e| bad(here.clone(), PipeProblem::PatternSyntax(Box::new(e))))?
                }
                Some(v @ Value::Object(_)) => v.clone(),
                _ => {
                    return Err(bad(
                        format!("{pointer}/Filters/{i}"),
                        PipeProblem::Expected(
                            "{\"Pattern\": \"…\"}: the pattern as JSON text (or as an object)",
                        ),
                    ));
                }
            };
            let pattern = Pattern::parse(&pattern_value)
                .map_err(|e| bad(here.clone(), PipeProblem::Pattern(Box::new(e))))?;
            let data = match pattern_value.get(kind.data_field()) {
                None => DataPattern::None,
                Some(Value::Object(_)) => DataPattern::Json,
                Some(_) => DataPattern::Text,
            };
            if kind.is_stream() && data == DataPattern::Text {
                return Err(bad(
                    here,
                    PipeProblem::DataPatternNotJson(kind.data_field()),
                ));
            }
            out.push((pattern, data));
        }
        Ok(FilterCriteria { filters: out })
    }

    /// How many filters there are.
    pub fn len(&self) -> usize {
        self.filters.len()
    }

    /// Whether there are none (every record passes).
    pub fn is_empty(&self) -> bool {
        self.filters.is_empty()
    }

    /// Whether a decoded record passes: it matches at least one filter, or there are none.
    pub fn keeps(&self, record: &Decoded) -> bool {
        self.filters.is_empty()
            || self.filters.iter().any(|(p, data)| {
                let shape_ok = match data {
                    DataPattern::None => true,
                    DataPattern::Json => record.data_is_json,
                    DataPattern::Text => !record.data_is_json,
                };
                shape_ok && p.matches(&record.value)
            })
    }
}

/// The record with its data field decoded when it holds JSON: an SQS `body` parsed, a Kinesis
/// `data` decoded from base64 then parsed; otherwise left as it is (a Kinesis `data` that is not
/// JSON stays base64, as EventBridge delivers it).
pub fn decode(kind: SourceKind, record: &Value) -> Decoded {
    let field = kind.data_field();
    let decoded = match (kind, record.get(field)) {
        (SourceKind::Sqs { .. }, Some(Value::String(body))) => json_container(body),
        (SourceKind::Kinesis, Some(Value::String(data))) => {
            base64::decode(data, base64::Alphabet::Standard)
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .and_then(|text| json_container(&text))
        }
        (SourceKind::DynamoDb, Some(_)) => {
            return Decoded {
                value: record.clone(),
                data_is_json: true,
            };
        }
        _ => None,
    };
    match decoded {
        Some(v) => {
            let mut value = record.clone();
            if let Some(o) = value.as_object_mut() {
                o.insert(field.to_owned(), v);
            }
            Decoded {
                value,
                data_is_json: true,
            }
        }
        None => Decoded {
            value: record.clone(),
            data_is_json: false,
        },
    }
}

/// The text's JSON value when it is an object or an array.
fn json_container(text: &str) -> Option<Value> {
    let first = text.trim_start().chars().next()?;
    if first != '{' && first != '[' {
        return None;
    }
    serde_json::from_str::<Value>(text)
        .ok()
        .filter(|v| v.is_object() || v.is_array())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SQS: SourceKind = SourceKind::Sqs { fifo: false };

    fn criteria(kind: SourceKind, patterns: &[&str]) -> FilterCriteria {
        let filters: Vec<Value> = patterns.iter().map(|p| json!({"Pattern": p})).collect();
        FilterCriteria::parse(&json!({"Filters": filters}), "", kind)
            .unwrap_or_else(|e| panic!("{}", e.1))
    }

    fn sqs(body: &str) -> Decoded {
        decode(SQS, &json!({"messageId": "m", "body": body}))
    }

    /// The user guide's table for SQS bodies and `body` patterns.
    #[test]
    fn sqs_body_and_pattern_must_agree() {
        let json_pattern = criteria(SQS, &[r#"{"body": {"RequestCode": ["BBBB"]}}"#]);
        let text_pattern = criteria(SQS, &[r#"{"body": ["plain text"]}"#]);
        let no_data = criteria(SQS, &[r#"{"messageId": ["m"]}"#]);
        let json_body = sqs(r#"{"RequestCode": "BBBB"}"#);
        let text_body = sqs("plain text");
        assert!(json_pattern.keeps(&json_body));
        assert!(!json_pattern.keeps(&text_body));
        assert!(text_pattern.keeps(&text_body));
        assert!(!text_pattern.keeps(&sqs(r#"["plain text"]"#)));
        assert!(no_data.keeps(&json_body) && no_data.keeps(&text_body));
        // `exists: false` on a field of a JSON body does not let a plain body through.
        let absent = criteria(SQS, &[r#"{"body": {"x": [{"exists": false}]}}"#]);
        assert!(!absent.keeps(&text_body));
        assert!(absent.keeps(&json_body));
    }

    #[test]
    fn any_filter_lets_a_record_through() {
        let c = criteria(
            SQS,
            &[
                r#"{"body": {"amount": [{"numeric": [">", 100]}]}}"#,
                r#"{"body": {"vip": [true]}}"#,
            ],
        );
        assert!(c.keeps(&sqs(r#"{"amount": 250}"#)));
        assert!(c.keeps(&sqs(r#"{"amount": 5, "vip": true}"#)));
        assert!(!c.keeps(&sqs(r#"{"amount": 5}"#)));
        assert!(FilterCriteria::default().keeps(&sqs("anything")));
    }

    /// The guide's Kinesis example: `partitionKey` and the decoded `data.City`.
    #[test]
    fn kinesis_data_is_decoded() {
        let data = base64::encode(
            br#"{"City": "Seattle", "State": "WA"}"#,
            base64::Alphabet::Standard,
            true,
        );
        let record = decode(
            SourceKind::Kinesis,
            &json!({"partitionKey": "1", "data": data}),
        );
        assert_eq!(record.value["data"]["City"], json!("Seattle"));
        let c = criteria(
            SourceKind::Kinesis,
            &[r#"{"partitionKey": ["1"], "data": {"City": ["Seattle"]}}"#],
        );
        assert!(c.keeps(&record));
        let plain = decode(
            SourceKind::Kinesis,
            &json!({"partitionKey": "1", "data": "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg=="}),
        );
        assert!(!plain.data_is_json);
        assert_eq!(
            plain.value["data"],
            json!("SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==")
        );
        assert!(!c.keeps(&plain));
    }

    #[test]
    fn a_stream_data_pattern_must_be_json() {
        let err = FilterCriteria::parse(
            &json!({"Filters": [{"Pattern": "{\"data\": [\"x\"]}"}]}),
            "/F",
            SourceKind::Kinesis,
        )
        .unwrap_err();
        assert_eq!(err.0, "/F/Filters/0/Pattern");
        assert!(
            err.1.to_string().contains("must be a JSON object"),
            "{}",
            err.1
        );
    }
}
