//! EventBridge Pipes when a batch fails, as the user guide's "Amazon EventBridge Pipes error
//! handling and troubleshooting" and "Partial batch failure" describe it: an SQS source retries
//! through its queue (visibility timeout, `maxReceiveCount`, the queue's dead-letter queue), a
//! stream source per the pipe's `MaximumRetryAttempts`, `MaximumRecordAgeInSeconds`,
//! `OnPartialBatchItemFailure` and `DeadLetterConfig`; a Lambda or Step Functions target may name
//! the failed records in `batchItemFailures`. Everything on the run's virtual clock.

use serde_json::{Value, json};
use statebridge_engine::system::{BatchStatus, RecordStatus, Report, System, SystemOptions};
use statebridge_engine::workspace::Workspace;

const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:orders";
const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:orders-dlq";
const STREAM: &str = "arn:aws:kinesis:us-east-1:123456789012:stream/readings";
const FUNCTION: &str = "arn:aws:lambda:us-east-1:123456789012:function:process-orders";
const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:";

/// A queue with a 20-second visibility timeout and a redrive policy of `max` receives.
fn queue(records: Value, max: u32) -> Value {
    json!({"Arn": QUEUE, "Records": records, "Attributes": {
        "VisibilityTimeout": "20",
        "RedrivePolicy": format!("{{\"deadLetterTargetArn\":\"{DLQ}\",\"maxReceiveCount\":\"{max}\"}}")
    }})
}

fn sqs_to_lambda(batch: usize, source: Value) -> Value {
    json!({
        "Pipes": [{"Name": "orders", "Source": QUEUE,
                   "SourceParameters": {"SqsQueueParameters": {"BatchSize": batch}},
                   "Target": FUNCTION}],
        "Sources": [source]
    })
}

fn run_with(rules: Value, machines: Value, mocks: Value, options: SystemOptions) -> Report {
    let ws = Workspace::from_value(&json!({"name": "t", "event": null, "rules": rules,
        "machines": machines, "mocks": mocks}))
    .unwrap_or_else(|e| panic!("{e}"));
    System::from_workspace(&ws, options)
        .unwrap_or_else(|e| panic!("{e}"))
        .run()
}

fn run(rules: Value, mocks: Value) -> Report {
    run_with(rules, json!({}), mocks, SystemOptions::default())
}

/// Seconds after the run's start (2026-01-01T00:00:00Z).
fn secs(ms: i64) -> i64 {
    (ms - 1_767_225_600_000) / 1000
}

fn statuses(r: &Report) -> Vec<RecordStatus> {
    r.pipes[0].records.iter().map(|x| x.status).collect()
}

/// "For pipes with an Amazon SQS source, EventBridge Pipes retries customer errors up to the
/// maximum receive count on the source queue": the target throws every time, the message is
/// received at 0 s, 20 s and 40 s (the visibility timeout), and SQS moves it to the queue's
/// dead-letter queue when it would become visible a fourth time.
#[test]
fn sqs_retries_until_max_receive_count_then_the_queues_dead_letter_queue() {
    let r = run(
        sqs_to_lambda(10, queue(json!(["{\"orderId\": \"o-1\"}"]), 3)),
        json!({"process-orders": {"0-": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "database down"}}}}),
    );
    let pipe = &r.pipes[0];
    let tries: Vec<(i64, u32, BatchStatus)> = pipe
        .batches
        .iter()
        .map(|b| (secs(b.millis), b.attempt, b.status))
        .collect();
    assert_eq!(
        tries,
        [
            (0, 0, BatchStatus::Failed),
            (20, 1, BatchStatus::Failed),
            (40, 2, BatchStatus::Failed)
        ]
    );
    assert_eq!(statuses(&r), [RecordStatus::DeadLettered]);
    assert_eq!(pipe.records[0].receives, 3);
    let letter = &pipe.dead_letters[0];
    assert_eq!(
        (letter.queue.as_str(), secs(letter.millis), letter.attempts),
        (DLQ, 60, 3)
    );
    assert_eq!(letter.body["attributes"]["ApproximateReceiveCount"], "3");
    assert!(
        letter.reason.contains("maxReceiveCount is 3") && letter.reason.contains("database down"),
        "{}",
        letter.reason
    );
    assert_eq!(
        pipe.batches[0].error.as_deref(),
        Some("the target threw Lambda.ServiceException: database down")
    );
}

/// A target that fails once: the message comes back after the visibility timeout and is
/// delivered on its second receive.
#[test]
fn a_message_that_fails_once_is_delivered_on_its_second_receive() {
    let r = run(
        sqs_to_lambda(10, queue(json!(["a", "b"]), 5)),
        json!({"process-orders": {"0": {"Throw": {"Error": "Lambda.TooManyRequestsException"}}}}),
    );
    let pipe = &r.pipes[0];
    assert_eq!(
        statuses(&r),
        [RecordStatus::Delivered, RecordStatus::Delivered]
    );
    assert_eq!(
        pipe.records.iter().map(|x| x.receives).collect::<Vec<_>>(),
        [2, 2]
    );
    assert_eq!(pipe.batches[1].retry_of, Some(0));
    assert_eq!(secs(pipe.batches[1].millis), 20);
    assert!(pipe.dead_letters.is_empty());
}

/// "For Lambda and Step Functions targets, you can also specify a partial failure by returning a
/// payload with a defined structure": only the records named in `batchItemFailures` go back to
/// the queue; the others are deleted.
#[test]
fn only_the_items_a_lambda_names_in_batch_item_failures_are_retried() {
    let records = json!([
        "{\"orderId\": \"o-1\", \"amount\": 10}",
        "{\"orderId\": \"o-2\", \"amount\": 5000}",
        "{\"orderId\": \"o-3\", \"amount\": 20}",
        "{\"orderId\": \"o-4\", \"amount\": 9000}"
    ]);
    let r = run(
        sqs_to_lambda(10, queue(records, 2)),
        json!({"process-orders": {"0-": {"FailItems": {"body": {"amount": [{"numeric": [">", 1000]}]}}}}}),
    );
    let pipe = &r.pipes[0];
    assert_eq!(pipe.batches[0].status, BatchStatus::PartiallyFailed);
    assert_eq!(pipe.batches[0].failed_records, [1, 3]);
    // The Lambda's answer names the messages by messageId.
    let named: Vec<&str> = pipe.batches[0].target_output.as_ref().unwrap()["batchItemFailures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["itemIdentifier"].as_str().unwrap())
        .collect();
    assert_eq!(
        named,
        [pipe.records[1].id.as_str(), pipe.records[3].id.as_str()]
    );
    // The retry holds only the two failed messages, and they fail again: dead letters.
    assert_eq!(pipe.batches[1].records, [1, 3]);
    assert_eq!(
        statuses(&r),
        [
            RecordStatus::Delivered,
            RecordStatus::DeadLettered,
            RecordStatus::Delivered,
            RecordStatus::DeadLettered
        ]
    );
    assert_eq!(pipe.dead_letters.len(), 2);
    assert_eq!(pipe.dead_letters[0].records, [1]);
}

/// An answer that names no record of the batch counts as the whole batch failing (as AWS
/// Lambda documents for its own event sources).
#[test]
fn a_batch_item_failure_naming_an_unknown_id_fails_the_whole_batch() {
    let r = run(
        sqs_to_lambda(10, queue(json!(["a", "b"]), 1)),
        json!({"process-orders": {"0": {"Return": {"batchItemFailures": [{"itemIdentifier": "not-a-message-id"}]}}}}),
    );
    let batch = &r.pipes[0].batches[0];
    assert_eq!(batch.status, BatchStatus::Failed);
    assert!(
        batch
            .error
            .as_deref()
            .unwrap()
            .contains("`not-a-message-id` names no record of the batch")
    );
    assert_eq!(
        statuses(&r),
        [RecordStatus::DeadLettered, RecordStatus::DeadLettered]
    );
}

/// An enrichment that throws fails the batch too, and the retry goes through the whole pipe
/// again, enrichment included ("this retry happens through the entire pipe").
#[test]
fn a_failed_enrichment_is_retried_with_the_batch() {
    let mut rules = sqs_to_lambda(10, queue(json!(["a"]), 5));
    rules["Pipes"][0]["Enrichment"] =
        json!("arn:aws:lambda:us-east-1:123456789012:function:lookup");
    let r = run(
        rules,
        json!({"lookup": {"0-1": {"Throw": {"Error": "Lambda.ServiceException"}}, "2-": {"Return": [{"ok": true}]}}}),
    );
    let pipe = &r.pipes[0];
    let calls: Vec<bool> = pipe
        .batches
        .iter()
        .map(|b| b.enrichment.as_ref().unwrap().error.is_none())
        .collect();
    assert_eq!(calls, [false, false, true]);
    assert_eq!(statuses(&r), [RecordStatus::Delivered]);
    assert_eq!(pipe.batches[2].target_input, Some(json!([{"ok": true}])));
}

/// A Step Functions target invoked with REQUEST_RESPONSE (an Express workflow) may answer with a
/// partial batch response too: here its Task is a mocked Lambda that names the items it failed.
#[test]
fn a_state_machine_target_can_return_batch_item_failures() {
    let rules = json!({
        "Pipes": [{"Name": "orders", "Source": QUEUE, "Target": format!("{SM}Process"),
                   "TargetParameters": {"StepFunctionStateMachineParameters": {"InvocationType": "REQUEST_RESPONSE"}}}],
        "Sources": [queue(json!(["{\"ok\": true}", "{\"ok\": false}"]), 2)]
    });
    let machine = json!({"StartAt": "Process", "States": {"Process": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:check", "End": true}}});
    let mocks = json!({"Process": {"0-": {"FailItems": {"body": {"ok": [false]}}}}});
    let r = run_with(
        rules,
        json!({"Process": machine}),
        mocks,
        SystemOptions::default(),
    );
    let pipe = &r.pipes[0];
    assert_eq!(pipe.batches[0].status, BatchStatus::PartiallyFailed);
    assert_eq!(pipe.batches[0].failed_records, [1]);
    assert_eq!(
        statuses(&r),
        [RecordStatus::Delivered, RecordStatus::DeadLettered]
    );
    assert_eq!(r.executions.len(), 2);
}

fn stream_pipe(params: Value, target: &str, template: Option<&str>) -> Value {
    let mut p = json!({"Name": "readings", "Source": STREAM,
        "SourceParameters": {"KinesisStreamParameters": params},
        "Target": target});
    if let Some(t) = template {
        p["TargetParameters"] = json!({"InputTemplate": t});
    }
    p
}

/// A Kinesis stream: the batch is retried with backoff (1 s, then 2 s) up to
/// `MaximumRetryAttempts`, then goes to `DeadLetterConfig`'s queue as a description of the batch;
/// the stream's next batch waits until then (records stay in order).
#[test]
fn a_stream_batch_is_retried_with_backoff_then_dead_lettered_and_the_shard_waits() {
    let rules = json!({
        "Pipes": [stream_pipe(json!({"StartingPosition": "TRIM_HORIZON", "BatchSize": 2,
            "MaximumRetryAttempts": 2, "DeadLetterConfig": {"Arn": DLQ}}), FUNCTION, None)],
        "Sources": [{"Arn": STREAM, "Records": ["r0", "r1", {"Data": "r2", "At": 1}]}]
    });
    let r = run(
        rules,
        json!({"process-orders": {"0-2": {"Throw": {"Error": "Lambda.ServiceException"}}}}),
    );
    let pipe = &r.pipes[0];
    let tries: Vec<(i64, Vec<usize>, u32)> = pipe
        .batches
        .iter()
        .map(|b| (secs(b.millis), b.records.clone(), b.attempt))
        .collect();
    // Batch 1 ([r2], closed at 1 s) waited for batch 0's retries (0 s, 1 s, 3 s).
    assert_eq!(
        tries,
        [
            (0, vec![0, 1], 0),
            (1, vec![2], 0),
            (1, vec![0, 1], 1),
            (3, vec![0, 1], 2)
        ]
    );
    let delivered_at = |b: usize| r.events[pipe.batches[b].event.unwrap()].millis;
    assert_eq!(secs(delivered_at(1)), 3);
    assert_eq!(
        statuses(&r),
        [
            RecordStatus::DeadLettered,
            RecordStatus::DeadLettered,
            RecordStatus::Delivered
        ]
    );
    let letter = &pipe.dead_letters[0];
    assert_eq!(
        (letter.queue.as_str(), letter.attempts, secs(letter.millis)),
        (DLQ, 3, 3)
    );
    assert_eq!(
        letter.body["requestContext"]["condition"],
        "RetryAttemptsExhausted"
    );
    assert_eq!(letter.body["KinesisBatchInfo"]["batchSize"], 2);
    assert_eq!(letter.body["KinesisBatchInfo"]["streamArn"], STREAM);
}

/// `OnPartialBatchItemFailure: AUTOMATIC_BISECT`: "EventBridge halves each batch and will retry
/// each half until all the records are processed or there is one failed message left in the
/// batch". The target (a workflow run with REQUEST_RESPONSE) fails on the poison record only.
#[test]
fn automatic_bisect_isolates_the_poison_record() {
    let check = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "Poison?", "States": {
            "Poison?": {"Type": "Choice", "Choices": [{"Variable": "$.v", "StringEquals": "poison", "Next": "Boom"}], "Default": "Ok"},
            "Boom": {"Type": "Fail", "Error": "PoisonRecord"},
            "Ok": {"Type": "Succeed"}}}}}});
    let rules = json!({
        "Pipes": [stream_pipe(json!({"StartingPosition": "TRIM_HORIZON", "BatchSize": 4,
            "MaximumRetryAttempts": 1, "OnPartialBatchItemFailure": "AUTOMATIC_BISECT",
            "DeadLetterConfig": {"Arn": DLQ}}), &format!("{SM}Check"), Some("{\"v\": <$.data.v>}"))],
        "Sources": [{"Arn": STREAM, "Records": ["{\"v\": \"a\"}", "{\"v\": \"poison\"}", "{\"v\": \"c\"}", "{\"v\": \"d\"}"]}]
    });
    let r = run_with(
        rules,
        json!({"Check": check}),
        json!({}),
        SystemOptions::default(),
    );
    let pipe = &r.pipes[0];
    let tries: Vec<(Vec<usize>, BatchStatus)> = pipe
        .batches
        .iter()
        .map(|b| (b.records.clone(), b.status))
        .collect();
    assert_eq!(
        tries,
        [
            (vec![0, 1, 2, 3], BatchStatus::Failed),
            (vec![0, 1], BatchStatus::Failed),
            (vec![2, 3], BatchStatus::Delivered),
            (vec![0], BatchStatus::Delivered),
            (vec![1], BatchStatus::Failed),
            (vec![1], BatchStatus::Failed),
        ]
    );
    // Halving is not a retry; the single poison record is retried once, then dead-lettered.
    assert_eq!(
        pipe.batches.iter().map(|b| b.attempt).collect::<Vec<_>>(),
        [0, 0, 0, 0, 0, 1]
    );
    assert_eq!(
        statuses(&r),
        [
            RecordStatus::Delivered,
            RecordStatus::DeadLettered,
            RecordStatus::Delivered,
            RecordStatus::Delivered
        ]
    );
    assert_eq!(pipe.dead_letters[0].records, [1]);
}

/// `MaximumRecordAgeInSeconds`: the retries stop once the oldest record would be older; without
/// a `DeadLetterConfig` the records are dropped, and the report says why.
#[test]
fn a_stream_gives_up_on_records_older_than_the_maximum_record_age() {
    let rules = json!({
        "Pipes": [stream_pipe(json!({"StartingPosition": "TRIM_HORIZON", "MaximumRecordAgeInSeconds": 60}), FUNCTION, None)],
        "Sources": [{"Arn": STREAM, "Records": ["r0"]}]
    });
    let r = run(
        rules,
        json!({"process-orders": {"0-": {"Throw": {"Error": "E"}}}}),
    );
    let pipe = &r.pipes[0];
    // Backoff 1, 2, 4, 8, 16, 32 s: tries at 0, 1, 3, 7, 15, 31; the next (63 s) is too late.
    let at: Vec<i64> = pipe.batches.iter().map(|b| secs(b.millis)).collect();
    assert_eq!(at, [0, 1, 3, 7, 15, 31]);
    assert_eq!(statuses(&r), [RecordStatus::Failed]);
    let why = pipe.records[0].error.as_deref().unwrap();
    assert!(
        why.contains("MaximumRecordAgeInSeconds (60 s)") && why.contains("no DeadLetterConfig"),
        "{why}"
    );
    assert!(pipe.dead_letters.is_empty());
}

/// The settings are read where AWS has them, and a wrong one is named by its place.
#[test]
fn wrong_retry_settings_are_named_by_their_place() {
    let refused = |rules: Value| -> String {
        let ws = Workspace::from_value(
            &json!({"name": "t", "event": null, "rules": rules, "machines": {}, "mocks": {}}),
        )
        .unwrap();
        System::from_workspace(&ws, SystemOptions::default())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    let e = refused(sqs_to_lambda(
        10,
        json!({"Arn": QUEUE, "Records": [], "Attributes": {"RedrivePolicy": "{\"maxReceiveCount\": \"3\"}"}}),
    ));
    assert!(
        e.contains("Sources[0].Attributes.RedrivePolicy.deadLetterTargetArn"),
        "{e}"
    );
    let e = refused(
        json!({"Pipes": [stream_pipe(json!({"StartingPosition": "LATEST", "MaximumRetryAttempts": 20000}), FUNCTION, None)],
        "Sources": [{"Arn": STREAM, "Records": []}]}),
    );
    assert!(
        e.contains("KinesisStreamParameters.MaximumRetryAttempts") && e.contains("-1 to 10000"),
        "{e}"
    );
    let e = refused(
        json!({"Pipes": [stream_pipe(json!({"StartingPosition": "LATEST", "OnPartialBatchItemFailure": "SPLIT"}), FUNCTION, None)],
        "Sources": [{"Arn": STREAM, "Records": []}]}),
    );
    assert!(e.contains("`SPLIT` is not one of AUTOMATIC_BISECT"), "{e}");
    let e = refused(
        json!({"Pipes": [stream_pipe(json!({"StartingPosition": "LATEST"}), FUNCTION, None)],
        "Sources": [{"Arn": STREAM, "Records": [], "Attributes": {"VisibilityTimeout": "30"}}]}),
    );
    assert!(
        e.contains("Sources[0].Attributes") && e.contains("SQS queue's"),
        "{e}"
    );
}

/// At size: 10,000 messages, one in ten a poison message the Lambda names in
/// `batchItemFailures`, `maxReceiveCount` 3. The work is linear: each message is received at
/// most three times, so the run makes 1,000 first batches and 100 retry batches per further
/// receive of the 1,000 poison messages (no quadratic re-batching).
#[test]
fn ten_thousand_messages_with_failures() {
    let records: Vec<Value> = (0..10_000)
        .map(|i| Value::String(format!("{{\"n\": {i}, \"poison\": {}}}", i % 10 == 7)))
        .collect();
    let options = SystemOptions {
        max_events: 20_000,
        ..SystemOptions::default()
    };
    let r = run_with(
        sqs_to_lambda(10, queue(Value::Array(records), 3)),
        json!({}),
        json!({"process-orders": {"0-": {"FailItems": {"body": {"poison": [true]}}}}}),
        options,
    );
    assert!(r.capped.is_none(), "{:?}", r.capped);
    let pipe = &r.pipes[0];
    assert_eq!(pipe.batches.len(), 1_000 + 100 + 100);
    let count = |s: RecordStatus| pipe.records.iter().filter(|x| x.status == s).count();
    assert_eq!(
        (
            count(RecordStatus::Delivered),
            count(RecordStatus::DeadLettered)
        ),
        (9_000, 1_000)
    );
    assert_eq!(pipe.dead_letters.len(), 1_000);
    assert!(pipe.records.iter().all(|x| x.receives
        == if x.status == RecordStatus::DeadLettered {
            3
        } else {
            1
        }));
    let lanes: std::collections::BTreeMap<&str, usize> =
        r.events.iter().fold(Default::default(), |mut m, e| {
            *m.entry(e.bus.as_str()).or_default() += 1;
            m
        });
    assert_eq!(r.events.len(), 1_200, "{lanes:?}");
}
