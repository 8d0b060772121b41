//! Conformance: every execution case of `shared/conformance/asl/cases` (outcomes recorded on AWS).
//!
//! Prints pass counts per topic (outcome, and history sequence where recorded). Fails only on cases
//! listed neither in `asl_conformance/pending.txt` nor in `asl_conformance/known_failures.txt`;
//! prints listed cases that now pass. `ASL_WRITE_PENDING=1` rewrites pending.txt from this run.

use serde_json::Value;
use statebridge_engine::asl::StateMachine;
use statebridge_engine::asl::exec::{Execution, ExecutionOptions, Status};
use statebridge_engine::asl::mocks::Mocks;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// README: clock-relative inputs were computed on 2026-11-22T17:24Z, so "now" is pinned there.
const START: &str = "2026-11-22T17:24:00Z";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/asl/cases")
}

fn list(name: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/asl_conformance")
        .join(name);
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('#') {
            Some((k, r)) => (k.trim().to_owned(), r.trim().to_owned()),
            None => (l.trim().to_owned(), String::new()),
        })
        .collect()
}

/// `<json-input:1>` in an expected cause stands for the state input: any text matches it.
fn cause_matches(want: &str, got: &str) -> bool {
    match want.split_once("<json-input:1>") {
        None => want == got,
        Some((a, b)) => got.starts_with(a) && got.ends_with(b) && got.len() >= a.len() + b.len(),
    }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Succeeded => "SUCCEEDED",
        Status::Failed => "FAILED",
        Status::TimedOut => "TIMED_OUT",
        Status::Aborted => "ABORTED",
        Status::Running => "RUNNING",
    }
}

/// Runs one case: the outcome (`Ok(history matched or not recorded)` or `Err(why it failed)`) and,
/// apart from it, whether the recorded event types came out in order (`None`: none recorded), so
/// a case whose output is wrong still tells whether its history is.
fn run_case(case: &Value) -> (Result<Option<bool>, String>, Option<bool>) {
    let mut history_alone = None;
    let outcome = run_case_into(case, &mut history_alone);
    (outcome, history_alone)
}

fn run_case_into(case: &Value, history_alone: &mut Option<bool>) -> Result<Option<bool>, String> {
    let machine = StateMachine::from_value(&case["definition"])
        .map_err(|d| format!("invalid definition: {d}"))?;
    let mocks = match case.get("mocks") {
        Some(m) => Mocks::from_value(m, None).map_err(|e| format!("mocks: {e}"))?,
        None => Mocks::none(),
    };
    let options = ExecutionOptions {
        start_time: START.into(),
        mocks,
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine, case["input"].clone(), options);
    let got = exec.run_to_end();
    let history_types = |exec: &Execution| -> Vec<String> {
        exec.history()
            .iter()
            .map(|e| e.event_type.as_str().to_owned())
            .collect()
    };
    let want_types: Option<Vec<&str>> = case
        .get("history_types")
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect());
    *history_alone = want_types.as_ref().map(|w| {
        history_types(&exec)
            .iter()
            .map(String::as_str)
            .eq(w.iter().copied())
    });
    let want = &case["expected"];
    let want_status = want["status"].as_str().unwrap_or("");
    if status_name(got.status) != want_status {
        return Err(format!(
            "status {} (error {:?}, cause {:?}), want {want_status}",
            status_name(got.status),
            got.error,
            got.cause
        ));
    }
    if want_status == "SUCCEEDED" {
        let out = got.output.unwrap_or(Value::Null);
        if out != want["output"] {
            return Err(format!("output {out}, want {}", want["output"]));
        }
    } else {
        if let Some(e) = want.get("error") {
            let g = got.error.clone().map(Value::String).unwrap_or(Value::Null);
            if &g != e {
                return Err(format!("error {g}, want {e} (cause {:?})", got.cause));
            }
        }
        if let Some(c) = want.get("cause").and_then(Value::as_str) {
            let g = got.cause.clone().unwrap_or_default();
            if !cause_matches(c, &g) {
                return Err(format!("cause {g:?}, want {c:?}"));
            }
        }
    }
    let Some(want_types) = want_types else {
        return Ok(None);
    };
    let got_types = history_types(&exec);
    if got_types != want_types {
        return Err(format!(
            "history {}\n      want {}",
            got_types.join(" "),
            want_types.join(" ")
        ));
    }
    Ok(Some(true))
}

#[test]
fn asl_conformance() {
    let pending = list("pending.txt");
    let known = list("known_failures.txt");
    let mut topics: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    topics.sort();
    let (mut total, mut passed, mut hist_total, mut hist_passed) = (0, 0, 0, 0);
    let mut hist_alone = 0;
    let mut hist_alone_differs = Vec::new();
    let mut unexpected = Vec::new();
    let mut now_passing = Vec::new();
    let mut failing = BTreeSet::new();
    let mut new_pending = Vec::new();
    for topic in topics {
        let tname = topic
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&topic)
            .expect("topic")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        let (mut t, mut p, mut ht, mut hp) = (0, 0, 0, 0);
        for f in files {
            let text = std::fs::read_to_string(&f).expect("case");
            let case: Value = serde_json::from_str(&text).expect("case json");
            let name = format!("{tname}/{}", case["name"].as_str().unwrap_or(""));
            let has_history = case.get("history_types").is_some();
            t += 1;
            ht += usize::from(has_history);
            let (result, alone) = std::panic::catch_unwind(|| run_case(&case))
                .unwrap_or_else(|_| (Err("panic".into()), Some(false)));
            hist_alone += usize::from(alone == Some(true));
            if alone == Some(false) {
                hist_alone_differs.push(name.clone());
            }
            match result {
                Ok(h) => {
                    p += 1;
                    hp += usize::from(h == Some(true));
                    if h == Some(false) && std::env::var("ASL_SHOW_HISTORY").is_ok() {
                        println!("HISTORY DIFFERS {name}");
                    }
                    if pending.contains_key(&name) || known.contains_key(&name) {
                        now_passing.push(name);
                    }
                }
                Err(why) => {
                    if std::env::var("ASL_SHOW").is_ok_and(|f| name.contains(&f)) {
                        println!("FAIL {name}: {why}");
                    }
                    let short = why
                        .lines()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(150)
                        .collect::<String>();
                    new_pending.push(format!("{name}  # {short}"));
                    failing.insert(name.clone());
                    if !pending.contains_key(&name) && !known.contains_key(&name) {
                        unexpected.push(format!("{name}: {why}"));
                    }
                }
            }
        }
        println!(
            "{tname:<20} outcome+history {p:>4}/{t:<4}  (history recorded {ht}, matched {hp})"
        );
        total += t;
        passed += p;
        hist_total += ht;
        hist_passed += hp;
    }
    println!(
        "{:<20} outcome+history {passed:>4}/{total:<4}  (history recorded {hist_total}, matched {hist_passed})",
        "TOTAL"
    );
    println!(
        "{:<20} history alone {hist_alone}/{hist_total} (event types in order, whatever the outcome){}",
        "TOTAL",
        if hist_alone_differs.is_empty() {
            String::new()
        } else {
            format!("; differ: {}", hist_alone_differs.join(", "))
        }
    );
    if std::env::var("ASL_WRITE_PENDING").is_ok() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/asl_conformance/pending.txt");
        let body = new_pending
            .into_iter()
            .filter(|l| !known.keys().any(|k| l.starts_with(&format!("{k} "))))
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(
            path,
            format!("# Cases not passing yet: <topic>/<case>  # what differs\n{body}\n"),
        )
        .expect("write pending");
    }
    for n in &now_passing {
        println!("now passing (remove from the lists): {n}");
    }
    for u in &unexpected {
        println!("UNEXPECTED FAILURE {u}");
    }
    assert!(
        unexpected.is_empty(),
        "{} unexpected failures",
        unexpected.len()
    );
}
