//! The interpreter's core: the virtual clock, history emission, limits, and the state loop.

use super::super::data_flow::Rng64;
use super::super::definition::{Kind, PathField, QueryLanguage, State, StateMachine, WaitSpec};
use super::super::errors::Failure;
use super::super::event_kind::EventKind;
use super::super::history::{
    Details, Field, Fields, HistoryEvent, Payload, Text, Texts, not_truncated, shared, text,
};
use super::super::resource::ResourceKind;
use super::super::time::{Millis, format_millis, parse_rfc3339};
use super::finish::Flow;
use super::sched::{Fiber, OpenState, Rt, Suspend, drive, sleep_until, step};
use super::{ExecutionOptions, Outcome, Status};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::cell::RefCell;

/// The data-flow steps of one state run, in TestState's `inspectionData` shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Inspection {
    /// The state's raw input.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub input: Option<Payload>,
    /// After `InputPath`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub after_input_path: Option<Payload>,
    /// After `Parameters`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub after_parameters: Option<Payload>,
    /// After JSONata `Arguments`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub after_arguments: Option<Payload>,
    /// Map: after `ItemsPath` / `Items`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub after_items_path: Option<Payload>,
    /// Map: after `ItemSelector`, one per item.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub after_item_selector: Option<Payload>,
    /// The raw result.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub result: Option<Payload>,
    /// After `ResultSelector`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub after_result_selector: Option<Payload>,
    /// After `ResultPath`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub after_result_path: Option<Payload>,
    /// Variables after the state (JSON object).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub variables: Option<Payload>,
    /// Map: the effective `MaxConcurrency` (0 when unbounded).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub max_concurrency: Option<Value>,
    /// Map: the effective `ToleratedFailureCount`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub tolerated_failure_count: Option<Value>,
    /// Map: the effective `ToleratedFailurePercentage`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub tolerated_failure_percentage: Option<Value>,
    /// The error, when the state failed: `{"error", "cause", "retryCount", "retryIntervalSeconds"?}`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub error_details: Option<Value>,
    /// JSONata states: each `{% … %}` expression evaluated, in order, with its value or error
    /// (only when [`ExecutionOptions::trace_expressions`] is set; at most
    /// [`MAX_TRACED_EXPRESSIONS`] per run).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expressions: Vec<super::super::jsonata_bridge::EvaluatedExpression>,
    /// How many more expressions were evaluated than `expressions` holds.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub expressions_omitted: u64,
}

/// The most expressions recorded for one state run (a Map's `ItemSelector` runs once per item).
pub const MAX_TRACED_EXPRESSIONS: usize = 200;

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One run of one state in an execution (a state inside a loop or a Map runs many times).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateRun {
    /// The state's name.
    pub name: String,
    /// Its `Type`.
    pub state_type: String,
    /// Id of its `…StateEntered` event.
    pub entered_event_id: u64,
    /// Id of its last event (exited, failed, or the last task event).
    pub last_event_id: u64,
    /// How the run ended (or that it is still running).
    pub status: RunStatus,
    /// The next state, when there is one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub next_state: Option<String>,
    /// The output, when there is one.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub output: Option<Payload>,
    /// The data-flow steps.
    pub inspection: Inspection,
}

/// How one state run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RunStatus {
    /// Entered, not ended (yet).
    Running,
    /// Ended with an output.
    Succeeded,
    /// Failed (and nothing caught it).
    Failed,
    /// Failed, and a Catch took over.
    CaughtError,
    /// Stopped by a failure elsewhere (a sibling branch or iteration).
    Aborted,
}

impl RunStatus {
    /// The name as TestState and the app write it (`SUCCEEDED`, `CAUGHT_ERROR`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "RUNNING",
            RunStatus::Succeeded => "SUCCEEDED",
            RunStatus::Failed => "FAILED",
            RunStatus::CaughtError => "CAUGHT_ERROR",
            RunStatus::Aborted => "ABORTED",
        }
    }
}

impl PartialEq<&str> for RunStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Everything an execution produced.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub(crate) history: Vec<HistoryEvent>,
    pub(crate) outcome: Outcome,
    pub(crate) runs: Vec<StateRun>,
    /// Where it paused on callbacks (status `RUNNING`, no closing event).
    pub(crate) paused: Option<super::super::callbacks::Paused>,
    /// Its redrives.
    pub(crate) redrives: super::redrive::Redrives,
    /// The S3 objects its Distributed Maps' `ResultWriter`s wrote.
    pub(crate) written: super::super::s3::S3Objects,
}

/// Why a run of states stopped early.
#[derive(Debug, Clone)]
pub(crate) enum Stop {
    /// A States Language error, which Retry/Catch may handle.
    Fail(Failure),
    /// A limit was reached: the execution ends with this failure, nothing catches it.
    Halt(Failure),
}

/// One line of execution (the top level, a Parallel branch or a Map iteration).
#[derive(Debug, Clone)]
pub(crate) struct Thread {
    /// The previous event in this line, for `previousEventId`.
    pub(crate) prev: u64,
    /// Variables visible here (a branch gets a copy of its parent's).
    pub(crate) vars: Map<String, Value>,
    /// `$$.Map` inside a Map iteration.
    pub(crate) map: Option<Value>,
    /// The text of `vars` for the inspector, kept until an Assign changes them.
    pub(crate) vars_text: Option<Text>,
    /// The fiber this line of execution is (see `sched.rs`).
    pub(crate) fiber: u32,
    /// A distributed Map's child execution: its events are not in this history, only counted.
    pub(crate) detached: Option<u64>,
    /// Which branch or iteration this line is, for a redrive (`None`: the top level).
    pub(crate) scope: super::redrive::Scope,
}

impl Thread {
    /// The top-level line of execution, with `vars` in scope.
    pub(crate) fn top(vars: Map<String, Value>) -> Thread {
        Thread::child(0, 0, vars, None)
    }

    /// A child line (a branch or an iteration) on `fiber`, following event `prev`.
    pub(crate) fn child(
        fiber: u32,
        prev: u64,
        vars: Map<String, Value>,
        map: Option<Value>,
    ) -> Thread {
        Thread {
            prev,
            vars,
            map,
            vars_text: None,
            fiber,
            detached: None,
            scope: None,
        }
    }

    /// A line that only records events (the aborts) on `fiber`, following event `prev`.
    pub(crate) fn line(fiber: u32, prev: u64) -> Thread {
        Thread::child(fiber, prev, Map::new(), None)
    }
}

/// The error of an execution stopped by one of statebridge's own limits (the step budget, the
/// memory budget): not an AWS error, so no Catch or Retry sees it.
pub const LIMIT_ERROR: &str = "Statebridge.LimitExceeded";

pub(crate) use super::super::compile::ctx_parts;

/// The event kind `a` then `b` (`Task` + `StateEntered`), if AWS has it.
pub(crate) fn joined(a: &str, b: &str) -> Option<EventKind> {
    EventKind::joined(a, b)
}

/// What an event is recorded as: a kind, or a joined name that is none (which stops the run
/// rather than recording a type AWS does not have).
fn known(ty: Option<EventKind>) -> Result<EventKind, Stop> {
    ty.ok_or_else(|| {
        Stop::Halt(Failure::new(
            "States.Runtime",
            "statebridge tried to record an event type that Step Functions does not have.",
        ))
    })
}

/// The running interpreter.
pub(crate) struct Interp<'o> {
    pub(crate) opts: &'o ExecutionOptions,
    pub(crate) history: Vec<HistoryEvent>,
    pub(crate) clock: Millis,
    pub(crate) start: Millis,
    pub(crate) invocations: crate::fasthash::FastMap<String, u64>,
    pub(crate) rng: Rng64,
    pub(crate) steps: u64,
    pub(crate) runs: Vec<StateRun>,
    /// The execution's input (borrowed: only `$$.Execution.Input` copies it).
    pub(crate) execution_input: &'o Value,
    /// Whether the definition can read the context object at all.
    pub(crate) reads_context: bool,
    /// Whether it can read `$$.Execution.Input`.
    pub(crate) reads_execution_input: bool,
    /// Set when running one state in isolation (TestState).
    pub(crate) test: Option<TestHooks>,
    /// A failure a retrier would retry, recorded instead of retrying in TestState mode:
    /// (failure, retrier index, backoff interval in seconds).
    pub(crate) retriable: Option<(Failure, usize, f64)>,
    /// The JSON text of the next state's input, set by the state before it (its output's text,
    /// already made for its Exited event) just before the next state starts.
    pub(crate) carry_text: Option<Text>,
    /// The JSON text of the running Task's raw result, set by the Task when it succeeds.
    pub(crate) result_text: Option<Text>,
    /// The JSON text of the output of the last state that ended its line of execution (the
    /// machine's output once the top level ends, for ExecutionSucceeded).
    pub(crate) end_text: Option<Text>,
    /// When the execution times out: its start plus the machine's `TimeoutSeconds`, or AWS's
    /// one-year limit on a Standard workflow, whichever comes first.
    pub(crate) deadline: Millis,
    /// Set once the clock has reached [`Interp::deadline`]: the execution ends `TIMED_OUT`.
    pub(crate) timed_out: bool,
    /// Every payload text recorded (history and inspector), each distinct text once.
    pub(crate) texts: Texts,
    /// Why the fiber that just ran suspended (see `sched.rs`).
    pub(crate) suspended: Option<Suspend>,
    /// The fibers (0: the top level), reused once they end.
    pub(crate) fibers: Vec<Fiber>,
    free_fibers: Vec<u32>,
    /// The states entered and not closed, which a failing Parallel or Map would abort.
    pub(crate) open: Vec<OpenState>,
    /// Which scripted callbacks have reached a task (by index): each answers once.
    pub(crate) claimed: Vec<bool>,
    /// Tasks waiting for a callback that has not come, when unanswered tokens pause the run.
    pub(crate) pending: Vec<Pending>,
    pending_ids: u64,
    /// Set once the execution paused on a callback.
    pub(crate) paused: bool,
    /// What a redrive needs, kept while one may come ([`ExecutionOptions::redrives`]).
    pub(crate) redrive: Option<super::redrive::RedriveLog>,
    /// How many times the execution has been redriven (`$$.Execution.RedriveCount`).
    pub(crate) redrive_count: u64,
    /// When it was last redriven (`$$.Execution.RedriveTime`).
    pub(crate) redrive_time: Option<Millis>,
    /// The S3 objects written so far (`ResultWriter`); read before [`ExecutionOptions::s3`].
    pub(crate) written: super::super::s3::S3Objects,
    /// How far the run has come, for [`ExecutionOptions::on_progress`].
    progress: super::Progress,
}

/// A task waiting for a callback that no script answers: the run pauses before the clock
/// passes `last` (its wait's start or its last heartbeat).
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) id: u64,
    pub(crate) last: Millis,
    pub(crate) task: super::super::callbacks::WaitingTask,
}

/// A Standard workflow runs for at most one year (AWS's quota, 31,536,000 seconds); past it the
/// execution times out as if its own `TimeoutSeconds` had elapsed.
pub const MAX_EXECUTION_SECONDS: u64 = 365 * 24 * 60 * 60;

/// An Express workflow runs for at most five minutes.
pub const MAX_EXPRESS_SECONDS: u64 = 5 * 60;

/// When an execution of `machine` started (or redriven) at `start` times out.
fn deadline(machine: &StateMachine, start: Millis, express: bool) -> Millis {
    let most = if express {
        MAX_EXPRESS_SECONDS
    } else {
        MAX_EXECUTION_SECONDS
    };
    let seconds = machine.timeout_seconds.map_or(most, |s| s.min(most));
    start.saturating_add(
        i64::try_from(seconds)
            .unwrap_or(i64::MAX)
            .saturating_mul(1000),
    )
}

/// What TestState supplies instead of running a state's work.
#[derive(Debug, Clone, Default)]
pub(crate) struct TestHooks {
    /// `mock.result`: the state's raw result (Task, Map, Parallel).
    pub(crate) result: Option<Value>,
    /// `mock.errorOutput`: the state's failure.
    pub(crate) error: Option<Failure>,
    /// `stateConfiguration.retrierRetryCount`.
    pub(crate) retrier_retry_count: u64,
    /// `stateConfiguration.mapIterationFailureCount`.
    pub(crate) map_iteration_failure_count: Option<u64>,
    /// `context`: the context object to use.
    pub(crate) context: Option<Value>,
    /// `stateConfiguration.mapItemReaderData`: the items an `ItemReader` would have read.
    pub(crate) map_item_reader_data: Option<Vec<Value>>,
}

/// What a single state run (TestState) ended with.
pub(crate) struct OneState {
    pub(crate) result: Result<(Value, Option<String>, String), Failure>,
    pub(crate) retriable: Option<(Failure, usize, f64)>,
    pub(crate) run: Option<StateRun>,
}

impl<'o> Interp<'o> {
    /// An interpreter at the start of an execution of `machine` (or, with `test`, of one of its
    /// states).
    fn new(
        machine: &StateMachine,
        input: &'o Value,
        opts: &'o ExecutionOptions,
        test: Option<TestHooks>,
    ) -> Interp<'o> {
        let start = parse_rfc3339(&opts.start_time).unwrap_or(1_767_225_600_000);
        Interp {
            opts,
            history: Vec::with_capacity(64),
            clock: start,
            start,
            invocations: crate::fasthash::FastMap::default(),
            rng: Rng64(opts.seed),
            steps: 0,
            runs: Vec::new(),
            execution_input: input,
            reads_context: machine.reads_context(),
            reads_execution_input: machine.reads_execution_input(),
            test,
            retriable: None,
            carry_text: None,
            result_text: None,
            end_text: None,
            deadline: deadline(machine, start, opts.express),
            timed_out: false,
            texts: Texts::default(),
            suspended: None,
            fibers: vec![Fiber {
                parent: 0,
                last_id: 0,
                last_time: start,
            }],
            free_fibers: Vec::new(),
            open: Vec::new(),
            claimed: vec![false; opts.callbacks.len()],
            pending: Vec::new(),
            pending_ids: 0,
            paused: false,
            redrive: (opts.redrives > 0 && !opts.express).then(super::redrive::RedriveLog::default),
            redrive_count: 0,
            redrive_time: None,
            written: super::super::s3::S3Objects::new(),
            progress: super::Progress::default(),
        }
    }
}

/// Runs one state of `machine` (TestState): `variables` are in scope, `hooks` replace its work.
pub(crate) fn run_one(
    machine: &StateMachine,
    state_name: &str,
    input: &Value,
    variables: Map<String, Value>,
    hooks: TestHooks,
    opts: &ExecutionOptions,
) -> OneState {
    let it = Interp::new(machine, input, opts, Some(hooks));
    let mut th = Thread::top(variables);
    let rt = RefCell::new(it);
    let ran = match machine.state(state_name) {
        None => Err(Stop::Halt(Failure::new(
            "States.Runtime",
            format!("The state '{state_name}' does not exist."),
        ))),
        Some(state) => drive(&rt, run_state(&rt, state, Cow::Borrowed(input), &mut th))
            .map(|(output, next)| (output.into_owned(), next.map(str::to_owned))),
    };
    let it = rt.into_inner();
    let result = match ran {
        Ok((output, next)) => {
            let status = it
                .runs
                .first()
                .map(|r| r.status.as_str().to_owned())
                .unwrap_or_default();
            Ok((output, next, status))
        }
        Err(Stop::Fail(f) | Stop::Halt(f)) => Err(f),
    };
    let run = it.runs.into_iter().next();
    OneState {
        result,
        retriable: it.retriable,
        run,
    }
}

/// Runs `machine` to the end.
pub(crate) fn run(machine: &StateMachine, input: &Value, opts: &ExecutionOptions) -> Record {
    let mut it = Interp::new(machine, input, opts, None);
    let mut th = Thread::top(Map::new());
    let input_text = it.texts.of(input);
    let too_big = input_text.len() > opts.max_payload_bytes;
    let role = format!("arn:aws:iam::{}:role/StatesExecutionRole", opts.account);
    let started = Fields::from([
        ("input", Field::Payload(input_text.clone())),
        ("roleArn", Field::Str(Text::from(role))),
    ]);
    it.push_event(
        &mut th,
        EventKind::ExecutionStarted,
        Details::fields(started),
    );
    let result = if too_big {
        Err(Stop::Fail(Failure::new(
            "States.DataLimitExceeded",
            "The input exceeds the maximum number of bytes service limit.",
        )))
    } else {
        let rt = RefCell::new(it);
        // The first state's input is the execution's: its text is made.
        let first = Some(input_text);
        // The input is borrowed until a state changes it.
        let r = drive(
            &rt,
            run_machine(&rt, machine, Cow::Borrowed(input), first, &mut th),
        )
        .map(Cow::into_owned);
        it = rt.into_inner();
        r
    };
    let (mut outcome, mut paused) = it.close(&mut th, result);
    let mut redrives = super::redrive::Redrives::default();
    for _ in 0..opts.redrives {
        let open_ms = it.clock - it.start;
        let status = outcome.status;
        let refused = super::redrive::NotRedrivable::check(
            opts.express,
            status,
            it.redrive_count,
            it.history.len(),
            open_ms,
        );
        if let Some(no) = refused {
            redrives.refused = Some(no);
            break;
        }
        redrives.attempts.push(outcome);
        let (resumed, r) = it.redrive_attempt(machine, input, &mut th);
        it = resumed;
        (outcome, paused) = it.close(&mut th, r);
    }
    redrives.count = it.redrive_count;
    Record {
        history: it.history,
        outcome,
        runs: it.runs,
        paused,
        redrives,
        written: it.written,
    }
}

impl<'o> Interp<'o> {
    /// Ends an attempt of the execution: its closing event and outcome, or where it paused.
    fn close(
        &mut self,
        th: &mut Thread,
        result: Result<Value, Stop>,
    ) -> (Outcome, Option<super::super::callbacks::Paused>) {
        let mut paused = None;
        let outcome = match result {
            Ok(output) => {
                // The last state's output text (its Exited event's) is the execution's.
                let output_text = match self.end_text.take() {
                    Some(t) => t,
                    None => self.texts.of(&output),
                };
                let details =
                    Details::fields(Fields::from([("output", Field::Payload(output_text))]));
                self.push_event(th, EventKind::ExecutionSucceeded, details);
                Outcome {
                    status: Status::Succeeded,
                    output: Some(output),
                    error: None,
                    cause: None,
                }
            }
            Err(Stop::Halt(_)) if self.paused => {
                let at = self.pause_point().unwrap_or(self.clock);
                self.clock = at;
                let waiting = std::mem::take(&mut self.pending)
                    .into_iter()
                    .map(|p| p.task)
                    .collect();
                paused = Some(super::super::callbacks::Paused {
                    at: format_millis(at),
                    at_seconds: (at - self.start) as f64 / 1000.0,
                    waiting,
                });
                Outcome {
                    status: Status::Running,
                    output: None,
                    error: None,
                    cause: None,
                }
            }
            Err(stop) => {
                // A run halted at its deadline times out; any other stop fails it.
                let timed_out = self.timed_out && matches!(stop, Stop::Halt(_));
                let (Stop::Fail(f) | Stop::Halt(f)) = stop;
                let (kind, status) = if timed_out {
                    self.clock = self.clock.max(self.deadline);
                    (EventKind::ExecutionTimedOut, Status::TimedOut)
                } else {
                    (EventKind::ExecutionFailed, Status::Failed)
                };
                let mut d = Map::new();
                if let Some(e) = &f.error {
                    d.insert("error".into(), json!(e));
                }
                if let Some(c) = &f.cause {
                    d.insert("cause".into(), json!(c));
                }
                self.emit_final(th, kind, Some(Value::Object(d)));
                Outcome {
                    status,
                    output: None,
                    error: f.error,
                    cause: f.cause,
                }
            }
        };
        (outcome, paused)
    }
}

impl<'o> Interp<'o> {
    /// The moment the run pauses at: the earliest of the waiting tasks' last arrivals.
    pub(crate) fn pause_point(&self) -> Option<Millis> {
        self.pending.iter().map(|p| p.last).min()
    }

    /// Registers a task waiting for a callback that has not come; returns its id.
    pub(crate) fn add_pending(
        &mut self,
        last: Millis,
        task: super::super::callbacks::WaitingTask,
    ) -> u64 {
        self.pending_ids += 1;
        let id = self.pending_ids;
        self.pending.push(Pending { id, last, task });
        id
    }

    /// Stops the execution where it waits for callbacks (see `callbacks.rs`).
    pub(crate) fn pause(&mut self) -> Stop {
        self.paused = true;
        Stop::Halt(Failure::new(
            "Statebridge.Paused",
            "The execution waits for a callback.",
        ))
    }

    /// Ends the execution at its deadline: the clock stops there, and it times out.
    pub(crate) fn time_out(&mut self) -> Stop {
        self.clock = self.clock.max(self.deadline);
        self.timed_out = true;
        let since = self.redrive_time.unwrap_or(self.start);
        let cause = match self.deadline - since {
            d if self.opts.express && d >= (MAX_EXPRESS_SECONDS * 1000) as i64 => {
                "The execution reached the maximum duration of an Express workflow (five minutes)."
                    .to_owned()
            }
            d if d >= i64::try_from(MAX_EXECUTION_SECONDS * 1000).unwrap_or(i64::MAX) => {
                "The execution reached the maximum duration of a Standard workflow (one year)."
                    .to_owned()
            }
            d => format!(
                "The execution ran longer than its TimeoutSeconds ({} seconds).",
                d / 1000
            ),
        };
        Stop::Halt(Failure::new("States.Timeout", cause))
    }

    /// A new fiber under `parent`.
    pub(crate) fn new_fiber(&mut self, parent: u32) -> u32 {
        let record = Fiber {
            parent,
            last_id: 0,
            last_time: self.clock,
        };
        match self.free_fibers.pop() {
            Some(f) => {
                if let Some(slot) = self.fibers.get_mut(f as usize) {
                    *slot = record;
                }
                f
            }
            None => {
                self.fibers.push(record);
                (self.fibers.len() - 1) as u32
            }
        }
    }

    /// Releases an ended fiber's record for reuse.
    pub(crate) fn free_fiber(&mut self, f: u32) {
        if f != 0 {
            self.free_fibers.push(f);
        }
    }

    /// A fiber's record.
    pub(crate) fn fiber(&self, f: u32) -> Fiber {
        self.fibers.get(f as usize).copied().unwrap_or(Fiber {
            parent: 0,
            last_id: 0,
            last_time: self.clock,
        })
    }

    /// Whether fiber `f` is `ancestor` or runs under it.
    fn under(&self, mut f: u32, ancestor: u32) -> bool {
        for _ in 0..=self.fibers.len() {
            if f == ancestor {
                return true;
            }
            if f == 0 {
                return false;
            }
            f = self.fiber(f).parent;
        }
        false
    }

    /// The open states under fiber `f`, innermost (latest entered) first, no longer open.
    pub(crate) fn take_open_under(&mut self, f: u32) -> Vec<OpenState> {
        let mut taken = Vec::new();
        let mut kept = Vec::with_capacity(self.open.len());
        for o in std::mem::take(&mut self.open) {
            if self.under(o.fiber, f) {
                taken.push(o);
            } else {
                kept.push(o);
            }
        }
        self.open = kept;
        taken.sort_unstable_by_key(|o| std::cmp::Reverse(o.entered));
        taken
    }

    /// Forgets the open states under fiber `f` (it ended).
    pub(crate) fn close_subtree(&mut self, f: u32) {
        if !self.open.is_empty() {
            self.take_open_under(f);
        }
    }

    /// The state entered at event `entered` is closed (exited or failed).
    pub(crate) fn close_open(&mut self, entered: u64) {
        if let Some(at) = self.open.iter().rposition(|o| o.entered == entered) {
            self.open.remove(at);
        }
    }

    /// A state run cut short by an abort recorded as event `id`.
    pub(crate) fn abort_run(&mut self, run: usize, id: u64) {
        if let Some(r) = self.runs.get_mut(run) {
            r.last_event_id = id;
            if r.status != RunStatus::Failed {
                r.status = RunStatus::Aborted;
                r.output = None;
                r.next_state = None;
            }
        }
    }

    /// The recorded event with this id.
    pub(crate) fn event(&self, id: u64) -> Option<&HistoryEvent> {
        (id as usize)
            .checked_sub(1)
            .and_then(|i| self.history.get(i))
    }

    /// The JSON text of a payload to record, shared with identical texts already recorded;
    /// fails the execution when the recorded texts pass statebridge's memory budget.
    pub(crate) fn payload(&mut self, v: &Value) -> Result<Text, Stop> {
        let t = self.texts.of(v);
        self.check_memory()?;
        Ok(t)
    }

    /// Fails the execution once what it recorded passes statebridge's memory budget
    /// ([`ExecutionOptions::max_memory_bytes`]): a browser tab would die long before AWS's
    /// 25,000-event limit when every event carries a different large payload.
    pub(crate) fn check_memory(&self) -> Result<(), Stop> {
        if self.texts.bytes <= self.opts.max_memory_bytes {
            return Ok(());
        }
        Err(Stop::Halt(Failure::new(
            LIMIT_ERROR,
            format!(
                "The execution was stopped at event {} after recording {} MB of distinct payloads: statebridge's memory budget for one execution is {} MB (a limit of this emulator, not of AWS).",
                self.history.len(),
                self.texts.bytes / 1_000_000,
                self.opts.max_memory_bytes / 1_000_000
            ),
        )))
    }

    /// Records a value for the running state's inspector (as shared text), when inspecting.
    pub(crate) fn inspect_value(
        &mut self,
        run_index: usize,
        field: impl FnOnce(&mut Inspection) -> &mut Option<Payload>,
        v: &Value,
    ) {
        if !self.opts.inspect {
            return;
        }
        if let Some(run) = self.runs.get_mut(run_index) {
            *field(&mut run.inspection) = Some(Payload(self.texts.of(v)));
        }
    }

    /// Counts one more unit of work against the step budget: a state entered, or a retry
    /// attempt (which may record no event at all, so the history limit alone cannot stop it).
    pub(crate) fn count_step(&mut self) -> Result<(), Stop> {
        self.steps += 1;
        if self.steps > self.opts.max_steps {
            return Err(Stop::Halt(Failure::new(
                LIMIT_ERROR,
                format!(
                    "The execution was stopped after {} steps (statebridge's step budget: states entered and retry attempts).",
                    self.opts.max_steps
                ),
            )));
        }
        Ok(())
    }

    /// Appends an event, whatever the limit (the execution's final event).
    pub(crate) fn emit_final(
        &mut self,
        th: &mut Thread,
        ty: EventKind,
        details: Option<Value>,
    ) -> u64 {
        let details = match details {
            Some(d) => Details::value(d),
            None => Details::none(),
        };
        self.push_event(th, ty, details)
    }

    pub(crate) fn push_event(&mut self, th: &mut Thread, ty: EventKind, details: Details) -> u64 {
        if let Some(report) = &self.opts.on_progress {
            let p = &mut self.progress;
            p.events += 1;
            if matches!(
                ty,
                EventKind::MapIterationSucceeded
                    | EventKind::MapIterationFailed
                    | EventKind::MapIterationAborted
            ) {
                p.iterations += 1;
            }
            if p.events.is_multiple_of(super::PROGRESS_EVERY) {
                (report.0)(*p);
            }
        }
        if let Some(count) = &mut th.detached {
            // A child execution's event: counted, not recorded here.
            *count += 1;
            th.prev = *count;
            return *count;
        }
        let id = self.history.len() as u64 + 1;
        let mut f = th.fiber;
        for _ in 0..self.fibers.len() {
            let Some(rec) = self.fibers.get_mut(f as usize) else {
                break;
            };
            rec.last_id = id;
            rec.last_time = self.clock;
            if f == 0 {
                break;
            }
            f = rec.parent;
        }
        self.history.push(HistoryEvent {
            id,
            previous_event_id: th.prev,
            // Kept as a number, formatted when the event is serialised or read.
            millis: self.clock,
            event_type: ty,
            details,
            unmocked: false,
        });
        th.prev = id;
        id
    }

    /// Appends an event with its details as fields (made into an object only when read);
    /// fails the execution when the history limit is reached.
    pub(crate) fn emit_fields(
        &mut self,
        th: &mut Thread,
        ty: impl Into<Option<EventKind>>,
        fields: impl Into<Fields>,
    ) -> Result<u64, Stop> {
        let ty = known(ty.into())?;
        self.check_history_limit(th)?;
        let details = Details::fields(fields.into());
        Ok(self.push_event(th, ty, details))
    }

    fn check_history_limit(&self, th: &Thread) -> Result<(), Stop> {
        let recorded = match th.detached {
            Some(count) => count as usize,
            None => self.history.len(),
        };
        if recorded + 1 >= self.opts.max_history_events {
            return Err(Stop::Halt(Failure::new(
                "States.Runtime",
                format!(
                    "The execution reached the limit of {} history events.",
                    self.opts.max_history_events
                ),
            )));
        }
        Ok(())
    }

    /// Appends an event; fails the execution when the history limit is reached.
    pub(crate) fn emit(
        &mut self,
        th: &mut Thread,
        ty: impl Into<Option<EventKind>>,
        details: Option<Value>,
    ) -> Result<u64, Stop> {
        let ty = known(ty.into())?;
        self.check_history_limit(th)?;
        Ok(self.emit_final(th, ty, details))
    }

    /// The task token of a state run's attempt (`$$.Task.Token`, and what a callback names):
    /// deterministic, so the same run gives the same tokens, and distinct for every attempt.
    pub(crate) fn task_token(&self, entered_id: u64, retry_count: u64, th: &Thread) -> String {
        let line = match th.detached {
            Some(_) => u64::from(th.fiber) << 32,
            None => 0,
        };
        format!(
            "{:016x}{:016x}",
            self.opts.seed ^ 0x5fb1_d3e7,
            entered_id ^ (retry_count << 48) ^ line
        )
    }

    /// The context object (`$$`) for a state, with the members in `parts` (see [`ctx_parts`]).
    pub(crate) fn context(
        &self,
        state: &State,
        (entered, entered_id): (Millis, u64),
        retry_count: u64,
        th: &Thread,
        parts: u8,
    ) -> Value {
        if let Some(c) = self.test.as_ref().and_then(|t| t.context.clone()) {
            return c;
        }
        if !self.reads_context || parts == 0 {
            // Nothing can read it: skip cloning the execution input and formatting times.
            return Value::Null;
        }
        let mut obj = Map::new();
        if parts & ctx_parts::EXECUTION != 0 {
            obj.insert("Execution".into(), json!({
                "Id": self.opts.execution_arn(),
                "Input": if self.reads_execution_input { self.execution_input.clone() } else { Value::Null },
                "Name": self.opts.name,
                "RoleArn": format!("arn:aws:iam::{}:role/StatesExecutionRole", self.opts.account),
                "StartTime": format_millis(self.start),
                "RedriveCount": self.redrive_count,
            }));
            if let Some(t) = self.redrive_time
                && let Some(Value::Object(e)) = obj.get_mut("Execution")
            {
                e.insert("RedriveTime".into(), json!(format_millis(t)));
            }
        }
        if parts & ctx_parts::STATE_MACHINE != 0 {
            obj.insert(
                "StateMachine".into(),
                json!({"Id": self.opts.state_machine_arn(), "Name": self.opts.state_machine_name}),
            );
        }
        if parts & ctx_parts::STATE != 0 {
            obj.insert(
                "State".into(),
                json!({"EnteredTime": format_millis(entered), "Name": state.name, "RetryCount": retry_count}),
            );
        }
        let mut ctx = Value::Object(obj);
        if let Some(obj) = ctx.as_object_mut() {
            if let Some(m) = th.map.as_ref().filter(|_| parts & ctx_parts::MAP != 0) {
                obj.insert("Map".into(), m.clone());
            }
            if parts & ctx_parts::TASK != 0
                && let Kind::Task(t) = &state.kind
                && matches!(t.kind, ResourceKind::Service { waits: true, .. })
            {
                let token = self.task_token(entered_id, retry_count, th);
                obj.insert("Task".into(), json!({"Token": token}));
            }
        }
        ctx
    }

    /// Starts a state: its Entered event, its state run, its context.
    fn enter_state<'s>(
        &mut self,
        state: &'s State,
        input: Flow<'o>,
        th: &mut Thread,
    ) -> Result<super::finish::Cx<'s, 'o>, Stop> {
        let ty = state.kind.type_name();
        // The input's text, when the state before made it (its output) — else made here.
        let input_text = self
            .carry_text
            .take()
            .map_or_else(|| self.payload(&input), Ok)?;
        // The name, shared by the Entered and Exited events.
        let name = shared(&state.name);
        let entered = self.emit_fields(
            th,
            joined(ty, "StateEntered"),
            [
                ("name", Field::Str(name)),
                ("input", Field::Payload(input_text.clone())),
            ],
        )?;
        let run_index = if self.opts.inspect && th.detached.is_none() {
            self.runs.push(StateRun {
                name: state.name.clone(),
                state_type: ty.to_owned(),
                entered_event_id: entered,
                last_event_id: entered,
                status: RunStatus::Running,
                next_state: None,
                output: None,
                inspection: Inspection {
                    input: Some(Payload(input_text.clone())),
                    ..Inspection::default()
                },
            });
            self.runs.len() - 1
        } else {
            usize::MAX
        };
        if th.detached.is_none()
            && let Some(log) = &mut self.redrive
        {
            log.points.insert(
                entered,
                super::redrive::Point {
                    state: state.name.clone(),
                    entered,
                    entered_at: self.clock,
                    input: Value::clone(&input),
                    input_text: input_text.clone(),
                    vars: th.vars.clone(),
                    map: th.map.clone(),
                    scope: th.scope,
                },
            );
        }
        if matches!(ty, "Task" | "Wait" | "Map" | "Parallel") && th.detached.is_none() {
            self.open.push(OpenState {
                fiber: th.fiber,
                ty,
                entered,
                run: run_index,
            });
        }
        Ok(super::finish::Cx {
            state,
            entered,
            entered_at: self.clock,
            input,
            input_text,
            run_index,
            retry_count: 0,
            kept_input: Default::default(),
        })
    }

    /// Takes up again a state that a redrive resumes: no new Entered event (what it records
    /// next follows the one it had), the input and variables it was entered with, its retry
    /// count back at 0; its state run is the one it had.
    fn reenter_state<'s>(
        &mut self,
        state: &'s State,
        point: super::redrive::Point,
        th: &mut Thread,
    ) -> super::finish::Cx<'s, 'o> {
        let ty = state.kind.type_name();
        let entered = point.entered;
        th.prev = entered;
        th.vars = point.vars;
        th.vars_text = None;
        th.map = point.map;
        if let Some(f) = self.fibers.get_mut(th.fiber as usize) {
            f.last_id = entered;
        }
        let run_index = match self
            .runs
            .binary_search_by_key(&entered, |r| r.entered_event_id)
        {
            Ok(i) => {
                if let Some(run) = self.runs.get_mut(i) {
                    run.status = RunStatus::Running;
                    run.output = None;
                    run.next_state = None;
                    run.inspection.error_details = None;
                }
                i
            }
            Err(_) => usize::MAX,
        };
        if matches!(ty, "Task" | "Wait" | "Map" | "Parallel") && th.detached.is_none() {
            self.open.push(OpenState {
                fiber: th.fiber,
                ty,
                entered,
                run: run_index,
            });
        }
        super::finish::Cx {
            state,
            entered,
            entered_at: point.entered_at,
            input: Cow::Owned(point.input),
            input_text: point.input_text,
            run_index,
            retry_count: 0,
            kept_input: Default::default(),
        }
    }

    /// One redrive of an execution that ended unsuccessfully: `ExecutionRedriven`, then the
    /// unsuccessful states run again (see `redrive.rs`).
    fn redrive_attempt(
        mut self,
        machine: &StateMachine,
        input: &'o Value,
        th: &mut Thread,
    ) -> (Self, Result<Value, Stop>) {
        self.redrive_count += 1;
        self.redrive_time = Some(self.clock);
        self.timed_out = false;
        self.paused = false;
        self.pending.clear();
        self.open.clear();
        self.end_text = None;
        self.carry_text = None;
        // The machine's own TimeoutSeconds counts again from the redrive.
        self.deadline = deadline(machine, self.clock, self.opts.express);
        let count = self.redrive_count;
        self.emit_final(
            th,
            EventKind::ExecutionRedriven,
            Some(json!({"redriveCount": count})),
        );
        let point = self.redrive.as_mut().and_then(|l| l.plan_redrive());
        let rt = RefCell::new(self);
        let r = drive(&rt, async {
            match point {
                Some(p) => resume_machine(&rt, machine, p, th).await,
                None => run_machine(&rt, machine, Cow::Borrowed(input), None, th).await,
            }
        })
        .map(Cow::into_owned);
        (rt.into_inner(), r)
    }

    /// Ends a state after its work: Catch, its Exited event, its state run, the next state.
    fn leave_state<'s>(
        &mut self,
        cx: &mut super::finish::Cx<'s, 'o>,
        result: Result<super::finish::Done<'s, 'o>, Stop>,
        th: &mut Thread,
    ) -> Result<(Flow<'o>, Option<&'s str>), Stop> {
        let state = cx.state;
        let ty = state.kind.type_name();
        let run_index = cx.run_index;
        // A Task's raw result text (its Succeeded event's) or a Parallel's (its branches' output
        // texts), for its output when that is the result unchanged (no ResultSelector,
        // ResultPath or OutputPath).
        let result_text = self.result_text.take().filter(|_| {
            matches!(state.kind, Kind::Task(_) | Kind::Parallel(_))
                && state.query_language == QueryLanguage::JsonPath
                && state.result_selector.is_none()
                && state.result_path == PathField::Default
                && state.output_path == PathField::Default
        });
        let last = self.fiber(th.fiber).last_id;
        let done = match result {
            Ok(done) => Ok(done),
            Err(Stop::Fail(f)) => self.catch(cx, f, th),
            Err(halt) => Err(halt),
        };
        let run = self.runs.get_mut(run_index);
        match done {
            Ok(done) => {
                let output = done.output;
                let output_text = match result_text {
                    Some(t) if done.status == RunStatus::Succeeded => t,
                    _ => self.payload(&output)?,
                };
                if output_text.len() > self.opts.max_payload_bytes {
                    return Err(Stop::Fail(Failure::new(
                        "States.DataLimitExceeded",
                        format!(
                            "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                            state.name
                        ),
                    )));
                }
                let mut details = Fields::from([
                    ("name", Field::Str(shared(&state.name))),
                    ("output", Field::Payload(output_text.clone())),
                ]);
                if let Some(assigned) = &done.assigned {
                    let texts: Map<String, Value> = assigned
                        .iter()
                        .map(|(k, v)| (k.clone(), json!(text(v))))
                        .collect();
                    details.push(
                        "assignedVariables",
                        Field::Json(Box::new(Value::Object(texts))),
                    );
                    details.push(
                        "assignedVariablesDetails",
                        Field::Json(Box::new(not_truncated())),
                    );
                }
                if let Some(assigned) = done.assigned {
                    th.vars.extend(assigned);
                    th.vars_text = None;
                }
                if done.emit_exit {
                    self.emit_fields(th, joined(ty, "StateExited"), details)?;
                }
                self.close_open(cx.entered);
                if let Some(log) = &mut self.redrive {
                    log.points.remove(&cx.entered);
                }
                if self.opts.inspect {
                    // The variables' text is made again only after an Assign changed them.
                    let vars = match &th.vars_text {
                        Some(t) => t.clone(),
                        None => {
                            let t = self.texts.of(&th.vars);
                            th.vars_text = Some(t.clone());
                            t
                        }
                    };
                    if let Some(run) = self.runs.get_mut(run_index) {
                        run.last_event_id = th.prev;
                        run.status = done.status;
                        run.next_state = done.next.map(str::to_owned);
                        run.output = Some(Payload(output_text.clone()));
                        run.inspection.variables = Some(Payload(vars));
                    }
                }
                // The next state's input is this output: hand its text on.
                if done.next.is_some() {
                    self.carry_text = Some(output_text);
                } else {
                    self.end_text = Some(output_text);
                }
                Ok((output, done.next))
            }
            Err(e) => {
                if let Some(run) = run {
                    run.last_event_id = last;
                    run.status = RunStatus::Failed;
                    let (Stop::Fail(f) | Stop::Halt(f)) = &e;
                    run.inspection.error_details =
                        Some(json!({"error": f.error, "cause": f.cause}));
                }
                Err(e)
            }
        }
    }
}

/// Runs states from `StartAt` until one ends the machine.
pub(crate) async fn run_machine<'o>(
    rt: Rt<'_, 'o>,
    sm: &StateMachine,
    input: Flow<'o>,
    input_text: Option<Text>,
    th: &mut Thread,
) -> Result<Flow<'o>, Stop> {
    run_from(rt, sm, &sm.start_at, input, input_text, th).await
}

/// Runs states from `first` until one ends the machine.
async fn run_from<'o>(
    rt: Rt<'_, 'o>,
    sm: &StateMachine,
    first: &str,
    input: Flow<'o>,
    input_text: Option<Text>,
    th: &mut Thread,
) -> Result<Flow<'o>, Stop> {
    let mut name: &str = first;
    let mut input = input;
    // The input's text, when the caller has it (the execution's input, a Parallel's input
    // handed to its branches unchanged): the first state's Entered event takes it, as the
    // next states take their predecessor's output text.
    let mut input_text = input_text;
    loop {
        let Some(state) = sm.state(name) else {
            return Err(Stop::Halt(Failure::new(
                "States.Runtime",
                format!("The state '{name}' does not exist."),
            )));
        };
        rt.borrow_mut().count_step()?;
        if let Some(t) = input_text.take() {
            rt.borrow_mut().carry_text = Some(t);
        }
        let (output, next) = run_state(rt, state, input, th).await?;
        match next {
            Some(n) => {
                name = n;
                input = output;
            }
            None => return Ok(output),
        }
    }
}

/// A line of execution that a redrive resumes at `point` (a state entered and never left):
/// that state runs again, then the line goes on as usual.
pub(crate) async fn resume_machine<'o>(
    rt: Rt<'_, 'o>,
    sm: &StateMachine,
    point: super::redrive::Point,
    th: &mut Thread,
) -> Result<Flow<'o>, Stop> {
    let Some(state) = sm.state(&point.state) else {
        return Err(Stop::Halt(Failure::new(
            "States.Runtime",
            format!("The state '{}' does not exist.", point.state),
        )));
    };
    rt.borrow_mut().count_step()?;
    let cx = rt.borrow_mut().reenter_state(state, point, th);
    let (output, next) = state_work(rt, cx, th).await?;
    match next {
        Some(n) => run_from(rt, sm, n, output, None, th).await,
        None => Ok(output),
    }
}

/// Runs one state: entered event, the type's work, data flow, Retry/Catch, exited event.
pub(crate) async fn run_state<'s, 'o>(
    rt: Rt<'_, 'o>,
    state: &'s State,
    input: Flow<'o>,
    th: &mut Thread,
) -> Result<(Flow<'o>, Option<&'s str>), Stop> {
    let cx = rt.borrow_mut().enter_state(state, input, th)?;
    state_work(rt, cx, th).await
}

/// A state once entered: the type's work, data flow, Retry/Catch, exited event.
async fn state_work<'s, 'o>(
    rt: Rt<'_, 'o>,
    mut cx: super::finish::Cx<'s, 'o>,
    th: &mut Thread,
) -> Result<(Flow<'o>, Option<&'s str>), Stop> {
    let state = cx.state;
    let result = match &state.kind {
        Kind::Pass => rt.borrow_mut().pass(&mut cx, th),
        Kind::Succeed => rt.borrow_mut().succeed(&mut cx, th),
        Kind::Fail(spec) => rt.borrow_mut().fail(&mut cx, spec, th),
        Kind::Choice(spec) => rt.borrow_mut().choice(&mut cx, spec, th),
        Kind::Wait(spec) => wait(rt, &mut cx, spec, th).await,
        Kind::Task(_) | Kind::Parallel(_) | Kind::Map(_) => {
            super::finish::with_retry(rt, &mut cx, th).await
        }
        // Never in a machine that validates.
        Kind::Unknown(_) => Err(Stop::Halt(Failure::new(
            "States.Runtime",
            format!("The state '{}' has no known Type.", state.name),
        ))),
    };
    rt.borrow_mut().leave_state(&mut cx, result, th)
}

/// A Wait state: it sleeps on the virtual clock; `WaitStateExited` starts a step.
async fn wait<'s, 'o>(
    rt: Rt<'_, 'o>,
    cx: &mut super::finish::Cx<'s, 'o>,
    spec: &WaitSpec,
    th: &mut Thread,
) -> Result<super::finish::Done<'s, 'o>, Stop> {
    let (until, effective) = rt.borrow_mut().wait_until(cx, spec, th)?;
    sleep_until(rt, until).await?;
    let done = rt.borrow_mut().wait_done(cx, th, effective)?;
    if done.emit_exit {
        step(rt).await;
    }
    Ok(done)
}

impl TestHooks {
    /// The mock as a task response.
    pub(crate) fn mock_response(&self) -> Option<super::super::mocks::MockResponse> {
        use super::super::mocks::MockResponse;
        if let Some(f) = &self.error {
            return Some(MockResponse::Throw {
                error: f.error.clone(),
                cause: f.cause.clone(),
                duration: None,
            });
        }
        self.result.clone().map(|value| MockResponse::Return {
            value,
            duration: None,
        })
    }
}
