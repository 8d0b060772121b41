//! The executor's view of JSONata: `{% … %}` templates evaluated over `$states` and variables.

use super::errors::StepError;
use crate::jsonata;
use serde_json::{Map, Value};

/// Whether a string is a JSONata expression (`{% … %}` at the very start and end).
pub(crate) fn expression(text: &str) -> Option<&str> {
    jsonata::template_expression(text)
}

/// What JSONata expressions can read.
pub(crate) struct JsonataEnv<'a> {
    /// `$states` (`input`, `context`, and `result` / `errorOutput` where defined).
    pub(crate) states: Value,
    /// The variables in scope.
    pub(crate) vars: &'a Map<String, Value>,
    /// Seed for `$random` / `$uuid`.
    pub(crate) seed: u64,
    /// The virtual clock, for `$now()` and `$millis()`.
    pub(crate) now: i64,
}

/// Evaluates one expression; `None` is JSONata's undefined.
pub(crate) fn eval_expression(
    expr: &str,
    env: &JsonataEnv<'_>,
) -> Result<Option<Value>, jsonata::JsonataError> {
    let parsed = jsonata::Expression::parse(expr)?;
    let mut bindings = env.vars.clone();
    bindings.insert("states".to_owned(), env.states.clone());
    let mut aws = jsonata::AwsEnv::new(env.seed).with_now(env.now);
    parsed.evaluate(None, &bindings, &mut aws)
}

/// Checks that an expression parses (for validation); the error gives the position.
#[allow(dead_code)]
pub(crate) fn check(expr: &str) -> Result<(), String> {
    jsonata::Expression::parse(expr)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Evaluates a JSONata template: strings `{% … %}` are expressions, objects and arrays recurse,
/// other values are literals. `field` names the place for error messages (`Output/result`).
pub(crate) fn template(t: &Value, env: &JsonataEnv<'_>, field: &str) -> Result<Value, StepError> {
    match t {
        Value::String(s) => match expression(s) {
            Some(expr) => match eval_expression(expr, env) {
                Ok(Some(v)) => Ok(v),
                // A function value comes back as undefined; AWS names it differently.
                Ok(None)
                    if jsonata::Expression::parse(expr).is_ok_and(|e| e.returns_function()) =>
                {
                    Err(StepError::query(format!(
                        "The JSONata expression '{expr}' specified for the field '{field}' returned an unsupported result type."
                    )))
                }
                Ok(None) => Err(StepError::query(format!(
                    "The JSONata expression '{expr}' specified for the field '{field}' returned nothing (undefined)."
                ))),
                Err(e) => Err(StepError::query(format!(
                    "The JSONata expression '{expr}' specified for the field '{field}' threw an error during evaluation. {}: {}",
                    e.code, e.message
                ))),
            },
            None => Ok(t.clone()),
        },
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                out.insert(k.clone(), template(v, env, &format!("{field}/{k}"))?);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| template(v, env, &format!("{field}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}
