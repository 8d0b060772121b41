//! The Amazon States Language: definitions, validation and a stepping executor.
//!
//! ```
//! use statebridge_engine::asl::{StateMachine, mocks::Mocks, exec::{Execution, ExecutionOptions, Status}};
//! let machine: StateMachine = r#"{"StartAt": "Charge", "States": {
//!     "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
//!                "Retry": [{"ErrorEquals": ["Throttled"], "MaxAttempts": 2}], "End": true}}}"#.parse().unwrap();
//! let mocks = Mocks::from_value(&serde_json::json!({"Charge": {
//!     "0": {"Throw": {"Error": "Throttled", "Cause": "slow down"}}, "1": {"Return": {"ok": true}}}}), None).unwrap();
//! let options = ExecutionOptions { mocks, ..ExecutionOptions::default() };
//! let outcome = Execution::new(&machine, serde_json::json!({}), options).run_to_end();
//! assert_eq!(outcome.status, Status::Succeeded);
//! assert_eq!(outcome.output, Some(serde_json::json!({"ok": true})));
//! ```

pub mod callbacks;
pub mod choice;
pub mod compile;
pub mod definition;
pub mod diagnostic;
pub mod errors;
pub mod event_kind;
pub mod exec;
pub mod express;
pub mod history;
pub mod item_data;
pub mod mocks;
pub mod s3;
pub mod test_state;
pub mod time;

mod data_flow;
mod jsonata_bridge;
mod query;
mod resource;
mod state_parse;
mod validate;
mod validate_jsonata;

pub use compile::{CompiledCall, CompiledPath, Dynamic};
pub use definition::{QueryLanguage, State, StateMachine};
pub use diagnostic::{Diagnostic, Diagnostics};
pub use event_kind::EventKind;
pub use exec::{Execution, ExecutionOptions, Outcome, Status};
pub use history::HistoryEvent;
pub use state_parse::state_fields_of;
pub use validate::{parse, parse_value, validate};

/// Validates a definition held as a JSON value (no line/column information).
pub fn validate_value(value: &serde_json::Value) -> Vec<Diagnostic> {
    validate::check_value(value)
}
