//! The "From AWS" pane: what people bring from their account. Three parts behind tabs: a pasted
//! `get-execution-history` replayed on the graph (the scrubber, history and inspector then work
//! on the real execution), a SAM/CloudFormation template imported into the workspace (Undo puts
//! the old one back) or the workspace exported as one, and many sample events against the rules
//! (`events_matrix.rs`: an events × rules table with each miss's reasons). The engine reads all
//! three (`crate::artifacts`); each part has an example to load from `artifacts/` beside the page.
//! The pasted texts belong to the workspace (`Workspace::aws`), so links and the autosave keep them.

use crate::artifacts::{self, HistoryRun, Imported};
use crate::components::editor::Editor;
use crate::components::events_matrix::MatrixPart;
use crate::highlight::Mark;
use crate::workspace::{AwsText, Workspace};
use statebridge_engine::artifacts::ArtifactError;
use std::rc::Rc;
use yew::prelude::*;

/// The three parts of the pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// Replay a history.
    History,
    /// Import or export a template.
    Template,
    /// Events × rules.
    Matrix,
}

const PARTS: [(Part, &str, &str); 3] = [
    (Part::History, "aws-part-history", "Replay a history"),
    (Part::Template, "aws-part-template", "Template"),
    (Part::Matrix, "aws-part-matrix", "Events × rules"),
];

/// Props of [`AwsPane`].
#[derive(Properties, PartialEq)]
pub struct AwsProps {
    /// The workspace (the machine a history without a definition replays on, the rules the events
    /// meet, what Export writes, and the pasted texts).
    pub ws: Workspace,
    /// A history was read: show it on the graph.
    pub on_history: Callback<HistoryRun>,
    /// A template was read: it replaces the workspace's rules and machines.
    pub on_import: Callback<Imported>,
    /// A pasted text changed.
    pub on_text: Callback<(AwsText, String)>,
}

/// Fetches an example file from `artifacts/` beside the page into the text `on_text` sets.
pub fn load_example(
    file: &'static str,
    on_text: Callback<String>,
    problem: UseStateHandle<Option<String>>,
) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let (on_text, problem) = (on_text.clone(), problem.clone());
        crate::fetch::text(&format!("artifacts/{file}"), move |r| match r {
            Ok(t) => {
                problem.set(None);
                on_text.emit(t);
            }
            Err(why) => problem.set(Some(format!("Could not load the example: {why}."))),
        });
    })
}

/// Formats the text as JSON when it is JSON (a YAML template stays as written).
pub fn format_json(text: AttrValue, on_text: Callback<String>) -> Callback<()> {
    Callback::from(move |()| {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            on_text.emit(crate::evaluate::pretty(&v));
        }
    })
}

/// The "From AWS" pane.
#[component]
pub fn AwsPane(p: &AwsProps) -> Html {
    let part = use_state(|| Part::History);
    let tabs = html! {
        <div class="aws-parts" role="tablist" aria-label="What to bring from AWS">
            { for PARTS.iter().map(|&(which, testid, label)| {
                let on = *part == which;
                let part = part.clone();
                html! {
                    <button role="tab" class={classes!("aws-part", on.then_some("on"))} data-testid={testid}
                            aria-selected={on.to_string()} onclick={Callback::from(move |_| part.set(which))}>
                        { label }
                    </button>
                }
            }) }
        </div>
    };
    let text = |which: AwsText| {
        let t = match which {
            AwsText::History => &p.ws.aws.history,
            AwsText::Template => &p.ws.aws.template,
            AwsText::Events => &p.ws.aws.events,
        };
        AttrValue::from(t.clone())
    };
    let on_text = |which: AwsText| p.on_text.reform(move |t: String| (which, t));
    html! {
        <section class="pane aws" aria-label="From AWS" data-testid="aws">
            <header class="pane-head">
                <h2>{ "From AWS" }</h2>
                <span class="hint">{ "bring a real execution, a template or sample events" }</span>
            </header>
            { tabs }
            <div class="aws-body">
                <div class="aws-part-body" hidden={*part != Part::History}>
                    <HistoryPart ws={p.ws.clone()} text={text(AwsText::History)} on_text={on_text(AwsText::History)}
                        on_history={p.on_history.clone()} />
                </div>
                <div class="aws-part-body" hidden={*part != Part::Template}>
                    <TemplatePart ws={p.ws.clone()} text={text(AwsText::Template)} on_text={on_text(AwsText::Template)}
                        on_import={p.on_import.clone()} />
                </div>
                <div class="aws-part-body" hidden={*part != Part::Matrix}>
                    <MatrixPart rules={p.ws.rules.clone()} text={p.ws.aws.events.clone()}
                        on_text={on_text(AwsText::Events)} />
                </div>
            </div>
        </section>
    }
}

/// What the history and template parts share: the problem with the pasted text (in words, and
/// as a mark in its editor) and what was read from it.
struct Reading<T: 'static> {
    problem: UseStateHandle<Option<String>>,
    marks: UseStateHandle<Rc<Vec<Mark>>>,
    read: UseStateHandle<Option<T>>,
}

#[hook]
fn use_reading<T: 'static>() -> Reading<T> {
    Reading {
        problem: use_state(|| None),
        marks: use_state(|| Rc::new(Vec::new())),
        read: use_state(|| None),
    }
}

impl<T: 'static> Reading<T> {
    /// A button's action: reads `text` with `read`; on success keeps `keep` of it and hands
    /// it to `then`, else says what is wrong and marks where.
    fn on_press<R: 'static>(
        &self,
        text: AttrValue,
        read: impl Fn(&str) -> Result<R, ArtifactError> + 'static,
        keep: impl Fn(&R) -> T + 'static,
        then: Callback<R>,
    ) -> Callback<MouseEvent> {
        let (problem, marks, done) = (self.problem.clone(), self.marks.clone(), self.read.clone());
        Callback::from(move |_| match read(&text) {
            Ok(r) => {
                problem.set(None);
                marks.set(Rc::default());
                done.set(Some(keep(&r)));
                then.emit(r);
            }
            Err(e) => {
                problem.set(Some(e.to_string()));
                marks.set(Rc::new(vec![artifacts::mark(&e)]));
                done.set(None);
            }
        })
    }

    /// The editor's input: the text goes to `on_text`, and an edit clears the old mark.
    fn on_input(&self, on_text: &Callback<String>) -> Callback<String> {
        let (marks, on_text) = (self.marks.clone(), on_text.clone());
        Callback::from(move |t: String| {
            on_text.emit(t);
            if !marks.is_empty() {
                marks.set(Rc::default());
            }
        })
    }

    /// The problem, if any, under the buttons.
    fn problem_view(&self) -> Html {
        match &*self.problem {
            Some(why) => {
                html! { <p class="aws-problem" role="alert" data-testid="aws-problem">{ why.clone() }</p> }
            }
            None => Html::default(),
        }
    }
}

/// Props of the history and template parts.
#[derive(Properties, PartialEq)]
struct HistoryProps {
    ws: Workspace,
    text: AttrValue,
    on_text: Callback<String>,
    on_history: Callback<HistoryRun>,
}

#[component]
fn HistoryPart(p: &HistoryProps) -> Html {
    let r = use_reading::<(String, Vec<String>, usize)>();
    let replay = {
        let ws = p.ws.clone();
        r.on_press(
            p.text.clone(),
            move |t| artifacts::history_run(t, &ws),
            |h| {
                (
                    h.definition_from.clone(),
                    h.warnings.clone(),
                    h.run.replay.len(),
                )
            },
            p.on_history.clone(),
        )
    };
    html! {
        <>
            <p class="aws-intro">
                { "Paste the output of " }<code>{ "aws stepfunctions get-execution-history --execution-arn …" }</code>
                { " (every page, in any order). Add " }<code>{ "describe-state-machine" }</code>
                { " output to replay on the machine that ran; otherwise the machine in the editor is used." }
            </p>
            <div class="aws-editor">
                <Editor testid="aws-history" title="Execution history" hint="get-execution-history output" value={p.text.clone()}
                    marks={(*r.marks).clone()} on_input={r.on_input(&p.on_text)} on_format={format_json(p.text.clone(), p.on_text.clone())} />
            </div>
            <div class="aws-actions">
                <button class="btn primary" data-testid="aws-replay" onclick={replay} disabled={p.text.trim().is_empty()}>{ "Replay on the graph" }</button>
                <button class="btn" data-testid="aws-history-example" onclick={load_example("history.json", p.on_text.clone(), r.problem.clone())}>{ "Load an example history" }</button>
            </div>
            { r.problem_view() }
            if let Some((from, warnings, len)) = &*r.read {
                <div class="aws-summary" role="status" data-testid="aws-history-summary">
                    <p>{ format!("Replaying {len} events on {from}. Scrub with the slider under the graph; pick a state to inspect it.") }</p>
                    if !warnings.is_empty() {
                        <ul class="aws-notes">{ for warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }</ul>
                    }
                </div>
            }
        </>
    }
}

/// Props of the template part.
#[derive(Properties, PartialEq)]
struct TemplateProps {
    ws: Workspace,
    text: AttrValue,
    on_text: Callback<String>,
    on_import: Callback<Imported>,
}

#[component]
fn TemplatePart(p: &TemplateProps) -> Html {
    let r = use_reading::<Imported>();
    let exported = use_state(|| None::<(bool, Result<String, String>)>);
    let import = {
        let ws = p.ws.clone();
        r.on_press(
            p.text.clone(),
            move |t| artifacts::import_template(t, &ws),
            Imported::clone,
            p.on_import.clone(),
        )
    };
    let export = |yaml: bool| {
        let (exported, ws) = (exported.clone(), p.ws.clone());
        Callback::from(move |_| exported.set(Some((yaml, artifacts::export_template(&ws, yaml)))))
    };
    html! {
        <>
            <p class="aws-intro">
                { "Paste a SAM or CloudFormation template (YAML or JSON). Its " }<code>{ "AWS::Events::Rule" }</code>{ "s and state machines replace the workspace's rules and machines; the event and mocks stay. Undo puts your work back." }
            </p>
            <div class="aws-editor">
                <Editor testid="aws-template" title="Template" hint="template.yaml or template.json" value={p.text.clone()}
                    marks={(*r.marks).clone()} on_input={r.on_input(&p.on_text)} on_format={format_json(p.text.clone(), p.on_text.clone())} />
            </div>
            <div class="aws-actions">
                <button class="btn primary" data-testid="aws-import" onclick={import} disabled={p.text.trim().is_empty()}>{ "Import into the workspace" }</button>
                <button class="btn" data-testid="aws-template-example" onclick={load_example("template.yaml", p.on_text.clone(), r.problem.clone())}>{ "Load an example template" }</button>
            </div>
            { r.problem_view() }
            if let Some(i) = &*r.read {
                <div class="aws-summary" role="status" data-testid="aws-import-summary">
                    <p>{ format!("Imported {} and {}.", count(i.rules.len(), "rule", "rules"), count(i.machines.len(), "state machine", "state machines")) }</p>
                    <dl class="aws-list">
                        <dt>{ "Rules" }</dt><dd>{ list(&i.rules) }</dd>
                        <dt>{ "Machines" }</dt><dd>{ list(&i.machines) }</dd>
                        if !i.buses.is_empty() { <dt>{ "Buses" }</dt><dd>{ list(&i.buses) }</dd> }
                    </dl>
                    if !i.notes.is_empty() {
                        <p class="muted">{ "Left out or guessed:" }</p>
                        <ul class="aws-notes">{ for i.notes.iter().map(|n| html! { <li>{ n.clone() }</li> }) }</ul>
                    }
                </div>
            }
            <h3 class="aws-sub">{ "Export the workspace as a template" }</h3>
            <div class="aws-actions">
                <button class="btn" data-testid="aws-export-json" onclick={export(false)}>{ "Export as JSON" }</button>
                <button class="btn" data-testid="aws-export-yaml" onclick={export(true)}>{ "Export as YAML" }</button>
            </div>
            { export_view(exported.as_ref().map(|(y, r)| (*y, r))) }
        </>
    }
}

pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

fn export_view(exported: Option<(bool, &Result<String, String>)>) -> Html {
    match exported {
        None => Html::default(),
        Some((_, Err(why))) => {
            html! { <p class="aws-problem" role="alert" data-testid="aws-export-problem">{ why.clone() }</p> }
        }
        Some((yaml, Ok(text))) => {
            let (name, mime) = if yaml {
                ("template.yaml", "application/yaml")
            } else {
                ("template.json", "application/json")
            };
            let copy = {
                let text = text.clone();
                Callback::from(move |_| crate::dom::copy(&text))
            };
            let download = {
                let text = text.clone();
                Callback::from(move |_| crate::dom::save_text(name, mime, &text))
            };
            html! {
                <div class="aws-export">
                    <div class="aws-export-head">
                        <span class="badge info">{ if yaml { "YAML" } else { "JSON" } }</span>
                        <span class="muted">{ format!("{} lines", text.lines().count()) }</span>
                        <span class="grow"></span>
                        <button class="btn small" data-testid="aws-export-copy" onclick={copy}>{ "Copy" }</button>
                        <button class="btn small" data-testid="aws-export-download" onclick={download}>{ format!("Download {name}") }</button>
                    </div>
                    <pre class="json aws-export-text" data-testid="aws-export-text" data-format={if yaml { "yaml" } else { "json" }}>{ text.clone() }</pre>
                </div>
            }
        }
    }
}
