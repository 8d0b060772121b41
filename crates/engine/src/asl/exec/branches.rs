//! Parallel and Map: their inputs, items and settings; the branches and iterations run
//! concurrently on the virtual clock (`concurrent.rs`), each with a copy of the variables in scope.

use super::super::data_flow::{self, Rng64};
use super::super::definition::{MapSpec, NumberField, ParallelSpec, PathField, QueryLanguage};
use super::super::errors::{Failure, StepError};
use super::super::event_kind::EventKind;
use super::super::history::Payload;
use super::super::history::{Field, Text};
use super::super::jsonata_bridge;
use super::super::query::Env;
use super::finish::{Cx, Flow};
use super::interp::{Interp, Stop, Thread, ctx_parts};
use super::interp::{resume_machine, run_machine};
use super::item_reader::{READER_FAILED, ReadStop};
use super::redrive::ChildPlan;
use super::result_writer::{WRITER_FAILED, WriteStop};
use super::sched::{Fanned, Plan, Rt, fan_out, iteration_start, step};
use super::simple::type_name;
use crate::jsonata::Binding;
use serde_json::{Map, Value, json};
use std::borrow::Cow;
use std::cell::RefCell;

/// The most iterations of an inline Map in flight at once (AWS's limit).
pub(crate) const INLINE_MAP_CONCURRENCY: usize = 40;

impl<'o> Interp<'o> {
    /// Map's items: ItemsPath over the input after InputPath, or JSONata `Items`.
    fn map_items(
        &mut self,
        cx: &Cx<'_, 'o>,
        spec: &MapSpec,
        th: &mut Thread,
    ) -> Result<(Value, Vec<Value>), Stop> {
        let fail = |e: StepError| Stop::Fail(e.in_state(&cx.state.name, cx.entered));
        if cx.state.query_language == QueryLanguage::Jsonata {
            let items = match &spec.items {
                Some(t) => {
                    let t = jsonata_bridge::compiled(cx.state.jsonata.items.as_ref(), t);
                    self.jsonata_field(cx, th, &t, "Items", &[])?
                }
                None => Value::clone(&cx.input),
            };
            return match items {
                Value::Array(list) => Ok((Value::clone(&cx.input), list)),
                other if spec.items.is_none() => Err(self.step_failure(
                    cx,
                    th,
                    StepError::query(format!("Map state input must be an array but was: {other}")),
                    "Items",
                )),
                other => {
                    let expr = spec
                        .items
                        .as_ref()
                        .and_then(Value::as_str)
                        .and_then(jsonata_bridge::expression)
                        .unwrap_or("");
                    let e = StepError::query(format!(
                        "The JSONata expression '{expr}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {}",
                        type_name(&other),
                        other
                    ));
                    Err(self.step_failure(cx, th, e, "Items"))
                }
            };
        }
        let ctx = self.ctx(
            cx,
            th,
            ctx_parts::of_field(&cx.state.input_path) | ctx_parts::of_field(&spec.items_path),
        );
        let env = Env {
            input: &cx.input,
            context: &ctx,
            vars: &th.vars,
        };
        let after_input = data_flow::select(&cx.state.input_path, &env).map_err(fail)?;
        self.inspect_value(cx.run_index, |i| &mut i.after_input_path, &after_input);
        let env = Env {
            input: &after_input,
            context: &ctx,
            vars: &th.vars,
        };
        let items = data_flow::select(&spec.items_path, &env).map_err(fail)?;
        if items.is_array() {
            self.inspect_value(cx.run_index, |i| &mut i.after_items_path, &items);
        }
        match items {
            Value::Array(list) => Ok((after_input, list)),
            _ => {
                // AWS names the path, with a context path's `$$` shown as `$` (recorded by TestState).
                let path = match &spec.items_path {
                    PathField::Path(p) => p
                        .strip_prefix('$')
                        .filter(|r| r.starts_with('$'))
                        .unwrap_or(p),
                    _ => "$",
                };
                Err(fail(StepError::runtime(format!(
                    "Reference path \"{path}\" must point to array."
                ))))
            }
        }
    }

    /// The state's input after `InputPath` (a JSONata state has none).
    fn map_input_path(&mut self, cx: &Cx<'_, 'o>, th: &Thread) -> Result<Value, Stop> {
        if cx.state.query_language == QueryLanguage::Jsonata {
            return Ok(Value::clone(&cx.input));
        }
        let ctx = self.ctx(cx, th, ctx_parts::of_field(&cx.state.input_path));
        let env = Env {
            input: &cx.input,
            context: &ctx,
            vars: &th.vars,
        };
        let after = data_flow::select(&cx.state.input_path, &env)
            .map_err(|e| Stop::Fail(e.in_state(&cx.state.name, cx.entered)))?;
        self.inspect_value(cx.run_index, |i| &mut i.after_input_path, &after);
        Ok(after)
    }

    /// A Distributed Map run's ARN (`…:mapRun:<machine>/<Label or state name>:<run id>`) and
    /// its id, a UUID made from the run's seed and the state's entry (the same every run).
    fn map_run_arn(&self, cx: &Cx<'_, 'o>, spec: &MapSpec) -> (String, String) {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ self.opts.seed;
        for b in cx.state.name.bytes().chain(cx.entered.to_le_bytes()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let id = crate::splitmix::SplitMix64::new(h).uuid();
        let arn = format!(
            "{}/{}:{id}",
            self.opts
                .state_machine_arn()
                .replace(":stateMachine:", ":mapRun:"),
            spec.label.as_deref().unwrap_or(&cx.state.name),
        );
        (arn, id)
    }

    /// A Map number field (MaxConcurrency, tolerated failures) as a non-negative number.
    fn map_number(
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
                let c = match name {
                    "MaxConcurrency" => &js.max_concurrency,
                    "ToleratedFailurePercentage" => &js.tolerated_failure_percentage,
                    _ => &js.tolerated_failure_count,
                };
                let t = jsonata_bridge::compiled(c.as_ref(), v);
                self.jsonata_field(cx, th, &t, name, &[])?
            }
            Some(NumberField::Value(v)) => v.clone(),
            Some(NumberField::Path(p)) => self.jsonpath_path(cx, th, p, &cx.input.clone())?,
        };
        // AWS accepts numeric strings from paths ("1").
        let n = v
            .as_f64()
            .or_else(|| v.as_str().and_then(|s| crate::number::parse_f64(s.trim())));
        let percentage = name == "ToleratedFailurePercentage";
        let fail = |detail: String| {
            Err(Stop::Fail(
                StepError::runtime(detail).in_state(&cx.state.name, cx.entered),
            ))
        };
        match n {
            Some(n) if percentage && !(0.0..=100.0).contains(&n) => {
                fail(format!("{name} must be between 0 and 100."))
            }
            Some(n) if n < 0.0 => fail(format!("{name} cannot be negative.")),
            Some(n) => Ok(Some(n)),
            None => {
                let kind = if percentage { "float" } else { "integer" };
                let path = match field {
                    Some(NumberField::Path(p)) => format!(": {p}"),
                    _ => String::new(),
                };
                let shown = super::super::history::text(&v);
                let shown = shown.trim_matches('"');
                fail(format!(
                    "The {name}Path field refers to value \"{shown}\" which is not a valid {kind}{path}"
                ))
            }
        }
    }

    /// A Map attempt up to its iterations: the items, each iteration's input, the Map's
    /// numbers; or its result when TestState supplies it.
    fn map_prepare(
        &mut self,
        cx: &mut Cx<'_, 'o>,
        spec: &MapSpec,
        th: &mut Thread,
        resumed: Option<u64>,
    ) -> Result<Result<Prepared, Value>, Stop> {
        let map_run = spec.distributed.then(|| self.map_run_arn(cx, spec));
        // The Map Run's events, once recorded by the ItemReader (which reads inside the run).
        let mut run_started = false;
        let mut started = None;
        let (after_input, items) = match (&spec.item_reader, &self.test) {
            // TestState: the reader's items are given (or the result is mocked anyway).
            (Some(_), Some(hooks)) => (
                Value::clone(&cx.input),
                hooks.map_item_reader_data.clone().unwrap_or_default(),
            ),
            (Some(reader), None) => {
                let after_input = self.map_input_path(cx, th)?;
                // A Map that a redrive resumes was started (and its run too) already.
                started = Some(match resumed {
                    Some(id) => {
                        th.prev = id;
                        id
                    }
                    None => {
                        self.emit(th, EventKind::MapStateStarted, Some(json!({"length": 0})))?
                    }
                });
                let max_items = self.reader_max_items(cx, th, reader, &after_input)?;
                if let Some((arn, _)) = map_run.as_ref().filter(|_| resumed.is_none()) {
                    self.emit(
                        th,
                        EventKind::MapRunStarted,
                        Some(json!({"mapRunArn": arn})),
                    )?;
                }
                run_started = true;
                match self.read_items(cx, th, spec, &after_input, max_items) {
                    Ok(items) => (after_input, items),
                    Err(ReadStop::State(stop)) => return Err(stop),
                    Err(ReadStop::Run(cause)) => {
                        let details = json!({"error": READER_FAILED, "cause": cause});
                        self.emit(th, EventKind::MapRunFailed, Some(details))?;
                        return Err(Stop::Fail(Failure::new(READER_FAILED, cause)));
                    }
                }
            }
            (None, _) => self.map_items(cx, spec, th)?,
        };
        let max_concurrency = self.map_number(cx, th, &spec.max_concurrency, "MaxConcurrency")?;
        // A Map that a redrive resumes was started already: its iterations follow that event.
        let started = match (started, resumed) {
            (Some(id), _) => id,
            (None, Some(id)) => {
                th.prev = id;
                id
            }
            (None, None) => self.emit(
                th,
                EventKind::MapStateStarted,
                Some(json!({"length": items.len()})),
            )?,
        };
        let tolerated_count = self.map_number(
            cx,
            th,
            &spec.tolerated_failure_count,
            "ToleratedFailureCount",
        )?;
        let tolerated_pct = self.map_number(
            cx,
            th,
            &spec.tolerated_failure_percentage,
            "ToleratedFailurePercentage",
        )?;
        self.inspect(cx, |i| {
            i.max_concurrency = Some(json!(max_concurrency.unwrap_or(0.0) as u64));
            i.tolerated_failure_count = tolerated_count.map(|n| json!(n as u64));
            i.tolerated_failure_percentage = tolerated_pct.map(|n| json!(n));
        });
        if let Some(r) = self.test_result(items.len(), Some((tolerated_count, tolerated_pct)))? {
            return Ok(Err(r));
        }
        let inputs = self.map_inputs(cx, spec, th, &after_input, &items)?;
        if let Some((arn, _)) = &map_run {
            match resumed {
                Some(_) => {
                    let count = self.redrive_count;
                    self.emit(
                        th,
                        EventKind::MapRunRedriven,
                        Some(json!({"mapRunArn": arn, "redriveCount": count})),
                    )?;
                }
                None if !run_started => {
                    self.emit(
                        th,
                        EventKind::MapRunStarted,
                        Some(json!({"mapRunArn": arn})),
                    )?;
                }
                None => {}
            }
        }
        self.note_started(cx.entered, started, inputs.len());
        Ok(Ok(Prepared {
            items,
            inputs,
            max_concurrency,
            tolerated: (tolerated_count, tolerated_pct),
            started,
            map_run,
        }))
    }

    /// Each iteration's input: ItemSelector (or legacy Parameters) per item, then ItemBatcher.
    fn map_inputs(
        &mut self,
        cx: &Cx<'_, 'o>,
        spec: &MapSpec,
        th: &mut Thread,
        after_input: &Value,
        items: &[Value],
    ) -> Result<Vec<Value>, Stop> {
        let mut selected = Vec::with_capacity(items.len());
        // A JSONPath ItemSelector that reads nothing of the context but `$$.Map` (the usual case)
        // gets a context of just that member, made directly for each item.
        let map_only = match &cx.state.jsonpath.parameters {
            Some(t) if cx.state.query_language == QueryLanguage::JsonPath => {
                let parts = t.reads();
                let hooked = self.test.as_ref().is_some_and(|h| h.context.is_some());
                (parts & !ctx_parts::MAP == 0 && !hooked).then_some((t, parts))
            }
            _ => None,
        };
        // A JSONata ItemSelector that reads nothing of the context but `$states.context.Map`
        // (the usual case) gets that member by reference.
        let jsonata_item_selector = cx
            .state
            .parameters
            .as_ref()
            .filter(|_| cx.state.query_language == QueryLanguage::Jsonata);
        let selector_template = match jsonata_item_selector {
            Some(t) => jsonata_bridge::compiled(cx.state.jsonata.item_selector.as_ref(), t),
            None => Cow::Owned(jsonata_bridge::Template::Literal(Value::Null)),
        };
        let jsonata_map_only = jsonata_item_selector.and_then(|_| {
            let parts = selector_template.context_parts();
            let hooked = self.test.as_ref().is_some_and(|h| h.context.is_some());
            (parts & !ctx_parts::MAP == 0 && !hooked).then_some(parts)
        });
        for (index, item) in items.iter().enumerate() {
            let v = match &cx.state.parameters {
                Some(_) if let Some((t, parts)) = map_only => {
                    let ctx = if parts == 0 || !self.reads_context {
                        Value::Null
                    } else {
                        json!({"Map": {"Item": {"Index": index, "Value": item}}})
                    };
                    let env = Env {
                        input: after_input,
                        context: &ctx,
                        vars: &th.vars,
                    };
                    let mut rng = Rng64(self.rng.next_u64());
                    data_flow::template(t, &env, &mut rng)
                        .map_err(|e| Stop::Fail(e.in_state(&cx.state.name, cx.entered)))?
                }
                // `$states.context.Map.Item` given by reference: the item is not copied into a
                // context object for every item.
                Some(_) if let Some(parts) = jsonata_map_only => {
                    let index_value = Value::from(index);
                    let item_members = [
                        ("Index", Binding::Value(&index_value)),
                        ("Value", Binding::Value(item)),
                    ];
                    let map_members = [("Item", Binding::Members(&item_members))];
                    let context_members = [("Map", Binding::Members(&map_members))];
                    let context = if parts == 0 || !self.reads_context {
                        Binding::Value(&Value::Null)
                    } else {
                        Binding::Members(&context_members)
                    };
                    self.jsonata_in(
                        cx,
                        th,
                        selector_template.as_ref(),
                        "ItemSelector",
                        "ItemSelector",
                        &[],
                        context,
                    )?
                }
                Some(t) => {
                    let saved = th
                        .map
                        .replace(json!({"Item": {"Index": index, "Value": item}}));
                    let r = if cx.state.query_language == QueryLanguage::Jsonata {
                        let t =
                            jsonata_bridge::compiled(cx.state.jsonata.item_selector.as_ref(), t);
                        self.jsonata_field(cx, th, &t, "ItemSelector", &[])
                    } else if let Some(t) = &cx.state.jsonpath.parameters {
                        self.jsonpath_template(cx, th, t, after_input)
                    } else {
                        Ok(item.clone())
                    };
                    th.map = saved;
                    r?
                }
                None => item.clone(),
            };
            selected.push(v);
        }
        if self.opts.inspect {
            let t = self.texts.of(selected.as_slice());
            self.inspect(cx, |i| i.after_item_selector = Some(Payload(t)));
        }
        let Some(batcher) = &spec.item_batcher else {
            return Ok(selected);
        };
        let max_items = batcher
            .get("MaxItemsPerBatch")
            .and_then(Value::as_u64)
            .unwrap_or(u64::MAX)
            .max(1);
        let batch_input = match batcher.get("BatchInput") {
            Some(t) if cx.state.query_language == QueryLanguage::Jsonata => {
                let t = jsonata_bridge::compiled(cx.state.jsonata.batch_input.as_ref(), t);
                Some(self.jsonata_field(cx, th, &t, "ItemBatcher/BatchInput", &[])?)
            }
            Some(_) => match &cx.state.jsonpath.batch_input {
                Some(t) => Some(self.jsonpath_template(cx, th, t, after_input)?),
                None => None,
            },
            None => None,
        };
        let chunk = usize::try_from(max_items).unwrap_or(usize::MAX);
        Ok(selected
            .chunks(chunk)
            .map(|c| {
                let mut m = Map::new();
                if let Some(b) = &batch_input {
                    m.insert("BatchInput".into(), b.clone());
                }
                m.insert("Items".into(), Value::Array(c.to_vec()));
                Value::Object(m)
            })
            .collect())
    }
}

impl<'o> Interp<'o> {
    /// TestState: the mocked result of a Map or Parallel (checked against the number of branches,
    /// or the tolerated failures of `stateConfiguration.mapIterationFailureCount`), or its error.
    fn test_result(
        &self,
        total: usize,
        tolerance: Option<(Option<f64>, Option<f64>)>,
    ) -> Result<Option<Value>, Stop> {
        let Some(hooks) = &self.test else {
            return Ok(None);
        };
        if let Some(f) = &hooks.error {
            return Err(Stop::Fail(f.clone()));
        }
        if let (Some((count, pct)), Some(failures)) = (tolerance, hooks.map_iteration_failure_count)
        {
            let failed = failures as f64;
            let share = if total == 0 {
                0.0
            } else {
                failed * 100.0 / total as f64
            };
            if failures > 0 && failed > count.unwrap_or(0.0) && share > pct.unwrap_or(0.0) {
                return Err(Stop::Fail(Failure::new(
                    "States.ExceedToleratedFailureThreshold",
                    "The specified tolerated failure threshold was exceeded",
                )));
            }
        }
        Ok(hooks.result.clone())
    }
}

/// One attempt of a Parallel state: every branch gets the effective input, and the branches run
/// concurrently on the virtual clock.
pub(crate) async fn parallel<'o>(
    rt: Rt<'_, 'o>,
    cx: &mut Cx<'_, 'o>,
    spec: &ParallelSpec,
    th: &mut Thread,
) -> Result<Value, Stop> {
    let (effective, effective_text, resumed, started) = {
        let mut it = rt.borrow_mut();
        let effective = it.effective_input_ref(cx, th)?;
        // Without InputPath or Parameters the branches' input is the state's: its text is the
        // Entered event's, and each branch's first state records it without serialising again.
        let text = match &effective {
            Cow::Borrowed(_) => Some(cx.input_text.clone()),
            Cow::Owned(_) => None,
        };
        // The state's input itself when unchanged: borrowed stays borrowed, and each branch's
        // copy costs nothing then.
        let effective: Flow<'o> = match effective {
            Cow::Borrowed(_) => cx.input.clone(),
            Cow::Owned(v) => Cow::Owned(v),
        };
        if let Some(r) = it.test_result(spec.branches.len(), None)? {
            return Ok(r);
        }
        // A Parallel that a redrive resumes was started already: its branches follow that event.
        let resumed = it.take_resumed(cx.entered);
        let started = match &resumed {
            Some(r) => {
                th.prev = r.started;
                r.started
            }
            None => it.emit(th, EventKind::ParallelStateStarted, None)?,
        };
        it.note_started(cx.entered, started, spec.branches.len());
        (effective, text, resumed, started)
    };
    let last = spec.branches.len().saturating_sub(1);
    let mut effective = Some(effective);
    let plan = Plan {
        children: spec.branches.len(),
        max_concurrency: 0,
        tolerated: (None, None),
        map_name: None,
        detached: false,
    };
    // Each branch's output text (its last state's Exited event's), once it has succeeded.
    let ends: RefCell<Vec<Option<Text>>> = RefCell::new(vec![None; spec.branches.len()]);
    let ends_ref = &ends;
    let vars = &th.vars;
    let (fanned, _) = fan_out(rt, th, &plan, |birth| {
        let mut bth = Thread::child(birth.fiber, birth.prev, vars.clone(), None);
        bth.scope = Some((started, birth.index));
        // Every branch gets a copy of the input; the last one gets the input itself.
        let input = if birth.index == last {
            effective.take()
        } else {
            effective.clone()
        };
        let input_text = effective_text.clone();
        let index = birth.index;
        let branch = spec.branches.get(index);
        let redo = resumed
            .as_ref()
            .and_then(|r| r.children.get(index))
            .cloned();
        Box::pin(async move {
            let branch = branch.ok_or_else(|| {
                Stop::Halt(Failure::new("States.Runtime", "A branch is missing."))
            })?;
            let output = match redo {
                // Redriven: a branch that succeeded keeps its output.
                Some(ChildPlan::Done(v)) => return Ok(v),
                Some(ChildPlan::Resume(p)) => resume_machine(rt, branch, *p, &mut bth).await?,
                _ => {
                    run_machine(rt, branch, input.unwrap_or_default(), input_text, &mut bth).await?
                }
            }
            .into_owned();
            rt.borrow_mut().child_done(bth.scope, &output);
            // The branch's last state has just set its output text (no await in between).
            let text = rt.borrow_mut().end_text.take();
            if let Some(slot) = ends_ref.borrow_mut().get_mut(index) {
                *slot = text;
            }
            Ok(output)
        })
    })
    .await?;
    // ParallelStateSucceeded follows ParallelStateStarted (th.prev is left as it was).
    let results = match fanned {
        Fanned::Failed(f) => return Err(Stop::Fail(f)),
        Fanned::All(all) => all
            .into_iter()
            .map(|r| r.map_err(Stop::Fail))
            .collect::<Result<Vec<_>, _>>()?,
    };
    let mut it = rt.borrow_mut();
    it.emit(th, EventKind::ParallelStateSucceeded, None)?;
    // The result's text is the branches' output texts in a JSON array, which is what
    // serialising the result would write: the state's output text when it is the result
    // unchanged (see `leave_state`), made without serialising the branches' outputs again.
    let ends = ends.into_inner();
    it.result_text = match ends
        .iter()
        .map(Option::as_ref)
        .collect::<Option<Vec<&Text>>>()
    {
        Some(texts) => {
            let mut joined =
                String::with_capacity(texts.iter().map(|t| t.len() + 1).sum::<usize>() + 2);
            joined.push('[');
            for (i, t) in texts.iter().enumerate() {
                if i > 0 {
                    joined.push(',');
                }
                joined.push_str(t);
            }
            joined.push(']');
            Some(it.texts.intern(&joined))
        }
        None => None,
    };
    Ok(Value::Array(results))
}

/// A Map attempt's iterations to run.
struct Prepared {
    items: Vec<Value>,
    inputs: Vec<Value>,
    max_concurrency: Option<f64>,
    tolerated: (Option<f64>, Option<f64>),
    /// Its `MapStateStarted` event.
    started: u64,
    /// A Distributed Map's run: its ARN and id.
    map_run: Option<(String, String)>,
}

/// One attempt of a Map state: its iterations run concurrently on the virtual clock (at most
/// `MaxConcurrency`, and 40 for an inline Map).
pub(crate) async fn map<'o>(
    rt: Rt<'_, 'o>,
    cx: &mut Cx<'_, 'o>,
    spec: &MapSpec,
    th: &mut Thread,
) -> Result<Value, Stop> {
    let resumed = rt.borrow_mut().take_resumed(cx.entered);
    let prepared = {
        let started = resumed.as_ref().map(|r| r.started);
        match rt.borrow_mut().map_prepare(cx, spec, th, started)? {
            Ok(p) => p,
            Err(result) => return Ok(result),
        }
    };
    let Prepared {
        items,
        inputs,
        max_concurrency,
        tolerated,
        started,
        map_run,
    } = prepared;
    // A ResultWriter records each child execution: its input and when it ran.
    let writing = spec.distributed && spec.result_writer.is_some();
    let kept_inputs = if writing { inputs.clone() } else { Vec::new() };
    let times: RefCell<Vec<(i64, i64)>> = RefCell::new(vec![(0, 0); inputs.len()]);
    let times_ref = &times;
    // The Map's name, shared by every iteration's events.
    let map_name = super::super::history::shared(&cx.state.name);
    // An inline Map runs at most 40 iterations at a time, whatever MaxConcurrency says (0 or
    // absent included): AWS's documented limit. A distributed one goes as high as asked.
    let asked = max_concurrency.map_or(0, |k| k as usize);
    let max_concurrency = match (spec.distributed, asked) {
        (true, k) => k,
        (false, 0) => INLINE_MAP_CONCURRENCY,
        (false, k) => k.min(INLINE_MAP_CONCURRENCY),
    };
    let plan = Plan {
        children: inputs.len(),
        max_concurrency,
        tolerated,
        map_name: Some(map_name.clone()),
        detached: spec.distributed,
    };
    // The items are moved into their iterations' `$$.Map.Item.Value`, not copied.
    let mut items = items.into_iter();
    let mut inputs = inputs.into_iter();
    let vars = &th.vars;
    let map_name = &map_name;
    let (fanned, prev) = fan_out(rt, th, &plan, |birth| {
        let item = items.next().unwrap_or(Value::Null);
        let input = inputs.next().unwrap_or(Value::Null);
        let index = birth.index;
        let map_ctx = json!({"Item": {"Index": index, "Value": item}});
        let mut ith = Thread::child(birth.fiber, birth.prev, vars.clone(), Some(map_ctx));
        ith.scope = Some((started, index));
        // Redriven: an iteration that succeeded keeps its output; one that stopped in a state
        // goes on from there.
        let redo = resumed
            .as_ref()
            .and_then(|r| r.children.get(index))
            .cloned();
        let redo = match redo {
            Some(ChildPlan::Done(v)) => return Box::pin(async move { Ok(v) }),
            Some(ChildPlan::Resume(p)) => Some(*p),
            _ => None,
        };
        if spec.distributed {
            // A child execution: its events are in its own history, not the parent's.
            ith.detached = Some(0);
            ith.prev = 0;
            return Box::pin(async move {
                let start = rt.borrow().clock;
                let r = run_machine(rt, &spec.processor, Cow::Owned(input), None, &mut ith)
                    .await
                    .map(Cow::into_owned);
                if let Ok(v) = &r {
                    rt.borrow_mut().child_done(ith.scope, v);
                }
                if writing && let Some(t) = times_ref.borrow_mut().get_mut(index) {
                    *t = (start, rt.borrow().clock);
                }
                r
            });
        }
        Box::pin(async move {
            let details = || {
                [
                    ("name", Field::Str(map_name.clone())),
                    ("index", Field::Num(index as u64)),
                ]
            };
            rt.borrow_mut()
                .emit_fields(&mut ith, EventKind::MapIterationStarted, details())?;
            iteration_start(rt).await;
            let r = match redo {
                Some(p) => resume_machine(rt, &spec.processor, p, &mut ith).await,
                None => run_machine(rt, &spec.processor, Cow::Owned(input), None, &mut ith).await,
            }
            .map(Cow::into_owned);
            if let Ok(v) = &r {
                rt.borrow_mut().child_done(ith.scope, v);
            }
            if matches!(r, Ok(_) | Err(Stop::Fail(_))) {
                step(rt).await;
            }
            let mut it = rt.borrow_mut();
            match &r {
                Ok(_) => it.emit_fields(&mut ith, EventKind::MapIterationSucceeded, details())?,
                Err(Stop::Fail(_)) => {
                    it.emit_fields(&mut ith, EventKind::MapIterationFailed, details())?
                }
                Err(Stop::Halt(_)) => 0,
            };
            r
        })
    })
    .await?;
    let mut it = rt.borrow_mut();
    th.prev = prev;
    let outcomes = match fanned {
        Fanned::All(all) => all,
        Fanned::Failed(f) => {
            let f = if tolerated.0.is_some() || tolerated.1.is_some() {
                Failure::new(
                    "States.ExceedToleratedFailureThreshold",
                    "The specified tolerated failure threshold was exceeded",
                )
            } else {
                f
            };
            if spec.distributed {
                let mut d = Map::new();
                d.insert("error".into(), json!(f.error));
                d.insert("cause".into(), json!(f.cause));
                it.emit(th, EventKind::MapRunFailed, Some(Value::Object(d)))?;
            }
            return Err(Stop::Fail(f));
        }
    };
    if writing && let Some(run) = &map_run {
        let times = times.into_inner();
        let children = outcomes
            .into_iter()
            .zip(kept_inputs)
            .zip(times)
            .map(
                |((outcome, input), (start, stop))| super::result_writer::Child {
                    input,
                    outcome,
                    start,
                    stop,
                },
            )
            .collect();
        let result = match it.write_results(cx, th, spec, run, children) {
            Ok(v) => v,
            Err(WriteStop::State(stop)) => return Err(stop),
            Err(WriteStop::Run(cause)) => {
                let details = json!({"error": WRITER_FAILED, "cause": cause});
                it.emit(th, EventKind::MapRunFailed, Some(details))?;
                return Err(Stop::Fail(Failure::new(WRITER_FAILED, cause)));
            }
        };
        it.emit(th, EventKind::MapRunSucceeded, None)?;
        it.emit(th, EventKind::MapStateSucceeded, None)?;
        return Ok(result);
    }
    let results = outcomes
        .into_iter()
        .map(|r| match r {
            Ok(v) => v,
            Err(f) => {
                let mut err = Map::new();
                err.insert("Error".into(), json!(f.error));
                err.insert("Cause".into(), json!(f.cause));
                Value::Object(err)
            }
        })
        .collect();
    if spec.distributed {
        it.emit(th, EventKind::MapRunSucceeded, None)?;
    }
    it.emit(th, EventKind::MapStateSucceeded, None)?;
    Ok(Value::Array(results))
}
