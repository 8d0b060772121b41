//! Parallel branches and Map iterations run concurrently on the virtual clock.
//!
//! The interpreter is recursive: each child (a branch or an iteration) runs to its end on its own,
//! one after another, with the clock set to the moment it starts. Afterwards its events are
//! interleaved with its siblings' the way AWS's history shows concurrent work, and renumbered.
//!
//! **When a child starts.** Every Parallel branch, and every Map iteration when `MaxConcurrency`
//! is 0 or absent, starts when the state starts. With `MaxConcurrency` k, the first k iterations
//! start then; iteration k+1 starts when a slot frees, at the end of the earliest-finishing running
//! iteration (in history order, so ties go by index). The state ends with its latest child.
//!
//! **History order** (a model inferred from AWS's recordings, e.g. the corpus's
//! `timeouts/test_service_lambda_map_timeout_0`, not a documented rule). A child's events fall
//! into *steps*: what the state machine does synchronously stays in one step
//! (`TaskStateEntered` + `TaskScheduled`, `PassStateEntered` + `PassStateExited`, a Choice), and a
//! new step begins where AWS waits for something outside: a task's `…Started` and its result
//! (`…Succeeded`, `…Failed`, `…TimedOut`, `…Submitted`, …), `WaitStateExited`, the child's own
//! end (`MapIterationSucceeded`/`Failed`), the first event after a `MapIterationStarted`, and
//! whenever the clock moves on (a retry's interval, a mocked duration). Each step gets a *round*:
//! 0 at the first step at a new timestamp, one more for each following step at that timestamp.
//! Events are ordered by (timestamp, round, child index), a step's events staying together; an
//! iteration that takes a freed slot starts at the round after the freeing iteration's end, so
//! it follows it. With `MaxConcurrency: 1` this is the order of running one iteration after
//! another, and nothing is reordered.
//!
//! **Failure.** When a failed child fails the state (a Parallel always; a Map beyond its
//! tolerated failures), the events after its failure (in that order) are dropped: siblings still
//! in flight are aborted, in child order, each with `<Type>StateAborted` for the states it was
//! in (innermost first; Task, Wait, Map and Parallel have such an event) and, for a Map,
//! `MapIterationAborted`; then the failed child's own open state (entered, never exited: the
//! Task that failed) gets its `<Type>StateAborted`. Iterations that had not started are not
//! recorded (or run, when the failure is known before they would start).
//!
//! Known differences: an aborted sibling ran to its end before it was cut, so it consumed its
//! mocked responses (a later invocation of the same state counts them); the causes of errors
//! raised inside a child that name an event id (`entered at the event id #N`) are renumbered in
//! the failure the state returns, not in payloads inside the child's own events; siblings in
//! flight inside a nested Map get their states aborted but no nested `MapIterationAborted`.

use super::super::errors::Failure;
use super::super::history::{Details, Field, Fields, HistoryEvent, Text, event_type};
use super::super::time::Millis;
use super::interp::{Interp, StateRun, Stop, Thread};
use serde_json::{Map, Value};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::Range;

/// How a Parallel's branches or a Map's iterations run.
pub(crate) struct Plan {
    /// How many children.
    pub(crate) children: usize,
    /// At most this many in flight (0: all at once).
    pub(crate) max_concurrency: usize,
    /// Failures tolerated before the state fails: (count, percentage). A Parallel has none.
    pub(crate) tolerated: (Option<f64>, Option<f64>),
    /// Map iterations: the Map's name (for `MapIterationAborted`); `None` for Parallel branches.
    pub(crate) map_name: Option<Text>,
    /// The children's events are not in this history (a distributed Map's child executions):
    /// only their times are concurrent.
    pub(crate) detached: bool,
}

impl Plan {
    /// Whether `failures` failed children fail the state.
    fn over(&self, failures: usize) -> bool {
        let (count, pct) = self.tolerated;
        let n = failures as f64;
        n > count.unwrap_or(0.0) && n * 100.0 / self.children.max(1) as f64 > pct.unwrap_or(0.0)
    }
}

/// What the children came to.
pub(crate) enum Fanned {
    /// Every child ran (some may have failed within the tolerance), in child order.
    All(Vec<Result<Value, Failure>>),
    /// This child's failure failed the state.
    Failed(Failure),
}

/// Where a child's events sit in the history (by event position), ordered by (time, round).
type Key = (Millis, u32);

/// One child that ran.
struct Ran {
    /// Its events' positions in the history.
    events: Range<usize>,
    /// Its state runs' positions in `Interp::runs`.
    runs: Range<usize>,
    /// Its first event's round.
    start_round: u32,
    /// Its last event's key (or, detached, its end time).
    end: Key,
    /// The clock when it ended.
    end_clock: Millis,
    outcome: Result<Value, Failure>,
}

/// Whether AWS would see `ty` come from outside the state machine's synchronous progress.
fn starts_step(ty: &str) -> bool {
    // Most events are not: reject them by their last letters before comparing names.
    let tail = ty
        .len()
        .checked_sub(4)
        .and_then(|at| ty.get(at..))
        .unwrap_or("");
    if !matches!(tail, "rted" | "eded" | "iled" | "dOut" | "tted" | "ited") {
        return false;
    }
    if ty == "WaitStateExited" || ty == "MapIterationSucceeded" || ty == "MapIterationFailed" {
        return true;
    }
    let rest = ty
        .strip_prefix("Task")
        .or_else(|| ty.strip_prefix("LambdaFunction"))
        .or_else(|| ty.strip_prefix("Activity"));
    matches!(
        rest,
        Some(
            "Started"
                | "Succeeded"
                | "Failed"
                | "TimedOut"
                | "Submitted"
                | "StartFailed"
                | "ScheduleFailed"
                | "SubmitFailed"
        )
    )
}

/// The state-type prefix of an Entered event (`Task` of `TaskStateEntered`).
fn entered_type(ty: &str) -> Option<&str> {
    ty.strip_suffix("StateEntered")
}

/// The state-type prefix of an event that closes a state (exited, failed or aborted).
fn closed_type(ty: &str) -> Option<&str> {
    ty.strip_suffix("StateExited")
        .or_else(|| ty.strip_suffix("StateFailed"))
        .or_else(|| ty.strip_suffix("StateAborted"))
}

impl Interp<'_> {
    /// Runs `n` children (`child(interp, index, previous event id)`) concurrently on the virtual
    /// clock, interleaves their events and returns what they came to, with the parent's new
    /// previous event id. A limit reached inside a child ends everything at once.
    pub(crate) fn fan_out(
        &mut self,
        prev: u64,
        plan: &Plan,
        mut child: impl FnMut(&mut Self, usize, u64) -> Result<Value, Stop>,
    ) -> Result<(Fanned, u64), Stop> {
        let n = plan.children;
        let started = self.clock;
        let base = self.history.len();
        let slots = match plan.max_concurrency {
            0 => n,
            k => k.min(n),
        };
        // End keys (and index) of the children in flight, earliest first (only when bounded).
        let mut running: BinaryHeap<Reverse<(Key, usize)>> = BinaryHeap::new();
        // Failed children's end keys not yet before a start; how many are.
        let mut failed: BinaryHeap<Reverse<(Key, usize)>> = BinaryHeap::new();
        let mut failed_before = 0usize;
        let mut ran: Vec<Ran> = Vec::with_capacity(n);
        for index in 0..n {
            let start: Key = if running.len() < slots {
                (started, 0)
            } else {
                match running.pop() {
                    Some(Reverse(((t, r), _))) => (t, r + 1),
                    None => (started, 0),
                }
            };
            // Children start in order: every failure before this start is known by now.
            while let Some(Reverse((key, at))) = failed.peek().copied() {
                if (key, at) >= (start, index) {
                    break;
                }
                failed.pop();
                failed_before += 1;
            }
            if plan.over(failed_before) {
                break;
            }
            self.clock = start.0;
            let (events_from, runs_from) = (self.history.len(), self.runs.len());
            let outcome = match child(self, index, prev) {
                Ok(v) => Ok(v),
                Err(Stop::Fail(f)) => Err(f),
                Err(halt) => return Err(halt),
            };
            let events = events_from..self.history.len();
            // Its last event's key, when something waits for it (a slot, the failure count).
            let end = if plan.detached || events.is_empty() || (slots == n && outcome.is_ok()) {
                (self.clock, start.1)
            } else {
                self.rounds_of(events.clone(), start.1, |_, _, _| {})
            };
            if slots < n {
                running.push(Reverse((end, index)));
            }
            if outcome.is_err() {
                failed.push(Reverse((end, index)));
            }
            ran.push(Ran {
                events,
                runs: runs_from..self.runs.len(),
                start_round: start.1,
                end,
                end_clock: self.clock,
                outcome,
            });
        }
        let (fatal, remap) = if plan.detached {
            self.clock = ran.iter().map(|c| c.end_clock).max().unwrap_or(started);
            let mut order: Vec<usize> = (0..ran.len())
                .filter(|&c| ran[c].outcome.is_err())
                .collect();
            order.sort_unstable_by_key(|&c| (ran[c].end, c));
            let fatal = order
                .iter()
                .enumerate()
                .find(|(k, _)| plan.over(k + 1))
                .map(|(_, &c)| c);
            (fatal, None)
        } else {
            self.interleave(base, &ran, plan)
        };
        let new_prev = if self.history.len() > base && !plan.detached {
            self.history.len() as u64
        } else {
            prev
        };
        let fix = |mut f: Failure| {
            if let Some(r) = &remap {
                r.fix_cause(&mut f);
            }
            f
        };
        let fanned = match fatal {
            Some(c) => match ran.swap_remove(c).outcome {
                Err(f) => Fanned::Failed(fix(f)),
                Ok(_) => Fanned::All(Vec::new()),
            },
            None => Fanned::All(ran.into_iter().map(|c| c.outcome.map_err(fix)).collect()),
        };
        Ok((fanned, new_prev))
    }

    /// Each event's round (see the module doc) for a child's events, given to `visit` with the
    /// event's position; returns the key of its last event.
    fn rounds_of(
        &self,
        events: Range<usize>,
        first: u32,
        mut visit: impl FnMut(usize, &HistoryEvent, u32),
    ) -> Key {
        let mut round = first;
        let mut last: Option<&HistoryEvent> = None;
        let from = events.start;
        for (k, e) in self.history.get(events).unwrap_or(&[]).iter().enumerate() {
            if let Some(p) = last {
                // The iteration's own start is a step of its own (a nested Map's are not: its
                // launch is synchronous, and its own interleaving is already done).
                let after_start = k == 1 && p.event_type == "MapIterationStarted";
                if e.millis != p.millis {
                    round = 0;
                } else if after_start || starts_step(&e.event_type) {
                    round += 1;
                }
            }
            visit(from + k, e, round);
            last = Some(e);
        }
        (last.map_or(self.clock, |e| e.millis), round)
    }

    /// Orders the children's events (history from `base`) by (time, round, child), drops what
    /// follows a failure that fails the state, records the aborts, and renumbers. Returns the
    /// child whose failure failed the state, and the renumbering when there was one.
    fn interleave(
        &mut self,
        base: usize,
        ran: &[Ran],
        plan: &Plan,
    ) -> (Option<usize>, Option<Remap>) {
        let ended = ran.iter().map(|c| c.end_clock).max().unwrap_or(self.clock);
        // Steps: runs of a child's events with one key.
        let mut steps: Vec<Step> = Vec::with_capacity(self.history.len() - base);
        for (c, child) in ran.iter().enumerate() {
            let mut current: Option<Step> = None;
            self.rounds_of(child.events.clone(), child.start_round, |p, e, round| {
                let key = (e.millis, round);
                match &mut current {
                    Some(step) if step.key == key => step.to = p as u32 + 1,
                    _ => {
                        steps.extend(current.take());
                        current = Some(Step {
                            key,
                            child: c as u32,
                            at: p as u32,
                            to: p as u32 + 1,
                        });
                    }
                }
            });
            steps.extend(current);
        }
        let sorted = steps
            .windows(2)
            .all(|w| (w[0].key, w[0].child) < (w[1].key, w[1].child));
        if !sorted {
            sort_steps(&mut steps);
        }
        // The failure that fails the state, in this order: everything after it is dropped.
        let mut failures = 0;
        let mut fatal = None;
        let mut cut = steps.len();
        for (k, step) in steps.iter().enumerate() {
            let (c, to) = (step.child, step.to as usize);
            let child = &ran[c as usize];
            if to == child.events.end && child.outcome.is_err() {
                failures += 1;
                if plan.over(failures) {
                    fatal = Some(c as usize);
                    cut = k + 1;
                    break;
                }
            }
        }
        let Some(fatal) = fatal else {
            self.clock = ended;
            let remap = (!sorted).then(|| self.reorder(base, &steps, ran, &[], None));
            return (None, remap);
        };
        let fail_time = steps
            .get(cut - 1)
            .and_then(|s| self.history.get(s.at as usize))
            .map_or(self.clock, |e| e.millis);
        // How many of each child's events are kept (a prefix of them).
        let mut kept = vec![0usize; ran.len()];
        for step in steps.get(..cut).unwrap_or(&[]) {
            kept[step.child as usize] += (step.to - step.at) as usize;
        }
        steps.truncate(cut);
        // The aborts: siblings in flight in child order, then the failed child's open states.
        let mut aborts: Vec<Abort> = Vec::new();
        let order = (0..ran.len()).filter(|&c| c != fatal).chain([fatal]);
        for c in order {
            let child = &ran[c];
            let n = kept[c];
            let in_flight = n > 0 && n < child.events.len();
            if c != fatal && !in_flight {
                continue;
            }
            let events = child.events.start..child.events.start + n;
            // The chain of aborts follows the child's last event (before a failed iteration's end).
            let mut after = events.end.saturating_sub(1);
            if c == fatal
                && after > events.start
                && self
                    .history
                    .get(after)
                    .is_some_and(|e| e.event_type == "MapIterationFailed")
            {
                after -= 1;
            }
            for (ty, entered) in self.open_states(events) {
                aborts.push(Abort {
                    child: c,
                    after,
                    ty,
                    entered: Some(entered),
                });
            }
            if c != fatal && plan.map_name.is_some() {
                aborts.push(Abort {
                    child: c,
                    after,
                    ty: "MapIteration",
                    entered: None,
                });
            }
        }
        self.clock = fail_time;
        if sorted && aborts.is_empty() && kept.iter().zip(ran).all(|(k, c)| *k == c.events.len()) {
            return (Some(fatal), None);
        }
        let remap = self.reorder(base, &steps, ran, &aborts, plan.map_name.as_ref());
        (Some(fatal), Some(remap))
    }

    /// The states entered and never closed among `events`, innermost first, as (type, entered
    /// position), for the types that have an aborted event.
    fn open_states(&self, events: Range<usize>) -> Vec<(&'static str, usize)> {
        let mut open: Vec<(&str, usize)> = Vec::new();
        for (p, e) in self
            .history
            .get(events.clone())
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            if let Some(ty) = entered_type(&e.event_type) {
                open.push((ty, events.start + p));
            } else if let Some(ty) = closed_type(&e.event_type)
                && let Some(at) = open.iter().rposition(|(t, _)| *t == ty)
            {
                open.remove(at);
            }
        }
        open.iter()
            .rev()
            .filter_map(|&(ty, at)| {
                let ty = match ty {
                    "Task" => "Task",
                    "Wait" => "Wait",
                    "Map" => "Map",
                    "Parallel" => "Parallel",
                    _ => return None,
                };
                Some((ty, at))
            })
            .collect()
    }

    /// Rewrites the history from `base`: the events of `steps` in that order, then `aborts`,
    /// renumbered, with `previousEventId`s and the state runs following. Returns the renumbering.
    fn reorder(
        &mut self,
        base: usize,
        steps: &[Step],
        ran: &[Ran],
        aborts: &[Abort],
        map_name: Option<&Text>,
    ) -> Remap {
        let mut old: Vec<Option<HistoryEvent>> = self.history.drain(base..).map(Some).collect();
        // New id of each old event (0: dropped).
        let mut ids = vec![0u64; old.len()];
        // Gathered in the new order: the usual order reads a Map's iterations with a fixed
        // stride, which memory prefetches well (and moves each event twice, no more).
        for step in steps {
            for p in step.at as usize - base..step.to as usize - base {
                let Some(mut e) = old.get_mut(p).and_then(Option::take) else {
                    continue;
                };
                let id = self.history.len() as u64 + 1;
                ids[p] = id;
                e.id = id;
                // The event before it in its own line, which is earlier in the new order too.
                if let Some(&new) = (e.previous_event_id as usize)
                    .checked_sub(base + 1)
                    .and_then(|i| ids.get(i))
                    .filter(|&&new| new != 0)
                {
                    e.previous_event_id = new;
                }
                self.history.push(e);
            }
        }
        drop(old);
        // Aborted states: their runs end with the abort.
        let mut aborted: Vec<(usize, u64)> = Vec::new();
        let mut chain: Option<(usize, u64)> = None;
        for a in aborts {
            let new_id = |p: usize| ids.get(p - base).copied().unwrap_or(0);
            // The first abort of a child follows its last event; a Task or Wait on another line
            // of it (a Parallel's other branch) follows its own Entered event, so the abort reads
            // as that state's; a Map or Parallel follows the abort of what was inside it.
            let prev = match (chain, a.entered) {
                (Some((c, _)), Some(entered))
                    if c == a.child && matches!(a.ty, "Task" | "Wait") =>
                {
                    new_id(entered)
                }
                (Some((c, id)), _) if c == a.child => id,
                _ => new_id(a.after),
            };
            let mut th = Thread {
                prev,
                vars: Map::new(),
                map: None,
                vars_text: None,
            };
            let id = match a.entered {
                Some(entered) => {
                    let ty = event_type(a.ty, "StateAborted");
                    let id = self.push_event(&mut th, ty, Details::none());
                    aborted.push((entered, id));
                    id
                }
                None => {
                    let fields = Fields::from([
                        (
                            "name",
                            Field::Str(map_name.cloned().unwrap_or_else(|| Text::from(""))),
                        ),
                        ("index", Field::Num(a.child as u64)),
                    ]);
                    self.push_event(
                        &mut th,
                        "MapIterationAborted".into(),
                        Details::fields(fields),
                    )
                }
            };
            chain = Some((a.child, id));
        }
        let remap = Remap {
            base,
            ids,
            starts: ran.iter().map(|c| c.events.start).collect(),
        };
        self.fix_runs(ran, &remap, &aborted);
        remap
    }

    /// The children's state runs after a reorder: renumbered, dropped when their Entered event
    /// was, cut short (`ABORTED`) when their end was, in the new order.
    fn fix_runs(&mut self, ran: &[Ran], remap: &Remap, aborted: &[(usize, u64)]) {
        let Some(from) = ran.first().map(|c| c.runs.start) else {
            return;
        };
        if from >= self.runs.len() {
            return;
        }
        let mut runs = self.runs.split_off(from);
        runs.retain_mut(|run| {
            let entered = run.entered_event_id;
            let Some(new) = remap.exact(entered) else {
                return false;
            };
            run.entered_event_id = new;
            let entered_at = (entered as usize).saturating_sub(1);
            if let Some(&(_, id)) = aborted.iter().find(|(at, _)| *at == entered_at) {
                run.last_event_id = id;
                if run.status != "FAILED" {
                    run.status = "ABORTED".into();
                    run.output = None;
                    run.next_state = None;
                }
            } else if let Some(last) = remap.exact(run.last_event_id) {
                run.last_event_id = last;
            } else {
                run.last_event_id = remap.clamped(run.last_event_id);
                run.status = "ABORTED".into();
                run.output = None;
                run.next_state = None;
            }
            for e in &mut run.inspection.expressions {
                e.after_event_id = remap.clamped(e.after_event_id);
            }
            true
        });
        if runs.is_sorted_by_key(|r| r.entered_event_id) {
            self.runs.extend(runs);
            return;
        }
        // In the new order, each run moved once (a run is large: sorting would move it often).
        let mut order: Vec<(u64, u32)> = (0..runs.len() as u32)
            .map(|i| (runs[i as usize].entered_event_id, i))
            .collect();
        order.sort_unstable();
        let mut runs: Vec<Option<StateRun>> = runs.into_iter().map(Some).collect();
        self.runs.reserve(runs.len());
        for (_, i) in order {
            self.runs
                .extend(runs.get_mut(i as usize).and_then(Option::take));
        }
    }
}

/// A run of one child's events with one key (positions `at..to` in the history).
#[derive(Debug, Clone, Copy)]
struct Step {
    key: Key,
    child: u32,
    at: u32,
    to: u32,
}

/// Sorts steps by (key, child). When every step has one timestamp (nothing waited), by round
/// with a counting sort, which keeps the child order (the usual Map: thousands of iterations
/// of a few steps each).
fn sort_steps(steps: &mut Vec<Step>) {
    let time = steps.first().map_or(0, |s| s.key.0);
    let rounds = steps.iter().map(|s| s.key.1).max().unwrap_or(0) as usize + 1;
    if steps.len() < 64 || rounds > steps.len() * 4 || steps.iter().any(|s| s.key.0 != time) {
        steps.sort_unstable_by_key(|s| (s.key, s.child));
        return;
    }
    let mut starts = vec![0usize; rounds + 1];
    for s in steps.iter() {
        starts[s.key.1 as usize + 1] += 1;
    }
    for r in 1..starts.len() {
        starts[r] += starts[r - 1];
    }
    let mut out = steps.clone();
    for s in steps.iter() {
        let slot = &mut starts[s.key.1 as usize];
        out[*slot] = *s;
        *slot += 1;
    }
    *steps = out;
}

/// An abort event to record.
struct Abort {
    child: usize,
    /// The child's event it follows (position), when it is the first of the child's aborts.
    after: usize,
    /// The state type (`Task`), or `MapIteration` for the iteration itself.
    ty: &'static str,
    /// The aborted state's Entered event (position).
    entered: Option<usize>,
}

/// Old event ids to new ones after a reorder.
pub(crate) struct Remap {
    base: usize,
    /// New id by old position from `base` (0: dropped).
    ids: Vec<u64>,
    /// Each child's first event position, increasing.
    starts: Vec<usize>,
}

impl Remap {
    /// The new id of old event `id`, when it was kept (ids before the children stay).
    fn exact(&self, id: u64) -> Option<u64> {
        match (id as usize).checked_sub(self.base + 1) {
            None => Some(id),
            Some(i) => self.ids.get(i).copied().filter(|&n| n != 0),
        }
    }

    /// The new id of old event `id`, or of the last kept event of its child before it.
    fn clamped(&self, id: u64) -> u64 {
        let Some(i) = (id as usize).checked_sub(self.base + 1) else {
            return id;
        };
        let at = self.base + i;
        let child = self.starts.partition_point(|&s| s <= at);
        let start = child
            .checked_sub(1)
            .and_then(|c| self.starts.get(c))
            .copied()
            .unwrap_or(self.base);
        let mut p = i;
        loop {
            if let Some(&n) = self.ids.get(p).filter(|&&n| n != 0) {
                return n;
            }
            if p == 0 || self.base + p <= start {
                return self.base as u64;
            }
            p -= 1;
        }
    }

    /// Renumbers the event id in an error cause (`entered at the event id #N`).
    pub(crate) fn fix_cause(&self, f: &mut Failure) {
        const MARK: &str = "(entered at the event id #";
        let Some(cause) = &mut f.cause else { return };
        let Some(at) = cause.find(MARK) else { return };
        let digits_at = at + MARK.len();
        let rest = cause.get(digits_at..).unwrap_or("");
        let len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Some(old) = rest.get(..len).and_then(|d| d.parse::<u64>().ok()) else {
            return;
        };
        let new = self.clamped(old);
        if new != old {
            cause.replace_range(digits_at..digits_at + len, &new.to_string());
        }
    }
}
