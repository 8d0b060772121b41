//! The JS API's behaviour on plain values: one line per behaviour.

use serde_json::{Value, json};
use statebridge_js::error::{ApiError, ErrorKind};
use statebridge_js::input::Input;
use statebridge_js::{api, system};

fn text(s: &str) -> Input {
    Input::Text(s.to_owned())
}

fn val(v: Value) -> Input {
    Input::Value(v)
}

/// `match(pattern, event)` answers `want`.
fn give(pattern: Input, event: Input, want: bool) {
    assert_eq!(api::matches(pattern, event), Ok(want));
}

/// The call is rejected with `kind`, about `argument`, at `path` and `line:column` when given.
fn rejects(
    got: Result<impl std::fmt::Debug, ApiError>,
    kind: ErrorKind,
    argument: &str,
    path: Option<&str>,
    at: Option<(u32, u32)>,
) {
    let e = got.expect_err("expected an error");
    assert_eq!(e.kind, kind, "{e:?}");
    assert_eq!(e.argument.as_deref(), Some(argument), "{e:?}");
    assert_eq!(e.path.as_deref(), path, "{e:?}");
    assert_eq!(e.line.zip(e.column), at, "{e:?}");
    assert!(!e.message.is_empty());
}

const PASS: &str =
    r#"{"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": {"ok": 1}, "End": true}}}"#;
const RETRY: &str = r#"{"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 2}], "End": true}}}"#;

#[test]
fn match_takes_text_or_values() {
    give(
        text(r#"{"source": ["shop"]}"#),
        text(r#"{"source": "shop"}"#),
        true,
    );
    give(
        val(json!({"source": ["shop"]})),
        val(json!({"source": "shop"})),
        true,
    );
    give(
        val(json!({"source": ["shop"]})),
        text(r#"{"source": "bank"}"#),
        false,
    );
    give(
        val(json!({"detail": {"amount": [{"numeric": [">", 100]}]}})),
        val(json!({"detail": {"amount": 150}})),
        true,
    );
    give(
        val(json!({"detail": {"amount": [{"numeric": [">", 100]}]}})),
        val(json!({"detail": {"amount": "150"}})),
        false,
    );
}

#[test]
fn match_rejects_with_a_place() {
    rejects(
        api::matches(text("{\n  \"source\": \"shop\"\n}"), val(json!({}))),
        ErrorKind::Pattern,
        "pattern",
        Some("source"),
        Some((2, 13)),
    );
    rejects(
        api::matches(val(json!({"source": "shop"})), val(json!({}))),
        ErrorKind::Pattern,
        "pattern",
        Some("source"),
        None,
    );
    rejects(
        api::matches(text("{\"source\": [\"shop\"]"), val(json!({}))),
        ErrorKind::Syntax,
        "pattern",
        None,
        Some((1, 20)),
    );
    rejects(
        api::matches(val(json!({"source": ["shop"]})), text("{oops}")),
        ErrorKind::Syntax,
        "event",
        None,
        Some((1, 2)),
    );
    rejects(
        api::matches(val(json!([1])), val(json!({}))),
        ErrorKind::Pattern,
        "pattern",
        Some("$"),
        None,
    );
}

#[test]
fn explain_says_why() {
    let pattern = json!({"detail": {"state": ["stopped", "terminated"]}});
    let e = api::explain(
        val(pattern.clone()),
        val(json!({"detail": {"state": "running"}})),
    )
    .unwrap();
    assert_eq!(e["matched"], json!(false));
    assert_eq!(
        e["reasons"],
        json!([
            "`detail.state` is \"running\"; the pattern wants one of \"stopped\", \"terminated\""
        ])
    );
    assert_eq!(e["fields"][0]["path"], json!("detail.state"));
    assert_eq!(e["fields"][0]["values"], json!(["running"]));
    assert_eq!(e["arrayMismatch"], json!(false));
    let ok = api::explain(val(pattern), val(json!({"detail": {"state": "stopped"}}))).unwrap();
    assert_eq!(
        (ok["matched"].clone(), ok["message"].clone()),
        (json!(true), json!("the event matches the pattern"))
    );
    let or = api::explain(
        val(json!({"$or": [{"a": [1]}, {"b": [2]}]})),
        val(json!({"b": 3})),
    )
    .unwrap();
    assert_eq!(
        or["ors"][0]["alternatives"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn validate_answers_rather_than_throws() {
    assert_eq!(
        api::validate(text(PASS)),
        json!({"valid": true, "diagnostics": []})
    );
    let bad = api::validate(text(
        "{\"StartAt\": \"A\",\n \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}",
    ));
    assert_eq!(bad["valid"], json!(false));
    assert_eq!(
        bad["diagnostics"][0]["code"],
        json!("MISSING_TRANSITION_TARGET")
    );
    assert_eq!(bad["diagnostics"][0]["line"], json!(2));
    let from_value = api::validate(val(json!({"StartAt": "A", "States": {}})));
    assert_eq!(from_value["valid"], json!(false));
    assert!(from_value["diagnostics"][0].get("line").is_none());
    assert_eq!(api::validate(text("{")).get("valid"), Some(&json!(false)));
}

#[test]
fn run_returns_outcome_and_history() {
    let r = api::run(text(PASS), val(json!({})), None).unwrap();
    assert_eq!(r["status"], json!("SUCCEEDED"));
    assert_eq!(r["output"], json!({"ok": 1}));
    let types: Vec<&str> = r["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert_eq!(
        types,
        [
            "ExecutionStarted",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded"
        ]
    );
    assert_eq!(
        r["history"][0]["timestamp"],
        json!("2026-01-01T00:00:00.000Z")
    );
    let quiet = api::run(text(PASS), text("{}"), Some(json!({"history": false}))).unwrap();
    assert!(quiet.get("history").is_none());
}

#[test]
fn run_uses_mocks_clock_and_is_deterministic() {
    let mocks = json!({"Charge": {"0": {"Throw": {"Error": "Throttled", "Cause": "slow down"}}, "1": {"Return": {"paid": true}}}});
    let opts = json!({"mocks": mocks, "startTime": "2026-05-01T12:00:00Z", "seed": 7});
    let a = api::run(text(RETRY), val(json!({"id": 1})), Some(opts.clone())).unwrap();
    assert_eq!(
        (a["status"].clone(), a["output"].clone()),
        (json!("SUCCEEDED"), json!({"paid": true}))
    );
    assert!(
        a["history"][0]["timestamp"]
            .as_str()
            .unwrap()
            .starts_with("2026-05-01T12:00:00")
    );
    assert_eq!(
        a,
        api::run(text(RETRY), val(json!({"id": 1})), Some(opts)).unwrap()
    );
    let failing = json!({"mocks": {"Charge": {"0-9": {"Throw": {"Error": "Throttled", "Cause": "still slow"}}}}});
    let f = api::run(text(RETRY), val(json!({})), Some(failing)).unwrap();
    assert_eq!(
        (f["status"].clone(), f["error"].clone(), f["cause"].clone()),
        (json!("FAILED"), json!("Throttled"), json!("still slow"))
    );
    let as_text = json!({"mocks": "{\"Charge\": {\"0\": {\"Return\": 5}}}"});
    assert_eq!(
        api::run(text(RETRY), val(json!({})), Some(as_text)).unwrap()["output"],
        json!(5)
    );
}

#[test]
fn run_rejects_with_a_place() {
    rejects(
        api::run(
            text("{\"StartAt\": \"A\",\n\"States\": {}}"),
            val(json!({})),
            None,
        ),
        ErrorKind::Definition,
        "definition",
        Some("States"),
        Some((2, 11)),
    );
    rejects(
        api::run(text("{"), val(json!({})), None),
        ErrorKind::Syntax,
        "definition",
        None,
        Some((1, 2)),
    );
    rejects(
        api::run(text(PASS), text("{,}"), None),
        ErrorKind::Syntax,
        "input",
        None,
        Some((1, 2)),
    );
    rejects(
        api::run(
            text(PASS),
            val(json!({})),
            Some(json!({"startTime": "yesterday"})),
        ),
        ErrorKind::Options,
        "options.startTime",
        None,
        None,
    );
    rejects(
        api::run(text(PASS), val(json!({})), Some(json!({"starttime": "x"}))),
        ErrorKind::Options,
        "options",
        None,
        None,
    );
    rejects(
        api::run(text(PASS), val(json!({})), Some(json!({"testCase": "x"}))),
        ErrorKind::Options,
        "options.testCase",
        None,
        None,
    );
    rejects(
        api::run(text(PASS), val(json!({})), Some(json!({"mocks": [1]}))),
        ErrorKind::Mocks,
        "options.mocks",
        Some("$"),
        None,
    );
    let mocks = "{\n \"Charge\": {\"0\": {\"Nope\": 1}}}";
    let e = api::run(text(RETRY), val(json!({})), Some(json!({"mocks": mocks}))).unwrap_err();
    assert_eq!(
        (e.kind, e.line.is_some()),
        (ErrorKind::Mocks, true),
        "{e:?}"
    );
    let d = api::run(
        val(json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}})),
        val(json!({})),
        None,
    )
    .unwrap_err();
    assert_eq!(
        d.diagnostics.first().map(|d| d.code),
        Some("MISSING_TRANSITION_TARGET")
    );
}

#[test]
fn errors_serialize_as_plain_objects() {
    let e = api::matches(text("{\"a\": 1}"), val(json!({}))).unwrap_err();
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["kind"], json!("pattern"));
    assert_eq!(v["argument"], json!("pattern"));
    assert_eq!(
        (v["line"].clone(), v["column"].clone(), v["path"].clone()),
        (json!(1), json!(7), json!("a"))
    );
    assert!(v.get("diagnostics").is_none());
}

#[test]
fn transform_gives_the_target_input() {
    let event = json!({"source": "shop", "detail": {"id": 7}});
    assert_eq!(
        api::transform(
            val(json!({"InputPath": "$.detail"})),
            val(event.clone()),
            None
        ),
        Ok(json!({"text": "{\"id\":7}", "json": {"id": 7}}))
    );
    let t = api::transform(
        text(
            r#"{"InputTransformer": {"InputPathsMap": {"id": "$.detail.id"}, "InputTemplate": "\"<aws.events.rule-name>: <id>\""}}"#,
        ),
        val(event.clone()),
        Some(json!({"ruleName": "orders"})),
    );
    assert_eq!(t, Ok(json!({"text": "\"orders: 7\"", "json": "orders: 7"})));
    rejects(
        api::transform(val(json!({"InputPath": 3})), val(event.clone()), None),
        ErrorKind::Target,
        "target",
        None,
        None,
    );
    rejects(
        api::transform(val(json!({})), val(event), Some(json!({"rule": "x"}))),
        ErrorKind::Options,
        "options",
        None,
        None,
    );
}

#[test]
fn route_answers_in_camel_case_with_reasons() {
    let bus = r#"{"Rules": [
        {"Name": "big", "EventPattern": {"detail": {"n": [{"numeric": [">", 10]}]}}, "Targets": []},
        {"Name": "all", "EventPattern": {"source": ["shop"]},
         "Targets": [{"Id": "t", "Arn": "arn:aws:states:us-east-1:1:stateMachine:m", "InputPath": "$.detail", "StateMachine": "m"}]}]}"#;
    let r = api::route(
        text(bus),
        val(json!({"source": "shop", "detail": {"n": 3}})),
    )
    .unwrap();
    assert_eq!(r["matched"][0]["name"], "all");
    assert_eq!(r["matched"][0]["targets"][0]["input"], json!({"n": 3}));
    assert_eq!(r["matched"][0]["targets"][0]["startsExecution"], true);
    assert_eq!(r["notMatched"][0]["name"], "big");
    assert_eq!(r["notMatched"][0]["explanation"]["matched"], false);
    rejects(
        api::route(text("{\"Rules\": [\n  {\"Name\": 3}]}"), val(json!({}))),
        ErrorKind::Bus,
        "bus",
        Some("Rules[0].Name"),
        Some((2, 12)),
    );
}

/// An event over EventBridge's 256 KiB is refused by every function that takes one.
#[test]
fn an_event_over_256_kib_is_too_large() {
    let big = || val(json!({"source": "s", "detail": {"b": "x".repeat(262_144)}}));
    let pattern = || val(json!({"source": ["s"]}));
    rejects(
        api::matches(pattern(), big()),
        ErrorKind::TooLarge,
        "event",
        None,
        None,
    );
    rejects(
        api::explain(pattern(), big()),
        ErrorKind::TooLarge,
        "event",
        None,
        None,
    );
    rejects(
        api::transform(val(json!({})), big(), None),
        ErrorKind::TooLarge,
        "event",
        None,
        None,
    );
    rejects(
        api::route(val(json!({"Rules": []})), big()),
        ErrorKind::TooLarge,
        "event",
        None,
        None,
    );
    let e = api::matches(pattern(), big()).unwrap_err();
    assert!(
        e.message
            .contains("over EventBridge's limit of 262,144 bytes"),
        "{}",
        e.message
    );
    assert_eq!(serde_json::to_value(&e).unwrap()["kind"], json!("tooLarge"));
}

/// `route` takes PutEvents input as users write it, and answers as PutEvents does.
#[test]
fn route_takes_putevents_entries() {
    let bus = json!({"Rules": [
        {"Name": "signups", "EventPattern": {"source": ["myapp.signup"]}},
        {"Name": "custom", "EventBusName": "MyCustomEventBus", "EventPattern": {"account": ["123456789012"]}}
    ]});
    let entries = json!({"Entries": [
        {"Source": "myapp.signup", "DetailType": "UserSignup", "Detail": "{\"user_id\": \"12345\"}"},
        {"DetailType": "UserSignup", "Detail": "{}"},
        {"Source": "x", "DetailType": "t", "Detail": "{}", "EventBusName": "MyCustomEventBus"}]});
    let r = api::route(Input::Value(bus.clone()), Input::Value(entries)).unwrap();
    assert_eq!(r["bus"], "default");
    assert_eq!(r["matched"][0]["name"], "signups");
    assert_eq!(r["putEvents"]["FailedEntryCount"], 1);
    assert_eq!(r["putEvents"]["Entries"][1]["ErrorCode"], "InvalidArgument");
    assert_eq!(r["routings"][1]["bus"], "MyCustomEventBus");
    assert_eq!(r["routings"][1]["entry"], 2);
    assert_eq!(r["routings"][1]["matched"][0]["name"], "custom");
    // A full event is as before: no putEvents, no routings.
    let r = api::route(
        Input::Value(bus.clone()),
        Input::Value(json!({"source": "myapp.signup"})),
    )
    .unwrap();
    assert!(r.get("putEvents").is_none() && r.get("routings").is_none());
    let e = api::route(Input::Value(bus), Input::Value(json!([1]))).unwrap_err();
    assert_eq!(
        serde_json::to_value(e.kind).unwrap(),
        json!("event"),
        "{}",
        e.message
    );
    assert_eq!(e.path.as_deref(), Some("[0]"));
}

#[test]
fn system_runs_schedules_and_says_where_a_schedule_is_wrong() {
    let ws = json!({"name": "w", "event": {"source": "x", "detail-type": "y", "detail": {}, "time": "2026-01-01T00:00:00Z"},
        "rules": {"Rules": [{"Name": "tick", "ScheduleExpression": "rate(6 hours)",
                             "Targets": [{"Id": "t", "Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:M", "StateMachine": "M"}]}]},
        "machines": {"M": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}});
    let report = system::system(val(ws), Some(json!({"windowSeconds": 43_200})))
        .unwrap_or_else(|e| panic!("{e:?}"));
    let times: Vec<&str> = report["firings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["time"].as_str())
        .collect();
    assert_eq!(times, ["2026-01-01T06:00:00.000Z"]);
    assert_eq!(report["executions"].as_array().map(Vec::len), Some(1));
    assert!(report["executions"][0].get("history").is_none());

    let text = "{\"name\": \"w\", \"event\": {}, \"machines\": {},\n \"rules\": {\"Rules\": [{\"Name\": \"r\", \"ScheduleExpression\": \"rate(5 minute)\"}]}}";
    let err = system::system(text.into(), None)
        .err()
        .unwrap_or_else(|| panic!("accepted"));
    assert_eq!(err.kind, ErrorKind::Bus);
    assert_eq!(
        err.path.as_deref(),
        Some("rules.Rules[0].ScheduleExpression")
    );
    assert_eq!((err.line, err.column), (Some(2), Some(58)));
    assert!(
        err.message.contains("the unit must be plural"),
        "{}",
        err.message
    );
}

#[test]
fn run_pauses_on_a_callback_and_goes_on_when_answered() {
    let def = val(
        json!({"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"TaskToken.$": "$$.Task.Token"}},
        "End": true}}}),
    );
    let paused = api::run(
        def.clone(),
        val(json!({})),
        Some(json!({"pauseOnCallbacks": true})),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(paused["status"], "RUNNING");
    let token = paused["paused"]["waiting"][0]["token"].clone();
    assert!(token.is_string());
    let at = paused["paused"]["atSeconds"].clone();
    let done = api::run(
        def.clone(),
        val(json!({})),
        Some(json!({"pauseOnCallbacks": true,
                    "callbacks": [{"at": at, "token": token, "success": {"ok": 1}}]})),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(done["status"], "SUCCEEDED");
    assert_eq!(done["output"], json!({"ok": 1}));
    let e = api::run(
        def,
        val(json!({})),
        Some(json!({"callbacks": "[{\"state\": \"Approve\"}]"})),
    )
    .unwrap_err();
    assert_eq!(e.pointer.as_deref(), Some("/0"));
}

#[test]
fn test_state_runs_one_state_as_aws_teststate_does() {
    // The request as values, and as AWS's JSON text members: the same answer.
    let request = json!({
        "definition": {"Type": "Pass", "InputPath": "$.order", "Next": "Ship"},
        "input": {"order": {"id": 7}}, "inspectionLevel": "DEBUG"});
    let got = api::test_state(val(request)).unwrap();
    assert_eq!(got["status"], "SUCCEEDED");
    assert_eq!(got["nextState"], "Ship");
    assert_eq!(got["inspectionData"]["afterInputPath"], json!({"id": 7}));
    let as_text = json!({
        "definition": "{\"Type\": \"Pass\", \"InputPath\": \"$.order\", \"Next\": \"Ship\"}",
        "input": "{\"order\": {\"id\": 7}}", "inspectionLevel": "DEBUG"});
    assert_eq!(api::test_state(val(as_text)), Ok(got));
    // A mocked error a retrier matches.
    let retriable = api::test_state(val(json!({
        "definition": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Retry": [{"ErrorEquals": ["Throttled"]}], "End": true},
        "mock": {"errorOutput": {"error": "Throttled", "cause": "slow down"}}})))
    .unwrap();
    assert_eq!(retriable["status"], "RETRIABLE");
}

#[test]
fn test_state_rejections_say_where() {
    let level =
        "{\"definition\": {\"Type\": \"Pass\", \"End\": true},\n \"inspectionLevel\": \"LOUD\"}";
    rejects(
        api::test_state(text(level)),
        ErrorKind::Request,
        "request",
        Some("inspectionLevel"),
        Some((2, 21)),
    );
    let task = json!({"definition": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}});
    rejects(
        api::test_state(val(task)),
        ErrorKind::Request,
        "request",
        None,
        None,
    );
    let bad_path =
        "{\"definition\": {\"Type\": \"Pass\",\n \"InputPath\": \"nope\", \"End\": true}}";
    rejects(
        api::test_state(text(bad_path)),
        ErrorKind::Definition,
        "request",
        Some("definition.InputPath"),
        Some((2, 15)),
    );
}

#[test]
fn run_redrives_a_failed_execution_and_runs_express_workflows() {
    let def = val(
        json!({"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
        "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "End": true}}}),
    );
    let mocks =
        json!({"Charge": {"0": {"Throw": {"Error": "Declined"}}, "1": {"Return": {"paid": true}}}});
    let out = api::run(
        def.clone(),
        val(json!({})),
        Some(json!({"mocks": mocks, "redrives": 1})),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out["status"], "SUCCEEDED");
    assert_eq!(out["redriveCount"], 1);
    assert_eq!(out["attempts"][0]["error"], "Declined");

    let out = api::run(def, val(json!({})), Some(json!({"type": "EXPRESS"})))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(out.get("history").is_none());
    assert_eq!(out["logs"][0]["type"], "ExecutionStarted");
    assert_eq!(out["logs"][0]["redrive_count"], "0");

    let callback = val(json!({"StartAt": "Ask", "States": {"Ask": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}));
    let e = api::run(callback, val(json!({})), Some(json!({"type": "EXPRESS"}))).unwrap_err();
    assert!(
        e.to_string().contains(
            "Express state machine does not support '.waitForTaskToken' service integration"
        ),
        "{e}"
    );
}

/// `system` runs a workspace's pipes: each record's fate, the retries and the dead letters, in
/// the CLI's shape; a wrong retry setting is named by its place.
#[test]
fn system_runs_pipes_with_retries_and_dead_letters() {
    let example = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../www/examples/pipe-partial-failure.json"
    );
    let text = std::fs::read_to_string(example).unwrap();
    let report = system::system(Input::Text(text.clone()), None).unwrap();
    let orders = &report["pipes"][0];
    assert_eq!(orders["records"][2]["status"], "dead_lettered");
    assert_eq!(orders["batches"][1]["status"], "DELIVERED");
    assert_eq!(orders["batches"][3]["attempt"], 2);
    assert_eq!(orders["dead_letters"][0]["attempts"], 3);
    let readings = &report["pipes"][1];
    assert_eq!(readings["dead_letters"][0]["records"], json!([2]));
    let mut ws: Value = serde_json::from_str(&text).unwrap();
    ws["rules"]["Pipes"][1]["SourceParameters"]["KinesisStreamParameters"]["MaximumRetryAttempts"] =
        json!(-5);
    let err = system::system(val(ws), None).unwrap_err();
    assert!(
        err.message
            .contains("KinesisStreamParameters.MaximumRetryAttempts"),
        "{err:?}"
    );
}
