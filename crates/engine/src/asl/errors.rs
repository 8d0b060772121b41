//! Errors raised during an execution and AWS's rules for matching them in Retry and Catch.

use serde::Serialize;

/// An error with its cause, as a failed state or execution reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The error name (`None` for a Fail state without `Error`).
    pub error: Option<String>,
    /// The cause text.
    pub cause: Option<String>,
    /// A `States.Timeout` because a heartbeat was late: a Retrier or Catcher naming
    /// `States.HeartbeatTimeout` matches it too.
    #[serde(skip)]
    pub heartbeat: bool,
}

impl Failure {
    /// A failure with both parts.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Failure {
        Failure {
            error: Some(error.into()),
            cause: Some(cause.into()),
            heartbeat: false,
        }
    }

    /// A failure with an optional error and cause.
    pub fn optional(error: Option<String>, cause: Option<String>) -> Failure {
        Failure {
            error,
            cause,
            heartbeat: false,
        }
    }

    /// The `States.Timeout` of a task whose heartbeat was late (AWS records `States.Timeout`;
    /// `States.HeartbeatTimeout` is a name only Retry and Catch use).
    pub fn heartbeat_timeout() -> Failure {
        Failure {
            heartbeat: true,
            ..Failure::new("States.Timeout", "")
        }
    }

    /// The error name, or `""`.
    pub fn name(&self) -> &str {
        self.error.as_deref().unwrap_or("")
    }
}

/// Whether a Retry/Catch `ErrorEquals` list matches `error`.
///
/// `States.Runtime` is never caught nor retried, even when named (observed on AWS);
/// `States.ALL` matches everything else; `States.TaskFailed` matches everything but
/// `States.Timeout`; other names match exactly. An empty list matches every error: AWS accepts
/// `"ErrorEquals": []` and the recorded execution shows it catching a Lambda error.
pub fn error_matches(error_equals: &[String], error: &str) -> bool {
    if error == "States.Runtime" {
        return false;
    }
    if error_equals.is_empty() {
        return true;
    }
    error_equals.iter().any(|name| match name.as_str() {
        n if n == error => true,
        "States.ALL" => error != "States.Runtime",
        "States.TaskFailed" => !matches!(error, "States.Timeout" | "States.Runtime"),
        _ => false,
    })
}

/// Whether a Retry/Catch `ErrorEquals` list matches `failure`: as [`error_matches`], and
/// `States.HeartbeatTimeout` matches a late heartbeat's `States.Timeout`.
pub fn failure_matches(error_equals: &[String], failure: &Failure) -> bool {
    (failure.heartbeat && error_equals.iter().any(|n| n == "States.HeartbeatTimeout"))
        || error_matches(error_equals, failure.name())
}

/// A failure raised while evaluating a state's data flow: AWS names the state and event in the cause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StepError {
    pub(crate) error: String,
    pub(crate) detail: String,
}

impl StepError {
    pub(crate) fn runtime(detail: impl Into<String>) -> StepError {
        StepError {
            error: "States.Runtime".into(),
            detail: detail.into(),
        }
    }

    pub(crate) fn query(detail: impl Into<String>) -> StepError {
        StepError {
            error: "States.QueryEvaluationError".into(),
            detail: detail.into(),
        }
    }

    /// The failure, with AWS's "An error occurred while executing the state …" prefix.
    pub(crate) fn in_state(self, state: &str, entered_id: u64) -> Failure {
        Failure {
            heartbeat: false,
            error: Some(self.error),
            cause: Some(format!(
                "An error occurred while executing the state '{state}' (entered at the event id #{entered_id}). {}",
                self.detail
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::error_matches;

    fn give(list: &[&str], error: &str, want: bool) {
        let list: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        assert_eq!(error_matches(&list, error), want, "{list:?} vs {error}");
    }

    #[test]
    fn matching_rules() {
        give(&["States.ALL"], "Anything", true);
        give(&["States.ALL"], "States.Runtime", false);
        // AWS's documentation says States.Runtime is not caught by States.ALL; the recording
        // shows that naming it does not catch it either.
        give(&["States.Runtime"], "States.Runtime", false);
        give(&[], "Anything", true);
        give(&["States.TaskFailed"], "Lambda.Unknown", true);
        give(&["States.TaskFailed"], "States.Timeout", false);
        give(&["States.Timeout"], "States.Timeout", true);
        give(&["A", "B"], "B", true);
        give(&["A"], "a", false);
    }
}
