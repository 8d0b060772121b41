//! Text files fetched from beside the page (`dist/examples/`, `dist/exercises/`): the examples
//! other than the first and the workshop's exercises are not in the app's wasm, which keeps the
//! first download small; they come when someone picks one.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    fn fetch_texts(urls: js_sys::Array, done: JsValue);
}

/// Fetches every URL (relative to the page) and calls `done` once with their texts in the same
/// order, or with why one could not be read.
pub fn texts(urls: &[String], done: impl FnOnce(Result<Vec<String>, String>) + 'static) {
    let list: js_sys::Array = urls.iter().map(|u| JsValue::from_str(u)).collect();
    let done = Closure::once_into_js(move |texts: JsValue, error: JsValue| {
        let result = match texts.dyn_into::<js_sys::Array>() {
            Ok(a) => Ok(a
                .iter()
                .map(|t| t.as_string().unwrap_or_default())
                .collect()),
            Err(_) => Err(error
                .as_string()
                .unwrap_or_else(|| "the request failed".to_owned())),
        };
        done(result);
    });
    fetch_texts(list, done);
}

/// Fetches one URL; see [`texts`].
pub fn text(url: &str, done: impl FnOnce(Result<String, String>) + 'static) {
    texts(&[url.to_owned()], move |r| {
        done(r.and_then(|mut v| v.pop().ok_or_else(|| "nothing came back".to_owned())))
    });
}
