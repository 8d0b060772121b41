//! JSONPath data flow: InputPath, Parameters templates (`.$` keys: paths, `$$`, variables,
//! intrinsic functions), ResultSelector, ResultPath and OutputPath.

use super::definition::PathField;
use super::errors::StepError;
use super::query::{self, Env, PathFail};
use serde_json::{Map, Value};

/// Deterministic random numbers (SplitMix64) for intrinsics' seeds and retry jitter.
#[derive(Debug, Clone)]
pub(crate) struct Rng64(pub(crate) u64);

impl Rng64 {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in `[0, 1)`.
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// InputPath / OutputPath: absent keeps the value, `null` gives `{}`.
pub(crate) fn select(field: &PathField, env: &Env<'_>) -> Result<Value, StepError> {
    match field {
        PathField::Default => Ok(env.input.clone()),
        PathField::Null => Ok(Value::Object(Map::new())),
        PathField::Path(p) => path(p, env),
    }
}

/// Evaluates a path; errors use AWS's "Invalid path" wording.
pub(crate) fn path(p: &str, env: &Env<'_>) -> Result<Value, StepError> {
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
/// keys ending in `.$` take a path or an intrinsic function call; other values are copied.
pub(crate) fn template(t: &Value, env: &Env<'_>, rng: &mut Rng64) -> Result<Value, StepError> {
    match t {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, v) in map {
                match (key.strip_suffix(".$"), v) {
                    (Some(name), Value::String(expr)) => {
                        out.insert(name.to_owned(), dynamic(key, expr, env, rng)?);
                    }
                    _ => {
                        out.insert(key.clone(), template(v, env, rng)?);
                    }
                }
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => items
            .iter()
            .map(|i| template(i, env, rng))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        other => Ok(other.clone()),
    }
}

/// One `.$` value: a path or an intrinsic function.
fn dynamic(key: &str, expr: &str, env: &Env<'_>, rng: &mut Rng64) -> Result<Value, StepError> {
    if query::is_intrinsic(expr) {
        return query::eval_intrinsic(expr, env, rng.next_u64())
            .map_err(|(error, detail)| StepError { error, detail });
    }
    match query::eval_path(expr, env) {
        Ok(v) => Ok(v),
        Err(PathFail::NotFound(_)) => Err(StepError::runtime(format!(
            "The JSONPath '{expr}' specified for the field '{key}' could not be found in the input '{}'",
            super::history::text(env.input)
        ))),
        Err(PathFail::Invalid(m)) => Err(StepError::runtime(m)),
    }
}
