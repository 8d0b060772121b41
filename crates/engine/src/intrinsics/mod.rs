//! The States Language's intrinsic functions (`States.Format`, `States.ArrayRange`, `States.Hash`, …)
//! as they appear in `.$` fields of JSONPath states: parsing a call, checking its arguments as AWS
//! does, and evaluating it. Random numbers and UUIDs come from a seeded [`Rng`], so runs repeat.
//!
//! ```
//! use statebridge_engine::intrinsics::{evaluate_str, Rng};
//! use statebridge_engine::jsonpath::Scope;
//! use serde_json::{json, Map};
//!
//! let input = json!({"name": "Ada", "n": [1, 2, 3]});
//! let scope = Scope { input: &input, context: &json!({}), variables: &Map::new() };
//! let mut rng = Rng::new(7);
//! let text = "States.Format('Hello {}, you have {} items', $.name, States.ArrayLength($.n))";
//! assert_eq!(evaluate_str(text, &scope, &mut rng).unwrap(), json!("Hello Ada, you have 3 items"));
//! ```

mod codec;
mod functions;
mod parse;

use std::fmt;

use serde_json::Value;

use crate::jsonpath::{Path, PathError, Scope};

pub use parse::parse;

/// The seeded generator behind `States.MathRandom` and `States.UUID` ([`SplitMix64`]): the same
/// seed gives the same sequence.
///
/// [`SplitMix64`]: crate::splitmix::SplitMix64
pub use crate::splitmix::SplitMix64 as Rng;

/// One argument of an intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A literal: `'text'`, a number, `true`, `false` or `null`.
    Literal(Value),
    /// A string literal as written, escapes included, so `States.Format` can tell `\{` from `{`.
    Text {
        /// The decoded string.
        value: String,
        /// The text between the quotes, with only `\'` decoded.
        raw: String,
    },
    /// A path: `$.x`, `$$.Execution.Id`, `$var.field`.
    Path(Path),
    /// A nested call.
    Call(Box<Call>),
}

/// A parsed intrinsic call: `States.Name(arg, …)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The function's name, e.g. `States.Format`.
    pub name: String,
    /// Its arguments, in order.
    pub args: Vec<Arg>,
}

impl Call {
    /// Calls `read` for each way the call's path arguments read the context object (see
    /// [`Path::context_reads`](crate::jsonpath::Path::context_reads)).
    pub fn context_reads(&self, read: &mut dyn FnMut(Option<&str>)) {
        self.context_members(&mut |member, _| read(member));
    }

    /// Like [`Call::context_reads`], with each member's field too (see
    /// [`Path::context_members`](crate::jsonpath::Path::context_members)).
    pub fn context_members(&self, read: &mut dyn FnMut(Option<&str>, Option<&str>)) {
        for arg in &self.args {
            match arg {
                Arg::Path(p) => p.context_members(read),
                Arg::Call(c) => c.context_members(read),
                Arg::Literal(_) | Arg::Text { .. } => {}
            }
        }
    }
}

/// Why an intrinsic call could not be parsed or evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum IntrinsicError {
    /// The text is not a well-formed call.
    Syntax {
        /// The call text.
        text: String,
        /// Character offset of the problem.
        offset: usize,
        /// What is wrong there.
        message: String,
    },
    /// No intrinsic function has this name.
    UnknownFunction {
        /// The name as written.
        name: String,
    },
    /// The call has the wrong number of arguments.
    ArgumentCount {
        /// The function.
        function: String,
        /// How many it takes, in words (e.g. "2", "2 or 3", "at least 1").
        expected: String,
        /// How many it got.
        found: usize,
    },
    /// An argument has the wrong type or an unacceptable value.
    InvalidArgument {
        /// The function.
        function: String,
        /// Which argument, from 1.
        position: usize,
        /// What is wrong with it.
        message: String,
    },
    /// A path argument could not be read.
    Path(PathError),
}

impl IntrinsicError {
    /// The States Language error this becomes during an execution: `States.Runtime` when a path
    /// argument is missing (as for any path), `States.IntrinsicFailure` otherwise.
    pub fn error_name(&self) -> &'static str {
        match self {
            IntrinsicError::Path(e) => e.error_name(),
            _ => "States.IntrinsicFailure",
        }
    }
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntrinsicError::Syntax {
                text,
                offset,
                message,
            } => write!(
                f,
                "invalid intrinsic function call '{text}': {message} at character {offset}"
            ),
            IntrinsicError::UnknownFunction { name } => {
                write!(f, "'{name}' is not an intrinsic function")
            }
            IntrinsicError::ArgumentCount {
                function,
                expected,
                found,
            } => write!(
                f,
                "{function} takes {expected} argument{}, but {found} {} given",
                if expected == "1" { "" } else { "s" },
                if *found == 1 { "was" } else { "were" }
            ),
            IntrinsicError::InvalidArgument {
                function,
                position,
                message,
            } => write!(f, "{function}: argument {position} {message}"),
            IntrinsicError::Path(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for IntrinsicError {}

impl From<PathError> for IntrinsicError {
    fn from(e: PathError) -> Self {
        IntrinsicError::Path(e)
    }
}

/// Whether a `.$` value is meant as an intrinsic call (`States.Name(…)`) rather than a path: it
/// starts with `States.`, which no path can. [`parse`] then says what is wrong with it, if anything.
pub fn is_intrinsic(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

/// Evaluates a parsed call against the scope; `rng` feeds `States.MathRandom` (unseeded) and
/// `States.UUID`.
pub fn evaluate(call: &Call, scope: &Scope, rng: &mut Rng) -> Result<Value, IntrinsicError> {
    functions::evaluate(call, scope, rng, 0)
}

/// Parses and evaluates a call in one go.
pub fn evaluate_str(text: &str, scope: &Scope, rng: &mut Rng) -> Result<Value, IntrinsicError> {
    evaluate(&parse(text)?, scope, rng)
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.name)?;
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match arg {
                Arg::Literal(v) => write!(f, "{v}")?,
                Arg::Text { raw, .. } => write!(f, "'{}'", raw.replace('\'', "\\'"))?,
                Arg::Path(p) => write!(f, "{p}")?,
                Arg::Call(c) => write!(f, "{c}")?,
            }
        }
        f.write_str(")")
    }
}
