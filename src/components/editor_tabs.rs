//! The five editors as tabs, and after them the "From AWS" pane (`components/aws.rs`), one large at a time (as the TypeScript playground shows its files),
//! so the graph keeps most of the screen; the column folds to a rail of tabs while a run plays.
//! Every editor stays in the page (hidden when its tab is not chosen), so its text, caret and
//! scroll position survive a switch.

use crate::evaluate::Source;
use yew::prelude::*;

/// The editors in tab order, with the `data-testid` of each one's textarea.
pub const TABS: [(Source, &str, &str); 5] = [
    (Source::Event, "editor-event", "Event"),
    (Source::Rules, "editor-rule", "Rules"),
    (Source::Machine, "editor-machine", "Machine"),
    (Source::Mocks, "editor-mocks", "Mocks"),
    (Source::S3, "editor-s3", "S3"),
];

/// Props of [`EditorTabs`].
#[derive(Properties, PartialEq)]
pub struct EditorTabsProps {
    /// The editor shown.
    pub active: Source,
    /// Whether the column is folded to its tabs.
    pub rail: bool,
    /// Problems per editor, in [`TABS`] order (a tab with problems is marked).
    pub problems: [usize; 5],
    /// A tab was chosen (this also unfolds the rail).
    pub on_pick: Callback<Source>,
    /// Fold (`true`) or unfold the column.
    pub on_rail: Callback<bool>,
    /// The five editors, in [`TABS`] order.
    pub panels: [Html; 5],
    /// Whether the "From AWS" pane is shown instead of an editor.
    pub aws: bool,
    /// Its tab was chosen.
    pub on_aws: Callback<()>,
    /// The "From AWS" pane.
    pub aws_panel: Html,
}

/// The editors' column.
#[component]
pub fn EditorTabs(p: &EditorTabsProps) -> Html {
    let fold = {
        let (cb, rail) = (p.on_rail.clone(), p.rail);
        Callback::from(move |_: MouseEvent| cb.emit(!rail))
    };
    html! {
        <section class={classes!("col", "editors", p.rail.then_some("rail"))} aria-label="Editors" data-testid="editors"
                 data-rail={p.rail.to_string()}>
            <div class="editor-tabs" role="tablist" aria-label="Editors" aria-orientation={if p.rail { "vertical" } else { "horizontal" }}>
                { for TABS.iter().zip(p.problems).map(|(&(source, testid, label), n)| {
                    let on = source == p.active && !p.rail && !p.aws;
                    let pick = p.on_pick.clone();
                    html! {
                        <button role="tab" class={classes!("editor-tab", on.then_some("on"))} data-testid={format!("tab-{testid}")}
                                aria-selected={on.to_string()} aria-controls={format!("panel-{testid}")}
                                title={if n > 0 { format!("{} — {n} problem(s)", source.title()) } else { source.title().to_owned() }}
                                onclick={Callback::from(move |_| pick.emit(source))}>
                            <span class="label">{ label }</span>
                            if n > 0 { <span class="tab-problems" aria-label={format!("{n} problems")}>{ n }</span> }
                        </button>
                    }
                }) }
                <button role="tab" class={classes!("editor-tab", "aws-tab", (p.aws && !p.rail).then_some("on"))} data-testid="tab-aws"
                        aria-selected={(p.aws && !p.rail).to_string()} aria-controls="panel-aws" aria-label="From AWS"
                        title="From AWS: replay a real execution's history, import or export a template, check sample events against the rules"
                        onclick={let cb = p.on_aws.clone(); Callback::from(move |_| cb.emit(()))}>
                    <span class="label long">{ "From AWS" }</span>
                    <span class="label short" aria-hidden="true">{ "AWS" }</span>
                </button>
                <span class="grow"></span>
                <button class="btn icon fold-rail" onclick={fold} data-testid="fold-editors"
                        aria-label={if p.rail { "Show the editors" } else { "Fold the editors to give the graph room" }}
                        title={if p.rail { "Show the editors" } else { "Fold the editors (the graph gets the room)" }}>
                    { if p.rail { "»" } else { "«" } }
                </button>
            </div>
            { for TABS.iter().zip(p.panels.iter()).map(|(&(source, testid, _), panel)| html! {
                <div class="editor-panel" role="tabpanel" id={format!("panel-{testid}")} hidden={p.rail || p.aws || source != p.active}>
                    { panel.clone() }
                </div>
            }) }
            <div class="editor-panel" role="tabpanel" id="panel-aws" hidden={p.rail || !p.aws}>
                { p.aws_panel.clone() }
            </div>
        </section>
    }
}
