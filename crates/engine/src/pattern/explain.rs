//! Why a pattern matches an event or not: per field, the event's values and what was wanted.

use super::Pattern;
use super::event::{self, FieldOutcome, FlatEvent};
use super::parse::{Field, Group};
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// The verdict of a pattern (or one `$or` alternative) on an event, field by field.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// Whether it matches.
    pub matched: bool,
    /// Each field, in pattern order.
    pub fields: Vec<FieldExplanation>,
    /// Each `$or` list, in pattern order.
    pub ors: Vec<OrExplanation>,
    /// Every field matches on its own, but not all within the same element of an array.
    pub array_mismatch: bool,
}

/// One pattern field against the event.
#[derive(Debug, Clone, Serialize)]
pub struct FieldExplanation {
    /// Dotted path (`detail.state`).
    pub path: String,
    /// JSON pointer of the field's list in the pattern.
    pub pointer: String,
    /// Whether some value of the event (or its absence) satisfies the field.
    pub matched: bool,
    /// The event's values at the path; `None` when the field is missing.
    pub values: Option<Vec<Value>>,
    /// What the pattern wants, in words.
    pub wanted: String,
    /// What the pattern wants, as written.
    pub pattern: Value,
}

/// One `$or` list against the event.
#[derive(Debug, Clone, Serialize)]
pub struct OrExplanation {
    /// JSON pointer of the `$or` list in the pattern.
    pub pointer: String,
    /// Whether some alternative matches.
    pub matched: bool,
    /// Each alternative's own verdict.
    pub alternatives: Vec<Explanation>,
    /// The alternative that came closest (the first matching one, else the one with the largest
    /// share of matching fields).
    pub closest: usize,
}

pub(crate) fn explain(pattern: &Pattern, event: &FlatEvent) -> Explanation {
    let mut e = group(&pattern.fields, &pattern.root, event);
    e.matched = pattern.matches_flat(event);
    if e.matched {
        // A field checked on its own can look unmet when it is met within one array element
        // (`exists: false` beside another field); the whole pattern's verdict settles it.
        e.fields.iter_mut().for_each(|f| f.matched = true);
    }
    e.array_mismatch =
        !e.matched && e.fields.iter().all(|f| f.matched) && e.ors.iter().all(|o| o.matched);
    e
}

fn group(fields: &[Field], g: &Group, event: &FlatEvent) -> Explanation {
    let fields_out: Vec<FieldExplanation> = g
        .fields
        .iter()
        .filter_map(|&i| fields.get(i))
        .map(|f| field(f, event))
        .collect();
    let ors = g
        .ors
        .iter()
        .map(|or| {
            let alternatives: Vec<Explanation> = or
                .alternatives
                .iter()
                .map(|alt| {
                    let mut e = group(fields, alt, event);
                    e.matched = alternative_matches(fields, alt, event);
                    if e.matched {
                        e.fields.iter_mut().for_each(|f| f.matched = true);
                    }
                    e.array_mismatch = !e.matched
                        && e.fields.iter().all(|f| f.matched)
                        && e.ors.iter().all(|o| o.matched);
                    e
                })
                .collect();
            let matched = alternatives.iter().any(|a| a.matched);
            let closest = closest(&alternatives);
            OrExplanation {
                pointer: or.pointer.clone(),
                matched,
                alternatives,
                closest,
            }
        })
        .collect();
    let matched = fields_out.iter().all(|f| f.matched);
    Explanation {
        matched,
        fields: fields_out,
        ors,
        array_mismatch: false,
    }
}

fn alternative_matches(fields: &[Field], alt: &Group, event: &FlatEvent) -> bool {
    match super::parse::branches(alt, fields) {
        Ok(bs) => bs.iter().any(|b| event::branch_matches(fields, b, event)),
        Err(_) => false,
    }
}

/// Share of satisfied fields, counting a nested `$or` as one field.
fn score(e: &Explanation) -> f64 {
    let total = e.fields.len() + e.ors.len();
    let ok =
        e.fields.iter().filter(|f| f.matched).count() + e.ors.iter().filter(|o| o.matched).count();
    if total == 0 {
        0.0
    } else {
        ok as f64 / total as f64
    }
}

fn closest(alts: &[Explanation]) -> usize {
    if let Some(i) = alts.iter().position(|a| a.matched) {
        return i;
    }
    let mut best = 0;
    for (i, a) in alts.iter().enumerate() {
        if alts.get(best).is_some_and(|b| score(a) > score(b)) {
            best = i;
        }
    }
    best
}

fn field(f: &Field, event: &FlatEvent) -> FieldExplanation {
    let values = event.values(&f.path);
    let matched = !matches!(event::field_outcome(f, event), FieldOutcome::Fails);
    FieldExplanation {
        path: f.path.clone(),
        pointer: f.pointer.clone(),
        matched,
        values: if values.is_empty() {
            None
        } else {
            Some(values)
        },
        wanted: wanted(&f.wanted),
        pattern: f.wanted.clone(),
    }
}

/// The pattern's list, in words.
pub(crate) fn wanted(list: &Value) -> String {
    let items: Vec<String> = match list {
        Value::Array(items) => items.iter().map(describe).collect(),
        other => vec![describe(other)],
    };
    match items.as_slice() {
        [one] => one.clone(),
        many => format!("one of {}", many.join(", ")),
    }
}

fn strings(v: &Value) -> String {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(" or "),
        other => other.to_string(),
    }
}

fn describe(item: &Value) -> String {
    let Value::Object(op) = item else {
        return item.to_string();
    };
    let Some((name, v)) = op.iter().next() else {
        return item.to_string();
    };
    let ignore_case = |v: &Value| v.get("equals-ignore-case").cloned();
    match name.as_str() {
        "prefix" | "suffix" => {
            let verb = if name == "prefix" {
                "starting"
            } else {
                "ending"
            };
            match ignore_case(v) {
                Some(s) => format!("a string {verb} with {s} (any case)"),
                None => format!("a string {verb} with {v}"),
            }
        }
        "equals-ignore-case" => format!("{v} in any case"),
        "exactly" => v.to_string(),
        "wildcard" => format!("a string like {v} (`*` is any text)"),
        "cidr" => format!("an IP address in {}", v.as_str().unwrap_or_default()),
        "exists" if v == &Value::Bool(false) => "the field to be missing".to_owned(),
        "exists" => "the field to be present".to_owned(),
        "numeric" => numeric(v),
        "anything-but" => match v {
            Value::Object(inner) => match inner.iter().next() {
                Some((k, x)) if k == "prefix" => {
                    format!("anything but a string starting with {}", strings(x))
                }
                Some((k, x)) if k == "suffix" => {
                    format!("anything but a string ending with {}", strings(x))
                }
                Some((k, x)) if k == "wildcard" => {
                    format!("anything but a string like {}", strings(x))
                }
                Some((_, x)) => format!("anything but {} in any case", strings(x)),
                None => "anything".to_owned(),
            },
            other => format!("anything but {}", strings(other)),
        },
        _ => item.to_string(),
    }
}

fn numeric(v: &Value) -> String {
    let parts: Vec<String> = match v {
        Value::Array(items) => items
            .chunks(2)
            .map(|c| {
                c.iter()
                    .map(|x| {
                        x.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| x.to_string())
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect(),
        other => vec![other.to_string()],
    };
    format!("a number {}", parts.join(" and "))
}

fn show_values(values: &Option<Vec<Value>>) -> String {
    match values.as_deref() {
        None | Some([]) => "missing".to_owned(),
        Some([one]) => one.to_string(),
        Some(many) => Value::Array(many.to_vec()).to_string(),
    }
}

impl FieldExplanation {
    /// One line: the event's value(s) and what the pattern wants.
    pub fn reason(&self) -> String {
        format!(
            "`{}` is {}; the pattern wants {}",
            self.path,
            show_values(&self.values),
            self.wanted
        )
    }

    /// One line for a met field: the event's value(s), or that the field is missing when the
    /// pattern wants it missing.
    fn met(&self) -> String {
        match self.values {
            None => format!("`{}` is missing, as the pattern wants", self.path),
            Some(_) => format!(
                "`{}` is {}, as the pattern wants",
                self.path,
                show_values(&self.values)
            ),
        }
    }
}

impl Explanation {
    /// One line per pattern field and per `$or` list, the unmet ones first, each marked `✗`
    /// (unmet) or `✓` (met): what the CLI's `--explain` prints.
    ///
    /// ```
    /// # use statebridge_engine::pattern::Pattern;
    /// # use serde_json::json;
    /// let p = Pattern::parse(&json!({"source": ["shop"], "detail": {"total": [{"numeric": [">", 100]}]}})).unwrap();
    /// let lines = p.explain(&json!({"source": "shop", "detail": {"total": 50}})).lines();
    /// assert_eq!(lines, [
    ///     "✗ `detail.total` is 50; the pattern wants a number > 100",
    ///     "✓ `source` is \"shop\", as the pattern wants",
    /// ]);
    /// ```
    pub fn lines(&self) -> Vec<String> {
        let mut unmet = Vec::new();
        let mut met = Vec::new();
        for f in &self.fields {
            if f.matched {
                met.push(format!("✓ {}", f.met()));
            } else {
                unmet.push(format!("✗ {}", f.reason()));
            }
        }
        for or in &self.ors {
            let n = or.alternatives.len();
            if or.matched {
                let alt = or.closest + 1;
                met.push(format!("✓ `$or` alternative {alt} of {n} matches"));
            } else {
                unmet.push(format!("✗ {}", or_reason(or)));
            }
        }
        if unmet.is_empty() && self.array_mismatch {
            unmet.push(format!("✗ {ARRAY_MISMATCH}"));
        }
        unmet.extend(met);
        unmet
    }

    /// The reasons it does not match, one per line (empty when it matches).
    pub fn reasons(&self) -> Vec<String> {
        if self.matched {
            return Vec::new();
        }
        let mut out: Vec<String> = self
            .fields
            .iter()
            .filter(|f| !f.matched)
            .map(FieldExplanation::reason)
            .collect();
        for or in self.ors.iter().filter(|o| !o.matched) {
            out.push(or_reason(or));
        }
        if out.is_empty() && self.array_mismatch {
            out.push(ARRAY_MISMATCH.to_owned());
        }
        out
    }
}

const ARRAY_MISMATCH: &str = "each field matches on its own, but not within the same element of an array (fields from an array of objects must come from one object)";

/// Why no alternative of an `$or` matches, naming the one that came closest and why it fails.
fn or_reason(or: &OrExplanation) -> String {
    let n = or.alternatives.len();
    let mut line = format!("none of the {n} `$or` alternatives matches");
    if let Some(best) = or.alternatives.get(or.closest) {
        let why = best.reasons().join("; ");
        line.push_str(&format!("; the closest (number {}): {why}", or.closest + 1));
    }
    line
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.matched {
            return write!(f, "the event matches the pattern");
        }
        write!(f, "{}", self.reasons().join("\n"))
    }
}
