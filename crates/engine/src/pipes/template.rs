//! A pipe's `InputTemplate` ("Amazon EventBridge Pipes input transformation"): the paths are
//! written inline (`<$.body.orderId>`) and the reserved variables are `<aws.pipes.pipe-arn>`,
//! `<aws.pipes.pipe-name>`, `<aws.pipes.source-arn>`, `<aws.pipes.enrichment-arn>`,
//! `<aws.pipes.target-arn>`, `<aws.pipes.event.ingestion-time>`, `<aws.pipes.event>` and
//! `<aws.pipes.event.json>`.
//!
//! Quoting follows EventBridge's input transformer (`crate::transform`): in a template that
//! starts with `{` or `[`, a string placeholder outside quotes gets quotes, objects and arrays go
//! in as JSON, and the result must be JSON. In a text template an object or array loses its
//! quotes: the guide's example, `<$.body>` of `{"key": "value"}` becoming `{key: value}` (not
//! JSON, so a Step Functions target refuses it: wrap it, `{"data": <$.body>}`).
//!
//! ```
//! use statebridge_engine::pipes::template::{Template, Reserved};
//! use serde_json::json;
//! let t = Template::parse(r#"{"order": <$.body.orderId>, "pipe": <aws.pipes.pipe-name>}"#).unwrap();
//! let record = json!({"body": {"orderId": "o-1"}});
//! let out = t.apply(&record, &record, &Reserved { pipe_name: "orders", ..Reserved::default() }).unwrap();
//! assert_eq!(out.json, Some(json!({"order": "o-1", "pipe": "orders"})));
//! assert!(Template::parse("<aws.pipes.nope>").is_err());
//! ```

use crate::size::MAX_TARGET_INPUT_BYTES;
use crate::source;
use crate::transform::{self, Delivered, JsonPath, MAX_TEMPLATE_CHARS, Piece};
use serde_json::Value;

const RESERVED: [&str; 8] = [
    "aws.pipes.pipe-arn",
    "aws.pipes.pipe-name",
    "aws.pipes.source-arn",
    "aws.pipes.enrichment-arn",
    "aws.pipes.target-arn",
    "aws.pipes.event.ingestion-time",
    "aws.pipes.event",
    "aws.pipes.event.json",
];

/// A parsed `InputTemplate`.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    text: String,
    paths: Vec<(String, JsonPath)>,
}

/// The reserved variables' values for one event.
#[derive(Debug, Clone, Default)]
pub struct Reserved<'a> {
    /// `<aws.pipes.pipe-arn>`.
    pub pipe_arn: &'a str,
    /// `<aws.pipes.pipe-name>`.
    pub pipe_name: &'a str,
    /// `<aws.pipes.source-arn>`.
    pub source_arn: &'a str,
    /// `<aws.pipes.enrichment-arn>` (empty without one).
    pub enrichment_arn: &'a str,
    /// `<aws.pipes.target-arn>`.
    pub target_arn: &'a str,
    /// `<aws.pipes.event.ingestion-time>`: when this transformer received the event (ISO 8601).
    pub ingestion_time: &'a str,
}

impl Template {
    /// Reads a template; a `<$…>` path EventBridge cannot read, an unknown `<aws.pipes.…>`
    /// variable or a text over 8,192 characters is refused.
    pub fn parse(text: &str) -> Result<Template, String> {
        if text.chars().count() > MAX_TEMPLATE_CHARS {
            return Err(format!(
                "the template is over EventBridge's limit of {MAX_TEMPLATE_CHARS} characters"
            ));
        }
        let paths = std::cell::RefCell::new(Vec::new());
        let problem = std::cell::RefCell::new(None::<String>);
        transform::scan(text, |name| {
            if name.starts_with('$') {
                match JsonPath::parse(name, "InputTemplate") {
                    Ok(p) => paths.borrow_mut().push((name.to_owned(), p)),
                    Err(e) => {
                        problem.borrow_mut().get_or_insert(format!("<{name}>: {e}"));
                    }
                }
                true
            } else if name.starts_with("aws.pipes.") && !RESERVED.contains(&name) {
                problem.borrow_mut().get_or_insert(format!(
                    "<{name}> is not a reserved variable of EventBridge Pipes (it has {})",
                    RESERVED.map(|r| format!("<{r}>")).join(", ")
                ));
                false
            } else {
                RESERVED.contains(&name)
            }
        });
        let (paths, problem) = (paths.into_inner(), problem.into_inner());
        if let Some(p) = problem {
            return Err(p);
        }
        let t = Template {
            text: text.to_owned(),
            paths,
        };
        t.check_keys()?;
        Ok(t)
    }

    fn knows(&self, name: &str) -> bool {
        RESERVED.contains(&name) || self.paths.iter().any(|(n, _)| n == name)
    }

    fn check_keys(&self) -> Result<(), String> {
        match transform::placeholder_as_key(&self.text, |n| self.knows(n)) {
            Some(name) => Err(format!(
                "the placeholder <{name}> is used as an object key, which EventBridge does not allow: use it as a value"
            )),
            None => Ok(()),
        }
    }

    /// Fills the template for one event: paths read `event` (the record with its data field
    /// decoded, or what the enrichment returned), `<aws.pipes.event>` is `raw`.
    pub fn apply(&self, event: &Value, raw: &Value, r: &Reserved<'_>) -> Result<Delivered, String> {
        let json_mode = transform::is_json_template(&self.text);
        let mut out = String::with_capacity(self.text.len());
        for piece in transform::scan(&self.text, |n| self.knows(n)) {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Placeholder { name, in_quotes } => {
                    let value = self.value_of(name, event, raw, r);
                    match &value {
                        Some(v @ (Value::Object(_) | Value::Array(_)))
                            if !json_mode && !in_quotes =>
                        {
                            out.push_str(&v.to_string().replace('"', ""));
                        }
                        _ => out.push_str(&transform::render(value.as_ref(), in_quotes, json_mode)),
                    }
                }
            }
            if out.len() > MAX_TARGET_INPUT_BYTES {
                return Err(format!(
                    "the InputTemplate's result is over {MAX_TARGET_INPUT_BYTES} bytes"
                ));
            }
        }
        let parsed = source::parse_value(&out);
        match (json_mode, parsed) {
            (true, Err(e)) => Err(format!(
                "the InputTemplate starts like JSON but its result is not JSON ({e}): {out}"
            )),
            (_, parsed) => Ok(Delivered {
                json: parsed.ok(),
                text: out,
            }),
        }
    }

    fn value_of(&self, name: &str, event: &Value, raw: &Value, r: &Reserved<'_>) -> Option<Value> {
        let text = |s: &str| Some(Value::String(s.to_owned()));
        match name {
            "aws.pipes.pipe-arn" => text(r.pipe_arn),
            "aws.pipes.pipe-name" => text(r.pipe_name),
            "aws.pipes.source-arn" => text(r.source_arn),
            "aws.pipes.enrichment-arn" => text(r.enrichment_arn),
            "aws.pipes.target-arn" => text(r.target_arn),
            "aws.pipes.event.ingestion-time" => text(r.ingestion_time),
            "aws.pipes.event" => Some(raw.clone()),
            // Only when the payload is JSON: a data field that stayed text has no JSON form.
            "aws.pipes.event.json" => Some(event.clone()),
            _ => self
                .paths
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, p)| p.select(event)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn give(template: &str, event: Value, expected: &str) {
        let t = Template::parse(template).unwrap_or_else(|e| panic!("{e}"));
        let out = t
            .apply(&event, &event, &Reserved::default())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out.text, expected, "{template}");
    }

    /// The user guide's samples over an SQS record.
    #[test]
    fn guide_samples() {
        let record = json!({"attributes": {"SenderId": "AIDA"}, "body": {"key": "value", "Records": [0, 1, 2, "three"]}});
        give("Hello, sender", record.clone(), "Hello, sender");
        give("<$.attributes.SenderId>", record.clone(), "AIDA");
        give(
            "Hello, <$.attributes.SenderId>",
            record.clone(),
            "Hello, AIDA",
        );
        give(
            r#"{"key1": "value1", "key2": <$.body.key>}"#,
            record.clone(),
            r#"{"key1": "value1", "key2": "value"}"#,
        );
        give(
            r#"{"key2": <$.body.Records[3]>}"#,
            record.clone(),
            r#"{"key2": "three"}"#,
        );
        // "`{"key": "value"}` will become `{key: value}`" (implicit body data parsing).
        give("<$.body>", json!({"body": {"key": "value"}}), "{key:value}");
        give(
            r#"{"data": <$.body>}"#,
            json!({"body": {"key": "value"}}),
            r#"{"data": {"key":"value"}}"#,
        );
    }

    #[test]
    fn placeholders_as_keys_are_refused() {
        let err = Template::parse(r#"{<$.body.k>: 1}"#).unwrap_err();
        assert!(err.contains("object key"), "{err}");
    }
}
