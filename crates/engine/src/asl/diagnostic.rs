//! Diagnostics: what is wrong with a definition, where (state, field, JSON pointer, line and
//! column) and in plain words.

use serde::Serialize;
use std::fmt;

/// One problem found in a state machine definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// AWS's diagnostic code, e.g. `SCHEMA_VALIDATION_FAILED` or `MISSING_TRANSITION_TARGET`.
    pub code: &'static str,
    /// The state the problem is in, when it is in one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The field the problem is about, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// JSON pointer (RFC 6901) to the offending value in the definition.
    pub pointer: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// 1-based line in the definition text, when the text was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column (in characters) in the definition text, when the text was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// For a problem inside a string value (a JSONata expression): how many characters into the
    /// string's content it is; `line`/`column` then point at that character.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_offset: Option<u32>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, "line {line}, column {column}: ")?;
        }
        match (&self.state, &self.field) {
            (Some(s), Some(field)) => write!(f, "state `{s}`, field `{field}`: ")?,
            (Some(s), None) => write!(f, "state `{s}`: ")?,
            (None, Some(field)) => write!(f, "field `{field}`: ")?,
            (None, None) => {}
        }
        write!(f, "{} ({})", self.message, self.code)
    }
}

/// Every problem found in a definition (never empty when returned as an error).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics while walking a definition; knows the current state and pointer.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub(crate) found: Vec<Diagnostic>,
    /// While above zero, problems are not recorded: the rest of a state that validation leaves
    /// out is still read into the model, but only what stopped it is reported.
    pub(crate) muted: u32,
}

impl Sink {
    /// Records a problem at `pointer` (in `state`, about `field`).
    pub(crate) fn push(
        &mut self,
        code: &'static str,
        state: Option<&str>,
        field: Option<&str>,
        pointer: &str,
        message: impl Into<String>,
    ) {
        if self.muted > 0 {
            return;
        }
        self.found.push(Diagnostic {
            code,
            state: state.map(str::to_owned),
            field: field.map(str::to_owned),
            pointer: pointer.to_owned(),
            message: message.into(),
            line: None,
            column: None,
            value_offset: None,
        });
    }
}

/// Schema errors: a field is missing, of the wrong type, or not allowed.
pub(crate) const SCHEMA: &str = "SCHEMA_VALIDATION_FAILED";
/// A `Next`, `Default` or `StartAt` names no state.
pub(crate) const MISSING_TARGET: &str = "MISSING_TRANSITION_TARGET";
/// A state no transition reaches.
pub(crate) const UNREACHABLE: &str = "UNREACHABLE_STATE";
/// A path, intrinsic or JSONata expression does not parse.
pub(crate) const INVALID_EXPR: &str = "INVALID_EXPRESSION";
/// AWS's code for a Task `Resource` it does not recognise.
pub(crate) const INVALID_RESOURCE: &str = "INVALID_RESOURCE";
/// The definition is not JSON.
pub(crate) const INVALID_JSON: &str = "INVALID_JSON_DESCRIPTION";
