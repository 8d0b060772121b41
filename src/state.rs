//! The playground's state and the actions that change it (one reducer, so every change is one
//! `Action` and the components stay plain views).

use crate::evaluate::{self, Diag, MachineView, RulesView, Source};
use crate::execution::{self, RunView};
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
}

/// Every change the page can make.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user typed in an editor.
    Edit(Field, String),
    /// Format an editor's JSON.
    Format(Field),
    /// Re-route the event through the rules (after the typing pause).
    EvaluateRules,
    /// Re-validate and re-draw the machine (after the typing pause).
    InspectMachine,
    /// Load the example with this name (keeping the current workspace for undo).
    LoadExample(String),
    /// Put back the workspace the last example replaced.
    Undo,
    /// Replace the whole workspace with one from a share link opened into the running page
    /// (keeping the current one for undo).
    Restore(Workspace),
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
}

impl State {
    /// The state at start-up, with `ws` in the editors.
    pub fn new(ws: Workspace, examples: Rc<Vec<Example>>, notice: Option<String>) -> State {
        let mut s = State {
            ws,
            examples,
            rules: Rc::new(RulesView {
                outcomes: evaluate::Pane::Unavailable(String::new()),
                diags: vec![],
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
        };
        s.refresh_all();
        s
    }

    fn refresh_all(&mut self) {
        self.rules = Rc::new(evaluate::evaluate_rules(
            &self.ws.event,
            &self.ws.rules,
            &self.ws.machine_name,
        ));
        self.inspect_machine();
        self.check_mocks();
    }

    fn inspect_machine(&mut self) {
        let MachineView { layout, diags } = evaluate::inspect_machine(&self.ws.machine);
        if layout.is_some() {
            self.layout = layout;
        }
        self.machine_diags = Rc::new(diags);
    }

    fn check_mocks(&mut self) {
        let diags = match evaluate::read_mocks(&self.ws.mocks) {
            Ok(_) => vec![],
            Err(d) => vec![d],
        };
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
            Source::Machine => &mut self.ws.machine,
            Source::Mocks => &mut self.ws.mocks,
        }
    }

    fn start_run(&mut self) {
        let run = execution::run(&self.ws, &self.rules);
        self.run = Some(Rc::new(run));
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
        match action {
            Action::Edit(field, text) => {
                *s.text_mut(field) = text;
                if field == Source::Mocks {
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
            Action::EvaluateRules => {
                s.rules = Rc::new(evaluate::evaluate_rules(
                    &s.ws.event,
                    &s.ws.rules,
                    &s.ws.machine_name,
                ))
            }
            Action::InspectMachine => s.inspect_machine(),
            Action::LoadExample(name) => {
                let Some(example) = s.examples.iter().find(|e| e.name == name).cloned() else {
                    return self;
                };
                if s.ws != example.workspace {
                    s.undo = Some(std::mem::replace(&mut s.ws, example.workspace));
                    s.notice = Some(format!(
                        "Loaded “{}”. Your previous work is kept: press Undo to get it back.",
                        example.title
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
                    s.refresh_all();
                }
            }
            Action::Restore(ws) => {
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
            }
            Action::Run => {
                s.refresh_all();
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
        }
        if s.cursor >= s.run_len() {
            s.playing = false;
        }
        Rc::new(s)
    }
}
