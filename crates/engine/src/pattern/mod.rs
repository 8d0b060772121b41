//! Event patterns: parse, validate, match, explain, and many rules compiled into one matcher.
//!
//! The language is EventBridge's, with the behaviour of aws/event-ruler (the matcher EventBridge
//! uses) wherever the user guide is silent:
//!
//! ```
//! use statebridge_engine::pattern::Pattern;
//! use serde_json::json;
//! let pattern: Pattern = r#"{"source": ["aws.ec2"], "detail": {"state": ["stopped", "terminated"]}}"#
//!     .parse()
//!     .unwrap();
//! let event = json!({"source": "aws.ec2", "detail": {"state": "running"}});
//! assert!(!pattern.matches(&event));
//! let why = pattern.explain(&event);
//! assert_eq!(
//!     why.to_string(),
//!     "`detail.state` is \"running\"; the pattern wants one of \"stopped\", \"terminated\""
//! );
//! ```
//!
//! Semantics worth knowing (see DESIGN.md): a field's list is an OR of its values; arrays in the
//! event match if any element matches; fields from arrays of objects must come from the same
//! element; `null` matches only a present null; `anything-but`, `numeric` and the string operators
//! never match a missing field; `numeric` applies to JSON numbers only and compares by value (so
//! do plain numbers: `300` matches `3.0e2`); a plain string that is an IP address matches the same
//! address however it is written; `exists` is about leaves (an object or an empty array is not a
//! present leaf).
//!
//! # Limits
//!
//! The limits this module enforces, each with an error naming the JSON path:
//! - the pattern's text: at most [`MAX_PATTERN_CHARS`] characters (EventBridge's adjustable
//!   maximum; its default quota is 2,048), checked by [`Pattern::check_size`] and by bus rules;
//! - `$or`: at least two alternatives, and nested `$or` lists may multiply out to at most
//!   [`MAX_COMBINATIONS`] combinations (EventBridge refuses rules that are too complex; this is
//!   where a rule's matching cost is bounded);
//! - `numeric`: finite numbers only, one comparison or a range (`>`/`>=` then `<`/`<=`) whose
//!   lower bound is below its upper bound;
//! - `anything-but` with `prefix` or `suffix`: non-empty strings (an empty one would refuse
//!   every string); `wildcard`: no two
//!   consecutive `*`, and only `\*` and `\\` as escapes; `cidr`: an IPv4 or IPv6 range with a
//!   prefix length the address family allows;
//! - JSON nesting (pattern and event): at most [`crate::source::MAX_DEPTH`] levels.
//!
//! Not enforced here: targets per rule (at most five, checked by [`crate::bus`]), EventBridge's
//! per-account quotas (rules per bus), and event size (events are read whole).
//!
//! # Explanations
//!
//! [`Pattern::explain`] says, per field, the event's values and what the pattern wanted; for an
//! `$or`, each alternative's verdict and which came closest (the first that matches, else the
//! one with the largest share of met fields), and [`Explanation::lines`] renders it one line per
//! field for people.

mod cidr;
mod error;
mod event;
mod explain;
mod parse;
mod ruleset;
mod skim;
mod value;
mod wildcard;

pub use error::{CidrProblem, PatternError, Problem, WildcardProblem};
pub use event::FlatEvent;
pub use explain::{Explanation, FieldExplanation, OrExplanation};
pub use parse::MAX_COMBINATIONS;
pub use ruleset::RuleSet;

use crate::source;
use serde_json::Value;
use std::str::FromStr;

/// EventBridge's largest event pattern, in characters (the default quota is 2,048).
pub const MAX_PATTERN_CHARS: usize = 4096;

/// A validated event pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    fields: Vec<parse::Field>,
    root: parse::Group,
    branches: Vec<Vec<usize>>,
    filter: event::PathFilter,
    json: Value,
}

impl Pattern {
    /// Validates a pattern given as JSON; the error names the JSON path and the problem.
    ///
    /// ```
    /// # use statebridge_engine::pattern::Pattern;
    /// let err = Pattern::parse(&serde_json::json!({"detail": {"state": "running"}})).unwrap_err();
    /// assert!(err.to_string().starts_with("at `detail.state`: a field must hold a list"));
    /// ```
    pub fn parse(json: &Value) -> Result<Pattern, PatternError> {
        let parsed = parse::parse(json)?;
        let branches = parse::branches(&parsed.root, &parsed.fields)?;
        let mut filter = event::PathFilter::default();
        for field in &parsed.fields {
            filter.add(&field.path);
        }
        Ok(Pattern {
            filter,
            fields: parsed.fields,
            root: parsed.root,
            branches,
            json: json.clone(),
        })
    }

    /// Checks EventBridge's size limit on the pattern's text.
    pub fn check_size(text: &str) -> Result<(), PatternError> {
        let chars = text.chars().count();
        if chars > MAX_PATTERN_CHARS {
            return Err(PatternError::Invalid {
                pointer: String::new(),
                position: None,
                problem: Problem::TooLarge(chars),
            });
        }
        Ok(())
    }

    /// The pattern as JSON.
    pub fn as_json(&self) -> &Value {
        &self.json
    }

    /// Whether the event matches.
    ///
    /// ```
    /// # use statebridge_engine::pattern::Pattern;
    /// # use serde_json::json;
    /// let p = Pattern::parse(&json!({"price": [{"numeric": [">", 10, "<=", 20]}]})).unwrap();
    /// assert!(p.matches(&json!({"price": 20})));
    /// assert!(!p.matches(&json!({"price": "20"})));
    /// ```
    pub fn matches(&self, event: &Value) -> bool {
        self.matches_flat(&FlatEvent::filtered(event, &self.filter))
    }

    /// Whether the event, given as JSON text, matches; reads only the fields the pattern names
    /// (the fastest way to match text). Text that is not JSON is an error.
    ///
    /// ```
    /// # use statebridge_engine::pattern::Pattern;
    /// let p: Pattern = r#"{"detail": {"state": [{"prefix": "run"}]}}"#.parse().unwrap();
    /// assert_eq!(p.matches_text(r#"{"detail": {"state": "running", "big": [1, 2, 3]}}"#), Ok(true));
    /// assert!(p.matches_text("{").is_err());
    /// ```
    pub fn matches_text(&self, event: &str) -> Result<bool, source::JsonSyntaxError> {
        Ok(self.matches_flat(&skim::flatten_text(event, &self.filter)?))
    }

    /// Whether an already flattened event matches.
    pub fn matches_flat(&self, event: &FlatEvent) -> bool {
        self.branches
            .iter()
            .any(|b| event::branch_matches(&self.fields, b, event))
    }

    /// Why the event matches or not, field by field.
    pub fn explain(&self, event: &Value) -> Explanation {
        explain::explain(self, &FlatEvent::filtered(event, &self.filter))
    }
}

impl FromStr for Pattern {
    type Err = PatternError;

    /// Parses pattern text; errors carry the line and column.
    fn from_str(text: &str) -> Result<Pattern, PatternError> {
        let (json, map) = source::parse(text).map_err(PatternError::Syntax)?;
        Pattern::parse(&json).map_err(|e| match e {
            PatternError::Invalid {
                pointer, problem, ..
            } => {
                // The place itself, else the nearest enclosing one the text has (a missing
                // element, such as the number after `"="`, is reported where its list is).
                let mut at = pointer.as_str();
                let span = loop {
                    if let Some(span) = map.value_span(at).or_else(|| map.key_span(at)) {
                        break Some(span);
                    }
                    match at.rfind('/') {
                        Some(cut) => at = &at[..cut],
                        None => break None,
                    }
                };
                PatternError::Invalid {
                    position: span.map(|s| (s.line, s.column)),
                    pointer,
                    problem,
                }
            }
            other => other,
        })
    }
}

impl TryFrom<&Value> for Pattern {
    type Error = PatternError;

    fn try_from(json: &Value) -> Result<Pattern, PatternError> {
        Pattern::parse(json)
    }
}
