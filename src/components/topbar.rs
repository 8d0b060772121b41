//! The top bar: title, the examples picker, Run / Step / Reset, Share and Help.

use crate::workspace::Example;
use std::rc::Rc;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Props of [`TopBar`].
#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    /// The bundled examples.
    pub examples: Rc<Vec<Example>>,
    /// The example the workspace came from.
    pub current: Option<String>,
    /// Whether an undo of the last example load is possible.
    pub can_undo: bool,
    /// Load an example by name.
    pub on_example: Callback<String>,
    /// Run.
    pub on_run: Callback<()>,
    /// Step one event.
    pub on_step: Callback<()>,
    /// Reset the run.
    pub on_reset: Callback<()>,
    /// Undo the last example load.
    pub on_undo: Callback<()>,
    /// Make a share link.
    pub on_share: Callback<()>,
    /// Open the keyboard help.
    pub on_help: Callback<()>,
}

fn click(cb: &Callback<()>) -> Callback<MouseEvent> {
    let cb = cb.clone();
    Callback::from(move |_| cb.emit(()))
}

/// Stroke paths (24×24) of the icons whose emoji many system fonts lack.
const STEP: &str = "M5 5v14l9-7zM18 5v14";
const LINK: &str = "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1";

fn icon(path: &'static str) -> Html {
    html! { <svg viewBox="0 0 24 24" aria-hidden="true"><path d={path} /></svg> }
}

/// The top bar.
#[component]
pub fn TopBar(p: &TopBarProps) -> Html {
    let on_pick = {
        let cb = p.on_example.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if !value.is_empty() {
                cb.emit(value);
            }
        })
    };
    let current = p.current.clone().unwrap_or_default();
    let described = p
        .examples
        .iter()
        .find(|e| e.name == current)
        .map(|e| e.description.clone())
        .unwrap_or_default();
    html! {
        <header class="topbar" role="banner">
            <h1><span class="logo" aria-hidden="true">{ "◆" }</span>{ "statebridge" }</h1>
            <label class="examples" title={described}>
                <span class="label">{ "Example" }</span>
                <select data-testid="examples" data-example={current.clone()} onchange={on_pick} aria-label="Load an example">
                    <option value="" selected={current.is_empty()} disabled=true>
                        { if p.examples.is_empty() { "no examples bundled" } else { "Choose an example…" } }
                    </option>
                    { for p.examples.iter().map(|e| html! {
                        <option value={e.name.clone()} selected={e.name == current}>{ e.title.clone() }</option>
                    }) }
                </select>
            </label>
            if p.can_undo {
                <button class="btn" onclick={click(&p.on_undo)} data-testid="undo" title="Put back the work the example replaced">{ "↶ Undo load" }</button>
            }
            <span class="sep"></span>
            <button class="btn primary" data-testid="run" onclick={click(&p.on_run)} title="Run the rules and the state machine (Ctrl+Enter)">{ "▶ Run" }</button>
            <button class="btn" data-testid="step" onclick={click(&p.on_step)} title="One history event forward (F10)">{ icon(STEP) }{ "Step" }</button>
            <button class="btn" data-testid="reset" onclick={click(&p.on_reset)} title="Clear the run">{ "⟲ Reset" }</button>
            <span class="grow"></span>
            <button class="btn" data-testid="share" onclick={click(&p.on_share)} title="Copy a link that restores this whole workspace">{ icon(LINK) }{ "Share" }</button>
            <button class="btn icon" onclick={click(&p.on_help)} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">{ "?" }</button>
        </header>
    }
}
