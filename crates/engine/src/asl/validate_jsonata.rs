//! Validation of the `{% … %}` JSONata expressions of JSONata states: an expression that does not
//! parse is a diagnostic naming the state, the field, the pointer to the string, and the position
//! inside the expression (carried as [`Diagnostic::value_offset`] so that line and column point at
//! the offending character of the definition text).

use super::definition::{Kind, QueryLanguage, StateMachine};
use super::diagnostic::{INVALID_EXPR, Sink};
use crate::jsonata::{Expression, template_expression};
use crate::source::escape_segment;
use serde_json::Value;

/// Fields of a state that never hold expressions (names, structure); nested machines are
/// walked through the parsed definition instead.
const NOT_EXPRESSIONS: [&str; 10] = [
    "Type",
    "Next",
    "End",
    "Default",
    "Comment",
    "QueryLanguage",
    "Resource",
    "Branches",
    "ItemProcessor",
    "Iterator",
];

/// Checks every JSONata expression of every JSONata state of `machine` (whose JSON is `root`).
pub(crate) fn check(root: &Value, machine: &StateMachine, sink: &mut Sink) {
    for s in machine.states.iter().filter(|s| !s.incomplete) {
        if s.query_language == QueryLanguage::Jsonata
            && let Some(Value::Object(fields)) = root.pointer(&s.pointer)
        {
            for (k, v) in fields {
                if !NOT_EXPRESSIONS.contains(&k.as_str()) {
                    let at = format!("{}/{}", s.pointer, escape_segment(k));
                    walk(v, &at, &s.name, k, sink);
                }
            }
        }
        match &s.kind {
            Kind::Parallel(p) => p.branches.iter().for_each(|b| check(root, b, sink)),
            Kind::Map(m) => check(root, &m.processor, sink),
            _ => {}
        }
    }
}

/// Finds the expression strings below `v` (objects and arrays recurse; `Next` of a choice or
/// catcher is a state name, not an expression).
fn walk(v: &Value, at: &str, state: &str, field: &str, sink: &mut Sink) {
    match v {
        Value::String(s) => check_string(s, at, state, field, sink),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{at}/{i}"), state, field, sink);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                if k != "Next" && k != "Comment" {
                    walk(
                        item,
                        &format!("{at}/{}", escape_segment(k)),
                        state,
                        field,
                        sink,
                    );
                }
            }
        }
        _ => {}
    }
}

fn check_string(s: &str, at: &str, state: &str, field: &str, sink: &mut Sink) {
    let Some(expr) = template_expression(s) else {
        return;
    };
    // Without an engine yet (one loading in another module), the syntax is checked once it is in.
    if !crate::jsonata::available() {
        crate::jsonata::request();
        return;
    }
    let Err(e) = Expression::parse(expr) else {
        return;
    };
    // Where the trimmed expression starts inside the string, in characters.
    let start = s
        .char_indices()
        .position(|(i, _)| std::ptr::eq(s[i..].as_ptr(), expr.as_ptr()))
        .unwrap_or(2);
    let (message, offset) = match e.position {
        Some(p) => (
            format!(
                "the JSONata expression `{expr}` does not parse at character {p} of the expression: {} ({})",
                e.message, e.code
            ),
            Some(start + p.min(expr.chars().count())),
        ),
        None => (
            format!(
                "the JSONata expression `{expr}` does not parse: {} ({})",
                e.message, e.code
            ),
            None,
        ),
    };
    sink.push(INVALID_EXPR, Some(state), Some(field), at, message);
    if let (Some(o), Some(d)) = (offset, sink.found.last_mut()) {
        d.value_offset = u32::try_from(o).ok();
    }
}
