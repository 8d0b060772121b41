//! An event flattened as EventBridge sees it: dotted field paths to scalar leaves, each leaf
//! remembering which element of which array it came from.

use super::parse::Field;
use serde_json::Value;
use std::borrow::Cow;

pub(crate) use crate::fasthash::{FastMap, FastSet};

/// A scalar of the event, borrowed from a `Value` or from the event's text when possible.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'a> {
    Str(Cow<'a, str>),
    Num(f64),
    Bool(bool),
    Null,
}

impl Scalar<'_> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Scalar::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Scalar::Num(x) => Some(*x),
            _ => None,
        }
    }

    pub fn to_value(&self) -> Value {
        match self {
            Scalar::Str(s) => Value::String(s.to_string()),
            // Whole numbers show without a fraction, as people write them.
            Scalar::Num(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Value::from(*x as i64),
            Scalar::Num(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Null => Value::Null,
        }
    }

    fn of(v: &Value) -> Scalar<'_> {
        match v {
            Value::String(s) => Scalar::Str(Cow::Borrowed(s)),
            Value::Number(n) => Scalar::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::Bool(b) => Scalar::Bool(*b),
            _ => Scalar::Null,
        }
    }
}

/// The dotted paths some patterns look at, as a tree of name segments, so flattening can skip
/// the rest of an event and reading event text walks it without building or hashing paths
/// ([`PathFilter::child`]). A path's dotted prefixes are the tree's nodes on the way to it: they
/// are not stored as strings of their own, which made a name with thousands of dots cost memory
/// in the square of its length (found by the `pattern_match` fuzz target: 300 MB for a 37 KB
/// pattern).
#[derive(Debug, Clone, Default)]
pub(crate) struct PathFilter {
    wanted: FastSet<String>,
    /// `nodes[0]` is the root (the event object); see [`PathNode`].
    nodes: Vec<PathNode>,
}

/// One segment of the filter's tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct PathNode {
    /// Name segments under this one, with their node index.
    children: Vec<(Box<str>, usize)>,
    /// The whole dotted path, when some pattern names exactly this path.
    pub wanted: Option<Box<str>>,
}

/// The root of a [`PathFilter`]'s tree.
pub(crate) const ROOT: usize = 0;

impl PathFilter {
    pub fn add(&mut self, path: &str) {
        self.wanted.insert(path.to_owned());
        if self.nodes.is_empty() {
            self.nodes.push(PathNode::default());
        }
        let mut node = ROOT;
        for segment in path.split('.') {
            node = match self.segment(node, segment) {
                Some(next) => next,
                None => {
                    let next = self.nodes.len();
                    self.nodes.push(PathNode::default());
                    if let Some(n) = self.nodes.get_mut(node) {
                        n.children.push((segment.into(), next));
                    }
                    next
                }
            };
        }
        if let Some(n) = self.nodes.get_mut(node) {
            n.wanted = Some(path.into());
        }
    }

    fn segment(&self, node: usize, name: &str) -> Option<usize> {
        self.nodes
            .get(node)?
            .children
            .iter()
            .find(|(n, _)| **n == *name)
            .map(|&(_, i)| i)
    }

    /// The node an object member named `key` leads to from `node`, if any pattern goes there (a
    /// name with dots walks several segments: `{"a.b": 1}` is the field `a.b`).
    #[inline]
    pub fn child(&self, node: usize, key: &str) -> Option<usize> {
        if !key.contains('.') {
            return self.segment(node, key);
        }
        key.split('.').try_fold(node, |n, s| self.segment(n, s))
    }

    pub fn node(&self, node: usize) -> Option<&PathNode> {
        self.nodes.get(node)
    }

    /// Whether some pattern names `path` or a path under it.
    pub fn keep(&self, path: &str) -> bool {
        self.child(ROOT, path).is_some()
    }
}

/// A value still to flatten: the value, its dotted path, and its array positions.
type Pending<'a> = (&'a Value, String, Vec<(u32, u32)>);

/// One scalar of the event.
#[derive(Debug, Clone)]
pub(crate) struct Leaf<'a> {
    pub value: Scalar<'a>,
    /// `(array id, element index)` for each array the leaf sits in, outermost first.
    pub arrays: Vec<(u32, u32)>,
}

/// An event's leaves by dotted path (`{"a": {"b": 1}}` and `{"a.b": 1}` both give `a.b`).
#[derive(Debug, Default)]
pub struct FlatEvent<'a> {
    /// Paths are borrowed from the patterns' filter when the event is read from text.
    pub(crate) fields: FastMap<Cow<'a, str>, Vec<Leaf<'a>>>,
}

impl<'a> FlatEvent<'a> {
    /// Flattens an event once, to match it against many patterns.
    pub fn new(event: &'a Value) -> FlatEvent<'a> {
        FlatEvent::build(event, None)
    }

    /// Flattens only the parts of the event the filter's paths can reach.
    pub(crate) fn filtered(event: &'a Value, filter: &PathFilter) -> FlatEvent<'a> {
        FlatEvent::build(event, Some(filter))
    }

    fn build(event: &'a Value, filter: Option<&PathFilter>) -> FlatEvent<'a> {
        let keep = |path: &str| filter.is_none_or(|f| f.keep(path));
        let mut flat = FlatEvent::default();
        let Value::Object(top) = event else {
            return flat; // only objects have fields
        };
        let mut next_array = 0u32;
        // An explicit stack: events built in code may nest deeper than the call stack allows.
        let mut stack: Vec<Pending<'a>> = top
            .iter()
            .rev()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (v, k.clone(), Vec::new()))
            .collect();
        while let Some((value, path, arrays)) = stack.pop() {
            match value {
                Value::Object(map) => {
                    for (k, v) in map.iter().rev() {
                        let inner = format!("{path}.{k}");
                        if keep(&inner) {
                            stack.push((v, inner, arrays.clone()));
                        }
                    }
                }
                Value::Array(items) => {
                    let id = next_array;
                    next_array += 1;
                    for (i, v) in items.iter().enumerate().rev() {
                        let mut inner = arrays.clone();
                        inner.push((id, i as u32));
                        stack.push((v, path.clone(), inner));
                    }
                }
                scalar => {
                    if filter.is_none_or(|f| f.wanted.contains(&path)) {
                        flat.push(path, Scalar::of(scalar), arrays);
                    }
                }
            }
        }
        flat
    }

    /// Adds one leaf.
    pub(crate) fn push(&mut self, path: String, value: Scalar<'a>, arrays: Vec<(u32, u32)>) {
        self.fields
            .entry(Cow::Owned(path))
            .or_default()
            .push(Leaf { value, arrays });
    }

    /// Adds one leaf at a path that lives as long as the event.
    pub(crate) fn push_str(&mut self, path: &'a str, value: Scalar<'a>, arrays: Vec<(u32, u32)>) {
        self.fields
            .entry(Cow::Borrowed(path))
            .or_default()
            .push(Leaf { value, arrays });
    }

    /// The scalars at a dotted path, in document order.
    pub fn values(&self, path: &str) -> Vec<Value> {
        self.fields
            .get(path)
            .map(|leaves| leaves.iter().map(|l| l.value.to_value()).collect())
            .unwrap_or_default()
    }

    pub(crate) fn leaves(&self, path: &str) -> &[Leaf<'a>] {
        self.fields.get(path).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// Two leaves can be matched together unless they sit in different elements of one array.
fn compatible(a: &[(u32, u32)], b: &[(u32, u32)]) -> bool {
    for (x, y) in a.iter().zip(b) {
        if x.0 != y.0 {
            return true; // the paths went into different arrays: nothing more is shared
        }
        if x.1 != y.1 {
            return false;
        }
    }
    true
}

/// How one field fares against the event, on its own.
pub(crate) enum FieldOutcome<'e, 'a> {
    /// Satisfied by absence (`exists: false`), or by a leaf outside any array.
    Free,
    /// Satisfied by one of these leaves (all inside arrays).
    Leaves(Vec<&'e Leaf<'a>>),
    /// Not satisfied.
    Fails,
}

pub(crate) fn field_outcome<'e, 'a>(
    field: &Field,
    event: &'e FlatEvent<'a>,
) -> FieldOutcome<'e, 'a> {
    let leaves = event.leaves(&field.path);
    if leaves.is_empty() {
        return if field.absent_ok {
            FieldOutcome::Free
        } else {
            FieldOutcome::Fails
        };
    }
    let mut found = Vec::new();
    for leaf in leaves {
        if field.tests.iter().any(|t| t.accepts(&leaf.value)) {
            if leaf.arrays.is_empty() {
                return FieldOutcome::Free;
            }
            found.push(leaf);
        }
    }
    if found.is_empty() {
        FieldOutcome::Fails
    } else {
        FieldOutcome::Leaves(found)
    }
}

/// The ways one field of a branch can be satisfied.
struct Slot<'e, 'a> {
    /// Matching leaves inside arrays (any one may be picked).
    leaves: Vec<&'e Leaf<'a>>,
    /// `exists: false` with the path present: the field may still count as missing, provided
    /// every leaf at its path lies in another array element than the picked leaves.
    absent: Option<&'e [Leaf<'a>]>,
}

/// Whether every field of a branch matches, with one consistent choice of array elements.
pub(crate) fn branch_matches(fields: &[Field], branch: &[usize], event: &FlatEvent) -> bool {
    let mut slots: Vec<Slot> = Vec::new();
    for &i in branch {
        let Some(field) = fields.get(i) else {
            return false;
        };
        let outcome = field_outcome(field, event);
        let absent = field.absent_ok.then(|| event.leaves(&field.path));
        match (outcome, absent) {
            (FieldOutcome::Free, _) => {}
            (FieldOutcome::Fails, None) => return false,
            (FieldOutcome::Fails, Some(all)) => slots.push(Slot {
                leaves: Vec::new(),
                absent: Some(all),
            }),
            (FieldOutcome::Leaves(l), absent) => slots.push(Slot { leaves: l, absent }),
        }
    }
    if slots.iter().all(|s| s.absent.is_none()) && slots.len() <= 1 {
        return true;
    }
    slots.sort_by_key(|s| (s.absent.is_some(), s.leaves.len()));
    let mut picked: Vec<&[(u32, u32)]> = Vec::with_capacity(slots.len());
    let mut missing: Vec<&[Leaf]> = Vec::new();
    search(&slots, &mut picked, &mut missing)
}

fn search<'e, 'a>(
    slots: &[Slot<'e, 'a>],
    picked: &mut Vec<&'e [(u32, u32)]>,
    missing: &mut Vec<&'e [Leaf<'a>]>,
) -> bool {
    let Some((first, rest)) = slots.split_first() else {
        // Every leaf of a field counted as missing must sit apart from some picked leaf.
        return missing.iter().all(|leaves| {
            leaves
                .iter()
                .all(|l| picked.iter().any(|p| !compatible(p, &l.arrays)))
        });
    };
    for leaf in &first.leaves {
        if picked.iter().all(|p| compatible(p, &leaf.arrays)) {
            picked.push(&leaf.arrays);
            if search(rest, picked, missing) {
                return true;
            }
            picked.pop();
        }
    }
    if let Some(all) = first.absent {
        missing.push(all);
        if search(rest, picked, missing) {
            return true;
        }
        missing.pop();
    }
    false
}
