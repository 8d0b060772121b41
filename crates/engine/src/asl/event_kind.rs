//! The type of a history event, as an enum: the interpreter records and compares kinds, and
//! AWS's names (`TaskStateEntered`) are written only when an event is serialised or shown.

use serde::ser::{Serialize, Serializer};
use std::fmt;

/// Declares the kinds, their AWS names (the variant's own name) and their details' keys.
macro_rules! kinds {
    ($($name:ident => $details:literal),* $(,)?) => {
        /// A history event's type, as Step Functions' GetExecutionHistory names it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum EventKind {
            $($name),*
        }

        impl EventKind {
            /// AWS's name of the type.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventKind::$name => stringify!($name)),*
                }
            }

            /// The key AWS puts the details under: `TaskStateEntered` →
            /// `stateEnteredEventDetails` (a name of its own for every kind, so that serialising
            /// an event makes no string).
            pub fn details_key(self) -> &'static str {
                match self {
                    $(EventKind::$name => $details),*
                }
            }

            /// The kind AWS calls `name`, if it is one.
            pub fn from_name(name: &str) -> Option<EventKind> {
                match name {
                    $(stringify!($name) => Some(EventKind::$name),)*
                    _ => None,
                }
            }
        }
    };
}

kinds!(
    ExecutionStarted => "executionStartedEventDetails",
    ExecutionSucceeded => "executionSucceededEventDetails",
    ExecutionFailed => "executionFailedEventDetails",
    ExecutionTimedOut => "executionTimedOutEventDetails",
    ExecutionAborted => "executionAbortedEventDetails",
    ExecutionRedriven => "executionRedrivenEventDetails",
    PassStateEntered => "stateEnteredEventDetails",
    PassStateExited => "stateExitedEventDetails",
    PassStateFailed => "passStateFailedEventDetails",
    ChoiceStateEntered => "stateEnteredEventDetails",
    ChoiceStateExited => "stateExitedEventDetails",
    ChoiceStateFailed => "choiceStateFailedEventDetails",
    WaitStateEntered => "stateEnteredEventDetails",
    WaitStateExited => "stateExitedEventDetails",
    WaitStateAborted => "waitStateAbortedEventDetails",
    WaitStateFailed => "waitStateFailedEventDetails",
    SucceedStateEntered => "stateEnteredEventDetails",
    SucceedStateExited => "stateExitedEventDetails",
    FailStateEntered => "stateEnteredEventDetails",
    FailStateExited => "stateExitedEventDetails",
    TaskStateEntered => "stateEnteredEventDetails",
    TaskStateExited => "stateExitedEventDetails",
    TaskStateAborted => "taskStateAbortedEventDetails",
    TaskStateFailed => "taskStateFailedEventDetails",
    TaskScheduled => "taskScheduledEventDetails",
    TaskStarted => "taskStartedEventDetails",
    TaskSucceeded => "taskSucceededEventDetails",
    TaskFailed => "taskFailedEventDetails",
    TaskTimedOut => "taskTimedOutEventDetails",
    TaskSubmitted => "taskSubmittedEventDetails",
    TaskStartFailed => "taskStartFailedEventDetails",
    TaskSubmitFailed => "taskSubmitFailedEventDetails",
    LambdaFunctionScheduled => "lambdaFunctionScheduledEventDetails",
    LambdaFunctionStarted => "lambdaFunctionStartedEventDetails",
    LambdaFunctionSucceeded => "lambdaFunctionSucceededEventDetails",
    LambdaFunctionFailed => "lambdaFunctionFailedEventDetails",
    LambdaFunctionTimedOut => "lambdaFunctionTimedOutEventDetails",
    LambdaFunctionStartFailed => "lambdaFunctionStartFailedEventDetails",
    LambdaFunctionScheduleFailed => "lambdaFunctionScheduleFailedEventDetails",
    ActivityScheduled => "activityScheduledEventDetails",
    ActivityStarted => "activityStartedEventDetails",
    ActivitySucceeded => "activitySucceededEventDetails",
    ActivityFailed => "activityFailedEventDetails",
    ActivityTimedOut => "activityTimedOutEventDetails",
    ActivityScheduleFailed => "activityScheduleFailedEventDetails",
    ParallelStateEntered => "stateEnteredEventDetails",
    ParallelStateExited => "stateExitedEventDetails",
    ParallelStateAborted => "parallelStateAbortedEventDetails",
    ParallelStateFailed => "parallelStateFailedEventDetails",
    ParallelStateStarted => "parallelStateStartedEventDetails",
    ParallelStateSucceeded => "parallelStateSucceededEventDetails",
    MapStateEntered => "stateEnteredEventDetails",
    MapStateExited => "stateExitedEventDetails",
    MapStateAborted => "mapStateAbortedEventDetails",
    MapStateFailed => "mapStateFailedEventDetails",
    MapStateStarted => "mapStateStartedEventDetails",
    MapStateSucceeded => "mapStateSucceededEventDetails",
    MapIterationStarted => "mapIterationStartedEventDetails",
    MapIterationSucceeded => "mapIterationSucceededEventDetails",
    MapIterationFailed => "mapIterationFailedEventDetails",
    MapIterationAborted => "mapIterationAbortedEventDetails",
    MapRunStarted => "mapRunStartedEventDetails",
    MapRunSucceeded => "mapRunSucceededEventDetails",
    MapRunFailed => "mapRunFailedEventDetails",
    MapRunAborted => "mapRunAbortedEventDetails",
    MapRunRedriven => "mapRunRedrivenEventDetails",
    EvaluationFailed => "evaluationFailedEventDetails",
);

impl EventKind {
    /// The kind named `prefix` followed by `suffix` (`Task` + `StateEntered`), if it is one.
    pub fn joined(prefix: &str, suffix: &str) -> Option<EventKind> {
        // Joined on the stack: no allocation for a name that is looked up on every event.
        let mut buffer = [0u8; 48];
        let (a, b) = (prefix.as_bytes(), suffix.as_bytes());
        let whole = buffer.get_mut(..a.len() + b.len())?;
        let (left, right) = whole.split_at_mut(a.len());
        left.copy_from_slice(a);
        right.copy_from_slice(b);
        EventKind::from_name(std::str::from_utf8(whole).ok()?)
    }

    /// Whether the event enters a state (`…StateEntered`).
    pub fn enters_state(self) -> bool {
        use EventKind::*;
        matches!(
            self,
            PassStateEntered
                | ChoiceStateEntered
                | WaitStateEntered
                | SucceedStateEntered
                | FailStateEntered
                | TaskStateEntered
                | ParallelStateEntered
                | MapStateEntered
        )
    }

    /// Whether the event leaves a state (`…StateExited`).
    pub fn exits_state(self) -> bool {
        use EventKind::*;
        matches!(
            self,
            PassStateExited
                | ChoiceStateExited
                | WaitStateExited
                | SucceedStateExited
                | FailStateExited
                | TaskStateExited
                | ParallelStateExited
                | MapStateExited
        )
    }

    /// Whether the event schedules a task (`TaskScheduled`, `LambdaFunctionScheduled`,
    /// `ActivityScheduled`).
    pub fn schedules_task(self) -> bool {
        matches!(
            self,
            EventKind::TaskScheduled
                | EventKind::LambdaFunctionScheduled
                | EventKind::ActivityScheduled
        )
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<str> for EventKind {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for EventKind {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for EventKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::EventKind;

    #[test]
    fn names_round_trip_and_join() {
        assert_eq!(
            EventKind::from_name("TaskStateEntered"),
            Some(EventKind::TaskStateEntered)
        );
        assert_eq!(
            EventKind::joined("Map", "IterationAborted"),
            Some(EventKind::MapIterationAborted)
        );
        assert_eq!(EventKind::joined("Nope", "StateEntered"), None);
        assert_eq!(EventKind::joined(&"x".repeat(60), "Started"), None);
        assert_eq!(
            EventKind::MapStateEntered.details_key(),
            "stateEnteredEventDetails"
        );
        assert_eq!(
            EventKind::TaskScheduled.details_key(),
            "taskScheduledEventDetails"
        );
        assert_eq!(EventKind::EvaluationFailed.to_string(), "EvaluationFailed");
    }
}
