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
use super::event::FastMap;
use super::event::{self, FlatEvent, PathFilter, Scalar};
use super::value::{Test, fold};
use serde_json::Value;
use std::borrow::Cow;

/// A test an index can answer: the value itself, or a piece of it to look up.
enum IndexKey {
    Str(String),
    Num(u64),
    Bool(bool),
    Null,
    Prefix(String),
    Suffix(String),
    Folded(String),
    FoldedPrefix(String),
    FoldedSuffix(String),
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
        Test::PrefixIgnoreCase(p) => IndexKey::FoldedPrefix(p.clone()),
        Test::SuffixIgnoreCase(p) => IndexKey::FoldedSuffix(p.clone()),
        _ => return None,
    })
}

/// The branches filed under one path, by the value (or piece of it) they need there.
#[derive(Debug, Clone, Default)]
struct Slot {
    strs: FastMap<String, Vec<usize>>,
    nums: FastMap<u64, Vec<usize>>,
    /// `[false, true, null]`.
    words: [Vec<usize>; 3],
    prefixes: FastMap<String, Vec<usize>>,
    suffixes: FastMap<String, Vec<usize>>,
    folded: FastMap<String, Vec<usize>>,
    folded_prefixes: FastMap<String, Vec<usize>>,
    folded_suffixes: FastMap<String, Vec<usize>>,
    longest_prefix: usize,
    longest_suffix: usize,
    longest_folded_prefix: usize,
    longest_folded_suffix: usize,
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
            IndexKey::FoldedPrefix(p) => {
                self.longest_folded_prefix = self.longest_folded_prefix.max(p.len());
                file(self.folded_prefixes.entry(p).or_default(), id)
            }
            IndexKey::FoldedSuffix(p) => {
                self.longest_folded_suffix = self.longest_folded_suffix.max(p.len());
                file(self.folded_suffixes.entry(p).or_default(), id)
            }
        }
    }

    /// How many branches are filed under this key already.
    fn crowd(&self, key: &IndexKey) -> usize {
        let len = |ids: Option<&Vec<usize>>| ids.map_or(0, Vec::len);
        match key {
            IndexKey::Str(s) => len(self.strs.get(s)),
            IndexKey::Num(n) => len(self.nums.get(n)),
            IndexKey::Bool(b) => self.words[usize::from(*b)].len(),
            IndexKey::Null => self.words[2].len(),
            IndexKey::Prefix(p) => len(self.prefixes.get(p)),
            IndexKey::Suffix(p) => len(self.suffixes.get(p)),
            IndexKey::Folded(p) => len(self.folded.get(p)),
            IndexKey::FoldedPrefix(p) => len(self.folded_prefixes.get(p)),
            IndexKey::FoldedSuffix(p) => len(self.folded_suffixes.get(p)),
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
                add_pieces(
                    s,
                    &self.prefixes,
                    self.longest_prefix,
                    &self.suffixes,
                    self.longest_suffix,
                    &mut add,
                );
                if !self.folded.is_empty()
                    || !self.folded_prefixes.is_empty()
                    || !self.folded_suffixes.is_empty()
                {
                    // Most values are already folded (lowercase ASCII): use them as they are.
                    let folded: Cow<str> =
                        if s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                            Cow::Owned(fold(s))
                        } else {
                            Cow::Borrowed(s)
                        };
                    add(self.folded.get(folded.as_ref()));
                    add_pieces(
                        &folded,
                        &self.folded_prefixes,
                        self.longest_folded_prefix,
                        &self.folded_suffixes,
                        self.longest_folded_suffix,
                        &mut add,
                    );
                }
            }
            Scalar::Num(x) => add(self.nums.get(&num_key(*x))),
            Scalar::Bool(b) => add(Some(&self.words[usize::from(*b)])),
            Scalar::Null => add(Some(&self.words[2])),
        }
    }
}

/// Looks up every prefix and suffix of `s` (up to the longest filed) in the maps.
fn add_pieces<'m>(
    s: &str,
    prefixes: &'m FastMap<String, Vec<usize>>,
    longest_prefix: usize,
    suffixes: &'m FastMap<String, Vec<usize>>,
    longest_suffix: usize,
    add: &mut impl FnMut(Option<&'m Vec<usize>>),
) {
    if !prefixes.is_empty() {
        for end in (0..=s.len().min(longest_prefix)).filter(|&e| s.is_char_boundary(e)) {
            add(s.get(..end).and_then(|p| prefixes.get(p)));
        }
    }
    if !suffixes.is_empty() {
        let from = s.len().saturating_sub(longest_suffix);
        for start in (from..=s.len()).filter(|&b| s.is_char_boundary(b)) {
            add(s.get(start..).and_then(|p| suffixes.get(p)));
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
    by_value: FastMap<String, Slot>,
    by_path: FastMap<String, Vec<usize>>,
    always: Vec<usize>,
    filter: PathFilter,
    /// For each rule, the first rule with the same name (itself when the name is new).
    first_of_name: Vec<usize>,
    names: FastMap<String, usize>,
    /// Whether some name was given to several rules (then results need de-duplicating).
    repeated_names: bool,
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
            // File under the field an index can answer whose entries hold the fewest branches so
            // far (a value many rules share, such as `"ODD_EVEN": ["E"]`, would make every event
            // with it check them all), then exact values first.
            let indexable = required
                .iter()
                .filter(|f| f.tests.iter().all(|t| index_key(t).is_some()))
                .min_by_key(|f| {
                    let crowd = self.by_value.get(&f.path).map_or(0, |slot| {
                        f.tests
                            .iter()
                            .filter_map(index_key)
                            .map(|k| slot.crowd(&k))
                            .sum::<usize>()
                    });
                    let loose = f
                        .tests
                        .iter()
                        .filter(|t| !matches!(t, Test::Str(_) | Test::Num(_)))
                        .count();
                    (crowd, loose, f.tests.len())
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
        let name = name.into();
        let first = *self.names.entry(name.clone()).or_insert(rule);
        self.repeated_names |= first != rule;
        self.first_of_name.push(first);
        self.rules.push((name, pattern));
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
        let mut candidates: Vec<usize> = Vec::with_capacity(self.always.len() + 8);
        candidates.extend_from_slice(&self.always);
        for (path, leaves) in &event.fields {
            if let Some(ids) = self.by_path.get(&**path) {
                candidates.extend_from_slice(ids);
            }
            if let Some(slot) = self.by_value.get(&**path) {
                for leaf in leaves {
                    slot.lookup(&leaf.value, &mut candidates);
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut names: Vec<&str> = Vec::new();
        let mut last_rule = usize::MAX;
        // Named rules already reported, by their first rule; only needed when names repeat.
        let mut reported: Vec<usize> = Vec::new();
        for id in candidates {
            let Some(&(rule, b)) = self.branches.get(id) else {
                continue;
            };
            if rule == last_rule {
                continue; // ids are sorted by rule, so a matched rule's other branches are adjacent
            }
            let Some((name, pattern)) = self.rules.get(rule) else {
                continue;
            };
            let Some(branch) = pattern.branches.get(b) else {
                continue;
            };
            if !event::branch_matches(&pattern.fields, branch, event) {
                continue;
            }
            last_rule = rule;
            if self.repeated_names {
                let first = self.first_of_name.get(rule).copied().unwrap_or(rule);
                if reported.contains(&first) {
                    continue;
                }
                reported.push(first);
            }
            names.push(name);
        }
        names
    }
}
