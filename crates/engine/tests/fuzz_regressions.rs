//! Every input a cargo-fuzz target (crates/engine/fuzz, run by scripts/fuzz.sh) once crashed on,
//! replayed through the very check the target runs (crates/engine/fuzz/checks.rs): the inputs
//! are files under tests/fuzz_regressions/<target>/, named after what they found.

#[allow(dead_code)]
#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

/// Runs `target`'s check on every kept input; returns how many there were.
fn replay(target: &str, check: checks::Check) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    for file in &files {
        let data = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let what = check(&data);
        println!("{target}/{}: {what}", file.display());
    }
    files.len()
}

#[test]
fn every_input_a_fuzzer_crashed_on_now_passes_its_check() {
    let mut total = 0;
    for (target, check) in checks::TARGETS {
        total += replay(target, check);
    }
    println!("{total} inputs replayed");
}

/// The checks themselves, on inputs whose fate is known: a replay that passes means something.
#[test]
fn each_check_tells_a_good_input_from_a_bad_one() {
    let cases: [(checks::Check, &[u8], &str); 22] = [
        (
            checks::pattern_parse,
            br#"{"a": [1, {"prefix": "x"}]}"#,
            "pattern",
        ),
        (
            checks::pattern_parse,
            br#"{"a": [{"nope": 1}]}"#,
            "rejected",
        ),
        (
            checks::pattern_match,
            b"{\"a\": [1]}\0{\"a\": 1}",
            "matched",
        ),
        (
            checks::pattern_match,
            b"{\"a\": [1]}\0{\"a\": 2}",
            "not matched",
        ),
        (
            checks::asl_definition,
            br#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}"#,
            "valid",
        ),
        (
            checks::asl_definition,
            br#"{"StartAt": "Q", "States": {}}"#,
            "diagnosed",
        ),
        (checks::asl_jsonpath, b"$.a[1].b", "found"),
        (checks::asl_jsonpath, b"$.a[", "rejected"),
        (
            checks::asl_intrinsic,
            b"States.Format('{} {}', $.n, $.s)",
            "evaluated",
        ),
        (
            checks::asl_intrinsic,
            b"States.ArrayGetItem($.a, 99)",
            "failed",
        ),
        (
            checks::asl_execution,
            b"{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}\0{}",
            "succeeded",
        ),
        (
            checks::asl_execution,
            b"{\"StartAt\": \"F\", \"States\": {\"F\": {\"Type\": \"Fail\"}}}\0{}",
            "ended otherwise",
        ),
        (checks::source_json, b"{\"a\": [1, \"x\"]}", "json"),
        (checks::source_json, b"{\"a\": [1,]}", "not json"),
        (
            checks::template,
            b"Resources:\n  Bus:\n    Type: AWS::Events::EventBus\n    Properties: {Name: orders}\n",
            "template",
        ),
        (checks::template, b"a: [1, 2\nb: 3", "refused"),
        (
            checks::artifacts,
            b"{\"events\": [{\"timestamp\": 1, \"type\": \"ExecutionStarted\", \"id\": 1, \"previousEventId\": 0, \"executionStartedEventDetails\": {\"input\": \"{}\"}}]}",
            "history",
        ),
        (checks::artifacts, b"[{\"source\": \"shop\"}", "no history"),
        (
            checks::transform,
            b"{\"Arn\": \"arn:aws:sqs:us-east-1:1:q\", \"InputPath\": \"$.detail\"}",
            "delivered",
        ),
        (checks::transform, b"\"<s>\" is <d>", "delivered"),
        (checks::jsonata, b"$sum(a)\0{\"a\": [1, 2]}", "evaluated"),
        (checks::jsonata, b"$error('no')", "failed"),
    ];
    for (check, input, want) in cases {
        assert_eq!(check(input), want, "{}", String::from_utf8_lossy(input));
    }
}

/// asl_jsonpath found filters nested in filters, each rescanning the whole document with `$..`
/// for every node: hours of work on a ten-node document. Evaluation now stops after
/// `WORK_LIMIT` steps and says why; a nested filter of ordinary size still answers.
#[test]
fn filters_nested_in_filters_stop_with_an_error_instead_of_running_for_hours() {
    use serde_json::{Map, json};
    use statebridge_engine::jsonpath::{PathError, Scope, WORK_LIMIT, parse};
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fuzz_regressions/asl_jsonpath/nested-root-filters-hang"
    ))
    .unwrap_or_default();
    let path = parse(&text).expect("the fuzzer's path parses");
    let input = json!({"a": [1, {"b": "x", "c": [true, null, 2.5]}], "d": {"e f": {"g": -3}}});
    let (context, variables) = (json!({}), Map::new());
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &variables,
    };
    match path.evaluate(&scope) {
        Err(e @ PathError::TooMuchWork { .. }) => {
            assert!(e.to_string().contains(&WORK_LIMIT.to_string()), "{e}");
        }
        other => panic!("expected TooMuchWork, got {other:?}"),
    }
    // The budget is per evaluation: the next one starts afresh, nested filters included.
    let nested = parse("$.a[?(@.c[?(@ == true)])].b").expect("parses");
    assert_eq!(nested.evaluate(&scope).ok(), Some(json!(["x"])));
}
