//! The JS API's functions on plain Rust values: inputs in, JSON out, [`ApiError`] on rejection.
//! The wasm layer (`lib.rs`) only converts JS values to [`Input`] and JSON back to JS, so every
//! behaviour here is tested natively.

use crate::error::{ApiError, ErrorKind};
use crate::input::{Input, locate};
use serde::Deserialize;
use serde_json::{Value, json};
use statebridge_engine::asl::callbacks::{Callbacks, Unanswered};
use statebridge_engine::asl::exec::{Execution, ExecutionOptions};
use statebridge_engine::asl::mocks::Mocks;
use statebridge_engine::asl::s3::S3Objects;
use statebridge_engine::asl::test_state::{self, TestStateError, TestStateRequest};
use statebridge_engine::asl::{self, StateMachine, time};
use statebridge_engine::bus::{Bus, BusError, BusProblem};
use statebridge_engine::pattern::{Explanation, Pattern};
use statebridge_engine::put_events::{self, Envelope, PutEventsError, Shape};
use statebridge_engine::transform::Context;

/// Reads an event pattern; text errors carry the line and column.
pub fn pattern(input: Input) -> Result<Pattern, ApiError> {
    match input {
        Input::Text(text) => {
            Pattern::check_size(&text).map_err(|e| ApiError::pattern("pattern", &e))?;
            text.parse().map_err(|e| ApiError::pattern("pattern", &e))
        }
        Input::Value(value) => Pattern::parse(&value).map_err(|e| ApiError::pattern("pattern", &e)),
    }
}

/// Reads an event and refuses one over EventBridge's 256 KiB entry limit (`kind: "tooLarge"`).
fn event_value(event: Input) -> Result<Value, ApiError> {
    let value = event.value("event")?;
    statebridge_engine::size::check_event(&value)
        .map_err(|e| ApiError::new(ErrorKind::TooLarge, "event", format!("event: {e}")))?;
    Ok(value)
}

/// Whether the event matches the pattern.
pub fn matches(pattern_in: Input, event: Input) -> Result<bool, ApiError> {
    let p = pattern(pattern_in)?;
    Ok(p.matches(&event_value(event)?))
}

/// Why the event matches the pattern or not, field by field.
pub fn explain(pattern_in: Input, event: Input) -> Result<Value, ApiError> {
    let p = pattern(pattern_in)?;
    Ok(explanation(&p.explain(&event_value(event)?)))
}

/// The explanation in the documented shape (camelCase, with the reasons in words).
fn explanation(e: &Explanation) -> Value {
    let fields: Vec<Value> = e
        .fields
        .iter()
        .map(|f| {
            json!({
                "path": f.path, "pointer": f.pointer, "matched": f.matched, "values": f.values,
                "wanted": f.wanted, "pattern": f.pattern, "reason": f.reason(),
            })
        })
        .collect();
    let ors: Vec<Value> = e
        .ors
        .iter()
        .map(|o| {
            let alternatives: Vec<Value> = o.alternatives.iter().map(explanation).collect();
            json!({"pointer": o.pointer, "matched": o.matched, "closest": o.closest, "alternatives": alternatives})
        })
        .collect();
    json!({
        "matched": e.matched, "message": e.to_string(), "reasons": e.reasons(),
        "fields": fields, "ors": ors, "arrayMismatch": e.array_mismatch,
    })
}

/// Every problem of a definition: `{valid, diagnostics}`; never throws for a bad definition.
pub fn validate(definition: Input) -> Value {
    let diagnostics = match definition {
        Input::Text(text) => asl::validate(&text),
        Input::Value(value) => asl::validate_value(&value),
    };
    json!({"valid": diagnostics.is_empty(), "diagnostics": diagnostics})
}

/// Reads and validates a definition.
pub fn machine(definition: Input) -> Result<StateMachine, ApiError> {
    match definition {
        Input::Text(text) => text
            .parse()
            .map_err(|d| ApiError::definition("definition", d)),
        Input::Value(value) => {
            StateMachine::from_value(&value).map_err(|d| ApiError::definition("definition", d))
        }
    }
}

/// The options of `run`, as the caller writes them (unknown names are rejected: a typo would
/// otherwise be silently ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawRunOptions {
    mocks: Option<Value>,
    test_case: Option<String>,
    start_time: Option<String>,
    seed: Option<u64>,
    history: Option<bool>,
    max_steps: Option<u64>,
    name: Option<String>,
    state_machine_name: Option<String>,
    callbacks: Option<Value>,
    pause_on_callbacks: Option<bool>,
    redrives: Option<u32>,
    #[serde(rename = "type")]
    machine_type: Option<String>,
    s3: Option<Value>,
}

/// Runs a definition on an input: `{status, output?, error?, cause?, paused?, history?}`.
///
/// `options` is `null` or an object: `mocks` (either mock format, as a value or JSON text),
/// `testCase`, `startTime` (RFC 3339), `seed`, `history` (default true), `maxSteps`, `name`,
/// `stateMachineName`, `callbacks` (answers to task tokens: `[{at?, token | state, success |
/// failure | heartbeat}]`; a token with none waits as on AWS) and `pauseOnCallbacks` (a token
/// with no answer pauses the run instead: status `RUNNING`, `paused: {at, atSeconds, waiting}`;
/// run again with one more callback to go on), `redrives` (redrive it that many times while it
/// ends unsuccessfully: `redriveCount`, `attempts`, `redriveRefused`), `type` (`"EXPRESS"`:
/// five minutes at most, no `.sync`/`.waitForTaskToken`/activities, and `logs` — CloudWatch
/// Logs' events — instead of `history`) and `s3` (the S3 objects a Distributed Map's
/// `ItemReader` reads, `{bucket: {key: content}}`; what its `ResultWriter` writes comes back as
/// `s3Written` in the same shape).
pub fn run(definition: Input, input: Input, options: Option<Value>) -> Result<Value, ApiError> {
    let raw: RawRunOptions = match options {
        None | Some(Value::Null) => RawRunOptions::default(),
        Some(v) => serde_json::from_value(v)
            .map_err(|e| ApiError::new(ErrorKind::Options, "options", format!("options: {e}")))?,
    };
    let express = match raw.machine_type.as_deref() {
        None | Some("STANDARD") => false,
        Some("EXPRESS") => true,
        Some(other) => {
            let msg =
                format!("options.type {other:?} is not a state machine type (STANDARD or EXPRESS)");
            return Err(ApiError::new(ErrorKind::Options, "options.type", msg));
        }
    };
    let machine = machine(definition)?;
    let refused = statebridge_engine::asl::express::problems(&machine);
    if express && !refused.is_empty() {
        return Err(ApiError::definition(
            "definition",
            statebridge_engine::asl::Diagnostics(refused),
        ));
    }
    let input = input.value("input")?;
    let mut opts = ExecutionOptions {
        redrives: raw.redrives.unwrap_or(0),
        express,
        ..ExecutionOptions::default()
    };
    if let Some(m) = raw.mocks {
        let m = match m {
            Value::String(text) => Input::Text(text),
            other => Input::Value(other),
        };
        let (value, map) = m.parse("options.mocks")?;
        opts.mocks = Mocks::from_value(&value, raw.test_case.as_deref())
            .map_err(|e| locate(ApiError::mocks("options.mocks", &e), map.as_ref()))?;
    } else if raw.test_case.is_some() {
        return Err(ApiError::new(
            ErrorKind::Options,
            "options.testCase",
            "options.testCase needs options.mocks",
        ));
    }
    if let Some(t) = raw.start_time {
        if time::parse_rfc3339(&t).is_none() {
            let msg = format!(
                "options.startTime {t:?} is not an RFC 3339 time such as 2026-01-01T00:00:00Z"
            );
            return Err(ApiError::new(ErrorKind::Options, "options.startTime", msg));
        }
        opts.start_time = t;
    }
    if let Some(c) = raw.callbacks {
        let c = match c {
            Value::String(text) => Input::Text(text),
            other => Input::Value(other),
        };
        let (value, map) = c.parse("options.callbacks")?;
        opts.callbacks = Callbacks::from_value(&value).map_err(|e| {
            let err = ApiError::new(ErrorKind::Options, "options.callbacks", e.to_string())
                .at(&e.pointer);
            locate(err, map.as_ref())
        })?;
    }
    if raw.pause_on_callbacks == Some(true) {
        opts.callbacks.unanswered = Unanswered::Pause;
    }
    if let Some(s3) = raw.s3 {
        let s3 = match s3 {
            Value::String(text) => Input::Text(text),
            other => Input::Value(other),
        };
        let (value, _) = s3.parse("options.s3")?;
        opts.s3 = S3Objects::from_value(&value)
            .map_err(|e| ApiError::new(ErrorKind::Options, "options.s3", format!("options.{e}")))?;
    }
    opts.seed = raw.seed.unwrap_or(opts.seed);
    opts.max_steps = raw.max_steps.unwrap_or(opts.max_steps);
    opts.name = raw.name.unwrap_or(opts.name);
    opts.state_machine_name = raw.state_machine_name.unwrap_or(opts.state_machine_name);
    let mut execution = Execution::new(&machine, input, opts);
    let outcome = execution.run_to_end();
    let mut out = serde_json::to_value(&outcome).unwrap_or_else(|_| json!({}));
    if let Some(paused) = execution.paused()
        && let Some(obj) = out.as_object_mut()
    {
        obj.insert(
            "paused".to_owned(),
            serde_json::to_value(paused).unwrap_or_default(),
        );
    }
    if raw.redrives.is_some_and(|n| n > 0)
        && let Some(obj) = out.as_object_mut()
    {
        let r = execution.redrives().clone();
        obj.insert("redriveCount".to_owned(), json!(r.count));
        obj.insert(
            "attempts".to_owned(),
            serde_json::to_value(&r.attempts).unwrap_or_default(),
        );
        if let Some(no) = r.refused {
            obj.insert(
                "redriveRefused".to_owned(),
                serde_json::to_value(no).unwrap_or_default(),
            );
        }
    }
    let written = execution.s3_written().to_value();
    if written.as_object().is_some_and(|o| !o.is_empty())
        && let Some(obj) = out.as_object_mut()
    {
        obj.insert("s3Written".to_owned(), written);
    }
    if raw.history.unwrap_or(true)
        && let Some(obj) = out.as_object_mut()
    {
        if express {
            // No execution history API for Express workflows: CloudWatch Logs' events.
            let arn = execution.options().execution_arn();
            obj.insert(
                "logs".to_owned(),
                Value::Array(statebridge_engine::asl::express::log_events(
                    execution.history(),
                    &arn,
                )),
            );
        } else {
            obj.insert(
                "history".to_owned(),
                serde_json::to_value(execution.history()).unwrap_or_default(),
            );
        }
    }
    Ok(out)
}

/// Runs one state as Step Functions' TestState API does: TestState's request (the members AWS
/// takes as JSON text may be values) in, its response (`status`, `output`, `error`, `cause`,
/// `nextState`, `inspectionData`) out. A request AWS refuses, or a malformed one, throws
/// `kind: "request"` (with the member's place); a definition with problems, `kind: "definition"`.
pub fn test_state(request: Input) -> Result<Value, ApiError> {
    let (value, map) = request.parse("request")?;
    let text_definition = value.get("definition").is_some_and(Value::is_string);
    let answer = TestStateRequest::from_value(&value).and_then(|r| test_state::test_state(&r));
    match answer {
        Ok(response) => Ok(serde_json::to_value(&response).unwrap_or_else(|_| json!({}))),
        Err(TestStateError::Request(m)) => Err(ApiError::new(
            ErrorKind::Request,
            "request",
            format!("TestState refuses the request: {m}"),
        )),
        Err(TestStateError::Field { pointer, message }) => {
            let error = ApiError::new(ErrorKind::Request, "request", message).at(&pointer);
            Err(locate(error, map.as_ref()))
        }
        Err(TestStateError::Definition(d)) => {
            let error = ApiError::definition("request", d);
            // A definition given as text keeps the line and column inside that text.
            Err(if text_definition {
                error
            } else {
                locate(error, map.as_ref())
            })
        }
    }
}

/// The options of `transform` and `route`: the rule's name and when the event arrived.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawDeliveryOptions {
    rule_name: Option<String>,
    ingestion_time: Option<String>,
}

fn delivery_options(options: Option<Value>) -> Result<RawDeliveryOptions, ApiError> {
    match options {
        None | Some(Value::Null) => Ok(RawDeliveryOptions::default()),
        Some(v) => serde_json::from_value(v)
            .map_err(|e| ApiError::new(ErrorKind::Options, "options", format!("options: {e}"))),
    }
}

/// What a target (`{InputPath}`, `{Input}`, `{InputTransformer}` or none of them) receives for
/// an event: `{text, json}` (`json` is null when the delivered text is not JSON).
///
/// `options` is `null` or `{ruleName, ingestionTime}` (for `<aws.events.rule-name>` and
/// `<aws.events.event.ingestion-time>`).
pub fn transform(target: Input, event: Input, options: Option<Value>) -> Result<Value, ApiError> {
    let raw = delivery_options(options)?;
    let target = target.value("target")?;
    let event = event_value(event)?;
    let mut ctx = match raw.rule_name {
        Some(name) => Context::for_rule(&name),
        None => Context::default(),
    };
    ctx.ingestion_time = raw.ingestion_time;
    let delivered = statebridge_engine::transform::transform(&target, &event, &ctx)
        .map_err(|e| ApiError::new(ErrorKind::Target, "target", format!("target: {e}")))?;
    Ok(json!({"text": delivered.text, "json": delivered.json}))
}

/// Routes an event through a bus (`{"Rules": [...]}`): `{bus, matched, notMatched, disabled}`
/// for the first event put, with each matched rule's targets and what they receive, and why
/// every other rule of that bus missed. The event may also be PutEvents input (an entry, a list
/// of up to 10, `{"Entries": [...]}`): then `putEvents` is PutEvents' answer (`FailedEntryCount`,
/// `Entries`) and `routings` every put event's routing (`entry`, `bus`, `matched`, …).
pub fn route(bus: Input, event: Input) -> Result<Value, ApiError> {
    let bus: Bus = match bus {
        Input::Text(text) => text.parse().map_err(|e| bus_error(&e))?,
        Input::Value(value) => Bus::parse(&value).map_err(|e| bus_error(&e))?,
    };
    let value = event.value("event")?;
    if value.is_object() && value.get("Entries").is_none() {
        statebridge_engine::size::check_event(&value)
            .map_err(|e| ApiError::new(ErrorKind::TooLarge, "event", format!("event: {e}")))?;
    }
    let put = put_events::read(&value, &Envelope::default()).map_err(|e| {
        let kind = match e {
            PutEventsError::TooLarge(_) => ErrorKind::TooLarge,
            _ => ErrorKind::Event,
        };
        let mut err = ApiError::new(kind, "event", format!("event: {e}"));
        if let Some(pointer) = e.pointer() {
            err = err.at(pointer);
        }
        err
    })?;
    let routings: Vec<Value> = put
        .events
        .iter()
        .map(|e| {
            let mut r = routing_json(&bus.route_on(&e.bus, &e.event));
            r["entry"] = json!(e.entry);
            r["bus"] = json!(e.bus);
            r
        })
        .collect();
    let mut out = routings
        .first()
        .cloned()
        .unwrap_or_else(|| json!({"bus": null, "matched": [], "notMatched": [], "disabled": []}));
    if let Some(o) = out.as_object_mut() {
        o.remove("entry");
        if put.shape != Shape::Event {
            o.insert("putEvents".into(), json!(put.result));
            o.insert("routings".into(), Value::Array(routings));
        }
    }
    Ok(out)
}

fn routing_json(routing: &statebridge_engine::bus::Routing) -> Value {
    let matched: Vec<Value> = routing
        .matched
        .iter()
        .map(|m| {
            let targets: Vec<Value> = m
                .targets
                .iter()
                .map(|t| {
                    let mut o =
                        json!({"id": t.id, "arn": t.arn, "startsExecution": t.starts_execution});
                    match &t.input {
                        Ok(d) => {
                            o["input"] = d
                                .json
                                .clone()
                                .unwrap_or_else(|| Value::String(d.text.clone()));
                            o["inputText"] = Value::String(d.text.clone());
                        }
                        Err(e) => o["error"] = Value::String(e.to_string()),
                    }
                    o
                })
                .collect();
            json!({"name": m.name, "targets": targets})
        })
        .collect();
    let not_matched: Vec<Value> = routing
        .not_matched
        .iter()
        .map(|m| json!({"name": m.name, "reason": m.reason, "explanation": explanation(&m.explanation)}))
        .collect();
    let mut out =
        json!({"matched": matched, "notMatched": not_matched, "disabled": routing.disabled});
    if !routing.scheduled.is_empty() {
        out["scheduled"] = json!(routing.scheduled);
    }
    out
}

fn bus_error(e: &BusError) -> ApiError {
    let kind = match e.problem {
        BusProblem::Syntax(_) => ErrorKind::Syntax,
        _ => ErrorKind::Bus,
    };
    let mut err = ApiError::new(kind, "bus", format!("bus: {e}"));
    if !e.pointer.is_empty() {
        err = err.at(&e.pointer);
    }
    if let Some((line, column)) = e.position {
        err.line = Some(line);
        err.column = Some(column);
    }
    err
}
