//! An exercise's run: the learner's texts run as the playground runs them, played on the graph
//! (retries, catches and all) with the playback controls, the rules' verdicts and the outcome —
//! so the behaviour an exercise is about can be watched before it is checked.

use crate::components::{
    graph::Graph, playback::Playback, result::ExecutionResult, rules::RuleResults,
};
use crate::state::effects::{use_live_checks, use_playback};
use crate::state::{RunAction, State, ViewAction};
use crate::workspace::{MachineText, Workspace, examples};
use yew::prelude::*;

/// The playground's workspace of a draft (its one machine under the exercise's machine name).
pub fn workspace(draft: &super::draft::Draft, machine: &str) -> Workspace {
    Workspace {
        example: None,
        event: draft.event.clone(),
        rules: draft.rules.clone(),
        machines: vec![MachineText {
            name: machine.to_owned(),
            text: draft.machine.clone(),
        }],
        active: 0,
        mocks: draft.mocks.clone(),
        s3: String::new(),
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
    let (nodes, moves) = crate::panes::use_shown(&state);
    let len = state.run.len();
    let at = state.run.cursor.checked_sub(1);
    let step = at.and_then(|i| state.run.current.as_ref()?.replay.steps.get(i).cloned());
    let elapsed = at.and_then(|i| state.run.current.as_ref()?.replay.elapsed_ms(i));
    let problems = state.diagnostics();
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
            <div class="ex-run-graph">
                <Graph layout={state.editors.layout.clone()} nodes={nodes} moves={moves} selected={state.view.selected.clone()}
                    on_select={let d = d.clone(); Callback::from(move |n| d.dispatch(ViewAction::Select(Some(n)).into()))} />
            </div>
            <Playback cursor={state.run.cursor} len={len} playing={state.run.playing} speed={state.run.speed}
                elapsed={elapsed} event_type={step.map(|s| AttrValue::from(s.kind))} timestamp={None::<AttrValue>}
                on_seek={let d = d.clone(); Callback::from(move |n| d.dispatch(RunAction::Seek(n).into()))}
                on_play={let d = d.clone(); Callback::from(move |on| d.dispatch(RunAction::SetPlaying(on).into()))}
                on_speed={let d = d.clone(); Callback::from(move |x| d.dispatch(RunAction::SetSpeed(x).into()))} />
            <div class="ex-run-panes">
                <RuleResults view={state.editors.rules.clone()} />
                <ExecutionResult run={state.run.current.clone()} cursor={state.run.cursor} />
            </div>
        </section>
    }
}
