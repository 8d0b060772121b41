//! The system view: the bus's event log on one virtual clock — each event, where it came from,
//! which rules matched, which executions it started, each delivery's retries and the dead-letter
//! queues — with a lane per execution. Clicking an execution opens it in the graph and playback.
//!
//! The engine's `system` module computes the run; this file turns the editors' texts into its
//! workspace, and renders the report.

use crate::evaluate::{Pane, inspect_machine, pretty};
use crate::execution::{Outcome, RunView};
use crate::replay::{Replay, format_duration};
use crate::state::State;
use crate::workspace::Workspace as Texts;
use serde_json::{Map, Value, json};
use statebridge_engine::system::{
    DeliveryOutcome, ExecutionRecord, Origin, Report, System, SystemOptions,
};
use statebridge_engine::workspace::Workspace;
use std::rc::Rc;
use yew::prelude::*;

/// The system examples' files: their other machines are not in the single machine editor, so
/// they come from here when the workspace started from one of them.
const SYSTEM_EXAMPLES: &[(&str, &str)] = &[
    (
        "system-orders",
        include_str!("../../www/examples/system-orders.json"),
    ),
    (
        "system-signup",
        include_str!("../../www/examples/system-signup.json"),
    ),
    (
        "system-payment-failure",
        include_str!("../../www/examples/system-payment-failure.json"),
    ),
];

/// A system run, or why there is none.
pub type SystemView = Pane<Report>;

/// What the system view can ask the page to do.
#[derive(Debug, Clone, PartialEq)]
pub enum SystemAction {
    /// Run the whole system and open its first execution.
    Run,
    /// Open execution `n` in the graph and playback.
    Open(usize),
}

/// The machines of the workspace: the editor's machine, plus the example's others.
fn machines(ws: &Texts) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    if let Some(text) = ws
        .example
        .as_deref()
        .and_then(|name| SYSTEM_EXAMPLES.iter().find(|(n, _)| *n == name))
        .map(|(_, text)| *text)
        && let Ok(v) = serde_json::from_str::<Value>(text)
        && let Some(m) = v.get("machines").and_then(Value::as_object)
    {
        out.extend(m.clone());
    }
    let machine: Value = serde_json::from_str(&ws.machine)
        .map_err(|e| format!("The state machine is not JSON ({e}); fix it to run the system."))?;
    let name = if ws.machine_name.is_empty() {
        "StateMachine"
    } else {
        &ws.machine_name
    };
    out.insert(name.to_owned(), machine);
    Ok(out)
}

/// The engine's workspace document from the editors' texts.
fn document(ws: &Texts) -> Result<Value, String> {
    let parse = |what: &str, text: &str| {
        serde_json::from_str::<Value>(text)
            .map_err(|e| format!("The {what} is not JSON ({e}); fix it to run the system."))
    };
    let mocks = if ws.mocks.trim().is_empty() {
        json!({})
    } else {
        parse("mocks", &ws.mocks)?
    };
    Ok(json!({
        "name": ws.example.clone().unwrap_or_else(|| "workspace".into()),
        "event": parse("event", &ws.event)?,
        "rules": parse("rules", &ws.rules)?,
        "machines": machines(ws)?,
        "mocks": mocks,
    }))
}

/// Runs the whole system the editors describe.
pub fn run(ws: &Texts) -> SystemView {
    let report = document(ws).and_then(|doc| {
        let ws = Workspace::from_value(&doc).map_err(|e| format!("The workspace {e}"))?;
        let system = System::from_workspace(&ws, SystemOptions::default())
            .map_err(|e| format!("The system cannot run: {e}"))?;
        Ok(system.run())
    });
    match report {
        Ok(r) => Pane::Ready(r),
        Err(why) => Pane::Unavailable(why),
    }
}

/// One execution of the run as the existing graph and playback show it.
fn run_view(e: &ExecutionRecord) -> RunView {
    let history: Vec<Value> = e
        .history
        .iter()
        .filter_map(|h| serde_json::to_value(h).ok())
        .collect();
    let status = serde_json::to_value(e.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    RunView {
        input_from: format!("the system run: execution {} of {}", e.index + 1, e.machine),
        input: pretty(&e.input),
        replay: Replay::new(&history),
        history,
        outcome: Pane::Ready(Outcome {
            status,
            output: e.output.as_ref().map(pretty),
            error: e.error.clone(),
            cause: e.cause.clone(),
        }),
        diags: vec![],
        runs: vec![],
    }
}

/// Applies a system action to the page's state.
pub fn reduce(s: &mut State, action: SystemAction) {
    let index = match action {
        SystemAction::Run => {
            s.system = Some(Rc::new(run(&s.ws)));
            s.system_open = None;
            0
        }
        SystemAction::Open(i) => i,
    };
    let Some(Pane::Ready(report)) = s.system.as_deref() else {
        return;
    };
    let Some(e) = report.executions.get(index) else {
        return;
    };
    if let Some(layout) = inspect_machine(&pretty(&e.definition)).layout {
        s.layout = Some(layout);
    }
    s.run = Some(Rc::new(run_view(e)));
    s.system_open = Some(index);
    s.selected = None;
    s.cursor = 0;
    s.playing = true;
}

/// Props of [`SystemLog`].
#[derive(Properties, PartialEq)]
pub struct SystemLogProps {
    /// The last system run.
    pub view: Option<Rc<SystemView>>,
    /// The execution open in the graph, if it is one of the run's.
    pub open: Option<usize>,
    /// Run, or open an execution.
    pub on_action: Callback<SystemAction>,
}

fn origin_text(o: &Origin, r: &Report) -> String {
    let machine = |i: &usize| r.executions.get(*i).map_or("?", |e| e.machine.as_str());
    match o {
        Origin::Put => "put on the bus".to_owned(),
        Origin::PutEvents { execution, state } => {
            format!("put by {} · {state}", machine(execution))
        }
        Origin::StatusChange { execution } => {
            format!("from Step Functions · {}", machine(execution))
        }
        Origin::Replay { name, of } => format!("replay {name} of #{of}"),
    }
}

fn status_class(status: &str) -> &'static str {
    match status {
        "SUCCEEDED" => "succeeded",
        "RUNNING" => "active",
        "FAILED" | "TIMED_OUT" | "ABORTED" => "failed",
        _ => "idle",
    }
}

fn exec_status(e: &ExecutionRecord) -> String {
    serde_json::to_value(e.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The bus's event log, the executions' lanes and the dead-letter queues.
#[component]
pub fn SystemLog(p: &SystemLogProps) -> Html {
    let run = {
        let cb = p.on_action.clone();
        Callback::from(move |_: MouseEvent| cb.emit(SystemAction::Run))
    };
    let head = html! {
        <header class="pane-head">
            <h2>{ "System" }</h2>
            <span class="hint">{ "the bus's event log on one clock" }</span>
            <button class="btn small" data-testid="run-system" onclick={run}>{ "Run system" }</button>
        </header>
    };
    let body = match p.view.as_deref() {
        None => {
            html! { <p class="muted pad">{ "Run the system: the event goes on the bus, every rule it matches delivers, executions put their own events back, and all of it lands here." }</p> }
        }
        Some(Pane::Unavailable(why)) => {
            html! { <p class="pad sys-problem" role="alert">{ why.clone() }</p> }
        }
        Some(Pane::Ready(r)) => report_view(r, p.open, &p.on_action),
    };
    html! {
        <section class="pane system-pane" aria-label="System" data-testid="system">
            { head }
            <div class="system-body">{ body }</div>
        </section>
    }
}

fn open_button(e: &ExecutionRecord, open: Option<usize>, cb: &Callback<SystemAction>) -> Html {
    let status = exec_status(e);
    let i = e.index;
    let cb = cb.clone();
    let title = format!("Open execution {} of {} in the graph", i + 1, e.machine);
    let class = classes!(
        "sys-exec",
        status_class(&status),
        (open == Some(i)).then_some("open")
    );
    html! {
        <button class={class} data-testid="sys-execution" data-machine={e.machine.clone()} data-status={status.clone()}
            title={title} onclick={move |_| cb.emit(SystemAction::Open(i))}>
            { format!("▶ {} ", e.machine) }<span class="sys-status">{ status }</span>
        </button>
    }
}

fn report_view(r: &Report, open: Option<usize>, cb: &Callback<SystemAction>) -> Html {
    let t0 = r.events.first().map_or(0, |e| e.millis);
    let end = r
        .events
        .iter()
        .map(|e| e.millis)
        .chain(r.executions.iter().map(|e| e.stop_millis))
        .chain(r.dead_letters.iter().map(|d| d.millis))
        .max()
        .unwrap_or(t0);
    let span = (end - t0).max(1) as f64;
    let pct = |ms: i64| ((ms - t0) as f64 / span * 100.0).clamp(0.0, 100.0);
    let summary = format!(
        "{} events · {} executions · {} dead letters",
        r.events.len(),
        r.executions.len(),
        r.dead_letters.len()
    );
    html! {
        <>
            <p class="sys-summary" data-testid="system-summary">{ summary }</p>
            if let Some(why) = &r.capped {
                <p class="sys-problem" role="alert" data-testid="system-capped">{ why.clone() }</p>
            }
            <div class="sys-lanes" aria-label="Executions on the clock">
                <div class="sys-lane">
                    <span class="sys-lane-name">{ "bus" }</span>
                    <span class="sys-track">
                        for e in r.events.iter() {
                            <span class={classes!("sys-dot", matches!(e.origin, Origin::StatusChange { .. }).then_some("status"))}
                                style={format!("left: {:.2}%", pct(e.millis))}
                                title={format!("{} at +{}", e.event["detail-type"].as_str().unwrap_or("event"), format_duration(e.millis - t0))} />
                        }
                        for d in r.dead_letters.iter() {
                            <span class="sys-dot dlq" style={format!("left: {:.2}%", pct(d.millis))} title="dead letter" />
                        }
                    </span>
                </div>
                for e in r.executions.iter() {
                    <div class="sys-lane">
                        <span class="sys-lane-name">{ e.machine.clone() }</span>
                        <span class="sys-track">
                            <span class={classes!("sys-bar", status_class(&exec_status(e)))}
                                style={format!("left: {:.2}%; width: max(4px, {:.2}%)", pct(e.start_millis), pct(e.stop_millis) - pct(e.start_millis))}
                                title={format!("{} from +{} to +{}", exec_status(e), format_duration(e.start_millis - t0), format_duration(e.stop_millis - t0))} />
                        </span>
                    </div>
                }
            </div>
            <ol class="sys-log" data-testid="system-log">
                for e in r.events.iter() { { event_row(e, r, t0, open, cb) } }
            </ol>
            <div class="sys-dlq" data-testid="dlq">
                <h3>{ "Dead-letter queues" }</h3>
                if r.dead_letters.is_empty() {
                    <p class="muted">{ "Empty: every delivery reached its target." }</p>
                }
                for d in r.dead_letters.iter() {
                    <div class="sys-dlq-entry" data-testid="dlq-entry">
                        <b>{ d.queue.rsplit(':').next().unwrap_or_default().to_owned() }</b>
                        { format!(" at +{} · ", format_duration(d.millis - t0)) }
                        <code>{ d.attributes["ERROR_CODE"].as_str().unwrap_or_default().to_owned() }</code>
                        { format!(" after {} retries · rule {} → {}",
                            d.attributes["RETRY_ATTEMPTS"],
                            r.deliveries.get(d.delivery).map_or("", |x| x.rule.as_str()),
                            r.deliveries.get(d.delivery).map_or("", |x| x.target.as_str())) }
                        <div class="muted sys-msg">{ d.attributes["ERROR_MESSAGE"].as_str().unwrap_or_default().to_owned() }</div>
                    </div>
                }
            </div>
        </>
    }
}

fn event_row(
    e: &statebridge_engine::system::BusEvent,
    r: &Report,
    t0: i64,
    open: Option<usize>,
    cb: &Callback<SystemAction>,
) -> Html {
    let detail_type = e.event["detail-type"]
        .as_str()
        .unwrap_or("(no detail-type)")
        .to_owned();
    let is_status = matches!(e.origin, Origin::StatusChange { .. });
    let status = e.event["detail"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    html! {
        <li class={classes!("sys-event", is_status.then_some("status"))} data-testid="sys-event" data-detail-type={detail_type.clone()}>
            <div class="sys-line">
                <span class="sys-time">{ format!("+{}", format_duration(e.millis - t0)) }</span>
                <b class="sys-type">{ detail_type }</b>
                if is_status { <span class={classes!("sys-status", status_class(&status))}>{ status }</span> }
                <span class="muted sys-origin">{ origin_text(&e.origin, r) }</span>
            </div>
            if !e.matched.is_empty() {
                <ul class="sys-deliveries">
                    for d in e.deliveries.iter().filter_map(|i| r.deliveries.get(*i)) {
                        <li data-testid="sys-delivery" data-status={delivery_status(&d.outcome)}>
                            <span class="sys-rule">{ format!("{} → {}", d.rule, d.target) }</span>
                            { delivery_result(d, r, t0, open, cb) }
                        </li>
                    }
                </ul>
            }
        </li>
    }
}

fn delivery_status(o: &DeliveryOutcome) -> &'static str {
    match o {
        DeliveryOutcome::Pending => "pending",
        DeliveryOutcome::Delivered { .. } => "delivered",
        DeliveryOutcome::DeadLettered { .. } => "dead-lettered",
        DeliveryOutcome::Dropped { .. } => "dropped",
    }
}

fn delivery_result(
    d: &statebridge_engine::system::Delivery,
    r: &Report,
    t0: i64,
    open: Option<usize>,
    cb: &Callback<SystemAction>,
) -> Html {
    let retries = d.attempts.len().saturating_sub(1);
    let attempts = html! {
        if retries > 0 || d.attempts.iter().any(|a| a.error.is_some()) {
            <span class="sys-attempts" title={d.attempts.iter().map(|a| format!("+{} {}", format_duration(a.millis - t0), a.error.clone().unwrap_or_else(|| "ok".into()))).collect::<Vec<_>>().join("\n")}>
                { format!(" {} attempt{} ({})", d.attempts.len(), if d.attempts.len() == 1 { "" } else { "s" },
                    d.attempts.iter().map(|a| format!("+{}", format_duration(a.millis - t0))).collect::<Vec<_>>().join(", ")) }
            </span>
        }
    };
    let outcome = match &d.outcome {
        DeliveryOutcome::Delivered { execution: Some(i) } => r
            .executions
            .get(*i)
            .map_or_else(Html::default, |e| open_button(e, open, cb)),
        DeliveryOutcome::Delivered { execution: None } => {
            html! { <span class="sys-ok">{ "✓ delivered" }</span> }
        }
        DeliveryOutcome::Pending => html! { <span class="muted">{ "pending" }</span> },
        DeliveryOutcome::DeadLettered { queue, reason } => html! {
            <span class="sys-bad" title={reason.clone()}>{ format!("✕ {} → dead-letter queue {}",
                d.attempts.last().and_then(|a| a.error.clone()).unwrap_or_default(),
                queue.rsplit(':').next().unwrap_or_default()) }</span>
        },
        DeliveryOutcome::Dropped { reason } => html! {
            <span class="sys-bad" title={reason.clone()}>{ format!("✕ {} · dropped (no dead-letter queue)",
                d.attempts.last().and_then(|a| a.error.clone()).unwrap_or_default()) }</span>
        },
    };
    html! { <>{ outcome }{ attempts }</> }
}
