//! `statebridge` behaves like a Unix tool: a closed output pipe ends it quietly, every subcommand
//! answers `--help`, every file argument accepts a byte-order mark, errors say file:line:column,
//! and EventBridge's size limits are enforced with a message that says so.

mod common;

use common::{p, run};
use serde_json::{Value, json};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn file(name: &str, text: &str) -> PathBuf {
    common::file("unix-cli", name, text)
}

const BOM: &str = "\u{feff}";
const MACHINE: &str = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#;

/// A bus whose routing prints far more than a pipe holds (every rule misses and is explained).
fn big_bus() -> PathBuf {
    let rules: Vec<Value> = (0..2000)
        .map(|i| json!({"Name": format!("r{i}"), "EventPattern": {"source": [format!("s{i}")]}}))
        .collect();
    file("big-bus.json", &json!({ "Rules": rules }).to_string())
}

#[test]
fn a_closed_output_pipe_ends_it_quietly() {
    let bus = big_bus();
    let event = file("pipe-event.json", r#"{"source": "nobody"}"#);
    let mut child = Command::new(env!("CARGO_BIN_EXE_statebridge"))
        .args(["route", p(&bus), p(&event)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end at once, as `| head -0` would: every write then fails with EPIPE.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    // The verdict stands: no rule matched.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}

#[test]
fn every_subcommand_prints_its_usage_for_help() {
    for command in ["match", "transform", "route", "run", "test-state", "check"] {
        for flag in ["--help", "-h"] {
            let (code, out, err) = run(&[command, flag]);
            assert_eq!(code, 0, "{command} {flag}: {err}");
            assert!(
                out.starts_with(&format!("usage: statebridge {command} ")),
                "{command} {flag}: {out}"
            );
            assert!(err.is_empty(), "{command} {flag}: {err}");
        }
    }
    // After other arguments too.
    let (code, out, _) = run(&["run", "machine.json", "--help"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("usage: statebridge run "), "{out}");
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("statebridge match PATTERN EVENT"), "{out}");
}

#[test]
fn every_file_argument_accepts_a_byte_order_mark() {
    let bom = |name: &str, text: &str| file(name, &format!("{BOM}{text}"));
    let pattern = bom("bom-pattern.json", r#"{"source": ["shop"]}"#);
    let event = bom(
        "bom-event.json",
        r#"{"source": "shop", "detail": {"id": 7}}"#,
    );
    let target = bom("bom-target.json", r#"{"InputPath": "$.detail"}"#);
    let bus = bom(
        "bom-bus.json",
        r#"{"Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]}}]}"#,
    );
    let machine = bom("bom-machine.json", MACHINE);
    let input = bom("bom-input.json", r#"{"n": 1}"#);
    let mocks = bom("bom-mocks.json", "{}");

    let (code, out, err) = run(&["match", p(&pattern), p(&event)]);
    assert_eq!((code, out.trim()), (0, "match"), "{err}");
    let (code, out, err) = run(&["transform", p(&target), p(&event)]);
    assert_eq!((code, out.trim()), (0, r#"{"id":7}"#), "{err}");
    let (code, _, err) = run(&["route", p(&bus), p(&event), "--mocks", p(&mocks)]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(&[
        "run",
        p(&machine),
        "--input",
        p(&input),
        "--mocks",
        p(&mocks),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["output"],
        json!({"n": 1})
    );

    // Standard input alike.
    let mut child = Command::new(env!("CARGO_BIN_EXE_statebridge"))
        .args(["match", p(&pattern), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{BOM}{{\"source\": \"shop\"}}").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).trim()
        ),
        (Some(0), "match"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A workspace for `check`, from the first exercise's solution.
    let exercises = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/exercises");
    let exercise = exercises.join("01-route-orders.json");
    let text = std::fs::read_to_string(&exercise).unwrap();
    let solution = serde_json::from_str::<Value>(&text).unwrap()["solution"].to_string();
    let workspace = bom("bom-workspace.json", &solution);
    let exercise = bom("bom-exercise.json", &text);
    let (code, out, err) = run(&["check", p(&exercise), p(&workspace)]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn input_and_mocks_errors_name_file_line_and_column() {
    let machine = file("located-machine.json", MACHINE);
    let bus = file("located-bus.json", r#"{"Rules": []}"#);
    let event = file("located-event.json", r#"{"source": "shop"}"#);
    let broken = file("located-broken.json", "{\n  \"a\": 1,\n}");
    let bad_mocks = file(
        "located-mocks.json",
        "{\n  \"Charge\": {\n    \"x\": {}\n  }\n}",
    );
    let cases: [(&[&str], &str); 5] = [
        (
            &["run", p(&machine), "--input", p(&broken)],
            "located-broken.json:2:9: invalid JSON: trailing comma",
        ),
        (
            &["run", p(&machine), "--mocks", p(&broken)],
            "located-broken.json:2:9: invalid JSON: trailing comma",
        ),
        (
            &["run", p(&machine), "--mocks", p(&bad_mocks)],
            "located-mocks.json:3:5: ",
        ),
        (
            &["route", p(&bus), p(&event), "--mocks", p(&broken)],
            "located-broken.json:2:9: invalid JSON: trailing comma",
        ),
        (
            &["route", p(&bus), p(&event), "--mocks", p(&bad_mocks)],
            "located-mocks.json:3:5: ",
        ),
    ];
    for (args, want) in cases {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

/// An event just over EventBridge's 256 KiB, counted as PutEvents counts an entry.
fn oversized_event() -> PathBuf {
    let blob = "x".repeat(262_144);
    file(
        "oversized-event.json",
        &json!({"source": "shop", "detail": {"blob": blob}}).to_string(),
    )
}

#[test]
fn an_event_over_256_kib_is_refused_with_eventbridge_s_limit() {
    let event = oversized_event();
    let pattern = file("size-pattern.json", r#"{"source": ["shop"]}"#);
    let target = file("size-target.json", r#"{"InputPath": "$.detail"}"#);
    let bus = file(
        "size-bus.json",
        r#"{"Rules": [{"Name": "r", "EventPattern": {"source": ["shop"]}}]}"#,
    );
    for args in [
        ["match", p(&pattern), p(&event)],
        ["transform", p(&target), p(&event)],
        ["route", p(&bus), p(&event)],
    ] {
        let (code, out, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(
            err.contains("oversized-event.json: the event is 262,159 bytes, over EventBridge's limit of 262,144 bytes (256 KiB)"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_template_that_multiplies_the_event_stops_at_256_kib() {
    // 200 KB of detail, named 50 times in the template: 10 MB if it were built.
    let event = file(
        "multiplied-event.json",
        &json!({"source": "shop", "detail": {"blob": "y".repeat(200_000)}}).to_string(),
    );
    let paths: serde_json::Map<String, Value> = (0..50)
        .map(|i| (format!("v{i}"), json!("$.detail")))
        .collect();
    let template: Vec<String> = (0..50).map(|i| format!("<v{i}>")).collect();
    let target = file(
        "multiplied-target.json",
        &json!({"InputTransformer": {"InputPathsMap": paths,
                                     "InputTemplate": format!("[{}]", template.join(","))}})
        .to_string(),
    );
    let (code, out, err) = run(&["transform", p(&target), p(&event)]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("the input it makes for this event is over 262,144 bytes"),
        "{err}"
    );
}
