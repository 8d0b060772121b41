//! The user's workspace (the editors' texts) and the bundled examples it can be loaded from.
//!
//! Texts, not values: a half-typed, invalid JSON is still the user's work, and a share link or
//! autosave must carry it exactly as typed.

use crate::evaluate::pretty;
use serde::{Deserialize, Serialize};
use serde_json::Value;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/examples.rs"));
}

/// Everything the user edits.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Workspace {
    /// The example this workspace started from, if any.
    pub example: Option<String>,
    /// The event, as JSON text.
    pub event: String,
    /// The rules (`{"Rules": [...]}`), as JSON text.
    pub rules: String,
    /// The state machine's name (rule targets refer to it).
    pub machine_name: String,
    /// The state machine definition, as JSON text.
    pub machine: String,
    /// The task mocks, as JSON text.
    pub mocks: String,
}

impl Workspace {
    /// JSON text of the workspace (what share links and autosave store).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads what [`Workspace::to_json`] wrote; `None` when it is not a workspace.
    pub fn from_json(text: &str) -> Option<Workspace> {
        serde_json::from_str(text).ok()
    }
}

/// One bundled example.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Its identifier (the `name` field, or the file name).
    pub name: String,
    /// Its title for the picker.
    pub title: String,
    /// One or two sentences on what it shows.
    pub description: String,
    /// The workspace it loads.
    pub workspace: Workspace,
}

/// Reads an example workspace file (`{name,title,description,event,rules,machines,mocks}`).
fn read_example(stem: &str, text: &str) -> Option<Example> {
    let v: Value = serde_json::from_str(text).ok()?;
    let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let name = field("name").unwrap_or_else(|| stem.to_owned());
    let (machine_name, machine) = match v.get("machines") {
        Some(Value::Object(m)) => m.iter().next().map(|(k, d)| (k.clone(), pretty(d)))?,
        _ => (
            String::from("StateMachine"),
            pretty(v.get("machine").or_else(|| v.get("definition"))?),
        ),
    };
    let text_of = |k: &str, default: Value| pretty(v.get(k).unwrap_or(&default));
    Some(Example {
        title: field("title").unwrap_or_else(|| name.clone()),
        description: field("description").unwrap_or_default(),
        workspace: Workspace {
            example: Some(name.clone()),
            event: text_of("event", serde_json::json!({})),
            rules: text_of("rules", serde_json::json!({"Rules": []})),
            machine_name,
            machine,
            mocks: text_of("mocks", serde_json::json!({})),
        },
        name,
    })
}

/// Every bundled example, in the order `index.json` gives (file order otherwise).
pub fn examples() -> Vec<Example> {
    let mut list: Vec<Example> = bundled::FILES
        .iter()
        .filter(|(stem, _)| *stem != "index")
        .filter_map(|(stem, text)| read_example(stem, text))
        .collect();
    let order: Vec<String> = bundled::FILES
        .iter()
        .find(|(stem, _)| *stem == "index")
        .and_then(|(_, text)| serde_json::from_str::<Value>(text).ok())
        .map(|index| {
            let items = index
                .get("examples")
                .unwrap_or(&index)
                .as_array()
                .cloned()
                .unwrap_or_default();
            items
                .iter()
                .filter_map(|i| {
                    i.as_str()
                        .or_else(|| i.get("name").and_then(Value::as_str))
                        .map(|s| s.trim_end_matches(".json").to_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    list.sort_by_key(|e| {
        order
            .iter()
            .position(|o| *o == e.name)
            .unwrap_or(usize::MAX)
    });
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_example_file() {
        let text = r#"{"name": "orders", "title": "Orders", "description": "d", "event": {"a": 1},
            "rules": {"Rules": []}, "machines": {"Flow": {"StartAt": "A", "States": {}}}, "mocks": {}}"#;
        let e = read_example("x", text).unwrap();
        assert_eq!(e.name, "orders");
        assert_eq!(e.workspace.machine_name, "Flow");
        assert!(e.workspace.event.contains("\"a\": 1"));
    }

    #[test]
    fn every_bundled_example_reads() {
        let files = bundled::FILES.iter().filter(|(s, _)| *s != "index").count();
        assert_eq!(examples().len(), files);
    }

    #[test]
    fn a_workspace_round_trips_as_json() {
        let ws = Workspace {
            event: "{ broken".into(),
            ..Workspace::default()
        };
        assert_eq!(Workspace::from_json(&ws.to_json()), Some(ws));
    }
}
