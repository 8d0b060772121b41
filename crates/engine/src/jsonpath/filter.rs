//! Filter expressions, `[?(@.price < 10 && @.tag in ['a', 'b'])]`, with Jayway's operators.

use serde_json::{Map, Number, Value};

use super::parse::Parser;
use super::{Path, PathError, Scope, eval};

/// A filter's boolean expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// A lone operand: a path must exist, a literal must be `true`.
    Test(Operand),
    Compare(Operand, Op, Operand),
}

impl Expr {
    /// The context reads of the paths in the expression (see [`Path::context_members`]).
    pub(crate) fn context_members(&self, read: &mut dyn FnMut(Option<&str>, Option<&str>)) {
        match self {
            Expr::Or(a, b) | Expr::And(a, b) => {
                a.context_members(read);
                b.context_members(read);
            }
            Expr::Not(e) => e.context_members(read),
            Expr::Test(o) => o.context_members(read),
            Expr::Compare(a, _, b) => {
                a.context_members(read);
                b.context_members(read);
            }
        }
    }
}

impl Operand {
    fn context_members(&self, read: &mut dyn FnMut(Option<&str>, Option<&str>)) {
        if let Operand::Path(p) = self {
            p.context_members(read);
        }
    }
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Path(Path),
    Literal(Value),
    /// `/pattern/flags`, compiled when the path is parsed.
    Regex(crate::jsonpath::regex::Regex),
}

/// Jayway's relational operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Matches,
    In,
    Nin,
    SubsetOf,
    AnyOf,
    NoneOf,
    Size,
    Empty,
}

/// Parses `expr` up to (not including) the closing `)` of `[?( … )]`.
pub(super) fn parse_expr(p: &mut Parser, depth: usize) -> Result<Expr, PathError> {
    let mut left = parse_and(p, depth)?;
    loop {
        p.skip_spaces();
        if p.eat_str("||") {
            let right = parse_and(p, depth)?;
            left = Expr::Or(Box::new(left), Box::new(right));
        } else {
            return Ok(left);
        }
    }
}

fn parse_and(p: &mut Parser, depth: usize) -> Result<Expr, PathError> {
    let mut left = parse_unary(p, depth)?;
    loop {
        p.skip_spaces();
        if p.eat_str("&&") {
            let right = parse_unary(p, depth)?;
            left = Expr::And(Box::new(left), Box::new(right));
        } else {
            return Ok(left);
        }
    }
}

fn parse_unary(p: &mut Parser, depth: usize) -> Result<Expr, PathError> {
    if depth > super::parse::MAX_DEPTH {
        return Err(p.error("the filter is nested too deeply"));
    }
    p.skip_spaces();
    if p.peek() == Some('!') && p.peek_at(1) != Some('=') {
        p.bump();
        return Ok(Expr::Not(Box::new(parse_unary(p, depth + 1)?)));
    }
    if p.eat('(') {
        let inner = parse_expr(p, depth + 1)?;
        p.skip_spaces();
        p.require(')')?;
        return Ok(inner);
    }
    let left = parse_operand(p, depth)?;
    p.skip_spaces();
    let Some(op) = parse_op(p) else {
        return Ok(Expr::Test(left));
    };
    p.skip_spaces();
    let right = parse_operand(p, depth)?;
    Ok(Expr::Compare(left, op, right))
}

fn parse_op(p: &mut Parser) -> Option<Op> {
    let symbols = [
        ("==", Op::Eq),
        ("!=", Op::Ne),
        ("<=", Op::Le),
        (">=", Op::Ge),
        ("=~", Op::Matches),
        ("<", Op::Lt),
        (">", Op::Gt),
    ];
    for (text, op) in symbols {
        if p.eat_str(text) {
            // Jayway accepts `===` and `!==` as `==` and `!=`.
            if matches!(op, Op::Eq | Op::Ne) {
                p.eat('=');
            }
            return Some(op);
        }
    }
    let words = [
        ("subsetof", Op::SubsetOf),
        ("anyof", Op::AnyOf),
        ("noneof", Op::NoneOf),
        ("size", Op::Size),
        ("empty", Op::Empty),
        ("nin", Op::Nin),
        ("in", Op::In),
    ];
    for (text, op) in words {
        let start = p.pos;
        if p.eat_str(text) {
            if p.peek().is_some_and(|c| c.is_alphanumeric()) {
                p.pos = start;
                continue;
            }
            return Some(op);
        }
    }
    None
}

fn parse_operand(p: &mut Parser, depth: usize) -> Result<Operand, PathError> {
    match p.peek() {
        Some('@') | Some('$') => Ok(Operand::Path(p.path(true, depth)?)),
        Some('/') => {
            p.bump();
            let mut pattern = String::new();
            loop {
                match p.bump() {
                    None => return Err(p.error("unterminated regular expression")),
                    Some('\\') if p.peek() == Some('/') => {
                        p.bump();
                        pattern.push('/');
                    }
                    Some('/') => break,
                    Some(c) => pattern.push(c),
                }
            }
            let mut flags = String::new();
            while let Some(c) = p.peek().filter(char::is_ascii_alphabetic) {
                p.bump();
                flags.push(c);
            }
            Ok(Operand::Regex(crate::jsonpath::regex::Regex::new(
                pattern,
                flags.contains('i'),
            )))
        }
        _ => Ok(Operand::Literal(parse_literal(p, depth)?)),
    }
}

/// A JSON-like literal; Jayway also accepts single-quoted strings, in arrays too.
fn parse_literal(p: &mut Parser, depth: usize) -> Result<Value, PathError> {
    if depth > super::parse::MAX_DEPTH {
        return Err(p.error("the literal is nested too deeply"));
    }
    p.skip_spaces();
    match p.peek() {
        Some(q @ ('\'' | '"')) => {
            p.bump();
            let mut s = String::new();
            loop {
                match p.bump() {
                    None => return Err(p.error("unterminated string")),
                    Some('\\') => match p.bump() {
                        Some('n') => s.push('\n'),
                        Some('t') => s.push('\t'),
                        Some('r') => s.push('\r'),
                        Some(c) => s.push(c),
                        None => return Err(p.error("unterminated string")),
                    },
                    Some(c) if c == q => return Ok(Value::String(s)),
                    Some(c) => s.push(c),
                }
            }
        }
        Some('[') => {
            p.bump();
            let mut items = Vec::new();
            p.skip_spaces();
            if p.eat(']') {
                return Ok(Value::Array(items));
            }
            loop {
                items.push(parse_literal(p, depth + 1)?);
                p.skip_spaces();
                if p.eat(']') {
                    return Ok(Value::Array(items));
                }
                p.require(',')?;
            }
        }
        Some('{') => {
            p.bump();
            let mut map = Map::new();
            p.skip_spaces();
            if p.eat('}') {
                return Ok(Value::Object(map));
            }
            loop {
                let Value::String(key) = parse_literal(p, depth + 1)? else {
                    return Err(p.error("expected a quoted key"));
                };
                p.skip_spaces();
                p.require(':')?;
                map.insert(key, parse_literal(p, depth + 1)?);
                p.skip_spaces();
                if p.eat('}') {
                    return Ok(Value::Object(map));
                }
                p.require(',')?;
            }
        }
        _ => {
            if p.eat_str("true") {
                return Ok(Value::Bool(true));
            }
            if p.eat_str("false") {
                return Ok(Value::Bool(false));
            }
            if p.eat_str("null") {
                return Ok(Value::Null);
            }
            parse_number(p)
        }
    }
}

fn parse_number(p: &mut Parser) -> Result<Value, PathError> {
    let mut text = String::new();
    while let Some(c) = p
        .peek()
        .filter(|c| c.is_ascii_digit() || "+-.eE".contains(*c))
    {
        p.bump();
        text.push(c);
    }
    if text.is_empty() {
        return Err(p.error("expected a path, a number, a string, true, false or null"));
    }
    serde_json::from_str::<Number>(&text)
        .map(Value::Number)
        .or_else(|_| {
            crate::number::parse_f64(&text)
                .and_then(Number::from_f64)
                .map(Value::Number)
                .ok_or(())
        })
        .map_err(|()| p.error(&format!("'{text}' is not a number")))
}

/// Whether `node` passes the filter.
pub(super) fn test(expr: &Expr, node: &Value, scope: &Scope) -> bool {
    if !super::eval::spend() {
        return false;
    }
    match expr {
        Expr::Or(a, b) => test(a, node, scope) || test(b, node, scope),
        Expr::And(a, b) => test(a, node, scope) && test(b, node, scope),
        Expr::Not(inner) => !test(inner, node, scope),
        Expr::Test(operand) => match operand {
            Operand::Path(path) if path.is_definite() => resolve(operand, node, scope).is_some(),
            Operand::Path(_) => {
                matches!(resolve(operand, node, scope), Some(Value::Array(a)) if !a.is_empty())
            }
            _ => resolve(operand, node, scope) == Some(Value::Bool(true)),
        },
        Expr::Compare(left, op, right) => {
            if let (Op::Matches, Operand::Regex(regex)) = (op, right) {
                return match resolve(left, node, scope) {
                    Some(Value::String(s)) => regex.is_match(&s),
                    _ => false,
                };
            }
            let l = resolve(left, node, scope);
            let r = resolve(right, node, scope);
            compare(l.as_ref(), *op, r.as_ref())
        }
    }
}

/// The value of an operand; `None` when a path selects nothing.
fn resolve(operand: &Operand, node: &Value, scope: &Scope) -> Option<Value> {
    match operand {
        Operand::Literal(value) => Some(value.clone()),
        Operand::Regex(..) => None,
        Operand::Path(path) => {
            let result = if path.relative {
                eval::evaluate_at(path, node, scope)
            } else {
                eval::evaluate(path, scope)
            };
            result.ok()
        }
    }
}

/// Jayway's comparison rules; a missing operand only satisfies `!=` and `nin`.
fn compare(left: Option<&Value>, op: Op, right: Option<&Value>) -> bool {
    let (Some(l), Some(r)) = (left, right) else {
        return matches!(op, Op::Ne | Op::Nin) && !(left.is_none() && right.is_none());
    };
    match op {
        Op::Eq => loose_eq(l, r),
        Op::Ne => !loose_eq(l, r),
        Op::Lt | Op::Le | Op::Gt | Op::Ge => match order(l, r) {
            Some(ordering) => match op {
                Op::Lt => ordering.is_lt(),
                Op::Le => ordering.is_le(),
                Op::Gt => ordering.is_gt(),
                _ => ordering.is_ge(),
            },
            None => false,
        },
        Op::In => r
            .as_array()
            .is_some_and(|a| a.iter().any(|x| loose_eq(l, x))),
        Op::Nin => !r
            .as_array()
            .is_some_and(|a| a.iter().any(|x| loose_eq(l, x))),
        Op::SubsetOf => match (l.as_array(), r.as_array()) {
            (Some(a), Some(b)) => a.iter().all(|x| b.iter().any(|y| loose_eq(x, y))),
            _ => false,
        },
        Op::AnyOf => match (l.as_array(), r.as_array()) {
            (Some(a), Some(b)) => a.iter().any(|x| b.iter().any(|y| loose_eq(x, y))),
            _ => false,
        },
        Op::NoneOf => match (l.as_array(), r.as_array()) {
            (Some(a), Some(b)) => !a.iter().any(|x| b.iter().any(|y| loose_eq(x, y))),
            _ => false,
        },
        Op::Size => {
            let size = match l {
                Value::Array(a) => a.len(),
                Value::String(s) => s.chars().count(),
                _ => return false,
            };
            r.as_f64().is_some_and(|n| n == size as f64)
        }
        Op::Empty => {
            let empty = match l {
                Value::Array(a) => a.is_empty(),
                Value::String(s) => s.is_empty(),
                _ => return false,
            };
            r.as_bool() == Some(empty)
        }
        Op::Matches => false,
    }
}

/// Equality as Jayway's value nodes see it: numbers by value, and a number equals a string
/// holding that number.
fn loose_eq(l: &Value, r: &Value) -> bool {
    match (l, r) {
        (Value::Number(a), Value::Number(b)) => numbers_equal(a, b),
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            crate::number::parse_f64(s.trim())
                .zip(n.as_f64())
                .is_some_and(|(a, b)| a == b)
        }
        _ => l == r,
    }
}

fn numbers_equal(a: &Number, b: &Number) -> bool {
    match (a.as_i64(), b.as_i64()) {
        (Some(x), Some(y)) => x == y,
        _ => a.as_f64() == b.as_f64(),
    }
}

fn order(l: &Value, r: &Value) -> Option<std::cmp::Ordering> {
    match (l, r) {
        (Value::Number(a), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => a.as_f64()?.partial_cmp(&b.as_f64()?),
        },
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    }
}
