//! Task states: the resource's kind decides the history events (Lambda, activity, service
//! integration with `.sync` / `.waitForTaskToken`); the result comes from the mocks.

use super::super::definition::{NumberField, QueryLanguage, TaskSpec};
use super::super::errors::{Failure, StepError};
use super::super::history::{Field, Fields, not_truncated, shared};
use super::super::mocks::MockResponse;
use super::super::resource::ResourceKind;
use super::ExecutionOptions;
use super::finish::{Cx, Flow};
use super::interp::{Interp, Stop, Thread, joined};
use super::sched::{Rt, sleep_for, step};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

impl<'o> Interp<'o> {
    /// Seconds of a `TimeoutSeconds` / `HeartbeatSeconds` field.
    fn seconds_field(
        &mut self,
        cx: &Cx<'_, 'o>,
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

    /// Records the call up to `…Scheduled`; returns what the rest of the attempt needs.
    fn task_schedule<'c>(
        &mut self,
        cx: &'c Cx<'_, 'o>,
        spec: &TaskSpec,
        th: &mut Thread,
    ) -> Result<Call<'c>, Stop> {
        let timeout = self.seconds_field(cx, th, &spec.timeout, "TimeoutSeconds")?;
        let heartbeat = self.seconds_field(cx, th, &spec.heartbeat, "HeartbeatSeconds")?;
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
        Ok(Call {
            effective,
            limit: match (timeout, heartbeat) {
                (Some(t), Some(h)) => Some(t.min(h)),
                (t, h) => t.or(h),
            },
        })
    }

    /// Records `…Started` and asks the mocks; returns the outcome and how long it takes.
    fn task_start(
        &mut self,
        cx: &Cx<'_, 'o>,
        spec: &TaskSpec,
        th: &mut Thread,
        call: Call<'_>,
    ) -> Result<Answer<'o>, Stop> {
        let kind = &spec.kind;
        let prefix = event_prefix(kind);
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
        // The mocks live as long as the execution: a mocked result is borrowed, not copied.
        let opts: &'o ExecutionOptions = self.opts;
        let (response, mock_text) = match &self.test {
            Some(hooks) => (hooks.mock_response().map(Cow::Owned), None),
            None => match opts.mocks.response_with_text(&cx.state.name, invocation) {
                Some((r, text)) => (Some(Cow::Borrowed(r)), text.cloned()),
                None => (None, None),
            },
        };
        let limit = call.limit;
        let returned = |value: Flow<'o>, duration: Option<f64>| match (duration, limit) {
            (Some(d), Some(l)) if d > l => Err((Failure::new("States.Timeout", ""), Some(l))),
            _ => Ok((value, duration, false)),
        };
        let outcome = match response {
            // Unmocked, PutEvents still checks its entries: the task fails as AWS's does.
            None => match put_events_failure(kind, &call.effective, self.opts.seed) {
                Some(failure) => Err((failure, None)),
                None => Ok((Cow::Owned(call.effective.into_owned()), None, true)),
            },
            Some(Cow::Borrowed(MockResponse::Return { value, duration })) => {
                returned(Cow::Borrowed(value), *duration)
            }
            Some(Cow::Owned(MockResponse::Return { value, duration })) => {
                returned(Cow::Owned(value), duration)
            }
            Some(thrown) => match thrown.into_owned() {
                MockResponse::Throw {
                    error,
                    cause,
                    duration,
                } => match (duration, limit) {
                    (Some(d), Some(l)) if d > l => {
                        Err((Failure::new("States.Timeout", ""), Some(l)))
                    }
                    // A timeout reported without a cause has an empty one on AWS.
                    _ if error.as_deref() == Some("States.Timeout") => {
                        let cause = cause.or_else(|| Some(String::new()));
                        Err((Failure { error, cause }, duration))
                    }
                    _ => Err((Failure { error, cause }, duration)),
                },
                MockResponse::Return { value, duration } => returned(Cow::Owned(value), duration),
            },
        };
        Ok(match outcome {
            Ok((result, duration, unmocked)) => Answer {
                outcome: Ok((result, unmocked, mock_text)),
                millis: millis(duration),
            },
            Err((failure, duration)) => Answer {
                outcome: Err(failure),
                millis: millis(duration),
            },
        })
    }

    /// `…Submitted` of a service integration that waits: the send's answer.
    fn task_submitted(
        &mut self,
        spec: &TaskSpec,
        th: &mut Thread,
        answer: &mut Answer<'o>,
    ) -> Result<(), Stop> {
        let kind = &spec.kind;
        let prefix = event_prefix(kind);
        match &mut answer.outcome {
            Ok((result, unmocked, mock_text)) => {
                let output = self.result_payload(result, *unmocked, mock_text.take())?;
                *mock_text = Some(output.clone());
                let mut fields = base_fields(kind);
                fields.push("output", Field::Payload(output));
                self.emit_fields(th, joined(prefix, "Submitted"), fields)?;
            }
            Err(_) => {
                let base = base_details(kind);
                self.emit(
                    th,
                    joined(prefix, "Submitted"),
                    Some(with(
                        &base,
                        &[("output", json!("{}")), ("outputDetails", not_truncated())],
                    )),
                )?;
            }
        }
        Ok(())
    }

    /// The result's shared text: the mock's own (made when the mocks were read) or made here.
    fn result_payload(
        &mut self,
        result: &Value,
        unmocked: bool,
        mock_text: Option<super::super::history::Text>,
    ) -> Result<super::super::history::Text, Stop> {
        let output = match mock_text.filter(|_| !unmocked) {
            Some(text) => self.texts.adopt(text),
            None => self.payload(result)?,
        };
        self.check_memory()?;
        Ok(output)
    }

    /// The attempt's end: `…Succeeded`, or `…Failed` / `…TimedOut`.
    fn task_finish(
        &mut self,
        spec: &TaskSpec,
        th: &mut Thread,
        answer: Answer<'o>,
    ) -> Result<Flow<'o>, Stop> {
        let kind = &spec.kind;
        let prefix = event_prefix(kind);
        match answer.outcome {
            Ok((result, unmocked, mock_text)) => {
                let output = self.result_payload(&result, unmocked, mock_text)?;
                let mut fields = base_fields(kind);
                self.result_text = Some(output.clone());
                fields.push("output", Field::Payload(output));
                let id = self.emit_fields(th, joined(prefix, "Succeeded"), fields)?;
                if unmocked
                    && th.detached.is_none()
                    && let Some(e) = self.history.get_mut(id as usize - 1)
                {
                    e.unmocked = true;
                }
                Ok(result)
            }
            Err(failure) => {
                let base = base_details(kind);
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
}

/// A scheduled call: its effective input and the time it may take.
pub(crate) struct Call<'c> {
    effective: Cow<'c, Value>,
    limit: Option<f64>,
}

/// What the call came to and when: (the result, whether it was unmocked, the mock's text), or
/// the failure; after `millis`.
pub(crate) struct Answer<'o> {
    outcome: Result<(Flow<'o>, bool, Option<super::super::history::Text>), Failure>,
    millis: i64,
}

/// Seconds as milliseconds on the clock (a negative or absent duration is none).
fn millis(seconds: Option<f64>) -> i64 {
    seconds.map_or(0, |s| (s.max(0.0) * 1000.0) as i64)
}

/// One attempt of a Task state: effective input, the call, the raw result. The execution waits
/// for `…Started` and for the answer (step boundaries), and for the mocked duration.
pub(crate) async fn task<'o>(
    rt: Rt<'_, 'o>,
    cx: &Cx<'_, 'o>,
    spec: &TaskSpec,
    th: &mut Thread,
) -> Result<Flow<'o>, Stop> {
    let call = rt.borrow_mut().task_schedule(cx, spec, th)?;
    step(rt).await;
    let mut answer = rt.borrow_mut().task_start(cx, spec, th, call)?;
    sleep_for(rt, answer.millis).await?;
    if let ResourceKind::Service { waits: true, .. } = spec.kind {
        step(rt).await;
        rt.borrow_mut().task_submitted(spec, th, &mut answer)?;
    }
    step(rt).await;
    rt.borrow_mut().task_finish(spec, th, answer)
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

/// An unmocked `events:putEvents` call whose entries PutEvents would refuse (in part): the
/// optimized integration fails the task with `EventBridge.FailedEntry`, the response as cause.
fn put_events_failure(kind: &ResourceKind, parameters: &Value, seed: u64) -> Option<Failure> {
    let ResourceKind::Service {
        resource_type,
        resource,
        ..
    } = kind
    else {
        return None;
    };
    if resource_type != "events" || !resource.starts_with("putEvents") {
        return None;
    }
    let cause = crate::put_events::failed_entries_cause(parameters, seed)?;
    Some(Failure::new("EventBridge.FailedEntry", cause))
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
