//! Workshop exercises: instructions, a starting workspace, locked panes, hints, and checks that
//! grade a learner's workspace, the same in the browser and in `statebridge check`.
//!
//! ```
//! use statebridge_engine::exercise::Exercise;
//! use statebridge_engine::workspace::Workspace;
//! let exercise: Exercise = r#"{
//!   "id": "route", "title": "Route orders", "instructions": "Match `OrderCreated`.",
//!   "start": {"name": "route", "event": {"detail-type": "OrderCreated"},
//!             "rules": {"Rules": [{"Name": "Orders", "EventPattern": {"detail-type": ["OrderPlaced"]}}]},
//!             "machines": {}},
//!   "checks": [{"kind": "rule_matches", "rule": "Orders",
//!               "events": [{"detail-type": "OrderCreated"}]}]
//! }"#.parse().unwrap();
//! let results = exercise.check(&exercise.start);
//! assert!(!results[0].passed);
//! assert_eq!(results[0].reason,
//!     "event 1: `detail-type` is \"OrderCreated\"; the pattern wants \"OrderPlaced\"");
//! let solved: Workspace = r#"{"name": "route", "event": {},
//!     "rules": {"Rules": [{"Name": "Orders", "EventPattern": {"detail-type": ["OrderCreated"]}}]},
//!     "machines": {}}"#.parse().unwrap();
//! assert!(exercise.check(&solved).iter().all(|r| r.passed));
//! ```
//!
//! Locked panes are graded from the exercise's own starting workspace, whatever the learner's
//! copy holds: a workspace file edited by hand cannot pass by rewriting the mocks.

mod check;
mod run;

pub use check::{Check, CheckResult, Scenario};

use crate::workspace::{Workspace, WorkspaceError};
use serde::Serialize;
use serde_json::{Map, Value};
use std::str::FromStr;

/// One pane of the workspace, as the exercise page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pane {
    /// The event put on the bus.
    Event,
    /// The rules and their targets.
    Rules,
    /// The state machine definitions.
    Machine,
    /// The task mocks.
    Mocks,
}

impl Pane {
    /// Every pane, in the order the page shows them.
    pub const ALL: [Pane; 4] = [Pane::Event, Pane::Rules, Pane::Machine, Pane::Mocks];

    /// The pane's name in exercise files (`event`, `rules`, `machine`, `mocks`).
    pub fn name(self) -> &'static str {
        match self {
            Pane::Event => "event",
            Pane::Rules => "rules",
            Pane::Machine => "machine",
            Pane::Mocks => "mocks",
        }
    }

    fn from_name(name: &str) -> Option<Pane> {
        Pane::ALL
            .into_iter()
            .find(|p| p.name() == name || (name == "machines" && *p == Pane::Machine))
    }
}

/// A workshop exercise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exercise {
    /// Short identifier, unique in the workshop (also the progress key).
    pub id: String,
    /// Title shown in the list.
    pub title: String,
    /// What to do, in Markdown.
    pub instructions: String,
    /// The workspace the learner starts from.
    pub start: Workspace,
    /// Panes the learner cannot edit.
    pub locked: Vec<Pane>,
    /// Hints in Markdown, revealed one at a time.
    pub hints: Vec<String>,
    /// What a solution must do.
    pub checks: Vec<Check>,
    /// A reference solution (used by the tests; never shown by the page).
    pub solution: Option<Workspace>,
}

/// Why an exercise file could not be read.
pub type ExerciseError = crate::workspace::DocumentError;

impl FromStr for Exercise {
    type Err = ExerciseError;

    /// Parses an exercise file; errors say where.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Exercise::from_value(&crate::workspace::parse_document(text)?)
    }
}

fn shape(path: &str, problem: impl Into<String>) -> ExerciseError {
    ExerciseError::Shape {
        path: path.to_owned(),
        problem: problem.into(),
    }
}

/// A workspace error moved under `prefix` (`start`, `solution`).
fn nested(prefix: &str, e: WorkspaceError) -> ExerciseError {
    match e {
        WorkspaceError::Shape { path, problem } if path == "(top level)" => shape(prefix, problem),
        WorkspaceError::Shape { path, problem } => shape(&format!("{prefix}.{path}"), problem),
        WorkspaceError::Syntax { message, .. } => shape(prefix, message),
    }
}

fn text(o: &Map<String, Value>, key: &str, required: bool) -> Result<String, ExerciseError> {
    match o.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(shape(key, "expected a string")),
        None if required => Err(shape(key, "missing")),
        None => Ok(String::new()),
    }
}

fn list<'a>(o: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], ExerciseError> {
    match o.get(key) {
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(shape(key, "expected an array")),
        None => Ok(&[]),
    }
}

/// A workspace given inline; `name` may be left out (the exercise's id stands in).
fn workspace(v: &Value, id: &str, path: &str) -> Result<Workspace, ExerciseError> {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.entry("name")
            .or_insert_with(|| Value::String(id.to_owned()));
        o.entry("mocks")
            .or_insert_with(|| Value::Object(Map::new()));
    }
    Workspace::from_value(&v).map_err(|e| nested(path, e))
}

impl Exercise {
    /// Reads an exercise from parsed JSON; errors give the path of the offending field.
    pub fn from_value(v: &Value) -> Result<Exercise, ExerciseError> {
        let o = v
            .as_object()
            .ok_or_else(|| shape("(top level)", "expected an object"))?;
        let id = text(o, "id", true)?;
        if id.is_empty() {
            return Err(shape("id", "must not be empty"));
        }
        let start = workspace(
            o.get("start").ok_or_else(|| shape("start", "missing"))?,
            &id,
            "start",
        )?;
        let solution = o
            .get("solution")
            .map(|s| workspace(s, &id, "solution"))
            .transpose()?;
        let locked = list(o, "locked")?
            .iter()
            .enumerate()
            .map(|(i, p)| {
                p.as_str().and_then(Pane::from_name).ok_or_else(|| {
                    shape(
                        &format!("locked[{i}]"),
                        "expected one of \"event\", \"rules\", \"machine\", \"mocks\"",
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let hints = list(o, "hints")?
            .iter()
            .enumerate()
            .map(|(i, h)| {
                h.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| shape(&format!("hints[{i}]"), "expected a string"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let checks = list(o, "checks")?
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Check::from_value(c).map_err(|problem| shape(&format!("checks[{i}]"), problem))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if checks.is_empty() {
            return Err(shape("checks", "an exercise needs at least one check"));
        }
        Ok(Exercise {
            title: text(o, "title", true)?,
            instructions: text(o, "instructions", false)?,
            id,
            start,
            locked,
            hints,
            checks,
            solution,
        })
    }

    /// Whether the learner may edit a pane.
    pub fn is_locked(&self, pane: Pane) -> bool {
        self.locked.contains(&pane)
    }

    /// The workspace that is graded: the learner's, with every locked pane taken from the start.
    pub fn graded(&self, learner: &Workspace) -> Workspace {
        let mut ws = learner.clone();
        for pane in &self.locked {
            match pane {
                Pane::Event => ws.event = self.start.event.clone(),
                Pane::Rules => ws.rules = self.start.rules.clone(),
                Pane::Machine => ws.machines = self.start.machines.clone(),
                Pane::Mocks => ws.mocks = self.start.mocks.clone(),
            }
        }
        ws
    }

    /// Runs every check on a learner's workspace, in order.
    pub fn check(&self, learner: &Workspace) -> Vec<CheckResult> {
        let ws = self.graded(learner);
        self.checks.iter().map(|c| c.run(&ws)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` fails to load with exactly `message`.
    fn fails(text: &str, message: &str) {
        let err = text.parse::<Exercise>().err().map(|e| e.to_string());
        assert_eq!(err.as_deref(), Some(message), "{text}");
    }

    const START: &str = r#""start": {"event": {}, "rules": {"Rules": []}, "machines": {}}"#;

    #[test]
    fn errors_say_where() {
        fails("[", "line 1, column 1: EOF while parsing a list");
        fails("3", "at `(top level)`: expected an object");
        fails(r#"{"title": "t"}"#, "at `id`: missing");
        fails(r#"{"id": "x", "title": "t"}"#, "at `start`: missing");
        fails(
            r#"{"id": "x", "title": "t", "start": {"event": {}}}"#,
            "at `start.rules`: missing",
        );
        fails(
            &format!(r#"{{"id": "x", "title": "t", {START}}}"#),
            "at `checks`: an exercise needs at least one check",
        );
        fails(
            &format!(r#"{{"id": "x", "title": "t", {START}, "locked": ["graph"]}}"#),
            "at `locked[0]`: expected one of \"event\", \"rules\", \"machine\", \"mocks\"",
        );
        fails(
            &format!(r#"{{"id": "x", "title": "t", {START}, "hints": [1]}}"#),
            "at `hints[0]`: expected a string",
        );
        fails(
            &format!(r#"{{"id": "x", "title": "t", {START}, "checks": [{{"kind": "nope"}}]}}"#),
            "at `checks[0]`: unknown kind `nope`; expected one of rule_matches, rule_does_not_match, target_input, execution, state_retried, path_taken, state_entered, state_not_entered, max_transitions, validates",
        );
        fails(
            &format!(
                r#"{{"id": "x", "title": "t", {START}, "checks": [{{"kind": "max_transitions"}}]}}"#
            ),
            "at `checks[0]`: missing field `n`",
        );
        fails(
            &format!(
                r#"{{"id": "x", "title": "t", {START}, "checks": [{{"kind": "max_transitions", "n": -1}}]}}"#
            ),
            "at `checks[0]`: field `n`: invalid value: integer `-1`, expected u64",
        );
    }
}
