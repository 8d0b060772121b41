//! The From AWS tab's sample events against the workspace's rules: a table with an event per
//! row and a rule per column, each rule's column headed by how many events it matches, and a
//! filter (events no rule matches, events a rule matches or misses). The checks' worker reads
//! the events and finds every verdict (`Job::Matrix`: one compiled matcher per bus) and keeps
//! them; the page gets each event's row head and one byte per verdict
//! (`artifacts::MatrixView`), and asks the worker for a picked cell's reasons
//! (`Job::MatrixCell`). While the worker works after an edit, the table of before stays,
//! dimmed, under "checking…". Only the rows in view are drawn (fixed row height in a scroll
//! box), so 10,000 events × 10 rules is a few hundred cells on the page, not 100,000.

use crate::artifacts::{MatrixAnswer, MatrixCell, MatrixProblem, MatrixView};
use crate::components::aws::{count, format_json, load_example};
use crate::components::editor::Editor;
use crate::worker::{self, Answer, Job, Kind};
use crate::workspace::Text;
use std::rc::Rc;
use web_sys::{HtmlElement, HtmlSelectElement};
use yew::prelude::*;

/// A row's height in pixels (`.matrix tbody tr` in style.css).
pub const ROW_PX: i32 = 32;
/// Rows drawn: those a 440 px box shows, and some either side so a quick scroll finds them.
const DRAWN: usize = 24;
const BEFORE: usize = 6;
/// Events named one by one in the summary; past this, the filter lists them.
const NAMED: usize = 12;

/// Which events the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Filter {
    All,
    /// Events no rule matches.
    Unmatched,
    /// Events rule `n` matches.
    MatchedBy(usize),
    /// Events rule `n` does not match.
    MissedBy(usize),
}

impl Filter {
    fn value(self) -> String {
        match self {
            Filter::All => "all".into(),
            Filter::Unmatched => "none".into(),
            Filter::MatchedBy(r) => format!("hit:{r}"),
            Filter::MissedBy(r) => format!("miss:{r}"),
        }
    }

    fn read(v: &str) -> Filter {
        let rule = |s: &str| s.parse::<usize>().ok();
        match v.split_once(':') {
            Some(("hit", r)) => rule(r).map_or(Filter::All, Filter::MatchedBy),
            Some(("miss", r)) => rule(r).map_or(Filter::All, Filter::MissedBy),
            _ if v == "none" => Filter::Unmatched,
            _ => Filter::All,
        }
    }

    fn keeps(self, v: &MatrixView, e: usize) -> bool {
        match self {
            Filter::All => true,
            Filter::Unmatched => !v.any(e),
            Filter::MatchedBy(r) => v.matched(r, e),
            Filter::MissedBy(r) => !v.matched(r, e),
        }
    }
}

/// Props of [`MatrixPart`].
#[derive(Properties, PartialEq)]
pub struct MatrixProps {
    /// The workspace's rules text (the table follows its edits).
    pub rules: Text,
    /// The pasted events.
    pub text: Text,
    /// The events text changed.
    pub on_text: Callback<String>,
}

/// The events × rules part.
#[component]
pub fn MatrixPart(p: &MatrixProps) -> Html {
    let problem = use_state(|| None::<String>);
    // The events checked (the table follows the rules as they are edited), and how many times
    // Check was pressed (a new table starts at its top, unfiltered, nothing picked).
    let checked = use_state(|| None::<(Text, u32)>);
    let redraw = use_force_update();
    // The last table the worker answered, shown (dimmed, "checking…") while it works out the
    // next one.
    let shown_answer = use_mut_ref(|| None::<Rc<MatrixAnswer>>);
    {
        // The worker answers later: the table is read again then.
        let redraw = redraw.clone();
        use_effect_with((), move |_| {
            let on = Callback::from(move |kind: Kind| {
                if kind == Kind::Matrix {
                    redraw.force_update();
                }
            });
            let watch = worker::on_answer(on);
            move || drop(watch)
        });
    }
    // The worker's answer for these texts (asked for when there is none).
    let fresh = (*checked).as_ref().map(|(events, _)| {
        match worker::answer(
            Job::Matrix {
                events: events.clone(),
                rules: p.rules.clone(),
            },
            false,
        ) {
            Some(Answer::Matrix(a)) => Some(a),
            _ => None,
        }
    });
    let pending = matches!(fresh, Some(None));
    if let Some(Some(a)) = &fresh {
        *shown_answer.borrow_mut() = Some(a.clone());
    }
    if checked.is_none() {
        *shown_answer.borrow_mut() = None;
    }
    let answer = shown_answer.borrow().clone();
    let key = answer.as_ref().map(|a| Rc::as_ptr(a) as usize);
    let marks: Rc<Vec<crate::highlight::Mark>> = use_memo(key, {
        let answer = answer.clone();
        move |_| match answer.as_deref() {
            Some(Err(MatrixProblem {
                at: Some((line, column, message)),
                ..
            })) => vec![crate::highlight::Mark {
                line: *line,
                column: *column,
                message: message.clone(),
                fix: None,
            }],
            _ => vec![],
        }
    });
    // (The same callback while the text is the same: the editor is not drawn again when the
    // table changes.)
    let on_format = use_memo((p.text.clone(), p.on_text.clone()), |(text, on_text)| {
        format_json(text.clone().into(), on_text.clone())
    });
    let check = {
        let (text, checked) = (p.text.clone(), checked.clone());
        Callback::from(move |_| {
            let n = checked.as_ref().map_or(0, |(_, n)| n + 1);
            checked.set(Some((text.clone(), n)));
        })
    };
    html! {
        <>
            <p class="aws-intro">
                { "Paste sample events — a JSON list, one per line (JSON Lines, as the AWS CLI and CloudWatch print them), or PutEvents entries as the CLI takes them — and see which of the workspace's rules match each one, and why not." }
            </p>
            <div class="aws-editor">
                <Editor testid="aws-events" title="Sample events" hint="a list, JSON Lines or PutEvents entries" value={AttrValue::from(p.text.clone())}
                    marks={marks} on_input={p.on_text.clone()} on_format={(*on_format).clone()} />
            </div>
            <div class="aws-actions">
                <button class="btn primary" data-testid="aws-matrix-run" onclick={check} disabled={p.text.trim().is_empty()}>{ "Check every event against the rules" }</button>
                <button class="btn" data-testid="aws-events-example" onclick={load_example("events.jsonl", p.on_text.clone(), problem.clone())}>{ "Load example events" }</button>
            </div>
            if let Some(why) = &*problem {
                <p class="aws-problem" role="alert" data-testid="aws-problem">{ why.clone() }</p>
            }
            if pending {
                <p class="muted aws-checking" role="status" data-testid="aws-matrix-checking">
                    { if answer.is_some() { "Checking the events against the rules as they are now… (the table below is from before)" } else { "Checking the events against the rules…" } }
                </p>
            }
            { match (&answer, &*checked) {
                (Some(a), _) if let Err(why) = &**a => html! { <p class={classes!("aws-problem", pending.then_some("stale"))} role="alert" data-testid="aws-matrix-problem">{ why.message.clone() }</p> },
                (Some(a), Some((events, n))) => html! {
                    <MatrixTable key={*n} answer={Shared(a.clone())} {pending}
                        events={events.clone()} rules={p.rules.clone()} />
                },
                _ => Html::default(),
            } }
        </>
    }
}

/// The worker's answer, compared by pointer (a new answer is a new table).
#[derive(Clone)]
struct Shared(Rc<MatrixAnswer>);

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Props of [`MatrixTable`].
#[derive(Properties, PartialEq)]
struct TableProps {
    /// The table the worker answered.
    answer: Shared,
    /// The worker works out a newer one.
    pending: bool,
    /// The texts of the current check (a picked cell's reasons are asked for with them).
    events: Text,
    rules: Text,
}

/// The table, its filter and a picked cell's reasons (drawn again on a scroll without the
/// editor above it).
#[component]
fn MatrixTable(p: &TableProps) -> Html {
    let filter = use_state(|| Filter::All);
    let picked = use_state(|| None::<(usize, usize)>);
    let first = use_state(|| 0usize);
    let scroller = use_node_ref();
    let detail = use_node_ref();
    let redraw = use_force_update();
    {
        // The worker answers later: the picked cell is read again then.
        use_effect_with((), move |_| {
            let on = Callback::from(move |kind: Kind| {
                if kind == Kind::MatrixCell {
                    redraw.force_update();
                }
            });
            let watch = worker::on_answer(on);
            move || drop(watch)
        });
    }
    {
        // A cell picked low in the table: its reasons (under the table) are brought into view;
        // the summary line above the table is sticky, so it stays in view too.
        let detail = detail.clone();
        use_effect_with(*picked, move |picked| {
            if picked.is_some()
                && let Some(el) = detail.cast::<web_sys::Element>()
            {
                reveal(&el);
            }
        });
    }
    let answer = p.answer.0.clone();
    // The rows the filter keeps (event indices), and the events no rule matches.
    let rows = use_memo((p.answer.clone(), *filter), {
        let answer = answer.clone();
        move |(_, f)| {
            let f = *f;
            match answer.as_ref() {
                Ok(v) => Rows {
                    kept: (0..v.events()).filter(|&e| f.keeps(v, e)).collect(),
                    unmatched: (0..v.events()).filter(|&e| !v.any(e)).collect(),
                },
                Err(_) => Rows::default(),
            }
        }
    });
    let Ok(view) = answer.as_ref() else {
        return Html::default();
    };
    // The picked cell's reasons, asked of the worker (it keeps the events and the verdicts).
    let cell = match (*picked, p.pending) {
        (Some((rule, event)), false) => {
            match worker::answer(
                Job::MatrixCell {
                    events: p.events.clone(),
                    rules: p.rules.clone(),
                    rule,
                    event,
                },
                false,
            ) {
                Some(Answer::MatrixCell(c)) => Picked::Got(c),
                _ => Picked::Asked,
            }
        }
        _ => Picked::Asked,
    };
    let back_to_top = {
        let (first, scroller) = (first.clone(), scroller.clone());
        move || {
            first.set(0);
            if let Some(el) = scroller.cast::<HtmlElement>() {
                el.set_scroll_top(0);
            }
        }
    };
    let on_scroll = {
        let first = first.clone();
        Callback::from(move |e: Event| {
            let top = e.target_unchecked_into::<HtmlElement>().scroll_top().max(0);
            let row = (top / ROW_PX) as usize;
            if row != *first {
                first.set(row);
            }
        })
    };
    let on_filter = {
        let (filter, back) = (filter.clone(), back_to_top);
        Callback::from(move |e: Event| {
            filter.set(Filter::read(
                &e.target_unchecked_into::<HtmlSelectElement>().value(),
            ));
            back();
        })
    };
    table(
        view,
        &rows,
        Shown {
            filter: *filter,
            first: *first,
            picked: *picked,
            pending: p.pending,
            cell,
        },
        &Handlers {
            on_filter,
            on_scroll,
            pick: picked.clone(),
            scroller,
            detail,
        },
    )
}

/// The rows a filter keeps, and the events no rule matches.
#[derive(Default, PartialEq)]
struct Rows {
    kept: Vec<usize>,
    unmatched: Vec<usize>,
}

/// The picked cell's answer.
enum Picked {
    /// Asked of the worker (or nothing picked).
    Asked,
    /// Its verdict and reasons (`None`: outside the table).
    Got(Option<MatrixCell>),
}

/// What the table shows now.
struct Shown {
    filter: Filter,
    /// The first row in view.
    first: usize,
    picked: Option<(usize, usize)>,
    /// The worker works out a newer table: this one is of the texts before.
    pending: bool,
    /// The picked cell's verdict and reasons.
    cell: Picked,
}

struct Handlers {
    on_filter: Callback<Event>,
    on_scroll: Callback<Event>,
    pick: UseStateHandle<Option<(usize, usize)>>,
    scroller: NodeRef,
    /// The picked cell's reasons.
    detail: NodeRef,
}

/// Scrolls `el` up into view when its bottom is below what its pane (or the window) shows.
fn reveal(el: &web_sys::Element) {
    let bottom = el.get_bounding_client_rect().bottom();
    let window = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(f64::MAX);
    let pane = el
        .closest(".aws-body")
        .ok()
        .flatten()
        .map_or(window, |b| b.get_bounding_client_rect().bottom());
    if bottom > pane.min(window) {
        el.scroll_into_view_with_bool(false);
    }
}

fn summary(v: &MatrixView, unmatched: &[usize]) -> String {
    let named = unmatched
        .iter()
        .take(NAMED)
        .map(|e| format!("#{}", e + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let more = if unmatched.len() > NAMED { ", …" } else { "" };
    format!(
        "{} × {}: {}.",
        count(v.rules.len(), "rule", "rules"),
        count(v.events(), "event", "events"),
        match unmatched.len() {
            0 => "every event matches at least one rule".to_owned(),
            n => format!(
                "{} no rule matches ({named}{more})",
                count(n, "event", "events")
            ),
        }
    )
}

fn table(v: &MatrixView, rows: &Rows, shown: Shown, h: &Handlers) -> Html {
    let pending = shown.pending.to_string();
    if v.rules.is_empty() {
        return html! { <p class="aws-problem" data-testid="aws-matrix-problem" data-pending={pending}>{ "The workspace has no rules: add some in the Rules editor, or import a template." }</p> };
    }
    let kept = &rows.kept;
    let totals = &v.totals;
    let n = v.events();
    let from = shown.first.saturating_sub(BEFORE).min(kept.len());
    let to = (from + DRAWN).min(kept.len());
    let px = |rows: usize| format!("height: {}px", rows as i64 * i64::from(ROW_PX));
    let width = 200 + 112 * v.rules.len();
    let cols = (v.rules.len() + 1).to_string();
    let options = std::iter::once((Filter::All, format!("All events ({n})")))
        .chain(std::iter::once((
            Filter::Unmatched,
            format!("Events no rule matches ({})", rows.unmatched.len()),
        )))
        .chain(v.rules.iter().enumerate().flat_map(|(r, rule)| {
            let hit = totals.get(r).copied().unwrap_or(0);
            [
                (
                    Filter::MatchedBy(r),
                    format!("Matched by {} ({hit})", rule.name),
                ),
                (
                    Filter::MissedBy(r),
                    format!("Missed by {} ({})", rule.name, n.saturating_sub(hit)),
                ),
            ]
        }));
    let detail = shown
        .picked
        .and_then(|(r, e)| Some((v.rules.get(r)?, v.row(e)?, e)));
    html! {
        <div class={classes!("matrix-block", shown.pending.then_some("stale"))} data-testid="aws-matrix" data-pending={pending}>
            <p class="aws-summary-line" role="status">{ summary(v, &rows.unmatched) }</p>
            <div class="matrix-tools">
                <label>
                    <span>{ "Show" }</span>
                    <select data-testid="matrix-filter" onchange={h.on_filter.clone()}>
                        { for options.map(|(f, label)| html! {
                            <option value={f.value()} selected={f == shown.filter}>{ label }</option>
                        }) }
                    </select>
                </label>
                <span class="muted" data-testid="matrix-count">{ format!("{} of {} shown", kept.len(), count(n, "event", "events")) }</span>
            </div>
            <div class="matrix-scroll" tabindex="0" aria-label="Events against rules" ref={h.scroller.clone()}
                 onscroll={h.on_scroll.clone()} data-testid="matrix-scroll" aria-busy={shown.pending.to_string()}>
                <table class="matrix" style={format!("width: {width}px")} aria-rowcount={(kept.len() + 1).to_string()}>
                    <colgroup>
                        <col style="width: 200px" />
                        { for v.rules.iter().map(|_| html! { <col style="width: 112px" /> }) }
                    </colgroup>
                    <thead>
                        <tr>
                            <th class="corner" scope="col">{ "Event ╲ rule" }</th>
                            { for v.rules.iter().enumerate().map(|(r, rule)| {
                                let total = totals.get(r).copied().unwrap_or(0);
                                html! {
                                <th scope="col" data-testid="matrix-rule" data-rule={rule.name.clone()}
                                    title={rule.problem.clone().unwrap_or_else(|| format!("{} on bus {}: matches {total} of {n} events", rule.name, rule.bus))}>
                                    <span class="rule-name">{ rule.name.clone() }</span>
                                    if rule.bus != "default" { <span class="rule-bus">{ rule.bus.clone() }</span> }
                                    if rule.problem.is_some() {
                                        <span class="badge warn">{ "no pattern" }</span>
                                    } else {
                                        <span class="rule-total" data-testid="matrix-total">{ format!("✓ {total}") }</span>
                                    }
                                </th>
                            } }) }
                        </tr>
                    </thead>
                    <tbody>
                        if from > 0 { <tr class="spacer" aria-hidden="true"><td colspan={cols.clone()} style={px(from)}></td></tr> }
                        { for kept[from..to].iter().enumerate().map(|(i, &e)| row(v, e, (from + i) % DRAWN, shown.picked, &h.pick)) }
                        if to < kept.len() { <tr class="spacer" aria-hidden="true"><td colspan={cols.clone()} style={px(kept.len() - to)}></td></tr> }
                    </tbody>
                </table>
                if kept.is_empty() { <p class="muted matrix-empty">{ "No event is left by this filter." }</p> }
            </div>
            if let Some((rule, (line, ev), e)) = detail {
                <div class="matrix-detail" data-testid="matrix-detail" ref={h.detail.clone()}>
                    { match &shown.cell {
                        Picked::Got(Some(cell)) => html! {
                            <>
                                <p><strong>{ rule.name.clone() }</strong>{ format!(" × event #{} ({} / {}, line {line}): ", e + 1, ev.source, ev.detail_type) }
                                    if cell.matched { <span class="badge ok">{ "✓ matches" }</span> } else { <span class="badge bad">{ "✕ does not match" }</span> }
                                </p>
                                if !cell.matched { <ul class="aws-notes">{ for cell.reasons.iter().map(|why| html! { <li>{ why.clone() }</li> }) }</ul> }
                            </>
                        },
                        Picked::Got(None) => html! {
                            <p><strong>{ rule.name.clone() }</strong>{ format!(" × event #{}: no longer in the table.", e + 1) }</p>
                        },
                        Picked::Asked => html! {
                            <p data-testid="matrix-detail-asked"><strong>{ rule.name.clone() }</strong>{ format!(" × event #{} ({} / {}, line {line}): ", e + 1, ev.source, ev.detail_type) }
                                <span class="muted">{ "working out why…" }</span>
                            </p>
                        },
                    } }
                </div>
            } else {
                <p class="muted aws-hint">{ "Pick a cell to read why it matches or not." }</p>
            }
        </div>
    }
}

/// One event's row, keyed by its place modulo the rows drawn: a row still drawn after a scroll
/// keeps its element (and the focus in it), and the elements of rows scrolled out are rewritten
/// in place for the rows scrolled in (a jump rewrites them all, making none).
fn row(
    v: &MatrixView,
    e: usize,
    slot: usize,
    picked: Option<(usize, usize)>,
    pick: &UseStateHandle<Option<(usize, usize)>>,
) -> Html {
    let Some((line, ev)) = v.row(e) else {
        return Html::default();
    };
    let lonely = !v.any(e);
    html! {
        <tr key={slot} class={classes!(lonely.then_some("lonely"))}>
            <th scope="row" title={format!("Event #{} (line {line}), bus {}: {} / {}", e + 1, ev.bus(), ev.source, ev.detail_type)}>
                <span class="ev-no">{ format!("#{} · line {line}", e + 1) }</span>
                <span class="ev-type">{ ev.detail_type.clone() }<span class="ev-source">{ format!(" {}", ev.source) }</span></span>
            </th>
            { for v.rules.iter().enumerate().map(|(r, rule)| {
                let yes = v.matched(r, e);
                let on = picked == Some((r, e));
                let pick = pick.clone();
                html! {
                    <td class={classes!(if yes { "yes" } else { "no" }, on.then_some("picked"))}>
                        <button class="cell" data-testid="matrix-cell" data-rule={rule.name.clone()} data-event={e.to_string()}
                                data-matched={yes.to_string()} aria-pressed={on.to_string()}
                                aria-label={format!("{} × event #{}: {}", rule.name, e + 1, if yes { "matches" } else { "does not match" })}
                                onclick={Callback::from(move |_| pick.set(if on { None } else { Some((r, e)) }))}>
                            { if yes { "✓ match" } else { "✕ no" } }
                        </button>
                    </td>
                }
            }) }
        </tr>
    }
}
