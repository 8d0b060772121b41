//! `statebridge match`, `transform` and `route` from the outside: output and exit codes.

mod common;

use common::{p, run};
use std::path::PathBuf;

const EVENT: &str = r#"{"version": "0", "id": "a1b2", "detail-type": "OrderCreated",
  "source": "com.my-ecommerce.orders", "account": "123456789012", "time": "2023-10-27T10:00:00Z",
  "region": "us-east-1", "resources": [],
  "detail": {"orderId": "ORD-987654", "totalAmount": 150.75}}"#;
const PATTERN: &str = r#"{"detail-type": ["OrderCreated"], "source": ["com.my-ecommerce.orders"]}"#;

fn file(name: &str, text: &str) -> PathBuf {
    common::file("pattern-cli", name, text)
}

#[test]
fn match_exit_codes_and_explanations() {
    let pattern = file("pattern.json", PATTERN);
    let event = file("event.json", EVENT);
    let other = file(
        "other.json",
        &EVENT.replace("com.my-ecommerce.orders", "com.my-ecommerce.payments"),
    );
    assert_eq!(
        run(&["match", p(&pattern), p(&event)]),
        (0, "match\n".into(), String::new())
    );
    // `--explain`: the verdict, then one line per field, the unmet ones first.
    let (code, out, _) = run(&["match", p(&pattern), p(&other), "--explain"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "no match\n  ✗ `source` is \"com.my-ecommerce.payments\"; the pattern wants \"com.my-ecommerce.orders\"\n  ✓ `detail-type` is \"OrderCreated\", as the pattern wants\n"
    );
    let (code, out, _) = run(&["match", p(&pattern), p(&event), "--explain"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "match\n  ✓ `detail-type` is \"OrderCreated\", as the pattern wants\n  ✓ `source` is \"com.my-ecommerce.orders\", as the pattern wants\n"
    );
    let (code, out, _) = run(&["match", p(&pattern), p(&other), "--json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["matched"], false);
    assert_eq!(json["explanation"]["fields"][1]["path"], "source");
    assert_eq!(json["explanation"]["fields"][1]["matched"], false);
}

#[test]
fn invalid_inputs_exit_2_naming_file_and_place() {
    let event = file("event2.json", EVENT);
    let bad_pattern = file("bad-pattern.json", "{\n  \"source\": \"aws.ec2\"\n}");
    let not_json = file("not-json.json", "{\"source\": [\"a\",]}");
    let (code, _, err) = run(&["match", p(&bad_pattern), p(&event)]);
    assert_eq!(code, 2);
    assert!(err.contains("bad-pattern.json: invalid pattern: line 2, column 13: at `source`: a field must hold a list"), "{err}");
    let (code, _, err) = run(&["match", p(&not_json), p(&event)]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "not-json.json: the pattern is not valid JSON: line 1, column 16: trailing comma"
        ),
        "{err}"
    );
    let (code, _, err) = run(&["match", p(&not_json)]);
    assert_eq!(code, 2);
    assert!(err.contains("usage"), "{err}");
}

#[test]
fn transform_prints_the_delivered_input() {
    let event = file("event3.json", EVENT);
    let target = file(
        "target.json",
        r#"{"InputTransformer": {"InputPathsMap": {"id": "$.detail.orderId"}, "InputTemplate": "{\"order\": <id>}"}}"#,
    );
    assert_eq!(
        run(&["transform", p(&target), p(&event)]),
        (0, "{\"order\": \"ORD-987654\"}\n".into(), String::new())
    );
    let bad = file("bad-target.json", r#"{"InputPath": "detail"}"#);
    let (code, _, err) = run(&["transform", p(&bad), p(&event)]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "bad-target.json: line 1, column 2: `InputPath`: `detail` is not a usable JSONPath"
        ),
        "{err}"
    );
}

#[test]
fn route_prints_the_routing() {
    let event = file("event4.json", EVENT);
    let bus = file(
        "bus.json",
        &format!(
            r#"{{"Rules": [{{"Name": "orders", "EventPattern": {PATTERN},
                "Targets": [{{"Id": "sfn", "Arn": "arn:aws:states:::stateMachine:x", "InputPath": "$.detail", "StateMachine": "x"}}]}},
               {{"Name": "big", "EventPattern": {{"detail": {{"totalAmount": [{{"numeric": [">", 1000]}}]}}}}}}]}}"#
        ),
    );
    let (code, out, err) = run(&["route", p(&bus), p(&event)]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["matched"][0]["name"], "orders");
    assert_eq!(
        json["matched"][0]["targets"][0]["input"]["orderId"],
        "ORD-987654"
    );
    assert_eq!(
        json["not_matched"][0]["reason"],
        "`detail.totalAmount` is 150.75; the pattern wants a number > 1000"
    );
}

#[test]
fn explain_names_the_closest_or_alternative_and_missing_fields() {
    let event = file("event5.json", EVENT);
    let pattern = file(
        "or.json",
        r#"{"$or": [{"source": ["aws.ec2"]},
                    {"source": ["com.my-ecommerce.orders"], "detail": {"totalAmount": [{"numeric": [">", 1000]}]}}],
            "detail": {"couponCode": [{"exists": false}]}}"#,
    );
    let (code, out, err) = run(&["match", p(&pattern), p(&event), "--explain"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out,
        "no match\n  ✗ none of the 2 `$or` alternatives matches; the closest (number 2): `detail.totalAmount` is 150.75; the pattern wants a number > 1000\n  ✓ `detail.couponCode` is missing, as the pattern wants\n"
    );
    let (code, out, _) = run(&["match", p(&pattern), p(&event), "--json", "--explain"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["explanation"]["ors"][0]["closest"], 1);
    assert!(
        json["reason"]
            .as_str()
            .unwrap()
            .contains("the closest (number 2)"),
        "{out}"
    );
}

#[test]
fn events_are_checked_and_read_from_standard_input() {
    let pattern = file("pattern6.json", PATTERN);
    let bad_event = file("bad-event.json", "{\"source\": \"x\",\n \"detail\": }");
    let (code, out, err) = run(&["match", p(&pattern), p(&bad_event)]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("bad-event.json: the event is not valid JSON: line 2, column"),
        "{err}"
    );
    let array = file("array-event.json", "[1]");
    let (code, _, err) = run(&["match", p(&pattern), p(&array)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("array-event.json: the event must be a JSON object"),
        "{err}"
    );
    let (code, _, err) = run(&["match", p(&pattern), p(&array), "--verbose"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown option `--verbose`"), "{err}");
    // `-` is standard input.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_statebridge"))
        .args(["match", p(&pattern), "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(EVENT.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "match\n");
}

#[test]
fn transform_errors_name_the_member_and_its_line() {
    let event = file("event7.json", EVENT);
    let target = file(
        "template.json",
        "{\n  \"InputTransformer\": {\n    \"InputPathsMap\": {\"id\": \"$.detail.orderId\"},\n    \"InputTemplate\": 5\n  }\n}",
    );
    let (code, out, err) = run(&["transform", p(&target), p(&event)]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.contains("template.json: line 4, column 5: `InputTransformer.InputTemplate` must be"),
        "{err}"
    );
    let not_json = file("target-not-json.json", "{\"Input\": }");
    let (code, _, err) = run(&["transform", p(&not_json), p(&event)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("target-not-json.json: the target is not valid JSON: line 1, column"),
        "{err}"
    );
    let whole = file("whole.json", "{}");
    let (code, out, _) = run(&["transform", p(&whole), p(&event)]);
    assert_eq!(code, 0);
    let delivered: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(delivered["detail"]["orderId"], "ORD-987654");
}
