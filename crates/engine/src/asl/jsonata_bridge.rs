//! The executor's view of JSONata: `{% … %}` templates evaluated over `$states` and variables.

use super::errors::StepError;
use crate::jsonata;
use serde::Serialize;
use serde_json::{Map, Value};

/// One `{% … %}` expression a state evaluated, with what it produced: recorded for the app's
/// inspector when [`ExecutionOptions::trace_expressions`](super::ExecutionOptions) is set.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluatedExpression {
    /// Where the expression sits in the state: `Arguments.orderId`, `Output`, `Assign.total`,
    /// `Choices[1].Condition`, `Items`, `Catch[0].Output`, …
    pub field: String,
    /// The expression's text, between `{%` and `%}`.
    pub expression: String,
    /// What it evaluated to (absent when it failed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    /// The error it raised (`States.QueryEvaluationError`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The error's message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Id of the last history event recorded before it was evaluated: a replay shows it from
    /// that event on.
    pub after_event_id: u64,
}

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
/// With a trace, each expression is recorded with its value or error.
pub(crate) fn template(
    t: &Value,
    env: &JsonataEnv<'_>,
    field: &str,
    trace: Option<&mut Vec<EvaluatedExpression>>,
) -> Result<Value, StepError> {
    match (trace, t) {
        (Some(out), Value::String(s)) if expression(s).is_some() => {
            let r = template(t, env, field, None);
            let (value, error, cause) = match &r {
                Ok(v) => (Some(v.clone()), None, None),
                Err(e) => (None, Some(e.error.clone()), Some(e.detail.clone())),
            };
            out.push(EvaluatedExpression {
                field: field.replace('/', "."),
                expression: expression(s).unwrap_or_default().trim().to_owned(),
                value,
                error,
                cause,
                after_event_id: 0,
            });
            r
        }
        (Some(out), Value::Object(map)) => {
            let mut res = Map::new();
            for (k, v) in map {
                res.insert(
                    k.clone(),
                    template(v, env, &format!("{field}/{k}"), Some(&mut *out))?,
                );
            }
            Ok(Value::Object(res))
        }
        (Some(out), Value::Array(items)) => {
            let mut res = Vec::with_capacity(items.len());
            for (i, v) in items.iter().enumerate() {
                res.push(template(v, env, &format!("{field}[{i}]"), Some(&mut *out))?);
            }
            Ok(Value::Array(res))
        }
        (_, t) => untraced(t, env, field),
    }
}

fn untraced(t: &Value, env: &JsonataEnv<'_>, field: &str) -> Result<Value, StepError> {
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
                out.insert(k.clone(), template(v, env, &format!("{field}/{k}"), None)?);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| template(v, env, &format!("{field}[{i}]"), None))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}
