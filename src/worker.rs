//! The engine off the page's main thread. The checks (the rules routed, the machine validated
//! and drawn) and the runs go to Web Workers running this same wasm module: `www/worker.js`
//! starts it with the module the page has already compiled, and `main` sees it is in a worker
//! and serves jobs instead of rendering. Jobs and answers cross as serde-wasm-bindgen values.
//!
//! Two lanes, one worker each: checks, and runs, so a long run never holds up a check. A lane
//! does one job at a time; a newer job of the same kind replaces a queued one. The reducer asks
//! for what it needs as an effect (`crate::state::Effect::Ask`), which [`answer`]s it when the
//! worker has answered exactly these texts, else sends the job; when the answer comes, the
//! page's reducers are told ([`use_worker`]) and ask again. A job at work for longer than
//! [`SHOW_AFTER_MS`] is listed by [`working`] with its progress (the Working bar,
//! `components/working.rs`); [`stop`] ends its worker and starts a fresh one, and the page, its
//! texts and its last results stay.
//!
//! Native tests (and a browser whose worker does not start) do the same jobs in place.

// Natively there is no worker: the messages and the lanes are the wasm build's.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use crate::evaluate::{self, Diag, MachineView, Pane, RulesView, Source};
use crate::execution::{self, RunView};
use crate::workspace::{Text, Workspace};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use statebridge_engine::asl::exec::{OnProgress, Progress};
use std::rc::Rc;

/// How far a job has come, as its worker tells the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    /// History events recorded (a run; a system run's executions together).
    pub events: u64,
    /// Map iterations ended (a run).
    pub iterations: u64,
    /// Events the buses accepted (a system run).
    pub bus: u64,
    /// Executions ended (a system run).
    pub executions: u64,
}

/// What a job is told of how it moves on.
pub type Tell = Rc<dyn Fn(Moved)>;

/// How long a job works before the page shows it with a Stop button, in milliseconds.
pub const SHOW_AFTER_MS: f64 = 100.0;

/// What the page asks of the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Job {
    /// Route the event through the rules (`names`: the workspace's machines; `current`: the one
    /// in the editor).
    Rules {
        /// The event text.
        event: Text,
        /// The rules text.
        rules: Text,
        /// The workspace's machine names.
        names: Vec<String>,
        /// The machine in the editor.
        current: String,
    },
    /// Validate and lay out a machine's text.
    Machine(Text),
    /// Check the mocks and the S3 objects against the workspace's machines and rules.
    Mocks {
        /// The mocks text.
        mocks: Text,
        /// The S3 objects text.
        s3: Text,
        /// Every machine's text.
        machines: Vec<Text>,
        /// The rules text (its pipes name enrichments the mocks may answer).
        rules: Text,
    },
    /// Format an editor's text (a long one: short ones are formatted in place).
    Format(Source, String),
    /// Run one state alone, as TestState does (`request`: TestState's request as JSON).
    Test(Value),
    /// Run the workspace's machine on the input its rules deliver, with the answers so far.
    Run {
        /// The workspace.
        ws: Workspace,
        /// The callbacks list (the user's answers to task tokens).
        callbacks: Vec<Value>,
        /// How many times an unsuccessful end is redriven.
        redrives: u32,
    },
    /// Run the whole system the workspace describes (the System view).
    System {
        /// The workspace.
        ws: Workspace,
        /// How long schedules fire after the run's start, in seconds.
        window: i64,
        /// Then replay the archived events that arrived in `[from, to)` (virtual ms).
        replay: Option<(i64, i64)>,
    },
    /// Check the From AWS tab's sample events against the rules (the worker keeps the verdicts).
    Matrix {
        /// The events text.
        events: Text,
        /// The rules text.
        rules: Text,
    },
    /// A picked cell of that table: its verdict and reasons.
    MatrixCell {
        /// The events text.
        events: Text,
        /// The rules text.
        rules: Text,
        /// The rule (column).
        rule: usize,
        /// The event (row).
        event: usize,
    },
}

/// The engine's answer to a [`Job`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// The rules' verdicts.
    Rules(Rc<RulesView>),
    /// The machine's graph and problems.
    Machine(MachineView),
    /// The mocks' problems.
    Mocks(Rc<Vec<Diag>>),
    /// The formatted text, or why it cannot be formatted.
    Format(Result<String, Diag>),
    /// TestState's answer, or why the request was refused.
    Test(Rc<Result<TestAnswer, String>>),
    /// The run.
    Run(Rc<RunView>),
    /// The system run (crossing as JSON text: one deserializer of the report's many types in
    /// the wasm, serde_json's, which its parts use anyway).
    System(#[serde(with = "json_text")] Rc<crate::components::system::SystemView>),
    /// The events × rules table (as JSON text, read by one deserializer in one go: 10,000 row
    /// heads as JS objects cost more to read).
    Matrix(#[serde(with = "json_text")] Rc<crate::artifacts::MatrixAnswer>),
    /// A picked cell's verdict and reasons.
    MatrixCell(Option<crate::artifacts::MatrixCell>),
}

/// A value written as its JSON text, and read back from it.
mod json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<T: Serialize, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        serde_json::to_string(v)
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }

    pub fn deserialize<'de, T: serde::de::DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// TestState's answer as the page shows it (the engine's `TestStateResponse`, read back).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestAnswer {
    /// `SUCCEEDED`, `FAILED`, `RETRIABLE` or `CAUGHT_ERROR`.
    pub status: String,
    /// The state's output.
    pub output: Option<Value>,
    /// The error name.
    pub error: Option<String>,
    /// The cause.
    pub cause: Option<String>,
    /// The next state.
    pub next_state: Option<String>,
    /// The value after each data-flow step.
    pub inspection_data: Option<Value>,
    /// statebridge's own remarks.
    pub notes: Vec<String>,
}

/// Runs TestState's request (JSON) here.
pub fn test_state_here(request: &Value) -> Result<TestAnswer, String> {
    use statebridge_engine::asl::test_state::{TestStateRequest, test_state};
    let request = TestStateRequest::from_value(request).map_err(|e| e.to_string())?;
    let r = test_state(&request).map_err(|e| e.to_string())?;
    Ok(TestAnswer {
        status: r.status,
        output: r.output,
        error: r.error,
        cause: r.cause,
        next_state: r.next_state,
        inspection_data: r.inspection_data,
        notes: r.notes,
    })
}

/// Texts shorter than this are formatted in place (at once); longer ones by the worker.
pub const FORMAT_HERE_BYTES: usize = 64 * 1024;

/// Which kind of job: one answer of each kind is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// [`Job::Rules`].
    Rules,
    /// [`Job::Machine`].
    Machine,
    /// [`Job::Run`].
    Run,
    /// [`Job::Mocks`].
    Mocks,
    /// [`Job::Format`].
    Format,
    /// [`Job::Test`].
    Test,
    /// [`Job::System`].
    System,
    /// [`Job::Matrix`].
    Matrix,
    /// [`Job::MatrixCell`].
    MatrixCell,
}

impl Kind {
    /// Whether the job goes to the runs' worker (else to the checks').
    fn runs(self) -> bool {
        matches!(self, Kind::Run | Kind::Test | Kind::System)
    }

    /// What the job is doing, for the Working bar.
    pub fn doing(self) -> &'static str {
        match self {
            Kind::Rules => "Routing the event through the rules…",
            Kind::Machine => "Checking and drawing the state machine…",
            Kind::Run => "Running the state machine…",
            Kind::Mocks => "Checking the mocks…",
            Kind::Format => "Formatting…",
            Kind::Test => "Testing the state…",
            Kind::System => "Running the system…",
            Kind::Matrix => "Checking the sample events against the rules…",
            Kind::MatrixCell => "Working out why the rule misses the event…",
        }
    }
}

impl Job {
    /// The job's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Job::Rules { .. } => Kind::Rules,
            Job::Machine(_) => Kind::Machine,
            Job::Run { .. } => Kind::Run,
            Job::Mocks { .. } => Kind::Mocks,
            Job::Format(..) => Kind::Format,
            Job::Test(_) => Kind::Test,
            Job::System { .. } => Kind::System,
            Job::Matrix { .. } => Kind::Matrix,
            Job::MatrixCell { .. } => Kind::MatrixCell,
        }
    }

    /// Which answer it is kept as: one of each kind, one per editor for formatting (Format all
    /// asks for several at once).
    fn slot(&self) -> (Kind, Option<Source>) {
        match self {
            Job::Format(source, _) => (Kind::Format, Some(*source)),
            _ => (self.kind(), None),
        }
    }

    /// Does the job here, telling `progress` how a run goes.
    pub fn work(&self, progress: Option<Tell>) -> Answer {
        match self {
            Job::Rules {
                event,
                rules,
                names,
                current,
            } => {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                Answer::Rules(Rc::new(evaluate::evaluate_rules(
                    event, rules, &names, current,
                )))
            }
            Job::Machine(text) => Answer::Machine(evaluate::inspect_machine(text)),
            Job::Mocks {
                mocks,
                s3,
                machines,
                rules,
            } => {
                let machines: Vec<&str> = machines.iter().map(|m| m.as_str()).collect();
                let mut diags = evaluate::check_mocks(mocks, &machines, rules);
                diags.extend(evaluate::read_s3(s3).err());
                Answer::Mocks(Rc::new(diags))
            }
            Job::Format(source, text) => Answer::Format(evaluate::format(*source, text)),
            Job::Test(request) => Answer::Test(Rc::new(test_state_here(request))),
            Job::Run {
                ws,
                callbacks,
                redrives,
            } => {
                let names: Vec<&str> = ws.machines.iter().map(|m| m.name.as_str()).collect();
                let rules =
                    evaluate::evaluate_rules(&ws.event, &ws.rules, &names, ws.machine_name());
                let progress = progress.map(|tell| {
                    OnProgress(Rc::new(move |p: Progress| {
                        tell(Moved {
                            events: p.events,
                            iterations: p.iterations,
                            ..Moved::default()
                        })
                    }))
                });
                Answer::Run(Rc::new(execution::run_with(
                    ws, &rules, callbacks, *redrives, progress,
                )))
            }
            Job::System { ws, window, replay } => {
                use statebridge_engine::system::{OnSystemProgress, SystemProgress};
                let progress = progress.map(|tell| {
                    OnSystemProgress(Rc::new(move |p: SystemProgress| {
                        tell(Moved {
                            events: p.history,
                            bus: p.events,
                            executions: p.executions,
                            ..Moved::default()
                        })
                    }))
                });
                Answer::System(Rc::new(crate::components::system::run_with(
                    ws, *window, *replay, progress,
                )))
            }
            Job::Matrix { events, rules } => {
                Answer::Matrix(Rc::new(crate::artifacts::matrix_view(events, rules)))
            }
            Job::MatrixCell {
                events,
                rules,
                rule,
                event,
            } => Answer::MatrixCell(crate::artifacts::matrix_cell(events, rules, *rule, *event)),
        }
    }

    /// The answer of a job the user stopped after `ms` milliseconds, having come `so_far`.
    pub fn stopped(&self, so_far: Moved, ms: f64) -> Answer {
        let after = format!("after {:.1} s", ms / 1000.0);
        match self {
            Job::Rules { .. } => Answer::Rules(Rc::new(RulesView {
                outcomes: Pane::Unavailable(format!(
                    "You stopped routing the event through the rules {after}. Edit the event or the rules to route it again."
                )),
                diags: vec![],
                note: None,
            })),
            Job::Machine(_) => Answer::Machine(MachineView {
                layout: None,
                diags: vec![Diag {
                    source: Source::Machine,
                    line: None,
                    column: None,
                    message: format!(
                        "You stopped checking and drawing the state machine {after}; edit it to check it again."
                    ),
                    fix: None,
                }],
            }),
            Job::Mocks { .. } => Answer::Mocks(Rc::new(vec![Diag {
                source: Source::Mocks,
                line: None,
                column: None,
                message: format!(
                    "You stopped checking the mocks {after}; edit them to check them again."
                ),
                fix: None,
            }])),
            Job::Format(source, _) => Answer::Format(Err(Diag {
                source: *source,
                line: None,
                column: None,
                message: format!("you stopped formatting it {after}"),
                fix: None,
            })),
            Job::Test(_) => Answer::Test(Rc::new(Err(format!(
                "You stopped the test {after}. Press Run the test to run it again."
            )))),
            Job::Run { ws, .. } => {
                let mut view = execution::not_run(ws);
                view.input_from = "the run you stopped".into();
                view.outcome = Pane::Unavailable(format!(
                    "You stopped the run {after}, with {} recorded{}. Your work is kept: press Run to run it again.",
                    count(so_far.events, "history event", "history events"),
                    if so_far.iterations > 0 {
                        format!(
                            " and {} ended",
                            count(so_far.iterations, "Map iteration", "Map iterations")
                        )
                    } else {
                        String::new()
                    }
                ));
                Answer::Run(Rc::new(view))
            }
            Job::System { .. } => Answer::System(Rc::new(Pane::Unavailable(format!(
                "You stopped the system run {after}, with {} on the buses and {} ended. Your work is kept: press Run system to run it again.",
                count(so_far.bus, "event", "events"),
                count(so_far.executions, "execution", "executions"),
            )))),
            Job::Matrix { .. } => Answer::Matrix(Rc::new(Err(crate::artifacts::MatrixProblem {
                message: format!(
                    "You stopped checking the sample events {after}. Edit the events or the rules to check them again."
                ),
                at: None,
            }))),
            Job::MatrixCell { .. } => Answer::MatrixCell(None),
        }
    }
}

/// `n` and its noun, with thousands separated: "12,345 history events".
pub fn count(n: u64, one: &str, many: &str) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out} {}", if n == 1 { one } else { many })
}

/// The rules job for a workspace (its event, rules, machine names and the machine shown).
pub fn rules_job(ws: &Workspace) -> Job {
    Job::Rules {
        event: ws.event.clone(),
        rules: ws.rules.clone(),
        names: ws.machines.iter().map(|m| m.name.clone()).collect(),
        current: ws.machine_name().to_owned(),
    }
}

/// The mocks job for a workspace (its mocks, S3 objects, machines and rules).
pub fn mocks_job(ws: &Workspace) -> Job {
    Job::Mocks {
        mocks: ws.mocks.clone(),
        s3: ws.s3.clone(),
        machines: ws.machines.iter().map(|m| m.text.clone()).collect(),
        rules: ws.rules.clone(),
    }
}

/// TestState's answer to `request` (its JSON), when the worker has given it (else it is asked).
pub fn test_state(request: &Value) -> Option<Rc<Result<TestAnswer, String>>> {
    match answer(Job::Test(request.clone()), true)? {
        Answer::Test(r) => Some(r),
        _ => None,
    }
}

/// Whether a job of this kind is at work or waiting: its answer on screen may be out of date.
pub fn asked(kind: Kind) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        page::asked(kind)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = kind;
        false
    }
}

/// The answer to `job` if there is one (taking it when `take` and it is to be shown once), else
/// `None` with the job sent (the effects layer's `Effect::Ask`, `crate::state::effects`).
pub fn answer(job: Job, take: bool) -> Option<Answer> {
    #[cfg(target_arch = "wasm32")]
    {
        page::answer(job, take)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = take;
        Some(job.work(None))
    }
}

/// A job at work, as the Working bar shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Busy {
    /// What it does.
    pub kind: Kind,
    /// How long it has worked, in milliseconds.
    pub ms: f64,
    /// How far it has come (runs).
    pub progress: Moved,
}

/// The jobs that have worked longer than [`SHOW_AFTER_MS`].
pub fn working() -> Vec<Busy> {
    #[cfg(target_arch = "wasm32")]
    {
        page::working()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        vec![]
    }
}

/// Ends the jobs at work: their workers are ended and fresh ones started; each stopped job
/// answers that it was stopped.
pub fn stop() {
    #[cfg(target_arch = "wasm32")]
    page::stop();
}

/// Calls `changed` whenever the jobs at work change or move on, until the guard is dropped.
pub fn watch(changed: yew::Callback<()>) -> Watch {
    #[cfg(target_arch = "wasm32")]
    {
        Watch(page::listen(page::Listener::Progress(changed)))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = changed;
        Watch(0)
    }
}

/// Whether a job of any of these kinds is at work or waiting, kept true on screen: the
/// component re-renders when the worker's jobs change (a job is asked in an effect after the
/// render that needs it, so reading [`asked`] while rendering alone would miss it until some
/// other change drew the page again).
#[yew::hook]
pub fn use_asked(kinds: &'static [Kind]) -> bool {
    let any = move || kinds.iter().any(|k| asked(*k));
    let seen = yew::use_state_eq(any);
    {
        // After every render (a check asked by it is seen at the worker's next tick).
        let seen = seen.clone();
        yew::use_effect(move || seen.set(any()));
    }
    {
        let seen = seen.clone();
        yew::use_effect_with(kinds, move |kinds| {
            let kinds: &'static [Kind] = kinds;
            let w = watch(yew::Callback::from(move |()| {
                seen.set(kinds.iter().any(|k| asked(*k)))
            }));
            move || drop(w)
        });
    }
    *seen
}

/// Calls `answered` with the kind of each answer the worker gives, until the guard is dropped
/// (a pane that asks for its own answers: Test this state).
pub fn on_answer(answered: yew::Callback<Kind>) -> Watch {
    #[cfg(target_arch = "wasm32")]
    {
        Watch(page::listen(page::Listener::Answers(answered)))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = answered;
        Watch(0)
    }
}

/// Ends a [`watch`] or a [`use_worker`] subscription when dropped.
pub struct Watch(u32);

impl Drop for Watch {
    fn drop(&mut self) {
        #[cfg(target_arch = "wasm32")]
        page::unlisten(self.0);
    }
}

/// Tells a playground's reducer when the worker answers: a check's answer is read again
/// (`EvaluateRules`, `InspectMachine`), and what waited for a run is done (`Worked`).
#[yew::hook]
pub fn use_worker(d: yew::UseReducerDispatcher<crate::state::State>) {
    yew::use_effect_with((), move |_| {
        use crate::state::Action;
        let on_answer = yew::Callback::from(move |kind: Kind| {
            match kind {
                Kind::Rules => d.dispatch(Action::EvaluateRules),
                Kind::Machine => d.dispatch(Action::InspectMachine),
                // (Reads the kept rules, and the mocks' answer.)
                Kind::Mocks => d.dispatch(Action::EvaluateRules),
                // The test's panel and the events × rules table ask for their own answers.
                Kind::Test | Kind::Matrix | Kind::MatrixCell => return,
                Kind::Run | Kind::System | Kind::Format => {}
            }
            // What waited (a run; a share link's view also waits for the drawing; a Format).
            d.dispatch(Action::Worked);
        });
        #[cfg(target_arch = "wasm32")]
        let watch = Watch(page::listen(page::Listener::Answers(on_answer)));
        #[cfg(not(target_arch = "wasm32"))]
        let watch = {
            drop(on_answer);
            Watch(0)
        };
        move || drop(watch)
    });
}

/// Whether this code runs in a worker (then `main` serves jobs instead of rendering).
pub fn in_worker() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        js_sys::global()
            .dyn_ref::<web_sys::DedicatedWorkerGlobalScope>()
            .is_some()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        false
    }
}

/// Serves jobs in a worker: each message is a job, answered with progress messages while it
/// works and one with its answer.
pub fn serve() {
    #[cfg(target_arch = "wasm32")]
    in_the_worker::serve();
}

/// A message to a worker: a job and its number.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Request {
    id: u32,
    job: Job,
}

/// A message from a worker.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Message {
    /// The worker has started and takes jobs.
    Ready,
    /// Job `id` has come this far.
    Progress { id: u32, moved: Moved },
    /// A piece of job `id`'s answer, sent before its `Done` ([`split`]): JSON text of a [`Part`].
    Part { id: u32, text: String },
    /// Job `id` is done: its answer, without the parts sent before it.
    Done { id: u32, answer: Answer },
}

/// A slice of one of a run's long lists. A long run's answer crosses as a small head (the
/// [`RunView`] with these lists empty) and parts of about [`PART_BYTES`] each, so that the page
/// reads it back in steps of a few milliseconds (one message each) instead of one long task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Part {
    /// History events, in order.
    History(Vec<Value>),
    /// Replay steps, in order.
    Steps(Vec<crate::replay::Step>),
    /// State runs, in order.
    Runs(Vec<statebridge_engine::asl::exec::StateRun>),
    /// A system run's bus events, in order.
    Events(Vec<statebridge_engine::system::BusEvent>),
    /// A system run's deliveries, in order.
    Deliveries(Vec<statebridge_engine::system::Delivery>),
    /// A system run's executions, in order.
    Executions(Vec<statebridge_engine::system::ExecutionRecord>),
    /// A machine's drawing: its boxes, in order.
    Nodes(Vec<statebridge_engine::layout::Node>),
    /// A machine's drawing: its edges, in order.
    Edges(Vec<statebridge_engine::layout::Edge>),
}

/// About how much JSON text one [`Part`] holds.
const PART_BYTES: usize = 96 * 1024;

/// Splits a run's answer (or a big machine's drawing) into its head and its parts' texts (none
/// for a small one).
fn split(answer: Answer) -> (Answer, Vec<String>) {
    // A drawing of 1,500 states read back as one value held the page for 55–106 ms.
    let big = |v: &MachineView| {
        v.layout
            .as_ref()
            .is_some_and(|l| l.nodes.len() + l.edges.len() > 400)
    };
    let answer = match answer {
        Answer::Machine(mut view) if big(&view) => {
            let mut parts = vec![];
            if let Some(layout) = view.layout.take() {
                let mut layout = Rc::unwrap_or_clone(layout);
                slices("Nodes", &std::mem::take(&mut layout.nodes), &mut parts);
                slices("Edges", &std::mem::take(&mut layout.edges), &mut parts);
                view.layout = Some(Rc::new(layout));
            }
            return (Answer::Machine(view), parts);
        }
        other => other,
    };
    if let Answer::System(view) = &answer
        && let Pane::Ready(_) = &**view
    {
        let Pane::Ready(mut r) = Rc::unwrap_or_clone(view.clone()) else {
            return (answer, vec![]);
        };
        let mut parts = vec![];
        slices("Events", &std::mem::take(&mut r.events), &mut parts);
        slices("Deliveries", &std::mem::take(&mut r.deliveries), &mut parts);
        slices("Executions", &std::mem::take(&mut r.executions), &mut parts);
        return (Answer::System(Rc::new(Pane::Ready(r))), parts);
    }
    let Answer::Run(view) = answer else {
        return (answer, vec![]);
    };
    let mut view = Rc::unwrap_or_clone(view);
    let mut parts = vec![];
    slices("History", &std::mem::take(&mut view.history), &mut parts);
    slices("Steps", &std::mem::take(&mut view.replay.steps), &mut parts);
    slices("Runs", &std::mem::take(&mut view.runs), &mut parts);
    (Answer::Run(Rc::new(view)), parts)
}

/// Writes `items` as texts of `{"<name>": [..]}` of about [`PART_BYTES`] each.
fn slices<T: Serialize>(name: &str, items: &[T], parts: &mut Vec<String>) {
    let open = format!("{{\"{name}\":[");
    let mut text = open.clone();
    let mut any = false;
    for item in items {
        // Serialising these types cannot fail (no maps with non-string keys).
        let Ok(one) = serde_json::to_string(item) else {
            continue;
        };
        if any {
            text.push(',');
        }
        text.push_str(&one);
        any = true;
        if text.len() >= PART_BYTES {
            text.push_str("]}");
            parts.push(std::mem::replace(&mut text, open.clone()));
            any = false;
        }
    }
    if any {
        text.push_str("]}");
        parts.push(text);
    }
}

/// Reads a part's text (sent by [`split`]).
fn read_part(text: &str) -> Option<Part> {
    serde_json::from_str(text).ok()
}

/// Puts a run's answer back together from its head and its parts, in the order they came.
fn join(answer: Answer, parts: Vec<Part>) -> Answer {
    if let Answer::Machine(mut view) = answer {
        if let Some(layout) = view.layout.as_mut().filter(|_| !parts.is_empty()) {
            let layout = Rc::make_mut(layout);
            for part in parts {
                match part {
                    Part::Nodes(n) => layout.nodes.extend(n),
                    Part::Edges(e) => layout.edges.extend(e),
                    _ => {}
                }
            }
        }
        return Answer::Machine(view);
    }
    if let Answer::System(view) = answer {
        if parts.is_empty() {
            return Answer::System(view);
        }
        let mut view = Rc::unwrap_or_clone(view);
        if let Pane::Ready(r) = &mut view {
            for part in parts {
                match part {
                    Part::Events(e) => r.events.extend(e),
                    Part::Deliveries(d) => r.deliveries.extend(d),
                    Part::Executions(x) => r.executions.extend(x),
                    _ => {}
                }
            }
        }
        return Answer::System(Rc::new(view));
    }
    let Answer::Run(view) = answer else {
        return answer;
    };
    if parts.is_empty() {
        return Answer::Run(view);
    }
    let mut view = Rc::unwrap_or_clone(view);
    for part in parts {
        match part {
            Part::History(h) => view.history.extend(h),
            Part::Steps(s) => view.replay.steps.extend(s),
            Part::Runs(r) => view.runs.extend(r),
            _ => {}
        }
    }
    Answer::Run(Rc::new(view))
}

#[cfg(target_arch = "wasm32")]
fn to_js<T: Serialize>(value: &T) -> Option<wasm_bindgen::JsValue> {
    // `null` for a missing optional value, so a present `null` reads back as itself; maps stay
    // JS Maps, so object members keep their order.
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    value.serialize(&serializer).ok()
}

/// The worker's side: jobs in, answers and progress out.
#[cfg(target_arch = "wasm32")]
mod in_the_worker {
    use super::{Job, Message, Moved, Request, to_js};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    thread_local! {
        /// Jobs that wait for the JSONata module.
        static WAITING: RefCell<Vec<Request>> = const { RefCell::new(Vec::new()) };
        static SUBSCRIBED: RefCell<Option<crate::jsonata::Subscription>> = const { RefCell::new(None) };
    }

    fn post(message: &Message) {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        if let Some(v) = to_js(message) {
            let _ = scope.post_message(&v);
        }
    }

    pub fn serve() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|e: MessageEvent| {
            if let Ok(request) = serde_wasm_bindgen::from_value::<Request>(e.data()) {
                take(request);
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        post(&Message::Ready);
    }

    fn needs_jsonata(job: &Job) -> bool {
        match job {
            Job::Rules { .. } | Job::Format(..) | Job::Matrix { .. } | Job::MatrixCell { .. } => {
                false
            }
            Job::Machine(text) => crate::jsonata::must_wait(text),
            Job::Mocks { machines, .. } => machines.iter().any(|m| crate::jsonata::must_wait(m)),
            Job::Test(request) => request
                .get("definition")
                .and_then(serde_json::Value::as_str)
                .is_some_and(crate::jsonata::must_wait),
            Job::Run { ws, .. } => ws
                .machines
                .iter()
                .any(|m| crate::jsonata::must_wait(&m.text)),
            Job::System { ws, .. } => {
                crate::jsonata::must_wait(&ws.rules)
                    || ws
                        .machines
                        .iter()
                        .any(|m| crate::jsonata::must_wait(&m.text))
            }
        }
    }

    /// A test whose mocked result is checked against the API's response shapes needs their file
    /// (beside the page, not in the wasm): fetched the first time, then the test runs.
    fn needs_shapes(job: &Job) -> bool {
        use statebridge_engine::asl::test_state::shapes;
        let Job::Test(request) = job else {
            return false;
        };
        let mock = request.get("mock");
        let checked = mock.is_some_and(|m| {
            m.get("result").is_some()
                && m.get("fieldValidationMode")
                    .and_then(serde_json::Value::as_str)
                    != Some("NONE")
        });
        checked && !shapes::available()
    }

    fn take(request: Request) {
        if needs_shapes(&request.job) {
            crate::fetch::text("response_shapes.txt", move |text| {
                if let Ok(text) = text {
                    statebridge_engine::asl::test_state::shapes::provide(text);
                }
                // (Without the file the test runs and says what it could not check.)
                with_shapes(request);
            });
            return;
        }
        with_shapes(request);
    }

    fn with_shapes(request: Request) {
        if !needs_jsonata(&request.job) {
            return work(request);
        }
        WAITING.with(|w| w.borrow_mut().push(request));
        SUBSCRIBED.with(|s| {
            s.borrow_mut().get_or_insert_with(|| {
                crate::jsonata::subscribe(yew::Callback::from(|_ok: bool| {
                    for r in WAITING.with(|w| std::mem::take(&mut *w.borrow_mut())) {
                        work(r);
                    }
                }))
            });
        });
        crate::jsonata::start();
    }

    fn work(request: Request) {
        let id = request.id;
        let last = Rc::new(Cell::new(js_sys::Date::now()));
        let progress: super::Tell = Rc::new(move |moved: Moved| {
            let now = js_sys::Date::now();
            if now - last.get() >= 50.0 {
                last.set(now);
                post(&Message::Progress { id, moved });
            }
        });
        let (answer, parts) = super::split(request.job.work(Some(progress)));
        for text in parts {
            post(&Message::Part { id, text });
        }
        post(&Message::Done { id, answer });
    }
}

/// The page's side: two lanes of one worker each, the answers kept, the listeners told.
#[cfg(target_arch = "wasm32")]
mod page {
    use super::{Answer, Busy, Job, Kind, Message, Moved, Part, Request, SHOW_AFTER_MS, to_js};
    use std::cell::{Cell, RefCell};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

    #[wasm_bindgen]
    extern "C" {
        type ImportMeta;
        /// `import.meta` of the app's JS glue (the shim lives there), whose `url` the worker
        /// imports.
        #[wasm_bindgen(thread_local_v2, js_namespace = import, js_name = meta)]
        static IMPORT_META: ImportMeta;
        #[wasm_bindgen(method, getter)]
        fn url(this: &ImportMeta) -> String;
    }

    /// Who is told what.
    pub enum Listener {
        /// A reducer, of each answer's kind.
        Answers(yew::Callback<Kind>),
        /// The Working bar, of any change.
        Progress(yew::Callback<()>),
    }

    struct InFlight {
        id: u32,
        job: Job,
        since: f64,
        progress: Moved,
        /// The parts of its answer read so far.
        parts: Vec<Part>,
    }

    #[derive(Default)]
    struct Lane {
        worker: Option<Worker>,
        /// Counts the lane's workers: a message from an ended one is ignored.
        generation: u32,
        ready: bool,
        /// The worker could not start: jobs are done in place.
        broken: bool,
        busy: Option<InFlight>,
        queued: Vec<Job>,
        handlers: Vec<Closure<dyn FnMut(MessageEvent)>>,
    }

    /// The last answer of each slot ([`Job::slot`]), with its job, and whether it is shown
    /// once, to the next ask of its kind (a stopped run).
    type Kept = Vec<(Job, Answer, bool)>;

    thread_local! {
        static LANES: RefCell<[Lane; 2]> = RefCell::new(Default::default());
        static KEPT: RefCell<Kept> = const { RefCell::new(Vec::new()) };
        static LISTENERS: RefCell<Vec<(u32, Listener)>> = const { RefCell::new(Vec::new()) };
        static NEXT: Cell<u32> = const { Cell::new(1) };
        static TICKER: RefCell<Option<crate::dom::Timeout>> = const { RefCell::new(None) };
    }

    fn next_id() -> u32 {
        NEXT.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1).max(1));
            id
        })
    }

    fn lane_of(kind: Kind) -> usize {
        usize::from(kind.runs())
    }

    pub fn asked(kind: Kind) -> bool {
        LANES.with(|l| {
            let l = &l.borrow()[lane_of(kind)];
            l.busy.as_ref().is_some_and(|b| b.job.kind() == kind)
                || l.queued.iter().any(|q| q.kind() == kind)
        })
    }

    pub fn listen(l: Listener) -> u32 {
        let id = next_id();
        LISTENERS.with(|ls| ls.borrow_mut().push((id, l)));
        id
    }

    pub fn unlisten(id: u32) {
        LISTENERS.with(|ls| ls.borrow_mut().retain(|(i, _)| *i != id));
    }

    fn tell_answer(kind: Kind) {
        let cbs: Vec<_> = LISTENERS.with(|ls| {
            ls.borrow()
                .iter()
                .filter_map(|(_, l)| match l {
                    Listener::Answers(c) => Some(c.clone()),
                    Listener::Progress(_) => None,
                })
                .collect()
        });
        for c in cbs {
            c.emit(kind);
        }
        tell_progress();
    }

    fn tell_progress() {
        let cbs: Vec<_> = LISTENERS.with(|ls| {
            ls.borrow()
                .iter()
                .filter_map(|(_, l)| match l {
                    Listener::Progress(c) => Some(c.clone()),
                    Listener::Answers(_) => None,
                })
                .collect()
        });
        for c in cbs {
            c.emit(());
        }
    }

    /// While a job works, the Working bar is told every 100 ms (it appears, and its clock moves).
    fn tick() {
        let busy = LANES.with(|l| l.borrow().iter().any(|lane| lane.busy.is_some()));
        TICKER.with(|t| {
            *t.borrow_mut() = busy.then(|| crate::dom::Timeout::new(100, tick));
        });
        tell_progress();
    }

    pub fn answer(job: Job, take: bool) -> Option<Answer> {
        if let Some(kept) = kept(&job, take) {
            return Some(kept);
        }
        let kind = job.kind();
        let lane = lane_of(kind);
        if LANES.with(|l| l.borrow()[lane].broken) {
            // No worker: the job is done here (the page waits, as it did before workers).
            let a = job.work(None);
            keep(job, a.clone(), false);
            return Some(a);
        }
        let asked = LANES.with(|l| {
            let l = &l.borrow()[lane];
            l.busy.as_ref().is_some_and(|b| b.job == job) || l.queued.contains(&job)
        });
        if !asked {
            LANES.with(|l| {
                let queued = &mut l.borrow_mut()[lane].queued;
                // A newer job of a kind replaces the one waiting.
                queued.retain(|q| q.slot() != job.slot());
                queued.push(job.clone());
            });
            pump(lane);
            // The worker could not start: the job was done here.
            return kept(&job, take);
        }
        None
    }

    fn kept(job: &Job, take: bool) -> Option<Answer> {
        let slot = job.slot();
        KEPT.with(|k| {
            let mut k = k.borrow_mut();
            let at = k.iter().position(|(j, _, _)| j.slot() == slot)?;
            let (j, a, once) = &k[at];
            // A stopped run answers the next run asked for, whatever its texts: the Run that
            // waited for it shows where it stopped (the texts may have changed meanwhile).
            if j != job && !*once {
                return None;
            }
            let (a, once) = (a.clone(), *once);
            if once && take {
                k.remove(at);
            }
            Some(a)
        })
    }

    fn keep(job: Job, answer: Answer, once: bool) {
        let slot = job.slot();
        KEPT.with(|k| {
            let mut k = k.borrow_mut();
            k.retain(|(j, _, _)| j.slot() != slot);
            k.push((job, answer, once));
        });
    }

    fn spawn(lane: usize) {
        let generation = LANES.with(|l| {
            let mut l = l.borrow_mut();
            l[lane].generation += 1;
            l[lane].ready = false;
            l[lane].generation
        });
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let base = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.base_uri().ok().flatten())
            .unwrap_or_default();
        let url = web_sys::Url::new_with_base("worker.js", &base)
            .map(|u| u.href())
            .unwrap_or_else(|_| "worker.js".to_owned());
        let Ok(worker) = Worker::new_with_options(&url, &options) else {
            return broken(lane);
        };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            on_message(lane, generation, e.data());
        });
        let on_error = Closure::<dyn FnMut(MessageEvent)>::new(move |_e: MessageEvent| {
            let current = LANES.with(|l| l.borrow()[lane].generation == generation);
            if current {
                broken(lane);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let init = js_sys::Object::new();
        let glue = IMPORT_META.with(ImportMeta::url);
        let _ = js_sys::Reflect::set(&init, &"glue".into(), &glue.into());
        let _ = js_sys::Reflect::set(&init, &"module".into(), &wasm_bindgen::module());
        if worker.post_message(&init).is_err() {
            return broken(lane);
        }
        LANES.with(|l| {
            let mut l = l.borrow_mut();
            l[lane].worker = Some(worker);
            l[lane].handlers = vec![on_message, on_error];
        });
    }

    /// The lane's worker did not start: its jobs are done in place from now on.
    fn broken(lane: usize) {
        let (busy, queued) = LANES.with(|l| {
            let mut l = l.borrow_mut();
            let l = &mut l[lane];
            l.broken = true;
            if let Some(w) = l.worker.take() {
                w.terminate();
            }
            (l.busy.take(), std::mem::take(&mut l.queued))
        });
        web_sys::console::warn_1(
            &"statebridge: the engine's worker did not start; the engine runs on the page".into(),
        );
        let mut kinds = vec![];
        for job in busy.map(|b| b.job).into_iter().chain(queued) {
            kinds.push(job.kind());
            let a = job.work(None);
            keep(job, a, false);
        }
        tell_later(kinds);
    }

    /// Tells the listeners from the event loop: this may run inside a reducer (a job asked for).
    fn tell_later(kinds: Vec<Kind>) {
        let tell = Closure::once_into_js(move || {
            for kind in kinds {
                tell_answer(kind);
            }
        });
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(tell.unchecked_ref());
        }
    }

    fn pump(lane: usize) {
        let (spawn_it, send) = LANES.with(|l| {
            let mut l = l.borrow_mut();
            let l = &mut l[lane];
            if l.worker.is_none() {
                return (true, None);
            }
            if !l.ready || l.busy.is_some() || l.queued.is_empty() {
                return (false, None);
            }
            let job = l.queued.remove(0);
            let id = super::next_request();
            l.busy = Some(InFlight {
                id,
                job: job.clone(),
                since: js_sys::Date::now(),
                progress: Moved::default(),
                parts: Vec::new(),
            });
            (false, Some((l.worker.clone(), Request { id, job })))
        });
        if spawn_it {
            spawn(lane);
            return;
        }
        if let Some((Some(worker), request)) = send {
            match to_js(&request) {
                Some(v) if worker.post_message(&v).is_ok() => {}
                _ => {
                    // Cannot cross (should not happen): do it here.
                    LANES.with(|l| l.borrow_mut()[lane].busy = None);
                    let kind = request.job.kind();
                    let a = request.job.work(None);
                    keep(request.job, a, false);
                    tell_later(vec![kind]);
                    return;
                }
            }
            if TICKER.with(|t| t.borrow().is_none()) {
                TICKER.with(|t| *t.borrow_mut() = Some(crate::dom::Timeout::new(100, tick)));
            }
        }
    }

    fn on_message(lane: usize, generation: u32, data: JsValue) {
        if LANES.with(|l| l.borrow()[lane].generation != generation) {
            return;
        }
        let Ok(message) = serde_wasm_bindgen::from_value::<Message>(data) else {
            return;
        };
        match message {
            Message::Ready => {
                LANES.with(|l| l.borrow_mut()[lane].ready = true);
                pump(lane);
            }
            Message::Progress { id, moved } => {
                LANES.with(|l| {
                    if let Some(b) = l.borrow_mut()[lane].busy.as_mut().filter(|b| b.id == id) {
                        b.progress = moved;
                    }
                });
                tell_progress();
            }
            Message::Part { id, text } => {
                // Read now, one message at a time, so no single task reads the whole run.
                let part = super::read_part(&text);
                LANES.with(|l| {
                    if let (Some(b), Some(part)) = (
                        l.borrow_mut()[lane].busy.as_mut().filter(|b| b.id == id),
                        part,
                    ) {
                        b.parts.push(part);
                    }
                });
            }
            Message::Done { id, answer } => {
                let done = LANES.with(|l| {
                    let busy = &mut l.borrow_mut()[lane].busy;
                    match busy {
                        Some(b) if b.id == id => busy.take(),
                        _ => None,
                    }
                });
                if let Some(b) = done {
                    let kind = b.job.kind();
                    keep(b.job, super::join(answer, b.parts), false);
                    pump(lane);
                    tell_answer(kind);
                }
            }
        }
    }

    pub fn working() -> Vec<Busy> {
        let now = js_sys::Date::now();
        LANES.with(|l| {
            l.borrow()
                .iter()
                .filter_map(|lane| lane.busy.as_ref())
                .filter(|b| now - b.since >= SHOW_AFTER_MS)
                .map(|b| Busy {
                    kind: b.job.kind(),
                    ms: now - b.since,
                    progress: b.progress,
                })
                .collect()
        })
    }

    pub fn stop() {
        let now = js_sys::Date::now();
        let mut stopped = vec![];
        for lane in 0..2 {
            let busy = LANES.with(|l| {
                let mut l = l.borrow_mut();
                let l = &mut l[lane];
                let busy = l.busy.take()?;
                if let Some(w) = l.worker.take() {
                    w.terminate();
                }
                l.ready = false;
                l.handlers.clear();
                // A stopped run takes the runs waiting behind it along; newer checks go on.
                if lane == lane_of(Kind::Run) {
                    l.queued.clear();
                }
                Some(busy)
            });
            if let Some(b) = busy {
                let kind = b.job.kind();
                let answer = b.job.stopped(b.progress, now - b.since);
                // A stopped run, test or formatting is told once: asked again, it is done again.
                keep(
                    b.job,
                    answer,
                    matches!(kind, Kind::Run | Kind::Test | Kind::Format | Kind::System),
                );
                stopped.push(kind);
                // A fresh worker, ready for the next job.
                spawn(lane);
            }
        }
        for kind in stopped {
            tell_answer(kind);
        }
    }
}

/// Numbers jobs sent to workers.
#[cfg(target_arch = "wasm32")]
fn next_request() -> u32 {
    use std::cell::Cell;
    thread_local! {
        static N: Cell<u32> = const { Cell::new(0) };
    }
    N.with(|n| {
        n.set(n.get().wrapping_add(1));
        n.get()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_with_separators() {
        assert_eq!(count(0, "event", "events"), "0 events");
        assert_eq!(count(1, "event", "events"), "1 event");
        assert_eq!(count(12_345, "event", "events"), "12,345 events");
        assert_eq!(count(1_000_000, "item", "items"), "1,000,000 items");
    }

    #[test]
    fn a_stopped_run_says_how_far_it_came_and_keeps_the_work() {
        let ws = crate::workspace::examples_on_disk()[0]
            .workspace
            .clone()
            .unwrap();
        let job = Job::Run {
            ws: ws.clone(),
            callbacks: vec![],
            redrives: 0,
        };
        let Answer::Run(view) = job.stopped(
            Moved {
                events: 12_345,
                iterations: 1_234,
                ..Moved::default()
            },
            3_200.0,
        ) else {
            panic!("a run job answers with a run")
        };
        let Pane::Unavailable(why) = &view.outcome else {
            panic!("a stopped run has no outcome")
        };
        assert!(why.contains("after 3.2 s"), "{why}");
        assert!(why.contains("12,345 history events"), "{why}");
        assert!(why.contains("1,234 Map iterations ended"), "{why}");
        assert_eq!(view.made_from.as_ref(), Some(&ws));
    }

    /// Every answer reads back as it was written (the worker's messages are these values): a
    /// JSONata machine's run, with its traced expressions, state runs and graph.
    #[test]
    fn answers_read_back_as_they_were_written() {
        let list = crate::workspace::examples_on_disk();
        let ws = list
            .iter()
            .find(|e| e.name == "order-fulfilment-jsonata")
            .and_then(|e| e.workspace.clone())
            .unwrap();
        for job in [
            rules_job(&ws),
            Job::Machine(ws.machine_text()),
            Job::Run {
                ws: ws.clone(),
                callbacks: vec![],
                redrives: 0,
            },
        ] {
            let answer = job.work(None);
            if let Answer::Run(run) = &answer {
                assert!(
                    run.runs
                        .iter()
                        .any(|r| !r.inspection.expressions.is_empty())
                );
            }
            let written = serde_json::to_value(&answer).unwrap();
            let read: Answer = serde_json::from_value(written).unwrap();
            assert_eq!(read, answer);
            let request = serde_json::to_value(Request {
                id: 7,
                job: job.clone(),
            })
            .unwrap();
            assert_eq!(serde_json::from_value::<Request>(request).unwrap().job, job);
        }
    }

    /// The mocks check, a formatting and a TestState request done by the worker answer as
    /// they do in place, and read back as they were written.
    #[test]
    fn checks_tests_and_formatting_cross_as_they_are() {
        let ws = crate::workspace::examples_on_disk()[0]
            .workspace
            .clone()
            .unwrap();
        let texts: Vec<&str> = ws.machines.iter().map(|m| m.text.as_str()).collect();
        let Answer::Mocks(diags) = mocks_job(&ws).work(None) else {
            panic!("a mocks job answers with the mocks' problems")
        };
        assert_eq!(*diags, evaluate::check_mocks(&ws.mocks, &texts, &ws.rules));
        let long = format!("{{\"items\": [{}]}}", vec!["1"; 40_000].join(","));
        assert!(long.len() >= FORMAT_HERE_BYTES);
        let Answer::Format(Ok(formatted)) = Job::Format(Source::Event, long.clone()).work(None)
        else {
            panic!("valid JSON formats")
        };
        assert_eq!(Ok(formatted), evaluate::format(Source::Event, &long));
        let request = serde_json::json!({
            "definition": r#"{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"a": 1}, "ResultPath": "$.r", "Next": "Q"}, "Q": {"Type": "Succeed"}}}"#,
            "stateName": "P", "input": "{\"x\": 2}", "inspectionLevel": "DEBUG"
        });
        let job = Job::Test(request);
        let answer = job.work(None);
        let Answer::Test(t) = &answer else {
            panic!("a test job answers with TestState's answer")
        };
        let t = t.as_ref().as_ref().unwrap();
        assert_eq!(t.status, "SUCCEEDED");
        assert_eq!(t.next_state.as_deref(), Some("Q"));
        assert_eq!(t.output, Some(serde_json::json!({"x": 2, "r": {"a": 1}})));
        let written = serde_json::to_value(&answer).unwrap();
        assert_eq!(serde_json::from_value::<Answer>(written).unwrap(), answer);
        let Answer::Test(stopped) = job.stopped(Moved::default(), 1500.0) else {
            panic!("a stopped test is a test's answer")
        };
        assert!(
            stopped
                .as_ref()
                .as_ref()
                .is_err_and(|e| e.contains("after 1.5 s"))
        );
    }

    /// A big machine's drawing crosses in parts (its boxes and edges, each about
    /// `PART_BYTES`) and reads back whole; a small one crosses whole, in one message.
    #[test]
    fn a_big_drawing_crosses_in_parts_and_reads_back_whole() {
        let chain = |n: usize| statebridge_engine::layout::chain_machine(n).to_string();
        let answer = Job::Machine(chain(1500).into()).work(None);
        let (head, texts) = split(answer.clone());
        assert!(texts.len() > 3, "{} parts", texts.len());
        assert!(texts.iter().all(|t| t.len() < PART_BYTES + 64 * 1024));
        let Answer::Machine(h) = &head else {
            panic!("a machine job answers with a machine")
        };
        let l = h.layout.as_ref().unwrap();
        assert!(l.nodes.is_empty() && l.edges.is_empty());
        let parts: Vec<Part> = texts.iter().filter_map(|t| read_part(t)).collect();
        assert_eq!(parts.len(), texts.len());
        assert_eq!(join(head, parts), answer);
        let small = Job::Machine(chain(20).into()).work(None);
        let (head, texts) = split(small.clone());
        assert!(texts.is_empty());
        assert_eq!(head, small);
    }

    /// A long run crosses in parts (each about `PART_BYTES`) and reads back whole.
    #[test]
    fn a_long_run_crosses_in_parts_and_reads_back_whole() {
        let mut ws = crate::workspace::examples_on_disk()[0]
            .workspace
            .clone()
            .unwrap();
        ws.current_mut().text = serde_json::json!({
            "StartAt": "Items",
            "States": {"Items": {"Type": "Map", "ItemsPath": "$.items", "End": true,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}
        })
        .to_string()
        .into();
        ws.event = serde_json::json!({"items": (0..3000).collect::<Vec<_>>()})
            .to_string()
            .into();
        ws.rules = "[]".into();
        let answer = Job::Run {
            ws,
            callbacks: vec![],
            redrives: 0,
        }
        .work(None);
        let (head, texts) = split(answer.clone());
        assert!(texts.len() > 3, "{} parts", texts.len());
        assert!(texts.iter().all(|t| t.len() < PART_BYTES + 64 * 1024));
        let Answer::Run(h) = &head else {
            panic!("a run job answers with a run")
        };
        assert!(h.history.is_empty() && h.runs.is_empty() && h.replay.steps.is_empty());
        let parts: Vec<Part> = texts.iter().filter_map(|t| read_part(t)).collect();
        assert_eq!(parts.len(), texts.len());
        let Answer::Run(whole) = &answer else {
            panic!("a run job answers with a run")
        };
        assert!(whole.history.len() > 9000, "{}", whole.history.len());
        assert_eq!(join(head, parts), answer);
    }

    /// A system run's answer crosses as a head and parts (its events, deliveries and
    /// executions) and reads back whole, equal to the run made in place; a stopped one says how
    /// far it came.
    #[test]
    fn a_system_run_crosses_in_parts_and_reads_back_whole() {
        let list = crate::workspace::examples_on_disk();
        let ws = list
            .iter()
            .find(|e| e.name == "system-orders")
            .and_then(|e| e.workspace.clone())
            .unwrap();
        let job = Job::System {
            ws: ws.clone(),
            window: ws.window(),
            replay: Some((0, 4_102_444_800_000)),
        };
        let told = Rc::new(std::cell::Cell::new(Moved::default()));
        let t = told.clone();
        let answer = job.work(Some(Rc::new(move |m: Moved| t.set(m))));
        let Answer::System(view) = &answer else {
            panic!("a system job answers with a system run")
        };
        let Pane::Ready(report) = &**view else {
            panic!("the example runs")
        };
        assert!(report.executions.len() >= 3);
        assert_eq!(told.get().bus, report.events.len() as u64);
        assert_eq!(told.get().executions, report.executions.len() as u64);
        let (head, texts) = split(answer.clone());
        assert_eq!(texts.len(), 3, "events, deliveries and executions");
        let Answer::System(h) = &head else {
            panic!("the head is a system run")
        };
        assert!(matches!(&**h, Pane::Ready(r) if r.events.is_empty() && r.executions.is_empty()));
        let parts: Vec<Part> = texts.iter().filter_map(|t| read_part(t)).collect();
        assert_eq!(parts.len(), texts.len());
        let read = join(head, parts);
        assert_eq!(read, answer);
        let written = serde_json::to_value(&read).unwrap();
        assert_eq!(serde_json::from_value::<Answer>(written).unwrap(), answer);
        let Answer::System(stopped) = job.stopped(
            Moved {
                bus: 1,
                executions: 0,
                events: 4_321,
                ..Moved::default()
            },
            2_500.0,
        ) else {
            panic!("a stopped system run is a system run's answer")
        };
        let Pane::Unavailable(why) = &*stopped else {
            panic!("a stopped system run has no report")
        };
        assert!(
            why.contains("after 2.5 s, with 1 event on the buses and 0 executions ended"),
            "{why}"
        );
    }

    /// The events × rules table crosses as the worker writes it (a byte per verdict, each
    /// kind of event once), the worker keeps the verdicts for a picked cell's reasons (the
    /// engine's own), a problem in the events says where, and a stopped check says so.
    #[test]
    fn the_events_matrix_crosses_and_a_picked_cell_is_explained() {
        let rules: Text = r#"{"Rules": [{"Name": "big", "EventPattern": {"detail": {"total": [{"numeric": [">", 100]}]}}},
            {"Name": "orders", "EventBusName": "orders", "EventPattern": {"source": ["a"]}}]}"#
            .into();
        let events: Text = "{\"source\": \"a\", \"detail\": {\"total\": 500}}\n{\"source\": \"b\", \"detail-type\": \"T\", \"detail\": {\"total\": 5}}\n{\"source\": \"a\", \"detail\": {\"total\": 7}}".into();
        let job = Job::Matrix {
            events: events.clone(),
            rules: rules.clone(),
        };
        let answer = job.work(None);
        let Answer::Matrix(m) = &answer else {
            panic!("a matrix job answers with a table")
        };
        let v = m.as_ref().as_ref().unwrap();
        assert_eq!(v.hits, "100000");
        assert_eq!(v.totals, [1, 0]);
        assert_eq!(
            (v.lines.as_slice(), v.kind_of.as_slice()),
            (&[1, 2, 3][..], &[0, 1, 0][..])
        );
        assert_eq!(v.kinds.len(), 2);
        let (line, kind) = v.row(1).unwrap();
        assert_eq!(
            (
                line,
                kind.source.as_str(),
                kind.detail_type.as_str(),
                kind.bus()
            ),
            (2, "b", "T", "default")
        );
        assert!(v.matched(0, 0) && !v.matched(0, 1) && !v.any(2) && !v.matched(5, 0));
        let written = serde_json::to_value(&answer).unwrap();
        assert_eq!(serde_json::from_value::<Answer>(written).unwrap(), answer);
        let cell = |rule, event| {
            let Answer::MatrixCell(c) = (Job::MatrixCell {
                events: events.clone(),
                rules: rules.clone(),
                rule,
                event,
            })
            .work(None) else {
                panic!("a cell job answers with a cell")
            };
            c
        };
        let miss = cell(0, 1).unwrap();
        assert!(!miss.matched);
        assert_eq!(
            miss.reasons,
            ["`detail.total` is 5; the pattern wants a number > 100"]
        );
        assert!(cell(1, 0).unwrap().reasons[0].contains("bus `default`, the rule on `orders`"));
        assert_eq!(
            cell(0, 0).unwrap(),
            crate::artifacts::MatrixCell {
                matched: true,
                reasons: vec![]
            }
        );
        assert_eq!(cell(2, 0), None);
        let Answer::Matrix(bad) = (Job::Matrix {
            events: "{}\n{\"source\": ".into(),
            rules,
        })
        .work(None) else {
            panic!("a matrix job answers with a table")
        };
        let problem = bad.as_ref().as_ref().unwrap_err();
        assert_eq!(problem.at.as_ref().map(|a| a.0), Some(2), "{problem:?}");
        assert!(
            problem.message.starts_with("Sample events:"),
            "{}",
            problem.message
        );
        let Answer::Matrix(stopped) = job.stopped(Moved::default(), 1_500.0) else {
            panic!("a stopped check is a table's answer")
        };
        assert!(
            stopped
                .as_ref()
                .as_ref()
                .is_err_and(|e| e.message.contains("after 1.5 s"))
        );
    }

    #[test]
    fn a_run_done_by_the_worker_is_the_run_done_in_place() {
        let ws = crate::workspace::examples_on_disk()[0]
            .workspace
            .clone()
            .unwrap();
        let rules = evaluate::evaluate_rules(
            &ws.event,
            &ws.rules,
            &ws.machines
                .iter()
                .map(|m| m.name.as_str())
                .collect::<Vec<_>>(),
            ws.machine_name(),
        );
        let here = execution::run(&ws, &rules, &[], 0);
        let Answer::Run(there) = (Job::Run {
            ws,
            callbacks: vec![],
            redrives: 0,
        })
        .work(None) else {
            panic!("a run job answers with a run")
        };
        assert_eq!(*there, here);
    }
}
