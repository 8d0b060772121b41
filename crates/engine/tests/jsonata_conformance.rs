//! The official JSONata test suite (`shared/conformance/jsonata`, 1,686 cases in 102 groups) run
//! through `statebridge_engine::jsonata`, in plain JSONata mode (no AWS functions, `$eval` on).
//! Prints the pass count per group; fails only on a case that is in neither
//! `jsonata_conformance/pending.txt` nor `jsonata_conformance/known-failures.txt`, and lists the
//! listed cases that now pass so the lists can be pruned.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use statebridge_engine::jsonata::{AwsEnv, Expression, JsonataError};

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/jsonata")
}

/// Case names from a list file: the first word of each line, `#` starts a comment.
fn listed(file: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/jsonata_conformance")
        .join(file);
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split('#').next()?.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// serde_json refuses lone UTF-16 surrogates (`"\uD800"`), which two cases hold inside their
/// expression's string literal. Escaping the backslash keeps the escape for the JSONata lexer,
/// which then sees the same `\uD800` the reference sees. Returns the text and whether it changed.
fn escape_lone_surrogates(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        let hex = |range: std::ops::Range<usize>| {
            from.get(range)
                .and_then(|h| u16::from_str_radix(h, 16).ok())
        };
        let escape_len = match from.get(1..2) {
            Some("u") => match hex(2..6) {
                Some(0xD800..=0xDBFF)
                    if from.get(6..8) == Some("\\u")
                        && matches!(hex(8..12), Some(0xDC00..=0xDFFF)) =>
                {
                    12
                }
                Some(0xD800..=0xDFFF) => {
                    out.push('\\');
                    changed = true;
                    6
                }
                _ => 2,
            },
            // Any other escape, `\\` included, is copied whole so its second character is
            // never read as the start of an escape.
            _ => 1 + from[1..].chars().next().map_or(0, char::len_utf8),
        };
        out.push_str(&from[..escape_len]);
        rest = &from[escape_len..];
    }
    out.push_str(rest);
    (out, changed)
}

/// Deep equality with numbers compared by value (`1e7` equals `10000000`); with `unordered`,
/// the top-level array's items in any order.
fn same(got: &Value, want: &Value, unordered: bool) -> bool {
    match (got, want) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) if unordered => {
            let mut left: Vec<&Value> = b.iter().collect();
            a.len() == b.len()
                && a.iter()
                    .all(|x| match left.iter().position(|y| same(x, y, false)) {
                        Some(i) => {
                            left.swap_remove(i);
                            true
                        }
                        None => false,
                    })
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y, false))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, x)| b.get(k).is_some_and(|y| same(x, y, false)))
        }
        _ => got == want,
    }
}

/// The reference's test harness raises `U1001` from its own depth and time boxes (`depth`,
/// `timelimit`); our engine reports the same stops as `D1011` (depth) and `U1006` (step budget).
fn suite_code(error: &JsonataError) -> &str {
    match error.code.as_str() {
        "D1011" | "U1006" => "U1001",
        code => code,
    }
}

struct Case {
    name: String,
    group: String,
    expr: String,
    input: Option<Value>,
    bindings: Map<String, Value>,
    depth: Option<u64>,
    spec: Value,
}

fn load_cases() -> (Vec<Case>, usize) {
    let root = suite();
    let mut datasets = BTreeMap::new();
    for entry in fs::read_dir(root.join("datasets")).expect("datasets folder") {
        let path = entry.expect("dataset entry").path();
        let text = fs::read_to_string(&path).expect("dataset text");
        let stem = path
            .file_stem()
            .expect("stem")
            .to_string_lossy()
            .into_owned();
        datasets.insert(
            stem,
            serde_json::from_str::<Value>(&text).expect("dataset JSON"),
        );
    }
    let mut groups: Vec<PathBuf> = fs::read_dir(root.join("groups"))
        .expect("groups")
        .map(|e| e.expect("group").path())
        .collect();
    groups.sort();
    let (mut cases, mut surrogates) = (Vec::new(), 0);
    for dir in groups {
        let group = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("group dir")
            .map(|e| e.expect("file").path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for file in files {
            let (text, changed) = escape_lone_surrogates(&fs::read_to_string(&file).expect("case"));
            surrogates += usize::from(changed);
            let doc: Value = serde_json::from_str(&text).expect("case JSON");
            let stem = file
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            let many = doc.is_array();
            let specs = match doc {
                Value::Array(items) => items,
                one => vec![one],
            };
            for (i, spec) in specs.into_iter().enumerate() {
                let name = if many {
                    format!("{group}/{stem}[{i}]")
                } else {
                    format!("{group}/{stem}")
                };
                let expr = match (spec.get("expr"), spec.get("expr-file")) {
                    (Some(Value::String(e)), _) => e.clone(),
                    (_, Some(Value::String(f))) => {
                        fs::read_to_string(dir.join(f)).expect("expr-file")
                    }
                    _ => panic!("{name}: no expression"),
                };
                let input = match (spec.get("data"), spec.get("dataset")) {
                    (Some(data), _) => Some(data.clone()),
                    (_, Some(Value::String(set))) => Some(datasets[set].clone()),
                    _ => None,
                };
                let bindings = spec
                    .get("bindings")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                let depth = spec.get("depth").and_then(Value::as_u64);
                cases.push(Case {
                    name,
                    group: group.clone(),
                    expr,
                    input,
                    bindings,
                    depth,
                    spec,
                });
            }
        }
    }
    (cases, surrogates)
}

/// Runs one case: `Ok(())` when it gives what the suite expects, else what it gave.
fn run(case: &Case) -> Result<(), String> {
    let mut env = AwsEnv::new(1)
        .with_now(1_700_000_000_000)
        .without_aws_functions();
    if let Some(depth) = case.depth {
        env = env.with_max_depth(depth as usize);
    }
    let outcome = Expression::parse(&case.expr)
        .and_then(|e| e.evaluate(case.input.as_ref(), &case.bindings, &mut env));
    let spec = &case.spec;
    let want_code = spec
        .get("code")
        .or_else(|| spec.get("error")?.get("code"))
        .and_then(Value::as_str);
    let unordered = spec.get("unordered") == Some(&Value::Bool(true));
    let passed = match (&outcome, want_code) {
        (Err(e), Some(code)) => suite_code(e) == code,
        (_, Some(_)) => false,
        (Ok(None), None) => spec.get("undefinedResult") == Some(&Value::Bool(true)),
        (Ok(Some(got)), None) => spec
            .get("result")
            .is_some_and(|want| same(got, want, unordered)),
        (Err(_), None) => false,
    };
    if passed {
        return Ok(());
    }
    let want = match want_code {
        Some(code) => format!("error {code}"),
        None => spec
            .get("result")
            .map_or("undefined".to_owned(), Value::to_string),
    };
    let got = match outcome {
        Ok(Some(v)) => v.to_string(),
        Ok(None) => "undefined".to_owned(),
        Err(e) => format!("error {e}"),
    };
    let clip = |s: String| s.chars().take(160).collect::<String>();
    Err(format!("wants {}, got {}", clip(want), clip(got)))
}

#[test]
fn official_suite() {
    let pending = listed("pending.txt");
    let known = listed("known-failures.txt");
    let (cases, surrogates) = load_cases();
    let mut per_group: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let (mut unexpected, mut now_passing) = (Vec::new(), Vec::new());
    for case in &cases {
        let result = run(case);
        let entry = per_group.entry(&case.group).or_default();
        entry.1 += 1;
        let listed = pending.contains(&case.name) || known.contains(&case.name);
        match result {
            Ok(()) => {
                entry.0 += 1;
                if listed {
                    now_passing.push(case.name.clone());
                }
            }
            Err(why) if !listed => {
                unexpected.push(format!("{}: {why} (expr {:?})", case.name, case.expr))
            }
            Err(_) => {}
        }
    }
    for (group, (passed, total)) in &per_group {
        println!("{group:40} {passed:4}/{total}");
    }
    let passed: usize = per_group.values().map(|(p, _)| p).sum();
    println!(
        "JSONata suite: {passed}/{} passed ({:.1}%); {surrogates} case files held lone UTF-16 \
         surrogates, read with the surrogate escaped for the JSONata lexer",
        cases.len(),
        100.0 * passed as f64 / cases.len() as f64
    );
    for name in &now_passing {
        println!("listed but now passing (prune the list): {name}");
    }
    assert_eq!(
        surrogates, 2,
        "the two lone-surrogate case files were not recognised"
    );
    assert!(
        unexpected.is_empty(),
        "unexpected failures:\n{}",
        unexpected.join("\n")
    );
}
