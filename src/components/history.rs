//! The execution history in AWS's columns (ID, Type, Step, Elapsed time), windowed: only the rows
//! in view exist in the page, so 25,000 events scroll as smoothly as 25. Linked both ways with the
//! scrubber: clicking a row moves the cursor there, moving the cursor scrolls its row into view.
//! A row's ▸ opens the event's details under it (error, cause, input, output…), as the console's
//! rows do. An Express workflow has no execution history: the pane shows its CloudWatch Logs
//! events instead (a row's details are the log event as CloudWatch holds it).

use crate::execution::RunView;
use crate::replay::format_duration;
use std::rc::Rc;
use yew::prelude::*;

/// Row height in pixels (must match `.history .row` in the style sheet).
const ROW: f64 = 26.0;
/// Rows drawn beyond the visible ones, above and below, so fast scrolling shows no gaps.
const OVERSCAN: usize = 8;
/// Height of an opened row's details in pixels (they scroll inside when longer).
const DETAILS: f64 = 220.0;

/// Props of [`History`].
#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    /// The run, if any.
    pub run: Option<Rc<RunView>>,
    /// Events shown (the row `cursor - 1` is the current one).
    pub cursor: usize,
    /// The inspected state, whose rows are marked.
    pub selected: Option<String>,
    /// Show the first n events.
    pub on_seek: Callback<usize>,
}

/// The history table.
#[component]
pub fn History(p: &HistoryProps) -> Html {
    let scroller = use_node_ref();
    let window = use_state(|| (0.0_f64, 240.0_f64));
    let open = use_state(|| None::<usize>);
    let on_scroll = {
        let (scroller, window) = (scroller.clone(), window.clone());
        Callback::from(move |_: Event| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                window.set((el.scroll_top() as f64, el.client_height() as f64));
            }
        })
    };
    {
        // Keep the current row in view as the cursor moves (playback, scrubber, graph). Where
        // the box is scrolled to is what its last scroll said (reading it from the page here
        // would lay out each playback frame's changes twice); its height is read once.
        let (scroller, window) = (scroller.clone(), window.clone());
        // (The run whose box was measured: another run's box is another element.)
        let measured = use_mut_ref(|| None::<usize>);
        let run = p.run.as_ref().map(|r| Rc::as_ptr(r) as usize);
        use_effect_with(p.cursor, move |&cursor| {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                let (top, mut height) = *window;
                if *measured.borrow() != run {
                    *measured.borrow_mut() = run;
                    height = el.client_height() as f64;
                    window.set((top, height));
                }
                let row_top = cursor.saturating_sub(1) as f64 * ROW;
                if row_top < top || row_top + ROW > top + height {
                    el.set_scroll_top((row_top - height / 2.0).max(0.0) as i32);
                }
            }
        });
    }
    let Some(run) = p.run.clone() else {
        return html! {
            <section class="pane history" aria-label="Execution history">
                <header class="pane-head"><h2>{ "History" }</h2></header>
                <div class="history-body" data-testid="history"><p class="muted pad">{ "Run the state machine to see its history." }</p></div>
            </section>
        };
    };
    let steps = &run.replay.steps;
    let (top, height) = *window;
    // The opened row's details push the rows after it down.
    let opened = (*open).filter(|&i| i < steps.len());
    let row_top = |i: usize| {
        i as f64 * ROW
            + if opened.is_some_and(|o| i > o) {
                DETAILS
            } else {
                0.0
            }
    };
    let first = ((top / ROW) as usize).saturating_sub(OVERSCAN + (DETAILS / ROW) as usize);
    let last = (((top + height) / ROW) as usize + OVERSCAN).min(steps.len());
    let current = p.cursor.checked_sub(1);
    let logs = run.logs.clone();
    html! {
        <section class="pane history" aria-label="Execution history" data-express={logs.is_some().to_string()}>
            <header class="pane-head">
                if logs.is_some() {
                    <h2 title="Express workflows have no execution history (GetExecutionHistory): their events go to CloudWatch Logs">{ "CloudWatch Logs" }</h2>
                    <span class="hint">{ format!("{} log events · Express", steps.len()) }</span>
                } else {
                    <h2>{ "History" }</h2>
                    <span class="hint">{ format!("{} events", steps.len()) }</span>
                }
                <span class="grow"></span>
                <DownloadHistory run={run.clone()} />
            </header>
            <div class="history-cols" role="row" aria-hidden="true">
                <span>{ "ID" }</span><span>{ "Type" }</span><span>{ "Step" }</span><span class="num">{ "Elapsed" }</span>
            </div>
            <div class="history-body" data-testid="history" ref={scroller} onscroll={on_scroll} role="table"
                 aria-label="History events" aria-rowcount={steps.len().to_string()} tabindex="0">
                <div class="spacer" style={format!("height:{}px", steps.len() as f64 * ROW + if opened.is_some() { DETAILS } else { 0.0 })}>
                    { for (first..last).filter_map(|i| steps.get(i).map(|s| (i, s))).map(|(i, s)| {
                        let seek = p.on_seek.clone();
                        let is_open = opened == Some(i);
                        let toggle = {
                            let open = open.clone();
                            Callback::from(move |e: MouseEvent| {
                                e.stop_propagation();
                                open.set((!is_open).then_some(i));
                            })
                        };
                        let mine = p.selected.is_some() && s.state == p.selected;
                        let class = classes!(
                            "row",
                            (Some(i) == current).then_some("current"),
                            (i >= p.cursor).then_some("future"),
                            mine.then_some("mine"),
                            kind_class(&s.kind),
                        );
                        html! {
                            // Keyed by index: as the window scrolls, a row keeps its element (a click
                            // never lands on a row that was re-used for another event).
                            <div key={i} class={class} role="row" aria-rowindex={(i + 1).to_string()} data-index={i.to_string()}
                                 style={format!("top:{}px", row_top(i))} onclick={Callback::from(move |_| seek.emit(i + 1))}
                                 aria-current={(Some(i) == current).then_some("step")}>
                                <span role="cell"><button class="expand" onclick={toggle} aria-expanded={is_open.to_string()}
                                    aria-label={format!("Details of event {}", s.id)} data-testid="expand-row">{ if is_open { "▾" } else { "▸" } }</button>{ s.id }</span>
                                <span role="cell" class="type">{ s.kind.clone() }</span>
                                <span role="cell" class="step">{ s.state.clone().unwrap_or_default() }</span>
                                <span role="cell" class="num">{ run.replay.elapsed_ms(i).map(format_duration).unwrap_or_default() }</span>
                            </div>
                        }
                    }) }
                    // The opened row's details, under it (the rows after it are moved down).
                    if let Some((i, s)) = opened.and_then(|i| Some((i, steps.get(i)?))) {
                        <div class="row-details" data-testid="row-details" style={format!("top:{}px;height:{}px", row_top(i) + ROW, DETAILS)}>
                            if let Some(log) = logs.as_ref().and_then(|l| l.get(i)) {
                                <pre class="json" data-testid="log-event">{ crate::evaluate::pretty(log) }</pre>
                            } else {
                                { event_details(run.history.get(i), &s.kind) }
                            }
                        </div>
                    }
                </div>
            </div>
        </section>
    }
}

/// An event's details as the console lists them: error and cause first, then input, output and
/// the rest; JSON held as text (payloads) is shown pretty.
fn event_details(event: Option<&serde_json::Value>, kind: &str) -> Html {
    let Some(fields) = event
        .and_then(|e| crate::replay::details(e, kind))
        .and_then(|d| d.as_object())
    else {
        return html! { <p class="muted">{ "This event has no details." }</p> };
    };
    let rank = |k: &str| {
        ["error", "cause", "name", "input", "output", "parameters"]
            .iter()
            .position(|x| *x == k)
            .unwrap_or(9)
    };
    let mut keys: Vec<&String> = fields.keys().collect();
    keys.sort_by_key(|k| rank(k));
    html! {
        <dl class="event-details">
            { for keys.into_iter().filter_map(|k| fields.get(k).map(|v| (k, v))).map(|(k, v)| {
                let shown = match v {
                    serde_json::Value::String(t) => serde_json::from_str::<serde_json::Value>(t)
                        .ok()
                        .filter(|j| j.is_object() || j.is_array())
                        .map_or_else(|| t.clone(), |j| crate::evaluate::pretty(&j)),
                    other => crate::evaluate::pretty(other),
                };
                html! { <><dt data-field={k.clone()}>{ k.clone() }</dt><dd><pre class={classes!("json", (k == "error").then_some("error"))}>{ shown }</pre></dd></> }
            }) }
        </dl>
    }
}

fn kind_class(kind: &str) -> Option<&'static str> {
    if kind.ends_with("Failed") || kind.ends_with("TimedOut") || kind.ends_with("Aborted") {
        Some("k-fail")
    } else if kind.ends_with("Succeeded") {
        Some("k-ok")
    } else {
        None
    }
}

/// Props of [`DownloadHistory`].
#[derive(Properties, PartialEq)]
pub struct DownloadProps {
    /// The run whose history to offer.
    pub run: Rc<RunView>,
}

/// A button that downloads the history as JSON. The file is made when it is pressed (a long
/// run's history is megabytes of text, which showing the run should not pay for) and handed to
/// the browser as a Blob, not a data URL.
#[component]
pub fn DownloadHistory(p: &DownloadProps) -> Html {
    let (file, title) = match &p.run.logs {
        Some(_) => ("logs.json", "Download the CloudWatch Logs events as JSON"),
        None => ("history.json", "Download the history as JSON"),
    };
    let onclick = {
        let run = p.run.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            crate::dom::save_text(file, "application/json", &history_json(&run));
        })
    };
    html! { <a class="btn small" href="#" download={file} role="button" {title} {onclick}>{ "Download" }</a> }
}

/// The run's history (or an Express run's logs) as the JSON file the download holds.
fn history_json(run: &RunView) -> String {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    enum All<'a> {
        LogEvents(&'a [serde_json::Value]),
        Events(&'a [serde_json::Value]),
    }
    let all = match &run.logs {
        Some(logs) => All::LogEvents(logs),
        None => All::Events(&run.history),
    };
    serde_json::to_string_pretty(&all).unwrap_or_default()
}
