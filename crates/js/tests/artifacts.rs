//! The JS API's artifact functions on plain values: `replay`, `importTemplate`, `exportTemplate`
//! and `matrix`, one behaviour per test, errors with their place.

use serde_json::{Value, json};
use statebridge_js::artifacts;
use statebridge_js::error::ErrorKind;
use statebridge_js::input::Input;

fn text(s: &str) -> Input {
    Input::Text(s.to_owned())
}

const HISTORY: &str = r#"{"events": [
  {"id": 3, "previousEventId": 2, "timestamp": "2024-03-01T10:00:01.500000+00:00", "type": "ExecutionFailed",
   "executionFailedEventDetails": {"error": "Boom", "cause": "it broke"}},
  {"id": 2, "previousEventId": 1, "timestamp": "2024-03-01T10:00:01.000000+00:00", "type": "FailStateEntered",
   "stateEnteredEventDetails": {"name": "F", "input": "{}"}}]}
{"events": [{"id": 1, "previousEventId": 0, "timestamp": 1709287200, "type": "ExecutionStarted",
   "executionStartedEventDetails": {"input": "{\"a\":1}"}}]}
{"stateMachineArn": "arn:aws:states:us-east-1:1:stateMachine:m", "definition": "{\"StartAt\":\"F\",\"States\":{\"F\":{\"Type\":\"Fail\",\"Error\":\"Boom\"}}}"}"#;

#[test]
fn replay_orders_pages_and_reads_the_outcome() {
    let v = artifacts::replay(text(HISTORY)).unwrap();
    let ids: Vec<u64> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(
        v["millis"],
        json!([
            1_709_287_200_000_i64,
            1_709_287_201_000_i64,
            1_709_287_201_500_i64
        ])
    );
    assert_eq!(
        (
            v["status"].as_str(),
            v["error"].as_str(),
            v["cause"].as_str()
        ),
        (Some("FAILED"), Some("Boom"), Some("it broke"))
    );
    assert_eq!(v["input"], json!("{\"a\":1}"));
    assert_eq!(v["pages"], json!(2));
    assert_eq!(v["definition"]["StartAt"], json!("F"));
    assert_eq!(v["output"], Value::Null);
}

#[test]
fn replay_rejects_with_line_column_and_path() {
    let bad = "{\"events\": [\n  {\"id\": 1, \"type\": \"ExecutionStarted\", \"timestamp\": \"yesterday\"}]}";
    let e = artifacts::replay(text(bad)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::History);
    assert_eq!(e.argument.as_deref(), Some("history"));
    assert_eq!(e.path.as_deref(), Some("events[0].timestamp"));
    assert_eq!(e.line.zip(e.column), Some((2, 54)));
    assert!(e.message.contains("is not a timestamp"), "{}", e.message);
    let e = artifacts::replay(text("{\"events\": [")).unwrap_err();
    assert_eq!((e.kind, e.line), (ErrorKind::History, Some(1)));
    let e = artifacts::replay(text("   ")).unwrap_err();
    assert!(e.message.contains("nothing to read"), "{}", e.message);
}

const SAM: &str = "Resources:\n  Orders:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States: {A: {Type: Succeed}}\n      Events:\n        Created:\n          Type: EventBridgeRule\n          Properties:\n            Pattern: {source: [shop]}\n";

#[test]
fn import_template_makes_a_workspace_keeping_the_base_event() {
    let base = json!({"name": "mine", "event": {"source": "shop", "detail": {"n": 1}}, "rules": {"Rules": []}, "machines": {}, "mocks": {"A": {"0": {"Return": 1}}}});
    let v = artifacts::import_template(text(SAM), Some(Input::Value(base))).unwrap();
    assert_eq!(v["machines"]["Orders"]["StartAt"], json!("A"));
    assert_eq!(v["rules"][0]["Targets"][0]["StateMachine"], json!("Orders"));
    assert_eq!(v["workspace"]["event"]["detail"]["n"], json!(1));
    assert_eq!(v["workspace"]["mocks"]["A"]["0"]["Return"], json!(1));
    assert_eq!(
        v["workspace"]["rules"]["Rules"][0]["EventPattern"]["source"],
        json!(["shop"])
    );
    // Without a base, a sample event.
    let v = artifacts::import_template(text(SAM), None).unwrap();
    assert!(v["workspace"]["event"].is_object());
}

#[test]
fn import_template_rejects_with_a_place() {
    let e =
        artifacts::import_template(text("{\"Resources\": {\n  \"R\": 3,\n}"), None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Template);
    assert!(e.line.is_some() && e.column.is_some(), "{e:?}");
    let e = artifacts::import_template(text(SAM), Some(text("{\"name\": 3}"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Workspace);
    assert_eq!(e.argument.as_deref(), Some("workspace"));
}

#[test]
fn export_template_round_trips_through_json_and_yaml() {
    let ws = artifacts::import_template(text(SAM), None).unwrap()["workspace"].clone();
    for format in [None, Some("json"), Some("yaml")] {
        let out = artifacts::export_template(Input::Value(ws.clone()), format).unwrap();
        assert_eq!(out["format"], json!(format.unwrap_or("json")));
        let back = artifacts::import_template(text(out["text"].as_str().unwrap()), None).unwrap();
        assert_eq!(
            back["machines"]["Orders"], ws["machines"]["Orders"],
            "{format:?}"
        );
        assert_eq!(
            back["rules"][0]["EventPattern"], ws["rules"]["Rules"][0]["EventPattern"],
            "{format:?}"
        );
    }
    let e = artifacts::export_template(Input::Value(ws), Some("xml")).unwrap_err();
    assert_eq!(
        (e.kind, e.argument.as_deref()),
        (ErrorKind::Argument, Some("format"))
    );
}

#[test]
fn matrix_gives_verdicts_reasons_and_unmatched_events() {
    let rules = json!({"Rules": [
        {"Name": "big", "EventPattern": {"detail": {"total": [{"numeric": [">", 100]}]}}, "Targets": []},
        {"Name": "shop", "EventPattern": {"source": ["shop"]}, "Targets": []}]});
    let events = "{\"source\": \"shop\", \"detail\": {\"total\": 500}}\n{\"source\": \"bank\", \"detail\": {\"total\": 5}}\n";
    let m = artifacts::matrix(text(events), Input::Value(rules.clone())).unwrap();
    assert_eq!(m["cells"][0][0]["matched"], json!(true));
    assert_eq!(m["cells"][1][1]["matched"], json!(false));
    assert_eq!(
        m["cells"][0][1]["reasons"],
        json!(["`detail.total` is 5; the pattern wants a number > 100"])
    );
    assert_eq!(m["unmatched"], json!([1]));
    assert_eq!(m["events"][1]["line"], json!(2));
    // A whole workspace's rules work too; a JSON array of events too.
    let ws = json!({"name": "w", "event": {}, "rules": rules, "machines": {}});
    let m = artifacts::matrix(text("[{\"source\": \"shop\"}]"), Input::Value(ws)).unwrap();
    assert_eq!(m["cells"][1][0]["matched"], json!(true));
}

#[test]
fn matrix_rejects_with_a_place() {
    let rules = json!({"Rules": []});
    let e = artifacts::matrix(text("{\"source\": \"a\"}\n{\"Source\": \"a\", \"DetailType\": \"x\", \"Detail\": \"not json\"}"), Input::Value(rules.clone())).unwrap_err();
    assert_eq!(
        (e.kind, e.argument.as_deref()),
        (ErrorKind::Event, Some("events"))
    );
    assert_eq!(e.line, Some(2), "{e:?}");
    let e = artifacts::matrix(text("{}"), text("{\"Rules\": 3}")).unwrap_err();
    assert_eq!(
        (e.kind, e.argument.as_deref()),
        (ErrorKind::Bus, Some("rules"))
    );
    let e = artifacts::matrix(text("{}"), text("{\"Rules\": [")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Syntax);
}
