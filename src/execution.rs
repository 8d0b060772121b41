//! Running the state machine: picks the input the rules deliver, asks the engine for the whole
//! history, and prepares it for replay.

use crate::evaluate::{Diag, Pane, RulesView, pretty, read_mocks, read_s3};
use crate::replay::Replay;
use crate::workspace::Workspace;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use statebridge_engine::asl::callbacks::{Callbacks, Paused, Unanswered};
use statebridge_engine::asl::exec::{OnProgress, StateRun};
use statebridge_engine::asl::{Execution, ExecutionOptions, StateMachine};

/// How the execution ended (from the engine's result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// `SUCCEEDED`, `FAILED`, `TIMED_OUT`, …
    pub status: String,
    /// The output, pretty JSON, when it succeeded.
    pub output: Option<String>,
    /// The error name, when it failed.
    pub error: Option<String>,
    /// The cause, when it failed.
    pub cause: Option<String>,
}

/// One run, ready to replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunView {
    /// Where the input came from, in words ("rule OrderCreated, target 1").
    pub input_from: String,
    /// The execution input, pretty JSON.
    pub input: String,
    /// The history events as AWS shapes them.
    pub history: Vec<Value>,
    /// The history read for replay.
    pub replay: Replay,
    /// How it ended, or why there is no run.
    pub outcome: Pane<Outcome>,
    /// Problems found in the definition, input or mocks when starting.
    pub diags: Vec<Diag>,
    /// Every state run with the engine's data-flow steps (TestState's inspection data).
    pub runs: Vec<StateRun>,
    /// The workspace the run was made from (none for a system run's execution): an edit since
    /// makes the run out of date ([`RunView::stale_for`]).
    pub made_from: Option<Workspace>,
    /// Where the run paused, waiting for callbacks (status `RUNNING`).
    pub paused: Option<Paused>,
    /// How many times it was redriven.
    pub redrive_count: u64,
    /// Whether AWS would redrive it as it ended (`Err`: why not, in AWS's words).
    pub redrivable: Result<(), String>,
    /// An Express workflow's CloudWatch Logs events (it has no execution history API).
    pub logs: Option<Vec<Value>>,
    /// The S3 objects the run's `ResultWriter`s wrote: (bucket, key, text).
    pub written: Vec<(String, String, String)>,
}

// A run is compared often (every pane's props, the memos keyed on the run shown) and is large
// (a Map of 2,000 items is 8,000 history events): `Eq` lets `Rc<RunView>`'s comparison answer
// from the pointer when it is the same run, instead of walking both. (`Paused::at_seconds` is a
// number of seconds, never NaN.)
impl Eq for RunView {}

impl RunView {
    /// What changed in `ws` since this run was made, in words, or `None` while it still
    /// describes `ws` (the same machine, event, rules and mocks).
    pub fn stale_for(&self, ws: &Workspace) -> Option<&'static str> {
        let was = self.made_from.as_ref()?;
        if was.machine_name() != ws.machine_name() || was.machine() != ws.machine() {
            Some("the state machine")
        } else if was.event != ws.event {
            Some("the event")
        } else if was.rules != ws.rules {
            Some("the rules")
        } else if was.mocks != ws.mocks {
            Some("the mocks")
        } else if was.s3 != ws.s3 {
            Some("the S3 objects")
        } else {
            None
        }
    }
}

/// The input the machine receives: the first matched rule's target that starts it, else the event.
fn pick_input(ws: &Workspace, rules: &RulesView) -> (String, String) {
    if let Pane::Ready(outcomes) = &rules.outcomes {
        for rule in outcomes.iter().filter(|r| r.matched) {
            for t in rule.targets.iter().filter(|t| t.starts_machine) {
                if let Ok(input) = &t.input {
                    return (
                        format!("rule {}, target {}", rule.name, t.id),
                        input.clone(),
                    );
                }
            }
        }
    }
    (
        "the event itself (no matched rule targets this state machine)".into(),
        ws.event.to_string(),
    )
}

/// A run of `ws` with no history yet (its outcome says why).
pub fn not_run(ws: &Workspace) -> RunView {
    RunView {
        input_from: String::new(),
        input: String::new(),
        history: vec![],
        replay: Replay::default(),
        outcome: Pane::Unavailable(String::new()),
        diags: vec![],
        runs: vec![],
        made_from: Some(ws.clone()),
        paused: None,
        redrive_count: 0,
        redrivable: Err(String::new()),
        logs: None,
        written: vec![],
    }
}

/// Runs the workspace's machine with its mocks on the input its rules deliver; a task token
/// that `callbacks` (the user's answers so far) does not answer pauses it; an unsuccessful end
/// is redriven up to `redrives` times.
#[cfg(test)]
pub fn run(ws: &Workspace, rules: &RulesView, callbacks: &[Value], redrives: u32) -> RunView {
    run_with(ws, rules, callbacks, redrives, None)
}

/// [`run`], telling `on_progress` how far it has come now and then (the worker's progress).
pub fn run_with(
    ws: &Workspace,
    rules: &RulesView,
    callbacks: &[Value],
    redrives: u32,
    on_progress: Option<OnProgress>,
) -> RunView {
    let (input_from, input) = pick_input(ws, rules);
    let mut view = RunView {
        input_from,
        input: input.clone(),
        ..not_run(ws)
    };
    let entry = crate::evaluate::machine_entry(ws.machine());
    let express = entry.as_ref().is_some_and(|m| m.express);
    let parsed = match entry {
        Some(m) => StateMachine::from_value(&m.latest)
            .map_err(|_| ())
            .and_then(|sm| {
                let refused = statebridge_engine::asl::express::problems(&sm);
                if express && !refused.is_empty() {
                    Err(())
                } else {
                    Ok(sm)
                }
            }),
        None => ws.machine().parse::<StateMachine>().map_err(|_| ()),
    };
    let machine = match parsed {
        Ok(m) => m,
        Err(_) => {
            view.outcome = Pane::Unavailable(
                "The state machine has problems (see Diagnostics); fix them to run it.".into(),
            );
            return view;
        }
    };
    let mocks = match read_mocks(&ws.mocks) {
        Ok(m) => m,
        Err(d) => {
            view.diags.push(d);
            view.outcome = Pane::Unavailable(
                "The mocks have a problem (see Diagnostics); fix it to run.".into(),
            );
            return view;
        }
    };
    let s3 = match read_s3(&ws.s3) {
        Ok(s) => s,
        Err(d) => {
            view.diags.push(d);
            view.outcome = Pane::Unavailable(
                "The S3 objects have a problem (see Diagnostics); fix it to run.".into(),
            );
            return view;
        }
    };
    let input_value = match serde_json::from_str::<Value>(&input) {
        Ok(v) => v,
        Err(e) => {
            view.outcome = Pane::Unavailable(format!(
                "The execution input is not JSON ({e}); fix the event or the target's input."
            ));
            return view;
        }
    };
    let mut options = ExecutionOptions {
        mocks,
        s3,
        // The inspector shows what each JSONata expression evaluated to.
        trace_expressions: true,
        redrives,
        express,
        on_progress,
        ..ExecutionOptions::default()
    };
    // The answers were made by the callback buttons, from the engine's own list: they read.
    if let Ok(mut c) = Callbacks::from_value(&Value::Array(callbacks.to_vec())) {
        c.unanswered = Unanswered::Pause;
        options.callbacks = c;
    }
    if !ws.machine_name().is_empty() {
        options.state_machine_name = ws.machine_name().to_owned();
    }
    // The execution starts when the event happened, so `$$.Execution.StartTime` and Wait
    // timestamps read naturally against the event.
    if let Some(time) = serde_json::from_str::<Value>(&ws.event)
        .ok()
        .and_then(|e| e.get("time")?.as_str().map(str::to_owned))
        && crate::replay::timestamp_millis(&Value::String(time.clone())).is_some()
    {
        options.start_time = time;
    }
    let mut exec = Execution::new(&machine, input_value, options);
    let outcome = exec.run_to_end();
    view.history = exec
        .history()
        .iter()
        .filter_map(|e| serde_json::to_value(e).ok())
        .collect();
    view.replay = Replay::new(&view.history);
    view.runs = exec.state_runs().into_iter().cloned().collect();
    view.paused = exec.paused().cloned();
    view.redrive_count = exec.redrives().count;
    view.redrivable = exec.redrivable().map_err(|e| e.message);
    if express {
        let arn = exec.options().execution_arn();
        view.logs = Some(statebridge_engine::asl::express::log_events(
            exec.history(),
            &arn,
        ));
    }
    view.written = exec
        .s3_written()
        .iter()
        .map(|(b, k, t)| (b.to_owned(), k.to_owned(), t.to_owned()))
        .collect();
    view.outcome = Pane::Ready(Outcome {
        status: serde_json::to_value(outcome.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        output: outcome.output.as_ref().map(pretty),
        error: outcome.error,
        cause: outcome.cause,
    });
    view
}
