//! One exercise: the instructions (safe Markdown), hints revealed one at a time, an editor per
//! unlocked pane (locked panes are shown read-only), and Check, which grades the texts in wasm
//! with the same checks `statebridge check` runs.

use super::draft::{Draft, title};
use crate::components::editor::Editor;
use crate::markdown;
use statebridge_engine::exercise::{CheckResult, Exercise, Pane};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ExerciseView`].
#[derive(Properties, PartialEq)]
pub struct ViewProps {
    /// The exercise.
    pub exercise: Rc<Exercise>,
    /// Its place in the workshop, from 0.
    pub index: usize,
    /// How many exercises there are.
    pub total: usize,
    /// The next exercise's id, if any.
    pub next: Option<String>,
    /// The learner's saved texts, if any.
    pub draft: Option<Draft>,
    /// Whether it was solved before.
    pub solved: bool,
    /// Called with every change of the texts (to save them).
    pub on_draft: Callback<Draft>,
    /// Called with the verdicts of every Check.
    pub on_checked: Callback<Vec<CheckResult>>,
}

/// The outcome of the last Check.
#[derive(Clone, PartialEq)]
enum Verdict {
    None,
    Unreadable(String),
    Checked(Vec<CheckResult>),
}

/// An exercise page.
#[component]
pub fn ExerciseView(p: &ViewProps) -> Html {
    let ex = p.exercise.clone();
    let draft = {
        let (ex, saved) = (ex.clone(), p.draft.clone());
        use_state(move || saved.unwrap_or_else(|| Draft::start(&ex)))
    };
    let verdict = use_state(|| Verdict::None);
    let hints = use_state(|| 0usize);
    let edit = |pane: Pane| {
        let (draft, on_draft) = (draft.clone(), p.on_draft.clone());
        Callback::from(move |text: String| {
            let mut d = (*draft).clone();
            d.set(pane, text);
            on_draft.emit(d.clone());
            draft.set(d);
        })
    };
    let format = |pane: Pane| {
        let (draft, on_draft) = (draft.clone(), p.on_draft.clone());
        Callback::from(move |()| {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(draft.text(pane)) else {
                return;
            };
            let mut d = (*draft).clone();
            d.set(pane, serde_json::to_string_pretty(&v).unwrap_or_default());
            on_draft.emit(d.clone());
            draft.set(d);
        })
    };
    let on_check = {
        let (ex, draft, verdict, on_checked) = (
            ex.clone(),
            draft.clone(),
            verdict.clone(),
            p.on_checked.clone(),
        );
        Callback::from(move |_| match draft.check(&ex) {
            Ok(results) => {
                on_checked.emit(results.clone());
                verdict.set(Verdict::Checked(results));
            }
            Err(why) => verdict.set(Verdict::Unreadable(why)),
        })
    };
    let on_restart = {
        let (ex, draft, verdict, on_draft) = (
            ex.clone(),
            draft.clone(),
            verdict.clone(),
            p.on_draft.clone(),
        );
        Callback::from(move |_| {
            let d = Draft::start(&ex);
            on_draft.emit(d.clone());
            draft.set(d);
            verdict.set(Verdict::None);
        })
    };
    // The texts run and played on a graph, as often as wanted, before (or after) a Check.
    let run = use_state(|| None::<(u32, crate::workspace::Workspace)>);
    let on_run = {
        let (run, draft, ex) = (run.clone(), draft.clone(), ex.clone());
        Callback::from(move |_| {
            let machine = ex
                .start
                .machines
                .keys()
                .next()
                .map_or("StateMachine", String::as_str);
            let n = run.as_ref().map_or(0, |(n, _)| n + 1);
            run.set(Some((n, super::run::workspace(&draft, machine))));
        })
    };
    let on_close_run = {
        let run = run.clone();
        Callback::from(move |()| run.set(None))
    };
    let on_hint = {
        let hints = hints.clone();
        Callback::from(move |_| hints.set(*hints + 1))
    };
    let no_marks = Rc::new(Vec::new());
    let passed_all = matches!(&*verdict, Verdict::Checked(r) if r.iter().all(|c| c.passed));
    html! {
        <main class="workshop ex-page">
            <nav class="ex-nav">
                <a href={super::ROUTE} data-testid="exercise-back">{ "← All exercises" }</a>
                <span class="muted">{ format!("Exercise {} of {}", p.index + 1, p.total) }</span>
                if p.solved { <span class="badge ok">{ "✓ solved" }</span> }
            </nav>
            <div class="ex-grid">
                <section class="ex-text pane" aria-label="Instructions">
                    <h2 class="ex-title">{ ex.title.clone() }</h2>
                    <div class="md" data-testid="instructions">{ markdown::render(&ex.instructions) }</div>
                    if !ex.hints.is_empty() {
                        <div class="ex-hints">
                            { for ex.hints.iter().take(*hints).enumerate().map(|(i, h)| html! {
                                <div class="hint md" data-testid="hint"><strong>{ format!("Hint {}: ", i + 1) }</strong>{ markdown::render(h) }</div>
                            }) }
                            if *hints < ex.hints.len() {
                                <button class="btn small" data-testid="show-hint" onclick={on_hint}>
                                    { format!("Show a hint ({} of {})", *hints + 1, ex.hints.len()) }
                                </button>
                            }
                        </div>
                    }
                    <div class="ex-actions">
                        <button class="btn" data-testid="run" onclick={on_run} title="Run your texts and watch the execution on the graph (not graded)">{ "▶ Run" }</button>
                        <button class="btn primary" data-testid="check" onclick={on_check}>{ "✓ Check" }</button>
                        <button class="btn" data-testid="restart" onclick={on_restart} title="Put back the exercise's starting texts">{ "⟲ Start over" }</button>
                    </div>
                    { results(&verdict) }
                    if passed_all {
                        <p class="ex-done" data-testid="solved" role="status">
                            { "Every check passes. " }
                            if let Some(next) = &p.next {
                                <a href={format!("{}/{}", super::ROUTE, next)} data-testid="next-exercise">{ "Next exercise →" }</a>
                            } else {
                                <a href={super::ROUTE}>{ "Back to the list" }</a>
                            }
                        </p>
                    }
                </section>
                <section class="ex-editors" aria-label="Workspace">
                    if let Some((n, ws)) = &*run {
                        <super::run::ExerciseRun key={*n} ws={ws.clone()} on_close={on_close_run} />
                    }
                    // A locked pane shows the exercise's own text: that is what is graded.
                    { for Pane::ALL.iter().map(|&pane| if ex.is_locked(pane) {
                        html! {
                            <details class="pane locked" data-pane={pane.name()}>
                                <summary class="pane-head"><h2>{ title(pane) }</h2><span class="hint">{ "locked" }</span></summary>
                                <pre class="locked-text" data-testid={format!("locked-{}", pane.name())}>{ Draft::start(&ex).text(pane).to_owned() }</pre>
                            </details>
                        }
                    } else {
                        html! {
                            <Editor testid={testid(pane)} title={title(pane)} hint="edit me"
                                value={AttrValue::from(draft.text(pane).to_owned())}
                                marks={no_marks.clone()} on_input={edit(pane)} on_format={format(pane)} />
                        }
                    }) }
                </section>
            </div>
        </main>
    }
}

/// The playground's test ids, so tests drive both pages alike.
fn testid(pane: Pane) -> &'static str {
    match pane {
        Pane::Event => "editor-event",
        Pane::Rules => "editor-rule",
        Pane::Machine => "editor-machine",
        Pane::Mocks => "editor-mocks",
    }
}

fn results(verdict: &Verdict) -> Html {
    match verdict {
        Verdict::None => html! {
            <p class="muted" data-testid="check-results" data-state="none">{ "Press Check to grade your work." }</p>
        },
        Verdict::Unreadable(why) => html! {
            <p class="ex-unreadable" data-testid="check-results" data-state="unreadable" role="alert">
                { "Cannot check yet: " }{ why.clone() }
            </p>
        },
        Verdict::Checked(results) => {
            let passed = results.iter().filter(|r| r.passed).count();
            html! {
                <div data-testid="check-results" data-state={if passed == results.len() { "passed" } else { "failed" }}>
                    <p class="ex-score" role="status">{ format!("{passed} of {} checks pass", results.len()) }</p>
                    <ul class="ex-results">
                        { for results.iter().map(|r| html! {
                            <li class={classes!("ex-result", if r.passed { "pass" } else { "fail" })}
                                data-testid="check-result" data-passed={r.passed.to_string()}>
                                <span class="glyph" aria-hidden="true">{ if r.passed { "✓" } else { "✕" } }</span>
                                <span class="sr-only">{ if r.passed { "Passed: " } else { "Failed: " } }</span>
                                <strong>{ r.title.clone() }</strong>
                                <span class="reason">{ r.reason.clone() }</span>
                            </li>
                        }) }
                    </ul>
                </div>
            }
        }
    }
}
