//! The workshop: the exercise list (with progress) and the exercise view, shown when the URL
//! fragment starts with `#/exercises`; every other fragment keeps the playground.

use yew::prelude::*;

/// The fragment prefix of the workshop pages.
pub const ROUTE: &str = "#/exercises";

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Picks the page from the URL fragment and follows its changes.
#[component]
pub fn Root() -> Html {
    let hash = use_state(current_hash);
    {
        let hash = hash.clone();
        use_effect_with((), move |_| {
            use wasm_bindgen::JsCast;
            let listener = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
                hash.set(current_hash())
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    if hash.starts_with(ROUTE) {
        html! { <p>{ "Exercises" }</p> }
    } else {
        html! { <crate::app::App /> }
    }
}
