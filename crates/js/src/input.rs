//! An argument of the JS API: JSON text (a JS string) or a value that was already JSON-shaped.

use crate::error::ApiError;
use serde_json::Value;
use statebridge_engine::source::{self, SourceMap};

/// One argument as the caller gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A JS string: JSON text, so errors can carry a line and column.
    Text(String),
    /// Any other JS value, already converted to JSON.
    Value(Value),
}

impl From<&str> for Input {
    fn from(text: &str) -> Input {
        Input::Text(text.to_owned())
    }
}

impl From<Value> for Input {
    fn from(value: Value) -> Input {
        Input::Value(value)
    }
}

impl Input {
    /// The JSON value, and where each part of it is when it came as text.
    pub fn parse(self, argument: &str) -> Result<(Value, Option<SourceMap>), ApiError> {
        match self {
            Input::Text(text) => {
                let (value, map) =
                    source::parse(&text).map_err(|e| ApiError::syntax(argument, &e))?;
                Ok((value, Some(map)))
            }
            Input::Value(value) => Ok((value, None)),
        }
    }

    /// The JSON value.
    pub fn value(self, argument: &str) -> Result<Value, ApiError> {
        match self {
            Input::Text(text) => {
                source::parse_value(&text).map_err(|e| ApiError::syntax(argument, &e))
            }
            Input::Value(value) => Ok(value),
        }
    }
}

/// Adds the line and column of the error's pointer, when the argument was text.
pub fn locate(mut e: ApiError, map: Option<&SourceMap>) -> ApiError {
    if let (Some(map), Some(pointer)) = (map, e.pointer.as_deref()) {
        // A missing member is reported on its parent: walk up to the nearest place the map knows.
        let mut p = pointer;
        loop {
            if let Some(span) = map.value_span(p).or_else(|| map.key_span(p)) {
                e.line = Some(span.line);
                e.column = Some(span.column);
                break;
            }
            match p.rfind('/') {
                Some(i) => p = p.get(..i).unwrap_or_default(),
                None => break,
            }
        }
    }
    e
}
