//! Validation like AWS's ValidateStateMachineDefinition: transitions, reachability, paths,
//! intrinsic calls, and line/column for every diagnostic when the text is known. It reads the
//! model [`parse`] gives (paths already parsed); a state marked incomplete is left out.

use super::choice::Rule;
use super::definition::{
    Kind, PathField, QueryLanguage, State, StateMachine, Transition, WaitSpec, parse_machine,
};
use super::diagnostic::{
    Diagnostic, Diagnostics, INVALID_EXPR, INVALID_JSON, INVALID_RESOURCE, MISSING_TARGET, SCHEMA,
    Sink, UNREACHABLE,
};
use super::time::parse_rfc3339;
use crate::source;
use serde_json::Value;
use std::collections::HashSet;

/// Validates definition text: every problem, each with state, field, pointer, line and column.
///
/// ```
/// let found = statebridge_engine::asl::validate(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#);
/// assert_eq!(found[0].code, "MISSING_TRANSITION_TARGET");
/// assert_eq!(found[0].state.as_deref(), Some("A"));
/// ```
pub fn validate(text: &str) -> Vec<Diagnostic> {
    parse(text).1
}

/// Parses definition text into the model, whatever is wrong with it, with every problem found
/// (each with state, field, pointer, line and column). Text that is not JSON gives a machine
/// without states.
///
/// ```
/// let (machine, found) = statebridge_engine::asl::parse(
///     r#"{"StartAt": "A", "States": {"A": {"Type": "Pas", "Next": "B"}, "B": {"Type": "Succeed"}}}"#);
/// assert_eq!(machine.states.len(), 2);
/// assert_eq!(machine.states[0].kind.written_type(), "Pas");
/// assert_eq!(found[0].line, Some(1));
/// ```
pub fn parse(text: &str) -> (StateMachine, Vec<Diagnostic>) {
    let (value, map) = match source::parse(text) {
        Ok(parsed) => parsed,
        Err(e) => {
            let d = Diagnostic {
                code: INVALID_JSON,
                state: None,
                field: None,
                pointer: String::new(),
                message: format!("the definition is not valid JSON: {}", e.message),
                line: Some(e.line),
                column: Some(e.column),
                value_offset: None,
            };
            return (StateMachine::empty(""), vec![d]);
        }
    };
    let (machine, mut found) = parse_value(&value);
    {
        for diag in &mut found {
            let span = map
                .value_span(&diag.pointer)
                .or_else(|| map.key_span(&diag.pointer));
            if let Some(s) = span {
                diag.line = Some(s.line);
                diag.column = Some(s.column);
                if let Some(offset) = diag.value_offset {
                    let raw = text.get(s.start..s.end).unwrap_or("");
                    diag.column = Some(s.column + column_in_string(raw, offset));
                }
            }
        }
    }
    (machine, found)
}

/// [`parse`] for a definition held as a JSON value (no line/column information).
pub fn parse_value(value: &Value) -> (StateMachine, Vec<Diagnostic>) {
    let mut sink = Sink::default();
    let machine = parse_machine(value, "", None, &mut sink, true);
    check_machine(&machine, &mut sink);
    super::validate_jsonata::check(value, &machine, &mut sink);
    (machine, sink.found)
}

/// Parses and validates text (the `FromStr` of [`StateMachine`]).
pub(crate) fn parse_text(text: &str) -> Result<StateMachine, Diagnostics> {
    match parse(text) {
        (m, found) if found.is_empty() => Ok(m),
        (_, found) => Err(Diagnostics(found)),
    }
}

/// How many characters of the JSON string token `raw` (with its quotes) come before the
/// `offset`-th character of its decoded content: escapes take several characters of text.
fn column_in_string(raw: &str, offset: u32) -> u32 {
    let mut chars = raw.chars().skip(1).peekable();
    let (mut columns, mut decoded) = (1u32, 0u32);
    while decoded < offset {
        let Some(c) = chars.next() else { break };
        if c == '"' {
            break;
        }
        columns += 1;
        if c == '\\' {
            let escaped = chars.next();
            columns += 1;
            if escaped == Some('u') {
                for _ in 0..4 {
                    chars.next();
                    columns += 1;
                }
            }
        }
        decoded += 1;
    }
    columns
}

/// The state called `name`, unless it is incomplete (validation leaves those out).
fn live<'m>(m: &'m StateMachine, name: &str) -> Option<&'m State> {
    m.state(name).filter(|s| !s.incomplete)
}

fn check_machine(m: &StateMachine, sink: &mut Sink) {
    let states = || m.states.iter().filter(|s| !s.incomplete);
    if !m.start_at.is_empty() && live(m, &m.start_at).is_none() {
        sink.push(
            MISSING_TARGET,
            None,
            Some("StartAt"),
            &format!("{}/StartAt", m.pointer),
            format!(
                "`StartAt` names `{}`, which is not a state here",
                m.start_at
            ),
        );
    }
    for s in states() {
        for (field, target) in targets(s) {
            if live(m, &target).is_none() {
                let at = format!("{}/{}", s.pointer, field.replace('.', "/"));
                sink.push(
                    MISSING_TARGET,
                    Some(&s.name),
                    Some(field.split('.').next().unwrap_or(&field)),
                    &at,
                    format!("`{target}` is not a state in this scope"),
                );
            }
        }
        check_state(s, sink);
    }
    let mut seen = HashSet::new();
    let mut todo = vec![m.start_at.clone()];
    while let Some(name) = todo.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(s) = live(m, &name) {
            todo.extend(targets(s).into_iter().map(|(_, t)| t));
        }
    }
    for s in states() {
        if !seen.contains(&s.name) {
            sink.push(
                UNREACHABLE,
                Some(&s.name),
                None,
                &s.pointer,
                "no transition leads to this state",
            );
        }
    }
    if !states().any(|s| {
        matches!(s.transition, Transition::End | Transition::Unset)
            || matches!(s.kind, Kind::Succeed | Kind::Fail(_))
    }) && states().next().is_some()
    {
        sink.push(
            SCHEMA,
            None,
            Some("States"),
            &format!("{}/States", m.pointer),
            "no state ends the machine (`End: true`, Succeed or Fail)",
        );
    }
}

/// Every transition of a state: (field as dotted pointer suffix, target).
fn targets(s: &State) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Transition::Next(n) = &s.transition {
        out.push(("Next".to_owned(), n.clone()));
    }
    if let Kind::Choice(c) = &s.kind {
        // A rule that could not be read is left out (its Next is not checked), as is its
        // index: the pointers count only the rules read.
        for (i, choice) in c
            .choices
            .iter()
            .filter(|c| !c.rule.is_invalid())
            .enumerate()
        {
            out.push((format!("Choices.{i}.Next"), choice.next.clone()));
        }
        if let Some(d) = &c.default {
            out.push(("Default".to_owned(), d.clone()));
        }
    }
    for (i, c) in s.catch.iter().enumerate() {
        out.push((format!("Catch.{i}.Next"), c.next.clone()));
    }
    out
}

fn check_state(s: &State, sink: &mut Sink) {
    if let Kind::Task(t) = &s.kind
        && !t.resource.is_empty()
        && let Some((code, message)) = super::resource::problem(&t.resource)
    {
        let code = if code == SCHEMA {
            SCHEMA
        } else {
            INVALID_RESOURCE
        };
        let at = format!("{}/Resource", s.pointer);
        sink.push(code, Some(&s.name), Some("Resource"), &at, message);
    }
    let mut bad = |field: &str, msg: String| {
        sink.push(
            INVALID_EXPR,
            Some(&s.name),
            Some(field),
            &format!("{}/{field}", s.pointer),
            msg,
        )
    };
    if s.query_language == QueryLanguage::JsonPath {
        for (field, pf, reference) in [
            ("InputPath", &s.input_path, false),
            ("OutputPath", &s.output_path, false),
            ("ResultPath", &s.result_path, true),
        ] {
            if let PathField::Path(p) = pf {
                let problem = if reference {
                    p.reference_problem()
                } else {
                    p.parsed().err().map(ToString::to_string)
                };
                if let Some(m) = problem {
                    bad(field, m);
                }
            }
        }
        let js = &s.jsonpath;
        for (field, t) in [
            ("Parameters", &js.parameters),
            ("ResultSelector", &js.result_selector),
            ("Assign", &js.assign),
        ] {
            if let Some(t) = t {
                t.problems(&mut |m| bad(field, m));
            }
        }
    }
    match &s.kind {
        Kind::Wait(WaitSpec::Timestamp(Value::String(t)))
            if s.query_language == QueryLanguage::JsonPath && parse_rfc3339(t).is_none() =>
        {
            bad(
                "Timestamp",
                format!("`{t}` is not an RFC 3339 timestamp like 2016-03-14T01:59:00Z"),
            );
        }
        Kind::Wait(WaitSpec::Seconds(v))
            if s.query_language == QueryLanguage::JsonPath && v.as_u64().is_none() =>
        {
            bad(
                "Seconds",
                "`Seconds` must be a non-negative integer".to_owned(),
            );
        }
        Kind::Wait(WaitSpec::SecondsPath(p) | WaitSpec::TimestampPath(p)) => {
            if let Some(m) = p.reference_problem() {
                bad("SecondsPath", m);
            }
        }
        Kind::Choice(c) => {
            for choice in &c.choices {
                check_rule(&choice.rule, &mut bad);
            }
        }
        Kind::Parallel(p) => {
            for b in &p.branches {
                check_machine(b, sink);
            }
        }
        Kind::Map(m) => {
            if let PathField::Path(p) = &m.items_path
                && let Some(msg) = p.reference_problem()
            {
                bad("ItemsPath", msg);
            }
            check_machine(&m.processor, sink);
        }
        _ => {}
    }
}

fn check_rule(rule: &Rule, bad: &mut impl FnMut(&str, String)) {
    match rule {
        Rule::And(list) | Rule::Or(list) => list.iter().for_each(|r| check_rule(r, bad)),
        Rule::Not(r) => check_rule(r, bad),
        Rule::Compare {
            variable, operand, ..
        } => {
            if let Err(m) = variable.parsed() {
                bad("Choices", m.to_string());
            }
            if let super::choice::Operand::Path(p) = operand
                && let Err(m) = p.parsed()
            {
                bad("Choices", m.to_string());
            }
        }
        Rule::Condition(_) | Rule::Invalid(_) => {}
    }
}

/// Kept for callers that hold a value and want diagnostics without text positions.
pub(crate) fn check_value(value: &Value) -> Vec<Diagnostic> {
    parse_value(value).1
}
