//! Choice rules: parsing (every comparison operator, their `Path` forms, `Is*`, And/Or/Not,
//! JSONata `Condition`) and evaluation against a state's input.

use super::compile::CompiledPath;
use super::definition::QueryLanguage;
use super::diagnostic::{SCHEMA, Sink};
use super::query::{self, Env, PathFail};
use super::time::parse_rfc3339;
use serde_json::Value;
use std::cmp::Ordering;

/// One entry of `Choices`: a rule and where it leads.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The condition.
    pub rule: Rule,
    /// `Next`.
    pub next: String,
    /// `Assign` of this choice.
    pub assign: Option<Value>,
    /// JSONata `Output` of this choice.
    pub output: Option<Value>,
}

/// A boolean condition.
#[derive(Debug, Clone)]
pub enum Rule {
    /// `And`.
    And(Vec<Rule>),
    /// `Or`.
    Or(Vec<Rule>),
    /// `Not`.
    Not(Box<Rule>),
    /// `Variable` compared with `operand` by `op`.
    Compare {
        /// The `Variable` path.
        variable: CompiledPath,
        /// The operator.
        op: Op,
        /// A literal or, for `…Path` operators, a path.
        operand: Operand,
    },
    /// JSONata `Condition` (an expression string or a literal boolean).
    Condition(Value),
    /// A rule too broken to read (diagnostics say why): only in a definition that does not
    /// validate, kept so that the drawing still shows its choice; its `Variable`, if any.
    Invalid(Option<String>),
}

impl Rule {
    /// What the rule's paths may read of the context object (`ctx_parts` bits).
    pub(crate) fn reads(&self) -> u8 {
        match self {
            Rule::And(list) | Rule::Or(list) => list.iter().fold(0, |p, r| p | r.reads()),
            Rule::Not(r) => r.reads(),
            Rule::Compare {
                variable, operand, ..
            } => {
                variable.reads()
                    | match operand {
                        Operand::Path(p) => p.reads(),
                        Operand::Literal(_) => 0,
                    }
            }
            Rule::Condition(_) | Rule::Invalid(_) => 0,
        }
    }

    /// Whether the rule could not be read.
    pub(crate) fn is_invalid(&self) -> bool {
        matches!(self, Rule::Invalid(_))
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone)]
pub enum Operand {
    /// A literal value.
    Literal(Value),
    /// A path to evaluate (`…Path` operators).
    Path(CompiledPath),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `StringEquals` and the other string comparisons.
    String(Ordering, bool),
    /// `NumericEquals` and the other numeric comparisons (`bool`: "or equal").
    Numeric(Ordering, bool),
    /// Timestamp comparisons.
    Timestamp(Ordering, bool),
    /// `BooleanEquals`.
    BooleanEquals,
    /// `StringMatches` (with `*` wildcards).
    StringMatches,
    /// `IsNull`.
    IsNull,
    /// `IsPresent`.
    IsPresent,
    /// `IsNumeric`.
    IsNumeric,
    /// `IsString`.
    IsString,
    /// `IsBoolean`.
    IsBoolean,
    /// `IsTimestamp`.
    IsTimestamp,
}

fn op_of(key: &str) -> Option<(Op, bool)> {
    let (base, is_path) = match key.strip_suffix("Path") {
        Some(b) if !b.starts_with("Is") => (b, true),
        _ => (key, false),
    };
    let cmp = |rest: &str| -> Option<(Ordering, bool)> {
        Some(match rest {
            "Equals" => (Ordering::Equal, true),
            "LessThan" => (Ordering::Less, false),
            "LessThanEquals" => (Ordering::Less, true),
            "GreaterThan" => (Ordering::Greater, false),
            "GreaterThanEquals" => (Ordering::Greater, true),
            _ => return None,
        })
    };
    let op = if let Some(rest) = base.strip_prefix("String") {
        if rest == "Matches" {
            if is_path {
                return None;
            }
            Op::StringMatches
        } else {
            let (o, e) = cmp(rest)?;
            Op::String(o, e)
        }
    } else if let Some(rest) = base.strip_prefix("Numeric") {
        let (o, e) = cmp(rest)?;
        Op::Numeric(o, e)
    } else if let Some(rest) = base.strip_prefix("Timestamp") {
        let (o, e) = cmp(rest)?;
        Op::Timestamp(o, e)
    } else {
        match base {
            "BooleanEquals" => Op::BooleanEquals,
            "IsNull" => Op::IsNull,
            "IsPresent" => Op::IsPresent,
            "IsNumeric" => Op::IsNumeric,
            "IsString" => Op::IsString,
            "IsBoolean" => Op::IsBoolean,
            "IsTimestamp" => Op::IsTimestamp,
            _ => return None,
        }
    };
    Some((op, is_path))
}

/// Reads one entry of `Choices` at `pointer`.
pub(crate) fn parse_choice(
    value: &Value,
    pointer: &str,
    state: &str,
    ql: QueryLanguage,
    sink: &mut Sink,
) -> Option<Choice> {
    let obj = value.as_object();
    let next = obj.and_then(|o| o.get("Next")).and_then(Value::as_str);
    let Some(next) = next else {
        sink.push(
            SCHEMA,
            Some(state),
            Some("Next"),
            pointer,
            "each choice needs `Next`",
        );
        return None;
    };
    let rule = parse_rule(value, pointer, state, ql, sink, true);
    Some(Choice {
        rule,
        next: next.to_owned(),
        assign: obj.and_then(|o| o.get("Assign")).cloned(),
        output: obj.and_then(|o| o.get("Output")).cloned(),
    })
}

/// Reads one rule; [`Rule::Invalid`] when it cannot be read (diagnostics say why).
fn parse_rule(
    value: &Value,
    pointer: &str,
    state: &str,
    ql: QueryLanguage,
    sink: &mut Sink,
    top: bool,
) -> Rule {
    let Some(obj) = value.as_object() else {
        sink.push(
            SCHEMA,
            Some(state),
            None,
            pointer,
            "a choice rule must be an object",
        );
        return Rule::Invalid(None);
    };
    if ql == QueryLanguage::Jsonata {
        return match obj.get("Condition") {
            Some(c) => Rule::Condition(c.clone()),
            None => {
                sink.push(
                    SCHEMA,
                    Some(state),
                    Some("Condition"),
                    pointer,
                    "a JSONata choice rule needs `Condition`",
                );
                Rule::Invalid(None)
            }
        };
    }
    let extra = |k: &str| matches!(k, "Next" | "Comment" | "Assign") && top || k == "Comment";
    // A comparison is (operator, operand) until its `Variable` is known.
    enum Found {
        Rule(Rule),
        Compare(Op, Operand),
    }
    let mut rule = None;
    let mut variable = None;
    for (key, v) in obj {
        let at = format!("{pointer}/{key}");
        match key.as_str() {
            "Variable" => variable = v.as_str().map(str::to_owned),
            "And" | "Or" => {
                let items = v.as_array().map(|a| {
                    a.iter()
                        .enumerate()
                        .map(|(i, r)| parse_rule(r, &format!("{at}/{i}"), state, ql, sink, false))
                        .filter(|r| !r.is_invalid())
                        .collect::<Vec<_>>()
                });
                match items {
                    Some(list) if !list.is_empty() => {
                        rule = Some(Found::Rule(if key == "And" {
                            Rule::And(list)
                        } else {
                            Rule::Or(list)
                        }))
                    }
                    _ => sink.push(
                        SCHEMA,
                        Some(state),
                        Some(key),
                        &at,
                        format!("`{key}` must be a non-empty array of rules"),
                    ),
                }
            }
            "Not" => {
                let inner = parse_rule(v, &at, state, ql, sink, false);
                rule = (!inner.is_invalid()).then(|| Found::Rule(Rule::Not(Box::new(inner))))
            }
            k if extra(k) => {}
            k => match op_of(k) {
                Some((op, true)) => match v.as_str() {
                    Some(p) => rule = Some(Found::Compare(op, Operand::Path(CompiledPath::new(p)))),
                    None => sink.push(
                        SCHEMA,
                        Some(state),
                        Some(k),
                        &at,
                        format!("`{k}` must be a path string"),
                    ),
                },
                Some((op, false)) => {
                    if !literal_fits(op, v) {
                        sink.push(
                            SCHEMA,
                            Some(state),
                            Some(k),
                            &at,
                            format!("`{k}` has a value of the wrong type"),
                        );
                    }
                    rule = Some(Found::Compare(op, Operand::Literal(v.clone())));
                }
                None => sink.push(
                    SCHEMA,
                    Some(state),
                    Some(k),
                    &at,
                    format!("`{k}` is not a choice rule field"),
                ),
            },
        }
    }
    match rule {
        Some(Found::Compare(op, operand)) => match variable {
            Some(variable) => Rule::Compare {
                variable: CompiledPath::new(&variable),
                op,
                operand,
            },
            None => {
                sink.push(
                    SCHEMA,
                    Some(state),
                    Some("Variable"),
                    pointer,
                    "a comparison needs `Variable`",
                );
                Rule::Invalid(None)
            }
        },
        Some(Found::Rule(r)) => r,
        None => {
            sink.push(
                SCHEMA,
                Some(state),
                None,
                pointer,
                "the choice rule has no comparison operator",
            );
            Rule::Invalid(variable)
        }
    }
}

fn literal_fits(op: Op, v: &Value) -> bool {
    match op {
        Op::String(..) | Op::StringMatches | Op::Timestamp(..) => v.is_string(),
        Op::Numeric(..) => v.is_number(),
        _ => v.is_boolean(),
    }
}

/// Why a rule could not be evaluated: AWS fails the execution with `States.Runtime`.
#[derive(Debug, Clone)]
pub(crate) struct RuleError(pub(crate) String);

/// Evaluates a JSONPath rule (JSONata conditions are evaluated by the executor).
pub(crate) fn evaluate(rule: &Rule, env: &Env<'_>) -> Result<bool, RuleError> {
    match rule {
        Rule::And(list) => {
            for r in list {
                if !evaluate(r, env)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Rule::Or(list) => {
            for r in list {
                if evaluate(r, env)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Rule::Not(r) => Ok(!evaluate(r, env)?),
        Rule::Condition(_) => Err(RuleError("a JSONata condition in a JSONPath state".into())),
        Rule::Invalid(_) => Err(RuleError("an invalid choice rule".into())),
        Rule::Compare {
            variable,
            op,
            operand,
        } => compare(variable, *op, operand, env),
    }
}

fn compare(
    variable: &CompiledPath,
    op: Op,
    operand: &Operand,
    env: &Env<'_>,
) -> Result<bool, RuleError> {
    let value = match query::eval_path(variable, env) {
        Ok(v) => Some(v),
        Err(PathFail::NotFound(_)) => None,
        Err(PathFail::Invalid(m)) => return Err(RuleError(m)),
    };
    if op == Op::IsPresent {
        let want = matches!(operand, Operand::Literal(Value::Bool(true)));
        return Ok(value.is_some() == want);
    }
    let Some(value) = value else {
        return Err(RuleError(format!(
            "Invalid path '{variable}': The choice state's condition path references an invalid value."
        )));
    };
    let rhs = match operand {
        Operand::Literal(v) => v.clone(),
        Operand::Path(p) => match query::eval_path(p, env) {
            Ok(v) => v,
            Err(PathFail::NotFound(_)) => {
                return Err(RuleError(format!(
                    "Invalid path '{p}': The choice state's condition path references an invalid value."
                )));
            }
            Err(PathFail::Invalid(m)) => return Err(RuleError(m)),
        },
    };
    let flag = || rhs.as_bool() == Some(true);
    Ok(match op {
        Op::IsNull => value.is_null() == flag(),
        Op::IsNumeric => value.is_number() == flag(),
        Op::IsString => value.is_string() == flag(),
        Op::IsBoolean => value.is_boolean() == flag(),
        Op::IsTimestamp => value.as_str().and_then(parse_rfc3339).is_some() == flag(),
        Op::IsPresent => true,
        Op::BooleanEquals => {
            matches!((value.as_bool(), rhs.as_bool()), (Some(a), Some(b)) if a == b)
        }
        Op::String(o, eq) => match (value.as_str(), rhs.as_str()) {
            (Some(a), Some(b)) => ordered(a.cmp(b), o, eq),
            _ => false,
        },
        Op::Numeric(o, eq) => match (value.as_f64(), rhs.as_f64()) {
            (Some(a), Some(b)) if value.is_number() && rhs.is_number() => {
                a.partial_cmp(&b).is_some_and(|c| ordered(c, o, eq))
            }
            _ => false,
        },
        Op::Timestamp(o, eq) => match (
            value.as_str().and_then(parse_rfc3339),
            rhs.as_str().and_then(parse_rfc3339),
        ) {
            (Some(a), Some(b)) => ordered(a.cmp(&b), o, eq),
            _ => false,
        },
        Op::StringMatches => match (value.as_str(), rhs.as_str()) {
            (Some(a), Some(p)) => string_matches(a, p),
            _ => false,
        },
    })
}

fn ordered(c: Ordering, want: Ordering, or_equal: bool) -> bool {
    c == want || (or_equal && c == Ordering::Equal)
}

/// `StringMatches`: `*` matches any run of characters; `\*` and `\\` are literal.
pub(crate) fn string_matches(text: &str, pattern: &str) -> bool {
    enum Tok {
        Star,
        Char(char),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => toks.push(Tok::Char(chars.next().unwrap_or('\\'))),
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Char(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Classic wildcard matching with backtracking to the last star: linear in practice.
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Char(c)) if text.get(t) == Some(c) => {
                t += 1;
                p += 1;
            }
            Some(Tok::Star) => {
                star = Some((p, t));
                p += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p.min(toks.len())..]
        .iter()
        .all(|t| matches!(t, Tok::Star))
}
