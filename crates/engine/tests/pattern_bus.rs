//! Bus routing: rules, targets, errors that say where.

use serde_json::json;
use statebridge_engine::bus::{BARE_PATTERN_RULE, Bus, MAX_TARGETS, Wrapped};

const BUS: &str = r#"{
  "Rules": [
    {"Name": "order-created",
     "EventPattern": {"source": ["shop"], "detail-type": ["OrderCreated"]},
     "Targets": [
       {"Id": "all", "Arn": "arn:aws:sqs:us-east-1:123456789012:all"},
       {"Id": "fulfil", "Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:fulfil",
        "InputTransformer": {"InputPathsMap": {"id": "$.detail.id"},
                             "InputTemplate": "{\"order\": <id>, \"rule\": <aws.events.rule-name>}"},
        "StateMachine": {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}}
     ]},
    {"Name": "big-orders", "EventPattern": "{\"detail\": {\"total\": [{\"numeric\": [\">\", 100]}]}}",
     "Targets": [{"Id": "t", "Arn": "arn:x", "InputPath": "$.detail"}]},
    {"Name": "off", "State": "DISABLED", "EventPattern": {"source": ["shop"]}}
  ]
}"#;

#[test]
fn routes_an_event() {
    let bus: Bus = BUS.parse().unwrap();
    let event = json!({"source": "shop", "detail-type": "OrderCreated", "detail": {"id": "o-1", "total": 20}});
    let routing = bus.route(&event);
    assert_eq!(routing.matched.len(), 1);
    let hit = &routing.matched[0];
    assert_eq!(hit.name, "order-created");
    assert_eq!(
        hit.targets[0].input.as_ref().unwrap().json,
        Some(event.clone())
    );
    assert_eq!(
        hit.targets[1].input.as_ref().unwrap().json,
        Some(json!({"order": "o-1", "rule": "order-created"}))
    );
    assert!(hit.targets[1].starts_execution && !hit.targets[0].starts_execution);
    assert_eq!(routing.not_matched[0].name, "big-orders");
    assert_eq!(
        routing.not_matched[0].reason,
        "`detail.total` is 20; the pattern wants a number > 100"
    );
    assert_eq!(routing.disabled, vec!["off"]);
    let json = serde_json::to_value(&routing).unwrap();
    assert_eq!(json["matched"][0]["targets"][1]["input"]["order"], "o-1");
}

#[test]
fn errors_say_where() {
    let table = [
        ("{}", "expected an object with a `Rules` list"),
        (
            "{\"Rules\": [{\"EventPattern\": {}}]}",
            "at `Rules[0].Name`: expected a string",
        ),
        (
            "{\"Rules\": [{\"Name\": \"a b\", \"EventPattern\": {\"a\": [1]}}]}",
            "`a b` is not a valid name",
        ),
        (
            "{\"Rules\": [{\"Name\": \"r\",\n \"EventPattern\": {\"detail\": {\"state\": \"x\"}}}]}",
            "line 2, column 39: at `Rules[0].EventPattern`: invalid event pattern: at `detail.state`: a field must hold a list",
        ),
        (
            "{\"Rules\": [{\"Name\": \"r\", \"EventPattern\": {\"a\": [1]}, \"State\": \"ON\"}]}",
            "unknown state `ON`",
        ),
        (
            "{\"Rules\": [{\"Name\": \"r\", \"EventPattern\": {\"a\": [1]}}, {\"Name\": \"r\", \"EventPattern\": {\"a\": [1]}}]}",
            "at `Rules[1].Name`: `r` is used twice",
        ),
        (
            "{\"Rules\": [{\"Name\": \"r\", \"EventPattern\": {\"a\": [1]}, \"Targets\": [{\"Id\": \"t\", \"Arn\": \"x\", \"InputPath\": \"nope\"}]}]}",
            "at `Rules[0].Targets[0]`: `InputPath`: `nope` is not a usable JSONPath",
        ),
        (
            "{\"Rules\": [",
            "line 1, column 12: the text ends where a value was expected",
        ),
    ];
    for (text, want) in table {
        let got = text.parse::<Bus>().unwrap_err().to_string();
        assert!(got.contains(want), "{text}\n got: {got}\nwant: {want}");
    }
    let targets: Vec<_> = (0..=MAX_TARGETS)
        .map(|i| json!({"Id": format!("t{i}"), "Arn": "x"}))
        .collect();
    let bus = json!({"Rules": [{"Name": "r", "EventPattern": {"a": [1]}, "Targets": targets}]});
    let got = Bus::parse(&bus).unwrap_err().to_string();
    assert!(
        got.contains("6 targets: EventBridge allows at most 5"),
        "{got}"
    );
}

/// A bus written on one line reads like a pretty-printed one: every value's position used to
/// cost a pass over its line, so 10,000 rules on one line took 52.6 s. This test asserts only
/// what is routed; `scripts/bench-reading.sh` measures the time against the pretty-printed bus.
#[test]
fn a_one_line_bus_of_ten_thousand_rules_routes() {
    let mut text = String::from("{\"Rules\":[");
    for i in 0..10_000 {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            "{{\"Name\":\"r{i}\",\"EventPattern\":{{\"source\":[\"shop{}\"],\"detail\":{{\"amount\":[{{\"numeric\":[\">\",{}]}}]}}}},\"Targets\":[{{\"Id\":\"t\",\"Arn\":\"arn:aws:sqs:us-east-1:123456789012:q\",\"InputPath\":\"$.detail\"}}]}}",
            i % 50,
            i % 100
        ));
    }
    text.push_str("]}");
    assert!(!text.contains('\n'));
    let bus: Bus = text.parse().unwrap();
    assert_eq!(bus.rules.len(), 10_000);
    let event = json!({"source": "shop7", "detail": {"amount": 50}});
    let names: Vec<String> = bus
        .matching_rules(&event)
        .into_iter()
        .map(|r| r.name.clone())
        .collect();
    // shop7 is every rule i with i % 50 == 7; of those, amount 50 > i % 100 for i % 100 == 7.
    let want: Vec<String> = (0..10_000)
        .filter(|i| i % 100 == 7)
        .map(|i| format!("r{i}"))
        .collect();
    assert_eq!(names, want);
    // An error late on the line still says where, in characters from the line's start.
    let broken = text.replacen("\"r9999\"", "\"r 9999\"", 1);
    let e = broken.parse::<Bus>().unwrap_err().to_string();
    let column = broken.find("\"r 9999\"").unwrap() + 1;
    assert!(e.contains(&format!("line 1, column {column}")), "{e}");
}

/// Buses: a rule sees only the events put on its bus (`EventBusName`, `default` when absent).
#[test]
fn a_rule_sees_only_its_bus() {
    let bus: Bus = r#"{"Rules": [
      {"Name": "catch-all", "EventBusName": "MyCustomEventBus",
       "EventPattern": {"account": ["123456789012"]},
       "Targets": [{"Id": "MyCustomEventBusLogGroup",
                    "Arn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/events/mycustomevents"}]},
      {"Name": "catch-all", "EventPattern": {"account": ["123456789012"]}},
      {"Name": "by-arn", "EventBusName": "arn:aws:events:us-east-1:123456789012:event-bus/orders",
       "EventPattern": {"source": ["shop"]}}
    ]}"#
    .parse()
    .unwrap();
    let event = json!({"source": "com.mycompany.myapp", "account": "123456789012",
                       "detail-type": "service_status", "detail": {"status": "restored"}});
    // (bus, rules that match, rules listed at all)
    let table = [
        ("MyCustomEventBus", vec!["catch-all"], 1),
        ("default", vec!["catch-all"], 1),
        ("orders", vec![], 1),
        ("nobody-listens", vec![], 0),
    ];
    for (name, matched, listed) in table {
        let routing = bus.route_on(name, &event);
        let got: Vec<&str> = routing.matched.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(got, matched, "{name}");
        assert_eq!(
            routing.matched.len() + routing.not_matched.len(),
            listed,
            "{name}"
        );
    }
    assert_eq!(bus.rules[0].event_bus, "MyCustomEventBus");
    assert_eq!(bus.rules[2].event_bus, "orders");
    assert_eq!(bus.buses(), ["default", "MyCustomEventBus", "orders"]);
    // `route` is the default bus.
    assert_eq!(bus.route(&event).matched.len(), 1);
}

#[test]
fn bus_names_and_bus_targets() {
    use statebridge_engine::bus::bus_target;
    let t = bus_target("arn:aws:events:eu-west-1:111122223333:event-bus/central").unwrap();
    assert_eq!(
        (t.region.as_str(), t.account.as_str(), t.name.as_str()),
        ("eu-west-1", "111122223333", "central")
    );
    assert!(bus_target("arn:aws:events:eu-west-1:1:rule/x").is_none());
    assert!(bus_target("arn:aws:sqs:eu-west-1:1:q").is_none());
    let err = r#"{"Rules": [{"Name": "r", "EventBusName": "my bus", "EventPattern": {"source": ["s"]}}]}"#
        .parse::<Bus>()
        .unwrap_err();
    assert!(
        err.to_string().contains("`my bus` is not an event bus"),
        "{err}"
    );
    assert!(err.to_string().starts_with("line 1, column "), "{err}");
    // One name on two buses is two rules; twice on one bus is refused.
    let twice = r#"{"Rules": [{"Name": "r", "EventPattern": {"source": ["s"]}},
                              {"Name": "r", "EventBusName": "default", "EventPattern": {"source": ["s"]}}]}"#;
    assert!(twice.parse::<Bus>().is_err());
}

/// A rules document with several invalid rules: every problem is reported, each at its line,
/// and the valid rules still route the event.
#[test]
fn every_invalid_rule_is_reported_and_the_others_still_route() {
    let text = r#"{"Rules": [
  {"Name": "orders", "EventPattern": {"source": ["shop"]}},
  {"Name": "bad-1", "EventPattern": {"source": "shop"}},
  {"Name": "bad 2", "EventPattern": {"source": ["shop"]}},
  {"Name": "bad-3", "EventPattern": {"detail": {"total": [{"numeric": [">", "ten"]}]}}},
  {"Name": "refunds", "EventPattern": {"detail-type": ["Refund"]}},
  {"Name": "bad-4"},
  {"Name": "orders", "EventPattern": {"source": ["shop"]}}
]}"#;
    let read = Bus::read(text).unwrap();
    let names: Vec<&str> = read.bus.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["orders", "refunds"]);
    let lines: Vec<u32> = read
        .problems
        .iter()
        .map(|e| e.position.unwrap().0)
        .collect();
    assert_eq!(lines, [3, 4, 5, 7, 8], "{:?}", read.problems);
    let invalid: Vec<usize> = read.invalid_rules.iter().map(|(i, _)| *i).collect();
    assert_eq!(invalid, [1, 2, 3, 5, 6]);
    assert_eq!(read.invalid_rules[0].1.as_deref(), Some("bad-1"));
    assert!(read.wrapped.is_none());
    let routing = read
        .bus
        .route(&json!({"source": "shop", "detail-type": "Refund"}));
    let matched: Vec<&str> = routing.matched.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(matched, ["orders", "refunds"]);
    // The strict reading refuses the document at its first problem.
    let first = text.parse::<Bus>().unwrap_err();
    assert_eq!(first, read.problems[0]);
}

/// What the EventBridge console's sandbox takes, a bare event pattern, is read as one rule
/// without targets; a single rule in PutRule's shape as a list of one.
#[test]
fn a_bare_pattern_or_a_single_rule_is_read_as_a_rule() {
    let read = Bus::read(r#"{"source": ["aws.s3"], "detail-type": ["Object Created"]}"#).unwrap();
    assert_eq!(read.wrapped, Some(Wrapped::Pattern));
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert_eq!(read.bus.rules[0].name, BARE_PATTERN_RULE);
    assert!(read.bus.rules[0].targets.is_empty());
    let event = json!({"source": "aws.s3", "detail-type": "Object Created", "detail": {}});
    assert_eq!(read.bus.route(&event).matched.len(), 1);
    // A mistake in it is reported where it is in the text, not in the wrapping.
    let read = Bus::read("{\n  \"source\": \"aws.s3\"\n}").unwrap();
    assert_eq!(read.problems.len(), 1);
    let e = read.problems[0].to_string();
    assert_eq!(read.problems[0].position, Some((2, 13)), "{e}");
    assert!(e.contains("at `source`: a field must hold a list"), "{e}");
    assert!(!e.contains("Rules"), "{e}");
    // PutRule's shape: one rule.
    let read = Bus::read(
        r#"{"Name": "s3", "EventPattern": "{\"source\": [\"aws.s3\"]}", "State": "ENABLED"}"#,
    )
    .unwrap();
    assert_eq!(read.wrapped, Some(Wrapped::Rule));
    assert_eq!(read.bus.rules[0].name, "s3");
    // Text that is not JSON is refused with its line and column.
    let e = Bus::read("{\"Rules\": [\n  {\"Name\": \"r\"},\n]}").unwrap_err();
    assert_eq!(e.position, Some((2, 16)), "{e}");
}
