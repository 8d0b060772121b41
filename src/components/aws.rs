//! The "From AWS" pane: what people bring from their account. Three parts behind tabs: a pasted
//! `get-execution-history` replayed on the graph (the scrubber, history and inspector then work
//! on the real execution), a SAM/CloudFormation template imported into the workspace (Undo puts
//! the old one back) or the workspace exported as one, and many sample events against the rules
//! (a rules × events table with each miss's reasons). The engine reads all three
//! (`crate::artifacts`); each part has an example to load from `artifacts/` beside the page.

use crate::artifacts::{self, HistoryRun, Imported};
use crate::components::editor::Editor;
use crate::highlight::Mark;
use crate::workspace::Workspace;
use statebridge_engine::artifacts::matrix::Matrix;
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
    /// meet, what Export writes).
    pub ws: Workspace,
    /// A history was read: show it on the graph.
    pub on_history: Callback<HistoryRun>,
    /// A template was read: it replaces the workspace's rules and machines.
    pub on_import: Callback<Imported>,
}

/// Fetches an example file from `artifacts/` beside the page into `into`.
fn load_example(
    file: &'static str,
    into: UseStateHandle<String>,
    problem: UseStateHandle<Option<String>>,
) -> Callback<MouseEvent> {
    Callback::from(move |_| {
        let (into, problem) = (into.clone(), problem.clone());
        crate::fetch::text(&format!("artifacts/{file}"), move |r| match r {
            Ok(t) => {
                problem.set(None);
                into.set(t);
            }
            Err(why) => problem.set(Some(format!("Could not load the example: {why}."))),
        });
    })
}

/// Formats the text as JSON when it is JSON (a YAML template stays as written).
fn format_json(text: UseStateHandle<String>) -> Callback<()> {
    Callback::from(move |()| {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            text.set(crate::evaluate::pretty(&v));
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
    html! {
        <section class="pane aws" aria-label="From AWS" data-testid="aws">
            <header class="pane-head">
                <h2>{ "From AWS" }</h2>
                <span class="hint">{ "bring a real execution, a template or sample events" }</span>
            </header>
            { tabs }
            <div class="aws-body">
                <div class="aws-part-body" hidden={*part != Part::History}>
                    <HistoryPart ws={p.ws.clone()} on_history={p.on_history.clone()} />
                </div>
                <div class="aws-part-body" hidden={*part != Part::Template}>
                    <TemplatePart ws={p.ws.clone()} on_import={p.on_import.clone()} />
                </div>
                <div class="aws-part-body" hidden={*part != Part::Matrix}>
                    <MatrixPart rules={AttrValue::from(p.ws.rules.clone())} />
                </div>
            </div>
        </section>
    }
}

/// Props of the history part.
#[derive(Properties, PartialEq)]
struct HistoryProps {
    ws: Workspace,
    on_history: Callback<HistoryRun>,
}

#[component]
fn HistoryPart(p: &HistoryProps) -> Html {
    let text = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let marks = use_state(|| Rc::new(Vec::<Mark>::new()));
    let shown = use_state(|| None::<(String, Vec<String>, usize)>);
    let replay = {
        let (text, problem, marks, shown, ws, cb) = (
            text.clone(),
            problem.clone(),
            marks.clone(),
            shown.clone(),
            p.ws.clone(),
            p.on_history.clone(),
        );
        Callback::from(move |_| match artifacts::history_run(&text, &ws) {
            Ok(h) => {
                problem.set(None);
                marks.set(Rc::default());
                shown.set(Some((
                    h.definition_from.clone(),
                    h.warnings.clone(),
                    h.run.replay.len(),
                )));
                cb.emit(h);
            }
            Err(e) => {
                problem.set(Some(e.to_string()));
                marks.set(Rc::new(vec![artifacts::mark(&e)]));
                shown.set(None);
            }
        })
    };
    let on_input = {
        let (text, marks) = (text.clone(), marks.clone());
        Callback::from(move |t: String| {
            text.set(t);
            if !marks.is_empty() {
                marks.set(Rc::default());
            }
        })
    };
    html! {
        <>
            <p class="aws-intro">
                { "Paste the output of " }<code>{ "aws stepfunctions get-execution-history --execution-arn …" }</code>
                { " (every page, in any order). Add " }<code>{ "describe-state-machine" }</code>
                { " output to replay on the machine that ran; otherwise the machine in the editor is used." }
            </p>
            <div class="aws-editor">
                <Editor testid="aws-history" title="Execution history" hint="get-execution-history output" value={AttrValue::from((*text).clone())}
                    marks={(*marks).clone()} on_input={on_input} on_format={format_json(text.clone())} />
            </div>
            <div class="aws-actions">
                <button class="btn primary" data-testid="aws-replay" onclick={replay} disabled={text.trim().is_empty()}>{ "Replay on the graph" }</button>
                <button class="btn" data-testid="aws-history-example" onclick={load_example("history.json", text.clone(), problem.clone())}>{ "Load an example history" }</button>
            </div>
            if let Some(why) = &*problem {
                <p class="aws-problem" role="alert" data-testid="aws-problem">{ why.clone() }</p>
            }
            if let Some((from, warnings, len)) = &*shown {
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
    on_import: Callback<Imported>,
}

#[component]
fn TemplatePart(p: &TemplateProps) -> Html {
    let text = use_state(String::new);
    let problem = use_state(|| None::<String>);
    let marks = use_state(|| Rc::new(Vec::<Mark>::new()));
    let imported = use_state(|| None::<Imported>);
    let exported = use_state(|| None::<(bool, Result<String, String>)>);
    let import = {
        let (text, problem, marks, imported, ws, cb) = (
            text.clone(),
            problem.clone(),
            marks.clone(),
            imported.clone(),
            p.ws.clone(),
            p.on_import.clone(),
        );
        Callback::from(move |_| match artifacts::import_template(&text, &ws) {
            Ok(i) => {
                problem.set(None);
                marks.set(Rc::default());
                imported.set(Some(i.clone()));
                cb.emit(i);
            }
            Err(e) => {
                problem.set(Some(e.to_string()));
                marks.set(Rc::new(vec![artifacts::mark(&e)]));
                imported.set(None);
            }
        })
    };
    let export = |yaml: bool| {
        let (exported, ws) = (exported.clone(), p.ws.clone());
        Callback::from(move |_| exported.set(Some((yaml, artifacts::export_template(&ws, yaml)))))
    };
    let on_input = {
        let (text, marks) = (text.clone(), marks.clone());
        Callback::from(move |t: String| {
            text.set(t);
            if !marks.is_empty() {
                marks.set(Rc::default());
            }
        })
    };
    html! {
        <>
            <p class="aws-intro">
                { "Paste a SAM or CloudFormation template (YAML or JSON). Its " }<code>{ "AWS::Events::Rule" }</code>{ "s and state machines replace the workspace's rules and machines; the event and mocks stay. Undo puts your work back." }
            </p>
            <div class="aws-editor">
                <Editor testid="aws-template" title="Template" hint="template.yaml or template.json" value={AttrValue::from((*text).clone())}
                    colour={text.trim_start().starts_with('{')}
                    marks={(*marks).clone()} on_input={on_input} on_format={format_json(text.clone())} />
            </div>
            <div class="aws-actions">
                <button class="btn primary" data-testid="aws-import" onclick={import} disabled={text.trim().is_empty()}>{ "Import into the workspace" }</button>
                <button class="btn" data-testid="aws-template-example" onclick={load_example("template.yaml", text.clone(), problem.clone())}>{ "Load an example template" }</button>
            </div>
            if let Some(why) = &*problem {
                <p class="aws-problem" role="alert" data-testid="aws-problem">{ why.clone() }</p>
            }
            if let Some(i) = &*imported {
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

fn count(n: usize, one: &str, many: &str) -> String {
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

/// Props of the matrix part.
#[derive(Properties, PartialEq)]
struct MatrixProps {
    rules: AttrValue,
}

#[component]
fn MatrixPart(p: &MatrixProps) -> Html {
    let text = use_state(String::new);
    let problem = use_state(|| None::<String>);
    // The events checked (the table follows the rules as they are edited).
    let checked = use_state(|| None::<String>);
    let picked = use_state(|| None::<(usize, usize)>);
    let result = use_memo(((*checked).clone(), p.rules.clone()), |(events, rules)| {
        events.as_ref().map(|e| artifacts::events_matrix(e, rules))
    });
    let marks = match &*result {
        Some(Err(Ok(e))) => Rc::new(vec![artifacts::mark(e)]),
        _ => Rc::default(),
    };
    let check = {
        let (text, checked, picked) = (text.clone(), checked.clone(), picked.clone());
        Callback::from(move |_| {
            picked.set(None);
            checked.set(Some((*text).clone()));
        })
    };
    let on_input = {
        let text = text.clone();
        Callback::from(move |t: String| text.set(t))
    };
    html! {
        <>
            <p class="aws-intro">
                { "Paste sample events — a JSON list, one per line (JSON Lines), or PutEvents entries as the CLI takes them — and see which of the workspace's rules match each one, and why not." }
            </p>
            <div class="aws-editor">
                <Editor testid="aws-events" title="Sample events" hint="a list, JSON Lines or PutEvents entries" value={AttrValue::from((*text).clone())}
                    marks={marks} on_input={on_input} on_format={format_json(text.clone())} />
            </div>
            <div class="aws-actions">
                <button class="btn primary" data-testid="aws-matrix-run" onclick={check} disabled={text.trim().is_empty()}>{ "Check every event against the rules" }</button>
                <button class="btn" data-testid="aws-events-example" onclick={load_example("events.jsonl", text.clone(), problem.clone())}>{ "Load example events" }</button>
            </div>
            if let Some(why) = &*problem {
                <p class="aws-problem" role="alert" data-testid="aws-problem">{ why.clone() }</p>
            }
            { match &*result {
                None => Html::default(),
                Some(Err(Ok(e))) => html! { <p class="aws-problem" role="alert" data-testid="aws-matrix-problem">{ format!("Sample events: {e}") }</p> },
                Some(Err(Err(why))) => html! { <p class="aws-problem" role="alert" data-testid="aws-matrix-problem">{ why.clone() }</p> },
                Some(Ok(m)) => matrix_view(m, *picked, &picked),
            } }
        </>
    }
}

fn matrix_view(
    m: &Matrix,
    picked: Option<(usize, usize)>,
    pick: &UseStateHandle<Option<(usize, usize)>>,
) -> Html {
    if m.rules.is_empty() {
        return html! { <p class="aws-problem" data-testid="aws-matrix-problem">{ "The workspace has no rules: add some in the Rules editor, or import a template." }</p> };
    }
    let unmatched: Vec<usize> = (0..m.events.len())
        .filter(|&e| !m.cells.iter().any(|r| r[e].matched))
        .collect();
    let summary = format!(
        "{} × {}: {}.",
        count(m.rules.len(), "rule", "rules"),
        count(m.events.len(), "event", "events"),
        match unmatched.len() {
            0 => "every event matches at least one rule".to_owned(),
            n => format!(
                "{} no rule matches ({})",
                count(n, "event", "events"),
                unmatched
                    .iter()
                    .map(|e| format!("#{}", e + 1))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    );
    let detail = picked.and_then(|(r, e)| {
        Some((
            m.rules.get(r)?,
            m.events.get(e)?,
            m.cells.get(r)?.get(e)?,
            e,
        ))
    });
    html! {
        <div class="matrix-block" data-testid="aws-matrix">
            <p class="aws-summary-line" role="status">{ summary }</p>
            <div class="matrix-scroll" tabindex="0" aria-label="Rules against events">
                <table class="matrix">
                    <thead>
                        <tr>
                            <th class="corner" scope="col">{ "Rule ╲ event" }</th>
                            { for m.events.iter().enumerate().map(|(e, ev)| html! {
                                <th scope="col" class={classes!(unmatched.contains(&e).then_some("lonely"))} title={format!("Event #{} (line {}), bus {}: {}", e + 1, ev.line, ev.bus, ev.label)}>
                                    <span class="ev-no">{ format!("#{}", e + 1) }</span>
                                    <span class="ev-type">{ ev.event.get("detail-type").and_then(|t| t.as_str()).unwrap_or("?").to_owned() }</span>
                                    <span class="ev-source">{ ev.event.get("source").and_then(|t| t.as_str()).unwrap_or("?").to_owned() }</span>
                                </th>
                            }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for m.rules.iter().enumerate().map(|(r, rule)| html! {
                            <tr>
                                <th scope="row" title={rule.problem.clone().unwrap_or_else(|| format!("bus {}", rule.bus))}>
                                    <span class="rule-name">{ rule.name.clone() }</span>
                                    if rule.bus != "default" { <span class="rule-bus">{ rule.bus.clone() }</span> }
                                    if rule.problem.is_some() { <span class="badge warn">{ "no pattern" }</span> }
                                </th>
                                { for m.cells[r].iter().enumerate().map(|(e, c)| {
                                    let on = picked == Some((r, e));
                                    let pick = pick.clone();
                                    let title = if c.matched { "matches".to_owned() } else { c.reasons.join("\n") };
                                    html! {
                                        <td class={classes!(if c.matched { "yes" } else { "no" }, on.then_some("picked"))}>
                                            <button class="cell" data-testid="matrix-cell" data-rule={rule.name.clone()} data-event={e.to_string()}
                                                    data-matched={c.matched.to_string()} aria-pressed={on.to_string()} title={title}
                                                    aria-label={format!("{} × event #{}: {}", rule.name, e + 1, if c.matched { "matches" } else { "does not match" })}
                                                    onclick={Callback::from(move |_| pick.set(if on { None } else { Some((r, e)) }))}>
                                                { if c.matched { "✓ match" } else { "✕ no" } }
                                            </button>
                                        </td>
                                    }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            if let Some((rule, ev, cell, e)) = detail {
                <div class="matrix-detail" data-testid="matrix-detail">
                    <p><strong>{ rule.name.clone() }</strong>{ format!(" × event #{} ({}, line {}): ", e + 1, ev.label, ev.line) }
                        if cell.matched { <span class="badge ok">{ "✓ matches" }</span> } else { <span class="badge bad">{ "✕ does not match" }</span> }
                    </p>
                    if !cell.matched { <ul class="aws-notes">{ for cell.reasons.iter().map(|why| html! { <li>{ why.clone() }</li> }) }</ul> }
                </div>
            } else {
                <p class="muted aws-hint">{ "Pick a cell to read why it matches or not (the reasons are also on hover)." }</p>
            }
        </div>
    }
}
