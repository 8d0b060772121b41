//! The system slice: the last run of the whole system (bus log, executions, dead letters) and
//! which of its executions is open in the graph. The run is the engine's (`system` module),
//! made by the runs' worker: [`needs`] says which run an action waits for, the page's reducer
//! asks the engine slice for it, and [`reduce`] shows it and says which execution to open;
//! opening one is a cross-slice reaction of the page's reducer (the editor, graph and playback
//! follow it).

use crate::components::system::{SystemAction, SystemView, replayed};
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

/// The system run an action shows, as (schedule window in seconds, replay), if it shows one: a
/// new window runs again only when a run is shown.
pub fn needs(
    s: &SystemSlice,
    ws: &Workspace,
    action: &SystemAction,
) -> Option<(i64, Option<(i64, i64)>)> {
    match action {
        SystemAction::Window(seconds) => s.view.is_some().then_some((*seconds, None)),
        SystemAction::Run => Some((ws.window(), None)),
        SystemAction::Replay(from, to) => Some((ws.window(), Some((*from, *to)))),
        SystemAction::Open(_) => None,
    }
}

/// Applies a system action to the slice (and the schedule window, which the workspace keeps),
/// with the run it [`needs`], made; returns the execution to open, if one is to be.
pub fn reduce(
    s: &mut SystemSlice,
    ws: &mut Workspace,
    action: SystemAction,
    made: Option<Rc<SystemView>>,
) -> Option<usize> {
    match action {
        SystemAction::Window(seconds) => {
            set_window(ws, seconds);
            s.view = Some(made?);
            s.open = None;
            Some(0)
        }
        SystemAction::Run => {
            s.view = Some(made?);
            s.open = None;
            Some(0)
        }
        SystemAction::Open(i) => Some(i),
        SystemAction::Replay(..) => {
            s.view = Some(made?);
            s.open = None;
            // Open the first execution the replay started, when it started one.
            match s.view.as_deref() {
                Some(Pane::Ready(r)) => replayed(r).1.iter().position(|x| *x),
                _ => None,
            }
        }
    }
}

/// The schedule window the workspace keeps (none when it is the default).
pub fn set_window(ws: &mut Workspace, seconds: i64) {
    ws.schedule_window =
        (seconds != crate::components::schedule_window::DEFAULT_WINDOW).then_some(seconds);
}
