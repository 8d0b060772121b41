//! History events in the shape of Step Functions' GetExecutionHistory.
//!
//! An execution records many events (seven per Map iteration), so the interpreter keeps each
//! event's details compact — a short list of named fields, payloads as their JSON text — and the
//! `serde_json` object is made only when someone reads it ([`HistoryEvent::details`]) or
//! serialises the event. The JSON is the same either way.

use super::event_kind::EventKind;
use super::time::{Millis, format_millis};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value, json};
use std::cell::{OnceCell, RefCell};
use std::sync::Arc;

/// Text shared by the events that carry it (a state's input is in its Entered event, its Task's
/// Scheduled event and the Exited event before it): one allocation, counted references.
pub(crate) type Text = Arc<str>;

/// One event of an execution's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEvent {
    /// 1-based, increasing.
    pub id: u64,
    /// The event this one follows from (0 for the first).
    pub previous_event_id: u64,
    /// On the virtual clock, milliseconds since the epoch ([`HistoryEvent::timestamp`] formats
    /// it as the JSON has it).
    pub millis: Millis,
    /// The event's type, e.g. [`EventKind::PassStateEntered`] (its AWS name when serialised).
    pub event_type: EventKind,
    /// The type's details (serialised under their AWS name, e.g. `stateEnteredEventDetails`).
    pub(crate) details: Details,
    /// Set on task events whose result did not come from a mock: the task returned its input.
    pub unmocked: bool,
}

impl HistoryEvent {
    /// The timestamp, RFC 3339 with milliseconds (as serialised).
    pub fn timestamp(&self) -> String {
        format_millis(self.millis)
    }

    /// The details object, whatever its key.
    pub fn details(&self) -> Option<&Value> {
        self.details.built()
    }

    /// The key the details are serialised under (`stateEnteredEventDetails`, …), if any.
    pub fn details_key(&self) -> Option<String> {
        self.details
            .present
            .then(|| self.event_type.details_key().to_owned())
    }
}

impl Serialize for HistoryEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        map.serialize_entry("previousEventId", &self.previous_event_id)?;
        map.serialize_entry("timestamp", &format_millis(self.millis))?;
        map.serialize_entry("type", &self.event_type)?;
        if self.details.present {
            map.serialize_entry(self.event_type.details_key(), &FieldsSer(&self.details))?;
        }
        if self.unmocked {
            map.serialize_entry("unmocked", &true)?;
        }
        map.end()
    }
}

/// Reads what [`HistoryEvent`]'s `Serialize` writes (GetExecutionHistory's shape): the details
/// under the type's key come back as a value, equal to the fields they were written from.
impl<'de> serde::Deserialize<'de> for HistoryEvent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut m = Map::<String, Value>::deserialize(deserializer)?;
        let number = |m: &Map<String, Value>, key: &'static str| {
            m.get(key)
                .and_then(Value::as_u64)
                .ok_or_else(|| D::Error::missing_field(key))
        };
        let id = number(&m, "id")?;
        let previous_event_id = number(&m, "previousEventId")?;
        let millis = m
            .get("timestamp")
            .and_then(Value::as_str)
            .and_then(super::time::parse_rfc3339)
            .ok_or_else(|| D::Error::missing_field("timestamp"))?;
        let name = m
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| D::Error::missing_field("type"))?;
        let event_type = EventKind::from_name(name)
            .ok_or_else(|| D::Error::custom(format!("unknown history event type `{name}`")))?;
        let details = match m.remove(event_type.details_key()) {
            Some(v) => Details::value(v),
            None => Details::none(),
        };
        let unmocked = m.get("unmocked").and_then(Value::as_bool).unwrap_or(false);
        Ok(HistoryEvent {
            id,
            previous_event_id,
            millis,
            event_type,
            details,
            unmocked,
        })
    }
}

/// One field of an event's details.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field {
    /// A string.
    Str(Text),
    /// A payload's JSON text, followed by its `<name>Details: {"truncated": false}` companion.
    Payload(Text),
    /// A number.
    Num(u64),
    /// Any value (boxed: the common fields stay small, and two of them are kept inline).
    Json(Box<Value>),
}

/// One named field.
pub(crate) type Named = (&'static str, Field);

/// An event's fields: the first two inline (most events have two: a name and a payload), any
/// more in a list, so most events allocate nothing for their details' shape.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Fields {
    first: Option<Named>,
    second: Option<Named>,
    more: Vec<Named>,
}

impl Fields {
    /// No fields yet.
    pub(crate) fn new() -> Fields {
        Fields::default()
    }

    /// Appends a field.
    pub(crate) fn push(&mut self, name: &'static str, field: Field) {
        if self.first.is_none() {
            self.first = Some((name, field));
        } else if self.second.is_none() {
            self.second = Some((name, field));
        } else {
            self.more.push((name, field));
        }
    }

    /// The fields in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Named> {
        self.first
            .iter()
            .chain(self.second.iter())
            .chain(self.more.iter())
    }
}

impl<const N: usize> From<[Named; N]> for Fields {
    fn from(list: [Named; N]) -> Fields {
        let mut fields = Fields::new();
        for (name, field) in list {
            fields.push(name, field);
        }
        fields
    }
}

/// An event's details: none, a value, or named fields turned into an object when read. Their key
/// follows from the event type ([`details_key`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Details {
    present: bool,
    fields: Fields,
    built: OnceCell<Value>,
}

impl PartialEq for Details {
    fn eq(&self, other: &Details) -> bool {
        self.present == other.present && self.built() == other.built()
    }
}

impl Details {
    /// No details.
    pub(crate) fn none() -> Details {
        Details::default()
    }

    /// Details given as a value.
    pub(crate) fn value(value: Value) -> Details {
        Details {
            present: true,
            fields: Fields::new(),
            built: OnceCell::from(value),
        }
    }

    /// Details given as fields.
    pub(crate) fn fields(fields: Fields) -> Details {
        Details {
            present: true,
            fields,
            built: OnceCell::new(),
        }
    }

    fn built(&self) -> Option<&Value> {
        if !self.present {
            return None;
        }
        Some(self.built.get_or_init(|| {
            let mut m = Map::new();
            for (name, field) in self.fields.iter() {
                match field {
                    Field::Str(s) => {
                        m.insert((*name).to_owned(), Value::String(s.to_string()));
                    }
                    Field::Payload(s) => {
                        m.insert((*name).to_owned(), Value::String(s.to_string()));
                        m.insert(format!("{name}Details"), not_truncated());
                    }
                    Field::Num(n) => {
                        m.insert((*name).to_owned(), json!(n));
                    }
                    Field::Json(v) => {
                        m.insert((*name).to_owned(), (**v).clone());
                    }
                }
            }
            Value::Object(m)
        }))
    }
}

/// Serialises details without building their object.
struct FieldsSer<'a>(&'a Details);

impl Serialize for FieldsSer<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(v) = self.0.built.get() {
            return v.serialize(serializer);
        }
        let mut map = serializer.serialize_map(None)?;
        for (name, field) in self.0.fields.iter() {
            match field {
                Field::Str(s) => map.serialize_entry(name, &**s)?,
                Field::Payload(s) => {
                    map.serialize_entry(name, &**s)?;
                    map.serialize_entry(&format!("{name}Details"), &NotTruncated)?;
                }
                Field::Num(n) => map.serialize_entry(name, n)?,
                Field::Json(v) => map.serialize_entry(name, &**v)?,
            }
        }
        map.end()
    }
}

/// `{"truncated": false}` without building it.
struct NotTruncated;

impl Serialize for NotTruncated {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry("truncated", &false)?;
        map.end()
    }
}

/// JSON text of a value, as AWS puts payloads in history details.
pub(crate) fn text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

thread_local! {
    /// The buffer payload texts are written into before their one allocation.
    static TEXT_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Writes `v`'s JSON text into a reused per-thread buffer and hands it to `f` (no allocation
/// beyond what `f` makes of it); a large payload does not keep its buffer.
fn with_json<T: Serialize + ?Sized, R>(v: &T, mut f: impl FnMut(&str) -> R) -> R {
    let made = TEXT_BUFFER.try_with(|buffer| {
        let mut buffer = buffer.try_borrow_mut().ok()?;
        buffer.clear();
        serde_json::to_writer(&mut *buffer, v).ok()?;
        let r = f(std::str::from_utf8(&buffer).ok()?);
        if buffer.capacity() > 1 << 20 {
            *buffer = Vec::new();
        }
        Some(r)
    });
    match made.ok().flatten() {
        Some(r) => r,
        None => f(&serde_json::to_string(v).unwrap_or_default()),
    }
}

/// JSON text of a value, shared ([`Text`]): written into a reused buffer, then allocated once
/// at its size.
pub(crate) fn shared_text(v: &Value) -> Text {
    with_json(v, |s: &str| -> Text { Arc::from(s) })
}

/// The payload texts of one execution, each stored once however many events and inspector
/// steps carry it (a loop that carries the same payload round records one copy of it), with
/// the bytes they hold, which statebridge's memory budget is counted in.
///
/// Texts are found by a hash of their length and a few samples of their bytes (a whole 100 KB
/// payload is not hashed for every state), then compared in full; a bucket holds a few texts
/// at most, so texts that share their samples cost a bounded number of comparisons.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    buckets: crate::fasthash::FastMap<u64, Vec<Text>>,
    /// Bytes of text held (each distinct text once).
    pub(crate) bytes: usize,
}

/// The most texts kept under one sample hash: beyond, the oldest is no longer looked up.
const BUCKET: usize = 4;

/// A hash of `s`'s length and of up to 16 samples of 8 bytes spread over it.
fn sample_hash(s: &[u8]) -> u64 {
    let mut h = (s.len() as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let mut mix = |chunk: &[u8]| {
        // A whole 8-byte chunk is read as one word (copying it byte by byte compiled to a
        // `memcpy` call per chunk: a third of the interning's time); only a short last one is
        // padded.
        let word = match <[u8; 8]>::try_from(chunk) {
            Ok(w) => u64::from_le_bytes(w),
            Err(_) => {
                let mut w = [0u8; 8];
                for (d, b) in w.iter_mut().zip(chunk) {
                    *d = *b;
                }
                u64::from_le_bytes(w)
            }
        };
        h = (h.rotate_left(5) ^ word).wrapping_mul(0xf135_7aea_2e62_a9c5);
    };
    if s.len() <= 128 {
        s.chunks(8).for_each(&mut mix);
    } else {
        // 15 samples spread from the start, then the last 8 bytes (where a counter at the end
        // of a payload that otherwise stays the same usually is).
        let step = (s.len() - 8) / 15;
        for k in 0..15 {
            let at = k * step;
            mix(s.get(at..at + 8).unwrap_or(&[]));
        }
        mix(s.get(s.len() - 8..).unwrap_or(&[]));
    }
    h
}

impl Texts {
    /// The JSON text of `v`, shared with every earlier identical text.
    pub(crate) fn of<T: Serialize + ?Sized>(&mut self, v: &T) -> Text {
        with_json(v, |s| self.intern(s))
    }

    /// `s` as a shared text: the one already held when an identical text is.
    pub(crate) fn intern(&mut self, s: &str) -> Text {
        self.hold(s, || Arc::from(s))
    }

    /// Holds `t` (made elsewhere, e.g. a mocked result's text): the held copy when there is one.
    pub(crate) fn adopt(&mut self, t: Text) -> Text {
        let same = Arc::clone(&t);
        self.hold(&same, move || t)
    }

    fn hold(&mut self, s: &str, make: impl FnOnce() -> Text) -> Text {
        let bucket = self.buckets.entry(sample_hash(s.as_bytes())).or_default();
        if let Some(held) = bucket.iter().find(|t| ***t == *s) {
            return Arc::clone(held);
        }
        let t = make();
        self.bytes += s.len();
        if bucket.len() >= BUCKET {
            // The newest texts are the likeliest to come again (a state's output is the next
            // state's input): the oldest gives way.
            bucket.remove(0);
        }
        bucket.push(Arc::clone(&t));
        t
    }
}

/// A value the inspector shows, kept as its JSON text: the same shared text as the history
/// events that carry it, so inspection adds almost nothing to an execution's memory. Parsed
/// when read ([`Payload::value`]) or serialised.
#[derive(Debug, Clone, PartialEq)]
pub struct Payload(pub(crate) Text);

impl Payload {
    /// The JSON text.
    pub fn text(&self) -> &str {
        &self.0
    }

    /// The value (parsed from its text, which the engine wrote: it always parses).
    pub fn value(&self) -> Value {
        serde_json::from_str(&self.0).unwrap_or(Value::Null)
    }
}

impl Serialize for Payload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value().serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Payload {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(|v| Payload(shared(&v.to_string())))
    }
}

/// A shared copy of a string.
pub(crate) fn shared(s: &str) -> Text {
    Arc::from(s)
}

/// `{"truncated": false}`, the `*Details` companion of every payload.
pub(crate) fn not_truncated() -> Value {
    json!({"truncated": false})
}
