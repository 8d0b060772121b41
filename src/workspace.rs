//! The user's workspace (the editors' texts) and the examples it can be loaded from: the first
//! one is bundled, the others are fetched from `examples/` beside the page when picked.
//!
//! Texts, not values: a half-typed, invalid JSON is still the user's work, and a share link or
//! autosave must carry it exactly as typed.

use crate::evaluate::pretty;
pub use crate::text::Text;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::rc::Rc;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/examples.rs"));
}

/// One named state machine of the workspace, as the user typed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MachineText {
    /// Its name (rule targets start it by this name, or by an ARN ending in it).
    pub name: String,
    /// Its definition (or an entry with `Versions` and `Aliases`), as JSON text.
    pub text: Text,
}

/// The name a workspace's only machine gets when none was given.
pub const DEFAULT_MACHINE: &str = "StateMachine";

/// Everything the user edits.
///
/// Several named machines, one of them in the editor (`active`). Share links and autosaves
/// written before machines were several hold `machine_name` and `machine` instead of `machines`:
/// they load as a workspace of that one machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "Stored")]
pub struct Workspace {
    /// The example this workspace started from, if any.
    pub example: Option<String>,
    /// The event, as JSON text.
    pub event: Text,
    /// The rules (`{"Rules": [...]}`), as JSON text.
    pub rules: Text,
    /// The state machines, in tab order; never empty.
    pub machines: Vec<MachineText>,
    /// Which machine the editor, graph and single runs show.
    pub active: usize,
    /// The task mocks, as JSON text.
    pub mocks: Text,
    /// The S3 objects (bucket → key → content), as JSON text.
    pub s3: Text,
    /// The System run's schedule window in seconds, when not the default (one of
    /// `components::schedule_window::WINDOWS`): a link or autosave keeps the pick.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_window: Option<i64>,
    /// What was pasted in the From AWS tab (a history, a template, sample events), so a link
    /// and the autosave keep it; not part of a run (no run goes stale when it changes).
    #[serde(default, skip_serializing_if = "AwsTexts::is_empty")]
    pub aws: AwsTexts,
}

/// The texts of the From AWS tab, as pasted.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AwsTexts {
    /// The `get-execution-history` output (with `describe-*` beside it).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub history: Text,
    /// The SAM or CloudFormation template.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub template: Text,
    /// The sample events of the events × rules table.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub events: Text,
}

/// One of the From AWS tab's texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsText {
    /// [`AwsTexts::history`].
    History,
    /// [`AwsTexts::template`].
    Template,
    /// [`AwsTexts::events`].
    Events,
}

impl AwsTexts {
    /// The text `which`, to change.
    pub fn text_mut(&mut self, which: AwsText) -> &mut Text {
        match which {
            AwsText::History => &mut self.history,
            AwsText::Template => &mut self.template,
            AwsText::Events => &mut self.events,
        }
    }

    /// Whether nothing was pasted.
    pub fn is_empty(&self) -> bool {
        self.history.is_empty() && self.template.is_empty() && self.events.is_empty()
    }

    /// Each text with its name in words, largest first (what a share link leaves out first).
    pub fn by_size(&self) -> Vec<(&'static str, usize)> {
        let mut out: Vec<(&'static str, usize)> = [
            ("the pasted history", self.history.len()),
            ("the template", self.template.len()),
            ("the sample events", self.events.len()),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .collect();
        out.sort_by_key(|t| std::cmp::Reverse(t.1));
        out
    }

    /// Empties the text named as [`AwsTexts::by_size`] names it.
    pub fn drop_named(&mut self, name: &str) {
        match name {
            "the pasted history" => self.history = Text::default(),
            "the template" => self.template = Text::default(),
            _ => self.events = Text::default(),
        }
    }
}

impl Default for Workspace {
    fn default() -> Self {
        Workspace {
            example: None,
            event: Text::default(),
            rules: Text::default(),
            machines: vec![MachineText {
                name: DEFAULT_MACHINE.to_owned(),
                text: Text::default(),
            }],
            active: 0,
            mocks: Text::default(),
            s3: Text::default(),
            schedule_window: None,
            aws: AwsTexts::default(),
        }
    }
}

/// The stored form, old (one machine) or new (several).
#[derive(Deserialize, Default)]
#[serde(default)]
struct Stored {
    example: Option<String>,
    event: Text,
    rules: Text,
    machine_name: Option<String>,
    machine: Option<String>,
    machines: Option<Vec<MachineText>>,
    active: usize,
    mocks: Text,
    s3: Text,
    schedule_window: Option<i64>,
    aws: AwsTexts,
}

impl From<Stored> for Workspace {
    fn from(s: Stored) -> Workspace {
        let mut machines = s.machines.unwrap_or_default();
        if machines.is_empty() {
            machines.push(MachineText {
                name: s
                    .machine_name
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| DEFAULT_MACHINE.to_owned()),
                text: s.machine.unwrap_or_default().into(),
            });
        }
        let active = s.active.min(machines.len() - 1);
        Workspace {
            example: s.example,
            event: s.event,
            rules: s.rules,
            machines,
            active,
            mocks: s.mocks,
            s3: s.s3,
            // Only a window the page offers: an odd number from a hand-made link is the default.
            schedule_window: s.schedule_window.filter(|w| {
                crate::components::schedule_window::WINDOWS
                    .iter()
                    .any(|(s, _)| s == w)
                    && *w != crate::components::schedule_window::DEFAULT_WINDOW
            }),
            aws: s.aws,
        }
    }
}

impl Workspace {
    /// The System run's schedule window, in seconds.
    pub fn window(&self) -> i64 {
        self.schedule_window
            .unwrap_or(crate::components::schedule_window::DEFAULT_WINDOW)
    }

    /// Each text with a name of its own (`event`, `machine/0`, `aws/history`…), to change: the
    /// autosave keeps the long ones under keys of their own.
    pub fn texts_mut(&mut self) -> Vec<(String, &mut Text)> {
        let mut out = vec![
            ("event".to_owned(), &mut self.event),
            ("rules".to_owned(), &mut self.rules),
            ("mocks".to_owned(), &mut self.mocks),
            ("s3".to_owned(), &mut self.s3),
            ("aws/history".to_owned(), &mut self.aws.history),
            ("aws/template".to_owned(), &mut self.aws.template),
            ("aws/events".to_owned(), &mut self.aws.events),
        ];
        for (i, m) in self.machines.iter_mut().enumerate() {
            out.push((format!("machine/{i}"), &mut m.text));
        }
        out
    }

    /// JSON text of the workspace (what share links and autosave store).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads what [`Workspace::to_json`] wrote (or the one-machine form before it); `None` when
    /// it is not a workspace.
    pub fn from_json(text: &str) -> Option<Workspace> {
        serde_json::from_str(text).ok()
    }

    /// The machine in the editor (`machines` is never empty; if it were, there is none).
    fn current(&self) -> Option<&MachineText> {
        let i = self.active.min(self.machines.len().saturating_sub(1));
        self.machines.get(i)
    }

    /// The machine in the editor, to change (one is added if there is none).
    pub fn current_mut(&mut self) -> &mut MachineText {
        if self.machines.is_empty() {
            self.machines.push(MachineText {
                name: DEFAULT_MACHINE.to_owned(),
                text: Text::default(),
            });
        }
        self.active = self.active.min(self.machines.len() - 1);
        &mut self.machines[self.active]
    }

    /// The text of the machine in the editor.
    pub fn machine(&self) -> &str {
        self.current().map_or("", |m| &m.text)
    }

    /// The text of the machine in the editor, shared (a clone is a pointer copy).
    pub fn machine_text(&self) -> Text {
        self.current().map(|m| m.text.clone()).unwrap_or_default()
    }

    /// The name of the machine in the editor.
    pub fn machine_name(&self) -> &str {
        self.current().map_or("", |m| &m.name)
    }

    /// The index of the machine called `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.machines.iter().position(|m| m.name == name)
    }

    /// Whether `name` can name a new machine (or machine `except` renamed): AWS's characters,
    /// and unique in the workspace. The error says why not, in words.
    pub fn check_new_name(&self, name: &str, except: Option<usize>) -> Result<(), String> {
        statebridge_engine::system::machines::check_name(name)?;
        match self.find(name) {
            Some(i) if Some(i) != except => Err(format!(
                "there is already a state machine named `{name}` in this workspace"
            )),
            _ => Ok(()),
        }
    }

    /// The machines as the engine's workspace holds them (name → definition); the first text
    /// that is not JSON stops it, with the machine's name.
    pub fn machine_values(&self) -> Result<serde_json::Map<String, Value>, String> {
        let mut out = serde_json::Map::new();
        for m in &self.machines {
            let v: Value = serde_json::from_str(&m.text).map_err(|e| {
                format!(
                    "The state machine `{}` is not JSON ({e}); fix it to run the system.",
                    m.name
                )
            })?;
            out.insert(m.name.clone(), v);
        }
        Ok(out)
    }
}

/// One example of the gallery.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Its identifier (the `name` field, or the file name).
    pub name: String,
    /// Its title for the picker.
    pub title: String,
    /// One or two sentences on what it shows.
    pub description: String,
    /// The workspace it loads; `None` until its file has been fetched ([`Example::url`]).
    pub workspace: Option<Workspace>,
}

impl Example {
    /// Where its file is, relative to the page.
    pub fn url(&self) -> String {
        format!("examples/{}.json", self.name)
    }
}

/// Reads an example workspace file (`{name,title,description,event,rules,machines,mocks}`).
pub fn read_example(stem: &str, text: &str) -> Option<Example> {
    let v: Value = serde_json::from_str(text).ok()?;
    let field = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    let name = field("name").unwrap_or_else(|| stem.to_owned());
    let machines: Vec<MachineText> = match v.get("machines") {
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, d)| MachineText {
                name: k.clone(),
                text: pretty(d).into(),
            })
            .collect(),
        _ => vec![MachineText {
            name: DEFAULT_MACHINE.to_owned(),
            text: pretty(v.get("machine").or_else(|| v.get("definition"))?).into(),
        }],
    };
    if machines.is_empty() {
        return None;
    }
    let text_of = |k: &str, default: Value| Text::from(pretty(v.get(k).unwrap_or(&default)));
    Some(Example {
        title: field("title").unwrap_or_else(|| name.clone()),
        description: field("description").unwrap_or_default(),
        workspace: Some(Workspace {
            example: Some(name.clone()),
            event: text_of("event", serde_json::json!({})),
            rules: text_of("rules", serde_json::json!({"Rules": []})),
            machines,
            active: 0,
            mocks: text_of("mocks", serde_json::json!({})),
            s3: v.get("s3").map(pretty).unwrap_or_default().into(),
            schedule_window: None,
            aws: AwsTexts::default(),
        }),
        name,
    })
}

/// The gallery, in the order of `www/examples/index.json`: every example's name, title and
/// description, and the first one's workspace (bundled; the others are fetched when picked).
/// Read once per page (the playground and an embed's two uses share it).
pub fn examples() -> Rc<Vec<Example>> {
    thread_local! {
        static LIST: Rc<Vec<Example>> = Rc::new(read_gallery());
    }
    LIST.with(Rc::clone)
}

fn read_gallery() -> Vec<Example> {
    let first = bundled::FIRST.and_then(|t| read_example("example", t));
    let mut list = bundled::INDEX.map(index_entries).unwrap_or_default();
    match (first, list.first_mut()) {
        // The file's own title and description win over the index's summary.
        (Some(f), Some(e)) if e.name == f.name => *e = f,
        (Some(f), _) => list.insert(0, f),
        (None, _) => {}
    }
    list
}

/// The entries of an examples index: `[{"name", "title", "description"}, …]` (or a list of file
/// names, or either under `"examples"`).
fn index_entries(text: &str) -> Vec<Example> {
    let Ok(index) = serde_json::from_str::<Value>(text) else {
        return vec![];
    };
    let items = index.get("examples").unwrap_or(&index);
    let Some(items) = items.as_array() else {
        return vec![];
    };
    items
        .iter()
        .filter_map(|i| {
            let field = |k: &str| i.get(k).and_then(Value::as_str).map(str::to_owned);
            let name = i.as_str().map(str::to_owned).or_else(|| field("name"))?;
            let name = name.trim_end_matches(".json").to_owned();
            Some(Example {
                title: field("title").unwrap_or_else(|| name.clone()),
                description: field("description").unwrap_or_default(),
                workspace: None,
                name,
            })
        })
        .collect()
}

/// Every example with its workspace, read from `www/examples/` (native tests).
#[cfg(test)]
pub fn examples_on_disk() -> Vec<Example> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/www/examples");
    examples()
        .iter()
        .map(|e| {
            let text = std::fs::read_to_string(format!("{dir}/{}.json", e.name)).unwrap();
            read_example(&e.name, &text).unwrap()
        })
        .collect()
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
        let ws = e.workspace.unwrap();
        assert_eq!(ws.machine_name(), "Flow");
        assert!(ws.event.contains("\"a\": 1"));
    }

    #[test]
    fn the_index_lists_every_example_file_and_the_first_is_bundled() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/www/examples");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|n| n.strip_suffix(".json").map(str::to_owned))
            .filter(|n| n != "index")
            .collect();
        files.sort();
        let list = examples();
        let mut listed: Vec<String> = list.iter().map(|e| e.name.clone()).collect();
        listed.sort();
        assert_eq!(listed, files);
        assert!(list[0].workspace.is_some());
        assert!(list[1..].iter().all(|e| e.workspace.is_none()));
        // Each file reads, and its name is the one the index gives it.
        let read: Vec<String> = examples_on_disk().into_iter().map(|e| e.name).collect();
        let names: Vec<String> = list.iter().map(|e| e.name.clone()).collect();
        assert_eq!(read, names);
    }

    #[test]
    fn a_system_example_holds_every_machine_in_file_order() {
        let list = examples_on_disk();
        let e = list.iter().find(|e| e.name == "system-orders").unwrap();
        let ws = e.workspace.as_ref().unwrap();
        let names: Vec<&str> = ws.machines.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "OrderFulfilment",
                "SalesAnalytics",
                "Accounting",
                "LegacyErpSync"
            ]
        );
        assert_eq!(ws.machine_name(), "OrderFulfilment");
    }

    #[test]
    fn an_old_one_machine_workspace_loads_as_one_machine() {
        // What autosave and share links held before workspaces had several machines.
        let old = r#"{"example":"order-processing","event":"{}","rules":"{ broken","machine_name":"order-processor","machine":"{\"StartAt\": \"A\"}","mocks":""}"#;
        let ws = Workspace::from_json(old).unwrap();
        assert_eq!(ws.machines.len(), 1);
        assert_eq!(ws.machine_name(), "order-processor");
        assert_eq!(ws.machine(), "{\"StartAt\": \"A\"}");
        assert_eq!(ws.rules, "{ broken");
        assert_eq!(ws.example.as_deref(), Some("order-processing"));
        // An unnamed one (the old default) gets the default name; no machine at all gives an empty one.
        let ws = Workspace::from_json(r#"{"machine_name":"","machine":"{}"}"#).unwrap();
        assert_eq!(ws.machine_name(), DEFAULT_MACHINE);
        let ws = Workspace::from_json("{}").unwrap();
        assert_eq!((ws.machines.len(), ws.machine()), (1, ""));
        // The new form round-trips, with the machine in the editor.
        let mut two = ws.clone();
        two.machines.push(MachineText {
            name: "Second".into(),
            text: "{ half".into(),
        });
        two.active = 1;
        assert_eq!(Workspace::from_json(&two.to_json()), Some(two.clone()));
        // An active index past the end (a hand-edited save) points at the last machine.
        let bad = two.to_json().replace("\"active\":1", "\"active\":9");
        assert_eq!(Workspace::from_json(&bad).map(|w| w.active), Some(1));
    }

    #[test]
    fn new_names_are_checked() {
        let mut ws = Workspace::default();
        ws.machines.push(MachineText {
            name: "Billing".into(),
            text: Default::default(),
        });
        assert_eq!(ws.check_new_name("Shipping", None), Ok(()));
        assert!(
            ws.check_new_name("Billing", None)
                .unwrap_err()
                .contains("already")
        );
        assert_eq!(ws.check_new_name("Billing", Some(1)), Ok(()));
        assert!(ws.check_new_name("Bill ing", None).is_err());
        assert!(ws.check_new_name("Bill:ing", None).is_err());
    }

    #[test]
    fn a_workspace_round_trips_as_json() {
        let ws = Workspace {
            event: "{ broken".into(),
            ..Workspace::default()
        };
        assert_eq!(Workspace::from_json(&ws.to_json()), Some(ws.clone()));
        // The From AWS texts go with it, and only when there are some.
        assert!(!ws.to_json().contains("aws"));
        let pasted = Workspace {
            aws: AwsTexts {
                history: "{\"events\": [".into(),
                template: "Resources:\n  A: !Ref B\n".into(),
                events: Default::default(),
            },
            ..ws
        };
        assert_eq!(
            Workspace::from_json(&pasted.to_json()),
            Some(pasted.clone())
        );
        assert_eq!(
            pasted.aws.by_size(),
            [("the template", 23), ("the pasted history", 12)]
        );
    }
}
