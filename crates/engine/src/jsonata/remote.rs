//! The wire between a build without the JSONata engine and a module with it: one request, one
//! answer, both JSON text, so that they cross JavaScript as plain strings.
//!
//! Requests: `{"op": "parse", "expr": …}` and `{"op": "evaluate", "expr": …, "input": …,
//! "bindings": {…}, "rng": state, "now": ms, "maxDepth": n, "maxSteps": n, "maxResultSize": n,
//! "aws": bool}` (`input` absent for *undefined*). Answers: `{"err": {"code", "position",
//! "message"}}`, or for `parse` `{"returnsFunction": bool}`, for `evaluate` `{"value": …}`
//! (absent for *undefined*); an evaluation also gives back the generator's `rng` state so that
//! `$random()` continues the same sequence on this side.

use super::{AwsEnv, JsonataError};
use crate::intrinsics::Rng;
use serde_json::{Map, Value};

/// Answers one request with the engine of this build (the other module exports this).
#[cfg(feature = "jsonata")]
pub fn serve(request: &str) -> String {
    let answer = match serde_json::from_str::<Value>(request) {
        Ok(r) => answer(&r),
        Err(e) => failure(&JsonataError {
            code: "U0000".into(),
            position: None,
            message: format!("not a JSONata request: {e}"),
        }),
    };
    answer.to_string()
}

#[cfg(feature = "jsonata")]
fn answer(r: &Value) -> Value {
    let text = r.get("expr").and_then(Value::as_str).unwrap_or_default();
    let expr = match super::Expression::parse(text) {
        Ok(e) => e,
        Err(e) => return failure(&e),
    };
    let mut out = Map::new();
    match r.get("op").and_then(Value::as_str) {
        Some("parse") => {
            out.insert("returnsFunction".into(), expr.returns_function().into());
        }
        Some("evaluate") => {
            let number = |k: &str| r.get(k).and_then(Value::as_u64);
            let mut env = AwsEnv::new(number("rng").unwrap_or_default())
                .with_now(r.get("now").and_then(Value::as_i64).unwrap_or_default());
            if let Some(n) = number("maxDepth").and_then(|n| usize::try_from(n).ok()) {
                env = env.with_max_depth(n);
            }
            if let Some(n) = number("maxSteps") {
                env = env.with_max_steps(n);
            }
            if let Some(n) = number("maxResultSize").and_then(|n| usize::try_from(n).ok()) {
                env = env.with_max_result_size(n);
            }
            if r.get("aws") == Some(&Value::Bool(false)) {
                env = env.without_aws_functions();
            }
            let empty = Map::new();
            let bindings = r
                .get("bindings")
                .and_then(Value::as_object)
                .unwrap_or(&empty);
            match expr.evaluate(r.get("input"), bindings, &mut env) {
                Ok(Some(v)) => {
                    out.insert("value".into(), v);
                }
                Ok(None) => {}
                Err(e) => return with_rng(failure(&e), &env),
            }
            return with_rng(Value::Object(out), &env);
        }
        _ => {
            return failure(&JsonataError {
                code: "U0000".into(),
                position: None,
                message: "unknown JSONata request".into(),
            });
        }
    }
    Value::Object(out)
}

#[cfg(feature = "jsonata")]
fn with_rng(mut answer: Value, env: &AwsEnv) -> Value {
    if let Value::Object(m) = &mut answer {
        m.insert("rng".into(), env.rng.state().into());
    }
    answer
}

#[cfg(feature = "jsonata")]
fn failure(e: &JsonataError) -> Value {
    let mut err = Map::new();
    err.insert("code".into(), e.code.clone().into());
    err.insert(
        "position".into(),
        e.position.map_or(Value::Null, Value::from),
    );
    err.insert("message".into(), e.message.clone().into());
    let mut out = Map::new();
    out.insert("err".into(), Value::Object(err));
    Value::Object(out)
}

/// Parses `text` through the backend: whether its value is a function, or its syntax error.
#[cfg_attr(feature = "jsonata", allow(dead_code))]
pub(super) fn parse(text: &str) -> Result<bool, JsonataError> {
    let mut req = Map::new();
    req.insert("op".into(), "parse".into());
    req.insert("expr".into(), text.into());
    let answer = call(req)?;
    Ok(answer
        .get("returnsFunction")
        .and_then(Value::as_bool)
        .unwrap_or(false))
}

/// Evaluates `text` through the backend, moving `env`'s generator on as the other side did.
#[cfg_attr(feature = "jsonata", allow(dead_code))]
pub(super) fn evaluate(
    text: &str,
    input: Option<&Value>,
    bindings: &Map<String, Value>,
    env: &mut AwsEnv,
) -> Result<Option<Value>, JsonataError> {
    let mut req = Map::new();
    req.insert("op".into(), "evaluate".into());
    req.insert("expr".into(), text.into());
    if let Some(input) = input {
        req.insert("input".into(), input.clone());
    }
    req.insert("bindings".into(), Value::Object(bindings.clone()));
    req.insert("rng".into(), env.rng.state().into());
    req.insert("now".into(), env.now.into());
    req.insert("maxDepth".into(), env.max_depth.into());
    req.insert("maxSteps".into(), env.max_steps.into());
    if let Some(n) = env.max_result_size {
        req.insert("maxResultSize".into(), n.into());
    }
    req.insert("aws".into(), env.aws_functions.into());
    let mut answer = call(req)?;
    if let Some(state) = answer.get("rng").and_then(Value::as_u64) {
        env.rng = Rng::new(state);
    }
    match answer.get_mut("value") {
        Some(v) => Ok(Some(v.take())),
        None => Ok(None),
    }
}

/// Sends a request; an `err` answer, no backend or an unreadable answer are errors.
fn call(request: Map<String, Value>) -> Result<Value, JsonataError> {
    let backend = super::backend().ok_or_else(JsonataError::unavailable)?;
    let text = backend.call(&Value::Object(request).to_string());
    let answer: Value = serde_json::from_str(&text).map_err(|_| JsonataError {
        code: "U0000".into(),
        position: None,
        message: "the JSONata engine gave no readable answer".into(),
    })?;
    if let Some(err) = answer.get("err") {
        return Err(JsonataError {
            code: err
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or("U0000")
                .to_owned(),
            position: err
                .get("position")
                .and_then(Value::as_u64)
                .and_then(|p| usize::try_from(p).ok()),
            message: err
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        });
    }
    Ok(answer)
}

#[cfg(all(test, feature = "jsonata"))]
mod tests {
    use super::*;
    use crate::jsonata::{Backend, Expression, set_backend};
    use serde_json::json;
    use std::rc::Rc;

    struct Loopback;
    impl Backend for Loopback {
        fn call(&self, request: &str) -> String {
            serve(request)
        }
    }

    #[test]
    fn the_wire_gives_what_the_engine_gives() {
        set_backend(Rc::new(Loopback));
        assert_eq!(parse("function($x){$x}"), Ok(true));
        assert_eq!(parse("1 + 1"), Ok(false));
        let local = Expression::parse("$states.input.[").unwrap_err();
        assert_eq!(parse("$states.input.["), Err(local));

        let mut bindings = Map::new();
        bindings.insert("states".into(), json!({"input": {"n": [1, 2, 3]}}));
        let text = "{'sum': $sum($states.input.n), 'r': $random(), 'u': $uuid(), 'now': $now()}";
        let expr = Expression::parse(text).unwrap();
        let (mut here, mut there) = (
            AwsEnv::new(9).with_now(5_000),
            AwsEnv::new(9).with_now(5_000),
        );
        for _ in 0..2 {
            let a = expr.evaluate(None, &bindings, &mut here);
            let b = evaluate(text, None, &bindings, &mut there);
            assert_eq!(a, b);
            assert_eq!(here.rng.state(), there.rng.state());
        }
        assert_eq!(
            evaluate("$undefinedThing", None, &bindings, &mut there),
            Ok(None)
        );
        assert_eq!(
            evaluate("$", Some(&Value::Null), &bindings, &mut there),
            Ok(Some(Value::Null))
        );
        let err = evaluate("$error('no')", None, &bindings, &mut there).unwrap_err();
        assert_eq!(err.code, "D3137");
        assert!(serve("not json").contains("\"err\""));
    }
}
