//! From pattern JSON to fields and `$or` groups, validating as EventBridge's matcher does.

use super::cidr::IpRange;
use super::error::{PatternError, Problem};
use super::value::{AnythingBut, Range, Test, fold};
use super::wildcard::Wildcard;
use crate::source::escape_segment;
use serde_json::{Map, Value};

/// Nested `$or` lists multiply out; beyond this many combinations the pattern is refused.
pub const MAX_COMBINATIONS: usize = 4096;

/// Operator names, which cannot be field names inside `$or`.
const OPERATORS: [&str; 10] = [
    "exactly",
    "prefix",
    "suffix",
    "equals-ignore-case",
    "wildcard",
    "anything-but",
    "numeric",
    "exists",
    "cidr",
    "$or",
];

/// One pattern field: a dotted path and the list of tests any of which may match.
#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// Dotted path, as EventBridge flattens names (`detail.state`).
    pub path: String,
    /// Pointer to the list in the pattern.
    pub pointer: String,
    pub tests: Vec<Test>,
    /// The list holds `{"exists": false}`: a missing field satisfies it.
    pub absent_ok: bool,
    /// The list as written.
    pub wanted: Value,
}

/// Fields that must all match, and `$or` lists each of which must have a matching alternative.
#[derive(Debug, Clone, Default)]
pub(crate) struct Group {
    pub fields: Vec<usize>,
    pub ors: Vec<Or>,
}

/// A `$or` list.
#[derive(Debug, Clone)]
pub(crate) struct Or {
    pub pointer: String,
    pub alternatives: Vec<Group>,
}

/// The parsed pattern before its combinations are multiplied out.
pub(crate) struct Parsed {
    pub fields: Vec<Field>,
    pub root: Group,
}

type Result<T> = std::result::Result<T, PatternError>;

fn invalid(pointer: &str, problem: Problem) -> PatternError {
    PatternError::Invalid {
        pointer: pointer.to_owned(),
        position: None,
        problem,
    }
}

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape_segment(key))
}

/// Parses and validates a whole pattern.
pub(crate) fn parse(pattern: &Value) -> Result<Parsed> {
    let Value::Object(map) = pattern else {
        return Err(invalid("", Problem::NotAnObject));
    };
    let mut fields = Vec::new();
    let root = object(map, "", "", false, &mut fields)?;
    Ok(Parsed { fields, root })
}

fn object(
    map: &Map<String, Value>,
    prefix: &str,
    pointer: &str,
    in_or: bool,
    fields: &mut Vec<Field>,
) -> Result<Group> {
    if map.is_empty() {
        return Err(invalid(pointer, Problem::EmptyObject));
    }
    let mut group = Group::default();
    for (key, value) in map {
        let here = child(pointer, key);
        if key == "$or" {
            group.ors.push(or(value, prefix, &here, fields)?);
            continue;
        }
        if in_or && OPERATORS.contains(&key.as_str()) {
            return Err(invalid(&here, Problem::ReservedInOr(key.clone())));
        }
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            Value::Object(inner) => {
                let sub = object(inner, &path, &here, in_or, fields)?;
                group.fields.extend(sub.fields);
                group.ors.extend(sub.ors);
            }
            Value::Array(items) => {
                let field = list(items, path, &here)?;
                group.fields.push(fields.len());
                fields.push(field);
            }
            _ => return Err(invalid(&here, Problem::FieldNotListOrObject)),
        }
    }
    Ok(group)
}

fn or(value: &Value, prefix: &str, pointer: &str, fields: &mut Vec<Field>) -> Result<Or> {
    let Value::Array(items) = value else {
        return Err(invalid(pointer, Problem::OrNotList));
    };
    let mut alternatives = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let here = format!("{pointer}/{i}");
        let Value::Object(map) = item else {
            return Err(invalid(&here, Problem::OrNotObject));
        };
        alternatives.push(object(map, prefix, &here, true, fields)?);
    }
    if alternatives.len() < 2 {
        return Err(invalid(pointer, Problem::OrTooFew));
    }
    Ok(Or {
        pointer: pointer.to_owned(),
        alternatives,
    })
}

fn list(items: &[Value], path: String, pointer: &str) -> Result<Field> {
    if items.is_empty() {
        return Err(invalid(pointer, Problem::EmptyList));
    }
    let mut tests = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let here = format!("{pointer}/{i}");
        tests.push(match item {
            Value::String(s) => match IpRange::address(s) {
                Some(ip) => Test::Ip(ip, false),
                None => Test::Str(s.clone()),
            },
            Value::Number(n) => Test::Num(finite(n, &here, "a number")?),
            Value::Bool(b) => Test::Bool(*b),
            Value::Null => Test::Null,
            Value::Array(_) => return Err(invalid(&here, Problem::NestedList)),
            Value::Object(op) => operator(op, &here)?,
        });
    }
    // event-ruler decides per field whether the event's numbers are read as numbers or as
    // text (value.rs `NumbersAsText`); it decides for the field across all patterns of its
    // machine, we for the one list, as a rule is matched on its own.
    let numbers_as_text = !tests.iter().any(Test::is_numeric);
    for t in &mut tests {
        if let Test::Ip(_, flag) = t {
            *flag = numbers_as_text;
        }
    }
    let absent_ok = tests.iter().any(|t| matches!(t, Test::Exists(false)));
    Ok(Field {
        path,
        pointer: pointer.to_owned(),
        tests,
        absent_ok,
        wanted: Value::Array(items.to_vec()),
    })
}

fn finite(n: &serde_json::Number, pointer: &str, op: &str) -> Result<f64> {
    match n.as_f64() {
        Some(x) if x.is_finite() => Ok(x),
        _ => Err(invalid(
            pointer,
            Problem::NumericRange(format!("{n} ({op})")),
        )),
    }
}

fn wrong(pointer: &str, operator: &str, expected: &'static str) -> PatternError {
    invalid(
        pointer,
        Problem::WrongType {
            operator: operator.to_owned(),
            expected,
        },
    )
}

/// The single operator of an operator object, or an error for none or several.
fn single<'a>(op: &'a Map<String, Value>, pointer: &str) -> Result<(&'a str, &'a Value, String)> {
    let mut entries = op.iter();
    let Some((name, value)) = entries.next() else {
        return Err(invalid(pointer, Problem::NoOperator));
    };
    if let Some((extra, _)) = entries.next() {
        return Err(invalid(
            &child(pointer, extra),
            Problem::ExtraKey(extra.clone()),
        ));
    }
    Ok((name, value, child(pointer, name)))
}

fn string<'a>(value: &'a Value, pointer: &str, operator: &str) -> Result<&'a str> {
    value
        .as_str()
        .ok_or_else(|| wrong(pointer, operator, "a string"))
}

fn operator(op: &Map<String, Value>, pointer: &str) -> Result<Test> {
    let (name, value, here) = single(op, pointer)?;
    Ok(match name {
        "exactly" => Test::Str(string(value, &here, name)?.to_owned()),
        "prefix" | "suffix" => affix(name, value, &here)?,
        "equals-ignore-case" => Test::EqualsIgnoreCase(fold(string(value, &here, name)?)),
        "wildcard" => Test::Wildcard(wildcard(string(value, &here, name)?, &here)?),
        "numeric" => Test::Numeric(numeric(value, &here)?),
        "exists" => match value {
            Value::Bool(b) => Test::Exists(*b),
            _ => return Err(wrong(&here, name, "true or false")),
        },
        "cidr" => {
            let text = string(value, &here, name)?;
            Test::Ip(
                IpRange::cidr(text).map_err(|e| invalid(&here, e.into()))?,
                false,
            )
        }
        "anything-but" => Test::AnythingBut(anything_but(value, &here)?),
        other => return Err(invalid(&here, Problem::UnknownOperator(other.to_owned()))),
    })
}

fn wildcard(text: &str, pointer: &str) -> Result<Wildcard> {
    Wildcard::parse(text).map_err(|e| invalid(pointer, e.into()))
}

fn affix(name: &str, value: &Value, pointer: &str) -> Result<Test> {
    let prefix = name == "prefix";
    match value {
        Value::String(s) if prefix => Ok(Test::Prefix(s.clone())),
        Value::String(s) => Ok(Test::Suffix(s.clone())),
        Value::Object(inner) => {
            let (inner_name, inner_value, here) = single(inner, pointer)?;
            if inner_name != "equals-ignore-case" {
                return Err(invalid(
                    &here,
                    Problem::UnknownOperator(inner_name.to_owned()),
                ));
            }
            let s = fold(string(inner_value, &here, inner_name)?);
            Ok(if prefix {
                Test::PrefixIgnoreCase(s)
            } else {
                Test::SuffixIgnoreCase(s)
            })
        }
        _ => Err(wrong(
            pointer,
            name,
            "a string, or {\"equals-ignore-case\": string}",
        )),
    }
}

fn numeric(value: &Value, pointer: &str) -> Result<Range> {
    let Value::Array(items) = value else {
        return Err(wrong(
            pointer,
            "numeric",
            "a list, like [\">\", 0, \"<=\", 5]",
        ));
    };
    let op_at = |i: usize| -> Result<Option<&str>> {
        match items.get(i) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(invalid(
                &format!("{pointer}/{i}"),
                Problem::NumericOperator(other.to_string()),
            )),
        }
    };
    let num_at = |i: usize, op: &str| -> Result<f64> {
        let here = format!("{pointer}/{i}");
        match items.get(i) {
            Some(Value::Number(n)) => finite(n, &here, op),
            _ => Err(invalid(&here, Problem::NumericValue(op.to_owned()))),
        }
    };
    let Some(first) = op_at(0)? else {
        return Err(invalid(pointer, Problem::EmptyList));
    };
    let x = num_at(1, first)?;
    let (range, used) = match first {
        "=" => (
            Range {
                low: Some((x, true)),
                high: Some((x, true)),
            },
            2,
        ),
        "<" | "<=" => (
            Range {
                low: None,
                high: Some((x, first == "<=")),
            },
            2,
        ),
        ">" | ">=" => {
            let low = Some((x, first == ">="));
            match op_at(2)? {
                None => (Range { low, high: None }, 2),
                Some(second @ ("<" | "<=")) => {
                    let y = num_at(3, second)?;
                    if x >= y {
                        return Err(invalid(pointer, Problem::NumericBounds));
                    }
                    (
                        Range {
                            low,
                            high: Some((y, second == "<=")),
                        },
                        4,
                    )
                }
                Some(other) => {
                    let problem = if matches!(other, ">" | ">=" | "=") {
                        Problem::NumericTooLong
                    } else {
                        Problem::NumericOperator(other.to_owned())
                    };
                    return Err(invalid(&format!("{pointer}/2"), problem));
                }
            }
        }
        other => {
            return Err(invalid(
                &format!("{pointer}/0"),
                Problem::NumericOperator(other.to_owned()),
            ));
        }
    };
    if items.len() > used {
        return Err(invalid(
            &format!("{pointer}/{used}"),
            Problem::NumericTooLong,
        ));
    }
    Ok(range)
}

/// A string or a non-empty list of strings (for `anything-but`'s inner operators).
fn strings(value: &Value, pointer: &str, operator: &str) -> Result<Vec<String>> {
    const EXPECTED: &str = "a string or a list of strings";
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                _ => Err(wrong(&format!("{pointer}/{i}"), operator, EXPECTED)),
            })
            .collect(),
        Value::Array(_) => Err(invalid(pointer, Problem::EmptyList)),
        _ => Err(wrong(pointer, operator, EXPECTED)),
    }
}

fn anything_but(value: &Value, pointer: &str) -> Result<AnythingBut> {
    match value {
        Value::String(s) => Ok(AnythingBut::Strings(vec![s.clone()])),
        Value::Number(n) => Ok(AnythingBut::Numbers(vec![finite(
            n,
            pointer,
            "anything-but",
        )?])),
        Value::Array(items) => anything_but_list(items, pointer),
        Value::Object(inner) => {
            let (name, inner_value, here) = single(inner, pointer)?;
            match name {
                "prefix" | "suffix" => {
                    let list = strings(inner_value, &here, name)?;
                    if list.iter().any(String::is_empty) {
                        return Err(invalid(&here, Problem::EmptyAffix(name.to_owned())));
                    }
                    Ok(if name == "prefix" {
                        AnythingBut::Prefix(list)
                    } else {
                        AnythingBut::Suffix(list)
                    })
                }
                "equals-ignore-case" => {
                    let list = strings(inner_value, &here, name)?;
                    Ok(AnythingBut::IgnoreCase(
                        list.iter().map(|s| fold(s)).collect(),
                    ))
                }
                "wildcard" => {
                    let list = strings(inner_value, &here, name)?;
                    let parsed = list
                        .iter()
                        .map(|s| wildcard(s, &here))
                        .collect::<Result<_>>()?;
                    Ok(AnythingBut::Wildcard(parsed))
                }
                other => Err(invalid(
                    &here,
                    Problem::AnythingButOperator(other.to_owned()),
                )),
            }
        }
        _ => Err(wrong(
            pointer,
            "anything-but",
            "a string, a number, a list of strings or of numbers, or an object with prefix, suffix, equals-ignore-case or wildcard",
        )),
    }
}

fn anything_but_list(items: &[Value], pointer: &str) -> Result<AnythingBut> {
    let mut strs = Vec::new();
    let mut nums = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let here = format!("{pointer}/{i}");
        match item {
            Value::String(s) => strs.push(s.clone()),
            Value::Number(n) => nums.push(finite(n, &here, "anything-but")?),
            _ => return Err(invalid(&here, Problem::AnythingButElement)),
        }
    }
    match (strs.is_empty(), nums.is_empty()) {
        (false, true) => Ok(AnythingBut::Strings(strs)),
        (true, false) => Ok(AnythingBut::Numbers(nums)),
        (true, true) => Err(invalid(pointer, Problem::EmptyList)),
        (false, false) => Err(invalid(pointer, Problem::AnythingButMixed)),
    }
}

/// Multiplies `$or` lists out into branches: each a list of field indices that must all match
/// within one consistent choice of array elements. A path given twice keeps the later one, as
/// EventBridge's matcher does.
pub(crate) fn branches(root: &Group, fields: &[Field]) -> Result<Vec<Vec<usize>>> {
    let mut out = expand(root)?;
    for branch in &mut out {
        branch.sort_unstable();
        let mut keep: Vec<usize> = Vec::with_capacity(branch.len());
        for &i in branch.iter().rev() {
            let path = |k: usize| fields.get(k).map(|f| f.path.as_str());
            if !keep.iter().any(|&k| path(k) == path(i)) {
                keep.push(i);
            }
        }
        keep.reverse();
        *branch = keep;
    }
    Ok(out)
}

fn expand(group: &Group) -> Result<Vec<Vec<usize>>> {
    let mut acc: Vec<Vec<usize>> = vec![group.fields.clone()];
    for or in &group.ors {
        let mut alts = Vec::new();
        for alt in &or.alternatives {
            alts.extend(expand(alt)?);
        }
        if acc.len().saturating_mul(alts.len()) > MAX_COMBINATIONS {
            return Err(invalid(
                &or.pointer,
                Problem::TooManyCombinations(MAX_COMBINATIONS),
            ));
        }
        let mut next = Vec::with_capacity(acc.len() * alts.len());
        for base in &acc {
            for alt in &alts {
                let mut b = base.clone();
                b.extend_from_slice(alt);
                next.push(b);
            }
        }
        acc = next;
    }
    Ok(acc)
}
