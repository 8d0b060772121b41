//! Conformance: every case of `shared/conformance/patterns/cases/` (labelled by aws/event-ruler,
//! the matcher EventBridge uses) through `Pattern`, and the same patterns through a `RuleSet`.
//! Fails only on cases listed neither in `known-failures.txt` nor in `pending.txt`; prints pass
//! counts per file, the `extra/` files' counts (never failing), and listed cases that now pass.

use serde_json::Value;
use statebridge_engine::pattern::{Pattern, RuleSet};
use statebridge_engine::source;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/conformance/patterns"
);
const LISTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/patterns_conformance");

/// One case, ready to run.
struct Case {
    id: String,
    pattern: Result<Pattern, String>,
    event: Option<Value>,
    event_text: Option<String>,
    expect: Expect,
}

enum Expect {
    Invalid,
    Matches(bool),
}

fn read_list(name: &str) -> HashSet<String> {
    let text = std::fs::read_to_string(Path::new(LISTS).join(name)).unwrap_or_default();
    text.lines()
        .map(|l| l.split("  #").next().unwrap_or("").trim().to_owned())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn load(file: &Path) -> Vec<Case> {
    let stem = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("?")
        .to_owned();
    let text = std::fs::read_to_string(file).expect("corpus file");
    let cases: Vec<Value> = serde_json::from_str(&text).expect("corpus JSON");
    let mut seen: HashMap<String, usize> = HashMap::new();
    cases
        .iter()
        .map(|c| {
            let name = c["name"].as_str().unwrap_or("?").to_owned();
            let n = seen.entry(name.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 {
                format!("{stem}/{name}")
            } else {
                format!("{stem}/{name} [{n}]")
            };
            let pattern = match c.get("pattern_text").and_then(Value::as_str) {
                Some(t) => t.parse::<Pattern>(),
                None => Pattern::parse(&c["pattern"]),
            }
            .map_err(|e| e.to_string());
            let event_text = c
                .get("event_text")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| c.get("event").map(Value::to_string));
            let event = match c.get("event_text").and_then(Value::as_str) {
                Some(t) => source::parse_value(t).ok(),
                None => c.get("event").cloned(),
            };
            let expect = if c.get("valid") == Some(&Value::Bool(false)) {
                Expect::Invalid
            } else {
                Expect::Matches(c["matches"].as_bool().unwrap_or(false))
            };
            Case {
                id,
                pattern,
                event,
                event_text,
                expect,
            }
        })
        .collect()
}

/// What went wrong with a case, or `None` when it passes.
fn check(case: &Case) -> Option<String> {
    match (&case.expect, &case.pattern) {
        (Expect::Invalid, Ok(_)) => Some("accepted a pattern the reference rejects".into()),
        (Expect::Invalid, Err(_)) => None,
        (Expect::Matches(_), Err(e)) => Some(format!("rejected a valid pattern: {e}")),
        (Expect::Matches(want), Ok(p)) => {
            let event = case.event.as_ref()?;
            let got = p.matches(event);
            if got != *want {
                return Some(format!("matches = {got}, reference says {want}"));
            }
            let mut set = RuleSet::new();
            set.add("r", p.clone());
            let via_set = !set.matching_rules(event).is_empty();
            if via_set != got {
                return Some(format!("RuleSet says {via_set}, Pattern says {got}"));
            }
            let text = case.event_text.as_deref().unwrap_or("");
            let via_text = p.matches_text(text);
            (via_text != Ok(got))
                .then(|| format!("matches_text says {via_text:?}, matches says {got}"))
        }
    }
}

fn files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(Path::new(CORPUS).join(dir))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.extension().is_some_and(|e| e == "json"));
    out.sort();
    out
}

#[test]
fn patterns_conformance() {
    let known = read_list("known-failures.txt");
    let pending = read_list("pending.txt");
    let mut unexpected = Vec::new();
    let mut now_pass = Vec::new();
    let mut totals = (0, 0);
    let mut per_file = BTreeMap::new();
    for file in files("cases") {
        let cases = load(&file);
        let mut pass = 0;
        for case in &cases {
            match check(case) {
                None => {
                    pass += 1;
                    if known.contains(&case.id) || pending.contains(&case.id) {
                        now_pass.push(case.id.clone());
                    }
                }
                Some(why) => {
                    if !known.contains(&case.id) && !pending.contains(&case.id) {
                        unexpected.push(format!("{}  # {why}", case.id));
                    }
                }
            }
        }
        totals.0 += pass;
        totals.1 += cases.len();
        per_file.insert(
            file.file_name().unwrap().to_string_lossy().to_string(),
            (pass, cases.len()),
        );
    }
    println!("patterns conformance (cases/):");
    for (name, (pass, total)) in &per_file {
        println!("  {name:40} {pass:5}/{total}");
    }
    println!("  {:40} {:5}/{}", "TOTAL", totals.0, totals.1);
    println!("extra/ (not scored):");
    for file in files("extra") {
        let cases = load(&file);
        let pass = cases.iter().filter(|c| check(c).is_none()).count();
        println!(
            "  {:40} {pass:5}/{}",
            file.file_name().unwrap().to_string_lossy(),
            cases.len()
        );
    }
    if !now_pass.is_empty() {
        println!("listed cases that now pass (prune the lists):");
        for id in &now_pass {
            println!("  {id}");
        }
    }
    if !unexpected.is_empty() {
        println!("unexpected failures ({}):", unexpected.len());
        for u in &unexpected {
            println!("{u}");
        }
    }
    assert!(
        unexpected.is_empty(),
        "{} unexpected conformance failures",
        unexpected.len()
    );
}
