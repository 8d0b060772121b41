//! The states that do not call anything: Pass, Succeed, Fail, Wait and Choice.

use super::super::choice::{self, Choice, Rule};
use super::super::compile::{Dynamic, PayloadTemplate};
use super::super::data_flow;
use super::super::definition::{ChoiceSpec, FailSpec, PathField, QueryLanguage, WaitSpec};
use super::super::errors::{Failure, StepError};
use super::super::jsonata_bridge::{self, Template};
use super::super::query::{self, Env, PathFail};
use super::super::time::{Millis, parse_rfc3339};
use super::finish::{Cx, Done, Flow};
use super::interp::{Interp, Stop, Thread, ctx_parts};
use serde_json::Value;
use std::borrow::Cow;

/// AWS rejects waits longer than this many seconds.
const MAX_WAIT_SECONDS: i64 = i32::MAX as i64;

/// A value as AWS quotes it in causes: strings bare, anything else as JSON.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl<'o> Interp<'o> {
    pub(crate) fn pass<'s>(
        &mut self,
        cx: &mut Cx<'s, 'o>,
        th: &mut Thread,
    ) -> Result<Done<'s, 'o>, Stop> {
        if cx.state.query_language == QueryLanguage::Jsonata {
            let input = cx.input.clone();
            return self.finish_result(cx, th, input, false);
        }
        let effective = self.effective_input(cx, th)?;
        let result = cx.state.result.clone().unwrap_or(effective);
        self.finish_result(cx, th, Cow::Owned(result), false)
    }

    /// The output of a state without a result (Succeed, Wait, Choice): OutputPath over the input
    /// after InputPath, or JSONata `Output`; then Assign (`jsonpath_assign` compiled, in a
    /// JSONPath state).
    #[allow(clippy::too_many_arguments)]
    fn pass_through<'s>(
        &mut self,
        cx: &Cx<'s, 'o>,
        th: &mut Thread,
        effective: Flow<'o>,
        output: Option<&Value>,
        assign: Option<&Value>,
        compiled: [Option<&Template>; 2],
        jsonpath_assign: Option<&PayloadTemplate>,
    ) -> Result<Done<'s, 'o>, Stop> {
        if cx.state.query_language == QueryLanguage::Jsonata {
            let out = match output {
                Some(t) => {
                    let t = jsonata_bridge::compiled(compiled[0], t);
                    Cow::Owned(self.jsonata_field(cx, th, &t, "Output", &[])?)
                }
                None => cx.input.clone(),
            };
            let assigned = match assign {
                Some(t) => {
                    let t = jsonata_bridge::compiled(compiled[1], t);
                    Some(self.jsonata_assign(cx, th, &t, &[])?)
                }
                None => None,
            };
            return Ok(Done::new(cx.state, out, assigned));
        }
        // Assign reads the effective input: kept (a copy, unless borrowed) only for one.
        let assign_input = match jsonpath_assign {
            Some(_) => effective.clone(),
            None => Cow::Owned(Value::Null),
        };
        self.jsonpath_output(cx, th, effective, jsonpath_assign, &assign_input)
    }

    /// The input after InputPath (JSONPath), or the raw input (JSONata).
    fn after_input_path(&mut self, cx: &Cx<'_, 'o>, th: &Thread) -> Result<Flow<'o>, Stop> {
        if cx.state.query_language == QueryLanguage::Jsonata {
            return Ok(cx.input.clone());
        }
        if cx.state.input_path == PathField::Default {
            // `$`: the input itself (borrowed stays borrowed).
            let v = cx.input.clone();
            self.inspect_value(cx.run_index, |i| &mut i.after_input_path, &v);
            return Ok(v);
        }
        let ctx = self.ctx(cx, th, ctx_parts::of_field(&cx.state.input_path));
        let env = Env {
            input: &cx.input,
            context: &ctx,
            vars: &th.vars,
        };
        let v = data_flow::select(&cx.state.input_path, &env)
            .map_err(|e| Stop::Fail(e.in_state(&cx.state.name, cx.entered)))?;
        self.inspect_value(cx.run_index, |i| &mut i.after_input_path, &v);
        Ok(Cow::Owned(v))
    }

    pub(crate) fn succeed<'s>(
        &mut self,
        cx: &mut Cx<'s, 'o>,
        th: &mut Thread,
    ) -> Result<Done<'s, 'o>, Stop> {
        let effective = self.after_input_path(cx, th)?;
        self.pass_through(
            cx,
            th,
            effective,
            cx.state.output.as_ref(),
            cx.state.assign.as_ref(),
            [
                cx.state.jsonata.output.as_ref(),
                cx.state.jsonata.assign.as_ref(),
            ],
            cx.state.jsonpath.assign.as_ref(),
        )
    }

    pub(crate) fn fail<'s>(
        &mut self,
        cx: &mut Cx<'s, 'o>,
        spec: &FailSpec,
        th: &mut Thread,
    ) -> Result<Done<'s, 'o>, Stop> {
        let (error, cause) = if cx.state.query_language == QueryLanguage::Jsonata {
            let js = &cx.state.jsonata;
            let mut text = |me: &mut Self,
                            v: &Option<Value>,
                            c: Option<&Template>,
                            field: &str|
             -> Result<Option<String>, Stop> {
                match v {
                    Some(t) => {
                        let t = jsonata_bridge::compiled(c, t);
                        Ok(Some(shown(&me.jsonata_field(cx, th, &t, field, &[])?)))
                    }
                    None => Ok(None),
                }
            };
            (
                text(self, &spec.error, js.error.as_ref(), "Error")?,
                text(self, &spec.cause, js.cause.as_ref(), "Cause")?,
            )
        } else {
            // Fail has no InputPath; TestState still reports the (unchanged) input after it.
            self.after_input_path(cx, th)?;
            let error = match (&spec.error, &spec.error_path) {
                (_, Some(p)) => Some(self.fail_path(cx, th, p, "ErrorPath")?),
                (Some(v), None) => Some(shown(v)),
                _ => None,
            };
            let cause = match (&spec.cause, &spec.cause_path) {
                (_, Some(p)) => Some(self.fail_path(cx, th, p, "CausePath")?),
                (Some(v), None) => Some(shown(v)),
                _ => None,
            };
            (error, cause)
        };
        Err(Stop::Fail(Failure::optional(error, cause)))
    }

    fn fail_path(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &Thread,
        p: &Dynamic,
        field: &str,
    ) -> Result<String, Stop> {
        let ctx = self.ctx(cx, th, p.reads());
        let env = Env {
            input: &cx.input,
            context: &ctx,
            vars: &th.vars,
        };
        let result = match p {
            Dynamic::Call(call) => query::eval_intrinsic(call, &env, self.rng.next_u64())
                .map_err(|(error, detail)| StepError { error, detail }),
            Dynamic::Path(path) => query::eval_path(path, &env).map_err(|e| match e {
                PathFail::NotFound(_) => StepError::runtime(format!(
                    "The JSONPath '{p}' specified for the field '{field}' could not be found in the input '{}'",
                    super::super::history::text(&cx.input)
                )),
                PathFail::Invalid(m) => StepError::runtime(m),
            })
        };
        result
            .map(|v| shown(&v))
            .map_err(|e| Stop::Fail(e.in_state(&cx.state.name, cx.entered)))
    }

    /// A Wait state's moment to wait until, and its input after InputPath.
    pub(crate) fn wait_until(
        &mut self,
        cx: &mut Cx<'_, 'o>,
        spec: &WaitSpec,
        th: &mut Thread,
    ) -> Result<(Millis, Flow<'o>), Stop> {
        let effective = self.after_input_path(cx, th)?;
        let fail = |e: StepError| Stop::Fail(e.in_state(&cx.state.name, cx.entered));
        let jsonata = cx.state.query_language == QueryLanguage::Jsonata;
        let until = match spec {
            WaitSpec::Seconds(v) => {
                let v = if jsonata {
                    let t = jsonata_bridge::compiled(cx.state.jsonata.wait.as_ref(), v);
                    self.jsonata_field(cx, th, &t, "Seconds", &[])?
                } else {
                    v.clone()
                };
                let secs = v.as_i64().filter(|s| *s >= 0).ok_or_else(|| {
                    if jsonata {
                        StepError::query(format!(
                            "The Seconds field must be a non-negative integer: {}",
                            shown(&v)
                        ))
                    } else {
                        StepError::runtime("The Seconds field must be a non-negative integer.")
                    }
                });
                match secs {
                    Ok(s) => self.clock.saturating_add(s.saturating_mul(1000)),
                    Err(e) => return Err(self.step_failure(cx, th, e, "Seconds")),
                }
            }
            WaitSpec::SecondsPath(p) => {
                let v = self.jsonpath_path(cx, th, p, &effective)?;
                let secs = match v.as_i64() {
                    Some(s) if s < 0 => {
                        return Err(fail(StepError::runtime(format!(
                            "The SecondsPath parameter references a negative value: {p} == {}",
                            shown(&v)
                        ))));
                    }
                    Some(s) => s,
                    None => {
                        return Err(fail(StepError::runtime(format!(
                            "The SecondsPath parameter cannot be parsed as a long value: {p} == {}",
                            shown(&v)
                        ))));
                    }
                };
                self.clock.saturating_add(secs.saturating_mul(1000))
            }
            WaitSpec::Timestamp(v) => {
                let v = if jsonata {
                    let t = jsonata_bridge::compiled(cx.state.jsonata.wait.as_ref(), v);
                    self.jsonata_field(cx, th, &t, "Timestamp", &[])?
                } else {
                    v.clone()
                };
                match v.as_str().and_then(parse_rfc3339) {
                    Some(t) => t,
                    None => {
                        let e = StepError {
                            error: if jsonata {
                                "States.QueryEvaluationError"
                            } else {
                                "States.Runtime"
                            }
                            .into(),
                            detail: format!(
                                "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {}",
                                shown(&v)
                            ),
                        };
                        return Err(self.step_failure(cx, th, e, "Timestamp"));
                    }
                }
            }
            WaitSpec::TimestampPath(p) => {
                let v = self.jsonpath_path(cx, th, p, &effective)?;
                v.as_str().and_then(parse_rfc3339).ok_or_else(|| fail(StepError::runtime(format!(
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {p} == {}", shown(&v)))))?
            }
        };
        if until.saturating_sub(self.clock) / 1000 > MAX_WAIT_SECONDS {
            return Err(fail(StepError::runtime("Wait state delay is too long.")));
        }
        Ok((until, effective))
    }

    /// A Wait state once its moment has come.
    pub(crate) fn wait_done<'s>(
        &mut self,
        cx: &mut Cx<'s, 'o>,
        th: &mut Thread,
        effective: Flow<'o>,
    ) -> Result<Done<'s, 'o>, Stop> {
        self.pass_through(
            cx,
            th,
            effective,
            cx.state.output.as_ref(),
            cx.state.assign.as_ref(),
            [
                cx.state.jsonata.output.as_ref(),
                cx.state.jsonata.assign.as_ref(),
            ],
            cx.state.jsonpath.assign.as_ref(),
        )
    }

    pub(crate) fn choice<'s>(
        &mut self,
        cx: &mut Cx<'s, 'o>,
        spec: &'s ChoiceSpec,
        th: &mut Thread,
    ) -> Result<Done<'s, 'o>, Stop> {
        let effective = self.after_input_path(cx, th)?;
        let mut chosen: Option<(usize, &Choice)> = None;
        for (n, c) in spec.choices.iter().enumerate() {
            if self.rule_holds(cx, th, &c.rule, &effective, n)? {
                chosen = Some((n, c));
                break;
            }
        }
        let js = &cx.state.jsonata;
        let state_compiled = [js.output.as_ref(), js.assign.as_ref()];
        let (next, output, assign, compiled, jsonpath_assign) = match (chosen, &spec.default) {
            (Some((n, c)), _) => {
                let own = js.choices.get(n);
                let own_output = own.and_then(|t| t[1].as_ref());
                (
                    c.next.as_str(),
                    c.output.as_ref().or(cx.state.output.as_ref()),
                    c.assign.as_ref(),
                    [
                        if c.output.is_some() {
                            own_output
                        } else {
                            state_compiled[0]
                        },
                        own.and_then(|t| t[2].as_ref()),
                    ],
                    cx.state.jsonpath.choices.get(n).and_then(Option::as_ref),
                )
            }
            (None, Some(d)) => (
                d.as_str(),
                cx.state.output.as_ref(),
                cx.state.assign.as_ref(),
                state_compiled,
                cx.state.jsonpath.assign.as_ref(),
            ),
            (None, None) => {
                return Err(Stop::Fail(Failure::new(
                    "States.NoChoiceMatched",
                    "No Matches!",
                )));
            }
        };
        let mut done =
            self.pass_through(cx, th, effective, output, assign, compiled, jsonpath_assign)?;
        done.next = Some(next);
        Ok(done)
    }

    fn rule_holds(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        rule: &Rule,
        effective: &Value,
        n: usize,
    ) -> Result<bool, Stop> {
        if let Rule::Condition(c) = rule {
            let path = format!("Choices[{n}].Condition");
            let compiled = cx.state.jsonata.choices.get(n).and_then(|c| c[0].as_ref());
            let t = jsonata_bridge::compiled(compiled, c);
            let v = self.jsonata_field_at(cx, th, &t, "Condition", &path, &[])?;
            return match v {
                Value::Bool(b) => Ok(b),
                other => {
                    let e = StepError::query(format!(
                        "The JSONata expression specified for the field 'Condition' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {}",
                        type_name(&other),
                        shown(&other)
                    ));
                    Err(self.step_failure(cx, th, e, "Condition"))
                }
            };
        }
        let ctx = self.ctx(cx, th, ctx_parts::ALL);
        let env = Env {
            input: effective,
            context: &ctx,
            vars: &th.vars,
        };
        choice::evaluate(rule, &env)
            .map_err(|e| Stop::Fail(StepError::runtime(e.0).in_state(&cx.state.name, cx.entered)))
    }
}

/// JSONata's name for a value's type, as AWS's messages use it.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
