//! A learner's work on one exercise (the editors' texts, as typed) and the progress kept in
//! localStorage: which exercises are solved, and each one's draft, so a reload loses nothing.

use crate::dom;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use statebridge_engine::exercise::{CheckResult, Exercise, Pane};
use statebridge_engine::workspace::Workspace;
use std::collections::BTreeMap;

/// localStorage key of the workshop progress.
const KEY: &str = "statebridge.exercises.v1";

/// The editors' texts for one exercise.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    /// The event, as JSON text.
    pub event: String,
    /// The rules document, as JSON text.
    pub rules: String,
    /// The state machine definition, as JSON text.
    pub machine: String,
    /// The mocks, as JSON text.
    pub mocks: String,
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

impl Draft {
    /// The exercise's starting texts.
    pub fn start(ex: &Exercise) -> Draft {
        let ws = &ex.start;
        Draft {
            event: pretty(&ws.event),
            rules: rules_text(ws),
            machine: ws.machines.values().next().map(pretty).unwrap_or_default(),
            mocks: pretty(&Value::Object(ws.mocks.clone())),
        }
    }

    /// The text of a pane.
    pub fn text(&self, pane: Pane) -> &str {
        match pane {
            Pane::Event => &self.event,
            Pane::Rules => &self.rules,
            Pane::Machine => &self.machine,
            Pane::Mocks => &self.mocks,
        }
    }

    /// Replaces the text of a pane.
    pub fn set(&mut self, pane: Pane, text: String) {
        match pane {
            Pane::Event => self.event = text,
            Pane::Rules => self.rules = text,
            Pane::Machine => self.machine = text,
            Pane::Mocks => self.mocks = text,
        }
    }

    /// The draft as a workspace to grade, or why it cannot be read (pane, line, column, what).
    pub fn workspace(&self, ex: &Exercise) -> Result<Workspace, String> {
        let parse = |pane: Pane| -> Result<Value, String> {
            serde_json::from_str(self.text(pane)).map_err(|e| {
                let what = e.to_string();
                let what = what.split(" at line").next().unwrap_or_default();
                format!(
                    "{}: line {}, column {}: {what}",
                    title(pane),
                    e.line(),
                    e.column()
                )
            })
        };
        let name = ex
            .start
            .machines
            .keys()
            .next()
            .cloned()
            .unwrap_or_else(|| "StateMachine".to_owned());
        let doc = json!({
            "name": ex.id,
            "event": parse(Pane::Event)?,
            "rules": parse(Pane::Rules)?,
            "machines": { name: parse(Pane::Machine)? },
            "mocks": parse(Pane::Mocks)?,
        });
        Workspace::from_value(&doc).map_err(|e| format!("The workspace {e}"))
    }

    /// Grades the draft: every check's verdict, or why the texts cannot be read.
    pub fn check(&self, ex: &Exercise) -> Result<Vec<CheckResult>, String> {
        self.workspace(ex).map(|ws| ex.check(&ws))
    }
}

fn rules_text(ws: &Workspace) -> String {
    serde_json::to_value(ws)
        .ok()
        .and_then(|v| v.get("rules").map(pretty))
        .unwrap_or_else(|| "{\"Rules\": []}".to_owned())
}

/// A pane's title for people.
pub fn title(pane: Pane) -> &'static str {
    match pane {
        Pane::Event => "Event",
        Pane::Rules => "Rules",
        Pane::Machine => "State machine",
        Pane::Mocks => "Mocks",
    }
}

/// What the workshop remembers.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// Ids of the exercises whose checks all passed.
    pub solved: Vec<String>,
    /// The learner's texts, by exercise id.
    pub drafts: BTreeMap<String, Draft>,
}

impl Progress {
    /// The saved progress (nothing when storage is refused or holds something else).
    pub fn load() -> Progress {
        dom::load(KEY)
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    /// Saves the progress (best effort).
    pub fn save(&self) {
        if let Ok(text) = serde_json::to_string(self) {
            let _ = dom::save(KEY, &text);
        }
    }

    /// Whether an exercise is solved.
    pub fn is_solved(&self, id: &str) -> bool {
        self.solved.iter().any(|s| s == id)
    }

    /// Records a verdict: solved when every check passed (a later failure does not unsolve it).
    pub fn record(&mut self, id: &str, results: &[CheckResult]) {
        if !results.is_empty() && results.iter().all(|r| r.passed) && !self.is_solved(id) {
            self.solved.push(id.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first() -> Exercise {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/www/exercises/01-route-orders.json"
        );
        std::fs::read_to_string(path).unwrap().parse().unwrap()
    }

    #[test]
    fn the_start_draft_fails_and_the_solution_passes() {
        let ex = first();
        let start = Draft::start(&ex);
        let results = start.check(&ex).unwrap();
        assert!(results.iter().any(|r| !r.passed));
        let mut solved = start.clone();
        solved.rules = solved.rules.replace("OrderPlaced", "OrderCreated");
        let results = solved.check(&ex).unwrap();
        assert!(results.iter().all(|r| r.passed), "{results:?}");
        let mut p = Progress::default();
        p.record(&ex.id, &results);
        assert!(p.is_solved(&ex.id));
    }

    #[test]
    fn unreadable_texts_say_which_pane_and_where() {
        let ex = first();
        let mut d = Draft::start(&ex);
        d.rules = "{\n  \"Rules\": [,]\n}".into();
        assert_eq!(
            d.check(&ex).unwrap_err(),
            "Rules: line 2, column 13: expected value"
        );
        d.rules = r#"{"Rules": [{"Name": 3}]}"#.into();
        let e = d.check(&ex).unwrap_err();
        assert!(e.contains("rules.Rules[0]"), "{e}");
    }

    #[test]
    fn a_draft_round_trips_through_storage_text() {
        let ex = first();
        let mut p = Progress::default();
        p.drafts.insert(ex.id.clone(), Draft::start(&ex));
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Progress>(&text).unwrap(), p);
    }
}
