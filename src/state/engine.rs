//! The engine slice: what the engine's worker has answered so far (the reducers read answers
//! from here, never from the worker), whether the JSONata module is in, and the actions that
//! wait for either. Asking the worker is an effect ([`Effect::Ask`]); its answer comes back as
//! [`super::Action::Answered`].

use super::Action;
use super::effects::Effect;
use crate::components::system::SystemView;
use crate::evaluate::{Diag, MachineView, RulesView, Source};
use crate::execution::RunView;
use crate::worker::{Answer, Job};
pub use crate::worker::{mocks_job, rules_job};
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
    /// The last mocks check, with the job it answers.
    pub mocks: Option<(Rc<Job>, Rc<Vec<Diag>>)>,
    /// Long texts formatted by the worker, one per editor (Format all waits for several).
    pub formatted: Vec<(Rc<Job>, Result<String, Diag>)>,
    /// The last run made and not yet shown, with the job it answers (a run is used once: a
    /// stopped run answers only the Run that waited for it).
    pub run: Option<(Rc<Job>, Rc<RunView>)>,
    /// The last system run made and not yet shown, with the job it answers (used once, as a
    /// run is).
    pub system: Option<(Rc<Job>, Rc<SystemView>)>,
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
            mocks: None,
            formatted: vec![],
            run: None,
            system: None,
            jsonata_settled,
            pending: vec![],
        }
    }

    /// The rules' verdicts on `ws`'s event when they are here, else `None` with the job asked for.
    pub fn rules(&self, ws: &Workspace, fx: &mut Vec<Effect>) -> Option<Rc<RulesView>> {
        let job = rules_job(ws);
        kept_or_ask(&self.rules, job, fx)
    }

    /// A machine text's graph and problems when they are here, else `None` with the job asked for.
    pub fn machine(&self, text: &str, fx: &mut Vec<Effect>) -> Option<MachineView> {
        match &self.machine {
            Some((t, m)) if **t == *text => Some(m.clone()),
            _ => {
                fx.push(Effect::Ask(Rc::new(Job::Machine(text.into()))));
                None
            }
        }
    }

    /// The mocks' (and S3 objects') problems when they are here, else `None` with the job asked
    /// for; empty mocks and S3 texts need no engine.
    pub fn mocks(&self, ws: &Workspace, fx: &mut Vec<Effect>) -> Option<Rc<Vec<Diag>>> {
        if ws.mocks.trim().is_empty() && ws.s3.trim().is_empty() {
            return Some(Rc::default());
        }
        let job = mocks_job(ws);
        kept_or_ask(&self.mocks, job, fx)
    }

    /// An editor's text formatted, or why it cannot be: here when it is short, else when the
    /// worker has done it (else `None` with the job asked for).
    pub fn format(
        &self,
        field: Source,
        text: &str,
        fx: &mut Vec<Effect>,
    ) -> Option<Result<String, Diag>> {
        if text.len() < crate::worker::FORMAT_HERE_BYTES {
            return Some(crate::evaluate::format(field, text));
        }
        let job = Job::Format(field, text.to_owned());
        match self.formatted.iter().find(|(j, _)| **j == job) {
            Some((_, r)) => Some(r.clone()),
            None => {
                fx.push(Effect::Ask(Rc::new(job)));
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
        kept_or_ask(&self.run, job, fx)
    }

    /// The system run of `ws` (schedules over `window` seconds, then `replay`) when it is here
    /// (asking for it when not).
    pub fn system(
        &self,
        ws: &Workspace,
        window: i64,
        replay: Option<(i64, i64)>,
        fx: &mut Vec<Effect>,
    ) -> Option<Rc<SystemView>> {
        let job = Job::System {
            ws: ws.clone(),
            window,
            replay,
        };
        kept_or_ask(&self.system, job, fx)
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
            Answer::System(v) => self.system = Some((job, v)),
            Answer::Mocks(d) => self.mocks = Some((job, d)),
            Answer::Format(r) => {
                let field = match &*job {
                    Job::Format(f, _) => Some(*f),
                    _ => None,
                };
                self.formatted
                    .retain(|(j, _)| !matches!(&**j, Job::Format(f, _) if Some(*f) == field));
                self.formatted.push((job, r));
            }
            // Test this state's panel and the events × rules table ask for their own answers.
            Answer::Test(_) | Answer::Matrix(_) | Answer::MatrixCell(_) => {}
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

/// The answer kept for `job` (a clone of its `Rc`), or `None` with `job` asked for.
fn kept_or_ask<T: Clone>(kept: &Option<(Rc<Job>, T)>, job: Job, fx: &mut Vec<Effect>) -> Option<T> {
    match kept {
        Some((j, answer)) if **j == job => Some(answer.clone()),
        _ => {
            fx.push(Effect::Ask(Rc::new(job)));
            None
        }
    }
}
