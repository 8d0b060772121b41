//! A JSON editor in one of two modes. The code editor (CodeMirror 6, `crate::code_editor`,
//! loaded after the first paint) draws only the lines in view, so a 2 MB document types as fast
//! as a short one, and knows the languages (completion, hover docs, quick fixes). Plain text is a
//! textarea (typing, pasting, Playwright's `fill` and screen readers all work; the browser tests
//! use it) with transparent text over a coloured copy, a line-number gutter and the engine's
//! diagnostics marked in place; both layers sit in one grid cell and scroll together. The pane
//! starts plain and becomes the code editor when its module has arrived, unless the user chose
//! plain text (remembered).

use crate::code_editor;
use crate::highlight::{Mark, looks_like_yaml, to_html, yaml_to_html};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

/// Props of [`Editor`].
#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The `data-testid` of the textarea.
    pub testid: AttrValue,
    /// The editor's title, also its accessible name.
    pub title: AttrValue,
    /// A short hint under the title.
    #[prop_or_default]
    pub hint: AttrValue,
    /// The text.
    pub value: AttrValue,
    /// Diagnostics to mark.
    pub marks: Rc<Vec<Mark>>,
    /// Called with the new text on every edit.
    pub on_input: Callback<String>,
    /// Called when the Format button is pressed.
    pub on_format: Callback<()>,
    /// Extra controls for the header.
    #[prop_or_default]
    pub children: Html,
    /// A bar between the header and the text (the machine editor's tabs).
    #[prop_or_default]
    pub bar: Html,
    /// Whether the plain editor colours the text (as YAML when the editor's language is a
    /// template and the text does not start as JSON does, else as JSON).
    #[prop_or(true)]
    pub colour: bool,
}

/// The code's line height and top padding (`--code-line` and `.code > textarea` in style.css).
const LINE_PX: f64 = 19.0;
const PAD_TOP_PX: f64 = 6.0;
/// Above this size the plain editor shows its text uncoloured: it colours the whole text on
/// every edit, which measured (Chromium, 2-core machine) no task over 50 ms per keystroke at 8 KB,
/// about 80 ms at 16 KB, 60–130 ms at 64 KB and 250–400 ms at 180 KB. Every example's texts are
/// under it; the code editor (the default) colours only what is in view, at any size.
const COLOUR_LIMIT: usize = 10 * 1024;
/// Above this size the plain editor says that the code editor is the quick one here: a textarea
/// lays out and paints its whole text at every key (Chromium's own work, not the app's), which
/// measured about 40–60 ms a key at 480 KB pretty-printed, 90–190 ms at 1.2 MB (with 40–90 ms of
/// painting after it) and 60–70 ms on one line of 1.5 MB, where the code editor stays under 30.
const PLAIN_QUICK_LIMIT: usize = 256 * 1024;

/// One editor pane.
#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let id = format!("ed-{}", props.testid);
    // A template is YAML or JSON (the others are JSON).
    let template = code_editor::language_of(&props.testid) == "template";
    let plain = use_state(code_editor::plain_wanted);
    let ready = use_state(code_editor::loaded);
    {
        let ready = ready.clone();
        use_effect_with(*plain, move |plain| {
            if !*plain && !*ready {
                code_editor::load(move |ok| ready.set(ok));
            }
        });
    }
    let code = !*plain && *ready;
    let host = use_node_ref();
    // The latest on_input, for the code editor's change handler (mounted once).
    let on_input_now = use_mut_ref(|| props.on_input.clone());
    *on_input_now.borrow_mut() = props.on_input.clone();
    // The text the code editor last handed over: when the app's value comes back equal to it, it
    // is the editor's own edit, not a change to send back across (2 MB for a big event).
    let from_editor: Rc<RefCell<Option<AttrValue>>> = use_mut_ref(|| None);
    {
        let (host, id, testid) = (host.clone(), id.clone(), props.testid.clone());
        let (value, label, marks) = (
            props.value.clone(),
            props.title.clone(),
            props.marks.clone(),
        );
        let send: Rc<RefCell<Callback<String>>> = on_input_now.clone();
        let seen = from_editor.clone();
        use_effect_with(code, move |code| {
            let el = host.cast::<web_sys::Element>();
            if *code && let Some(el) = &el {
                let label = format!(
                    "{label} ({})",
                    if template { "YAML or JSON" } else { "JSON" }
                );
                code_editor::mount(&id, el, &value, &testid, &label, move |text| {
                    *seen.borrow_mut() = Some(AttrValue::from(text.clone()));
                    send.borrow().emit(text)
                });
                code_editor::marks(&id, &marks);
            }
            move || {
                if let Some(el) = el {
                    code_editor::unmount(&id, &el);
                }
            }
        });
    }
    {
        let id = id.clone();
        let seen = from_editor.clone();
        use_effect_with((code, props.value.clone()), move |(code, value)| {
            if *code && seen.borrow().as_ref() != Some(value) {
                code_editor::set(&id, value);
            }
        });
    }
    {
        let id = id.clone();
        use_effect_with((code, props.marks.clone()), move |(code, marks)| {
            if *code {
                code_editor::marks(&id, marks);
            }
        });
    }
    let colour = props.colour && !code && props.value.len() <= COLOUR_LIMIT;
    let highlighted = {
        let (value, marks) = (props.value.clone(), props.marks.clone());
        use_memo((value, marks, colour), move |(v, m, colour)| {
            if !*colour {
                Html::default()
            } else if template && looks_like_yaml(v) {
                Html::from_html_unchecked(AttrValue::from(yaml_to_html(v, m)))
            } else {
                Html::from_html_unchecked(AttrValue::from(to_html(v, m)))
            }
        })
    };
    let kind = if template { "YAML or JSON" } else { "JSON" };
    // (Only the plain editor draws line numbers; the code editor counts its own.)
    let lines = if code {
        1
    } else {
        props.value.split('\n').count().max(1)
    };
    let gutter = use_memo((lines, props.marks.clone()), |(lines, marks)| {
        gutter_lines(*lines, marks)
    });
    let on_input = {
        let cb = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_format = {
        let cb = props.on_format.clone();
        Callback::from(move |_| cb.emit(()))
    };
    // The coloured layer lies under the textarea, so the textarea itself carries the hover text:
    // the messages of the line under the pointer.
    let on_hover = {
        let marks = props.marks.clone();
        Callback::from(move |e: MouseEvent| {
            let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let line = (f64::from(e.offset_y()) - PAD_TOP_PX) / LINE_PX;
            let line = if line < 0.0 { 0 } else { line as u32 + 1 };
            let here: Vec<&str> = marks
                .iter()
                .filter(|m| m.line == line)
                .map(|m| m.message.as_str())
                .collect();
            let _ = if here.is_empty() {
                el.remove_attribute("title")
            } else {
                el.set_attribute("title", &format!("Line {line}: {}", here.join("\n")))
            };
        })
    };
    let count = props.marks.len();
    let toggle_plain = {
        let plain = plain.clone();
        Callback::from(move |_| {
            code_editor::set_plain(!*plain);
            plain.set(!*plain);
        })
    };
    let collapsed = use_state(|| false);
    let toggle = {
        let collapsed = collapsed.clone();
        Callback::from(move |_| collapsed.set(!*collapsed))
    };
    // The first problem in words under the text, so nobody has to hover to read it.
    let first = props.marks.iter().min_by_key(|m| (m.line, m.column));
    html! {
        <section class={classes!("pane", "editor", collapsed.then_some("collapsed"))} aria-labelledby={format!("{id}-title")}>
            <header class="pane-head">
                <button class="btn icon fold" onclick={toggle} aria-expanded={(!*collapsed).to_string()} aria-controls={format!("{id}-body")}
                        title={if *collapsed { "Show this editor" } else { "Fold this editor away" }}>
                    { if *collapsed { "▸" } else { "▾" } }
                </button>
                <h2 id={format!("{id}-title")}>{ props.title.clone() }</h2>
                if !props.hint.is_empty() { <span class="hint">{ props.hint.clone() }</span> }
                <span class="grow"></span>
                { props.children.clone() }
                if count > 0 {
                    <span class="badge bad" title="Problems in this editor (see Diagnostics)">
                        { format!("✕ {count}") }
                    </span>
                }
                <button class="btn small" onclick={toggle_plain.clone()} aria-pressed={plain.to_string()} data-testid={format!("plain-{}", props.testid)}
                        title={if *plain { "Use the code editor (completion, hover help, fast with big documents)" } else { "Use a plain text box (screen readers, phones)" }}>
                    { "Plain" }
                </button>
                <button class="btn small" onclick={on_format} title="Format JSON (Shift+Alt+F)">{ "Format" }</button>
            </header>
            { props.bar.clone() }
            if *plain && props.value.len() > PLAIN_QUICK_LIMIT {
                <p class="editor-note" role="note" data-testid={format!("plain-slow-{}", props.testid)}>
                    <span class="msg">{ format!(
                        "{}: slow in a plain text box, which redraws all of it at every key.",
                        crate::link::size_in_words(props.value.len())
                    ) }</span>
                    <button class="btn small" onclick={toggle_plain.clone()} title="The code editor draws only the lines in view: quick at any size">{ "Use the code editor" }</button>
                </p>
            }
            if code {
                <div class="editor-scroll code-host" id={format!("{id}-body")} style="overflow: hidden; display: flex; flex-direction: column;">
                    <div ref={host} id={id.clone()} style="flex: 1; min-height: 0;"></div>
                </div>
            } else {
            <div class="editor-scroll" id={format!("{id}-body")}>
                <div class="editor-grid">
                    <div class="gutter" aria-hidden="true">{ (*gutter).clone() }</div>
                    <div class="code">
                        if colour { <pre class="hl" aria-hidden="true">{ (*highlighted).clone() }</pre> }
                        <textarea
                            style={(!colour).then_some("color: var(--fg); caret-color: var(--fg);")}
                            id={id}
                            data-testid={props.testid.clone()}
                            aria-label={format!("{} ({kind})", props.title)}
                            aria-invalid={(count > 0).to_string()}
                            wrap="off"
                            spellcheck="false"
                            autocomplete="off"
                            autocapitalize="off"
                            value={props.value.clone()}
                            oninput={on_input}
                            onmousemove={on_hover}
                        />
                    </div>
                </div>
            </div>
            }
            if let Some(m) = first {
                <p class="editor-foot" role="status">
                    <span class="where">{ format!("{}:{}", m.line, m.column) }</span>
                    <span class="msg">{ m.message.clone() }</span>
                    if count > 1 { <span class="more">{ format!("+{} more", count - 1) }</span> }
                </p>
            }
        </section>
    }
}

/// Scrolls the plain editor holding `textarea` so that `line` is in the middle of its view (the
/// textarea grows with its text, so its pane scrolls, not the textarea).
pub fn scroll_to_line(textarea: &HtmlTextAreaElement, line: u32) {
    if let Ok(Some(pane)) = textarea.closest(".editor-scroll") {
        let y = PAD_TOP_PX + LINE_PX * f64::from(line.saturating_sub(1));
        let top = y - f64::from(pane.client_height()) / 2.0;
        pane.set_scroll_top(top.max(0.0) as i32);
    }
}

/// The line numbers: runs of plain numbers as one text each (a few nodes, not one per line, so a
/// long document opens quickly), and each line with a diagnostic as its own flagged element with
/// the messages as its tooltip.
fn gutter_lines(lines: usize, marks: &[Mark]) -> Html {
    let mut flagged: Vec<usize> = marks.iter().map(|m| m.line as usize).collect();
    flagged.sort_unstable();
    flagged.dedup();
    let run = |from: usize, to: usize| -> Html {
        let text: Vec<String> = (from..to).map(|n| n.to_string()).collect();
        html! { <div class="ln-run">{ text.join("\n") }</div> }
    };
    let mut out = Vec::with_capacity(flagged.len() * 2 + 1);
    let mut next = 1;
    for &n in flagged.iter().filter(|&&n| (1..=lines).contains(&n)) {
        if n > next {
            out.push(run(next, n));
        }
        let here: Vec<&str> = marks
            .iter()
            .filter(|m| m.line as usize == n)
            .map(|m| m.message.as_str())
            .collect();
        out.push(html! {
            <div class="ln has-diag" title={here.join("\n")} data-line={n.to_string()}>{ "● " }{ n }</div>
        });
        next = n + 1;
    }
    if next <= lines {
        out.push(run(next, lines + 1));
    }
    out.into_iter().collect()
}
