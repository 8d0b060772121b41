//! The editors slice: the user's texts (the workspace), the examples, Undo, and what the checks
//! found in the texts (the rules' verdicts, the machine's drawing and problems, the mocks'
//! problems). Its reducer edits texts and machines; what must follow elsewhere (checks asked
//! again, another machine shown, a notice) it returns as [`Signal`]s.

use super::Signal;
use crate::evaluate::{self, Diag, RulesView, Source};
use crate::workspace::{Example, MachineText, Text, Workspace};
use statebridge_engine::layout::Layout;
use std::rc::Rc;

/// Which editor an action is about.
pub type Field = Source;

/// The editors' texts and what the checks say about them.
#[derive(Debug, Clone, PartialEq)]
pub struct EditorsSlice {
    /// The editors' texts.
    pub ws: Workspace,
    /// The bundled examples.
    pub examples: Rc<Vec<Example>>,
    /// The workspace an example replaced, so loading one never loses the user's work.
    pub undo: Option<Workspace>,
    /// The example being fetched, if one is: Run and its kin wait for it.
    pub loading: Option<String>,
    /// Whether the rules, machine and mocks have been checked since the state was made: a page
    /// paints its first frame before they are.
    pub checked: bool,
    /// The rules' verdicts for the current event.
    pub rules: Rc<RulesView>,
    /// The machine's problems.
    pub machine_diags: Rc<Vec<Diag>>,
    /// The graph of the last machine text that parsed (or of the execution opened).
    pub layout: Option<Rc<Layout>>,
    /// Problems in the mocks and S3 texts.
    pub mocks_diags: Rc<Vec<Diag>>,
}

/// What the editors can be asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum EditorsAction {
    /// The user typed in an editor.
    Edit(Field, String),
    /// Format an editor's JSON.
    Format(Field),
    /// Format every editor whose text is valid JSON.
    FormatAll,
    /// Replace the mocks text (from the graph's mock form).
    SetMocks(String),
    /// Show machine `n` in the editor, graph and runs.
    SelectMachine(usize),
    /// Add a machine with this name (checked again here) and show it.
    AddMachine(String),
    /// Rename machine `n` (rule targets naming it follow).
    RenameMachine(usize, String),
    /// Delete machine `n` (kept for Undo).
    DeleteMachine(usize),
    /// A text of the From AWS tab changed (kept with the workspace: links, autosave).
    SetAwsText(crate::workspace::AwsText, String),
}

/// The definition a new machine starts with: one Pass state, so the graph has something to show.
pub const NEW_MACHINE: &str = r#"{
  "Comment": "A new state machine: edit its states here",
  "StartAt": "Start",
  "States": {
    "Start": {
      "Type": "Pass",
      "End": true
    }
  }
}"#;

impl EditorsSlice {
    /// `ws` in the editors, not checked yet.
    pub fn new(ws: Workspace, examples: Rc<Vec<Example>>) -> EditorsSlice {
        EditorsSlice {
            ws,
            examples,
            undo: None,
            loading: None,
            checked: false,
            rules: Rc::new(RulesView {
                outcomes: evaluate::Pane::Unavailable(
                    "Routing the event through the rules…".into(),
                ),
                diags: vec![],
                note: None,
            }),
            machine_diags: Rc::default(),
            layout: None,
            mocks_diags: Rc::default(),
        }
    }

    /// An editor's text.
    pub fn text(&self, field: Field) -> &str {
        match field {
            Source::Event => &self.ws.event,
            Source::Rules => &self.ws.rules,
            Source::Machine => self.ws.machine(),
            Source::Mocks => &self.ws.mocks,
            Source::S3 => &self.ws.s3,
        }
    }

    /// An editor's text, shared (a clone is a pointer copy: a render passes it on without
    /// copying a 2 MB event).
    pub fn shared_text(&self, field: Field) -> Text {
        match field {
            Source::Event => self.ws.event.clone(),
            Source::Rules => self.ws.rules.clone(),
            Source::Machine => self.ws.machine_text(),
            Source::Mocks => self.ws.mocks.clone(),
            Source::S3 => self.ws.s3.clone(),
        }
    }

    fn text_mut(&mut self, field: Field) -> &mut Text {
        match field {
            Source::Event => &mut self.ws.event,
            Source::Rules => &mut self.ws.rules,
            Source::Machine => &mut self.ws.current_mut().text,
            Source::Mocks => &mut self.ws.mocks,
            Source::S3 => &mut self.ws.s3,
        }
    }

    /// Every diagnostic of the texts, editor by editor.
    pub fn diagnostics(&self) -> Vec<Diag> {
        let mut all = self.rules.diags.clone();
        all.extend(self.machine_diags.iter().cloned());
        all.extend(self.mocks_diags.iter().cloned());
        all
    }
}

/// The editors an action formats (their texts formatted are handed to [`reduce`]: a long
/// text is formatted by the engine's worker).
pub fn formats(action: &EditorsAction) -> &'static [Field] {
    match action {
        EditorsAction::Format(Source::Event) => &[Source::Event],
        EditorsAction::Format(Source::Rules) => &[Source::Rules],
        EditorsAction::Format(Source::Machine) => &[Source::Machine],
        EditorsAction::Format(Source::Mocks) => &[Source::Mocks],
        EditorsAction::Format(Source::S3) => &[Source::S3],
        EditorsAction::FormatAll => &[Source::Event, Source::Rules, Source::Machine, Source::Mocks],
        _ => &[],
    }
}

/// Formats the editors' texts the way [`formats`] asked for them (`formatted`, in its order).
pub type Formatted = Vec<(Field, Result<String, Diag>)>;

/// Applies an editors action (`formatted`: the texts [`formats`] named, formatted).
pub fn reduce(s: &mut EditorsSlice, action: EditorsAction, formatted: Formatted) -> Vec<Signal> {
    match action {
        EditorsAction::Edit(field, text) => {
            *s.text_mut(field) = text.into();
            if field == Source::Mocks || field == Source::S3 {
                vec![Signal::CheckMocks]
            } else {
                vec![]
            }
        }
        EditorsAction::Format(field) => match formatted.into_iter().find(|(f, _)| *f == field) {
            Some((_, Ok(text))) => {
                *s.text_mut(field) = text.into();
                vec![Signal::Recheck]
            }
            Some((_, Err(d))) => vec![Signal::Notice(format!(
                "Cannot format the {}: {}",
                field.title().to_lowercase(),
                d.message
            ))],
            None => vec![],
        },
        EditorsAction::FormatAll => {
            for (field, result) in formatted {
                if let Ok(text) = result {
                    *s.text_mut(field) = text.into();
                }
            }
            vec![Signal::Recheck]
        }
        EditorsAction::SetMocks(text) => {
            s.ws.mocks = text.into();
            vec![Signal::CheckMocks]
        }
        EditorsAction::SetAwsText(which, text) => {
            *s.ws.aws.text_mut(which) = text.into();
            Vec::new()
        }
        EditorsAction::SelectMachine(i) => {
            if i < s.ws.machines.len() && i != s.ws.active {
                vec![Signal::ShowMachine(i)]
            } else {
                vec![]
            }
        }
        EditorsAction::AddMachine(name) => {
            let name = name.trim().to_owned();
            match s.ws.check_new_name(&name, None) {
                Ok(()) => {
                    s.ws.machines.push(MachineText {
                        name: name.clone(),
                        text: NEW_MACHINE.into(),
                    });
                    let last = s.ws.machines.len() - 1;
                    vec![
                        Signal::ShowMachine(last),
                        Signal::Notice(format!(
                            "Added the state machine “{name}”. A rule target starts it with \"StateMachine\": \"{name}\" (or an ARN ending in :stateMachine:{name})."
                        )),
                    ]
                }
                Err(why) => vec![Signal::Notice(format!("Cannot add that machine: {why}."))],
            }
        }
        EditorsAction::RenameMachine(i, name) => {
            let name = name.trim().to_owned();
            let Some(old) = s.ws.machines.get(i).map(|m| m.name.clone()) else {
                return vec![];
            };
            if old == name {
                return vec![];
            }
            match s.ws.check_new_name(&name, Some(i)) {
                Ok(()) => {
                    let previous = s.ws.clone();
                    s.ws.machines[i].name = name.clone();
                    let mut rules = s.ws.rules.to_string();
                    let moved = rename_targets(&mut rules, &old, &name);
                    if moved > 0 {
                        s.ws.rules = rules.into();
                    }
                    s.undo = Some(previous);
                    let notice = match moved {
                        0 => format!("Renamed “{old}” to “{name}”."),
                        1 => format!(
                            "Renamed “{old}” to “{name}”, and the rule target that started it."
                        ),
                        n => format!(
                            "Renamed “{old}” to “{name}”, and the {n} rule targets that started it."
                        ),
                    };
                    vec![Signal::Notice(notice), Signal::SystemStale, Signal::Recheck]
                }
                Err(why) => vec![Signal::Notice(format!("Cannot rename “{old}”: {why}."))],
            }
        }
        EditorsAction::DeleteMachine(i) => {
            if s.ws.machines.len() < 2 || i >= s.ws.machines.len() {
                return vec![Signal::Notice(
                    "A workspace keeps at least one state machine.".into(),
                )];
            }
            let previous = s.ws.clone();
            let gone = s.ws.machines.remove(i);
            let next = if s.ws.active > i || s.ws.active >= s.ws.machines.len() {
                s.ws.active.saturating_sub(1)
            } else {
                s.ws.active
            };
            s.ws.active = next;
            s.undo = Some(previous);
            vec![
                Signal::Notice(format!(
                    "Deleted the state machine “{}”. Press Undo to get it back.",
                    gone.name
                )),
                Signal::SystemStale,
                Signal::ShowMachine(next),
            ]
        }
    }
}

/// Points rule targets that start machine `old` at `new` (their `StateMachine` name and their
/// state machine ARN, keeping any `:version` or `:alias`); returns how many changed. Rules text
/// that is not JSON is left as typed.
pub fn rename_targets(rules: &mut String, old: &str, new: &str) -> usize {
    let Ok(mut doc) = serde_json::from_str::<serde_json::Value>(rules) else {
        return 0;
    };
    let mut changed = 0;
    let list = doc.get_mut("Rules").and_then(|r| r.as_array_mut());
    for rule in list.into_iter().flatten() {
        let targets = rule.get_mut("Targets").and_then(|t| t.as_array_mut());
        for t in targets.into_iter().flatten() {
            let mut hit = false;
            if let Some(serde_json::Value::String(sm)) = t.get_mut("StateMachine") {
                let (name, q) = statebridge_engine::system::machines::split_qualifier(sm);
                if name == old {
                    *sm = q.map_or_else(|| new.to_owned(), |q| format!("{new}:{q}"));
                    hit = true;
                }
            }
            if let Some(serde_json::Value::String(arn)) = t.get_mut("Arn")
                && let Some((head, rest)) = arn.split_once(":stateMachine:")
            {
                let (name, q) = statebridge_engine::system::machines::split_qualifier(rest);
                if name == old {
                    let q = q.map(|q| format!(":{q}")).unwrap_or_default();
                    *arn = format!("{head}:stateMachine:{new}{q}");
                    hit = true;
                }
            }
            changed += usize::from(hit);
        }
    }
    if changed > 0 {
        *rules = evaluate::pretty(&doc);
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice() -> EditorsSlice {
        EditorsSlice::new(Workspace::default(), Rc::default())
    }

    #[test]
    fn renaming_a_machine_moves_its_targets() {
        let mut rules = r#"{"Rules": [{"Name": "r", "EventPattern": {}, "Targets": [
            {"Id": "a", "Arn": "arn:aws:states:us-east-1:1:stateMachine:Old", "StateMachine": "Old"},
            {"Id": "b", "Arn": "arn:aws:states:us-east-1:1:stateMachine:Old:live"},
            {"Id": "c", "Arn": "arn:aws:states:us-east-1:1:stateMachine:Older"}]}]}"#
            .to_owned();
        assert_eq!(rename_targets(&mut rules, "Old", "New"), 2);
        assert!(rules.contains("\"StateMachine\": \"New\""));
        assert!(rules.contains("stateMachine:New:live"));
        assert!(rules.contains("stateMachine:Older"));
        let mut broken = "{ not json".to_owned();
        assert_eq!(rename_targets(&mut broken, "Old", "New"), 0);
        assert_eq!(broken, "{ not json");
    }

    #[test]
    fn an_edit_changes_only_its_text_and_asks_nothing() {
        let mut s = slice();
        let before = s.clone();
        let out = reduce(
            &mut s,
            EditorsAction::Edit(Source::Event, "{}".into()),
            vec![],
        );
        assert!(out.is_empty());
        assert_eq!(s.ws.event, "{}");
        assert_eq!(
            (s.ws.rules.as_str(), s.ws.machine()),
            (before.ws.rules.as_str(), before.ws.machine())
        );
    }

    fn format(s: &mut EditorsSlice, field: Field) -> Vec<Signal> {
        let action = EditorsAction::Format(field);
        let done = formats(&action)
            .iter()
            .map(|f| (*f, evaluate::format(*f, s.text(*f))))
            .collect();
        reduce(s, action, done)
    }

    #[test]
    fn formatting_asks_for_the_checks_or_says_why_not() {
        let mut s = slice();
        let edit = |t: &str| EditorsAction::Edit(Source::Event, t.to_owned());
        reduce(&mut s, edit(r#"{"a":1}"#), vec![]);
        let out = format(&mut s, Source::Event);
        assert_eq!(out, vec![Signal::Recheck]);
        assert!(s.ws.event.contains('\n'));
        let out = reduce(
            &mut s,
            EditorsAction::Edit(Source::Mocks, "{}".into()),
            vec![],
        );
        assert_eq!(out, vec![Signal::CheckMocks], "the mocks are checked again");
        reduce(&mut s, edit("{ nope"), vec![]);
        let out = format(&mut s, Source::Event);
        assert!(
            matches!(&out[..], [Signal::Notice(n)] if n.starts_with("Cannot format the event"))
        );
        assert_eq!(s.ws.event, "{ nope");
    }

    #[test]
    fn machines_are_added_and_deleted_with_signals_for_the_other_slices() {
        let mut s = slice();
        let out = reduce(
            &mut s,
            EditorsAction::AddMachine(" Billing ".into()),
            vec![],
        );
        assert_eq!(s.ws.machines.len(), 2);
        assert!(matches!(out[0], Signal::ShowMachine(1)));
        let out = reduce(&mut s, EditorsAction::AddMachine("Billing".into()), vec![]);
        assert!(matches!(&out[..], [Signal::Notice(n)] if n.contains("already")));
        let out = reduce(&mut s, EditorsAction::SelectMachine(5), vec![]);
        assert!(out.is_empty(), "no machine 5");
        let out = reduce(&mut s, EditorsAction::DeleteMachine(1), vec![]);
        assert!(out.contains(&Signal::SystemStale) && out.contains(&Signal::ShowMachine(0)));
        assert!(s.undo.as_ref().is_some_and(|u| u.machines.len() == 2));
        let out = reduce(&mut s, EditorsAction::DeleteMachine(0), vec![]);
        assert!(matches!(&out[..], [Signal::Notice(n)] if n.contains("at least one")));
    }
}
