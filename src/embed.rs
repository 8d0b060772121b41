//! A live example for documentation pages: the playground's panes, chosen by URL parameters, in
//! an iframe. `www/embed.js` writes such iframes from `<div data-statebridge="…">`.
//!
//! `?embed&example=NAME` (or a share link's `#v1=…` fragment) picks the workspace;
//! `panes=event,rules,machine,mocks,graph,matches,history,result` the panes (in that order);
//! `readonly` turns the editors into code views; `theme=light|dark` overrides the reader's
//! preference; `id` and `origin` are set by embed.js so the frame can report its height to the
//! page that embeds it (`postMessage` to that origin only, see `embed-frame.js` below).

use crate::components::{
    editor::Editor, graph::Graph, history::History, result::ExecutionResult, rules::RuleResults,
};
use crate::evaluate::{Pane, Source};
use crate::highlight;
use crate::link;
use crate::state::{Action, State};
use crate::workspace::{Example, Workspace, examples, read_example};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    fn report_height(id: &str, origin: &str, root: &web_sys::Element);
    fn referrer_origin() -> String;
}

/// A pane an embed can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedPane {
    /// An editor (or a code view when read-only).
    Editor(Source),
    /// The state machine's graph.
    Graph,
    /// Which rules match the event.
    Matches,
    /// The execution history.
    History,
    /// The execution's input and outcome.
    Result,
    /// "From AWS": a pasted history replayed, a template imported or exported, events × rules.
    Aws,
}

impl EmbedPane {
    fn from_name(name: &str) -> Option<EmbedPane> {
        Some(match name {
            "event" => EmbedPane::Editor(Source::Event),
            "rules" | "rule" => EmbedPane::Editor(Source::Rules),
            "machine" => EmbedPane::Editor(Source::Machine),
            "mocks" => EmbedPane::Editor(Source::Mocks),
            "s3" => EmbedPane::Editor(Source::S3),
            "graph" => EmbedPane::Graph,
            "matches" | "rule-result" => EmbedPane::Matches,
            "history" => EmbedPane::History,
            "result" => EmbedPane::Result,
            "aws" | "from-aws" => EmbedPane::Aws,
            _ => return None,
        })
    }
}

/// The colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    /// The reader's system preference.
    Auto,
    /// Light, whatever the preference.
    Light,
    /// Dark, whatever the preference.
    Dark,
}

/// What the URL asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedOptions {
    /// The bundled example to open.
    pub example: Option<String>,
    /// A share link's fragment (`v1=…`), from `share=` or the URL fragment.
    pub share: Option<String>,
    /// The panes, in order.
    pub panes: Vec<EmbedPane>,
    /// Editors become code views.
    pub readonly: bool,
    /// The theme.
    pub theme: Theme,
    /// The frame's id on the embedding page (for its height messages).
    pub id: String,
    /// The embedding page's origin, the only one height messages go to.
    pub origin: Option<String>,
    /// Parameters that were not understood (shown, so a typo does not go unnoticed).
    pub unknown: Vec<String>,
}

/// Decodes `%XX` and `+` in a query component (invalid escapes stay as written).
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| {
            bytes
                .get(j)
                .and_then(|c| (*c as char).to_digit(16))
                .map(|d| d as u8)
        };
        match b {
            b'+' => out.push(b' '),
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Reads the options from a query (`?…`, without or with the `?`) and a fragment (without `#`);
/// `None` when the query does not ask for an embed.
pub fn parse_options(query: &str, fragment: &str) -> Option<EmbedOptions> {
    let pairs: Vec<(String, String)> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect();
    if !pairs.iter().any(|(k, _)| k == "embed") {
        return None;
    }
    let flag = |v: &str| !matches!(v, "0" | "false" | "no");
    let mut o = EmbedOptions {
        example: None,
        share: fragment.starts_with("v1=").then(|| fragment.to_owned()),
        panes: Vec::new(),
        readonly: false,
        theme: Theme::Auto,
        id: String::new(),
        origin: None,
        unknown: Vec::new(),
    };
    for (k, v) in pairs {
        match k.as_str() {
            "embed" => {}
            "example" => o.example = Some(v).filter(|v| !v.is_empty()),
            "share" => {
                // A whole share link, or only its fragment.
                let f = v.rsplit_once('#').map_or(v.as_str(), |(_, f)| f);
                o.share = Some(f.to_owned()).filter(|f| !f.is_empty());
            }
            "panes" => {
                for name in v.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    match EmbedPane::from_name(name) {
                        Some(p) if !o.panes.contains(&p) => o.panes.push(p),
                        Some(_) => {}
                        None => o.unknown.push(format!("pane `{name}`")),
                    }
                }
            }
            "readonly" => o.readonly = flag(&v),
            "theme" => match v.as_str() {
                "dark" => o.theme = Theme::Dark,
                "light" => o.theme = Theme::Light,
                "" | "auto" => o.theme = Theme::Auto,
                other => o.unknown.push(format!("theme `{other}`")),
            },
            "id" => o.id = v,
            "origin" => o.origin = Some(v).filter(|v| v.starts_with("http")),
            other => o.unknown.push(format!("parameter `{other}`")),
        }
    }
    if o.panes.is_empty() {
        o.panes = vec![
            EmbedPane::Editor(Source::Machine),
            EmbedPane::Graph,
            EmbedPane::Result,
        ];
    }
    Some(o)
}

/// The options of the current page, when it is an embed.
pub fn options_from_location() -> Option<EmbedOptions> {
    let loc = web_sys::window()?.location();
    let search = loc.search().ok()?;
    let hash = loc.hash().unwrap_or_default();
    parse_options(&search, hash.trim_start_matches('#'))
}

/// What the options pick.
#[derive(Debug, Clone, PartialEq)]
enum Picked {
    /// A workspace at hand (a share link, or the bundled first example).
    Here(Workspace),
    /// An example whose file is still to be fetched.
    Fetch(Example),
}

/// The workspace the options pick, or why none.
fn workspace(o: &EmbedOptions) -> Result<Picked, String> {
    if let Some(share) = &o.share {
        return match link::read_fragment(share) {
            Ok(Some(shared)) => Ok(Picked::Here(shared.ws)),
            Ok(None) => {
                Err("The share link is not one statebridge made (it should start with v1=).".into())
            }
            Err(why) => Err(why),
        };
    }
    let list = examples();
    let pick = |e: &Example| match &e.workspace {
        Some(ws) => Picked::Here(ws.clone()),
        None => Picked::Fetch(e.clone()),
    };
    match &o.example {
        Some(name) => list
            .iter()
            .find(|e| &e.name == name)
            .map(pick)
            .ok_or_else(|| {
                let names: Vec<&str> = list.iter().map(|e| e.name.as_str()).collect();
                format!(
                    "There is no example `{name}`. The examples are: {}.",
                    names.join(", ")
                )
            }),
        None => list
            .first()
            .map(pick)
            .ok_or_else(|| "No example is bundled.".to_owned()),
    }
}

fn set_theme(theme: Theme) {
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element());
    if let Some(root) = root {
        let _ = match theme {
            Theme::Auto => root.remove_attribute("data-theme"),
            Theme::Dark => root.set_attribute("data-theme", "dark"),
            Theme::Light => root.set_attribute("data-theme", "light"),
        };
        let _ = root.set_attribute("data-embed", "");
    }
}

/// Props of [`Embed`].
#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    /// What the URL asks for.
    pub options: Rc<EmbedOptions>,
}

/// The embed page.
#[component]
pub fn Embed(p: &EmbedProps) -> Html {
    let o = p.options.clone();
    let picked = use_memo(o.clone(), |o| workspace(o));
    // An example not bundled arrives later: its workspace, or why it did not.
    let fetched = use_state(|| None::<Result<Workspace, String>>);
    {
        let fetched = fetched.clone();
        use_effect_with(picked.clone(), move |picked| {
            if let Ok(Picked::Fetch(e)) = &**picked {
                let name = e.name.clone();
                crate::fetch::text(&e.url(), move |text| {
                    fetched.set(Some(text.and_then(|t| {
                        read_example(&name, &t)
                            .and_then(|e| e.workspace)
                            .ok_or_else(|| format!("The example `{name}` could not be read."))
                    })))
                });
            }
        });
    }
    let root = use_node_ref();
    {
        let (o, root) = (o.clone(), root.clone());
        use_effect_with((), move |_| {
            set_theme(o.theme);
            let origin = o.origin.clone().unwrap_or_else(referrer_origin);
            if let Some(el) = root.cast::<web_sys::Element>() {
                report_height(&o.id, &origin, &el);
            }
        });
    }
    let error = |why: &String| {
        html! { <p class="embed-error" role="alert" data-testid="embed-error">{ why.clone() }</p> }
    };
    let body = match (&*picked, &*fetched) {
        (Ok(Picked::Here(ws)), _) | (Ok(Picked::Fetch(_)), Some(Ok(ws))) => {
            html! { <EmbedWorkspace ws={ws.clone()} options={o.clone()} /> }
        }
        (Ok(Picked::Fetch(_)), None) => {
            html! { <p class="embed-loading muted" data-testid="embed-loading">{ "Loading the example…" }</p> }
        }
        (Ok(Picked::Fetch(_)), Some(Err(why))) | (Err(why), _) => error(why),
    };
    html! {
        <div class="embed" ref={root} data-testid="embed" data-readonly={o.readonly.to_string()}>
            if !o.unknown.is_empty() {
                <p class="embed-error" role="alert">{ format!("Not understood: {}.", o.unknown.join(", ")) }</p>
            }
            { body }
            <crate::components::working::Working />
        </div>
    }
}

/// Props of [`EmbedWorkspace`].
#[derive(Properties, PartialEq)]
pub struct EmbedWorkspaceProps {
    /// The workspace.
    pub ws: Workspace,
    /// What the URL asks for.
    pub options: Rc<EmbedOptions>,
}

/// The chosen panes over one workspace, with Run.
#[component]
pub fn EmbedWorkspace(p: &EmbedWorkspaceProps) -> Html {
    let state = {
        let ws = p.ws.clone();
        use_reducer(move || State::unchecked(ws, examples(), None))
    };
    let d = state.dispatcher();
    crate::app::use_live_checks(&state);
    // The full playground with this very workspace (as edited), through a share link, made again
    // after each edit (the compressor answers a moment later; an answer for an older text is dropped).
    let playground = use_state(|| "./".to_owned());
    {
        let playground = playground.clone();
        use_effect_with(state.ws.clone(), move |ws| {
            let current = Rc::new(std::cell::Cell::new(true));
            let still = current.clone();
            link::make_fragment(ws, None, move |made| {
                if still.get() {
                    playground.set(made.map_or_else(|_| "./".to_owned(), |f| format!("./#{f}")));
                }
            });
            move || current.set(false)
        });
    }
    let statuses = use_memo((state.run.clone(), state.cursor), |(run, cursor)| {
        Rc::new(
            run.as_ref()
                .map(|r| r.replay.at(*cursor))
                .unwrap_or_default(),
        )
    });
    let moves = use_memo((state.run.clone(), state.cursor), |(run, cursor)| {
        Rc::new(
            run.as_ref()
                .map(|r| r.replay.moves(*cursor))
                .unwrap_or_default(),
        )
    });
    let on_run = {
        let d = d.clone();
        Callback::from(move |_| {
            d.dispatch(Action::Run);
            d.dispatch(Action::SeekEnd);
        })
    };
    let o = &p.options;
    let title = state
        .ws
        .example
        .as_ref()
        .and_then(|n| state.examples.iter().find(|e| &e.name == n))
        .map(|e| e.title.clone())
        .unwrap_or_else(|| "Shared workspace".to_owned());
    let playground = (*playground).clone();
    let pane = |pane: &EmbedPane| -> Html {
        match *pane {
            EmbedPane::Editor(source) => {
                let text = match source {
                    Source::Event => state.ws.event.clone(),
                    Source::Rules => state.ws.rules.clone(),
                    Source::Machine => state.ws.machine().to_owned(),
                    Source::Mocks => state.ws.mocks.clone(),
                    Source::S3 => state.ws.s3.clone(),
                };
                if o.readonly {
                    code_view(source, &text)
                } else {
                    let (d1, d2) = (d.clone(), d.clone());
                    html! {
                        <Editor testid={testid(source)} title={source.title()} value={AttrValue::from(text)}
                            marks={Rc::new(Vec::new())}
                            on_input={Callback::from(move |t: String| d1.dispatch(Action::Edit(source, t)))}
                            on_format={Callback::from(move |()| d2.dispatch(Action::Format(source)))} />
                    }
                }
            }
            EmbedPane::Graph => {
                let d = d.clone();
                // The box takes the drawing's proportions (with the zoom buttons' and the
                // legend's bands), so the whole machine is drawn and nothing lies under them.
                let style = state.layout.as_ref().map(|l| {
                    format!(
                        "aspect-ratio: {:.0} / {:.0}",
                        l.width.max(1.0) + 24.0,
                        l.height.max(1.0) + 100.0
                    )
                });
                html! {
                    <div class="embed-graph" {style}>
                        <Graph layout={state.layout.clone()} nodes={(*statuses).clone()} moves={(*moves).clone()} selected={state.selected.clone()}
                            whole=true
                            on_select={Callback::from(move |n| d.dispatch(Action::Select(Some(n))))} />
                    </div>
                }
            }
            EmbedPane::Matches => html! { <RuleResults view={state.rules.clone()} /> },
            EmbedPane::History => {
                let d = d.clone();
                html! {
                    <History run={state.run.clone()} cursor={state.cursor} selected={state.selected.clone()}
                        on_seek={Callback::from(move |n| d.dispatch(Action::Seek(n)))} />
                }
            }
            EmbedPane::Result => {
                html! { <ExecutionResult run={state.run.clone()} cursor={state.cursor} /> }
            }
            EmbedPane::Aws => {
                let (d1, d2, d3) = (d.clone(), d.clone(), d.clone());
                html! {
                    <crate::components::aws::AwsPane ws={state.ws.clone()}
                        on_history={Callback::from(move |h| d1.dispatch(Action::OpenHistory(h)))}
                        on_import={Callback::from(move |i| d2.dispatch(Action::ImportTemplate(i)))}
                        on_text={Callback::from(move |(w, t)| d3.dispatch(Action::SetAwsText(w, t)))} />
                }
            }
        }
    };
    html! {
        <>
            <header class="embed-bar">
                <span class="logo" aria-hidden="true">{ "◆" }</span>
                <strong class="embed-title">{ title }</strong>
                if o.readonly { <span class="badge">{ "read-only" }</span> }
                <span class="grow"></span>
                if !o.panes.contains(&EmbedPane::Result) { { outcome_badge(state.run.as_deref(), state.cursor) } }
                <button class="btn primary small" data-testid="run" onclick={on_run}>{ "▶ Run" }</button>
                <a class="btn small" href={playground} target="_blank" rel="noopener" title="Open this workspace in the full playground, in a new tab">{ "Playground ↗" }</a>
            </header>
            <div class={classes!("embed-panes", format!("n{}", o.panes.len().min(4)))}>
                { for o.panes.iter().map(pane) }
            </div>
        </>
    }
}

/// How the run ended, in the bar, for an embed without the Execution pane (so Run always shows
/// its result): the status, and the error's name when it failed.
fn outcome_badge(run: Option<&crate::execution::RunView>, cursor: usize) -> Html {
    let Some(run) = run else {
        return html! {};
    };
    let (text, class, title) = match &run.outcome {
        Pane::Unavailable(why) => ("NOT RUN".to_owned(), "bad", why.clone()),
        Pane::Ready(_) if cursor < run.replay.len() => {
            ("RUNNING".to_owned(), "info", String::new())
        }
        Pane::Ready(o) => {
            let text = match &o.error {
                Some(e) => format!("{} · {e}", o.status),
                None => o.status.clone(),
            };
            let title = o
                .cause
                .clone()
                .or_else(|| o.output.clone())
                .unwrap_or_default();
            let class = if o.status == "SUCCEEDED" { "ok" } else { "bad" };
            (text, class, title)
        }
    };
    let status = match &run.outcome {
        Pane::Ready(o) if cursor >= run.replay.len() => o.status.clone(),
        _ => String::new(),
    };
    html! {
        <span class={classes!("embed-outcome", class)} data-testid="embed-outcome" data-outcome={status}
              title={title} role="status">{ text }</span>
    }
}

fn testid(source: Source) -> &'static str {
    match source {
        Source::Event => "editor-event",
        Source::Rules => "editor-rule",
        Source::Machine => "editor-machine",
        Source::Mocks => "editor-mocks",
        Source::S3 => "editor-s3",
    }
}

/// A read-only pane: the coloured text, no textarea.
fn code_view(source: Source, text: &str) -> Html {
    // `to_html` escapes the text itself: only its own spans are markup.
    let coloured = Html::from_html_unchecked(AttrValue::from(highlight::to_html(text, &[])));
    html! {
        <section class="pane editor readonly" aria-label={source.title()}>
            <header class="pane-head"><h2>{ source.title() }</h2><span class="hint">{ "read-only" }</span></header>
            <pre class="code-view" data-testid={format!("view-{}", testid(source))}>{ coloured }</pre>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_an_embed_without_the_flag() {
        assert_eq!(parse_options("?example=x", ""), None);
        assert_eq!(parse_options("", "v1=abc"), None);
    }

    #[test]
    fn reads_every_parameter() {
        let o = parse_options(
            "?embed&example=order-processing&panes=event,rules,matches&readonly=1&theme=dark&id=sb-1&origin=https%3A%2F%2Fdocs.example.org",
            "",
        )
        .unwrap();
        assert_eq!(o.example.as_deref(), Some("order-processing"));
        assert_eq!(
            o.panes,
            vec![
                EmbedPane::Editor(Source::Event),
                EmbedPane::Editor(Source::Rules),
                EmbedPane::Matches
            ]
        );
        assert!(o.readonly);
        assert_eq!(o.theme, Theme::Dark);
        assert_eq!(o.id, "sb-1");
        assert_eq!(o.origin.as_deref(), Some("https://docs.example.org"));
        assert!(o.unknown.is_empty());
    }

    #[test]
    fn defaults_and_mistakes() {
        let o = parse_options("embed=1&panes=graph,nope&theme=pink&colour=red", "v1=xyz").unwrap();
        assert_eq!(o.share.as_deref(), Some("v1=xyz"));
        assert_eq!(o.panes, vec![EmbedPane::Graph]);
        assert_eq!(o.theme, Theme::Auto);
        let aws = parse_options("embed&panes=aws,graph,history", "").unwrap();
        assert_eq!(
            aws.panes,
            vec![EmbedPane::Aws, EmbedPane::Graph, EmbedPane::History]
        );
        assert!(!o.readonly);
        assert_eq!(
            o.unknown,
            vec!["pane `nope`", "theme `pink`", "parameter `colour`"]
        );
        let o = parse_options("embed&readonly=0&origin=javascript:x", "").unwrap();
        assert!(!o.readonly);
        assert_eq!(o.origin, None);
        assert_eq!(o.panes.len(), 3, "machine, graph and result by default");
        let o = parse_options("embed&share=https%3A%2F%2Fx.org%2F%23v1%3Dabc", "").unwrap();
        assert_eq!(o.share.as_deref(), Some("v1=abc"));
    }

    #[test]
    fn decodes_query_components() {
        assert_eq!(decode("a%20b+c%2Cd%zz%"), "a b c,d%zz%");
        assert_eq!(decode("%C3%A9"), "é");
    }

    #[test]
    fn picks_examples_by_name() {
        let first = examples().first().map(|e| e.name.clone()).unwrap();
        let o = parse_options(&format!("embed&example={first}"), "").unwrap();
        let Ok(Picked::Here(ws)) = workspace(&o) else {
            panic!("the first example is bundled");
        };
        assert_eq!(ws.example.as_deref(), Some(first.as_str()));
        let o = parse_options("embed&example=order-processing", "").unwrap();
        let Ok(Picked::Fetch(e)) = workspace(&o) else {
            panic!("the others are fetched");
        };
        assert_eq!(e.url(), "examples/order-processing.json");
        let o = parse_options("embed&example=missing", "").unwrap();
        assert!(
            workspace(&o)
                .unwrap_err()
                .contains("There is no example `missing`")
        );
    }
}
