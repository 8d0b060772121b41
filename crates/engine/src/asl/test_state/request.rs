//! Reading a TestState request in AWS's shape. The API takes `definition`, `input`, `variables`,
//! `context` and `mock.result` as JSON text; here each may also be given as the JSON value itself
//! (a string is always read as JSON text, as AWS reads it: the input `"a"` is written `"\"a\""`).

use super::{TestStateError, TestStateRequest};
use crate::asl::errors::Failure;
use serde_json::{Map, Value, json};

/// The members a request may have (anything else is a typo the user should hear about).
const REQUEST_FIELDS: [&str; 10] = [
    "definition",
    "input",
    "stateName",
    "inspectionLevel",
    "mock",
    "context",
    "variables",
    "stateConfiguration",
    "roleArn",
    "revealSecrets",
];
/// `result_text` is the corpus's way to keep a mocked result that is not JSON.
const MOCK_FIELDS: [&str; 4] = [
    "result",
    "errorOutput",
    "fieldValidationMode",
    "result_text",
];
const CONFIGURATION_FIELDS: [&str; 4] = [
    "retrierRetryCount",
    "errorCausedByState",
    "mapIterationFailureCount",
    "mapItemReaderData",
];

/// How TestState checks a mocked result against the service's response shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldValidationMode {
    /// Every field of the result must be one of the response's, of its type (AWS's default).
    #[default]
    Strict,
    /// The fields present must be of the response's types.
    Present,
    /// No check.
    None,
}

fn field(pointer: &str, message: impl Into<String>) -> TestStateError {
    TestStateError::Field {
        pointer: pointer.to_owned(),
        message: message.into(),
    }
}

/// Refuses members not in `known`.
fn only(obj: &Map<String, Value>, known: &[&str], at: &str) -> Result<(), TestStateError> {
    match obj.keys().find(|k| !known.contains(&k.as_str())) {
        Some(k) => Err(field(
            &format!("{at}/{}", crate::source::escape_segment(k)),
            format!(
                "unknown member `{k}` (expected one of {})",
                known.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// A member AWS takes as JSON text: the text is parsed (and kept, to place later errors in it),
/// any other value is taken as it is.
fn json_member(
    obj: &Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<Option<(Value, Option<String>)>, TestStateError> {
    match obj.get(key) {
        None => Ok(None),
        Some(Value::String(text)) => match crate::source::parse_value(text) {
            Ok(v) => Ok(Some((v, Some(text.clone())))),
            Err(e) => Err(field(
                &format!("{at}/{key}"),
                format!(
                    "`{key}` is JSON text (or a JSON value), and this text is not JSON: line {}, column {}: {}",
                    e.line, e.column, e.message
                ),
            )),
        },
        Some(v) => Ok(Some((v.clone(), None))),
    }
}

fn object<'a>(
    v: &'a Value,
    at: &str,
    what: &str,
) -> Result<&'a Map<String, Value>, TestStateError> {
    v.as_object()
        .ok_or_else(|| field(at, format!("{what} must be a JSON object")))
}

fn string(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<String>, TestStateError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(field(
            &format!("{at}/{key}"),
            format!("`{key}` must be a string"),
        )),
    }
}

fn count(obj: &Map<String, Value>, key: &str, at: &str) -> Result<Option<u64>, TestStateError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            field(
                &format!("{at}/{key}"),
                format!("`{key}` must be a whole number, 0 or more"),
            )
        }),
    }
}

impl TestStateRequest {
    /// Reads AWS's request shape: `definition`, `input`, `stateName`, `inspectionLevel`,
    /// `mock` (`result` or `errorOutput`, `fieldValidationMode`), `context`, `variables`,
    /// `stateConfiguration`, `roleArn`, `revealSecrets`. Members AWS takes as JSON text may be
    /// text or values. A malformed member is [`TestStateError::Field`] (with its JSON pointer);
    /// a request AWS itself refuses is [`TestStateError::Request`] with AWS's message.
    pub fn from_value(v: &Value) -> Result<TestStateRequest, TestStateError> {
        let obj = object(v, "", "the request")?;
        only(obj, &REQUEST_FIELDS, "")?;
        let (definition, definition_text) =
            json_member(obj, "definition", "")?.ok_or_else(|| {
                field(
                    "",
                    "`definition` is required (a state, or a whole machine with `stateName`)",
                )
            })?;
        let mut request = TestStateRequest {
            definition,
            definition_text,
            input: json_member(obj, "input", "")?.map_or_else(|| json!({}), |(v, _)| v),
            state_name: string(obj, "stateName", "")?,
            role_arn: string(obj, "roleArn", "")?,
            ..TestStateRequest::default()
        };
        request.inspection_level = match string(obj, "inspectionLevel", "")?.as_deref() {
            None => "INFO".to_owned(),
            Some(l @ ("INFO" | "DEBUG" | "TRACE")) => l.to_owned(),
            Some(other) => {
                return Err(field(
                    "/inspectionLevel",
                    format!("`inspectionLevel` is INFO, DEBUG or TRACE, not `{other}`"),
                ));
            }
        };
        request.reveal_secrets = match obj.get("revealSecrets") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                return Err(field(
                    "/revealSecrets",
                    "`revealSecrets` must be true or false",
                ));
            }
        };
        if let Some((c, _)) = json_member(obj, "context", "")? {
            object(&c, "/context", "`context` (the context object)")?;
            request.context = Some(c);
        }
        if let Some((vars, _)) = json_member(obj, "variables", "")? {
            request.variables = object(&vars, "/variables", "`variables`")?.clone();
        }
        if let Some(mock) = obj.get("mock") {
            read_mock(&mut request, object(mock, "/mock", "`mock`")?)?;
        }
        if let Some(config) = obj.get("stateConfiguration") {
            read_configuration(
                &mut request,
                object(config, "/stateConfiguration", "`stateConfiguration`")?,
            )?;
        }
        Ok(request)
    }
}

fn read_mock(
    request: &mut TestStateRequest,
    mock: &Map<String, Value>,
) -> Result<(), TestStateError> {
    only(mock, &MOCK_FIELDS, "/mock")?;
    let has = |k: &str| mock.contains_key(k);
    if (has("result") || has("result_text")) && has("errorOutput") {
        return Err(TestStateError::Request(
            "A test mock should have only one of the following fields: [result, errorOutput]."
                .into(),
        ));
    }
    let invalid = || TestStateError::Request("Mocked result must be valid JSON".into());
    request.mock_result = match (mock.get("result"), mock.get("result_text")) {
        (Some(Value::String(text)), _) | (None, Some(Value::String(text))) => {
            Some(serde_json::from_str::<Value>(text).map_err(|_| invalid())?)
        }
        (None, Some(_)) => return Err(invalid()),
        (Some(v), _) => Some(v.clone()),
        (None, None) => None,
    };
    if let Some(e) = mock.get("errorOutput") {
        let e = object(
            e,
            "/mock/errorOutput",
            "`mock.errorOutput` ({\"error\", \"cause\"})",
        )?;
        only(e, &["error", "cause"], "/mock/errorOutput")?;
        request.mock_error = Some(Failure::optional(
            string(e, "error", "/mock/errorOutput")?,
            string(e, "cause", "/mock/errorOutput")?,
        ));
    }
    request.field_validation_mode = match string(mock, "fieldValidationMode", "/mock")?.as_deref() {
        None | Some("STRICT") => FieldValidationMode::Strict,
        Some("PRESENT") => FieldValidationMode::Present,
        Some("NONE") => FieldValidationMode::None,
        Some(other) => {
            return Err(field(
                "/mock/fieldValidationMode",
                format!("`fieldValidationMode` is STRICT, PRESENT or NONE, not `{other}`"),
            ));
        }
    };
    Ok(())
}

fn read_configuration(
    request: &mut TestStateRequest,
    config: &Map<String, Value>,
) -> Result<(), TestStateError> {
    const AT: &str = "/stateConfiguration";
    only(config, &CONFIGURATION_FIELDS, AT)?;
    request.retrier_retry_count = count(config, "retrierRetryCount", AT)?.unwrap_or(0);
    request.map_iteration_failure_count = count(config, "mapIterationFailureCount", AT)?;
    request.error_caused_by_state = string(config, "errorCausedByState", AT)?;
    request.map_item_reader_data = match json_member(config, "mapItemReaderData", AT)? {
        None => None,
        Some((Value::Array(items), _)) => Some(items),
        Some(_) => {
            return Err(field(
                "/stateConfiguration/mapItemReaderData",
                "`mapItemReaderData` must be a JSON array (as text or as a value)",
            ));
        }
    };
    Ok(())
}
