//! TestState's `mock.fieldValidationMode`: a mocked result checked against the response shape
//! of the API the Task calls, with the messages AWS gives (`Mock result schema validation
//! error: Field 'X' must be a string`).
//!
//! The shapes come from botocore's service models, cut down by
//! `scripts/response-shapes/generate.py` to what the check reads (types, required members,
//! min/max, enums) for the optimised integrations and a set of aws-sdk services; the file
//! format is described there. Nothing here runs unless a TestState request mocks a Task's
//! result: the text is indexed on first use and each service's line is parsed the first time a
//! check needs it. With the cargo feature `response-shapes` the file is built in; without it
//! (the playground, which fetches it beside the page when a check first needs it) a front end
//! hands the text over with [`provide`].
//!
//! What the recordings pin down and what is inferred: STRICT (AWS's default) reports a missing
//! required member and PRESENT does not; neither refuses a member the shape does not have
//! (`{"random": "json"}` passes both); a field is named by its member name alone, and list items
//! and map values by their list's or map's; integers take any JSON number ("must be a number",
//! as for floats); a timestamp must be a string. Not recorded, and decided here: members are
//! checked in the shape's order, a `null` member counts as absent, the length of a string or
//! blob is counted in UTF-16 units (as Java counts it), and a list's item count uses the same
//! "minimum length"/"maximum length" words as a string.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use super::FieldValidationMode;
use crate::asl::resource::ResourceKind;

/// What came of checking a mocked result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// The result fits the response shape (or the mode is NONE, or the API has no shape: a
    /// Lambda function's or activity's answer, a `.waitForTaskToken` callback's output).
    Valid,
    /// It does not: AWS's message (TestState refuses the request with it).
    Invalid(String),
    /// statebridge could not check it: why, in words (reported with the response).
    NotValidated(String),
}

#[cfg(feature = "response-shapes")]
const BUILT_IN: Option<&str> = Some(include_str!("../../../data/response_shapes.txt"));
#[cfg(not(feature = "response-shapes"))]
const BUILT_IN: Option<&str> = None;

/// The shape file's text, once known: built in, or given by [`provide`].
static PROVIDED: OnceLock<Library> = OnceLock::new();

/// Gives the engine the shape file (`response_shapes.txt`) when it is not built in. Only the
/// first call counts.
pub fn provide(text: String) {
    let _ = PROVIDED.set(Library::new(Arc::from(text)));
}

/// Whether a check can run now (the file is built in or was provided).
pub fn available() -> bool {
    library().is_some()
}

fn library() -> Option<&'static Library> {
    if let Some(l) = PROVIDED.get() {
        return Some(l);
    }
    let text = BUILT_IN?;
    Some(PROVIDED.get_or_init(|| Library::new(Arc::from(text))))
}

/// The file, indexed by service; each service parsed on first use.
struct Library {
    text: Arc<str>,
    /// The file's `#botocore <version>` line.
    version: String,
    /// service → byte range of its JSON in `text`.
    lines: HashMap<String, (usize, usize)>,
    /// `service:action` of an optimised integration → (service, op key).
    integrations: HashMap<String, (String, String)>,
    parsed: Mutex<HashMap<String, Arc<Service>>>,
}

/// One service's shapes: its operations' output shape names and the shapes by name.
struct Service {
    ops: Map<String, Value>,
    shapes: Map<String, Value>,
}

impl Library {
    fn new(text: Arc<str>) -> Library {
        let mut lines = HashMap::new();
        let mut integrations = HashMap::new();
        let mut version = String::new();
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let start = at;
            at += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            if let Some(v) = body.strip_prefix("#botocore ") {
                version = v.to_owned();
                continue;
            }
            let Some((name, json)) = body.split_once('\t') else {
                continue;
            };
            if name == "@integrations" {
                if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(json) {
                    for (k, v) in map {
                        if let Some((s, op)) = v.as_str().and_then(|v| v.split_once(' ')) {
                            integrations.insert(k, (s.to_owned(), op.to_owned()));
                        }
                    }
                }
                continue;
            }
            let json_start = start + name.len() + 1;
            lines.insert(name.to_owned(), (json_start, json_start + json.len()));
        }
        Library {
            text,
            version,
            lines,
            integrations,
            parsed: Mutex::new(HashMap::new()),
        }
    }

    fn service(&self, name: &str) -> Option<Arc<Service>> {
        let mut parsed = self.parsed.lock().ok()?;
        if let Some(s) = parsed.get(name) {
            return Some(s.clone());
        }
        let (a, b) = *self.lines.get(name)?;
        let value: Value = serde_json::from_str(self.text.get(a..b)?).ok()?;
        let take = |k: &str| match value.get(k) {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let service = Arc::new(Service {
            ops: take("o"),
            shapes: take("s"),
        });
        parsed.insert(name.to_owned(), service.clone());
        Some(service)
    }
}

/// The Task's API, as (service, op key) in the shape file, or why there is nothing to check
/// (`Ok(None)`: no shape exists; `Err`: statebridge does not have it).
fn api_of(kind: &ResourceKind, library: &Library) -> Result<Option<(String, String)>, String> {
    let ResourceKind::Service {
        resource_type,
        resource,
        ..
    } = kind
    else {
        // A Lambda function's or an activity's answer is whatever it returns.
        return Ok(None);
    };
    if resource.ends_with(".waitForTaskToken") {
        // The result is the output SendTaskSuccess carries: any JSON.
        return Ok(None);
    }
    let action = resource.split('.').next().unwrap_or(resource);
    if resource.contains(".sync") {
        return Err(format!(
            "statebridge has no response shape for the `.sync` answer of {resource_type}:{action}"
        ));
    }
    if let Some(service) = resource_type.strip_prefix("aws-sdk:") {
        if !library.lines.contains_key(service) {
            return Err(format!(
                "statebridge carries the response shapes of a few aws-sdk services only, and `{service}` is not one of them"
            ));
        }
        return Ok(Some((service.to_owned(), action.to_owned())));
    }
    library
        .integrations
        .get(&format!("{resource_type}:{action}"))
        .cloned()
        .map(Some)
        .ok_or_else(|| {
            format!(
                "statebridge has no response shape for the integration {resource_type}:{action}"
            )
        })
}

/// Checks a mocked `result` of a Task calling `kind` as TestState does in `mode`.
pub(crate) fn check(kind: &ResourceKind, result: &Value, mode: FieldValidationMode) -> Checked {
    if mode == FieldValidationMode::None {
        return Checked::Valid;
    }
    let Some(library) = library() else {
        return Checked::NotValidated(
            "the response shapes are not loaded in this build, so the mocked result was not checked against the API's response (fieldValidationMode)".into(),
        );
    };
    let not_checked = |why: String| {
        Checked::NotValidated(format!(
            "{why}, so the mocked result was not checked against the API's response (fieldValidationMode); AWS checks it"
        ))
    };
    let (service_name, op) = match api_of(kind, library) {
        Ok(None) => return Checked::Valid,
        Ok(Some(api)) => api,
        Err(why) => return not_checked(why),
    };
    let Some(service) = library.service(&service_name) else {
        return not_checked(format!("the shapes of `{service_name}` could not be read"));
    };
    let Some(output) = service.ops.get(&op).and_then(Value::as_str) else {
        return not_checked(format!(
            "`{op}` is not an operation of `{service_name}` in botocore {}",
            library.version
        ));
    };
    let checker = Checker {
        service: &service,
        strict: mode == FieldValidationMode::Strict,
        depth: 0,
    };
    if !result.is_object() {
        return Checked::Invalid(format!(
            "Mock result schema validation error: the mocked result must be a JSON object (the {op} response)"
        ));
    }
    match checker.value(output, result, "") {
        Ok(()) => Checked::Valid,
        Err(m) => Checked::Invalid(format!("Mock result schema validation error: {m}")),
    }
}

struct Checker<'a> {
    service: &'a Service,
    strict: bool,
    depth: usize,
}

/// Nesting deeper than this is not followed (the models' recursive shapes; a mock is finite).
const MAX_DEPTH: usize = 64;

impl Checker<'_> {
    fn deeper(&self) -> Checker<'_> {
        Checker {
            service: self.service,
            strict: self.strict,
            depth: self.depth + 1,
        }
    }

    /// Checks `v` against the shape `shape` (a name or `@type`); `field` names it in messages.
    fn value(&self, shape: &str, v: &Value, field: &str) -> Result<(), String> {
        if self.depth > MAX_DEPTH {
            return Ok(());
        }
        let spec: &[Value] = match shape.strip_prefix('@') {
            Some(_) => &[],
            None => match self.service.shapes.get(shape).and_then(Value::as_array) {
                Some(s) => s,
                None => return Ok(()),
            },
        };
        let kind = shape
            .strip_prefix('@')
            .or_else(|| spec.first().and_then(Value::as_str))
            .unwrap_or("any");
        let num = |i: usize| spec.get(i).and_then(Value::as_f64);
        let must = |what: &str| Err(format!("Field '{field}' must be {what}"));
        match kind {
            "s" => {
                let Value::Object(obj) = v else {
                    return must("an object");
                };
                let members = spec.get(1).and_then(Value::as_object);
                let required: Vec<&str> = spec
                    .get(2)
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                for (name, member) in members.into_iter().flatten() {
                    match obj.get(name) {
                        None | Some(Value::Null) => {
                            if self.strict && required.contains(&name.as_str()) {
                                return Err(format!("Required field '{name}' is missing"));
                            }
                        }
                        Some(x) => {
                            self.deeper()
                                .value(member.as_str().unwrap_or("@any"), x, name)?
                        }
                    }
                }
                Ok(())
            }
            "l" => {
                let Value::Array(items) = v else {
                    return must("an array");
                };
                length(items.len(), num(2), num(3), field)?;
                let item = spec.get(1).and_then(Value::as_str).unwrap_or("@any");
                items
                    .iter()
                    .filter(|x| !x.is_null())
                    .try_for_each(|x| self.deeper().value(item, x, field))
            }
            "m" => {
                let Value::Object(obj) = v else {
                    return must("an object");
                };
                let value = spec.get(2).and_then(Value::as_str).unwrap_or("@any");
                obj.values()
                    .filter(|x| !x.is_null())
                    .try_for_each(|x| self.deeper().value(value, x, field))
            }
            "string" | "blob" => {
                let Value::String(s) = v else {
                    return must("a string");
                };
                if let Some(Value::Array(allowed)) = spec.get(3)
                    && !allowed.iter().any(|a| a.as_str() == Some(s))
                {
                    return Err(format!("Field '{field}' is not an expected value"));
                }
                length(s.encode_utf16().count(), num(1), num(2), field)
            }
            "timestamp" => match v {
                Value::String(_) => Ok(()),
                _ => must("a string"),
            },
            "boolean" => match v {
                Value::Bool(_) => Ok(()),
                _ => must("a boolean"),
            },
            "integer" | "long" | "float" | "double" => {
                let Some(n) = v.as_f64() else {
                    return must("a number");
                };
                if num(1).is_some_and(|min| n < min) {
                    return Err(format!("Field '{field}' is less than the minimum value"));
                }
                if num(2).is_some_and(|max| n > max) {
                    return Err(format!("Field '{field}' exceeds the maximum value"));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

fn length(n: usize, min: Option<f64>, max: Option<f64>, field: &str) -> Result<(), String> {
    let n = n as f64;
    if min.is_some_and(|m| n < m) {
        return Err(format!(
            "Field '{field}' is smaller than the minimum length"
        ));
    }
    if max.is_some_and(|m| n > m) {
        return Err(format!("Field '{field}' exceeds the maximum length"));
    }
    Ok(())
}

#[cfg(all(test, feature = "response-shapes"))]
mod tests {
    use super::*;
    use crate::asl::resource::classify;
    use serde_json::json;

    fn run(resource: &str, result: Value, mode: FieldValidationMode) -> Checked {
        check(&classify(resource), &result, mode)
    }

    #[test]
    fn messages_as_aws_gives_them() {
        use FieldValidationMode::{Present, Strict};
        let sfn = "arn:aws:states:::states:startExecution";
        assert_eq!(
            run(sfn, json!({}), Strict),
            Checked::Invalid(
                "Mock result schema validation error: Required field 'ExecutionArn' is missing"
                    .into()
            )
        );
        assert_eq!(run(sfn, json!({}), Present), Checked::Valid);
        let s3 = "arn:aws:states:::aws-sdk:s3:getObject";
        assert_eq!(
            run(s3, json!({"StorageClass": "Papyrus"}), Present),
            Checked::Invalid(
                "Mock result schema validation error: Field 'StorageClass' is not an expected value"
                    .into()
            )
        );
        assert_eq!(
            run(s3, json!({"StorageClass": "GLACIER", "random": 1}), Strict),
            Checked::Valid
        );
        let events = "arn:aws:states:::events:putEvents";
        assert_eq!(
            run(
                events,
                json!({"Entries": [{"EventId": "a"}, {"EventId": 1}]}),
                Strict
            ),
            Checked::Invalid(
                "Mock result schema validation error: Field 'EventId' must be a string".into()
            )
        );
        // Lambda's optimised integration answers with JSON in Payload; the SDK's is a blob.
        let lambda = "arn:aws:states:::lambda:invoke";
        assert_eq!(
            run(
                lambda,
                json!({"StatusCode": 200, "Payload": {"a": 1}}),
                Strict
            ),
            Checked::Valid
        );
    }

    #[test]
    fn what_has_no_shape_is_said() {
        let mode = FieldValidationMode::Strict;
        assert_eq!(
            run(
                "arn:aws:lambda:us-east-1:111111111111:function:f",
                json!(1),
                mode
            ),
            Checked::Valid
        );
        assert_eq!(
            run(
                "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                json!([1]),
                mode
            ),
            Checked::Valid
        );
        let Checked::NotValidated(why) = run(
            "arn:aws:states:::aws-sdk:ec2:describeInstances",
            json!({}),
            mode,
        ) else {
            panic!("ec2 is not carried");
        };
        assert!(why.contains("`ec2`"), "{why}");
        assert!(matches!(
            run(
                "arn:aws:states:::states:startExecution.sync:2",
                json!({}),
                mode
            ),
            Checked::NotValidated(_)
        ));
        assert_eq!(
            run(
                "arn:aws:states:::aws-sdk:s3:getObject",
                json!({"ContentLength": "9"}),
                FieldValidationMode::None
            ),
            Checked::Valid
        );
    }
}
