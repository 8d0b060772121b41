//! The state inspector: for the state clicked in the graph, at the chosen moment, each run's input,
//! each attempt (parameters, result or error, the backoff before a retry), the error a Catch
//! handled, the output and the variables assigned; for a Task, the mock form.

use super::mock_form::MockForm;
use super::test_state::TestStatePanel;
use crate::evaluate::pretty;
use crate::execution::RunView;
use crate::inspect::{ExprRow, StateRun, expression_rows, flow_steps, state_runs};
use crate::replay::format_duration;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Inspector`].
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The inspected state's name.
    pub state: AttrValue,
    /// Its type (`Task`, `Choice`, …).
    pub kind: AttrValue,
    /// The run, if any.
    pub run: Option<Rc<RunView>>,
    /// Events shown.
    pub cursor: usize,
    /// The mocks text (for the mock form).
    pub mocks: AttrValue,
    /// New mocks text from the form.
    pub on_set_mocks: Callback<String>,
    /// Close the inspector.
    pub on_close: Callback<()>,
    /// Jump to an event (shows the first n).
    pub on_seek: Callback<usize>,
    /// The machine's text, for "Test this state".
    #[prop_or_default]
    pub definition: AttrValue,
}

/// The inspector pane.
#[component]
pub fn Inspector(p: &InspectorProps) -> Html {
    let runs = p
        .run
        .as_ref()
        .map(|r| state_runs(&r.history, &r.replay, &p.state, p.cursor))
        .unwrap_or_default();
    let close = {
        let cb = p.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    html! {
        <section class="pane inspector" aria-label={format!("Inspector: {}", p.state)} data-testid="inspector">
            <header class="pane-head">
                <h2>{ p.state.clone() }</h2>
                <span class="badge">{ p.kind.clone() }</span>
                <span class="grow"></span>
                <button class="btn icon" onclick={close} aria-label="Close the inspector" title="Close (Esc)">{ "✕" }</button>
            </header>
            <div class="pane-body">
                if p.run.is_none() {
                    <p class="muted pad">{ "Run the machine to see this state's data at each moment." }</p>
                } else if runs.is_empty() {
                    <p class="muted pad">{ "Not reached at this point of the execution." }</p>
                }
                { for runs.iter().enumerate().rev().take(5).map(|(n, run)| {
                    let flow = p.run.as_ref().map(|r| data_flow(r, run, p.cursor)).unwrap_or_default();
                    let ended = p.run.as_ref().and_then(|r| execution_end(r, p.cursor, &p.state));
                    run_view(n, runs.len(), run, flow, ended, &p.on_seek)
                }) }
                if runs.len() > 5 { <p class="muted pad">{ format!("… and {} earlier runs", runs.len() - 5) }</p> }
                if p.kind == "Task" {
                    <MockForm state={p.state.clone()} mocks={p.mocks.clone()} on_set={p.on_set_mocks.clone()} />
                }
                if !p.definition.is_empty() {
                    <TestStatePanel definition={p.definition.clone()} state={p.state.clone()} kind={p.kind.clone()}
                        input={runs.last().and_then(|r| r.input.as_ref()).map(|v| AttrValue::from(pretty(v)))} />
                }
            </div>
        </section>
    }
}

fn json_block(title: &str, v: &serde_json::Value) -> Html {
    html! { <><h4>{ title.to_owned() }</h4><pre class="json">{ pretty(v) }</pre></> }
}

/// The engine's data-flow steps of `run` (matched by its Entered event), as far as the moment
/// `cursor` reveals them: the steps after the work appear once the state has finished it.
fn data_flow(view: &RunView, run: &StateRun, cursor: usize) -> Html {
    let Some(id) = view.replay.steps.get(run.entered_at).map(|s| s.id) else {
        return html! {};
    };
    let Some(engine) = view
        .runs
        .iter()
        .find(|r| i64::try_from(r.entered_event_id).ok() == Some(id))
    else {
        return html! {};
    };
    let done = i64::try_from(engine.last_event_id).is_ok_and(|last| cursor as i64 >= last);
    let steps = flow_steps(&engine.inspection);
    let shown: Vec<_> = steps.iter().filter(|s| done || !s.after_work).collect();
    let (exprs, omitted) = expression_rows(&engine.inspection, cursor);
    html! {<>
        if !exprs.is_empty() { { expressions(&exprs, omitted, done && engine.status != "FAILED") } }
        if !shown.is_empty() { { flow_list(&shown, done) } }
    </>}
}

/// Each JSONata expression the run evaluated so far: where it sits, its text, and its value or
/// error; for a Choice, the rule whose `Condition` held.
fn expressions(rows: &[ExprRow], omitted: u64, went_on: bool) -> Html {
    let conditions = rows.iter().any(|r| r.field.ends_with("].Condition"));
    let none_held = went_on && conditions && !rows.iter().any(|r| r.chosen || r.error.is_some());
    html! {
        <details class="flow exprs" open=true data-testid="expressions">
            <summary>{ "JSONata expressions" }<span class="muted">{ format!(" — {} evaluated", rows.len()) }</span></summary>
            <ol class="expr-list">
                { for rows.iter().map(|r| html! {
                    <li class={classes!("expr", r.error.as_ref().map(|_| "failed"), r.chosen.then_some("chosen"))} data-field={r.field.clone()}>
                        <div class="expr-head">
                            <strong class="expr-field">{ r.field.clone() }</strong>
                            if r.chosen { <span class="badge ok" title="The first Condition that held: the Choice followed this rule">{ "✓ chosen" }</span> }
                        </div>
                        <code class="expr-src t-ata">{ "{% " }{ r.expression.clone() }{ " %}" }</code>
                        if let Some((err, cause)) = &r.error {
                            <div class="error-box"><strong>{ err.clone() }</strong><div class="cause">{ cause.clone() }</div></div>
                        } else if let Some(v) = &r.value {
                            <div class="expr-value"><span class="expr-arrow" aria-label="evaluated to">{ "→" }</span><pre class="json">{ pretty(v) }</pre></div>
                        }
                    </li>
                }) }
            </ol>
            if none_held { <p class="muted expr-note">{ "No Condition held: the Choice followed its Default." }</p> }
            if omitted > 0 { <p class="muted">{ format!("… and {omitted} more (not recorded)") }</p> }
        </details>
    }
}

fn flow_list(shown: &[&crate::inspect::FlowStep], done: bool) -> Html {
    html! {
        <details class="flow" open=true data-testid="data-flow">
            <summary>{ "Data flow" }</summary>
            <ol class="flow-steps">
                { for shown.iter().map(|s| html! {
                    <li class="flow-step" data-step={s.label}>
                        <div class="flow-head"><strong>{ s.label }</strong><span class="muted">{ " — " }{ s.note }</span></div>
                        <pre class="json">{ pretty(&s.value) }</pre>
                    </li>
                }) }
            </ol>
            if !done { <p class="muted">{ "Result, ResultSelector and ResultPath appear once the state has done its work." }</p> }
        </details>
    }
}

/// How the execution ended among the first `cursor` events, if it did: whether `state` is the
/// one it failed in (its event is the one `ExecutionFailed` follows), the error and the cause.
fn execution_end(view: &RunView, cursor: usize, state: &str) -> Option<(bool, String, String)> {
    let (i, step) = view
        .replay
        .steps
        .iter()
        .enumerate()
        .take(cursor)
        .find(|(_, s)| {
            matches!(
                s.kind.as_str(),
                "ExecutionFailed" | "ExecutionTimedOut" | "ExecutionAborted"
            )
        })?;
    let d = view
        .history
        .get(i)
        .and_then(|e| crate::replay::details(e, &step.kind));
    let field = |k: &str| {
        d.and_then(|d| d.get(k))
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned()
    };
    let here = step.blames.as_deref() == Some(state);
    let error = field("error");
    Some((
        here,
        if error.is_empty() {
            step.kind.clone()
        } else {
            error
        },
        field("cause"),
    ))
}

fn run_view(
    n: usize,
    total: usize,
    run: &StateRun,
    flow: Html,
    ended: Option<(bool, String, String)>,
    on_seek: &Callback<usize>,
) -> Html {
    let unfinished = !run.exited && run.attempts.iter().all(|a| a.error.is_none());
    let seek = {
        let (cb, at) = (on_seek.clone(), run.entered_at + 1);
        Callback::from(move |_| cb.emit(at))
    };
    html! {
        <article class="run">
            if total > 1 {
                <h3><button class="linkish" onclick={seek}>{ format!("Run {} of {}", n + 1, total) }</button></h3>
            }
            if let Some(input) = &run.input { { json_block("Input", input) } }
            { for run.attempts.iter().enumerate().map(|(i, a)| html! {
                <div class={classes!("attempt", a.error.as_ref().map(|_| "failed"))}>
                    <h4>
                        { format!("Attempt {}", i + 1) }
                        if a.unmocked { <span class="badge warn" title="No mock for this invocation: the task returned its input">{ "unmocked" }</span> }
                    </h4>
                    if let Some(params) = &a.parameters { <div class="sub">{ "called with" }</div><pre class="json">{ pretty(params) }</pre> }
                    if let Some(result) = &a.result { <div class="sub">{ "returned" }</div><pre class="json">{ pretty(result) }</pre> }
                    if let Some(err) = &a.error {
                        <div class="error-box">
                            <strong>{ err.clone() }</strong>
                            if let Some(c) = &a.cause { <div class="cause">{ c.clone() }</div> }
                        </div>
                    }
                    if let Some(ms) = a.backoff_ms {
                        <div class="backoff">{ format!("↻ retried after {} (backoff on the virtual clock)", format_duration(ms)) }</div>
                    }
                </div>
            }) }
            if let Some((err, cause)) = &run.caught {
                <div class="caught-box"><strong>{ "↷ Caught " }{ err.clone() }</strong><div class="cause">{ cause.clone() }</div></div>
            }
            { flow }
            if let Some(out) = &run.output { { json_block("Output", out) } }
            if let Some(vars) = &run.assigned { { json_block("Variables assigned", vars) } }
            if unfinished {
                if let Some((here, err, cause)) = ended {
                    if here {
                        <div class="error-box" data-testid="failed-here"><strong>{ "✕ The execution failed here: " }{ err }</strong><div class="cause">{ cause }</div></div>
                    } else {
                        <p class="muted">{ format!("⊘ Stopped: the execution ended ({err}).") }</p>
                    }
                } else {
                    <p class="muted">{ "running…" }</p>
                }
            }
        </article>
    }
}
