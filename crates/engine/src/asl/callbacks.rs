//! Answers to task tokens: what a worker or a person sends back to a Task that waits for a
//! callback (`.waitForTaskToken`) or an activity — `SendTaskSuccess`, `SendTaskFailure`,
//! `SendTaskHeartbeat` — scripted on the virtual clock.
//!
//! ```
//! use statebridge_engine::asl::callbacks::{Callbacks, Unanswered};
//! let callbacks = Callbacks::from_value(&serde_json::json!([
//!     {"at": 30, "state": "Wait for approval", "heartbeat": true},
//!     {"at": 50, "state": "Wait for approval", "success": {"approved": true}}
//! ])).unwrap();
//! assert_eq!(callbacks.len(), 2);
//! assert_eq!(callbacks.unanswered, Unanswered::Wait);
//! ```
//!
//! A token that gets no answer waits as on AWS: until the task's `TimeoutSeconds`, until a
//! heartbeat is late (`HeartbeatSeconds`), or until the execution's own limit. With
//! [`Unanswered::Pause`] the execution stops instead at the last moment it can (the token's
//! wait, or its last heartbeat) and lists the tokens it waits for
//! ([`super::exec::Execution::paused`]): the caller adds an answer and runs it again (every run is
//! deterministic, so the rerun is the same up to there).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// What a callback does to the waiting task.
#[derive(Debug, Clone, PartialEq)]
pub enum CallbackKind {
    /// `SendTaskSuccess`: the task's result.
    Success(Value),
    /// `SendTaskFailure`: the task fails with this error and cause.
    Failure {
        /// The error name.
        error: Option<String>,
        /// The cause text.
        cause: Option<String>,
    },
    /// `SendTaskHeartbeat`: the worker is alive; the heartbeat clock starts again.
    Heartbeat,
}

/// Which waiting task a callback answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackTarget {
    /// The task with this token (`$$.Task.Token`).
    Token(String),
    /// The first task of this state that waits at the callback's moment.
    State(String),
}

/// One scripted callback.
#[derive(Debug, Clone, PartialEq)]
pub struct CallbackAnswer {
    /// Seconds after the execution's start; `None`: as soon as a matching task waits.
    pub at: Option<f64>,
    /// Which task.
    pub target: CallbackTarget,
    /// What it sends.
    pub kind: CallbackKind,
}

/// What a token with no answer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Unanswered {
    /// No callbacks were given: an unmocked waiting task answers at once with its input, as any
    /// unmocked task does (statebridge's behaviour before callbacks could be answered).
    #[default]
    ReturnInput,
    /// It waits as on AWS: until a timeout or the execution's limit.
    Wait,
    /// The execution pauses, listing the tokens it waits for.
    Pause,
}

/// The scripted callbacks of an execution.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Callbacks {
    answers: Vec<CallbackAnswer>,
    /// What a token with no answer does.
    pub unanswered: Unanswered,
}

/// A task waiting for its callback when the execution paused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaitingTask {
    /// The task token (`$$.Task.Token`; an activity's worker gets it from `GetActivityTask`).
    pub token: String,
    /// The Task state's name.
    pub state: String,
    /// The state's `Resource`.
    pub resource: String,
    /// The id of the state's `TaskStateEntered` event.
    pub entered_event_id: u64,
    /// When it started waiting (RFC 3339).
    pub since: String,
    /// The same, in seconds after the execution's start.
    pub since_seconds: f64,
    /// What was sent with the token (the task's effective input or parameters).
    pub input: Value,
    /// The task's `TimeoutSeconds`, if any.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub timeout_seconds: Option<f64>,
    /// The task's `HeartbeatSeconds`, if any.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub heartbeat_seconds: Option<f64>,
    /// When it times out if nothing more comes, in seconds after the execution's start.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub times_out_at_seconds: Option<f64>,
}

/// Where and why an execution paused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paused {
    /// The moment it paused (RFC 3339); an answer sent now is at this moment.
    pub at: String,
    /// The same, in seconds after the execution's start (what a callback's `at` counts).
    pub at_seconds: f64,
    /// The tasks waiting for a callback, in the order they started waiting.
    pub waiting: Vec<WaitingTask>,
}

/// Why a callbacks document was rejected; says where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackError {
    /// JSON pointer of the offending value.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "callbacks at {at}: {}", self.message)
    }
}

impl std::error::Error for CallbackError {}

fn err(pointer: impl Into<String>, message: impl Into<String>) -> CallbackError {
    CallbackError {
        pointer: pointer.into(),
        message: message.into(),
    }
}

impl Callbacks {
    /// No callbacks: unmocked waiting tasks answer with their input.
    pub fn none() -> Callbacks {
        Callbacks::default()
    }

    /// Reads a list of callbacks: `[{"at": 30, "token" | "state": …, "success": … |
    /// "failure": {"error", "cause"} | "heartbeat": true}]`. Tokens without an answer wait
    /// ([`Unanswered::Wait`]).
    pub fn from_value(value: &Value) -> Result<Callbacks, CallbackError> {
        let Some(items) = value.as_array() else {
            return Err(err(
                "",
                "callbacks must be a JSON list of answers like {\"at\": 30, \"state\": \"Approve\", \"success\": {}}",
            ));
        };
        let mut answers = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            answers.push(parse_answer(item, &format!("/{i}"))?);
        }
        Ok(Callbacks {
            answers,
            unanswered: Unanswered::Wait,
        })
    }

    /// These answers, with `unanswered` for tokens that get none.
    pub fn new(answers: Vec<CallbackAnswer>, unanswered: Unanswered) -> Callbacks {
        Callbacks {
            answers,
            unanswered,
        }
    }

    /// How many answers.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }

    /// The answers, in the order given.
    pub fn answers(&self) -> &[CallbackAnswer] {
        &self.answers
    }
}

fn parse_answer(item: &Value, at: &str) -> Result<CallbackAnswer, CallbackError> {
    let Some(obj) = item.as_object() else {
        return Err(err(
            at,
            "an answer must be an object with `token` or `state` and one of `success`, `failure`, `heartbeat`",
        ));
    };
    let known = ["at", "token", "state", "success", "failure", "heartbeat"];
    if let Some(k) = obj.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(err(
            format!("{at}/{}", crate::source::escape_segment(k)),
            format!("unknown field `{k}` (an answer has {})", known.join(", ")),
        ));
    }
    let when = match obj.get("at") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_f64() {
            Some(s) if s >= 0.0 && s.is_finite() => Some(s),
            _ => {
                return Err(err(
                    format!("{at}/at"),
                    "`at` must be a number of seconds after the execution's start (0 or more)",
                ));
            }
        },
    };
    let target = match (obj.get("token"), obj.get("state")) {
        (Some(Value::String(t)), None) => CallbackTarget::Token(t.clone()),
        (None, Some(Value::String(s))) => CallbackTarget::State(s.clone()),
        (Some(_), Some(_)) => {
            return Err(err(at, "give `token` or `state`, not both"));
        }
        (Some(_), None) => return Err(err(format!("{at}/token"), "`token` must be a string")),
        (None, Some(_)) => return Err(err(format!("{at}/state"), "`state` must be a string")),
        (None, None) => {
            return Err(err(
                at,
                "say which task it answers: `token` (its task token) or `state` (the Task state's name)",
            ));
        }
    };
    let kinds: Vec<&str> = ["success", "failure", "heartbeat"]
        .into_iter()
        .filter(|k| obj.contains_key(*k))
        .collect();
    let kind = match kinds.as_slice() {
        ["success"] => CallbackKind::Success(obj.get("success").cloned().unwrap_or(Value::Null)),
        ["failure"] => parse_failure(obj.get("failure"), &format!("{at}/failure"))?,
        ["heartbeat"] => match obj.get("heartbeat") {
            Some(Value::Bool(true)) => CallbackKind::Heartbeat,
            _ => return Err(err(format!("{at}/heartbeat"), "`heartbeat` must be true")),
        },
        [] => {
            return Err(err(
                at,
                "say what it sends: `success` (the output), `failure` ({\"error\", \"cause\"}) or `heartbeat`: true",
            ));
        }
        _ => {
            return Err(err(
                at,
                format!(
                    "one answer sends one thing; this one has {}",
                    kinds.join(" and ")
                ),
            ));
        }
    };
    Ok(CallbackAnswer {
        at: when,
        target,
        kind,
    })
}

fn parse_failure(value: Option<&Value>, at: &str) -> Result<CallbackKind, CallbackError> {
    let empty = Map::new();
    let obj = match value {
        Some(Value::Object(o)) => o,
        Some(Value::Null) | None => &empty,
        Some(_) => {
            return Err(err(
                at,
                "`failure` must be an object {\"error\": …, \"cause\": …}",
            ));
        }
    };
    let text = |k: &str| -> Result<Option<String>, CallbackError> {
        match obj.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(err(format!("{at}/{k}"), format!("`{k}` must be a string"))),
        }
    };
    Ok(CallbackKind::Failure {
        error: text("error")?,
        cause: text("cause")?,
    })
}

/// When something reaches a waiting task: an answer or a heartbeat, in milliseconds on the clock.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arrival {
    pub(crate) at: i64,
    pub(crate) kind: CallbackKind,
}

/// How a wait ends.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum WaitEnd {
    /// This answer (success or failure) arrived in time.
    Answered(Arrival),
    /// Nothing answered in time: the task times out at `at` (`heartbeat`: because a heartbeat
    /// was late). `at` is `None` when no timer runs (it waits for the execution's limit).
    /// `last` is the last moment something arrived (the wait's start if nothing did).
    Lapsed {
        at: Option<i64>,
        heartbeat: bool,
        last: i64,
    },
}

/// Plays the arrivals (in time order) against a task's clocks: `TimeoutSeconds` from `start`,
/// and `HeartbeatSeconds` from `start` and from each heartbeat. An arrival exactly at a limit
/// is in time. `take` is told which arrivals were used (by index), so a callback answers once.
pub(crate) fn play(
    start: i64,
    timeout: Option<i64>,
    heartbeat: Option<i64>,
    arrivals: &[Arrival],
    mut take: impl FnMut(usize),
) -> WaitEnd {
    let timeout_at = timeout.map(|t| start.saturating_add(t));
    let mut beat_at = heartbeat.map(|h| start.saturating_add(h));
    let mut last = start;
    for (i, a) in arrivals.iter().enumerate() {
        let limit = match (timeout_at, beat_at) {
            (Some(t), Some(b)) => Some(t.min(b)),
            (t, b) => t.or(b),
        };
        if limit.is_some_and(|l| a.at > l) {
            break;
        }
        take(i);
        match a.kind {
            CallbackKind::Heartbeat => {
                beat_at = heartbeat.map(|h| a.at.saturating_add(h));
                last = a.at;
            }
            _ => return WaitEnd::Answered(a.clone()),
        }
    }
    match (timeout_at, beat_at) {
        (Some(t), Some(b)) if b < t => WaitEnd::Lapsed {
            at: Some(b),
            heartbeat: true,
            last,
        },
        (Some(t), _) => WaitEnd::Lapsed {
            at: Some(t),
            heartbeat: false,
            last,
        },
        (None, Some(b)) => WaitEnd::Lapsed {
            at: Some(b),
            heartbeat: true,
            last,
        },
        (None, None) => WaitEnd::Lapsed {
            at: None,
            heartbeat: false,
            last,
        },
    }
}

impl Callbacks {
    /// The unclaimed answers for the task `token` of `state` that started waiting at `start`
    /// (`origin`: the execution's start), in time order, with their indexes.
    pub(crate) fn arrivals_for(
        &self,
        claimed: &[bool],
        token: &str,
        state: &str,
        start: i64,
        origin: i64,
    ) -> (Vec<Arrival>, Vec<usize>) {
        let mut found: Vec<(i64, usize)> = Vec::new();
        for (i, a) in self.answers.iter().enumerate() {
            if claimed.get(i).copied().unwrap_or(false) {
                continue;
            }
            let ours = match &a.target {
                CallbackTarget::Token(t) => t == token,
                CallbackTarget::State(s) => s == state,
            };
            if !ours {
                continue;
            }
            let at = match a.at {
                None => start,
                Some(s) => origin.saturating_add((s * 1000.0) as i64),
            };
            // An answer sent before the token existed reaches nothing.
            if at >= start {
                found.push((at, i));
            }
        }
        found.sort_by_key(|&(at, i)| (at, i));
        let arrivals = found
            .iter()
            .filter_map(|&(at, i)| {
                self.answers.get(i).map(|a| Arrival {
                    at,
                    kind: a.kind.clone(),
                })
            })
            .collect();
        (arrivals, found.into_iter().map(|(_, i)| i).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(at: i64) -> Arrival {
        Arrival {
            at,
            kind: CallbackKind::Heartbeat,
        }
    }

    fn ok(at: i64) -> Arrival {
        Arrival {
            at,
            kind: CallbackKind::Success(Value::Null),
        }
    }

    fn ends(timeout: Option<i64>, hb: Option<i64>, arrivals: &[Arrival]) -> WaitEnd {
        play(0, timeout, hb, arrivals, |_| {})
    }

    #[test]
    fn heartbeats_keep_a_task_alive_until_its_timeout() {
        // An answer at 25 s with heartbeats every 8 s and a 10 s heartbeat clock: in time.
        let a = [beat(8), beat(16), beat(24), ok(25)];
        assert_eq!(ends(Some(600), Some(10), &a), WaitEnd::Answered(ok(25)));
        // A late heartbeat: the task times out 10 s after the last one that came.
        let a = [beat(8), beat(19), ok(25)];
        let lapsed = WaitEnd::Lapsed {
            at: Some(18),
            heartbeat: true,
            last: 8,
        };
        assert_eq!(ends(Some(600), Some(10), &a), lapsed);
        // The task's own timeout wins over heartbeats.
        let a = [beat(8), beat(16), ok(25)];
        let lapsed = WaitEnd::Lapsed {
            at: Some(20),
            heartbeat: false,
            last: 16,
        };
        assert_eq!(ends(Some(20), Some(10), &a), lapsed);
        // An answer exactly at the limit is in time.
        assert_eq!(ends(Some(20), None, &[ok(20)]), WaitEnd::Answered(ok(20)));
    }

    #[test]
    fn rejects_answers_that_say_nothing_or_too_much() {
        let bad = |v: Value| Callbacks::from_value(&v).unwrap_err().to_string();
        assert!(bad(serde_json::json!({})).contains("list"));
        assert!(bad(serde_json::json!([{"success": 1}])).contains("say which task"));
        assert!(bad(serde_json::json!([{"state": "A"}])).contains("what it sends"));
        assert!(
            bad(serde_json::json!([{"state": "A", "success": 1, "heartbeat": true}]))
                .contains("success and heartbeat")
        );
        assert!(
            bad(serde_json::json!([{"state": "A", "at": -1, "heartbeat": true}])).contains("/0/at")
        );
        assert!(
            bad(serde_json::json!([{"state": "A", "sucess": 1}]))
                .contains("unknown field `sucess`")
        );
    }
}
