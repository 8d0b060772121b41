//! The JSONPath side of a definition, compiled when the definition is read: every path held
//! parsed ([`CompiledPath`]), every `.$` value parsed as a path or an intrinsic call
//! ([`Dynamic`]), every payload template (`Parameters`, `ResultSelector`, `ItemSelector`,
//! `Assign`, a catcher's `Assign`, `ItemBatcher.BatchInput`) as a tree ([`PayloadTemplate`]), and
//! what each of them reads of the context object ([`ctx_parts`]), found from the parsed paths.
//! Nothing here is parsed again while a machine runs; a text that does not parse keeps its
//! error, which validation reports and an execution raises where it is used.

use super::definition::{Kind, NumberField, PathField, QueryLanguage, State, WaitSpec};
use crate::intrinsics::{self, IntrinsicError};
use crate::jsonpath::{self, PathError};
use serde_json::Value;
use std::fmt;

/// The members of the context object, as bits: a path like `$$.Map.Item.Value` needs only
/// `Map`, so only that member is built (the others format ARNs and times).
pub(crate) mod ctx_parts {
    use super::super::definition::PathField;

    /// `$$.Execution`.
    pub(crate) const EXECUTION: u8 = 1;
    /// `$$.StateMachine`.
    pub(crate) const STATE_MACHINE: u8 = 2;
    /// `$$.State`.
    pub(crate) const STATE: u8 = 4;
    /// `$$.Map`.
    pub(crate) const MAP: u8 = 8;
    /// `$$.Task`.
    pub(crate) const TASK: u8 = 16;
    /// The whole object.
    pub(crate) const ALL: u8 = 31;
    /// Not a member: set when a read may reach `$$.Execution.Input` (a copy of the whole
    /// execution input, left out of the context unless something may read it).
    pub(crate) const EXECUTION_INPUT: u8 = 32;

    /// The fields of `$$.Execution` that hold nothing of the input.
    const EXECUTION_FIELDS: [&str; 6] = [
        "Id",
        "Name",
        "StartTime",
        "RoleArn",
        "RedriveCount",
        "RedriveTime",
    ];

    /// The bits of one read: `member` of the context (`None`: any), and `field` of that member
    /// (`None`: all of it).
    pub(crate) fn of_member(member: Option<&str>, field: Option<&str>) -> u8 {
        match member {
            Some("Execution") => match field {
                Some(f) if EXECUTION_FIELDS.contains(&f) => EXECUTION,
                _ => EXECUTION | EXECUTION_INPUT,
            },
            Some("StateMachine") => STATE_MACHINE,
            Some("State") => STATE,
            Some("Map") => MAP,
            Some("Task") => TASK,
            _ => ALL | EXECUTION_INPUT,
        }
    }

    /// The members an InputPath / OutputPath / ItemsPath / ResultPath may read.
    pub(crate) fn of_field(field: &PathField) -> u8 {
        match field {
            PathField::Path(p) => p.reads(),
            _ => 0,
        }
    }
}

/// A JSONPath path of the definition: its text (what messages quote), parsed once.
#[derive(Debug, Clone)]
pub struct CompiledPath {
    text: String,
    parsed: Result<jsonpath::Path, PathError>,
    reads: u8,
}

impl CompiledPath {
    /// Parses `text`; a text that is not a path keeps its error.
    pub fn new(text: &str) -> CompiledPath {
        let parsed = jsonpath::parse(text);
        let mut reads = 0;
        if let Ok(p) = &parsed {
            p.context_members(&mut |m, f| reads |= ctx_parts::of_member(m, f));
        }
        CompiledPath {
            text: text.to_owned(),
            parsed,
            reads,
        }
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed path, or why the text is not one.
    pub fn parsed(&self) -> Result<&jsonpath::Path, &PathError> {
        self.parsed.as_ref()
    }

    /// What the path reads of the context object ([`ctx_parts`] bits).
    pub(crate) fn reads(&self) -> u8 {
        self.reads
    }

    /// Why the path is not a valid reference path (a single node), if it is not.
    pub(crate) fn reference_problem(&self) -> Option<String> {
        match &self.parsed {
            Err(e) => Some(e.to_string()),
            Ok(p) if !p.is_reference_path() => Some(format!(
                "'{}' is not a reference path: only `.name`, `['name']` and `[n]` steps are allowed",
                self.text
            )),
            Ok(_) => None,
        }
    }
}

impl PartialEq for CompiledPath {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for CompiledPath {}

impl fmt::Display for CompiledPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::ops::Deref for CompiledPath {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

/// An intrinsic function call of the definition (`States.Format(…)`), parsed once.
#[derive(Debug, Clone)]
pub struct CompiledCall {
    text: String,
    parsed: Result<intrinsics::Call, IntrinsicError>,
    reads: u8,
}

impl CompiledCall {
    /// Parses `text`; a text that is not a call keeps its error.
    pub fn new(text: &str) -> CompiledCall {
        let parsed = intrinsics::parse(text);
        let mut reads = 0;
        if let Ok(c) = &parsed {
            c.context_members(&mut |m, f| reads |= ctx_parts::of_member(m, f));
        }
        CompiledCall {
            text: text.to_owned(),
            parsed,
            reads,
        }
    }

    /// The call as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The parsed call, or why the text is not one.
    pub fn parsed(&self) -> Result<&intrinsics::Call, &IntrinsicError> {
        self.parsed.as_ref()
    }
}

/// The value of a `.$` key (or a Fail's `ErrorPath`/`CausePath`): a path or an intrinsic call.
#[derive(Debug, Clone)]
pub enum Dynamic {
    /// A path (`$.x`, `$$.Execution.Id`, `$var`).
    Path(CompiledPath),
    /// An intrinsic function call.
    Call(CompiledCall),
}

impl Dynamic {
    /// Reads `text` as a call when it starts with `States.`, as a path otherwise.
    pub fn new(text: &str) -> Dynamic {
        if intrinsics::is_intrinsic(text) {
            Dynamic::Call(CompiledCall::new(text))
        } else {
            Dynamic::Path(CompiledPath::new(text))
        }
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        match self {
            Dynamic::Path(p) => p.as_str(),
            Dynamic::Call(c) => c.as_str(),
        }
    }

    /// What it reads of the context object ([`ctx_parts`] bits).
    pub(crate) fn reads(&self) -> u8 {
        match self {
            Dynamic::Path(p) => p.reads,
            Dynamic::Call(c) => c.reads,
        }
    }

    /// Why it does not parse, in the words validation uses.
    pub(crate) fn problem(&self) -> Option<String> {
        match self {
            Dynamic::Path(p) => p.parsed.as_ref().err().map(ToString::to_string),
            Dynamic::Call(c) => c.parsed.as_ref().err().map(ToString::to_string),
        }
    }
}

impl fmt::Display for Dynamic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::ops::Deref for Dynamic {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// A JSONPath payload template, compiled: literal parts kept as values, `key.$` members as
/// their parsed path or call.
#[derive(Debug, Clone)]
pub(crate) enum PayloadTemplate {
    /// A value without `.$` keys, given as it is.
    Literal(Value),
    /// An object with a `.$` key somewhere inside, member by member (original keys), in order.
    Object(Vec<(String, Member)>),
    /// An array with a `.$` key somewhere inside.
    Array(Vec<PayloadTemplate>),
}

/// One member of a [`PayloadTemplate::Object`].
#[derive(Debug, Clone)]
pub(crate) enum Member {
    /// Copied under its key, itself a template. A `.$` key whose value is not a string is one
    /// of these (AWS copies it as it is; validation reports it).
    Nested(PayloadTemplate),
    /// `name.$`: the value of the path or call, under `name`.
    Dynamic {
        /// The key without `.$`.
        name: String,
        /// The path or call.
        value: Dynamic,
    },
}

impl PayloadTemplate {
    /// Compiles a template value.
    pub(crate) fn compile(v: &Value) -> PayloadTemplate {
        match v {
            Value::Object(map) if has_dynamic(v) => PayloadTemplate::Object(
                map.iter()
                    .map(|(k, v)| {
                        let member = match (k.strip_suffix(".$"), v) {
                            (Some(name), Value::String(text)) => Member::Dynamic {
                                name: name.to_owned(),
                                value: Dynamic::new(text),
                            },
                            _ => Member::Nested(PayloadTemplate::compile(v)),
                        };
                        (k.clone(), member)
                    })
                    .collect(),
            ),
            Value::Array(items) if has_dynamic(v) => {
                PayloadTemplate::Array(items.iter().map(PayloadTemplate::compile).collect())
            }
            other => PayloadTemplate::Literal(other.clone()),
        }
    }

    /// What the template reads of the context object ([`ctx_parts`] bits).
    pub(crate) fn reads(&self) -> u8 {
        match self {
            PayloadTemplate::Literal(_) => 0,
            PayloadTemplate::Object(members) => members.iter().fold(0, |p, (_, m)| {
                p | match m {
                    Member::Nested(t) => t.reads(),
                    Member::Dynamic { value, .. } => value.reads(),
                }
            }),
            PayloadTemplate::Array(items) => items.iter().fold(0, |p, t| p | t.reads()),
        }
    }

    /// Calls `found` with each `.$` key (in order) and its problem: the path or call does not
    /// parse, or the value is not a string.
    pub(crate) fn problems(&self, found: &mut dyn FnMut(String)) {
        match self {
            PayloadTemplate::Literal(_) => {}
            PayloadTemplate::Object(members) => {
                for (key, m) in members {
                    match m {
                        Member::Dynamic { value, .. } => {
                            if let Some(m) = value.problem() {
                                found(format!(
                                    "the value of `{key}` must be a JSONPath or an intrinsic function: {m}"
                                ));
                            }
                        }
                        Member::Nested(_) if key.ends_with(".$") => found(format!(
                            "the value of `{key}` must be a string (a path or an intrinsic function)"
                        )),
                        Member::Nested(t) => t.problems(found),
                    }
                }
            }
            PayloadTemplate::Array(items) => items.iter().for_each(|t| t.problems(found)),
        }
    }
}

/// Whether a value has a `.$` key anywhere.
fn has_dynamic(v: &Value) -> bool {
    match v {
        Value::Object(map) => map.iter().any(|(k, v)| k.ends_with(".$") || has_dynamic(v)),
        Value::Array(items) => items.iter().any(has_dynamic),
        _ => false,
    }
}

/// The JSONPath templates of one state, compiled when the definition is read (none for a
/// JSONata state). Each is there exactly when the definition's field is.
#[derive(Debug, Clone, Default)]
pub(crate) struct JsonPathFields {
    /// `Parameters`, or a Map's `ItemSelector`.
    pub(crate) parameters: Option<PayloadTemplate>,
    pub(crate) result_selector: Option<PayloadTemplate>,
    pub(crate) assign: Option<PayloadTemplate>,
    /// `ItemBatcher.BatchInput`.
    pub(crate) batch_input: Option<PayloadTemplate>,
    /// Per choice rule: its `Assign`.
    pub(crate) choices: Vec<Option<PayloadTemplate>>,
    /// Per catcher: its `Assign`.
    pub(crate) catch: Vec<Option<PayloadTemplate>>,
}

impl JsonPathFields {
    /// Compiles the JSONPath templates of `state` (nothing for a JSONata state).
    pub(crate) fn of(state: &State) -> JsonPathFields {
        if state.query_language != QueryLanguage::JsonPath {
            return JsonPathFields::default();
        }
        let t = |v: &Option<Value>| v.as_ref().map(PayloadTemplate::compile);
        JsonPathFields {
            parameters: t(&state.parameters),
            result_selector: t(&state.result_selector),
            assign: t(&state.assign),
            batch_input: match &state.kind {
                Kind::Map(m) => m
                    .item_batcher
                    .as_ref()
                    .and_then(|b| b.get("BatchInput"))
                    .map(PayloadTemplate::compile),
                _ => None,
            },
            choices: match &state.kind {
                Kind::Choice(c) => c.choices.iter().map(|c| t(&c.assign)).collect(),
                _ => Vec::new(),
            },
            catch: state.catch.iter().map(|c| t(&c.assign)).collect(),
        }
    }

    fn reads(&self) -> u8 {
        let t = |t: &Option<PayloadTemplate>| t.as_ref().map_or(0, PayloadTemplate::reads);
        [
            &self.parameters,
            &self.result_selector,
            &self.assign,
            &self.batch_input,
        ]
        .into_iter()
        .chain(&self.choices)
        .chain(&self.catch)
        .fold(0, |p, f| p | t(f))
    }
}

/// What a state (and the machines inside it) may read of the context object.
pub(crate) fn state_reads(s: &State) -> u8 {
    let number = |n: &Option<NumberField>| match n {
        Some(NumberField::Path(p)) => p.reads(),
        _ => 0,
    };
    let mut reads = ctx_parts::of_field(&s.input_path)
        | ctx_parts::of_field(&s.output_path)
        | ctx_parts::of_field(&s.result_path)
        | s.jsonpath.reads()
        | s.jsonata.context_reads();
    for c in &s.catch {
        reads |= ctx_parts::of_field(&c.result_path);
    }
    reads |= match &s.kind {
        Kind::Fail(f) => {
            f.error_path.as_ref().map_or(0, Dynamic::reads)
                | f.cause_path.as_ref().map_or(0, Dynamic::reads)
        }
        Kind::Wait(WaitSpec::SecondsPath(p) | WaitSpec::TimestampPath(p)) => p.reads(),
        Kind::Choice(c) => c.choices.iter().fold(0, |p, c| p | c.rule.reads()),
        Kind::Task(t) => number(&t.timeout) | number(&t.heartbeat),
        Kind::Parallel(p) => p.branches.iter().fold(0, |r, b| r | b.context_reads()),
        Kind::Map(m) => {
            ctx_parts::of_field(&m.items_path)
                | number(&m.max_concurrency)
                | number(&m.tolerated_failure_percentage)
                | number(&m.tolerated_failure_count)
                | m.processor.context_reads()
        }
        _ => 0,
    };
    reads
}

impl PathField {
    /// Compiles a path text.
    pub(crate) fn path(text: &str) -> PathField {
        PathField::Path(CompiledPath::new(text))
    }
}

#[cfg(test)]
mod tests {
    use super::ctx_parts::{ALL, EXECUTION, EXECUTION_INPUT, MAP, STATE};
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_come_from_the_parsed_paths() {
        let reads = |t: &str| Dynamic::new(t).reads();
        assert_eq!(reads("$$.Execution.Id"), EXECUTION);
        assert_eq!(
            reads("$$.Execution.Input.order"),
            EXECUTION | EXECUTION_INPUT
        );
        assert_eq!(reads("$$.Execution"), EXECUTION | EXECUTION_INPUT);
        assert_eq!(reads("$$.Map.Item.Value"), MAP);
        assert_eq!(reads("$$"), ALL | EXECUTION_INPUT);
        assert_eq!(reads("$.items[?(@.i == $$.Map.Item.Index)]"), MAP);
        assert_eq!(reads("States.Format('{}', $$.State.Name)"), STATE);
        assert_eq!(reads("$.a"), 0);
        // Text that merely looks like a context path is not a read.
        assert_eq!(reads("$['$$.Execution']"), 0);
        assert_eq!(
            reads("$$.Execution.Id("),
            0,
            "does not parse: reads nothing"
        );
    }

    #[test]
    fn templates_compile_once_with_their_reads() {
        let t = PayloadTemplate::compile(&json!({
            "fixed": {"a": [1, "$$.Execution.Input"]},
            "id.$": "$$.Execution.Id",
            "odd.$": 5,
            "list": [{"n.$": "States.ArrayLength($.xs)"}]
        }));
        assert_eq!(t.reads(), EXECUTION);
        let PayloadTemplate::Object(members) = &t else {
            panic!("an object template: {t:?}");
        };
        assert!(matches!(
            &members[0].1,
            Member::Nested(PayloadTemplate::Literal(_))
        ));
        assert!(matches!(&members[1].1, Member::Dynamic { name, .. } if name == "id"));
        assert!(matches!(&members[2].1, Member::Nested(_)));
        let mut problems = Vec::new();
        t.problems(&mut |m| problems.push(m));
        assert_eq!(
            problems,
            ["the value of `odd.$` must be a string (a path or an intrinsic function)"]
        );
    }

    #[test]
    fn a_machine_reads_the_context_only_where_a_path_does() {
        let m = |def: serde_json::Value| StateMachine::from_value(&def).expect("valid");
        let literal = m(json!({"StartAt": "A", "States": {"A": {"Type": "Pass",
            "Result": {"text": "$$.Execution.Input and the context"}, "End": true}}}));
        assert!(!literal.reads_context());
        let id = m(json!({"StartAt": "A", "States": {"A": {"Type": "Pass",
            "Parameters": {"id.$": "$$.Execution.Id"}, "End": true}}}));
        assert!(id.reads_context() && !id.reads_execution_input());
        let nested = m(
            json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true,
            "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass",
                "OutputPath": "$$.Execution.Input", "End": true}}}]}}}),
        );
        assert!(nested.reads_execution_input());
    }

    use super::super::definition::StateMachine;
}
