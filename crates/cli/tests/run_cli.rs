//! `statebridge run` from the outside: output, exit codes and located errors.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The order machine of the seeds, reduced: a throttled charge is retried; insufficient funds
/// lead to a refund.
const ORDER: &str = r#"{
  "StartAt": "Charge",
  "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
      "Retry": [{"ErrorEquals": ["Throttled"], "IntervalSeconds": 2, "MaxAttempts": 2}],
      "Catch": [{"ErrorEquals": ["InsufficientFunds"], "ResultPath": "$.error", "Next": "Refund"}],
      "Next": "Done"},
    "Refund": {"Type": "Pass", "Result": "refunded", "ResultPath": "$.refund", "End": true},
    "Done": {"Type": "Succeed"}
  }
}"#;

fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statebridge-run-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn run(args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statebridge"))
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn throttled_charge_is_retried() {
    let def = file("order.json", ORDER);
    let mocks = file(
        "retry.json",
        r#"{"Charge": {"0": {"Throw": {"Error": "Throttled", "Cause": "slow down"}}, "1": {"Return": {"charged": true}}}}"#,
    );
    let (code, out, _) = run(&["run", p(&def), "--mocks", p(&mocks), "--history"]);
    assert_eq!(code, 0);
    assert_eq!(out["status"], "SUCCEEDED");
    assert_eq!(out["output"], serde_json::json!({"charged": true}));
    let types: Vec<&str> = out["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types
            .iter()
            .filter(|t| **t == "LambdaFunctionFailed")
            .count(),
        1
    );
    // The retry waited IntervalSeconds on the virtual clock.
    let last = out["history"].as_array().unwrap().last().unwrap();
    assert_eq!(last["timestamp"], "2026-01-01T00:00:02.000Z");
}

#[test]
fn insufficient_funds_lead_to_a_refund() {
    let def = file("order2.json", ORDER);
    let input = file("input.json", r#"{"orderId": "ORD-1"}"#);
    let mocks = file(
        "refund.json",
        r#"{"StateMachines": {"Order": {"TestCases": {"Broke": {"Charge": "NoMoney"}}}},
        "MockedResponses": {"NoMoney": {"0": {"Throw": {"Error": "InsufficientFunds", "Cause": "balance 0"}}}}}"#,
    );
    let (code, out, _) = run(&[
        "run",
        p(&def),
        "--input",
        p(&input),
        "--mocks",
        p(&mocks),
        "--test-case",
        "Broke",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out["output"],
        serde_json::json!({"orderId": "ORD-1", "error": {"Error": "InsufficientFunds", "Cause": "balance 0"}, "refund": "refunded"})
    );
}

#[test]
fn failures_exit_1_and_invalid_input_exits_2() {
    let def = file("order3.json", ORDER);
    let mocks = file(
        "fail.json",
        r#"{"Charge": {"0-2": {"Throw": {"Error": "Throttled", "Cause": "still slow"}}}}"#,
    );
    let (code, out, _) = run(&["run", p(&def), "--mocks", p(&mocks)]);
    assert_eq!(
        (code, out["status"].as_str(), out["error"].as_str()),
        (1, Some("FAILED"), Some("Throttled"))
    );

    let bad = file(
        "bad.json",
        "{\n  \"StartAt\": \"A\",\n  \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}\n}",
    );
    let (code, _, err) = run(&["run", p(&bad)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.json:3:") && err.contains("state `A`"),
        "{err}"
    );

    let (code, _, err) = run(&[
        "run",
        p(&def),
        "--input",
        p(&file("broken.json", "{\"a\": }")),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.json:1:7"), "{err}");

    let (code, _, err) = run(&[
        "run",
        p(&def),
        "--mocks",
        p(&file("m.json", r#"{"Charge": {"x": {}}}"#)),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("/Charge/x"), "{err}");
}
