//! The executor: runs a [`StateMachine`] on a virtual clock and records AWS's history events.
//!
//! ```
//! use statebridge_engine::asl::{StateMachine, exec::{Execution, ExecutionOptions, Status}};
//! let machine: StateMachine = r#"{"StartAt": "Hi", "States": {"Hi": {"Type": "Pass", "Result": 1, "End": true}}}"#
//!     .parse().unwrap();
//! let mut exec = Execution::new(&machine, serde_json::json!({}), ExecutionOptions::default());
//! let outcome = exec.run_to_end();
//! assert_eq!(outcome.status, Status::Succeeded);
//! assert_eq!(outcome.output, Some(serde_json::json!(1)));
//! assert_eq!(exec.history().len(), 4);
//! ```

mod branches;
mod finish;
pub(crate) mod interp;
mod item_reader;
pub mod redrive;
mod result_writer;
mod sched;
mod simple;
mod task;

pub use super::history::Payload;
pub use super::jsonata_bridge::EvaluatedExpression;
pub use interp::{
    Inspection, LIMIT_ERROR, MAX_EXECUTION_SECONDS, MAX_EXPRESS_SECONDS, MAX_TRACED_EXPRESSIONS,
    RunStatus, StateRun,
};
pub use redrive::{MAX_REDRIVES, NotRedrivable, Redrives};

use super::definition::StateMachine;
use super::history::HistoryEvent;
use super::mocks::Mocks;
use serde::Serialize;
use serde_json::Value;

/// How an execution runs: clock, mocks, seed, names and limits.
#[derive(Debug, Clone)]
pub struct ExecutionOptions {
    /// The start time on the virtual clock (RFC 3339).
    pub start_time: String,
    /// Task results.
    pub mocks: Mocks,
    /// Seed for random intrinsics, `$random`, `$uuid` and retry jitter.
    pub seed: u64,
    /// AWS's limit on history events (25,000); reaching it fails the execution.
    pub max_history_events: usize,
    /// Step budget: how many states may be entered before the execution is stopped.
    pub max_steps: u64,
    /// Largest payload (state input/output, task result) in bytes: AWS's 256 KiB.
    pub max_payload_bytes: usize,
    /// statebridge's memory budget for one execution: the bytes of distinct payload texts its
    /// history and inspector may hold (256 MB by default). Beyond it the execution fails with
    /// [`LIMIT_ERROR`] (AWS has no such limit; a browser tab has).
    pub max_memory_bytes: usize,
    /// The execution's name.
    pub name: String,
    /// The state machine's name.
    pub state_machine_name: String,
    /// The account and region used in ARNs.
    pub account: String,
    /// The region used in ARNs.
    pub region: String,
    /// Record each JSONata expression's value or error in the state runs' [`Inspection`]
    /// (for the app's inspector; off by default so plain runs stay as fast as they are).
    pub trace_expressions: bool,
    /// Answers to task tokens (`.waitForTaskToken`, activities), and what a token with none
    /// does (by default an unmocked waiting task answers with its input).
    pub callbacks: super::callbacks::Callbacks,
    /// Whether to record every state run's data-flow steps ([`Execution::state_runs`],
    /// [`Execution::inspection`]), which the app's inspector shows. The history and the outcome
    /// are the same either way; callers that only want those can skip the copies (the benchmark).
    pub inspect: bool,
    /// How many times to redrive the execution (`RedriveExecution`) when it ends FAILED,
    /// TIMED_OUT or ABORTED, each time from its unsuccessful step; a redrive AWS would refuse
    /// is not made ([`Execution::redrives`] says why). See [`redrive`].
    pub redrives: u32,
    /// The machine is an Express workflow (`"Type": "EXPRESS"`): it runs for at most five
    /// minutes, and cannot be redriven.
    pub express: bool,
    /// The S3 objects a Distributed Map's `ItemReader` reads (bucket → key → text).
    pub s3: super::s3::S3Objects,
    /// Told now and then how far the run has come (every [`PROGRESS_EVERY`] events); the run
    /// is the same with or without it (the playground shows it while a long run works).
    pub on_progress: Option<OnProgress>,
}

/// How far a running execution has come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Events recorded so far, with those a distributed Map's child executions counted.
    pub events: u64,
    /// Map iterations (inline or distributed) that have ended, succeeded, failed or aborted.
    pub iterations: u64,
}

/// How often [`ExecutionOptions::on_progress`] is told: every this many events.
pub const PROGRESS_EVERY: u64 = 256;

/// The function [`ExecutionOptions::on_progress`] calls.
#[derive(Clone)]
pub struct OnProgress(pub std::rc::Rc<dyn Fn(Progress)>);

impl std::fmt::Debug for OnProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnProgress(..)")
    }
}

impl Default for ExecutionOptions {
    fn default() -> Self {
        ExecutionOptions {
            start_time: "2026-01-01T00:00:00Z".to_owned(),
            mocks: Mocks::none(),
            seed: 0,
            max_history_events: 25_000,
            max_steps: 100_000,
            max_payload_bytes: 256 * 1024,
            max_memory_bytes: 256_000_000,
            name: "execution".to_owned(),
            state_machine_name: "StateMachine".to_owned(),
            account: "123456789012".to_owned(),
            region: "us-east-1".to_owned(),
            trace_expressions: false,
            inspect: true,
            callbacks: super::callbacks::Callbacks::none(),
            redrives: 0,
            express: false,
            s3: super::s3::S3Objects::new(),
            on_progress: None,
        }
    }
}

impl ExecutionOptions {
    /// `arn:aws:states:<region>:<account>:execution:<machine>:<name>`; an Express execution's is
    /// `…:express:<machine>:<name>:<id>` (the id a UUID drawn from the seed).
    pub fn execution_arn(&self) -> String {
        if self.express {
            let id = crate::splitmix::SplitMix64::new(self.seed ^ 0xe4_9e55).uuid();
            return format!(
                "arn:aws:states:{}:{}:express:{}:{}:{id}",
                self.region, self.account, self.state_machine_name, self.name
            );
        }
        format!(
            "arn:aws:states:{}:{}:execution:{}:{}",
            self.region, self.account, self.state_machine_name, self.name
        )
    }

    /// `arn:aws:states:<region>:<account>:stateMachine:<machine>`.
    pub fn state_machine_arn(&self) -> String {
        format!(
            "arn:aws:states:{}:{}:stateMachine:{}",
            self.region, self.account, self.state_machine_name
        )
    }
}

/// How an execution ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// `ExecutionSucceeded`.
    Succeeded,
    /// `ExecutionFailed`.
    Failed,
    /// `ExecutionTimedOut`.
    TimedOut,
    /// `ExecutionAborted`.
    Aborted,
    /// Not ended: it paused, waiting for callbacks ([`Execution::paused`]).
    Running,
}

/// The result of a finished execution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// The output, when it succeeded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// The error name, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause, when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
}

/// One execution, advanced one history event at a time ([`Execution::step`]) or to the end.
///
/// The run is computed (deterministically, within the limits) on the first call, then revealed
/// event by event, so stepping back and forth is just moving a cursor.
#[derive(Debug, Clone)]
pub struct Execution {
    machine: StateMachine,
    input: Value,
    options: ExecutionOptions,
    computed: Option<interp::Record>,
    revealed: usize,
}

impl Execution {
    /// Prepares an execution of `machine` with `input`.
    pub fn new(machine: &StateMachine, input: Value, options: ExecutionOptions) -> Execution {
        Execution {
            machine: machine.clone(),
            input,
            options,
            computed: None,
            revealed: 0,
        }
    }

    fn record(&mut self) -> &interp::Record {
        let (machine, input, options) = (&self.machine, &self.input, &self.options);
        self.computed
            .get_or_insert_with(|| interp::run(machine, input, options))
    }

    /// Advances by one history event and returns it; `None` once the execution has ended.
    pub fn step(&mut self) -> Option<&HistoryEvent> {
        let total = self.record().history.len();
        if self.revealed >= total {
            return None;
        }
        self.revealed += 1;
        self.computed
            .as_ref()
            .and_then(|r| r.history.get(self.revealed - 1))
    }

    /// Runs `machine` once without keeping an [`Execution`]: no copy of the machine or the
    /// options (compile a machine once, run it many times). Returns the outcome and the history.
    pub fn run_once(
        machine: &StateMachine,
        input: &Value,
        options: &ExecutionOptions,
    ) -> (Outcome, Vec<HistoryEvent>) {
        let record = interp::run(machine, input, options);
        (record.outcome, record.history)
    }

    /// [`Self::run_once`], with where it paused waiting for callbacks (if it did).
    pub fn run_once_paused(
        machine: &StateMachine,
        input: &Value,
        options: &ExecutionOptions,
    ) -> (Outcome, Vec<HistoryEvent>, Option<super::callbacks::Paused>) {
        let record = interp::run(machine, input, options);
        (record.outcome, record.history, record.paused)
    }

    /// Runs to the end and returns the outcome.
    pub fn run_to_end(&mut self) -> Outcome {
        let record = self.record();
        let (outcome, n) = (record.outcome.clone(), record.history.len());
        self.revealed = n;
        outcome
    }

    /// The events revealed so far.
    pub fn history(&self) -> &[HistoryEvent] {
        match &self.computed {
            Some(r) => r.history.get(..self.revealed).unwrap_or(&r.history),
            None => &[],
        }
    }

    /// The outcome, once every event has been revealed.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.computed
            .as_ref()
            .filter(|r| self.revealed >= r.history.len())
            .map(|r| &r.outcome)
    }

    /// Every state run so far (entered before the last revealed event), with its data-flow steps.
    pub fn state_runs(&self) -> Vec<&StateRun> {
        let last = self.revealed as u64;
        match &self.computed {
            Some(r) => r
                .runs
                .iter()
                .filter(|s| s.entered_event_id <= last)
                .collect(),
            None => Vec::new(),
        }
    }

    /// The data-flow steps of the state run that an event belongs to (entered, exited or a task
    /// event): the innermost run on the event's line back through `previousEventId` (concurrent
    /// iterations interleave, so a run's events are not one stretch of the history).
    pub fn inspection(&self, event_id: u64) -> Option<&StateRun> {
        let r = self.computed.as_ref()?;
        let mut id = event_id;
        while id > 0 {
            // The runs are in the order of their Entered events.
            let at = r.runs.partition_point(|s| s.entered_event_id < id);
            if let Some(run) = r
                .runs
                .get(at)
                .filter(|s| s.entered_event_id == id && event_id <= s.last_event_id)
            {
                return Some(run);
            }
            let prev = r.history.get(id as usize - 1)?.previous_event_id;
            if prev >= id {
                return None;
            }
            id = prev;
        }
        None
    }

    /// Where the execution paused waiting for callbacks (status [`Status::Running`]), with the
    /// tasks that wait; `None` when it ended.
    pub fn paused(&mut self) -> Option<&super::callbacks::Paused> {
        self.record().paused.as_ref()
    }

    /// How it runs.
    pub fn options(&self) -> &ExecutionOptions {
        &self.options
    }

    /// The S3 objects the execution's `ResultWriter`s wrote (result files and manifests),
    /// computing the run if it has not been.
    pub fn s3_written(&mut self) -> &super::s3::S3Objects {
        &self.record().written
    }

    /// Goes back to before the first event (the run itself is kept).
    pub fn rewind(&mut self) {
        self.revealed = 0;
    }

    /// Its redrives so far: how many, how each attempt before the last ended, and why a redrive
    /// asked for was refused.
    pub fn redrives(&mut self) -> &Redrives {
        &self.record().redrives
    }

    /// Redrives the execution once more (`RedriveExecution`), as AWS refuses or makes it: it
    /// goes on from its unsuccessful step, its history continued, the events revealed so far
    /// kept and the rest (from `ExecutionRedriven` on) still to step through.
    ///
    /// ```
    /// use statebridge_engine::asl::{StateMachine, mocks::Mocks, exec::{Execution, ExecutionOptions, Status}};
    /// let machine: StateMachine = r#"{"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
    ///     "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge", "End": true}}}"#
    ///     .parse().unwrap();
    /// let mocks = Mocks::from_value(&serde_json::json!({"Charge": {
    ///     "0": {"Throw": {"Error": "Declined"}}, "1": {"Return": {"paid": true}}}}), None).unwrap();
    /// let options = ExecutionOptions { mocks, ..ExecutionOptions::default() };
    /// let mut exec = Execution::new(&machine, serde_json::json!({}), options);
    /// assert_eq!(exec.run_to_end().status, Status::Failed);
    /// let redriven = exec.redrive().unwrap();
    /// assert_eq!(redriven.status, Status::Succeeded);
    /// assert!(exec.redrive().is_err()); // a SUCCEEDED execution cannot be redriven
    /// ```
    pub fn redrive(&mut self) -> Result<Outcome, NotRedrivable> {
        self.redrivable()?;
        self.options.redrives = self.options.redrives.saturating_add(1);
        self.computed = None;
        let record = self.record();
        if let Some(no) = record.redrives.refused.clone() {
            return Err(no);
        }
        Ok(record.outcome.clone())
    }

    /// Whether AWS would redrive the execution as it ended; why not, when it would not.
    pub fn redrivable(&mut self) -> Result<(), NotRedrivable> {
        let record = self.record();
        let status = record.outcome.status;
        let events = record.history.len();
        let count = record.redrives.count;
        let open_ms = match (record.history.first(), record.history.last()) {
            (Some(a), Some(b)) => b.millis - a.millis,
            _ => 0,
        };
        match NotRedrivable::check(self.options.express, status, count, events, open_ms) {
            Some(no) => Err(no),
            None => Ok(()),
        }
    }
}
