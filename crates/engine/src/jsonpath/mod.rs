//! JSONPath as the States Language uses it: reference paths and full paths.
//!
//! AWS evaluates JSONPath with Jayway's Java library, so the syntax and the error messages here follow
//! Jayway: `$.a.b`, `$['a']`, `$.a[0]`, `$..name`, `[*]`, unions `[0,1]` and `['a','b']`, slices `[1:3]`,
//! filters `[?(@.price < 10 && @.tag == 'x')]`, and trailing functions such as `.length()`. Three roots:
//! `$` (the state input), `$$` (the context object) and `$name` (a variable set with `Assign`).
//!
//! ```
//! use statebridge_engine::jsonpath::{parse, Scope};
//! use serde_json::{json, Map};
//!
//! let input = json!({"items": [{"price": 5}, {"price": 20}]});
//! let scope = Scope { input: &input, context: &json!({}), variables: &Map::new() };
//! let cheap = parse("$.items[?(@.price < 10)]").unwrap().evaluate(&scope).unwrap();
//! assert_eq!(cheap, json!([{"price": 5}]));
//! ```

mod eval;
mod filter;
mod parse;
mod regex;
mod set;

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

pub(crate) use eval::type_name;
pub use set::set_result;

/// The values a path can read: the state input, the context object and the variables in scope.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// What `$` refers to: the state's (effective) input.
    pub input: &'a Value,
    /// What `$$` refers to: the context object.
    pub context: &'a Value,
    /// What `$name` refers to: the variables visible to the state.
    pub variables: &'a Map<String, Value>,
}

/// Where a path starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// `$`: the state input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a variable.
    Variable(String),
}

/// A parsed JSONPath expression; `Display` gives back the original text.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    text: String,
    root: Root,
    /// `@…` inside a filter: relative to the node being tested rather than to `root`.
    relative: bool,
    steps: Vec<Step>,
    function: Option<Function>,
}

/// One step of a path: a selector applied to the children, or to every descendant (`..`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Step {
    Child(Selector),
    Descendant(Selector),
}

/// What a step selects.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Selector {
    /// `.name`, `['name']`, or a union `['a','b']`.
    Names(Vec<String>),
    /// `[n]` or a union `[0,2]`; negative indexes count from the end.
    Indexes(Vec<i64>),
    /// `.*` or `[*]`.
    Wildcard,
    /// `[start:end]` or `[start:end:step]`.
    Slice(Option<i64>, Option<i64>, Option<i64>),
    /// `[?(...)]`.
    Filter(Box<filter::Expr>),
}

/// A function at the end of a path, as Jayway allows (`$.items.length()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Function {
    Length,
    Min,
    Max,
    Avg,
    Sum,
    Stddev,
    Keys,
    First,
    Last,
}

/// Why a path could not be parsed, read or written.
#[derive(Debug, Clone, PartialEq)]
pub enum PathError {
    /// The text is not a valid path.
    Syntax {
        /// The path text.
        path: String,
        /// Character offset of the problem.
        offset: usize,
        /// What is wrong there.
        message: String,
    },
    /// A definite path selected nothing; `detail` is Jayway's wording
    /// (e.g. `No results for path: $['a']`, `Missing property in path $['a']`).
    NotFound {
        /// The path text.
        path: String,
        /// Why nothing was found, in Jayway's words.
        detail: String,
    },
    /// `$name` refers to a variable that is not in scope.
    UndefinedVariable {
        /// The path text.
        path: String,
        /// The variable's name.
        name: String,
    },
    /// A `ResultPath` could not be applied to the input.
    ResultPathMatchFailure {
        /// The ResultPath text.
        path: String,
        /// Why it could not be applied.
        message: String,
    },
    /// Evaluating the path would take more than [`WORK_LIMIT`] steps: filters nested in filters
    /// multiply (each `$..[?($..[?(…)])]` level rescans the document for every node).
    TooMuchWork {
        /// The path text.
        path: String,
    },
}

/// The most steps (nodes visited by `..`, filter tests) one evaluation may take, nested filters
/// included: beyond any real path on a document within AWS's 256 KiB payload limit (a `..` filter
/// on one is a few hundred thousand steps), and about a second in the worst case measured.
pub const WORK_LIMIT: u64 = 1_000_000;

impl PathError {
    /// The States Language error this becomes when it happens during an execution.
    pub fn error_name(&self) -> &'static str {
        match self {
            PathError::ResultPathMatchFailure { .. } => "States.ResultPathMatchFailure",
            _ => "States.Runtime",
        }
    }

    /// The path text the error is about.
    pub fn path(&self) -> &str {
        match self {
            PathError::Syntax { path, .. }
            | PathError::NotFound { path, .. }
            | PathError::UndefinedVariable { path, .. }
            | PathError::ResultPathMatchFailure { path, .. }
            | PathError::TooMuchWork { path } => path,
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathError::Syntax {
                path,
                offset,
                message,
            } => write!(
                f,
                "invalid JSONPath '{path}': {message} at character {offset}"
            ),
            // AWS's own wording for InputPath/OutputPath failures.
            PathError::NotFound { path, detail } => write!(f, "Invalid path '{path}' : {detail}"),
            PathError::UndefinedVariable { path, name } => write!(
                f,
                "Invalid path '{path}' : the variable '{name}' is not defined here"
            ),
            PathError::TooMuchWork { path } => write!(
                f,
                "Invalid path '{path}' : evaluating it takes more than {WORK_LIMIT} steps (filters nested inside filters)"
            ),
            PathError::ResultPathMatchFailure { path, message } => {
                write!(f, "Unable to apply ResultPath '{path}': {message}")
            }
        }
    }
}

impl std::error::Error for PathError {}

/// Parses a JSONPath expression (`$…`, `$$…` or `$name…`).
pub fn parse(text: &str) -> Result<Path, PathError> {
    parse::parse_path(text)
}

impl FromStr for Path {
    type Err = PathError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text)
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Path {
    /// Calls `read` for each way the path (filters included) reads the context object `$$`:
    /// with the member's name for `$$.Member…`, with `None` when it may read the whole object.
    pub fn context_reads(&self, read: &mut dyn FnMut(Option<&str>)) {
        self.context_members(&mut |member, _| read(member));
    }

    /// Like [`Path::context_reads`], one level deeper: `read(member, field)` with the member's
    /// field too (`$$.Execution.Id` gives `Execution`, `Id`), `None` where the path may read all
    /// of that level (`$$.Execution` gives `Execution`, `None`).
    pub fn context_members(&self, read: &mut dyn FnMut(Option<&str>, Option<&str>)) {
        if self.root == Root::Context && !self.relative {
            fn single(step: Option<&Step>) -> Option<&str> {
                match step {
                    Some(Step::Child(Selector::Names(names))) if names.len() == 1 => {
                        names.first().map(String::as_str)
                    }
                    _ => None,
                }
            }
            match single(self.steps.first()) {
                Some(member) => read(Some(member), single(self.steps.get(1))),
                None => read(None, None),
            }
        }
        for step in &self.steps {
            if let Step::Child(Selector::Filter(e)) | Step::Descendant(Selector::Filter(e)) = step {
                e.context_members(read);
            }
        }
    }

    /// Whether this is an ASL "Reference Path": only `.name`, `['name']` and `[n]` steps, no
    /// wildcards, filters, slices, unions, `..` or functions; so it names at most one node.
    pub fn is_reference_path(&self) -> bool {
        self.function.is_none()
            && self.steps.iter().all(|step| match step {
                Step::Child(Selector::Names(names)) => names.len() == 1,
                Step::Child(Selector::Indexes(indexes)) => indexes.len() == 1,
                _ => false,
            })
    }

    /// Where the path starts.
    pub fn root(&self) -> &Root {
        &self.root
    }

    /// The original text of the path.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the path names a single value (Jayway's "definite" paths): evaluation then gives that
    /// value, or an error when it is absent; otherwise evaluation gives an array of every match.
    pub fn is_definite(&self) -> bool {
        let last = self.steps.len().saturating_sub(1);
        self.steps.iter().enumerate().all(|(i, step)| match step {
            Step::Child(Selector::Names(names)) => names.len() == 1 || i == last,
            Step::Child(Selector::Indexes(indexes)) => indexes.len() == 1,
            _ => false,
        })
    }

    /// Jayway's normalised form, as AWS quotes it in error causes: `$['a']['b'][0]`.
    pub fn normalized(&self) -> String {
        let mut out = root_text(self);
        for step in &self.steps {
            push_step(&mut out, step);
        }
        out
    }

    /// Reads the path: a definite path gives the value (an error if it is absent), an indefinite
    /// path gives an array of all matches (possibly empty).
    pub fn evaluate(&self, scope: &Scope) -> Result<Value, PathError> {
        eval::evaluate(self, scope)
    }
}

/// How a root is written in Jayway's normalised form.
fn root_text(path: &Path) -> String {
    match &path.root {
        _ if path.relative => "@".to_owned(),
        Root::Input => "$".to_owned(),
        Root::Context => "$$".to_owned(),
        Root::Variable(name) => format!("${name}"),
    }
}

/// Appends one step in Jayway's normalised form.
fn push_step(out: &mut String, step: &Step) {
    let selector = match step {
        Step::Child(selector) => selector,
        Step::Descendant(selector) => {
            out.push_str("..");
            selector
        }
    };
    match selector {
        Selector::Names(names) => {
            let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
            out.push_str(&format!("[{}]", quoted.join(",")));
        }
        Selector::Indexes(indexes) => {
            let list: Vec<String> = indexes.iter().map(i64::to_string).collect();
            out.push_str(&format!("[{}]", list.join(",")));
        }
        Selector::Wildcard => out.push_str("[*]"),
        Selector::Slice(start, end, _) => {
            let text = |v: &Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
            out.push_str(&format!("[{}:{}]", text(start), text(end)));
        }
        Selector::Filter(_) => out.push_str("[?]"),
    }
}
