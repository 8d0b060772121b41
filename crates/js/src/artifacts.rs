//! What people bring from AWS, for the JS API: a `get-execution-history` text to replay, a SAM or
//! CloudFormation template into a workspace and a workspace out as one, and many sample events
//! against every rule. The engine's `artifacts` module reads them; this only shapes its answers.

use crate::error::{ApiError, ErrorKind};
use crate::input::Input;
use serde_json::{Value, json};
use statebridge_engine::artifacts::{ArtifactError, history, matrix as grid, template};
use statebridge_engine::workspace::Workspace;

/// The engine's "line, column (path): what" as the API's error, place included.
fn artifact(kind: ErrorKind, argument: &str, e: &ArtifactError) -> ApiError {
    let mut err = ApiError::new(kind, argument, format!("{argument}: {e}"));
    if !e.path.is_empty() {
        err.path = Some(e.path.clone());
    }
    err.line = Some(e.line);
    err.column = Some(e.column);
    err
}

/// An argument as text: a JS string as given, any other JSON value written out (the engine's
/// readers take text, so every place they report is a place in that text).
fn text(input: Input) -> String {
    match input {
        Input::Text(t) => t,
        Input::Value(v) => serde_json::to_string_pretty(&v).unwrap_or_default(),
    }
}

/// A history pasted from `aws stepfunctions get-execution-history` (pages in any order, with
/// `describe-execution` / `describe-state-machine` beside them): `{status, input, output, error,
/// cause, events, millis, pages, definition, execution, warnings}`, events in `id` order.
pub fn replay(history_text: Input) -> Result<Value, ApiError> {
    let h = history::import(&text(history_text))
        .map_err(|e| artifact(ErrorKind::History, "history", &e))?;
    let last = h.events.last();
    let detail = |key: &str, field: &str| {
        last.and_then(|e| e.get(key)?.get(field)?.as_str().map(str::to_owned))
    };
    let output = detail("executionSucceededEventDetails", "output");
    let (error, cause) = [
        "executionFailedEventDetails",
        "executionTimedOutEventDetails",
        "executionAbortedEventDetails",
    ]
    .iter()
    .find(|k| last.is_some_and(|e| e.get(**k).is_some()))
    .map_or((None, None), |k| (detail(k, "error"), detail(k, "cause")));
    Ok(json!({
        "status": h.status(), "input": h.input(), "output": output, "error": error, "cause": cause,
        "events": h.events, "millis": h.millis, "pages": h.pages, "definition": h.definition,
        "execution": h.execution, "warnings": h.warnings,
    }))
}

/// A workspace argument (the example files' shape).
fn workspace(input: Input, argument: &str) -> Result<Workspace, ApiError> {
    let (value, _) = input.parse(argument)?;
    Workspace::from_value(&value)
        .map_err(|e| ApiError::new(ErrorKind::Workspace, argument, format!("{argument}: {e}")))
}

/// A SAM/CloudFormation template (JSON or YAML) as a workspace: `{workspace, rules, machines,
/// buses, notes}`. `base` (optional) lends its event and mocks to the workspace.
pub fn import_template(template_text: Input, base: Option<Input>) -> Result<Value, ApiError> {
    let base = base.map(|b| workspace(b, "workspace")).transpose()?;
    let t = template::import(&text(template_text))
        .map_err(|e| artifact(ErrorKind::Template, "template", &e))?;
    let ws = t
        .to_workspace(base.as_ref())
        .map_err(|e| artifact(ErrorKind::Template, "template", &e))?;
    Ok(json!({
        "workspace": ws, "rules": t.rules, "machines": t.machines, "buses": t.buses, "notes": t.notes,
    }))
}

/// A workspace as a CloudFormation template: `{format, text, template}`; `format` is `"json"`
/// (the default) or `"yaml"`.
pub fn export_template(ws: Input, format: Option<&str>) -> Result<Value, ApiError> {
    let yaml = match format {
        None | Some("json") => false,
        Some("yaml") => true,
        Some(other) => {
            let msg = format!("format {other:?} is not a template format (\"json\" or \"yaml\")");
            return Err(ApiError::new(ErrorKind::Argument, "format", msg));
        }
    };
    let t = template::export(&workspace(ws, "workspace")?);
    let text = if yaml {
        template::to_yaml(&t)
    } else {
        serde_json::to_string_pretty(&t).unwrap_or_default()
    };
    Ok(json!({"format": if yaml { "yaml" } else { "json" }, "text": text, "template": t}))
}

/// Every rule against every event: `{rules, events, cells, unmatched}`, `cells[rule][event]`
/// with `matched` and the `reasons` of a miss; `unmatched` lists the events no rule matches.
/// Events: JSON documents one after another (JSON Lines), a list, or PutEvents input. Rules: a
/// rules document, a list of rules, or a whole workspace.
pub fn matrix(events_text: Input, rules: Input) -> Result<Value, ApiError> {
    let rules = rules.value("rules")?;
    let rules = match rules.get("rules") {
        Some(r) if rules.get("machines").is_some() => r.clone(),
        _ => rules,
    };
    if !rules.is_array() && !rules.get("Rules").is_some_and(Value::is_array) {
        let msg = "rules: expected {\"Rules\": [...]}, a list of rules, or a workspace";
        return Err(ApiError::new(ErrorKind::Bus, "rules", msg));
    }
    let m = grid::matrix(&rules, &text(events_text))
        .map_err(|e| artifact(ErrorKind::Event, "events", &e))?;
    let unmatched: Vec<usize> = (0..m.events.len())
        .filter(|&e| !m.cells.iter().any(|row| row[e].matched))
        .collect();
    let mut out = serde_json::to_value(&m).unwrap_or_else(|_| json!({}));
    out["unmatched"] = json!(unmatched);
    Ok(out)
}
