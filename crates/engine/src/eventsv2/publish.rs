//! One publish entry read as the service reads it: `PutEvents`' envelope or `PutRawEvents`'
//! payload, the event's `Data`, `Metadata` and `SystemMetadata`, and its deduplication key.

use crate::asl::time::{self, Millis};
use crate::base64::{self, Alphabet};
use crate::system::whole_seconds;
use serde_json::{Map, Value, json};

/// The content types `PutRawEvents` takes.
const CONTENT_TYPES: [&str; 4] = [
    "application/json",
    "application/avro",
    "application/protobuf",
    "application/octet-stream",
];

/// `PutEvents`' content type, set by the service.
pub(crate) const EVENTBRIDGE_JSON: &str = "application/eventbridge+json";

/// An entry read: everything of the event but what the bus assigns when it keeps it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// `Data` (for `PutEvents`, the envelope without `id`, which the bus fills).
    pub data: Value,
    /// `Metadata`.
    pub metadata: Map<String, Value>,
    /// `ContentType`.
    pub content_type: String,
    /// `SystemMetadata.EventGroupId`.
    pub group: Option<String>,
    /// `SystemMetadata.DeduplicationId`.
    pub dedup_id: Option<String>,
    /// `PutEvents`' `Source` and `DetailType`.
    pub source: Option<(String, String)>,
    /// The text `CONTENT_BASED` deduplication hashes.
    pub content: String,
}

/// An entry's failure: `ErrorCode` and `ErrorMessage`.
pub(crate) type EntryError = (&'static str, String);

fn bad(message: impl Into<String>) -> EntryError {
    ("InvalidInputException", message.into())
}

fn text_field<'a>(e: &'a Value, key: &str, required: bool) -> Result<Option<&'a str>, EntryError> {
    match e.get(key) {
        None if required => Err(bad(format!("{key} is required"))),
        None => Ok(None),
        Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= 256 => Ok(Some(s)),
        Some(v) => Err(bad(format!(
            "{key} must be a string of 1 to 256 characters, not {v}"
        ))),
    }
}

/// `SystemMetadata`'s `EventGroupId` and `DeduplicationId`.
fn ordering_keys(sm: Option<&Value>) -> Result<(Option<String>, Option<String>), EntryError> {
    let Some(sm) = sm else {
        return Ok((None, None));
    };
    let mut out = [None, None];
    for (slot, key) in out.iter_mut().zip(["EventGroupId", "DeduplicationId"]) {
        match sm.get(key) {
            None => {}
            Some(Value::String(s))
                if !s.is_empty() && s.chars().count() <= 128 && !s.trim().is_empty() =>
            {
                *slot = Some(s.clone());
            }
            Some(v) => {
                return Err(bad(format!(
                    "SystemMetadata.{key} must be 1 to 128 characters, not all blank: {v}"
                )));
            }
        }
    }
    let [group, dedup] = out;
    Ok((group, dedup))
}

/// A `PutEvents` entry.
pub(crate) fn put_events_entry(
    e: &Value,
    account: &str,
    region: &str,
    now: Millis,
) -> Result<Entry, EntryError> {
    if !e.is_object() {
        return Err(bad("an entry must be an object"));
    }
    let source = text_field(e, "Source", true)?.unwrap_or_default();
    if source.starts_with("aws.") {
        return Err(bad(format!(
            "Source `{source}`: the `aws.` prefix is reserved for AWS services"
        )));
    }
    let detail_type = text_field(e, "DetailType", true)?.unwrap_or_default();
    let detail = match e.get("Detail") {
        None => json!({}),
        Some(Value::String(text)) => serde_json::from_str::<Value>(text)
            .map_err(|err| bad(format!("Detail is not valid JSON: {err}")))?,
        Some(v) => {
            return Err(bad(format!(
                "Detail must be JSON text (a string), not {}",
                kind(v)
            )));
        }
    };
    let resources = match e.get("Resources") {
        None => json!([]),
        Some(Value::Array(r)) if r.iter().all(Value::is_string) => Value::Array(r.clone()),
        Some(_) => return Err(bad("Resources must be a list of ARNs (strings)")),
    };
    let event_time = match e.get("Time") {
        None => whole_seconds(now),
        Some(Value::String(t)) => match time::parse_rfc3339(t) {
            Some(ms) => whole_seconds(ms),
            None => return Err(bad(format!("Time `{t}` is not a timestamp"))),
        },
        Some(Value::Number(n)) => whole_seconds((n.as_f64().unwrap_or(0.0) * 1000.0) as Millis),
        Some(v) => return Err(bad(format!("Time must be a timestamp, not {v}"))),
    };
    let sm = e.get("SystemMetadata");
    if sm.and_then(|s| s.get("ContentType")).is_some() {
        return Err(bad(
            "SystemMetadata.ContentType is not accepted by PutEvents (always application/eventbridge+json)",
        ));
    }
    let (group, dedup_id) = ordering_keys(sm)?;
    let content = json!([
        source,
        detail_type,
        e.get("Detail"),
        resources,
        e.get("Time")
    ])
    .to_string();
    let data = json!({
        "version": "0",
        "detail-type": detail_type,
        "source": source,
        "account": account,
        "time": event_time,
        "region": region,
        "resources": resources,
        "detail": detail,
    });
    Ok(Entry {
        data,
        metadata: Map::new(),
        content_type: EVENTBRIDGE_JSON.to_owned(),
        group,
        dedup_id,
        source: Some((source.to_owned(), detail_type.to_owned())),
        content,
    })
}

use crate::put_events::kind_of as kind;

/// A `PutRawEvents` entry.
pub(crate) fn raw_entry(e: &Value) -> Result<Entry, EntryError> {
    if !e.is_object() {
        return Err(bad("an entry must be an object"));
    }
    let Some(sm) = e.get("SystemMetadata") else {
        return Err(bad(
            "SystemMetadata is required, with ContentType (e.g. application/json)",
        ));
    };
    let content_type = match sm.get("ContentType") {
        Some(Value::String(c)) if CONTENT_TYPES.contains(&c.as_str()) => c.clone(),
        Some(Value::String(c)) => {
            return Err(bad(format!(
                "SystemMetadata.ContentType `{c}`: valid values are {}",
                CONTENT_TYPES.join(", ")
            )));
        }
        _ => return Err(bad("SystemMetadata.ContentType is required")),
    };
    let (group, dedup_id) = ordering_keys(Some(sm))?;
    let metadata = metadata(e.get("Metadata"))?;
    let json_type = content_type == "application/json";
    let data = match e.get("Data") {
        None => return Err(bad("Data is required")),
        Some(Value::String(b64)) => {
            let Some(bytes) = base64::decode(b64, Alphabet::Standard) else {
                return Err(bad(
                    "Data is not base64 (write it as base64, or as JSON for statebridge)",
                ));
            };
            if json_type {
                let text = String::from_utf8(bytes)
                    .map_err(|_| bad("Data is not UTF-8 text, so not application/json"))?;
                serde_json::from_str::<Value>(&text).map_err(|err| {
                    bad(format!(
                        "Data is not JSON, but its ContentType is application/json: {err}"
                    ))
                })?
            } else {
                Value::String(b64.clone())
            }
        }
        // A statebridge convenience: JSON data written as JSON rather than as base64.
        Some(v) if json_type => v.clone(),
        Some(v) => Value::String(base64::encode(
            v.to_string().as_bytes(),
            Alphabet::Standard,
            true,
        )),
    };
    let content = json!([data, metadata, content_type]).to_string();
    Ok(Entry {
        data,
        metadata,
        content_type,
        group,
        dedup_id,
        source: None,
        content,
    })
}

/// `Metadata`: up to 100 keys of 1–128 characters without `/`, values of at least one
/// character; two keys differing only in case are refused.
fn metadata(m: Option<&Value>) -> Result<Map<String, Value>, EntryError> {
    let Some(m) = m else { return Ok(Map::new()) };
    let Value::Object(o) = m else {
        return Err(bad("Metadata must be a map of strings to strings"));
    };
    if o.len() > 100 {
        return Err(bad(format!("Metadata has {} keys; at most 100", o.len())));
    }
    let mut folded: std::collections::HashMap<String, &str> = Default::default();
    for (k, v) in o {
        if k.is_empty() || k.chars().count() > 128 || k.contains('/') {
            return Err(bad(format!(
                "Metadata key `{k}`: keys are 1 to 128 characters and must not contain \"/\""
            )));
        }
        if !matches!(v, Value::String(s) if !s.is_empty()) {
            return Err(bad(format!(
                "Metadata `{k}`: values are strings of at least one character"
            )));
        }
        if let Some(other) = folded.insert(k.to_lowercase(), k) {
            return Err(bad(format!(
                "Metadata keys `{other}` and `{k}` differ only in case"
            )));
        }
    }
    Ok(o.clone())
}
