//! Timeouts, heartbeats and callbacks as the Step Functions developer guide describes them:
//! an execution's own `TimeoutSeconds`, `HeartbeatSeconds` as a clock of its own, and task
//! tokens answered with `SendTaskSuccess` / `SendTaskFailure` / `SendTaskHeartbeat`.

use serde_json::{Value, json};
use statebridge_engine::asl::callbacks::{
    CallbackAnswer, CallbackKind, CallbackTarget, Callbacks, Unanswered,
};
use statebridge_engine::asl::exec::{Execution, ExecutionOptions, Status};
use statebridge_engine::asl::mocks::Mocks;
use statebridge_engine::asl::{HistoryEvent, Outcome, StateMachine};
use statebridge_engine::system::{Origin, System, SystemOptions};
use statebridge_engine::workspace::Workspace;

fn machine(v: Value) -> StateMachine {
    StateMachine::from_value(&v).unwrap_or_else(|e| panic!("{e}"))
}

fn run_with(def: Value, input: Value, mocks: Value, callbacks: Callbacks) -> Run {
    let options = ExecutionOptions {
        mocks: Mocks::from_value(&mocks, None).unwrap_or_else(|e| panic!("{e}")),
        callbacks,
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine(def), input, options);
    let outcome = exec.run_to_end();
    let paused = exec.paused().cloned();
    Run {
        outcome,
        history: exec.history().to_vec(),
        paused,
    }
}

struct Run {
    outcome: Outcome,
    history: Vec<HistoryEvent>,
    paused: Option<statebridge_engine::asl::callbacks::Paused>,
}

impl Run {
    fn types(&self) -> Vec<String> {
        self.history
            .iter()
            .map(|e| e.event_type.as_str().to_owned())
            .collect()
    }

    /// The event of this type (the first), as GetExecutionHistory shows it.
    fn event(&self, ty: &str) -> Value {
        let e = self
            .history
            .iter()
            .find(|e| e.event_type.as_str() == ty)
            .unwrap_or_else(|| panic!("no {ty} in {:?}", self.types()));
        serde_json::to_value(e).unwrap_or(Value::Null)
    }

    fn time(&self, ty: &str) -> String {
        self.event(ty)["timestamp"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

fn answers(v: Value) -> Callbacks {
    Callbacks::from_value(&v).unwrap_or_else(|e| panic!("{e}"))
}

/// The developer guide's human-approval step: a message with the task token goes to a queue,
/// and the execution waits until someone calls back.
fn approval(extra: Value) -> Value {
    let mut task = json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/approvals",
            "MessageBody": {"Message.$": "$.message", "TaskToken.$": "$$.Task.Token"}
        },
        "Catch": [{"ErrorEquals": ["Rejected"], "ResultPath": "$.rejection", "Next": "Rejected"}],
        "Next": "Approved"
    });
    if let (Some(t), Some(e)) = (task.as_object_mut(), extra.as_object()) {
        t.extend(e.clone());
    }
    json!({"StartAt": "Wait for approval", "States": {
        "Wait for approval": task,
        "Approved": {"Type": "Pass", "End": true},
        "Rejected": {"Type": "Fail", "Error": "Rejected"}
    }})
}

fn order() -> Value {
    json!({"message": "Approve order O-1?"})
}

#[test]
fn an_execution_that_runs_past_its_timeout_seconds_times_out() {
    // "TimeoutSeconds: if the execution runs longer than the specified seconds, the execution
    // fails with a States.Timeout error" — it ends TIMED_OUT, with ExecutionTimedOut.
    let def = json!({"TimeoutSeconds": 10, "StartAt": "Wait", "States": {
        "Wait": {"Type": "Wait", "Seconds": 60, "End": true}}});
    let run = run_with(def, json!({}), json!({}), Callbacks::none());
    assert_eq!(run.outcome.status, Status::TimedOut);
    assert_eq!(run.outcome.error.as_deref(), Some("States.Timeout"));
    assert_eq!(
        run.types().last().map(String::as_str),
        Some("ExecutionTimedOut")
    );
    assert_eq!(run.time("ExecutionTimedOut"), "2026-01-01T00:00:10.000Z");
}

#[test]
fn a_timed_out_execution_puts_its_status_change_on_the_bus() {
    // A rule on `aws.states` "Step Functions Execution Status Change" with status TIMED_OUT
    // starts the compensation.
    let sm = "arn:aws:states:us-east-1:123456789012:stateMachine:";
    let ws = Workspace::from_value(&json!({
        "name": "timeout",
        "event": {"version": "0", "id": "e-1", "detail-type": "OrderCreated", "source": "shop",
                  "account": "123456789012", "time": "2026-03-01T10:00:00Z",
                  "region": "us-east-1", "resources": [], "detail": {"orderId": "O-1"}},
        "rules": {"Rules": [
            {"Name": "orders", "EventPattern": {"detail-type": ["OrderCreated"]},
             "Targets": [{"Id": "pay", "Arn": format!("{sm}Payment"), "InputPath": "$.detail"}]},
            {"Name": "payment-timed-out", "EventPattern": {"source": ["aws.states"],
                "detail-type": ["Step Functions Execution Status Change"],
                "detail": {"status": ["TIMED_OUT"]}},
             "Targets": [{"Id": "compensate", "Arn": format!("{sm}Compensate")}]}
        ]},
        "machines": {
            "Payment": {"TimeoutSeconds": 10, "StartAt": "Slow", "States": {
                "Slow": {"Type": "Wait", "Seconds": 60, "End": true}}},
            "Compensate": {"StartAt": "Undo", "States": {"Undo": {"Type": "Pass", "End": true}}}
        },
        "mocks": {}
    }))
    .unwrap_or_else(|e| panic!("{e}"));
    let report = System::from_workspace(&ws, SystemOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .run();
    let runs: Vec<(&str, Status)> = report
        .executions
        .iter()
        .map(|e| (e.machine.as_str(), e.status))
        .collect();
    assert_eq!(
        runs,
        [
            ("Payment", Status::TimedOut),
            ("Compensate", Status::Succeeded)
        ]
    );
    let change = &report.events[report.executions[1].event];
    assert_eq!(change.origin, Origin::StatusChange { execution: 0 });
    assert_eq!(change.event["detail"]["status"], "TIMED_OUT");
}

/// An activity whose worker heartbeats (`Heartbeats`, seconds after it starts) and answers
/// after `Duration` seconds.
fn worker(heartbeats: Value, duration: u64) -> Value {
    json!({"Work": {"0": {"Return": {"done": true}, "Duration": duration, "Heartbeats": heartbeats}}})
}

fn activity(catch: &str) -> Value {
    json!({"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work",
                 "TimeoutSeconds": 300, "HeartbeatSeconds": 30,
                 "Catch": [{"ErrorEquals": [catch], "ResultPath": "$.error", "Next": "Worker lost"}],
                 "End": true},
        "Worker lost": {"Type": "Pass", "End": true}}})
}

#[test]
fn a_worker_that_heartbeats_in_time_may_run_past_heartbeat_seconds() {
    let run = run_with(
        activity("States.HeartbeatTimeout"),
        json!({}),
        worker(json!([25, 50, 75]), 90),
        Callbacks::none(),
    );
    assert_eq!(run.outcome.status, Status::Succeeded);
    assert_eq!(run.outcome.output, Some(json!({"done": true})));
    // A heartbeat is not an event of the history.
    assert_eq!(
        run.types(),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "ActivityScheduled",
            "ActivityStarted",
            "ActivitySucceeded",
            "TaskStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(run.time("ActivitySucceeded"), "2026-01-01T00:01:30.000Z");
}

#[test]
fn a_late_heartbeat_is_caught_as_states_heartbeat_timeout() {
    // The worker heartbeats at 25 s, then nothing until 70 s: 30 s after 25 s it is lost.
    for catch in ["States.HeartbeatTimeout", "States.Timeout", "States.ALL"] {
        let run = run_with(
            activity(catch),
            json!({}),
            worker(json!([25, 70]), 90),
            Callbacks::none(),
        );
        assert_eq!(run.outcome.status, Status::Succeeded, "{catch}");
        let timed_out = run.event("ActivityTimedOut");
        assert_eq!(timed_out["timestamp"], "2026-01-01T00:00:55.000Z");
        // AWS records the error as States.Timeout; only Retry and Catch know the other name.
        assert_eq!(
            timed_out["activityTimedOutEventDetails"]["error"],
            "States.Timeout"
        );
        assert_eq!(
            run.outcome
                .output
                .as_ref()
                .map(|o| o["error"]["Error"].clone()),
            Some(json!("States.Timeout"))
        );
    }
    // A TimeoutSeconds lapse is not a heartbeat timeout.
    let def = activity("States.HeartbeatTimeout");
    let run = run_with(
        def,
        json!({}),
        worker(
            json!([25, 50, 75, 100, 125, 150, 175, 200, 225, 250, 275, 299]),
            310,
        ),
        Callbacks::none(),
    );
    assert_eq!(run.outcome.status, Status::Failed);
    assert_eq!(run.time("ActivityTimedOut"), "2026-01-01T00:05:00.000Z");
}

#[test]
fn heartbeat_seconds_path_reads_the_state_input() {
    let def = json!({"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work",
                 "HeartbeatSecondsPath": "$.heartbeat", "End": true}}});
    let run = run_with(
        def,
        json!({"heartbeat": 10}),
        worker(json!([]), 20),
        Callbacks::none(),
    );
    assert_eq!(run.outcome.status, Status::Failed);
    assert_eq!(run.time("ActivityTimedOut"), "2026-01-01T00:00:10.000Z");
    assert_eq!(
        run.event("ActivityScheduled")["activityScheduledEventDetails"]["heartbeatInSeconds"],
        10
    );
}

#[test]
fn the_approval_waits_for_send_task_success() {
    // An hour later, someone approves: SendTaskSuccess with the output.
    let cbs =
        answers(json!([{"at": 3600, "state": "Wait for approval", "success": {"approved": true}}]));
    let run = run_with(approval(json!({})), order(), json!({}), cbs);
    assert_eq!(run.outcome.status, Status::Succeeded);
    assert_eq!(run.outcome.output, Some(json!({"approved": true})));
    assert_eq!(
        run.types(),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskSubmitted",
            "TaskSucceeded",
            "TaskStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    // TaskSubmitted is the send's answer, when the message was sent; not the callback's result.
    let submitted = run.event("TaskSubmitted");
    assert_eq!(submitted["timestamp"], "2026-01-01T00:00:00.000Z");
    let output: Value = serde_json::from_str(
        submitted["taskSubmittedEventDetails"]["output"]
            .as_str()
            .unwrap_or("null"),
    )
    .unwrap_or(Value::Null);
    assert!(output["MessageId"].is_string(), "{output}");
    assert_eq!(output["SdkHttpMetadata"]["HttpStatusCode"], 200);
    assert_eq!(run.time("TaskSucceeded"), "2026-01-01T01:00:00.000Z");
}

#[test]
fn send_task_failure_is_the_task_error_a_catch_sees() {
    let cbs = answers(json!([{"at": 60, "state": "Wait for approval",
        "failure": {"error": "Rejected", "cause": "Too expensive"}}]));
    let run = run_with(approval(json!({})), order(), json!({}), cbs);
    assert_eq!(run.outcome.status, Status::Failed);
    assert_eq!(run.outcome.error.as_deref(), Some("Rejected"));
    let failed = run.event("TaskFailed");
    assert_eq!(failed["taskFailedEventDetails"]["cause"], "Too expensive");
    assert_eq!(failed["timestamp"], "2026-01-01T00:01:00.000Z");
}

#[test]
fn a_token_nobody_answers_times_out_as_the_task_says() {
    // With TimeoutSeconds: TaskTimedOut after it.
    let run = run_with(
        approval(json!({"TimeoutSeconds": 600})),
        order(),
        json!({}),
        answers(json!([])),
    );
    assert_eq!(run.outcome.status, Status::Failed);
    assert_eq!(run.outcome.error.as_deref(), Some("States.Timeout"));
    assert_eq!(run.time("TaskTimedOut"), "2026-01-01T00:10:00.000Z");
    // With HeartbeatSeconds and heartbeats that stop: 5 minutes after the last one.
    let cbs = answers(json!([
        {"at": 240, "state": "Wait for approval", "heartbeat": true},
        {"at": 480, "state": "Wait for approval", "heartbeat": true}
    ]));
    let run = run_with(
        approval(json!({"HeartbeatSeconds": 300})),
        order(),
        json!({}),
        cbs,
    );
    assert_eq!(run.time("TaskTimedOut"), "2026-01-01T00:13:00.000Z");
    // Without either: until the execution's own limit.
    let mut def = approval(json!({}));
    def["TimeoutSeconds"] = json!(86_400);
    let run = run_with(def, order(), json!({}), answers(json!([])));
    assert_eq!(run.outcome.status, Status::TimedOut);
    assert_eq!(run.time("ExecutionTimedOut"), "2026-01-02T00:00:00.000Z");
}

#[test]
fn an_answer_sent_after_the_task_timed_out_reaches_nothing() {
    let cbs = answers(json!([{"at": 900, "state": "Wait for approval", "success": {}}]));
    let run = run_with(
        approval(json!({"TimeoutSeconds": 600})),
        order(),
        json!({}),
        cbs,
    );
    assert_eq!(run.outcome.status, Status::Failed);
}

fn pausing(list: Vec<CallbackAnswer>) -> Callbacks {
    Callbacks::new(list, Unanswered::Pause)
}

#[test]
fn an_unanswered_token_pauses_the_run_until_it_is_answered() {
    let def = approval(json!({"HeartbeatSeconds": 300}));
    let run = run_with(def.clone(), order(), json!({}), pausing(vec![]));
    assert_eq!(run.outcome.status, Status::Running);
    let paused = run.paused.clone().unwrap_or_else(|| panic!("not paused"));
    assert_eq!(paused.at_seconds, 0.0);
    assert_eq!(paused.waiting.len(), 1);
    let waiting = &paused.waiting[0];
    assert_eq!(waiting.state, "Wait for approval");
    assert_eq!(
        waiting.input["MessageBody"]["TaskToken"],
        json!(waiting.token)
    );
    assert_eq!(waiting.heartbeat_seconds, Some(300.0));
    // The history stops where it waits: the message was sent.
    assert_eq!(
        run.types().last().map(String::as_str),
        Some("TaskSubmitted")
    );

    // A heartbeat two minutes later: it still waits, now from there.
    let beat = CallbackAnswer {
        at: Some(120.0),
        target: CallbackTarget::Token(waiting.token.clone()),
        kind: CallbackKind::Heartbeat,
    };
    let run = run_with(def.clone(), order(), json!({}), pausing(vec![beat.clone()]));
    let paused = run.paused.clone().unwrap_or_else(|| panic!("not paused"));
    assert_eq!(paused.at_seconds, 120.0);
    assert_eq!(paused.waiting[0].times_out_at_seconds, Some(420.0));

    // Then the answer: the run goes on from there to the end.
    let ok = CallbackAnswer {
        at: Some(120.0),
        target: CallbackTarget::Token(waiting.token.clone()),
        kind: CallbackKind::Success(json!({"approved": true})),
    };
    let run = run_with(def, order(), json!({}), pausing(vec![beat, ok]));
    assert_eq!(run.outcome.status, Status::Succeeded);
    assert!(run.paused.is_none());
    assert_eq!(run.time("TaskSucceeded"), "2026-01-01T00:02:00.000Z");
}

#[test]
fn parallel_approvals_pause_together() {
    let branch = |name: &str| {
        json!({"StartAt": name, "States": {name: {"Type": "Task",
            "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
            "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:approvers",
                           "Message": {"TaskToken.$": "$$.Task.Token"}},
            "End": true}}})
    };
    let def = json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel",
        "Branches": [branch("Manager"), branch("Finance")], "End": true}}});
    let run = run_with(def.clone(), json!({}), json!({}), pausing(vec![]));
    let paused = run.paused.clone().unwrap_or_else(|| panic!("not paused"));
    let states: Vec<&str> = paused.waiting.iter().map(|w| w.state.as_str()).collect();
    assert_eq!(states, ["Manager", "Finance"]);
    assert_ne!(paused.waiting[0].token, paused.waiting[1].token);
    // Manager answers: the run pauses again, on Finance alone.
    let manager = CallbackAnswer {
        at: Some(30.0),
        target: CallbackTarget::State("Manager".into()),
        kind: CallbackKind::Success(json!("yes")),
    };
    let run = run_with(
        def.clone(),
        json!({}),
        json!({}),
        pausing(vec![manager.clone()]),
    );
    let paused = run.paused.clone().unwrap_or_else(|| panic!("not paused"));
    let states: Vec<&str> = paused.waiting.iter().map(|w| w.state.as_str()).collect();
    assert_eq!(states, ["Finance"]);
    assert_eq!(paused.at_seconds, 0.0);
    let finance = CallbackAnswer {
        at: Some(45.0),
        target: CallbackTarget::State("Finance".into()),
        kind: CallbackKind::Success(json!("yes too")),
    };
    let run = run_with(def, json!({}), json!({}), pausing(vec![manager, finance]));
    assert_eq!(run.outcome.status, Status::Succeeded);
    assert_eq!(run.outcome.output, Some(json!(["yes", "yes too"])));
}

#[test]
fn an_activity_waits_for_its_worker_too() {
    let def = json!({"StartAt": "Review", "States": {"Review": {"Type": "Task",
        "Resource": "arn:aws:states:us-east-1:123456789012:activity:review", "End": true}}});
    let run = run_with(def.clone(), json!({"doc": 1}), json!({}), pausing(vec![]));
    let paused = run.paused.clone().unwrap_or_else(|| panic!("not paused"));
    assert_eq!(paused.waiting[0].input, json!({"doc": 1}));
    assert_eq!(
        run.types().last().map(String::as_str),
        Some("ActivityStarted")
    );
    let cbs = answers(json!([{"token": paused.waiting[0].token, "success": "reviewed"}]));
    let run = run_with(def, json!({"doc": 1}), json!({}), cbs);
    assert_eq!(run.outcome.output, Some(json!("reviewed")));
}

#[test]
fn a_mock_still_answers_before_any_callback() {
    let mocks = json!({"Wait for approval": {"0": {"Return": {"approved": "mocked"}}}});
    let run = run_with(approval(json!({})), order(), mocks, pausing(vec![]));
    assert_eq!(run.outcome.output, Some(json!({"approved": "mocked"})));
}
