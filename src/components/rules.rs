//! The rules pane: each rule matched or not, the engine's explanation, and each target's input.

use crate::evaluate::{Pane, RuleOutcome, RulesView};
use crate::worker::{Kind, use_asked};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`RuleResults`].
#[derive(Properties, PartialEq)]
pub struct RuleResultsProps {
    /// The verdicts.
    pub view: Rc<RulesView>,
    /// The kinds of the worker's jobs that route these texts: while one is at work or waiting,
    /// the verdicts shown may be out of date, and the pane says "checking…".
    #[prop_or_default]
    pub pending_on: &'static [Kind],
}

/// The rules pane.
#[component]
pub fn RuleResults(p: &RuleResultsProps) -> Html {
    let pending = use_asked(p.pending_on);
    let body = match &p.view.outcomes {
        Pane::Unavailable(why) => {
            html! { <p class="muted pad" data-testid="rule-result" data-matched="unknown">{ why.clone() }</p> }
        }
        Pane::Ready(list) if list.is_empty() => {
            html! { <p class="muted pad" data-testid="rule-result" data-matched="unknown">{ "No rules yet: add one to the Rules editor." }</p> }
        }
        Pane::Ready(list) => html! { <>{ for list.iter().map(rule) }</> },
    };
    let matched = match &p.view.outcomes {
        Pane::Ready(list) => {
            let invalid = list.iter().filter(|r| r.invalid).count();
            let mut hint = format!(
                "{} of {} matched",
                list.iter().filter(|r| r.matched).count(),
                list.len() - invalid
            );
            if invalid > 0 {
                hint.push_str(&format!(", {invalid} invalid"));
            }
            hint
        }
        Pane::Unavailable(_) => String::new(),
    };
    html! {
        <section class={classes!("pane", "rules-pane", pending.then_some("pending"))} aria-label="Rule results"
            aria-busy={pending.to_string()} data-pending={pending.to_string()}>
            <header class="pane-head"><h2>{ "Rules" }</h2>
                if pending { <span class="hint checking" data-testid="rules-checking">{ "checking…" }</span> }
                <span class="hint">{ matched }</span></header>
            <div class="pane-body">
                if let Some(note) = &p.view.note {
                    <p class="note pad" role="note" data-testid="rules-note">{ note.clone() }</p>
                }
                { body }
            </div>
        </section>
    }
}

fn rule(r: &RuleOutcome) -> Html {
    let (verdict, class, matched) = match (r.invalid, r.matched) {
        (true, _) => ("⚠ invalid", "invalid", "invalid"),
        (false, true) => ("✓ matched", "ok", "true"),
        (false, false) => ("✕ not matched", "no", "false"),
    };
    html! {
        <details class={classes!("rule", class)} data-testid="rule-result"
                 data-rule={r.name.clone()} data-matched={matched} open={!r.matched || !r.targets.is_empty()}>
            <summary>
                <span class="verdict">{ verdict }</span>
                <span class="rule-name">{ r.name.clone() }</span>
            </summary>
            if !r.explanation.is_empty() {
                <pre class="explain" data-testid="explanation">{ r.explanation.clone() }</pre>
            }
            { for r.targets.iter().map(|t| html! {
                <div class="target">
                    <div class="target-head">
                        <span class="target-id">{ format!("Target {}", t.id) }</span>
                        if let Some(m) = &t.machine {
                            <span class={classes!("badge", if t.starts_machine { "info" } else { "muted" })} data-testid="target-machine"
                                title={if t.starts_machine { "Starts the state machine in the editor" } else { "Starts another machine of the workspace (Run system runs them all)" }}>
                                { format!("starts {m}") }
                            </span>
                        } else if t.starts_machine { <span class="badge info">{ "starts the state machine" }</span> }
                        if let Some(arn) = &t.arn { <span class="arn" title={arn.clone()}>{ arn.clone() }</span> }
                    </div>
                    { match &t.input {
                        Ok(json) => html! { <pre class="json" data-testid="target-input">{ json.clone() }</pre> },
                        Err(e) => html! { <p class="error">{ e.clone() }</p> },
                    } }
                </div>
            }) }
        </details>
    }
}
