//! Replaying an execution history: which state is idle, active, succeeded, failed, caught,
//! retrying or cancelled after the first N events.
//!
//! The history is in the shape of Step Functions' GetExecutionHistory (`id`, `previousEventId`,
//! `timestamp`, `type`, `<type>EventDetails`), so this reads the engine's output and AWS's alike.
//! A pure function of the history, tested natively; the graph and the scrubber only call it.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What a state is doing at a moment of the replay (DESIGN.md's `data-status` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Status {
    /// Not reached yet.
    #[default]
    Idle,
    /// Running now.
    Active,
    /// Left normally.
    Succeeded,
    /// Failed, and the error was not handled here.
    Failed,
    /// Failed, and a Catch sent the execution on.
    Caught,
    /// Failed, and a Retry will run it again after its backoff.
    Retrying,
    /// Stopped because something else failed (a sibling branch, the execution).
    Cancelled,
}

impl Status {
    /// The `data-status` attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Idle => "idle",
            Status::Active => "active",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Caught => "caught",
            Status::Retrying => "retrying",
            Status::Cancelled => "cancelled",
        }
    }

    /// A glyph so that colour is never the only signal.
    pub fn glyph(self) -> &'static str {
        match self {
            Status::Idle => "",
            Status::Active => "▶",
            Status::Succeeded => "✓",
            Status::Failed => "✕",
            Status::Caught => "↷",
            Status::Retrying => "↻",
            Status::Cancelled => "⊘",
        }
    }
}

/// One state's situation at a moment: its status, how many times it was entered, how many
/// attempts its latest run made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NodeState {
    /// The status to draw.
    pub status: Status,
    /// How many times the state was entered so far (Map iterations enter inner states many times).
    pub runs: u32,
    /// How many of its runs are in progress.
    pub running: u32,
    /// Attempts of the latest run (1 + retries so far).
    pub attempts: u32,
    /// While retrying: the virtual time until the next attempt (the Retrier's backoff).
    pub retry_in_ms: Option<i64>,
}

/// What one history event does to the statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Effect {
    Enter,
    EnterFail,
    Exit,
    /// A new attempt of work in a state (a retry starts here).
    Attempt,
    Fail(Status),
    Abort,
    ExecutionFailed,
    None,
}

/// One event of the history, read once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The event's `id`.
    pub id: i64,
    /// The event's `type`, e.g. `TaskStateEntered`.
    pub kind: String,
    /// The state the event belongs to, when it belongs to one.
    pub state: Option<String>,
    /// The event's time in milliseconds since the epoch, when it has a readable timestamp.
    pub millis: Option<i64>,
    /// For `ExecutionFailed`: the state whose event it follows (a Choice that matched no rule,
    /// a state that failed with `States.Runtime`): that state failed, it was not cancelled.
    pub blames: Option<String>,
    /// For a failure that is retried: the virtual time until the next attempt.
    pub retry_in_ms: Option<i64>,
    /// For a state's Entered event that follows another state's Exited event: that state, and
    /// whether it left by a Catch (a failure of its run was caught) rather than its `Next`.
    #[serde(default)]
    pub came_from: Option<(String, bool)>,
    effect: Effect,
}

/// A transition the execution made: from a state to the next, by a Catch or not. The graph
/// draws an edge as taken only when the run made its move (a Catch edge only when the error
/// was caught there).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Move {
    /// The state left.
    pub from: String,
    /// The state entered.
    pub to: String,
    /// Whether the state was left by a Catch.
    pub caught: bool,
}

/// A history prepared for replay: every event's state and effect worked out once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Replay {
    /// The events, in history order.
    pub steps: Vec<Step>,
}

/// The `<type>EventDetails` object of an event, e.g. `taskFailedEventDetails` for `TaskFailed`.
pub fn details<'a>(event: &'a Value, kind: &str) -> Option<&'a Value> {
    let mut chars = kind.chars();
    let first = chars.next()?.to_ascii_lowercase();
    let key = format!("{first}{}EventDetails", chars.as_str());
    event.get(&key).or_else(|| {
        // Entered/Exited events of every state type share one details name.
        if kind.ends_with("StateEntered") {
            event.get("stateEnteredEventDetails")
        } else if kind.ends_with("StateExited") {
            event.get("stateExitedEventDetails")
        } else {
            None
        }
    })
}

fn is_failure(kind: &str) -> bool {
    kind.ends_with("Failed") && !kind.starts_with("MapIteration") && !kind.starts_with("Execution")
        || kind.ends_with("TimedOut") && !kind.starts_with("Execution")
        || kind == "EvaluationFailed"
}

fn is_attempt(kind: &str) -> bool {
    kind.ends_with("Scheduled")
        || kind == "TaskSubmitted"
        || kind == "ParallelStateStarted"
        || kind == "MapStateStarted"
}

impl Replay {
    /// Reads a history (a JSON array of events, or any slice of event objects).
    pub fn new(history: &[Value]) -> Replay {
        let mut index_of_id: HashMap<i64, usize> = HashMap::new();
        let mut owners: Vec<Option<String>> = Vec::with_capacity(history.len());
        // Open Parallel and Map states, innermost last: their un-named events belong to them.
        let mut open: Vec<(String, String)> = Vec::new();
        let mut steps = Vec::with_capacity(history.len());
        for (i, event) in history.iter().enumerate() {
            let kind = event
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let id = event
                .get("id")
                .and_then(Value::as_i64)
                .unwrap_or(i as i64 + 1);
            index_of_id.insert(id, i);
            let named = details(event, &kind)
                .and_then(|d| d.get("name"))
                .and_then(Value::as_str)
                .filter(|_| !kind.starts_with("Execution"))
                .map(str::to_owned);
            let container = ["ParallelState", "MapState", "MapRun"]
                .into_iter()
                .find(|p| kind.starts_with(p))
                .filter(|_| !kind.ends_with("Entered") && !kind.ends_with("Exited"));
            let owner = if named.is_some() {
                named
            } else if let Some(prefix) = container {
                let want = if prefix == "ParallelState" {
                    "Parallel"
                } else {
                    "Map"
                };
                open.iter()
                    .rev()
                    .find(|(k, _)| k == want)
                    .map(|(_, n)| n.clone())
            } else if kind.starts_with("Execution") {
                None
            } else {
                event
                    .get("previousEventId")
                    .and_then(Value::as_i64)
                    .and_then(|p| index_of_id.get(&p))
                    .and_then(|&p| owners.get(p).cloned().flatten())
            };
            if let Some(name) = &owner {
                for k in ["Parallel", "Map"] {
                    if kind == format!("{k}StateEntered") {
                        open.push((k.to_owned(), name.clone()));
                    } else if kind == format!("{k}StateExited")
                        && let Some(at) = open.iter().rposition(|(_, n)| n == name)
                    {
                        open.remove(at);
                    }
                }
            }
            let effect = if kind == "FailStateEntered" {
                Effect::EnterFail
            } else if kind.ends_with("StateEntered") {
                Effect::Enter
            } else if kind.ends_with("StateExited") {
                Effect::Exit
            } else if kind.ends_with("StateAborted") {
                Effect::Abort
            } else if kind == "ExecutionFailed"
                || kind == "ExecutionTimedOut"
                || kind == "ExecutionAborted"
            {
                Effect::ExecutionFailed
            } else if is_failure(&kind) {
                Effect::Fail(Status::Failed)
            } else if is_attempt(&kind) {
                Effect::Attempt
            } else {
                Effect::None
            };
            let millis = event.get("timestamp").and_then(timestamp_millis);
            let blames = (kind == "ExecutionFailed")
                .then(|| {
                    let prev = event.get("previousEventId").and_then(Value::as_i64)?;
                    owners.get(*index_of_id.get(&prev)?).cloned().flatten()
                })
                .flatten();
            // The Exited event this Entered event follows (its previousEventId), if any.
            let after_exit = (effect == Effect::Enter || effect == Effect::EnterFail)
                .then(|| {
                    let prev = event.get("previousEventId").and_then(Value::as_i64)?;
                    let p = *index_of_id.get(&prev)?;
                    let before: &Step = steps.get(p)?;
                    (before.effect == Effect::Exit)
                        .then(|| before.state.clone())
                        .flatten()
                })
                .flatten();
            owners.push(owner.clone());
            steps.push(Step {
                id,
                kind,
                state: owner,
                millis,
                blames,
                retry_in_ms: None,
                came_from: after_exit.map(|s| (s, false)),
                effect,
            });
        }
        classify_failures(&mut steps);
        mark_catches(&mut steps);
        Replay { steps }
    }

    /// The transitions made in the first `count` events.
    #[cfg(test)]
    pub fn moves(&self, count: usize) -> BTreeSet<Move> {
        self.moves_from(Moves::default(), count).set
    }

    /// The transitions made in the first `count` events, worked out from `from` (the moves of
    /// an earlier moment): playback moving on costs the events it passes, not the whole prefix.
    pub fn moves_from(&self, from: Moves, count: usize) -> Moves {
        let count = count.min(self.steps.len());
        let mut m = if from.count <= count {
            from
        } else {
            Moves::default()
        };
        let start = m.count;
        for s in &self.steps[start..count] {
            if let (Some((from, caught)), Some(to)) = (s.came_from.as_ref(), s.state.as_ref()) {
                m.set.insert(Move {
                    from: from.clone(),
                    to: to.clone(),
                    caught: *caught,
                });
            }
        }
        m.count = count;
        m
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    /// Whether the history is empty.
    #[allow(dead_code)] // pairs with `len`; the views check `len` today
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// Every state's situation once the first `count` events have happened.
    #[cfg(test)]
    pub fn at(&self, count: usize) -> BTreeMap<String, NodeState> {
        self.statuses_from(Statuses::default(), count).nodes
    }

    /// Every state's situation once the first `count` events have happened, worked out from
    /// `from` (the situation at an earlier moment; a later one starts again from the start).
    pub fn statuses_from(&self, from: Statuses, count: usize) -> Statuses {
        let count = count.min(self.steps.len());
        let mut s = if from.count <= count {
            from
        } else {
            Statuses::default()
        };
        let start = s.count;
        let Statuses {
            nodes, redriven, ..
        } = &mut s;
        for step in &self.steps[start..count] {
            *redriven |= step.kind == "ExecutionRedriven";
            if step.effect == Effect::ExecutionFailed {
                for (name, node) in nodes.iter_mut() {
                    if matches!(node.status, Status::Active | Status::Retrying) {
                        // The state the failure came from failed; the others were stopped by it.
                        node.status = if step.blames.as_ref() == Some(name) {
                            Status::Failed
                        } else {
                            Status::Cancelled
                        };
                        node.running = 0;
                        node.retry_in_ms = None;
                    }
                }
                continue;
            }
            let Some(name) = &step.state else { continue };
            // (Looked up before inserting: a state's name is copied once, not per event.)
            if !nodes.contains_key(name) {
                nodes.insert(name.clone(), NodeState::default());
            }
            let Some(node) = nodes.get_mut(name) else {
                continue;
            };
            apply(step, node, *redriven);
        }
        s.count = count;
        s
    }

    /// Milliseconds of simulated time from the first event to event `index` (0-based).
    pub fn elapsed_ms(&self, index: usize) -> Option<i64> {
        let start = self.steps.first()?.millis?;
        Some(self.steps.get(index)?.millis? - start)
    }

    /// The index of the first event of `state` at or after `from`, else the first one at all.
    #[allow(dead_code)] // for "jump to this state's next event" from the graph, not wired yet
    pub fn find_state(&self, state: &str, from: usize) -> Option<usize> {
        let hit = |s: &Step| s.state.as_deref() == Some(state);
        self.steps
            .iter()
            .skip(from)
            .position(hit)
            .map(|p| p + from)
            .or_else(|| self.steps.iter().position(hit))
    }
}

/// One event's effect on its state's situation (`redriven`: a redrive has begun).
fn apply(step: &Step, node: &mut NodeState, redriven: bool) {
    // A redrive takes up again the states that failed or were stopped: their next
    // event (no new Entered) makes them active again.
    if redriven
        && matches!(node.status, Status::Failed | Status::Cancelled)
        && matches!(step.effect, Effect::Attempt | Effect::Exit | Effect::None)
    {
        node.status = Status::Active;
        node.running = node.running.max(1);
    }
    match step.effect {
        Effect::Enter => {
            node.runs += 1;
            node.running += 1;
            node.attempts = 0;
            node.status = Status::Active;
            node.retry_in_ms = None;
        }
        Effect::EnterFail => {
            node.runs += 1;
            node.status = Status::Failed;
        }
        Effect::Exit => {
            node.running = node.running.saturating_sub(1);
            if node.status != Status::Caught && node.running == 0 {
                node.status = Status::Succeeded;
            }
        }
        Effect::Attempt => {
            node.attempts += 1;
            node.retry_in_ms = None;
            if node.status == Status::Retrying {
                node.status = Status::Active;
            }
        }
        Effect::Fail(status) => {
            node.status = status;
            node.retry_in_ms = step.retry_in_ms.filter(|_| status == Status::Retrying);
        }
        Effect::Abort => {
            node.running = node.running.saturating_sub(1);
            // A failed run is aborted too when its Map or Parallel fails: it stays failed.
            if node.status != Status::Failed {
                node.status = Status::Cancelled;
            }
        }
        Effect::ExecutionFailed | Effect::None => {}
    }
}

/// Every state's situation after the first `count` events of a replay
/// ([`Replay::statuses_from`]), kept so that the next moment starts from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Statuses {
    /// How many events it has taken in.
    pub count: usize,
    /// Whether a redrive has begun among them.
    redriven: bool,
    /// Each state's situation.
    pub nodes: BTreeMap<String, NodeState>,
}

/// The transitions made in the first `count` events of a replay ([`Replay::moves_from`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moves {
    /// How many events it has taken in.
    pub count: usize,
    /// The transitions.
    pub set: BTreeSet<Move>,
}

/// A state's run left by a Catch: a failure of that run was caught (the state's latest failure
/// since it was entered is [`Status::Caught`]). Sets the flag of each `came_from`.
fn mark_catches(steps: &mut [Step]) {
    let mut caught: HashMap<String, bool> = HashMap::new();
    for step in steps.iter_mut() {
        if let Some((from, flag)) = step.came_from.as_mut() {
            *flag = caught.get(from.as_str()).copied().unwrap_or(false);
        }
        let Some(name) = step.state.as_deref() else {
            continue;
        };
        match step.effect {
            Effect::Enter | Effect::EnterFail => {
                caught.insert(name.to_owned(), false);
            }
            Effect::Fail(Status::Caught) => {
                caught.insert(name.to_owned(), true);
            }
            _ => {}
        }
    }
}

/// A failure is retried when the state's next event starts another attempt, caught when the state
/// exits next, and failed otherwise (the history knows; the prefix alone would not).
fn classify_failures(steps: &mut [Step]) {
    let mut next_of_state: HashMap<&str, usize> = HashMap::new();
    let mut verdicts = Vec::new();
    for i in (0..steps.len()).rev() {
        let Some(name) = steps[i].state.as_deref() else {
            continue;
        };
        if let Effect::Fail(_) = steps[i].effect {
            let mut wait = None;
            let verdict = match next_of_state.get(name).map(|&n| &steps[n]) {
                Some(next) if next.effect == Effect::Exit => Status::Caught,
                Some(next) if next.effect == Effect::Attempt => {
                    wait = next.millis.zip(steps[i].millis).map(|(b, a)| b - a);
                    Status::Retrying
                }
                _ => Status::Failed,
            };
            verdicts.push((i, verdict, wait));
        }
        next_of_state.insert(name, i);
    }
    for (i, verdict, wait) in verdicts {
        steps[i].effect = Effect::Fail(verdict);
        steps[i].retry_in_ms = wait;
    }
}

/// A history timestamp in milliseconds: RFC 3339 text, or a number of seconds (as the AWS CLI prints).
pub fn timestamp_millis(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => {
            let f = n.as_f64()?;
            // Seconds since the epoch are below 10^11 until the year 5138; larger means milliseconds.
            Some(if f.abs() < 1e11 {
                (f * 1000.0).round() as i64
            } else {
                f.round() as i64
            })
        }
        Value::String(s) => parse_rfc3339(s),
        _ => None,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)` in milliseconds since the epoch.
fn parse_rfc3339(s: &str) -> Option<i64> {
    let num = |a: usize, b: usize| s.get(a..b)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, se) = (
        num(0, 4)?,
        num(5, 7)?,
        num(8, 10)?,
        num(11, 13)?,
        num(14, 16)?,
        num(17, 19)?,
    );
    let rest = s.get(19..)?;
    let (frac, zone) = match rest.strip_prefix('.') {
        Some(r) => {
            let digits = r.chars().take_while(char::is_ascii_digit).count();
            let ms = format!("{:0<3}", r.get(..digits.min(3))?)
                .parse::<i64>()
                .ok()?;
            (ms, r.get(digits..)?)
        }
        None => (0, rest),
    };
    let offset_min = match zone {
        "Z" | "z" => 0,
        z if z.len() == 6 => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            sign * (z.get(1..3)?.parse::<i64>().ok()? * 60 + z.get(4..6)?.parse::<i64>().ok()?)
        }
        _ => return None,
    };
    // Days from the civil date (Howard Hinnant's algorithm).
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let doy = (153 * ((mo + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + h) * 60 + mi - offset_min) * 60_000 + se * 1000 + frac)
}

/// A duration for people: `450 ms`, `2.5 s`, `3 min 20 s`, `1 h 5 min`, `1 d 2 h`.
pub fn format_duration(ms: i64) -> String {
    let ms = ms.max(0);
    let s = ms / 1000;
    match ms {
        0..1_000 => format!("{ms} ms"),
        1_000..60_000 => format!("{:.1} s", ms as f64 / 1000.0),
        60_000..3_600_000 => format!("{} min {} s", s / 60, s % 60),
        3_600_000..86_400_000 => format!("{} h {} min", s / 3600, (s % 3600) / 60),
        _ => format!("{} d {} h", s / 86_400, (s % 86_400) / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A history from `(type, previous id, details)` triples, one second apart.
    fn history(events: &[(&str, i64, Value)]) -> Vec<Value> {
        events
            .iter()
            .enumerate()
            .map(|(i, (kind, prev, details))| {
                let mut e = json!({"id": i + 1, "previousEventId": prev, "type": kind,
                    "timestamp": format!("2024-01-01T00:00:{:02}.000Z", i)});
                if !details.is_null() {
                    let mut c = kind.chars();
                    let key = format!(
                        "{}{}EventDetails",
                        c.next().unwrap().to_ascii_lowercase(),
                        c.as_str()
                    );
                    e[key] = details.clone();
                }
                e
            })
            .collect()
    }

    fn enter(kind: &str, name: &str, prev: i64) -> (String, i64, Value) {
        (
            format!("{kind}StateEntered"),
            prev,
            json!({"name": name, "input": "{}"}),
        )
    }

    fn exit(kind: &str, name: &str, prev: i64) -> (String, i64, Value) {
        (
            format!("{kind}StateExited"),
            prev,
            json!({"name": name, "output": "{}"}),
        )
    }

    fn ev(kind: &str, prev: i64) -> (String, i64, Value) {
        (kind.to_owned(), prev, Value::Null)
    }

    fn replay(events: Vec<(String, i64, Value)>) -> Replay {
        let events: Vec<(&str, i64, Value)> = events
            .iter()
            .map(|(k, p, d)| (k.as_str(), *p, d.clone()))
            .collect();
        Replay::new(&history(&events))
    }

    fn status(r: &Replay, count: usize, state: &str) -> &'static str {
        r.at(count).get(state).map_or("idle", |n| n.status.as_str())
    }

    /// Task `Pay` fails once, is retried, succeeds.
    fn retried() -> Replay {
        replay(vec![
            ev("ExecutionStarted", 0),
            enter("Task", "Pay", 1),
            ev("TaskScheduled", 2),
            ev("TaskStarted", 3),
            ev("TaskFailed", 4),
            ev("TaskScheduled", 5),
            ev("TaskStarted", 6),
            ev("TaskSucceeded", 7),
            exit("Task", "Pay", 8),
            ev("ExecutionSucceeded", 9),
        ])
    }

    #[test]
    fn statuses_follow_a_retry() {
        let r = retried();
        for (count, want) in [
            (1, "idle"),
            (2, "active"),
            (5, "retrying"),
            (6, "active"),
            (9, "succeeded"),
            (10, "succeeded"),
        ] {
            assert_eq!(status(&r, count, "Pay"), want, "after {count} events");
        }
        assert_eq!(r.at(7)["Pay"].attempts, 2);
        // While it waits, the node knows how long the Retrier's backoff is (one second here).
        assert_eq!(r.at(5)["Pay"].retry_in_ms, Some(1000));
        assert_eq!(r.at(6)["Pay"].retry_in_ms, None);
    }

    #[test]
    fn statuses_and_moves_worked_out_from_an_earlier_moment_are_the_same() {
        // Playback moves on from the moment shown; a seek back starts again.
        let r = replay(vec![
            ev("ExecutionStarted", 0),
            enter("Task", "Charge", 1),
            ev("TaskScheduled", 2),
            ev("TaskFailed", 3),
            ev("TaskScheduled", 4),
            ev("TaskFailed", 5),
            exit("Task", "Charge", 6),
            enter("Pass", "Refund", 7),
            exit("Pass", "Refund", 8),
            enter("Fail", "Stop", 9),
            ev("ExecutionFailed", 10),
        ]);
        for from in 0..=r.len() + 1 {
            let earlier = r.statuses_from(Statuses::default(), from);
            let moved = r.moves_from(Moves::default(), from);
            for to in 0..=r.len() + 1 {
                assert_eq!(
                    r.statuses_from(earlier.clone(), to).nodes,
                    r.at(to),
                    "{from} → {to}"
                );
                assert_eq!(
                    r.moves_from(moved.clone(), to).set,
                    r.moves(to),
                    "{from} → {to}"
                );
            }
        }
    }

    #[test]
    fn a_state_that_fails_the_execution_is_failed_not_cancelled() {
        // A Choice whose rules all miss and that has no Default fails with States.Runtime:
        // the history goes from its Entered event straight to ExecutionFailed.
        let r = replay(vec![
            ev("ExecutionStarted", 0),
            enter("Choice", "Route", 1),
            ev("ExecutionFailed", 2),
        ]);
        assert_eq!(r.steps[2].blames.as_deref(), Some("Route"));
        assert_eq!(status(&r, 2, "Route"), "active");
        assert_eq!(status(&r, 3, "Route"), "failed");
    }

    #[test]
    fn a_caught_failure_is_caught_and_the_handler_runs() {
        let r = replay(vec![
            ev("ExecutionStarted", 0),
            enter("Task", "Charge", 1),
            ev("TaskScheduled", 2),
            ev("TaskStarted", 3),
            ev("TaskFailed", 4),
            exit("Task", "Charge", 5),
            enter("Pass", "Refund", 6),
            exit("Pass", "Refund", 7),
            ev("ExecutionSucceeded", 8),
        ]);
        assert_eq!(status(&r, 5, "Charge"), "caught");
        assert_eq!(status(&r, 9, "Charge"), "caught");
        assert_eq!(status(&r, 7, "Refund"), "active");
        assert_eq!(status(&r, 9, "Refund"), "succeeded");
        // The move Charge → Refund was made by the Catch, once Refund was entered.
        let caught = Move {
            from: "Charge".into(),
            to: "Refund".into(),
            caught: true,
        };
        assert!(r.moves(6).is_empty());
        assert_eq!(r.moves(7).into_iter().collect::<Vec<_>>(), vec![caught]);
    }

    #[test]
    fn a_state_left_by_its_next_is_not_a_catch_even_after_a_retry() {
        // Pay fails, is retried, succeeds and goes on to Ship by its Next.
        let r = replay(vec![
            ev("ExecutionStarted", 0),
            enter("Task", "Pay", 1),
            ev("TaskScheduled", 2),
            ev("TaskFailed", 3),
            ev("TaskScheduled", 4),
            ev("TaskSucceeded", 5),
            exit("Task", "Pay", 6),
            enter("Pass", "Ship", 7),
        ]);
        let moves: Vec<Move> = r.moves(8).into_iter().collect();
        assert_eq!(
            moves,
            vec![Move {
                from: "Pay".into(),
                to: "Ship".into(),
                caught: false
            }]
        );
    }

    #[test]
    fn an_uncaught_failure_fails_and_cancels_the_rest() {
        let r = replay(vec![
            ev("ExecutionStarted", 0),
            enter("Parallel", "Both", 1),
            ev("ParallelStateStarted", 2),
            enter("Task", "Left", 3),
            enter("Task", "Right", 3),
            ev("TaskScheduled", 4),
            ev("TaskScheduled", 5),
            ev("TaskFailed", 6),
            ev("ParallelStateFailed", 8),
            ev("ExecutionFailed", 9),
        ]);
        assert_eq!(r.steps[6].state.as_deref(), Some("Right"));
        assert_eq!(r.steps[8].state.as_deref(), Some("Both"));
        assert_eq!(status(&r, 8, "Left"), "failed");
        assert_eq!(status(&r, 8, "Right"), "active");
        assert_eq!(status(&r, 10, "Right"), "cancelled");
        assert_eq!(status(&r, 10, "Both"), "failed");
    }

    #[test]
    fn a_fail_state_fails_when_entered() {
        let r = replay(vec![
            ev("ExecutionStarted", 0),
            enter("Fail", "Boom", 1),
            ev("ExecutionFailed", 2),
        ]);
        assert_eq!(status(&r, 2, "Boom"), "failed");
        assert_eq!(status(&r, 3, "Boom"), "failed");
    }

    #[test]
    fn map_iterations_count_runs() {
        let r = replay(vec![
            ev("ExecutionStarted", 0),
            enter("Map", "Each", 1),
            ev("MapStateStarted", 2),
            (
                "MapIterationStarted".into(),
                3,
                json!({"name": "Each", "index": 0}),
            ),
            enter("Pass", "Item", 4),
            exit("Pass", "Item", 5),
            (
                "MapIterationStarted".into(),
                3,
                json!({"name": "Each", "index": 1}),
            ),
            enter("Pass", "Item", 7),
            exit("Pass", "Item", 8),
            ev("MapStateSucceeded", 9),
            exit("Map", "Each", 10),
        ]);
        assert_eq!(r.at(11)["Item"].runs, 2);
        assert_eq!(status(&r, 11, "Each"), "succeeded");
        assert_eq!(r.steps[9].state.as_deref(), Some("Each"));
    }

    #[test]
    fn reads_timestamps_and_elapsed_time() {
        let r = retried();
        assert_eq!(r.elapsed_ms(4), Some(4000));
        for (text, ms) in [
            (json!("1970-01-01T00:00:00Z"), 0),
            (json!("1970-01-02T00:00:01.5Z"), 86_401_500),
            (json!("1970-01-01T01:00:00+01:00"), 0),
            (json!(1.5), 1500),
        ] {
            assert_eq!(timestamp_millis(&text), Some(ms), "{text}");
        }
        assert_eq!(timestamp_millis(&json!("yesterday")), None);
    }

    #[test]
    fn survives_odd_histories() {
        let r = Replay::new(&[
            json!(1),
            json!({"type": 5}),
            json!({"type": "TaskFailed", "previousEventId": 99}),
        ]);
        assert_eq!(r.len(), 3);
        let _ = r.at(10);
        assert_eq!(r.elapsed_ms(0), None);
    }

    #[test]
    fn formats_durations() {
        for (ms, text) in [
            (450, "450 ms"),
            (2500, "2.5 s"),
            (200_000, "3 min 20 s"),
            (90_000_000, "1 d 1 h"),
        ] {
            assert_eq!(format_duration(ms), text);
        }
    }
}
