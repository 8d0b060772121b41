//! The few browser services the app uses (timers, storage, the URL fragment, the clipboard),
//! each failing quietly: a browser that refuses storage or the clipboard still gets a working page.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// A pending `setTimeout`, cancelled when dropped (so an effect's cleanup cancels it).
pub struct Timeout {
    id: Option<i32>,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Calls `f` once after `ms` milliseconds.
    pub fn new(ms: u32, f: impl FnOnce() + 'static) -> Timeout {
        let mut f = Some(f);
        let callback = Closure::<dyn FnMut()>::new(move || {
            if let Some(f) = f.take() {
                f();
            }
        });
        let id = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                ms.min(i32::MAX as u32) as i32,
            )
            .ok()
        });
        Timeout {
            id,
            _callback: callback,
        }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let (Some(w), Some(id)) = (web_sys::window(), self.id) {
            w.clear_timeout_with_handle(id);
        }
    }
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = after_paint)]
    fn after_paint_js(f: &wasm_bindgen::JsValue);
    #[wasm_bindgen(js_name = save_text)]
    fn save_text_js(name: &str, mime: &str, text: &str);
}

/// Offers `text` to the user as a downloaded file called `name`.
pub fn save_text(name: &str, mime: &str, text: &str) {
    save_text_js(name, mime, text);
}

/// Calls `f` once, just after the browser has painted the next frame (an animation frame, then a
/// task: the frame is presented between the two).
pub fn after_paint(f: impl FnOnce() + 'static) {
    after_paint_js(&Closure::once_into_js(f));
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    #[wasm_bindgen(js_name = observe_size)]
    fn observe_size_js(el: &web_sys::Element, f: &wasm_bindgen::JsValue) -> wasm_bindgen::JsValue;
    #[wasm_bindgen(js_name = unobserve)]
    fn unobserve_js(observer: &wasm_bindgen::JsValue);
}

/// An element's size watched (a `ResizeObserver`) until this is dropped.
pub struct SizeWatch {
    observer: wasm_bindgen::JsValue,
    _callback: Closure<dyn FnMut(f64, f64)>,
}

/// Calls `f(width, height)` (CSS pixels, whole) with the element's size now and whenever it
/// changes, until the returned watch is dropped.
pub fn watch_size(el: &web_sys::Element, f: impl FnMut(f64, f64) + 'static) -> SizeWatch {
    let callback = Closure::<dyn FnMut(f64, f64)>::new(f);
    let observer = observe_size_js(el, callback.as_ref());
    SizeWatch {
        observer,
        _callback: callback,
    }
}

impl Drop for SizeWatch {
    fn drop(&mut self) {
        unobserve_js(&self.observer);
    }
}

/// Loads `workshop.css` (the workshop pages' and the embeds' styles) unless the page has it:
/// index.html adds it when the page opens on one of them, this when one is reached from the
/// playground.
pub fn ensure_workshop_css() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.get_element_by_id("workshop-css").is_some() {
        return;
    }
    if let (Ok(link), Some(head)) = (doc.create_element("link"), doc.head()) {
        let _ = link.set_attribute("rel", "stylesheet");
        let _ = link.set_attribute("href", "workshop.css");
        let _ = link.set_attribute("id", "workshop-css");
        let _ = head.append_child(&link);
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Reads a value saved in localStorage.
pub fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Saves a value in localStorage; `Err` says why it was not kept (storage full, or refused),
/// in words for the user.
pub fn save(key: &str, value: &str) -> Result<(), String> {
    let Some(s) = storage() else {
        return Err("this browser refuses the page its storage".into());
    };
    s.set_item(key, value).map_err(|e| {
        // A DOMException: its `name` says which.
        let name = js_sys::Reflect::get(&e, &"name".into())
            .ok()
            .and_then(|n| n.as_string())
            .unwrap_or_default();
        if name == "QuotaExceededError" {
            format!(
                "this browser's storage for the page is full ({} KB to save)",
                value.len().div_ceil(1024)
            )
        } else {
            "this browser refused to store it".to_owned()
        }
    })
}

/// The localStorage keys that start with `prefix`.
pub fn keys_under(prefix: &str) -> Vec<String> {
    let Some(s) = storage() else {
        return Vec::new();
    };
    let n = s.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(prefix))
        .collect()
}

/// Removes a value saved in localStorage.
pub fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// The URL fragment without its `#`.
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Replaces the URL fragment without adding a history entry; returns the full URL.
pub fn set_fragment(fragment: &str) -> Option<String> {
    let w = web_sys::window()?;
    let loc = w.location();
    let base = format!(
        "{}{}{}",
        loc.origin().ok()?,
        loc.pathname().ok()?,
        loc.search().ok()?
    );
    let url = format!("{base}#{fragment}");
    let _ = w
        .history()
        .ok()?
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    Some(url)
}

/// Removes the URL fragment without adding a history entry (after a share link was read, so that a
/// reload shows the autosaved work rather than the link's original state).
pub fn clear_fragment() {
    let Some(w) = web_sys::window() else {
        return;
    };
    let loc = w.location();
    let (Ok(path), Ok(search)) = (loc.pathname(), loc.search()) else {
        return;
    };
    if let Ok(history) = w.history() {
        let url = format!("{path}{search}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Calls `f` on every `hashchange` of the page until the returned guard is dropped.
pub fn on_hash_change(f: impl FnMut() + 'static) -> Listener {
    let callback = Closure::<dyn FnMut()>::new(f);
    let window = web_sys::window();
    if let Some(w) = &window {
        let _ = w.add_event_listener_with_callback("hashchange", callback.as_ref().unchecked_ref());
    }
    Listener { window, callback }
}

/// A window event listener, removed when dropped.
pub struct Listener {
    window: Option<web_sys::Window>,
    callback: Closure<dyn FnMut()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(w) = &self.window {
            let _ = w.remove_event_listener_with_callback(
                "hashchange",
                self.callback.as_ref().unchecked_ref(),
            );
        }
    }
}

/// Copies text to the clipboard (best effort: needs a secure context and permission).
pub fn copy(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// The element with this id, if the page has one.
pub fn element_by_id(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

/// The `data-testid` of the focused element, if it has one.
pub fn active_testid() -> Option<String> {
    web_sys::window()?
        .document()?
        .active_element()?
        .get_attribute("data-testid")
}

/// Moves the focus to the element with this `data-testid` (which must be focusable).
pub fn focus_testid(testid: &str) {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("[data-testid={testid}]"))
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}
