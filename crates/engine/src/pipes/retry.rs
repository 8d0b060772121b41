//! What a pipe does with a batch that fails: the settings, read from the workspace.
//!
//! An SQS source retries through the queue itself (the user guide, "Amazon EventBridge Pipes
//! error handling"): a failed message becomes visible again when its visibility timeout ends and
//! is received again, until its receive count reaches the `RedrivePolicy`'s `maxReceiveCount`;
//! then SQS moves it to the `deadLetterTargetArn` queue. The queue's settings are `CreateQueue`'s
//! `Attributes` on the source's entry in `Sources`:
//!
//! ```
//! use statebridge_engine::pipes::retry::QueueAttributes;
//! let q = QueueAttributes::parse(Some(&serde_json::json!({
//!     "VisibilityTimeout": "20",
//!     "RedrivePolicy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:orders-dlq\",\"maxReceiveCount\":\"3\"}"
//! })), "/Sources/0/Attributes").unwrap();
//! assert_eq!((q.visibility_ms, q.max_receive), (20_000, Some(3)));
//! ```
//!
//! A Kinesis or DynamoDB stream source retries a batch itself, with backoff, per its
//! `MaximumRetryAttempts` and `MaximumRecordAgeInSeconds` (`-1`, the default, is "until the record
//! leaves the stream", 24 hours here), halving a failed batch first with
//! `OnPartialBatchItemFailure: AUTOMATIC_BISECT`, and sends what it gives up on to its
//! `DeadLetterConfig` queue ([`StreamRetry`]).

use super::{Located, PipeProblem};
use crate::asl::time::Millis;
use serde_json::{Map, Value};

/// SQS's default visibility timeout (30 seconds).
pub const DEFAULT_VISIBILITY_MS: Millis = 30_000;
/// SQS's default message retention period (4 days).
pub const DEFAULT_RETENTION_MS: Millis = 345_600_000;
/// How long a stream keeps a record (24 hours, the default of both Kinesis and DynamoDB
/// streams): a record that is retried "forever" is given up when it leaves the stream.
pub const STREAM_RETENTION_MS: Millis = 86_400_000;

/// An SQS queue's settings that decide retries (`CreateQueue`'s `Attributes`).
#[derive(Debug, Clone, PartialEq)]
pub struct QueueAttributes {
    /// `VisibilityTimeout` (0 to 43,200 seconds; default 30).
    pub visibility_ms: Millis,
    /// `MessageRetentionPeriod` (60 to 1,209,600 seconds; default 4 days).
    pub retention_ms: Millis,
    /// `RedrivePolicy.maxReceiveCount` (1 to 1,000), if the queue has a dead-letter queue.
    pub max_receive: Option<u32>,
    /// `RedrivePolicy.deadLetterTargetArn`.
    pub dead_letter_arn: Option<String>,
}

impl Default for QueueAttributes {
    fn default() -> Self {
        QueueAttributes {
            visibility_ms: DEFAULT_VISIBILITY_MS,
            retention_ms: DEFAULT_RETENTION_MS,
            max_receive: None,
            dead_letter_arn: None,
        }
    }
}

fn problem(pointer: String, why: impl Into<String>) -> Located {
    (pointer, PipeProblem::BadRecord(why.into()))
}

/// A whole number given as SQS gives it (text) or as a number, within `min..=max`.
fn whole(v: &Value, pointer: &str, min: i64, max: i64) -> Result<i64, Located> {
    let n = match v {
        Value::String(s) => s.trim().parse::<i64>().ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    };
    n.filter(|n| (min..=max).contains(n))
        .ok_or_else(|| (pointer.to_owned(), PipeProblem::OutOfRange { min, max }))
}

impl QueueAttributes {
    /// Reads `Attributes` (absent: SQS's defaults). Unknown attributes are kept out of the way
    /// (SQS has many that change nothing here); the ones that matter are checked.
    pub fn parse(v: Option<&Value>, pointer: &str) -> Result<QueueAttributes, Located> {
        let mut q = QueueAttributes::default();
        let o = match v {
            None | Some(Value::Null) => return Ok(q),
            Some(Value::Object(o)) => o,
            Some(_) => {
                return Err(problem(
                    pointer.to_owned(),
                    "expected CreateQueue's Attributes: {\"VisibilityTimeout\": \"30\", \"RedrivePolicy\": …}",
                ));
            }
        };
        if let Some(v) = o.get("VisibilityTimeout") {
            q.visibility_ms = whole(v, &format!("{pointer}/VisibilityTimeout"), 0, 43_200)? * 1000;
        }
        if let Some(v) = o.get("MessageRetentionPeriod") {
            q.retention_ms = whole(
                v,
                &format!("{pointer}/MessageRetentionPeriod"),
                60,
                1_209_600,
            )? * 1000;
        }
        let rp = format!("{pointer}/RedrivePolicy");
        let policy: Option<Map<String, Value>> = match o.get("RedrivePolicy") {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) => Some(m.clone()),
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Object(m)) => Some(m),
                _ => {
                    return Err(problem(
                        rp,
                        "the RedrivePolicy is JSON text of an object: {\"deadLetterTargetArn\": \"arn:aws:sqs:…\", \"maxReceiveCount\": \"3\"}",
                    ));
                }
            },
            Some(_) => {
                return Err(problem(
                    rp,
                    "expected {\"deadLetterTargetArn\": \"arn:aws:sqs:…\", \"maxReceiveCount\": \"3\"} (or it as JSON text)",
                ));
            }
        };
        if let Some(m) = policy {
            let arn = match m.get("deadLetterTargetArn") {
                Some(Value::String(s)) if s.starts_with("arn:aws:sqs:") => s.clone(),
                _ => {
                    return Err(problem(
                        format!("{rp}/deadLetterTargetArn"),
                        "the RedrivePolicy needs deadLetterTargetArn, an SQS queue's ARN (arn:aws:sqs:REGION:ACCOUNT:NAME)",
                    ));
                }
            };
            let count = m.get("maxReceiveCount").ok_or_else(|| {
                problem(
                    format!("{rp}/maxReceiveCount"),
                    "the RedrivePolicy needs maxReceiveCount (1 to 1000)",
                )
            })?;
            q.max_receive = Some(whole(count, &format!("{rp}/maxReceiveCount"), 1, 1000)? as u32);
            q.dead_letter_arn = Some(arn);
        }
        Ok(q)
    }
}

/// A stream source's retry settings (`KinesisStreamParameters` / `DynamoDBStreamParameters`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StreamRetry {
    /// `MaximumRetryAttempts` (0 to 10,000); `None` is `-1`, the default: until the record expires.
    pub max_attempts: Option<u32>,
    /// `MaximumRecordAgeInSeconds` (60 to 604,800), in milliseconds; `None` is `-1`, the default.
    pub max_age_ms: Option<Millis>,
    /// `OnPartialBatchItemFailure: AUTOMATIC_BISECT`.
    pub bisect: bool,
}

impl StreamRetry {
    /// Reads the three settings from a stream's parameters.
    pub fn parse(params: &Map<String, Value>, pointer: &str) -> Result<StreamRetry, Located> {
        let mut r = StreamRetry::default();
        if let Some(v) = params.get("MaximumRetryAttempts") {
            let n = whole(v, &format!("{pointer}/MaximumRetryAttempts"), -1, 10_000)?;
            r.max_attempts = (n >= 0).then_some(n as u32);
        }
        if let Some(v) = params.get("MaximumRecordAgeInSeconds") {
            let at = format!("{pointer}/MaximumRecordAgeInSeconds");
            let n = whole(v, &at, -1, 604_800)?;
            if (0..60).contains(&n) {
                return Err(problem(
                    at,
                    "MaximumRecordAgeInSeconds is -1 (records never expire before the stream drops them) or 60 to 604800",
                ));
            }
            r.max_age_ms = (n >= 0).then_some(n * 1000);
        }
        match params.get("OnPartialBatchItemFailure") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s == "AUTOMATIC_BISECT" => r.bisect = true,
            Some(other) => {
                return Err((
                    format!("{pointer}/OnPartialBatchItemFailure"),
                    PipeProblem::NotOneOf {
                        given: other
                            .as_str()
                            .map_or_else(|| other.to_string(), str::to_owned),
                        choices: "AUTOMATIC_BISECT",
                    },
                ));
            }
        }
        Ok(r)
    }

    /// The oldest a record may be when it is retried: the setting, or the stream's retention.
    pub fn age_limit_ms(&self) -> Millis {
        self.max_age_ms.unwrap_or(STREAM_RETENTION_MS)
    }
}

/// Seconds before retry `n` (from 1) of a stream batch: 1, 2, 4 … capped at 60 (Lambda's event
/// source mappings back off exponentially; the cap is statebridge's choice).
pub fn stream_backoff_ms(n: u32) -> Millis {
    1000 * (1i64 << n.saturating_sub(1).min(6)).min(60)
}

/// A target's partial batch response: the ids in `batchItemFailures`, or why the answer counts
/// as the whole batch failing. `None`: the answer names no failure (the batch succeeded).
///
/// As AWS Lambda documents it for its own event sources: an empty or missing list is success; an
/// item whose `itemIdentifier` is missing, empty, or names no record of the batch makes the
/// whole batch fail.
pub fn item_failures(answer: &Value, known: &[&str]) -> Option<Result<Vec<String>, String>> {
    let list = answer.get("batchItemFailures")?;
    let Value::Array(items) = list else {
        return if list.is_null() {
            None
        } else {
            Some(Err(
                "`batchItemFailures` is not a list, so the whole batch failed".into(),
            ))
        };
    };
    if items.is_empty() {
        return None;
    }
    let mut ids = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item.get("itemIdentifier").and_then(Value::as_str) {
            Some(id) if !id.is_empty() && known.contains(&id) => ids.push(id.to_owned()),
            Some(id) if !id.is_empty() => {
                return Some(Err(format!(
                    "batchItemFailures[{i}].itemIdentifier `{id}` names no record of the batch, so the whole batch failed"
                )));
            }
            _ => {
                return Some(Err(format!(
                    "batchItemFailures[{i}] has no itemIdentifier, so the whole batch failed"
                )));
            }
        }
    }
    Some(Ok(ids))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queue_attributes_are_checked_where_they_are() {
        let err = |v: Value| {
            QueueAttributes::parse(Some(&v), "/Sources/0/Attributes")
                .unwrap_err()
                .0
        };
        assert_eq!(
            err(json!({"VisibilityTimeout": "forever"})),
            "/Sources/0/Attributes/VisibilityTimeout"
        );
        assert_eq!(
            err(
                json!({"RedrivePolicy": {"deadLetterTargetArn": "arn:aws:sqs:us-east-1:1:dlq", "maxReceiveCount": 0}})
            ),
            "/Sources/0/Attributes/RedrivePolicy/maxReceiveCount"
        );
        assert_eq!(
            err(json!({"RedrivePolicy": "{\"maxReceiveCount\": 2}"})),
            "/Sources/0/Attributes/RedrivePolicy/deadLetterTargetArn"
        );
        let q = QueueAttributes::parse(None, "").unwrap();
        assert_eq!((q.visibility_ms, q.max_receive), (30_000, None));
    }

    #[test]
    fn stream_settings_and_backoff() {
        let p = json!({"MaximumRetryAttempts": 2, "MaximumRecordAgeInSeconds": -1, "OnPartialBatchItemFailure": "AUTOMATIC_BISECT"});
        let r = StreamRetry::parse(p.as_object().unwrap(), "/x").unwrap();
        assert_eq!(
            r,
            StreamRetry {
                max_attempts: Some(2),
                max_age_ms: None,
                bisect: true
            }
        );
        let bad = json!({"MaximumRecordAgeInSeconds": 30});
        assert_eq!(
            StreamRetry::parse(bad.as_object().unwrap(), "/x")
                .unwrap_err()
                .0,
            "/x/MaximumRecordAgeInSeconds"
        );
        let steps: Vec<Millis> = (1..=8).map(stream_backoff_ms).collect();
        assert_eq!(steps, [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    }

    #[test]
    fn partial_batch_responses_as_lambda_documents_them() {
        let known = ["a", "b"];
        assert_eq!(
            item_failures(&json!({"batchItemFailures": []}), &known),
            None
        );
        assert_eq!(item_failures(&json!({"ok": true}), &known), None);
        assert_eq!(
            item_failures(
                &json!({"batchItemFailures": [{"itemIdentifier": "b"}]}),
                &known
            ),
            Some(Ok(vec!["b".to_owned()]))
        );
        assert!(matches!(
            item_failures(
                &json!({"batchItemFailures": [{"itemIdentifier": ""}]}),
                &known
            ),
            Some(Err(_))
        ));
        assert!(matches!(
            item_failures(
                &json!({"batchItemFailures": [{"itemIdentifier": "z"}]}),
                &known
            ),
            Some(Err(_))
        ));
    }
}
