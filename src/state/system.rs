//! The system slice: the last run of the whole system (bus log, executions, dead letters) and
//! which of its executions is open in the graph. Its reducer makes the run (the engine's
//! `system` module, on the page's thread) and says which execution to open; opening one is a
//! cross-slice reaction of the page's reducer (the editor, graph and playback follow it).

use crate::components::system::{SystemAction, SystemView, replayed, run};
use crate::evaluate::Pane;
use crate::workspace::Workspace;
use std::rc::Rc;

/// The last system run and the execution open.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SystemSlice {
    /// The last system run (bus log, executions, dead letters).
    pub view: Option<Rc<SystemView>>,
    /// The system execution shown in the graph, if any.
    pub open: Option<usize>,
}

impl SystemSlice {
    /// A run made before the workspace changed is no longer shown.
    pub fn forget(&mut self) {
        self.view = None;
        self.open = None;
    }
}

/// Applies a system action to the slice (and the schedule window, which the workspace keeps);
/// returns the execution to open, if one is to be.
pub fn reduce(s: &mut SystemSlice, ws: &mut Workspace, action: SystemAction) -> Option<usize> {
    match action {
        SystemAction::Window(seconds) => {
            ws.schedule_window =
                (seconds != crate::components::schedule_window::DEFAULT_WINDOW).then_some(seconds);
            s.view.as_ref()?;
            s.view = Some(Rc::new(run(ws, seconds, None)));
            s.open = None;
            Some(0)
        }
        SystemAction::Run => {
            s.view = Some(Rc::new(run(ws, ws.window(), None)));
            s.open = None;
            Some(0)
        }
        SystemAction::Open(i) => Some(i),
        SystemAction::Replay(from, to) => {
            s.view = Some(Rc::new(run(ws, ws.window(), Some((from, to)))));
            s.open = None;
            // Open the first execution the replay started, when it started one.
            match s.view.as_deref() {
                Some(Pane::Ready(r)) => replayed(r).1.iter().position(|x| *x),
                _ => None,
            }
        }
    }
}
