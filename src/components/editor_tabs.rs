//! The editors as tabs, and after them the "From AWS" pane (`components/aws.rs`): the pane table's
//! tabs (`crate::panes`), one large at a time (as the TypeScript playground shows its files),
//! so the graph keeps most of the screen; the column folds to a rail of tabs while a run plays.
//! Every editor stays in the page (hidden when its tab is not chosen), so its text, caret and
//! scroll position survive a switch.

use crate::panes::Tab;
use yew::prelude::*;

/// One tab and its panel.
#[derive(Clone, PartialEq)]
pub struct TabPanel {
    /// The pane's id.
    pub id: &'static str,
    /// The tab.
    pub tab: Tab,
    /// Problems in its editor (a tab with problems is marked).
    pub problems: usize,
    /// The pane.
    pub panel: Html,
}

/// Props of [`EditorTabs`].
#[derive(Properties, PartialEq)]
pub struct EditorTabsProps {
    /// The tab shown (a pane's id).
    pub active: &'static str,
    /// Whether the column is folded to its tabs.
    pub rail: bool,
    /// The tabs, in order (the pane table's).
    pub tabs: Vec<TabPanel>,
    /// A tab was chosen (this also unfolds the rail).
    pub on_pick: Callback<&'static str>,
    /// Fold (`true`) or unfold the column.
    pub on_rail: Callback<bool>,
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
                { for p.tabs.iter().map(|t| {
                    let on = t.id == p.active && !p.rail;
                    let pick = p.on_pick.clone();
                    let id = t.id;
                    let onclick = Callback::from(move |_| pick.emit(id));
                    let key = t.tab.key;
                    match t.tab.short {
                        // A tab that is not an editor's: its tooltip says what it holds.
                        Some(short) => html! {
                            <button role="tab" class={classes!("editor-tab", format!("{key}-tab"), on.then_some("on"))} data-testid={format!("tab-{key}")}
                                    aria-selected={on.to_string()} aria-controls={format!("panel-{key}")} aria-label={t.tab.label}
                                    title={t.tab.hint} {onclick}>
                                <span class="label long">{ t.tab.label }</span>
                                <span class="label short" aria-hidden="true">{ short }</span>
                            </button>
                        },
                        None => {
                            let title = t.tab.source.map_or(t.tab.label, |s| s.title());
                            let n = t.problems;
                            html! {
                                <button role="tab" class={classes!("editor-tab", on.then_some("on"))} data-testid={format!("tab-{key}")}
                                        aria-selected={on.to_string()} aria-controls={format!("panel-{key}")}
                                        title={if n > 0 { format!("{title} — {n} problem(s)") } else { title.to_owned() }}
                                        {onclick}>
                                    <span class="label">{ t.tab.label }</span>
                                    if n > 0 { <span class="tab-problems" aria-label={format!("{n} problems")}>{ n }</span> }
                                </button>
                            }
                        }
                    }
                }) }
                <span class="grow"></span>
                <button class="btn icon fold-rail" onclick={fold} data-testid="fold-editors"
                        aria-label={if p.rail { "Show the editors" } else { "Fold the editors to give the graph room" }}
                        title={if p.rail { "Show the editors" } else { "Fold the editors (the graph gets the room)" }}>
                    { if p.rail { "»" } else { "«" } }
                </button>
            </div>
            { for p.tabs.iter().map(|t| html! {
                <div class="editor-panel" role="tabpanel" id={format!("panel-{}", t.tab.key)} hidden={p.rail || t.id != p.active}>
                    { t.panel.clone() }
                </div>
            }) }
        </section>
    }
}
