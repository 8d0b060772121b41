//! Conformance: every TestState case of `shared/conformance/asl/test_state` (answers recorded on AWS).
//!
//! Each case is one state run in isolation; the runner compares the status, output, error, cause,
//! next state and every `inspectionData` step AWS returned (the values the app's inspector shows),
//! and, for rejected requests, the exception code and message. Prints pass counts per test class.
//! Fails only on cases listed neither in `asl_test_state/pending.txt` nor in
//! `asl_test_state/known_failures.txt`; prints listed cases that now pass.
//! `ASL_WRITE_PENDING=1` rewrites pending.txt from this run; `ASL_SHOW=<part of a name>` prints why.

use serde_json::{Value, json};
use statebridge_engine::asl::test_state::{TestStateError, TestStateRequest, test_state};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/asl/test_state")
}

fn list(name: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/asl_test_state")
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

/// The test class in `source` (`… :: TestStateMockScenarios::test_x[…] :: key`).
fn topic(case: &Value) -> String {
    let source = case["source"].as_str().unwrap_or("");
    source
        .split(" :: ")
        .nth(1)
        .and_then(|t| t.split("::").next())
        .unwrap_or("unknown")
        .to_owned()
}

/// Compares one field; `None` in `want` means AWS did not return the field.
fn same(field: &str, want: Option<&Value>, got: Option<&Value>) -> Result<(), String> {
    if want == got {
        return Ok(());
    }
    Err(format!(
        "{field}: got {}, want {}",
        got.map_or("(absent)".into(), Value::to_string),
        want.map_or("(absent)".into(), Value::to_string)
    ))
}

/// Runs one case: `Ok(())` when everything AWS returned matches, else what differs.
fn run_case(case: &Value) -> Result<(), String> {
    let want = &case["expected"];
    let result = TestStateRequest::from_value(&case["request"]).and_then(|r| test_state(&r));
    if let Some(exception) = want.get("exception") {
        let code = exception["code"].as_str().unwrap_or("");
        return match result {
            Ok(r) => Err(format!(
                "ran ({} {:?}), want the request rejected with {code}: {}",
                r.status, r.error, exception["message"]
            )),
            Err(TestStateError::Request(m)) if code == "ValidationException" => {
                same("message", exception.get("message"), Some(&json!(m)))
            }
            Err(TestStateError::Definition(_)) if code == "InvalidDefinition" => Ok(()),
            Err(e) => Err(format!("rejected with {e}, want {code}")),
        };
    }
    let got = result.map_err(|e| format!("rejected: {e}"))?;
    let got = serde_json::to_value(&got).map_err(|e| e.to_string())?;
    let mut problems = Vec::new();
    for field in ["status", "output", "error", "cause", "nextState"] {
        if let Err(p) = same(field, want.get(field), got.get(field)) {
            problems.push(p);
        }
    }
    let empty = json!({});
    let want_data = want.get("inspectionData").unwrap_or(&empty);
    let got_data = got.get("inspectionData").unwrap_or(&empty);
    if want.get("inspectionData").is_none() && got.get("inspectionData").is_some() {
        problems.push("inspectionData returned, AWS returned none".into());
    }
    let mut keys: Vec<&String> = want_data
        .as_object()
        .into_iter()
        .flat_map(|o| o.keys())
        .collect();
    keys.extend(got_data.as_object().into_iter().flat_map(|o| o.keys()));
    keys.sort();
    keys.dedup();
    for k in keys {
        if let Err(p) = same(
            &format!("inspectionData.{k}"),
            want_data.get(k.as_str()),
            got_data.get(k.as_str()),
        ) {
            problems.push(p);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

#[test]
fn asl_test_state_conformance() {
    let pending = list("pending.txt");
    let known = list("known_failures.txt");
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("the TestState corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut per_topic: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unexpected = Vec::new();
    let mut now_passing = Vec::new();
    let mut new_pending = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("case");
        let case: Value = serde_json::from_str(&text).expect("case json");
        let name = case["name"].as_str().unwrap_or("").to_owned();
        let entry = per_topic.entry(topic(&case)).or_default();
        entry.0 += 1;
        let result =
            std::panic::catch_unwind(|| run_case(&case)).unwrap_or_else(|_| Err("panic".into()));
        match result {
            Ok(()) => {
                entry.1 += 1;
                if pending.contains_key(&name) || known.contains_key(&name) {
                    now_passing.push(name);
                }
            }
            Err(why) => {
                if std::env::var("ASL_SHOW").is_ok_and(|s| name.contains(&s)) {
                    println!("FAIL {name}: {why}");
                }
                let short: String = why.chars().take(150).collect();
                if !known.contains_key(&name) {
                    new_pending.push(format!("{name}  # {short}"));
                }
                if !pending.contains_key(&name) && !known.contains_key(&name) {
                    unexpected.push(format!("{name}: {why}"));
                }
            }
        }
    }
    let (mut total, mut passed) = (0, 0);
    for (t, (n, p)) in &per_topic {
        println!("{t:<32} {p:>4}/{n:<4}");
        total += n;
        passed += p;
    }
    println!("{:<32} {passed:>4}/{total:<4}", "TOTAL");
    if std::env::var("ASL_WRITE_PENDING").is_ok() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/asl_test_state/pending.txt");
        std::fs::write(
            path,
            format!(
                "# TestState cases not passing yet: <case>  # what differs\n{}\n",
                new_pending.join("\n")
            ),
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
