//! The whole event-driven system on one virtual clock: a bus, several named state machines, and
//! the events executions put back on the bus.
//!
//! An event enters the bus and is archived; each rule it matches delivers to its targets; a
//! state machine target starts an execution (a version, or an alias picked by weight); the
//! execution's `events:putEvents` tasks and its "Execution Status Change" events (source
//! `aws.states`) enter the bus in turn. A delivery that fails is retried per the target's
//! `RetryPolicy`, then goes to its dead-letter queue. A cap on events stops loops, and the
//! archive can replay a time range.
//!
//! ```
//! use statebridge_engine::system::{System, SystemOptions};
//! use statebridge_engine::workspace::Workspace;
//! let ws: Workspace = r#"{"name": "demo", "event": {"source": "shop", "detail-type": "OrderCreated", "detail": {"id": 1}},
//!   "rules": {"Rules": [
//!     {"Name": "orders", "EventPattern": {"source": ["shop"], "detail-type": ["OrderCreated"]},
//!      "Targets": [{"Id": "fulfil", "Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:Fulfil", "InputPath": "$.detail"}]},
//!     {"Name": "done", "EventPattern": {"detail-type": ["OrderProcessed"]},
//!      "Targets": [{"Id": "stats", "Arn": "arn:aws:states:us-east-1:123456789012:stateMachine:Stats"}]}]},
//!   "machines": {
//!     "Fulfil": {"StartAt": "Publish", "States": {"Publish": {"Type": "Task",
//!        "Resource": "arn:aws:states:::events:putEvents",
//!        "Parameters": {"Entries": [{"Source": "shop", "DetailType": "OrderProcessed", "Detail": {"id.$": "$.id"}}]},
//!        "End": true}}},
//!     "Stats": {"StartAt": "Count", "States": {"Count": {"Type": "Pass", "End": true}}}}
//! }"#.parse().unwrap();
//! let report = System::from_workspace(&ws, SystemOptions::default()).unwrap().run();
//! let machines: Vec<&str> = report.executions.iter().map(|e| e.machine.as_str()).collect();
//! assert_eq!(machines, ["Fulfil", "Stats"]);
//! ```

mod events;
pub mod machines;
mod pipe_retry;
mod pipes;
mod report;
mod timed;

pub use events::{MAX_ENTRIES, uuid, whole_seconds};
pub use pipes::{
    BatchStatus, EnrichmentCall, PipeBatch, PipeDeadLetter, PipeRecord, PipeRun, RecordStatus,
    lane_pipe, pipe_lane,
};
pub(crate) use report::present;
pub use report::{
    Attempt, BusEvent, DeadLetter, Delivery, DeliveryOutcome, ExecutionRecord, Firing, FiringKind,
    Origin, ReplayRecord, Report, Window,
};

/// The lane of EventBridge Scheduler's invocations in [`Report::events`]: no bus (the
/// parentheses keep it apart from every bus name).
pub const SCHEDULER_LANE: &str = "(scheduler)";

/// The name of statebridge's implicit archive of every event, used when a workspace declares none.
pub const IMPLICIT_ARCHIVE: &str = "(all events)";

use crate::asl::StateMachine;
use crate::asl::exec::{Execution, ExecutionOptions, Status};
use crate::asl::mocks::{MockError, Mocks};
use crate::asl::time::{self, Millis};
use crate::bus::{self, Bus, BusError, Rule, Target};
use crate::put_events::{self, DEFAULT_BUS, Envelope, Put, PutEventsError};
use crate::transform::Context;
use crate::workspace::Workspace;
use events::{Place, StatusChange};
use machines::{AliasPicker, Machine, MachineError};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// Limits and placement of a system run.
#[derive(Debug, Clone)]
pub struct SystemOptions {
    /// When the first event arrives if it has no valid `time` (RFC 3339).
    pub start_time: String,
    /// Seed for ids, executions' random functions and nothing else.
    pub seed: u64,
    /// Most events the bus accepts in one run (the loop cap).
    pub max_events: usize,
    /// Most executions one run starts; a delivery beyond fails (and is retried, then dead-lettered).
    pub max_executions: usize,
    /// The account in ARNs and events.
    pub account: String,
    /// The region in ARNs and events.
    pub region: String,
    /// How long after the run's start schedules fire, in seconds (the run's time window).
    pub window_seconds: i64,
    /// Most firings of one rule's or schedule's expression in the window.
    pub max_firings: usize,
    /// Told how far the run has come: after each event the bus accepts and each execution that
    /// ends, and every [`crate::asl::exec::PROGRESS_EVERY`] history events of a long execution.
    pub on_progress: Option<OnSystemProgress>,
}

/// How far a system run has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemProgress {
    /// Events the bus accepted so far.
    pub events: u64,
    /// Executions that have ended.
    pub executions: u64,
    /// History events recorded by the executions so far (the one running included).
    pub history: u64,
}

/// The function [`SystemOptions::on_progress`] calls.
#[derive(Clone)]
pub struct OnSystemProgress(pub Rc<dyn Fn(SystemProgress)>);

impl fmt::Debug for OnSystemProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("OnSystemProgress(..)")
    }
}

impl Default for SystemOptions {
    fn default() -> Self {
        SystemOptions {
            start_time: "2026-01-01T00:00:00Z".to_owned(),
            seed: 0,
            max_events: 100,
            max_executions: 50,
            account: "123456789012".to_owned(),
            region: "us-east-1".to_owned(),
            window_seconds: 86_400,
            max_firings: 10,
            on_progress: None,
        }
    }
}

/// Why a system cannot be set up: where and what.
#[derive(Debug, Clone, PartialEq)]
pub enum SystemError {
    /// The rules are invalid.
    Bus(BusError),
    /// A machine entry is invalid.
    Machine(MachineError),
    /// The mocks are invalid.
    Mocks(MockError),
    /// The workspace's event is not PutEvents input.
    Event(PutEventsError),
    /// The workspace's S3 objects are invalid.
    S3(crate::asl::s3::S3Error),
    /// The Custom Event Bus document (`EventsV2`) is refused.
    EventsV2(crate::eventsv2::EventsV2Error),
}

impl fmt::Display for SystemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SystemError::Bus(e) => write!(f, "rules: {e}"),
            SystemError::Machine(e) => write!(f, "{e}"),
            SystemError::Mocks(e) => write!(f, "{e}"),
            SystemError::Event(e) => write!(f, "event: {e}"),
            SystemError::S3(e) => write!(f, "{e}"),
            SystemError::EventsV2(e) => write!(f, "EventsV2: {e}"),
        }
    }
}

impl std::error::Error for SystemError {}

/// A bus with its rules, the named machines and the mocks, ready to run.
#[derive(Debug, Clone)]
pub struct System {
    bus: Bus,
    machines: BTreeMap<String, Machine>,
    mocks: Mocks,
    event: Option<Put>,
    options: SystemOptions,
    /// The S3 objects every execution's `ItemReader` reads.
    s3: crate::asl::s3::S3Objects,
    /// The Custom Event Bus, with the machines its Step Functions targets start.
    eventsv2: Option<(crate::eventsv2::Document, Map<String, Value>)>,
}

impl System {
    /// A system from its parts; `machines` maps names to definitions (or versioned entries).
    pub fn new(
        bus: Bus,
        machines: &Map<String, Value>,
        mocks: Mocks,
        options: SystemOptions,
    ) -> Result<System, SystemError> {
        let machine_defs = machines;
        let machines = machines
            .iter()
            .map(|(n, v)| Machine::parse(n, v).map(|m| (n.clone(), m)))
            .collect::<Result<_, _>>()
            .map_err(SystemError::Machine)?;
        let eventsv2 = match &bus.eventsv2 {
            None => None,
            Some(doc) => {
                let place = crate::eventsv2::Place {
                    account: options.account.clone(),
                    region: options.region.clone(),
                    start: time::parse_rfc3339(&options.start_time).unwrap_or_default(),
                    seed: options.seed,
                };
                let doc = crate::eventsv2::Document::parse_at(doc, &place)
                    .map_err(SystemError::EventsV2)?;
                Some((doc, machine_defs.clone()))
            }
        };
        Ok(System {
            bus,
            machines,
            mocks,
            event: None,
            options,
            s3: crate::asl::s3::S3Objects::new(),
            eventsv2,
        })
    }

    /// The system a workspace describes; [`System::run`] puts its event on the bus.
    pub fn from_workspace(ws: &Workspace, options: SystemOptions) -> Result<System, SystemError> {
        let bus = Bus::parse(&ws.rules_document()).map_err(SystemError::Bus)?;
        let mocks = Mocks::from_value(&Value::Object(ws.mocks.clone()), None)
            .map_err(SystemError::Mocks)?;
        let mut system = System::new(bus, &ws.machines, mocks, options)?;
        system.s3 = crate::asl::s3::S3Objects::from_value(&Value::Object(ws.s3.clone()))
            .map_err(SystemError::S3)?;
        // A workspace driven by its pipes or schedules alone may put no event (`null`).
        if !ws.event.is_null() {
            let put = system.read_events(&ws.event).map_err(SystemError::Event)?;
            system.event = Some(put);
        }
        Ok(system)
    }

    /// Reads PutEvents input (an event, an entry, a list of entries or `{"Entries": [...]}`)
    /// as this system's account and region put it when a run starts.
    pub fn read_events(&self, input: &Value) -> Result<Put, PutEventsError> {
        let o = &self.options;
        let now = time::parse_rfc3339(&o.start_time).unwrap_or_default();
        put_events::read(
            input,
            &Envelope {
                account: &o.account,
                region: &o.region,
                now,
                seed: o.seed,
            },
        )
    }

    /// The bus.
    pub fn bus(&self) -> &Bus {
        &self.bus
    }

    /// Starts a run with nothing on the bus yet.
    pub fn start(&self) -> SystemRun<'_> {
        let clock = time::parse_rfc3339(&self.options.start_time).unwrap_or_default();
        SystemRun {
            system: self,
            clock,
            seq: 0,
            queue: BTreeMap::new(),
            picker: AliasPicker::default(),
            report: Report::default(),
            history: 0,
            compiled: Default::default(),
        }
    }

    /// Puts the workspace's event on the bus, fires the schedules over the window, runs until
    /// nothing is left to do, then starts the declared replays one after the other.
    pub fn run(&self) -> Report {
        let mut run = self.start();
        run.play(self.event.as_ref());
        run.into_report()
    }
}

/// Work waiting on the virtual clock.
#[derive(Debug, Clone)]
enum Job {
    /// An event reaches a bus.
    Ingest {
        bus: String,
        event: Value,
        origin: Origin,
        only: Only,
    },
    /// A Scheduler schedule's firing invokes its target.
    Fire { firing: usize },
    /// Attempt number `attempt` (0 = first) of a delivery.
    Attempt { delivery: usize, attempt: u32 },
    /// A pipe's batch closes: enrichment, then the target's input.
    PipeBatch { pipe: usize, batch: usize },
    /// A pipe's batch goes to its target.
    PipeDeliver { pipe: usize, batch: usize },
    /// A pipe's failed records come back (visible again in the queue, or a stream's retry).
    PipeRetry {
        pipe: usize,
        records: Vec<usize>,
        attempt: u32,
        retry_of: usize,
    },
}

/// Which rules see an event.
#[derive(Debug, Clone)]
enum Only {
    /// Every matching rule of the bus.
    All,
    /// The matching rules among these names (a replay's `FilterArns`).
    Rules(Rc<Vec<String>>),
    /// This rule, whatever its pattern (its own "Scheduled Event").
    Scheduled(String),
}

/// A run in progress: the clock, the queue of work and what has happened so far.
#[derive(Debug)]
pub struct SystemRun<'a> {
    system: &'a System,
    clock: Millis,
    seq: u64,
    queue: BTreeMap<(Millis, u64), Job>,
    picker: AliasPicker,
    report: Report,
    /// History events the ended executions recorded (for [`SystemOptions::on_progress`]).
    history: u64,
    /// Each machine version compiled once, by (machine, version): not once per delivery.
    compiled: crate::fasthash::FastMap<(String, Option<u32>), Compiled>,
}

/// A machine version compiled, or why it does not validate.
type Compiled = Rc<Result<StateMachine, String>>;

/// A failed delivery attempt: a code, a message, and whether retrying can help.
struct Failure {
    code: &'static str,
    message: String,
    retryable: bool,
}

fn failure(code: &'static str, message: impl Into<String>) -> Failure {
    Failure {
        code,
        message: message.into(),
        retryable: true,
    }
}

/// Seconds before retry `n` (from 1): 1, 2, 4 … up to five minutes. EventBridge adds jitter;
/// statebridge does not, so that a run is reproducible.
fn backoff_ms(n: u32) -> Millis {
    let secs = 1i64 << n.saturating_sub(1).min(9);
    secs.min(300) * 1000
}

impl SystemRun<'_> {
    fn schedule(&mut self, at: Millis, job: Job) {
        self.seq += 1;
        self.queue.insert((at.max(self.clock), self.seq), job);
    }

    /// Puts an event on the default bus now (its `time`, when valid and later, is when it arrives).
    pub fn put(&mut self, event: Value) {
        self.put_on(DEFAULT_BUS, event);
    }

    /// Puts what [`System::read_events`] read: each accepted entry on its bus; PutEvents'
    /// answer goes in the report when the input was entries.
    pub fn put_all(&mut self, put: &Put) {
        for e in &put.events {
            self.put_on(&e.bus, e.event.clone());
        }
        if put.shape != put_events::Shape::Event {
            self.report.put_events = Some(put.result.clone());
        }
    }

    /// Puts an event on the bus named `bus` now.
    pub fn put_on(&mut self, bus: &str, event: Value) {
        let at = event
            .get("time")
            .and_then(Value::as_str)
            .and_then(time::parse_rfc3339)
            .filter(|_| self.report.events.is_empty() && self.queue.is_empty())
            .unwrap_or(self.clock);
        if self.report.events.is_empty() && self.queue.is_empty() {
            self.clock = at;
        }
        self.schedule(
            at,
            Job::Ingest {
                bus: bus.to_owned(),
                event,
                origin: Origin::Put,
                only: Only::All,
            },
        );
    }

    /// Replays the archived events whose arrival lies in `[from, to)` into the bus now, each
    /// with `replay-name` set (as EventBridge does). Returns how many were replayed.
    pub fn replay(&mut self, name: &str, from: Millis, to: Millis) -> usize {
        let chosen: Vec<(usize, String, Value)> = self
            .report
            .events
            .iter()
            .filter(|e| e.archived && e.millis >= from && e.millis < to)
            .map(|e| (e.index, e.bus.clone(), e.event.clone()))
            .collect();
        for (of, bus, mut event) in chosen.iter().cloned() {
            if let Some(obj) = event.as_object_mut() {
                obj.insert("replay-name".into(), json!(name));
            }
            let origin = Origin::Replay {
                name: name.to_owned(),
                of,
            };
            self.schedule(
                self.clock,
                Job::Ingest {
                    bus,
                    event,
                    origin,
                    only: Only::All,
                },
            );
        }
        chosen.len()
    }

    /// Runs until nothing is left on the queue.
    pub fn run(&mut self) {
        while let Some(((at, _), job)) = self.queue.pop_first() {
            self.clock = self.clock.max(at);
            match job {
                Job::Ingest {
                    bus,
                    event,
                    origin,
                    only,
                } => self.ingest(bus, event, origin, only),
                Job::Attempt { delivery, attempt } => self.attempt(delivery, attempt),
                Job::Fire { firing } => self.fire(firing),
                Job::PipeBatch { pipe, batch } => self.pipe_batch(pipe, batch),
                Job::PipeDeliver { pipe, batch } => self.pipe_deliver(pipe, batch),
                Job::PipeRetry {
                    pipe,
                    records,
                    attempt,
                    retry_of,
                } => self.pipe_retry(pipe, records, attempt, retry_of),
            }
            self.tell_progress(0);
        }
    }

    /// Tells [`SystemOptions::on_progress`] how far the run has come (`running`: history
    /// events of the execution at work).
    fn tell_progress(&self, running: u64) {
        if let Some(hook) = &self.system.options.on_progress {
            (hook.0)(SystemProgress {
                events: self.report.events.len() as u64,
                executions: self.report.executions.len() as u64,
                history: self.history + running,
            });
        }
    }

    /// What has happened so far.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The run's record.
    pub fn into_report(self) -> Report {
        self.report
    }

    /// How far the run has come, no execution at work.
    fn progress_base(&self) -> SystemProgress {
        SystemProgress {
            events: self.report.events.len() as u64,
            executions: self.report.executions.len() as u64,
            history: self.history,
        }
    }

    /// The index of `definition` in the report's definitions, added the first time it runs
    /// (a run has a few: its machines' versions).
    fn definition_index(&mut self, definition: &Value) -> usize {
        let list = &mut self.report.definitions;
        match list.iter().position(|d| d == definition) {
            Some(i) => i,
            None => {
                list.push(definition.clone());
                list.len() - 1
            }
        }
    }

    /// Runs the Custom Event Bus document, if the workspace has one, on its own clock from the
    /// run's start (its buses are not the rule buses: the two products keep apart).
    pub fn run_eventsv2(&mut self) {
        if let Some((doc, machines)) = &self.system.eventsv2 {
            let options = crate::eventsv2::RunOptions {
                seed: self.system.options.seed,
                machines: Some(machines.clone()),
                mocks: self.system.mocks.clone(),
            };
            self.report.eventsv2 = Some(doc.run(&options));
        }
    }

    /// Puts what Custom Event Bus subscribers delivered to a Custom Event Bus - Classic on that
    /// bus, when the delivery succeeded, so the bus's rules run on it. A payload that reads as an
    /// event or a PutEvents entry (what PutEvents published, delivered RAW) is that event; the
    /// documentation is silent on any other payload, which becomes the `detail` of an event
    /// whose `source` is the Custom Event Bus's name and `detail-type` `Custom Event Bus event`.
    pub fn forward_from_eventsv2(&mut self) {
        use crate::eventsv2::{DeliveryOutcome as V2Outcome, TargetKind};
        let Some(r) = &self.report.eventsv2 else {
            return;
        };
        let mut jobs = Vec::new();
        for (k, d) in r.deliveries.iter().enumerate() {
            let Some(sub) = r.subscribers.get(d.subscriber) else {
                continue;
            };
            let TargetKind::ClassicBus { bus } = &sub.target else {
                continue;
            };
            let (V2Outcome::Delivered { .. }, Ok(payload), Some(last)) =
                (&d.outcome, &d.payload, d.attempts.last())
            else {
                continue;
            };
            let events = match self.system.read_events(payload) {
                Ok(put) if put.result.failed_entry_count == 0 => {
                    put.events.into_iter().map(|e| e.event).collect()
                }
                _ => vec![serde_json::json!({
                    "version": "0", "source": sub.bus, "detail-type": "Custom Event Bus event",
                    "account": self.system.options.account, "region": self.system.options.region,
                    "time": last.time,
                    "resources": [], "detail": payload,
                })],
            };
            for event in events {
                let origin = Origin::Subscriber {
                    bus: sub.bus.clone(),
                    subscriber: sub.name.clone(),
                    delivery: k,
                };
                jobs.push((last.millis, bus.clone(), event, origin));
            }
        }
        for (at, bus, event, origin) in jobs {
            self.schedule(
                at,
                Job::Ingest {
                    bus,
                    event,
                    origin,
                    only: Only::All,
                },
            );
        }
    }

    /// The virtual clock now.
    pub fn now(&self) -> Millis {
        self.clock
    }

    fn place(&self) -> Place<'_> {
        Place {
            account: &self.system.options.account,
            region: &self.system.options.region,
        }
    }

    /// Whether the cap on events refuses one more (and says so the first time).
    fn over_cap(&mut self, origin: &Origin) -> bool {
        let opts = &self.system.options;
        if self.report.events.len() >= opts.max_events {
            self.report.rejected += 1;
            if self.report.capped.is_none() {
                let hint = if matches!(origin, Origin::Pipe { .. }) {
                    "A pipe's batch probably keeps failing: give its queue a RedrivePolicy \
                     (maxReceiveCount) or its stream MaximumRetryAttempts, or raise the cap"
                } else {
                    "A rule probably matches the events its own target puts: narrow its pattern, \
                     or raise the cap"
                };
                self.report.capped = Some(format!(
                    "the bus stopped accepting events after {} (the cap on events per run); \
                     the first one refused came from {} at {}. {hint}",
                    opts.max_events,
                    origin.describe(&self.report),
                    time::format_millis(self.clock)
                ));
            }
            return true;
        }
        false
    }

    fn ingest(&mut self, bus: String, mut event: Value, origin: Origin, only: Only) {
        if self.over_cap(&origin) {
            return;
        }
        let opts = &self.system.options;
        let index = self.report.events.len();
        let id = events::uuid(opts.seed, index as u64);
        if let Some(obj) = event.as_object_mut() {
            if obj
                .get("id")
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                obj.insert("id".into(), json!(id));
            }
            if !obj.contains_key("time") {
                obj.insert("time".into(), json!(whole_seconds(self.clock)));
            }
        }
        let system = self.system;
        let rules: Vec<&Rule> = match &only {
            Only::All => system.bus.matching_rules_on(&bus, &event),
            Only::Rules(names) => system
                .bus
                .matching_rules_on(&bus, &event)
                .into_iter()
                .filter(|r| names.contains(&r.name))
                .collect(),
            Only::Scheduled(name) => system
                .bus
                .rules
                .iter()
                .filter(|r| &r.name == name && r.event_bus == bus)
                .collect(),
        };
        let matched: Vec<String> = rules.iter().map(|r| r.name.clone()).collect();
        let ctx_time = whole_seconds(self.clock);
        let mut deliveries = Vec::new();
        for rule in rules {
            let ctx = Context {
                ingestion_time: Some(ctx_time.clone()),
                ..Context::for_rule(&rule.name)
            };
            let delivered = rule.deliver_with(&event, &ctx);
            for (target, input) in rule.targets.iter().zip(delivered.targets) {
                let d = self.report.deliveries.len();
                self.report.deliveries.push(Delivery {
                    event: index,
                    rule: rule.name.clone(),
                    target: target.id.clone(),
                    arn: target.arn.clone(),
                    input: input.input.map_err(|e| e.to_string()),
                    attempts: Vec::new(),
                    outcome: DeliveryOutcome::Pending,
                });
                deliveries.push(d);
                self.schedule(
                    self.clock,
                    Job::Attempt {
                        delivery: d,
                        attempt: 0,
                    },
                );
            }
        }
        let archives = self.archives_keeping(&bus, &event, &origin);
        if let Origin::Scheduled { firing, .. } = &origin
            && let Some(f) = self.report.firings.get_mut(*firing)
        {
            f.event = Some(index);
        }
        self.report.events.push(BusEvent {
            index,
            bus,
            id: event
                .get("id")
                .and_then(Value::as_str)
                .map_or(id, str::to_owned),
            time: time::format_millis(self.clock),
            millis: self.clock,
            event,
            origin,
            matched,
            deliveries,
            archived: !archives.is_empty(),
            archives,
        });
    }

    /// The archives that keep an event: the declared ones whose bus and pattern it matches, or
    /// the implicit archive of everything when none is declared. Replayed events and a rule's
    /// own scheduled events are not archived.
    fn archives_keeping(&self, bus: &str, event: &Value, origin: &Origin) -> Vec<String> {
        if matches!(origin, Origin::Replay { .. } | Origin::Scheduled { .. }) {
            return Vec::new();
        }
        let declared = &self.system.bus.archives;
        if declared.is_empty() {
            return vec![IMPLICIT_ARCHIVE.to_owned()];
        }
        declared
            .iter()
            .filter(|a| a.keeps(bus, event))
            .map(|a| a.name.clone())
            .collect()
    }

    fn target_of(&self, d: &Delivery) -> Option<&Target> {
        let bus = self.report.events.get(d.event).map(|e| e.bus.as_str())?;
        if let Some(name) = pipes::lane_pipe(bus) {
            let pipes = &self.system.bus.pipes.pipes;
            return pipes.iter().find(|p| p.name == name).map(|p| &p.delivery);
        }
        if bus == SCHEDULER_LANE {
            return self
                .system
                .bus
                .schedules
                .iter()
                .find(|s| s.name == d.rule)
                .map(|s| &s.target.target);
        }
        self.system
            .bus
            .rules
            .iter()
            .find(|r| r.name == d.rule && r.event_bus == bus)?
            .targets
            .iter()
            .find(|t| t.id == d.target)
    }

    fn attempt(&mut self, delivery: usize, attempt: u32) {
        let Some(d) = self.report.deliveries.get(delivery).cloned() else {
            return;
        };
        let Some(target) = self.target_of(&d).cloned() else {
            return;
        };
        let result = self.invoke(&d, &target, delivery);
        let now = self.clock;
        let (error, message) = match &result {
            Ok(_) => (None, None),
            Err(f) => (Some(f.code.to_owned()), Some(f.message.clone())),
        };
        if let Some(rec) = self.report.deliveries.get_mut(delivery) {
            rec.attempts.push(Attempt {
                time: time::format_millis(now),
                millis: now,
                error,
                message,
            });
        }
        let outcome = match result {
            Ok(execution) => DeliveryOutcome::Delivered { execution },
            Err(f) => {
                let arrived = self.report.events.get(d.event).map_or(now, |e| e.millis);
                let next = now + backoff_ms(attempt + 1);
                let policy = target.retry_policy;
                let age_ok = next - arrived <= i64::from(policy.maximum_event_age_seconds) * 1000;
                if f.retryable && attempt < policy.maximum_retry_attempts && age_ok {
                    self.schedule(
                        next,
                        Job::Attempt {
                            delivery,
                            attempt: attempt + 1,
                        },
                    );
                    DeliveryOutcome::Pending
                } else {
                    let why = if !f.retryable {
                        "not retried: retrying cannot help".to_owned()
                    } else if attempt >= policy.maximum_retry_attempts {
                        format!(
                            "gave up after {attempt} retries (MaximumRetryAttempts {})",
                            policy.maximum_retry_attempts
                        )
                    } else {
                        format!(
                            "gave up: the event would be older than MaximumEventAgeInSeconds ({})",
                            policy.maximum_event_age_seconds
                        )
                    };
                    match &target.dead_letter_arn {
                        Some(queue) => {
                            self.report.dead_letters.push(DeadLetter {
                                queue: queue.clone(),
                                event: d.event,
                                delivery,
                                time: time::format_millis(now),
                                millis: now,
                                attributes: json!({
                                    "ERROR_CODE": f.code,
                                    "ERROR_MESSAGE": f.message,
                                    "RULE_ARN": self.rule_arn(&d),
                                    "TARGET_ARN": d.arn,
                                    "RETRY_ATTEMPTS": attempt,
                                }),
                                body: self
                                    .report
                                    .events
                                    .get(d.event)
                                    .map(|e| e.event.clone())
                                    .unwrap_or(Value::Null),
                            });
                            DeliveryOutcome::DeadLettered {
                                queue: queue.clone(),
                                reason: why,
                            }
                        }
                        None => DeliveryOutcome::Dropped { reason: why },
                    }
                }
            }
        };
        if let Some(rec) = self.report.deliveries.get_mut(delivery) {
            rec.outcome = outcome;
        }
        let on_pipe = self
            .report
            .events
            .get(d.event)
            .is_some_and(|e| pipes::lane_pipe(&e.bus).is_some());
        if on_pipe {
            self.pipe_attempted(delivery);
        }
    }

    /// One delivery attempt: `Ok(Some(execution))` when it started one.
    fn invoke(
        &mut self,
        d: &Delivery,
        target: &Target,
        delivery: usize,
    ) -> Result<Option<usize>, Failure> {
        let input = d
            .input
            .as_ref()
            .map_err(|e| failure("InputTransformationFailed", e.clone()))?;
        if let Some(to) = bus::bus_target(&target.arn) {
            let lane = self.report.events.get(d.event).map(|e| e.bus.as_str());
            if lane == Some(SCHEDULER_LANE) {
                return self.put_from_schedule(d, &to).map(|()| None);
            }
            if lane.and_then(pipes::lane_pipe).is_some() {
                return self.put_from_pipe(d, &to).map(|()| None);
            }
            return self.forward(d, &to).map(|()| None);
        }
        let reference: Option<(String, Option<String>)> = match &target.state_machine {
            Some(Value::String(s)) => {
                let (n, q) = machines::split_qualifier(s);
                Some((n.to_owned(), q.map(str::to_owned)))
            }
            Some(_) => None,
            None => {
                machines::from_arn(&target.arn).map(|(n, q)| (n.to_owned(), q.map(str::to_owned)))
            }
        };
        let (name, resolved) = match (&target.state_machine, reference) {
            (Some(def @ Value::Object(_)), _) => {
                let name = machines::from_arn(&target.arn)
                    .map_or_else(|| target.id.clone(), |(n, _)| n.to_owned());
                (
                    name,
                    machines::Resolved {
                        definition: def.clone(),
                        version: None,
                        alias: None,
                        express: false,
                    },
                )
            }
            (_, Some((name, qualifier))) => {
                let Some(machine) = self.system.machines.get(&name) else {
                    let known: Vec<&str> =
                        self.system.machines.keys().map(String::as_str).collect();
                    return Err(Failure {
                        code: "StateMachineDoesNotExist",
                        message: format!(
                            "no state machine named `{name}` in the workspace (it has: {})",
                            if known.is_empty() {
                                "none".to_owned()
                            } else {
                                known.join(", ")
                            }
                        ),
                        retryable: false,
                    });
                };
                let resolved = machine
                    .resolve(&name, qualifier.as_deref(), &mut self.picker)
                    .map_err(|m| Failure {
                        code: "ResourceNotFound",
                        message: m,
                        retryable: false,
                    })?;
                (name, resolved)
            }
            // Not a state machine: a pipe's target answers with its mocks; a rule's receives
            // the input and that is all we model.
            _ => {
                return match self.report.events.get(d.event).map(|e| &e.origin) {
                    Some(Origin::Pipe { name, batch }) => {
                        let (name, batch) = (name.clone(), *batch);
                        let Some(p) = self.report.pipes.iter().position(|r| r.name == name) else {
                            return Ok(None);
                        };
                        let value = input.json.clone().unwrap_or(Value::Null);
                        self.invoke_pipe_target(p, batch, &value)
                    }
                    _ => Ok(None),
                };
            }
        };
        let Some(input_value) = &input.json else {
            return Err(failure(
                "InvalidExecutionInput",
                format!(
                    "the target's input is not JSON, so StartExecution refuses it: {}",
                    clip(&input.text, 120)
                ),
            ));
        };
        let compiled = Rc::clone(
            self.compiled
                .entry((name.clone(), resolved.version))
                .or_insert_with(|| Rc::new(compile(&name, &resolved.definition, resolved.express))),
        );
        let machine = match &*compiled {
            Ok(m) => m,
            Err(why) => return Err(failure("InvalidDefinition", why.clone())),
        };
        let opts = &self.system.options;
        if self.report.executions.len() >= opts.max_executions {
            return Err(failure(
                "ExecutionLimitExceeded",
                format!(
                    "this run already started {} executions (the cap per run)",
                    opts.max_executions
                ),
            ));
        }
        let index = self.report.executions.len();
        let exec_name = events::uuid(opts.seed ^ 0x5eed, index as u64);
        let options = ExecutionOptions {
            start_time: time::format_millis(self.clock),
            mocks: self.system.mocks.clone(),
            seed: opts.seed.wrapping_add(index as u64),
            name: exec_name.clone(),
            state_machine_name: name.clone(),
            account: opts.account.clone(),
            region: opts.region.clone(),
            express: resolved.express,
            s3: self.system.s3.clone(),
            on_progress: self.system.options.on_progress.as_ref().map(|hook| {
                let (hook, base) = (hook.clone(), self.progress_base());
                crate::asl::exec::OnProgress(Rc::new(move |p: crate::asl::exec::Progress| {
                    (hook.0)(SystemProgress {
                        history: base.history + p.events,
                        ..base
                    })
                }))
            }),
            ..ExecutionOptions::default()
        };
        let express = resolved.express;
        let arn = options.execution_arn();
        let machine_arn = match (&resolved.alias, resolved.version) {
            (Some(a), _) => format!("{}:{a}", options.state_machine_arn()),
            (None, Some(v)) => format!("{}:{v}", options.state_machine_arn()),
            (None, None) => options.state_machine_arn(),
        };
        let (outcome, history) = Execution::run_once(machine, input_value, &options);
        self.history += history.len() as u64;
        let start = self.clock;
        let stop = history.last().map(|e| e.millis).unwrap_or(start).max(start);
        let status = status_name(outcome.status);
        let place = self.place();
        let running = events::status_change(
            &StatusChange {
                execution_arn: &arn,
                state_machine_arn: &machine_arn,
                name: &exec_name,
                status: "RUNNING",
                start,
                stop: None,
                input: input_value,
                output: None,
                error: None,
                cause: None,
            },
            &place,
        );
        let ended = events::status_change(
            &StatusChange {
                execution_arn: &arn,
                state_machine_arn: &machine_arn,
                name: &exec_name,
                status,
                start,
                stop: Some(stop),
                input: input_value,
                output: outcome.output.as_ref(),
                error: outcome.error.as_deref(),
                cause: outcome.cause.as_deref(),
            },
            &place,
        );
        let entries = events::put_entries(&history, &place, &[&arn, &machine_arn]);
        let definition = self.definition_index(&resolved.definition);
        self.report.executions.push(ExecutionRecord {
            index,
            name: exec_name,
            arn,
            machine: name,
            state_machine_arn: machine_arn,
            version: resolved.version,
            alias: resolved.alias,
            event: d.event,
            delivery,
            input: input_value.clone(),
            status: outcome.status,
            output: outcome.output.clone(),
            error: outcome.error.clone(),
            cause: outcome.cause.clone(),
            start: time::format_millis(start),
            stop: time::format_millis(stop),
            start_millis: start,
            stop_millis: stop,
            history,
            definition,
            refused_entries: entries
                .iter()
                .filter_map(|e| {
                    e.event
                        .as_ref()
                        .err()
                        .map(|why| format!("{}: {why}", e.state))
                })
                .collect(),
        });
        // Express workflows send no status-change events to EventBridge.
        if !express {
            self.schedule(
                start,
                Job::Ingest {
                    bus: DEFAULT_BUS.to_owned(),
                    event: running,
                    origin: Origin::StatusChange { execution: index },
                    only: Only::All,
                },
            );
        }
        for entry in entries {
            if let Ok(event) = entry.event {
                self.schedule(
                    entry.millis,
                    Job::Ingest {
                        bus: entry.bus,
                        event,
                        origin: Origin::PutEvents {
                            execution: index,
                            state: entry.state,
                        },
                        only: Only::All,
                    },
                );
            }
        }
        if !express {
            self.schedule(
                stop,
                Job::Ingest {
                    bus: DEFAULT_BUS.to_owned(),
                    event: ended,
                    origin: Origin::StatusChange { execution: index },
                    only: Only::All,
                },
            );
        }
        Ok(Some(index))
    }
}

impl SystemRun<'_> {
    /// The ARN of the rule behind a delivery: `rule/NAME` on the default bus,
    /// `rule/BUS/NAME` on another, as EventBridge writes it.
    fn rule_arn(&self, d: &Delivery) -> String {
        let o = &self.system.options;
        match self.report.events.get(d.event).map(|e| e.bus.as_str()) {
            Some(lane) if pipes::lane_pipe(lane).is_some() => {
                let name = pipes::lane_pipe(lane).unwrap_or_default();
                format!("arn:aws:pipes:{}:{}:pipe/{name}", o.region, o.account)
            }
            Some(SCHEDULER_LANE) => self
                .system
                .bus
                .schedules
                .iter()
                .find(|s| s.name == d.rule)
                .map(|s| s.arn(&o.region, &o.account))
                .unwrap_or_default(),
            Some(bus) if bus != DEFAULT_BUS => {
                format!(
                    "arn:aws:events:{}:{}:rule/{bus}/{}",
                    o.region, o.account, d.rule
                )
            }
            _ => format!("arn:aws:events:{}:{}:rule/{}", o.region, o.account, d.rule),
        }
    }

    /// A rule whose target is an event bus sends it the event as it is: the receiving bus's
    /// rules see it, with the `account` and `region` it was put with (the user guide, "Sending
    /// and receiving events between AWS accounts" and "… between Regions"). A bus of another
    /// account or Region is another bus, whatever its name: its rules are the ones whose
    /// `EventBusName` is its ARN ([`put_events::bus_key`]). An event
    /// that came from another bus goes no further: EventBridge does not route an event
    /// received from a sender bus on to a third bus.
    fn forward(&mut self, d: &Delivery, to: &bus::BusTarget) -> Result<(), Failure> {
        let Some(sent) = self.report.events.get(d.event) else {
            return Ok(());
        };
        if let Origin::Forwarded { from, .. } = &sent.origin {
            return Err(Failure {
                code: "NotForwarded",
                message: format!(
                    "this event came to bus `{}` from bus `{from}`, and EventBridge does not route \
                     an event received from another bus on to a third one (`{}`)",
                    sent.bus, to.name
                ),
                retryable: false,
            });
        }
        let (event, origin) = (
            sent.event.clone(),
            Origin::Forwarded {
                of: d.event,
                from: sent.bus.clone(),
                rule: d.rule.clone(),
            },
        );
        let bus = to.key(&self.system.options.account, &self.system.options.region);
        self.schedule(
            self.clock,
            Job::Ingest {
                bus,
                event,
                origin,
                only: Only::All,
            },
        );
        Ok(())
    }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Succeeded => "SUCCEEDED",
        Status::Failed => "FAILED",
        Status::TimedOut => "TIMED_OUT",
        Status::Aborted => "ABORTED",
        Status::Running => "RUNNING",
    }
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

/// A machine version's definition compiled for its executions, or why it does not validate.
fn compile(name: &str, definition: &Value, express: bool) -> Result<StateMachine, String> {
    let (machine, mut diagnostics) = crate::asl::parse_value(definition);
    if express {
        diagnostics.extend(crate::asl::express::problems(&machine));
    }
    match diagnostics.first() {
        None => Ok(machine),
        Some(first) => Err(format!("state machine `{name}` does not validate: {first}")),
    }
}
