//! EventBridge's size limits: an event (a PutEvents entry) and what a target receives.
//!
//! PutEvents refuses an entry over 256 KiB. The user guide ("Calculating PutEvents event entry
//! size") counts an entry as the UTF-8 bytes of `Source`, `DetailType`, `Detail` and each of
//! `Resources`, plus 14 bytes when `Time` is given; the envelope EventBridge adds (`version`,
//! `id`, `account`, `region`, member names) is not counted. We take 256 KiB as 262,144 bytes and
//! refuse an entry *over* it.
//!
//! - An event with EventBridge's envelope (only `version`, `id`, `detail-type`, `source`,
//!   `account`, `time`, `region`, `resources`, `detail`, `replay-name`) is counted that way,
//!   `detail` as its compact JSON text (the fewest bytes it could have been sent as).
//! - A PutEvents entry (`Source`, `DetailType`, `Detail` as text, …) is counted that way too.
//! - Any other object (a pattern's test event with fields of its own) is counted as its whole
//!   compact JSON text, so no part of a big event escapes the limit.
//!
//! The guide says nothing of a limit on a transformed input; the targets an input transformer
//! feeds (Step Functions' execution input, SQS, SNS, Lambda's asynchronous invocation) accept
//! 256 KiB, so [`MAX_TARGET_INPUT_BYTES`] is that, checked while the input is built.
//!
//! ```
//! use statebridge_engine::size::{check_event, entry_size};
//! use serde_json::json;
//! let event = json!({"source": "shop", "detail-type": "Order", "time": "2026-01-01T00:00:00Z",
//!                    "detail": {"id": 7}});
//! assert_eq!(entry_size(&event), 4 + 5 + 14 + r#"{"id":7}"#.len());
//! let big = json!({"source": "shop", "detail": {"blob": "x".repeat(300_000)}});
//! assert!(check_event(&big).unwrap_err().to_string().contains("EventBridge's limit"));
//! ```

use serde_json::Value;
use std::fmt;

/// The largest PutEvents entry EventBridge accepts, in bytes (256 KiB).
pub const MAX_EVENT_BYTES: usize = 262_144;

/// The largest input a transformer may build for a target, in bytes (256 KiB: see the module doc).
pub const MAX_TARGET_INPUT_BYTES: usize = 262_144;

/// An event over EventBridge's entry size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventTooLarge {
    /// The event's size, counted as EventBridge counts an entry.
    pub bytes: usize,
}

impl fmt::Display for EventTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the event is {} bytes, over EventBridge's limit of {} bytes (256 KiB) for a PutEvents entry",
            thousands(self.bytes),
            thousands(MAX_EVENT_BYTES)
        )
    }
}

impl std::error::Error for EventTooLarge {}

/// Refuses an event over [`MAX_EVENT_BYTES`]; otherwise gives its size.
pub fn check_event(event: &Value) -> Result<usize, EventTooLarge> {
    let bytes = entry_size(event);
    if bytes > MAX_EVENT_BYTES {
        Err(EventTooLarge { bytes })
    } else {
        Ok(bytes)
    }
}

const ENVELOPE: [&str; 10] = [
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
    "replay-name",
];
const ENTRY: [&str; 7] = [
    "Source",
    "DetailType",
    "Detail",
    "Resources",
    "Time",
    "EventBusName",
    "TraceHeader",
];

/// An event's size as EventBridge counts a PutEvents entry (see the module doc).
pub fn entry_size(event: &Value) -> usize {
    let Value::Object(members) = event else {
        return json_len(event);
    };
    let (source, detail_type, detail, resources, time) =
        if members.keys().all(|k| ENVELOPE.contains(&k.as_str())) {
            ("source", "detail-type", "detail", "resources", "time")
        } else if members.keys().all(|k| ENTRY.contains(&k.as_str())) {
            ("Source", "DetailType", "Detail", "Resources", "Time")
        } else {
            return json_len(event);
        };
    let text_len = |v: &Value| match v {
        Value::String(s) => s.len(),
        other => json_len(other),
    };
    let mut size = if members.contains_key(time) { 14 } else { 0 };
    for key in [source, detail_type] {
        size += members.get(key).map_or(0, text_len);
    }
    size += match members.get(detail) {
        // An entry's `Detail` is JSON text; an event's `detail` is the value itself.
        Some(v) if detail == "Detail" => text_len(v),
        Some(v) => json_len(v),
        None => 0,
    };
    size += match members.get(resources) {
        Some(Value::Array(items)) => items.iter().map(text_len).sum(),
        Some(other) => json_len(other),
        None => 0,
    };
    size
}

/// The length of a value's compact JSON text, counted without building it.
pub fn json_len(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing to a counter cannot fail, and a `Value` always serialises.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

/// `262144` → `262,144`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn sizes_as_eventbridge_counts_an_entry() {
        let table = [
            // the envelope is not counted; detail is its compact text
            (
                json!({"version": "0", "id": "x", "account": "1", "region": "r",
                       "source": "ab", "detail-type": "cd", "detail": {"k": "é"}}),
                2 + 2 + "{\"k\":\"é\"}".len(),
            ),
            (
                json!({"source": "s", "time": "t", "resources": ["arn:1", "arn:22"]}),
                1 + 14 + 11,
            ),
            // a PutEvents entry: Detail is text, counted as written
            (
                json!({"Source": "s", "DetailType": "d", "Detail": "{ \"a\": 1 }", "EventBusName": "b"}),
                1 + 1 + 10,
            ),
            // anything else: the whole compact text
            (json!({"x": 5}), 7),
            (
                json!({"source": "s", "x": [1, 2]}),
                "{\"source\":\"s\",\"x\":[1,2]}".len(),
            ),
        ];
        for (event, want) in table {
            assert_eq!(entry_size(&event), want, "{event}");
        }
    }

    #[test]
    fn the_limit_is_256_kib_inclusive() {
        let at = |n: usize| json!({"source": "s", "detail": {"b": "x".repeat(n)}});
        let fits = at(MAX_EVENT_BYTES - 1 - 8); // 1 for source, 8 for {"b":""}
        assert_eq!(check_event(&fits), Ok(MAX_EVENT_BYTES));
        let over = at(MAX_EVENT_BYTES - 8);
        assert_eq!(
            check_event(&over).unwrap_err().to_string(),
            "the event is 262,145 bytes, over EventBridge's limit of 262,144 bytes (256 KiB) for a PutEvents entry"
        );
    }

    #[test]
    fn thousands_separators() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (262_144, "262,144"),
            (1_234_567, "1,234,567"),
        ] {
            assert_eq!(thousands(n), s);
        }
    }
}
