//! The keyboard help overlay.

use yew::prelude::*;

/// Props of [`Help`].
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// Close it.
    pub on_close: Callback<()>,
}

const KEYS: [(&str, &str); 10] = [
    ("Ctrl + Enter", "Run the rules and the state machine"),
    ("F10", "Step one history event forward"),
    ("Shift + F10", "Step one history event back"),
    ("Space", "Play / pause (outside the editors)"),
    ("Home / End", "Jump to the start / end of the execution"),
    ("Shift + Alt + F", "Format every editor"),
    ("Esc", "Close the inspector or this help"),
    ("?", "Show this help"),
    (
        "Tab, then Enter / Space",
        "Inspect a state of the graph (after Run, the focus is on the graph)",
    ),
    ("Drag / wheel / pinch", "Pan / zoom the graph"),
];

/// The help overlay.
#[component]
pub fn Help(p: &HelpProps) -> Html {
    let close = {
        let cb = p.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let stop = Callback::from(|e: MouseEvent| e.stop_propagation());
    // Focus moves into the dialog when it opens, so keyboard and screen-reader users land in it.
    let close_button = use_node_ref();
    {
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            if let Some(el) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        });
    }
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title" onclick={stop}>
                <header class="pane-head">
                    <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                    <span class="grow"></span>
                    <button class="btn icon" ref={close_button} onclick={close} aria-label="Close">{ "✕" }</button>
                </header>
                <table class="keys">
                    { for KEYS.iter().map(|(k, what)| html! { <tr><td><kbd>{ *k }</kbd></td><td>{ *what }</td></tr> }) }
                </table>
                <p class="muted">{ "Everything runs in your browser: no event, rule or definition leaves this page. Share links carry the workspace in the URL fragment, which browsers never send to a server." }</p>
            </div>
        </div>
    }
}
