//! A pattern and an event (split at the first NUL byte): every way of matching agrees — the
//! event as a tree, as text (the skimming reader), through a one-rule `RuleSet`, and the
//! explanation's verdict — and nothing panics or hangs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use statebridge_engine::pattern::{Pattern, RuleSet};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some((pattern_text, event_text)) = text.split_once('\0') else {
        return;
    };
    let Ok(pattern) = pattern_text.parse::<Pattern>() else {
        return;
    };
    let from_text = pattern.matches_text(event_text);
    let mut set = RuleSet::new();
    set.add("r", pattern.clone());
    let set_text = set.matching_rules_text(event_text).map(|m| !m.is_empty());
    assert_eq!(from_text.is_ok(), set_text.is_ok());
    let Ok(event) = serde_json::from_str::<Value>(event_text) else {
        return;
    };
    let from_tree = pattern.matches(&event);
    let explained = pattern.explain(&event);
    assert_eq!(explained.matched, from_tree, "explain disagrees");
    assert_eq!(
        set.matching_rules(&event).is_empty(),
        !from_tree,
        "RuleSet disagrees"
    );
    // serde_json keeps the last of duplicate member names; the text reader sees them all.
    if let (Ok(t), Ok(s)) = (from_text, set_text) {
        assert_eq!(t, s, "RuleSet on text disagrees");
        if !has_duplicate_names(event_text) {
            assert_eq!(t, from_tree, "text and tree disagree");
        }
    }
    let _ = explained.to_string();
});

/// Whether some object of the text names a member twice: its parsed tree has fewer members
/// than the text has `:` outside strings.
fn has_duplicate_names(text: &str) -> bool {
    fn count(v: &Value) -> usize {
        match v {
            Value::Object(m) => m.len() + m.values().map(count).sum::<usize>(),
            Value::Array(a) => a.iter().map(count).sum(),
            _ => 0,
        }
    }
    let Ok(v) = serde_json::from_str::<Value>(text) else {
        return true;
    };
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
    members != count(&v)
}
