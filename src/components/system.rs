//! The system view: the bus's event log on one virtual clock — each event, where it came from,
//! which rules matched, which executions it started, each delivery's retries and the dead-letter
//! queues — with a lane per execution. Clicking an execution opens it in the graph and playback.
//!
//! The engine's `system` module computes the run; this file turns the editors' texts into its
//! workspace, and renders the report.

use crate::evaluate::{Pane, pretty};
use crate::execution::{Outcome, RunView};
use crate::replay::{Replay, format_duration};
use crate::workspace::Workspace as Texts;
use serde_json::{Value, json};
use statebridge_engine::system::{
    DeliveryOutcome, ExecutionRecord, OnSystemProgress, Origin, Report, System, SystemOptions,
};
use statebridge_engine::workspace::Workspace;
use std::rc::Rc;
use yew::prelude::*;

/// A system run, or why there is none.
pub type SystemView = Pane<Report>;

/// What the system view can ask the page to do.
#[derive(Debug, Clone, PartialEq)]
pub enum SystemAction {
    /// Run the whole system and open its first execution.
    Run,
    /// Open execution `n` in the graph and playback.
    Open(usize),
    /// Run again, then replay the archived events that arrived in `[from, to)` (virtual ms).
    Replay(i64, i64),
    /// Let schedules fire over this many seconds of virtual time (and run again if a run is shown).
    Window(i64),
}

/// Which events and executions come from a replay: a replayed event, and everything it caused.
pub fn replayed(r: &Report) -> (Vec<bool>, Vec<bool>) {
    let mut events = vec![false; r.events.len()];
    let exec = |events: &[bool], x: usize| {
        r.executions
            .get(x)
            .is_some_and(|e| events.get(e.event).copied().unwrap_or(false))
    };
    for (i, e) in r.events.iter().enumerate() {
        events[i] = match &e.origin {
            Origin::Replay { .. } => true,
            Origin::Put
            | Origin::Scheduled { .. }
            | Origin::Schedule { .. }
            | Origin::Pipe { .. }
            | Origin::Subscriber { .. } => false,
            Origin::Forwarded { of, .. } => events.get(*of).copied().unwrap_or(false),
            Origin::PutEvents { execution, .. } | Origin::StatusChange { execution } => {
                exec(&events, *execution)
            }
        };
    }
    let execs = (0..r.executions.len()).map(|x| exec(&events, x)).collect();
    (events, execs)
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
    let s3 = if ws.s3.trim().is_empty() {
        json!({})
    } else {
        parse("S3 objects", &ws.s3)?
    };
    Ok(json!({
        "name": ws.example.clone().unwrap_or_else(|| "workspace".into()),
        "event": parse("event", &ws.event)?,
        "rules": parse("rules", &ws.rules)?,
        "machines": ws.machine_values()?,
        "mocks": mocks,
        "s3": s3,
    }))
}

/// The name replayed events carry (`replay-name`), as an EventBridge replay's.
pub const REPLAY_NAME: &str = "playground-replay";

/// Runs the whole system the editors describe, schedules firing over `window` seconds; with
/// `replay`, then replays the archived events that arrived in `[from, to)` (virtual
/// milliseconds) into the bus and runs on.
/// `on_progress` is told how far it has come (the runs' worker tells the page).
pub fn run_with(
    ws: &Texts,
    window: i64,
    replay: Option<(i64, i64)>,
    on_progress: Option<OnSystemProgress>,
) -> SystemView {
    let report = document(ws).and_then(|doc| {
        let ws = Workspace::from_value(&doc).map_err(|e| format!("The workspace {e}"))?;
        let options = SystemOptions {
            window_seconds: window,
            on_progress,
            ..SystemOptions::default()
        };
        let system = System::from_workspace(&ws, options)
            .map_err(|e| format!("The system cannot run: {e}"))?;
        let Some((from, to)) = replay else {
            return Ok(system.run());
        };
        let put = system
            .read_events(&ws.event)
            .map_err(|e| format!("The system cannot run: event: {e}"))?;
        let mut run = system.start();
        run.play(Some(&put));
        run.replay(REPLAY_NAME, from, to);
        run.run();
        Ok(run.into_report())
    });
    match report {
        Ok(r) => Pane::Ready(r),
        Err(why) => Pane::Unavailable(why),
    }
}

/// One execution of the run as the existing graph and playback show it.
pub fn run_view(e: &ExecutionRecord) -> RunView {
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
        made_from: None,
        paused: None,
        redrive_count: 0,
        redrivable: Err("Redrive a system run's execution from the machine's own Run.".into()),
        logs: None,
        written: vec![],
    }
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
    /// How long schedules fire after the run's start, in seconds.
    pub window: i64,
    /// Whether a system run is being made (by the runs' worker).
    #[prop_or_default]
    pub running: bool,
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
        Origin::Forwarded { from, rule, .. } => format!("forwarded from bus {from} by {rule}"),
        Origin::Scheduled { rule, .. } => format!("schedule of rule {rule}"),
        Origin::Schedule { name, .. } => format!("Scheduler schedule {name}"),
        Origin::Pipe { name, batch } => format!("pipe {name} · batch {batch}"),
        Origin::Subscriber {
            bus, subscriber, ..
        } => format!("subscriber {subscriber} of Custom Event Bus {bus}"),
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
            <span class="hint">{ "every bus's event log on one clock" }</span>
            <crate::components::schedule_window::ScheduleWindow seconds={p.window}
                on_pick={let cb = p.on_action.clone(); Callback::from(move |s| cb.emit(SystemAction::Window(s)))} />
            <button class="btn small" data-testid="run-system" onclick={run} aria-busy={p.running.to_string()}
                    title="Put the event on the bus: every rule it matches delivers, executions put their own events back, and all of it is logged here on one clock">
                { if p.running { "Running…" } else { "Run system" } }
            </button>
        </header>
    };
    // Until a system run, the header alone (the graph gets the room).
    let body = p.view.as_deref().map(|view| match view {
        Pane::Unavailable(why) => {
            html! { <p class="pad sys-problem" role="alert">{ why.clone() }</p> }
        }
        Pane::Ready(r) => report_view(r, p.open, &p.on_action),
    });
    html! {
        <section class={classes!("pane", "system-pane", p.view.is_none().then_some("idle"))} aria-label="System" data-testid="system">
            { head }
            if let Some(body) = body {
                <div class="system-body">{ body }</div>
            }
        </section>
    }
}

fn open_button(
    e: &ExecutionRecord,
    open: Option<usize>,
    replayed: bool,
    cb: &Callback<SystemAction>,
) -> Html {
    let status = exec_status(e);
    let i = e.index;
    let cb = cb.clone();
    let title = format!(
        "Open execution {} of {}{} in the graph",
        i + 1,
        e.machine,
        if replayed {
            " (started by a replay)"
        } else {
            ""
        }
    );
    let class = classes!(
        "sys-exec",
        status_class(&status),
        (open == Some(i)).then_some("open"),
        replayed.then_some("replayed")
    );
    html! {
        <button class={class} data-testid="sys-execution" data-machine={e.machine.clone()} data-status={status.clone()}
            data-replayed={replayed.to_string()} title={title} onclick={move |_| cb.emit(SystemAction::Open(i))}>
            { format!("{} {} ", if replayed { "↻" } else { "▶" }, e.machine) }<span class="sys-status">{ status }</span>
        </button>
    }
}

/// What the event log and lanes need besides the report.
struct Ctx<'a> {
    r: &'a Report,
    t0: i64,
    open: Option<usize>,
    events: Vec<bool>,
    execs: Vec<bool>,
    cb: &'a Callback<SystemAction>,
}

fn report_view(r: &Report, open: Option<usize>, cb: &Callback<SystemAction>) -> Html {
    let (replayed_events, replayed_execs) = replayed(r);
    let piped = super::pipes::time_range(r);
    let t0 = r.events.first().map_or(0, |e| e.millis);
    let t0 = piped.map_or(
        t0,
        |(lo, _)| if r.events.is_empty() { lo } else { lo.min(t0) },
    );
    let end = r
        .events
        .iter()
        .map(|e| e.millis)
        .chain(piped.map(|(_, hi)| hi))
        .chain(r.executions.iter().map(|e| e.stop_millis))
        .chain(r.dead_letters.iter().map(|d| d.millis))
        .max()
        .unwrap_or(t0);
    let span = (end - t0).max(1) as f64;
    let pct = |ms: i64| ((ms - t0) as f64 / span * 100.0).clamp(0.0, 100.0);
    let replays = replayed_events.iter().filter(|x| **x).count();
    let summary = format!(
        "{} events · {} executions · {} dead letters{}",
        r.events.len(),
        r.executions.len(),
        r.dead_letters.len() + r.pipes.iter().map(|p| p.dead_letters.len()).sum::<usize>(),
        if replays > 0 {
            format!(" · {replays} from the replay")
        } else {
            String::new()
        }
    ) + &firings_text(r);
    let archive: Vec<(i64, String)> = r
        .events
        .iter()
        .filter(|e| e.archived)
        .map(|e| {
            (
                e.millis,
                format!(
                    "+{} {}",
                    format_duration(e.millis - t0),
                    e.event["detail-type"].as_str().unwrap_or("event")
                ),
            )
        })
        .collect();
    // One lane per bus, in order of first event (the default bus usually first).
    let mut buses: Vec<String> = Vec::new();
    for e in &r.events {
        if !buses.contains(&e.bus) {
            buses.push(e.bus.clone());
        }
    }
    let ticks = axis_ticks(end - t0);
    let targets = target_lanes(r);
    let ctx = Ctx {
        r,
        t0,
        open,
        events: replayed_events,
        execs: replayed_execs,
        cb,
    };
    html! {
        <>
            <p class="sys-summary" data-testid="system-summary">{ summary }</p>
            if let Some(why) = &r.capped {
                <p class="sys-problem" role="alert" data-testid="system-capped">{ why.clone() }</p>
            }
            <div class="sys-lanes" aria-label="Executions on the clock">
                <div class="sys-lane sys-axis" data-testid="sys-axis" aria-label="Virtual time since the first event">
                    <span class="sys-lane-name">{ "virtual time" }</span>
                    <span class="sys-track">
                        for t in ticks.iter() {
                            <span class="sys-tick" data-testid="sys-tick" style={format!("left: {:.2}%", pct(t0 + t))}>{ tick_label(*t) }</span>
                        }
                    </span>
                </div>
                for bus in buses.iter() {
                    <div class="sys-lane sys-bus-lane" data-testid="sys-bus-lane" data-bus={bus.clone()}>
                        <span class="sys-lane-name" title={format!("event bus {bus}")}>{ match statebridge_engine::system::lane_pipe(bus) { Some(p) => format!("pipe {p} ⇢"), None => format!("bus {bus}") } }</span>
                        <span class="sys-track">
                            for e in r.events.iter().filter(|e| &e.bus == bus) {
                                <span class={classes!("sys-dot", matches!(e.origin, Origin::StatusChange { .. }).then_some("status"),
                                        ctx.events.get(e.index).copied().unwrap_or(false).then_some("replayed"))}
                                    style={format!("left: {:.2}%", pct(e.millis))}
                                    title={format!("{} on bus {bus} at +{}", e.event["detail-type"].as_str().unwrap_or("event"), format_duration(e.millis - t0))} />
                            }
                            // Dead letters on the lane of the bus whose rule gave up.
                            for d in r.dead_letters.iter().filter(|d| r.events.get(d.event).is_some_and(|e| &e.bus == bus)) {
                                <span class="sys-dot dlq" style={format!("left: {:.2}%", pct(d.millis))} title="dead letter" />
                            }
                        </span>
                    </div>
                }
                // Every target that is not an execution (a queue, a function, a dead-lettered
                // machine): its attempts, and where the event ended.
                for lane in targets.iter() {
                    <div class="sys-lane sys-target-lane" data-testid="sys-target-lane" data-rule={lane.rule.clone()}
                        data-target={lane.target.clone()} data-outcome={lane.outcome}>
                        <span class="sys-lane-name" title={format!("rule {} → target {} ({})", lane.rule, lane.target, lane.arn)}>
                            { format!("{} → {}", lane.rule, lane.target) }
                        </span>
                        <span class="sys-track">
                            for (ms, error) in lane.attempts.iter() {
                                <span class={classes!("sys-dot", "attempt", error.as_ref().map_or("ok", |_| "failed"))}
                                    style={format!("left: {:.2}%", pct(*ms))}
                                    title={format!("attempt at +{}: {}", format_duration(ms - t0), error.clone().unwrap_or_else(|| "delivered".into()))} />
                            }
                            for (ms, what) in lane.ends.iter() {
                                <span class="sys-dot dlq" style={format!("left: {:.2}%", pct(*ms))} title={format!("{what} at +{}", format_duration(ms - t0))} />
                            }
                        </span>
                    </div>
                }
                for e in r.executions.iter() {
                    <div class={classes!("sys-lane", ctx.execs.get(e.index).copied().unwrap_or(false).then_some("replayed"))}
                        data-testid="sys-lane" data-machine={e.machine.clone()} data-replayed={ctx.execs.get(e.index).copied().unwrap_or(false).to_string()}>
                        <span class="sys-lane-name" title={e.machine.clone()}>
                            if ctx.execs.get(e.index).copied().unwrap_or(false) { <span class="sys-replay-mark" title="started by the replay">{ "↻ " }</span> }
                            { e.machine.clone() }
                        </span>
                        <span class="sys-track">
                            <span class={classes!("sys-bar", status_class(&exec_status(e)), ctx.execs.get(e.index).copied().unwrap_or(false).then_some("replayed"))}
                                style={format!("left: {:.2}%; width: max(4px, {:.2}%)", pct(e.start_millis), pct(e.stop_millis) - pct(e.start_millis))}
                                title={format!("{} from +{} to +{}", exec_status(e), format_duration(e.start_millis - t0), format_duration(e.stop_millis - t0))} />
                        </span>
                    </div>
                }
            </div>
            { super::pipes::pipes_view(r, t0, &pct) }
            <ReplayForm archive={archive} t0={t0} on_action={cb.clone()} />
            <ol class="sys-log" data-testid="system-log">
                for e in r.events.iter() { { event_row(e, &ctx) } }
            </ol>
            <div class="sys-dlq" data-testid="dlq">
                <h3>{ "Dead-letter queues" }</h3>
                if r.dead_letters.is_empty() && r.pipes.iter().all(|p| p.dead_letters.is_empty()) {
                    <p class="muted">{ "Empty: every delivery reached its target." }</p>
                }
                for (p, d) in r.pipes.iter().flat_map(|p| p.dead_letters.iter().map(move |d| (p, d))) {
                    <div class="sys-dlq-entry" data-testid="dlq-entry" data-pipe={p.name.clone()}>
                        <b>{ d.queue.rsplit(':').next().unwrap_or_default().to_owned() }</b>
                        { format!(" at +{} · pipe {} · {} record{} after {} tr{}", format_duration(d.millis - t0), p.name,
                            d.records.len(), if d.records.len() == 1 { "" } else { "s" },
                            d.attempts, if d.attempts == 1 { "y" } else { "ies" }) }
                        <div class="muted sys-msg">{ d.reason.clone() }</div>
                    </div>
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
            if let Some(v2) = &r.eventsv2 { { crate::components::eventsv2::view(v2) } }
        </>
    }
}

/// The time axis's ticks (virtual milliseconds after the first event): a round step giving at
/// most six intervals over `span`.
fn axis_ticks(span: i64) -> Vec<i64> {
    const STEPS: [i64; 20] = [
        1,
        10,
        100,
        500,
        1_000,
        5_000,
        10_000,
        30_000,
        60_000,
        300_000,
        600_000,
        1_800_000,
        3_600_000,
        7_200_000,
        21_600_000,
        43_200_000,
        86_400_000,
        604_800_000,
        2_592_000_000,
        31_536_000_000,
    ];
    if span <= 0 {
        return vec![0];
    }
    let step = STEPS
        .iter()
        .copied()
        .find(|s| span / s <= 6)
        .unwrap_or_else(|| (span / 6).max(1));
    (0..=span / step).map(|i| i * step).collect()
}

/// A tick's label: `+0`, `+500 ms`, `+30 s`, `+5 min`, `+2 h`, `+1 d`.
fn tick_label(ms: i64) -> String {
    let (n, unit) = match ms {
        0 => return "+0".to_owned(),
        _ if ms % 86_400_000 == 0 => (ms / 86_400_000, "d"),
        _ if ms % 3_600_000 == 0 => (ms / 3_600_000, "h"),
        _ if ms % 60_000 == 0 => (ms / 60_000, "min"),
        _ if ms % 1_000 == 0 => (ms / 1_000, "s"),
        _ => (ms, "ms"),
    };
    format!("+{n} {unit}")
}

/// A target's lane: every attempt at it, and where the events that did not reach it ended.
struct TargetLane {
    rule: String,
    target: String,
    arn: String,
    /// Each attempt's moment and its error, if it failed.
    attempts: Vec<(i64, Option<String>)>,
    /// Dead-lettered or dropped events: when, and what happened.
    ends: Vec<(i64, String)>,
    /// `delivered`, `dead-lettered`, `dropped` or `pending`: the worst of its deliveries.
    outcome: &'static str,
}

/// One lane per (rule, target) whose deliveries did not all start an execution (those have
/// their execution's lane), in order of first delivery.
fn target_lanes(r: &Report) -> Vec<TargetLane> {
    let mut lanes: Vec<TargetLane> = Vec::new();
    for (i, d) in r.deliveries.iter().enumerate() {
        let lane = match lanes
            .iter()
            .position(|l| l.rule == d.rule && l.target == d.target)
        {
            Some(at) => &mut lanes[at],
            None => {
                lanes.push(TargetLane {
                    rule: d.rule.clone(),
                    target: d.target.clone(),
                    arn: d.arn.clone(),
                    attempts: vec![],
                    ends: vec![],
                    outcome: "started",
                });
                let last = lanes.len() - 1;
                &mut lanes[last]
            }
        };
        lane.attempts
            .extend(d.attempts.iter().map(|a| (a.millis, a.error.clone())));
        let (rank, outcome) = match &d.outcome {
            DeliveryOutcome::Delivered { execution: Some(_) } => (0, "started"),
            DeliveryOutcome::Delivered { execution: None } => (1, "delivered"),
            DeliveryOutcome::Pending => (2, "pending"),
            DeliveryOutcome::DeadLettered { queue, .. } => {
                let at = r
                    .dead_letters
                    .iter()
                    .find(|x| x.delivery == i)
                    .map(|x| x.millis);
                let queue = queue.rsplit(':').next().unwrap_or_default();
                if let Some(at) = at.or_else(|| d.attempts.last().map(|a| a.millis)) {
                    lane.ends
                        .push((at, format!("sent to dead-letter queue {queue}")));
                }
                (4, "dead-lettered")
            }
            DeliveryOutcome::Dropped { .. } => {
                if let Some(a) = d.attempts.last() {
                    lane.ends
                        .push((a.millis, "dropped (no dead-letter queue)".to_owned()));
                }
                (3, "dropped")
            }
        };
        let rank_of = |o: &str| match o {
            "started" => 0,
            "delivered" => 1,
            "pending" => 2,
            "dropped" => 3,
            _ => 4,
        };
        if rank > rank_of(lane.outcome) {
            lane.outcome = outcome;
        }
    }
    lanes.retain(|l| l.outcome != "started");
    lanes
}

fn event_row(e: &statebridge_engine::system::BusEvent, ctx: &Ctx<'_>) -> Html {
    let (r, t0) = (ctx.r, ctx.t0);
    let replayed = ctx.events.get(e.index).copied().unwrap_or(false);
    // A Scheduler firing is its target's Input, not an event: name the schedule instead.
    let detail_type = match (&e.origin, e.event["detail-type"].as_str()) {
        (Origin::Schedule { name, .. }, None) => format!("⏰ {name}"),
        (Origin::Pipe { name, batch }, None) => format!("⇢ {name} batch {batch}"),
        (_, t) => t.unwrap_or("(no detail-type)").to_owned(),
    };
    let is_status = matches!(e.origin, Origin::StatusChange { .. });
    let status = e.event["detail"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    html! {
        <li class={classes!("sys-event", is_status.then_some("status"), replayed.then_some("replayed"))} data-testid="sys-event"
            data-detail-type={detail_type.clone()} data-replayed={replayed.to_string()} data-bus={e.bus.clone()}>
            <div class="sys-line">
                <span class="sys-time">{ format!("+{}", format_duration(e.millis - t0)) }</span>
                <span class="badge bus" data-testid="bus-badge" title={format!("on event bus {}", e.bus)}>{ e.bus.clone() }</span>
                if matches!(e.origin, Origin::Replay { .. }) {
                    <span class="badge replay" data-testid="replay-badge" title="Replayed from the archive (the event carries replay-name)">{ "↻ replayed" }</span>
                }
                <b class="sys-type">{ detail_type }</b>
                if is_status { <span class={classes!("sys-status", status_class(&status))}>{ status }</span> }
                <span class="muted sys-origin">{ origin_text(&e.origin, r) }</span>
            </div>
            if !e.deliveries.is_empty() {
                <ul class="sys-deliveries">
                    for d in e.deliveries.iter().filter_map(|i| r.deliveries.get(*i)) {
                        <li data-testid="sys-delivery" data-status={delivery_status(&d.outcome)}>
                            <span class="sys-rule">{ format!("{} → {}", d.rule, d.target) }</span>
                            { delivery_result(d, ctx) }
                        </li>
                    }
                </ul>
            }
        </li>
    }
}

/// How many times schedules fired, and over which window, for the summary line.
fn firings_text(r: &Report) -> String {
    match &r.schedule_window {
        Some(w) if !r.firings.is_empty() => format!(
            " · {} schedule firings from {} to {}{}",
            r.firings.len(),
            w.from.trim_end_matches(".000Z"),
            w.until.trim_end_matches(".000Z"),
            if r.firings_cut.is_empty() {
                String::new()
            } else {
                format!(" (capped: {})", r.firings_cut.join(", "))
            }
        ),
        _ => String::new(),
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

fn delivery_result(d: &statebridge_engine::system::Delivery, ctx: &Ctx<'_>) -> Html {
    let (r, t0) = (ctx.r, ctx.t0);
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
        DeliveryOutcome::Delivered { execution: Some(i) } => {
            r.executions.get(*i).map_or_else(Html::default, |e| {
                let replayed = ctx.execs.get(e.index).copied().unwrap_or(false);
                open_button(e, ctx.open, replayed, ctx.cb)
            })
        }
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

/// Props of [`ReplayForm`].
#[derive(Properties, PartialEq)]
pub struct ReplayFormProps {
    /// The archived events: arrival (virtual ms) and a label.
    pub archive: Vec<(i64, String)>,
    /// The run's first moment (labels are relative to it).
    pub t0: i64,
    /// Asks for the replay.
    pub on_action: Callback<SystemAction>,
}

/// The archive: pick the first and last archived event of a time range and replay it into the bus.
#[component]
pub fn ReplayForm(p: &ReplayFormProps) -> Html {
    let last = p.archive.len().saturating_sub(1);
    let range = use_state(|| (0usize, usize::MAX));
    let (from, to) = (range.0.min(last), range.1.min(last));
    let pick = |end: bool| {
        let range = range.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value()
                .parse::<usize>()
                .unwrap_or(0);
            let (a, b) = *range;
            range.set(if end { (a, v) } else { (v, b) });
        })
    };
    let (start, stop) = (
        p.archive.get(from.min(to)).map_or(0, |a| a.0),
        p.archive.get(from.max(to)).map_or(0, |a| a.0),
    );
    let count = p
        .archive
        .iter()
        .filter(|(ms, _)| *ms >= start && *ms <= stop)
        .count();
    let replay = {
        let cb = p.on_action.clone();
        // The range includes the last chosen event: up to the next millisecond.
        Callback::from(move |_: MouseEvent| cb.emit(SystemAction::Replay(start, stop + 1)))
    };
    let options = |chosen: usize| {
        html! {
            for (i, (_, label)) in p.archive.iter().enumerate() {
                <option value={i.to_string()} selected={i == chosen}>{ label.clone() }</option>
            }
        }
    };
    if p.archive.is_empty() {
        return html! {};
    }
    html! {
        <div class="sys-replay" data-testid="replay-form">
            <span class="sys-replay-title" title="Every event that entered the bus is archived; a replay puts a time range of them back on the bus, each with replay-name set">{ "Archive" }</span>
            <label>{ "from " }
                <select data-testid="replay-from" onchange={pick(false)} aria-label="Replay from">{ options(from) }</select>
            </label>
            <label>{ "to " }
                <select data-testid="replay-to" onchange={pick(true)} aria-label="Replay to">{ options(to) }</select>
            </label>
            <button class="btn small" data-testid="replay" onclick={replay}
                title={format!("Put the {count} archived events from +{} to +{} back on the bus, after the run", format_duration(start - p.t0), format_duration(stop - p.t0))}>
                { format!("↻ Replay {count} event{}", if count == 1 { "" } else { "s" }) }
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_axis_has_round_ticks() {
        assert_eq!(axis_ticks(0), [0]);
        assert_eq!(axis_ticks(4_200), [0, 1_000, 2_000, 3_000, 4_000]);
        // Retries over 24 hours: a tick every 6 hours.
        let day = axis_ticks(86_400_000);
        assert_eq!(day.len(), 5);
        assert_eq!(day[1], 21_600_000);
        let labels: Vec<String> = [0, 500, 30_000, 300_000, 7_200_000, 86_400_000]
            .map(tick_label)
            .into();
        assert_eq!(labels, ["+0", "+500 ms", "+30 s", "+5 min", "+2 h", "+1 d"]);
    }
}
