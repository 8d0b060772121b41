//! The execution pane: the input the machine received (and which rule delivered it), then how the
//! execution ended — shown once playback reaches the end, as the console would.

use crate::evaluate::Pane;
use crate::execution::RunView;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ExecutionResult`].
#[derive(Properties, PartialEq)]
pub struct ResultProps {
    /// The run, if any.
    pub run: Option<Rc<RunView>>,
    /// Events shown.
    pub cursor: usize,
    /// Whether the workspace changed since the run was made (its outcome may no longer hold).
    #[prop_or_default]
    pub stale: bool,
    /// Answers a task token of a paused run.
    #[prop_or_default]
    pub on_answer: Callback<serde_json::Value>,
    /// Redrives a run that ended unsuccessfully.
    #[prop_or_default]
    pub on_redrive: Callback<()>,
}

/// The execution pane.
#[component]
pub fn ExecutionResult(p: &ResultProps) -> Html {
    let Some(run) = &p.run else {
        return html! {
            <section class="pane result-pane" aria-label="Execution">
                <header class="pane-head"><h2>{ "Execution" }</h2></header>
                <div class="pane-body" data-testid="result" data-outcome="none">
                    <p class="muted pad">{ "Press Run (Ctrl+Enter) to start the state machine with the input the rules deliver." }</p>
                </div>
            </section>
        };
    };
    let finished = p.cursor >= run.replay.len();
    let (outcome, body) = match &run.outcome {
        Pane::Unavailable(why) => (
            "UNAVAILABLE".to_owned(),
            html! { <p class="muted pad">{ why.clone() }</p> },
        ),
        Pane::Ready(_) if !finished => ("RUNNING".to_owned(), html! {}),
        Pane::Ready(o) => (
            o.status.clone(),
            html! {
                <>
                    if let Some(paused) = &run.paused {
                        <super::callbacks::CallbackPanel paused={paused.clone()} on_answer={p.on_answer.clone()} />
                    }
                    if let Some(out) = &o.output { <h3>{ "Output" }</h3><super::long_text::LongText text={AttrValue::from(out.clone())} testid="output" /> }
                    if let Some(err) = &o.error { <h3>{ "Error" }</h3><pre class="json error">{ err.clone() }</pre> }
                    if let Some(cause) = &o.cause { <h3>{ "Cause" }</h3><pre class="json">{ cause.clone() }</pre> }
                    <super::redrive::RedriveButton run={run.clone()} stale={p.stale} on_redrive={p.on_redrive.clone()} />
                    <super::s3_objects::WrittenObjects run={run.clone()} />
                </>
            },
        ),
    };
    let class = match outcome.as_str() {
        "SUCCEEDED" => "ok",
        "RUNNING" => "info",
        "UNAVAILABLE" => "muted",
        _ => "bad",
    };
    html! {
        <section class="pane result-pane" aria-label="Execution">
            <header class="pane-head">
                <h2>{ "Execution" }</h2>
                <span class={classes!("badge", class)} data-testid="outcome">{ outcome.replace('_', " ") }</span>
                if p.stale { <span class="badge warn" title="The workspace changed since this run: run again to see what it does now">{ "out of date" }</span> }
            </header>
            <div class="pane-body" data-testid="result" data-outcome={outcome.clone()} data-stale={p.stale.to_string()}>
                { body }
                // The outcome first: the input is one click away (and in the rules pane already).
                <details class="input" open={!finished}>
                    <summary><h3>{ "Input" }<span class="hint">{ format!(" from {}", run.input_from) }</span></h3></summary>
                    <super::long_text::LongText text={AttrValue::from(run.input.clone())} testid="machine-input" />
                </details>
            </div>
        </section>
    }
}
