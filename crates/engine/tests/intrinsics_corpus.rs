//! A scratch harness over the ASL corpus for the paths and intrinsics alone, before the executor:
//! it runs machines made only of JSONPath `Pass` states (InputPath, Parameters, Result, ResultPath,
//! OutputPath; no Assign) with this crate's `jsonpath` and `intrinsics`, and compares the outcome
//! with what AWS recorded. The real conformance runner is the executor's; this one measures the
//! data-flow pieces. Cases outside that subset are skipped and counted.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path as FsPath, PathBuf};

use serde_json::{Map, Value, json};
use statebridge_engine::intrinsics::{self, Rng};
use statebridge_engine::jsonpath::{self, Scope, set_result};

const TOPICS: [&str; 6] = [
    "intrinsic_functions",
    "base",
    "scenarios",
    "context_object",
    "assign",
    "choice_operators",
];

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/asl/cases")
}

fn list(path: &str) -> BTreeMap<String, String> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = fs::read_to_string(file).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .map(|l| {
            let (name, reason) = l.split_once('#').unwrap_or((l, ""));
            (name.trim().to_owned(), reason.trim().to_owned())
        })
        .collect()
}

/// Why a case is outside the subset this harness can run.
fn unsupported(definition: &Value) -> Option<&'static str> {
    if definition.get("QueryLanguage").is_some() {
        return Some("query language");
    }
    let states = definition.get("States")?.as_object()?;
    for state in states.values() {
        if state.get("Type") != Some(&json!("Pass")) {
            return Some("not only Pass states");
        }
        let jsonata_assign = state
            .get("Assign")
            .is_some_and(|a| a.to_string().contains("{%"));
        if jsonata_assign || state.get("QueryLanguage").is_some() {
            return Some("JSONata");
        }
    }
    None
}

enum Outcome {
    Output(Value),
    Failed(String, String),
}

/// Applies a payload template: `.$` keys take paths or intrinsic calls.
fn template(value: &Value, scope: &Scope, rng: &mut Rng) -> Result<Value, (String, String)> {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, item) in map {
                if let (Some(name), Some(text)) = (key.strip_suffix(".$"), item.as_str()) {
                    let result = if intrinsics::is_intrinsic(text) {
                        intrinsics::evaluate_str(text, scope, rng)
                            .map_err(|e| (e.error_name().to_owned(), e.to_string()))?
                    } else {
                        let path = jsonpath::parse(text)
                            .map_err(|e| (e.error_name().to_owned(), e.to_string()))?;
                        path.evaluate(scope).map_err(|e| {
                            (
                                e.error_name().to_owned(),
                                format!(
                                    "The JSONPath '{text}' specified for the field '{key}' could not be found in the input '{}'",
                                    serde_json::to_string(scope.input).unwrap_or_default()
                                ),
                            )
                        })?
                    };
                    out.insert(name.to_owned(), result);
                } else {
                    out.insert(key.clone(), template(item, scope, rng)?);
                }
            }
            Ok(Value::Object(out))
        }
        other => Ok(other.clone()),
    }
}

fn read_path(
    text: &Value,
    input: &Value,
    context: &Value,
    vars: &Map<String, Value>,
) -> Result<Value, (String, String)> {
    let Some(text) = text.as_str() else {
        return Ok(Value::Null);
    };
    let scope = Scope {
        input,
        context,
        variables: vars,
    };
    jsonpath::parse(text)
        .and_then(|p| p.evaluate(&scope))
        .map_err(|e| (e.error_name().to_owned(), e.to_string()))
}

type Failure = (String, String);

fn run(definition: &Value, input: &Value) -> Outcome {
    let context = json!({"Execution": {"Input": input, "Id": "arn:execution"}, "State": {}});
    let mut vars = Map::new();
    let mut rng = Rng::new(1);
    let mut name = definition["StartAt"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut data = input.clone();
    for _ in 0..100 {
        let state = &definition["States"][&name];
        match pass_state(state, &data, &context, &vars, &mut rng) {
            Ok((output, assigned)) => {
                data = output;
                vars.extend(assigned);
            }
            Err((error, cause)) => return Outcome::Failed(error, cause),
        }
        match state.get("Next").and_then(Value::as_str) {
            Some(next) => name = next.to_owned(),
            None => return Outcome::Output(data),
        }
    }
    Outcome::Failed("Harness".into(), "too many states".into())
}

/// One Pass state: its output and the variables it assigns. Assign reads the state's result and
/// the variables from before the state; so does OutputPath (recorded on AWS).
fn pass_state(
    state: &Value,
    data: &Value,
    context: &Value,
    vars: &Map<String, Value>,
    rng: &mut Rng,
) -> Result<(Value, Map<String, Value>), Failure> {
    let effective = match state.get("InputPath") {
        Some(Value::Null) => json!({}),
        Some(p) => read_path(p, data, context, vars)?,
        None => data.clone(),
    };
    let scope = Scope {
        input: &effective,
        context,
        variables: vars,
    };
    let result = match (state.get("Result"), state.get("Parameters")) {
        (Some(result), _) => result.clone(),
        (None, Some(parameters)) => template(parameters, &scope, rng)?,
        (None, None) => effective.clone(),
    };
    let assigned = match state.get("Assign") {
        Some(assign) => {
            let scope = Scope {
                input: &result,
                context,
                variables: vars,
            };
            match template(assign, &scope, rng)? {
                Value::Object(map) => map,
                _ => Map::new(),
            }
        }
        None => Map::new(),
    };
    let named = |e: jsonpath::PathError| (e.error_name().to_owned(), e.to_string());
    let with_result = match state.get("ResultPath") {
        Some(Value::Null) => data.clone(),
        Some(Value::String(text)) => {
            let path = jsonpath::parse(text).map_err(named)?;
            set_result(data, &path, result).map_err(named)?
        }
        _ => result,
    };
    let output = match state.get("OutputPath") {
        Some(Value::Null) => json!({}),
        Some(p) => read_path(p, &with_result, context, vars)?,
        None => with_result,
    };
    Ok((output, assigned))
}

/// The recordings mask random numbers as "RandomNumberGenerated"; any number matches them.
fn same(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::String(s), Value::Number(_)) if s == "RandomNumberGenerated" => true,
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, w)| same(v, w))
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => expected == actual,
    }
}

/// AWS prefixes runtime causes with "An error occurred while executing the state …", which is the
/// executor's part; this harness checks the rest. `<json-input:1>` masks the state input.
fn same_cause(expected: Option<&str>, actual: &str) -> bool {
    let Some(expected) = expected else {
        return true;
    };
    match expected.split_once("<json-input:1>") {
        Some((head, _)) => {
            let masked = actual.split("in the input '").next().unwrap_or(actual);
            head.ends_with(&format!("{masked}in the input '"))
        }
        None => expected.ends_with(actual),
    }
}

fn check(case: &Value) -> Result<(), String> {
    let expected = &case["expected"];
    let outcome = run(&case["definition"], &case["input"]);
    match (expected["status"].as_str(), outcome) {
        (Some("SUCCEEDED"), Outcome::Output(actual)) if same(&expected["output"], &actual) => {
            Ok(())
        }
        (Some("FAILED"), Outcome::Failed(error, cause))
            if expected["error"] == json!(error)
                && same_cause(expected["cause"].as_str(), &cause) =>
        {
            Ok(())
        }
        (_, Outcome::Output(actual)) => Err(format!("got output {actual}, expected {expected}")),
        (_, Outcome::Failed(error, cause)) => {
            Err(format!("failed {error}: {cause}; expected {expected}"))
        }
    }
}

fn cases(topic: &str) -> Vec<(String, Value)> {
    let dir = corpus_dir().join(topic);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter_map(|p: &PathBuf| {
            let text = fs::read_to_string(p).ok()?;
            let name = FsPath::new(p).file_stem()?.to_string_lossy().into_owned();
            Some((format!("{topic}/{name}"), serde_json::from_str(&text).ok()?))
        })
        .collect()
}

#[test]
fn pass_state_cases_of_the_corpus() {
    if !corpus_dir().exists() {
        eprintln!("corpus not found at {}; skipped", corpus_dir().display());
        return;
    }
    let pending = list("tests/intrinsics_corpus/pending.txt");
    let known = list("tests/intrinsics_corpus/known-failures.txt");
    let mut unexpected = Vec::new();
    let mut now_passing = Vec::new();
    for topic in TOPICS {
        let (mut passed, mut failed, mut skipped) = (0, 0, 0);
        for (name, case) in cases(topic) {
            if unsupported(&case["definition"]).is_some() {
                skipped += 1;
                continue;
            }
            let listed = pending.contains_key(&name) || known.contains_key(&name);
            match check(&case) {
                Ok(()) => {
                    passed += 1;
                    if listed {
                        now_passing.push(name);
                    }
                }
                Err(why) => {
                    failed += 1;
                    if !listed {
                        unexpected.push(format!("{name}: {why}"));
                    }
                }
            }
        }
        println!(
            "{topic}: {passed} passed, {failed} failed, {skipped} outside the Pass-state subset"
        );
    }
    for name in &now_passing {
        println!("now passing (remove from the lists): {name}");
    }
    assert!(
        unexpected.is_empty(),
        "unexpected failures:\n{}",
        unexpected.join("\n")
    );
}
