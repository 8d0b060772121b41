//! Parallel branches and Map iterations run concurrently on the virtual clock: how long the
//! state takes, the order of their events, and that ids, previous ids and the inspector's state
//! runs still point at the right events.

use serde_json::{Value, json};
use statebridge_engine::asl::StateMachine;
use statebridge_engine::asl::exec::{Execution, ExecutionOptions, Outcome, RunStatus, Status};
use statebridge_engine::asl::history::HistoryEvent;
use statebridge_engine::asl::mocks::Mocks;

/// Runs `definition` on `input` with `mocks` (the short form); checks the history's invariants.
fn runs(definition: Value, input: Value, mocks: Value) -> (Outcome, Execution) {
    let machine = StateMachine::from_value(&definition).expect("valid definition");
    let options = ExecutionOptions {
        mocks: Mocks::from_value(&mocks, None).expect("valid mocks"),
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine, input, options);
    let outcome = exec.run_to_end();
    check_history(&exec);
    (outcome, exec)
}

/// Ids 1..n in order, each previous id earlier, and every state run's ids on its own events.
fn check_history(exec: &Execution) {
    let h = exec.history();
    for (i, e) in h.iter().enumerate() {
        assert_eq!(e.id, i as u64 + 1, "ids are consecutive");
        if i > 0 {
            assert!(
                e.previous_event_id >= 1 && e.previous_event_id < e.id,
                "{e:?}"
            );
        }
        if let Some(prev) = i.checked_sub(1).and_then(|p| h.get(p)) {
            assert!(
                prev.millis <= e.millis,
                "time never goes back: {prev:?} then {e:?}"
            );
        }
    }
    for run in exec.state_runs() {
        let entered = &h[run.entered_event_id as usize - 1];
        assert!(entered.event_type.enters_state(), "{run:?}");
        assert_eq!(name(entered), Some(run.name.as_str()));
        assert!(run.last_event_id >= run.entered_event_id);
        let last = &h[run.last_event_id as usize - 1];
        if run.status == "SUCCEEDED" {
            assert!(last.event_type.exits_state(), "{run:?} ends at {last:?}");
            assert_eq!(name(last), Some(run.name.as_str()));
        }
        if run.status == "ABORTED" {
            assert!(
                last.event_type.as_str().ends_with("StateAborted"),
                "{run:?} ends at {last:?}"
            );
        }
    }
}

fn name(e: &HistoryEvent) -> Option<&str> {
    e.details()?.get("name")?.as_str()
}

fn types(exec: &Execution) -> Vec<String> {
    exec.history()
        .iter()
        .map(|e| e.event_type.to_string())
        .collect()
}

/// Seconds from the first event to the last.
fn elapsed(exec: &Execution) -> i64 {
    let h = exec.history();
    (h[h.len() - 1].millis - h[0].millis) / 1000
}

fn map_of_waits(seconds: u64, max_concurrency: Option<u64>) -> Value {
    let mut map = json!({
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": "Wait",
            "States": {"Wait": {"Type": "Wait", "Seconds": seconds, "End": true}}
        },
        "End": true
    });
    if let Some(k) = max_concurrency {
        map["MaxConcurrency"] = json!(k);
    }
    json!({"StartAt": "Each", "States": {"Each": map}})
}

#[test]
fn a_map_runs_its_iterations_at_once_or_as_many_as_max_concurrency_allows() {
    for (k, seconds) in [
        (None, 5),
        (Some(0), 5),
        (Some(4), 5),
        (Some(2), 10),
        (Some(1), 20),
    ] {
        let (outcome, exec) = runs(map_of_waits(5, k), json!([1, 2, 3, 4]), json!({}));
        assert_eq!(outcome.status, Status::Succeeded);
        assert_eq!(outcome.output, Some(json!([1, 2, 3, 4])));
        assert_eq!(elapsed(&exec), seconds, "MaxConcurrency {k:?}");
    }
}

#[test]
fn an_inline_map_runs_at_most_40_iterations_at_a_time() {
    // 50 items of 5 s: 40 at once, then the last 10 when slots free, whatever is asked above 40.
    let items = json!((1..=50).collect::<Vec<u32>>());
    for k in [None, Some(0), Some(100)] {
        let (outcome, exec) = runs(map_of_waits(5, k), items.clone(), json!({}));
        assert_eq!(outcome.status, Status::Succeeded);
        assert_eq!(outcome.output.as_ref(), Some(&items));
        assert_eq!(elapsed(&exec), 10, "MaxConcurrency {k:?}");
    }
    let (_, exec) = runs(map_of_waits(5, Some(25)), items, json!({}));
    assert_eq!(elapsed(&exec), 10);
}

#[test]
fn a_map_with_a_free_slot_starts_the_next_iteration_when_the_first_one_ends() {
    // Waits of 4, 1, 2 with two slots: 0 and 1 start at 0 s; 2 starts at 1 s and ends at 3 s.
    let def = json!({"StartAt": "Each", "States": {"Each": {
        "Type": "Map", "MaxConcurrency": 2,
        "ItemProcessor": {"StartAt": "Wait", "States": {
            "Wait": {"Type": "Wait", "SecondsPath": "$", "End": true}}},
        "End": true}}});
    let (_, exec) = runs(def, json!([4, 1, 2]), json!({}));
    assert_eq!(elapsed(&exec), 4);
    let started: Vec<(u64, i64)> = exec
        .history()
        .iter()
        .filter(|e| e.event_type == "MapIterationStarted")
        .map(|e| {
            let index = e.details().and_then(|d| d["index"].as_u64()).unwrap_or(99);
            (index, (e.millis - exec.history()[0].millis) / 1000)
        })
        .collect();
    assert_eq!(started, [(0, 0), (1, 0), (2, 1)]);
    let ended: Vec<String> = exec
        .history()
        .iter()
        .filter(|e| e.event_type == "MapIterationSucceeded")
        .map(|e| {
            e.details()
                .map(|d| d["index"].to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(ended, ["1", "2", "0"], "iterations end in time order");
}

#[test]
fn parallel_branches_start_together_and_the_state_ends_with_the_last() {
    let branch = |s: u64| json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": s, "End": true}}});
    let def = json!({"StartAt": "Both", "States": {"Both": {
        "Type": "Parallel", "Branches": [branch(3), branch(7)], "End": true}}});
    let (outcome, exec) = runs(def, json!({"a": 1}), json!({}));
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(outcome.output, Some(json!([{"a": 1}, {"a": 1}])));
    assert_eq!(elapsed(&exec), 7);
    assert_eq!(
        types(&exec),
        [
            "ExecutionStarted",
            "ParallelStateEntered",
            "ParallelStateStarted",
            "WaitStateEntered",
            "WaitStateEntered",
            "WaitStateExited",
            "WaitStateExited",
            "ParallelStateSucceeded",
            "ParallelStateExited",
            "ExecutionSucceeded"
        ]
    );
    let exits: Vec<i64> = exec
        .history()
        .iter()
        .filter(|e| e.event_type == "WaitStateExited")
        .map(|e| (e.millis - exec.history()[0].millis) / 1000)
        .collect();
    assert_eq!(exits, [3, 7]);
}

#[test]
fn a_parallel_fails_with_the_branch_that_fails_first_in_time() {
    let def = json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true,
    "Branches": [
        {"StartAt": "Slow", "States": {
            "Slow": {"Type": "Wait", "Seconds": 10, "Next": "SlowFail"},
            "SlowFail": {"Type": "Fail", "Error": "Slow"}}},
        {"StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true}}}
    ]}}});
    let mocks = json!({"Call": {"0": {"Throw": {"Error": "Fast", "Cause": "boom"}}}});
    let (outcome, exec) = runs(def, json!({}), mocks);
    assert_eq!(outcome.status, Status::Failed);
    assert_eq!(outcome.error.as_deref(), Some("Fast"));
    assert_eq!(
        elapsed(&exec),
        0,
        "the slow branch is aborted, not waited for"
    );
    assert_eq!(
        types(&exec),
        [
            "ExecutionStarted",
            "ParallelStateEntered",
            "ParallelStateStarted",
            "WaitStateEntered",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionFailed",
            "WaitStateAborted",
            "TaskStateAborted",
            "ParallelStateFailed",
            "ExecutionFailed"
        ]
    );
    let aborted: Vec<_> = exec
        .state_runs()
        .into_iter()
        .map(|r| (r.name.clone(), r.status))
        .collect();
    assert!(
        aborted.contains(&("Slow".into(), RunStatus::Aborted)),
        "{aborted:?}"
    );
}

/// The corpus's `timeouts/test_service_lambda_map_timeout_0`, recorded on AWS.
#[test]
fn concurrent_iterations_interleave_and_abort_as_aws_records() {
    let def = json!({"StartAt": "MapWait", "States": {"MapWait": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "LambdaInvoke", "States": {"LambdaInvoke": {
            "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "TimeoutSeconds": 5, "End": true}}}}}});
    let timeout = json!({"Return": {}, "Duration": 6});
    let mocks = json!({"LambdaInvoke": {"0-3": timeout}});
    let (outcome, exec) = runs(def, json!([1, 2, 3, 4]), mocks);
    assert_eq!(outcome.error.as_deref(), Some("States.Timeout"));
    let mut want = vec!["ExecutionStarted", "MapStateEntered", "MapStateStarted"];
    want.extend(["MapIterationStarted"; 4]);
    for _ in 0..4 {
        want.extend(["TaskStateEntered", "TaskScheduled"]);
    }
    want.extend(["TaskStarted"; 4]);
    want.extend(["TaskTimedOut"; 4]);
    want.push("MapIterationFailed");
    for _ in 0..3 {
        want.extend(["TaskStateAborted", "MapIterationAborted"]);
    }
    want.extend(["TaskStateAborted", "MapStateFailed", "ExecutionFailed"]);
    assert_eq!(types(&exec), want);
    assert_eq!(elapsed(&exec), 5, "the timeout, not the mocked duration");
    // Each iteration's events chain back through its own line.
    let h = exec.history();
    for e in h.iter().filter(|e| e.event_type == "TaskTimedOut") {
        let started = &h[e.previous_event_id as usize - 1];
        assert_eq!(started.event_type, "TaskStarted");
        let scheduled = &h[started.previous_event_id as usize - 1];
        assert_eq!(scheduled.event_type, "TaskScheduled");
        // The inspector finds the run of the iteration the event belongs to.
        let run = exec.inspection(e.id).expect("a run");
        assert_eq!(run.entered_event_id, scheduled.previous_event_id);
    }
    let aborted = h
        .iter()
        .filter(|e| e.event_type == "MapIterationAborted")
        .map(|e| {
            e.details()
                .map(|d| d["index"].to_string())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>();
    assert_eq!(aborted, ["1", "2", "3"]);
}

#[test]
fn max_concurrency_one_keeps_one_iteration_after_another() {
    let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "MaxConcurrency": 1,
        "ItemProcessor": {"StartAt": "P", "States": {
            "P": {"Type": "Pass", "Next": "Q"}, "Q": {"Type": "Pass", "End": true}}},
        "End": true}}});
    let (_, exec) = runs(def, json!([1, 2]), json!({}));
    let iteration = [
        "MapIterationStarted",
        "PassStateEntered",
        "PassStateExited",
        "PassStateEntered",
        "PassStateExited",
        "MapIterationSucceeded",
    ];
    let mut want = vec!["ExecutionStarted", "MapStateEntered", "MapStateStarted"];
    want.extend(iteration);
    want.extend(iteration);
    want.extend(["MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]);
    assert_eq!(types(&exec), want);
}

#[test]
fn unbounded_iterations_of_pass_states_interleave_step_by_step() {
    let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "End": true}}});
    let (_, exec) = runs(def, json!([1, 2]), json!({}));
    let t = types(&exec);
    assert_eq!(
        t[3..11],
        [
            "MapIterationStarted",
            "MapIterationStarted",
            "PassStateEntered",
            "PassStateExited",
            "PassStateEntered",
            "PassStateExited",
            "MapIterationSucceeded",
            "MapIterationSucceeded"
        ]
    );
    // The inspector's runs follow the renumbering: each Pass run's input is its own item.
    let runs: Vec<_> = exec
        .state_runs()
        .into_iter()
        .filter(|r| r.name == "P")
        .map(|r| (r.entered_event_id, r.output.as_ref().map(|p| p.value())))
        .collect();
    assert_eq!(runs, [(6, Some(json!(1))), (8, Some(json!(2)))]);
    let run = exec.inspection(7).expect("the event belongs to a run");
    assert_eq!(run.name, "P");
}

#[test]
fn tolerated_failures_let_the_other_iterations_finish() {
    let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map",
        "ToleratedFailureCount": 1,
        "ItemProcessor": {"StartAt": "C", "States": {"C": {"Type": "Choice",
            "Choices": [{"Variable": "$", "NumericEquals": 2, "Next": "Bad"}], "Default": "W"},
            "Bad": {"Type": "Fail", "Error": "Two"},
            "W": {"Type": "Wait", "Seconds": 2, "End": true}}},
        "End": true}}});
    let (outcome, exec) = runs(def.clone(), json!([1, 2, 3]), json!({}));
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(
        outcome.output,
        Some(json!([1, {"Error": "Two", "Cause": null}, 3]))
    );
    assert_eq!(elapsed(&exec), 2);
    // Two failures are one too many: the Map fails when the second one fails.
    let (outcome, exec) = runs(def, json!([2, 1, 2]), json!({}));
    assert_eq!(
        outcome.error.as_deref(),
        Some("States.ExceedToleratedFailureThreshold")
    );
    assert_eq!(elapsed(&exec), 0);
    let t = types(&exec);
    assert!(t.contains(&"WaitStateAborted".to_owned()), "{t:?}");
    assert_eq!(t.iter().filter(|t| *t == "MapIterationFailed").count(), 2);
}

#[test]
fn an_error_cause_names_the_renumbered_entered_event() {
    // The second iteration fails in its second state with a cause naming that state's Entered event.
    let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map",
        "ItemProcessor": {"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Pass", "InputPath": "$.missing", "End": true}}},
        "End": true}}});
    let (outcome, exec) = runs(def, json!([{"missing": 1}, {}]), json!({}));
    assert_eq!(outcome.error.as_deref(), Some("States.Runtime"));
    let cause = outcome.cause.unwrap_or_default();
    let id: u64 = cause
        .split("event id #")
        .nth(1)
        .and_then(|r| r.split(')').next())
        .and_then(|d| d.parse().ok())
        .expect("an id in the cause");
    let entered = &exec.history()[id as usize - 1];
    assert_eq!(entered.event_type, "PassStateEntered");
    assert_eq!(name(entered), Some("B"));
    assert_eq!(
        entered.details().and_then(|d| d["input"].as_str()),
        Some("{}")
    );
}

#[test]
fn nested_maps_and_parallels_keep_their_times_and_ids() {
    let inner = json!({"Type": "Map", "ItemsPath": "$.waits",
        "ItemProcessor": {"StartAt": "W", "States": {
            "W": {"Type": "Wait", "SecondsPath": "$", "End": true}}},
        "End": true});
    let def = json!({"StartAt": "Outer", "States": {"Outer": {"Type": "Map", "End": true,
    "ItemProcessor": {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "End": true,
        "Branches": [
            {"StartAt": "Inner", "States": {"Inner": inner}},
            {"StartAt": "Short", "States": {"Short": {"Type": "Wait", "Seconds": 1, "End": true}}}
        ]}}}}}});
    let input = json!([{"waits": [2, 3]}, {"waits": [4]}]);
    let (outcome, exec) = runs(def.clone(), input, json!({}));
    assert_eq!(outcome.status, Status::Succeeded);
    assert_eq!(elapsed(&exec), 4);
    // A failure deep inside: the other iteration is aborted in the middle of its nested Map.
    let input = json!([{"waits": [2, "x"]}, {"waits": [4]}]);
    let (outcome, exec) = runs(def, input, json!({}));
    assert_eq!(outcome.error.as_deref(), Some("States.Runtime"));
    assert_eq!(elapsed(&exec), 0);
    let t = types(&exec);
    assert!(t.contains(&"MapIterationAborted".to_owned()), "{t:?}");
}

/// A sibling aborted by a failing branch stops where it is: it calls no more tasks, so a later
/// invocation of the same state (here, the Parallel retried) gets the next mocked answer in
/// the order AWS would hand them out. (Before the scheduler, the aborted branch ran to its end
/// first and used up answers.)
#[test]
fn an_aborted_branch_consumes_no_more_mocked_answers() {
    let slow = json!({"StartAt": "First", "States": {
        "First": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Second"},
        "Second": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
    let failing = json!({"StartAt": "Boom", "States": {
        "Boom": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}});
    let (outcome, exec) = runs(
        json!({"StartAt": "Both", "States": {"Both": {"Type": "Parallel",
            "Branches": [slow, failing],
            "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 1, "MaxAttempts": 1}],
            "End": true}}}),
        json!({}),
        json!({
            "First": {"0-1": {"Return": {"first": true}, "Duration": 5}},
            "Second": {"0": {"Return": "second call"}, "1": {"Return": "second call, again"}},
            "Boom": {"0": {"Throw": {"Error": "Boom", "Cause": "once"}, "Duration": 1},
                     "1": {"Return": "fine"}}}),
    );
    assert_eq!(outcome.status, Status::Succeeded);
    // The first attempt's slow branch was aborted inside First (5 s > 1 s): Second ran once,
    // in the retry, and got the first answer.
    assert_eq!(
        outcome.output,
        Some(json!(["second call", "fine"])),
        "{:?}",
        exec.history()
            .iter()
            .map(|e| e.event_type.to_string())
            .collect::<Vec<_>>()
    );
}
