//! Reading a path: definite paths with Jayway's errors, indefinite paths as arrays of matches.

use serde_json::{Map, Number, Value};
use std::cell::Cell;

use super::filter;
use super::{Function, Path, PathError, Root, Scope, Selector, Step, push_step, root_text};

/// Evaluates a path whose root is `$`, `$$` or a variable.
pub(super) fn evaluate(path: &Path, scope: &Scope) -> Result<Value, PathError> {
    let root = match &path.root {
        Root::Input => scope.input,
        Root::Context => scope.context,
        Root::Variable(name) => {
            scope
                .variables
                .get(name)
                .ok_or_else(|| PathError::UndefinedVariable {
                    path: path.text.clone(),
                    name: name.clone(),
                })?
        }
    };
    evaluate_at(path, root, scope)
}

thread_local! {
    /// How deep evaluations are nested (filters evaluate paths) and the steps the outermost one
    /// has taken so far: see [`spend`].
    static WORK: Cell<(usize, u64)> = const { Cell::new((0, 0)) };
}

/// Counts one step of the current evaluation; false once it is over [`super::WORK_LIMIT`], and
/// then every filter fails at once so the evaluation unwinds quickly and reports
/// [`PathError::TooMuchWork`].
pub(super) fn spend() -> bool {
    let (depth, spent) = WORK.get();
    WORK.set((depth, spent.saturating_add(1)));
    spent < super::WORK_LIMIT
}

/// Evaluates a path from the given root value (the current node for `@` paths in filters).
pub(super) fn evaluate_at(path: &Path, root: &Value, scope: &Scope) -> Result<Value, PathError> {
    let (depth, spent) = WORK.get();
    WORK.set((depth + 1, if depth == 0 { 0 } else { spent }));
    let result = evaluate_within_budget(path, root, scope);
    let (_, spent) = WORK.get();
    WORK.set((depth, spent));
    if depth == 0 && spent > super::WORK_LIMIT {
        return Err(PathError::TooMuchWork {
            path: path.text.clone(),
        });
    }
    result
}

fn evaluate_within_budget(path: &Path, root: &Value, scope: &Scope) -> Result<Value, PathError> {
    let value = if path.is_definite() {
        definite(path, root)?
    } else {
        let mut out = Vec::new();
        select(&path.steps, root, scope, &mut out);
        Value::Array(out.into_iter().cloned().collect())
    };
    match path.function {
        None => Ok(value),
        Some(function) => apply_function(function, value, path),
    }
}

/// Why a definite path stopped, before it is worded.
enum Miss<'v> {
    /// No such field; `leaf` when it was the last step.
    Field { leaf: bool },
    /// A name step met something that is not an object.
    NotAnObject(&'v Value),
    /// No such index in an array.
    Index,
    /// An index step met null.
    Null,
    /// An index step met something that is not an array.
    NotAnArray(i64, &'v Value),
}

/// Walks a definite path, failing where Jayway fails and with its wording. The texts for the
/// messages are only built on failure: this is the hot path of every state's data flow.
fn definite(path: &Path, root: &Value) -> Result<Value, PathError> {
    let mut current = root;
    let last = path.steps.len().saturating_sub(1);
    for (i, step) in path.steps.iter().enumerate() {
        if let Step::Child(Selector::Names(names)) = step
            && names.len() > 1
            && let Value::Object(map) = current
        {
            // Jayway's "merge" case: `$['a','b']` at the end gives an object of those fields.
            let merged: Map<String, Value> = names
                .iter()
                .filter_map(|n| map.get(n).map(|v| (n.clone(), v.clone())))
                .collect();
            return Ok(Value::Object(merged));
        }
        current = match step_into(step, current, i == last) {
            Ok(next) => next,
            Err(miss) => return Err(word(path, i, miss)),
        };
    }
    Ok(current.clone())
}

fn step_into<'v>(step: &Step, current: &'v Value, leaf: bool) -> Result<&'v Value, Miss<'v>> {
    match (step, current) {
        (Step::Child(Selector::Names(names)), Value::Object(map)) => {
            let name = names.first().map(String::as_str).unwrap_or_default();
            map.get(name).ok_or(Miss::Field { leaf })
        }
        (Step::Child(Selector::Names(_)), other) => Err(Miss::NotAnObject(other)),
        (Step::Child(Selector::Indexes(indexes)), Value::Array(items)) => {
            let index = indexes.first().copied().unwrap_or_default();
            index_of(index, items.len())
                .and_then(|i| items.get(i))
                .ok_or(Miss::Index)
        }
        (Step::Child(Selector::Indexes(_)), Value::Null) => Err(Miss::Null),
        (Step::Child(Selector::Indexes(indexes)), other) => Err(Miss::NotAnArray(
            indexes.first().copied().unwrap_or_default(),
            other,
        )),
        // `is_definite` admits only the steps above.
        _ => Err(Miss::Index),
    }
}

/// Jayway's message for a miss at step `i`.
fn word(path: &Path, i: usize, miss: Miss) -> PathError {
    let prefix = |n: usize| {
        let mut text = root_text(path);
        path.steps
            .iter()
            .take(n)
            .for_each(|s| push_step(&mut text, s));
        text
    };
    let detail = match miss {
        Miss::Field { leaf: true } | Miss::Index => {
            format!("No results for path: {}", path.normalized())
        }
        Miss::Field { leaf: false } => format!("Missing property in path {}", prefix(i + 1)),
        Miss::NotAnObject(found) => {
            let (at, here) = (prefix(i), prefix(i + 1));
            let property = here.strip_prefix(at.as_str()).unwrap_or(&here).to_owned();
            format!(
                "Expected to find an object with property {property} in path {at} but found '{}'. \
                 This is not a json object.",
                type_name(found)
            )
        }
        Miss::Null => format!("The path {} is null", prefix(i)),
        Miss::NotAnArray(index, found) => format!(
            "Filter: [{index}] can only be applied to arrays. Current context is: {}",
            compact(found)
        ),
    };
    PathError::NotFound {
        path: path.text.clone(),
        detail,
    }
}

/// The JSON type of a value, in plain words.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A possibly negative index into an array of `len` items.
fn index_of(index: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let effective = if index < 0 { len + index } else { index };
    if (0..len).contains(&effective) {
        usize::try_from(effective).ok()
    } else {
        None
    }
}

/// Collects every match of `steps` from `node`, in document order.
fn select<'v>(steps: &[Step], node: &'v Value, scope: &Scope, out: &mut Vec<&'v Value>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(node);
        return;
    };
    match step {
        Step::Child(selector) => {
            for child in children(selector, node, scope) {
                select(rest, child, scope, out);
            }
        }
        Step::Descendant(Selector::Filter(expr)) => {
            let mut nodes = Vec::new();
            descendants(node, &mut nodes);
            for candidate in nodes.into_iter().skip(1) {
                if filter::test(expr, candidate, scope) {
                    select(rest, candidate, scope, out);
                }
            }
        }
        Step::Descendant(selector) => {
            let mut nodes = Vec::new();
            descendants(node, &mut nodes);
            for candidate in nodes {
                for child in children(selector, candidate, scope) {
                    select(rest, child, scope, out);
                }
            }
        }
    }
}

/// The node and all its descendants, in pre-order.
fn descendants<'v>(node: &'v Value, out: &mut Vec<&'v Value>) {
    if !spend() {
        return;
    }
    out.push(node);
    match node {
        Value::Array(items) => items.iter().for_each(|item| descendants(item, out)),
        Value::Object(map) => map.values().for_each(|item| descendants(item, out)),
        _ => {}
    }
}

/// What one selector picks from one node.
fn children<'v>(selector: &Selector, node: &'v Value, scope: &Scope) -> Vec<&'v Value> {
    match (selector, node) {
        (Selector::Names(names), Value::Object(map)) => {
            names.iter().filter_map(|n| map.get(n)).collect()
        }
        (Selector::Indexes(indexes), Value::Array(items)) => indexes
            .iter()
            .filter_map(|i| index_of(*i, items.len()).and_then(|i| items.get(i)))
            .collect(),
        (Selector::Wildcard, Value::Array(items)) => items.iter().collect(),
        (Selector::Wildcard, Value::Object(map)) => map.values().collect(),
        (Selector::Slice(start, end, step), Value::Array(items)) => {
            slice(items, *start, *end, *step)
        }
        (Selector::Filter(expr), Value::Array(items)) => items
            .iter()
            .filter(|item| filter::test(expr, item, scope))
            .collect(),
        // Jayway tests an object against a filter as a whole.
        (Selector::Filter(expr), Value::Object(_)) if filter::test(expr, node, scope) => vec![node],
        _ => Vec::new(),
    }
}

/// Python-style slicing, clamped to the array.
fn slice(items: &[Value], start: Option<i64>, end: Option<i64>, step: Option<i64>) -> Vec<&Value> {
    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
    let step = step.unwrap_or(1);
    let clamp = |v: i64, low: i64, high: i64| {
        let v = if v < 0 { v.saturating_add(len) } else { v };
        v.clamp(low, high)
    };
    let mut out = Vec::new();
    if step > 0 {
        let from = start.map_or(0, |s| clamp(s, 0, len));
        let to = end.map_or(len, |e| clamp(e, 0, len));
        let mut i = from;
        while i < to {
            if let Some(item) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
                out.push(item);
            }
            i = i.saturating_add(step);
        }
    } else {
        let from = start.map_or(len - 1, |s| clamp(s, -1, len - 1));
        let to = end.map_or(-1, |e| clamp(e, -1, len - 1));
        let mut i = from;
        while i > to {
            if let Some(item) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
                out.push(item);
            }
            i = i.saturating_add(step);
        }
    }
    out
}

/// Applies a trailing function (`length()`, `sum()`, …) to what the path selected.
fn apply_function(function: Function, value: Value, path: &Path) -> Result<Value, PathError> {
    let fail = |detail: &str| PathError::NotFound {
        path: path.text.clone(),
        detail: detail.to_owned(),
    };
    let numbers = || -> Vec<f64> {
        match &value {
            Value::Array(items) => items.iter().filter_map(Value::as_f64).collect(),
            other => other.as_f64().into_iter().collect(),
        }
    };
    let aggregate = |f: &dyn Fn(&[f64]) -> f64| {
        let ns = numbers();
        if ns.is_empty() {
            return Err(fail(
                "Aggregation function attempted to calculate value using empty array",
            ));
        }
        Ok(float(f(&ns)))
    };
    match function {
        Function::Length => match &value {
            Value::Array(items) => Ok(Value::from(items.len())),
            Value::Object(map) => Ok(Value::from(map.len())),
            Value::String(s) => Ok(Value::from(s.chars().count())),
            _ => Err(fail("length() needs an array, an object or a string")),
        },
        Function::Min => aggregate(&|ns| ns.iter().copied().fold(f64::INFINITY, f64::min)),
        Function::Max => aggregate(&|ns| ns.iter().copied().fold(f64::NEG_INFINITY, f64::max)),
        Function::Sum => aggregate(&|ns| ns.iter().sum()),
        Function::Avg => aggregate(&|ns| ns.iter().sum::<f64>() / ns.len() as f64),
        Function::Stddev => aggregate(&|ns| {
            let n = ns.len() as f64;
            let mean = ns.iter().sum::<f64>() / n;
            (ns.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n).sqrt()
        }),
        Function::Keys => match &value {
            Value::Object(map) => Ok(Value::Array(
                map.keys().map(|k| Value::String(k.clone())).collect(),
            )),
            _ => Err(fail("keys() needs an object")),
        },
        Function::First | Function::Last => match &value {
            Value::Array(items) => {
                let item = if function == Function::First {
                    items.first()
                } else {
                    items.last()
                };
                item.cloned().ok_or_else(|| fail("the array is empty"))
            }
            _ => Err(fail("first() and last() need an array")),
        },
    }
}

/// A JSON number from a float (Jayway's aggregations always give doubles).
fn float(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}
