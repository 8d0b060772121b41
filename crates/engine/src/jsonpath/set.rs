//! Writing a result into the input at a `ResultPath`.

use serde_json::{Map, Value};

use super::eval::type_name;
use super::{Path, PathError, Root, Selector, Step};

/// Applies a `ResultPath`: `$` replaces the input with the result; `$.a.b` puts the result at `a.b`,
/// creating missing objects on the way and overwriting what was there. Fails with
/// `States.ResultPathMatchFailure` when the path is not a reference path on `$`, or runs into a value
/// it cannot go through (a string, a number, an array index that does not exist).
pub fn set_result(input: &Value, result_path: &Path, result: Value) -> Result<Value, PathError> {
    let fail = |message: String| PathError::ResultPathMatchFailure {
        path: result_path.text.clone(),
        message,
    };
    if result_path.root != Root::Input || !result_path.is_reference_path() {
        return Err(fail(
            "a ResultPath must be a reference path on the state input ($, .name, ['name'] or [n] steps only)"
                .to_owned(),
        ));
    }
    let mut output = input.clone();
    let mut slot = &mut output;
    let mut at = String::from("$");
    for step in &result_path.steps {
        match step {
            Step::Child(Selector::Names(names)) => {
                let name = names.first().cloned().unwrap_or_default();
                if slot.is_null() {
                    // A missing (or null) object on the way is created to receive the result.
                    *slot = Value::Object(Map::new());
                }
                let Value::Object(map) = slot else {
                    return Err(fail(format!(
                        "{at} is {} {}, not an object, so it cannot hold the field '{name}'",
                        article(slot),
                        type_name(slot)
                    )));
                };
                at.push_str(&format!("['{name}']"));
                slot = map.entry(name).or_insert(Value::Null);
            }
            Step::Child(Selector::Indexes(indexes)) => {
                let index = indexes.first().copied().unwrap_or_default();
                let Value::Array(items) = slot else {
                    return Err(fail(format!(
                        "{at} is {} {}, not an array, so it has no item [{index}]",
                        article(slot),
                        type_name(slot)
                    )));
                };
                let len = items.len();
                let position = usize::try_from(index).ok().filter(|i| *i < len);
                let Some(item) = position.and_then(|i| items.get_mut(i)) else {
                    return Err(fail(format!(
                        "{at} has {len} items, so it has no item [{index}]"
                    )));
                };
                at.push_str(&format!("[{index}]"));
                slot = item;
            }
            _ => {
                return Err(fail(
                    "only .name, ['name'] and [n] steps can be written".to_owned(),
                ));
            }
        }
    }
    *slot = result;
    Ok(output)
}

fn article(value: &Value) -> &'static str {
    match value {
        Value::Array(_) | Value::Object(_) => "an",
        _ => "a",
    }
}
