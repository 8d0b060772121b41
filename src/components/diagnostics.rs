//! The diagnostics list: every problem the engine found, by editor, with its line and column;
//! picking one puts the cursor there.

use crate::evaluate::Diag;
use crate::worker::{Kind, use_asked};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`Diagnostics`].
#[derive(Properties, PartialEq)]
pub struct DiagnosticsProps {
    /// The problems.
    pub diags: Rc<Vec<Diag>>,
    /// Called when one is picked.
    pub on_pick: Callback<Diag>,
    /// The checks have not run yet (the page's first frame).
    #[prop_or_default]
    pub checking: bool,
    /// The kinds of the worker's jobs that check these texts: while one is at work or waiting,
    /// the problems shown may be out of date, and the pane says "checking…".
    #[prop_or_default]
    pub pending_on: &'static [Kind],
}

/// The diagnostics pane.
#[component]
pub fn Diagnostics(p: &DiagnosticsProps) -> Html {
    let pending = use_asked(p.pending_on);
    html! {
        <section class={classes!("pane", "diag-pane", pending.then_some("pending"))} aria-label="Diagnostics"
            aria-busy={pending.to_string()} data-pending={pending.to_string()}>
            <header class="pane-head">
                <h2>{ "Diagnostics" }</h2>
                if pending && !p.checking { <span class="hint checking" data-testid="diagnostics-checking">{ "checking…" }</span> }
                if p.checking {
                    <span class="badge">{ "…" }</span>
                } else {
                    <span class={classes!("badge", if p.diags.is_empty() { "ok" } else { "bad" })}>
                        { if p.diags.is_empty() { "✓ none".to_owned() } else { format!("✕ {}", p.diags.len()) } }
                    </span>
                }
            </header>
            <ul class="pane-body diag-list" data-testid="diagnostics" data-count={(!p.checking).then(|| p.diags.len().to_string())}>
                if p.checking {
                    <li class="muted pad">{ "Checking…" }</li>
                } else if p.diags.is_empty() {
                    <li class="muted pad">{ "No problems found." }</li>
                }
                { for p.diags.iter().map(|d| {
                    let (cb, d2) = (p.on_pick.clone(), d.clone());
                    let place = match (d.line, d.column) {
                        (Some(l), Some(c)) => format!("{}:{l}:{c}", d.source.title()),
                        (Some(l), None) => format!("{}:{l}", d.source.title()),
                        _ => d.source.title().to_owned(),
                    };
                    html! {
                        <li class="diag" data-line={d.line.map(|l| l.to_string())} data-column={d.column.map(|c| c.to_string())}
                            data-source={d.source.title()}>
                            <button class="linkish" onclick={Callback::from(move |_| cb.emit(d2.clone()))} title="Go to this place">
                                <span class="where">{ place }</span>
                                <span class="msg">{ d.message.clone() }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
