//! What the checks run: rule matching, target inputs, executions started directly or by routing an
//! event, and the facts read from the history (states entered, attempts per state).

use super::check::{Scenario, count};
use crate::asl::exec::{Execution, ExecutionOptions, Outcome};
use crate::asl::mocks::Mocks;
use crate::asl::{HistoryEvent, StateMachine};
use crate::pattern::Pattern;
use crate::transform::{self, Context};
use crate::workspace::{Rule, Target, Workspace};
use serde_json::Value;
use std::collections::HashMap;

/// The statuses an `execution` check may ask for.
pub(crate) const STATUSES: [&str; 4] = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

/// Longest JSON shown in a reason before it is cut.
const SHORT_CHARS: usize = 160;

/// Compact JSON text, cut (with `…`) when long.
pub(crate) fn short(v: &Value) -> String {
    let text = serde_json::to_string(v).unwrap_or_default();
    if text.chars().count() <= SHORT_CHARS {
        text
    } else {
        let cut: String = text.chars().take(SHORT_CHARS).collect();
        format!("{cut}…")
    }
}

/// Most differences a reason lists before it counts the rest.
const MAX_DIFFERENCES: usize = 3;

/// How `got` differs from `want`, in words with the JSON path of each difference (never the
/// two documents whole): `at `$.order.total`: 12, where the exercise wants 120`.
pub(crate) fn differences(got: &Value, want: &Value) -> String {
    let mut found = Vec::new();
    let mut total = 0;
    diff_at("$", got, want, &mut found, &mut total);
    let mut text = found.join("; ");
    if total > found.len() {
        let more = total - found.len();
        let noun = if more == 1 {
            "difference"
        } else {
            "differences"
        };
        text.push_str(&format!("; and {more} more {noun}"));
    }
    text
}

/// A value in a few words: scalars as JSON, containers by their size.
fn described(v: &Value) -> String {
    match v {
        Value::Object(o) if o.is_empty() => "an empty object".to_owned(),
        Value::Object(o) => format!("an object of {}", count(o.len(), "field")),
        Value::Array(a) if a.is_empty() => "an empty list".to_owned(),
        Value::Array(a) => format!("a list of {}", count(a.len(), "item")),
        Value::String(s) if s.chars().count() > 60 => {
            let cut: String = s.chars().take(60).collect();
            format!("{:?}…", cut)
        }
        other => other.to_string(),
    }
}

/// A member's path: `$.name`, or `$['odd name']` when it is not a plain name.
fn member(path: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if plain {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", Value::String(key.to_owned()))
    }
}

fn diff_at(path: &str, got: &Value, want: &Value, found: &mut Vec<String>, total: &mut usize) {
    let mut say = |text: String| {
        *total += 1;
        if found.len() < MAX_DIFFERENCES {
            found.push(text);
        }
    };
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            for (k, wv) in w {
                let at = member(path, k);
                match g.get(k) {
                    Some(gv) => diff_at(&at, gv, wv, found, total),
                    None => {
                        *total += 1;
                        if found.len() < MAX_DIFFERENCES {
                            found.push(format!(
                                "`{at}` is missing (the exercise wants {})",
                                described(wv)
                            ));
                        }
                    }
                }
            }
            for (k, gv) in g.iter().filter(|(k, _)| !w.contains_key(*k)) {
                *total += 1;
                if found.len() < MAX_DIFFERENCES {
                    found.push(format!(
                        "`{}` ({}) is not wanted",
                        member(path, k),
                        described(gv)
                    ));
                }
            }
        }
        (Value::Array(g), Value::Array(w)) if g.len() == w.len() => {
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                diff_at(&format!("{path}[{i}]"), gv, wv, found, total);
            }
        }
        (Value::Array(g), Value::Array(w)) => say(format!(
            "`{path}` has {}, where the exercise wants {}",
            count(g.len(), "item"),
            count(w.len(), "item")
        )),
        (g, w) if g == w => {}
        (g, w) => say(format!(
            "`{path}` is {}, where the exercise wants {}",
            described(g),
            described(w)
        )),
    }
}

/// `A → B → C`, or `nowhere` when no state was entered.
pub(crate) fn path(states: &[String]) -> String {
    if states.is_empty() {
        "nowhere".to_owned()
    } else {
        states.join(" → ")
    }
}

fn rule<'a>(ws: &'a Workspace, name: &str) -> Result<&'a Rule, String> {
    ws.rules.iter().find(|r| r.name == name).ok_or_else(|| {
        let names: Vec<String> = ws.rules.iter().map(|r| format!("`{}`", r.name)).collect();
        if names.is_empty() {
            format!("there is no rule named `{name}` (the workspace has no rules)")
        } else {
            format!(
                "there is no rule named `{name}` (the rules are {})",
                names.join(", ")
            )
        }
    })
}

fn pattern(r: &Rule) -> Result<Pattern, String> {
    Pattern::parse(&r.event_pattern)
        .map_err(|e| format!("rule `{}` has an invalid pattern: {e}", r.name))
}

/// `rule_matches` (`want` true) and `rule_does_not_match` (`want` false).
pub(crate) fn rule_matches(
    ws: &Workspace,
    name: &str,
    events: &[Value],
    want: bool,
) -> Result<(bool, String), String> {
    let p = pattern(rule(ws, name)?)?;
    for (i, event) in events.iter().enumerate() {
        let why = p.explain(event);
        if why.matched != want {
            let n = i + 1;
            return Ok((
                false,
                if want {
                    format!("event {n}: {why}")
                } else {
                    format!(
                        "event {n} matches, but the exercise wants it ignored: {}",
                        short(event)
                    )
                },
            ));
        }
    }
    let all = match events.len() {
        1 => "the event".to_owned(),
        2 => "both events".to_owned(),
        n => format!("all {n} events"),
    };
    Ok((
        true,
        format!(
            "rule `{name}` {} {all}",
            if want { "matches" } else { "ignores" }
        ),
    ))
}

/// The target as EventBridge's `PutTargets` JSON, which is what the transformation reads.
fn target_json(t: &Target) -> Value {
    let mut o = t.extra.clone();
    o.insert("Id".to_owned(), Value::String(t.id.clone()));
    o.insert("Arn".to_owned(), Value::String(t.arn.clone()));
    Value::Object(o)
}

/// The input a target receives for an event, as JSON.
fn deliver(r: &Rule, t: &Target, event: &Value) -> Result<Value, String> {
    let out = transform::transform(&target_json(t), event, &Context::for_rule(&r.name))
        .map_err(|e| format!("rule `{}`, target `{}`: {e}", r.name, t.id))?;
    Ok(out.json.unwrap_or(Value::String(out.text)))
}

/// `target_input`.
pub(crate) fn target_input(
    ws: &Workspace,
    name: &str,
    target: Option<&str>,
    event: &Value,
    want: &Value,
) -> Result<(bool, String), String> {
    let r = rule(ws, name)?;
    let t = match target {
        Some(id) => r
            .targets
            .iter()
            .find(|t| t.id == id)
            .ok_or_else(|| format!("rule `{name}` has no target with Id `{id}`"))?,
        None => r
            .targets
            .first()
            .ok_or_else(|| format!("rule `{name}` has no targets"))?,
    };
    let why = pattern(r)?.explain(event);
    if !why.matched {
        return Ok((
            false,
            format!(
                "rule `{name}` does not match the event, so `{}` receives nothing: {why}",
                t.id
            ),
        ));
    }
    let got = deliver(r, t, event)?;
    if &got == want {
        Ok((true, format!("target `{}` receives {}", t.id, short(&got))))
    } else {
        Ok((
            false,
            format!(
                "target `{}` receives another input: {}",
                t.id,
                differences(&got, want)
            ),
        ))
    }
}

/// `validates`.
pub(crate) fn validates(ws: &Workspace, machine: Option<&str>) -> (bool, String) {
    let names: Vec<&String> = match machine {
        Some(m) => match ws.machines.get_key_value(m) {
            Some((k, _)) => vec![k],
            None => return (false, format!("there is no state machine named `{m}`")),
        },
        None => ws.machines.keys().collect(),
    };
    if names.is_empty() {
        return (false, "the workspace has no state machine".to_owned());
    }
    for name in &names {
        if let Some(def) = ws.machines.get(name.as_str()) {
            let diags = crate::asl::validate_value(def);
            if let Some(first) = diags.first() {
                let more = if diags.len() > 1 {
                    format!(" (and {} more)", diags.len() - 1)
                } else {
                    String::new()
                };
                return (false, format!("state machine `{name}`: {first}{more}"));
            }
        }
    }
    (
        true,
        if names.len() == 1 {
            format!("state machine `{}` has no problems", names[0])
        } else {
            "every state machine has no problems".to_owned()
        },
    )
}

/// A finished execution and its history.
#[derive(Debug, Clone)]
pub(crate) struct Run {
    /// The machine's name in the workspace.
    pub(crate) machine: String,
    /// How it ended.
    pub(crate) outcome: Outcome,
    /// Every event.
    pub(crate) history: Vec<HistoryEvent>,
}

impl Run {
    /// `SUCCEEDED`, `FAILED`, ….
    pub(crate) fn status(&self) -> String {
        serde_json::to_value(self.outcome.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// The states entered, in history order.
    pub(crate) fn entered(&self) -> Vec<String> {
        self.history
            .iter()
            .filter(|e| e.event_type.enters_state())
            .filter_map(entered_name)
            .collect()
    }

    /// How often `state` was entered, and how many task attempts it made (scheduled calls), each
    /// call found by following `previousEventId` back to the state it belongs to, so the branches
    /// of a Parallel or a Map do not mix.
    pub(crate) fn attempts(&self, state: &str) -> (u64, u64) {
        let by_id: HashMap<u64, &HistoryEvent> = self.history.iter().map(|e| (e.id, e)).collect();
        let owner = |e: &HistoryEvent| -> Option<String> {
            let mut at = by_id.get(&e.previous_event_id).copied();
            // Bounded by the history's length: ids only go back, but a malformed chain must not loop.
            for _ in 0..self.history.len() {
                let ev = at?;
                if ev.event_type.enters_state() {
                    return entered_name(ev);
                }
                at = by_id.get(&ev.previous_event_id).copied();
            }
            None
        };
        let entries = self
            .entered()
            .iter()
            .filter(|s| s.as_str() == state)
            .count() as u64;
        let calls = self
            .history
            .iter()
            .filter(|e| e.event_type.schedules_task())
            .filter(|e| owner(e).as_deref() == Some(state))
            .count() as u64;
        (entries, calls)
    }
}

fn entered_name(e: &HistoryEvent) -> Option<String> {
    e.details()?.get("name")?.as_str().map(str::to_owned)
}

fn mocks(ws: &Workspace, scenario: &Scenario) -> Result<Mocks, String> {
    let value = scenario
        .mocks
        .clone()
        .unwrap_or_else(|| Value::Object(ws.mocks.clone()));
    Mocks::from_value(&value, None).map_err(|e| format!("the mocks are invalid: {e}"))
}

fn execute(ws: &Workspace, name: &str, input: Value, scenario: &Scenario) -> Result<Run, String> {
    let def = ws
        .machines
        .get(name)
        .ok_or_else(|| format!("there is no state machine named `{name}`"))?;
    let machine = StateMachine::from_value(def).map_err(|d| {
        let first = d.0.first().map(ToString::to_string).unwrap_or_default();
        format!("state machine `{name}` is invalid: {first}")
    })?;
    let options = ExecutionOptions {
        mocks: mocks(ws, scenario)?,
        state_machine_name: name.to_owned(),
        ..ExecutionOptions::default()
    };
    let mut exec = Execution::new(&machine, input, options);
    let outcome = exec.run_to_end();
    Ok(Run {
        machine: name.to_owned(),
        outcome,
        history: exec.history().to_vec(),
    })
}

/// The machine a direct `input` starts.
fn default_machine(ws: &Workspace, scenario: &Scenario) -> Result<String, String> {
    if let Some(m) = &scenario.machine {
        return Ok(m.clone());
    }
    if ws.machines.len() == 1 {
        return ws.machines.keys().next().cloned().ok_or_else(String::new);
    }
    let targeted = ws
        .rules
        .iter()
        .flat_map(|r| &r.targets)
        .find_map(|t| t.state_machine.clone());
    targeted.ok_or_else(|| {
        format!(
            "the workspace has {}; the check does not say which to run",
            count(ws.machines.len(), "state machine")
        )
    })
}

/// Runs a scenario: the machine with `input`, or whatever the event starts through the rules (the
/// first rule, in order, that matches and targets a state machine).
pub(crate) fn start(ws: &Workspace, scenario: &Scenario) -> Result<Run, String> {
    if let Some(input) = &scenario.input {
        return execute(ws, &default_machine(ws, scenario)?, input.clone(), scenario);
    }
    let event = scenario.event.as_ref().unwrap_or(&ws.event);
    let mut closest: Option<String> = None;
    for r in &ws.rules {
        let why = pattern(r)?.explain(event);
        let machine_target = r.targets.iter().find(|t| t.state_machine.is_some());
        match (why.matched, machine_target) {
            (true, Some(t)) => {
                let input = deliver(r, t, event)?;
                let name = t.state_machine.clone().unwrap_or_default();
                return execute(ws, &name, input, scenario);
            }
            (false, Some(_)) if closest.is_none() => {
                closest = Some(format!("rule `{}`: {why}", r.name))
            }
            _ => {}
        }
    }
    Err(match closest {
        Some(c) => format!("no rule started an execution for the event ({c})"),
        None => "no rule started an execution: no rule has a state machine target that matches the event".to_owned(),
    })
}
