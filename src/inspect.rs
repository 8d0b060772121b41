//! What the inspector shows for one state at the chosen moment, read from the history prefix:
//! each run's input and output, each attempt's parameters, result or error, the backoff before a
//! retry, and the error a Catch handled. Pure, tested natively.

use crate::replay::{Replay, details};
use serde_json::Value;
use statebridge_engine::asl::exec::{Inspection, Payload};
use std::collections::HashMap;

/// One attempt of a state's work (a retry makes another).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Attempt {
    /// Index of the event that scheduled it.
    pub at: usize,
    /// What the task was called with.
    pub parameters: Option<Value>,
    /// What it returned.
    pub result: Option<Value>,
    /// The error it failed with.
    pub error: Option<String>,
    /// The cause of that error.
    pub cause: Option<String>,
    /// Simulated time from its failure to the next attempt (the Retry's backoff).
    pub backoff_ms: Option<i64>,
    /// The task had no mock: it returned its input.
    pub unmocked: bool,
}

/// One run of a state (a Map iteration runs its states once per item).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StateRun {
    /// Index of its Entered event.
    pub entered_at: usize,
    /// The state's input.
    pub input: Option<Value>,
    /// The state's output, once it exited.
    pub output: Option<Value>,
    /// Variables assigned when it exited.
    pub assigned: Option<Value>,
    /// Its attempts.
    pub attempts: Vec<Attempt>,
    /// The error a Catch handled (error, cause).
    pub caught: Option<(String, String)>,
    /// Whether it has exited.
    pub exited: bool,
}

/// A payload from history details: AWS stores JSON as text; show it as JSON when it is.
fn payload(v: Option<&Value>) -> Option<Value> {
    match v? {
        Value::String(s) => {
            Some(serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())))
        }
        other => Some(other.clone()),
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
}

/// The runs of `state` among the first `count` events.
pub fn state_runs(history: &[Value], replay: &Replay, state: &str, count: usize) -> Vec<StateRun> {
    let mut runs: Vec<StateRun> = Vec::new();
    // Per run: when its last attempt failed (for the backoff before the next one).
    let mut failed: Vec<Option<i64>> = Vec::new();
    // The run each of this state's events belongs to, by event id: concurrent Map iterations
    // interleave, so an event joins the run of the event it follows (`previousEventId`).
    let mut run_of: HashMap<i64, usize> = HashMap::new();
    for (i, step) in replay.steps.iter().enumerate().take(count) {
        if step.state.as_deref() != Some(state) {
            continue;
        }
        let Some(event) = history.get(i) else { break };
        let kind = step.kind.as_str();
        let d = details(event, kind);
        let field = |k: &str| d.and_then(|d| d.get(k));
        if kind.ends_with("StateEntered") {
            run_of.insert(step.id, runs.len());
            runs.push(StateRun {
                entered_at: i,
                input: payload(field("input")),
                ..StateRun::default()
            });
            failed.push(None);
            continue;
        }
        let prev = event.get("previousEventId").and_then(Value::as_i64);
        let Some(r) = prev
            .and_then(|p| run_of.get(&p).copied())
            .or(runs.len().checked_sub(1))
        else {
            continue;
        };
        run_of.insert(step.id, r);
        let (Some(run), Some(failed_at)) = (runs.get_mut(r), failed.get_mut(r)) else {
            continue;
        };
        if kind.ends_with("Scheduled")
            || kind == "ParallelStateStarted"
            || kind == "MapStateStarted"
        {
            if let (Some(f), Some(last), Some(now)) =
                (failed_at.take(), run.attempts.last_mut(), step.millis)
            {
                last.backoff_ms = Some(now - f);
            }
            let unmocked = event
                .get("unmocked")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            run.attempts.push(Attempt {
                at: i,
                parameters: payload(field("parameters").or_else(|| field("input"))),
                unmocked,
                ..Attempt::default()
            });
        } else if kind.ends_with("StateExited") {
            run.exited = true;
            run.output = payload(field("output"));
            run.assigned = field("assignedVariables").cloned();
            if let Some(a) = run.attempts.last().filter(|a| a.error.is_some()) {
                run.caught = Some((
                    a.error.clone().unwrap_or_default(),
                    a.cause.clone().unwrap_or_default(),
                ));
            }
        } else if field("error").is_some() || field("cause").is_some() {
            if run.attempts.is_empty() {
                run.attempts.push(Attempt {
                    at: i,
                    ..Attempt::default()
                });
            }
            if let Some(a) = run.attempts.last_mut() {
                a.error = text(field("error"));
                a.cause = text(field("cause"));
            }
            *failed_at = step.millis;
        } else if kind.ends_with("Succeeded")
            && field("output").is_some()
            && let Some(a) = run.attempts.last_mut()
        {
            a.result = payload(field("output"));
            a.unmocked |= event
                .get("unmocked")
                .and_then(Value::as_bool)
                .unwrap_or(false);
        }
    }
    runs
}

/// One step of a state's data flow, as the engine computed it (TestState's `inspectionData`).
#[derive(Debug, Clone, PartialEq)]
pub struct FlowStep {
    /// What the step is, in the words of the state's field (`InputPath`, `Arguments`, …).
    pub label: &'static str,
    /// A short note on what the step did.
    pub note: &'static str,
    /// The value after the step.
    pub value: Value,
    /// Whether the step happens after the state's work (so it is known only once the state is done).
    pub after_work: bool,
}

/// The data-flow steps of one run, in order: InputPath → Parameters → result → ResultSelector →
/// ResultPath for JSONPath states, Arguments → result for JSONata states (the output is shown apart),
/// plus a Map's items and the variables after the state.
pub fn flow_steps(i: &Inspection) -> Vec<FlowStep> {
    let jsonata = i.after_arguments.is_some();
    let parts: [(&Option<Payload>, &'static str, &'static str, bool); 9] = [
        (&i.input, "Input", "the state's raw input", false),
        (
            &i.after_input_path,
            "InputPath",
            "the part of the input selected",
            false,
        ),
        (
            &i.after_parameters,
            "Parameters",
            "what the state works on",
            false,
        ),
        (
            &i.after_arguments,
            "Arguments",
            "the JSONata expression evaluated to",
            false,
        ),
        (
            &i.after_items_path,
            if jsonata { "Items" } else { "ItemsPath" },
            "the items iterated",
            false,
        ),
        (
            &i.after_item_selector,
            "ItemSelector",
            "each item as handed to an iteration",
            false,
        ),
        (&i.result, "Result", "what the work returned", true),
        (
            &i.after_result_selector,
            "ResultSelector",
            "the result reshaped",
            true,
        ),
        (
            &i.after_result_path,
            "ResultPath",
            "the result placed into the input",
            true,
        ),
    ];
    let mut out: Vec<FlowStep> = parts
        .into_iter()
        .filter_map(|(v, label, note, after_work)| {
            v.as_ref().map(|p| FlowStep {
                label,
                note,
                value: p.value(),
                after_work,
            })
        })
        .collect();
    if let Some(vars) = i
        .variables
        .as_ref()
        .map(Payload::value)
        .filter(|v| v.as_object().is_some_and(|o| !o.is_empty()))
    {
        out.push(FlowStep {
            label: "Variables",
            note: "in scope after the state (Assign applied)",
            value: vars,
            after_work: true,
        });
    }
    out
}

/// One JSONata expression a state run evaluated, as the inspector lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprRow {
    /// Where it sits in the state (`Arguments.orderId`, `Choices[1].Condition`, …).
    pub field: String,
    /// The expression's text.
    pub expression: String,
    /// What it evaluated to.
    pub value: Option<Value>,
    /// The error it raised and its message.
    pub error: Option<(String, String)>,
    /// A Choice rule's `Condition` that held: the rule the state followed.
    pub chosen: bool,
}

/// The expressions of one run evaluated by the moment `cursor` (events shown), in the order the
/// engine evaluated them, and how many more the engine did not record.
pub fn expression_rows(i: &Inspection, cursor: usize) -> (Vec<ExprRow>, u64) {
    let rows = i
        .expressions
        .iter()
        .filter(|e| usize::try_from(e.after_event_id).is_ok_and(|at| at <= cursor))
        .map(|e| ExprRow {
            field: e.field.clone(),
            expression: e.expression.clone(),
            value: e.value.clone(),
            error: e
                .error
                .clone()
                .map(|err| (err, e.cause.clone().unwrap_or_default())),
            chosen: e.field.starts_with("Choices[")
                && e.field.ends_with("].Condition")
                && e.value == Some(Value::Bool(true)),
        })
        .collect();
    (rows, i.expressions_omitted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(i: u64, kind: &str, prev: u64, key: &str, d: Value) -> Value {
        let mut e = json!({"id": i, "previousEventId": prev, "type": kind, "timestamp": format!("2024-01-01T00:00:{:02}.000Z", i)});
        if !key.is_empty() {
            e[key] = d;
        }
        e
    }

    #[test]
    fn reads_retries_backoff_and_the_caught_error() {
        let h = vec![
            at(1, "ExecutionStarted", 0, "", json!(null)),
            at(
                2,
                "TaskStateEntered",
                1,
                "stateEnteredEventDetails",
                json!({"name": "Pay", "input": "{\"n\":1}"}),
            ),
            at(
                3,
                "TaskScheduled",
                2,
                "taskScheduledEventDetails",
                json!({"parameters": "{\"n\":1}"}),
            ),
            at(
                4,
                "TaskFailed",
                3,
                "taskFailedEventDetails",
                json!({"error": "Throttled", "cause": "slow down"}),
            ),
            at(
                7,
                "TaskScheduled",
                4,
                "taskScheduledEventDetails",
                json!({"parameters": "{\"n\":1}"}),
            ),
            at(
                8,
                "TaskFailed",
                7,
                "taskFailedEventDetails",
                json!({"error": "Boom", "cause": "x"}),
            ),
            at(
                9,
                "TaskStateExited",
                8,
                "stateExitedEventDetails",
                json!({"name": "Pay", "output": "{\"e\":1}"}),
            ),
        ];
        let r = Replay::new(&h);
        let runs = state_runs(&h, &r, "Pay", h.len());
        assert_eq!(runs.len(), 1);
        let run = &runs[0];
        assert_eq!(run.input, Some(json!({"n": 1})));
        assert_eq!(run.attempts.len(), 2);
        assert_eq!(run.attempts[0].error.as_deref(), Some("Throttled"));
        assert_eq!(run.attempts[0].backoff_ms, Some(3000));
        assert_eq!(run.caught, Some(("Boom".into(), "x".into())));
        assert_eq!(run.output, Some(json!({"e": 1})));
        // Before the retry, only the first attempt is known.
        assert_eq!(state_runs(&h, &r, "Pay", 4)[0].attempts.len(), 1);
    }

    #[test]
    fn interleaved_map_iterations_keep_their_own_runs() {
        use statebridge_engine::asl::mocks::Mocks;
        use statebridge_engine::asl::{Execution, ExecutionOptions, StateMachine};
        let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "End": true,
            "ItemProcessor": {"StartAt": "Price", "States": {"Price": {"Type": "Task",
                "Resource": "arn:aws:lambda:us-east-1:123456789012:function:price", "End": true}}}}}});
        let machine = StateMachine::from_value(&def).expect("valid");
        let mocks = json!({"Price": {"0": {"Return": "a", "Duration": 2}, "1": {"Return": "b"}}});
        let options = ExecutionOptions {
            mocks: Mocks::from_value(&mocks, None).expect("mocks"),
            ..ExecutionOptions::default()
        };
        let mut exec = Execution::new(&machine, json!([1, 2]), options);
        exec.run_to_end();
        let h: Vec<Value> = exec
            .history()
            .iter()
            .map(|e| serde_json::to_value(e).expect("json"))
            .collect();
        let r = Replay::new(&h);
        let runs = state_runs(&h, &r, "Price", h.len());
        let got: Vec<_> = runs
            .iter()
            .map(|run| (run.input.clone(), run.attempts.len(), run.output.clone()))
            .collect();
        // Item 2's result comes first (item 1 takes 2 s), yet each run keeps its own.
        assert_eq!(
            got,
            [
                (Some(json!(1)), 1, Some(json!("a"))),
                (Some(json!(2)), 1, Some(json!("b")))
            ]
        );
    }

    #[test]
    fn flow_steps_follow_the_engine_in_order() {
        use statebridge_engine::asl::{Execution, ExecutionOptions, StateMachine};
        let def = json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.order",
            "Parameters": {"id.$": "$.id"}, "ResultPath": "$.r",
            "Assign": {"seen": true}, "End": true}}});
        let machine = StateMachine::from_value(&def).expect("valid");
        let mut exec = Execution::new(
            &machine,
            json!({"order": {"id": 7}}),
            ExecutionOptions::default(),
        );
        exec.run_to_end();
        let runs = exec.state_runs();
        let steps = flow_steps(&runs[0].inspection);
        let labels: Vec<&str> = steps.iter().map(|s| s.label).collect();
        assert_eq!(labels.first(), Some(&"Input"));
        assert!(
            labels.contains(&"InputPath") && labels.contains(&"Parameters"),
            "{labels:?}"
        );
        let at = |l: &str| steps.iter().find(|s| s.label == l).map(|s| s.value.clone());
        assert_eq!(at("InputPath"), Some(json!({"id": 7})));
        assert_eq!(at("Parameters"), Some(json!({"id": 7})));
        assert_eq!(at("Variables"), Some(json!({"seen": true})));
        // Steps come in the order AWS applies them.
        let order = [
            "Input",
            "InputPath",
            "Parameters",
            "Result",
            "ResultPath",
            "Variables",
        ];
        let pos: Vec<usize> = labels
            .iter()
            .filter_map(|l| order.iter().position(|o| o == l))
            .collect();
        assert!(pos.windows(2).all(|w| w[0] < w[1]), "{labels:?}");
    }

    #[test]
    fn expression_rows_follow_the_moment_and_mark_the_chosen_rule() {
        use statebridge_engine::asl::{Execution, ExecutionOptions, StateMachine};
        let def = json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [
                {"Condition": "{% $states.input.n > 5 %}", "Next": "Big"},
                {"Condition": "{% $states.input.n > 0 %}", "Next": "Small"}], "Default": "Big"},
            "Big": {"Type": "Succeed"},
            "Small": {"Type": "Pass", "Output": {"half": "{% $states.input.n / 2 %}", "bad": "{% $nope.x %}"}, "End": true}}});
        let machine = StateMachine::from_value(&def).expect("valid");
        let options = ExecutionOptions {
            trace_expressions: true,
            ..ExecutionOptions::default()
        };
        let mut exec = Execution::new(&machine, json!({"n": 3}), options);
        exec.run_to_end();
        let runs = exec.state_runs();
        let (rows, omitted) = expression_rows(&runs[0].inspection, usize::MAX);
        assert_eq!(omitted, 0);
        let seen: Vec<(&str, bool)> = rows.iter().map(|r| (r.field.as_str(), r.chosen)).collect();
        assert_eq!(
            seen,
            vec![
                ("Choices[0].Condition", false),
                ("Choices[1].Condition", true)
            ]
        );
        assert_eq!(rows[1].expression, "$states.input.n > 0");
        let small = &runs[1].inspection;
        let (rows, _) = expression_rows(small, usize::MAX);
        assert_eq!(rows[0].value, Some(json!(1.5)));
        let (err, cause) = rows[1].error.clone().expect("an error");
        assert_eq!(err, "States.QueryEvaluationError");
        assert!(cause.contains("Output/bad"), "{cause}");
        // Before the state was entered, nothing is known.
        let entered = usize::try_from(runs[1].entered_event_id).expect("small");
        assert!(expression_rows(small, entered - 1).0.is_empty());
    }
}
