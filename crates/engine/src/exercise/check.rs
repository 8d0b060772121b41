//! The checks an exercise can ask for, and their verdicts in plain words.

use super::run::{self, Run};
use crate::workspace::Workspace;
use serde::Serialize;
use serde_json::Value;

/// What a check runs: an execution input, or an event routed through the rules; optionally with
/// its own mocks (for "when the card service throttles twice…") and a named machine.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Scenario {
    /// Start the machine directly with this input (no routing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// Put this event on the bus (default: the workspace's event) and run what the rules start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Value>,
    /// Mocks for this run, in place of the workspace's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mocks: Option<Value>,
    /// The machine to start with `input` (default: the only one, or the first a rule targets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
}

/// One kind of check, tagged by `kind` in exercise files.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CheckKind {
    /// The rule matches every one of these events.
    RuleMatches {
        /// The rule's name.
        rule: String,
        /// Events that must match.
        events: Vec<Value>,
    },
    /// The rule matches none of these events.
    RuleDoesNotMatch {
        /// The rule's name.
        rule: String,
        /// Events that must not match.
        events: Vec<Value>,
    },
    /// For this event, the rule's target receives exactly this input.
    TargetInput {
        /// The rule's name.
        rule: String,
        /// The target's `Id` (default: the rule's first target).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        target: Option<String>,
        /// The event.
        event: Value,
        /// The input the target must receive.
        equals: Value,
    },
    /// The execution ends with this status (and output, error, cause when given).
    Execution {
        /// What runs.
        #[serde(flatten)]
        scenario: Scenario,
        /// `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`.
        status: String,
        /// The output a successful execution must have.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        output: Option<Value>,
        /// The error a failed execution must have.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        /// The cause a failed execution must have.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cause: Option<String>,
    },
    /// The state is retried exactly `times` times in the execution.
    StateRetried {
        /// What runs.
        #[serde(flatten)]
        scenario: Scenario,
        /// The state's name.
        state: String,
        /// Retries (attempts after the first).
        times: u64,
    },
    /// The execution enters these states in this order (others may come in between).
    PathTaken {
        /// What runs.
        #[serde(flatten)]
        scenario: Scenario,
        /// State names, in order.
        states: Vec<String>,
    },
    /// The execution enters this state exactly `times` times (a Map's iterations count one each).
    StateEntered {
        /// What runs.
        #[serde(flatten)]
        scenario: Scenario,
        /// The state's name.
        state: String,
        /// How often.
        times: u64,
    },
    /// The execution never enters this state.
    StateNotEntered {
        /// What runs.
        #[serde(flatten)]
        scenario: Scenario,
        /// The state's name.
        state: String,
    },
    /// The execution takes at most `n` state transitions (states entered).
    MaxTransitions {
        /// What runs.
        #[serde(flatten)]
        scenario: Scenario,
        /// The most states it may enter.
        n: u64,
    },
    /// The state machine has no diagnostics.
    Validates {
        /// The machine (default: every machine of the workspace).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        machine: Option<String>,
    },
}

/// The kinds, as written in exercise files.
const KINDS: [&str; 10] = [
    "rule_matches",
    "rule_does_not_match",
    "target_input",
    "execution",
    "state_retried",
    "path_taken",
    "state_entered",
    "state_not_entered",
    "max_transitions",
    "validates",
];

/// Members a scenario adds to a check.
const SCENARIO_KEYS: [&str; 4] = ["input", "event", "mocks", "machine"];

/// The members each kind accepts besides `kind` and `title` (a misspelt member would otherwise be
/// ignored silently, and the check would grade less than its author meant).
fn allowed(kind: &str) -> &'static [&'static str] {
    match kind {
        "rule_matches" | "rule_does_not_match" => &["rule", "events"],
        "target_input" => &["rule", "target", "event", "equals"],
        "execution" => &["status", "output", "error", "cause"],
        "state_retried" => &["state", "times"],
        "path_taken" => &["states"],
        "state_entered" => &["state", "times"],
        "state_not_entered" => &["state"],
        "max_transitions" => &["n"],
        "validates" => &["machine"],
        _ => &[],
    }
}

/// One check of an exercise: what it requires and an optional title for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// What the learner sees (default: a sentence made from the check).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it requires.
    #[serde(flatten)]
    pub kind: CheckKind,
}

/// The verdict of one check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// The check's kind (`rule_matches`, …).
    pub kind: String,
    /// The check's title.
    pub title: String,
    /// Whether the workspace passes it.
    pub passed: bool,
    /// Why, in plain words.
    pub reason: String,
}

/// What a JSON value is, in the words of serde's "invalid type" messages.
fn unexpected(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {s:?}"),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    }
}

/// The error for member `key` holding `v` where `expected` was wanted.
fn invalid(key: &str, v: &Value, expected: &str) -> String {
    format!(
        "field `{key}`: invalid type: {}, expected {expected}",
        unexpected(v)
    )
}

/// A check's members, read by hand (a serde derive of the tagged, flattened enum cost the app's
/// wasm ~27 KB); the messages are serde's (`missing field `n``, `field `n`: invalid …`).
struct Members<'a>(&'a serde_json::Map<String, Value>);

impl Members<'_> {
    fn value(&self, key: &str) -> Result<Value, String> {
        self.0
            .get(key)
            .cloned()
            .ok_or_else(|| format!("missing field `{key}`"))
    }

    /// An optional member; `null` counts as absent.
    fn opt_value(&self, key: &str) -> Option<Value> {
        self.0.get(key).filter(|v| !v.is_null()).cloned()
    }

    fn string(&self, key: &str) -> Result<String, String> {
        match self.0.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(v) => Err(invalid(key, v, "a string")),
            None => Err(format!("missing field `{key}`")),
        }
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>, String> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(invalid(key, v, "a string")),
        }
    }

    fn u64(&self, key: &str) -> Result<u64, String> {
        match self.0.get(key) {
            Some(Value::Number(n)) if n.as_u64().is_some() => Ok(n.as_u64().unwrap_or_default()),
            Some(Value::Number(n)) if n.is_i64() => Err(format!(
                "field `{key}`: invalid value: integer `{n}`, expected u64"
            )),
            Some(v) => Err(invalid(key, v, "u64")),
            None => Err(format!("missing field `{key}`")),
        }
    }

    fn values(&self, key: &str) -> Result<Vec<Value>, String> {
        match self.0.get(key) {
            Some(Value::Array(a)) => Ok(a.clone()),
            Some(v) => Err(invalid(key, v, "a sequence")),
            None => Err(format!("missing field `{key}`")),
        }
    }

    fn strings(&self, key: &str) -> Result<Vec<String>, String> {
        match self.0.get(key) {
            Some(Value::Array(a)) => a
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    v => Err(invalid(key, v, "a string")),
                })
                .collect(),
            Some(v) => Err(invalid(key, v, "a sequence")),
            None => Err(format!("missing field `{key}`")),
        }
    }

    fn scenario(&self) -> Result<Scenario, String> {
        Ok(Scenario {
            input: self.opt_value("input"),
            event: self.opt_value("event"),
            mocks: self.opt_value("mocks"),
            machine: self.opt_string("machine")?,
        })
    }
}

/// Reads the members of a check of kind `kind` (one of [`KINDS`]).
fn read_kind(kind: &str, o: &serde_json::Map<String, Value>) -> Result<CheckKind, String> {
    let m = Members(o);
    Ok(match kind {
        "rule_matches" => CheckKind::RuleMatches {
            rule: m.string("rule")?,
            events: m.values("events")?,
        },
        "rule_does_not_match" => CheckKind::RuleDoesNotMatch {
            rule: m.string("rule")?,
            events: m.values("events")?,
        },
        "target_input" => CheckKind::TargetInput {
            rule: m.string("rule")?,
            target: m.opt_string("target")?,
            event: m.value("event")?,
            equals: m.value("equals")?,
        },
        "execution" => CheckKind::Execution {
            scenario: m.scenario()?,
            status: m.string("status")?,
            output: m.opt_value("output"),
            error: m.opt_string("error")?,
            cause: m.opt_string("cause")?,
        },
        "state_retried" => CheckKind::StateRetried {
            scenario: m.scenario()?,
            state: m.string("state")?,
            times: m.u64("times")?,
        },
        "path_taken" => CheckKind::PathTaken {
            scenario: m.scenario()?,
            states: m.strings("states")?,
        },
        "state_entered" => CheckKind::StateEntered {
            scenario: m.scenario()?,
            state: m.string("state")?,
            times: m.u64("times")?,
        },
        "state_not_entered" => CheckKind::StateNotEntered {
            scenario: m.scenario()?,
            state: m.string("state")?,
        },
        "max_transitions" => CheckKind::MaxTransitions {
            scenario: m.scenario()?,
            n: m.u64("n")?,
        },
        _ => CheckKind::Validates {
            machine: m.opt_string("machine")?,
        },
    })
}

impl Check {
    /// Reads a check; the error says what is wrong (the caller adds where).
    pub fn from_value(v: &Value) -> Result<Check, String> {
        let o = v.as_object().ok_or("expected an object")?;
        let kind = match o.get("kind") {
            Some(Value::String(k)) if KINDS.contains(&k.as_str()) => k.as_str(),
            Some(Value::String(k)) => {
                return Err(format!(
                    "unknown kind `{k}`; expected one of {}",
                    KINDS.join(", ")
                ));
            }
            Some(_) => return Err("`kind` must be a string".to_owned()),
            None => {
                return Err(format!(
                    "missing `kind`; expected one of {}",
                    KINDS.join(", ")
                ));
            }
        };
        let scenario = matches!(
            kind,
            "execution"
                | "state_retried"
                | "path_taken"
                | "state_entered"
                | "state_not_entered"
                | "max_transitions"
        );
        for key in o.keys() {
            let known = key == "kind"
                || key == "title"
                || allowed(kind).contains(&key.as_str())
                || (scenario && SCENARIO_KEYS.contains(&key.as_str()));
            if !known {
                return Err(format!("`{key}` is not a member of a `{kind}` check"));
            }
        }
        let title = match o.get("title") {
            Some(Value::String(t)) => Some(t.clone()),
            Some(_) => return Err("`title` must be a string".to_owned()),
            None => None,
        };
        let kind = read_kind(kind, o)?;
        if let CheckKind::Execution { status, .. } = &kind
            && !run::STATUSES.contains(&status.as_str())
        {
            return Err(format!(
                "`status` must be one of {}",
                run::STATUSES.join(", ")
            ));
        }
        Ok(Check { title, kind })
    }

    /// The kind's name in exercise files.
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            CheckKind::RuleMatches { .. } => "rule_matches",
            CheckKind::RuleDoesNotMatch { .. } => "rule_does_not_match",
            CheckKind::TargetInput { .. } => "target_input",
            CheckKind::Execution { .. } => "execution",
            CheckKind::StateRetried { .. } => "state_retried",
            CheckKind::PathTaken { .. } => "path_taken",
            CheckKind::StateEntered { .. } => "state_entered",
            CheckKind::StateNotEntered { .. } => "state_not_entered",
            CheckKind::MaxTransitions { .. } => "max_transitions",
            CheckKind::Validates { .. } => "validates",
        }
    }

    /// The title, or a sentence made from the check.
    pub fn display_title(&self) -> String {
        if let Some(t) = &self.title {
            return t.clone();
        }
        match &self.kind {
            CheckKind::RuleMatches { rule, events } => {
                format!("rule `{rule}` matches {}", count(events.len(), "event"))
            }
            CheckKind::RuleDoesNotMatch { rule, events } => {
                format!("rule `{rule}` ignores {}", count(events.len(), "event"))
            }
            CheckKind::TargetInput { rule, target, .. } => match target {
                Some(t) => format!("rule `{rule}` gives target `{t}` the expected input"),
                None => format!("rule `{rule}` gives its target the expected input"),
            },
            CheckKind::Execution { status, output, .. } => match output {
                Some(_) => format!("the execution ends {status} with the expected output"),
                None => format!("the execution ends {status}"),
            },
            CheckKind::StateRetried { state, times, .. } => format!(
                "`{state}` is retried exactly {}",
                count(*times as usize, "time")
            ),
            CheckKind::PathTaken { states, .. } => {
                format!("the execution goes through {}", states.join(" → "))
            }
            CheckKind::StateEntered { state, times, .. } => {
                format!(
                    "the execution enters `{state}` exactly {}",
                    count(*times as usize, "time")
                )
            }
            CheckKind::StateNotEntered { state, .. } => {
                format!("the execution never enters `{state}`")
            }
            CheckKind::MaxTransitions { n, .. } => {
                format!("at most {}", count(*n as usize, "state transition"))
            }
            CheckKind::Validates { machine: Some(m) } => format!("state machine `{m}` is valid"),
            CheckKind::Validates { machine: None } => "the state machine is valid".to_owned(),
        }
    }

    /// Grades a workspace (locked panes already restored by the caller).
    pub fn run(&self, ws: &Workspace) -> CheckResult {
        let verdict = match &self.kind {
            CheckKind::RuleMatches { rule, events } => run::rule_matches(ws, rule, events, true),
            CheckKind::RuleDoesNotMatch { rule, events } => {
                run::rule_matches(ws, rule, events, false)
            }
            CheckKind::TargetInput {
                rule,
                target,
                event,
                equals,
            } => run::target_input(ws, rule, target.as_deref(), event, equals),
            CheckKind::Execution {
                scenario,
                status,
                output,
                error,
                cause,
            } => run::start(ws, scenario).map(|r| {
                execution(
                    &r,
                    status,
                    output.as_ref(),
                    error.as_deref(),
                    cause.as_deref(),
                )
            }),
            CheckKind::StateRetried {
                scenario,
                state,
                times,
            } => run::start(ws, scenario).map(|r| retried(&r, state, *times)),
            CheckKind::PathTaken { scenario, states } => {
                run::start(ws, scenario).map(|r| path_taken(&r, states))
            }
            CheckKind::StateEntered {
                scenario,
                state,
                times,
            } => run::start(ws, scenario).map(|r| entered_times(&r, state, *times)),
            CheckKind::StateNotEntered { scenario, state } => {
                run::start(ws, scenario).map(|r| not_entered(&r, state))
            }
            CheckKind::MaxTransitions { scenario, n } => {
                run::start(ws, scenario).map(|r| transitions(&r, *n))
            }
            CheckKind::Validates { machine } => Ok(run::validates(ws, machine.as_deref())),
        };
        let (passed, reason) = verdict.unwrap_or_else(|why| (false, why));
        CheckResult {
            kind: self.kind_name().to_owned(),
            title: self.display_title(),
            passed,
            reason,
        }
    }
}

/// `1 event`, `2 events`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn execution(
    r: &Run,
    status: &str,
    output: Option<&Value>,
    error: Option<&str>,
    cause: Option<&str>,
) -> (bool, String) {
    let got = r.status();
    let ended = format!("the execution of `{}` ended {got}", r.machine);
    if got != status {
        let detail = match (&r.outcome.error, &r.outcome.cause) {
            (Some(e), Some(c)) if !c.is_empty() => {
                format!(" with {e} ({})", run::short(&Value::String(c.clone())))
            }
            (Some(e), _) => format!(" with {e}"),
            _ => String::new(),
        };
        return (
            false,
            format!("{ended}{detail}; the exercise wants {status}"),
        );
    }
    if let Some(want) = output {
        match &r.outcome.output {
            Some(out) if out == want => {}
            Some(out) => {
                return (
                    false,
                    format!(
                        "{ended} with another output: {}",
                        run::differences(out, want)
                    ),
                );
            }
            None => {
                return (
                    false,
                    format!(
                        "{ended} without an output; the exercise wants {}",
                        run::short(want)
                    ),
                );
            }
        }
    }
    if let Some(want) = error {
        let got = r.outcome.error.as_deref().unwrap_or("no error");
        if got != want {
            return (
                false,
                format!("{ended} with error {got}; the exercise wants {want}"),
            );
        }
    }
    if let Some(want) = cause {
        let got = r.outcome.cause.as_deref().unwrap_or("");
        if got != want {
            return (
                false,
                format!("{ended} with cause {:?}; the exercise wants {want:?}", got),
            );
        }
    }
    let mut reason = ended;
    if let Some(out) = output {
        reason.push_str(&format!(" with output {}", run::short(out)));
    }
    if let Some(e) = &r.outcome.error {
        reason.push_str(&format!(" with error {e}"));
    }
    (true, reason)
}

fn retried(r: &Run, state: &str, times: u64) -> (bool, String) {
    let (entries, attempts) = r.attempts(state);
    if entries == 0 {
        return (
            false,
            format!(
                "the execution never entered `{state}`; the exercise wants it retried exactly {}",
                count(times as usize, "time")
            ),
        );
    }
    let retries = attempts.saturating_sub(entries);
    let said = format!("`{state}` was retried {}", count(retries as usize, "time"));
    if retries == times {
        (true, said)
    } else {
        (false, format!("{said}; the exercise wants exactly {times}"))
    }
}

fn path_taken(r: &Run, states: &[String]) -> (bool, String) {
    let entered = r.entered();
    let mut rest = entered.iter();
    for (i, want) in states.iter().enumerate() {
        if !rest.any(|s| s == want) {
            let after = match i.checked_sub(1).and_then(|p| states.get(p)) {
                Some(prev) => format!(" after `{prev}`"),
                None => String::new(),
            };
            return (
                false,
                format!(
                    "the execution did not enter `{want}`{after}; it went {}",
                    run::path(&entered)
                ),
            );
        }
    }
    (true, format!("the execution went {}", run::path(&entered)))
}

fn entered_times(r: &Run, state: &str, times: u64) -> (bool, String) {
    let got = r.entered().iter().filter(|s| s.as_str() == state).count() as u64;
    let said = format!(
        "the execution entered `{state}` {}",
        count(got as usize, "time")
    );
    if got == times {
        (true, said)
    } else {
        (false, format!("{said}; the exercise wants exactly {times}"))
    }
}

fn not_entered(r: &Run, state: &str) -> (bool, String) {
    let entered = r.entered();
    if entered.iter().any(|s| s == state) {
        (
            false,
            format!(
                "the execution entered `{state}`: it went {}",
                run::path(&entered)
            ),
        )
    } else {
        (
            true,
            format!(
                "the execution never entered `{state}`; it went {}",
                run::path(&entered)
            ),
        )
    }
}

fn transitions(r: &Run, n: u64) -> (bool, String) {
    let got = r.entered().len() as u64;
    let said = format!(
        "the execution took {}",
        count(got as usize, "state transition")
    );
    if got <= n {
        (true, said)
    } else {
        (false, format!("{said}; the exercise allows at most {n}"))
    }
}
