//! `run`: executes a state machine with mocks on the virtual clock.
//!
//! Prints `{"status", "output", "error", "cause"[, "paused"][, "redriveCount", "attempts",
//! "redriveRefused"][, "history" | "logs"]}`; exit 0 when the execution succeeded, 1 when it
//! ended otherwise, 2 when the definition, input or mocks are invalid (the message names the
//! file and, where known, the line, column and state).

use crate::io::{position, read_arg, read_json, shown};
use serde_json::{Map, Value, json};
use statebridge_engine::asl::callbacks::{Callbacks, Unanswered};
use statebridge_engine::asl::exec::{Execution, ExecutionOptions, Status};
use statebridge_engine::asl::mocks::Mocks;
use statebridge_engine::asl::{StateMachine, express, time};

/// The command line of `run`, parsed.
#[derive(Debug, Default)]
struct Args {
    definition: String,
    input: Option<String>,
    mocks: Option<String>,
    test_case: Option<String>,
    start_time: Option<String>,
    history: bool,
    callbacks: Option<String>,
    pause: bool,
    /// How many times `--redrive` was given.
    redrives: u32,
    /// `--type EXPRESS`.
    express: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match a.as_str() {
            "--input" => out.input = Some(value("--input")?),
            "--mocks" => out.mocks = Some(value("--mocks")?),
            "--test-case" => out.test_case = Some(value("--test-case")?),
            "--start-time" => out.start_time = Some(value("--start-time")?),
            "--history" => out.history = true,
            "--callbacks" => out.callbacks = Some(value("--callbacks")?),
            "--pause" => out.pause = true,
            "--redrive" => out.redrives += 1,
            "--type" => {
                out.express = match value("--type")?.as_str() {
                    "EXPRESS" => true,
                    "STANDARD" => false,
                    other => {
                        return Err(format!(
                            "--type: `{other}` is not a state machine type (STANDARD or EXPRESS)"
                        ));
                    }
                }
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            _ => positional.push(a.clone()),
        }
    }
    match positional.as_slice() {
        [d] => out.definition = d.clone(),
        [] => return Err("missing DEFINITION (a file, or - for standard input)".into()),
        _ => return Err("expected one DEFINITION".into()),
    }
    Ok(out)
}

/// Reads, validates and runs; `Err` is a message for standard error (exit 2).
fn prepare(args: &Args) -> Result<(StateMachine, Value, ExecutionOptions), String> {
    let text = read_arg(&args.definition)?;
    let found = if args.express {
        express::validate(&text)
    } else {
        statebridge_engine::asl::validate(&text)
    };
    if !found.is_empty() {
        let name = shown(&args.definition);
        return Err(found
            .iter()
            .map(|x| match (x.line, x.column) {
                (Some(l), Some(c)) => format!("{name}:{l}:{c}: {x}"),
                _ => format!("{name}: {x}"),
            })
            .collect::<Vec<_>>()
            .join("\n"));
    }
    let machine: StateMachine = text
        .parse()
        .map_err(|d: statebridge_engine::asl::Diagnostics| d.to_string())?;
    let input = match &args.input {
        Some(p) => read_json(p)?.0,
        None => Value::Object(Map::new()),
    };
    let mut options = ExecutionOptions {
        redrives: args.redrives,
        express: args.express,
        ..ExecutionOptions::default()
    };
    if let Some(p) = &args.mocks {
        let (value, map) = read_json(p)?;
        options.mocks = Mocks::from_value(&value, args.test_case.as_deref()).map_err(|e| {
            match position(&map, &e.pointer) {
                Some((line, column)) => format!("{}:{line}:{column}: {e}", shown(p)),
                None => format!("{}: {e}", shown(p)),
            }
        })?;
    }
    if let Some(p) = &args.callbacks {
        let (value, map) = read_json(p)?;
        options.callbacks =
            Callbacks::from_value(&value).map_err(|e| match position(&map, &e.pointer) {
                Some((line, column)) => format!("{}:{line}:{column}: {e}", shown(p)),
                None => format!("{}: {e}", shown(p)),
            })?;
    }
    if args.pause {
        options.callbacks.unanswered = Unanswered::Pause;
    }
    if let Some(t) = &args.start_time {
        if time::parse_rfc3339(t).is_none() {
            return Err(format!(
                "--start-time: `{t}` is not an RFC 3339 timestamp like 2026-01-01T00:00:00Z"
            ));
        }
        options.start_time = t.clone();
    }
    Ok((machine, input, options))
}

/// `statebridge run DEFINITION [--input FILE] [--mocks FILE] [--test-case NAME] [--callbacks FILE]
/// [--pause] [--redrive]... [--type STANDARD|EXPRESS] [--history] [--start-time RFC3339]`.
pub fn run_cmd(args: &[String]) -> u8 {
    let parsed = match parse_args(args) {
        Ok(a) => a,
        Err(m) => {
            eprintln!("statebridge run: {m}");
            return 2;
        }
    };
    let (machine, input, options) = match prepare(&parsed) {
        Ok(p) => p,
        Err(m) => {
            eprintln!("statebridge run: {m}");
            return 2;
        }
    };
    let mut exec = Execution::new(&machine, input, options);
    let outcome = exec.run_to_end();
    let mut out = json!({
        "status": outcome.status,
        "output": outcome.output,
        "error": outcome.error,
        "cause": outcome.cause,
    });
    if let Some(paused) = exec.paused()
        && let Some(obj) = out.as_object_mut()
    {
        obj.insert(
            "paused".into(),
            serde_json::to_value(paused).unwrap_or(Value::Null),
        );
    }
    if parsed.redrives > 0
        && let Some(obj) = out.as_object_mut()
    {
        let r = exec.redrives().clone();
        obj.insert("redriveCount".into(), json!(r.count));
        obj.insert(
            "attempts".into(),
            serde_json::to_value(&r.attempts).unwrap_or(Value::Null),
        );
        if let Some(no) = r.refused {
            obj.insert(
                "redriveRefused".into(),
                serde_json::to_value(no).unwrap_or(Value::Null),
            );
        }
    }
    if parsed.history
        && let Some(obj) = out.as_object_mut()
    {
        // An Express workflow has no execution history API: its events are CloudWatch Logs'.
        if parsed.express {
            let arn = exec.options().execution_arn();
            obj.insert(
                "logs".into(),
                Value::Array(express::log_events(exec.history(), &arn)),
            );
        } else {
            obj.insert(
                "history".into(),
                serde_json::to_value(exec.history()).unwrap_or(Value::Null),
            );
        }
    }
    outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    if outcome.status == Status::Succeeded {
        0
    } else {
        1
    }
}
