//! The run slice: the run on screen and its playback (the moment shown, playing or not, the
//! speed), with the user's answers to its task tokens and its redrives. The reducer never makes
//! a run: an action that needs one says which ([`needs`]), and the page's reducer hands it the
//! run the engine made (or parks the action until the engine has).

use crate::execution::RunView;
use serde_json::Value;
use std::rc::Rc;

/// The run and its playback.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSlice {
    /// The run shown, if any.
    pub current: Option<Rc<RunView>>,
    /// The answers the user sent to the run's task tokens (`asl::callbacks`' list), in order.
    pub callbacks: Vec<Value>,
    /// How many times the user redrove the run.
    pub redrives: u32,
    /// How many history events are shown (0 = before the start, `len` = all).
    pub cursor: usize,
    /// Whether playback is running.
    pub playing: bool,
    /// Playback speed factor (1 = normal).
    pub speed: f64,
}

impl Default for RunSlice {
    fn default() -> RunSlice {
        RunSlice {
            current: None,
            callbacks: vec![],
            redrives: 0,
            cursor: 0,
            playing: false,
            speed: 1.0,
        }
    }
}

/// What the run and playback controls can be asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum RunAction {
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
    /// Playback speed.
    SetSpeed(f64),
    /// Answer a task token of the paused run (a callbacks list entry) and go on from there.
    Callback(Value),
    /// Redrive the run that ended unsuccessfully (RedriveExecution) and go on from there.
    Redrive,
}

impl RunSlice {
    /// How many events the run has (0 without one).
    pub fn len(&self) -> usize {
        self.current.as_ref().map_or(0, |r| r.replay.len())
    }

    /// Whether there is no run, or it has no events.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// No run on screen.
    pub fn clear(&mut self) {
        self.current = None;
        self.cursor = 0;
        self.playing = false;
    }

    /// Shows `run` from its start, paused.
    pub fn show(&mut self, run: Rc<RunView>) {
        self.current = Some(run);
        self.cursor = 0;
    }
}

/// The run `action` needs the engine to make (the answers to the task tokens and the number of
/// redrives), when it needs one.
pub fn needs(s: &RunSlice, action: &RunAction) -> Option<(Vec<Value>, u32)> {
    match action {
        RunAction::Run => Some((vec![], 0)),
        RunAction::Step if s.current.is_none() => Some((s.callbacks.clone(), s.redrives)),
        RunAction::Callback(answer) => {
            let mut c = s.callbacks.clone();
            c.push(answer.clone());
            Some((c, s.redrives))
        }
        RunAction::Redrive => Some((s.callbacks.clone(), s.redrives + 1)),
        _ => None,
    }
}

/// Applies a run action; `made` is the run [`needs`] asked for, made by the engine.
pub fn reduce(s: &mut RunSlice, action: RunAction, made: Option<Rc<RunView>>) {
    match action {
        RunAction::Run => {
            // A new run: the answers and redrives belonged to the last one.
            s.callbacks.clear();
            s.redrives = 0;
            s.cursor = 0;
            if let Some(run) = made {
                s.show(run);
            }
            s.playing = !s.is_empty();
        }
        RunAction::Step => {
            s.playing = false;
            if s.current.is_none()
                && let Some(run) = made
            {
                s.show(run);
            }
            s.cursor = (s.cursor + 1).min(s.len());
        }
        RunAction::Callback(answer) => {
            // The run is replayed with one more answer (deterministic: the same up to the
            // pause) and shown from the pause on.
            let from = s.len();
            s.callbacks.push(answer);
            if let Some(run) = made {
                s.show(run);
            }
            s.cursor = from.min(s.len());
            s.playing = s.len() > s.cursor;
        }
        RunAction::Redrive => {
            // The same execution, redriven once more (deterministic up to where it ended),
            // shown from its ExecutionRedriven event on.
            let from = s.len();
            s.redrives += 1;
            if let Some(run) = made {
                s.show(run);
            }
            s.cursor = from.min(s.len());
            s.playing = s.len() > s.cursor;
        }
        RunAction::StepBack => {
            s.playing = false;
            s.cursor = s.cursor.saturating_sub(1);
        }
        RunAction::Reset => s.clear(),
        RunAction::Seek(n) => s.cursor = n.min(s.len()),
        RunAction::SetPlaying(on) => {
            if on && s.cursor >= s.len() {
                s.cursor = 0;
            }
            s.playing = on && !s.is_empty();
        }
        RunAction::TogglePlay => {
            let on = !s.playing;
            if on && s.cursor >= s.len() {
                s.cursor = 0;
            }
            s.playing = on && !s.is_empty();
        }
        RunAction::SeekEnd => {
            s.playing = false;
            s.cursor = s.len();
        }
        RunAction::SetSpeed(x) => s.speed = x.clamp(0.1, 100.0),
    }
    settle(s);
}

/// Playback stops at the end.
pub fn settle(s: &mut RunSlice) {
    if s.cursor >= s.len() {
        s.playing = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a_run() -> Rc<RunView> {
        let list = crate::workspace::examples_on_disk();
        let ws = list[0].workspace.clone().unwrap();
        let job = crate::state::engine::run_job(&ws, &[], 0);
        match job.work(None) {
            crate::worker::Answer::Run(run) => run,
            other => panic!("a run job answers a run: {other:?}"),
        }
    }

    #[test]
    fn playback_moves_within_the_run_and_stops_at_its_end() {
        let mut s = RunSlice::default();
        reduce(&mut s, RunAction::TogglePlay, None);
        assert!(!s.playing, "nothing to play without a run");
        let run = a_run();
        let len = run.replay.len();
        assert!(len > 3);
        reduce(&mut s, RunAction::Run, Some(run));
        assert_eq!((s.cursor, s.playing), (0, true));
        reduce(&mut s, RunAction::Seek(len + 10), None);
        assert_eq!(
            (s.cursor, s.playing),
            (len, false),
            "clamped, and stopped at the end"
        );
        reduce(&mut s, RunAction::SetPlaying(true), None);
        assert_eq!(
            (s.cursor, s.playing),
            (0, true),
            "playing again starts over"
        );
        reduce(&mut s, RunAction::Step, None);
        reduce(&mut s, RunAction::Step, None);
        assert_eq!((s.cursor, s.playing), (2, false));
        reduce(&mut s, RunAction::StepBack, None);
        assert_eq!(s.cursor, 1);
        reduce(&mut s, RunAction::SetSpeed(1e9), None);
        assert_eq!(s.speed, 100.0);
        reduce(&mut s, RunAction::SeekEnd, None);
        assert_eq!(s.cursor, len);
        reduce(&mut s, RunAction::Reset, None);
        assert_eq!((s.current.is_none(), s.cursor), (true, 0));
    }

    #[test]
    fn an_action_says_which_run_it_needs() {
        let mut s = RunSlice::default();
        assert_eq!(needs(&s, &RunAction::Run), Some((vec![], 0)));
        assert_eq!(needs(&s, &RunAction::Step), Some((vec![], 0)));
        assert_eq!(needs(&s, &RunAction::Seek(3)), None);
        reduce(&mut s, RunAction::Run, Some(a_run()));
        assert_eq!(needs(&s, &RunAction::Step), None, "a run is here");
        let answer = serde_json::json!({"state": "x"});
        assert_eq!(
            needs(&s, &RunAction::Callback(answer.clone())),
            Some((vec![answer], 0))
        );
        assert_eq!(needs(&s, &RunAction::Redrive), Some((vec![], 1)));
    }
}
