//! The executor's view of JSONata: `{% … %}` templates evaluated over `$states` and variables.

use super::choice::Rule;
use super::compile::ctx_parts;
use super::definition::{Kind, NumberField, QueryLanguage, State, WaitSpec};
use super::errors::StepError;
use crate::jsonata;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

/// One `{% … %}` expression a state evaluated, with what it produced: recorded for the app's
/// inspector when [`ExecutionOptions::trace_expressions`](super::ExecutionOptions) is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EvaluatedExpression {
    /// Where the expression sits in the state: `Arguments.orderId`, `Output`, `Assign.total`,
    /// `Choices[1].Condition`, `Items`, `Catch[0].Output`, …
    pub field: String,
    /// The expression's text, between `{%` and `%}`.
    pub expression: String,
    /// What it evaluated to (absent when it failed).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub value: Option<Value>,
    /// The error it raised (`States.QueryEvaluationError`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub error: Option<String>,
    /// The error's message.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::present"
    )]
    pub cause: Option<String>,
    /// Id of the last history event recorded before it was evaluated: a replay shows it from
    /// that event on.
    pub after_event_id: u64,
}

/// Whether a string is a JSONata expression (`{% … %}` at the very start and end).
pub(crate) fn expression(text: &str) -> Option<&str> {
    jsonata::template_expression(text)
}

/// A JSONata template of a state, compiled when the definition is read: literals kept as
/// values, each `{% … %}` string as its parsed expression.
#[derive(Debug, Clone)]
pub(crate) enum Template {
    /// A value without expressions, given as it is.
    Literal(Value),
    /// A `{% … %}` string.
    Expr(Arc<Compiled>),
    /// An object with an expression somewhere inside, member by member, in order.
    Object(Vec<(String, Template)>),
    /// An array with an expression somewhere inside.
    Array(Vec<Template>),
}

/// One `{% … %}` expression: its text (for messages and the inspector) and its parse.
#[derive(Debug)]
pub(crate) struct Compiled {
    text: String,
    /// Parsed when the definition is read. A build whose JSONata engine is another module
    /// parses on first use instead (the module may still be loading when the definition is
    /// read), once: only "engine not here yet" (`U0000`) is not kept.
    parsed: OnceLock<Result<jsonata::Expression, jsonata::JsonataError>>,
}

impl Compiled {
    fn new(text: &str) -> Compiled {
        let c = Compiled {
            text: text.to_owned(),
            parsed: OnceLock::new(),
        };
        if jsonata::BUILT_IN {
            let _ = c.expression();
        }
        c
    }

    /// The parsed expression, or why it does not parse.
    fn expression(&self) -> Result<&jsonata::Expression, jsonata::JsonataError> {
        if let Some(r) = self.parsed.get() {
            return r.as_ref().map_err(Clone::clone);
        }
        match jsonata::Expression::parse(&self.text) {
            Err(e) if e.code == "U0000" => Err(e),
            r => self.parsed.get_or_init(|| r).as_ref().map_err(Clone::clone),
        }
    }
}

impl Template {
    /// Compiles a template value: strings `{% … %}` are expressions, objects and arrays with
    /// one inside are compiled member by member, anything else is a literal.
    pub(crate) fn compile(v: &Value) -> Template {
        match v {
            Value::String(s) => match expression(s) {
                Some(e) => Template::Expr(Arc::new(Compiled::new(e))),
                None => Template::Literal(v.clone()),
            },
            Value::Object(map) if has_expression(v) => Template::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Template::compile(v)))
                    .collect(),
            ),
            Value::Array(items) if has_expression(v) => {
                Template::Array(items.iter().map(Template::compile).collect())
            }
            other => Template::Literal(other.clone()),
        }
    }

    /// What the template may read of the context object, for the whole definition: as
    /// [`Template::context_parts`], except that an expression not parsed yet (the JSONata
    /// engine is another module, still loading) may read anything.
    pub(crate) fn definition_reads(&self) -> u8 {
        match self {
            Template::Literal(_) => 0,
            Template::Expr(c) => match c.parsed.get() {
                Some(Ok(e)) => context_parts(e.reads()),
                Some(Err(_)) => 0,
                None => ctx_parts::ALL | ctx_parts::EXECUTION_INPUT,
            },
            Template::Object(members) => {
                members.iter().fold(0, |p, (_, t)| p | t.definition_reads())
            }
            Template::Array(items) => items.iter().fold(0, |p, t| p | t.definition_reads()),
        }
    }

    /// The members of the context object (`$states.context`) the template may read, as
    /// [`ctx_parts`] bits.
    pub(crate) fn context_parts(&self) -> u8 {
        match self {
            Template::Literal(_) => 0,
            Template::Expr(c) => match c.expression() {
                Ok(e) => context_parts(e.reads()),
                Err(_) => 0,
            },
            Template::Object(members) => members.iter().fold(0, |p, (_, t)| p | t.context_parts()),
            Template::Array(items) => items.iter().fold(0, |p, t| p | t.context_parts()),
        }
    }
}

fn has_expression(v: &Value) -> bool {
    match v {
        Value::String(s) => expression(s).is_some(),
        Value::Object(map) => map.values().any(has_expression),
        Value::Array(items) => items.iter().any(has_expression),
        _ => false,
    }
}

/// The context members `reads` may read of `$states.context`.
fn context_parts(reads: &jsonata::Reads) -> u8 {
    if reads.every_binding() {
        return ctx_parts::ALL | ctx_parts::EXECUTION_INPUT;
    }
    let Some(context) = reads.binding("states").and_then(|r| r.field("context")) else {
        return 0;
    };
    match context {
        jsonata::Read::Whole => ctx_parts::ALL | ctx_parts::EXECUTION_INPUT,
        jsonata::Read::Fields(fields) => fields.iter().fold(0, |p, (k, read)| {
            p | match k.as_str() {
                "Execution" if read.field("Input").is_some() => {
                    ctx_parts::EXECUTION | ctx_parts::EXECUTION_INPUT
                }
                "Execution" => ctx_parts::EXECUTION,
                "StateMachine" => ctx_parts::STATE_MACHINE,
                "State" => ctx_parts::STATE,
                "Map" => ctx_parts::MAP,
                "Task" => ctx_parts::TASK,
                _ => 0,
            }
        }),
    }
}

/// The JSONata templates of one state, compiled when the definition is read (none for a
/// JSONPath state). Each is there exactly when the definition's field is.
#[derive(Debug, Clone, Default)]
pub(crate) struct JsonataFields {
    pub(crate) arguments: Option<Template>,
    pub(crate) output: Option<Template>,
    pub(crate) assign: Option<Template>,
    /// A Map's `ItemSelector`.
    pub(crate) item_selector: Option<Template>,
    pub(crate) items: Option<Template>,
    /// `ItemBatcher.BatchInput`.
    pub(crate) batch_input: Option<Template>,
    pub(crate) max_concurrency: Option<Template>,
    pub(crate) tolerated_failure_percentage: Option<Template>,
    pub(crate) tolerated_failure_count: Option<Template>,
    /// `ItemReader.Arguments`.
    pub(crate) item_reader: Option<Template>,
    /// `ItemReader.ReaderConfig.MaxItems`.
    pub(crate) max_items: Option<Template>,
    /// `ResultWriter.Arguments`.
    pub(crate) result_writer: Option<Template>,
    pub(crate) timeout: Option<Template>,
    pub(crate) heartbeat: Option<Template>,
    /// A Wait's `Seconds` or `Timestamp`.
    pub(crate) wait: Option<Template>,
    /// A Fail's `Error` and `Cause`.
    pub(crate) error: Option<Template>,
    pub(crate) cause: Option<Template>,
    /// Per choice rule: `Condition`, `Output`, `Assign`.
    pub(crate) choices: Vec<[Option<Template>; 3]>,
    /// Per catcher: `Output`, `Assign`.
    pub(crate) catch: Vec<[Option<Template>; 2]>,
}

impl JsonataFields {
    /// What the templates may read of the context object, for the whole definition
    /// ([`Template::definition_reads`]).
    pub(crate) fn context_reads(&self) -> u8 {
        let t = |t: &Option<Template>| t.as_ref().map_or(0, Template::definition_reads);
        [
            &self.arguments,
            &self.output,
            &self.assign,
            &self.item_selector,
            &self.items,
            &self.batch_input,
            &self.max_concurrency,
            &self.tolerated_failure_percentage,
            &self.tolerated_failure_count,
            &self.item_reader,
            &self.max_items,
            &self.result_writer,
            &self.timeout,
            &self.heartbeat,
            &self.wait,
            &self.error,
            &self.cause,
        ]
        .into_iter()
        .chain(self.choices.iter().flatten())
        .chain(self.catch.iter().flatten())
        .fold(0, |p, f| p | t(f))
    }

    /// Compiles the JSONata templates of `state` (nothing for a JSONPath state).
    pub(crate) fn of(state: &State) -> JsonataFields {
        if state.query_language != QueryLanguage::Jsonata {
            return JsonataFields::default();
        }
        let t = |v: &Option<Value>| v.as_ref().map(Template::compile);
        let n = |f: &Option<NumberField>| match f {
            Some(NumberField::Value(v)) => Some(Template::compile(v)),
            _ => None,
        };
        let mut fields = JsonataFields {
            arguments: t(&state.arguments),
            output: t(&state.output),
            assign: t(&state.assign),
            catch: state
                .catch
                .iter()
                .map(|c| [t(&c.output), t(&c.assign)])
                .collect(),
            ..JsonataFields::default()
        };
        match &state.kind {
            Kind::Map(m) => {
                fields.item_selector = t(&state.parameters);
                fields.items = t(&m.items);
                fields.batch_input = m
                    .item_batcher
                    .as_ref()
                    .and_then(|b| b.get("BatchInput"))
                    .map(Template::compile);
                fields.max_concurrency = n(&m.max_concurrency);
                fields.tolerated_failure_percentage = n(&m.tolerated_failure_percentage);
                fields.tolerated_failure_count = n(&m.tolerated_failure_count);
                let member = |f: &Option<Value>, path: &[&str]| {
                    let mut v = f.as_ref();
                    for p in path {
                        v = v.and_then(|v| v.get(p));
                    }
                    v.map(Template::compile)
                };
                fields.item_reader = member(&m.item_reader, &["Arguments"]);
                fields.max_items = member(&m.item_reader, &["ReaderConfig", "MaxItems"]);
                fields.result_writer = member(&m.result_writer, &["Arguments"]);
            }
            Kind::Task(task) => {
                fields.timeout = n(&task.timeout);
                fields.heartbeat = n(&task.heartbeat);
            }
            Kind::Wait(WaitSpec::Seconds(v) | WaitSpec::Timestamp(v)) => {
                fields.wait = Some(Template::compile(v));
            }
            Kind::Fail(f) => {
                fields.error = t(&f.error);
                fields.cause = t(&f.cause);
            }
            Kind::Choice(spec) => {
                fields.choices = spec
                    .choices
                    .iter()
                    .map(|c| {
                        let condition = match &c.rule {
                            Rule::Condition(v) => Some(Template::compile(v)),
                            _ => None,
                        };
                        [condition, t(&c.output), t(&c.assign)]
                    })
                    .collect();
            }
            _ => {}
        }
        fields
    }
}

/// The compiled template of a field, or (never expected: every JSONata field is compiled with
/// its state) the field compiled now.
pub(crate) fn compiled<'t>(t: Option<&'t Template>, v: &Value) -> Cow<'t, Template> {
    match t {
        Some(t) => Cow::Borrowed(t),
        None => Cow::Owned(Template::compile(v)),
    }
}

/// What JSONata expressions can read: `$states` as its members by reference, the variables.
pub(crate) struct JsonataEnv<'a> {
    pub(crate) bindings: jsonata::Bindings<'a>,
    /// Seed for `$random` / `$uuid`.
    pub(crate) seed: u64,
    /// The virtual clock, for `$now()` and `$millis()`.
    pub(crate) now: i64,
}

/// Evaluates a template: expressions over `env`, literals as they are. `field` names the place
/// for error messages (`Output/result`). With a trace, each expression is recorded with its
/// value or error.
pub(crate) fn template(
    t: &Template,
    env: &JsonataEnv<'_>,
    field: &str,
    trace: Option<&mut Vec<EvaluatedExpression>>,
) -> Result<Value, StepError> {
    let mut at = String::with_capacity(field.len() + 16);
    at.push_str(field);
    template_at(t, env, &mut at, trace)
}

/// [`template`], with the place of `t` in `at` (a member's name or an item's index is added
/// while it is evaluated, and taken off after: no string is made per member).
fn template_at(
    t: &Template,
    env: &JsonataEnv<'_>,
    at: &mut String,
    mut trace: Option<&mut Vec<EvaluatedExpression>>,
) -> Result<Value, StepError> {
    match t {
        Template::Literal(v) => Ok(v.clone()),
        Template::Expr(c) => {
            let r = evaluate(c, env, at);
            if let Some(out) = trace {
                let (value, error, cause) = match &r {
                    Ok(v) => (Some(v.clone()), None, None),
                    Err(e) => (None, Some(e.error.clone()), Some(e.detail.clone())),
                };
                out.push(EvaluatedExpression {
                    field: at.replace('/', "."),
                    expression: c.text.clone(),
                    value,
                    error,
                    cause,
                    after_event_id: 0,
                });
            }
            r
        }
        Template::Object(members) => {
            let mut out = Map::with_capacity(members.len());
            let len = at.len();
            for (k, v) in members {
                at.push('/');
                at.push_str(k);
                let r = template_at(v, env, at, trace.as_deref_mut());
                at.truncate(len);
                out.insert(k.clone(), r?);
            }
            Ok(Value::Object(out))
        }
        Template::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let len = at.len();
            for (i, v) in items.iter().enumerate() {
                use std::fmt::Write;
                let _ = write!(at, "[{i}]");
                let r = template_at(v, env, at, trace.as_deref_mut());
                at.truncate(len);
                out.push(r?);
            }
            Ok(Value::Array(out))
        }
    }
}

/// Evaluates one expression of a template; undefined and function values are errors, as AWS
/// reports them.
fn evaluate(c: &Compiled, env: &JsonataEnv<'_>, field: &str) -> Result<Value, StepError> {
    let expr = &c.text;
    let mut aws = jsonata::AwsEnv::new(env.seed).with_now(env.now);
    let r = c
        .expression()
        .and_then(|e| Ok((e.evaluate_in(None, &env.bindings, &mut aws)?, e)));
    match r {
        Ok((Some(v), _)) => Ok(v),
        // A function value comes back as undefined; AWS names it differently.
        Ok((None, e)) if e.returns_function() => Err(StepError::query(format!(
            "The JSONata expression '{expr}' specified for the field '{field}' returned an unsupported result type."
        ))),
        Ok((None, _)) => Err(StepError::query(format!(
            "The JSONata expression '{expr}' specified for the field '{field}' returned nothing (undefined)."
        ))),
        Err(e) => Err(StepError::query(format!(
            "The JSONata expression '{expr}' specified for the field '{field}' threw an error during evaluation. {}: {}",
            e.code, e.message
        ))),
    }
}
