//! The *Redrive* button of a run that ended FAILED, TIMED_OUT or ABORTED: RedriveExecution goes
//! on from the unsuccessful step, on the same graph and history. The engine decides whether AWS
//! would redrive it (an Express workflow, a SUCCEEDED execution: no); a run made before an edit
//! is not redriven either, as AWS redrives with the definition the execution started with.

use crate::evaluate::Pane;
use crate::execution::RunView;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`RedriveButton`].
#[derive(Properties, PartialEq)]
pub struct RedriveProps {
    /// The run.
    pub run: Rc<RunView>,
    /// Whether the workspace changed since the run was made.
    pub stale: bool,
    /// Redrives it.
    pub on_redrive: Callback<()>,
}

/// The button, with what it does (or why it cannot) beside it.
#[component]
pub fn RedriveButton(p: &RedriveProps) -> Html {
    let Pane::Ready(o) = &p.run.outcome else {
        return html! {};
    };
    if !matches!(o.status.as_str(), "FAILED" | "TIMED_OUT" | "ABORTED") {
        return html! {};
    }
    let why_not = match (&p.run.redrivable, p.stale) {
        (Err(why), _) => Some(why.clone()),
        (Ok(()), true) => Some(
            "The workspace changed since this run: a redrive uses the definition and input the execution started with. Run again to start a new execution."
                .to_owned(),
        ),
        (Ok(()), false) => None,
    };
    let onclick = {
        let on_redrive = p.on_redrive.clone();
        Callback::from(move |_: MouseEvent| on_redrive.emit(()))
    };
    let count = p.run.redrive_count;
    html! {
        <div class="redrive" data-testid="redrive-panel" data-redrive-count={count.to_string()}>
            <button class="btn" data-testid="redrive" disabled={why_not.is_some()} {onclick}
                title={why_not.clone().unwrap_or_else(|| "RedriveExecution: go on from the unsuccessful step with the same input; the steps that succeeded are not run again".into())}>
                { "↻ Redrive" }
            </button>
            <span class="hint">
                { match (&why_not, count) {
                    (Some(why), _) => why.clone(),
                    (None, 0) => "Go on from the step that failed, with the same input.".to_owned(),
                    (None, n) => format!("Redriven {n} time{} so far.", if n == 1 { "" } else { "s" }),
                } }
            </span>
        </div>
    }
}
