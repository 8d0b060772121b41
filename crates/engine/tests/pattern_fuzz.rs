//! Fuzz-style checks that run in `cargo test` (the cargo-fuzz targets in `crates/engine/fuzz`
//! explore further): patterns and events built at random from the operators' grammar, and the
//! conformance corpus with bytes cut, swapped and flipped. Nothing may panic, every error must
//! say where, and every way of matching (tree, text, `RuleSet`, explanation) must agree.

use serde_json::{Value, json};
use statebridge_engine::pattern::{Pattern, PatternError, RuleSet};

/// xorshift64*: deterministic, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NAMES: [&str; 5] = ["a", "b", "c.d", "", "é"];
const STRINGS: [&str; 9] = ["", "x", "X", "xy", "abc", "*", "a*c", "10.0.0.1", "Σς"];

fn scalar(r: &mut Rng) -> Value {
    match r.below(6) {
        0 => json!(r.pick(&STRINGS)),
        1 => json!(r.below(5) as f64 - 2.0),
        2 => json!(1.5e300),
        3 => json!(r.below(2) == 0),
        4 => Value::Null,
        _ => json!(format!(
            "{}.{}.0.{}",
            r.below(3) + 9,
            r.below(2),
            r.below(300)
        )),
    }
}

fn operator(r: &mut Rng) -> Value {
    let s = json!(r.pick(&STRINGS));
    match r.below(16) {
        0 => json!({"prefix": s}),
        1 => json!({"suffix": s}),
        2 => json!({"prefix": {"equals-ignore-case": s}}),
        3 => json!({"suffix": {"equals-ignore-case": s}}),
        4 => json!({"equals-ignore-case": s}),
        5 => json!({"anything-but": scalar(r)}),
        6 => json!({"anything-but": [scalar(r), scalar(r)]}),
        7 => json!({"anything-but": {"prefix": s}}),
        8 => json!({"anything-but": {"wildcard": [s]}}),
        9 => json!({"numeric": [">", r.below(4) as f64 - 1.0, "<=", 3]}),
        10 => json!({"numeric": ["=", scalar(r)]}),
        11 => json!({"exists": r.below(2) == 0}),
        12 => json!({"cidr": format!("10.0.0.0/{}", r.below(40))}),
        13 => json!({"wildcard": s}),
        14 => json!({"anything-but": {"equals-ignore-case": [s]}}),
        _ => json!({"exactly": s}),
    }
}

fn pattern(r: &mut Rng, depth: usize) -> Value {
    let mut obj = serde_json::Map::new();
    for _ in 0..=r.below(3) {
        let name = r.pick(&NAMES).to_string();
        let v = match r.below(if depth > 2 { 3 } else { 5 }) {
            0 | 1 => Value::Array((0..=r.below(2)).map(|_| scalar(r)).collect()),
            2 => Value::Array((0..=r.below(2)).map(|_| operator(r)).collect()),
            3 => pattern(r, depth + 1),
            _ => json!([pattern(r, depth + 1), pattern(r, depth + 1)]),
        };
        // Arrays of objects stand for `$or` lists.
        if v.as_array().is_some_and(|a| a.iter().all(Value::is_object)) && r.below(2) == 0 {
            obj.insert("$or".into(), v);
        } else {
            obj.insert(name, v);
        }
    }
    Value::Object(obj)
}

fn event(r: &mut Rng, depth: usize) -> Value {
    let mut obj = serde_json::Map::new();
    for _ in 0..=r.below(4) {
        let name = r.pick(&NAMES).to_string();
        let v = match r.below(if depth > 2 { 2 } else { 4 }) {
            0 | 1 => scalar(r),
            2 => event(r, depth + 1),
            _ => Value::Array((0..r.below(3)).map(|_| event(r, depth + 1)).collect()),
        };
        obj.insert(name, v);
    }
    Value::Object(obj)
}

/// Parses, matches every way, and checks they agree; `None` when the pattern is invalid.
fn check(pattern_text: &str, event_text: &str) -> Option<bool> {
    let pattern = match pattern_text.parse::<Pattern>() {
        Ok(p) => p,
        Err(e) => {
            assert!(!e.to_string().is_empty());
            if let PatternError::Invalid { position, .. } = &e {
                assert!(position.is_some(), "no position: {e} for {pattern_text}");
            }
            return None;
        }
    };
    let by_text = pattern.matches_text(event_text);
    let mut set = RuleSet::new();
    set.add("r", pattern.clone());
    set.add("r", pattern.clone()); // a repeated name is reported once
    let set_text = set.matching_rules_text(event_text);
    assert_eq!(by_text.is_ok(), set_text.is_ok(), "{event_text}");
    let event: Value = serde_json::from_str(event_text).ok()?;
    let by_tree = pattern.matches(&event);
    let why = pattern.explain(&event);
    assert_eq!(
        why.matched, by_tree,
        "explain: {pattern_text} / {event_text}"
    );
    assert!(
        !why.lines().is_empty(),
        "no explanation lines for {pattern_text}"
    );
    let set_tree = set.matching_rules(&event);
    assert_eq!(set_tree, if by_tree { vec!["r"] } else { vec![] });
    // serde_json keeps the last of duplicate member names; the text reader sees them all.
    if let (Ok(t), Ok(s)) = (by_text, set_text)
        && !has_duplicate_names(event_text, &event)
    {
        assert_eq!(t, by_tree, "text: {pattern_text} / {event_text}");
        assert_eq!(s, set_tree);
    }
    Some(by_tree)
}

/// Whether some object of the text names a member twice: its parsed tree has fewer members
/// than the text has `:` outside strings.
fn has_duplicate_names(text: &str, parsed: &Value) -> bool {
    fn count(v: &Value) -> usize {
        match v {
            Value::Object(m) => m.len() + m.values().map(count).sum::<usize>(),
            Value::Array(a) => a.iter().map(count).sum(),
            _ => 0,
        }
    }
    let (mut members, mut in_string, mut escaped) = (0, false, false);
    for c in text.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') => in_string = false,
            (false, _, '"') => in_string = true,
            (false, _, ':') => members += 1,
            _ => {}
        }
    }
    members != count(parsed)
}

#[test]
fn random_patterns_and_events_agree_every_way() {
    let mut r = Rng(0x5eed_1234_abcd_0001);
    let (mut valid, mut matched) = (0, 0);
    for _ in 0..6_000 {
        let p = pattern(&mut r, 0).to_string();
        let e = event(&mut r, 0).to_string();
        if let Some(m) = check(&p, &e) {
            valid += 1;
            matched += usize::from(m);
        }
    }
    // The generator must reach both outcomes often enough to be testing something.
    assert!(valid > 1_000, "only {valid} valid patterns");
    assert!(matched > 50, "only {matched} matches");
}

fn corpus() -> Vec<(String, String)> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/patterns/cases"
    );
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("conformance cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for f in files {
        let cases: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(f).expect("case file")).expect("JSON");
        for c in cases {
            let p = c
                .get("pattern_text")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| c["pattern"].to_string());
            let e = c
                .get("event_text")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| c.get("event").map(Value::to_string).unwrap_or_default());
            out.push((p, e));
        }
    }
    out
}

fn mutate(r: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..=r.below(3) {
        if bytes.is_empty() {
            break;
        }
        let at = r.below(bytes.len());
        match r.below(5) {
            0 => bytes.truncate(at),
            1 => {
                bytes.remove(at);
            }
            2 => bytes.insert(at, *r.pick(b"[]{}\",:\\*-0e.$ ")),
            3 => {
                let other = r.below(bytes.len());
                bytes.swap(at, other);
            }
            _ => bytes[at] ^= 1 << r.below(8),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_corpus_never_panics_and_agrees() {
    let cases = corpus();
    assert!(cases.len() > 8_000, "corpus too small: {}", cases.len());
    let mut r = Rng(0xfeed_0000_0000_0042);
    for (i, (p, e)) in cases.iter().enumerate() {
        if i % 2 == 0 {
            check(&mutate(&mut r, p), e);
        } else {
            check(p, &mutate(&mut r, e));
        }
    }
}

#[test]
fn deep_and_large_inputs_are_refused_or_handled() {
    let deep = format!("{}{}", "{\"a\":".repeat(5_000), "}".repeat(5_000));
    assert!(check(&deep, "{}").is_none());
    let wide = format!(
        "{{\"a\": [{{\"numeric\": [\">\", 0]}}]}}\u{0}{}",
        "[".repeat(100_000)
    );
    let (p, e) = wide.split_once('\u{0}').unwrap_or_default();
    assert_eq!(check(p, e), None, "a too deep event is not JSON");
    let ors = (0..20)
        .map(|i| format!("{{\"$or\": [{{\"a{i}\": [1]}}, {{\"b{i}\": [2]}}]}}"))
        .collect::<Vec<_>>()
        .join(",");
    let many = format!("{{\"$or\": [{ors}]}}");
    assert!(
        many.parse::<Pattern>().is_ok(),
        "a flat $or of nested $ors is fine"
    );
    let nested = (0..14).fold("{\"x\": [1]}".to_owned(), |inner, i| {
        format!("{{\"$or\": [{inner}, {{\"y{i}\": [1]}}], \"z{i}\": [1]}}")
    });
    let _ = check(&nested, "{\"x\": 1}"); // within or beyond the combination limit, no panic
}
