//! `statebridge run` from the outside: output, exit codes and located errors.

use std::path::{Path, PathBuf};

/// The order machine of the seeds, reduced: a throttled charge is retried; insufficient funds
/// lead to a refund.
const ORDER: &str = r#"{
  "StartAt": "Charge",
  "States": {
    "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
      "Retry": [{"ErrorEquals": ["Throttled"], "IntervalSeconds": 2, "MaxAttempts": 2}],
      "Catch": [{"ErrorEquals": ["InsufficientFunds"], "ResultPath": "$.error", "Next": "Refund"}],
      "Next": "Done"},
    "Refund": {"Type": "Pass", "Result": "refunded", "ResultPath": "$.refund", "End": true},
    "Done": {"Type": "Succeed"}
  }
}"#;

mod common;

use common::p;

fn file(name: &str, text: &str) -> PathBuf {
    common::file("run-cli", name, text)
}

/// Runs the binary; its standard output read as JSON (null when it is not).
fn run(args: &[&str]) -> (i32, serde_json::Value, String) {
    let (code, stdout, stderr) = common::run(args);
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (code, json, stderr)
}

/// The seed's order machine run with the MockConfigFile fixture's `test_case` and `extra` flags.
fn seed_case(tag: &str, test_case: &str, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let (def, input, _) = seed_order(tag);
    let mocks = fixture("order-processing-mocks.json");
    let mut args = vec![
        "run",
        p(&def),
        "--input",
        p(&input),
        "--mocks",
        p(&mocks),
        "--test-case",
        test_case,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn throttled_charge_is_retried() {
    let def = file("order.json", ORDER);
    let mocks = file(
        "retry.json",
        r#"{"Charge": {"0": {"Throw": {"Error": "Throttled", "Cause": "slow down"}}, "1": {"Return": {"charged": true}}}}"#,
    );
    let (code, out, _) = run(&["run", p(&def), "--mocks", p(&mocks), "--history"]);
    assert_eq!(code, 0);
    assert_eq!(out["status"], "SUCCEEDED");
    assert_eq!(out["output"], serde_json::json!({"charged": true}));
    let types: Vec<&str> = out["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types
            .iter()
            .filter(|t| **t == "LambdaFunctionFailed")
            .count(),
        1
    );
    // The retry waited IntervalSeconds on the virtual clock.
    let last = out["history"].as_array().unwrap().last().unwrap();
    assert_eq!(last["timestamp"], "2026-01-01T00:00:02.000Z");
}

#[test]
fn insufficient_funds_lead_to_a_refund() {
    let def = file("order2.json", ORDER);
    let input = file("input.json", r#"{"orderId": "ORD-1"}"#);
    let mocks = file(
        "refund.json",
        r#"{"StateMachines": {"Order": {"TestCases": {"Broke": {"Charge": "NoMoney"}}}},
        "MockedResponses": {"NoMoney": {"0": {"Throw": {"Error": "InsufficientFunds", "Cause": "balance 0"}}}}}"#,
    );
    let (code, out, _) = run(&[
        "run",
        p(&def),
        "--input",
        p(&input),
        "--mocks",
        p(&mocks),
        "--test-case",
        "Broke",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        out["output"],
        serde_json::json!({"orderId": "ORD-1", "error": {"Error": "InsufficientFunds", "Cause": "balance 0"}, "refund": "refunded"})
    );
}

#[test]
fn failures_exit_1_and_invalid_input_exits_2() {
    let def = file("order3.json", ORDER);
    let mocks = file(
        "fail.json",
        r#"{"Charge": {"0-2": {"Throw": {"Error": "Throttled", "Cause": "still slow"}}}}"#,
    );
    let (code, out, _) = run(&["run", p(&def), "--mocks", p(&mocks)]);
    assert_eq!(
        (code, out["status"].as_str(), out["error"].as_str()),
        (1, Some("FAILED"), Some("Throttled"))
    );

    let bad = file(
        "bad.json",
        "{\n  \"StartAt\": \"A\",\n  \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}\n}",
    );
    let (code, _, err) = run(&["run", p(&bad)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.json:3:") && err.contains("state `A`"),
        "{err}"
    );

    let (code, _, err) = run(&[
        "run",
        p(&def),
        "--input",
        p(&file("broken.json", "{\"a\": }")),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("broken.json:1:7"), "{err}");

    let (code, _, err) = run(&[
        "run",
        p(&def),
        "--mocks",
        p(&file("m.json", r#"{"Charge": {"x": {}}}"#)),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("/Charge/x"), "{err}");
}

/// The seed's order-processing machine and its input (the rule's `InputPath: $.detail` applied),
/// taken from the example workspace the app ships, written to files for the CLI.
fn seed_order(tag: &str) -> (PathBuf, PathBuf, serde_json::Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = std::fs::read_to_string(root.join("www/examples/order-processing.json")).unwrap();
    let workspace: serde_json::Value = serde_json::from_str(&text).unwrap();
    let def = file(
        &format!("seed-order-{tag}.json"),
        &workspace["machines"]["order-processor"].to_string(),
    );
    let input = file(
        &format!("seed-input-{tag}.json"),
        &workspace["event"]["detail"].to_string(),
    );
    (def, input, workspace)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn types(out: &serde_json::Value) -> Vec<String> {
    out["history"]
        .as_array()
        .map(|h| {
            h.iter()
                .filter_map(|e| e["type"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The `(type, timestamp)` of every event entering or leaving a Lambda call.
fn lambda_events(out: &serde_json::Value) -> Vec<(String, String)> {
    out["history"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| {
            e["type"]
                .as_str()
                .is_some_and(|t| t.starts_with("LambdaFunction"))
        })
        .map(|e| {
            (
                e["type"].as_str().unwrap_or("").to_owned(),
                e["timestamp"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn entered(out: &serde_json::Value) -> Vec<String> {
    out["history"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| {
            e["type"]
                .as_str()
                .is_some_and(|t| t.ends_with("StateEntered"))
        })
        .filter_map(|e| {
            e["stateEnteredEventDetails"]["name"]
                .as_str()
                .map(str::to_owned)
        })
        .collect()
}

#[test]
fn seed_workspace_mocks_retry_the_throttled_charge() {
    // The workspace's own short-form mocks: ChargeCard is throttled twice, then charges.
    let (def, input, workspace) = seed_order("retry");
    let mocks = file("seed-mocks-retry.json", &workspace["mocks"].to_string());
    let (code, out, err) = run(&[
        "run",
        p(&def),
        "--input",
        p(&input),
        "--mocks",
        p(&mocks),
        "--history",
        "--start-time",
        "2024-03-14T09:30:00Z",
    ]);
    assert_eq!(
        (code, out["status"].as_str()),
        (0, Some("SUCCEEDED")),
        "{err}"
    );
    assert_eq!(
        out["output"],
        serde_json::json!({"orderId": "12345", "status": "COMPLETE"})
    );
    let lambda: Vec<String> = lambda_events(&out).into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        lambda
            .iter()
            .filter(|t| *t == "LambdaFunctionFailed")
            .count(),
        2,
        "{lambda:?}"
    );
    let names = entered(&out);
    for state in [
        "ValidateOrder",
        "ChargeCard",
        "FulfillmentAndNotification",
        "FulfillOrder",
        "SendConfirmationEmail",
        "MarkOrderComplete",
    ] {
        assert!(
            names.iter().any(|n| n == state),
            "{state} not entered: {names:?}"
        );
    }
    assert!(!names.iter().any(|n| n == "RefundAndFail"), "{names:?}");
}

#[test]
fn mock_config_file_throttled_charge_backs_off_on_the_virtual_clock() {
    let (code, out, err) = seed_case(
        "backoff",
        "ThrottledCharge",
        &["--history", "--start-time", "2024-03-14T09:30:00Z"],
    );
    assert_eq!(
        (code, out["status"].as_str()),
        (0, Some("SUCCEEDED")),
        "{err}"
    );
    // ChargeCard's retrier: IntervalSeconds 1, BackoffRate 2 → attempts at +0 s, +1 s, +3 s.
    let charge: Vec<(String, String)> = lambda_events(&out)
        .into_iter()
        .filter(|(t, _)| t == "LambdaFunctionScheduled")
        .collect();
    let times: Vec<&str> = charge.iter().map(|(_, ts)| ts.as_str()).collect();
    assert_eq!(
        times.get(1..4),
        Some(
            &[
                "2024-03-14T09:30:00.000Z",
                "2024-03-14T09:30:01.000Z",
                "2024-03-14T09:30:03.000Z"
            ][..]
        ),
        "scheduled at {times:?}"
    );
    assert_eq!(
        types(&out).last().map(String::as_str),
        Some("ExecutionSucceeded")
    );
}

#[test]
fn mock_config_file_insufficient_funds_refund_then_fail() {
    let (code, out, err) = seed_case("refund", "InsufficientFunds", &["--history"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        (
            out["status"].as_str(),
            out["error"].as_str(),
            out["cause"].as_str()
        ),
        (
            Some("FAILED"),
            Some("PaymentFailed"),
            Some("Payment processing failed and was refunded")
        )
    );
    let names = entered(&out);
    assert_eq!(
        names,
        [
            "ValidateOrder",
            "ChargeCard",
            "RefundAndFail",
            "PaymentFailedEnd"
        ],
        "the refund runs once, after the charge's retries"
    );
    // InsufficientFundsError is a States.TaskFailed, so ChargeCard's second retrier (2 attempts,
    // 2 s then 3 s) runs before the Catch: three charges fail, then the refund succeeds.
    let lambda: Vec<String> = lambda_events(&out).into_iter().map(|(t, _)| t).collect();
    assert_eq!(
        lambda
            .iter()
            .filter(|t| *t == "LambdaFunctionFailed")
            .count(),
        3,
        "{lambda:?}"
    );
    // The Catch passes the error output (compact JSON cause unchanged) to the refund.
    let refund_input = out["history"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["stateEnteredEventDetails"]["name"] == "RefundAndFail")
        .and_then(|e| e["stateEnteredEventDetails"]["input"].as_str())
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
        .unwrap_or_default();
    assert_eq!(refund_input["Error"], "InsufficientFundsError");
    assert_eq!(
        refund_input["Cause"],
        r#"{"errorMessage":"card declined: insufficient funds","errorType":"InsufficientFundsError"}"#
    );
}

#[test]
fn mock_config_file_failed_refund_needs_manual_intervention() {
    let (code, out, _) = seed_case("manual", "RefundFails", &[]);
    assert_eq!(
        (code, out["status"].as_str(), out["error"].as_str()),
        (1, Some("FAILED"), Some("CriticalFailure"))
    );
    let (code, out, _) = seed_case("manual", "HappyPath", &[]);
    assert_eq!((code, out["status"].as_str()), (0, Some("SUCCEEDED")));
    let (code, _, err) = seed_case("manual", "NoSuchCase", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("NoSuchCase"), "{err}");
}

/// A Distributed Map over a CSV object of `--s3`, its results written back.
const CSV_MAP: &str = r#"{
  "StartAt": "Map",
  "States": {"Map": {
    "Type": "Map",
    "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                   "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                   "Parameters": {"Bucket": "orders", "Key": "orders.csv"}},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                     "Parameters": {"Bucket": "results", "Prefix": "out"}},
    "End": true
  }}
}"#;

#[test]
fn s3_objects_are_read_and_what_was_written_is_printed() {
    let def = file("csv-map.json", CSV_MAP);
    let s3 = file(
        "s3.json",
        r#"{"orders": {"orders.csv": "id\n1\n2\n"}, "results": {}}"#,
    );
    let (code, out, stderr) = run(&["run", p(&def), "--s3", p(&s3)]);
    assert_eq!(code, 0, "{stderr}");
    let key = out["output"]["ResultWriterDetails"]["Key"]
        .as_str()
        .unwrap();
    assert!(
        key.starts_with("out/") && key.ends_with("/manifest.json"),
        "{key}"
    );
    let manifest = out["s3_written"]["results"][key].as_str().unwrap();
    assert!(manifest.contains("SUCCEEDED_0.json"), "{manifest}");
    // Without the objects, the key is missing: the Map Run fails as on AWS.
    let (code, out, _) = run(&["run", p(&def)]);
    assert_eq!(code, 1);
    assert_eq!(out["error"], "States.ItemReaderFailed");
    // A bucket name S3 refuses is an invalid input, with where.
    let bad = file("bad-s3.json", r#"{"Orders_2026": {}}"#);
    let (code, _, stderr) = run(&["run", p(&def), "--s3", p(&bad)]);
    assert_eq!(code, 2);
    assert!(stderr.contains("at `s3.Orders_2026`"), "{stderr}");
}
