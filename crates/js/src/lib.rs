//! statebridge's engine without the UI, as an ES module for documentation pages and Node:
//! `match`, `explain`, `transform`, `route`, `system`, `validate`, `run`, `testState`, and for
//! what people bring from AWS `replay`, `importTemplate`, `exportTemplate` and `matrix`.
//!
//! Every argument is either JSON text (a JS string) or a JSON-shaped JS value; every result is a
//! plain JS object; every rejection is thrown as a plain object `{kind, message, path?, line?,
//! column?, …}` (see [`error::ApiError`]), never a bare string and never a panic.
//!
//! The logic lives in [`api`] and is tested natively; this file only converts between JS and JSON.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// `ApiError` is large on purpose (it carries the diagnostics a page shows); it crosses to JS once
// per call, so boxing it would only add noise.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod artifacts;
pub mod error;
pub mod input;
pub mod system;

use error::{ApiError, ErrorKind};
use input::Input;
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// Turns a JS argument into an [`Input`]: strings are JSON text, anything else goes through
/// `JSON.stringify` (so a `Date` becomes its ISO text, as in JSON).
fn input(value: &JsValue, argument: &str) -> Result<Input, ApiError> {
    if let Some(text) = value.as_string() {
        return Ok(Input::Text(text));
    }
    json(value, argument).map(Input::Value)
}

/// A JS value as JSON, or an argument error (`undefined`, a function, a cycle, a BigInt).
fn json(value: &JsValue, argument: &str) -> Result<Value, ApiError> {
    let missing = || {
        ApiError::new(
            ErrorKind::Argument,
            argument,
            format!("{argument} is missing (undefined)"),
        )
    };
    if value.is_undefined() {
        return Err(missing());
    }
    let text = js_sys::JSON::stringify(value).map_err(|e| {
        let why = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_default();
        ApiError::new(
            ErrorKind::Argument,
            argument,
            format!("{argument} cannot be turned into JSON: {why}"),
        )
    })?;
    let text = text.as_string().ok_or_else(missing)?;
    serde_json::from_str(&text)
        .map_err(|e| ApiError::new(ErrorKind::Argument, argument, format!("{argument}: {e}")))
}

/// JSON back to a plain JS value (objects, arrays, numbers, strings, booleans, null), made by
/// serde-wasm-bindgen in its JSON-compatible mode: objects are plain objects (not `Map`s) and
/// 64-bit integers are numbers, as `JSON.parse` would give.
fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

/// The error as the plain object that is thrown.
fn to_js_error(e: &ApiError) -> JsValue {
    to_js(e)
}

fn answer(result: Result<Value, ApiError>) -> Result<JsValue, JsValue> {
    result.map(|v| to_js(&v)).map_err(|e| to_js_error(&e))
}

/// Whether the event matches the pattern.
#[wasm_bindgen(js_name = "match", skip_typescript)]
pub fn match_(pattern: JsValue, event: JsValue) -> Result<bool, JsValue> {
    let run = || api::matches(input(&pattern, "pattern")?, input(&event, "event")?);
    run().map_err(|e| to_js_error(&e))
}

/// Why the event matches the pattern or not, field by field.
#[wasm_bindgen(skip_typescript)]
pub fn explain(pattern: JsValue, event: JsValue) -> Result<JsValue, JsValue> {
    answer((|| {
        api::explain(input(&pattern, "pattern")?, input(&event, "event")?)
    })())
}

/// What a target receives for an event.
#[wasm_bindgen(skip_typescript)]
pub fn transform(target: JsValue, event: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    answer((|| {
        api::transform(
            input(&target, "target")?,
            input(&event, "event")?,
            optional(&options)?,
        )
    })())
}

/// Routes an event through a bus: the matched rules and what each target receives.
#[wasm_bindgen(skip_typescript)]
pub fn route(bus: JsValue, event: JsValue) -> Result<JsValue, JsValue> {
    answer((|| {
        api::route(input(&bus, "bus")?, input(&event, "event")?)
    })())
}

/// Runs a whole workspace on one virtual clock: events, schedules, executions, archives, replays.
#[wasm_bindgen(skip_typescript)]
pub fn system(workspace: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    answer((|| {
        system::system(input(&workspace, "workspace")?, optional(&options)?)
    })())
}

/// An optional options object (`undefined` and `null` are none).
fn optional(options: &JsValue) -> Result<Option<Value>, ApiError> {
    if options.is_undefined() || options.is_null() {
        Ok(None)
    } else {
        json(options, "options").map(Some)
    }
}

/// Every problem of a state machine definition.
#[wasm_bindgen(skip_typescript)]
pub fn validate(definition: JsValue) -> Result<JsValue, JsValue> {
    answer(input(&definition, "definition").map(api::validate))
}

/// Runs a state machine definition to its end, with mocks, on a virtual clock.
#[wasm_bindgen(skip_typescript)]
pub fn run(
    definition: JsValue,
    input_value: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    answer((|| {
        api::run(
            input(&definition, "definition")?,
            input(&input_value, "input")?,
            optional(&options)?,
        )
    })())
}

/// Runs one state as Step Functions' TestState API does (TestState's request in, its response out).
#[wasm_bindgen(js_name = "testState", skip_typescript)]
pub fn test_state(request: JsValue) -> Result<JsValue, JsValue> {
    answer(input(&request, "request").and_then(api::test_state))
}

/// A history pasted from `aws stepfunctions get-execution-history`, read for replay.
#[wasm_bindgen(skip_typescript)]
pub fn replay(history: JsValue) -> Result<JsValue, JsValue> {
    answer(input(&history, "history").and_then(artifacts::replay))
}

/// A SAM or CloudFormation template (JSON or YAML) as a workspace.
#[wasm_bindgen(js_name = "importTemplate", skip_typescript)]
pub fn import_template(template: JsValue, workspace: JsValue) -> Result<JsValue, JsValue> {
    answer((|| {
        let base = if workspace.is_undefined() || workspace.is_null() {
            None
        } else {
            Some(input(&workspace, "workspace")?)
        };
        artifacts::import_template(input(&template, "template")?, base)
    })())
}

/// A workspace as a CloudFormation template, JSON (the default) or YAML.
#[wasm_bindgen(js_name = "exportTemplate", skip_typescript)]
pub fn export_template(workspace: JsValue, format: JsValue) -> Result<JsValue, JsValue> {
    answer((|| {
        let format = if format.is_undefined() || format.is_null() {
            None
        } else {
            Some(format.as_string().ok_or_else(|| {
                ApiError::new(
                    ErrorKind::Argument,
                    "format",
                    "format should be \"json\" or \"yaml\"",
                )
            })?)
        };
        artifacts::export_template(input(&workspace, "workspace")?, format.as_deref())
    })())
}

/// Every rule against every sample event, with the reasons of each miss.
#[wasm_bindgen(skip_typescript)]
pub fn matrix(events: JsValue, rules: JsValue) -> Result<JsValue, JsValue> {
    answer((|| {
        artifacts::matrix(input(&events, "events")?, input(&rules, "rules")?)
    })())
}
