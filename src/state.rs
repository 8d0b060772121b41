//! The playground's state and the actions that change it (one reducer, so every change is one
//! `Action` and the components stay plain views).

use crate::evaluate::{self, Diag, MachineView, RulesView, Source};
use crate::execution::RunView;
use crate::workspace::{Example, Workspace};
use statebridge_engine::layout::Layout;
use std::rc::Rc;
use yew::Reducible;

/// Which editor an action is about.
pub type Field = Source;

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The editors' texts.
    pub ws: Workspace,
    /// The bundled examples.
    pub examples: Rc<Vec<Example>>,
    /// The rules' verdicts for the current event (re-evaluated, debounced, as the user types).
    pub rules: Rc<RulesView>,
    /// The machine's problems.
    pub machine_diags: Rc<Vec<Diag>>,
    /// The graph of the last machine text that parsed.
    pub layout: Option<Rc<Layout>>,
    /// Problems in the mocks text.
    pub mocks_diags: Rc<Vec<Diag>>,
    /// The last run, if any.
    pub run: Option<Rc<RunView>>,
    /// The answers the user sent to the run's task tokens (`asl::callbacks`' list), in order.
    pub callbacks: Vec<serde_json::Value>,
    /// How many times the user redrove the run.
    pub redrives: u32,
    /// How many history events are shown (0 = before the start, `len` = all).
    pub cursor: usize,
    /// Whether playback is running.
    pub playing: bool,
    /// Playback speed factor (1 = normal).
    pub speed: f64,
    /// The state whose details the inspector shows.
    pub selected: Option<String>,
    /// The workspace an example replaced, so loading one never loses the user's work.
    pub undo: Option<Workspace>,
    /// A one-line message for the user (e.g. "Example loaded — Undo").
    pub notice: Option<String>,
    /// Whether the keyboard help is open.
    pub help: bool,
    /// The last system run (bus log, executions, dead letters) and which execution is open.
    pub system: Option<Rc<crate::components::system::SystemView>>,
    /// The system execution shown in the graph, if any.
    pub system_open: Option<usize>,
    /// Run, Step and SeekEnd asked for while the JSONata engine was loading: done when it is in.
    pub pending: Vec<Action>,
    /// Whether the rules, machine and mocks have been checked since the state was made: a page
    /// paints its first frame before they are ([`State::unchecked`]).
    pub checked: bool,
    /// The example being fetched, if one is: Run and its kin wait for it (in `pending`).
    pub loading: Option<String>,
    /// The run's moment a share link opened the page with: shown once the checks have run.
    pub opening: Option<crate::link::View>,
}

/// Every change the page can make.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user typed in an editor.
    Edit(Field, String),
    /// Format an editor's JSON.
    Format(Field),
    /// Run every check (rules, machine, mocks): once, just after the first frame is painted.
    Check,
    /// Re-route the event through the rules (after the typing pause).
    EvaluateRules,
    /// Re-validate and re-draw the machine (after the typing pause).
    InspectMachine,
    /// Load the example with this name (keeping the current workspace for undo); one not
    /// fetched yet is asked for with [`crate::app::pick_example`] instead.
    LoadExample(String),
    /// An example's file is on its way.
    ExampleLoading(String),
    /// An example's file arrived (or why it did not): keep it, load it, then do what waited.
    ExampleFetched(String, Result<String, String>),
    /// Put back the workspace the last example replaced.
    Undo,
    /// Replace the whole workspace with one from a share link opened into the running page
    /// (keeping the current one for undo), and show its run's moment when the link has one.
    Restore(Workspace, Option<crate::link::View>),
    /// Run, then show the run at a moment with a state inspected (a share link's view).
    Show(crate::link::View),
    /// Run the machine and play the execution from its start.
    Run,
    /// One history event forward (runs first when there is no run).
    Step,
    /// One history event back.
    StepBack,
    /// Forget the run.
    Reset,
    /// Show the first `n` events.
    Seek(usize),
    /// Playback on or off.
    SetPlaying(bool),
    /// Playback on if off, off if on.
    TogglePlay,
    /// Show every event.
    SeekEnd,
    /// Format every editor whose text is valid JSON.
    FormatAll,
    /// Close the help, else the inspector.
    Escape,
    /// Playback speed.
    SetSpeed(f64),
    /// Inspect a state (None closes the inspector).
    Select(Option<String>),
    /// Replace the mocks text (from the graph's mock form).
    SetMocks(String),
    /// Show or hide the keyboard help.
    ToggleHelp,
    /// Show a one-line message (None hides it).
    Notice(Option<String>),
    /// Run the whole system, or open one of its executions.
    System(crate::components::system::SystemAction),
    /// Show machine `n` in the editor, graph and runs.
    SelectMachine(usize),
    /// Add a machine with this name (checked again here) and show it.
    AddMachine(String),
    /// Rename machine `n` (rule targets naming it follow).
    RenameMachine(usize, String),
    /// Delete machine `n` (kept for Undo).
    DeleteMachine(usize),
    /// The JSONata engine has loaded (`true`) or could not be (`false`).
    JsonataReady(bool),
    /// Answer a task token of the paused run (a callbacks list entry) and go on from there.
    Callback(serde_json::Value),
    /// Redrive the run that ended unsuccessfully (RedriveExecution) and go on from there.
    Redrive,
    /// The engine's worker answered: do what waited for it.
    Worked,
    /// Show a history pasted from AWS on the graph, scrubber, history and inspector.
    OpenHistory(crate::artifacts::HistoryRun),
    /// A template's rules and machines replace the workspace's (kept for Undo).
    ImportTemplate(crate::artifacts::Imported),
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

impl State {
    /// A state with `ws` in the editors, checked (tests; the pages start [`State::unchecked`]).
    #[cfg(test)]
    pub fn new(ws: Workspace, examples: Rc<Vec<Example>>, notice: Option<String>) -> State {
        let mut s = State::unchecked(ws, examples, notice);
        s.refresh_all();
        s
    }

    /// A state whose checks (rules routed, machine validated and drawn, mocks read) have not run
    /// yet: the page's first frame shows the editors and the controls without waiting for them,
    /// and [`Action::Check`] runs them right after it is painted. Any other action runs them first.
    pub fn unchecked(ws: Workspace, examples: Rc<Vec<Example>>, notice: Option<String>) -> State {
        State {
            ws,
            examples,
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
            run: None,
            cursor: 0,
            playing: false,
            speed: 1.0,
            selected: None,
            undo: None,
            notice,
            help: false,
            system: None,
            system_open: None,
            callbacks: vec![],
            redrives: 0,
            pending: vec![],
            checked: false,
            loading: None,
            opening: None,
        }
    }

    pub(crate) fn refresh_all(&mut self) {
        self.checked = true;
        self.evaluate_rules();
        self.inspect_machine();
        self.check_mocks();
    }

    // The checks and runs are the worker's (`crate::worker`): until it answers, the last ones stay.
    fn evaluate_rules(&mut self) {
        if let Some(rules) = crate::worker::rules(&self.ws) {
            self.rules = rules;
        }
    }

    /// Shows machine `i`: its graph, its rules' targets, no run of another machine.
    fn show_machine(&mut self, i: usize) {
        self.ws.active = i.min(self.ws.machines.len().saturating_sub(1));
        self.run = None;
        self.cursor = 0;
        self.playing = false;
        self.selected = None;
        self.system_open = None;
        self.layout = None;
        self.refresh_all();
    }

    fn inspect_machine(&mut self) {
        let Some(MachineView { layout, diags }) = crate::worker::machine(self.ws.machine()) else {
            return;
        };
        if layout.is_some() {
            self.layout = layout;
        }
        self.machine_diags = Rc::new(diags);
    }

    fn check_mocks(&mut self) {
        let machines: Vec<&str> = self.ws.machines.iter().map(|m| m.text.as_str()).collect();
        let mut diags = evaluate::check_mocks(&self.ws.mocks, &machines, &self.ws.rules);
        diags.extend(evaluate::read_s3(&self.ws.s3).err());
        self.mocks_diags = Rc::new(diags);
    }

    /// Every diagnostic, editor by editor.
    pub fn diagnostics(&self) -> Vec<Diag> {
        let mut all = self.rules.diags.clone();
        all.extend(self.machine_diags.iter().cloned());
        all.extend(self.mocks_diags.iter().cloned());
        if let Some(run) = &self.run {
            all.extend(run.diags.iter().cloned());
        }
        all
    }

    fn text_mut(&mut self, field: Field) -> &mut String {
        match field {
            Source::Event => &mut self.ws.event,
            Source::Rules => &mut self.ws.rules,
            Source::Machine => &mut self.ws.current_mut().text,
            Source::Mocks => &mut self.ws.mocks,
            Source::S3 => &mut self.ws.s3,
        }
    }

    fn start_run(&mut self) {
        // The reducer waited for it (`worker::must_wait`).
        if let Some(run) = crate::worker::run(&self.ws, &self.callbacks, self.redrives) {
            self.run = Some(run);
        }
        self.cursor = 0;
    }

    fn run_len(&self) -> usize {
        self.run.as_ref().map_or(0, |r| r.replay.len())
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        if !s.checked {
            s.refresh_all();
        }
        // A machine that uses JSONata waits for its engine (on its way): run when it is in.
        let waits = match &action {
            Action::Run | Action::Step | Action::SeekEnd | Action::Show(_) => {
                !s.pending.is_empty()
                    || s.loading.is_some()
                    || crate::jsonata::must_wait(s.ws.machine())
            }
            Action::System(
                crate::components::system::SystemAction::Run
                | crate::components::system::SystemAction::Window(..)
                | crate::components::system::SystemAction::Replay(..),
            ) => {
                !s.pending.is_empty()
                    || s.loading.is_some()
                    || s.ws
                        .machines
                        .iter()
                        .any(|m| crate::jsonata::must_wait(&m.text))
                    || crate::jsonata::must_wait(&s.ws.rules)
            }
            _ => false,
        };
        if waits {
            if s.pending.is_empty() && s.loading.is_none() {
                s.notice = Some("Loading the JSONata engine…".into());
                crate::jsonata::start();
            }
            if !s.pending.contains(&action) {
                s.pending.push(action);
            }
            return Rc::new(s);
        }
        if crate::worker::must_wait(&s, &action) {
            if !s.pending.contains(&action) {
                s.pending.push(action);
            }
            return Rc::new(s);
        }
        match action {
            Action::Edit(field, text) => {
                *s.text_mut(field) = text;
                if field == Source::Mocks || field == Source::S3 {
                    s.check_mocks();
                }
            }
            Action::Format(field) => match evaluate::format(field, s.text_mut(field)) {
                Ok(text) => {
                    *s.text_mut(field) = text;
                    s.refresh_all();
                }
                Err(d) => {
                    s.notice = Some(format!(
                        "Cannot format the {}: {}",
                        field.title().to_lowercase(),
                        d.message
                    ))
                }
            },
            // The checks ran above, if they had not yet; a share link's run is shown next.
            Action::Check => {
                if let Some(view) = s.opening.take() {
                    return Rc::new(s).reduce(Action::Show(view));
                }
            }
            Action::EvaluateRules => {
                s.evaluate_rules();
                // The rules' pipes name the enrichments the mocks may answer for.
                s.check_mocks();
            }
            Action::InspectMachine => {
                s.inspect_machine();
                s.check_mocks();
            }
            Action::ExampleLoading(name) => {
                let title = s.examples.iter().find(|e| e.name == name);
                s.notice = Some(format!("Loading “{}”…", title.map_or(&name, |e| &e.title)));
                s.loading = Some(name);
            }
            Action::ExampleFetched(name, text) => {
                if s.loading.as_ref() == Some(&name) {
                    s.loading = None;
                }
                let pending = if s.loading.is_none() {
                    std::mem::take(&mut s.pending)
                } else {
                    vec![]
                };
                let read = text.and_then(|t| {
                    crate::workspace::read_example(&name, &t)
                        .filter(|e| e.workspace.is_some() && e.name == name)
                        .ok_or_else(|| "its file is not an example workspace".to_owned())
                });
                match read {
                    Ok(example) => {
                        let mut list = (*s.examples).clone();
                        if let Some(e) = list.iter_mut().find(|e| e.name == name) {
                            *e = example;
                        }
                        s.examples = Rc::new(list);
                        s.notice = None;
                        let mut next = Rc::new(s).reduce(Action::LoadExample(name));
                        for a in pending {
                            next = next.reduce(a);
                        }
                        return next;
                    }
                    // What waited for the example is dropped with it.
                    Err(why) => {
                        s.notice = Some(format!("Could not load the example “{name}”: {why}."))
                    }
                }
            }
            Action::LoadExample(name) => {
                let Some((example, title)) = s
                    .examples
                    .iter()
                    .find(|e| e.name == name)
                    .and_then(|e| Some((e.workspace.clone()?, e.title.clone())))
                else {
                    return self;
                };
                // What was pasted in the From AWS tab is not part of an example: it stays.
                let example = Workspace {
                    aws: s.ws.aws.clone(),
                    ..example
                };
                if s.ws != example {
                    s.undo = Some(std::mem::replace(&mut s.ws, example));
                    s.notice = Some(format!(
                        "Loaded “{title}”. Your previous work is kept: press Undo to get it back."
                    ));
                }
                s.run = None;
                s.selected = None;
                s.playing = false;
                s.refresh_all();
            }
            Action::Undo => {
                if let Some(previous) = s.undo.take() {
                    s.ws = previous;
                    s.run = None;
                    s.notice = None;
                    s.selected = None;
                    s.system_open = None;
                    s.layout = None;
                    s.refresh_all();
                }
            }
            Action::Restore(ws, view) => {
                if s.ws != ws {
                    s.undo = Some(std::mem::replace(&mut s.ws, ws));
                    s.notice = Some(
                        "Opened the workspace from the share link. Your previous work is kept: press Undo to get it back."
                            .into(),
                    );
                }
                s.run = None;
                s.selected = None;
                s.playing = false;
                s.refresh_all();
                if let Some(view) = view {
                    return Rc::new(s).reduce(Action::Show(view));
                }
            }
            Action::Run => {
                s.refresh_all();
                // A new run: the answers and redrives belonged to the last one.
                s.callbacks.clear();
                s.redrives = 0;
                s.start_run();
                s.playing = s.run_len() > 0;
            }
            Action::Step => {
                s.playing = false;
                if s.run.is_none() {
                    s.refresh_all();
                    s.start_run();
                }
                s.cursor = (s.cursor + 1).min(s.run_len());
            }
            Action::Callback(answer) => {
                // The run is replayed with one more answer (deterministic: the same up to the
                // pause) and shown from the pause on.
                let from = s.run_len();
                s.callbacks.push(answer);
                s.start_run();
                s.cursor = from.min(s.run_len());
                s.playing = s.run_len() > s.cursor;
            }
            Action::Redrive => {
                // The same execution, redriven once more (deterministic up to where it ended),
                // shown from its ExecutionRedriven event on.
                let from = s.run_len();
                s.redrives += 1;
                s.start_run();
                s.cursor = from.min(s.run_len());
                s.playing = s.run_len() > s.cursor;
            }
            Action::StepBack => {
                s.playing = false;
                s.cursor = s.cursor.saturating_sub(1);
            }
            Action::Reset => {
                s.run = None;
                s.cursor = 0;
                s.playing = false;
            }
            Action::Seek(n) => s.cursor = n.min(s.run_len()),
            Action::Show(view) => {
                s.refresh_all();
                // The run as it was seen: with the answers sent to its callbacks and its redrives.
                s.callbacks = view.callbacks;
                s.redrives = view.redrives;
                s.start_run();
                s.playing = false;
                s.cursor = view.at.min(s.run_len());
                // Only a state the machine has (a link is text anyone can edit).
                s.selected = view.state.filter(|name| {
                    s.layout.as_ref().is_some_and(|l| {
                        l.nodes.iter().any(|n| !name.is_empty() && n.state == *name)
                    })
                });
                if s.run.is_some() {
                    let shown = format!(
                        "Its run is shown at event {} of {}{}.",
                        s.cursor,
                        s.run_len(),
                        s.selected
                            .as_ref()
                            .map_or_else(String::new, |n| format!(", “{n}” inspected"))
                    );
                    s.notice = Some(match s.notice.take() {
                        Some(before) => format!("{before} {shown}"),
                        None => shown,
                    });
                }
            }
            Action::SetPlaying(on) => {
                if on && s.cursor >= s.run_len() {
                    s.cursor = 0;
                }
                s.playing = on && s.run_len() > 0;
            }
            Action::TogglePlay => {
                let on = !s.playing;
                if on && s.cursor >= s.run_len() {
                    s.cursor = 0;
                }
                s.playing = on && s.run_len() > 0;
            }
            Action::SeekEnd => {
                s.playing = false;
                s.cursor = s.run_len();
            }
            Action::FormatAll => {
                for field in [Source::Event, Source::Rules, Source::Machine, Source::Mocks] {
                    if let Ok(text) = evaluate::format(field, s.text_mut(field)) {
                        *s.text_mut(field) = text;
                    }
                }
                s.refresh_all();
            }
            Action::Escape => {
                if s.help {
                    s.help = false;
                } else {
                    s.selected = None;
                }
            }
            Action::SetSpeed(x) => s.speed = x.clamp(0.1, 100.0),
            Action::Select(name) => s.selected = name,
            Action::SetMocks(text) => {
                s.ws.mocks = text;
                s.check_mocks();
            }
            Action::ToggleHelp => s.help = !s.help,
            Action::Notice(n) => s.notice = n,
            Action::System(a) => crate::components::system::reduce(&mut s, a),
            Action::SelectMachine(i) => {
                if i < s.ws.machines.len() && i != s.ws.active {
                    s.show_machine(i);
                }
            }
            Action::AddMachine(name) => {
                let name = name.trim().to_owned();
                match s.ws.check_new_name(&name, None) {
                    Ok(()) => {
                        s.ws.machines.push(crate::workspace::MachineText {
                            name: name.clone(),
                            text: NEW_MACHINE.to_owned(),
                        });
                        let last = s.ws.machines.len() - 1;
                        s.show_machine(last);
                        s.notice = Some(format!(
                            "Added the state machine “{name}”. A rule target starts it with \"StateMachine\": \"{name}\" (or an ARN ending in :stateMachine:{name})."
                        ));
                    }
                    Err(why) => s.notice = Some(format!("Cannot add that machine: {why}.")),
                }
            }
            Action::RenameMachine(i, name) => {
                let name = name.trim().to_owned();
                let Some(old) = s.ws.machines.get(i).map(|m| m.name.clone()) else {
                    return self;
                };
                if old == name {
                    return self;
                }
                match s.ws.check_new_name(&name, Some(i)) {
                    Ok(()) => {
                        let previous = s.ws.clone();
                        s.ws.machines[i].name = name.clone();
                        let moved = rename_targets(&mut s.ws.rules, &old, &name);
                        s.undo = Some(previous);
                        s.notice = Some(match moved {
                            0 => format!("Renamed “{old}” to “{name}”."),
                            1 => format!(
                                "Renamed “{old}” to “{name}”, and the rule target that started it."
                            ),
                            n => format!(
                                "Renamed “{old}” to “{name}”, and the {n} rule targets that started it."
                            ),
                        });
                        s.system = None;
                        s.system_open = None;
                        s.refresh_all();
                    }
                    Err(why) => s.notice = Some(format!("Cannot rename “{old}”: {why}.")),
                }
            }
            Action::DeleteMachine(i) => {
                if s.ws.machines.len() < 2 || i >= s.ws.machines.len() {
                    s.notice = Some("A workspace keeps at least one state machine.".into());
                    return Rc::new(s);
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
                s.notice = Some(format!(
                    "Deleted the state machine “{}”. Press Undo to get it back.",
                    gone.name
                ));
                s.system = None;
                s.show_machine(next);
            }
            Action::OpenHistory(h) => {
                if let Some(layout) = h.layout {
                    s.layout = Some(layout);
                }
                s.run = Some(h.run);
                s.system_open = None;
                s.selected = None;
                s.callbacks.clear();
                s.redrives = 0;
                s.cursor = 0;
                s.playing = s.run_len() > 0;
                s.notice = Some(format!(
                    "Replaying the pasted history ({} events) on {}.",
                    s.run_len(),
                    h.definition_from
                ));
            }
            Action::ImportTemplate(i) => {
                s.undo = Some(std::mem::replace(&mut s.ws, i.ws));
                let machines = match i.machines.len() {
                    0 => "no state machine (the workspace's stay)".to_owned(),
                    1 => "1 state machine".to_owned(),
                    n => format!("{n} state machines"),
                };
                // The mocks of states the template's machines do not have would only be flagged
                // as never used: they go (Undo brings them back).
                let texts: Vec<&str> = s.ws.machines.iter().map(|m| m.text.as_str()).collect();
                let pruned = evaluate::prune_mocks(&s.ws.mocks, &texts, &s.ws.rules);
                let mocks = match pruned {
                    Some((text, gone)) => {
                        s.ws.mocks = text;
                        format!(
                            " The mocks of {} (not in the template's machines) were removed.",
                            gone.iter()
                                .map(|g| format!("`{g}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                    None => String::new(),
                };
                s.notice = Some(format!(
                    "Imported the template: {} rule(s) and {machines} now make the workspace.{mocks} Your previous work is kept: press Undo to get it back.",
                    i.rules.len(),
                ));
                s.run = None;
                s.selected = None;
                s.playing = false;
                s.system = None;
                s.system_open = None;
                s.layout = None;
                s.refresh_all();
            }
            Action::SetAwsText(which, text) => *s.ws.aws.text_mut(which) = text,
            Action::Worked => {
                if s.pending.is_empty() {
                    return self;
                }
                let pending = std::mem::take(&mut s.pending);
                let mut next = Rc::new(s);
                for a in pending {
                    next = next.reduce(a);
                }
                return next;
            }
            Action::JsonataReady(ok) => {
                let pending = std::mem::take(&mut s.pending);
                if ok {
                    if !pending.is_empty() {
                        s.notice = None;
                    }
                    // Expressions are checked now that they can be.
                    s.refresh_all();
                } else {
                    s.notice = Some(
                        "The JSONata engine could not be loaded: machines using JSONata cannot run. Reload the page to try again."
                            .into(),
                    );
                }
                let mut next = Rc::new(s);
                for a in pending {
                    next = next.reduce(a);
                }
                return next;
            }
        }
        if s.cursor >= s.run_len() {
            s.playing = false;
        }
        Rc::new(s)
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
    fn machines_are_added_renamed_and_deleted_with_undo() {
        let s = Rc::new(State::new(Workspace::default(), Rc::default(), None));
        let s = s.reduce(Action::AddMachine("Billing".into()));
        assert_eq!((s.ws.machines.len(), s.ws.machine_name()), (2, "Billing"));
        let s = s.reduce(Action::AddMachine("Billing".into()));
        assert_eq!(s.ws.machines.len(), 2);
        assert!(s.notice.as_deref().unwrap_or_default().contains("already"));
        let s = s.reduce(Action::RenameMachine(1, "Bad name".into()));
        assert_eq!(s.ws.machine_name(), "Billing");
        let s = s.reduce(Action::RenameMachine(1, "Invoicing".into()));
        assert_eq!(s.ws.machine_name(), "Invoicing");
        let s = s.reduce(Action::SelectMachine(0));
        assert_eq!(s.ws.active, 0);
        let s = s.reduce(Action::DeleteMachine(1));
        assert_eq!(s.ws.machines.len(), 1);
        let s = s.reduce(Action::DeleteMachine(0));
        assert_eq!(s.ws.machines.len(), 1, "the last machine stays");
        let s = s.reduce(Action::Undo);
        assert_eq!(s.ws.machines.len(), 2);
        assert_eq!(s.ws.machines[1].name, "Invoicing");
    }

    #[test]
    fn a_page_paints_before_its_checks_and_any_action_runs_them_first() {
        let list = crate::workspace::examples_on_disk();
        let ws = list[0].workspace.clone().unwrap();
        let s = Rc::new(State::unchecked(ws.clone(), Rc::new(list.clone()), None));
        assert!(!s.checked && s.layout.is_none());
        let checked = s.clone().reduce(Action::Check);
        assert!(checked.checked && checked.layout.is_some());
        assert!(
            matches!(&checked.rules.outcomes, evaluate::Pane::Ready(r) if r.iter().any(|r| r.matched))
        );
        // Run pressed before the checks ran: the run still gets the input the rule delivers.
        let early = Rc::new(State::unchecked(ws, Rc::new(list), None)).reduce(Action::Run);
        let late = checked.reduce(Action::Run);
        assert!(early.run.is_some());
        assert_eq!(
            early.run.as_ref().map(|r| r.replay.steps.len()),
            late.run.as_ref().map(|r| r.replay.steps.len())
        );
        assert_eq!(early.rules, late.rules);
    }

    #[test]
    fn a_share_link_reopens_its_run_at_the_moment_it_was_made() {
        let list = crate::workspace::examples_on_disk();
        let ws = list[0].workspace.clone().unwrap();
        let view = crate::link::View {
            at: 5,
            state: Some("ProcessPayment".into()),
            ..Default::default()
        };
        let mut opened = State::unchecked(ws.clone(), Rc::new(list.clone()), None);
        opened.opening = Some(view.clone());
        let shown = Rc::new(opened).reduce(Action::Check);
        assert!(shown.checked && shown.opening.is_none());
        assert!(shown.run.as_ref().is_some_and(|r| r.replay.len() > 5));
        assert_eq!((shown.cursor, shown.playing), (5, false));
        assert_eq!(shown.selected.as_deref(), Some("ProcessPayment"));
        // The same run as pressing Run: same history, seeked to the same moment.
        let ran = Rc::new(State::new(ws.clone(), Rc::new(list.clone()), None)).reduce(Action::Run);
        assert_eq!(
            shown.run.as_ref().map(|r| r.replay.len()),
            ran.run.as_ref().map(|r| r.replay.len())
        );
        // A link pasted into the running page does the same, past the end clamped to the end.
        let pasted = ran.reduce(Action::Restore(
            ws,
            Some(crate::link::View {
                at: 10_000,
                state: None,
                ..Default::default()
            }),
        ));
        assert_eq!(pasted.cursor, pasted.run_len());
        assert!(pasted.selected.is_none() && !pasted.playing);
        assert!(pasted.notice.as_deref().is_some_and(|n| {
            n.ends_with(&format!("shown at event {0} of {0}.", pasted.run_len()))
        }));
        // A state the machine does not have is not inspected.
        let odd = pasted.reduce(Action::Show(crate::link::View {
            at: 3,
            state: Some("NoSuchState".into()),
            ..Default::default()
        }));
        assert_eq!((odd.cursor, odd.selected.as_deref()), (3, None));
    }

    #[test]
    fn a_share_link_keeps_the_answers_sent_to_its_callbacks() {
        let list = crate::workspace::examples_on_disk();
        let ws = list
            .iter()
            .find(|e| e.name == "human-approval")
            .and_then(|e| e.workspace.clone())
            .expect("the human-approval example");
        let ran = Rc::new(State::new(ws.clone(), Rc::new(list.clone()), None)).reduce(Action::Run);
        let paused = ran.run_len();
        let answered = ran.reduce(Action::Callback(serde_json::json!(
            {"state": "Ask a manager", "success": {"approvedBy": "grace@example.com"}}
        )));
        assert!(answered.run_len() > paused, "the answer let the run go on");
        // The link made now reopens the answered run, not the one paused at its callback.
        let view = crate::link::View {
            at: answered.run_len(),
            state: None,
            callbacks: answered.callbacks.clone(),
            redrives: answered.redrives,
        };
        let mut opened = State::unchecked(ws, Rc::new(list), None);
        opened.opening = Some(view);
        let shown = Rc::new(opened).reduce(Action::Check);
        assert_eq!(shown.callbacks, answered.callbacks);
        assert_eq!(shown.run_len(), answered.run_len());
        assert_eq!(shown.cursor, answered.run_len());
    }

    #[test]
    fn an_example_fetched_is_kept_and_loaded() {
        let s = Rc::new(State::new(
            Workspace::default(),
            crate::workspace::examples(),
            None,
        ));
        assert!(s.examples[1].workspace.is_none());
        let name = s.examples[1].name.clone();
        let text = std::fs::read_to_string(format!(
            "{}/www/examples/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        // Run pressed while the file is on its way runs the example once it is in.
        let s = s.reduce(Action::ExampleLoading(name.clone()));
        let s = s.reduce(Action::Run);
        assert!(s.run.is_none() && s.pending.len() == 1);
        assert!(
            s.notice
                .as_deref()
                .unwrap_or_default()
                .starts_with("Loading")
        );
        let s = s.reduce(Action::ExampleFetched(name.clone(), Ok(text)));
        assert!(s.examples[1].workspace.is_some());
        assert_eq!(s.ws.example.as_deref(), Some(name.as_str()));
        assert!(s.undo.is_some() && s.pending.is_empty() && s.loading.is_none());
        let run = s.run.as_ref().unwrap();
        assert!(run.input_from.starts_with("rule "), "{}", run.input_from);
        assert!(!run.history.is_empty());
        let s = s.reduce(Action::ExampleFetched(
            "x".into(),
            Err("404 Not Found".into()),
        ));
        assert!(
            s.notice
                .as_deref()
                .unwrap_or_default()
                .contains("404 Not Found")
        );
        let s = s.reduce(Action::ExampleFetched(name, Ok("{ not json".into())));
        assert!(
            s.notice
                .as_deref()
                .unwrap_or_default()
                .contains("not an example")
        );
    }
}
