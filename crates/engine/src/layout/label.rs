//! Short, readable labels for the graph's edges: a Choice rule as `$.amount > 100`, a Catch as its
//! error names. Labels are for people, so long ones are cut with an ellipsis.

use serde_json::Value;

/// Longest label, in characters, before it is cut.
const MAX_LABEL: usize = 48;

/// Comparison operators of JSONPath Choice rules and how they read.
const COMPARISONS: &[(&str, &str)] = &[
    ("StringEquals", "=="),
    ("StringLessThan", "<"),
    ("StringGreaterThan", ">"),
    ("StringLessThanEquals", "<="),
    ("StringGreaterThanEquals", ">="),
    ("NumericEquals", "=="),
    ("NumericLessThan", "<"),
    ("NumericGreaterThan", ">"),
    ("NumericLessThanEquals", "<="),
    ("NumericGreaterThanEquals", ">="),
    ("BooleanEquals", "=="),
    ("TimestampEquals", "=="),
    ("TimestampLessThan", "<"),
    ("TimestampGreaterThan", ">"),
    ("TimestampLessThanEquals", "<="),
    ("TimestampGreaterThanEquals", ">="),
    ("StringMatches", "matches"),
];

/// Type tests of JSONPath Choice rules, read as `is <word>` / `is not <word>`.
const TESTS: &[(&str, &str)] = &[
    ("IsNull", "null"),
    ("IsPresent", "present"),
    ("IsNumeric", "numeric"),
    ("IsString", "string"),
    ("IsBoolean", "boolean"),
    ("IsTimestamp", "timestamp"),
];

/// The label of one Choice rule (JSONPath `Variable` + operator, `And`/`Or`/`Not`, or JSONata `Condition`).
pub(crate) fn choice_rule(rule: &Value) -> String {
    shorten(&rule_text(rule))
}

/// The label of a Catch: its error names.
pub(crate) fn catcher(catch: &Value) -> String {
    let names: Vec<&str> = catch
        .get("ErrorEquals")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if names.is_empty() {
        "catch".to_owned()
    } else {
        shorten(&names.join(", "))
    }
}

/// Cuts `text` to [`MAX_LABEL`] characters (not bytes: names may be any Unicode).
fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_LABEL {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(MAX_LABEL - 1).collect();
        cut.push('…');
        cut
    }
}

/// The full text of a rule, recursively.
fn rule_text(rule: &Value) -> String {
    if let Some(cond) = rule.get("Condition").and_then(Value::as_str) {
        let inner = cond
            .trim()
            .strip_prefix("{%")
            .and_then(|c| c.strip_suffix("%}"));
        return inner.unwrap_or(cond).trim().to_owned();
    }
    for (key, name) in [("And", "And"), ("Or", "Or")] {
        if let Some(list) = rule.get(key).and_then(Value::as_array) {
            let parts: Vec<String> = list.iter().map(rule_text).collect();
            return format!("{name}({})", parts.join(", "));
        }
    }
    if let Some(inner) = rule.get("Not") {
        return format!("Not({})", rule_text(inner));
    }
    let var = rule.get("Variable").and_then(Value::as_str).unwrap_or("?");
    for &(op, sym) in COMPARISONS {
        if let Some(v) = rule.get(op) {
            return format!("{var} {sym} {}", value_text(v));
        }
        if let Some(p) = rule
            .get(format!("{op}Path").as_str())
            .and_then(Value::as_str)
        {
            return format!("{var} {sym} {p}");
        }
    }
    for &(op, word) in TESTS {
        if let Some(b) = rule.get(op).and_then(Value::as_bool) {
            let not = if b { "" } else { "not " };
            return format!("{var} is {not}{word}");
        }
    }
    var.to_owned()
}

/// A comparison operand as JSON text (strings quoted, so `"100"` and `100` read differently).
fn value_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn give(rule: Value, label: &str) {
        assert_eq!(choice_rule(&rule), label, "rule {rule}");
    }

    #[test]
    fn choice_labels() {
        give(
            json!({"Variable": "$.amount", "NumericGreaterThan": 100}),
            "$.amount > 100",
        );
        give(
            json!({"Variable": "$.type", "StringEquals": "gold"}),
            "$.type == \"gold\"",
        );
        give(
            json!({"Variable": "$.a", "NumericLessThanEqualsPath": "$.b"}),
            "$.a <= $.b",
        );
        give(
            json!({"Variable": "$.f", "StringMatches": "*.jpg"}),
            "$.f matches \"*.jpg\"",
        );
        give(
            json!({"Variable": "$.x", "IsPresent": false}),
            "$.x is not present",
        );
        give(
            json!({"Variable": "$.ok", "BooleanEquals": true}),
            "$.ok == true",
        );
        give(
            json!({"And": [{"Variable": "$.a", "NumericGreaterThan": 1}, {"Not": {"Variable": "$.b", "IsNull": true}}]}),
            "And($.a > 1, Not($.b is null))",
        );
        give(
            json!({"Condition": "{% $states.input.total > 100 %}"}),
            "$states.input.total > 100",
        );
        give(json!({}), "?");
        give(
            json!({"Variable": "$.a", "StringEquals": "x".repeat(80)}),
            &format!("$.a == \"{}…", "x".repeat(39)),
        );
    }

    #[test]
    fn catch_labels() {
        assert_eq!(
            catcher(&json!({"ErrorEquals": ["States.ALL"]})),
            "States.ALL"
        );
        assert_eq!(catcher(&json!({"ErrorEquals": ["A", "B"]})), "A, B");
        assert_eq!(catcher(&json!({})), "catch");
    }
}
