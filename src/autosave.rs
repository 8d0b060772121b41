//! Autosave: the workspace is kept in localStorage shortly after every change, and at once when
//! the page is hidden or left (`visibilitychange`, `pagehide`), so a quick reload or a closed tab
//! loses nothing; a browser whose storage is full (or refused) is told to the user, once. The
//! From AWS tab's texts are kept with it when they fit, and left out (with a word) when not.

use crate::dom::{self, Timeout};
use crate::link;
use crate::state::{State, ViewAction};
use crate::workspace::Workspace;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

/// localStorage key of the autosaved workspace.
pub const AUTOSAVE: &str = "statebridge.workspace.v1";
/// Pause after the last change before saving (typing goes on saving only once it pauses; the
/// page's hiding saves at once).
const PAUSE_MS: u32 = 250;

/// What is waiting to be saved, and whether the user was told that saving fails.
#[derive(Default)]
struct Pending {
    ws: Option<Workspace>,
    warned: bool,
}

/// Saves what is pending, if anything; tells the user (once, until a save works again) when
/// the browser does not keep it.
fn flush(pending: &RefCell<Pending>, d: &UseReducerDispatcher<State>) {
    let Some(ws) = pending.borrow_mut().ws.take() else {
        return;
    };
    // Texts pasted in the From AWS tab (megabytes of sample events) must not cost the workspace
    // its save: when the whole does not fit, it is kept without them (`Ok(true)`).
    let saved = match dom::save_as_json(AUTOSAVE, &ws, ws.text_len()) {
        Ok(()) => Ok(false),
        Err(why) if ws.aws.is_empty() => Err(why),
        Err(_) => {
            let lean = Workspace {
                aws: Default::default(),
                ..ws.clone()
            };
            dom::save_as_json(AUTOSAVE, &lean, lean.text_len()).map(|()| true)
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
    let pending = use_mut_ref(Pending::default);
    {
        // Hidden (another tab, the app switcher) or left (reload, close): save now.
        let (pending, d) = (pending.clone(), d.clone());
        use_effect_with((), move |_| {
            let hidden = Closure::<dyn FnMut()>::new(move || {
                let gone = web_sys::window()
                    .and_then(|w| w.document())
                    .is_none_or(|doc| doc.hidden());
                if gone {
                    flush(&pending, &d);
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
            }
            move || {
                let f = hidden.as_ref().unchecked_ref();
                if let Some(doc) = &doc {
                    let _ = doc.remove_event_listener_with_callback("visibilitychange", f);
                }
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback("pagehide", f);
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
