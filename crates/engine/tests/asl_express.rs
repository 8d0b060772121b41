//! Express workflows as the Step Functions developer guide describes them ("Standard vs.
//! Express Workflows"): at most five minutes, no `.sync` or `.waitForTaskToken` integrations
//! and no activities (CreateStateMachine refuses them), and no execution history API: the
//! events go to CloudWatch Logs.

use serde_json::{Value, json};
use statebridge_engine::asl::exec::{Execution, ExecutionOptions, Status};
use statebridge_engine::asl::{StateMachine, express};

fn refused(resource: &str, state: &str) -> Vec<String> {
    let text = json!({"StartAt": state, "States": {state: {"Type": "Task", "Resource": resource, "End": true}}})
        .to_string();
    express::validate(&text)
        .iter()
        .map(|d| format!("{} {} at {}", d.code, d.message, d.pointer))
        .collect()
}

/// The messages AWS's CreateStateMachine gives for an EXPRESS machine (InvalidDefinition).
#[test]
fn create_state_machine_refuses_what_express_workflows_do_not_support() {
    assert_eq!(
        refused("arn:aws:states:::sns:publish.waitForTaskToken", "Publish"),
        [
            "SCHEMA_VALIDATION_FAILED Express state machine does not support '.waitForTaskToken' service integration at /States/Publish/Resource"
        ]
    );
    assert_eq!(
        refused(
            "arn:aws:states:::states:startExecution.sync:2",
            "StartExecution"
        ),
        [
            "SCHEMA_VALIDATION_FAILED Express state machine does not support '.sync' service integration at /States/StartExecution/Resource"
        ]
    );
    assert_eq!(
        refused(
            "arn:aws:states:us-east-1:123456789012:activity:approve",
            "ActivityTask"
        ),
        [
            "SCHEMA_VALIDATION_FAILED Express state machine does not support Activity ARN at /States/ActivityTask/Resource"
        ]
    );
    // Request-response integrations and Lambda functions are fine.
    assert!(refused("arn:aws:states:::sns:publish", "Publish").is_empty());
    assert!(refused("arn:aws:states:::lambda:invoke", "Invoke").is_empty());
    // Inside a Map's processor too.
    let text = r#"{"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
      "ItemProcessor": {"StartAt": "Run", "States": {"Run": {"Type": "Task",
        "Resource": "arn:aws:states:::ecs:runTask.sync", "End": true}}}}}}"#;
    let found = express::validate(text);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].pointer,
        "/States/Each/ItemProcessor/States/Run/Resource"
    );
    assert_eq!((found[0].line, found[0].column), (Some(3), Some(21)));
}

fn run_express(def: Value) -> Execution {
    let machine = StateMachine::from_value(&def).unwrap_or_else(|e| panic!("{e}"));
    let options = ExecutionOptions {
        express: true,
        name: "cli-test-run".into(),
        state_machine_name: "LoggingWorkflow".into(),
        ..ExecutionOptions::default()
    };
    Execution::new(&machine, json!({"order-id": "test-order-id"}), options)
}

/// "Why does my step function time out after 5 minutes?": an Express workflow with an hour's
/// Wait times out at five minutes, whatever its own TimeoutSeconds says.
#[test]
fn an_express_execution_times_out_after_five_minutes() {
    let mut exec = run_express(
        json!({"TimeoutSeconds": 7200, "StartAt": "Wait", "States": {
        "Wait": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
        "Done": {"Type": "Succeed"}}}),
    );
    let outcome = exec.run_to_end();
    assert_eq!(outcome.status, Status::TimedOut);
    assert_eq!(outcome.error.as_deref(), Some("States.Timeout"));
    let h = exec.history();
    let last = h
        .last()
        .map(|e| (e.event_type.as_str(), e.millis - h[0].millis));
    assert_eq!(last, Some(("ExecutionTimedOut", 300_000)));
    // A shorter TimeoutSeconds of its own still holds.
    let mut exec = run_express(json!({"TimeoutSeconds": 10, "StartAt": "Wait", "States": {
        "Wait": {"Type": "Wait", "Seconds": 60, "End": true}}}));
    exec.run_to_end();
    let h = exec.history();
    assert_eq!(h.last().map(|e| e.millis - h[0].millis), Some(10_000));
}

/// The log events of the developer guide's CloudWatch Logs example: a Pass state, then success.
#[test]
fn its_events_are_cloudwatch_log_events() {
    let mut exec = run_express(json!({"StartAt": "LogInput", "States": {
        "LogInput": {"Type": "Pass", "End": true}}}));
    assert_eq!(exec.run_to_end().status, Status::Succeeded);
    let arn = ExecutionOptions {
        express: true,
        name: "cli-test-run".into(),
        state_machine_name: "LoggingWorkflow".into(),
        ..ExecutionOptions::default()
    }
    .execution_arn();
    assert!(
        arn.starts_with(
            "arn:aws:states:us-east-1:123456789012:express:LoggingWorkflow:cli-test-run:"
        ),
        "{arn}"
    );
    let logs = express::log_events(exec.history(), &arn);
    let types: Vec<&str> = logs.iter().filter_map(|l| l["type"].as_str()).collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    let started = &logs[0];
    assert_eq!(started["id"], "1");
    assert_eq!(started["previous_event_id"], "0");
    assert_eq!(started["redrive_count"], "0");
    assert_eq!(started["execution_arn"], json!(arn));
    assert_eq!(started["event_timestamp"], "1767225600000");
    assert_eq!(
        started["details"]["input"],
        json!("{\"order-id\":\"test-order-id\"}")
    );
    assert_eq!(
        started["details"]["inputDetails"],
        json!({"truncated": false})
    );
    assert_eq!(logs[2]["details"]["name"], "LogInput");
    assert_eq!(logs[3]["previous_event_id"], "3");
    assert_eq!(
        logs[3]["details"]["outputDetails"],
        json!({"truncated": false})
    );
    // `$$.Execution.Id` is the express ARN.
    let mut exec = run_express(json!({"StartAt": "Id", "States": {
        "Id": {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id"}, "End": true}}}));
    assert_eq!(exec.run_to_end().output, Some(json!({"id": arn})));
}
