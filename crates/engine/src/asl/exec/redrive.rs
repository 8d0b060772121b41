//! Redrive (`RedriveExecution`): an execution that ended FAILED, TIMED_OUT or ABORTED goes on
//! from its unsuccessful step, with the same input and the same history.
//!
//! What AWS documents, and how it is done here:
//! - The states that succeeded are not run again. Every line of execution (the top level, a
//!   Parallel branch, a Map iteration) resumes at the state it was in when the execution ended:
//!   a state entered and never exited. Its new attempt follows its original `…StateEntered`
//!   event (no second Entered event: AWS "reschedules and reruns" the state), with the input
//!   and variables it was entered with, its retry count back at 0.
//! - Inside a Parallel only the branches that failed or were aborted run again, inside an
//!   inline Map only those iterations (each from its own unsuccessful state; an iteration that
//!   had not started starts); the others keep their outputs. A Parallel or Map that resumes
//!   records no second `…StateStarted`; a distributed Map records `MapRunRedriven`, and its
//!   unsuccessful child executions run again from their start.
//! - `ExecutionRedriven` (with `redriveCount`) follows the closing event; the machine's
//!   `TimeoutSeconds` counts again from the redrive; `$$.Execution.RedriveCount` counts the
//!   redrives and `$$.Execution.RedriveTime` says when the last one was.
//! - Mocks keep counting their invocations across a redrive (it is the same execution), so
//!   `{"0": {"Throw": …}, "1": {"Return": …}}` fails the first attempt and answers the redrive.
//!
//! While an execution may be redriven ([`super::ExecutionOptions::redrives`]), the interpreter
//! keeps, for every state entered and not yet left, what it was entered with ([`Point`]), and
//! for every Parallel branch and Map iteration that succeeded, its output. That costs a copy of
//! each state's input and variables, so it is done only when a redrive is asked for.

use super::super::history::Text;
use super::super::time::Millis;
use crate::fasthash::FastMap;
use serde_json::{Map, Value};

/// AWS's hard limit on the redrives of one execution.
pub const MAX_REDRIVES: u64 = 1000;

/// A history this long cannot be redriven: AWS needs room for `ExecutionRedriven` and at least
/// one more event within its 25,000.
pub const MAX_REDRIVABLE_EVENTS: usize = 24_999;

/// Which line of execution a state runs in: `None` for the top level, else the
/// `…StateStarted` event of the Parallel or Map attempt and the branch's or iteration's index.
pub(crate) type Scope = Option<(u64, usize)>;

/// A state entered and not (yet) left: what a redrive resumes it with.
#[derive(Debug, Clone)]
pub(crate) struct Point {
    /// The state's name.
    pub(crate) state: String,
    /// Its `…StateEntered` event.
    pub(crate) entered: u64,
    /// When it was entered (`$$.State.EnteredTime`).
    pub(crate) entered_at: Millis,
    /// Its input, and that input's text.
    pub(crate) input: Value,
    pub(crate) input_text: Text,
    /// The variables in scope when it was entered.
    pub(crate) vars: Map<String, Value>,
    /// `$$.Map` in a Map iteration.
    pub(crate) map: Option<Value>,
    /// The line it runs in.
    pub(crate) scope: Scope,
}

/// What one branch or iteration does when its Parallel or Map resumes.
#[derive(Debug, Clone)]
pub(crate) enum ChildPlan {
    /// It succeeded: its output stands.
    Done(Value),
    /// It stopped in this state: it goes on from there.
    Resume(Box<Point>),
    /// It never entered a state (not started, or a distributed Map's child): it starts over.
    Fresh,
}

/// A Parallel or Map attempt that a redrive resumes: its `…StateStarted` event and its children.
#[derive(Debug, Clone)]
pub(crate) struct Resumed {
    pub(crate) started: u64,
    pub(crate) children: Vec<ChildPlan>,
}

/// What the interpreter keeps for a redrive (see the module doc).
#[derive(Debug, Default)]
pub(crate) struct RedriveLog {
    /// States entered and not left, by their Entered event.
    pub(crate) points: FastMap<u64, Point>,
    /// A Parallel's or Map's last attempt, by the state's Entered event: its `…StateStarted`
    /// event and how many children it has.
    pub(crate) started: FastMap<u64, (u64, usize)>,
    /// Children that succeeded, by (`…StateStarted` event, index).
    pub(crate) done: FastMap<(u64, usize), Value>,
    /// The plan of the redrive under way: Parallel/Map Entered event → what its children do.
    pub(crate) plan: FastMap<u64, Resumed>,
}

impl RedriveLog {
    /// Plans a redrive: the top level's unsuccessful state (`None` when no state was entered:
    /// the machine starts over), with every Parallel and Map on the way planned in
    /// [`RedriveLog::plan`].
    pub(crate) fn plan_redrive(&mut self) -> Option<Point> {
        self.plan.clear();
        // The last state entered on each line (a line runs one state at a time, and a state
        // that failed ended its line).
        let mut last: FastMap<Scope, u64> = FastMap::default();
        for p in self.points.values() {
            let e = last.entry(p.scope).or_insert(p.entered);
            *e = (*e).max(p.entered);
        }
        let top = self.line(&last, None)?;
        Some(top)
    }

    /// The point a line resumes at, its Parallel's or Map's children planned.
    fn line(&mut self, last: &FastMap<Scope, u64>, scope: Scope) -> Option<Point> {
        let entered = *last.get(&scope)?;
        let point = self.points.get(&entered)?.clone();
        if let Some(&(started, n)) = self.started.get(&entered) {
            let children = (0..n)
                .map(|i| match self.done.get(&(started, i)) {
                    Some(v) => ChildPlan::Done(v.clone()),
                    None => match self.line(last, Some((started, i))) {
                        Some(p) => ChildPlan::Resume(Box::new(p)),
                        None => ChildPlan::Fresh,
                    },
                })
                .collect();
            self.plan.insert(entered, Resumed { started, children });
        }
        Some(point)
    }
}

/// Why AWS refuses a redrive (`RedriveExecution`'s error).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NotRedrivable {
    /// AWS's error code: `ExecutionNotRedrivable`, or `InvalidArn` for an Express execution.
    pub error: String,
    /// The reason, as `DescribeExecution`'s `redriveStatusReason` words it.
    pub message: String,
}

impl std::fmt::Display for NotRedrivable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.error, self.message)
    }
}

impl std::error::Error for NotRedrivable {}

impl NotRedrivable {
    fn new(error: &str, message: impl Into<String>) -> NotRedrivable {
        NotRedrivable {
            error: error.to_owned(),
            message: message.into(),
        }
    }

    /// Whether an execution that ended with `status`, after `redrives` redrives, with
    /// `events` history events, `open_ms` after its start, may be redriven; `None` when it may.
    pub(crate) fn check(
        express: bool,
        status: super::Status,
        redrives: u64,
        events: usize,
        open_ms: Millis,
    ) -> Option<NotRedrivable> {
        use super::Status;
        const NOT: &str = "ExecutionNotRedrivable";
        if express {
            // RedriveExecution is not supported by EXPRESS state machines; their execution
            // ARNs are of the `express` type, which AWS refuses in this context.
            return Some(Self::new(
                "InvalidArn",
                "Invalid Arn: 'Resource type not valid in this context: express'",
            ));
        }
        match status {
            Status::Succeeded => {
                return Some(Self::new(
                    NOT,
                    "Execution is SUCCEEDED and cannot be redriven.",
                ));
            }
            Status::Running => {
                return Some(Self::new(
                    NOT,
                    "Execution is RUNNING and cannot be redriven.",
                ));
            }
            _ => {}
        }
        if redrives >= MAX_REDRIVES {
            // AWS's limit; the wording is statebridge's (no recorded message).
            return Some(Self::new(
                NOT,
                format!("Execution has been redriven {MAX_REDRIVES} times, the maximum."),
            ));
        }
        if events >= MAX_REDRIVABLE_EVENTS {
            return Some(Self::new(NOT, "Execution history event limit exceeded."));
        }
        let year = i64::try_from(super::MAX_EXECUTION_SECONDS)
            .unwrap_or(i64::MAX)
            .saturating_mul(1000);
        if open_ms >= year {
            return Some(Self::new(
                NOT,
                "Execution has exceeded the max execution time.",
            ));
        }
        None
    }
}

/// An execution's redrives: how many, how each attempt before the last ended, and why a
/// redrive asked for was refused.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Redrives {
    /// How many times it was redriven (`redriveCount`).
    pub count: u64,
    /// How each attempt before the last one ended, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<super::Outcome>,
    /// Why the next redrive asked for was refused, as AWS refuses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<NotRedrivable>,
}

impl super::interp::Interp<'_> {
    /// The plan of a Parallel or Map (its Entered event) that the redrive under way resumes;
    /// otherwise its attempt starts afresh, and what an earlier attempt left is forgotten.
    pub(crate) fn take_resumed(&mut self, entered: u64) -> Option<Resumed> {
        let log = self.redrive.as_mut()?;
        let resumed = log.plan.remove(&entered);
        if resumed.is_none() {
            log.started.remove(&entered);
        }
        resumed
    }

    /// A Parallel's or Map's attempt started (event `started`) with `children` children.
    pub(crate) fn note_started(&mut self, entered: u64, started: u64, children: usize) {
        if let Some(log) = &mut self.redrive {
            log.started.insert(entered, (started, children));
        }
    }

    /// A branch or iteration succeeded with `output`.
    pub(crate) fn child_done(&mut self, scope: Scope, output: &Value) {
        if let (Some(log), Some(key)) = (&mut self.redrive, scope) {
            log.done.insert(key, output.clone());
        }
    }
}
