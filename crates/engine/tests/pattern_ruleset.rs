//! A `RuleSet` must agree exactly with matching each pattern on its own: checked over every valid
//! pattern and event of the conformance corpus, many rules per set.

use serde_json::Value;
use statebridge_engine::pattern::{Pattern, RuleSet};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/patterns/cases"
);

fn corpus() -> Vec<(Pattern, Value, String)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(CASES)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for file in files {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        for c in cases {
            let pattern = match c.get("pattern_text").and_then(Value::as_str) {
                Some(t) => t.parse::<Pattern>(),
                None => Pattern::parse(&c["pattern"]),
            };
            let (Ok(pattern), Some(event)) = (pattern, c.get("event")) else {
                continue;
            };
            let text = c
                .get("event_text")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| event.to_string());
            out.push((pattern, event.clone(), text));
        }
    }
    out
}

#[test]
fn ruleset_agrees_with_single_patterns_over_the_corpus() {
    let all = corpus();
    assert!(
        all.len() > 8000,
        "corpus not found or too small: {}",
        all.len()
    );
    let mut compared = 0;
    for chunk in all.chunks(120) {
        let mut set = RuleSet::new();
        for (i, (p, _, _)) in chunk.iter().enumerate() {
            set.add(format!("r{i}"), p.clone());
        }
        for (_, event, text) in chunk {
            let naive: Vec<String> = chunk
                .iter()
                .enumerate()
                .filter(|(_, (p, _, _))| p.matches(event))
                .map(|(i, _)| format!("r{i}"))
                .collect();
            let got: Vec<String> = set
                .matching_rules(event)
                .into_iter()
                .map(str::to_owned)
                .collect();
            assert_eq!(got, naive, "event {event}");
            let via_text: Vec<String> = set
                .matching_rules_text(text)
                .unwrap()
                .into_iter()
                .map(str::to_owned)
                .collect();
            assert_eq!(via_text, naive, "event text {text}");
            compared += 1;
        }
    }
    println!("compared {compared} events against sets of up to 120 rules");
}
