//! The exercise list: every exercise in order, with the learner's progress.

use super::draft::Progress;
use statebridge_engine::exercise::Exercise;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ExerciseList`].
#[derive(Properties, PartialEq)]
pub struct ListProps {
    /// The exercises, in order.
    pub exercises: Rc<Vec<Exercise>>,
    /// What the learner has solved.
    pub progress: Rc<Progress>,
}

/// The workshop's start page.
#[component]
pub fn ExerciseList(p: &ListProps) -> Html {
    let solved = p
        .exercises
        .iter()
        .filter(|e| p.progress.is_solved(&e.id))
        .count();
    let total = p.exercises.len();
    html! {
        <main class="workshop ex-list-page">
            <header class="ex-head">
                <h1>{ "Workshop: events to workflows" }</h1>
                <p class="muted">
                    { "Each exercise starts from a workspace that does not work yet. Edit it, press Check, and every check says why it passed or failed. Your work and progress stay in this browser." }
                </p>
                <p data-testid="progress" class="ex-progress">
                    <progress max={total.to_string()} value={solved.to_string()}></progress>
                    { format!(" {solved} of {total} solved") }
                </p>
                <p><a href="#">{ "← Back to the playground" }</a></p>
            </header>
            <ol class="ex-list" data-testid="exercise-list">
                { for p.exercises.iter().map(|e| {
                    let done = p.progress.is_solved(&e.id);
                    let started = p.progress.drafts.contains_key(&e.id);
                    html! {
                        <li class={classes!("ex-item", done.then_some("solved"))} data-exercise={e.id.clone()} data-solved={done.to_string()}>
                            <a href={format!("{}/{}", super::ROUTE, e.id)} data-testid="exercise-link">{ e.title.clone() }</a>
                            if done {
                                <span class="badge ok" title="Every check passed">{ "✓ solved" }</span>
                            } else if started {
                                <span class="badge" title="You have started this one">{ "… started" }</span>
                            }
                            <span class="muted ex-meta">{ format!("{} checks", e.checks.len()) }</span>
                        </li>
                    }
                }) }
            </ol>
        </main>
    }
}
