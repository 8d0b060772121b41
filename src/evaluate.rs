//! The app's one door into the engine: editor texts in, what the panes show out.
//!
//! Everything here only calls the engine and reshapes its answers for display (positions for the
//! editors, pretty JSON for the panes); when an engine part has not landed yet, the pane says so
//! rather than showing made-up data.

use crate::highlight::Mark;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use statebridge_engine::assist::QuickFix;
use statebridge_engine::bus::{BARE_PATTERN_RULE, Bus, BusError, Wrapped};
use statebridge_engine::{asl, layout, put_events, source};
use std::rc::Rc;

/// Which editor a diagnostic belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    /// The event.
    Event,
    /// The rules.
    Rules,
    /// The state machine definition.
    Machine,
    /// The mocks.
    Mocks,
    /// The S3 objects.
    S3,
}

impl Source {
    /// The editor's title.
    pub fn title(self) -> &'static str {
        match self {
            Source::Event => "Event",
            Source::Rules => "Rules",
            Source::Machine => "State machine",
            Source::Mocks => "Mocks",
            Source::S3 => "S3 objects",
        }
    }
}

/// One problem to show: in which editor, where, and what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diag {
    /// The editor.
    pub source: Source,
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// 1-based column, when known.
    pub column: Option<u32>,
    /// What is wrong, in plain words.
    pub message: String,
    /// The repair, when one is obvious (the editor offers it).
    pub fix: Option<QuickFix>,
}

impl Diag {
    /// The editor mark for this diagnostic, when it has a place.
    pub fn mark(&self) -> Option<Mark> {
        Some(Mark {
            line: self.line?,
            column: self.column.unwrap_or(1),
            message: self.message.clone(),
            fix: self.fix.clone(),
        })
    }
}

/// A pane's content: ready, or why it cannot be shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
        fix: None,
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
        fix: None,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// The machine entry the text holds, when it is more than a definition (`Versions`, `Aliases`,
/// or a `Type` such as `{"Type": "EXPRESS", "Definition": …}`).
pub fn machine_entry(text: &str) -> Option<statebridge_engine::system::machines::Machine> {
    let v: Value = serde_json::from_str(text).ok()?;
    if !statebridge_engine::system::machines::is_entry(&v) {
        return None;
    }
    statebridge_engine::system::machines::Machine::parse("machine", &v).ok()
}

/// Checks a versioned machine entry: its shape, then each definition it holds (the graph shows
/// the unqualified one).
fn inspect_versioned(value: &Value, map: &source::SourceMap) -> Option<MachineView> {
    if !statebridge_engine::system::machines::is_entry(value) {
        return None;
    }
    let o = value.as_object()?;
    let machine = match statebridge_engine::system::machines::Machine::parse("machine", value) {
        Ok(m) => m,
        Err(e) => {
            let pointer = e
                .path
                .trim_start_matches("machines.machine")
                .replace(['.', '['], "/")
                .replace(']', "");
            return Some(MachineView {
                layout: None,
                diags: vec![diag_at(Source::Machine, map, &pointer, e.problem)],
            });
        }
    };
    let mut diags = Vec::new();
    let express = machine.express;
    let mut check = |pointer: String, def: &Value| {
        for d in asl::validate_value(def) {
            let message = machine_message(&d);
            diags.push(diag_at(Source::Machine, map, &pointer, message));
        }
        // What CreateStateMachine refuses in an EXPRESS machine, where it is.
        if express {
            let (parsed, _) = asl::parse_value(def);
            for d in asl::express::problems(&parsed) {
                let message = machine_message(&d);
                diags.push(diag_at(
                    Source::Machine,
                    map,
                    &format!("{pointer}{}", d.pointer),
                    message,
                ));
            }
        }
    };
    if let Some(d) = o.get("Definition") {
        check("/Definition".to_owned(), d);
    }
    for (n, d) in &machine.versions {
        check(format!("/Versions/{n}"), d);
    }
    Some(MachineView {
        layout: Some(Rc::new(layout::layout(&machine.latest))),
        diags,
    })
}

/// Parses, validates and lays out the state machine text.
pub fn inspect_machine(text: &str) -> MachineView {
    let parsed = parse_json(Source::Machine, text);
    if let Ok((value, map)) = &parsed
        && let Some(view) = inspect_versioned(value, map)
    {
        return view;
    }
    match parsed {
        Err(d) => MachineView {
            layout: None,
            diags: vec![d],
        },
        Ok(_) => {
            // One reading for both: the model draws even when it has problems.
            let (machine, found) = asl::parse(text);
            let diags = found
                .into_iter()
                .map(|d| Diag {
                    source: Source::Machine,
                    line: d.line,
                    column: d.column,
                    message: machine_message(&d),
                    fix: statebridge_engine::assist::quick_fix(&machine, &d),
                })
                .collect();
            MachineView {
                layout: Some(Rc::new(layout::layout_machine(&machine))),
                diags,
            }
        }
    }
}

/// One rule's verdict on the event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleOutcome {
    /// The rule's name.
    pub name: String,
    /// Whether the event matches its pattern.
    pub matched: bool,
    /// Why (the engine's explanation, one line per field).
    pub explanation: String,
    /// What each target receives (for a matched rule).
    pub targets: Vec<TargetOutcome>,
    /// The rule could not be read (its problem is in Diagnostics): no verdict.
    pub invalid: bool,
}

/// One target's input, or why it could not be made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetOutcome {
    /// The target's `Id`.
    pub id: String,
    /// The target's ARN, if given.
    pub arn: Option<String>,
    /// The input it receives, pretty JSON (or the transformation error).
    pub input: Result<String, String>,
    /// Whether this target starts the state machine in the editor.
    pub starts_machine: bool,
    /// The workspace machine it starts (with `:version` or `:alias` when it names one), if it
    /// names one.
    pub machine: Option<String>,
}

/// What the rules pane shows, and the problems found in the event and rules texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesView {
    /// The verdicts, or why there are none.
    pub outcomes: Pane<Vec<RuleOutcome>>,
    /// Syntax and pattern problems.
    pub diags: Vec<Diag>,
    /// How the rules text was read when it is not a `{"Rules": [...]}` document (a bare event
    /// pattern, one rule), in words.
    pub note: Option<String>,
}

/// The workspace machine a target starts: its `StateMachine` name, else the name in its
/// state machine ARN (each with its `:version` or `:alias`); `None` for an inline definition
/// or a target that is not a state machine.
pub fn target_machine(target: &Value) -> Option<(String, Option<String>)> {
    use statebridge_engine::system::machines::{from_arn, split_qualifier};
    let (name, qualifier) = match target.get("StateMachine") {
        Some(Value::String(s)) => split_qualifier(s),
        Some(_) => return None,
        None => from_arn(target.get("Arn")?.as_str()?)?,
    };
    Some((name.to_owned(), qualifier.map(str::to_owned)))
}

/// A diagnostic for every target that starts a machine the workspace does not have.
fn missing_machines(rules_text: &str, machines: &[&str], wrapped: Option<Wrapped>) -> Vec<Diag> {
    let Ok((doc, map)) = parse_json(Source::Rules, rules_text) else {
        return vec![];
    };
    let mut diags = Vec::new();
    // One rule written alone (PutRule's shape) is the document itself.
    let rules: Vec<(String, &Value)> = match wrapped {
        Some(Wrapped::Rule) => vec![(String::new(), &doc)],
        _ => doc
            .get("Rules")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, r)| (format!("/Rules/{i}"), r))
            .collect(),
    };
    for (at, rule) in rules {
        let targets = rule.get("Targets").and_then(Value::as_array);
        for (j, target) in targets.into_iter().flatten().enumerate() {
            let Some((name, _)) = target_machine(target) else {
                continue;
            };
            if machines.contains(&name.as_str()) {
                continue;
            }
            let field = if target.get("StateMachine").is_some() {
                "StateMachine"
            } else {
                "Arn"
            };
            let id = target.get("Id").and_then(Value::as_str).unwrap_or("?");
            let rule_name = rule.get("Name").and_then(Value::as_str).unwrap_or("?");
            diags.push(diag_at(
                Source::Rules,
                &map,
                &format!("{at}/Targets/{j}/{field}"),
                format!(
                    "target `{id}` of rule `{rule_name}` starts the state machine `{name}`, which is not in this workspace (it has {}): add a machine named `{name}`, or name one of these",
                    machines
                        .iter()
                        .map(|m| format!("`{m}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    diags
}

/// Routes the event through the rules. `machines` are the workspace's machine names and
/// `current` the one in the editor: a target naming another machine is shown but does not start
/// this one, and one naming a machine the workspace lacks gets a diagnostic.
pub fn evaluate_rules(
    event_text: &str,
    rules_text: &str,
    machines: &[&str],
    current: &str,
) -> RulesView {
    let mut diags = Vec::new();
    let event = parse_json(Source::Event, event_text)
        .map_err(|d| diags.push(d))
        .ok();
    let mut note = None;
    let mut invalid = Vec::new();
    // Each problem without its line and column in the words (Diagnostics shows them).
    let rules_diag = |mut e: BusError| {
        let (line, column) = e.position.take().unzip();
        Diag {
            source: Source::Rules,
            line,
            column,
            message: e.to_string(),
            fix: None,
        }
    };
    let bus = match Bus::read(rules_text) {
        Ok(read) => {
            diags.extend(read.problems.into_iter().map(rules_diag));
            diags.extend(missing_machines(rules_text, machines, read.wrapped));
            note = read.wrapped.map(|w| match w {
                Wrapped::Pattern => format!(
                    "The Rules editor holds a bare event pattern (as the EventBridge sandbox takes one): \
                     it is read as one rule, `{BARE_PATTERN_RULE}`, with no targets. To add targets, \
                     write {{\"Rules\": [{{\"Name\": …, \"EventPattern\": …, \"Targets\": […]}}]}}."
                ),
                Wrapped::Rule => "The Rules editor holds one rule (PutRule's shape): it is read as \
                                  a list of one, {\"Rules\": [ … ]}."
                    .to_owned(),
            });
            invalid = read.invalid_rules;
            Some(read.bus)
        }
        Err(e) => {
            diags.push(rules_diag(e));
            None
        }
    };
    // `null`: nothing is put on a bus; the workspace's pipes or schedules drive it.
    if event.as_ref().is_some_and(|(v, _)| v.is_null()) {
        return RulesView {
            outcomes: Pane::Unavailable(
                "The event is null: nothing is put on a bus. This workspace is driven by the pipes (or schedules) in its rules: press Run system to see them run."
                    .into(),
            ),
            diags,
            note,
        };
    }
    // The event may be PutEvents input (an entry, a list, `{"Entries"}`): the first event put
    // is the one routed here; each refused entry is a diagnostic in AWS's words.
    let put = event.and_then(|(value, map)| {
        match put_events::read(&value, &put_events::Envelope::default()) {
            Ok(put) => {
                for (i, r) in put.result.entries.iter().enumerate() {
                    if let put_events::ResultEntry::Failed {
                        error_code,
                        error_message,
                    } = r
                    {
                        let pointer = match put.shape {
                            put_events::Shape::Request => format!("/Entries/{i}"),
                            put_events::Shape::List => format!("/{i}"),
                            _ => String::new(),
                        };
                        diags.push(diag_at(
                            Source::Event,
                            &map,
                            &pointer,
                            format!("PutEvents refuses entry {i}: {error_code}: {error_message}"),
                        ));
                    }
                }
                Some(put)
            }
            Err(e) => {
                let pointer = e.pointer().unwrap_or_default().to_owned();
                diags.push(diag_at(Source::Event, &map, &pointer, e.to_string()));
                None
            }
        }
    });
    let first = put.as_ref().and_then(|p| p.events.first());
    let (Some(first), Some(bus)) = (first, bus) else {
        return RulesView {
            outcomes: Pane::Unavailable(
                "Fix the problems listed in Diagnostics to see which rules match.".into(),
            ),
            diags,
            note,
        };
    };
    let (on, event) = (first.bus.as_str(), &first.event);
    let routing = bus.route_on(on, event);
    let mut outcomes = Vec::new();
    for rule in &bus.rules {
        if rule.event_bus != on {
            outcomes.push(RuleOutcome {
                name: rule.name.clone(),
                matched: false,
                explanation: format!(
                    "This rule is on bus `{}`; the event is put on bus `{on}`, so the rule does not see it.",
                    rule.event_bus
                ),
                targets: vec![],
                invalid: false,
            });
        } else if let Some(hit) = routing.matched.iter().find(|m| m.name == rule.name) {
            let targets = hit
                .targets
                .iter()
                .map(|t| {
                    let declared = rule.targets.iter().find(|d| d.id == t.id);
                    let named = declared.and_then(|d| {
                        let mut v = serde_json::json!({"Arn": d.arn});
                        if let Some(sm) = &d.state_machine {
                            v["StateMachine"] = sm.clone();
                        }
                        target_machine(&v)
                    });
                    // A target naming another machine of the workspace does not start the one in the editor.
                    let other = matches!(&named, Some((n, _)) if n != current);
                    // A state machine ARN starts it even without a `StateMachine` field.
                    let starts = t.starts_execution || named.is_some();
                    TargetOutcome {
                        id: t.id.clone(),
                        arn: Some(t.arn.clone()),
                        input: t
                            .input
                            .as_ref()
                            .map(|d| d.json.as_ref().map_or_else(|| d.text.clone(), pretty))
                            .map_err(|e| e.to_string()),
                        starts_machine: starts && !other,
                        machine: named
                            .map(|(n, q)| q.map_or_else(|| n.clone(), |q| format!("{n}:{q}"))),
                    }
                })
                .collect();
            outcomes.push(RuleOutcome {
                name: rule.name.clone(),
                matched: true,
                explanation: String::new(),
                targets,
                invalid: false,
            });
        } else if routing.scheduled.contains(&rule.name) {
            let expression = rule.schedule.as_ref().map_or("", |(t, _)| t.as_str());
            outcomes.push(RuleOutcome {
                name: rule.name.clone(),
                matched: false,
                explanation: format!(
                    "This rule runs on its schedule, {expression}, and has no event pattern: it sees no events. Its firings are in the System tab."
                ),
                targets: vec![],
                invalid: false,
            });
        } else if let Some(miss) = routing.not_matched.iter().find(|m| m.name == rule.name) {
            outcomes.push(RuleOutcome {
                name: rule.name.clone(),
                matched: false,
                explanation: miss.reason.clone(),
                targets: vec![],
                invalid: false,
            });
        } else {
            outcomes.push(RuleOutcome {
                name: rule.name.clone(),
                matched: false,
                explanation: "This rule is DISABLED: EventBridge does not evaluate it.".into(),
                targets: vec![],
                invalid: false,
            });
        }
    }
    // The rules that could not be read keep their place in the list, without a verdict.
    for (i, name) in invalid {
        let at = outcomes.len().min(i);
        outcomes.insert(
            at,
            RuleOutcome {
                name: name.unwrap_or_else(|| format!("Rules[{i}]")),
                matched: false,
                explanation:
                    "This rule is invalid (see Diagnostics): EventBridge would refuse it, \
                              so it has no verdict. The other rules are evaluated."
                        .into(),
                targets: vec![],
                invalid: true,
            },
        );
    }
    RulesView {
        outcomes: Pane::Ready(outcomes),
        diags,
        note,
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

/// Reads the S3 objects' text (bucket → key → content; empty: none).
pub fn read_s3(text: &str) -> Result<asl::s3::S3Objects, Diag> {
    if text.trim().is_empty() {
        return Ok(asl::s3::S3Objects::new());
    }
    let (value, map) = parse_json(Source::S3, text)?;
    asl::s3::S3Objects::from_value(&value).map_err(|e| {
        // `s3.bucket.key` → the JSON pointer `/bucket/key`, for the place in the text.
        let pointer: String = e
            .path
            .split('.')
            .skip(1)
            .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
            .collect();
        diag_at(Source::S3, &map, &pointer, e.problem)
    })
}

/// Every problem of the mocks text: why it cannot be read, else the mistakes a run would pass
/// over (`asl::mocks::lint`: a mock of a state no machine has, a `Throw` without `Error`),
/// checked against the states of every machine of the workspace (`machines`: their texts).
pub fn check_mocks(text: &str, machines: &[&str], rules: &str) -> Vec<Diag> {
    if text.trim().is_empty() {
        return vec![];
    }
    let (value, map) = match parse_json(Source::Mocks, text) {
        Ok(read) => read,
        Err(d) => return vec![d],
    };
    if let Err(e) = asl::mocks::Mocks::from_value(&value, None) {
        return vec![diag_at(Source::Mocks, &map, &e.pointer, e.message)];
    }
    let targets = mock_targets(machines, rules);
    let states: Vec<(&str, &str)> = targets
        .iter()
        .map(|(n, k)| (n.as_str(), k.as_str()))
        .collect();
    asl::mocks::lint(&value, &states)
        .into_iter()
        .map(|w| diag_at(Source::Mocks, &map, &w.pointer, w.message))
        .collect()
}

/// What the mocks may name: every state of the workspace's machines (`machines`: their texts)
/// with its `Type`, and each pipe's Lambda or API enrichment and its Lambda (or other mocked)
/// target from the rules document, mocked like Task states under their names.
fn mock_targets(machines: &[&str], rules: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for text in machines {
        let machine = match machine_entry(text) {
            Some(entry) => asl::parse_value(&entry.latest).0,
            None => asl::parse(text).0,
        };
        out.extend(
            machine
                .every_state()
                .into_iter()
                .map(|s| (s.name.clone(), s.kind.written_type().to_owned())),
        );
    }
    // Only the pipes are read (not every rule's pattern compiled again), and only when the
    // rules have any: this runs on the page's thread at each edit of the mocks or the rules.
    let pipes = rules
        .contains("\"Pipes\"")
        .then(|| serde_json::from_str::<Value>(rules).ok())
        .flatten()
        .and_then(|doc| statebridge_engine::pipes::Pipes::parse(&doc).ok());
    if let Some(pipes) = pipes {
        out.extend(
            pipes
                .pipes
                .iter()
                .flat_map(|p| p.mock_keys())
                .map(|k| (k, "Task".to_owned())),
        );
    }
    out
}

/// The mocks text without the mocks of states the machines no longer have (after a template
/// replaced them), and the names removed; `None` when nothing is to remove or the text is not
/// the short form (`{"State": …}`; a MockConfigFile is left as it is written).
pub fn prune_mocks(text: &str, machines: &[&str], rules: &str) -> Option<(String, Vec<String>)> {
    let Ok(Value::Object(mut mocks)) = serde_json::from_str::<Value>(text) else {
        return None;
    };
    if mocks.contains_key("StateMachines") || mocks.contains_key("MockedResponses") {
        return None;
    }
    let targets = mock_targets(machines, rules);
    let gone: Vec<String> = mocks
        .keys()
        .filter(|k| !targets.iter().any(|(n, _)| n == *k))
        .cloned()
        .collect();
    if gone.is_empty() {
        return None;
    }
    for k in &gone {
        mocks.remove(k);
    }
    let text = serde_json::to_string_pretty(&Value::Object(mocks)).ok()?;
    Some((text, gone))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENT: &str = r#"{"source": "shop", "detail": {}}"#;

    fn rules(target: &str) -> String {
        format!(
            r#"{{"Rules": [{{"Name": "r", "EventPattern": {{"source": ["shop"]}},
  "Targets": [{target}]}}]}}"#
        )
    }

    #[test]
    fn a_target_naming_a_missing_machine_is_diagnosed_at_its_place() {
        let text = rules(r#"{"Id": "t", "Arn": "arn:aws:states:us-east-1:1:stateMachine:Gone"}"#);
        let view = evaluate_rules(EVENT, &text, &["Main", "Other"], "Main");
        assert_eq!(view.diags.len(), 1, "{:?}", view.diags);
        let d = &view.diags[0];
        assert_eq!((d.source, d.line), (Source::Rules, Some(2)));
        assert!(
            d.message
                .contains("`Gone`, which is not in this workspace (it has `Main`, `Other`)"),
            "{}",
            d.message
        );
        // Named by `StateMachine` (with an alias) and present: no diagnostic, and it is shown as
        // starting another machine than the one in the editor.
        let text = rules(
            r#"{"Id": "t", "Arn": "arn:aws:states:us-east-1:1:stateMachine:Other:live", "StateMachine": "Other:live"}"#,
        );
        let view = evaluate_rules(EVENT, &text, &["Main", "Other"], "Main");
        assert!(view.diags.is_empty(), "{:?}", view.diags);
        let Pane::Ready(out) = &view.outcomes else {
            panic!("no outcomes")
        };
        let t = &out[0].targets[0];
        assert_eq!(
            (t.machine.as_deref(), t.starts_machine),
            (Some("Other:live"), false)
        );
        // Not a state machine: nothing to check.
        let text = rules(r#"{"Id": "q", "Arn": "arn:aws:sqs:us-east-1:1:queue"}"#);
        assert!(
            evaluate_rules(EVENT, &text, &["Main"], "Main")
                .diags
                .is_empty()
        );
    }

    #[test]
    fn pruning_keeps_the_mocks_of_states_that_remain() {
        let machine = r#"{"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#;
        let mocks = r#"{"Charge": {"0": {"Return": 1}}, "Gone": {"0": {"Return": 2}}}"#;
        let (text, gone) = prune_mocks(mocks, &[machine], "{}").unwrap();
        assert_eq!(gone, ["Gone"]);
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            serde_json::json!({"Charge": {"0": {"Return": 1}}})
        );
        assert_eq!(prune_mocks(&text, &[machine], "{}"), None);
        let config = r#"{"StateMachines": {}, "MockedResponses": {}}"#;
        assert_eq!(prune_mocks(config, &[machine], "{}"), None);
    }

    #[test]
    fn a_pipe_enrichment_mock_is_used_and_a_misspelt_one_is_named() {
        let machine = r#"{"StartAt": "Charge", "States": {"Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#;
        let rules = r#"{"Sources": [{"Arn": "arn:aws:sqs:us-east-1:123456789012:orders", "Records": []}],
          "Pipes": [{"Name": "p", "Source": "arn:aws:sqs:us-east-1:123456789012:orders",
            "Enrichment": "arn:aws:lambda:us-east-1:123456789012:function:add-customer",
            "Target": "arn:aws:sqs:us-east-1:123456789012:out"}]}"#;
        let mocks = r#"{"add-customer": {"0": {"Return": []}}, "Charge": {"0": {"Return": {}}}}"#;
        assert_eq!(check_mocks(mocks, &[machine], rules), vec![]);
        // Without the pipe, the same mock is a mistake; with a typo, the enrichment is suggested.
        let found = check_mocks(mocks, &[machine], "{}");
        assert!(
            found[0]
                .message
                .contains("no state is named `add-customer`"),
            "{found:?}"
        );
        let typo = mocks.replace("add-customer", "add-custmer");
        let found = check_mocks(&typo, &[machine], rules);
        assert!(
            found[0].message.contains("did you mean `add-customer`?"),
            "{found:?}"
        );
    }

    #[test]
    fn a_versioned_machine_shows_its_unqualified_definition() {
        let def = r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#;
        let text = format!(
            r#"{{"Versions": {{"1": {def}, "2": {def}}}, "Aliases": {{"live": [{{"Version": "1", "Weight": 90}}, {{"Version": "2", "Weight": 10}}]}}}}"#
        );
        let view = inspect_machine(&text);
        assert!(view.diags.is_empty(), "{:?}", view.diags);
        assert!(view.layout.is_some());
        assert!(machine_entry(&text).is_some());
        assert!(machine_entry(def).is_none());
        let bad = text.replace("\"Weight\": 10", "\"Weight\": 20");
        let view = inspect_machine(&bad);
        assert!(
            view.diags[0].message.contains("add up to 110"),
            "{:?}",
            view.diags
        );
        assert!(view.diags[0].line.is_some());
    }

    /// The event editor takes PutEvents entries: the first put event is routed on its bus, and
    /// each refused entry is a diagnostic at its place, in AWS's words.
    #[test]
    fn putevents_entries_in_the_event_editor() {
        let rules = r#"{"Rules": [
  {"Name": "custom", "EventBusName": "MyCustomEventBus", "EventPattern": {"source": ["shop"]}},
  {"Name": "default", "EventPattern": {"source": ["shop"]}}]}"#;
        let event = r#"{"Entries": [
  {"Source": "shop", "DetailType": "t", "Detail": "{}", "EventBusName": "MyCustomEventBus"},
  {"DetailType": "t", "Detail": "{}"}]}"#;
        let view = evaluate_rules(event, rules, &[], "");
        let Pane::Ready(outcomes) = &view.outcomes else {
            panic!("{:?}", view.outcomes);
        };
        assert!(outcomes[0].matched);
        assert!(!outcomes[1].matched);
        assert!(
            outcomes[1].explanation.contains("on bus `default`"),
            "{}",
            outcomes[1].explanation
        );
        assert_eq!(view.diags.len(), 1, "{:?}", view.diags);
        let d = &view.diags[0];
        assert_eq!((d.source, d.line), (Source::Event, Some(3)));
        assert!(
            d.message
                .contains("entry 1: InvalidArgument: Parameter Source is not valid"),
            "{}",
            d.message
        );
    }
}
