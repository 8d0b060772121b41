//! EventBridge Pipes in the system view: per pipe, a lane of its source's records on the run's
//! clock (each dot one record, coloured by what became of it) and the record-by-record steps —
//! filter, enrichment, target — with each batch's enrichment answer and target input.
//!
//! Everything shown is read from the engine's report (`Report::pipes`); nothing is decided here.

use crate::replay::format_duration;
use serde_json::Value;
use statebridge_engine::system::{BatchStatus, PipeBatch, PipeRun, RecordStatus, Report};
use yew::prelude::*;

/// Most records listed per pipe (the lane shows them all).
const LISTED: usize = 50;

/// The earliest and latest moment of any pipe's records, to fit the system view's clock.
pub fn time_range(r: &Report) -> Option<(i64, i64)> {
    let times = r.pipes.iter().flat_map(|p| {
        p.records
            .iter()
            .map(|x| x.millis)
            .chain(p.batches.iter().map(|b| b.millis))
            .chain(p.dead_letters.iter().map(|d| d.millis))
    });
    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
    for t in times {
        lo = lo.min(t);
        hi = hi.max(t);
    }
    (lo <= hi).then_some((lo, hi))
}

fn status_name(s: RecordStatus) -> &'static str {
    match s {
        RecordStatus::Filtered => "filtered",
        RecordStatus::BeforeStart => "before_start",
        RecordStatus::Stopped => "stopped",
        RecordStatus::Taken => "taken",
        RecordStatus::Pending => "pending",
        RecordStatus::Dropped => "dropped",
        RecordStatus::Delivered => "delivered",
        RecordStatus::Failed => "failed",
        RecordStatus::DeadLettered => "dead_lettered",
    }
}

fn status_words(s: RecordStatus) -> &'static str {
    match s {
        RecordStatus::Filtered => "filtered out",
        RecordStatus::BeforeStart => "before the starting position",
        RecordStatus::Stopped => "not read: the pipe is STOPPED",
        RecordStatus::Taken => "received by another pipe",
        RecordStatus::Pending => "waiting",
        RecordStatus::Dropped => "dropped by the enrichment",
        RecordStatus::Delivered => "delivered",
        RecordStatus::Failed => "failed: the pipe gave up on it",
        RecordStatus::DeadLettered => "sent to the dead-letter queue",
    }
}

/// A record's data field, short: the SQS body, the Kinesis data, the DynamoDB keys.
fn preview(p: &PipeRun, record: &Value) -> String {
    let field = match &*p.kind {
        "sqs" => record["body"].clone(),
        "kinesis" => record["data"].clone(),
        _ => {
            serde_json::json!({"eventName": record["eventName"], "Keys": record["dynamodb"]["Keys"]})
        }
    };
    let text = match field {
        Value::String(s) => s,
        v => v.to_string(),
    };
    clip(&text, 90)
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let mut s: String = text.chars().take(max).collect();
        s.push('…');
        s
    }
}

fn last_segment(arn: &str) -> &str {
    arn.rsplit([':', '/']).next().unwrap_or(arn)
}

/// One step's mark in a record's row: passed, stopped there, or not reached.
fn step(label: &str, state: Option<bool>, title: String) -> Html {
    let (class, mark) = match state {
        Some(true) => ("ok", "✓"),
        Some(false) => ("no", "✗"),
        None => ("skip", "–"),
    };
    html! {
        <span class={classes!("pipe-step", class)} data-step={label.to_owned()} title={title}>{ format!("{mark} {label}") }</span>
    }
}

fn record_steps(p: &PipeRun, s: RecordStatus, batch: Option<&PipeBatch>) -> Html {
    let filtered = match s {
        RecordStatus::Filtered => Some(false),
        RecordStatus::BeforeStart | RecordStatus::Stopped | RecordStatus::Taken => None,
        _ => Some(true),
    };
    let enriched = match (&p.enrichment, batch.and_then(|b| b.enrichment.as_ref())) {
        (None, _) => None,
        (Some(_), Some(call)) => Some(call.error.is_none() && s != RecordStatus::Dropped),
        (Some(_), None) => None,
    };
    let delivered = match s {
        RecordStatus::Delivered => Some(true),
        RecordStatus::Failed | RecordStatus::DeadLettered
            if batch.is_some_and(|b| b.target_input.is_some()) =>
        {
            Some(false)
        }
        _ => None,
    };
    let why = batch.and_then(|b| b.error.clone()).unwrap_or_default();
    html! {
        <span class="pipe-steps">
            { step("filter", filtered, if filtered == Some(false) { "no filter pattern matched it".into() } else { "a filter pattern matched (or there is none)".into() }) }
            if p.enrichment.is_some() {
                { step("enrichment", enriched, if why.is_empty() { p.enrichment.clone().unwrap_or_default() } else { why.clone() }) }
            }
            { step("target", delivered, if why.is_empty() { p.target.clone() } else { why }) }
        </span>
    }
}

fn batch_row(b: &PipeBatch, t0: i64) -> Html {
    let status = serde_json::to_value(b.status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let enrichment = b.enrichment.as_ref().map(|c| match (&c.output, &c.error) {
        (Some(out), _) => format!(
            "enrichment ({}) → {}",
            c.answered_by,
            clip(&out.to_string(), 120)
        ),
        (None, Some(e)) => format!("enrichment threw {e}"),
        _ => "enrichment".to_owned(),
    });
    html! {
        <li class={classes!("pipe-batch", matches!(b.status, BatchStatus::Failed | BatchStatus::PartiallyFailed).then_some("failed"))} data-testid="pipe-batch" data-status={status.clone()}>
            <span class="sys-time">{ format!("+{}", format_duration(b.millis - t0)) }</span>
            <b>{ format!(" batch {} ", b.index) }</b>
            <span class="muted">{ format!("{} record{} · ", b.records.len(), if b.records.len() == 1 { "" } else { "s" }) }</span>
            if let Some(of) = b.retry_of {
                <span class="pipe-retry" data-testid="pipe-retry" data-attempt={b.attempt.to_string()}>
                    { if b.attempt == 0 { format!("half of batch {of} · ") } else { format!("retry {} (of batch {of}) · ", b.attempt) } }
                </span>
            }
            <span class={classes!("pipe-batch-status", status.to_lowercase())}>{ status }</span>
            if let Some(e) = enrichment { <div class="sys-msg muted">{ e }</div> }
            if let Some(input) = &b.target_input {
                <div class="sys-msg"><span class="muted">{ "target input " }</span><code>{ clip(&input.to_string(), 160) }</code></div>
            }
            if let Some(why) = &b.error { <div class="sys-msg pipe-error">{ why.clone() }</div> }
            if !b.failed_records.is_empty() && b.status == BatchStatus::PartiallyFailed {
                <div class="sys-msg muted">{ format!("records {:?} go back to be retried; the others were delivered", b.failed_records) }</div>
            }
        </li>
    }
}

fn pipe_view(p: &PipeRun, t0: i64, pct: &dyn Fn(i64) -> f64) -> Html {
    let count = |s: RecordStatus| p.records.iter().filter(|x| x.status == s).count();
    let summary = format!(
        "{} records · {} filtered out · {} delivered in {} batch{}{}{}",
        p.records.len(),
        count(RecordStatus::Filtered),
        count(RecordStatus::Delivered),
        p.batches.len(),
        if p.batches.len() == 1 { "" } else { "es" },
        match count(RecordStatus::Dropped) {
            0 => String::new(),
            n => format!(" · {n} dropped by the enrichment"),
        },
        match count(RecordStatus::Failed) {
            0 => String::new(),
            n => format!(" · {n} failed"),
        }
    ) + &retry_summary(p);
    let flow = format!(
        "{} {} → {}{}",
        p.kind,
        last_segment(&p.source),
        p.enrichment
            .as_deref()
            .map(|e| format!("enrichment {} → ", last_segment(e)))
            .unwrap_or_default(),
        format_args!("target {}", last_segment(&p.target))
    );
    html! {
        <div class="sys-pipe" data-testid="sys-pipe" data-pipe={p.name.clone()}>
            <div class="sys-lane sys-pipe-lane" data-testid="sys-pipe-lane">
                <span class="sys-lane-name" title={format!("EventBridge pipe {} ({})", p.name, p.state)}>{ format!("pipe {}", p.name) }</span>
                <span class="sys-track">
                    for x in p.records.iter() {
                        <span class={classes!("sys-dot", "rec", status_name(x.status))}
                            style={format!("left: {:.2}%", pct(x.millis))}
                            title={format!("record {} · {} · {}", x.index, x.id, status_words(x.status))} />
                    }
                    // Each retry on the clock, marked by how it ended.
                    for b in p.batches.iter().filter(|b| b.retry_of.is_some()) {
                        <span class={classes!("sys-dot", "attempt", if b.status == BatchStatus::Delivered { "ok" } else { "failed" })}
                            data-testid="pipe-retry-dot"
                            style={format!("left: {:.2}%", pct(b.millis))}
                            title={format!("batch {} at +{}: {} of batch {} · {}", b.index, format_duration(b.millis - t0),
                                if b.attempt == 0 { "half".to_owned() } else { format!("retry {}", b.attempt) },
                                b.retry_of.unwrap_or_default(),
                                b.error.clone().unwrap_or_else(|| "delivered".into()))} />
                    }
                </span>
            </div>
            <p class="sys-pipe-summary" data-testid="pipe-summary">
                <b>{ format!("pipe {} ", p.name) }</b>{ flow }<span class="muted">{ format!(" · {summary}") }</span>
                if p.state == "STOPPED" { <span class="badge">{ "STOPPED" }</span> }
            </p>
            <ol class="sys-pipe-records">
                for x in p.records.iter().take(LISTED) {
                    <li data-testid="pipe-record" data-status={status_name(x.status)}>
                        <span class="sys-time">{ format!("+{}", format_duration(x.millis - t0)) }</span>
                        { record_steps(p, x.status, x.batch.and_then(|b| p.batches.get(b))) }
                        <code class="pipe-data" title={x.id.clone()}>{ preview(p, &x.record) }</code>
                        if let Some(b) = x.batch { <span class="muted">{ format!(" · batch {b}") }</span> }
                    </li>
                }
                if p.records.len() > LISTED {
                    <li class="muted">{ format!("… and {} more records (every one is a dot on the lane)", p.records.len() - LISTED) }</li>
                }
            </ol>
            { dead_letter_lanes(p, t0, pct) }
            if !p.batches.is_empty() {
                <ol class="sys-pipe-batches">
                    for b in p.batches.iter() { { batch_row(b, t0) } }
                </ol>
            }
        </div>
    }
}

/// Retries and dead letters, when there were any: "· 3 retry batches · 2 dead-lettered".
fn retry_summary(p: &PipeRun) -> String {
    let retries = p.batches.iter().filter(|b| b.retry_of.is_some()).count();
    let dead = p
        .records
        .iter()
        .filter(|x| x.status == RecordStatus::DeadLettered)
        .count();
    let mut out = String::new();
    if retries > 0 {
        out += &format!(
            " · {retries} {}",
            if retries == 1 {
                "retry batch"
            } else {
                "retry batches"
            }
        );
    }
    if dead > 0 {
        out += &format!(" · {dead} dead-lettered");
    }
    out
}

/// One lane per dead-letter queue the pipe sent records to, a dot per dead letter, and the
/// letters listed (why, after how many tries).
fn dead_letter_lanes(p: &PipeRun, t0: i64, pct: &dyn Fn(i64) -> f64) -> Html {
    let mut queues: Vec<&str> = Vec::new();
    for d in &p.dead_letters {
        if !queues.contains(&d.queue.as_str()) {
            queues.push(&d.queue);
        }
    }
    html! {
        <>
            for q in queues.iter() {
                <div class="sys-lane sys-target-lane" data-testid="pipe-dlq-lane" data-queue={q.to_string()}>
                    <span class="sys-lane-name" title={format!("dead-letter queue {q}")}>{ format!("DLQ {}", last_segment(q)) }</span>
                    <span class="sys-track">
                        for d in p.dead_letters.iter().filter(|d| d.queue == *q) {
                            <span class="sys-dot dlq" style={format!("left: {:.2}%", pct(d.millis))}
                                title={format!("dead letter at +{} after {} tries", format_duration(d.millis - t0), d.attempts)} />
                        }
                    </span>
                </div>
            }
            if !p.dead_letters.is_empty() {
                <ol class="sys-pipe-dlq">
                    for d in p.dead_letters.iter().take(LISTED) {
                        <li data-testid="pipe-dead-letter" data-attempts={d.attempts.to_string()}>
                            <span class="sys-time">{ format!("+{}", format_duration(d.millis - t0)) }</span>
                            <b>{ format!(" {} ", last_segment(&d.queue)) }</b>
                            <span class="muted">{ format!("record{} {} · {} tr{} · ",
                                if d.records.len() == 1 { "" } else { "s" },
                                d.records.iter().map(usize::to_string).collect::<Vec<_>>().join(", "),
                                d.attempts, if d.attempts == 1 { "y" } else { "ies" }) }</span>
                            <span class="sys-msg">{ d.reason.clone() }</span>
                        </li>
                    }
                    if p.dead_letters.len() > LISTED {
                        <li class="muted">{ format!("… and {} more dead letters", p.dead_letters.len() - LISTED) }</li>
                    }
                </ol>
            }
        </>
    }
}

/// Every pipe of the run; nothing when the workspace has none.
pub fn pipes_view(r: &Report, t0: i64, pct: &dyn Fn(i64) -> f64) -> Html {
    if r.pipes.is_empty() {
        return html! {};
    }
    html! {
        <div class="sys-pipes" data-testid="sys-pipes" aria-label="EventBridge Pipes">
            for p in r.pipes.iter() { { pipe_view(p, t0, pct) } }
        </div>
    }
}
