//! The discrete-event scheduler: every line of execution (the top level, a Parallel branch, a
//! Map iteration) is a *fiber*, a future that runs on the virtual clock and suspends where AWS
//! would wait for something outside the state machine. Events are recorded as the fibers run,
//! in the order AWS's history shows them, with their final ids: nothing is reordered or
//! renumbered afterwards.
//!
//! **Suspending.** A fiber suspends (a [`Yield`] future) in three ways: it sleeps until a moment
//! on the clock (a Wait, a retry's interval, a task's mocked duration); it reaches a *step
//! boundary*, just before an event that AWS records when something outside answers (a task's
//! `…Started` and its result: `…Succeeded`, `…Failed`, `…TimedOut`, `…Submitted`;
//! `WaitStateExited`; a Map iteration's own end); or, in a Map iteration, right after
//! `MapIterationStarted` (the iteration's launch is a step of its own in its Map, and only there).
//!
//! **Ordering** (a model inferred from AWS's recordings, e.g. the corpus's
//! `timeouts/test_service_lambda_map_timeout_0`, not a documented rule). A Parallel's branches or
//! a Map's iterations run under a *fan-out* ([`fan_out`]), which keeps for each child a key
//! (time, round): a child that sleeps gets (its wake-up time, 0); a child at a step boundary gets
//! one more round if it has already recorded an event at this moment; the next child to run is
//! the one with the least (time, round, index). A fan-out is itself part of its parent's fiber,
//! so a boundary deep inside it is a boundary for every enclosing fan-out too, each deciding by
//! its own child's last event. With `MaxConcurrency` k, an iteration starts when a slot frees,
//! at the round after the freeing iteration's end, so it follows it.
//!
//! **Failure.** When a failed child fails the state (a Parallel always; a Map beyond its
//! tolerated failures), nothing more runs: siblings in flight are aborted, in child order, each
//! with `<Type>StateAborted` for the states it was in (innermost first; Task, Wait, Map and
//! Parallel have such an event) and, for a Map, `MapIterationAborted`; then the failed child's
//! own open state (entered, never exited: the Task that failed) gets its `<Type>StateAborted`.
//! Their futures are dropped: an aborted sibling consumes no more mocked responses.
//!
//! No wakers are needed: a fan-out polls its children itself, and a suspended future tells
//! why through [`Interp::suspended`].

use super::super::errors::Failure;
use super::super::event_kind::EventKind;
use super::super::history::{Details, Field, Fields, Text};
use super::super::time::Millis;
use super::interp::{Interp, Stop, Thread, joined};
use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

/// The interpreter as the fibers share it (one at a time: no borrow is held across a suspension).
pub(crate) type Rt<'a, 'o> = &'a RefCell<Interp<'o>>;

/// A fiber of the fan-out, as a boxed future.
pub(crate) type ChildFuture<'f> =
    Pin<Box<dyn Future<Output = Result<serde_json::Value, Stop>> + 'f>>;

/// Why a fiber suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Suspend {
    /// Its next event starts a step (see the module doc).
    Step,
    /// A Map iteration just recorded `MapIterationStarted`.
    IterationStart,
    /// It sleeps until this moment.
    Until(Millis),
}

/// A fiber's record: its parent and the last event recorded by it or anything it runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fiber {
    pub(crate) parent: u32,
    pub(crate) last_id: u64,
    pub(crate) last_time: Millis,
}

/// A state entered and not yet closed, which an abort would close.
#[derive(Debug, Clone, Copy)]
pub(crate) struct OpenState {
    pub(crate) fiber: u32,
    /// `Task`, `Wait`, `Map` or `Parallel`.
    pub(crate) ty: &'static str,
    pub(crate) entered: u64,
    /// Its state run (index in `Interp::runs`), when inspected.
    pub(crate) run: usize,
}

/// Suspends once for `reason`.
struct Yield<'a, 'o> {
    rt: Rt<'a, 'o>,
    reason: Option<Suspend>,
}

impl Future for Yield<'_, '_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        match self.reason.take() {
            Some(r) => {
                self.rt.borrow_mut().suspended = Some(r);
                Poll::Pending
            }
            None => Poll::Ready(()),
        }
    }
}

/// A step boundary: the next event is recorded when something outside answers.
pub(crate) async fn step(rt: Rt<'_, '_>) {
    Yield {
        rt,
        reason: Some(Suspend::Step),
    }
    .await
}

/// A Map iteration's launch: what follows `MapIterationStarted` is a step of its own.
pub(crate) async fn iteration_start(rt: Rt<'_, '_>) {
    Yield {
        rt,
        reason: Some(Suspend::IterationStart),
    }
    .await
}

/// Sleeps until `until` on the virtual clock (at once when it is not later). Past the
/// execution's deadline the clock stops there and the execution times out.
pub(crate) async fn sleep_until(rt: Rt<'_, '_>, until: Millis) -> Result<(), Stop> {
    let (now, deadline) = {
        let it = rt.borrow();
        (it.clock, it.deadline)
    };
    let target = until.min(deadline);
    // A task waits for a callback nobody has sent yet: time stops where it can be answered.
    if target > now {
        let mut it = rt.borrow_mut();
        if it.pause_point().is_some_and(|p| target > p) {
            return Err(it.pause());
        }
    }
    if target > now {
        Yield {
            rt,
            reason: Some(Suspend::Until(target)),
        }
        .await;
    }
    let mut it = rt.borrow_mut();
    it.clock = it.clock.max(target);
    if until > deadline {
        return Err(it.time_out());
    }
    Ok(())
}

/// Waits for a callback that has not come (`task`), until `until` (its timeout, or the
/// execution's limit): the execution pauses once the clock would pass `last`. Other fibers run
/// on up to that moment, so every task that waits then is listed.
pub(crate) async fn wait_for_callback(
    rt: Rt<'_, '_>,
    last: Millis,
    until: Millis,
    task: super::super::callbacks::WaitingTask,
) -> Result<(), Stop> {
    let id = rt.borrow_mut().add_pending(last, task);
    let _guard = PendingGuard { rt, id };
    let target = until.min(rt.borrow().deadline);
    if target > rt.borrow().clock {
        // Not through `sleep_until`: this fiber's own wait must not pause the run before its
        // siblings have run up to `last`.
        Yield {
            rt,
            reason: Some(Suspend::Until(target)),
        }
        .await;
    }
    Err(rt.borrow_mut().pause())
}

/// Takes a waiting task off the pending list when its fiber is dropped (a sibling's failure
/// aborted it), unless the run paused: then it is listed.
struct PendingGuard<'a, 'o> {
    rt: Rt<'a, 'o>,
    id: u64,
}

impl Drop for PendingGuard<'_, '_> {
    fn drop(&mut self) {
        if let Ok(mut it) = self.rt.try_borrow_mut()
            && !it.paused
        {
            let id = self.id;
            it.pending.retain(|p| p.id != id);
        }
    }
}

/// Sleeps for `millis` (saturating: the clock never wraps).
pub(crate) async fn sleep_for(rt: Rt<'_, '_>, millis: i64) -> Result<(), Stop> {
    let until = rt.borrow().clock.saturating_add(millis.max(0));
    sleep_until(rt, until).await
}

/// Runs the top-level fiber to its end: nothing else is scheduled above it.
pub(crate) fn drive<T>(rt: Rt<'_, '_>, fut: impl Future<Output = T>) -> T {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        let mut it = rt.borrow_mut();
        if let Some(Suspend::Until(t)) = it.suspended.take() {
            it.clock = it.clock.max(t);
        }
    }
}

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
    All(Vec<Result<serde_json::Value, Failure>>),
    /// This child's failure failed the state.
    Failed(Failure),
}

/// What a suspended child waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Waiting {
    /// Not run yet.
    Fresh,
    /// Its next event starts a step.
    Step,
    /// Its launch was recorded.
    Launched,
    /// It slept.
    Slept,
}

/// A child in flight.
struct Child<'f> {
    fut: ChildFuture<'f>,
    fiber: u32,
    key: (Millis, u32),
    waiting: Waiting,
}

/// A child fiber's birth: its index, its fiber id and the event it follows.
pub(crate) struct Birth {
    pub(crate) index: usize,
    pub(crate) fiber: u32,
    pub(crate) prev: u64,
}

/// Runs the children (`spawn` makes child `index`'s future) concurrently on the virtual clock
/// and returns what they came to, with the id of the last event recorded under the fan-out.
/// A limit reached inside a child ends everything at once.
pub(crate) async fn fan_out<'f>(
    rt: Rt<'_, '_>,
    parent: &Thread,
    plan: &Plan,
    mut spawn: impl FnMut(Birth) -> ChildFuture<'f>,
) -> Result<(Fanned, u64), Stop> {
    let n = plan.children;
    let slots = match plan.max_concurrency {
        0 => n,
        k => k.min(n),
    };
    let mut results: Vec<Option<Result<serde_json::Value, Failure>>> = Vec::new();
    results.resize_with(n, || None);
    // Children in flight by index (at most `slots`), and their keys, least first.
    let mut flying: crate::fasthash::FastMap<usize, Child<'f>> = Default::default();
    let mut queue: BinaryHeap<Reverse<(Millis, u32, usize)>> = BinaryHeap::new();
    let started = rt.borrow().clock;
    let mut next = 0usize;
    let mut start = |index: usize,
                     key: (Millis, u32),
                     flying: &mut crate::fasthash::FastMap<usize, Child<'f>>,
                     queue: &mut BinaryHeap<Reverse<(Millis, u32, usize)>>| {
        let fiber = rt.borrow_mut().new_fiber(parent.fiber);
        let fut = spawn(Birth {
            index,
            fiber,
            prev: parent.prev,
        });
        flying.insert(
            index,
            Child {
                fut,
                fiber,
                key,
                waiting: Waiting::Fresh,
            },
        );
        queue.push(Reverse((key.0, key.1, index)));
    };
    while next < slots {
        start(next, (started, 0), &mut flying, &mut queue);
        next += 1;
    }
    let mut failures = 0usize;
    // Whether the fan-out has just been given the turn (at its start, or resumed by its parent).
    let mut resumed = true;
    while let Some(&Reverse((time, _, index))) = queue.peek() {
        let now = rt.borrow().clock;
        if time > now {
            sleep_until(rt, time).await?;
            resumed = true;
            continue;
        }
        let Some(child) = flying.get_mut(&index) else {
            queue.pop();
            continue;
        };
        if child.waiting == Waiting::Step && !resumed && !plan.detached {
            // The child's next event starts a step: a step of this whole fan-out too, which
            // the enclosing fan-out (or the top level) orders.
            step(rt).await;
            resumed = true;
            continue;
        }
        resumed = false;
        queue.pop();
        let polled = std::future::poll_fn(|cx| Poll::Ready(child.fut.as_mut().poll(cx))).await;
        match polled {
            Poll::Pending => {
                let mut it = rt.borrow_mut();
                let why = it.suspended.take();
                match why {
                    Some(Suspend::Until(t)) => {
                        child.key = (t, 0);
                        child.waiting = Waiting::Slept;
                    }
                    Some(Suspend::IterationStart) => {
                        child.key.1 += 1;
                        child.waiting = Waiting::Launched;
                    }
                    Some(Suspend::Step) | None => {
                        let f = it.fiber(child.fiber);
                        if f.last_id != 0 && f.last_time == now && !plan.detached {
                            child.key.1 += 1;
                        }
                        child.waiting = Waiting::Step;
                    }
                }
                queue.push(Reverse((child.key.0, child.key.1, index)));
            }
            Poll::Ready(outcome) => {
                let end = child.key;
                let fiber = child.fiber;
                let outcome = match outcome {
                    Ok(v) => Ok(v),
                    Err(Stop::Fail(f)) => Err(f),
                    Err(halt) => return Err(halt),
                };
                if outcome.is_err() {
                    failures += 1;
                    if plan.over(failures) {
                        let Some(child) = flying.remove(&index) else {
                            continue;
                        };
                        let failure = match outcome {
                            Err(f) => f,
                            Ok(_) => Failure::new("States.Runtime", ""),
                        };
                        let last = abort(rt, parent, plan, flying, (index, child))?;
                        return Ok((Fanned::Failed(failure), last));
                    }
                }
                flying.remove(&index);
                {
                    let mut it = rt.borrow_mut();
                    it.close_subtree(fiber);
                    it.free_fiber(fiber);
                }
                if let Some(slot) = results.get_mut(index) {
                    *slot = Some(outcome);
                }
                if next < n {
                    start(next, (end.0, end.1 + 1), &mut flying, &mut queue);
                    next += 1;
                }
            }
        }
    }
    let last = last_under(rt, parent, plan);
    let all = results
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Failure::new("States.Runtime", "A child did not run."))))
        .collect();
    Ok((Fanned::All(all), last))
}

/// The last event recorded under the fan-out (the parent's own last when its children record
/// nothing here).
fn last_under(rt: Rt<'_, '_>, parent: &Thread, plan: &Plan) -> u64 {
    if plan.detached {
        return parent.prev;
    }
    let it = rt.borrow();
    let f = it.fiber(parent.fiber);
    f.last_id.max(parent.prev)
}

/// Records the aborts after `fatal`'s failure failed the state and drops every child; returns
/// the id of the last event under the fan-out.
fn abort<'f>(
    rt: Rt<'_, '_>,
    parent: &Thread,
    plan: &Plan,
    mut flying: crate::fasthash::FastMap<usize, Child<'f>>,
    fatal: (usize, Child<'f>),
) -> Result<u64, Stop> {
    if plan.detached {
        let mut it = rt.borrow_mut();
        for c in flying.values().chain([&fatal.1]) {
            it.close_subtree(c.fiber);
        }
        return Ok(parent.prev);
    }
    // Siblings in flight (they recorded something), in child order, then the failed child.
    let mut order: Vec<(usize, u32)> = flying
        .iter()
        .filter(|(_, c)| c.waiting != Waiting::Fresh)
        .map(|(&i, c)| (i, c.fiber))
        .collect();
    order.sort_unstable();
    order.push((fatal.0, fatal.1.fiber));
    let mut it = rt.borrow_mut();
    for &(index, fiber) in &order {
        let is_fatal = index == fatal.0;
        let mut after = it.fiber(fiber).last_id;
        if is_fatal
            && let Some(e) = it.event(after)
            && e.event_type == EventKind::MapIterationFailed
        {
            // A failed iteration's aborts follow what failed in it, not its end.
            after = e.previous_event_id;
        }
        let open = it.take_open_under(fiber);
        let mut chain: Option<u64> = None;
        for o in open {
            let prev = match chain {
                Some(_) if matches!(o.ty, "Task" | "Wait") => o.entered,
                Some(id) => id,
                None => after,
            };
            let mut th = Thread::line(fiber, prev);
            let id = it.push_event(
                &mut th,
                joined(o.ty, "StateAborted").unwrap_or(EventKind::TaskStateAborted),
                Details::none(),
            );
            it.abort_run(o.run, id);
            chain = Some(id);
        }
        if !is_fatal && let Some(name) = &plan.map_name {
            let mut th = Thread::line(fiber, chain.unwrap_or(after));
            let fields = Fields::from([
                ("name", Field::Str(name.clone())),
                ("index", Field::Num(index as u64)),
            ]);
            it.push_event(
                &mut th,
                EventKind::MapIterationAborted,
                Details::fields(fields),
            );
        }
    }
    for c in flying.values() {
        it.close_subtree(c.fiber);
    }
    it.close_subtree(fatal.1.fiber);
    drop(it);
    flying.clear();
    Ok(last_under(rt, parent, plan))
}
