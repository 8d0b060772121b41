//! One state run in isolation, like Step Functions' TestState API: the value after each
//! data-flow step (`inspectionData`), and SUCCEEDED / FAILED / RETRIABLE / CAUGHT_ERROR.
//!
//! ```
//! use statebridge_engine::asl::test_state::{TestStateRequest, test_state};
//! let request = TestStateRequest::from_value(&serde_json::json!({
//!     "definition": {"Type": "Pass", "InputPath": "$.a", "Next": "B"},
//!     "input": {"a": 1}, "inspectionLevel": "DEBUG"})).unwrap();
//! let response = test_state(&request).unwrap();
//! assert_eq!(response.status, "SUCCEEDED");
//! assert_eq!(response.next_state.as_deref(), Some("B"));
//! assert_eq!(response.inspection_data.unwrap()["afterInputPath"], 1);
//! ```

use super::definition::{Kind, QueryLanguage, State, StateMachine};
use super::diagnostic::{Diagnostic, Diagnostics, SCHEMA};
use super::errors::Failure;
use super::exec::ExecutionOptions;
use super::exec::interp::{TestHooks, run_one};
use crate::source::escape_segment;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::fmt;

mod request;
pub mod shapes;
pub use request::FieldValidationMode;

/// A TestState request (AWS's request shape, with JSON values instead of JSON text).
#[derive(Debug, Clone, Default)]
pub struct TestStateRequest {
    /// One state, or a whole machine when `state_name` is set.
    pub definition: Value,
    /// The definition's text, when the request gave it as text (AWS's shape): a problem in the
    /// definition then gets its line and column in that text.
    pub definition_text: Option<String>,
    /// The state to run inside a whole machine (it may be nested in a Map or Parallel).
    pub state_name: Option<String>,
    /// The state input.
    pub input: Value,
    /// `INFO` (no inspection data), `DEBUG` or `TRACE`.
    pub inspection_level: String,
    /// `mock.result`.
    pub mock_result: Option<Value>,
    /// `mock.errorOutput`.
    pub mock_error: Option<Failure>,
    /// `mock.fieldValidationMode`: how a mocked Task result is checked against the API's
    /// response shape ([`shapes`]).
    pub field_validation_mode: FieldValidationMode,
    /// `context`: the context object.
    pub context: Option<Value>,
    /// `variables` in scope.
    pub variables: Map<String, Value>,
    /// `stateConfiguration.retrierRetryCount`.
    pub retrier_retry_count: u64,
    /// `stateConfiguration.mapIterationFailureCount`.
    pub map_iteration_failure_count: Option<u64>,
    /// `stateConfiguration.errorCausedByState`: the state inside a Map or Parallel that the
    /// mocked error came from. It must name a state of the Map's processor or of one of the
    /// Parallel's branches, with a mocked `errorOutput`; what TestState returns is the same
    /// whichever inner state it names (the recordings), so it changes nothing else.
    pub error_caused_by_state: Option<String>,
    /// `roleArn`: AWS wants one to run a Task for real (without a mock).
    pub role_arn: Option<String>,
    /// `revealSecrets`.
    pub reveal_secrets: bool,
    /// `stateConfiguration.mapItemReaderData`: what a Map's `ItemReader` reads (a JSON array).
    pub map_item_reader_data: Option<Vec<Value>>,
}

/// Why a request could not be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestStateError {
    /// TestState refuses the request (AWS's ValidationException message).
    Request(String),
    /// A member of the request is malformed: its JSON pointer in the request, and what is wrong.
    Field {
        /// Where in the request (`/mock/errorOutput`, `""` for the request itself).
        pointer: String,
        /// What is wrong, in words.
        message: String,
    },
    /// The state definition is invalid.
    Definition(Diagnostics),
}

impl fmt::Display for TestStateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TestStateError::Request(m) => write!(f, "invalid TestState request: {m}"),
            TestStateError::Field { pointer, message } if pointer.is_empty() => {
                write!(f, "invalid TestState request: {message}")
            }
            TestStateError::Field { pointer, message } => write!(
                f,
                "invalid TestState request at `{}`: {message}",
                crate::source::pointer_to_path(pointer)
            ),
            TestStateError::Definition(d) => write!(f, "invalid state definition: {d}"),
        }
    }
}

impl std::error::Error for TestStateError {}

/// TestState's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestStateResponse {
    /// `SUCCEEDED`, `FAILED`, `RETRIABLE` or `CAUGHT_ERROR`.
    pub status: String,
    /// The state's output (when it succeeded or caught its error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    /// The error name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// The next state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_state: Option<String>,
    /// The value after each data-flow step (DEBUG and TRACE only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inspection_data: Option<Value>,
    /// statebridge's own remarks, not part of AWS's answer: what it could not do as AWS does
    /// (a mocked result it has no response shape to check against).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Finds the state `name` anywhere in a machine (nested in Map processors and Parallel branches):
/// the state's JSON, the query language it inherits and its JSON pointer in the machine.
fn find_state<'a>(
    machine: &'a Value,
    name: &str,
    inherited: Option<&'a Value>,
    at: &str,
) -> Option<(&'a Value, Option<&'a Value>, String)> {
    let ql = machine.get("QueryLanguage").or(inherited);
    let states = machine.get("States")?.as_object()?;
    if let Some(s) = states.get(name) {
        return Some((s, ql, format!("{at}/States/{}", escape_segment(name))));
    }
    for (state_name, s) in states {
        let here = format!("{at}/States/{}", escape_segment(state_name));
        let mut nested: Vec<(&Value, String)> = s
            .get("Branches")
            .and_then(Value::as_array)
            .map(|b| {
                b.iter()
                    .enumerate()
                    .map(|(i, m)| (m, format!("{here}/Branches/{i}")))
                    .collect()
            })
            .unwrap_or_default();
        for key in ["ItemProcessor", "Iterator"] {
            if let Some(m) = s.get(key) {
                nested.push((m, format!("{here}/{key}")));
            }
        }
        let inner_ql = s.get("QueryLanguage").or(ql);
        for (m, m_at) in nested {
            if let Some(found) = find_state(m, name, inner_ql, &m_at) {
                return Some(found);
            }
        }
    }
    None
}

/// Moves a diagnostic of the wrapped machine to where its problem is in the request
/// (`/definition…`), with the line and column in the definition's text when it came as text.
fn in_request(mut d: Diagnostics, name: &str, state_at: &str, text: Option<&str>) -> Diagnostics {
    let wrapped = format!("/States/{}", escape_segment(name));
    let map = text
        .and_then(|t| crate::source::parse(t).ok())
        .map(|(_, m)| m);
    for diag in &mut d.0 {
        let inner = match diag.pointer.strip_prefix(&wrapped) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => format!("{state_at}{rest}"),
            _ => state_at.to_owned(),
        };
        if let Some(span) = map
            .as_ref()
            .and_then(|m| m.value_span(&inner).or_else(|| m.key_span(&inner)))
        {
            diag.line = Some(span.line);
            diag.column = Some(span.column);
        }
        diag.pointer = format!("/definition{inner}");
    }
    d
}

/// Wraps one state into a machine, with a Succeed stub for every state it names.
fn wrap(name: &str, state: &Value, ql: Option<&Value>) -> Value {
    let mut states = Map::new();
    let mut targets: Vec<&str> = ["Next", "Default"]
        .iter()
        .filter_map(|k| state.get(*k).and_then(Value::as_str))
        .collect();
    for list in ["Choices", "Catch"] {
        for item in state
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            targets.extend(item.get("Next").and_then(Value::as_str));
        }
    }
    for t in targets {
        if t != name {
            states.insert(t.to_owned(), json!({"Type": "Succeed"}));
        }
    }
    states.insert(name.to_owned(), state.clone());
    let mut machine = json!({"StartAt": name, "States": states});
    if let (Some(q), Some(obj)) = (ql, machine.as_object_mut()) {
        obj.insert("QueryLanguage".into(), q.clone());
    }
    machine
}

/// Runs one state as TestState would.
pub fn test_state(request: &TestStateRequest) -> Result<TestStateResponse, TestStateError> {
    let (name, state, ql, at) = match &request.state_name {
        Some(n) => {
            let (s, ql, at) = find_state(&request.definition, n, None, "").ok_or_else(|| {
                TestStateError::Field {
                    pointer: "/stateName".into(),
                    message: format!("`stateName` {n} is not a state of the definition"),
                }
            })?;
            (n.clone(), s, ql, at)
        }
        None => (
            "TestState".to_owned(),
            &request.definition,
            None,
            String::new(),
        ),
    };
    if !state.is_object() {
        return Err(TestStateError::Field {
            pointer: "/definition".into(),
            message: "`definition` must be a state (a JSON object with `Type`), or a whole machine with `stateName`".into(),
        });
    }
    let machine = StateMachine::from_value(&wrap(&name, state, ql)).map_err(|d| {
        TestStateError::Definition(in_request(
            d,
            &name,
            &at,
            request.definition_text.as_deref(),
        ))
    })?;
    let tested = machine
        .state(&name)
        .ok_or_else(|| TestStateError::Request(format!("no state `{name}`")))?;
    check_request(request, tested)?;
    let notes = check_mock_shape(request, tested)?;
    let hooks = TestHooks {
        result: request.mock_result.clone(),
        error: request.mock_error.clone(),
        retrier_retry_count: request.retrier_retry_count,
        map_iteration_failure_count: request.map_iteration_failure_count,
        context: request.context.clone(),
        map_item_reader_data: request.map_item_reader_data.clone(),
    };
    let options = ExecutionOptions::default();
    let one = run_one(
        &machine,
        &name,
        &request.input,
        request.variables.clone(),
        hooks,
        &options,
    );
    let mut inspection = one
        .run
        .as_ref()
        .and_then(|r| serde_json::to_value(&r.inspection).ok());
    let mut response = TestStateResponse {
        status: String::new(),
        output: None,
        error: None,
        cause: None,
        next_state: None,
        inspection_data: None,
        notes,
    };
    match (one.result, one.retriable) {
        (Err(f), Some((_, index, interval))) => {
            response.status = "RETRIABLE".into();
            response.error = f.error;
            response.cause = f.cause;
            if let Some(Value::Object(obj)) = inspection.as_mut() {
                obj.insert(
                    "errorDetails".into(),
                    json!({"retryBackoffIntervalSeconds": interval, "retryIndex": index}),
                );
            }
        }
        (Err(f), None) => {
            response.status = "FAILED".into();
            response.error = f.error;
            // TestState's causes name no state: it ran only one.
            response.cause = f.cause.map(|c| match c.split_once("). ") {
                Some((head, rest))
                    if head.starts_with("An error occurred while executing the state '") =>
                {
                    rest.to_owned()
                }
                _ => c,
            });
        }
        (Ok((output, next, status)), _) => {
            response.status = if status == "CAUGHT_ERROR" {
                status
            } else {
                "SUCCEEDED".into()
            };
            response.output = Some(output);
            response.next_state = next;
        }
    }
    if let Some(Value::Object(data)) = inspection.as_mut() {
        aws_inspection_shape(data, tested, &response.status, request);
    }
    if request.inspection_level != "INFO" {
        response.inspection_data = inspection;
    }
    Ok(response)
}

/// `mock.fieldValidationMode`: a mocked Task result that does not fit the API's response is
/// refused (AWS's ValidationException); one statebridge cannot check is run, with a note.
fn check_mock_shape(
    request: &TestStateRequest,
    state: &State,
) -> Result<Vec<String>, TestStateError> {
    let (Kind::Task(task), Some(result)) = (&state.kind, &request.mock_result) else {
        return Ok(Vec::new());
    };
    match shapes::check(&task.kind, result, request.field_validation_mode) {
        shapes::Checked::Valid => Ok(Vec::new()),
        shapes::Checked::Invalid(m) => Err(TestStateError::Request(m)),
        shapes::Checked::NotValidated(why) => Ok(vec![why]),
    }
}

/// The checks TestState makes on a request before running anything (AWS's messages).
fn check_request(request: &TestStateRequest, state: &State) -> Result<(), TestStateError> {
    let bad = |m: &str| Err(TestStateError::Request(m.to_owned()));
    let mocked = request.mock_result.is_some() || request.mock_error.is_some();
    if mocked && request.reveal_secrets {
        return bad("TestState does not support RevealSecrets when a mock is specified.");
    }
    if let Some(n) = request.map_iteration_failure_count {
        match &request.mock_result {
            None if request.mock_error.is_none() => {
                return bad(
                    "TestState does not support MapIterationFailureCount when a mock is not specified.",
                );
            }
            Some(Value::Array(items)) if n > items.len() as u64 => {
                return bad(
                    "Map iteration failure count must be less than or equal to the number of Map iterations",
                );
            }
            _ => {}
        }
    }
    check_error_caused_by_state(request, state)?;
    match &state.kind {
        Kind::Task(_) if !mocked && request.role_arn.is_none() => {
            return bad("RoleArn must be specified when testing a Task state");
        }
        Kind::Task(_) => {}
        Kind::Map(_) | Kind::Parallel(_) if !mocked => {
            return Err(TestStateError::Definition(Diagnostics(vec![Diagnostic {
                code: SCHEMA,
                state: Some(state.name.clone()),
                field: Some("Type".into()),
                pointer: state.pointer.clone(),
                message: "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice]".into(),
                line: None,
                column: None,
                value_offset: None,
            }])));
        }
        Kind::Parallel(p) => {
            if let Some(result) = &request.mock_result {
                let Value::Array(items) = result else {
                    return bad("Mocked result must be an array.");
                };
                if items.len() != p.branches.len() {
                    return bad(
                        "Mocked result must contain the same number of items as number of Parallel branches.",
                    );
                }
            }
        }
        Kind::Map(m) => match (&request.mock_result, m.result_writer.is_some()) {
            (Some(r), true) if !r.is_object() => {
                return bad("Mocked result must be a JSON object.");
            }
            (Some(r), false) if !r.is_array() => return bad("Mocked result must be an array."),
            _ => {}
        },
        other if mocked => {
            return Err(TestStateError::Request(format!(
                "State type '{}' is not supported when a mock is specified",
                other.type_name()
            )));
        }
        _ => {}
    }
    Ok(())
}

/// `stateConfiguration.errorCausedByState` names where a Map's or Parallel's mocked error came
/// from: AWS's reference defines it for that case only, so it is refused anywhere else, and
/// must name a state inside the tested one. (AWS's own messages for these refusals are not
/// recorded; these say what is wrong in statebridge's words.)
fn check_error_caused_by_state(
    request: &TestStateRequest,
    state: &State,
) -> Result<(), TestStateError> {
    let Some(name) = &request.error_caused_by_state else {
        return Ok(());
    };
    let refuse = |message: String| {
        Err(TestStateError::Field {
            pointer: "/stateConfiguration/errorCausedByState".into(),
            message,
        })
    };
    if name.is_empty() || name.chars().count() > 80 {
        return refuse("`errorCausedByState` is a state name, 1 to 80 characters long".into());
    }
    let inner: Vec<&StateMachine> = match &state.kind {
        Kind::Map(m) => vec![&m.processor],
        Kind::Parallel(p) => p.branches.iter().collect(),
        other => {
            return refuse(format!(
                "`errorCausedByState` says which state inside a Map or Parallel a mocked error came from; the tested state is a {}",
                other.type_name()
            ));
        }
    };
    if request.mock_error.is_none() {
        return refuse(
            "`errorCausedByState` needs a mocked error (`mock.errorOutput`): it says which inner state raised it".into(),
        );
    }
    if !inner.iter().any(|m| holds_state(m, name)) {
        let names: Vec<&str> = inner
            .iter()
            .flat_map(|m| m.states.iter().map(|s| s.name.as_str()))
            .collect();
        return refuse(format!(
            "`errorCausedByState` {name} is not a state inside {} (its states: {})",
            state.name,
            names.join(", ")
        ));
    }
    Ok(())
}

/// Whether `name` is a state of `machine` or of a Map or Parallel nested in it.
fn holds_state(machine: &StateMachine, name: &str) -> bool {
    machine.states.iter().any(|s| {
        s.name == name
            || match &s.kind {
                Kind::Map(m) => holds_state(&m.processor, name),
                Kind::Parallel(p) => p.branches.iter().any(|b| holds_state(b, name)),
                _ => false,
            }
    })
}

/// Keeps the inspection steps TestState reports for this kind of state, as recorded on AWS
/// (the executor records every step for the app's inspector; TestState shows fewer).
// Here AWS's TestState diverges from what the data flow computes: a Pass with `Result` reports
// neither `afterInputPath` nor `afterParameters`, a JSONPath Parallel reports no
// `afterInputPath`, and JSONata states report only `input`, `afterArguments` and `result`.
fn aws_inspection_shape(
    data: &mut Map<String, Value>,
    state: &State,
    status: &str,
    request: &TestStateRequest,
) {
    let jsonata = state.query_language == QueryLanguage::Jsonata;
    let keep: &[&str] = match (&state.kind, jsonata) {
        (Kind::Task(_), false) => &[
            "input",
            "afterInputPath",
            "afterParameters",
            "result",
            "afterResultSelector",
            "afterResultPath",
        ],
        (Kind::Task(_), true) => &["input", "afterArguments", "result"],
        (Kind::Pass, false) if state.result.is_some() => {
            &["input", "result", "afterResultSelector", "afterResultPath"]
        }
        (Kind::Pass, false) => &[
            "input",
            "afterInputPath",
            "afterParameters",
            "afterResultSelector",
            "afterResultPath",
        ],
        (Kind::Choice(_) | Kind::Succeed | Kind::Fail(_) | Kind::Wait(_), false) => {
            &["input", "afterInputPath"]
        }
        (Kind::Parallel(_), false) => &["input", "afterResultSelector", "afterResultPath"],
        (Kind::Map(_), false) => &[
            "input",
            "afterInputPath",
            "afterItemsPath",
            "afterResultSelector",
            "afterResultPath",
            "maxConcurrency",
            "toleratedFailureCount",
            "toleratedFailurePercentage",
        ],
        (Kind::Map(_), true) => &[
            "input",
            "maxConcurrency",
            "toleratedFailureCount",
            "toleratedFailurePercentage",
        ],
        (_, true) | (Kind::Unknown(_), false) => &["input"],
    };
    let retry_details = retry_details(data.get("errorDetails"), state, status, request);
    data.retain(|k, v| {
        keep.contains(&k.as_str())
            || (k == "variables" && v.as_object().is_some_and(|o| !o.is_empty()))
    });
    if let Kind::Map(m) = &state.kind {
        // Reported only when the state sets them.
        if m.tolerated_failure_count.is_none() {
            data.remove("toleratedFailureCount");
        }
        if m.tolerated_failure_percentage.is_none() {
            data.remove("toleratedFailurePercentage");
        }
        if status == "FAILED" && !jsonata {
            data.remove("afterResultSelector");
            data.remove("afterResultPath");
        }
    }
    if let Some(d) = retry_details {
        data.insert("errorDetails".into(), d);
    }
}

/// TestState's `errorDetails`: which retrier matched (and the backoff, while it may retry).
fn retry_details(
    recorded: Option<&Value>,
    state: &State,
    status: &str,
    request: &TestStateRequest,
) -> Option<Value> {
    match status {
        "RETRIABLE" => recorded.map(|d| {
            let mut d = d.clone();
            if let Some(x) = d.get_mut("retryBackoffIntervalSeconds")
                && let Some(f) = x.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *x = json!(f as i64);
            }
            d
        }),
        "FAILED" => {
            let error = request.mock_error.as_ref()?.error.as_deref()?;
            let index = state
                .retry
                .iter()
                .position(|r| super::errors::error_matches(&r.error_equals, error))?;
            Some(json!({"retryIndex": index}))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(request: Value) -> Result<TestStateResponse, TestStateError> {
        test_state(&TestStateRequest::from_value(&request)?)
    }

    fn parallel(config: Value, mock: Value) -> Value {
        json!({
            "definition": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "Charge", "States": {"Charge": {"Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke", "End": true}}},
                {"StartAt": "Ship", "States": {"Ship": {"Type": "Pass", "End": true}}}]},
            "input": {}, "mock": mock, "stateConfiguration": config})
    }

    #[test]
    fn error_caused_by_state_names_the_inner_state_of_a_mocked_error() {
        let error = json!({"errorOutput": {"error": "Payment.Declined", "cause": "card"}});
        let r = run(parallel(
            json!({"errorCausedByState": "Charge"}),
            error.clone(),
        ))
        .expect("a state of a branch");
        assert_eq!(r.status, "FAILED");
        assert_eq!(r.error.as_deref(), Some("Payment.Declined"));
        let Err(TestStateError::Field { pointer, message }) =
            run(parallel(json!({"errorCausedByState": "Refund"}), error))
        else {
            panic!("a name that is in no branch is refused");
        };
        assert_eq!(pointer, "/stateConfiguration/errorCausedByState");
        assert!(message.contains("Charge, Ship"), "{message}");
        let Err(TestStateError::Field { message, .. }) = run(parallel(
            json!({"errorCausedByState": "Charge"}),
            json!({"result": "[1, 2]"}),
        )) else {
            panic!("without a mocked error it means nothing");
        };
        assert!(message.contains("mock.errorOutput"), "{message}");
        let Err(TestStateError::Field { message, .. }) = run(json!({
            "definition": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true},
            "mock": {"errorOutput": {"error": "E"}},
            "stateConfiguration": {"errorCausedByState": "X"}}))
        else {
            panic!("a Task has no inner state");
        };
        assert!(message.contains("is a Task"), "{message}");
    }

    #[test]
    fn a_mock_that_does_not_fit_the_response_is_refused_and_one_unchecked_is_noted() {
        let task = |resource: &str, result: Value| {
            json!({"definition": {"Type": "Task", "Resource": resource, "End": true},
                   "mock": {"result": result}})
        };
        let e = run(task(
            "arn:aws:states:::dynamodb:putItem",
            json!({"ConsumedCapacity": {"CapacityUnits": "1.5"}}),
        ))
        .expect_err("a string where DynamoDB answers a number");
        assert_eq!(
            e,
            TestStateError::Request(
                "Mock result schema validation error: Field 'CapacityUnits' must be a number"
                    .into()
            )
        );
        let r = run(task(
            "arn:aws:states:::aws-sdk:ec2:describeInstances",
            json!({}),
        ))
        .expect("runs");
        assert_eq!(r.status, "SUCCEEDED");
        assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
        let r = run(task(
            "arn:aws:states:::sns:publish",
            json!({"MessageId": "m-1"}),
        ))
        .expect("fits");
        assert!(r.notes.is_empty());
    }
}
