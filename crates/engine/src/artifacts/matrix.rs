//! Many sample events against every rule: a rules × events table of verdicts, each non-match
//! with the pattern matcher's reasons (the same lines the Rules pane and `match --explain` show).
//!
//! Events may be pasted as JSON documents one after another (JSON Lines included), a list, or
//! PutEvents input (entries, `{"Entries": [...]}`): each becomes the event the bus receives, on
//! its bus; a rule sees only the events on its `EventBusName` (default `default`).
//!
//! ```
//! use statebridge_engine::artifacts::matrix::matrix;
//! let rules = serde_json::json!({"Rules": [{"Name": "big", "EventPattern": {"detail": {"total": [{"numeric": [">", 100]}]}}, "Targets": []}]});
//! let m = matrix(&rules, "{\"detail\": {\"total\": 500}}\n{\"detail\": {\"total\": 5}}").unwrap();
//! assert!(m.cells[0][0].matched && !m.cells[0][1].matched);
//! assert_eq!(m.cells[0][1].reasons, ["`detail.total` is 5; the pattern wants a number > 100"]);
//! ```

use super::{ArtifactError, documents, locate};
use crate::pattern::{Pattern, RuleSet};
use crate::put_events::{self, DEFAULT_BUS, Envelope};
use crate::source;
use serde::Serialize;
use serde_json::Value;

/// One rule's row header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixRule {
    /// The rule's name.
    pub name: String,
    /// Its bus.
    pub bus: String,
    /// Why the rule cannot match anything (an invalid or missing pattern), if so.
    pub problem: Option<String>,
}

/// One event's column header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatrixEvent {
    /// A short label: `source / detail-type`.
    pub label: String,
    /// The bus the event is put on.
    pub bus: String,
    /// Where it starts in the pasted text (1-based).
    pub line: u32,
    /// The event as the bus receives it.
    pub event: Value,
}

/// One verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Whether the rule matches the event.
    pub matched: bool,
    /// Why not, one line per unmet field (empty when it matches).
    pub reasons: Vec<String>,
}

/// Rules × events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matrix {
    /// The rows.
    pub rules: Vec<MatrixRule>,
    /// The columns.
    pub events: Vec<MatrixEvent>,
    /// `cells[rule][event]`.
    pub cells: Vec<Vec<Cell>>,
}

/// Reads the events pasted in `events` (see the module doc) with their line numbers. Linear in
/// the text: a list's elements are placed by one scan of its text, not by a source map each.
pub fn read_events(text: &str) -> Result<Vec<MatrixEvent>, ArtifactError> {
    let docs = documents(text)?;
    let env = Envelope::default();
    let mut out = vec![];
    for (i, doc) in docs.iter().enumerate() {
        let value = source::parse_value(doc.text).map_err(|e| doc.syntax(&e))?;
        let (items, lines): (Vec<(String, Value)>, Vec<u32>) = match value {
            Value::Array(items) => (
                items
                    .into_iter()
                    .enumerate()
                    .map(|(k, v)| (format!("/{k}"), v))
                    .collect(),
                element_lines(doc.text, false),
            ),
            Value::Object(mut m) if m.contains_key("Entries") => match m.remove("Entries") {
                Some(Value::Array(items)) => (
                    items
                        .into_iter()
                        .enumerate()
                        .map(|(k, v)| (format!("/Entries/{k}"), v))
                        .collect(),
                    element_lines(doc.text, true),
                ),
                _ => {
                    return Err(locate(
                        text,
                        &docs,
                        i,
                        "/Entries",
                        "`Entries` should be a list".into(),
                    ));
                }
            },
            other => (vec![(String::new(), other)], vec![]),
        };
        // (A scan that found another count than the parser did cannot place them: the
        // document's first line it is.)
        let placed = lines.len() == items.len();
        for (k, (pointer, item)) in items.into_iter().enumerate() {
            let put = put_events::read(&item, &env)
                .map_err(|e| locate(text, &docs, i, &pointer, e.to_string()))?;
            if let Some(failed) = put.result.entries.iter().find_map(|e| match e {
                put_events::ResultEntry::Failed {
                    error_code,
                    error_message,
                } => Some(format!(
                    "PutEvents refuses this entry: {error_code}: {error_message}"
                )),
                put_events::ResultEntry::Put { .. } => None,
            }) {
                return Err(locate(text, &docs, i, &pointer, failed));
            }
            let line = doc.line0 + 1 + if placed { lines[k] } else { 0 };
            for e in put.events {
                let s = |k: &str| e.event.get(k).and_then(Value::as_str).unwrap_or("?");
                out.push(MatrixEvent {
                    label: format!("{} / {}", s("source"), s("detail-type")),
                    bus: e.bus,
                    line,
                    event: e.event,
                });
            }
        }
    }
    Ok(out)
}

/// The line (0-based, within `text`) where each element of a document's list starts: the
/// top-level list, or (`entries`) the list of the top-level member `Entries`. One pass over
/// the text, strings and escapes respected; the text is known to be JSON.
fn element_lines(text: &str, entries: bool) -> Vec<u32> {
    let b = text.as_bytes();
    let target = if entries { 2 } else { 1 };
    let (mut line, mut depth) = (0u32, 0usize);
    // Inside the target list; the next token there starts an element.
    let (mut inside, mut expect) = (false, false);
    // (For `Entries`: the last member name at depth 1, and whether a colon followed it.)
    let (mut last_string, mut entries_next) = ((0usize, 0usize), false);
    let mut out = vec![];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let starts = inside && expect && depth == target && !c.is_ascii_whitespace();
        if starts && !matches!(c, b']' | b',') {
            out.push(line);
            expect = false;
        }
        match c {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    match b[i] {
                        b'\\' => i += 1,
                        b'\n' => line += 1,
                        _ => {}
                    }
                    i += 1;
                }
                if depth == 1 {
                    last_string = (start, i.min(b.len()));
                }
            }
            b':' if depth == 1 => {
                entries_next = text.get(last_string.0..last_string.1) == Some("Entries");
            }
            b'{' | b'[' => {
                let opens_target = c == b'['
                    && if entries {
                        depth == 1 && entries_next
                    } else {
                        depth == 0
                    };
                depth += 1;
                if opens_target {
                    inside = true;
                    expect = true;
                }
            }
            b'}' | b']' => {
                if depth == target {
                    inside = false;
                    expect = false;
                }
                depth = depth.saturating_sub(1);
            }
            b',' => {
                if inside && depth == target {
                    expect = true;
                }
                if depth == 1 {
                    entries_next = false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Every rule's verdict on every event, found with one compiled matcher per bus (an event costs
/// the same whatever the number of rules: [`RuleSet`]); a miss's reasons are worked out when
/// asked for ([`Verdicts::cell`]), so a table of 10,000 events × 10 rules costs one match per
/// event, not 100,000 explanations.
#[derive(Debug, Clone)]
pub struct Verdicts {
    /// The rules (columns of the app's table, rows of [`Matrix`]).
    pub rules: Vec<MatrixRule>,
    /// The events.
    pub events: Vec<MatrixEvent>,
    patterns: Vec<Option<Pattern>>,
    /// `hits[event * rules + rule]`.
    hits: Vec<bool>,
    /// How many events each rule matches.
    totals: Vec<usize>,
}

/// The rules of a rules document (`{"Rules": [...]}` or a list of rules): each one's row header
/// and its pattern (none when it cannot match anything).
fn read_rules(rules: &Value) -> (Vec<MatrixRule>, Vec<Option<Pattern>>) {
    let list = match rules {
        Value::Array(l) => l.as_slice(),
        other => other
            .get("Rules")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice),
    };
    list.iter()
        .enumerate()
        .map(|(i, r)| {
            let name = r
                .get("Name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("rule {}", i + 1), str::to_owned);
            let bus = r
                .get("EventBusName")
                .and_then(Value::as_str)
                .map(|b| put_events::bus_name(b).unwrap_or(b).to_owned())
                .unwrap_or_else(|| DEFAULT_BUS.to_owned());
            let pattern = match r.get("EventPattern") {
                Some(Value::String(t)) => source::parse_value(t)
                    .map_err(|e| format!("its EventPattern text is not JSON ({e})"))
                    .and_then(|v| Pattern::parse(&v).map_err(|e| e.to_string())),
                Some(v @ Value::Object(_)) => Pattern::parse(v).map_err(|e| e.to_string()),
                _ => Err("it has no EventPattern (a scheduled rule matches no event)".to_owned()),
            };
            let (pattern, problem) = match pattern {
                Ok(p) => (Some(p), None),
                Err(why) => (None, Some(why)),
            };
            (MatrixRule { name, bus, problem }, pattern)
        })
        .unzip()
}

impl Verdicts {
    /// Every rule of a rules document against `events` (already read, [`read_events`]).
    pub fn new(rules: &Value, events: Vec<MatrixEvent>) -> Verdicts {
        let (rows, patterns) = read_rules(rules);
        // One matcher per bus, its rules named by their index.
        let mut sets: Vec<(&str, RuleSet)> = vec![];
        for (r, (rule, pattern)) in rows.iter().zip(&patterns).enumerate() {
            let Some(p) = pattern else { continue };
            let at = match sets.iter().position(|(bus, _)| *bus == rule.bus) {
                Some(at) => at,
                None => {
                    sets.push((&rule.bus, RuleSet::new()));
                    sets.len() - 1
                }
            };
            sets[at].1.add(r.to_string(), p.clone());
        }
        let n = rows.len();
        let mut hits = vec![false; n * events.len()];
        let mut totals = vec![0; n];
        for (e, event) in events.iter().enumerate() {
            let Some((_, set)) = sets.iter().find(|(bus, _)| *bus == event.bus) else {
                continue;
            };
            for name in set.matching_rules(&event.event) {
                if let Ok(r) = name.parse::<usize>()
                    && r < n
                {
                    hits[e * n + r] = true;
                    totals[r] += 1;
                }
            }
        }
        Verdicts {
            rules: rows,
            events,
            patterns,
            hits,
            totals,
        }
    }

    /// Whether rule `rule` matches event `event` (false for a place outside the table).
    pub fn matched(&self, rule: usize, event: usize) -> bool {
        rule < self.rules.len()
            && self
                .hits
                .get(event * self.rules.len() + rule)
                .copied()
                .unwrap_or(false)
    }

    /// How many events each rule matches.
    pub fn totals(&self) -> &[usize] {
        &self.totals
    }

    /// Whether some rule matches event `event`.
    pub fn any(&self, event: usize) -> bool {
        let n = self.rules.len();
        self.hits
            .get(event * n..(event + 1) * n)
            .is_some_and(|row| row.contains(&true))
    }

    /// The events no rule matches, in order.
    pub fn unmatched(&self) -> Vec<usize> {
        (0..self.events.len()).filter(|&e| !self.any(e)).collect()
    }

    /// One verdict with its reasons (`None` outside the table).
    pub fn cell(&self, rule: usize, event: usize) -> Option<Cell> {
        let (r, e) = (self.rules.get(rule)?, self.events.get(event)?);
        let reasons = match (&r.problem, self.patterns.get(rule)?) {
            (Some(p), _) => vec![p.clone()],
            _ if e.bus != r.bus => vec![format!(
                "the event is on bus `{}`, the rule on `{}`",
                e.bus, r.bus
            )],
            (None, Some(p)) if !self.matched(rule, event) => p.explain(&e.event).reasons(),
            _ => vec![],
        };
        Some(Cell {
            matched: self.matched(rule, event),
            reasons,
        })
    }

    /// Every verdict with its reasons, as [`Matrix`] holds them.
    pub fn into_matrix(self) -> Matrix {
        let cells = (0..self.rules.len())
            .map(|r| {
                (0..self.events.len())
                    .filter_map(|e| self.cell(r, e))
                    .collect()
            })
            .collect();
        Matrix {
            rules: self.rules,
            events: self.events,
            cells,
        }
    }
}

/// Every rule of a rules document (`{"Rules": [...]}` or a list of rules) against every event
/// pasted in `events`, with every miss's reasons. Linear in the text and in rules × events; a
/// rule's pattern is parsed once.
pub fn matrix(rules: &Value, events: &str) -> Result<Matrix, ArtifactError> {
    Ok(Verdicts::new(rules, read_events(events)?).into_matrix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_placed_by_one_scan() {
        let list = "[\n {\"a\": \"]\\\"[\"},\n\n 3, [1,\n2], \"x\"\n]";
        assert_eq!(element_lines(list, false), [1, 3, 3, 4]);
        let req =
            "{\"x\": [1, 2], \"Entries\":\n [{\"Source\": \"Entries\"},\n  {}], \"y\": [\n5]}";
        assert_eq!(element_lines(req, true), [1, 2]);
        assert_eq!(element_lines("[]", false), Vec::<u32>::new());
        assert_eq!(
            element_lines("{\"Entries\": \"[1]\"}", true),
            Vec::<u32>::new()
        );
    }

    /// 10,000 events on one line and as a pretty list: every event keeps its line, and the
    /// verdicts agree with each rule's own pattern.
    #[test]
    fn many_events_in_one_list_keep_their_lines() {
        let n = 10_000;
        let one: Vec<String> = (0..n)
            .map(|i| format!("{{\"source\": \"s{}\", \"detail\": {{\"n\": {i}}}}}", i % 7))
            .collect();
        let rules = serde_json::json!({"Rules": (0..10).map(|r| serde_json::json!({
            "Name": format!("r{r}"),
            "EventPattern": {"source": [format!("s{r}")], "detail": {"n": [{"numeric": [">=", r * 100]}]}},
        })).collect::<Vec<_>>()});
        let line = format!("[{}]", one.join(", "));
        let v = Verdicts::new(&rules, read_events(&line).unwrap());
        assert_eq!(v.events.len(), n);
        assert!(v.events.iter().all(|e| e.line == 1));
        let pretty = format!("[\n{}\n]", one.join(",\n"));
        let w = Verdicts::new(&rules, read_events(&pretty).unwrap());
        assert_eq!(w.events[9_999].line, 10_001);
        for (e, r) in [
            (0, 0),
            (700, 0),
            (1, 1),
            (8, 1),
            (701, 1),
            (3, 9),
            (7_000, 7),
        ] {
            let want = Pattern::parse(&rules["Rules"][r]["EventPattern"])
                .unwrap()
                .matches(&w.events[e].event);
            assert_eq!(w.matched(r, e), want, "rule {r}, event {e}");
            assert_eq!(w.cell(r, e).unwrap().matched, want);
        }
        assert_eq!(
            w.totals().iter().sum::<usize>(),
            (0..n).filter(|&e| w.any(e)).count()
        );
        assert_eq!(w.unmatched().len() + w.totals().iter().sum::<usize>(), n);
    }
}
