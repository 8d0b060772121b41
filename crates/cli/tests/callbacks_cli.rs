//! `statebridge run --callbacks FILE`: a scripted list of answers to task tokens.

mod common;

use common::p;
use serde_json::{Value, json};
use std::path::PathBuf;

/// The developer guide's human approval: the token goes out in an SQS message, and the
/// execution waits for someone to call back (at most a day).
const APPROVAL: &str = r#"{
  "StartAt": "Wait for approval",
  "States": {
    "Wait for approval": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
      "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
                     "MessageBody": {"TaskToken.$": "$$.Task.Token"}},
      "TimeoutSeconds": 86400,
      "HeartbeatSeconds": 3600,
      "End": true
    }
  }
}"#;

fn file(name: &str, text: &str) -> PathBuf {
    common::file("callbacks-cli", name, text)
}

fn run(args: &[&str]) -> (i32, Value, String) {
    let (code, stdout, stderr) = common::run(args);
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (code, json, stderr)
}

#[test]
fn a_scripted_answer_completes_the_wait() {
    let def = file("approval.json", APPROVAL);
    let cbs = file(
        "ok.json",
        r#"[{"at": 1800, "state": "Wait for approval", "heartbeat": true},
            {"at": 5000, "state": "Wait for approval", "success": {"approved": true}}]"#,
    );
    let (code, out, err) = run(&["run", p(&def), "--callbacks", p(&cbs), "--history"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out["status"], "SUCCEEDED");
    assert_eq!(out["output"], json!({"approved": true}));
    let last_task = out["history"]
        .as_array()
        .and_then(|h| h.iter().find(|e| e["type"] == "TaskSucceeded"))
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(last_task["timestamp"], "2026-01-01T01:23:20.000Z");
}

#[test]
fn no_answer_times_out_on_the_heartbeat() {
    let def = file("approval.json", APPROVAL);
    let cbs = file("none.json", "[]");
    let (code, out, _) = run(&["run", p(&def), "--callbacks", p(&cbs)]);
    assert_eq!(code, 1);
    assert_eq!(out["status"], "FAILED");
    assert_eq!(out["error"], "States.Timeout");
}

#[test]
fn pause_lists_the_waiting_tokens() {
    let def = file("approval.json", APPROVAL);
    let (code, out, _) = run(&["run", p(&def), "--pause"]);
    assert_eq!(code, 1);
    assert_eq!(out["status"], "RUNNING");
    let waiting = &out["paused"]["waiting"][0];
    assert_eq!(waiting["state"], "Wait for approval");
    let token = waiting["token"].as_str().unwrap_or_default().to_owned();
    // The token it printed answers it.
    let cbs = file(
        "token.json",
        &json!([{"token": token, "failure": {"error": "Rejected", "cause": "no budget"}}])
            .to_string(),
    );
    let (code, out, _) = run(&["run", p(&def), "--callbacks", p(&cbs)]);
    assert_eq!(code, 1);
    assert_eq!(out["error"], "Rejected");
    assert_eq!(out["cause"], "no budget");
}

#[test]
fn a_bad_callbacks_file_says_where() {
    let def = file("approval.json", APPROVAL);
    let cbs = file(
        "bad.json",
        "[\n  {\"state\": \"Wait for approval\", \"at\": \"soon\", \"success\": 1}\n]",
    );
    let (code, _, err) = run(&["run", p(&def), "--callbacks", p(&cbs)]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json:2:"), "{err}");
    assert!(err.contains("`at` must be a number of seconds"), "{err}");
}
