//! `test-state`: one state run in isolation, as Step Functions' TestState API runs it.
//!
//! REQUEST is TestState's request as JSON (the members AWS takes as JSON text may be values);
//! prints TestState's response. Exit 0 SUCCEEDED, 1 any other status (FAILED, RETRIABLE,
//! CAUGHT_ERROR), 2 an invalid request (the message names the file and the line and column, or
//! the member).

use crate::io::{position, read_json, shown};
use statebridge_engine::asl::test_state::{TestStateError, TestStateRequest, test_state};
use statebridge_engine::source::SourceMap;

/// Where in REQUEST a pointer is, as `FILE:LINE:COLUMN` (or `FILE` when the place is unknown).
fn place(path: &str, map: &SourceMap, pointer: &str) -> String {
    match position(map, pointer) {
        Some((line, column)) => format!("{}:{line}:{column}", shown(path)),
        None => shown(path).to_owned(),
    }
}

/// The error for standard error: every line starts with where.
fn explain(path: &str, map: &SourceMap, text_definition: bool, e: &TestStateError) -> String {
    match e {
        TestStateError::Request(m) => {
            format!("{}: TestState refuses the request: {m}", shown(path))
        }
        TestStateError::Field { pointer, message } => {
            format!("{}: {message}", place(path, map, pointer))
        }
        TestStateError::Definition(d) => {
            d.0.iter()
                .map(|x| {
                    // A definition given as text (AWS's shape) has its own lines and columns.
                    if text_definition {
                        format!(
                            "{}: in the `definition` text, {x}",
                            place(path, map, "/definition")
                        )
                    } else {
                        format!("{}: {x}", place(path, map, &x.pointer))
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

/// `statebridge test-state REQUEST`.
pub fn test_state_cmd(args: &[String]) -> u8 {
    let path = match args {
        [p] if !p.starts_with("--") || p == "-" => p,
        [] => {
            eprintln!("statebridge test-state: missing REQUEST (a file, or - for standard input)");
            return 2;
        }
        _ => {
            eprintln!("statebridge test-state: expected one REQUEST and no options");
            return 2;
        }
    };
    let (value, map) = match read_json(path) {
        Ok(v) => v,
        Err(m) => {
            eprintln!("statebridge test-state: {m}");
            return 2;
        }
    };
    let text_definition = value.get("definition").is_some_and(|d| d.is_string());
    let response = TestStateRequest::from_value(&value).and_then(|r| test_state(&r));
    match response {
        Ok(r) => {
            let out = serde_json::to_string_pretty(&r).unwrap_or_default();
            outln!("{out}");
            if r.status == "SUCCEEDED" { 0 } else { 1 }
        }
        Err(e) => {
            eprintln!(
                "statebridge test-state: {}",
                explain(path, &map, text_definition, &e)
            );
            2
        }
    }
}
