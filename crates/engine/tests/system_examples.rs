//! The system examples in `www/examples/system-*.json` run as their descriptions say.

use statebridge_engine::asl::exec::Status;
use statebridge_engine::system::{DeliveryOutcome, Origin, Report, System, SystemOptions};
use statebridge_engine::workspace::Workspace;

fn run(name: &str) -> Report {
    let path = format!(
        "{}/../../www/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let ws: Workspace = text.parse().unwrap_or_else(|e| panic!("{path}: {e}"));
    System::from_workspace(&ws, SystemOptions::default())
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .run()
}

fn machines(r: &Report) -> Vec<(&str, Status)> {
    r.executions
        .iter()
        .map(|e| (e.machine.as_str(), e.status))
        .collect()
}

#[test]
fn orders_fan_out_and_one_target_ends_in_its_dead_letter_queue() {
    let r = run("system-orders");
    assert_eq!(
        machines(&r),
        [
            ("OrderFulfilment", Status::Succeeded),
            ("SalesAnalytics", Status::Succeeded),
            ("Accounting", Status::Succeeded)
        ]
    );
    let processed = &r.events[r.executions[1].event];
    assert_eq!(processed.event["detail-type"], "Order Processed");
    assert!(matches!(
        processed.origin,
        Origin::PutEvents { execution: 0, .. }
    ));
    let erp = r
        .deliveries
        .iter()
        .find(|d| d.target == "legacy-erp")
        .expect("erp delivery");
    assert_eq!(erp.attempts.len(), 4);
    assert!(matches!(erp.outcome, DeliveryOutcome::DeadLettered { .. }));
    assert_eq!(r.dead_letters.len(), 1);
}

#[test]
fn signup_onboards_then_notifies() {
    let r = run("system-signup");
    assert_eq!(
        machines(&r),
        [
            ("UserOnboarding", Status::Succeeded),
            ("TeamNotification", Status::Succeeded)
        ]
    );
    assert_eq!(r.executions[1].input["channel"], "#signups");
}

#[test]
fn a_failed_payment_is_compensated() {
    let r = run("system-payment-failure");
    assert_eq!(
        machines(&r),
        [
            ("PaymentProcessing", Status::Failed),
            ("OrderCompensation", Status::Succeeded)
        ]
    );
    assert_eq!(r.executions[0].error.as_deref(), Some("CardDeclined"));
    assert_eq!(
        r.events[r.executions[1].event].origin,
        Origin::StatusChange { execution: 0 }
    );
    assert!(
        r.events
            .iter()
            .any(|e| e.event["detail-type"] == "Order Cancelled")
    );
}

/// Seed 004: the custom bus's catch-all rule logs the boto3 entry; the restored status is
/// forwarded to the default bus, whose rule starts the notification workflow.
#[test]
fn custom_bus_catches_all_and_forwards_restored_services() {
    let r = run("custom-bus");
    let first = &r.events[0];
    assert_eq!(first.bus, "MyCustomEventBus");
    assert_eq!(
        first.matched,
        ["MyCustomEventBusEventRule", "ForwardRestoredToDefault"]
    );
    assert_eq!(first.event["detail"]["status"], "restored");
    assert_eq!(first.event["time"], "2026-03-01T09:30:00Z");
    let forwarded = &r.events[1];
    assert_eq!(
        (forwarded.bus.as_str(), forwarded.matched.as_slice()),
        ("default", &["NotifyOnRestore".to_owned()][..])
    );
    assert_eq!(machines(&r), [("NotifyOps", Status::Succeeded)]);
    assert_eq!(
        r.executions[0].output,
        Some(serde_json::json!({"MessageId": "4c6f2a1e-0000-4000-8000-000000000001"}))
    );
}

#[test]
fn the_schedules_drive_the_report_and_digest_over_the_day() {
    let r = run("scheduled-report");
    let fired: Vec<(&str, &str)> = r
        .firings
        .iter()
        .map(|f| (f.name.as_str(), f.scheduled.as_str()))
        .collect();
    assert_eq!(
        fired,
        [
            // 02:00 in Berlin in early March (UTC+1, before its daylight time) is 01:00 UTC.
            ("NightlyReport", "2026-03-02T01:00:00.000Z"),
            ("DigestEvery4Hours", "2026-03-02T04:00:00.000Z"),
            ("DigestEvery4Hours", "2026-03-02T08:00:00.000Z"),
            ("LaunchReminder", "2026-03-02T09:00:00.000Z"),
            ("DigestEvery4Hours", "2026-03-02T12:00:00.000Z"),
            ("DigestEvery4Hours", "2026-03-02T16:00:00.000Z"),
            ("DigestEvery4Hours", "2026-03-02T20:00:00.000Z")
        ]
    );
    assert_eq!(r.executions.len(), 8);
    assert!(r.executions.iter().all(|e| e.status == Status::Succeeded));
    // The archive keeps the report request only.
    let kept: Vec<usize> = r
        .events
        .iter()
        .filter(|e| e.archived)
        .map(|e| e.index)
        .collect();
    assert_eq!(kept, [0]);
}

#[test]
fn an_uploaded_csv_of_orders_is_charged_by_a_distributed_map() {
    // The workspace's S3 objects reach the execution the rule starts: its ItemReader reads
    // orders.csv, and its ResultWriter's manifest is the Map's result.
    let r = run("csv-orders-distributed-map");
    assert_eq!(machines(&r), [("ChargeOrders", Status::Succeeded)]);
    let output = r.executions[0].output.as_ref().expect("output");
    let key = output["charges"]["ResultWriterDetails"]["Key"]
        .as_str()
        .expect("manifest key");
    assert!(key.starts_with("charges/") && key.ends_with("/manifest.json"));
}

#[test]
fn pipe_orders_filters_enriches_and_starts_the_workflow_per_batch() {
    use statebridge_engine::system::RecordStatus;
    let r = run("pipe-orders");
    let pipe = &r.pipes[0];
    let fate: Vec<RecordStatus> = pipe.records.iter().map(|x| x.status).collect();
    assert_eq!(
        fate,
        [
            RecordStatus::Delivered,
            RecordStatus::Filtered,
            RecordStatus::Delivered,
            RecordStatus::Filtered,
            RecordStatus::Delivered
        ]
    );
    // Two batches (the 5-second window), two executions, each publishing Order Accepted.
    assert_eq!(pipe.batches.len(), 2);
    assert_eq!(
        machines(&r),
        [
            ("OrderWorkflow", Status::Succeeded),
            ("OrderWorkflow", Status::Succeeded)
        ]
    );
    assert_eq!(r.executions[0].input[1]["customer"]["name"], "Alan Turing");
    let accepted = r
        .events
        .iter()
        .filter(|e| e.event["detail-type"] == "Order Accepted" && e.matched == ["order-accepted"])
        .count();
    assert_eq!(accepted, 2);
}

#[test]
fn pipe_partial_failure_retries_then_dead_letters() {
    use statebridge_engine::system::{BatchStatus, RecordStatus};
    let r = run("pipe-partial-failure");
    let orders = &r.pipes[0];
    // Throttled once (the whole first batch comes back after 30 s); then only the discontinued
    // order, named in batchItemFailures, is retried, until its third receive.
    let tries: Vec<(Vec<usize>, u32, BatchStatus)> = orders
        .batches
        .iter()
        .map(|b| (b.records.clone(), b.attempt, b.status))
        .collect();
    assert_eq!(
        tries,
        [
            (vec![0, 1, 2, 3, 4], 0, BatchStatus::Failed),
            (vec![5], 0, BatchStatus::Delivered),
            (vec![0, 1, 2, 3, 4], 1, BatchStatus::PartiallyFailed),
            (vec![2], 2, BatchStatus::Failed),
        ]
    );
    let fate: Vec<RecordStatus> = orders.records.iter().map(|x| x.status).collect();
    assert_eq!(fate[2], RecordStatus::DeadLettered);
    assert_eq!(
        fate.iter()
            .filter(|s| **s == RecordStatus::Delivered)
            .count(),
        5
    );
    assert_eq!(orders.dead_letters.len(), 1);
    assert!(orders.dead_letters[0].queue.ends_with(":orders-dlq"));
    assert_eq!(orders.dead_letters[0].attempts, 3);
    // The stream halves the failing batch until the implausible reading is alone, retries it
    // twice, then sends the batch's description to its dead-letter queue.
    let readings = &r.pipes[1];
    let fate: Vec<RecordStatus> = readings.records.iter().map(|x| x.status).collect();
    assert_eq!(
        fate,
        [
            RecordStatus::Delivered,
            RecordStatus::Delivered,
            RecordStatus::DeadLettered,
            RecordStatus::Delivered
        ]
    );
    assert_eq!(readings.dead_letters[0].attempts, 3);
    assert_eq!(
        readings.dead_letters[0].body["requestContext"]["condition"],
        "RetryAttemptsExhausted"
    );
    assert!(r.capped.is_none());
}
