//! PutEvents input as users write it: a full event, one entry, a list, the whole request; each
//! entry checked as PutEvents checks it, answered as PutEvents answers.

use serde_json::{Value, json};
use statebridge_engine::put_events::{Envelope, PutEventsError, Shape, read};

fn env() -> Envelope<'static> {
    Envelope::default()
}

/// `(input, the shape read, how many events go on a bus, PutEvents' FailedEntryCount)`.
fn reads(input: Value, shape: Shape, events: usize, failed: usize) {
    let put = read(&input, &env()).unwrap_or_else(|e| panic!("{input}: {e}"));
    assert_eq!(put.shape, shape, "{input}");
    assert_eq!(put.events.len(), events, "{input}");
    assert_eq!(put.result.failed_entry_count, failed, "{input}");
    assert_eq!(put.result.entries.len(), events + failed, "{input}");
}

/// `(entry, AWS's ErrorCode, AWS's ErrorMessage)` for one refused entry.
fn refuses(entry: Value, code: &str, message: &str) {
    let put = read(&json!({"Entries": [entry.clone()]}), &env()).unwrap();
    assert_eq!(
        serde_json::to_value(&put.result).unwrap(),
        json!({"FailedEntryCount": 1, "Entries": [{"ErrorCode": code, "ErrorMessage": message}]}),
        "{entry}"
    );
}

fn entry(source: &str) -> Value {
    json!({"Source": source, "DetailType": "UserSignup", "Detail": "{\"user_id\": \"12345\"}"})
}

#[test]
fn every_shape_people_paste() {
    reads(
        json!({"source": "shop", "detail-type": "X", "detail": {}}),
        Shape::Event,
        1,
        0,
    );
    reads(entry("myapp.signup"), Shape::Entry, 1, 0);
    reads(
        json!([entry("a"), entry("b"), {"DetailType": "x", "Detail": "{}"}]),
        Shape::List,
        2,
        1,
    );
    reads(json!({"Entries": [entry("a")]}), Shape::Request, 1, 0);
    reads(
        json!({"Entries": (0..10).map(|i| entry(&format!("s{i}"))).collect::<Vec<_>>()}),
        Shape::Request,
        10,
        0,
    );
}

#[test]
fn seed_003s_boto3_entry_becomes_an_event() {
    let request = json!({"Entries": [{"Source": "myapp.signup", "DetailType": "UserSignup",
        "Detail": "{\"user_id\": \"12345\"}", "EventBusName": "default"}]});
    let put = read(&request, &env()).unwrap();
    let e = &put.events[0];
    assert_eq!(e.bus, "default");
    let id = e.event["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(
        e.event,
        json!({"version": "0", "id": id, "detail-type": "UserSignup", "source": "myapp.signup",
               "account": "123456789012", "time": "2026-01-01T00:00:00Z", "region": "us-east-1",
               "resources": [], "detail": {"user_id": "12345"}})
    );
    assert_eq!(
        serde_json::to_value(&put.result).unwrap(),
        json!({"FailedEntryCount": 0, "Entries": [{"EventId": id}]})
    );
    // The same run reads the same ids.
    assert_eq!(read(&request, &env()).unwrap(), put);
}

#[test]
fn the_envelope_takes_time_bus_and_resources_from_the_entry() {
    let put = read(
        &json!({"Source": "com.mycompany.myapp", "DetailType": "service_status",
                "Detail": "{\"service\": \"myapp service\", \"status\": \"restored\"}",
                "EventBusName": "arn:aws:events:us-east-1:123456789012:event-bus/MyCustomEventBus",
                "Time": "2026-05-04T03:02:01.500Z", "Resources": ["arn:aws:s3:::bucket"]}),
        &env(),
    )
    .unwrap();
    let e = &put.events[0];
    assert_eq!(e.bus, "MyCustomEventBus");
    assert_eq!(e.event["time"], "2026-05-04T03:02:01Z");
    assert_eq!(e.event["resources"], json!(["arn:aws:s3:::bucket"]));
    assert_eq!(e.event["detail"]["status"], "restored");
}

#[test]
fn entries_refused_as_putevents_refuses_them() {
    // The codes and messages AWS returns (the conformance corpus's putEvents cases record the
    // first two; the others follow the same form).
    refuses(
        json!({"DetailType": "t", "Detail": "{}"}),
        "InvalidArgument",
        "Parameter Source is not valid. Reason: Source is a required argument.",
    );
    refuses(
        json!({"Source": "s", "DetailType": "t", "Detail": "\"jsonstring\""}),
        "MalformedDetail",
        "Detail is malformed.",
    );
    refuses(
        json!({"Source": "s", "Detail": "{}"}),
        "InvalidArgument",
        "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
    );
    refuses(
        json!({"Source": "s", "DetailType": "t"}),
        "InvalidArgument",
        "Parameter Detail is not valid. Reason: Detail is a required argument.",
    );
    refuses(
        json!({"Source": "s", "DetailType": "t", "Detail": "{not json"}),
        "MalformedDetail",
        "Detail is malformed.",
    );
    refuses(
        json!({"Source": "s", "DetailType": "t", "Detail": "[1, 2]"}),
        "MalformedDetail",
        "Detail is malformed.",
    );
    // Lowercase names (as a workflow's Parameters sometimes have them) are not PutEvents' fields:
    // the service finds DetailType missing (a workflow's task checks entries this way), while an
    // SDK refuses the pasted call before sending it (`a_member_putevents_lacks_…` below).
    let lower = json!({"Source": "s", "detailType": "t", "Detail": "{}"});
    assert_eq!(
        statebridge_engine::put_events::check_entry(&lower)
            .unwrap_err()
            .to_string(),
        "InvalidArgument: Parameter DetailType is not valid. Reason: DetailType is a required argument."
    );
    assert_eq!(
        read(&json!({"Entries": [lower]}), &env())
            .unwrap_err()
            .code(),
        "ParamValidationError"
    );
}

#[test]
fn the_valid_entries_of_a_call_still_go() {
    let put = read(
        &json!({"Entries": [entry("a"), {"Source": "b", "DetailType": "t", "Detail": "\"x\""}, entry("c")]}),
        &env(),
    )
    .unwrap();
    let sources: Vec<&Value> = put.events.iter().map(|e| &e.event["source"]).collect();
    assert_eq!(sources, [&json!("a"), &json!("c")]);
    assert_eq!(put.events[1].entry, 2);
    assert_eq!(put.result.failed_entry_count, 1);
}

#[test]
fn requests_refused_whole() {
    let eleven = json!((0..11).map(|i| entry(&format!("s{i}"))).collect::<Vec<_>>());
    let big = json!([{"Source": "s", "DetailType": "t",
                      "Detail": json!({"blob": "x".repeat(200_000)}).to_string()},
                     {"Source": "s", "DetailType": "t",
                      "Detail": json!({"blob": "y".repeat(100_000)}).to_string()}]);
    let table: [(Value, &str); 5] = [
        (eleven, "less than or equal to 10"),
        (json!({"Entries": []}), "`Entries` is empty"),
        (
            big,
            "Total size of the entries in the request is over the limit.",
        ),
        (json!("text"), "found a string"),
        (
            json!({"Entries": [entry("a"), 3]}),
            "at `Entries[1]`: found a number",
        ),
    ];
    for (input, says) in table {
        let e: PutEventsError = read(&input, &env()).unwrap_err();
        assert!(e.to_string().contains(says), "{e}");
        assert_eq!(e.code(), "ValidationException");
    }
}

/// What boto3 and the AWS CLI say before sending a call with a member PutEvents lacks: the whole
/// call is refused ("Parameter validation failed"), naming the entry and the member.
#[test]
fn a_member_putevents_lacks_is_refused_as_the_sdks_refuse_it() {
    let mut typo = entry("shop");
    typo["detail-type"] = json!("X");
    let table: [(Value, &str, &str); 4] = [
        (
            json!({"Entries": [entry("a"), typo.clone()]}),
            "/Entries/1/detail-type",
            "Parameter validation failed: Unknown parameter in Entries[1]: \"detail-type\", must \
             be one of: Time, Source, Resources, DetailType, Detail, EventBusName, TraceHeader \
             (did you mean `DetailType`?)",
        ),
        (
            json!([typo.clone()]),
            "/0/detail-type",
            "Unknown parameter in Entries[0]: \"detail-type\"",
        ),
        (
            json!({"Source": "a", "DetailType": "b", "Detail": "{}", "Priority": 1}),
            "/Priority",
            "Unknown parameter in Entries[0]: \"Priority\", must be one of: Time,",
        ),
        (
            json!({"Entries": [entry("a")], "Endpoint": "x"}),
            "/Endpoint",
            "Unknown parameter in input: \"Endpoint\", must be one of: Entries, EndpointId",
        ),
    ];
    for (input, pointer, says) in table {
        let e: PutEventsError = read(&input, &env()).unwrap_err();
        assert!(e.to_string().contains(says), "{e}");
        assert_eq!(e.pointer(), Some(pointer), "{input}");
        assert_eq!(e.code(), "ParamValidationError");
    }
    // A full event keeps whatever members it has; so does an entry with only known ones.
    reads(
        json!({"source": "s", "detail-type": "t", "detail": {}, "extra": 1}),
        Shape::Event,
        1,
        0,
    );
    reads(
        json!({"Entries": [{"Source": "s", "DetailType": "t", "Detail": "{}", "TraceHeader": "Root=1"}], "EndpointId": "abc.xyz"}),
        Shape::Request,
        1,
        0,
    );
}
