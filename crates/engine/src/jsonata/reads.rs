//! What an expression may read of its variables, found once when it is compiled, so that an
//! evaluation copies only those parts of `$states` and of the variables (not the whole state
//! input for each expression, nor every variable).
//!
//! The analysis is jlens-core's (`Expression::reads`): an upper bound, with the guarantee that
//! the expression gives the same result, or the same error, on its bindings cut by it. This
//! module holds it in our own types, which also cross to a JSONata module of its own
//! ([`super::remote`]) as JSON: `true` for a value read whole, an object of the fields read.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// What is needed of a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// The value as it is.
    Whole,
    /// Of an object, only these fields, each cut by its own `Read`; of an array, each item cut
    /// by the same fields; of a scalar, the scalar. An empty map needs the value but none of
    /// its fields (`$exists($x)`).
    Fields(BTreeMap<String, Read>),
}

/// The `Read` of a value needed whole.
pub(crate) static WHOLE: Read = Read::Whole;

impl Read {
    /// What is read of the field `name` of the value, if anything.
    pub fn field(&self, name: &str) -> Option<&Read> {
        match self {
            Read::Whole => Some(&WHOLE),
            Read::Fields(fields) => fields.get(name),
        }
    }

    /// A copy of the parts of `value` this `Read` needs.
    ///
    /// ```
    /// use statebridge_engine::jsonata::Expression;
    /// use serde_json::json;
    /// let expr = Expression::parse("$states.input.items.price").unwrap();
    /// let read = expr.reads().binding("states").unwrap();
    /// let states = json!({"input": {"items": [{"price": 2, "name": "pen"}]}, "context": {}});
    /// assert_eq!(read.cut(&states), json!({"input": {"items": [{"price": 2}]}}));
    /// ```
    pub fn cut(&self, value: &Value) -> Value {
        match (self, value) {
            (Read::Fields(fields), Value::Object(object)) => Value::Object(
                object
                    .iter()
                    .filter_map(|(name, v)| fields.get(name).map(|r| (name.clone(), r.cut(v))))
                    .collect(),
            ),
            (Read::Fields(_), Value::Array(items)) => {
                Value::Array(items.iter().map(|item| self.cut(item)).collect())
            }
            (_, value) => value.clone(),
        }
    }

    /// The JSON form: `true`, or an object of the fields read.
    pub fn to_json(&self) -> Value {
        match self {
            Read::Whole => Value::Bool(true),
            Read::Fields(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, r)| (k.clone(), r.to_json()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }

    /// Reads the JSON form (anything else is read as `Whole`, which is always safe).
    pub fn from_json(value: &Value) -> Read {
        match value {
            Value::Object(fields) => Read::Fields(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), Read::from_json(v)))
                    .collect(),
            ),
            _ => Read::Whole,
        }
    }

    #[cfg(feature = "jsonata")]
    fn from_library(read: &jlens_core::reads::Read) -> Read {
        match read.fields() {
            None => Read::Whole,
            Some(fields) => Read::Fields(
                fields
                    .iter()
                    .map(|(k, r)| (k.clone(), Read::from_library(r)))
                    .collect(),
            ),
        }
    }
}

/// What an expression may read of its variables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reads {
    /// The variables (without `$`) named in the expression's text: the only ones it can reach,
    /// unless `every_binding`.
    names: Vec<String>,
    /// What the analysis says each variable read needs.
    bindings: BTreeMap<String, Read>,
    /// Whether any variable may be read whole (`$eval`).
    every_binding: bool,
}

impl Reads {
    /// The variables named in the expression, each with what it needs: a name the analysis
    /// does not list (a variable named after a built-in function, which it takes for the
    /// function) is needed whole, as is every name when `every_binding`.
    pub fn named(&self) -> impl Iterator<Item = (&str, &Read)> {
        self.names.iter().map(|n| {
            let read = match self.bindings.get(n) {
                Some(r) if !self.every_binding => r,
                _ => &WHOLE,
            };
            (n.as_str(), read)
        })
    }

    /// What is read of the variable `name`, if it is named in the expression.
    pub fn binding(&self, name: &str) -> Option<&Read> {
        self.named().find(|(n, _)| *n == name).map(|(_, r)| r)
    }

    /// Whether the expression may read any variable whole, named or not (`$eval`).
    pub fn every_binding(&self) -> bool {
        self.every_binding
    }

    #[cfg(feature = "jsonata")]
    pub(super) fn of_library(text: &str, reads: &jlens_core::reads::Reads) -> Reads {
        Reads {
            names: names_in(text),
            bindings: reads
                .bindings()
                .iter()
                .map(|(k, r)| (k.clone(), Read::from_library(r)))
                .collect(),
            every_binding: reads.every_binding(),
        }
    }

    /// The JSON form: `{"bindings": {name: Read}, "everyBinding": bool}`.
    #[cfg_attr(not(feature = "jsonata"), allow(dead_code))]
    pub(super) fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert(
            "bindings".into(),
            Value::Object(
                self.bindings
                    .iter()
                    .map(|(k, r)| (k.clone(), r.to_json()))
                    .collect(),
            ),
        );
        out.insert("everyBinding".into(), self.every_binding.into());
        Value::Object(out)
    }

    /// Reads the JSON form for the expression `text`; a missing analysis reads everything.
    #[cfg_attr(feature = "jsonata", allow(dead_code))]
    pub(super) fn from_json(text: &str, value: Option<&Value>) -> Reads {
        let bindings = value
            .and_then(|v| v.get("bindings"))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), Read::from_json(v)))
                    .collect()
            });
        Reads {
            names: names_in(text),
            every_binding: bindings.is_none()
                || value
                    .and_then(|v| v.get("everyBinding"))
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
            bindings: bindings.unwrap_or_default(),
        }
    }
}

/// The distinct names after a `$` in `text` (a superset of the variables the expression
/// names: `$` in a string literal counts too, which only copies a variable for nothing).
fn names_in(text: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        rest = rest.get(at + 1..).unwrap_or("");
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let name = rest.get(..end).unwrap_or("");
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_the_words_after_a_dollar() {
        assert_eq!(
            names_in("$sum($states.input.x) + $x + $x + $"),
            ["sum", "states", "x"]
        );
    }

    #[test]
    fn a_cut_keeps_what_is_read() {
        let read = Read::from_json(&json!({"input": {"a": true}, "context": {}}));
        let states = json!({"input": {"a": [1], "b": 2}, "context": {"Map": 1}, "result": 3});
        assert_eq!(
            read.cut(&states),
            json!({"input": {"a": [1]}, "context": {}})
        );
        assert_eq!(Read::from_json(&read.to_json()), read);
    }
}
