//! The Custom Event Bus (`eventsv2`), checked against the user guide's and the API reference's
//! own examples: filters by scope, the three transformers, ordering, deduplication, retention and
//! starting positions, retries and dead-lettering, and the checks `CreateSubscriber` makes.

use serde_json::{Value, json};
use statebridge_engine::eventsv2::{DeliveryOutcome, Document, Report, RunOptions};

const QUEUE: &str = "arn:aws:sqs:us-east-1:123456789012:orders";
const ROLE: &str = "arn:aws:iam::123456789012:role/my-delivery-role";
const DLQ: &str = "arn:aws:sqs:us-east-1:123456789012:my-dlq";

/// A subscriber on bus `orders` delivering to an SQS queue, with extra fields.
fn subscriber(name: &str, extra: Value) -> Value {
    let mut s = json!({"Name": name, "EventBusArn": "orders",
        "InvokeConfiguration": {"TargetArn": QUEUE, "RoleArn": ROLE}});
    if let (Some(s), Value::Object(extra)) = (s.as_object_mut(), extra) {
        s.extend(extra);
    }
    s
}

fn put_events(details: &[Value]) -> Value {
    let entries: Vec<Value> = details
        .iter()
        .map(|d| json!({"Source": "com.example.orders", "DetailType": "OrderPlaced", "Detail": d.to_string()}))
        .collect();
    json!({"EventBusArn": "orders", "Entries": entries})
}

fn put_raw(items: &[(Value, Value)]) -> Value {
    let entries: Vec<Value> = items
        .iter()
        .map(|(data, metadata)| {
            json!({"Data": data, "Metadata": metadata,
            "SystemMetadata": {"ContentType": "application/json"}})
        })
        .collect();
    json!({"EventBusArn": "orders", "Entries": entries})
}

fn run(doc: Value) -> Report {
    let mut doc = doc;
    if doc.get("EventBuses").is_none() {
        doc["EventBuses"] = json!([{"Name": "orders"}]);
    }
    Document::parse(&doc)
        .unwrap_or_else(|e| panic!("{e}"))
        .run(&RunOptions::default())
}

/// What each subscriber's target received, in delivery order, by subscriber name.
fn received(report: &Report, name: &str) -> Vec<Value> {
    let s = report
        .subscribers
        .iter()
        .position(|s| s.name == name)
        .unwrap();
    report
        .deliveries
        .iter()
        .filter(|d| d.subscriber == s && matches!(d.outcome, DeliveryOutcome::Delivered { .. }))
        .map(|d| d.payload.clone().unwrap())
        .collect()
}

fn refused(doc: Value) -> String {
    let mut doc = doc;
    if doc.get("EventBuses").is_none() {
        doc["EventBuses"] = json!([{"Name": "orders"}]);
    }
    Document::parse(&doc).unwrap_err().to_string()
}

#[test]
fn a_data_filter_delivers_only_orders_over_500() {
    // The user guide's "Filtering events for a subscriber" example.
    let report = run(json!({
        "Subscribers": [subscriber("big-orders", json!({"FilterConfiguration": {"Filters": [
            {"Scope": "DATA", "Pattern": "{\"detail\":{\"amount\":[{\"numeric\":[\">\",500]}]}}"}]}}))],
        "Publish": [put_events(&[json!({"id": "a", "amount": 900}), json!({"id": "b", "amount": 20})])]
    }));
    let got: Vec<Value> = received(&report, "big-orders")
        .iter()
        .map(|d| d["detail"]["id"].clone())
        .collect();
    assert_eq!(got, [json!("a")]);
    let lane = &report.subscribers[0].lane;
    assert_eq!((lane.entries.len(), lane.matched), (2, 1));
    let why = lane.entries[1].verdicts[0].reason.clone().unwrap();
    assert!(why.contains("detail.amount"), "{why}");
}

#[test]
fn a_pattern_written_for_the_other_publish_api_matches_nothing() {
    // "Event structure": the order total is at `total` for PutRawEvents, `detail.total` for PutEvents.
    let raw_pattern = "{ \"total\": [ { \"numeric\": [ \">\", 500 ] } ] }";
    let report = run(json!({
        "Subscribers": [subscriber("raw-shape", json!({"FilterConfiguration": {"Filters": [
            {"Scope": "DATA", "Pattern": raw_pattern}]}}))],
        "Publish": [put_raw(&[(json!({"total": 900}), json!({}))]),
                    put_events(&[json!({"total": 900})])]
    }));
    assert_eq!(received(&report, "raw-shape"), [json!({"total": 900})]);
}

#[test]
fn metadata_filters_match_exact_values_and_never_a_put_events_event() {
    let report = run(json!({
        "Subscribers": [subscriber("acme", json!({"FilterConfiguration": {"Filters": [
            {"Scope": "METADATA", "Pattern": "{\"tenant\": [\"acme\"]}"}]}}))],
        "Publish": [put_raw(&[(json!({"n": 1}), json!({"tenant": "acme"})),
                              (json!({"n": 2}), json!({"tenant": "globex"}))]),
                    put_events(&[json!({"n": 3})])]
    }));
    assert_eq!(received(&report, "acme"), [json!({"n": 1})]);
    let why = report.subscribers[0].lane.entries[2].verdicts[0]
        .reason
        .clone()
        .unwrap();
    assert!(why.contains("no publisher metadata"), "{why}");
}

#[test]
fn every_filter_must_match() {
    let report = run(json!({
        "Subscribers": [subscriber("acme-big", json!({"FilterConfiguration": {"Filters": [
            {"Scope": "DATA", "Pattern": "{\"total\": [{\"numeric\": [\">\", 500]}]}"},
            {"Scope": "METADATA", "Pattern": "{\"tenant\": [\"acme\"]}"}]}}))],
        "Publish": [put_raw(&[(json!({"total": 900}), json!({"tenant": "acme"})),
                              (json!({"total": 900}), json!({"tenant": "globex"})),
                              (json!({"total": 9}), json!({"tenant": "acme"}))])]
    }));
    assert_eq!(received(&report, "acme-big").len(), 1);
    let verdicts: Vec<(bool, bool)> = report.subscribers[0]
        .lane
        .entries
        .iter()
        .map(|e| (e.verdicts[0].matched, e.verdicts[1].matched))
        .collect();
    assert_eq!(verdicts, [(true, true), (true, false), (false, true)]);
}

#[test]
fn a_system_metadata_filter_reads_what_eventbridge_sets() {
    let report = run(json!({
        "Subscribers": [subscriber("from-shop", json!({"FilterConfiguration": {"Filters": [
            {"Scope": "SYSTEM_METADATA", "Pattern": "{\"aws:Source\": [\"com.example.orders\"], \"aws:DeliveryType\": [\"LIVE\"]}"}]}}))],
        "Publish": [put_events(&[json!({"n": 1})]), put_raw(&[(json!({"n": 2}), json!({}))])]
    }));
    assert_eq!(received(&report, "from-shop").len(), 1);
}

#[test]
fn create_subscriber_refuses_what_the_service_refuses() {
    let cases = [
        (
            json!({"FilterConfiguration": {"Filters": [{"Scope": "METADATA", "Pattern": "{\"tenant\": [{\"prefix\": \"ac\"}]}"}]}}),
            "subscriber `s`: InvalidInputException: FilterConfiguration.Filters[0].Pattern: at `tenant`: METADATA filters match exact values only, so `prefix` is not supported",
        ),
        (
            json!({"FilterConfiguration": {"Filters": [{"Scope": "DATA", "Pattern": "{\"id\": [{\"wildcard\": \"a*\"}]}"}]}}),
            "subscriber `s`: InvalidInputException: FilterConfiguration.Filters[0].Pattern: at `id`: subscriber filters do not support wildcard matching",
        ),
        (
            json!({"FilterConfiguration": {"Filters": []}}),
            "subscriber `s`: InvalidInputException: FilterConfiguration.Filters: must hold at least one filter",
        ),
        (
            json!({"FilterConfiguration": {"Filters": [{"Scope": "DATA", "Pattern": "{\"a\": [1]}"}, {"Scope": "DATA", "Pattern": "{\"b\": [1]}"}]}}),
            "FilterConfiguration.Filters[1].Scope: a subscriber may have at most one filter per scope",
        ),
        (
            json!({"Transformer": {"Type": "JSONATA"}}),
            "Transformer.JsonataConfiguration.Expression: is required when Type is JSONATA",
        ),
        (
            json!({"Transformer": {"Type": "JSONATA", "JsonataConfiguration": {"Expression": "$events.Data"}}}),
            "Transformer.JsonataConfiguration.Expression: must be wrapped in {% %} delimiters",
        ),
        (
            json!({"Transformer": {"Type": "JSONATA", "JsonataConfiguration": {"Expression": "{% $events.Data. %}"}}}),
            "Transformer.JsonataConfiguration.Expression: the JSONata expression does not parse",
        ),
        (
            json!({"RetryPolicy": {"MaxRetryAttempts": 186}}),
            "RetryPolicy.MaxRetryAttempts: 186: valid range is 0-185",
        ),
        (
            json!({"RetryPolicy": {"MaxEventAgeInSeconds": 30}}),
            "RetryPolicy.MaxEventAgeInSeconds: 30: valid range is 60-86400",
        ),
        (
            json!({"StartingPosition": "POINT_IN_TIME"}),
            "PointInTimeConfiguration.PointType: is required when StartingPosition is POINT_IN_TIME",
        ),
        (
            json!({"Type": "ORDERED"}),
            "Type: `ORDERED`: use UNORDERED or FIFO",
        ),
        (
            json!({"InvokeConfiguration": {"TargetArn": QUEUE, "RoleArn": ROLE, "SnsParameters": {}}}),
            "InvokeConfiguration.SnsParameters: SnsParameters is not supported for target arn:aws:sqs:us-east-1:123456789012:orders. Expected SqsParameters",
        ),
        (
            json!({"InvokeConfiguration": {"TargetArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/s", "RoleArn": ROLE, "SqsParameters": {}}}),
            "Expected no target parameters",
        ),
        (
            json!({"InvokeConfiguration": {"TargetArn": "arn:aws:kinesis:us-east-1:123456789012:orders", "RoleArn": ROLE}}),
            "InvokeConfiguration.TargetArn: TargetArn resource must be of the form stream/{name}",
        ),
        (
            json!({"InvokeConfiguration": {"TargetArn": "arn:aws:dynamodb:us-east-1:123456789012:table/t", "RoleArn": ROLE}}),
            "InvokeConfiguration.TargetArn: TargetArn is not a supported subscriber target",
        ),
        (
            json!({"InvokeConfiguration": {"TargetArn": "arn:aws:sqs:eu-west-1:123456789012:q", "RoleArn": ROLE}}),
            "TargetArn must be in region us-east-1",
        ),
        (
            json!({"InvokeConfiguration": {"TargetArn": "arn:aws:sqs:us-east-1:111122223333:q", "RoleArn": ROLE}}),
            "Target resource account (111122223333) must match the subscriber account (123456789012)",
        ),
        (
            json!({"InvokeConfiguration": {"TargetArn": "arn:aws:events:us-east-1:123456789012:event-busv2/orders/exampleid0123456789abcdef", "RoleArn": ROLE}}),
            "InvokeConfiguration.TargetArn: must not reference the subscriber's own event bus",
        ),
        (
            json!({"InvokeConfiguration": {"TargetArn": "arn:aws:events:us-east-1:123456789012:event-bus/default", "RoleArn": ROLE},
                "Transformer": {"Type": "WITH_METADATA"}}),
            "a subscriber whose target is a Custom Event Bus - Classic supports only RAW",
        ),
        (
            json!({"OnFailureConfiguration": {"Arn": "arn:aws:sns:us-east-1:123456789012:t"}}),
            "OnFailureConfiguration.Arn: \"arn:aws:sns:us-east-1:123456789012:t\": an Amazon SQS queue's ARN is the supported destination",
        ),
        (
            json!({"EventBusArn": "payments"}),
            "subscriber `s`: ResourceNotFoundException: EventBusArn: no bus named `payments`",
        ),
    ];
    for (extra, want) in cases {
        let doc = json!({"Subscribers": [subscriber("s", extra.clone())]});
        let got = refused(doc);
        assert!(
            got.contains(want),
            "for {extra}:\n got: {got}\nwant: {want}"
        );
    }
}

#[test]
fn the_three_transformers() {
    // "Transforming events with JSONata": the expression reads $events.
    let expression =
        "{% { \"orderId\": $events.Data.orderId, \"priority\": $events.Data.priority } %}";
    let report = run(json!({
        "Subscribers": [
            subscriber("raw", json!({})),
            subscriber("with-metadata", json!({"Transformer": {"Type": "WITH_METADATA"}})),
            subscriber("jsonata", json!({"Transformer": {"Type": "JSONATA", "JsonataConfiguration": {"Expression": expression}}}))],
        "Publish": [put_raw(&[(json!({"orderId": "12345", "priority": "high", "lines": 3}), json!({"tenant": "acme"}))])]
    }));
    assert_eq!(
        received(&report, "raw"),
        [json!({"orderId": "12345", "priority": "high", "lines": 3})]
    );
    assert_eq!(
        received(&report, "jsonata"),
        [json!({"orderId": "12345", "priority": "high"})]
    );
    let full = &received(&report, "with-metadata")[0];
    assert_eq!(full["Metadata"], json!({"tenant": "acme"}));
    let sm = &full["SystemMetadata"];
    assert_eq!(
        (sm["ContentType"].as_str(), sm["aws:DeliveryType"].as_str()),
        (Some("application/json"), Some("LIVE"))
    );
    assert_eq!(sm["aws:EventId"], json!(report.events[0].id));
    assert_eq!(sm["aws:IngestionTime"], json!("2026-01-01T00:00:00Z"));
    assert!(
        sm.get("EventGroupId").is_none(),
        "absent fields are omitted"
    );
}

#[test]
fn put_events_data_is_the_classic_envelope_with_aws_source_in_system_metadata() {
    let report = run(json!({
        "Subscribers": [subscriber("all", json!({"Transformer": {"Type": "WITH_METADATA"}}))],
        "Publish": [{"EventBusArn": "orders", "Entries": [{"Source": "com.example.orders", "DetailType": "OrderPlaced",
            "Detail": "{\"orderId\": \"12345\"}", "Resources": ["arn:aws:s3:::b"], "Time": "2025-12-31T23:00:00Z"}]}]
    }));
    let got = &received(&report, "all")[0];
    let id = report.events[0].id.clone();
    assert_eq!(
        got["Data"],
        json!({"version": "0", "id": id, "detail-type": "OrderPlaced",
        "source": "com.example.orders", "account": "123456789012", "time": "2025-12-31T23:00:00Z",
        "region": "us-east-1", "resources": ["arn:aws:s3:::b"], "detail": {"orderId": "12345"}})
    );
    assert_eq!(got["Metadata"], json!({}));
    assert_eq!(
        got["SystemMetadata"]["ContentType"],
        "application/eventbridge+json"
    );
    assert_eq!(got["SystemMetadata"]["aws:Source"], "com.example.orders");
    assert_eq!(got["SystemMetadata"]["aws:DetailType"], "OrderPlaced");
}

#[test]
fn publish_answers_per_entry() {
    let report = run(json!({"Publish": [{"EventBusArn": "orders", "Entries": [
        {"Source": "shop", "DetailType": "A", "Detail": "{}"},
        {"DetailType": "A", "Detail": "{}"},
        {"Source": "aws.s3", "DetailType": "A"},
        {"Source": "shop", "DetailType": "A", "Detail": "{not json"}]},
        {"EventBusArn": "orders", "Entries": [
            {"Data": "eyJhIjogMX0=", "SystemMetadata": {"ContentType": "application/json"}},
            {"Data": "AAEC", "SystemMetadata": {"ContentType": "application/x-thing"}},
            {"Data": "aGk=", "SystemMetadata": {"ContentType": "application/json"}},
            {"Data": "AAEC", "SystemMetadata": {"ContentType": "application/octet-stream"}, "Metadata": {"a": "1", "A": "2"}}]}]}));
    let answer = &report.publishes[0].response;
    assert_eq!(answer["FailedEntryCount"], 3);
    assert_eq!(answer["Entries"][0]["SuccessCode"], "PUBLISHED");
    assert_eq!(answer["Entries"][1]["ErrorMessage"], "Source is required");
    assert!(
        answer["Entries"][2]["ErrorMessage"]
            .as_str()
            .unwrap()
            .contains("`aws.` prefix is reserved")
    );
    assert!(
        answer["Entries"][3]["ErrorMessage"]
            .as_str()
            .unwrap()
            .starts_with("Detail is not valid JSON")
    );
    let raw = &report.publishes[1].response;
    assert_eq!(raw["FailedEntryCount"], 3);
    assert_eq!(report.events[1].event["Data"], json!({"a": 1}));
    assert!(
        raw["Entries"][1]["ErrorMessage"]
            .as_str()
            .unwrap()
            .contains("valid values are application/json")
    );
    assert!(
        raw["Entries"][2]["ErrorMessage"]
            .as_str()
            .unwrap()
            .contains("its ContentType is application/json")
    );
    assert!(
        raw["Entries"][3]["ErrorMessage"]
            .as_str()
            .unwrap()
            .contains("differ only in case")
    );
    let too_many: Vec<Value> = (0..101)
        .map(|_| json!({"Source": "s", "DetailType": "d"}))
        .collect();
    let got = refused(json!({"Publish": [{"EventBusArn": "orders", "Entries": too_many}]}));
    assert_eq!(
        got,
        "Publish[0]: ValidationException: Entries: must hold 1 to 100 entries, not 101"
    );
}

#[test]
fn a_duplicate_within_five_minutes_is_answered_deduplicated() {
    let entry = |id: &str, group: Option<&str>| {
        let mut sm = json!({"DeduplicationId": id});
        if let Some(g) = group {
            sm["EventGroupId"] = json!(g);
        }
        json!({"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{}", "SystemMetadata": sm})
    };
    let call = |at: i64, entries: Vec<Value>| json!({"At": at, "EventBusArn": "orders", "Entries": entries});
    let report = run(json!({
        "Subscribers": [subscriber("all", json!({}))],
        "Publish": [
            call(0, vec![entry("order-1", None), entry("order-1", None)]),
            call(299, vec![entry("order-1", None), entry("order-1", Some("customer-7"))]),
            call(300, vec![entry("order-1", None)]),
        ]
    }));
    let codes: Vec<Vec<&str>> = report
        .publishes
        .iter()
        .map(|p| {
            p.response["Entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["SuccessCode"].as_str().unwrap())
                .collect()
        })
        .collect();
    assert_eq!(
        codes,
        [
            vec!["PUBLISHED", "DEDUPLICATED"],
            vec!["DEDUPLICATED", "PUBLISHED"],
            vec!["PUBLISHED"]
        ]
    );
    let first = &report.publishes[0].response["Entries"];
    assert_eq!(first[0]["EventId"], first[1]["EventId"]);
    assert_eq!(report.events[0].duplicates, 2);
    assert_eq!(received(&report, "all").len(), 3);
    // CONTENT_BASED on the request hashes each entry's content.
    let same = json!({"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{\"id\": 1}"});
    let report = run(
        json!({"Publish": [{"EventBusArn": "orders", "DeduplicationConfiguration": {"DeduplicationType": "CONTENT_BASED"},
        "Entries": [same, same, {"Source": "shop", "DetailType": "OrderPlaced", "Detail": "{\"id\": 2}"}]}]}),
    );
    let codes: Vec<&str> = report.publishes[0].response["Entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["SuccessCode"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["PUBLISHED", "DEDUPLICATED", "PUBLISHED"]);
}

#[test]
fn a_fifo_subscriber_holds_back_a_failing_event_s_group_only() {
    let entry = |group: &str, n: u32| {
        json!({"Source": "shop", "DetailType": "Step",
        "Detail": json!({"group": group, "n": n}).to_string(), "SystemMetadata": {"EventGroupId": group}})
    };
    let report = run(json!({
        "Subscribers": [subscriber("ordered", json!({"Type": "FIFO", "Transformer": {"Type": "JSONATA",
            "JsonataConfiguration": {"Expression": "{% $events.Data.detail.group & $string($events.Data.detail.n) %}"}}}))],
        // The target's calls, counted: a1 (refused), b1, b2, a1 again after 1 s (refused), a1
        // after 2 s more, then a2.
        "TargetResponses": {"ordered": {"0": {"Throw": {"Error": "ThrottlingException", "Cause": "slow down"}},
                                        "3": {"Throw": {"Error": "ThrottlingException", "Cause": "slow down"}}}},
        "Publish": [{"EventBusArn": "orders", "Entries": [entry("a", 1), entry("a", 2), entry("b", 1), entry("b", 2)]}]
    }));
    let mut delivered: Vec<(i64, String)> = report
        .deliveries
        .iter()
        .map(|d| {
            (
                d.attempts.last().unwrap().millis,
                d.payload.clone().unwrap().as_str().unwrap().to_owned(),
            )
        })
        .collect();
    delivered.sort();
    let order: Vec<&str> = delivered.iter().map(|(_, p)| p.as_str()).collect();
    // Group b goes at once; a1 succeeds on its third attempt (after 1 s and 2 s), then a2.
    assert_eq!(order, ["b1", "b2", "a1", "a2"]);
    let a1 = &report.deliveries[0];
    assert_eq!(a1.attempts.len(), 3);
    assert_eq!(a1.attempts[1].millis - a1.attempts[0].millis, 1000);
    assert_eq!(
        report.deliveries[1].attempts[0].millis,
        a1.attempts[2].millis
    );
    assert_eq!(
        report.publishes[0].response["Entries"][1]["SequenceNumber"],
        "00000000000000000002"
    );
}

#[test]
fn retries_stop_at_max_retry_attempts_then_the_dead_letter_queue_gets_the_id_not_the_payload() {
    let report = run(json!({
        "Subscribers": [subscriber("fragile", json!({"RetryPolicy": {"MaxRetryAttempts": 2},
            "OnFailureConfiguration": {"Arn": DLQ}}))],
        "TargetResponses": {"fragile": {"0-9": {"Throw": {"Error": "AccessDeniedException", "Cause": "not authorized"}}}},
        "Publish": [put_events(&[json!({"n": 1})])]
    }));
    let d = &report.deliveries[0];
    assert_eq!(d.attempts.len(), 3);
    assert!(matches!(&d.outcome, DeliveryOutcome::DeadLettered { queue, .. } if queue == DLQ));
    let body = &report.dead_letters[0].body;
    assert_eq!(body["EventId"], json!(report.events[0].id));
    assert_eq!(body["ErrorCode"], "AccessDeniedException");
    assert!(body.get("Data").is_none() && body.get("detail").is_none());
    // MaxEventAgeInSeconds stops first when it is shorter: 1+2+4+8+16+32 s passes 60 s.
    let report = run(json!({
        "Subscribers": [subscriber("fragile", json!({"RetryPolicy": {"MaxRetryAttempts": 185, "MaxEventAgeInSeconds": 60}}))],
        "TargetResponses": {"fragile": {"0-999": {"Throw": {"Error": "InternalFailure"}}}},
        "Publish": [put_events(&[json!({"n": 1})])]
    }));
    let d = &report.deliveries[0];
    assert_eq!(d.attempts.len(), 6);
    assert!(
        matches!(&d.outcome, DeliveryOutcome::Dropped { reason } if reason.contains("MaxEventAgeInSeconds (60)"))
    );
}

#[test]
fn a_jsonata_transformer_that_yields_nothing_fails_the_delivery() {
    let report = run(json!({
        "Subscribers": [subscriber("wrong-shape", json!({"RetryPolicy": {"MaxRetryAttempts": 0},
            "OnFailureConfiguration": {"Arn": DLQ},
            "Transformer": {"Type": "JSONATA", "JsonataConfiguration": {"Expression": "{% $events.Data.orderId %}"}}}))],
        // A PutEvents event keeps orderId under detail: the expression finds nothing.
        "Publish": [put_events(&[json!({"orderId": "1"})])]
    }));
    let d = &report.deliveries[0];
    assert!(
        d.payload
            .as_ref()
            .unwrap_err()
            .contains("evaluated to nothing")
    );
    assert_eq!(d.attempts[0].error.as_deref(), Some("TransformationFailed"));
    assert_eq!(report.dead_letters.len(), 1);
}

#[test]
fn a_subscriber_can_start_from_a_point_in_the_past() {
    let at = |secs: i64, n: u32| {
        json!({"At": secs, "EventBusArn": "orders", "Entries": [
        {"Source": "shop", "DetailType": "OrderPlaced", "Detail": json!({"n": n}).to_string()}]})
    };
    let sub = |name: &str, at: i64, extra: Value| {
        let mut s = subscriber(name, extra);
        s["At"] = json!(at);
        s["Transformer"] = json!({"Type": "JSONATA", "JsonataConfiguration":
            {"Expression": "{% $string($events.Data.detail.n) & ' ' & $events.SystemMetadata.`aws:DeliveryType` %}"}});
        s
    };
    let report = run(json!({
        "EventBuses": [{"Name": "orders", "StorageConfiguration": {"RetentionPeriodInDays": 1}}],
        "Subscribers": [
            sub("latest", 7200, json!({})),
            sub("horizon", 7200, json!({"StartingPosition": "POINT_IN_TIME", "PointInTimeConfiguration": {"PointType": "HORIZON"}})),
            sub("since-0030", 7200, json!({"StartingPosition": "POINT_IN_TIME",
                "PointInTimeConfiguration": {"PointType": "TIMESTAMP", "StartingPoint": "2026-01-01T00:30:00Z"}})),
            sub("window", 7200, json!({"StartingPosition": "POINT_IN_TIME",
                "PointInTimeConfiguration": {"PointType": "HORIZON", "EndPoint": "2026-01-01T01:30:00Z"}}))],
        "Publish": [at(0, 1), at(3600, 2), at(10800, 3)]
    }));
    assert_eq!(received(&report, "latest"), [json!("3 LIVE")]);
    assert_eq!(
        received(&report, "horizon"),
        [json!("1 REPLAY"), json!("2 REPLAY"), json!("3 LIVE")]
    );
    assert_eq!(
        received(&report, "since-0030"),
        [json!("2 REPLAY"), json!("3 LIVE")]
    );
    assert_eq!(
        received(&report, "window"),
        [json!("1 REPLAY"), json!("2 REPLAY")]
    );
    // A starting point before the retention window is refused at create.
    let got = refused(json!({
        "EventBuses": [{"Name": "orders", "StorageConfiguration": {"RetentionPeriodInDays": 1}, "At": "2026-01-01T00:00:00Z"}],
        "Subscribers": [sub("late", 86400 * 3, json!({"StartingPosition": "POINT_IN_TIME",
            "PointInTimeConfiguration": {"PointType": "TIMESTAMP", "StartingPoint": "2026-01-01T12:00:00Z"}}))]}));
    assert!(got.contains("PointInTimeConfiguration.StartingPoint: 2026-01-01T12:00:00.000Z is before the bus's RetentionWindowStartTime 2026-01-03T00:00:00.000Z"), "{got}");
    let got = refused(
        json!({"Subscribers": [sub("future", 0, json!({"StartingPosition": "POINT_IN_TIME",
            "PointInTimeConfiguration": {"PointType": "TIMESTAMP", "StartingPoint": "2026-02-01T00:00:00Z"}}))]}),
    );
    assert!(got.ends_with("is in the future"), "{got}");
}

#[test]
fn a_subscriber_forwards_to_another_custom_bus_with_metadata_from_the_event() {
    let report = run(json!({
        "EventBuses": [{"Name": "orders"}, {"Name": "billing"}],
        "Subscribers": [
            subscriber("to-billing", json!({"InvokeConfiguration": {
                "TargetArn": "arn:aws:events:us-east-1:123456789012:event-busv2/billing/exampleid0123456789abcdef",
                "RoleArn": ROLE,
                "EventBusV2Parameters": {"Metadata": {"tenant": "{% $events.Data.detail.tenant %}"},
                                         "SystemMetadata": {"EventGroupId": "{% $events.Data.detail.tenant %}"}}},
                "Transformer": {"Type": "JSONATA", "JsonataConfiguration": {"Expression": "{% $events.Data.detail %}"}}})),
            {"Name": "acme-invoices", "EventBusArn": "billing",
             "InvokeConfiguration": {"TargetArn": QUEUE, "RoleArn": ROLE},
             "FilterConfiguration": {"Filters": [{"Scope": "METADATA", "Pattern": "{\"tenant\": [\"acme\"]}"}]}}],
        "Publish": [put_events(&[json!({"tenant": "acme", "total": 5}), json!({"tenant": "globex", "total": 6})])]
    }));
    assert_eq!(
        received(&report, "acme-invoices"),
        [json!({"tenant": "acme", "total": 5})]
    );
    let forwarded = &report.events[2];
    assert_eq!(forwarded.bus, "billing");
    assert_eq!(forwarded.event["SystemMetadata"]["EventGroupId"], "acme");
    assert!(matches!(
        report.deliveries[0].outcome,
        DeliveryOutcome::Delivered {
            forwarded: Some(2),
            ..
        }
    ));
}

#[test]
fn a_step_functions_target_starts_the_workspace_machine() {
    let doc = json!({"EventBuses": [{"Name": "orders"}],
        "Subscribers": [subscriber("start", json!({"InvokeConfiguration": {
            "TargetArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Fulfil", "RoleArn": ROLE,
            "StepFunctionsParameters": {"InvocationType": "EVENT"}},
            "Transformer": {"Type": "JSONATA", "JsonataConfiguration": {"Expression": "{% $events.Data.detail %}"}}}))],
        "Publish": [put_events(&[json!({"id": 7})])]});
    let mut machines = serde_json::Map::new();
    machines.insert(
        "Fulfil".into(),
        json!({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}),
    );
    let report = Document::parse(&doc).unwrap().run(&RunOptions {
        machines: Some(machines),
        ..RunOptions::default()
    });
    let DeliveryOutcome::Delivered {
        execution: Some(e), ..
    } = &report.deliveries[0].outcome
    else {
        panic!("{:?}", report.deliveries[0].outcome);
    };
    assert_eq!(
        (e["status"].as_str(), &e["output"]),
        (Some("SUCCEEDED"), &json!({"id": 7}))
    );
}

#[test]
fn ten_thousand_events_on_one_line() {
    // 100 PutRawEvents calls of 100 entries, the document on one line as a CLI prints it.
    let calls: Vec<Value> = (0..100)
        .map(|c| {
            let items: Vec<(Value, Value)> = (0..100)
                .map(|i| {
                    (
                        json!({"orderId": c * 100 + i, "total": i * 10}),
                        json!({"tenant": if i % 2 == 0 { "acme" } else { "globex" }}),
                    )
                })
                .collect();
            put_raw(&items)
        })
        .collect();
    let doc = json!({"EventBuses": [{"Name": "orders"}], "Subscribers": [
        subscriber("acme-big", json!({"FilterConfiguration": {"Filters": [
            {"Scope": "METADATA", "Pattern": "{\"tenant\": [\"acme\"]}"},
            {"Scope": "DATA", "Pattern": "{\"total\": [{\"numeric\": [\">=\", 500]}]}"}]},
            "Transformer": {"Type": "JSONATA", "JsonataConfiguration": {"Expression": "{% {\"id\": $events.Data.orderId} %}"}}})),
        subscriber("everything", json!({}))],
        "Publish": calls});
    let text = doc.to_string();
    assert!(!text.contains('\n'));
    let report = run(serde_json::from_str(&text).unwrap());
    assert_eq!(report.events.len(), 10_000);
    assert_eq!(received(&report, "everything").len(), 10_000);
    // Per call of 100: the even entries with total ≥ 500 are 50, 52 … 98: 25 of them.
    let big = received(&report, "acme-big");
    assert_eq!(big.len(), 2_500);
    assert_eq!(big[0], json!({"id": 50}));
}

#[test]
fn the_example_workspace_runs_in_the_system_run() {
    use statebridge_engine::system::{System, SystemOptions};
    use statebridge_engine::workspace::Workspace;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../www/examples/custom-event-bus.json"
    ))
    .unwrap();
    let ws: Workspace = text.parse().unwrap();
    let report = System::from_workspace(&ws, SystemOptions::default())
        .unwrap()
        .run();
    let v2 = report.eventsv2.expect("the rules hold EventsV2");
    let started: Vec<(String, String)> = v2
        .deliveries
        .iter()
        .filter_map(|d| match &d.outcome {
            DeliveryOutcome::Delivered {
                execution: Some(x), ..
            } => Some((
                x["output"]["orderId"].as_str().unwrap().to_owned(),
                x["output"]["shipping"].as_str().unwrap().to_owned(),
            )),
            _ => None,
        })
        .collect();
    let want = [("o-1", "express"), ("o-3", "standard"), ("o-4", "express")];
    assert_eq!(started, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
    let second_call = &v2.publishes[1].response["Entries"][0];
    assert_eq!(second_call["SuccessCode"], "DEDUPLICATED");
}

#[test]
fn a_subscriber_whose_target_is_a_classic_bus_puts_the_event_there_for_its_rules() {
    use statebridge_engine::system::{Origin, System, SystemOptions};
    use statebridge_engine::workspace::Workspace;
    let sm = "arn:aws:states:us-east-1:123456789012:stateMachine:Audit";
    let rules = json!({
        "Rules": [{"Name": "audit-orders", "EventBusName": "audit",
            "EventPattern": {"source": ["com.example.orders"]},
            "Targets": [{"Id": "a", "Arn": sm, "StateMachine": "Audit"}]}],
        "EventsV2": {
            "EventBuses": [{"Name": "orders"}],
            "Subscribers": [{"Name": "to-classic", "EventBusArn": "orders",
                "InvokeConfiguration": {"TargetArn": "arn:aws:events:us-east-1:123456789012:event-bus/audit", "RoleArn": ROLE}}],
            "Publish": [put_events(&[json!({"orderId": "o-1"})])]
        }
    });
    let ws = Workspace::from_value(&json!({"name": "t", "rules": rules,
        "event": {"source": "nobody", "detail-type": "Nothing", "detail": {}, "time": "2026-01-01T00:00:00Z"},
        "machines": {"Audit": {"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}}},
        "mocks": {}}))
    .unwrap_or_else(|e| panic!("{e}"));
    let report = System::from_workspace(&ws, SystemOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .run();
    let on_audit: Vec<_> = report.events.iter().filter(|e| e.bus == "audit").collect();
    assert_eq!(on_audit.len(), 1, "{:?}", report.events);
    let e = on_audit[0];
    assert!(
        matches!(&e.origin, Origin::Subscriber { subscriber, bus, .. } if subscriber == "to-classic" && bus == "orders")
    );
    assert_eq!(e.event["source"], "com.example.orders");
    assert_eq!(e.event["detail"], json!({"orderId": "o-1"}));
    assert_eq!(e.matched, ["audit-orders"]);
    assert_eq!(report.executions.len(), 1);
    assert_eq!(report.executions[0].input["detail"]["orderId"], "o-1");
}
