//! The engine slice: what the engine's worker has answered so far (the reducers read answers
//! from here, never from the worker), whether the JSONata module is in, and the actions that
//! wait for either. Asking the worker is an effect ([`Effect::Ask`]); its answer comes back as
//! [`super::Action::Answered`].

use super::Action;
use super::effects::Effect;
use crate::evaluate::{MachineView, RulesView};
use crate::execution::RunView;
pub use crate::worker::rules_job;
use crate::worker::{Answer, Job};
use crate::workspace::Workspace;
use serde_json::Value;
use std::rc::Rc;

/// The engine's answers kept by the page, and what waits for one.
#[derive(Debug, Clone, PartialEq)]
pub struct EngineSlice {
    /// The last rules verdicts, with the job they answer.
    pub rules: Option<(Rc<Job>, Rc<RulesView>)>,
    /// The last machine check, with the text it answers.
    pub machine: Option<(Rc<str>, MachineView)>,
    /// The last run made and not yet shown, with the job it answers (a run is used once: a
    /// stopped run answers only the Run that waited for it).
    pub run: Option<(Rc<Job>, Rc<RunView>)>,
    /// Whether the JSONata module is in (or could not be loaded, so nothing waits for it).
    pub jsonata_settled: bool,
    /// Actions asked for while what they need was not here (a run, the drawing, the JSONata
    /// module, an example's file): done again when it comes.
    pub pending: Vec<Action>,
}

impl EngineSlice {
    /// Nothing answered yet; `jsonata_settled` as the page finds the module.
    pub fn new(jsonata_settled: bool) -> EngineSlice {
        EngineSlice {
            rules: None,
            machine: None,
            run: None,
            jsonata_settled,
            pending: vec![],
        }
    }

    /// The rules' verdicts on `ws`'s event when they are here, else `None` with the job asked for.
    pub fn rules(&self, ws: &Workspace, fx: &mut Vec<Effect>) -> Option<Rc<RulesView>> {
        let job = rules_job(ws);
        match &self.rules {
            Some((j, r)) if **j == job => Some(r.clone()),
            _ => {
                fx.push(Effect::Ask(Rc::new(job)));
                None
            }
        }
    }

    /// A machine text's graph and problems when they are here, else `None` with the job asked for.
    pub fn machine(&self, text: &str, fx: &mut Vec<Effect>) -> Option<MachineView> {
        match &self.machine {
            Some((t, m)) if **t == *text => Some(m.clone()),
            _ => {
                fx.push(Effect::Ask(Rc::new(Job::Machine(text.to_owned()))));
                None
            }
        }
    }

    /// Whether the drawing of `text` is here (asking for it when not).
    pub fn has_machine(&self, text: &str, fx: &mut Vec<Effect>) -> bool {
        self.machine(text, fx).is_some()
    }

    /// The run of `ws` with these answers and redrives when it is here (asking for it when not).
    pub fn run(
        &self,
        ws: &Workspace,
        callbacks: &[Value],
        redrives: u32,
        fx: &mut Vec<Effect>,
    ) -> Option<Rc<RunView>> {
        let job = run_job(ws, callbacks, redrives);
        match &self.run {
            Some((j, r)) if **j == job => Some(r.clone()),
            _ => {
                fx.push(Effect::Ask(Rc::new(job)));
                None
            }
        }
    }

    /// Keeps an answer of the engine's.
    pub fn keep(&mut self, job: Rc<Job>, answer: Answer) {
        match answer {
            Answer::Rules(r) => self.rules = Some((job, r)),
            Answer::Machine(m) => {
                if let Job::Machine(text) = &*job {
                    self.machine = Some((Rc::from(text.as_str()), m));
                }
            }
            Answer::Run(r) => self.run = Some((job, r)),
        }
    }

    /// Parks `action` until what it waits for comes (once).
    pub fn park(&mut self, action: Action) {
        if !self.pending.contains(&action) {
            self.pending.push(action);
        }
    }
}

/// The run job for a workspace, with the user's answers to its task tokens and its redrives.
pub fn run_job(ws: &Workspace, callbacks: &[Value], redrives: u32) -> Job {
    Job::Run {
        ws: ws.clone(),
        callbacks: callbacks.to_vec(),
        redrives,
    }
}

/// Whether running `text` has to wait for the JSONata module (it uses JSONata, which is not
/// here yet and has not failed to load).
pub fn uses_jsonata(text: &str) -> bool {
    text.contains("{%") || text.contains("JSONata")
}
