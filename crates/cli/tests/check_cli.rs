//! `statebridge check` from the outside: one line per check, exit codes, located errors.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn exercises() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/exercises")
}

fn file(name: &str, text: &str) -> PathBuf {
    common::file("check-cli", name, text)
}

/// `member` of an exercise file (its `start` or its `solution`) written as a workspace file.
fn workspace_of(exercise: &str, member: &str) -> PathBuf {
    let text = std::fs::read_to_string(exercises().join(exercise)).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    file(
        &format!("{member}-{exercise}"),
        &serde_json::to_string_pretty(&v[member]).unwrap(),
    )
}

/// A path as an owned argument (the paths here are temporaries).
fn p(path: &Path) -> String {
    common::p(path).to_owned()
}

fn check(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    common::run(&all)
}

#[test]
fn a_solution_passes_with_one_line_per_check() {
    let ex = p(&exercises().join("01-route-orders.json"));
    let ws = p(&workspace_of("01-route-orders.json", "solution"));
    let (code, out, err) = check(&[&ex, &ws]);
    assert_eq!(code, 0, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[..3].iter().all(|l| l.starts_with("PASS ")), "{out}");
    assert!(lines[0].contains("New orders start the workflow"), "{out}");
    assert!(lines[3].starts_with("3 of 3 checks passed"), "{out}");
}

#[test]
fn a_start_fails_with_the_reason() {
    let ex = p(&exercises().join("01-route-orders.json"));
    let ws = p(&workspace_of("01-route-orders.json", "start"));
    let (code, out, _) = check(&[&ex, &ws]);
    assert_eq!(code, 1, "{out}");
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("FAIL New orders start the workflow — "),
        "{out}"
    );
    assert!(
        first.contains("\"OrderPlaced\""),
        "the reason names the pattern's value: {out}"
    );
}

#[test]
fn the_retry_exercise_is_graded_with_its_locked_mocks() {
    let ex = p(&exercises().join("07-retry-throttling.json"));
    let solution = p(&workspace_of("07-retry-throttling.json", "solution"));
    assert_eq!(check(&[&ex, &solution]).0, 0);
    let start = p(&workspace_of("07-retry-throttling.json", "start"));
    let (code, out, _) = check(&[&ex, &start]);
    assert_eq!(code, 1, "{out}");
    assert!(out.lines().any(|l| l.starts_with("FAIL ")), "{out}");
}

#[test]
fn json_output_lists_every_verdict() {
    let ex = p(&exercises().join("01-route-orders.json"));
    let ws = p(&workspace_of("01-route-orders.json", "start"));
    let (code, out, _) = check(&[&ex, &ws, "--json"]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["passed"], false);
    assert_eq!(doc["checks"].as_array().map(Vec::len), Some(3));
    assert_eq!(doc["checks"][0]["passed"], false);
}

#[test]
fn bad_inputs_exit_2_and_say_where() {
    let ex = p(&exercises().join("01-route-orders.json"));
    let broken = p(&file("broken.json", "{\n  \"event\": {,\n}"));
    let (code, _, err) = check(&[&ex, &broken]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{broken}:2:")), "{err}");

    let shapeless = p(&file(
        "shapeless.json",
        r#"{"event": {}, "rules": {"Rules": [3]}, "machines": {}}"#,
    ));
    let (code, _, err) = check(&[&ex, &shapeless]);
    assert_eq!(code, 2);
    assert!(err.contains("rules.Rules[0]"), "{err}");

    let not_exercise = p(&file("not-exercise.json", r#"{"id": "x"}"#));
    let (code, _, err) = check(&[&not_exercise, &broken]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not-exercise.json: not an exercise: at `start`: missing"),
        "{err}"
    );

    assert_eq!(check(&[&ex]).0, 2);
    assert_eq!(check(&[&ex, &broken, "--nope"]).0, 2);
}
