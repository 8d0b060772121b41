//! Task results supplied by the user: Step Functions Local's MockConfigFile and the short
//! per-state form of the conformance corpus.
//!
//! ```
//! use statebridge_engine::asl::mocks::{Mocks, MockResponse};
//! let mocks = Mocks::from_value(&serde_json::json!({
//!     "Charge": {"0": {"Throw": {"Error": "Throttled", "Cause": "slow down"}}, "1-2": {"Return": {"ok": true}}}
//! }), None).unwrap();
//! assert!(matches!(mocks.response("Charge", 2), Some(MockResponse::Return { .. })));
//! assert!(mocks.response("Charge", 3).is_none());
//! ```
//!
//! Two extensions of the short form, for mocks that must hold however many calls a run makes
//! (a pipe's retries shift the call numbers): a key `"N-"` covers every call from `N` on, and a
//! response `{"FailItems": EVENT_PATTERN}` answers as a Lambda function or state machine does
//! when it reports a partial batch failure — `{"batchItemFailures": [{"itemIdentifier": ID}]}`,
//! naming each item of its input list that the pattern matches (an SQS item's JSON `body` is
//! read decoded, as a pipe's filter reads it; the id is the item's `messageId` or `eventID`).
//!
//! ```
//! use statebridge_engine::asl::mocks::{Mocks, MockResponse};
//! let mocks = Mocks::from_value(&serde_json::json!({
//!     "process-orders": {"0-": {"FailItems": {"body": {"amount": [{"numeric": [">", 1000]}]}}}}
//! }), None).unwrap();
//! let answer = mocks.response("process-orders", 41).unwrap().answer(&serde_json::json!([
//!     {"messageId": "m-1", "body": "{\"amount\": 5}"},
//!     {"messageId": "m-2", "body": "{\"amount\": 5000}"}
//! ]));
//! assert_eq!(answer, Ok(serde_json::json!({"batchItemFailures": [{"itemIdentifier": "m-2"}]})));
//! ```

use serde_json::{Map, Value};
use std::fmt;

/// What a mocked task invocation does.
#[derive(Debug, Clone, PartialEq)]
pub enum MockResponse {
    /// Succeeds with this raw result.
    Return {
        /// The task's result (before ResultSelector).
        value: Value,
        /// Simulated duration in seconds (extension: `"Duration"`), for timeouts.
        duration: Option<f64>,
    },
    /// Fails with this error.
    Throw {
        /// The error name (a service may fail without one).
        error: Option<String>,
        /// The cause text.
        cause: Option<String>,
        /// Simulated duration in seconds before failing.
        duration: Option<f64>,
    },
    /// Succeeds with a partial batch response naming the items this event pattern matches
    /// (extension: `{"FailItems": PATTERN}`).
    FailItems {
        /// The event pattern, checked when the mocks are read.
        pattern: Value,
        /// Simulated duration in seconds.
        duration: Option<f64>,
    },
}

impl MockResponse {
    /// What the mocked call answers given its input: `Ok(result)` or `Err((error, cause))`.
    pub fn answer(&self, input: &Value) -> Result<Value, (Option<String>, Option<String>)> {
        match self {
            MockResponse::Return { value, .. } => Ok(value.clone()),
            MockResponse::Throw { error, cause, .. } => Err((error.clone(), cause.clone())),
            MockResponse::FailItems { pattern, .. } => Ok(fail_items(pattern, input)),
        }
    }

    /// The simulated duration, in seconds.
    pub fn duration(&self) -> Option<f64> {
        match self {
            MockResponse::Return { duration, .. }
            | MockResponse::Throw { duration, .. }
            | MockResponse::FailItems { duration, .. } => *duration,
        }
    }
}

/// `{"batchItemFailures": [...]}` naming each item of `input` (a list) that `pattern` matches.
fn fail_items(pattern: &Value, input: &Value) -> Value {
    let Ok(pattern) = crate::pattern::Pattern::parse(pattern) else {
        return serde_json::json!({"batchItemFailures": []});
    };
    let items: &[Value] = input.as_array().map_or(&[], Vec::as_slice);
    let mut failures = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let decoded = match item.get("body").and_then(Value::as_str) {
            Some(body) => match serde_json::from_str::<Value>(body) {
                Ok(v @ Value::Object(_)) => {
                    let mut copy = item.clone();
                    copy["body"] = v;
                    Some(copy)
                }
                _ => None,
            },
            None => None,
        };
        if pattern.matches(decoded.as_ref().unwrap_or(item)) {
            let id = ["messageId", "eventID", "itemIdentifier"]
                .iter()
                .find_map(|k| item.get(*k).and_then(Value::as_str))
                .map_or_else(|| i.to_string(), str::to_owned);
            failures.push(serde_json::json!({"itemIdentifier": id}));
        }
    }
    serde_json::json!({"batchItemFailures": failures})
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    first: u64,
    last: u64,
    response: MockResponse,
    /// A `Return`'s value as JSON text, made once: the history's task output on every call.
    text: Option<super::history::Text>,
    /// Seconds after the task starts at which its worker sends a heartbeat (extension:
    /// `"Heartbeats": [10, 20]`), for `HeartbeatSeconds`.
    heartbeats: Vec<f64>,
}

/// The mocked responses of every mocked state, by invocation number. Cloning shares them (the
/// system layer gives every execution it starts the same mocks).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mocks {
    states: std::sync::Arc<crate::fasthash::FastMap<String, Vec<Entry>>>,
}

/// Why a mocks document was rejected; says where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockError {
    /// JSON pointer of the offending value.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for MockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "mocks at {at}: {}", self.message)
    }
}

impl std::error::Error for MockError {}

fn err(pointer: impl Into<String>, message: impl Into<String>) -> MockError {
    MockError {
        pointer: pointer.into(),
        message: message.into(),
    }
}

impl Mocks {
    /// No mocks: every Task returns its input.
    pub fn none() -> Mocks {
        Mocks::default()
    }

    /// Reads either format. `test_case` picks a MockConfigFile test case (by default the only one).
    pub fn from_value(value: &Value, test_case: Option<&str>) -> Result<Mocks, MockError> {
        let Some(obj) = value.as_object() else {
            return Err(err("", "mocks must be a JSON object"));
        };
        if obj.contains_key("StateMachines") || obj.contains_key("MockedResponses") {
            return Self::from_config_file(obj, test_case);
        }
        let mut states = crate::fasthash::FastMap::default();
        for (state, responses) in obj {
            let at = format!("/{}", crate::source::escape_segment(state));
            states.insert(state.clone(), parse_responses(responses, &at)?);
        }
        Ok(Mocks {
            states: std::sync::Arc::new(states),
        })
    }

    fn from_config_file(
        obj: &Map<String, Value>,
        test_case: Option<&str>,
    ) -> Result<Mocks, MockError> {
        let empty = Map::new();
        let machines = obj
            .get("StateMachines")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let responses = obj
            .get("MockedResponses")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let mut cases = Vec::new();
        for (machine, m) in machines {
            if let Some(tc) = m.get("TestCases").and_then(Value::as_object) {
                for (name, case) in tc {
                    cases.push((
                        format!("/StateMachines/{machine}/TestCases/{name}"),
                        name.as_str(),
                        case,
                    ));
                }
            }
        }
        let chosen = match test_case {
            Some(want) => cases.iter().find(|(_, n, _)| *n == want).ok_or_else(|| {
                let names: Vec<&str> = cases.iter().map(|c| c.1).collect();
                err(
                    "/StateMachines",
                    format!(
                        "no test case named `{want}` (test cases: {})",
                        names.join(", ")
                    ),
                )
            })?,
            None if cases.len() == 1 => &cases[0],
            None if cases.is_empty() => return Ok(Mocks::default()),
            None => {
                return Err(err(
                    "/StateMachines",
                    "several test cases: choose one with --test-case",
                ));
            }
        };
        let (at, _, case) = chosen;
        let Some(case) = case.as_object() else {
            return Err(err(
                at.clone(),
                "a test case must map state names to mocked response names",
            ));
        };
        let mut states = crate::fasthash::FastMap::default();
        for (state, response_name) in case {
            let Some(name) = response_name.as_str() else {
                return Err(err(
                    format!("{at}/{state}"),
                    "expected the name of a mocked response",
                ));
            };
            let Some(r) = responses.get(name) else {
                return Err(err(
                    format!("{at}/{state}"),
                    format!("no mocked response named `{name}` in MockedResponses"),
                ));
            };
            states.insert(
                state.clone(),
                parse_responses(r, &format!("/MockedResponses/{name}"))?,
            );
        }
        Ok(Mocks {
            states: std::sync::Arc::new(states),
        })
    }

    /// The response for the `invocation`-th call (from 0) of `state`, if mocked.
    pub fn response(&self, state: &str, invocation: u64) -> Option<&MockResponse> {
        self.entry(state, invocation).map(|e| &e.response)
    }

    /// [`Self::response`] with a `Return`'s value as JSON text.
    pub(crate) fn response_with_text(
        &self,
        state: &str,
        invocation: u64,
    ) -> Option<(&MockResponse, Option<&super::history::Text>)> {
        self.entry(state, invocation)
            .map(|e| (&e.response, e.text.as_ref()))
    }

    /// When the `invocation`-th call of `state` sends heartbeats (seconds after it starts).
    pub fn heartbeats(&self, state: &str, invocation: u64) -> &[f64] {
        self.entry(state, invocation)
            .map_or(&[], |e| e.heartbeats.as_slice())
    }

    fn entry(&self, state: &str, invocation: u64) -> Option<&Entry> {
        let entries = self.states.get(state)?;
        entries
            .iter()
            .find(|e| e.first <= invocation && invocation <= e.last)
    }

    /// Whether `state` has any mocked response.
    pub fn is_mocked(&self, state: &str) -> bool {
        self.states.contains_key(state)
    }
}

/// A mistake in a mocks document that a run does not refuse but that is surely not what was
/// meant: a mock nothing calls, or a failure without an error name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockWarning {
    /// JSON pointer of the offending member (a state's name) or value.
    pub pointer: String,
    /// What is wrong, and what was probably meant.
    pub message: String,
}

/// Looks for the mistakes a run would pass over in silence ([`MockWarning`]): mocks of a state
/// that no machine has (naming the closest state name), or that is not a Task (only a Task
/// calls a service; the mock is never used), and a `Throw` without an `Error` name, which no
/// `Retry` or `Catch` but `States.ALL` and `States.TaskFailed` can match. `states` are every
/// state of the workspace's machines (branches and item processors included) with its `Type`.
/// A document that is not valid mocks gives no warnings: [`Mocks::from_value`] says why.
///
/// ```
/// use statebridge_engine::asl::mocks::lint;
/// let found = lint(&serde_json::json!({"Chrage": {"0": {"Throw": {"Cause": "declined"}}}}),
///                  &[("Charge", "Task")]);
/// assert!(found[0].message.contains("did you mean `Charge`?"));
/// assert!(found[1].message.contains("`Throw` has no `Error`"));
/// ```
pub fn lint(value: &Value, states: &[(&str, &str)]) -> Vec<MockWarning> {
    let mut found = Vec::new();
    let Some(obj) = value.as_object() else {
        return found;
    };
    let mut check_name = |state: &str, pointer: String| {
        match states
        .iter()
        .find(|(n, _)| *n == state)
    {
        Some((_, "Task")) => {}
        Some((_, kind)) => found.push(MockWarning {
            pointer,
            message: format!(
                "`{state}` is a {kind} state: only Task states call a service, so this mock is never used"
            ),
        }),
        None if states.is_empty() => {}
        None => {
            let tasks: Vec<&str> = states
                .iter()
                .filter(|(_, k)| *k == "Task")
                .map(|(n, _)| *n)
                .collect();
            let hint = match closest(state, &tasks) {
                Some(near) => format!(": did you mean `{near}`?"),
                None if tasks.is_empty() => ": the machines have no Task state".to_owned(),
                None => format!(
                    " (its Task states: {})",
                    tasks
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            found.push(MockWarning {
                pointer,
                message: format!(
                    "no state is named `{state}`, so this mock is never used{hint}"
                ),
            });
        }
    }
    };
    let mut throws = Vec::new();
    if obj.contains_key("StateMachines") || obj.contains_key("MockedResponses") {
        let machines = obj.get("StateMachines").and_then(Value::as_object);
        for (machine, m) in machines.into_iter().flatten() {
            let cases = m.get("TestCases").and_then(Value::as_object);
            for (case, states) in cases.into_iter().flatten() {
                for state in states.as_object().into_iter().flat_map(|o| o.keys()) {
                    let pointer = ["StateMachines", machine, "TestCases", case, state]
                        .iter()
                        .map(|k| format!("/{}", crate::source::escape_segment(k)))
                        .collect();
                    check_name(state, pointer);
                }
            }
        }
        let responses = obj.get("MockedResponses").and_then(Value::as_object);
        for (name, r) in responses.into_iter().flatten() {
            let at = format!("/MockedResponses/{}", crate::source::escape_segment(name));
            throws.push((at, r));
        }
    } else {
        for (state, r) in obj {
            let at = format!("/{}", crate::source::escape_segment(state));
            check_name(state, at.clone());
            throws.push((at, r));
        }
    }
    for (at, responses) in throws {
        for (key, response) in responses.as_object().into_iter().flatten() {
            let Some(throw) = response.get("Throw") else {
                continue;
            };
            if throw.get("Error").is_none_or(Value::is_null) {
                found.push(MockWarning {
                    pointer: format!("{at}/{}/Throw", crate::source::escape_segment(key)),
                    message: "this `Throw` has no `Error`: the task fails with no error name, which only \
                              a Retry or Catch on `States.ALL` or `States.TaskFailed` matches; name the error \
                              the service throws, e.g. {\"Error\": \"Lambda.ServiceException\", \"Cause\": \"…\"}"
                        .into(),
                });
            }
        }
    }
    found
}

/// The name in `names` nearest to `name` when it is near enough to be a slip of the keyboard
/// or of the case (an edit distance of at most a third of its length, at least 2).
fn closest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(2);
    names
        .iter()
        .map(|n| (edit_distance(&lower, &n.to_lowercase()), *n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Levenshtein distance, in characters (state names are at most 80 characters).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = here;
        }
    }
    row[b.len()]
}

fn parse_responses(value: &Value, at: &str) -> Result<Vec<Entry>, MockError> {
    let Some(obj) = value.as_object() else {
        return Err(err(
            at,
            "expected an object of invocation numbers (\"0\", \"1-2\") to responses",
        ));
    };
    let mut out = Vec::new();
    for (key, response) in obj {
        let here = format!("{at}/{key}");
        let (first, last) = parse_range(key).ok_or_else(|| {
            err(
                here.clone(),
                format!(
                    "`{key}` is not an invocation number or range like \"0\", \"1-2\" or \"3-\" (every call from 3 on)"
                ),
            )
        })?;
        let response = parse_response(response, &here)?;
        let heartbeats = parse_heartbeats(response_obj_heartbeats(obj.get(key)), &here)?;
        let text = match &response {
            MockResponse::Return { value, .. } => Some(super::history::shared_text(value)),
            MockResponse::Throw { .. } | MockResponse::FailItems { .. } => None,
        };
        out.push(Entry {
            first,
            last,
            response,
            text,
            heartbeats,
        });
    }
    Ok(out)
}

fn response_obj_heartbeats(response: Option<&Value>) -> Option<&Value> {
    response.and_then(|r| r.get("Heartbeats"))
}

/// `"Heartbeats"`: a list of seconds after the task starts, each 0 or more.
fn parse_heartbeats(value: Option<&Value>, at: &str) -> Result<Vec<f64>, MockError> {
    let Some(value) = value else {
        return Ok(Vec::new());
    };
    let bad = || {
        err(
            format!("{at}/Heartbeats"),
            "`Heartbeats` must be a list of seconds after the task starts, like [10, 20]",
        )
    };
    let items = value.as_array().ok_or_else(bad)?;
    let mut out = Vec::with_capacity(items.len());
    for v in items {
        match v.as_f64() {
            Some(s) if s >= 0.0 && s.is_finite() => out.push(s),
            _ => return Err(bad()),
        }
    }
    out.sort_by(f64::total_cmp);
    Ok(out)
}

fn parse_range(key: &str) -> Option<(u64, u64)> {
    match key.split_once('-') {
        Some((a, b)) if b.trim().is_empty() => Some((a.trim().parse().ok()?, u64::MAX)),
        Some((a, b)) => {
            let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (a <= b).then_some((a, b))
        }
        None => {
            let n = key.trim().parse().ok()?;
            Some((n, n))
        }
    }
}

fn parse_response(value: &Value, at: &str) -> Result<MockResponse, MockError> {
    let Some(obj) = value.as_object() else {
        return Err(err(
            at,
            "a response must be {\"Return\": …} or {\"Throw\": {\"Error\", \"Cause\"}}",
        ));
    };
    let duration = obj.get("Duration").and_then(Value::as_f64);
    if let Some(v) = obj.get("Return") {
        return Ok(MockResponse::Return {
            value: v.clone(),
            duration,
        });
    }
    if let Some(t) = obj.get("Throw") {
        let error = match t.get("Error") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(err(format!("{at}/Throw/Error"), "`Error` must be a string")),
        };
        let cause = match t.get("Cause") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        };
        return Ok(MockResponse::Throw {
            error: error.to_owned(),
            cause,
            duration,
        });
    }
    if let Some(p) = obj.get("FailItems") {
        if let Err(e) = crate::pattern::Pattern::parse(p) {
            return Err(err(
                format!("{at}/FailItems"),
                format!("`FailItems` is an event pattern over each item of the batch: {e}"),
            ));
        }
        return Ok(MockResponse::FailItems {
            pattern: p.clone(),
            duration,
        });
    }
    Err(err(
        at,
        "a response must have `Return`, `Throw` or `FailItems` (an event pattern naming the items of a batch that fail)",
    ))
}

#[cfg(test)]
mod lint_tests {
    use super::*;
    use serde_json::json;

    const STATES: &[(&str, &str)] = &[
        ("Validate order", "Task"),
        ("Charge card", "Task"),
        ("Is it big?", "Choice"),
        ("Ship", "Task"),
    ];

    fn messages(mocks: Value) -> Vec<(String, String)> {
        lint(&mocks, STATES)
            .into_iter()
            .map(|w| (w.pointer, w.message))
            .collect()
    }

    #[test]
    fn a_misspelled_state_gets_the_closest_name() {
        let found = messages(json!({"Charge crad": {"0": {"Return": {}}}}));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, "/Charge crad");
        assert!(
            found[0].1.ends_with("no state is named `Charge crad`, so this mock is never used: did you mean `Charge card`?"),
            "{}",
            found[0].1
        );
        // Case alone counts as a slip.
        let found = messages(json!({"ship": {"0": {"Return": {}}}}));
        assert!(found[0].1.contains("did you mean `Ship`?"), "{:?}", found);
        // Nothing near: the Task states are listed.
        let found = messages(json!({"Refund": {"0": {"Return": {}}}}));
        assert!(
            found[0]
                .1
                .contains("(its Task states: `Validate order`, `Charge card`, `Ship`)"),
            "{:?}",
            found
        );
    }

    #[test]
    fn a_mock_of_a_state_that_is_not_a_task_is_never_used() {
        let found = messages(json!({"Is it big?": {"0": {"Return": true}}}));
        assert!(found[0].1.contains("is a Choice state"), "{:?}", found);
    }

    #[test]
    fn a_throw_without_an_error_is_reported_at_the_throw() {
        let found = messages(
            json!({"Ship": {"0": {"Throw": {"Cause": "no stock"}}, "1": {"Throw": {"Error": "E"}}}}),
        );
        assert_eq!(found.len(), 1, "{:?}", found);
        assert_eq!(found[0].0, "/Ship/0/Throw");
        assert!(found[0].1.contains("has no `Error`"), "{}", found[0].1);
    }

    #[test]
    fn the_mock_config_file_is_checked_too() {
        let found = messages(json!({
            "StateMachines": {"Orders": {"TestCases": {"HappyPath": {"Chrage card": "Fails"}}}},
            "MockedResponses": {"Fails": {"0": {"Throw": {"Error": null}}}}
        }));
        let pointers: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/StateMachines/Orders/TestCases/HappyPath/Chrage card",
                "/MockedResponses/Fails/0/Throw"
            ]
        );
        assert!(found[0].1.contains("did you mean `Charge card`?"));
    }

    #[test]
    fn well_written_mocks_give_no_warning() {
        assert!(messages(json!({"Ship": {"0": {"Return": {}}, "1-2": {"Throw": {"Error": "E", "Cause": "c"}}}})).is_empty());
        // Without machines to compare with, names are not checked.
        assert!(lint(&json!({"Anything": {"0": {"Return": 1}}}), &[]).is_empty());
    }
}
