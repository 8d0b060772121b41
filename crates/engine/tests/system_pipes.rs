//! EventBridge Pipes in a system run: sources, filtering, batching, enrichment, input
//! transformation and targets, as the user guide's Pipes chapter describes them; and the errors
//! a pipe gives, with its place.

use serde_json::{Value, json};
use statebridge_engine::asl::exec::Status;
use statebridge_engine::bus::Bus;
use statebridge_engine::system::{
    BatchStatus, Origin, RecordStatus, Report, System, SystemOptions,
};
use statebridge_engine::workspace::Workspace;

const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:";
const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:orders";
const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:";
const STREAM: &str = "arn:aws:kinesis:us-east-1:123456789012:stream/readings";
const TABLE: &str =
    "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-01-01T00:00:00.000";

fn pass() -> Value {
    json!({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}})
}

fn ws(rules: Value, mocks: Value) -> Workspace {
    Workspace::from_value(&json!({"name": "t", "event": null, "rules": rules,
        "machines": {"Fulfil": pass(), "Lookup": {"StartAt": "Find", "States": {"Find": {
            "Type": "Pass", "Parameters": {"found.$": "States.ArrayLength($)"}, "End": true}}}},
        "mocks": mocks}))
    .unwrap_or_else(|e| panic!("{e}"))
}

fn run(rules: Value, mocks: Value) -> Report {
    System::from_workspace(&ws(rules, mocks), SystemOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .run()
}

fn statuses(r: &Report) -> Vec<RecordStatus> {
    r.pipes[0].records.iter().map(|x| x.status).collect()
}

fn refused(doc: Value) -> String {
    doc.to_string()
        .parse::<Bus>()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

/// The learner's example: an SQS orders queue → `body.amount > 100` → a Lambda enrichment →
/// the order workflow.
#[test]
fn orders_over_100_are_enriched_and_start_the_workflow() {
    let rules = json!({
        "Rules": [],
        "Pipes": [{
            "Name": "big-orders",
            "Source": QUEUE,
            "SourceParameters": {
                "FilterCriteria": {"Filters": [{"Pattern": "{\"body\": {\"amount\": [{\"numeric\": [\">\", 100]}]}}"}]},
                "SqsQueueParameters": {"BatchSize": 1}
            },
            "Enrichment": format!("{LAMBDA}add-customer"),
            "EnrichmentParameters": {"InputTemplate": "{\"orderId\": <$.body.orderId>, \"amount\": <$.body.amount>}"},
            "Target": format!("{SM}Fulfil"),
            "TargetParameters": {
                "InputTemplate": "{\"order\": <$.orderId>, \"customer\": <$.customer>, \"pipe\": <aws.pipes.pipe-name>}",
                "StepFunctionStateMachineParameters": {"InvocationType": "FIRE_AND_FORGET"}
            }
        }],
        "Sources": [{"Arn": QUEUE, "Records": [
            "{\"orderId\": \"o-1\", \"amount\": 250}",
            "{\"orderId\": \"o-2\", \"amount\": 20}",
            "refund o-3",
            {"MessageBody": "{\"orderId\": \"o-4\", \"amount\": 101}", "DelaySeconds": 30}
        ]}]
    });
    let mocks = json!({"add-customer": {
        "0": {"Return": [{"orderId": "o-1", "customer": "Ada"}]},
        "1": {"Return": [{"orderId": "o-4", "customer": "Grace"}]}
    }});
    let r = run(rules, mocks);
    let pipe = &r.pipes[0];
    assert_eq!(
        statuses(&r),
        [
            RecordStatus::Delivered,
            RecordStatus::Filtered,
            RecordStatus::Filtered,
            RecordStatus::Delivered
        ]
    );
    // The record has the shape AWS delivers.
    let first = &pipe.records[0].record;
    assert_eq!(first["eventSource"], "aws:sqs");
    assert_eq!(first["eventSourceARN"], QUEUE);
    assert_eq!(first["body"], "{\"orderId\": \"o-1\", \"amount\": 250}");
    assert_eq!(first["attributes"]["ApproximateReceiveCount"], "1");
    // The enrichment got an array of the batch, each made by its InputTemplate.
    let call = pipe.batches[0]
        .enrichment
        .as_ref()
        .expect("enrichment called");
    assert_eq!(call.input, json!([{"orderId": "o-1", "amount": 250}]));
    // The target gets an array too, even of one.
    assert_eq!(
        r.executions
            .iter()
            .map(|e| (e.machine.as_str(), e.input.clone()))
            .collect::<Vec<_>>(),
        [
            (
                "Fulfil",
                json!([{"order": "o-1", "customer": "Ada", "pipe": "big-orders"}])
            ),
            (
                "Fulfil",
                json!([{"order": "o-4", "customer": "Grace", "pipe": "big-orders"}])
            )
        ]
    );
    // The delayed message arrives 30 seconds in, and its execution starts then.
    assert_eq!(r.executions[1].start, "2026-01-01T00:00:30.000Z");
    // Each batch's delivery is an event on the pipe's lane, and the execution names it.
    let lane = &r.events[r.executions[0].event];
    assert_eq!(lane.bus, "(pipe) big-orders");
    assert!(matches!(lane.origin, Origin::Pipe { batch: 0, .. }));
}

/// "If you don't want to invoke the target, return an empty response, such as "", {}, or []."
#[test]
fn an_enrichment_that_returns_nothing_filters() {
    let rules = json!({
        "Pipes": [{"Name": "p", "Source": QUEUE, "Enrichment": format!("{LAMBDA}screen"),
                   "Target": format!("{SM}Fulfil")}],
        "Sources": [{"Arn": QUEUE, "Records": ["a", "b"]}]
    });
    let r = run(rules, json!({"screen": {"0": {"Return": []}}}));
    assert_eq!(r.pipes[0].batches[0].status, BatchStatus::Dropped);
    assert_eq!(statuses(&r), [RecordStatus::Dropped, RecordStatus::Dropped]);
    assert!(r.executions.is_empty());
}

#[test]
fn an_enrichment_that_throws_fails_the_batch() {
    let rules = json!({
        "Pipes": [{"Name": "p", "Source": QUEUE, "Enrichment": format!("{LAMBDA}screen"),
                   "Target": format!("{SM}Fulfil")}],
        "Sources": [{"Arn": QUEUE, "Records": ["a"]}]
    });
    let r = run(
        rules,
        json!({"screen": {"0": {"Throw": {"Error": "Lambda.ServiceException", "Cause": "down"}}}}),
    );
    let batch = &r.pipes[0].batches[0];
    assert_eq!(batch.status, BatchStatus::Failed);
    assert_eq!(
        batch.error.as_deref(),
        Some("the enrichment failed: Lambda.ServiceException: down")
    );
}

/// An Express state machine enrichment, run by the engine, gets the batch and returns the events.
#[test]
fn a_state_machine_enrichment_runs_the_workspace_machine() {
    let rules = json!({
        "Pipes": [{"Name": "p", "Source": QUEUE, "Enrichment": format!("{SM}Lookup"),
                   "Target": "arn:aws:sqs:us-east-1:123456789012:out"}],
        "Sources": [{"Arn": QUEUE, "Records": ["a", "b", "c"]}]
    });
    let r = run(rules, json!({}));
    let call = r.pipes[0].batches[0].enrichment.as_ref().expect("called");
    assert_eq!(call.answered_by, "execution");
    assert_eq!(call.output, Some(json!({"found": 3})));
    assert_eq!(
        r.pipes[0].batches[0].target_input,
        Some(json!([{"found": 3}]))
    );
    assert_eq!(r.pipes[0].batches[0].status, BatchStatus::Delivered);
}

/// Batching: BatchSize and MaximumBatchingWindowInSeconds.
#[test]
fn records_are_batched_by_size_and_window() {
    let records: Vec<Value> = [0, 0, 0, 2, 40]
        .iter()
        .enumerate()
        .map(|(i, at)| json!({"MessageBody": format!("m{i}"), "At": at}))
        .collect();
    let rules = json!({
        "Pipes": [{"Name": "p", "Source": QUEUE,
                   "SourceParameters": {"SqsQueueParameters": {"BatchSize": 2, "MaximumBatchingWindowInSeconds": 10}},
                   "Target": format!("{SM}Fulfil")}],
        "Sources": [{"Arn": QUEUE, "Records": records}]
    });
    let r = run(rules, json!({}));
    let batches: Vec<(Vec<usize>, &str)> = r.pipes[0]
        .batches
        .iter()
        .map(|b| (b.records.clone(), b.time.as_str()))
        .collect();
    assert_eq!(
        batches,
        [
            (vec![0, 1], "2026-01-01T00:00:00.000Z"),
            (vec![2, 3], "2026-01-01T00:00:02.000Z"),
            (vec![4], "2026-01-01T00:00:50.000Z")
        ]
    );
    let sizes: Vec<usize> = r
        .executions
        .iter()
        .map(|e| e.input.as_array().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [2, 2, 1]);
}

/// A Kinesis record's `data` is base64; a pattern and a template see it decoded when it is JSON.
#[test]
fn kinesis_data_is_filtered_and_transformed_decoded() {
    let rules = json!({
        "Pipes": [{"Name": "hot", "Source": STREAM,
                   "SourceParameters": {
                       "KinesisStreamParameters": {"StartingPosition": "TRIM_HORIZON", "BatchSize": 10},
                       "FilterCriteria": {"Filters": [{"Pattern": {"partitionKey": ["1"], "data": {"City": ["Seattle"]}}}]}},
                   "Target": format!("{SM}Fulfil"),
                   "TargetParameters": {"InputTemplate": "{\"city\": <$.data.City>, \"t\": <$.data.Temperature>}"}}],
        "Sources": [{"Arn": STREAM, "Records": [
            {"Data": "{\"City\": \"Seattle\", \"Temperature\": \"46\"}", "PartitionKey": "1"},
            {"Data": "{\"City\": \"Portland\", \"Temperature\": \"50\"}", "PartitionKey": "1"},
            {"Data": "Hello, this is a test.", "PartitionKey": "1"}
        ]}]
    });
    let r = run(rules, json!({}));
    assert_eq!(
        statuses(&r),
        [
            RecordStatus::Delivered,
            RecordStatus::Filtered,
            RecordStatus::Filtered
        ]
    );
    assert_eq!(
        r.pipes[0].records[2].record["data"],
        "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg=="
    );
    assert_eq!(
        r.pipes[0].records[0].record["eventName"],
        "aws:kinesis:record"
    );
    assert_eq!(
        r.executions[0].input,
        json!([{"city": "Seattle", "t": "46"}])
    );
}

/// LATEST reads only what arrives after the pipe starts.
#[test]
fn latest_skips_the_records_already_in_the_stream() {
    let rules = json!({
        "Pipes": [{"Name": "p", "Source": STREAM,
                   "SourceParameters": {"KinesisStreamParameters": {"StartingPosition": "LATEST"}},
                   "Target": format!("{SM}Fulfil")}],
        "Sources": [{"Arn": STREAM, "Records": ["old", {"Data": "new", "At": 5}]}]
    });
    let r = run(rules, json!({}));
    assert_eq!(
        statuses(&r),
        [RecordStatus::BeforeStart, RecordStatus::Delivered]
    );
}

/// DynamoDB stream records keep their typed images; a filter on `eventName` and `dynamodb`.
#[test]
fn dynamodb_inserts_go_through_to_an_event_bus_and_its_rules() {
    let rules = json!({
        "Rules": [{"Name": "created", "EventBusName": "orders",
                   "EventPattern": {"source": ["Pipe orders-stream"], "detail-type": ["Event from aws:dynamodb"]},
                   "Targets": [{"Id": "t", "Arn": format!("{SM}Fulfil"), "InputPath": "$.detail"}]}],
        "Pipes": [{"Name": "orders-stream", "Source": TABLE,
                   "SourceParameters": {
                       "DynamoDBStreamParameters": {"StartingPosition": "TRIM_HORIZON", "BatchSize": 10},
                       "FilterCriteria": {"Filters": [{"Pattern": "{\"eventName\": [\"INSERT\"]}"}]}},
                   "Target": "arn:aws:events:us-east-1:123456789012:event-bus/orders",
                   "TargetParameters": {"InputTemplate": "{\"id\": <$.dynamodb.Keys.Id.N>, \"message\": <$.dynamodb.NewImage.Message.S>}"}}],
        "Sources": [{"Arn": TABLE, "Records": [
            {"eventName": "INSERT", "Keys": {"Id": {"N": "101"}}, "NewImage": {"Id": {"N": "101"}, "Message": {"S": "New item!"}}},
            {"eventName": "MODIFY", "Keys": {"Id": {"N": "101"}},
             "OldImage": {"Id": {"N": "101"}, "Message": {"S": "New item!"}},
             "NewImage": {"Id": {"N": "101"}, "Message": {"S": "This item has changed"}}}
        ]}]
    });
    let r = run(rules, json!({}));
    assert_eq!(
        statuses(&r),
        [RecordStatus::Delivered, RecordStatus::Filtered]
    );
    assert_eq!(
        r.pipes[0].records[1].record["dynamodb"]["OldImage"]["Message"],
        json!({"S": "New item!"})
    );
    let on_bus: Vec<&Value> = r
        .events
        .iter()
        .filter(|e| e.bus == "orders")
        .map(|e| &e.event)
        .collect();
    assert_eq!(on_bus.len(), 1);
    assert_eq!(
        on_bus[0]["detail"],
        json!({"id": "101", "message": "New item!"})
    );
    assert_eq!(r.executions.len(), 1);
    assert_eq!(
        r.executions[0].input,
        json!({"id": "101", "message": "New item!"})
    );
}

/// With REQUEST_RESPONSE (the default) the pipe waits for the execution: a failed one fails
/// the batch; with FIRE_AND_FORGET the batch is delivered whatever the execution does.
#[test]
fn request_response_waits_for_the_execution() {
    let failing = json!({"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Nope"}}});
    let doc = |invocation: &str| {
        json!({"name": "t", "event": null, "machines": {"Fulfil": failing.clone()}, "mocks": {},
          "rules": {"Pipes": [{"Name": "p", "Source": QUEUE, "Target": format!("{SM}Fulfil"),
             "TargetParameters": {"StepFunctionStateMachineParameters": {"InvocationType": invocation}}}],
           "Sources": [{"Arn": QUEUE, "Records": ["a"]}]}})
    };
    let status = |invocation: &str| {
        let ws = Workspace::from_value(&doc(invocation)).unwrap_or_else(|e| panic!("{e}"));
        let r = System::from_workspace(&ws, SystemOptions::default())
            .unwrap_or_else(|e| panic!("{e}"))
            .run();
        assert_eq!(r.executions[0].status, Status::Failed);
        r.pipes[0].batches[0].status
    };
    assert_eq!(status("REQUEST_RESPONSE"), BatchStatus::Failed);
    assert_eq!(status("FIRE_AND_FORGET"), BatchStatus::Delivered);
}

#[test]
fn errors_name_the_pipe_and_field() {
    let pipe = |extra: Value| {
        let mut p = json!({"Name": "p", "Source": QUEUE, "Target": "arn:aws:sqs:us-east-1:123456789012:out"});
        if let (Some(o), Some(e)) = (p.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        json!({"Pipes": [p], "Sources": [{"Arn": QUEUE, "Records": []}]})
    };
    let e = refused(pipe(
        json!({"SourceParameters": {"FilterCriteria": {"Filters": [
        {"Pattern": "{\"body\": [\"x\"]}"}, {"Pattern": "{\"body\": {\"amount\": [{\"numeric\": [\">\"]}]}}"}]}}}),
    ));
    assert!(
        e.contains("at `Pipes[0].SourceParameters.FilterCriteria.Filters[1].Pattern`: invalid event pattern:"),
        "{e}"
    );
    let e = refused(pipe(
        json!({"SourceParameters": {"SqsQueueParameters": {"BatchSize": 50}}}),
    ));
    assert!(
        e.contains("at `Pipes[0].SourceParameters.SqsQueueParameters.BatchSize`: a batch of 50 records, but the target"),
        "{e}"
    );
    let e = refused(pipe(json!({"Name": "no spaces"})));
    assert!(
        e.contains("at `Pipes[0].Name`: `no spaces` is not a valid pipe name"),
        "{e}"
    );
    let e = refused(pipe(
        json!({"TargetParameters": {"InputTemplate": "<aws.pipes.nope>"}}),
    ));
    assert!(e.contains("at `Pipes[0].TargetParameters.InputTemplate`: <aws.pipes.nope> is not a reserved variable"), "{e}");
    let e = refused(pipe(
        json!({"Source": "arn:aws:sqs:us-east-1:123456789012:other"}),
    ));
    assert!(
        e.contains("at `Pipes[0].Source`: no entry of `Sources` holds the records"),
        "{e}"
    );
    let e = refused(
        json!({"Pipes": [{"Name": "k", "Source": STREAM, "Target": "arn:aws:sqs:us-east-1:1:q"}],
                           "Sources": [{"Arn": STREAM, "Records": []}]}),
    );
    assert!(e.contains("at `Pipes[0].SourceParameters.KinesisStreamParameters`: expected the stream's parameters"), "{e}");
    let e =
        refused(json!({"Pipes": [], "Sources": [{"Arn": QUEUE, "Records": [{"MessageBody": 5}]}]}));
    assert!(
        e.contains("at `Sources[0].Records[0].MessageBody`: expected a string"),
        "{e}"
    );
    // Read from text, the error has a line and column.
    let text = "{\"Pipes\": [{\"Name\": \"p\", \"Source\": \"arn:aws:sqs:us-east-1:123456789012:orders\",\n  \"DesiredState\": \"PAUSED\", \"Target\": \"arn:aws:sqs:us-east-1:1:q\"}],\n \"Sources\": [{\"Arn\": \"arn:aws:sqs:us-east-1:123456789012:orders\", \"Records\": []}]}";
    let e = text
        .parse::<Bus>()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(
        e,
        "line 2, column 19: at `Pipes[0].DesiredState`: `PAUSED` is not one of RUNNING, STOPPED"
    );
}

/// 10,000 messages through a filter: each is read, shaped, decoded and matched once.
#[test]
fn ten_thousand_records_through_a_filter() {
    let records: Vec<Value> = (0..10_000)
        .map(|i| {
            json!(format!(
                "{{\"orderId\": \"o-{i}\", \"amount\": {}}}",
                i % 1000
            ))
        })
        .collect();
    let rules = json!({
        "Pipes": [{"Name": "p", "Source": QUEUE,
                   "SourceParameters": {
                       "FilterCriteria": {"Filters": [{"Pattern": "{\"body\": {\"amount\": [{\"numeric\": [\">=\", 998]}]}}"}]},
                       "SqsQueueParameters": {"BatchSize": 10000, "MaximumBatchingWindowInSeconds": 1}},
                   "Target": format!("{SM}Fulfil")}],
        "Sources": [{"Arn": QUEUE, "Records": records}]
    });
    let r = run(rules, json!({}));
    let kept = statuses(&r)
        .iter()
        .filter(|s| **s == RecordStatus::Delivered)
        .count();
    assert_eq!(kept, 20);
    assert_eq!(r.pipes[0].batches.len(), 1);
    assert_eq!(r.executions[0].input.as_array().map(Vec::len), Some(20));
}
