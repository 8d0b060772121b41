//! Execution of a definition on an arbitrary input, under a step budget, a history limit and a
//! payload limit: every execution ends (no panic, no hang, bounded memory).
//!
//! The input bytes are split at the first 0 byte: the definition text before it, the execution
//! input (JSON) after it; when the part before is not a valid definition, a fixed machine with
//! Choice, Map, Parallel, Retry/Catch and intrinsics runs on the whole input instead, so that the
//! fuzzer explores data flow as well as definitions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use statebridge_engine::asl::StateMachine;
use statebridge_engine::asl::exec::{Execution, ExecutionOptions};

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

fuzz_target!(|data: &[u8]| {
    let (def_bytes, input_bytes) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&[][..], data),
    };
    let machine = std::str::from_utf8(def_bytes)
        .ok()
        .and_then(|t| t.parse::<StateMachine>().ok())
        .or_else(|| FIXED.parse::<StateMachine>().ok());
    let Some(machine) = machine else {
        return;
    };
    let input: Value = serde_json::from_slice(input_bytes).unwrap_or(Value::Null);
    let options = ExecutionOptions {
        max_steps: 2_000,
        max_history_events: 5_000,
        max_payload_bytes: 64 * 1024,
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine, input, options);
    let _ = exec.run_to_end();
    let _ = exec.history().len();
});
