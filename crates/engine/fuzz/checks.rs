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
pub const TARGETS: [(&str, Check); 11] = [
    ("pattern_parse", pattern_parse),
    ("pattern_match", pattern_match),
    ("asl_definition", asl_definition),
    ("asl_jsonpath", asl_jsonpath),
    ("asl_intrinsic", asl_intrinsic),
    ("asl_execution", asl_execution),
    ("source_json", source_json),
    ("template", template),
    ("artifacts", artifacts),
    ("transform", transform),
    ("jsonata", jsonata),
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

/// The bytes before the first 0 byte and those after it (all of them and none when there is none).
fn split_at_nul(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    }
}

/// Where an error points must be inside the text: a line that exists (or the one just past the
/// end, for "the text ends too soon") and a column from 1 to one past that line's last character.
fn assert_inside(text: &str, line: u32, column: u32, what: &str) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        line >= 1 && (line as usize) <= lines.len() + 1,
        "{what}: line {line} of a {}-line text",
        lines.len()
    );
    // A lone `\r` does not end a line here (JSON counts it as a space, and the editors never
    // hold one: a textarea and CodeMirror turn every line break into `\n`).
    let width = lines
        .get(line as usize - 1)
        .map_or(0, |l| l.chars().count());
    assert!(
        column >= 1 && (column as usize) <= width + 2,
        "{what}: column {column} of line {line}, which has {width} characters"
    );
}

/// The editors' JSON reader (`source::parse`, which places every value and every error): never
/// panics; an error is placed inside the text; it accepts what serde_json accepts and reads the
/// same value (duplicate names aside, which it may refuse); the map places every value it read.
pub fn source_json(data: &[u8]) -> &'static str {
    use statebridge_engine::source;
    let Ok(text) = std::str::from_utf8(data) else {
        return "not UTF-8";
    };
    let ours = source::parse(text);
    let plain = source::parse_value(text);
    let theirs = serde_json::from_str::<Value>(text);
    match (&ours, &plain) {
        (Ok((a, _)), Ok(b)) => assert_eq!(a, b, "parse and parse_value read different values"),
        (Err(a), Err(b)) => assert_eq!(a, b, "parse and parse_value differ in their error"),
        _ => panic!("parse and parse_value disagree on {text:?}"),
    }
    match ours {
        Ok((value, map)) => {
            if let Ok(v) = &theirs {
                assert_eq!(&value, v, "a value read differently from serde_json");
            }
            fn walk(v: &Value, pointer: &mut String, map: &source::SourceMap, len: usize) {
                let span = map
                    .value_span(pointer)
                    .unwrap_or_else(|| panic!("no place for {pointer}"));
                assert!(
                    span.start <= span.end && span.end <= len,
                    "{pointer} placed outside"
                );
                let at = pointer.len();
                match v {
                    Value::Object(m) => {
                        for (k, x) in m {
                            pointer.push('/');
                            pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                            walk(x, pointer, map, len);
                            pointer.truncate(at);
                        }
                    }
                    Value::Array(a) => {
                        for (i, x) in a.iter().enumerate() {
                            pointer.push_str(&format!("/{i}"));
                            walk(x, pointer, map, len);
                            pointer.truncate(at);
                        }
                    }
                    _ => {}
                }
            }
            walk(&value, &mut String::new(), &map, text.len());
            "json"
        }
        Err(e) => {
            assert_inside(text, e.line, e.column, &e.message);
            assert!(e.offset <= text.len(), "error offset past the end");
            assert!(!e.message.is_empty(), "an empty message");
            // serde_json's recursion limit (128) is lower than ours; past it, both refuse.
            if theirs.is_ok() {
                assert!(
                    e.message.contains("duplicate") || e.message.contains("deep"),
                    "refused what serde_json reads: {e}"
                );
            }
            "not json"
        }
    }
}

/// SAM and CloudFormation templates (YAML or JSON): reading never panics, an error is placed
/// inside the text, a template that reads becomes a workspace, and what the app writes back
/// (`to_yaml` of a read value, `export` of the workspace) reads again as the same value.
pub fn template(data: &[u8]) -> &'static str {
    use statebridge_engine::artifacts::{template, yaml};
    let Ok(text) = std::str::from_utf8(data) else {
        return "not UTF-8";
    };
    match yaml::parse(text) {
        Ok((value, _)) => {
            let written = template::to_yaml(&value);
            match yaml::parse(&written) {
                Ok((again, _)) => {
                    assert_eq!(again, value, "to_yaml did not round-trip:\n{written}")
                }
                Err(e) => panic!("to_yaml wrote YAML it cannot read ({e}):\n{written}"),
            }
        }
        Err(e) => assert_inside(text, e.line, e.column, &e.message),
    }
    match template::import(text) {
        Ok(t) => {
            let _ = t.notes.len();
            if let Ok(ws) = t.to_workspace(None) {
                let out = template::export(&ws);
                let yaml_text = template::to_yaml(&out);
                let (again, _) = yaml::parse(&yaml_text)
                    .unwrap_or_else(|e| panic!("an exported template does not read ({e})"));
                assert_eq!(again, out, "an exported template did not round-trip");
                let back = template::import(&yaml_text);
                assert!(
                    back.is_ok(),
                    "an exported template does not import: {back:?}"
                );
            }
            "template"
        }
        Err(e) => {
            assert_inside(text, e.line, e.column, &e.message);
            "refused"
        }
    }
}

/// Pasted AWS output: an execution history (`get-execution-history`, pages in a row, with or
/// without `describe-execution`) and many sample events for the events × rules table. Never
/// panics; an error is placed inside the text; every event gets a verdict from every rule.
pub fn artifacts(data: &[u8]) -> &'static str {
    use statebridge_engine::artifacts::{history, matrix};
    let Ok(text) = std::str::from_utf8(data) else {
        return "not UTF-8";
    };
    let h = match history::import(text) {
        Ok(h) => {
            let _ = (h.status(), h.input());
            "history"
        }
        Err(e) => {
            assert_inside(text, e.line, e.column, &e.message);
            "no history"
        }
    };
    let rules = json!([
        {"Name": "a", "EventPattern": {"source": ["shop"]}, "Targets": []},
        {"Name": "b", "EventPattern": {"detail": {"n": [{"numeric": [">", 1]}]}}, "Targets": []},
        {"Name": "c", "EventPattern": {"detail-type": [{"prefix": "Order"}], "detail": {"x": [{"exists": false}]}}, "Targets": []}
    ]);
    match matrix::read_events(text) {
        Ok(events) => {
            let n = events.len();
            let verdicts = matrix::Verdicts::new(&rules, events);
            for e in 0..n {
                for r in 0..3 {
                    let _ = verdicts.matched(r, e);
                    let _ = verdicts.cell(r, e);
                }
            }
            let _ = verdicts.unmatched();
        }
        Err(e) => assert_inside(text, e.line, e.column, &e.message),
    }
    h
}

/// EventBridge input transformation: a target (text before the first 0 byte; when it is not a
/// JSON target, an InputTransformer with that text as its template) applied to an event (after
/// it): never panics, and a failure says what.
pub fn transform(data: &[u8]) -> &'static str {
    use statebridge_engine::transform::{Context, InputSpec};
    let (head, tail) = split_at_nul(data);
    let Ok(head) = std::str::from_utf8(head) else {
        return "not UTF-8";
    };
    let target = match serde_json::from_str::<Value>(head) {
        Ok(v @ Value::Object(_)) => v,
        _ => json!({"Arn": "arn:aws:sqs:us-east-1:123456789012:q", "InputTransformer": {
            "InputPathsMap": {"s": "$.source", "d": "$.detail", "n": "$.detail.n", "all": "$"},
            "InputTemplate": head}}),
    };
    let event = serde_json::from_slice::<Value>(tail).unwrap_or_else(|_| {
        json!({"version": "0", "id": "1", "detail-type": "T", "source": "shop", "account": "1",
               "time": "2026-01-01T00:00:00Z", "region": "us-east-1", "resources": [],
               "detail": {"n": 1, "s": "a \"quoted\" text", "o": {"k": [1, 2]}}})
    });
    match InputSpec::from_target(&target) {
        Ok(spec) => match spec.apply(&event, &Context::for_rule("r")) {
            Ok(_) => "delivered",
            Err(e) => {
                assert!(!e.to_string().is_empty(), "an empty error");
                "failed"
            }
        },
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an empty error");
            "refused"
        }
    }
}

/// JSONata (as Step Functions evaluates it): an expression (text before the first 0 byte) on an
/// input (after it), under the engine's depth and step limits: never panics, never hangs.
pub fn jsonata(data: &[u8]) -> &'static str {
    use statebridge_engine::jsonata::{AwsEnv, Expression};
    let (head, tail) = split_at_nul(data);
    let Ok(text) = std::str::from_utf8(head) else {
        return "not UTF-8";
    };
    let Ok(expr) = Expression::parse(text) else {
        return "rejected";
    };
    let input = serde_json::from_slice::<Value>(tail).unwrap_or_else(
        |_| json!({"a": [1, 2, 3], "o": {"k": "v", "n": [{"x": 1}, {"x": 2}]}, "s": "text"}),
    );
    let mut bindings = Map::new();
    bindings.insert(
        "states".into(),
        json!({"input": input, "context": {"Execution": {"Id": "e"}}}),
    );
    match expr.evaluate(Some(&input), &bindings, &mut AwsEnv::new(7)) {
        Ok(_) => "evaluated",
        Err(e) => {
            assert!(!e.to_string().is_empty(), "an empty error for {text}");
            "failed"
        }
    }
}
