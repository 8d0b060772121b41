//! Scheduled rules, EventBridge Scheduler schedules, named archives and replays on the system's
//! virtual clock; and the errors each input form gives, with the place.

use serde_json::{Value, json};
use statebridge_engine::bus::Bus;
use statebridge_engine::system::{
    DeliveryOutcome, FiringKind, Origin, Report, SCHEDULER_LANE, System, SystemOptions,
};
use statebridge_engine::workspace::Workspace;

const SM: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:";
const BUS: &str = "arn:aws:events:us-east-1:123456789012:event-bus/";

fn pass() -> Value {
    json!({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": true}}})
}

/// A workspace from its rules document, with an event that matches nothing by default.
fn ws(rules: Value, event: Value) -> Workspace {
    Workspace::from_value(&json!({"name": "t", "event": event, "rules": rules,
        "machines": {"Job": pass()}, "mocks": {}}))
    .unwrap_or_else(|e| panic!("{e}"))
}

fn quiet_event() -> Value {
    json!({"source": "nobody", "detail-type": "Nothing", "detail": {}, "time": "2026-01-01T00:00:00Z"})
}

fn run_with(ws: &Workspace, options: SystemOptions) -> Report {
    System::from_workspace(ws, options)
        .unwrap_or_else(|e| panic!("{e}"))
        .run()
}

fn run(ws: &Workspace) -> Report {
    run_with(ws, SystemOptions::default())
}

fn times(r: &Report) -> Vec<(&str, &str)> {
    r.firings
        .iter()
        .map(|f| (f.name.as_str(), f.time.as_str()))
        .collect()
}

/// The error text of a rules document read from text (line and column included).
fn refused(text: &str) -> String {
    text.parse::<Bus>()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

#[test]
fn a_scheduled_rule_sends_aws_scheduled_event_to_its_targets_only() {
    let rules = json!({"Rules": [
        {"Name": "tick", "ScheduleExpression": "rate(5 minutes)",
         "Targets": [{"Id": "t", "Arn": format!("{SM}Job"), "StateMachine": "Job"}]},
        // A catch-all on aws.events does not see the scheduled events: they go to their rule.
        {"Name": "all", "EventPattern": {"source": ["aws.events"]}, "Targets": []}]});
    let options = SystemOptions {
        window_seconds: 1200,
        ..SystemOptions::default()
    };
    let r = run_with(&ws(rules, quiet_event()), options);
    assert_eq!(
        times(&r),
        [
            ("tick", "2026-01-01T00:05:00.000Z"),
            ("tick", "2026-01-01T00:10:00.000Z"),
            ("tick", "2026-01-01T00:15:00.000Z")
        ]
    );
    let first = r.firings[0].event.and_then(|i| r.events.get(i));
    let event = first.map(|e| e.event.clone()).unwrap_or_default();
    assert_eq!(event["source"], "aws.events");
    assert_eq!(event["detail-type"], "Scheduled Event");
    assert_eq!(event["detail"], json!({}));
    assert_eq!(event["time"], "2026-01-01T00:05:00Z");
    assert_eq!(
        event["resources"],
        json!(["arn:aws:events:us-east-1:123456789012:rule/tick"])
    );
    assert_eq!(
        first.map(|e| e.matched.clone()),
        Some(vec!["tick".to_owned()])
    );
    assert_eq!(r.executions.len(), 3);
    // Not archived: the scheduled event does not pass through the bus's rules.
    assert!(first.is_some_and(|e| !e.archived));
}

#[test]
fn firings_stop_at_the_cap_and_say_so() {
    let rules = json!({"Rules": [{"Name": "fast", "ScheduleExpression": "rate(1 minute)"}]});
    let r = run(&ws(rules, quiet_event()));
    assert_eq!(r.firings.len(), 10);
    assert_eq!(r.firings_cut, ["rule `fast`"]);
}

#[test]
fn scheduler_invokes_its_target_with_its_input_in_its_time_zone() {
    let rules = json!({"Rules": [], "Schedules": [
        {"Name": "nightly", "ScheduleExpression": "cron(30 2 * * ? *)",
         "ScheduleExpressionTimezone": "+05:30", "FlexibleTimeWindow": {"Mode": "OFF"},
         "Target": {"Arn": format!("{SM}Job"),
                    "Input": "{\"for\": \"<aws.scheduler.scheduled-time>\", \"by\": \"<aws.scheduler.schedule-arn>\"}"}}]});
    let options = SystemOptions {
        window_seconds: 2 * 86_400,
        ..SystemOptions::default()
    };
    let r = run_with(&ws(rules, quiet_event()), options);
    // 02:30 at +05:30 is 21:00 UTC the day before.
    assert_eq!(
        times(&r),
        [
            ("nightly", "2026-01-01T21:00:00.000Z"),
            ("nightly", "2026-01-02T21:00:00.000Z")
        ]
    );
    let e = &r.executions[0];
    assert_eq!(
        e.input,
        json!({"for": "2026-01-01T21:00:00Z",
               "by": "arn:aws:scheduler:us-east-1:123456789012:schedule/default/nightly"})
    );
    let fired = r.firings[0].event.and_then(|i| r.events.get(i));
    assert_eq!(fired.map(|e| e.bus.as_str()), Some(SCHEDULER_LANE));
    assert!(
        matches!(fired.map(|e| &e.origin), Some(Origin::Schedule { name, .. }) if name == "nightly")
    );
}

/// The firing times of one Scheduler schedule over `days` days from `start`.
fn zone_firings(expression: &str, zone: &str, start: &str, days: i64) -> Vec<String> {
    let rules = json!({"Rules": [], "Schedules": [
        {"Name": "s", "ScheduleExpression": expression, "ScheduleExpressionTimezone": zone,
         "FlexibleTimeWindow": {"Mode": "OFF"}, "Target": {"Arn": format!("{SM}Job"), "Input": "{}"}}]});
    let event = json!({"source": "nobody", "detail-type": "Nothing", "detail": {}, "time": start});
    let options = SystemOptions {
        window_seconds: days * 86_400,
        max_firings: 100,
        ..SystemOptions::default()
    };
    run_with(&ws(rules, event), options)
        .firings
        .iter()
        .map(|f| f.time.clone())
        .collect()
}

#[test]
fn scheduler_follows_daylight_saving_as_its_guide_describes() {
    // New York springs forward on 2026-03-08 (02:00 → 03:00): 02:30 does not exist that day,
    // so the daily 02:30 firing is skipped; the next day it is 02:30 daylight time.
    assert_eq!(
        zone_firings(
            "cron(30 2 * * ? *)",
            "America/New_York",
            "2026-03-07T00:00:00Z",
            3
        ),
        ["2026-03-07T07:30:00.000Z", "2026-03-09T06:30:00.000Z"]
    );
    // It falls back on 2026-11-01 (02:00 → 01:00): 01:30 happens twice and fires once, the
    // first time (daylight time); 02:30 happens once.
    assert_eq!(
        zone_firings(
            "cron(30 1 * * ? *)",
            "America/New_York",
            "2026-10-31T12:00:00Z",
            2
        ),
        ["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]
    );
    assert_eq!(
        zone_firings(
            "cron(30 2 * * ? *)",
            "America/New_York",
            "2026-10-31T12:00:00Z",
            2
        ),
        ["2026-11-01T07:30:00.000Z", "2026-11-02T07:30:00.000Z"]
    );
    // Berlin: the last Sunday of March (2026-03-29) skips 02:00–03:00.
    assert_eq!(
        zone_firings(
            "cron(15 2 ? * SUN *)",
            "Europe/Berlin",
            "2026-03-20T00:00:00Z",
            17
        ),
        ["2026-03-22T01:15:00.000Z", "2026-04-05T00:15:00.000Z"]
    );
}

#[test]
fn southern_and_half_hour_zones() {
    // Sydney's clocks go back on the first Sunday of April (2026-04-05, 03:00 → 02:00):
    // 02:30 that night fires once, at its first (daylight, +11:00) occurrence, 04-04T15:30Z.
    assert_eq!(
        zone_firings(
            "cron(30 2 * * ? *)",
            "Australia/Sydney",
            "2026-04-03T12:00:00Z",
            3
        ),
        [
            "2026-04-03T15:30:00.000Z",
            "2026-04-04T15:30:00.000Z",
            "2026-04-05T16:30:00.000Z"
        ]
    );
    // And forward on the first Sunday of October (2026-10-04, 02:00 → 03:00): skipped.
    assert_eq!(
        zone_firings(
            "cron(30 2 * * ? *)",
            "Australia/Sydney",
            "2026-10-02T12:00:00Z",
            3
        ),
        ["2026-10-02T16:30:00.000Z", "2026-10-04T15:30:00.000Z"]
    );
    // Lord Howe moves by half an hour (+10:30 → +11:00 on 2026-10-04 at 02:00).
    assert_eq!(
        zone_firings(
            "cron(15 2 * * ? *)",
            "Australia/Lord_Howe",
            "2026-10-02T12:00:00Z",
            3
        ),
        ["2026-10-02T15:45:00.000Z", "2026-10-04T15:15:00.000Z"]
    );
    // Kolkata is +05:30 all year; a one-time schedule reads its time there.
    assert_eq!(
        zone_firings(
            "at(2026-03-08T09:00:00)",
            "Asia/Kolkata",
            "2026-03-08T00:00:00Z",
            1
        ),
        ["2026-03-08T03:30:00.000Z"]
    );
    // A one-time schedule in the spring-forward gap fires as late as the jump: 02:30 EST.
    assert_eq!(
        zone_firings(
            "at(2026-03-08T02:30:00)",
            "America/New_York",
            "2026-03-08T00:00:00Z",
            1
        ),
        ["2026-03-08T07:30:00.000Z"]
    );
    // A rate is a duration: rate(1 day) stays 24 hours apart across the change.
    assert_eq!(
        zone_firings("rate(1 day)", "America/New_York", "2026-03-07T12:00:00Z", 3),
        ["2026-03-08T12:00:00.000Z", "2026-03-09T12:00:00.000Z"]
    );
}

#[test]
fn a_flexible_window_moves_each_firing_by_a_seeded_offset() {
    let schedule = |seed: u64| {
        let rules = json!({"Rules": [], "Schedules": [
            {"Name": "flex", "ScheduleExpression": "rate(1 hour)",
             "FlexibleTimeWindow": {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 15},
             "Target": {"Arn": format!("{SM}Job"), "Input": "{}"}}]});
        let options = SystemOptions {
            seed,
            ..SystemOptions::default()
        };
        run_with(&ws(rules, quiet_event()), options).firings
    };
    let (a, again, b) = (schedule(1), schedule(1), schedule(2));
    assert_eq!(a, again);
    assert_ne!(a, b);
    for f in &a {
        let scheduled =
            statebridge_engine::asl::time::parse_rfc3339(&f.scheduled).unwrap_or_default();
        assert!(
            f.millis >= scheduled && f.millis < scheduled + 15 * 60_000,
            "{f:?}"
        );
        assert_eq!(f.kind, FiringKind::Schedule);
    }
}

#[test]
fn one_time_schedules_start_and_end_dates() {
    let rules = json!({"Rules": [], "Schedules": [
        {"Name": "once", "ScheduleExpression": "at(2026-01-01T09:00:00)",
         "Target": {"Arn": format!("{SM}Job")}},
        {"Name": "bounded", "ScheduleExpression": "rate(1 hour)",
         "StartDate": "2026-01-01T10:00:00Z", "EndDate": "2026-01-01T13:00:00Z",
         "Target": {"Arn": format!("{SM}Job")}},
        {"Name": "off", "State": "DISABLED", "ScheduleExpression": "rate(1 hour)",
         "Target": {"Arn": format!("{SM}Job")}}]});
    let r = run(&ws(rules, quiet_event()));
    assert_eq!(
        times(&r),
        [
            ("once", "2026-01-01T09:00:00.000Z"),
            ("bounded", "2026-01-01T11:00:00.000Z"),
            ("bounded", "2026-01-01T12:00:00.000Z")
        ]
    );
    // No Input: the execution gets `{}`.
    assert_eq!(r.executions[0].input, json!({}));
}

#[test]
fn a_schedule_can_put_an_event_on_a_bus() {
    let rules = json!({"Rules": [
        {"Name": "onTick", "EventPattern": {"source": ["my.scheduler"]},
         "Targets": [{"Id": "t", "Arn": format!("{SM}Job"), "InputPath": "$.detail", "StateMachine": "Job"}]}],
        "Schedules": [{"Name": "tick", "ScheduleExpression": "at(2026-01-01T01:00:00)",
         "Target": {"Arn": format!("{BUS}default"), "Input": "{\"n\": 1}",
                    "EventBridgeParameters": {"Source": "my.scheduler", "DetailType": "Tick"}}}]});
    let r = run(&ws(rules, quiet_event()));
    let put = r
        .events
        .iter()
        .find(|e| e.event["source"] == "my.scheduler");
    assert!(put.is_some_and(|e| e.bus == "default"
        && e.event["resources"]
            == json!(["arn:aws:scheduler:us-east-1:123456789012:schedule/default/tick"])));
    assert_eq!(r.executions.len(), 1);
    assert_eq!(r.executions[0].input, json!({"n": 1}));
}

#[test]
fn a_failing_schedule_target_is_retried_then_dead_lettered() {
    let rules = json!({"Rules": [], "Schedules": [
        {"Name": "broken", "ScheduleExpression": "at(2026-01-01T01:00:00)",
         "Target": {"Arn": format!("{SM}Missing"),
                    "DeadLetterConfig": {"Arn": "arn:aws:sqs:us-east-1:123456789012:dlq"}}}]});
    let r = run(&ws(rules, quiet_event()));
    assert!(matches!(
        r.deliveries[0].outcome,
        DeliveryOutcome::DeadLettered { .. }
    ));
    assert_eq!(
        r.dead_letters[0].attributes["RULE_ARN"],
        "arn:aws:scheduler:us-east-1:123456789012:schedule/default/broken"
    );
}

fn order(id: u32, time: &str) -> Value {
    json!({"Source": "shop", "DetailType": "OrderCreated", "Detail": format!("{{\"id\": {id}}}"), "Time": time})
}

#[test]
fn named_archives_keep_what_their_pattern_matches_and_replays_filter_rules() {
    let rules = json!({
        "Rules": [
            {"Name": "orders", "EventPattern": {"source": ["shop"]},
             "Targets": [{"Id": "t", "Arn": format!("{SM}Job"), "StateMachine": "Job"}]},
            {"Name": "audit", "EventPattern": {"source": ["shop"]}, "Targets": []}],
        "Archives": [
            {"ArchiveName": "shop", "EventSourceArn": format!("{BUS}default"),
             "EventPattern": {"source": ["shop"]}, "RetentionDays": 7},
            {"ArchiveName": "everything"}],
        "Replays": [
            {"ReplayName": "redo", "EventSourceArn": "arn:aws:events:us-east-1:123456789012:archive/shop",
             "EventStartTime": "2026-01-01T00:00:00Z", "EventEndTime": "2026-01-01T00:00:01Z",
             "Destination": {"Arn": format!("{BUS}default"),
                             "FilterArns": ["arn:aws:events:us-east-1:123456789012:rule/audit"]}}]});
    let event =
        json!({"Entries": [order(1, "2026-01-01T00:00:00Z"), order(2, "2026-01-01T00:00:00Z")]});
    let r = run(&ws(rules, event));
    let first = &r.events[0];
    assert_eq!(first.archives, ["shop", "everything"]);
    // A status change is in the catch-all archive only.
    let status = r.events.iter().find(|e| e.event["source"] == "aws.states");
    assert_eq!(
        status.map(|e| e.archives.clone()),
        Some(vec!["everything".to_owned()])
    );
    assert_eq!(r.replays.len(), 1);
    assert_eq!(r.replays[0].events, 2);
    let replayed: Vec<_> = r
        .events
        .iter()
        .filter(|e| matches!(e.origin, Origin::Replay { .. }))
        .collect();
    assert_eq!(replayed.len(), 2);
    for e in replayed {
        assert_eq!(e.event["replay-name"], "redo");
        // Only `audit` sees it (FilterArns), and no archive keeps it again.
        assert_eq!(e.matched, ["audit"]);
        assert!(e.archives.is_empty());
    }
}

#[test]
fn without_declared_archives_every_event_is_in_the_implicit_one() {
    let rules = json!({"Rules": [{"Name": "r", "EventPattern": {"source": ["nobody"]}}]});
    let r = run(&ws(rules, quiet_event()));
    assert_eq!(r.events[0].archives, ["(all events)"]);
}

#[test]
fn errors_name_the_rule_or_schedule_field_with_line_and_column() {
    let cases: &[(&str, &str)] = &[
        (
            "{\"Rules\": [{\"Name\": \"r\",\n  \"ScheduleExpression\": \"rate(1 hours)\"}]}",
            "line 2, column 25: at `Rules[0].ScheduleExpression`: rate(1 hours): the unit must be singular when the value is 1 (`1 hour`)",
        ),
        (
            "{\"Rules\": [{\"Name\": \"r\", \"ScheduleExpression\": \"cron(0 12 * * * *)\"}]}",
            "line 1, column 48: at `Rules[0].ScheduleExpression`: day-of-month and day-of-week: neither is `?`; exactly one of them must be `?`",
        ),
        (
            "{\"Rules\": [{\"Name\": \"r\", \"ScheduleExpression\": \"at(2026-01-01T00:00:00)\"}]}",
            "line 1, column 48: at `Rules[0].ScheduleExpression`: a rule's schedule is rate() or cron(); one-time at() schedules are EventBridge Scheduler's (put it under `Schedules`)",
        ),
        (
            "{\"Rules\": [{\"Name\": \"r\"}]}",
            "line 1, column 12: at `Rules[0].EventPattern`: a rule needs an `EventPattern`, a `ScheduleExpression` (rate(…) or cron(…)), or both",
        ),
        (
            "{\"Rules\": [{\"Name\": \"r\", \"EventBusName\": \"b\", \"ScheduleExpression\": \"rate(1 day)\"}]}",
            "line 1, column 69: at `Rules[0].ScheduleExpression`: a rule with a ScheduleExpression must be on the default bus (this one is on `b`): EventBridge runs scheduled rules only there",
        ),
        (
            "{\"Schedules\": [{\"Name\": \"s\", \"ScheduleExpression\": \"cron(0 2 ? * MON *)\",\n \"ScheduleExpressionTimezone\": \"Europe/Pari\", \"Target\": {\"Arn\": \"x\"}}]}",
            "line 2, column 32: at `Schedules[0].ScheduleExpressionTimezone`: `Europe/Pari` is not a time zone: use an IANA name such as America/New_York, UTC, or an offset such as +01:00 (did you mean Europe/Paris?)",
        ),
        (
            "{\"Schedules\": [{\"Name\": \"s\", \"ScheduleExpression\": \"rate(1 hour)\", \"FlexibleTimeWindow\": {\"Mode\": \"FLEXIBLE\"}, \"Target\": {\"Arn\": \"x\"}}]}",
            "line 1, column 90: at `Schedules[0].FlexibleTimeWindow.MaximumWindowInMinutes`: MaximumWindowInMinutes (required when Mode is FLEXIBLE) must be a whole number from 1 to 1440",
        ),
        (
            "{\"Archives\": [{\"ArchiveName\": \"a\", \"EventSourceArn\": \"orders\"}], \"Replays\": [{\"ReplayName\": \"r\", \"EventSourceArn\": \"a\", \"EventStartTime\": \"2026-01-01T00:00:00Z\", \"EventEndTime\": \"2026-01-02T00:00:00Z\", \"Destination\": {\"Arn\": \"default\"}}]}",
            "line 1, column 226: at `Replays[0].Destination.Arn`: archive `a` keeps the events of bus `orders`; a replay goes back to that bus, not to `default`",
        ),
        (
            "{\"Rules\": [], \"Archives\": [{\"ArchiveName\": \"a\"}], \"Replays\": [{\"ReplayName\": \"r\", \"EventSourceArn\": \"a\", \"EventStartTime\": \"2026-01-01T00:00:00Z\", \"EventEndTime\": \"2026-01-02T00:00:00Z\", \"Destination\": {\"Arn\": \"default\", \"FilterArns\": [\"ghost\"]}}]}",
            "line 1, column 237: at `Replays[0].Destination.FilterArns[0]`: no rule named `ghost` in this document",
        ),
    ];
    let wrong: Vec<String> = cases
        .iter()
        .filter(|(text, message)| refused(text) != *message)
        .map(|(text, message)| format!("{text}\n  want {message}\n  got  {}", refused(text)))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_workspace_keeps_schedules_archives_and_replays() {
    let rules = json!({"Rules": [{"Name": "tick", "ScheduleExpression": "rate(1 day)"}],
                       "Schedules": [{"Name": "s", "ScheduleExpression": "rate(1 day)", "Target": {"Arn": "x"}}]});
    let w = ws(rules, quiet_event());
    let again: Workspace = w.to_json().parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(w, again);
    assert!(w.to_json().contains("\"Schedules\""));
    assert!(!w.to_json().contains("\"EventPattern\": null"));
}
