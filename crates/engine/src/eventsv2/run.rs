//! A Custom Event Bus document run on the virtual clock: buses keep what is published,
//! deduplicated; subscribers are created at their time and read from their starting position;
//! each event their filters let through is transformed and delivered, retried, ordered within its
//! FIFO group, and dead-lettered when retries run out.

use super::model::{Document, Filter, Ordering, PublishCall, Scope, Subscriber, TransformerType};
use super::publish::{self, Entry, EntryError};
use super::report::*;
use super::target::TargetKind;
use super::{DEDUP_WINDOW_SECONDS, MAX_EVENTS};
use crate::asl::StateMachine;
use crate::asl::exec::{Execution, ExecutionOptions};
use crate::asl::mocks::{MockResponse, Mocks};
use crate::asl::time::{self, Millis};
use crate::jsonata::{AwsEnv, Expression, template_expression};
use crate::system::{uuid, whole_seconds};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// What a run needs beyond the document.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Seed for ids and JSONata's random functions.
    pub seed: u64,
    /// The workspace's state machines, by name: a Step Functions target naming one starts an
    /// execution. `None`: a Step Functions target only receives its input.
    pub machines: Option<Map<String, Value>>,
    /// The mocks those executions use.
    pub mocks: Mocks,
}

#[derive(Debug)]
enum Job {
    Create(usize),
    Publish(usize),
    Attempt { delivery: usize, attempt: u32 },
}

/// A forwarded event's parts, as an entry.
struct Forward {
    bus: String,
    entry: Entry,
    from: usize,
}

struct Run<'a> {
    doc: &'a Document,
    options: &'a RunOptions,
    clock: Millis,
    seq: u64,
    queue: BTreeMap<(Millis, u64), Job>,
    report: Report,
    /// Per bus: the events kept, in ingestion order.
    kept: HashMap<String, Vec<usize>>,
    /// Per bus: the subscribers reading live.
    live: HashMap<String, Vec<usize>>,
    /// (bus, group, key) → (event, first seen).
    seen: HashMap<(String, Option<String>, String), (usize, Millis)>,
    /// Per bus: the sequence counter.
    sequence: HashMap<String, u64>,
    /// Per (subscriber, group): waiting deliveries, and whether one is in flight.
    groups: HashMap<(usize, String), (VecDeque<usize>, bool)>,
    /// Per subscriber: target invocations so far (for `TargetResponses`).
    invocations: Vec<u64>,
    /// The first attempt's time per delivery (the age limit counts from it).
    began: Vec<Millis>,
    compiled: HashMap<String, Result<StateMachine, String>>,
}

impl Document {
    /// Runs the document: creates the buses and subscribers, makes the publish calls at their
    /// times, and delivers until nothing is left to do.
    pub fn run(&self, options: &RunOptions) -> Report {
        let mut run = Run {
            doc: self,
            options,
            clock: self.start,
            seq: 0,
            queue: BTreeMap::new(),
            report: Report::default(),
            kept: HashMap::new(),
            live: HashMap::new(),
            seen: HashMap::new(),
            sequence: HashMap::new(),
            groups: HashMap::new(),
            invocations: vec![0; self.subscribers.len()],
            began: Vec::new(),
            compiled: HashMap::new(),
        };
        // Subscribers first: one created at the moment of a publish call sees its events live.
        for (i, s) in self.subscribers.iter().enumerate() {
            run.schedule(s.created, Job::Create(i));
            run.report.subscribers.push(SubscriberRecord {
                name: s.name.clone(),
                arn: s.arn.clone(),
                bus: s.bus.clone(),
                target_arn: s.target_arn.clone(),
                target: s.target.clone(),
                transformer: s.transformer,
                ordering: s.ordering,
                created: time::format_millis(s.created),
                reads_from: time::format_millis(s.from),
                reads_until: s.until.map(time::format_millis),
                state: if s.running { "RUNNING" } else { "STOPPED" }.into(),
                lane: Lane::default(),
            });
        }
        for (i, p) in self.publish.iter().enumerate() {
            run.schedule(p.at, Job::Publish(i));
        }
        while let Some(((at, _), job)) = run.queue.pop_first() {
            run.clock = run.clock.max(at);
            match job {
                Job::Create(i) => run.create(i),
                Job::Publish(i) => run.publish(&self.publish[i]),
                Job::Attempt { delivery, attempt } => run.attempt(delivery, attempt),
            }
        }
        let end = run.clock;
        run.report.buses = self
            .buses
            .iter()
            .map(|b| BusRecord {
                name: b.name.clone(),
                arn: b.arn.clone(),
                retention_days: b.retention_days,
                created: time::format_millis(b.created),
                retention_window_start: time::format_millis(
                    (end - i64::from(b.retention_days) * 86_400_000).max(b.created),
                ),
            })
            .collect();
        run.report
    }
}

/// Seconds before retry `n` (from 1): 1, 2, 4 … at most 300 (the documentation gives no
/// schedule; statebridge's classic targets back off the same way).
fn backoff_ms(n: u32) -> Millis {
    (1i64 << n.saturating_sub(1).min(9)).min(300) * 1000
}

impl Run<'_> {
    fn schedule(&mut self, at: Millis, job: Job) {
        self.seq += 1;
        self.queue.insert((at.max(self.clock), self.seq), job);
    }

    fn create(&mut self, i: usize) {
        let s = &self.doc.subscribers[i];
        if !s.running {
            return;
        }
        if s.point_in_time {
            let history: Vec<usize> = self.kept.get(&s.bus).cloned().unwrap_or_default();
            for e in history {
                let t = self.report.events[e].millis;
                if t >= s.from && s.until.is_none_or(|u| t < u) {
                    self.consider(i, e, "REPLAY");
                }
            }
        }
        self.live.entry(s.bus.clone()).or_default().push(i);
    }

    fn publish(&mut self, call: &PublishCall) {
        let doc = self.doc;
        let operation = if call.raw {
            "PutRawEvents"
        } else {
            "PutEvents"
        };
        let bus_created = doc
            .buses
            .iter()
            .find(|b| b.name == call.bus)
            .map(|b| b.created);
        let response = if bus_created.is_some_and(|c| c > self.clock) {
            json!({"Error": "ResourceNotFoundException",
                   "Message": format!("bus `{}` is created at {}, after this call", call.bus,
                       time::format_millis(bus_created.unwrap_or_default()))})
        } else {
            let mut failed = 0;
            let mut results = Vec::with_capacity(call.entries.len());
            for e in &call.entries {
                let read = if call.raw {
                    publish::raw_entry(e)
                } else {
                    publish::put_events_entry(e, &doc.account, &doc.region, self.clock)
                };
                let result = self.accept(
                    &call.bus,
                    read,
                    call.content_based,
                    json!({"publish": call.index, "entry": results.len()}),
                );
                if result.get("ErrorCode").is_some() {
                    failed += 1;
                }
                results.push(result);
            }
            json!({"FailedEntryCount": failed, "Entries": results})
        };
        self.report.publishes.push(PublishRecord {
            index: call.index,
            operation: operation.into(),
            bus: call.bus.clone(),
            time: time::format_millis(self.clock),
            response,
        });
    }

    /// Keeps an entry on a bus (unless it repeats one within the window) and hands it to the
    /// bus's live subscribers; answers the entry's result.
    fn accept(
        &mut self,
        bus: &str,
        read: Result<Entry, EntryError>,
        content_based: bool,
        origin: Value,
    ) -> Value {
        let entry = match read {
            Ok(e) => e,
            Err((code, message)) => return json!({"ErrorCode": code, "ErrorMessage": message}),
        };
        let key = match (&entry.dedup_id, content_based) {
            (Some(id), _) => Some(format!("id:{id}")),
            (None, true) => Some(format!("content:{}", entry.content)),
            (None, false) => None,
        };
        let now = self.clock;
        if let Some(k) = &key {
            let slot = (bus.to_owned(), entry.group.clone(), k.clone());
            if let Some(&(first, at)) = self.seen.get(&slot)
                && now - at < DEDUP_WINDOW_SECONDS * 1000
            {
                self.report.events[first].duplicates += 1;
                let id = self.report.events[first].id.clone();
                return json!({"EventId": id, "SuccessCode": "DEDUPLICATED"});
            }
        }
        if self.report.events.len() >= MAX_EVENTS {
            self.report.capped.get_or_insert_with(|| {
                format!("statebridge stops at {MAX_EVENTS} events per run (not an AWS limit); a subscriber probably forwards to a bus whose subscriber forwards back")
            });
            return json!({"ErrorCode": "Statebridge.LimitExceeded", "ErrorMessage": "the run's cap on events"});
        }
        let index = self.report.events.len();
        let id = uuid(self.options.seed ^ 0xe2, index as u64);
        let mut data = entry.data;
        if entry.source.is_some()
            && let Some(o) = data.as_object_mut()
        {
            o.insert("id".into(), json!(id));
        }
        let mut sm = Map::new();
        sm.insert("ContentType".into(), json!(entry.content_type));
        sm.insert("aws:EventId".into(), json!(id));
        sm.insert("aws:IngestionTime".into(), json!(whole_seconds(now)));
        if let Some((source, detail_type)) = &entry.source {
            sm.insert("aws:Source".into(), json!(source));
            sm.insert("aws:DetailType".into(), json!(detail_type));
        }
        let mut result = json!({"EventId": id, "SuccessCode": "PUBLISHED"});
        if let Some(g) = &entry.group {
            sm.insert("EventGroupId".into(), json!(g));
            let n = self.sequence.entry(bus.to_owned()).or_default();
            *n += 1;
            let seq = format!("{:020}", *n);
            sm.insert("aws:SequenceNumber".into(), json!(seq));
            result["SequenceNumber"] = json!(seq);
        }
        if let Some(d) = &entry.dedup_id {
            sm.insert("DeduplicationId".into(), json!(d));
        }
        if let Some(k) = key {
            self.seen
                .insert((bus.to_owned(), entry.group.clone(), k), (index, now));
        }
        self.report.events.push(EventRecord {
            index,
            bus: bus.to_owned(),
            id,
            time: time::format_millis(now),
            millis: now,
            event: json!({"Data": data, "Metadata": entry.metadata, "SystemMetadata": sm}),
            origin,
            duplicates: 0,
        });
        self.kept.entry(bus.to_owned()).or_default().push(index);
        let readers: Vec<usize> = self.live.get(bus).cloned().unwrap_or_default();
        for s in readers {
            let sub = &self.doc.subscribers[s];
            if sub.until.is_none_or(|u| now < u) {
                self.consider(s, index, "LIVE");
            }
        }
        result
    }

    /// A subscriber's filters on one event; a delivery when they all match.
    fn consider(&mut self, s: usize, event: usize, delivery_type: &'static str) {
        let sub = &self.doc.subscribers[s];
        let view = delivered_view(&self.report.events[event].event, delivery_type);
        let verdicts: Vec<Verdict> = sub.filters.iter().map(|f| verdict(f, &view)).collect();
        let matched = verdicts.iter().all(|v| v.matched);
        let delivery = if matched {
            Some(self.new_delivery(s, event, delivery_type, &view))
        } else {
            None
        };
        let lane = &mut self.report.subscribers[s].lane;
        lane.matched += usize::from(matched);
        lane.entries.push(LaneEntry {
            event,
            delivery_type: delivery_type.into(),
            verdicts,
            matched,
            delivery,
        });
    }

    fn new_delivery(
        &mut self,
        s: usize,
        event: usize,
        delivery_type: &'static str,
        view: &Value,
    ) -> usize {
        let sub = &self.doc.subscribers[s];
        let payload = payload(sub, view, self.options.seed, self.clock);
        let group = (sub.ordering == Ordering::Fifo).then(|| {
            match view
                .pointer("/SystemMetadata/EventGroupId")
                .and_then(Value::as_str)
            {
                Some(g) => format!("{}/{g}", self.doc.account),
                // Without a group an event is ordered against nothing.
                None => format!("(event {event})"),
            }
        });
        let d = self.report.deliveries.len();
        self.report.deliveries.push(Delivery {
            subscriber: s,
            event,
            delivery_type: delivery_type.into(),
            group: group.clone(),
            payload_error: payload.as_ref().err().cloned(),
            payload,
            attempts: Vec::new(),
            outcome: DeliveryOutcome::Pending,
        });
        self.began.push(self.clock);
        match group {
            Some(g) => {
                let slot = self.groups.entry((s, g)).or_default();
                if slot.1 {
                    slot.0.push_back(d);
                } else {
                    slot.1 = true;
                    self.schedule(
                        self.clock,
                        Job::Attempt {
                            delivery: d,
                            attempt: 0,
                        },
                    );
                }
            }
            None => self.schedule(
                self.clock,
                Job::Attempt {
                    delivery: d,
                    attempt: 0,
                },
            ),
        }
        d
    }

    fn attempt(&mut self, delivery: usize, attempt: u32) {
        let d = &self.report.deliveries[delivery];
        let s = d.subscriber;
        if attempt == 0 {
            self.began[delivery] = self.clock;
        }
        let result = self.invoke(delivery);
        let now = self.clock;
        let (error, message) = match &result {
            Ok(_) => (None, None),
            Err((c, m)) => (Some(c.clone()), Some(m.clone())),
        };
        self.report.deliveries[delivery].attempts.push(Attempt {
            time: time::format_millis(now),
            millis: now,
            error,
            message,
        });
        let sub = &self.doc.subscribers[s];
        let outcome = match result {
            Ok(outcome) => {
                self.report.subscribers[s].lane.delivered += 1;
                outcome
            }
            Err((code, message)) => {
                let next = now + backoff_ms(attempt + 1);
                let age_ok =
                    next - self.began[delivery] <= i64::from(sub.max_event_age_seconds) * 1000;
                if attempt < sub.max_retry_attempts && age_ok {
                    self.schedule(
                        next,
                        Job::Attempt {
                            delivery,
                            attempt: attempt + 1,
                        },
                    );
                    return;
                }
                let reason = if attempt >= sub.max_retry_attempts {
                    format!(
                        "gave up after {attempt} retries (RetryPolicy.MaxRetryAttempts {})",
                        sub.max_retry_attempts
                    )
                } else {
                    format!(
                        "gave up: the next retry would pass RetryPolicy.MaxEventAgeInSeconds ({})",
                        sub.max_event_age_seconds
                    )
                };
                self.report.subscribers[s].lane.failed += 1;
                match &sub.dead_letter_arn {
                    Some(queue) => {
                        let ev = &self.report.events[self.report.deliveries[delivery].event];
                        self.report.dead_letters.push(DeadLetter {
                            queue: queue.clone(),
                            delivery,
                            time: time::format_millis(now),
                            body: json!({
                                "EventId": ev.id,
                                "IngestionTime": whole_seconds(ev.millis),
                                "SubscriberArn": sub.arn,
                                "TargetArn": sub.target_arn,
                                "ErrorCode": code,
                                "ErrorMessage": message,
                                "RetryAttempts": attempt,
                            }),
                        });
                        DeliveryOutcome::DeadLettered {
                            queue: queue.clone(),
                            reason,
                        }
                    }
                    None => DeliveryOutcome::Dropped { reason },
                }
            }
        };
        self.report.deliveries[delivery].outcome = outcome;
        // The next event of its FIFO group may go now.
        if let Some(g) = self.report.deliveries[delivery].group.clone()
            && let Some(slot) = self.groups.get_mut(&(s, g))
        {
            match slot.0.pop_front() {
                Some(next) => self.schedule(
                    self.clock,
                    Job::Attempt {
                        delivery: next,
                        attempt: 0,
                    },
                ),
                None => slot.1 = false,
            }
        }
    }

    /// One attempt at the target.
    fn invoke(&mut self, delivery: usize) -> Result<DeliveryOutcome, (String, String)> {
        let d = &self.report.deliveries[delivery];
        let s = d.subscriber;
        let sub = &self.doc.subscribers[s];
        let payload = d
            .payload
            .clone()
            .map_err(|why| ("TransformationFailed".to_owned(), why))?;
        let n = self.invocations[s];
        self.invocations[s] += 1;
        if let Some(MockResponse::Throw { error, cause, .. }) =
            self.doc.responses.response(&sub.name, n)
        {
            return Err((
                error.clone().unwrap_or_else(|| "TargetError".into()),
                cause.clone().unwrap_or_default(),
            ));
        }
        match &sub.target {
            TargetKind::EventBusV2 { bus } => self.forward(sub, bus, payload, delivery),
            TargetKind::StepFunctions { machine } => self.start_execution(machine, &payload),
            _ => Ok(DeliveryOutcome::Delivered {
                forwarded: None,
                execution: None,
            }),
        }
    }

    /// Delivers to another Custom Event Bus: the payload becomes that bus's event.
    fn forward(
        &mut self,
        sub: &Subscriber,
        bus: &str,
        payload: Value,
        delivery: usize,
    ) -> Result<DeliveryOutcome, (String, String)> {
        if !self.doc.buses.iter().any(|b| b.name == bus) {
            return Err((
                "ResourceNotFoundException".into(),
                format!("no bus named `{bus}` in the document"),
            ));
        }
        let event = self.report.deliveries[delivery].event;
        let view = delivered_view(
            &self.report.events[event].event,
            &self.report.deliveries[delivery].delivery_type,
        );
        let params = sub.parameters.clone().unwrap_or(Value::Null);
        let eval = |v: Option<&Value>| -> Result<Option<String>, (String, String)> {
            match v.and_then(Value::as_str) {
                None => Ok(None),
                Some(text) => resolve(text, &view, self.options.seed, self.clock).map(|v| {
                    v.map(|v| match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    })
                }),
            }
        };
        let group = eval(params.pointer("/SystemMetadata/EventGroupId"))?;
        let dedup_id = eval(params.pointer("/SystemMetadata/DeduplicationId"))?;
        let mut metadata = Map::new();
        if let Some(Value::Object(m)) = params.get("Metadata") {
            for (k, v) in m {
                if let Some(text) = eval(Some(v))? {
                    metadata.insert(k.clone(), json!(text));
                }
            }
        }
        let content_type = if sub.transformer == TransformerType::Raw {
            view.pointer("/SystemMetadata/ContentType")
                .and_then(Value::as_str)
                .unwrap_or("application/json")
                .to_owned()
        } else {
            "application/json".to_owned()
        };
        let content = json!([payload, metadata, content_type]).to_string();
        let f = Forward {
            bus: bus.to_owned(),
            entry: Entry {
                data: payload,
                metadata,
                content_type,
                group,
                dedup_id,
                source: None,
                content,
            },
            from: delivery,
        };
        let content_based = params.pointer("/DeduplicationConfiguration/DeduplicationType")
            == Some(&json!("CONTENT_BASED"));
        let result = self.accept(
            &f.bus,
            Ok(f.entry),
            content_based,
            json!({"forwarded_by": f.from}),
        );
        if let Some(code) = result.get("ErrorCode").and_then(Value::as_str) {
            return Err((
                code.to_owned(),
                result["ErrorMessage"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ));
        }
        let id = result["EventId"].as_str().unwrap_or_default();
        let forwarded = self.report.events.iter().rposition(|e| e.id == id);
        Ok(DeliveryOutcome::Delivered {
            forwarded,
            execution: None,
        })
    }

    /// A Step Functions target naming a workspace machine starts an execution with the payload.
    fn start_execution(
        &mut self,
        reference: &str,
        input: &Value,
    ) -> Result<DeliveryOutcome, (String, String)> {
        let Some(machines) = &self.options.machines else {
            return Ok(DeliveryOutcome::Delivered {
                forwarded: None,
                execution: None,
            });
        };
        let name = reference.split(':').next().unwrap_or(reference);
        let Some(definition) = machines.get(name) else {
            let known: Vec<&str> = machines.keys().map(String::as_str).collect();
            return Err((
                "StateMachineDoesNotExist".into(),
                format!(
                    "no state machine named `{name}` in the workspace (it has: {})",
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                ),
            ));
        };
        // A versioned entry keeps its definition under `definition`.
        let definition = definition.get("definition").unwrap_or(definition).clone();
        let compiled = self.compiled.entry(name.to_owned()).or_insert_with(|| {
            let (m, diagnostics) = crate::asl::parse_value(&definition);
            match diagnostics.first() {
                None => Ok(m),
                Some(d) => Err(format!("state machine `{name}` does not validate: {d}")),
            }
        });
        let machine = compiled
            .as_ref()
            .map_err(|why| ("InvalidDefinition".to_owned(), why.clone()))?;
        let index = self.report.deliveries.len();
        let options = ExecutionOptions {
            start_time: time::format_millis(self.clock),
            mocks: self.options.mocks.clone(),
            seed: self.options.seed.wrapping_add(index as u64),
            name: uuid(self.options.seed ^ 0x5eed, index as u64),
            state_machine_name: name.to_owned(),
            account: self.doc.account.clone(),
            region: self.doc.region.clone(),
            inspect: false,
            ..ExecutionOptions::default()
        };
        let (outcome, _) = Execution::run_once(machine, input, &options);
        let status = match outcome.status {
            crate::asl::exec::Status::Succeeded => "SUCCEEDED",
            crate::asl::exec::Status::Failed => "FAILED",
            crate::asl::exec::Status::TimedOut => "TIMED_OUT",
            crate::asl::exec::Status::Aborted => "ABORTED",
            crate::asl::exec::Status::Running => "RUNNING",
        };
        let mut record = json!({"machine": name, "arn": options.execution_arn(), "status": status});
        for (k, v) in [
            ("output", outcome.output.clone()),
            ("error", outcome.error.clone().map(Value::String)),
            ("cause", outcome.cause.clone().map(Value::String)),
        ] {
            if let Some(v) = v {
                record[k] = v;
            }
        }
        Ok(DeliveryOutcome::Delivered {
            forwarded: None,
            execution: Some(record),
        })
    }
}

/// The event as the subscriber reads it: its three parts, `aws:DeliveryType` set.
fn delivered_view(event: &Value, delivery_type: &str) -> Value {
    let mut view = event.clone();
    if let Some(sm) = view
        .get_mut("SystemMetadata")
        .and_then(Value::as_object_mut)
    {
        sm.insert("aws:DeliveryType".into(), json!(delivery_type));
    }
    view
}

fn verdict(f: &Filter, view: &Value) -> Verdict {
    let (part, empty_why) = match f.scope {
        Scope::Data => (&view["Data"], None),
        Scope::Metadata => (
            &view["Metadata"],
            view["Metadata"]
                .as_object()
                .is_some_and(Map::is_empty)
                .then_some("the event has no publisher metadata (PutEvents sets none)"),
        ),
        Scope::SystemMetadata => (&view["SystemMetadata"], None),
    };
    if f.scope == Scope::Data && !part.is_object() && !part.is_array() {
        let ct = view
            .pointer("/SystemMetadata/ContentType")
            .and_then(Value::as_str)
            .unwrap_or("");
        if ct != "application/json" && ct != publish::EVENTBRIDGE_JSON {
            return Verdict {
                scope: f.scope,
                matched: false,
                reason: Some(format!("{ct} data has nothing a DATA filter can read")),
            };
        }
    }
    if f.pattern.matches(part) {
        return Verdict {
            scope: f.scope,
            matched: true,
            reason: None,
        };
    }
    let reason = empty_why.map_or_else(|| f.pattern.explain(part).to_string(), str::to_owned);
    Verdict {
        scope: f.scope,
        matched: false,
        reason: Some(reason),
    }
}

/// What the target receives: the transformer's result, or why there is none.
fn payload(sub: &Subscriber, view: &Value, seed: u64, now: Millis) -> Result<Value, String> {
    if let TargetKind::Universal { .. } = sub.target {
        let input = sub
            .parameters
            .as_ref()
            .and_then(|p| p.get("Input"))
            .and_then(Value::as_str)
            .unwrap_or("{}");
        return match resolve(input, view, seed, now) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err("UniversalTargetParameters.Input evaluated to nothing".into()),
            Err((_, m)) => Err(m),
        }
        .and_then(|v| match v {
            Value::String(s) if template_expression(input).is_none() => serde_json::from_str(&s)
                .map_err(|e| format!("UniversalTargetParameters.Input is not JSON: {e}")),
            v => Ok(v),
        });
    }
    match sub.transformer {
        TransformerType::Raw => Ok(view["Data"].clone()),
        TransformerType::WithMetadata => Ok(view.clone()),
        TransformerType::Jsonata => {
            let Some((expr, text)) = &sub.expression else {
                return Err("no expression".into());
            };
            evaluate(expr, view, seed, now)
                .map_err(|e| format!("the JSONata expression `{text}` failed: {e}"))?
                .ok_or_else(|| format!("the JSONata expression `{text}` evaluated to nothing (no value to deliver): check its paths against the event's shape"))
        }
    }
}

fn evaluate(
    expr: &Expression,
    view: &Value,
    seed: u64,
    now: Millis,
) -> Result<Option<Value>, crate::jsonata::JsonataError> {
    let mut bindings = Map::new();
    bindings.insert("events".into(), view.clone());
    let mut env = AwsEnv::new(seed).with_now(now);
    expr.evaluate(None, &bindings, &mut env)
}

/// A parameter's value: a literal, or a `{% %}` expression's result over `$events`.
fn resolve(
    text: &str,
    view: &Value,
    seed: u64,
    now: Millis,
) -> Result<Option<Value>, (String, String)> {
    match template_expression(text) {
        None => Ok(Some(Value::String(text.to_owned()))),
        Some(inner) => {
            let expr = Expression::parse(inner)
                .map_err(|e| ("InvalidInputException".to_owned(), e.to_string()))?;
            evaluate(&expr, view, seed, now)
                .map_err(|e| ("TransformationFailed".to_owned(), format!("`{inner}`: {e}")))
        }
    }
}
