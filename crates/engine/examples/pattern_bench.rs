//! Pattern matcher benchmark: event-ruler's 14 citylots rule groups, and scaling with the number
//! of rules against a naive loop over the patterns.
//!
//! `cargo run --release -p statebridge-engine --example pattern_bench [-- LINES]`
//!
//! Writes the synthetic citylots file (`shared/bench/make_citylots.py LINES`, default 50,000) into a
//! temporary directory, removes it afterwards, and times matching every line, JSON parsing
//! included, as event-ruler's benchmark does: one `RuleSet` per group of five rules.

use serde_json::Value;
use statebridge_engine::pattern::{Pattern, RuleSet};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

const BENCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench");

/// event-ruler on 50,000 such lines, this machine kind, JIT warm (events/s), from the issue.
const REFERENCE: [(&str, f64); 14] = [
    ("EXACT", 387e3),
    ("WILDCARD", 247e3),
    ("PREFIX", 287e3),
    ("PREFIX_EQUALS_IGNORE_CASE", 365e3),
    ("SUFFIX", 311e3),
    ("SUFFIX_EQUALS_IGNORE_CASE", 347e3),
    ("EQUALS_IGNORE_CASE", 316e3),
    ("COMPLEX_ARRAYS", 116e3),
    ("NUMERIC", 112e3),
    ("ANYTHING_BUT", 147e3),
    ("ANYTHING_BUT_IGNORE_CASE", 168e3),
    ("ANYTHING_BUT_PREFIX", 181e3),
    ("ANYTHING_BUT_SUFFIX", 201e3),
    ("ANYTHING_BUT_WILDCARD", 194e3),
];

fn citylots(lines: usize) -> (PathBuf, Vec<String>) {
    let dir = std::env::temp_dir().join(format!("statebridge-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("citylots.jsonl");
    let out = Command::new("python3")
        .arg(format!("{BENCH}/make_citylots.py"))
        .arg(lines.to_string())
        .output()
        .expect("python3 make_citylots.py");
    std::fs::write(&file, &out.stdout).expect("write citylots");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    (dir, text.lines().map(str::to_owned).collect())
}

/// Best of `rounds` passes over the lines: (events per second, matches in one pass).
fn time_set(set: &RuleSet, lines: &[String], rounds: usize) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut matches = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        matches = 0;
        for line in lines {
            matches += set.matching_rules_text(line).expect("valid JSON").len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    (lines.len() as f64 / best, matches)
}

/// A naive loop: parse each event once, then try every pattern.
fn time_naive(patterns: &[Pattern], lines: &[String]) -> (f64, usize) {
    let start = Instant::now();
    let mut matches = 0;
    for line in lines {
        let event: Value = serde_json::from_str(line).expect("valid JSON");
        matches += patterns.iter().filter(|p| p.matches(&event)).count();
    }
    (lines.len() as f64 / start.elapsed().as_secs_f64(), matches)
}

fn groups(lines: &[String]) {
    let rules: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{BENCH}/rulesets.json")).expect("rulesets.json"),
    )
    .expect("rulesets JSON");
    println!("\n| group | matches | events/s | event-ruler | ratio |");
    println!("|---|---:|---:|---:|---:|");
    for (name, reference) in REFERENCE {
        let Some(list) = rules.get(format!("{name}_RULES")).and_then(Value::as_array) else {
            continue;
        };
        let mut set = RuleSet::new();
        for (i, r) in list.iter().enumerate() {
            set.add(
                format!("{name}-{i}"),
                Pattern::parse(r).expect("valid benchmark rule"),
            );
        }
        time_set(&set, lines, 1); // warm up
        let (rate, matches) = time_set(&set, lines, 3);
        println!(
            "| {name} | {matches} | {:.0}K | {:.0}K | {:.2}x |",
            rate / 1e3,
            reference / 1e3,
            rate / reference
        );
    }
}

/// Rule `i` of the scaling set: an exact block-lot and a street prefix, or every tenth rule a
/// block-number prefix; values come from the data so some rules match.
fn scaling_rule(i: usize, lines: &[Value]) -> Value {
    let props = &lines[i % lines.len()]["properties"];
    let street = props["STREET"].as_str().unwrap_or("X");
    if i % 10 == 9 {
        serde_json::json!({"properties": {"BLOCK_NUM": [{"prefix": props["BLOCK_NUM"]}], "ODD_EVEN": ["E"]}})
    } else {
        serde_json::json!({"properties": {"MAPBLKLOT": [props["MAPBLKLOT"]], "STREET": [{"prefix": &street[..1]}]}})
    }
}

fn scaling(lines: &[String]) {
    let parsed: Vec<Value> = lines
        .iter()
        .take(20_000)
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    println!("\n| rules | RuleSet events/s | vs 1 rule | naive loop events/s | RuleSet / naive |");
    println!("|---:|---:|---:|---:|---:|");
    let mut one = 0.0;
    for n in [1usize, 100, 1000, 10_000] {
        let patterns: Vec<Pattern> = (0..n)
            .map(|i| Pattern::parse(&scaling_rule(i, &parsed)).expect("rule"))
            .collect();
        let mut set = RuleSet::new();
        for (i, p) in patterns.iter().enumerate() {
            set.add(format!("r{i}"), p.clone());
        }
        time_set(&set, lines, 1);
        let (rate, matches) = time_set(&set, lines, 3);
        if n == 1 {
            one = rate;
        }
        // The naive loop gets fewer events as it slows down, to keep the run short.
        let naive_lines = &lines[..lines.len().min(2_000_000 / n.max(1)).max(50)];
        let (naive, naive_matches) = time_naive(&patterns, naive_lines);
        let set_matches: usize = naive_lines
            .iter()
            .map(|l| set.matching_rules_text(l).map_or(0, |m| m.len()))
            .sum();
        assert_eq!(
            set_matches, naive_matches,
            "RuleSet and naive loop disagree"
        );
        println!(
            "| {n} | {:.0}K ({matches} matches) | {:.2} | {:.1}K | {:.0}x |",
            rate / 1e3,
            rate / one,
            naive / 1e3,
            rate / naive
        );
    }
}

fn main() {
    let lines: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    let (dir, data) = citylots(lines);
    println!(
        "{} citylots-shaped lines, {} bytes on average",
        data.len(),
        data.iter().map(String::len).sum::<usize>() / data.len().max(1)
    );
    groups(&data);
    scaling(&data);
    let _ = std::fs::remove_dir_all(dir);
}
