//! The Custom Event Bus in the system view: a lane per subscriber on the run's clock (each event
//! of its bus a dot: delivered, filtered out, failed, or read from history), then per subscriber
//! each event's filter verdicts and the payload its target received, and each publish call's
//! answer. The engine's `eventsv2` module computed all of it; this file only draws.

use crate::replay::format_duration;
use serde_json::Value;
use statebridge_engine::eventsv2::{
    Delivery, DeliveryOutcome, LaneEntry, Report, Scope, SubscriberRecord,
};
use yew::prelude::*;

/// Most lane entries listed per subscriber (the lane's dots show them all).
const LISTED: usize = 50;

fn scope_name(s: Scope) -> &'static str {
    match s {
        Scope::Data => "DATA",
        Scope::Metadata => "METADATA",
        Scope::SystemMetadata => "SYSTEM_METADATA",
    }
}

fn outcome_status(o: &DeliveryOutcome) -> &'static str {
    match o {
        DeliveryOutcome::Pending => "pending",
        DeliveryOutcome::Delivered { .. } => "delivered",
        DeliveryOutcome::DeadLettered { .. } => "dead-lettered",
        DeliveryOutcome::Dropped { .. } => "dropped",
    }
}

/// The status of a lane entry: filtered, or its delivery's outcome.
fn entry_status(e: &LaneEntry, r: &Report) -> &'static str {
    match e.delivery.and_then(|d| r.deliveries.get(d)) {
        None => "filtered",
        Some(d) => outcome_status(&d.outcome),
    }
}

fn clip(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        text
    } else {
        text.chars().take(max).collect::<String>() + "…"
    }
}

/// The whole Custom Event Bus section of a system run.
pub fn view(r: &Report) -> Html {
    let t0 = r
        .events
        .first()
        .map(|e| e.millis)
        .into_iter()
        .chain(
            r.deliveries
                .iter()
                .flat_map(|d| d.attempts.first().map(|a| a.millis)),
        )
        .min()
        .unwrap_or(0);
    let end = r
        .events
        .iter()
        .map(|e| e.millis)
        .chain(
            r.deliveries
                .iter()
                .flat_map(|d| d.attempts.iter().map(|a| a.millis)),
        )
        .max()
        .unwrap_or(t0);
    let span = (end - t0).max(1) as f64;
    let pct = |ms: i64| ((ms - t0) as f64 / span * 100.0).clamp(0.0, 100.0);
    let delivered: usize = r.subscribers.iter().map(|s| s.lane.delivered).sum();
    let summary = format!(
        "Custom Event Bus: {} buses · {} events kept · {} subscribers · {} deliveries · {} dead letters",
        r.buses.len(),
        r.events.len(),
        r.subscribers.len(),
        delivered,
        r.dead_letters.len()
    );
    html! {
        <section class="v2" data-testid="eventsv2" aria-label="Custom Event Bus">
            <h3 class="v2-title">{ summary }</h3>
            if let Some(why) = &r.capped {
                <p class="sys-problem" role="alert">{ why.clone() }</p>
            }
            <div class="sys-lanes" aria-label="Subscribers on the clock">
                for (i, s) in r.subscribers.iter().enumerate() {
                    <div class="sys-lane" data-testid="v2-lane" data-subscriber={s.name.clone()}>
                        <span class="sys-lane-name" title={format!("subscriber {} on bus {}", s.name, s.bus)}>{ s.name.clone() }</span>
                        <span class="sys-track">
                            for e in s.lane.entries.iter() {
                                { lane_dot(e, r, i, &pct, t0) }
                            }
                        </span>
                    </div>
                }
            </div>
            for (i, s) in r.subscribers.iter().enumerate() {
                { subscriber_view(i, s, r, t0) }
            }
            <details class="v2-publishes" data-testid="v2-publishes">
                <summary>{ format!("{} publish calls and their answers", r.publishes.len()) }</summary>
                for p in r.publishes.iter() {
                    <div class="v2-publish">
                        <b>{ format!("{} → {}", p.operation, p.bus) }</b>
                        { format!(" at {} ", p.time) }
                        <pre class="v2-json">{ clip(serde_json::to_string(&p.response).unwrap_or_default(), 600) }</pre>
                    </div>
                }
            </details>
        </section>
    }
}

fn lane_dot(e: &LaneEntry, r: &Report, _sub: usize, pct: &dyn Fn(i64) -> f64, t0: i64) -> Html {
    let status = entry_status(e, r);
    let at = e
        .delivery
        .and_then(|d| r.deliveries.get(d))
        .and_then(|d| d.attempts.last().map(|a| a.millis))
        .or_else(|| r.events.get(e.event).map(|ev| ev.millis))
        .unwrap_or(t0);
    let replay = e.delivery_type == "REPLAY";
    html! {
        <span class={classes!("sys-dot", "v2-dot", status, replay.then_some("replayed"))}
            style={format!("left: {:.2}%", pct(at))}
            title={format!("event {} ({}) at +{}: {status}", e.event + 1, e.delivery_type, format_duration(at - t0))} />
    }
}

/// An enum as the API spells it (its serde name).
fn aws_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn subscriber_view(i: usize, s: &SubscriberRecord, r: &Report, t0: i64) -> Html {
    let head = format!(
        "{} · bus {} · {} → {} · {} · {} · reads from {}",
        s.name,
        s.bus,
        aws_name(&s.transformer),
        s.target_arn.rsplit([':', '/']).next().unwrap_or_default(),
        // The API's own spelling (FIFO, UNORDERED), not Rust's variant names.
        aws_name(&s.ordering),
        s.state,
        s.reads_from
    );
    let counts = format!(
        "{} events seen · {} matched · {} delivered · {} failed",
        s.lane.entries.len(),
        s.lane.matched,
        s.lane.delivered,
        s.lane.failed
    );
    html! {
        <details class="v2-sub" data-testid="v2-subscriber" data-subscriber={s.name.clone()} open={i == 0}>
            <summary><b>{ head }</b>{ " — " }<span class="muted">{ counts }</span></summary>
            <ol class="sys-log">
                for e in s.lane.entries.iter().take(LISTED) {
                    { entry_view(e, r, t0) }
                }
            </ol>
            if s.lane.entries.len() > LISTED {
                <p class="muted">{ format!("…and {} more (the lane above shows every one)", s.lane.entries.len() - LISTED) }</p>
            }
        </details>
    }
}

fn entry_view(e: &LaneEntry, r: &Report, t0: i64) -> Html {
    let Some(ev) = r.events.get(e.event) else {
        return html! {};
    };
    let status = entry_status(e, r);
    let delivery = e.delivery.and_then(|d| r.deliveries.get(d));
    let label = match ev.event["Data"].get("detail-type").and_then(Value::as_str) {
        Some(t) => t.to_owned(),
        None => format!("event {}", e.event + 1),
    };
    html! {
        <li class={classes!("sys-event", "v2-entry", (e.delivery_type == "REPLAY").then_some("replayed"))}
            data-testid="v2-entry" data-status={status} data-delivery-type={e.delivery_type.to_string()}>
            <div class="sys-line">
                <span class="sys-time">{ format!("+{}", format_duration(ev.millis - t0)) }</span>
                <b class="sys-type">{ label }</b>
                if e.delivery_type == "REPLAY" {
                    <span class="badge replay" title="read from the bus's retained events (aws:DeliveryType REPLAY)">{ "↻ REPLAY" }</span>
                }
                for v in e.verdicts.iter() {
                    <span class={classes!("v2-verdict", if v.matched { "sys-ok" } else { "sys-bad" })}
                        data-testid="v2-verdict" data-scope={scope_name(v.scope)} data-matched={v.matched.to_string()}
                        title={v.reason.clone().unwrap_or_else(|| "matches".into())}>
                        { format!("{} {}", if v.matched { "✓" } else { "✗" }, scope_name(v.scope)) }
                    </span>
                }
                if e.verdicts.is_empty() { <span class="muted">{ "no filter: every event" }</span> }
                <span class={classes!("v2-status", status)}>{ status }</span>
            </div>
            for v in e.verdicts.iter().filter(|v| !v.matched) {
                <div class="muted sys-msg">{ format!("{}: {}", scope_name(v.scope), v.reason.clone().unwrap_or_default()) }</div>
            }
            if let Some(d) = delivery { { delivery_view(d, t0) } }
        </li>
    }
}

fn delivery_view(d: &Delivery, t0: i64) -> Html {
    let payload = match &d.payload {
        Ok(v) => {
            html! { <pre class="v2-json" data-testid="v2-payload">{ clip(serde_json::to_string_pretty(v).unwrap_or_default(), 800) }</pre> }
        }
        Err(why) => {
            html! { <div class="sys-bad sys-msg" data-testid="v2-payload-error">{ why.clone() }</div> }
        }
    };
    let failed: Vec<&statebridge_engine::eventsv2::Attempt> =
        d.attempts.iter().filter(|a| a.error.is_some()).collect();
    let outcome = match &d.outcome {
        DeliveryOutcome::Delivered {
            execution: Some(x), ..
        } => format!(
            "started {} ({})",
            x["machine"].as_str().unwrap_or_default(),
            x["status"].as_str().unwrap_or_default()
        ),
        DeliveryOutcome::Delivered {
            forwarded: Some(f), ..
        } => format!("became event {} on the target bus", f + 1),
        DeliveryOutcome::DeadLettered { queue, reason } => format!(
            "to {}: {reason}",
            queue.rsplit(':').next().unwrap_or_default()
        ),
        DeliveryOutcome::Dropped { reason } => format!("dropped: {reason}"),
        _ => String::new(),
    };
    html! {
        <div class="v2-delivery">
            if !failed.is_empty() {
                <div class="sys-attempts">
                    { format!("{} failed attempt{}: ", failed.len(), if failed.len() == 1 { "" } else { "s" }) }
                    for a in failed.iter() {
                        <span title={a.message.clone().unwrap_or_default()}>
                            { format!("+{} {} ", format_duration(a.millis - t0), a.error.clone().unwrap_or_default()) }
                        </span>
                    }
                </div>
            }
            if !outcome.is_empty() { <div class="muted sys-msg">{ outcome }</div> }
            { payload }
        </div>
    }
}
