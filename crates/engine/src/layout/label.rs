//! Short, readable labels for the graph's edges: a Choice rule as `$.amount > 100`, a Catch as its
//! error names. Labels are for people, so long ones are cut with an ellipsis.

use crate::asl::choice::{Op, Operand, Rule};
use crate::asl::definition::Catcher;
use serde_json::Value;
use std::cmp::Ordering;

/// Longest label, in characters, before it is cut.
const MAX_LABEL: usize = 48;

/// The label of one Choice rule (JSONPath `Variable` + operator, `And`/`Or`/`Not`, or JSONata `Condition`).
pub(crate) fn choice_rule(rule: &Rule) -> String {
    shorten(&rule_text(rule))
}

/// The label of a Catch: its error names.
pub(crate) fn catcher(catch: &Catcher) -> String {
    if catch.error_equals.is_empty() {
        "catch".to_owned()
    } else {
        shorten(&catch.error_equals.join(", "))
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

/// How a comparison reads.
fn symbol(op: Op) -> Option<&'static str> {
    let ordered = |o: Ordering, or_equal: bool| match (o, or_equal) {
        (Ordering::Equal, _) => "==",
        (Ordering::Less, false) => "<",
        (Ordering::Less, true) => "<=",
        (Ordering::Greater, false) => ">",
        (Ordering::Greater, true) => ">=",
    };
    Some(match op {
        Op::String(o, e) | Op::Numeric(o, e) | Op::Timestamp(o, e) => ordered(o, e),
        Op::BooleanEquals => "==",
        Op::StringMatches => "matches",
        _ => return None,
    })
}

/// How a type test reads: `is <word>` / `is not <word>`.
fn test_word(op: Op) -> &'static str {
    match op {
        Op::IsNull => "null",
        Op::IsPresent => "present",
        Op::IsNumeric => "numeric",
        Op::IsString => "string",
        Op::IsBoolean => "boolean",
        _ => "timestamp",
    }
}

/// The full text of a rule, recursively.
fn rule_text(rule: &Rule) -> String {
    match rule {
        Rule::Condition(Value::String(cond)) => {
            let inner = cond
                .trim()
                .strip_prefix("{%")
                .and_then(|c| c.strip_suffix("%}"));
            inner.unwrap_or(cond).trim().to_owned()
        }
        Rule::Condition(_) => "?".to_owned(),
        Rule::And(list) | Rule::Or(list) => {
            let name = if matches!(rule, Rule::And(_)) {
                "And"
            } else {
                "Or"
            };
            let parts: Vec<String> = list.iter().map(rule_text).collect();
            format!("{name}({})", parts.join(", "))
        }
        Rule::Not(inner) => format!("Not({})", rule_text(inner)),
        Rule::Compare {
            variable,
            op,
            operand,
        } => match (symbol(*op), operand) {
            (Some(sym), Operand::Literal(v)) => format!("{variable} {sym} {}", value_text(v)),
            (Some(sym), Operand::Path(p)) => format!("{variable} {sym} {p}"),
            (None, Operand::Literal(Value::Bool(b))) => {
                let not = if *b { "" } else { "not " };
                format!("{variable} is {not}{}", test_word(*op))
            }
            (None, _) => variable.to_string(),
        },
        Rule::Invalid(variable) => variable.clone().unwrap_or_else(|| "?".to_owned()),
    }
}

/// A comparison operand as JSON text (strings quoted, so `"100"` and `100` read differently).
fn value_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::definition::Kind;
    use serde_json::json;

    /// The label of `rule` read as the one choice of a Choice state.
    fn give(rule: Value, label: &str) {
        let jsonata = rule.get("Condition").is_some();
        let mut choice = rule.clone();
        if let Some(o) = choice.as_object_mut() {
            o.insert("Next".into(), json!("A"));
        }
        let mut state = json!({"Type": "Choice", "Choices": [choice]});
        if jsonata {
            state["QueryLanguage"] = json!("JSONata");
        }
        let (m, _) = crate::asl::parse_value(&json!({"StartAt": "A", "States": {"A": state}}));
        let Some(Kind::Choice(spec)) = m.states.first().map(|s| &s.kind) else {
            panic!("no Choice state for {rule}");
        };
        assert_eq!(choice_rule(&spec.choices[0].rule), label, "rule {rule}");
    }

    fn catch_label(catch: Value) -> String {
        let state = json!({"Type": "Pass", "End": true, "Catch": [catch]});
        let (m, _) = crate::asl::parse_value(&json!({"StartAt": "A", "States": {"A": state}}));
        catcher(&m.states[0].catch[0])
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
            catch_label(json!({"ErrorEquals": ["States.ALL"]})),
            "States.ALL"
        );
        assert_eq!(catch_label(json!({"ErrorEquals": ["A", "B"]})), "A, B");
        assert_eq!(catch_label(json!({})), "catch");
    }
}
