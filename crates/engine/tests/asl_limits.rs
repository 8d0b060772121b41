//! AWS's limits as AWS applies them, and statebridge's own (named as such), at the sizes users
//! bring: an execution's own `TimeoutSeconds`, the one-year limit of a Standard workflow, a clock
//! that never wraps, retries that record no events, payloads carried around a loop.

use serde_json::{Value, json};
use statebridge_engine::asl::StateMachine;
use statebridge_engine::asl::exec::{Execution, ExecutionOptions, LIMIT_ERROR, Outcome, Status};
use statebridge_engine::asl::mocks::Mocks;

/// Runs `definition` on `input` with `mocks` (the short form) and default options.
fn runs(definition: Value, input: Value, mocks: Value) -> (Outcome, Execution) {
    runs_with(definition, input, mocks, ExecutionOptions::default())
}

fn runs_with(
    definition: Value,
    input: Value,
    mocks: Value,
    options: ExecutionOptions,
) -> (Outcome, Execution) {
    let machine = StateMachine::from_value(&definition).expect("valid definition");
    let options = ExecutionOptions {
        mocks: Mocks::from_value(&mocks, None).expect("valid mocks"),
        ..options
    };
    let mut exec = Execution::new(&machine, input, options);
    let outcome = exec.run_to_end();
    (outcome, exec)
}

fn types(exec: &Execution) -> Vec<String> {
    exec.history()
        .iter()
        .map(|e| e.event_type.to_string())
        .collect()
}

#[test]
fn an_executions_own_timeout_seconds_ends_it_timed_out() {
    // The AWS guide's example: a 60 s Wait in a machine with `TimeoutSeconds: 10`.
    let (outcome, exec) = runs(
        json!({"TimeoutSeconds": 10, "StartAt": "Pause", "States": {
            "Pause": {"Type": "Wait", "Seconds": 60, "End": true}}}),
        json!({}),
        json!({}),
    );
    assert_eq!(outcome.status, Status::TimedOut);
    assert_eq!(outcome.error.as_deref(), Some("States.Timeout"));
    assert_eq!(
        types(&exec),
        ["ExecutionStarted", "WaitStateEntered", "ExecutionTimedOut"]
    );
    let last = exec.history().last().expect("events");
    assert_eq!(last.timestamp(), "2026-01-01T00:00:10.000Z");
    let details = last.details().expect("details");
    assert_eq!(details["error"], "States.Timeout");
    let json = serde_json::to_value(last).expect("serialises");
    assert!(
        json.get("executionTimedOutEventDetails").is_some(),
        "{json}"
    );
}

#[test]
fn a_wait_within_the_timeout_succeeds() {
    let (outcome, _) = runs(
        json!({"TimeoutSeconds": 60, "StartAt": "Pause", "States": {
            "Pause": {"Type": "Wait", "Seconds": 59, "End": true}}}),
        json!({}),
        json!({}),
    );
    assert_eq!(outcome.status, Status::Succeeded);
}

#[test]
fn a_backoff_that_doubles_forever_times_out_after_one_year() {
    // MaxAttempts far beyond what a year holds: the clock must stop at the year, not wrap.
    let (outcome, exec) = runs(
        json!({"StartAt": "Flaky", "States": {"Flaky": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1,
                       "BackoffRate": 2.0, "MaxAttempts": 99999999}],
            "End": true}}}),
        json!({}),
        json!({"Flaky": {"0-99999999": {"Throw": {"Error": "Boom", "Cause": "always"}}}}),
    );
    assert_eq!(outcome.status, Status::TimedOut);
    let last = exec.history().last().expect("events");
    assert_eq!(last.event_type, "ExecutionTimedOut");
    // One year after the start, to the millisecond.
    assert_eq!(last.timestamp(), "2027-01-01T00:00:00.000Z");
    let times: Vec<i64> = exec.history().iter().map(|e| e.millis).collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "time never goes back"
    );
}

/// A Task whose Parameters fail an intrinsic before it is scheduled (no event per attempt),
/// retried almost forever.
fn runaway_retry() -> Value {
    json!({"StartAt": "Bad", "States": {"Bad": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"n.$": "States.StringToJson($.text)"},
        "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1,
                   "BackoffRate": 1.0, "MaxAttempts": 99999999}],
        "End": true}}})
}

#[test]
fn retries_that_record_no_events_count_toward_the_step_budget() {
    // Parameters that fail an intrinsic before the task is scheduled: no event per attempt.
    let (outcome, exec) = runs_with(
        runaway_retry(),
        json!({"text": "{not json"}),
        json!({}),
        ExecutionOptions {
            max_steps: 1_000,
            ..ExecutionOptions::default()
        },
    );
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_deref(), Some(LIMIT_ERROR));
    assert!(
        outcome
            .cause
            .as_deref()
            .unwrap_or("")
            .contains("step budget"),
        "{outcome:?}"
    );
    assert!(exec.history().len() < 10);
}

#[test]
fn the_default_step_budget_stops_a_runaway_retry() {
    let (outcome, _) = runs(runaway_retry(), json!({"text": "{not json"}), json!({}));
    assert_eq!(outcome.status, Status::Failed);
    assert!(
        outcome
            .cause
            .as_deref()
            .unwrap_or("")
            .contains("step budget"),
        "{outcome:?}"
    );
}

/// A Pass/Choice loop over `payload`, counting in a variable (`same`: the payload itself never
/// changes) or in the payload (every state's output is a new text).
fn payload_loop(same: bool) -> Value {
    let (count, next, done) = if same {
        (
            json!({"Type": "Pass", "Assign": {"n.$": "States.MathAdd($n, 1)"}, "Next": "Check"}),
            "$n",
            json!({"Type": "Succeed"}),
        )
    } else {
        (
            json!({"Type": "Pass", "Parameters": {"blob.$": "$.blob", "n.$": "States.MathAdd($.n, 1)"}, "Next": "Check"}),
            "$.n",
            json!({"Type": "Succeed"}),
        )
    };
    json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"n": 0}, "Parameters": {"blob.$": "$.blob", "n": 0}, "Next": "Count"},
        "Count": count,
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": next, "NumericLessThan": 1_000_000, "Next": "Count"}], "Default": "Done"},
        "Done": done}})
}

fn blob_100kb() -> Value {
    json!({"blob": "x".repeat(100 * 1024 - 100)})
}

#[test]
fn a_loop_carrying_the_same_100kb_payload_reaches_the_history_limit_in_bounded_memory() {
    let (outcome, exec) = runs(payload_loop(true), blob_100kb(), json!({}));
    // AWS's limit ends it; each distinct payload text is stored once, so it gets there.
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_deref(), Some("States.Runtime"));
    assert!(
        outcome.cause.as_deref().unwrap_or("").contains("25000"),
        "{outcome:?}"
    );
    assert_eq!(exec.history().len(), 25_000);
}

#[test]
fn a_loop_carrying_a_changing_100kb_payload_stops_at_the_memory_budget() {
    let (outcome, exec) = runs(payload_loop(false), blob_100kb(), json!({}));
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_deref(), Some(LIMIT_ERROR), "{outcome:?}");
    let cause = outcome.cause.unwrap_or_default();
    assert!(cause.contains("memory budget"), "{cause}");
    assert!(cause.contains("not of AWS"), "{cause}");
    // 256 MB of distinct 100 KB texts: about 2,500 rounds of the loop (4 events each), well
    // before AWS's 25,000 events.
    let events = exec.history().len();
    assert!((5_000..20_000).contains(&events), "{events}");
    let last = exec.history().last().expect("events");
    assert_eq!(last.event_type, "ExecutionFailed");
}
