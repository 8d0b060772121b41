//! The playground's root component: owns the state (a reducer, `crate::state`), lays out the
//! panes of the pane table (`crate::panes`) in the editors' tabs and the two columns, and binds
//! the share link, autosave and the keyboard shortcuts. The effects (the engine's worker,
//! fetches, timers, focus) are `crate::state::effects`'.

use crate::components::{
    editor_tabs::{EditorTabs, TabPanel},
    help::Help,
    topbar::TopBar,
};
use crate::dom;
use crate::evaluate::{Diag, Source};
use crate::link;
use crate::panes::{self, Ctx, Host};
use crate::state::effects::{use_live_checks, use_playback};
use crate::state::{Action, Columns, EditorsAction, RunAction, State, ViewAction};
use crate::workspace::examples;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// The workspace to open with: a share link wins, then the autosave, then the first example.
fn initial_state() -> State {
    let list = examples();
    let first = || {
        list.first()
            .and_then(|e| e.workspace.clone())
            .unwrap_or_default()
    };
    let mut opening = None;
    let (ws, notice) = match link::read_fragment(&dom::fragment()) {
        Ok(Some(shared)) => {
            // (A link with a run says where the run is shown once it has run: Action::Show.)
            let notice = "Opened the workspace from the share link.".to_owned();
            opening = shared.view;
            let saved = crate::autosave::load();
            (link::with_left_out(shared.ws, saved), Some(notice))
        }
        // A damaged link still opens the user's own work when there is some.
        Err(why) => (crate::autosave::load().unwrap_or_else(first), Some(why)),
        Ok(None) => match crate::autosave::load() {
            Some(ws) => (ws, None),
            None => (first(), None),
        },
    };
    let mut state = State::unchecked(ws, list, notice);
    state.view.opening = opening;
    // The playground has the editors' column.
    state.view.columns = Some(Columns::default());
    state
}

/// Puts the cursor of the editor a diagnostic belongs to at its place.
pub fn focus_diag(d: &Diag, text: &str) {
    let id = match d.source {
        Source::Event => "ed-editor-event",
        Source::Rules => "ed-editor-rule",
        Source::Machine => "ed-editor-machine",
        Source::Mocks => "ed-editor-mocks",
        Source::S3 => "ed-editor-s3",
    };
    if crate::code_editor::goto(id, d.line.unwrap_or(1), d.column.unwrap_or(1)) {
        return;
    }
    let Some(el) =
        dom::element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let byte = crate::highlight::offset_of(text, d.line.unwrap_or(1), d.column.unwrap_or(1));
    let utf16 = text.get(..byte).map_or(0, |s| s.encode_utf16().count()) as u32;
    let _ = el.focus();
    let _ = el.set_selection_range(utf16, utf16);
    crate::components::editor::scroll_to_line(&el, d.line.unwrap_or(1));
}

/// The whole playground.
#[component]
pub fn App() -> Html {
    let state = use_reducer(initial_state);
    let d = state.dispatcher();
    use_live_checks(&state);
    {
        // A share link pasted into the running page opens too (keeping the current work for undo).
        let d = d.clone();
        use_effect_with((), move |_| {
            let listener =
                dom::on_hash_change(move || match link::read_fragment(&dom::fragment()) {
                    Ok(Some(shared)) => d.dispatch(Action::Restore(shared.ws, shared.view)),
                    Err(why) => d.dispatch(ViewAction::Notice(Some(why)).into()),
                    Ok(None) => {}
                });
            move || drop(listener)
        });
    }
    crate::autosave::use_autosave(state.ws(), d.clone());
    use_playback(&state);
    {
        let d = d.clone();
        use_effect_with((), move |_| {
            let listener =
                Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| on_key(&e, &d));
            let doc = web_sys::window().and_then(|w| w.document());
            if let Some(doc) = &doc {
                let _ = doc
                    .add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(doc) = doc {
                    let _ = doc.remove_event_listener_with_callback(
                        "keydown",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let (nodes, moves) = panes::use_shown(&state);
    let diags = Rc::new(state.diagnostics());
    let stale = state
        .run
        .current
        .as_ref()
        .and_then(|r| r.stale_for(state.ws()));
    let cx = Ctx {
        state: &state,
        d: &d,
        host: Host::Playground,
        nodes,
        moves,
        diags: diags.clone(),
        stale: stale.is_some(),
    };
    // Which tab the editors' column shows, and whether it is folded to a rail (a new run folds
    // it, so the graph has the room while it plays; picking a tab unfolds it).
    let columns = state.view.columns.unwrap_or_default();
    let wide = panes::by_id(columns.tab)
        .is_some_and(|p| matches!(p.place, panes::Place::Tab(t) if t.wide));
    let tabs: Vec<TabPanel> = panes::tabs()
        .map(|(pane, tab)| TabPanel {
            id: pane.id,
            tab,
            problems: tab
                .source
                .map_or(0, |s| diags.iter().filter(|d| d.source == s).count()),
            panel: (pane.render)(pane, &cx),
        })
        .collect();
    let act = |a: Action| {
        let d = d.clone();
        Callback::from(move |()| d.dispatch(a.clone()))
    };
    let on_share = {
        let (d, ws) = (d.clone(), state.ws().clone());
        // With a run on screen, the link also reopens it at this moment, this state inspected.
        let view =
            (state.run.current.is_some() && state.system.open.is_none()).then(|| link::View {
                at: state.run.cursor,
                state: state.view.selected.clone(),
                callbacks: state.run.callbacks.clone(),
                redrives: state.run.redrives,
            });
        Callback::from(move |()| {
            let d = d.clone();
            link::make_link(&ws, view.as_ref(), move |made| match made {
                Ok(made) => {
                    let url = dom::set_fragment(&made.fragment).unwrap_or_default();
                    dom::copy(&url);
                    d.dispatch(ViewAction::Notice(Some(made.notice(url.len()))).into());
                }
                Err(why) => d.dispatch(ViewAction::Notice(Some(why)).into()),
            })
        })
    };
    html! {
        <div class="app">
            <TopBar
                examples={state.editors.examples.clone()}
                current={state.ws().example.clone()}
                can_undo={state.editors.undo.is_some()}
                on_example={let d = d.clone(); Callback::from(move |n| d.dispatch(Action::PickExample(n)))}
                on_run={act(RunAction::Run.into())}
                on_step={act(RunAction::Step.into())}
                on_reset={act(RunAction::Reset.into())}
                on_undo={act(Action::Undo)}
                on_share={on_share}
                on_help={act(ViewAction::ToggleHelp.into())}
            />
            if let Some(msg) = &state.view.notice {
                <div class="notice" role="status" data-testid="notice">
                    <span>{ msg.clone() }</span>
                    if state.editors.undo.is_some() { <button class="btn small" onclick={let d = d.clone(); move |_| d.dispatch(Action::Undo)}>{ "Undo" }</button> }
                    <button class="btn icon" aria-label="Dismiss" onclick={let d = d.clone(); move |_| d.dispatch(ViewAction::Notice(None).into())}>{ "✕" }</button>
                </div>
            }
            <crate::components::working::Working />
            <main class={classes!("workspace", columns.rail.then_some("folded"), (wide && !columns.rail).then_some("wide"))}>
                <EditorTabs active={columns.tab} rail={columns.rail} tabs={tabs}
                    on_pick={let d = d.clone(); Callback::from(move |id| d.dispatch(ViewAction::PickTab(id).into()))}
                    on_rail={let d = d.clone(); Callback::from(move |on| d.dispatch(ViewAction::Fold(on).into()))} />
                <section class="col centre" aria-label="Execution">
                    if let Some(what) = stale {
                        <div class="stale" role="status" data-testid="stale">
                            <span>{ format!("Out of date: {what} changed since this run.") }</span>
                            <button class="btn small primary" onclick={let d = d.clone(); move |_| d.dispatch(RunAction::Run.into())}>{ "Run again" }</button>
                        </div>
                    }
                    { for panes::in_place(true).map(|p| (p.render)(p, &cx)) }
                </section>
                <aside class="col side" aria-label="Results">
                    { for panes::in_place(false).map(|p| (p.render)(p, &cx)) }
                </aside>
            </main>
            if state.view.help { <Help on_close={act(ViewAction::ToggleHelp.into())} /> }
        </div>
    }
}

/// The keyboard shortcuts (the help overlay lists them).
fn on_key(e: &KeyboardEvent, d: &UseReducerDispatcher<State>) {
    let in_field = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            // A focused graph state takes Space and Enter itself (they open its inspector).
            matches!(
                el.tag_name().as_str(),
                "TEXTAREA" | "INPUT" | "SELECT" | "BUTTON"
            ) || el.has_attribute("data-state")
                // The code editor (contenteditable): Space, Home and End are its own.
                || el.closest(".cm-editor").ok().flatten().is_some()
        });
    // Home and End do nothing on a button: they seek even from Run, whose run may still be at
    // work in the engine's worker (the seek waits for it; focus moves to the graph when it comes).
    let in_text = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT"));
    let ctrl = e.ctrl_key() || e.meta_key();
    let action: Option<Action> = match e.key().as_str() {
        "Enter" if ctrl => Some(RunAction::Run.into()),
        "F10" if e.shift_key() => Some(RunAction::StepBack.into()),
        "F10" => Some(RunAction::Step.into()),
        "F" | "f" | "Ï" if e.shift_key() && e.alt_key() => Some(EditorsAction::FormatAll.into()),
        "Escape" => Some(ViewAction::Escape.into()),
        " " if !in_field => Some(RunAction::TogglePlay.into()),
        "Home" if !in_text => Some(RunAction::Seek(0).into()),
        "End" if !in_text => Some(RunAction::SeekEnd.into()),
        "?" if !in_field => Some(ViewAction::ToggleHelp.into()),
        _ => None,
    };
    if let Some(a) = action {
        e.prevent_default();
        d.dispatch(a);
    }
}
