//! The statebridge playground: a yew single-page app over the engine.
//!
//! The engine computes; these modules only turn editor texts into engine calls (`evaluate`,
//! `execution`) and the engine's answers into views (`replay`, `inspect`, `highlight`, the
//! components). The pure modules are tested natively with `cargo test -p statebridge-app`.

mod app;
mod artifacts;
mod autosave;
mod code_editor;
mod components;
mod dom;
mod embed;
mod evaluate;
mod execution;
mod exercises;
mod fetch;
mod highlight;
mod inspect;
mod jsonata;
mod link;
mod markdown;
mod mocks;
mod panes;
mod replay;
mod state;
mod text;
mod worker;
mod workspace;

fn main() {
    jsonata::install();
    // The same module started by www/worker.js: serve the page's engine jobs instead.
    if worker::in_worker() {
        return worker::serve();
    }
    yew::Renderer::<exercises::Root>::new().render();
}
