//! `statebridge run --redrive` (RedriveExecution after an unsuccessful end) and
//! `--type EXPRESS` (an Express workflow: CreateStateMachine's refusals, CloudWatch Logs).

mod common;

use common::p;
use serde_json::{Value, json};
use std::path::PathBuf;

/// The developer guide's redrive example: a Pass state, then a Task that fails.
const ORDER: &str = r#"{
  "StartAt": "Prepare",
  "States": {
    "Prepare": {"Type": "Pass", "Result": "ready", "ResultPath": "$.prep", "Next": "Charge"},
    "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "End": true}
  }
}"#;

fn file(name: &str, text: &str) -> PathBuf {
    common::file("redrive-cli", name, text)
}

fn run(args: &[&str]) -> (i32, Value, String) {
    let (code, stdout, stderr) = common::run(args);
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (code, json, stderr)
}

#[test]
fn a_failed_execution_is_redriven_from_its_failed_task() {
    let def = file("order.json", ORDER);
    let mocks = file(
        "mocks.json",
        r#"{"Charge": {"0": {"Throw": {"Error": "Declined"}}, "1": {"Return": {"paid": true}}}}"#,
    );
    let (code, out, err) = run(&["run", p(&def), "--mocks", p(&mocks)]);
    assert_eq!((code, out["status"].clone()), (1, json!("FAILED")), "{err}");

    let (code, out, err) = run(&[
        "run",
        p(&def),
        "--mocks",
        p(&mocks),
        "--redrive",
        "--history",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out["status"], "SUCCEEDED");
    assert_eq!(out["redriveCount"], 1);
    assert_eq!(out["attempts"][0]["status"], "FAILED");
    assert_eq!(out["attempts"][0]["error"], "Declined");
    let types: Vec<&str> = out["history"]
        .as_array()
        .map(|h| h.iter().filter_map(|e| e["type"].as_str()).collect())
        .unwrap_or_default();
    let at = types.iter().position(|t| *t == "ExecutionRedriven");
    assert_eq!(at.map(|i| types[i - 1]), Some("ExecutionFailed"));

    // A second --redrive: AWS refuses to redrive a SUCCEEDED execution.
    let (code, out, _) = run(&[
        "run",
        p(&def),
        "--mocks",
        p(&mocks),
        "--redrive",
        "--redrive",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out["redriveCount"], 1);
    assert_eq!(
        out["redriveRefused"],
        json!({"error": "ExecutionNotRedrivable", "message": "Execution is SUCCEEDED and cannot be redriven."})
    );
}

#[test]
fn an_express_machine_refuses_callbacks_and_logs_to_cloudwatch() {
    let def = file(
        "publish.json",
        r#"{"StartAt": "Publish", "States": {"Publish": {"Type": "Task",
  "Resource": "arn:aws:states:::sns:publish.waitForTaskToken", "End": true}}}"#,
    );
    let (code, _, err) = run(&["run", p(&def), "--type", "EXPRESS"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("publish.json:2:15: ")
            && err.contains(
                "Express state machine does not support '.waitForTaskToken' service integration"
            ),
        "{err}"
    );
    // As a Standard workflow the same definition runs.
    let (code, _, err) = run(&["run", p(&def)]);
    assert_eq!(code, 0, "{err}");

    let def = file(
        "pass.json",
        r#"{"StartAt": "LogInput", "States": {"LogInput": {"Type": "Pass", "End": true}}}"#,
    );
    let (code, out, err) = run(&["run", p(&def), "--type", "EXPRESS", "--history"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.get("history").is_none());
    assert_eq!(out["logs"][0]["type"], "ExecutionStarted");
    assert_eq!(out["logs"][3]["type"], "ExecutionSucceeded");
    assert_eq!(out["logs"][3]["previous_event_id"], "3");
    assert!(
        out["logs"][0]["execution_arn"]
            .as_str()
            .is_some_and(|a| a.contains(":express:StateMachine:execution:")),
        "{}",
        out["logs"][0]
    );
    let (code, _, err) = run(&["run", p(&def), "--type", "QUICK"]);
    assert_eq!(code, 2);
    assert!(err.contains("STANDARD or EXPRESS"), "{err}");
}
