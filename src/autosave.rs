//! Autosave: the workspace is kept in localStorage shortly after every change, and at once when
//! the page is hidden or left (`visibilitychange`, `pagehide`), so a quick reload or a closed tab
//! loses nothing; a browser whose storage is full (or refused) is told to the user, once. The
//! From AWS tab's texts are kept with it when they fit, and left out (with a word) when not.
//!
//! A long text (over [`APART`]: a pasted 2 MB event, a history) is kept under a key of its own,
//! `AUTOSAVE/<slot>` (`event`, `machine/0`, `aws/history`…), as it is (no JSON escaping), and
//! written only when it changed: an edit of the machine beside a 2 MB event writes a few
//! kilobytes, not the event again. The workspace's own key holds the rest, with the long texts
//! empty and their slots listed under `autosave_apart`. When another tab of the page saves, every
//! long text is written again at the next save (the other tab may have removed or replaced them).

use crate::dom::{self, Timeout};
use crate::link;
use crate::state::{State, ViewAction};
use crate::workspace::{Text, Workspace};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// localStorage key of the autosaved workspace.
pub const AUTOSAVE: &str = "statebridge.workspace.v1";
/// Pause after the last change before saving (typing goes on saving only once it pauses; the
/// page's hiding saves at once).
const PAUSE_MS: u32 = 250;
/// Texts longer than this (bytes) are kept under keys of their own.
const APART: usize = 8 * 1024;
/// Field of the workspace's JSON listing the slots kept apart.
const APART_FIELD: &str = "autosave_apart";

thread_local! {
    /// The texts [`load`] read from keys of their own, by slot: the first save after a reload
    /// knows they are stored already.
    static LOADED: RefCell<HashMap<String, Text>> = RefCell::default();
}

/// The key a slot's text is kept under.
fn piece_key(slot: &str) -> String {
    format!("{AUTOSAVE}/{slot}")
}

/// The autosaved workspace, if there is one and it reads.
pub fn load() -> Option<Workspace> {
    let text = dom::load(AUTOSAVE)?;
    let mut value: serde_json::Value = serde_json::from_str(&text).ok()?;
    let apart: Vec<String> = value
        .as_object_mut()?
        .remove(APART_FIELD)
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let mut ws: Workspace = serde_json::from_value(value).ok()?;
    let mut loaded = HashMap::new();
    for (slot, text) in ws.texts_mut() {
        if apart.contains(&slot) {
            // A piece that is gone (storage cleared by hand) leaves its editor empty, not the
            // whole workspace unread.
            *text = dom::load(&piece_key(&slot)).unwrap_or_default().into();
            loaded.insert(slot, text.clone());
        }
    }
    LOADED.with(|l| *l.borrow_mut() = loaded);
    Some(ws)
}

/// What is waiting to be saved, whether the user was told that saving fails, and the texts kept
/// under keys of their own as they were written.
#[derive(Default)]
struct Pending {
    ws: Option<Workspace>,
    warned: bool,
    apart: HashMap<String, Text>,
}

/// Writes `ws`: its long texts that changed under their own keys, then the rest under
/// [`AUTOSAVE`]; pieces no longer used are removed first (they may be what fills the storage).
fn write(ws: &Workspace, apart: &mut HashMap<String, Text>) -> Result<(), String> {
    let mut rest = ws.clone();
    let mut slots = Vec::new();
    let mut texts = rest.texts_mut();
    for (slot, text) in &mut texts {
        if text.len() > APART {
            slots.push(slot.clone());
        }
    }
    let prefix = piece_key("");
    for key in dom::keys_under(&prefix) {
        if !slots.iter().any(|s| key[prefix.len()..] == **s) {
            dom::forget(&key);
        }
    }
    apart.retain(|slot, _| slots.contains(slot));
    for (slot, text) in texts {
        if text.len() <= APART {
            continue;
        }
        if apart.get(&slot) != Some(&*text) {
            // Forgotten until written: a failed write must not leave it taken as kept.
            apart.remove(&slot);
            dom::save(&piece_key(&slot), text)?;
            apart.insert(slot, text.clone());
        }
        *text = Text::default();
    }
    let mut value =
        serde_json::to_value(&rest).map_err(|_| "it could not be written".to_owned())?;
    if let Some(fields) = value.as_object_mut() {
        fields.insert(APART_FIELD.to_owned(), slots.into());
    }
    dom::save(AUTOSAVE, &value.to_string())
}

/// Saves what is pending, if anything; tells the user (once, until a save works again) when
/// the browser does not keep it.
fn flush(pending: &RefCell<Pending>, d: &UseReducerDispatcher<State>) {
    let Some(ws) = pending.borrow_mut().ws.take() else {
        return;
    };
    // Texts pasted in the From AWS tab (megabytes of sample events) must not cost the workspace
    // its save: when the whole does not fit, it is kept without them (`Ok(true)`).
    let saved = {
        let apart = &mut pending.borrow_mut().apart;
        match write(&ws, apart) {
            Ok(()) => Ok(false),
            Err(why) if ws.aws.is_empty() => Err(why),
            Err(_) => {
                let lean = Workspace {
                    aws: Default::default(),
                    ..ws.clone()
                };
                write(&lean, apart).map(|()| true)
            }
        }
    };
    match saved {
        Ok(false) => pending.borrow_mut().warned = false,
        Ok(true) => {
            if !std::mem::replace(&mut pending.borrow_mut().warned, true) {
                let bytes: usize = ws.aws.by_size().iter().map(|(_, n)| n).sum();
                d.dispatch(
                    ViewAction::Notice(Some(format!(
                        "The From AWS texts ({}) do not fit in this browser's storage: your work \
                         is saved without them (Share makes a link of what fits).",
                        link::size_in_words(bytes)
                    )))
                    .into(),
                );
            }
        }
        Err(why) => {
            if !std::mem::replace(&mut pending.borrow_mut().warned, true) {
                d.dispatch(ViewAction::Notice(Some(format!(
                    "Your work is not saved in this browser: {why}. Press Share to keep it as a link, \
                     or free some of the browser's storage for this site."
                ))).into());
            }
        }
    }
    // A link in the address bar that no longer describes the work would win over the autosave
    // on reload and lose the edits: drop it once the two differ.
    let fragment = dom::fragment();
    if fragment.starts_with("v1=") && !link::describes(&fragment, &ws) {
        dom::clear_fragment();
    }
}

/// Keeps `ws` saved (see the module's doc).
#[hook]
pub fn use_autosave(ws: &Workspace, d: UseReducerDispatcher<State>) {
    let pending = use_mut_ref(|| Pending {
        apart: LOADED.with(|l| std::mem::take(&mut *l.borrow_mut())),
        ..Pending::default()
    });
    {
        // Hidden (another tab, the app switcher) or left (reload, close): save now.
        let (pending, d) = (pending.clone(), d.clone());
        use_effect_with((), move |_| {
            let kept = pending.clone();
            let hidden = Closure::<dyn FnMut()>::new(move || {
                let gone = web_sys::window()
                    .and_then(|w| w.document())
                    .is_none_or(|doc| doc.hidden());
                if gone {
                    flush(&pending, &d);
                }
            });
            // Another tab of the page saved (its own workspace, its own pieces): nothing here is
            // known to be stored any more, so the next save writes every long text again.
            let elsewhere = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
                let key = js_sys::Reflect::get(&e, &"key".into())
                    .ok()
                    .and_then(|k| k.as_string());
                if key.is_none_or(|k| k.starts_with(AUTOSAVE)) {
                    kept.borrow_mut().apart.clear();
                }
            });
            let window = web_sys::window();
            let doc = window.as_ref().and_then(|w| w.document());
            let f = hidden.as_ref().unchecked_ref();
            if let Some(doc) = &doc {
                let _ = doc.add_event_listener_with_callback("visibilitychange", f);
            }
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("pagehide", f);
                let _ = w.add_event_listener_with_callback(
                    "storage",
                    elsewhere.as_ref().unchecked_ref(),
                );
            }
            move || {
                let f = hidden.as_ref().unchecked_ref();
                if let Some(doc) = &doc {
                    let _ = doc.remove_event_listener_with_callback("visibilitychange", f);
                }
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback("pagehide", f);
                    let _ = w.remove_event_listener_with_callback(
                        "storage",
                        elsewhere.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    // A render with the same workspace costs a comparison, not a copy (a 2 MB event copied on
    // every render, to key an effect, was a tenth of a paste's main-thread time): the workspace
    // is copied once per change, and each change restarts the pause.
    let seen = use_mut_ref(|| (0u64, None::<Workspace>));
    let generation = {
        let mut seen = seen.borrow_mut();
        if seen.1.as_ref() != Some(ws) {
            seen.0 += 1;
            seen.1 = Some(ws.clone());
        }
        seen.0
    };
    use_effect_with(generation, move |_| {
        pending.borrow_mut().ws = seen.borrow().1.clone();
        let pending = Rc::clone(&pending);
        let timer = Timeout::new(PAUSE_MS, move || flush(&pending, &d));
        move || drop(timer)
    });
}
