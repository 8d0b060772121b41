//! Every workshop exercise in `www/exercises/` loads, its reference solution passes every check,
//! and its starting workspace fails at least one (otherwise there is nothing to do).

use statebridge_engine::exercise::{CheckResult, Exercise};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/exercises")
}

/// The exercises in the order of `index.json`.
fn exercises() -> Vec<(String, Exercise)> {
    let index = std::fs::read_to_string(dir().join("index.json"))
        .unwrap_or_else(|e| panic!("index.json: {e}"));
    let index: serde_json::Value =
        serde_json::from_str(&index).unwrap_or_else(|e| panic!("index.json: {e}"));
    let files = index["exercises"].as_array().cloned().unwrap_or_default();
    files
        .iter()
        .map(|f| {
            let name = f.as_str().unwrap_or_default().to_owned();
            let text = std::fs::read_to_string(dir().join(&name))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let ex: Exercise = text.parse().unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, ex)
        })
        .collect()
}

fn report(results: &[CheckResult]) -> String {
    results
        .iter()
        .map(|r| {
            format!(
                "  {} {} — {}",
                if r.passed { "PASS" } else { "FAIL" },
                r.title,
                r.reason
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn at_least_eight_exercises_with_unique_ids_listed_in_order() {
    let all = exercises();
    assert!(all.len() >= 8, "only {} exercises", all.len());
    let mut ids: Vec<&str> = all.iter().map(|(_, e)| e.id.as_str()).collect();
    for (file, ex) in &all {
        assert_eq!(file, &format!("{}.json", ex.id), "the file name is the id");
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "duplicate ids");
    // Every file in the folder is listed in the index.
    let listed: Vec<String> = all.iter().map(|(f, _)| f.clone()).collect();
    for entry in std::fs::read_dir(dir()).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && name != "index.json" {
            assert!(listed.contains(&name), "{name} is not listed in index.json");
        }
    }
}

#[test]
fn every_solution_passes_every_check() {
    for (file, ex) in exercises() {
        let solution = ex
            .solution
            .as_ref()
            .unwrap_or_else(|| panic!("{file}: no solution"));
        let results = ex.check(solution);
        println!("{file} (solution):\n{}", report(&results));
        assert!(
            results.iter().all(|r| r.passed),
            "{file}: the solution fails a check:\n{}",
            report(&results)
        );
    }
}

#[test]
fn every_start_fails_some_check() {
    for (file, ex) in exercises() {
        let results = ex.check(&ex.start);
        println!("{file} (start):\n{}", report(&results));
        assert!(
            results.iter().any(|r| !r.passed),
            "{file}: the starting workspace already passes"
        );
    }
}

#[test]
fn every_exercise_has_instructions_and_hints() {
    for (file, ex) in exercises() {
        assert!(
            ex.instructions.len() > 100,
            "{file}: instructions too short"
        );
        assert!(!ex.hints.is_empty(), "{file}: no hints");
        assert!(!ex.title.is_empty(), "{file}: no title");
    }
}

/// A failed check says what differs in words, with the JSON path of each difference, instead
/// of printing the two documents.
#[test]
fn a_wrong_target_input_is_told_in_words_with_its_paths() {
    let exercise: Exercise = r#"{
      "id": "shape", "title": "Shape the input", "instructions": "Send the order's id and total.",
      "start": {"name": "shape", "event": {},
                "rules": {"Rules": [{"Name": "Orders", "EventPattern": {"source": ["shop"]},
                  "Targets": [{"Id": "fulfil", "Arn": "arn:aws:sqs:us-east-1:123456789012:q",
                    "InputTransformer": {"InputPathsMap": {"id": "$.detail.id", "total": "$.detail.total"},
                      "InputTemplate": "{\"order\": {\"id\": <id>, \"total\": \"<total>\"}, \"note\": \"x\", \"items\": [1]}"}}]}]},
                "machines": {}},
      "checks": [{"kind": "target_input", "rule": "Orders", "target": "fulfil",
                  "event": {"source": "shop", "detail": {"id": "o-1", "total": 120}},
                  "equals": {"order": {"id": "o-1", "total": 120, "currency": "EUR"}, "items": [1, 2]}}]
    }"#
    .parse()
    .unwrap();
    let results = exercise.check(&exercise.start);
    assert!(!results[0].passed);
    assert_eq!(
        results[0].reason,
        "target `fulfil` receives another input: `$.order.total` is \"120\", where the exercise \
         wants 120; `$.order.currency` is missing (the exercise wants \"EUR\"); `$.items` has 1 \
         item, where the exercise wants 2 items; and 1 more difference"
    );
    assert!(!results[0].reason.contains('{'), "{}", results[0].reason);
}
