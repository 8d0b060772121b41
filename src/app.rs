//! The playground's root component: owns the state (a reducer), wires the panes to actions, and
//! runs the few timers (debounced evaluation, playback, autosave) and the keyboard shortcuts.

use crate::autosave::AUTOSAVE;
use crate::components::{
    aws::AwsPane, diagnostics::Diagnostics, editor::Editor, editor_tabs::EditorTabs, graph::Graph,
    help::Help, history::History, inspector::Inspector, machines::MachineTabs, playback::Playback,
    result::ExecutionResult, rules::RuleResults, topbar::TopBar,
};
use crate::dom::{self, Timeout};
use crate::evaluate::{Diag, Source};
use crate::highlight::Mark;
use crate::link;
use crate::state::{Action, State};
use crate::workspace::{Example, Workspace, examples};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// Pause after the last keystroke before the engine re-evaluates.
const DEBOUNCE_MS: u32 = 200;

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
            let saved = dom::load(AUTOSAVE).and_then(|t| Workspace::from_json(&t));
            (link::with_left_out(shared.ws, saved), Some(notice))
        }
        // A damaged link still opens the user's own work when there is some.
        Err(why) => (
            dom::load(AUTOSAVE)
                .and_then(|t| Workspace::from_json(&t))
                .unwrap_or_else(first),
            Some(why),
        ),
        Ok(None) => match dom::load(AUTOSAVE).and_then(|t| Workspace::from_json(&t)) {
            Some(ws) => (ws, None),
            None => (first(), None),
        },
    };
    let mut state = State::unchecked(ws, list, notice);
    state.opening = opening;
    state
}

fn marks(diags: &[Diag], source: Source) -> Rc<Vec<Mark>> {
    Rc::new(
        diags
            .iter()
            .filter(|d| d.source == source)
            .filter_map(Diag::mark)
            .collect(),
    )
}

/// Puts the cursor of the editor a diagnostic belongs to at its place.
fn focus_diag(d: &Diag, text: &str) {
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

/// How long to show one event during playback: long simulated gaps (a Wait, a retry's backoff)
/// take longer on screen, but never more than a second, so a 24-hour Wait passes in one.
fn frame_ms(gap_ms: Option<i64>, speed: f64) -> u32 {
    let gap = gap_ms.unwrap_or(0).max(0) as f64;
    ((150.0 + gap * 0.2).min(1000.0) / speed.max(0.01)) as u32
}

/// Most frames a whole playback takes at 1x; a longer history shows several events per frame, so
/// a Map of 1,000 items (8,000 events) plays in about a minute instead of twenty.
const MAX_FRAMES: usize = 400;

/// How many events one playback frame advances for a history of `len` events.
fn stride(len: usize) -> usize {
    len.div_ceil(MAX_FRAMES).max(1)
}

/// What the playground and an embed both do as the user types: once the typing pauses, the rules
/// are evaluated against the event and the machine is validated and drawn; and the JSONata module,
/// when it arrives, re-checks what waited for it.
#[hook]
pub fn use_live_checks(state: &UseReducerHandle<State>) {
    let d = state.dispatcher();
    crate::jsonata::use_jsonata_ready(d.clone());
    crate::worker::use_worker(d.clone());
    {
        // The first frame is painted before the checks run (State::unchecked): they fill the
        // rules pane and draw the graph one frame later.
        let d = d.clone();
        use_effect_with((), move |_| {
            dom::after_paint(move || d.dispatch(Action::Check))
        });
    }
    // Then every edit re-checks after the typing pause (not on mount: the above does that).
    let mounted = use_mut_ref(|| [false; 2]);
    {
        let (d, mounted) = (d.clone(), mounted.clone());
        use_effect_with(
            (state.ws.event.clone(), state.ws.rules.clone()),
            move |_| {
                let first = !std::mem::replace(&mut mounted.borrow_mut()[0], true);
                let t = (!first)
                    .then(|| Timeout::new(DEBOUNCE_MS, move || d.dispatch(Action::EvaluateRules)));
                move || drop(t)
            },
        );
    }
    use_effect_with(state.ws.machine().to_owned(), move |_| {
        let first = !std::mem::replace(&mut mounted.borrow_mut()[1], true);
        let t =
            (!first).then(|| Timeout::new(DEBOUNCE_MS, move || d.dispatch(Action::InspectMachine)));
        move || drop(t)
    });
}

/// Playback: while the run plays, one timer per shown frame moves the cursor on (the playground,
/// and a workshop exercise's run).
#[hook]
pub fn use_playback(state: &UseReducerHandle<State>) {
    let d = state.dispatcher();
    let run = state.run.clone();
    let key = (
        state.playing,
        state.cursor,
        state.speed.to_bits(),
        run.as_ref().map(|r| Rc::as_ptr(r) as usize),
    );
    let speed = state.speed;
    use_effect_with(key, move |&(playing, cursor, _, _)| {
        let timer = run.filter(|_| playing).map(|run| {
            let len = run.replay.steps.len();
            let next = (cursor + stride(len)).min(len);
            // The simulated time the frame covers decides how long it stays on screen.
            let gap = cursor.checked_sub(1).and_then(|prev| {
                let last = next.saturating_sub(1).max(cursor);
                Some(run.replay.steps.get(last)?.millis? - run.replay.steps.get(prev)?.millis?)
            });
            Timeout::new(frame_ms(gap, speed), move || d.dispatch(Action::Seek(next)))
        });
        move || drop(timer)
    });
}

/// Loads an example: at once when its workspace is here, else after fetching its file (with a
/// notice meanwhile; a Run pressed meanwhile runs the example).
pub fn pick_example(list: &[Example], name: String, d: UseReducerDispatcher<State>) {
    let Some(e) = list.iter().find(|e| e.name == name) else {
        return;
    };
    if e.workspace.is_some() {
        d.dispatch(Action::LoadExample(name));
        return;
    }
    d.dispatch(Action::ExampleLoading(name.clone()));
    crate::fetch::text(&e.url(), move |text| {
        d.dispatch(Action::ExampleFetched(name, text))
    });
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
                    Err(why) => d.dispatch(Action::Notice(Some(why))),
                    Ok(None) => {}
                });
            move || drop(listener)
        });
    }
    crate::autosave::use_autosave(&state.ws, d.clone());
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

    // Which editor is shown, and whether the editors are folded to a rail (a new run folds them,
    // so the graph has the room while it plays; picking a tab unfolds them).
    let tab = use_state(|| Source::Machine);
    let rail = use_state(|| false);
    // The "From AWS" pane shown in the editors' column (its column is then wider).
    let aws = use_state(|| false);
    {
        // Another machine shown (a tab, a system execution opened): its editor comes to the front.
        let (tab, rail, aws) = (tab.clone(), rail.clone(), aws.clone());
        let first = use_mut_ref(|| true);
        use_effect_with(state.ws.active, move |_| {
            if !std::mem::replace(&mut *first.borrow_mut(), false) {
                tab.set(Source::Machine);
                rail.set(false);
                aws.set(false);
            }
        });
    }
    {
        // A system run folds the editors too: its lanes and the graph share the room.
        let rail = rail.clone();
        let system = state.system.as_ref().map(|s| Rc::as_ptr(s) as usize);
        use_effect_with(system, move |system| {
            if system.is_some() {
                rail.set(true);
            }
        });
    }
    {
        let rail = rail.clone();
        // A run of the user's (not a system execution opened for viewing).
        let made = state
            .run
            .as_ref()
            .filter(|r| r.made_from.is_some())
            .map(|r| Rc::as_ptr(r) as usize);
        use_effect_with(made, move |made| {
            if made.is_some() {
                rail.set(true);
                // Focus leaves Run for the graph, where Space plays and pauses, Home and End
                // seek, and Tab reaches each state (Enter opens its inspector).
                if dom::active_testid().as_deref() == Some("run") {
                    dom::focus_testid("graph");
                }
            }
        });
    }
    let statuses = use_memo((state.run.clone(), state.cursor), |(run, cursor)| {
        Rc::new(
            run.as_ref()
                .map(|r| r.replay.at(*cursor))
                .unwrap_or_default(),
        )
    });
    let moves = use_memo((state.run.clone(), state.cursor), |(run, cursor)| {
        Rc::new(
            run.as_ref()
                .map(|r| r.replay.moves(*cursor))
                .unwrap_or_default(),
        )
    });
    let diags = Rc::new(state.diagnostics());
    let edit = |field: Source| {
        let d = d.clone();
        Callback::from(move |text: String| d.dispatch(Action::Edit(field, text)))
    };
    let format = |field: Source| {
        let d = d.clone();
        Callback::from(move |()| d.dispatch(Action::Format(field)))
    };
    let act = |a: Action| {
        let d = d.clone();
        Callback::from(move |()| d.dispatch(a.clone()))
    };
    let on_share = {
        let (d, ws) = (d.clone(), state.ws.clone());
        // With a run on screen, the link also reopens it at this moment, this state inspected.
        let view = (state.run.is_some() && state.system_open.is_none()).then(|| link::View {
            at: state.cursor,
            state: state.selected.clone(),
            callbacks: state.callbacks.clone(),
            redrives: state.redrives,
        });
        Callback::from(move |()| {
            let d = d.clone();
            link::make_link(&ws, view.as_ref(), move |made| match made {
                Ok(made) => {
                    let url = dom::set_fragment(&made.fragment).unwrap_or_default();
                    dom::copy(&url);
                    d.dispatch(Action::Notice(Some(made.notice(url.len()))));
                }
                Err(why) => d.dispatch(Action::Notice(Some(why))),
            })
        })
    };
    let on_pick_diag = {
        let (ws, tab, rail, aws) = (state.ws.clone(), tab.clone(), rail.clone(), aws.clone());
        Callback::from(move |diag: Diag| {
            // Its editor is shown first, then the caret goes to the place.
            tab.set(diag.source);
            rail.set(false);
            aws.set(false);
            let ws = ws.clone();
            dom::after_paint(move || {
                let text = match diag.source {
                    Source::Event => &ws.event,
                    Source::Rules => &ws.rules,
                    Source::Machine => ws.machine(),
                    Source::Mocks => &ws.mocks,
                    Source::S3 => &ws.s3,
                };
                focus_diag(&diag, text);
            });
        })
    };
    let problems = [
        Source::Event,
        Source::Rules,
        Source::Machine,
        Source::Mocks,
        Source::S3,
    ]
    .map(|s| diags.iter().filter(|d| d.source == s).count());
    let stale = state.run.as_ref().and_then(|r| r.stale_for(&state.ws));
    let run_len = state.run.as_ref().map_or(0, |r| r.replay.len());
    let at = state.cursor.checked_sub(1);
    let current_step = at.and_then(|i| state.run.as_ref()?.replay.steps.get(i).cloned());
    let elapsed = at.and_then(|i| state.run.as_ref()?.replay.elapsed_ms(i));
    let stamp = at.and_then(|i| {
        let run = state.run.as_ref()?;
        run.history
            .get(i)?
            .get("timestamp")
            .map(|t| AttrValue::from(t.as_str().map_or_else(|| t.to_string(), str::to_owned)))
    });
    let selected_kind = state.selected.as_ref().and_then(|name| {
        state
            .layout
            .as_ref()?
            .nodes
            .iter()
            .find(|n| &n.state == name)
            .map(|n| n.kind.clone())
    });
    let machine_names: Vec<String> = state.ws.machines.iter().map(|m| m.name.clone()).collect();
    let machine_hint = if machine_names.len() > 1 {
        format!("{} machines", machine_names.len())
    } else {
        state.ws.machine_name().to_owned()
    };
    html! {
        <div class="app">
            <TopBar
                examples={state.examples.clone()}
                current={state.ws.example.clone()}
                can_undo={state.undo.is_some()}
                on_example={let (d, list) = (d.clone(), state.examples.clone()); Callback::from(move |n| pick_example(&list, n, d.clone()))}
                on_run={act(Action::Run)}
                on_step={act(Action::Step)}
                on_reset={act(Action::Reset)}
                on_undo={act(Action::Undo)}
                on_share={on_share}
                on_help={act(Action::ToggleHelp)}
            />
            if let Some(msg) = &state.notice {
                <div class="notice" role="status" data-testid="notice">
                    <span>{ msg.clone() }</span>
                    if state.undo.is_some() { <button class="btn small" onclick={let d = d.clone(); move |_| d.dispatch(Action::Undo)}>{ "Undo" }</button> }
                    <button class="btn icon" aria-label="Dismiss" onclick={let d = d.clone(); move |_| d.dispatch(Action::Notice(None))}>{ "✕" }</button>
                </div>
            }
            <crate::components::working::Working />
            <main class={classes!("workspace", rail.then_some("folded"), (*aws && !*rail).then_some("wide"))}>
                <EditorTabs active={*tab} rail={*rail} problems={problems}
                    on_pick={let (tab, rail, aws) = (tab.clone(), rail.clone(), aws.clone()); Callback::from(move |s| { tab.set(s); rail.set(false); aws.set(false); })}
                    aws={*aws}
                    on_aws={let (rail, aws) = (rail.clone(), aws.clone()); Callback::from(move |()| { aws.set(true); rail.set(false); })}
                    aws_panel={html! {
                        <AwsPane ws={state.ws.clone()}
                            on_history={let d = d.clone(); Callback::from(move |h| d.dispatch(Action::OpenHistory(h)))}
                            on_import={let d = d.clone(); Callback::from(move |i| d.dispatch(Action::ImportTemplate(i)))}
                            on_text={let d = d.clone(); Callback::from(move |(w, t)| d.dispatch(Action::SetAwsText(w, t)))} />
                    }}
                    on_rail={let rail = rail.clone(); Callback::from(move |on| rail.set(on))}
                    panels={[
                    html! {
                        <Editor testid="editor-event" title="Event" hint="an event, or PutEvents entries" value={state.ws.event.clone()}
                            marks={marks(&diags, Source::Event)} on_input={edit(Source::Event)} on_format={format(Source::Event)} />
                    },
                    html! {
                        <Editor testid="editor-rule" title="Rules" hint="patterns and targets" value={state.ws.rules.clone()}
                            marks={marks(&diags, Source::Rules)} on_input={edit(Source::Rules)} on_format={format(Source::Rules)} />
                    },
                    html! {
                        <Editor testid="editor-machine" title="State machine" hint={machine_hint} value={state.ws.machine().to_owned()}
                            marks={marks(&diags, Source::Machine)} on_input={edit(Source::Machine)} on_format={format(Source::Machine)}
                            bar={html! { <MachineTabs names={machine_names} active={state.ws.active}
                                on_select={let d = d.clone(); Callback::from(move |i| d.dispatch(Action::SelectMachine(i)))}
                                on_add={let d = d.clone(); Callback::from(move |n| d.dispatch(Action::AddMachine(n)))}
                                on_rename={let d = d.clone(); Callback::from(move |(i, n)| d.dispatch(Action::RenameMachine(i, n)))}
                                on_delete={let d = d.clone(); Callback::from(move |i| d.dispatch(Action::DeleteMachine(i)))} /> }} />
                    },
                    html! {
                        <Editor testid="editor-mocks" title="Mocks" hint="what each task returns or throws" value={state.ws.mocks.clone()}
                            marks={marks(&diags, Source::Mocks)} on_input={edit(Source::Mocks)} on_format={format(Source::Mocks)} />
                    },
                    html! {
                        <Editor testid="editor-s3" title="S3 objects" hint="bucket → key → content, for ItemReader" value={state.ws.s3.clone()}
                            marks={marks(&diags, Source::S3)} on_input={edit(Source::S3)} on_format={format(Source::S3)} />
                    }
                    ]} />
                <section class="col centre" aria-label="Execution">
                    if let Some(what) = stale {
                        <div class="stale" role="status" data-testid="stale">
                            <span>{ format!("Out of date: {what} changed since this run.") }</span>
                            <button class="btn small primary" onclick={let d = d.clone(); move |_| d.dispatch(Action::Run)}>{ "Run again" }</button>
                        </div>
                    }
                    <Graph layout={state.layout.clone()} nodes={(*statuses).clone()} moves={(*moves).clone()} selected={state.selected.clone()}
                        on_select={let d = d.clone(); Callback::from(move |n| d.dispatch(Action::Select(Some(n))))} />
                    <Playback cursor={state.cursor} len={run_len} playing={state.playing} speed={state.speed}
                        elapsed={elapsed} event_type={current_step.map(|s| AttrValue::from(s.kind))} timestamp={stamp}
                        on_seek={let d = d.clone(); Callback::from(move |n| d.dispatch(Action::Seek(n)))}
                        on_play={let d = d.clone(); Callback::from(move |on| d.dispatch(Action::SetPlaying(on)))}
                        on_speed={let d = d.clone(); Callback::from(move |x| d.dispatch(Action::SetSpeed(x)))} />
                    <History run={state.run.clone()} cursor={state.cursor} selected={state.selected.clone()}
                        on_seek={let d = d.clone(); Callback::from(move |n| d.dispatch(Action::Seek(n)))} />
                    <crate::components::system::SystemLog view={state.system.clone()} open={state.system_open} window={state.ws.window()}
                        on_action={let d = d.clone(); Callback::from(move |a| d.dispatch(Action::System(a)))} />
                </section>
                <aside class="col side" aria-label="Results">
                    if let (Some(name), Some(kind)) = (state.selected.clone(), selected_kind) {
                        <Inspector state={name} kind={kind} run={state.run.clone()} cursor={state.cursor} mocks={state.ws.mocks.clone()}
                            definition={AttrValue::from(state.ws.machine().to_owned())}
                            on_set_mocks={let d = d.clone(); Callback::from(move |t| d.dispatch(Action::SetMocks(t)))}
                            on_close={act(Action::Select(None))}
                            on_seek={let d = d.clone(); Callback::from(move |n| d.dispatch(Action::Seek(n)))} />
                    }
                    <RuleResults view={state.rules.clone()} />
                    <ExecutionResult run={state.run.clone()} cursor={state.cursor} stale={stale.is_some()}
                        on_answer={let d = d.clone(); Callback::from(move |a| d.dispatch(Action::Callback(a)))}
                        on_redrive={let d = d.clone(); Callback::from(move |_| d.dispatch(Action::Redrive))} />
                    <Diagnostics diags={diags.clone()} on_pick={on_pick_diag} checking={!state.checked} />
                </aside>
            </main>
            if state.help { <Help on_close={act(Action::ToggleHelp)} /> }
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
    let action = match e.key().as_str() {
        "Enter" if ctrl => Some(Action::Run),
        "F10" if e.shift_key() => Some(Action::StepBack),
        "F10" => Some(Action::Step),
        "F" | "f" | "Ï" if e.shift_key() && e.alt_key() => Some(Action::FormatAll),
        "Escape" => Some(Action::Escape),
        " " if !in_field => Some(Action::TogglePlay),
        "Home" if !in_text => Some(Action::Seek(0)),
        "End" if !in_text => Some(Action::SeekEnd),
        "?" if !in_field => Some(Action::ToggleHelp),
        _ => None,
    };
    if let Some(a) = action {
        e.prevent_default();
        d.dispatch(a);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_histories_play_several_events_per_frame() {
        assert_eq!(stride(0), 1);
        assert_eq!(stride(38), 1);
        assert_eq!(stride(MAX_FRAMES), 1);
        assert_eq!(stride(MAX_FRAMES + 1), 2);
        // A Map over 1,000 items: 8,008 events in at most MAX_FRAMES frames.
        assert!(8008usize.div_ceil(stride(8008)) <= MAX_FRAMES);
    }

    #[test]
    fn a_long_simulated_wait_takes_at_most_a_second() {
        assert_eq!(frame_ms(Some(86_400_000), 1.0), 1000);
        assert_eq!(frame_ms(None, 1.0), 150);
        assert_eq!(frame_ms(Some(0), 2.0), 75);
    }
}
