//! `statebridge route` from the outside: the whole cascade as JSON, exit codes, errors that say where.

mod common;

use common::run;
use serde_json::{Value, json};
use std::path::PathBuf;

const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:";

fn file(name: &str, text: &str) -> PathBuf {
    common::file("route-cli", name, text)
}

fn workspace() -> Value {
    json!({
        "name": "orders",
        "event": {"source": "shop", "detail-type": "OrderCreated", "time": "2026-03-01T10:00:00Z",
                  "detail": {"orderId": "O-1"}},
        "rules": {"Rules": [
            {"Name": "created", "EventPattern": {"detail-type": ["OrderCreated"]},
             "Targets": [{"Id": "fulfil", "Arn": format!("{SM}Fulfil"), "InputPath": "$.detail"}]},
            {"Name": "processed", "EventPattern": {"detail-type": ["Order Processed"]},
             "Targets": [{"Id": "stats", "Arn": format!("{SM}Stats")},
                         {"Id": "books", "Arn": format!("{SM}Books"), "InputTransformer": {
                             "InputPathsMap": {"id": "$.detail.orderId"}, "InputTemplate": "<id> booked"},
                          "RetryPolicy": {"MaximumRetryAttempts": 1},
                          "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"}}]}
        ]},
        "machines": {
            "Fulfil": {"StartAt": "Publish", "States": {"Publish": {"Type": "Task",
                "Resource": "arn:aws:states:::events:putEvents",
                "Parameters": {"Entries": [{"Source": "shop", "DetailType": "Order Processed",
                                            "Detail": {"orderId.$": "$.orderId"}}]}, "End": true}}},
            "Stats": {"StartAt": "Count", "States": {"Count": {"Type": "Pass", "End": true}}},
            "Books": {"StartAt": "Book", "States": {"Book": {"Type": "Pass", "End": true}}}
        },
        "mocks": {}
    })
}

#[test]
fn route_prints_the_cascade() {
    let ws = file("ws.json", &workspace().to_string());
    let (code, out, err) = run(&["route", ws.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matched"][0]["name"], "created");
    let machines: Vec<&str> = v["executions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["machine"].as_str())
        .collect();
    assert_eq!(machines, ["Fulfil", "Stats"]);
    assert!(v["executions"][0].get("history").is_none());
    let types: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["event"]["detail-type"].as_str())
        .collect();
    assert!(types.contains(&"Order Processed"), "{types:?}");
    assert!(types.contains(&"Step Functions Execution Status Change"));
    // The accounting target gets text, not JSON: two attempts, then the dead-letter queue.
    assert_eq!(
        v["dead_letters"][0]["attributes"]["ERROR_CODE"],
        "InvalidExecutionInput"
    );
    assert_eq!(v["dead_letters"][0]["attributes"]["RETRY_ATTEMPTS"], 1);
}

#[test]
fn route_replays_and_shows_histories() {
    let ws = file("ws2.json", &workspace().to_string());
    let (code, out, err) = run(&[
        "route",
        ws.to_str().unwrap(),
        "--history",
        "--replay",
        "2026-03-01T10:00:00Z,2026-03-01T10:00:01Z",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["executions"][0]["history"]
            .as_array()
            .is_some_and(|h| !h.is_empty())
    );
    let replayed = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["origin"]["kind"] == "replay")
        .count();
    assert!(replayed >= 1);
    // Everything happened in the first second: OrderCreated and Order Processed are both replayed,
    // so Fulfil and Stats run once each from the archive, and Stats once more from the new Fulfil.
    assert_eq!(v["executions"].as_array().map(Vec::len), Some(5));
}

#[test]
fn route_caps_a_loop() {
    let mut ws = workspace();
    ws["rules"]["Rules"][0]["EventPattern"] = json!({"source": ["shop"]});
    let path = file("loop.json", &ws.to_string());
    let (code, out, _) = run(&["route", path.to_str().unwrap(), "--max-events", "8"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["events"].as_array().map(Vec::len), Some(8));
    assert!(v["capped"].as_str().is_some_and(|s| s.contains("after 8")));
}

#[test]
fn a_bus_file_and_an_event_still_work() {
    let bus = file(
        "bus.json",
        r#"{"Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]},
            "Targets": [{"Id": "t", "Arn": "arn:aws:states:us-east-1:1:stateMachine:inline",
                         "StateMachine": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 7, "End": true}}}}]}]}"#,
    );
    let event = file("event.json", r#"{"source": "other"}"#);
    let (code, out, _) = run(&["route", bus.to_str().unwrap(), event.to_str().unwrap()]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["executions"], json!([]));
    let event = file("event2.json", r#"{"source": "shop"}"#);
    let (code, out, _) = run(&["route", bus.to_str().unwrap(), event.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["executions"][0]["output"], 7);
}

#[test]
fn invalid_inputs_say_where() {
    let bus = file(
        "bad.json",
        "{\"Rules\": [\n  {\"Name\": \"r\", \"EventPattern\": {\"source\": \"shop\"}}]}",
    );
    let event = file("e.json", "{}");
    let (code, _, err) = run(&["route", bus.to_str().unwrap(), event.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.json") && err.contains("line 2"), "{err}");
    let good = file("good.json", r#"{"Rules": []}"#);
    let (code, _, err) = run(&["route", good.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("give EVENT"), "{err}");
    let (code, _, err) = run(&["route", bus.to_str().unwrap(), "--replay", "yesterday"]);
    assert_eq!(code, 2);
    assert!(err.contains("--replay"), "{err}");
}

fn signup_bus() -> PathBuf {
    file(
        "signup-bus.json",
        &json!({"Rules": [
            {"Name": "signups", "EventPattern": {"source": ["myapp.signup"]},
             "Targets": [{"Id": "log", "Arn": "arn:aws:logs:us-east-1:123456789012:log-group:signups"}]},
            {"Name": "custom-catch-all", "EventBusName": "MyCustomEventBus",
             "EventPattern": {"account": ["123456789012"]}}
        ]})
        .to_string(),
    )
}

/// What people paste: PutEvents entries, as boto3 (seed 003) and the AWS CLI take them.
#[test]
fn route_takes_putevents_entries() {
    let bus = signup_bus();
    // (EVENT, exit code, the first routing's bus and matched rule, FailedEntryCount)
    let boto3 = json!({"Entries": [{"Source": "myapp.signup", "DetailType": "UserSignup",
        "Detail": "{\"user_id\": \"12345\"}", "EventBusName": "default"}]});
    let custom = json!([{"Source": "com.mycompany.myapp", "DetailType": "service_status",
        "Detail": "{\"status\": \"restored\"}", "EventBusName": "MyCustomEventBus"}]);
    let mixed = json!({"Entries": [{"Source": "myapp.signup", "DetailType": "UserSignup",
        "Detail": "\"jsonstring\""}, {"Source": "myapp.signup", "DetailType": "UserSignup",
        "Detail": "{}"}]});
    let refused = json!({"DetailType": "UserSignup", "Detail": "{}"});
    let table = [
        (boto3, 0, "default", Some("signups"), Some(0)),
        (
            custom,
            0,
            "MyCustomEventBus",
            Some("custom-catch-all"),
            Some(0),
        ),
        (mixed, 0, "default", Some("signups"), Some(1)),
        (refused, 1, "", None, Some(1)),
    ];
    for (i, (event, code, bus_name, rule, failed)) in table.into_iter().enumerate() {
        let ev = file(&format!("entries-{i}.json"), &event.to_string());
        let (got, out, err) = run(&["route", bus.to_str().unwrap(), ev.to_str().unwrap()]);
        assert_eq!(got, code, "{event}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        if let Some(rule) = rule {
            assert_eq!(v["bus"], bus_name, "{event}");
            assert_eq!(v["matched"][0]["name"], rule, "{event}");
        }
        assert_eq!(
            v["put_events"]["FailedEntryCount"].as_u64(),
            failed,
            "{event}"
        );
        assert_eq!(v["events"][0]["bus"].as_str().unwrap_or(bus_name), bus_name);
    }
    // The mixed call: AWS's code and message for the refused entry, the other one's id.
    let ev = file(
        "mixed.json",
        &json!([{"Source": "s", "DetailType": "t", "Detail": "[]"},
        {"Source": "myapp.signup", "DetailType": "t", "Detail": "{}"}])
        .to_string(),
    );
    let (_, out, _) = run(&["route", bus.to_str().unwrap(), ev.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["put_events"]["Entries"][0],
        json!({"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."})
    );
    assert_eq!(
        v["put_events"]["Entries"][1]["EventId"],
        v["events"][0]["id"]
    );
}

#[test]
fn route_refuses_a_call_putevents_refuses() {
    let bus = signup_bus();
    let eleven: Vec<Value> = (0..11)
        .map(|_| json!({"Source": "s", "DetailType": "t", "Detail": "{}"}))
        .collect();
    let ev = file("eleven.json", &Value::Array(eleven).to_string());
    let (code, _, err) = run(&["route", bus.to_str().unwrap(), ev.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("eleven.json: ValidationException"), "{err}");
    assert!(err.contains("less than or equal to 10"), "{err}");
    // A member PutEvents lacks is refused as boto3 refuses it, at its line and column.
    let ev = file(
        "typo.json",
        "{\"Entries\": [\n  {\"Source\": \"s\", \"detail-type\": \"t\", \"Detail\": \"{}\"}]}",
    );
    let (code, _, err) = run(&["route", bus.to_str().unwrap(), ev.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("typo.json:2:19: Parameter validation failed: Unknown parameter in Entries[0]: \"detail-type\""),
        "{err}"
    );
    assert!(err.contains("(did you mean `DetailType`?)"), "{err}");
}

/// A pipe run from the terminal: the pipes example (an SQS queue with a redrive policy into a
/// Lambda that reports a partial batch failure; a Kinesis stream with AUTOMATIC_BISECT) prints
/// each record's fate, the retries and the dead letters, and a wrong setting is named by place.
#[test]
fn route_runs_pipes_with_retries_and_dead_letters() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../www/examples/pipe-partial-failure.json"
    );
    let (code, out, err) = run(&["route", example]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let orders = &v["pipes"][0];
    let fate: Vec<&str> = orders["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        fate,
        [
            "delivered",
            "delivered",
            "dead_lettered",
            "delivered",
            "delivered",
            "delivered"
        ]
    );
    assert_eq!(orders["records"][2]["receives"], 3);
    assert_eq!(orders["batches"][2]["status"], "PARTIALLY_FAILED");
    assert_eq!(orders["batches"][2]["retry_of"], 0);
    assert_eq!(orders["dead_letters"][0]["attempts"], 3);
    assert!(
        orders["dead_letters"][0]["queue"]
            .as_str()
            .unwrap()
            .ends_with(":orders-dlq")
    );
    assert_eq!(
        v["pipes"][1]["dead_letters"][0]["body"]["requestContext"]["condition"],
        "RetryAttemptsExhausted"
    );

    let mut ws: Value = serde_json::from_str(&std::fs::read_to_string(example).unwrap()).unwrap();
    ws["rules"]["Sources"][0]["Attributes"]["RedrivePolicy"] = json!({"maxReceiveCount": 0});
    let bad = file("pipe-bad.json", &ws.to_string());
    let (code, _, err) = run(&["route", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("Sources[0].Attributes.RedrivePolicy.deadLetterTargetArn"),
        "{err}"
    );
}
