//! The executor's view of JSONPath and intrinsic functions: one thin adapter over
//! `crate::jsonpath` and `crate::intrinsics`, evaluating the paths and calls the definition
//! holds parsed ([`CompiledPath`], [`CompiledCall`]).

use super::compile::{CompiledCall, CompiledPath};
use crate::intrinsics;
use crate::jsonpath::{self, PathError, Scope};
use serde_json::{Map, Value};

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
pub(crate) fn eval_path(path: &CompiledPath, env: &Env<'_>) -> Result<Value, PathFail> {
    let parsed = path
        .parsed()
        .map_err(|e| PathFail::Invalid(e.to_string()))?;
    match parsed.evaluate(&env.scope()) {
        Ok(v) => Ok(v),
        Err(e @ PathError::NotFound { .. }) => Err(PathFail::NotFound(e.to_string())),
        Err(e) => Err(PathFail::Invalid(e.to_string())),
    }
}

/// Writes `result` into `input` at a ResultPath.
pub(crate) fn set_result(
    input: &Value,
    path: &CompiledPath,
    result: Value,
) -> Result<Value, String> {
    let parsed = path.parsed().map_err(|e| e.to_string())?;
    jsonpath::set_result(input, parsed, result).map_err(|e| e.to_string())
}

/// Evaluates an intrinsic function call; the error is (error name, cause).
pub(crate) fn eval_intrinsic(
    call: &CompiledCall,
    env: &Env<'_>,
    seed: u64,
) -> Result<Value, (String, String)> {
    let mut rng = intrinsics::Rng::new(seed);
    call.parsed()
        .map_err(Clone::clone)
        .and_then(|call| intrinsics::evaluate(call, &env.scope(), &mut rng))
        .map_err(|e| (e.error_name().to_owned(), e.to_string()))
}
