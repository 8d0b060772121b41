//! The workshop: the exercise list (with progress) and the exercise view, shown when the URL
//! fragment starts with `#/exercises`; a page opened with `?embed` is an embed (`crate::embed`);
//! every other URL keeps the playground.

mod bundle;
mod draft;
mod list;
mod run;
mod view;

use draft::Progress;
use statebridge_engine::exercise::Exercise;
use std::rc::Rc;
use yew::prelude::*;

/// The fragment prefix of the workshop pages.
pub const ROUTE: &str = "#/exercises";

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Picks the page from the URL and follows changes of its fragment.
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
    if let Some(options) = crate::embed::options_from_location() {
        crate::dom::ensure_workshop_css();
        return html! { <crate::embed::Embed options={Rc::new(options)} /> };
    }
    match hash.strip_prefix(ROUTE) {
        Some(rest) if rest.is_empty() || rest.starts_with('/') => {
            crate::dom::ensure_workshop_css();
            html! { <Workshop id={rest.trim_start_matches('/').to_owned()} /> }
        }
        _ => html! { <crate::app::App /> },
    }
}

/// Props of [`Workshop`].
#[derive(Properties, PartialEq)]
pub struct WorkshopProps {
    /// The exercise to show; empty for the list.
    pub id: String,
}

/// The workshop pages: owns the exercises and the progress.
#[component]
pub fn Workshop(p: &WorkshopProps) -> Html {
    let loaded = use_state(|| None::<Result<Rc<Vec<Exercise>>, String>>);
    {
        let loaded = loaded.clone();
        use_effect_with((), move |_| {
            bundle::load(move |r| loaded.set(Some(r.map(Rc::new))));
        });
    }
    let progress = use_state(|| Rc::new(Progress::load()));
    let list: Rc<Vec<Exercise>> = match &*loaded {
        Some(Ok(list)) => list.clone(),
        Some(Err(why)) => {
            return html! {
                <main class="workshop ex-list-page">
                    <p class="embed-error" role="alert" data-testid="exercises-error">{ format!("The exercises did not load: {why}") }</p>
                    <p><a href="#">{ "← Back to the playground" }</a></p>
                </main>
            };
        }
        None => {
            return html! {
                <main class="workshop ex-list-page">
                    <p class="muted" data-testid="exercises-loading">{ "Loading the exercises…" }</p>
                </main>
            };
        }
    };
    let Some(index) = list.iter().position(|e| e.id == p.id) else {
        return html! { <list::ExerciseList exercises={list.clone()} progress={(*progress).clone()} /> };
    };
    let Some(exercise) = list.get(index).cloned() else {
        return html! {};
    };
    let id = exercise.id.clone();
    let on_draft = {
        let (progress, id) = (progress.clone(), id.clone());
        Callback::from(move |d: draft::Draft| {
            let mut p = (**progress).clone();
            p.drafts.insert(id.clone(), d);
            p.save();
            progress.set(Rc::new(p));
        })
    };
    let on_checked = {
        let (progress, id) = (progress.clone(), id.clone());
        Callback::from(
            move |results: Vec<statebridge_engine::exercise::CheckResult>| {
                let mut p = (**progress).clone();
                p.record(&id, &results);
                p.save();
                progress.set(Rc::new(p));
            },
        )
    };
    html! {
        <view::ExerciseView key={id.clone()} exercise={Rc::new(exercise)} index={index} total={list.len()}
            next={list.get(index + 1).map(|e| e.id.clone())}
            draft={progress.drafts.get(&id).cloned()} solved={progress.is_solved(&id)}
            on_draft={on_draft} on_checked={on_checked} />
    }
}
