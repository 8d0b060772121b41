//! The page's state, in slices, and the reducer that changes it.
//!
//! | slice | module | holds |
//! |---|---|---|
//! | editors | [`editors`] | the texts (workspace), examples, Undo, what the checks found |
//! | run | [`run`] | the run on screen and its playback, the answers to its callbacks, redrives |
//! | system | [`system`] | the last system run and the execution open |
//! | view | [`view`] | the state inspected, the notice, the help, the playground's columns |
//! | engine | [`engine`] | the engine's answers so far, whether JSONata is in, what waits |
//!
//! Every change is one [`Action`]: a slice's own action ([`Action::Editors`], [`Action::Run`],
//! [`Action::System`], [`Action::View`]) or one of the page's, which touch several slices. The
//! reducer ([`reduce`]) is a pure function: the state and an action in, the next state and the
//! [`Effect`]s to perform out (asking the engine's worker, loading the JSONata module, fetching
//! an example, moving the focus). A slice's reducer changes its own slice and returns what must
//! follow elsewhere as [`Signal`]s; [`reduce`] carries them out, so every cross-slice reaction is
//! written here. [`effects`] performs the effects and dispatches what they bring back.

pub mod editors;
pub mod effects;
pub mod engine;
pub mod run;
pub mod system;
pub mod view;

pub use editors::{EditorsAction, EditorsSlice};
pub use effects::Effect;
pub use engine::EngineSlice;
pub use run::{RunAction, RunSlice};
pub use system::SystemSlice;
pub use view::{Columns, ViewAction, ViewSlice};

use crate::components::system::SystemAction;
use crate::evaluate::{Diag, MachineView};
use crate::worker::{Answer, Job};
use crate::workspace::{Example, Workspace};
use std::cell::RefCell;
use std::rc::Rc;
use yew::Reducible;

/// Everything the page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// The texts and what the checks found in them.
    pub editors: EditorsSlice,
    /// The run and its playback.
    pub run: RunSlice,
    /// The last system run.
    pub system: SystemSlice,
    /// Selection, notices, help, columns.
    pub view: ViewSlice,
    /// The engine's answers, and what waits for them.
    pub engine: EngineSlice,
    /// The effects the reducer asked for, waiting for the page's effects runner
    /// ([`effects::use_effects`]); shared by every copy of the state.
    pub outbox: Outbox,
}

/// Effects the reducer returned, for the effects runner to perform after the next render.
#[derive(Debug, Clone, Default)]
pub struct Outbox(pub Rc<RefCell<Vec<Effect>>>);

impl PartialEq for Outbox {
    fn eq(&self, _: &Outbox) -> bool {
        true
    }
}

/// What a slice's reducer asks of the others.
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    /// Check the texts again (rules routed, machine validated and drawn, mocks read).
    Recheck,
    /// Machine `n` is shown: no run, selection or system execution of another machine stays.
    ShowMachine(usize),
    /// Tell the user.
    Notice(String),
    /// The workspace changed under the system run: it goes.
    SystemStale,
    /// The mocks (or S3 objects) changed: check them again.
    CheckMocks,
}

/// Every change the page can make.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The editors' texts and machines.
    Editors(EditorsAction),
    /// The run and its playback.
    Run(RunAction),
    /// Run the whole system, or open one of its executions.
    System(SystemAction),
    /// Selection, notices, help, columns.
    View(ViewAction),
    /// Run every check (rules, machine, mocks): once, just after the first frame is painted
    /// (then a share link's run is shown).
    Check,
    /// Re-route the event through the rules (after the typing pause, or when the engine answers).
    EvaluateRules,
    /// Re-validate and re-draw the machine (after the typing pause, or when the engine answers).
    InspectMachine,
    /// Load the example with this name (keeping the current workspace for undo), fetching its
    /// file first when it is not here.
    PickExample(String),
    /// An example's file arrived (or why it did not): keep it, load it, then do what waited.
    ExampleFetched(String, Result<String, String>),
    /// Put back the workspace the last example (or import, rename, delete) replaced.
    Undo,
    /// Replace the whole workspace with one from a share link opened into the running page
    /// (keeping the current one for undo), and show its run's moment when the link has one.
    Restore(Workspace, Option<crate::link::View>),
    /// Run, then show the run at a moment with a state inspected (a share link's view).
    Show(crate::link::View),
    /// Show a history pasted from AWS on the graph, scrubber, history and inspector.
    OpenHistory(crate::artifacts::HistoryRun),
    /// A template's rules and machines replace the workspace's (kept for Undo).
    ImportTemplate(crate::artifacts::Imported),
    /// The JSONata engine has loaded (`true`) or could not be (`false`).
    JsonataReady(bool),
    /// The engine's worker answered something: do again what waited (it asks for its answer).
    Worked,
    /// The engine's answer to a job (from [`Effect::Ask`]).
    Answered(Rc<Job>, Answer),
}

impl From<EditorsAction> for Action {
    fn from(a: EditorsAction) -> Action {
        Action::Editors(a)
    }
}

impl From<RunAction> for Action {
    fn from(a: RunAction) -> Action {
        Action::Run(a)
    }
}

impl From<ViewAction> for Action {
    fn from(a: ViewAction) -> Action {
        Action::View(a)
    }
}

impl From<SystemAction> for Action {
    fn from(a: SystemAction) -> Action {
        Action::System(a)
    }
}

impl State {
    /// A state whose checks (rules routed, machine validated and drawn, mocks read) have not run
    /// yet: the page's first frame shows the editors and the controls without waiting for them,
    /// and [`Action::Check`] runs them right after it is painted. Any other action runs them first.
    pub fn unchecked(ws: Workspace, examples: Rc<Vec<Example>>, notice: Option<String>) -> State {
        State {
            editors: EditorsSlice::new(ws, examples),
            run: RunSlice::default(),
            system: SystemSlice::default(),
            view: ViewSlice {
                notice,
                ..Default::default()
            },
            engine: EngineSlice::new(crate::jsonata::settled()),
            outbox: Outbox::default(),
        }
    }

    /// The workspace in the editors.
    pub fn ws(&self) -> &Workspace {
        &self.editors.ws
    }

    /// Every diagnostic, editor by editor (the run's too).
    pub fn diagnostics(&self) -> Vec<Diag> {
        let mut all = self.editors.diagnostics();
        if let Some(run) = &self.run.current {
            all.extend(run.diags.iter().cloned());
        }
        all
    }
}

/// The checks of the texts: each answer of the engine's that is here is shown (the others are
/// asked for; until they come the last ones stay); the mocks are read here.
fn refresh_all(s: &mut State, fx: &mut Vec<Effect>) {
    s.editors.checked = true;
    evaluate_rules(s, fx);
    inspect_machine(s, fx);
    check_mocks(s, fx);
}

/// The mocks' (and S3 objects') problems: the engine's answer when it is here (else asked for;
/// until it comes the last ones stay).
fn check_mocks(s: &mut State, fx: &mut Vec<Effect>) {
    if let Some(diags) = s.engine.mocks(&s.editors.ws, fx) {
        s.editors.mocks_diags = diags;
    }
}

fn evaluate_rules(s: &mut State, fx: &mut Vec<Effect>) {
    if let Some(rules) = s.engine.rules(&s.editors.ws, fx) {
        s.editors.rules = rules;
    }
}

fn inspect_machine(s: &mut State, fx: &mut Vec<Effect>) {
    let Some(MachineView { layout, diags }) = s.engine.machine(s.editors.ws.machine(), fx) else {
        return;
    };
    if layout.is_some() {
        s.editors.layout = layout;
    }
    s.editors.machine_diags = Rc::new(diags);
}

/// Machine `i` is shown: its graph, its rules' targets, no run of another machine.
fn show_machine(s: &mut State, i: usize, fx: &mut Vec<Effect>) {
    let ws = &mut s.editors.ws;
    ws.active = i.min(ws.machines.len().saturating_sub(1));
    s.run.clear();
    s.view.selected = None;
    s.system.open = None;
    s.editors.layout = None;
    refresh_all(s, fx);
}

/// Carries out what a slice's reducer asked of the others.
fn signal(s: &mut State, signals: Vec<Signal>, fx: &mut Vec<Effect>) {
    for sig in signals {
        match sig {
            Signal::Recheck => refresh_all(s, fx),
            Signal::ShowMachine(i) => show_machine(s, i, fx),
            Signal::Notice(n) => s.view.notice = Some(n),
            Signal::SystemStale => s.system.forget(),
            Signal::CheckMocks => check_mocks(s, fx),
        }
    }
}

/// Whether `action` must wait for the JSONata module (an action that runs a machine or the
/// system using JSONata, before the module is in) or behind other waiting actions.
fn waits_for_jsonata(s: &State, action: &Action) -> bool {
    let busy = !s.engine.pending.is_empty() || s.editors.loading.is_some();
    let settled = s.engine.jsonata_settled;
    match action {
        Action::Run(RunAction::Run | RunAction::Step | RunAction::SeekEnd) | Action::Show(_) => {
            busy || (!settled && engine::uses_jsonata(s.editors.ws.machine()))
        }
        Action::System(SystemAction::Run | SystemAction::Window(..) | SystemAction::Replay(..)) => {
            busy || (!settled
                && (s
                    .editors
                    .ws
                    .machines
                    .iter()
                    .any(|m| engine::uses_jsonata(&m.text))
                    || engine::uses_jsonata(&s.editors.ws.rules)))
        }
        _ => false,
    }
}

/// The page's reducer: the next state and the effects to perform, or `None` when `action`
/// changes nothing and asks for nothing.
pub fn reduce(state: &State, action: Action) -> Option<(State, Vec<Effect>)> {
    if matches!(action, Action::Worked) && state.engine.pending.is_empty() {
        return None;
    }
    let mut s = state.clone();
    let mut fx = Vec::new();
    apply(&mut s, action, &mut fx);
    react(state, &mut s, &mut fx);
    Some((s, fx))
}

/// The reactions of the playground's columns and focus to what an action did: another machine
/// shown brings its editor to the front; a run of the user's, or a system run, folds the editors
/// so the graph has the room (and focus leaves Run for the graph).
fn react(before: &State, s: &mut State, fx: &mut Vec<Effect>) {
    if s.view.columns.is_none() {
        return;
    }
    if s.editors.ws.active != before.editors.ws.active {
        s.view.machine_editor();
    }
    let ptr = |v: &Option<Rc<_>>| v.as_ref().map(Rc::as_ptr);
    if s.system.view.is_some() && ptr(&s.system.view) != ptr(&before.system.view) {
        s.view.fold();
    }
    let made = |st: &State| {
        st.run
            .current
            .as_ref()
            .filter(|r| r.made_from.is_some())
            .map(Rc::as_ptr)
    };
    if made(s).is_some() && made(s) != made(before) {
        s.view.fold();
        fx.push(Effect::FocusGraphFromRun);
    }
}

/// Applies one action (the waiting ones it releases too).
fn apply(s: &mut State, action: Action, fx: &mut Vec<Effect>) {
    if !s.editors.checked {
        refresh_all(s, fx);
    }
    if waits_for_jsonata(s, &action) {
        if s.engine.pending.is_empty() && s.editors.loading.is_none() {
            s.view.notice = Some("Loading the JSONata engine…".into());
            fx.push(Effect::LoadJsonata);
        }
        s.engine.park(action);
        return;
    }
    match action {
        Action::Editors(a) => {
            // A long text is formatted by the engine's worker: the action waits for it (each
            // text is asked for at once).
            let mut formatted = Vec::new();
            let mut waits = false;
            for &field in editors::formats(&a) {
                match s.engine.format(field, s.editors.text(field), fx) {
                    Some(r) => formatted.push((field, r)),
                    None => waits = true,
                }
            }
            if waits {
                s.engine.park(Action::Editors(a));
                return;
            }
            let signals = editors::reduce(&mut s.editors, a, formatted);
            signal(s, signals, fx);
        }
        Action::Run(a) => {
            let made = match run::needs(&s.run, &a) {
                Some((callbacks, redrives)) => {
                    match s.engine.run(&s.editors.ws, &callbacks, redrives, fx) {
                        // A run is shown once: a stopped one answers only this action.
                        Some(made) => {
                            s.engine.run = None;
                            Some(made)
                        }
                        None => {
                            s.engine.park(Action::Run(a));
                            return;
                        }
                    }
                }
                None => None,
            };
            if made.is_some() && matches!(a, RunAction::Run | RunAction::Step) {
                refresh_all(s, fx);
            }
            run::reduce(&mut s.run, a, made);
        }
        Action::View(a) => view::reduce(&mut s.view, a),
        Action::System(a) => {
            // The window is the workspace's at once, whether a run follows or not.
            if let SystemAction::Window(seconds) = a {
                system::set_window(&mut s.editors.ws, seconds);
            }
            let made = match system::needs(&s.system, &s.editors.ws, &a) {
                Some((window, replay)) => {
                    match s.engine.system(&s.editors.ws, window, replay, fx) {
                        // A system run is shown once: a stopped one answers only this action.
                        Some(made) => {
                            s.engine.system = None;
                            Some(made)
                        }
                        None => {
                            s.engine.park(Action::System(a));
                            return;
                        }
                    }
                }
                None => None,
            };
            if let Some(index) = system::reduce(&mut s.system, &mut s.editors.ws, a, made) {
                open_execution(s, index, fx);
            }
        }
        Action::Check => {
            // The checks ran above, if they had not yet; a share link's run is shown next.
            if let Some(view) = s.view.opening.take() {
                apply(s, Action::Show(view), fx);
            }
        }
        Action::EvaluateRules => {
            evaluate_rules(s, fx);
            // The rules' pipes name the enrichments the mocks may answer for.
            check_mocks(s, fx);
        }
        Action::InspectMachine => {
            inspect_machine(s, fx);
            check_mocks(s, fx);
        }
        Action::PickExample(name) => pick_example(s, name, fx),
        Action::ExampleFetched(name, text) => example_fetched(s, name, text, fx),
        Action::Undo => {
            if let Some(previous) = s.editors.undo.take() {
                s.editors.ws = previous;
                s.run.current = None;
                s.view.notice = None;
                s.view.selected = None;
                s.system.open = None;
                s.editors.layout = None;
                refresh_all(s, fx);
            }
        }
        Action::Restore(ws, view) => {
            if s.editors.ws != ws {
                s.editors.undo = Some(std::mem::replace(&mut s.editors.ws, ws));
                s.view.notice = Some(
                    "Opened the workspace from the share link. Your previous work is kept: press Undo to get it back."
                        .into(),
                );
            }
            s.run.current = None;
            s.view.selected = None;
            s.run.playing = false;
            refresh_all(s, fx);
            if let Some(view) = view {
                apply(s, Action::Show(view), fx);
            }
        }
        Action::Show(view) => show(s, view, fx),
        Action::OpenHistory(h) => {
            if let Some(layout) = h.layout {
                s.editors.layout = Some(layout);
            }
            s.run.current = Some(h.run);
            s.system.open = None;
            s.view.selected = None;
            s.run.callbacks.clear();
            s.run.redrives = 0;
            s.run.cursor = 0;
            s.run.playing = !s.run.is_empty();
            s.view.notice = Some(format!(
                "Replaying the pasted history ({} events) on {}.",
                s.run.len(),
                h.definition_from
            ));
        }
        Action::ImportTemplate(i) => import_template(s, i, fx),
        Action::Worked => release(s, fx),
        Action::Answered(job, answer) => {
            s.engine.keep(job, answer);
            // A check's answer for the texts in the editors is shown at once.
            if let Some((j, r)) = &s.engine.rules
                && **j == engine::rules_job(&s.editors.ws)
            {
                s.editors.rules = r.clone();
            }
            if matches!(&s.engine.machine, Some((t, _)) if **t == *s.editors.ws.machine()) {
                inspect_machine(s, fx);
            }
            if matches!(&s.engine.mocks, Some((j, _)) if **j == engine::mocks_job(&s.editors.ws)) {
                check_mocks(s, fx);
            }
            release(s, fx);
        }
        Action::JsonataReady(ok) => {
            s.engine.jsonata_settled = true;
            let pending = std::mem::take(&mut s.engine.pending);
            if ok {
                if !pending.is_empty() {
                    s.view.notice = None;
                }
                // Expressions are checked now that they can be.
                refresh_all(s, fx);
            } else {
                s.view.notice = Some(
                    "The JSONata engine could not be loaded: machines using JSONata cannot run. Reload the page to try again."
                        .into(),
                );
            }
            for a in pending {
                apply(s, a, fx);
            }
        }
    }
    run::settle(&mut s.run);
}

/// Does again what waited (each asks for what it still lacks).
fn release(s: &mut State, fx: &mut Vec<Effect>) {
    let pending = std::mem::take(&mut s.engine.pending);
    for a in pending {
        apply(s, a, fx);
    }
}

/// The run as a share link saw it: with the answers sent to its callbacks and its redrives, at
/// its moment, with its state inspected.
fn show(s: &mut State, view: crate::link::View, fx: &mut Vec<Effect>) {
    // The drawing as well as the run: the view names a state of the graph.
    let drawn = s.engine.has_machine(s.editors.ws.machine(), fx);
    let made = s
        .engine
        .run(&s.editors.ws, &view.callbacks, view.redrives, fx);
    let (true, Some(made)) = (drawn, made) else {
        s.engine.park(Action::Show(view));
        return;
    };
    s.engine.run = None;
    refresh_all(s, fx);
    s.run.callbacks = view.callbacks;
    s.run.redrives = view.redrives;
    s.run.show(made);
    s.run.playing = false;
    s.run.cursor = view.at.min(s.run.len());
    // Only a state the machine has (a link is text anyone can edit).
    s.view.selected = view.state.filter(|name| {
        s.editors
            .layout
            .as_ref()
            .is_some_and(|l| l.nodes.iter().any(|n| !name.is_empty() && n.state == *name))
    });
    let shown = format!(
        "Its run is shown at event {} of {}{}.",
        s.run.cursor,
        s.run.len(),
        s.view
            .selected
            .as_ref()
            .map_or_else(String::new, |n| format!(", “{n}” inspected"))
    );
    s.view.notice = Some(match s.view.notice.take() {
        Some(before) => format!("{before} {shown}"),
        None => shown,
    });
}

/// Opens system execution `index` in the graph and playback: the editor, the graph and the rules
/// follow the machine it ran.
fn open_execution(s: &mut State, index: usize, fx: &mut Vec<Effect>) {
    use crate::evaluate::{Pane, inspect_machine as draw, pretty};
    let Some(system) = s.system.view.clone() else {
        return;
    };
    let Pane::Ready(report) = &*system else {
        return;
    };
    let Some(e) = report.executions.get(index) else {
        return;
    };
    if let Some(k) = s.editors.ws.find(&e.machine)
        && k != s.editors.ws.active
    {
        s.editors.ws.active = k;
        refresh_all(s, fx);
    }
    if let Some(layout) = report.definition(e).and_then(|d| draw(&pretty(d)).layout) {
        s.editors.layout = Some(layout);
    }
    s.run.current = Some(Rc::new(crate::components::system::run_view(e)));
    s.system.open = Some(index);
    s.view.selected = None;
    s.run.cursor = 0;
    s.run.playing = true;
}

/// An example picked: loaded at once when its workspace is here, else its file is fetched (with
/// a notice meanwhile; a Run pressed meanwhile runs the example).
fn pick_example(s: &mut State, name: String, fx: &mut Vec<Effect>) {
    let Some(e) = s.editors.examples.iter().find(|e| e.name == name) else {
        return;
    };
    if e.workspace.is_some() {
        return load_example(s, name, fx);
    }
    s.view.notice = Some(format!("Loading “{}”…", e.title));
    fx.push(Effect::FetchExample {
        name: name.clone(),
        url: e.url(),
    });
    s.editors.loading = Some(name);
}

fn load_example(s: &mut State, name: String, fx: &mut Vec<Effect>) {
    let Some((example, title)) = s
        .editors
        .examples
        .iter()
        .find(|e| e.name == name)
        .and_then(|e| Some((e.workspace.clone()?, e.title.clone())))
    else {
        return;
    };
    // What was pasted in the From AWS tab is not part of an example: it stays.
    let example = Workspace {
        aws: s.editors.ws.aws.clone(),
        ..example
    };
    if s.editors.ws != example {
        s.editors.undo = Some(std::mem::replace(&mut s.editors.ws, example));
        s.view.notice = Some(format!(
            "Loaded “{title}”. Your previous work is kept: press Undo to get it back."
        ));
    }
    s.run.current = None;
    s.view.selected = None;
    s.run.playing = false;
    refresh_all(s, fx);
}

fn example_fetched(
    s: &mut State,
    name: String,
    text: Result<String, String>,
    fx: &mut Vec<Effect>,
) {
    if s.editors.loading.as_ref() == Some(&name) {
        s.editors.loading = None;
    }
    let pending = if s.editors.loading.is_none() {
        std::mem::take(&mut s.engine.pending)
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
            let mut list = (*s.editors.examples).clone();
            if let Some(e) = list.iter_mut().find(|e| e.name == name) {
                *e = example;
            }
            s.editors.examples = Rc::new(list);
            s.view.notice = None;
            load_example(s, name, fx);
            for a in pending {
                apply(s, a, fx);
            }
        }
        // What waited for the example is dropped with it.
        Err(why) => s.view.notice = Some(format!("Could not load the example “{name}”: {why}.")),
    }
}

fn import_template(s: &mut State, i: crate::artifacts::Imported, fx: &mut Vec<Effect>) {
    let ed = &mut s.editors;
    ed.undo = Some(std::mem::replace(&mut ed.ws, i.ws));
    let machines = match i.machines.len() {
        0 => "no state machine (the workspace's stay)".to_owned(),
        1 => "1 state machine".to_owned(),
        n => format!("{n} state machines"),
    };
    // The mocks of states the template's machines do not have would only be flagged as never
    // used: they go (Undo brings them back).
    let texts: Vec<&str> = ed.ws.machines.iter().map(|m| m.text.as_str()).collect();
    let pruned = crate::evaluate::prune_mocks(&ed.ws.mocks, &texts, &ed.ws.rules);
    let mocks = match pruned {
        Some((text, gone)) => {
            ed.ws.mocks = text.into();
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
    s.view.notice = Some(format!(
        "Imported the template: {} rule(s) and {machines} now make the workspace.{mocks} Your previous work is kept: press Undo to get it back.",
        i.rules.len(),
    ));
    s.run.current = None;
    s.view.selected = None;
    s.run.playing = false;
    s.system.forget();
    s.editors.layout = None;
    refresh_all(s, fx);
}

/// yew's side of the reducer: the pure [`reduce`], its effects put in the [`Outbox`] for
/// [`effects::use_effects`].
impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match reduce(&self, action) {
            None => self,
            Some((next, fx)) => {
                self.outbox.0.borrow_mut().extend(fx);
                Rc::new(next)
            }
        }
    }
}

#[cfg(test)]
mod tests;
