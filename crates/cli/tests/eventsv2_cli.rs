//! `statebridge route` on a Custom Event Bus document (`EventsV2`): the subscribers' lanes in the
//! output, exit codes, and a refused `CreateSubscriber` named with its file, line and column.

mod common;

use common::run;
use serde_json::Value;
use std::path::PathBuf;

fn file(name: &str, text: &str) -> PathBuf {
    common::file("eventsv2-cli", name, text)
}

const DOC: &str = r#"{"EventsV2": {
  "EventBuses": [{"Name": "orders"}],
  "Subscribers": [{"Name": "big-orders", "EventBusArn": "orders",
    "InvokeConfiguration": {"TargetArn": "arn:aws:sqs:us-east-1:123456789012:big", "RoleArn": "arn:aws:iam::123456789012:role/r"},
    "FilterConfiguration": {"Filters": [{"Scope": "DATA", "Pattern": "{\"detail\":{\"total\":[{\"numeric\":[\">\",500]}]}}"}]},
    "Transformer": {"Type": "JSONATA", "JsonataConfiguration": {"Expression": "{% $events.Data.detail.id %}"}}}],
  "Publish": [{"EventBusArn": "orders", "Entries": [
    {"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{\"id\": \"a\", \"total\": 900}"},
    {"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{\"id\": \"b\", \"total\": 9}"}]}]}}"#;

#[test]
fn route_runs_a_custom_event_bus_document_without_an_event() {
    let doc = file("bus.json", DOC);
    let (code, out, err) = run(&["route", doc.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let out: Value = serde_json::from_str(&out).unwrap();
    let v2 = &out["eventsv2"];
    assert_eq!(v2["publishes"][0]["response"]["FailedEntryCount"], 0);
    let lane = &v2["subscribers"][0]["lane"];
    assert_eq!(
        (lane["matched"].as_u64(), lane["delivered"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(v2["deliveries"][0]["payload"], "a");
    assert_eq!(lane["entries"][1]["verdicts"][0]["matched"], false);
}

#[test]
fn nothing_delivered_exits_1_and_a_refused_subscriber_says_where() {
    let none = file("none.json", &DOC.replace("900", "90"));
    let (code, _, _) = run(&["route", none.to_str().unwrap()]);
    assert_eq!(code, 1);
    let bad = file(
        "bad.json",
        &DOC.replace("\"Scope\": \"DATA\"", "\"Scope\": \"BODY\""),
    );
    let (code, _, err) = run(&["route", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.json:5:")
            && err.contains("subscriber `big-orders`: InvalidInputException: FilterConfiguration.Filters[0].Scope: `BODY`: use DATA, METADATA or SYSTEM_METADATA"),
        "{err}"
    );
}
