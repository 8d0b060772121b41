//! `match` and `transform` (`route` is in `route_cmd.rs`).
//!
//! Exit codes: 0 matched (or, for `transform`, delivered), 1 not matched, 2 invalid input with a
//! message on standard error naming the file, the place and the problem.

use crate::io::{read_arg, read_event, shown};
use serde_json::{Value, json};
use statebridge_engine::pattern::{Pattern, PatternError};
use statebridge_engine::source;
use statebridge_engine::transform::{Context, transform};

/// Splits positional arguments from `--flags`; unknown flags are an error.
fn split_args<'a>(
    args: &'a [String],
    known: &[&str],
) -> Result<(Vec<&'a str>, Vec<&'a str>), String> {
    let mut positional = Vec::new();
    let mut flags = Vec::new();
    for a in args {
        if a.starts_with("--") {
            if !known.contains(&a.as_str()) {
                return Err(format!("unknown option `{a}`"));
            }
            flags.push(a.as_str());
        } else {
            positional.push(a.as_str());
        }
    }
    Ok((positional, flags))
}

fn fail(command: &str, message: &str) -> u8 {
    eprintln!("statebridge {command}: {message}");
    2
}

/// `statebridge match PATTERN EVENT [--explain] [--json]`.
pub fn match_cmd(args: &[String]) -> u8 {
    let (pos, flags) = match split_args(args, &["--explain", "--json"]) {
        Ok(v) => v,
        Err(e) => return fail("match", &e),
    };
    let [pattern_path, event_path] = pos.as_slice() else {
        return fail(
            "match",
            "usage: statebridge match PATTERN EVENT [--explain] [--json]",
        );
    };
    let pattern = match read_arg(pattern_path).and_then(|text| {
        text.parse::<Pattern>().map_err(|e| match e {
            PatternError::Syntax(s) => format!(
                "{}: the pattern is not valid JSON: {s}",
                shown(pattern_path)
            ),
            other => format!("{}: invalid pattern: {other}", shown(pattern_path)),
        })
    }) {
        Ok(p) => p,
        Err(e) => return fail("match", &e),
    };
    let event = match read_event(event_path) {
        Ok(e) => e,
        Err(e) => return fail("match", &e),
    };
    let explanation = pattern.explain(&event);
    let matched = explanation.matched;
    if flags.contains(&"--json") {
        let mut out = json!({"matched": matched});
        if flags.contains(&"--explain") || !matched {
            out["explanation"] = serde_json::to_value(&explanation).unwrap_or(Value::Null);
            out["reason"] = Value::String(explanation.to_string());
        }
        outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    } else if flags.contains(&"--explain") {
        // The verdict, then one line per field (the unmet ones first).
        outln!("{}", if matched { "match" } else { "no match" });
        for line in explanation.lines() {
            outln!("  {line}");
        }
    } else {
        outln!("{}", if matched { "match" } else { "no match" });
    }
    if matched { 0 } else { 1 }
}

/// `statebridge transform TARGET EVENT`.
pub fn transform_cmd(args: &[String]) -> u8 {
    let [target_path, event_path] = args else {
        return fail("transform", "usage: statebridge transform TARGET EVENT");
    };
    let parsed = read_arg(target_path).and_then(|text| {
        source::parse(&text)
            .map_err(|e| format!("{}: the target is not valid JSON: {e}", shown(target_path)))
    });
    let (target, map) = match parsed {
        Ok(t) => t,
        Err(e) => return fail("transform", &e),
    };
    let event = match read_event(event_path) {
        Ok(e) => e,
        Err(e) => return fail("transform", &e),
    };
    match transform(&target, &event, &Context::default()) {
        Ok(delivered) => {
            outln!("{}", delivered.text);
            0
        }
        Err(e) => {
            // Where in the target file: the member at fault, else the innermost one that exists.
            let mut pointer = e.pointer();
            let span = loop {
                let span = map.key_span(&pointer).or_else(|| map.value_span(&pointer));
                match (span, pointer.rfind('/')) {
                    (Some(span), _) => break Some(span),
                    (None, Some(cut)) => pointer.truncate(cut),
                    (None, None) => break None,
                }
            };
            let place = span.map_or(String::new(), |s| {
                format!("line {}, column {}: ", s.line, s.column)
            });
            fail("transform", &format!("{}: {place}{e}", shown(target_path)))
        }
    }
}
