//! The bridge to the code editor: CodeMirror 6 (`editor/`, bundled into `dist/editor/codemirror.js`)
//! loaded by `glue.js` after the first paint. The editor asks the engine's `assist` module what
//! to complete and what a word means; these functions carry its questions across.

use crate::highlight::Mark;
use statebridge_engine::assist::{self, Language, Request};
use wasm_bindgen::JsValue;
use wasm_bindgen::closure::Closure;

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    fn load_editor(url: &str, done: &JsValue);
    fn editor_loaded() -> bool;
    #[allow(clippy::too_many_arguments)]
    fn mount_editor(
        id: &str,
        host: &web_sys::Element,
        text: &str,
        testid: &str,
        label: &str,
        lang: &str,
        on_change: &JsValue,
        complete: &JsValue,
        hover: &JsValue,
    ) -> bool;
    fn unmount_editor(id: &str, host: &web_sys::Element);
    fn editor_set(id: &str, text: &str);
    fn editor_marks(id: &str, marks: &str);
    fn editor_goto(id: &str, line: u32, column: u32) -> bool;
}

/// Where the bundle is, beside the page.
const URL: &str = "editor/codemirror.js";
/// localStorage key of the chosen mode (`plain` or `code`).
const MODE_KEY: &str = "statebridge.editor";

/// Whether the user wants the plain textarea (saved across visits; the code editor otherwise).
pub fn plain_wanted() -> bool {
    crate::dom::load(MODE_KEY).as_deref() == Some("plain")
}

/// Saves the choice of mode. A storage that refuses it costs only the preference (the
/// workspace's autosave tells the user about a full storage).
pub fn set_plain(plain: bool) {
    let _ = crate::dom::save(MODE_KEY, if plain { "plain" } else { "code" });
}

/// Whether the code editor's module is here.
pub fn loaded() -> bool {
    editor_loaded()
}

/// Loads the code editor's module once; `done(true)` when it is ready.
pub fn load(done: impl FnOnce(bool) + 'static) {
    load_editor(
        URL,
        &Closure::once_into_js(move |ok: JsValue| done(ok.as_bool().unwrap_or(false))),
    );
}

/// The language of an editor, from its `data-testid`.
pub fn language_of(testid: &str) -> &'static str {
    match testid {
        "editor-machine" => "asl",
        "editor-rule" => "rules",
        "editor-mocks" => "mocks",
        // YAML or JSON, coloured by what it starts with; no completion.
        "aws-template" => "template",
        _ => "event",
    }
}

thread_local! {
    /// The engine's answers, as JavaScript functions (made once, kept for the page's life).
    static SERVICES: (JsValue, JsValue) = (
        Closure::<dyn Fn(String, String) -> String>::new(|lang: String, request: String| {
            read(&lang, &request)
                .map(|(lang, at)| serde_json::to_string(&assist::complete(lang, &at)).unwrap_or_default())
                .unwrap_or_default()
        })
        .into_js_value(),
        Closure::<dyn Fn(String, String) -> Option<String>>::new(|lang: String, request: String| {
            read(&lang, &request).and_then(|(lang, at)| assist::hover(lang, &at))
        })
        .into_js_value(),
    );
}

fn read(lang: &str, request: &str) -> Option<(Language, Request)> {
    Some((
        Language::from_name(lang)?,
        serde_json::from_str(request).ok()?,
    ))
}

/// Mounts the code editor in `host` with `text`; its edits go to `on_change` once typing pauses.
pub fn mount(
    id: &str,
    host: &web_sys::Element,
    text: &str,
    testid: &str,
    label: &str,
    on_change: impl Fn(String) + 'static,
) -> bool {
    let on_change = Closure::<dyn Fn(String)>::new(on_change).into_js_value();
    SERVICES.with(|(complete, hover)| {
        mount_editor(
            id,
            host,
            text,
            testid,
            label,
            language_of(testid),
            &on_change,
            complete,
            hover,
        )
    })
}

/// Removes the editor mounted in `host` (its last edit is handed over first).
pub fn unmount(id: &str, host: &web_sys::Element) {
    unmount_editor(id, host);
}

/// Shows `text` (the workspace changed it: an example, Format, another machine).
pub fn set(id: &str, text: &str) {
    editor_set(id, text);
}

/// Marks the diagnostics (and offers their quick fixes).
pub fn marks(id: &str, marks: &[Mark]) {
    let list: Vec<serde_json::Value> = marks
        .iter()
        .map(|m| {
            serde_json::json!({"line": m.line, "column": m.column, "message": m.message, "fix": m.fix})
        })
        .collect();
    editor_marks(id, &serde_json::Value::Array(list).to_string());
}

/// Brings a place into view with the caret there; false when the editor is not mounted.
pub fn goto(id: &str, line: u32, column: u32) -> bool {
    editor_goto(id, line, column)
}
