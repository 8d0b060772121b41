//! Bringing AWS artifacts in: CLI histories, templates (both ways), events × rules.

use serde_json::{Value, json};
use statebridge_engine::artifacts::{history, matrix, template};
use statebridge_engine::workspace::Workspace;
use std::time::Instant;

fn page(events: &[Value], next: bool) -> String {
    let mut v = json!({"events": events});
    if next {
        v["nextToken"] = "abc".into();
    }
    serde_json::to_string_pretty(&v).unwrap()
}

fn event(id: u64, ty: &str, details: Value) -> Value {
    let mut e = json!({"timestamp": format!("2024-03-01T10:00:{:02}.{:06}+01:00", id % 60, id), "type": ty, "id": id, "previousEventId": id - 1});
    if let Some(key) = details.get("key").and_then(Value::as_str) {
        e[key] = details["value"].clone();
    }
    e
}

#[test]
fn pages_in_any_order_with_describe_outputs() {
    let events = [
        event(
            1,
            "ExecutionStarted",
            json!({"key": "executionStartedEventDetails", "value": {"input": "{\"a\":1}"}}),
        ),
        event(
            2,
            "PassStateEntered",
            json!({"key": "stateEnteredEventDetails", "value": {"name": "P", "input": "{}"}}),
        ),
        event(
            3,
            "PassStateExited",
            json!({"key": "stateExitedEventDetails", "value": {"name": "P", "output": "{}"}}),
        ),
        event(
            4,
            "ExecutionSucceeded",
            json!({"key": "executionSucceededEventDetails", "value": {"output": "{}"}}),
        ),
    ];
    // --reverse-order pages, pasted one after another, with describe-state-machine after them.
    let text = format!(
        "{}\n{}\n{}",
        page(&[events[3].clone(), events[2].clone()], true),
        page(&[events[1].clone(), events[0].clone()], false),
        json!({"stateMachineArn": "arn:aws:states:eu-west-1:1:stateMachine:m", "definition": "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"})
    );
    let h = history::import(&text).unwrap();
    assert_eq!(h.pages, 2);
    let ids: Vec<u64> = h.events.iter().map(|e| e["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [1, 2, 3, 4]);
    assert_eq!(h.status(), "SUCCEEDED");
    assert_eq!(h.input().as_deref(), Some("{\"a\":1}"));
    assert_eq!(h.definition.as_ref().unwrap()["StartAt"], "P");
    // +01:00 offset: 09:00 UTC.
    assert_eq!(h.millis[0], 1_709_283_601_000);
    // The page that said more follow, and every page was given: no gap warning.
    assert!(h.warnings.iter().all(|w| !w.contains("missing")));
}

#[test]
fn errors_name_line_column_and_path() {
    let cases = [
        (
            "",
            "line 1, column 1: nothing to read: paste the output of `aws stepfunctions get-execution-history`",
        ),
        (
            "{\"events\": [\n  {\"id\": 1, \"type\": \"ExecutionStarted\", \"timestamp\": 1.0},\n  {\"id\": 1, \"type\": \"PassStateEntered\", \"timestamp\": 2.0}\n]}",
            "line 3, column 10 (events[1].id): two events have the id 1",
        ),
        (
            "{\"events\": [{\"id\": 2, \"previousEventId\": 5, \"type\": \"PassStateEntered\", \"timestamp\": 2}]}",
            "line 1, column 42 (events[0].previousEventId): `previousEventId` should be the id of an earlier event (below 2), found 5",
        ),
        (
            "{\"events\": {}}",
            "line 1, column 12 (events): `events` should be a list, found an object",
        ),
        (
            "{\"events\": [}",
            "line 1, column 13: expected a value here",
        ),
        (
            "{\"nothing\": 1}",
            "line 1, column 1: not a history page (`events`), an event, describe-execution's or describe-state-machine's output",
        ),
    ];
    for (text, want) in cases {
        let got = history::import(text).map(|_| ()).unwrap_err().to_string();
        assert_eq!(got, want, "{text}");
    }
}

#[test]
fn unknown_types_and_missing_pages_are_warnings() {
    let text = page(
        &[
            event(1, "ExecutionStarted", json!({})),
            event(3, "SomethingNew", json!({})),
        ],
        false,
    );
    let h = history::import(&text).unwrap();
    assert_eq!(h.events.len(), 2);
    assert!(
        h.warnings.iter().any(|w| w.contains("missing")),
        "{:?}",
        h.warnings
    );
    assert!(
        h.warnings.iter().any(|w| w.contains("SomethingNew")),
        "{:?}",
        h.warnings
    );
}

/// A Map with many iterations: 25,000 events, epoch-second timestamps (CLI v1), read in
/// linear time (the figure is printed for the report).
#[test]
fn big_history_is_linear() {
    let build = |n: u64| {
        let mut events = vec![
            json!({"id": 1, "previousEventId": 0, "timestamp": 1_700_000_000.0, "type": "ExecutionStarted", "executionStartedEventDetails": {"input": "{}"}}),
        ];
        let mut id = 2;
        while id <= n {
            let (ty, details) = match id % 4 {
                0 => (
                    "MapIterationStarted",
                    json!({"mapIterationStartedEventDetails": {"name": "M", "index": id / 4}}),
                ),
                1 => (
                    "PassStateEntered",
                    json!({"stateEnteredEventDetails": {"name": "Item", "input": "{\"x\":1}"}}),
                ),
                2 => (
                    "PassStateExited",
                    json!({"stateExitedEventDetails": {"name": "Item", "output": "{\"x\":1}"}}),
                ),
                _ => (
                    "MapIterationSucceeded",
                    json!({"mapIterationSucceededEventDetails": {"name": "M", "index": id / 4}}),
                ),
            };
            let mut e = json!({"id": id, "previousEventId": id - 1, "timestamp": 1_700_000_000.0 + id as f64 / 1000.0, "type": ty});
            e.as_object_mut()
                .unwrap()
                .extend(details.as_object().unwrap().clone());
            events.push(e);
            id += 1;
        }
        events.reverse();
        page(&events, false)
    };
    let time = |text: &str| {
        let start = Instant::now();
        let h = history::import(text).unwrap();
        (start.elapsed(), h.events.len())
    };
    let (small, big) = (build(5_000), build(25_000));
    let _ = time(&small);
    let (t5, n5) = time(&small);
    let (t25, n25) = time(&big);
    assert_eq!((n5, n25), (5_000, 25_000));
    eprintln!(
        "history import: 5,000 events {t5:?}, 25,000 events {t25:?} ({} bytes)",
        big.len()
    );
    // Linear: five times the events, well under 15 times the time (slack for a busy machine).
    assert!(t25 < t5 * 15, "5k {t5:?}, 25k {t25:?}");
}

const SAM: &str = r#"AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: prod
Resources:
  OrdersBus:
    Type: AWS::Events::EventBus
    Properties:
      Name: !Sub orders-${Stage}
  Fulfil:
    Type: AWS::Serverless::StateMachine
    Properties:
      Name: fulfil
      DefinitionSubstitutions:
        ChargeArn: !GetAtt ChargeFn.Arn
      Definition:
        StartAt: Charge
        States:
          Charge:
            Type: Task
            Resource: ${ChargeArn}
            End: true
      Events:
        Created:
          Type: EventBridgeRule
          Properties:
            EventBusName: !Ref OrdersBus
            Pattern:
              source: [shop]
              detail-type: [OrderCreated]
            InputPath: $.detail
        Nightly:
          Type: Schedule
          Properties:
            Schedule: cron(0 2 * * ? *)
  Audit:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub |
        {"StartAt": "Log", "States": {"Log": {"Type": "Pass", "Result": "${AWS::Region}/${Table}", "End": true}}}
      DefinitionSubstitutions:
        Table: audit
  AuditRule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !GetAtt OrdersBus.Name
      EventPattern: '{"source": ["shop"]}'
      Targets:
        - Id: audit
          Arn: !Ref Audit
          InputTransformer:
            InputPathsMap: {id: $.detail.id}
            InputTemplate: '{"order": <id>}'
        - Id: elsewhere
          Arn: !GetAtt Queue.Arn
  ChargeFn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: charge
"#;

#[test]
fn a_sam_template_becomes_rules_and_machines() {
    let t = template::import(SAM).unwrap();
    assert_eq!(t.buses, ["orders-prod"]);
    assert_eq!(
        t.machines["fulfil"]["States"]["Charge"]["Resource"],
        "arn:aws:lambda:us-east-1:123456789012:function:charge"
    );
    assert_eq!(
        t.machines["Audit"]["States"]["Log"]["Result"],
        "us-east-1/audit"
    );
    let names: Vec<&str> = t
        .rules
        .iter()
        .map(|r| r["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["FulfilCreated", "FulfilNightly", "AuditRule"]);
    assert_eq!(t.rules[0]["EventBusName"], "orders-prod");
    assert_eq!(t.rules[0]["Targets"][0]["InputPath"], "$.detail");
    assert_eq!(t.rules[0]["Targets"][0]["StateMachine"], "fulfil");
    assert_eq!(t.rules[1]["ScheduleExpression"], "cron(0 2 * * ? *)");
    assert_eq!(t.rules[2]["EventPattern"], json!({"source": ["shop"]}));
    assert_eq!(t.rules[2]["Targets"][0]["StateMachine"], "Audit");
    // The queue is not in the template: said, with where.
    assert_eq!(
        t.notes,
        [
            "line 57, column 16 (Resources.AuditRule.Properties.Targets[1].Arn[\"Fn::GetAtt\"]): `Queue` is not a resource of this template"
        ]
    );
    let ws = t.to_workspace(None).unwrap();
    assert_eq!(ws.rules.len(), 3);
    assert_eq!(ws.machines.len(), 2);
}

#[test]
fn definition_string_forms() {
    let json = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
      "StateMachineName": "joined",
      "DefinitionString": {"Fn::Join": ["", ["{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Result\": \"", {"Ref": "AWS::AccountId"}, "\", \"End\": true}}}"]]}}}}}"#;
    let t = template::import(json).unwrap();
    assert_eq!(
        t.machines["joined"]["States"]["A"]["Result"],
        "123456789012"
    );
    let bad = r#"{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionUri": "sm.asl.json"}}}}"#;
    let t = template::import(bad).unwrap();
    assert!(t.machines.is_empty());
    assert!(t.notes[0].starts_with("line 1, column 98 (Resources.M.Properties.DefinitionUri): `DefinitionUri` points to a file"), "{:?}", t.notes);
    assert_eq!(
        template::import("a: 1").unwrap_err().to_string(),
        "line 1, column 1: no `Resources` section: is this a SAM or CloudFormation template?"
    );
    assert_eq!(
        template::import("Resources:\n  X: !Bogus 1")
            .unwrap_err()
            .to_string(),
        "line 2, column 6: unknown tag `!Bogus` (CloudFormation's short forms are !Ref, !Sub, !GetAtt, !Join, !If, …)"
    );
}

#[test]
fn export_round_trips_through_json_and_yaml() {
    for name in ["order-processing", "fan-out-buses"] {
        let path = format!(
            "{}/../../www/examples/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let ws: Workspace = text.parse().unwrap();
        let t = template::export(&ws);
        let yaml = template::to_yaml(&t);
        for (form, text) in [
            ("json", serde_json::to_string_pretty(&t).unwrap()),
            ("yaml", yaml.clone()),
        ] {
            let back =
                template::import(&text).unwrap_or_else(|e| panic!("{name} {form}: {e}\n{yaml}"));
            assert!(back.notes.is_empty(), "{name} {form}: {:?}", back.notes);
            assert_eq!(back.machines.len(), ws.machines.len(), "{name} {form}");
            let back_ws = back.to_workspace(Some(&ws)).unwrap();
            assert_eq!(back_ws.rules.len(), ws.rules.len());
            for (a, b) in ws.rules.iter().zip(&back_ws.rules) {
                assert_eq!(a.event_pattern, b.event_pattern, "{name} {form}");
                assert_eq!(a.targets.len(), b.targets.len());
                for (ta, tb) in a.targets.iter().zip(&b.targets) {
                    assert_eq!(ta.state_machine, tb.state_machine, "{name} {form}");
                }
            }
            for (m, def) in &back.machines {
                let orig = &ws.machines[m];
                let orig = orig
                    .get("Definition")
                    .or_else(|| orig.get("latest"))
                    .unwrap_or(orig);
                assert_eq!(def, orig, "{name} {form} {m}");
            }
        }
    }
}

#[test]
fn matrix_of_rules_and_events() {
    let rules = json!({"Rules": [
        {"Name": "shop", "EventPattern": {"source": ["shop"]}, "Targets": []},
        {"Name": "big", "EventPattern": {"detail": {"total": [{"numeric": [">", 100]}]}}, "Targets": []},
        {"Name": "other-bus", "EventBusName": "orders", "EventPattern": {"source": ["shop"]}, "Targets": []},
        {"Name": "nightly", "ScheduleExpression": "rate(1 day)", "Targets": []},
    ]});
    let events = "{\"source\": \"shop\", \"detail-type\": \"A\", \"detail\": {\"total\": 500}}\n{\"Source\": \"bank\", \"DetailType\": \"B\", \"Detail\": \"{\\\"total\\\": 5}\", \"EventBusName\": \"orders\"}\n[{\"source\": \"shop\", \"detail-type\": \"C\", \"detail\": {}}]";
    let m = matrix::matrix(&rules, events).unwrap();
    let grid: Vec<Vec<bool>> = m
        .cells
        .iter()
        .map(|r| r.iter().map(|c| c.matched).collect())
        .collect();
    assert_eq!(
        grid,
        [
            [true, false, true],
            [true, false, false],
            [false, false, false],
            [false, false, false]
        ]
    );
    assert_eq!(
        m.events.iter().map(|e| e.line).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(
        m.cells[1][2].reasons,
        ["`detail.total` is missing; the pattern wants a number > 100"]
    );
    assert_eq!(
        m.cells[0][1].reasons,
        ["the event is on bus `orders`, the rule on `default`"]
    );
    assert_eq!(
        m.cells[2][1].reasons,
        ["`source` is \"bank\"; the pattern wants \"shop\""]
    );
    assert!(
        m.rules[3]
            .problem
            .as_deref()
            .unwrap()
            .contains("no EventPattern")
    );
    assert_eq!(
        matrix::matrix(&rules, "{\"a\": 1}\n{\"b\": }")
            .unwrap_err()
            .to_string(),
        "line 2, column 7: expected a value here"
    );
}
