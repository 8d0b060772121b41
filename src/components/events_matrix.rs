//! The From AWS tab's sample events against the workspace's rules: a table with an event per
//! row and a rule per column, each rule's column headed by how many events it matches, and a
//! filter (events no rule matches, events a rule matches or misses). The engine finds every
//! verdict in one pass (`matrix::Verdicts`: one compiled matcher per bus); a cell's reasons are
//! worked out when it is picked. Only the rows in view are drawn (fixed row height in a scroll
//! box), so 10,000 events × 10 rules is a few hundred cells on the page, not 100,000.

use crate::artifacts;
use crate::components::aws::{count, format_json, load_example};
use crate::components::editor::Editor;
use statebridge_engine::artifacts::matrix::Verdicts;
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

    fn keeps(self, v: &Verdicts, e: usize) -> bool {
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
    pub rules: AttrValue,
    /// The pasted events.
    pub text: AttrValue,
    /// The events text changed.
    pub on_text: Callback<String>,
}

type Checked = Option<Result<Rc<Verdicts>, String>>;

/// The events × rules part.
#[component]
pub fn MatrixPart(p: &MatrixProps) -> Html {
    let problem = use_state(|| None::<String>);
    // The events checked (the table follows the rules as they are edited).
    let checked = use_state(|| None::<AttrValue>);
    let filter = use_state(|| Filter::All);
    let picked = use_state(|| None::<(usize, usize)>);
    let first = use_state(|| 0usize);
    let scroller = use_node_ref();
    let detail = use_node_ref();
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
    let result: Rc<(Checked, Rc<Vec<crate::highlight::Mark>>)> =
        use_memo(((*checked).clone(), p.rules.clone()), |(events, rules)| {
            let Some(events) = events else {
                return (None, Rc::default());
            };
            match artifacts::events_matrix(events, rules) {
                Ok(v) => (Some(Ok(Rc::new(v))), Rc::default()),
                Err(Ok(e)) => (
                    Some(Err(format!("Sample events: {e}"))),
                    Rc::new(vec![artifacts::mark(&e)]),
                ),
                Err(Err(why)) => (Some(Err(why)), Rc::default()),
            }
        });
    let verdicts = match &result.0 {
        Some(Ok(v)) => Some(v.clone()),
        _ => None,
    };
    // The rows the filter keeps (event indices).
    let rows = use_memo(
        (verdicts.as_ref().map(|v| Rc::as_ptr(v) as usize), *filter),
        {
            let verdicts = verdicts.clone();
            move |(_, f)| {
                let f = *f;
                verdicts.as_ref().map_or_else(Vec::new, |v| {
                    (0..v.events.len()).filter(|&e| f.keeps(v, e)).collect()
                })
            }
        },
    );
    let back_to_top = {
        let (first, scroller) = (first.clone(), scroller.clone());
        move || {
            first.set(0);
            if let Some(el) = scroller.cast::<HtmlElement>() {
                el.set_scroll_top(0);
            }
        }
    };
    let check = {
        let (text, checked, picked, back) = (
            p.text.clone(),
            checked.clone(),
            picked.clone(),
            back_to_top.clone(),
        );
        Callback::from(move |_| {
            picked.set(None);
            back();
            checked.set(Some(text.clone()));
        })
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
    html! {
        <>
            <p class="aws-intro">
                { "Paste sample events — a JSON list, one per line (JSON Lines, as the AWS CLI and CloudWatch print them), or PutEvents entries as the CLI takes them — and see which of the workspace's rules match each one, and why not." }
            </p>
            <div class="aws-editor">
                <Editor testid="aws-events" title="Sample events" hint="a list, JSON Lines or PutEvents entries" value={p.text.clone()}
                    marks={result.1.clone()} on_input={p.on_text.clone()} on_format={format_json(p.text.clone(), p.on_text.clone())} />
            </div>
            <div class="aws-actions">
                <button class="btn primary" data-testid="aws-matrix-run" onclick={check} disabled={p.text.trim().is_empty()}>{ "Check every event against the rules" }</button>
                <button class="btn" data-testid="aws-events-example" onclick={load_example("events.jsonl", p.on_text.clone(), problem.clone())}>{ "Load example events" }</button>
            </div>
            if let Some(why) = &*problem {
                <p class="aws-problem" role="alert" data-testid="aws-problem">{ why.clone() }</p>
            }
            { match (&result.0, verdicts) {
                (Some(Err(why)), _) => html! { <p class="aws-problem" role="alert" data-testid="aws-matrix-problem">{ why.clone() }</p> },
                (_, Some(v)) => table(&v, &rows, Shown { filter: *filter, first: *first, picked: *picked },
                    &Handlers { on_filter, on_scroll, pick: picked.clone(), scroller, detail }),
                _ => Html::default(),
            } }
        </>
    }
}

/// What the table shows now.
struct Shown {
    filter: Filter,
    /// The first row in view.
    first: usize,
    picked: Option<(usize, usize)>,
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

fn summary(v: &Verdicts) -> String {
    let unmatched = v.unmatched();
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
        count(v.events.len(), "event", "events"),
        match unmatched.len() {
            0 => "every event matches at least one rule".to_owned(),
            n => format!(
                "{} no rule matches ({named}{more})",
                count(n, "event", "events")
            ),
        }
    )
}

fn table(v: &Verdicts, rows: &[usize], shown: Shown, h: &Handlers) -> Html {
    if v.rules.is_empty() {
        return html! { <p class="aws-problem" data-testid="aws-matrix-problem">{ "The workspace has no rules: add some in the Rules editor, or import a template." }</p> };
    }
    let totals = v.totals();
    let n = v.events.len();
    let from = shown.first.saturating_sub(BEFORE).min(rows.len());
    let to = (from + DRAWN).min(rows.len());
    let px = |rows: usize| format!("height: {}px", rows as i64 * i64::from(ROW_PX));
    let width = 200 + 112 * v.rules.len();
    let cols = (v.rules.len() + 1).to_string();
    let options = std::iter::once((Filter::All, format!("All events ({n})")))
        .chain(std::iter::once((
            Filter::Unmatched,
            format!(
                "Events no rule matches ({})",
                n - (0..n).filter(|&e| v.any(e)).count()
            ),
        )))
        .chain(v.rules.iter().enumerate().flat_map(|(r, rule)| {
            [
                (
                    Filter::MatchedBy(r),
                    format!("Matched by {} ({})", rule.name, totals[r]),
                ),
                (
                    Filter::MissedBy(r),
                    format!("Missed by {} ({})", rule.name, n - totals[r]),
                ),
            ]
        }));
    let detail = shown
        .picked
        .and_then(|(r, e)| Some((v.rules.get(r)?, v.events.get(e)?, v.cell(r, e)?, e)));
    html! {
        <div class="matrix-block" data-testid="aws-matrix">
            <p class="aws-summary-line" role="status">{ summary(v) }</p>
            <div class="matrix-tools">
                <label>
                    <span>{ "Show" }</span>
                    <select data-testid="matrix-filter" onchange={h.on_filter.clone()}>
                        { for options.map(|(f, label)| html! {
                            <option value={f.value()} selected={f == shown.filter}>{ label }</option>
                        }) }
                    </select>
                </label>
                <span class="muted" data-testid="matrix-count">{ format!("{} of {} shown", rows.len(), count(n, "event", "events")) }</span>
            </div>
            <div class="matrix-scroll" tabindex="0" aria-label="Events against rules" ref={h.scroller.clone()}
                 onscroll={h.on_scroll.clone()} data-testid="matrix-scroll">
                <table class="matrix" style={format!("width: {width}px")} aria-rowcount={(rows.len() + 1).to_string()}>
                    <colgroup>
                        <col style="width: 200px" />
                        { for v.rules.iter().map(|_| html! { <col style="width: 112px" /> }) }
                    </colgroup>
                    <thead>
                        <tr>
                            <th class="corner" scope="col">{ "Event ╲ rule" }</th>
                            { for v.rules.iter().enumerate().map(|(r, rule)| html! {
                                <th scope="col" data-testid="matrix-rule" data-rule={rule.name.clone()}
                                    title={rule.problem.clone().unwrap_or_else(|| format!("{} on bus {}: matches {} of {n} events", rule.name, rule.bus, totals[r]))}>
                                    <span class="rule-name">{ rule.name.clone() }</span>
                                    if rule.bus != "default" { <span class="rule-bus">{ rule.bus.clone() }</span> }
                                    if rule.problem.is_some() {
                                        <span class="badge warn">{ "no pattern" }</span>
                                    } else {
                                        <span class="rule-total" data-testid="matrix-total">{ format!("✓ {}", totals[r]) }</span>
                                    }
                                </th>
                            }) }
                        </tr>
                    </thead>
                    <tbody>
                        if from > 0 { <tr class="spacer" aria-hidden="true"><td colspan={cols.clone()} style={px(from)}></td></tr> }
                        { for rows[from..to].iter().map(|&e| row(v, e, shown.picked, &h.pick)) }
                        if to < rows.len() { <tr class="spacer" aria-hidden="true"><td colspan={cols.clone()} style={px(rows.len() - to)}></td></tr> }
                    </tbody>
                </table>
                if rows.is_empty() { <p class="muted matrix-empty">{ "No event is left by this filter." }</p> }
            </div>
            if let Some((rule, ev, cell, e)) = detail {
                <div class="matrix-detail" data-testid="matrix-detail" ref={h.detail.clone()}>
                    <p><strong>{ rule.name.clone() }</strong>{ format!(" × event #{} ({}, line {}): ", e + 1, ev.label, ev.line) }
                        if cell.matched { <span class="badge ok">{ "✓ matches" }</span> } else { <span class="badge bad">{ "✕ does not match" }</span> }
                    </p>
                    if !cell.matched { <ul class="aws-notes">{ for cell.reasons.iter().map(|why| html! { <li>{ why.clone() }</li> }) }</ul> }
                </div>
            } else {
                <p class="muted aws-hint">{ "Pick a cell to read why it matches or not." }</p>
            }
        </div>
    }
}

fn row(
    v: &Verdicts,
    e: usize,
    picked: Option<(usize, usize)>,
    pick: &UseStateHandle<Option<(usize, usize)>>,
) -> Html {
    let ev = &v.events[e];
    let text = |k: &str| {
        ev.event
            .get(k)
            .and_then(|t| t.as_str())
            .unwrap_or("?")
            .to_owned()
    };
    let lonely = !v.any(e);
    html! {
        <tr key={e} class={classes!(lonely.then_some("lonely"))}>
            <th scope="row" title={format!("Event #{} (line {}), bus {}: {}", e + 1, ev.line, ev.bus, ev.label)}>
                <span class="ev-no">{ format!("#{} · line {}", e + 1, ev.line) }</span>
                <span class="ev-type">{ text("detail-type") }<span class="ev-source">{ format!(" {}", text("source")) }</span></span>
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
