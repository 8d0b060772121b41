//! Many named patterns compiled into one matcher.
//!
//! Each pattern is multiplied out into branches (one per combination of `$or` alternatives). A
//! branch is filed under one field it cannot match without: under `(path, value)` when that field
//! lists only exact values, prefixes, suffixes or `equals-ignore-case` strings (hash lookups per
//! event value, and per prefix or suffix of it, find it), else under the path (found when the
//! event has that path). Only the branches found this way are checked in full, with the
//! same code as [`Pattern::matches`], so the two always agree; an event costs lookups per event
//! value, not a loop over the rules.

use super::Pattern;
use super::event::{self, FlatEvent, PathFilter, Scalar};
use super::value::{Test, fold};
use serde_json::Value;
use std::collections::HashMap;

/// A test an index can answer: the value itself, or a piece of it to look up.
enum IndexKey {
    Str(String),
    Num(u64),
    Bool(bool),
    Null,
    Prefix(String),
    Suffix(String),
    Folded(String),
}

/// Numbers by value, so `300` and `3.0e2` meet (and `-0` meets `0`).
fn num_key(x: f64) -> u64 {
    if x == 0.0 { 0 } else { x.to_bits() }
}

fn index_key(t: &Test) -> Option<IndexKey> {
    Some(match t {
        Test::Str(s) => IndexKey::Str(s.clone()),
        Test::Num(x) => IndexKey::Num(num_key(*x)),
        Test::Bool(b) => IndexKey::Bool(*b),
        Test::Null => IndexKey::Null,
        Test::Prefix(p) => IndexKey::Prefix(p.clone()),
        Test::Suffix(p) => IndexKey::Suffix(p.clone()),
        Test::EqualsIgnoreCase(p) => IndexKey::Folded(p.clone()),
        _ => return None,
    })
}

/// The branches filed under one path, by the value (or piece of it) they need there.
#[derive(Debug, Clone, Default)]
struct Slot {
    strs: HashMap<String, Vec<usize>>,
    nums: HashMap<u64, Vec<usize>>,
    /// `[false, true, null]`.
    words: [Vec<usize>; 3],
    prefixes: HashMap<String, Vec<usize>>,
    suffixes: HashMap<String, Vec<usize>>,
    folded: HashMap<String, Vec<usize>>,
    longest_prefix: usize,
    longest_suffix: usize,
}

fn file(list: &mut Vec<usize>, id: usize) {
    if list.last() != Some(&id) {
        list.push(id);
    }
}

impl Slot {
    fn insert(&mut self, key: IndexKey, id: usize) {
        match key {
            IndexKey::Str(s) => file(self.strs.entry(s).or_default(), id),
            IndexKey::Num(n) => file(self.nums.entry(n).or_default(), id),
            IndexKey::Bool(b) => file(&mut self.words[usize::from(b)], id),
            IndexKey::Null => file(&mut self.words[2], id),
            IndexKey::Prefix(p) => {
                self.longest_prefix = self.longest_prefix.max(p.len());
                file(self.prefixes.entry(p).or_default(), id)
            }
            IndexKey::Suffix(p) => {
                self.longest_suffix = self.longest_suffix.max(p.len());
                file(self.suffixes.entry(p).or_default(), id)
            }
            IndexKey::Folded(p) => file(self.folded.entry(p).or_default(), id),
        }
    }

    /// Every branch filed under a value or piece of `v`.
    fn lookup(&self, v: &Scalar, out: &mut Vec<usize>) {
        let mut add = |ids: Option<&Vec<usize>>| {
            if let Some(ids) = ids {
                out.extend_from_slice(ids);
            }
        };
        match v {
            Scalar::Str(s) => {
                add(self.strs.get(s.as_ref()));
                if !self.prefixes.is_empty() {
                    for end in
                        (0..=s.len().min(self.longest_prefix)).filter(|&e| s.is_char_boundary(e))
                    {
                        add(s.get(..end).and_then(|p| self.prefixes.get(p)));
                    }
                }
                if !self.suffixes.is_empty() {
                    let from = s.len().saturating_sub(self.longest_suffix);
                    for start in (from..=s.len()).filter(|&b| s.is_char_boundary(b)) {
                        add(s.get(start..).and_then(|p| self.suffixes.get(p)));
                    }
                }
                if !self.folded.is_empty() {
                    add(self.folded.get(&fold(s)));
                }
            }
            Scalar::Num(x) => add(self.nums.get(&num_key(*x))),
            Scalar::Bool(b) => add(Some(&self.words[usize::from(*b)])),
            Scalar::Null => add(Some(&self.words[2])),
        }
    }
}

/// Named patterns compiled into one matcher.
///
/// ```
/// use statebridge_engine::pattern::{Pattern, RuleSet};
/// use serde_json::json;
/// let mut rules = RuleSet::new();
/// rules.add("stopped", Pattern::parse(&json!({"detail": {"state": ["stopped"]}})).unwrap());
/// rules.add("ec2", Pattern::parse(&json!({"source": [{"prefix": "aws.ec"}]})).unwrap());
/// let event = json!({"source": "aws.ec2", "detail": {"state": "stopped"}});
/// assert_eq!(rules.matching_rules(&event), vec!["stopped", "ec2"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<(String, Pattern)>,
    /// `(rule, branch)` pairs.
    branches: Vec<(usize, usize)>,
    by_value: HashMap<String, Slot>,
    by_path: HashMap<String, Vec<usize>>,
    always: Vec<usize>,
    filter: PathFilter,
}

impl RuleSet {
    /// An empty set.
    pub fn new() -> RuleSet {
        RuleSet::default()
    }

    /// Adds a named rule (a name may be given several times; it matches when any of its patterns does).
    pub fn add(&mut self, name: impl Into<String>, pattern: Pattern) {
        let rule = self.rules.len();
        for field in &pattern.fields {
            self.filter.add(&field.path);
        }
        for (b, branch) in pattern.branches.iter().enumerate() {
            let id = self.branches.len();
            self.branches.push((rule, b));
            let fields = branch.iter().filter_map(|&i| pattern.fields.get(i));
            let required: Vec<_> = fields.filter(|f| !f.absent_ok).collect();
            // File under the most selective field an index can answer: exact values first.
            let indexable = required
                .iter()
                .filter(|f| f.tests.iter().all(|t| index_key(t).is_some()))
                .min_by_key(|f| {
                    let loose = f
                        .tests
                        .iter()
                        .filter(|t| !matches!(t, Test::Str(_) | Test::Num(_)))
                        .count();
                    (loose, f.tests.len())
                });
            if let Some(field) = indexable {
                let slot = self.by_value.entry(field.path.clone()).or_default();
                for key in field.tests.iter().filter_map(index_key) {
                    slot.insert(key, id);
                }
            } else if let Some(field) = required.first() {
                self.by_path.entry(field.path.clone()).or_default().push(id);
            } else {
                self.always.push(id);
            }
        }
        self.rules.push((name.into(), pattern));
    }

    /// How many rules were added.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether no rule was added.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The names of the rules the event matches, in the order they were added, each once.
    pub fn matching_rules(&self, event: &Value) -> Vec<&str> {
        self.matching_rules_flat(&FlatEvent::filtered(event, &self.filter))
    }

    /// [`RuleSet::matching_rules`] for an event given as JSON text, reading only the fields some
    /// rule names; text that is not JSON is an error.
    pub fn matching_rules_text(
        &self,
        event: &str,
    ) -> Result<Vec<&str>, crate::source::JsonSyntaxError> {
        Ok(self.matching_rules_flat(&super::skim::flatten_text(event, &self.filter)?))
    }

    /// [`RuleSet::matching_rules`] on an already flattened event.
    pub fn matching_rules_flat(&self, event: &FlatEvent) -> Vec<&str> {
        let mut candidates: Vec<usize> = self.always.clone();
        for (path, leaves) in &event.fields {
            if let Some(ids) = self.by_path.get(path) {
                candidates.extend_from_slice(ids);
            }
            if let Some(slot) = self.by_value.get(path) {
                for leaf in leaves {
                    slot.lookup(&leaf.value, &mut candidates);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut matched: Vec<usize> = Vec::new();
        for id in candidates {
            let Some(&(rule, b)) = self.branches.get(id) else {
                continue;
            };
            if matched.last() == Some(&rule) {
                continue; // ids are sorted by rule, so a matched rule's other branches are adjacent
            }
            let Some((_, pattern)) = self.rules.get(rule) else {
                continue;
            };
            let Some(branch) = pattern.branches.get(b) else {
                continue;
            };
            if event::branch_matches(&pattern.fields, branch, event) {
                matched.push(rule);
            }
        }
        let mut names: Vec<&str> = Vec::with_capacity(matched.len());
        for rule in matched {
            if let Some((name, _)) = self.rules.get(rule) {
                names.push(name);
            }
        }
        let mut seen = std::collections::HashSet::new();
        names.retain(|n| seen.insert(*n));
        names
    }
}
