//! The type of a history event, as an enum: the interpreter records and compares kinds, and
//! AWS's names (`TaskStateEntered`) are written only when an event is serialised or shown.

use serde::ser::{Serialize, Serializer};
use std::fmt;

/// Declares the kinds and their AWS names (the variant's own name).
macro_rules! kinds {
    ($($name:ident),* $(,)?) => {
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
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    ExecutionAborted,
    ExecutionRedriven,
    PassStateEntered,
    PassStateExited,
    PassStateFailed,
    ChoiceStateEntered,
    ChoiceStateExited,
    ChoiceStateFailed,
    WaitStateEntered,
    WaitStateExited,
    WaitStateAborted,
    WaitStateFailed,
    SucceedStateEntered,
    SucceedStateExited,
    FailStateEntered,
    FailStateExited,
    TaskStateEntered,
    TaskStateExited,
    TaskStateAborted,
    TaskStateFailed,
    TaskScheduled,
    TaskStarted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    TaskSubmitted,
    TaskStartFailed,
    TaskSubmitFailed,
    LambdaFunctionScheduled,
    LambdaFunctionStarted,
    LambdaFunctionSucceeded,
    LambdaFunctionFailed,
    LambdaFunctionTimedOut,
    LambdaFunctionStartFailed,
    LambdaFunctionScheduleFailed,
    ActivityScheduled,
    ActivityStarted,
    ActivitySucceeded,
    ActivityFailed,
    ActivityTimedOut,
    ActivityScheduleFailed,
    ParallelStateEntered,
    ParallelStateExited,
    ParallelStateAborted,
    ParallelStateFailed,
    ParallelStateStarted,
    ParallelStateSucceeded,
    MapStateEntered,
    MapStateExited,
    MapStateAborted,
    MapStateFailed,
    MapStateStarted,
    MapStateSucceeded,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    MapIterationAborted,
    MapRunStarted,
    MapRunSucceeded,
    MapRunFailed,
    MapRunAborted,
    MapRunRedriven,
    EvaluationFailed,
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

    /// The key AWS puts the details under: `TaskStateEntered` → `stateEnteredEventDetails`.
    pub fn details_key(self) -> String {
        let name = self.as_str();
        if self.enters_state() {
            return "stateEnteredEventDetails".to_owned();
        }
        if self.exits_state() {
            return "stateExitedEventDetails".to_owned();
        }
        let mut chars = name.chars();
        let first = chars.next().map(|c| c.to_ascii_lowercase()).unwrap_or('x');
        format!("{first}{}EventDetails", chars.as_str())
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
