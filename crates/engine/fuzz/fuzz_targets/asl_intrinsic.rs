//! Intrinsic function parsing and evaluation (`States.Format(…)` and the rest): never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, json};
use statebridge_engine::intrinsics::{Rng, evaluate, parse};
use statebridge_engine::jsonpath::Scope;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(call) = parse(text) else {
        return;
    };
    let _ = call.to_string();
    let input =
        json!({"a": [1, 2, 3, 2], "s": "a,b,c", "n": 7, "o": {"x": {"y": 1}}, "b64": "aGk="});
    let context = json!({"Execution": {"Id": "e"}});
    let variables = Map::new();
    let scope = Scope {
        input: &input,
        context: &context,
        variables: &variables,
    };
    let _ = evaluate(&call, &scope, &mut Rng::new(1));
});
