//! The one error shape every function of the JS API throws: `{kind, message, argument?, path?,
//! pointer?, line?, column?, diagnostics?}`. Plain data, so a page can show it, log it or match on
//! `kind` without parsing a message.

use serde::Serialize;
use statebridge_engine::asl::{Diagnostic, Diagnostics, mocks::MockError};
use statebridge_engine::pattern::PatternError;
use statebridge_engine::source::{JsonSyntaxError, pointer_to_path};

/// What went wrong, coarsely: which kind of input was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    /// An argument is missing or of a type that cannot become JSON (`undefined`, a function, a cycle).
    Argument,
    /// A string argument is not JSON text.
    Syntax,
    /// The event pattern is not valid.
    Pattern,
    /// The state machine definition is not valid.
    Definition,
    /// The mocks are not valid.
    Mocks,
    /// An option of `run` is not valid.
    Options,
    /// The target (`InputPath`, `Input`, `InputTransformer`) is not valid, or cannot apply to the event.
    Target,
    /// The bus (rules and targets) is not valid.
    Bus,
    /// An input is over one of EventBridge's size limits (an event over 256 KiB).
    TooLarge,
    /// The event is not PutEvents input (an event, an entry, a list of up to 10, `{Entries}`).
    Event,
    /// A TestState request is malformed, or TestState refuses it (AWS's message).
    Request,
    /// A pasted execution history cannot be read (`replay`).
    History,
    /// A SAM or CloudFormation template cannot be read (`importTemplate`).
    Template,
    /// A workspace document is not valid (`importTemplate`'s base, `exportTemplate`).
    Workspace,
}

/// An error as the JS API reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// What kind of input was rejected.
    pub kind: ErrorKind,
    /// The whole story in one line (or one line per diagnostic), place included.
    pub message: String,
    /// The argument it is about (`"pattern"`, `"event"`, `"definition"`, `"options.mocks"`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argument: Option<String>,
    /// Where inside that argument, as people read it: `detail.state`, `States.Charge.Next`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The same place as a JSON pointer (RFC 6901).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// 1-based line, when the argument was JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column (in characters), when the argument was JSON text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Every problem of a definition (for `kind: "definition"`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

impl ApiError {
    /// An error of `kind` about `argument`, with no place.
    pub fn new(kind: ErrorKind, argument: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            kind,
            message: message.into(),
            argument: Some(argument.to_owned()),
            path: None,
            pointer: None,
            line: None,
            column: None,
            diagnostics: Vec::new(),
        }
    }

    /// Sets the place from a JSON pointer.
    pub fn at(mut self, pointer: &str) -> ApiError {
        self.path = Some(pointer_to_path(pointer));
        self.pointer = Some(pointer.to_owned());
        self
    }

    /// Sets the line and column, when known.
    fn position(mut self, position: Option<(u32, u32)>) -> ApiError {
        if let Some((line, column)) = position {
            self.line = Some(line);
            self.column = Some(column);
        }
        self
    }

    /// A string argument that is not JSON.
    pub fn syntax(argument: &str, e: &JsonSyntaxError) -> ApiError {
        ApiError::new(
            ErrorKind::Syntax,
            argument,
            format!("{argument} is not valid JSON: {e}"),
        )
        .position(Some((e.line, e.column)))
    }

    /// A rejected event pattern.
    pub fn pattern(argument: &str, e: &PatternError) -> ApiError {
        match e {
            PatternError::Syntax(s) => ApiError::syntax(argument, s),
            PatternError::Invalid {
                pointer, position, ..
            } => ApiError::new(ErrorKind::Pattern, argument, e.to_string())
                .at(pointer)
                .position(*position),
        }
    }

    /// A rejected definition: the first diagnostic gives the place, all of them are listed.
    pub fn definition(argument: &str, d: Diagnostics) -> ApiError {
        let first = d.0.first().cloned();
        let syntax = first
            .as_ref()
            .is_some_and(|f| f.code == "INVALID_JSON_DESCRIPTION");
        let kind = if syntax {
            ErrorKind::Syntax
        } else {
            ErrorKind::Definition
        };
        let mut e = ApiError::new(kind, argument, d.to_string());
        if let Some(f) = first {
            if !syntax {
                e = e.at(&f.pointer);
            }
            e = e.position(f.line.zip(f.column));
        }
        e.diagnostics = d.0;
        e
    }

    /// Rejected mocks.
    pub fn mocks(argument: &str, e: &MockError) -> ApiError {
        ApiError::new(ErrorKind::Mocks, argument, e.to_string()).at(&e.pointer)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
