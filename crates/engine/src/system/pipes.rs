//! EventBridge Pipes in a system run: each pipe reads its source's records as they arrive on
//! the virtual clock, drops what its filter does not keep, cuts the rest into batches, calls its
//! enrichment with each batch and delivers the result to its target.
//!
//! A batch's delivery is an event on the pipe's own lane of the event log (`(pipe) NAME`, no bus),
//! so it reuses the rules' delivery: a state machine target starts an execution (whose events go
//! back on the buses), an event bus target puts each event of the batch on the bus (its rules see
//! them), any other target records the delivery.
//!
//! Choices where the documentation is silent, or where statebridge models less than AWS does:
//! - A Lambda or API enrichment is mocked with the workspace's mocks under the function's (or
//!   API's) name, keys counting that pipe's calls from 0; unmocked, it returns its input. A
//!   state machine enrichment runs the workspace's machine (as an Express workflow would).
//! - The target gets a JSON array of the batch's events; an event that an `InputTemplate` made
//!   into text goes in as a JSON string.
//! - A failed batch is retried as its source retries it: `system/pipe_retry.rs` says how, and
//!   lists the choices made where the documentation is silent.
//! - A queue read by several pipes gives each message to the first of them (AWS to whichever poller
//!   receives it); a stream gives every record to each pipe.
//! - `LATEST` reads the records that arrive after the run starts (`At` > 0).

use super::{Failure, Job, Origin, SystemRun, compile, events, status_name};
use crate::asl::exec::{Execution, ExecutionOptions, Status};
use crate::asl::time::{self, Millis};
use crate::bus::BusTarget;
use crate::pipes::filter::{self, Decoded};
use crate::pipes::records::{self, SourceKind, Stamp};
use crate::pipes::template::Reserved;
use crate::pipes::{Enrichment, Invocation, Pipe, Starting, TargetKind, batch};
use crate::system::{BusEvent, Delivery, DeliveryOutcome};
use crate::transform::{Delivered, JsonPath};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::borrow::Cow;
use std::rc::Rc;

/// The lane of a pipe's deliveries in [`super::Report::events`]: `(pipe) NAME`, no bus.
pub fn pipe_lane(name: &str) -> String {
    format!("(pipe) {name}")
}

/// The pipe whose lane this is, if it is one.
pub fn lane_pipe(lane: &str) -> Option<&str> {
    lane.strip_prefix("(pipe) ")
}

/// What one pipe did in a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipeRun {
    /// `Name`.
    pub name: String,
    /// The pipe's ARN.
    pub arn: String,
    /// `Source`.
    pub source: String,
    /// `sqs`, `kinesis` or `dynamodb`.
    pub kind: Cow<'static, str>,
    /// `Enrichment`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrichment: Option<String>,
    /// `Target`.
    pub target: String,
    /// Its lane in the event log.
    pub lane: String,
    /// `RUNNING` or `STOPPED`.
    pub state: Cow<'static, str>,
    /// Every record of the source, in arrival order, with what became of it.
    pub records: Vec<PipeRecord>,
    /// Every batch, in the order they closed (retries and halves of a bisected batch included).
    pub batches: Vec<PipeBatch>,
    /// What went to a dead-letter queue (the SQS queue's redrive target, or a stream source's
    /// `DeadLetterConfig`), in order.
    pub dead_letters: Vec<PipeDeadLetter>,
    /// How many times the enrichment was called (its mocks' invocation count).
    #[serde(default, rename = "enrichment_calls", skip_serializing_if = "is_zero")]
    pub(super) calls: u64,
    /// How many times the target was invoked (its mocks' invocation count).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(super) target_calls: u64,
    /// A stream's shard waits while a failed batch is retried: the batches of that chain still
    /// open, and the batches that closed meanwhile (none once a run has ended).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(super) open_retries: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) waiting: Vec<usize>,
    /// SQS messages that become visible again, by the moment they do (none once a run has
    /// ended).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub(super) returning: std::collections::BTreeMap<Millis, Vec<usize>>,
}

fn is_zero<T: Default + PartialEq>(n: &T) -> bool {
    *n == T::default()
}

/// Records a pipe gave up on, sent to a dead-letter queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipeDeadLetter {
    /// The dead-letter queue's ARN.
    pub queue: String,
    /// When they were sent (RFC 3339 with milliseconds).
    pub time: String,
    /// When, in milliseconds since the epoch.
    pub millis: Millis,
    /// The records (indices into [`PipeRun::records`]): one message for an SQS source, the
    /// failed batch for a stream.
    pub records: Vec<usize>,
    /// How many times they were tried (an SQS message's receive count).
    pub attempts: u32,
    /// Why the pipe gave up, and the last error.
    pub reason: String,
    /// What the queue receives: the message itself (SQS moves it), or for a stream the batch's
    /// description (shard, sequence numbers, the records' ids), as a stream's failure record.
    pub body: Value,
}

/// What became of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordStatus {
    /// No filter matched it: dropped.
    Filtered,
    /// It arrived before the stream's starting position: not read.
    BeforeStart,
    /// The pipe is `STOPPED`: not read.
    Stopped,
    /// Another pipe reading the same queue received it.
    Taken,
    /// In a batch not yet delivered (a run stopped early).
    Pending,
    /// The enrichment returned nothing for its batch: the target was not invoked.
    Dropped,
    /// Delivered to the target with its batch.
    Delivered,
    /// It failed and the pipe gave up on it without a dead-letter queue (retries used up, too
    /// old, or the run's cap stopped it).
    Failed,
    /// It failed, was retried, and went to the dead-letter queue.
    DeadLettered,
}

/// One record of the source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipeRecord {
    /// Its place in the source's `Records`.
    pub index: usize,
    /// `messageId` or `eventID`.
    pub id: String,
    /// When it arrived (RFC 3339 with milliseconds).
    pub time: String,
    /// When it arrived, in milliseconds since the epoch.
    pub millis: Millis,
    /// What became of it.
    pub status: RecordStatus,
    /// Its batch, once batched (the last one, when it was retried).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<usize>,
    /// How many times the pipe received it: an SQS message's `ApproximateReceiveCount`, a stream
    /// record's attempts.
    pub receives: u32,
    /// The last failure of a batch it was in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The record as the pipe received it.
    pub record: Value,
}

/// How a batch ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BatchStatus {
    /// Not yet delivered (a run stopped early).
    Pending,
    /// The target received it.
    Delivered,
    /// The enrichment returned nothing: the target was not invoked.
    Dropped,
    /// It failed (see `error`): its records are retried or given up.
    Failed,
    /// The target named some of its records in `batchItemFailures`: those are retried.
    PartiallyFailed,
}

/// One batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipeBatch {
    /// Its place in [`PipeRun::batches`].
    pub index: usize,
    /// When it closed (RFC 3339 with milliseconds).
    pub time: String,
    /// When it closed, in milliseconds since the epoch.
    pub millis: Millis,
    /// Its records (indices into [`PipeRun::records`]).
    pub records: Vec<usize>,
    /// 0 for a first try; a retry's number.
    pub attempt: u32,
    /// The batch this one retries (or is half of, after `AUTOMATIC_BISECT`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_of: Option<usize>,
    /// The records that failed, when some did.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed_records: Vec<usize>,
    /// A Lambda target's mocked answer (a partial batch response is read from it).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::system::present"
    )]
    pub target_output: Option<Value>,
    /// The enrichment's call, if the pipe has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrichment: Option<EnrichmentCall>,
    /// What the target received.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::system::present"
    )]
    pub target_input: Option<Value>,
    /// The delivery's event on the pipe's lane (index into the report's `events`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<usize>,
    /// The delivery (index into the report's `deliveries`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<usize>,
    /// How it ended.
    pub status: BatchStatus,
    /// Why it failed or was dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The events before the target's input template, for an event bus target's dynamic
    /// parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) originals: Vec<Value>,
    /// How long the target took to answer (a mocked `Duration`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(super) target_ms: Millis,
}

/// The enrichment's call for one batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrichmentCall {
    /// The enrichment's ARN.
    pub arn: String,
    /// What it received.
    pub input: Value,
    /// What it returned.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::system::present"
    )]
    pub output: Option<Value>,
    /// The error, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause, when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// `mock` (a mocked answer), `unmocked` (its input back) or `execution` (a state machine run).
    pub answered_by: Cow<'static, str>,
    /// A state machine enrichment's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Cow<'static, str>>,
    /// How long it took, in milliseconds.
    pub duration_ms: Millis,
}

fn kind_name(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Sqs { .. } => "sqs",
        SourceKind::Kinesis => "kinesis",
        SourceKind::DynamoDb => "dynamodb",
    }
}

/// The target's input: a JSON array of the batch's events (text ones as JSON strings).
fn batch_input(items: &[Delivered]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|d| d.json.clone().unwrap_or_else(|| json!(d.text)))
            .collect(),
    )
}

impl SystemRun<'_> {
    /// Reads every pipe's records, filters and batches them, and queues each batch at the
    /// moment it closes.
    pub fn start_pipes(&mut self) {
        let system = self.system;
        let opts = &system.options;
        let start = self.clock;
        let mut taken: Vec<(String, String)> = Vec::new();
        for (p, pipe) in system.bus.pipes.pipes.iter().enumerate() {
            let Some(source) = system.bus.pipes.sources.get(&pipe.source) else {
                continue;
            };
            let role = format!("arn:aws:iam::{}:role/pipe-{}", opts.account, pipe.name);
            let shared_queue =
                !pipe.kind.is_stream() && taken.iter().any(|(s, _)| s == &pipe.source);
            let mut order: Vec<usize> = (0..source.records.len()).collect();
            order.sort_by_key(|&i| source.records[i].at);
            let mut records = Vec::with_capacity(order.len());
            let mut kept: Vec<(Millis, usize)> = Vec::new();
            for i in order {
                let input = &source.records[i];
                let arrived = start.saturating_add(input.at);
                let record = records::shape(
                    input,
                    &Stamp {
                        source,
                        index: i,
                        seed: opts.seed,
                        arrived,
                        region: &opts.region,
                        role: &role,
                    },
                );
                let status = if !pipe.running {
                    RecordStatus::Stopped
                } else if shared_queue {
                    RecordStatus::Taken
                } else if match pipe.starting {
                    Starting::TrimHorizon => false,
                    Starting::Latest => input.at <= 0,
                    Starting::AtTimestamp(t) => arrived < t,
                } {
                    RecordStatus::BeforeStart
                } else if pipe.filter.keeps(&filter::decode(pipe.kind, &record)) {
                    kept.push((arrived, records.len()));
                    RecordStatus::Pending
                } else {
                    RecordStatus::Filtered
                };
                records.push(PipeRecord {
                    index: i,
                    id: record
                        .get(pipe.kind.id_field())
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    time: time::format_millis(arrived),
                    millis: arrived,
                    status,
                    batch: None,
                    receives: 0,
                    error: None,
                    record,
                });
            }
            if pipe.running && !shared_queue && !pipe.kind.is_stream() {
                taken.push((pipe.source.clone(), pipe.name.clone()));
            }
            let arrivals: Vec<Millis> = kept.iter().map(|k| k.0).collect();
            let window = i64::from(pipe.window_seconds) * 1000;
            let mut batches = Vec::new();
            for (b, cut) in batch::cut(&arrivals, pipe.batch_size, window)
                .into_iter()
                .enumerate()
            {
                let members: Vec<usize> = kept[cut.records].iter().map(|k| k.1).collect();
                for &r in &members {
                    records[r].batch = Some(b);
                }
                batches.push(PipeBatch::new(b, cut.close, members, 0, None));
                self.schedule(cut.close, Job::PipeBatch { pipe: p, batch: b });
            }
            self.report.pipes.push(PipeRun {
                name: pipe.name.clone(),
                arn: pipe.arn(&opts.region, &opts.account),
                source: pipe.source.clone(),
                kind: kind_name(pipe.kind).into(),
                enrichment: pipe.enrichment.as_ref().map(|e| e.arn().to_owned()),
                target: pipe.target.clone(),
                lane: pipe_lane(&pipe.name),
                state: if pipe.running { "RUNNING" } else { "STOPPED" }.into(),
                records,
                batches,
                dead_letters: Vec::new(),
                calls: 0,
                target_calls: 0,
                open_retries: 0,
                waiting: Vec::new(),
                returning: Default::default(),
            });
        }
    }

    /// A batch closes: the enrichment is called, the target's input made, and the delivery
    /// queued for when the enrichment answers.
    pub(super) fn pipe_batch(&mut self, p: usize, b: usize) {
        let system = self.system;
        let Some(pipe) = system.bus.pipes.pipes.get(p) else {
            return;
        };
        let Some(run) = self.report.pipes.get(p) else {
            return;
        };
        let Some(members) = run.batches.get(b).map(|x| x.records.clone()) else {
            return;
        };
        if self.shard_waits(p, b) {
            return;
        }
        self.received(p, b);
        let run = &self.report.pipes[p];
        let raw: Vec<Value> = members
            .iter()
            .filter_map(|&r| run.records.get(r).map(|x| x.record.clone()))
            .collect();
        let decoded: Vec<Decoded> = raw.iter().map(|r| filter::decode(pipe.kind, r)).collect();
        let arn = run.arn.clone();
        let now = time::format_millis(self.clock);
        let enrichment_arn = pipe
            .enrichment
            .as_ref()
            .map(|e| e.arn().to_owned())
            .unwrap_or_default();
        // (event for paths, raw event) per event of the batch, after the enrichment.
        let mut duration: Millis = 0;
        let events: Vec<(Value, Value)> = match &pipe.enrichment {
            None => decoded
                .into_iter()
                .zip(raw.iter().cloned())
                .map(|(d, r)| (if d.data_is_json { d.value } else { r.clone() }, r))
                .collect(),
            Some(enrichment) => {
                let mut items = Vec::with_capacity(raw.len());
                for (d, r) in decoded.iter().zip(&raw) {
                    match &pipe.enrichment_template {
                        None => items.push(Delivered {
                            text: r.to_string(),
                            json: Some(r.clone()),
                        }),
                        Some(t) => {
                            match t.apply(&d.value, r, &reserved(&arn, pipe, &enrichment_arn, &now))
                            {
                                Ok(x) => items.push(x),
                                Err(why) => {
                                    return self.fail_batch(
                                        p,
                                        b,
                                        format!("EnrichmentParameters.InputTemplate: {why}"),
                                    );
                                }
                            }
                        }
                    }
                }
                let input = batch_input(&items);
                let call = self.enrich(p, enrichment, &input);
                duration = call.duration_ms;
                let result = call.output.clone();
                if let Some(batch) = self.report.pipes[p].batches.get_mut(b) {
                    batch.enrichment = Some(call);
                }
                let Some(result) = result else {
                    let why = self.report.pipes[p].batches[b]
                        .enrichment
                        .as_ref()
                        .map(|c| {
                            format!(
                                "the enrichment failed: {}{}",
                                c.error.clone().unwrap_or_default(),
                                c.cause
                                    .as_ref()
                                    .map(|x| format!(": {x}"))
                                    .unwrap_or_default()
                            )
                        })
                        .unwrap_or_default();
                    return self.fail_batch(p, b, why);
                };
                let list = match result {
                    Value::Array(v) => v,
                    Value::Null => Vec::new(),
                    Value::String(s) if s.is_empty() => Vec::new(),
                    Value::Object(o) if o.is_empty() => Vec::new(),
                    other => vec![other],
                };
                if list.is_empty() {
                    self.end_batch(
                        p,
                        b,
                        BatchStatus::Dropped,
                        Some(
                            "the enrichment returned nothing, so the target was not invoked".into(),
                        ),
                    );
                    return;
                }
                list.into_iter().map(|e| (e.clone(), e)).collect()
            }
        };
        if let Some(max) = pipe.target_kind.max_batch()
            && events.len() > max
        {
            return self.fail_batch(
                p,
                b,
                format!(
                    "{} events for the target, which takes at most {max} in one call: the pipe does not invoke it",
                    events.len()
                ),
            );
        }
        let at = self.clock.saturating_add(duration);
        let ingestion = time::format_millis(at);
        let mut items = Vec::with_capacity(events.len());
        for (event, raw_event) in &events {
            match &pipe.target_template {
                None => items.push(Delivered {
                    text: raw_event.to_string(),
                    json: Some(raw_event.clone()),
                }),
                Some(t) => match t.apply(
                    event,
                    raw_event,
                    &reserved(&arn, pipe, &enrichment_arn, &ingestion),
                ) {
                    Ok(x) => items.push(x),
                    Err(why) => {
                        return self.fail_batch(
                            p,
                            b,
                            format!("TargetParameters.InputTemplate: {why}"),
                        );
                    }
                },
            }
        }
        let input = batch_input(&items);
        if let Some(batch) = self.report.pipes[p].batches.get_mut(b) {
            batch.target_input = Some(input);
            // The events before the template, for an event bus target's dynamic parameters.
            batch.originals = events.into_iter().map(|e| e.0).collect();
        }
        self.schedule(at, Job::PipeDeliver { pipe: p, batch: b });
    }

    /// The enrichment's answer to one batch.
    fn enrich(&mut self, p: usize, enrichment: &Enrichment, input: &Value) -> EnrichmentCall {
        let invocation = self.report.pipes[p].calls;
        self.report.pipes[p].calls += 1;
        let mut call = EnrichmentCall {
            arn: enrichment.arn().to_owned(),
            input: input.clone(),
            output: None,
            error: None,
            cause: None,
            answered_by: "unmocked".into(),
            status: None,
            duration_ms: 0,
        };
        let key = match enrichment {
            Enrichment::Lambda { function, .. } => function,
            Enrichment::Api { name, .. } => name,
            Enrichment::StateMachine { machine, .. } => {
                self.enrich_with_machine(machine, input, (p, invocation), &mut call);
                return call;
            }
        };
        let seconds = |d: Option<f64>| d.map_or(0, |s| (s.max(0.0) * 1000.0) as Millis);
        match self.system.mocks.response(key, invocation) {
            None => call.output = Some(input.clone()),
            Some(mock) => {
                call.answered_by = "mock".into();
                call.duration_ms = seconds(mock.duration());
                match mock.answer(input) {
                    Ok(value) => call.output = Some(value),
                    Err((error, cause)) => {
                        call.error = Some(error.unwrap_or_else(|| "Lambda.Unknown".to_owned()));
                        call.cause = cause;
                    }
                }
            }
        }
        call
    }

    fn enrich_with_machine(
        &mut self,
        name: &str,
        input: &Value,
        (p, invocation): (usize, u64),
        call: &mut EnrichmentCall,
    ) {
        call.answered_by = "execution".into();
        let system = self.system;
        let Some(machine) = system.machines.get(name) else {
            call.error = Some("StateMachineDoesNotExist".to_owned());
            call.cause = Some(format!("no state machine named `{name}` in the workspace"));
            return;
        };
        let compiled = Rc::clone(
            self.compiled
                .entry((name.to_owned(), None))
                .or_insert_with(|| Rc::new(compile(name, &machine.latest, machine.express))),
        );
        let compiled = match &*compiled {
            Ok(m) => m,
            Err(why) => {
                call.error = Some("InvalidDefinition".to_owned());
                call.cause = Some(why.clone());
                return;
            }
        };
        let opts = &system.options;
        let options = ExecutionOptions {
            start_time: time::format_millis(self.clock),
            mocks: system.mocks.clone(),
            seed: opts.seed ^ 0xe1c4,
            name: events::uuid(opts.seed ^ 0xe1c4 ^ p as u64, invocation),
            state_machine_name: name.to_owned(),
            account: opts.account.clone(),
            region: opts.region.clone(),
            ..ExecutionOptions::default()
        };
        let (outcome, history) = Execution::run_once(compiled, input, &options);
        let stop = history.last().map_or(self.clock, |e| e.millis);
        call.duration_ms = (stop - self.clock).max(0);
        call.status = Some(status_name(outcome.status).into());
        if outcome.status == Status::Succeeded {
            call.output = outcome.output;
        } else {
            call.error = outcome
                .error
                .or(Some(status_name(outcome.status).to_owned()));
            call.cause = outcome.cause;
        }
    }

    /// The batch's delivery: an event on the pipe's lane, delivered to the target.
    pub(super) fn pipe_deliver(&mut self, p: usize, b: usize) {
        let Some(run) = self.report.pipes.get(p) else {
            return;
        };
        let Some(input) = run.batches.get(b).and_then(|x| x.target_input.clone()) else {
            return;
        };
        let (name, target) = (run.name.clone(), run.target.clone());
        let origin = Origin::Pipe {
            name: name.clone(),
            batch: b,
        };
        if self.over_cap(&origin) {
            return self.end_batch(
                p,
                b,
                BatchStatus::Failed,
                Some("the run's cap on events stopped it".to_owned()),
            );
        }
        let index = self.report.events.len();
        let d = self.report.deliveries.len();
        self.report.deliveries.push(Delivery {
            event: index,
            rule: name.clone(),
            target: "Target".to_owned(),
            arn: target,
            input: Ok(Delivered {
                text: input.to_string(),
                json: Some(input.clone()),
            }),
            attempts: Vec::new(),
            outcome: DeliveryOutcome::Pending,
        });
        self.report.events.push(BusEvent {
            index,
            id: events::uuid(self.system.options.seed ^ 0x919e, index as u64),
            bus: pipe_lane(&name),
            time: time::format_millis(self.clock),
            millis: self.clock,
            event: input,
            origin,
            matched: vec![name],
            deliveries: vec![d],
            archived: false,
            archives: Vec::new(),
        });
        if let Some(batch) = self.report.pipes[p].batches.get_mut(b) {
            batch.event = Some(index);
            batch.delivery = Some(d);
        }
        self.schedule(
            self.clock,
            Job::Attempt {
                delivery: d,
                attempt: 0,
            },
        );
    }

    /// An event bus target: each event of the batch is put on the bus, with the
    /// `EventBridgeEventBusParameters` (`Source` default `Pipe NAME`, `DetailType` default
    /// `Event from aws:sqs` and so on); a value starting with `$.` is read from the event.
    pub(super) fn put_from_pipe(&mut self, d: &Delivery, to: &BusTarget) -> Result<(), Failure> {
        let Some(Origin::Pipe { name, batch }) =
            self.report.events.get(d.event).map(|e| e.origin.clone())
        else {
            return Ok(());
        };
        let Some((p, pipe)) = self.system.bus.pipes.named(&name) else {
            return Ok(());
        };
        let items = match &d.input {
            Ok(Delivered {
                json: Some(Value::Array(items)),
                ..
            }) => items.clone(),
            _ => Vec::new(),
        };
        let originals = self
            .report
            .pipes
            .get(p)
            .and_then(|r| r.batches.get(batch))
            .map(|x| x.originals.clone())
            .unwrap_or_default();
        let o = &self.system.options;
        let params = &pipe.bus_parameters;
        let mut puts = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let original = originals.get(i).unwrap_or(item);
            let dynamic = |key: &str, default: String| -> Value {
                match params.get(key) {
                    Some(Value::String(s)) if s.starts_with("$.") || s == "$" => {
                        JsonPath::parse(s, key)
                            .ok()
                            .and_then(|path| path.select(original))
                            .unwrap_or(Value::String(default))
                    }
                    Some(v) => v.clone(),
                    None => Value::String(default),
                }
            };
            if !item.is_object() {
                return Err(Failure {
                    code: "MalformedDetail",
                    message: format!(
                        "event {i} of the batch is not a JSON object, and an event's detail must be one: {}",
                        super::clip(&item.to_string(), 120)
                    ),
                    retryable: false,
                });
            }
            let resources = match params.get("Resources") {
                Some(Value::Array(list)) => Value::Array(list.clone()),
                _ => json!([]),
            };
            let time_value = match dynamic("Time", String::new()) {
                Value::String(s) if !s.is_empty() => Value::String(s),
                _ => json!(events::whole_seconds(self.clock)),
            };
            puts.push(json!({
                "version": "0",
                "id": "",
                "detail-type": dynamic("DetailType", format!("Event from {}", pipe.kind.event_source())),
                "source": dynamic("Source", format!("Pipe {}", pipe.name)),
                "account": o.account,
                "time": time_value,
                "region": o.region,
                "resources": resources,
                "detail": item,
            }));
        }
        for event in puts {
            self.schedule(
                self.clock,
                Job::Ingest {
                    bus: to.key(&o.account, &o.region),
                    event,
                    origin: Origin::Pipe {
                        name: name.clone(),
                        batch,
                    },
                    only: super::Only::All,
                },
            );
        }
        Ok(())
    }

    /// The batch failed before its target was invoked: the source retries it.
    fn fail_batch(&mut self, p: usize, b: usize, why: String) {
        let at = self.clock;
        self.settle(p, b, super::pipe_retry::Verdict::Whole(why), at);
    }

    pub(super) fn end_batch(
        &mut self,
        p: usize,
        b: usize,
        status: BatchStatus,
        why: Option<String>,
    ) {
        let Some(run) = self.report.pipes.get_mut(p) else {
            return;
        };
        let Some(batch) = run.batches.get_mut(b) else {
            return;
        };
        batch.status = status;
        batch.error = why;
        let record_status = match status {
            BatchStatus::Pending => RecordStatus::Pending,
            BatchStatus::Delivered => RecordStatus::Delivered,
            BatchStatus::Dropped => RecordStatus::Dropped,
            BatchStatus::Failed | BatchStatus::PartiallyFailed => RecordStatus::Failed,
        };
        for &r in &batch.records.clone() {
            if let Some(rec) = run.records.get_mut(r) {
                rec.status = record_status;
            }
        }
    }

    /// Once the run is over: each delivered batch's outcome, from its delivery (and, for a
    /// `REQUEST_RESPONSE` state machine target, from the execution it waited for).
    pub fn finish_pipes(&mut self) {
        for p in 0..self.report.pipes.len() {
            let Some(pipe) = self.system.bus.pipes.pipes.get(p) else {
                continue;
            };
            for b in 0..self.report.pipes[p].batches.len() {
                let batch = &self.report.pipes[p].batches[b];
                if batch.status != BatchStatus::Pending {
                    continue;
                }
                let Some(d) = batch.delivery.and_then(|d| self.report.deliveries.get(d)) else {
                    continue;
                };
                let (status, why) = match &d.outcome {
                    DeliveryOutcome::Pending => continue,
                    DeliveryOutcome::Delivered { execution } => {
                        match execution.and_then(|e| self.report.executions.get(e)) {
                            Some(e)
                                if pipe.invocation == Invocation::RequestResponse
                                    && pipe.target_kind == TargetKind::StateMachine
                                    && e.status != Status::Succeeded =>
                            {
                                (
                                    BatchStatus::Failed,
                                    Some(format!(
                                        "the execution ended {}{}: with REQUEST_RESPONSE the pipe waits for it, so the batch failed",
                                        status_name(e.status),
                                        e.error
                                            .as_ref()
                                            .map(|x| format!(" ({x})"))
                                            .unwrap_or_default()
                                    )),
                                )
                            }
                            _ => (BatchStatus::Delivered, None),
                        }
                    }
                    DeliveryOutcome::DeadLettered { reason, .. }
                    | DeliveryOutcome::Dropped { reason } => {
                        let last = d
                            .attempts
                            .last()
                            .and_then(|a| a.message.clone())
                            .unwrap_or_default();
                        (BatchStatus::Failed, Some(format!("{last} ({reason})")))
                    }
                };
                self.end_batch(p, b, status, why);
            }
        }
    }
}

fn reserved<'a>(
    pipe_arn: &'a str,
    pipe: &'a Pipe,
    enrichment_arn: &'a str,
    ingestion: &'a str,
) -> Reserved<'a> {
    Reserved {
        pipe_arn,
        pipe_name: &pipe.name,
        source_arn: &pipe.source,
        enrichment_arn,
        target_arn: &pipe.target,
        ingestion_time: ingestion,
    }
}

impl PipeBatch {
    /// A batch of `records` closing at `close`, not yet sent.
    pub(super) fn new(
        index: usize,
        close: Millis,
        records: Vec<usize>,
        attempt: u32,
        retry_of: Option<usize>,
    ) -> PipeBatch {
        PipeBatch {
            index,
            time: time::format_millis(close),
            millis: close,
            records,
            attempt,
            retry_of,
            failed_records: Vec::new(),
            target_output: None,
            enrichment: None,
            target_input: None,
            event: None,
            delivery: None,
            status: BatchStatus::Pending,
            error: None,
            originals: Vec::new(),
            target_ms: 0,
        }
    }
}
