//! JSONPath data flow: InputPath, Parameters templates (`.$` keys: paths, `$$`, variables,
//! intrinsic functions), ResultSelector, ResultPath and OutputPath.

use super::compile::{CompiledPath, Dynamic, Member, PayloadTemplate};
use super::definition::PathField;
use super::errors::StepError;
use super::query::{self, Env, PathFail};
use serde_json::{Map, Value};

/// Deterministic random numbers (SplitMix64) for intrinsics' seeds and retry jitter.
pub(crate) use crate::splitmix::SplitMix64 as Rng64;

/// InputPath / OutputPath: absent keeps the value, `null` gives `{}`.
pub(crate) fn select(field: &PathField, env: &Env<'_>) -> Result<Value, StepError> {
    match field {
        PathField::Default => Ok(env.input.clone()),
        PathField::Null => Ok(Value::Object(Map::new())),
        PathField::Path(p) => path(p, env),
    }
}

/// Evaluates a path; errors use AWS's "Invalid path" wording.
pub(crate) fn path(p: &CompiledPath, env: &Env<'_>) -> Result<Value, StepError> {
    query::eval_path(p, env).map_err(|e| match e {
        PathFail::NotFound(m) | PathFail::Invalid(m) => StepError::runtime(m),
    })
}

/// ResultPath: absent replaces the input with the result, `null` keeps the input.
pub(crate) fn merge_result(
    field: &PathField,
    input: &Value,
    result: Value,
) -> Result<Value, StepError> {
    match field {
        PathField::Default => Ok(result),
        PathField::Null => Ok(input.clone()),
        PathField::Path(p) => query::set_result(input, p, result).map_err(|m| StepError {
            error: "States.Runtime".into(),
            detail: m,
        }),
    }
}

/// Evaluates a payload template (Parameters, ResultSelector, ItemSelector, Assign in JSONPath):
/// `.$` members take their path's or intrinsic call's value; other values are copied.
pub(crate) fn template(
    t: &PayloadTemplate,
    env: &Env<'_>,
    rng: &mut Rng64,
) -> Result<Value, StepError> {
    match t {
        PayloadTemplate::Literal(v) => Ok(v.clone()),
        PayloadTemplate::Object(members) => {
            let mut out = Map::new();
            for (key, member) in members {
                match member {
                    Member::Dynamic { name, value } => {
                        out.insert(name.clone(), dynamic(key, value, env, rng)?);
                    }
                    Member::Nested(t) => {
                        out.insert(key.clone(), template(t, env, rng)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        PayloadTemplate::Array(items) => items
            .iter()
            .map(|i| template(i, env, rng))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
    }
}

/// One `.$` value: a path or an intrinsic function.
fn dynamic(key: &str, expr: &Dynamic, env: &Env<'_>, rng: &mut Rng64) -> Result<Value, StepError> {
    let path = match expr {
        Dynamic::Call(call) => {
            return query::eval_intrinsic(call, env, rng.next_u64())
                .map_err(|(error, detail)| StepError { error, detail });
        }
        Dynamic::Path(p) => p,
    };
    match query::eval_path(path, env) {
        Ok(v) => Ok(v),
        Err(PathFail::NotFound(_)) => Err(StepError::runtime(format!(
            "The JSONPath '{expr}' specified for the field '{key}' could not be found in the input '{}'",
            super::history::text(env.input)
        ))),
        Err(PathFail::Invalid(m)) => Err(StepError::runtime(m)),
    }
}
