//! After a state's work: ResultSelector, ResultPath, OutputPath (JSONPath) or Output (JSONata),
//! Assign, and the Retry and Catch rules.

use super::super::compile::{CompiledPath, PayloadTemplate};
use super::super::data_flow::{self, Rng64};
use super::super::definition::{Kind, PathField, QueryLanguage, State, Transition};
use super::super::errors::{Failure, StepError, failure_matches};
use super::super::event_kind::EventKind;
use super::super::history::Payload;
use super::super::jsonata_bridge::{self, JsonataEnv, Template};
use super::super::query::Env;
use super::interp::{Interp, RunStatus, Stop, Thread, ctx_parts, joined};
use super::sched::{Rt, sleep_for};
use crate::jsonata::{Binding, Bindings, Kept};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

/// The state being run.
pub(crate) struct Cx<'s, 'o> {
    pub(crate) state: &'s State,
    pub(crate) entered: u64,
    pub(crate) entered_at: i64,
    /// The state's input: borrowed when it is the execution's input or a mocked result (see
    /// [`Flow`]), owned when a state before made it.
    pub(crate) input: Flow<'o>,
    /// `input` as JSON text (as in the Entered event).
    pub(crate) input_text: super::super::history::Text,
    pub(crate) run_index: usize,
    pub(crate) retry_count: u64,
    /// Where a JSONata module of its own keeps `input` once sent (see [`Kept`]), so that it
    /// crosses once per state run.
    pub(crate) kept_input: Kept,
}

/// A value passed from state to state (a state's input, its result, its output): borrowed
/// from what the execution was given (its input, a mocked result: `'o`) until something
/// changes it, so that a mocked answer or the execution's input is not copied per state.
pub(crate) type Flow<'o> = Cow<'o, Value>;

/// A finished state: its output and where to go.
pub(crate) struct Done<'s, 'o> {
    pub(crate) output: Flow<'o>,
    /// The next state's name (borrowed from the definition).
    pub(crate) next: Option<&'s str>,
    pub(crate) assigned: Option<Map<String, Value>>,
    pub(crate) status: RunStatus,
    pub(crate) emit_exit: bool,
}

impl<'s, 'o> Done<'s, 'o> {
    pub(crate) fn new(
        state: &'s State,
        output: Flow<'o>,
        assigned: Option<Map<String, Value>>,
    ) -> Done<'s, 'o> {
        let next = match &state.transition {
            Transition::Next(n) => Some(n.as_str()),
            _ => None,
        };
        Done {
            output,
            next,
            assigned,
            status: RunStatus::Succeeded,
            emit_exit: true,
        }
    }
}

impl<'o> Interp<'o> {
    /// The context object for the running state, with the members in `parts` only.
    pub(crate) fn ctx(&self, cx: &Cx<'_, 'o>, th: &Thread, parts: u8) -> Value {
        self.context(
            cx.state,
            (cx.entered_at, cx.entered),
            cx.retry_count,
            th,
            parts,
        )
    }

    /// Turns a data-flow error into the state's failure (JSONata errors get an EvaluationFailed event).
    pub(crate) fn step_failure(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        e: StepError,
        location: &str,
    ) -> Stop {
        let failure = e.clone().in_state(&cx.state.name, cx.entered);
        if e.error == "States.QueryEvaluationError" {
            let details = json!({"error": failure.error, "cause": failure.cause, "location": location, "state": cx.state.name});
            if let Err(stop) = self.emit(th, EventKind::EvaluationFailed, Some(details)) {
                return stop;
            }
        }
        Stop::Fail(failure)
    }

    /// Evaluates a JSONata template field.
    pub(crate) fn jsonata_field(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        template: &Template,
        field: &str,
        extra: &[(&str, &Value)],
    ) -> Result<Value, Stop> {
        self.jsonata_field_at(cx, th, template, field, field, extra)
    }

    /// [`Self::jsonata_field`], with the expressions traced under the name `shown` (a Choice's
    /// `Condition` is `Choices[1].Condition` in the inspector, but `Condition` in errors).
    ///
    /// `$states` is given by reference, as its members: the state input (kept by a JSONata
    /// module of its own for the whole state run), the context object with only the members
    /// the template reads, and `extra` (`result`, `errorOutput`); the expressions copy only
    /// what they read of them and of the variables.
    pub(crate) fn jsonata_field_at(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        template: &Template,
        field: &str,
        shown: &str,
        extra: &[(&str, &Value)],
    ) -> Result<Value, Stop> {
        let ctx = self.ctx(cx, th, template.context_parts());
        self.jsonata_in(cx, th, template, field, shown, extra, Binding::Value(&ctx))
    }

    /// [`Self::jsonata_field_at`] with `$states.context` bound to `context`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn jsonata_in(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        template: &Template,
        field: &str,
        shown: &str,
        extra: &[(&str, &Value)],
        context: Binding<'_>,
    ) -> Result<Value, Stop> {
        let mut states = Vec::with_capacity(2 + extra.len());
        states.push(("input", Binding::Kept(&cx.input, &cx.kept_input)));
        states.push(("context", context));
        states.extend(extra.iter().map(|(k, v)| (*k, Binding::Value(v))));
        let env = JsonataEnv {
            bindings: Bindings::new(&th.vars).with("states", Binding::Members(&states)),
            seed: self.rng.next_u64(),
            now: self.clock,
        };
        let r = if self.opts.trace_expressions {
            let mut traced = Vec::new();
            let r = jsonata_bridge::template(template, &env, field, Some(&mut traced));
            self.record_expressions(cx, traced, field, shown);
            r
        } else {
            jsonata_bridge::template(template, &env, field, None)
        };
        drop(env);
        r.map_err(|e| self.step_failure(cx, th, e, field))
    }

    /// Appends traced expressions to the running state's inspection.
    fn record_expressions(
        &mut self,
        cx: &Cx<'_, 'o>,
        traced: Vec<jsonata_bridge::EvaluatedExpression>,
        field: &str,
        shown: &str,
    ) {
        let after = self.history.len() as u64;
        let Some(run) = self.runs.get_mut(cx.run_index) else {
            return;
        };
        let i = &mut run.inspection;
        for mut e in traced {
            if i.expressions.len() >= super::interp::MAX_TRACED_EXPRESSIONS {
                i.expressions_omitted += 1;
                continue;
            }
            e.after_event_id = after;
            if field != shown
                && let Some(rest) = e.field.strip_prefix(field)
            {
                e.field = format!("{shown}{rest}");
            }
            i.expressions.push(e);
        }
    }

    /// Evaluates a JSONPath template with `$` = `input`.
    pub(crate) fn jsonpath_template(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        template: &PayloadTemplate,
        input: &Value,
    ) -> Result<Value, Stop> {
        let ctx = self.ctx(cx, th, template.reads());
        let env = Env {
            input,
            context: &ctx,
            vars: &th.vars,
        };
        let mut rng = Rng64(self.rng.next_u64());
        data_flow::template(template, &env, &mut rng)
            .map_err(|e| Stop::Fail(e.in_state(&cx.state.name, cx.entered)))
    }

    /// Evaluates a JSONPath path with `$` = `input`.
    pub(crate) fn jsonpath_path(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &Thread,
        path: &CompiledPath,
        input: &Value,
    ) -> Result<Value, Stop> {
        let ctx = self.ctx(cx, th, path.reads());
        let env = Env {
            input,
            context: &ctx,
            vars: &th.vars,
        };
        data_flow::path(path, &env).map_err(|e| Stop::Fail(e.in_state(&cx.state.name, cx.entered)))
    }

    /// InputPath then Parameters (JSONPath), or Arguments (JSONata): the task's effective input.
    pub(crate) fn effective_input(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
    ) -> Result<Value, Stop> {
        self.effective_input_ref(cx, th).map(Cow::into_owned)
    }

    /// [`Self::effective_input`], borrowing the state input when neither InputPath nor
    /// Parameters change it (a mocked Task only needs its text).
    pub(crate) fn effective_input_ref<'c>(
        &mut self,
        cx: &'c Cx<'_, 'o>,
        th: &mut Thread,
    ) -> Result<Cow<'c, Value>, Stop> {
        let state = cx.state;
        if state.query_language == QueryLanguage::Jsonata {
            let v = match &state.arguments {
                Some(args) => {
                    let t = jsonata_bridge::compiled(state.jsonata.arguments.as_ref(), args);
                    self.jsonata_field(cx, th, &t, "Arguments", &[])?
                }
                None => Value::clone(&cx.input),
            };
            self.inspect_value(cx.run_index, |i| &mut i.after_arguments, &v);
            return Ok(Cow::Owned(v));
        }
        let ctx = self.ctx(cx, th, ctx_parts::of_field(&state.input_path));
        let env = Env {
            input: &cx.input,
            context: &ctx,
            vars: &th.vars,
        };
        // `$` (no InputPath) borrows the input rather than copying it.
        let after_input = match &state.input_path {
            PathField::Default => Cow::Borrowed(&*cx.input),
            field => Cow::Owned(
                data_flow::select(field, &env)
                    .map_err(|e| Stop::Fail(e.in_state(&state.name, cx.entered)))?,
            ),
        };
        if self.opts.inspect {
            // Without InputPath the step is the input itself: its text is the Entered event's.
            let t = match &after_input {
                Cow::Borrowed(_) => cx.input_text.clone(),
                Cow::Owned(v) => self.texts.of(v),
            };
            self.inspect(cx, |i| i.after_input_path = Some(Payload(t)));
        }
        let v = match &state.jsonpath.parameters {
            Some(p) => Cow::Owned(self.jsonpath_template(cx, th, p, &after_input)?),
            None => after_input,
        };
        self.inspect_value(cx.run_index, |i| &mut i.after_parameters, &v);
        Ok(v)
    }

    /// Records an inspection step for the running state.
    pub(crate) fn inspect(
        &mut self,
        cx: &Cx<'_, 'o>,
        f: impl FnOnce(&mut super::interp::Inspection),
    ) {
        if !self.opts.inspect {
            return;
        }
        if let Some(run) = self.runs.get_mut(cx.run_index) {
            f(&mut run.inspection);
        }
    }

    /// Data flow after a state produced `result`: ResultSelector, ResultPath, OutputPath and Assign
    /// (JSONPath), or Output and Assign (JSONata). Assign and Output read the variables from before.
    pub(crate) fn finish_result<'s>(
        &mut self,
        cx: &Cx<'s, 'o>,
        th: &mut Thread,
        result: Flow<'o>,
        selector: bool,
    ) -> Result<Done<'s, 'o>, Stop> {
        let state = cx.state;
        self.inspect_value(cx.run_index, |i| &mut i.result, &result);
        if state.query_language == QueryLanguage::Jsonata {
            let js = &state.jsonata;
            let output = match &state.output {
                Some(t) => {
                    let t = jsonata_bridge::compiled(js.output.as_ref(), t);
                    Cow::Owned(self.jsonata_field(cx, th, &t, "Output", &[("result", &result)])?)
                }
                None => result.clone(),
            };
            let assigned = match &state.assign {
                Some(t) => {
                    let t = jsonata_bridge::compiled(js.assign.as_ref(), t);
                    Some(self.jsonata_assign(cx, th, &t, &[("result", &result)])?)
                }
                None => None,
            };
            return Ok(Done::new(state, output, assigned));
        }
        let selected = match (&state.jsonpath.result_selector, selector) {
            (Some(t), true) => Cow::Owned(self.jsonpath_template(cx, th, t, &result)?),
            _ => result,
        };
        self.inspect_value(cx.run_index, |i| &mut i.after_result_selector, &selected);
        // Assign reads the selected result: keep it (a copy, unless borrowed) only when there is
        // an Assign.
        let assign_input = state.assign.as_ref().map(|_| selected.clone());
        let merged = match &state.result_path {
            // The result replaces the input: passed on as it is (borrowed stays borrowed).
            PathField::Default => selected,
            field => Cow::Owned(
                data_flow::merge_result(field, &cx.input, selected.into_owned())
                    .map_err(|e| Stop::Fail(e.in_state(&state.name, cx.entered)))?,
            ),
        };
        self.inspect_value(cx.run_index, |i| &mut i.after_result_path, &merged);
        let assign_input = assign_input.unwrap_or(Cow::Owned(Value::Null));
        self.jsonpath_output(
            cx,
            th,
            merged,
            state.jsonpath.assign.as_ref(),
            &assign_input,
        )
    }

    /// OutputPath and Assign (`$` = `assign_input`) of a JSONPath state.
    pub(crate) fn jsonpath_output<'s>(
        &mut self,
        cx: &Cx<'s, 'o>,
        th: &mut Thread,
        merged: Flow<'o>,
        assign: Option<&PayloadTemplate>,
        assign_input: &Value,
    ) -> Result<Done<'s, 'o>, Stop> {
        let state = cx.state;
        let output = match &state.output_path {
            // `$` (no OutputPath) passes the value on without a copy.
            PathField::Default => merged,
            field => {
                let ctx = self.ctx(cx, th, ctx_parts::of_field(field));
                let env = Env {
                    input: &merged,
                    context: &ctx,
                    vars: &th.vars,
                };
                Cow::Owned(
                    data_flow::select(field, &env)
                        .map_err(|e| Stop::Fail(e.in_state(&state.name, cx.entered)))?,
                )
            }
        };
        let assigned = match assign {
            Some(t) => match self.jsonpath_template(cx, th, t, assign_input)? {
                Value::Object(m) => Some(m),
                _ => None,
            },
            None => None,
        };
        Ok(Done::new(state, output, assigned))
    }

    /// JSONata `Assign`: each member evaluated; the field name in errors is `Assign/<name>`.
    pub(crate) fn jsonata_assign(
        &mut self,
        cx: &Cx<'_, 'o>,
        th: &mut Thread,
        t: &Template,
        extra: &[(&str, &Value)],
    ) -> Result<Map<String, Value>, Stop> {
        match self.jsonata_field(cx, th, t, "Assign", extra)? {
            Value::Object(m) => Ok(m),
            _ => Ok(Map::new()),
        }
    }

    /// After a failed attempt: the delay before the next one (in milliseconds), or the failure
    /// the state ends with. Every retry counts toward the step budget.
    fn retry_delay(
        &mut self,
        cx: &mut Cx<'_, 'o>,
        th: &mut Thread,
        f: Failure,
        attempts: &mut [u64],
    ) -> Result<i64, Stop> {
        let state: &State = cx.state;
        let retriers = &state.retry;
        let retrier = retriers
            .iter()
            .position(|r| failure_matches(&r.error_equals, &f));
        let slot = retrier.and_then(|i| Some((retriers.get(i)?, attempts.get_mut(i)?)));
        if let Some(hooks) = &self.test {
            // TestState reports a retriable failure instead of retrying.
            let done = hooks.retrier_retry_count;
            let r = retrier.and_then(|i| retriers.get(i).map(|r| (i, r)));
            if let Some((i, r)) = r.filter(|(_, r)| done < r.max_attempts) {
                let exp = i32::try_from(done).unwrap_or(i32::MAX);
                let mut delay = r.interval_seconds * r.backoff_rate.powi(exp);
                if let Some(max) = r.max_delay_seconds {
                    delay = delay.min(max);
                }
                self.retriable = Some((f.clone(), i, delay));
                return Err(Stop::Halt(f));
            }
            return Err(self.give_up(cx, th, f));
        }
        let Some((r, count)) = slot.filter(|(r, count)| **count < r.max_attempts) else {
            return Err(self.give_up(cx, th, f));
        };
        let mut delay = r.interval_seconds
            * r.backoff_rate
                .powi(i32::try_from(*count).unwrap_or(i32::MAX));
        if let Some(max) = r.max_delay_seconds {
            delay = delay.min(max);
        }
        if r.jitter_full {
            delay *= self.rng.next_f64();
        }
        *count += 1;
        cx.retry_count += 1;
        self.count_step()?;
        // f64 → i64 saturates; a negative or NaN delay (a negative BackoffRate cannot pass
        // validation, but IntervalSeconds * rate^n may overflow) is 0.
        Ok((delay * 1000.0) as i64)
    }

    /// A Map or Parallel that will not be retried records that it failed (not for States.Runtime,
    /// which ends the execution at once).
    fn give_up(&mut self, cx: &Cx<'_, 'o>, th: &mut Thread, f: Failure) -> Stop {
        let ty = cx.state.kind.type_name();
        if matches!(ty, "Map" | "Parallel") && f.name() != "States.Runtime" {
            if let Err(stop) = self.emit(th, joined(ty, "StateFailed"), None) {
                return stop;
            }
            self.close_open(cx.entered);
        }
        Stop::Fail(f)
    }

    /// Catch: the first catcher whose `ErrorEquals` matches handles the failure.
    pub(crate) fn catch<'s>(
        &mut self,
        cx: &mut Cx<'s, 'o>,
        f: Failure,
        th: &mut Thread,
    ) -> Result<Done<'s, 'o>, Stop> {
        let state = cx.state;
        let Some((n, c)) = state
            .catch
            .iter()
            .enumerate()
            .find(|(_, c)| failure_matches(&c.error_equals, &f))
        else {
            return Err(Stop::Fail(f));
        };
        let mut error_output = Map::new();
        error_output.insert("Error".into(), json!(f.error));
        error_output.insert("Cause".into(), json!(f.cause));
        let error_output = Value::Object(error_output);
        self.inspect(cx, |i| {
            i.error_details =
                Some(json!({"error": f.error, "cause": f.cause, "retryCount": cx.retry_count}))
        });
        let (output, assigned) = if state.query_language == QueryLanguage::Jsonata {
            let extra = [("errorOutput", &error_output)];
            let [out_t, assign_t] = state
                .jsonata
                .catch
                .get(n)
                .map_or([None, None], |[o, a]| [o.as_ref(), a.as_ref()]);
            let output = match &c.output {
                Some(t) => {
                    let shown = format!("Catch[{n}].Output");
                    let t = jsonata_bridge::compiled(out_t, t);
                    self.jsonata_field_at(cx, th, &t, "Output", &shown, &extra)?
                }
                None => error_output.clone(),
            };
            let assigned = match &c.assign {
                Some(t) => {
                    let shown = format!("Catch[{n}].Assign");
                    let t = jsonata_bridge::compiled(assign_t, t);
                    match self.jsonata_field_at(cx, th, &t, "Assign", &shown, &extra)? {
                        Value::Object(m) => Some(m),
                        _ => None,
                    }
                }
                None => None,
            };
            (Cow::Owned(output), assigned)
        } else {
            let merged = data_flow::merge_result(&c.result_path, &cx.input, error_output.clone())
                .map_err(|e| Stop::Fail(e.in_state(&state.name, cx.entered)))?;
            let assigned = match state.jsonpath.catch.get(n).and_then(Option::as_ref) {
                Some(t) => match self.jsonpath_template(cx, th, t, &error_output)? {
                    Value::Object(m) => Some(m),
                    _ => None,
                },
                None => None,
            };
            (Cow::Owned(merged), assigned)
        };
        Ok(Done {
            output,
            next: Some(c.next.as_str()),
            assigned,
            status: RunStatus::CaughtError,
            emit_exit: true,
        })
    }
}

/// Runs a Task, Parallel or Map state's attempts with its `Retry` rules: the state's result,
/// its output once the data flow is done.
pub(crate) async fn with_retry<'s, 'o>(
    rt: Rt<'_, 'o>,
    cx: &mut Cx<'s, 'o>,
    th: &mut Thread,
) -> Result<Done<'s, 'o>, Stop> {
    let state: &'s State = cx.state;
    let mut attempts = vec![0u64; state.retry.len()];
    loop {
        let attempt = match &state.kind {
            Kind::Task(spec) => super::task::task(rt, cx, spec, th).await,
            Kind::Parallel(spec) => super::branches::parallel(rt, cx, spec, th)
                .await
                .map(Cow::Owned),
            Kind::Map(spec) => super::branches::map(rt, cx, spec, th).await.map(Cow::Owned),
            _ => Err(Stop::Halt(Failure::new(
                "States.Runtime",
                "Only Task, Parallel and Map states have attempts.",
            ))),
        };
        match attempt {
            Ok(result) => return rt.borrow_mut().finish_result(cx, th, result, true),
            Err(Stop::Fail(f)) => {
                let delay = rt.borrow_mut().retry_delay(cx, th, f, &mut attempts)?;
                sleep_for(rt, delay).await?;
            }
            Err(halt) => return Err(halt),
        }
    }
}
