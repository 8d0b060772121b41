//! A workspace: everything the playground holds at once (an event, the bus's rules, the state
//! machines they start, the mocks), as one JSON document, the format of the examples and of share
//! links.
//!
//! ```
//! use statebridge_engine::workspace::Workspace;
//! let ws: Workspace = r#"{
//!   "name": "demo", "title": "Demo", "description": "One rule, one machine.",
//!   "event": {"source": "shop", "detail-type": "OrderCreated", "detail": {}},
//!   "rules": {"Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]},
//!             "Targets": [{"Id": "t", "Arn": "arn:aws:states:us-east-1:1:stateMachine:m", "StateMachine": "m"}]}]},
//!   "machines": {"m": {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}},
//!   "mocks": {}
//! }"#.parse().unwrap();
//! assert_eq!(ws.rules[0].targets[0].state_machine.as_deref(), Some("m"));
//! let err = r#"{"name": 3, "event": {}, "rules": {"Rules": []}, "machines": {}}"#.parse::<Workspace>().unwrap_err();
//! assert_eq!(err.to_string(), "at `name`: expected a string, found a number");
//! ```
//!
//! Patterns, definitions and mocks are kept as JSON here: their own parsers check them in depth.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use serde_json::{Map, Value};

/// One playground workspace.
#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// Short identifier (the example's file name), e.g. `order-processing`.
    pub name: String,
    /// Title shown to people.
    pub title: String,
    /// What the workspace shows, in a sentence or two.
    pub description: String,
    /// The event put on the bus.
    pub event: Value,
    /// The bus's rules.
    pub rules: Vec<Rule>,
    /// The rest of the rules document, kept as written: `Schedules` (EventBridge Scheduler),
    /// `Archives` and `Replays`, checked by [`crate::bus::Bus::parse`].
    pub bus_extra: Map<String, Value>,
    /// State machine definitions (ASL), by name.
    pub machines: Map<String, Value>,
    /// Mocked task results in the short form: state name → invocation range → `Return` / `Throw`.
    pub mocks: Map<String, Value>,
    /// S3 objects, bucket → key → content (text, or JSON written inline), which a Distributed
    /// Map's `ItemReader` reads ([`crate::asl::s3::S3Objects`] checks them).
    pub s3: Map<String, Value>,
}

/// One EventBridge rule, with the fields of `PutRule` and `PutTargets`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Rule {
    /// Rule name.
    pub name: String,
    /// Optional description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The event pattern (checked by the pattern parser); `null` for a rule with only a
    /// `ScheduleExpression`.
    #[serde(skip_serializing_if = "Value::is_null")]
    pub event_pattern: Value,
    /// Where matching events go.
    pub targets: Vec<Target>,
    /// Everything else AWS accepts on a rule (`State`, `EventBusName`, …), kept as written.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One target of a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Target {
    /// Target id, unique within the rule.
    pub id: String,
    /// The target's ARN.
    pub arn: String,
    /// Everything else AWS accepts on a target (`InputPath`, `Input`, `InputTransformer`, `RoleArn`, …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
    /// The workspace machine this target starts, when it is a state machine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_machine: Option<String>,
}

/// Why a JSON document (a workspace, an exercise) could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    /// Not JSON at all.
    Syntax {
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What the JSON parser said.
        message: String,
    },
    /// JSON, but not shaped as the document must be.
    Shape {
        /// Where, as a path such as `rules.Rules[0].Targets[1].Id`.
        path: String,
        /// What is wrong there.
        problem: String,
    },
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax {
                line,
                column,
                message,
            } => write!(f, "line {line}, column {column}: {message}"),
            Self::Shape { path, problem } => write!(f, "at `{path}`: {problem}"),
        }
    }
}

impl std::error::Error for DocumentError {}

/// Why a workspace could not be read.
pub type WorkspaceError = DocumentError;

/// Parses a document's JSON text; a syntax error says where, without serde's own suffix.
pub(crate) fn parse_document(text: &str) -> Result<Value, DocumentError> {
    serde_json::from_str(text).map_err(|e| DocumentError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_owned(),
    })
}

impl FromStr for Workspace {
    type Err = WorkspaceError;

    /// Parses a workspace document; errors say where.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::from_value(&parse_document(text)?)
    }
}

impl Workspace {
    /// Reads a workspace from parsed JSON; errors give the path of the offending field.
    pub fn from_value(v: &Value) -> Result<Self, WorkspaceError> {
        let top = object(v, "")?;
        let rules_doc = object(field(top, "", "rules")?, "rules")?;
        // A document of schedules, archives, replays or pipes alone needs no rules.
        let no_rules = Vec::new();
        let rules_list = match rules_doc.get("Rules") {
            None if ["Schedules", "Archives", "Replays", "Pipes", "Sources"]
                .iter()
                .any(|k| rules_doc.contains_key(*k)) =>
            {
                &no_rules
            }
            _ => array(field(rules_doc, "rules", "Rules")?, "rules.Rules")?,
        };
        let rules = rules_list
            .iter()
            .enumerate()
            .map(|(i, r)| rule(r, &format!("rules.Rules[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let mut bus_extra = rules_doc.clone();
        bus_extra.remove("Rules");
        let machines = object(field(top, "", "machines")?, "machines")?.clone();
        for (name, def) in &machines {
            object(def, &format!("machines.{name}"))?;
        }
        let mocks = match top.get("mocks") {
            Some(m) => object(m, "mocks")?.clone(),
            None => Map::new(),
        };
        let s3 = match top.get("s3") {
            Some(m) => object(m, "s3")?.clone(),
            None => Map::new(),
        };
        crate::asl::s3::S3Objects::from_value(&Value::Object(s3.clone()))
            .map_err(|e| shape(&e.path, e.problem))?;
        Ok(Workspace {
            name: string(field(top, "", "name")?, "name")?,
            title: optional_string(top, "", "title")?.unwrap_or_default(),
            description: optional_string(top, "", "description")?.unwrap_or_default(),
            event: field(top, "", "event")?.clone(),
            rules,
            bus_extra,
            machines,
            mocks,
            s3,
        })
    }

    /// The rules document: `{"Rules": [...]}` with the schedules, archives and replays beside.
    pub fn rules_document(&self) -> Value {
        let mut doc = self.bus_extra.clone();
        doc.insert(
            "Rules".into(),
            serde_json::to_value(&self.rules).unwrap_or(Value::Array(Vec::new())),
        );
        Value::Object(doc)
    }

    /// The workspace as pretty JSON text (the form of the example files).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl Serialize for Workspace {
    /// The example files' shape; the rules as the `{"Rules": [...]}` document (the shape of
    /// `ListRules`) with `Schedules`, `Archives` and `Replays` beside when there are any.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Workspace", 8)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("title", &self.title)?;
        st.serialize_field("description", &self.description)?;
        st.serialize_field("event", &self.event)?;
        st.serialize_field("rules", &self.rules_document())?;
        st.serialize_field("machines", &self.machines)?;
        st.serialize_field("mocks", &self.mocks)?;
        if self.s3.is_empty() {
            st.skip_field("s3")?;
        } else {
            st.serialize_field("s3", &self.s3)?;
        }
        st.end()
    }
}

fn rule(v: &Value, path: &str) -> Result<Rule, WorkspaceError> {
    let o = object(v, path)?;
    // A rule may have a schedule and no pattern; Bus::parse says when it has neither.
    let pattern = match o.get("EventPattern") {
        None if o.contains_key("ScheduleExpression") => &Value::Null,
        _ => field(o, path, "EventPattern")?,
    };
    if !pattern.is_null() {
        object(pattern, &format!("{path}.EventPattern"))?;
    }
    let targets = match o.get("Targets") {
        Some(t) => array(t, &format!("{path}.Targets"))?
            .iter()
            .enumerate()
            .map(|(i, t)| target(t, &format!("{path}.Targets[{i}]")))
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    let mut extra = o.clone();
    for key in ["Name", "Description", "EventPattern", "Targets"] {
        extra.remove(key);
    }
    Ok(Rule {
        name: string(field(o, path, "Name")?, &format!("{path}.Name"))?,
        description: optional_string(o, path, "Description")?,
        event_pattern: pattern.clone(),
        targets,
        extra,
    })
}

fn target(v: &Value, path: &str) -> Result<Target, WorkspaceError> {
    let o = object(v, path)?;
    let mut extra = o.clone();
    for key in ["Id", "Arn", "StateMachine"] {
        extra.remove(key);
    }
    Ok(Target {
        id: string(field(o, path, "Id")?, &format!("{path}.Id"))?,
        arn: string(field(o, path, "Arn")?, &format!("{path}.Arn"))?,
        extra,
        state_machine: optional_string(o, path, "StateMachine")?,
    })
}

/// `path.key`, or `key` at the top.
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn shape(path: &str, problem: impl Into<String>) -> WorkspaceError {
    WorkspaceError::Shape {
        path: if path.is_empty() {
            "(top level)".to_owned()
        } else {
            path.to_owned()
        },
        problem: problem.into(),
    }
}

/// A JSON type's name, for messages.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn field<'a>(
    o: &'a Map<String, Value>,
    path: &str,
    key: &str,
) -> Result<&'a Value, WorkspaceError> {
    o.get(key).ok_or_else(|| shape(&join(path, key), "missing"))
}

fn object<'a>(v: &'a Value, path: &str) -> Result<&'a Map<String, Value>, WorkspaceError> {
    v.as_object()
        .ok_or_else(|| shape(path, format!("expected an object, found {}", kind(v))))
}

fn array<'a>(v: &'a Value, path: &str) -> Result<&'a Vec<Value>, WorkspaceError> {
    v.as_array()
        .ok_or_else(|| shape(path, format!("expected an array, found {}", kind(v))))
}

fn string(v: &Value, path: &str) -> Result<String, WorkspaceError> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| shape(path, format!("expected a string, found {}", kind(v))))
}

fn optional_string(
    o: &Map<String, Value>,
    path: &str,
    key: &str,
) -> Result<Option<String>, WorkspaceError> {
    o.get(key).map(|v| string(v, &join(path, key))).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` fails to load with exactly `message`.
    fn fails(text: &str, message: &str) {
        let err = text.parse::<Workspace>().err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some(message), "{text}");
    }

    const RULES_OK: &str = r#""rules": {"Rules": []}, "machines": {}"#;

    #[test]
    fn errors_say_where() {
        fails("{", "line 1, column 1: EOF while parsing an object");
        fails("[]", "at `(top level)`: expected an object, found an array");
        fails(r#"{"machines": {}}"#, "at `rules`: missing");
        fails(
            &format!(r#"{{{RULES_OK}, "event": {{}}}}"#),
            "at `name`: missing",
        );
        fails(
            r#"{"name": "n", "event": {}, "machines": {}, "rules": {"Rules": [{"Name": "r"}]}}"#,
            "at `rules.Rules[0].EventPattern`: missing",
        );
        fails(
            r#"{"name": "n", "event": {}, "machines": {}, "rules": {"Rules": [{"Name": "r", "EventPattern": {}, "Targets": [{"Id": 1}]}]}}"#,
            "at `rules.Rules[0].Targets[0].Id`: expected a string, found a number",
        );
        fails(
            r#"{"name": "n", "event": {}, "rules": {"Rules": []}, "machines": {"m": []}}"#,
            "at `machines.m`: expected an object, found an array",
        );
    }

    #[test]
    fn round_trips() {
        let text = format!(
            r#"{{"name": "n", "title": "T", "description": "D", "event": {{"a": 1}}, {RULES_OK}, "mocks": {{}}}}"#
        );
        let ws: Workspace = text.parse().unwrap_or_else(|e| panic!("{e}"));
        let again: Workspace = ws.to_json().parse().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ws, again);
    }
}
