//! Redrive (`RedriveExecution`) as the Step Functions developer guide describes it: a failed,
//! timed-out or aborted Standard execution goes on from its unsuccessful step with the same
//! input; states that succeeded are not run again; inside a Parallel or an inline Map only the
//! branches or iterations that failed run again; `$$.Execution.RedriveCount` counts.

use serde_json::{Value, json};
use statebridge_engine::asl::exec::{Execution, ExecutionOptions, Status};
use statebridge_engine::asl::mocks::Mocks;
use statebridge_engine::asl::{HistoryEvent, StateMachine};

const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:work";

fn execution(def: Value, mocks: Value, redrives: u32) -> Execution {
    let machine = StateMachine::from_value(&def).unwrap_or_else(|e| panic!("{e}"));
    let options = ExecutionOptions {
        mocks: Mocks::from_value(&mocks, None).unwrap_or_else(|e| panic!("{e}")),
        redrives,
        ..ExecutionOptions::default()
    };
    Execution::new(&machine, json!({"order": 7}), options)
}

fn types(h: &[HistoryEvent]) -> Vec<String> {
    h.iter().map(|e| e.event_type.as_str().to_owned()).collect()
}

fn json_of(e: &HistoryEvent) -> Value {
    serde_json::to_value(e).unwrap_or(Value::Null)
}

/// The guide's example: a Pass state followed by a Task state; the execution fails at the
/// Task, and the redrive reschedules and reruns the Task only.
#[test]
fn a_pass_then_a_task_that_failed_reruns_only_the_task() {
    let def = json!({"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Result": {"ready": true}, "ResultPath": "$.prep", "Next": "Charge"},
        "Charge": {"Type": "Task", "Resource": LAMBDA, "End": true}}});
    let mocks = json!({"Charge": {"0": {"Throw": {"Error": "PaymentDeclined", "Cause": "card expired"}},
                                  "1": {"Return": {"charged": 42}}}});
    let mut exec = execution(def, mocks, 0);
    let first = exec.run_to_end();
    assert_eq!(first.status, Status::Failed);
    assert_eq!(first.error.as_deref(), Some("PaymentDeclined"));
    let failed_at = exec.history().len();

    let second = exec.redrive().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(second.status, Status::Succeeded);
    assert_eq!(second.output, Some(json!({"charged": 42})));
    let h = exec.history().to_vec();
    // The events before the redrive are kept as they were: stepping goes on from there.
    assert_eq!(h.len(), failed_at);
    exec.run_to_end();
    let h = exec.history().to_vec();
    assert_eq!(
        types(&h[failed_at - 1..]),
        [
            "ExecutionFailed",
            "ExecutionRedriven",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    let redriven = json_of(&h[failed_at]);
    assert_eq!(
        redriven["executionRedrivenEventDetails"],
        json!({"redriveCount": 1})
    );
    assert_eq!(redriven["previousEventId"], json!(failed_at));
    // The Task is not entered again: its new attempt follows its one TaskStateEntered.
    let entered = h
        .iter()
        .find(|e| e.event_type.as_str() == "TaskStateEntered")
        .map(|e| e.id);
    assert_eq!(h[failed_at + 1].previous_event_id, entered.unwrap_or(0));
    // The Pass state ran once.
    let passes = types(&h)
        .iter()
        .filter(|t| *t == "PassStateEntered")
        .count();
    assert_eq!(passes, 1);
    // It rescheduled the Task with the same input (the Pass state's output).
    let scheduled = json_of(&h[failed_at + 1]);
    let input: Value = serde_json::from_str(
        scheduled["lambdaFunctionScheduledEventDetails"]["input"]
            .as_str()
            .unwrap_or("null"),
    )
    .unwrap_or(Value::Null);
    assert_eq!(input, json!({"order": 7, "prep": {"ready": true}}));
    assert_eq!(exec.redrives().count, 1);
}

#[test]
fn retries_start_again_and_the_context_counts_the_redrives() {
    let def = json!({"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": LAMBDA,
                   "Parameters": {"redrives.$": "$$.Execution.RedriveCount", "retry.$": "$$.State.RetryCount"},
                   "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                   "End": true}}});
    // Two attempts fail (the try and its one retry); on redrive the count starts again at 0.
    let mocks = json!({"Charge": {"0-1": {"Throw": {"Error": "Busy"}}, "2": {"Return": "ok"}}});
    let mut exec = execution(def, mocks, 1);
    let outcome = exec.run_to_end();
    assert_eq!(outcome.status, Status::Succeeded);
    let scheduled: Vec<Value> = exec
        .history()
        .iter()
        .filter(|e| e.event_type.as_str() == "LambdaFunctionScheduled")
        .map(|e| {
            serde_json::from_str(
                json_of(e)["lambdaFunctionScheduledEventDetails"]["input"]
                    .as_str()
                    .unwrap_or("null"),
            )
            .unwrap_or(Value::Null)
        })
        .collect();
    assert_eq!(
        scheduled,
        [
            json!({"redrives": 0, "retry": 0}),
            json!({"redrives": 0, "retry": 1}),
            json!({"redrives": 1, "retry": 0})
        ]
    );
}

/// An order whose payment Map fails one item: the redrive runs that iteration again, and only
/// it; the other iterations keep their results.
#[test]
fn inside_a_map_only_the_failed_iteration_runs_again() {
    let def = json!({"StartAt": "Pay items", "States": {
        "Pay items": {"Type": "Map", "ItemsPath": "$.items", "End": true,
            "ItemProcessor": {"StartAt": "Pay", "States": {
                "Pay": {"Type": "Task", "Resource": LAMBDA, "End": true}}}}}});
    let mocks = json!({"Pay": {"0": {"Return": "paid a"}, "1": {"Throw": {"Error": "CardDeclined"}},
                               "2": {"Return": "paid c"}, "3": {"Return": "paid b"}}});
    let machine = StateMachine::from_value(&def).unwrap_or_else(|e| panic!("{e}"));
    let options = ExecutionOptions {
        mocks: Mocks::from_value(&mocks, None).unwrap_or_else(|e| panic!("{e}")),
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine, json!({"items": ["a", "b", "c"]}), options);
    assert_eq!(exec.run_to_end().status, Status::Failed);
    let before = exec.history().len();
    let outcome = exec.redrive().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(outcome.output, Some(json!(["paid a", "paid b", "paid c"])));
    exec.run_to_end();
    let after = &exec.history()[before..];
    assert_eq!(
        types(after),
        [
            "ExecutionRedriven",
            "MapIterationStarted",
            "TaskScheduled",
            "TaskStarted",
            "TaskSucceeded",
            "TaskStateExited",
            "MapIterationSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
        .map(|t| if t.starts_with("Task") && t != "TaskStateExited" {
            t.replace("Task", "LambdaFunction")
        } else {
            t.to_owned()
        })
    );
    assert_eq!(
        json_of(&after[1])["mapIterationStartedEventDetails"]["index"],
        json!(1)
    );
    // No second MapStateStarted: the iteration follows the one the Map had.
    let started = exec
        .history()
        .iter()
        .find(|e| e.event_type.as_str() == "MapStateStarted")
        .map(|e| e.id);
    assert_eq!(Some(after[1].previous_event_id), started);
}

#[test]
fn inside_a_parallel_only_the_failed_branch_runs_again() {
    let def = json!({"StartAt": "Both", "States": {
        "Both": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "Ship", "States": {"Ship": {"Type": "Task", "Resource": LAMBDA, "End": true}}},
            {"StartAt": "Bill", "States": {
                "Bill": {"Type": "Pass", "Result": "billed", "Next": "Notify"},
                "Notify": {"Type": "Task", "Resource": LAMBDA, "End": true}}}]}}});
    let mocks = json!({"Ship": {"0": {"Return": "shipped"}},
                       "Notify": {"0": {"Throw": {"Error": "SmtpDown"}}, "1": {"Return": "notified"}}});
    let mut exec = execution(def, mocks, 1);
    let outcome = exec.run_to_end();
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(outcome.output, Some(json!(["shipped", "notified"])));
    let t = types(exec.history());
    let redriven = t.iter().position(|x| x == "ExecutionRedriven").unwrap_or(0);
    // After the redrive: only Notify again (not Ship, not the Pass before it).
    let again: Vec<&String> = t[redriven..]
        .iter()
        .filter(|x| x.ends_with("StateEntered") || x.ends_with("Scheduled"))
        .collect();
    assert_eq!(again, ["LambdaFunctionScheduled"]);
    assert!(!t[redriven..].contains(&"ParallelStateStarted".to_owned()));
}

#[test]
fn a_timed_out_execution_is_redriven_and_its_timeout_counts_again() {
    let def = json!({"TimeoutSeconds": 60, "StartAt": "Slow", "States": {
        "Slow": {"Type": "Task", "Resource": LAMBDA, "End": true}}});
    let mocks =
        json!({"Slow": {"0": {"Return": 1, "Duration": 90}, "1": {"Return": 2, "Duration": 30}}});
    let mut exec = execution(def, mocks, 0);
    assert_eq!(exec.run_to_end().status, Status::TimedOut);
    let outcome = exec.redrive().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(outcome.output, Some(json!(2)));
}

#[test]
fn redrive_is_refused_as_aws_refuses_it() {
    let def = json!({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}});
    let mut exec = execution(def, json!({}), 0);
    exec.run_to_end();
    let no = exec.redrive().err().map(|e| e.to_string());
    assert_eq!(
        no.as_deref(),
        Some("ExecutionNotRedrivable: Execution is SUCCEEDED and cannot be redriven.")
    );

    // Asked for more redrives than it needs: the one after it succeeded is refused.
    let def =
        json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": LAMBDA, "End": true}}});
    let mocks = json!({"T": {"0": {"Throw": {"Error": "E"}}, "1": {"Return": 1}}});
    let mut exec = execution(def, mocks, 3);
    assert_eq!(exec.run_to_end().status, Status::Succeeded);
    let r = exec.redrives();
    assert_eq!(r.count, 1);
    assert_eq!(r.attempts.len(), 1);
    assert_eq!(r.attempts[0].status, Status::Failed);
    assert_eq!(
        r.refused.as_ref().map(|n| n.error.as_str()),
        Some("ExecutionNotRedrivable")
    );

    // Express workflows cannot be redriven at all.
    let def = json!({"StartAt": "T", "States": {"T": {"Type": "Fail", "Error": "E"}}});
    let machine = StateMachine::from_value(&def).unwrap_or_else(|e| panic!("{e}"));
    let options = ExecutionOptions {
        express: true,
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine, json!({}), options);
    assert_eq!(exec.run_to_end().status, Status::Failed);
    assert_eq!(
        exec.redrive().err().map(|e| e.error),
        Some("InvalidArn".to_owned())
    );
}

#[test]
fn a_fail_state_fails_again_on_every_redrive_until_aws_stops_counting() {
    let def = json!({"StartAt": "Stop", "States": {"Stop": {"Type": "Fail", "Error": "Broken"}}});
    let mut exec = execution(def, json!({}), 3);
    let outcome = exec.run_to_end();
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(exec.redrives().count, 3);
    let t = types(exec.history());
    assert_eq!(t.iter().filter(|x| *x == "ExecutionRedriven").count(), 3);
    assert_eq!(t.iter().filter(|x| *x == "FailStateEntered").count(), 1);
    assert_eq!(t.last().map(String::as_str), Some("ExecutionFailed"));
}

/// The `order-redrive` example: the gateway fails the second item; the redrive charges only
/// the second and third items and ships the order.
#[test]
fn the_order_redrive_example_finishes_the_order_on_redrive() {
    let path = format!(
        "{}/../../www/examples/order-redrive.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let ws: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let def = ws["machines"]["OrderPayments"].clone();
    let machine = StateMachine::from_value(&def).unwrap_or_else(|e| panic!("{e}"));
    let options = ExecutionOptions {
        mocks: Mocks::from_value(&ws["mocks"], None).unwrap_or_else(|e| panic!("{e}")),
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine, ws["event"]["detail"].clone(), options);
    let first = exec.run_to_end();
    assert_eq!(first.status, Status::Failed);
    assert_eq!(first.error.as_deref(), Some("PaymentGateway.Unavailable"));
    let outcome = exec.redrive().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(outcome.status, Status::Succeeded);
    let out = outcome.output.unwrap_or(Value::Null);
    assert_eq!(
        out["charges"],
        json!([{"charged": true, "sku": "KEYBOARD"}, {"charged": true, "sku": "MOUSE"}, {"charged": true, "sku": "CABLE"}])
    );
    assert_eq!(out["shipment"], json!({"trackingId": "1Z-5150"}));
    exec.run_to_end();
    let t = types(exec.history());
    // Four charges in all (the failed one included), one validation, one shipment.
    assert_eq!(t.iter().filter(|x| *x == "TaskScheduled").count(), 5);
    assert_eq!(t.iter().filter(|x| *x == "PassStateEntered").count(), 1);
}
