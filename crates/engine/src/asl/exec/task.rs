//! Task states: the resource's kind decides the history events (Lambda, activity, service
//! integration with `.sync` / `.waitForTaskToken`); the result comes from the mocks.

use super::super::definition::{NumberField, QueryLanguage, TaskSpec};
use super::super::errors::{Failure, StepError};
use super::super::history::{Field, Fields, not_truncated, shared};
use super::super::mocks::MockResponse;
use super::super::resource::ResourceKind;
use super::finish::Cx;
use super::interp::{Interp, Stop, Thread, joined};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

impl Interp<'_> {
    /// Seconds of a `TimeoutSeconds` / `HeartbeatSeconds` field.
    fn seconds_field(
        &mut self,
        cx: &Cx<'_>,
        th: &mut Thread,
        field: &Option<NumberField>,
        name: &str,
    ) -> Result<Option<f64>, Stop> {
        let v = match field {
            None => return Ok(None),
            Some(NumberField::Value(v)) if cx.state.query_language == QueryLanguage::Jsonata => {
                let js = &cx.state.jsonata;
                let c = if name == "HeartbeatSeconds" {
                    &js.heartbeat
                } else {
                    &js.timeout
                };
                let t = super::super::jsonata_bridge::compiled(c.as_ref(), v);
                self.jsonata_field(cx, th, &t, name, &[])?
            }
            Some(NumberField::Value(v)) => v.clone(),
            Some(NumberField::Path(p)) => self.jsonpath_path(cx, th, p, &cx.input.clone())?,
        };
        match v.as_f64() {
            Some(s) if s > 0.0 => Ok(Some(s)),
            _ => Err(Stop::Fail(
                StepError::runtime(format!("The {name} value must be a positive integer: {v}"))
                    .in_state(&cx.state.name, cx.entered),
            )),
        }
    }

    /// One attempt of a Task state: effective input, the call, the raw result.
    pub(crate) fn task(
        &mut self,
        cx: &mut Cx<'_>,
        spec: &TaskSpec,
        th: &mut Thread,
    ) -> Result<Value, Stop> {
        let timeout = self.seconds_field(cx, th, &spec.timeout, "TimeoutSeconds")?;
        let heartbeat = self.seconds_field(cx, th, &spec.heartbeat, "HeartbeatSeconds")?;
        let cx: &Cx<'_> = cx;
        let effective = self.effective_input_ref(cx, th)?;
        if let Some(problem) = service_parameter_problem(&spec.resource, &effective) {
            return Err(Stop::Fail(
                StepError::runtime(problem).in_state(&cx.state.name, cx.entered),
            ));
        }
        let kind = &spec.kind;
        // Without InputPath and Parameters the effective input is the state input: its text is
        // the Entered event's.
        let effective_text = match &effective {
            Cow::Borrowed(_) => cx.input_text.clone(),
            Cow::Owned(v) => self.payload(v)?,
        };
        let mut scheduled = match kind {
            ResourceKind::Lambda | ResourceKind::Activity => Fields::from([
                ("resource", Field::Str(shared(&spec.resource))),
                ("input", Field::Payload(effective_text)),
            ]),
            ResourceKind::Service {
                resource_type,
                resource,
                ..
            } => Fields::from([
                ("resourceType", Field::Str(shared(resource_type))),
                ("resource", Field::Str(shared(resource))),
                ("region", Field::Str(shared(&self.opts.region))),
                ("parameters", Field::Str(effective_text)),
            ]),
        };
        if let Some(t) = timeout {
            scheduled.push("timeoutInSeconds", Field::Num(t as u64));
        }
        if let Some(h) = heartbeat {
            scheduled.push("heartbeatInSeconds", Field::Num(h as u64));
        }
        let prefix = event_prefix(kind);
        self.emit_fields(th, joined(prefix, "Scheduled"), scheduled)?;
        match kind {
            ResourceKind::Lambda => self.emit(th, joined(prefix, "Started"), None)?,
            ResourceKind::Activity => {
                let worker = json!({"workerName": "statebridge"});
                self.emit(th, joined(prefix, "Started"), Some(worker))?
            }
            ResourceKind::Service { .. } => {
                self.emit_fields(th, joined(prefix, "Started"), base_fields(kind))?
            }
        };
        let invocation = {
            // Look up before inserting: no copy of the name once it is known.
            match self.invocations.get_mut(&cx.state.name) {
                Some(n) => {
                    *n += 1;
                    *n - 1
                }
                None => {
                    self.invocations.insert(cx.state.name.clone(), 1);
                    0
                }
            }
        };
        let (response, mock_text) = match &self.test {
            Some(hooks) => (hooks.mock_response(), None),
            None => match self
                .opts
                .mocks
                .response_with_text(&cx.state.name, invocation)
            {
                Some((r, text)) => (Some(r.clone()), text.cloned()),
                None => (None, None),
            },
        };
        let limit = match (timeout, heartbeat) {
            (Some(t), Some(h)) => Some(t.min(h)),
            (t, h) => t.or(h),
        };
        let outcome = match response {
            None => Ok((effective.into_owned(), None, true)),
            Some(MockResponse::Return { value, duration }) => match (duration, limit) {
                (Some(d), Some(l)) if d > l => Err((Failure::new("States.Timeout", ""), Some(l))),
                _ => Ok((value, duration, false)),
            },
            Some(MockResponse::Throw {
                error,
                cause,
                duration,
            }) => match (duration, limit) {
                (Some(d), Some(l)) if d > l => Err((Failure::new("States.Timeout", ""), Some(l))),
                // A timeout reported without a cause has an empty one on AWS.
                _ if error.as_deref() == Some("States.Timeout") => {
                    let cause = cause.or_else(|| Some(String::new()));
                    Err((Failure { error, cause }, duration))
                }
                _ => Err((Failure { error, cause }, duration)),
            },
        };
        match outcome {
            Ok((result, duration, unmocked)) => {
                self.advance(duration)?;
                // A mocked value's text was made when the mocks were read.
                let output = match mock_text.filter(|_| !unmocked) {
                    Some(text) => self.texts.adopt(text),
                    None => self.payload(&result)?,
                };
                self.check_memory()?;
                if let ResourceKind::Service { waits: true, .. } = kind {
                    let mut fields = base_fields(kind);
                    fields.push("output", Field::Payload(output.clone()));
                    self.emit_fields(th, joined(prefix, "Submitted"), fields)?;
                }
                let mut fields = base_fields(kind);
                self.result_text = Some(output.clone());
                fields.push("output", Field::Payload(output));
                let id = self.emit_fields(th, joined(prefix, "Succeeded"), fields)?;
                if unmocked && let Some(e) = self.history.get_mut(id as usize - 1) {
                    e.unmocked = true;
                }
                Ok(result)
            }
            Err((failure, duration)) => {
                self.advance(duration)?;
                let base = base_details(kind);
                if let ResourceKind::Service { waits: true, .. } = kind {
                    self.emit(
                        th,
                        joined(prefix, "Submitted"),
                        Some(with(
                            &base,
                            &[("output", json!("{}")), ("outputDetails", not_truncated())],
                        )),
                    )?;
                }
                let ty = if failure.name() == "States.Timeout" {
                    "TimedOut"
                } else {
                    "Failed"
                };
                let mut pairs = Vec::new();
                if let Some(e) = &failure.error {
                    pairs.push(("error", json!(e)));
                }
                if let Some(c) = &failure.cause {
                    pairs.push(("cause", json!(c)));
                }
                self.emit(th, joined(prefix, ty), Some(with(&base, &pairs)))?;
                Err(Stop::Fail(failure))
            }
        }
    }

    fn advance(&mut self, seconds: Option<f64>) -> Result<(), Stop> {
        match seconds {
            Some(s) => self.advance_by((s.max(0.0) * 1000.0) as i64),
            None => Ok(()),
        }
    }
}

/// Checks Step Functions makes on a service integration's parameters before calling it
/// (recorded on AWS: API Gateway's `Headers` values must be lists of strings).
fn service_parameter_problem(resource: &str, parameters: &Value) -> Option<String> {
    if !resource.starts_with("arn:aws:states:::apigateway:invoke") {
        return None;
    }
    let headers = parameters.get("Headers")?.as_object()?;
    let (name, _) = headers.iter().find(|(_, v)| {
        !v.as_array()
            .is_some_and(|items| items.iter().all(Value::is_string))
    })?;
    Some(format!(
        "The value of the header '{name}' in the field 'Headers' must be a list of strings."
    ))
}

/// The event name prefix: `LambdaFunction…`, `Activity…`, `Task…`.
fn event_prefix(kind: &ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Lambda => "LambdaFunction",
        ResourceKind::Activity => "Activity",
        ResourceKind::Service { .. } => "Task",
    }
}

/// The details every task event of this kind carries, as a value.
fn base_details(kind: &ResourceKind) -> Value {
    match kind {
        ResourceKind::Service {
            resource_type,
            resource,
            ..
        } => json!({"resourceType": resource_type, "resource": resource}),
        _ => json!({}),
    }
}

/// The fields every task event of this kind starts with (`resourceType`, `resource` for a
/// service integration; none for Lambda and activities).
fn base_fields(kind: &ResourceKind) -> Fields {
    match kind {
        ResourceKind::Service {
            resource_type,
            resource,
            ..
        } => Fields::from([
            ("resourceType", Field::Str(shared(resource_type))),
            ("resource", Field::Str(shared(resource))),
        ]),
        _ => Fields::new(),
    }
}

fn with(base: &Value, pairs: &[(&str, Value)]) -> Value {
    let mut m = base.as_object().cloned().unwrap_or_else(Map::new);
    for (k, v) in pairs {
        m.insert((*k).to_owned(), v.clone());
    }
    Value::Object(m)
}
