//! Why a pattern is rejected: where (JSON path, and line/column when parsed from text) and what.

use super::cidr::CidrError;
use super::wildcard::WildcardError;
use crate::source::{JsonSyntaxError, pointer_to_path};
use std::fmt;

/// A pattern that cannot be used, with the place and the problem.
#[derive(Debug, Clone, PartialEq)]
pub enum PatternError {
    /// The text is not JSON.
    Syntax(JsonSyntaxError),
    /// The JSON is not a valid event pattern.
    Invalid {
        /// JSON pointer (RFC 6901) to the offending part of the pattern.
        pointer: String,
        /// 1-based line and column of that part, when the pattern came from text.
        position: Option<(u32, u32)>,
        /// What is wrong.
        problem: Problem,
    },
}

/// What is wrong with a pattern (each says how to fix it).
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The pattern is not a JSON object.
    NotAnObject,
    /// `{}` where fields are expected.
    EmptyObject,
    /// `[]` where at least one value is expected.
    EmptyList,
    /// A field's value is a string, number, boolean or null instead of a list or object.
    FieldNotListOrObject,
    /// A list holds a list (values must be strings, numbers, booleans, null or operator objects).
    NestedList,
    /// An operator object with no operator.
    NoOperator,
    /// An operator object with more than one key.
    ExtraKey(String),
    /// An unknown operator name.
    UnknownOperator(String),
    /// An operator whose value has the wrong type; says what it expects.
    WrongType {
        /// The operator.
        operator: String,
        /// What it takes.
        expected: &'static str,
    },
    /// `prefix`/`suffix` inside `anything-but` with an empty string.
    EmptyAffix(String),
    /// `numeric` with an unknown comparison.
    NumericOperator(String),
    /// `numeric` with a value that is not a number.
    NumericValue(String),
    /// `numeric` with a number that does not fit a double.
    NumericRange(String),
    /// `numeric` with leftover elements.
    NumericTooLong,
    /// `numeric` range whose lower bound is not below its upper bound.
    NumericBounds,
    /// `anything-but` list mixing strings and numbers (or holding other values).
    AnythingButMixed,
    /// `anything-but` list element that is not a string or number.
    AnythingButElement,
    /// `anything-but` with an unsupported inner operator.
    AnythingButOperator(String),
    /// A `wildcard` text that is not valid.
    Wildcard(WildcardProblem),
    /// A `cidr` text that is not valid.
    Cidr(CidrProblem),
    /// `$or` not followed by a list.
    OrNotList,
    /// `$or` with fewer than two alternatives.
    OrTooFew,
    /// `$or` alternative that is not an object.
    OrNotObject,
    /// An operator name used as a field name inside `$or`.
    ReservedInOr(String),
    /// Nested `$or` lists expand to too many combinations.
    TooManyCombinations(usize),
    /// The pattern text is longer than EventBridge allows (characters counted).
    TooLarge(usize),
}

/// What is wrong with a `wildcard` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WildcardProblem {
    /// Two `*` in a row, at this character position.
    Consecutive(usize),
    /// A backslash that escapes neither `*` nor `\`, at this character position.
    BadEscape(usize),
    /// A backslash at the end.
    TrailingBackslash,
}

/// What is wrong with a `cidr` text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CidrProblem {
    /// Not exactly one `/`.
    Slash,
    /// The address is not a standard IPv4 or IPv6 address.
    Address(String),
    /// The prefix length is out of range for the family.
    Bits {
        /// IPv6 (else IPv4).
        v6: bool,
    },
}

impl From<WildcardError> for Problem {
    fn from(e: WildcardError) -> Problem {
        Problem::Wildcard(match e {
            WildcardError::Consecutive(i) => WildcardProblem::Consecutive(i),
            WildcardError::BadEscape(i) => WildcardProblem::BadEscape(i),
            WildcardError::TrailingBackslash => WildcardProblem::TrailingBackslash,
        })
    }
}

impl From<CidrError> for Problem {
    fn from(e: CidrError) -> Problem {
        Problem::Cidr(match e {
            CidrError::Slash => CidrProblem::Slash,
            CidrError::Address(a) => CidrProblem::Address(a),
            CidrError::Bits { v6 } => CidrProblem::Bits { v6 },
        })
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Problem::*;
        match self {
            NotAnObject => write!(
                f,
                "an event pattern must be a JSON object, like {{\"source\": [\"aws.ec2\"]}}"
            ),
            EmptyObject => write!(f, "empty object: give at least one field, or remove it"),
            EmptyList => write!(
                f,
                "empty list: give at least one value to match, or remove the field"
            ),
            FieldNotListOrObject => write!(
                f,
                "a field must hold a list of values (write [\"x\"], not \"x\") or an object of nested fields"
            ),
            NestedList => write!(
                f,
                "a value in the list is itself a list: values are strings, numbers, true, false, null or operator objects"
            ),
            NoOperator => write!(
                f,
                "empty operator object: write one operator, like {{\"prefix\": \"abc\"}}"
            ),
            ExtraKey(k) => write!(
                f,
                "an operator object holds exactly one operator; remove `{k}` (put each operator in its own object in the list)"
            ),
            UnknownOperator(op) => write!(
                f,
                "unknown operator `{op}`: use prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists or cidr (a nested field is written as an object, not inside a list)"
            ),
            WrongType { operator, expected } => write!(f, "`{operator}` takes {expected}"),
            EmptyAffix(op) => write!(
                f,
                "`anything-but` with an empty `{op}` would exclude every string: give a non-empty {op}"
            ),
            NumericOperator(op) => write!(
                f,
                "unknown numeric comparison `{op}`: use \"=\", \"<\", \"<=\", \">\" or \">=\" (a range is [\">\", low, \"<\", high])"
            ),
            NumericValue(op) => write!(
                f,
                "the value after \"{op}\" must be a number (not a string or boolean)"
            ),
            NumericRange(n) => write!(f, "the number {n} is too large to compare"),
            NumericTooLong => write!(
                f,
                "too many elements in `numeric`: write one comparison, or a range as [\">\" or \">=\", low, \"<\" or \"<=\", high]"
            ),
            NumericBounds => write!(
                f,
                "the range is empty: the lower bound must be less than the upper bound"
            ),
            AnythingButMixed => write!(
                f,
                "an `anything-but` list holds only strings or only numbers, not both"
            ),
            AnythingButElement => write!(
                f,
                "an `anything-but` list holds strings or numbers only (not true, false, null, lists or objects)"
            ),
            AnythingButOperator(op) => write!(
                f,
                "`anything-but` cannot hold `{op}`: inside it use prefix, suffix, equals-ignore-case or wildcard"
            ),
            Wildcard(WildcardProblem::Consecutive(i)) => write!(
                f,
                "two `*` in a row at character {i}: one `*` already matches any run of characters"
            ),
            Wildcard(WildcardProblem::BadEscape(i)) => write!(
                f,
                "the backslash at character {i} escapes neither `*` nor `\\`: write `\\\\` for a literal backslash"
            ),
            Wildcard(WildcardProblem::TrailingBackslash) => write!(
                f,
                "the wildcard ends with a lone backslash: write `\\\\` for a literal backslash"
            ),
            Cidr(CidrProblem::Slash) => write!(
                f,
                "a CIDR block is an address, one `/` and a prefix length, like \"10.0.0.0/24\""
            ),
            Cidr(CidrProblem::Address(a)) => {
                write!(f, "`{a}` is not a standard IPv4 or IPv6 address")
            }
            Cidr(CidrProblem::Bits { v6: false }) => write!(
                f,
                "an IPv4 prefix length must be 0 to 31 (match one address by writing it as a plain string)"
            ),
            Cidr(CidrProblem::Bits { v6: true }) => write!(
                f,
                "an IPv6 prefix length must be 0 to 127 (match one address by writing it as a plain string)"
            ),
            OrNotList => write!(
                f,
                "`$or` takes a list of objects, like [{{\"a\": [1]}}, {{\"b\": [2]}}]"
            ),
            OrTooFew => write!(
                f,
                "`$or` needs at least two alternatives; with one, write its fields directly"
            ),
            OrNotObject => write!(f, "each `$or` alternative must be an object of fields"),
            ReservedInOr(name) => write!(
                f,
                "`{name}` is an operator name and cannot be a field name inside `$or`"
            ),
            TooManyCombinations(n) => write!(
                f,
                "the nested `$or` lists expand to more than {n} combinations: simplify the pattern"
            ),
            TooLarge(n) => write!(
                f,
                "the pattern is {n} characters long; EventBridge allows {} (2,048 unless the quota was raised): split it into several rules",
                super::MAX_PATTERN_CHARS
            ),
        }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternError::Syntax(e) => write!(f, "{e}"),
            PatternError::Invalid {
                pointer,
                position,
                problem,
            } => {
                if let Some((line, column)) = position {
                    write!(f, "line {line}, column {column}: ")?;
                }
                if pointer.is_empty() {
                    write!(f, "{problem}")
                } else {
                    write!(f, "at `{}`: {problem}", pointer_to_path(pointer))
                }
            }
        }
    }
}

impl std::error::Error for PatternError {}

impl PatternError {
    /// The JSON pointer of the offending part (`None` for a syntax error).
    pub fn pointer(&self) -> Option<&str> {
        match self {
            PatternError::Syntax(_) => None,
            PatternError::Invalid { pointer, .. } => Some(pointer),
        }
    }
}
