//! The JSONata engine in a wasm module of its own. The playground's main module is built without
//! it (the engine's `jsonata` feature off), which keeps its first download ~420 KB gzip smaller,
//! and fetches this one the first time a machine uses JSONata. Requests cross as JSON text
//! (`statebridge_engine::jsonata::remote`): expressions are compiled here once and kept by id, as
//! are the state inputs sent, until the other side says it dropped them.
#![forbid(unsafe_code)]

use wasm_bindgen::prelude::wasm_bindgen;

/// Answers one request of `statebridge_engine::jsonata::remote` (JSON text in and out).
#[wasm_bindgen]
pub fn serve(request: &str) -> String {
    statebridge_engine::jsonata::remote::serve(request)
}
