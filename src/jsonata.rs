//! The JSONata engine, fetched the first time a machine uses JSONata. The app's own wasm is
//! built without it (the engine's `jsonata` feature off), which makes the first download about
//! 420 KB gzip smaller; `dist/jsonata/` holds it as a module of its own (crates/jsonata-wasm,
//! built by scripts/build-module.sh jsonata). Requests cross to it as JSON text: each expression
//! is compiled there once and evaluated by id, and a state's input is sent once per state run
//! (`statebridge_engine::jsonata::remote`).
//!
//! The engine asks for it (the `on_demand` hook) as soon as it meets an expression, e.g. while
//! validating a machine just loaded; a Run asked for before it arrives waits for it (the
//! reducer's `pending` actions, `crate::state::engine`), and the views re-validate once it is in.

use statebridge_engine::jsonata;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::Callback;

/// Where the module is, relative to the page.
const MODULE: &str = "jsonata/statebridge_jsonata.js";

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    fn load_jsonata(url: &str, done: JsValue);
}

#[derive(Clone, Copy, PartialEq)]
enum Load {
    Idle,
    Loading,
    Done,
}

thread_local! {
    static LOAD: Cell<Load> = const { Cell::new(Load::Idle) };
    static LISTENERS: RefCell<Vec<(u32, Callback<bool>)>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

/// The module's `serve`, called synchronously.
struct Module(js_sys::Function);

impl jsonata::Backend for Module {
    fn call(&self, request: &str) -> String {
        self.0
            .call1(&JsValue::NULL, &JsValue::from_str(request))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default()
    }
}

/// Lets the engine ask for the module (once, at start-up).
pub fn install() {
    if !jsonata::BUILT_IN {
        jsonata::on_demand(start);
    }
}

/// Starts fetching the module, unless it is here or on its way.
pub fn start() {
    if jsonata::available() || LOAD.with(Cell::get) != Load::Idle {
        return;
    }
    LOAD.with(|l| l.set(Load::Loading));
    let done = Closure::once_into_js(move |serve: JsValue| {
        let ok = match serve.dyn_into::<js_sys::Function>() {
            Ok(f) => {
                jsonata::set_backend(Rc::new(Module(f)));
                true
            }
            Err(_) => false,
        };
        LOAD.with(|l| l.set(Load::Done));
        let listeners: Vec<_> =
            LISTENERS.with(|l| l.borrow().iter().map(|(_, c)| c.clone()).collect());
        for c in listeners {
            c.emit(ok);
        }
    });
    load_jsonata(MODULE, done);
}

/// Whether running `machine` has to wait for the module (it uses JSONata, which is not here
/// yet and has not failed to load): the worker's question (the page's reducer keeps the answer
/// in its engine slice, `crate::state::engine`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn must_wait(machine: &str) -> bool {
    !settled() && crate::state::engine::uses_jsonata(machine)
}

/// Whether nothing has to wait for the module any more: it is here, or it failed to load (the
/// reducer's starting point; [`use_jsonata_ready`] tells it of a change).
pub fn settled() -> bool {
    jsonata::available() || LOAD.with(Cell::get) == Load::Done
}

/// Calls `on_ready` when the module has loaded (`true`) or failed to (`false`), until the
/// returned guard is dropped.
pub fn subscribe(on_ready: Callback<bool>) -> Subscription {
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    });
    LISTENERS.with(|l| l.borrow_mut().push((id, on_ready)));
    Subscription(id)
}

/// Ends a [`subscribe`] when dropped.
pub struct Subscription(u32);

impl Drop for Subscription {
    fn drop(&mut self) {
        LISTENERS.with(|l| l.borrow_mut().retain(|(id, _)| *id != self.0));
    }
}

/// Sends [`Action::JsonataReady`](crate::state::Action::JsonataReady) to a playground's state
/// when the module arrives (at once if it already has).
#[yew::hook]
pub fn use_jsonata_ready(d: yew::UseReducerDispatcher<crate::state::State>) {
    yew::use_effect_with((), move |_| {
        let done = LOAD.with(Cell::get) == Load::Done;
        let ready = Callback::from(move |ok| d.dispatch(crate::state::Action::JsonataReady(ok)));
        if done {
            ready.emit(jsonata::available());
        }
        let subscription = subscribe(ready);
        move || drop(subscription)
    });
}
