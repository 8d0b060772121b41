//! Input transformation, as tables taken from the EventBridge user guide's examples.

use serde_json::{Value, json};
use statebridge_engine::transform::{Context, TransformError, transform};

fn ec2_event() -> Value {
    json!({
        "version": "0",
        "id": "7bf73129-1428-4cd3-a780-95db273d1602",
        "detail-type": "EC2 Instance State-change Notification",
        "source": "aws.ec2",
        "account": "123456789012",
        "time": "2015-11-11T21:29:54Z",
        "region": "us-east-1",
        "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
        "detail": {"instance-id": "i-0123456789", "state": "RUNNING", "tags": {"key": "value"}}
    })
}

fn paths() -> Value {
    json!({
        "timestamp": "$.time",
        "instance": "$.detail.instance-id",
        "state": "$.detail.state",
        "resource": "$.resources[0]",
        "detail": "$.detail.tags",
        "missing": "$.detail.nothing-here",
        "all": "$.resources[*]"
    })
}

/// The template's delivered text, or the error's message.
fn run(template: &str) -> Result<String, String> {
    let target = json!({"InputTransformer": {"InputPathsMap": paths(), "InputTemplate": template}});
    transform(&target, &ec2_event(), &Context::for_rule("my-rule"))
        .map(|d| d.text)
        .map_err(|e| e.to_string())
}

fn give(template: &str, want: &str) {
    assert_eq!(run(template).as_deref(), Ok(want), "template {template}");
}

#[test]
fn templates_from_the_guide() {
    // A string template: placeholders inside quotes take the bare text.
    give(
        "\"<instance> is in state <state>\"",
        "\"i-0123456789 is in state RUNNING\"",
    );
    // Plain text: values go in as they are.
    give(
        "<instance> is in state <state>",
        "i-0123456789 is in state RUNNING",
    );
    // A JSON template: strings outside quotes get quotes.
    give(
        "{\"timestamp\" : <timestamp>, \"instance\": <instance>, \"state\": [9, <state>, true], \"transformed\" : \"Yes\"}",
        "{\"timestamp\" : \"2015-11-11T21:29:54Z\", \"instance\": \"i-0123456789\", \"state\": [9, \"RUNNING\", true], \"transformed\" : \"Yes\"}",
    );
    // Escaped quotes inside a JSON string stay inside the string.
    give(
        "{\"myInstance\": <instance>, \"myStatus\": \"<instance> is in state \\\"<state>\\\"\"}",
        "{\"myInstance\": \"i-0123456789\", \"myStatus\": \"i-0123456789 is in state \\\"RUNNING\\\"\"}",
    );
    // An object inside quotes loses its inner quotes; outside, it is JSON.
    give(
        "{\"text\": \"Detail is <detail>\"}",
        "{\"text\": \"Detail is {key:value}\"}",
    );
    give(
        "{\"detail\": <detail>}",
        "{\"detail\": {\"key\":\"value\"}}",
    );
    // Multi-line text output: each line quoted.
    give(
        "\"<instance> is in state <state>\"\n\"Resource: <resource>\"",
        "\"i-0123456789 is in state RUNNING\"\n\"Resource: arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111\"",
    );
}

#[test]
fn reserved_variables() {
    give(
        "{\"ruleArn\" : <aws.events.rule-arn>, \"ruleName\" : <aws.events.rule-name>, \"at\": <aws.events.event.ingestion-time>}",
        "{\"ruleArn\" : \"arn:aws:events:us-east-1:123456789012:rule/my-rule\", \"ruleName\" : \"my-rule\", \"at\": \"2015-11-11T21:29:54Z\"}",
    );
    let whole = run("{\"e\": <aws.events.event.json>}").unwrap();
    let whole: Value = serde_json::from_str(&whole).unwrap();
    assert_eq!(whole["e"], ec2_event());
    let without: Value =
        serde_json::from_str(&run("{\"e\": <aws.events.event>}").unwrap()).unwrap();
    assert_eq!(without["e"].get("detail"), None);
    assert_eq!(without["e"]["source"], "aws.ec2");
}

#[test]
fn missing_paths_wildcards_and_unknown_names() {
    give("{\"a\": <missing>}", "{\"a\": null}");
    give("{\"a\": \"x<missing>y\"}", "{\"a\": \"xy\"}");
    give("x<missing>y", "xy");
    give(
        "{\"all\": <all>}",
        "{\"all\": [\"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111\"]}",
    );
    // A name that is not in the map stays as written.
    give("\"<unknown>\"", "\"<unknown>\"");
}

#[test]
fn errors_say_what_is_wrong() {
    let table = [
        (
            "{\"a\": <instance> <state>}",
            "the template starts like JSON but its result is not JSON",
        ),
        (
            "{<instance>: 1}",
            "the placeholder <instance> is used as an object key",
        ),
    ];
    for (template, want) in table {
        let err = run(template).unwrap_err();
        assert!(err.contains(want), "{template}: {err}");
    }
    let ev = ec2_event();
    let ctx = Context::default();
    let bad = [
        (
            json!({"Input": "{", "InputPath": "$"}),
            "at most one of Input, InputPath and InputTransformer",
        ),
        (json!({"Input": "{oops"}), "`Input` must be JSON text"),
        (json!({"InputPath": "detail"}), "must start with `$`"),
        (json!({"InputPath": "$['detail']"}), "use dot notation"),
        (
            json!({"InputTransformer": {"InputPathsMap": {"aws.x": "$"}, "InputTemplate": "x"}}),
            "reserves",
        ),
        (
            json!({"InputTransformer": {"InputPathsMap": {}}}),
            "InputTemplate` must be a string",
        ),
    ];
    for (target, want) in bad {
        let err = transform(&target, &ev, &ctx).unwrap_err().to_string();
        assert!(err.contains(want), "{target}: {err}");
    }
    let many: serde_json::Map<String, Value> =
        (0..101).map(|i| (format!("v{i}"), json!("$.id"))).collect();
    let target = json!({"InputTransformer": {"InputPathsMap": many, "InputTemplate": "x"}});
    assert!(matches!(
        transform(&target, &ev, &ctx),
        Err(TransformError::TooLarge { .. })
    ));
}

#[test]
fn whole_event_input_path_and_constant() {
    let ev = ec2_event();
    let ctx = Context::default();
    let table = [
        (json!({"Id": "t", "Arn": "arn"}), ev.clone()),
        (json!({"InputPath": "$.detail"}), ev["detail"].clone()),
        (
            json!({"InputPath": "$.resources[0]"}),
            ev["resources"][0].clone(),
        ),
        (json!({"InputPath": "$.nothing"}), Value::Null),
        (
            json!({"Input": "{\"fixed\": [1, 2]}"}),
            json!({"fixed": [1, 2]}),
        ),
    ];
    for (target, want) in table {
        let got = transform(&target, &ev, &ctx).unwrap();
        assert_eq!(got.json, Some(want), "{target}");
    }
    let constant = transform(&json!({"Input": "{\"fixed\":  1}"}), &ev, &ctx).unwrap();
    assert_eq!(
        constant.text, "{\"fixed\":  1}",
        "Input is delivered exactly as written"
    );
}

#[test]
fn fuzz_transformer_never_panics() {
    let templates = [
        "{\"a\": <instance>, \"b\": \"<state> \\\" <detail>\"}",
        "\"<instance>\"\n<all><missing>",
        "[<detail>, \"<aws.events.event>\", <aws.events.rule-name>]",
    ];
    let inserts = [
        "<",
        ">",
        "\"",
        "\\",
        "{",
        "}",
        "[",
        "<instance>",
        "<aws.events.event.json>",
        "é",
        ":",
    ];
    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for i in 0..4000 {
        let mut t = templates[i % templates.len()].to_string();
        for _ in 0..(next() % 4 + 1) {
            let at = (next() as usize) % (t.len() + 1);
            let at = (0..=at).rev().find(|&k| t.is_char_boundary(k)).unwrap_or(0);
            if next() % 2 == 0 {
                t.truncate(at);
            } else {
                t.insert_str(at, inserts[(next() as usize) % inserts.len()]);
            }
        }
        let _ = run(&t);
        let path = t.replace(['<', '>'], "");
        let _ = transform(
            &json!({"InputPath": format!("${path}")}),
            &ec2_event(),
            &Context::default(),
        );
    }
}

/// `<aws.events.rule-arn>` names the rule in the event's own account and region (the default
/// bus), not a fixed `us-east-1`.
#[test]
fn the_rule_arn_takes_the_event_s_region_and_account() {
    let target = json!({"InputTransformer": {"InputTemplate": "<aws.events.rule-arn>"}});
    let arn = |event: Value| {
        transform(&target, &event, &Context::for_rule("my-rule"))
            .unwrap()
            .text
    };
    let table = [
        (
            json!({"region": "eu-west-1", "account": "111122223333"}),
            "arn:aws:events:eu-west-1:111122223333:rule/my-rule",
        ),
        (
            json!({"region": "cn-north-1", "account": "111122223333"}),
            "arn:aws-cn:events:cn-north-1:111122223333:rule/my-rule",
        ),
        (
            json!({"region": "us-gov-west-1", "account": "111122223333"}),
            "arn:aws-us-gov:events:us-gov-west-1:111122223333:rule/my-rule",
        ),
        (
            json!({"source": "shop"}),
            "arn:aws:events:us-east-1:123456789012:rule/my-rule",
        ),
    ];
    for (event, want) in table {
        assert_eq!(arn(event.clone()), want, "{event}");
    }
    // A context that names its ARN keeps it.
    let ctx = Context {
        rule_arn: Some("arn:aws:events:eu-west-1:1:rule/bus/r".into()),
        ..Context::for_rule("r")
    };
    let event = json!({"region": "ap-south-1"});
    assert_eq!(
        transform(&target, &event, &ctx).unwrap().text,
        "arn:aws:events:eu-west-1:1:rule/bus/r"
    );
}

/// EventBridge refuses an event over 256 KiB, and a template that multiplies a big event stops
/// at the 256 KiB a target accepts instead of building the whole text.
#[test]
fn size_limits() {
    let event = |n: usize| json!({"source": "s", "detail": {"b": "x".repeat(n)}});
    let whole = json!({});
    // 1 byte of source, 8 of {"b":""}: 262,144 fits, one more does not.
    assert!(transform(&whole, &event(262_144 - 9), &Context::default()).is_ok());
    let Err(err) = transform(&whole, &event(262_144 - 8), &Context::default()) else {
        panic!("an event of 262,145 bytes was accepted");
    };
    assert!(matches!(err, TransformError::EventTooLarge(_)), "{err}");
    assert_eq!(err.pointer(), "");
    assert!(
        err.to_string()
            .contains("262,145 bytes, over EventBridge's limit")
    );

    let paths: serde_json::Map<String, Value> = (0..50)
        .map(|i| (format!("v{i}"), json!("$.detail.b")))
        .collect();
    let names: Vec<String> = (0..50).map(|i| format!("\"<v{i}>\"")).collect();
    let target = json!({"InputTransformer": {"InputPathsMap": paths,
                                             "InputTemplate": format!("[{}]", names.join(","))}});
    let Err(err) = transform(&target, &event(200_000), &Context::default()) else {
        panic!("a template of 50 copies of 200 KB was accepted");
    };
    assert!(matches!(err, TransformError::InputTooLarge { .. }), "{err}");
    assert_eq!(err.pointer(), "/InputTransformer/InputTemplate");
    // Two copies of 100 KB fit.
    let names: Vec<String> = (0..2).map(|i| format!("\"<v{i}>\"")).collect();
    let target = json!({"InputTransformer": {"InputPathsMap": {"v0": "$.detail.b", "v1": "$.detail.b"},
                                             "InputTemplate": format!("[{}]", names.join(","))}});
    let out = transform(&target, &event(100_000), &Context::default()).unwrap();
    assert_eq!(out.text.len(), 2 * 100_000 + 7);
}
