//! JSONPath parsing, evaluation against a small document, and ResultPath writing: never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, json};
use statebridge_engine::jsonpath::{Scope, parse, set_result};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(path) = parse(text) else {
        return;
    };
    let input =
        json!({"a": [1, {"b": "x", "c": [true, null, 2.5]}], "d": {"e f": {"g": -3}}, "s": "str"});
    let context = json!({"Execution": {"Input": {"k": 1}}, "State": {"Name": "S"}});
    let mut variables = Map::new();
    variables.insert("var".into(), json!({"x": [1, 2, 3]}));
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &variables,
    };
    let _ = path.evaluate(&scope);
    let _ = path.normalized();
    let _ = set_result(&input, &path, json!({"r": 1}));
});
