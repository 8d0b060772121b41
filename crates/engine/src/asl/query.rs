//! The executor's view of JSONPath and intrinsic functions: one thin adapter over
//! `crate::jsonpath` and `crate::intrinsics`, so the executor does not depend on their details.

use crate::fasthash::FastMap;
use crate::intrinsics;
use crate::jsonpath::{self, PathError, Scope};
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// How many parsed paths / intrinsic calls the per-thread caches keep before starting afresh.
const CACHE_LIMIT: usize = 4096;

thread_local! {
    /// Parsed paths by text: a machine's paths are parsed once, not on every evaluation.
    static PATHS: RefCell<FastMap<Box<str>, Rc<jsonpath::Path>>> = RefCell::new(FastMap::default());
    /// Parsed intrinsic calls by text.
    static CALLS: RefCell<FastMap<Box<str>, Rc<intrinsics::Call>>> = RefCell::new(FastMap::default());
}

/// Looks `text` up in a cache, parsing (and remembering) it when absent; errors are not kept.
fn cached<T, E>(
    cache: &'static std::thread::LocalKey<RefCell<FastMap<Box<str>, Rc<T>>>>,
    text: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<Rc<T>, E> {
    if let Some(hit) = cache.with(|c| c.borrow().get(text).cloned()) {
        return Ok(hit);
    }
    let parsed = Rc::new(parse(text)?);
    cache.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(text.into(), Rc::clone(&parsed));
    });
    Ok(parsed)
}

/// A path, parsed once per thread.
pub(crate) fn parsed_path(text: &str) -> Result<Rc<jsonpath::Path>, PathError> {
    cached(&PATHS, text, jsonpath::parse)
}

/// What paths can read: the state input, the context object and the variables in scope.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Env<'a> {
    pub(crate) input: &'a Value,
    pub(crate) context: &'a Value,
    pub(crate) vars: &'a Map<String, Value>,
}

impl<'a> Env<'a> {
    fn scope(&self) -> Scope<'a> {
        Scope {
            input: self.input,
            context: self.context,
            variables: self.vars,
        }
    }
}

/// Why a path gave no value.
#[derive(Debug, Clone)]
pub(crate) enum PathFail {
    /// The path is fine but names nothing in the input; AWS's wording of why.
    NotFound(String),
    /// The path is malformed or refers to an undefined variable; the text explains.
    Invalid(String),
}

/// Evaluates a path (`$…`, `$$…`, `$var…`).
pub(crate) fn eval_path(path: &str, env: &Env<'_>) -> Result<Value, PathFail> {
    let parsed = parsed_path(path).map_err(|e| PathFail::Invalid(e.to_string()))?;
    match parsed.evaluate(&env.scope()) {
        Ok(v) => Ok(v),
        Err(e @ PathError::NotFound { .. }) => Err(PathFail::NotFound(e.to_string())),
        Err(e) => Err(PathFail::Invalid(e.to_string())),
    }
}

/// Checks that a text is a path (for validation); the error says why not.
pub(crate) fn check_path(path: &str) -> Result<(), String> {
    jsonpath::parse(path).map(|_| ()).map_err(|e| e.to_string())
}

/// Checks that a text is a reference path (a single node: no wildcards or filters).
pub(crate) fn check_reference_path(path: &str) -> Result<(), String> {
    let parsed = jsonpath::parse(path).map_err(|e| e.to_string())?;
    if parsed.is_reference_path() {
        Ok(())
    } else {
        Err(format!(
            "'{path}' is not a reference path: only `.name`, `['name']` and `[n]` steps are allowed"
        ))
    }
}

/// Writes `result` into `input` at a ResultPath.
pub(crate) fn set_result(input: &Value, path: &str, result: Value) -> Result<Value, String> {
    let parsed = parsed_path(path).map_err(|e| e.to_string())?;
    jsonpath::set_result(input, &parsed, result).map_err(|e| e.to_string())
}

/// Whether a `.$` value is an intrinsic function call (`States.Format(…)`).
pub(crate) fn is_intrinsic(text: &str) -> bool {
    intrinsics::is_intrinsic(text)
}

/// Evaluates an intrinsic function call; the error is (error name, cause).
pub(crate) fn eval_intrinsic(
    text: &str,
    env: &Env<'_>,
    seed: u64,
) -> Result<Value, (String, String)> {
    let mut rng = intrinsics::Rng::new(seed);
    cached(&CALLS, text, intrinsics::parse)
        .and_then(|call| intrinsics::evaluate(&call, &env.scope(), &mut rng))
        .map_err(|e| (e.error_name().to_owned(), e.to_string()))
}

/// Checks that an intrinsic function call parses (for validation).
pub(crate) fn check_intrinsic(text: &str) -> Result<(), String> {
    intrinsics::parse(text)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
