//! What each fuzz target checks on one input. Shared, word for word, by the cargo-fuzz targets
//! (fuzz_targets/*.rs) and the engine's regression test (crates/engine/tests/fuzz_regressions.rs),
//! which replays every input the fuzzers once crashed on: a fix is tested by the same code that
//! found the bug. Depends on the engine and serde_json only.
//!
//! A check panics when it finds a bug (the fuzzer's crash); it returns a short word for what the
//! input was, for the regression test to print.

use serde_json::{Map, Value, json};
use statebridge_engine::asl::StateMachine;
use statebridge_engine::asl::exec::{Execution, ExecutionOptions};
use statebridge_engine::intrinsics::{self, Rng};
use statebridge_engine::jsonpath::{self, Scope, set_result};
use statebridge_engine::pattern::{Pattern, PatternError, RuleSet};

/// One target's check: panics on a bug, else says what the input was.
pub type Check = fn(&[u8]) -> &'static str;

/// The targets, by name, as in Cargo.toml's `[[bin]]`s.
pub const TARGETS: [(&str, Check); 6] = [
    ("pattern_parse", pattern_parse),
    ("pattern_match", pattern_match),
    ("asl_definition", asl_definition),
    ("asl_jsonpath", asl_jsonpath),
    ("asl_intrinsic", asl_intrinsic),
    ("asl_execution", asl_execution),
];

/// Pattern text of any kind: parsing never panics, an error always says where and what, and a
/// pattern that parses can be matched and explained against an empty event.
pub fn pattern_parse(data: &[u8]) -> &'static str {
    let Ok(text) = std::str::from_utf8(data) else {
        return "not UTF-8";
    };
    let _ = Pattern::check_size(text);
    match text.parse::<Pattern>() {
        Ok(pattern) => {
            let empty = json!({});
            let matched = pattern.matches(&empty);
            let why = pattern.explain(&empty);
            assert_eq!(why.matched, matched, "explain and match disagree on {text}");
            let _ = why.to_string();
            // A pattern re-read from its own JSON is the same pattern.
            assert!(Pattern::parse(pattern.as_json()).is_ok());
            "pattern"
        }
        Err(e) => {
            let message = e.to_string();
            assert!(!message.is_empty(), "empty error for {text}");
            if let PatternError::Invalid { position, .. } = &e {
                // The text was JSON, so every problem can be placed in it.
                assert!(position.is_some(), "no position in `{message}` for {text}");
            }
            "rejected"
        }
    }
}

/// A pattern and an event (split at the first NUL byte): every way of matching agrees — the
/// event as a tree, as text (the skimming reader), through a one-rule `RuleSet`, and the
/// explanation's verdict — and nothing panics or hangs.
pub fn pattern_match(data: &[u8]) -> &'static str {
    let Ok(text) = std::str::from_utf8(data) else {
        return "not UTF-8";
    };
    let Some((pattern_text, event_text)) = text.split_once('\0') else {
        return "no event";
    };
    let Ok(pattern) = pattern_text.parse::<Pattern>() else {
        return "rejected";
    };
    let from_text = pattern.matches_text(event_text);
    let mut set = RuleSet::new();
    set.add("r", pattern.clone());
    let set_text = set.matching_rules_text(event_text).map(|m| !m.is_empty());
    assert_eq!(from_text.is_ok(), set_text.is_ok());
    let Ok(event) = serde_json::from_str::<Value>(event_text) else {
        return "event not JSON";
    };
    let from_tree = pattern.matches(&event);
    let explained = pattern.explain(&event);
    assert_eq!(explained.matched, from_tree, "explain disagrees");
    assert_eq!(
        set.matching_rules(&event).is_empty(),
        !from_tree,
        "RuleSet disagrees"
    );
    // serde_json keeps the last of duplicate member names; the text reader sees them all.
    if let (Ok(t), Ok(s)) = (from_text, set_text) {
        assert_eq!(t, s, "RuleSet on text disagrees");
        if !has_duplicate_names(event_text) {
            assert_eq!(t, from_tree, "text and tree disagree");
        }
    }
    let _ = explained.to_string();
    if from_tree { "matched" } else { "not matched" }
}

/// Whether some object of the text names a member twice: its parsed tree has fewer members
/// than the text has `:` outside strings.
fn has_duplicate_names(text: &str) -> bool {
    fn count(v: &Value) -> usize {
        match v {
            Value::Object(m) => m.len() + m.values().map(count).sum::<usize>(),
            Value::Array(a) => a.iter().map(count).sum(),
            _ => 0,
        }
    }
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return true;
    };
    let (mut members, mut in_string, mut escaped) = (0, false, false);
    for c in text.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (false, _, '"') => in_string = true,
            (false, _, ':') => members += 1,
            _ => {}
        }
    }
    members != count(&v)
}

/// Definition parsing and validation (text → diagnostics with line and column): never panics,
/// and every diagnostic renders.
pub fn asl_definition(data: &[u8]) -> &'static str {
    let Ok(text) = std::str::from_utf8(data) else {
        return "not UTF-8";
    };
    let diagnostics = statebridge_engine::asl::validate(text);
    for d in &diagnostics {
        // Display walks every field.
        assert!(!d.to_string().is_empty(), "an empty diagnostic for {text}");
    }
    if diagnostics.is_empty() {
        "valid"
    } else {
        "diagnosed"
    }
}

/// JSONPath parsing, evaluation against a small document, and ResultPath writing: never panic.
pub fn asl_jsonpath(data: &[u8]) -> &'static str {
    let Ok(text) = std::str::from_utf8(data) else {
        return "not UTF-8";
    };
    let Ok(path) = jsonpath::parse(text) else {
        return "rejected";
    };
    let input =
        json!({"a": [1, {"b": "x", "c": [true, null, 2.5]}], "d": {"e f": {"g": -3}}, "s": "str"});
    let context = json!({"Execution": {"Input": {"k": 1}}, "State": {"Name": "S"}});
    let mut variables = Map::new();
    variables.insert("var".into(), json!({"x": [1, 2, 3]}));
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &variables,
    };
    let found = path.evaluate(&scope);
    let _ = path.normalized();
    let _ = set_result(&input, &path, json!({"r": 1}));
    if found.is_ok() { "found" } else { "not found" }
}

/// Intrinsic function parsing and evaluation (`States.Format(…)` and the rest): never panic.
pub fn asl_intrinsic(data: &[u8]) -> &'static str {
    let Ok(text) = std::str::from_utf8(data) else {
        return "not UTF-8";
    };
    let Ok(call) = intrinsics::parse(text) else {
        return "rejected";
    };
    let _ = call.to_string();
    let input =
        json!({"a": [1, 2, 3, 2], "s": "a,b,c", "n": 7, "o": {"x": {"y": 1}}, "b64": "aGk="});
    let context = json!({"Execution": {"Id": "e"}});
    let variables = Map::new();
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &variables,
    };
    match intrinsics::evaluate(&call, &scope, &mut Rng::new(1)) {
        Ok(_) => "evaluated",
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an empty error for {text}");
            "failed"
        }
    }
}

const FIXED: &str = r#"{"StartAt": "Pick", "States": {
  "Pick": {"Type": "Choice", "Choices": [
      {"Variable": "$.items", "IsPresent": true, "Next": "Each"},
      {"Variable": "$.n", "NumericGreaterThan": 3, "Next": "Both"}],
    "Default": "Shape"},
  "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
    "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
    "ItemProcessor": {"StartAt": "Work", "States": {
      "Work": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:w",
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}], "End": true}}},
    "ResultPath": "$.out", "Next": "Shape"},
  "Both": {"Type": "Parallel", "Branches": [
      {"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.n", "End": true}}},
      {"StartAt": "F", "States": {"F": {"Type": "Pass",
        "Parameters": {"f.$": "States.Format('{} {}', $.n, $.s)", "a.$": "States.ArrayRange(0, $.n, 1)"},
        "End": true}}}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Shape"}],
    "Next": "Shape"},
  "Shape": {"Type": "Pass", "Parameters": {"all.$": "$", "j.$": "States.JsonToString($)"},
    "OutputPath": "$.all", "End": true}}}"#;

/// Execution of a definition on an arbitrary input, under a step budget, a history limit and a
/// payload limit: every execution ends (no panic, no hang, bounded memory) with a history.
///
/// The input bytes are split at the first 0 byte: the definition text before it, the execution
/// input (JSON) after it; when the part before is not a valid definition, a fixed machine with
/// Choice, Map, Parallel, Retry/Catch and intrinsics runs on the whole input instead, so that the
/// fuzzer explores data flow as well as definitions.
pub fn asl_execution(data: &[u8]) -> &'static str {
    let (def_bytes, input_bytes) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&[][..], data),
    };
    let machine = std::str::from_utf8(def_bytes)
        .ok()
        .and_then(|t| t.parse::<StateMachine>().ok())
        .or_else(|| FIXED.parse::<StateMachine>().ok());
    let Some(machine) = machine else {
        return "no machine";
    };
    let input: Value = serde_json::from_slice(input_bytes).unwrap_or(Value::Null);
    let options = ExecutionOptions {
        max_steps: 2_000,
        max_history_events: 5_000,
        max_payload_bytes: 64 * 1024,
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine, input, options);
    let outcome = exec.run_to_end();
    assert!(!exec.history().is_empty(), "an execution without history");
    match outcome.status {
        statebridge_engine::asl::exec::Status::Succeeded => "succeeded",
        _ => "ended otherwise",
    }
}
