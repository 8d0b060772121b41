//! The effects layer: what the reducer asks for but cannot do itself, because it touches the
//! world outside the state — the engine's worker, the network, timers, the focus. The reducer
//! returns [`Effect`]s; [`use_effects`] performs them after each render and dispatches what
//! they bring back ([`Action::Answered`], [`Action::ExampleFetched`], …). The page's other
//! subscriptions live here too: the first check after the first paint, the checks after the
//! typing pause, the worker's and the JSONata module's news ([`use_live_checks`]), and the
//! playback timer ([`use_playback`]). Autosave is `crate::autosave`'s.
//!
//! Natively (tests) [`settle`] performs the engine's jobs in place, so a test sees what the
//! page sees once the worker has answered.

use super::{Action, RunAction, State};
use crate::dom::{self, Timeout};
use crate::worker::Job;
use crate::workspace::Text;
use std::rc::Rc;
use yew::prelude::*;

/// Something the reducer asks the world to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Ask the engine's worker for this job's answer: [`Action::Answered`] brings it (at once
    /// when the worker has it, else when it comes, after [`Action::Worked`] asks again).
    Ask(Rc<Job>),
    /// Start loading the JSONata module ([`Action::JsonataReady`] says when it is in).
    LoadJsonata,
    /// Fetch an example's file ([`Action::ExampleFetched`] brings it).
    FetchExample {
        /// The example's name.
        name: String,
        /// Its file, relative to the page.
        url: String,
    },
    /// A run of the user's came: focus leaves Run for the graph, where Space plays and
    /// pauses, Home and End seek, and Tab reaches each state (Enter opens its inspector).
    FocusGraphFromRun,
}

/// Performs one effect, dispatching what it brings back.
pub fn perform(effect: Effect, d: &UseReducerDispatcher<State>) {
    match effect {
        Effect::Ask(job) => {
            if let Some(answer) = crate::worker::answer((*job).clone(), true) {
                d.dispatch(Action::Answered(job, answer));
            }
        }
        Effect::LoadJsonata => crate::jsonata::start(),
        Effect::FetchExample { name, url } => {
            let d = d.clone();
            crate::fetch::text(&url, move |text| {
                d.dispatch(Action::ExampleFetched(name, text))
            });
        }
        Effect::FocusGraphFromRun => {
            if dom::active_testid().as_deref() == Some("run") {
                dom::focus_testid("graph");
            }
        }
    }
}

/// Performs the effects the reducer returned, after each render.
#[hook]
pub fn use_effects(state: &UseReducerHandle<State>) {
    let d = state.dispatcher();
    let outbox = state.outbox.0.clone();
    use_effect(move || {
        // Taken first: performing one may dispatch, and so reduce into the same outbox.
        let mut due = std::mem::take(&mut *outbox.borrow_mut());
        // The same question asked twice in one render (several checks in one action) is asked once.
        let mut i = 0;
        while i < due.len() {
            if due[..i].contains(&due[i]) {
                due.remove(i);
            } else {
                i += 1;
            }
        }
        for effect in due {
            perform(effect, &d);
        }
    });
}

/// Pause after the last keystroke before the engine re-evaluates.
const DEBOUNCE_MS: u32 = 200;

/// What the playground, an embed and an exercise's run all do: the effects performed; the
/// checks run once just after the first frame is painted, then after each typing pause; the
/// worker's answers and the JSONata module's arrival told to the reducer.
#[hook]
pub fn use_live_checks(state: &UseReducerHandle<State>) {
    use_effects(state);
    let d = state.dispatcher();
    crate::jsonata::use_jsonata_ready(d.clone());
    crate::worker::use_worker(d.clone());
    {
        // The first frame is painted before the checks run (State::unchecked): they fill the
        // rules pane and draw the graph one frame later.
        let d = d.clone();
        use_effect_with((), move |_| {
            dom::after_paint(move || d.dispatch(Action::Check))
        });
    }
    // Then every edit re-checks after the typing pause (not on mount: the above does that).
    let mounted = use_mut_ref(|| [false; 2]);
    let ws = state.ws();
    {
        let (d, mounted) = (d.clone(), mounted.clone());
        // Keyed by a count of changes, not by copies of the texts (a 2 MB event copied on
        // every render): a render compares them with the last ones seen.
        let seen = use_mut_ref(|| (0u64, Text::default(), Text::default()));
        let changes = {
            let mut seen = seen.borrow_mut();
            if seen.1 != ws.event || seen.2 != ws.rules {
                seen.0 += 1;
                seen.1 = ws.event.clone();
                seen.2 = ws.rules.clone();
            }
            seen.0
        };
        use_effect_with(changes, move |_| {
            let first = !std::mem::replace(&mut mounted.borrow_mut()[0], true);
            let t = (!first)
                .then(|| Timeout::new(DEBOUNCE_MS, move || d.dispatch(Action::EvaluateRules)));
            move || drop(t)
        });
    }
    use_effect_with(ws.machine_text(), move |_| {
        let first = !std::mem::replace(&mut mounted.borrow_mut()[1], true);
        let t =
            (!first).then(|| Timeout::new(DEBOUNCE_MS, move || d.dispatch(Action::InspectMachine)));
        move || drop(t)
    });
}

/// How long to show one event during playback: long simulated gaps (a Wait, a retry's backoff)
/// take longer on screen, but never more than a second, so a 24-hour Wait passes in one.
pub fn frame_ms(gap_ms: Option<i64>, speed: f64) -> u32 {
    let gap = gap_ms.unwrap_or(0).max(0) as f64;
    ((150.0 + gap * 0.2).min(1000.0) / speed.max(0.01)) as u32
}

/// Most frames a whole playback takes at 1x; a longer history shows several events per frame, so
/// a Map of 1,000 items (8,000 events) plays in about a minute instead of twenty.
pub const MAX_FRAMES: usize = 400;

/// How many events one playback frame advances for a history of `len` events.
pub fn stride(len: usize) -> usize {
    len.div_ceil(MAX_FRAMES).max(1)
}

/// Playback: while the run plays, one timer per shown frame moves the cursor on (the playground,
/// and a workshop exercise's run).
#[hook]
pub fn use_playback(state: &UseReducerHandle<State>) {
    let d = state.dispatcher();
    let run = state.run.current.clone();
    let key = (
        state.run.playing,
        state.run.cursor,
        state.run.speed.to_bits(),
        run.as_ref().map(|r| Rc::as_ptr(r) as usize),
    );
    let speed = state.run.speed;
    use_effect_with(key, move |&(playing, cursor, _, _)| {
        let timer = run.filter(|_| playing).map(|run| {
            let len = run.replay.steps.len();
            let next = (cursor + stride(len)).min(len);
            // The simulated time the frame covers decides how long it stays on screen.
            let gap = cursor.checked_sub(1).and_then(|prev| {
                let last = next.saturating_sub(1).max(cursor);
                Some(run.replay.steps.get(last)?.millis? - run.replay.steps.get(prev)?.millis?)
            });
            Timeout::new(frame_ms(gap, speed), move || {
                d.dispatch(Action::Run(RunAction::Seek(next)))
            })
        });
        move || drop(timer)
    });
}

/// The state after `action` once the engine has answered every job it asked for (done here, as
/// the worker would); other effects are dropped (they are the browser's). For native tests.
#[cfg(test)]
pub fn settle(state: &State, action: Action) -> State {
    let mut state = state.clone();
    let mut queue = std::collections::VecDeque::from([action]);
    let mut guard = 0;
    while let Some(action) = queue.pop_front() {
        guard += 1;
        assert!(guard < 1000, "the reducer keeps asking");
        let Some((next, fx)) = super::reduce(&state, action) else {
            continue;
        };
        state = next;
        for effect in fx {
            if let Effect::Ask(job) = effect {
                let answer = job.work(None);
                queue.push_back(Action::Answered(job, answer));
            }
        }
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_histories_play_several_events_per_frame() {
        assert_eq!(stride(0), 1);
        assert_eq!(stride(38), 1);
        assert_eq!(stride(MAX_FRAMES), 1);
        assert_eq!(stride(MAX_FRAMES + 1), 2);
        // A Map over 1,000 items: 8,008 events in at most MAX_FRAMES frames.
        assert!(8008usize.div_ceil(stride(8008)) <= MAX_FRAMES);
    }

    #[test]
    fn a_long_simulated_wait_takes_at_most_a_second() {
        assert_eq!(frame_ms(Some(86_400_000), 1.0), 1000);
        assert_eq!(frame_ms(None, 1.0), 150);
        assert_eq!(frame_ms(Some(0), 2.0), 75);
    }
}
