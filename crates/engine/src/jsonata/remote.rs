//! The wire between a build without the JSONata engine and a module with it: one request, one
//! answer, both JSON text, so that they cross JavaScript as plain strings.
//!
//! An expression is compiled once, on the other side, under an id this side chooses, and then
//! evaluated by id; values that stay the same across evaluations (a state's input:
//! [`Binding::Kept`](super::Binding::Kept)) are sent once and referred to by id afterwards.
//! Only the parts of the other variables that the expression may read are sent.
//!
//! Requests:
//! - `{"op": "compile", "id": n, "expr": text}` answers `{"returnsFunction": bool, "reads":
//!   {"bindings": {name: read}, "everyBinding": bool}}` (a read is `true` or an object of the
//!   fields read).
//! - `{"op": "evaluate", "id": n, "input": …, "bindings": {name: binding}, "rng": state,
//!   "now": ms, "maxDepth": n, "maxSteps": n, "maxResultSize": n, "aws": bool}` (`input`
//!   absent for *undefined*), where a binding is `{"value": v}` (already cut), `{"keep": v,
//!   "as": id}` (keep `v` under `id`, then use it), `{"ref": id}` (a value kept before) or
//!   `{"members": {name: binding}}` (an object of those members); answers `{"value": …}`
//!   (absent for *undefined*) with the generator's `rng` state, so that `$random()`
//!   continues the same sequence on this side.
//!
//! Any request may carry `"forget": {"exprs": [id…], "values": [id…]}`: what this side
//! dropped since its last request. A failure answers `{"err": {"code", "position",
//! "message"}}`.

use super::bindings::{Binding, Bindings};
use super::reads::{Read, Reads};
use super::{AwsEnv, JsonataError};
use crate::intrinsics::Rng;
use serde_json::{Map, Value};
use std::cell::{Cell, RefCell};

thread_local! {
    /// Ids of expressions and kept values, chosen on this side.
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
    /// Ids dropped on this side, for the other side to forget with the next request.
    static FORGOTTEN: RefCell<(Vec<u64>, Vec<u64>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

#[cfg(feature = "jsonata")]
thread_local! {
    /// The serving side: compiled expressions and kept values by id.
    static EXPRESSIONS: RefCell<std::collections::HashMap<u64, super::Expression>> =
        RefCell::new(std::collections::HashMap::new());
    static VALUES: RefCell<std::collections::HashMap<u64, Value>> =
        RefCell::new(std::collections::HashMap::new());
}

fn next_id() -> u64 {
    NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id.wrapping_add(1));
        id
    })
}

/// An expression compiled by the other module.
#[derive(Debug)]
#[cfg_attr(feature = "jsonata", allow(dead_code))]
pub(super) struct Compiled {
    pub(super) id: u64,
    pub(super) text: String,
    pub(super) returns_function: bool,
}

impl Drop for Compiled {
    fn drop(&mut self) {
        FORGOTTEN.with(|f| f.borrow_mut().0.push(self.id));
    }
}

/// Tells the other module, with the next request, that the kept value `id` is no longer used.
pub(super) fn forget_value(id: u64) {
    FORGOTTEN.with(|f| f.borrow_mut().1.push(id));
}

/// Answers one request with the engine of this build (the other module exports this).
#[cfg(feature = "jsonata")]
pub fn serve(request: &str) -> String {
    let answer = match serde_json::from_str::<Value>(request) {
        Ok(mut r) => {
            forget(&r);
            answer(&mut r)
        }
        Err(e) => failure(&JsonataError {
            code: "U0000".into(),
            position: None,
            message: format!("not a JSONata request: {e}"),
        }),
    };
    answer.to_string()
}

#[cfg(feature = "jsonata")]
fn forget(r: &Value) {
    let ids = |k: &str| -> Vec<u64> {
        r.pointer(&format!("/forget/{k}"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_u64).collect())
            .unwrap_or_default()
    };
    EXPRESSIONS.with(|e| {
        let mut e = e.borrow_mut();
        for id in ids("exprs") {
            e.remove(&id);
        }
    });
    VALUES.with(|v| {
        let mut v = v.borrow_mut();
        for id in ids("values") {
            v.remove(&id);
        }
    });
}

#[cfg(feature = "jsonata")]
fn unknown(what: &str) -> Value {
    failure(&JsonataError {
        code: "U0000".into(),
        position: None,
        message: format!("unknown JSONata {what}"),
    })
}

#[cfg(feature = "jsonata")]
fn answer(r: &mut Value) -> Value {
    let id = r.get("id").and_then(Value::as_u64).unwrap_or_default();
    match r.get("op").and_then(Value::as_str) {
        Some("compile") => {
            let text = r.get("expr").and_then(Value::as_str).unwrap_or_default();
            let expr = match super::Expression::parse(text) {
                Ok(e) => e,
                Err(e) => return failure(&e),
            };
            let mut out = Map::new();
            out.insert("returnsFunction".into(), expr.returns_function().into());
            out.insert("reads".into(), expr.reads().to_json());
            EXPRESSIONS.with(|e| e.borrow_mut().insert(id, expr));
            Value::Object(out)
        }
        Some("evaluate") => {
            let Some(expr) = EXPRESSIONS.with(|e| e.borrow().get(&id).cloned()) else {
                return unknown("expression");
            };
            let mut env = env_of(r);
            let mut vars = Vec::new();
            if let Some(Value::Object(bindings)) = r.get_mut("bindings") {
                for (name, b) in bindings.iter_mut() {
                    let read = expr.reads().binding(name).unwrap_or(&super::reads::WHOLE);
                    match resolve(b, read) {
                        Some(v) => vars.push((name.clone(), v)),
                        None => return unknown("value"),
                    }
                }
            }
            let mut out = Map::new();
            match expr.evaluate_cut(r.get("input"), vars, &mut env) {
                Ok(Some(v)) => {
                    out.insert("value".into(), v);
                }
                Ok(None) => {}
                Err(e) => return with_rng(failure(&e), &env),
            }
            with_rng(Value::Object(out), &env)
        }
        _ => failure(&JsonataError {
            code: "U0000".into(),
            position: None,
            message: "unknown JSONata request".into(),
        }),
    }
}

/// The value of a binding of a request, cut by `read` (`None`: a value not kept here).
#[cfg(feature = "jsonata")]
fn resolve(b: &mut Value, read: &Read) -> Option<Value> {
    if let Some(v) = b.get_mut("value") {
        return Some(v.take());
    }
    if let Some(v) = b.get_mut("keep") {
        let v = v.take();
        let cut = read.cut(&v);
        let id = b.get("as").and_then(Value::as_u64).unwrap_or_default();
        VALUES.with(|k| k.borrow_mut().insert(id, v));
        return Some(cut);
    }
    if let Some(id) = b.get("ref").and_then(Value::as_u64) {
        return VALUES.with(|k| k.borrow().get(&id).map(|v| read.cut(v)));
    }
    let Some(Value::Object(members)) = b.get_mut("members") else {
        return Some(Value::Null);
    };
    let mut out = Map::new();
    for (name, m) in members.iter_mut() {
        let Some(r) = read.field(name) else { continue };
        out.insert(name.clone(), resolve(m, r)?);
    }
    Some(Value::Object(out))
}

#[cfg(feature = "jsonata")]
fn env_of(r: &Value) -> AwsEnv {
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
    env
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

/// Compiles `text` on the other side: the expression and what it reads, or its syntax error.
#[cfg_attr(feature = "jsonata", allow(dead_code))]
pub(super) fn compile(text: &str) -> Result<(Compiled, Reads), JsonataError> {
    let id = next_id();
    let mut req = Map::new();
    req.insert("op".into(), "compile".into());
    req.insert("id".into(), id.into());
    req.insert("expr".into(), text.into());
    let answer = call(req)?;
    let compiled = Compiled {
        id,
        text: text.to_owned(),
        returns_function: answer
            .get("returnsFunction")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    };
    Ok((compiled, Reads::from_json(text, answer.get("reads"))))
}

/// A binding as the request carries it, cut by `read`; a kept value not sent yet is sent
/// whole (the other side cuts it) and its slot noted in `sent`, to be set once it arrived.
#[cfg_attr(feature = "jsonata", allow(dead_code))]
fn encode<'a>(b: &Binding<'a>, read: &Read, sent: &mut Vec<(&'a super::Kept, u64)>) -> Value {
    let mut out = Map::new();
    match b {
        Binding::Value(v) => {
            out.insert("value".into(), read.cut(v));
        }
        Binding::Kept(v, kept) => match kept.id.get() {
            Some(id) => {
                out.insert("ref".into(), id.into());
            }
            None => {
                let id = next_id();
                out.insert("keep".into(), (*v).clone());
                out.insert("as".into(), id.into());
                sent.push((kept, id));
            }
        },
        Binding::Members(members) => {
            let mut m = Map::new();
            for (name, b) in members.iter() {
                if let Some(r) = read.field(name) {
                    m.insert((*name).to_owned(), encode(b, r, sent));
                }
            }
            out.insert("members".into(), Value::Object(m));
        }
    }
    Value::Object(out)
}

/// Evaluates `expr` on the other side, moving `env`'s generator on as the other side did.
#[cfg_attr(feature = "jsonata", allow(dead_code))]
pub(super) fn evaluate(
    expr: &Compiled,
    reads: &Reads,
    input: Option<&Value>,
    bindings: &Bindings<'_>,
    env: &mut AwsEnv,
) -> Result<Option<Value>, JsonataError> {
    let mut req = Map::new();
    req.insert("op".into(), "evaluate".into());
    req.insert("id".into(), expr.id.into());
    if let Some(input) = input {
        req.insert("input".into(), input.clone());
    }
    let mut sent = Vec::new();
    let mut encoded = Map::new();
    for (name, b, read) in bindings.needed(reads) {
        encoded.insert(name.to_owned(), encode(&b, read, &mut sent));
    }
    req.insert("bindings".into(), Value::Object(encoded));
    req.insert("rng".into(), env.rng.state().into());
    req.insert("now".into(), env.now.into());
    req.insert("maxDepth".into(), env.max_depth.into());
    req.insert("maxSteps".into(), env.max_steps.into());
    if let Some(n) = env.max_result_size {
        req.insert("maxResultSize".into(), n.into());
    }
    req.insert("aws".into(), env.aws_functions.into());
    let answer = call(req);
    if !matches!(&answer, Err(e) if e.code == "U0000") {
        for (kept, id) in sent {
            kept.id.set(Some(id));
        }
    }
    let mut answer = answer?;
    if let Some(state) = answer.get("rng").and_then(Value::as_u64) {
        env.rng = Rng::new(state);
    }
    match answer.get_mut("value") {
        Some(v) => Ok(Some(v.take())),
        None => Ok(None),
    }
}

/// Sends a request (with what to forget); an `err` answer, no backend or an unreadable answer
/// are errors.
fn call(mut request: Map<String, Value>) -> Result<Value, JsonataError> {
    let backend = super::backend().ok_or_else(JsonataError::unavailable)?;
    let (exprs, values) = FORGOTTEN.with(|f| std::mem::take(&mut *f.borrow_mut()));
    if !exprs.is_empty() || !values.is_empty() {
        let mut forget = Map::new();
        forget.insert("exprs".into(), exprs.into());
        forget.insert("values".into(), values.into());
        request.insert("forget".into(), Value::Object(forget));
    }
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
    use crate::jsonata::{Backend, Expression, Kept, set_backend};
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
        assert!(compile("function($x){$x}").unwrap().0.returns_function);
        assert!(!compile("1 + 1").unwrap().0.returns_function);
        let local = Expression::parse("$states.input.[").unwrap_err();
        assert_eq!(compile("$states.input.[").unwrap_err(), local);

        let (input, context) = (json!({"n": [1, 2, 3], "big": "x"}), json!({"Map": 1}));
        let kept = Kept::default();
        let members = [
            ("input", Binding::Kept(&input, &kept)),
            ("context", Binding::Value(&context)),
        ];
        let vars = Map::from_iter([("v".to_owned(), json!(4)), ("w".to_owned(), json!(5))]);
        let bindings = Bindings::new(&vars).with("states", Binding::Members(&members));
        let text =
            "{'sum': $sum($states.input.n) + $v, 'r': $random(), 'u': $uuid(), 'now': $now()}";
        let expr = Expression::parse(text).unwrap();
        let (there, reads) = compile(text).unwrap();
        let (mut here_env, mut there_env) = (
            AwsEnv::new(9).with_now(5_000),
            AwsEnv::new(9).with_now(5_000),
        );
        for _ in 0..2 {
            let a = expr.evaluate_in(None, &bindings, &mut here_env);
            let b = evaluate(&there, &reads, None, &bindings, &mut there_env);
            assert_eq!(a, b);
            assert_eq!(here_env.rng.state(), there_env.rng.state());
        }
        // The input went across once and is referred to since.
        let id = kept.id.get().unwrap();
        assert!(VALUES.with(|v| v.borrow().contains_key(&id)));
        let whole = compile("$states").unwrap();
        assert_eq!(
            evaluate(&whole.0, &whole.1, None, &bindings, &mut there_env),
            Ok(Some(json!({"input": input, "context": context})))
        );
        let undefined = compile("$undefinedThing").unwrap();
        assert_eq!(
            evaluate(&undefined.0, &undefined.1, None, &bindings, &mut there_env),
            Ok(None)
        );
        let dollar = compile("$").unwrap();
        assert_eq!(
            evaluate(
                &dollar.0,
                &dollar.1,
                Some(&Value::Null),
                &bindings,
                &mut there_env
            ),
            Ok(Some(Value::Null))
        );
        let error = compile("$error('no')").unwrap();
        let err = evaluate(&error.0, &error.1, None, &bindings, &mut there_env).unwrap_err();
        assert_eq!(err.code, "D3137");
        assert!(serve("not json").contains("\"err\""));
        // What this side drops, the other side forgets with the next request.
        let error_id = error.0.id;
        drop(error);
        drop(kept);
        compile("1").unwrap();
        assert!(!VALUES.with(|v| v.borrow().contains_key(&id)));
        assert!(!EXPRESSIONS.with(|e| e.borrow().contains_key(&error_id)));
    }
}
