//! Quick fixes for diagnostics whose repair is obvious: a field written under a near name
//! (`Input` where `InputPath` was meant, `Nxt` for `Next`) and a transition naming a missing
//! state (the closest name in its scope).

use crate::asl::definition::{Kind, StateMachine};
use crate::asl::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};

/// A replacement the editor can apply: `find` (JSON text at or just before the diagnostic's
/// place, on its line) becomes `replace`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickFix {
    /// What the fix does, as a button label.
    pub title: String,
    /// The JSON text to replace (a member name or a string value, with its quotes).
    pub find: String,
    /// What to write instead.
    pub replace: String,
}

fn quoted(s: &str) -> String {
    serde_json::Value::String(s.to_owned()).to_string()
}

/// Edit distance between two names, case ignored (insertions, deletions, substitutions).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

/// How many characters two names share at their start (breaks ties between equally near names:
/// `Step1511` is meant as `Step151` rather than `Step111`).
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// The machine (top, branch or item processor) whose `States` holds `state` at `pointer`.
fn scope_of<'m>(m: &'m StateMachine, state: &str, pointer: &str) -> Option<&'m StateMachine> {
    for s in &m.states {
        let inner: Vec<&StateMachine> = match &s.kind {
            Kind::Parallel(p) => p.branches.iter().collect(),
            Kind::Map(spec) => vec![&spec.processor],
            _ => vec![],
        };
        for sub in inner {
            if pointer.starts_with(&format!("{}/", sub.pointer))
                && let Some(found) = scope_of(sub, state, pointer)
            {
                return Some(found);
            }
        }
    }
    m.state(state).is_some().then_some(m)
}

/// The fix for `d`, a diagnostic of `machine` (as `asl::parse` read it), when one is obvious.
pub fn quick_fix(machine: &StateMachine, d: &Diagnostic) -> Option<QuickFix> {
    let field = d.field.as_deref()?;
    if d.code == "MISSING_TRANSITION_TARGET" {
        // The missing name is the first `…` of the message.
        let missing = d.message.split('`').nth(1)?;
        let scope = match &d.state {
            Some(state) => scope_of(machine, state, &d.pointer)?,
            None => machine,
        };
        let best = scope
            .states
            .iter()
            .map(|s| s.name.as_str())
            .filter(|n| *n != missing && Some(*n) != d.state.as_deref())
            .min_by_key(|n| (distance(missing, n), usize::MAX - common_prefix(missing, n)))?;
        return Some(QuickFix {
            title: format!("Change to \"{best}\""),
            find: quoted(missing),
            replace: quoted(best),
        });
    }
    if !d.message.contains("is not supported by") {
        return None;
    }
    let state = machine_state(machine, d.state.as_deref()?, &d.pointer)?;
    let allowed = crate::asl::state_fields_of(state)?;
    let with_path = format!("{field}Path");
    let best = if allowed.contains(&with_path.as_str()) {
        with_path
    } else {
        let (name, far) = allowed
            .iter()
            .map(|a| (*a, distance(field, a)))
            .min_by_key(|&(_, far)| far)?;
        if far > 2.max(field.chars().count() / 3) {
            return None;
        }
        name.to_owned()
    };
    Some(QuickFix {
        title: format!("Rename to \"{best}\""),
        find: quoted(field),
        replace: quoted(&best),
    })
}

/// The `Type` of the state named `name` in the scope `pointer` is in.
fn machine_state(m: &StateMachine, name: &str, pointer: &str) -> Option<&'static str> {
    let scope = scope_of(m, name, pointer)?;
    Some(match scope.state(name)?.kind {
        Kind::Pass => "Pass",
        Kind::Succeed => "Succeed",
        Kind::Fail(_) => "Fail",
        Kind::Wait(_) => "Wait",
        Kind::Choice(_) => "Choice",
        Kind::Task(_) => "Task",
        Kind::Parallel(_) => "Parallel",
        Kind::Map(_) => "Map",
        Kind::Unknown(_) => return None,
    })
}
