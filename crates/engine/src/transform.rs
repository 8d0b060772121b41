//! A target input transformation: whole event, InputPath, Input or InputTransformer.
//!
//! A target (the JSON of EventBridge's `PutTargets`) holds at most one of:
//! - nothing: the target receives the whole event;
//! - `Input`: constant JSON text, delivered as written;
//! - `InputPath`: a JSONPath into the event (`$.detail`), the selected value is delivered;
//! - `InputTransformer`: `InputPathsMap` (up to 100 names → JSONPaths) and `InputTemplate`, where
//!   each `<name>` is replaced by its value.
//!
//! The template rules, from the EventBridge user guide:
//! - a template whose first non-blank character is `{` or `[` is a JSON template, and its result
//!   must be valid JSON; any other template is text (a template written as `"…"` yields a JSON string);
//! - in a JSON template, a placeholder outside quotes gets a string value *with* quotes
//!   (`{"state": <state>}` → `{"state": "running"}`), objects and arrays as JSON, numbers,
//!   booleans and null as written; a placeholder cannot be an object key;
//! - inside quotes (`"is in <state>"`) and in text templates a string goes in without quotes;
//!   an object or array inside quotes loses its inner quotes (`"Detail is {key:value}"`);
//! - a path that selects nothing gives `null` outside quotes in a JSON template and nothing elsewhere;
//!   a path with a wildcard (`$.detail.items[*].id`) gives the list of what it selects;
//! - reserved names need no path: `<aws.events.rule-arn>`, `<aws.events.rule-name>`,
//!   `<aws.events.event.ingestion-time>`, `<aws.events.event>` (the event without `detail`) and
//!   `<aws.events.event.json>` (the whole event); names in the map cannot start with `aws.`.
//!
//! Inside quotes we keep a string's JSON escapes (a `"` in a value stays `\"`) so the result stays
//! valid JSON; the guide warns that EventBridge does not escape values, where that would break.
//!
//! ```
//! use statebridge_engine::transform::{Context, transform};
//! use serde_json::json;
//! let target = json!({"InputTransformer": {
//!     "InputPathsMap": {"instance": "$.detail.instance-id", "state": "$.detail.state"},
//!     "InputTemplate": "{\"id\": <instance>, \"text\": \"<instance> is <state>\"}"
//! }});
//! let event = json!({"detail": {"instance-id": "i-1", "state": "running"}});
//! let out = transform(&target, &event, &Context::default()).unwrap();
//! assert_eq!(out.text, r#"{"id": "i-1", "text": "i-1 is running"}"#);
//! assert_eq!(out.json, Some(json!({"id": "i-1", "text": "i-1 is running"})));
//! ```

use crate::size::{self, EventTooLarge, MAX_TARGET_INPUT_BYTES};
use crate::source::{self, JsonSyntaxError};
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// Most entries an `InputPathsMap` may hold.
pub const MAX_INPUT_PATHS: usize = 100;
/// Longest `InputTemplate` and `Input`, in characters.
pub const MAX_TEMPLATE_CHARS: usize = 8192;
/// Longest `InputPath` and path in `InputPathsMap`, in characters.
pub const MAX_PATH_CHARS: usize = 256;

/// What EventBridge knows when it delivers: the rule and when the event arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Context {
    /// The rule's name (`<aws.events.rule-name>`).
    pub rule_name: String,
    /// The rule's ARN (`<aws.events.rule-arn>`); `None` makes it from the rule's name and the
    /// event's `region` and `account` (a rule on the default bus).
    pub rule_arn: Option<String>,
    /// When the event was received, ISO 8601 (`<aws.events.event.ingestion-time>`); `None` takes
    /// the event's `time` field.
    pub ingestion_time: Option<String>,
}

impl Default for Context {
    fn default() -> Context {
        Context::for_rule("my-rule")
    }
}

impl Context {
    /// A context for a rule on the default bus of the event's account and region.
    pub fn for_rule(name: &str) -> Context {
        Context {
            rule_name: name.to_owned(),
            rule_arn: None,
            ingestion_time: None,
        }
    }

    /// The rule's ARN for this event: the one given, else one on the default bus of the event's
    /// account and region (`us-east-1` and `123456789012` when the event has none).
    ///
    /// ```
    /// # use statebridge_engine::transform::Context;
    /// # use serde_json::json;
    /// let event = json!({"account": "111122223333", "region": "cn-north-1"});
    /// assert_eq!(Context::for_rule("r").rule_arn_for(&event),
    ///            "arn:aws-cn:events:cn-north-1:111122223333:rule/r");
    /// ```
    pub fn rule_arn_for(&self, event: &Value) -> String {
        if let Some(arn) = &self.rule_arn {
            return arn.clone();
        }
        let field = |k: &str, default: &'static str| {
            event
                .get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .unwrap_or(default)
                .to_owned()
        };
        let region = field("region", "us-east-1");
        let account = field("account", "123456789012");
        let partition = if region.starts_with("cn-") {
            "aws-cn"
        } else if region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        };
        format!(
            "arn:{partition}:events:{region}:{account}:rule/{}",
            self.rule_name
        )
    }
}

/// The input a target receives: the text, and its JSON value when the text is JSON.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Delivered {
    /// Exactly what is delivered.
    pub text: String,
    /// The text parsed as JSON, when it is JSON.
    pub json: Option<Value>,
}

/// Why a target's input cannot be computed, and where.
#[derive(Debug, Clone, PartialEq)]
pub enum TransformError {
    /// The target is not a JSON object.
    TargetNotObject,
    /// More than one of `Input`, `InputPath`, `InputTransformer`.
    SeveralInputs(Vec<String>),
    /// A member has the wrong type.
    WrongType {
        /// The member, e.g. `InputTransformer.InputTemplate`.
        field: String,
        /// What it must be.
        expected: &'static str,
    },
    /// `Input` is not JSON.
    InputNotJson(JsonSyntaxError),
    /// A path that is not a supported JSONPath.
    BadPath {
        /// The member holding it.
        field: String,
        /// The path.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A name in `InputPathsMap` that EventBridge refuses.
    BadName {
        /// The name.
        name: String,
        /// Why.
        reason: &'static str,
    },
    /// Over a limit.
    TooLarge {
        /// What.
        field: String,
        /// The limit.
        limit: usize,
    },
    /// A placeholder used as an object key in a JSON template.
    PlaceholderAsKey(String),
    /// The event is over EventBridge's size limit for a PutEvents entry.
    EventTooLarge(EventTooLarge),
    /// The template's result would be over what a target accepts.
    InputTooLarge {
        /// The size reached when building stopped (the result is at least this big).
        bytes: usize,
    },
    /// A JSON template whose result is not JSON.
    InvalidJsonResult {
        /// The result text.
        text: String,
        /// Where and why it is not JSON.
        error: JsonSyntaxError,
    },
}

impl fmt::Display for TransformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use TransformError::*;
        match self {
            TargetNotObject => write!(f, "a target must be a JSON object"),
            SeveralInputs(names) => write!(
                f,
                "a target takes at most one of Input, InputPath and InputTransformer; this one has {}",
                names.join(" and ")
            ),
            WrongType { field, expected } => write!(f, "`{field}` must be {expected}"),
            InputNotJson(e) => write!(f, "`Input` must be JSON text: {e}"),
            BadPath {
                field,
                path,
                reason,
            } => write!(f, "`{field}`: `{path}` is not a usable JSONPath: {reason}"),
            BadName { name, reason } => write!(
                f,
                "`InputTransformer.InputPathsMap`: the name `{name}` {reason}"
            ),
            TooLarge { field, limit } => {
                write!(f, "`{field}` is over EventBridge's limit of {limit}")
            }
            PlaceholderAsKey(name) => write!(
                f,
                "`InputTransformer.InputTemplate`: the placeholder <{name}> is used as an object key, which EventBridge does not allow: use it as a value"
            ),
            EventTooLarge(e) => write!(f, "{e}"),
            InputTooLarge { bytes } => write!(
                f,
                "`InputTransformer.InputTemplate`: the input it makes for this event is over {} bytes, the 256 KiB a target accepts (it stopped at {} bytes): use fewer or narrower paths",
                size::thousands(MAX_TARGET_INPUT_BYTES),
                size::thousands(*bytes)
            ),
            InvalidJsonResult { text, error } => write!(
                f,
                "the template starts like JSON but its result is not JSON ({error}): {text} — quote placeholders inside strings, and check commas and braces"
            ),
        }
    }
}

impl std::error::Error for TransformError {}

impl TransformError {
    /// The JSON pointer (RFC 6901) of the target's member at fault (`""`: the whole target), so a
    /// caller holding the target's text can give a line and column.
    ///
    /// ```
    /// # use statebridge_engine::transform::{transform, Context};
    /// # use serde_json::json;
    /// let target = json!({"InputTransformer": {"InputTemplate": 5}});
    /// let err = transform(&target, &json!({}), &Context::default()).unwrap_err();
    /// assert_eq!(err.pointer(), "/InputTransformer/InputTemplate");
    /// ```
    pub fn pointer(&self) -> String {
        use TransformError::*;
        let dotted = |field: &str| -> String {
            field
                .split('.')
                .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
                .collect()
        };
        match self {
            TargetNotObject | SeveralInputs(_) | EventTooLarge(_) => String::new(),
            WrongType { field, .. } | BadPath { field, .. } | TooLarge { field, .. } => {
                dotted(field)
            }
            InputNotJson(_) => "/Input".to_owned(),
            BadName { name, .. } => format!(
                "/InputTransformer/InputPathsMap/{}",
                name.replace('~', "~0").replace('/', "~1")
            ),
            PlaceholderAsKey(_) | InvalidJsonResult { .. } | InputTooLarge { .. } => {
                "/InputTransformer/InputTemplate".to_owned()
            }
        }
    }
}

/// How a target's input is made.
#[derive(Debug, Clone, PartialEq)]
pub enum InputSpec {
    /// The whole event.
    WholeEvent,
    /// `Input`: constant JSON text.
    Constant(String),
    /// `InputPath`.
    Path(JsonPath),
    /// `InputTransformer`.
    Transformer(InputTransformer),
}

/// `InputPathsMap` and `InputTemplate`.
#[derive(Debug, Clone, PartialEq)]
pub struct InputTransformer {
    paths: Vec<(String, JsonPath)>,
    template: String,
}

/// Computes the input a target (`PutTargets` JSON) receives for an event.
pub fn transform(
    target: &Value,
    event: &Value,
    ctx: &Context,
) -> Result<Delivered, TransformError> {
    InputSpec::from_target(target)?.apply(event, ctx)
}

fn get_str<'a>(
    map: &'a serde_json::Map<String, Value>,
    key: &str,
    field: &str,
) -> Result<Option<&'a str>, TransformError> {
    match map.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(TransformError::WrongType {
            field: field.to_owned(),
            expected: "a string",
        }),
    }
}

impl InputSpec {
    /// Reads the input part of a target object (other members, such as `Id` and `Arn`, are ignored).
    pub fn from_target(target: &Value) -> Result<InputSpec, TransformError> {
        let Value::Object(map) = target else {
            return Err(TransformError::TargetNotObject);
        };
        let present: Vec<String> = ["Input", "InputPath", "InputTransformer"]
            .iter()
            .filter(|k| map.contains_key(**k))
            .map(|k| k.to_string())
            .collect();
        if present.len() > 1 {
            return Err(TransformError::SeveralInputs(present));
        }
        if let Some(text) = get_str(map, "Input", "Input")? {
            if text.chars().count() > MAX_TEMPLATE_CHARS {
                return Err(TransformError::TooLarge {
                    field: "Input".into(),
                    limit: MAX_TEMPLATE_CHARS,
                });
            }
            source::parse_value(text).map_err(TransformError::InputNotJson)?;
            return Ok(InputSpec::Constant(text.to_owned()));
        }
        if let Some(path) = get_str(map, "InputPath", "InputPath")? {
            return Ok(InputSpec::Path(JsonPath::parse(path, "InputPath")?));
        }
        match map.get("InputTransformer") {
            None => Ok(InputSpec::WholeEvent),
            Some(Value::Object(t)) => Ok(InputSpec::Transformer(InputTransformer::parse(t)?)),
            Some(_) => Err(TransformError::WrongType {
                field: "InputTransformer".into(),
                expected: "an object with InputPathsMap and InputTemplate",
            }),
        }
    }

    /// The input delivered for this event; an event over EventBridge's size limit is refused.
    pub fn apply(&self, event: &Value, ctx: &Context) -> Result<Delivered, TransformError> {
        size::check_event(event).map_err(TransformError::EventTooLarge)?;
        match self {
            InputSpec::WholeEvent => Ok(Delivered {
                text: event.to_string(),
                json: Some(event.clone()),
            }),
            InputSpec::Constant(text) => Ok(Delivered {
                text: text.clone(),
                json: source::parse_value(text).ok(),
            }),
            InputSpec::Path(path) => {
                // A path that selects nothing delivers JSON null.
                let value = path.select(event).unwrap_or(Value::Null);
                Ok(Delivered {
                    text: value.to_string(),
                    json: Some(value),
                })
            }
            InputSpec::Transformer(t) => t.apply(event, ctx),
        }
    }
}

const RESERVED: [&str; 5] = [
    "aws.events.rule-arn",
    "aws.events.rule-name",
    "aws.events.event.ingestion-time",
    "aws.events.event",
    "aws.events.event.json",
];

impl InputTransformer {
    fn parse(t: &serde_json::Map<String, Value>) -> Result<InputTransformer, TransformError> {
        let template = match t.get("InputTemplate") {
            Some(Value::String(s)) => s.clone(),
            _ => {
                return Err(TransformError::WrongType {
                    field: "InputTransformer.InputTemplate".into(),
                    expected: "a string (the template text)",
                });
            }
        };
        if template.chars().count() > MAX_TEMPLATE_CHARS {
            return Err(TransformError::TooLarge {
                field: "InputTransformer.InputTemplate".into(),
                limit: MAX_TEMPLATE_CHARS,
            });
        }
        let mut paths = Vec::new();
        match t.get("InputPathsMap") {
            None => {}
            Some(Value::Object(m)) => {
                if m.len() > MAX_INPUT_PATHS {
                    return Err(TransformError::TooLarge {
                        field: "InputTransformer.InputPathsMap".into(),
                        limit: MAX_INPUT_PATHS,
                    });
                }
                for (name, path) in m {
                    check_name(name)?;
                    let field = format!("InputTransformer.InputPathsMap.{name}");
                    let Value::String(path) = path else {
                        return Err(TransformError::WrongType {
                            field,
                            expected: "a JSONPath string, like \"$.detail\"",
                        });
                    };
                    paths.push((name.clone(), JsonPath::parse(path, &field)?));
                }
            }
            Some(_) => {
                return Err(TransformError::WrongType {
                    field: "InputTransformer.InputPathsMap".into(),
                    expected: "an object of names to JSONPaths",
                });
            }
        }
        let t = InputTransformer { paths, template };
        t.check_keys()?;
        Ok(t)
    }

    /// Fills the template for one event. The result's size is checked as each placeholder is
    /// filled, so a template that repeats a big value stops at the limit instead of building
    /// (and allocating) the whole text first.
    pub fn apply(&self, event: &Value, ctx: &Context) -> Result<Delivered, TransformError> {
        let json_mode = is_json_template(&self.template);
        let mut out = String::with_capacity(self.template.len());
        for piece in scan(&self.template, |n| self.knows(n)) {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Placeholder { name, in_quotes } => {
                    // One value is at most the event (itself within 256 KiB), so the text
                    // never grows past the limit by more than one event.
                    let value = self.value_of(name, event, ctx);
                    out.push_str(&render(value.as_ref(), in_quotes, json_mode));
                }
            }
            if out.len() > MAX_TARGET_INPUT_BYTES {
                return Err(TransformError::InputTooLarge { bytes: out.len() });
            }
        }
        let parsed = source::parse_value(&out);
        match (json_mode, parsed) {
            (true, Err(error)) => Err(TransformError::InvalidJsonResult { text: out, error }),
            (_, parsed) => Ok(Delivered {
                json: parsed.ok(),
                text: out,
            }),
        }
    }

    fn knows(&self, name: &str) -> bool {
        RESERVED.contains(&name) || self.paths.iter().any(|(n, _)| n == name)
    }

    fn value_of(&self, name: &str, event: &Value, ctx: &Context) -> Option<Value> {
        match name {
            "aws.events.rule-arn" => Some(Value::String(ctx.rule_arn_for(event))),
            "aws.events.rule-name" => Some(Value::String(ctx.rule_name.clone())),
            "aws.events.event.ingestion-time" => Some(Value::String(
                ctx.ingestion_time
                    .clone()
                    .or_else(|| event.get("time").and_then(Value::as_str).map(str::to_owned))
                    .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned()),
            )),
            "aws.events.event" => {
                let mut e = event.clone();
                if let Value::Object(m) = &mut e {
                    m.shift_remove("detail");
                }
                Some(e)
            }
            "aws.events.event.json" => Some(event.clone()),
            _ => self
                .paths
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, p)| p.select(event)),
        }
    }

    /// A placeholder directly followed by `:` outside quotes would be an object key.
    fn check_keys(&self) -> Result<(), TransformError> {
        match placeholder_as_key(&self.template, |n| self.knows(n)) {
            Some(name) => Err(TransformError::PlaceholderAsKey(name.to_owned())),
            None => Ok(()),
        }
    }
}

/// The first placeholder of a JSON template that stands where an object key would (followed
/// by `:` outside quotes), which EventBridge refuses; `None` for a text template.
pub(crate) fn placeholder_as_key(template: &str, knows: impl Fn(&str) -> bool) -> Option<&str> {
    if !is_json_template(template) {
        return None;
    }
    let pieces = scan(template, knows);
    pieces
        .iter()
        .enumerate()
        .find_map(|(i, piece)| match piece {
            Piece::Placeholder {
                name,
                in_quotes: false,
            } => {
                let next = pieces.get(i + 1).and_then(|p| match p {
                    Piece::Text(t) => t.trim_start().chars().next(),
                    Piece::Placeholder { .. } => None,
                });
                (next == Some(':')).then_some(*name)
            }
            _ => None,
        })
}

fn check_name(name: &str) -> Result<(), TransformError> {
    let bad = |reason| {
        Err(TransformError::BadName {
            name: name.to_owned(),
            reason,
        })
    };
    if name.is_empty() {
        return bad("is empty");
    }
    if name.to_ascii_lowercase().starts_with("aws.") {
        return bad("starts with `aws.`, which EventBridge reserves for its own variables");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
    {
        return bad("may hold only letters, digits, `_`, `-` and `.`");
    }
    Ok(())
}

pub(crate) fn is_json_template(template: &str) -> bool {
    matches!(template.trim_start().chars().next(), Some('{' | '['))
}

/// A part of a template.
#[derive(Debug, PartialEq)]
pub(crate) enum Piece<'t> {
    Text(&'t str),
    Placeholder { name: &'t str, in_quotes: bool },
}

/// Splits a template into text and the placeholders `known` accepts, noting for each placeholder
/// whether it sits inside a JSON string (quotes escaped with `\` do not count).
pub(crate) fn scan<'t>(template: &'t str, known: impl Fn(&str) -> bool) -> Vec<Piece<'t>> {
    let mut pieces = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    let mut chars = template.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if in_quotes => {
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            '<' => {
                let rest = &template[i + 1..];
                if let Some(end) = rest.find('>') {
                    let name = &rest[..end];
                    if known(name) {
                        if start < i {
                            pieces.push(Piece::Text(&template[start..i]));
                        }
                        pieces.push(Piece::Placeholder { name, in_quotes });
                        start = i + 1 + end + 1;
                        while chars.peek().is_some_and(|(j, _)| *j < start) {
                            chars.next();
                        }
                    }
                }
            }
            _ => {}
        }
    }
    if start < template.len() {
        pieces.push(Piece::Text(&template[start..]));
    }
    pieces
}

/// A value as it goes into the template.
pub(crate) fn render(value: Option<&Value>, in_quotes: bool, json_mode: bool) -> String {
    match value {
        None if json_mode && !in_quotes => "null".to_owned(),
        None => String::new(),
        Some(Value::String(s)) if in_quotes => {
            let quoted = Value::String(s.clone()).to_string();
            quoted
                .get(1..quoted.len().saturating_sub(1))
                .unwrap_or_default()
                .to_owned()
        }
        Some(Value::String(s)) if json_mode => Value::String(s.clone()).to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(v @ (Value::Object(_) | Value::Array(_))) if in_quotes => {
            v.to_string().replace('"', "")
        }
        Some(v) => v.to_string(),
    }
}

/// The JSONPath subset EventBridge accepts in `InputPath` and `InputPathsMap`: `$`, `.name`
/// (letters, digits, `_`, `-`, `/`, and other characters but `.` and `[`), `[index]`, `.*` and `[*]`.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Name(String),
    Index(usize),
    Any,
}

impl JsonPath {
    /// Parses a path; `field` names the member in errors.
    pub fn parse(path: &str, field: &str) -> Result<JsonPath, TransformError> {
        let bad = |reason: &str| TransformError::BadPath {
            field: field.to_owned(),
            path: path.to_owned(),
            reason: reason.to_owned(),
        };
        if path.chars().count() > MAX_PATH_CHARS {
            return Err(TransformError::TooLarge {
                field: field.to_owned(),
                limit: MAX_PATH_CHARS,
            });
        }
        let Some(mut rest) = path.strip_prefix('$') else {
            return Err(bad("it must start with `$`, like `$.detail.state`"));
        };
        let mut steps = Vec::new();
        while !rest.is_empty() {
            if let Some(r) = rest.strip_prefix('.') {
                let end = r.find(['.', '[']).unwrap_or(r.len());
                let name = &r[..end];
                if name.is_empty() {
                    return Err(bad("a `.` must be followed by a field name"));
                }
                steps.push(if name == "*" {
                    Step::Any
                } else {
                    Step::Name(name.to_owned())
                });
                rest = &r[end..];
            } else if let Some(r) = rest.strip_prefix('[') {
                let Some(end) = r.find(']') else {
                    return Err(bad("a `[` is not closed"));
                };
                let inner = r[..end].trim();
                steps.push(if inner == "*" {
                    Step::Any
                } else {
                    match inner.parse::<usize>() {
                        Ok(i) => Step::Index(i),
                        Err(_) => {
                            return Err(bad(
                                "brackets hold an array index or `*`; use dot notation for names",
                            ));
                        }
                    }
                });
                rest = &r[end + 1..];
            } else {
                return Err(bad("expected `.name` or `[index]`"));
            }
        }
        Ok(JsonPath { steps })
    }

    /// The selected value: `None` when nothing is selected; with a wildcard, the list of matches.
    pub fn select(&self, value: &Value) -> Option<Value> {
        let mut current = vec![value];
        let mut many = false;
        for step in &self.steps {
            let mut next = Vec::new();
            for v in current {
                match (step, v) {
                    (Step::Name(n), Value::Object(m)) => next.extend(m.get(n)),
                    (Step::Index(i), Value::Array(a)) => next.extend(a.get(*i)),
                    (Step::Any, Value::Object(m)) => next.extend(m.values()),
                    (Step::Any, Value::Array(a)) => next.extend(a.iter()),
                    _ => {}
                }
            }
            many |= matches!(step, Step::Any);
            current = next;
        }
        if many {
            return if current.is_empty() {
                None
            } else {
                Some(Value::Array(current.into_iter().cloned().collect()))
            };
        }
        current.first().map(|v| (*v).clone())
    }
}
