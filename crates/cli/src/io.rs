//! Reading the command's file arguments (errors name the file and the place), and writing its
//! output as a Unix tool does: a reader that goes away (`statebridge route … | head`) ends the
//! output quietly.

use serde_json::Value;
use statebridge_engine::size;
use statebridge_engine::source::{self, SourceMap};
use std::fmt;
use std::io::{ErrorKind, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Reads a file argument; `-` is standard input. A UTF-8 byte-order mark at the start is dropped,
/// so every file argument accepts one alike. The error names the file.
pub fn read_arg(path: &str) -> Result<String, String> {
    let text = if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("standard input: cannot read: {e}"))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?
    };
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// Reads and parses a JSON file argument; a syntax error reads `FILE:LINE:COLUMN: invalid JSON: …`.
pub fn read_json(path: &str) -> Result<(Value, SourceMap), String> {
    let text = read_arg(path)?;
    source::parse(&text).map_err(|e| {
        format!(
            "{}:{}:{}: invalid JSON: {}",
            shown(path),
            e.line,
            e.column,
            e.message
        )
    })
}

/// Reads and parses a JSON file argument that holds `what` (e.g. "the event"); the error names
/// the file and says where the JSON breaks.
pub fn read_json_as(path: &str, what: &str) -> Result<Value, String> {
    let text = read_arg(path)?;
    source::parse_value(&text)
        .map_err(|e| format!("{}: {what} is not valid JSON: {e}", shown(path)))
}

/// Reads an event file: a JSON object within EventBridge's 256 KiB entry limit.
pub fn read_event(path: &str) -> Result<Value, String> {
    let event = read_json_as(path, "the event")?;
    check_event(&event, path)?;
    Ok(event)
}

/// An event must be an object within EventBridge's size limit; the error names the file.
pub fn check_event(event: &Value, path: &str) -> Result<(), String> {
    if !event.is_object() {
        return Err(format!("{}: the event must be a JSON object", shown(path)));
    }
    size::check_event(event).map_err(|e| format!("{}: {e}", shown(path)))?;
    Ok(())
}

/// The line and column of the member a JSON pointer names, or of the nearest enclosing one the
/// map knows (a missing member is reported on its parent).
pub fn position(map: &SourceMap, pointer: &str) -> Option<(u32, u32)> {
    let mut p = pointer;
    loop {
        if let Some(span) = map.key_span(p).or_else(|| map.value_span(p)) {
            return Some((span.line, span.column));
        }
        p = &p[..p.rfind('/')?];
    }
}

/// The name to show for a file argument.
pub fn shown(path: &str) -> &str {
    if path == "-" { "standard input" } else { path }
}

/// Set once standard output's reader has gone: the rest of the output is dropped.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes one line to standard output. A closed pipe is not an error (the output is dropped and
/// the command ends with its own exit code); any other write error is, with exit code 2.
pub fn write_line(args: fmt::Arguments<'_>) -> Result<(), u8> {
    if CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{args}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => {
            CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => {
            eprintln!("statebridge: cannot write the output: {e}");
            Err(2)
        }
    }
}

/// `println!` for the commands: writes a line with [`write_line`], and returns the exit code
/// from the enclosing function when the output cannot be written.
macro_rules! outln {
    ($($arg:tt)*) => {
        if let Err(code) = crate::io::write_line(format_args!($($arg)*)) {
            return code;
        }
    };
}
