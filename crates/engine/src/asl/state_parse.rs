//! Reads one state object into a [`State`]: allowed fields per type, required fields, and the
//! JSONPath/JSONata field split. Every state is read, whatever is wrong with it: what used to
//! stop the reading (not an object, no usable `Type`, a Wait without its duration, a Map without
//! an `ItemProcessor` object) marks the state [`State::incomplete`], is reported, and the rest of
//! the state is read without reporting more (validation leaves such a state out).

use super::compile::{CompiledPath, Dynamic, JsonPathFields};
use super::definition::{
    Catcher, ChoiceSpec, FailSpec, Fields, Kind, MapSpec, ParallelSpec, QueryLanguage, Retrier,
    State, StateMachine, TaskSpec, Transition, WaitSpec, choices, parse_machine,
    parse_query_language,
};
use super::diagnostic::{SCHEMA, Sink};
use super::jsonata_bridge::JsonataFields;
use serde_json::Value;

const COMMON: &[&str] = &["Type", "Comment", "QueryLanguage"];
const PASS: &[&str] = &[
    "Next",
    "End",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "Result",
    "Assign",
    "Output",
];
const TASK: &[&str] = &[
    "Next",
    "End",
    "Resource",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Retry",
    "Catch",
    "TimeoutSeconds",
    "TimeoutSecondsPath",
    "HeartbeatSeconds",
    "HeartbeatSecondsPath",
    "Credentials",
    "Assign",
    "Arguments",
    "Output",
];
const CHOICE: &[&str] = &[
    "Choices",
    "Default",
    "InputPath",
    "OutputPath",
    "Assign",
    "Output",
];
const WAIT: &[&str] = &[
    "Next",
    "End",
    "Seconds",
    "Timestamp",
    "SecondsPath",
    "TimestampPath",
    "InputPath",
    "OutputPath",
    "Assign",
    "Output",
];
const SUCCEED: &[&str] = &["InputPath", "OutputPath", "Output"];
const FAIL: &[&str] = &["Error", "Cause", "ErrorPath", "CausePath"];
const PARALLEL: &[&str] = &[
    "Next",
    "End",
    "Branches",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "Retry",
    "Catch",
    "Assign",
    "Arguments",
    "Output",
];
const MAP: &[&str] = &[
    "Next",
    "End",
    "Iterator",
    "ItemProcessor",
    "ItemsPath",
    "Items",
    "ItemSelector",
    "Parameters",
    "MaxConcurrency",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCount",
    "ToleratedFailureCountPath",
    "ItemBatcher",
    "ItemReader",
    "ResultWriter",
    "Label",
    "InputPath",
    "OutputPath",
    "ResultPath",
    "ResultSelector",
    "Retry",
    "Catch",
    "Assign",
    "Arguments",
    "Output",
];
/// Fields only JSONPath states may use.
const JSONPATH_ONLY: &[&str] = &[
    "InputPath",
    "OutputPath",
    "ResultPath",
    "Parameters",
    "ResultSelector",
    "ItemsPath",
    "SecondsPath",
    "TimestampPath",
    "ErrorPath",
    "CausePath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
    "Iterator",
];
/// Fields only JSONata states may use.
const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items"];

/// The fields a state of type `type_name` may have besides `Type`, `Comment` and
/// `QueryLanguage`, when it is a state type.
pub fn state_fields_of(type_name: &str) -> Option<&'static [&'static str]> {
    Some(match type_name {
        "Pass" => PASS,
        "Task" => TASK,
        "Choice" => CHOICE,
        "Wait" => WAIT,
        "Succeed" => SUCCEED,
        "Fail" => FAIL,
        "Parallel" => PARALLEL,
        "Map" => MAP,
        _ => return None,
    })
}

/// Marks the state being read incomplete: nothing more of it is reported.
fn stop(sink: &mut Sink, incomplete: &mut bool) {
    if !*incomplete {
        *incomplete = true;
        sink.muted += 1;
    }
}

/// Reads the state `name` at `pointer`; `machine_ql` is the enclosing query language.
pub(crate) fn parse_state(
    name: &str,
    value: &Value,
    pointer: &str,
    machine_ql: QueryLanguage,
    sink: &mut Sink,
) -> State {
    let muted = sink.muted;
    let mut incomplete = false;
    let empty = serde_json::Map::new();
    let obj = match value.as_object() {
        Some(obj) => obj,
        None => {
            sink.push(
                SCHEMA,
                Some(name),
                None,
                pointer,
                "a state must be a JSON object",
            );
            stop(sink, &mut incomplete);
            &empty
        }
    };
    let f = Fields { obj, name, pointer };
    let query_language = match obj.get("QueryLanguage") {
        None => machine_ql,
        Some(v) => {
            parse_query_language(v, &f.at("QueryLanguage"), Some(name), sink).unwrap_or(machine_ql)
        }
    };
    if machine_ql == QueryLanguage::Jsonata && query_language == QueryLanguage::JsonPath {
        f.error(
            sink,
            "QueryLanguage",
            "a state cannot use JSONPath when its state machine uses JSONata",
        );
    }
    let type_name = match obj.get("Type") {
        Some(Value::String(t)) => Some(t.as_str()),
        Some(_) => {
            f.error(sink, "Type", "`Type` must be a string");
            None
        }
        None => {
            f.error(sink, "Type", "the required field `Type` is missing");
            None
        }
    };
    let allowed = match type_name {
        Some(t) => {
            let allowed = state_fields_of(t);
            if allowed.is_none() {
                f.error(sink, "Type", format!("`{t}` is not a state type (Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map)"));
            }
            allowed
        }
        None => None,
    };
    match (allowed, type_name) {
        (Some(allowed), Some(t)) => check_fields(&f, sink, allowed, t, query_language),
        _ => stop(sink, &mut incomplete),
    }
    let jsonata = query_language == QueryLanguage::Jsonata;
    let kind = parse_kind(
        type_name.filter(|_| allowed.is_some()),
        type_name,
        &f,
        sink,
        query_language,
        &mut incomplete,
    );
    let transition = transition(&f, sink, &kind);
    let is_map = matches!(kind, Kind::Map(_));
    let mut state = State {
        name: name.to_owned(),
        pointer: pointer.to_owned(),
        query_language,
        comment: obj
            .get("Comment")
            .and_then(Value::as_str)
            .map(str::to_owned),
        transition,
        input_path: f.path_field(sink, "InputPath"),
        output_path: f.path_field(sink, "OutputPath"),
        result_path: f.path_field(sink, "ResultPath"),
        parameters: if is_map && obj.contains_key("ItemSelector") {
            obj.get("ItemSelector").cloned()
        } else {
            obj.get("Parameters").cloned()
        },
        result_selector: obj.get("ResultSelector").cloned(),
        result: obj.get("Result").cloned(),
        arguments: obj.get("Arguments").cloned(),
        output: obj.get("Output").cloned(),
        assign: assign(&f, sink),
        retry: if jsonata || type_name != Some("Pass") {
            retriers(&f, sink)
        } else {
            Vec::new()
        },
        catch: catchers(&f, sink, query_language),
        kind,
        jsonata: Box::default(),
        jsonpath: Box::default(),
        incomplete,
    };
    state.jsonata = Box::new(JsonataFields::of(&state));
    state.jsonpath = Box::new(JsonPathFields::of(&state));
    sink.muted = muted;
    state
}

fn check_fields(
    f: &Fields<'_>,
    sink: &mut Sink,
    allowed: &[&str],
    type_name: &str,
    ql: QueryLanguage,
) {
    for key in f.obj.keys() {
        let k = key.as_str();
        if !COMMON.contains(&k) && !allowed.contains(&k) {
            f.error(
                sink,
                k,
                format!("the field `{k}` is not supported by {type_name} states"),
            );
        } else if ql == QueryLanguage::Jsonata && JSONPATH_ONLY.contains(&k) {
            f.error(
                sink,
                k,
                format!("the field `{k}` is for JSONPath states; this state uses JSONata"),
            );
        } else if ql == QueryLanguage::JsonPath && JSONATA_ONLY.contains(&k) {
            f.error(
                sink,
                k,
                format!(
                    "the field `{k}` is for JSONata states; set \"QueryLanguage\": \"JSONata\""
                ),
            );
        }
    }
    if f.obj.contains_key("Parameters") && f.obj.contains_key("ItemSelector") {
        f.error(
            sink,
            "ItemSelector",
            "`Parameters` and `ItemSelector` cannot both be set",
        );
    }
    if f.obj.contains_key("Iterator") && f.obj.contains_key("ItemProcessor") {
        f.error(
            sink,
            "ItemProcessor",
            "`Iterator` and `ItemProcessor` cannot both be set",
        );
    }
}

fn transition(f: &Fields<'_>, sink: &mut Sink, kind: &Kind) -> Transition {
    let terminal = matches!(kind, Kind::Choice(_) | Kind::Succeed | Kind::Fail(_));
    let next = f.string(sink, "Next");
    let end = match f.obj.get("End") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            f.error(sink, "End", "`End` must be true or false");
            false
        }
    };
    if terminal {
        return Transition::Terminal;
    }
    match (next, end) {
        (Some(_), true) => {
            f.error(
                sink,
                "End",
                "a state cannot have both `Next` and `End: true`",
            );
            Transition::End
        }
        (Some(n), false) => Transition::Next(n),
        (None, true) => Transition::End,
        (None, false) => {
            f.error(sink, "Next", "the state needs `Next` or `End: true`");
            Transition::Unset
        }
    }
}

/// The kind of a state whose `Type` is `known` (`None`: missing or not a state type, `written`
/// then holds it if it is a string).
fn parse_kind(
    known: Option<&str>,
    written: Option<&str>,
    f: &Fields<'_>,
    sink: &mut Sink,
    ql: QueryLanguage,
    incomplete: &mut bool,
) -> Kind {
    let jsonata = ql == QueryLanguage::Jsonata;
    let Some(type_name) = known else {
        return Kind::Unknown(written.map(str::to_owned));
    };
    match type_name {
        "Pass" => Kind::Pass,
        "Succeed" => Kind::Succeed,
        "Fail" => Kind::Fail(FailSpec {
            error: f.obj.get("Error").cloned(),
            cause: f.obj.get("Cause").cloned(),
            error_path: f.string(sink, "ErrorPath").map(|p| Dynamic::new(&p)),
            cause_path: f.string(sink, "CausePath").map(|p| Dynamic::new(&p)),
        }),
        "Wait" => Kind::Wait(wait(f, sink).unwrap_or_else(|| {
            stop(sink, incomplete);
            WaitSpec::Seconds(Value::Null)
        })),
        "Choice" => Kind::Choice(ChoiceSpec {
            choices: choices(f, sink, ql),
            default: f.string(sink, "Default"),
        }),
        "Task" => {
            let resource = f.string(sink, "Resource");
            if resource.is_none() && !f.obj.contains_key("Resource") {
                f.error(sink, "Resource", "a Task state needs `Resource`");
            }
            let resource = resource.unwrap_or_default();
            Kind::Task(TaskSpec {
                kind: super::resource::classify(&resource),
                resource,
                timeout: f.number_field(sink, "TimeoutSeconds", jsonata),
                heartbeat: f.number_field(sink, "HeartbeatSeconds", jsonata),
                credentials: f.obj.get("Credentials").cloned(),
            })
        }
        "Parallel" => {
            let mut branches = Vec::new();
            match f.obj.get("Branches") {
                Some(Value::Array(items)) if items.is_empty() => f.error(
                    sink,
                    "Branches",
                    "`Branches` cannot be empty: a Parallel state needs at least one branch",
                ),
                Some(Value::Array(items)) => {
                    for (i, b) in items.iter().enumerate() {
                        let at = format!("{}/{i}", f.at("Branches"));
                        branches.push(parse_machine(b, &at, Some(ql), sink, false));
                    }
                }
                _ => f.error(
                    sink,
                    "Branches",
                    "a Parallel state needs `Branches`, an array of state machines",
                ),
            }
            Kind::Parallel(ParallelSpec { branches })
        }
        "Map" => Kind::Map(Box::new(map(f, sink, ql, incomplete))),
        other => Kind::Unknown(Some(other.to_owned())),
    }
}

fn wait(f: &Fields<'_>, sink: &mut Sink) -> Option<WaitSpec> {
    let mut found = Vec::new();
    for field in ["Seconds", "Timestamp", "SecondsPath", "TimestampPath"] {
        if let Some(v) = f.obj.get(field) {
            found.push((field, v));
        }
    }
    if found.len() != 1 {
        f.error(sink, "Seconds", "a Wait state needs exactly one of `Seconds`, `Timestamp`, `SecondsPath`, `TimestampPath`");
        return None;
    }
    let (field, v) = found.into_iter().next()?;
    let text = || v.as_str().map(str::to_owned);
    Some(match field {
        "Seconds" => WaitSpec::Seconds(v.clone()),
        "Timestamp" => WaitSpec::Timestamp(v.clone()),
        "SecondsPath" => WaitSpec::SecondsPath(CompiledPath::new(&text().unwrap_or_default())),
        _ => WaitSpec::TimestampPath(CompiledPath::new(&text().unwrap_or_default())),
    })
}

fn map(f: &Fields<'_>, sink: &mut Sink, ql: QueryLanguage, incomplete: &mut bool) -> MapSpec {
    let field = if f.obj.contains_key("ItemProcessor") {
        "ItemProcessor"
    } else {
        "Iterator"
    };
    let processor = match f.obj.get(field) {
        None => {
            f.error(sink, "ItemProcessor", "a Map state needs `ItemProcessor`");
            stop(sink, incomplete);
            let mut m = StateMachine::empty(&f.at(field));
            m.query_language = ql;
            m
        }
        Some(p) => {
            let m = parse_machine(p, &f.at(field), Some(ql), sink, false);
            if !p.is_object() {
                stop(sink, incomplete);
            }
            m
        }
    };
    let distributed = f
        .obj
        .get(field)
        .and_then(|p| p.pointer("/ProcessorConfig/Mode"))
        .and_then(Value::as_str)
        .is_some_and(|m| m == "DISTRIBUTED");
    let jsonata = ql == QueryLanguage::Jsonata;
    MapSpec {
        processor,
        distributed,
        items_path: f.path_field(sink, "ItemsPath"),
        items: f.obj.get("Items").cloned(),
        max_concurrency: f.number_field(sink, "MaxConcurrency", jsonata),
        tolerated_failure_percentage: f.number_field(sink, "ToleratedFailurePercentage", jsonata),
        tolerated_failure_count: f.number_field(sink, "ToleratedFailureCount", jsonata),
        item_batcher: f.obj.get("ItemBatcher").cloned(),
        item_reader: f.obj.get("ItemReader").cloned(),
        result_writer: f.obj.get("ResultWriter").cloned(),
        label: f.string(sink, "Label"),
    }
}

fn assign(f: &Fields<'_>, sink: &mut Sink) -> Option<Value> {
    let v = f.obj.get("Assign")?;
    if !v.is_object() {
        f.error(
            sink,
            "Assign",
            "`Assign` must be an object of variable names to values",
        );
    }
    Some(v.clone())
}

fn error_equals(v: Option<&Value>, at: &str, name: &str, sink: &mut Sink) -> Vec<String> {
    let Some(Value::Array(items)) = v else {
        sink.push(
            SCHEMA,
            Some(name),
            Some("ErrorEquals"),
            at,
            "`ErrorEquals` must be a non-empty array of error names",
        );
        return Vec::new();
    };
    let names: Vec<String> = items
        .iter()
        .filter_map(|e| e.as_str().map(str::to_owned))
        .collect();
    if names.len() != items.len() {
        sink.push(
            SCHEMA,
            Some(name),
            Some("ErrorEquals"),
            at,
            "`ErrorEquals` must be an array of error names",
        );
    }
    if names.iter().any(|n| n == "States.ALL") && names.len() > 1 {
        sink.push(
            SCHEMA,
            Some(name),
            Some("ErrorEquals"),
            at,
            "`States.ALL` must appear alone in `ErrorEquals`",
        );
    }
    names
}

fn number(obj: &serde_json::Map<String, Value>, key: &str) -> Option<f64> {
    obj.get(key).and_then(Value::as_f64)
}

fn retriers(f: &Fields<'_>, sink: &mut Sink) -> Vec<Retrier> {
    let Some(v) = f.obj.get("Retry") else {
        return Vec::new();
    };
    let Some(items) = v.as_array() else {
        f.error(sink, "Retry", "`Retry` must be an array");
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{}/{i}", f.at("Retry"));
        let Some(obj) = item.as_object() else {
            sink.push(
                SCHEMA,
                Some(f.name),
                Some("Retry"),
                &at,
                "a retrier must be an object",
            );
            continue;
        };
        for key in obj.keys() {
            if ![
                "ErrorEquals",
                "IntervalSeconds",
                "MaxAttempts",
                "BackoffRate",
                "MaxDelaySeconds",
                "JitterStrategy",
                "Comment",
            ]
            .contains(&key.as_str())
            {
                sink.push(
                    SCHEMA,
                    Some(f.name),
                    Some(key),
                    &format!("{at}/{key}"),
                    format!("the field `{key}` is not supported in a retrier"),
                );
            }
        }
        let error_equals = error_equals(
            obj.get("ErrorEquals"),
            &format!("{at}/ErrorEquals"),
            f.name,
            sink,
        );
        let interval_seconds = number(obj, "IntervalSeconds").unwrap_or(1.0);
        let max_attempts = match obj.get("MaxAttempts") {
            None => 3,
            Some(v) => v.as_u64().unwrap_or_else(|| {
                sink.push(
                    SCHEMA,
                    Some(f.name),
                    Some("MaxAttempts"),
                    &format!("{at}/MaxAttempts"),
                    "`MaxAttempts` must be a non-negative integer",
                );
                0
            }),
        };
        let backoff_rate = number(obj, "BackoffRate").unwrap_or(2.0);
        if backoff_rate < 1.0 {
            sink.push(
                SCHEMA,
                Some(f.name),
                Some("BackoffRate"),
                &format!("{at}/BackoffRate"),
                "`BackoffRate` must be at least 1.0",
            );
        }
        if interval_seconds < 1.0 && obj.contains_key("IntervalSeconds") {
            sink.push(
                SCHEMA,
                Some(f.name),
                Some("IntervalSeconds"),
                &format!("{at}/IntervalSeconds"),
                "`IntervalSeconds` must be a positive integer",
            );
        }
        let jitter_full = match obj.get("JitterStrategy").and_then(Value::as_str) {
            Some("FULL") => true,
            Some("NONE") | None => false,
            Some(other) => {
                sink.push(
                    SCHEMA,
                    Some(f.name),
                    Some("JitterStrategy"),
                    &format!("{at}/JitterStrategy"),
                    format!("`JitterStrategy` must be FULL or NONE, not {other}"),
                );
                false
            }
        };
        out.push(Retrier {
            error_equals,
            interval_seconds,
            max_attempts,
            backoff_rate,
            max_delay_seconds: number(obj, "MaxDelaySeconds"),
            jitter_full,
        });
    }
    check_all_last(out.iter().map(|r| &r.error_equals), f, sink, "Retry");
    out
}

fn check_all_last<'a>(
    lists: impl Iterator<Item = &'a Vec<String>>,
    f: &Fields<'_>,
    sink: &mut Sink,
    field: &str,
) {
    let lists: Vec<_> = lists.collect();
    for (i, list) in lists.iter().enumerate() {
        if list.iter().any(|n| n == "States.ALL") && i + 1 != lists.len() {
            sink.push(
                SCHEMA,
                Some(f.name),
                Some(field),
                &format!("{}/{i}", f.at(field)),
                format!("the `{field}` entry with `States.ALL` must be the last one"),
            );
        }
    }
}

fn catchers(f: &Fields<'_>, sink: &mut Sink, ql: QueryLanguage) -> Vec<Catcher> {
    let Some(v) = f.obj.get("Catch") else {
        return Vec::new();
    };
    let Some(items) = v.as_array() else {
        f.error(sink, "Catch", "`Catch` must be an array");
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{}/{i}", f.at("Catch"));
        let Some(obj) = item.as_object() else {
            sink.push(
                SCHEMA,
                Some(f.name),
                Some("Catch"),
                &at,
                "a catcher must be an object",
            );
            continue;
        };
        let inner = Fields {
            obj,
            name: f.name,
            pointer: &at,
        };
        for key in obj.keys() {
            let ok = match key.as_str() {
                "ErrorEquals" | "Next" | "Comment" | "Assign" => true,
                "ResultPath" => ql == QueryLanguage::JsonPath,
                "Output" => ql == QueryLanguage::Jsonata,
                _ => false,
            };
            if !ok {
                sink.push(
                    SCHEMA,
                    Some(f.name),
                    Some(key),
                    &inner.at(key),
                    format!("the field `{key}` is not supported in this catcher"),
                );
            }
        }
        let error_equals = error_equals(
            obj.get("ErrorEquals"),
            &inner.at("ErrorEquals"),
            f.name,
            sink,
        );
        let next = inner.string(sink, "Next").unwrap_or_else(|| {
            sink.push(
                SCHEMA,
                Some(f.name),
                Some("Next"),
                &at,
                "a catcher needs `Next`",
            );
            String::new()
        });
        out.push(Catcher {
            error_equals,
            next,
            result_path: inner.path_field(sink, "ResultPath"),
            output: obj.get("Output").cloned(),
            assign: obj.get("Assign").cloned(),
        });
    }
    check_all_last(out.iter().map(|c| &c.error_equals), f, sink, "Catch");
    out
}
