//! The pane table: every pane of the page, listed once — its id, its title, where the
//! playground shows it (an editors' tab, the centre column or the side column), the names an
//! embed's `panes=` parameter knows it by, and the function that renders it from the state.
//! The playground (`app.rs`) and the embeds (`embed.rs`) both draw their panes from [`PANES`],
//! so a new pane is its component's file and one line here (see ARCHITECTURE.md, "How to add
//! a pane").

use crate::components::{
    aws::AwsPane, diagnostics::Diagnostics, editor::Editor, graph::Graph, history::History,
    inspector::Inspector, machines::MachineTabs, playback::Playback, result::ExecutionResult,
    rules::RuleResults, system::SystemLog,
};
use crate::evaluate::{Diag, Source};
use crate::execution::RunView;
use crate::highlight::{self, Mark};
use crate::replay::{Move, Moves, NodeState, Statuses};
use crate::state::{Action, EditorsAction, RunAction, State, ViewAction};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use yew::prelude::*;

/// Where the playground shows a pane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    /// A tab of the editors' column.
    Tab(Tab),
    /// The centre column (the execution).
    Centre,
    /// The side column (results).
    Side,
}

/// A tab of the editors' column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tab {
    /// The tab's and its panel's key (`tab-KEY`, `panel-KEY`; an editor's textarea is `KEY`).
    pub key: &'static str,
    /// The tab's label.
    pub label: &'static str,
    /// The label on narrow screens, when it is shorter.
    pub short: Option<&'static str>,
    /// The editor it holds, if it is one (its problems are counted on the tab).
    pub source: Option<Source>,
    /// The pane's hint line (an editor's), or the tab's tooltip.
    pub hint: &'static str,
    /// Whether the column widens while it is shown.
    pub wide: bool,
}

/// One pane.
pub struct Pane {
    /// Its id.
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Where the playground shows it.
    pub place: Place,
    /// The names an embed's `panes=` knows it by (the first is its own); none: playground only.
    pub embed: &'static [&'static str],
    /// Whether an exercise's run shows it (a centre pane above, a side pane below).
    pub exercise: bool,
    /// Draws it.
    pub render: fn(&Pane, &Ctx) -> Html,
}

impl PartialEq for Pane {
    fn eq(&self, other: &Pane) -> bool {
        self.id == other.id
    }
}

impl std::fmt::Debug for Pane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pane({})", self.id)
    }
}

/// Which page a pane is drawn in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Host {
    /// The full playground.
    Playground,
    /// An embed (`readonly`: editors become code views).
    Embed {
        /// Editors become code views.
        readonly: bool,
    },
    /// An exercise's run (`src/exercises/run.rs`): the learner's texts played, not graded.
    Exercise,
}

/// What a pane is drawn from.
pub struct Ctx<'a> {
    /// The page's state.
    pub state: &'a State,
    /// Where its actions go.
    pub d: &'a UseReducerDispatcher<State>,
    /// Which page.
    pub host: Host,
    /// Each state's status at the moment shown.
    pub nodes: Rc<BTreeMap<String, NodeState>>,
    /// The moves made up to the moment shown.
    pub moves: Rc<BTreeSet<Move>>,
    /// Every diagnostic.
    pub diags: Rc<Vec<Diag>>,
    /// Whether the run was made before an edit.
    pub stale: bool,
}

impl Ctx<'_> {
    /// A callback dispatching what `f` makes of its argument.
    fn cb<T: 'static>(&self, f: impl Fn(T) -> Action + 'static) -> Callback<T> {
        let d = self.d.clone();
        Callback::from(move |x| d.dispatch(f(x)))
    }
}

const fn editor(
    key: &'static str,
    label: &'static str,
    source: Source,
    hint: &'static str,
) -> Place {
    Place::Tab(Tab {
        key,
        label,
        short: None,
        source: Some(source),
        hint,
        wide: false,
    })
}

/// Every pane, in the order the playground shows them in each place.
pub static PANES: &[Pane] = &[
    Pane {
        id: "event",
        title: "Event",
        place: editor(
            "editor-event",
            "Event",
            Source::Event,
            "an event, or PutEvents entries",
        ),
        embed: &["event"],
        exercise: false,
        render: editor_pane,
    },
    Pane {
        id: "rules",
        title: "Rules",
        place: editor(
            "editor-rule",
            "Rules",
            Source::Rules,
            "patterns and targets",
        ),
        embed: &["rules", "rule"],
        exercise: false,
        render: editor_pane,
    },
    Pane {
        id: "machine",
        title: "State machine",
        place: editor("editor-machine", "Machine", Source::Machine, ""),
        embed: &["machine"],
        exercise: false,
        render: editor_pane,
    },
    Pane {
        id: "mocks",
        title: "Mocks",
        place: editor(
            "editor-mocks",
            "Mocks",
            Source::Mocks,
            "what each task returns or throws",
        ),
        embed: &["mocks"],
        exercise: false,
        render: editor_pane,
    },
    Pane {
        id: "s3",
        title: "S3 objects",
        place: editor(
            "editor-s3",
            "S3",
            Source::S3,
            "bucket → key → content, for ItemReader",
        ),
        embed: &["s3"],
        exercise: false,
        render: editor_pane,
    },
    Pane {
        id: "aws",
        title: "From AWS",
        place: Place::Tab(Tab {
            key: "aws",
            label: "From AWS",
            short: Some("AWS"),
            source: None,
            hint: "From AWS: replay a real execution's history, import or export a template, check sample events against the rules",
            wide: true,
        }),
        embed: &["aws", "from-aws"],
        exercise: false,
        render: aws_pane,
    },
    Pane {
        id: "graph",
        title: "Graph",
        place: Place::Centre,
        embed: &["graph"],
        exercise: true,
        render: graph_pane,
    },
    Pane {
        id: "playback",
        title: "Playback",
        place: Place::Centre,
        embed: &[],
        exercise: true,
        render: playback_pane,
    },
    Pane {
        id: "history",
        title: "History",
        place: Place::Centre,
        embed: &["history"],
        exercise: false,
        render: history_pane,
    },
    Pane {
        id: "system",
        title: "System",
        place: Place::Centre,
        embed: &[],
        exercise: false,
        render: system_pane,
    },
    Pane {
        id: "inspector",
        title: "Inspector",
        place: Place::Side,
        embed: &[],
        exercise: false,
        render: inspector_pane,
    },
    Pane {
        id: "matches",
        title: "Rule matches",
        place: Place::Side,
        embed: &["matches", "rule-result"],
        exercise: true,
        render: matches_pane,
    },
    Pane {
        id: "result",
        title: "Execution",
        place: Place::Side,
        embed: &["result"],
        exercise: true,
        render: result_pane,
    },
    Pane {
        id: "diagnostics",
        title: "Diagnostics",
        place: Place::Side,
        embed: &[],
        exercise: false,
        render: diagnostics_pane,
    },
];

/// The pane with this id.
pub fn by_id(id: &str) -> Option<&'static Pane> {
    PANES.iter().find(|p| p.id == id)
}

/// The pane an embed's `panes=` name stands for.
pub fn by_embed_name(name: &str) -> Option<&'static Pane> {
    PANES.iter().find(|p| p.embed.contains(&name))
}

/// The editors' tab of a source's editor.
pub fn tab_of(source: Source) -> &'static str {
    PANES
        .iter()
        .find(|p| matches!(p.place, Place::Tab(t) if t.source == Some(source)))
        .map_or("machine", |p| p.id)
}

/// The panes of one place of the playground, in order.
pub fn in_place(centre: bool) -> impl Iterator<Item = &'static Pane> {
    PANES.iter().filter(move |p| {
        matches!(
            (p.place, centre),
            (Place::Centre, true) | (Place::Side, false)
        )
    })
}

/// The editors' tabs, in order.
pub fn tabs() -> impl Iterator<Item = (&'static Pane, Tab)> {
    PANES.iter().filter_map(|p| match p.place {
        Place::Tab(t) => Some((p, t)),
        _ => None,
    })
}

/// Each state's status and the moves made at the moment shown (memoised per run and moment).
/// The last moment's are kept, and the next is worked out from them: a playback frame costs
/// the events it passes, not the whole history before it.
#[hook]
pub fn use_shown(
    state: &UseReducerHandle<State>,
) -> (Rc<BTreeMap<String, NodeState>>, Rc<BTreeSet<Move>>) {
    type Kept = Option<(Rc<RunView>, Statuses, Moves)>;
    let kept = use_mut_ref(|| -> Kept { None });
    let key = (state.run.current.clone(), state.run.cursor);
    let shown = use_memo(key, move |(run, cursor)| {
        let Some(run) = run else {
            *kept.borrow_mut() = None;
            return (Rc::default(), Rc::default());
        };
        let mut kept = kept.borrow_mut();
        // (The run itself is kept, so its address is not another run's.)
        let (statuses, moves) = match kept.take() {
            Some((was, s, m)) if Rc::ptr_eq(&was, run) => (s, m),
            _ => Default::default(),
        };
        let statuses = run.replay.statuses_from(statuses, *cursor);
        let moves = run.replay.moves_from(moves, *cursor);
        let shown = (Rc::new(statuses.nodes.clone()), Rc::new(moves.set.clone()));
        *kept = Some((run.clone(), statuses, moves));
        shown
    });
    (*shown).clone()
}

fn marks(diags: &[Diag], source: Source) -> Rc<Vec<Mark>> {
    Rc::new(
        diags
            .iter()
            .filter(|d| d.source == source)
            .filter_map(Diag::mark)
            .collect(),
    )
}

fn editor_pane(pane: &Pane, c: &Ctx) -> Html {
    let Place::Tab(Tab {
        key,
        source: Some(source),
        hint,
        ..
    }) = pane.place
    else {
        return html! {};
    };
    let text = c.state.editors.shared_text(source);
    let on_input = c.cb(move |t: String| EditorsAction::Edit(source, t).into());
    let on_format = c.cb(move |()| EditorsAction::Format(source).into());
    match c.host {
        Host::Embed { readonly: true } => code_view(source, key, &text),
        Host::Embed { readonly: false } | Host::Exercise => html! {
            <Editor testid={key} title={source.title()} value={AttrValue::from(text)}
                marks={Rc::new(Vec::new())} {on_input} {on_format} />
        },
        Host::Playground if source == Source::Machine => {
            let ws = c.state.ws();
            let names: Vec<String> = ws.machines.iter().map(|m| m.name.clone()).collect();
            let hint = if names.len() > 1 {
                format!("{} machines", names.len())
            } else {
                ws.machine_name().to_owned()
            };
            html! {
                <Editor testid={key} title={pane.title} {hint} value={AttrValue::from(text)}
                    marks={marks(&c.diags, source)} {on_input} {on_format}
                    bar={html! { <MachineTabs names={names} active={ws.active}
                        on_select={c.cb(|i| EditorsAction::SelectMachine(i).into())}
                        on_add={c.cb(|n| EditorsAction::AddMachine(n).into())}
                        on_rename={c.cb(|(i, n)| EditorsAction::RenameMachine(i, n).into())}
                        on_delete={c.cb(|i| EditorsAction::DeleteMachine(i).into())} /> }} />
            }
        }
        Host::Playground => html! {
            <Editor testid={key} title={pane.title} {hint} value={AttrValue::from(text)}
                marks={marks(&c.diags, source)} {on_input} {on_format} />
        },
    }
}

/// A read-only editor: the coloured text, no textarea.
fn code_view(source: Source, key: &str, text: &str) -> Html {
    // `to_html` escapes the text itself: only its own spans are markup.
    let coloured = Html::from_html_unchecked(AttrValue::from(highlight::to_html(text, &[])));
    html! {
        <section class="pane editor readonly" aria-label={source.title()}>
            <header class="pane-head"><h2>{ source.title() }</h2><span class="hint">{ "read-only" }</span></header>
            <pre class="code-view" data-testid={format!("view-{key}")}>{ coloured }</pre>
        </section>
    }
}

fn aws_pane(_: &Pane, c: &Ctx) -> Html {
    html! {
        <AwsPane ws={c.state.ws().clone()}
            on_history={c.cb(Action::OpenHistory)}
            on_import={c.cb(Action::ImportTemplate)}
            on_text={c.cb(|(w, t)| EditorsAction::SetAwsText(w, t).into())} />
    }
}

fn graph_pane(_: &Pane, c: &Ctx) -> Html {
    let s = c.state;
    let graph = html! {
        <Graph layout={s.editors.layout.clone()} nodes={c.nodes.clone()} moves={c.moves.clone()}
            selected={s.view.selected.clone()} whole={matches!(c.host, Host::Embed { .. })}
            on_select={c.cb(|n| ViewAction::Select(Some(n)).into())} />
    };
    match c.host {
        Host::Playground => return graph,
        Host::Exercise => return html! { <div class="ex-run-graph">{ graph }</div> },
        Host::Embed { .. } => {}
    }
    // In an embed the box takes the drawing's proportions (with the zoom buttons' and the
    // legend's bands), so the whole machine is drawn and nothing lies under them.
    let style = s.editors.layout.as_ref().map(|l| {
        format!(
            "aspect-ratio: {:.0} / {:.0}",
            l.width.max(1.0) + 24.0,
            l.height.max(1.0) + 100.0
        )
    });
    html! { <div class="embed-graph" {style}>{ graph }</div> }
}

fn playback_pane(_: &Pane, c: &Ctx) -> Html {
    let run = &c.state.run;
    let at = run.cursor.checked_sub(1);
    let current = run.current.as_ref();
    let step = at.and_then(|i| current?.replay.steps.get(i).cloned());
    let elapsed = at.and_then(|i| current?.replay.elapsed_ms(i));
    let stamp = at.and_then(|i| {
        current?
            .history
            .get(i)?
            .get("timestamp")
            .map(|t| AttrValue::from(t.as_str().map_or_else(|| t.to_string(), str::to_owned)))
    });
    html! {
        <Playback cursor={run.cursor} len={run.len()} playing={run.playing} speed={run.speed}
            elapsed={elapsed} event_type={step.map(|s| AttrValue::from(s.kind))} timestamp={stamp}
            on_seek={c.cb(|n| RunAction::Seek(n).into())}
            on_play={c.cb(|on| RunAction::SetPlaying(on).into())}
            on_speed={c.cb(|x| RunAction::SetSpeed(x).into())} />
    }
}

fn history_pane(_: &Pane, c: &Ctx) -> Html {
    let s = c.state;
    html! {
        <History run={s.run.current.clone()} cursor={s.run.cursor} selected={s.view.selected.clone()}
            on_seek={c.cb(|n| RunAction::Seek(n).into())} />
    }
}

fn system_pane(_: &Pane, c: &Ctx) -> Html {
    let s = c.state;
    html! {
        <SystemLog view={s.system.view.clone()} open={s.system.open} window={s.ws().window()}
            running={s.engine.pending.iter().any(|a| matches!(a, Action::System(_)))}
            on_action={c.cb(Action::System)} />
    }
}

fn inspector_pane(_: &Pane, c: &Ctx) -> Html {
    let s = c.state;
    let Some(name) = s.view.selected.clone() else {
        return html! {};
    };
    let kind = s
        .editors
        .layout
        .as_ref()
        .and_then(|l| l.nodes.iter().find(|n| n.state == name))
        .map(|n| n.kind.clone());
    let Some(kind) = kind else {
        return html! {};
    };
    html! {
        <Inspector state={name} kind={kind} run={s.run.current.clone()} cursor={s.run.cursor} mocks={AttrValue::from(s.ws().mocks.clone())}
            definition={AttrValue::from(s.ws().machine_text())}
            on_set_mocks={c.cb(|t| EditorsAction::SetMocks(t).into())}
            on_close={c.cb(|()| ViewAction::Select(None).into())}
            on_seek={c.cb(|n| RunAction::Seek(n).into())} />
    }
}

fn matches_pane(_: &Pane, c: &Ctx) -> Html {
    // In the playground, verdicts being recomputed say so.
    use crate::worker::Kind;
    let pending_on: &'static [Kind] = if c.host == Host::Playground {
        &[Kind::Rules]
    } else {
        &[]
    };
    html! { <RuleResults view={c.state.editors.rules.clone()} {pending_on} /> }
}

fn result_pane(_: &Pane, c: &Ctx) -> Html {
    let run = &c.state.run;
    if c.host != Host::Playground {
        return html! { <ExecutionResult run={run.current.clone()} cursor={run.cursor} /> };
    }
    html! {
        <ExecutionResult run={run.current.clone()} cursor={run.cursor} stale={c.stale}
            on_answer={c.cb(|a| RunAction::Callback(a).into())}
            on_redrive={c.cb(|()| RunAction::Redrive.into())} />
    }
}

fn diagnostics_pane(_: &Pane, c: &Ctx) -> Html {
    let ws = c.state.ws().clone();
    let d = c.d.clone();
    let on_pick = Callback::from(move |diag: Diag| {
        // Its editor is shown first, then the caret goes to the place.
        d.dispatch(ViewAction::PickTab(tab_of(diag.source)).into());
        let ws = ws.clone();
        crate::dom::after_paint(move || {
            let text = match diag.source {
                Source::Event => &ws.event,
                Source::Rules => &ws.rules,
                Source::Machine => ws.machine(),
                Source::Mocks => &ws.mocks,
                Source::S3 => &ws.s3,
            };
            crate::app::focus_diag(&diag, text);
        });
    });
    use crate::worker::Kind;
    let pending_on: &'static [Kind] = &[Kind::Rules, Kind::Machine, Kind::Mocks];
    html! { <Diagnostics diags={c.diags.clone()} {on_pick} checking={!c.state.editors.checked} {pending_on} /> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pane_is_listed_once_with_names_of_its_own() {
        let mut ids: Vec<&str> = PANES.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PANES.len(), "ids are unique");
        let mut names: Vec<&str> = PANES.iter().flat_map(|p| p.embed.iter().copied()).collect();
        let all = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all, "an embed name stands for one pane");
        for p in PANES {
            if let Some(first) = p.embed.first() {
                assert_eq!(by_embed_name(first).map(|q| q.id), Some(p.id));
            }
        }
    }

    #[test]
    fn each_editor_has_its_tab() {
        for s in [
            Source::Event,
            Source::Rules,
            Source::Machine,
            Source::Mocks,
            Source::S3,
        ] {
            let pane = by_id(tab_of(s)).unwrap();
            assert!(matches!(pane.place, Place::Tab(t) if t.source == Some(s)));
            assert_eq!(pane.title, s.title());
        }
        assert_eq!(tabs().count(), 6, "five editors and From AWS");
        assert!(in_place(true).any(|p| p.id == "graph"));
        assert!(in_place(false).any(|p| p.id == "diagnostics"));
    }

    #[test]
    fn an_exercise_run_shows_the_graph_playback_verdicts_and_outcome() {
        let shown: Vec<&str> = PANES.iter().filter(|p| p.exercise).map(|p| p.id).collect();
        assert_eq!(shown, ["graph", "playback", "matches", "result"]);
        assert!(
            PANES
                .iter()
                .filter(|p| p.exercise)
                .all(|p| !matches!(p.place, Place::Tab(_))),
            "an exercise's run shows no editor: its texts are the exercise's"
        );
    }
}
