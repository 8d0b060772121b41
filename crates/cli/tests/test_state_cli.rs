//! `statebridge test-state` from the outside: TestState's request in, its response out, exit
//! codes, and errors that say where.

mod common;

use common::p;
use serde_json::{Value, json};

fn file(name: &str, text: &str) -> std::path::PathBuf {
    common::file("test-state-cli", name, text)
}

/// Runs `test-state` on a request: (exit code, the response as JSON, standard error).
fn test_state(name: &str, request: &str) -> (i32, Value, String) {
    let path = file(name, request);
    let (code, stdout, stderr) = common::run(&["test-state", p(&path)]);
    (
        code,
        serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stderr,
    )
}

/// The AWS guide's first TestState example: a Pass state's data flow, step by step.
#[test]
fn a_pass_state_shows_each_data_flow_step() {
    let (code, out, err) = test_state(
        "pass.json",
        r#"{
  "definition": {"Type": "Pass", "InputPath": "$.payload", "Parameters": {"id.$": "$.id"},
                 "ResultPath": "$.picked", "Next": "Ship"},
  "input": {"payload": {"id": 7}},
  "inspectionLevel": "DEBUG"
}"#,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out["status"], "SUCCEEDED");
    assert_eq!(out["nextState"], "Ship");
    assert_eq!(out["inspectionData"]["afterInputPath"], json!({"id": 7}));
    assert_eq!(out["inspectionData"]["afterParameters"], json!({"id": 7}));
    assert_eq!(
        out["output"],
        json!({"payload": {"id": 7}, "picked": {"id": 7}})
    );
}

/// AWS's shape: definition, input and the mocked result as JSON text.
#[test]
fn members_given_as_json_text_are_read_as_aws_reads_them() {
    let request = json!({
        "definition": json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "ResultSelector": {"total.$": "$.Payload.total"}, "End": true}).to_string(),
        "input": "{\"order\": 1}",
        "mock": {"result": "{\"Payload\": {\"total\": 42}, \"StatusCode\": 200}",
                 "fieldValidationMode": "NONE"},
        "inspectionLevel": "INFO",
    });
    let (code, out, err) = test_state("text.json", &request.to_string());
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, json!({"status": "SUCCEEDED", "output": {"total": 42}}));
}

#[test]
fn a_mocked_error_that_a_retrier_matches_is_retriable_and_exits_1() {
    let (code, out, _) = test_state(
        "retry.json",
        r#"{"definition": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Retry": [{"ErrorEquals": ["Throttled"], "IntervalSeconds": 2}], "End": true},
            "mock": {"errorOutput": {"error": "Throttled", "cause": "slow down"}},
            "inspectionLevel": "DEBUG"}"#,
    );
    assert_eq!(code, 1);
    assert_eq!(out["status"], "RETRIABLE");
    assert_eq!(out["error"], "Throttled");
    assert_eq!(
        out["inspectionData"]["errorDetails"],
        json!({"retryBackoffIntervalSeconds": 2, "retryIndex": 0})
    );
}

#[test]
fn a_state_inside_a_whole_machine_is_found_by_state_name() {
    let (code, out, err) = test_state(
        "machine.json",
        r#"{"definition": {"StartAt": "A", "States": {
               "A": {"Type": "Pass", "Next": "B"},
               "B": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}],
                     "Default": "Small"},
               "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}},
            "stateName": "B", "input": {"n": 5}}"#,
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(out["nextState"], "Big");
    assert!(out.get("inspectionData").is_none(), "INFO shows no steps");
}

#[test]
fn invalid_requests_exit_2_and_say_where() {
    // JSON syntax: file, line and column.
    let (code, _, err) = test_state(
        "syntax.json",
        "{\n  \"definition\": {\"Type\": \"Pass\",}\n}",
    );
    assert_eq!(code, 2);
    assert!(err.contains("syntax.json:2:"), "{err}");
    // A member of the wrong kind: its line and column.
    let (code, _, err) = test_state(
        "level.json",
        "{\"definition\": {\"Type\": \"Pass\", \"End\": true},\n \"inspectionLevel\": \"LOUD\"}",
    );
    assert_eq!(code, 2);
    assert!(err.contains("level.json:2:2"), "{err}");
    assert!(err.contains("INFO, DEBUG or TRACE"), "{err}");
    // A problem in the definition: where it is in the request.
    let (code, _, err) = test_state(
        "def.json",
        "{\"definition\": {\"Type\": \"Pass\",\n  \"InputPath\": \"nope\", \"End\": true}}",
    );
    assert_eq!(code, 2);
    assert!(err.contains("def.json:2:3"), "{err}");
    // In a definition given as text, the place inside that text.
    let request =
        json!({"definition": "{\"Type\": \"Pass\",\n \"InputPath\": \"nope\", \"End\": true}"});
    let (code, _, err) = test_state("deftext.json", &request.to_string());
    assert_eq!(code, 2);
    assert!(
        err.contains("in the `definition` text, line 2, column 15"),
        "{err}"
    );
    // What AWS itself refuses, in AWS's words.
    let (code, _, err) = test_state(
        "task.json",
        r#"{"definition": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}"#,
    );
    assert_eq!(code, 2);
    assert!(err.contains("RoleArn must be specified"), "{err}");
    // A typo in a member's name.
    let (code, _, err) = test_state(
        "typo.json",
        r#"{"definiton": {"Type": "Pass", "End": true}}"#,
    );
    assert_eq!(code, 2);
    assert!(err.contains("unknown member `definiton`"), "{err}");
}
