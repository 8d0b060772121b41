//! The app's one door into the engine: editor texts in, what the panes show out.
//!
//! Everything here only calls the engine and reshapes its answers for display (positions for the
//! editors, pretty JSON for the panes); when an engine part has not landed yet, the pane says so
//! rather than showing made-up data.

use crate::highlight::Mark;
use serde_json::Value;
use statebridge_engine::bus::Bus;
use statebridge_engine::{asl, layout, source};
use std::rc::Rc;

/// Which editor a diagnostic belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The event.
    Event,
    /// The rules.
    Rules,
    /// The state machine definition.
    Machine,
    /// The mocks.
    Mocks,
}

impl Source {
    /// The editor's title.
    pub fn title(self) -> &'static str {
        match self {
            Source::Event => "Event",
            Source::Rules => "Rules",
            Source::Machine => "State machine",
            Source::Mocks => "Mocks",
        }
    }
}

/// One problem to show: in which editor, where, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    /// The editor.
    pub source: Source,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl Diag {
    /// The editor mark for this diagnostic, when it has a place.
    pub fn mark(&self) -> Option<Mark> {
        Some(Mark {
            line: self.line?,
            column: self.column.unwrap_or(1),
            message: self.message.clone(),
        })
    }
}

/// A pane's content: ready, or why it cannot be shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Pane<T> {
    /// The engine answered.
    Ready(T),
    /// The engine part this pane needs is not available (yet), or an input is unusable.
    Unavailable(String),
}

/// Parses one editor's JSON text, turning a syntax error into a diagnostic at its place.
pub fn parse_json(source: Source, text: &str) -> Result<(Value, source::SourceMap), Diag> {
    source::parse(text).map_err(|e| Diag {
        source,
        line: Some(e.line),
        column: Some(e.column),
        message: format!("not valid JSON: {}", e.message),
    })
}

/// A diagnostic at the JSON pointer `pointer` of a parsed text (at the member name when there is one).
pub fn diag_at(source: Source, map: &source::SourceMap, pointer: &str, message: String) -> Diag {
    // Walk up to the nearest pointer the map knows (a missing field is reported on its parent).
    let mut p = pointer.to_owned();
    let span = loop {
        if let Some(s) = map.key_span(&p).or_else(|| map.value_span(&p)) {
            break Some(s);
        }
        match p.rfind('/') {
            Some(at) => p.truncate(at),
            None => break None,
        }
    };
    Diag {
        source,
        line: span.map(|s| s.line),
        column: span.map(|s| s.column),
        message,
    }
}

/// Pretty JSON text of a value.
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// The formatted text of an editor, or the syntax error that stops formatting.
pub fn format(source: Source, text: &str) -> Result<String, Diag> {
    parse_json(source, text).map(|(v, _)| pretty(&v))
}

/// What the machine editor's text gives: the graph (kept from the last parsable text by the caller
/// when this is `None`) and the problems found.
#[derive(Debug, Clone, PartialEq)]
pub struct MachineView {
    /// The laid-out graph, when the text parses.
    pub layout: Option<Rc<layout::Layout>>,
    /// Syntax and validation problems.
    pub diags: Vec<Diag>,
}

/// A machine diagnostic in words, without the line and column (the list shows those itself).
fn machine_message(d: &asl::Diagnostic) -> String {
    let mut m = String::new();
    match (&d.state, &d.field) {
        (Some(s), Some(f)) => m.push_str(&format!("state `{s}`, field `{f}`: ")),
        (Some(s), None) => m.push_str(&format!("state `{s}`: ")),
        (None, Some(f)) => m.push_str(&format!("field `{f}`: ")),
        (None, None) => {}
    }
    m.push_str(&d.message);
    m
}

/// Parses, validates and lays out the state machine text.
pub fn inspect_machine(text: &str) -> MachineView {
    match parse_json(Source::Machine, text) {
        Err(d) => MachineView {
            layout: None,
            diags: vec![d],
        },
        Ok((value, _map)) => {
            let diags = asl::validate(text)
                .into_iter()
                .map(|d| Diag {
                    source: Source::Machine,
                    line: d.line,
                    column: d.column,
                    message: machine_message(&d),
                })
                .collect();
            MachineView {
                layout: Some(Rc::new(layout::layout(&value))),
                diags,
            }
        }
    }
}

/// One rule's verdict on the event.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleOutcome {
    /// The rule's name.
    pub name: String,
    /// Whether the event matches its pattern.
    pub matched: bool,
    /// Why (the engine's explanation, one line per field).
    pub explanation: String,
    /// What each target receives (for a matched rule).
    pub targets: Vec<TargetOutcome>,
}

/// One target's input, or why it could not be made.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetOutcome {
    /// The target's `Id`.
    pub id: String,
    /// The target's ARN, if given.
    pub arn: Option<String>,
    /// The input it receives, pretty JSON (or the transformation error).
    pub input: Result<String, String>,
    /// Whether this target starts the state machine.
    pub starts_machine: bool,
}

/// What the rules pane shows, and the problems found in the event and rules texts.
#[derive(Debug, Clone, PartialEq)]
pub struct RulesView {
    /// The verdicts, or why there are none.
    pub outcomes: Pane<Vec<RuleOutcome>>,
    /// Syntax and pattern problems.
    pub diags: Vec<Diag>,
}

/// Routes the event through the rules; `machine_name` is the machine in the editor (a target
/// naming another machine is shown but does not start this one).
pub fn evaluate_rules(event_text: &str, rules_text: &str, machine_name: &str) -> RulesView {
    let mut diags = Vec::new();
    let event = parse_json(Source::Event, event_text)
        .map_err(|d| diags.push(d))
        .ok();
    let bus = match rules_text.parse::<Bus>() {
        Ok(bus) => Some(bus),
        Err(e) => {
            let (line, column) = e.position.unzip();
            diags.push(Diag {
                source: Source::Rules,
                line,
                column,
                message: e.to_string(),
            });
            None
        }
    };
    let (Some((event, _)), Some(bus)) = (event, bus) else {
        return RulesView {
            outcomes: Pane::Unavailable(
                "Fix the problems listed in Diagnostics to see which rules match.".into(),
            ),
            diags,
        };
    };
    let routing = bus.route(&event);
    let mut outcomes = Vec::new();
    for rule in &bus.rules {
        if let Some(hit) = routing.matched.iter().find(|m| m.name == rule.name) {
            let targets = hit
                .targets
                .iter()
                .map(|t| {
                    let declared = rule
                        .targets
                        .iter()
                        .find(|d| d.id == t.id)
                        .and_then(|d| d.state_machine.as_ref());
                    // A target naming another machine of the workspace does not start the one in the editor.
                    let other = matches!(declared, Some(Value::String(n)) if n != machine_name);
                    TargetOutcome {
                        id: t.id.clone(),
                        arn: Some(t.arn.clone()),
                        input: t
                            .input
                            .as_ref()
                            .map(|d| d.json.as_ref().map_or_else(|| d.text.clone(), pretty))
                            .map_err(|e| e.to_string()),
                        starts_machine: t.starts_execution && !other,
                    }
                })
                .collect();
            outcomes.push(RuleOutcome {
                name: rule.name.clone(),
                matched: true,
                explanation: String::new(),
                targets,
            });
        } else if let Some(miss) = routing.not_matched.iter().find(|m| m.name == rule.name) {
            outcomes.push(RuleOutcome {
                name: rule.name.clone(),
                matched: false,
                explanation: miss.reason.clone(),
                targets: vec![],
            });
        } else {
            outcomes.push(RuleOutcome {
                name: rule.name.clone(),
                matched: false,
                explanation: "This rule is DISABLED: EventBridge does not evaluate it.".into(),
                targets: vec![],
            });
        }
    }
    RulesView {
        outcomes: Pane::Ready(outcomes),
        diags,
    }
}

/// Reads the mocks text (Step Functions Local's MockConfigFile or the short form).
pub fn read_mocks(text: &str) -> Result<asl::mocks::Mocks, Diag> {
    if text.trim().is_empty() {
        return Ok(asl::mocks::Mocks::none());
    }
    let (value, map) = parse_json(Source::Mocks, text)?;
    asl::mocks::Mocks::from_value(&value, None)
        .map_err(|e| diag_at(Source::Mocks, &map, &e.pointer, e.message))
}
