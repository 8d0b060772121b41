//! An exercise's run: the learner's texts run as the playground runs them, played on the graph
//! (retries, catches and all) with the playback controls, the rules' verdicts and the outcome —
//! so the behaviour an exercise is about can be watched before it is checked.

use crate::panes::{self, Ctx, Host};
use crate::state::effects::{use_live_checks, use_playback};
use crate::state::{RunAction, State};
use crate::workspace::{MachineText, Workspace, examples};
use yew::prelude::*;

/// The playground's workspace of a draft (its one machine under the exercise's machine name).
pub fn workspace(draft: &super::draft::Draft, machine: &str) -> Workspace {
    Workspace {
        example: None,
        event: draft.event.as_str().into(),
        rules: draft.rules.as_str().into(),
        machines: vec![MachineText {
            name: machine.to_owned(),
            text: draft.machine.as_str().into(),
        }],
        active: 0,
        mocks: draft.mocks.as_str().into(),
        s3: Default::default(),
        schedule_window: None,
        aws: Default::default(),
    }
}

/// Props of [`ExerciseRun`].
#[derive(Properties, PartialEq)]
pub struct RunProps {
    /// The texts to run (a new run is a new component: give it a new `key`).
    pub ws: Workspace,
    /// Closes the run.
    pub on_close: Callback<()>,
}

/// Runs the texts once mounted and plays the execution.
#[component]
pub fn ExerciseRun(p: &RunProps) -> Html {
    let state = {
        let ws = p.ws.clone();
        use_reducer(move || State::unchecked(ws, examples(), None))
    };
    let d = state.dispatcher();
    use_live_checks(&state);
    use_playback(&state);
    {
        let d = d.clone();
        use_effect_with((), move |_| d.dispatch(RunAction::Run.into()));
    }
    let (nodes, moves) = panes::use_shown(&state);
    let problems = state.diagnostics();
    let cx = Ctx {
        state: &state,
        d: &d,
        host: Host::Exercise,
        nodes,
        moves,
        diags: std::rc::Rc::new(problems.clone()),
        stale: false,
    };
    // The panes of the pane table an exercise's run shows: the centre's (graph, playback) above,
    // the side's (rules' verdicts, the outcome) side by side below.
    let shown = |centre: bool| -> Html {
        panes::in_place(centre)
            .filter(|p| p.exercise)
            .map(|p| (p.render)(p, &cx))
            .collect()
    };
    let on_close = p.on_close.clone();
    html! {
        <section class="pane ex-run" aria-label="Run" data-testid="exercise-run">
            <header class="pane-head">
                <h2>{ "Run" }</h2>
                <span class="hint">{ "your texts, as the playground runs them: not graded" }</span>
                <span class="grow"></span>
                <button class="btn icon" aria-label="Close the run" title="Close the run" onclick={move |_| on_close.emit(())}>{ "✕" }</button>
            </header>
            if !problems.is_empty() {
                <ul class="ex-run-problems" data-testid="exercise-run-problems">
                    { for problems.iter().take(5).map(|d| html! {
                        <li>{ format!("{}{}: {}", d.source.title(),
                            d.line.map_or_else(String::new, |l| format!(" {l}:{}", d.column.unwrap_or(1))), d.message) }</li>
                    }) }
                </ul>
            }
            { shown(true) }
            <div class="ex-run-panes">{ shown(false) }</div>
        </section>
    }
}
