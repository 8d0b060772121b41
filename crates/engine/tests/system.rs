//! The whole system on one clock: cascades through putEvents and status changes, the loop cap,
//! retry policies and dead-letter queues, archive replay, versions and aliases.

use serde_json::{Value, json};
use statebridge_engine::asl::exec::Status;
use statebridge_engine::system::{DeliveryOutcome, Origin, Report, System, SystemOptions};
use statebridge_engine::workspace::Workspace;

const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:";

fn order_event() -> Value {
    json!({"version": "0", "id": "e-1", "detail-type": "OrderCreated", "source": "shop.orders",
           "account": "123456789012", "time": "2026-03-01T10:00:00Z", "region": "us-east-1",
           "resources": [], "detail": {"orderId": "O-1", "total": 42}})
}

fn publish(detail_type: &str) -> Value {
    json!({"Type": "Task", "Resource": "arn:aws:states:::events:putEvents",
           "Parameters": {"Entries": [{"Source": "shop.fulfilment", "DetailType": detail_type,
                                       "Detail": {"orderId.$": "$.orderId"}}]},
           "ResultPath": null})
}

/// A workspace from its rules and machines, with the order event.
fn ws(rules: Value, machines: Value, mocks: Value) -> Workspace {
    Workspace::from_value(
        &json!({"name": "t", "event": order_event(), "rules": {"Rules": rules},
                                  "machines": machines, "mocks": mocks}),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn run(ws: &Workspace) -> Report {
    System::from_workspace(ws, SystemOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .run()
}

fn pass() -> Value {
    json!({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}})
}

fn order_system() -> Workspace {
    let fulfil = json!({"StartAt": "Ship", "States": {
        "Ship": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship",
                 "ResultPath": "$.shipment", "Next": "Publish"},
        "Publish": publish("Order Processed").as_object().unwrap().clone().into_iter()
            .chain([("End".to_owned(), json!(true))]).collect::<serde_json::Map<_, _>>()}});
    ws(
        json!([
            {"Name": "order-created", "EventPattern": {"detail-type": ["OrderCreated"]},
             "Targets": [{"Id": "fulfil", "Arn": format!("{SM}Fulfilment"), "InputPath": "$.detail"}]},
            {"Name": "order-processed", "EventPattern": {"detail-type": ["Order Processed"]},
             "Targets": [{"Id": "analytics", "Arn": format!("{SM}Analytics"), "InputPath": "$.detail"},
                         {"Id": "accounting", "Arn": format!("{SM}Accounting"), "InputPath": "$.detail"}]}
        ]),
        json!({"Fulfilment": fulfil, "Analytics": pass(), "Accounting": pass()}),
        json!({"Ship": {"0": {"Return": {"carrier": "UPS"}, "Duration": 5}}}),
    )
}

#[test]
fn a_cascade_runs_on_one_clock() {
    let report = run(&order_system());
    let machines: Vec<&str> = report
        .executions
        .iter()
        .map(|e| e.machine.as_str())
        .collect();
    assert_eq!(machines, ["Fulfilment", "Analytics", "Accounting"]);
    assert!(
        report
            .executions
            .iter()
            .all(|e| e.status == Status::Succeeded)
    );
    // The fulfilment started from the first event, at its time.
    let fulfil = &report.executions[0];
    assert_eq!(fulfil.event, 0);
    assert_eq!(fulfil.start, "2026-03-01T10:00:00.000Z");
    assert_eq!(fulfil.input, json!({"orderId": "O-1", "total": 42}));
    // The completion event it published, after the 5-second shipment, started both downstream.
    let processed = report
        .events
        .iter()
        .find(|e| e.event["detail-type"] == "Order Processed")
        .expect("the fulfilment published its event");
    assert_eq!(
        processed.origin,
        Origin::PutEvents {
            execution: 0,
            state: "Publish".into()
        }
    );
    assert_eq!(processed.time, "2026-03-01T10:00:05.000Z");
    assert_eq!(processed.event["detail"], json!({"orderId": "O-1"}));
    assert_eq!(processed.matched, ["order-processed"]);
    assert_eq!(report.executions[1].event, processed.index);
    assert_eq!(report.executions[2].event, processed.index);
    // Every execution announced RUNNING and its end, as aws.states events.
    let status: Vec<(usize, String)> = report
        .events
        .iter()
        .filter_map(|e| match e.origin {
            Origin::StatusChange { execution } => {
                Some((execution, e.event["detail"]["status"].as_str()?.to_owned()))
            }
            _ => None,
        })
        .collect();
    for i in 0..3 {
        assert!(status.contains(&(i, "RUNNING".into())), "{status:?}");
        assert!(status.contains(&(i, "SUCCEEDED".into())), "{status:?}");
    }
    // The log is in clock order.
    assert!(report.events.windows(2).all(|w| w[0].millis <= w[1].millis));
    assert!(report.dead_letters.is_empty() && report.capped.is_none());
}

#[test]
fn the_same_workspace_gives_the_same_run() {
    let ws = order_system();
    let a = serde_json::to_string(&run(&ws)).unwrap();
    let b = serde_json::to_string(&run(&ws)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_loop_stops_at_the_cap_and_says_why() {
    // The machine puts the very event that starts it.
    let again = json!({"StartAt": "Again", "States": {"Again": {"Type": "Task",
        "Resource": "arn:aws:states:::events:putEvents",
        "Parameters": {"Entries": [{"Source": "shop.orders", "DetailType": "OrderCreated", "Detail": {"orderId": "O-1"}}]},
        "End": true}}});
    let ws = ws(
        json!([{"Name": "loop", "EventPattern": {"detail-type": ["OrderCreated"]},
                "Targets": [{"Id": "again", "Arn": format!("{SM}Again")}]}]),
        json!({"Again": again}),
        json!({}),
    );
    let options = SystemOptions {
        max_events: 12,
        max_executions: 1000,
        ..SystemOptions::default()
    };
    let report = System::from_workspace(&ws, options).unwrap().run();
    assert_eq!(report.events.len(), 12);
    assert!(report.rejected > 0);
    let why = report.capped.as_deref().unwrap_or_default();
    assert!(why.contains("after 12"), "{why}");
    assert!(why.contains("`Again`"), "{why}");
}

#[test]
fn the_execution_cap_fails_deliveries() {
    let ws = ws(
        json!([{"Name": "r", "EventPattern": {"source": ["shop.orders"]},
                "Targets": [{"Id": "a", "Arn": format!("{SM}M"), "RetryPolicy": {"MaximumRetryAttempts": 0}},
                            {"Id": "b", "Arn": format!("{SM}M"), "RetryPolicy": {"MaximumRetryAttempts": 0}}]}]),
        json!({"M": pass()}),
        json!({}),
    );
    let options = SystemOptions {
        max_executions: 1,
        ..SystemOptions::default()
    };
    let report = System::from_workspace(&ws, options).unwrap().run();
    assert_eq!(report.executions.len(), 1);
    assert_eq!(
        report.deliveries[1].attempts[0].error.as_deref(),
        Some("ExecutionLimitExceeded")
    );
    assert!(matches!(
        report.deliveries[1].outcome,
        DeliveryOutcome::Dropped { .. }
    ));
}

/// A rule whose target gets text that is not JSON (the template is not quoted JSON).
fn failing_target(policy: Value, dlq: bool) -> Workspace {
    let mut target = json!({"Id": "broken", "Arn": format!("{SM}M"), "RetryPolicy": policy,
        "InputTransformer": {"InputPathsMap": {"id": "$.detail.orderId"}, "InputTemplate": "order <id> is ready"}});
    if dlq {
        target["DeadLetterConfig"] =
            json!({"Arn": "arn:aws:sqs:us-east-1:123456789012:orders-dlq"});
    }
    ws(
        json!([{"Name": "r", "EventPattern": {"source": ["shop.orders"]}, "Targets": [target]}]),
        json!({"M": pass()}),
        json!({}),
    )
}

#[test]
fn a_failing_target_is_retried_then_dead_lettered() {
    let report = run(&failing_target(json!({"MaximumRetryAttempts": 2}), true));
    let d = &report.deliveries[0];
    let times: Vec<&str> = d.attempts.iter().map(|a| &a.time[11..19]).collect();
    // First attempt on arrival, then 1 s and 2 s of backoff.
    assert_eq!(times, ["10:00:00", "10:00:01", "10:00:03"]);
    assert!(
        d.attempts
            .iter()
            .all(|a| a.error.as_deref() == Some("InvalidExecutionInput"))
    );
    assert!(
        matches!(&d.outcome, DeliveryOutcome::DeadLettered { queue, .. } if queue.ends_with(":orders-dlq"))
    );
    assert_eq!(report.executions.len(), 0);
    let dl = &report.dead_letters[0];
    assert_eq!(dl.attributes["RETRY_ATTEMPTS"], 2);
    assert_eq!(dl.attributes["ERROR_CODE"], "InvalidExecutionInput");
    assert_eq!(dl.attributes["TARGET_ARN"], format!("{SM}M"));
    assert_eq!(dl.body["id"], "e-1");
    assert_eq!(dl.time, "2026-03-01T10:00:03.000Z");
}

#[test]
fn the_event_age_limit_stops_retries() {
    let report = run(&failing_target(
        json!({"MaximumEventAgeInSeconds": 60}),
        false,
    ));
    let d = &report.deliveries[0];
    // 1, 2, 4, 8, 16 s of backoff: attempts at 0, 1, 3, 7, 15, 31 s; the next (63 s) is too old.
    let secs: Vec<i64> = d
        .attempts
        .iter()
        .map(|a| (a.millis - d.attempts[0].millis) / 1000)
        .collect();
    assert_eq!(secs, [0, 1, 3, 7, 15, 31]);
    match &d.outcome {
        DeliveryOutcome::Dropped { reason } => {
            assert!(reason.contains("MaximumEventAgeInSeconds"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    assert!(report.dead_letters.is_empty());
}

#[test]
fn retry_policy_values_are_checked() {
    let bad = json!({"Rules": [{"Name": "r", "EventPattern": {"source": ["x"]},
        "Targets": [{"Id": "t", "Arn": "arn:x", "RetryPolicy": {"MaximumEventAgeInSeconds": 5}}]}]});
    let err = statebridge_engine::bus::Bus::parse(&bad)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        err.as_deref(),
        Some(
            "at `Rules[0].Targets[0].RetryPolicy.MaximumEventAgeInSeconds`: MaximumEventAgeInSeconds must be a whole number from 60 to 86400"
        )
    );
}

#[test]
fn an_invalid_machine_is_retried_and_an_unknown_one_is_not() {
    let ws = ws(
        json!([{"Name": "r", "EventPattern": {"source": ["shop.orders"]},
                "Targets": [{"Id": "bad", "Arn": format!("{SM}Bad"), "RetryPolicy": {"MaximumRetryAttempts": 1},
                             "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:1:dlq"}},
                            {"Id": "gone", "Arn": format!("{SM}Gone"),
                             "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:1:dlq"}}]}]),
        json!({"Bad": {"StartAt": "Nowhere", "States": {"A": {"Type": "Pass", "End": true}}}}),
        json!({}),
    );
    let report = run(&ws);
    assert_eq!(report.deliveries[0].attempts.len(), 2);
    assert_eq!(
        report.deliveries[0].attempts[0].error.as_deref(),
        Some("InvalidDefinition")
    );
    assert_eq!(report.deliveries[1].attempts.len(), 1);
    assert_eq!(
        report.deliveries[1].attempts[0].error.as_deref(),
        Some("StateMachineDoesNotExist")
    );
    assert_eq!(report.dead_letters.len(), 2);
}

#[test]
fn a_failed_execution_starts_its_compensation() {
    let pay = json!({"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "End": true}}});
    let ws = ws(
        json!([
            {"Name": "orders", "EventPattern": {"detail-type": ["OrderCreated"]},
             "Targets": [{"Id": "pay", "Arn": format!("{SM}Payment"), "InputPath": "$.detail"}]},
            {"Name": "payment-failed", "EventPattern": {"source": ["aws.states"],
                "detail-type": ["Step Functions Execution Status Change"],
                "detail": {"status": ["FAILED"], "stateMachineArn": [format!("{SM}Payment")]}},
             "Targets": [{"Id": "compensate", "Arn": format!("{SM}Compensate"),
                          "InputTransformer": {"InputPathsMap": {"input": "$.detail.input", "error": "$.detail.error"},
                                               "InputTemplate": "{\"failedInput\": <input>, \"error\": <error>}"}}]}
        ]),
        json!({"Payment": pay, "Compensate": pass()}),
        json!({"Charge": {"0": {"Throw": {"Error": "CardDeclined", "Cause": "insufficient funds"}}}}),
    );
    let report = run(&ws);
    let runs: Vec<(&str, Status)> = report
        .executions
        .iter()
        .map(|e| (e.machine.as_str(), e.status))
        .collect();
    assert_eq!(
        runs,
        [
            ("Payment", Status::Failed),
            ("Compensate", Status::Succeeded)
        ]
    );
    let comp = &report.executions[1];
    let started_by = &report.events[comp.event];
    assert_eq!(started_by.origin, Origin::StatusChange { execution: 0 });
    assert_eq!(comp.input["error"], "CardDeclined");
    assert_eq!(
        comp.input["failedInput"],
        "{\"orderId\":\"O-1\",\"total\":42}"
    );
}

#[test]
fn replay_puts_a_time_range_back_on_the_bus() {
    let ws = order_system();
    let system = System::from_workspace(&ws, SystemOptions::default()).unwrap();
    let mut run = system.start();
    run.put(ws.event.clone());
    run.run();
    let before = run.report().events.len();
    let first_executions = run.report().executions.len();
    let t0 = run.report().events[0].millis;
    // Only the first second: the OrderCreated event and the fulfilment's RUNNING event.
    let n = run.replay("again", t0, t0 + 1000);
    run.run();
    let report = run.into_report();
    assert_eq!(n, 2);
    let replayed: Vec<_> = report.events[before..]
        .iter()
        .filter(|e| matches!(e.origin, Origin::Replay { .. }))
        .collect();
    assert_eq!(replayed.len(), 2);
    assert!(
        replayed
            .iter()
            .all(|e| e.event["replay-name"] == "again" && !e.archived)
    );
    assert_eq!(
        replayed[0].origin,
        Origin::Replay {
            name: "again".into(),
            of: 0
        }
    );
    // The replayed OrderCreated starts the whole cascade again, later on the clock.
    assert_eq!(report.executions.len(), 2 * first_executions);
    assert!(report.executions[first_executions].start_millis >= report.executions[0].stop_millis);
}

#[test]
fn an_alias_routes_by_weight_and_a_version_by_number() {
    let v1 = json!({"StartAt": "V1", "States": {"V1": {"Type": "Pass", "Result": 1, "End": true}}});
    let v2 = json!({"StartAt": "V2", "States": {"V2": {"Type": "Pass", "Result": 2, "End": true}}});
    let ws = ws(
        json!([{"Name": "r", "EventPattern": {"source": ["shop.orders"]},
                "Targets": [{"Id": "live", "Arn": format!("{SM}Flow:live")},
                            {"Id": "live2", "Arn": format!("{SM}Flow:live")},
                            {"Id": "pinned", "Arn": format!("{SM}Flow"), "StateMachine": "Flow:1"},
                            {"Id": "latest", "Arn": format!("{SM}Flow")}]}]),
        json!({"Flow": {"Versions": {"1": v1, "2": v2},
                        "Aliases": {"live": [{"Version": "1", "Weight": 50}, {"Version": "2", "Weight": 50}]}}}),
        json!({}),
    );
    let report = run(&ws);
    let got: Vec<(Option<u32>, Option<&str>, Value)> = report
        .executions
        .iter()
        .map(|e| {
            (
                e.version,
                e.alias.as_deref(),
                e.output.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (Some(1), Some("live"), json!(1)),
            (Some(2), Some("live"), json!(2)),
            (Some(1), None, json!(1)),
            (None, None, json!(2)),
        ]
    );
    assert!(
        report.executions[0]
            .state_machine_arn
            .ends_with(":Flow:live")
    );
}

#[test]
fn put_events_with_a_task_token_puts_before_waiting() {
    let waiter = json!({"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
        "Resource": "arn:aws:states:::events:putEvents.waitForTaskToken",
        "Parameters": {"Entries": [{"Source": "shop", "DetailType": "Approve",
            "Detail": {"token.$": "$$.Task.Token"}}, {"Source": "shop"}]},
        "End": true}}});
    let ws = ws(
        json!([{"Name": "r", "EventPattern": {"source": ["shop.orders"]},
                "Targets": [{"Id": "w", "Arn": format!("{SM}Waiter")}]}]),
        json!({"Waiter": waiter}),
        json!({"Ask": {"0": {"Throw": {"Error": "Rejected", "Cause": "no"}, "Duration": 30}}}),
    );
    let report = run(&ws);
    let approve = report
        .events
        .iter()
        .find(|e| e.event["detail-type"] == "Approve");
    assert!(
        approve.is_some(),
        "the entry is put even though the callback failed"
    );
    assert_eq!(report.executions[0].status, Status::Failed);
    assert_eq!(
        report.executions[0].refused_entries,
        [
            "Ask: entry 1: InvalidArgument: Parameter DetailType is not valid. Reason: DetailType is a required argument."
        ]
    );
}

/// A workspace whose event is `event` (any PutEvents input shape).
fn ws_with_event(event: Value, rules: Value, machines: Value) -> Workspace {
    Workspace::from_value(
        &json!({"name": "t", "event": event, "rules": {"Rules": rules},
                                  "machines": machines, "mocks": {}}),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Seed 004: a custom bus with a catch-all rule, fed by a boto3 PutEvents entry.
#[test]
fn a_custom_bus_with_a_catch_all_rule() {
    let entry = json!({"Source": "com.mycompany.myapp", "DetailType": "service_status",
        "Detail": "{\"service\": \"myapp service\", \"status\": \"restored\"}",
        "EventBusName": "MyCustomEventBus"});
    let log = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/mycustomevents";
    let rules = json!([
        {"Name": "MyCustomEventBusEventRule", "Description": "Catch All EventRule",
         "State": "ENABLED", "EventBusName": "MyCustomEventBus",
         "EventPattern": {"account": ["123456789012"]},
         "Targets": [{"Id": "MyCustomEventBusLogGroup", "Arn": log}]},
        {"Name": "default-catch-all", "EventPattern": {"account": ["123456789012"]},
         "Targets": [{"Id": "t", "Arn": log}]}
    ]);
    let report = run(&ws_with_event(
        json!({"Entries": [entry]}),
        rules,
        json!({}),
    ));
    let e = &report.events[0];
    assert_eq!(e.bus, "MyCustomEventBus");
    assert_eq!(e.matched, ["MyCustomEventBusEventRule"]);
    assert_eq!(e.event["detail"]["status"], "restored");
    let put = report.put_events.as_ref().unwrap();
    assert_eq!(put.failed_entry_count, 0);
}

/// A target that is a bus forwards the event: the receiving bus's rules see it, with the
/// sender's `account` and `region`; it goes no further than that bus.
#[test]
fn a_bus_target_forwards_to_the_other_bus() {
    let central = "arn:aws:events:eu-west-1:111122223333:event-bus/central";
    let audit = "arn:aws:events:us-east-1:123456789012:event-bus/audit";
    let rules = json!([
        {"Name": "to-central", "EventPattern": {"source": ["shop.orders"]},
         "Targets": [{"Id": "central", "Arn": central}]},
        {"Name": "on-central", "EventBusName": central, "EventPattern": {"source": ["shop.orders"]},
         "Targets": [{"Id": "start", "Arn": format!("{SM}Audit")},
                     {"Id": "onwards", "Arn": audit}]},
        {"Name": "on-audit", "EventBusName": "audit", "EventPattern": {"source": ["shop.orders"]}}
    ]);
    let report = run(&ws_with_event(
        order_event(),
        rules,
        json!({"Audit": pass()}),
    ));
    let on: Vec<(&str, &str)> = report
        .events
        .iter()
        .filter(|e| e.event["source"] == "shop.orders")
        .map(|e| (e.bus.as_str(), e.matched.first().map_or("", String::as_str)))
        .collect();
    // Another account's bus is told apart from ours by its ARN.
    assert_eq!(on, [("default", "to-central"), (central, "on-central")]);
    let forwarded = &report.events[1];
    assert_eq!(forwarded.event["account"], "123456789012");
    assert_eq!(forwarded.event["region"], "us-east-1");
    assert_eq!(forwarded.event["id"], "e-1");
    assert!(
        matches!(&forwarded.origin, Origin::Forwarded { from, rule, .. }
        if from == "default" && rule == "to-central")
    );
    assert_eq!(report.executions[0].machine, "Audit");
    let onwards = report
        .deliveries
        .iter()
        .find(|d| d.target == "onwards")
        .unwrap();
    assert!(
        matches!(&onwards.outcome, DeliveryOutcome::Dropped { reason } if reason.contains("not retried")),
        "{:?}",
        onwards.outcome
    );
    assert_eq!(onwards.attempts[0].error.as_deref(), Some("NotForwarded"));
}

/// The user guide's cross-account case: a rule sends events to the `default` bus of another
/// account. That bus is not ours: our `default` rules do not see the event again, the other
/// account's rule (named by its bus's ARN) does, and the event keeps the sender's account.
#[test]
fn another_accounts_default_bus_is_not_ours() {
    let theirs = "arn:aws:events:us-east-1:222222222222:event-bus/default";
    let rules = json!([
        {"Name": "to-partner", "EventPattern": {"source": ["shop.orders"]},
         "Targets": [{"Id": "partner", "Arn": theirs}]},
        {"Name": "partner-orders", "EventBusName": theirs, "EventPattern": {"account": ["123456789012"]},
         "Targets": [{"Id": "start", "Arn": format!("{SM}Audit")}]},
        // Our own default bus named by its ARN is still ours.
        {"Name": "ours-by-arn", "EventBusName": "arn:aws:events:us-east-1:123456789012:event-bus/default",
         "EventPattern": {"source": ["shop.orders"]}}
    ]);
    let report = run(&ws_with_event(
        order_event(),
        rules,
        json!({"Audit": pass()}),
    ));
    let on: Vec<(&str, Vec<&str>)> = report
        .events
        .iter()
        .filter(|e| e.event["source"] == "shop.orders")
        .map(|e| {
            (
                e.bus.as_str(),
                e.matched.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        on,
        [
            ("default", vec!["to-partner", "ours-by-arn"]),
            (theirs, vec!["partner-orders"])
        ]
    );
    assert_eq!(report.events[1].event["account"], "123456789012");
    assert_eq!(report.executions.len(), 1);
    assert!(
        report
            .deliveries
            .iter()
            .all(|d| !matches!(d.outcome, DeliveryOutcome::Dropped { .. })),
        "{:?}",
        report.deliveries
    );
}

/// `events:putEvents` from a workflow: entries go to their `EventBusName`, carry the execution's
/// and state machine's ARNs in `resources`, and a refused entry fails the task as AWS does while
/// the valid ones are still put.
#[test]
fn put_events_from_a_workflow() {
    let publish = json!({"StartAt": "Publish", "States": {"Publish": {"Type": "Task",
        "Resource": "arn:aws:states:::events:putEvents",
        "Parameters": {"Entries": [
            {"Source": "shop.fulfilment", "DetailType": "Shipped", "Detail": {"orderId.$": "$.orderId"},
             "EventBusName": "orders", "Resources": ["arn:aws:s3:::labels"]},
            {"source": "shop.fulfilment", "detailType": "Lowercase", "detail": {}}]},
        "End": true}}});
    let rules = json!([
        {"Name": "created", "EventPattern": {"detail-type": ["OrderCreated"]},
         "Targets": [{"Id": "p", "Arn": format!("{SM}Publish"), "InputPath": "$.detail"}]},
        {"Name": "shipped", "EventBusName": "orders", "EventPattern": {"detail-type": ["Shipped"]}}
    ]);
    let report = run(&ws_with_event(
        order_event(),
        rules,
        json!({"Publish": publish}),
    ));
    let exec = &report.executions[0];
    assert_eq!(exec.status, Status::Failed);
    assert_eq!(exec.error.as_deref(), Some("EventBridge.FailedEntry"));
    let cause: Value = serde_json::from_str(exec.cause.as_deref().unwrap()).unwrap();
    assert_eq!(cause["FailedEntryCount"], 1);
    assert_eq!(
        cause["Entries"][1],
        json!({"ErrorCode": "InvalidArgument",
               "ErrorMessage": "Parameter Source is not valid. Reason: Source is a required argument."})
    );
    let shipped = report
        .events
        .iter()
        .find(|e| e.event["detail-type"] == "Shipped")
        .expect("the valid entry is put");
    assert_eq!(shipped.bus, "orders");
    assert_eq!(shipped.matched, ["shipped"]);
    assert_eq!(
        shipped.event["resources"],
        json!(["arn:aws:s3:::labels", exec.arn, exec.state_machine_arn])
    );
}
