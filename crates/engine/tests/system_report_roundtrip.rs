//! A system run's report reads back as it was written (the playground's worker sends it to the
//! page): every example's, a replay's, and a big run's, with pipes, schedules, a Custom Event
//! Bus, dead letters and the definitions the executions ran.

use serde_json::{Value, json};
use statebridge_engine::system::{Origin, Report, System, SystemOptions, SystemProgress};
use statebridge_engine::workspace::Workspace;
use std::cell::Cell;
use std::rc::Rc;

fn example(name: &str) -> Workspace {
    let path = format!(
        "{}/../../www/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.parse().unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Writes the report as JSON text, reads it back, and checks the two are equal (and that the
/// text read back writes the same text).
fn round_trips(what: &str, report: &Report) {
    let text = serde_json::to_string(report).unwrap();
    let read: Report = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(read == *report, "{what}: the report read back differs");
    assert_eq!(serde_json::to_string(&read).unwrap(), text, "{what}");
}

#[test]
fn every_example_s_system_run_reads_back_as_it_was_written() {
    let dir = format!("{}/../../www/examples", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".json")?;
            (stem != "index").then(|| stem.to_owned())
        })
        .collect();
    names.sort();
    let mut ran = 0;
    for name in &names {
        let ws = example(name);
        let Ok(system) = System::from_workspace(&ws, SystemOptions::default()) else {
            continue;
        };
        let report = system.run();
        round_trips(name, &report);
        ran += 1;
    }
    // The S3 and RDS events, the pipes, the schedules, the Custom Event Bus: all of them run.
    for name in [
        "s3-upload",
        "rds-snapshot",
        "order-fulfilment",
        "pipe-orders",
        "pipe-partial-failure",
        "scheduled-report",
        "custom-event-bus",
        "system-orders",
    ] {
        assert!(names.iter().any(|n| n == name), "{name} is an example");
    }
    assert!(ran >= 15, "{ran} examples ran");
}

#[test]
fn a_replay_s_report_reads_back_as_it_was_written() {
    let ws = example("system-orders");
    let system = System::from_workspace(&ws, SystemOptions::default()).unwrap();
    let put = system.read_events(&ws.event).unwrap();
    let mut run = system.start();
    run.play(Some(&put));
    assert!(run.replay("replay", 0, 4_102_444_800_000) > 0);
    run.run();
    let report = run.into_report();
    assert!(
        report
            .events
            .iter()
            .any(|e| matches!(e.origin, Origin::Replay { .. }))
    );
    round_trips("system-orders replayed", &report);
}

/// A big run: a thousand orders through an SQS pipe (batches of five, partial failures back in
/// the queue, then its dead-letter queue) beside a Kinesis stream's bisected batches, and the
/// progress it tells.
#[test]
fn a_big_run_reads_back_as_it_was_written_and_tells_its_progress() {
    let path = format!(
        "{}/../../www/examples/pipe-partial-failure.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let records: Vec<Value> = (0..1000)
        .map(|i| json!({"MessageBody": if i % 50 == 7 { json!({"orderId": format!("o-{i}"), "sku": "fax-machine", "discontinued": true}) } else { json!({"orderId": format!("o-{i}"), "sku": "kettle"}) }.to_string(), "At": i / 10}))
        .collect();
    doc["rules"]["Sources"][0]["Records"] = Value::Array(records);
    let ws = Workspace::from_value(&doc).unwrap();
    let told = Rc::new(Cell::new(SystemProgress::default()));
    let times = Rc::new(Cell::new(0u64));
    let (t, n) = (told.clone(), times.clone());
    let options = SystemOptions {
        max_events: 10_000,
        max_executions: 10_000,
        on_progress: Some(statebridge_engine::system::OnSystemProgress(Rc::new(
            move |p| {
                t.set(p);
                n.set(n.get() + 1);
            },
        ))),
        ..SystemOptions::default()
    };
    let report = System::from_workspace(&ws, options).unwrap().run();
    assert!(report.pipes[0].records.len() == 1000);
    assert!(report.events.len() > 100, "{} events", report.events.len());
    round_trips("a thousand records through a pipe", &report);
    let last = told.get();
    assert_eq!(last.events, report.events.len() as u64);
    assert_eq!(last.executions, report.executions.len() as u64);
    let history: usize = report.executions.iter().map(|e| e.history.len()).sum();
    assert_eq!(last.history, history as u64);
    assert!(times.get() >= report.events.len() as u64);
}
