//! The state machine definition as typed Rust: every state type and field of the States Language.
//!
//! [`asl::parse`](super::parse) never fails: it gives the model of whatever it could read (every
//! state of a half-written machine is there, a state whose `Type` is missing or unknown as
//! [`Kind::Unknown`]) with the diagnostics; validation, the layout and the executor all read this
//! model. [`StateMachine::from_str`] and [`StateMachine::from_value`] are `parse` that refuses a
//! definition with any diagnostic. Paths are held parsed ([`CompiledPath`]); payload templates
//! and JSONata expressions keep their [`serde_json::Value`] and are also compiled with the state
//! (`compile.rs`, `jsonata_bridge.rs`).

use super::choice::{Choice, parse_choice};
use super::compile::{CompiledPath, Dynamic, JsonPathFields};
use super::diagnostic::{Diagnostics, SCHEMA, Sink};
use crate::source::escape_segment;
use serde_json::{Map, Value};
use std::str::FromStr;

/// The query language of a state: JSONPath (the default) or JSONata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryLanguage {
    /// `"JSONPath"`: InputPath, Parameters, ResultSelector, ResultPath, OutputPath.
    JsonPath,
    /// `"JSONata"`: Arguments, Output, Condition, Items and `{% … %}` expressions.
    Jsonata,
}

/// A whole state machine (or a Parallel branch, or a Map's item processor).
#[derive(Debug, Clone)]
pub struct StateMachine {
    /// JSON pointer of this machine in the definition (`""` at the top).
    pub pointer: String,
    /// The first state.
    pub start_at: String,
    /// The states, in definition order.
    pub states: Vec<State>,
    index: crate::fasthash::FastMap<String, usize>,
    /// The machine's default query language.
    pub query_language: QueryLanguage,
    /// `TimeoutSeconds` of the whole execution.
    pub timeout_seconds: Option<u64>,
    /// `Comment`.
    pub comment: Option<String>,
    /// What the machine's paths, templates and expressions may read of the context object
    /// (`$$`, or JSONata's `$states.context`), as `ctx_parts` bits found from their parses: when
    /// nothing can, executions skip building it for every state, and `Execution.Input` (a copy of
    /// the whole execution input) is left out unless a read may reach it.
    reads: u8,
}

/// Where a state goes when it is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// `Next`.
    Next(String),
    /// `End: true`.
    End,
    /// Choice, Succeed and Fail decide themselves.
    Terminal,
    /// Neither `Next` nor `End` (a diagnostic says so; validation counts it as an end).
    Unset,
}

/// A JSONPath field that may be absent (default `$`), `null`, or a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathField {
    /// Not given: `$`.
    Default,
    /// `null`: InputPath/OutputPath give `{}`, ResultPath keeps the input.
    Null,
    /// A path.
    Path(CompiledPath),
}

/// One state.
#[derive(Debug, Clone)]
pub struct State {
    /// The state's name.
    pub name: String,
    /// JSON pointer of the state in the definition.
    pub pointer: String,
    /// The type and the type's own fields.
    pub kind: Kind,
    /// The effective query language.
    pub query_language: QueryLanguage,
    /// `Comment`.
    pub comment: Option<String>,
    /// `Next` / `End`.
    pub transition: Transition,
    /// `InputPath`.
    pub input_path: PathField,
    /// `OutputPath`.
    pub output_path: PathField,
    /// `ResultPath`.
    pub result_path: PathField,
    /// `Parameters` (or a Map's `ItemSelector`, which replaces it).
    pub parameters: Option<Value>,
    /// `ResultSelector`.
    pub result_selector: Option<Value>,
    /// Pass `Result`.
    pub result: Option<Value>,
    /// JSONata `Arguments`.
    pub arguments: Option<Value>,
    /// JSONata `Output`.
    pub output: Option<Value>,
    /// `Assign`.
    pub assign: Option<Value>,
    /// `Retry`.
    pub retry: Vec<Retrier>,
    /// `Catch`.
    pub catch: Vec<Catcher>,
    /// The JSONata templates above, compiled (JSONata states only).
    pub(crate) jsonata: Box<super::jsonata_bridge::JsonataFields>,
    /// The JSONPath templates above, compiled (JSONPath states only).
    pub(crate) jsonpath: Box<JsonPathFields>,
    /// Set when the state could not be read far enough to take part in the machine's graph (not
    /// an object, no usable `Type`, a Wait without its one duration field, a Map without an
    /// `ItemProcessor` object): validation leaves it out, as if it were not there, and reports
    /// only why; the layout still draws it.
    pub incomplete: bool,
}

/// The state type with its own fields.
#[derive(Debug, Clone)]
pub enum Kind {
    /// `Pass`.
    Pass,
    /// `Succeed`.
    Succeed,
    /// `Fail`.
    Fail(FailSpec),
    /// `Wait`.
    Wait(WaitSpec),
    /// `Choice`.
    Choice(ChoiceSpec),
    /// `Task`.
    Task(TaskSpec),
    /// `Parallel`.
    Parallel(ParallelSpec),
    /// `Map`.
    Map(Box<MapSpec>),
    /// `Type` missing, not a string (`None`), or not a state type: only in a definition that
    /// does not validate.
    Unknown(Option<String>),
}

impl Kind {
    /// The `Type` name, as AWS writes it and as history event types start.
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Pass => "Pass",
            Kind::Succeed => "Succeed",
            Kind::Fail(_) => "Fail",
            Kind::Wait(_) => "Wait",
            Kind::Choice(_) => "Choice",
            Kind::Task(_) => "Task",
            Kind::Parallel(_) => "Parallel",
            Kind::Map(_) => "Map",
            Kind::Unknown(_) => "Unknown",
        }
    }

    /// The `Type` as written: an unknown type's own text, `Unknown` when there is none.
    pub fn written_type(&self) -> &str {
        match self {
            Kind::Unknown(Some(t)) => t,
            k => k.type_name(),
        }
    }
}

/// A Fail state's fields.
#[derive(Debug, Clone, Default)]
pub struct FailSpec {
    /// `Error` (a JSONata expression in JSONata states).
    pub error: Option<Value>,
    /// `Cause`.
    pub cause: Option<Value>,
    /// `ErrorPath` (a path or an intrinsic call).
    pub error_path: Option<Dynamic>,
    /// `CausePath` (a path or an intrinsic call).
    pub cause_path: Option<Dynamic>,
}

/// How long a Wait state waits.
#[derive(Debug, Clone)]
pub enum WaitSpec {
    /// `Seconds` (a number, or a JSONata expression).
    Seconds(Value),
    /// `Timestamp` (a string, or a JSONata expression).
    Timestamp(Value),
    /// `SecondsPath`.
    SecondsPath(CompiledPath),
    /// `TimestampPath`.
    TimestampPath(CompiledPath),
}

/// A Choice state's rules.
#[derive(Debug, Clone)]
pub struct ChoiceSpec {
    /// `Choices`, in order.
    pub choices: Vec<Choice>,
    /// `Default`.
    pub default: Option<String>,
}

/// A number field that may also be given by a path (`TimeoutSeconds` / `TimeoutSecondsPath`).
#[derive(Debug, Clone, PartialEq)]
pub enum NumberField {
    /// A literal (or, in JSONata states, an expression string).
    Value(Value),
    /// A reference path.
    Path(CompiledPath),
}

/// A Task state's fields.
#[derive(Debug, Clone)]
pub struct TaskSpec {
    /// `Resource`.
    pub resource: String,
    /// `TimeoutSeconds` / `TimeoutSecondsPath`.
    pub timeout: Option<NumberField>,
    /// `HeartbeatSeconds` / `HeartbeatSecondsPath`.
    pub heartbeat: Option<NumberField>,
    /// `Credentials`.
    pub credentials: Option<Value>,
    /// How `resource` is called (read once, when the definition is).
    pub(crate) kind: super::resource::ResourceKind,
}

/// A Parallel state's branches.
#[derive(Debug, Clone)]
pub struct ParallelSpec {
    /// `Branches`.
    pub branches: Vec<StateMachine>,
}

/// A Map state's fields.
#[derive(Debug, Clone)]
pub struct MapSpec {
    /// `ItemProcessor` (or the legacy `Iterator`).
    pub processor: StateMachine,
    /// `ProcessorConfig.Mode` is `DISTRIBUTED`.
    pub distributed: bool,
    /// `ItemsPath`.
    pub items_path: PathField,
    /// JSONata `Items`.
    pub items: Option<Value>,
    /// `MaxConcurrency` / `MaxConcurrencyPath`.
    pub max_concurrency: Option<NumberField>,
    /// `ToleratedFailurePercentage` / `…Path`.
    pub tolerated_failure_percentage: Option<NumberField>,
    /// `ToleratedFailureCount` / `…Path`.
    pub tolerated_failure_count: Option<NumberField>,
    /// `ItemBatcher`.
    pub item_batcher: Option<Value>,
    /// `ItemReader`.
    pub item_reader: Option<Value>,
    /// `ResultWriter`.
    pub result_writer: Option<Value>,
    /// `Label`.
    pub label: Option<String>,
}

/// One `Retry` entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Retrier {
    /// `ErrorEquals`.
    pub error_equals: Vec<String>,
    /// `IntervalSeconds` (default 1).
    pub interval_seconds: f64,
    /// `MaxAttempts` (default 3).
    pub max_attempts: u64,
    /// `BackoffRate` (default 2.0).
    pub backoff_rate: f64,
    /// `MaxDelaySeconds`.
    pub max_delay_seconds: Option<f64>,
    /// `JitterStrategy` is `FULL`.
    pub jitter_full: bool,
}

/// One `Catch` entry.
#[derive(Debug, Clone)]
pub struct Catcher {
    /// `ErrorEquals`.
    pub error_equals: Vec<String>,
    /// `Next`.
    pub next: String,
    /// `ResultPath`.
    pub result_path: PathField,
    /// JSONata `Output`.
    pub output: Option<Value>,
    /// `Assign`.
    pub assign: Option<Value>,
}

impl StateMachine {
    /// Parses and validates a definition held as a JSON value: the model when nothing is wrong
    /// (see [`asl::parse_value`](super::parse_value) for the model of a definition with problems).
    pub fn from_value(value: &Value) -> Result<StateMachine, Diagnostics> {
        match super::validate::parse_value(value) {
            (m, found) if found.is_empty() => Ok(m),
            (_, found) => Err(Diagnostics(found)),
        }
    }

    /// A machine without states (what a definition that is not an object reads as).
    pub(crate) fn empty(pointer: &str) -> StateMachine {
        StateMachine {
            pointer: pointer.to_owned(),
            start_at: String::new(),
            states: Vec::new(),
            index: Default::default(),
            query_language: QueryLanguage::JsonPath,
            timeout_seconds: None,
            comment: None,
            reads: 0,
        }
    }

    /// Whether the definition may read the context object (see the field).
    pub(crate) fn reads_context(&self) -> bool {
        self.reads != 0
    }

    /// Whether the definition may read `$$.Execution.Input` (see the field).
    pub(crate) fn reads_execution_input(&self) -> bool {
        self.reads & super::compile::ctx_parts::EXECUTION_INPUT != 0
    }

    /// What the machine may read of the context object (`ctx_parts` bits).
    pub(crate) fn context_reads(&self) -> u8 {
        self.reads
    }

    /// The state called `name`.
    pub fn state(&self, name: &str) -> Option<&State> {
        self.index.get(name).and_then(|&i| self.states.get(i))
    }

    /// Every state, those of Parallel branches and Map item processors too, each before the
    /// states nested in it.
    pub fn every_state(&self) -> Vec<&State> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(machine) = stack.pop() {
            for state in &machine.states {
                out.push(state);
                match &state.kind {
                    Kind::Parallel(p) => stack.extend(p.branches.iter().rev()),
                    Kind::Map(m) => stack.push(&m.processor),
                    _ => {}
                }
            }
        }
        out
    }
}

impl FromStr for StateMachine {
    type Err = Diagnostics;

    /// Parses definition text; diagnostics carry lines and columns.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        super::validate::parse_text(text)
    }
}

/// Reads a definition into the model without validating it (what the layout needs).
pub(crate) fn read_value(value: &Value) -> StateMachine {
    parse_machine(value, "", None, &mut Sink::default(), true)
}

/// Reads a state machine object at `pointer`; `inherited` is the enclosing query language
/// (`None` at the top). Something that is not an object reads as a machine without states.
pub(crate) fn parse_machine(
    value: &Value,
    pointer: &str,
    inherited: Option<QueryLanguage>,
    sink: &mut Sink,
    top: bool,
) -> StateMachine {
    let Some(obj) = value.as_object() else {
        sink.push(
            SCHEMA,
            None,
            None,
            pointer,
            "a state machine must be a JSON object",
        );
        let mut m = StateMachine::empty(pointer);
        m.query_language = inherited.unwrap_or(QueryLanguage::JsonPath);
        return m;
    };
    let mut allowed = vec![
        "StartAt",
        "States",
        "Comment",
        "QueryLanguage",
        "ProcessorConfig",
    ];
    if top {
        allowed.extend(["TimeoutSeconds", "Version"]);
    }
    for key in obj.keys() {
        if !allowed.contains(&key.as_str()) {
            let at = format!("{pointer}/{}", escape_segment(key));
            sink.push(
                SCHEMA,
                None,
                Some(key),
                &at,
                format!("the field `{key}` is not supported here"),
            );
        }
    }
    let query_language = match obj.get("QueryLanguage") {
        None => inherited.unwrap_or(QueryLanguage::JsonPath),
        Some(v) => parse_query_language(v, &format!("{pointer}/QueryLanguage"), None, sink)
            .unwrap_or(QueryLanguage::JsonPath),
    };
    if inherited == Some(QueryLanguage::Jsonata)
        && query_language == QueryLanguage::JsonPath
        && obj.contains_key("QueryLanguage")
    {
        sink.push(
            SCHEMA,
            None,
            Some("QueryLanguage"),
            &format!("{pointer}/QueryLanguage"),
            "a JSONata state machine cannot contain JSONPath parts",
        );
    }
    let start_at = match obj.get("StartAt") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            sink.push(
                SCHEMA,
                None,
                Some("StartAt"),
                &format!("{pointer}/StartAt"),
                "`StartAt` must be a string",
            );
            String::new()
        }
        None => {
            sink.push(
                SCHEMA,
                None,
                Some("StartAt"),
                pointer,
                "the required field `StartAt` is missing",
            );
            String::new()
        }
    };
    let timeout_seconds = obj.get("TimeoutSeconds").and_then(Value::as_u64);
    let comment = obj
        .get("Comment")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut states = Vec::new();
    match obj.get("States") {
        Some(Value::Object(map)) => {
            if map.is_empty() {
                sink.push(
                    SCHEMA,
                    None,
                    Some("States"),
                    &format!("{pointer}/States"),
                    "`States` must name at least one state",
                );
            }
            for (name, state) in map {
                let at = format!("{pointer}/States/{}", escape_segment(name));
                if name.is_empty() || name.chars().count() > 80 {
                    sink.push(
                        SCHEMA,
                        Some(name),
                        None,
                        &at,
                        "a state name must have 1 to 80 characters",
                    );
                }
                states.push(super::state_parse::parse_state(
                    name,
                    state,
                    &at,
                    query_language,
                    sink,
                ));
            }
        }
        Some(_) => sink.push(
            SCHEMA,
            None,
            Some("States"),
            &format!("{pointer}/States"),
            "`States` must be an object",
        ),
        None => sink.push(
            SCHEMA,
            None,
            Some("States"),
            pointer,
            "the required field `States` is missing",
        ),
    }
    let index = states
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.clone(), i))
        .collect();
    let reads = states
        .iter()
        .fold(0, |r, s| r | super::compile::state_reads(s));
    StateMachine {
        reads,
        pointer: pointer.to_owned(),
        start_at,
        states,
        index,
        query_language,
        timeout_seconds,
        comment,
    }
}

/// Reads a `QueryLanguage` value.
pub(crate) fn parse_query_language(
    v: &Value,
    pointer: &str,
    state: Option<&str>,
    sink: &mut Sink,
) -> Option<QueryLanguage> {
    match v.as_str() {
        Some("JSONPath") => Some(QueryLanguage::JsonPath),
        Some("JSONata") => Some(QueryLanguage::Jsonata),
        _ => {
            sink.push(
                SCHEMA,
                state,
                Some("QueryLanguage"),
                pointer,
                "`QueryLanguage` must be \"JSONPath\" or \"JSONata\"",
            );
            None
        }
    }
}

/// Field access with diagnostics, for one state object.
pub(crate) struct Fields<'a> {
    pub(crate) obj: &'a Map<String, Value>,
    pub(crate) name: &'a str,
    pub(crate) pointer: &'a str,
}

impl Fields<'_> {
    pub(crate) fn at(&self, field: &str) -> String {
        format!("{}/{}", self.pointer, escape_segment(field))
    }

    pub(crate) fn error(&self, sink: &mut Sink, field: &str, message: impl Into<String>) {
        sink.push(
            SCHEMA,
            Some(self.name),
            Some(field),
            &self.at(field),
            message,
        );
    }

    pub(crate) fn string(&self, sink: &mut Sink, field: &str) -> Option<String> {
        match self.obj.get(field)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.error(sink, field, format!("`{field}` must be a string"));
                None
            }
        }
    }

    pub(crate) fn path_field(&self, sink: &mut Sink, field: &str) -> PathField {
        match self.obj.get(field) {
            None => PathField::Default,
            Some(Value::Null) => PathField::Null,
            Some(Value::String(s)) => PathField::path(s),
            Some(_) => {
                self.error(
                    sink,
                    field,
                    format!("`{field}` must be a path string or null"),
                );
                PathField::Default
            }
        }
    }

    pub(crate) fn number_field(
        &self,
        sink: &mut Sink,
        field: &str,
        jsonata: bool,
    ) -> Option<NumberField> {
        let path_name = format!("{field}Path");
        match (self.obj.get(field), self.obj.get(&path_name)) {
            (Some(_), Some(_)) => {
                self.error(
                    sink,
                    field,
                    format!("`{field}` and `{path_name}` cannot both be set"),
                );
                None
            }
            (Some(v), None) => {
                let ok = v.is_number() || (jsonata && v.is_string());
                if !ok {
                    self.error(sink, field, format!("`{field}` must be a number"));
                }
                Some(NumberField::Value(v.clone()))
            }
            (None, Some(p)) => match p.as_str() {
                Some(s) => Some(NumberField::Path(CompiledPath::new(s))),
                None => {
                    self.error(
                        sink,
                        &path_name,
                        format!("`{path_name}` must be a path string"),
                    );
                    None
                }
            },
            (None, None) => None,
        }
    }
}

/// Choice parsing lives in `choice.rs`; re-exported here for the state parser.
pub(crate) fn choices(f: &Fields<'_>, sink: &mut Sink, ql: QueryLanguage) -> Vec<Choice> {
    let mut out = Vec::new();
    match f.obj.get("Choices") {
        Some(Value::Array(items)) => {
            if items.is_empty() {
                f.error(sink, "Choices", "`Choices` must hold at least one rule");
            }
            for (i, item) in items.iter().enumerate() {
                let at = format!("{}/{i}", f.at("Choices"));
                if let Some(c) = parse_choice(item, &at, f.name, ql, sink) {
                    out.push(c);
                }
            }
        }
        Some(_) => f.error(sink, "Choices", "`Choices` must be an array"),
        None => f.error(sink, "Choices", "a Choice state needs `Choices`"),
    }
    out
}
